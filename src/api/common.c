/*
 * common.c — pieces the resource handlers share: the list query string
 * (?page=&per_page= and the registry filters) and the optimistic-lock check of PATCH.
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "http/auth.h"

int api_read_query(struct request *rq, struct registry_query *q, struct verrors *ve)
{
	memset(q, 0, sizeof(*q));
	size_t before = ve->n;
	q->page = 1;
	q->per_page = PER_PAGE_DEFAULT;
	const char *s;
	int64_t v;
	if ((s = req_query(rq, "page"))) {
		if (req_parse_id(s, &v) != 0 || v > 1000000)
			verr_add(ve, "page", "out_of_range", "页码应为 1 到 1000000 的整数",
				 "page must be an integer in 1..1000000");
		else
			q->page = (int)v;
	}
	if ((s = req_query(rq, "per_page"))) {
		if (req_parse_id(s, &v) != 0 || v > PER_PAGE_MAX)
			verr_add(ve, "per_page", "out_of_range", "每页条数应为 1 到 200 的整数",
				 "per_page must be an integer in 1..200");
		else
			q->per_page = (int)v;
	}
	static const char *const text_filters[] = {"town", "industry", "degree", "size", "q"};
	const char **dst[] = {&q->town, &q->industry, &q->degree, &q->size, &q->q};
	for (size_t i = 0; i < 5; i++) {
		if (!(s = req_query(rq, text_filters[i])) || !*s)
			continue;
		if (strlen(s) > 100 || !jsonx_utf8_ok(s, strlen(s)))
			verr_add(ve, text_filters[i], "bad_filter", "筛选条件过长或含非法字符",
				 "the filter is too long or has bad characters");
		else
			*dst[i] = s;
	}
	if ((s = req_query(rq, "tier"))) {
		if (strcmp(s, "none") == 0)
			q->tier = -1;
		else if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '7')
			q->tier = s[0] - '0';
		else
			verr_add(ve, "tier", "out_of_range", "层次应为 1 到 7 或 none",
				 "tier must be 1..7 or none");
	}
	if ((s = req_query(rq, "enterprise_id"))) {
		if (req_parse_id(s, &v) != 0)
			verr_add(ve, "enterprise_id", "type_integer", "单位编号应为正整数",
				 "enterprise_id must be a positive integer");
		else
			q->enterprise_id = v;
	}
	return ve->n > before ? -1 : 0;
}


int api_check_version(struct request *rq, struct response *rs, int64_t current,
		      struct verrors *ve)
{
	json_t *ver = json_object_get(rq->json, "version");
	if (!ver)
		return 0;
	if (!json_is_integer(ver)) {
		verr_add(ve, "version", "type_integer", "应为整数", "must be an integer");
	} else if (json_integer_value(ver) != current) {
		api_stale(rq, rs, NULL);
		return -1;
	}
	json_object_del(rq->json, "version");
	return 0;
}

void api_stale(struct request *rq, struct response *rs, const struct verrors *ve)
{
	resp_problem(rq, rs, 409, "stale_version", "记录已被他人修改，请刷新后重试",
		     "the record changed since you read it; reload and retry", ve);
}

int api_password_field(json_t *obj, const char *key, int required, struct verrors *ve,
		       const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			verr_add(ve, key, "required", "密码必填", "the password is required");
		return required ? -1 : 0;
	}
	if (!json_is_string(v)) {
		verr_add(ve, key, "type_string", "应为字符串", "must be a string");
		return -1;
	}
	size_t len = json_string_length(v);
	const char *s = json_string_value(v);
	if (len == 0 || len > 128 || strlen(s) != len) {
		verr_add(ve, key, "password_length", "密码为 1 到 128 个字节，且不含 NUL 字符",
			 "a password is 1 to 128 bytes without NUL characters");
		return -1;
	}
	*out = s; /* borrowed from the request body, which outlives the handler */
	return 1;
}

int api_rate_limited(struct request *rq, struct response *rs)
{
	return api_rate_refused(rq, rs, http_ratelimit(rq->ip));
}

int api_rate_refused(struct request *rq, struct response *rs, int wait)
{
	if (!wait)
		return 0;
	resp_problem(rq, rs, 429, "rate_limited", "请求过于频繁，请稍后再试",
		     "too many requests from this address; wait and retry", NULL);
	const char *v = arena_printf(rq->arena, "%d", wait);
	if (v)
		resp_header(rs, "Retry-After", v);
	return 1;
}

void api_items_begin(struct jw *w)
{
	jw_init(w);
	jw_obj_begin(w);
	jw_key(w, "items");
	jw_arr_begin(w);
}

void api_items_send(struct response *rs, struct jw *w, int page, int per_page, int64_t total)
{
	jw_arr_end(w);
	if (page > 0) {
		jw_kint(w, "page", page);
		jw_kint(w, "per_page", per_page);
		jw_kint(w, "total", total);
	}
	jw_obj_end(w);
	resp_jw(rs, 200, w);
}
