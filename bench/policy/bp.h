/*
 * bp.h — the policy benchmark (bench/policy/): synthetic talents and enterprises
 * held in columns (gen.c), facts filled from them row by row without allocation
 * (fill.c), the same twelve rules written by hand over the columns (hand.c).
 * Not a test: bench/policy/run.sh runs it; docs/performance.md records it.
 */
#ifndef TP_BENCH_POLICY_H
#define TP_BENCH_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy/policy.h"

#define BP_NODATE INT32_MIN /* a missing date */
#define BP_INS_Y0 2023      /* insured months are generated for 2023..2026 */
#define BP_INS_NY 4
#define BP_DAYS_Y0 2025     /* days in Jinjiang for 2025..2026 */
#define BP_DAYS_NY 2
#define BP_INS_PRESENT 0x8000 /* in an insured-months mask: the year's list is given */
#define BP_MAX_CHILDREN 3
#define BP_MAX_APPRENTICES 40

/* Talents, one array per fact; a missing value is BP_NODATE (dates), -1 (flags, days,
 * area, degree) or 0 (levels and categories, which start at 1). */
struct bp_talents {
	size_t n;
	int32_t *birth, *grad;
	int8_t *degree, *dfc;          /* degree 0..4 = none..phd */
	int8_t *tier;                  /* 0: no tier record */
	int32_t *tier_from, *tier_to;  /* to: BP_NODATE = open-ended */
	int8_t *si_cat;                /* 0: no self-identification record */
	int32_t *si_from, *si_to, *si_ent;
	int8_t *qz_level, *pv_level;
	int32_t *qz_on, *pv_on;
	int8_t *short_term;
	int32_t *days[BP_DAYS_NY];     /* days in Jinjiang by year, -1 missing */
	uint16_t *ins[BP_INS_NY];      /* bit m-1: month m insured; BP_INS_PRESENT: list given */
	int8_t *has_hp;
	int32_t *hp_date, *hp_area;    /* area in hundredths of m² */
	int8_t *hp_in, *hp_first;
	int8_t *has_su, *su_in;
	int32_t *su_on;
	uint32_t *child_off;           /* n + 1 offsets into child_birth */
	int32_t *child_birth;
};

struct bp_enterprises {
	size_t n;
	uint32_t *app_off;             /* n + 1 offsets */
	int8_t *app_level;             /* 0 intermediate, 1 advanced, -1 missing */
	int32_t *app_enrolled, *app_completed;
};

void bp_generate(uint64_t seed, size_t ntalents, size_t nenterprises, struct bp_talents *t,
		 struct bp_enterprises *e);
void bp_free(struct bp_talents *t, struct bp_enterprises *e);
/* One facts document (default-pack.md) per line: talents [0, n) then every enterprise. */
int bp_write_jsonl(FILE *out, const struct bp_talents *t, size_t n, const struct bp_enterprises *e);
/* The facts document of talent i as JSON text into buf (for the explanation timing). */
int bp_talent_json(const struct bp_talents *t, size_t i, char *buf, size_t len);

/* Per-policy totals, in pack order (the order of policies/jinjiang/pack.yaml). */
#define BP_NPOL 12
struct bp_totals {
	int64_t granted[BP_NPOL], excluded[BP_NPOL], amount[BP_NPOL];
};
void bp_totals_add(struct bp_totals *a, const struct bp_totals *b);
/* Prints differences to stderr with a label; returns the number of differing cells. */
int bp_totals_diff(const char *what, const struct bp_totals *a, const struct bp_totals *b);

/* A facts record filled from the columns, with room for one row (fill.c). */
struct bp_filler;
struct bp_filler *bp_filler_new(const struct pol_pack *pk);
void bp_filler_free(struct bp_filler *fl);
const struct pol_facts *bp_fill_talent(struct bp_filler *fl, const struct bp_talents *t, size_t i);
const struct pol_facts *bp_fill_enterprise(struct bp_filler *fl, const struct bp_enterprises *e, size_t i);

/* The hand-written floor: the twelve rules of default-pack.md straight over the columns. */
void bp_hand_talents(const struct bp_talents *t, size_t from, size_t to, int year, struct bp_totals *out);
void bp_hand_enterprises(const struct bp_enterprises *e, size_t from, size_t to, int year,
			 struct bp_totals *out);

extern const char *const bp_policy_ids[BP_NPOL];

#endif
