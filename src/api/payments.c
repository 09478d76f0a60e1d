/*
 * payments.c — /api/v1/payment-runs and /api/v1/ledger/check (domain/payments.h,
 * docs/payments.md).  The office builds, submits, closes the announcement of and cancels
 * runs; finance approves (four eyes, with the approver's password), exports and imports
 * the bank's results; auditors read.  Talents and employers never see a run (403 at the
 * route).  Every POST here moves money or its state: they take an Idempotency-Key (the
 * mechanism is src/http/idempotency.c; each handler is safe to replay — a repeated
 * transition is a 409 and changes nothing, a repeated result set is recognised).
 *
 * The files of a run (GET …/bank-file, …/payment-list.xlsx, …/announcement.*, POST
 * …/bank-result-file) are in payment_files.c.  GET …/bank-file of an approved run calls
 * payment_run_mark_exported() as POST …/export here does: the same transition.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/payments.h"

#define RESULTS_MAX 200000
#define LINES_PAGE_MAX 1000

static int path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (req_parse_id(rq->params[0], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	return 0;
}

static void run_write(struct jw *w, const struct payment_run *r)
{
	jw_obj_begin(w);
	jw_kint(w, "id", r->id);
	jw_kstr(w, "period", r->period);
	jw_kstr(w, "state", r->state);
	jw_kstr(w, "job", r->job);
	jw_kbool(w, "announce", r->announce);
	jw_kint(w, "lines", r->lines);
	jw_kint(w, "total_fen", r->total_fen);
	jw_kint(w, "offset_fen", r->offset_fen);
	jw_kint(w, "net_fen", r->total_fen - r->offset_fen);
	jw_kint(w, "waiting", r->waiting);
	jw_kint(w, "waiting_fen", r->waiting_fen);
	jw_kint(w, "paid", r->paid);
	jw_kint(w, "paid_fen", r->paid_fen);
	jw_kint(w, "failed", r->failed);
	jw_kint(w, "failed_fen", r->failed_fen);
	jw_kstr(w, "created_by", r->created_by);
	jw_kstr(w, "submitted_by", r->submitted_by);
	jw_kstr(w, "approved_by", r->approved_by);
	jw_kstr(w, "cancel_reason", r->cancel_reason);
	jw_kint(w, "version", r->version);
	jw_kstr(w, "created_at", r->created_at);
	jw_kstr(w, "updated_at", r->updated_at);
	jw_obj_end(w);
}

/* Answers the run (status) after a change, or the failure. */
static void done(struct request *rq, struct response *rs, enum tp_rc rc, const struct verrors *ve,
		 int64_t id, unsigned status)
{
	if (rc == TP_ERR_CONFLICT && ve->n && strcmp(ve->v[0].code, "four_eyes") == 0) {
		resp_problem(rq, rs, 403, "four_eyes", ve->v[0].zh, ve->v[0].en, ve);
		return;
	}
	if (rc == TP_ERR_INVALID && ve->n && strcmp(ve->v[0].code, "reauthentication_failed") == 0) {
		resp_problem(rq, rs, 403, "reauthentication_failed", ve->v[0].zh, ve->v[0].en, ve);
		return;
	}
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT && ve->n) {
		resp_problem(rq, rs, 409, ve->v[0].code, ve->v[0].zh, ve->v[0].en, ve);
		return;
	}
	struct payment_run r;
	if (rc == TP_OK)
		rc = payment_run_get(rq->store, id, rq->arena, &r);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	run_write(&w, &r);
	resp_jw(rs, status, &w);
}

void api_payment_runs_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"period", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *period = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "period", 7, 1, &ve, &period);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t id = 0;
	enum tp_rc rc = payment_run_create(rq->store, &rq->actor, period, &id, &ve);
	done(rq, rs, rc, &ve, id, 201);
}

void api_payment_runs_list(struct request *rq, struct response *rs)
{
	struct payment_run *items;
	size_t n;
	enum tp_rc rc = payment_run_list(rq->store, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		run_write(&w, &items[i]);
	api_items_send(rs, &w, 0, 0, (int64_t)n);
}

void api_payment_runs_get(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	done(rq, rs, TP_OK, &ve, id, 200);
}

void api_payment_runs_lines(struct request *rq, struct response *rs)
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
	const char *after = req_query(rq, "after"), *limit = req_query(rq, "limit");
	int64_t a = 0, l = 500;
	if ((after && (req_parse_id(after, &a) != 0)) ||
	    (limit && (req_parse_id(limit, &l) != 0 || l > LINES_PAGE_MAX))) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_addf(&ve, after && req_parse_id(after, &a) != 0 ? "after" : "limit",
			  "out_of_range", "after 应为行号，limit 应为 1 到 %d",
			  "after must be a line id and limit 1..%d", LINES_PAGE_MAX, LINES_PAGE_MAX);
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct pay_line *lines;
	size_t n;
	if ((rc = payment_run_lines(rq->store, id, a, (int)l, rq->arena, &lines, &n)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	/* the offsets' parts of the page, when a line has one */
	struct pay_offset *offs = NULL;
	size_t no = 0, oi = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].offset_fen > 0) {
			rc = payment_run_offsets(rq->store, id, lines[0].id, lines[n - 1].id,
						 rq->arena, &offs, &no);
			if (rc != TP_OK) {
				resp_rc(rq, rs, rc);
				return;
			}
			break;
		}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct pay_line *x = &lines[i];
		jw_obj_begin(&w);
		jw_kint(&w, "id", x->id);
		jw_kint(&w, "entitlement_id", x->entitlement_id);
		jw_kstr(&w, "policy", x->policy);
		jw_kstr(&w, "beneficiary_kind", x->beneficiary_kind);
		jw_kint(&w, "beneficiary_id", x->beneficiary_id);
		jw_kstr(&w, "item", x->item);
		jw_kstr(&w, "period_key", x->period_key);
		jw_kint(&w, "instalment", x->instalment);
		jw_kint(&w, "amount_fen", x->amount_fen);
		jw_kint(&w, "offset_fen", x->offset_fen);
		jw_kint(&w, "net_fen", x->amount_fen - x->offset_fen);
		jw_key(&w, "offsets");
		jw_arr_begin(&w);
		for (; oi < no && offs[oi].line_id <= x->id; oi++) {
			if (offs[oi].line_id != x->id)
				continue;
			jw_obj_begin(&w);
			jw_kint(&w, "clawback_id", offs[oi].clawback_id);
			jw_kint(&w, "amount_fen", offs[oi].amount_fen);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_kstr(&w, "status", x->status);
		jw_kstr(&w, "bank", x->bank);
		jw_kstr(&w, "account_name", x->account_name); /* the payee, as the bank file names them */
		jw_kstr(&w, "account_mask", x->account_mask);
		jw_kstr(&w, "result", x->result);
		jw_kstr(&w, "reason", x->reason);
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, 0, 0, r.lines);
}

/* POST with an empty body (or {}): the transition of fn. */
static void transition(struct request *rq, struct response *rs,
		       enum tp_rc (*fn)(struct store *, const struct actor *, int64_t,
					struct verrors *))
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	static const char *const fields[] = {NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (rq->json)
		jsonx_no_unknown(rq->json, fields, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = fn(rq->store, &rq->actor, id, &ve);
	done(rq, rs, rc, &ve, id, 200);
}

void api_payment_runs_submit(struct request *rq, struct response *rs)
{
	transition(rq, rs, payment_run_submit);
}

void api_payment_runs_announcement_end(struct request *rq, struct response *rs)
{
	transition(rq, rs, payment_run_announcement_end);
}

void api_payment_runs_export(struct request *rq, struct response *rs)
{
	transition(rq, rs, payment_run_mark_exported);
}

void api_payment_runs_approve(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	static const char *const fields[] = {"password", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *pw = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	api_password_field(rq->json, "password", 1, &ve, &pw);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = payment_run_approve(rq->store, &rq->actor, id, pw, &ve);
	done(rq, rs, rc, &ve, id, 200);
}

void api_payment_runs_cancel(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	static const char *const fields[] = {"reason", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 500, 1, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = payment_run_cancel(rq->store, &rq->actor, id, reason, &ve);
	done(rq, rs, rc, &ve, id, 200);
}

/* {"results": [{"line_id", "paid", "reason"?, "bank_ref"?}]}: the bank's answer as JSON
 * (the bank-result file parser of the payment file formats produces the same array). */
void api_payment_runs_bank_result(struct request *rq, struct response *rs)
{
	int64_t id;
	if (path_id(rq, rs, &id) != 0)
		return;
	static const char *const fields[] = {"results", NULL};
	static const char *const item_fields[] = {"line_id", "paid", "reason", "bank_ref", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	json_t *arr = json_object_get(rq->json, "results");
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (!json_is_array(arr) || n == 0 || n > RESULTS_MAX) {
		verr_addf(&ve, "results", "results_format", "results 应为 1 到 %d 项的数组",
			  "results must be an array of 1..%d items", RESULTS_MAX, RESULTS_MAX);
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct pay_result *res = arena_alloc(rq->arena, n * sizeof *res);
	if (!res) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	for (size_t i = 0; i < n && ve.n < 20; i++) {
		json_t *o = json_array_get(arr, i);
		size_t before = ve.n;
		if (!json_is_object(o)) {
			verr_addf(&ve, "results", "item_format", "第 %zu 项应为对象",
				  "item %zu must be an object", i, i);
			continue;
		}
		jsonx_no_unknown(o, item_fields, &ve);
		int64_t line = 0;
		int paid = 0;
		const char *reason = NULL, *ref = NULL;
		jsonx_int(o, "line_id", 1, INT64_MAX, 1, &ve, &line);
		jsonx_bool(o, "paid", 1, &ve, &paid);
		jsonx_str(o, "reason", 200, 0, &ve, &reason);
		jsonx_str(o, "bank_ref", 64, 0, &ve, &ref);
		if (ve.n > before) {
			char *pfx = arena_printf(rq->arena, "results[%zu]", i);
			verr_prefix(&ve, before, pfx ? pfx : "results");
		}
		res[i] = (struct pay_result){.line_id = line, .paid = paid, .reason = reason,
					     .bank_ref = ref};
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t replayed = 0;
	enum tp_rc rc = payment_run_apply_results(rq->store, &rq->actor, id, res, n, &replayed, &ve);
	done(rq, rs, rc, &ve, id, 200);
}

void api_ledger_check(struct request *rq, struct response *rs)
{
	struct ledger_report rep;
	enum tp_rc rc = ledger_check(rq->store, &rep);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kbool(&w, "ok", rep.ok);
	jw_kint(&w, "entries", rep.entries);
	jw_kint(&w, "postings", rep.postings);
	jw_kint(&w, "sum_fen", rep.sum_fen);
	jw_kint(&w, "approved_fen", rep.approved_fen);
	jw_kint(&w, "paid_fen", rep.paid_fen);
	if (!rep.ok) {
		jw_kstr(&w, "violation", rep.violation);
		jw_kint(&w, "invariant", rep.invariant);
	}
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
