/*
 * team_rounds.c — /api/v1/team-rounds: the office creates a round with its criteria, forms
 * the expert panel, opens and closes scoring and reads the ranking; experts see the rounds
 * of their panels, talents and employers every round (to apply).  docs/team-review.md.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/team_json.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"

static int path_id(struct request *rq, struct response *rs, size_t i, int64_t *id)
{
	if (req_parse_id(rq->params[i], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	return 0;
}

/* Answers the round id (panel for the office) after a change. */
static void send_round(struct request *rq, struct response *rs, int64_t id, unsigned status)
{
	struct team_round r;
	enum tp_rc rc = team_round_get(rq->store, &rq->actor, id, rq->arena, &r);
	struct panel_expert *p = NULL;
	size_t np = 0;
	int office = rq->actor.role == ROLE_OFFICE_REVIEWER;
	if (rc == TP_OK && office)
		rc = team_panel_list(rq->store, id, rq->arena, &p, &np);
	if (rc != TP_OK) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		api_team_fail(rq, rs, rc, &ve, "team_round", id);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_team_round_write(&w, &r, p, np, office);
	resp_jw(rs, status, &w);
}

void api_team_rounds_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"year", "title", "criteria", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct team_round r;
	memset(&r, 0, sizeof r);
	int64_t year = 0;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "year", 2000, 2100, 1, &ve, &year);
	jsonx_str(rq->json, "title", 200, 1, &ve, &r.title);
	json_t *crit = json_object_get(rq->json, "criteria");
	char *text = NULL;
	if (crit && !json_is_null(crit)) {
		text = json_dumps(crit, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text) {
			resp_rc(rq, rs, TP_ERR_NOMEM);
			return;
		}
	}
	r.year = (int)year;
	if (ve.n) {
		free(text);
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_round_create(rq->store, &rq->actor, &r, text, tp_now(), &ve);
	free(text);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, NULL, 0);
		return;
	}
	send_round(rq, rs, r.id, 201);
}

void api_team_rounds_list(struct request *rq, struct response *rs)
{
	struct team_round *items;
	size_t n;
	enum tp_rc rc = team_round_list(rq->store, &rq->actor, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		api_team_round_write(&w, &items[i], NULL, 0, 0);
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_team_rounds_get(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, 0, &id) == 0)
		send_round(rq, rs, id, 200);
}

void api_team_rounds_panel_add(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"expert_id", NULL};
	int64_t id, expert = 0;
	if (path_id(rq, rs, 0, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "expert_id", 1, INT64_MAX, 1, &ve, &expert);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_panel_add(rq->store, &rq->actor, id, expert, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, NULL, 0); /* office only */
		return;
	}
	send_round(rq, rs, id, 201);
}

void api_team_rounds_panel_remove(struct request *rq, struct response *rs)
{
	int64_t id, expert;
	if (path_id(rq, rs, 0, &id) != 0 || path_id(rq, rs, 1, &expert) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	enum tp_rc rc = team_panel_remove(rq->store, &rq->actor, id, expert, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, NULL, 0); /* office only */
		return;
	}
	resp_bytes(rs, 204, NULL, "", 0);
}

static void advance(struct request *rq, struct response *rs, const char *to)
{
	static const char *const fields[] = {NULL};
	int64_t id;
	if (path_id(rq, rs, 0, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_round_advance(rq->store, &rq->actor, id, to, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, NULL, 0); /* office only */
		return;
	}
	send_round(rq, rs, id, 200);
}

void api_team_rounds_scoring(struct request *rq, struct response *rs)
{
	advance(rq, rs, "scoring");
}

void api_team_rounds_close(struct request *rq, struct response *rs)
{
	advance(rq, rs, "decided");
}

void api_team_rounds_ranking(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, 0, &id) != 0)
		return;
	struct team_round r;
	struct team_rank_row *rows;
	size_t n;
	enum tp_rc rc = team_ranking(rq->store, &rq->actor, id, rq->arena, &r, &rows, &n);
	struct team_tier *tiers = NULL;
	size_t ntiers = 0;
	if (rc == TP_OK)
		rc = team_tiers_list(rq->store, rq->arena, &tiers, &ntiers);
	if (rc != TP_OK) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		api_team_fail(rq, rs, rc, &ve, NULL, 0); /* office only */
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "round");
	api_team_round_write(&w, &r, NULL, 0, 0);
	jw_kstr(&w, "method",
		"per expert with every criterion scored: total = 100 * sum(weight * score / max) / "
		"sum(weight); a team's mean of its experts' totals, their population standard "
		"deviation sd; a total is flagged when |total - mean| > 2 sd; order: mean "
		"descending, then team id ascending; teams without a complete score set last");
	jw_key(&w, "tiers");
	jw_arr_begin(&w);
	for (size_t i = 0; i < ntiers; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "code", tiers[i].code);
		jw_kstr(&w, "title_zh", tiers[i].title_zh);
		jw_kstr(&w, "title_en", tiers[i].title_en);
		jw_kint(&w, "amount_fen", tiers[i].amount_fen);
		jw_kstr(&w, "source", tiers[i].source);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct team_rank_row *x = &rows[i];
		jw_obj_begin(&w);
		jw_kint_opt(&w, "rank", x->rank, 0);
		jw_kint(&w, "team_id", x->team_id);
		jw_kstr(&w, "name", x->team->name);
		jw_kstr(&w, "status", x->team->status);
		jw_kstr(&w, "support_tier", x->team->support_tier);
		jw_kint(&w, "experts", (int64_t)x->nexperts);
		jw_kint(&w, "incomplete", (int64_t)x->nincomplete);
		if (x->nexperts) {
			api_team_num(&w, "mean", x->mean);
			api_team_num(&w, "sd", x->sd);
		}
		jw_key(&w, "totals");
		jw_arr_begin(&w);
		for (size_t j = 0; j < x->nexperts; j++) {
			jw_obj_begin(&w);
			jw_kint(&w, "expert_id", x->experts[j].expert_id);
			api_team_num(&w, "total", x->experts[j].total);
			api_team_num(&w, "z", x->experts[j].z);
			jw_kbool(&w, "flagged", x->experts[j].flagged);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
