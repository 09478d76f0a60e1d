/*
 * fast_int.h — what fast.c (counting without explanations) shares with fast_code.c, which
 * makes the code it runs from a pack's compiled expressions.
 */
#ifndef TP_FAST_INT_H
#define TP_FAST_INT_H

#include "policy/pol_int.h"

struct xcode { /* an expression as fast.c runs it */
	struct code main;     /* without OP_READ; loop-invariant parts replaced by OP_LET slot0 + k */
	int ntemps, slot0;
	struct code *temps;   /* the replaced parts, computed into lets[slot0 + k] before main */
	int uses_period;      /* reads period.year/month/start/end */
};

/* The code fast.c runs for c, in two steps: stripped of OP_READ (a copy; 0 or -1 when out
 * of memory) … */
int fast_xcode_strip(struct xcode *x, const struct code *c);
/* … then its loop-invariant parts hoisted into lets from slot0, superinstructions
 * (fast_peep.c), and those parts put in front of it (0 or -1). */
int fast_xcode_finish(struct xcode *x, int slot0);
/* Both steps. */
int fast_xcode_make(struct xcode *x, const struct code *c, int slot0);
void fast_xcode_free(struct xcode *x);
/* x->main's invariant parts moved to x->temps (computed into lets[slot0 + k], at most max):
 * inside loop bodies, or with month anywhere that reads nothing a month policy's twelve
 * judgements change.  0, or -1 when out of memory. */
int fast_xcode_hoist(struct xcode *x, int slot0, int max, int month);

/* In x->main's loop bodies, overlaps_month(from, to, y, m) whose from, to and y are the same
 * in every round (leaves other than loop variables) becomes a test of m in the months of y
 * that overlap (OP_MONTHSET, computed once into a spare let, appended to x->temps; at most
 * max of them in all).  0, or -1 when out of memory. */
int fast_month_sets(struct xcode *x, int max);

#endif
