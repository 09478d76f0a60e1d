/*
 * workflows.c — the workflow definitions (/api/v1/workflows/{kind}), the working-day
 * calendar (/api/v1/calendar) and the reminders of overdue steps (/api/v1/reminders).
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

void api_workflows_get(struct request *rq, struct response *rs)
{
	const struct workflow *wf = workflow_find(rq->params[0]);
	if (!wf) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "id", wf->id);
	jw_key(&w, "title");
	jw_obj_begin(&w);
	jw_kstr(&w, "zh", wf->title_zh);
	jw_kstr(&w, "en", wf->title_en);
	jw_obj_end(&w);
	jw_key(&w, "start");
	jw_arr_begin(&w);
	for (int i = 0; i < wf->nstart; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "to", wf->start[i].to);
		jw_kstr(&w, "when", wf->start[i].when);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "states");
	jw_arr_begin(&w);
	for (int i = 0; i < wf->nstates; i++) {
		const struct wf_state *s = &wf->states[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "id", s->id);
		jw_key(&w, "title");
		jw_obj_begin(&w);
		jw_kstr(&w, "zh", s->title_zh);
		jw_kstr(&w, "en", s->title_en);
		jw_obj_end(&w);
		jw_kstr(&w, "role", s->role);
		jw_kint(&w, "deadline_days", s->deadline_days);
		jw_kbool(&w, "final", s->final);
		jw_kbool(&w, "public", s->public);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "transitions");
	jw_arr_begin(&w);
	for (int i = 0; i < wf->ntrans; i++) {
		const struct wf_transition *t = &wf->trans[i];
		jw_obj_begin(&w);
		jw_kstr(&w, "from", t->from);
		jw_kstr(&w, "action", t->action);
		jw_kstr(&w, "to", t->to);
		jw_kstr(&w, "role", wf_transition_role(wf, t));
		jw_kstr(&w, "when", t->when);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_calendar_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *ys = req_query(rq, "year");
	int year = app_today(tp_now()).y;
	if (ys) {
		char *end;
		long y = strtol(ys, &end, 10);
		if (*end || y < 1970 || y > 9999)
			verr_add(&ve, "year", "range", "year 应为 1970 到 9999", "year must be 1970..9999");
		year = (int)y;
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct calendar_day *d;
	size_t n;
	enum tp_rc rc = STORE_CALL(calendar_list, rq->store, from, to, rq->arena, &d, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(&w);
		jw_kstr(&w, "day", d[i].day);
		jw_kstr(&w, "kind", d[i].kind);
		jw_kstr(&w, "name", d[i].name);
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_calendar_put(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"kind", "name", NULL};
	static const char *const KINDS[] = {"holiday", "workday", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *kind = NULL, *name = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "kind", KINDS, 1, &ve, &kind);
	jsonx_str(rq->json, "name", 50, 0, &ve, &name);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = calendar_set(rq->store, &rq->actor, rq->params[0], kind, name, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "day", rq->params[0]);
	jw_kstr(&w, "kind", kind);
	jw_kstr(&w, "name", name ? name : "");
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_calendar_delete(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	enum tp_rc rc = calendar_set(rq->store, &rq->actor, rq->params[0], NULL, NULL, &ve);
	if (rc == TP_ERR_INVALID)
		resp_invalid(rq, rs, &ve);
	else if (rc != TP_OK)
		resp_rc(rq, rs, rc);
	else
		resp_bytes(rs, 204, "text/plain", "", 0);
}

void api_reminders_list(struct request *rq, struct response *rs)
{
	int64_t made = 0;
	/* overdue steps are found when someone looks (and by `talentport workflow remind`) */
	enum tp_rc rc = applications_remind(rq->store, tp_now(), &made);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	const char *role = rq->actor.role == ROLE_TOWN_REVIEWER ? "town_reviewer" : NULL;
	struct reminder *r;
	size_t n = 0;
	rc = STORE_CALL(reminder_list, rq->store, role, rq->actor.towns,
			rq->actor.role == ROLE_TOWN_REVIEWER ? rq->actor.ntowns : 0, rq->arena, &r, &n);
	if (rc == TP_OK && rq->actor.role == ROLE_TOWN_REVIEWER && !rq->actor.ntowns)
		n = 0;
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(&w);
		jw_kint(&w, "id", r[i].id);
		jw_kint(&w, "application_id", r[i].application_id);
		jw_kstr(&w, "state", r[i].state);
		jw_kstr(&w, "role", r[i].role);
		jw_kstr(&w, "town", r[i].town);
		jw_kstr(&w, "deadline", r[i].deadline);
		jw_kstr(&w, "created_at", r[i].created_at);
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}
