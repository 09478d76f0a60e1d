/*
 * test_date.c — unit tests for src/core/date.c.
 *
 * Expected day counts were worked out by hand: 1970..1999 is 30 * 365 days
 * plus 7 leap days (1972..1996) = 10957, so 2000-01-01 is day 10957.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

static void assert_date(struct civil_date d, int y, int m, int dd)
{
	assert_int_equal(d.y, y);
	assert_int_equal(d.m, m);
	assert_int_equal(d.d, dd);
}

static struct civil_date mk(int y, int m, int d)
{
	struct civil_date r = { y, m, d };

	return r;
}

static void test_valid_leap_years(void **state)
{
	(void)state;
	assert_true(date_valid(2000, 2, 29));  /* divisible by 400 */
	assert_false(date_valid(1900, 2, 29)); /* divisible by 100, not 400 */
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(2100, 2, 29));
	assert_true(date_valid(2023, 2, 28));
	assert_false(date_valid(2024, 4, 31));
	assert_true(date_valid(2024, 12, 31));
	assert_false(date_valid(2024, 12, 32));
	assert_false(date_valid(2024, 0, 1));
	assert_false(date_valid(2024, 13, 1));
	assert_false(date_valid(2024, 1, 0));
	assert_false(date_valid(0, 1, 1));
	assert_true(date_valid(1, 1, 1));
	assert_true(date_valid(9999, 12, 31));
	assert_false(date_valid(10000, 1, 1));
	assert_false(date_valid(-4, 1, 1));
}

static void test_parse_strict(void **state)
{
	struct civil_date d = { 7, 7, 7 };
	static const char *bad[] = {
		"2023-02-29", "1900-02-29", "2024-2-29", " 2024-02-29", "2024-02-29 ",
		"2024/02/29", "20240229", "2024-02-29x", "0000-01-01", "2024-13-01",
		"2024-00-10", "2024-01-00", "+024-01-01", "2024-01-+1", "", "2024-01",
		"2024年02月29日", "19900230",
	};

	(void)state;
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_date(d, 2000, 2, 29);
	assert_int_equal(date_parse("9999-12-31", &d), 0);
	assert_date(d, 9999, 12, 31);
	assert_int_equal(date_parse("0001-01-01", &d), 0);
	assert_date(d, 1, 1, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct civil_date u = { 7, 7, 7 };

		assert_int_equal(date_parse(bad[i], &u), -1);
		assert_date(u, 7, 7, 7); /* untouched on failure */
	}
	assert_int_equal(date_parse(NULL, &d), -1);
	assert_int_equal(date_parse("2024-02-29", NULL), -1);
}

static void test_parse_loose(void **state)
{
	static const struct {
		const char *in;
		int y, m, d;
	} good[] = {
		{ "2024-02-09", 2024, 2, 9 },
		{ "2024-2-9", 2024, 2, 9 }, /* 8 bytes, like YYYYMMDD */
		{ "2024/2/9", 2024, 2, 9 },
		{ "2024/02/09", 2024, 2, 9 },
		{ "2024.12.31", 2024, 12, 31 },
		{ "20240229", 2024, 2, 29 },
		/* 2024年2月9日 spelled in bytes */
		{ "2024\xe5\xb9\xb4" "2\xe6\x9c\x88" "9\xe6\x97\xa5", 2024, 2, 9 },
		{ "1990年12月31日", 1990, 12, 31 },
		{ "  2024-02-09\t", 2024, 2, 9 },
		{ "\xe3\x80\x80" "2024/1/1\xe3\x80\x80", 2024, 1, 1 }, /* U+3000 around */
		{ "\r\n19491001\r\n", 1949, 10, 1 },
	};
	static const char *bad[] = {
		"19900230", "19901301", "00000000", "2023-02-29", "2024/2-9", "2024-2/9",
		"2024年2月9", "2024年2-9日", "2024/123/1", "2024/1/", "2024//1", "24/1/1",
		"", "   ", "2024", "202402291", "2024/1/1 x", "2024 /1/1", "1900.2.29",
		"2024-1-5-", "abcd-1-1", "2024/1/111",
	};
	struct civil_date d;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		d = mk(0, 0, 0);
		assert_int_equal(date_parse_loose(good[i].in, &d), 0);
		assert_date(d, good[i].y, good[i].m, good[i].d);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = mk(7, 7, 7);
		assert_int_equal(date_parse_loose(bad[i], &d), -1);
		assert_date(d, 7, 7, 7);
	}
	assert_int_equal(date_parse_loose(NULL, &d), -1);
}

static void test_format(void **state)
{
	char buf[11];

	(void)state;
	date_format(mk(2024, 2, 9), buf);
	assert_string_equal(buf, "2024-02-09");
	date_format(mk(1, 1, 1), buf);
	assert_string_equal(buf, "0001-01-01");
	date_format(mk(9999, 12, 31), buf);
	assert_string_equal(buf, "9999-12-31");
	date_format(mk(-1, 1, 1), buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(mk(10000, 1, 1), buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(mk(2024, 100, 1), buf);
	assert_string_equal(buf, "0000-00-00");
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(date_to_days(mk(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(mk(1969, 12, 31)), -1);
	assert_int_equal(date_to_days(mk(2000, 1, 1)), 10957);
	/* 2024-01-01: 54 * 365 + 13 leap days (1972..2020) = 19723; + 31 + 28 */
	assert_int_equal(date_to_days(mk(2024, 2, 29)), 19782);
	/* 1900-01-01: 70 * 365 + 17 leap days (1904..1968) = 25567 before 1970 */
	assert_int_equal(date_to_days(mk(1900, 1, 1)), -25567);
	assert_int_equal(date_to_days(mk(1, 1, 1)), -719162);
	assert_int_equal(date_to_days(mk(9999, 12, 31)), 2932896);
	assert_true(date_to_days(mk(2023, 2, 29)) == LONG_MIN);

	assert_date(date_from_days(0), 1970, 1, 1);
	assert_date(date_from_days(19782), 2024, 2, 29);
	assert_date(date_from_days(-25567), 1900, 1, 1);
	assert_date(date_from_days(-719162), 1, 1, 1);
	assert_date(date_from_days(2932896), 9999, 12, 31);
	assert_date(date_from_days(-719163), 0, 0, 0);
	assert_date(date_from_days(2932897), 0, 0, 0);
	assert_date(date_from_days(LONG_MIN), 0, 0, 0);
	assert_date(date_from_days(LONG_MAX), 0, 0, 0);
}

/* Every day of years 1..9999 round-trips, and consecutive days are consecutive dates. */
static void test_days_round_trip_all(void **state)
{
	struct civil_date prev = date_from_days(-719162);

	(void)state;
	for (long n = -719161; n <= 2932896; n++) {
		struct civil_date d = date_from_days(n);

		if (!date_valid(d.y, d.m, d.d) || date_to_days(d) != n || date_cmp(prev, d) >= 0)
			fail_msg("day %ld -> %d-%d-%d", n, d.y, d.m, d.d);
		if (d.d != 1 && d.d != prev.d + 1)
			fail_msg("day %ld skips", n);
		prev = d;
	}
}

static void test_cmp(void **state)
{
	(void)state;
	assert_int_equal(date_cmp(mk(2024, 1, 1), mk(2024, 1, 1)), 0);
	assert_true(date_cmp(mk(2023, 12, 31), mk(2024, 1, 1)) < 0);
	assert_true(date_cmp(mk(2024, 2, 1), mk(2024, 1, 31)) > 0);
	assert_true(date_cmp(mk(2024, 1, 2), mk(2024, 1, 1)) > 0);
}

static void test_today(void **state)
{
	time_t before = time(NULL);
	struct civil_date t = date_today_shanghai();
	time_t after = time(NULL);
	struct tm a, b;
	time_t sa = before + 8 * 3600, sb = after + 8 * 3600;

	(void)state;
	assert_true(date_valid(t.y, t.m, t.d));
	assert_true(date_cmp(t, mk(2025, 1, 1)) >= 0);
	/* Cross-check with the C library, UTC shifted by 8 hours. */
	assert_non_null(gmtime_r(&sa, &a));
	assert_non_null(gmtime_r(&sb, &b));
	assert_true((t.y == a.tm_year + 1900 && t.m == a.tm_mon + 1 && t.d == a.tm_mday) ||
		    (t.y == b.tm_year + 1900 && t.m == b.tm_mon + 1 && t.d == b.tm_mday));
}

static void test_age(void **state)
{
	(void)state;
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(2020, 6, 14)), 29);
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(2020, 6, 15)), 30); /* the birthday */
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(2020, 6, 16)), 30);
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(2020, 5, 31)), 29);
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(1990, 6, 15)), 0);
	assert_int_equal(date_age_on(mk(1990, 6, 15), mk(1990, 6, 14)), -1);
	/* Feb 29: not yet on Feb 28 of a common year, done on Mar 1 */
	assert_int_equal(date_age_on(mk(2000, 2, 29), mk(2001, 2, 28)), 0);
	assert_int_equal(date_age_on(mk(2000, 2, 29), mk(2001, 3, 1)), 1);
	assert_int_equal(date_age_on(mk(2000, 2, 29), mk(2004, 2, 28)), 3);
	assert_int_equal(date_age_on(mk(2000, 2, 29), mk(2004, 2, 29)), 4);
	assert_int_equal(date_age_on(mk(2000, 2, 29), mk(2018, 3, 1)), 18);
	assert_int_equal(date_age_on(mk(2023, 2, 29), mk(2024, 1, 1)), -1); /* invalid */
	assert_int_equal(date_age_on(mk(2000, 1, 1), mk(2023, 2, 29)), -1);
}

static void test_add_years(void **state)
{
	(void)state;
	assert_date(date_add_years(mk(2024, 2, 29), 1), 2025, 2, 28);
	assert_date(date_add_years(mk(2024, 2, 29), 4), 2028, 2, 29);
	assert_date(date_add_years(mk(2024, 2, 29), -100), 1924, 2, 29);
	assert_date(date_add_years(mk(2000, 2, 29), 100), 2100, 2, 28);
	assert_date(date_add_years(mk(2023, 3, 1), 1), 2024, 3, 1);
	assert_date(date_add_years(mk(2023, 1, 31), 0), 2023, 1, 31);
	assert_date(date_add_years(mk(9999, 1, 1), 1), 0, 0, 0);
	assert_date(date_add_years(mk(1, 1, 1), -1), 0, 0, 0);
	assert_date(date_add_years(mk(2000, 1, 1), INT_MAX), 0, 0, 0);
	assert_date(date_add_years(mk(2000, 1, 1), INT_MIN), 0, 0, 0);
	assert_date(date_add_years(mk(2023, 2, 29), 1), 0, 0, 0);
}

static void test_excel(void **state)
{
	struct civil_date d;

	(void)state;
	assert_int_equal(date_from_excel_serial(1, &d), 0);
	assert_date(d, 1900, 1, 1);
	assert_int_equal(date_from_excel_serial(59, &d), 0);
	assert_date(d, 1900, 2, 28);
	d = mk(7, 7, 7);
	assert_int_equal(date_from_excel_serial(60, &d), -1); /* Excel's fake 1900-02-29 */
	assert_date(d, 7, 7, 7);
	assert_int_equal(date_from_excel_serial(61, &d), 0);
	assert_date(d, 1900, 3, 1);
	/* 25569 = 1970-01-01 (day 0); 2025-01-01 is day 20089 (55 * 365 + 14 leap days) */
	assert_int_equal(date_from_excel_serial(25569, &d), 0);
	assert_date(d, 1970, 1, 1);
	assert_int_equal(date_from_excel_serial(45658, &d), 0);
	assert_date(d, 2025, 1, 1);
	assert_int_equal(date_from_excel_serial(45658.75, &d), 0); /* 18:00 that day */
	assert_date(d, 2025, 1, 1);
	assert_int_equal(date_from_excel_serial(36526, &d), 0);
	assert_date(d, 2000, 1, 1);
	assert_int_equal(date_from_excel_serial(2958465, &d), 0);
	assert_date(d, 9999, 12, 31);
	assert_int_equal(date_from_excel_serial(2958465.99, &d), 0);
	assert_int_equal(date_from_excel_serial(2958466, &d), -1);
	assert_int_equal(date_from_excel_serial(0, &d), -1);
	assert_int_equal(date_from_excel_serial(0.5, &d), -1);
	assert_int_equal(date_from_excel_serial(-1, &d), -1);
	assert_int_equal(date_from_excel_serial(NAN, &d), -1);
	assert_int_equal(date_from_excel_serial(INFINITY, &d), -1);
	assert_int_equal(date_from_excel_serial(-INFINITY, &d), -1);
	assert_int_equal(date_from_excel_serial(1e300, &d), -1);
	assert_int_equal(date_from_excel_serial(1, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_leap_years),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_parse_loose),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_days_round_trip_all),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_add_years),
		cmocka_unit_test(test_excel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
