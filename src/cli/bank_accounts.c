/*
 * bank_accounts.c — `talentport bank-accounts import FILE`: verified bank accounts in bulk
 * (src/domain/bank_import.c does the work; docs/payments-accounts.md "Bulk import").
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/rc.h"
#include "domain/bank_import.h"
#include "io/table.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: talentport bank-accounts import FILE [--db PATH] [--all-or-nothing]\n"
	    "                                       [--report PATH]\n"
	    "  从 CSV（UTF-8 或 GB18030）或 XLSX 批量导入已核实的银行账户，每行一个账户：\n"
	    "  身份证号（人才）或统一社会信用代码（企业）二选一，开户银行、开户网点、户名、账号，\n"
	    "  可选“原因”。校验与接口相同（银行卡 Luhn 校验，户名须与登记姓名/名称一致）；\n"
	    "  合格的行在一个事务中写入并逐条审计，不合格的行列入报告。\n"
	    "  Imports verified bank accounts from a CSV (UTF-8 or GB18030) or XLSX file, one a\n"
	    "  row: id_number (a talent) or credit_code (an enterprise), bank, branch,\n"
	    "  account_name, account_number, and optionally reason (Chinese headers too).  The\n"
	    "  API's checks (Luhn for cards, the name must match the registered one); the good\n"
	    "  rows go in in one transaction, each audited; the bad ones are reported.  A row\n"
	    "  equal to the current account changes nothing; a changed account holds the next\n"
	    "  payment for confirmation, as any change does.\n"
	    "  --db PATH          database file (default $TALENTPORT_DB, then var/talentport.db)\n"
	    "  --all-or-nothing   import nothing if any row has an error / 有错误则全部不导入\n"
	    "  --report PATH      write the errors as CSV (row, field, code, zh, en) to PATH\n"
	    "  exit status: 0 every row imported (or unchanged), 1 some rows failed or nothing\n"
	    "               was imported, 2 usage error\n");
}

static void csv_field(FILE *f, const char *s)
{
	putc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static int write_report(const char *path, const struct bank_import_result *res)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("\xEF\xBB\xBFrow,field,code,zh,en\r\n", f);
	for (size_t i = 0; i < res->nerrors; i++) {
		const struct bank_import_error *e = &res->errors[i];
		fprintf(f, "%zu,", e->row);
		csv_field(f, e->field);
		putc(',', f);
		csv_field(f, e->code);
		putc(',', f);
		csv_field(f, e->zh);
		putc(',', f);
		csv_field(f, e->en);
		fputs("\r\n", f);
	}
	return fclose(f) != 0 ? -1 : 0;
}

static int run(const char *file, const char *db, int aon, const char *report)
{
	struct table_reader *r;
	char err[512];
	enum tp_rc rc = table_open_file(file, TABLE_AUTO, &r, err, sizeof err);
	if (rc != TP_OK) {
		fprintf(stderr,
			"talentport bank-accounts: cannot read '%s': %s\n"
			"  文件无法读取（须为 UTF-8 或 GB18030 编码的 CSV，或 XLSX）\n",
			file, err);
		return 1;
	}
	struct store *st;
	if (store_open(cli_db_path(db), 0, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport bank-accounts: %s (create it with 'talentport migrate')\n",
			err);
		table_close(r);
		return 1;
	}
	const char *base = strrchr(file, '/');
	struct bank_import_opts o = {.all_or_nothing = aon, .filename = base ? base + 1 : file};
	struct bank_import_result res;
	rc = bank_accounts_import(st, r, &o, &res);
	table_close(r);
	if (rc == TP_OK && res.committed)
		store_optimize(st, 0);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport bank-accounts: failed (%s); nothing was imported\n",
			tp_rc_str(rc));
		bank_import_release(&res);
		return 1;
	}
	int status = 0;
	if (report && res.errors_total && write_report(report, &res) != 0) {
		fprintf(stderr, "talentport bank-accounts: cannot write the report '%s'\n", report);
		status = 1;
	}
	printf("bank-accounts import: %zu rows, %zu added, %zu changed, %zu unchanged, "
	       "%zu failed\n",
	       res.rows, res.added, res.changed, res.unchanged, res.failed);
	for (size_t i = 0; i < res.nerrors && i < 10; i++)
		fprintf(stderr, "  row %zu, %s: %s / %s (%s)\n", res.errors[i].row,
			res.errors[i].field, res.errors[i].zh, res.errors[i].en, res.errors[i].code);
	if (res.errors_total > 10)
		fprintf(stderr, "  … %zu errors in all%s\n", res.errors_total,
			report ? " (see the report)" : " (--report PATH lists them)");
	if (!res.committed && res.added + res.changed + res.failed + res.errors_total > 0) {
		printf("nothing was imported / 未导入任何数据%s\n",
		       res.file_error		 ? " (the file was rejected as a whole)"
		       : aon && res.failed ? " (--all-or-nothing and some rows failed)"
					   : "");
		status = 1;
	} else if (res.failed) {
		status = 1;
	}
	bank_import_release(&res);
	return status;
}

int cmd_bank_accounts(int argc, char **argv)
{
	struct cli_import_args a;
	int r = cli_import_args(argc, argv, "bank-accounts", usage, &a);
	if (r)
		return r == 1 ? 0 : 2;
	if (!a.word || strcmp(a.word, "import") != 0 || !a.file) {
		fprintf(stderr, a.word && strcmp(a.word, "import") != 0
				    ? "talentport bank-accounts: the only subcommand is 'import'\n"
				    : "talentport bank-accounts: which file?\n");
		usage(stderr);
		return 2;
	}
	return run(a.file, a.db, a.all_or_nothing, a.report);
}
