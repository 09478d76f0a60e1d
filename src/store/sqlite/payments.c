/*
 * payments.c — payments in SQLite (store/payments.h, migrations/0014_payments.sql): runs,
 * lines, waits, budgets, the ledger, notices and the entitlements' payment statuses.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/payments.h"
#include "store/sqlite/internal.h"

/* Grows an arena array of *cap elements of size sz to twice as many (copying n). */
/* ---------------------------------------------------------------- runs */

#define RUN_COLS                                                                             \
	"id, period, state, job, cursor_key, cursor_id, announce, lines, total_fen, waiting, "   \
	"waiting_fen, paid, paid_fen, failed, failed_fen, created_by, created_by_id, "            \
	"submitted_by, submitted_by_id, approved_by, approved_by_id, cancel_reason, version, "    \
	"created_at, updated_at, offset_fen"

static void read_run(sqlite3_stmt *q, struct arena *a, struct payment_run *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->period = sq_col_text(q, 1, a);
	r->state = sq_col_text(q, 2, a);
	r->job = sq_col_text(q, 3, a);
	r->cursor_key = sq_col_text(q, 4, a);
	r->cursor_id = sqlite3_column_int64(q, 5);
	r->announce = sqlite3_column_int(q, 6);
	r->lines = sqlite3_column_int64(q, 7);
	r->total_fen = sqlite3_column_int64(q, 8);
	r->waiting = sqlite3_column_int64(q, 9);
	r->waiting_fen = sqlite3_column_int64(q, 10);
	r->paid = sqlite3_column_int64(q, 11);
	r->paid_fen = sqlite3_column_int64(q, 12);
	r->failed = sqlite3_column_int64(q, 13);
	r->failed_fen = sqlite3_column_int64(q, 14);
	r->created_by = sq_col_text(q, 15, a);
	r->created_by_id = sq_col_int(q, 16, 0);
	r->submitted_by = sq_col_text(q, 17, a);
	r->submitted_by_id = sq_col_int(q, 18, 0);
	r->approved_by = sq_col_text(q, 19, a);
	r->approved_by_id = sq_col_int(q, 20, 0);
	r->cancel_reason = sq_col_text(q, 21, a);
	r->version = sqlite3_column_int64(q, 22);
	r->created_at = sq_col_text(q, 23, a);
	r->updated_at = sq_col_text(q, 24, a);
	r->offset_fen = sqlite3_column_int64(q, 25);
}

static enum tp_rc run_insert(struct store *st, struct payment_run *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO payment_runs (period, state, job, created_by, "
					"created_by_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, r->period);
	sq_bind_text(q, 2, r->state);
	sq_bind_text(q, 3, r->job);
	sq_bind_text(q, 4, r->created_by);
	sqlite3_bind_int64(q, 5, r->created_by_id);
	sq_bind_text(q, 6, r->created_at);
	sq_bind_text(q, 7, r->created_at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		r->id = sqlite3_last_insert_rowid(s->db);
		sq_counts_bump();
	}
	return rc;
}

static enum tp_rc run_get(struct store *st, int64_t id, struct arena *a, struct payment_run *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " RUN_COLS " FROM payment_runs WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_run(q, a, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

static enum tp_rc run_list(struct store *st, struct arena *a, struct payment_run **out,
			   size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " RUN_COLS " FROM payment_runs ORDER BY id DESC "
					"LIMIT 500");
	if (!q)
		return TP_ERR_DB;
	size_t cap = 0;
	struct payment_run *items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 64))) {
			oom = 1;
			break;
		}
		read_run(q, a, &items[(*n)++]);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc run_jobs(struct store *st, int64_t *ids, size_t max, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT id FROM payment_runs WHERE job IS NOT NULL "
					"ORDER BY id");
	if (!q)
		return TP_ERR_DB;
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(q, 0);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return sq_end_rows(s, q, rc, 0);
}

static enum tp_rc run_move(struct store *st, int64_t id, const struct pay_move *m, const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "UPDATE payment_runs SET state = ?1, job = ?2, cursor_key = '', cursor_id = 0, "
	       "submitted_by = CASE WHEN ?3 = 1 THEN ?4 ELSE submitted_by END, "
	       "submitted_by_id = CASE WHEN ?3 = 1 THEN ?5 ELSE submitted_by_id END, "
	       "approved_by = CASE WHEN ?3 = 2 THEN ?4 ELSE approved_by END, "
	       "approved_by_id = CASE WHEN ?3 = 2 THEN ?5 ELSE approved_by_id END, "
	       "cancel_reason = COALESCE(?6, cancel_reason), "
	       "announce = CASE WHEN ?7 >= 0 THEN ?7 ELSE announce END, "
	       "version = version + 1, updated_at = ?8 "
	       "WHERE id = ?9 AND state = ?10 AND job IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, m->to);
	sq_bind_text(q, 2, m->job);
	sqlite3_bind_int(q, 3, m->who);
	sq_bind_text(q, 4, m->by);
	sqlite3_bind_int64(q, 5, m->by_id);
	sq_bind_text(q, 6, m->reason);
	sqlite3_bind_int(q, 7, m->announce);
	sq_bind_text(q, 8, at);
	sqlite3_bind_int64(q, 9, id);
	sq_bind_text(q, 10, m->from);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_OK)
		sq_counts_bump();
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

static enum tp_rc run_progress(struct store *st, int64_t id, const struct pay_progress *p,
			       const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "UPDATE payment_runs SET cursor_key = ?1, cursor_id = ?2, lines = lines + ?3, "
	       "total_fen = total_fen + ?4, waiting = waiting + ?5, waiting_fen = waiting_fen + ?6, "
	       "paid = paid + ?7, paid_fen = paid_fen + ?8, failed = failed + ?9, "
	       "failed_fen = failed_fen + ?10, job = CASE WHEN ?11 THEN NULL ELSE job END, "
	       "state = CASE WHEN ?11 AND ?12 IS NOT NULL THEN ?12 ELSE state END, "
	       "version = version + ?11, updated_at = ?13, offset_fen = offset_fen + ?16 "
	       "WHERE id = ?14 AND job = ?15");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, p->cursor_key ? p->cursor_key : "");
	sqlite3_bind_int64(q, 2, p->cursor_id);
	sqlite3_bind_int64(q, 3, p->lines);
	sqlite3_bind_int64(q, 4, p->total_fen);
	sqlite3_bind_int64(q, 5, p->waiting);
	sqlite3_bind_int64(q, 6, p->waiting_fen);
	sqlite3_bind_int64(q, 7, p->paid);
	sqlite3_bind_int64(q, 8, p->paid_fen);
	sqlite3_bind_int64(q, 9, p->failed);
	sqlite3_bind_int64(q, 10, p->failed_fen);
	sqlite3_bind_int(q, 11, p->done ? 1 : 0);
	sq_bind_text(q, 12, p->done_state);
	sq_bind_text(q, 13, at);
	sqlite3_bind_int64(q, 14, id);
	sq_bind_text(q, 15, p->job);
	sqlite3_bind_int64(q, 16, p->offset_fen);
	enum tp_rc rc = sq_step_changed(s, q);
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

static enum tp_rc run_policies(struct store *st, int64_t id, struct arena *a, const char ***out,
			       size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT DISTINCT policy FROM payment_lines WHERE run_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	size_t cap = 0;
	const char **items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 64))) {
			oom = 1;
			break;
		}
		items[(*n)++] = sq_col_text(q, 0, a);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

/* ---------------------------------------------------------------- building */

/* Strings a batch repeats on most of its rows (policy, beneficiary kind, item, period key,
 * bank, branch), kept once per batch: a copy per row cost as much as reading it. */
#define INTERN_SLOTS 64

struct intern {
	const char *s[INTERN_SLOTS];
	int len[INTERN_SLOTS];
};

/* Column i of q as a string of arena a, shared with the batch's equal strings when the
 * table has room (NULL for SQL NULL or when out of memory). */
static const char *col_interned(sqlite3_stmt *q, int i, struct arena *a, struct intern *t)
{
	const char *v = (const char *)sqlite3_column_text(q, i);
	if (!v)
		return NULL;
	int len = sqlite3_column_bytes(q, i);
	unsigned h = (unsigned)len * 31u;
	for (int k = 0; k < len; k++)
		h = h * 131u + (unsigned char)v[k];
	for (int probe = 0; probe < 8; probe++) {
		unsigned slot = (h + (unsigned)probe) % INTERN_SLOTS;
		if (!t->s[slot]) {
			t->s[slot] = arena_strndup(a, v, (size_t)len);
			t->len[slot] = len;
			return t->s[slot];
		}
		if (t->len[slot] == len && memcmp(t->s[slot], v, (size_t)len) == 0)
			return t->s[slot];
	}
	return arena_strndup(a, v, (size_t)len);
}

#define QUEUE_SELECT                                                                         \
	"SELECT e.id, e.policy, e.beneficiary_kind, e.beneficiary_id, e.item, e.period_key, "    \
	"e.instalment, e.amount_fen, a.id, a.previous_id, a.created_at, a.confirmed_at, "         \
	"a.invalid_at, a.bank, a.branch, a.account_name, a.number_mask "                          \
	"FROM entitlements e LEFT JOIN bank_accounts a INDEXED BY bank_accounts_pay ON "         \
	"a.beneficiary_kind = e.beneficiary_kind AND a.beneficiary_id = e.beneficiary_id "       \
	"AND a.replaced_at IS NULL "                                                              \
	"WHERE e.status = 'confirmed' AND e.kind = 'cash' AND e.amount_fen > 0 "
/* the rest of the cursor's period, then the periods after it up to the run's: each a
 * range of entitlements_queue.  With (period_key, id) > (?2, ?3) the scan began at the
 * start of the cursor's period and stepped over every row already taken (at 10^6 lines,
 * 100,000 a period, 20,000 a batch: 40,000 rows a batch on average). */
#define QUEUE_REST "AND e.period_key = ?1 AND e.id > ?2 "
#define QUEUE_NEXT "AND e.period_key > ?1 AND e.period_key <= ?2 "
#define QUEUE_LIVE                                                                           \
	"AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.entitlement_id = e.id AND "       \
	"l.status <> 'failed' AND l.status <> 'cancelled') "
#define QUEUE_ORDER "ORDER BY e.period_key, e.id LIMIT ?3"

/* Appends the rows of q (QUEUE_SELECT) to items[*n..limit). */
static enum tp_rc queue_read(struct sq_store *s, sqlite3_stmt *q, struct arena *a,
			     struct intern *t, struct pay_candidate *items, size_t *n)
{
	int rc, oom = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct pay_candidate *c = &items[(*n)++];
		c->id = sqlite3_column_int64(q, 0);
		c->policy = col_interned(q, 1, a, t);
		c->beneficiary_kind = col_interned(q, 2, a, t);
		c->beneficiary_id = sqlite3_column_int64(q, 3);
		c->item = col_interned(q, 4, a, t);
		c->period_key = col_interned(q, 5, a, t);
		c->instalment = sqlite3_column_int(q, 6);
		c->amount_fen = sqlite3_column_int64(q, 7);
		c->account_id = sq_col_int(q, 8, 0);
		c->account_previous_id = sq_col_int(q, 9, 0);
		c->account_created_at = sq_col_int(q, 10, 0);
		c->account_confirmed_at = sq_col_int(q, 11, 0);
		c->account_invalid_at = sq_col_int(q, 12, 0);
		c->bank = col_interned(q, 13, a, t);
		c->branch = col_interned(q, 14, a, t);
		c->account_name = sq_col_text(q, 15, a);
		c->account_mask = sq_col_text(q, 16, a);
		if (!c->policy || !c->beneficiary_kind || !c->item || !c->period_key ||
		    (c->account_id && (!c->bank || !c->branch || !c->account_name ||
				       !c->account_mask))) {
			oom = 1;
			break;
		}
	}
	return sq_end_rows(s, q, oom ? SQLITE_DONE : rc, oom);
}

static enum tp_rc queue_batch(struct store *st, const char *period, const char *after_key,
			      int64_t after_id, int limit, struct arena *a,
			      struct pay_candidate **out, size_t *n)
{
	struct sq_store *s = sq(st);
	/* A confirmed entitlement with a live line is one whose line is pending or exported
	 * (a paid line's entitlement is paid: line_move moves both), so only in a run other
	 * than the one building that is neither reconciled nor cancelled (nor has a job).
	 * When there is none, the queue skips the anti-join (a seek of payment_lines_live per
	 * line); payment_lines_live still refuses a second live line at the INSERT. */
	int others = 1;
	sqlite3_stmt *o = sq_prepare(
	    s, "SELECT EXISTS (SELECT 1 FROM payment_runs WHERE (job IS NULL OR job <> 'build') "
	       "AND NOT (job IS NULL AND state IN ('reconciled', 'cancelled')))");
	if (!o)
		return TP_ERR_DB;
	int orc = sqlite3_step(o);
	if (orc == SQLITE_ROW)
		others = sqlite3_column_int(o, 0);
	if (orc == SQLITE_ROW)
		orc = SQLITE_DONE;
	enum tp_rc rc = sq_end_rows(s, o, orc, 0);
	if (rc != TP_OK)
		return rc;
	struct pay_candidate *items = arena_alloc(a, (size_t)limit * sizeof *items);
	struct intern *t = arena_alloc(a, sizeof *t);
	*out = items;
	*n = 0;
	if (!items || !t)
		return TP_ERR_NOMEM;
	memset(t, 0, sizeof *t);
	/* the join's ON clause matches bank_accounts_pay (migrations/0020): one covering seek
	 * per line */
	sqlite3_stmt *q;
	if (strcmp(after_key, period) <= 0) {
		q = others ? sq_prepare(s, QUEUE_SELECT QUEUE_REST QUEUE_LIVE QUEUE_ORDER)
			   : sq_prepare(s, QUEUE_SELECT QUEUE_REST QUEUE_ORDER);
		if (!q)
			return TP_ERR_DB;
		sq_bind_text(q, 1, after_key);
		sqlite3_bind_int64(q, 2, after_id);
		sqlite3_bind_int(q, 3, limit);
		if ((rc = queue_read(s, q, a, t, items, n)) != TP_OK)
			return rc;
	}
	if (*n == (size_t)limit)
		return TP_OK;
	q = others ? sq_prepare(s, QUEUE_SELECT QUEUE_NEXT QUEUE_LIVE QUEUE_ORDER)
		   : sq_prepare(s, QUEUE_SELECT QUEUE_NEXT QUEUE_ORDER);
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, after_key);
	sq_bind_text(q, 2, period);
	sqlite3_bind_int(q, 3, limit - (int)*n);
	return queue_read(s, q, a, t, items, n);
}

static enum tp_rc budget_state(struct store *st, int64_t run_id, struct arena *a,
			       struct pay_budget **out, size_t *n)
{
	struct sq_store *s = sq(st);
	/* every policy-year with a cap, a live line or a budget wait of this run */
	sqlite3_stmt *q = sq_prepare(
	    s, "WITH k(policy, year) AS (SELECT policy, year FROM budgets UNION "
	       "SELECT DISTINCT policy, budget_year FROM payment_lines "
	       "WHERE status <> 'failed' AND status <> 'cancelled') "
	       "SELECT k.policy, k.year, COALESCE((SELECT amount_fen FROM budgets b "
	       "WHERE b.policy = k.policy AND b.year = k.year), -1), "
	       "(SELECT COALESCE(SUM(amount_fen), 0) FROM payment_lines l WHERE l.policy = k.policy "
	       "AND l.budget_year = k.year AND l.status <> 'failed' AND l.status <> 'cancelled'), "
	       "EXISTS (SELECT 1 FROM payment_waits w WHERE w.run_id = ?1 AND w.policy = k.policy "
	       "AND w.budget_year = k.year AND w.reason = 'budget') FROM k");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	size_t cap = 0;
	struct pay_budget *items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 64))) {
			oom = 1;
			break;
		}
		struct pay_budget *b = &items[(*n)++];
		b->policy = sq_col_text(q, 0, a);
		b->year = sqlite3_column_int(q, 1);
		b->cap = sqlite3_column_int64(q, 2);
		b->consumed = sqlite3_column_int64(q, 3);
		b->blocked = sqlite3_column_int(q, 4);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

#define LINE_COLS                                                                            \
	"INSERT INTO payment_lines (run_id, entitlement_id, policy, beneficiary_kind, "         \
	"beneficiary_id, item, period_key, instalment, budget_year, amount_fen, status, bank, "  \
	"branch, account_name, account_mask, offset_fen) VALUES "
#define LINE_VALUES "(?,?,?,?,?,?,?,?,?,?,'pending',?,?,?,?,?)"
#define LINE_PARAMS 15
/* Lines per INSERT statement: one statement per line spent as much on opening and closing
 * its cursors as on the row (docs/performance.md). */
#define LINES_PER_INSERT 64

/* The 64-row VALUES list, spelled out at compile time: built per statement with snprintf
 * (and looked up in the cache by its 4 KB of text) it cost 3.5 % of a build. */
#define LINE_VALUES_2 LINE_VALUES "," LINE_VALUES
#define LINE_VALUES_4 LINE_VALUES_2 "," LINE_VALUES_2
#define LINE_VALUES_8 LINE_VALUES_4 "," LINE_VALUES_4
#define LINE_VALUES_16 LINE_VALUES_8 "," LINE_VALUES_8
#define LINE_VALUES_32 LINE_VALUES_16 "," LINE_VALUES_16
#define LINE_VALUES_64 LINE_VALUES_32 "," LINE_VALUES_32
_Static_assert(LINES_PER_INSERT == 64, "LINE_VALUES_64 spells out LINES_PER_INSERT rows");

/* The INSERT of `rows` lines (1 or LINES_PER_INSERT), from the connection's cache. */
static sqlite3_stmt *line_insert(struct sq_store *s, int rows)
{
	if (rows == 1)
		return sq_prepare(s, LINE_COLS LINE_VALUES);
	return sq_prepare(s, LINE_COLS LINE_VALUES_64);
}

static void bind_line(sqlite3_stmt *q, int b, int64_t run_id, const struct pay_line *l)
{
	sqlite3_bind_int64(q, b + 1, run_id);
	sqlite3_bind_int64(q, b + 2, l->entitlement_id);
	sq_bind_text(q, b + 3, l->policy);
	sq_bind_text(q, b + 4, l->beneficiary_kind);
	sqlite3_bind_int64(q, b + 5, l->beneficiary_id);
	sq_bind_text(q, b + 6, l->item);
	sq_bind_text(q, b + 7, l->period_key);
	sqlite3_bind_int(q, b + 8, l->instalment);
	sqlite3_bind_int(q, b + 9, l->budget_year);
	sqlite3_bind_int64(q, b + 10, l->amount_fen);
	sq_bind_text(q, b + 11, l->bank);
	sq_bind_text(q, b + 12, l->branch);
	sq_bind_text(q, b + 13, l->account_name);
	sq_bind_text(q, b + 14, l->account_mask);
	sqlite3_bind_int64(q, b + 15, l->offset_fen);
}

static enum tp_rc build_write(struct store *st, int64_t run_id, struct pay_line *lines, size_t nl,
			      struct pay_offset *offs, size_t no, const struct pay_wait *waits,
			      size_t nw)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *w = sq_prepare(s, "INSERT INTO payment_waits (run_id, entitlement_id, policy, "
					"budget_year, amount_fen, reason) VALUES (?,?,?,?,?,?)");
	if (!w)
		return TP_ERR_DB;
	enum tp_rc rc = TP_OK;
	size_t i = 0;
	while (i < nl && rc == TP_OK) {
		int rows = nl - i >= LINES_PER_INSERT ? LINES_PER_INSERT : 1;
		sqlite3_stmt *ins = line_insert(s, rows);
		if (!ins)
			return TP_ERR_DB;
		for (int k = 0; k < rows; k++)
			bind_line(ins, k * LINE_PARAMS, run_id, &lines[i + (size_t)k]);
		rc = sq_step_done(s, ins);
		if (rc != TP_OK)
			break;
		/* rowids of one statement are consecutive: no other writer holds the lock */
		int64_t last = sqlite3_last_insert_rowid(s->db);
		for (int k = 0; k < rows; k++)
			lines[i + (size_t)k].id = last - (rows - 1 - k);
		i += (size_t)rows;
	}
	if (no && rc == TP_OK) {
		sqlite3_stmt *o = sq_prepare(s, "INSERT INTO payment_offsets (line_id, clawback_id, "
						"run_id, policy, budget_year, amount_fen) "
						"VALUES (?,?,?,?,?,?)");
		if (!o)
			return TP_ERR_DB;
		for (size_t j = 0; j < no && rc == TP_OK; j++) {
			offs[j].line_id = lines[offs[j].line_ix].id;
			sqlite3_bind_int64(o, 1, offs[j].line_id);
			sqlite3_bind_int64(o, 2, offs[j].clawback_id);
			sqlite3_bind_int64(o, 3, run_id);
			sq_bind_text(o, 4, offs[j].policy);
			sqlite3_bind_int(o, 5, offs[j].budget_year);
			sqlite3_bind_int64(o, 6, offs[j].amount_fen);
			rc = sq_step_done(s, o);
		}
	}
	for (size_t j = 0; j < nw && rc == TP_OK; j++) {
		sqlite3_bind_int64(w, 1, run_id);
		sqlite3_bind_int64(w, 2, waits[j].entitlement_id);
		sq_bind_text(w, 3, waits[j].policy);
		sqlite3_bind_int(w, 4, waits[j].budget_year);
		sqlite3_bind_int64(w, 5, waits[j].amount_fen);
		sq_bind_text(w, 6, waits[j].reason);
		rc = sq_step_done(s, w);
	}
	sq_counts_bump();
	return rc;
}

/* ---------------------------------------------------------------- clawback offsets */

static enum tp_rc clawbacks_open(struct store *st, struct arena *a, struct pay_clawback **out,
				 size_t *n)
{
	struct sq_store *s = sq(st);
	/* the WHERE clause repeats entitlements_clawbacks' (migrations/0019) to use it */
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT e.id, e.beneficiary_kind, e.beneficiary_id, e.policy, "
	       "CAST(substr(e.period_key, 1, 4) AS INTEGER), -e.amount_fen - "
	       "(SELECT COALESCE(SUM(o.amount_fen), 0) FROM payment_offsets o JOIN payment_lines l "
	       "ON l.id = o.line_id WHERE o.clawback_id = e.id AND l.status <> 'failed' AND "
	       "l.status <> 'cancelled') AS remaining FROM entitlements e WHERE e.amount_fen < 0 "
	       "AND e.adjusts IS NOT NULL AND e.status IN ('pending', 'confirmed') "
	       "AND e.kind = 'cash' AND remaining > 0 "
	       "ORDER BY e.beneficiary_kind, e.beneficiary_id, e.id");
	if (!q)
		return TP_ERR_DB;
	size_t cap = 0;
	struct pay_clawback *items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 64))) {
			oom = 1;
			break;
		}
		struct pay_clawback *c = &items[(*n)++];
		c->id = sqlite3_column_int64(q, 0);
		c->beneficiary_kind = sq_col_text(q, 1, a);
		c->beneficiary_id = sqlite3_column_int64(q, 2);
		c->policy = sq_col_text(q, 3, a);
		c->budget_year = sqlite3_column_int(q, 4);
		c->remaining_fen = sqlite3_column_int64(q, 5);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc offsets_of(struct store *st, int64_t run_id, int64_t first_line,
			     int64_t last_line, struct arena *a, struct pay_offset **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT line_id, clawback_id, policy, budget_year, "
					"amount_fen FROM payment_offsets WHERE run_id = ?1 AND "
					"line_id BETWEEN ?2 AND ?3 ORDER BY line_id, clawback_id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_int64(q, 2, first_line);
	sqlite3_bind_int64(q, 3, last_line);
	size_t cap = 0;
	struct pay_offset *items = NULL;
	int rc, oom = 0;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof *items, 64))) {
			oom = 1;
			break;
		}
		struct pay_offset *o = &items[(*n)++];
		memset(o, 0, sizeof *o);
		o->line_id = sqlite3_column_int64(q, 0);
		o->clawback_id = sqlite3_column_int64(q, 1);
		o->policy = sq_col_text(q, 2, a);
		o->budget_year = sqlite3_column_int(q, 3);
		o->amount_fen = sqlite3_column_int64(q, 4);
	}
	*out = items;
	return sq_end_rows(s, q, rc, oom);
}

static enum tp_rc clawback_settle(struct store *st, int64_t clawback_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "UPDATE entitlements SET status = 'paid' WHERE id = ?1 AND amount_fen < 0 AND "
	       "status IN ('pending', 'confirmed') AND -amount_fen <= (SELECT "
	       "COALESCE(SUM(o.amount_fen), 0) FROM payment_offsets o JOIN payment_lines l ON "
	       "l.id = o.line_id WHERE o.clawback_id = ?1 AND l.status = 'paid')");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, clawback_id);
	return sq_step_done(s, q);
}

/* ---------------------------------------------------------------- lines */

static enum tp_rc lines_after(struct store *st, int64_t run_id, const char *status,
			      int with_result, int64_t after_id, int limit, struct arena *a,
			      struct pay_line **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT id, run_id, entitlement_id, policy, beneficiary_kind, beneficiary_id, item, "
	       "period_key, instalment, budget_year, amount_fen, status, bank, branch, account_name, "
	       "account_mask, result, reason, bank_ref, offset_fen FROM payment_lines "
	       "WHERE run_id = ?1 AND id > ?2 AND (?3 IS NULL OR status = ?3) "
	       "AND (?4 = 0 OR result IS NOT NULL) ORDER BY id LIMIT ?5");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_int64(q, 2, after_id);
	sq_bind_text(q, 3, status);
	sqlite3_bind_int(q, 4, with_result);
	sqlite3_bind_int(q, 5, limit);
	struct pay_line *items = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof *items);
	int rc = SQLITE_DONE;
	*n = 0;
	while (items && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct pay_line *l = &items[(*n)++];
		l->id = sqlite3_column_int64(q, 0);
		l->run_id = sqlite3_column_int64(q, 1);
		l->entitlement_id = sqlite3_column_int64(q, 2);
		l->policy = sq_col_text(q, 3, a);
		l->beneficiary_kind = sq_col_text(q, 4, a);
		l->beneficiary_id = sqlite3_column_int64(q, 5);
		l->item = sq_col_text(q, 6, a);
		l->period_key = sq_col_text(q, 7, a);
		l->instalment = sqlite3_column_int(q, 8);
		l->budget_year = sqlite3_column_int(q, 9);
		l->amount_fen = sqlite3_column_int64(q, 10);
		l->status = sq_col_text(q, 11, a);
		l->bank = sq_col_text(q, 12, a);
		l->branch = sq_col_text(q, 13, a);
		l->account_name = sq_col_text(q, 14, a);
		l->account_mask = sq_col_text(q, 15, a);
		l->result = sq_col_text(q, 16, a);
		l->reason = sq_col_text(q, 17, a);
		l->bank_ref = sq_col_text(q, 18, a);
		l->offset_fen = sqlite3_column_int64(q, 19);
	}
	*out = items;
	return sq_end_rows(s, q, rc, !items);
}

static enum tp_rc line_move(struct store *st, int64_t line_id, const char *from, const char *to,
			    int64_t entitlement_id, const char *ent_status, const char *note)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE payment_lines SET status = ? WHERE id = ? "
					"AND status = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, to);
	sqlite3_bind_int64(q, 2, line_id);
	sq_bind_text(q, 3, from);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_ERR_NOT_FOUND)
		return TP_ERR_CONFLICT;
	if (rc != TP_OK || !ent_status)
		return rc;
	q = sq_prepare(s, "UPDATE entitlements SET status = ?, pay_note = ? WHERE id = ? "
			  "AND status = 'confirmed'");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, ent_status);
	sq_bind_text(q, 2, note);
	sqlite3_bind_int64(q, 3, entitlement_id);
	rc = sq_step_changed(s, q);
	return rc == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : rc;
}

static enum tp_rc line_result(struct store *st, int64_t run_id, const struct pay_result *r,
			      const char *at, int *same)
{
	struct sq_store *s = sq(st);
	*same = 0;
	sqlite3_stmt *q = sq_prepare(s, "SELECT status, result, COALESCE(reason, ''), "
					"COALESCE(bank_ref, '') FROM payment_lines "
					"WHERE id = ? AND run_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, r->line_id);
	sqlite3_bind_int64(q, 2, run_id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	}
	const char *status = (const char *)sqlite3_column_text(q, 0);
	const char *res = (const char *)sqlite3_column_text(q, 1);
	const char *want = r->paid ? "paid" : "failed";
	int verdict; /* 0 write, 1 same, 2 conflict, 3 not exported */
	if (res)
		verdict = strcmp(res, want) == 0 &&
				  strcmp((const char *)sqlite3_column_text(q, 2),
					 r->paid ? "" : (r->reason ? r->reason : "")) == 0
			      ? 1
			      : 2;
	else if (strcmp(status, "paid") == 0 && r->paid)
		verdict = 1; /* paid by its clawback offset alone, never sent: "paid" is no news */
	else
		verdict = strcmp(status, "exported") == 0 ? 0 : 3;
	sqlite3_reset(q);
	if (verdict == 1) {
		*same = 1;
		return TP_OK;
	}
	if (verdict == 2)
		return TP_ERR_CONFLICT;
	if (verdict == 3)
		return TP_ERR_NOT_FOUND;
	q = sq_prepare(s, "UPDATE payment_lines SET result = ?, reason = ?, bank_ref = ?, "
			  "result_at = ? WHERE id = ? AND result IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, want);
	sq_bind_text(q, 2, r->paid ? NULL : (r->reason ? r->reason : ""));
	sq_bind_text(q, 3, r->bank_ref);
	sq_bind_text(q, 4, at);
	sqlite3_bind_int64(q, 5, r->line_id);
	return sq_step_done(s, q);
}

static enum tp_rc lines_open(struct store *st, int64_t run_id, int64_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT COUNT(*) FROM payment_lines WHERE run_id = ? "
					"AND status = 'exported'");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, run_id);
	int rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return sq_end_rows(s, q, rc, 0);
}

/* ---------------------------------------------------------------- ledger */

static enum tp_rc ledger_post(struct store *st, const char *kind, int64_t run_id,
			      const char *memo, const struct ledger_posting *p, size_t n,
			      const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO ledger_entries (kind, run_id, memo, created_at) "
					"VALUES (?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sq_bind_int_opt(q, 2, run_id, 0);
	sq_bind_text(q, 3, memo ? memo : "");
	sq_bind_text(q, 4, at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	int64_t entry = sqlite3_last_insert_rowid(s->db);
	q = sq_prepare(s, "INSERT INTO ledger_postings (entry_id, account, amount_fen, line_id, "
			  "entitlement_id) VALUES (?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	for (size_t i = 0; i < n && rc == TP_OK; i++) {
		sqlite3_bind_int64(q, 1, entry);
		sq_bind_text(q, 2, p[i].account);
		sqlite3_bind_int64(q, 3, p[i].amount_fen);
		sq_bind_int_opt(q, 4, p[i].line_id, 0);
		sq_bind_int_opt(q, 5, p[i].entitlement_id, 0);
		rc = sq_step_done(s, q);
	}
	return rc;
}

/* Runs a one-row query of integers into v[0..nv). */
static enum tp_rc ints(struct sq_store *s, const char *sql, int64_t *v, int nv, int *row)
{
	sqlite3_stmt *q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	int rc = sqlite3_step(q);
	*row = rc == SQLITE_ROW;
	for (int i = 0; *row && i < nv; i++)
		v[i] = sq_col_int(q, i, 0);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return sq_end_rows(s, q, rc, 0);
}

static enum tp_rc ledger_check_sq(struct store *st, struct ledger_report *rep)
{
	struct sq_store *s = sq(st);
	memset(rep, 0, sizeof *rep);
	int row;
	int64_t v[4];
	enum tp_rc rc = ints(s, "SELECT (SELECT COUNT(*) FROM ledger_entries), COUNT(*), "
				"COALESCE(SUM(amount_fen), 0) FROM ledger_postings", v, 3, &row);
	if (rc != TP_OK)
		return rc;
	rep->entries = v[0];
	rep->postings = v[1];
	rep->sum_fen = v[2];
	rc = ints(s, "SELECT COALESCE(-SUM(amount_fen), 0) FROM ledger_postings "
		     "WHERE account LIKE 'budget:%'", v, 1, &row);
	rep->approved_fen = v[0];
	if (rc == TP_OK)
		rc = ints(s, "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_postings "
			     "WHERE account LIKE 'paid:%'", v, 1, &row);
	rep->paid_fen = v[0];
	if (rc != TP_OK)
		return rc;
	/* 1. every entry balances */
	rc = ints(s, "SELECT entry_id, SUM(amount_fen) FROM ledger_postings GROUP BY entry_id "
		     "HAVING SUM(amount_fen) <> 0 ORDER BY entry_id LIMIT 1", v, 2, &row);
	if (rc == TP_OK && row) {
		rep->invariant = 1;
		snprintf(rep->violation, sizeof rep->violation,
			 "entry %lld does not balance: its postings sum to %lld fen",
			 (long long)v[0], (long long)v[1]);
		return TP_OK;
	}
	rc = rc == TP_OK ? ints(s, "SELECT id FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 "
				   "FROM ledger_postings p WHERE p.entry_id = e.id) LIMIT 1",
				v, 1, &row)
			 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 1;
		snprintf(rep->violation, sizeof rep->violation, "entry %lld has no postings",
			 (long long)v[0]);
		return TP_OK;
	}
	/* 2. the sum of all accounts is zero */
	if (rc == TP_OK && rep->sum_fen != 0) {
		rep->invariant = 2;
		snprintf(rep->violation, sizeof rep->violation,
			 "the accounts sum to %lld fen, not 0", (long long)rep->sum_fen);
		return TP_OK;
	}
	/* 3. paid <= approved per entitlement, and never more than the entitlement; a
	 * clawback (amount < 0) is recovered by offsets, each booked paid → budget: its
	 * "paid" is minus what was recovered, between its amount and 0, and equals its
	 * "approved" (the budget got back exactly what was recovered) */
	rc = rc == TP_OK
		 ? ints(s, "SELECT id, paid, approved, amt FROM (SELECT p.entitlement_id AS id, "
			   "SUM(CASE WHEN p.account LIKE 'paid:%' THEN "
			   "p.amount_fen ELSE 0 END) AS paid, -SUM(CASE WHEN p.account LIKE "
			   "'budget:%' THEN p.amount_fen ELSE 0 END) AS approved, "
			   "COALESCE((SELECT amount_fen FROM entitlements e WHERE e.id = "
			   "p.entitlement_id), 0) AS amt "
			   "FROM ledger_postings p WHERE p.entitlement_id IS NOT NULL "
			   "GROUP BY p.entitlement_id) WHERE (amt >= 0 AND (paid > approved OR "
			   "paid > amt OR paid < 0)) OR (amt < 0 AND (paid <> approved OR "
			   "paid < amt OR paid > 0)) LIMIT 1",
			   v, 4, &row)
		 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 3;
		snprintf(rep->violation, sizeof rep->violation,
			 "entitlement %lld: paid %lld fen exceeds approved %lld fen (entitled %lld)",
			 (long long)v[0], (long long)v[1], (long long)v[2], (long long)v[3]);
		return TP_OK;
	}
	/* 4. no entitlement key paid twice (the unique index forbids it; checked anyway) */
	rc = rc == TP_OK
		 ? ints(s, "SELECT MIN(id), COUNT(*) FROM payment_lines WHERE status = 'paid' "
			   "GROUP BY policy, beneficiary_kind, beneficiary_id, item, period_key, "
			   "instalment HAVING COUNT(*) > 1 LIMIT 1",
			   v, 2, &row)
		 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 4;
		snprintf(rep->violation, sizeof rep->violation,
			 "entitlement key of line %lld paid %lld times", (long long)v[0],
			 (long long)v[1]);
		return TP_OK;
	}
	/* 5. every paid line is in the ledger exactly once as paid */
	rc = rc == TP_OK
		 ? ints(s, "SELECT l.id FROM payment_lines l LEFT JOIN (SELECT line_id, "
			   "entitlement_id, SUM(amount_fen) AS s FROM ledger_postings WHERE account "
			   "LIKE 'paid:%' GROUP BY line_id, entitlement_id) p ON p.line_id = l.id "
			   "AND p.entitlement_id = l.entitlement_id WHERE (l.status = 'paid' AND "
			   "COALESCE(p.s, 0) <> l.amount_fen) OR (l.status <> 'paid' AND "
			   "COALESCE(p.s, 0) <> 0) ORDER BY l.id LIMIT 1",
			   v, 1, &row)
		 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 5;
		snprintf(rep->violation, sizeof rep->violation,
			 "line %lld: its postings to paid do not match its status (booked once when paid, never otherwise)", (long long)v[0]);
		return TP_OK;
	}
	/* 6. offsets: a line's offset is the sum of its parts and at most its amount; the live
	 * lines never offset more than a clawback (migrations/0019) */
	rc = rc == TP_OK
		 ? ints(s, "SELECT l.id FROM payment_lines l LEFT JOIN (SELECT line_id, "
			   "SUM(amount_fen) AS s FROM payment_offsets GROUP BY line_id) o ON "
			   "o.line_id = l.id WHERE l.offset_fen <> COALESCE(o.s, 0) OR "
			   "l.offset_fen > l.amount_fen ORDER BY l.id LIMIT 1",
			   v, 1, &row)
		 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 6;
		snprintf(rep->violation, sizeof rep->violation,
			 "line %lld: its offset is not the sum of its parts, or exceeds the line",
			 (long long)v[0]);
		return TP_OK;
	}
	rc = rc == TP_OK
		 ? ints(s, "SELECT o.clawback_id, SUM(o.amount_fen), -(SELECT amount_fen FROM "
			   "entitlements e WHERE e.id = o.clawback_id) AS owed FROM payment_offsets "
			   "o JOIN payment_lines l ON l.id = o.line_id WHERE l.status <> 'failed' "
			   "AND l.status <> 'cancelled' GROUP BY o.clawback_id HAVING "
			   "SUM(o.amount_fen) > COALESCE(owed, 0) LIMIT 1",
			   v, 3, &row)
		 : rc;
	if (rc == TP_OK && row) {
		rep->invariant = 6;
		snprintf(rep->violation, sizeof rep->violation,
			 "clawback %lld: offset %lld fen, more than its %lld fen", (long long)v[0],
			 (long long)v[1], (long long)v[2]);
		return TP_OK;
	}
	if (rc == TP_OK)
		rep->ok = 1;
	return rc;
}

/* ---------------------------------------------------------------- entitlements */

#define NOTICE_CONFIRMED_SQL                                                                   \
	"INSERT INTO notices (beneficiary_kind, beneficiary_id, kind, entitlement_id, policy, "    \
	"period_key, amount_fen, text_zh, text_en, created_at) SELECT beneficiary_kind, "          \
	"beneficiary_id, 'entitlement.confirmed', id, policy, period_key, amount_fen, "            \
	"printf('您将获得 %s（%s）%d.%02d 元，因为您符合该政策的条件：依据与计算说明可在“我的待遇”中查看。', " \
	"policy, period_key, amount_fen / 100, amount_fen % 100), "                                 \
	"printf('You will receive %d.%02d yuan under %s (%s) because you meet its conditions; "    \
	"the explanation is under your entitlements.', amount_fen / 100, amount_fen % 100, "       \
	"policy, period_key), ?1 FROM entitlements "

/* 1 when entitlement id is pending and needs an approved application (0018). */
static int needs_application(struct sq_store *s, int64_t id)
{
	sqlite3_stmt *q = sq_prepare(s, "SELECT 1 FROM entitlements WHERE id = ? AND "
					"status = 'pending' AND needs_application <> 0");
	if (!q)
		return 0;
	sqlite3_bind_int64(q, 1, id);
	int r = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	return r;
}

static enum tp_rc ent_confirm(struct store *st, const struct ent_filter *f,
			      const char *const *policies, size_t npolicies, const char *by,
			      const char *at, int64_t *n, int64_t *bad, int64_t *skipped)
{
	struct sq_store *s = sq(st);
	*n = 0;
	*bad = 0;
	*skipped = 0;
	enum tp_rc rc = TP_OK;
	if (f && f->nids) {
		sqlite3_stmt *nq = sq_prepare(s, NOTICE_CONFIRMED_SQL
					     "WHERE id = ?2 AND status = 'pending' AND kind = 'cash' AND amount_fen > 0 "
					     "AND needs_application = 0");
		sqlite3_stmt *uq = sq_prepare(s, "UPDATE entitlements SET status = 'confirmed', "
						 "confirmed_by = ?, confirmed_at = ? WHERE id = ? "
						 "AND status = 'pending' AND kind = 'cash' AND amount_fen > 0 "
						 "AND needs_application = 0");
		if (!nq || !uq)
			return TP_ERR_DB;
		for (size_t i = 0; i < f->nids && rc == TP_OK; i++) {
			sq_bind_text(nq, 1, at);
			sqlite3_bind_int64(nq, 2, f->ids[i]);
			if ((rc = sq_step_done(s, nq)) != TP_OK)
				break;
			sq_bind_text(uq, 1, by);
			sq_bind_text(uq, 2, at);
			sqlite3_bind_int64(uq, 3, f->ids[i]);
			rc = sq_step_changed(s, uq);
			if (rc == TP_ERR_NOT_FOUND) {
				*bad = f->ids[i];
				/* an apply-channel entitlement: confirmed by approving its application */
				rc = needs_application(s, f->ids[i]) ? TP_ERR_UNSUPPORTED : TP_ERR_CONFLICT;
			}
			if (rc == TP_OK)
				(*n)++;
		}
		return rc;
	}
	/* by filter (policy, period) or by the auto-confirm list (policies, period <=) */
	char where[2048];
	size_t w = (size_t)snprintf(where, sizeof where,
				    "WHERE status = 'pending' AND kind = 'cash' AND amount_fen > 0%s%s",
				    f && f->policy ? " AND policy = ?2" : "",
				    f && f->period && !policies ? " AND period_key = ?3" : "");
	if (policies) {
		if (!npolicies)
			return TP_OK;
		w += (size_t)snprintf(where + w, sizeof where - w, " AND period_key <= ?3 AND policy IN (");
		for (size_t i = 0; i < npolicies && w < sizeof where - 16; i++)
			w += (size_t)snprintf(where + w, sizeof where - w, "%s?%zu", i ? "," : "",
					      i + 10);
		snprintf(where + w, sizeof where - w, ")");
	}
	char sql[4096];
	const char *period = f ? f->period : NULL;
	/* pass 0 counts the apply-channel rows skipped (they need an approved application),
	 * pass 1 writes the notices, pass 2 confirms */
	for (int pass = 0; pass < 3 && rc == TP_OK; pass++) {
		if (pass == 0)
			snprintf(sql, sizeof sql, "SELECT count(*) FROM entitlements %s "
						  "AND needs_application <> 0 AND ?1 IS NOT NULL", where);
		else if (pass == 1)
			snprintf(sql, sizeof sql, "%s%s AND needs_application = 0", NOTICE_CONFIRMED_SQL,
				 where);
		else
			snprintf(sql, sizeof sql, "UPDATE entitlements SET status = 'confirmed', "
						  "confirmed_by = ?4, confirmed_at = ?1 %s "
						  "AND needs_application = 0", where);
		sqlite3_stmt *q = sq_prepare_text(s, sql);
		if (!q)
			return TP_ERR_DB;
		sq_bind_text(q, 1, at);
		if (f && f->policy)
			sq_bind_text(q, 2, f->policy);
		if (period)
			sq_bind_text(q, 3, period);
		if (pass == 2)
			sq_bind_text(q, 4, by);
		for (size_t i = 0; policies && i < npolicies; i++)
			sq_bind_text(q, (int)i + 10, policies[i]);
		if (pass == 0) {
			int r = sqlite3_step(q);
			if (r == SQLITE_ROW)
				*skipped = sqlite3_column_int64(q, 0);
			else
				rc = sq_rc(s, r);
			sqlite3_reset(q);
			continue;
		}
		rc = sq_step_done(s, q);
		if (rc == TP_OK && pass == 2)
			*n = sqlite3_changes(s->db);
	}
	sq_counts_bump();
	return rc;
}

static enum tp_rc ent_cancel(struct store *st, int64_t id, const char *reason)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT status FROM entitlements WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	q = sq_prepare(s, "UPDATE entitlements SET status = 'cancelled', pay_note = ? WHERE id = ? "
			  "AND status IN ('pending', 'confirmed') AND NOT EXISTS (SELECT 1 FROM "
			  "payment_lines l WHERE l.entitlement_id = entitlements.id AND "
			  "l.status <> 'failed' AND l.status <> 'cancelled')");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, reason);
	sqlite3_bind_int64(q, 2, id);
	enum tp_rc r = sq_step_changed(s, q);
	return r == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : r;
}

static enum tp_rc notice_insert(struct store *st, const char *kind, int64_t line_id,
				const char *text_zh, const char *text_en, const char *at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
	    s, "INSERT INTO notices (beneficiary_kind, beneficiary_id, kind, entitlement_id, policy, "
	       "period_key, amount_fen, text_zh, text_en, created_at) SELECT beneficiary_kind, "
	       "beneficiary_id, ?, entitlement_id, policy, period_key, amount_fen, ?, ?, ? "
	       "FROM payment_lines WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sq_bind_text(q, 2, text_zh);
	sq_bind_text(q, 3, text_en);
	sq_bind_text(q, 4, at);
	sqlite3_bind_int64(q, 5, line_id);
	return sq_step_done(s, q);
}

static enum tp_rc budget_put(struct store *st, const char *policy, int year, int64_t amount,
			     const char *by, const char *at, int64_t *old)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT amount_fen FROM budgets WHERE policy = ? AND year = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, policy);
	sqlite3_bind_int(q, 2, year);
	int rc = sqlite3_step(q);
	*old = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_rc(s, rc);
	q = sq_prepare(s, "INSERT INTO budgets (policy, year, amount_fen, updated_by, updated_at) "
			  "VALUES (?,?,?,?,?) ON CONFLICT (policy, year) DO UPDATE SET "
			  "amount_fen = excluded.amount_fen, updated_by = excluded.updated_by, "
			  "updated_at = excluded.updated_at");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, policy);
	sqlite3_bind_int(q, 2, year);
	sqlite3_bind_int64(q, 3, amount);
	sq_bind_text(q, 4, by);
	sq_bind_text(q, 5, at);
	return sq_step_done(s, q);
}

static enum tp_rc job_cache(struct store *st, int on)
{
	/* a larger cache keeps the run's index pages in memory; fewer checkpoints copy each
	 * page once rather than once per batch (docs/performance.md) */
	enum tp_rc rc = sq_exec_cached(sq(st), on ? "PRAGMA cache_size = -262144"
						   : "PRAGMA cache_size = -16000");
	if (rc == TP_OK)
		rc = sq_exec_cached(sq(st), on ? "PRAGMA wal_autocheckpoint = 16384"
					       : "PRAGMA wal_autocheckpoint = 1000");
	return rc;
}

const struct pay_store_ops sq_pay_ops = {
	.job_cache = job_cache,
	.run_insert = run_insert,
	.run_get = run_get,
	.run_list = run_list,
	.run_jobs = run_jobs,
	.run_move = run_move,
	.run_progress = run_progress,
	.run_policies = run_policies,
	.queue_batch = queue_batch,
	.budget_state = budget_state,
	.build_write = build_write,
	.lines_after = lines_after,
	.line_move = line_move,
	.line_result = line_result,
	.lines_open = lines_open,
	.ledger_post = ledger_post,
	.ledger_check = ledger_check_sq,
	.clawbacks_open = clawbacks_open,
	.offsets_of = offsets_of,
	.clawback_settle = clawback_settle,
	.ent_confirm = ent_confirm,
	.ent_cancel = ent_cancel,
	.notice_insert = notice_insert,
	.budget_put = budget_put,
};
