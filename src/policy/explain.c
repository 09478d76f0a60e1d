/*
 * explain.c — writes entitlements: the eval JSON document (default-pack.md,
 * "The contract of talentport policy eval") with each explanation, and the
 * explanation of one entitlement as an indented tree for people (zh or en).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "policy/eval_int.h"
#include "policy/explain_int.h"

static const char *const kinds[] = {"cash", "loan", "nights", "service", "points", "tier"};
static const char *const statuses[] = {"granted", "excluded", "ineligible"};

void pol_value_json(struct jw *w, const struct pol_pack *pk, const struct ptype *t, struct pval v, int depth)
{
	char buf[11];

	if (!v.present || !t || depth > 8) {
		jw_null(w);
		return;
	}
	switch (t->k) {
	case PT_INT: case PT_MONEY: jw_int(w, v.i); break;
	case PT_DEC: jw_fixed(w, v.i, 2); break;
	case PT_BOOL: jw_bool(w, (int)v.i); break;
	case PT_DATE: date_format(date_from_days(v.i), buf); jw_str(w, buf); break;
	case PT_STR: jw_str(w, v.p); break;
	case PT_ENUM: jw_str(w, v.i >= 0 && v.i < pk->enums[t->enum_id].n ? pk->enums[t->enum_id].values[v.i] : "?"); break;
	case PT_LIST: {
		const struct plist *l = v.p;
		jw_arr_begin(w);
		for (size_t i = 0; i < l->n; i++)
			pol_value_json(w, pk, t->of, l->v[i], depth + 1);
		jw_arr_end(w);
		break;
	}
	case PT_REC: {
		const struct pval *f = v.p;
		jw_obj_begin(w);
		for (int i = 0; i < t->rec->n; i++) {
			jw_key(w, t->rec->names[i]);
			pol_value_json(w, pk, t->rec->types[i], f[i], depth + 1);
		}
		jw_obj_end(w);
		break;
	}
	case PT_BYYEAR: case PT_MAP: {
		const struct pkeyed *k = v.p;
		jw_obj_begin(w);
		for (size_t i = 0; i < k->n; i++) {
			char key[24];
			if (t->k == PT_MAP && t->enum_id >= 0)
				snprintf(key, sizeof(key), "%s", pk->enums[t->enum_id].values[k->keys[i]]);
			else
				snprintf(key, sizeof(key), "%lld", (long long)k->keys[i]);
			jw_key(w, key);
			pol_value_json(w, pk, t->of, k->v[i], depth + 1);
		}
		jw_obj_end(w);
		break;
	}
	default: jw_null(w);
	}
}

char *pol_path_key(const struct pol_read *r, char *buf, size_t len)
{
	if (r->has_key)
		snprintf(buf, len, "%s[%lld]", r->path, (long long)r->key);
	else
		snprintf(buf, len, "%s", r->path);
	return buf;
}

static void reads_json(struct jw *w, const struct pol_pack *pk, const struct pol_trace *t)
{
	char key[160];

	jw_key(w, "values");
	jw_obj_begin(w);
	for (int i = 0; i < t->nreads; i++) {
		jw_key(w, pol_path_key(&t->reads[i], key, sizeof(key)));
		pol_value_json(w, pk, t->reads[i].t, t->reads[i].v, 0);
	}
	jw_obj_end(w);
}

void pol_cond_json(struct jw *w, const struct pol_pack *pk, const struct expl_cond *c)
{
	jw_obj_begin(w);
	jw_kstr(w, "expr", c->expr);
	jw_key(w, "result");
	jw_bool(w, c->result == 1);
	if (c->result < 0)
		jw_kbool(w, "missing", 1);
	reads_json(w, pk, &c->tr);
	jw_obj_end(w);
}

/* every parameter use and every missing fact across the traces of x */
void pol_expl_collect(const struct expl *x, const struct pol_trace **tr, int *ntr)
{
	int n = 0;

	tr[n++] = &x->lets_tr;
	for (int i = 0; i < x->nconds; i++)
		tr[n++] = &x->conds[i].tr;
	tr[n++] = &x->amount_tr;
	if (x->has_inst_cond)
		tr[n++] = &x->inst_cond.tr;
	*ntr = n;
}

void pol_params_json(struct jw *w, const struct pol_pack *pk, const struct ent *e)
{
	const struct pol_trace *tr[POL_MAX_CONDS + 4];
	int ntr, seen = 0;
	char buf[11];
	struct { int p, hk; int64_t k; } done[64];

	pol_expl_collect(e->x, tr, &ntr);
	jw_key(w, "parameters");
	jw_arr_begin(w);
	for (int t = 0; t < ntr; t++)
		for (int i = 0; i < tr[t]->npuses; i++) {
			const struct pol_param_use *u = &tr[t]->puses[i];
			int dup = 0;
			for (int j = 0; j < seen; j++)
				dup |= done[j].p == u->param && done[j].hk == u->has_key && done[j].k == u->key;
			if (dup || seen == 64)
				continue;
			done[seen].p = u->param;
			done[seen].hk = u->has_key;
			done[seen++].k = u->key;
			const struct pparam *pp = &e->pol->params[u->param];
			const struct pparam_val *pv = &pp->vals[u->ver];
			jw_obj_begin(w);
			jw_kstr(w, "name", pp->name);
			if (u->has_key) {
				jw_key(w, "key");
				if (pp->t->enum_id >= 0)
					jw_str(w, pk->enums[pp->t->enum_id].values[u->key]);
				else
					jw_int(w, u->key);
			}
			jw_key(w, "value");
			pol_value_json(w, pk, pp->t->k == PT_MAP ? pp->t->of : pp->t, u->v, 0);
			date_format(pv->since, buf);
			jw_kstr(w, "since", buf);
			jw_kstr(w, "source", pv->source);
			jw_obj_end(w);
		}
	jw_arr_end(w);
}

void pol_missing_json(struct jw *w, const struct ent *e)
{
	const struct pol_trace *tr[POL_MAX_CONDS + 4];
	const char *done[64];
	int ntr, n = 0;

	pol_expl_collect(e->x, tr, &ntr);
	jw_key(w, "missing");
	jw_arr_begin(w);
	for (int t = 0; t < ntr; t++)
		for (int i = 0; i < tr[t]->nmissing; i++) {
			int dup = 0;
			for (int j = 0; j < n; j++)
				dup |= strcmp(done[j], tr[t]->missing[i]) == 0;
			if (dup || n == 64)
				continue;
			done[n++] = tr[t]->missing[i];
			jw_str(w, tr[t]->missing[i]);
		}
	jw_arr_end(w);
}

static void expl_json(struct jw *w, const struct pol_pack *pk, const struct ent *e)
{
	const struct ppolicy *p = e->pol;
	const struct expl *x = e->x;

	jw_obj_begin(w);
	jw_kstr(w, "policy", p->id);
	jw_key(w, "title");
	jw_obj_begin(w);
	jw_kstr(w, "zh", p->title_zh);
	jw_kstr(w, "en", p->title_en);
	jw_obj_end(w);
	jw_kstr(w, "basis", p->basis);
	if (e->status == ST_INELIGIBLE)
		jw_kstr(w, "failed", e->failed ? e->failed : x->has_inst_cond && x->inst_cond.result != 1
							 ? x->inst_cond.expr : NULL);
	jw_key(w, "conditions");
	jw_arr_begin(w);
	for (int i = 0; i < x->nconds; i++)
		pol_cond_json(w, pk, &x->conds[i]);
	jw_arr_end(w);
	if (x->no_param)
		jw_kstr(w, "no_value_in_force", x->no_param);
	jw_key(w, "let");
	jw_arr_begin(w);
	for (int i = 0; i < p->nlets; i++) {
		jw_obj_begin(w);
		jw_kstr(w, "name", p->lets[i].name);
		jw_key(w, "value");
		pol_value_json(w, pk, p->lets[i].c.t, x->let_vals[i], 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	pol_params_json(w, pk, e);
	jw_key(w, "amount");
	jw_obj_begin(w);
	jw_kstr(w, "expr", p->amount.text);
	jw_key(w, "value");
	pol_value_json(w, pk, p->amount.t, x->amount, 0);
	jw_obj_end(w);
	if (p->ninst > 0) {
		jw_key(w, "instalment");
		jw_obj_begin(w);
		jw_kint(w, "number", e->instalment);
		jw_kstr(w, "expr", x->inst_amount_expr);
		jw_key(w, "value");
		pol_value_json(w, pk, p->amount.t, x->inst_amount, 0);
		if (x->has_inst_cond) {
			jw_key(w, "condition");
			pol_cond_json(w, pk, &x->inst_cond);
		}
		jw_obj_end(w);
	}
	pol_missing_json(w, e);
	if (e->g) {
		jw_key(w, "group");
		jw_obj_begin(w);
		jw_kstr(w, "id", pk->groups[e->g->id].id);
		jw_kstr(w, "winner", e->g->winner ? e->g->winner->id : NULL);
		jw_key(w, "candidates");
		jw_arr_begin(w);
		for (int i = 0; i < e->g->n; i++) {
			jw_obj_begin(w);
			jw_kstr(w, "policy", e->g->cand[i]->id);
			jw_kint(w, "total_fen", e->g->total[i]);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

void pol_period_key(const struct ent *e, char *buf, size_t len)
{
	if (e->month)
		snprintf(buf, len, "%04d-%02d", e->year, e->month);
	else
		snprintf(buf, len, "%04d", e->year);
}

struct jarg {
	struct jw *w;
	const struct pol_pack *pk;
};

static int ent_json(void *arg, const struct ent *e)
{
	struct jarg *ja = arg;
	struct jw *w = ja->w;
	char key[16];

	pol_period_key(e, key, sizeof(key));
	jw_obj_begin(w);
	jw_kstr(w, "policy", e->pol->id);
	jw_kstr(w, "beneficiary", e->beneficiary);
	jw_kstr(w, "period", key);
	jw_kint(w, "instalment", e->instalment);
	if (e->item)
		jw_kstr(w, "item", e->item);
	jw_kstr(w, "kind", kinds[e->pol->kind]);
	jw_kint(w, e->pol->kind <= KIND_LOAN ? "amount_fen" : "quantity", e->amount);
	jw_kstr(w, "status", statuses[e->status]);
	if (e->excluded_by)
		jw_kstr(w, "excluded_by", e->excluded_by->id);
	jw_key(w, "explanation");
	expl_json(w, ja->pk, e);
	jw_obj_end(w);
	return 0;
}

char *pol_eval_json(const struct pol_pack *pk, const struct pol_facts *f, int year, int all)
{
	struct jw w;
	char key[8];
	size_t len;
	struct jarg ja = {&w, pk};

	jw_init(&w);
	snprintf(key, sizeof(key), "%04d", year);
	jw_obj_begin(&w);
	jw_kstr(&w, "period", key);
	jw_key(&w, "entitlements");
	jw_arr_begin(&w);
	if (pol_enumerate(pk, f, year, all, 1, ent_json, &ja)) {
		free(jw_finish(&w, &len));
		return NULL;
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
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
