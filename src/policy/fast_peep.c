/*
 * fast_peep.c — superinstructions for the code fast.c runs (pol_fast_peephole()).
 *
 * The VM spends most of its time dispatching: an indirect jump per instruction,
 * often mispredicted.  Reading a fact is ROOT + FIELD + FIELD, a comparison with a
 * constant CONST + GE, arguments are runs of leaf loads.  This pass rewrites such
 * runs of a compiled expression into one instruction each, for any pack:
 *   OP_PATHn    a leaf (CONST, ROOT, LET, LOCAL, CTX) and n = 1..3 FIELDs after it;
 *   OP_LEAVESn  n = 2..4 leaves in a row, pushed by one instruction; with the operation
 *               after them when it takes exactly those: OP_INLIST2L, OP_OVERLAPS_MONTH4L
 *               (and an AND after it: OP_OVERLAPS_MONTH4L_AND);
 *   OP_CMPK     CONST k followed by EQ/NE/LT/LE/GT/GE: the top compared with k;
 *   OP_INRANGEK CONST lo, CONST hi, INRANGE: the top in lo..hi.
 * After the hoisting and joining (fast_code.c, pol_fast_join()), pol_fast_tight() marks loops:
 *   OP_LOOPT    a loop whose body is one instruction that pushes a value from leaves and up
 *               to three that change it in place (CMPK, INRANGEK, NOT, the _AND forms): run
 *               by a C loop in vm.c without the VM's stack or dispatch per round;
 *   OP_LOOPM    such a loop over a range within 0..62 whose body only tests the loop
 *               variable against sets no round changes (`m in <list>` made a bit set by
 *               OP_TOMASK, overlaps_month(from, to, y, m) made a month set by OP_MONTHSET,
 *               fast_month_sets()), joined by `and`, `not`: every round at once, one bit
 *               per round, and the result from the bits (a count is a popcount).
 * Each does exactly what the instructions it replaces did (vm.c), so results are the
 * same.  Only fast.c's copies are rewritten (no OP_READ in them: the explaining path
 * keeps the compiled code as it is).  A run never spans the target of a jump or the
 * end of a loop body; jumps and loop bodies are re-measured afterwards.
 */
#include <stdlib.h>

#include "policy/pol_int.h"

static int leaf_kind(const struct insn *in) /* PL_* of a leaf load, -1 otherwise */
{
	switch ((enum op)in->op) {
	case OP_CONST: return PL_CONST;
	case OP_LET: return PL_LET;
	case OP_LOCAL: return PL_LOCAL;
	case OP_CTX: return PL_CTX;
	case OP_ROOT: return PL_ROOT;
	default: return -1;
	}
}

/* a binary operation OP_BINL takes with a leaf as its right operand */
static int is_bin(const struct insn *in)
{
	switch (in->op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
	case OP_GE: case OP_MIN: case OP_MAX: case OP_INDEX: case OP_AGE_ON: case OP_ADD_YEARS: case OP_AND:
	case OP_OR:
		return 1;
	case OP_FLOOR: case OP_ROUND: case OP_CEIL:
		return in->a == 1 || in->a == 2;
	default:
		return 0;
	}
}

static int is_cmp(int op)
{
	return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

/* OP_CMPK's b: bit (r + 1) set where cmp(x, k) = r (-1, 0, 1) makes the comparison true */
static int cmp_mask(int op)
{
	switch (op) {
	case OP_EQ: return 2;
	case OP_NE: return 5;
	case OP_LT: return 1;
	case OP_LE: return 3;
	case OP_GT: return 4;
	default: return 6; /* OP_GE */
	}
}

/* whether instructions [i, i + n) may become one: inside the code, and no instruction
 * after the first is where a jump lands or a loop body ends */
static int fusable(const char *edge, int n_code, int i, int n)
{
	if (i + n > n_code)
		return 0;
	for (int k = i + 1; k < i + n; k++)
		if (edge[k])
			return 0;
	return 1;
}

static int leaf_ok(const struct insn *in)
{
	return leaf_kind(in) >= 0 && in->a >= 0 && in->a < PL_LEAF_MAX_INDEX;
}

int pol_fast_peephole(struct code *c)
{
	int n = c->n, k = 0;
	char *edge;
	int *map;
	struct insn *out;

	if (!c->ok || n < 2)
		return 0;
	edge = calloc((size_t)n + 1, 1);
	map = malloc(sizeof(int) * ((size_t)n + 1));
	out = malloc(sizeof(struct insn) * (size_t)n);
	if (!edge || !map || !out) {
		free(edge);
		free(map);
		free(out);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct insn *in = &c->ins[i];
		int end = in->op == OP_LOOP ? i + 1 + in->b : in->op == OP_JF || in->op == OP_JMP ? i + 1 + in->a : -1;
		if (end >= 0 && end <= n)
			edge[end] = 1;
		else if (end >= 0) { /* not what compile.c makes: leave it */
			free(edge);
			free(map);
			free(out);
			return 0;
		}
		if (in->op == OP_LOOP)
			edge[i + 1] = 1;
	}
	for (int i = 0; i < n;) {
		const struct insn *in = &c->ins[i];
		int used = 1;
		struct insn o = *in;

		if (in->op == OP_CONST && fusable(edge, n, i, 3) && c->ins[i + 1].op == OP_CONST &&
		    c->ins[i + 2].op == OP_INRANGE) {
			o = (struct insn){OP_INRANGEK, 0, in->a, c->ins[i + 1].a};
			used = 3;
		} else if (in->op == OP_CONST && fusable(edge, n, i, 2) && is_cmp(c->ins[i + 1].op)) {
			o = (struct insn){OP_CMPK, c->ins[i + 1].t, in->a, cmp_mask(c->ins[i + 1].op)};
			used = 2;
		} else if (leaf_ok(in) && fusable(edge, n, i, 2) && c->ins[i + 1].op == OP_FIELD) {
			uint32_t b = 0;
			int nf = 0;
			while (nf < 3 && fusable(edge, n, i, nf + 2) && c->ins[i + 1 + nf].op == OP_FIELD &&
			       c->ins[i + 1 + nf].a >= 0 && c->ins[i + 1 + nf].a < 1024) {
				b |= (uint32_t)c->ins[i + 1 + nf].a << (10 * nf);
				nf++;
			}
			if (nf > 0) {
				o = (struct insn){(uint8_t)(OP_PATH1 + nf - 1), (uint8_t)leaf_kind(in), in->a, (int32_t)b};
				used = 1 + nf;
			}
		} else if (leaf_ok(in) && fusable(edge, n, i, 2) && is_bin(&c->ins[i + 1])) {
			const struct insn *op = &c->ins[i + 1];
			o = (struct insn){OP_BINL, op->t, (int32_t)((unsigned)leaf_kind(in) << 13 | (unsigned)in->a),
					  (int32_t)((unsigned)op->op | (unsigned)op->a << 8)};
			used = 2;
		} else if (leaf_ok(in)) {
			uint64_t w = 0;
			int nl = 0, run = 0, max = 4;
			/* a leaf that begins a PATH stays out of the run */
			while (run < 8 && fusable(edge, n, i, run + 1) && leaf_ok(&c->ins[i + run]) &&
			       !(run > 0 && i + run + 1 < n && c->ins[i + run + 1].op == OP_FIELD))
				run++;
			if (fusable(edge, n, i, run + 1)) { /* leave an INLIST's 2, an OVERLAPS_MONTH's 4 leaves
							      * to be fused with it */
				int ar = c->ins[i + run].op == OP_INLIST ? 2 : c->ins[i + run].op == OP_OVERLAPS_MONTH ? 4 : 0;
				if (ar && run > ar)
					max = run - ar < 4 ? run - ar : 4;
				else if (!ar && is_bin(&c->ins[i + run])) /* the last leaf goes with it (OP_BINL) */
					max = run - 1 < 4 ? run - 1 : 4;
			}
			while (nl < max && nl < run) {
				const struct insn *l = &c->ins[i + nl];
				w |= (uint64_t)((unsigned)leaf_kind(l) << 13 | (unsigned)l->a) << (16 * nl);
				nl++;
			}
			if (nl > 1) {
				o = (struct insn){(uint8_t)(OP_LEAVES2 + nl - 2), 0, (int32_t)(uint32_t)w, (int32_t)(uint32_t)(w >> 32)};
				used = nl;
			}
			if (nl > 1 && fusable(edge, n, i, nl + 1)) {
				const struct insn *op = &c->ins[i + nl];
				if (nl == 2 && op->op == OP_INLIST) {
					o.op = OP_INLIST2L;
					o.t = op->t;
					used = 3;
				} else if (nl == 4 && op->op == OP_OVERLAPS_MONTH) {
					o.op = OP_OVERLAPS_MONTH4L;
					used = 5;
					if (fusable(edge, n, i, 6) && c->ins[i + 5].op == OP_AND) {
						o.op = OP_OVERLAPS_MONTH4L_AND;
						used = 6;
					}
				}
			}
		}
		for (int j = i; j < i + used; j++)
			map[j] = k;
		out[k++] = o;
		i += used;
	}
	map[n] = k;
	for (int i = 0; i < n; i++) { /* jumps and loop bodies, re-measured */
		const struct insn *in = &c->ins[i];
		struct insn *o = &out[map[i]];
		if (in->op == OP_JF || in->op == OP_JMP)
			o->a = map[i + 1 + in->a] - map[i] - 1;
		else if (in->op == OP_LOOP)
			o->b = map[i + 1 + in->b] - map[i] - 1;
	}
	free(edge);
	free(map);
	free(c->ins);
	c->ins = out;
	c->n = k;
	return 0;
}

/* ---- one code per expression: its hoisted parts first ---- */

/* how instruction in reads leaf (kind, idx): the number of times, and in *as_list the
 * times it is the list of an integer `in` (OP_INLIST2L's second leaf) */
static int leaf_uses(const struct insn *in, int kind, int idx, int *as_list)
{
	uint64_t w = (uint32_t)in->a | (uint64_t)(uint32_t)in->b << 32;
	int n = 0, nl = 0;

	switch ((enum op)in->op) {
	case OP_CONST: case OP_LET: case OP_LOCAL: case OP_CTX: case OP_ROOT:
		return leaf_kind(in) == kind && in->a == idx;
	case OP_PATH1: case OP_PATH2: case OP_PATH3:
		return in->t == kind && in->a == idx;
	case OP_BINL:
		return ((in->a >> 13) & 7) == kind && (in->a & 0x1fff) == idx;
	case OP_LEAVES2: case OP_INLIST2L: case OP_INMASK2L: case OP_INMSET2L: case OP_INMSET2L_AND: nl = 2; break;
	case OP_LEAVES3: nl = 3; break;
	case OP_LEAVES4: case OP_OVERLAPS_MONTH4L: case OP_OVERLAPS_MONTH4L_AND: nl = 4; break;
	default: return 0;
	}
	for (int k = 0; k < nl; k++, w >>= 16)
		if ((int)((w >> 13) & 7) == kind && (int)(w & 0x1fff) == idx) {
			n++;
			if (k == 1 && in->op == OP_INLIST2L && in->t != PT_STR)
				++*as_list;
		}
	return n;
}

int pol_fast_join(struct code *main, struct code *temps, int ntemps, int slot0)
{
	int n = main->n, k = 0;
	struct insn *out;

	if (ntemps == 0)
		return 0;
	for (int t = 0; t < ntemps; t++)
		n += temps[t].n + 2;
	out = malloc(sizeof(struct insn) * (size_t)n);
	if (!out)
		return -1;
	for (int t = 0; t < ntemps; t++) {
		int uses = 0, as_list = 0, slot = slot0 + t;
		for (int i = 0; i < main->n; i++)
			uses += leaf_uses(&main->ins[i], PL_LET, slot, &as_list);
		for (int i = 0; i < temps[t].n; i++)
			out[k++] = temps[t].ins[i];
		if (uses > 0 && uses == as_list) { /* read only as the list of integer `in`s */
			out[k++] = (struct insn){OP_TOMASK, 0, 0, 0};
			for (int i = 0; i < main->n; i++) {
				struct insn *in = &main->ins[i];
				int l = 0;
				if (in->op == OP_INLIST2L && (leaf_uses(in, PL_LET, slot, &l), l))
					in->op = OP_INMASK2L;
			}
		}
		out[k++] = (struct insn){OP_SETLET, 0, slot, 0};
	}
	for (int i = 0; i < main->n; i++) /* jumps and loop bodies are relative: unchanged */
		out[k++] = main->ins[i];
	for (int t = 0; t < ntemps; t++) {
		free(temps[t].ins);
		temps[t].ins = NULL;
		temps[t].n = 0;
	}
	free(main->ins);
	main->ins = out;
	main->n = k;
	return 0;
}

/* ---- loops with a body that needs no stack ---- */

static int tight_first(int op) /* pushes one value, reading leaves only */
{
	return op == OP_INMASK2L || op == OP_INLIST2L || op == OP_OVERLAPS_MONTH4L || op == OP_INMSET2L ||
	       op == OP_PATH1 || op == OP_PATH2 || op == OP_PATH3;
}

static int tight_next(int op) /* changes the top in place */
{
	return op == OP_OVERLAPS_MONTH4L_AND || op == OP_INMSET2L_AND || op == OP_CMPK || op == OP_INRANGEK ||
	       op == OP_NOT;
}

/* whether the body in[0 .. n) of a range loop at depth d can run as bit sets (OP_LOOPM):
 * each instruction tests the loop variable against a set that no round changes */
static int mask_body(const struct insn *in, int n, int d)
{
	for (int k = 0; k < n; k++) {
		uint32_t w = (uint32_t)in[k].a;
		int op = in[k].op;
		if (op == OP_NOT && k > 0)
			continue;
		if (!(k == 0 ? op == OP_INMASK2L || op == OP_INMSET2L : op == OP_INMSET2L_AND))
			return 0;
		if (((w >> 13) & 7) != PL_LOCAL || (int)(w & 0x1fff) != d || ((w >> 29) & 7) == PL_LOCAL)
			return 0;
	}
	return 1;
}

void pol_fast_tight(struct code *c)
{
	if (!c->ok)
		return;
	for (int i = 0; i < c->n; i++) {
		struct insn *in = &c->ins[i];
		int b = in->b, ok;
		if (in->op != OP_LOOP || b < 1 || b > 4 || i + 1 + b > c->n)
			continue;
		ok = tight_first(c->ins[i + 1].op);
		for (int k = 2; ok && k <= b; k++)
			ok = tight_next(c->ins[i + k].op);
		if (ok)
			in->op = in->t && mask_body(&c->ins[i + 1], b, in->a >> 8) ? OP_LOOPM : OP_LOOPT;
	}
}

/* ---- codes that need no stack: a value made, then changed in place ---- */

static int straight_first(int op)
{
	switch (op) {
	case OP_CONST: case OP_ROOT: case OP_LET: case OP_CTX: case OP_PARAM: case OP_PATH1: case OP_PATH2:
	case OP_PATH3: case OP_INLIST2L: case OP_INMASK2L: case OP_INMSET2L: case OP_OVERLAPS_MONTH4L:
		return 1;
	default:
		return 0;
	}
}

static int straight_next(const struct insn *in)
{
	switch (in->op) {
	case OP_CMPK: case OP_INRANGEK: case OP_NOT: case OP_NEG: case OP_TODEC: case OP_PRESENT:
	case OP_YEAR_OF: case OP_FIELD: case OP_PINDEX: case OP_INMSET2L_AND: case OP_OVERLAPS_MONTH4L_AND:
	case OP_BINL:
		return 1;
	default:
		return 0;
	}
}

void pol_fast_straight(struct code *c)
{
	int ok = c->ok && c->n >= 1 && c->n <= 8 && straight_first(c->ins[0].op);

	for (int i = 1; ok && i < c->n; i++)
		ok = straight_next(&c->ins[i]);
	c->straight = ok;
}

int pol_fast_reads_consts(const struct code *c)
{
	for (int i = 0; i < c->n; i++) {
		const struct insn *in = &c->ins[i];
		uint64_t w = (uint32_t)in->a | (uint64_t)(uint32_t)in->b << 32;
		int nl = 0;
		switch ((enum op)in->op) {
		case OP_CONST: case OP_CMPK: case OP_INRANGEK: return 1;
		case OP_BINL:
			if (((in->a >> 13) & 7) == PL_CONST)
				return 1;
			break;
		case OP_PATH1: case OP_PATH2: case OP_PATH3:
			if (in->t == PL_CONST)
				return 1;
			break;
		case OP_LEAVES2: case OP_INLIST2L: case OP_INMASK2L: case OP_INMSET2L: case OP_INMSET2L_AND: nl = 2; break;
		case OP_LEAVES3: nl = 3; break;
		case OP_LEAVES4: case OP_OVERLAPS_MONTH4L: case OP_OVERLAPS_MONTH4L_AND: nl = 4; break;
		default: break;
		}
		for (int k = 0; k < nl; k++, w >>= 16)
			if (((w >> 13) & 7) == PL_CONST)
				return 1;
	}
	return 0;
}
