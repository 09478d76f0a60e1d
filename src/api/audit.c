/*
 * audit.c — /api/v1/audit: the audit log for auditors (the route table lets no one
 * else in), as JSON pages or a CSV/XLSX export.
 *
 * Query: actor, action, object_type, object_id, result (ok|denied|failed), from, to
 * (YYYY-MM-DD as a UTC day, or YYYY-MM-DDTHH:MM:SS[.mmm]Z; inclusive), order
 * (newest|oldest, newest by default), limit (1..500, default 50) and after — keyset
 * paging: pass the page's next_after to get the next page in the same order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/import.h"
#include "io/table.h"
#include "store/store.h"

#define LIMIT_DEFAULT 50
#define FILTER_MAX 128
#define EXPORT_MAX_ROWS 200000
#define EXPORT_PAGE 500

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
static const char CSV_TYPE[] = "text/csv; charset=utf-8";

/*
 * Reads the filters (and, when paged, after/limit) into q; strings point into rq's
 * query or arena.  Returns 0, or -1 after adding field errors to ve.
 */
static int read_filters(struct request *rq, struct audit_query *q, int paged,
			struct verrors *ve)
{
	memset(q, 0, sizeof(*q));
	size_t before = ve->n;
	static const char *const names[] = {"actor", "action", "object_type", "object_id"};
	const char **dst[] = {&q->actor, &q->action, &q->object_type, &q->object_id};
	const char *s;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(s = req_query(rq, names[i])) || !*s)
			continue;
		if (strlen(s) > FILTER_MAX || !jsonx_utf8_ok(s, strlen(s)))
			verr_add(ve, names[i], "bad_filter", "筛选条件过长或含非法字符",
				 "the filter is too long or has bad characters");
		else
			*dst[i] = s;
	}
	if ((s = req_query(rq, "result")) && *s) {
		if (strcmp(s, "ok") != 0 && strcmp(s, "denied") != 0 && strcmp(s, "failed") != 0)
			verr_add(ve, "result", "unknown_result", "结果应为 ok、denied 或 failed",
				 "result must be ok, denied or failed");
		else
			q->result = s;
	}
	static const char *const bounds[] = {"from", "to"};
	const char **bdst[] = {&q->from, &q->to};
	for (int i = 0; i < 2; i++) {
		char norm[25];
		if (!(s = req_query(rq, bounds[i])) || !*s)
			continue;
		if (audit_time_bound(s, i, norm) != 0)
			verr_add(ve, bounds[i], "bad_time",
				 "应为日期 YYYY-MM-DD 或 UTC 时间 YYYY-MM-DDTHH:MM:SSZ",
				 "must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ");
		else
			*bdst[i] = s;
	}
	q->newest_first = 1;
	if ((s = req_query(rq, "order")) && *s) {
		if (strcmp(s, "oldest") == 0)
			q->newest_first = 0;
		else if (strcmp(s, "newest") != 0)
			verr_add(ve, "order", "unknown_order", "排序应为 newest 或 oldest",
				 "order must be newest or oldest");
	}
	q->limit = LIMIT_DEFAULT;
	int64_t v;
	if (paged && (s = req_query(rq, "limit"))) {
		if (req_parse_id(s, &v) != 0 || v > 500)
			verr_add(ve, "limit", "out_of_range", "条数应为 1 到 500 的整数",
				 "limit must be an integer in 1..500");
		else
			q->limit = v;
	}
	if (paged && (s = req_query(rq, "after"))) {
		if (req_parse_id(s, &v) != 0)
			verr_add(ve, "after", "type_integer", "after 应为正整数（上一页的 next_after）",
				 "after must be a positive integer (the last page's next_after)");
		else
			q->after_id = v;
	}
	return ve->n > before ? -1 : 0;
}

void api_audit_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct audit_query q;
	if (read_filters(rq, &q, 1, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	/* reading the audit log is itself audited; no record, no read (fail closed) */
	enum tp_rc rc = audit_append(rq->store, &rq->actor, "audit.read", "audit_log", "", "ok",
				     "", NULL, 0);
	struct audit_page page;
	if (rc == TP_OK)
		rc = audit_list(rq->store, &q, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < page.n; i++)
		audit_record_write(&w, &page.items[i]);
	jw_arr_end(&w);
	jw_kint(&w, "total", page.total);
	jw_kint_opt(&w, "next_after",
		    page.n == (size_t)q.limit ? page.items[page.n - 1].id : 0, 0);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

struct export_job {
	struct store *st;
	struct audit_query q;
	enum table_format fmt;
};

/* Writes the matching records to path, page by page (each page in its own arena). */
static enum tp_rc export_cb(void *ctx, const char *path)
{
	struct export_job *j = ctx;
	static const char *const head[] = {"编号",     "时间(UTC)", "用户编号", "用户",
					   "角色",     "IP",        "操作",     "对象类型",
					   "对象编号", "结果",      "原因",     "变更哈希",
					   "前一哈希", "哈希"};
	static const enum cell_kind kinds[] = {CELL_NUMBER, CELL_TEXT, CELL_NUMBER, CELL_TEXT,
					       CELL_TEXT,   CELL_TEXT, CELL_TEXT,   CELL_TEXT,
					       CELL_TEXT,   CELL_TEXT, CELL_TEXT,   CELL_TEXT,
					       CELL_TEXT,   CELL_TEXT};
	struct table_writer *w;
	enum tp_rc rc = table_writer_open(path, j->fmt, "audit", &w);
	if (rc != TP_OK)
		return rc;
	rc = table_writer_row(w, head, 14, NULL);
	struct audit_query q = j->q;
	q.limit = EXPORT_PAGE;
	q.after_id = 0;
	for (;;) {
		struct arena *a = rc == TP_OK ? arena_new() : NULL;
		struct audit_page page = {0};
		if (rc == TP_OK)
			rc = a ? audit_list(j->st, &q, a, &page) : TP_ERR_NOMEM;
		for (size_t i = 0; rc == TP_OK && i < page.n; i++) {
			const struct audit_record *r = &page.items[i];
			char id[24], aid[24];
			snprintf(id, sizeof id, "%lld", (long long)r->id);
			snprintf(aid, sizeof aid, "%lld", (long long)r->actor_id);
			const char *cells[14] = {id,         r->at,          aid,
						 r->actor,   r->role,        r->ip,
						 r->action,  r->object_type, r->object_id,
						 r->result,  r->reason,      r->change_hash,
						 r->prev_hash, r->hash};
			rc = table_writer_row(w, cells, 14, kinds);
		}
		size_t got = page.n;
		if (got)
			q.after_id = page.items[got - 1].id;
		arena_free(a);
		if (rc != TP_OK || got < (size_t)q.limit)
			break;
	}
	enum tp_rc crc = table_writer_close(w);
	return rc != TP_OK ? rc : crc;
}

void api_audit_export(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct export_job j = {.st = rq->store, .fmt = TABLE_CSV};
	int bad = read_filters(rq, &j.q, 0, &ve);
	const char *f = req_query(rq, "format");
	if (f && *f && strcmp(f, "xlsx") == 0)
		j.fmt = TABLE_XLSX;
	else if (f && *f && strcmp(f, "csv") != 0) {
		verr_add(&ve, "format", "unknown_format", "格式应为 csv 或 xlsx",
			 "format must be csv or xlsx");
		bad = -1;
	}
	if (bad) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	/* exporting the audit log is itself audited; no record, no export (fail closed) */
	enum tp_rc rc = audit_append(rq->store, &rq->actor, "audit.export", "audit_log",
				     j.fmt == TABLE_XLSX ? "xlsx" : "csv", "ok", "", NULL, 0);
	struct audit_query count = j.q;
	count.limit = 1;
	struct audit_page page;
	if (rc == TP_OK)
		rc = audit_list(rq->store, &count, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (page.total > EXPORT_MAX_ROWS) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "一次最多导出 %d 条记录，请缩小时间范围或筛选条件",
			 EXPORT_MAX_ROWS);
		snprintf(en, sizeof en,
			 "at most %d records per export: narrow the time range or the filters",
			 EXPORT_MAX_ROWS);
		resp_problem(rq, rs, 413, "export_too_large", zh, en, NULL);
		return;
	}
	void *buf;
	size_t len;
	rc = table_write_to_memory(export_cb, &j, &buf, &len);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 200, j.fmt == TABLE_XLSX ? XLSX_TYPE : CSV_TYPE, buf, len);
	free(buf);
	resp_header(rs, "Content-Disposition", j.fmt == TABLE_XLSX
						       ? "attachment; filename=\"audit.xlsx\""
						       : "attachment; filename=\"audit.csv\"");
}
