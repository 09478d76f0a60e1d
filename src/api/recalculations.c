/*
 * recalculations.c — POST /api/v1/recalculations and GET /api/v1/adjustments (issue 6,
 * item 6; src/domain/recalc.h, docs/payments.md "Retroactive changes").  The office
 * recalculates a year with the server's pack; the adjustments (arrears and clawbacks) are
 * pending entitlements the office confirms (arrears) or cancels (a cancelled adjustment is
 * waived: a later recalculation does not write it again).  Office, finance and auditors
 * read the adjustments with their old and new amounts and why.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/recalc.h"
#include "core/money.h"
#include "core/verr.h"
#include "http/pack.h"

static void adjustment_write(struct jw *w, const struct adjustment *x)
{
	char why_zh[256], why_en[256];
	char was[MONEY_YUAN_BUFSZ], now[MONEY_YUAN_BUFSZ], diff[MONEY_YUAN_BUFSZ];
	const char *zh = x->amount_fen > 0 ? "补发" : "追回";
	const char *en = x->amount_fen > 0 ? "arrears" : "clawback";
	money_format_yuan(x->old_fen, was, sizeof was);
	money_format_yuan(x->new_fen, now, sizeof now);
	money_format_yuan(x->amount_fen < 0 ? -x->amount_fen : x->amount_fen, diff, sizeof diff);
	snprintf(why_zh, sizeof(why_zh), "按现行政策包与数据重算：应得由 %s 元变为 %s 元，%s %s 元", was,
		 now, zh, diff);
	snprintf(why_en, sizeof(why_en),
		 "recalculated with the current pack and facts: owed %s yuan before, %s yuan now; "
		 "%s of %s yuan%s",
		 was, now, en, diff, x->new_fen == 0 ? " (no longer granted)" : "");
	jw_obj_begin(w);
	jw_kint(w, "id", x->id);
	jw_kint(w, "adjusts", x->adjusts);
	jw_kint(w, "adjustment", x->adjustment);
	jw_kstr(w, "kind", en);
	jw_kstr(w, "policy", x->policy);
	jw_kstr(w, "beneficiary_kind", x->beneficiary_kind);
	jw_kint(w, "beneficiary_id", x->beneficiary_id);
	jw_kstr(w, "beneficiary_name", x->beneficiary_name);
	jw_kstr(w, "item", x->item);
	jw_kstr(w, "period_key", x->period_key);
	jw_kint(w, "instalment", x->instalment);
	jw_kint(w, "amount_fen", x->amount_fen);
	jw_kint(w, "old_fen", x->old_fen);
	jw_kint(w, "new_fen", x->new_fen);
	jw_kstr(w, "old_explanation_hash", x->old_hash);
	jw_kstr(w, "new_explanation_hash", x->new_hash);
	jw_kstr(w, "status", x->status);
	jw_kint(w, "offset_fen", x->offset_fen);
	/* an open clawback's rest, to be offset by later payments (docs/payments.md) */
	int open = x->amount_fen < 0 &&
		   (strcmp(x->status, "pending") == 0 || strcmp(x->status, "confirmed") == 0);
	jw_kint(w, "outstanding_fen", open ? -x->amount_fen - x->offset_fen : 0);
	jw_kstr(w, "note", x->note);
	jw_kstr(w, "why_zh", why_zh);
	jw_kstr(w, "why_en", why_en);
	jw_kstr(w, "created_at", x->created_at);
	jw_obj_end(w);
}

void api_recalculations_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"period", NULL};
	struct verrors ve;
	int64_t year = 0;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "period", 2000, 2100, 1, &ve, &year);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	const char *dir = http_policy_pack_dir();
	if (!dir) {
		resp_problem(rq, rs, 503, "no_policy_pack", "未加载策略包",
			     "no policy pack is loaded", NULL);
		return;
	}
	struct recalc_result res;
	enum tp_rc rc = payments_recalc(rq->store, &rq->actor, dir, (int)year, 0, &res);
	if (rc == TP_ERR_INVALID) {
		resp_problem(rq, rs, 409, "recalc_refused", res.err, res.err, NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	char period[8];
	snprintf(period, sizeof(period), "%04d", (int)year);
	struct adjustment *items = NULL;
	size_t n = 0;
	if (res.c.adjustments &&
	    (rc = payments_adjustments(rq->store, period, rq->arena, &items, &n)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "period", period);
	jw_kstr(&w, "pack_id", res.pack_id);
	jw_kstr(&w, "pack_hash", res.pack_hash);
	jw_kint(&w, "compared", res.c.compared);
	jw_kint(&w, "adjustments", res.c.adjustments);
	jw_kint(&w, "arrears", res.c.arrears);
	jw_kint(&w, "arrears_fen", res.c.arrears_fen);
	jw_kint(&w, "clawbacks", res.c.clawbacks);
	jw_kint(&w, "clawback_fen", res.c.clawback_fen);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		if (items[i].id >= res.c.first_id && items[i].id <= res.c.last_id)
			adjustment_write(&w, &items[i]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_adjustments_list(struct request *rq, struct response *rs)
{
	const char *period = req_query(rq, "period");
	if (period && (strlen(period) != 4 || strspn(period, "0123456789") != 4)) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_add(&ve, "period", "format", "period 应为四位年份，如 2026",
			 "period must be a year of four digits, e.g. 2026");
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct adjustment *items;
	size_t n;
	enum tp_rc rc = payments_adjustments(rq->store, period, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		adjustment_write(&w, &items[i]);
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_entitlements_waive(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"reason", "decision", NULL};
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *reason = NULL, *decision = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 500, 1, &ve, &reason);
	jsonx_str(rq->json, "decision", 32, 0, &ve, &decision);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = payments_clawback_decide(rq->store, &rq->actor, id, decision, reason, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "status", decision && strcmp(decision, "collect_separately") == 0
				      ? "collect_separately" : "waived");
	jw_kstr(&w, "note", reason);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
