/*
 * announcements.c — the public announcement (公示): /api/v1/announcements lists the
 * applications in a public state of their workflow with masked personal data, and
 * anyone may lodge an objection (rate limited per address).  No login.
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/applications.h"
#include "domain/workflow.h"
#include "http/auth.h"
#include "store/store.h"

/* "张*" / "欧阳**": the first character of the name, the rest masked. */
static const char *mask_name(struct arena *a, const char *name)
{
	if (!name || !*name)
		return "";
	const unsigned char *s = (const unsigned char *)name;
	size_t first = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	size_t rest = jsonx_utf8_len(name) - 1;
	char *out = arena_alloc(a, first + rest + 1);
	if (!out)
		return "";
	memcpy(out, name, first);
	memset(out + first, '*', rest);
	out[first + rest] = '\0';
	return out;
}

static void announcement_write(struct request *rq, struct jw *w, const struct application *a)
{
	const struct workflow *wf = workflow_find(a->kind);
	jw_obj_begin(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "kind", a->kind);
	jw_kstr(w, "title", wf ? (rq->lang == LANG_EN ? wf->title_en : wf->title_zh) : a->kind);
	jw_kstr(w, "name", mask_name(rq->arena, a->talent_name));
	jw_kstr(w, "id_number", a->talent_id_mask);
	jw_kstr(w, "enterprise_name", a->enterprise_name);
	jw_kstr(w, "town", a->town);
	jw_kint_opt(w, "tier", a->final_tier, 0);
	jw_kstr(w, "from", a->step_started_on);
	jw_kstr(w, "until", a->deadline);
	jw_obj_end(w);
}

/* The public states of every workflow (at most 16 names; states of one name in two
 * workflows are listed once: the query matches the state name). */
static int public_states(const char **out)
{
	int n = 0;
	const struct workflow *wf;
	for (int k = 0; (wf = workflow_nth(k)) != NULL; k++)
		for (int i = 0; i < wf->nstates && n < 16; i++) {
			int seen = 0;
			for (int j = 0; j < n; j++)
				seen |= strcmp(out[j], wf->states[i].id) == 0;
			if (wf->states[i].public && !seen)
				out[n++] = wf->states[i].id;
		}
	return n;
}

static int is_public(const struct application *a)
{
	const struct workflow *wf = workflow_find(a->kind);
	const struct wf_state *s = wf ? wf_state(wf, a->state) : NULL;
	return s && s->public;
}

void api_announcements_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query rqy;
	if (api_read_query(rq, &rqy, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	const char *states[16];
	struct application_query q;
	memset(&q, 0, sizeof q);
	q.states = states;
	q.nstates = public_states(states);
	q.page = rqy.page;
	q.per_page = rqy.per_page;
	struct application_page pg = {0};
	enum tp_rc rc = q.nstates ? STORE_CALL(application_list, rq->store, &q, rq->arena, &pg) : TP_OK;
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < pg.n; i++)
		announcement_write(rq, &w, &pg.items[i]);
	api_items_send(rs, &w, q.page ? q.page : 1, q.per_page ? q.per_page : 20, pg.total);
}

void api_announcements_get(struct request *rq, struct response *rs)
{
	int64_t id;
	struct application a;
	if (req_parse_id(rq->params[0], &id) != 0 ||
	    STORE_CALL(application_get, rq->store, id, rq->arena, &a) != TP_OK || !is_public(&a)) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct jw w;
	jw_init(&w);
	announcement_write(rq, &w, &a);
	resp_jw(rs, 200, &w);
}

void api_announcements_object(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"reason", "contact", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_rate_refused(rq, rs, http_ratelimit(rq->ip)))
		return;
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct objection o;
	memset(&o, 0, sizeof o);
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 1000, 1, &ve, &o.reason);
	jsonx_str(rq->json, "contact", 100, 0, &ve, &o.contact);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = objection_lodge(rq->store, id, &o, rq->ip, tp_now(), &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", o.id);
	jw_kstr(&w, "status", "open");
	jw_kstr(&w, "detail", rq->lang == LANG_EN ? "received; the talent office will look into it"
						  : "已收到，人才办将核查处理");
	jw_obj_end(&w);
	resp_jw(rs, 201, &w);
}
