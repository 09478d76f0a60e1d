/*
 * payment_xlsx.c — the payment list and the public-announcement list as XLSX
 * (libxlsxwriter, constant-memory mode: rows stream to a temporary file per sheet).
 *
 * Lines are grouped by policy with a counting sort (stable, O(n)); a policy's lines
 * go on its own sheet (continued on "<name>(2)" past rows_per_sheet).  Totals are
 * =SUM formulas whose cached values are computed from the integer fen, so a reader
 * that does not recalculate (a viewer, a script) sees the exact total too.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <xlsxwriter.h>
#pragma GCC diagnostic pop

#include "core/utf8.h"
#include "domain/payment_files_int.h"

#define DEFAULT_ROWS_PER_SHEET 1000000
#define EXCEL_MAX_ROWS 1048576
#define MAX_PARTS 64               /* sheets per policy */
#define SHEET_NAME_MAX 31          /* characters */
#define CELL_MAX 32767             /* bytes Excel keeps in a cell */
#define SUMMARY_NAME "汇总"
#define MAX_THREADS 8

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
	lxw_worksheet *ws;
};

struct fmts {
	lxw_format *bold, *text, *money, *bold_money, *integer;
};

struct book {
	lxw_workbook *wb;
	struct fmts f;
	char *scratch;           /* cleaned cell text */
	size_t scratch_cap;
	lxw_error err;           /* first libxlsxwriter error */
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

/* s as Excel can keep it: valid UTF-8 (bad bytes → '?'), at most CELL_MAX bytes. */
static const char *clean(struct book *b, const char *s)
{
	size_t n, i, o = 0;

	if (!s)
		return "";
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	if (!s[i] && i <= CELL_MAX)
		return s; /* plain ASCII: the common case for codes and numbers */
	n = i + strlen(s + i);
	if (b->scratch_cap < CELL_MAX + 1) {
		b->scratch = malloc(CELL_MAX + 1);
		if (!b->scratch)
			return "";
		b->scratch_cap = CELL_MAX + 1;
	}
	for (i = 0; i < n;) {
		size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);

		if (k == 0) {
			if (o + 1 > CELL_MAX)
				break;
			b->scratch[o++] = '?';
			i++;
			continue;
		}
		if (o + k > CELL_MAX)
			break;
		memcpy(b->scratch + o, s + i, k);
		o += k;
		i += k;
	}
	b->scratch[o] = '\0';
	return b->scratch;
}

static void note(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
		b->err = e;
}

static void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		     lxw_format *f)
{
	if (s && *s)
		note(b, worksheet_write_string(ws, r, c, clean(b, s), f));
}

static void put_money(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int64_t fen)
{
	/* the double nearest fen/100: one correctly rounded division of exact integers */
	note(b, worksheet_write_number(ws, r, c, (double)fen / 100.0, b->f.money));
}

static void put_formula(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
			const char *formula, lxw_format *f, double cached)
{
	note(b, worksheet_write_formula_num(ws, r, c, formula, f, cached));
}

static void header(struct book *b, lxw_worksheet *ws, const char *const *h, const double *w,
		   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		note(b, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, w[i], NULL));
		put_text(b, ws, 0, (lxw_col_t)i, h[i], b->f.bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
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

static enum tp_rc book_open(struct book *b, const char *path)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};

	memset(b, 0, sizeof(*b));
	b->wb = workbook_new_opt(path, &opt);
	if (!b->wb)
		return TP_ERR_IO;
	b->f.bold = workbook_add_format(b->wb);
	b->f.text = workbook_add_format(b->wb);
	b->f.money = workbook_add_format(b->wb);
	b->f.bold_money = workbook_add_format(b->wb);
	b->f.integer = workbook_add_format(b->wb);
	if (!b->f.bold || !b->f.text || !b->f.money || !b->f.bold_money || !b->f.integer)
		return TP_ERR_NOMEM;
	format_set_bold(b->f.bold);
	format_set_num_format(b->f.text, "@");
	format_set_num_format(b->f.money, "¥#,##0.00");
	format_set_bold(b->f.bold_money);
	format_set_num_format(b->f.bold_money, "¥#,##0.00");
	format_set_num_format(b->f.integer, "0");
	return TP_OK;
}

/* Closes the workbook; returns rc, else the first writing error. */
static enum tp_rc book_close(struct book *b, enum tp_rc rc)
{
	lxw_error e = b->wb ? workbook_close(b->wb) : LXW_NO_ERROR;

	free(b->scratch);
	if (rc != TP_OK)
		return rc;
	if (b->err == LXW_ERROR_MEMORY_MALLOC_FAILED || e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return TP_ERR_NOMEM;
	return b->err != LXW_NO_ERROR || e != LXW_NO_ERROR ? TP_ERR_IO : TP_OK;
}

/* ---- the payment list ---- */

/*
 * Eleven columns.  Every cell costs libxlsxwriter a formatted write and its XML a
 * deflate at close (half the time goes to zlib), so the list keeps what a reviewer
 * checks and no more: the beneficiary kind is the policy's (one sheet per policy), the
 * instalment is folded into the period ("2026 第2期").
 */
enum { C_LINE, C_NAME, C_ID, C_TOWN, C_CHAIN, C_PERIOD, C_BANK, C_BRANCH, C_ACCNAME, C_ACC,
       C_AMOUNT, NCOLS };
#define AMOUNT_COL "K"

static const char *const LIST_HEAD[NCOLS] = {
	"明细编号", "姓名/单位", "证件号码", "镇街", "产业链", "期间",
	"开户银行", "开户网点",  "户名",     "账号", "金额(元)"};
static const double LIST_WIDTH[NCOLS] = {12, 14, 22, 12, 14, 14, 18, 24, 14, 24, 16};

static void list_row(struct book *b, lxw_worksheet *ws, lxw_row_t r,
		     const struct pay_line_view *l)
{
	char idm[64], accm[64], period[64];
	const char *pk = l->period_key ? l->period_key : "";

	note(b, worksheet_write_number(ws, r, C_LINE, (double)l->line_id, NULL));
	put_text(b, ws, r, C_NAME, l->name, NULL);
	/* "@" (text) on the ID and account cells: edited in Excel they stay text */
	put_text(b, ws, r, C_ID, pf_mask_safe(l->id_mask, idm, sizeof(idm)), b->f.text);
	put_text(b, ws, r, C_TOWN, l->town, NULL);
	put_text(b, ws, r, C_CHAIN, l->industry_chain, NULL);
	if (l->instalment > 1) {
		snprintf(period, sizeof(period), "%s 第%d期", pk, l->instalment);
		pk = period;
	}
	put_text(b, ws, r, C_PERIOD, pk, NULL);
	put_text(b, ws, r, C_BANK, l->bank, NULL);
	put_text(b, ws, r, C_BRANCH, l->branch, NULL);
	put_text(b, ws, r, C_ACCNAME, l->account_name, NULL);
	put_text(b, ws, r, C_ACC, pf_mask_safe(l->account_mask, accm, sizeof(accm)), b->f.text);
	put_money(b, ws, r, C_AMOUNT, l->amount_fen);
}

static void write_part(struct book *b, const struct part *p, const struct group *g,
		       const struct pay_line_view *lines, const size_t *order)
{
	char formula[64], count[32];
	size_t i;

	header(b, p->ws, LIST_HEAD, LIST_WIDTH, NCOLS);
	for (i = 0; i < p->count && b->err == LXW_NO_ERROR; i++)
		list_row(b, p->ws, (lxw_row_t)(i + 1), &lines[order[g->first + p->start + i]]);
	snprintf(formula, sizeof(formula), "=SUM(" AMOUNT_COL "2:" AMOUNT_COL "%zu)", p->count + 1);
	snprintf(count, sizeof(count), "%zu笔", p->count);
	put_text(b, p->ws, (lxw_row_t)(p->count + 1), C_LINE, "合计", b->f.bold);
	put_text(b, p->ws, (lxw_row_t)(p->count + 1), C_NAME, count, b->f.bold);
	put_formula(b, p->ws, (lxw_row_t)(p->count + 1), C_AMOUNT, formula, b->f.bold_money,
		    (double)p->total / 100.0);
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

static enum tp_rc write_summary(struct book *b, lxw_worksheet *ws, const struct pay_run_view *run,
				const struct group *g, size_t ng, const struct part *parts,
				int64_t total, size_t n)
{
	char formula[64], num[32];
	lxw_row_t r;
	size_t i;

	header(b, ws, SUM_HEAD, SUM_WIDTH, 5);
	for (i = 0; i < ng; i++) {
		char *cf, *tf;

		r = (lxw_row_t)(i + 1);
		if (group_formulas(&g[i], parts, &cf, &tf) != TP_OK)
			return TP_ERR_NOMEM;
		put_text(b, ws, r, 0, g[i].policy, b->f.text);
		put_text(b, ws, r, 1, g[i].title, b->f.text);
		put_text(b, ws, r, 2, parts[g[i].part0].name, b->f.text);
		put_formula(b, ws, r, 3, cf, b->f.integer, (double)g[i].count);
		put_formula(b, ws, r, 4, tf, b->f.money, (double)g[i].total / 100.0);
		free(cf);
		free(tf);
	}
	r = (lxw_row_t)(ng + 1);
	put_text(b, ws, r, 0, "合计", b->f.bold);
	snprintf(formula, sizeof(formula), "=SUM(D2:D%zu)", ng + 1);
	put_formula(b, ws, r, 3, formula, b->f.bold, (double)n);
	snprintf(formula, sizeof(formula), "=SUM(E2:E%zu)", ng + 1);
	put_formula(b, ws, r, 4, formula, b->f.bold_money, (double)total / 100.0);
	if (run) {
		const char *k[] = {"批次号", "期间", "审批人", "审批时间", "付款户名", "付款账号"};
		const char *v[] = {num, run->period, run->approved_by, run->approved_at,
				   run->payer_name, run->payer_account};

		snprintf(num, sizeof(num), "%lld", (long long)run->run_id);
		for (i = 0; i < 6; i++) {
			put_text(b, ws, (lxw_row_t)(ng + 3 + i), 0, k[i], b->f.bold);
			put_text(b, ws, (lxw_row_t)(ng + 3 + i), 1, v[i], b->f.text);
		}
	}
	return TP_OK;
}

/* ---- the policy sheets on several threads ---- */

/*
 * In constant-memory mode each libxlsxwriter worksheet streams its rows to its own
 * temporary file, and a cell's write touches only its worksheet, with one exception:
 * the first use of a format registers it with the workbook (lxw_format_get_xf_index).
 * So every format is registered here first, on the calling thread, and then each
 * thread owns whole sheets (its own struct book copy: scratch buffer and first error).
 * The sheet XML is byte for byte what one thread writes (tested).  The deflate at
 * workbook_close stays on the calling thread.
 */
struct job {
	struct book pen;
	const struct part **mine;
	size_t nmine;
	const struct group *g;
	const struct pay_line_view *lines;
	const size_t *order;
};

static void *job_run(void *arg)
{
	struct job *j = arg;
	size_t i;

	for (i = 0; i < j->nmine && j->pen.err == LXW_NO_ERROR; i++)
		write_part(&j->pen, j->mine[i], &j->g[j->mine[i]->group], j->lines, j->order);
	return NULL;
}

static enum tp_rc write_parts(struct book *b, const struct part *parts, size_t np,
			      const struct group *g, const struct pay_line_view *lines,
			      const size_t *order, int threads)
{
	struct job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS] = {0};
	size_t load[MAX_THREADS] = {0}, i, nt;
	const struct part **mine;

	nt = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : (size_t)threads;
	if (nt > np)
		nt = np;
	if (nt <= 1) {
		for (i = 0; i < np && b->err == LXW_NO_ERROR; i++)
			write_part(b, &parts[i], &g[parts[i].group], lines, order);
		return TP_OK;
	}
	mine = calloc(np * nt, sizeof(*mine));
	if (!mine)
		return TP_ERR_NOMEM;
	lxw_format_get_xf_index(b->f.bold);
	lxw_format_get_xf_index(b->f.text);
	lxw_format_get_xf_index(b->f.money);
	lxw_format_get_xf_index(b->f.bold_money);
	lxw_format_get_xf_index(b->f.integer);
	for (i = 0; i < nt; i++) {
		jobs[i] = (struct job){.pen = *b, .mine = mine + i * np, .g = g, .lines = lines,
				       .order = order};
		jobs[i].pen.scratch = NULL;
		jobs[i].pen.scratch_cap = 0;
		jobs[i].pen.err = LXW_NO_ERROR;
	}
	for (i = 0; i < np; i++) { /* each sheet to the least loaded thread */
		size_t k, best = 0;

		for (k = 1; k < nt; k++)
			if (load[k] < load[best])
				best = k;
		jobs[best].mine[jobs[best].nmine++] = &parts[i];
		load[best] += parts[i].count + 1;
	}
	for (i = 1; i < nt; i++)
		started[i] = pthread_create(&tid[i], NULL, job_run, &jobs[i]) == 0;
	job_run(&jobs[0]);
	for (i = 1; i < nt; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			job_run(&jobs[i]); /* no thread: do its share here */
	}
	for (i = 0; i < nt; i++) {
		note(b, jobs[i].pen.err);
		free(jobs[i].pen.scratch);
	}
	free(mine);
	return TP_OK;
}

enum tp_rc payfile_list_xlsx(const char *path, const struct pay_run_view *run,
			     const struct pay_line_view *lines, size_t n,
			     const struct payfile_xlsx_opts *o, struct payfile_err *err)
{
	size_t rows_per_sheet = o ? o->rows_per_sheet : 0;
	struct group *g = NULL;
	struct part *parts = NULL;
	size_t ng = 0, np = 0, i, j, *order = NULL;
	lxw_worksheet *summary;
	struct book b;
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
	if (rc != TP_OK)
		return rc;
	for (i = 0; i < ng; i++) {
		g[i].nparts = (g[i].count + rows_per_sheet - 1) / rows_per_sheet;
		if (g[i].nparts > MAX_PARTS) {
			free(g);
			free(order);
			pf_fail(err, 0, "policy_too_large", "单个政策的明细超过工作表上限",
				"one policy has more lines than its sheets can hold");
			return TP_ERR_TOO_LARGE;
		}
		np += g[i].nparts;
	}
	parts = calloc(np, sizeof(*parts));
	if (!parts) {
		free(g);
		free(order);
		return TP_ERR_NOMEM;
	}
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
	rc = book_open(&b, path);
	if (rc == TP_OK) {
		summary = workbook_add_worksheet(b.wb, SUMMARY_NAME);
		if (!summary)
			rc = TP_ERR_NOMEM;
		for (i = 0; rc == TP_OK && i < np; i++)
			if (!(parts[i].ws = workbook_add_worksheet(b.wb, parts[i].name)))
				rc = pf_fail(err, 0, "sheet_name", "工作表名称无效",
					     "a sheet name was refused");
		if (rc == TP_OK)
			rc = write_summary(&b, summary, run, g, ng, parts, total, n);
		if (rc == TP_OK)
			rc = write_parts(&b, parts, np, g, lines, order, o ? o->threads : 1);
	}
	rc = book_close(&b, rc);
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
	lxw_worksheet *ws = NULL;
	struct book b;
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
	rc = book_open(&b, path);
	if (rc == TP_OK && !(ws = workbook_add_worksheet(b.wb, "公示名单")))
		rc = TP_ERR_NOMEM;
	if (rc == TP_OK) {
		header(&b, ws, NOTICE_HEAD, NOTICE_WIDTH, 7);
		for (i = 0; i < n && b.err == LXW_NO_ERROR; i++) {
			const struct pay_line_view *l = &lines[i];
			lxw_row_t r = (lxw_row_t)(i + 1);

			note(&b, worksheet_write_number(ws, r, 0, (double)(i + 1), b.f.integer));
			put_text(&b, ws, r, 1, payfile_mask_name(l->name, name, sizeof(name)),
				 b.f.text);
			put_text(&b, ws, r, 2, pf_mask_safe(l->id_mask, idm, sizeof(idm)), b.f.text);
			put_text(&b, ws, r, 3, l->town, b.f.text);
			put_text(&b, ws, r, 4,
				 l->policy_title_zh && *l->policy_title_zh ? l->policy_title_zh
									   : l->policy,
				 b.f.text);
			put_text(&b, ws, r, 5, l->period_key, b.f.text);
			put_money(&b, ws, r, 6, l->amount_fen);
		}
		snprintf(formula, sizeof(formula), "=SUM(G2:G%zu)", n + 1);
		snprintf(count, sizeof(count), "%zu笔", n);
		put_text(&b, ws, (lxw_row_t)(n + 1), 0, "合计", b.f.bold);
		put_text(&b, ws, (lxw_row_t)(n + 1), 1, count, b.f.bold);
		put_formula(&b, ws, (lxw_row_t)(n + 1), 6, formula, b.f.bold_money,
			    (double)total / 100.0);
	}
	rc = book_close(&b, rc);
	if (rc != TP_OK)
		unlink(path);
	return rc;
}
