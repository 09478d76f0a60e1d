/*
 * identification.c — POST /api/v1/identification/proposal: the tier the identification
 * standard (policies/jinjiang/standard) proposes for a talent from the facts the platform
 * holds and the claims the applicant would make, with why — before anything is submitted.
 * Nothing is stored.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/identification.h"
#include "policy/standard.h"
#include "store/store.h"

void api_identification_proposal(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"talent_id", "claims", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t tid = 0;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 0, &ve, &tid);
	json_t *claims = json_object_get(rq->json, "claims");
	if (claims && (!json_is_array(claims) || json_array_size(claims) > 20))
		verr_add(&ve, "claims", "type", "claims 应为不超过 20 项的列表",
			 "claims must be a list of at most 20 codes");
	if (rq->actor.role == ROLE_TALENT) {
		if (tid && tid != rq->actor.talent_id)
			verr_add(&ve, "talent_id", "not_allowed", "只能查看本人的推荐层次",
				 "a talent sees only their own proposal");
		tid = rq->actor.talent_id;
	}
	if (!tid)
		verr_add(&ve, "talent_id", "required", "须指明人才", "talent_id is required");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (!identification_has_standard()) {
		resp_problem(rq, rs, 503, "standard_unavailable", "服务器未加载人才认定标准",
			     "the server runs without an identification standard", NULL);
		return;
	}
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, tid, rq->arena, &t);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && !api_talent_visible(rq, &t))) {
		api_hidden(rq, rs, "talent", tid);
		return;
	}
	int tier = 0;
	const char *doc = NULL;
	if (rc == TP_OK)
		rc = identification_propose(rq->store, &t, claims, tp_now(), rq->arena, &tier, &doc);
	if (rc == TP_ERR_INVALID) {
		verr_add(&ve, "claims", "bad_claim", "申报的条件不在认定标准中",
			 "a claim is not one the identification standard knows");
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc != TP_OK || !doc) {
		resp_rc(rq, rs, rc != TP_OK ? rc : TP_ERR_INTERNAL);
		return;
	}
	/* the document, with the explanation as text for people in the caller's language */
	json_t *d = json_loads(doc, 0, NULL);
	char *text = d ? pol_standard_text(d, rq->lang == LANG_EN ? "en" : "zh") : NULL;
	if (d && text)
		json_object_set_new(d, "text", json_string(text));
	free(text);
	if (!d) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	resp_json(rs, 200, d);
}
