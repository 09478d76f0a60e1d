#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/jsonw.h"
#include "http/request.h"

void resp_json(struct response *rs, unsigned status, json_t *doc)
{
	free(rs->body);
	rs->body = NULL;
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	if (doc) {
		rs->body = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
	}
	if (!rs->body) {
		rs->status = 500;
		rs->content_type = "application/problem+json";
		rs->body = strdup("{\"status\":500,\"code\":\"internal\",\"title\":\"Internal Server Error\"}");
	}
	rs->body_len = rs->body ? strlen(rs->body) : 0;
}

void resp_jw(struct response *rs, unsigned status, struct jw *w)
{
	size_t len = 0;
	char *text = jw_finish(w, &len);
	if (!text) {
		resp_json(rs, 500, NULL);
		return;
	}
	free(rs->body);
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	rs->body = text;
	rs->body_len = len;
}

void resp_bytes(struct response *rs, unsigned status, const char *content_type, const void *buf,
		size_t len)
{
	free(rs->body);
	rs->body = malloc(len ? len : 1);
	rs->status = status;
	rs->content_type = content_type;
	rs->body_len = rs->body ? len : 0;
	if (rs->body && len)
		memcpy(rs->body, buf, len);
	if (!rs->body)
		rs->status = 500;
}

void resp_header(struct response *rs, const char *name, const char *value)
{
	if (rs->nheaders < sizeof rs->headers / sizeof rs->headers[0]) {
		rs->headers[rs->nheaders][0] = name;
		rs->headers[rs->nheaders][1] = value;
		rs->nheaders++;
	}
}

static const char *status_title(unsigned status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Error";
}

void resp_problem(struct request *rq, struct response *rs, unsigned status, const char *code,
		  const char *zh, const char *en, const struct verrors *ve)
{
	json_t *p = json_object();
	char type[160];
	snprintf(type, sizeof type, "/problems/%s", code);
	json_object_set_new(p, "type", json_string(type));
	json_object_set_new(p, "title", json_string(status_title(status)));
	json_object_set_new(p, "status", json_integer(status));
	json_object_set_new(p, "code", json_string(code));
	json_object_set_new(p, "detail", json_string(rq->lang == LANG_EN ? en : zh));
	if (rq->request_id)
		json_object_set_new(p, "request_id", json_string(rq->request_id));
	if (ve && ve->n) {
		json_t *arr = json_array();
		for (size_t i = 0; i < ve->n; i++) {
			json_t *e = json_object();
			if (ve->v[i].field)
				json_object_set_new(e, "field", json_string(ve->v[i].field));
			json_object_set_new(e, "code", json_string(ve->v[i].code));
			json_object_set_new(e, "detail",
					    json_string(rq->lang == LANG_EN ? ve->v[i].en : ve->v[i].zh));
			json_array_append_new(arr, e);
		}
		json_object_set_new(p, "errors", arr);
		if (ve->truncated)
			json_object_set_new(p, "errors_truncated", json_true());
	}
	resp_json(rs, status, p);
	if (rs->status == status)
		rs->content_type = "application/problem+json; charset=utf-8";
}

void resp_invalid(struct request *rq, struct response *rs, const struct verrors *ve)
{
	const char *zh = "请求数据校验未通过", *en = "the request failed validation";
	if (ve && ve->n == 1) {
		zh = ve->v[0].zh;
		en = ve->v[0].en;
	}
	resp_problem(rq, rs, 422, "validation_failed", zh, en, ve);
}

void resp_rc(struct request *rq, struct response *rs, enum tp_rc rc)
{
	switch (rc) {
	case TP_OK:
		break;
	case TP_ERR_NOT_FOUND:
		resp_problem(rq, rs, 404, "not_found", "对象不存在", "no such object", NULL);
		break;
	case TP_ERR_CONFLICT:
		resp_problem(rq, rs, 409, "conflict", "与现有数据冲突", "conflicts with existing data",
			     NULL);
		break;
	case TP_ERR_TOO_LARGE:
		resp_problem(rq, rs, 413, "too_large", "请求内容过大", "the request is too large", NULL);
		break;
	case TP_ERR_BUSY:
		resp_problem(rq, rs, 503, "busy", "服务繁忙，请稍后重试", "busy, try again later", NULL);
		break;
	case TP_ERR_INVALID:
		resp_problem(rq, rs, 422, "invalid", "输入有误", "invalid input", NULL);
		break;
	default:
		resp_problem(rq, rs, 500, "internal", "服务器内部错误，请凭请求编号联系管理员",
			     "internal error; quote the request id to the administrator", NULL);
		break;
	}
}

void resp_fail(struct request *rq, struct response *rs, enum tp_rc rc, const struct verrors *ve)
{
	if (rc == TP_ERR_INVALID)
		resp_invalid(rq, rs, ve);
	else if (rc == TP_ERR_CONFLICT && ve && ve->n)
		resp_problem(rq, rs, 409, ve->v[0].code, ve->v[0].zh, ve->v[0].en, ve);
	else
		resp_rc(rq, rs, rc);
}

const char *req_query(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int req_parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 19)
		return -1;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		int d = *p - '0';
		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}
