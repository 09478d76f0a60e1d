/*
 * eval_int.h — the entitlements of one beneficiary for one period (eval.c),
 * handed one by one to a writer (the eval JSON, the explain text: explain.c).
 */
#ifndef TP_POL_EVAL_INT_H
#define TP_POL_EVAL_INT_H

#include "policy/pol_int.h"

enum ent_status { ST_GRANTED, ST_EXCLUDED, ST_INELIGIBLE };

#define POL_MAX_CONDS 16

struct expl_cond {
	const char *expr;
	int result; /* 1 true, 0 false, -1 missing (counts as false) */
	struct pol_trace tr;
};

/* What an explanation holds; filled only when explaining. */
struct expl {
	int nconds;
	struct expl_cond conds[POL_MAX_CONDS];
	struct pol_trace lets_tr;
	struct pval let_vals[32];
	struct pol_trace amount_tr;
	struct pval amount;
	const char *no_param; /* a parameter with no value in force, or NULL */
	int has_inst_cond;
	struct expl_cond inst_cond;
	struct pval inst_amount;
	const char *inst_amount_expr;
	int vers[32];
};

struct group_view {
	int id;
	const struct ppolicy *winner;
	int n;
	const struct ppolicy *cand[16];
	int64_t total[16];
};

struct ent {
	const struct ppolicy *pol;
	const char *beneficiary, *item;
	int year, month, instalment;
	int64_t amount;
	enum ent_status status;
	const struct ppolicy *excluded_by;
	const char *failed;          /* the first failing condition, or NULL */
	const struct expl *x;        /* NULL unless explaining */
	const struct group_view *g;  /* NULL unless the policy is in a group */
};

typedef int (*ent_fn)(void *arg, const struct ent *e);

/* Calls fn for each entitlement in output order (pack order, item, instalment, period key);
 * all: include ineligible ones; explain: fill e->x.  Returns 0, or fn's first nonzero. */
int pol_enumerate(const struct pol_pack *pk, const struct pol_facts *f, int year, int all,
		  int explain, ent_fn fn, void *arg);

#endif
