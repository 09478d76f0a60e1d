/*
 * test_crypto.c — unit tests for src/core/crypto.c: the key file, sealed values, blind
 * indexes, signatures, hex and tokens.
 *
 * Known answers: BLAKE2b from Python's hashlib.blake2b; Ed25519 from RFC 8032 §7.1 TEST 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"

static char dir[64];
static char path[128];

static int group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tp-crypto-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/test.key", dir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rmdir(dir);
	return 0;
}

static void write_file(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static struct keyring *load_new(const char *p)
{
	struct keyring *kr = NULL;
	char err[512];

	unlink(p);
	if (keyring_load(p, 1, &kr, err, sizeof err) != TP_OK)
		fail_msg("keyring_load(create): %s", err);
	return kr;
}

static void seal_ok(const struct keyring *kr, const char *aad, const char *v, unsigned char *out,
		    size_t *n)
{
	assert_int_equal(pii_seal(kr, aad, v, strlen(v), out, n), TP_OK);
	assert_int_equal(*n, strlen(v) + PII_OVERHEAD);
}

static void expect_open(const struct keyring *kr, const char *aad, const unsigned char *in,
			size_t n, const char *want)
{
	char out[PII_PLAIN_MAX + 1];
	size_t len = 0;

	assert_int_equal(pii_open(kr, aad, in, n, out, &len), TP_OK);
	assert_int_equal(len, strlen(want));
	assert_string_equal(out, want);
}

static void test_create_and_reload(void **state)
{
	struct keyring *kr = load_new(path), *again = NULL;
	struct stat st;
	char fp1[17], fp2[17], err[512];

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(keyring_active_id(kr) != 0);
	keyring_fingerprint(kr, fp1);
	assert_int_equal(strlen(fp1), 16);

	assert_int_equal(keyring_load(path, 0, &again, err, sizeof err), TP_OK);
	assert_string_equal(err, "");
	assert_int_equal(keyring_active_id(again), keyring_active_id(kr));
	keyring_fingerprint(again, fp2);
	assert_string_equal(fp1, fp2);

	unsigned char sealed[64], pk1[32], pk2[32];
	size_t n;
	seal_ok(kr, "talents.name", "张三", sealed, &n);
	expect_open(again, "talents.name", sealed, n, "张三");
	keyring_sign_pk(kr, pk1);
	keyring_sign_pk(again, pk2);
	assert_memory_equal(pk1, pk2, 32);

	keyring_free(again);
	keyring_free(kr);
	keyring_free(NULL);
	unlink(path);
}

static void test_missing_without_create(void **state)
{
	struct keyring *kr = (struct keyring *)1;
	char err[512];

	(void)state;
	unlink(path);
	assert_int_equal(keyring_load(path, 0, &kr, err, sizeof err), TP_ERR_IO);
	assert_null(kr);
	assert_non_null(strstr(err, path));
	assert_int_equal(access(path, F_OK), -1);
}

static void test_mode_refused(void **state)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602 };
	struct keyring *kr = load_new(path);
	char err[512];

	(void)state;
	keyring_free(kr);
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		assert_int_equal(chmod(path, modes[i]), 0);
		kr = (struct keyring *)1;
		err[0] = '\0';
		assert_int_equal(keyring_load(path, 1, &kr, err, sizeof err), TP_ERR_INVALID);
		assert_null(kr);
		assert_non_null(strstr(err, "chmod 600"));
		assert_non_null(strstr(err, "组或其他用户"));
		assert_non_null(strstr(err, "group or others"));
	}
	assert_int_equal(chmod(path, 0400), 0); /* owner-only read is fine */
	assert_int_equal(keyring_load(path, 0, &kr, err, sizeof err), TP_OK);
	keyring_free(kr);
	unlink(path);
}

#define HEX_INDEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_SIGN "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define HEX_K1 "1111111111111111111111111111111111111111111111111111111111111111"
#define HEX_K2 "2222222222222222222222222222222222222222222222222222222222222222"

static void test_malformed_refused(void **state)
{
	static const struct {
		const char *text, *line;
	} bad[] = {
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 0000000a " HEX_K1 "\nfoo bar\n",
		  "line 4" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 0000000a " HEX_K1 "x\n", "line 3" },
		{ "index 0011\nsign " HEX_SIGN "\nkey 0000000a " HEX_K1 "\n", "line 1" },
		{ "index " HEX_INDEX "\nindex " HEX_INDEX "\n", "line 2" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN " extra\n", "line 2" },
		{ "# c\n\nindex " HEX_INDEX "\nsign " HEX_SIGN "\nkey 00000000 " HEX_K1 "\n",
		  "line 5" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 0000000a " HEX_K1
		  "\nkey 0000000a " HEX_K2 "\n",
		  "line 4" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 00000a " HEX_K1 "\n", "line 3" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 0000000a\n", "line 3" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\nkey 0000000g " HEX_K1 "\n", "line 3" },
		{ "index " HEX_INDEX "\nsign " HEX_SIGN "\n", "no key line" },
		{ "sign " HEX_SIGN "\nkey 0000000a " HEX_K1 "\n", "no index line" },
		{ "index " HEX_INDEX "\nkey 0000000a " HEX_K1 "\n", "no sign line" },
		{ "", "no index line" },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct keyring *kr = (struct keyring *)1;
		write_file(path, bad[i].text, 0600);
		err[0] = '\0';
		if (keyring_load(path, 1, &kr, err, sizeof err) != TP_ERR_INVALID)
			fail_msg("case %zu accepted", i);
		assert_null(kr);
		if (!strstr(err, bad[i].line))
			fail_msg("case %zu: '%s' does not name '%s'", i, err, bad[i].line);
		/* the key material never ends up in the message */
		assert_null(strstr(err, "1111111111"));
	}
	unlink(path);
}

static const char known_file[] = "# hand-written\r\n"
				 "\n"
				 "  index   " HEX_INDEX "\r\n"
				 "sign\t" HEX_SIGN "\n"
				 "key 0000000A " HEX_K1 "\n"
				 "key 0000000b " HEX_K2; /* no final newline */

static void test_known_file(void **state)
{
	struct keyring *kr = NULL;
	char err[512], fp[17];
	unsigned char bi[BLIND_INDEX_BYTES], pk[32], sig[64];
	static const unsigned char want_bi[BLIND_INDEX_BYTES] = {
		0x60, 0x2c, 0x31, 0x02, 0x63, 0xd6, 0x77, 0x37,
		0xd1, 0x88, 0x1d, 0xfc, 0x95, 0x84, 0x6f, 0x6d,
	};
	/* RFC 8032 7.1 TEST 1: the empty message */
	static const char want_pk[] =
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
	static const char want_sig[] =
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
		"c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
	char hex[129];

	(void)state;
	write_file(path, known_file, 0600);
	if (keyring_load(path, 0, &kr, err, sizeof err) != TP_OK)
		fail_msg("%s", err);
	assert_int_equal(keyring_active_id(kr), 0x0b);
	keyring_fingerprint(kr, fp);
	assert_string_equal(fp, "6871f4b0c63a04ac");
	pii_blind_index(kr, "id_number", "110101199003077777", bi);
	assert_memory_equal(bi, want_bi, sizeof bi);

	keyring_sign_pk(kr, pk);
	hex_encode(pk, 32, hex);
	assert_string_equal(hex, want_pk);
	keyring_sign(kr, "", 0, sig);
	hex_encode(sig, 64, hex);
	assert_string_equal(hex, want_sig);

	unsigned char sealed[64];
	size_t n;
	seal_ok(kr, "a", "x", sealed, &n);
	assert_int_equal(pii_key_id(sealed, n), 0x0b);
	assert_int_equal(sealed[0], PII_CIPHER_XCHACHA20);
	keyring_free(kr);
	unlink(path);
}

static void test_seal_open(void **state)
{
	struct keyring *kr = load_new(path);
	unsigned char a[PII_PLAIN_MAX + PII_OVERHEAD + 1], b[PII_PLAIN_MAX + PII_OVERHEAD];
	char big[PII_PLAIN_MAX + 2], out[PII_PLAIN_MAX + 1];
	size_t na, nb, len;

	(void)state;
	seal_ok(kr, "talents.id_number", "110101199003077777", a, &na);
	expect_open(kr, "talents.id_number", a, na, "110101199003077777");
	assert_int_equal(pii_key_id(a, na), keyring_active_id(kr));

	/* a random nonce: the same value seals differently each time */
	seal_ok(kr, "talents.id_number", "110101199003077777", b, &nb);
	assert_int_equal(na, nb);
	assert_memory_not_equal(a, b, na);

	/* another column's aad, or none */
	assert_int_equal(pii_open(kr, "talents.phone", a, na, out, &len), TP_ERR_INVALID);
	assert_int_equal(pii_open(kr, "", a, na, out, &len), TP_ERR_INVALID);

	/* the empty value and the largest one */
	seal_ok(kr, "x", "", a, &na);
	expect_open(kr, "x", a, na, "");
	memset(big, 'z', sizeof big);
	big[PII_PLAIN_MAX] = '\0';
	seal_ok(kr, "x", big, a, &na);
	expect_open(kr, "x", a, na, big);
	assert_int_equal(pii_seal(kr, "x", big, PII_PLAIN_MAX + 1, a, &na), TP_ERR_TOO_LARGE);

	/* too short to tell */
	assert_int_equal(pii_key_id(a, 4), 0);
	assert_int_equal(pii_open(kr, "x", a, 0, out, &len), TP_ERR_INVALID);
	keyring_free(kr);
	unlink(path);
}

static void test_tamper(void **state)
{
	struct keyring *kr = load_new(path);
	unsigned char s[64], t[64];
	char out[64];
	size_t n, len;

	(void)state;
	seal_ok(kr, "talents.phone", "13800138000", s, &n);
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(t, s, n);
			t[i] ^= (unsigned char)(1u << bit);
			enum tp_rc rc = pii_open(kr, "talents.phone", t, n, out, &len);
			/* bytes 1..4 are the key id: a changed id names a key we do not have */
			enum tp_rc want = i >= 1 && i <= 4 ? TP_ERR_NOT_FOUND : TP_ERR_INVALID;
			if (rc != want)
				fail_msg("byte %zu bit %d: %s", i, bit, tp_rc_str(rc));
		}
	}
	for (size_t cut = 0; cut < n; cut++)
		if (pii_open(kr, "talents.phone", s, cut, out, &len) != TP_ERR_INVALID)
			fail_msg("truncated to %zu opened", cut);
	keyring_free(kr);
	unlink(path);
}

static void test_unknown_key(void **state)
{
	char other[160];
	struct keyring *a = load_new(path), *b;
	unsigned char s[64];
	char out[64];
	size_t n, len;

	(void)state;
	snprintf(other, sizeof other, "%s/other.key", dir);
	b = load_new(other);
	assert_true(keyring_active_id(a) != keyring_active_id(b));
	seal_ok(a, "x", "secret", s, &n);
	assert_int_equal(pii_open(b, "x", s, n, out, &len), TP_ERR_NOT_FOUND);
	keyring_free(a);
	keyring_free(b);
	unlink(path);
	unlink(other);
}

static void test_add_key(void **state)
{
	struct keyring *kr = load_new(path), *again = NULL, *other = NULL;
	unsigned char s1[64], s2[64], s3[64];
	size_t n1, n2, n3;
	uint32_t old_id = keyring_active_id(kr), new_id = 0, third = 0;
	struct stat st;
	char err[512];

	(void)state;
	seal_ok(kr, "x", "old value", s1, &n1);
	assert_int_equal(keyring_load(path, 0, &other, err, sizeof err), TP_OK);

	assert_int_equal(keyring_add_key(kr, path, &new_id), TP_OK);
	assert_true(new_id != 0 && new_id != old_id);
	assert_int_equal(keyring_active_id(kr), new_id);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	seal_ok(kr, "x", "new value", s2, &n2);
	assert_int_equal(pii_key_id(s2, n2), new_id);
	expect_open(kr, "x", s1, n1, "old value");

	/* reload: the same keys, the new one active */
	assert_int_equal(keyring_load(path, 0, &again, err, sizeof err), TP_OK);
	assert_int_equal(keyring_active_id(again), new_id);
	expect_open(again, "x", s1, n1, "old value");
	expect_open(again, "x", s2, n2, "new value");

	/* a keyring loaded before the rotation keeps the key added meanwhile */
	assert_int_equal(keyring_add_key(other, path, &third), TP_OK);
	assert_true(third != new_id && third != old_id);
	expect_open(other, "x", s2, n2, "new value");
	seal_ok(other, "x", "third", s3, &n3);
	keyring_free(again);
	assert_int_equal(keyring_load(path, 0, &again, err, sizeof err), TP_OK);
	assert_int_equal(keyring_active_id(again), third);
	expect_open(again, "x", s1, n1, "old value");
	expect_open(again, "x", s2, n2, "new value");
	expect_open(again, "x", s3, n3, "third");

	/* another key file at that path: refused, nothing written */
	keyring_free(again);
	again = load_new(path);
	assert_int_equal(keyring_add_key(kr, path, &new_id), TP_ERR_CONFLICT);
	assert_int_equal(keyring_active_id(kr), pii_key_id(s2, n2));

	keyring_free(again);
	keyring_free(other);
	keyring_free(kr);
	unlink(path);
}

static void test_blind_index(void **state)
{
	char other[160];
	struct keyring *a = load_new(path), *b;
	unsigned char x[BLIND_INDEX_BYTES], y[BLIND_INDEX_BYTES];

	(void)state;
	snprintf(other, sizeof other, "%s/other.key", dir);
	b = load_new(other);
	pii_blind_index(a, "phone", "13800138000", x);
	pii_blind_index(a, "phone", "13800138000", y);
	assert_memory_equal(x, y, sizeof x);
	pii_blind_index(a, "id_number", "13800138000", y);
	assert_memory_not_equal(x, y, sizeof x);
	pii_blind_index(a, "phone", "13800138001", y);
	assert_memory_not_equal(x, y, sizeof x);
	pii_blind_index(b, "phone", "13800138000", y);
	assert_memory_not_equal(x, y, sizeof x);
	/* the 0x00 separator keeps domain and value apart */
	pii_blind_index(a, "ab", "c", x);
	pii_blind_index(a, "a", "bc", y);
	assert_memory_not_equal(x, y, sizeof x);
	keyring_free(a);
	keyring_free(b);
	unlink(path);
	unlink(other);
}

static void test_sign(void **state)
{
	struct keyring *kr = load_new(path);
	unsigned char pk[32], sig[64];
	static const char msg[] = "audit archive 2024-06";

	(void)state;
	keyring_sign_pk(kr, pk);
	keyring_sign(kr, msg, strlen(msg), sig);
	assert_int_equal(keyring_verify(pk, msg, strlen(msg), sig), 0);
	assert_int_equal(keyring_verify(pk, msg, strlen(msg) - 1, sig), -1);
	sig[10] ^= 1;
	assert_int_equal(keyring_verify(pk, msg, strlen(msg), sig), -1);
	keyring_free(kr);
	unlink(path);
}

static void test_hex(void **state)
{
	static const unsigned char bin[] = { 0x00, 0x7f, 0x80, 0xff, 0x0a };
	unsigned char out[5];
	char hex[11];

	(void)state;
	hex_encode(bin, sizeof bin, hex);
	assert_string_equal(hex, "007f80ff0a");
	assert_int_equal(hex_decode("007F80ff0A", out, 5), 0);
	assert_memory_equal(out, bin, 5);
	assert_int_equal(hex_decode("007f80ff0", out, 5), -1);
	assert_int_equal(hex_decode("007f80ff0a00", out, 5), -1);
	assert_int_equal(hex_decode("007f80ff0g", out, 5), -1);
	assert_int_equal(hex_decode("00 7f80ff0a", out, 5), -1);
	assert_int_equal(hex_decode("", out, 0), 0);
}

static void test_tokens(void **state)
{
	char a[44], b[44], h[65];

	(void)state;
	token_random(a);
	token_random(b);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	static const char b64url[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (size_t i = 0; i < 43; i++)
		assert_non_null(strchr(b64url, a[i]));
	token_hash("abc", h); /* BLAKE2b-256("abc") */
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	token_hash(a, h);
	assert_int_equal(strlen(h), 64);
}

static void test_default_path(void **state)
{
	char out[64];

	(void)state;
	unsetenv("TALENTPORT_KEY_FILE");
	keyring_default_path("var/talentport.db", out, sizeof out);
	assert_string_equal(out, "var/talentport.db.key");
	setenv("TALENTPORT_KEY_FILE", "", 1);
	keyring_default_path("var/talentport.db", out, sizeof out);
	assert_string_equal(out, "var/talentport.db.key");
	setenv("TALENTPORT_KEY_FILE", "/etc/talentport/keys", 1);
	keyring_default_path("var/talentport.db", out, sizeof out);
	assert_string_equal(out, "/etc/talentport/keys");
	unsetenv("TALENTPORT_KEY_FILE");
	keyring_default_path("var/talentport.db", out, 10); /* never a truncated path */
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_reload),
		cmocka_unit_test(test_missing_without_create),
		cmocka_unit_test(test_mode_refused),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_known_file),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_add_key),
		cmocka_unit_test(test_blind_index),
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
