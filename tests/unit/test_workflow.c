/*
 * test_workflow.c — the workflow definitions (domain/workflow.c): the shipped
 * workflows/identification.yaml loads and answers its lookups; every load error names
 * file:line:col in Chinese and English; and deadlines in working days
 * (calendar_add_working_days) over weekends, 法定节假日 and 调休 workdays, worked out by
 * hand from the 2026 arrangement that migration 0009 seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "domain/applications.h"
#include "domain/workflow.h"
#include "store/store.h"
#include "testdb.h"

static const char *wf_dir(void)
{
	static const char *const dirs[] = {"../workflows", "workflows", "../../workflows"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return dirs[0];
}

static void test_shipped_workflow(void **state)
{
	(void)state;
	assert_int_equal(workflows_load(wf_dir(), stderr), 0);
	const struct workflow *w = workflow_find("identification");
	assert_non_null(w);
	assert_null(workflow_find("housing"));
	const struct wf_state *s = wf_state(w, "announced");
	assert_non_null(s);
	assert_int_equal(s->deadline_days, 5);
	assert_true(s->public);
	assert_true(wf_state(w, "certified")->final);
	const struct wf_transition *t = wf_transition(w, "town_review", "approve");
	assert_non_null(t);
	assert_string_equal(t->to, "office_review");
	assert_string_equal(wf_transition_role(w, t), "town_reviewer");
	t = wf_transition(w, "office_review", "withdraw");
	assert_string_equal(wf_transition_role(w, t), "applicant");
	assert_null(wf_transition(w, "certified", "approve"));
	const char *allowed[16];
	int n = wf_allowed(w, "returned", allowed, 16);
	assert_int_equal(n, 2);
	assert_string_equal(allowed[0], "resubmit");
	assert_string_equal(allowed[1], "withdraw");
	workflows_free();
}

/* Loads one file text as a workflows folder; returns what was written to err. */
static char *load_text(const char *text, int *rc)
{
	char dir[] = "/tmp/tp-wf-XXXXXX";
	if (!mkdtemp(dir))
		return NULL;
	char path[128];
	snprintf(path, sizeof path, "%s/w.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	*rc = workflows_load(dir, err);
	fclose(err);
	unlink(path);
	rmdir(dir);
	workflows_free();
	return buf;
}

static void expect_error(const char *text, const char *where, const char *zh, const char *en)
{
	int rc;
	char *out = load_text(text, &rc);
	assert_non_null(out);
	if (rc != -1 || !strstr(out, where) || !strstr(out, zh) || !strstr(out, en))
		fail_msg("expected %s %s / %s in:\n%s", where, zh, en, out);
	free(out);
}

#define HEAD "id: x\ntitle: {zh: 测试, en: Test}\nstart:\n  - {to: a}\nstates:\n"
#define STATE_A "  a: {title: {zh: A, en: A}, role: office_reviewer, deadline_days: 3}\n"
#define STATE_B "  b: {title: {zh: B, en: B}, final: true}\n"

static void test_load_errors(void **state)
{
	(void)state;
	int rc;
	char *out = load_text(HEAD STATE_A STATE_B "transitions:\n  - {from: a, action: approve, to: b}\n",
			      &rc);
	assert_int_equal(rc, 0);
	free(out);
	/* each broken rule, with where it is */
	expect_error(HEAD "  a: {title: {zh: A, en: A}, role: wizard}\n" STATE_B
		     "transitions:\n  - {from: a, action: approve, to: b}\n",
		     "w.yaml:6:", "未知角色 “wizard”", "unknown role 'wizard'");
	expect_error(HEAD "  a: {title: {zh: A, en: A}, role: talent, deadline_days: 366}\n" STATE_B
		     "transitions:\n  - {from: a, action: approve, to: b}\n",
		     "w.yaml:6:", "期限应为 0 到 365 个工作日", "deadline_days must be 0..365");
	expect_error(HEAD STATE_A STATE_B "transitions:\n  - {from: a, action: fly, to: b}\n",
		     "w.yaml:9:", "未知动作 “fly”", "unknown action 'fly'");
	expect_error(HEAD STATE_A STATE_B "transitions:\n  - {from: a, action: approve, to: zz}\n",
		     "w.yaml:9:", "未知状态 “zz”", "unknown state 'zz'");
	expect_error(HEAD STATE_A STATE_B "transitions:\n  - {from: b, action: approve, to: a}\n",
		     "w.yaml:9:", "是终态", "is final");
	expect_error(HEAD STATE_A STATE_B
		     "transitions:\n  - {from: a, action: approve, to: b}\n"
		     "  - {from: a, action: approve, to: a}\n",
		     "w.yaml:10:", "已有转换", "already has a transition");
	expect_error(HEAD STATE_A STATE_B
		     "transitions:\n  - {from: a, action: approve, to: b, when: moon}\n",
		     "w.yaml:9:", "未知条件 “moon”", "unknown condition 'moon'");
	expect_error(HEAD STATE_A STATE_B "  c: {title: {zh: C, en: C}, role: employer}\n"
		     "transitions:\n  - {from: a, action: approve, to: b}\n",
		     "w.yaml:1:1:", "无法从 start 到达", "cannot be reached from start");
	expect_error(HEAD STATE_A STATE_B "  a2: {role: talent}\n"
		     "transitions:\n  - {from: a, action: approve, to: b}\n",
		     "w.yaml:", "title 应为 {zh, en}", "title must be {zh, en}");
	expect_error(HEAD STATE_A STATE_B "colour: red\n"
		     "transitions:\n  - {from: a, action: approve, to: b}\n",
		     "w.yaml:", "colour", "colour");
	expect_error("id: [unclosed\n", "w.yaml:", "YAML", "YAML");
}

/* ---- working days ---- */

struct fx {
	char path[64];
	struct store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (testdb_create(f->path, "wfcal", &f->st) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testdb_remove(f->path, f->st);
	free(f);
	return 0;
}

static void expect_deadline(struct store *st, const char *from, int n, const char *want)
{
	struct civil_date d, out;
	char got[11];
	assert_int_equal(date_parse(from, &d), 0);
	assert_int_equal(calendar_add_working_days(st, d, n, &out), TP_OK);
	date_format(out, got);
	if (strcmp(got, want) != 0)
		fail_msg("%d working days after %s: got %s, want %s", n, from, got, want);
}

static void test_working_days(void **state)
{
	struct fx *f = *state;
	/* an ordinary week: Mon 2026-11-23 + 5 → Mon 11-30 (the weekend skipped) */
	expect_deadline(f->st, "2026-11-23", 5, "2026-11-30");
	expect_deadline(f->st, "2026-11-23", 0, "2026-11-23");
	/* from a Friday: + 1 → Monday */
	expect_deadline(f->st, "2026-11-27", 1, "2026-11-30");
	/* 国庆: Wed 09-30 + 1 → 10-08 (10-01..10-07 off; 10-03/04 a weekend) */
	expect_deadline(f->st, "2026-09-30", 1, "2026-10-08");
	/* … + 3 → 10-10, a Saturday worked (调休) */
	expect_deadline(f->st, "2026-09-30", 3, "2026-10-10");
	/* 中秋 and 国庆 together (tests/api/test_applications.py): Mon 09-21 + 10 → 10-12 */
	expect_deadline(f->st, "2026-09-21", 10, "2026-10-12");
	/* 春节: Fri 02-13 + 1 → Sat 02-14 (调休 workday); + 2 → Tue 02-24 (02-16..02-23 off) */
	expect_deadline(f->st, "2026-02-13", 1, "2026-02-14");
	expect_deadline(f->st, "2026-02-13", 2, "2026-02-24");
	/* the office adds a holiday: the deadline moves */
	struct verrors ve;
	struct actor sys = actor_system();
	struct arena *a = arena_new();
	verr_init(&ve, a);
	expect_deadline(f->st, "2026-11-23", 5, "2026-11-30");
	assert_int_equal(calendar_set(f->st, &sys, "2026-11-25", "holiday", "测试", &ve), TP_OK);
	expect_deadline(f->st, "2026-11-23", 5, "2026-12-01");
	/* and a Saturday worked pulls it back */
	assert_int_equal(calendar_set(f->st, &sys, "2026-11-28", "workday", "测试调休", &ve), TP_OK);
	expect_deadline(f->st, "2026-11-23", 5, "2026-11-30");
	/* bad input changes nothing */
	assert_int_equal(calendar_set(f->st, &sys, "2026-02-30", "holiday", NULL, &ve),
			 TP_ERR_INVALID);
	assert_int_equal(calendar_set(f->st, &sys, "2026-11-26", "party", NULL, &ve),
			 TP_ERR_INVALID);
	expect_deadline(f->st, "2026-11-23", 5, "2026-11-30");
	/* today in China: 2026-11-26 16:00 UTC is already 11-27 there */
	char d[11];
	date_format(app_today(1795708800), d); /* 2026-11-26T16:00:00Z */
	assert_string_equal(d, "2026-11-27");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_workflow),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test_setup_teardown(test_working_days, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
