/*
 * demo.h — a deterministic demo data set: enterprises, talents, their educations,
 * yearly facts, children and employment histories, in the style of Jinjiang.
 *
 * Everything is drawn from a PRNG of our own (xoshiro256**, seeded through
 * splitmix64), so the same seed, sizes and year give the same rows (apart
 * from the created_at/updated_at timestamps the store stamps).  Rows go in
 * through the store interface only.
 */
#ifndef TP_DOMAIN_DEMO_H
#define TP_DOMAIN_DEMO_H

#include <stdint.h>

#include "core/rc.h"

struct store;

#define DEMO_TALENTS_MAX 10000000L
#define DEMO_ENTERPRISES_MAX 1000000L
#define DEMO_YEAR_MIN 2000
#define DEMO_YEAR_MAX 2100

struct demo_opts {
	uint64_t seed;
	long talents;     /* 0..DEMO_TALENTS_MAX */
	long enterprises; /* 0 = demo_default_enterprises(talents) */
	int year;         /* the "current" year for facts, e.g. 2026 */
};

/* Progress report: phase is "enterprises" or "talents"; done counts up to total.
 * Called every few thousand rows and once at the end of each phase. */
typedef void (*demo_progress)(void *ctx, const char *phase, long done, long total);

/*
 * Returns the number of enterprises generated for `talents` talents when the
 * caller does not choose: 500, or talents / 20 when talents > 10,000, at most
 * 20,000.  Pure.
 */
long demo_default_enterprises(long talents);

/*
 * Fills an empty, migrated store with a deterministic data set: same seed and
 * sizes → identical rows.  Enterprises go in first, then talents with their
 * employments, in a few transactions (a commit every 50,000 talents), with
 * memory kept flat so that 1,000,000 talents fit.  cb may be NULL.
 * Returns TP_OK; TP_ERR_INVALID when o is NULL or a size or the year is out of
 * range; TP_ERR_NOMEM; or the store's error (e.g. TP_ERR_CONFLICT when the
 * store already holds one of the generated ID numbers or credit codes), after
 * rolling back the open transaction (earlier batches stay committed).
 */
enum tp_rc demo_generate(struct store *st, const struct demo_opts *o, demo_progress cb,
			 void *ctx);

/*
 * A few identification applications of talents of `town` (the demo town reviewer's), one
 * in each state of the workflow (submitted three weeks before now, one step a day, the
 * certified one closed at now), so every role finds work when it logs in.  Needs the
 * workflows loaded (domain/workflow.h); does nothing otherwise.  Run as the operator.
 */
enum tp_rc demo_applications(struct store *st, const char *town, int64_t now);

#endif
