/*
 * payments.h — entitlements confirmed and paid exactly once (issue 6): payment runs, their
 * lines, budgets, the double-entry ledger and the notices to beneficiaries.  docs/payments.md
 * has the states, the ledger's accounts and the exactly-once design.
 *
 * A run's work over its lines (build, approve, export, apply results, cancel) is a durable
 * job: the run row names the job and a cursor, and every batch of lines is written in one
 * transaction together with the cursor.  A process killed at any instruction and started
 * again resumes at the cursor (payments_resume(): `talentport payments resume`, `serve` at
 * start, `payments run` before it starts anything) and ends with exactly the result of an
 * uninterrupted job.
 *
 * Money is integer fen.  Every transition is audited in its transaction.
 */
#ifndef TP_DOMAIN_PAYMENTS_H
#define TP_DOMAIN_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

struct store;
struct arena;
struct actor;
struct verrors;

/* ---- hooks the lead connects at merge ---- */

/* A beneficiary's current bank account: struct pay_account of domain/bank_accounts.h
 * (bank, branch, account_name, account_mask, account_number, hold, account_id). */
struct pay_account;

/*
 * The beneficiary's current account, strings in a.  TP_ERR_NOT_FOUND when there is none
 * (the entitlement then waits with reason "no_bank_account"; hold set: "account_hold").
 * payments_account.c answers with bank_account_current() (domain/bank_accounts.h).
 */
enum tp_rc bank_account_for(struct store *st, const char *beneficiary_kind,
			    int64_t beneficiary_id, struct arena *a, struct pay_account *out);

/* One line's result from the bank (payfile_result_parse of domain/payment_files.h parses
 * the bank's file into these).  Shared with payment_files.h: whichever header comes first
 * defines it. */
#ifndef TP_PAY_RESULT_DEFINED
#define TP_PAY_RESULT_DEFINED
struct pay_result {
	int64_t line_id;
	int paid;
	const char *reason;
	const char *bank_ref;
};
#endif

/* ---- records ---- */

struct payment_run {
	int64_t id;
	const char *period; /* "2026-10" */
	const char *state;  /* building draft submitted announced approved exported reconciled cancelled */
	const char *job;    /* NULL, "build", "approve", "export", "apply", "cancel" */
	const char *cursor_key;
	int64_t cursor_id;
	int announce;
	int64_t lines, total_fen, waiting, waiting_fen, paid, paid_fen, failed, failed_fen;
	int64_t offset_fen; /* of total_fen, held back for clawbacks: the bank gets the rest */
	const char *created_by, *submitted_by, *approved_by, *cancel_reason;
	int64_t created_by_id, submitted_by_id, approved_by_id;
	int64_t version;
	const char *created_at, *updated_at;
};

struct pay_line {
	int64_t id, run_id, entitlement_id, beneficiary_id;
	const char *policy, *beneficiary_kind, *item, *period_key;
	int instalment, budget_year;
	int64_t amount_fen; /* gross: the entitlement's amount */
	int64_t offset_fen; /* of it, held back for the beneficiary's clawbacks (0..amount);
			       the bank is sent amount_fen - offset_fen */
	const char *status; /* pending exported paid failed cancelled */
	const char *bank, *branch, *account_name, *account_mask;
	const char *result, *reason, *bank_ref; /* NULL until the bank answers */
};

/* A confirmed entitlement due for payment (the queue), as a run reads it. */
struct pay_candidate {
	int64_t id, beneficiary_id, amount_fen;
	const char *policy, *beneficiary_kind, *item, *period_key;
	int instalment;
	/* the beneficiary's current bank account (bank_accounts, migration 0015), read with
	 * the queue in the same statement: account_id 0 when there is none */
	int64_t account_id, account_previous_id, account_created_at, account_confirmed_at,
	    account_invalid_at;
	const char *bank, *branch, *account_name, *account_mask;
};

/* Why a due entitlement was left out of a run. */
struct pay_wait {
	int64_t entitlement_id, amount_fen;
	const char *policy;
	int budget_year;
	const char *reason; /* "budget" | "no_bank_account" | "account_hold" */
};

/* One part of a line's offset: clawback_id (a negative adjustment of the same
 * beneficiary, of policy / budget_year) recovers amount_fen out of line line_id.  line_ix
 * is the line's index in the batch being written (build_write sets line_id from it). */
struct pay_offset {
	int64_t line_id, clawback_id, amount_fen;
	const char *policy;
	int budget_year;
	size_t line_ix;
};

/* An open clawback (negative adjustment, pending or confirmed) and what is left of it
 * after the offsets of live lines. */
struct pay_clawback {
	int64_t id, beneficiary_id, remaining_fen;
	const char *beneficiary_kind, *policy;
	int budget_year;
};

/* One posting of a ledger entry: amount_fen moves INTO account (negative: out of it). */
struct ledger_posting {
	const char *account;
	int64_t amount_fen, line_id, entitlement_id;
};

struct notice {
	int64_t id, entitlement_id, amount_fen;
	const char *kind, *policy, *period_key, *text_zh, *text_en, *created_at;
	const char *read_at; /* NULL while unread (migrations/0023; store/notices.h) */
};

/* What `ledger check` found: ok, or the first violation in words and the number of the
 * invariant it breaks (1..6, docs/payments.md "The ledger"; the later ones are not checked). */
struct ledger_report {
	int ok;
	int invariant; /* 0 when ok */
	int64_t entries, postings, sum_fen, approved_fen, paid_fen;
	char violation[256];
};

/* ---- entitlements ---- */

/* Which entitlements GET /api/v1/entitlements lists: status (NULL: any), policy (NULL: any),
 * period_key in [lo, hi] (the keys of a year "2026".."2026-99", or one key), id > after, at
 * most limit, by id. */
struct ent_list_q {
	const char *status, *policy, *lo, *hi;
	int64_t after;
	int limit;
};

/* One entitlement as listed: amount_fen is meaningful for kinds cash and loan only,
 * quantity (-1: none) for the others; adjusts 0 when it is not an adjustment. */
struct ent_listed {
	int64_t id, beneficiary_id, instalment, amount_fen, quantity, adjusts;
	const char *policy, *beneficiary_kind, *item, *period_key, *kind, *status, *note,
	    *created_at;
	const char *beneficiary_name; /* the talent's or enterprise's name; NULL when gone */
	int needs_application;
};

/* Which pending entitlements to confirm: ids (n > 0), else every pending cash one of
 * policy (NULL: any) with period_key == period (NULL: any). */
struct ent_filter {
	const int64_t *ids;
	size_t nids;
	const char *policy, *period;
};

/*
 * Confirms pending cash entitlements (office reviewer): each gets status confirmed and its
 * beneficiary a notice ("you will receive … because …").  *n gets how many moved; listed
 * ids that are not pending are TP_ERR_CONFLICT naming the first (nothing changes).  Audited.
 */
enum tp_rc entitlements_confirm(struct store *st, const struct actor *who,
				const struct ent_filter *f, int64_t *n, int64_t *skipped,
				struct verrors *ve);
/* Confirms the pending entitlements of the policies listed in the setting
 * payments.auto_confirm (comma-separated ids), due by period; audited as who. */
enum tp_rc entitlements_auto_confirm(struct store *st, const struct actor *who,
				     const char *period, int64_t *n);
/* Cancels a pending or confirmed entitlement with a reason (office). CONFLICT otherwise. */
enum tp_rc entitlement_cancel(struct store *st, const struct actor *who, int64_t id,
			      const char *reason, struct verrors *ve);

/* Sets a policy's budget for a year (office). Audited with the old and new amounts. */
enum tp_rc budget_set(struct store *st, const struct actor *who, const char *policy, int year,
		      int64_t amount_fen, struct verrors *ve);

/* ---- payment runs ----
 * Transitions answer TP_ERR_CONFLICT with ve naming the state and the allowed move
 * (code "invalid_transition"), or "job_running" while a job is not finished. */

/* Lines per transaction of a durable job (tests lower it: $TALENTPORT_PAY_BATCH); 20,000:
 * fewer commits rewrite the same index pages less often (docs/performance.md). */
#define PAY_BATCH_DEFAULT 20000

/*
 * Creates a run for period ("YYYY-MM"), resuming any unfinished job first, and builds it:
 * auto-confirms, then takes confirmed unpaid cash entitlements with period_key <= period in
 * the order (period_key, id); a policy-year whose budget cannot take the next line stops
 * there for this run (that line and every later one of the policy-year wait: nobody is
 * overtaken); entitlements without a usable account wait too.  Ends in state draft.
 * *run_id is set as soon as the run exists (also when building fails midway: resume it).
 */
enum tp_rc payment_run_create(struct store *st, const struct actor *who, const char *period,
			      int64_t *run_id, struct verrors *ve);

/* Office: draft → submitted. */
enum tp_rc payment_run_submit(struct store *st, const struct actor *who, int64_t id,
			      struct verrors *ve);
/*
 * Finance: submitted → announced (a policy of the run needs 公示: setting
 * payments.announce) or approved.  Four eyes: the approver is neither the preparer nor the
 * submitter (TP_ERR_CONFLICT with ve "four_eyes").  The approver re-authenticates:
 * password is checked against their account (TP_ERR_INVALID, field "password").  Posts
 * budget → payable for every line (a job).
 */
enum tp_rc payment_run_approve(struct store *st, const struct actor *who, int64_t id,
			       const char *password, struct verrors *ve);
/* Office: announced → approved when the announcement period is over. */
enum tp_rc payment_run_announcement_end(struct store *st, const struct actor *who, int64_t id,
					 struct verrors *ve);
/* Finance: approved → exported (the bank file was produced): payable → bank clearing for
 * every line (a job).  Called again on an exported run: TP_OK, nothing changes. */
enum tp_rc payment_run_mark_exported(struct store *st, const struct actor *who, int64_t id,
				     struct verrors *ve);
/*
 * Finance: records the bank's results[0..n) of an exported run and applies them (a job):
 * paid lines post clearing → paid and the entitlement becomes paid; failed lines post the
 * reversal (clearing → payable → budget), the entitlement returns to the queue with the
 * bank's reason and the beneficiary gets a notice.  A line that already has the same
 * result is skipped (a replay); another result for it, or a line id not of this run, is
 * TP_ERR_INVALID with ve naming the index (nothing recorded).  When every line has a
 * result the run is reconciled.  *unmatched (may be NULL) gets how many were skipped.
 */
enum tp_rc payment_run_apply_results(struct store *st, const struct actor *who, int64_t run_id,
				     const struct pay_result *results, size_t n,
				     int64_t *replayed, struct verrors *ve);
/* Office: draft or submitted → cancelled: the lines are released (a job). */
enum tp_rc payment_run_cancel(struct store *st, const struct actor *who, int64_t id,
			      const char *reason, struct verrors *ve);

/* Finishes every unfinished job (all runs); *resumed gets how many runs had one. */
enum tp_rc payments_resume(struct store *st, int *resumed);
/* Runs the job of run id (if any) to its end. */
enum tp_rc payment_job_run(struct store *st, int64_t id);
/* Lines per batch: $TALENTPORT_PAY_BATCH (1..100000) or PAY_BATCH_DEFAULT. */
int payment_batch_size(void);
/* "2026-11-27T02:21:15Z" of tp_now(). */
void pay_now(char out[24]);

enum tp_rc payment_run_get(struct store *st, int64_t id, struct arena *a,
			   struct payment_run *out);
enum tp_rc payment_run_list(struct store *st, struct arena *a, struct payment_run **out,
			    size_t *n);
/* Lines of a run with id > after_id, by id, at most limit. */
enum tp_rc payment_run_lines(struct store *st, int64_t run_id, int64_t after_id, int limit,
			     struct arena *a, struct pay_line **out, size_t *n);

/* The offset parts (which clawback, how much) of the run's lines first_line..last_line,
 * by (line, clawback). */
enum tp_rc payment_run_offsets(struct store *st, int64_t run_id, int64_t first_line,
			       int64_t last_line, struct arena *a, struct pay_offset **out,
			       size_t *n);

/* ---- the ledger ---- */

/* Checks the invariants (docs/payments.md); TP_OK with rep->ok 0 and the violation named
 * when one fails. */
enum tp_rc ledger_check(struct store *st, struct ledger_report *rep);

#endif
