/*
 * demo.c — `talentport demo`: fills a database with the deterministic demo data set.
 *
 *   talentport demo [--db PATH] [--talents N] [--enterprises N] [--seed N] [--force]
 *
 * Exit status: 0 done, 1 runtime failure (including a database that already
 * holds talents without --force), 2 usage error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/idcard.h"
#include "core/arena.h"
#include "core/clock.h"
#include "domain/apprentices.h"
#include "domain/accounts.h"
#include "domain/workflow.h"
#include "domain/audit.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/rc.h"
#include "domain/demo.h"
#include "domain/registry.h"
#include "store/store.h"

#define DEMO_CLI_TALENTS_MAX 2000000L
#define DEMO_CLI_TALENTS_DEFAULT 10000L
#define DEMO_CLI_ENTERPRISES_MAX 100000L
#define DEMO_CLI_SEED_DEFAULT 1ULL

static const char usage_text[] =
	"usage: talentport demo [--db PATH] [--talents N] [--enterprises N] [--seed N] [--force]\n"
	"\n"
	"Fills the database with a deterministic demo data set: enterprises of Jinjiang,\n"
	"talents with their educations, employment histories and yearly facts.\n"
	"The same seed and sizes always give the same data.\n"
	"用演示数据填充数据库（相同的种子和规模总是生成相同的数据）。\n"
	"\n"
	"  --db PATH          the SQLite file (default: $TALENTPORT_DB, else var/talentport.db)\n"
	"  --talents N        number of talents, 1..2000000 (default 10000)\n"
	"  --enterprises N    number of enterprises, 1..100000 (default 500, or talents/20\n"
	"                     above 10000 talents, at most 20000)\n"
	"  --seed N           the random seed, 0..18446744073709551615 (default 1)\n"
	"  --force            delete the database file (and its -wal and -shm files) first\n"
	"  --help             show this text\n"
	"\n"
	"Refuses to run on a database that already holds talents unless --force is given.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

/* Parses a decimal uint64 for option opt. Returns 0, or -1 after printing an error. */
static int parse_u64(const char *opt, const char *s, uint64_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = (s && *s >= '0' && *s <= '9') ? strtoull(s, &end, 10) : 0;
	if (!s || !end || errno || *end) {
		fprintf(stderr,
			"talentport: %s must be an integer in 0..18446744073709551615 "
			"(got '%s')\n",
			opt, s ? s : "");
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

/* Removes path; a missing file is fine. Returns 0 or -1 (message printed). */
static int remove_file(const char *path)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	fprintf(stderr, "talentport demo: cannot delete %s: %s\n", path, strerror(errno));
	return -1;
}

/* Deletes the database file and its WAL and shared-memory files. */
static int remove_db(const char *path)
{
	char aux[4096];
	if (remove_file(path) != 0)
		return -1;
	static const char *const suffix[] = {"-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		int n = snprintf(aux, sizeof aux, "%s%s", path, suffix[i]);
		if (n < 0 || (size_t)n >= sizeof aux) {
			fprintf(stderr, "talentport demo: database path too long\n");
			return -1;
		}
		if (remove_file(aux) != 0)
			return -1;
	}
	return 0;
}

struct progress {
	int tty;
	int last_pct;
	const char *last_phase;
};

static void on_progress(void *ctx, const char *phase, long done, long total)
{
	struct progress *p = ctx;
	if (!p->tty || total <= 0)
		return;
	int pct = (int)(done * 100 / total);
	int same = p->last_phase && strcmp(p->last_phase, phase) == 0;
	if (same && pct == p->last_pct && done != total)
		return;
	p->last_phase = phase;
	p->last_pct = pct;
	fprintf(stderr, "\rdemo: %-11s %8ld / %ld (%3d%%)", phase, done, total, pct);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static double now_s(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sets *n to the number of talents in the store. */
static enum tp_rc count_talents(struct store *st, int64_t *n)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 1;
	struct talent_page page;
	memset(&page, 0, sizeof page);
	enum tp_rc rc = STORE_CALL(talent_list, st, &q, a, &page);
	*n = page.total;
	arena_free(a);
	return rc;
}

/*
 * Three apprentices of enterprise eid (企业新型学徒制), so the employer's training-subsidy
 * pages have something to show: one enrolled this spring, one advanced who has completed,
 * one enrolled in the autumn.  Registered like any (sealed ID numbers, audited); an earlier
 * run's are kept.
 */
static enum tp_rc demo_apprentices(struct store *st, int64_t eid, struct arena *a)
{
	static const struct {
		const char *name, *first17, *level, *enrolled, *completed;
	} rows[] = {
		{"陈晓东", "35058220040312071", "intermediate", "2026-03-01", NULL},
		{"黄丽君", "35058220031105082", "advanced", "2025-09-01", "2026-07-15"},
		{"许志强", "35058220050618093", "intermediate", "2026-09-01", NULL},
	};
	struct actor sys = actor_system();
	enum tp_rc rc = TP_OK;
	for (size_t i = 0; rc == TP_OK && i < sizeof rows / sizeof rows[0]; i++) {
		char idn[19];
		snprintf(idn, sizeof idn, "%s%c", rows[i].first17, idcard_check_char(rows[i].first17));
		struct apprentice ap = {.enterprise_id = eid, .name = rows[i].name, .id_number = idn,
					.level = rows[i].level, .enrolled_on = rows[i].enrolled,
					.completed_on = rows[i].completed};
		struct verrors ve;
		verr_init(&ve, a);
		rc = apprentice_create(st, &sys, &ap, &ve);
		if (rc == TP_ERR_CONFLICT)
			rc = TP_OK; /* kept from an earlier run */
	}
	return rc;
}

/*
 * One account per role, bound to the first records, with generated one-time passwords
 * printed once (there are no default passwords).  The liaison is linked to the first
 * 20 talents; the town reviewer and the liaison work in talent 1's town.
 */
static enum tp_rc demo_accounts(struct store *st, long talents)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct talent t1;
	enum tp_rc rc = talents > 0 ? STORE_CALL(talent_get, st, 1, a, &t1) : TP_ERR_NOT_FOUND;
	if (rc != TP_OK) {
		arena_free(a);
		return rc == TP_ERR_NOT_FOUND ? TP_OK : rc;
	}
	struct actor sys = actor_system();
	(void)audit_append(st, &sys, "demo.generate", "database", "", "ok", "", NULL, 0);
	static const struct {
		const char *username, *name;
		enum role role;
	} accounts[] = {
		{"admin", "系统管理员", ROLE_ADMIN},
		{"office", "人才办审核员", ROLE_OFFICE_REVIEWER},
		{"town", "镇街审核员", ROLE_TOWN_REVIEWER},
		{"liaison", "帮办专员", ROLE_LIAISON},
		{"finance", "财政审核员", ROLE_FINANCE},
		{"auditor", "审计员", ROLE_AUDITOR},
		{"expert", "评审专家", ROLE_EXPERT},
		{"employer", "企业人事", ROLE_EMPLOYER},
		{"talent", NULL, ROLE_TALENT},
	};
	printf("demo accounts (one-time passwords: change at first login; admin also enrols TOTP)\n"
	       "演示账号（一次性密码，首次登录须修改；管理员还须绑定动态口令）：\n");
	for (size_t i = 0; rc == TP_OK && i < sizeof accounts / sizeof accounts[0]; i++) {
		struct user u;
		memset(&u, 0, sizeof u);
		u.username = accounts[i].username;
		u.display_name = accounts[i].name ? accounts[i].name : t1.name;
		u.role = accounts[i].role;
		u.department = "";
		if (u.role == ROLE_TOWN_REVIEWER || u.role == ROLE_LIAISON) {
			u.towns[0] = t1.town;
			u.ntowns = 1;
		}
		if (u.role == ROLE_OFFICE_REVIEWER)
			u.unmask = 1;
		if (u.role == ROLE_EMPLOYER)
			u.enterprise_id = t1.enterprise_id ? t1.enterprise_id : 1;
		if (u.role == ROLE_TALENT)
			u.talent_id = 1;
		struct verrors ve;
		verr_init(&ve, a);
		char pw[24];
		rc = account_create(st, &sys, &u, NULL, pw, tp_now(), &ve);
		if (rc == TP_OK)
			printf("  %-10s %-16s %s\n", u.username, role_name(u.role), pw);
		else if (rc == TP_ERR_CONFLICT)
			rc = TP_OK; /* kept from an earlier run */
		if (rc == TP_OK && u.role == ROLE_LIAISON && u.id)
			for (int64_t tid = 1; rc == TP_OK && tid <= 20 && tid <= talents; tid++)
				rc = account_link_talent(st, &sys, u.id, tid, 1);
	}
	if (rc == TP_OK)
		rc = demo_applications(st, t1.town, tp_now());
	if (rc == TP_OK)
		rc = demo_apprentices(st, t1.enterprise_id ? t1.enterprise_id : 1, a);
	arena_free(a);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	const char *db = NULL;
	long talents = DEMO_CLI_TALENTS_DEFAULT, enterprises = 0;
	uint64_t seed = DEMO_CLI_SEED_DEFAULT;
	int force = 0;

	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) != 0) {
			if (r < 0)
				return 2;
			if (!*db) {
				fprintf(stderr, "talentport demo: --db needs a path\n");
				return 2;
			}
		} else if ((r = cli_opt_value(argc, argv, &i, "--talents", &v)) != 0) {
			if (r < 0 || cli_parse_long("--talents", v, 1, DEMO_CLI_TALENTS_MAX,
						    &talents) != 0)
				return 2;
		} else if ((r = cli_opt_value(argc, argv, &i, "--enterprises", &v)) != 0) {
			if (r < 0 || cli_parse_long("--enterprises", v, 1,
						    DEMO_CLI_ENTERPRISES_MAX, &enterprises) != 0)
				return 2;
		} else if ((r = cli_opt_value(argc, argv, &i, "--seed", &v)) != 0) {
			if (r < 0 || parse_u64("--seed", v, &seed) != 0)
				return 2;
		} else {
			fprintf(stderr, "talentport demo: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	db = cli_db_path(db);
	struct civil_date today = date_today_shanghai();
	if (today.y < DEMO_YEAR_MIN || today.y > DEMO_YEAR_MAX) {
		fprintf(stderr,
			"talentport demo: the clock says year %d; cannot date the demo facts\n",
			today.y);
		return 1;
	}
	if (force && remove_db(db) != 0)
		return 1;

	char err[512] = "";
	struct store *st = NULL;
	enum tp_rc rc = store_open(db, STORE_CREATE, &st, err, sizeof err);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport demo: %s\n", err[0] ? err : tp_rc_str(rc));
		return 1;
	}
	int applied = 0, version = 0;
	if ((rc = store_migrate(st, &applied, &version)) != TP_OK) {
		fprintf(stderr, "talentport demo: migrating %s failed: %s\n", db, tp_rc_str(rc));
		store_close(st);
		return 1;
	}
	int64_t existing = 0;
	if ((rc = count_talents(st, &existing)) != TP_OK) {
		fprintf(stderr, "talentport demo: reading %s failed: %s\n", db, tp_rc_str(rc));
		store_close(st);
		return 1;
	}
	if (existing > 0) {
		fprintf(stderr,
			"talentport demo: %s already holds %lld talents; "
			"use --force to delete it and start over\n",
			db, (long long)existing);
		store_close(st);
		return 1;
	}

	struct demo_opts o = {
		.seed = seed,
		.talents = talents,
		.enterprises = enterprises ? enterprises : demo_default_enterprises(talents),
		.year = today.y,
	};
	struct progress p = {.tty = isatty(STDERR_FILENO), .last_pct = -1, .last_phase = NULL};
	double t0 = now_s();
	rc = demo_generate(st, &o, on_progress, &p);
	double dt = now_s() - t0;
	char wf_buf[2200];
	int have_wf = workflows_load(workflows_default_dir(wf_buf, sizeof wf_buf), stderr) == 0;
	if (!have_wf)
		fprintf(stderr, "talentport demo: no workflows: the demo has no applications\n");
	if (rc == TP_OK)
		rc = demo_accounts(st, o.talents);
	workflows_free();
	store_close(st);
	if (rc != TP_OK) {
		if (p.tty)
			fputc('\n', stderr);
		fprintf(stderr, "talentport demo: generating into %s failed: %s\n", db,
			tp_rc_str(rc));
		return 1;
	}
	printf("demo: %ld talents, %ld enterprises in %.1f s → %s\n", o.talents, o.enterprises,
	       dt, db);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "talentport demo: cannot write to stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
