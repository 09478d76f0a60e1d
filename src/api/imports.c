/*
 * imports.c — /api/v1/imports and /api/v1/exports: spreadsheets in and out.
 *
 * An upload is the raw file as the body (CSV or XLSX, at most the route's cap);
 * the import itself is import_talents(), the same as `talentport import`.
 * Exports are masked unless the caller's account may unmask and names a reason
 * (X-Unmask-Reason); every export is audited, an unmasked one as pii.unmask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/talents.h"
#include "io/table.h"
#include "store/store.h"

#define ERRORS_IN_RESPONSE 200

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
static const char CSV_TYPE[] = "text/csv; charset=utf-8";

/* 1 if the media type of ct (before any ';') is type, ignoring case and spaces. */
static int media_is(const char *ct, const char *type)
{
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = strcspn(ct, ";");
	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == strlen(type) && strncasecmp(ct, type, n) == 0;
}

/* Reads ?name=true|false; returns 0 and sets *out, or -1 after adding a field error. */
static int query_bool(struct request *rq, const char *name, struct verrors *ve, int *out)
{
	const char *s = req_query(rq, name);
	*out = 0;
	if (!s || !*s || strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		return 0;
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
		*out = 1;
		return 0;
	}
	verr_add(ve, name, "type_boolean", "应为 true 或 false", "must be true or false");
	return -1;
}

/* Reads ?format=csv|xlsx (csv when absent). */
static int query_format(struct request *rq, struct verrors *ve, enum table_format *out)
{
	const char *s = req_query(rq, "format");
	*out = TABLE_CSV;
	if (!s || !*s || strcmp(s, "csv") == 0)
		return 0;
	if (strcmp(s, "xlsx") == 0) {
		*out = TABLE_XLSX;
		return 0;
	}
	verr_add(ve, "format", "unknown_format", "格式应为 csv 或 xlsx",
	         "format must be csv or xlsx");
	return -1;
}

static void unreadable(struct request *rq, struct response *rs, const char *why)
{
	char zh[400], en[400];
	snprintf(zh, sizeof zh, "文件无法读取（须为 UTF-8 或 GB18030 编码的 CSV，或 XLSX）：%s",
	         why);
	snprintf(en, sizeof en, "the file cannot be read (CSV in UTF-8 or GB18030, or XLSX): %s",
	         why);
	resp_problem(rq, rs, 422, "unreadable_file", zh, en, NULL);
}

static json_t *errors_json(struct request *rq, const struct import_result *res)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < res->n_errors && i < ERRORS_IN_RESPONSE; i++) {
		const struct import_error *e = &res->errors[i];
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s}", "row",
		                                     (json_int_t)e->row, "column", e->column,
		                                     "value", e->value, "code", e->code, "detail",
		                                     rq->lang == LANG_EN ? e->en : e->zh));
	}
	return arr;
}

/* The import record as JSON (without the report bytes). */
static json_t *record_json(struct request *rq, const struct import_record *ir)
{
	char *url = ir->report
	                ? arena_printf(rq->arena, "/api/v1/imports/%lld/report", (long long)ir->id)
	                : NULL;
	return json_pack("{s:I,s:s?,s:s?,s:s?,s:I,s:I,s:I,s:b,s:b,s:s?,s:s?}", "id",
	                 (json_int_t)ir->id, "kind", ir->kind, "format", ir->format, "filename",
	                 ir->filename, "rows_total", (json_int_t)ir->rows_total, "rows_imported",
	                 (json_int_t)ir->rows_imported, "rows_failed", (json_int_t)ir->rows_failed,
	                 "all_or_nothing", ir->all_or_nothing, "committed", ir->committed,
	                 "report_url", url, "created_at", ir->created_at);
}

void api_imports_talents(struct request *rq, struct response *rs)
{
	const char *ct = rq->content_type ? rq->content_type : "";
	enum table_format fmt;
	if (media_is(ct, "text/csv"))
		fmt = TABLE_CSV;
	else if (media_is(ct, XLSX_TYPE))
		fmt = TABLE_XLSX;
	else if (media_is(ct, "application/octet-stream"))
		fmt = TABLE_AUTO;
	else {
		resp_problem(rq, rs, 415, "unsupported_media_type",
		             "请上传 CSV（text/csv）或 XLSX 文件",
		             "upload a CSV (text/csv) or XLSX file", NULL);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct import_opts o = {.who = &rq->actor};
	query_bool(rq, "all_or_nothing", &ve, &o.all_or_nothing);
	const char *fname = req_query(rq, "filename");
	if (fname && (strlen(fname) > 200 || !jsonx_utf8_ok(fname, strlen(fname)) ||
	              strpbrk(fname, "\r\n\t")))
		verr_add(&ve, "filename", "bad_filename", "文件名过长或含非法字符",
		         "the filename is too long or has bad characters");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	o.filename = fname && *fname ? fname : NULL;
	if (!rq->body || rq->body_len == 0) {
		unreadable(rq, rs, rq->lang == LANG_EN ? "the file is empty" : "文件为空");
		return;
	}
	struct table_reader *r;
	char err[256];
	enum tp_rc rc = table_open_mem(rq->body, rq->body_len, fmt, &r, err, sizeof err);
	if (rc == TP_ERR_NOMEM) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (rc == TP_ERR_TOO_LARGE) {
		resp_problem(rq, rs, 413, "file_too_large", "文件超过大小上限",
		             "the file exceeds a size limit", NULL);
		return;
	}
	if (rc != TP_OK) {
		unreadable(rq, rs, err);
		return;
	}
	struct import_result res;
	rc = import_talents(rq->store, r, &o, &res);
	table_close(r);
	if (rc != TP_OK) {
		import_result_release(&res);
		resp_rc(rq, rs, rc);
		return;
	}
	struct import_record ir;
	rc = STORE_CALL(import_get, rq->store, res.import_id, rq->arena, &ir);
	if (rc != TP_OK) {
		import_result_release(&res);
		resp_rc(rq, rs, rc);
		return;
	}
	json_t *doc = record_json(rq, &ir);
	if (doc) {
		json_object_set_new(doc, "errors_total",
		                    json_integer((json_int_t)res.errors_total));
		json_object_set_new(doc, "errors", errors_json(rq, &res));
		char *loc = arena_printf(rq->arena, "/api/v1/imports/%lld", (long long)ir.id);
		if (loc)
			resp_header(rs, "Location", loc);
	}
	import_result_release(&res);
	resp_json(rs, 201, doc);
}

/* Loads the import named by the path (404 for a bad or unknown id). */
static int load_import(struct request *rq, struct response *rs, struct import_record *ir)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(import_get, rq->store, id, rq->arena, ir);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	return 0;
}

void api_imports_get(struct request *rq, struct response *rs)
{
	struct import_record ir;
	if (load_import(rq, rs, &ir) == 0)
		resp_json(rs, 200, record_json(rq, &ir));
}

void api_imports_report(struct request *rq, struct response *rs)
{
	struct import_record ir;
	if (load_import(rq, rs, &ir) != 0)
		return;
	if (!ir.report) {
		resp_problem(rq, rs, 404, "no_report", "这次导入没有错误，没有错误报告",
		             "this import had no errors, so there is no report", NULL);
		return;
	}
	int xlsx = ir.format && strcmp(ir.format, "xlsx") == 0;
	char *cd = arena_printf(rq->arena, "attachment; filename=\"import-%lld-errors.%s\"",
	                        (long long)ir.id, xlsx ? "xlsx" : "csv");
	resp_bytes(rs, 200, xlsx ? XLSX_TYPE : CSV_TYPE, ir.report, ir.report_len);
	if (cd)
		resp_header(rs, "Content-Disposition", cd);
}

/* Sends a file built in memory as an attachment; takes buf. */
static void send_file(struct response *rs, enum table_format fmt, const char *name, void *buf,
                      size_t len)
{
	resp_bytes(rs, 200, fmt == TABLE_XLSX ? XLSX_TYPE : CSV_TYPE, buf, len);
	free(buf);
	resp_header(rs, "Content-Disposition", name);
}

void api_exports_talents(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query q;
	enum table_format fmt;
	int bad = api_read_query(rq, &q, &ve);
	bad |= query_format(rq, &ve, &fmt);
	if (bad) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	registry_query_prepare(&q);
	if (api_scope_query(rq, &q, 1))
		q.enterprise_id = -1; /* nothing the caller may see: an empty file */
	int unmask = api_unmask_requested(rq, rs);
	if (unmask < 0)
		return;
	struct export_opts o = {.format = fmt, .unmasked = unmask, .filter = &q};
	if (api_audit_read(rq, unmask ? "pii.unmask" : "export.talents", "talent_export",
			   fmt == TABLE_XLSX ? "xlsx" : "csv", unmask) != TP_OK) {
		resp_rc(rq, rs, TP_ERR_DB);
		return;
	}
	void *buf;
	size_t len;
	enum tp_rc rc = export_talents_mem(rq->store, &o, &buf, &len, NULL);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	send_file(rs, fmt,
	          fmt == TABLE_XLSX ? "attachment; filename=\"talents.xlsx\""
	                            : "attachment; filename=\"talents.csv\"",
	          buf, len);
}

void api_exports_template(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	enum table_format fmt;
	if (query_format(rq, &ve, &fmt) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	void *buf;
	size_t len;
	enum tp_rc rc = export_template_mem(fmt, &buf, &len);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	send_file(rs, fmt,
	          fmt == TABLE_XLSX ? "attachment; filename=\"talent-template.xlsx\""
	                            : "attachment; filename=\"talent-template.csv\"",
	          buf, len);
}
