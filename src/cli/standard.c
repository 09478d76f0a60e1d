/*
 * standard.c — `talentport standard check|propose`: load and check the identification
 * standard (policies/jinjiang/standard, a pack of kind: standard), and propose the tier a
 * facts document supports on a date, with the matched criteria and why (policy/standard.h).
 * Exit status: 0 ok; 1 a pack with errors or a failure; 2 usage or bad facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/date.h"
#include "policy/standard.h"

#define DEFAULT_STANDARD "policies/jinjiang/standard"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: talentport standard check [--pack DIR]\n"
		    "       talentport standard propose [--pack DIR] --facts FILE [--on YYYY-MM-DD]\n"
		    "                                   [--lang zh|en]\n"
		    "  检查人才认定标准；按事实建议人才层次（JSON；给出 --lang 时输出可读的说明）/\n"
		    "  check the identification standard; propose the tier a facts document supports on a\n"
		    "  date (default today, Asia/Shanghai) as JSON, or with --lang as a text for people\n");
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

static int cmd_propose(int argc, char **argv)
{
	const char *pack = DEFAULT_STANDARD, *facts = NULL, *on = NULL, *lang = NULL, *v;
	char today[11], err[512];
	struct civil_date d;
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
		} else if ((r = cli_opt_value(argc, argv, &i, "--facts", &v)) != 0) {
			if (r < 0)
				return 2;
			facts = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--on", &v)) != 0) {
			if (r < 0)
				return 2;
			on = v;
		} else if ((r = cli_opt_value(argc, argv, &i, "--lang", &v)) != 0) {
			if (r < 0)
				return 2;
			lang = v;
		} else {
			fprintf(stderr, "talentport standard: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!facts) {
		fprintf(stderr, "talentport standard: --facts is required\n");
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
	json_t *doc = json_load_file(facts, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		fprintf(stderr, "talentport standard: %s:%d:%d: %s\n", facts, je.line, je.column, je.text);
		pol_pack_free(pk);
		return 2;
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
	fprintf(stderr, "talentport standard: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
