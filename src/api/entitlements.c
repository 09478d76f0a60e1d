/*
 * entitlements.c — GET /api/v1/talents/{id}/entitlements?period=2026: what a stored
 * talent is entitled to in a year under the server's policy pack, with explanations.
 *
 * The talent themself and staff who may see the talent (access.c) read it; anyone else
 * gets 404 as for a missing talent.  Computed on each request from the registry's facts
 * (domain/policy_facts.c); nothing is stored here (`talentport policy run` stores the
 * whole population's pending entitlements).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "domain/policy_facts.h"
#include "domain/self_identification.h"
#include "http/pack.h"
#include "policy/policy.h"
#include "store/store.h"

#define PERIOD_MIN 2000
#define PERIOD_MAX 2100

/* The current year in Asia/Shanghai (UTC+8, no DST), by the injectable clock. */
static int this_year(void)
{
	int64_t days = (tp_now() + 8 * 3600) / 86400;
	struct civil_date d = date_from_days((long)days);
	return d.y ? d.y : 2026;
}

/* ?period=YYYY (2000..2100), default this year; -1 after adding a field error. */
static int query_period(struct request *rq, struct verrors *ve)
{
	const char *s = req_query(rq, "period");
	if (!s)
		return this_year();
	char *end;
	long y = strtol(s, &end, 10);
	if (strlen(s) != 4 || *end || s[0] < '0' || s[0] > '9' || y < PERIOD_MIN || y > PERIOD_MAX) {
		verr_add(ve, "period", "out_of_range", "年度应为 2000 到 2100 之间的年份，如 2026",
			 "period must be a year in 2000..2100, such as 2026");
		return -1;
	}
	return (int)y;
}

/* ?all=true|false: list ineligible entitlements too. */
static int query_all(struct request *rq, struct verrors *ve)
{
	const char *s = req_query(rq, "all");
	if (!s || strcmp(s, "false") == 0)
		return 0;
	if (strcmp(s, "true") == 0)
		return 1;
	verr_add(ve, "all", "type_boolean", "all 应为 true 或 false", "all must be true or false");
	return 0;
}

char *api_talent_eval(struct request *rq, const struct talent *t, int year, int all,
		      enum tp_rc *rc)
{
	const struct pol_pack *pk = http_policy_pack();
	*rc = TP_ERR_INTERNAL;
	if (!pk)
		return NULL;
	/* the talent's active self-identification of the year: person.self_identified */
	struct self_identification si;
	enum tp_rc r = STORE_CALL(selfid_for_talent, rq->store, t->id, year, rq->arena, &si);
	if (r != TP_OK && r != TP_ERR_NOT_FOUND) {
		*rc = r;
		return NULL;
	}
	json_t *doc = policy_facts_from_talent(t);
	if (!doc || policy_facts_put_self_identified(doc, r == TP_OK ? &si : NULL) != 0) {
		json_decref(doc);
		*rc = TP_ERR_NOMEM;
		return NULL;
	}
	char err[512];
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	if (!f) { /* the registry holds a value the pack's schema refuses: a mismatch to fix */
		tp_log(LOG_ERROR, "stored facts refused by the policy pack",
		       json_pack("{s:I,s:s}", "talent", (json_int_t)t->id, "error", err));
		return NULL;
	}
	char *out = pol_eval_json(pk, f, year, all);
	pol_facts_free(f);
	*rc = out ? TP_OK : TP_ERR_NOMEM;
	return out;
}

void api_talent_entitlements(struct request *rq, struct response *rs)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, id, rq->arena, &t);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (!api_talent_visible(rq, &t)) {
		api_hidden(rq, rs, "talent", id);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int year = query_period(rq, &ve);
	int all = query_all(rq, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (!http_policy_pack()) {
		resp_problem(rq, rs, 503, "no_policy_pack", "未加载策略包",
			     "no policy pack is loaded", NULL);
		return;
	}
	char *out = api_talent_eval(rq, &t, year, all, &rc);
	if (!out) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 200, "application/json; charset=utf-8", out, strlen(out));
	free(out);
}
