/*
 * vm.c — runs compiled expressions over one beneficiary's facts.
 *
 * A fixed value stack on the C stack, no allocation.  Three-valued logic: a
 * value with present == 0 is missing; arithmetic and comparisons with a missing
 * operand are missing, "and" is false if either side is false, "or" true if
 * either side is true.  When vm->trace is set, fact and let reads, missing facts
 * and parameter values used are recorded for the explanation.
 */
#include <string.h>

#include "policy/pol_int.h"

static const struct pval MISSING = {0, NULL, 0};

static struct pval I(int64_t v)
{
	struct pval r = {v, NULL, 1};
	return r;
}

static void trace_read(struct pol_vm *vm, const struct rpath *rp, int has_key, int64_t key, struct pval v)
{
	struct pol_trace *t = vm->trace;

	for (int i = 0; i < t->nreads; i++)
		if (t->reads[i].path == rp->path && t->reads[i].has_key == has_key && t->reads[i].key == key)
			goto missing;
	if (t->nreads < POL_MAX_READS) {
		struct pol_read *r = &t->reads[t->nreads++];
		r->path = rp->path;
		r->has_key = has_key;
		r->key = key;
		r->v = v;
		r->t = rp->t;
	}
missing:
	if (v.present)
		return;
	for (int i = 0; i < t->nmissing; i++)
		if (strcmp(t->missing[i], rp->path) == 0)
			return;
	if (t->nmissing < POL_MAX_MISSING)
		t->missing[t->nmissing++] = rp->path;
}

static void trace_param(struct pol_vm *vm, int param, int has_key, int64_t key, struct pval v)
{
	struct pol_trace *t = vm->trace;

	for (int i = 0; i < t->npuses; i++)
		if (t->puses[i].param == param && t->puses[i].has_key == has_key && t->puses[i].key == key)
			return;
	if (t->npuses < POL_MAX_PUSES) {
		struct pol_param_use *u = &t->puses[t->npuses++];
		u->param = param;
		u->has_key = has_key;
		u->key = key;
		u->v = v;
		u->ver = vm->param_ver[param];
	}
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t rounddiv(int op, int64_t a, int64_t b)
{
	if (b < 0) {
		a = -a;
		b = -b;
	}
	if (op == OP_FLOOR)
		return floordiv(a, b);
	if (op == OP_CEIL)
		return -floordiv(-a, b);
	/* half away from zero */
	int64_t q = a / b, r = a % b;
	if (r < 0)
		r = -r;
	if (2 * r >= b)
		q += a < 0 ? -1 : 1;
	return q;
}

static struct pval keyed(const struct pkeyed *k, int64_t key)
{
	if (!k)
		return MISSING;
	for (size_t i = 0; i < k->n; i++)
		if (k->keys[i] == key)
			return k->v[i];
	return MISSING;
}

static int cmpv(const struct insn *in, struct pval a, struct pval b)
{
	if (in->t == PT_STR)
		return strcmp(a.p, b.p);
	return (a.i > b.i) - (a.i < b.i);
}

/* date_to_days() of the 1st of month m of year y, both already checked: the same formula
 * without date_to_days()'s validation (this runs for every month of every loop) */
static long first_of(long y, long m)
{
	static const short before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	if (y >= 1901 && y <= 2099) { /* every fourth year a leap year: no divisions */
		long d = y - 1901;
		return -25202 /* 1901-01-01 */ + 365 * d + d / 4 + before[m - 1] + (m > 2 && y % 4 == 0);
	}
	y -= m <= 2;
	long era = y / 400, yoe = y - era * 400;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
	return era * 146097 + doe - 719468;
}

static long month_days(int64_t y, int64_t m, int last)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12)
		return 0;
	if (!last)
		return first_of(y, m);
	if (m == 12)
		return y == 9999 ? date_to_days((struct civil_date){9999, 12, 31}) : first_of(y + 1, 1) - 1;
	return first_of(y, m + 1) - 1;
}

/* the days of month m (1..12) of year y, both already checked */
static long month_len(int64_t y, int64_t m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return len[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* the last day of the month whose first day is s (month_days(y, m, 0), nonzero): the same
 * day as month_days(y, m, 1) without a second date computation */
static long month_last(long s, int64_t y, int64_t m)
{
	return s + month_len(y, m) - 1;
}

/* date_from_days(days).y: for 1901-01-01 .. 2099-12-31, where every fourth year is a leap
 * year, from the 1,461-day cycles; elsewhere through date_from_days() */
static int year_of(int64_t days)
{
	enum { D1901 = -25202, D2100 = 47482 }; /* date_to_days() of 1901-01-01, 2100-01-01 */
	if (days >= D1901 && days < D2100) {
		long d = (long)days - D1901, r = d % 1461, k = r / 365;
		return (int)(1901 + 4 * (d / 1461) + (k < 3 ? k : 3));
	}
	return date_from_days((long)days).y;
}

/* where superinstructions read their leaves (enum pol_leaf): made once per expression */
typedef const struct pval *const leaves_t[PL_N];

static struct pval run(struct pol_vm *vm, const struct code *c, const leaves_t *lv, int pc, int end);

/* x in the list l, both present; in->t is the elements' type */
static inline struct pval in_list(const struct insn *in, struct pval x, struct pval lv)
{
	const struct plist *l = lv.p;

	if (in->t == PT_STR) {
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].present && strcmp(l->v[i].p, x.p) == 0)
				return I(1); /* found: the rest cannot change it */
	} else {
		const int64_t xi = x.i;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].i == xi && l->v[i].present)
				return I(1);
	}
	return I(0);
}

/* overlaps_month(from, to, y, m): a missing to is open-ended */
static inline struct pval overlaps_month(struct pval f, struct pval t, struct pval y, struct pval m)
{
	int both = y.present && m.present;
	long s = both ? month_days(y.i, m.i, 0) : 0, e = s ? month_last(s, y.i, m.i) : 0;
	return f.present && both && s ? I(f.i <= e && (!t.present || t.i >= s)) : MISSING;
}

/* a stack value, read field by field: the slot was usually just written field by field, and
 * a whole-struct copy (wider loads) would wait on those stores (store-to-load forwarding) */
static inline struct pval ld(const struct pval *v)
{
	struct pval r;
	r.i = v->i;
	r.p = v->p;
	r.present = v->present;
	return r;
}

/* count/sum/any/all over a list or range; the body is c->ins[pc+1 .. pc+1+b) */
static struct pval loop(struct pol_vm *vm, const struct code *c, const leaves_t *lv, int pc, struct pval list)
{
	const struct insn *in = &c->ins[pc];
	int kind = in->a & 0xff, depth = in->a >> 8;
	int64_t n, lo = 0, acc = 0;
	int any_missing = 0;

	if (!list.present)
		return MISSING;
	if (in->t) { /* range */
		lo = list.i >> 32;
		n = (int64_t)(int32_t)(list.i & 0xffffffff) - lo + 1;
	} else {
		n = (int64_t)((const struct plist *)list.p)->n;
	}
	for (int64_t i = 0; i < n; i++) {
		vm->locals[depth] = in->t ? I(lo + i) : ((const struct plist *)list.p)->v[i];
		struct pval r = run(vm, c, lv, pc + 1, pc + 1 + in->b);
		if (!r.present) {
			any_missing = 1;
			continue;
		}
		switch (kind) {
		case LOOP_COUNT: acc += r.i != 0; break;
		case LOOP_SUM: acc += r.i; break;
		case LOOP_ANY: if (r.i) return I(1); break;
		default: if (!r.i) return I(0); break;
		}
	}
	if (kind == LOOP_COUNT)
		return I(acc);
	if (any_missing)
		return MISSING;
	return kind == LOOP_SUM ? I(acc) : I(kind == LOOP_ALL);
}

/*
 * The same loops run inline in run(), without a call per round: the body runs on run()'s
 * own stack above the list's slot (compile.c counts the body's depth on top of the
 * expression's, so the stack is deep enough), and when the body's end is reached the
 * round's result is taken as loop() takes it.
 */
struct lframe {
	const struct insn *in;  /* the OP_LOOP */
	const struct plist *l;  /* the list, or NULL for a range from lo */
	int body, after, outer_end, base, any_missing;
	int64_t i, n, lo, acc;
};

static inline void lf_bind(struct pol_vm *vm, const struct lframe *f)
{
	vm->locals[f->in->a >> 8] = f->l ? f->l->v[f->i] : I(f->lo + f->i);
}

/* takes a round's result r; 1 when it decides the loop (the result in *res) */
static inline int lf_step(struct lframe *f, struct pval r, struct pval *res)
{
	if (!r.present) {
		f->any_missing = 1;
		return 0;
	}
	switch (f->in->a & 0xff) {
	case LOOP_COUNT: f->acc += r.i != 0; return 0;
	case LOOP_SUM: f->acc += r.i; return 0;
	case LOOP_ANY: if (r.i) { *res = I(1); return 1; } return 0;
	default: if (!r.i) { *res = I(0); return 1; } return 0;
	}
}

static inline struct pval lf_end(const struct lframe *f)
{
	int kind = f->in->a & 0xff;
	if (kind == LOOP_COUNT)
		return I(f->acc);
	if (f->any_missing)
		return MISSING;
	return kind == LOOP_SUM ? I(f->acc) : I(kind == LOOP_ALL);
}

/* ---- superinstructions shared by run() and the tight loops (OP_LOOPT) ---- */

#define LEAF(w, k) (leaf[((w) >> (16 * (k) + 13)) & 7][((w) >> (16 * (k))) & 0x1fff])

static inline struct pval op_path(const struct insn *in, const struct pval *const *leaf)
{
	struct pval v = leaf[in->t][in->a];
	uint32_t b = (uint32_t)in->b;
	v = v.present ? ((const struct pval *)v.p)[b & 1023] : MISSING;
	if (in->op >= OP_PATH2)
		v = v.present ? ((const struct pval *)v.p)[(b >> 10) & 1023] : MISSING;
	if (in->op == OP_PATH3)
		v = v.present ? ((const struct pval *)v.p)[(b >> 20) & 1023] : MISSING;
	return v;
}

static inline struct pval op_inlist2l(const struct insn *in, const struct pval *const *leaf)
{
	uint64_t w = (uint32_t)in->a;
	struct pval x = LEAF(w, 0), l = LEAF(w, 1);
	return x.present && l.present ? in_list(in, x, l) : MISSING;
}

static inline struct pval op_inmask2l(const struct insn *in, const struct pval *const *leaf)
{
	uint64_t w = (uint32_t)in->a;
	struct pval x = LEAF(w, 0), l = LEAF(w, 1);
	if (!(x.present && l.present))
		return MISSING;
	if (l.i >= 0)
		return I(x.i >= 0 && x.i < 63 && ((uint64_t)l.i >> x.i & 1));
	return in_list(in, x, l);
}

static inline struct pval op_ovm4l(const struct insn *in, const struct pval *const *leaf)
{
	uint64_t w = (uint32_t)in->a | (uint64_t)(uint32_t)in->b << 32;
	return overlaps_month(LEAF(w, 0), LEAF(w, 1), LEAF(w, 2), LEAF(w, 3));
}

/* overlaps_month(from, to, y, m) for every month m of y, as a set (OP_MONTHSET): the same
 * first and last days as month_days() and month_last(), from the 1st of January */
static struct pval monthset(struct pval f, struct pval t, struct pval y)
{
	static const short before[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
	uint64_t set = 0;

	if (!f.present || !y.present || y.i < 1 || y.i > 9999)
		return MISSING; /* overlaps_month() is missing whatever the month */
	const long jan1 = first_of(y.i, 1), leap = month_len(y.i, 2) == 29;
	for (int m = 1; m <= 12; m++) {
		long s = jan1 + before[m - 1] + (m > 2 ? leap : 0), e = jan1 + before[m] + (m >= 2 ? leap : 0) - 1;
		if (!s) /* as overlaps_month(): missing (1970-01, whose first day is day 0) */
			set |= (uint64_t)1 << (16 + m);
		else if (f.i <= e && (!t.present || t.i >= s))
			set |= (uint64_t)1 << m;
	}
	return I((int64_t)set);
}

/* overlaps_month(from, to, y, m) from the set of y's months (monthset(from, to, y)) */
static inline struct pval op_inmset2l(const struct insn *in, const struct pval *const *leaf)
{
	uint64_t w = (uint32_t)in->a;
	struct pval m = LEAF(w, 0), s = LEAF(w, 1);
	if (!s.present || !m.present || m.i < 1 || m.i > 12 || ((uint64_t)s.i >> (16 + m.i) & 1))
		return MISSING;
	return I((int64_t)((uint64_t)s.i >> m.i & 1));
}

static inline struct pval op_and(struct pval a, struct pval y)
{
	if ((a.present && !a.i) || (y.present && !y.i))
		return I(0);
	return a.present && y.present ? I(1) : MISSING;
}

static inline struct pval op_cmpk(const struct code *c, const struct insn *in, struct pval a)
{
	const struct pval k = c->consts[in->a];
	if (a.present && k.present)
		return I((in->b >> (cmpv(in, a, k) + 1)) & 1);
	return MISSING;
}

static inline struct pval op_inrangek(const struct code *c, const struct insn *in, struct pval a)
{
	const struct pval lo = c->consts[in->a], hi = c->consts[in->b];
	return a.present && lo.present && hi.present ? I(a.i >= lo.i && a.i <= hi.i) : MISSING;
}

/* binary operation op (its own a: sub) of x and y, as run() does it (OP_BINL) */
static struct pval bin(int op, int sub, int t, struct pval x, struct pval y)
{
	const struct insn in = {(uint8_t)op, (uint8_t)t, sub, 0};
	const int both = x.present && y.present;

	switch (op) {
	case OP_AND: return op_and(x, y);
	case OP_OR:
		if ((x.present && x.i) || (y.present && y.i))
			return I(1);
		return both ? I(0) : MISSING;
	case OP_ADD: return both ? I(x.i + y.i) : MISSING;
	case OP_SUB: return both ? I(x.i - y.i) : MISSING;
	case OP_MUL: return both ? I(x.i * y.i) : MISSING;
	case OP_EQ: return both ? I(cmpv(&in, x, y) == 0) : MISSING;
	case OP_NE: return both ? I(cmpv(&in, x, y) != 0) : MISSING;
	case OP_LT: return both ? I(cmpv(&in, x, y) < 0) : MISSING;
	case OP_LE: return both ? I(cmpv(&in, x, y) <= 0) : MISSING;
	case OP_GT: return both ? I(cmpv(&in, x, y) > 0) : MISSING;
	case OP_GE: return both ? I(cmpv(&in, x, y) >= 0) : MISSING;
	case OP_MIN: return both ? (x.i <= y.i ? x : y) : MISSING;
	case OP_MAX: return both ? (x.i >= y.i ? x : y) : MISSING;
	case OP_INDEX: return both ? keyed(x.p, y.i) : MISSING;
	case OP_AGE_ON: {
		int age = both ? date_age_on(date_from_days(x.i), date_from_days(y.i)) : -1;
		return age >= 0 ? I(age) : MISSING;
	}
	case OP_ADD_YEARS: {
		struct civil_date d = both && y.i > -10000 && y.i < 10000 ? date_add_years(date_from_days(x.i), (int)y.i)
									  : (struct civil_date){0, 0, 0};
		return date_valid(d.y, d.m, d.d) ? I(date_to_days(d)) : MISSING;
	}
	default: { /* OP_FLOOR, OP_ROUND, OP_CEIL with a divisor (sub 1, or 2: in hundredths) */
		int64_t d = sub == 2 ? y.i * 100 : y.i;
		return both && d != 0 ? I(rounddiv(op, x.i, d)) : MISSING;
	}
	}
}

static inline struct pval op_binl(const struct insn *in, const struct pval *const *leaf, struct pval x)
{
	return bin(in->b & 0xff, in->b >> 8, in->t, x, LEAF((uint32_t)in->a, 0));
}

/* one round of an OP_LOOPT body: in[0] pushes a value, in[1 .. n) change it */
static inline struct pval tight_round(const struct code *c, const struct insn *in, int n,
				      const struct pval *const *leaf)
{
	struct pval v;

	switch (in[0].op) {
	case OP_INMASK2L: v = op_inmask2l(&in[0], leaf); break;
	case OP_INLIST2L: v = op_inlist2l(&in[0], leaf); break;
	case OP_OVERLAPS_MONTH4L: v = op_ovm4l(&in[0], leaf); break;
	case OP_INMSET2L: v = op_inmset2l(&in[0], leaf); break;
	default: v = op_path(&in[0], leaf); break; /* OP_PATH1..3 */
	}
	for (int k = 1; k < n; k++) {
		switch (in[k].op) {
		case OP_OVERLAPS_MONTH4L_AND: v = op_and(v, op_ovm4l(&in[k], leaf)); break;
		case OP_INMSET2L_AND: v = op_and(v, op_inmset2l(&in[k], leaf)); break;
		case OP_CMPK: v = op_cmpk(c, &in[k], v); break;
		case OP_INRANGEK: v = op_inrangek(c, &in[k], v); break;
		default: if (v.present) v.i = !v.i; break; /* OP_NOT */
		}
	}
	return v;
}

/* OP_LOOPT: loop() with the body run by tight_round() */
static struct pval tight_loop(struct pol_vm *vm, const struct code *c, const struct insn *in,
			      const struct pval *const *leaf, struct pval list)
{
	const int kind = in->a & 0xff, depth = in->a >> 8, nb = in->b;
	const struct plist *l = in->t ? NULL : list.p;
	int64_t n, lo = 0, acc = 0;
	int any_missing = 0;

	if (!list.present)
		return MISSING;
	if (in->t) { /* range */
		lo = list.i >> 32;
		n = (int64_t)(int32_t)(list.i & 0xffffffff) - lo + 1;
	} else {
		n = (int64_t)l->n;
	}
	for (int64_t i = 0; i < n; i++) {
		vm->locals[depth] = l ? l->v[i] : I(lo + i);
		struct pval r = tight_round(c, in + 1, nb, leaf);
		if (!r.present) {
			any_missing = 1;
			continue;
		}
		switch (kind) {
		case LOOP_COUNT: acc += r.i != 0; break;
		case LOOP_SUM: acc += r.i; break;
		case LOOP_ANY: if (r.i) return I(1); break;
		default: if (!r.i) return I(0); break;
		}
	}
	if (kind == LOOP_COUNT)
		return I(acc);
	if (any_missing)
		return MISSING;
	return kind == LOOP_SUM ? I(acc) : I(kind == LOOP_ALL);
}

/* OP_LOOPM: tight_loop() over a range lo..hi within 0..62, every round at once: bit v of
 * t (p) is whether the body is true (present) when the loop variable is v */
static struct pval mask_loop(struct pol_vm *vm, const struct code *c, const struct insn *in,
			     const struct pval *const *leaf, struct pval list)
{
	const int kind = in->a & 0xff, nb = in->b;
	int64_t lo = list.i >> 32, hi = (int32_t)(list.i & 0xffffffff);
	uint64_t lanes, t = 0, p = 0;

	if (!list.present || lo > hi || lo < 0 || hi > 62)
		return tight_loop(vm, c, in, leaf, list);
	lanes = ((uint64_t)2 << hi) - ((uint64_t)1 << lo);
	for (int k = 0; k < nb; k++) {
		const struct insn *b = &in[1 + k];
		uint64_t w = (uint32_t)b->a, bt, bp;
		struct pval s = LEAF(w, 1);
		if (b->op == OP_NOT) {
			t = p & ~t;
			continue;
		}
		if (!s.present) {
			bt = bp = 0;
		} else if (b->op == OP_INMASK2L) {
			if (s.i < 0) /* not a bit set: round by round */
				return tight_loop(vm, c, in, leaf, list);
			bp = lanes;
			bt = (uint64_t)s.i & lanes;
		} else { /* OP_INMSET2L[_AND]: months 1..12 not marked missing */
			bp = lanes & 0x1ffe & ~((uint64_t)s.i >> 16);
			bt = (uint64_t)s.i & bp;
		}
		if (k == 0) {
			t = bt;
			p = bp;
		} else { /* AND: false where either is false, true where both are true */
			uint64_t f = (p & ~t) | (bp & ~bt);
			t &= bt;
			p = t | f;
		}
	}
	switch (kind) {
	case LOOP_COUNT: return I(__builtin_popcountll(t));
	case LOOP_SUM: return lanes & ~p ? MISSING : I(__builtin_popcountll(t));
	case LOOP_ANY: return t ? I(1) : lanes & ~p ? MISSING : I(0);
	default: return p & ~t ? I(0) : lanes & ~p ? MISSING : I(1);
	}
}

#define X (sp0 >= 2 ? st[sp0 - 2] : MISSING)
#define Y (sp0 >= 1 ? st[sp0 - 1] : MISSING)
#define BOTH (X.present && Y.present)
static struct pval run(struct pol_vm *vm, const struct code *c, const leaves_t *lv, int pc, int end)
{
	struct pval st[POL_MAX_STACK + 2];
	int sp = 0;
	const struct pval *const *const leaf = *lv;
	struct lframe lf[POL_MAX_LOCALS];
	int nlf = 0;

	for (;; pc++) {
		while (pc >= end) { /* the end of the code, or of a loop body's round */
			if (nlf == 0)
				return sp > 0 ? ld(&st[sp - 1]) : MISSING;
			struct lframe *f = &lf[nlf - 1];
			struct pval r = sp > f->base ? ld(&st[sp - 1]) : MISSING, res;
			sp = f->base;
			if (!lf_step(f, r, &res)) {
				if (++f->i < f->n) {
					lf_bind(vm, f);
					pc = f->body;
					continue;
				}
				res = lf_end(f);
			}
			st[sp - 1] = res; /* in the list's slot */
			pc = f->after;
			end = f->outer_end;
			nlf--;
		}
		const struct insn *in = &c->ins[pc];
		struct pval *a = sp >= 1 ? &st[sp - 1] : NULL;
		/* for binary ops: X = st[sp-2], Y = st[sp-1] as they were before the operation,
		 * read where an operation needs them; the result replaces X */
		const int sp0 = sp;

		switch ((enum op)in->op) {
		case OP_CONST: st[sp++] = c->consts[in->a]; break;
		case OP_ROOT: st[sp++] = vm->facts->root[in->a]; break;
		case OP_FIELD:
			*a = a->present ? ((const struct pval *)a->p)[in->a] : MISSING;
			break;
		case OP_LOCAL: st[sp++] = vm->locals[in->a]; break;
		case OP_LET: st[sp++] = vm->lets[in->a]; break;
		case OP_CTX: st[sp++] = vm->ctx[in->a]; break;
		case OP_PARAM: {
			const struct pparam *pp = &vm->pol->params[in->a];
			struct pval v = pp->vals[vm->param_ver[in->a]].v;
			if (vm->trace)
				trace_param(vm, in->a, 0, 0, v);
			st[sp++] = v;
			break;
		}
		case OP_PINDEX: {
			const struct pparam *pp = &vm->pol->params[in->a];
			struct pval v = a->present ? keyed(pp->vals[vm->param_ver[in->a]].v.p, a->i) : MISSING;
			if (vm->trace && a->present)
				trace_param(vm, in->a, 1, a->i, v);
			*a = v;
			break;
		}
		case OP_INDEX: {
			struct pval v = BOTH ? keyed(X.p, Y.i) : MISSING;
			if (vm->trace && in->b >= 0 && Y.present)
				trace_read(vm, &c->paths[in->b], 1, Y.i, v);
			st[--sp - 1] = v;
			break;
		}
		case OP_READ:
			if (vm->trace)
				trace_read(vm, &c->paths[in->a], 0, 0, *a);
			break;
		case OP_NOT: if (a->present) a->i = !a->i; break;
		case OP_NEG: if (a->present) a->i = -a->i; break;
		case OP_TODEC: if (a->present) a->i *= 100; break;
		case OP_AND:
			sp--;
			if ((X.present && !X.i) || (Y.present && !Y.i))
				st[sp - 1] = I(0);
			else
				st[sp - 1] = BOTH ? I(1) : MISSING;
			break;
		case OP_OR:
			sp--;
			if ((X.present && X.i) || (Y.present && Y.i))
				st[sp - 1] = I(1);
			else
				st[sp - 1] = BOTH ? I(0) : MISSING;
			break;
		case OP_ADD: sp--; st[sp - 1] = BOTH ? I(X.i + Y.i) : MISSING; break;
		case OP_SUB: sp--; st[sp - 1] = BOTH ? I(X.i - Y.i) : MISSING; break;
		case OP_MUL: sp--; st[sp - 1] = BOTH ? I(X.i * Y.i) : MISSING; break;
		case OP_EQ: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) == 0) : MISSING; break;
		case OP_NE: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) != 0) : MISSING; break;
		case OP_LT: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) < 0) : MISSING; break;
		case OP_LE: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) <= 0) : MISSING; break;
		case OP_GT: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) > 0) : MISSING; break;
		case OP_GE: sp--; st[sp - 1] = BOTH ? I(cmpv(in, X, Y) >= 0) : MISSING; break;
		case OP_MIN: sp--; st[sp - 1] = BOTH ? (X.i <= Y.i ? X : Y) : MISSING; break;
		case OP_MAX: sp--; st[sp - 1] = BOTH ? (X.i >= Y.i ? X : Y) : MISSING; break;
		case OP_INRANGE: {
			struct pval v = st[sp - 3];
			sp -= 2;
			st[sp - 1] = v.present && BOTH ? I(v.i >= X.i && v.i <= Y.i) : MISSING;
			break;
		}
		case OP_INLIST:
			st[--sp - 1] = BOTH ? in_list(in, X, Y) : MISSING;
			break;
		case OP_MKRANGE: {
			int empty = BOTH && X.i > Y.i; /* read before X's slot is written */
			sp--;
			st[sp - 1] = BOTH && X.i >= -1000000 && Y.i <= 1000000 && X.i <= Y.i + 1
					 ? I((int64_t)((uint64_t)X.i << 32) | (uint32_t)Y.i)
					 : MISSING;
			if (empty)
				st[sp - 1] = I((int64_t)((uint64_t)1 << 32)); /* empty: 1..0 */
			break;
		}
		case OP_FLOOR: case OP_ROUND: case OP_CEIL:
			if (in->a == 0) {
				if (a->present)
					a->i = rounddiv(in->op, a->i, 100);
			} else {
				sp--;
				int64_t d = in->a == 2 ? Y.i * 100 : Y.i;
				st[sp - 1] = BOTH && d != 0 ? I(rounddiv(in->op, X.i, d)) : MISSING;
			}
			break;
		case OP_COUNT:
			if (!a->present)
				break;
			if (in->t)
				*a = I((int64_t)(int32_t)(a->i & 0xffffffff) - (a->i >> 32) + 1);
			else
				*a = I((int64_t)((const struct plist *)a->p)->n);
			break;
		case OP_LOOP: {
			struct lframe *f = &lf[nlf];
			f->in = in;
			f->l = NULL;
			f->lo = f->acc = 0;
			f->any_missing = 0;
			if (!a->present || nlf == POL_MAX_LOCALS) { /* missing; or nested too deep: by a call */
				*a = loop(vm, c, lv, pc, *a);
				pc += in->b;
				break;
			}
			if (in->t) { /* range */
				f->lo = a->i >> 32;
				f->n = (int64_t)(int32_t)(a->i & 0xffffffff) - f->lo + 1;
			} else {
				f->l = a->p;
				f->n = (int64_t)f->l->n;
			}
			if (f->n <= 0) {
				*a = lf_end(f);
				pc += in->b;
				break;
			}
			f->i = 0;
			f->body = pc + 1;
			f->after = pc + 1 + in->b;
			f->outer_end = end;
			f->base = sp;
			nlf++;
			lf_bind(vm, f);
			end = f->after;
			break; /* on to the body */
		}
		case OP_PRESENT: *a = I(a->present); break;
		case OP_AGE_ON: {
			sp--;
			int age = BOTH ? date_age_on(date_from_days(X.i), date_from_days(Y.i)) : -1;
			st[sp - 1] = age >= 0 ? I(age) : MISSING;
			break;
		}
		case OP_ADD_YEARS: {
			sp--;
			struct civil_date d = BOTH && Y.i > -10000 && Y.i < 10000
						      ? date_add_years(date_from_days(X.i), (int)Y.i)
						      : (struct civil_date){0, 0, 0};
			st[sp - 1] = date_valid(d.y, d.m, d.d) ? I(date_to_days(d)) : MISSING;
			break;
		}
		case OP_YEAR_OF: if (a->present) a->i = year_of(a->i); break;
		case OP_MONTH_OF: if (a->present) a->i = date_from_days(a->i).m; break;
		case OP_DATE: {
			struct pval yy = st[sp - 3];
			sp -= 2;
			st[sp - 1] = yy.present && BOTH && yy.i > 0 && yy.i < 10000 && X.i > 0 && X.i < 13 &&
						     Y.i > 0 && Y.i < 32 && date_valid((int)yy.i, (int)X.i, (int)Y.i)
					     ? I(date_to_days((struct civil_date){(int)yy.i, (int)X.i, (int)Y.i}))
					     : MISSING;
			break;
		}
		case OP_VALID_ON: { /* from, to, d: a missing to is open-ended */
			struct pval f = st[sp - 3];
			sp -= 2;
			st[sp - 1] = f.present && Y.present ? I(f.i <= Y.i && (!X.present || Y.i <= X.i)) : MISSING;
			break;
		}
		case OP_OVERLAPS_MONTH: /* from, to, y, m */
			st[sp - 4] = overlaps_month(st[sp - 4], st[sp - 3], X, Y);
			sp -= 3;
			break;
		case OP_OVERLAPS_YEAR: { /* from, to, y */
			struct pval f = st[sp - 3];
			sp -= 2;
			long s = Y.present ? month_days(Y.i, 1, 0) : 0, e = s ? s + 364 + (month_len(Y.i, 2) == 29) : 0;
			st[sp - 1] = f.present && Y.present && s ? I(f.i <= e && (!X.present || X.i >= s)) : MISSING;
			break;
		}
		case OP_JF:
			sp--;
			if (!(Y.present && Y.i))
				pc += in->a;
			break;
		case OP_JMP:
			pc += in->a;
			break;
		case OP_DIV: case OP_MKLIST:
			if (nlf == 0)
				return MISSING;
			sp = lf[nlf - 1].base; /* the round's result is missing */
			pc = end - 1;
			break;
		/* superinstructions (fast_peep.c): each as the instructions it stands for */
		case OP_PATH1: case OP_PATH2: case OP_PATH3: /* a leaf, then FIELD f0 [f1 [f2]] */
			st[sp++] = op_path(in, leaf);
			break;
		case OP_LEAVES2: case OP_LEAVES3: case OP_LEAVES4: {
			uint32_t w = (uint32_t)in->a;
			st[sp] = leaf[(w >> 13) & 7][w & 0x1fff];
			st[sp + 1] = leaf[(w >> 29) & 7][(w >> 16) & 0x1fff];
			w = (uint32_t)in->b;
			if (in->op >= OP_LEAVES3)
				st[sp + 2] = leaf[(w >> 13) & 7][w & 0x1fff];
			if (in->op == OP_LEAVES4)
				st[sp + 3] = leaf[(w >> 29) & 7][(w >> 16) & 0x1fff];
			sp += 2 + (in->op - OP_LEAVES2);
			break;
		}
		case OP_INLIST2L: /* LEAVES2 x list; INLIST */
			st[sp++] = op_inlist2l(in, leaf);
			break;
		case OP_INMASK2L: /* OP_INLIST2L, the list a bit set (OP_TOMASK) */
			st[sp++] = op_inmask2l(in, leaf);
			break;
		case OP_TOMASK:
			if (a->present) {
				const struct plist *l = a->p;
				uint64_t m = 0;
				int exact = 1;
				for (size_t i = 0; i < l->n; i++) {
					if (!l->v[i].present)
						continue; /* never matches */
					if (l->v[i].i >= 0 && l->v[i].i < 63)
						m |= (uint64_t)1 << l->v[i].i;
					else
						exact = 0;
				}
				a->i = exact ? (int64_t)m : -1;
			}
			break;
		case OP_SETLET:
			vm->lets[in->a] = sp > 0 ? ld(&st[sp - 1]) : MISSING;
			sp = 0;
			break;
		case OP_OVERLAPS_MONTH4L: /* LEAVES4 from to y m; OVERLAPS_MONTH */
			st[sp++] = op_ovm4l(in, leaf);
			break;
		case OP_OVERLAPS_MONTH4L_AND: /* … then AND with the value below */
			*a = op_and(*a, op_ovm4l(in, leaf));
			break;
		case OP_CMPK: /* CONST k; EQ … GE */
			*a = op_cmpk(c, in, *a);
			break;
		case OP_INRANGEK: /* CONST lo; CONST hi; INRANGE */
			*a = op_inrangek(c, in, *a);
			break;
		case OP_BINL: /* LEAF x; a binary operation */
			*a = op_binl(in, leaf, *a);
			break;
		case OP_MONTHSET: /* from, to, y */
			st[sp - 3] = monthset(st[sp - 3], st[sp - 2], st[sp - 1]);
			sp -= 2;
			break;
		case OP_INMSET2L:
			st[sp++] = op_inmset2l(in, leaf);
			break;
		case OP_INMSET2L_AND:
			*a = op_and(*a, op_inmset2l(in, leaf));
			break;
		case OP_LOOPM: /* OP_LOOPT, the rounds as bit sets */
			*a = mask_loop(vm, c, in, leaf, *a);
			pc += in->b;
			break;
		case OP_LOOPT: /* OP_LOOP, the body run by tight_loop() */
			*a = tight_loop(vm, c, in, leaf, *a);
			pc += in->b;
			break;
		}
	}
}
#undef X
#undef Y
#undef BOTH

/* ---- a month policy's condition for the twelve months at once ---- */

#define MONTHS ((uint64_t)0x1ffe) /* bits 1..12 */

static int month_leaf(uint32_t w) /* leaf w (16 bits) is period.month */
{
	return ((w >> 13) & 7) == PL_CTX && (w & 0x1fff) == CTX_MONTH;
}

static int fixed_leaf(uint32_t w) /* the same in every month: not the month, its bounds, a loop variable */
{
	int kind = (w >> 13) & 7, idx = w & 0x1fff;
	return kind != PL_LOCAL && !(kind == PL_CTX && (idx == CTX_MONTH || idx == CTX_START || idx == CTX_END));
}

int pol_vm_month_form(const struct code *c)
{
	char lane[POL_MAX_STACK + 8]; /* per stack value: whether it varies by month */
	int sp = 0;

	if (!c->ok || c->n == 0)
		return 0;
	for (int i = 0; i < c->n; i++) {
		const struct insn *in = &c->ins[i];
		uint64_t w = (uint32_t)in->a | (uint64_t)(uint32_t)in->b << 32;
		int pops = 0, push = 1, l = 0;
		switch ((enum op)in->op) {
		case OP_CONST: case OP_ROOT: case OP_LET: case OP_PARAM: break;
		case OP_CTX: if (!fixed_leaf((uint32_t)PL_CTX << 13 | (uint32_t)in->a)) return 0; break;
		case OP_PATH1: case OP_PATH2: case OP_PATH3:
			if (!fixed_leaf((uint32_t)in->t << 13 | ((uint32_t)in->a & 0x1fff)))
				return 0;
			break;
		case OP_LEAVES2: case OP_LEAVES3: case OP_LEAVES4:
			push = 2 + (in->op - OP_LEAVES2);
			for (int k = 0; k < push; k++)
				if (!fixed_leaf((uint32_t)(w >> (16 * k)) & 0xffff))
					return 0;
			break;
		case OP_INLIST2L: case OP_INMASK2L: case OP_INMSET2L: case OP_INMSET2L_AND:
			if (!fixed_leaf((uint32_t)(w >> 16) & 0xffff) || (in->op == OP_INLIST2L && in->t == PT_STR))
				return 0;
			l = month_leaf((uint32_t)w & 0xffff);
			if (!l && !fixed_leaf((uint32_t)w & 0xffff))
				return 0;
			if (in->op == OP_INMSET2L_AND) {
				pops = 1;
				l |= sp >= 1 && lane[sp - 1];
			}
			break;
		case OP_OVERLAPS_MONTH4L: case OP_OVERLAPS_MONTH4L_AND:
			for (int k = 0; k < 4; k++)
				if (!fixed_leaf((uint32_t)(w >> (16 * k)) & 0xffff))
					return 0;
			if (in->op == OP_OVERLAPS_MONTH4L_AND) {
				pops = 1;
				l = sp >= 1 && lane[sp - 1];
			}
			break;
		case OP_AND: case OP_OR:
			pops = 2;
			l = sp >= 2 && (lane[sp - 1] || lane[sp - 2]);
			break;
		case OP_NOT:
			pops = 1;
			l = sp >= 1 && lane[sp - 1];
			break;
		case OP_CMPK: case OP_INRANGEK: case OP_PRESENT: case OP_PINDEX: case OP_FIELD:
			if (sp < 1 || lane[sp - 1])
				return 0; /* only a value the same in every month */
			pops = 1;
			break;
		default:
			return 0;
		}
		if (sp < pops || sp - pops + push > POL_MAX_STACK)
			return 0;
		sp -= pops;
		for (int k = 0; k < push; k++)
			lane[sp++] = (char)l;
	}
	return sp == 1;
}

struct mval { /* a value in pol_vm_months(): the same every month (v), or by month (t, p) */
	int lane;
	struct pval v;
	uint64_t t, p;
};

static inline struct mval ml(uint64_t t, uint64_t p)
{
	struct mval r = {1, {0, NULL, 0}, t & p, p};
	return r;
}

static inline struct mval ms(struct pval v)
{
	struct mval r = {0, v, 0, 0};
	return r;
}

static inline struct mval as_lanes(struct mval a)
{
	return a.lane ? a : ml(a.v.present && a.v.i ? MONTHS : 0, a.v.present ? MONTHS : 0);
}

static struct mval m_and(struct mval a, struct mval b)
{
	if (!a.lane && !b.lane)
		return ms(op_and(a.v, b.v));
	a = as_lanes(a);
	b = as_lanes(b);
	uint64_t f = (a.p & ~a.t) | (b.p & ~b.t), t = a.t & b.t;
	return ml(t, t | f);
}

static struct mval m_or(struct mval a, struct mval b)
{
	if (!a.lane && !b.lane) {
		struct pval x = a.v, y = b.v;
		if ((x.present && x.i) || (y.present && y.i))
			return ms(I(1));
		return ms(x.present && y.present ? I(0) : MISSING);
	}
	a = as_lanes(a);
	b = as_lanes(b);
	uint64_t t = a.t | b.t, f = (a.p & ~a.t) & (b.p & ~b.t);
	return ml(t, t | f);
}

/* `period.month in l` (l present), month by month */
static uint64_t month_in_list(const struct insn *in, struct pval l)
{
	const struct plist *pl = l.p;
	uint64_t t = 0;

	if (in->op == OP_INMASK2L && l.i >= 0)
		return (uint64_t)l.i & MONTHS;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].present && pl->v[i].i >= 1 && pl->v[i].i <= 12)
			t |= (uint64_t)1 << pl->v[i].i;
	return t;
}

void pol_vm_months(struct pol_vm *vm, const struct code *c, uint64_t *t, uint64_t *p)
{
	struct mval st[POL_MAX_STACK + 2];
	int sp = 0;
	leaves_t lv = {c->consts, vm->lets, vm->locals, vm->ctx, vm->facts ? vm->facts->root : NULL};
	const struct pval *const *const leaf = lv;

	for (int pc = 0; pc < c->n; pc++) {
		const struct insn *in = &c->ins[pc];
		uint64_t w = (uint32_t)in->a | (uint64_t)(uint32_t)in->b << 32;
		struct mval *a = sp >= 1 ? &st[sp - 1] : NULL;
		switch ((enum op)in->op) {
		case OP_CONST: st[sp++] = ms(c->consts[in->a]); break;
		case OP_ROOT: st[sp++] = ms(vm->facts->root[in->a]); break;
		case OP_LET: st[sp++] = ms(vm->lets[in->a]); break;
		case OP_CTX: st[sp++] = ms(vm->ctx[in->a]); break;
		case OP_PARAM: st[sp++] = ms(vm->pol->params[in->a].vals[vm->param_ver[in->a]].v); break;
		case OP_PATH1: case OP_PATH2: case OP_PATH3: st[sp++] = ms(op_path(in, leaf)); break;
		case OP_LEAVES2: case OP_LEAVES3: case OP_LEAVES4:
			for (int k = 0; k < 2 + (in->op - OP_LEAVES2); k++)
				st[sp++] = ms(LEAF(w, k));
			break;
		case OP_INLIST2L: case OP_INMASK2L: case OP_INMSET2L: case OP_INMSET2L_AND: {
			struct mval v;
			if (!month_leaf((uint32_t)w & 0xffff)) {
				v = ms(in->op == OP_INLIST2L ? op_inlist2l(in, leaf)
				       : in->op == OP_INMASK2L ? op_inmask2l(in, leaf) : op_inmset2l(in, leaf));
			} else {
				struct pval l = LEAF(w, 1);
				if (!l.present)
					v = ml(0, 0);
				else if (in->op == OP_INLIST2L || in->op == OP_INMASK2L)
					v = ml(month_in_list(in, l), MONTHS);
				else /* a month set: months marked missing are missing */
					v = ml((uint64_t)l.i, MONTHS & ~((uint64_t)l.i >> 16));
			}
			if (in->op == OP_INMSET2L_AND)
				*a = m_and(*a, v);
			else
				st[sp++] = v;
			break;
		}
		case OP_OVERLAPS_MONTH4L: st[sp++] = ms(op_ovm4l(in, leaf)); break;
		case OP_OVERLAPS_MONTH4L_AND: *a = m_and(*a, ms(op_ovm4l(in, leaf))); break;
		case OP_AND: sp--; st[sp - 1] = m_and(st[sp - 1], st[sp]); break;
		case OP_OR: sp--; st[sp - 1] = m_or(st[sp - 1], st[sp]); break;
		case OP_NOT:
			if (a->lane)
				a->t = a->p & ~a->t;
			else if (a->v.present)
				a->v.i = !a->v.i;
			break;
		case OP_CMPK: a->v = op_cmpk(c, in, a->v); break;
		case OP_INRANGEK: a->v = op_inrangek(c, in, a->v); break;
		case OP_PRESENT: a->v = I(a->v.present); break;
		case OP_PINDEX: {
			const struct pparam *pp = &vm->pol->params[in->a];
			a->v = a->v.present ? keyed(pp->vals[vm->param_ver[in->a]].v.p, a->v.i) : MISSING;
			break;
		}
		case OP_FIELD:
			a->v = a->v.present ? ((const struct pval *)a->v.p)[in->a] : MISSING;
			break;
		default: /* not in pol_vm_month_form() */
			*t = *p = 0;
			return;
		}
	}
	struct mval r = sp > 0 ? as_lanes(st[sp - 1]) : ml(0, 0);
	*t = r.t;
	*p = r.p;
}

/* a straight code (pol_fast_straight()): each instruction as run() does it, in a register */
static inline __attribute__((always_inline)) struct pval run_straight(struct pol_vm *vm, const struct code *c,
								     const struct pval *const *leaf)
{
	const struct insn *in = &c->ins[0];
	struct pval v;

	switch ((enum op)in->op) {
	case OP_CONST: v = c->consts[in->a]; break;
	case OP_ROOT: v = vm->facts->root[in->a]; break;
	case OP_LET: v = vm->lets[in->a]; break;
	case OP_CTX: v = vm->ctx[in->a]; break;
	case OP_PARAM: v = vm->pol->params[in->a].vals[vm->param_ver[in->a]].v; break;
	case OP_INLIST2L: v = op_inlist2l(in, leaf); break;
	case OP_INMASK2L: v = op_inmask2l(in, leaf); break;
	case OP_INMSET2L: v = op_inmset2l(in, leaf); break;
	case OP_OVERLAPS_MONTH4L: v = op_ovm4l(in, leaf); break;
	default: v = op_path(in, leaf); break; /* OP_PATH1..3 */
	}
	for (int k = 1; k < c->n; k++) {
		in = &c->ins[k];
		switch ((enum op)in->op) {
		case OP_CMPK: v = op_cmpk(c, in, v); break;
		case OP_INRANGEK: v = op_inrangek(c, in, v); break;
		case OP_NOT: if (v.present) v.i = !v.i; break;
		case OP_NEG: if (v.present) v.i = -v.i; break;
		case OP_TODEC: if (v.present) v.i *= 100; break;
		case OP_PRESENT: v = I(v.present); break;
		case OP_YEAR_OF: if (v.present) v.i = year_of(v.i); break;
		case OP_FIELD: v = v.present ? ((const struct pval *)v.p)[in->a] : MISSING; break;
		case OP_PINDEX: {
			const struct pparam *pp = &vm->pol->params[in->a];
			v = v.present ? keyed(pp->vals[vm->param_ver[in->a]].v.p, v.i) : MISSING;
			break;
		}
		case OP_INMSET2L_AND: v = op_and(v, op_inmset2l(in, leaf)); break;
		case OP_BINL: v = op_binl(in, leaf, v); break;
		default: v = op_and(v, op_ovm4l(in, leaf)); break; /* OP_OVERLAPS_MONTH4L_AND */
		}
	}
	return v;
}

struct pval pol_vm_run(struct pol_vm *vm, const struct code *c)
{
	if (!c->ok)
		return MISSING;
	leaves_t lv = {c->consts, vm->lets, vm->locals, vm->ctx, vm->facts ? vm->facts->root : NULL};
	if (c->straight && !vm->trace)
		return run_straight(vm, c, lv);
	return run(vm, c, &lv, 0, c->n);
}

struct pol_iv pol_vm_value(struct pol_vm *vm, const struct code *c)
{
	struct pval r;

	if (!c->ok)
		return (struct pol_iv){0, 0};
	leaves_t lv = {c->consts, vm->lets, vm->locals, vm->ctx, vm->facts ? vm->facts->root : NULL};
	r = c->straight && !vm->trace ? run_straight(vm, c, lv) : run(vm, c, &lv, 0, c->n);
	return (struct pol_iv){r.i, r.present};
}
