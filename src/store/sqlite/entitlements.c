/*
 * entitlements.c — policy runs and the entitlements they write
 * (migrations/0008_entitlements.sql; the rules: src/domain/policy_run.h).
 */
#include <stdio.h>
#include <string.h>

#include "domain/policy_run.h"
#include "store/sqlite/internal.h"

enum tp_rc sq_policy_run_insert(struct store *st, struct policy_run *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, "
	       "talents, enterprises, skipped, entitlements, kept, total_fen, status) "
	       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, r->period);
	sq_bind_text(q, 2, r->pack_id ? r->pack_id : "");
	sq_bind_text(q, 3, r->pack_hash);
	sq_bind_text(q, 4, r->started_at);
	sq_bind_text(q, 5, r->finished_at);
	sqlite3_bind_int64(q, 6, r->talents);
	sqlite3_bind_int64(q, 7, r->enterprises);
	sqlite3_bind_int64(q, 8, r->skipped);
	sqlite3_bind_int64(q, 9, r->entitlements);
	sqlite3_bind_int64(q, 10, r->kept);
	sqlite3_bind_int64(q, 11, r->total_fen);
	sq_bind_text(q, 12, r->status);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Inserts row e unless its key is taken (by a row whose status moved on): *written 0. */
static enum tp_rc insert_one(struct sq_store *s, sqlite3_stmt *q, const struct policy_run *r,
                             const struct entitlement_row *e, int *written)
{
	char period[16], item[sizeof(e->item) + 1], h[65];

	if (e->month)
		snprintf(period, sizeof(period), "%04u-%02u", (unsigned)e->year,
		         (unsigned)e->month);
	else
		snprintf(period, sizeof(period), "%04u", (unsigned)e->year);
	memcpy(item, e->item, sizeof(e->item));
	item[sizeof(e->item)] = '\0';
	hex(e->expl_hash, sizeof(e->expl_hash), h);
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, e->policy);
	sq_bind_text(q, 3, e->enterprise ? "enterprise" : "talent");
	sqlite3_bind_int64(q, 4, e->beneficiary_id);
	sq_bind_text(q, 5, item);
	sq_bind_text(q, 6, period);
	sqlite3_bind_int(q, 7, e->instalment);
	sq_bind_text(q, 8, e->kind);
	if (e->money) {
		sqlite3_bind_int64(q, 9, e->amount);
		sqlite3_bind_null(q, 10);
	} else {
		sqlite3_bind_null(q, 9);
		sqlite3_bind_int64(q, 10, e->amount);
	}
	sq_bind_text(q, 11, e->excluded ? "excluded" : "pending");
	sq_bind_text(q, 12, e->excluded ? e->excluded_by : NULL);
	sq_bind_text(q, 13, h);
	sq_bind_text(q, 14, r->finished_at);
	sqlite3_bind_int(q, 15, e->apply);
	enum tp_rc rc = sq_step_done(s, q);
	*written = rc == TP_OK && sqlite3_changes(s->db) > 0;
	return rc;
}

enum tp_rc sq_entitlements_replace(struct store *st, struct policy_run *r,
                                   const struct entitlement_row *rows, size_t n)
{
	struct sq_store *s = sq(st);
	char lo[16], hi[16];
	enum tp_rc rc;

	if (!s->in_tx)
		return TP_ERR_INTERNAL; /* one transaction with the run row and the audit record */
	/* the period's keys are "Y" and "Y-01" .. "Y-12": between "Y" and "Y-99" */
	snprintf(lo, sizeof(lo), "%04d", r->period);
	snprintf(hi, sizeof(hi), "%04d-99", r->period % 10000);
	sqlite3_stmt *q = sq_prepare(s, "DELETE FROM entitlements WHERE period_key >= ?1 AND "
	                                "period_key <= ?2 AND status IN ('pending', 'excluded') "
	                                "AND adjusts IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, lo);
	sq_bind_text(q, 2, hi);
	if ((rc = sq_step_done(s, q)) != TP_OK)
		return rc;
	q = sq_prepare(s,
	               "INSERT INTO entitlements (run_id, policy, beneficiary_kind, "
	               "beneficiary_id, item, period_key, instalment, kind, amount_fen, quantity, "
	               "status, excluded_by, explanation_hash, created_at, needs_application) "
	               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
	               "ON CONFLICT (policy, beneficiary_kind, beneficiary_id, item, period_key, "
	               "instalment) DO NOTHING");
	if (!q)
		return TP_ERR_DB;
	r->entitlements = r->pending = r->excluded = r->kept = r->total_fen = 0;
	for (size_t i = 0; i < n; i++) {
		const struct entitlement_row *e = &rows[i];
		int written = 0;
		if ((rc = insert_one(s, q, r, e, &written)) != TP_OK)
			return rc;
		if (!written) {
			r->kept++;
			continue;
		}
		r->entitlements++;
		if (e->excluded)
			r->excluded++;
		else
			r->pending++;
		if (!e->excluded && e->money && strcmp(e->kind, "cash") == 0)
			r->total_fen += e->amount;
	}
	sq_counts_bump();
	q = sq_prepare(s, "UPDATE policy_runs SET entitlements = ?, kept = ?, total_fen = ?, "
	                  "finished_at = ? WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, r->entitlements);
	sqlite3_bind_int64(q, 2, r->kept);
	sqlite3_bind_int64(q, 3, r->total_fen);
	sq_bind_text(q, 4, r->finished_at);
	sqlite3_bind_int64(q, 5, r->id);
	return sq_step_changed(s, q);
}
