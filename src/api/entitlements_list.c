/*
 * entitlements_list.c — GET /api/v1/entitlements?period=2026[&status=pending][&policy=…]
 * [&after=ID][&limit=N] (office reviewers, finance, auditors: the payment readers).  The
 * web UI's confirmation page lists a policy's pending entitlements one by one with this, to
 * confirm or cancel each (docs/payments.md "Confirmation").
 *
 *   {"items": [{"id", "policy", "beneficiary_kind", "beneficiary_id", "item", "period_key",
 *               "instalment", "kind", "amount_fen" (null unless cash or loan), "quantity"
 *               (null for cash and loans), "status", "needs_application", "adjusts" (null
 *               unless an adjustment), "note", "created_at"}],
 *    "next_after": the last id when the page is full (ask again with after=), else null}
 *
 * period: a year (its keys "Y" and "Y-MM") or one month key "Y-MM" — required, so the query
 * stays on the (period_key, status) index; status one of the entitlement states; items by
 * id after `after`, at most `limit` (1..1000, default 200).
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/verr.h"
#include "domain/payments.h"
#include "store/store.h"

#define ENT_PAGE_MAX 1000

static const char *const STATUSES[] = {"pending", "excluded", "confirmed", "paid", "cancelled",
				       "failed", "waived", "collect_separately", NULL};

static int digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") == n;
}

void api_entitlements_list(struct request *rq, struct response *rs)
{
	const char *period = req_query(rq, "period"), *status = req_query(rq, "status");
	const char *policy = req_query(rq, "policy"), *after = req_query(rq, "after");
	const char *limit = req_query(rq, "limit");
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct ent_list_q q = {.status = status && *status ? status : NULL,
			       .policy = policy && *policy ? policy : NULL,
			       .limit = 200};
	size_t pl = period ? strlen(period) : 0;
	if (pl == 4 && digits(period, 4)) {
		q.lo = period;
		q.hi = arena_printf(rq->arena, "%s-99", period);
	} else if (pl == 7 && digits(period, 4) && period[4] == '-' && digits(period + 5, 2)) {
		q.lo = q.hi = period;
	} else {
		verr_add(&ve, "period", "format", "period 必填：四位年份（如 2026）或月份（如 2026-03）",
			 "period is required: a year (e.g. 2026) or a month (e.g. 2026-03)");
	}
	if (q.status) {
		int known = 0;
		for (int i = 0; STATUSES[i]; i++)
			known |= strcmp(STATUSES[i], q.status) == 0;
		if (!known)
			verr_add(&ve, "status", "unknown_status",
				 "status 应为 pending、excluded、confirmed、paid、cancelled、failed、waived 或 collect_separately",
				 "status must be pending, excluded, confirmed, paid, cancelled, failed, waived or collect_separately");
	}
	int64_t l = 200;
	if (after && req_parse_id(after, &q.after) != 0)
		verr_add(&ve, "after", "out_of_range", "after 应为待遇编号", "after must be an entitlement id");
	if (limit && (req_parse_id(limit, &l) != 0 || l > ENT_PAGE_MAX))
		verr_addf(&ve, "limit", "out_of_range", "limit 应为 1 到 %d", "limit must be 1..%d",
			  ENT_PAGE_MAX, ENT_PAGE_MAX);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	q.limit = (int)l;
	struct ent_listed *items;
	size_t n;
	enum tp_rc rc = STORE_CALL(entitlements_list, rq->store, &q, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct ent_listed *e = &items[i];
		jw_obj_begin(&w);
		jw_kint(&w, "id", e->id);
		jw_kstr(&w, "policy", e->policy);
		jw_kstr(&w, "beneficiary_kind", e->beneficiary_kind);
		jw_kint(&w, "beneficiary_id", e->beneficiary_id);
		jw_kstr(&w, "item", e->item);
		jw_kstr(&w, "period_key", e->period_key);
		jw_kint(&w, "instalment", e->instalment);
		jw_kstr(&w, "kind", e->kind);
		jw_key(&w, "amount_fen");
		if (strcmp(e->kind, "cash") == 0 || strcmp(e->kind, "loan") == 0)
			jw_int(&w, e->amount_fen);
		else
			jw_null(&w);
		jw_key(&w, "quantity");
		if (e->quantity >= 0)
			jw_int(&w, e->quantity);
		else
			jw_null(&w);
		jw_kstr(&w, "status", e->status);
		jw_kbool(&w, "needs_application", e->needs_application);
		jw_key(&w, "adjusts");
		if (e->adjusts)
			jw_int(&w, e->adjusts);
		else
			jw_null(&w);
		jw_kstr(&w, "note", e->note);
		jw_kstr(&w, "created_at", e->created_at);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "next_after");
	if (n == (size_t)q.limit && n)
		jw_int(&w, items[n - 1].id);
	else
		jw_null(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
