/*
 * store/payments.h — the storage operations of payments (domain/payments.h,
 * migrations/0014_payments.sql), a table hung off struct store_ops (`pay`).
 * Same rules as store.h: TP_OK, NOT_FOUND, CONFLICT (a unique key is taken or a state
 * check failed), BUSY, DB; strings from the arena passed.  Operations that write join the
 * caller's transaction (the domain begins and ends them).
 */
#ifndef TP_STORE_PAYMENTS_H
#define TP_STORE_PAYMENTS_H

#include "domain/payments.h"
#include "store/store.h"

/* A budget's standing for a run being built: cap (-1: none), consumed by live lines of
 * every run, blocked = a line of this run already waits for it. */
struct pay_budget {
	const char *policy;
	int year;
	int64_t cap, consumed;
	int blocked;
};

/* A change of a run's state (and job), only when it is in state `from` with no job. */
struct pay_move {
	const char *from, *to, *job; /* job NULL: none */
	int who;                     /* 0: nobody recorded, 1: submitted_by, 2: approved_by */
	const char *by;
	int64_t by_id;
	const char *reason; /* cancel_reason, or NULL */
	int announce;       /* -1: unchanged */
};

/* Progress of a job, written with its batch: cursor and counter increments; done ends
 * the job (job NULL) and sets state to done_state when not NULL. */
struct pay_progress {
	const char *job; /* the job the batch belongs to: CONFLICT when the run has another */
	const char *cursor_key;
	int64_t cursor_id;
	int64_t lines, total_fen, waiting, waiting_fen, paid, paid_fen, failed, failed_fen;
	int64_t offset_fen;
	int done;
	const char *done_state;
};

struct pay_store_ops {
	/* A job over many lines: on = a larger page cache for this connection (the run's
	 * indexes stay in memory), off = back to the default.  Durability is unchanged. */
	enum tp_rc (*job_cache)(struct store *st, int on);
	enum tp_rc (*run_insert)(struct store *st, struct payment_run *r);
	enum tp_rc (*run_get)(struct store *st, int64_t id, struct arena *a,
			      struct payment_run *out);
	enum tp_rc (*run_list)(struct store *st, struct arena *a, struct payment_run **out,
			       size_t *n);
	/* Ids of runs with a job, oldest first (at most max). */
	enum tp_rc (*run_jobs)(struct store *st, int64_t *ids, size_t max, size_t *n);
	enum tp_rc (*run_move)(struct store *st, int64_t id, const struct pay_move *m,
			       const char *at);
	enum tp_rc (*run_progress)(struct store *st, int64_t id, const struct pay_progress *p,
				   const char *at);
	/* Distinct policies of a run's lines. */
	enum tp_rc (*run_policies)(struct store *st, int64_t id, struct arena *a,
				   const char ***out, size_t *n);

	/* Confirmed cash entitlements with period_key <= period and (period_key, id) after
	 * (after_key, after_id), in that order, at most limit. */
	enum tp_rc (*queue_batch)(struct store *st, const char *period, const char *after_key,
				  int64_t after_id, int limit, struct arena *a,
				  struct pay_candidate **out, size_t *n);
	enum tp_rc (*budget_state)(struct store *st, int64_t run_id, struct arena *a,
				   struct pay_budget **out, size_t *n);
	/* Inserts lines (status pending; sets ids) — CONFLICT when an entitlement (or its key)
	 * has a live line already — their offsets (line_id from line_ix; CONFLICT when a
	 * clawback would be offset beyond its amount) and records waits. */
	enum tp_rc (*build_write)(struct store *st, int64_t run_id, struct pay_line *lines,
				  size_t nl, struct pay_offset *offs, size_t no,
				  const struct pay_wait *waits, size_t nw);
	/* Open clawbacks with something left to offset, by (beneficiary_kind,
	 * beneficiary_id, id). */
	enum tp_rc (*clawbacks_open)(struct store *st, struct arena *a, struct pay_clawback **out,
				     size_t *n);
	/* Offsets of the run's lines with first_line <= id <= last_line, by (line, clawback). */
	enum tp_rc (*offsets_of)(struct store *st, int64_t run_id, int64_t first_line,
				 int64_t last_line, struct arena *a, struct pay_offset **out,
				 size_t *n);
	/* A clawback whose paid lines' offsets now cover all of it: status pending or
	 * confirmed → paid (settled); otherwise nothing. */
	enum tp_rc (*clawback_settle)(struct store *st, int64_t clawback_id);

	/* Lines of run with id > after_id by id (status NULL: any; with_result: only those
	 * whose result is recorded), at most limit. */
	enum tp_rc (*lines_after)(struct store *st, int64_t run_id, const char *status,
				  int with_result, int64_t after_id, int limit, struct arena *a,
				  struct pay_line **out, size_t *n);
	/* Line status from → to (CONFLICT when not from), and its (confirmed) entitlement's
	 * status to ent_status (NULL: unchanged) with pay_note note (NULL: cleared). */
	enum tp_rc (*line_move)(struct store *st, int64_t line_id, const char *from,
				const char *to, int64_t entitlement_id, const char *ent_status,
				const char *note);
	/* Records a result on an exported line of run: CONFLICT when it has another,
	 * NOT_FOUND when the line is not the run's or not exported; *same = 1 when it had
	 * this very result already (or, paid by its clawback offset alone and never sent, the
	 * result says paid). */
	enum tp_rc (*line_result)(struct store *st, int64_t run_id, const struct pay_result *r,
				  const char *at, int *same);
	/* Lines of the run still waiting for a result (status exported). */
	enum tp_rc (*lines_open)(struct store *st, int64_t run_id, int64_t *n);

	/* Appends an entry with its postings (they must balance: the domain checks). */
	enum tp_rc (*ledger_post)(struct store *st, const char *kind, int64_t run_id,
				  const char *memo, const struct ledger_posting *p, size_t n,
				  const char *at);
	enum tp_rc (*ledger_check)(struct store *st, struct ledger_report *rep);

	/* Pending cash entitlements matching f → confirmed, with a notice each; *n moved.
	 * With ids: CONFLICT (and *bad the id) when one is not a pending cash entitlement,
	 * UNSUPPORTED (and *bad) when it is one that needs an approved application (0018).
	 * With policies (the auto-confirm list): those of policies[0..npolicies) whose
	 * period_key <= f->period.  By filter or list, rows that need an application are
	 * left pending and counted in *skipped. */
	enum tp_rc (*ent_confirm)(struct store *st, const struct ent_filter *f,
				  const char *const *policies, size_t npolicies, const char *by,
				  const char *at, int64_t *n, int64_t *bad, int64_t *skipped);
	enum tp_rc (*ent_cancel)(struct store *st, int64_t id, const char *reason);
	enum tp_rc (*notice_insert)(struct store *st, const char *kind, int64_t line_id,
				    const char *text_zh, const char *text_en, const char *at);
	/* *old gets the previous amount (-1 when none). */
	enum tp_rc (*budget_put)(struct store *st, const char *policy, int year, int64_t amount,
				 const char *by, const char *at, int64_t *old);
};

#define PAY_CALL(fn, st, ...) ((st)->ops->pay->fn((st), __VA_ARGS__))

#endif
