/*
 * policies.c — /api/v1/policies: the loaded policy pack, for anyone to read
 * (what the platform pays, to whom, under which text, since when).
 */
#include "api/api.h"
#include "http/pack.h"
#include "policy/policy.h"

/* 503 when the server has no pack (it always has one when started by `serve`). */
static const struct pol_pack *pack_or_503(struct request *rq, struct response *rs)
{
	const struct pol_pack *pk = http_policy_pack();
	if (!pk)
		resp_problem(rq, rs, 503, "no_policy_pack", "未加载策略包",
			     "no policy pack is loaded", NULL);
	return pk;
}

/* GET /api/v1/policies — every policy of the pack, in pack order. */
void api_policies_list(struct request *rq, struct response *rs)
{
	const struct pol_pack *pk = pack_or_503(rq, rs);
	if (!pk)
		return;
	json_t *items = json_array();
	json_t *doc = json_pack("{s:o,s:o}", "pack", pol_pack_info_json(pk), "items", items);
	for (int i = 0; doc && i < pol_pack_npolicies(pk); i++) {
		json_t *p = pol_pack_policy_json(pk, i, 0);
		if (!p || json_array_append_new(items, p) != 0) {
			json_decref(doc);
			doc = NULL;
		}
	}
	if (!doc) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	resp_json(rs, 200, doc);
}

/* GET /api/v1/policies/{id} — one policy with its parameter history and expressions. */
void api_policies_get(struct request *rq, struct response *rs)
{
	const struct pol_pack *pk = pack_or_503(rq, rs);
	if (!pk)
		return;
	int idx = pol_pack_find(pk, rq->params[0]);
	if (idx < 0) {
		resp_problem(rq, rs, 404, "not_found", "没有这项政策", "no such policy", NULL);
		return;
	}
	json_t *p = pol_pack_policy_json(pk, idx, 1);
	if (!p) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	resp_json(rs, 200, p);
}
