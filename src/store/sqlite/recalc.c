/*
 * recalc.c — the adjustments of a recalculation (src/domain/recalc.h,
 * migrations/0017_adjustments.sql): the evaluation goes into a temporary table, and one
 * INSERT … SELECT writes a row for each confirmed or paid key whose amount changed.
 */
#include <stdio.h>
#include <string.h>

#include "domain/policy_run.h"
#include "domain/recalc.h"
#include "core/arena.h"
#include "store/sqlite/internal.h"

static void hex32(const unsigned char *b, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[64] = '\0';
}

static enum tp_rc fill_new(struct sq_store *s, const struct entitlement_row *rows, size_t n)
{
	enum tp_rc rc = sq_exec_cached(
	    s, "CREATE TEMP TABLE IF NOT EXISTS recalc_new (policy TEXT NOT NULL, bk TEXT NOT NULL, "
	       "bid INTEGER NOT NULL, item TEXT NOT NULL, period_key TEXT NOT NULL, "
	       "instalment INTEGER NOT NULL, amount INTEGER NOT NULL, hash TEXT NOT NULL, "
	       "PRIMARY KEY (policy, bk, bid, item, period_key, instalment))");
	if (rc == TP_OK)
		rc = sq_exec_cached(s, "DELETE FROM temp.recalc_new");
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q = sq_prepare(s, "INSERT OR REPLACE INTO temp.recalc_new VALUES "
	                                "(?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	for (size_t i = 0; i < n && rc == TP_OK; i++) {
		const struct entitlement_row *e = &rows[i];
		char period[16], item[sizeof(e->item) + 1], h[65];
		if (e->excluded || !e->money || strcmp(e->kind, "cash") != 0)
			continue;
		if (e->month)
			snprintf(period, sizeof(period), "%04u-%02u", (unsigned)e->year,
			         (unsigned)e->month);
		else
			snprintf(period, sizeof(period), "%04u", (unsigned)e->year);
		memcpy(item, e->item, sizeof(e->item));
		item[sizeof(e->item)] = '\0';
		hex32(e->expl_hash, h);
		sq_bind_text(q, 1, e->policy);
		sq_bind_text(q, 2, e->enterprise ? "enterprise" : "talent");
		sqlite3_bind_int64(q, 3, e->beneficiary_id);
		sq_bind_text(q, 4, item);
		sq_bind_text(q, 5, period);
		sqlite3_bind_int(q, 6, e->instalment);
		sqlite3_bind_int64(q, 7, e->amount);
		sq_bind_text(q, 8, h);
		rc = sq_step_done(s, q);
	}
	return rc;
}

/* The originals of the period: confirmed or paid cash rows that are not adjustments, with
 * what is owed so far, their last adjustment's sequence and the hash of what is owed. */
#define ORIGINALS                                                                          \
	"WITH o AS (SELECT e.id, e.run_id, e.policy, e.beneficiary_kind AS bk, "           \
	"e.beneficiary_id AS bid, e.item, e.period_key, e.instalment, "                    \
	"e.amount_fen + COALESCE((SELECT SUM(a.amount_fen) FROM entitlements a "           \
	"WHERE a.adjusts = e.id), 0) AS owed, "                \
	"COALESCE((SELECT MAX(a.adjustment) FROM entitlements a WHERE a.adjusts = e.id), 0) " \
	"AS seq, COALESCE((SELECT a.explanation_hash FROM entitlements a WHERE "           \
	"a.adjusts = e.id ORDER BY a.adjustment DESC LIMIT 1), " \
	"e.explanation_hash) AS oh FROM entitlements e WHERE e.period_key >= ?1 AND "       \
	"e.period_key <= ?2 AND e.adjusts IS NULL AND e.kind = 'cash' AND "                \
	"e.status IN ('confirmed', 'paid')) "

enum tp_rc sq_entitlements_recalc(struct store *st, int year, const struct entitlement_row *rows,
                                  size_t n, const char *at, struct recalc_counts *out)
{
	struct sq_store *s = sq(st);
	char lo[16], hi[16];
	enum tp_rc rc;
	int64_t before = 0;

	memset(out, 0, sizeof(*out));
	if (!s->in_tx)
		return TP_ERR_INTERNAL;
	snprintf(lo, sizeof(lo), "%04d", year);
	snprintf(hi, sizeof(hi), "%04d-99", year % 10000);
	if ((rc = fill_new(s, rows, n)) != TP_OK)
		return rc;
	sqlite3_stmt *q = sq_prepare(s, ORIGINALS "SELECT COUNT(*) FROM o");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, lo);
	sq_bind_text(q, 2, hi);
	if (sqlite3_step(q) == SQLITE_ROW)
		out->compared = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	q = sq_prepare(s, "SELECT COALESCE(MAX(id), 0) FROM entitlements");
	if (!q)
		return TP_ERR_DB;
	if (sqlite3_step(q) == SQLITE_ROW)
		before = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	q = sq_prepare(
	    s, "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, "
	       "period_key, instalment, kind, amount_fen, status, explanation_hash, created_at, "
	       "adjusts, adjustment, old_fen, new_fen, old_hash) " ORIGINALS
	       "SELECT o.run_id, o.policy, o.bk, o.bid, o.item || '#adj' || (o.seq + 1), "
	       "o.period_key, o.instalment, 'cash', COALESCE(n.amount, 0) - o.owed, 'pending', "
	       "COALESCE(n.hash, ''), ?3, o.id, o.seq + 1, o.owed, COALESCE(n.amount, 0), o.oh "
	       "FROM o LEFT JOIN temp.recalc_new n ON n.policy = o.policy AND n.bk = o.bk AND "
	       "n.bid = o.bid AND n.item = o.item AND n.period_key = o.period_key AND "
	       "n.instalment = o.instalment WHERE COALESCE(n.amount, 0) <> o.owed ORDER BY o.id");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, lo);
	sq_bind_text(q, 2, hi);
	sq_bind_text(q, 3, at);
	if ((rc = sq_step_done(s, q)) != TP_OK)
		return rc;
	sq_counts_bump();
	q = sq_prepare(s, "SELECT COUNT(*), COALESCE(SUM(amount_fen > 0), 0), "
	                  "COALESCE(SUM(CASE WHEN amount_fen > 0 THEN amount_fen END), 0), "
	                  "COALESCE(SUM(amount_fen < 0), 0), "
	                  "COALESCE(SUM(CASE WHEN amount_fen < 0 THEN amount_fen END), 0), "
	                  "COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM entitlements "
	                  "WHERE id > ?1 AND adjusts IS NOT NULL");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, before);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		out->adjustments = sqlite3_column_int64(q, 0);
		out->arrears = sqlite3_column_int64(q, 1);
		out->arrears_fen = sqlite3_column_int64(q, 2);
		out->clawbacks = sqlite3_column_int64(q, 3);
		out->clawback_fen = sqlite3_column_int64(q, 4);
		out->first_id = sqlite3_column_int64(q, 5);
		out->last_id = sqlite3_column_int64(q, 6);
	}
	sqlite3_reset(q);
	if (r != SQLITE_ROW)
		return sq_rc(s, r);
	return sq_exec_cached(s, "DELETE FROM temp.recalc_new"); /* no copy kept */
}

enum tp_rc sq_adjustments_list(struct store *st, const char *period, struct arena *a,
                               struct adjustment **out, size_t *n)
{
	struct sq_store *s = sq(st);
	char lo[16] = "", hi[16] = "9999-99";
	if (period) {
		snprintf(lo, sizeof(lo), "%.4s", period);
		snprintf(hi, sizeof(hi), "%.4s-99", period);
	}
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT id, adjusts, adjustment, policy, beneficiary_kind, beneficiary_id, item, "
	       "period_key, instalment, amount_fen, old_fen, new_fen, old_hash, explanation_hash, "
	       "status, COALESCE(pay_note, ''), created_at, CASE WHEN amount_fen < 0 THEN "
	       "(SELECT COALESCE(SUM(o.amount_fen), 0) FROM payment_offsets o JOIN payment_lines l "
	       "ON l.id = o.line_id WHERE o.clawback_id = entitlements.id AND l.status <> 'failed' "
	       "AND l.status <> 'cancelled') ELSE 0 END FROM entitlements WHERE adjusts IS NOT NULL "
	       "AND period_key >= ?1 AND period_key <= ?2 ORDER BY id LIMIT 10000");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, lo);
	sq_bind_text(q, 2, hi);
	size_t cap = 64;
	struct adjustment *v = arena_alloc(a, cap * sizeof(*v));
	int rc;
	*n = 0;
	while (v && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(v = sq_grow(a, v, &cap, *n, sizeof *v, 64)))
			break;
		struct adjustment *x = &v[(*n)++];
		x->id = sqlite3_column_int64(q, 0);
		x->adjusts = sqlite3_column_int64(q, 1);
		x->adjustment = sqlite3_column_int64(q, 2);
		x->policy = sq_col_text(q, 3, a);
		x->beneficiary_kind = sq_col_text(q, 4, a);
		x->beneficiary_id = sqlite3_column_int64(q, 5);
		x->item = sq_col_text(q, 6, a);
		x->period_key = sq_col_text(q, 7, a);
		x->instalment = sqlite3_column_int64(q, 8);
		x->amount_fen = sqlite3_column_int64(q, 9);
		x->old_fen = sqlite3_column_int64(q, 10);
		x->new_fen = sqlite3_column_int64(q, 11);
		x->old_hash = sq_col_text(q, 12, a);
		x->new_hash = sq_col_text(q, 13, a);
		x->status = sq_col_text(q, 14, a);
		x->note = sq_col_text(q, 15, a);
		x->created_at = sq_col_text(q, 16, a);
		x->offset_fen = sqlite3_column_int64(q, 17);
	}
	*out = v;
	if (!v) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_adjustment_decide(struct store *st, int64_t id, const char *status,
                                const char *note)
{
	struct sq_store *s = sq(st);
	if (!s->in_tx)
		return TP_ERR_INTERNAL;
	sqlite3_stmt *q = sq_prepare(s, "SELECT 1 FROM entitlements WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	q = sq_prepare(s, "UPDATE entitlements SET status = ?, pay_note = ? WHERE id = ? AND "
	                  "adjusts IS NOT NULL AND amount_fen < 0 AND status IN ('pending', "
	                  "'confirmed')");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, status);
	sq_bind_text(q, 2, note);
	sqlite3_bind_int64(q, 3, id);
	enum tp_rc r = sq_step_changed(s, q);
	if (r == TP_OK)
		sq_counts_bump();
	return r == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : r;
}
