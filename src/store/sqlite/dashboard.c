/*
 * dashboard.c — the office dashboard's counts (domain/dashboard.h), one GROUP BY a group;
 * and the entitlements a payment run left waiting (payment_waits).
 */
#include <string.h>

#include "core/arena.h"
#include "domain/dashboard.h"
#include "store/sqlite/internal.h"

/* Each query answers: key, kind, name_zh, name_en, count, overdue. */
static const char *const SQL[DASH_GROUPS] = {
	[DASH_TIER] = "SELECT COALESCE(CAST(tier AS TEXT), ''), NULL, NULL, NULL, count(*), 0 "
		      "FROM talents GROUP BY tier ORDER BY tier IS NULL, tier",
	[DASH_TOWN] = "SELECT COALESCE(t.town, ''), NULL, w.name_zh, w.name_en, count(*), 0 "
		      "FROM talents t LEFT JOIN towns w ON w.code = t.town "
		      "GROUP BY t.town ORDER BY t.town IS NULL, w.sort, t.town",
	[DASH_INDUSTRY] = "SELECT COALESCE(t.industry, ''), NULL, i.name_zh, i.name_en, count(*), 0 "
			  "FROM talents t LEFT JOIN industries i ON i.code = t.industry "
			  "GROUP BY t.industry ORDER BY t.industry IS NULL, i.sort, t.industry",
	[DASH_DEGREE] = "SELECT COALESCE(t.degree, ''), NULL, d.name_zh, d.name_en, count(*), 0 "
			"FROM talents t LEFT JOIN degrees d ON d.code = t.degree "
			"GROUP BY t.degree ORDER BY t.degree IS NULL, d.rank, t.degree",
	[DASH_APPLICATION] = "SELECT state, kind, NULL, NULL, count(*), "
			     "COALESCE(SUM(deadline IS NOT NULL AND deadline < ?1 AND state NOT IN "
			     "('certified', 'rejected', 'withdrawn')), 0) "
			     "FROM applications GROUP BY kind, state ORDER BY kind, state",
};

enum tp_rc sq_dashboard_counts(struct store *st, int group, const char *today, struct arena *a,
			       struct dash_count **out, size_t *n)
{
	struct sq_store *s = sq(st);
	if (group < 0 || group >= DASH_GROUPS)
		return TP_ERR_INVALID;
	sqlite3_stmt *q = sq_prepare(s, SQL[group]);
	if (!q)
		return TP_ERR_DB;
	if (group == DASH_APPLICATION)
		sq_bind_text(q, 1, today);
	size_t cap = 16;
	struct dash_count *v = arena_alloc(a, cap * sizeof *v);
	int rc = SQLITE_DONE;
	*n = 0;
	while (v && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 16)))
			break;
		struct dash_count *r = &v[(*n)++];
		r->key = sq_col_text(q, 0, a);
		if (!r->key)
			r->key = "";
		r->kind = sq_col_text(q, 1, a);
		r->name_zh = sq_col_text(q, 2, a);
		r->name_en = sq_col_text(q, 3, a);
		r->count = sqlite3_column_int64(q, 4);
		r->overdue = sqlite3_column_int64(q, 5);
	}
	sqlite3_reset(q);
	if (!v)
		return TP_ERR_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	*out = v;
	return TP_OK;
}

enum tp_rc sq_payment_waits_list(struct store *st, int64_t run_id, int64_t after, int limit,
				 struct arena *a, struct pay_wait_row **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT w.entitlement_id, w.policy, w.budget_year, w.amount_fen, w.reason, "
		   "e.beneficiary_kind, e.beneficiary_id, e.period_key FROM payment_waits w "
		   "LEFT JOIN entitlements e ON e.id = w.entitlement_id "
		   "WHERE w.run_id = ?1 AND w.entitlement_id > ?2 ORDER BY w.entitlement_id LIMIT ?3");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_int64(q, 2, after);
	sqlite3_bind_int(q, 3, limit);
	size_t cap = 0;
	struct pay_wait_row *v = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 64))) {
			oom = 1;
			break;
		}
		struct pay_wait_row *r = &v[(*n)++];
		r->entitlement_id = sqlite3_column_int64(q, 0);
		r->policy = sq_col_text(q, 1, a);
		r->budget_year = sqlite3_column_int64(q, 2);
		r->amount_fen = sqlite3_column_int64(q, 3);
		r->reason = sq_col_text(q, 4, a);
		r->beneficiary_kind = sq_col_text(q, 5, a);
		r->beneficiary_id = sq_col_int(q, 6, 0);
		r->period_key = sq_col_text(q, 7, a);
	}
	*out = v;
	return sq_end_rows(s, q, rc, oom);
}

enum tp_rc sq_payment_waits_summary(struct store *st, int64_t run_id, struct arena *a,
				    struct pay_wait_sum **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT reason, count(*), COALESCE(SUM(amount_fen), 0) "
					"FROM payment_waits WHERE run_id = ?1 GROUP BY reason "
					"ORDER BY reason");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	size_t cap = 0;
	struct pay_wait_sum *v = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 4))) {
			oom = 1;
			break;
		}
		struct pay_wait_sum *r = &v[(*n)++];
		r->reason = sq_col_text(q, 0, a);
		r->count = sqlite3_column_int64(q, 1);
		r->amount_fen = sqlite3_column_int64(q, 2);
	}
	*out = v;
	return sq_end_rows(s, q, rc, oom);
}
