/*
 * talents.c — /api/v1/talents: the talent registry.
 *
 * JSON in (create, patch) is read field by field with jsonx_*; every broken rule
 * is a field error.  JSON out masks ID numbers and phones (PIPL: shown masked
 * unless the viewer's role may see them).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/talent_json.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/talents.h"
#include "store/store.h"

/* A talent's full record (masked), as every single-talent answer renders it. */
static void send_talent(struct response *rs, unsigned status, const struct talent *t)
{
	struct jw w;
	jw_init(&w);
	api_talent_write(&w, t, 1);
	resp_jw(rs, status, &w);
}

/*
 * Answers a create (201 + Location) or a patch (200) with the saved record, or the
 * problem its result calls for: 422 with the field errors, 409 id_number_taken (the
 * domain adds that error) or stale_version, else the store's error.
 */
static void answer_saved(struct request *rq, struct response *rs, enum tp_rc rc,
			 struct verrors *ve, int64_t id, unsigned status)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		if (ve->n)
			resp_problem(rq, rs, 409, "id_number_taken", "该身份证号码已登记",
				     "this ID number is already registered", ve);
		else
			api_stale(rq, rs, NULL);
		return;
	}
	struct talent saved;
	if (rc == TP_OK)
		rc = STORE_CALL(talent_get, rq->store, id, rq->arena, &saved);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	api_employments_scope(rq, &saved);
	if (status == 201) {
		char *loc = arena_printf(rq->arena, "/api/v1/talents/%lld", (long long)id);
		if (loc)
			resp_header(rs, "Location", loc);
	}
	send_talent(rs, status, &saved);
}

void api_talents_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query q;
	if (api_read_query(rq, &q, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	registry_query_prepare(&q);
	struct talent_page page = {0};
	enum tp_rc rc = TP_OK;
	if (!api_scope_query(rq, &q, 1))
		rc = STORE_CALL(talent_list, rq->store, &q, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < page.n; i++)
		api_talent_write(&w, &page.items[i], 0);
	api_items_send(rs, &w, q.page, q.per_page, page.total);
}

void api_talents_create(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct talent t;
	talent_blank(&t);
	if (api_talent_fields_allowed(rq, rs, rq->json, 1) != 0)
		return;
	talent_from_json(rq->json, &t, rq->arena, &ve, 1);
	if (!ve.n && rq->actor.role == ROLE_EMPLOYER && t.enterprise_id != rq->actor.enterprise_id)
		verr_add(&ve, "enterprise_id", "not_your_enterprise", "只能登记本单位的员工",
			 "an employer registers its own staff only");
	if (!ve.n && !api_talent_visible(rq, &t) && rq->actor.role == ROLE_TOWN_REVIEWER)
		verr_add(&ve, "town", "not_your_town", "只能登记本镇（街道）的人才",
			 "a town reviewer registers talents of their own town only");
	if (ve.n) {
		/* report the registry's rules too, so one round trip shows every problem */
		size_t parsed = ve.n;
		if (talent_check(rq->store, &t, &ve) != TP_ERR_INVALID && !ve.n) {
			resp_rc(rq, rs, TP_ERR_INTERNAL);
			return;
		}
		verr_drop_repeated_fields(&ve, parsed);
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = talent_create(rq->store, &rq->actor, &t, &ve);
	answer_saved(rq, rs, rc, &ve, t.id, 201);
}

/* Loads the talent named by the path, answering 404 for a bad or unknown id. */
static int load_talent(struct request *rq, struct response *rs, struct talent *t)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, id, rq->arena, t);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!api_talent_visible(rq, t)) {
		api_hidden(rq, rs, "talent", id);
		return -1;
	}
	api_employments_scope(rq, t);
	return 0;
}

void api_talents_get(struct request *rq, struct response *rs)
{
	struct talent t;
	if (load_talent(rq, rs, &t) != 0)
		return;
	int unmask = api_unmask_requested(rq, rs);
	if (unmask < 0)
		return;
	if (unmask) { /* the renderer shows the "mask" it is given: give it the full numbers */
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)t.id);
		if (api_audit_read(rq, "pii.unmask", "talent", oid, 1) != TP_OK) {
			resp_rc(rq, rs, TP_ERR_DB);
			return;
		}
		t.id_number_mask = t.id_number;
		t.phone_mask = t.phone;
	}
	send_talent(rs, 200, &t);
}

void api_talents_patch(struct request *rq, struct response *rs)
{
	struct talent t;
	if (load_talent(rq, rs, &t) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_talent_fields_allowed(rq, rs, rq->json, 0) != 0)
		return;
	if (api_check_version(rq, rs, t.version, &ve) != 0)
		return;
	talent_from_json(rq->json, &t, rq->arena, &ve, 0);
	if (!ve.n && rq->actor.role == ROLE_TOWN_REVIEWER && !api_talent_visible(rq, &t))
		verr_add(&ve, "town", "not_your_town", "不能把人才移出本镇（街道）",
			 "a town reviewer cannot move a talent out of their town");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	answer_saved(rq, rs, talent_save(rq->store, &rq->actor, &t, &ve), &ve, t.id, 200);
}

void api_talent_employments_list(struct request *rq, struct response *rs)
{
	struct talent t;
	if (load_talent(rq, rs, &t) != 0)
		return;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < t.n_employments; i++)
		api_employment_write(&w, &t.employments[i]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

/* Answers an employment write: the record as saved, or the problem rc calls for. */
static void answer_employment(struct request *rq, struct response *rs, enum tp_rc rc,
			      const struct verrors *ve, const struct employment *e,
			      unsigned status)
{
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, ve);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_employment_write(&w, e);
	resp_jw(rs, status, &w);
}

void api_talent_employments_create(struct request *rq, struct response *rs)
{
	struct talent t;
	if (load_talent(rq, rs, &t) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	static const char *const keys[] = {"enterprise_id", "started_on", "ended_on", "position",
					   "annual_salary_fen", NULL};
	jsonx_no_unknown(rq->json, keys, &ve);
	struct employment e = {0};
	e.talent_id = t.id;
	e.annual_salary_fen = -1;
	jsonx_int(rq->json, "enterprise_id", 1, INT64_MAX, 1, &ve, &e.enterprise_id);
	jsonx_date(rq->json, "started_on", 1, &ve, &e.started_on);
	jsonx_date(rq->json, "ended_on", 0, &ve, &e.ended_on);
	jsonx_str(rq->json, "position", 100, 0, &ve, &e.position);
	jsonx_int(rq->json, "annual_salary_fen", 0, (int64_t)1e12, 0, &ve, &e.annual_salary_fen);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = employment_add(rq->store, &rq->actor, &e, &ve);
	answer_employment(rq, rs, rc, &ve, &e, 201);
}

void api_talent_employments_patch(struct request *rq, struct response *rs)
{
	struct talent t;
	if (load_talent(rq, rs, &t) != 0)
		return;
	int64_t eid;
	struct employment e;
	enum tp_rc rc = TP_ERR_NOT_FOUND;
	if (req_parse_id(rq->params[1], &eid) == 0)
		rc = STORE_CALL(employment_get, rq->store, t.id, eid, rq->arena, &e);
	if (rc == TP_OK && rq->actor.role == ROLE_EMPLOYER &&
	    e.enterprise_id != rq->actor.enterprise_id) {
		api_hidden(rq, rs, "employment", eid);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	static const char *const keys[] = {"ended_on", "position", "annual_salary_fen", NULL};
	jsonx_no_unknown(rq->json, keys, &ve);
	jsonx_patch_date(rq->json, "ended_on", &ve, &e.ended_on);
	jsonx_patch_str(rq->json, "position", 100, &ve, &e.position);
	jsonx_patch_int(rq->json, "annual_salary_fen", 0, (int64_t)1e12, -1, &ve,
			&e.annual_salary_fen);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	rc = employment_change(rq->store, &rq->actor, t.enterprise_id, &e, &ve);
	answer_employment(rq, rs, rc, &ve, &e, 200);
}
