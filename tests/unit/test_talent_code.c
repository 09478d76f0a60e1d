/*
 * test_talent_code.c — the talent code (core/talent_code.h): tokens that verify, and every
 * way one must not: expired, not yet valid, a flipped bit in the payload or the signature,
 * another key's signature, garbage, empty, overlong, a wrong prefix; rotated keys.
 * Revocation and suspension are the store's business (tests/api/test_certificates.py).
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

#include <sodium.h>

#include "core/crypto.h"
#include "core/talent_code.h"

static char dir[64];

static struct keyring *new_ring(const char *name, char *path, size_t pathlen)
{
	struct keyring *kr = NULL;
	char err[512];
	snprintf(path, pathlen, "%s/%s", dir, name);
	unlink(path);
	if (keyring_load(path, 1, &kr, err, sizeof err) != TP_OK)
		fail_msg("keyring_load: %s", err);
	return kr;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/tp-tcode-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct civil_date d(int y, int m, int dd)
{
	struct civil_date x = {y, m, dd};
	return x;
}

static struct tc_claims claims(void)
{
	struct tc_claims c = {0};
	c.cert_id = 123456;
	c.tier = 3;
	c.valid_from = d(2026, 1, 1);
	c.valid_to = d(2030, 12, 31);
	c.issued_at = 1767225600; /* 2026-01-01T00:00:00Z */
	return c;
}

/* A key file's public keys. */
static size_t pubkeys(const struct keyring *kr, struct tc_pubkey *k)
{
	return talent_code_keys_from_ring(kr, k, 8);
}

static void test_valid_and_claims(void **state)
{
	(void)state;
	char path[128], tok[TC_TOKEN_LEN + 1];
	struct keyring *kr = new_ring("a.key", path, sizeof path);
	struct tc_claims c = claims(), got;
	struct tc_pubkey k[8];
	size_t n = pubkeys(kr, k);
	assert_int_equal(n, 1);
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);
	assert_int_equal(strlen(tok), TC_TOKEN_LEN);
	assert_memory_equal(tok, "TP1.", 4);
	assert_int_equal(c.key_id, keyring_code_active(kr));
	for (const char *p = tok; *p; p++) /* URL-safe: nothing to escape in a path */
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.P", *p));
	assert_int_equal(talent_code_decode(tok, k, n, d(2027, 6, 1), &got), TC_VALID);
	assert_int_equal(got.cert_id, 123456);
	assert_int_equal(got.tier, 3);
	assert_int_equal(date_cmp(got.valid_from, c.valid_from), 0);
	assert_int_equal(date_cmp(got.valid_to, c.valid_to), 0);
	assert_int_equal(got.issued_at, c.issued_at);
	assert_int_equal(got.key_id, c.key_id);
	/* both ends of the validity are inside it */
	assert_int_equal(talent_code_decode(tok, k, n, d(2026, 1, 1), &got), TC_VALID);
	assert_int_equal(talent_code_decode(tok, k, n, d(2030, 12, 31), &got), TC_VALID);
	keyring_free(kr);
}

static void test_expired_and_not_yet(void **state)
{
	(void)state;
	char path[128], tok[TC_TOKEN_LEN + 1];
	struct keyring *kr = new_ring("b.key", path, sizeof path);
	struct tc_claims c = claims(), got;
	struct tc_pubkey k[8];
	size_t n = pubkeys(kr, k);
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);
	assert_int_equal(talent_code_decode(tok, k, n, d(2031, 1, 1), &got), TC_EXPIRED);
	assert_int_equal(got.cert_id, 123456); /* the claims are still read */
	assert_int_equal(talent_code_decode(tok, k, n, d(2025, 12, 31), &got), TC_NOT_YET_VALID);
	keyring_free(kr);
}

/* Flips bit `bit` of the decoded segment seg (0 payload, 1 signature) and re-encodes. */
static void flip(const char *tok, int seg, int bit, char *out)
{
	unsigned char buf[64];
	size_t off = seg ? 29 : 4, chars = seg ? 86 : 24, len = seg ? 64 : 18, got;
	memcpy(out, tok, TC_TOKEN_LEN + 1);
	assert_int_equal(sodium_base642bin(buf, len, tok + off, chars, NULL, &got, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(got, len);
	buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
	char enc[100];
	sodium_bin2base64(enc, sizeof enc, buf, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memcpy(out + off, enc, chars);
}

static void test_flipped_bits(void **state)
{
	(void)state;
	char path[128], tok[TC_TOKEN_LEN + 1], bad[TC_TOKEN_LEN + 1];
	struct keyring *kr = new_ring("c.key", path, sizeof path);
	struct tc_claims c = claims(), got;
	struct tc_pubkey k[8];
	size_t n = pubkeys(kr, k);
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);
	/* every single bit of the payload and of the signature */
	for (int bit = 0; bit < 18 * 8; bit++) {
		flip(tok, 0, bit, bad);
		assert_int_equal(talent_code_decode(bad, k, n, d(2027, 1, 1), &got), TC_FORGED);
	}
	for (int bit = 0; bit < 64 * 8; bit++) {
		flip(tok, 1, bit, bad);
		assert_int_equal(talent_code_decode(bad, k, n, d(2027, 1, 1), &got), TC_FORGED);
	}
	/* a changed character of the text: another byte, or a non-canonical encoding */
	memcpy(bad, tok, sizeof bad);
	bad[TC_TOKEN_LEN - 1] = bad[TC_TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	assert_true(talent_code_decode(bad, k, n, d(2027, 1, 1), &got) >= TC_FORGED);
	keyring_free(kr);
}

static void test_other_key_and_rotation(void **state)
{
	(void)state;
	char pa[128], pb[128], tok_old[TC_TOKEN_LEN + 1], tok_new[TC_TOKEN_LEN + 1],
		tok_b[TC_TOKEN_LEN + 1];
	struct keyring *a = new_ring("d.key", pa, sizeof pa);
	struct keyring *b = new_ring("e.key", pb, sizeof pb);
	struct tc_claims c = claims(), got;
	struct tc_pubkey k[8];
	assert_int_equal(talent_code_encode(b, &c, tok_b), TP_OK);
	assert_int_equal(talent_code_encode(a, &c, tok_old), TP_OK);
	uint32_t old_id = c.key_id;
	/* another installation's key: forged, whatever it claims */
	size_t n = pubkeys(a, k);
	assert_int_equal(talent_code_decode(tok_b, k, n, d(2027, 1, 1), &got), TC_FORGED);
	/* the same key id with another key: still forged */
	struct tc_pubkey fake = k[0];
	struct tc_pubkey theirs[8];
	assert_int_equal(pubkeys(b, theirs), 1);
	fake.id = theirs[0].id;
	memcpy(fake.pk, k[0].pk, 32);
	assert_int_equal(talent_code_decode(tok_b, &fake, 1, d(2027, 1, 1), &got), TC_FORGED);

	/* rotation: a new key signs, the old one still verifies what it signed */
	uint32_t new_id = 0;
	assert_int_equal(keyring_add_code_key(a, pa, 0, &new_id), TP_OK);
	assert_int_not_equal(new_id, 0);
	assert_int_not_equal(new_id, old_id);
	assert_int_equal(keyring_code_active(a), new_id);
	assert_int_equal(talent_code_encode(a, &c, tok_new), TP_OK);
	assert_int_equal(c.key_id, new_id);
	n = pubkeys(a, k);
	assert_int_equal(n, 2);
	assert_int_equal(talent_code_decode(tok_old, k, n, d(2027, 1, 1), &got), TC_VALID);
	assert_int_equal(got.key_id, old_id);
	assert_int_equal(talent_code_decode(tok_new, k, n, d(2027, 1, 1), &got), TC_VALID);
	/* the rotated file, loaded again, holds both keys, the new one active */
	struct keyring *again = NULL;
	char err[256];
	assert_int_equal(keyring_load(pa, 0, &again, err, sizeof err), TP_OK);
	assert_int_equal(keyring_code_count(again), 2);
	assert_int_equal(keyring_code_active(again), new_id);
	/* only_if_none on a file that has keys adds nothing */
	uint32_t none = 1;
	assert_int_equal(keyring_add_code_key(again, pa, 1, &none), TP_OK);
	assert_int_equal(none, 0);
	assert_int_equal(keyring_code_count(again), 2);
	/* a verifier that only knows the new key refuses the old code */
	assert_int_equal(talent_code_decode(tok_old, &k[1], 1, d(2027, 1, 1), &got), TC_FORGED);
	keyring_free(again);
	keyring_free(a);
	keyring_free(b);
}

static void test_garbage(void **state)
{
	(void)state;
	char path[128], tok[TC_TOKEN_LEN + 1], buf[512];
	struct keyring *kr = new_ring("f.key", path, sizeof path);
	struct tc_claims c = claims(), got;
	struct tc_pubkey k[8];
	size_t n = pubkeys(kr, k);
	struct civil_date on = d(2027, 1, 1);
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);

	assert_int_equal(talent_code_decode(NULL, k, n, on, &got), TC_MALFORMED);
	assert_int_equal(talent_code_decode("", k, n, on, &got), TC_MALFORMED);
	assert_int_equal(talent_code_decode("hello world", k, n, on, &got), TC_MALFORMED);
	assert_int_equal(talent_code_decode("TP1..", k, n, on, &got), TC_MALFORMED);
	/* overlong: the token with more after it */
	snprintf(buf, sizeof buf, "%sA", tok);
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	memset(buf, 'A', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	memcpy(buf, "TP1.", 4);
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	/* truncated */
	memcpy(buf, tok, sizeof tok);
	buf[TC_TOKEN_LEN - 1] = '\0';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	/* wrong prefix: another version, lower case */
	memcpy(buf, tok, sizeof tok);
	buf[2] = '2';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	buf[2] = '1';
	buf[0] = 't';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	/* padding, standard base64 characters, the separator moved */
	memcpy(buf, tok, sizeof tok);
	buf[10] = '+';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	memcpy(buf, tok, sizeof tok);
	buf[TC_TOKEN_LEN - 1] = '=';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	memcpy(buf, tok, sizeof tok);
	buf[28] = 'x';
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	/* binary bytes */
	memcpy(buf, tok, sizeof tok);
	buf[40] = (char)0xe4;
	assert_int_equal(talent_code_decode(buf, k, n, on, &got), TC_MALFORMED);
	/* no keys at all: nothing verifies */
	assert_int_equal(talent_code_decode(tok, k, 0, on, &got), TC_FORGED);
	keyring_free(kr);
}

static void test_encode_refuses(void **state)
{
	(void)state;
	char path[128], tok[TC_TOKEN_LEN + 1];
	struct keyring *kr = new_ring("g.key", path, sizeof path);
	struct tc_claims c = claims();
	c.tier = 8;
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_ERR_INVALID);
	c = claims();
	c.cert_id = 0;
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_ERR_INVALID);
	c = claims();
	c.valid_to = d(2025, 1, 1); /* before valid_from */
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_ERR_INVALID);
	c = claims();
	c.valid_to = d(2150, 1, 1); /* past the two bytes of days */
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_ERR_INVALID);
	c = claims();
	c.cert_id = TC_ID_MAX;
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);
	keyring_free(kr);
}

static void test_public_key_file(void **state)
{
	(void)state;
	char path[128];
	struct keyring *kr = new_ring("h.key", path, sizeof path);
	assert_int_equal(keyring_add_code_key(kr, path, 0, NULL), TP_OK);
	struct tc_pubkey k[8], back[8];
	size_t n = pubkeys(kr, k);
	assert_int_equal(n, 2);
	char *text = talent_code_keys_write(k, n);
	assert_non_null(text);
	assert_null(strstr(text, "\ncode ")); /* no secret line */
	int line;
	assert_int_equal(talent_code_keys_parse(text, back, 8, &line), 2);
	assert_memory_equal(back, k, 2 * sizeof k[0]);
	free(text);
	assert_int_equal(talent_code_keys_parse("code-pk 0000000g 00\n", back, 8, &line), -1);
	assert_int_equal(line, 1);
	assert_int_equal(talent_code_keys_parse("# x\n\nsign 00\n", back, 8, &line), -1);
	assert_int_equal(line, 3);
	keyring_free(kr);
}

/* A key file written before talent codes (no code line) loads, with no code key. */
static void test_old_key_file(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/old.key", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "index %064d\nsign %064d\nkey 00000001 %064d\n", 1, 2, 3);
	fclose(f);
	chmod(path, 0600);
	struct keyring *kr = NULL;
	char err[256], tok[TC_TOKEN_LEN + 1];
	assert_int_equal(keyring_load(path, 0, &kr, err, sizeof err), TP_OK);
	assert_int_equal(keyring_code_count(kr), 0);
	struct tc_claims c = claims();
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_ERR_NOT_FOUND);
	uint32_t id;
	assert_int_equal(keyring_add_code_key(kr, path, 1, &id), TP_OK);
	assert_int_not_equal(id, 0);
	assert_int_equal(talent_code_encode(kr, &c, tok), TP_OK);
	keyring_free(kr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_and_claims),
		cmocka_unit_test(test_expired_and_not_yet),
		cmocka_unit_test(test_flipped_bits),
		cmocka_unit_test(test_other_key_and_rotation),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_public_key_file),
		cmocka_unit_test(test_old_key_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
