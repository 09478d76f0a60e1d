/*
 * talent_code.c — encode and verify talent codes; see talent_code.h.
 */
#include "core/talent_code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/crypto.h"

#define SIG_BYTES 64
#define PAYLOAD_B64 24 /* 18 bytes */
#define SIG_B64 86     /* 64 bytes */
#define DAYS_MAX 65535 /* 2149-06-06 */

static const char DOMAIN[] = "TP1"; /* signed before the payload */

const char *tc_verdict_str(enum tc_verdict v)
{
	switch (v) {
	case TC_VALID:
		return "valid";
	case TC_EXPIRED:
		return "expired";
	case TC_NOT_YET_VALID:
		return "not_yet_valid";
	case TC_FORGED:
		return "forged";
	case TC_MALFORMED:
		break;
	}
	return "malformed";
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* days since 1970 of d when it fits the two payload bytes, else -1 */
static long day_number(struct civil_date d)
{
	long n = date_to_days(d);
	return n >= 0 && n <= DAYS_MAX ? n : -1;
}

static void sign_input(const unsigned char payload[TC_PAYLOAD_BYTES],
		       unsigned char msg[sizeof DOMAIN - 1 + TC_PAYLOAD_BYTES])
{
	memcpy(msg, DOMAIN, sizeof DOMAIN - 1);
	memcpy(msg + sizeof DOMAIN - 1, payload, TC_PAYLOAD_BYTES);
}

enum tp_rc talent_code_encode(const struct keyring *kr, struct tc_claims *c,
			      char out[TC_TOKEN_LEN + 1])
{
	unsigned char p[TC_PAYLOAD_BYTES], sig[SIG_BYTES];
	unsigned char msg[sizeof DOMAIN - 1 + TC_PAYLOAD_BYTES];
	long from = day_number(c->valid_from), to = day_number(c->valid_to);

	out[0] = '\0';
	if (c->cert_id < 1 || c->cert_id > TC_ID_MAX || c->tier < 1 || c->tier > 7 || from < 0 ||
	    to < 0 || from > to || c->issued_at < 0 || c->issued_at > (int64_t)UINT32_MAX)
		return TP_ERR_INVALID;
	if (sodium_init() < 0)
		return TP_ERR_INTERNAL;
	uint32_t kid = keyring_code_active(kr);
	if (kid == 0)
		return TP_ERR_NOT_FOUND;
	put_be(p, (uint64_t)c->cert_id, 5);
	p[5] = (unsigned char)c->tier;
	put_be(p + 6, (uint64_t)from, 2);
	put_be(p + 8, (uint64_t)to, 2);
	put_be(p + 10, (uint64_t)c->issued_at, 4);
	put_be(p + 14, kid, 4);
	sign_input(p, msg);
	if (keyring_code_sign(kr, msg, sizeof msg, sig) != kid)
		return TP_ERR_INTERNAL;
	c->key_id = kid;
	memcpy(out, TC_PREFIX, 4);
	sodium_bin2base64(out + 4, PAYLOAD_B64 + 1, p, sizeof p,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out[4 + PAYLOAD_B64] = '.';
	sodium_bin2base64(out + 5 + PAYLOAD_B64, SIG_B64 + 1, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return TP_OK;
}

/* Decodes exactly n base64url characters at s into exactly len bytes; 0 on success.  Only
 * the canonical encoding passes (unused trailing bits must be zero), so no two strings
 * decode to the same token. */
static int b64_exact(const char *s, size_t n, unsigned char *out, size_t len)
{
	size_t got = 0;
	const char *end = NULL;
	char back[SIG_B64 + 1];

	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return -1;
	}
	if (sodium_base642bin(out, len, s, n, NULL, &got, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    got != len || end != s + n)
		return -1;
	sodium_bin2base64(back, sizeof back, out, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(back) == n && memcmp(back, s, n) == 0 ? 0 : -1;
}

enum tc_verdict talent_code_decode(const char *token, const struct tc_pubkey *keys, size_t n,
				   struct civil_date on, struct tc_claims *c)
{
	unsigned char p[TC_PAYLOAD_BYTES], sig[SIG_BYTES];
	unsigned char msg[sizeof DOMAIN - 1 + TC_PAYLOAD_BYTES];

	memset(c, 0, sizeof *c);
	if (!token || strnlen(token, TC_TOKEN_LEN + 1) != TC_TOKEN_LEN ||
	    memcmp(token, TC_PREFIX, 4) != 0 || token[4 + PAYLOAD_B64] != '.')
		return TC_MALFORMED;
	if (b64_exact(token + 4, PAYLOAD_B64, p, sizeof p) != 0 ||
	    b64_exact(token + 5 + PAYLOAD_B64, SIG_B64, sig, sizeof sig) != 0)
		return TC_MALFORMED;
	long from = (long)get_be(p + 6, 2), to = (long)get_be(p + 8, 2);
	c->cert_id = (int64_t)get_be(p, 5);
	c->tier = p[5];
	c->valid_from = date_from_days(from);
	c->valid_to = date_from_days(to);
	c->issued_at = (int64_t)get_be(p + 10, 4);
	c->key_id = (uint32_t)get_be(p + 14, 4);
	if (sodium_init() < 0)
		return TC_FORGED; /* cannot check: never call it valid */
	const struct tc_pubkey *k = NULL;
	for (size_t i = 0; i < n && !k; i++)
		if (keys[i].id == c->key_id)
			k = &keys[i];
	sign_input(p, msg);
	if (!k || crypto_sign_verify_detached(sig, msg, sizeof msg, k->pk) != 0)
		return TC_FORGED;
	/* signed by us, so these hold unless a signer was broken: refuse rather than guess */
	if (c->cert_id < 1 || c->tier < 1 || c->tier > 7 || from > to) {
		memset(c, 0, sizeof *c);
		return TC_MALFORMED;
	}
	if (date_cmp(on, c->valid_from) < 0)
		return TC_NOT_YET_VALID;
	if (date_cmp(on, c->valid_to) > 0)
		return TC_EXPIRED;
	return TC_VALID;
}

size_t talent_code_keys_from_ring(const struct keyring *kr, struct tc_pubkey *out, size_t max)
{
	size_t n = keyring_code_count(kr);
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		keyring_code_pk(kr, i, &out[i].id, out[i].pk);
	return n;
}

char *talent_code_keys_write(const struct tc_pubkey *keys, size_t n)
{
	static const char head[] = "# TalentPort talent-code (人才码) public keys, oldest first.\n"
				   "# talentport verify TOKEN --public-key FILE\n";
	size_t cap = sizeof head + n * (8 + 9 + 65 + 1), len = sizeof head - 1;
	char *s = malloc(cap);
	char hex[65];

	if (!s)
		return NULL;
	memcpy(s, head, len);
	for (size_t i = 0; i < n; i++) {
		hex_encode(keys[i].pk, 32, hex);
		len += (size_t)snprintf(s + len, cap - len, "code-pk %08x %s\n",
					(unsigned)keys[i].id, hex);
	}
	s[len] = '\0';
	return s;
}

int talent_code_keys_parse(const char *text, struct tc_pubkey *out, size_t max, int *errline)
{
	int line = 0;
	size_t n = 0;
	const char *p = text;

	*errline = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char buf[160], idh[9], pkh[65], extra[2];
		line++;
		if (len < sizeof buf) {
			memcpy(buf, p, len);
			buf[len] = '\0';
			if (len && buf[len - 1] == '\r')
				buf[len - 1] = '\0';
		}
		p += len + (nl ? 1 : 0);
		if (len >= sizeof buf)
			goto bad;
		const char *q = buf;
		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q || *q == '#')
			continue;
		unsigned char idb[4];
		if (sscanf(q, "code-pk %8s %64s %1s", idh, pkh, extra) != 2 ||
		    hex_decode(idh, idb, 4) != 0 || n == max)
			goto bad;
		out[n].id = (uint32_t)get_be(idb, 4);
		if (out[n].id == 0 || hex_decode(pkh, out[n].pk, 32) != 0)
			goto bad;
		n++;
	}
	return (int)n;
bad:
	*errline = line;
	return -1;
}
