/*
 * payments_ent.c — entitlements on their way to payment, over HTTP (domain/payments.h):
 * POST /api/v1/entitlements/confirm and /{id}/cancel (office), PUT /api/v1/budgets/{policy}/
 * {year} (office).  The caller's notices: api/notices.c.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/payments.h"

#define IDS_MAX 10000

/* {"ids": [..]} or {"policy": "…", "period": "2026" | "2026-03"} */
void api_entitlements_confirm(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"ids", "policy", "period", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct ent_filter f;
	memset(&f, 0, sizeof f);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "policy", 64, 0, &ve, &f.policy);
	jsonx_str(rq->json, "period", 7, 0, &ve, &f.period);
	json_t *ids = json_object_get(rq->json, "ids");
	if (ids && !json_is_null(ids)) {
		size_t n = json_is_array(ids) ? json_array_size(ids) : 0;
		int64_t *v = n && n <= IDS_MAX ? arena_alloc(rq->arena, n * sizeof *v) : NULL;
		for (size_t i = 0; v && i < n; i++) {
			json_t *x = json_array_get(ids, i);
			if (!json_is_integer(x) || json_integer_value(x) < 1)
				v = NULL;
			else
				v[i] = json_integer_value(x);
		}
		if (!v)
			verr_addf(&ve, "ids", "ids_format", "ids 应为 1 到 %d 个正整数的数组",
				  "ids must be an array of 1..%d positive integers", IDS_MAX, IDS_MAX);
		f.ids = v;
		f.nids = v ? n : 0;
		if (v && (f.policy || f.period))
			verr_add(&ve, "ids", "ids_or_filter", "ids 与 policy / period 不能同时给出",
				 "give either ids or policy / period, not both");
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t n = 0, skipped = 0;
	enum tp_rc rc = entitlements_confirm(rq->store, &rq->actor, &f, &n, &skipped, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "confirmed", n);
	/* apply-channel (快申快享) rows left pending: an approved application confirms them */
	jw_kint(&w, "skipped_needs_application", skipped);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_entitlements_cancel(struct request *rq, struct response *rs)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	static const char *const fields[] = {"reason", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 500, 1, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = entitlement_cancel(rq->store, &rq->actor, id, reason, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "status", "cancelled");
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_budgets_put(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"amount_fen", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *policy = rq->params[0], *ys = rq->params[1];
	char *end;
	long year = strtol(ys, &end, 10);
	if (*end || strlen(ys) != 4)
		year = 0;
	int64_t amount = -1;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "amount_fen", 0, INT64_MAX / 4, 1, &ve, &amount);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = budget_set(rq->store, &rq->actor, policy, (int)year, amount, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "policy", policy);
	jw_kint(&w, "year", year);
	jw_kint(&w, "amount_fen", amount);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
