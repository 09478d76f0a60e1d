/*
 * test_idcard.c — unit tests for src/core/idcard.c (GB 11643-1999 ID numbers, phones).
 *
 * Check characters worked out by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
 * sum % 11 indexes "10X98765432"):
 *
 *   11010519491231002X  digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2
 *     7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 % 11 = 2 -> 'X'   (spec: valid)
 *   440524188001010014  digits 4 4 0 5 2 4 1 8 8 0 0 1 0 1 0 0 1
 *     28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 % 11 = 8 -> '4'  (spec: valid)
 *   35058219900101123?  digits 3 5 0 5 8 2 1 9 9 0 0 1 0 1 1 2 3
 *     21+45+0+25+64+8+2+9+54+0+0+9+0+5+8+8+6 = 264; 264 % 11 = 0 -> '1'
 *     so 350582199001011231 is valid, and ...1234 (spec) and ...1238 are not.
 *   35058220000229123?  digits 3 5 0 5 8 2 2 0 0 0 0 2 2 9 1 2 3
 *     21+45+0+25+64+8+4+0+0+0+0+18+20+45+8+8+6 = 272; 272 % 11 = 8 -> '4'
 *     so 350582200002291234 (born on the leap day 2000-02-29) is valid.
 *
 * 15-digit conversion: insert "19" after the 6-digit region, then append the check:
 *   110105491231002 -> 11010519491231002 + 'X' (above) = 11010519491231002X
 *   350582900101123 -> 35058219900101123 + '1' (above) = 350582199001011231
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/idcard.h"

static const struct civil_date fixed_today = { 2024, 6, 30 };

/* An independent implementation of the check, to build vectors. */
static char ref_check(const char *d17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* Builds an 18-character number with a correct check character from 17 digits. */
static void with_check(const char *d17, char out[19])
{
	memcpy(out, d17, 17);
	out[17] = ref_check(d17);
	out[18] = '\0';
}

static void expect(const char *in, enum idcard_err want, const char *norm)
{
	char out[19];

	memset(out, 'Z', sizeof(out));
	if (idcard_normalize_on(in, fixed_today, out) != want)
		fail_msg("'%s': got %s, want %s", in ? in : "(null)",
			 idcard_err_code(idcard_normalize_on(in, fixed_today, out)),
			 idcard_err_code(want));
	assert_string_equal(out, want == IDCARD_OK ? norm : "");
}

static void test_spec_vectors(void **state)
{
	(void)state;
	expect("11010519491231002X", IDCARD_OK, "11010519491231002X");
	expect("440524188001010014", IDCARD_OK, "440524188001010014"); /* born 1880 */
	expect("350582199001011234", IDCARD_BAD_CHECKSUM, NULL);
	expect("350582199001011238", IDCARD_BAD_CHECKSUM, NULL);
	expect("350582199001011231", IDCARD_OK, "350582199001011231");
	expect("350582200002291234", IDCARD_OK, "350582200002291234");
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("44052418800101001"), '4');
	assert_int_equal(idcard_check_char("35058219900101123"), '1');
	assert_int_equal(idcard_check_char("35058220000229123"), '4');
	/* the real clock agrees for numbers from the past */
	{
		char out[19];

		assert_int_equal(idcard_normalize("11010519491231002X", out), IDCARD_OK);
		assert_string_equal(out, "11010519491231002X");
	}
}

static void test_lowercase_and_spaces(void **state)
{
	(void)state;
	expect("11010519491231002x", IDCARD_OK, "11010519491231002X");
	expect("  11010519491231002x  ", IDCARD_OK, "11010519491231002X");
	expect("\t350582199001011231\r\n", IDCARD_OK, "350582199001011231");
	expect(" 110105491231002 ", IDCARD_OK, "11010519491231002X");
}

static void test_legacy_15(void **state)
{
	(void)state;
	expect("110105491231002", IDCARD_OK, "11010519491231002X");
	expect("350582900101123", IDCARD_OK, "350582199001011231");
	expect("11010549123100X", IDCARD_BAD_CHAR, NULL);
	expect("11010549123100x", IDCARD_BAD_CHAR, NULL);
	expect("350582900230123", IDCARD_BAD_DATE, NULL); /* 1990-02-30 */
	expect("350582000229123", IDCARD_BAD_DATE, NULL); /* 1900-02-29: not a leap year */
	expect("990582900101123", IDCARD_BAD_REGION, NULL);
}

static void test_empty_length_chars(void **state)
{
	(void)state;
	expect(NULL, IDCARD_EMPTY, NULL);
	expect("", IDCARD_EMPTY, NULL);
	expect("    ", IDCARD_EMPTY, NULL);
	expect("11010519491231002", IDCARD_BAD_LENGTH, NULL);
	expect("11010519491231002X1", IDCARD_BAD_LENGTH, NULL);
	expect("1101051949123100", IDCARD_BAD_LENGTH, NULL);
	expect("1101054912310022", IDCARD_BAD_LENGTH, NULL);
	expect("1101 0519491231002X", IDCARD_BAD_LENGTH, NULL);
	expect("abc", IDCARD_BAD_LENGTH, NULL);
	expect("1101051949 231002X", IDCARD_BAD_CHAR, NULL);
	expect("1101051949X231002X", IDCARD_BAD_CHAR, NULL);
	expect("11010519491231002Y", IDCARD_BAD_CHAR, NULL);
	expect("X10105194912310020", IDCARD_BAD_CHAR, NULL);
	expect("-10105194912310020", IDCARD_BAD_CHAR, NULL);
	/* order: characters are checked before region and date */
	expect("99A105194912310020", IDCARD_BAD_CHAR, NULL);
}

static void test_region(void **state)
{
	static const int ok[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
				  41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64,
				  65, 71, 81, 82, 83 };

	(void)state;
	for (int p = 0; p < 100; p++) {
		char d17[18], id[19], out[19];
		int want = 0;

		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			want |= ok[i] == p;
		snprintf(d17, sizeof(d17), "%02d%s", p, "058219900101123");
		with_check(d17, id);
		assert_int_equal(idcard_normalize_on(id, fixed_today, out),
				 want ? IDCARD_OK : IDCARD_BAD_REGION);
	}
	expect("000000199001011231", IDCARD_BAD_REGION, NULL);
	expect("990582199001011231", IDCARD_BAD_REGION, NULL);
	expect("910582199001011231", IDCARD_BAD_REGION, NULL);
	expect("350000199001011231", IDCARD_BAD_REGION, NULL); /* digits 3-6 "0000" */
	expect("110000194912310020", IDCARD_BAD_REGION, NULL);
	/* order: region before date */
	expect("990582199002301231", IDCARD_BAD_REGION, NULL);
}

static void test_dates(void **state)
{
	static const struct {
		const char *d17;
		enum idcard_err want;
	} cases[] = {
		{ "35058219900230123", IDCARD_BAD_DATE }, /* Feb 30 */
		{ "35058219901301123", IDCARD_BAD_DATE }, /* month 13 */
		{ "35058200000000123", IDCARD_BAD_DATE },
		{ "35058219900100123", IDCARD_BAD_DATE }, /* day 0 */
		{ "35058219000229123", IDCARD_BAD_DATE }, /* 1900 is not a leap year */
		{ "35058220000229123", IDCARD_OK },       /* 2000 is */
		{ "35058220240229123", IDCARD_OK },       /* so is 2024 */
		{ "35058220230229123", IDCARD_BAD_DATE },
		{ "35058217991231123", IDCARD_BAD_DATE }, /* before 1800-01-01 */
		{ "35058218000101123", IDCARD_OK },
		{ "35058220240630123", IDCARD_OK },       /* born "today" */
		{ "35058220240701123", IDCARD_BAD_DATE }, /* tomorrow */
		{ "35058220990101123", IDCARD_BAD_DATE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char id[19], out[19];

		with_check(cases[i].d17, id);
		if (idcard_normalize_on(id, fixed_today, out) != cases[i].want)
			fail_msg("%s: want %s", id, idcard_err_code(cases[i].want));
	}
	/* with the real clock, 2099 is in the future */
	{
		char id[19], out[19];

		with_check("35058220990101123", id);
		assert_int_equal(idcard_normalize(id, out), IDCARD_BAD_DATE);
		assert_string_equal(out, "");
	}
	/* order: date before checksum */
	expect("350582199002301230", IDCARD_BAD_DATE, NULL);
}

/* Generated vectors: every correct check passes; every other last character fails. */
static void test_generated(void **state)
{
	static const char *regions[] = { "350582", "110105", "440524", "650102" };
	static const char *births[] = { "19491001", "19800229", "20000101", "20231231" };
	static const char last[] = "0123456789X";
	int n = 0;

	(void)state;
	for (size_t r = 0; r < sizeof(regions) / sizeof(regions[0]); r++) {
		for (size_t b = 0; b < 4; b++) {
			for (int seq = 0; seq < 1000; seq += 37) {
				char d17[18], id[19], out[19];

				snprintf(d17, sizeof(d17), "%s%s%03d", regions[r], births[b], seq);
				with_check(d17, id);
				assert_int_equal(idcard_check_char(d17), id[17]);
				assert_int_equal(idcard_normalize_on(id, fixed_today, out),
						 IDCARD_OK);
				assert_string_equal(out, id);
				for (int k = 0, right = id[17]; last[k]; k++) {
					if (last[k] == right)
						continue;
					id[17] = last[k];
					assert_int_equal(idcard_normalize_on(id, fixed_today, out),
							 IDCARD_BAD_CHECKSUM);
				}
				n++;
			}
		}
	}
	assert_true(n > 100);
	/* 830000: Taiwan residents' permits, region digits 3-6 are "0000" -> rejected */
	{
		char id[19], out[19];

		with_check("83000019900101123", id);
		assert_int_equal(idcard_normalize_on(id, fixed_today, out), IDCARD_BAD_REGION);
		with_check("83020019900101123", id);
		assert_int_equal(idcard_normalize_on(id, fixed_today, out), IDCARD_OK);
	}
}

/* MOD 11-2 catches every single changed digit. */
static void test_single_digit_errors(void **state)
{
	(void)state;
	for (int pos = 0; pos < 17; pos++) {
		for (char c = '0'; c <= '9'; c++) {
			char id[] = "350582199001011231";
			char out[19];

			if (id[pos] == c)
				continue;
			id[pos] = c;
			assert_int_not_equal(idcard_normalize_on(id, fixed_today, out), IDCARD_OK);
		}
	}
}

static void test_check_char_bad_input(void **state)
{
	(void)state;
	assert_int_equal(idcard_check_char(NULL), '\0');
	assert_int_equal(idcard_check_char("1101051949123100"), '\0'); /* only 16 */
	assert_int_equal(idcard_check_char("1101051949123100X"), '\0');
}

static void test_birth_gender_mask(void **state)
{
	struct civil_date d;
	char m[19];

	(void)state;
	d = idcard_birth_date("11010519491231002X");
	assert_int_equal(d.y, 1949);
	assert_int_equal(d.m, 12);
	assert_int_equal(d.d, 31);
	d = idcard_birth_date("440524188001010014");
	assert_int_equal(d.y, 1880);
	d = idcard_birth_date("350582199002301231");
	assert_int_equal(d.y, 0);
	d = idcard_birth_date("3505821990");
	assert_int_equal(d.y, 0);
	d = idcard_birth_date(NULL);
	assert_int_equal(d.y, 0);

	assert_int_equal(idcard_gender("11010519491231002X"), 'F'); /* 17th digit 2 */
	assert_int_equal(idcard_gender("440524188001010014"), 'M'); /* 1 */
	assert_int_equal(idcard_gender("350582199001011231"), 'M'); /* 3 */
	assert_int_equal(idcard_gender("350582199001011201"), 'F'); /* 0 is even */
	assert_int_equal(idcard_gender("3505821990010112"), '\0');
	assert_int_equal(idcard_gender(NULL), '\0');

	idcard_mask("350582199001011231", m);
	assert_string_equal(m, "350582********1231");
	idcard_mask("11010519491231002X", m);
	assert_string_equal(m, "110105********002X");
	idcard_mask("110105491231002", m); /* not normalized: hide it all */
	assert_string_equal(m, "***************");
	idcard_mask("11010519491231002X99", m);
	assert_string_equal(m, "******************");
	idcard_mask("", m);
	assert_string_equal(m, "");
	idcard_mask(NULL, m);
	assert_string_equal(m, "");
}

static void test_messages(void **state)
{
	(void)state;
	assert_string_equal(idcard_err_code(IDCARD_OK), "ok");
	assert_string_equal(idcard_err_code(IDCARD_EMPTY), "id_number_empty");
	assert_string_equal(idcard_err_code(IDCARD_BAD_LENGTH), "id_number_length");
	assert_string_equal(idcard_err_code(IDCARD_BAD_CHAR), "id_number_char");
	assert_string_equal(idcard_err_code(IDCARD_BAD_REGION), "id_number_region");
	assert_string_equal(idcard_err_code(IDCARD_BAD_DATE), "id_number_date");
	assert_string_equal(idcard_err_code(IDCARD_BAD_CHECKSUM), "id_number_checksum");
	assert_string_equal(idcard_err_code((enum idcard_err)99), "id_number_invalid");
	assert_string_equal(idcard_err_zh(IDCARD_BAD_CHECKSUM), "身份证号码校验位错误");
	for (int e = IDCARD_OK; e <= IDCARD_BAD_CHECKSUM + 1; e++) {
		assert_non_null(idcard_err_zh((enum idcard_err)e));
		assert_non_null(idcard_err_en((enum idcard_err)e));
		assert_true(strlen(idcard_err_en((enum idcard_err)e)) > 0);
	}
}

static void test_phone_mask(void **state)
{
	char out[64];

	(void)state;
	phone_mask("13812345678", out, sizeof(out));
	assert_string_equal(out, "138****5678");
	phone_mask("19912345678", out, sizeof(out));
	assert_string_equal(out, "199****5678");
	phone_mask("0595-85681234", out, sizeof(out));
	assert_string_equal(out, "059********34");
	phone_mask("12812345678", out, sizeof(out)); /* not a mobile: generic rule */
	assert_string_equal(out, "128******78");
	phone_mask("123456", out, sizeof(out));
	assert_string_equal(out, "123*56");
	phone_mask("12345", out, sizeof(out)); /* would show everything: all stars */
	assert_string_equal(out, "*****");
	phone_mask("1234", out, sizeof(out));
	assert_string_equal(out, "****");
	phone_mask("", out, sizeof(out));
	assert_string_equal(out, "");
	phone_mask(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	/* UTF-8: characters, not bytes */
	phone_mask("欧阳娜娜很好", out, sizeof(out));
	assert_string_equal(out, "欧阳娜*很好");
	phone_mask("张三丰先生", out, sizeof(out));
	assert_string_equal(out, "*****");
	/* truncation keeps the NUL and never splits a character */
	phone_mask("13812345678", out, 5);
	assert_string_equal(out, "138*");
	phone_mask("欧阳娜娜很好", out, 5);
	assert_string_equal(out, "欧");
	phone_mask("13812345678", out, 1);
	assert_string_equal(out, "");
	out[0] = 'Q';
	phone_mask("13812345678", out, 0);
	assert_int_equal(out[0], 'Q');
}

static void test_phone_valid(void **state)
{
	static const char *good[] = {
		"13812345678", "19912345678", "15000000000", "0595-85681234", "059585681234",
		"010-12345678", "01012345678", "0595-8568123", "05958568123", "021-1234567",
	};
	static const char *bad[] = {
		"12812345678", "10812345678", "1381234567", "138123456789", "1381234567a",
		"0595-856812", "0595-856812345", "00595-85681234", "595-85681234",
		"0595--85681234", "0595-8568-1234", "", "+8613812345678", "0595 85681234",
		"059585", "0-12345678", "0000-1234567", "05-12345678", "05958-1234567",
		"0595-", "-85681234", "0595856812345",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!phone_valid(good[i]))
			fail_msg("'%s' should be valid", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (phone_valid(bad[i]))
			fail_msg("'%s' should be invalid", bad[i]);
	}
	assert_false(phone_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_vectors),
		cmocka_unit_test(test_lowercase_and_spaces),
		cmocka_unit_test(test_legacy_15),
		cmocka_unit_test(test_empty_length_chars),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_single_digit_errors),
		cmocka_unit_test(test_check_char_bad_input),
		cmocka_unit_test(test_birth_gender_mask),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_phone_mask),
		cmocka_unit_test(test_phone_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
