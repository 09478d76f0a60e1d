/*
 * benefits.c — SQLite side of applied benefits (migrations/0018_benefit_applications.sql;
 * the rules: src/domain/benefits.h): an approved application's entitlement confirmed,
 * written when no policy run wrote its key, with the beneficiary's notice.
 */
#include <stdio.h>
#include <string.h>

#include "domain/benefits.h"
#include "store/sqlite/internal.h"

/* The one-talent (one-enterprise) policy_runs row the rows an approval writes hang off (run_id NOT NULL). */
static enum tp_rc approval_run(struct sq_store *s, const struct benefit_ent *e, int64_t app_id,
			       const char *at, int64_t *run_id)
{
	if (*run_id)
		return TP_OK;
	char hash[40];
	snprintf(hash, sizeof hash, "application:%lld", (long long)app_id);
	sqlite3_stmt *q = sq_prepare(
	    s, "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, "
	       "talents, enterprises, skipped, entitlements, kept, total_fen, status) "
	       "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 'done')");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, e->year);
	sq_bind_text(q, 2, e->pack_id);
	sq_bind_text(q, 3, hash);
	sq_bind_text(q, 4, at);
	sq_bind_text(q, 5, at);
	int ent = strcmp(e->beneficiary_kind, "enterprise") == 0; /* an enterprise's claim */
	sqlite3_bind_int(q, 6, !ent);
	sqlite3_bind_int(q, 7, ent);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		*run_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static enum tp_rc notice(struct sq_store *s, const struct benefit_ent *e, int64_t id,
			 const char *at)
{
	char zh[512], en[512];
	if (e->money) {
		snprintf(zh, sizeof zh,
			 "您申请的 %s（%s，第 %d 期）已审核通过：您将获得 %lld.%02lld 元。依据与计算说明可在“我的待遇”中查看。",
			 e->policy, e->period_key, e->instalment, (long long)(e->amount / 100),
			 (long long)(e->amount % 100));
		snprintf(en, sizeof en,
			 "Your application for %s (%s, instalment %d) was approved: you will receive "
			 "%lld.%02lld yuan. The explanation is under your entitlements.",
			 e->policy, e->period_key, e->instalment, (long long)(e->amount / 100),
			 (long long)(e->amount % 100));
	} else {
		snprintf(zh, sizeof zh, "您申请的 %s（%s）已审核通过：%s %lld。", e->policy,
			 e->period_key, e->kind, (long long)e->amount);
		snprintf(en, sizeof en, "Your application for %s (%s) was approved: %s %lld.",
			 e->policy, e->period_key, e->kind, (long long)e->amount);
	}
	sqlite3_stmt *q = sq_prepare(
	    s, "INSERT INTO notices (beneficiary_kind, beneficiary_id, kind, entitlement_id, "
	       "policy, period_key, amount_fen, text_zh, text_en, created_at) "
	       "VALUES (?, ?, 'entitlement.confirmed', ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, e->beneficiary_kind);
	sqlite3_bind_int64(q, 2, e->beneficiary_id);
	sqlite3_bind_int64(q, 3, id);
	sq_bind_text(q, 4, e->policy);
	sq_bind_text(q, 5, e->period_key);
	if (e->money)
		sqlite3_bind_int64(q, 6, e->amount);
	else
		sqlite3_bind_null(q, 6);
	sq_bind_text(q, 7, zh);
	sq_bind_text(q, 8, en);
	sq_bind_text(q, 9, at);
	return sq_step_done(s, q);
}

enum tp_rc sq_benefit_confirm(struct store *st, const struct benefit_ent *e, int64_t app_id,
			      const char *by, const char *at, int64_t *run_id, int64_t *id)
{
	struct sq_store *s = sq(st);
	if (!s->in_tx)
		return TP_ERR_INTERNAL; /* one transaction with the application's approval */
	*id = 0;
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT id, status FROM entitlements WHERE policy = ? AND beneficiary_kind = ? "
	       "AND beneficiary_id = ? AND item = ? AND period_key = ? AND instalment = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, e->policy);
	sq_bind_text(q, 2, e->beneficiary_kind);
	sqlite3_bind_int64(q, 3, e->beneficiary_id);
	sq_bind_text(q, 4, e->item);
	sq_bind_text(q, 5, e->period_key);
	sqlite3_bind_int(q, 6, e->instalment);
	int r = sqlite3_step(q);
	int open = 0;
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		const char *status = (const char *)sqlite3_column_text(q, 1);
		open = status && (strcmp(status, "pending") == 0 || strcmp(status, "excluded") == 0);
	}
	sqlite3_reset(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return sq_rc(s, r);
	if (*id && !open)
		return TP_ERR_CONFLICT;
	enum tp_rc rc;
	if (*id) {
		q = sq_prepare(s, "UPDATE entitlements SET kind = ?, amount_fen = ?, quantity = ?, "
				  "explanation_hash = ?, status = 'confirmed', excluded_by = NULL, "
				  "needs_application = 1, application_id = ?, confirmed_by = ?, "
				  "confirmed_at = ? WHERE id = ? AND status IN ('pending', 'excluded')");
		if (!q)
			return TP_ERR_DB;
		sq_bind_text(q, 1, e->kind);
		if (e->money) {
			sqlite3_bind_int64(q, 2, e->amount);
			sqlite3_bind_null(q, 3);
		} else {
			sqlite3_bind_null(q, 2);
			sqlite3_bind_int64(q, 3, e->amount);
		}
		sq_bind_text(q, 4, e->explanation_hash);
		sqlite3_bind_int64(q, 5, app_id);
		sq_bind_text(q, 6, by);
		sq_bind_text(q, 7, at);
		sqlite3_bind_int64(q, 8, *id);
		rc = sq_step_changed(s, q);
		if (rc == TP_ERR_NOT_FOUND)
			rc = TP_ERR_CONFLICT;
	} else {
		if ((rc = approval_run(s, e, app_id, at, run_id)) != TP_OK)
			return rc;
		q = sq_prepare(s, "INSERT INTO entitlements (run_id, policy, beneficiary_kind, "
				  "beneficiary_id, item, period_key, instalment, kind, amount_fen, quantity, "
				  "status, explanation_hash, created_at, needs_application, application_id, "
				  "confirmed_by, confirmed_at) "
				  "VALUES (?,?,?,?,?,?,?,?,?,?,'confirmed',?,?,1,?,?,?)");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, *run_id);
		sq_bind_text(q, 2, e->policy);
		sq_bind_text(q, 3, e->beneficiary_kind);
		sqlite3_bind_int64(q, 4, e->beneficiary_id);
		sq_bind_text(q, 5, e->item);
		sq_bind_text(q, 6, e->period_key);
		sqlite3_bind_int(q, 7, e->instalment);
		sq_bind_text(q, 8, e->kind);
		if (e->money) {
			sqlite3_bind_int64(q, 9, e->amount);
			sqlite3_bind_null(q, 10);
		} else {
			sqlite3_bind_null(q, 9);
			sqlite3_bind_int64(q, 10, e->amount);
		}
		sq_bind_text(q, 11, e->explanation_hash);
		sq_bind_text(q, 12, at);
		sqlite3_bind_int64(q, 13, app_id);
		sq_bind_text(q, 14, by);
		sq_bind_text(q, 15, at);
		rc = sq_step_done(s, q);
		if (rc == TP_OK) {
			*id = sqlite3_last_insert_rowid(s->db);
			q = sq_prepare(s, "UPDATE policy_runs SET entitlements = entitlements + 1, "
					  "total_fen = total_fen + ? WHERE id = ?");
			if (!q)
				return TP_ERR_DB;
			sqlite3_bind_int64(q, 1, e->money && strcmp(e->kind, "cash") == 0 ? e->amount : 0);
			sqlite3_bind_int64(q, 2, *run_id);
			rc = sq_step_changed(s, q);
		}
	}
	if (rc == TP_OK)
		rc = notice(s, e, *id, at);
	if (rc == TP_OK)
		sq_counts_bump();
	return rc;
}
