/*
 * teams.c — team applications: apply, see, withdraw, and the office's decision of the
 * support tier (domain/teams.h; docs/team-review.md).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/teams_int.h"
#include "store/teams.h"

int team_visible(struct store *st, const struct actor *who, const struct team *t)
{
	switch (who->role) {
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
		return 1;
	case ROLE_EXPERT:
		return TEAMS_CALL(panel_has, st, t->round_id, who->user_id) == TP_OK;
	case ROLE_TALENT:
		if (!who->talent_id)
			return 0;
		if (t->leader_talent_id == who->talent_id)
			return 1;
		for (size_t i = 0; i < t->nmembers; i++)
			if (t->members[i].talent_id == who->talent_id)
				return 1;
		return 0;
	case ROLE_EMPLOYER:
		return who->enterprise_id && t->enterprise_id == who->enterprise_id;
	default:
		return 0;
	}
}

static size_t text_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/* The leader: a talent leads its own team; an employer names one of its staff. */
static enum tp_rc resolve_leader(struct store *st, const struct actor *who, struct team *t,
				 struct verrors *ve)
{
	struct talent rec;
	if (who->role == ROLE_TALENT) {
		if (!who->talent_id) {
			verr_add(ve, "leader_talent_id", "no_talent_record",
				 "您的账号尚未关联人才档案，不能以团队带头人身份申报",
				 "your account has no talent record; it cannot lead a team");
			return TP_ERR_INVALID;
		}
		if (t->leader_talent_id && t->leader_talent_id != who->talent_id) {
			verr_add(ve, "leader_talent_id", "leader_not_self",
				 "人才账号只能以本人为带头人申报",
				 "a talent applies with themself as the leader");
			return TP_ERR_INVALID;
		}
		t->leader_talent_id = who->talent_id;
	} else if (who->role == ROLE_EMPLOYER) {
		if (!t->leader_talent_id) {
			verr_add(ve, "leader_talent_id", "required", "团队带头人必填",
				 "leader_talent_id is required");
			return TP_ERR_INVALID;
		}
	}
	enum tp_rc rc = STORE_CALL(talent_get, st, t->leader_talent_id, ve->arena, &rec);
	if (rc == TP_OK && who->role == ROLE_EMPLOYER && rec.enterprise_id != who->enterprise_id)
		rc = TP_ERR_NOT_FOUND; /* not its staff: answered as for a missing record */
	if (rc == TP_ERR_NOT_FOUND) {
		verr_add(ve, "leader_talent_id", "leader_not_found",
			 "带头人须为已登记的人才（用人单位只能选择本单位人员）",
			 "the leader must be a registered talent (an employer's own staff)");
		return TP_ERR_INVALID;
	}
	if (rc != TP_OK)
		return rc;
	t->leader_name = rec.name;
	if (who->role == ROLE_EMPLOYER) {
		if (t->enterprise_id && t->enterprise_id != who->enterprise_id) {
			verr_add(ve, "enterprise_id", "not_your_enterprise",
				 "用人单位只能以本单位名义申报", "an employer applies for its own enterprise");
			return TP_ERR_INVALID;
		}
		t->enterprise_id = who->enterprise_id;
	} else if (t->enterprise_id && t->enterprise_id != rec.enterprise_id) {
		verr_add(ve, "enterprise_id", "not_leaders_employer",
			 "申报单位须为带头人当前所在单位",
			 "enterprise_id must be the leader's current employer");
		return TP_ERR_INVALID;
	}
	return TP_OK;
}

/* Members named by talent_id must be talents the applicant may see (an employer's staff;
 * a talent sees no other record): their names are then the registry's. */
static enum tp_rc resolve_members(struct store *st, const struct actor *who, struct team *t,
				  struct verrors *ve)
{
	for (size_t i = 0; i < t->nmembers; i++) {
		struct team_member *m = &t->members[i];
		if (!m->talent_id)
			continue;
		struct talent rec;
		enum tp_rc rc = STORE_CALL(talent_get, st, m->talent_id, ve->arena, &rec);
		int visible = rc == TP_OK &&
			      (who->role == ROLE_OFFICE_REVIEWER || who->role == ROLE_SYSTEM ||
			       (who->role == ROLE_EMPLOYER && rec.enterprise_id == who->enterprise_id) ||
			       (who->role == ROLE_TALENT && rec.id == who->talent_id));
		if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
			return rc;
		if (!visible) {
			verr_addf(ve, arena_printf(ve->arena, "members[%zu].talent_id", i),
				  "member_not_found",
				  "成员 %zu 须为您可查看的已登记人才，否则只填姓名",
				  "member %zu must be a registered talent you may see, or be given by name only",
				  i);
			continue;
		}
		m->name = rec.name;
	}
	return ve->n ? TP_ERR_INVALID : TP_OK;
}

enum tp_rc team_apply(struct store *st, const struct actor *who, struct team *t, int64_t now,
		      struct verrors *ve)
{
	if (!text_len(t->name))
		verr_add(ve, "name", "required", "团队名称必填", "name is required");
	if (!text_len(t->project_title))
		verr_add(ve, "project_title", "required", "项目名称必填", "project_title is required");
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct team_member *m = &t->members[i];
		if (!m->talent_id && !text_len(m->name))
			verr_add(ve, arena_printf(ve->arena, "members[%zu].name", i), "required",
				 "成员须给出人才编号或姓名", "a member needs a talent_id or a name");
		if (!text_len(m->role))
			verr_add(ve, arena_printf(ve->arena, "members[%zu].role", i), "required",
				 "成员在团队中的角色必填", "a member's role in the team is required");
	}
	if (ve->n)
		return TP_ERR_INVALID;
	char at[24];
	team_time(now, at);
	t->created_at = arena_strdup(ve->arena, at);
	t->submitted_by = who->user_id;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team_round r;
	rc = TEAMS_CALL(round_get, st, t->round_id, ve->arena, &r);
	if (rc == TP_ERR_NOT_FOUND) {
		verr_add(ve, "round_id", "unknown_round", "没有这一轮团队评审",
			 "no such team-review round");
		rc = TP_ERR_INVALID;
	}
	if (rc == TP_OK && strcmp(r.status, "open") != 0)
		rc = team_state_error(ve, "round_id", "round_not_open",
				      "该轮评审已停止申报", "the round no longer takes applications");
	if (rc == TP_OK)
		rc = resolve_leader(st, who, t, ve);
	if (rc == TP_OK)
		rc = resolve_members(st, who, t, ve);
	if (rc == TP_OK)
		rc = TEAMS_CALL(team_insert, st, t);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team.apply", "team", t->id,
				   "round=%lld leader=%lld enterprise=%lld members=%zu name=%s",
				   (long long)t->round_id, (long long)t->leader_talent_id,
				   (long long)t->enterprise_id, t->nmembers, t->name);
	return store_end(st, rc);
}

enum tp_rc team_get(struct store *st, const struct actor *who, int64_t id, struct arena *a,
		    struct team *out)
{
	enum tp_rc rc = TEAMS_CALL(team_get, st, id, a, out);
	if (rc == TP_OK && !team_visible(st, who, out))
		rc = TP_ERR_NOT_FOUND;
	return rc;
}

enum tp_rc team_list(struct store *st, const struct actor *who, struct team_filter *f,
		     struct arena *a, struct team **out, size_t *n)
{
	switch (who->role) {
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
		break;
	case ROLE_EXPERT:
		f->expert_id = who->user_id;
		break;
	case ROLE_TALENT:
		f->talent_id = who->talent_id ? who->talent_id : -1;
		break;
	case ROLE_EMPLOYER:
		f->enterprise_id = who->enterprise_id ? who->enterprise_id : -1;
		break;
	default:
		*out = NULL;
		*n = 0;
		return TP_OK;
	}
	return TEAMS_CALL(team_list, st, f, a, out, n);
}

enum tp_rc team_withdraw(struct store *st, const struct actor *who, int64_t id, int64_t now,
			 struct verrors *ve)
{
	(void)now;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team t;
	struct team_round r;
	rc = team_get(st, who, id, ve->arena, &t);
	if (rc == TP_OK && who->role == ROLE_TALENT && t.leader_talent_id != who->talent_id) {
		verr_add(ve, "id", "not_leader", "只有团队带头人可以撤回申报",
			 "only the team's leader may withdraw it");
		rc = TP_ERR_INVALID;
	}
	if (rc == TP_OK)
		rc = TEAMS_CALL(round_get, st, t.round_id, ve->arena, &r);
	if (rc == TP_OK && (strcmp(t.status, "submitted") != 0 || strcmp(r.status, "open") != 0))
		rc = team_state_error(ve, "status", "not_withdrawable",
				      "评分开始后或已撤回的申报不能撤回",
				      "an application can be withdrawn only before scoring starts");
	if (rc == TP_OK) {
		t.status = "withdrawn";
		rc = TEAMS_CALL(team_update, st, &t);
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team.withdraw", "team", id, "status submitted -> withdrawn");
	return store_end(st, rc);
}

enum tp_rc team_decide(struct store *st, const struct actor *who, int64_t id, const char *tier,
		       const char *reason, int64_t now, struct verrors *ve)
{
	static const char *const TIERS[] = {"A", "B", "C", "none"};
	int ok = 0;
	for (size_t i = 0; tier && i < 4; i++)
		ok |= strcmp(tier, TIERS[i]) == 0;
	if (!ok)
		verr_add(ve, "tier", "enum", "支持档次应为 A、B、C 或 none",
			 "tier must be A, B, C or none");
	if (!text_len(reason))
		verr_add(ve, "reason", "required", "决定须说明理由", "a decision needs a reason");
	if (ve->n)
		return TP_ERR_INVALID;
	char at[24];
	team_time(now, at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct team t;
	struct team_round r;
	rc = team_get(st, who, id, ve->arena, &t);
	if (rc == TP_OK)
		rc = TEAMS_CALL(round_get, st, t.round_id, ve->arena, &r);
	if (rc == TP_OK && strcmp(r.status, "decided") != 0)
		rc = team_state_error(ve, "status", "round_not_closed",
				      "评分结束（close）后才能决定支持档次",
				      "the tier is decided after scoring is closed");
	if (rc == TP_OK && strcmp(t.status, "withdrawn") == 0)
		rc = team_state_error(ve, "status", "team_withdrawn", "该申报已撤回",
				      "the application was withdrawn");
	const char *before = rc == TP_OK && t.support_tier ? t.support_tier : "-";
	if (rc == TP_OK) {
		t.status = "decided";
		t.support_tier = tier;
		t.reason = reason;
		t.decided_by = who->user_id;
		t.decided_at = at;
		rc = TEAMS_CALL(team_update, st, &t);
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "team.decide", "team", id, "tier %s -> %s reason=%s",
				   before, tier, reason);
	return store_end(st, rc);
}
