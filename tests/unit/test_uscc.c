/*
 * test_uscc.c — unit tests for src/core/uscc.c (GB 32100-2015 credit codes).
 *
 * Check characters worked out by hand. Values: 0-9 are themselves, then
 * A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28
 * X29 Y30; weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (3^i mod 31).
 *
 *   91350100M000100Y43   9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4
 *     9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 21*20=420 + 0 + 0 + 0 + 8 + 0 + 0
 *     + 30*30=900 + 4*28=112 = 1640; 1640 % 31 = 28 (31 * 52 = 1612);
 *     31 - 28 = 3 -> '3'. Valid.
 *   91110000600037341L   9 1 1 1 0 0 0 0 6 0 0 0 3 7 3 4 1
 *     9 + 3 + 9 + 27 + 6*20=120 + 3*8=24 + 7*24=168 + 3*10=30 + 4*30=120
 *     + 1*28=28 = 538; 538 % 31 = 11 (31 * 17 = 527); 31 - 11 = 20 -> 'L'. Valid.
 *   914403001922038216   9 1 4 4 0 3 0 0 1 9 2 2 0 3 8 2 1
 *     9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 20 + 261 + 50 + 26 + 0 + 72 + 80 + 60
 *     + 28 = 831; 831 % 31 = 25 (31 * 26 = 806); 31 - 25 = 6 -> '6'. Valid.
 *   000000000000000000   sum 0; 31 - 0 = 31, which counts as 0 -> '0'. Valid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/uscc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* An independent implementation, to build vectors. */
static char ref_check(const char *c17)
{
	int sum = 0, w = 1;

	for (int i = 0; i < 17; i++) {
		sum += (int)(strchr(alphabet, c17[i]) - alphabet) * w;
		w = w * 3 % 31;
	}
	return alphabet[(31 - sum % 31) % 31];
}

static void expect(const char *in, enum uscc_err want, const char *norm)
{
	char out[19];

	memset(out, 'Z', sizeof(out));
	if (uscc_normalize(in, out) != want)
		fail_msg("'%s': got %s, want %s", in ? in : "(null)",
			 uscc_err_code(uscc_normalize(in, out)), uscc_err_code(want));
	assert_string_equal(out, want == USCC_OK ? norm : "");
}

static void test_known_codes(void **state)
{
	(void)state;
	expect("91350100M000100Y43", USCC_OK, "91350100M000100Y43");
	expect("91110000600037341L", USCC_OK, "91110000600037341L");
	expect("914403001922038216", USCC_OK, "914403001922038216");
	expect("000000000000000000", USCC_OK, "000000000000000000");
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(uscc_check_char("91110000600037341"), 'L');
	assert_int_equal(uscc_check_char("91440300192203821"), '6');
	assert_int_equal(uscc_check_char("00000000000000000"), '0');
	expect("91350100M000100Y44", USCC_BAD_CHECKSUM, NULL);
	expect("91110000600037341M", USCC_BAD_CHECKSUM, NULL);
	expect("914403001922038217", USCC_BAD_CHECKSUM, NULL);
}

static void test_case_and_spaces(void **state)
{
	(void)state;
	expect("91350100m000100y43", USCC_OK, "91350100M000100Y43");
	expect("91110000600037341l", USCC_OK, "91110000600037341L");
	expect("  91350100M000100Y43\t\r\n", USCC_OK, "91350100M000100Y43");
	assert_int_equal(uscc_check_char("91350100m000100y4"), '3');
}

static void test_empty_length_chars(void **state)
{
	(void)state;
	expect(NULL, USCC_EMPTY, NULL);
	expect("", USCC_EMPTY, NULL);
	expect("   ", USCC_EMPTY, NULL);
	expect("91350100M000100Y4", USCC_BAD_LENGTH, NULL);
	expect("91350100M000100Y433", USCC_BAD_LENGTH, NULL);
	expect("9135 0100M000100Y43", USCC_BAD_LENGTH, NULL);
	expect("9135 100M000100Y43", USCC_BAD_CHAR, NULL);
	expect("91350100I000100Y43", USCC_BAD_CHAR, NULL); /* I, O, S, V, Z are not used */
	expect("91350100O000100Y43", USCC_BAD_CHAR, NULL);
	expect("91350100S000100Y43", USCC_BAD_CHAR, NULL);
	expect("91350100V000100Y43", USCC_BAD_CHAR, NULL);
	expect("91350100Z000100Y43", USCC_BAD_CHAR, NULL);
	expect("91350100M000100Y4Z", USCC_BAD_CHAR, NULL);
	expect("91350100-000100Y43", USCC_BAD_CHAR, NULL);
	/* order: characters before region */
	expect("91AB0100Z000100Y43", USCC_BAD_CHAR, NULL);
}

static void test_region(void **state)
{
	(void)state;
	expect("91A50100M000100Y43", USCC_BAD_REGION, NULL); /* character 3 */
	expect("9135010YM000100Y43", USCC_BAD_REGION, NULL); /* character 8 */
	/* character 9 starts the organization code: letters allowed there */
	{
		char code[19] = "91350100M000100Y4";

		code[17] = ref_check(code);
		code[18] = '\0';
		expect(code, USCC_OK, code);
	}
	/* order: region before checksum */
	expect("91A50100M000100Y40", USCC_BAD_REGION, NULL);
}

/* Every single substituted character is caught (the weights are all nonzero mod 31). */
static void test_single_substitutions(void **state)
{
	(void)state;
	for (int pos = 0; pos < 18; pos++) {
		for (int k = 0; alphabet[k]; k++) {
			char code[] = "91350100M000100Y43";
			char out[19];

			if (code[pos] == alphabet[k])
				continue;
			code[pos] = alphabet[k];
			assert_int_not_equal(uscc_normalize(code, out), USCC_OK);
		}
	}
}

static void test_generated(void **state)
{
	unsigned x = 12345;

	(void)state;
	for (int n = 0; n < 2000; n++) {
		char code[19];

		for (int i = 0; i < 17; i++) {
			x = x * 1103515245u + 12345u;
			if (i >= 2 && i < 8)
				code[i] = (char)('0' + (x >> 16) % 10);
			else
				code[i] = alphabet[(x >> 16) % 31];
		}
		code[17] = ref_check(code);
		code[18] = '\0';
		assert_int_equal(uscc_check_char(code), code[17]);
		expect(code, USCC_OK, code);
	}
}

static void test_check_char_bad_input(void **state)
{
	(void)state;
	assert_int_equal(uscc_check_char(NULL), '\0');
	assert_int_equal(uscc_check_char("91350100M000100Y"), '\0'); /* only 16 */
	assert_int_equal(uscc_check_char("91350100I000100Y4"), '\0');
}

static void test_messages(void **state)
{
	(void)state;
	assert_string_equal(uscc_err_code(USCC_OK), "ok");
	assert_string_equal(uscc_err_code(USCC_EMPTY), "credit_code_empty");
	assert_string_equal(uscc_err_code(USCC_BAD_LENGTH), "credit_code_length");
	assert_string_equal(uscc_err_code(USCC_BAD_CHAR), "credit_code_char");
	assert_string_equal(uscc_err_code(USCC_BAD_REGION), "credit_code_region");
	assert_string_equal(uscc_err_code(USCC_BAD_CHECKSUM), "credit_code_checksum");
	assert_string_equal(uscc_err_code((enum uscc_err)99), "credit_code_invalid");
	assert_string_equal(uscc_err_zh(USCC_BAD_CHECKSUM), "统一社会信用代码校验位错误");
	for (int e = USCC_OK; e <= USCC_BAD_CHECKSUM + 1; e++) {
		assert_true(strlen(uscc_err_zh((enum uscc_err)e)) > 0);
		assert_true(strlen(uscc_err_en((enum uscc_err)e)) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_codes),
		cmocka_unit_test(test_case_and_spaces),
		cmocka_unit_test(test_empty_length_chars),
		cmocka_unit_test(test_region),
		cmocka_unit_test(test_single_substitutions),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_check_char_bad_input),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
