/*
 * applications.c — moving applications through their workflow (see applications.h).
 *
 * The definitions (workflow.h) say which state allows which action and who takes it;
 * this file checks the caller against that, runs what each action means (the fields a
 * return names, the tier an office approval sets, the certificate a close issues),
 * computes the next deadline in working days, and writes the move, its history row and
 * its audit record in one transaction.
 */
#include "domain/applications.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/benefits.h"
#include "domain/identification.h"
#include "domain/registry.h"
#include "domain/workflow.h"
#include "store/store.h"

struct civil_date app_today(int64_t now)
{
	int64_t s = now + 8 * 3600;
	long days = (long)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
	return date_from_days(days);
}

static int is_working(struct civil_date d, const struct calendar_day *cal, size_t n)
{
	char key[11];
	date_format(d, key);
	for (size_t i = 0; i < n; i++)
		if (strcmp(cal[i].day, key) == 0)
			return strcmp(cal[i].kind, "workday") == 0;
	long days = date_to_days(d);
	int wd = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
	return wd < 5;
}

enum tp_rc calendar_add_working_days(struct store *st, struct civil_date from, int n,
				     struct civil_date *out)
{
	*out = from;
	if (n <= 0)
		return TP_OK;
	long start = date_to_days(from);
	char lo[11], hi[11];
	date_format(date_from_days(start + 1), lo);
	date_format(date_from_days(start + 2L * n + 60), hi);
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct calendar_day *cal;
	size_t ncal;
	enum tp_rc rc = STORE_CALL(calendar_list, st, lo, hi, a, &cal, &ncal);
	long d = start;
	for (int left = n; rc == TP_OK && left > 0;) {
		d++;
		if (is_working(date_from_days(d), cal, ncal))
			left--;
	}
	if (rc == TP_OK)
		*out = date_from_days(d);
	arena_free(a);
	return rc;
}

static int has_town(const struct actor *who, const char *town)
{
	for (int i = 0; town && i < who->ntowns; i++)
		if (strcmp(who->towns[i], town) == 0)
			return 1;
	return 0;
}

int application_visible(struct store *st, const struct actor *who, const struct application *a)
{
	switch (who->role) {
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
		return 1;
	case ROLE_TALENT:
		return who->talent_id && a->talent_id == who->talent_id;
	case ROLE_EMPLOYER:
		return who->enterprise_id && a->enterprise_id == who->enterprise_id;
	case ROLE_TOWN_REVIEWER:
		return has_town(who, a->town);
	case ROLE_LIAISON:
		return has_town(who, a->town) ||
		       STORE_CALL(liaison_has, st, who->user_id, a->talent_id) == TP_OK;
	default:
		return 0;
	}
}

/* 1 when who may take a step whose role is `role` on a. */
static int may_act(const struct actor *who, const struct application *a, const char *role)
{
	if (!role)
		return 0;
	if (who->role == ROLE_SYSTEM)
		return 1;
	if (strcmp(role, "applicant") == 0) {
		if (who->role == ROLE_TALENT)
			return a->talent_id && who->talent_id == a->talent_id;
		/* the employer applied, or it is the enterprise's own claim (whoever filed it) */
		if (who->role == ROLE_EMPLOYER)
			return (!a->talent_id || strcmp(a->submitted_role, "employer") == 0) &&
			       who->enterprise_id && who->enterprise_id == a->enterprise_id;
		return 0;
	}
	if (strcmp(role, role_name(who->role) ? role_name(who->role) : "") != 0)
		return 0;
	switch (who->role) {
	case ROLE_EMPLOYER:
		return who->enterprise_id && who->enterprise_id == a->enterprise_id;
	case ROLE_TOWN_REVIEWER:
		return has_town(who, a->town);
	case ROLE_TALENT:
		return a->talent_id && who->talent_id == a->talent_id;
	default:
		return 1;
	}
}

/* Where a (re)submission goes: the first start rule whose condition holds. */
static const char *start_state(const struct workflow *w, const struct application *a)
{
	for (int i = 0; i < w->nstart; i++) {
		const char *when = w->start[i].when;
		if (!when)
			return w->start[i].to;
		/* a talent's application only: an enterprise's claim is the employer's own */
		if (strcmp(when, "employer_confirms") == 0 && a->talent_id && a->enterprise_id &&
		    strcmp(a->submitted_role, "employer") != 0)
			return w->start[i].to;
	}
	return w->start[w->nstart - 1].to;
}

static const char *iso_now(struct arena *ar, int64_t now)
{
	char ts[24];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(ar, ts);
}

/* Enters state `to` today: step, start date, deadline, closed_at. */
static enum tp_rc enter(struct store *st, const struct workflow *w, struct application *a,
			const char *to, int64_t now, struct arena *ar)
{
	const struct wf_state *s = wf_state(w, to);
	struct civil_date today = app_today(now), dl;
	char buf[11];
	if (!s)
		return TP_ERR_INTERNAL;
	a->state = s->id;
	a->step++;
	date_format(today, buf);
	a->step_started_on = arena_strdup(ar, buf);
	a->deadline = NULL;
	if (s->deadline_days > 0) {
		enum tp_rc rc = calendar_add_working_days(st, today, s->deadline_days, &dl);
		if (rc != TP_OK)
			return rc;
		date_format(dl, buf);
		a->deadline = arena_strdup(ar, buf);
	}
	if (s->final)
		a->closed_at = iso_now(ar, now);
	return TP_OK;
}

static int is_benefit(const struct application *a)
{
	return a->kind && strcmp(a->kind, "benefit") == 0;
}

/* What the application's kind means beyond its states, on (re)submission: the form
 * checked and the proposal made from the facts the platform holds. */
static enum tp_rc prepare(struct store *st, struct application *ap, const struct talent *t,
			  int64_t now, struct verrors *ve)
{
	if (is_benefit(ap))
		return benefit_prepare(st, ap, t, ve);
	if (ap->policy || ap->period || ap->item) {
		verr_add(ve, "policy", "not_allowed", "只有待遇申请（kind benefit）指明政策和年度",
			 "only a benefit application (kind benefit) names a policy and period");
		return TP_ERR_INVALID;
	}
	return identification_prepare(st, ap, t, now, ve);
}

static enum tp_rc record(struct store *st, const struct actor *who, struct application *a,
			 const char *action, const char *from, const char *comment,
			 const char *detail, int64_t now, struct arena *ar)
{
	struct app_action x = {0};
	x.application_id = a->id;
	x.action = action;
	x.from_state = from;
	x.to_state = a->state;
	x.actor_id = who->user_id;
	x.actor_name = who->username && *who->username ? who->username : "system";
	x.actor_role = role_name(who->role) ? role_name(who->role) : "system";
	x.comment = comment;
	x.detail = detail;
	x.at = iso_now(ar, now);
	enum tp_rc rc = STORE_CALL(application_action_insert, st, &x);
	if (rc == TP_OK)
		rc = audit_changef(st, who, arena_printf(ar, "application.%s", action), "application",
				   a->id, "%s>%s v%lld", from ? from : "", a->state,
				   (long long)a->version);
	return rc;
}

/* application_submit() of an enterprise's claim (ap->talent_id 0, ap->enterprise_id the
 * beneficiary): a benefit application only, by the enterprise's employer or the office. */
static enum tp_rc submit_enterprise(struct store *st, const struct actor *who,
				    const struct workflow *w, struct application *ap, int64_t now,
				    struct verrors *ve)
{
	struct arena *ar = ve->arena;
	if (!is_benefit(ap) || !ap->enterprise_id) {
		verr_add(ve, "talent_id", "required", "须指明为哪位人才申请（企业只能申请企业待遇）",
			 "talent_id is required (an enterprise applies for enterprise benefits only)");
		return TP_ERR_INVALID;
	}
	if (ap->claimed_tier) {
		verr_add(ve, "claimed_tier", "not_allowed", "待遇申请不申报层次",
			 "a benefit application claims no tier");
		return TP_ERR_INVALID;
	}
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct enterprise e;
	rc = STORE_CALL(enterprise_get, st, ap->enterprise_id, ar, &e);
	if (rc == TP_OK &&
	    !((who->role == ROLE_EMPLOYER && who->enterprise_id == e.id) ||
	      who->role == ROLE_SYSTEM || who->role == ROLE_OFFICE_REVIEWER))
		rc = TP_ERR_NOT_FOUND;
	if (rc == TP_OK) {
		ap->town = e.town;
		ap->submitted_by = who->user_id;
		ap->submitted_role = role_name(who->role) ? role_name(who->role) : "system";
		rc = prepare(st, ap, NULL, now, ve);
	}
	if (rc == TP_OK) {
		ap->step = 0;
		rc = enter(st, w, ap, start_state(w, ap), now, ar);
		ap->closed_at = NULL;
	}
	if (rc == TP_OK) {
		rc = STORE_CALL(application_insert, st, ap);
		if (rc == TP_ERR_CONFLICT)
			verr_add(ve, "item", "open_application",
				 "该企业已有一份同一政策、年度和项目办理中的申请",
				 "the enterprise already has an open application for this policy, "
				 "period and item");
	}
	if (rc == TP_OK)
		rc = record(st, who, ap, "submit", NULL, "", NULL, now, ar);
	return store_end(st, rc);
}

enum tp_rc application_submit(struct store *st, const struct actor *who,
			      struct application *ap, int64_t now, struct verrors *ve)
{
	struct arena *ar = ve->arena;
	const struct workflow *w = workflow_find(ap->kind);
	if (!w) {
		verr_add(ve, "kind", "enum", "没有这种申请", "no such kind of application");
		return TP_ERR_INVALID;
	}
	if (ap->claimed_tier && (ap->claimed_tier < 1 || ap->claimed_tier > 7))
		verr_add(ve, "claimed_tier", "range", "申请层次应为 1 到 7",
			 "claimed_tier must be 1..7");
	if (ve->n)
		return TP_ERR_INVALID;
	if (!ap->talent_id)
		return submit_enterprise(st, who, w, ap, now, ve);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct talent t;
	rc = STORE_CALL(talent_get, st, ap->talent_id, ar, &t);
	if (rc == TP_OK) {
		int own = (who->role == ROLE_TALENT && who->talent_id == t.id) ||
			  (who->role == ROLE_EMPLOYER && who->enterprise_id &&
			   t.enterprise_id == who->enterprise_id) ||
			  who->role == ROLE_SYSTEM || who->role == ROLE_OFFICE_REVIEWER;
		if (!own)
			rc = TP_ERR_NOT_FOUND;
	}
	if (rc == TP_OK) {
		ap->enterprise_id = t.enterprise_id;
		ap->town = t.town;
		ap->submitted_by = who->user_id;
		ap->submitted_role = role_name(who->role) ? role_name(who->role) : "system";
		rc = prepare(st, ap, &t, now, ve);
	}
	if (rc == TP_OK) {
		ap->step = 0;
		rc = enter(st, w, ap, start_state(w, ap), now, ar);
		ap->closed_at = NULL;
	}
	if (rc == TP_OK) {
		rc = STORE_CALL(application_insert, st, ap);
		if (rc == TP_ERR_CONFLICT && is_benefit(ap))
			verr_add(ve, "policy", "open_application",
				 "该人才已有一份同一政策、年度（和项目）办理中的待遇申请",
				 "the talent already has an open benefit application for this policy, "
				 "period (and item)");
		else if (rc == TP_ERR_CONFLICT)
			verr_add(ve, "talent_id", "open_application",
				 "该人才已有一份办理中的申请", "the talent already has an open application");
	}
	if (rc == TP_OK)
		rc = record(st, who, ap, "submit", NULL, "", NULL, now, ar);
	return store_end(st, rc);
}

static void refuse(struct app_refusal *why, const char *code, const char *zh, const char *en)
{
	why->code = code;
	why->zh = zh;
	why->en = en;
}

/* The form members a return may name. */
static const char *const RETURN_FIELDS[] = {"claimed_tier", "claims", "statement", "files",
					   "employment", NULL};
/* ... of a benefit application: the facts the platform holds (the talent's record, to be
 * corrected before resubmitting), the item, the statement, files, employment. */
static const char *const BENEFIT_RETURN_FIELDS[] = {"facts", "item", "statement", "files",
						   "employment", NULL};

static int known_field(const char *const *known, const char *f)
{
	for (int i = 0; known[i]; i++)
		if (strcmp(known[i], f) == 0)
			return 1;
	return 0;
}

/* Checks rq for its action; fills what the move changes.  TP_ERR_INVALID with ve. */
static enum tp_rc action_fields(const struct app_request *rq, struct application *a,
				const struct wf_state *from, struct arena *ar, struct verrors *ve,
				const char **detail)
{
	const char *act = rq->action;
	size_t clen = rq->comment ? strlen(rq->comment) : 0;
	if (clen > 2000)
		verr_add(ve, "comment", "too_long", "意见不超过 2000 字节", "comment is at most 2000 bytes");
	if ((strcmp(act, "return") == 0 || strcmp(act, "reject") == 0) && clen == 0)
		verr_add(ve, "comment", "required", "退回或不通过须写明意见和理由",
			 "a return or a rejection needs a comment saying why");
	if (strcmp(act, "return") == 0) {
		if (rq->nfields == 0)
			verr_add(ve, "fields", "required", "退回须列出需要修改的项目",
				 "a return must list the fields to fix");
		json_t *arr = json_array();
		for (int i = 0; i < rq->nfields; i++) {
			if (is_benefit(a) && !known_field(BENEFIT_RETURN_FIELDS, rq->fields[i]))
				verr_addf(ve, "fields", "enum",
					  "“%s” 不是可修改的项目（facts、item、statement、files、employment）",
					  "'%s' is not a field that can be fixed (facts, item, statement, files, employment)",
					  rq->fields[i]);
			else if (!is_benefit(a) && !known_field(RETURN_FIELDS, rq->fields[i]))
				verr_addf(ve, "fields", "enum",
					  "“%s” 不是可修改的项目（claimed_tier、claims、statement、files、employment）",
					  "'%s' is not a field that can be fixed (claimed_tier, claims, statement, files, employment)",
					  rq->fields[i]);
			json_array_append_new(arr, json_string(rq->fields[i]));
		}
		char *txt = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		a->returned_fields = txt ? arena_strdup(ar, txt) : NULL;
		a->returned_from = from->id;
		*detail = a->returned_fields;
		free(txt);
	}
	if (strcmp(act, "approve") == 0 && !is_benefit(a) &&
	    strcmp(from->role ? from->role : "", "office_reviewer") == 0) {
		int tier = rq->tier ? rq->tier : a->claimed_tier ? a->claimed_tier : a->proposed_tier;
		if (rq->tier && (rq->tier < 1 || rq->tier > 7))
			verr_add(ve, "tier", "range", "认定层次应为 1 到 7", "tier must be 1..7");
		else if (!tier)
			verr_add(ve, "tier", "required", "须确定认定层次", "the tier to certify is required");
		else if (tier != (a->claimed_tier ? a->claimed_tier : a->proposed_tier) &&
			 (!rq->tier_reason || !*rq->tier_reason))
			verr_add(ve, "tier_reason", "required", "改定层次须说明理由",
				 "setting another tier than the one claimed needs a reason");
		a->final_tier = tier;
		a->tier_reason = rq->tier_reason;
		*detail = arena_printf(ar, "{\"tier\":%d}", tier);
	} else if (rq->tier || rq->tier_reason) {
		verr_add(ve, "tier", "not_allowed",
			 is_benefit(a) ? "待遇申请不确定层次" : "只有人才办审核通过时可以确定层次",
			 is_benefit(a) ? "a benefit application sets no tier"
				       : "only the office's approval sets the tier");
	}
	if (strcmp(act, "resubmit") == 0) {
		if (rq->form)
			a->form = rq->form; /* checked again, with a new proposal, by the caller */
		if (rq->item && is_benefit(a))
			a->item = rq->item; /* a per-item policy: the item corrected */
		if (rq->claimed_tier) {
			if (rq->claimed_tier < 1 || rq->claimed_tier > 7)
				verr_add(ve, "claimed_tier", "range", "申请层次应为 1 到 7",
					 "claimed_tier must be 1..7");
			a->claimed_tier = rq->claimed_tier;
		}
		a->returned_fields = NULL;
		a->returned_from = NULL;
	} else if (rq->form || rq->claimed_tier || rq->item) {
		verr_add(ve, "form", "not_allowed", "只有重新提交时可以修改申请内容",
			 "the form can only change when resubmitting");
	}
	return ve->n ? TP_ERR_INVALID : TP_OK;
}

enum tp_rc application_act(struct store *st, const struct actor *who, int64_t id,
			   const struct app_request *rq, int64_t now, struct arena *ar,
			   struct application *out, struct verrors *ve, struct app_refusal *why)
{
	memset(why, 0, sizeof(*why));
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct application a;
	const struct workflow *w = NULL;
	const struct wf_transition *t = NULL;
	const struct wf_state *from = NULL;
	const char *detail = NULL;
	rc = STORE_CALL(application_get, st, id, ar, &a);
	if (rc == TP_OK && !application_visible(st, who, &a))
		rc = TP_ERR_NOT_FOUND;
	if (rc == TP_OK && !(w = workflow_find(a.kind)))
		rc = TP_ERR_INTERNAL;
	if (rc == TP_OK) {
		from = wf_state(w, a.state);
		if (rq->version && rq->version != a.version) {
			refuse(why, "stale_version", "申请已被他人处理或修改，请刷新后再操作",
			       "the application changed since you read it; reload it");
			rc = TP_ERR_CONFLICT;
		} else if (!(t = wf_transition(w, a.state, rq->action))) {
			refuse(why, "action_not_allowed", "当前状态不允许该操作",
			       "the application's state does not allow this action");
			why->nallowed = wf_allowed(w, a.state, why->allowed, 16);
			rc = TP_ERR_CONFLICT;
		} else if (!may_act(who, &a, wf_transition_role(w, t))) {
			refuse(why, "not_your_step", "当前环节不由您办理", "this step is not yours to take");
			why->role = wf_transition_role(w, t);
			why->nallowed = wf_allowed(w, a.state, why->allowed, 16);
			rc = TP_ERR_CONFLICT;
		}
	}
	if (rc == TP_OK)
		rc = action_fields(rq, &a, from, ar, ve, &detail);
	if (rc == TP_OK && strcmp(rq->action, "resubmit") == 0) {
		/* the corrected application is checked like a new one, and proposed again */
		struct talent tal;
		if (!a.talent_id) /* an enterprise's claim */
			rc = prepare(st, &a, NULL, now, ve);
		else if ((rc = STORE_CALL(talent_get, st, a.talent_id, ar, &tal)) == TP_OK)
			rc = prepare(st, &a, &tal, now, ve);
	}
	if (rc == TP_OK && t->when && strcmp(t->when, "announcement_clear") == 0) {
		char today[11];
		date_format(app_today(now), today);
		if (a.deadline && strcmp(today, a.deadline) <= 0) {
			refuse(why, "condition_not_met", "公示期尚未结束", "the announcement period has not ended");
			rc = TP_ERR_CONFLICT;
		} else if (a.open_objections) {
			refuse(why, "condition_not_met", "尚有未处理的异议，须先处理",
			       "objections are still open: resolve them first");
			rc = TP_ERR_CONFLICT;
		}
	}
	int64_t version = a.version;
	const char *from_id = a.state;
	if (rc == TP_OK)
		rc = enter(st, w, &a, strcmp(t->to, "start") == 0 ? start_state(w, &a) : t->to, now, ar);
	if (rc == TP_OK && strcmp(rq->action, "close") == 0 && !is_benefit(&a))
		rc = identification_certify(st, who, &a, now, ve);
	/* a benefit approved for good: its entitlements confirmed in this transaction */
	if (rc == TP_OK && is_benefit(&a) && strcmp(rq->action, "approve") == 0 &&
	    wf_state(w, a.state) && wf_state(w, a.state)->final)
		rc = benefit_grant(st, who, &a, now, ve);
	if (rc == TP_OK) {
		rc = STORE_CALL(application_move, st, &a, version);
		if (rc == TP_ERR_CONFLICT)
			refuse(why, "stale_version", "申请已被他人处理，请刷新", "someone else acted first; reload");
	}
	if (rc == TP_OK) {
		a.version = version + 1;
		rc = record(st, who, &a, rq->action, from_id, rq->comment, detail, now, ar);
	}
	rc = store_end(st, rc);
	if (rc == TP_OK)
		*out = a;
	return rc;
}

enum tp_rc objection_lodge(struct store *st, int64_t application_id, struct objection *o,
			   const char *ip, int64_t now, struct verrors *ve)
{
	struct arena *ar = ve->arena;
	size_t rl = o->reason ? jsonx_utf8_len(o->reason) : 0;
	if (rl < 5 || rl > 1000)
		verr_add(ve, "reason", "length", "异议理由为 5 到 1000 个字",
			 "reason must be 5 to 1000 characters");
	if (o->contact && jsonx_utf8_len(o->contact) > 100)
		verr_add(ve, "contact", "too_long", "联系方式不超过 100 个字",
			 "contact is at most 100 characters");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct application a;
	const struct workflow *w;
	rc = STORE_CALL(application_get, st, application_id, ar, &a);
	if (rc == TP_OK && (!(w = workflow_find(a.kind)) || !wf_state(w, a.state) ||
			    !wf_state(w, a.state)->public))
		rc = TP_ERR_NOT_FOUND;
	if (rc == TP_OK) {
		o->application_id = application_id;
		o->lodged_at = iso_now(ar, now);
		rc = STORE_CALL(objection_insert, st, o);
	}
	if (rc == TP_OK) {
		struct actor anon;
		memset(&anon, 0, sizeof anon);
		anon.username = "";
		anon.ip = ip ? ip : "";
		rc = audit_changef(st, &anon, "objection.lodge", "application", application_id,
				   "objection %lld", (long long)o->id);
	}
	return store_end(st, rc);
}

enum tp_rc objection_resolve(struct store *st, const struct actor *who, int64_t application_id,
			     int64_t objection_id, const char *outcome, const char *resolution,
			     int64_t now, struct verrors *ve)
{
	struct arena *ar = ve->arena;
	if (!outcome || (strcmp(outcome, "upheld") != 0 && strcmp(outcome, "dismissed") != 0))
		verr_add(ve, "outcome", "enum", "处理结果应为 upheld（成立）或 dismissed（不成立）",
			 "outcome must be upheld or dismissed");
	if (!resolution || jsonx_utf8_len(resolution) < 2 || jsonx_utf8_len(resolution) > 2000)
		verr_add(ve, "resolution", "length", "须写明处理意见（2 到 2000 个字）",
			 "resolution must say how it was resolved (2 to 2000 characters)");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct application a;
	rc = STORE_CALL(application_get, st, application_id, ar, &a);
	if (rc == TP_OK && !application_visible(st, who, &a))
		rc = TP_ERR_NOT_FOUND;
	if (rc == TP_OK) {
		struct objection o = {0};
		o.id = objection_id;
		o.application_id = application_id;
		o.status = outcome;
		o.resolution = resolution;
		o.resolved_by = who->user_id;
		o.resolved_at = iso_now(ar, now);
		rc = STORE_CALL(objection_resolve, st, &o);
		if (rc == TP_ERR_NOT_FOUND) {
			/* resolved already, or not this application's */
			struct objection *items;
			size_t n;
			if (STORE_CALL(objection_list, st, application_id, ar, &items, &n) == TP_OK)
				for (size_t i = 0; i < n; i++)
					if (items[i].id == objection_id)
						rc = TP_ERR_CONFLICT;
		}
	}
	if (rc == TP_OK)
		rc = audit_changef(st, who, "objection.resolve", "application", application_id,
				   "objection %lld %s", (long long)objection_id, outcome);
	return store_end(st, rc);
}

enum tp_rc applications_remind(struct store *st, int64_t now, int64_t *made)
{
	struct arena *ar = arena_new();
	if (!ar)
		return TP_ERR_NOMEM;
	char today[11];
	date_format(app_today(now), today);
	struct application_query q = {0};
	q.overdue_on = today;
	q.unreminded = 1; /* listing reminders must not rewrite the ones already made */
	q.per_page = 500;
	*made = 0;
	struct actor sys = actor_system();
	enum tp_rc rc = TP_OK;
	/* always the first page: the applications reminded below drop out of the query */
	q.page = 1;
	while (rc == TP_OK) {
		struct application_page pg;
		rc = STORE_CALL(application_list, st, &q, ar, &pg);
		if (rc != TP_OK || pg.n == 0)
			break;
		for (size_t i = 0; i < pg.n && rc == TP_OK; i++) {
			struct application *a = &pg.items[i];
			const struct workflow *w = workflow_find(a->kind);
			const struct wf_state *s = w ? wf_state(w, a->state) : NULL;
			struct reminder r = {0};
			r.application_id = a->id;
			r.step = a->step;
			r.state = a->state;
			r.role = s && s->role ? s->role : "";
			r.town = a->town;
			r.deadline = a->deadline;
			r.created_at = iso_now(ar, now);
			if ((rc = store_begin(st)) != TP_OK)
				break;
			rc = STORE_CALL(reminder_insert, st, &r);
			if (rc == TP_OK) {
				rc = audit_changef(st, &sys, "application.overdue", "application", a->id,
						   "step %lld %s deadline %s", (long long)a->step, a->state,
						   a->deadline);
				if (rc == TP_OK)
					(*made)++;
			}
			if (rc == TP_ERR_CONFLICT) {
				store_rollback(st);
				rc = TP_OK;
			} else {
				rc = store_end(st, rc);
			}
		}
		if (pg.n < (size_t)q.per_page)
			break;
	}
	arena_free(ar);
	return rc;
}

enum tp_rc calendar_set(struct store *st, const struct actor *who, const char *day,
			const char *kind, const char *name, struct verrors *ve)
{
	struct civil_date d;
	if (!day || date_parse(day, &d) != 0)
		verr_add(ve, "day", "date", "日期应为 YYYY-MM-DD", "day must be a date YYYY-MM-DD");
	if (kind && strcmp(kind, "holiday") != 0 && strcmp(kind, "workday") != 0)
		verr_add(ve, "kind", "enum", "类型应为 holiday（放假）或 workday（调休上班）",
			 "kind must be holiday or workday");
	if (name && jsonx_utf8_len(name) > 50)
		verr_add(ve, "name", "too_long", "名称不超过 50 个字", "name is at most 50 characters");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct calendar_day cd = {day, kind, name};
	rc = STORE_CALL(calendar_put, st, &cd);
	if (rc == TP_OK) {
		rc = audit_append(st, who, kind ? "calendar.set" : "calendar.clear", "calendar", day,
				  "ok", "", kind ? kind : "", kind ? strlen(kind) : 0);
	}
	return store_end(st, rc);
}
