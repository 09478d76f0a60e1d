/*
 * standard_facts.c — a stored talent and the applicant's claims as the facts document
 * of the identification standard (see standard_facts.h for each member).
 */
#include "domain/standard_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "store/store.h"

static void put(json_t *obj, const char *key, json_t *v, int *oom)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		*oom = 1;
}

/* -1: not listed or unknown */
static int status_of(const struct standard_employer *emps, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (emps[i].enterprise_id == id)
			return emps[i].is_4341 == 0 || emps[i].is_4341 == 1 ? emps[i].is_4341 : -1;
	return -1;
}

/* days since the epoch, or -1 when s is not a date */
static long days_of(const char *s)
{
	struct civil_date d;
	return s && date_parse(s, &d) == 0 ? date_to_days(d) : -1;
}

struct span {
	long from, to;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

/* Whole years of the union of the 4341 employments up to `on`. */
static long years_4341(const struct talent *t, const struct standard_employer *emps, size_t nemps,
		       long on, int *oom)
{
	struct span *sp = calloc(t->n_employments + 1, sizeof(*sp));
	size_t n = 0;
	long days = 0, cur_from = 0, cur_to = -1;

	if (!sp) {
		*oom = 1;
		return 0;
	}
	for (size_t i = 0; i < t->n_employments; i++) {
		const struct employment *e = &t->employments[i];
		long from = days_of(e->started_on), to = e->ended_on ? days_of(e->ended_on) : on;
		if (status_of(emps, nemps, e->enterprise_id) != 1 || from < 0 || to < 0)
			continue;
		if (to > on)
			to = on;
		if (from > to)
			continue;
		sp[n++] = (struct span){from, to};
	}
	qsort(sp, n, sizeof(*sp), span_cmp);
	for (size_t i = 0; i < n; i++) {
		if (cur_to >= 0 && sp[i].from <= cur_to + 1) {
			if (sp[i].to > cur_to)
				cur_to = sp[i].to;
			continue;
		}
		if (cur_to >= 0)
			days += cur_to - cur_from + 1;
		cur_from = sp[i].from;
		cur_to = sp[i].to;
	}
	if (cur_to >= 0)
		days += cur_to - cur_from + 1;
	free(sp);
	return days / 365;
}

/* The salary of the current employment running on `on` (latest started), or -1. */
static int64_t salary_on(const struct talent *t, long on)
{
	long best = -1;
	int64_t fen = -1;

	for (size_t i = 0; t->enterprise_id > 0 && i < t->n_employments; i++) {
		const struct employment *e = &t->employments[i];
		long from = days_of(e->started_on), to = e->ended_on ? days_of(e->ended_on) : on;
		if (e->enterprise_id != t->enterprise_id || from < 0 || from > on || to < on || from < best)
			continue;
		best = from;
		fen = e->annual_salary_fen;
	}
	return fen;
}

/* A level selected on `sel` counts on `on` unless the selection is recorded as later. */
static void put_level(json_t *p, const char *key, int level, const char *sel, long on, int *oom)
{
	long d = days_of(sel);
	if (level > 0 && !(d >= 0 && d > on))
		put(p, key, json_integer(level), oom);
}

json_t *standard_facts_from_talent(const struct talent *t, const struct standard_employer *emps,
				   size_t nemps, const json_t *claims, const char *on, char *err,
				   size_t errlen)
{
	long day = days_of(on);
	char id[24];
	size_t i;
	json_t *v;
	int oom = 0;

	if (day < 0) {
		snprintf(err, errlen, "on: 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD");
		return NULL;
	}
	if (claims && !json_is_array(claims)) {
		snprintf(err, errlen, "claims: 应为认定条件代码的数组 / must be an array of claim codes");
		return NULL;
	}
	json_array_foreach(claims, i, v)
		if (!json_is_string(v)) {
			snprintf(err, errlen, "claims[%zu]: 应为字符串 / must be a string", i);
			return NULL;
		}

	json_t *doc = json_object(), *p = json_object();
	if (!doc || !p || json_object_set_new(doc, "person", p) != 0) {
		json_decref(doc);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(id, sizeof id, "%lld", (long long)t->id);
	put(p, "id", json_string(id), &oom);
	if (claims)
		put(p, "claims", json_deep_copy(claims), &oom);
	if (t->degree)
		put(p, "degree", json_string(t->degree), &oom);
	if (t->double_first_class == 0 || t->double_first_class == 1)
		put(p, "double_first_class", json_boolean(t->double_first_class), &oom);
	if (t->title)
		put(p, "title", json_string(t->title), &oom);
	if (t->skill_level > 0)
		put(p, "skill_level", json_integer(t->skill_level), &oom);
	if (t->n_employments > 0)
		put(p, "years_in_4341", json_integer(years_4341(t, emps, nemps, day, &oom)), &oom);
	int st = t->enterprise_id > 0 ? status_of(emps, nemps, t->enterprise_id) : -1;
	if (st >= 0)
		put(p, "employer_4341", json_boolean(st), &oom);
	int64_t fen = salary_on(t, day);
	if (fen >= 0)
		put(p, "annual_salary", json_integer(fen), &oom);
	put_level(p, "provincial_level", t->provincial_level, t->provincial_selected_on, day, &oom);
	put_level(p, "quanzhou_level", t->quanzhou_level, t->quanzhou_selected_on, day, &oom);
	if (oom) {
		json_decref(doc);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return doc;
}

/* 1 / 0 by the industries table's 4341 mark of code; -1 when code is NULL or unknown. */
static int industry_4341(const struct ref_item *inds, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(inds[i].code, code) == 0)
			return inds[i].kind && strcmp(inds[i].kind, "4341") == 0;
	return -1;
}

enum tp_rc standard_employers_load(struct store *st, const struct talent *t, struct arena *a,
				   struct standard_employer **out, size_t *n)
{
	struct ref_item *inds = NULL;
	size_t ninds = 0;
	enum tp_rc rc = STORE_CALL(ref_list, st, REF_INDUSTRY, a, &inds, &ninds);

	*out = NULL;
	*n = 0;
	if (rc != TP_OK)
		return rc;
	struct standard_employer *es = arena_alloc(a, sizeof(*es) * (t->n_employments + 1));
	if (!es)
		return TP_ERR_NOMEM;
	for (size_t i = 0; i <= t->n_employments; i++) {
		int64_t id = i < t->n_employments ? t->employments[i].enterprise_id : t->enterprise_id;
		int seen = id <= 0;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = es[k].enterprise_id == id;
		if (seen)
			continue;
		struct enterprise e;
		rc = STORE_CALL(enterprise_get, st, id, a, &e);
		if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
			return rc;
		es[*n].enterprise_id = id;
		es[(*n)++].is_4341 = rc == TP_OK ? industry_4341(inds, ninds, e.industry) : -1;
	}
	*out = es;
	return TP_OK;
}
