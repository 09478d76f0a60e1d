/*
 * audit.c — SQLite storage of the audit log (domain/audit.h, migrations/0006_audit.sql).
 *
 * The store keeps the chain in order: an append reads the head (the newest record, or
 * the last archive when every record was archived) and inserts the next record while
 * holding the write lock — the caller's transaction (BEGIN IMMEDIATE, store_begin) or
 * one of its own — so two appends can never chain onto the same record.  What the
 * hash covers is the domain's business: it hands a seal function.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/audit.h"
#include "store/sqlite/internal.h"

static const char ZERO_HASH[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

#define A_COLS                                                                                    \
	"id, at, actor_id, actor, role, ip, action, object_type, object_id, result, reason, "    \
	"change_hash, prev_hash, hash"

/* Binds a text that the schema keeps NOT NULL: NULL becomes "". */
static void bind_nn(sqlite3_stmt *q, int i, const char *v)
{
	sqlite3_bind_text(q, i, v ? v : "", -1, SQLITE_STATIC);
}

/* Column text without a copy (valid until the next step or reset); "" for NULL. */
static const char *col_raw(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

/* Reads the A_COLS columns; strings are copied into a, or borrowed when a is NULL. */
static void read_record(sqlite3_stmt *q, struct arena *a, struct audit_record *r)
{
	const char **dst[] = {&r->at,        &r->actor,  &r->role,        &r->ip,
			      &r->action,    &r->object_type, &r->object_id, &r->result,
			      &r->reason,    &r->change_hash, &r->prev_hash, &r->hash};
	static const int col[] = {1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	r->id = sqlite3_column_int64(q, 0);
	r->actor_id = sqlite3_column_int64(q, 2);
	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		const char *v = a ? sq_col_text(q, col[i], a) : col_raw(q, col[i]);
		*dst[i] = v ? v : "";
	}
}

/* The chain head: the newest record's id and hash, else the last archive's, else 0 and
 * 64 zeros. */
static enum tp_rc chain_head(struct sq_store *s, int64_t *id, char hash[65])
{
	static const char *const sql[] = {
		"SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
		"SELECT last_id, last_hash FROM audit_archives ORDER BY id DESC LIMIT 1",
	};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *q = sq_prepare(s, sql[i]);
		if (!q)
			return TP_ERR_DB;
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*id = sqlite3_column_int64(q, 0);
			snprintf(hash, 65, "%s", col_raw(q, 1));
		}
		sqlite3_reset(q);
		if (rc == SQLITE_ROW)
			return TP_OK;
		if (rc != SQLITE_DONE)
			return sq_rc(s, rc);
	}
	*id = 0;
	memcpy(hash, ZERO_HASH, sizeof ZERO_HASH);
	return TP_OK;
}

static enum tp_rc append_locked(struct sq_store *s, struct audit_record *r, audit_seal_fn seal,
				char prev[65], char hash[65])
{
	int64_t head_id = 0;
	enum tp_rc rc = chain_head(s, &head_id, prev);
	if (rc != TP_OK)
		return rc;
	r->id = head_id + 1;
	r->prev_hash = prev;
	seal(r, hash);
	r->hash = hash;
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO audit_log (" A_COLS ") "
					"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, r->id);
	bind_nn(q, 2, r->at);
	sqlite3_bind_int64(q, 3, r->actor_id);
	bind_nn(q, 4, r->actor);
	bind_nn(q, 5, r->role);
	bind_nn(q, 6, r->ip);
	bind_nn(q, 7, r->action);
	bind_nn(q, 8, r->object_type);
	bind_nn(q, 9, r->object_id);
	bind_nn(q, 10, r->result);
	bind_nn(q, 11, r->reason);
	bind_nn(q, 12, r->change_hash);
	bind_nn(q, 13, r->prev_hash);
	bind_nn(q, 14, r->hash);
	rc = sq_rc(s, sqlite3_step(q));
	sqlite3_reset(q);
	return rc;
}

enum tp_rc sq_audit_append(struct store *st, struct audit_record *r, audit_seal_fn seal,
			   char prev[65], char hash[65])
{
	struct sq_store *s = sq(st);
	/* outside a transaction the head read and the insert need the write lock together */
	int own = sqlite3_get_autocommit(s->db);
	enum tp_rc rc;
	if (own && (rc = store_begin(st)) != TP_OK)
		return rc;
	rc = append_locked(s, r, seal, prev, hash);
	return own ? store_end(st, rc) : rc;
}

/* The WHERE clause of a list (without paging when paged is 0); returns the next bind
 * index after binding q's values to st when st is not NULL. */
static int audit_where(const struct audit_query *f, int paged, char *where, size_t len,
		       sqlite3_stmt *st)
{
	const char *vals[] = {f->actor, f->action, f->object_type, f->object_id,
			      f->result, f->from,   f->to};
	static const char *const conds[] = {"actor = ?",     "action = ?", "object_type = ?",
					    "object_id = ?", "result = ?", "at >= ?",
					    "at <= ?"};
	size_t used = 0;
	int bind = 1;
	if (where)
		where[0] = '\0';
	for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
		if (!vals[i])
			continue;
		if (where)
			used += (size_t)snprintf(where + used, len - used, "%s%s",
						 used ? " AND " : " WHERE ", conds[i]);
		if (st)
			sq_bind_text(st, bind, vals[i]);
		bind++;
	}
	if (paged && f->after_id > 0) {
		if (where)
			snprintf(where + used, len - used, "%s%s", used ? " AND " : " WHERE ",
				 f->newest_first ? "id < ?" : "id > ?");
		if (st)
			sqlite3_bind_int64(st, bind, f->after_id);
		bind++;
	}
	return bind;
}

enum tp_rc sq_audit_list(struct store *st, const struct audit_query *f, struct arena *a,
			 struct audit_page *out)
{
	struct sq_store *s = sq(st);
	char where[400], sql[1024];
	memset(out, 0, sizeof(*out));
	if (f->limit < 1 || f->limit > 500)
		return TP_ERR_INVALID;

	audit_where(f, 0, where, sizeof where, NULL);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log%s", where);
	sqlite3_stmt *q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	audit_where(f, 0, NULL, 0, q);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		out->total = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return sq_rc(s, rc);

	audit_where(f, 1, where, sizeof where, NULL);
	snprintf(sql, sizeof sql, "SELECT " A_COLS " FROM audit_log%s ORDER BY id %s LIMIT ?",
		 where, f->newest_first ? "DESC" : "ASC");
	q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	int i = audit_where(f, 1, NULL, 0, q);
	sqlite3_bind_int64(q, i, f->limit);
	out->items = arena_alloc(a, (size_t)f->limit * sizeof(*out->items));
	if (!out->items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->n < (size_t)f->limit)
		read_record(q, a, &out->items[out->n++]);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_rc(s, rc);
	return TP_OK;
}

/* The newest archive into *last (strings in a); id 0 when there is none. */
static enum tp_rc last_archive(struct sq_store *s, struct arena *a,
			       struct audit_archive_info *last)
{
	memset(last, 0, sizeof(*last));
	sqlite3_stmt *q = sq_prepare(s, "SELECT id, first_id, last_id, last_hash, file_sha256, "
					"archived_at, archived_by FROM audit_archives "
					"ORDER BY id DESC LIMIT 1");
	if (!q)
		return TP_ERR_DB;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		last->id = sqlite3_column_int64(q, 0);
		last->first_id = sqlite3_column_int64(q, 1);
		last->last_id = sqlite3_column_int64(q, 2);
		last->last_hash = sq_col_text(q, 3, a);
		last->file_sha256 = sq_col_text(q, 4, a);
		last->archived_at = sq_col_text(q, 5, a);
		last->archived_by = sq_col_text(q, 6, a);
		if (!last->last_hash || !last->file_sha256 || !last->archived_at ||
		    !last->archived_by)
			rc = SQLITE_NOMEM;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

static enum tp_rc walk(struct sq_store *s, int64_t after_id, struct audit_archive_info *last,
		       struct arena *a, audit_cb cb, void *ctx)
{
	enum tp_rc rc = last_archive(s, a, last);
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q =
		sq_prepare(s, "SELECT " A_COLS " FROM audit_log WHERE id > ? ORDER BY id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, after_id);
	int src;
	while ((src = sqlite3_step(q)) == SQLITE_ROW) {
		struct audit_record r;
		read_record(q, NULL, &r);
		if (cb(ctx, &r) != 0) {
			src = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return src == SQLITE_DONE ? TP_OK : sq_rc(s, src);
}

enum tp_rc sq_audit_walk(struct store *st, int64_t after_id, struct audit_archive_info *last,
			 struct arena *a, audit_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	/* one read transaction: the archive and the records come from the same snapshot */
	int own = sqlite3_get_autocommit(s->db);
	enum tp_rc rc;
	if (own && (rc = sq_exec_cached(s, "BEGIN")) != TP_OK)
		return rc;
	rc = walk(s, after_id, last, a, cb, ctx);
	if (!own)
		return rc;
	if (rc == TP_OK)
		rc = sq_exec_cached(s, "COMMIT");
	if (rc != TP_OK)
		store_rollback(st);
	return rc;
}

static enum tp_rc archive_locked(struct sq_store *s, struct audit_archive_info *ar)
{
	/* the range must still be the oldest records, ending where the file ends */
	sqlite3_stmt *q = sq_prepare(s, "SELECT (SELECT min(id) FROM audit_log), "
					"(SELECT hash FROM audit_log WHERE id = ?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, ar->last_id);
	int rc = sqlite3_step(q);
	int same = rc == SQLITE_ROW && sqlite3_column_int64(q, 0) == ar->first_id &&
		   strcmp(col_raw(q, 1), ar->last_hash ? ar->last_hash : "") == 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return sq_rc(s, rc);
	if (!same || ar->last_id < ar->first_id)
		return TP_ERR_CONFLICT;

	q = sq_prepare(s, "INSERT INTO audit_archives (first_id, last_id, last_hash, file_sha256, "
			  "archived_at, archived_by) VALUES (?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, ar->first_id);
	sqlite3_bind_int64(q, 2, ar->last_id);
	bind_nn(q, 3, ar->last_hash);
	bind_nn(q, 4, ar->file_sha256);
	bind_nn(q, 5, ar->archived_at);
	bind_nn(q, 6, ar->archived_by);
	enum tp_rc r = sq_rc(s, sqlite3_step(q));
	sqlite3_reset(q);
	if (r != TP_OK)
		return r;
	ar->id = sqlite3_last_insert_rowid(s->db);

	q = sq_prepare(s, "DELETE FROM audit_log WHERE id BETWEEN ? AND ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, ar->first_id);
	sqlite3_bind_int64(q, 2, ar->last_id);
	r = sq_rc(s, sqlite3_step(q));
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_audit_archive(struct store *st, struct audit_archive_info *ar)
{
	struct sq_store *s = sq(st);
	int own = sqlite3_get_autocommit(s->db);
	enum tp_rc rc;
	if (own && (rc = store_begin(st)) != TP_OK)
		return rc;
	rc = archive_locked(s, ar);
	return own ? store_end(st, rc) : rc;
}
