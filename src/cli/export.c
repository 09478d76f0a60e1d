/*
 * export.c — `talentport export talents|template`: the registry (masked by default)
 * or the import template, as CSV or XLSX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/export.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: talentport export talents --format xlsx|csv [--out PATH] [--db PATH]\n"
	        "                         [--unmasked --reason TEXT] [--town CODE] [--tier N]\n"
	        "       talentport export template --format xlsx|csv [--out PATH]\n"
	        "  导出人才名单（列与导入模板相同，可直接再导入）；身份证号码和手机号默认脱敏。\n"
	        "  export template 导出导入模板（表头和一行示例）。\n"
	        "  Exports the talents (the import template's columns, so the file re-imports);\n"
	        "  ID numbers and phones are masked unless --unmasked is given.\n"
	        "  'export template' writes the import template: the headers and an example row.\n"
	        "  --format FMT   csv (UTF-8 with BOM, CRLF; opens cleanly in Excel) or xlsx\n"
	        "                 (default: from --out's extension, else csv)\n"
	        "  --out PATH     output file (default: standard output; required for xlsx)\n"
	        "  --db PATH      database file (default $TALENTPORT_DB, then var/talentport.db)\n"
	        "  --unmasked     full ID numbers and phones / 不脱敏（仅限授权人员）\n"
	        "  --reason TEXT  why the full numbers are needed (required with --unmasked;\n"
	        "                 kept in the audit log) / 不脱敏导出的理由（必填，记入审计日志）\n"
	        "  --town CODE    only talents of this town or street (e.g. 350582102)\n"
	        "  --tier N       only talents certified at tier N (1..7)\n");
}

static int write_stdout(const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "talentport export: cannot write to standard output\n");
		return 1;
	}
	return 0;
}

struct args {
	const char *kind, *format, *out, *db, *town, *reason;
	long tier;
	int unmasked;
};

static int run(const struct args *a, enum table_format fmt)
{
	int tmpl = strcmp(a->kind, "template") == 0;
	struct store *st = NULL;
	char err[512];
	/* an unmasked export writes its audit record first: that needs a writable store */
	int flags = a->unmasked ? 0 : STORE_READONLY;
	if (!tmpl && store_open(cli_db_path(a->db), flags, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport export: %s\n", err);
		return 1;
	}
	struct registry_query q = {0};
	q.town = a->town;
	q.tier = (int)a->tier;
	if (st && a->town && STORE_CALL(ref_exists, st, REF_TOWN, a->town) != TP_OK) {
		fprintf(stderr, "talentport export: unknown town code '%s'\n", a->town);
		store_close(st);
		return 1;
	}
	/* PIPL: an unmask is audited before a single full number goes out; no record, no
	 * export (a masked export needs none) */
	if (st && a->unmasked) {
		struct actor sys = actor_system();
		enum tp_rc arc = audit_append(st, &sys, "pii.unmask", "talent_export", "cli", "ok",
		                              a->reason, NULL, 0);
		if (arc != TP_OK) {
			fprintf(stderr,
			        "talentport export: cannot write the audit record (%s); nothing "
			        "exported / 无法写入审计记录，未导出\n",
			        tp_rc_str(arc));
			store_close(st);
			return 1;
		}
	}
	struct export_opts o = {.format = fmt, .unmasked = a->unmasked, .filter = &q};
	enum tp_rc rc;
	size_t rows = 0;
	if (a->out) {
		rc = tmpl ? export_template(fmt, a->out) : export_talents(st, &o, a->out, &rows);
		if (rc != TP_OK)
			remove(a->out);
	} else {
		void *buf = NULL;
		size_t len = 0;
		rc = tmpl ? export_template_mem(fmt, &buf, &len)
		          : export_talents_mem(st, &o, &buf, &len, &rows);
		if (rc == TP_OK && write_stdout(buf, len) != 0)
			rc = TP_ERR_IO;
		free(buf);
	}
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport export: failed (%s)\n", tp_rc_str(rc));
		return 1;
	}
	if (tmpl)
		fprintf(stderr, "export: template written to %s\n", a->out ? a->out : "stdout");
	else
		fprintf(stderr, "export: %zu talents written to %s (%s)\n", rows,
		        a->out ? a->out : "stdout", a->unmasked ? "UNMASKED" : "masked");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	struct args a = {0};
	const char *tier = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &a.db)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--out", &a.out)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--format", &a.format)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--town", &a.town)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--tier", &tier)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--reason", &a.reason)) != 0) {
			if (r < 0)
				return 2;
		} else if (strcmp(argv[i], "--unmasked") == 0) {
			a.unmasked = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "talentport export: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (!a.kind) {
			a.kind = argv[i];
		} else {
			fprintf(stderr, "talentport export: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!a.kind || (strcmp(a.kind, "talents") != 0 && strcmp(a.kind, "template") != 0)) {
		fprintf(stderr, "talentport export: export 'talents' or 'template'?\n");
		usage(stderr);
		return 2;
	}
	if (tier && cli_parse_long("--tier", tier, 1, 7, &a.tier) != 0)
		return 2;
	/* PIPL: unmasking needs a stated reason (and is audited) */
	if (a.unmasked && (!a.reason || !a.reason[0])) {
		fprintf(stderr, "talentport export: --unmasked needs --reason TEXT "
		                "(why the full numbers are needed) / 不脱敏导出须用 --reason 说明理由\n");
		return 2;
	}
	if (a.reason && !a.unmasked) {
		fprintf(stderr, "talentport export: --reason goes with --unmasked\n");
		return 2;
	}
	enum table_format fmt = TABLE_CSV;
	const char *f = a.format;
	const char *dot = a.out ? strrchr(a.out, '.') : NULL;
	if (!f && dot && strcasecmp(dot, ".xlsx") == 0)
		f = "xlsx";
	if (f && strcmp(f, "xlsx") == 0) {
		fmt = TABLE_XLSX;
	} else if (f && strcmp(f, "csv") != 0) {
		fprintf(stderr, "talentport export: --format must be csv or xlsx\n");
		return 2;
	}
	if (fmt == TABLE_XLSX && !a.out) {
		fprintf(stderr, "talentport export: xlsx needs --out PATH\n");
		return 2;
	}
	return run(&a, fmt);
}
