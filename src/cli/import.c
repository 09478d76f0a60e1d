/*
 * import.c — `talentport import talents FILE`: a spreadsheet of talents into the
 * registry, with an error report beside it (src/domain/import.c does the work).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "domain/import.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: talentport import talents FILE [--db PATH] [--all-or-nothing] [--report PATH]\n"
	    "  从 Excel（.xlsx）或 CSV 文件导入人才：逐行校验，合格的行在一个事务中导入，\n"
	    "  不合格的行写入错误报告（行号、列、值、规则），格式与输入文件相同。\n"
	    "  CSV 可为 UTF-8（带或不带 BOM）或 GB18030；第 1 行为表头（模板表头或英文字段名）。\n"
	    "  Imports talents from an .xlsx or .csv file: every row is checked, the good rows\n"
	    "  go in in one transaction, the bad ones are listed in an error report (row, column,\n"
	    "  value, rule) in the same format as the input.  CSV may be UTF-8 (with or without\n"
	    "  a BOM) or GB18030; row 1 is the header (template headers or English field names).\n"
	    "  --db PATH          database file (default $TALENTPORT_DB, then var/talentport.db)\n"
	    "  --all-or-nothing   import nothing if any row has an error / 有错误则全部不导入\n"
	    "  --report PATH      where to write the error report (default FILE.errors.csv or\n"
	    "                     .xlsx beside FILE, as the input; a PATH ending in .csv or\n"
	    "                     .xlsx picks that format; none is written without errors)\n"
	    "  exit status: 0 every row imported, 1 some rows failed or nothing was imported,\n"
	    "               2 usage error\n"
	    "  Get the template with: talentport export template --format xlsx --out FILE\n");
}

/* FILE without a .csv/.xlsx extension, plus ".errors.csv" or ".errors.xlsx". */
static int default_report_path(const char *file, enum table_format fmt, char *out, size_t len)
{
	size_t n = strlen(file);
	const char *dot = strrchr(file, '.');
	const char *slash = strrchr(file, '/');
	if (dot && (!slash || dot > slash) &&
	    (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".xlsx") == 0))
		n = (size_t)(dot - file);
	int w =
	    snprintf(out, len, "%.*s.errors.%s", (int)n, file, fmt == TABLE_XLSX ? "xlsx" : "csv");
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int bad = fwrite(buf, 1, len, f) != len;
	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		remove(path);
	return bad ? -1 : 0;
}

static int run(const char *file, const char *db, int aon, const char *report_path)
{
	struct table_reader *r;
	char err[512];
	enum tp_rc rc = table_open_file(file, TABLE_AUTO, &r, err, sizeof err);
	if (rc != TP_OK) {
		fprintf(stderr,
		        "talentport import: cannot read '%s': %s\n"
		        "  文件无法读取（须为 UTF-8 或 GB18030 编码的 CSV，或 XLSX）\n",
		        file, err);
		return 1;
	}
	struct store *st;
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport import: %s (create it with 'talentport migrate')\n",
		        err);
		table_close(r);
		return 1;
	}
	const char *base = strrchr(file, '/');
	struct import_opts o = {.all_or_nothing = aon, .filename = base ? base + 1 : file};
	struct import_result res;
	rc = import_talents(st, r, &o, &res);
	table_close(r);
	if (rc == TP_OK)
		store_optimize(st, 0);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport import: failed (%s); nothing was imported\n",
		        tp_rc_str(rc));
		import_result_release(&res);
		return 1;
	}
	char path[4096];
	const char *shown = "none";
	int status = 0;
	if (res.report) {
		if (!report_path) {
			if (default_report_path(file, res.format, path, sizeof path) != 0) {
				fprintf(stderr, "talentport import: file name too long\n");
				import_result_release(&res);
				return 1;
			}
			report_path = path;
		}
		/* a --report path may ask for the other format by its extension */
		enum table_format want = res.format;
		const char *dot = strrchr(report_path, '.');
		if (dot && strcasecmp(dot, ".xlsx") == 0)
			want = TABLE_XLSX;
		else if (dot && strcasecmp(dot, ".csv") == 0)
			want = TABLE_CSV;
		int bad = want == res.format
		              ? write_file(report_path, res.report, res.report_len)
		              : import_write_report(&res, want, report_path) != TP_OK;
		if (bad) {
			remove(report_path);
			fprintf(stderr, "talentport import: cannot write the report '%s'\n",
			        report_path);
			status = 1;
		} else {
			shown = report_path;
		}
	}
	printf("import: %zu rows, %zu imported, %zu failed; report: %s\n", res.rows_total,
	       res.rows_imported, res.rows_failed, shown);
	for (size_t i = 0; i < res.n_errors && i < 5; i++)
		fprintf(stderr, "  row %zu, %s: %s (%s)\n", res.errors[i].row, res.errors[i].column,
		        res.errors[i].en, res.errors[i].code);
	if (res.errors_total > 5)
		fprintf(stderr, "  … %zu errors in all (see the report)\n", res.errors_total);
	if (!res.committed) {
		printf("nothing was imported / 未导入任何数据%s\n",
		       res.file_error           ? " (the file was rejected as a whole)"
		       : aon && res.rows_failed ? " (--all-or-nothing and some rows failed)"
		                                : "");
		status = 1;
	} else if (res.rows_failed) {
		status = 1;
	}
	import_result_release(&res);
	return status;
}

int cmd_import(int argc, char **argv)
{
	struct cli_import_args a;
	int r = cli_import_args(argc, argv, "import", usage, &a);
	if (r)
		return r == 1 ? 0 : 2;
	if (!a.word || strcmp(a.word, "talents") != 0 || !a.file) {
		fprintf(stderr, a.word && strcmp(a.word, "talents") != 0
				    ? "talentport import: only 'talents' can be imported\n"
				    : "talentport import: which file?\n");
		usage(stderr);
		return 2;
	}
	return run(a.file, a.db, a.all_or_nothing, a.report);
}
