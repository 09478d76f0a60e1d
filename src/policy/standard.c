/*
 * standard.c — the proposal of a tier under a standard pack (standard.h): every
 * criterion of every tier judged on one day, the highest tier with a criterion that
 * holds, the direct-recording flag, and the explanation of the tiers at and above
 * the proposal in the shapes of an entitlement's explanation (explain.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "policy/eval_int.h"
#include "policy/explain_int.h"
#include "policy/standard.h"

int pol_pack_is_standard(const struct pol_pack *pk)
{
	return pk && pk->standard;
}

/* The day judged: period.year/month of it, period.start = period.end = the day. */
static void set_day(struct pol_vm *vm, long day)
{
	struct civil_date d = date_from_days(day);

	vm->ctx[CTX_YEAR] = (struct pval){d.y, NULL, 1};
	vm->ctx[CTX_MONTH] = (struct pval){d.m, NULL, 1};
	vm->ctx[CTX_START] = (struct pval){day, NULL, 1};
	vm->ctx[CTX_END] = (struct pval){day, NULL, 1};
}

/* Selects every parameter's value in force on day; the first one without such a value,
 * or NULL (its first value is then used so nothing reads out of range). */
static const char *set_versions(struct pol_vm *vm, const struct ppolicy *pol, long day)
{
	const char *none = NULL;

	for (int i = 0; i < pol->nparams; i++) {
		const struct pparam *pp = &pol->params[i];
		int ver = -1;
		for (int k = 0; k < pp->nvals; k++)
			if (pp->vals[k].since_days <= day)
				ver = k;
		if (ver < 0) {
			if (!none)
				none = pp->name;
			ver = 0;
		}
		vm->param_ver[i] = ver;
	}
	return none;
}

/* Empties what an explanation's readers look at (pol_expl_collect(), the let values): a
 * memset of the whole struct would clear ~50 KB for every criterion. */
static void trace_reset(struct pol_trace *t)
{
	t->nreads = 0;
	t->nmissing = 0;
	t->npuses = 0;
}

static void expl_reset(struct expl *x)
{
	x->nconds = 0;
	trace_reset(&x->lets_tr);
	trace_reset(&x->amount_tr);
	x->has_inst_cond = 0;
	x->no_param = NULL;
}

/* Prepares the VM for tier policy pol on day and runs its let names (traced into lx when
 * given).  Returns the parameter without a value in force, or NULL. */
static const char *tier_begin(struct pol_vm *vm, const struct ppolicy *pol, long day, struct expl *lx)
{
	vm->pol = pol;
	set_day(vm, day);
	const char *none = set_versions(vm, pol, day);
	if (lx)
		expl_reset(lx);
	vm->trace = lx ? &lx->lets_tr : NULL;
	for (int i = 0; i < pol->nlets; i++) {
		vm->lets[i] = pol_vm_run(vm, &pol->lets[i].c);
		if (lx)
			lx->let_vals[i] = vm->lets[i];
	}
	vm->trace = NULL;
	return none;
}

/* Whether criterion c holds; x (when given) captures each condition.  Every condition is
 * judged when explaining; otherwise the first that is not true ends it. */
static int crit_holds(struct pol_vm *vm, const struct pcrit *c, struct expl *x)
{
	int ok = 1;

	if (x)
		expl_reset(x);
	for (int i = 0; i < c->nconds && i < POL_MAX_CONDS; i++) {
		struct expl_cond *ec = x ? &x->conds[i] : NULL;
		if (ec)
			trace_reset(&ec->tr);
		vm->trace = ec ? &ec->tr : NULL;
		struct pval r = pol_vm_run(vm, &c->conds[i]);
		if (ec) {
			ec->expr = c->conds[i].text;
			ec->result = r.present ? (int)r.i : -1;
			x->nconds = i + 1;
		}
		if (!(r.present && r.i)) {
			ok = 0;
			if (!x)
				break;
		}
	}
	vm->trace = NULL;
	return ok;
}

/* The tier policies in increasing tier number (the highest tier first). */
static int tiers_sorted(const struct pol_pack *pk, const struct ppolicy **out)
{
	int n = 0;

	for (int i = 0; i < pk->npolicies && n < 128; i++) {
		const struct ppolicy *p = pk->policies[i];
		if (p->kind != KIND_TIER)
			continue;
		int k = n++;
		while (k > 0 && out[k - 1]->tier > p->tier) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = p;
	}
	return n;
}

static void title_json(struct jw *w, const char *zh, const char *en)
{
	jw_key(w, "title");
	jw_obj_begin(w);
	jw_kstr(w, "zh", zh);
	jw_kstr(w, "en", en);
	jw_obj_end(w);
}

struct seen {
	int n;
	const char *v[64];
};

static void seen_add(struct seen *s, const struct expl *x)
{
	const struct pol_trace *tr[POL_MAX_CONDS + 4];
	int ntr;

	pol_expl_collect(x, tr, &ntr);
	for (int t = 0; t < ntr; t++)
		for (int i = 0; i < tr[t]->nmissing; i++) {
			int dup = 0;
			for (int j = 0; j < s->n; j++)
				dup |= strcmp(s->v[j], tr[t]->missing[i]) == 0;
			if (!dup && s->n < 64)
				s->v[s->n++] = tr[t]->missing[i];
		}
}

/* One explained tier: its let names, then every criterion with its conditions. */
static void tier_json(struct jw *w, const struct pol_pack *pk, struct pol_vm *vm, const struct ppolicy *p,
		      long day, struct expl *lx, struct expl *cx, struct seen *miss)
{
	const char *none = tier_begin(vm, p, day, lx);
	int holds[POL_MAX_CRITERIA], any = 0;
	struct ent e;

	for (int c = 0; c < p->ncrit; c++)
		any |= holds[c] = !none && crit_holds(vm, &p->crit[c], NULL);
	jw_obj_begin(w);
	jw_kint(w, "tier", p->tier);
	jw_kstr(w, "policy", p->id);
	title_json(w, p->title_zh, p->title_en);
	jw_kstr(w, "basis", p->basis);
	jw_kbool(w, "result", any);
	jw_key(w, "matched");
	jw_arr_begin(w);
	for (int c = 0; c < p->ncrit; c++)
		if (holds[c])
			jw_str(w, p->crit[c].id);
	jw_arr_end(w);
	if (none)
		jw_kstr(w, "no_value_in_force", none);
	jw_key(w, "let");
	jw_arr_begin(w);
	for (int i = 0; i < p->nlets; i++) {
		jw_obj_begin(w);
		jw_kstr(w, "name", p->lets[i].name);
		jw_key(w, "value");
		pol_value_json(w, pk, p->lets[i].c.t, lx->let_vals[i], 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	memset(&e, 0, sizeof(e));
	e.pol = p;
	e.x = lx;
	pol_params_json(w, pk, &e);
	seen_add(miss, lx);
	jw_key(w, "criteria");
	jw_arr_begin(w);
	for (int c = 0; c < p->ncrit; c++) {
		const struct pcrit *cr = &p->crit[c];
		(void)crit_holds(vm, cr, cx);
		jw_obj_begin(w);
		jw_kstr(w, "id", cr->id);
		title_json(w, cr->title_zh, cr->title_en);
		jw_kstr(w, "source", cr->source);
		jw_kbool(w, "direct", cr->direct);
		jw_kbool(w, "result", holds[c]);
		jw_key(w, "conditions");
		jw_arr_begin(w);
		for (int i = 0; i < cx->nconds; i++)
			pol_cond_json(w, pk, &cx->conds[i]);
		jw_arr_end(w);
		e.x = cx;
		pol_params_json(w, pk, &e);
		pol_missing_json(w, &e);
		seen_add(miss, cx);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static void ids_json(struct jw *w, const char *key, const char *const *ids, int n)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (int i = 0; i < n; i++)
		jw_str(w, ids[i]);
	jw_arr_end(w);
}

static char *proposal_json(const struct pol_pack *pk, struct pol_vm *vm, const struct ppolicy **tiers,
			   int nt, long day, const struct pol_proposal *out)
{
	struct expl *lx = malloc(sizeof(*lx)), *cx = malloc(sizeof(*cx));
	struct seen miss = {0, {0}};
	const struct ppolicy *prop = NULL;
	struct jw w;
	char buf[11];
	size_t len;
	int upto = out->tier > out->direct_tier ? out->tier : out->direct_tier;

	if (!lx || !cx) {
		free(lx);
		free(cx);
		return NULL;
	}
	for (int i = 0; i < nt; i++)
		if (tiers[i]->tier == out->tier)
			prop = tiers[i];
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "standard", pk->id);
	date_format(date_from_days(day), buf);
	jw_kstr(&w, "on", buf);
	jw_key(&w, "tier");
	if (prop)
		jw_int(&w, prop->tier);
	else
		jw_null(&w);
	if (prop) {
		title_json(&w, prop->title_zh, prop->title_en);
	} else {
		jw_key(&w, "title");
		jw_null(&w);
	}
	ids_json(&w, "matched", out->matched, out->nmatched);
	jw_kbool(&w, "direct", out->direct);
	jw_key(&w, "direct_tier");
	if (out->direct_tier)
		jw_int(&w, out->direct_tier);
	else
		jw_null(&w);
	ids_json(&w, "direct_matched", out->direct_matched, out->ndirect_matched);
	jw_key(&w, "explanation");
	jw_obj_begin(&w);
	jw_key(&w, "tiers");
	jw_arr_begin(&w);
	for (int i = 0; i < nt; i++)
		if (upto == 0 || tiers[i]->tier <= upto)
			tier_json(&w, pk, vm, tiers[i], day, lx, cx, &miss);
	jw_arr_end(&w);
	jw_obj_end(&w);
	ids_json(&w, "missing", miss.v, miss.n);
	jw_obj_end(&w);
	free(lx);
	free(cx);
	char *s = jw_finish(&w, &len);
	if (!s)
		return NULL;
	char *o = realloc(s, len + 2);
	if (!o) {
		free(s);
		return NULL;
	}
	o[len] = '\n';
	o[len + 1] = '\0';
	return o;
}

int pol_standard_propose(const struct pol_pack *pk, const struct pol_facts *f, const char *on,
			 struct pol_proposal *out, char **json)
{
	const struct ppolicy *tiers[128];
	struct civil_date d;
	struct pol_vm vm;
	int nt;

	if (json)
		*json = NULL;
	memset(out, 0, sizeof(*out));
	if (!pol_pack_is_standard(pk))
		return POL_STD_NOT_STANDARD;
	if (!on || date_parse(on, &d))
		return POL_STD_BAD_DATE;
	long day = date_to_days(d);
	nt = tiers_sorted(pk, tiers);
	memset(&vm, 0, sizeof(vm));
	vm.facts = f;
	for (int i = 0; i < nt; i++) {
		const struct ppolicy *p = tiers[i];
		if (tier_begin(&vm, p, day, NULL))
			continue; /* a parameter without a value that day: none of its criteria holds */
		for (int c = 0; c < p->ncrit; c++) {
			const struct pcrit *cr = &p->crit[c];
			if (!crit_holds(&vm, cr, NULL))
				continue;
			if (!out->tier)
				out->tier = p->tier;
			if (out->tier == p->tier && out->nmatched < POL_PROPOSAL_MAX)
				out->matched[out->nmatched++] = cr->id;
			if (cr->direct && !out->direct_tier)
				out->direct_tier = p->tier;
			if (cr->direct && out->direct_tier == p->tier &&
			    out->ndirect_matched < POL_PROPOSAL_MAX)
				out->direct_matched[out->ndirect_matched++] = cr->id;
		}
	}
	out->direct = out->tier && out->direct_tier == out->tier;
	if (!json)
		return 0;
	*json = proposal_json(pk, &vm, tiers, nt, day, out);
	return *json ? 0 : POL_STD_OOM;
}
