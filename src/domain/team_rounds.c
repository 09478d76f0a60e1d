/*
 * team_rounds.c — team-review rounds: their criteria, status and expert panel
 * (domain/teams.h; the rules in docs/team-review.md).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/teams_int.h"
#include "store/teams.h"

/* [design] docs/team-review.md: weight = max, so a total is the plain sum out of 100. */
const char TEAM_DEFAULT_CRITERIA[] =
	"[{\"id\":\"innovation\",\"title_zh\":\"创新性\",\"title_en\":\"Innovation\","
	"\"weight\":30,\"max\":30},"
	"{\"id\":\"industry_fit\",\"title_zh\":\"产业契合度（4341）\","
	"\"title_en\":\"Industry fit (4341)\",\"weight\":25,\"max\":25},"
	"{\"id\":\"team_strength\",\"title_zh\":\"团队实力\",\"title_en\":\"Team strength\","
	"\"weight\":25,\"max\":25},"
	"{\"id\":\"feasibility\",\"title_zh\":\"可行性\",\"title_en\":\"Feasibility\","
	"\"weight\":20,\"max\":20}]";

void team_time(int64_t now, char out[24])
{
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum tp_rc team_state_error(struct verrors *ve, const char *field, const char *code,
			    const char *zh, const char *en)
{
	verr_add(ve, field, code, zh, en);
	return TP_ERR_CONFLICT;
}

static int criterion_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > TEAM_CRITERION_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int team_criteria_parse(const char *json, struct team_round *r, struct verrors *ve)
{
	static const char *const fields[] = {"id", "title_zh", "title_en", "weight", "max", NULL};
	size_t before = ve->n;
	json_error_t err;
	json_t *arr = json_loads(json ? json : "", JSON_REJECT_DUPLICATES, &err);
	r->ncriteria = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > TEAM_CRITERIA_MAX) {
		verr_addf(ve, "criteria", "criteria_count", "评审标准应为 1 到 %d 项的数组",
			  "criteria must be an array of 1 to %d items", TEAM_CRITERIA_MAX);
		json_decref(arr);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *c = json_array_get(arr, i);
		size_t from = ve->n;
		struct team_criterion *k = &r->criteria[i];
		memset(k, 0, sizeof *k);
		if (!json_is_object(c)) {
			verr_add(ve, arena_printf(ve->arena, "criteria[%zu]", i), "type_object",
				 "每项评审标准应为对象", "each criterion must be an object");
			continue;
		}
		int64_t w = 0, m = 0;
		jsonx_no_unknown(c, fields, ve);
		jsonx_str(c, "id", TEAM_CRITERION_ID_MAX, 1, ve, &k->id);
		jsonx_str(c, "title_zh", 100, 1, ve, &k->title_zh);
		jsonx_str(c, "title_en", 100, 1, ve, &k->title_en);
		jsonx_int(c, "weight", 1, 100, 1, ve, &w);
		jsonx_int(c, "max", 1, 1000, 1, ve, &m);
		if (k->id && !criterion_id_ok(k->id))
			verr_add(ve, "id", "criterion_id_format",
				 "标准编号为 1 到 32 个小写字母、数字或下划线",
				 "a criterion id is 1 to 32 lowercase letters, digits or _");
		for (size_t j = 0; k->id && j < i; j++)
			if (r->criteria[j].id && strcmp(r->criteria[j].id, k->id) == 0)
				verr_add(ve, "id", "duplicate", "标准编号重复",
					 "the criterion id is used twice");
		k->weight = (int)w;
		k->max = (int)m;
		if (ve->n > from)
			verr_prefix(ve, from, arena_printf(ve->arena, "criteria[%zu]", i));
	}
	r->ncriteria = (int)json_array_size(arr);
	json_decref(arr);
	return ve->n > before ? -1 : 0;
}

enum tp_rc team_round_load(struct store *st, int64_t id, struct arena *a,
			   struct team_round *out)
{
	enum tp_rc rc = TEAMS_CALL(round_get, st, id, a, out);
	if (rc != TP_OK)
		return rc;
	struct verrors ve;
	verr_init(&ve, a);
	return team_criteria_parse(out->criteria_json, out, &ve) == 0 ? TP_OK : TP_ERR_INTERNAL;
}

enum tp_rc team_round_create(struct store *st, const struct actor *who, struct team_round *r,
			     const char *criteria_json, int64_t now, struct verrors *ve)
{
	if (!criteria_json)
		criteria_json = TEAM_DEFAULT_CRITERIA;
	if (r->year < 2000 || r->year > 2100)
		verr_add(ve, "year", "out_of_range", "年度应为 2000 到 2100", "year must be 2000..2100");
	if (!r->title || !*r->title)
		verr_add(ve, "title", "required", "评审名称必填", "title is required");
	team_criteria_parse(criteria_json, r, ve);
	if (ve->n)
		return TP_ERR_INVALID;
	/* stored re-serialised in a compact, canonical form */
	json_t *arr = json_array();
	for (int i = 0; arr && i < r->ncriteria; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:i}", "id", r->criteria[i].id,
						     "title_zh", r->criteria[i].title_zh, "title_en",
						     r->criteria[i].title_en, "weight",
						     r->criteria[i].weight, "max", r->criteria[i].max));
	char *text = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(arr);
	if (!text)
		return TP_ERR_NOMEM;
	r->criteria_json = arena_strdup(ve->arena, text);
	free(text);
	if (!r->criteria_json)
		return TP_ERR_NOMEM;
	char at[24];
	team_time(now, at);
	r->created_at = arena_strdup(ve->arena, at);
	r->created_by = who->user_id;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = TEAMS_CALL(round_insert, st, r);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team_round.create", "team_round", r->id,
				   "year=%d title=%s criteria=%s", r->year, r->title,
				   r->criteria_json);
	return store_end(st, rc);
}

/* Office and the command line see every round; an expert the rounds of its panels; talents
 * and employers every round (calls for applications are public). */
static int round_visible(struct store *st, const struct actor *who, int64_t round_id)
{
	if (who->role != ROLE_EXPERT)
		return who->role & (ROLE_OFFICE_REVIEWER | ROLE_SYSTEM | ROLE_TALENT | ROLE_EMPLOYER);
	return TEAMS_CALL(panel_has, st, round_id, who->user_id) == TP_OK;
}

enum tp_rc team_round_get(struct store *st, const struct actor *who, int64_t id,
			  struct arena *a, struct team_round *out)
{
	enum tp_rc rc = team_round_load(st, id, a, out);
	if (rc == TP_OK && !round_visible(st, who, id))
		rc = TP_ERR_NOT_FOUND;
	return rc;
}

enum tp_rc team_round_list(struct store *st, const struct actor *who, struct arena *a,
			   struct team_round **out, size_t *n)
{
	enum tp_rc rc = TEAMS_CALL(round_list, st, who->role == ROLE_EXPERT ? who->user_id : 0,
				   a, out, n);
	struct verrors ve;
	verr_init(&ve, a);
	for (size_t i = 0; rc == TP_OK && i < *n; i++)
		if (team_criteria_parse((*out)[i].criteria_json, &(*out)[i], &ve) != 0)
			rc = TP_ERR_INTERNAL;
	return rc;
}

enum tp_rc team_round_advance(struct store *st, const struct actor *who, int64_t id,
			      const char *to, int64_t now, struct verrors *ve)
{
	(void)now;
	int scoring = strcmp(to, "scoring") == 0;
	const char *from = scoring ? "open" : "scoring";
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team_round r;
	rc = TEAMS_CALL(round_get, st, id, ve->arena, &r);
	if (rc == TP_OK && strcmp(r.status, from) != 0)
		rc = scoring ? team_state_error(ve, "status", "round_not_open",
						"只有征集中（open）的评审可以开始评分",
						"only an open round can start scoring")
			     : team_state_error(ve, "status", "round_not_scoring",
						"只有评分中（scoring）的评审可以结束评分",
						"only a round in scoring can be closed");
	if (rc == TP_OK && scoring) {
		struct panel_expert *p;
		size_t np = 0;
		rc = TEAMS_CALL(panel_list, st, id, ve->arena, &p, &np);
		if (rc == TP_OK && np == 0)
			rc = team_state_error(ve, "panel", "panel_empty",
					      "评审专家组为空，请先添加专家",
					      "the panel has no expert; add experts first");
	}
	if (rc == TP_OK)
		rc = TEAMS_CALL(round_set_status, st, id, from, to);
	if (rc == TP_OK && !scoring)
		rc = TEAMS_CALL(round_teams_status, st, id, "submitted", "scored");
	if (rc == TP_OK)
		rc = audit_changef(st, who, scoring ? "team_round.scoring" : "team_round.close",
				   "team_round", id, "status %s -> %s", from, to);
	return store_end(st, rc);
}

enum tp_rc team_panel_add(struct store *st, const struct actor *who, int64_t round_id,
			  int64_t expert_id, int64_t now, struct verrors *ve)
{
	char at[24];
	team_time(now, at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team_round r;
	rc = TEAMS_CALL(round_get, st, round_id, ve->arena, &r);
	struct user u;
	if (rc == TP_OK && strcmp(r.status, "decided") == 0)
		rc = team_state_error(ve, "status", "round_decided", "评审已结束，不能调整专家组",
				      "the round is closed; its panel cannot change");
	if (rc == TP_OK) {
		enum tp_rc urc = STORE_CALL(user_get, st, expert_id, NULL, ve->arena, &u);
		if (urc == TP_ERR_NOT_FOUND || (urc == TP_OK && (u.role != ROLE_EXPERT || u.disabled))) {
			verr_add(ve, "expert_id", "not_an_expert", "该账号不是可用的评审专家账号",
				 "the account is not an active expert account");
			rc = TP_ERR_INVALID;
		} else {
			rc = urc;
		}
	}
	if (rc == TP_OK) {
		rc = TEAMS_CALL(panel_add, st, round_id, expert_id, who->user_id, at);
		if (rc == TP_ERR_CONFLICT)
			team_state_error(ve, "expert_id", "already_on_panel", "该专家已在专家组中",
					 "the expert is already on the panel");
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team_panel.add", "team_round", round_id,
				   "expert %lld added", (long long)expert_id);
	return store_end(st, rc);
}

enum tp_rc team_panel_remove(struct store *st, const struct actor *who, int64_t round_id,
			     int64_t expert_id, int64_t now, struct verrors *ve)
{
	(void)now;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team_round r;
	rc = TEAMS_CALL(round_get, st, round_id, ve->arena, &r);
	if (rc == TP_OK && strcmp(r.status, "decided") == 0)
		rc = team_state_error(ve, "status", "round_decided", "评审已结束，不能调整专家组",
				      "the round is closed; its panel cannot change");
	if (rc == TP_OK)
		rc = TEAMS_CALL(panel_remove, st, round_id, expert_id);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team_panel.remove", "team_round", round_id,
				   "expert %lld removed", (long long)expert_id);
	return store_end(st, rc);
}

enum tp_rc team_panel_list(struct store *st, int64_t round_id, struct arena *a,
			   struct panel_expert **out, size_t *n)
{
	return TEAMS_CALL(panel_list, st, round_id, a, out, n);
}

enum tp_rc team_tiers_list(struct store *st, struct arena *a, struct team_tier **out,
			   size_t *n)
{
	return TEAMS_CALL(tiers_list, st, a, out, n);
}
