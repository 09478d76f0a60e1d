/*
 * applications.c — /api/v1/applications: submit, list, read with history, act
 * (approve / return / reject / withdraw / resubmit / close), and the objections of an
 * application in its public announcement.  The rules are in domain/applications.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/applications.h"
#include "domain/workflow.h"
#include "store/store.h"

/* Writes a JSON text stored by the domain as a value (null when absent or bad). */
static void raw_json(struct jw *w, const char *key, const char *text)
{
	jw_key(w, key);
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (s)
		jw_raw(w, s);
	else
		jw_null(w);
	free(s);
	json_decref(v);
}

static void state_title(struct jw *w, const struct workflow *wf, const char *state, int en)
{
	const struct wf_state *s = wf ? wf_state(wf, state) : NULL;
	jw_kstr(w, "state_title", s ? (en ? s->title_en : s->title_zh) : state);
}

void api_application_write(struct request *rq, struct jw *w, const struct application *a,
			   int detail)
{
	const struct workflow *wf = workflow_find(a->kind);
	const struct wf_state *s = wf ? wf_state(wf, a->state) : NULL;
	struct civil_date today = app_today(tp_now());
	char td[11];
	date_format(today, td);
	jw_obj_begin(w);
	jw_kint(w, "id", a->id);
	jw_kint(w, "version", a->version);
	jw_kstr(w, "kind", a->kind);
	jw_kstr(w, "state", a->state);
	state_title(w, wf, a->state, rq->lang == LANG_EN);
	jw_kstr(w, "acting_role", s && !s->final ? s->role : NULL);
	jw_kstr(w, "beneficiary_kind", a->talent_id ? "talent" : "enterprise");
	jw_kint_opt(w, "talent_id", a->talent_id, 0); /* null: an enterprise's claim */
	jw_kstr(w, "talent_name", a->talent_name);
	jw_kstr(w, "id_number", a->talent_id_mask);
	jw_kint_opt(w, "enterprise_id", a->enterprise_id, 0);
	jw_kstr(w, "enterprise_name", a->enterprise_name);
	jw_kstr(w, "town", a->town);
	jw_kint_opt(w, "claimed_tier", a->claimed_tier, 0);
	jw_kint_opt(w, "proposed_tier", a->proposed_tier, 0);
	jw_kint_opt(w, "final_tier", a->final_tier, 0);
	jw_kstr(w, "tier_reason", a->tier_reason);
	jw_kstr(w, "step_started_on", a->step_started_on);
	jw_kstr(w, "deadline", a->deadline);
	jw_kbool(w, "overdue", a->deadline && !(s && s->final) && strcmp(td, a->deadline) > 0);
	jw_kint(w, "open_objections", a->open_objections);
	jw_kint_opt(w, "certificate_id", a->certificate_id, 0);
	if (a->policy) { /* a benefit application (快申快享) */
		jw_kstr(w, "policy", a->policy);
		jw_kstr(w, "period", a->period);
		jw_kstr(w, "item", a->item ? a->item : "");
	}
	jw_kstr(w, "submitted_role", a->submitted_role);
	jw_kstr(w, "created_at", a->created_at);
	jw_kstr(w, "updated_at", a->updated_at);
	jw_kstr(w, "closed_at", a->closed_at);
	if (detail) {
		raw_json(w, "form", a->form);
		raw_json(w, "proposal", a->proposal);
		raw_json(w, "returned_fields", a->returned_fields);
		jw_kstr(w, "returned_from", a->returned_from);
	}
	jw_obj_end(w);
}

static enum tp_rc strings_of(json_t *arr, struct arena *ar, const char ***out, int *n,
			     struct verrors *ve, const char *field)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return TP_OK;
	if (!json_is_array(arr) || json_array_size(arr) > 10) {
		verr_add(ve, field, "type", "应为不超过 10 项的文本列表",
			 "must be a list of at most 10 texts");
		return TP_ERR_INVALID;
	}
	*out = arena_alloc(ar, sizeof(char *) * (json_array_size(arr) + 1));
	if (!*out)
		return TP_ERR_NOMEM;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || json_string_length(v) > 40) {
			verr_add(ve, field, "type", "每项应为文本", "each item must be a short text");
			return TP_ERR_INVALID;
		}
		(*out)[(*n)++] = arena_strdup(ar, json_string_value(v));
	}
	return TP_OK;
}

static const char *form_text(json_t *form, struct arena *ar)
{
	char *s = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
	const char *r = s ? arena_strdup(ar, s) : NULL;
	free(s);
	return r;
}

void api_applications_submit(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"kind", "talent_id", "claimed_tier", "form",
					     "policy", "period", "item", "enterprise_id", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct application ap;
	memset(&ap, 0, sizeof ap);
	int64_t tid = 0, tier = 0, eid = 0;
	const char *kind = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "kind", 40, 1, &ve, &kind);
	jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 0, &ve, &tid);
	jsonx_int(rq->json, "claimed_tier", 1, 7, 0, &ve, &tier);
	/* an enterprise's claim (enterprise policies, e.g. apprentice-training): no talent */
	jsonx_int(rq->json, "enterprise_id", 1, INT64_MAX, 0, &ve, &eid);
	jsonx_str(rq->json, "policy", 64, 0, &ve, &ap.policy);
	jsonx_str(rq->json, "period", 4, 0, &ve, &ap.period);
	jsonx_str(rq->json, "item", 15, 0, &ve, &ap.item);
	json_t *form = json_object_get(rq->json, "form");
	if (form && !json_is_object(form))
		verr_add(&ve, "form", "type", "form 应为对象", "form must be an object");
	if (eid && (tid || rq->actor.role == ROLE_TALENT)) {
		verr_add(&ve, "enterprise_id", "not_allowed",
			 "企业待遇由企业（用人单位或人才办代为）申请，不同时指明人才",
			 "an enterprise's benefit is claimed by its employer (or the office for it), "
			 "naming no talent");
	} else if (eid && (!kind || strcmp(kind, "benefit") != 0)) {
		verr_add(&ve, "enterprise_id", "not_allowed", "只有待遇申请（kind benefit）可以由企业申请",
			 "only a benefit application (kind benefit) is an enterprise's");
	} else if (eid) {
		/* the enterprise is checked against the caller by the domain (404) */
	} else if (rq->actor.role == ROLE_TALENT) {
		if (tid && tid != rq->actor.talent_id)
			verr_add(&ve, "talent_id", "not_allowed", "只能为本人申请",
				 "a talent applies only for themself");
		tid = rq->actor.talent_id;
		if (!tid)
			verr_add(&ve, "talent_id", "unbound", "账号尚未关联人才档案",
				 "the account is not linked to a talent record yet");
	} else if (!tid) {
		verr_add(&ve, "talent_id", "required", "须指明为哪位人才申请",
			 "talent_id is required (the talent applied for)");
	}
	if (rq->actor.role == ROLE_OFFICE_REVIEWER && !eid) {
		/* the office files an enterprise's claim for it, nothing else */
		resp_problem(rq, rs, 403, "forbidden",
			     "人才办只能代企业提交企业待遇申请（enterprise_id）",
			     "an office reviewer submits only an enterprise's claim (enterprise_id)",
			     NULL);
		return;
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	ap.kind = kind;
	ap.talent_id = tid;
	ap.enterprise_id = eid;
	ap.claimed_tier = (int)tier;
	ap.form = form ? form_text(form, rq->arena) : "{}";
	enum tp_rc rc = application_submit(rq->store, &rq->actor, &ap, tp_now(), &ve);
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT && ve.n) {
		resp_problem(rq, rs, 409, ve.v[0].code, ve.v[0].zh, ve.v[0].en, &ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "open_application", "该人才已有一份办理中的同类申请",
			     "the talent already has an open application of this kind", &ve);
		return;
	}
	if (rc == TP_ERR_NOT_FOUND) {
		api_hidden(rq, rs, eid ? "enterprise" : "talent", eid ? eid : tid);
		return;
	}
	if (rc != TP_OK || (rc = STORE_CALL(application_get, rq->store, ap.id, rq->arena, &ap)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_application_write(rq, &w, &ap, 1);
	resp_jw(rs, 201, &w);
}

void api_applications_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query rqy;
	if (api_read_query(rq, &rqy, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct application_query q;
	memset(&q, 0, sizeof q);
	q.page = rqy.page;
	q.per_page = rqy.per_page;
	q.kind = req_query(rq, "kind");
	q.state = req_query(rq, "state");
	q.town = rqy.town; /* within the scope set below: another town of a town reviewer is empty */
	const char *tid = req_query(rq, "talent_id"), *overdue = req_query(rq, "overdue");
	q.beneficiary = req_query(rq, "beneficiary");
	if (q.beneficiary && strcmp(q.beneficiary, "enterprise") != 0 &&
	    strcmp(q.beneficiary, "talent") != 0)
		verr_add(&ve, "beneficiary", "enum", "beneficiary 应为 talent 或 enterprise",
			 "beneficiary must be talent or enterprise");
	const char *sort = req_query(rq, "sort");
	static const char *const sorts[] = {[APP_NEWEST] = "-id", [APP_OLDEST] = "id",
					    [APP_DEADLINE] = "deadline", [APP_DEADLINE_LAST] = "-deadline",
					    [APP_UPDATED] = "-updated_at"};
	if (sort) {
		size_t k = 0;
		while (k < sizeof sorts / sizeof *sorts && strcmp(sort, sorts[k]) != 0)
			k++;
		if (k == sizeof sorts / sizeof *sorts)
			verr_add(&ve, "sort", "enum",
				 "sort 应为 -id、id、deadline、-deadline 或 -updated_at 之一",
				 "sort must be one of -id, id, deadline, -deadline, -updated_at");
		else
			q.order = (enum app_order)k;
	}
	if (tid && req_parse_id(tid, &q.talent_id) != 0)
		verr_add(&ve, "talent_id", "format", "talent_id 应为正整数", "talent_id must be a positive integer");
	if (q.kind && strlen(q.kind) > 40)
		verr_add(&ve, "kind", "too_long", "kind 过长", "kind is too long");
	if (q.state && strlen(q.state) > 40)
		verr_add(&ve, "state", "too_long", "state 过长", "state is too long");
	char today[11];
	date_format(app_today(tp_now()), today);
	if (overdue && strcmp(overdue, "true") == 0)
		q.overdue_on = today;
	else if (overdue && strcmp(overdue, "false") != 0)
		verr_add(&ve, "overdue", "enum", "overdue 应为 true 或 false", "overdue must be true or false");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	/* narrow to what the caller may see */
	const struct actor *who = &rq->actor;
	int none = 0;
	switch (who->role) {
	case ROLE_TALENT:
		if (q.talent_id && q.talent_id != who->talent_id)
			none = 1;
		q.talent_id = who->talent_id;
		none |= !who->talent_id;
		break;
	case ROLE_EMPLOYER:
		q.enterprise_id = who->enterprise_id;
		none = !who->enterprise_id;
		break;
	case ROLE_TOWN_REVIEWER:
		q.towns = who->towns;
		q.ntowns = who->ntowns;
		none = !who->ntowns;
		break;
	case ROLE_LIAISON:
		q.liaison_id = who->user_id;
		q.towns = who->towns;
		q.ntowns = who->ntowns;
		break;
	case ROLE_OFFICE_REVIEWER:
		break;
	default:
		none = 1;
	}
	struct application_page pg = {0};
	enum tp_rc rc = none ? TP_OK : STORE_CALL(application_list, rq->store, &q, rq->arena, &pg);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < pg.n; i++)
		api_application_write(rq, &w, &pg.items[i], 0);
	api_items_send(rs, &w, q.page ? q.page : 1, q.per_page ? q.per_page : 20, pg.total);
}

/* Loads application params[0] visible to the caller; answers 404 otherwise. */
static int load(struct request *rq, struct response *rs, struct application *a)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(application_get, rq->store, id, rq->arena, a);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && !application_visible(rq->store, &rq->actor, a))) {
		api_hidden(rq, rs, "application", id);
		return -1;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	return 0;
}

static void write_history(struct request *rq, struct jw *w, int64_t id,
			  const struct workflow *wf)
{
	struct app_action *h;
	size_t n = 0;
	jw_key(w, "history");
	jw_arr_begin(w);
	if (STORE_CALL(application_actions, rq->store, id, rq->arena, &h, &n) == TP_OK)
		for (size_t i = 0; i < n; i++) {
			jw_obj_begin(w);
			jw_kint(w, "id", h[i].id);
			jw_kstr(w, "action", h[i].action);
			jw_kstr(w, "from_state", h[i].from_state);
			jw_kstr(w, "to_state", h[i].to_state);
			state_title(w, wf, h[i].to_state, rq->lang == LANG_EN);
			jw_kstr(w, "actor", h[i].actor_name);
			jw_kstr(w, "actor_role", h[i].actor_role);
			jw_kstr(w, "comment", h[i].comment);
			raw_json(w, "detail", h[i].detail);
			jw_kstr(w, "at", h[i].at);
			jw_obj_end(w);
		}
	jw_arr_end(w);
}

void api_applications_get(struct request *rq, struct response *rs)
{
	struct application a;
	if (load(rq, rs, &a) != 0)
		return;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "application");
	api_application_write(rq, &w, &a, 1);
	const struct workflow *wf = workflow_find(a.kind);
	write_history(rq, &w, a.id, wf);
	/* the actions the caller may take now */
	const char *allowed[16];
	int n = wf ? wf_allowed(wf, a.state, allowed, 16) : 0;
	jw_key(&w, "actions");
	jw_arr_begin(&w);
	for (int i = 0; i < n; i++) {
		const struct wf_transition *t = wf_transition(wf, a.state, allowed[i]);
		const char *role = wf_transition_role(wf, t);
		int mine = 0;
		if (role && strcmp(role, "applicant") == 0)
			mine = (rq->actor.role == ROLE_TALENT && rq->actor.talent_id == a.talent_id) ||
			       (rq->actor.role == ROLE_EMPLOYER &&
				(!a.talent_id || strcmp(a.submitted_role, "employer") == 0));
		else if (role && role_name(rq->actor.role))
			mine = strcmp(role, role_name(rq->actor.role)) == 0 &&
			       rq->actor.role != ROLE_LIAISON;
		if (mine)
			jw_str(&w, allowed[i]);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_applications_act(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"action", "comment", "fields", "tier", "tier_reason",
					     "form", "claimed_tier", "version", "item", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t id, tier = 0, claimed = 0, version = 0;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct app_request ar;
	memset(&ar, 0, sizeof ar);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "action", wf_actions_known, 1, &ve, &ar.action);
	jsonx_str(rq->json, "comment", 2000, 0, &ve, &ar.comment);
	jsonx_int(rq->json, "tier", 1, 7, 0, &ve, &tier);
	jsonx_str(rq->json, "tier_reason", 500, 0, &ve, &ar.tier_reason);
	jsonx_int(rq->json, "claimed_tier", 1, 7, 0, &ve, &claimed);
	jsonx_int(rq->json, "version", 1, INT64_MAX, 0, &ve, &version);
	jsonx_str(rq->json, "item", 15, 0, &ve, &ar.item);
	const char **flds;
	strings_of(json_object_get(rq->json, "fields"), rq->arena, &flds, &ar.nfields, &ve, "fields");
	ar.fields = flds;
	json_t *form = json_object_get(rq->json, "form");
	if (form && !json_is_object(form))
		verr_add(&ve, "form", "type", "form 应为对象", "form must be an object");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	ar.tier = (int)tier;
	ar.claimed_tier = (int)claimed;
	ar.version = version;
	ar.form = form ? form_text(form, rq->arena) : NULL;
	struct application out;
	struct app_refusal why;
	enum tp_rc rc = application_act(rq->store, &rq->actor, id, &ar, tp_now(), rq->arena, &out,
					&ve, &why);
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_NOT_FOUND) {
		api_hidden(rq, rs, "application", id);
		return;
	}
	if (rc == TP_ERR_CONFLICT && why.code) {
		/* 409 naming what is allowed now (and who acts) */
		char zh[512], en[512];
		size_t zl = (size_t)snprintf(zh, sizeof zh, "%s", why.zh);
		size_t el = (size_t)snprintf(en, sizeof en, "%s", why.en);
		if (why.nallowed) {
			zl += (size_t)snprintf(zh + zl, sizeof zh - zl, "；当前可执行：");
			el += (size_t)snprintf(en + el, sizeof en - el, "; allowed now: ");
			for (int i = 0; i < why.nallowed; i++) {
				zl += (size_t)snprintf(zh + zl, sizeof zh - zl, "%s%s", i ? "、" : "", why.allowed[i]);
				el += (size_t)snprintf(en + el, sizeof en - el, "%s%s", i ? ", " : "", why.allowed[i]);
			}
		}
		if (why.role) {
			snprintf(zh + zl, sizeof zh - zl, "（由 %s 办理）", why.role);
			snprintf(en + el, sizeof en - el, " (taken by %s)", why.role);
		}
		struct verrors ae;
		verr_init(&ae, rq->arena);
		for (int i = 0; i < why.nallowed; i++)
			verr_add(&ae, "allowed", why.allowed[i], why.allowed[i], why.allowed[i]);
		resp_problem(rq, rs, 409, why.code, arena_strdup(rq->arena, zh), arena_strdup(rq->arena, en), &ae);
		return;
	}
	if (rc != TP_OK) { /* e.g. a benefit's entitlement already confirmed: 409 with the reason */
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	if (STORE_CALL(application_get, rq->store, id, rq->arena, &out) != TP_OK) {
		resp_rc(rq, rs, TP_ERR_DB);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_application_write(rq, &w, &out, 1);
	resp_jw(rs, 200, &w);
}

void api_application_objections(struct request *rq, struct response *rs)
{
	struct application a;
	if (load(rq, rs, &a) != 0)
		return;
	struct objection *o;
	size_t n;
	enum tp_rc rc = STORE_CALL(objection_list, rq->store, a.id, rq->arena, &o, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(&w);
		jw_kint(&w, "id", o[i].id);
		jw_kstr(&w, "reason", o[i].reason);
		jw_kstr(&w, "contact", o[i].contact);
		jw_kstr(&w, "lodged_at", o[i].lodged_at);
		jw_kstr(&w, "status", o[i].status);
		jw_kstr(&w, "resolution", o[i].resolution);
		jw_kint_opt(&w, "resolved_by", o[i].resolved_by, 0);
		jw_kstr(&w, "resolved_at", o[i].resolved_at);
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_application_objection_resolve(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"outcome", "resolution", NULL};
	static const char *const OUTCOMES[] = {"upheld", "dismissed", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t id, oid;
	if (req_parse_id(rq->params[0], &id) != 0 || req_parse_id(rq->params[1], &oid) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	const char *outcome = NULL, *res = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "outcome", OUTCOMES, 1, &ve, &outcome);
	jsonx_str(rq->json, "resolution", 2000, 1, &ve, &res);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = objection_resolve(rq->store, &rq->actor, id, oid, outcome, res, tp_now(), &ve);
	if (rc == TP_ERR_INVALID)
		resp_invalid(rq, rs, &ve);
	else if (rc == TP_ERR_NOT_FOUND)
		api_hidden(rq, rs, "objection", oid);
	else if (rc == TP_ERR_CONFLICT)
		resp_problem(rq, rs, 409, "objection_resolved", "该异议已处理", "the objection was already resolved", NULL);
	else if (rc != TP_OK)
		resp_rc(rq, rs, rc);
	else
		api_application_objections(rq, rs);
}
