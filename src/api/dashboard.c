/*
 * dashboard.c — GET /api/v1/dashboard[?format=json|xlsx][&group=…] (issue 7, item 6): the
 * office dashboard's registry and application counts (domain/dashboard.h).  Office
 * reviewers, finance and auditors; aggregates only, no person named.  Benefits paid against
 * budget are GET /api/v1/reports/payments (reports.c); this endpoint adds what the registry
 * and the workflow hold:
 *
 *   {"today": "2026-11-27", "talents": N, "applications": N, "overdue": N,
 *    "tier": [{"key", "count"}], "town" | "industry" | "degree": [{"key", "name_zh",
 *    "name_en", "count"}], "application_states": [{"kind", "key", "count", "overdue"}]}
 *
 * talents = the sum of every group (each talent is in exactly one row of each);
 * overdue = applications past their step's deadline in a state that is not final.
 * format=xlsx: one sheet "dashboard" (group, code, name, count, overdue), every group or
 * only ?group=tier|town|industry|degree|applications — the data behind one chart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/jsonw.h"
#include "domain/applications.h"
#include "domain/dashboard.h"
#include "domain/import.h"
#include "io/table.h"
#include "store/store.h"

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
static const char *const GROUP_NAMES[DASH_GROUPS] = {"tier", "town", "industry", "degree",
						     "applications"};

struct dash {
	struct dash_count *rows[DASH_GROUPS];
	size_t n[DASH_GROUPS];
	int only; /* -1: every group */
};

static enum tp_rc xwrite(void *ctx, const char *path)
{
	const struct dash *d = ctx;
	static const enum cell_kind kinds[] = {CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT,
					       CELL_NUMBER, CELL_NUMBER};
	const char *head[6] = {"分组 group", "代码 code", "名称 name", "类别 kind", "数量 count",
			       "逾期 overdue"};
	struct table_writer *w;
	enum tp_rc rc = table_writer_open(path, TABLE_XLSX, "dashboard", &w);
	if (rc != TP_OK)
		return rc;
	rc = table_writer_row(w, head, 6, NULL);
	for (int g = 0; g < DASH_GROUPS && rc == TP_OK; g++) {
		if (d->only >= 0 && g != d->only)
			continue;
		for (size_t i = 0; i < d->n[g] && rc == TP_OK; i++) {
			const struct dash_count *r = &d->rows[g][i];
			char c[24], o[24];
			snprintf(c, sizeof c, "%lld", (long long)r->count);
			snprintf(o, sizeof o, "%lld", (long long)r->overdue);
			const char *cells[6] = {GROUP_NAMES[g], r->key, r->name_zh, r->kind, c,
						g == DASH_APPLICATION ? o : ""};
			rc = table_writer_row(w, cells, 6, kinds);
		}
	}
	enum tp_rc crc = table_writer_close(w);
	return rc != TP_OK ? rc : crc;
}

static void group_json(struct jw *w, int g, const struct dash_count *rows, size_t n)
{
	jw_key(w, g == DASH_APPLICATION ? "application_states" : GROUP_NAMES[g]);
	jw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(w);
		if (g == DASH_APPLICATION)
			jw_kstr(w, "kind", rows[i].kind);
		jw_kstr(w, "key", rows[i].key);
		if (g != DASH_TIER && g != DASH_APPLICATION) {
			jw_kstr(w, "name_zh", rows[i].name_zh);
			jw_kstr(w, "name_en", rows[i].name_en);
		}
		jw_kint(w, "count", rows[i].count);
		if (g == DASH_APPLICATION)
			jw_kint(w, "overdue", rows[i].overdue);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void api_dashboard(struct request *rq, struct response *rs)
{
	const char *fmt = req_query(rq, "format"), *grp = req_query(rq, "group");
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int xlsx = 0;
	struct dash d = {.only = -1};
	if (fmt && strcmp(fmt, "xlsx") == 0)
		xlsx = 1;
	else if (fmt && strcmp(fmt, "json") != 0)
		verr_add(&ve, "format", "unknown_format", "format 应为 json 或 xlsx",
			 "format must be json or xlsx");
	for (int g = 0; grp && g < DASH_GROUPS; g++)
		if (strcmp(grp, GROUP_NAMES[g]) == 0)
			d.only = g;
	if (grp && d.only < 0)
		verr_add(&ve, "group", "unknown_grouping",
			 "group 应为 tier、town、industry、degree 或 applications",
			 "group must be tier, town, industry, degree or applications");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char today[11];
	date_format(app_today(tp_now()), today);
	for (int g = 0; g < DASH_GROUPS; g++) {
		enum tp_rc rc = STORE_CALL(dashboard_counts, rq->store, g, today, rq->arena,
					   &d.rows[g], &d.n[g]);
		if (rc != TP_OK) {
			resp_rc(rq, rs, rc);
			return;
		}
	}
	if (xlsx) {
		void *buf;
		size_t len;
		enum tp_rc rc = table_write_to_memory(xwrite, &d, &buf, &len);
		if (rc != TP_OK) {
			resp_rc(rq, rs, rc);
			return;
		}
		resp_bytes(rs, 200, XLSX_TYPE, buf, len);
		free(buf);
		char *cd = arena_printf(rq->arena, "attachment; filename=\"dashboard-%s.xlsx\"",
					d.only >= 0 ? GROUP_NAMES[d.only] : "all");
		resp_header(rs, "Content-Disposition",
			    cd ? cd : "attachment; filename=\"dashboard.xlsx\"");
		resp_header(rs, "Cache-Control", "private, no-store");
		return;
	}
	int64_t talents = 0, apps = 0, overdue = 0;
	for (size_t i = 0; i < d.n[DASH_TIER]; i++)
		talents += d.rows[DASH_TIER][i].count;
	for (size_t i = 0; i < d.n[DASH_APPLICATION]; i++) {
		apps += d.rows[DASH_APPLICATION][i].count;
		overdue += d.rows[DASH_APPLICATION][i].overdue;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "today", today);
	jw_kint(&w, "talents", talents);
	jw_kint(&w, "applications", apps);
	jw_kint(&w, "overdue", overdue);
	for (int g = 0; g < DASH_GROUPS; g++)
		group_json(&w, g, d.rows[g], d.n[g]);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
