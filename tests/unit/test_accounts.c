/*
 * Unit tests: accounts, login throttling and lock, session expiry, revocation, TOTP
 * login and self-registration — with the time passed in (no sleeps).  Expected values
 * come from the rules in domain/accounts.h: throttle 2^(n-5) s from the 5th failure,
 * lock 15 min at the 10th, idle 15 min (staff) / 30 min, absolute 12 h.
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
#include <sodium.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/totp.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "store/store.h"
#include "testdb.h"

#define T0 1795000000LL /* 2026-11-17 */
#define PW "Right-horse-42"

struct fx {
	char path[64];
	struct store *st;
	struct arena *a;
	int64_t uid;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (testdb_create(f->path, "acct", &f->st) != 0)
		return -1;
	f->a = arena_new();
	struct user u;
	memset(&u, 0, sizeof u);
	u.username = "clerk";
	u.display_name = "Clerk";
	u.role = ROLE_OFFICE_REVIEWER;
	struct verrors ve;
	verr_init(&ve, f->a);
	struct actor sys = actor_system();
	if (account_create(f->st, &sys, &u, PW, NULL, T0, &ve) != TP_OK)
		return -1;
	f->uid = u.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testdb_remove(f->path, f->st);
	arena_free(f->a);
	free(f);
	return 0;
}

static enum login_outcome try_login(struct fx *f, const char *pw, int64_t now,
				    struct login_result *lr)
{
	assert_int_equal(auth_login(f->st, f->a, "clerk", pw, NULL, "10.0.0.1", now, lr), TP_OK);
	return lr->outcome;
}

static void test_login_and_first_change(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	assert_int_equal(strlen(lr.token), 43);
	assert_true(lr.restricted); /* made by someone else: must change at first login */
	assert_int_equal(lr.expires_at, T0 + SESSION_ABSOLUTE);
	/* the username is case-insensitive; a wrong password is not */
	assert_int_equal(auth_login(f->st, f->a, "CLERK", PW, NULL, "", T0, &lr), TP_OK);
	assert_int_equal(lr.outcome, LOGIN_OK);
	assert_int_equal(try_login(f, "right-horse-42", T0, &lr), LOGIN_INVALID);
	assert_int_equal(auth_login(f->st, f->a, "nobody", PW, NULL, "", T0, &lr), TP_OK);
	assert_int_equal(lr.outcome, LOGIN_INVALID);
}

static void test_throttle_then_lock(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	int64_t now = T0;
	for (int i = 1; i <= 4; i++) /* failures 1-4: nothing more */
		assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID);
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID); /* 5th: 1 s wait */
	assert_int_equal(try_login(f, PW, now, &lr), LOGIN_THROTTLED);
	assert_int_equal(lr.retry_after, 1);
	now += 1;
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID); /* 6th: 2 s */
	assert_int_equal(try_login(f, "wrong", now + 1, &lr), LOGIN_THROTTLED);
	assert_int_equal(lr.retry_after, 1);
	now += 2;
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID); /* 7th: 4 s */
	now += 4;
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID); /* 8th: 8 s */
	now += 8;
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_INVALID); /* 9th: 16 s */
	assert_int_equal(try_login(f, "wrong", now + 15, &lr), LOGIN_THROTTLED);
	now += 16;
	assert_int_equal(try_login(f, "wrong", now, &lr), LOGIN_LOCKED); /* 10th: locked */
	assert_int_equal(lr.retry_after, LOGIN_LOCK_SECS);
	assert_int_equal(try_login(f, PW, now + LOGIN_LOCK_SECS - 1, &lr), LOGIN_LOCKED);
	assert_int_equal(lr.retry_after, 1);
	assert_int_equal(try_login(f, PW, now + LOGIN_LOCK_SECS, &lr), LOGIN_OK);
	/* a success clears the count: four more failures cost nothing */
	for (int i = 1; i <= 4; i++)
		assert_int_equal(try_login(f, "wrong", now + LOGIN_LOCK_SECS, &lr), LOGIN_INVALID);
	assert_int_equal(try_login(f, PW, now + LOGIN_LOCK_SECS, &lr), LOGIN_OK);
}

static void test_idle_and_absolute_expiry(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	struct auth_info ai;
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	/* staff: 15 minutes idle */
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0 + SESSION_IDLE_STAFF, &ai),
			 TP_OK);
	assert_int_equal(ai.actor.role, ROLE_OFFICE_REVIEWER);
	int64_t last = T0 + SESSION_IDLE_STAFF; /* that request was recorded (> 60 s since) */
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", last + SESSION_IDLE_STAFF + 1, &ai),
			 TP_ERR_NOT_FOUND);
	/* absolute: activity every 10 minutes does not stretch it past 12 hours */
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	int64_t t;
	for (t = T0 + 600; t < T0 + SESSION_ABSOLUTE; t += 600)
		assert_int_equal(auth_session(f->st, f->a, lr.token, "", t, &ai), TP_OK);
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0 + SESSION_ABSOLUTE, &ai),
			 TP_ERR_NOT_FOUND);
	/* a token that is not ours */
	char other[44];
	token_random(other);
	assert_int_equal(auth_session(f->st, f->a, other, "", T0, &ai), TP_ERR_NOT_FOUND);
}

static void test_logout_and_password_change_revoke(void **state)
{
	struct fx *f = *state;
	struct login_result a1, a2, changed;
	struct auth_info ai, ai2;
	assert_int_equal(try_login(f, PW, T0, &a1), LOGIN_OK);
	assert_int_equal(try_login(f, PW, T0, &a2), LOGIN_OK);
	assert_string_not_equal(a1.token, a2.token); /* a new token at every login */
	assert_int_equal(auth_session(f->st, f->a, a1.token, "", T0, &ai), TP_OK);
	char tok[44];
	struct api_token at;
	struct verrors ve;
	verr_init(&ve, f->a);
	assert_int_equal(auth_token_create(f->st, &ai, "ci", 30, T0, tok, &at, &ve), TP_OK);
	assert_int_equal(auth_bearer(f->st, f->a, tok, "", T0, &ai2), TP_OK);
	assert_int_equal(auth_bearer(f->st, f->a, tok, "", T0 + 30 * 86400, &ai2),
			 TP_ERR_NOT_FOUND); /* expired */
	/* logout ends that session only */
	assert_int_equal(auth_logout(f->st, &ai), TP_OK);
	assert_int_equal(auth_session(f->st, f->a, a1.token, "", T0, &ai), TP_ERR_NOT_FOUND);
	assert_int_equal(auth_session(f->st, f->a, a2.token, "", T0, &ai), TP_OK);
	/* the policy refuses a weak new password and changes nothing */
	assert_int_equal(auth_change_password(f->st, f->a, &ai, PW, "short", T0, &changed, &ve),
			 TP_ERR_INVALID);
	assert_int_equal(auth_session(f->st, f->a, a2.token, "", T0, &ai), TP_OK);
	verr_init(&ve, f->a);
	assert_int_equal(
		auth_change_password(f->st, f->a, &ai, PW, "Another-horse-43", T0, &changed, &ve),
		TP_OK);
	assert_int_equal(changed.outcome, LOGIN_OK);
	assert_false(changed.restricted);
	assert_int_equal(auth_session(f->st, f->a, a2.token, "", T0, &ai), TP_ERR_NOT_FOUND);
	assert_int_equal(auth_bearer(f->st, f->a, tok, "", T0, &ai2), TP_ERR_NOT_FOUND);
	assert_int_equal(auth_session(f->st, f->a, changed.token, "", T0, &ai), TP_OK);
	assert_int_equal(try_login(f, PW, T0, &a1), LOGIN_INVALID);
	assert_int_equal(try_login(f, "Another-horse-43", T0, &a1), LOGIN_OK);
}

static void test_staff_password_expires(void **state)
{
	struct fx *f = *state;
	struct login_result lr, changed;
	struct auth_info ai;
	struct verrors ve;
	verr_init(&ve, f->a);
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_OK);
	assert_int_equal(
		auth_change_password(f->st, f->a, &ai, PW, "Fresh-garden-77", T0, &changed, &ve),
		TP_OK);
	assert_false(changed.restricted);
	/* 等保 preset: staff passwords expire after 90 days */
	int64_t later = T0 + 90 * 86400 + 1;
	assert_int_equal(try_login(f, "Fresh-garden-77", later, &lr), LOGIN_OK);
	assert_true(lr.restricted);
	/* the ASVS preset has no rotation */
	struct actor sys = actor_system();
	verr_init(&ve, f->a);
	assert_int_equal(settings_set(f->st, &sys, "asvs", NULL, 0, 0, &ve), TP_OK);
	assert_int_equal(try_login(f, "Fresh-garden-77", later, &lr), LOGIN_OK);
	assert_false(lr.restricted);
}

static void test_totp_login(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	struct auth_info ai;
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_OK);
	char b32[40];
	assert_int_equal(auth_totp_begin(f->st, &ai, b32), TP_OK);
	unsigned char key[TOTP_SECRET_BYTES];
	assert_int_equal(base32_decode(b32, key, sizeof key), TOTP_SECRET_BYTES);
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_OK);
	assert_int_equal(auth_totp_confirm(f->st, &ai, "000000", T0) == TP_ERR_INVALID ||
				 totp_at(TOTP_SHA1, key, sizeof key, T0, 6) == 0,
			 1);
	char code[8];
	snprintf(code, sizeof code, "%06u", totp_at(TOTP_SHA1, key, sizeof key, T0, 6));
	assert_int_equal(auth_totp_confirm(f->st, &ai, code, T0), TP_OK);
	/* from now on the password alone is not enough */
	int64_t t = T0 + 60;
	assert_int_equal(try_login(f, PW, t, &lr), LOGIN_MFA_NEEDED);
	snprintf(code, sizeof code, "%06u", totp_at(TOTP_SHA1, key, sizeof key, t, 6));
	assert_int_equal(auth_login(f->st, f->a, "clerk", PW, code, "", t, &lr), TP_OK);
	assert_int_equal(lr.outcome, LOGIN_OK);
	/* the same code again is a replay */
	assert_int_equal(auth_login(f->st, f->a, "clerk", PW, code, "", t, &lr), TP_OK);
	assert_int_equal(lr.outcome, LOGIN_MFA_INVALID);
}

/* keys rotate re-seals TOTP secrets too: the second factor survives a rotation */
static void test_totp_secret_rotates(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	struct auth_info ai;
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_OK);
	char b32[40];
	assert_int_equal(auth_totp_begin(f->st, &ai, b32), TP_OK);
	unsigned char key[TOTP_SECRET_BYTES];
	assert_int_equal(base32_decode(b32, key, sizeof key), TOTP_SECRET_BYTES);
	uint32_t old_id = 0, new_id = 0;
	struct pii_key_info info;
	assert_int_equal(STORE_CALL(pii_key_info, f->st, &info), TP_OK);
	old_id = info.active_id;
	assert_int_equal(STORE_CALL(pii_add_key, f->st, &new_id), TP_OK);
	assert_int_not_equal(old_id, new_id);
	struct pii_rekey_pos pos = {0};
	int64_t resealed = 0, total = 0;
	while (pos.table != PII_REKEY_DONE) { /* a transaction per batch */
		assert_int_equal(STORE_CALL(pii_rekey, f->st, 2, &pos, &resealed), TP_OK);
		total += resealed; /* each call counts its own batch */
	}
	assert_int_equal(total, 1); /* the one TOTP secret (no talents in this database) */
	struct pii_key_count *counts;
	size_t n;
	assert_int_equal(STORE_CALL(pii_key_counts, f->st, f->a, &counts, &n), TP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(counts[0].key_id, new_id);
	/* the secret still opens and still gives the same codes */
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_OK);
	assert_memory_equal(ai.user.totp_secret, key, sizeof key);
	char code[8];
	snprintf(code, sizeof code, "%06u", totp_at(TOTP_SHA1, key, sizeof key, T0, 6));
	assert_int_equal(auth_totp_confirm(f->st, &ai, code, T0), TP_OK);
}

static void test_every_attempt_audited(void **state)
{
	struct fx *f = *state;
	struct login_result lr;
	try_login(f, PW, T0, &lr);
	try_login(f, "wrong", T0, &lr);
	auth_login(f->st, f->a, "ghost", "x", NULL, "10.0.0.9", T0, &lr);
	struct audit_query q = {.limit = 50};
	struct audit_page page;
	assert_int_equal(audit_list(f->st, &q, f->a, &page), TP_OK);
	int ok = 0, failed = 0, ghost = 0;
	for (size_t i = 0; i < page.n; i++) {
		const struct audit_record *r = &page.items[i];
		ok += strcmp(r->action, "auth.login") == 0 && strcmp(r->result, "ok") == 0;
		failed += strcmp(r->action, "auth.login_failed") == 0 && r->actor_id == f->uid;
		ghost += strcmp(r->action, "auth.login_failed") == 0 && r->actor_id == 0 &&
			 strcmp(r->ip, "10.0.0.9") == 0;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(failed, 1);
	assert_int_equal(ghost, 1);
	int64_t checked, bad;
	char why[200];
	assert_int_equal(audit_verify(f->st, &checked, &bad, why, sizeof why), TP_OK);
}

static void test_account_rules(void **state)
{
	struct fx *f = *state;
	struct actor sys = actor_system();
	struct verrors ve;
	struct user u;
	memset(&u, 0, sizeof u);
	u.username = "ab"; /* too short */
	u.role = ROLE_EMPLOYER;  /* without an enterprise */
	u.unmask = 1;            /* not for employers */
	verr_init(&ve, f->a);
	assert_int_equal(account_create(f->st, &sys, &u, NULL, NULL, T0, &ve), TP_ERR_INVALID);
	const char *want[] = {"username", "enterprise_id", "unmask"};
	for (int i = 0; i < 3; i++) {
		int seen = 0;
		for (size_t k = 0; k < ve.n; k++)
			seen |= strcmp(ve.v[k].field, want[i]) == 0;
		assert_true(seen);
	}
	memset(&u, 0, sizeof u);
	u.username = "reviewer2";
	u.role = ROLE_TOWN_REVIEWER; /* needs exactly one town */
	verr_init(&ve, f->a);
	assert_int_equal(account_create(f->st, &sys, &u, NULL, NULL, T0, &ve), TP_ERR_INVALID);
	assert_string_equal(ve.v[0].field, "towns");
	u.towns[0] = "350582001";
	u.ntowns = 1;
	char pw[24];
	verr_init(&ve, f->a);
	assert_int_equal(account_create(f->st, &sys, &u, NULL, pw, T0, &ve), TP_OK);
	assert_int_equal(strlen(pw), 20);
	/* the same username in other case is taken */
	memset(&u, 0, sizeof u);
	u.username = "CLERK";
	u.role = ROLE_FINANCE;
	verr_init(&ve, f->a);
	assert_int_equal(account_create(f->st, &sys, &u, NULL, NULL, T0, &ve), TP_ERR_CONFLICT);
	/* a disabled account cannot log in, and its sessions end */
	struct login_result lr;
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_OK);
	assert_int_equal(account_set_disabled(f->st, &sys, f->uid, 1, 0), TP_OK);
	struct auth_info ai;
	assert_int_equal(auth_session(f->st, f->a, lr.token, "", T0, &ai), TP_ERR_NOT_FOUND);
	assert_int_equal(try_login(f, PW, T0, &lr), LOGIN_INVALID);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	password_set_test_params(1, 8 * 1024); /* cheap hashes: the rules are what is tested */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_login_and_first_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_then_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_and_absolute_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logout_and_password_change_revoke, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_staff_password_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp_secret_rotates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_attempt_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_account_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
