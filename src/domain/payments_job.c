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
 *
 * Clawbacks offset (docs/payments.md "Clawbacks offset against later payments"): the build
 * nets the beneficiary's open clawbacks against their lines (line.offset_fen, one
 * payment_offsets row per clawback).  The line's gross amount is approved as before; at
 * export the bank part goes payable → bank_clearing and the offset part payable →
 * clawback:<kind>:<id> (held back); when the line is paid, both go on to paid:<policy>:
 * <year> (the entitlement is paid in full) and each clawback's part is recovered:
 * paid:<its policy>:<its year> → budget:<its policy>:<its year> (the overpayment undone,
 * the budget given back), posted with the clawback's entitlement id.  A failed line gives
 * both parts back to payable and reverses the approval.  A line whose offset covers it all
 * is sent to nobody: the export job books it paid at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
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

/* The first clawback of beneficiary (kind, id) in cb[0..n) (sorted by kind, id, clawback
 * id), or n when none. */
static size_t clawback_first(const struct pay_clawback *cb, size_t n, const char *kind,
			     int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cb[mid].beneficiary_kind, kind);
		if (c < 0 || (c == 0 && cb[mid].beneficiary_id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
	int64_t now = tp_now();
	/* the open clawbacks, read in this batch's transaction: what the committed batches
	 * (of this run too) offset is already taken off, so a resumed build offsets exactly
	 * what an uninterrupted one does */
	struct pay_clawback *cb;
	size_t ncb;
	if ((rc = PAY_CALL(clawbacks_open, st, a, &cb, &ncb)) != TP_OK)
		return rc;
	struct pay_offset *offs = NULL;
	size_t no = 0, ocap = 0;
	size_t nl = 0, nw = 0;
	for (size_t i = 0; i < n; i++) {
		int year = (int)strtol(c[i].period_key, NULL, 10);
		struct pay_budget *b = budget_find(bs, c[i].policy, year);
		if (!b)
			return TP_ERR_NOMEM;
		const char *why = NULL;
		if (b->blocked) {
			why = "budget";
		} else if (b->cap >= 0 && b->consumed + c[i].amount_fen > b->cap) {
			b->blocked = 1; /* nobody later in the order overtakes this line */
			why = "budget";
		} else if (!c[i].account_id || c[i].account_invalid_at) {
			why = "no_bank_account"; /* none, or closed at the bank (bank_account_current) */
		} else {
			struct bank_account ba = {.previous_id = c[i].account_previous_id,
						  .created_at = c[i].account_created_at,
						  .confirmed_at = c[i].account_confirmed_at};
			if (bank_account_on_hold(&ba, now))
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
		int64_t off = 0;
		for (size_t j = clawback_first(cb, ncb, c[i].beneficiary_kind, c[i].beneficiary_id);
		     j < ncb && off < c[i].amount_fen && cb[j].beneficiary_id == c[i].beneficiary_id &&
		     strcmp(cb[j].beneficiary_kind, c[i].beneficiary_kind) == 0;
		     j++) {
			int64_t take = cb[j].remaining_fen < c[i].amount_fen - off
					   ? cb[j].remaining_fen
					   : c[i].amount_fen - off;
			if (take <= 0)
				continue;
			if (no == ocap) {
				size_t nc = ocap ? ocap * 2 : 16;
				struct pay_offset *more = arena_alloc(a, nc * sizeof *more);
				if (!more)
					return TP_ERR_NOMEM;
				if (no)
					memcpy(more, offs, no * sizeof *more);
				offs = more;
				ocap = nc;
			}
			offs[no++] = (struct pay_offset){.clawback_id = cb[j].id,
							 .amount_fen = take,
							 .policy = cb[j].policy,
							 .budget_year = cb[j].budget_year,
							 .line_ix = nl};
			cb[j].remaining_fen -= take;
			off += take;
		}
		p->offset_fen += off;
		lines[nl++] = (struct pay_line){.entitlement_id = c[i].id,
						.offset_fen = off,
						.beneficiary_id = c[i].beneficiary_id,
						.policy = c[i].policy,
						.beneficiary_kind = c[i].beneficiary_kind,
						.item = c[i].item,
						.period_key = c[i].period_key,
						.instalment = c[i].instalment,
						.budget_year = year,
						.amount_fen = c[i].amount_fen,
						.bank = c[i].bank,
						.branch = c[i].branch,
						.account_name = c[i].account_name,
						.account_mask = c[i].account_mask};
		p->lines++;
		p->total_fen += c[i].amount_fen;
	}
	if ((rc = PAY_CALL(build_write, st, r->id, lines, nl, offs, no, waits, nw)) != TP_OK)
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
	if (kind[0] == 'c' && kind[1] == 'l' && kind[2] == 'a')
		return arena_printf(a, "clawback:%s:%lld", l->beneficiary_kind,
				    (long long)l->beneficiary_id);
	return "bank_clearing";
}

/* Postings of one entry being gathered. */
struct posts {
	struct ledger_posting *p;
	size_t n, cap;
};

static int posts_add(struct arena *a, struct posts *ps, const char *account, int64_t amount,
		     int64_t line_id, int64_t entitlement_id)
{
	if (!account)
		return -1;
	if (ps->n == ps->cap) {
		size_t c = ps->cap ? ps->cap * 2 : 256;
		struct ledger_posting *more = arena_alloc(a, c * sizeof *more);
		if (!more)
			return -1;
		if (ps->n)
			memcpy(more, ps->p, ps->n * sizeof *more);
		ps->p = more;
		ps->cap = c;
	}
	ps->p[ps->n++] = (struct ledger_posting){.account = account, .amount_fen = amount,
						 .line_id = line_id,
						 .entitlement_id = entitlement_id};
	return 0;
}

/* Adds amount of line l from → to (nothing when amount is 0). */
static int move(struct arena *a, struct posts *ps, const struct pay_line *l, const char *from,
		const char *to, int64_t amount)
{
	if (amount == 0)
		return 0;
	if (posts_add(a, ps, acct(a, from, l), -amount, l->id, l->entitlement_id) != 0 ||
	    posts_add(a, ps, acct(a, to, l), amount, l->id, l->entitlement_id) != 0)
		return -1;
	return 0;
}

/* Posts ps as one entry of kind (nothing when empty); the entry must balance: checked
 * here, and again by `ledger check`. */
static enum tp_rc post(struct store *st, struct arena *a, const struct payment_run *r,
		       const char *kind, const struct posts *ps, const struct pay_line *l,
		       size_t n, const char *at)
{
	if (!ps->n)
		return TP_OK;
	int64_t sum = 0;
	for (size_t i = 0; i < ps->n; i++)
		sum += ps->p[i].amount_fen;
	if (sum != 0)
		return TP_ERR_INTERNAL;
	char *memo = arena_printf(a, "run %lld %s lines %lld..%lld", (long long)r->id, r->job,
				  (long long)l[0].id, (long long)l[n - 1].id);
	return memo ? PAY_CALL(ledger_post, st, kind, r->id, memo, ps->p, ps->n, at) : TP_ERR_NOMEM;
}

/* Line l is paid (by the bank, or wholly by its offset): its bank part clearing → paid,
 * its offset part clawback → paid, and each clawback's part recovered paid → budget of
 * the clawback's policy and year; then the line moves from → paid and the clawbacks it
 * recovered in full are settled. */
static enum tp_rc book_paid(struct store *st, struct arena *a, struct posts *ps,
			    const struct pay_line *l, const char *from, const struct pay_offset *o,
			    size_t no, size_t *oi)
{
	int64_t net = l->amount_fen - l->offset_fen;
	if (move(a, ps, l, "clearing", "paid", net) != 0 ||
	    move(a, ps, l, "clawback", "paid", l->offset_fen) != 0)
		return TP_ERR_NOMEM;
	while (*oi < no && o[*oi].line_id < l->id)
		(*oi)++;
	size_t first = *oi;
	for (; *oi < no && o[*oi].line_id == l->id; (*oi)++) {
		const struct pay_offset *x = &o[*oi];
		if (posts_add(a, ps, arena_printf(a, "paid:%s:%d", x->policy, x->budget_year),
			      -x->amount_fen, l->id, x->clawback_id) != 0 ||
		    posts_add(a, ps, arena_printf(a, "budget:%s:%d", x->policy, x->budget_year),
			      x->amount_fen, l->id, x->clawback_id) != 0)
			return TP_ERR_NOMEM;
	}
	enum tp_rc rc = PAY_CALL(line_move, st, l->id, from, "paid", l->entitlement_id, "paid",
				 NULL);
	for (size_t k = first; k < *oi && rc == TP_OK; k++)
		rc = PAY_CALL(clawback_settle, st, o[k].clawback_id);
	return rc;
}

/* One batch of the approve, export, apply or cancel job over the run's lines. */
static enum tp_rc lines_batch(struct store *st, struct arena *a, const struct payment_run *r,
			      int batch, struct pay_progress *p)
{
	const char *job = r->job;
	int apply = strcmp(job, "apply") == 0;
	int export = strcmp(job, "export") == 0;
	const char *status = apply ? "exported" : "pending";
	char at[24];
	pay_now(at);
	struct pay_line *l;
	size_t n;
	enum tp_rc rc = PAY_CALL(lines_after, st, r->id, status, apply, r->cursor_id, batch, a, &l, &n);
	if (rc != TP_OK)
		return rc;
	/* the offsets' parts of the batch, when some line has one */
	struct pay_offset *o = NULL;
	size_t no = 0, oi = 0;
	for (size_t i = 0; i < n && (apply || export); i++)
		if (l[i].offset_fen > 0) {
			rc = PAY_CALL(offsets_of, st, r->id, l[0].id, l[n - 1].id, a, &o, &no);
			if (rc != TP_OK)
				return rc;
			break;
		}
	/* main: the entry of the job's kind; paid and failed: the apply job's (and the
	 * export job's lines wholly offset, paid at once) */
	struct posts main = {0}, paid = {0}, failed = {0};
	for (size_t i = 0; i < n && rc == TP_OK; i++) {
		int64_t net = l[i].amount_fen - l[i].offset_fen;
		if (strcmp(job, "approve") == 0) {
			if (move(a, &main, &l[i], "budget", "payable", l[i].amount_fen) != 0)
				rc = TP_ERR_NOMEM;
		} else if (export) {
			if (move(a, &main, &l[i], "payable", "clearing", net) != 0 ||
			    move(a, &main, &l[i], "payable", "clawback", l[i].offset_fen) != 0) {
				rc = TP_ERR_NOMEM;
			} else if (net > 0) {
				rc = PAY_CALL(line_move, st, l[i].id, "pending", "exported", 0, NULL,
					      NULL);
			} else { /* nothing for the bank: paid by the offset alone */
				rc = book_paid(st, a, &paid, &l[i], "pending", o, no, &oi);
				p->paid++;
				p->paid_fen += l[i].amount_fen;
			}
		} else if (strcmp(job, "cancel") == 0) {
			rc = PAY_CALL(line_move, st, l[i].id, "pending", "cancelled", 0, NULL, NULL);
		} else if (strcmp(l[i].result, "paid") == 0) {
			rc = book_paid(st, a, &paid, &l[i], "exported", o, no, &oi);
			p->paid++;
			p->paid_fen += l[i].amount_fen;
		} else {
			if (move(a, &failed, &l[i], "clearing", "payable", net) != 0 ||
			    move(a, &failed, &l[i], "clawback", "payable", l[i].offset_fen) != 0 ||
			    move(a, &failed, &l[i], "payable", "budget", l[i].amount_fen) != 0) {
				rc = TP_ERR_NOMEM;
				break;
			}
			/* the line is no longer live: its offsets no longer count, the clawbacks
			 * are open again for the next run */
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
	if (n) {
		/* one entry per batch for each kind of move */
		if (!apply)
			rc = post(st, a, r, job, &main, l, n, at);
		if (rc == TP_OK)
			rc = post(st, a, r, "paid", &paid, l, n, at);
		if (rc == TP_OK)
			rc = post(st, a, r, "failed", &failed, l, n, at);
		if (rc != TP_OK)
			return rc;
	}
	p->cursor_key = "";
	p->cursor_id = n ? l[n - 1].id : r->cursor_id;
	if ((int)n < batch) {
		p->done = 1;
		if (apply || export) {
			/* an export whose lines were all paid by offsets leaves nothing to wait for */
			int64_t open;
			if ((rc = PAY_CALL(lines_open, st, r->id, &open)) != TP_OK)
				return rc;
			if (apply || (!open && r->lines > 0))
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
