/*
 * fast_code.c — the code fast.c runs for a pack's compiled expression: a copy without
 * the OP_READ instructions (they only record reads for explanations), with parts that
 * are the same in every round of a loop (or every month of a month policy) computed
 * once before it, rewritten with superinstructions (fast_peep.c).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/fast_int.h"

static int reads_period(const struct code *c) /* period.year/month/start/end */
{
	for (int i = 0; i < c->n; i++)
		if (c->ins[i].op == OP_CTX && (c->ins[i].a == CTX_YEAR || c->ins[i].a == CTX_MONTH ||
					       c->ins[i].a == CTX_START || c->ins[i].a == CTX_END))
			return 1;
	return 0;
}

/* ---- bytecode without OP_READ ---- */

/* A copy of c without OP_READ (a no-op unless explaining), jumps and loop bodies
 * re-measured; a code that did not compile stays empty (the VM gives missing). */
static int strip(struct code *out, const struct code *c)
{
	int *map, k = 0;
	struct insn *ins;

	*out = *c;
	out->ins = NULL;
	out->n = 0;
	if (!c->ok)
		return 0;
	map = malloc(sizeof(int) * ((size_t)c->n + 1));
	ins = malloc(sizeof(struct insn) * ((size_t)c->n + 1));
	if (!map || !ins) {
		free(map);
		free(ins);
		return -1;
	}
	for (int i = 0; i < c->n; i++) {
		map[i] = k;
		k += c->ins[i].op != OP_READ;
	}
	map[c->n] = k;
	for (int i = 0; i < c->n; i++) {
		struct insn in = c->ins[i];
		int end = i + 1 + (in.op == OP_LOOP ? in.b : in.a);
		if (in.op == OP_READ)
			continue;
		if ((in.op == OP_JF || in.op == OP_JMP || in.op == OP_LOOP) && (end < i + 1 || end > c->n)) {
			free(map); /* not what compile.c makes: keep the code as it is */
			memcpy(ins, c->ins, sizeof(struct insn) * (size_t)c->n);
			out->ins = ins;
			out->n = c->n;
			return 0;
		}
		if (in.op == OP_JF || in.op == OP_JMP)
			in.a = map[end] - map[i] - 1;
		else if (in.op == OP_LOOP)
			in.b = map[end] - map[i] - 1;
		ins[map[i]] = in;
	}
	free(map);
	out->ins = ins;
	out->n = k;
	return 0;
}

/* ---- loop-invariant parts of count/sum/any/all bodies ---- */

/*
 * In `count(1..12, m -> m in person.insured_months[period.year] and overlaps_month(
 * person.tier.from, person.tier.to, period.year, m))` the body reads the same three facts in
 * every round.  The bytecode is read back into its tree (each operation takes a known
 * number of operands); inside a loop body, every largest subtree that reads no loop
 * variable, holds no loop and has more than one operation is computed once before the
 * expression, into a spare let slot, and the body reads the slot (OP_LET).  Expressions
 * have no side effects and these parts depend on nothing a round changes, so the values
 * are the ones each round would have computed.  Code with jumps (if … then … else) is
 * left as it is.
 */
#define MAX_NODES 512

struct tn {             /* a node of the tree: the operation at `at`, its operands before it */
	int start, at;      /* its instructions are [start, at] (a loop's body follows at) */
	int nkids, kids[4];
	int body;           /* a loop: the root of its body, else -1 */
	int local, loop;    /* it reads a loop variable / holds a loop */
};

struct tb {
	const struct code *c;
	struct tn n[MAX_NODES];
	int nn;
	int hoist[32][2];   /* instruction ranges to compute before */
	int nh, max_h;
	int month;          /* hoisting out of a month policy's twelve judgements (month_hoist()) */
};

/* in a month policy's condition or amount, what may differ from month to month: the
 * month and its bounds, parameters (their versions follow the period), `let` names
 * (computed per period), total and due_year */
static int varies_by_month(const struct insn *in)
{
	return (in->op == OP_CTX && in->a != CTX_YEAR && in->a != CTX_ITEM) || in->op == OP_PARAM ||
	       in->op == OP_PINDEX || in->op == OP_LET;
}

static int arity(const struct insn *in)
{
	switch ((enum op)in->op) {
	case OP_CONST: case OP_ROOT: case OP_LOCAL: case OP_LET: case OP_CTX: case OP_PARAM:
		return 0;
	case OP_FIELD: case OP_PINDEX: case OP_NOT: case OP_NEG: case OP_TODEC: case OP_COUNT:
	case OP_PRESENT: case OP_YEAR_OF: case OP_MONTH_OF: case OP_LOOP: case OP_READ:
		return 1;
	case OP_FLOOR: case OP_ROUND: case OP_CEIL:
		return in->a == 0 ? 1 : 2;
	case OP_INDEX: case OP_AND: case OP_OR: case OP_ADD: case OP_SUB: case OP_MUL: case OP_EQ:
	case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_MIN: case OP_MAX:
	case OP_INLIST: case OP_MKRANGE: case OP_AGE_ON: case OP_ADD_YEARS:
		return 2;
	case OP_INRANGE: case OP_DATE: case OP_VALID_ON: case OP_OVERLAPS_YEAR:
		return 3;
	case OP_OVERLAPS_MONTH:
		return 4;
	default: /* OP_JF, OP_JMP, OP_DIV, OP_MKLIST */
		return -1;
	}
}

/* builds the tree of instructions [from, to); returns its root node, -1 when it cannot */
static int tree(struct tb *b, int from, int to)
{
	int stack[POL_MAX_STACK + 8], sp = 0;

	for (int i = from; i < to; i++) {
		const struct insn *in = &b->c->ins[i];
		int ar = arity(in);
		if (ar < 0 || sp < ar || b->nn == MAX_NODES || sp >= POL_MAX_STACK + 4)
			return -1;
		struct tn *n = &b->n[b->nn];
		memset(n, 0, sizeof(*n));
		n->at = i;
		n->start = i;
		n->body = -1;
		n->nkids = ar;
		n->local = in->op == OP_LOCAL || (b->month && varies_by_month(in));
		for (int k = 0; k < ar; k++) {
			n->kids[k] = stack[sp - ar + k];
			n->local |= b->n[n->kids[k]].local;
			n->loop |= b->n[n->kids[k]].loop;
		}
		if (ar)
			n->start = b->n[n->kids[0]].start;
		sp -= ar;
		int id = b->nn++;
		if (in->op == OP_LOOP) {
			int end = i + 1 + in->b;
			if (in->b < 0 || end > to)
				return -1;
			int body = tree(b, i + 1, end);
			if (body < 0)
				return -1;
			b->n[id].body = body;
			b->n[id].loop = 1;
			b->n[id].local |= b->n[body].local;
			i = end - 1;
		}
		stack[sp++] = id;
	}
	return sp == 1 ? stack[0] : -1;
}

/* marks the largest invariant subtrees of node id for hoisting; inside is whether id is
 * within a loop body */
static void mark(struct tb *b, int id, int inside)
{
	const struct tn *n = &b->n[id];

	if (inside && !n->local && !n->loop && n->at > n->start) {
		if (b->nh < b->max_h) {
			b->hoist[b->nh][0] = n->start;
			b->hoist[b->nh][1] = n->at;
			b->nh++;
		}
		return;
	}
	for (int k = 0; k < n->nkids; k++)
		mark(b, n->kids[k], inside);
	if (n->body >= 0)
		mark(b, n->body, 1);
}

static int cmp_range(const void *a, const void *b)
{
	return ((const int *)a)[0] - ((const int *)b)[0];
}

/* x->main (stripped) with its loop-invariant parts moved to x->temps; slot0 is the first
 * spare let slot, at most max of them.  With month, the parts that are the same in every
 * month of a month policy, wherever they are (not only in loop bodies) */
int fast_xcode_hoist(struct xcode *x, int slot0, int max, int month)
{
	struct tb *b;
	const struct code *c = &x->main;
	int *newpos;

	x->ntemps = 0;
	x->slot0 = slot0;
	if (!c->ok || max <= 0)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -1;
	b->c = c;
	b->max_h = max < 32 ? max : 32;
	b->month = month;
	int root = tree(b, 0, c->n);
	if (root >= 0)
		mark(b, root, month);
	if (root < 0 || b->nh == 0) {
		free(b);
		return 0;
	}
	qsort(b->hoist, (size_t)b->nh, sizeof(b->hoist[0]), cmp_range);
	x->temps = calloc((size_t)b->nh, sizeof(struct code));
	newpos = malloc(sizeof(int) * ((size_t)c->n + 1));
	struct insn *ins = malloc(sizeof(struct insn) * ((size_t)c->n + 1));
	if (!x->temps || !newpos || !ins) {
		free(x->temps);
		x->temps = NULL;
		free(newpos);
		free(ins);
		free(b);
		return -1;
	}
	for (int h = 0; h < b->nh; h++) { /* the parts, as codes of their own */
		struct code *t = &x->temps[h];
		int n = b->hoist[h][1] - b->hoist[h][0] + 1;
		*t = *c;
		t->ins = malloc(sizeof(struct insn) * (size_t)n);
		if (!t->ins) {
			x->ntemps = h;
			free(newpos);
			free(ins);
			free(b);
			return -1;
		}
		memcpy(t->ins, c->ins + b->hoist[h][0], sizeof(struct insn) * (size_t)n);
		t->n = n;
	}
	x->ntemps = b->nh;
	int k = 0, h = 0;
	for (int i = 0; i < c->n; i++) { /* the rest, each part replaced by OP_LET */
		newpos[i] = k;
		if (h < b->nh && i == b->hoist[h][0]) {
			for (int j = i; j <= b->hoist[h][1]; j++)
				newpos[j] = k;
			ins[k] = (struct insn){OP_LET, 0, slot0 + h, 0};
			k++;
			i = b->hoist[h][1];
			h++;
			continue;
		}
		ins[k++] = c->ins[i];
	}
	newpos[c->n] = k;
	for (int i = 0; i < c->n; i++) /* loop bodies got shorter */
		if (c->ins[i].op == OP_LOOP && (h = newpos[i], ins[h].op == OP_LOOP))
			ins[h].b = newpos[i + 1 + c->ins[i].b] - h - 1;
	free(x->main.ins);
	x->main.ins = ins;
	x->main.n = k;
	free(newpos);
	free(b);
	return 0;
}

/* the code fast.c runs for c, first step: stripped */
int fast_xcode_strip(struct xcode *x, const struct code *c)
{
	memset(x, 0, sizeof(*x));
	x->uses_period = reads_period(c);
	return strip(&x->main, c);
}

/* … then its loop-invariant parts hoisted (into lets from slot0), superinstructions, and
 * the parts put in front of it */
int fast_xcode_finish(struct xcode *x, int slot0)
{
	if (fast_xcode_hoist(x, slot0, 32 - slot0, 0))
		return -1;
	for (int k = 0; k < x->ntemps; k++)
		if (pol_fast_peephole(&x->temps[k]))
			return -1;
	if (pol_fast_peephole(&x->main) || fast_month_sets(x, 32 - slot0) ||
	    pol_fast_join(&x->main, x->temps, x->ntemps, x->slot0))
		return -1;
	pol_fast_tight(&x->main);
	pol_fast_straight(&x->main);
	free(x->temps); /* now in main */
	x->temps = NULL;
	x->ntemps = 0;
	return 0;
}

/* ---- overlaps_month in loop bodies: a month set made once ---- */

int fast_month_sets(struct xcode *x, int max)
{
	struct code *c = &x->main;
	int done[32][2]; /* (from:to leaves, y leaf) of the sets made, by temp - k0 */
	const int k0 = x->ntemps; /* the temps before are the hoisted parts */

	if (!c->ok)
		return 0;
	for (int i = 0; i < c->n; i++) {
		const struct insn *lp = &c->ins[i];
		if (lp->op != OP_LOOP || lp->b < 1 || i + 1 + lp->b > c->n)
			continue;
		for (int j = i + 1; j < i + 1 + lp->b; j++) {
			struct insn *in = &c->ins[j];
			if (in->op != OP_OVERLAPS_MONTH4L && in->op != OP_OVERLAPS_MONTH4L_AND)
				continue;
			uint32_t w = (uint32_t)in->a, v = (uint32_t)in->b;
			if (((w >> 13) & 7) == PL_LOCAL || ((w >> 29) & 7) == PL_LOCAL || ((v >> 13) & 7) == PL_LOCAL)
				continue; /* from, to, y: the same in every round, only if no loop variable */
			int k = k0, slot;
			while (k < x->ntemps && !(done[k - k0][0] == (int)w && done[k - k0][1] == (int)(v & 0xffff)))
				k++;
			if (k == x->ntemps) { /* a new part: LEAVES3 from to y; MONTHSET */
				if (x->ntemps >= max || k - k0 >= 32 || x->slot0 + x->ntemps >= 32)
					continue;
				struct code *t = realloc(x->temps, sizeof(struct code) * (size_t)(x->ntemps + 1));
				struct insn *ins = malloc(sizeof(struct insn) * 2);
				if (t)
					x->temps = t;
				if (!t || !ins) {
					free(ins);
					return -1;
				}
				ins[0] = (struct insn){OP_LEAVES3, 0, (int32_t)w, (int32_t)(v & 0xffff)};
				ins[1] = (struct insn){OP_MONTHSET, 0, 0, 0};
				t[k] = *c;
				t[k].ins = ins;
				t[k].n = 2;
				done[k - k0][0] = (int)w;
				done[k - k0][1] = (int)(v & 0xffff);
				x->ntemps++;
			}
			slot = x->slot0 + k;
			in->op = in->op == OP_OVERLAPS_MONTH4L ? OP_INMSET2L : OP_INMSET2L_AND;
			in->a = (int32_t)((v >> 16) | (uint32_t)(PL_LET << 13 | slot) << 16); /* m, the set */
			in->b = 0;
		}
	}
	return 0;
}

int fast_xcode_make(struct xcode *x, const struct code *c, int slot0)
{
	return fast_xcode_strip(x, c) || fast_xcode_finish(x, slot0) ? -1 : 0;
}

void fast_xcode_free(struct xcode *x)
{
	for (int k = 0; k < x->ntemps; k++)
		free(x->temps[k].ins);
	free(x->temps);
	free(x->main.ins);
}
