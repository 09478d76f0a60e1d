/*
 * benefits.c — GET /api/v1/benefits/prefill?policy=…&period=2026[&item=c1][&talent_id=N]:
 * what a benefit application (快申快享, kind "benefit") would hold if submitted now — the
 * facts the platform holds, the amount per instalment and the explanation — before
 * anything is submitted.  Nothing is stored.  The rules: domain/benefits.h.
 *
 * A talent sees their own; an employer those of its staff; the office anyone's.  A
 * talent the caller may not see is 404 (audited), as for a missing one.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/benefits.h"
#include "store/store.h"

void api_benefits_prefill(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *policy = req_query(rq, "policy"), *period = req_query(rq, "period");
	const char *item = req_query(rq, "item"), *tids = req_query(rq, "talent_id");
	int64_t tid = 0;
	if (!policy || !*policy || strlen(policy) > 64)
		verr_add(&ve, "policy", "required", "须指明政策编号（1 到 64 字节）",
			 "policy is required (1..64 bytes)");
	if (!period)
		verr_add(&ve, "period", "required", "须指明年度，如 2026", "period is required, e.g. 2026");
	if (tids && req_parse_id(tids, &tid) != 0)
		verr_add(&ve, "talent_id", "format", "talent_id 应为正整数",
			 "talent_id must be a positive integer");
	if (rq->actor.role == ROLE_TALENT) {
		if (tid && tid != rq->actor.talent_id)
			verr_add(&ve, "talent_id", "not_allowed", "只能查看本人的申请预填",
				 "a talent sees only their own prefill");
		tid = rq->actor.talent_id;
		if (!tid)
			verr_add(&ve, "talent_id", "unbound", "账号尚未关联人才档案",
				 "the account is not linked to a talent record yet");
	} else if (!tid && !ve.n) {
		verr_add(&ve, "talent_id", "required", "须指明为哪位人才申请",
			 "talent_id is required (the talent applied for)");
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, tid, rq->arena, &t);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && !api_talent_visible(rq, &t))) {
		api_hidden(rq, rs, "talent", tid);
		return;
	}
	const char *doc = NULL;
	if (rc == TP_OK)
		rc = benefit_prefill(rq->store, &t, policy, period, item, rq->arena, &doc, &ve);
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_UNSUPPORTED) {
		resp_problem(rq, rs, 503, "no_policy_pack", "未加载策略包", "no policy pack is loaded",
			     NULL);
		return;
	}
	if (rc != TP_OK || !doc) {
		resp_rc(rq, rs, rc != TP_OK ? rc : TP_ERR_INTERNAL);
		return;
	}
	resp_bytes(rs, 200, "application/json; charset=utf-8", doc, strlen(doc));
}
