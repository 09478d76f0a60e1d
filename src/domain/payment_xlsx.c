/*
 * payment_xlsx.c — the payment list and the public-announcement list as XLSX
 * (io/xlsx_stream: sheet XML formatted by hand, streamed through a temporary file and
 * packed at deflate level 1; memory stays flat).
 *
 * Lines are grouped by policy with a counting sort (stable, O(n)); a policy's lines
 * go on its own sheet (continued on "<name>(2)" past rows_per_sheet).  Totals are
 * =SUM formulas whose cached values are computed from the integer fen, so a reader
 * that does not recalculate (a viewer, a script) sees the exact total too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/utf8.h"
#include "domain/payment_files_int.h"
#include "io/xlsx_stream.h"

#define DEFAULT_ROWS_PER_SHEET 1000000
#define EXCEL_MAX_ROWS 1048576
#define MAX_PARTS 64               /* sheets per policy */
#define SHEET_NAME_MAX 31          /* characters */
#define SUMMARY_NAME "汇总"

struct group {
	const char *policy, *title;
	size_t count, first;      /* its lines are order[first .. first+count) */
	int64_t total;
	size_t part0, nparts;     /* its sheets are parts[part0 .. part0+nparts) */
};

struct part {
	size_t group, start, count;  /* lines order[g.first+start ..) */
	int64_t total;
	char name[SHEET_NAME_MAX * 4 + 17];  /* 31 characters of up to 4 bytes, a suffix */
};

/* ---- grouping ---- */

struct gmap {
	const char **keys;
	size_t *vals;
	size_t mask;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int gmap_grow(struct gmap *m, size_t need)
{
	size_t cap = (m->mask + 1) * 2, i;
	struct gmap n;

	if (m->keys && need * 2 < m->mask + 1)
		return 0;
	if (!m->keys)
		cap = 64;
	n.keys = calloc(cap, sizeof(*n.keys));
	n.vals = malloc(cap * sizeof(*n.vals));
	n.mask = cap - 1;
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (i = 0; m->keys && i <= m->mask; i++) {
		size_t s;

		if (!m->keys[i])
			continue;
		for (s = hash_str(m->keys[i]) & n.mask; n.keys[s]; s = (s + 1) & n.mask)
			;
		n.keys[s] = m->keys[i];
		n.vals[s] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

/*
 * Groups lines by policy: *groups (first appearance order) and *order (line indexes,
 * grouped, stable).  Returns TP_OK or TP_ERR_NOMEM.
 */
static enum tp_rc group_lines(const struct pay_line_view *lines, size_t n, struct group **groups,
			      size_t *ngroups, size_t **order)
{
	struct gmap m = {0};
	struct group *g = NULL;
	size_t ng = 0, cap = 0, i, *gi = NULL, *ord = NULL, *fill = NULL, last = (size_t)-1;
	const char *last_key = NULL;

	gi = malloc(n * sizeof(*gi));
	ord = malloc(n * sizeof(*ord));
	if (!gi || !ord || gmap_grow(&m, 1) < 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		const char *key = lines[i].policy ? lines[i].policy : "";
		size_t s;

		if (last_key && (key == last_key || strcmp(key, last_key) == 0)) {
			gi[i] = last; /* runs of one policy are the common case */
			g[last].count++;
			g[last].total += lines[i].amount_fen;
			continue;
		}
		for (s = hash_str(key) & m.mask; m.keys[s]; s = (s + 1) & m.mask)
			if (strcmp(m.keys[s], key) == 0)
				break;
		if (!m.keys[s]) {
			if (ng == cap) {
				struct group *ng2;

				cap = cap ? cap * 2 : 16;
				ng2 = realloc(g, cap * sizeof(*g));
				if (!ng2)
					goto nomem;
				g = ng2;
			}
			memset(&g[ng], 0, sizeof(g[ng]));
			g[ng].policy = key;
			g[ng].title = lines[i].policy_title_zh && *lines[i].policy_title_zh
					      ? lines[i].policy_title_zh
					      : (*key ? key : "政策");
			m.keys[s] = key;
			m.vals[s] = ng++;
			if (gmap_grow(&m, ng) < 0)
				goto nomem;
			for (s = hash_str(key) & m.mask; strcmp(m.keys[s], key) != 0;
			     s = (s + 1) & m.mask)
				;
		}
		last = m.vals[s];
		last_key = key;
		gi[i] = last;
		g[last].count++;
		g[last].total += lines[i].amount_fen; /* fits: pf_check_lines summed all */
	}
	/* counting sort by group, stable */
	fill = calloc(ng ? ng : 1, sizeof(*fill));
	if (!fill)
		goto nomem;
	for (i = 1; i < ng; i++)
		g[i].first = g[i - 1].first + g[i - 1].count;
	for (i = 0; i < ng; i++)
		fill[i] = g[i].first;
	for (i = 0; i < n; i++)
		ord[fill[gi[i]]++] = i;
	free(fill);
	free(gi);
	free(m.keys);
	free(m.vals);
	*groups = g;
	*ngroups = ng;
	*order = ord;
	return TP_OK;
nomem:
	free(gi);
	free(ord);
	free(g);
	free(m.keys);
	free(m.vals);
	return TP_ERR_NOMEM;
}

/* ---- sheet names ---- */

/*
 * A sheet name from title: characters Excel forbids ([]:*?/\ and controls) become '_',
 * apostrophes at either end are dropped, cut to max characters at a boundary.
 */
static void sanitize_name(const char *title, size_t max, char *out, size_t outlen)
{
	size_t n = strlen(title), i = 0, o = 0, chars = 0;

	while (i < n && chars < max) {
		size_t k = utf8_seq_len((const unsigned char *)title + i, n - i);
		unsigned char c = (unsigned char)title[i];

		if (k == 4 && chars + 2 > max)
			break; /* Excel counts UTF-16 units: a 4-byte character is 2 */
		if (k == 4)
			chars++;

		if (k == 0 || c < 0x20 || strchr("[]:*?/\\", c)) {
			if (o + 1 >= outlen)
				break;
			out[o++] = '_';
			i += k ? k : 1;
		} else {
			if (o + k >= outlen)
				break;
			memcpy(out + o, title + i, k);
			o += k;
			i += k;
		}
		chars++;
	}
	out[o] = '\0';
	while (o > 0 && out[o - 1] == '\'')
		out[--o] = '\0';
	for (i = 0; out[i] == '\''; i++)
		;
	memmove(out, out + i, o - i + 1);
	if (!out[0])
		snprintf(out, outlen, "政策");
}

static int name_taken(const struct part *parts, size_t np, const char *name)
{
	size_t i;

	if (strcasecmp(name, SUMMARY_NAME) == 0 || strcasecmp(name, "History") == 0)
		return 1;
	for (i = 0; i < np; i++)
		if (strcasecmp(parts[i].name, name) == 0)
			return 1;
	return 0;
}

/* Names parts[np] uniquely after title: "title", else "title(2)", "title(3)" … */
static void name_part(struct part *parts, size_t np, const char *title, int k)
{
	char base[SHEET_NAME_MAX * 4 + 1], suffix[16];

	for (;; k++) {
		suffix[0] = '\0';
		if (k > 1)
			snprintf(suffix, sizeof(suffix), "(%d)", k);
		sanitize_name(title, SHEET_NAME_MAX - strlen(suffix), base, sizeof(base));
		snprintf(parts[np].name, sizeof(parts[np].name), "%s%s", base, suffix);
		if (!name_taken(parts, np, parts[np].name))
			return;
	}
}

/* ---- cells ---- */

static void header(struct xw *x, const char *name, const char *const *h, const double *w,
		   size_t n)
{
	size_t i;

	xw_sheet(x, name, w, n, 1);
	xw_row(x, 0);
	for (i = 0; i < n; i++)
		xw_text(x, (uint32_t)i, h[i], XW_BOLD);
}

/* The quoted sheet reference for formulas: 'it''s' */
static void quote_sheet(const char *name, char *out, size_t outlen)
{
	size_t o = 0;

	out[o++] = '\'';
	for (; *name && o + 3 < outlen; name++) {
		if (*name == '\'')
			out[o++] = '\'';
		out[o++] = *name;
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* ---- the payment list ---- */

/*
 * Eleven columns: what a reviewer checks and no more (every cell is XML to write and
 * to deflate): the beneficiary kind is the policy's (one sheet per policy), the
 * instalment is folded into the period ("2026 第2期").
 */
enum { C_LINE, C_NAME, C_ID, C_TOWN, C_CHAIN, C_PERIOD, C_BANK, C_BRANCH, C_ACCNAME, C_ACC,
       C_AMOUNT, NCOLS };
#define AMOUNT_COL "K"

static const char *const LIST_HEAD[NCOLS] = {
	"明细编号", "姓名/单位", "证件号码", "镇街", "产业链", "期间",
	"开户银行", "开户网点",  "户名",     "账号", "金额(元)"};
static const double LIST_WIDTH[NCOLS] = {12, 14, 22, 12, 14, 14, 18, 24, 14, 24, 16};

static void list_row(struct xw *x, uint32_t r, const struct pay_line_view *l)
{
	char idm[64], accm[64], period[64];
	const char *pk = l->period_key ? l->period_key : "";

	xw_row(x, r);
	xw_int(x, C_LINE, l->line_id, XW_PLAIN);
	xw_text(x, C_NAME, l->name, XW_PLAIN);
	/* "@" (text) on the ID and account cells: edited in Excel they stay text */
	xw_text(x, C_ID, pf_mask_safe(l->id_mask, idm, sizeof(idm)), XW_TEXT);
	xw_text(x, C_TOWN, l->town, XW_PLAIN);
	xw_text(x, C_CHAIN, l->industry_chain, XW_PLAIN);
	if (l->instalment > 1) {
		snprintf(period, sizeof(period), "%s 第%d期", pk, l->instalment);
		pk = period;
	}
	xw_text(x, C_PERIOD, pk, XW_PLAIN);
	xw_text(x, C_BANK, l->bank, XW_PLAIN);
	xw_text(x, C_BRANCH, l->branch, XW_PLAIN);
	xw_text(x, C_ACCNAME, l->account_name, XW_PLAIN);
	xw_text(x, C_ACC, pf_mask_safe(l->account_mask, accm, sizeof(accm)), XW_TEXT);
	xw_money(x, C_AMOUNT, l->amount_fen, XW_MONEY);
}

static void write_part(struct xw *x, const struct part *p, const struct group *g,
		       const struct pay_line_view *lines, const size_t *order)
{
	char formula[64], count[32];
	uint32_t last = (uint32_t)(p->count + 1);
	size_t i;

	header(x, p->name, LIST_HEAD, LIST_WIDTH, NCOLS);
	for (i = 0; i < p->count && xw_error(x) == TP_OK; i++)
		list_row(x, (uint32_t)(i + 1), &lines[order[g->first + p->start + i]]);
	snprintf(formula, sizeof(formula), "SUM(" AMOUNT_COL "2:" AMOUNT_COL "%zu)", p->count + 1);
	snprintf(count, sizeof(count), "%zu笔", p->count);
	xw_row(x, last);
	xw_text(x, C_LINE, "合计", XW_BOLD);
	xw_text(x, C_NAME, count, XW_BOLD);
	xw_formula_money(x, C_AMOUNT, formula, p->total, XW_BOLD_MONEY);
}

/* "=COUNT('a'!M2:M9)+COUNT('a(2)'!M2:M5)" and "='a'!M10+'a(2)'!M6" for a policy. */
static enum tp_rc group_formulas(const struct group *g, const struct part *parts, char **count_f,
				 char **total_f)
{
	size_t cap = 16 + g->nparts * (SHEET_NAME_MAX * 8 + 48), i, oc = 0, ot = 0;
	char *cf = malloc(cap), *tf = malloc(cap), q[SHEET_NAME_MAX * 8 + 4];

	if (!cf || !tf) {
		free(cf);
		free(tf);
		return TP_ERR_NOMEM;
	}
	cf[oc++] = '=';
	tf[ot++] = '=';
	for (i = 0; i < g->nparts; i++) {
		const struct part *p = &parts[g->part0 + i];

		quote_sheet(p->name, q, sizeof(q));
		oc += (size_t)snprintf(cf + oc, cap - oc, "%sCOUNT(%s!" AMOUNT_COL "2:" AMOUNT_COL "%zu)",
				       i ? "+" : "", q, p->count + 1);
		ot += (size_t)snprintf(tf + ot, cap - ot, "%s%s!" AMOUNT_COL "%zu", i ? "+" : "", q,
				       p->count + 2);
	}
	*count_f = cf;
	*total_f = tf;
	return TP_OK;
}

static const char *const SUM_HEAD[] = {"政策代码", "政策名称", "工作表", "笔数", "金额(元)"};
static const double SUM_WIDTH[] = {24, 30, 30, 10, 20};

static enum tp_rc write_summary(struct xw *x, const struct pay_run_view *run,
				const struct group *g, size_t ng, const struct part *parts,
				int64_t total, size_t n)
{
	char formula[64], num[32];
	uint32_t r;
	size_t i;

	header(x, SUMMARY_NAME, SUM_HEAD, SUM_WIDTH, 5);
	for (i = 0; i < ng; i++) {
		char *cf, *tf;

		r = (uint32_t)(i + 1);
		if (group_formulas(&g[i], parts, &cf, &tf) != TP_OK)
			return TP_ERR_NOMEM;
		xw_row(x, r);
		xw_text(x, 0, g[i].policy, XW_TEXT);
		xw_text(x, 1, g[i].title, XW_TEXT);
		xw_text(x, 2, parts[g[i].part0].name, XW_TEXT);
		xw_formula_int(x, 3, cf, (int64_t)g[i].count, XW_INTEGER);
		xw_formula_money(x, 4, tf, g[i].total, XW_MONEY);
		free(cf);
		free(tf);
	}
	xw_row(x, (uint32_t)(ng + 1));
	xw_text(x, 0, "合计", XW_BOLD);
	snprintf(formula, sizeof(formula), "SUM(D2:D%zu)", ng + 1);
	xw_formula_int(x, 3, formula, (int64_t)n, XW_BOLD);
	snprintf(formula, sizeof(formula), "SUM(E2:E%zu)", ng + 1);
	xw_formula_money(x, 4, formula, total, XW_BOLD_MONEY);
	if (run) {
		const char *k[] = {"批次号", "期间", "审批人", "审批时间", "付款户名", "付款账号"};
		const char *v[] = {num, run->period, run->approved_by, run->approved_at,
				   run->payer_name, run->payer_account};

		snprintf(num, sizeof(num), "%lld", (long long)run->run_id);
		for (i = 0; i < 6; i++) {
			xw_row(x, (uint32_t)(ng + 3 + i));
			xw_text(x, 0, k[i], XW_BOLD);
			xw_text(x, 1, v[i], XW_TEXT);
		}
	}
	return TP_OK;
}

/* Splits the groups into sheets (parts) and names them; TP_ERR_TOO_LARGE, NOMEM. */
static enum tp_rc plan_parts(struct group *g, size_t ng, const struct pay_line_view *lines,
			     const size_t *order, size_t rows_per_sheet, struct part **out,
			     size_t *nout, struct payfile_err *err)
{
	struct part *parts;
	size_t np = 0, i, j;

	for (i = 0; i < ng; i++) {
		g[i].nparts = (g[i].count + rows_per_sheet - 1) / rows_per_sheet;
		if (g[i].nparts > MAX_PARTS) {
			pf_fail(err, 0, "policy_too_large", "单个政策的明细超过工作表上限",
				"one policy has more lines than its sheets can hold");
			return TP_ERR_TOO_LARGE;
		}
		np += g[i].nparts;
	}
	parts = calloc(np, sizeof(*parts));
	if (!parts)
		return TP_ERR_NOMEM;
	np = 0;
	for (i = 0; i < ng; i++) {
		g[i].part0 = np;
		for (j = 0; j < g[i].nparts; j++, np++) {
			size_t k, end;

			parts[np].group = i;
			parts[np].start = j * rows_per_sheet;
			end = parts[np].start + rows_per_sheet;
			parts[np].count = (end > g[i].count ? g[i].count : end) - parts[np].start;
			for (k = 0; k < parts[np].count; k++)
				parts[np].total += lines[order[g[i].first + parts[np].start + k]].amount_fen;
			name_part(parts, np, g[i].title, j == 0 ? 1 : (int)j + 1);
		}
	}
	*out = parts;
	*nout = np;
	return TP_OK;
}

enum tp_rc payfile_list_xlsx(const char *path, const struct pay_run_view *run,
			     const struct pay_line_view *lines, size_t n,
			     const struct payfile_xlsx_opts *o, struct payfile_err *err)
{
	size_t rows_per_sheet = o ? o->rows_per_sheet : 0;
	struct group *g = NULL;
	struct part *parts = NULL;
	size_t ng = 0, np = 0, i, *order = NULL;
	struct xw *x = NULL;
	int64_t total;
	enum tp_rc rc;

	if (rows_per_sheet == 0)
		rows_per_sheet = DEFAULT_ROWS_PER_SHEET;
	if (rows_per_sheet > EXCEL_MAX_ROWS - 2)
		rows_per_sheet = EXCEL_MAX_ROWS - 2; /* header and total row */
	rc = pf_check_lines(lines, n, 0, &total, err);
	if (rc != TP_OK)
		return rc;
	rc = group_lines(lines, n, &g, &ng, &order);
	if (rc == TP_OK)
		rc = plan_parts(g, ng, lines, order, rows_per_sheet, &parts, &np, err);
	if (rc == TP_OK)
		rc = xw_open(path, &x);
	if (rc == TP_OK && o && o->threads > 1)
		rc = xw_set_threads(x, o->threads); /* deflate beside the formatting */
	if (rc == TP_OK)
		rc = write_summary(x, run, g, ng, parts, total, n);
	for (i = 0; rc == TP_OK && i < np && xw_error(x) == TP_OK; i++)
		write_part(x, &parts[i], &g[parts[i].group], lines, order);
	if (x && rc != TP_OK) {
		xw_discard(x);
	} else if (x) {
		rc = xw_close(x); /* the first writing error, if any */
		if (rc == TP_ERR_INVALID) /* a sheet name refused: a bug of name_part */
			pf_fail(err, 0, "sheet_name", "工作表名称无效", "a sheet name was refused");
	}
	if (rc != TP_OK)
		unlink(path);
	free(parts);
	free(g);
	free(order);
	return rc;
}

/* ---- the public-announcement list ---- */

static const char *const NOTICE_HEAD[] = {"序号", "姓名", "证件号码", "镇街",
					  "政策", "期间", "金额(元)"};
static const double NOTICE_WIDTH[] = {8, 10, 22, 12, 30, 10, 16};

enum tp_rc payfile_notice_xlsx(const char *path, const struct pay_run_view *run,
			       const struct pay_line_view *lines, size_t n,
			       struct payfile_err *err)
{
	char name[256], idm[64], formula[64], count[32];
	struct xw *x = NULL;
	int64_t total;
	enum tp_rc rc;
	size_t i;

	(void)run;
	rc = pf_check_lines(lines, n, 0, &total, err);
	if (rc != TP_OK)
		return rc;
	if (n > EXCEL_MAX_ROWS - 2) {
		pf_fail(err, 0, "run_too_large", "公示名单超过一个工作表的行数上限",
			"the list has more lines than one sheet holds");
		return TP_ERR_TOO_LARGE;
	}
	rc = xw_open(path, &x);
	if (rc != TP_OK) {
		unlink(path);
		return rc;
	}
	header(x, "公示名单", NOTICE_HEAD, NOTICE_WIDTH, 7);
	for (i = 0; i < n && xw_error(x) == TP_OK; i++) {
		const struct pay_line_view *l = &lines[i];

		xw_row(x, (uint32_t)(i + 1));
		xw_int(x, 0, (int64_t)(i + 1), XW_INTEGER);
		xw_text(x, 1, payfile_mask_name(l->name, name, sizeof(name)), XW_TEXT);
		xw_text(x, 2, pf_mask_safe(l->id_mask, idm, sizeof(idm)), XW_TEXT);
		xw_text(x, 3, l->town, XW_TEXT);
		xw_text(x, 4,
			l->policy_title_zh && *l->policy_title_zh ? l->policy_title_zh : l->policy,
			XW_TEXT);
		xw_text(x, 5, l->period_key, XW_TEXT);
		xw_money(x, 6, l->amount_fen, XW_MONEY);
	}
	snprintf(formula, sizeof(formula), "SUM(G2:G%zu)", n + 1);
	snprintf(count, sizeof(count), "%zu笔", n);
	xw_row(x, (uint32_t)(n + 1));
	xw_text(x, 0, "合计", XW_BOLD);
	xw_text(x, 1, count, XW_BOLD);
	xw_formula_money(x, 6, formula, total, XW_BOLD_MONEY);
	return xw_close(x); /* removes path on an error */
}
