/*
 * fuzz_auth.c — libFuzzer harness for what an attacker types at the login and account
 * doors: base32 TOTP secrets (decode, then encode must give the same bytes back),
 * one-time codes, passwords against both policies, and the audit log's time filters.
 * Each must answer for any bytes and never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/password.h"
#include "core/totp.h"
#include "core/verr.h"
#include "domain/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	unsigned char key[64], back[64];
	long n = base32_decode(s, key, sizeof key);
	if (n > 0) {
		char enc[128];
		base32_encode(key, (size_t)n, enc, sizeof enc);
		if (base32_decode(enc, back, sizeof back) != n || memcmp(key, back, (size_t)n) != 0)
			abort();
		int64_t step = totp_check(key, (size_t)n, s, 1795000000, 0);
		if (step >= 0 && (step < 1795000000 / 30 - 1 || step > 1795000000 / 30 + 1))
			abort();
	}
	static const unsigned char k20[20] = "12345678901234567890";
	totp_check(k20, sizeof k20, s, 59, 0);

	struct arena *a = arena_new();
	if (a) {
		for (int kind = 0; kind < 2; kind++) {
			struct verrors ve;
			verr_init(&ve, a);
			struct password_policy p = password_policy_preset(kind);
			password_policy_check(&p, s, "someone", "password", &ve);
			password_policy_check(&p, s, s, "password", &ve);
		}
		arena_free(a);
	}
	char bound[25];
	audit_time_bound(s, 0, bound);
	audit_time_bound(s, 1, bound);
	free(s);
	return 0;
}
