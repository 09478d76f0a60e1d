/*
 * totp.h — time-based one-time passwords (RFC 6238 over RFC 4226 HOTP).
 *
 * Secrets are raw bytes (20 for SHA-1); users type them as RFC 4648 base32.
 * The HMAC comes from OpenSSL's libcrypto (libsodium has no HMAC-SHA-1, which
 * every authenticator app uses).
 */
#ifndef TP_CORE_TOTP_H
#define TP_CORE_TOTP_H

#include <stddef.h>
#include <stdint.h>

enum totp_alg { TOTP_SHA1 = 0, TOTP_SHA256 = 1, TOTP_SHA512 = 2 };

#define TOTP_SECRET_BYTES 20
#define TOTP_STEP 30

/* HOTP value (RFC 4226) of counter, `digits` long (6..8). */
uint32_t hotp(enum totp_alg alg, const unsigned char *key, size_t keylen, uint64_t counter,
	      int digits);

/* TOTP value at unix time t with step 30 s and T0 = 0. */
uint32_t totp_at(enum totp_alg alg, const unsigned char *key, size_t keylen, int64_t t,
		 int digits);

/*
 * Checks a 6-digit code typed by a user at time now, allowing one step of clock drift
 * either way.  Returns the matched time step (> last_step) or -1.  Pass the last step
 * accepted for this account as last_step so a code is never accepted twice.
 */
int64_t totp_check(const unsigned char *key, size_t keylen, const char *code, int64_t now,
		   int64_t last_step);

/* RFC 4648 base32 without padding; returns the length written (out needs (8n+4)/5+1). */
size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);
/* Decodes base32 (case-insensitive, spaces and '=' ignored); returns bytes or -1. */
long base32_decode(const char *in, unsigned char *out, size_t outlen);

#endif
