/*
 * test_luhn.c — unit tests for src/core/luhn.c (bank account numbers).
 *
 * Vectors from published sources, not from the program:
 *   79927398713           the worked example of the Luhn algorithm (Wikipedia, "Luhn
 *                         algorithm"; check digit 3 for payload 7992739871)
 *   4111111111111111      Visa test card (card networks' / Stripe's test numbers)
 *   5555555555554444      Mastercard test card
 *   6011111111111117      Discover test card
 *   6200000000000005      UnionPay test card, 16 digits (Stripe)
 *   6205500000000000004   UnionPay test card, 19 digits (Stripe)
 *   378282246310005       American Express test card: Luhn-valid but 15 digits
 * By hand: 4111111111111112 changes the check digit (sum 31 -> fails); 4111111111111121
 * swaps two adjacent digits ("12" -> "21"), which Luhn catches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/luhn.h"

static void test_published_vectors(void **state)
{
	(void)state;
	assert_true(luhn_valid("79927398713"));
	assert_true(luhn_valid("4111111111111111"));
	assert_true(luhn_valid("5555555555554444"));
	assert_true(luhn_valid("6011111111111117"));
	assert_true(luhn_valid("6200000000000005"));
	assert_true(luhn_valid("6205500000000000004"));
	assert_true(luhn_valid("378282246310005"));
	assert_int_equal(luhn_check_digit("7992739871"), '3');
	assert_int_equal(luhn_check_digit("411111111111111"), '1');
	assert_int_equal(luhn_check_digit("620550000000000000"), '4');
}

static void test_failures(void **state)
{
	(void)state;
	assert_false(luhn_valid("79927398710"));
	assert_false(luhn_valid("4111111111111112"));
	assert_false(luhn_valid("4111111111111121"));
	assert_false(luhn_valid(NULL));
	assert_false(luhn_valid(""));
	assert_false(luhn_valid("0"));
	assert_false(luhn_valid("4111 1111 1111 1111")); /* spaces: normalize first */
	assert_false(luhn_valid("41111111111111a1"));
	assert_int_equal(luhn_check_digit(""), '\0');
	assert_int_equal(luhn_check_digit("12x"), '\0');
}

static void test_normalize_card(void **state)
{
	(void)state;
	char out[BANK_NUMBER_MAX + 1];
	assert_int_equal(bank_number_normalize("6200 0000 0000 0005", 1, out), BANKNO_OK);
	assert_string_equal(out, "6200000000000005");
	assert_int_equal(bank_number_normalize("6205500000000000004", 1, out), BANKNO_OK);
	assert_int_equal(bank_number_normalize("378282246310005", 1, out), BANKNO_BAD_LENGTH);
	assert_string_equal(out, "");
	assert_int_equal(bank_number_normalize("62055000000000000004", 1, out),
			 BANKNO_BAD_LENGTH); /* 20 digits */
	assert_int_equal(bank_number_normalize("4111111111111112", 1, out), BANKNO_BAD_CHECK);
	assert_int_equal(bank_number_normalize("4111-1111-1111-1111", 1, out), BANKNO_BAD_CHAR);
	assert_int_equal(bank_number_normalize("   ", 1, out), BANKNO_EMPTY);
	assert_int_equal(bank_number_normalize(NULL, 1, out), BANKNO_EMPTY);
}

static void test_normalize_corporate(void **state)
{
	(void)state;
	char out[BANK_NUMBER_MAX + 1];
	/* no check digit: a Luhn-invalid number is fine for a corporate account */
	assert_int_equal(bank_number_normalize("35001 6510 0005 2500 1234", 0, out), BANKNO_OK);
	assert_string_equal(out, "350016510000525001234"); /* spaces gone */
	assert_null(strchr(out, ' '));
	assert_int_equal(strlen(out), 21);
	assert_int_equal(bank_number_normalize("12345678", 0, out), BANKNO_OK);
	assert_int_equal(bank_number_normalize("1234567", 0, out), BANKNO_BAD_LENGTH);
	assert_int_equal(bank_number_normalize("1234567890123456789012345678901", 0, out),
			 BANKNO_BAD_LENGTH); /* 31 */
	assert_int_equal(bank_number_normalize("123456789012345678901234567890", 0, out),
			 BANKNO_OK); /* 30 */
}

static void test_mask(void **state)
{
	(void)state;
	char m[24];
	bank_number_mask("6222021234567890128", m);
	assert_string_equal(m, "6222 **** **** 0128");
	bank_number_mask("6200000000000005", m);
	assert_string_equal(m, "6200 **** **** 0005");
	bank_number_mask("12345678", m);
	assert_string_equal(m, "**** 5678");
	bank_number_mask("123", m);
	assert_string_equal(m, "****");
	bank_number_mask("123456789012345678901234567890", m);
	assert_string_equal(m, "1234 **** **** 7890");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vectors), cmocka_unit_test(test_failures),
		cmocka_unit_test(test_normalize_card), cmocka_unit_test(test_normalize_corporate),
		cmocka_unit_test(test_mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
