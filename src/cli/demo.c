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

/*
 * Runs `talentport demo`.  argv[0] is the command name ("demo"); options follow.
 * Returns the process exit status: 0 ok, 1 runtime failure, 2 usage error.
 */
int cmd_demo(int argc, char **argv);

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

/* Parses a decimal long in [lo, hi]. Returns 0 on success, -1 otherwise. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !end || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Parses a decimal uint64. Returns 0 on success, -1 otherwise. */
static int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || !end || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* Returns the value of option `name` at argv[*i] ("--name V" or "--name=V"), advancing *i
 * past a separate value; NULL if argv[*i] is not that option.  *missing is set when the
 * option is there without a value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

/* Removes path; a missing file is fine. Returns 0 or -1 (message printed). */
static int remove_file(const char *path)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	fprintf(stderr, "demo: cannot delete %s: %s\n", path, strerror(errno));
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
			fprintf(stderr, "demo: database path too long\n");
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

int cmd_demo(int argc, char **argv)
{
	const char *db = NULL;
	long talents = DEMO_CLI_TALENTS_DEFAULT, enterprises = 0;
	uint64_t seed = DEMO_CLI_SEED_DEFAULT;
	int force = 0;

	for (int i = 1; i < argc; i++) {
		const char *v;
		int missing = 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if ((v = opt_value(argc, argv, &i, "--db", &missing))) {
			if (!*v) {
				fprintf(stderr, "demo: --db needs a path\n");
				return 2;
			}
			db = v;
		} else if ((v = opt_value(argc, argv, &i, "--talents", &missing))) {
			if (parse_long(v, 1, DEMO_CLI_TALENTS_MAX, &talents) != 0) {
				fprintf(stderr,
					"demo: --talents must be a whole number in 1..%ld, "
					"not '%s'\n",
					DEMO_CLI_TALENTS_MAX, v);
				return 2;
			}
		} else if ((v = opt_value(argc, argv, &i, "--enterprises", &missing))) {
			if (parse_long(v, 1, DEMO_CLI_ENTERPRISES_MAX, &enterprises) != 0) {
				fprintf(stderr,
					"demo: --enterprises must be a whole number in 1..%ld, "
					"not '%s'\n",
					DEMO_CLI_ENTERPRISES_MAX, v);
				return 2;
			}
		} else if ((v = opt_value(argc, argv, &i, "--seed", &missing))) {
			if (parse_u64(v, &seed) != 0) {
				fprintf(stderr,
					"demo: --seed must be a whole number in "
					"0..18446744073709551615, not '%s'\n",
					v);
				return 2;
			}
		} else if (missing) {
			fprintf(stderr, "demo: %s needs a value\n", argv[i]);
			return 2;
		} else {
			fprintf(stderr, "demo: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!db) {
		const char *env = getenv("TALENTPORT_DB");
		db = env && *env ? env : "var/talentport.db";
	}
	struct civil_date today = date_today_shanghai();
	if (today.y < DEMO_YEAR_MIN || today.y > DEMO_YEAR_MAX) {
		fprintf(stderr, "demo: the clock says year %d; cannot date the demo facts\n",
			today.y);
		return 1;
	}
	if (force && remove_db(db) != 0)
		return 1;

	char err[512] = "";
	struct store *st = NULL;
	enum tp_rc rc = store_open(db, STORE_CREATE, &st, err, sizeof err);
	if (rc != TP_OK) {
		fprintf(stderr, "demo: %s\n", err[0] ? err : tp_rc_str(rc));
		return 1;
	}
	int applied = 0, version = 0;
	if ((rc = store_migrate(st, &applied, &version)) != TP_OK) {
		fprintf(stderr, "demo: migrating %s failed: %s\n", db, tp_rc_str(rc));
		store_close(st);
		return 1;
	}
	int64_t existing = 0;
	if ((rc = count_talents(st, &existing)) != TP_OK) {
		fprintf(stderr, "demo: reading %s failed: %s\n", db, tp_rc_str(rc));
		store_close(st);
		return 1;
	}
	if (existing > 0) {
		fprintf(stderr,
			"demo: %s already holds %lld talents; use --force to delete it and start "
			"over\n",
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
	store_close(st);
	if (rc != TP_OK) {
		if (p.tty)
			fputc('\n', stderr);
		fprintf(stderr, "demo: generating into %s failed: %s\n", db, tp_rc_str(rc));
		return 1;
	}
	printf("demo: %ld talents, %ld enterprises in %.1f s → %s\n", o.talents, o.enterprises,
	       dt, db);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "demo: cannot write to stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
