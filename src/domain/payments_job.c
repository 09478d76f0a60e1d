/*
 * payments_job.c — the durable jobs of payment runs (domain/payments.h).
 *
 * A job works through its run in batches.  Each batch is ONE transaction that re-reads the
 * run row (job and cursor) under the write lock, does the batch (lines, entitlements,
 * ledger postings, notices) and writes the new cursor and counters.  So whatever instant a
 * process dies at, the database holds either the batch and its cursor or neither, and the
 * next runner (`payments resume`, `serve` at start, the next `payments run`) continues from
 * the cursor.  Two runners at once are serialized by the write lock; a batch whose run has
 * moved on under it (another runner finished it) stops.
 *
 * Ledger rules (accounts in migrations/0014): approve: budget:<policy>:<year> → payable
 * :<kind>:<id>; export: payable → bank_clearing; paid: bank_clearing → paid:<policy>:
 * <year>; failed: bank_clearing → payable, then payable → budget (the approval reversed:
 * the entitlement returns to the queue owing nothing, and the next run approves it again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/bank_accounts.h"
#include "domain/payments.h"
#include "store/payments.h"

/* The budgets of a run being built, kept across its batches by one runner and reloaded
 * whenever the cursor is not where this runner left it. */
struct budgets {
	struct arena *a;
	struct pay_budget *b;
	size_t n, cap;
	int64_t run_id, cursor_id;
	char cursor_key[32];
	int loaded;
};

static struct pay_budget *budget_find(struct budgets *bs, const char *policy, int year)
{
	for (size_t i = 0; i < bs->n; i++)
		if (bs->b[i].year == year && strcmp(bs->b[i].policy, policy) == 0)
			return &bs->b[i];
	if (bs->n == bs->cap) {
		size_t c = bs->cap ? bs->cap * 2 : 64;
		struct pay_budget *more = arena_alloc(bs->a, c * sizeof *more);
		if (!more)
			return NULL;
		if (bs->n)
			memcpy(more, bs->b, bs->n * sizeof *more);
		bs->b = more;
		bs->cap = c;
	}
	struct pay_budget *b = &bs->b[bs->n++];
	b->policy = arena_strdup(bs->a, policy);
	b->year = year;
	b->cap = -1;
	b->consumed = 0;
	b->blocked = 0;
	return b->policy ? b : NULL;
}

static enum tp_rc budgets_load(struct store *st, struct budgets *bs, const struct payment_run *r)
{
	arena_free(bs->a);
	memset(bs, 0, sizeof *bs);
	if (!(bs->a = arena_new()))
		return TP_ERR_NOMEM;
	struct pay_budget *b;
	size_t n;
	enum tp_rc rc = PAY_CALL(budget_state, st, r->id, bs->a, &b, &n);
	if (rc != TP_OK)
		return rc;
	bs->b = b;
	bs->n = bs->cap = n;
	bs->run_id = r->id;
	bs->loaded = 1;
	return TP_OK;
}

/* One batch of the build job. */
static enum tp_rc build_batch(struct store *st, struct arena *a, const struct payment_run *r,
			      struct budgets *bs, int batch, struct pay_progress *p)
{
	enum tp_rc rc;
	if (!bs->loaded || bs->run_id != r->id || bs->cursor_id != r->cursor_id ||
	    strcmp(bs->cursor_key, r->cursor_key) != 0)
		if ((rc = budgets_load(st, bs, r)) != TP_OK)
			return rc;
	struct pay_candidate *c;
	size_t n;
	rc = PAY_CALL(queue_batch, st, r->period, r->cursor_key, r->cursor_id, batch, a, &c, &n);
	if (rc != TP_OK)
		return rc;
	struct pay_line *lines = arena_alloc(a, (n + 1) * sizeof *lines);
	struct pay_wait *waits = arena_alloc(a, (n + 1) * sizeof *waits);
	if (!lines || !waits)
		return TP_ERR_NOMEM;
	size_t nl = 0, nw = 0;
	for (size_t i = 0; i < n; i++) {
		int year = (int)strtol(c[i].period_key, NULL, 10);
		struct pay_budget *b = budget_find(bs, c[i].policy, year);
		if (!b)
			return TP_ERR_NOMEM;
		const char *why = NULL;
		struct pay_account acct;
		memset(&acct, 0, sizeof acct);
		if (b->blocked) {
			why = "budget";
		} else if (b->cap >= 0 && b->consumed + c[i].amount_fen > b->cap) {
			b->blocked = 1; /* nobody later in the order overtakes this line */
			why = "budget";
		} else {
			rc = bank_account_for(st, c[i].beneficiary_kind, c[i].beneficiary_id, a, &acct);
			if (rc == TP_ERR_NOT_FOUND)
				why = "no_bank_account";
			else if (rc != TP_OK)
				return rc;
			else if (acct.hold)
				why = "account_hold";
		}
		if (why) {
			waits[nw++] = (struct pay_wait){.entitlement_id = c[i].id,
							.amount_fen = c[i].amount_fen,
							.policy = c[i].policy,
							.budget_year = year,
							.reason = why};
			p->waiting++;
			p->waiting_fen += c[i].amount_fen;
			continue;
		}
		b->consumed += c[i].amount_fen;
		lines[nl++] = (struct pay_line){.entitlement_id = c[i].id,
						.beneficiary_id = c[i].beneficiary_id,
						.policy = c[i].policy,
						.beneficiary_kind = c[i].beneficiary_kind,
						.item = c[i].item,
						.period_key = c[i].period_key,
						.instalment = c[i].instalment,
						.budget_year = year,
						.amount_fen = c[i].amount_fen,
						.bank = acct.bank,
						.branch = acct.branch,
						.account_name = acct.account_name,
						.account_mask = acct.account_mask};
		p->lines++;
		p->total_fen += c[i].amount_fen;
	}
	if ((rc = PAY_CALL(build_write, st, r->id, lines, nl, waits, nw)) != TP_OK)
		return rc;
	if (n) {
		p->cursor_key = c[n - 1].period_key;
		p->cursor_id = c[n - 1].id;
	} else {
		p->cursor_key = r->cursor_key;
		p->cursor_id = r->cursor_id;
	}
	if ((int)n < batch) {
		p->done = 1;
		p->done_state = "draft";
	}
	return TP_OK;
}

static const char *acct(struct arena *a, const char *kind, const struct pay_line *l)
{
	if (kind[0] == 'b' && kind[1] == 'u')
		return arena_printf(a, "budget:%s:%d", l->policy, l->budget_year);
	if (kind[0] == 'p' && kind[1] == 'a' && kind[2] == 'y')
		return arena_printf(a, "payable:%s:%lld", l->beneficiary_kind,
				    (long long)l->beneficiary_id);
	if (kind[0] == 'p')
		return arena_printf(a, "paid:%s:%d", l->policy, l->budget_year);
	return "bank_clearing";
}

/* Adds the pair from → to of line l to postings p (from −amount, to +amount). */
static size_t pair(struct arena *a, struct ledger_posting *p, size_t k, const struct pay_line *l,
		   const char *from, const char *to)
{
	p[k++] = (struct ledger_posting){.account = acct(a, from, l), .amount_fen = -l->amount_fen,
					 .line_id = l->id, .entitlement_id = l->entitlement_id};
	p[k++] = (struct ledger_posting){.account = acct(a, to, l), .amount_fen = l->amount_fen,
					 .line_id = l->id, .entitlement_id = l->entitlement_id};
	return k;
}

/* One batch of the approve, export, apply or cancel job over the run's lines. */
static enum tp_rc lines_batch(struct store *st, struct arena *a, const struct payment_run *r,
			      int batch, struct pay_progress *p)
{
	const char *job = r->job;
	int apply = strcmp(job, "apply") == 0;
	const char *status = apply ? "exported" : "pending";
	char at[24];
	pay_now(at);
	struct pay_line *l;
	size_t n;
	enum tp_rc rc = PAY_CALL(lines_after, st, r->id, status, apply, r->cursor_id, batch, a, &l, &n);
	if (rc != TP_OK)
		return rc;
	struct ledger_posting *post = arena_alloc(a, (4 * n + 1) * sizeof *post);
	if (!post)
		return TP_ERR_NOMEM;
	size_t k = 0;
	const char *kind = job;
	for (size_t i = 0; i < n && rc == TP_OK; i++) {
		if (strcmp(job, "approve") == 0) {
			k = pair(a, post, k, &l[i], "budget", "payable");
		} else if (strcmp(job, "export") == 0) {
			k = pair(a, post, k, &l[i], "payable", "clearing");
			rc = PAY_CALL(line_move, st, l[i].id, "pending", "exported", 0, NULL, NULL);
		} else if (strcmp(job, "cancel") == 0) {
			rc = PAY_CALL(line_move, st, l[i].id, "pending", "cancelled", 0, NULL, NULL);
		} else if (strcmp(l[i].result, "paid") == 0) {
			k = pair(a, post, k, &l[i], "clearing", "paid");
			rc = PAY_CALL(line_move, st, l[i].id, "exported", "paid", l[i].entitlement_id,
				      "paid", NULL);
			p->paid++;
			p->paid_fen += l[i].amount_fen;
		} else {
			k = pair(a, post, k, &l[i], "clearing", "payable");
			k = pair(a, post, k, &l[i], "payable", "budget");
			rc = PAY_CALL(line_move, st, l[i].id, "exported", "failed",
				      l[i].entitlement_id, "confirmed", l[i].reason);
			if (rc == TP_OK) {
				char *zh = arena_printf(a, "付款未成功：%s。请核对或更新您的银行账户，"
							   "更正后将在下一批次中重新支付。",
							l[i].reason);
				char *en = arena_printf(a, "The payment failed: %s. Please check or "
							   "update your bank account; it will be "
							   "paid again in the next run.",
							l[i].reason);
				rc = zh && en ? PAY_CALL(notice_insert, st, "payment.failed", l[i].id,
							 zh, en, at) : TP_ERR_NOMEM;
			}
			p->failed++;
			p->failed_fen += l[i].amount_fen;
		}
	}
	if (rc != TP_OK)
		return rc;
	if (apply) /* one entry per batch for each kind of move */
		kind = "paid";
	if (k) {
		/* the entry must balance: checked here, and again by `ledger check` */
		int64_t sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += post[i].amount_fen;
		if (sum != 0)
			return TP_ERR_INTERNAL;
		char *memo = arena_printf(a, "run %lld %s lines %lld..%lld", (long long)r->id, job,
					  (long long)l[0].id, (long long)l[n - 1].id);
		if (!apply) {
			rc = PAY_CALL(ledger_post, st, kind, r->id, memo, post, k, at);
		} else {
			/* split: the paid postings and the failed ones go to entries of their kind */
			struct ledger_posting *pp = arena_alloc(a, (k + 1) * sizeof *pp);
			struct ledger_posting *fp = arena_alloc(a, (k + 1) * sizeof *fp);
			if (!pp || !fp)
				return TP_ERR_NOMEM;
			size_t np = 0, nf = 0, j = 0;
			for (size_t i = 0; i < n; i++) {
				int paid = strcmp(l[i].result, "paid") == 0;
				size_t m = paid ? 2 : 4;
				for (size_t t = 0; t < m; t++, j++) {
					if (paid)
						pp[np++] = post[j];
					else
						fp[nf++] = post[j];
				}
			}
			if (np)
				rc = PAY_CALL(ledger_post, st, "paid", r->id, memo, pp, np, at);
			if (rc == TP_OK && nf)
				rc = PAY_CALL(ledger_post, st, "failed", r->id, memo, fp, nf, at);
		}
		if (rc != TP_OK)
			return rc;
	}
	p->cursor_key = "";
	p->cursor_id = n ? l[n - 1].id : r->cursor_id;
	if ((int)n < batch) {
		p->done = 1;
		if (apply) {
			int64_t open;
			if ((rc = PAY_CALL(lines_open, st, r->id, &open)) != TP_OK)
				return rc;
			p->done_state = open ? "exported" : "reconciled";
		}
	}
	return TP_OK;
}

enum tp_rc payment_job_run(struct store *st, int64_t id)
{
	int batch = payment_batch_size();
	struct budgets bs;
	memset(&bs, 0, sizeof bs);
	struct actor sys = actor_system();
	enum tp_rc rc = PAY_CALL(job_cache, st, 1);
	for (; rc == TP_OK;) {
		struct arena *a = arena_new();
		if (!a) {
			rc = TP_ERR_NOMEM;
			break;
		}
		char at[24];
		pay_now(at);
		struct payment_run r;
		struct pay_progress p;
		memset(&p, 0, sizeof p);
		int finished = 0;
		rc = store_begin(st);
		if (rc == TP_OK)
			rc = PAY_CALL(run_get, st, id, a, &r);
		if (rc == TP_OK && !r.job) {
			finished = 1;
		} else if (rc == TP_OK) {
			p.job = r.job;
			if (strcmp(r.job, "build") == 0)
				rc = build_batch(st, a, &r, &bs, batch, &p);
			else
				rc = lines_batch(st, a, &r, batch, &p);
			if (rc == TP_OK)
				rc = PAY_CALL(run_progress, st, id, &p, at);
			if (rc == TP_OK && p.done)
				rc = audit_changef(st, &sys, "payment_run.job_done", "payment_run", id,
						   "{\"job\":\"%s\",\"state\":\"%s\"}", r.job,
						   p.done_state ? p.done_state : r.state);
		}
		rc = store_end(st, rc);
		if (rc == TP_OK && !p.done && !finished) {
			/* remember where this runner left the build, to keep its budgets */
			bs.cursor_id = p.cursor_id;
			snprintf(bs.cursor_key, sizeof bs.cursor_key, "%s",
				 p.cursor_key ? p.cursor_key : "");
		}
		arena_free(a);
		if (rc != TP_OK) {
			tp_log(LOG_ERROR, "payment run job failed",
			       json_pack("{s:I,s:s}", "run", (json_int_t)id, "rc", tp_rc_str(rc)));
			break;
		}
		if (finished || p.done)
			break;
	}
	arena_free(bs.a);
	PAY_CALL(job_cache, st, 0);
	return rc;
}
