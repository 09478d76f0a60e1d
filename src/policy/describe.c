/*
 * describe.c — a loaded pack described as JSON for people and programs (the
 * /api/v1/policies routes): each policy's fields (a tier policy of a standard also its tier
 * and criteria), its parameters with their whole dated history and sources, and its
 * expressions as text.
 *
 * Reads the pack only; the one arena it needs (type names) is its own.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

static const char *const periods[] = {"month", "year", "once"};
static const char *const kinds[] = {"cash", "loan", "nights", "service", "points", "tier"};
static const char *const roots[] = {"person", "enterprise"};

/* Sets o[key] = v; a NULL v (out of memory) sets *oom. */
static void set(json_t *o, const char *key, json_t *v, int *oom)
{
	if (!v || json_object_set_new(o, key, v) != 0)
		*oom = 1;
}

static void push(json_t *a, json_t *v, int *oom)
{
	if (!v || json_array_append_new(a, v) != 0)
		*oom = 1;
}

static json_t *title(const char *zh, const char *en)
{
	return json_pack("{s:s,s:s}", "zh", zh ? zh : "", "en", en ? en : "");
}

static json_t *date_json(struct civil_date d)
{
	char buf[11];
	date_format(d, buf);
	return json_string(buf);
}

/* A parameter value: scalars as in the eval document (money in fen, dates as text, enums
 * by name), maps as objects keyed by the int or enum key. */
static json_t *value_json(const struct pol_pack *pk, const struct ptype *t, struct pval v,
			  int *oom)
{
	char buf[24];

	if (!v.present)
		return json_null();
	switch (t->k) {
	case PT_INT: case PT_MONEY:
		return json_integer(v.i);
	case PT_DEC:
		return v.i % 100 == 0 ? json_integer(v.i / 100) : json_real((double)v.i / 100.0);
	case PT_BOOL:
		return json_boolean(v.i);
	case PT_DATE:
		return date_json(date_from_days((long)v.i));
	case PT_STR:
		return json_string(v.p ? v.p : "");
	case PT_ENUM:
		return json_string(v.i >= 0 && v.i < pk->enums[t->enum_id].n
				   ? pk->enums[t->enum_id].values[v.i] : "?");
	case PT_MAP: {
		const struct pkeyed *k = v.p;
		json_t *o = json_object();
		for (size_t i = 0; o && k && i < k->n; i++) {
			if (t->enum_id >= 0)
				snprintf(buf, sizeof buf, "%s", pk->enums[t->enum_id].values[k->keys[i]]);
			else
				snprintf(buf, sizeof buf, "%lld", (long long)k->keys[i]);
			set(o, buf, value_json(pk, t->of, k->v[i], oom), oom);
		}
		return o;
	}
	default:
		return json_null();
	}
}

static json_t *params_json(const struct pol_pack *pk, const struct ppolicy *pol,
			   struct arena *a, int *oom)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < pol->nparams; i++) {
		const struct pparam *pp = &pol->params[i];
		json_t *p = json_object(), *vals = json_array();
		push(arr, p, oom);
		if (!p || !vals) {
			json_decref(vals);
			*oom = 1;
			break;
		}
		set(p, "name", json_string(pp->name), oom);
		const char *tn = pol_type_name(pp->t, pk, a);
		set(p, "type", json_string(tn ? tn : "?"), oom);
		set(p, "values", vals, oom);
		for (int k = 0; k < pp->nvals; k++) {
			const struct pparam_val *pv = &pp->vals[k];
			push(vals, json_pack("{s:o,s:o,s:s}", "since", date_json(pv->since), "value",
					     value_json(pk, pp->t, pv->v, oom), "source",
					     pv->source ? pv->source : ""),
			     oom);
		}
	}
	if (!arr)
		*oom = 1;
	return arr;
}

static json_t *expr(const struct code *c)
{
	return json_string(c->text ? c->text : "");
}

static void exprs_json(json_t *o, const struct ppolicy *pol, int *oom)
{
	json_t *lets = json_array(), *conds = json_array(), *inst = json_array();

	set(o, "let", lets, oom);
	set(o, "due", pol->has_due ? expr(&pol->due) : json_null(), oom);
	set(o, "eligible", conds, oom);
	set(o, "amount", expr(&pol->amount), oom);
	set(o, "instalments", inst, oom);
	if (*oom)
		return;
	for (int i = 0; i < pol->nlets; i++)
		push(lets, json_pack("{s:s,s:o}", "name", pol->lets[i].name, "expr",
				     expr(&pol->lets[i].c)),
		     oom);
	for (int i = 0; i < pol->nconds; i++)
		push(conds, expr(&pol->conds[i]), oom);
	for (int i = 0; i < pol->ninst; i++) {
		const struct pinst *pi = &pol->inst[i];
		push(inst, json_pack("{s:i,s:o,s:o,s:o}", "instalment", i + 1,
				     "due", pi->has_due ? expr(&pi->due) : json_null(),
				     "amount", pi->has_amount ? expr(&pi->amount) : json_null(),
				     "condition", pi->has_cond ? expr(&pi->cond) : json_null()),
		     oom);
	}
}

/* A tier policy's criteria: [{id, title, source, direct, when: [expr, ...]}]. */
static json_t *criteria_json(const struct ppolicy *pol, int *oom)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < pol->ncrit; i++) {
		const struct pcrit *c = &pol->crit[i];
		json_t *when = json_array();
		for (int k = 0; when && k < c->nconds; k++)
			push(when, expr(&c->conds[k]), oom);
		push(arr, json_pack("{s:s,s:o,s:s,s:b,s:o*}", "id", c->id, "title", title(c->title_zh, c->title_en),
				    "source", c->source ? c->source : "", "direct", c->direct, "when", when),
		     oom);
	}
	if (!arr)
		*oom = 1;
	return arr;
}

int pol_pack_find(const struct pol_pack *pk, const char *id)
{
	for (int i = 0; id && i < pk->npolicies; i++)
		if (strcmp(pk->policies[i]->id, id) == 0)
			return i;
	return -1;
}

const char *pol_pack_policy_title(const struct pol_pack *pk, int idx, int en)
{
	const struct ppolicy *p = pk->policies[idx];
	const char *first = en ? p->title_en : p->title_zh, *other = en ? p->title_zh : p->title_en;
	return first && *first ? first : other && *other ? other : p->id;
}

json_t *pol_pack_info_json(const struct pol_pack *pk)
{
	json_t *o = json_pack("{s:s,s:o,s:o,s:i}", "id", pk->id ? pk->id : "", "title",
			      title(pk->title_zh, pk->title_en), "effective",
			      date_json(pk->effective), "policies", pk->npolicies);
	return o;
}

json_t *pol_pack_policy_json(const struct pol_pack *pk, int idx, int detail)
{
	if (idx < 0 || idx >= pk->npolicies)
		return NULL;
	const struct ppolicy *pol = pk->policies[idx];
	json_t *o = json_object();
	int oom = !o;
	char ben[96];

	if (oom)
		return NULL;
	snprintf(ben, sizeof ben, "%s%s%s", roots[pol->root], pol->item_name ? "." : "",
		 pol->item_name ? pol->item_name : "");
	set(o, "id", json_string(pol->id), &oom);
	set(o, "title", title(pol->title_zh, pol->title_en), &oom);
	set(o, "basis", json_string(pol->basis ? pol->basis : ""), &oom);
	if (pol->summary_zh || pol->summary_en)
		set(o, "summary", title(pol->summary_zh ? pol->summary_zh : "", pol->summary_en ? pol->summary_en : ""),
		    &oom);
	set(o, "beneficiary", json_string(ben), &oom);
	set(o, "period", json_string(periods[pol->period]), &oom);
	set(o, "channel", json_string(pol->proactive ? "proactive" : "apply"), &oom);
	set(o, "kind", json_string(kinds[pol->kind]), &oom);
	set(o, "group", pol->group >= 0 ? json_string(pk->groups[pol->group].id) : json_null(),
	    &oom);
	if (pol->kind == KIND_TIER)
		set(o, "tier", json_integer(pol->tier), &oom);
	if (detail && !oom) {
		struct arena *a = arena_new();
		if (!a) {
			json_decref(o);
			return NULL;
		}
		if (pol->group >= 0)
			set(o, "group_title",
			    title(pk->groups[pol->group].zh, pk->groups[pol->group].en), &oom);
		set(o, "parameters", params_json(pk, pol, a, &oom), &oom);
		exprs_json(o, pol, &oom);
		if (pol->kind == KIND_TIER)
			set(o, "criteria", criteria_json(pol, &oom), &oom);
		arena_free(a);
	}
	if (oom) {
		json_decref(o);
		return NULL;
	}
	return o;
}
