/*
 * reports.c — GET /api/v1/reports/payments?year=2026&by=policy|month|town|industry
 * [&format=json|xlsx] (issue 6, item 8; domain/payment_report.h, docs/payments.md
 * "Reports").  Office, finance and auditors; aggregates only (no person is named).
 * JSON amounts in fen; the XLSX has the same table (amounts as numbers in fen) and a
 * totals row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "domain/import.h"
#include "domain/payment_report.h"
#include "io/table.h"

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct xjob {
	const char *by;
	const struct report_row *rows;
	size_t n;
	const struct report_row *total;
};

static enum tp_rc xrow(struct table_writer *w, const struct report_row *r)
{
	static const enum cell_kind kinds[] = {CELL_TEXT,   CELL_NUMBER, CELL_NUMBER, CELL_NUMBER,
					       CELL_NUMBER, CELL_NUMBER, CELL_NUMBER, CELL_NUMBER};
	char v[7][24];
	int64_t x[7] = {r->entitlements, r->paid_fen, r->owed_fen, r->pending_fen,
			r->clawback_fen, r->budget_fen, r->remaining_fen};
	const char *cells[8] = {r->key};
	for (int i = 0; i < 7; i++) {
		if (i >= 5 && x[i] < 0)
			v[i][0] = '\0'; /* no budget: blank */
		else
			snprintf(v[i], sizeof v[i], "%lld", (long long)x[i]);
		cells[i + 1] = v[i];
	}
	return table_writer_row(w, cells, 8, kinds);
}

static enum tp_rc xwrite(void *ctx, const char *path)
{
	const struct xjob *j = ctx;
	struct table_writer *w;
	char first[64];
	snprintf(first, sizeof first, "%s", j->by);
	const char *head[8] = {first,         "笔数 entitlements", "已付(分) paid_fen",
			       "应付未付(分) owed_fen", "待确认(分) pending_fen",
			       "待追回(分) clawback_fen", "预算(分) budget_fen",
			       "预算余额(分) remaining_fen"};
	enum tp_rc rc = table_writer_open(path, TABLE_XLSX, "report", &w);
	if (rc != TP_OK)
		return rc;
	rc = table_writer_row(w, head, 8, NULL);
	for (size_t i = 0; rc == TP_OK && i < j->n; i++)
		rc = xrow(w, &j->rows[i]);
	if (rc == TP_OK)
		rc = xrow(w, j->total);
	enum tp_rc crc = table_writer_close(w);
	return rc != TP_OK ? rc : crc;
}

static void row_json(struct jw *w, const struct report_row *r)
{
	jw_obj_begin(w);
	jw_kstr(w, "key", r->key);
	jw_kint(w, "entitlements", r->entitlements);
	jw_kint(w, "paid_fen", r->paid_fen);
	jw_kint(w, "owed_fen", r->owed_fen);
	jw_kint(w, "pending_fen", r->pending_fen);
	jw_kint(w, "clawback_fen", r->clawback_fen);
	if (r->budget_fen >= 0) {
		jw_kint(w, "budget_fen", r->budget_fen);
		jw_kint(w, "remaining_fen", r->remaining_fen);
	} else {
		jw_key(w, "budget_fen");
		jw_null(w);
		jw_key(w, "remaining_fen");
		jw_null(w);
	}
	jw_obj_end(w);
}

void api_reports_payments(struct request *rq, struct response *rs)
{
	static const char *const bys[] = {"policy", "month", "town", "industry"};
	const char *year_s = req_query(rq, "year"), *by_s = req_query(rq, "by"),
		   *fmt = req_query(rq, "format");
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t year = 0;
	int by = -1, xlsx = 0;
	if (!year_s || req_parse_id(year_s, &year) != 0 || year < 2000 || year > 2100)
		verr_add(&ve, "year", "out_of_range", "year 应为 2000 到 2100 的年份",
			 "year must be a year 2000..2100");
	for (int i = 0; i < 4; i++)
		if (by_s && strcmp(by_s, bys[i]) == 0)
			by = i;
	if (!by_s)
		by = REPORT_BY_POLICY;
	if (by < 0)
		verr_add(&ve, "by", "unknown_grouping", "by 应为 policy、month、town 或 industry",
			 "by must be policy, month, town or industry");
	if (fmt && strcmp(fmt, "xlsx") == 0)
		xlsx = 1;
	else if (fmt && strcmp(fmt, "json") != 0)
		verr_add(&ve, "format", "unknown_format", "format 应为 json 或 xlsx",
			 "format must be json or xlsx");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct report_row *rows, total;
	size_t n;
	enum tp_rc rc = payment_report(rq->store, (int)year, (enum report_by)by, rq->arena, &rows,
				       &n, &total);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (xlsx) {
		struct xjob j = {bys[by], rows, n, &total};
		void *buf;
		size_t len;
		if ((rc = table_write_to_memory(xwrite, &j, &buf, &len)) != TP_OK) {
			resp_rc(rq, rs, rc);
			return;
		}
		resp_bytes(rs, 200, XLSX_TYPE, buf, len);
		free(buf);
		resp_header(rs, "Content-Disposition",
			    "attachment; filename=\"payments-report.xlsx\"");
		return;
	}
	char ys[8];
	snprintf(ys, sizeof ys, "%04d", (int)year);
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "year", ys);
	jw_kstr(&w, "by", bys[by]);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		row_json(&w, &rows[i]);
	jw_arr_end(&w);
	jw_key(&w, "total");
	row_json(&w, &total);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
