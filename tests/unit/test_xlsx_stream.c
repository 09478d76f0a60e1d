/*
 * test_xlsx_stream.c — the streaming XLSX writer (src/io/xlsx_stream): number, money and
 * date formats worked out by hand; XML escaping and the characters XML 1.0 cannot carry;
 * sheet names and misuse refused; a round trip (libzip unzips, expat parses, the
 * project's own table reader reads the values back).
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

#include "io/table.h"
#include "io/xlsx_stream.h"
#include "sheets.h"

static char *tmp_path(void)
{
	return sheet_tmp_path("xw");
}

static void test_int_format(void **state)
{
	static const struct {
		int64_t v;
		const char *want;
	} t[] = {
		{0, "0"},
		{7, "7"},
		{-1, "-1"},
		{10, "10"},
		{1000000, "1000000"},
		{INT64_MAX, "9223372036854775807"},
		{INT64_MIN, "-9223372036854775808"},
	};
	char b[XW_NUMBUF];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(xw_fmt_int(b, t[i].v), strlen(t[i].want));
		assert_string_equal(b, t[i].want);
	}
}

/* fen/100 written exactly, no trailing zeros; each text parses to the double nearest
 * fen/100 (one correctly rounded division), which is what the tests of the lists need. */
static void test_money_format(void **state)
{
	static const struct {
		int64_t fen;
		const char *want;
	} t[] = {
		{0, "0"},
		{1, "0.01"},
		{9, "0.09"},
		{10, "0.1"},
		{56, "0.56"},
		{99, "0.99"},
		{100, "1"},
		{101, "1.01"},
		{150000, "1500"},
		{150001, "1500.01"},
		{150050, "1500.5"},
		{-1, "-0.01"},
		{-50, "-0.5"},
		{-12345, "-123.45"},
		{100000000000, "1000000000"},
		{12345678901, "123456789.01"},
		{INT64_MAX, "92233720368547758.07"},
		{INT64_MIN, "-92233720368547758.08"},
	};
	char b[XW_NUMBUF];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(xw_fmt_money(b, t[i].fen), strlen(t[i].want));
		assert_string_equal(b, t[i].want);
		if (t[i].fen > -1000000000000 && t[i].fen < 1000000000000)
			assert_true(strtod(b, NULL) == (double)t[i].fen / 100.0);
	}
}

/* Serial day numbers: 1970-01-01 is 25569 (Excel's epoch offset); 2000-01-01 is 36526;
 * + 26 years of which 7 leap = 9497 days → 2026-01-01 46023; + 304 days of January to
 * October + 26 → 2026-11-27 46353; 2024-01-01 = 36526 + 24 × 365 + 6 = 45292, + 59 →
 * 2024-02-29 45351. */
static void test_date_serial(void **state)
{
	(void)state;
	assert_int_equal(xw_date_serial(1900, 3, 1), 61);
	assert_int_equal(xw_date_serial(1970, 1, 1), 25569);
	assert_int_equal(xw_date_serial(2000, 1, 1), 36526);
	assert_int_equal(xw_date_serial(2026, 1, 1), 46023);
	assert_int_equal(xw_date_serial(2026, 11, 27), 46353);
	assert_int_equal(xw_date_serial(2024, 2, 29), 45351);
	assert_int_equal(xw_date_serial(9999, 12, 31), 2958465);
	assert_int_equal(xw_date_serial(2026, 2, 29), -1);
	assert_int_equal(xw_date_serial(1900, 2, 28), -1); /* before Excel's phantom day */
	assert_int_equal(xw_date_serial(2026, 13, 1), -1);
	assert_int_equal(xw_date_serial(2026, 4, 31), -1);
	assert_int_equal(xw_date_serial(2026, 1, 0), -1);
	assert_int_equal(xw_date_serial(10000, 1, 1), -1);
}

/* The cell r="ref" of the sheet XML: its whole <c …>…</c> text (static buffer). */
static const char *cell(const char *xml, const char *ref)
{
	static char out[40000 * 7];
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

static void is_cell(const char *xml, const char *ref, const char *want)
{
	assert_string_equal(cell(xml, ref), want);
}

/* Every string is escaped; what XML 1.0 cannot carry is dropped; bad UTF-8 becomes '?';
 * strings that look like formulas stay inline text. */
static void test_text_escaping(void **state)
{
	char *path = tmp_path(), *s1, *big = malloc(40001), *cut = malloc(32770), *want;
	struct xw *x;

	(void)state;
	assert_non_null(big);
	assert_non_null(cut);
	memset(big, 'x', 40000);
	big[40000] = '\0';
	memset(cut, 'a', 32766);
	memcpy(cut + 32766, "中", 4); /* a 3-byte character across the 32,767-byte cut */
	assert_int_equal(xw_open(path, &x), TP_OK);
	assert_int_equal(xw_sheet(x, "t", NULL, 0, 0), TP_OK);
	xw_row(x, 0);
	xw_text(x, 0, "a&b<c>d", XW_PLAIN);
	xw_text(x, 1, "say \"hi\" 'x'", XW_PLAIN);
	xw_text(x, 2, "\x01x\x1f\x7f", XW_PLAIN);
	xw_text(x, 3, "tab\there\nline\r", XW_PLAIN);
	xw_text(x, 4, " lead", XW_PLAIN);
	xw_text(x, 5, "\xff\xfe" "bad\xc0\x80", XW_PLAIN);
	xw_text(x, 6, "x\xef\xbf\xbey\xef\xbf\xbf", XW_PLAIN);
	xw_text(x, 7, "_x0041_ and _x41_ and _", XW_PLAIN);
	xw_text(x, 8, "=SUM(A1:A9)", XW_PLAIN);
	xw_text(x, 9, "+86", XW_TEXT);
	xw_text(x, 10, "-5", XW_PLAIN);
	xw_text(x, 11, "@cmd", XW_PLAIN);
	xw_text(x, 12, "欧阳娜娜", XW_BOLD);
	xw_text(x, 13, "", XW_PLAIN);   /* no cell */
	xw_text(x, 14, NULL, XW_PLAIN); /* no cell */
	xw_text(x, 15, big, XW_PLAIN);
	xw_text(x, 16, cut, XW_PLAIN);
	xw_text(x, 17, "\x01 \x02", XW_PLAIN); /* a blank between dropped characters */
	assert_int_equal(xw_close(x), TP_OK);

	s1 = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	assert_true(well_formed(s1));
	is_cell(s1, "A1", "<c r=\"A1\" t=\"inlineStr\"><is><t>a&amp;b&lt;c&gt;d</t></is></c>");
	is_cell(s1, "B1", "<c r=\"B1\" t=\"inlineStr\"><is><t>say \"hi\" 'x'</t></is></c>");
	is_cell(s1, "C1", "<c r=\"C1\" t=\"inlineStr\"><is><t>x\x7f</t></is></c>");
	is_cell(s1, "D1", "<c r=\"D1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
			  "tab\there\nline&#13;</t></is></c>");
	is_cell(s1, "E1",
		"<c r=\"E1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> lead</t></is></c>");
	is_cell(s1, "F1", "<c r=\"F1\" t=\"inlineStr\"><is><t>?\?bad?\?</t></is></c>");
	is_cell(s1, "G1", "<c r=\"G1\" t=\"inlineStr\"><is><t>xy</t></is></c>");
	is_cell(s1, "H1", "<c r=\"H1\" t=\"inlineStr\"><is><t>_x005F_x0041_ and _x41_ and _</t>"
			  "</is></c>");
	is_cell(s1, "I1", "<c r=\"I1\" t=\"inlineStr\"><is><t>=SUM(A1:A9)</t></is></c>");
	is_cell(s1, "J1", "<c r=\"J1\" s=\"2\" t=\"inlineStr\"><is><t>+86</t></is></c>");
	is_cell(s1, "K1", "<c r=\"K1\" t=\"inlineStr\"><is><t>-5</t></is></c>");
	is_cell(s1, "L1", "<c r=\"L1\" t=\"inlineStr\"><is><t>@cmd</t></is></c>");
	is_cell(s1, "M1", "<c r=\"M1\" s=\"1\" t=\"inlineStr\"><is><t>欧阳娜娜</t></is></c>");
	assert_null(strstr(s1, "r=\"N1\""));
	assert_null(strstr(s1, "r=\"O1\""));
	assert_null(strstr(s1, "<f>"));
	/* cut to 32,767 bytes; the character across the cut is left out whole */
	want = malloc(32767 + 64);
	assert_non_null(want);
	snprintf(want, 32767 + 64, "<c r=\"P1\" t=\"inlineStr\"><is><t>%.32767s</t></is></c>", big);
	is_cell(s1, "P1", want);
	snprintf(want, 32767 + 64, "<c r=\"Q1\" t=\"inlineStr\"><is><t>%.32766s</t></is></c>", cut);
	is_cell(s1, "Q1", want);
	is_cell(s1, "R1",
		"<c r=\"R1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> </t></is></c>");
	free(want);
	free(s1);
	free(big);
	free(cut);
	unlink(path);
	free(path);
}

/* Numbers, money, dates and formulas with their cached values; column letters past Z. */
static void test_numbers_and_formulas(void **state)
{
	char *path = tmp_path(), *s1;
	struct xw *x;

	(void)state;
	assert_int_equal(xw_open(path, &x), TP_OK);
	assert_int_equal(xw_sheet(x, "n", NULL, 0, 0), TP_OK);
	xw_row(x, 1); /* row 2: rows may be skipped */
	xw_int(x, 0, -42, XW_PLAIN);
	xw_money(x, 1, 150050, XW_MONEY);
	xw_money(x, 2, -1, XW_BOLD_MONEY);
	xw_date(x, 3, 2026, 11, 27, XW_DATE);
	xw_int(x, 25, 1, XW_INTEGER);
	xw_int(x, 26, 2, XW_PLAIN);
	xw_int(x, 701, 3, XW_PLAIN);
	xw_int(x, 702, 4, XW_PLAIN);
	xw_int(x, XW_MAX_COLS - 1, 5, XW_PLAIN);
	xw_row(x, 1048575);
	xw_formula_money(x, 0, "=SUM(B2:B2)", 150050, XW_BOLD_MONEY);
	xw_formula_int(x, 1, "COUNT('a&b''s'!K2:K9)", 8, XW_INTEGER);
	assert_int_equal(xw_close(x), TP_OK);

	s1 = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	assert_true(well_formed(s1));
	has(s1, "<row r=\"2\"><c r=\"A2\">");
	is_cell(s1, "A2", "<c r=\"A2\"><v>-42</v></c>");
	is_cell(s1, "B2", "<c r=\"B2\" s=\"3\"><v>1500.5</v></c>");
	is_cell(s1, "C2", "<c r=\"C2\" s=\"4\"><v>-0.01</v></c>");
	is_cell(s1, "D2", "<c r=\"D2\" s=\"6\"><v>46353</v></c>");
	is_cell(s1, "Z2", "<c r=\"Z2\" s=\"5\"><v>1</v></c>");
	is_cell(s1, "AA2", "<c r=\"AA2\"><v>2</v></c>");
	is_cell(s1, "ZZ2", "<c r=\"ZZ2\"><v>3</v></c>");
	is_cell(s1, "AAA2", "<c r=\"AAA2\"><v>4</v></c>");
	is_cell(s1, "XFD2", "<c r=\"XFD2\"><v>5</v></c>");
	is_cell(s1, "A1048576", "<c r=\"A1048576\" s=\"4\"><f>SUM(B2:B2)</f><v>1500.5</v></c>");
	is_cell(s1, "B1048576",
		"<c r=\"B1048576\" s=\"5\"><f>COUNT('a&amp;b''s'!K2:K9)</f><v>8</v></c>");
	free(s1);
	unlink(path);
	free(path);
}

/* The other parts: sheets in order with their names escaped, styles, widths, the frozen
 * header; every part well-formed and deflated; the table reader reads it back. */
static void test_round_trip(void **state)
{
	static const double w[3] = {12, 14.5, 0};
	static const char *const parts[] = {"[Content_Types].xml", "_rels/.rels",
					    "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
					    "xl/styles.xml", "xl/worksheets/sheet1.xml",
					    "xl/worksheets/sheet2.xml"};
	char *path = tmp_path(), *p, errmsg[128];
	struct table_reader *r;
	const char *const *cells;
	struct xw *x;
	size_t i, nc;
	int method;

	(void)state;
	assert_int_equal(xw_open(path, &x), TP_OK);
	assert_int_equal(xw_sheet(x, "R&D <一>", w, 3, 1), TP_OK);
	xw_row(x, 0);
	xw_text(x, 0, "名称", XW_BOLD);
	xw_text(x, 1, "金额", XW_BOLD);
	xw_text(x, 2, "日期", XW_BOLD);
	for (i = 1; i <= 2000; i++) {
		xw_row(x, (uint32_t)i);
		xw_text(x, 0, i % 2 ? "张三" : "=1+1", XW_PLAIN);
		xw_money(x, 1, (int64_t)i * 101, XW_MONEY);
		xw_date(x, 2, 2026, 1, (int)(i % 28) + 1, XW_DATE);
	}
	assert_int_equal(xw_sheet(x, "二", NULL, 0, 0), TP_OK);
	assert_int_equal(xw_close(x), TP_OK);

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		p = zip_entry(path, parts[i], &method);
		assert_true(well_formed(p));
		assert_int_equal(method, ZIP_CM_DEFLATE);
		free(p);
	}
	p = zip_entry(path, "xl/workbook.xml", NULL);
	has(p, "<sheet name=\"R&amp;D &lt;一&gt;\" sheetId=\"1\" r:id=\"rId1\"/>"
	       "<sheet name=\"二\" sheetId=\"2\" r:id=\"rId2\"/>");
	free(p);
	p = zip_entry(path, "xl/_rels/workbook.xml.rels", NULL);
	has(p, "Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	       "relationships/worksheet\" Target=\"worksheets/sheet2.xml\"");
	has(p, "Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	       "relationships/styles\"");
	free(p);
	p = zip_entry(path, "[Content_Types].xml", NULL);
	has(p, "PartName=\"/xl/worksheets/sheet2.xml\"");
	free(p);
	p = zip_entry(path, "xl/styles.xml", NULL);
	has(p, "<numFmt numFmtId=\"164\" formatCode=\"¥#,##0.00\"/>");
	has(p, "<cellXfs count=\"7\">");
	free(p);
	p = zip_entry(path, "xl/worksheets/sheet1.xml", NULL);
	has(p, "<sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\" "
	       "topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>");
	has(p, "<cols><col min=\"1\" max=\"1\" width=\"12\" customWidth=\"1\"/>"
	       "<col min=\"2\" max=\"2\" width=\"14.5\" customWidth=\"1\"/>"
	       "<col min=\"3\" max=\"3\" width=\"8.43\" customWidth=\"1\"/></cols>");
	free(p);
	p = zip_entry(path, "xl/worksheets/sheet2.xml", NULL);
	assert_null(strstr(p, "tabSelected"));
	assert_null(strstr(p, "<pane"));
	has(p, "<sheetData></sheetData>");
	free(p);

	/* the project's reader: values, dates flagged as dates */
	assert_int_equal(table_open_file(path, TABLE_XLSX, &r, errmsg, sizeof(errmsg)), TP_OK);
	assert_int_equal(table_next(r, &cells, &nc), 1);
	assert_int_equal(nc, 3);
	assert_string_equal(cells[1], "金额");
	for (i = 1; i <= 2000; i++) {
		assert_int_equal(table_next(r, &cells, &nc), 1);
		assert_string_equal(cells[0], i % 2 ? "张三" : "=1+1");
		assert_true(strtod(cells[1], NULL) == (double)(i * 101) / 100.0);
		assert_true(table_cell_is_date(r, 2));
	}
	assert_int_equal(table_next(r, &cells, &nc), 0);
	table_close(r);
	unlink(path);
	free(path);
}

/* Writes a workbook of three sheets, ~4 MB of XML (several 1 MiB buffers), on threads. */
static void write_big(const char *path, int threads)
{
	struct xw *x;
	uint32_t r;
	int k;

	assert_int_equal(xw_open(path, &x), TP_OK);
	assert_int_equal(xw_set_threads(x, threads), TP_OK);
	for (k = 0; k < 3; k++) {
		char name[8];

		snprintf(name, sizeof(name), "s%d", k);
		assert_int_equal(xw_sheet(x, name, NULL, 0, 1), TP_OK);
		for (r = 0; r < (k == 1 ? 10u : 15000u); r++) {
			xw_row(x, r);
			xw_int(x, 0, (int64_t)r * 7919 % 100003, XW_PLAIN);
			xw_text(x, 1, r % 3 ? "晋江市青阳街道 & <x>" : "=HYPERLINK(\"x\")", XW_TEXT);
			xw_money(x, 2, (int64_t)r * 12345, XW_MONEY);
		}
	}
	assert_int_equal(xw_close(x), TP_OK);
}

/* The deflate thread makes the same entries: the same XML, CRC and deflated bytes. */
static void test_threads_same_file(void **state)
{
	char *p1 = tmp_path(), *p2 = tmp_path();
	zip_t *a, *b;
	int err = 0, k;

	(void)state;
	write_big(p1, 1);
	write_big(p2, 2);
	a = zip_open(p1, ZIP_RDONLY, &err);
	b = zip_open(p2, ZIP_RDONLY, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(zip_get_num_entries(a, 0), zip_get_num_entries(b, 0));
	for (k = 1; k <= 3; k++) {
		char name[40], *xa, *xb;
		zip_stat_t sa, sb;

		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", k);
		assert_int_equal(zip_stat(a, name, 0, &sa), 0);
		assert_int_equal(zip_stat(b, name, 0, &sb), 0);
		assert_int_equal(sa.crc, sb.crc);
		assert_int_equal(sa.size, sb.size);
		assert_int_equal(sa.comp_size, sb.comp_size);
		if (k != 2)
			assert_true(sa.size > 1000000);
		xa = zip_entry(p1, name, NULL);
		xb = zip_entry(p2, name, NULL);
		assert_true(well_formed(xa));
		assert_string_equal(xa, xb);
		free(xa);
		free(xb);
	}
	zip_close(a);
	zip_close(b);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
}

/* Bad sheet names, rows and columns going backwards, an impossible date: the first error
 * sticks, xw_close returns it and the file at the path is removed. */
static void expect_refused(void (*misuse)(struct xw *), enum tp_rc want)
{
	char *path = tmp_path();
	struct xw *x;

	assert_int_equal(xw_open(path, &x), TP_OK);
	misuse(x);
	assert_int_equal(xw_error(x), want);
	assert_int_equal(xw_close(x), want);
	assert_int_not_equal(access(path, F_OK), 0);
	free(path);
}

static void bad_names(struct xw *x)
{
	static const char *const bad[] = {"", "a[1]", "a:b", "a*", "a?", "a/b", "a\\b", "'a",
					  "a'", "tab\there", "\xff", "12345678901234567890123456789012",
					  "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"};
	size_t i;

	assert_int_equal(xw_sheet(x, "Sheet", NULL, 0, 0), TP_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xw *y;
		char *p = tmp_path();

		assert_int_equal(xw_open(p, &y), TP_OK);
		assert_int_equal(xw_sheet(y, bad[i], NULL, 0, 0), TP_ERR_INVALID);
		xw_discard(y);
		unlink(p);
		free(p);
	}
	/* 31 characters are fine; the same name in another case is not */
	assert_int_equal(xw_sheet(x, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", NULL,
				  0, 0),
			 TP_OK);
	assert_int_equal(xw_sheet(x, "it's", NULL, 0, 0), TP_OK);
	assert_int_equal(xw_sheet(x, "SHEET", NULL, 0, 0), TP_ERR_INVALID);
	/* sticky: a good name now fails too */
	assert_int_equal(xw_sheet(x, "other", NULL, 0, 0), TP_ERR_INVALID);
}

static void row_backwards(struct xw *x)
{
	xw_sheet(x, "s", NULL, 0, 0);
	xw_row(x, 5);
	xw_row(x, 5);
}

static void col_backwards(struct xw *x)
{
	xw_sheet(x, "s", NULL, 0, 0);
	xw_row(x, 0);
	xw_int(x, 3, 1, XW_PLAIN);
	xw_text(x, 2, "x", XW_PLAIN);
}

static void cell_before_row(struct xw *x)
{
	xw_sheet(x, "s", NULL, 0, 0);
	xw_int(x, 0, 1, XW_PLAIN);
}

static void bad_date(struct xw *x)
{
	xw_sheet(x, "s", NULL, 0, 0);
	xw_row(x, 0);
	xw_date(x, 0, 2026, 2, 30, XW_DATE);
}

static void too_far(struct xw *x)
{
	xw_sheet(x, "s", NULL, 0, 0);
	xw_row(x, 0);
	xw_int(x, XW_MAX_COLS, 1, XW_PLAIN);
}

static void test_refused(void **state)
{
	char *path = tmp_path();
	struct xw *x;

	(void)state;
	expect_refused(bad_names, TP_ERR_INVALID);
	expect_refused(row_backwards, TP_ERR_INVALID);
	expect_refused(col_backwards, TP_ERR_INVALID);
	expect_refused(cell_before_row, TP_ERR_INVALID);
	expect_refused(bad_date, TP_ERR_INVALID);
	expect_refused(too_far, TP_ERR_INVALID);
	/* no sheet at all: refused at close */
	assert_int_equal(xw_open(path, &x), TP_OK);
	assert_int_equal(xw_close(x), TP_ERR_INVALID);
	assert_int_not_equal(access(path, F_OK), 0);
	/* a row past Excel's last */
	assert_int_equal(xw_open(path, &x), TP_OK);
	xw_sheet(x, "s", NULL, 0, 0);
	xw_row(x, XW_MAX_ROWS);
	assert_int_equal(xw_close(x), TP_ERR_INVALID);
	/* the deflate thread is asked for before the first sheet */
	assert_int_equal(xw_open(path, &x), TP_OK);
	xw_sheet(x, "s", NULL, 0, 0);
	assert_int_equal(xw_set_threads(x, 2), TP_ERR_INVALID);
	assert_int_equal(xw_close(x), TP_ERR_INVALID);
	/* discard writes nothing */
	assert_int_equal(xw_open(path, &x), TP_OK);
	xw_sheet(x, "s", NULL, 0, 0);
	xw_discard(x);
	assert_int_not_equal(access(path, F_OK), 0);
	/* a directory that cannot be written: TP_ERR_IO, nothing left */
	assert_int_equal(xw_open("/nonexistent-dir/x.xlsx", &x), TP_OK);
	xw_sheet(x, "s", NULL, 0, 0);
	assert_int_equal(xw_close(x), TP_ERR_IO);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_format),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_date_serial),
		cmocka_unit_test(test_text_escaping),
		cmocka_unit_test(test_numbers_and_formulas),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_threads_same_file),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
