/*
 * calculator.c — POST /api/v1/calculator: the public policy calculator (政策计算器).
 *
 * Anyone may ask what a hypothetical profile would get: a facts document and a year
 * in, the eval document of `talentport policy eval` out (explanations included).
 * Nothing is stored and nothing is audited — the caller is anonymous and no personal
 * data is kept; the only state it touches is its own per-address rate limit.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonx.h"
#include "http/auth.h"
#include "http/pack.h"
#include "policy/policy.h"

#define PERIOD_MIN 2000
#define PERIOD_MAX 2100

/* "2026" or 2026, in 2000..2100; -1 after adding a field error. */
static int read_period(json_t *body, struct verrors *ve)
{
	json_t *p = json_object_get(body, "period");
	long y = -1;
	if (!p || json_is_null(p)) {
		verr_add(ve, "period", "required", "缺少年度 period", "the period (a year) is required");
		return -1;
	}
	if (json_is_integer(p)) {
		y = json_integer_value(p) >= PERIOD_MIN && json_integer_value(p) <= PERIOD_MAX
			    ? (long)json_integer_value(p) : -1;
	} else if (json_is_string(p) && json_string_length(p) == 4) {
		const char *s = json_string_value(p);
		char *end;
		y = strtol(s, &end, 10);
		if (*end || s[0] < '0' || s[0] > '9')
			y = -1;
	}
	if (y < PERIOD_MIN || y > PERIOD_MAX) {
		verr_add(ve, "period", "out_of_range", "年度应为 2000 到 2100 之间的年份，如 \"2026\"",
			 "period must be a year in 2000..2100, such as \"2026\"");
		return -1;
	}
	return (int)y;
}

/*
 * Adds the engine's message about a bad fact ("person.tier.level: 9 is outside 1..7") as
 * an error of the field facts.<path>.
 */
static void bad_facts(struct verrors *ve, const char *msg)
{
	const char *colon = strstr(msg, ": ");
	char field[200];
	size_t n = colon ? (size_t)(colon - msg) : 0;
	if (n == 0 || n + sizeof "facts." > sizeof field)
		snprintf(field, sizeof field, "facts");
	else
		snprintf(field, sizeof field, "facts.%.*s", (int)n, msg);
	verr_addf(ve, field, "bad_fact", "事实数据有误：%s", "bad facts: %s", msg);
}

void api_calculator(struct request *rq, struct response *rs)
{
	static const char *const allowed[] = {"facts", "period", "all", NULL};
	if (api_rate_refused(rq, rs, http_ratelimit_calc(rq->ip)))
		return;
	const struct pol_pack *pk = http_policy_pack();
	if (!pk) {
		resp_problem(rq, rs, 503, "no_policy_pack", "未加载策略包",
			     "no policy pack is loaded", NULL);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, allowed, &ve);
	json_t *facts = json_object_get(rq->json, "facts");
	if (!facts || json_is_null(facts))
		verr_add(&ve, "facts", "required", "缺少事实数据 facts", "the facts are required");
	else if (!json_is_object(facts))
		verr_add(&ve, "facts", "type_object", "facts 应为对象", "facts must be an object");
	int year = read_period(rq->json, &ve);
	int all = 0;
	jsonx_bool(rq->json, "all", 0, &ve, &all);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char err[512];
	struct pol_facts *f = pol_facts_from_json(pk, facts, err, sizeof err);
	if (!f) {
		bad_facts(&ve, err);
		resp_invalid(rq, rs, &ve);
		return;
	}
	char *doc = pol_eval_json(pk, f, year, all);
	pol_facts_free(f);
	if (!doc) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	resp_bytes(rs, 200, "application/json; charset=utf-8", doc, strlen(doc));
	free(doc);
}
