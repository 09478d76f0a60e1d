/*
 * team_scores.c — the experts' part of /api/v1/teams/{id}: declare a conflict of interest
 * (POST …/conflict) and score the criteria (POST …/scores).  docs/team-review.md.
 */
#include <string.h>

#include "api/api.h"
#include "api/team_json.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (req_parse_id(rq->params[0], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	return 0;
}

void api_teams_conflict(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"reason", NULL};
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 500, 1, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_conflict_declare(rq->store, &rq->actor, id, reason, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, "team", id);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "team_id", id);
	jw_kbool(&w, "conflict", 1);
	jw_kstr(&w, "reason", reason);
	jw_obj_end(&w);
	resp_jw(rs, 201, &w);
}

/* {"scores": {"innovation": 25, ...}}: integers, at most TEAM_CRITERIA_MAX of them. */
void api_teams_scores(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"scores", NULL};
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	json_t *obj = json_object_get(rq->json, "scores");
	const char *crit[TEAM_CRITERIA_MAX];
	int64_t val[TEAM_CRITERIA_MAX];
	size_t n = 0;
	if (!json_is_object(obj) || json_object_size(obj) == 0 ||
	    json_object_size(obj) > TEAM_CRITERIA_MAX) {
		verr_addf(&ve, "scores", "scores_format",
			  "scores 应为对象：标准编号 → 整数评分，1 到 %d 项",
			  "scores must be an object of criterion id → integer score, 1 to %d of them",
			  TEAM_CRITERIA_MAX);
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(obj, k, v) {
			if (!json_is_integer(v)) {
				verr_add(&ve, arena_printf(rq->arena, "scores.%s", k), "type_integer",
					 "评分应为整数", "a score must be an integer");
				continue;
			}
			crit[n] = k;
			val[n++] = json_integer_value(v);
		}
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_score_submit(rq->store, &rq->actor, id, crit, val, n, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, "team", id);
		return;
	}
	struct team_score *sc;
	size_t ns;
	if ((rc = team_scores_mine(rq->store, &rq->actor, id, rq->arena, &sc, &ns)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "team_id", id);
	jw_key(&w, "my_scores");
	jw_obj_begin(&w);
	for (size_t i = 0; i < ns; i++)
		jw_kint(&w, sc[i].criterion, sc[i].score);
	jw_obj_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
