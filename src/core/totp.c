/*
 * totp.c — HOTP/TOTP (RFC 4226, RFC 6238) and RFC 4648 base32; see totp.h.
 */
#include "core/totp.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define TOTP_CODE_DIGITS 6
#define HOTP_FAIL UINT32_MAX /* never a value: at most 8 digits */

/*
 * Digits outside 6..8 are clamped to that range.  Returns HOTP_FAIL (UINT32_MAX) when
 * the HMAC cannot be computed, which no code of 6..8 digits can equal.
 */
uint32_t hotp(enum totp_alg alg, const unsigned char *key, size_t keylen, uint64_t counter,
	      int digits)
{
	static const unsigned char empty = 0;
	static const uint32_t pow10[] = { 1000000, 10000000, 100000000 };
	const EVP_MD *md = alg == TOTP_SHA512 ? EVP_sha512()
			   : alg == TOTP_SHA256 ? EVP_sha256()
						: EVP_sha1();
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;

	if (digits < 6)
		digits = 6;
	if (digits > 8)
		digits = 8;
	for (int i = 7; i >= 0; i--, counter >>= 8)
		msg[i] = (unsigned char)counter;
	if (!key || keylen == 0)
		key = &empty; /* an empty HMAC key; OpenSSL treats NULL specially */
	if (keylen > INT32_MAX ||
	    !HMAC(md, key, (int)keylen, msg, sizeof msg, mac, &maclen) || maclen < 20)
		return HOTP_FAIL;
	unsigned off = mac[maclen - 1] & 0x0f;
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
		       (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	return bin % pow10[digits - 6];
}

/* Negative times (before 1970) have no step: HOTP_FAIL. */
uint32_t totp_at(enum totp_alg alg, const unsigned char *key, size_t keylen, int64_t t,
		 int digits)
{
	if (t < 0)
		return HOTP_FAIL;
	return hotp(alg, key, keylen, (uint64_t)(t / TOTP_STEP), digits);
}

/*
 * SHA-1, 6 digits, as every authenticator app.  All three candidate steps are computed
 * and compared whatever matches, so the time taken does not tell which one did; when
 * more than one matches (a 1-in-a-million coincidence) the earliest is taken.
 */
int64_t totp_check(const unsigned char *key, size_t keylen, const char *code, int64_t now,
		   int64_t last_step)
{
	int64_t found = -1;

	if (!code || now < 0 || strlen(code) != TOTP_CODE_DIGITS)
		return -1;
	for (int i = 0; i < TOTP_CODE_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return -1;
	int64_t step = now / TOTP_STEP;
	for (int64_t s = step + 1; s >= step - 1; s--) {
		char want[16];
		if (s < 0 || s <= last_step)
			continue;
		uint32_t v = hotp(TOTP_SHA1, key, keylen, (uint64_t)s, TOTP_CODE_DIGITS);
		if (v == HOTP_FAIL)
			continue;
		snprintf(want, sizeof want, "%06u", (unsigned)v);
		if (CRYPTO_memcmp(want, code, TOTP_CODE_DIGITS) == 0)
			found = s;
	}
	return found;
}

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Needs (8n + 4) / 5 + 1 bytes of out; returns 0 (out "" when outlen > 0) if it is short. */
size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	size_t need = (n / 5) * 8 + ((n % 5) * 8 + 4) / 5;
	uint32_t buf = 0;
	int bits = 0;
	size_t o = 0;

	if (outlen < need + 1) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(buf >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(buf << (5 - bits)) & 31];
	out[o] = '\0';
	return o;
}

static int b32_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/*
 * A trailing group of 1, 3 or 6 symbols cannot come from any byte string and is
 * refused; leftover bits of a valid group are dropped.
 */
long base32_decode(const char *in, unsigned char *out, size_t outlen)
{
	uint32_t buf = 0;
	int bits = 0;
	size_t o = 0, symbols = 0;

	if (!in)
		return -1;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '=')
			continue;
		int v = b32_value(*p);
		if (v < 0)
			return -1;
		symbols++;
		buf = (buf << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == outlen)
				return -1;
			out[o++] = (unsigned char)(buf >> bits);
		}
	}
	switch (symbols % 8) {
	case 1:
	case 3:
	case 6:
		return -1;
	default:
		break;
	}
	if (o > (size_t)LONG_MAX)
		return -1;
	return (long)o;
}
