/*
 * payments_ent.c — entitlements on their way to payment (domain/payments.h): confirmation
 * by the office (with a notice to the beneficiary), auto-confirmation of the policies of
 * the setting payments.auto_confirm, cancellation, the caller's notices and budgets.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/verr.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/payments.h"
#include "store/payments.h"

#define CONFIRM_IDS_MAX 10000

enum tp_rc entitlements_confirm(struct store *st, const struct actor *who,
				const struct ent_filter *f, int64_t *n, int64_t *skipped,
				struct verrors *ve)
{
	*n = 0;
	*skipped = 0;
	if (f->nids > CONFIRM_IDS_MAX) {
		verr_addf(ve, "ids", "too_many", "一次最多确认 %d 项", "at most %d ids at once",
			  CONFIRM_IDS_MAX, CONFIRM_IDS_MAX);
		return TP_ERR_INVALID;
	}
	if (!f->nids && !f->policy && !f->period) {
		verr_add(ve, "ids", "filter_required", "请给出 ids，或 policy / period 筛选条件",
			 "give ids, or a policy and/or period filter");
		return TP_ERR_INVALID;
	}
	char at[24];
	pay_now(at);
	int64_t bad = 0;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = PAY_CALL(ent_confirm, st, f, NULL, 0, who->username, at, n, &bad, skipped);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "entitlement.confirm", "entitlement", f->nids ? f->ids[0] : 0,
				   "{\"confirmed\":%lld,\"skipped_needs_application\":%lld,\"ids\":%zu,"
				   "\"policy\":\"%s\",\"period\":\"%s\"}",
				   (long long)*n, (long long)*skipped, f->nids, f->policy ? f->policy : "",
				   f->period ? f->period : "");
	rc = store_end(st, rc);
	if (rc == TP_ERR_UNSUPPORTED) {
		/* an apply-channel entitlement (快申快享): its application's approval confirms it */
		*n = 0;
		verr_addf(ve, "ids", "application_required",
			  "待遇 %lld 属于依申请政策，须经申请审批通过后确认，不能直接确认",
			  "entitlement %lld belongs to an apply-channel policy: it is confirmed by "
			  "approving its benefit application, not directly", (long long)bad, (long long)bad);
		return TP_ERR_CONFLICT;
	}
	if (rc == TP_ERR_CONFLICT) {
		*n = 0;
		verr_addf(ve, "ids", "not_pending", "待遇 %lld 不是待确认的现金待遇（或不存在）",
			  "entitlement %lld is not a pending cash entitlement (or does not exist)",
			  (long long)bad, (long long)bad);
	}
	return rc;
}

enum tp_rc entitlements_auto_confirm(struct store *st, const struct actor *who,
				     const char *period, int64_t *n)
{
	*n = 0;
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	const char *v = NULL;
	enum tp_rc rc = STORE_CALL(setting_get, st, "payments.auto_confirm", a, &v);
	if (rc == TP_ERR_NOT_FOUND) {
		arena_free(a);
		return TP_OK;
	}
	const char *list[64];
	size_t np = 0;
	char *s = rc == TP_OK ? arena_strdup(a, v) : NULL;
	char *save = NULL;
	for (char *tok = s ? strtok_r(s, ", \t\n", &save) : NULL; tok && np < 64;
	     tok = strtok_r(NULL, ", \t\n", &save))
		list[np++] = tok;
	if (rc == TP_OK && np) {
		char at[24];
		pay_now(at);
		struct ent_filter f = {.period = period};
		int64_t bad, skipped; /* apply-channel rows are never auto-confirmed */
		rc = store_begin(st);
		if (rc == TP_OK)
			rc = PAY_CALL(ent_confirm, st, &f, list, np, "auto", at, n, &bad, &skipped);
		if (rc == TP_OK && *n)
			rc = audit_changef(st, who, "entitlement.auto_confirm", "entitlement", 0,
					   "{\"confirmed\":%lld,\"period\":\"%s\"}", (long long)*n,
					   period);
		rc = store_end(st, rc);
	}
	arena_free(a);
	return rc;
}

enum tp_rc entitlement_cancel(struct store *st, const struct actor *who, int64_t id,
			      const char *reason, struct verrors *ve)
{
	if (!reason || !*reason || strlen(reason) > 500) {
		verr_add(ve, "reason", "reason_required", "取消待遇须说明理由（不超过 500 字节）",
			 "cancelling an entitlement needs a reason (at most 500 bytes)");
		return TP_ERR_INVALID;
	}
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = PAY_CALL(ent_cancel, st, id, reason);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "entitlement.cancel", "entitlement", id, "{\"to\":\"cancelled\"}");
	rc = store_end(st, rc);
	if (rc == TP_ERR_CONFLICT)
		verr_add(ve, "status", "invalid_transition",
			 "只能取消待确认或已确认（未进入付款批次）的待遇",
			 "only a pending or confirmed entitlement (not in a payment run) can be cancelled");
	return rc;
}

enum tp_rc budget_set(struct store *st, const struct actor *who, const char *policy, int year,
		      int64_t amount_fen, struct verrors *ve)
{
	if (!policy || !*policy || strlen(policy) > 64)
		verr_add(ve, "policy", "policy_format", "政策编号应为 1 到 64 字节",
			 "policy must be 1..64 bytes");
	if (year < 2000 || year > 2100)
		verr_add(ve, "year", "out_of_range", "年度应为 2000 到 2100", "year must be 2000..2100");
	if (amount_fen < 0)
		verr_add(ve, "amount_fen", "out_of_range", "预算金额（分）不能为负",
			 "amount_fen must not be negative");
	if (ve->n)
		return TP_ERR_INVALID;
	char at[24];
	pay_now(at);
	int64_t old = -1;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = PAY_CALL(budget_put, st, policy, year, amount_fen, who->username, at, &old);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "budget.set", "budget", year,
				   "{\"policy\":\"%s\",\"year\":%d,\"old_fen\":%lld,\"new_fen\":%lld}",
				   policy, year, (long long)old, (long long)amount_fen);
	return store_end(st, rc);
}
