/*
 * eval.c — which entitlements a beneficiary has in a period, by the rules of
 * docs/policy-language.md "Evaluation": periods, per-item policies, once
 * policies and their instalments, exclusive groups (就高不重复).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/eval_int.h"

struct verdict {
	int eligible;
	int64_t total;
	int failed; /* index of the first failing condition, -1 none */
};

static long days(int y, int m, int d)
{
	return date_to_days((struct civil_date){y, m, d});
}

static void set_period(struct pol_vm *vm, int year, int month)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = month ? mdays[month - 1] + (month == 2 && date_valid(year, 2, 29)) : 31;

	vm->ctx[CTX_YEAR] = (struct pval){year, NULL, 1};
	vm->ctx[CTX_MONTH] = (struct pval){month, NULL, 1};
	vm->ctx[CTX_START] = (struct pval){days(year, month ? month : 1, 1), NULL, 1};
	vm->ctx[CTX_END] = (struct pval){days(year, month ? month : 12, last), NULL, 1};
}

/* Empties a trace: readers look only below its counts, so the arrays need no clearing. */
static void trace_reset(struct pol_trace *t)
{
	t->nreads = 0;
	t->nmissing = 0;
	t->npuses = 0;
}

static void cond_reset(struct expl_cond *c)
{
	c->expr = NULL;
	c->result = 0;
	trace_reset(&c->tr);
}

/*
 * Empties an explanation.  A memset of the whole struct cleared ~50 KB of trace arrays
 * for every policy and period judged, the larger part of a whole-population run's time.
 */
static void expl_reset(struct expl *x)
{
	x->nconds = 0;
	for (int i = 0; i < POL_MAX_CONDS; i++)
		cond_reset(&x->conds[i]);
	trace_reset(&x->lets_tr);
	memset(x->let_vals, 0, sizeof x->let_vals);
	trace_reset(&x->amount_tr);
	memset(&x->amount, 0, sizeof x->amount);
	x->no_param = NULL;
	x->has_inst_cond = 0;
	cond_reset(&x->inst_cond);
	memset(&x->inst_amount, 0, sizeof x->inst_amount);
	x->inst_amount_expr = NULL;
	memset(x->vers, 0, sizeof x->vers);
}

/*
 * Selects for every parameter of pol the value in force on day `start`; 0 when one has
 * none (the first value is then used so nothing reads out of range).  x, when given,
 * records the versions and the first parameter without a value.
 */
static int set_versions(struct pol_vm *vm, const struct ppolicy *pol, long start, struct expl *x)
{
	int ok = 1;
	for (int i = 0; i < pol->nparams; i++) {
		const struct pparam *pp = &pol->params[i];
		int ver = -1;
		for (int k = 0; k < pp->nvals; k++)
			if (pp->vals[k].since_days <= start)
				ver = k;
		if (ver < 0) {
			ok = 0;
			if (x && !x->no_param)
				x->no_param = pp->name;
			ver = 0;
		}
		vm->param_ver[i] = ver;
		if (x)
			x->vers[i] = ver;
	}
	return ok;
}

/* Judges pol's own conditions and amount for a period; x captures the explanation. */
static struct verdict judge(struct pol_vm *vm, const struct ppolicy *pol, int year, int month, struct expl *x)
{
	struct verdict v = {1, 0, -1};
	long start;

	set_period(vm, year, month);
	start = vm->ctx[CTX_START].i;
	if (x)
		expl_reset(x);
	if (!set_versions(vm, pol, start, x))
		v.eligible = 0;
	vm->trace = x ? &x->lets_tr : NULL;
	for (int i = 0; i < pol->nlets; i++) {
		vm->lets[i] = pol_vm_run(vm, &pol->lets[i].c);
		if (x)
			x->let_vals[i] = vm->lets[i];
	}
	for (int i = 0; i < pol->nconds; i++) {
		struct expl_cond *ec = x && i < POL_MAX_CONDS ? &x->conds[i] : NULL;
		vm->trace = ec ? &ec->tr : NULL;
		struct pval r = pol_vm_run(vm, &pol->conds[i]);
		int ok = r.present && r.i;
		if (ec) {
			ec->expr = pol->conds[i].text;
			ec->result = r.present ? (int)r.i : -1;
			x->nconds = i + 1;
		}
		if (!ok && v.failed < 0)
			v.failed = i;
		if (!ok) {
			v.eligible = 0;
			if (!x)
				return v;
		}
	}
	vm->trace = x ? &x->amount_tr : NULL;
	struct pval a = pol_vm_run(vm, &pol->amount);
	if (x)
		x->amount = a;
	vm->trace = NULL;
	if (!a.present)
		v.eligible = 0;
	v.total = a.present ? a.i : 0;
	return v;
}

/*
 * The due year of a once policy (or of an instalment), or -1 when its facts are missing.
 * pol given: its `due` is judged with pol's own parameter versions in force on 1 January
 * of `year` (never with those another policy left in the VM); an instalment's `due` runs
 * after judge() has set them.
 */
static int due_year(struct pol_vm *vm, const struct ppolicy *pol, const struct code *c, int year)
{
	set_period(vm, year, 0);
	if (pol)
		(void)set_versions(vm, pol, vm->ctx[CTX_START].i, NULL);
	struct pol_trace *save = vm->trace;
	vm->trace = NULL;
	struct pval d = pol_vm_run(vm, c);
	vm->trace = save;
	return d.present && d.i >= 1 && d.i <= 9999 ? (int)d.i : -1;
}

static struct pval field_of(const struct pol_pack *pk, int root, struct pval rec, const char *name)
{
	const struct prec *r = pk->root_t[root]->rec;
	struct pval none = {0, NULL, 0};

	if (!rec.present)
		return none;
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return ((const struct pval *)rec.p)[i];
	return none;
}

/* The judgement of a policy for group decisions: its own conditions at its own period. */
static struct verdict group_standing(struct pol_vm *vm, const struct ppolicy *pol, int year)
{
	struct verdict none = {0, 0, -1};

	if (pol->period == PER_ONCE) {
		int d = pol->has_due ? due_year(vm, pol, &pol->due, year) : -1;
		if (d < 0)
			return none;
		return judge(vm, pol, d, 0, NULL);
	}
	return judge(vm, pol, year, pol->period == PER_MONTH ? 1 : 0, NULL);
}

static void decide_groups(const struct pol_pack *pk, struct pol_vm *vm, int year, struct group_view *gv)
{
	for (int g = 0; g < pk->ngroups && g < 16; g++) {
		struct group_view *v = &gv[g];
		int64_t best = -1;

		memset(v, 0, sizeof(*v));
		v->id = g;
		for (int i = 0; i < pk->npolicies; i++) {
			const struct ppolicy *p = pk->policies[i];
			if (p->group != g || p->item_field >= 0 || !vm->facts->root[p->root].present)
				continue;
			vm->pol = p;
			struct verdict s = group_standing(vm, p, year);
			if (!s.eligible || v->n == 16)
				continue;
			v->cand[v->n] = p;
			v->total[v->n++] = s.total;
			if (s.total > best) { /* strictly greater: a tie keeps the earlier in order */
				best = s.total;
				v->winner = p;
			}
		}
	}
}

struct run {
	const struct pol_pack *pk;
	struct pol_vm *vm;
	int year, all;
	struct expl *x;
	ent_fn fn;
	void *arg;
	const struct group_view *gv;
};

static int emit(struct run *r, struct ent *e, struct verdict v)
{
	const struct ppolicy *p = e->pol;

	e->g = p->group >= 0 && p->group < 16 ? &r->gv[p->group] : NULL;
	if (!v.eligible) {
		e->status = ST_INELIGIBLE;
		e->failed = v.failed >= 0 ? p->conds[v.failed].text : NULL;
	} else if (e->g && p->item_field < 0 && e->g->winner && e->g->winner != p) {
		e->status = ST_EXCLUDED;
		e->excluded_by = e->g->winner;
	}
	if (e->status != ST_GRANTED)
		e->amount = 0;
	if (e->status == ST_INELIGIBLE && !r->all)
		return 0;
	e->x = r->x;
	return r->fn(r->arg, e);
}

static int once(struct run *r, struct ent *base)
{
	const struct ppolicy *p = base->pol;
	struct pol_vm *vm = r->vm;
	int d = p->has_due ? due_year(vm, p, &p->due, r->year) : -1;

	if (d < 0)
		return 0;
	struct verdict v = judge(vm, p, d, 0, r->x);
	if (p->ninst == 0) {
		if (d != r->year)
			return 0;
		struct ent e = *base;
		e.year = d;
		e.instalment = 1;
		e.amount = v.total;
		return emit(r, &e, v);
	}
	for (int k = 0; k < p->ninst; k++) {
		const struct pinst *in = &p->inst[k];
		set_period(vm, d, 0);
		vm->ctx[CTX_TOTAL] = (struct pval){v.total, NULL, 1};
		int dk = in->has_due ? due_year(vm, NULL, &in->due, d) : -1;
		if (dk != r->year)
			continue;
		set_period(vm, d, 0);
		vm->ctx[CTX_TOTAL] = (struct pval){v.total, NULL, 1};
		vm->trace = NULL;
		struct pval amt = pol_vm_run(vm, &in->amount);
		struct verdict vk = v;
		if (r->x) {
			r->x->inst_amount = amt;
			r->x->inst_amount_expr = in->amount.text;
			r->x->has_inst_cond = in->has_cond;
		}
		const struct group_view *g = p->group >= 0 && p->group < 16 ? &r->gv[p->group] : NULL;
		int loser = g && g->winner && g->winner != p;
		if (in->has_cond && vk.eligible && !loser) {
			struct expl_cond *ec = r->x ? &r->x->inst_cond : NULL;
			set_period(vm, dk, 0);
			vm->ctx[CTX_DUE_YEAR] = (struct pval){dk, NULL, 1};
			if (ec)
				cond_reset(ec);
			vm->trace = ec ? &ec->tr : NULL;
			struct pval c = pol_vm_run(vm, &in->cond);
			vm->trace = NULL;
			if (ec) {
				ec->expr = in->cond.text;
				ec->result = c.present ? (int)c.i : -1;
			}
			if (!(c.present && c.i)) {
				vk.eligible = 0;
				vk.failed = -1;
			}
		}
		if (!amt.present)
			vk.eligible = 0;
		struct ent e = *base;
		e.year = dk;
		e.instalment = k + 1;
		e.amount = amt.present ? amt.i : 0;
		int rc = emit(r, &e, vk);
		if (rc)
			return rc;
	}
	return 0;
}

static int one(struct run *r, struct ent *base)
{
	const struct ppolicy *p = base->pol;

	if (p->period == PER_ONCE)
		return once(r, base);
	for (int m = p->period == PER_MONTH ? 1 : 0; m <= (p->period == PER_MONTH ? 12 : 0); m++) {
		struct verdict v = judge(r->vm, p, r->year, m, r->x);
		struct ent e = *base;
		e.year = r->year;
		e.month = m;
		e.instalment = 1;
		e.amount = v.total;
		int rc = emit(r, &e, v);
		if (rc)
			return rc;
	}
	return 0;
}

int pol_enumerate(const struct pol_pack *pk, const struct pol_facts *f, int year, int all,
		  int explain, ent_fn fn, void *arg)
{
	struct pol_vm vm;
	struct group_view gv[16];
	struct run r = {pk, &vm, year, all, NULL, fn, arg, gv};
	int rc = 0;

	memset(&vm, 0, sizeof(vm));
	vm.facts = f;
	if (explain && !(r.x = malloc(sizeof(*r.x))))
		return -1;
	decide_groups(pk, &vm, year, gv);
	for (int i = 0; i < pk->npolicies && rc == 0; i++) {
		const struct ppolicy *p = pk->policies[i];
		struct pval root = f->root[p->root];
		struct ent base;

		if (!root.present || p->kind == KIND_TIER) /* a standard's tiers are no entitlements */
			continue;
		memset(&base, 0, sizeof(base));
		base.pol = p;
		struct pval id = field_of(pk, p->root, root, "id");
		base.beneficiary = id.present ? id.p : "";
		vm.pol = p;
		vm.ctx[CTX_ITEM] = (struct pval){0, NULL, 0};
		if (p->item_field < 0) {
			rc = one(&r, &base);
			continue;
		}
		struct pval lv = ((const struct pval *)root.p)[p->item_field];
		const struct plist *l = lv.present ? lv.p : NULL;
		const struct prec *irec = pk->root_t[p->root]->rec->types[p->item_field]->of->rec;
		int idf = -1;
		for (int k = 0; irec && k < irec->n; k++)
			if (strcmp(irec->names[k], "id") == 0)
				idf = k;
		for (size_t k = 0; l && k < l->n && rc == 0; k++) {
			struct pval it = l->v[k];
			if (!it.present)
				continue;
			vm.ctx[CTX_ITEM] = it;
			base.item = "";
			if (idf >= 0 && ((const struct pval *)it.p)[idf].present)
				base.item = ((const struct pval *)it.p)[idf].p;
			rc = one(&r, &base);
		}
	}
	free(r.x);
	return rc;
}
