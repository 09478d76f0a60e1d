/*
 * talent_code.h — the talent code (人才码): a compact signed token for a certificate.
 *
 *   TP1.<payload: 24 chars base64url>.<signature: 86 chars base64url>   (115 characters)
 *
 * The payload is 18 bytes, big-endian:
 *   certificate id   5 bytes  (1 .. 2^40-1)
 *   tier             1 byte   (1..7)
 *   valid_from       2 bytes  days since 1970-01-01 (civil date, Asia/Shanghai)
 *   valid_to         2 bytes  days since 1970-01-01, inclusive
 *   issued_at        4 bytes  Unix seconds
 *   key id           4 bytes  the talent-code key that signed (core/crypto.h "code" lines)
 * The signature is Ed25519 over "TP1" || payload, so a token of another version or
 * purpose never verifies as this one.  Base64url (RFC 4648 §5) without padding keeps the
 * token URL-safe: it is the last segment of GET /verify/{token}.
 *
 * Decoding is pure: a token, a set of public keys and a date in, a verdict out.  Whether
 * the certificate was revoked or suspended is not in the token; the caller asks the store.
 */
#ifndef TP_CORE_TALENT_CODE_H
#define TP_CORE_TALENT_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/rc.h"

struct keyring;

#define TC_PREFIX "TP1."
#define TC_PAYLOAD_BYTES 18
#define TC_TOKEN_LEN 115 /* strlen of every token */
#define TC_ID_MAX (((int64_t)1 << 40) - 1)

struct tc_claims {
	int64_t cert_id;
	int tier;
	struct civil_date valid_from, valid_to;
	int64_t issued_at; /* Unix seconds */
	uint32_t key_id;
};

struct tc_pubkey {
	uint32_t id;
	unsigned char pk[32];
};

enum tc_verdict {
	TC_VALID = 0,
	TC_EXPIRED,       /* the signature holds; the date is after valid_to */
	TC_NOT_YET_VALID, /* the signature holds; the date is before valid_from */
	TC_FORGED,        /* well formed, but no known key signed it (unknown key id or a bad signature) */
	TC_MALFORMED,     /* not a talent code at all: prefix, length, encoding, field ranges */
};

/* "valid", "expired", "not_yet_valid", "forged", "malformed". */
const char *tc_verdict_str(enum tc_verdict v);

/*
 * Signs c (its key_id is set to kr's active code key) and writes the token, NUL-terminated,
 * into out.  TP_ERR_INVALID when a field is out of range (id, tier, dates outside
 * 1970..2149, valid_from after valid_to, issued_at outside 0..2^32-1); TP_ERR_NOT_FOUND when
 * kr has no code key.
 */
enum tp_rc talent_code_encode(const struct keyring *kr, struct tc_claims *c,
			      char out[TC_TOKEN_LEN + 1]);

/*
 * Decodes token and checks its signature against keys[0..n) (the key named by its key
 * id), then its validity on date `on`.  *c is filled whenever the verdict is not
 * TC_MALFORMED (for TC_FORGED: what the token claims, not to be trusted).  Accepts any
 * string (NULL, empty, overlong, binary) without reading past its NUL.
 */
enum tc_verdict talent_code_decode(const char *token, const struct tc_pubkey *keys, size_t n,
				   struct civil_date on, struct tc_claims *c);

/* The public keys of kr's code keys into out (at most max, oldest first); returns the count. */
size_t talent_code_keys_from_ring(const struct keyring *kr, struct tc_pubkey *out, size_t max);

/*
 * The public-key file (`talentport keys export-code`), text:
 *   # comment
 *   code-pk <id 8 hex> <64 hex public key>
 * talent_code_keys_write renders keys[0..n) into a malloc'd string (caller frees; NULL on
 * OOM).  talent_code_keys_parse reads such text into out (at most max); returns the count,
 * or -1 when a line is not a comment, blank or code-pk line (errline gets its number).
 */
char *talent_code_keys_write(const struct tc_pubkey *keys, size_t n);
int talent_code_keys_parse(const char *text, struct tc_pubkey *out, size_t max, int *errline);

#endif
