/*
 * policy_facts.c — a stored talent as the facts document of the policy pack
 * (see policy_facts.h for what each member means and when it is absent).
 */
#include "domain/policy_facts.h"

#include <stdio.h>

#include "domain/apprentices.h"
#include "domain/self_identification.h"

/* Sets key to a new value unless it is NULL; returns -1 only when out of memory. */
static int put(json_t *obj, const char *key, json_t *v, int *oom)
{
	if (!v || json_object_set_new(obj, key, v) != 0) {
		*oom = 1;
		return -1;
	}
	return 0;
}

static void put_str(json_t *obj, const char *key, const char *s, int *oom)
{
	if (s)
		put(obj, key, json_string(s), oom);
}

/* A tri-state registry boolean: -1 (or anything but 0/1) is unknown and left out. */
static void put_tri(json_t *obj, const char *key, int v, int *oom)
{
	if (v == 0 || v == 1)
		put(obj, key, json_boolean(v), oom);
}

/* A level where 0 means none. */
static void put_level(json_t *obj, const char *key, int v, int *oom)
{
	if (v > 0)
		put(obj, key, json_integer(v), oom);
}

/* Adds sub under key when it has a member; otherwise drops it. */
static void put_nonempty(json_t *obj, const char *key, json_t *sub, int *oom)
{
	if (!sub) {
		*oom = 1;
		return;
	}
	if ((json_is_array(sub) ? json_array_size(sub) : json_object_size(sub)) == 0) {
		json_decref(sub);
		return;
	}
	put(obj, key, sub, oom);
}

static json_t *tier(const struct talent *t, int *oom)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put(o, "level", json_integer(t->tier), oom);
	put_str(o, "from", t->tier_from, oom);
	put_str(o, "to", t->tier_to, oom);
	return o;
}

static void years(json_t *p, const struct talent *t, int *oom)
{
	json_t *days = json_object(), *ins = json_object();
	char key[16];

	for (size_t i = 0; days && ins && i < t->n_years; i++) {
		const struct talent_year *y = &t->years[i];
		snprintf(key, sizeof key, "%d", y->year);
		if (y->days_in_jinjiang >= 0)
			put(days, key, json_integer(y->days_in_jinjiang), oom);
		if (!(y->insured_months & 0xfffu))
			continue;
		json_t *months = json_array();
		for (int m = 1; months && m <= 12; m++)
			if ((y->insured_months & (1u << (m - 1))) &&
			    json_array_append_new(months, json_integer(m)) != 0)
				*oom = 1;
		put(ins, key, months, oom);
	}
	put_nonempty(p, "days_in_jinjiang", days, oom);
	put_nonempty(p, "insured_months", ins, oom);
}

static json_t *home(const struct talent *t, int *oom)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put_str(o, "contract_date", t->home_contract_date, oom);
	if (t->home_area_cm2 >= 0) {
		/* whole m² as an integer; otherwise the decimal (the pack reads 2 places) */
		if (t->home_area_cm2 % 100 == 0)
			put(o, "area_m2", json_integer(t->home_area_cm2 / 100), oom);
		else
			put(o, "area_m2", json_real((double)t->home_area_cm2 / 100.0), oom);
	}
	put_tri(o, "in_jinjiang", t->home_in_jinjiang, oom);
	put_tri(o, "first_home_in_jinjiang", t->home_first, oom);
	return o;
}

static json_t *startup(const struct talent *t, int *oom)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	put_str(o, "registered_on", t->startup_registered_on, oom);
	put_tri(o, "in_jinjiang", t->startup_in_jinjiang, oom);
	return o;
}

static json_t *children(const struct talent *t, int *oom)
{
	json_t *a = json_array();
	char id[24];

	for (size_t i = 0; a && i < t->n_children; i++) {
		json_t *c = json_object();
		snprintf(id, sizeof id, "c%zu", i + 1);
		if (!c || json_array_append_new(a, c) != 0) {
			*oom = 1;
			break;
		}
		put(c, "id", json_string(id), oom);
		put_str(c, "birth_date", t->children[i].birth_date, oom);
	}
	return a;
}

json_t *policy_facts_from_talent(const struct talent *t)
{
	json_t *doc = json_object(), *p = json_object();
	char id[24];
	int oom = 0;

	if (!doc || !p || json_object_set_new(doc, "person", p) != 0) {
		json_decref(doc);
		return NULL;
	}
	snprintf(id, sizeof id, "%lld", (long long)t->id);
	put(p, "id", json_string(id), &oom);
	put_str(p, "birth_date", t->birth_date, &oom);
	put_str(p, "degree", t->degree, &oom);
	put_tri(p, "double_first_class", t->double_first_class, &oom);
	put_str(p, "graduated_on", t->graduated_on, &oom);
	if (t->tier > 0)
		put(p, "tier", tier(t, &oom), &oom);
	put_level(p, "quanzhou_level", t->quanzhou_level, &oom);
	put_str(p, "quanzhou_selected_on", t->quanzhou_selected_on, &oom);
	put_level(p, "provincial_level", t->provincial_level, &oom);
	put_str(p, "provincial_selected_on", t->provincial_selected_on, &oom);
	put_tri(p, "short_term", t->short_term, &oom);
	years(p, t, &oom);
	put_nonempty(p, "home_purchase", home(t, &oom), &oom);
	put_nonempty(p, "startup", startup(t, &oom), &oom);
	put_nonempty(p, "children", children(t, &oom), &oom);
	if (t->enterprise_id > 0) {
		json_t *e = json_object();
		snprintf(id, sizeof id, "%lld", (long long)t->enterprise_id);
		if (put(doc, "enterprise", e, &oom) == 0)
			put(e, "id", json_string(id), &oom);
	}
	if (oom) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int policy_facts_put_self_identified(json_t *doc, const struct self_identification *n)
{
	json_t *p = json_object_get(doc, "person"), *o;
	char eid[24];
	int oom = 0;

	if (!n)
		return 0;
	if (!p || !(o = json_object()))
		return -1;
	snprintf(eid, sizeof eid, "%lld", (long long)n->enterprise_id);
	if (put(p, "self_identified", o, &oom) != 0)
		return -1;
	put(o, "category", json_integer(n->category), &oom);
	put(o, "enterprise", json_string(eid), &oom);
	put_str(o, "from", n->from, &oom);
	put_str(o, "to", n->to, &oom);
	return oom ? -1 : 0;
}

json_t *policy_facts_from_enterprise(int64_t enterprise_id, const struct apprentice *ap,
				     size_t n)
{
	int oom = 0;
	char id[24];
	json_t *doc = json_object(), *e = json_object(), *list = json_array();
	if (!doc || !e || !list) {
		json_decref(doc);
		json_decref(e);
		json_decref(list);
		return NULL;
	}
	snprintf(id, sizeof id, "%lld", (long long)enterprise_id);
	put(e, "id", json_string(id), &oom);
	for (size_t i = 0; i < n && !oom; i++) {
		json_t *o = json_object();
		if (!o) {
			oom = 1;
			break;
		}
		snprintf(id, sizeof id, "%lld", (long long)ap[i].id);
		put(o, "id", json_string(id), &oom);
		put_str(o, "level", ap[i].level, &oom);
		put_str(o, "enrolled_on", ap[i].enrolled_on, &oom);
		put_str(o, "completed_on", ap[i].completed_on, &oom);
		if (json_array_append_new(list, o) != 0)
			oom = 1;
	}
	put_nonempty(e, "apprentices", list, &oom);
	put(doc, "enterprise", e, &oom);
	if (oom) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}
