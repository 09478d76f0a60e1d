/*
 * payment_files.c — the files of a payment run (docs/payment-files.md, domain/payment_files.h):
 *
 *   GET  /api/v1/payment-runs/{id}/bank-file          finance: the bank file (plain account
 *        numbers), audited; an approved run becomes exported (payment_run_mark_exported —
 *        the same operation as POST …/export, which stays for a bank that takes no file)
 *   GET  /api/v1/payment-runs/{id}/payment-list.xlsx  office, finance, auditor
 *   GET  /api/v1/payment-runs/{id}/announcement.csv|.xlsx  office, finance: the lines of the
 *        policies in the setting payments.announce
 *   POST /api/v1/payment-runs/{id}/bank-result-file   finance: the bank's result file as the
 *        body → payfile_result_parse → 422 with the issues, or payment_run_apply_results();
 *        a failure whose reason says the account is closed marks the account closed
 *
 * Talents and employers never reach these (403 at the route).  Every file is audited.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "domain/audit.h"
#include "domain/bank_accounts.h"
#include "domain/payment_files.h"
#include "domain/payments.h"
#include "domain/registry.h"
#include "http/pack.h"
#include "policy/policy.h"
#include "store/store.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_MIME "text/csv; charset=utf-8"
#define PAGE 1000

/* NET: what the bank is sent — each line's amount less its clawback offset
 * (docs/payments.md), and no line wholly offset (it is paid without the bank). */
enum { WITH_NUMBERS = 1, ANNOUNCE_ONLY = 2, NET = 4, NO_PERSON = 8 };

/* 1 when policy is listed in the comma/space separated setting value v. */
static int listed(const char *v, const char *policy)
{
	size_t pl = strlen(policy);
	for (const char *p = v; p && *p;) {
		p += strspn(p, ", \t\n");
		size_t k = strcspn(p, ", \t\n");
		if (k == pl && strncmp(p, policy, k) == 0)
			return 1;
		p += k;
	}
	return 0;
}

/* The policy's Chinese title from the server's pack (a small cache per request: a run has
 * few policies); the code itself when the pack has no such policy. */
struct titles {
	const char *code[64], *zh[64];
	size_t n;
};

static const char *policy_title(struct request *rq, struct titles *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->code[i], code) == 0)
			return t->zh[i];
	const char *zh = code;
	const struct pol_pack *pk = http_policy_pack();
	int idx = pk ? pol_pack_find(pk, code) : -1;
	if (idx >= 0) {
		json_t *o = pol_pack_policy_json(pk, idx, 0);
		const char *v = json_string_value(json_object_get(json_object_get(o, "title"), "zh"));
		if (v && *v)
			zh = arena_strdup(rq->arena, v);
		json_decref(o);
		if (!zh)
			zh = code;
	}
	if (t->n < 64) { /* kept across pages: code may live in a page's arena */
		t->code[t->n] = arena_strdup(rq->arena, code);
		if (!t->code[t->n])
			return zh;
		t->zh[t->n++] = zh;
	}
	return zh;
}

/*
 * Fills view w of line x (not cancelled) with strings in a: the policy's title; unless
 * NO_PERSON, the name, masked ID number and town from the registry; with WITH_NUMBERS the
 * plain account number of the beneficiary's current account, which must still be the
 * account the line was built with (409 "account_changed" otherwise); with NET the amount
 * the bank is sent.  Answers the failure itself and returns -1.
 */
static int fill_view(struct request *rq, struct response *rs, struct arena *a, int flags,
		     struct titles *titles, const struct pay_line *x, struct pay_line_view *w)
{
	memset(w, 0, sizeof *w);
	w->line_id = x->id;
	w->entitlement_id = x->entitlement_id;
	w->policy = x->policy;
	w->policy_title_zh = policy_title(rq, titles, x->policy);
	w->beneficiary_kind = x->beneficiary_kind;
	w->beneficiary_id = x->beneficiary_id;
	w->period_key = x->period_key;
	w->instalment = x->instalment;
	w->bank = x->bank;
	w->branch = x->branch;
	w->account_name = x->account_name;
	w->account_mask = x->account_mask;
	w->amount_fen = flags & NET ? x->amount_fen - x->offset_fen : x->amount_fen;
	w->offset_fen = x->offset_fen;
	if (flags & NO_PERSON) {
		/* the bank file names nobody but the account holder */
	} else if (strcmp(x->beneficiary_kind, "talent") == 0) {
		struct talent t;
		if (STORE_CALL(talent_get, rq->store, x->beneficiary_id, a, &t) == TP_OK) {
			w->name = t.name;
			w->id_mask = t.id_number_mask;
			w->town = t.town;
			w->industry_chain = t.industry;
		}
	} else {
		struct enterprise e;
		if (STORE_CALL(enterprise_get, rq->store, x->beneficiary_id, a, &e) == TP_OK) {
			w->name = e.name;
			w->id_mask = e.credit_code; /* a public register number */
			w->town = e.town;
			w->industry_chain = e.industry;
		}
	}
	if (flags & WITH_NUMBERS) {
		struct pay_account pa;
		enum tp_rc rc = bank_account_for(rq->store, x->beneficiary_kind, x->beneficiary_id,
						 a, &pa);
		if (rc != TP_OK || !pa.account_mask || !x->account_mask ||
		    strcmp(pa.account_mask, x->account_mask) != 0) {
			if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
				resp_rc(rq, rs, rc);
				return -1;
			}
			struct verrors ve;
			verr_init(&ve, rq->arena);
			verr_addf(&ve, "lines", "account_changed",
				  "第 %lld 行的银行账户已变更或失效，请取消本批次后重新生成",
				  "line %lld: the bank account changed or was closed since "
				  "the run was built; cancel the run and build it again",
				  (long long)x->id);
			resp_problem(rq, rs, 409, "account_changed", ve.v[0].zh, ve.v[0].en, &ve);
			return -1;
		}
		w->account_number = pa.account_number;
	}
	return 0;
}

/* Whether line x belongs in a file of flags (announce: the setting payments.announce). */
static int wanted(const struct pay_line *x, int flags, const char *announce)
{
	if (strcmp(x->status, "cancelled") == 0)
		return 0;
	if ((flags & ANNOUNCE_ONLY) && (!announce || !listed(announce, x->policy)))
		return 0;
	return !(flags & NET) || x->offset_fen < x->amount_fen;
}

/*
 * Loads run id and its lines (those wanted()) as views (fill_view).  Answers the failure
 * itself and returns -1.  The payment list and the announcement lists use it; the bank
 * file is written page by page (api_payment_runs_bank_file).
 */
static int load(struct request *rq, struct response *rs, int64_t id, int flags,
		struct payment_run *run, struct pay_line_view **out, struct pay_line **lout,
		size_t *n)
{
	enum tp_rc rc = payment_run_get(rq->store, id, rq->arena, run);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	const char *announce = NULL;
	if (flags & ANNOUNCE_ONLY) {
		rc = STORE_CALL(setting_get, rq->store, "payments.announce", rq->arena, &announce);
		if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
			resp_rc(rq, rs, rc);
			return -1;
		}
	}
	size_t cap = (size_t)(run->lines > 0 ? run->lines : 1), k = 0;
	struct pay_line_view *v = arena_alloc(rq->arena, cap * sizeof *v);
	struct pay_line *ls = arena_alloc(rq->arena, cap * sizeof *ls);
	if (!v || !ls) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return -1;
	}
	struct titles titles = {.n = 0};
	int64_t after = 0;
	for (;;) {
		struct pay_line *l;
		size_t m;
		if ((rc = payment_run_lines(rq->store, id, after, PAGE, rq->arena, &l, &m)) != TP_OK) {
			resp_rc(rq, rs, rc);
			return -1;
		}
		for (size_t i = 0; i < m; i++) {
			const struct pay_line *x = &l[i];
			after = x->id;
			if (!wanted(x, flags, announce))
				continue;
			if (k == cap) { /* more lines than the run counted: grow */
				struct pay_line_view *nv = arena_alloc(rq->arena, 2 * cap * sizeof *nv);
				struct pay_line *nl = arena_alloc(rq->arena, 2 * cap * sizeof *nl);
				if (!nv || !nl) {
					resp_rc(rq, rs, TP_ERR_NOMEM);
					return -1;
				}
				memcpy(nv, v, k * sizeof *v);
				memcpy(nl, ls, k * sizeof *ls);
				v = nv, ls = nl, cap *= 2;
			}
			ls[k] = *x;
			if (fill_view(rq, rs, rq->arena, flags, &titles, x, &v[k++]) != 0)
				return -1;
		}
		if (m < PAGE)
			break;
	}
	*out = v;
	if (lout)
		*lout = ls;
	*n = k;
	return 0;
}

/*
 * The bank file of run id written from the store page by page (payfile_bank_csv_begin /
 * _page / _end): a first pass over the lines counts them and sums their net amounts for
 * the header, a second fills one page of views at a time in an arena freed after it.
 * Only the file's bytes are held, never the run's lines.  *buf (malloc'd) and *len on 0;
 * answers the failure itself and returns -1.  *count and *total: the D records.
 */
static void run_view(const struct payment_run *r, struct pay_run_view *rv);
static void writer_failed(struct request *rq, struct response *rs, enum tp_rc rc,
			  const struct payfile_err *err);

/* One CSV being written page by page: the stream, the writer's running state, its error. */
struct pages_out {
	FILE *fp;
	struct payfile_bank_pages bank;
	struct payfile_notice_pages notice;
	struct payfile_err err;
};

static enum tp_rc bank_page(struct pages_out *o, const struct pay_line_view *v, size_t n)
{
	return payfile_bank_csv_page(o->fp, &o->bank, v, n, &o->err);
}

static enum tp_rc notice_page(struct pages_out *o, const struct pay_line_view *v, size_t n)
{
	return payfile_notice_csv_page(o->fp, &o->notice, v, n, &o->err);
}

/*
 * Walks run_id's lines PAGE at a time, each page in an arena freed after it: fills the views
 * of the lines wanted (flags, announce as for wanted()) and hands them to page.  When
 * fill_view answers the request itself, *answered is set and TP_ERR_CONFLICT returned.
 */
static enum tp_rc walk_pages(struct request *rq, struct response *rs, int64_t run_id, int flags,
			     const char *announce,
			     enum tp_rc (*page)(struct pages_out *, const struct pay_line_view *, size_t),
			     struct pages_out *out, int *answered)
{
	struct titles titles = {.n = 0};
	int64_t after = 0;
	enum tp_rc rc = TP_OK;
	for (int done = 0; !done && rc == TP_OK;) {
		struct arena *a = arena_new();
		struct pay_line *l;
		size_t m = 0, k = 0;
		rc = a ? payment_run_lines(rq->store, run_id, after, PAGE, a, &l, &m) : TP_ERR_NOMEM;
		struct pay_line_view *v = rc == TP_OK ? arena_alloc(a, (m + 1) * sizeof *v) : NULL;
		if (rc == TP_OK && !v)
			rc = TP_ERR_NOMEM;
		for (size_t i = 0; rc == TP_OK && i < m; i++) {
			after = l[i].id;
			if (!wanted(&l[i], flags, announce))
				continue;
			if (fill_view(rq, rs, a, flags, &titles, &l[i], &v[k++]) != 0) {
				*answered = 1;
				rc = TP_ERR_CONFLICT;
			}
		}
		if (rc == TP_OK)
			rc = page(out, v, k);
		done = m < PAGE;
		arena_free(a);
	}
	return rc;
}

static int bank_file_pages(struct request *rq, struct response *rs, const struct payment_run *r,
			   char **buf, size_t *len, int64_t *count, int64_t *total)
{
	const int flags = WITH_NUMBERS | NET | NO_PERSON;
	enum tp_rc rc = TP_OK;
	*count = *total = 0;
	int64_t after = 0;
	for (int done = 0; !done && rc == TP_OK;) {
		struct arena *a = arena_new();
		struct pay_line *l;
		size_t m = 0;
		rc = a ? payment_run_lines(rq->store, r->id, after, PAGE, a, &l, &m) : TP_ERR_NOMEM;
		for (size_t i = 0; rc == TP_OK && i < m; i++) {
			after = l[i].id;
			if (wanted(&l[i], flags, NULL)) {
				(*count)++;
				*total += l[i].amount_fen - l[i].offset_fen;
			}
		}
		done = m < PAGE;
		arena_free(a);
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	struct pay_run_view rv;
	run_view(r, &rv);
	FILE *fp = open_memstream(buf, len);
	if (!fp) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return -1;
	}
	struct pages_out out = {.fp = fp};
	int answered = 0;
	rc = payfile_bank_csv_begin(fp, &out.bank, &rv, *count, *total, NULL, &out.err);
	if (rc == TP_OK)
		rc = walk_pages(rq, rs, r->id, flags, NULL, bank_page, &out, &answered);
	if (rc == TP_OK)
		rc = payfile_bank_csv_end(fp, &out.bank, &out.err);
	if (fclose(fp) != 0 && rc == TP_OK)
		rc = TP_ERR_IO;
	if (rc != TP_OK) {
		free(*buf);
		*buf = NULL;
		if (!answered)
			writer_failed(rq, rs, rc, &out.err);
		return -1;
	}
	return 0;
}

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (req_parse_id(rq->params[0], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	return 0;
}

static void run_view(const struct payment_run *r, struct pay_run_view *rv)
{
	memset(rv, 0, sizeof *rv);
	rv->run_id = r->id;
	rv->period = r->period;
	rv->approved_by = r->approved_by;
	rv->approved_at = r->updated_at;
	rv->payer_name = "晋江市人才服务";
	rv->payer_account = getenv("TALENTPORT_PAYER_ACCOUNT");
}

static void writer_failed(struct request *rq, struct response *rs, enum tp_rc rc,
			  const struct payfile_err *err)
{
	if (rc == TP_ERR_INVALID) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_addf(&ve, "lines", err->code ? err->code : "invalid", "第 %lld 行：%s",
			  "line %lld: %s", (long long)err->line_id, err->zh ? err->zh : "",
			  err->en ? err->en : "");
		resp_invalid(rq, rs, &ve);
		return;
	}
	resp_rc(rq, rs, rc);
}

static void send(struct request *rq, struct response *rs, const char *mime, const void *buf,
		 size_t len, const char *name)
{
	resp_bytes(rs, 200, mime, buf, len);
	char *cd = arena_printf(rq->arena, "attachment; filename=\"%s\"", name);
	if (cd)
		resp_header(rs, "Content-Disposition", cd);
	resp_header(rs, "Cache-Control", "private, no-store");
}

void api_payment_runs_bank_file(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct payment_run r;
	enum tp_rc rc = payment_run_get(rq->store, id, rq->arena, &r);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (strcmp(r.state, "approved") != 0 && strcmp(r.state, "exported") != 0) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_addf(&ve, "state", "invalid_transition",
			  "批次状态为 %s，只有已批准或已导出的批次可以生成银行文件",
			  "the run is %s: only an approved or exported run has a bank file", r.state);
		resp_problem(rq, rs, 409, "invalid_transition", ve.v[0].zh, ve.v[0].en, &ve);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	int64_t n, total;
	if (bank_file_pages(rq, rs, &r, &buf, &len, &n, &total) != 0)
		return;
	/* exported first (audited "payment_run.export" by the domain), then the download: the
	 * only file with plain account numbers leaves only with its audit record (a failure
	 * after the export: GET again, an exported run gives its file again) */
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (strcmp(r.state, "approved") == 0)
		rc = payment_run_mark_exported(rq->store, &rq->actor, id, &ve);
	if (rc == TP_OK)
		rc = audit_changef(rq->store, &rq->actor, "payment_run.bank_file", "payment_run",
				   id, "lines=%lld total_fen=%lld state=%s", (long long)n, (long long)total,
				   r.state);
	if (rc != TP_OK) {
		free(buf);
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	char *name = arena_printf(rq->arena, "bank-file-run-%lld.csv", (long long)id);
	send(rq, rs, CSV_MIME, buf, len, name ? name : "bank-file.csv");
	free(buf);
}

/* Writes an XLSX with fn into a private temporary folder, reads it back, removes it. */
static enum tp_rc xlsx_bytes(int which, const struct pay_run_view *rv,
			     const struct pay_line_view *v, size_t n, struct payfile_err *err,
			     char **buf, size_t *len)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/talentport-payfile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) /* mode 0700 */
		return TP_ERR_IO;
	char path[600];
	snprintf(path, sizeof path, "%s/file.xlsx", dir);
	enum tp_rc rc = which ? payfile_notice_xlsx(path, rv, v, n, err)
			      : payfile_list_xlsx(path, rv, v, n, NULL, err);
	if (rc == TP_OK) {
		FILE *fp = fopen(path, "rb");
		rc = TP_ERR_IO;
		if (fp && fseek(fp, 0, SEEK_END) == 0) {
			long sz = ftell(fp);
			if (sz > 0 && fseek(fp, 0, SEEK_SET) == 0 && (*buf = malloc((size_t)sz))) {
				if (fread(*buf, 1, (size_t)sz, fp) == (size_t)sz) {
					*len = (size_t)sz;
					rc = TP_OK;
				} else {
					free(*buf);
					*buf = NULL;
				}
			}
		}
		if (fp)
			fclose(fp);
	}
	unlink(path);
	rmdir(dir);
	return rc;
}

/*
 * The announcement list as CSV, written from the store page by page
 * (payfile_notice_csv_begin / _page / _end), one page of views at a time in an arena freed
 * after it.  *buf (malloc'd), *len and *n (rows) on 0 — *n 0 and no buf when the run has
 * no line to announce; answers the failure itself and returns -1.
 */
static int notice_file_pages(struct request *rq, struct response *rs, const struct payment_run *r,
			     char **buf, size_t *len, size_t *n)
{
	const char *announce = NULL;
	enum tp_rc rc = STORE_CALL(setting_get, rq->store, "payments.announce", rq->arena,
				   &announce);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	FILE *fp = open_memstream(buf, len);
	if (!fp) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return -1;
	}
	struct pages_out out = {.fp = fp};
	int answered = 0;
	rc = payfile_notice_csv_begin(fp, &out.notice, NULL);
	if (rc == TP_OK)
		rc = walk_pages(rq, rs, r->id, ANNOUNCE_ONLY, announce, notice_page, &out, &answered);
	*n = (size_t)out.notice.count;
	if (rc == TP_OK && out.notice.count)
		rc = payfile_notice_csv_end(fp, &out.notice, &out.err);
	if (fclose(fp) != 0 && rc == TP_OK)
		rc = TP_ERR_IO;
	if (rc != TP_OK || !out.notice.count) {
		free(*buf);
		*buf = NULL;
		if (rc != TP_OK && !answered)
			writer_failed(rq, rs, rc, &out.err);
		return rc == TP_OK ? 0 : -1;
	}
	return 0;
}

static void list_file(struct request *rq, struct response *rs, int announce, int xlsx)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct payment_run r;
	struct pay_line_view *v = NULL;
	size_t n;
	char *buf = NULL;
	size_t len = 0;
	if (!xlsx) { /* the announcement CSV: page by page */
		enum tp_rc grc = payment_run_get(rq->store, id, rq->arena, &r);
		if (grc != TP_OK) {
			resp_rc(rq, rs, grc);
			return;
		}
		if (notice_file_pages(rq, rs, &r, &buf, &len, &n) != 0)
			return;
	} else if (load(rq, rs, id, announce ? ANNOUNCE_ONLY : 0, &r, &v, NULL, &n) != 0) {
		return;
	}
	if (n == 0) { /* the writers refuse an empty file: say why */
		struct verrors ve;
		verr_init(&ve, rq->arena);
		if (announce)
			verr_add(&ve, "lines", "no_lines",
				 "本批次没有需要公示的政策（设置 payments.announce）的明细",
				 "the run has no lines of a policy that requires announcement "
				 "(setting payments.announce)");
		else
			verr_add(&ve, "lines", "no_lines", "本批次没有明细", "the run has no lines");
		resp_problem(rq, rs, 409, "no_lines", ve.v[0].zh, ve.v[0].en, &ve);
		return;
	}
	struct pay_run_view rv;
	run_view(&r, &rv);
	struct payfile_err err = {0};
	enum tp_rc rc = TP_OK;
	if (xlsx)
		rc = xlsx_bytes(announce, &rv, v, n, &err, &buf, &len);
	if (rc == TP_OK)
		rc = audit_changef(rq->store, &rq->actor,
				   announce ? "payment_run.announcement" : "payment_run.payment_list",
				   "payment_run", id, "lines=%zu format=%s", n, xlsx ? "xlsx" : "csv");
	if (rc != TP_OK) {
		free(buf);
		writer_failed(rq, rs, rc, &err);
		return;
	}
	char *name = arena_printf(rq->arena, "%s-run-%lld.%s",
				  announce ? "announcement" : "payment-list", (long long)id,
				  xlsx ? "xlsx" : "csv");
	send(rq, rs, xlsx ? XLSX_MIME : CSV_MIME, buf, len, name ? name : "file");
	free(buf);
}

void api_payment_runs_payment_list(struct request *rq, struct response *rs)
{
	list_file(rq, rs, 0, 1);
}

void api_payment_runs_announcement_csv(struct request *rq, struct response *rs)
{
	list_file(rq, rs, 1, 0);
}

void api_payment_runs_announcement_xlsx(struct request *rq, struct response *rs)
{
	list_file(rq, rs, 1, 1);
}

/* 1 when the bank's reason says the account itself is closed (docs/payment-files.md). */
static int payfile_reason_account_closed(const char *reason)
{
	if (!reason)
		return 0;
	return strstr(reason, "销户") || strstr(reason, "账户已注销") ||
	       strcasestr(reason, "account closed") || strcasestr(reason, "closed account") ||
	       strcasestr(reason, "ACCOUNT_CLOSED");
}

static const char *kind_name(enum pay_issue_kind k)
{
	switch (k) {
	case PAY_ISSUE_MALFORMED: return "malformed";
	case PAY_ISSUE_UNMATCHED: return "unmatched";
	case PAY_ISSUE_DUPLICATE: return "duplicate";
	case PAY_ISSUE_CONFLICT: return "conflict";
	case PAY_ISSUE_AMOUNT: return "amount";
	case PAY_ISSUE_MISSING: return "missing";
	}
	return "other";
}

static void issues_write(struct jw *w, const struct pay_result_report *rep)
{
	jw_key(w, "issues");
	jw_arr_begin(w);
	for (size_t i = 0; i < rep->nissues; i++) {
		const struct pay_result_issue *x = &rep->issues[i];
		jw_obj_begin(w);
		jw_kstr(w, "kind", kind_name(x->kind));
		jw_kint(w, "row", (int64_t)x->row);
		jw_kint(w, "line_id", x->line_id);
		jw_kstr(w, "code", x->code);
		jw_kstr(w, "zh", x->zh);
		jw_kstr(w, "en", x->en);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void api_payment_runs_bank_result_file(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (!rq->body || rq->body_len == 0) {
		verr_add(&ve, "body", "required", "请求体应为银行回盘文件（CSV 或 XLSX）",
			 "the body must be the bank's result file (CSV or XLSX)");
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct payment_run r;
	struct pay_line_view *v;
	struct pay_line *ls;
	size_t n;
	if (load(rq, rs, id, NET, &r, &v, &ls, &n) != 0)
		return;
	if (strcmp(r.state, "exported") != 0 && strcmp(r.state, "reconciled") != 0) {
		verr_addf(&ve, "state", "invalid_transition",
			  "批次状态为 %s，只有已导出的批次可以导入银行回盘",
			  "the run is %s: only an exported run takes the bank's results", r.state);
		resp_problem(rq, rs, 409, "invalid_transition", ve.v[0].zh, ve.v[0].en, &ve);
		return;
	}
	struct pay_result_report *rep = NULL;
	char msg[400] = "";
	enum tp_rc rc = payfile_result_parse(rq->body, rq->body_len, v, n, &rep, msg, sizeof msg);
	if (rc != TP_OK) {
		if (rc == TP_ERR_NOMEM) {
			resp_rc(rq, rs, rc);
			return;
		}
		verr_add(&ve, "body", "result_file", msg, msg);
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (!rep->applicable) {
		/* nothing applied: the issues, each naming its row */
		for (size_t i = 0; i < rep->nissues && ve.n < 50; i++) {
			const struct pay_result_issue *x = &rep->issues[i];
			if (x->kind != PAY_ISSUE_MALFORMED && x->kind != PAY_ISSUE_CONFLICT &&
			    x->kind != PAY_ISSUE_AMOUNT)
				continue;
			char *f = arena_printf(rq->arena, "row %zu", x->row);
			verr_add(&ve, f ? f : "body", x->code, arena_strdup(rq->arena, x->zh),
				 arena_strdup(rq->arena, x->en));
		}
		if (!ve.n)
			verr_add(&ve, "body", "result_file", "银行回盘文件不能应用",
				 "the bank's result file cannot be applied");
		payfile_result_free(rep);
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t replayed = 0;
	rc = payment_run_apply_results(rq->store, &rq->actor, id, rep->results, rep->nresults,
				       &replayed, &ve);
	if (rc != TP_OK) {
		payfile_result_free(rep);
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	/* closed accounts: over HTTP this route is `idempotent`, so the results above and these
	 * marks are savepoints of the idempotency layer's one outer transaction and commit
	 * together; a replay of the same file marks again, which is a no-op */
	int64_t closed = 0;
	int64_t now = tp_now();
	rc = store_begin(rq->store);
	for (size_t i = 0; rc == TP_OK && i < rep->nresults; i++) {
		const struct pay_result *x = &rep->results[i];
		if (x->paid || !payfile_reason_account_closed(x->reason))
			continue;
		const struct pay_line *l = NULL;
		for (size_t j = 0; j < n && !l; j++)
			if (ls[j].id == x->line_id)
				l = &ls[j];
		struct bank_account b;
		if (!l || bank_account_get(rq->store, l->beneficiary_kind, l->beneficiary_id, 0,
					   rq->arena, &b) != TP_OK)
			continue; /* none, or already marked closed */
		if (!l->account_mask || !b.number_mask || strcmp(b.number_mask, l->account_mask))
			continue; /* changed since the run: the new account is not touched */
		rc = bank_account_mark_closed(rq->store, &rq->actor, b.id, x->reason, now);
		if (rc == TP_ERR_CONFLICT || rc == TP_ERR_NOT_FOUND)
			rc = TP_OK;
		else if (rc == TP_OK)
			closed++;
	}
	if (rc == TP_OK)
		rc = store_commit(rq->store);
	else
		store_rollback(rq->store);
	if (rc != TP_OK) {
		payfile_result_free(rep);
		resp_rc(rq, rs, rc);
		return;
	}
	if ((rc = payment_run_get(rq->store, id, rq->arena, &r)) != TP_OK) {
		payfile_result_free(rep);
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", r.id);
	jw_kstr(&w, "state", r.state);
	jw_kint(&w, "paid", r.paid);
	jw_kint(&w, "paid_fen", r.paid_fen);
	jw_kint(&w, "failed", r.failed);
	jw_kint(&w, "failed_fen", r.failed_fen);
	jw_kint(&w, "rows", (int64_t)rep->rows);
	jw_kint(&w, "matched", (int64_t)rep->matched);
	jw_kint(&w, "unmatched", (int64_t)rep->unmatched);
	jw_kint(&w, "duplicates", (int64_t)rep->duplicates);
	jw_kint(&w, "missing", (int64_t)rep->missing);
	jw_kint(&w, "replayed", replayed);
	jw_kint(&w, "accounts_closed", closed);
	issues_write(&w, rep);
	jw_obj_end(&w);
	payfile_result_free(rep);
	resp_jw(rs, 200, &w);
}
