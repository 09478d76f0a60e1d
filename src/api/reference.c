/*
 * reference.c — GET /api/v1/reference/{kind}: the code tables (towns, industries,
 * degrees, titles, skill levels, enterprise sizes) that forms and filters use.
 */
#include <string.h>

#include "api/api.h"
#include "core/jsonx.h"
#include "domain/reference.h"
#include "store/store.h"

static const struct {
	const char *name;
	enum ref_kind kind;
} kinds[] = {
	{"towns", REF_TOWN},   {"industries", REF_INDUSTRY},  {"degrees", REF_DEGREE},
	{"titles", REF_TITLE}, {"skill-levels", REF_SKILL}, {"enterprise-sizes", REF_SIZE},
};

void api_reference_get(struct request *rq, struct response *rs)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(rq->params[0], kinds[i].name) != 0)
			continue;
		struct ref_item *items;
		size_t n;
		enum tp_rc rc = STORE_CALL(ref_list, rq->store, kinds[i].kind, rq->arena, &items, &n);
		if (rc != TP_OK) {
			resp_rc(rq, rs, rc);
			return;
		}
		json_t *arr = json_array();
		for (size_t k = 0; k < n; k++) {
			json_t *o = json_pack("{s:s,s:s,s:s,s:i}", "code", items[k].code, "name_zh",
					      items[k].name_zh, "name_en", items[k].name_en, "rank",
					      items[k].rank);
			if (kinds[i].kind == REF_INDUSTRY)
				json_object_set_new(o, "parent", items[k].parent
									? json_string(items[k].parent)
									: json_null());
			if (items[k].kind)
				json_object_set_new(o, "kind", json_string(items[k].kind));
			if (kinds[i].kind == REF_INDUSTRY)
				json_object_set_new(o, "editable", json_boolean(items[k].editable));
			json_array_append_new(arr, o);
		}
		resp_json(rs, 200, json_pack("{s:o}", "items", arr));
		return;
	}
	resp_problem(rq, rs, 404, "not_found", "没有这类代码表", "no such code table", NULL);
}

/* Applies an industry body: {code (create only), name_zh, name_en, parent, in_4341, sort}. */
static void industry_from_json(json_t *b, struct ref_item *it, int create, struct verrors *ve)
{
	static const char *const create_keys[] = {"code", "name_zh", "name_en", "parent",
						  "in_4341", "sort", NULL};
	jsonx_no_unknown(b, create ? create_keys : create_keys + 1, ve);
	if (create)
		jsonx_str(b, "code", 16, 1, ve, &it->code);
	if (create || jsonx_has(b, "name_zh"))
		jsonx_str(b, "name_zh", 50, 1, ve, &it->name_zh);
	if (create || jsonx_has(b, "name_en"))
		jsonx_str(b, "name_en", 100, 1, ve, &it->name_en);
	jsonx_patch_str(b, "parent", 16, ve, &it->parent);
	int in4341 = 0;
	if (jsonx_bool(b, "in_4341", 0, ve, &in4341) == 1)
		it->kind = in4341 ? "4341" : "other";
	int64_t sort = 0;
	if (jsonx_int(b, "sort", 0, 9999, 0, ve, &sort) == 1)
		it->rank = (int)sort;
}

static void industry_answer(struct request *rq, struct response *rs, enum tp_rc rc,
			    struct verrors *ve, const struct ref_item *it, unsigned ok)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
	} else if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "code_taken", "该产业代码已存在",
			     "this industry code already exists", NULL);
	} else if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
	} else {
		json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:b}", "code", it->code, "name_zh",
				      it->name_zh, "name_en", it->name_en, "rank", it->rank, "kind",
				      it->kind, "editable", 1);
		json_object_set_new(o, "parent", it->parent ? json_string(it->parent) : json_null());
		resp_json(rs, ok, o);
	}
}

void api_industries_create(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct ref_item it = {.kind = "4341", .rank = 50};
	industry_from_json(rq->json, &it, 1, &ve);
	enum tp_rc rc = ve.n ? TP_ERR_INVALID : industry_save(rq->store, &rq->actor, &it, 1, &ve);
	industry_answer(rq, rs, rc, &ve, &it, 201);
}

void api_industries_patch(struct request *rq, struct response *rs)
{
	struct ref_item *all;
	size_t n;
	enum tp_rc rc = STORE_CALL(ref_list, rq->store, REF_INDUSTRY, rq->arena, &all, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct ref_item it = {0};
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].code, rq->params[0]) == 0)
			it = all[i];
	if (!it.code) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	industry_from_json(rq->json, &it, 0, &ve);
	rc = ve.n ? TP_ERR_INVALID : industry_save(rq->store, &rq->actor, &it, 0, &ve);
	industry_answer(rq, rs, rc, &ve, &it, 200);
}
