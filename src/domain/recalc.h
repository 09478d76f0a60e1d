/*
 * recalc.h — retroactive changes (issue 6, item 6): `talentport payments recalc --period Y`
 * and POST /api/v1/recalculations.  docs/payments.md, "Retroactive changes";
 * migrations/0017_adjustments.sql says what an adjustment row holds.
 *
 * A recalculation evaluates year Y over the whole population with the current pack and
 * facts (policy_run()'s evaluation, without writing a policy run), and for every confirmed
 * or paid cash entitlement of the period (keys "Y" and "Y-MM", not itself an adjustment)
 * compares the new amount of its key (0 when the key is no longer granted) with the amount
 * owed so far (its amount plus its adjustments not cancelled).  Each difference becomes one
 * pending adjustment entitlement (new - old: arrears > 0, clawback < 0) with old and new
 * amounts and both explanation hashes; all of them and the audit record
 * ("payments.recalc") in ONE transaction.  Idempotent: a second run with the same pack and
 * facts writes nothing (and no audit record).  Keys never confirmed are not compared: a
 * `policy run` of the period replaces pending rows as before (and leaves adjustments alone).
 * A run where the pack refused some talent's stored facts is refused (TP_ERR_INVALID):
 * their rows would read as "no longer granted" and be clawed back wrongly.
 */
#ifndef TP_DOMAIN_RECALC_H
#define TP_DOMAIN_RECALC_H

#include <stdint.h>

#include "core/rc.h"

struct store;
struct actor;

/* What a recalculation found and wrote. */
struct recalc_counts {
	int64_t compared;     /* confirmed / paid entitlements of the period compared */
	int64_t adjustments;  /* rows written */
	int64_t arrears, arrears_fen;    /* positive adjustments, their sum */
	int64_t clawbacks, clawback_fen; /* negative adjustments, their sum (<= 0) */
	int64_t first_id, last_id;       /* ids of the rows written (0 when none) */
};

struct recalc_result {
	struct recalc_counts c;
	char pack_id[64];
	char pack_hash[65];
	char err[512];
};

/*
 * Recalculates year (1..9999) with the pack in pack_dir, as `who` (audited).  TP_OK with
 * out filled; else out->err says why and nothing was written.
 */
enum tp_rc payments_recalc(struct store *st, const struct actor *who, const char *pack_dir,
                           int year, int threads, struct recalc_result *out);

/* One adjustment row (migrations/0017). */
struct adjustment {
	int64_t id, adjusts, adjustment;
	const char *policy, *beneficiary_kind, *item, *period_key;
	int64_t beneficiary_id, instalment;
	int64_t amount_fen, old_fen, new_fen; /* amount = new - old */
	const char *old_hash, *new_hash;      /* explanation hashes ("" new: no longer granted) */
	const char *status, *note, *created_at;
	/* a clawback: what the live lines (pending, exported, paid) offset of it so far; the
	 * rest (-amount - offset) is outstanding.  0 for arrears. */
	int64_t offset_fen;
};

struct arena;
/* The adjustments of year period ("2026"; NULL: all), oldest first (at most 10,000). */
enum tp_rc payments_adjustments(struct store *st, const char *period, struct arena *a,
                                struct adjustment **out, size_t *n);

struct verrors;
/*
 * Staff decide on an open clawback (an adjustment with a negative amount, pending or
 * confirmed): decision "waive" (status waived) or "collect_separately" (status
 * collect_separately: collected outside the platform), with reason (1..500 bytes) in
 * pay_note; audited ("entitlement.waive").  Either way a later recalculation counts the
 * adjustment as settled and does not write it again.  TP_ERR_INVALID (ve: reason,
 * decision), TP_ERR_NOT_FOUND, TP_ERR_CONFLICT (not an open clawback; ve says so).
 */
enum tp_rc payments_clawback_decide(struct store *st, const struct actor *who, int64_t id,
                                    const char *decision, const char *reason,
                                    struct verrors *ve);

#endif
