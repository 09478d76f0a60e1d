/*
 * payment_waits.c — GET /api/v1/payment-runs/{id}/waits[?after=&limit=]: the entitlements a
 * payment run found due but left waiting, and why (docs/payments.md, "Payment runs":
 * "budget" — the policy-year's budget is spent; "no_bank_account" — no usable account;
 * "account_hold" — the account changed within 30 days, not confirmed by staff).  Office
 * reviewers, finance and auditors, like the run itself (payments.c).
 *
 *   {"run_id", "waiting", "waiting_fen", "summary": [{"reason", "count", "amount_fen"}],
 *    "items": [{"entitlement_id", "policy", "budget_year", "period_key", "amount_fen",
 *               "reason", "beneficiary_kind", "beneficiary_id"}]}
 *
 * items are by entitlement id after `after`, at most `limit` (1..1000, default 200).
 */
#include <string.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "domain/dashboard.h"
#include "domain/payments.h"
#include "store/store.h"

#define WAITS_PAGE_MAX 1000

void api_payment_runs_waits(struct request *rq, struct response *rs)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct payment_run r;
	enum tp_rc rc = payment_run_get(rq->store, id, rq->arena, &r);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	const char *after = req_query(rq, "after"), *limit = req_query(rq, "limit");
	int64_t a = 0, l = 200;
	int bad_after = after && req_parse_id(after, &a) != 0;
	if (bad_after || (limit && (req_parse_id(limit, &l) != 0 || l > WAITS_PAGE_MAX))) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_addf(&ve, bad_after ? "after" : "limit", "out_of_range",
			  "after 应为待遇编号，limit 应为 1 到 %d",
			  "after must be an entitlement id and limit 1..%d", WAITS_PAGE_MAX,
			  WAITS_PAGE_MAX);
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct pay_wait_sum *sum;
	struct pay_wait_row *items;
	size_t ns, n;
	if ((rc = STORE_CALL(payment_waits_summary, rq->store, id, rq->arena, &sum, &ns)) != TP_OK ||
	    (rc = STORE_CALL(payment_waits_list, rq->store, id, a, (int)l, rq->arena, &items, &n)) !=
		    TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "run_id", id);
	jw_kint(&w, "waiting", r.waiting);
	jw_kint(&w, "waiting_fen", r.waiting_fen);
	jw_key(&w, "summary");
	jw_arr_begin(&w);
	for (size_t i = 0; i < ns; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "reason", sum[i].reason);
		jw_kint(&w, "count", sum[i].count);
		jw_kint(&w, "amount_fen", sum[i].amount_fen);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct pay_wait_row *x = &items[i];
		jw_obj_begin(&w);
		jw_kint(&w, "entitlement_id", x->entitlement_id);
		jw_kstr(&w, "policy", x->policy);
		jw_kint(&w, "budget_year", x->budget_year);
		jw_kstr(&w, "period_key", x->period_key);
		jw_kint(&w, "amount_fen", x->amount_fen);
		jw_kstr(&w, "reason", x->reason);
		jw_kstr(&w, "beneficiary_kind", x->beneficiary_kind);
		jw_kint(&w, "beneficiary_id", x->beneficiary_id);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
