/*
 * standard.c — `talentport standard check|propose|facts`: load and check the identification
 * standard (policies/jinjiang/standard, a pack of kind: standard); propose the tier a facts
 * document — or a stored talent and the claims made — supports on a date, with the matched
 * criteria and why (policy/standard.h); print a stored talent's standard facts
 * (domain/standard_facts.h).
 * Exit status: 0 ok; 1 a pack with errors or a failure; 2 usage or bad facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/date.h"
#include "domain/standard_facts.h"
#include "policy/standard.h"
#include "store/store.h"

#define DEFAULT_STANDARD "policies/jinjiang/standard"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: talentport standard check [--pack DIR]\n"
		    "       talentport standard propose [--pack DIR] --facts FILE [--on YYYY-MM-DD]\n"
		    "                                   [--lang zh|en]\n"
		    "       talentport standard propose [--pack DIR] --talent ID [--db PATH]\n"
		    "                                   [--claims '[\"academician\", …]'] [--on …] [--lang …]\n"
		    "       talentport standard facts --talent ID [--db PATH] [--claims JSON] [--on …]\n"
		    "  检查人才认定标准；按事实（或人才库中的人才及其申报）建议人才层次（JSON；给出 --lang 时\n"
		    "  输出可读的说明）；显示人才库中某人才的认定事实 /\n"
		    "  check the identification standard; propose the tier a facts document (or a stored\n"
		    "  talent and the claims made) supports on a date (default today, Asia/Shanghai) as JSON,\n"
		    "  or with --lang as a text for people; print a stored talent's standard facts\n");
}

/* Loads dir, printing every error; NULL on errors or when it is not a standard pack. */
static struct pol_pack *load(const char *dir)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	if (pol_pack_load(dir, &pk, &errs) != 0) {
		int n = pol_errors_count(errs);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "%s\n", pol_errors_get(errs, i));
		if (n == 0)
			fprintf(stderr, "talentport standard: cannot load %s\n", dir);
		else
			fprintf(stderr, "%d 个错误 / %d error%s\n", n, n, n == 1 ? "" : "s");
		pol_errors_free(errs);
		return NULL;
	}
	if (!pol_pack_is_standard(pk)) {
		fprintf(stderr, "%s/pack.yaml: 不是认定标准包（需要 kind: standard） / "
				"not an identification standard (needs kind: standard)\n", dir);
		pol_pack_free(pk);
		return NULL;
	}
	return pk;
}

static int cmd_check(int argc, char **argv)
{
	const char *pack = DEFAULT_STANDARD, *v;
	struct pol_pack *pk;
	int r;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--pack", &v)) != 0) {
			if (r < 0)
				return 2;
			pack = v;
		} else {
			fprintf(stderr, "talentport standard: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!(pk = load(pack)))
		return 1;
	printf("%s: %s, %d tiers, no errors / 认定标准无错误\n", pack, pol_pack_id(pk), pol_pack_npolicies(pk));
	pol_pack_free(pk);
	return 0;
}

/* The standard facts of stored talent `talent` with the claims (JSON text, or NULL); NULL
 * after printing why.  *rc is the exit status then. */
static json_t *talent_facts(const char *db, const char *talent, const char *claims_text,
			    const char *on, int *rc)
{
	char err[512];
	long id;
	json_t *claims = NULL, *doc = NULL;
	struct store *st = NULL;
	struct arena *a = NULL;
	int applied, version;

	*rc = 2;
	if (cli_parse_long("--talent", talent, 1, 0x7fffffffL, &id))
		return NULL;
	if (claims_text) {
		json_error_t je;
		if (!(claims = json_loads(claims_text, 0, &je))) {
			fprintf(stderr, "talentport standard: --claims: %s\n", je.text);
			return NULL;
		}
	}
	*rc = 1;
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport standard: %s\n", err);
		json_decref(claims);
		return NULL;
	}
	if (store_migrate(st, &applied, &version) != TP_OK || !(a = arena_new())) {
		fprintf(stderr, "talentport standard: cannot open the database\n");
		goto out;
	}
	struct talent t;
	enum tp_rc r = STORE_CALL(talent_get, st, (int64_t)id, a, &t);
	if (r != TP_OK) {
		fprintf(stderr, "talentport standard: talent %ld: %s\n", id, tp_rc_str(r));
		goto out;
	}
	struct standard_employer *es;
	size_t nes;
	if ((r = standard_employers_load(st, &t, a, &es, &nes)) != TP_OK) {
		fprintf(stderr, "talentport standard: %s\n", tp_rc_str(r));
		goto out;
	}
	if (!(doc = standard_facts_from_talent(&t, es, nes, claims, on, err, sizeof err))) {
		fprintf(stderr, "talentport standard: %s\n", err);
		*rc = 2;
	}
out:
	json_decref(claims);
	arena_free(a);
	store_close(st);
	return doc;
}

static int cmd_facts(int argc, char **argv)
{
	const char *db = NULL, *talent = NULL, *claims = NULL, *on = NULL;
	char today[11];
	struct civil_date d;
	int r, rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--talent", &talent)) ||
		    (r = cli_opt_value(argc, argv, &i, "--claims", &claims)) ||
		    (r = cli_opt_value(argc, argv, &i, "--on", &on))) {
			if (r < 0)
				return 2;
		} else {
			fprintf(stderr, "talentport standard: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!talent) {
		fprintf(stderr, "talentport standard: --talent is required\n");
		return 2;
	}
	if (on && date_parse(on, &d)) {
		fprintf(stderr, "talentport standard: --on must be a date YYYY-MM-DD\n");
		return 2;
	}
	if (!on) {
		date_format(date_today_shanghai(), today);
		on = today;
	}
	json_t *doc = talent_facts(db, talent, claims, on, &rc);
	if (!doc)
		return rc;
	char *s = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(doc);
	if (!s)
		return 1;
	printf("%s\n", s);
	free(s);
	return 0;
}

static int cmd_propose(int argc, char **argv)
{
	const char *pack = DEFAULT_STANDARD, *facts = NULL, *on = NULL, *lang = NULL;
	const char *db = NULL, *talent = NULL, *claims = NULL;
	char today[11], err[512];
	struct civil_date d;
	int r;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--pack", &pack)) ||
		    (r = cli_opt_value(argc, argv, &i, "--facts", &facts)) ||
		    (r = cli_opt_value(argc, argv, &i, "--on", &on)) ||
		    (r = cli_opt_value(argc, argv, &i, "--lang", &lang)) ||
		    (r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--talent", &talent)) ||
		    (r = cli_opt_value(argc, argv, &i, "--claims", &claims))) {
			if (r < 0)
				return 2;
		} else {
			fprintf(stderr, "talentport standard: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!facts == !talent || (facts && (db || claims))) {
		fprintf(stderr, "talentport standard: give --facts FILE, or --talent ID [--db PATH] [--claims JSON]\n");
		return 2;
	}
	if (lang && strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0) {
		fprintf(stderr, "talentport standard: --lang must be zh or en\n");
		return 2;
	}
	if (on && date_parse(on, &d)) {
		fprintf(stderr, "talentport standard: --on must be a date YYYY-MM-DD\n");
		return 2;
	}
	if (!on) {
		date_format(date_today_shanghai(), today);
		on = today;
	}

	struct pol_pack *pk = load(pack);
	if (!pk)
		return 1;
	json_error_t je;
	int frc = 2;
	json_t *doc = facts ? json_load_file(facts, JSON_REJECT_DUPLICATES, &je)
			    : talent_facts(db, talent, claims, on, &frc);
	if (!doc) {
		if (facts)
			fprintf(stderr, "talentport standard: %s:%d:%d: %s\n", facts, je.line, je.column, je.text);
		pol_pack_free(pk);
		return frc;
	}
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	if (!f) {
		fprintf(stderr, "talentport standard: bad facts: %s\n", err);
		pol_pack_free(pk);
		return 2;
	}
	struct pol_proposal prop;
	char *out = NULL;
	int rc = pol_standard_propose(pk, f, on, &prop, &out);
	pol_facts_free(f);
	pol_pack_free(pk);
	if (rc != 0) {
		fprintf(stderr, "talentport standard: out of memory\n");
		return 1;
	}
	if (lang) {
		json_t *pd = json_loads(out, 0, NULL);
		char *text = pd ? pol_standard_text(pd, lang) : NULL;
		json_decref(pd);
		free(out);
		if (!text) {
			fprintf(stderr, "talentport standard: out of memory\n");
			return 1;
		}
		out = text;
	}
	fputs(out, stdout);
	free(out);
	return 0;
}

int cmd_standard(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "propose") == 0)
		return cmd_propose(argc - 1, argv + 1);
	if (strcmp(argv[1], "facts") == 0)
		return cmd_facts(argc - 1, argv + 1);
	fprintf(stderr, "talentport standard: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
