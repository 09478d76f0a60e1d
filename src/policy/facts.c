/*
 * facts.c — a facts document (JSON, default-pack.md "The facts a pack reads")
 * read into typed slots following the pack's facts schema: each entity is a
 * record of slots in schema order; lists and by_year maps are arrays.  Every
 * value is checked against its type and bounds; the first bad field is named.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

struct fr {
	const struct pol_pack *pk;
	struct arena *a;
	char *err;
	size_t errlen;
	int depth;
};

static int bad(struct fr *f, const char *path, const char *what)
{
	snprintf(f->err, f->errlen, "%s: %s", path, what);
	return -1;
}

static int value(struct fr *f, json_t *j, const struct ptype *t, const char *path, struct pval *out);

static void fixed(char *buf, size_t len, int64_t v, int scale)
{
	if (scale == 1)
		snprintf(buf, len, "%lld", (long long)v);
	else
		snprintf(buf, len, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(v < 0 ? -v : v) / 100,
			 (long long)(v < 0 ? -v : v) % 100);
}

static int bounds(struct fr *f, const struct ptype *t, int64_t v, const char *path)
{
	char msg[160];

	if ((t->has_min && v < t->min) || (t->has_max && v > t->max)) {
		int sc = t->k == PT_DEC ? 100 : 1;
		char vb[40], lo[40], hi[40];
		fixed(vb, sizeof(vb), v, sc);
		fixed(lo, sizeof(lo), t->min, sc);
		fixed(hi, sizeof(hi), t->max, sc);
		if (t->has_min && t->has_max)
			snprintf(msg, sizeof(msg), "%s is outside %s..%s", vb, lo, hi);
		else if (t->has_min)
			snprintf(msg, sizeof(msg), "%s is below %s", vb, lo);
		else
			snprintf(msg, sizeof(msg), "%s is above %s", vb, hi);
		return bad(f, path, msg);
	}
	return 0;
}

static int record(struct fr *f, json_t *j, const struct prec *rec, const char *path, struct pval *out)
{
	struct pval *slots;

	if (!json_is_object(j))
		return bad(f, path, "expected an object");
	slots = arena_alloc(f->a, sizeof(struct pval) * (size_t)(rec->n + 1));
	if (!slots)
		return bad(f, path, "out of memory");
	for (int i = 0; i < rec->n; i++) {
		json_t *v = json_object_get(j, rec->names[i]);
		char *sub = arena_printf(f->a, "%s.%s", path, rec->names[i]);

		if (!sub)
			return bad(f, path, "out of memory");
		if ((!v || json_is_null(v)) && rec->required[i])
			return bad(f, sub, "required");
		if (value(f, v, rec->types[i], sub, &slots[i]))
			return -1;
	}
	out->p = slots;
	out->present = 1;
	return 0;
}

static int value(struct fr *f, json_t *j, const struct ptype *t, const char *path, struct pval *out)
{
	memset(out, 0, sizeof(*out));
	if (!j || json_is_null(j))
		return 0;
	if (++f->depth > 16)
		return bad(f, path, "nested too deeply");
	out->present = 1;
	int rc = 0;
	switch (t->k) {
	case PT_INT: case PT_MONEY:
		if (!json_is_integer(j))
			rc = bad(f, path, "expected an integer");
		else
			rc = bounds(f, t, out->i = json_integer_value(j), path);
		break;
	case PT_DEC: {
		double x = json_number_value(j);
		if (!json_is_number(j) || !isfinite(x) || fabs(x) > 1e15)
			rc = bad(f, path, "expected a number");
		else
			rc = bounds(f, t, out->i = llround(x * 100.0), path);
		break;
	}
	case PT_BOOL:
		if (!json_is_boolean(j))
			rc = bad(f, path, "expected true or false");
		out->i = json_is_true(j);
		break;
	case PT_DATE: {
		struct civil_date d;
		if (!json_is_string(j) || date_parse(json_string_value(j), &d))
			rc = bad(f, path, "not a date (YYYY-MM-DD)");
		else
			out->i = date_to_days(d);
		break;
	}
	case PT_STR:
		if (!json_is_string(j))
			rc = bad(f, path, "expected a string");
		else if (!(out->p = arena_strdup(f->a, json_string_value(j))))
			rc = bad(f, path, "out of memory");
		break;
	case PT_ENUM: {
		const struct penum *e = &f->pk->enums[t->enum_id];
		rc = -1;
		for (int i = 0; json_is_string(j) && i < e->n; i++)
			if (strcmp(e->values[i], json_string_value(j)) == 0) {
				out->i = i;
				rc = 0;
			}
		if (rc)
			bad(f, path, arena_printf(f->a, "not one of the values of %s", e->name));
		break;
	}
	case PT_REC:
		rc = record(f, j, t->rec, path, out);
		break;
	case PT_LIST: {
		struct plist *l = arena_alloc(f->a, sizeof(*l));
		size_t n = json_array_size(j);
		if (!json_is_array(j)) {
			rc = bad(f, path, "expected a list");
			break;
		}
		if (!l || !(l->v = arena_alloc(f->a, sizeof(struct pval) * (n + 1)))) {
			rc = bad(f, path, "out of memory");
			break;
		}
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = value(f, json_array_get(j, i), t->of, arena_printf(f->a, "%s[%zu]", path, i), &l->v[i]);
		l->n = n;
		out->p = l;
		break;
	}
	case PT_BYYEAR: {
		struct pkeyed *k = arena_alloc(f->a, sizeof(*k));
		size_t n = json_object_size(j);
		const char *key;
		json_t *v;
		if (!json_is_object(j)) {
			rc = bad(f, path, "expected an object keyed by year");
			break;
		}
		if (!k || !(k->keys = arena_alloc(f->a, sizeof(int64_t) * (n + 1))) ||
		    !(k->v = arena_alloc(f->a, sizeof(struct pval) * (n + 1)))) {
			rc = bad(f, path, "out of memory");
			break;
		}
		json_object_foreach(j, key, v) {
			char *end;
			long y = strtol(key, &end, 10);
			char *sub = arena_printf(f->a, "%s.%s", path, key);
			if (end == key || *end || y < 1 || y > 9999 || strlen(key) != 4) {
				rc = bad(f, sub ? sub : path, "not a year");
				break;
			}
			if ((rc = value(f, v, t->of, sub ? sub : path, &k->v[k->n])) != 0)
				break;
			k->keys[k->n++] = y;
		}
		out->p = k;
		break;
	}
	default:
		rc = bad(f, path, "unsupported type");
	}
	f->depth--;
	return rc;
}

struct pol_facts *pol_facts_from_json(const struct pol_pack *pk, json_t *doc, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	struct pol_facts *fa = a ? arena_alloc(a, sizeof(*fa)) : NULL;
	struct fr f = {pk, a, err, errlen, 0};
	static const char *const roots[] = {"person", "enterprise"};

	if (!fa) {
		arena_free(a);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fa->arena = a;
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "facts: expected a JSON object");
		arena_free(a);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		json_t *r = json_object_get(doc, roots[i]);
		if (r && !json_is_null(r) && record(&f, r, pk->root_t[i]->rec, roots[i], &fa->root[i])) {
			arena_free(a);
			return NULL;
		}
	}
	return fa;
}

void pol_facts_free(struct pol_facts *f)
{
	if (f)
		arena_free(f->arena);
}
