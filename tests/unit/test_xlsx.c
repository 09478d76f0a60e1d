/*
 * test_xlsx.c — the XLSX half of src/io/table: writer round trip, hand-made
 * workbooks for the reader's corners, corrupt input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "io/table.h"

struct entry {
	const char *name;
	const char *xml;
};

static const char ns_main[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char ns_rel[] =
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships";

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Builds a zip of the given entries in memory (via a temporary file). */
static char *make_zip(const struct entry *e, size_t n, size_t *len)
{
	char path[] = "/tmp/tp_test_zip_XXXXXX";
	int fd = mkstemp(path), err;
	zip_t *za;
	size_t i;
	char *buf;

	assert_true(fd >= 0);
	close(fd);
	za = zip_open(path, ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(za, e[i].xml, strlen(e[i].xml), 0);

		assert_non_null(src);
		assert_true(zip_file_add(za, e[i].name, src, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	buf = slurp(path, len);
	unlink(path);
	return buf;
}

static void expect_row(struct table_reader *r, size_t rowno, size_t n, ...)
{
	const char *const *cells;
	size_t ncells, i;
	va_list ap;

	assert_int_equal(table_next(r, &cells, &ncells), 1);
	assert_int_equal(table_row_number(r), rowno);
	assert_int_equal(ncells, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(cells[i], va_arg(ap, const char *));
	va_end(ap);
}

static void expect_end(struct table_reader *r)
{
	const char *const *cells;
	size_t ncells;

	assert_int_equal(table_next(r, &cells, &ncells), 0);
	assert_int_equal(table_next(r, &cells, &ncells), 0);
}

static void expect_error(struct table_reader *r, enum tp_rc rc, const char *frag)
{
	const char *const *cells;
	size_t ncells;
	int got;

	do
		got = table_next(r, &cells, &ncells);
	while (got == 1);
	assert_int_equal(got, -1);
	assert_int_equal(table_error_code(r), rc);
	if (!strstr(table_error(r), frag))
		fail_msg("error '%s' lacks '%s'", table_error(r), frag);
}

static void test_round_trip(void **state)
{
	static const char *const rows[][5] = {
		{"姓名", "身份证号", "人才层次", "金额", "备注"},
		{"张伟", "350582199001011234", "3", "180000", "晋江市"},
		{"李娜", "11010519491231002X", "", "123.5", ""},
		{"", "", "", "", ""},
		{"王芳", "", "7", "", "gap, \"quoted\"\nline"},
	};
	static const enum cell_kind kinds[5] = {CELL_TEXT, CELL_TEXT, CELL_NUMBER, CELL_NUMBER,
						 CELL_TEXT};
	static const size_t want_rowno[] = {1, 2, 3, 5};
	static const size_t src_row[] = {0, 1, 2, 4};
	static const size_t want_n[] = {5, 5, 4, 5};
	char path[] = "/tmp/tp_test_xlsx_XXXXXX";
	struct table_writer *w;
	struct table_reader *r = NULL;
	const char *const *cells;
	size_t ncells, i, j;
	char err[128];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(table_writer_open(path, TABLE_XLSX, "人才", &w), TP_OK);
	assert_int_equal(table_writer_row(w, rows[0], 5, NULL), TP_OK);
	for (i = 1; i < 5; i++)
		assert_int_equal(table_writer_row(w, rows[i], 5, kinds), TP_OK);
	assert_int_equal(table_writer_close(w), TP_OK);

	assert_int_equal(table_open_file(path, TABLE_AUTO, &r, err, sizeof(err)), TP_OK);
	assert_int_equal(table_detected_format(r), TABLE_XLSX);
	assert_int_equal(table_was_gb18030(r), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(table_next(r, &cells, &ncells), 1);
		assert_int_equal(table_row_number(r), want_rowno[i]);
		assert_int_equal(ncells, want_n[i]);
		for (j = 0; j < ncells; j++)
			assert_string_equal(cells[j], rows[src_row[i]][j]);
		assert_int_equal(table_cell_is_date(r, 2), 0);
		assert_int_equal(table_cell_is_date(r, 99), 0);
	}
	expect_end(r);
	table_close(r);
	unlink(path);
}

static void test_writer_errors(void **state)
{
	static const char *const row[] = {"12abc"};
	static const char *const big[] = {"350582199001011234"};
	static const enum cell_kind num[] = {CELL_NUMBER};
	char path[] = "/tmp/tp_test_xlsxe_XXXXXX";
	struct table_writer *w;
	struct table_reader *r = NULL;
	char err[128];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(table_writer_open(path, TABLE_XLSX, "bad[name]", &w), TP_ERR_INVALID);
	assert_int_equal(table_writer_open(path, TABLE_XLSX, NULL, &w), TP_OK);
	assert_int_equal(table_writer_row(w, row, 1, num), TP_ERR_INVALID);
	assert_int_equal(table_writer_row(w, row, 1, NULL), TP_ERR_INVALID); /* sticky */
	assert_int_equal(table_writer_close(w), TP_ERR_INVALID);

	/* An ID number written as a number comes back as Excel's float, not the ID. */
	assert_int_equal(table_writer_open(path, TABLE_XLSX, NULL, &w), TP_OK);
	assert_int_equal(table_writer_row(w, big, 1, num), TP_OK);
	assert_int_equal(table_writer_close(w), TP_OK);
	assert_int_equal(table_open_file(path, TABLE_XLSX, &r, err, sizeof(err)), TP_OK);
	expect_row(r, 1, 1, "3.505821990010113E+17");
	table_close(r);
	unlink(path);
}

static char *sheet_zip(const char *sheet_data, size_t *len)
{
	static char wb[512], rels[1024], sst[1024], sty[1024], sheet[8192];
	struct entry e[] = {
		{"xl/workbook.xml", wb},
		{"xl/_rels/workbook.xml.rels", rels},
		{"xl/sharedStrings.xml", sst},
		{"xl/styles.xml", sty},
		{"xl/worksheets/data.xml", sheet},
	};

	snprintf(wb, sizeof(wb),
		 "<workbook xmlns='%s' xmlns:rel='%s'><sheets>"
		 "<sheet name='A' sheetId='1' rel:id='rId7'/>"
		 "<sheet name='B' sheetId='2' rel:id='rId1'/></sheets></workbook>",
		 ns_main, ns_rel);
	snprintf(rels, sizeof(rels),
		 "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
		 "relationships'>"
		 "<Relationship Id='rId1' Type='%s/worksheet' Target='worksheets/sheet1.xml'/>"
		 "<Relationship Id='rId7' Type='%s/worksheet' Target='/xl/worksheets/data.xml'/>"
		 "<Relationship Id='rId3' Type='%s/sharedStrings' Target='sharedStrings.xml'/>"
		 "<Relationship Id='rId4' Type='%s/styles' Target='styles.xml'/>"
		 "</Relationships>", ns_rel, ns_rel, ns_rel, ns_rel);
	snprintf(sst, sizeof(sst),
		 "<sst xmlns='%s' count='3' uniqueCount='3'>"
		 "<si><t>plain</t></si>"
		 "<si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space='preserve'>ch &amp; </t></r>"
		 "<rPh sb='0' eb='1'><t>PHONETIC</t></rPh></si>"
		 "<si><t>身份证号</t></si></sst>", ns_main);
	snprintf(sty, sizeof(sty),
		 "<styleSheet xmlns='%s'><numFmts count='2'>"
		 "<numFmt numFmtId='164' formatCode='yyyy\"年\"m\"月\"d\"日\"'/>"
		 "<numFmt numFmtId='165' formatCode='#,##0.00\"days\"'/></numFmts>"
		 "<cellStyleXfs count='1'><xf numFmtId='14'/></cellStyleXfs>"
		 "<cellXfs count='5'><xf numFmtId='0'/><xf numFmtId='14'/><xf numFmtId='164'/>"
		 "<xf numFmtId='165'/><xf numFmtId='31'/></cellXfs></styleSheet>", ns_main);
	snprintf(sheet, sizeof(sheet),
		 "<x:worksheet xmlns:x='%s'><x:sheetData>%s</x:sheetData></x:worksheet>",
		 ns_main, sheet_data);
	return make_zip(e, 5, len);
}

static struct table_reader *open_sheet(const char *sheet_data, char **buf)
{
	struct table_reader *r = NULL;
	char err[128];
	size_t len;

	*buf = sheet_zip(sheet_data, &len);
	if (table_open_mem(*buf, len, TABLE_AUTO, &r, err, sizeof(err)) != TP_OK)
		fail_msg("open: %s", err);
	return r;
}

static void test_reader_corners(void **state)
{
	struct table_reader *r;
	char *buf;

	(void)state;
	r = open_sheet("<x:row r='2'><x:c r='A2' t='s'><x:v>0</x:v></x:c>"
		       "<x:c r='C2' t='s'><x:v>1</x:v></x:c><x:c r='D2' t='s'><x:v>2</x:v></x:c>"
		       "</x:row>"
		       "<x:row r='3'><x:c r='B3' s='1'/><x:c r='IW3' s='1'/></x:row>"
		       "<x:row r='4'><x:c r='A4' t='inlineStr'><x:is><x:t>in</x:t>"
		       "<x:r><x:t>line</x:t></x:r></x:is></x:c>"
		       "<x:c t='b'><x:v>1</x:v></x:c><x:c t='b'><x:v>0</x:v></x:c>"
		       "<x:c><x:v>12345.0</x:v></x:c><x:c><x:v>-7.000</x:v></x:c>"
		       "<x:c><x:v>3.50582199001011E+17</x:v></x:c><x:c><x:v>1.50</x:v></x:c>"
		       "<x:c t='e'><x:v>#N/A</x:v></x:c>"
		       "<x:c t='str'><x:f>A1&amp;B1</x:f><x:v>formula</x:v></x:c></x:row>"
		       "<x:row r='9'><x:c r='A9' s='1'><x:v>45000</x:v></x:c>"
		       "<x:c s='2'><x:v>45001</x:v></x:c><x:c s='3'><x:v>3</x:v></x:c>"
		       "<x:c s='4'><x:v>45002</x:v></x:c><x:c s='99'><x:v>5</x:v></x:c>"
		       "<x:c s='1' t='s'><x:v>0</x:v></x:c></x:row>"
		       "<x:row><x:c><x:v>next</x:v></x:c></x:row>", &buf);
	expect_row(r, 2, 4, "plain", "", "rich & ", "身份证号");
	expect_row(r, 4, 9, "inline", "TRUE", "FALSE", "12345", "-7",
		   "3.50582199001011E+17", "1.50", "#N/A", "formula");
	assert_int_equal(table_cell_is_date(r, 3), 0);
	expect_row(r, 9, 6, "45000", "45001", "3", "45002", "5", "plain");
	assert_int_equal(table_cell_is_date(r, 0), 1);
	assert_int_equal(table_cell_is_date(r, 1), 1);
	assert_int_equal(table_cell_is_date(r, 2), 0);
	assert_int_equal(table_cell_is_date(r, 3), 1);
	assert_int_equal(table_cell_is_date(r, 4), 0);
	assert_int_equal(table_cell_is_date(r, 5), 0);
	expect_row(r, 10, 1, "next");
	expect_end(r);
	table_close(r);
	free(buf);
}

static void test_reader_errors(void **state)
{
	struct table_reader *r;
	char *buf;

	(void)state;
	r = open_sheet("<x:row r='1'><x:c><x:v>a</x:v></x:c></x:row>"
		       "<x:row r='5'><x:c r='IW5'><x:v>too far</x:v></x:c></x:row>", &buf);
	expect_row(r, 1, 1, "a");
	expect_error(r, TP_ERR_TOO_LARGE, "beyond column 256");
	assert_int_equal(table_row_number(r), 5);
	table_close(r);
	free(buf);

	r = open_sheet("<x:row r='1'><x:c r='XFE1'><x:v>1</x:v></x:c></x:row>", &buf);
	expect_error(r, TP_ERR_INVALID, "bad cell reference");
	table_close(r);
	free(buf);

	r = open_sheet("<x:row r='1'><x:c t='s'><x:v>3</x:v></x:c></x:row>", &buf);
	expect_error(r, TP_ERR_INVALID, "bad shared string index");
	table_close(r);
	free(buf);

	r = open_sheet("<x:row r='0'/>", &buf);
	expect_error(r, TP_ERR_INVALID, "bad row number");
	table_close(r);
	free(buf);

	r = open_sheet("<x:row r='1'><x:c><x:v>1</x:c></x:row>", &buf);
	expect_error(r, TP_ERR_INVALID, "XML error");
	table_close(r);
	free(buf);
}

static void test_dtd_refused(void **state)
{
	static const struct entry e[] = {
		{"xl/worksheets/sheet1.xml",
		 "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"
		 "<worksheet><sheetData><row r='1'><c t='inlineStr'><is><t>&b;</t></is></c>"
		 "</row></sheetData></worksheet>"},
	};
	struct table_reader *r = NULL;
	char err[128];
	size_t len;
	char *buf = make_zip(e, 1, &len);

	(void)state;
	assert_int_equal(table_open_mem(buf, len, TABLE_XLSX, &r, err, sizeof(err)), TP_OK);
	expect_error(r, TP_ERR_INVALID, "DTD");
	table_close(r);
	free(buf);
}

static void test_not_a_workbook(void **state)
{
	static const struct entry e[] = {{"readme.txt", "hello"}};
	struct table_reader *r = NULL;
	char err[128];
	size_t len;
	char *buf = make_zip(e, 1, &len);

	(void)state;
	assert_int_equal(table_open_mem(buf, len, TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
	assert_null(r);
	assert_non_null(strstr(err, "no worksheet"));
	free(buf);

	/* Not a zip: TABLE_AUTO reads it as CSV, TABLE_XLSX refuses it. */
	assert_int_equal(table_open_mem("a,b\n", 4, TABLE_AUTO, &r, err, sizeof(err)), TP_OK);
	assert_int_equal(table_detected_format(r), TABLE_CSV);
	expect_row(r, 1, 2, "a", "b");
	table_close(r);
	assert_int_equal(table_open_mem("a,b\n", 4, TABLE_XLSX, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
	assert_non_null(strstr(err, "not a valid XLSX"));
}

/* Every truncation and many single-byte corruptions of a real workbook: errors, no crash. */
static void test_corrupt(void **state)
{
	static const char *const row[] = {"张伟", "350582199001011234", "x"};
	char path[] = "/tmp/tp_test_xlsxc_XXXXXX";
	struct table_writer *w;
	struct table_reader *r;
	const char *const *cells;
	size_t len, i, ncells;
	char err[128];
	char *good, *bad;
	int fd = mkstemp(path), got, errors = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(table_writer_open(path, TABLE_XLSX, NULL, &w), TP_OK);
	for (i = 0; i < 50; i++)
		assert_int_equal(table_writer_row(w, row, 3, NULL), TP_OK);
	assert_int_equal(table_writer_close(w), TP_OK);
	good = slurp(path, &len);
	unlink(path);
	bad = malloc(len);
	assert_non_null(bad);
	for (i = 0; i < len; i += 7) {
		memcpy(bad, good, len);
		bad[i] = (char)(bad[i] ^ 0x5A);
		for (size_t cut = 0; cut < 2; cut++) {
			r = NULL;
			if (table_open_mem(bad, cut ? i : len, TABLE_XLSX, &r, err,
					   sizeof(err)) != TP_OK) {
				assert_null(r);
				assert_true(err[0] != '\0');
				errors++;
				continue;
			}
			while ((got = table_next(r, &cells, &ncells)) == 1)
				assert_true(ncells <= 3);
			if (got < 0) {
				assert_true(table_error(r)[0] != '\0');
				errors++;
			}
			table_close(r);
		}
	}
	assert_true(errors > 0);
	free(bad);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_reader_corners),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_dtd_refused),
		cmocka_unit_test(test_not_a_workbook),
		cmocka_unit_test(test_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
