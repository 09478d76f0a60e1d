/*
 * test_import.c — the talent import (src/domain/import.c) and export against a real
 * SQLite database: mixed good and bad rows, GB18030, BOM, XLSX, all-or-nothing,
 * file-level errors, and an export that re-imports.
 *
 * The ID numbers and credit codes below were computed by hand (GB 11643 MOD 11-2,
 * GB 32100) with an independent script; the expected errors follow from the rules.
 */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/idcard.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/talents.h"
#include "io/table.h"
#include "store/store.h"

#define ID1 "350582199001011231"            /* M, 1990-01-01 */
#define ID1_BAD "350582199001011232"        /* ID1 with a wrong check digit */
#define ID2 "350582198512302343"            /* F, 1985-12-30 */
#define ID3 "350582199506150114"            /* M, 1995-06-15 */
#define ID_TAKEN "350582198002024566"       /* F, registered before each test */
#define ID4 "350582198808081359"            /* M */
#define ID5 "35058219930303157X"            /* M, 1993-03-03 */
#define ID6 "350582197007070196"            /* M */
#define ID7 "350582200002290282"            /* F */
#define ID8 "350582199109111111"            /* M */
#define CREDIT "91350582MA2Y3K4L57"         /* registered enterprise */
#define CREDIT_UNKNOWN "91350582MA31Q0P8XM" /* valid, not registered */

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	int64_t ent_id;
	struct import_result res;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tp_test_import_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	char err[256];
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->st, err, sizeof err), TP_OK);
	int applied, version;
	assert_int_equal(store_migrate(f->st, &applied, &version), TP_OK);

	struct enterprise e = {0};
	e.name = "晋江测试鞋业有限公司";
	e.credit_code = CREDIT;
	e.town = "350582102";
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);
	assert_int_equal(store_commit(f->st), TP_OK);
	f->ent_id = e.id;

	struct arena *a = arena_new();
	struct verrors ve;
	verr_init(&ve, a);
	struct talent t = {0};
	t.double_first_class = -1;
	t.home_area_cm2 = -1;
	t.home_in_jinjiang = t.home_first = t.startup_in_jinjiang = -1;
	t.name = "已登记";
	t.id_number = ID_TAKEN;
	assert_int_equal(talent_create(f->st, NULL, &t, &ve), TP_OK);
	arena_free(a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	import_result_release(&f->res);
	store_close(f->st);
	char p[192];
	static const char *const files[] = {"t.db",     "t.db-wal", "t.db-shm", "u.db",
	                                    "u.db-wal", "u.db-shm", "x.csv",    "x.xlsx",
	                                    "t.db.key", "u.db.key"}; /* keys: store/sqlite/pii.c */
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t count(struct store *st)
{
	struct arena *a = arena_new();
	struct registry_query q = {0};
	q.page = 1;
	q.per_page = 1;
	struct talent_page pg;
	assert_int_equal(STORE_CALL(talent_list, st, &q, a, &pg), TP_OK);
	arena_free(a);
	return pg.total;
}

static int registered(struct store *st, const char *id)
{
	int64_t tid;
	enum tp_rc rc = STORE_CALL(talent_find_id_number, st, id, &tid);
	assert_true(rc == TP_OK || rc == TP_ERR_NOT_FOUND);
	return rc == TP_OK;
}

static void import_buf(struct fx *f, const void *buf, size_t len, int aon)
{
	struct table_reader *r;
	char err[256];
	assert_int_equal(table_open_mem(buf, len, TABLE_AUTO, &r, err, sizeof err), TP_OK);
	struct import_opts o = {.all_or_nothing = aon, .filename = "test"};
	import_result_release(&f->res);
	assert_int_equal(import_talents(f->st, r, &o, &f->res), TP_OK);
	table_close(r);
}

static void import_str(struct fx *f, const char *csv, int aon)
{
	import_buf(f, csv, strlen(csv), aon);
}

/* Asserts that exactly this error (row, column, code) is in the result. */
static void expect_error(const struct import_result *res, size_t row, const char *column,
                         const char *code)
{
	for (size_t i = 0; i < res->n_errors; i++)
		if (res->errors[i].row == row && strcmp(res->errors[i].column, column) == 0 &&
		    strcmp(res->errors[i].code, code) == 0)
			return;
	for (size_t i = 0; i < res->n_errors; i++)
		fprintf(stderr, "  have: row %zu, %s, %s\n", res->errors[i].row,
		        res->errors[i].column, res->errors[i].code);
	fail_msg("no error row %zu, column %s, code %s", row, column, code);
}

static int contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_mixed_rows(void **state)
{
	struct fx *f = *state;
	const char *csv =
	    "姓名,身份证号,性别,出生日期,所在镇街,学历,毕业日期,工作单位信用代码\n"
	    "陈一," ID1 ",男,1990-01-01,陈埭镇,本科,2012-07-01," CREDIT "\n" /* 2 good */
	    "林二," ID2 ",女,,350582001,硕士,,\n"                            /* 3 good */
	    "王三," ID1_BAD ",,,,,,\n"                                       /* 4 checksum */
	    "张四," ID3 ",男,2023-02-30,,,,\n"                               /* 5 bad date */
	    "李五," ID1 ",,,,,,\n"                                           /* 6 dup of 2 */
	    "黄六," ID_TAKEN ",,,,,,\n"                                      /* 7 taken */
	    "吴七," ID4 ",,,火星镇,,,\n"                                     /* 8 town */
	    "许八," ID5 ",女,,,,,\n"                                         /* 9 gender */
	    "郑九," ID6 ",,,,,," CREDIT_UNKNOWN "\n";                        /* 10 ent */
	int64_t before = count(f->st);
	import_str(f, csv, 0);
	struct import_result *r = &f->res;
	assert_int_equal(r->format, TABLE_CSV);
	assert_int_equal(r->rows_total, 9);
	assert_int_equal(r->rows_imported, 2);
	assert_int_equal(r->rows_failed, 7);
	assert_true(r->committed);
	assert_false(r->file_error);
	assert_int_equal(r->n_errors, 7);
	assert_int_equal(r->errors_total, 7);
	expect_error(r, 4, "身份证号", "id_number_checksum");
	expect_error(r, 5, "出生日期", "date_invalid");
	expect_error(r, 6, "身份证号", "id_number_duplicate");
	expect_error(r, 7, "身份证号", "id_number_taken");
	expect_error(r, 8, "所在镇街", "unknown_code");
	expect_error(r, 9, "性别", "gender_mismatch");
	expect_error(r, 10, "工作单位信用代码", "unknown_enterprise");

	assert_int_equal(count(f->st), before + 2);
	assert_true(registered(f->st, ID1));
	assert_true(registered(f->st, ID2));
	assert_false(registered(f->st, ID3));
	assert_false(registered(f->st, ID4));
	assert_false(registered(f->st, ID5));
	assert_false(registered(f->st, ID6));

	/* the good row's cells landed where they belong */
	int64_t tid;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ID1, &tid), TP_OK);
	struct arena *a = arena_new();
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, f->st, tid, a, &t), TP_OK);
	assert_string_equal(t.name, "陈一");
	assert_string_equal(t.gender, "M");
	assert_string_equal(t.birth_date, "1990-01-01");
	assert_string_equal(t.town, "350582102");
	assert_string_equal(t.degree, "bachelor");
	assert_string_equal(t.graduated_on, "2012-07-01");
	assert_int_equal(t.enterprise_id, f->ent_id);
	assert_int_equal(t.n_educations, 1);
	arena_free(a);

	/* the report: CSV with a BOM, the bad cells as given (ID numbers masked, valid or
	 * not), no full ID number */
	assert_non_null(r->report);
	assert_memory_equal(r->report, "\xEF\xBB\xBF", 3);
	assert_false(contains(r->report, r->report_len, ID1_BAD));
	assert_true(contains(r->report, r->report_len, "350582********1232"));
	assert_true(contains(r->report, r->report_len, "2023-02-30"));
	assert_false(contains(r->report, r->report_len, ID1));
	assert_false(contains(r->report, r->report_len, ID2));
	assert_false(contains(r->report, r->report_len, ID_TAKEN));

	/* the import record */
	struct import_record ir;
	a = arena_new();
	assert_int_equal(STORE_CALL(import_get, f->st, r->import_id, a, &ir), TP_OK);
	assert_string_equal(ir.kind, "talents");
	assert_string_equal(ir.format, "csv");
	assert_int_equal(ir.rows_total, 9);
	assert_int_equal(ir.rows_imported, 2);
	assert_int_equal(ir.rows_failed, 7);
	assert_int_equal(ir.committed, 1);
	assert_int_equal(ir.report_len, r->report_len);
	arena_free(a);
}

/* The error value recorded for (row, code). */
static const char *error_value(const struct import_result *res, size_t row, const char *code)
{
	for (size_t i = 0; i < res->n_errors; i++)
		if (res->errors[i].row == row && strcmp(res->errors[i].code, code) == 0)
			return res->errors[i].value;
	fail_msg("no error row %zu, code %s", row, code);
	return NULL;
}

/* The report (kept in imports.report and downloadable) never holds a full ID number or
 * phone, valid or not: the rejected cells are masked, and row, column and rule still say
 * which cell to fix. */
static void test_report_masks_id_and_phone(void **state)
{
	struct fx *f = *state;
	const char *id17 = "35058219851230234";            /* ID2 without its check digit */
	const char *phone_bad = "1381234X678";             /* 11 characters, not a number */
	const char *phone_long = "13812345678901234567890"; /* 23 digits: too long */
	char csv[512];
	snprintf(csv, sizeof csv,
	         "姓名,身份证号,手机号码\n"
	         "陈一," ID1_BAD ",13912345678\n" /* 2 checksum */
	         "林二,%s,\n"                     /* 3 17 digits */
	         "张四," ID3 ",%s\n"              /* 4 malformed phone */
	         "吴七," ID4 ",%s\n",             /* 5 phone too long */
	         id17, phone_bad, phone_long);
	import_str(f, csv, 0);
	struct import_result *r = &f->res;
	assert_int_equal(r->rows_total, 4);
	assert_int_equal(r->rows_imported, 0);
	assert_int_equal(r->rows_failed, 4);
	assert_int_equal(r->n_errors, 4);
	expect_error(r, 2, "身份证号", "id_number_checksum");
	expect_error(r, 3, "身份证号", idcard_err_code(IDCARD_BAD_LENGTH));
	expect_error(r, 4, "手机号码", "phone_format");
	expect_error(r, 5, "手机号码", "too_long");

	/* 18 characters: first 6 and last 4; anything else: at most first 3 and last 2 */
	assert_string_equal(error_value(r, 2, "id_number_checksum"), "350582********1232");
	assert_string_equal(error_value(r, 3, idcard_err_code(IDCARD_BAD_LENGTH)),
	                    "350************34");
	assert_string_equal(error_value(r, 4, "phone_format"), "138******78");
	assert_string_equal(error_value(r, 5, "too_long"), "138******************90");

	const char *raw[] = {ID1_BAD, id17, phone_bad, phone_long, "13912345678", ID3, ID4};
	assert_non_null(r->report);
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
		assert_false(contains(r->report, r->report_len, raw[i]));
	/* the rows, the columns as the file named them, and the rules are all there */
	assert_true(contains(r->report, r->report_len, "\r\n2,身份证号,350582********1232,"
	                                               "id_number_checksum,"));
	assert_true(contains(r->report, r->report_len, "\r\n3,身份证号,350************34,"));
	assert_true(contains(r->report, r->report_len, "\r\n4,手机号码,138******78,phone_format,"));
	assert_true(contains(r->report, r->report_len, "\r\n5,手机号码,"));
	assert_true(contains(r->report, r->report_len, "too_long"));

	/* the stored copy (imports.report) is the same bytes */
	struct import_record ir;
	struct arena *a = arena_new();
	assert_int_equal(STORE_CALL(import_get, f->st, r->import_id, a, &ir), TP_OK);
	assert_int_equal(ir.report_len, r->report_len);
	assert_memory_equal(ir.report, r->report, r->report_len);
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
		assert_false(contains(ir.report, ir.report_len, raw[i]));
	arena_free(a);

	/* the error list itself (what the API answers and every report format shows) */
	for (size_t i = 0; i < r->n_errors; i++)
		for (size_t k = 0; k < sizeof raw / sizeof raw[0]; k++)
			assert_null(strstr(r->errors[i].value, raw[k]));
}

static void test_gb18030(void **state)
{
	struct fx *f = *state;
	const char *utf8 = "姓名,身份证号,所在镇街,产业\r\n"
	                   "张四," ID3 ",陈埭镇,纺织鞋服\r\n"
	                   "吴七," ID4 ",安海镇,集成电路\r\n";
	char gb[512];
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *in = (char *)utf8, *out = gb;
	size_t inleft = strlen(utf8), outleft = sizeof gb;
	assert_true(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	iconv_close(cd);
	size_t len = sizeof gb - outleft;
	assert_false(contains(gb, len, "张")); /* really re-encoded */

	int64_t before = count(f->st);
	import_buf(f, gb, len, 0);
	assert_int_equal(f->res.rows_total, 2);
	assert_int_equal(f->res.rows_imported, 2);
	assert_int_equal(f->res.n_errors, 0);
	assert_null(f->res.report);
	assert_int_equal(count(f->st), before + 2);

	int64_t tid;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ID4, &tid), TP_OK);
	struct arena *a = arena_new();
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, f->st, tid, a, &t), TP_OK);
	assert_string_equal(t.name, "吴七");
	assert_string_equal(t.town, "350582100");
	assert_string_equal(t.industry, "IC");
	arena_free(a);
}

static void test_bom_english_headers(void **state)
{
	struct fx *f = *state;
	const char *csv = "\xEF\xBB\xBF"
	                  "name,id_number,gender,birth_date,town,tier,tier_from,tier_to\r\n"
	                  "周一," ID5 ",M,1993-03-03,350582102,3,2024-01-01,2026-12-31\r\n"
	                  "周二," ID6 ",,,,9,,\r\n"
	                  "周三," ID7 ",,,,2,2024-01-01,\r\n"
	                  "周四," ID8 ",,,,2,2025-01-01,2024-01-01\r\n";
	int64_t before = count(f->st);
	import_str(f, csv, 0);
	struct import_result *r = &f->res;
	assert_int_equal(r->rows_total, 4);
	assert_int_equal(r->rows_imported, 1);
	assert_int_equal(r->rows_failed, 3);
	assert_int_equal(r->n_errors, 3);
	expect_error(r, 3, "tier", "tier_out_of_range");
	expect_error(r, 4, "tier", "tier_dates_required");
	expect_error(r, 5, "tier_to", "date_order");
	assert_int_equal(count(f->st), before + 1);
	assert_true(registered(f->st, ID5));
	assert_false(registered(f->st, ID6));
}

/* Writes rows with the table writer and returns the file's bytes. */
static char *xlsx_bytes(struct fx *f, const char *const *rows, size_t nrows, size_t ncols,
                        const enum cell_kind *kinds, size_t *len)
{
	char path[192];
	snprintf(path, sizeof path, "%s/x.xlsx", f->dir);
	struct table_writer *w;
	assert_int_equal(table_writer_open(path, TABLE_XLSX, NULL, &w), TP_OK);
	for (size_t i = 0; i < nrows; i++)
		assert_int_equal(table_writer_row(w, rows + i * ncols, ncols, i ? kinds : NULL),
		                 TP_OK);
	assert_int_equal(table_writer_close(w), TP_OK);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	rewind(fp);
	char *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void test_xlsx(void **state)
{
	struct fx *f = *state;
	/* 32874 is 1990-01-01 as an Excel serial; an ID number written as a NUMBER cell is
	 * what Excel does to a careless column: the digits are lost and the row is rejected */
	const char *rows[] = {
	    "姓名", "身份证号", "出生日期", "学历", "双一流", "职称", "技能等级", "柔性引进",
	    "陈一", ID1,        "32874",    "博士", "是",     "副高", "技师",     "是",
	    "林二", ID2,        "",         "",     "",       "",     "",         "",
	};
	const enum cell_kind kinds[8] = {CELL_TEXT, CELL_TEXT, CELL_NUMBER, CELL_TEXT,
	                                 CELL_TEXT, CELL_TEXT, CELL_TEXT,   CELL_TEXT};
	const enum cell_kind kinds_num_id[8] = {CELL_TEXT, CELL_NUMBER};
	size_t len1, len2;
	char *b1 = xlsx_bytes(f, rows, 2, 8, kinds, &len1);
	int64_t before = count(f->st);
	import_buf(f, b1, len1, 0);
	assert_int_equal(f->res.format, TABLE_XLSX);
	assert_int_equal(f->res.rows_imported, 1);
	assert_int_equal(f->res.n_errors, 0);
	free(b1);

	int64_t tid;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ID1, &tid), TP_OK);
	struct arena *a = arena_new();
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, f->st, tid, a, &t), TP_OK);
	assert_string_equal(t.birth_date, "1990-01-01");
	assert_string_equal(t.degree, "phd");
	assert_int_equal(t.double_first_class, 1);
	assert_string_equal(t.title, "deputy_senior");
	assert_int_equal(t.skill_level, 2);
	assert_int_equal(t.short_term, 1);
	arena_free(a);

	const char *rows2[] = {"姓名", "身份证号", "林二", ID2};
	char *b2 = xlsx_bytes(f, rows2, 2, 2, kinds_num_id, &len2);
	import_buf(f, b2, len2, 0);
	free(b2);
	assert_int_equal(f->res.rows_imported, 0);
	assert_int_equal(f->res.rows_failed, 1);
	assert_int_equal(f->res.n_errors, 1);
	expect_error(&f->res, 2, "身份证号", idcard_err_code(IDCARD_BAD_LENGTH));
	assert_false(f->res.committed);
	/* the report is an XLSX too */
	assert_non_null(f->res.report);
	assert_memory_equal(f->res.report, "PK\3\4", 4);
	assert_int_equal(count(f->st), before + 1);
}

static void test_all_or_nothing(void **state)
{
	struct fx *f = *state;
	const char *csv = "姓名,身份证号\n"
	                  "陈一," ID1 "\n"
	                  "王三," ID1_BAD "\n"
	                  "林二," ID2 "\n"
	                  "黄六," ID_TAKEN "\n";
	int64_t before = count(f->st);
	import_str(f, csv, 1);
	struct import_result *r = &f->res;
	assert_int_equal(r->rows_total, 4);
	assert_int_equal(r->rows_imported, 0);
	assert_int_equal(r->rows_failed, 2);
	assert_false(r->committed);
	assert_int_equal(r->n_errors, 2);
	expect_error(r, 3, "身份证号", "id_number_checksum");
	expect_error(r, 5, "身份证号", "id_number_taken");
	assert_int_equal(count(f->st), before);
	assert_false(registered(f->st, ID1));
	assert_false(registered(f->st, ID2));

	struct import_record ir;
	struct arena *a = arena_new();
	assert_int_equal(STORE_CALL(import_get, f->st, r->import_id, a, &ir), TP_OK);
	assert_int_equal(ir.committed, 0);
	assert_int_equal(ir.all_or_nothing, 1);
	assert_int_equal(ir.rows_imported, 0);
	arena_free(a);

	/* the same file without the flag: the good rows go in */
	import_str(f, csv, 0);
	assert_int_equal(f->res.rows_imported, 2);
	assert_int_equal(count(f->st), before + 2);
}

static void test_file_errors(void **state)
{
	struct fx *f = *state;
	int64_t before = count(f->st);

	import_str(f, "姓名,身份证号,备注\n陈一," ID1 ",x\n", 0);
	assert_true(f->res.file_error);
	assert_false(f->res.committed);
	assert_int_equal(f->res.rows_imported, 0);
	assert_int_equal(f->res.n_errors, 1);
	expect_error(&f->res, 1, "备注", "unknown_column");

	import_str(f, "姓名,性别\n陈一,男\n", 0);
	assert_true(f->res.file_error);
	expect_error(&f->res, 1, "身份证号", "missing_column");

	import_str(f, "name,姓名,身份证号\n陈一,陈一," ID1 "\n", 0);
	expect_error(&f->res, 1, "姓名", "duplicate_column");

	/* a 51-character name: one error, on the name */
	char csv[512];
	snprintf(csv, sizeof csv, "姓名,身份证号\n%s%s," ID1 "\n",
	         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
	         "一二三四五六七八九十一二三四五六七八九十一");
	import_str(f, csv, 0);
	assert_int_equal(f->res.n_errors, 1);
	expect_error(&f->res, 2, "姓名", "too_long");

	import_str(f, "姓名,身份证号\n", 0);
	expect_error(&f->res, 2, "", "empty_file");
	assert_int_equal(f->res.rows_total, 0);

	/* an unterminated quote in row 3: the whole file is rejected, row 2 too */
	import_str(f, "姓名,身份证号\n陈一," ID1 "\n\"林二," ID2 "\n", 0);
	assert_true(f->res.file_error);
	assert_int_equal(f->res.rows_imported, 0);
	expect_error(&f->res, 3, "", "unreadable_file");

	assert_int_equal(count(f->st), before);
	assert_false(registered(f->st, ID1));
}

static void test_export_round_trip(void **state)
{
	struct fx *f = *state;
	void *buf;
	size_t len;
	/* the template's example row imports cleanly */
	assert_int_equal(export_template_mem(TABLE_CSV, &buf, &len), TP_OK);
	import_buf(f, buf, len, 0);
	free(buf);
	assert_int_equal(f->res.rows_imported, 1);
	assert_int_equal(f->res.n_errors, 0);
	import_str(f,
	           "姓名,身份证号,学历,毕业院校,专业,双一流,工作单位信用代码,产业\n"
	           "陈一," ID1 ",本科,华侨大学,土木工程,否," CREDIT ",纺织鞋服\n",
	           0);
	assert_int_equal(f->res.rows_imported, 1);
	int64_t n = count(f->st);

	/* masked by default: no full ID number anywhere */
	struct export_opts o = {.format = TABLE_CSV};
	size_t rows;
	assert_int_equal(export_talents_mem(f->st, &o, &buf, &len, &rows), TP_OK);
	assert_int_equal(rows, (size_t)n);
	assert_memory_equal(buf, "\xEF\xBB\xBF", 3);
	assert_true(contains(buf, len, "\r\n"));
	assert_false(contains(buf, len, ID1));
	assert_false(contains(buf, len, ID_TAKEN));
	assert_true(contains(buf, len, "350582********1231"));
	free(buf);

	/* filtered */
	struct registry_query q = {.tier = 6};
	o.filter = &q;
	assert_int_equal(export_talents_mem(f->st, &o, &buf, &len, &rows), TP_OK);
	assert_int_equal(rows, 1); /* the template's example person */
	free(buf);

	/* unmasked, as XLSX, into a fresh database (with the enterprise): all rows back */
	o.filter = NULL;
	o.unmasked = 1;
	o.format = TABLE_XLSX;
	assert_int_equal(export_talents_mem(f->st, &o, &buf, &len, &rows), TP_OK);
	struct store *main_st = f->st;
	char path[192], err[256];
	snprintf(path, sizeof path, "%s/u.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &f->st, err, sizeof err), TP_OK);
	int applied, version;
	assert_int_equal(store_migrate(f->st, &applied, &version), TP_OK);
	struct enterprise e = {
	    .name = "晋江测试鞋业有限公司", .credit_code = CREDIT, .town = "350582102"};
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);
	assert_int_equal(store_commit(f->st), TP_OK);
	import_buf(f, buf, len, 0);
	free(buf);
	assert_int_equal(f->res.n_errors, 0);
	assert_int_equal(f->res.rows_imported, (size_t)n);
	int64_t tid;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, ID1, &tid), TP_OK);
	struct arena *a = arena_new();
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, f->st, tid, a, &t), TP_OK);
	assert_int_equal(t.enterprise_id, e.id);
	assert_string_equal(t.industry, "TEX");
	assert_int_equal(t.double_first_class, 0);
	assert_int_equal(t.n_educations, 1);
	assert_string_equal(t.educations[0].school, "华侨大学");
	assert_string_equal(t.educations[0].major, "土木工程");
	arena_free(a);
	store_close(f->st);
	f->st = main_st;
}

/* A store failure in the middle of the file: nothing is half-written. */
static void test_db_error_rolls_back(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TRIGGER boom BEFORE INSERT ON talents "
	                              "WHEN NEW.name = '炸' BEGIN SELECT RAISE(ABORT, 'boom'); END",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	int64_t before = count(f->st);
	const char *csv = "姓名,身份证号\n陈一," ID1 "\n炸," ID2 "\n张四," ID3 "\n";
	struct table_reader *r;
	char err[256];
	assert_int_equal(table_open_mem(csv, strlen(csv), TABLE_AUTO, &r, err, sizeof err), TP_OK);
	struct import_opts o = {0};
	assert_int_equal(import_talents(f->st, r, &o, &f->res), TP_ERR_DB);
	table_close(r);
	assert_false(f->res.committed);
	assert_int_equal(f->res.rows_imported, 0);
	assert_int_equal(f->res.import_id, 0);
	assert_int_equal(count(f->st), before);
	assert_false(registered(f->st, ID1));
	/* and the connection is usable afterwards */
	import_str(f, "姓名,身份证号\n张四," ID3 "\n", 0);
	assert_int_equal(f->res.rows_imported, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_mixed_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_masks_id_and_phone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gb18030, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bom_english_headers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xlsx, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_db_error_rolls_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
