/*
 * payment_report.c — the sums of domain/payment_report.h, one GROUP BY per grouping.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/payment_report.h"
#include "store/sqlite/internal.h"

#define REPORT_SUMS                                                                        \
	"COUNT(*), "                                                                       \
	"COALESCE(SUM(CASE WHEN e.status = 'paid' THEN e.amount_fen END), 0), "             \
	"COALESCE(SUM(CASE WHEN e.status = 'confirmed' AND e.amount_fen > 0 "              \
	"THEN e.amount_fen END), 0), "                                                     \
	"COALESCE(SUM(CASE WHEN e.status = 'pending' AND e.amount_fen > 0 "                \
	"THEN e.amount_fen END), 0), "                                                     \
	"COALESCE(SUM(CASE WHEN e.status IN ('pending', 'confirmed') AND e.amount_fen < 0 " \
	"THEN e.amount_fen END), 0) "
#define REPORT_FROM                                                                        \
	"FROM entitlements e LEFT JOIN talents t ON e.beneficiary_kind = 'talent' AND "   \
	"t.id = e.beneficiary_id LEFT JOIN enterprises en ON e.beneficiary_kind = "        \
	"'enterprise' AND en.id = e.beneficiary_id WHERE e.kind = 'cash' AND "             \
	"e.period_key >= ?1 AND e.period_key <= ?2 AND e.status IN ('pending', "          \
	"'confirmed', 'paid') GROUP BY 1 ORDER BY 1"

enum tp_rc sq_payment_report(struct store *st, int year, int by, struct arena *a,
                             struct report_row **rows, size_t *n, int64_t *budget_total)
{
	struct sq_store *s = sq(st);
	char lo[16], hi[16];
	sqlite3_stmt *q;

	snprintf(lo, sizeof(lo), "%04d", year);
	snprintf(hi, sizeof(hi), "%04d-99", year % 10000);
	switch (by) {
	case REPORT_BY_POLICY:
		q = sq_prepare(s, "SELECT e.policy, " REPORT_SUMS ", COALESCE((SELECT b.amount_fen "
		                  "FROM budgets b WHERE b.policy = e.policy AND b.year = ?3), -1) "
		                  REPORT_FROM);
		break;
	case REPORT_BY_MONTH:
		q = sq_prepare(s, "SELECT CASE WHEN length(e.period_key) = 7 THEN "
		                  "substr(e.period_key, 6, 2) ELSE 'year' END, " REPORT_SUMS
		                  ", -1 " REPORT_FROM);
		break;
	case REPORT_BY_TOWN:
		q = sq_prepare(s, "SELECT COALESCE(t.town, en.town, ''), " REPORT_SUMS ", -1 "
		                  REPORT_FROM);
		break;
	default:
		q = sq_prepare(s, "SELECT COALESCE(t.industry, en.industry, ''), " REPORT_SUMS
		                  ", -1 " REPORT_FROM);
		break;
	}
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, lo);
	sq_bind_text(q, 2, hi);
	if (by == REPORT_BY_POLICY)
		sqlite3_bind_int(q, 3, year);
	size_t cap = 32;
	struct report_row *v = arena_alloc(a, cap * sizeof(*v));
	int rc = SQLITE_DONE;
	*n = 0;
	while (v && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 32)))
			break;
		struct report_row *r = &v[(*n)++];
		r->key = sq_col_text(q, 0, a);
		if (!r->key)
			r->key = "";
		r->entitlements = sqlite3_column_int64(q, 1);
		r->paid_fen = sqlite3_column_int64(q, 2);
		r->owed_fen = sqlite3_column_int64(q, 3);
		r->pending_fen = sqlite3_column_int64(q, 4);
		r->clawback_fen = sqlite3_column_int64(q, 5);
		r->budget_fen = sqlite3_column_int64(q, 6);
		r->remaining_fen = r->budget_fen < 0 ? -1 : r->budget_fen - r->paid_fen - r->owed_fen;
	}
	sqlite3_reset(q);
	if (!v)
		return TP_ERR_NOMEM;
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	*rows = v;
	q = sq_prepare(s, "SELECT COALESCE(SUM(amount_fen), -1) FROM budgets WHERE year = ?1");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, year);
	rc = sqlite3_step(q);
	*budget_total = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}
