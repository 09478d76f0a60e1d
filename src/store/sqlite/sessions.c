/*
 * sessions.c — SQLite storage of sessions, API tokens, self-registrations and settings.
 */
#include <string.h>

#include "core/arena.h"
#include "store/sqlite/internal.h"

enum tp_rc sq_session_insert(struct store *st, const struct session *x)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, "
		   "expires_at, idle_secs, ip) VALUES (?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, x->token_hash);
	sqlite3_bind_int64(q, 2, x->user_id);
	sq_bind_text(q, 3, x->csrf_token);
	sqlite3_bind_int64(q, 4, x->created_at);
	sqlite3_bind_int64(q, 5, x->last_seen);
	sqlite3_bind_int64(q, 6, x->expires_at);
	sqlite3_bind_int64(q, 7, x->idle_secs);
	sq_bind_text(q, 8, x->ip ? x->ip : "");
	return sq_step_done(s, q);
}

enum tp_rc sq_session_get(struct store *st, const char *token_hash, struct arena *a,
			  struct session *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT user_id, csrf_token, created_at, last_seen, "
					"expires_at, idle_secs, ip, revoked FROM sessions "
					"WHERE token_hash = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, token_hash);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->token_hash = arena_strdup(a, token_hash);
		out->user_id = sqlite3_column_int64(q, 0);
		out->csrf_token = sq_col_text(q, 1, a);
		out->created_at = sqlite3_column_int64(q, 2);
		out->last_seen = sqlite3_column_int64(q, 3);
		out->expires_at = sqlite3_column_int64(q, 4);
		out->idle_secs = sqlite3_column_int64(q, 5);
		out->ip = sq_col_text(q, 6, a);
		out->revoked = sqlite3_column_int(q, 7);
		if (!out->token_hash || !out->csrf_token)
			r = TP_ERR_NOMEM;
	} else {
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	}
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_session_touch(struct store *st, const char *token_hash, int64_t now)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, now);
	sq_bind_text(q, 2, token_hash);
	return sq_step_done(s, q);
}

enum tp_rc sq_session_revoke(struct store *st, const char *token_hash)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, token_hash);
	return sq_step_changed(s, q);
}

enum tp_rc sq_user_revoke_all(struct store *st, int64_t user_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE sessions SET revoked = 1 WHERE user_id = ? "
					"AND revoked = 0");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, user_id);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	q = sq_prepare(s, "UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, user_id);
	return sq_step_done(s, q);
}

#define TOK_SELECT                                                                                \
	"SELECT id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, "    \
	"revoked FROM api_tokens"

static int read_token(sqlite3_stmt *q, struct arena *a, struct api_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(q, 0);
	t->user_id = sqlite3_column_int64(q, 1);
	t->name = sq_col_text(q, 2, a);
	t->token_hash = sq_col_text(q, 3, a);
	t->prefix = sq_col_text(q, 4, a);
	t->created_at = sqlite3_column_int64(q, 5);
	t->expires_at = sqlite3_column_int64(q, 6);
	t->last_used_at = sqlite3_column_int64(q, 7);
	t->revoked = sqlite3_column_int(q, 8);
	return t->name && t->token_hash && t->prefix ? 0 : -1;
}

enum tp_rc sq_token_insert(struct store *st, struct api_token *t)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO api_tokens (user_id, name, token_hash, prefix, "
					"created_at, expires_at) VALUES (?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, t->user_id);
	sq_bind_text(q, 2, t->name);
	sq_bind_text(q, 3, t->token_hash);
	sq_bind_text(q, 4, t->prefix);
	sqlite3_bind_int64(q, 5, t->created_at);
	sqlite3_bind_int64(q, 6, t->expires_at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		t->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_token_get(struct store *st, const char *token_hash, struct arena *a,
			struct api_token *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, TOK_SELECT " WHERE token_hash = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, token_hash);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW)
		r = read_token(q, a, out) == 0 ? TP_OK : TP_ERR_NOMEM;
	else
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_token_list(struct store *st, int64_t user_id, struct arena *a,
			 struct api_token **out, size_t *n)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = sq_prepare(s, TOK_SELECT " WHERE user_id = ? AND revoked = 0 "
						   "ORDER BY id LIMIT 100");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, user_id);
	struct api_token *items = arena_alloc(a, sizeof(*items) * 100);
	if (!items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	int rc;
	enum tp_rc r = TP_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < 100) {
		if (read_token(q, a, &items[*n]) != 0) {
			r = TP_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	if (r == TP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sq_rc(s, rc);
	sqlite3_reset(q);
	*out = items;
	return r;
}

enum tp_rc sq_token_revoke(struct store *st, int64_t user_id, int64_t id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND "
					"user_id = ? AND revoked = 0");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, user_id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_token_touch(struct store *st, int64_t id, int64_t now)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, id);
	return sq_step_done(s, q);
}

#define REG_SELECT                                                                                \
	"SELECT r.id, r.version, r.kind, r.username, r.display_name, r.password_phc, "            \
	"r.talent_id, r.enterprise_id, r.status, r.reason, r.user_id, r.decided_by, "             \
	"r.decided_at, r.created_at, coalesce(t.name, e.name), coalesce(t.town, e.town) "         \
	"FROM registrations r LEFT JOIN talents t ON t.id = r.talent_id "                         \
	"LEFT JOIN enterprises e ON e.id = r.enterprise_id"

static int read_registration(sqlite3_stmt *q, struct arena *a, struct registration *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(q, 0);
	r->version = sqlite3_column_int64(q, 1);
	r->kind = sq_col_text(q, 2, a);
	r->username = sq_col_text(q, 3, a);
	r->display_name = sq_col_text(q, 4, a);
	r->password_phc = sq_col_text(q, 5, a);
	r->talent_id = sq_col_int(q, 6, 0);
	r->enterprise_id = sq_col_int(q, 7, 0);
	r->status = sq_col_text(q, 8, a);
	r->reason = sq_col_text(q, 9, a);
	r->user_id = sq_col_int(q, 10, 0);
	r->decided_by = sq_col_int(q, 11, 0);
	r->decided_at = sq_col_text(q, 12, a);
	r->created_at = sq_col_text(q, 13, a);
	r->matched_name = sq_col_text(q, 14, a);
	r->matched_town = sq_col_text(q, 15, a);
	return r->kind && r->username && r->status && r->password_phc ? 0 : -1;
}

enum tp_rc sq_registration_insert(struct store *st, struct registration *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO registrations (kind, username, display_name, "
					"password_phc, talent_id, enterprise_id) VALUES (?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, r->kind);
	sq_bind_text(q, 2, r->username);
	sq_bind_text(q, 3, r->display_name);
	sq_bind_text(q, 4, r->password_phc);
	sq_bind_int_opt(q, 5, r->talent_id, 0);
	sq_bind_int_opt(q, 6, r->enterprise_id, 0);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		r->id = sqlite3_last_insert_rowid(s->db);
		r->version = 1;
		r->status = "pending";
	}
	return rc;
}

enum tp_rc sq_registration_get(struct store *st, int64_t id, struct arena *a,
			       struct registration *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, REG_SELECT " WHERE r.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	enum tp_rc r;
	if (rc == SQLITE_ROW)
		r = read_registration(q, a, out) == 0 ? TP_OK : TP_ERR_NOMEM;
	else
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_registration_list(struct store *st, const char *status, const char *town,
				int page, int per_page, struct arena *a,
				struct registration **out, size_t *n, int64_t *total)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	*total = 0;
#define R_WHERE " WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR coalesce(t.town, e.town) = ?2)"
	sqlite3_stmt *c = sq_prepare(s, "SELECT count(*) FROM registrations r LEFT JOIN talents t ON "
					"t.id = r.talent_id LEFT JOIN enterprises e ON "
					"e.id = r.enterprise_id" R_WHERE);
	if (!c)
		return TP_ERR_DB;
	sq_bind_text(c, 1, status);
	sq_bind_text(c, 2, town);
	int rc = sqlite3_step(c);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(c);
		return sq_rc(s, rc);
	}
	*total = sqlite3_column_int64(c, 0);
	sqlite3_reset(c);
	sqlite3_stmt *q = sq_prepare(s, REG_SELECT R_WHERE " ORDER BY r.id LIMIT ?3 OFFSET ?4");
#undef R_WHERE
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, status);
	sq_bind_text(q, 2, town);
	sqlite3_bind_int(q, 3, per_page);
	sqlite3_bind_int64(q, 4, (int64_t)(page - 1) * per_page);
	struct registration *items = arena_alloc(a, sizeof(*items) * (size_t)per_page);
	if (!items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	enum tp_rc r = TP_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < (size_t)per_page) {
		if (read_registration(q, a, &items[*n]) != 0) {
			r = TP_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	if (r == TP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sq_rc(s, rc);
	sqlite3_reset(q);
	*out = items;
	return r;
}

enum tp_rc sq_registration_decide(struct store *st, const struct registration *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE registrations SET status = ?, reason = ?, user_id = ?, decided_by = ?, "
		   "decided_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1 "
		   "WHERE id = ? AND version = ? AND status = 'pending'");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, r->status);
	sq_bind_text(q, 2, r->reason ? r->reason : "");
	sq_bind_int_opt(q, 3, r->user_id, 0);
	sq_bind_int_opt(q, 4, r->decided_by, 0);
	sqlite3_bind_int64(q, 5, r->id);
	sqlite3_bind_int64(q, 6, r->version);
	enum tp_rc rc = sq_step_changed(s, q);
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

enum tp_rc sq_setting_get(struct store *st, const char *key, struct arena *a,
			  const char **value)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT value FROM settings WHERE key = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, key);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW) {
		*value = sq_col_text(q, 0, a);
		if (!*value)
			r = TP_ERR_NOMEM;
	} else {
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	}
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_setting_put(struct store *st, const char *key, const char *value)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
		   "SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, key);
	sq_bind_text(q, 2, value);
	return sq_step_done(s, q);
}
