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

static long month_days(int64_t y, int64_t m, int last)
{
	struct civil_date d = {(int)y, (int)m, 1};

	if (y < 1 || y > 9999 || m < 1 || m > 12)
		return 0;
	if (!last)
		return date_to_days(d);
	if (m == 12) {
		d.y++;
		d.m = 1;
	} else {
		d.m++;
	}
	return d.y > 9999 ? date_to_days((struct civil_date){9999, 12, 31}) : date_to_days(d) - 1;
}

static struct pval run(struct pol_vm *vm, const struct code *c, int pc, int end);

/* count/sum/any/all over a list or range; the body is c->ins[pc+1 .. pc+1+b) */
static struct pval loop(struct pol_vm *vm, const struct code *c, int pc, struct pval list)
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
		struct pval r = run(vm, c, pc + 1, pc + 1 + in->b);
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

static struct pval run(struct pol_vm *vm, const struct code *c, int pc, int end)
{
	struct pval st[POL_MAX_STACK + 2];
	int sp = 0;

	for (; pc < end; pc++) {
		const struct insn *in = &c->ins[pc];
		struct pval *a = sp >= 1 ? &st[sp - 1] : NULL, *b = sp >= 2 ? &st[sp - 2] : NULL;
		/* for binary ops: x = st[sp-2], y = st[sp-1]; the result replaces x */
		struct pval x = b ? *b : MISSING, y = a ? *a : MISSING;
		int both = x.present && y.present;

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
			struct pval v = both ? keyed(x.p, y.i) : MISSING;
			if (vm->trace && in->b >= 0 && y.present)
				trace_read(vm, &c->paths[in->b], 1, y.i, v);
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
			if ((x.present && !x.i) || (y.present && !y.i))
				st[sp - 1] = I(0);
			else
				st[sp - 1] = both ? I(1) : MISSING;
			break;
		case OP_OR:
			sp--;
			if ((x.present && x.i) || (y.present && y.i))
				st[sp - 1] = I(1);
			else
				st[sp - 1] = both ? I(0) : MISSING;
			break;
		case OP_ADD: sp--; st[sp - 1] = both ? I(x.i + y.i) : MISSING; break;
		case OP_SUB: sp--; st[sp - 1] = both ? I(x.i - y.i) : MISSING; break;
		case OP_MUL: sp--; st[sp - 1] = both ? I(x.i * y.i) : MISSING; break;
		case OP_EQ: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) == 0) : MISSING; break;
		case OP_NE: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) != 0) : MISSING; break;
		case OP_LT: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) < 0) : MISSING; break;
		case OP_LE: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) <= 0) : MISSING; break;
		case OP_GT: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) > 0) : MISSING; break;
		case OP_GE: sp--; st[sp - 1] = both ? I(cmpv(in, x, y) >= 0) : MISSING; break;
		case OP_MIN: sp--; st[sp - 1] = both ? (x.i <= y.i ? x : y) : MISSING; break;
		case OP_MAX: sp--; st[sp - 1] = both ? (x.i >= y.i ? x : y) : MISSING; break;
		case OP_INRANGE: {
			struct pval v = st[sp - 3];
			sp -= 2;
			st[sp - 1] = v.present && both ? I(v.i >= x.i && v.i <= y.i) : MISSING;
			break;
		}
		case OP_INLIST: {
			struct pval r = MISSING;
			if (both) {
				const struct plist *l = y.p;
				r = I(0);
				for (size_t i = 0; i < l->n; i++)
					if (l->v[i].present &&
					    (in->t == PT_STR ? strcmp(l->v[i].p, x.p) == 0 : l->v[i].i == x.i))
						r = I(1);
			}
			st[--sp - 1] = r;
			break;
		}
		case OP_MKRANGE:
			sp--;
			st[sp - 1] = both && x.i >= -1000000 && y.i <= 1000000 && x.i <= y.i + 1
					 ? I((int64_t)((uint64_t)x.i << 32) | (uint32_t)y.i)
					 : MISSING;
			if (both && x.i > y.i)
				st[sp - 1] = I((int64_t)((uint64_t)1 << 32)); /* empty: 1..0 */
			break;
		case OP_FLOOR: case OP_ROUND: case OP_CEIL:
			if (in->a == 0) {
				if (a->present)
					a->i = rounddiv(in->op, a->i, 100);
			} else {
				sp--;
				int64_t d = in->a == 2 ? y.i * 100 : y.i;
				st[sp - 1] = both && d != 0 ? I(rounddiv(in->op, x.i, d)) : MISSING;
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
		case OP_LOOP:
			*a = loop(vm, c, pc, *a);
			pc += in->b;
			break;
		case OP_PRESENT: *a = I(a->present); break;
		case OP_AGE_ON: {
			sp--;
			int age = both ? date_age_on(date_from_days(x.i), date_from_days(y.i)) : -1;
			st[sp - 1] = age >= 0 ? I(age) : MISSING;
			break;
		}
		case OP_ADD_YEARS: {
			sp--;
			struct civil_date d = both && y.i > -10000 && y.i < 10000
						      ? date_add_years(date_from_days(x.i), (int)y.i)
						      : (struct civil_date){0, 0, 0};
			st[sp - 1] = date_valid(d.y, d.m, d.d) ? I(date_to_days(d)) : MISSING;
			break;
		}
		case OP_YEAR_OF: if (a->present) a->i = date_from_days(a->i).y; break;
		case OP_MONTH_OF: if (a->present) a->i = date_from_days(a->i).m; break;
		case OP_DATE: {
			struct pval yy = st[sp - 3];
			sp -= 2;
			st[sp - 1] = yy.present && both && yy.i > 0 && yy.i < 10000 && x.i > 0 && x.i < 13 &&
						     y.i > 0 && y.i < 32 && date_valid((int)yy.i, (int)x.i, (int)y.i)
					     ? I(date_to_days((struct civil_date){(int)yy.i, (int)x.i, (int)y.i}))
					     : MISSING;
			break;
		}
		case OP_VALID_ON: { /* from, to, d: a missing to is open-ended */
			struct pval f = st[sp - 3];
			sp -= 2;
			st[sp - 1] = f.present && y.present ? I(f.i <= y.i && (!x.present || y.i <= x.i)) : MISSING;
			break;
		}
		case OP_OVERLAPS_MONTH: { /* from, to, y, m */
			struct pval f = st[sp - 4], t = st[sp - 3];
			sp -= 3;
			long s = both ? month_days(x.i, y.i, 0) : 0, e = both ? month_days(x.i, y.i, 1) : 0;
			st[sp - 1] = f.present && both && s ? I(f.i <= e && (!t.present || t.i >= s)) : MISSING;
			break;
		}
		case OP_OVERLAPS_YEAR: { /* from, to, y */
			struct pval f = st[sp - 3];
			sp -= 2;
			long s = y.present ? month_days(y.i, 1, 0) : 0, e = y.present ? month_days(y.i, 12, 1) : 0;
			st[sp - 1] = f.present && y.present && s ? I(f.i <= e && (!x.present || x.i >= s)) : MISSING;
			break;
		}
		case OP_JF:
			sp--;
			if (!(y.present && y.i))
				pc += in->a;
			break;
		case OP_JMP:
			pc += in->a;
			break;
		case OP_DIV: case OP_MKLIST:
			return MISSING;
		}
	}
	return sp > 0 ? st[sp - 1] : MISSING;
}

struct pval pol_vm_run(struct pol_vm *vm, const struct code *c)
{
	if (!c->ok)
		return MISSING;
	return run(vm, c, 0, c->n);
}
