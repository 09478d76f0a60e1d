/*
 * team_scores.c — the experts' part of team review: conflicts of interest and scores
 * (domain/teams.h; docs/team-review.md).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/audit.h"
#include "domain/teams_int.h"
#include "store/teams.h"

int team_conflicted(struct store *st, int64_t expert_id, int64_t team_id)
{
	return TEAMS_CALL(conflict_has, st, expert_id, team_id) == TP_OK;
}

enum tp_rc team_conflict_declare(struct store *st, const struct actor *who, int64_t team_id,
				 const char *reason, int64_t now, struct verrors *ve)
{
	if (!reason || !*reason) {
		verr_add(ve, "reason", "required", "请说明利益冲突的情形",
			 "state the conflict of interest");
		return TP_ERR_INVALID;
	}
	char at[24];
	team_time(now, at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team t;
	rc = team_get(st, who, team_id, ve->arena, &t);
	if (rc == TP_OK) {
		rc = TEAMS_CALL(conflict_insert, st, who->user_id, team_id, reason, at);
		if (rc == TP_ERR_CONFLICT)
			team_state_error(ve, "id", "conflict_already_declared",
					 "已声明过与该团队的利益冲突",
					 "a conflict with this team is already declared");
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team.conflict", "team", team_id,
				   "expert %lld declared a conflict: %s", (long long)who->user_id,
				   reason);
	return store_end(st, rc);
}

static const struct team_criterion *criterion(const struct team_round *r, const char *id)
{
	for (int i = 0; i < r->ncriteria; i++)
		if (strcmp(r->criteria[i].id, id) == 0)
			return &r->criteria[i];
	return NULL;
}

enum tp_rc team_score_submit(struct store *st, const struct actor *who, int64_t team_id,
			     const char *const *criteria, const int64_t *scores, size_t n,
			     int64_t now, struct verrors *ve)
{
	struct arena *a = ve->arena;
	if (n == 0) {
		verr_add(ve, "scores", "required", "至少给出一项评分", "give at least one score");
		return TP_ERR_INVALID;
	}
	char at[24];
	team_time(now, at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team t;
	struct team_round r;
	rc = team_get(st, who, team_id, a, &t);
	if (rc == TP_OK)
		rc = team_round_load(st, t.round_id, a, &r);
	if (rc == TP_OK && team_conflicted(st, who->user_id, team_id))
		rc = team_state_error(ve, "id", "conflict_of_interest",
				      "您已声明与该团队存在利益冲突，不能评分",
				      "you declared a conflict of interest with this team; you may not score it");
	if (rc == TP_OK && strcmp(r.status, "scoring") != 0)
		rc = team_state_error(ve, "status", "round_not_scoring",
				      "该轮评审不在评分阶段", "the round is not in scoring");
	if (rc == TP_OK && strcmp(t.status, "submitted") != 0)
		rc = team_state_error(ve, "status", "team_not_scorable", "该申报已撤回，不能评分",
				      "the application was withdrawn; it cannot be scored");
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		const struct team_criterion *c = criterion(&r, criteria[i]);
		const char *field = arena_printf(a, "scores.%s", criteria[i]);
		if (!c)
			verr_add(ve, field, "unknown_criterion", "该轮评审没有这项标准",
				 "the round has no such criterion");
		else if (scores[i] < 0 || scores[i] > c->max)
			verr_addf(ve, field, "out_of_range", "评分应为 0 到 %d 的整数",
				  "a score is an integer 0..%d", c->max);
	}
	if (rc == TP_OK && ve->n)
		rc = TP_ERR_INVALID;
	for (size_t i = 0; rc == TP_OK && i < n; i++) {
		int64_t old;
		rc = TEAMS_CALL(score_put, st, who->user_id, team_id, criteria[i], scores[i], at, &old);
		if (rc == TP_OK)
			rc = audit_changef(st, who, old < 0 ? "team.score" : "team.rescore", "team",
					   team_id, "expert %lld %s: %lld -> %lld",
					   (long long)who->user_id, criteria[i], (long long)old,
					   (long long)scores[i]);
	}
	return store_end(st, rc);
}

enum tp_rc team_scores_mine(struct store *st, const struct actor *who, int64_t team_id,
			    struct arena *a, struct team_score **out, size_t *n)
{
	*n = 0;
	*out = NULL;
	if (who->role != ROLE_EXPERT)
		return TP_OK;
	return TEAMS_CALL(scores_of, st, who->user_id, team_id, a, out, n);
}

enum tp_rc team_ranking(struct store *st, const struct actor *who, int64_t round_id,
			struct arena *a, struct team_round *round, struct team_rank_row **out,
			size_t *n)
{
	if (who->role != ROLE_OFFICE_REVIEWER && who->role != ROLE_SYSTEM)
		return TP_ERR_NOT_FOUND;
	/* one snapshot: the round, its teams and their scores read in one transaction */
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team *teams = NULL;
	struct team_score *scores = NULL;
	size_t nt = 0, ns = 0;
	rc = team_round_load(st, round_id, a, round);
	struct team_filter f;
	memset(&f, 0, sizeof f);
	f.round_id = round_id;
	if (rc == TP_OK)
		rc = TEAMS_CALL(team_list, st, &f, a, &teams, &nt);
	if (rc == TP_OK)
		rc = TEAMS_CALL(round_scores, st, round_id, a, &scores, &ns);
	store_rollback(st); /* read only */
	if (rc != TP_OK)
		return rc;
	/* withdrawn teams are not ranked */
	size_t k = 0;
	for (size_t i = 0; i < nt; i++)
		if (strcmp(teams[i].status, "withdrawn") != 0)
			teams[k++] = teams[i];
	*n = k;
	return team_rank_compute(round, teams, k, scores, ns, a, out);
}
