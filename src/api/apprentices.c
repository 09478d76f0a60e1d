/*
 * apprentices.c — /api/v1/enterprises/{id}/apprentices: the apprentice register of an
 * enterprise (企业新型学徒制; domain/apprentices.h, migrations/0021_apprentices.sql).
 *
 * Who: the employer for its own enterprise, an office reviewer for any (routes.c); an
 * enterprise or apprentice the caller may not see is 404 (audited), as a missing one.
 * ID numbers are written once and only ever read back masked.  PATCH takes name, level,
 * enrolled_on, completed_on (null clears a date) and an optional version (409 when stale).
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/apprentices.h"
#include "store/apprentices.h"
#include "store/store.h"

static const char *const CREATE_FIELDS[] = {"name", "id_number", "level", "enrolled_on",
					    "completed_on", NULL};
static const char *const PATCH_FIELDS[] = {"name", "level", "enrolled_on", "completed_on", NULL};

static void write_one(struct jw *w, const struct apprentice *p)
{
	jw_obj_begin(w);
	jw_kint(w, "id", p->id);
	jw_kint(w, "version", p->version);
	jw_kint(w, "enterprise_id", p->enterprise_id);
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "id_number", p->id_mask); /* masked: the number is never read back */
	jw_kstr(w, "level", p->level);
	jw_kstr(w, "enrolled_on", p->enrolled_on);
	jw_kstr(w, "completed_on", p->completed_on);
	jw_kstr(w, "created_at", p->created_at);
	jw_kstr(w, "updated_at", p->updated_at);
	jw_obj_end(w);
}

/* The enterprise of the path, visible to the caller; its id in *eid. */
static int load_enterprise(struct request *rq, struct response *rs, int64_t *eid)
{
	struct enterprise e;
	if (req_parse_id(rq->params[0], eid) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(enterprise_get, rq->store, *eid, rq->arena, &e);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!api_enterprise_visible(rq, &e)) {
		api_hidden(rq, rs, "enterprise", *eid);
		return -1;
	}
	return 0;
}

/* Answers a write's result: the apprentice as stored now, or the error. */
static void answer(struct request *rq, struct response *rs, enum tp_rc rc, struct verrors *ve,
		   int64_t eid, int64_t id, unsigned ok)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		if (ve->n)
			resp_problem(rq, rs, 409, "apprentice_taken", "本企业已登记该学徒的同一培训等级",
				     "the enterprise has registered this person at this level already", ve);
		else
			api_stale(rq, rs, NULL);
		return;
	}
	struct apprentice saved;
	if (rc == TP_OK)
		rc = rq->store->ops->appr->get(rq->store, id, rq->arena, &saved);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (ok == 201) {
		char *loc = arena_printf(rq->arena, "/api/v1/enterprises/%lld/apprentices/%lld",
					 (long long)eid, (long long)id);
		if (loc)
			resp_header(rs, "Location", loc);
	}
	struct jw w;
	jw_init(&w);
	write_one(&w, &saved);
	resp_jw(rs, ok, &w);
}

void api_apprentices_list(struct request *rq, struct response *rs)
{
	int64_t eid;
	if (load_enterprise(rq, rs, &eid) != 0)
		return;
	struct apprentice *items;
	size_t n;
	enum tp_rc rc = rq->store->ops->appr->list(rq->store, eid, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		write_one(&w, &items[i]);
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_apprentices_create(struct request *rq, struct response *rs)
{
	int64_t eid;
	if (load_enterprise(rq, rs, &eid) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct apprentice p;
	memset(&p, 0, sizeof p);
	p.enterprise_id = eid;
	json_t *b = rq->json;
	jsonx_no_unknown(b, CREATE_FIELDS, &ve);
	jsonx_str(b, "name", 50, 1, &ve, &p.name);
	jsonx_str(b, "id_number", 18, 1, &ve, &p.id_number);
	jsonx_enum(b, "level", APPRENTICE_LEVELS, 1, &ve, &p.level);
	jsonx_date(b, "enrolled_on", 0, &ve, &p.enrolled_on);
	jsonx_date(b, "completed_on", 0, &ve, &p.completed_on);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = apprentice_create(rq->store, &rq->actor, &p, &ve);
	answer(rq, rs, rc, &ve, eid, p.id, 201);
}

void api_apprentices_patch(struct request *rq, struct response *rs)
{
	int64_t eid, id;
	if (load_enterprise(rq, rs, &eid) != 0)
		return;
	struct apprentice p;
	enum tp_rc rc = TP_ERR_NOT_FOUND;
	if (req_parse_id(rq->params[1], &id) == 0)
		rc = rq->store->ops->appr->get(rq->store, id, rq->arena, &p);
	if (rc == TP_OK && p.enterprise_id != eid)
		rc = TP_ERR_NOT_FOUND; /* another enterprise's: as missing */
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_check_version(rq, rs, p.version, &ve) != 0)
		return;
	json_t *b = rq->json;
	jsonx_no_unknown(b, PATCH_FIELDS, &ve);
	if (jsonx_has(b, "name"))
		jsonx_str(b, "name", 50, 1, &ve, &p.name);
	if (jsonx_has(b, "level"))
		jsonx_enum(b, "level", APPRENTICE_LEVELS, 1, &ve, &p.level);
	jsonx_patch_date(b, "enrolled_on", &ve, &p.enrolled_on);
	jsonx_patch_date(b, "completed_on", &ve, &p.completed_on);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	rc = apprentice_save(rq->store, &rq->actor, &p, &ve);
	answer(rq, rs, rc, &ve, eid, p.id, 200);
}
