/*
 * enterprises.c — /api/v1/enterprises: employers in the registry.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/idcard.h"
#include "core/jsonx.h"
#include "core/uscc.h"
#include "domain/enterprises.h"
#include "domain/talents.h"
#include "store/store.h"

static const char *const FIELDS[] = {"name", "credit_code", "town", "industry", "size",
				     "contact_name", "contact_phone", "address", NULL};
static const char *const SIZES[] = {"micro", "small", "medium", "large", NULL};

json_t *api_enterprise_json(const struct enterprise *e)
{
	char phone[32];
	json_t *o = json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:s?,s:s?}", "id",
			      (json_int_t)e->id, "version", (json_int_t)e->version, "name",
			      e->name, "credit_code", e->credit_code, "town", e->town, "industry",
			      e->industry, "size", e->size, "contact_name", e->contact_name,
			      "address", e->address, "staff_count", (json_int_t)e->staff_count,
			      "created_at", e->created_at, "updated_at", e->updated_at);
	if (e->contact_phone) {
		phone_mask(e->contact_phone, phone, sizeof phone);
		json_object_set_new(o, "contact_phone", json_string(phone));
	} else {
		json_object_set_new(o, "contact_phone", json_null());
	}
	return o;
}

static void enterprise_from_json(json_t *b, struct enterprise *e, struct verrors *ve, int create)
{
	jsonx_no_unknown(b, FIELDS, ve);
	if (create || jsonx_has(b, "name"))
		jsonx_str(b, "name", 100, 1, ve, &e->name);
	if (create || jsonx_has(b, "credit_code")) {
		if (jsonx_str(b, "credit_code", 18, 1, ve, &e->credit_code) != 1)
			e->credit_code = "";
	}
	if (create || jsonx_has(b, "town"))
		jsonx_str(b, "town", 16, 1, ve, &e->town);
	jsonx_patch_str(b, "industry", 16, ve, &e->industry);
	jsonx_patch_enum(b, "size", SIZES, ve, &e->size);
	jsonx_patch_str(b, "contact_name", NAME_MAX_CHARS, ve, &e->contact_name);
	jsonx_patch_str(b, "contact_phone", 20, ve, &e->contact_phone);
	jsonx_patch_str(b, "address", TEXT_MAX_CHARS, ve, &e->address);
}

void api_enterprises_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query q;
	if (api_read_query(rq, &q, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (q.q) {
		char code[19];
		if (strlen(q.q) == 18 && uscc_normalize(q.q, code) == USCC_OK) {
			q.id_number = arena_strdup(rq->arena, code);
		} else {
			/* LIKE wildcards in a name are literal */
			size_t n = strlen(q.q);
			char *esc = arena_alloc(rq->arena, 2 * n + 1), *p = esc;
			for (size_t i = 0; esc && i < n; i++) {
				if (q.q[i] == '%' || q.q[i] == '_' || q.q[i] == '\\')
					*p++ = '\\';
				*p++ = q.q[i];
			}
			if (esc)
				q.q = esc;
		}
	}
	struct enterprise_page page = {0};
	enum tp_rc rc = TP_OK;
	if (!api_scope_query(rq, &q, 0))
		rc = STORE_CALL(enterprise_list, rq->store, &q, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < page.n; i++)
		json_array_append_new(items, api_enterprise_json(&page.items[i]));
	resp_json(rs, 200, json_pack("{s:o,s:i,s:i,s:I}", "items", items, "page", q.page,
				     "per_page", q.per_page, "total", (json_int_t)page.total));
}

static void answer_write(struct request *rq, struct response *rs, enum tp_rc rc,
			 struct verrors *ve, int64_t id, unsigned ok_status)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		if (ve->n)
			resp_problem(rq, rs, 409, "credit_code_taken", "该统一社会信用代码已登记",
				     "this credit code is already registered", ve);
		else
			api_stale(rq, rs, NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct enterprise saved;
	if (STORE_CALL(enterprise_get, rq->store, id, rq->arena, &saved) != TP_OK) {
		resp_rc(rq, rs, TP_ERR_INTERNAL);
		return;
	}
	if (ok_status == 201) {
		char *loc = arena_printf(rq->arena, "/api/v1/enterprises/%lld", (long long)id);
		if (loc)
			resp_header(rs, "Location", loc);
	}
	resp_json(rs, ok_status, api_enterprise_json(&saved));
}

void api_enterprises_create(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct enterprise e;
	memset(&e, 0, sizeof e);
	enterprise_from_json(rq->json, &e, &ve, 1);
	if (!ve.n && rq->actor.role == ROLE_TOWN_REVIEWER && !api_enterprise_visible(rq, &e))
		verr_add(&ve, "town", "not_your_town", "只能登记本镇（街道）的企业",
			 "a town reviewer registers enterprises of their own town only");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = enterprise_create(rq->store, &rq->actor, &e, &ve);
	answer_write(rq, rs, rc, &ve, e.id, 201);
}

static int load(struct request *rq, struct response *rs, struct enterprise *e)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(enterprise_get, rq->store, id, rq->arena, e);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!api_enterprise_visible(rq, e)) {
		api_hidden(rq, rs, "enterprise", id);
		return -1;
	}
	return 0;
}

void api_enterprises_get(struct request *rq, struct response *rs)
{
	struct enterprise e;
	if (load(rq, rs, &e) == 0)
		resp_json(rs, 200, api_enterprise_json(&e));
}

void api_enterprises_patch(struct request *rq, struct response *rs)
{
	struct enterprise e;
	if (load(rq, rs, &e) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_check_version(rq, rs, e.version, &ve) != 0)
		return;
	const char *code = e.credit_code, *town = e.town;
	enterprise_from_json(rq->json, &e, &ve, 0);
	if (!ve.n && rq->actor.role == ROLE_EMPLOYER &&
	    (strcmp(code, e.credit_code) != 0 || strcmp(town, e.town) != 0))
		verr_add(&ve, strcmp(code, e.credit_code) != 0 ? "credit_code" : "town",
			 "field_forbidden", "用人单位不能修改信用代码和所在镇（街道）",
			 "an employer cannot change its credit code or town");
	if (!ve.n && rq->actor.role == ROLE_TOWN_REVIEWER && !api_enterprise_visible(rq, &e))
		verr_add(&ve, "town", "not_your_town", "不能把企业移出本镇（街道）",
			 "a town reviewer cannot move an enterprise out of their town");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = enterprise_save(rq->store, &rq->actor, &e, &ve);
	answer_write(rq, rs, rc, &ve, e.id, 200);
}
