/*
 * demo_applications.c — a few talent identification applications in every state of the
 * workflow for the demo database, so each role finds work waiting when it logs in.
 */
#include <string.h>

#include "core/arena.h"
#include "domain/applications.h"
#include "domain/demo.h"
#include "domain/registry.h"
#include "domain/workflow.h"
#include "store/store.h"

#define DAY 86400

/* The steps each demo application goes through (after its submission) and when. */
struct demo_step {
	const char *action;
	int tier;
	const char *fields; /* return: one field to fix */
};

static enum tp_rc walk(struct store *st, int64_t tid, const struct demo_step *steps, int n,
		       int64_t now, struct arena *a)
{
	struct actor sys = actor_system();
	struct verrors ve;
	verr_init(&ve, a);
	struct application ap;
	memset(&ap, 0, sizeof ap);
	ap.kind = "identification";
	ap.talent_id = tid;
	ap.claimed_tier = 6;
	ap.form = "{\"claims\":[],\"statement\":\"演示申请 / demo application\"}";
	/* submitted three weeks ago, one step a day; the last step (a close) today */
	int64_t t = now - 21 * DAY;
	enum tp_rc rc = application_submit(st, &sys, &ap, t, &ve);
	for (int i = 0; rc == TP_OK && i < n; i++) {
		struct app_request rq;
		memset(&rq, 0, sizeof rq);
		rq.action = steps[i].action;
		rq.comment = "演示 / demo";
		rq.tier = steps[i].tier;
		const char *fields[1] = {steps[i].fields};
		if (steps[i].fields) {
			rq.fields = fields;
			rq.nfields = 1;
		}
		struct app_refusal why;
		struct application out;
		t = strcmp(rq.action, "close") == 0 ? now : t + DAY;
		rc = application_act(st, &sys, ap.id, &rq, t, a, &out, &ve, &why);
	}
	return rc == TP_ERR_CONFLICT || rc == TP_ERR_INVALID ? TP_OK : rc; /* kept from before */
}

enum tp_rc demo_applications(struct store *st, const char *town, int64_t now)
{
	static const struct demo_step approve[] = {{"approve", 0, NULL}},
		town_ok[] = {{"approve", 0, NULL}, {"approve", 0, NULL}},
		office_ok[] = {{"approve", 0, NULL}, {"approve", 0, NULL}, {"approve", 6, NULL}},
		returned[] = {{"approve", 0, NULL}, {"return", 0, "statement"}},
		certified[] = {{"approve", 0, NULL}, {"approve", 0, NULL}, {"approve", 6, NULL},
			       {"close", 0, NULL}};
	static const struct {
		const struct demo_step *steps;
		int n;
	} plan[] = {{NULL, 0}, {approve, 1}, {town_ok, 2}, {office_ok, 3}, {returned, 2},
		    {certified, 4}};
	if (!workflow_find("identification") || !town)
		return TP_OK; /* no workflows loaded: nothing to show */
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	enum tp_rc rc = TP_OK;
	size_t made = 0;
	for (int64_t tid = 2; rc == TP_OK && tid < 400 && made < sizeof plan / sizeof plan[0]; tid++) {
		struct talent t;
		rc = STORE_CALL(talent_get, st, tid, a, &t);
		if (rc == TP_ERR_NOT_FOUND) {
			rc = TP_OK;
			break;
		}
		if (rc != TP_OK || !t.town || strcmp(t.town, town) != 0 || !t.enterprise_id)
			continue;
		rc = walk(st, tid, plan[made].steps, plan[made].n, now, a);
		made++;
	}
	arena_free(a);
	return rc;
}
