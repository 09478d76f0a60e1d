/*
 * test_money.c — unit tests for src/core/money.c (yuan text <-> int64_t fen).
 *
 * INT64_MAX = 9223372036854775807 fen = 92233720368547758.07 yuan;
 * INT64_MIN = -9223372036854775808 fen = -92233720368547758.08 yuan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/money.h"

static void expect_ok(const char *s, int64_t want)
{
	int64_t fen = 42;

	if (money_parse_yuan(s, &fen) != 0)
		fail_msg("'%s' rejected", s);
	if (fen != want)
		fail_msg("'%s' -> %lld, want %lld", s, (long long)fen, (long long)want);
}

static void expect_bad(const char *s)
{
	int64_t fen = 42;

	if (money_parse_yuan(s, &fen) != -1)
		fail_msg("'%s' accepted as %lld", s ? s : "(null)", (long long)fen);
	assert_true(fen == 42); /* untouched */
}

static void test_parse_ok(void **state)
{
	(void)state;
	expect_ok("12345", 1234500);
	expect_ok("12345.6", 1234560);
	expect_ok("12,345.67", 1234567);
	expect_ok("-3.5", -350);
	expect_ok("\xc2\xa5" "12.00", 1200);       /* ¥ */
	expect_ok("\xef\xbf\xa5" "12", 1200);      /* fullwidth ￥ */
	expect_ok("-\xc2\xa5" "3.5", -350);
	expect_ok("\xc2\xa5" "-3.5", -350);
	expect_ok("+1", 100);
	expect_ok("0", 0);
	expect_ok("-0.00", 0);
	expect_ok("0.01", 1);
	expect_ok("-0.05", -5);
	expect_ok("  1.5 \t", 150);
	expect_ok("1,234,567.89", 123456789);
	expect_ok("123,456", 12345600);
	expect_ok("007", 700);
	expect_ok("92233720368547758", INT64_C(9223372036854775800));
	expect_ok("92233720368547758.07", INT64_MAX);
	expect_ok("92,233,720,368,547,758.07", INT64_MAX);
	expect_ok("-92233720368547758.08", INT64_MIN);
}

static void test_parse_bad(void **state)
{
	static const char *bad[] = {
		"1.234", "0.001", "1.", ".5", "", " ", "abc", "12a", "1,23", "12,3456", ",123",
		"123,", "1,,234", "1234,567", "1,234,56", "--1", "-+1", "+-1", "¥¥1",
		"1 2", "1.2.3", "\xc2\xa5", "-", "+", "1e5", "0x10", "1.-5", "12 345", "1.5-",
		"- 1", "1,234.5,6", "\xc2", "12.3a",
		/* out of int64_t fen */
		"92233720368547758.08", "92233720368547759", "-92233720368547758.09",
		"99999999999999999999999", "18446744073709551616", "-92233720368547759",
		"100000000000000000000.00",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);
	expect_bad(NULL);
	assert_int_equal(money_parse_yuan("1", NULL), -1);
}

static void test_format(void **state)
{
	char buf[MONEY_YUAN_BUFSZ];

	(void)state;
	money_format_yuan(1234567, buf, sizeof(buf));
	assert_string_equal(buf, "12345.67");
	money_format_yuan(-5, buf, sizeof(buf));
	assert_string_equal(buf, "-0.05");
	money_format_yuan(0, buf, sizeof(buf));
	assert_string_equal(buf, "0.00");
	money_format_yuan(100, buf, sizeof(buf));
	assert_string_equal(buf, "1.00");
	money_format_yuan(-100, buf, sizeof(buf));
	assert_string_equal(buf, "-1.00");
	money_format_yuan(-350, buf, sizeof(buf));
	assert_string_equal(buf, "-3.50");
	money_format_yuan(INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "92233720368547758.07");
	money_format_yuan(INT64_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-92233720368547758.08");
	money_format_yuan(1234567, buf, 4); /* truncated, NUL-terminated */
	assert_string_equal(buf, "123");
	buf[0] = 'Q';
	money_format_yuan(1234567, buf, 0);
	assert_int_equal(buf[0], 'Q');
	money_format_yuan(1234567, NULL, 10); /* no crash */
}

static void test_round_trip(void **state)
{
	static const int64_t v[] = { 0, 1, -1, 99, -99, 100, 12345678, -987654321,
				     INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1 };

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char buf[MONEY_YUAN_BUFSZ];
		int64_t back = 42;

		money_format_yuan(v[i], buf, sizeof(buf));
		assert_int_equal(money_parse_yuan(buf, &back), 0);
		assert_true(back == v[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
