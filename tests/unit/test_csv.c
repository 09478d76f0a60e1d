/*
 * test_csv.c — the CSV half of src/io/table: parsing, encodings, caps, writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/table.h"

static struct table_reader *open_str(const char *s, size_t len)
{
	struct table_reader *r = NULL;
	char err[128];

	assert_int_equal(table_open_mem(s, len, TABLE_AUTO, &r, err, sizeof(err)), TP_OK);
	assert_non_null(r);
	assert_int_equal(table_detected_format(r), TABLE_CSV);
	return r;
}

/* Reads the next row and checks it is exactly the n cells given, at row number rowno. */
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
	assert_int_equal(ncells, 0);
}

static void expect_error(struct table_reader *r, enum tp_rc rc, size_t rowno, const char *frag)
{
	const char *const *cells;
	size_t ncells;
	int got;

	do
		got = table_next(r, &cells, &ncells);
	while (got == 1);
	assert_int_equal(got, -1);
	assert_int_equal(table_error_code(r), rc);
	assert_int_equal(table_row_number(r), rowno);
	assert_non_null(strstr(table_error(r), frag));
	assert_int_equal(table_next(r, &cells, &ncells), -1);
}

#define S(lit) (lit), sizeof(lit) - 1

static void test_quoting(void **state)
{
	static const char in[] = "name,note\r\n"
				 "\"a,b\",\"he said \"\"hi\"\"\"\r\n"
				 "\"two\nlines\",\"cr\r\nlf\"\r\n"
				 "x\"y,\"\"\r\n"
				 "last,\n";
	struct table_reader *r = open_str(S(in));

	(void)state;
	expect_row(r, 1, 2, "name", "note");
	expect_row(r, 2, 2, "a,b", "he said \"hi\"");
	expect_row(r, 3, 2, "two\nlines", "cr\r\nlf");
	expect_row(r, 4, 2, "x\"y", "");
	expect_row(r, 5, 2, "last", "");
	expect_end(r);
	assert_int_equal(table_was_gb18030(r), 0);
	table_close(r);
}

static void test_bom_lf_crlf_cr(void **state)
{
	static const char in[] = "\xEF\xBB\xBFid,name\na,1\r\nb,2\rc,3";
	struct table_reader *r = open_str(S(in));

	(void)state;
	expect_row(r, 1, 2, "id", "name");
	expect_row(r, 2, 2, "a", "1");
	expect_row(r, 3, 2, "b", "2");
	expect_row(r, 4, 2, "c", "3");
	expect_end(r);
	table_close(r);
}

static void test_empty_rows_skipped(void **state)
{
	static const char in[] = "h\n\n\r\nx,y\n,,\n\"\",\ny\n\n";
	struct table_reader *r = open_str(S(in));

	(void)state;
	expect_row(r, 1, 1, "h");
	expect_row(r, 4, 2, "x", "y");
	expect_row(r, 7, 1, "y");
	expect_end(r);
	table_close(r);

	r = open_str("", 0);
	expect_end(r);
	table_close(r);
	r = open_str(S("\xEF\xBB\xBF"));
	expect_end(r);
	table_close(r);
}

static void test_gb18030(void **state)
{
	/* "姓名,身份证号\r\n张伟,11010519491231002X\r\n" in GB18030 (checked with iconv). */
	static const char in[] = "\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5\r\n"
				 "\xD5\xC5\xCE\xB0,11010519491231002X\r\n";
	struct table_reader *r = open_str(S(in));

	(void)state;
	assert_int_equal(table_was_gb18030(r), 1);
	expect_row(r, 1, 2, "姓名", "身份证号");
	expect_row(r, 2, 2, "张伟", "11010519491231002X");
	expect_end(r);
	table_close(r);

	/* The same text in UTF-8 is taken as UTF-8. */
	r = open_str(S("姓名,身份证号\n"));
	assert_int_equal(table_was_gb18030(r), 0);
	expect_row(r, 1, 2, "姓名", "身份证号");
	table_close(r);
}

static void test_bad_encoding(void **state)
{
	struct table_reader *r = (struct table_reader *)1;
	char err[128];

	(void)state;
	assert_int_equal(table_open_mem(S("a,\xFF\xFF\n"), TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
	assert_null(r);
	assert_string_equal(err, "not UTF-8 or GB18030");
	/* A lone lead byte at the end is neither. */
	assert_int_equal(table_open_mem(S("a,b\xD5"), TABLE_CSV, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
	assert_int_equal(table_open_mem(S("a,\0b\n"), TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
	assert_non_null(strstr(err, "NUL"));
	assert_int_equal(table_open_mem(S("\xFF\xFEh\0i\0"), TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_UNSUPPORTED);
	assert_int_equal(table_open_mem(S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), TABLE_AUTO,
					&r, err, sizeof(err)), TP_ERR_UNSUPPORTED);
	assert_non_null(strstr(err, ".xls"));
	/* An overlong UTF-8 '/' is not UTF-8, but is a GB18030 character (\u7ECF). */
	assert_int_equal(table_open_mem(S("\xC0\xAF\n"), TABLE_AUTO, &r, err, sizeof(err)),
			 TP_OK);
	assert_int_equal(table_was_gb18030(r), 1);
	table_close(r);
	/* A UTF-8 surrogate is neither (0x80 cannot follow in GB18030). */
	assert_int_equal(table_open_mem(S("\xED\xA0\x80\n"), TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_INVALID);
}

static void test_parse_errors(void **state)
{
	struct table_reader *r;

	(void)state;
	r = open_str(S("a\nb,\"never\nclosed\n"));
	expect_error(r, TP_ERR_INVALID, 2, "row 2: quoted field never closed");
	table_close(r);

	r = open_str(S("a\n\"x\"y,z\n"));
	expect_error(r, TP_ERR_INVALID, 2, "text after the closing quote");
	table_close(r);
}

static void test_caps(void **state)
{
	size_t n = TABLE_MAX_CELL + 64, i;
	char *buf = malloc(n);
	struct table_reader *r;
	const char *const *cells;
	size_t ncells;
	char err[128];

	(void)state;
	assert_non_null(buf);
	/* A cell of exactly the cap is fine; one byte more is not. */
	memcpy(buf, "h\n", 2);
	memset(buf + 2, 'x', TABLE_MAX_CELL);
	buf[2 + TABLE_MAX_CELL] = '\n';
	r = open_str(buf, 3 + TABLE_MAX_CELL);
	expect_row(r, 1, 1, "h");
	assert_int_equal(table_next(r, &cells, &ncells), 1);
	assert_int_equal(strlen(cells[0]), TABLE_MAX_CELL);
	table_close(r);
	buf[0] = '"';
	memset(buf + 1, 'x', TABLE_MAX_CELL + 1);
	buf[TABLE_MAX_CELL + 2] = '"';
	r = open_str(buf, TABLE_MAX_CELL + 3);
	expect_error(r, TP_ERR_TOO_LARGE, 1, "longer than");
	table_close(r);
	free(buf);

	/* 256 columns fine; a value in column 257 too many; empty ones past it ignored. */
	n = 2 * 300 + 2;
	buf = malloc(n);
	assert_non_null(buf);
	for (i = 0; i < 256; i++) {
		buf[2 * i] = 'v';
		buf[2 * i + 1] = ',';
	}
	memset(buf + 512, ',', 40);
	buf[552] = '\n';
	r = open_str(buf, 553);
	assert_int_equal(table_next(r, &cells, &ncells), 1);
	assert_int_equal(ncells, 256);
	table_close(r);
	buf[540] = 'z';
	r = open_str(buf, 553);
	expect_error(r, TP_ERR_TOO_LARGE, 1, "more than 256 columns");
	table_close(r);
	free(buf);

	/* Input past 256 MiB is refused before it is looked at. */
	buf = malloc(TABLE_MAX_INPUT + 1);
	assert_non_null(buf);
	r = (struct table_reader *)1;
	assert_int_equal(table_open_mem(buf, TABLE_MAX_INPUT + 1, TABLE_AUTO, &r, err,
					sizeof(err)), TP_ERR_TOO_LARGE);
	assert_null(r);
	assert_non_null(strstr(err, "256 MiB"));
	free(buf);
}

static void test_open_file(void **state)
{
	char path[] = "/tmp/tp_test_csv_XXXXXX";
	struct table_reader *r = NULL;
	char err[256];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a,b\n1,2\n", 8), 8);
	close(fd);
	assert_int_equal(table_open_file(path, TABLE_AUTO, &r, err, sizeof(err)), TP_OK);
	expect_row(r, 1, 2, "a", "b");
	expect_row(r, 2, 2, "1", "2");
	expect_end(r);
	table_close(r);
	unlink(path);
	assert_int_equal(table_open_file(path, TABLE_AUTO, &r, err, sizeof(err)),
			 TP_ERR_NOT_FOUND);
	assert_null(r);
	assert_non_null(strstr(err, "cannot open"));
	assert_int_equal(table_open_file("/tmp", TABLE_AUTO, &r, err, sizeof(err)), TP_ERR_IO);
}

static void test_writer_round_trip(void **state)
{
	static const char *const rows[][5] = {
		{"姓名", "身份证号", "备注", "金额", ""},
		{"张伟", "11010519491231002X", "a,b", "123.50", "end"},
		{"\"quoted\"", "350582199001011234", "line1\r\nline2", "", " sp "},
		{"lf\nonly", "", "", "", "x"},
	};
	char path[] = "/tmp/tp_test_csvw_XXXXXX";
	struct table_writer *w;
	struct table_reader *r = NULL;
	const char *const *cells;
	size_t ncells, i, j;
	unsigned char head[3];
	char err[128];
	FILE *fp;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(table_writer_open(path, TABLE_CSV, NULL, &w), TP_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(table_writer_row(w, rows[i], 5, NULL), TP_OK);
	assert_int_equal(table_writer_close(w), TP_OK);

	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, 3, fp), 3);
	fclose(fp);
	assert_memory_equal(head, "\xEF\xBB\xBF", 3);

	assert_int_equal(table_open_file(path, TABLE_AUTO, &r, err, sizeof(err)), TP_OK);
	for (i = 0; i < 4; i++) {
		assert_int_equal(table_next(r, &cells, &ncells), 1);
		assert_int_equal(ncells, 5);
		assert_int_equal(table_row_number(r), i + 1);
		for (j = 0; j < 5; j++)
			assert_string_equal(cells[j], rows[i][j]);
	}
	expect_end(r);
	table_close(r);
	unlink(path);

	assert_int_equal(table_writer_open(path, TABLE_AUTO, NULL, &w), TP_ERR_INVALID);
	assert_int_equal(table_writer_open("/nonexistent/dir/x.csv", TABLE_CSV, NULL, &w),
			 TP_ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_bom_lf_crlf_cr),
		cmocka_unit_test(test_empty_rows_skipped),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_bad_encoding),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_open_file),
		cmocka_unit_test(test_writer_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
