/*
 * policy.c — `talentport policy check|eval|explain|run`: load and check a pack,
 * evaluate one facts document for a year, explain one entitlement
 * (default-pack.md, "The contract of talentport policy eval"), evaluate the whole
 * population of a database and store its entitlements (domain/policy_run.h).
 * Exit status: 0 ok; 1 a pack with errors or a failure; 2 usage or bad facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "domain/policy_run.h"
#include "policy/policy.h"
#include "store/store.h"

#define DEFAULT_PACK "policies/jinjiang"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: talentport policy check [--pack DIR]\n"
		    "       talentport policy eval [--pack DIR] --facts FILE --period Y [--all]\n"
		    "       talentport policy explain [--pack DIR] --facts FILE --period Y --policy ID\n"
		    "                                 [--item ID] [--instalment N] [--lang zh|en]\n"
		    "       talentport policy run --period Y [--db PATH] [--pack DIR] [--threads N]\n"
		    "  检查策略包、计算某人某年的待遇、解释一项待遇、为全体人才计算并保存待遇 /\n"
		    "  check a policy pack, evaluate entitlements for a year, explain one entitlement,\n"
		    "  evaluate everyone in the database and store the pending entitlements\n");
}

static struct pol_pack *load(const char *dir, int quiet_ok)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	(void)quiet_ok;
	if (pol_pack_load(dir, &pk, &errs) != 0) {
		int n = pol_errors_count(errs);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "%s\n", pol_errors_get(errs, i));
		if (n == 0)
			fprintf(stderr, "talentport policy: cannot load %s\n", dir);
		else
			fprintf(stderr, "%d 个错误 / %d error%s\n", n, n, n == 1 ? "" : "s");
		pol_errors_free(errs);
		return NULL;
	}
	return pk;
}

struct opts {
	const char *pack, *facts, *period, *policy, *item, *lang;
	long instalment;
	int all;
};

static int parse(int argc, char **argv, struct opts *o, int allow_explain, int allow_eval)
{
	memset(o, 0, sizeof(*o));
	o->pack = DEFAULT_PACK;
	o->lang = "zh";
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt_value(argc, argv, &i, "--pack", &v)) != 0) {
			if (r < 0)
				return -1;
			o->pack = v;
		} else if (allow_eval && (r = cli_opt_value(argc, argv, &i, "--facts", &v)) != 0) {
			if (r < 0)
				return -1;
			o->facts = v;
		} else if (allow_eval && (r = cli_opt_value(argc, argv, &i, "--period", &v)) != 0) {
			if (r < 0)
				return -1;
			o->period = v;
		} else if (allow_eval && !allow_explain && strcmp(argv[i], "--all") == 0) {
			o->all = 1;
		} else if (allow_explain && (r = cli_opt_value(argc, argv, &i, "--policy", &v)) != 0) {
			if (r < 0)
				return -1;
			o->policy = v;
		} else if (allow_explain && (r = cli_opt_value(argc, argv, &i, "--item", &v)) != 0) {
			if (r < 0)
				return -1;
			o->item = v;
		} else if (allow_explain && (r = cli_opt_value(argc, argv, &i, "--lang", &v)) != 0) {
			if (r < 0)
				return -1;
			if (strcmp(v, "zh") != 0 && strcmp(v, "en") != 0) {
				fprintf(stderr, "talentport policy: --lang must be zh or en\n");
				return -1;
			}
			o->lang = v;
		} else if (allow_explain && (r = cli_opt_value(argc, argv, &i, "--instalment", &v)) != 0) {
			if (r < 0 || cli_parse_long("--instalment", v, 1, 99, &o->instalment))
				return -1;
		} else {
			fprintf(stderr, "talentport policy: unexpected argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (allow_eval && (!o->facts || !o->period)) {
		fprintf(stderr, "talentport policy: --facts and --period are required\n");
		return -1;
	}
	if (allow_explain && !o->policy) {
		fprintf(stderr, "talentport policy: --policy is required\n");
		return -1;
	}
	return 0;
}

/* "2026" (or, for explain, "2026-03") */
static int parse_period(const char *s, int allow_month, int *year, int *month)
{
	char *end;
	long y = strtol(s, &end, 10);

	*month = 0;
	if (end - s != 4 || y < 1 || y > 9999)
		return -1;
	*year = (int)y;
	if (*end == '\0')
		return 0;
	if (!allow_month || *end != '-')
		return -1;
	const char *ms = end + 1;
	long m = strtol(ms, &end, 10);
	if (end - ms != 2 || *end || m < 1 || m > 12)
		return -1;
	*month = (int)m;
	return 0;
}

static struct pol_facts *read_facts(const struct pol_pack *pk, const char *file)
{
	json_error_t je;
	json_t *doc = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	char err[512];
	struct pol_facts *f;

	if (!doc) {
		fprintf(stderr, "talentport policy: %s:%d:%d: %s\n", file, je.line, je.column, je.text);
		return NULL;
	}
	f = pol_facts_from_json(pk, doc, err, sizeof(err));
	json_decref(doc);
	if (!f)
		fprintf(stderr, "talentport policy: bad facts: %s\n", err);
	return f;
}

static int cmd_check(int argc, char **argv)
{
	struct opts o;
	struct pol_pack *pk;

	if (parse(argc, argv, &o, 0, 0))
		return 2;
	if (!(pk = load(o.pack, 0)))
		return 1;
	printf("%s: %s, %d policies, no errors / 策略包无错误\n", o.pack, pol_pack_id(pk), pol_pack_npolicies(pk));
	pol_pack_free(pk);
	return 0;
}

static int cmd_eval_or_explain(int argc, char **argv, int explain)
{
	struct opts o;
	struct pol_pack *pk;
	struct pol_facts *f;
	int year, month, rc = 0;
	char *out;

	if (parse(argc, argv, &o, explain, 1))
		return 2;
	if (parse_period(o.period, explain, &year, &month)) {
		fprintf(stderr, "talentport policy: --period must be a year YYYY%s\n", explain ? " or YYYY-MM" : "");
		return 2;
	}
	if (!(pk = load(o.pack, 1)))
		return 1;
	if (!(f = read_facts(pk, o.facts))) {
		pol_pack_free(pk);
		return 2;
	}
	if (!explain) {
		out = pol_eval_json(pk, f, year, o.all);
		if (!out) {
			fprintf(stderr, "talentport policy: out of memory\n");
			rc = 1;
		}
	} else {
		struct pol_select sel = {o.policy, o.item, (int)o.instalment, month};
		int notfound = 0;
		out = pol_explain_text(pk, f, year, &sel, o.lang, &notfound);
		if (!out) {
			fprintf(stderr, notfound ? "talentport policy: no entitlement of %s in %s for these facts\n"
						 : "talentport policy: out of memory (%s, %s)\n",
				o.policy, o.period);
			rc = 1;
		}
	}
	if (out)
		fputs(out, stdout);
	free(out);
	pol_facts_free(f);
	pol_pack_free(pk);
	return rc;
}

/* `policy run`: progress on stderr when it is a terminal (as `demo` shows it). */
struct run_progress {
	int tty, last_pct;
	const char *last_phase;
};

static void run_progress(void *ctx, const char *phase, long done, long total)
{
	struct run_progress *p = ctx;
	int pct = total > 0 ? (int)(done * 100 / total) : 0;

	if (!p->tty || (p->last_phase && strcmp(p->last_phase, phase) == 0 && pct == p->last_pct &&
			done != total))
		return;
	if (p->last_phase && strcmp(p->last_phase, phase) != 0)
		fputc('\n', stderr);
	p->last_phase = phase;
	p->last_pct = pct;
	if (strcmp(phase, "load") == 0)
		fprintf(stderr, "\rpolicy run: loading the facts …");
	else if (strcmp(phase, "write") == 0)
		fprintf(stderr, "\rpolicy run: writing %ld entitlements%s", total,
			done == total ? ", done" : " …");
	else
		fprintf(stderr, "\rpolicy run: %-9s %8ld / %ld talents (%3d%%)", phase, done, total, pct);
	fflush(stderr);
}

static int cmd_run(int argc, char **argv)
{
	const char *db = NULL, *pack = DEFAULT_PACK, *period = NULL, *v = NULL;
	long threads = 0;
	int year, month, r;

	for (int i = 1; i < argc; i++) {
		if ((r = cli_opt_value(argc, argv, &i, "--db", &v)) != 0) {
			if (r < 0)
				return 2;
			db = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--pack", &v)) != 0) {
			if (r < 0)
				return 2;
			pack = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--period", &v)) != 0) {
			if (r < 0)
				return 2;
			period = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--threads", &v)) != 0) {
			if (r < 0 || cli_parse_long("--threads", v, 1, POLICY_RUN_MAX_THREADS, &threads))
				return 2;
		} else {
			fprintf(stderr, "talentport policy: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!period || parse_period(period, 0, &year, &month)) {
		fprintf(stderr, "talentport policy: --period must be a year YYYY\n");
		return 2;
	}

	char err[512];
	struct store *st = NULL;
	int applied, version;
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport policy: %s\n", err);
		return 1;
	}
	if (store_migrate(st, &applied, &version) != TP_OK) {
		fprintf(stderr, "talentport policy: migration failed\n");
		store_close(st);
		return 1;
	}
	struct run_progress p = {isatty(STDERR_FILENO), -1, NULL};
	struct policy_run_opts o = {pack, year, (int)threads, run_progress, &p, NULL, NULL};
	struct policy_run_result *res = malloc(sizeof(*res));
	if (!res) {
		fprintf(stderr, "talentport policy: out of memory\n");
		store_close(st);
		return 1;
	}
	enum tp_rc rc = policy_run(st, &o, res);
	store_close(st);
	if (p.tty && p.last_phase)
		fputc('\n', stderr);
	for (int i = 0; i < res->nbad; i++)
		fprintf(stderr, "talentport policy: skipped (bad facts / 事实有误) %s\n", res->bad[i]);
	if (res->run.skipped > res->nbad)
		fprintf(stderr, "talentport policy: … %lld skipped in all\n", (long long)res->run.skipped);
	if (rc != TP_OK) {
		fprintf(stderr, "%s\n", res->err);
		if (rc == TP_ERR_INVALID && strchr(res->err, '\n'))
			fprintf(stderr, "策略包有错误 / the pack has errors\n");
		fprintf(stderr, "talentport policy: run failed (%s); nothing was replaced\n", tp_rc_str(rc));
		free(res);
		return 1;
	}
	const struct policy_run *run = &res->run;
	printf("policy run %lld: period %d, pack %s, %lld talents, %lld enterprises, %lld skipped; "
	       "%lld entitlements (%lld pending, %lld excluded, %lld kept); total %lld fen; "
	       "%d threads, %.2f s (load %.2f, evaluate %.2f, write %.2f)\n",
	       (long long)run->id, run->period, run->pack_id, (long long)run->talents,
	       (long long)run->enterprises, (long long)run->skipped, (long long)run->entitlements,
	       (long long)run->pending, (long long)run->excluded, (long long)run->kept,
	       (long long)run->total_fen, res->threads, res->seconds, res->load_s, res->eval_s,
	       res->write_s);
	free(res);
	return fflush(stdout) == 0 ? 0 : 1;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (argc > 2 && cli_is_help(argv[2])) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "eval") == 0)
		return cmd_eval_or_explain(argc - 1, argv + 1, 0);
	if (strcmp(argv[1], "explain") == 0)
		return cmd_eval_or_explain(argc - 1, argv + 1, 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "talentport policy: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
