/*
 * notices.c — notices in the SQLite backend (store/notices.h): the beneficiary's list with
 * read_at, the unread count and marking read (migrations/0023_notices_read.sql).
 */
#include <sqlite3.h>

#include "core/arena.h"
#include "store/notices.h"
#include "store/sqlite/internal.h"

#define NOTICE_COLS                                                                                \
	"id, entitlement_id, amount_fen, kind, policy, period_key, text_zh, text_en, created_at, "  \
	"read_at FROM notices WHERE beneficiary_kind = ? AND beneficiary_id = ? "

static enum tp_rc list(struct store *st, const char *kind, int64_t id, int unread_only, int limit,
		       struct arena *a, struct notice **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = unread_only
			      ? sq_prepare(s, "SELECT " NOTICE_COLS
					      "AND read_at IS NULL ORDER BY id DESC LIMIT ?")
			      : sq_prepare(s, "SELECT " NOTICE_COLS "ORDER BY id DESC LIMIT ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sqlite3_bind_int64(q, 2, id);
	sqlite3_bind_int(q, 3, limit);
	size_t cap = 0;
	struct notice *items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 32))) {
			oom = 1;
			break;
		}
		struct notice *x = &items[(*n)++];
		x->id = sqlite3_column_int64(q, 0);
		x->entitlement_id = sq_col_int(q, 1, 0);
		x->amount_fen = sq_col_int(q, 2, 0);
		x->kind = sq_col_text(q, 3, a);
		x->policy = sq_col_text(q, 4, a);
		x->period_key = sq_col_text(q, 5, a);
		x->text_zh = sq_col_text(q, 6, a);
		x->text_en = sq_col_text(q, 7, a);
		x->created_at = sq_col_text(q, 8, a);
		x->read_at = sq_col_text(q, 9, a);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc unread(struct store *st, const char *kind, int64_t id, int64_t *count)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT count(*) FROM notices WHERE beneficiary_kind = ? "
					"AND beneficiary_id = ? AND read_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sqlite3_bind_int64(q, 2, id);
	int rc = sqlite3_step(q);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	return sq_end_rows(s, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, 0);
}

static enum tp_rc mark_read(struct store *st, const char *kind, int64_t id, int64_t notice_id,
			    const char *at, int *changed)
{
	struct sq_store *s = sq(st);
	*changed = 0;
	sqlite3_stmt *q = sq_prepare(s, "SELECT read_at IS NULL FROM notices WHERE id = ? AND "
					"beneficiary_kind = ? AND beneficiary_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, notice_id);
	sq_bind_text(q, 2, kind);
	sqlite3_bind_int64(q, 3, id);
	int rc = sqlite3_step(q);
	int found = rc == SQLITE_ROW, is_unread = found && sqlite3_column_int(q, 0);
	enum tp_rc r = sq_end_rows(s, q, found ? SQLITE_DONE : rc, 0);
	if (r != TP_OK)
		return r;
	if (!found)
		return TP_ERR_NOT_FOUND;
	if (!is_unread)
		return TP_OK;
	q = sq_prepare(s, "UPDATE notices SET read_at = ? WHERE id = ? AND read_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, at);
	sqlite3_bind_int64(q, 2, notice_id);
	r = sq_step_done(s, q);
	if (r == TP_OK)
		*changed = sqlite3_changes(s->db) > 0;
	return r;
}

static enum tp_rc mark_all_read(struct store *st, const char *kind, int64_t id, const char *at,
				int64_t *n)
{
	struct sq_store *s = sq(st);
	*n = 0;
	sqlite3_stmt *q = sq_prepare(s, "UPDATE notices SET read_at = ? WHERE beneficiary_kind = ? "
					"AND beneficiary_id = ? AND read_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, at);
	sq_bind_text(q, 2, kind);
	sqlite3_bind_int64(q, 3, id);
	enum tp_rc r = sq_step_done(s, q);
	if (r == TP_OK)
		*n = sqlite3_changes(s->db);
	return r;
}

const struct notice_store_ops sq_notice_ops = {
	.list = list,
	.unread = unread,
	.mark_read = mark_read,
	.mark_all_read = mark_all_read,
};
