/*
 * test_payment_files.c — the finance office's files (src/domain/payment_*.c): 元
 * formatting, CSV quoting and control totals worked out by hand, the payment list
 * XLSX opened and its sheet XML read, the bank-result import and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <expat.h>
#include <zip.h>

#include <cmocka.h>

#include "domain/payment_files.h"
#include "io/table.h"
#include "sheets.h"

#define BOM "\xEF\xBB\xBF"

static const struct pay_run_view RUN = {
	.run_id = 7,
	.period = "2026-10",
	.approved_by = "财务 王",
	.approved_at = "2026-11-01T08:00:00Z",
	.payer_account = "35001234567890",
	.payer_name = "晋江市人才办",
};

/* Three lines, two policies; the total is 150000 + 1 + 99 = 150100 fen = 1501.00 元. */
static struct pay_line_view three[3];

static void init_three(void)
{
	memset(three, 0, sizeof(three));
	three[0] = (struct pay_line_view){
		.line_id = 101, .entitlement_id = 9001, .policy = "talent-allowance",
		.policy_title_zh = "人才津贴", .beneficiary_kind = "talent", .beneficiary_id = 1,
		.name = "张三", .id_mask = "350582********1234", .town = "青阳街道",
		.industry_chain = "纺织服装", .period_key = "2026-10", .instalment = 1,
		.bank = "中国银行", .branch = "晋江, 青阳支行", .account_name = "张三",
		.account_number = "6222020200112233445", .account_mask = "6222***********3445",
		.amount_fen = 150000};
	three[1] = (struct pay_line_view){
		.line_id = 102, .policy = "talent-allowance", .policy_title_zh = "人才津贴",
		.beneficiary_kind = "talent", .name = "=HYPERLINK(\"x\")",
		.id_mask = "350582199001011234" /* unmasked by mistake: the files mask it */,
		.period_key = "2026-10", .instalment = 2, .bank = "建设银行", .branch = "",
		.account_name = "=HYPERLINK(\"x\")", .account_number = "6217000011112222",
		.account_mask = "6217000011112222", .amount_fen = 1};
	three[2] = (struct pay_line_view){
		.line_id = 103, .policy = "housing", .policy_title_zh = "安家补贴",
		.beneficiary_kind = "enterprise", .name = "欧阳娜娜", .id_mask = "110105********002X",
		.town = "池店镇", .period_key = "2026", .instalment = 0, .bank = "工商银行",
		.branch = "池店支行", .account_name = "欧阳娜娜",
		.account_number = "6212260000000000001", .account_mask = "6212***0001",
		.amount_fen = 99};
}

/* Runs a CSV writer into memory; returns the text (caller frees). */
typedef enum tp_rc (*csv_fn)(FILE *, const struct pay_run_view *, const struct pay_line_view *,
			     size_t, const struct payfile_csv_opts *, struct payfile_err *);

static char *csv_to_string(csv_fn fn, const struct pay_line_view *lines, size_t n,
			   const struct payfile_csv_opts *o, enum tp_rc want, struct payfile_err *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(fn(fp, &RUN, lines, n, o, e), want);
	fclose(fp);
	return buf;
}

static void test_yuan(void **state)
{
	char b[PAYFILE_YUAN_BUFSZ];

	(void)state;
	assert_string_equal(payfile_yuan(0, b), "0.00");
	assert_string_equal(payfile_yuan(1, b), "0.01");
	assert_string_equal(payfile_yuan(99, b), "0.99");
	assert_string_equal(payfile_yuan(100, b), "1.00");
	assert_string_equal(payfile_yuan(12345678901, b), "123456789.01");
	assert_string_equal(payfile_yuan(-1, b), "-0.01");
	assert_string_equal(payfile_yuan(-50, b), "-0.50");
	assert_string_equal(payfile_yuan(-12345, b), "-123.45");
	assert_string_equal(payfile_yuan(INT64_MAX, b), "92233720368547758.07");
	assert_string_equal(payfile_yuan(INT64_MIN, b), "-92233720368547758.08");
}

static void field(const char *in, int guard, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(payfile_csv_field(fp, in, guard), 0);
	fclose(fp);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_csv_field(void **state)
{
	(void)state;
	field("plain", 1, "plain");
	field(NULL, 1, "");
	field("a,b", 1, "\"a,b\"");
	field("say \"hi\"", 1, "\"say \"\"hi\"\"\"");
	field("two\r\nlines", 1, "\"two\r\nlines\"");
	field("=SUM(A1:A9)", 1, "'=SUM(A1:A9)");
	field("+86", 1, "'+86");
	field("-5", 1, "'-5");
	field("@cmd", 1, "'@cmd");
	field("\tx", 1, "'\tx");
	field("=a,b", 1, "\"'=a,b\"");
	field("-0.50", 0, "-0.50"); /* a number this file formatted is not guarded */
	field("a=b", 1, "a=b");     /* only a leading sign is a formula */
}

static void test_mask_name(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(payfile_mask_name("张三", b, sizeof(b)), "张*");
	assert_string_equal(payfile_mask_name("欧阳娜娜", b, sizeof(b)), "欧***");
	assert_string_equal(payfile_mask_name("Li", b, sizeof(b)), "L*");
	assert_string_equal(payfile_mask_name("张", b, sizeof(b)), "张");
	assert_string_equal(payfile_mask_name("", b, sizeof(b)), "");
	assert_string_equal(payfile_mask_name(NULL, b, sizeof(b)), "");
	assert_string_equal(payfile_mask_name("\xff\xfe", b, sizeof(b)), "\xff*");
	assert_string_equal(payfile_mask_name("张三丰", b, 5), "张*"); /* cut to fit */
}

static void test_bank_csv(void **state)
{
	struct payfile_err e = {0};
	char *s;

	(void)state;
	init_three();
	s = csv_to_string(payfile_bank_csv, three, 3, NULL, TP_OK, &e);
	assert_string_equal(
		s, BOM "H,7,2026-10,3,1501.00,35001234567890,晋江市人才办,财务 王,2026-11-01T08:00:00Z\r\n"
		       "D,101,6222020200112233445,张三,中国银行,\"晋江, 青阳支行\",1500.00,人才津贴 2026-10\r\n"
		       "D,102,6217000011112222,\"'=HYPERLINK(\"\"x\"\")\",建设银行,,0.01,人才津贴 2026-10 第2期\r\n"
		       "D,103,6212260000000000001,欧阳娜娜,工商银行,池店支行,0.99,安家补贴 2026\r\n"
		       "T,3,1501.00\r\n");
	free(s);

	struct payfile_csv_opts nobom = {.no_bom = 1};
	s = csv_to_string(payfile_bank_csv, three, 1, &nobom, TP_OK, &e);
	assert_string_equal(s, "H,7,2026-10,1,1500.00,35001234567890,晋江市人才办,财务 王,2026-11-01T08:00:00Z\r\n"
			       "D,101,6222020200112233445,张三,中国银行,\"晋江, 青阳支行\",1500.00,人才津贴 2026-10\r\n"
			       "T,1,1500.00\r\n");
	free(s);
}

/* The bank file written page by page (pages of 2 and 1 lines) is byte for byte the file
 * written at once; pages that do not add up to the header, or ids going back, are refused. */
static void test_bank_csv_pages(void **state)
{
	struct payfile_err e = {0};
	struct payfile_bank_pages pg;
	char *whole, *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	init_three();
	whole = csv_to_string(payfile_bank_csv, three, 3, NULL, TP_OK, &e);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(payfile_bank_csv_begin(fp, &pg, &RUN, 3, 150100, NULL, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three, 2, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three + 2, 1, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three, 0, &e), TP_OK); /* empty page */
	assert_int_equal(payfile_bank_csv_end(fp, &pg, &e), TP_OK);
	fclose(fp);
	assert_string_equal(buf, whole);
	free(buf);
	free(whole);

	/* the header said 1501.01: the trailer is refused */
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_int_equal(payfile_bank_csv_begin(fp, &pg, &RUN, 3, 150101, NULL, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three, 3, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_end(fp, &pg, &e), TP_ERR_INVALID);
	assert_string_equal(e.code, "control_total");
	/* a page going back to an id already written */
	assert_int_equal(payfile_bank_csv_begin(fp, &pg, &RUN, 3, 150100, NULL, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three + 1, 2, &e), TP_OK);
	assert_int_equal(payfile_bank_csv_page(fp, &pg, three, 1, &e), TP_ERR_INVALID);
	assert_string_equal(e.code, "line_id");
	/* nothing to pay */
	assert_int_equal(payfile_bank_csv_begin(fp, &pg, &RUN, 0, 0, NULL, &e), TP_ERR_INVALID);
	assert_string_equal(e.code, "run_empty");
	fclose(fp);
	free(buf);
}

/* The announcement list page by page is byte for byte the list written at once. */
static void test_notice_csv_pages(void **state)
{
	struct payfile_err e = {0};
	struct payfile_notice_pages pg;
	char *whole, *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	init_three();
	whole = csv_to_string(payfile_notice_csv, three, 3, NULL, TP_OK, &e);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(payfile_notice_csv_begin(fp, &pg, NULL), TP_OK);
	assert_int_equal(payfile_notice_csv_page(fp, &pg, three, 1, &e), TP_OK);
	assert_int_equal(payfile_notice_csv_page(fp, &pg, three + 1, 2, &e), TP_OK);
	assert_int_equal(payfile_notice_csv_end(fp, &pg, &e), TP_OK);
	fclose(fp);
	assert_string_equal(buf, whole);
	free(buf);
	free(whole);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_int_equal(payfile_notice_csv_begin(fp, &pg, NULL), TP_OK);
	assert_int_equal(payfile_notice_csv_end(fp, &pg, &e), TP_ERR_INVALID);
	assert_string_equal(e.code, "run_empty");
	fclose(fp);
	free(buf);
}

/* A refused bank file writes nothing and names the line and the rule. */
static void bank_refused(struct pay_line_view *lines, size_t n, enum tp_rc want, int64_t line,
			 const char *code)
{
	struct payfile_err e = {0};
	char *s = csv_to_string(payfile_bank_csv, lines, n, NULL, want, &e);

	assert_string_equal(s, "");
	assert_int_equal(e.line_id, line);
	assert_string_equal(e.code, code);
	assert_non_null(e.zh);
	assert_non_null(e.en);
	free(s);
	init_three();
}

static void test_bank_csv_refused(void **state)
{
	(void)state;
	init_three();
	three[2].account_number = "6212 2600";
	bank_refused(three, 3, TP_ERR_INVALID, 103, "account_number");
	three[1].account_number = NULL;
	bank_refused(three, 3, TP_ERR_INVALID, 102, "account_number");
	three[1].amount_fen = 0;
	bank_refused(three, 3, TP_ERR_INVALID, 102, "amount");
	three[1].amount_fen = -500; /* a clawback is never sent to the bank */
	bank_refused(three, 3, TP_ERR_INVALID, 102, "amount");
	three[2].line_id = 101;
	bank_refused(three, 3, TP_ERR_INVALID, 101, "line_id");
	three[2].branch = "池店\r\n支行";
	bank_refused(three, 3, TP_ERR_INVALID, 103, "bank_text");
	three[0].account_name = "";
	bank_refused(three, 3, TP_ERR_INVALID, 101, "account_name");
	three[0].amount_fen = PAYFILE_MAX_AMOUNT_FEN + 1;
	bank_refused(three, 3, TP_ERR_INVALID, 101, "amount");
	bank_refused(three, 0, TP_ERR_INVALID, 0, "run_empty");
}

static void test_notice_csv(void **state)
{
	struct payfile_err e = {0};
	char *s;

	(void)state;
	init_three();
	three[2].amount_fen = -50; /* a clawback on the list stays a number */
	s = csv_to_string(payfile_notice_csv, three, 3, NULL, TP_OK, &e);
	assert_string_equal(s, BOM "序号,姓名,证件号码,镇街,政策,期间,金额(元)\r\n"
				   "1,张*,350582********1234,青阳街道,人才津贴,2026-10,1500.00\r\n"
				   "2,'=**************,350582********1234,,人才津贴,2026-10,0.01\r\n"
				   "3,欧***,110105********002X,池店镇,安家补贴,2026,-0.50\r\n"
				   "合计,3笔,,,,,1499.51\r\n");
	assert_null(strstr(s, "6222")); /* no bank data in a public list */
	free(s);
}

/* ---- XLSX: unzip and read the XML ---- */

/* The cell r="ref" of the sheet XML: its whole <c …>…</c> text (static buffer). */
static const char *cell(const char *xml, const char *ref)
{
	static char out[1024];
	char key[32];
	const char *p, *end;

	snprintf(key, sizeof(key), "<c r=\"%s\"", ref);
	p = strstr(xml, key);
	if (!p)
		fail_msg("no cell %s", ref);
	end = strstr(p, "</c>");
	if (!end || (size_t)(end - p) + 4 >= sizeof(out))
		fail_msg("cell %s not closed", ref);
	memcpy(out, p, (size_t)(end - p) + 4);
	out[end - p + 4] = '\0';
	return out;
}

/* The cell's formula is f, and its cached value is the double nearest fen/100. */
static void formula_cell(const char *xml, const char *ref, const char *f, int64_t fen,
			 const char *exact)
{
	const char *c = cell(xml, ref), *v;
	char want[512];

	snprintf(want, sizeof(want), "<f>%s</f>", f);
	has(c, want);
	v = strstr(c, "<v>");
	assert_non_null(v);
	/* the text parses to exactly the double of the exact decimal total */
	assert_true(strtod(v + 3, NULL) == strtod(exact, NULL));
	assert_true(strtod(v + 3, NULL) == (double)fen / 100.0);
}

static void text_cell(const char *xml, const char *ref, const char *text)
{
	const char *c = cell(xml, ref);
	char want[512];

	has(c, "t=\"inlineStr\"");
	snprintf(want, sizeof(want), "<t>%s</t>", text);
	has(c, want);
}

static char *tmp_path(void)
{
	return sheet_tmp_path("payfile");
}

static void test_list_xlsx(void **state)
{
	struct payfile_err e = {0};
	char *path = tmp_path(), *wb, *s1, *s2, *s3, *sty;
	struct table_reader *r;
	const char *const *cells;
	size_t nc;
	char err[128];

	(void)state;
	init_three();
	three[2].policy_title_zh = "安家/补贴[2026]"; /* characters a sheet name may not hold */
	assert_int_equal(payfile_list_xlsx(path, &RUN, three, 3, NULL, &e), TP_OK);

	wb = zip_entry(path, "xl/workbook.xml", NULL);
	has(wb, "<sheet name=\"汇总\" sheetId=\"1\"");
	has(wb, "<sheet name=\"人才津贴\" sheetId=\"2\"");
	has(wb, "<sheet name=\"安家_补贴_2026_\" sheetId=\"3\"");
	assert_null(strstr(wb, "sheetId=\"4\"")); /* one sheet per policy, and the summary */

	/* the policy sheet: header frozen, IDs and accounts masked text, the total a formula */
	s2 = zip_entry(path, "xl/worksheets/sheet2.xml", NULL);
	has(s2, "state=\"frozen\"");
	has(s2, "ySplit=\"1\"");
	text_cell(s2, "C1", "证件号码");
	text_cell(s2, "C2", "350582********1234");
	text_cell(s2, "C3", "350582********1234"); /* the unmasked one, masked */
	text_cell(s2, "J2", "6222***********3445");
	text_cell(s2, "J3", "************2222");
	text_cell(s2, "B3", "=HYPERLINK(\"x\")"); /* a string, never a formula */
	assert_null(strstr(s2, "350582199001011234"));
	assert_null(strstr(s2, "6222020200112233445"));
	assert_null(strstr(s2, "<f>HYPERLINK"));
	has(cell(s2, "K2"), "<v>1500</v>");
	has(cell(s2, "K3"), "<v>0.01</v>");
	formula_cell(s2, "K4", "SUM(K2:K3)", 150001, "1500.01");
	text_cell(s2, "A4", "合计");
	text_cell(s2, "F3", "2026-10 第2期"); /* the instalment folded into the period */
	has(cell(s2, "A2"), "<v>101</v>");
	assert_null(strstr(s2, "r=\"A5\""));

	s3 = zip_entry(path, "xl/worksheets/sheet3.xml", NULL);
	text_cell(s3, "F2", "2026");
	formula_cell(s3, "K3", "SUM(K2:K2)", 99, "0.99");

	/* the summary: per policy count and total as formulas over the policy sheets */
	s1 = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	text_cell(s1, "A2", "talent-allowance");
	text_cell(s1, "C2", "人才津贴");
	formula_cell(s1, "D2", "COUNT('人才津贴'!K2:K3)", 200, "2");
	formula_cell(s1, "E2", "'人才津贴'!K4", 150001, "1500.01");
	text_cell(s1, "C3", "安家_补贴_2026_");
	formula_cell(s1, "D3", "COUNT('安家_补贴_2026_'!K2:K2)", 100, "1");
	formula_cell(s1, "E3", "'安家_补贴_2026_'!K3", 99, "0.99");
	text_cell(s1, "A4", "合计");
	formula_cell(s1, "D4", "SUM(D2:D3)", 300, "3");
	formula_cell(s1, "E4", "SUM(E2:E3)", 150100, "1501.00");
	text_cell(s1, "B6", "7");

	sty = zip_entry(path, "xl/styles.xml", NULL);
	has(sty, "formatCode=\"¥#,##0.00\"");

	/* and the project's own reader sees the cached values of the first sheet */
	assert_int_equal(table_open_file(path, TABLE_XLSX, &r, err, sizeof(err)), TP_OK);
	assert_int_equal(table_next(r, &cells, &nc), 1);
	assert_string_equal(cells[4], "金额(元)");
	assert_int_equal(table_next(r, &cells, &nc), 1);
	assert_string_equal(cells[3], "2");
	assert_string_equal(cells[4], "1500.01");
	assert_int_equal(table_next(r, &cells, &nc), 1);
	assert_int_equal(table_next(r, &cells, &nc), 1);
	assert_string_equal(cells[0], "合计");
	assert_string_equal(cells[4], "1501");
	table_close(r);

	free(wb);
	free(s1);
	free(s2);
	free(s3);
	free(sty);
	unlink(path);
	free(path);
}

/* A big policy continues on numbered sheets; long and clashing names stay unique. */
static void test_list_xlsx_split_and_names(void **state)
{
	static const char long_title[] = "晋江市现代产业体系高层次人才生活补贴及安家补助专项资金政策"
					 "第二批";
	struct pay_line_view l[7];
	struct payfile_err e = {0};
	char *path = tmp_path(), *wb, *s1, *s4;
	size_t i;

	(void)state;
	init_three();
	for (i = 0; i < 5; i++) {
		l[i] = three[0];
		l[i].line_id = (int64_t)(i + 1);
		l[i].amount_fen = (int64_t)(i + 1) * 100; /* 1+2+3+4+5 = 15.00 元 */
	}
	l[5] = three[2];
	l[5].policy = "p2";
	l[5].policy_title_zh = long_title;
	l[6] = l[5];
	l[6].line_id = 6000;
	l[6].policy = "p3"; /* another policy with the same title */
	assert_int_equal(payfile_list_xlsx(path, &RUN, l, 7,
					   &(struct payfile_xlsx_opts){.rows_per_sheet = 2}, &e),
			 TP_OK);
	wb = zip_entry(path, "xl/workbook.xml", NULL);
	has(wb, "name=\"人才津贴\" sheetId=\"2\"");
	has(wb, "name=\"人才津贴(2)\" sheetId=\"3\"");
	has(wb, "name=\"人才津贴(3)\" sheetId=\"4\"");
	/* 31 characters of the title, then the same title cut to 28 + "(2)" */
	has(wb, "name=\"晋江市现代产业体系高层次人才生活补贴及安家补助专项资金政策第二\" sheetId=\"5\"");
	has(wb, "name=\"晋江市现代产业体系高层次人才生活补贴及安家补助专项资金政(2)\" sheetId=\"6\"");
	s1 = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	formula_cell(s1, "D2",
		     "COUNT('人才津贴'!K2:K3)+COUNT('人才津贴(2)'!K2:K3)+COUNT('人才津贴(3)'!K2:K2)",
		     500, "5");
	formula_cell(s1, "E2", "'人才津贴'!K4+'人才津贴(2)'!K4+'人才津贴(3)'!K3", 1500, "15");
	formula_cell(s1, "E5", "SUM(E2:E4)", 1500 + 99 + 99, "16.98");
	s4 = zip_entry(path, "xl/worksheets/sheet4.xml", NULL);
	has(cell(s4, "A2"), "<v>5</v>"); /* the fifth line, on the third sheet */
	formula_cell(s4, "K3", "SUM(K2:K2)", 500, "5");
	free(wb);
	free(s1);
	free(s4);
	unlink(path);
	free(path);
}

/* Hostile text (markup, control characters, broken UTF-8, a huge cell) still makes
 * well-formed sheets, and a title that is all forbidden characters still names one. */
static void test_list_xlsx_hostile_text(void **state)
{
	struct pay_line_view l[2];
	struct payfile_err e = {0};
	char *path = tmp_path(), *big = malloc(40000), *x;
	int k;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	init_three();
	l[0] = three[0];
	l[0].name = "<b>&amp;\x01\x1f</b>\"'";
	l[0].town = "\xff\xfe\xc0\x80 bad utf-8";
	l[0].policy_title_zh = "[]:*?/\\";
	l[1] = three[2];
	l[1].branch = big; /* past Excel's 32,767 characters a cell: cut */
	l[1].policy_title_zh = "'''";
	assert_int_equal(payfile_list_xlsx(path, &RUN, l, 2, NULL, &e), TP_OK);
	x = zip_entry(path, "xl/workbook.xml", NULL);
	has(x, "name=\"_______\" sheetId=\"2\"");
	has(x, "name=\"政策\" sheetId=\"3\"");
	free(x);
	for (k = 1; k <= 3; k++) {
		char name[40];

		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", k);
		x = zip_entry(path, name, NULL);
		assert_true(well_formed(x));
		if (k == 3)
			assert_null(strstr(x, big)); /* cut */
		free(x);
	}
	unlink(path);
	free(path);
	free(big);
}

/* A title of characters outside the BMP (two UTF-16 units each, as Excel counts) is cut
 * to 15 of them (30 units), not 31: the sheet name stays within Excel's 31. */
static void test_list_xlsx_wide_title(void **state)
{
	struct pay_line_view l[1];
	struct payfile_err e = {0};
	char *path = tmp_path(), *wb, title[31 * 4 + 1], want[15 * 4 + 32];
	int i;

	(void)state;
	init_three();
	for (i = 0; i < 31; i++)
		memcpy(title + i * 4, "\xF0\xA0\x80\x80", 4); /* U+20000 */
	title[31 * 4] = '\0';
	l[0] = three[0];
	l[0].policy_title_zh = title;
	assert_int_equal(payfile_list_xlsx(path, &RUN, l, 1, NULL, &e), TP_OK);
	wb = zip_entry(path, "xl/workbook.xml", NULL);
	snprintf(want, sizeof(want), "name=\"%.60s\" sheetId=\"2\"", title);
	has(wb, want);
	free(wb);
	unlink(path);
	free(path);
}

/* Sheets written on several threads make the same file, part for part, as one thread. */
static void test_list_xlsx_threads(void **state)
{
	static const char *const pol[5][2] = {{"a", "人才津贴"}, {"b", "安家补贴"}, {"c", "租房补贴"},
					      {"d", "生活补贴"}, {"e", "培训补贴"}};
	static const char *const parts[] = {"xl/workbook.xml", "xl/styles.xml",
					    "[Content_Types].xml"};
	enum { N = 3000 };
	struct pay_line_view *l = calloc(N, sizeof(*l));
	struct payfile_err e = {0};
	char *p1 = tmp_path(), *p3 = tmp_path(), name[40];
	size_t i;
	int k;

	(void)state;
	assert_non_null(l);
	init_three();
	for (i = 0; i < N; i++) {
		l[i] = three[i % 3];
		l[i].line_id = (int64_t)(i + 1);
		l[i].policy = pol[(i * 7) % 5][0];
		l[i].policy_title_zh = pol[(i * 7) % 5][1];
		l[i].amount_fen = (int64_t)(i * 37 % 100000 + 1);
	}
	assert_int_equal(payfile_list_xlsx(p1, &RUN, l, N,
					   &(struct payfile_xlsx_opts){.rows_per_sheet = 250}, &e),
			 TP_OK);
	assert_int_equal(payfile_list_xlsx(p3, &RUN, l, N,
					   &(struct payfile_xlsx_opts){.rows_per_sheet = 250,
								       .threads = 3},
					   &e),
			 TP_OK);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *a = zip_entry(p1, parts[i], NULL), *b = zip_entry(p3, parts[i], NULL);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	for (k = 1; k <= 1 + 5 * 3; k++) { /* the summary and 5 policies × 3 sheets */
		char *a, *b;

		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", k);
		a = zip_entry(p1, name, NULL);
		b = zip_entry(p3, name, NULL);
		assert_true(strlen(a) > 1000);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	unlink(p1);
	unlink(p3);
	free(p1);
	free(p3);
	free(l);
}

static void test_notice_xlsx(void **state)
{
	struct payfile_err e = {0};
	char *path = tmp_path(), *s1;

	(void)state;
	init_three();
	assert_int_equal(payfile_notice_xlsx(path, &RUN, three, 3, &e), TP_OK);
	s1 = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	text_cell(s1, "B2", "张*");
	text_cell(s1, "B4", "欧***");
	text_cell(s1, "C3", "350582********1234");
	text_cell(s1, "E4", "安家补贴");
	formula_cell(s1, "G5", "SUM(G2:G4)", 150100, "1501");
	assert_null(strstr(s1, "张三"));
	assert_null(strstr(s1, "6222"));
	free(s1);
	unlink(path);
	free(path);
}

/* ---- the bank's result file ---- */

static struct pay_line_view run4[4];

static void init_run4(void)
{
	init_three();
	run4[0] = three[0];
	run4[1] = three[1];
	run4[2] = three[2];
	run4[3] = three[0];
	run4[3].line_id = 104;
	run4[3].amount_fen = 5000;
}

static struct pay_result_report *parse_ok(const char *text)
{
	struct pay_result_report *rep = NULL;
	char msg[512];

	assert_int_equal(payfile_result_parse(text, strlen(text), run4, 4, &rep, msg, sizeof(msg)),
			 TP_OK);
	assert_non_null(rep);
	return rep;
}

static const struct pay_result_issue *find_issue(const struct pay_result_report *rep,
						 size_t row, enum pay_issue_kind kind)
{
	size_t i;

	for (i = 0; i < rep->nissues; i++)
		if (rep->issues[i].row == row && rep->issues[i].kind == kind)
			return &rep->issues[i];
	fail_msg("no issue %d at row %zu", (int)kind, row);
	return NULL;
}

static void test_result_matched(void **state)
{
	struct pay_result_report *rep;
	const struct pay_result_issue *is;

	(void)state;
	init_run4();
	rep = parse_ok(BOM "明细编号,状态,金额,原因,银行流水号\r\n"
			   "101,成功,1500.00,,B0001\r\n"
			   "102,失败,0.01,账户已销户,B0002\r\n"
			   "999,S,1.00,,B0003\r\n"
			   "101, s ,1500,,B0001\r\n"
			   "103,F,0.99,\"户名不符, 请核对\",B0004\r\n");
	assert_true(rep->applicable);
	assert_int_equal(rep->rows, 5);
	assert_int_equal(rep->matched, 3);
	assert_int_equal(rep->paid, 1);
	assert_int_equal(rep->failed, 2);
	assert_int_equal(rep->paid_fen, 150000);
	assert_int_equal(rep->failed_fen, 100);
	assert_int_equal(rep->unmatched, 1);
	assert_int_equal(rep->duplicates, 1);
	assert_int_equal(rep->missing, 1);
	assert_int_equal(rep->malformed + rep->conflicts + rep->amount_mismatches, 0);
	assert_int_equal(rep->nresults, 3);
	assert_int_equal(rep->results[0].line_id, 101);
	assert_int_equal(rep->results[0].paid, 1);
	assert_string_equal(rep->results[0].bank_ref, "B0001");
	assert_string_equal(rep->results[0].reason, "");
	assert_int_equal(rep->results[1].line_id, 102);
	assert_int_equal(rep->results[1].paid, 0);
	assert_string_equal(rep->results[1].reason, "账户已销户");
	assert_int_equal(rep->results[2].line_id, 103);
	assert_string_equal(rep->results[2].reason, "户名不符, 请核对");
	is = find_issue(rep, 4, PAY_ISSUE_UNMATCHED);
	assert_int_equal(is->line_id, 999);
	assert_string_equal(is->code, "result_unmatched");
	has(is->zh, "第 4 行");
	has(is->en, "row 4: line 999 is not in this run");
	find_issue(rep, 5, PAY_ISSUE_DUPLICATE);
	is = find_issue(rep, 0, PAY_ISSUE_MISSING);
	assert_int_equal(is->line_id, 104);
	payfile_result_free(rep);
}

static void test_result_blocking(void **state)
{
	struct pay_result_report *rep;
	const struct pay_result_issue *is;

	(void)state;
	init_run4();
	/* no caption row: row 1 is data */
	rep = parse_ok("101,OK,1500.00\n"
		       "abc,S,1.00\n"
		       "102,S,0.001\n"
		       "102,F,0.01,销户\n"
		       "102,S,0.01\n"
		       "103,S,1.00\n"
		       "104,S\n"
		       "104,S,-50.00\n"
		       "104,S,50.00,,\"" /* a 65-byte bank reference */
		       "12345678901234567890123456789012345678901234567890123456789012345\"\n");
	assert_false(rep->applicable);
	assert_int_equal(rep->rows, 9);
	is = find_issue(rep, 1, PAY_ISSUE_MALFORMED);
	assert_string_equal(is->code, "result_status");
	assert_int_equal(is->line_id, 101);
	has(is->zh, "成功/失败");
	assert_string_equal(find_issue(rep, 2, PAY_ISSUE_MALFORMED)->code, "result_line_id");
	assert_string_equal(find_issue(rep, 3, PAY_ISSUE_MALFORMED)->code, "result_amount");
	find_issue(rep, 5, PAY_ISSUE_CONFLICT);
	is = find_issue(rep, 6, PAY_ISSUE_AMOUNT);
	has(is->en, "bank amount 1.00, run amount 0.99");
	assert_string_equal(find_issue(rep, 7, PAY_ISSUE_MALFORMED)->code, "result_columns");
	assert_string_equal(find_issue(rep, 8, PAY_ISSUE_MALFORMED)->code, "result_amount");
	assert_string_equal(find_issue(rep, 9, PAY_ISSUE_MALFORMED)->code, "result_bank_ref");
	assert_int_equal(rep->malformed, 6);
	assert_int_equal(rep->conflicts, 1);
	assert_int_equal(rep->amount_mismatches, 1);
	payfile_result_free(rep);
}

static void test_result_many_issues(void **state)
{
	struct pay_result_report *rep;
	size_t cap = 3000 * 8, o = 0, i;
	char *text = malloc(cap + 1);

	(void)state;
	init_run4();
	assert_non_null(text);
	for (i = 0; i < 3000; i++)
		o += (size_t)snprintf(text + o, cap - o, "1,X,1\n");
	rep = parse_ok(text);
	assert_int_equal(rep->malformed, 3000);
	assert_int_equal(rep->missing, 4);
	assert_int_equal(rep->nissues, PAY_RESULT_MAX_ISSUES);
	assert_true(rep->issues_truncated);
	assert_false(rep->applicable);
	payfile_result_free(rep);
	free(text);
}

static void result_refused(const void *buf, size_t len, enum tp_rc want, const char *frag)
{
	struct pay_result_report *rep = (void *)1;
	char msg[512];

	assert_int_equal(payfile_result_parse(buf, len, run4, 4, &rep, msg, sizeof(msg)), want);
	assert_null(rep);
	if (!strstr(msg, frag))
		fail_msg("message '%s' lacks '%s'", msg, frag);
}

static void test_result_hostile(void **state)
{
	static const char gbk[] = "101,\xb3\xc9\xb9\xa6,1500.00\r\n"; /* 成功 in GBK */
	static const unsigned char binary[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0x3e, 0};
	size_t big = 100000, i;
	char *huge = malloc(big + 32), *wide = malloc(4096);
	struct pay_result_report *rep;

	(void)state;
	init_run4();
	result_refused(gbk, strlen(gbk), TP_ERR_INVALID, "GBK");
	result_refused(gbk, strlen(gbk), TP_ERR_INVALID, "UTF-8");
	result_refused(binary, sizeof(binary), TP_ERR_INVALID, "NUL");
	result_refused("\xff\xfe" "1\0", 4, TP_ERR_UNSUPPORTED, "UTF-16");
	result_refused("PK\3\4garbage", 11, TP_ERR_INVALID, "cannot read the bank result file");

	/* a 100 kB cell: past the reader's cap, refused as a whole */
	assert_non_null(huge);
	memcpy(huge, "101,S,1500.00,", 14);
	memset(huge + 14, 'x', big);
	huge[14 + big] = '\0';
	result_refused(huge, strlen(huge), TP_ERR_TOO_LARGE, "longer than");

	/* 300 columns: past the reader's cap */
	assert_non_null(wide);
	for (i = 0; i < 300; i++)
		memcpy(wide + 2 * i, "1,", 2);
	wide[600] = '\0';
	result_refused(wide, strlen(wide), TP_ERR_TOO_LARGE, "columns");

	/* a 600-byte reason: the row is malformed, the file still read */
	memcpy(huge, "101,F,1500.00,", 14);
	memset(huge + 14, 'r', 600);
	huge[614] = '\0';
	rep = parse_ok(huge);
	assert_string_equal(find_issue(rep, 1, PAY_ISSUE_MALFORMED)->code, "result_reason");
	assert_false(rep->applicable);
	payfile_result_free(rep);

	/* an empty file: nothing to apply, every line missing */
	rep = parse_ok("");
	assert_true(rep->applicable);
	assert_int_equal(rep->nresults, 0);
	assert_int_equal(rep->missing, 4);
	payfile_result_free(rep);

	/* the run's own lines must be unique */
	run4[1].line_id = 101;
	result_refused("101,S,1.00\n", 11, TP_ERR_INVALID, "not unique");
	free(huge);
	free(wide);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yuan),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_mask_name),
		cmocka_unit_test(test_bank_csv),
		cmocka_unit_test(test_bank_csv_refused),
		cmocka_unit_test(test_bank_csv_pages),
		cmocka_unit_test(test_notice_csv_pages),
		cmocka_unit_test(test_notice_csv),
		cmocka_unit_test(test_list_xlsx),
		cmocka_unit_test(test_list_xlsx_split_and_names),
		cmocka_unit_test(test_list_xlsx_threads),
		cmocka_unit_test(test_list_xlsx_hostile_text),
		cmocka_unit_test(test_list_xlsx_wide_title),
		cmocka_unit_test(test_notice_xlsx),
		cmocka_unit_test(test_result_matched),
		cmocka_unit_test(test_result_blocking),
		cmocka_unit_test(test_result_many_issues),
		cmocka_unit_test(test_result_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
