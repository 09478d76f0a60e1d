/*
 * certificates.c — certificates and the registry's tier (migrations/0011_certificates.sql;
 * the rules: src/domain/certificates.h).
 */
#include <string.h>

#include "core/arena.h"
#include "domain/certificates.h"
#include "store/sqlite/internal.h"

#define CERT_COLS                                                                          \
	"id, version, talent_id, tier, valid_from, valid_to, issued_at, issuer, basis, "   \
	"status, status_reason, status_at, superseded_by, application_id, key_id, token, " \
	"issued_by"

static void read_cert(sqlite3_stmt *q, struct arena *a, struct certificate *c)
{
	int i = 0;
	c->id = sq_col_int(q, i++, 0);
	c->version = sq_col_int(q, i++, 0);
	c->talent_id = sq_col_int(q, i++, 0);
	c->tier = (int)sq_col_int(q, i++, 0);
	c->valid_from = sq_col_text(q, i++, a);
	c->valid_to = sq_col_text(q, i++, a);
	c->issued_at = sq_col_text(q, i++, a);
	c->issuer = sq_col_text(q, i++, a);
	c->basis = sq_col_text(q, i++, a);
	c->status = sq_col_text(q, i++, a);
	c->status_reason = sq_col_text(q, i++, a);
	c->status_at = sq_col_text(q, i++, a);
	c->superseded_by = sq_col_int(q, i++, 0);
	c->application_id = sq_col_int(q, i++, 0);
	c->key_id = sq_col_text(q, i++, a);
	c->token = sq_col_text(q, i++, a);
	c->issued_by = sq_col_text(q, i++, a);
}

enum tp_rc sq_cert_insert(struct store *st, struct certificate *c)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO certificates (talent_id, tier, valid_from, valid_to, issued_at, "
		   "issuer, basis, status, application_id, key_id, token, issued_by) "
		   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, c->talent_id);
	sqlite3_bind_int(q, 2, c->tier);
	sq_bind_text(q, 3, c->valid_from);
	sq_bind_text(q, 4, c->valid_to);
	sq_bind_text(q, 5, c->issued_at);
	sq_bind_text(q, 6, c->issuer);
	sq_bind_text(q, 7, c->basis ? c->basis : "");
	sq_bind_text(q, 8, c->status ? c->status : "valid");
	sq_bind_int_opt(q, 9, c->application_id, 0);
	sq_bind_text(q, 10, c->key_id ? c->key_id : "");
	sq_bind_text(q, 11, c->token ? c->token : "");
	sq_bind_text(q, 12, c->issued_by ? c->issued_by : "");
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		c->id = sqlite3_last_insert_rowid(s->db);
		c->version = 1;
	}
	return rc;
}

enum tp_rc sq_cert_set_token(struct store *st, int64_t id, const char *key_id,
			     const char *token)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q =
		sq_prepare(s, "UPDATE certificates SET key_id = ?, token = ? WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, key_id);
	sq_bind_text(q, 2, token);
	sqlite3_bind_int64(q, 3, id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_cert_get(struct store *st, int64_t id, struct arena *a, struct certificate *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " CERT_COLS " FROM certificates WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW)
		read_cert(q, a, out);
	else
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_cert_list(struct store *st, int64_t talent_id, struct arena *a,
			struct certificate **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " CERT_COLS " FROM certificates "
					"WHERE talent_id = ? ORDER BY id DESC");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, talent_id);
	size_t cap = 0, k = 0;
	struct certificate *items = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (k == cap && !(items = sq_grow(a, items, &cap, k, sizeof *items, 4))) {
			sqlite3_reset(q);
			return TP_ERR_NOMEM;
		}
		read_cert(q, a, &items[k++]);
	}
	sqlite3_reset(q);
	*out = items;
	*n = k;
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_cert_set_status(struct store *st, struct certificate *c)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE certificates SET status = ?, status_reason = ?, status_at = ?, "
		   "superseded_by = ?, version = version + 1 WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, c->status);
	sq_bind_text(q, 2, c->status_reason);
	sq_bind_text(q, 3, c->status_at);
	sq_bind_int_opt(q, 4, c->superseded_by, 0);
	sqlite3_bind_int64(q, 5, c->id);
	sqlite3_bind_int64(q, 6, c->version);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK && sqlite3_changes(s->db) == 0)
		return TP_ERR_CONFLICT;
	if (rc == TP_OK)
		c->version++;
	return rc;
}

enum tp_rc sq_talent_set_tier(struct store *st, int64_t talent_id, int tier, const char *from,
			      const char *to)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE talents SET tier = ?, tier_from = ?, tier_to = ?, version = version + 1, "
		   "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_int_opt(q, 1, tier, 0);
	sq_bind_text(q, 2, tier ? from : NULL);
	sq_bind_text(q, 3, tier ? to : NULL);
	sqlite3_bind_int64(q, 4, talent_id);
	sq_counts_bump();
	return sq_step_changed(s, q);
}
