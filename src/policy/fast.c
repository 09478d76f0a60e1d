/*
 * fast.c — counting evaluation without explanations (policy.h, "Counting without
 * explanations"): the rules of docs/policy-language.md "Evaluation" exactly as
 * eval.c applies them, for many beneficiaries, recording nothing but totals.
 *
 * It runs the same compiled expressions on the same VM (vm.c); what it saves is
 * the work eval.c does for the explanation and for listing entitlements:
 *   - guards: when the pack is prepared, each policy's bytecode is read to find the
 *     facts without which it cannot be eligible — a fact whose absence makes a
 *     condition missing or false (`person.self_identified.from` in
 *     overlaps_month(…)), or the amount missing (`person.tier.level` in
 *     annual_by_tier[…]), or the due year missing.  Facts are the same in every
 *     period, so when one of them is absent the policy is ineligible everywhere and
 *     is skipped before any period is judged (twelve months at once for a month
 *     policy).  The analysis follows the VM's rules for missing values operation by
 *     operation (see strict()); where it is unsure it assumes nothing.  Which of
 *     those facts a beneficiary has is read once per call, for every policy at once
 *     (present_paths());
 *   - copies of the bytecode without the OP_READ instructions that only record
 *     reads for explanations, and with the parts of a count/sum/any/all body that
 *     read no loop variable computed once before the loop instead of in every round,
 *     all in one run, rewritten with superinstructions (fast_code.c, fast_peep.c);
 *   - in a month policy, the parts of its conditions and amount that are the same
 *     every month computed once for its twelve judgements (month_hoist()), and
 *     overlaps_month(from, to, y, period.month) a test of the month in a set made once
 *     (month_sets()); when every condition then reads the month only through such tests
 *     (and `period.month in <list>`), joined by and/or/not, the twelve months are judged
 *     at once, a bit per month (months(), pol_vm_months()), and the amount, the same
 *     every month, is computed once;
 *   - a once policy is judged only when one of its instalments falls due in the
 *     period asked (eval.c judges it to find out that nothing is due) — the due
 *     years are worked out first whenever they read only facts (checked here,
 *     when the pack is prepared: an instalment due that reads `total` or a `let`
 *     name keeps eval.c's order);
 *   - an exclusive group is decided when a member first has something due in the
 *     year (need_group()), and the judgement made for it is reused for the member's
 *     own entitlements instead of judging it a second time;
 *   - `let` names are computed when a condition first needs them, so a failing
 *     condition that needs none skips them (expressions have no side effects);
 *   - the calendar of the months is a table made once, not date arithmetic per
 *     period.
 * The benchmark (bench/policy/run.sh) checks its totals against pol_enumerate() and a
 * hand-written loop on a million synthetic talents, and against the expected lists of
 * the hand-worked cases in tests/policy/cases.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "policy/fast_int.h"

#define CAL_Y0 1900
#define CAL_NY 300

#define MAX_PATHS 64 /* fact paths a policy's guard can name */
#define MAX_FIELDS 256 /* fields of a record a guard path may go through */
#define MAX_PATH_LEN 6

struct fpath { /* root (0 person, 1 enterprise, 2 the item) and field indexes */
	int root, n;
	int f[MAX_PATH_LEN];
};


struct fcode {
	struct xcode *lets, *conds, amount, due;
	struct xcode *idue, *iamount, *icond; /* per instalment */
	struct code *mtemps;  /* a month policy: the parts of its conditions and amount that are the */
	int nmtemps;          /* same every month, computed once into lets[nlets + k] (judge()) */
	int mt_joined;        /* … all by mtemps[0] (OP_SETLET each) */
	struct code *msets;   /* … then the month sets its conditions test (month_sets()), each */
	int nmsets;           /* ending in OP_SETLET */
	int months;           /* the twelve months judged at once (months()) */
};

struct fpol {
	struct fcode c;
	int npaths;
	struct fpath paths[MAX_PATHS];
	uint64_t guard;       /* paths that must all be present for the policy to be eligible */
	uint64_t need;        /* its paths from the person or the enterprise, as bits of f->rp */
	uint64_t item_guard;  /* its paths from the item (bits of paths) */
	int early_due;        /* every instalment's due reads facts only */
	int due_params;       /* the policy's due reads a parameter */
	int let_need_amount;  /* lets [0, n) needed by the amount */
	int let_need_inst;    /* … by the instalments */
	int *let_need_cond;   /* … by condition i */
	int reuse_ok;         /* a judgement can be reused (nothing after it reads lets) */
	int one_value;        /* every parameter has one value: its version is 0 from since on */
	long since;           /* … the latest of those values' since */
};

struct rpath_ent { /* a fact path from a root, by its parent path (prefixes come first) */
	int parent;       /* index in rp, -1 for a root itself */
	int root, field;  /* the root (parent -1), or the field of the parent record */
};

struct pol_fast {
	const struct pol_pack *pk;
	int max_params;               /* the most parameters of a policy */
	int nrp;                      /* every path from a root any guard names, and prefixes */
	struct rpath_ent rp[MAX_PATHS];
	struct { int16_t from, idx; } rq[MAX_PATHS]; /* rp for present_paths(): v[from] (0 for the roots, */
	                                              /* k + 1 for rp[k]) and its field idx (or root) */
	struct fpol *fp;
	uint64_t never;       /* policies never listed: a standard's tier policies */
	uint64_t on_root[2];  /* the policies of the person, of the enterprise */
	long cal[CAL_NY][13]; /* day number of the 1st of month m (1..12), and 1 Jan of the next year */
};

/* the number of lets [0, n) an expression needs: lets are computed in order and a let
 * reads only the ones before it, so up to the highest it reads */
static int let_need(const struct ppolicy *p, const struct code *c)
{
	int need = 0;

	if (!c->ok)
		return p->nlets; /* be safe: compute them all */
	for (int i = 0; i < c->n; i++)
		if (c->ins[i].op == OP_LET && c->ins[i].a + 1 > need)
			need = c->ins[i].a + 1;
	return need;
}

static int reads_ctx(const struct code *c, int slot)
{
	for (int i = 0; i < c->n; i++)
		if (c->ins[i].op == OP_CTX && c->ins[i].a == slot)
			return 1;
	return 0;
}

static int reads_param(const struct code *c)
{
	for (int i = 0; i < c->n; i++)
		if (c->ins[i].op == OP_PARAM || c->ins[i].op == OP_PINDEX)
			return 1;
	return 0;
}

static int reads_let(const struct code *c)
{
	for (int i = 0; i < c->n; i++)
		if (c->ins[i].op == OP_LET)
			return 1;
	return 0;
}

/* ---- guards: the facts without which a policy cannot be eligible ---- */

struct av {      /* what is known of a value on the VM stack */
	int path;    /* a fact path (index in fp->paths) read as it is, or -1 */
	uint64_t s;  /* paths any of which absent makes the value missing */
	uint64_t t;  /* paths any of which absent makes the value missing or false (t ⊇ s) */
};

static int path_id(struct fpol *fp, const struct fpath *p)
{
	for (int i = 0; i < fp->npaths; i++)
		if (fp->paths[i].root == p->root && fp->paths[i].n == p->n &&
		    memcmp(fp->paths[i].f, p->f, sizeof(int) * (size_t)p->n) == 0)
			return i;
	if (fp->npaths == MAX_PATHS)
		return -1;
	fp->paths[fp->npaths] = *p;
	return fp->npaths++;
}

static uint64_t bit(int id)
{
	return id >= 0 ? 1ULL << id : 0;
}

static struct av val(uint64_t s)
{
	struct av v = {-1, s, s};
	return v;
}

/*
 * Reads c as the VM would run it (vm.c run()), tracking for each stack value which
 * absent facts make it missing (s) or not true (t), and returns those of the result.
 * Operation by operation, from vm.c: a field of a missing record, an index or key
 * that is missing, arithmetic, comparisons, `in`, min/max, age_on, add_years, date,
 * year_of, month_of, count, rounding: missing when any operand is; valid_on and
 * overlaps_*: missing when `from` or the date/year/month is (a missing `to` is
 * open-ended); `not x` is missing when x is; `a and b` is not true when either is
 * not true, `a or b` when both are not; present(x) is false when x is missing;
 * count/sum/any/all are missing when the list is.  Anything else (if … then …
 * else, an operation not listed) stops the reading: nothing is assumed.
 */
static void strict(struct fpol *fp, const struct ppolicy *p, const struct code *c, const uint64_t *let_s,
		   const uint64_t *let_t, uint64_t *s, uint64_t *t)
{
	struct av st[POL_MAX_STACK + 8];
	int sp = 0;

	*s = *t = 0;
	if (!c->ok)
		return;
	for (int pc = 0; pc < c->n; pc++) {
		const struct insn *in = &c->ins[pc];
		struct av *a = sp >= 1 ? &st[sp - 1] : NULL, *b = sp >= 2 ? &st[sp - 2] : NULL;
		int need = 0;

		switch ((enum op)in->op) {
		case OP_READ: break;
		case OP_CONST: case OP_LOCAL: case OP_PARAM: need = -1; break;
		case OP_ROOT: case OP_CTX: {
			struct fpath fpth = {in->op == OP_ROOT ? in->a : 2, 0, {0}};
			if (in->op == OP_CTX && in->a != CTX_ITEM) {
				need = -1;
				break;
			}
			if (sp >= POL_MAX_STACK + 4)
				return;
			int id = path_id(fp, &fpth);
			st[sp++] = (struct av){id, bit(id), bit(id)};
			break;
		}
		case OP_LET:
			if (in->a < 0 || in->a >= p->nlets || sp >= POL_MAX_STACK + 4)
				return;
			st[sp++] = (struct av){-1, let_s[in->a], let_t[in->a]};
			break;
		case OP_FIELD:
			if (!a)
				return;
			if (a->path >= 0 && fp->paths[a->path].n < MAX_PATH_LEN) {
				struct fpath np = fp->paths[a->path];
				np.f[np.n++] = in->a;
				int id = path_id(fp, &np);
				*a = id >= 0 ? (struct av){id, bit(id), bit(id)} : val(a->s);
			} else {
				*a = val(a->s);
			}
			break;
		case OP_NOT: case OP_NEG: case OP_TODEC: case OP_YEAR_OF: case OP_MONTH_OF: case OP_COUNT:
		case OP_PINDEX:
			need = 1;
			break;
		case OP_LOOP:
			need = 1;
			pc += in->b; /* the body runs on its own stack; a missing list gives missing */
			break;
		case OP_FLOOR: case OP_ROUND: case OP_CEIL:
			need = in->a == 0 ? 1 : 2;
			break;
		case OP_PRESENT:
			if (!a)
				return;
			*a = (struct av){-1, 0, a->s};
			break;
		case OP_AND: case OP_OR:
			if (!b)
				return;
			*b = (struct av){-1, 0, in->op == OP_AND ? (a->t | b->t) : (a->t & b->t)};
			sp--;
			break;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_EQ: case OP_NE: case OP_LT: case OP_LE:
		case OP_GT: case OP_GE: case OP_MIN: case OP_MAX: case OP_INLIST: case OP_MKRANGE:
		case OP_AGE_ON: case OP_ADD_YEARS: case OP_INDEX:
			need = 2;
			break;
		case OP_INRANGE: case OP_DATE:
			need = 3;
			break;
		case OP_VALID_ON: case OP_OVERLAPS_YEAR: /* from, to, date or year: not `to` */
			if (sp < 3)
				return;
			st[sp - 3] = val(st[sp - 3].s | st[sp - 1].s);
			sp -= 2;
			break;
		case OP_OVERLAPS_MONTH: /* from, to, year, month: not `to` */
			if (sp < 4)
				return;
			st[sp - 4] = val(st[sp - 4].s | st[sp - 2].s | st[sp - 1].s);
			sp -= 3;
			break;
		default: /* OP_JF, OP_JMP (if … then … else), OP_DIV, OP_MKLIST: assume nothing */
			return;
		}
		if (need < 0) { /* pushes a value that no fact makes missing */
			if (sp >= POL_MAX_STACK + 4)
				return;
			st[sp++] = val(0);
		} else if (need > 0) { /* replaces `need` operands with a value missing when any is */
			uint64_t u = 0;
			if (sp < need)
				return;
			for (int k = 1; k <= need; k++)
				u |= st[sp - k].s;
			sp -= need - 1;
			st[sp - 1] = val(u);
		}
	}
	if (sp >= 1) {
		*s = st[sp - 1].s;
		*t = st[sp - 1].t;
	}
}

/* the guard of policy p: the due year (once), every condition, the amount */
static void guard_of(struct fpol *fp, const struct ppolicy *p)
{
	uint64_t let_s[32], let_t[32], s, t;

	for (int i = 0; i < p->nlets && i < 32; i++)
		strict(fp, p, &p->lets[i].c, let_s, let_t, &let_s[i], &let_t[i]);
	fp->guard = 0;
	if (p->period == PER_ONCE && p->has_due) {
		strict(fp, p, &p->due, let_s, let_t, &s, &t);
		fp->guard |= s;
	}
	for (int i = 0; i < p->nconds; i++) {
		strict(fp, p, &p->conds[i], let_s, let_t, &s, &t);
		fp->guard |= t;
	}
	strict(fp, p, &p->amount, let_s, let_t, &s, &t);
	fp->guard |= s;
}

/* the index in f->rp of path pa truncated to n fields (registering it and its prefixes),
 * or -1 when the table is full */
static int rpath_id(struct pol_fast *f, const struct fpath *pa, int n)
{
	int parent = n == 0 ? -1 : rpath_id(f, pa, n - 1);
	int field = n == 0 ? -1 : pa->f[n - 1];

	if (n > 0 && (parent < 0 || field < 0 || field >= MAX_FIELDS))
		return -1;
	for (int i = 0; i < f->nrp; i++)
		if (f->rp[i].parent == parent && f->rp[i].root == pa->root && f->rp[i].field == field)
			return i;
	if (f->nrp == MAX_PATHS)
		return -1;
	f->rp[f->nrp] = (struct rpath_ent){parent, pa->root, field};
	f->rq[f->nrp].from = (int16_t)(parent + 1);
	f->rq[f->nrp].idx = (int16_t)(parent < 0 ? pa->root : field);
	return f->nrp++;
}

/* splits a policy's guard into paths from a root (f->rp bits) and paths from the item;
 * a path that does not fit the table is left out (the guard only gets weaker) */
static void guard_split(struct pol_fast *f, struct fpol *fp)
{
	fp->need = fp->item_guard = 0;
	for (int k = 0; k < fp->npaths; k++) {
		if (!(fp->guard >> k & 1))
			continue;
		if (fp->paths[k].root == 2) {
			fp->item_guard |= 1ULL << k;
		} else {
			int id = rpath_id(f, &fp->paths[k], fp->paths[k].n);
			fp->need |= bit(id);
		}
	}
}

/* which paths of f->rp are present in the facts: one field read per path, without a
 * branch on presence (a missing record reads its fields from an empty one) */
static uint64_t present_paths(const struct pol_fast *f, const struct pol_facts *facts)
{
	static const struct pval empty[MAX_FIELDS];
	const struct pval *rec[MAX_PATHS + 1]; /* rec[k + 1]: the fields of path k, empty when it is not
						* a present record; rec[0]: the roots.  Pointers, not copies:
						* the facts were just written, a copy would wait on those stores */
	uint64_t present = 0;

	rec[0] = facts->root;
	for (int k = 0; k < f->nrp; k++) { /* no branch: a missing record reads an empty one */
		const struct pval *q = rec[f->rq[k].from] + f->rq[k].idx;
		const struct pval *fields = q->p; /* read either way: a conditional move, not a branch */
		const int pr = q->present != 0;
		rec[k + 1] = __builtin_expect_with_probability(pr, 1, 0.5) ? fields : empty;
		present |= (uint64_t)pr << k;
	}
	return present;
}

/* whether every item path of the guard is present in item */
static int item_guard_holds(const struct fpol *fp, struct pval item)
{
	uint64_t g = fp->item_guard;

	while (g) {
		const struct fpath *pa = &fp->paths[__builtin_ctzll(g)];
		struct pval v = item;
		g &= g - 1;
		for (int k = 0; k < pa->n && v.present; k++)
			v = ((const struct pval *)v.p)[pa->f[k]];
		if (!v.present)
			return 0;
	}
	return 1;
}

static void fcode_free(struct fcode *c, const struct ppolicy *p)
{
	for (int k = 0; c->lets && k < p->nlets; k++)
		fast_xcode_free(&c->lets[k]);
	for (int k = 0; c->conds && k < p->nconds; k++)
		fast_xcode_free(&c->conds[k]);
	for (int k = 0; k < p->ninst; k++) {
		if (c->idue)
			fast_xcode_free(&c->idue[k]);
		if (c->iamount)
			fast_xcode_free(&c->iamount[k]);
		if (c->icond)
			fast_xcode_free(&c->icond[k]);
	}
	fast_xcode_free(&c->amount);
	fast_xcode_free(&c->due);
	for (int k = 0; k < c->nmtemps; k++)
		free(c->mtemps[k].ins);
	free(c->mtemps);
	for (int k = 0; k < c->nmsets; k++)
		free(c->msets[k].ins);
	free(c->msets);
	free(c->lets);
	free(c->conds);
	free(c->idue);
	free(c->iamount);
	free(c->icond);
}

/* a month policy's expression x (stripped): its parts that are the same every month moved
 * to c->mtemps, into lets[nlets + c->nmtemps …] */
static int month_hoist(struct fcode *c, const struct ppolicy *p, struct xcode *x)
{
	int slot0 = p->nlets + c->nmtemps, max = 16 - c->nmtemps;

	if (max <= 0 || slot0 + max > 24) /* keep room for loop-invariant parts */
		return 0;
	if (fast_xcode_hoist(x, slot0, max, 1))
		return -1;
	if (x->ntemps > 0) {
		struct code *m = realloc(c->mtemps, sizeof(struct code) * (size_t)(c->nmtemps + x->ntemps));
		if (!m)
			return -1;
		c->mtemps = m;
		for (int k = 0; k < x->ntemps; k++) {
			m[c->nmtemps++] = x->temps[k];
			if (pol_fast_peephole(&m[c->nmtemps - 1]))
				return -1;
		}
	}
	free(x->temps);
	x->temps = NULL;
	x->ntemps = 0;
	return 0;
}

/* a month policy's leaf w (16 bits) is the same in every month, and known once the
 * month-invariant parts are: not the month or its bounds, a loop variable, a let of the policy
 * (computed by judgement) or a spare let above the month-invariant parts */
static int month_fixed(uint32_t w, int nlets, int nmt)
{
	int kind = (w >> 13) & 7, idx = w & 0x1fff;
	if (kind == PL_LOCAL || (kind == PL_CTX && (idx == CTX_MONTH || idx == CTX_START || idx == CTX_END)))
		return 0;
	return kind != PL_LET || (idx >= nlets && idx < nlets + nmt);
}

/* In a month policy's condition x, overlaps_month(from, to, y, period.month) whose from, to and
 * y are the same every month becomes a test of the month in a set (OP_INMSET2L) made once with
 * the month-invariant parts: c->msets, into lets [slot0, slot0 + max) (fast_month_sets() for
 * the policy's months); nmt lets above the policy's hold the month-invariant parts.  0, or -1
 * when out of memory. */
static int month_sets(struct fcode *c, const struct ppolicy *p, struct xcode *x, int nmt, int slot0, int max)
{
	struct code *m = &x->main;

	for (int i = 0; i < m->n; i++) {
		struct insn *in = &m->ins[i];
		uint32_t w = (uint32_t)in->a, v = (uint32_t)in->b;
		if ((in->op != OP_OVERLAPS_MONTH4L && in->op != OP_OVERLAPS_MONTH4L_AND) || c->nmsets >= max ||
		    ((v >> 29) & 7) != PL_CTX || ((v >> 16) & 0x1fff) != CTX_MONTH ||
		    !month_fixed(w & 0xffff, p->nlets, nmt) || !month_fixed(w >> 16, p->nlets, nmt) ||
		    !month_fixed(v & 0xffff, p->nlets, nmt))
			continue;
		struct code *ms = realloc(c->msets, sizeof(struct code) * (size_t)(c->nmsets + 1));
		struct insn *ins = malloc(sizeof(struct insn) * 3);
		if (ms)
			c->msets = ms;
		if (!ms || !ins) {
			free(ins);
			return -1;
		}
		int slot = slot0 + c->nmsets;
		ins[0] = (struct insn){OP_LEAVES3, 0, (int32_t)w, (int32_t)(v & 0xffff)};
		ins[1] = (struct insn){OP_MONTHSET, 0, 0, 0};
		ins[2] = (struct insn){OP_SETLET, 0, slot, 0};
		ms[c->nmsets] = *m; /* its constants */
		ms[c->nmsets].ins = ins;
		ms[c->nmsets].n = 3;
		ms[c->nmsets].straight = 0;
		c->nmsets++;
		in->op = in->op == OP_OVERLAPS_MONTH4L ? OP_INMSET2L : OP_INMSET2L_AND;
		in->a = (int32_t)((v >> 16) | (uint32_t)(PL_LET << 13 | slot) << 16); /* the month, the set */
		in->b = 0;
	}
	pol_fast_straight(m);
	return 0;
}

static int count_op(const struct code *c, int op)
{
	int n = 0;
	for (int i = 0; i < c->n; i++)
		n += c->ins[i].op == op;
	return n;
}

static int fcode_make(struct fcode *c, const struct ppolicy *p)
{
	int rc = 0, n = p->nlets; /* spare let slots: [nlets, 32) */
	size_t ni = (size_t)p->ninst + 1;

	c->lets = calloc((size_t)p->nlets + 1, sizeof(struct xcode));
	c->conds = calloc((size_t)p->nconds + 1, sizeof(struct xcode));
	c->idue = calloc(ni, sizeof(struct xcode));
	c->iamount = calloc(ni, sizeof(struct xcode));
	c->icond = calloc(ni, sizeof(struct xcode));
	if (!c->lets || !c->conds || !c->idue || !c->iamount || !c->icond)
		return -1;
	if (p->period == PER_MONTH) { /* the conditions and the amount: what is the same every month */
		for (int k = 0; k < p->nconds && !rc; k++)
			rc |= fast_xcode_strip(&c->conds[k], &p->conds[k]) || month_hoist(c, p, &c->conds[k]);
		rc |= rc || fast_xcode_strip(&c->amount, &p->amount) || month_hoist(c, p, &c->amount);
		if (rc)
			return -1;
		n += c->nmtemps;
		int joinable = c->nmtemps > 1;
		for (int k = 0; k < c->nmtemps; k++) /* from different expressions: no constants */
			joinable &= !pol_fast_reads_consts(&c->mtemps[k]);
		if (joinable) { /* one code computes them all */
			struct code all = c->mtemps[0];
			all.ins = NULL;
			all.n = 0;
			if (pol_fast_join(&all, c->mtemps, c->nmtemps, p->nlets))
				return -1;
			for (int k = 0; k < c->nmtemps; k++)
				free(c->mtemps[k].ins);
			c->mtemps[0] = all;
			c->nmtemps = 1;
			c->mt_joined = 1;
		}
		int nmt = n - p->nlets, nsets = 0; /* the month-invariant parts' lets; room for month sets */
		for (int k = 0; k < p->nconds; k++)
			nsets += count_op(&c->conds[k].main, OP_OVERLAPS_MONTH);
		if (nsets > 8 || n + nsets > 24)
			nsets = 0;
		for (int k = 0; k < p->nconds; k++)
			rc |= fast_xcode_finish(&c->conds[k], n + nsets);
		rc |= fast_xcode_finish(&c->amount, n + nsets);
		for (int k = 0; k < p->nconds && !rc; k++)
			rc |= month_sets(c, p, &c->conds[k], nmt, n, nsets);
		n += nsets;
		/* the twelve months at once: every condition in month form, the amount the same every
		 * month (no month, no let of the policy, one value per parameter) */
		c->months = !rc && p->nlets == 0 && p->nconds > 0 && !reads_ctx(&p->amount, CTX_MONTH) &&
			    !reads_ctx(&p->amount, CTX_START) && !reads_ctx(&p->amount, CTX_END);
		for (int k = 0; k < p->nconds && c->months; k++)
			c->months = pol_vm_month_form(&c->conds[k].main);
	} else {
		for (int k = 0; k < p->nconds; k++)
			rc |= fast_xcode_make(&c->conds[k], &p->conds[k], n);
		rc |= fast_xcode_make(&c->amount, &p->amount, n);
	}
	for (int k = 0; k < p->nlets; k++)
		rc |= fast_xcode_make(&c->lets[k], &p->lets[k].c, n);
	if (p->has_due)
		rc |= fast_xcode_make(&c->due, &p->due, n);
	for (int k = 0; k < p->ninst; k++) {
		if (p->inst[k].has_due)
			rc |= fast_xcode_make(&c->idue[k], &p->inst[k].due, n);
		if (p->inst[k].has_amount)
			rc |= fast_xcode_make(&c->iamount[k], &p->inst[k].amount, n);
		if (p->inst[k].has_cond)
			rc |= fast_xcode_make(&c->icond[k], &p->inst[k].cond, n);
	}
	return rc;
}

struct pol_fast *pol_fast_new(const struct pol_pack *pk)
{
	struct pol_fast *f;

	if (!pk || pk->npolicies > POL_TOTALS_MAX || pk->ngroups > 16)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->fp = calloc((size_t)pk->npolicies + 1, sizeof(struct fpol)))) {
		free(f);
		return NULL;
	}
	f->pk = pk;
	for (int y = 0; y < CAL_NY; y++) {
		for (int m = 1; m <= 12; m++)
			f->cal[y][m - 1] = date_to_days((struct civil_date){CAL_Y0 + y, m, 1});
		f->cal[y][12] = date_to_days((struct civil_date){CAL_Y0 + y + 1, 1, 1});
	}
	for (int i = 0; i < pk->npolicies; i++) {
		const struct ppolicy *p = pk->policies[i];
		struct fpol *x = &f->fp[i];

		x->let_need_cond = calloc((size_t)p->nconds + 1, sizeof(int));
		if (!x->let_need_cond || fcode_make(&x->c, p)) {
			pol_fast_free(f);
			return NULL;
		}
		for (int k = 0; k < p->nconds; k++)
			x->let_need_cond[k] = let_need(p, &p->conds[k]);
		x->let_need_amount = let_need(p, &p->amount);
		x->early_due = 1;
		for (int k = 0; k < p->ninst; k++) {
			const struct pinst *in = &p->inst[k];
			int n = 0;
			if (in->has_due && (reads_ctx(&in->due, CTX_TOTAL) || reads_let(&in->due) ||
					    reads_ctx(&in->due, CTX_DUE_YEAR)))
				x->early_due = 0;
			if (in->has_due && (n = let_need(p, &in->due)) > x->let_need_inst)
				x->let_need_inst = n;
			if (in->has_amount && (n = let_need(p, &in->amount)) > x->let_need_inst)
				x->let_need_inst = n;
			if (in->has_cond && (n = let_need(p, &in->cond)) > x->let_need_inst)
				x->let_need_inst = n;
		}
		/* eval.c runs a policy's `due` with the parameter versions of the policy it judged
		 * before (an index into another policy's parameters); here they are the versions
		 * in force on 1 January of the year asked */
		x->due_params = p->has_due && reads_param(&p->due);
		if (p->ninst > 16) /* more than once() keeps due years for */
			x->early_due = 0;
		x->reuse_ok = x->let_need_inst == 0;
		x->one_value = 1;
		x->since = LONG_MIN;
		for (int k = 0; k < p->nparams; k++) {
			if (p->params[k].nvals != 1)
				x->one_value = 0;
			else if (p->params[k].vals[0].since_days > x->since)
				x->since = p->params[k].vals[0].since_days;
		}
		guard_of(x, p);
		guard_split(f, x);
		if (p->kind == KIND_TIER)
			f->never |= 1ULL << i;
		f->on_root[p->root != 0] |= 1ULL << i;
		if (p->nparams > f->max_params)
			f->max_params = p->nparams < 32 ? p->nparams : 32;
	}
	return f;
}

void pol_fast_free(struct pol_fast *f)
{
	if (!f)
		return;
	for (int i = 0; f->fp && i < f->pk->npolicies; i++) {
		free(f->fp[i].let_need_cond);
		fcode_free(&f->fp[i].c, f->pk->policies[i]);
	}
	free(f->fp);
	free(f);
}

/* ---- one beneficiary ---- */

struct verdict {
	int eligible;
	int64_t total;
};

struct cache { /* a judgement made for a group, by policy */
	int valid, year, month;
	struct verdict v;
};

struct group_dec {
	int decided;
	int winner; /* policy index, -1 none */
};

struct fx {
	const struct pol_fast *f;
	int mt_pi;            /* the policy whose month-invariant parts are in the lets, or -1 */
	int year;             /* the year asked */
	struct group_dec gd[16];
	uint64_t present;     /* present_paths() of the facts */
	struct pol_vm vm;
	int nlets_done;
	struct cache cache[POL_TOTALS_MAX];
};

static long month_start(const struct pol_fast *f, int y, int m)
{
	if (y >= CAL_Y0 && y < CAL_Y0 + CAL_NY)
		return f->cal[y - CAL_Y0][m - 1];
	return date_to_days((struct civil_date){y, m, 1});
}

static long next_start(const struct pol_fast *f, int y, int m) /* the 1st of the month after */
{
	if (y >= CAL_Y0 && y < CAL_Y0 + CAL_NY)
		return f->cal[y - CAL_Y0][m];
	return m == 12 ? date_to_days((struct civil_date){y + 1, 1, 1})
		       : date_to_days((struct civil_date){y, m + 1, 1});
}

/* the policy the VM runs; anything run for another policy (or another item) may have
 * overwritten the lets beyond nlets, where the month-invariant parts are kept */
static inline void set_pol(struct fx *x, const struct ppolicy *p)
{
	x->vm.pol = p;
	x->mt_pi = -1;
}

/* as eval.c set_period(): the period is year y (month 0) or month m of y */
static void set_period(struct fx *x, int year, int month)
{
	struct pol_vm *vm = &x->vm;

	vm->ctx[CTX_YEAR] = (struct pval){year, NULL, 1};
	vm->ctx[CTX_MONTH] = (struct pval){month, NULL, 1};
	if (year >= 1 && year < 9999) {
		vm->ctx[CTX_START] = (struct pval){month_start(x->f, year, month ? month : 1), NULL, 1};
		vm->ctx[CTX_END] = (struct pval){next_start(x->f, year, month ? month : 12) - 1, NULL, 1};
	} else { /* 9999-12 has no next month: as eval.c, through date_to_days */
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int last = month ? mdays[month - 1] + (month == 2 && date_valid(year, 2, 29)) : 31;
		vm->ctx[CTX_START] = (struct pval){date_to_days((struct civil_date){year, month ? month : 1, 1}), NULL, 1};
		vm->ctx[CTX_END] = (struct pval){date_to_days((struct civil_date){year, month ? month : 12, last}), NULL, 1};
	}
}

/* runs an expression: its hoisted parts, then itself */
static struct pval xrun(struct fx *x, const struct xcode *c)
{
	for (int k = 0; k < c->ntemps; k++)
		x->vm.lets[c->slot0 + k] = pol_vm_run(&x->vm, &c->temps[k]);
	return pol_vm_run(&x->vm, &c->main);
}

/* … its integer and presence only (conditions, amounts, due years) */
static struct pol_iv xval(struct fx *x, const struct xcode *c)
{
	for (int k = 0; k < c->ntemps; k++)
		x->vm.lets[c->slot0 + k] = pol_vm_run(&x->vm, &c->temps[k]);
	return pol_vm_value(&x->vm, &c->main);
}

/* computes the lets [nlets_done, n) of policy pi */
static inline void lets_upto(struct fx *x, int pi, int n)
{
	if (x->nlets_done >= n)
		return; /* the usual case: nothing to compute */
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct xcode *lets = x->f->fp[pi].c.lets;

	for (; x->nlets_done < n && x->nlets_done < p->nlets; x->nlets_done++)
		x->vm.lets[x->nlets_done] = xrun(x, &lets[x->nlets_done]);
}

/* the parameters' versions in force on the first day of the period; 0 when one has none */
static int set_params(struct fx *x, int pi)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fpol *fp = &x->f->fp[pi];
	long start = x->vm.ctx[CTX_START].i;
	int ok = 1;

	if (fp->one_value) { /* the same as below, without searching */
		for (int i = 0; i < p->nparams; i++)
			x->vm.param_ver[i] = 0;
		return fp->since <= start;
	}
	for (int i = 0; i < p->nparams; i++) {
		const struct pparam *pp = &p->params[i];
		int ver = -1;
		for (int k = 0; k < pp->nvals; k++)
			if (pp->vals[k].since_days <= start)
				ver = k;
		if (ver < 0) {
			ok = 0;
			ver = 0;
		}
		x->vm.param_ver[i] = ver;
	}
	return ok;
}

/* a month policy's month-invariant parts, then its month sets: once for the twelve months
 * (see set_pol()) */
static void mt_run(struct fx *x, int pi)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fcode *c = &x->f->fp[pi].c;

	if (c->mt_joined)
		(void)pol_vm_run(&x->vm, &c->mtemps[0]);
	else
		for (int k = 0; k < c->nmtemps; k++)
			x->vm.lets[p->nlets + k] = pol_vm_run(&x->vm, &c->mtemps[k]);
	for (int k = 0; k < c->nmsets; k++)
		(void)pol_vm_run(&x->vm, &c->msets[k]);
	x->mt_pi = pi;
}

/* as eval.c judge() without an explanation: own conditions and amount for a period */
static struct verdict judge(struct fx *x, int pi, int year, int month)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fpol *fp = &x->f->fp[pi];
	struct verdict v = {0, 0};

	set_period(x, year, month);
	x->nlets_done = 0;
	if ((fp->c.nmtemps || fp->c.nmsets) && x->mt_pi != pi)
		mt_run(x, pi);
	if (!set_params(x, pi))
		return v; /* ineligible; a let read later is computed then, as eval.c computed it */
	for (int i = 0; i < p->nconds; i++) {
		lets_upto(x, pi, fp->let_need_cond[i]);
		struct pol_iv r = xval(x, &fp->c.conds[i]);
		if (!(r.present && r.i))
			return v;
	}
	lets_upto(x, pi, fp->let_need_amount);
	struct pol_iv a = xval(x, &fp->c.amount);
	if (a.present) {
		v.eligible = 1;
		v.total = a.i;
	}
	return v;
}

static int due_year(struct fx *x, const struct xcode *c, int year)
{
	if (c->uses_period) /* else the period is not read: the callers set their own */
		set_period(x, year, 0);
	struct pol_iv d = xval(x, c);
	return d.present && d.i >= 1 && d.i <= 9999 ? (int)d.i : -1;
}

/* the due year of policy pi for the year asked (see due_params) */
static int policy_due(struct fx *x, int pi, int year)
{
	const struct fpol *fp = &x->f->fp[pi];

	if (fp->due_params) {
		set_period(x, year, 0);
		set_params(x, pi);
	}
	return due_year(x, &fp->c.due, year);
}

/* the judgement of policy pi at (year, month), reusing one made for its group */
static struct verdict judge_cached(struct fx *x, int pi, int year, int month)
{
	struct cache *c = &x->cache[pi];

	if (c->valid && c->year == year && c->month == month && x->f->fp[pi].reuse_ok) {
		/* restore what the judgement left in the VM: the period, the parameter versions;
		 * lets are computed again when read */
		set_period(x, year, month);
		set_params(x, pi);
		x->nlets_done = 0;
		return c->v;
	}
	return judge(x, pi, year, month);
}

/* the exclusive group g for the year asked: its winner among the members eligible for
 * their period (a once policy at its due year), the highest total, the first in pack
 * order on a tie.  Decided when a member first needs it (need_group()): most
 * beneficiaries have nothing due from a group in the year, and then nothing is judged */
static void decide_group(struct fx *x, int g)
{
	const struct pol_pack *pk = x->f->pk;
	int64_t best = -1;
	int n = 0;

	x->gd[g].decided = 1;
	x->gd[g].winner = -1;
	for (int i = 0; i < pk->npolicies; i++) {
		const struct ppolicy *p = pk->policies[i];
		struct verdict s = {0, 0};
		int y = x->year, m = 0;
		if (p->group != g || p->item_field >= 0 || !x->vm.facts->root[p->root].present)
			continue;
		if (x->f->fp[i].need & ~x->present)
			continue; /* ineligible: not a candidate */
		set_pol(x, p);
		if (p->period == PER_ONCE) {
			y = p->has_due ? policy_due(x, i, x->year) : -1;
			if (y >= 0)
				s = judge(x, i, y, 0);
		} else {
			m = p->period == PER_MONTH ? 1 : 0;
			s = judge(x, i, x->year, m);
		}
		if (y >= 0) {
			x->cache[i] = (struct cache){1, y, m, s};
		}
		if (!s.eligible || n == 16)
			continue;
		n++;
		if (s.total > best) {
			best = s.total;
			x->gd[g].winner = i;
		}
	}
}

/* before policy pi is judged: its group decided (which runs other judgements, so the VM's
 * policy is set back; judge_cached() sets the rest) */
static void need_group(struct fx *x, int pi)
{
	const struct ppolicy *p = x->f->pk->policies[pi];

	if (p->group >= 0 && p->item_field < 0 && !x->gd[p->group].decided) {
		decide_group(x, p->group);
		set_pol(x, p);
	}
}

static void count(struct pol_totals *out, int pi, int status, int64_t amount)
{
	/* status: 0 granted, 1 excluded */
	if (status == 0) {
		out->granted[pi]++;
		out->amount[pi] += amount;
	} else {
		out->excluded[pi]++;
	}
}

/* as eval.c emit(): granted, excluded by the group's winner, or not listed */
static void emit(struct fx *x, int pi, int eligible, int64_t amount,
		 struct pol_totals *out)
{
	const struct ppolicy *p = x->f->pk->policies[pi];

	if (!eligible)
		return;
	if (p->group >= 0 && p->item_field < 0 && x->gd[p->group].winner >= 0 && x->gd[p->group].winner != pi)
		count(out, pi, 1, 0);
	else
		count(out, pi, 0, amount);
}

static void once(struct fx *x, int pi, int year, struct pol_totals *out)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fpol *fp = &x->f->fp[pi];
	struct pol_vm *vm = &x->vm;
	int d = p->has_due ? policy_due(x, pi, year) : -1;
	int dues[16];

	if (d < 0)
		return;
	if (p->ninst == 0) {
		if (d != year)
			return;
		need_group(x, pi);
		struct verdict v = judge_cached(x, pi, d, 0);
		emit(x, pi, v.eligible, v.total, out);
		return;
	}
	if (fp->early_due) { /* nothing due in this period: nothing to judge */
		int any = 0;
		set_period(x, d, 0); /* the parameter versions the judgement at d would set */
		set_params(x, pi);
		for (int k = 0; k < p->ninst && k < 16; k++) {
			dues[k] = p->inst[k].has_due ? due_year(x, &fp->c.idue[k], d) : -1;
			any |= dues[k] == year;
		}
		if (!any)
			return;
	}
	need_group(x, pi);
	struct verdict v = judge_cached(x, pi, d, 0);
	lets_upto(x, pi, p->nlets); /* instalments may read any let */
	int loser = p->group >= 0 && x->gd[p->group].winner >= 0 && x->gd[p->group].winner != pi;
	for (int k = 0; k < p->ninst; k++) {
		const struct pinst *in = &p->inst[k];
		int dk;
		set_period(x, d, 0);
		vm->ctx[CTX_TOTAL] = (struct pval){v.total, NULL, 1};
		if (fp->early_due && k < 16)
			dk = dues[k];
		else
			dk = in->has_due ? due_year(x, &fp->c.idue[k], d) : -1;
		if (dk != year)
			continue;
		set_period(x, d, 0);
		vm->ctx[CTX_TOTAL] = (struct pval){v.total, NULL, 1};
		struct pol_iv amt = xval(x, &fp->c.iamount[k]);
		int eligible = v.eligible;
		if (in->has_cond && eligible && !loser) {
			set_period(x, dk, 0);
			vm->ctx[CTX_DUE_YEAR] = (struct pval){dk, NULL, 1};
			struct pol_iv c = xval(x, &fp->c.icond[k]);
			if (!(c.present && c.i))
				eligible = 0;
		}
		if (!amt.present)
			eligible = 0;
		emit(x, pi, eligible, amt.present ? amt.i : 0, out);
	}
}

/* a month policy judged for the twelve months of year at once (fcode.months): the months in
 * which its parameters are in force (one value each), then those in which each condition is
 * true (pol_vm_months()); the amount, the same every month, computed once */
static void months(struct fx *x, int pi, int year, struct pol_totals *out)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fpol *fp = &x->f->fp[pi];
	uint64_t ok = 0, t, pr;

	need_group(x, pi);
	set_period(x, year, 1);
	x->nlets_done = 0;
	if ((fp->c.nmtemps || fp->c.nmsets) && x->mt_pi != pi)
		mt_run(x, pi);
	(void)set_params(x, pi); /* every version 0 */
	for (int m = 1; m <= 12; m++)
		ok |= (uint64_t)(fp->since <= month_start(x->f, year, m)) << m;
	for (int k = 0; k < p->nconds && ok; k++) {
		pol_vm_months(&x->vm, &fp->c.conds[k].main, &t, &pr);
		ok &= t;
	}
	if (!ok)
		return;
	set_period(x, year, __builtin_ctzll(ok));
	struct pol_iv a = xval(x, &fp->c.amount);
	for (; a.present && ok; ok &= ok - 1)
		emit(x, pi, 1, a.i, out);
}

static void one(struct fx *x, int pi, int year, struct pol_totals *out)
{
	const struct ppolicy *p = x->f->pk->policies[pi];
	const struct fpol *fp = &x->f->fp[pi];

	if (p->period == PER_ONCE) {
		once(x, pi, year, out);
		return;
	}
	if (p->period == PER_MONTH && fp->c.months && fp->one_value && year >= CAL_Y0 && year < CAL_Y0 + CAL_NY) {
		months(x, pi, year, out);
		return;
	}
	need_group(x, pi);
	for (int m = p->period == PER_MONTH ? 1 : 0; m <= (p->period == PER_MONTH ? 12 : 0); m++) {
		struct verdict v = judge_cached(x, pi, year, m);
		emit(x, pi, v.eligible, v.total, out);
	}
}

int pol_eval_counts(const struct pol_fast *f, const struct pol_facts *facts, int year,
		    struct pol_totals *out)
{
	const struct pol_pack *pk = f->pk;
	struct fx x;

	x.f = f;
	x.mt_pi = -1;
	x.year = year;
	for (int g = 0; g < pk->ngroups; g++)
		x.gd[g].decided = 0;
	x.vm.facts = facts;
	x.vm.trace = NULL;
	x.vm.nlocals = 0;
	for (int i = 0; i < f->max_params; i++) /* as eval.c's zeroed VM */
		x.vm.param_ver[i] = 0;
	for (int i = 0; i < CTX_N; i++)
		x.vm.ctx[i] = (struct pval){0, NULL, 0};
	for (int i = 0; i < pk->npolicies; i++)
		x.cache[i].valid = 0;
	x.present = present_paths(f, facts);
	/* the policies to run, decided at once without a branch each: not those without a
	 * beneficiary, a standard's tier policies (no entitlement, as eval.c), or those
	 * ineligible in every period (a guard fact absent): nothing is listed for them */
	uint64_t run = 0;
	for (int i = 0; i < pk->npolicies; i++)
		run |= (uint64_t)((f->fp[i].need & ~x.present) == 0) << i;
	run &= ~f->never & ((facts->root[0].present ? f->on_root[0] : 0) | (facts->root[1].present ? f->on_root[1] : 0));
	for (; run; run &= run - 1) {
		const int i = __builtin_ctzll(run);
		const struct ppolicy *p = pk->policies[i];
		const struct pval *root = &facts->root[p->root];

		set_pol(&x, p);
		x.vm.ctx[CTX_ITEM] = (struct pval){0, NULL, 0};
		if (p->item_field < 0) {
			one(&x, i, year, out);
			continue;
		}
		x.cache[i].valid = 0;
		const struct pval *lv = &((const struct pval *)root->p)[p->item_field];
		const struct plist *l = lv->present ? lv->p : NULL;
		for (size_t k = 0; l && k < l->n; k++) {
			if (!l->v[k].present || !item_guard_holds(&f->fp[i], l->v[k]))
				continue;
			x.vm.ctx[CTX_ITEM] = l->v[k];
			x.mt_pi = -1;
			one(&x, i, year, out);
		}
	}
	return 0;
}

void pol_totals_add(struct pol_totals *to, const struct pol_totals *from)
{
	for (int i = 0; i < POL_TOTALS_MAX; i++) {
		to->granted[i] += from->granted[i];
		to->excluded[i] += from->excluded[i];
		to->amount[i] += from->amount[i];
	}
}
