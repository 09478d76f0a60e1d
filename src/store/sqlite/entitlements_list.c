/*
 * entitlements_list.c — the entitlements of a year or period by status and policy, paged by
 * id (GET /api/v1/entitlements; domain/payments.h struct ent_list_q).  The period range
 * rides the entitlements_period index (period_key, status).
 */
#include <string.h>

#include "core/arena.h"
#include "domain/payments.h"
#include "store/sqlite/internal.h"

enum tp_rc sq_entitlements_list(struct store *st, const struct ent_list_q *f, struct arena *a,
				struct ent_listed **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT id, policy, beneficiary_kind, beneficiary_id, item, period_key, instalment, "
	       "kind, amount_fen, quantity, status, needs_application, COALESCE(adjusts, 0), "
	       "COALESCE(pay_note, ''), created_at FROM entitlements WHERE period_key >= ?1 AND "
	       "period_key <= ?2 AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR policy = ?4) "
	       "AND id > ?5 ORDER BY id LIMIT ?6");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, f->lo);
	sq_bind_text(q, 2, f->hi);
	sq_bind_text(q, 3, f->status);
	sq_bind_text(q, 4, f->policy);
	sqlite3_bind_int64(q, 5, f->after);
	sqlite3_bind_int(q, 6, f->limit);
	size_t cap = 0;
	struct ent_listed *v = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 64))) {
			oom = 1;
			break;
		}
		struct ent_listed *e = &v[(*n)++];
		e->id = sqlite3_column_int64(q, 0);
		e->policy = sq_col_text(q, 1, a);
		e->beneficiary_kind = sq_col_text(q, 2, a);
		e->beneficiary_id = sqlite3_column_int64(q, 3);
		e->item = sq_col_text(q, 4, a);
		e->period_key = sq_col_text(q, 5, a);
		e->instalment = sqlite3_column_int64(q, 6);
		e->kind = sq_col_text(q, 7, a);
		e->amount_fen = sq_col_int(q, 8, -1);
		e->quantity = sq_col_int(q, 9, -1);
		e->status = sq_col_text(q, 10, a);
		e->needs_application = (int)sqlite3_column_int64(q, 11);
		e->adjusts = sqlite3_column_int64(q, 12);
		e->note = sq_col_text(q, 13, a);
		e->created_at = sq_col_text(q, 14, a);
	}
	*out = v;
	return sq_end_rows(s, q, rc, oom);
}
