/*
 * crypto.h — keys and sealed values for personal data (libsodium).
 *
 * A key file holds: one blind-index key (never rotates: the index must stay
 * comparable), one Ed25519 signing seed (signs audit archives) and one or more
 * data keys with a 32-bit id; the last data key listed is the active one.  The
 * file is created with mode 0600 and refused when group or others can read it.
 *
 *   # TalentPort keys ...
 *   index <64 hex>
 *   sign  <64 hex>
 *   key <id hex 8> <64 hex>
 *   code <id hex 8> <64 hex>      (talent-code signing seeds, core/talent_code.h)
 *
 * The code lines are Ed25519 seeds that sign talent codes (人才码); the last one
 * listed signs, the older ones stay so that their public keys still verify the
 * codes they signed.  A file written before talent codes has none until one is added
 * (keyring_add_code_key; `talentport migrate` and `serve` do it).
 *
 * A sealed value is binary:  [1 byte cipher][4 bytes key id, big-endian][nonce][ciphertext+tag].
 * Cipher 1 is XChaCha20-Poly1305 (24-byte nonce, 16-byte tag).  The cipher byte
 * keeps the door open for an SM4-based cipher (密评) behind the same calls.
 * The `aad` string (e.g. "talents.id_number") is authenticated with the value,
 * so a value copied into another column does not open.
 */
#ifndef TP_CORE_CRYPTO_H
#define TP_CORE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

struct keyring;

#define PII_CIPHER_XCHACHA20 1
#define PII_OVERHEAD (1 + 4 + 24 + 16) /* sealed length = plain length + PII_OVERHEAD */
#define PII_PLAIN_MAX 256              /* longest value we seal (bank account, name...) */
#define BLIND_INDEX_BYTES 16

/*
 * Loads the key file at path.  When it does not exist and create is set, writes a new
 * one (mode 0600, fsynced, by rename from a temporary file).  Refuses a file that group
 * or others may read.  On failure returns non-TP_OK and writes a reason (zh + en) to err.
 * The keyring is owned by the caller (keyring_free).
 */
enum tp_rc keyring_load(const char *path, int create, struct keyring **out, char *err,
			size_t errlen);

/* Frees a keyring (wiping its keys); NULL is a no-op. */
void keyring_free(struct keyring *kr);

/* Where the key file of a database lives: $TALENTPORT_KEY_FILE, else "<db path>.key". */
void keyring_default_path(const char *db_path, char *out, size_t outlen);

/* The id of the active data key. */
uint32_t keyring_active_id(const struct keyring *kr);

/* A short fingerprint of the blind-index key (16 hex chars) to tell key files apart. */
void keyring_fingerprint(const struct keyring *kr, char out[17]);

/*
 * Appends a new random data key to the file at path (rewritten atomically, 0600) and
 * makes it active in kr.  Old keys stay so old values still open.  Returns the new id.
 */
enum tp_rc keyring_add_key(struct keyring *kr, const char *path, uint32_t *new_id);

/*
 * Seals plain[0..n) with the active key.  out must hold n + PII_OVERHEAD bytes; n must be
 * at most PII_PLAIN_MAX.  Returns TP_OK or TP_ERR_TOO_LARGE.
 */
enum tp_rc pii_seal(const struct keyring *kr, const char *aad, const void *plain, size_t n,
		    unsigned char *out, size_t *outlen);

/*
 * Opens a sealed value into out (NUL-terminated; out must hold n - PII_OVERHEAD + 1
 * bytes).  TP_ERR_NOT_FOUND when its key id is not in the keyring, TP_ERR_INVALID when
 * the value was altered, is truncated or belongs to another aad.
 */
enum tp_rc pii_open(const struct keyring *kr, const char *aad, const unsigned char *in,
		    size_t n, char *out, size_t *outlen);

/* The key id a sealed value was made with (0 when it is too short to tell). */
uint32_t pii_key_id(const unsigned char *in, size_t n);

/*
 * Keyed BLAKE2b of value under the index key, with domain separating columns
 * ("id_number", "phone"): equal inputs give equal outputs, for exact-match lookup.
 */
void pii_blind_index(const struct keyring *kr, const char *domain, const char *value,
		     unsigned char out[BLIND_INDEX_BYTES]);

/* Ed25519 signature of msg with the key file's signing key; public key for checking. */
void keyring_sign(const struct keyring *kr, const void *msg, size_t n, unsigned char sig[64]);
void keyring_sign_pk(const struct keyring *kr, unsigned char pk[32]);
/* 0 when sig is a valid signature of msg under pk. */
int keyring_verify(const unsigned char pk[32], const void *msg, size_t n,
		   const unsigned char sig[64]);

/* ---- talent-code (人才码) signing keys ---- */

/* How many code keys kr holds (0 in a key file written before talent codes). */
size_t keyring_code_count(const struct keyring *kr);
/* The id of the active (last) code key; 0 when there is none. */
uint32_t keyring_code_active(const struct keyring *kr);
/* Code key i (0 .. count-1, oldest first): its id and Ed25519 public key. */
void keyring_code_pk(const struct keyring *kr, size_t i, uint32_t *id, unsigned char pk[32]);
/* Signs msg with the active code key and returns its id; 0 (nothing signed) when kr has
 * no code key. */
uint32_t keyring_code_sign(const struct keyring *kr, const void *msg, size_t n,
			   unsigned char sig[64]);
/*
 * Adds a random code key to the file at path (rewritten atomically, 0600) and makes it
 * active in kr; keys another process added meanwhile are kept.  With only_if_none and a
 * file that already holds a code key, nothing is written and kr adopts the file's keys
 * (*new_id 0).  TP_ERR_CONFLICT when the file is not kr's.
 */
enum tp_rc keyring_add_code_key(struct keyring *kr, const char *path, int only_if_none,
				uint32_t *new_id);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* Parses exactly 2n hex characters; 0 on success. */
int hex_decode(const char *hex, unsigned char *out, size_t n);

/* 256-bit random token as 43 chars of unpadded base64url (+ NUL): session ids, API tokens. */
void token_random(char out[44]);
/* BLAKE2b-256 of a token, hex (65 bytes): what the database keeps instead of the token. */
void token_hash(const char *token, char out[65]);

#endif
