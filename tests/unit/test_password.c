/*
 * test_password.c — unit tests for src/core/password.c: argon2id hashing, rehash
 * detection, the concurrency cap and the two policy presets.
 *
 * Hashing runs at the lowest libsodium parameters except in test_default_params.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/password.h"
#include "core/verr.h"

#define LOW_OPS 1
#define LOW_MEM 8192 /* crypto_pwhash_MEMLIMIT_MIN: m=8 */

static void set_low(void)
{
	password_set_test_params(LOW_OPS, LOW_MEM);
}

static void set_default(void)
{
	password_set_test_params(PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT);
}

static void test_default_params(void **state)
{
	char phc[PASSWORD_PHC_MAX];
	static const char prefix[] = "$argon2id$v=19$m=19456,t=2,p=1$";

	(void)state;
	set_default();
	assert_int_equal(password_hash("correct horse battery staple", phc), TP_OK);
	assert_memory_equal(phc, prefix, sizeof prefix - 1);
	assert_int_equal(password_verify(phc, "correct horse battery staple"), 0);
	assert_int_equal(password_verify(phc, "correct horse battery stapl"), -1);
	assert_int_equal(password_needs_rehash(phc), 0);
	set_low();
	/* a stronger hash than the parameters in force is kept, never downgraded */
	assert_int_equal(password_needs_rehash(phc), 0);
}

static void test_round_trip(void **state)
{
	char a[PASSWORD_PHC_MAX], b[PASSWORD_PHC_MAX];

	(void)state;
	set_low();
	assert_int_equal(password_hash("s3cret-密码", a), TP_OK);
	assert_int_equal(strncmp(a, "$argon2id$v=19$m=8,t=1,p=1$", 27), 0);
	assert_int_equal(password_verify(a, "s3cret-密码"), 0);
	assert_int_equal(password_verify(a, "S3cret-密码"), -1);
	assert_int_equal(password_verify(a, ""), -1);
	/* a random salt: the same password hashes differently */
	assert_int_equal(password_hash("s3cret-密码", b), TP_OK);
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(b, "s3cret-密码"), 0);

	assert_int_equal(password_hash("", a), TP_OK);
	assert_int_equal(password_verify(a, ""), 0);
	assert_int_equal(password_verify(a, "x"), -1);

	/* not a hash at all */
	assert_int_equal(password_verify("", "x"), -1);
	assert_int_equal(password_verify("$argon2id$v=19$m=8,t=1,p=1$garbage", "x"), -1);
	assert_int_equal(password_verify(NULL, "x"), -1);
	assert_int_equal(password_verify(a, NULL), -1);
	assert_int_equal(password_hash(NULL, a), TP_ERR_INVALID);
}

static void test_needs_rehash(void **state)
{
	char low[PASSWORD_PHC_MAX];

	(void)state;
	set_low();
	assert_int_equal(password_hash("hunter2hunter2", low), TP_OK);
	assert_int_equal(password_needs_rehash(low), 0); /* current for this process */
	set_default();
	assert_int_equal(password_needs_rehash(low), 1);
	assert_int_equal(password_needs_rehash("$argon2id$v=19$m=19456,t=1,p=1$c2FsdA$aGFzaA"), 1);
	assert_int_equal(password_needs_rehash("$argon2id$v=19$m=8192,t=2,p=1$c2FsdA$aGFzaA"), 1);
	assert_int_equal(password_needs_rehash("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"), 0);
	assert_int_equal(password_needs_rehash("$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"), 1);
	assert_int_equal(password_needs_rehash("$argon2id$v=16$m=65536,t=3,p=1$c2FsdA$aGFzaA"), 1);
	assert_int_equal(password_needs_rehash("$argon2id$v=19$m=,t=3,p=1$c2FsdA$aGFzaA"), 1);
	assert_int_equal(password_needs_rehash("$2y$10$abcdefghijklmnopqrstuv"), 1);
	assert_int_equal(password_needs_rehash(""), 1);
	assert_int_equal(password_needs_rehash(NULL), 1);
	set_low();
}

static void test_dummy(void **state)
{
	(void)state;
	set_low();
	password_verify_dummy("anything");
	password_verify_dummy("");
	password_verify_dummy(NULL);
}

struct worker {
	char pw[16];
	int ok;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	char phc[PASSWORD_PHC_MAX];

	w->ok = password_hash(w->pw, phc) == TP_OK && password_verify(phc, w->pw) == 0 &&
		password_verify(phc, "wrong") == -1;
	return NULL;
}

static void test_concurrent(void **state)
{
	enum { N = 3 * PASSWORD_CONCURRENCY };
	pthread_t t[N];
	struct worker w[N];

	(void)state;
	set_low();
	for (int i = 0; i < N; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].pw[0] = (char)('a' + i);
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(w[i].ok);
	}
}

static void test_presets(void **state)
{
	struct password_policy d = password_policy_preset(PASSWORD_POLICY_DENGBAO3);
	struct password_policy a = password_policy_preset(PASSWORD_POLICY_ASVS);
	enum password_policy_kind k;

	(void)state;
	assert_int_equal(d.kind, PASSWORD_POLICY_DENGBAO3);
	assert_int_equal(d.min_len, 8);
	assert_int_equal(d.min_classes, 3);
	assert_int_equal(d.staff_max_age_days, 90);
	assert_int_equal(d.force_first_change, 1);
	assert_int_equal(a.kind, PASSWORD_POLICY_ASVS);
	assert_int_equal(a.min_len, 12);
	assert_int_equal(a.min_classes, 0);
	assert_int_equal(a.staff_max_age_days, 0);
	assert_int_equal(a.force_first_change, 1);

	assert_int_equal(password_policy_parse("dengbao3", &k), 0);
	assert_int_equal(k, PASSWORD_POLICY_DENGBAO3);
	assert_int_equal(password_policy_parse("asvs", &k), 0);
	assert_int_equal(k, PASSWORD_POLICY_ASVS);
	assert_int_equal(password_policy_parse("nist", &k), -1);
	assert_int_equal(password_policy_parse("", &k), -1);
	assert_int_equal(password_policy_parse(NULL, &k), -1);
}

/*
 * Checks pw under the preset and compares the error codes (space-separated, in the order
 * they are added; "" for a pass).
 */
static void expect(enum password_policy_kind kind, const char *pw, const char *user,
		   const char *codes)
{
	struct password_policy p = password_policy_preset(kind);
	struct arena *a = arena_new();
	struct verrors ve;
	char got[256] = "";
	size_t n = 0;

	assert_non_null(a);
	verr_init(&ve, a);
	int rc = password_policy_check(&p, pw, user, "password", &ve);
	for (size_t i = 0; i < ve.n; i++) {
		assert_string_equal(ve.v[i].field, "password");
		assert_true(ve.v[i].zh[0] && ve.v[i].en[0]);
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? " " : "", ve.v[i].code);
	}
	if (strcmp(got, codes) != 0 || rc != (codes[0] ? -1 : 0))
		fail_msg("%s '%s' (user '%s'): rc %d, codes '%s', want '%s'",
			 kind == PASSWORD_POLICY_ASVS ? "asvs" : "dengbao3", pw, user ? user : "",
			 rc, got, codes);
	arena_free(a);
}

#define D PASSWORD_POLICY_DENGBAO3
#define A PASSWORD_POLICY_ASVS

static void test_policy_length(void **state)
{
	char long_pw[PASSWORD_MAX_LEN + 2];

	(void)state;
	expect(D, "Abcdefg1", NULL, "");
	expect(A, "Abcdefg1", NULL, "password_too_short");
	expect(D, "Abcdef1", NULL, "password_too_short");
	expect(A, "abcdefghijkl", NULL, "");
	expect(A, "abcdefghijk", NULL, "password_too_short");
	expect(D, "", NULL, "password_too_short password_classes");
	expect(D, NULL, NULL, "password_too_short password_classes");

	/* code points, not bytes: 5 characters in 11 bytes is short; 12 CJK pass ASVS */
	expect(D, "密码Ab1", NULL, "password_too_short");
	expect(A, "密码密码密码密码密码密", NULL, "password_too_short");
	expect(A, "密码密码密码密码密码密码", NULL, "");

	memset(long_pw, 'a', sizeof long_pw);
	memcpy(long_pw, "Aa1", 3);
	long_pw[PASSWORD_MAX_LEN] = '\0';
	expect(D, long_pw, NULL, "");
	expect(A, long_pw, NULL, "");
	long_pw[PASSWORD_MAX_LEN] = 'a';
	long_pw[PASSWORD_MAX_LEN + 1] = '\0';
	expect(D, long_pw, NULL, "password_too_long");
	expect(A, long_pw, NULL, "password_too_long");
}

static void test_policy_classes(void **state)
{
	(void)state;
	expect(D, "abcdefgh", NULL, "password_classes");
	expect(D, "abcdefg1", NULL, "password_classes");
	expect(D, "abcdefG1", NULL, "");
	expect(D, "abcdefg#1", NULL, "");
	expect(D, "ABCDEFG#", NULL, "password_classes");
	expect(D, "ABCD1234#", NULL, "");
	expect(D, "密码密码密码密码", NULL, "password_classes"); /* all "other" */
	expect(D, "密码密码密码ab1", NULL, "");
	expect(D, "correct horse battery", NULL, "password_classes");
	expect(A, "correct horse battery", NULL, "");
	expect(A, "aaaaaaaaaaaa", NULL, ""); /* ASVS has no composition rule */
}

static void test_policy_username(void **state)
{
	(void)state;
	expect(D, "xZhangSan#2024", "zhangsan", "password_contains_username");
	expect(A, "my-ZHANGSAN-pass", "zhangsan", "password_contains_username");
	expect(D, "Wang#2024xyz", "wang", "password_contains_username");
	expect(D, "ab#Cdefg12", "ab", ""); /* user names under 3 characters are not checked */
	expect(D, "Abc#defg12", "", "");
	expect(D, "Abc#defg12", NULL, "");
	expect(D, "张三丰Abc#12", "张三丰", "password_contains_username");
	expect(D, "zhang", "zhangsan", "password_too_short password_classes");
}

static void test_policy_common(void **state)
{
	(void)state;
	expect(D, "Passw0rd", NULL, "password_common");
	expect(D, "P@ssw0rd", NULL, "password_common");
	expect(D, "Admin123", NULL, "password_common");
	expect(D, "ADMIN123", NULL, "password_classes password_common");
	expect(D, "12345678", NULL, "password_classes password_common");
	expect(D, "1qaz2wsx", NULL, "password_classes password_common");
	expect(A, "qwerty123", NULL, "password_too_short password_common");
	expect(A, "a123456789", NULL, "password_too_short password_common");
	expect(A, "PASSWORD", "password", "password_too_short password_contains_username "
					  "password_common");
	expect(D, "Passw0rd!", NULL, ""); /* only the whole password is compared */
}

static void test_policy_messages(void **state)
{
	struct password_policy p = password_policy_preset(PASSWORD_POLICY_DENGBAO3);
	struct arena *a = arena_new();
	struct verrors ve;

	(void)state;
	verr_init(&ve, a);
	assert_int_equal(password_policy_check(&p, "aB1", NULL, "new_password", &ve), -1);
	assert_int_equal(ve.n, 1);
	assert_string_equal(ve.v[0].field, "new_password");
	assert_string_equal(ve.v[0].code, "password_too_short");
	assert_string_equal(ve.v[0].zh, "密码至少 8 个字符");
	assert_string_equal(ve.v[0].en, "the password must be at least 8 characters");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_params),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_dummy),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_policy_length),
		cmocka_unit_test(test_policy_classes),
		cmocka_unit_test(test_policy_username),
		cmocka_unit_test(test_policy_common),
		cmocka_unit_test(test_policy_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
