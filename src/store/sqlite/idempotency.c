/*
 * idempotency.c — stored first responses of Idempotency-Key requests in the SQLite
 * backend (store/idempotency.h, migrations/0016_idempotency_keys.sql), and the outer
 * transaction the HTTP layer runs an opted-in handler in (sqlite.c's begin/commit/
 * rollback turn into a savepoint while it is open).
 */
#include <string.h>

#include "core/arena.h"
#include "store/idempotency.h"
#include "store/sqlite/internal.h"

static enum tp_rc sq_idem_get(struct store *st, int64_t account_id, const char *key,
			      int64_t not_before, struct arena *a, struct idem_record *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT method, path, body_hash, status, content_type, body, "
					"created_at FROM idempotency_keys WHERE account_id = ? AND "
					"key = ? AND created_at >= ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, account_id);
	sq_bind_text(q, 2, key);
	sqlite3_bind_int64(q, 3, not_before);
	int r = sqlite3_step(q);
	enum tp_rc rc = TP_OK;
	if (r == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->account_id = account_id;
		out->key = arena_strdup(a, key);
		out->method = sq_col_text(q, 0, a);
		out->path = sq_col_text(q, 1, a);
		out->body_hash = sq_col_text(q, 2, a);
		out->status = (unsigned)sqlite3_column_int(q, 3);
		out->content_type = sq_col_text(q, 4, a);
		size_t n = (size_t)sqlite3_column_bytes(q, 5);
		const void *b = sqlite3_column_blob(q, 5);
		char *copy = arena_alloc(a, n + 1);
		if (!copy || !out->key || !out->method || !out->path || !out->body_hash) {
			rc = TP_ERR_NOMEM;
		} else {
			if (n)
				memcpy(copy, b, n);
			copy[n] = '\0';
			out->body = copy;
			out->body_len = n;
		}
		out->created_at = sqlite3_column_int64(q, 6);
	} else {
		rc = r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
	}
	sqlite3_reset(q);
	return rc;
}

static enum tp_rc sq_idem_put(struct store *st, const struct idem_record *r, int64_t not_before)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "DELETE FROM idempotency_keys WHERE created_at < ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, not_before);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	q = sq_prepare(s, "INSERT INTO idempotency_keys (account_id, key, method, path, body_hash, "
			  "status, content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, r->account_id);
	sq_bind_text(q, 2, r->key);
	sq_bind_text(q, 3, r->method);
	sq_bind_text(q, 4, r->path);
	sq_bind_text(q, 5, r->body_hash);
	sqlite3_bind_int(q, 6, (int)r->status);
	sq_bind_text(q, 7, r->content_type);
	sqlite3_bind_blob(q, 8, r->body_len ? r->body : "", (int)r->body_len, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, r->created_at);
	return sq_step_done(s, q);
}

static enum tp_rc sq_idem_outer_begin(struct store *st)
{
	struct sq_store *s = sq(st);
	if (s->in_tx || s->outer)
		return TP_ERR_INTERNAL;
	enum tp_rc rc = sq_exec_cached(s, "BEGIN IMMEDIATE");
	if (rc != TP_OK)
		return rc;
	s->in_tx = 1;
	s->outer = 1;
	s->inner_open = 0;
	return TP_OK;
}

static enum tp_rc sq_idem_outer_end(struct store *st, int commit)
{
	struct sq_store *s = sq(st);
	if (!s->outer)
		return TP_ERR_INTERNAL;
	s->outer = 0;
	s->inner_open = 0;
	enum tp_rc rc = commit ? sq_exec_cached(s, "COMMIT") : TP_ERR_INTERNAL;
	if (rc != TP_OK && !sqlite3_get_autocommit(s->db)) {
		sqlite3_step(s->rollback);
		sqlite3_reset(s->rollback);
	}
	s->in_tx = 0;
	sq_counts_bump();
	return commit ? rc : TP_OK;
}

const struct idem_store_ops sq_idem_ops = {
	.get = sq_idem_get,
	.put = sq_idem_put,
	.outer_begin = sq_idem_outer_begin,
	.outer_end = sq_idem_outer_end,
};
