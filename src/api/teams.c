/*
 * teams.c — /api/v1/teams: a talent (as leader) or an employer applies with a team;
 * the applicant withdraws before scoring; everyone sees only the teams that are theirs
 * (office: all; expert: its panels' teams; talent: led or a member of; employer: its
 * enterprise's); the office decides the support tier.  docs/team-review.md.
 */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "api/team_json.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "store/teams.h"

void api_team_num(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	jw_fixed(w, (int64_t)llround(v * 100.0), 2);
}

void api_team_round_write(struct jw *w, const struct team_round *r,
			  const struct panel_expert *panel, size_t npanel, int with_panel)
{
	jw_obj_begin(w);
	jw_kint(w, "id", r->id);
	jw_kint(w, "version", r->version);
	jw_kint(w, "year", r->year);
	jw_kstr(w, "title", r->title);
	jw_kstr(w, "status", r->status);
	jw_key(w, "criteria");
	jw_arr_begin(w);
	for (int i = 0; i < r->ncriteria; i++) {
		const struct team_criterion *c = &r->criteria[i];
		jw_obj_begin(w);
		jw_kstr(w, "id", c->id);
		jw_kstr(w, "title_zh", c->title_zh);
		jw_kstr(w, "title_en", c->title_en);
		jw_kint(w, "weight", c->weight);
		jw_kint(w, "max", c->max);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (with_panel) {
		jw_key(w, "panel");
		jw_arr_begin(w);
		for (size_t i = 0; i < npanel; i++) {
			jw_obj_begin(w);
			jw_kint(w, "expert_id", panel[i].expert_id);
			jw_kstr(w, "username", panel[i].username);
			jw_kstr(w, "name", panel[i].display_name);
			jw_kstr(w, "added_at", panel[i].added_at);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_kstr(w, "created_at", r->created_at);
	jw_obj_end(w);
}

/* The members of a team object (the caller opens and closes it). */
static void team_members_write(struct jw *w, const struct request *rq, const struct team *t)
{
	int expert = rq->actor.role == ROLE_EXPERT;
	jw_kint(w, "id", t->id);
	jw_kint(w, "version", t->version);
	jw_kint(w, "round_id", t->round_id);
	jw_kstr(w, "name", t->name);
	jw_key(w, "leader");
	jw_obj_begin(w);
	if (!expert)
		jw_kint(w, "talent_id", t->leader_talent_id);
	jw_kstr(w, "name", t->leader_name);
	jw_obj_end(w);
	jw_kint_opt(w, "enterprise_id", t->enterprise_id, 0);
	jw_kstr(w, "project_title", t->project_title);
	jw_kstr(w, "project_summary", t->project_summary);
	if (t->members || t->nmembers) {
		jw_key(w, "members");
		jw_arr_begin(w);
		for (size_t i = 0; i < t->nmembers; i++) {
			jw_obj_begin(w);
			if (!expert)
				jw_kint_opt(w, "talent_id", t->members[i].talent_id, 0);
			jw_kstr(w, "name", t->members[i].name);
			jw_kstr(w, "role", t->members[i].role);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_kstr(w, "status", t->status);
	jw_kstr(w, "support_tier", t->support_tier);
	if (!expert && t->support_tier) {
		jw_kint_opt(w, "decided_by", t->decided_by, 0);
		jw_kstr(w, "decided_at", t->decided_at);
		jw_kstr(w, "reason", t->reason);
	}
	jw_kstr(w, "created_at", t->created_at);
}

void api_team_write(struct jw *w, const struct request *rq, const struct team *t)
{
	jw_obj_begin(w);
	team_members_write(w, rq, t);
	jw_obj_end(w);
}

void api_team_fail(struct request *rq, struct response *rs, enum tp_rc rc,
		   const struct verrors *ve, const char *type, int64_t id)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
	} else if (rc == TP_ERR_CONFLICT && ve->n) {
		resp_problem(rq, rs, 409, ve->v[0].code, ve->v[0].zh, ve->v[0].en, ve);
	} else if (rc == TP_ERR_NOT_FOUND && type) {
		/* a record that exists but is not the caller's: 404 as for a missing one, audited */
		int exists;
		if (strcmp(type, "team") == 0) {
			struct team t;
			exists = TEAMS_CALL(team_get, rq->store, id, rq->arena, &t) == TP_OK;
		} else {
			struct team_round r;
			exists = TEAMS_CALL(round_get, rq->store, id, rq->arena, &r) == TP_OK;
		}
		if (exists)
			api_hidden(rq, rs, type, id);
		else
			resp_rc(rq, rs, rc);
	} else {
		resp_rc(rq, rs, rc);
	}
}

/* "members": [{talent_id?, name?, role}] into t (arena). */
static void read_members(struct request *rq, struct team *t, struct verrors *ve)
{
	static const char *const fields[] = {"talent_id", "name", "role", NULL};
	json_t *arr = json_object_get(rq->json, "members");
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr) || json_array_size(arr) > TEAM_MEMBERS_MAX) {
		verr_addf(ve, "members", "members_format", "成员应为不超过 %d 项的数组",
			  "members must be an array of at most %d items", TEAM_MEMBERS_MAX);
		return;
	}
	t->nmembers = json_array_size(arr);
	t->members = arena_alloc(rq->arena, (t->nmembers + 1) * sizeof *t->members);
	if (!t->members) {
		t->nmembers = 0;
		return;
	}
	for (size_t i = 0; i < t->nmembers; i++) {
		json_t *m = json_array_get(arr, i);
		size_t from = ve->n;
		if (!json_is_object(m)) {
			verr_add(ve, arena_printf(rq->arena, "members[%zu]", i), "type_object",
				 "每位成员应为对象", "each member must be an object");
			continue;
		}
		jsonx_no_unknown(m, fields, ve);
		jsonx_int(m, "talent_id", 1, INT64_MAX, 0, ve, &t->members[i].talent_id);
		jsonx_str(m, "name", 100, 0, ve, &t->members[i].name);
		jsonx_str(m, "role", 100, 1, ve, &t->members[i].role);
		if (ve->n > from)
			verr_prefix(ve, from, arena_printf(rq->arena, "members[%zu]", i));
	}
}

void api_teams_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"round_id", "name", "leader_talent_id", "enterprise_id",
					     "project_title", "project_summary", "members", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct team t;
	memset(&t, 0, sizeof t);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "round_id", 1, INT64_MAX, 1, &ve, &t.round_id);
	jsonx_str(rq->json, "name", 100, 1, &ve, &t.name);
	jsonx_int(rq->json, "leader_talent_id", 1, INT64_MAX, 0, &ve, &t.leader_talent_id);
	jsonx_int(rq->json, "enterprise_id", 1, INT64_MAX, 0, &ve, &t.enterprise_id);
	jsonx_str(rq->json, "project_title", 200, 1, &ve, &t.project_title);
	jsonx_str(rq->json, "project_summary", 4000, 0, &ve, &t.project_summary);
	read_members(rq, &t, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_apply(rq->store, &rq->actor, &t, tp_now(), &ve);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, NULL, 0);
		return;
	}
	struct team out;
	if ((rc = team_get(rq->store, &rq->actor, t.id, rq->arena, &out)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_team_write(&w, rq, &out);
	resp_jw(rs, 201, &w);
}

void api_teams_list(struct request *rq, struct response *rs)
{
	static const char *const STATUSES[] = {"submitted", "withdrawn", "scored", "decided", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct team_filter f;
	memset(&f, 0, sizeof f);
	const char *s = req_query(rq, "round_id");
	if (s && req_parse_id(s, &f.round_id) != 0)
		verr_add(&ve, "round_id", "type_integer", "评审编号应为正整数",
			 "round_id must be a positive integer");
	if ((s = req_query(rq, "status"))) {
		for (size_t i = 0; STATUSES[i] && !f.status; i++)
			if (strcmp(s, STATUSES[i]) == 0)
				f.status = STATUSES[i];
		if (!f.status)
			verr_add(&ve, "status", "enum",
				 "状态应为 submitted、withdrawn、scored 或 decided",
				 "status must be submitted, withdrawn, scored or decided");
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct team *items;
	size_t n;
	enum tp_rc rc = team_list(rq->store, &rq->actor, &f, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		api_team_write(&w, rq, &items[i]);
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

/* The path's {id}; answers 404 and returns -1 when it is not one. */
static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (req_parse_id(rq->params[0], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	return 0;
}

void api_teams_get(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct team t;
	enum tp_rc rc = team_get(rq->store, &rq->actor, id, rq->arena, &t);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, "team", id);
		return;
	}
	struct team_score *sc = NULL;
	size_t n = 0;
	if ((rc = team_scores_mine(rq->store, &rq->actor, id, rq->arena, &sc, &n)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	team_members_write(&w, rq, &t);
	if (rq->actor.role == ROLE_EXPERT) { /* the expert's own part: conflict and scores */
		jw_kbool(&w, "conflict", team_conflicted(rq->store, rq->actor.user_id, id));
		jw_key(&w, "my_scores");
		jw_obj_begin(&w);
		for (size_t i = 0; i < n; i++)
			jw_kint(&w, sc[i].criterion, sc[i].score);
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_teams_withdraw(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {NULL};
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_withdraw(rq->store, &rq->actor, id, tp_now(), &ve);
	struct team t;
	if (rc == TP_OK)
		rc = team_get(rq->store, &rq->actor, id, rq->arena, &t);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, "team", id);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_team_write(&w, rq, &t);
	resp_jw(rs, 200, &w);
}

void api_teams_decide(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"tier", "reason", NULL};
	static const char *const TIERS[] = {"A", "B", "C", "none", NULL};
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *tier = NULL, *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "tier", TIERS, 1, &ve, &tier);
	jsonx_str(rq->json, "reason", 500, 1, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = team_decide(rq->store, &rq->actor, id, tier, reason, tp_now(), &ve);
	struct team t;
	if (rc == TP_OK)
		rc = team_get(rq->store, &rq->actor, id, rq->arena, &t);
	if (rc != TP_OK) {
		api_team_fail(rq, rs, rc, &ve, "team", id);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_team_write(&w, rq, &t);
	resp_jw(rs, 200, &w);
}
