/*
 * benefits.c — GET /api/v1/benefits/prefill?policy=…&period=2026[&item=c1][&talent_id=N]:
 * what a benefit application (快申快享, kind "benefit") would hold if submitted now — the
 * facts the platform holds, the amount per instalment and the explanation — before
 * anything is submitted.  Nothing is stored.  The rules: domain/benefits.h.
 *
 * A talent sees their own; an employer those of its staff; the office anyone's.  A
 * talent the caller may not see is 404 (audited), as for a missing one.
 * &enterprise_id=N instead of talent_id: an enterprise's claim (enterprise policies such as
 * apprentice-training, item the apprentice's id) — the employer its own enterprise, the
 * office any (404 otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/registry.h"
#include "domain/benefits.h"
#include "store/store.h"

void api_benefits_prefill(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *policy = req_query(rq, "policy"), *period = req_query(rq, "period");
	const char *item = req_query(rq, "item"), *tids = req_query(rq, "talent_id");
	const char *eids = req_query(rq, "enterprise_id");
	int64_t tid = 0, eid = 0;
	if (!policy || !*policy || strlen(policy) > 64)
		verr_add(&ve, "policy", "required", "须指明政策编号（1 到 64 字节）",
			 "policy is required (1..64 bytes)");
	if (!period)
		verr_add(&ve, "period", "required", "须指明年度，如 2026", "period is required, e.g. 2026");
	if (tids && req_parse_id(tids, &tid) != 0)
		verr_add(&ve, "talent_id", "format", "talent_id 应为正整数",
			 "talent_id must be a positive integer");
	if (eids && (req_parse_id(eids, &eid) != 0 || tids || rq->actor.role == ROLE_TALENT)) {
		verr_add(&ve, "enterprise_id", "format",
			 "enterprise_id 应为正整数，且不与 talent_id 同时指明（人才不可查看）",
			 "enterprise_id must be a positive integer, without talent_id (not for talents)");
	} else if (eid) {
		/* checked below */
	} else if (rq->actor.role == ROLE_TALENT) {
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
	struct enterprise e;
	enum tp_rc rc;
	const char *doc = NULL;
	if (eid) {
		rc = STORE_CALL(enterprise_get, rq->store, eid, rq->arena, &e);
		if (rc == TP_ERR_NOT_FOUND ||
		    (rc == TP_OK && (rq->actor.role == ROLE_EMPLOYER ? rq->actor.enterprise_id != eid
								      : !api_enterprise_visible(rq, &e)))) {
			api_hidden(rq, rs, "enterprise", eid);
			return;
		}
		if (rc == TP_OK)
			rc = benefit_prefill_enterprise(rq->store, eid, policy, period, item, rq->arena,
							&doc, &ve);
	} else {
		rc = STORE_CALL(talent_get, rq->store, tid, rq->arena, &t);
		if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && !api_talent_visible(rq, &t))) {
			api_hidden(rq, rs, "talent", tid);
			return;
		}
		if (rc == TP_OK)
			rc = benefit_prefill(rq->store, &t, policy, period, item, rq->arena, &doc, &ve);
	}
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
