/*
 * test_totp.c — unit tests for src/core/totp.c against RFC 4226 Appendix D, RFC 6238
 * Appendix B and the RFC 4648 section 10 base32 vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/totp.h"

static const unsigned char seed20[] = "12345678901234567890";
static const unsigned char seed32[] = "12345678901234567890123456789012";
static const unsigned char seed64[] =
	"1234567890123456789012345678901234567890123456789012345678901234";

static void test_rfc4226(void **state)
{
	static const uint32_t want[10] = { 755224, 287082, 359152, 969429, 338314,
					   254676, 287922, 162583, 399871, 520489 };

	(void)state;
	for (uint64_t c = 0; c < 10; c++)
		assert_int_equal(hotp(TOTP_SHA1, seed20, 20, c, 6), want[c]);
}

static void test_rfc6238(void **state)
{
	static const struct {
		int64_t t;
		enum totp_alg alg;
		uint32_t want;
	} v[] = {
		{ 59, TOTP_SHA1, 94287082 },
		{ 59, TOTP_SHA256, 46119246 },
		{ 59, TOTP_SHA512, 90693936 },
		{ 1111111109, TOTP_SHA1, 7081804 },
		{ 1111111109, TOTP_SHA256, 68084774 },
		{ 1111111109, TOTP_SHA512, 25091201 },
		{ 1111111111, TOTP_SHA1, 14050471 },
		{ 1111111111, TOTP_SHA256, 67062674 },
		{ 1111111111, TOTP_SHA512, 99943326 },
		{ 1234567890, TOTP_SHA1, 89005924 },
		{ 1234567890, TOTP_SHA256, 91819424 },
		{ 1234567890, TOTP_SHA512, 93441116 },
		{ 2000000000, TOTP_SHA1, 69279037 },
		{ 2000000000, TOTP_SHA256, 90698825 },
		{ 2000000000, TOTP_SHA512, 38618901 },
		{ INT64_C(20000000000), TOTP_SHA1, 65353130 },
		{ INT64_C(20000000000), TOTP_SHA256, 77737706 },
		{ INT64_C(20000000000), TOTP_SHA512, 47863826 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const unsigned char *key = v[i].alg == TOTP_SHA1     ? seed20
					   : v[i].alg == TOTP_SHA256 ? seed32
								     : seed64;
		size_t keylen = v[i].alg == TOTP_SHA1 ? 20 : v[i].alg == TOTP_SHA256 ? 32 : 64;
		uint32_t got = totp_at(v[i].alg, key, keylen, v[i].t, 8);
		if (got != v[i].want)
			fail_msg("vector %zu: %08u, want %08u", i, (unsigned)got,
				 (unsigned)v[i].want);
	}
	/* 6 digits are the last 6 of 8; the same step for the whole 30 s */
	assert_int_equal(totp_at(TOTP_SHA1, seed20, 20, 59, 6), 287082);
	assert_int_equal(totp_at(TOTP_SHA1, seed20, 20, 30, 6), 287082);
	assert_int_equal(totp_at(TOTP_SHA1, seed20, 20, 29, 6), 755224);
	assert_int_equal(totp_at(TOTP_SHA1, seed20, 20, -1, 6), UINT32_MAX);
}

static void code_at(int64_t step, char out[7])
{
	snprintf(out, 7, "%06u", (unsigned)hotp(TOTP_SHA1, seed20, 20, (uint64_t)step, 6));
}

static void test_check_window(void **state)
{
	const int64_t now = 1111111111, step = now / TOTP_STEP;
	char c[7];

	(void)state;
	for (int64_t d = -1; d <= 1; d++) {
		code_at(step + d, c);
		assert_int_equal(totp_check(seed20, 20, c, now, -1), step + d);
		assert_int_equal(totp_check(seed20, 20, c, now, 0), step + d);
	}
	code_at(step - 2, c);
	assert_int_equal(totp_check(seed20, 20, c, now, -1), -1);
	code_at(step + 2, c);
	assert_int_equal(totp_check(seed20, 20, c, now, -1), -1);

	/* the RFC 4226 value of step 1 is accepted from t = 0 to t = 89 */
	assert_int_equal(totp_check(seed20, 20, "287082", 0, -1), 1);
	assert_int_equal(totp_check(seed20, 20, "287082", 89, -1), 1);
	assert_int_equal(totp_check(seed20, 20, "287082", 90, -1), -1);
	assert_int_equal(totp_check(seed20, 20, "755224", 0, -1), 0);
	assert_int_equal(totp_check(seed20, 20, "755224", -1, -1), -1);
}

static void test_check_replay(void **state)
{
	const int64_t now = 1234567890, step = now / TOTP_STEP;
	char cur[7], next[7], prev[7];

	(void)state;
	code_at(step, cur);
	code_at(step + 1, next);
	code_at(step - 1, prev);
	int64_t last = totp_check(seed20, 20, cur, now, -1);
	assert_int_equal(last, step);
	assert_int_equal(totp_check(seed20, 20, cur, now, last), -1);      /* twice */
	assert_int_equal(totp_check(seed20, 20, prev, now, last), -1);     /* older */
	assert_int_equal(totp_check(seed20, 20, cur, now + 29, last), -1); /* later */
	assert_int_equal(totp_check(seed20, 20, next, now, last), step + 1);
	assert_int_equal(totp_check(seed20, 20, next, now, step + 1), -1);
}

static void test_check_bad_codes(void **state)
{
	static const char *bad[] = { "",	"28708",   "2870822", "28708a", " 287082",
				     "287082 ", "+28708", "-28708",  "２87082", "28 082" };

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (totp_check(seed20, 20, bad[i], 59, -1) != -1)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(totp_check(seed20, 20, NULL, 59, -1), -1);
	/* the right code under another key */
	assert_int_equal(totp_check((const unsigned char *)"abcdefghij0123456789", 20, "287082",
				    59, -1),
			 -1);
}

static void test_base32(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" },	    { "f", "MY" },	   { "fo", "MZXQ" },
		{ "foo", "MZXW6" }, { "foob", "MZXW6YQ" }, { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
	};
	char enc[40];
	unsigned char dec[32];

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t n = strlen(v[i].in);
		assert_int_equal(base32_encode((const unsigned char *)v[i].in, n, enc, sizeof enc),
				 strlen(v[i].out));
		assert_string_equal(enc, v[i].out);
		assert_int_equal(base32_decode(v[i].out, dec, sizeof dec), (long)n);
		assert_memory_equal(dec, v[i].in, n);
	}
	/* the RFC's padded forms, lower case and spaces as apps show them */
	assert_int_equal(base32_decode("MZXW6YQ=", dec, sizeof dec), 4);
	assert_memory_equal(dec, "foob", 4);
	assert_int_equal(base32_decode("MZXW6YTBOI======", dec, sizeof dec), 6);
	assert_memory_equal(dec, "foobar", 6);
	assert_int_equal(base32_decode("mzxw 6ytb oi", dec, sizeof dec), 6);
	assert_memory_equal(dec, "foobar", 6);

	/* the RFC 6238 seed as an authenticator app shows it */
	assert_int_equal(base32_encode(seed20, 20, enc, sizeof enc), 32);
	assert_string_equal(enc, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

	assert_int_equal(base32_decode("MZXW1", dec, sizeof dec), -1);   /* 1 is not base32 */
	assert_int_equal(base32_decode("MZ-XW", dec, sizeof dec), -1);
	assert_int_equal(base32_decode("MZXW6\n", dec, sizeof dec), -1);
	assert_int_equal(base32_decode("M", dec, sizeof dec), -1);       /* impossible length */
	assert_int_equal(base32_decode("MZX", dec, sizeof dec), -1);
	assert_int_equal(base32_decode("MZXW6Y", dec, sizeof dec), -1);
	assert_int_equal(base32_decode("MZXW6YTBOI", dec, 5), -1);       /* out too small */
	assert_int_equal(base32_decode(NULL, dec, sizeof dec), -1);

	/* out too small to encode */
	assert_int_equal(base32_encode((const unsigned char *)"foobar", 6, enc, 10), 0);
	assert_string_equal(enc, "");
	assert_int_equal(base32_encode((const unsigned char *)"foobar", 6, enc, 11), 10);

	/* every length round-trips */
	unsigned char bin[20];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof bin; n++) {
		size_t e = base32_encode(bin, n, enc, sizeof enc);
		assert_int_equal(e, (8 * n + 4) / 5);
		assert_int_equal(base32_decode(enc, dec, sizeof dec), (long)n);
		assert_memory_equal(dec, bin, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4226),
		cmocka_unit_test(test_rfc6238),
		cmocka_unit_test(test_check_window),
		cmocka_unit_test(test_check_replay),
		cmocka_unit_test(test_check_bad_codes),
		cmocka_unit_test(test_base32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
