/*
 * policy_run.h — whole-population evaluation (issue 4, item 4): `talentport policy run`.
 *
 * A run loads the facts of every talent and enterprise from the store into columns once
 * (struct pol_talent_cols: one snapshot, no per-talent JSON), evaluates the pack over
 * them on all cores (one contiguous slice of talents per thread, each with its own
 * output), merges the outputs in talent-id order, then enterprises in id order, and
 * writes them in ONE transaction with the run's row and its audit record ("policy.run").
 *
 * What is written (migrations/0008_entitlements.sql):
 *   - every granted entitlement as status 'pending' (the payments issue moves it on) and
 *     every excluded one as 'excluded' with excluded_by; ineligible ones are not stored;
 *   - explanation_hash: hex BLAKE2b-256 of the entitlement's "explanation" exactly as
 *     `talentport policy eval --facts <the talent's facts> --period Y` prints it; the
 *     explanation itself is not stored (recompute it from the facts and the pack);
 *   - a re-run of a period deletes that period's 'pending' and 'excluded' rows and
 *     inserts the new ones; a row whose status has moved on is never touched, and the new
 *     row with its key is not written (counted as kept).  "The period's rows" are those
 *     whose period_key is "Y" or "Y-MM": the year and month policies of Y and the once
 *     policies (instalments) due in Y.
 * The same database and pack give byte-identical rows (all columns but id, run_id and
 * created_at), whatever the number of threads.
 *
 * Registry → facts: exactly the facts document src/domain/policy_facts.c makes of a
 * stored talent (policy_facts.h says what each member is and when it is absent; children
 * are items "c1", "c2", … in stored order), filled from columns instead of JSON by
 * src/policy/columns.c — tests/unit/test_policy_run.c checks the two agree.  Person
 * policies are evaluated per talent (person + employer {id}); enterprise policies once per
 * enterprise ({id, apprentices}: policy_facts_from_enterprise(), the register of
 * migrations/0021, an apprentice's id its item), never per employee.
 * A talent whose stored facts the pack refuses (a bad fact, as `policy eval` exits 2 for)
 * is skipped and counted; the first few are named in the result.
 */
#ifndef TP_DOMAIN_POLICY_RUN_H
#define TP_DOMAIN_POLICY_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

struct store;

/* One row of policy_runs. */
struct policy_run {
	int64_t id;
	int period; /* the year */
	const char *pack_id;
	char pack_hash[65]; /* hex BLAKE2b-256 of the pack files, by name */
	char started_at[32], finished_at[32];
	int64_t talents, enterprises; /* evaluated */
	int64_t skipped;              /* talents with bad facts */
	int64_t entitlements;         /* rows written: pending + excluded */
	int64_t pending, excluded;
	int64_t kept;       /* rows not written: their key had moved on */
	int64_t total_fen;  /* sum of the pending cash rows written */
	const char *status; /* "done" | "failed" */
};

/* One entitlement a run computed, as the store writes it. */
struct entitlement_row {
	int64_t beneficiary_id;
	int64_t amount;     /* fen when money (cash, loan), else a quantity */
	const char *policy; /* strings owned by the pack (or static) */
	const char *kind;
	const char *excluded_by; /* NULL unless excluded */
	uint16_t year;
	uint8_t month, instalment; /* month 0: period key "Y", else "Y-MM" */
	uint8_t enterprise, excluded, money;
	uint8_t apply; /* the policy's channel is apply: needs an approved application (0018) */
	char item[16]; /* "" when none */
	unsigned char expl_hash[32];
};

/* Progress of a run: phase "load", "evaluate", "write"; called from the calling thread. */
typedef void (*policy_run_progress)(void *ctx, const char *phase, long done, long total);

struct policy_run_opts {
	const char *pack_dir;
	int year;                     /* 1..9999 */
	int threads;                  /* 0: one per online CPU */
	policy_run_progress progress; /* may be NULL */
	void *progress_ctx;
	/* NULL: write the run (above).  Otherwise called with the evaluated rows instead of
	 * writing anything (no policy_runs row, not even a failed one; r has the pack and the
	 * counts of the evaluation): the recalculation of src/domain/recalc.h. */
	enum tp_rc (*write)(struct store *st, struct policy_run *r,
	                    const struct entitlement_row *rows, size_t n, void *ctx);
	void *write_ctx;
};

#define POLICY_RUN_MAX_THREADS 256
#define POLICY_RUN_BAD_SHOWN 10

/* What a run did, for the caller to report. */
struct policy_run_result {
	struct policy_run run; /* run.pack_id points at pack_id below */
	char pack_id[64];
	int threads;
	double seconds; /* in all; and by phase: */
	double load_s, eval_s, write_s;
	int nbad;                            /* messages below (up to BAD_SHOWN) */
	char bad[POLICY_RUN_BAD_SHOWN][192]; /* "talent 12: person.tier.level: …" */
	char err[512];                       /* why it failed */
};

/*
 * Runs the pack in o->pack_dir over the whole population for o->year and writes the
 * result (see above).  TP_OK with out filled; otherwise out->err says why (a pack with
 * errors: TP_ERR_INVALID and every message, one per line), nothing was replaced, and a
 * run that got as far as the store is recorded as 'failed' with its audit record.
 */
enum tp_rc policy_run(struct store *st, const struct policy_run_opts *o,
                      struct policy_run_result *out);

#endif
