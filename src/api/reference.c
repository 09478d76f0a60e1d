/*
 * reference.c — GET /api/v1/reference/{kind}: the code tables (towns, industries,
 * degrees, titles, skill levels, enterprise sizes) that forms and filters use.
 */
#include <string.h>

#include "api/api.h"
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
			if (items[k].parent)
				json_object_set_new(o, "parent", json_string(items[k].parent));
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
