/*
 * payments.c — payment runs: creation and the state machine (domain/payments.h).  The
 * work over a run's lines is done by the durable jobs of payments_job.c; a transition here
 * changes the run's state, names the job and audits, in one transaction, then runs the job.
 *
 *   building ─(build job)→ draft ─submit→ submitted ─approve→ announced ─end→ approved
 *                                                      └────────approve────────┘
 *   approved ─export→ exported ─results (apply job)→ reconciled (every line has a result)
 *   draft | submitted ─cancel→ cancelled
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/password.h"
#include "core/verr.h"
#include "domain/accounts.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/payments.h"
#include "store/payments.h"

void pay_now(char out[24])
{
	time_t t = (time_t)tp_now();
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int payment_batch_size(void)
{
	const char *e = getenv("TALENTPORT_PAY_BATCH");
	long v = e ? strtol(e, NULL, 10) : 0;
	return v >= 1 && v <= 100000 ? (int)v : PAY_BATCH_DEFAULT;
}

/* "YYYY-MM" with a month 01..12. */
static int period_ok(const char *p)
{
	if (!p || strlen(p) != 7 || p[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (p[i] < '0' || p[i] > '9'))
			return 0;
	int y = (int)strtol(p, NULL, 10), m = (int)strtol(p + 5, NULL, 10);
	return y >= 2000 && y <= 2100 && m >= 1 && m <= 12;
}

/* The wrong-state answer: names the state and what the action needs. */
static enum tp_rc bad_state(struct store *st, int64_t id, const char *need, struct verrors *ve)
{
	struct arena *a = arena_new();
	struct payment_run r;
	enum tp_rc rc = a ? PAY_CALL(run_get, st, id, a, &r) : TP_ERR_NOMEM;
	if (rc == TP_OK) {
		if (r.job)
			verr_addf(ve, "state", "job_running", "付款批次正在执行“%s”，请稍后再试",
				  "the run's %s job is not finished yet; try again", r.job, r.job);
		else
			verr_addf(ve, "state", "invalid_transition",
				  "付款批次状态为 %s，此操作只允许在 %s 状态下进行",
				  "the run is %s; this action is allowed only when it is %s", r.state,
				  need, r.state, need);
		rc = TP_ERR_CONFLICT;
	}
	arena_free(a);
	return rc;
}

/* Moves run id by m (audited as action) and runs the job it names. */
static enum tp_rc move(struct store *st, const struct actor *who, int64_t id,
		       struct pay_move *m, const char *action, const char *extra,
		       struct verrors *ve)
{
	char at[24];
	pay_now(at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = PAY_CALL(run_move, st, id, m, at);
	if (rc == TP_OK)
		rc = audit_changef(st, who, action, "payment_run", id,
				   "{\"from\":\"%s\",\"to\":\"%s\"%s}", m->from, m->to,
				   extra ? extra : "");
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT)
		return bad_state(st, id, m->from, ve);
	if (rc != TP_OK)
		return rc;
	return m->job ? payment_job_run(st, id) : TP_OK;
}

/* Splits a comma-separated setting value into trimmed items (in a). */
static size_t split_list(struct arena *a, const char *v, const char **out, size_t max)
{
	size_t n = 0;
	char *s = v ? arena_strdup(a, v) : NULL;
	char *save = NULL;
	for (char *tok = s ? strtok_r(s, ", \t\n", &save) : NULL; tok && n < max;
	     tok = strtok_r(NULL, ", \t\n", &save))
		out[n++] = tok;
	return n;
}

/* 1 when a policy of run id is in the setting payments.announce. */
static enum tp_rc needs_announcement(struct store *st, struct arena *a, int64_t id, int *yes)
{
	*yes = 0;
	const char *v = NULL;
	enum tp_rc rc = STORE_CALL(setting_get, st, "payments.announce", a, &v);
	if (rc == TP_ERR_NOT_FOUND)
		return TP_OK;
	if (rc != TP_OK)
		return rc;
	const char *list[64];
	size_t nl = split_list(a, v, list, 64);
	const char **pol;
	size_t np;
	if ((rc = PAY_CALL(run_policies, st, id, a, &pol, &np)) != TP_OK)
		return rc;
	for (size_t i = 0; i < np; i++)
		for (size_t j = 0; j < nl; j++)
			if (strcmp(pol[i], list[j]) == 0)
				*yes = 1;
	return TP_OK;
}

enum tp_rc payment_run_create(struct store *st, const struct actor *who, const char *period,
			      int64_t *run_id, struct verrors *ve)
{
	*run_id = 0;
	if (!period_ok(period)) {
		verr_add(ve, "period", "period_format", "期间应为 YYYY-MM，如 2026-10",
			 "period must be YYYY-MM, such as 2026-10");
		return TP_ERR_INVALID;
	}
	/* a run killed midway is finished first: budgets are shared between runs */
	int resumed;
	enum tp_rc rc = payments_resume(st, &resumed);
	if (rc != TP_OK)
		return rc;
	int64_t confirmed = 0;
	if ((rc = entitlements_auto_confirm(st, who, period, &confirmed)) != TP_OK)
		return rc;
	char at[24];
	pay_now(at);
	struct payment_run r;
	memset(&r, 0, sizeof r);
	r.period = period;
	r.state = "building";
	r.job = "build";
	r.created_by = who->username && *who->username ? who->username : "system";
	r.created_by_id = who->user_id;
	r.created_at = at;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = PAY_CALL(run_insert, st, &r);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "payment_run.create", "payment_run", r.id,
				   "{\"period\":\"%s\",\"auto_confirmed\":%lld}", period,
				   (long long)confirmed);
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT) { /* payment_runs_one_build: another process is building */
		verr_add(ve, "period", "run_building", "另一个付款批次正在生成，请稍后再试",
			 "another payment run is being built; try again when it is done");
		return TP_ERR_CONFLICT;
	}
	if (rc != TP_OK)
		return rc;
	*run_id = r.id;
	return payment_job_run(st, r.id);
}

enum tp_rc payment_run_submit(struct store *st, const struct actor *who, int64_t id,
			      struct verrors *ve)
{
	struct pay_move m = {.from = "draft", .to = "submitted", .who = 1,
			     .by = who->username, .by_id = who->user_id, .announce = -1};
	return move(st, who, id, &m, "payment_run.submit", NULL, ve);
}

/* 1 when u is the same person as (name, id). */
static int same_person(const struct actor *who, const char *name, int64_t id)
{
	if (who->user_id && id && who->user_id == id)
		return 1;
	return name && who->username && strcasecmp(name, who->username) == 0;
}

enum tp_rc payment_run_approve(struct store *st, const struct actor *who, int64_t id,
			       const char *password, struct verrors *ve)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct payment_run r;
	enum tp_rc rc = PAY_CALL(run_get, st, id, a, &r);
	if (rc != TP_OK)
		goto out;
	/* four eyes (ASVS 4.3.3): whoever prepared or submitted the run does not approve it */
	if (same_person(who, r.created_by, r.created_by_id) ||
	    same_person(who, r.submitted_by, r.submitted_by_id)) {
		verr_add(ve, "approver", "four_eyes",
			 "审批人不能是付款批次的制单人或提交人（四眼原则）",
			 "the approver must be neither the preparer nor the submitter of the run "
			 "(four eyes)");
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		audit_append(st, who, "payment_run.approve", "payment_run", oid, "denied",
			     "four_eyes", "", 0);
		rc = TP_ERR_CONFLICT;
		goto out;
	}
	/* re-authentication (ASVS 3.7.1): the approver's own password */
	struct user u;
	rc = who->user_id ? STORE_CALL(user_get, st, who->user_id, NULL, a, &u) : TP_ERR_NOT_FOUND;
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		goto out;
	if (rc != TP_OK || u.disabled || !password || password_verify(u.password_phc, password) != 0) {
		if (rc != TP_OK)
			password_verify_dummy(password ? password : "");
		verr_add(ve, "password", "reauthentication_failed",
			 "密码不正确：审批付款需要重新输入本人密码",
			 "wrong password: approving a payment run needs the approver's password");
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		audit_append(st, who, "payment_run.approve", "payment_run", oid, "denied",
			     "reauthentication_failed", "", 0);
		rc = TP_ERR_INVALID;
		goto out;
	}
	int announce;
	if ((rc = needs_announcement(st, a, id, &announce)) != TP_OK)
		goto out;
	struct pay_move m = {.from = "submitted", .to = announce ? "announced" : "approved",
			     .job = "approve", .who = 2, .by = who->username, .by_id = who->user_id,
			     .announce = announce};
	rc = move(st, who, id, &m, "payment_run.approve", NULL, ve);
out:
	arena_free(a);
	return rc;
}

enum tp_rc payment_run_announcement_end(struct store *st, const struct actor *who, int64_t id,
					struct verrors *ve)
{
	struct pay_move m = {.from = "announced", .to = "approved", .announce = -1};
	return move(st, who, id, &m, "payment_run.announcement_end", NULL, ve);
}

enum tp_rc payment_run_mark_exported(struct store *st, const struct actor *who, int64_t id,
				     struct verrors *ve)
{
	struct pay_move m = {.from = "approved", .to = "exported", .job = "export",
			     .announce = -1};
	enum tp_rc rc = move(st, who, id, &m, "payment_run.export", NULL, ve);
	if (rc == TP_ERR_CONFLICT && ve->n && strcmp(ve->v[ve->n - 1].code, "invalid_transition") == 0) {
		/* exported already (a second download of the bank file): nothing changes */
		struct arena *a = arena_new();
		struct payment_run r;
		if (a && PAY_CALL(run_get, st, id, a, &r) == TP_OK && !r.job &&
		    strcmp(r.state, "exported") == 0) {
			ve->n--;
			rc = TP_OK;
		}
		arena_free(a);
	}
	return rc;
}

enum tp_rc payment_run_cancel(struct store *st, const struct actor *who, int64_t id,
			      const char *reason, struct verrors *ve)
{
	if (!reason || !*reason || strlen(reason) > 500) {
		verr_add(ve, "reason", "reason_required", "取消付款批次须说明理由（不超过 500 字节）",
			 "cancelling a run needs a reason (at most 500 bytes)");
		return TP_ERR_INVALID;
	}
	struct pay_move m = {.from = "draft", .to = "cancelled", .job = "cancel",
			     .reason = reason, .announce = -1};
	enum tp_rc rc = move(st, who, id, &m, "payment_run.cancel", NULL, ve);
	if (rc == TP_ERR_CONFLICT && ve->n &&
	    strcmp(ve->v[ve->n - 1].code, "invalid_transition") == 0) {
		ve->n--;
		m.from = "submitted";
		rc = move(st, who, id, &m, "payment_run.cancel", NULL, ve);
		if (rc == TP_ERR_CONFLICT && ve->n &&
		    strcmp(ve->v[ve->n - 1].code, "invalid_transition") == 0) {
			ve->n--;
			return bad_state(st, id, "draft / submitted", ve);
		}
	}
	return rc;
}

enum tp_rc payment_run_apply_results(struct store *st, const struct actor *who, int64_t run_id,
				     const struct pay_result *results, size_t n,
				     int64_t *replayed, struct verrors *ve)
{
	int64_t same_n = 0;
	if (replayed)
		*replayed = 0;
	char at[24];
	pay_now(at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct pay_move m = {.from = "exported", .to = "exported", .job = "apply",
			     .announce = -1};
	/* the run must be exported with no job running: claimed first, in this transaction */
	rc = PAY_CALL(run_move, st, run_id, &m, at);
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		if (!results[i].paid && (!results[i].reason || !*results[i].reason)) {
			verr_addf(ve, "results", "reason_required",
				  "第 %zu 项：失败的付款须给出银行的原因",
				  "item %zu: a failed line needs the bank's reason", i, i);
			rc = TP_ERR_INVALID;
			break;
		}
		int same;
		rc = PAY_CALL(line_result, st, run_id, &results[i], at, &same);
		if (rc == TP_ERR_NOT_FOUND || rc == TP_ERR_CONFLICT) {
			if (rc == TP_ERR_NOT_FOUND)
				verr_addf(ve, "results", "line_unmatched",
					  "第 %zu 项：付款行 %lld 不属于此批次或未导出",
					  "item %zu: line %lld is not an exported line of this run", i,
					  (long long)results[i].line_id, i,
					  (long long)results[i].line_id);
			else
				verr_addf(ve, "results", "result_differs",
					  "第 %zu 项：付款行 %lld 已有不同的结果",
					  "item %zu: line %lld already has another result", i,
					  (long long)results[i].line_id, i,
					  (long long)results[i].line_id);
			rc = TP_ERR_INVALID;
			break;
		}
		same_n += same;
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "payment_run.results", "payment_run", run_id,
				   "{\"results\":%zu,\"replayed\":%lld}", n, (long long)same_n);
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT)
		return bad_state(st, run_id, "exported", ve);
	if (rc != TP_OK)
		return rc;
	if (replayed)
		*replayed = same_n;
	return payment_job_run(st, run_id);
}

enum tp_rc payments_resume(struct store *st, int *resumed)
{
	int64_t ids[64];
	size_t n;
	*resumed = 0;
	enum tp_rc rc = PAY_CALL(run_jobs, st, ids, 64, &n);
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		tp_log(LOG_INFO, "payment run job resumed", json_pack("{s:I}", "run", (json_int_t)ids[i]));
		rc = payment_job_run(st, ids[i]);
		(*resumed)++;
	}
	return rc;
}

enum tp_rc payment_run_get(struct store *st, int64_t id, struct arena *a, struct payment_run *out)
{
	return PAY_CALL(run_get, st, id, a, out);
}

enum tp_rc payment_run_list(struct store *st, struct arena *a, struct payment_run **out, size_t *n)
{
	return PAY_CALL(run_list, st, a, out, n);
}

enum tp_rc payment_run_lines(struct store *st, int64_t run_id, int64_t after_id, int limit,
			     struct arena *a, struct pay_line **out, size_t *n)
{
	return PAY_CALL(lines_after, st, run_id, NULL, 0, after_id, limit, a, out, n);
}

enum tp_rc payment_run_offsets(struct store *st, int64_t run_id, int64_t first_line,
			       int64_t last_line, struct arena *a, struct pay_offset **out,
			       size_t *n)
{
	return PAY_CALL(offsets_of, st, run_id, first_line, last_line, a, out, n);
}

enum tp_rc ledger_check(struct store *st, struct ledger_report *rep)
{
	return PAY_CALL(ledger_check, st, rep);
}
