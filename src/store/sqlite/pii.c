/*
 * pii.c — personal data at rest in the SQLite backend: the connection's keyring (loaded
 * at open and checked against the fingerprint the database keeps), sealing and opening
 * column values, and key rotation (`talentport keys`).  The upgrade of plaintext
 * databases is in pii_migrate.c.
 *
 * A sealed column holds core/crypto.h's binary format; the aad is "<table>.<column>", so
 * a value copied into another column does not open.  The key file is re-read when a
 * value names a key id this connection does not know, and (at most once a second) before
 * a write when the file changed: a rotation run beside a live server is picked up.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/idcard.h"
#include "core/log.h"
#include "store/sqlite/internal.h"

/* ---- the keyring of a connection ------------------------------------------------------- */

static int64_t mono_s(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec;
}

/* Reads the key file's identity: 0 when it can be stat'ed. */
static int key_file_id(const char *path, int64_t *ino, int64_t *mtime_ns)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	*ino = (int64_t)st.st_ino;
	*mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return 0;
}

static void stamp(struct sq_store *s)
{
	if (key_file_id(s->key_path, &s->key_ino, &s->key_mtime_ns) != 0)
		s->key_ino = s->key_mtime_ns = 0;
	s->key_checked_s = mono_s();
}

static int table_exists(struct sq_store *s, const char *name)
{
	sqlite3_stmt *q = sq_prepare(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
	                                "name = ?");
	if (!q)
		return -1;
	sq_bind_text(q, 1, name);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * What the database says about its keys: *has_meta when crypto_meta exists (migration 5),
 * fp the fingerprint it recorded ("" when none), *sealed when it holds sealed values
 * (a recorded fingerprint counts: it is written with the first seal).
 */
static enum tp_rc db_keys(struct sq_store *s, int *has_meta, char fp[17], int *sealed)
{
	fp[0] = '\0';
	*sealed = 0;
	*has_meta = table_exists(s, "crypto_meta");
	if (*has_meta < 0)
		return TP_ERR_DB;
	if (!*has_meta)
		return TP_OK;
	sqlite3_stmt *q = sq_prepare(s, "SELECT fingerprint FROM crypto_meta WHERE id = 1");
	if (!q)
		return TP_ERR_DB;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(fp, 17, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_rc(s, rc);
	if (fp[0]) {
		*sealed = 1;
		return TP_OK;
	}
	q = sq_prepare(s, "SELECT EXISTS (SELECT 1 FROM talents WHERE id_number_enc IS NOT NULL "
	                  "OR phone_enc IS NOT NULL) OR EXISTS (SELECT 1 FROM enterprises WHERE "
	                  "contact_phone_enc IS NOT NULL)");
	if (!q)
		return TP_ERR_DB;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*sealed = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_pii_record_fingerprint(struct sq_store *s)
{
	char fp[17];
	keyring_fingerprint(s->kr, fp);
	sqlite3_stmt *q = sq_prepare(s, "INSERT OR IGNORE INTO crypto_meta (id, fingerprint) "
	                                "VALUES (1, ?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, fp);
	enum tp_rc rc = sq_rc(s, sqlite3_step(q));
	sqlite3_reset(q);
	return rc;
}

enum tp_rc sq_pii_attach(struct sq_store *s, int flags, char *err, size_t errlen)
{
	keyring_default_path(s->path, s->key_path, sizeof s->key_path);
	if (!s->key_path[0]) {
		snprintf(err, errlen, "密钥文件路径过长 / the key file path is too long");
		return TP_ERR_INVALID;
	}
	int has_meta, sealed;
	char want[17];
	enum tp_rc rc = db_keys(s, &has_meta, want, &sealed);
	if (rc != TP_OK) {
		snprintf(err, errlen, "cannot read the key fingerprint of '%s': %s", s->path,
		         sqlite3_errmsg(s->db));
		return rc;
	}
	struct stat kst;
	int create = 0;
	if (stat(s->key_path, &kst) != 0 && errno == ENOENT) {
		if (!(flags & STORE_CREATE) || (flags & STORE_READONLY) || sealed) {
			snprintf(err, errlen,
			         "找不到密钥文件 %s（放在别处时用 TALENTPORT_KEY_FILE 指定）/ key file "
			         "%s is missing (if kept elsewhere, set TALENTPORT_KEY_FILE)",
			         s->key_path, s->key_path);
			return TP_ERR_NOT_FOUND;
		}
		create = 1;
	}
	if ((rc = keyring_load(s->key_path, create, &s->kr, err, errlen)) != TP_OK)
		return rc;
	char fp[17];
	keyring_fingerprint(s->kr, fp);
	if (want[0] && strcmp(want, fp) != 0) {
		snprintf(err, errlen,
		         "密钥文件 %s 不属于此数据库（指纹 %s，应为 %s）/ key file %s does not "
		         "belong to this database (fingerprint %s, expected %s; see "
		         "TALENTPORT_KEY_FILE)",
		         s->key_path, fp, want, s->key_path, fp, want);
		return TP_ERR_CONFLICT;
	}
	if (has_meta && !want[0] && !(flags & STORE_READONLY) &&
	    (rc = sq_pii_record_fingerprint(s)) != TP_OK) {
		snprintf(err, errlen, "cannot record the key fingerprint in '%s': %s", s->path,
		         sqlite3_errmsg(s->db));
		return rc;
	}
	stamp(s);
	return TP_OK;
}

void sq_pii_detach(struct sq_store *s)
{
	keyring_free(s->kr);
	s->kr = NULL;
}

/* Loads the key file again (same fingerprint only); keeps the old keyring on failure. */
static enum tp_rc reload(struct sq_store *s)
{
	char err[512];
	struct keyring *kr;
	stamp(s);
	enum tp_rc rc = keyring_load(s->key_path, 0, &kr, err, sizeof err);
	if (rc != TP_OK) {
		tp_log(LOG_ERROR, "cannot reload the key file", json_pack("{s:s}", "error", err));
		return rc;
	}
	char a[17], b[17];
	keyring_fingerprint(s->kr, a);
	keyring_fingerprint(kr, b);
	if (strcmp(a, b) != 0) {
		tp_log(LOG_ERROR,
		       "the key file was replaced by another database's; kept the old keys",
		       json_pack("{s:s,s:s,s:s}", "path", s->key_path, "expected", a, "found", b));
		keyring_free(kr);
		return TP_ERR_CONFLICT;
	}
	keyring_free(s->kr);
	s->kr = kr;
	return TP_OK;
}

/* 1 when the key file is not the one loaded (another process rotated it). */
static int key_file_changed(struct sq_store *s)
{
	int64_t ino, mtime;
	return key_file_id(s->key_path, &ino, &mtime) == 0 &&
	       (ino != s->key_ino || mtime != s->key_mtime_ns);
}

void sq_pii_refresh(struct sq_store *s)
{
	int64_t now = mono_s();
	if (now == s->key_checked_s)
		return;
	s->key_checked_s = now;
	if (key_file_changed(s))
		reload(s);
}

/* ---- sealing and opening --------------------------------------------------------------- */

enum tp_rc sq_pii_seal(struct sq_store *s, const char *aad, const char *bidx_domain,
                       enum sq_mask mask, const char *value, struct sq_sealed *out)
{
	out->n = 0;
	out->has_bidx = 0;
	out->mask[0] = '\0';
	if (!value)
		return TP_OK;
	enum tp_rc rc = pii_seal(s->kr, aad, value, strlen(value), out->enc, &out->n);
	if (rc != TP_OK)
		return rc;
	if (bidx_domain) {
		pii_blind_index(s->kr, bidx_domain, value, out->bidx);
		out->has_bidx = 1;
	}
	if (mask == SQ_MASK_ID)
		idcard_mask(value, out->mask);
	else
		phone_mask(value, out->mask, sizeof out->mask);
	return TP_OK;
}

int sq_pii_bind(sqlite3_stmt *q, int i, const struct sq_sealed *v, int with_bidx)
{
	/* static: a transient copy is an allocation, and a failed bind would leave NULL */
	if (v->n)
		sqlite3_bind_blob(q, i++, v->enc, (int)v->n, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i++);
	if (with_bidx) {
		if (v->n && v->has_bidx)
			sqlite3_bind_blob(q, i++, v->bidx, BLIND_INDEX_BYTES, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, i++);
	}
	if (v->n)
		sqlite3_bind_text(q, i++, v->mask, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i++);
	return i;
}

void sq_pii_bidx(struct sq_store *s, const char *domain, const char *value,
                 unsigned char out[BLIND_INDEX_BYTES])
{
	pii_blind_index(s->kr, domain, value, out);
}

enum tp_rc sq_pii_open(struct sq_store *s, const char *aad, int64_t row, const void *in, size_t n,
                       struct arena *a, char *buf, const char **out, size_t *outlen)
{
	*out = NULL;
	if (outlen)
		*outlen = 0;
	if (!in)
		return TP_OK;
	enum tp_rc rc = TP_ERR_INVALID;
	size_t len = 0;
	if (n >= PII_OVERHEAD && n <= PII_PLAIN_MAX + PII_OVERHEAD) {
		char *dst = buf ? buf : arena_alloc(a, n - PII_OVERHEAD + 1);
		if (!dst)
			return TP_ERR_NOMEM;
		rc = pii_open(s->kr, aad, in, n, dst, &len);
		/* a key this connection has not seen: rotated by another process meanwhile */
		if (rc == TP_ERR_NOT_FOUND && key_file_changed(s) && reload(s) == TP_OK)
			rc = pii_open(s->kr, aad, in, n, dst, &len);
		if (rc == TP_OK) {
			*out = dst;
			if (outlen)
				*outlen = len;
			return TP_OK;
		}
	}
	/* never the value: where it is and which key it names */
	char kid[9];
	snprintf(kid, sizeof kid, "%08x", (unsigned)pii_key_id(in, n));
	tp_log(LOG_ERROR, "a sealed value does not open",
	       json_pack("{s:s,s:I,s:s,s:s}", "column", aad, "row_id", (json_int_t)row, "key_id",
	                 kid, "reason",
	                 rc == TP_ERR_NOT_FOUND ? "key not in the key file"
	                                        : "altered, truncated or from another column"));
	return TP_ERR_DB;
}

enum tp_rc sq_pii_col(struct sq_store *s, sqlite3_stmt *q, int col, const char *aad, int64_t row,
                      struct arena *a, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return TP_OK;
	/* a BLOB is returned as is (no conversion, no allocation); NULL means empty here,
	 * which does not open and is reported as such */
	const void *in = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);
	return sq_pii_open(s, aad, row, in ? in : "", in ? n : 0, a, NULL, out, NULL);
}

/* ---- `talentport keys` ----------------------------------------------------------------- */

enum tp_rc sq_pii_key_info(struct store *st, struct pii_key_info *out)
{
	struct sq_store *s = sq(st);
	snprintf(out->path, sizeof out->path, "%s", s->key_path);
	keyring_fingerprint(s->kr, out->fingerprint);
	out->active_id = keyring_active_id(s->kr);
	return TP_OK;
}

enum tp_rc sq_pii_key_counts(struct store *st, struct arena *a, struct pii_key_count **out,
                             size_t *n)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	/* substr() of a BLOB counts bytes: bytes 2..5 are the key id, big-endian */
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT k, count(*) FROM (SELECT substr(id_number_enc, 2, 4) AS k FROM talents "
	       "WHERE id_number_enc IS NOT NULL UNION ALL SELECT substr(phone_enc, 2, 4) FROM "
	       "talents WHERE phone_enc IS NOT NULL UNION ALL SELECT substr(contact_phone_enc, "
	       "2, 4) FROM enterprises WHERE contact_phone_enc IS NOT NULL UNION ALL SELECT "
	       "substr(totp_secret, 2, 4) FROM users WHERE totp_secret IS NOT NULL UNION ALL "
	       "SELECT substr(number_enc, 2, 4) FROM bank_accounts UNION ALL SELECT "
	       "substr(id_number_enc, 2, 4) FROM apprentices) "
	       "GROUP BY k ORDER BY k");
	if (!q)
		return TP_ERR_DB;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(*out = sq_grow(a, *out, &cap, *n, sizeof(**out), 8))) {
			sqlite3_reset(q);
			return TP_ERR_NOMEM;
		}
		const unsigned char *k = sqlite3_column_blob(q, 0);
		uint32_t id = 0;
		if (k && sqlite3_column_bytes(q, 0) == 4)
			id = (uint32_t)k[0] << 24 | (uint32_t)k[1] << 16 | (uint32_t)k[2] << 8 |
			     k[3];
		(*out)[*n].key_id = id;
		(*out)[(*n)++].values = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_pii_add_key(struct store *st, uint32_t *new_id)
{
	struct sq_store *s = sq(st);
	enum tp_rc rc = keyring_add_key(s->kr, s->key_path, new_id);
	stamp(s);
	return rc;
}

/* The tables a rotation walks, in PII_REKEY order: two sealed columns each at most. */
static const struct rekey_table {
	const char *select; /* id, sealed column 1, sealed column 2 (or NULL) */
	const char *update; /* ?1, ?2 the columns, ?3 the id */
	const char *aad[2];
} REKEY[PII_REKEY_DONE] = {
    {"SELECT id, id_number_enc, phone_enc FROM talents WHERE id > ? ORDER BY id LIMIT ?",
     "UPDATE talents SET id_number_enc = ?1, phone_enc = ?2 WHERE id = ?3",
     {"talents.id_number", "talents.phone"}},
    {"SELECT id, contact_phone_enc, NULL FROM enterprises WHERE id > ? ORDER BY id LIMIT ?",
     "UPDATE enterprises SET contact_phone_enc = ?1 WHERE id = ?3",
     {"enterprises.contact_phone", NULL}},
    {"SELECT id, totp_secret, NULL FROM users WHERE id > ? ORDER BY id LIMIT ?",
     "UPDATE users SET totp_secret = ?1 WHERE id = ?3",
     {"users.totp_secret", NULL}},
    {"SELECT id, number_enc, NULL FROM bank_accounts WHERE id > ? ORDER BY id LIMIT ?",
     "UPDATE bank_accounts SET number_enc = ?1 WHERE id = ?3",
     {"bank_accounts.number", NULL}},
    {"SELECT id, id_number_enc, NULL FROM apprentices WHERE id > ? ORDER BY id LIMIT ?",
     "UPDATE apprentices SET id_number_enc = ?1 WHERE id = ?3",
     {"apprentices.id_number", NULL}},
};

struct rekey_row {
	int64_t id;
	size_t n[2];
	unsigned char v[2][PII_PLAIN_MAX + PII_OVERHEAD];
};

/* Re-seals one column value of the current row into r (a copy when already current). */
static enum tp_rc reseal(struct sq_store *s, sqlite3_stmt *q, int col, const char *aad,
                         struct rekey_row *r, int k, int *changed)
{
	const unsigned char *in = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);
	r->n[k] = 0;
	if (!in || !aad)
		return TP_OK;
	if (n > sizeof r->v[k])
		return TP_ERR_DB;
	if (pii_key_id(in, n) == keyring_active_id(s->kr)) {
		memcpy(r->v[k], in, n);
		r->n[k] = n;
		return TP_OK;
	}
	char plain[PII_PLAIN_MAX + 1];
	const char *p;
	size_t len;
	enum tp_rc rc = sq_pii_open(s, aad, r->id, in, n, NULL, plain, &p, &len);
	if (rc == TP_OK)
		rc = pii_seal(s->kr, aad, plain, len, r->v[k], &r->n[k]);
	sodium_memzero(plain, sizeof plain);
	if (rc == TP_OK)
		(*changed)++;
	return rc;
}

static enum tp_rc rekey_batch(struct sq_store *s, size_t batch, struct pii_rekey_pos *pos,
                              struct rekey_row *rows, int64_t *resealed)
{
	const struct rekey_table *t = &REKEY[pos->table];
	sqlite3_stmt *q = sq_prepare(s, t->select);
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, pos->after);
	sqlite3_bind_int64(q, 2, (int64_t)batch);
	size_t seen = 0, nrows = 0;
	int rc;
	enum tp_rc r = TP_OK;
	while (r == TP_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct rekey_row *row = &rows[nrows];
		int changed = 0;
		row->id = sqlite3_column_int64(q, 0);
		pos->after = row->id;
		seen++;
		for (int k = 0; k < 2 && r == TP_OK; k++)
			r = reseal(s, q, 1 + k, t->aad[k], row, k, &changed);
		if (changed) {
			nrows++;
			*resealed += changed;
		}
	}
	sqlite3_reset(q);
	if (r == TP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sq_rc(s, rc);
	for (size_t i = 0; r == TP_OK && i < nrows; i++) {
		sqlite3_stmt *u = sq_prepare(s, t->update);
		if (!u)
			return TP_ERR_DB;
		for (int k = 0; k < 2; k++)
			if (rows[i].n[k])
				sqlite3_bind_blob(u, 1 + k, rows[i].v[k], (int)rows[i].n[k],
				                  SQLITE_STATIC);
		sqlite3_bind_int64(u, 3, rows[i].id);
		r = sq_rc(s, sqlite3_step(u));
		sqlite3_reset(u);
	}
	if (r == TP_OK && seen < batch) {
		pos->table++;
		pos->after = 0;
	}
	return r;
}

enum tp_rc sq_pii_rekey(struct store *st, size_t batch, struct pii_rekey_pos *pos,
                        int64_t *resealed)
{
	struct sq_store *s = sq(st);
	*resealed = 0;
	if (pos->table < 0 || pos->table >= PII_REKEY_DONE)
		return TP_OK;
	if (batch == 0 || batch > 100000)
		return TP_ERR_INVALID;
	struct rekey_row *rows = malloc(batch * sizeof(*rows));
	if (!rows)
		return TP_ERR_NOMEM;
	struct pii_rekey_pos start = *pos;
	enum tp_rc rc = store_begin(st);
	if (rc == TP_OK)
		rc = store_end(st, rekey_batch(s, batch, pos, rows, resealed));
	sodium_memzero(rows, batch * sizeof(*rows));
	free(rows);
	if (rc != TP_OK) {
		*pos = start; /* nothing of the batch was kept: it is done again */
		*resealed = 0;
	}
	return rc;
}

/* ---- talent-code keys (core/talent_code.h) ---- */

enum tp_rc sq_pii_code_ensure(struct sq_store *s)
{
	uint32_t id = 0;
	enum tp_rc rc = keyring_add_code_key(s->kr, s->key_path, 1, &id);
	if (rc != TP_OK)
		return rc;
	stamp(s);
	if (id) {
		char kid[9];
		snprintf(kid, sizeof kid, "%08x", (unsigned)id);
		tp_log(LOG_INFO, "talent-code key added to the key file",
		       json_pack("{s:s,s:s}", "path", s->key_path, "key_id", kid));
	}
	return TP_OK;
}

const struct keyring *sq_keyring(struct store *st)
{
	struct sq_store *s = sq(st);
	sq_pii_refresh(s);
	return s->kr;
}
