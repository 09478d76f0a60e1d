/*
 * each.c — the granted and excluded entitlements of one beneficiary as records, for
 * whole-population runs that store them (src/domain/policy_run.c).
 *
 * The entitlements come from pol_enumerate() without explanations (the cheap path).
 * When the caller wants the explanations too, they are taken from pol_eval_json()'s
 * document for the same facts — the bytes `talentport policy eval` prints — so that a
 * stored hash of an explanation can be checked against the single-person path; the
 * document lists the same entitlements in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/eval_int.h"

static const char *const KINDS[] = {"cash", "loan", "nights", "service", "points", "tier"};

struct collected {
	struct pol_entitlement *v;
	size_t n, cap;
	struct pol_entitlement small[32];
};

static int collect(void *arg, const struct ent *e)
{
	struct collected *c = arg;

	if (c->n == c->cap) {
		size_t ncap = c->cap * 2;
		struct pol_entitlement *nv = c->v == c->small ? malloc(ncap * sizeof(*nv))
		                                              : realloc(c->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		if (c->v == c->small)
			memcpy(nv, c->small, sizeof(c->small));
		c->v = nv;
		c->cap = ncap;
	}
	struct pol_entitlement *o = &c->v[c->n++];
	memset(o, 0, sizeof(*o));
	o->policy = e->pol->id;
	o->kind = KINDS[e->pol->kind];
	o->apply = !e->pol->proactive;
	o->enterprise = e->pol->root == 1;
	o->beneficiary = e->beneficiary; /* both point into the facts, which outlive the call */
	o->item = e->item ? e->item : "";
	o->year = e->year;
	o->month = e->month;
	o->instalment = e->instalment;
	o->excluded = e->status == ST_EXCLUDED;
	o->excluded_by = e->excluded_by ? e->excluded_by->id : NULL;
	o->money = e->pol->kind <= KIND_LOAN;
	o->amount = e->amount;
	return 0;
}

/* Skips the JSON string starting at s[i] == '"'; returns the index after it. */
static size_t skip_string(const char *s, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* Skips the JSON value starting at s[i]; returns the index after it. */
static size_t skip_value(const char *s, size_t i, size_t len)
{
	int depth = 0;

	do {
		if (i >= len)
			return len;
		if (s[i] == '"') {
			i = skip_string(s, i, len);
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		i++;
	} while (depth > 0 || (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']'));
	return i;
}

/*
 * Finds the "explanation" value of each entitlement of the eval document doc (compact,
 * as jsonw writes it) and sets it on v[0..n).  -1 when the document does not list n
 * entitlements of the same policies (which would be a bug).
 */
static int explanations(const char *doc, size_t len, struct pol_entitlement *v, size_t n)
{
	static const char list[] = "\"entitlements\":[";
	static const char key[] = "\"explanation\":";
	const char *p = strstr(doc, list);
	size_t i, k = 0;

	if (!p)
		return -1;
	i = (size_t)(p - doc) + sizeof(list) - 1;
	while (i < len && doc[i] == '{') {
		size_t end = skip_value(doc, i, len), j = i + 1;
		if (k == n)
			return -1;
		/* the members of the entitlement: "key":value,... */
		while (j < end - 1) {
			size_t kend = skip_string(doc, j, end);
			size_t vstart = kend + 1, vend = skip_value(doc, vstart, end);
			if (kend - j == sizeof(key) - 2 &&
			    memcmp(doc + j, key, sizeof(key) - 2) == 0) {
				v[k].explanation = doc + vstart;
				v[k].explanation_len = vend - vstart;
			} else if (kend - j == 8 && memcmp(doc + j, "\"policy\"", 8) == 0) {
				size_t pl = strlen(v[k].policy);
				if (vend - vstart != pl + 2 ||
				    memcmp(doc + vstart + 1, v[k].policy, pl) != 0)
					return -1;
			}
			j = vend + 1;
		}
		if (!v[k].explanation)
			return -1;
		k++;
		i = end < len && doc[end] == ',' ? end + 1 : end;
	}
	return k == n ? 0 : -1;
}

int pol_eval_each(const struct pol_pack *pk, const struct pol_facts *f, int year, int roots,
                  int explain, pol_entitlement_fn fn, void *arg)
{
	struct collected c;
	char *doc = NULL;
	int rc = 0, wanted = 0;

	c.v = c.small;
	c.n = 0;
	c.cap = sizeof(c.small) / sizeof(c.small[0]);
	if (pol_enumerate(pk, f, year, 0, 0, collect, &c)) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < c.n; i++)
		wanted |= roots & (c.v[i].enterprise ? POL_FOR_ENTERPRISE : POL_FOR_PERSON);
	if (!wanted)
		goto out;
	if (explain) {
		doc = pol_eval_json(pk, f, year, 0);
		if (!doc) {
			rc = -1;
			goto out;
		}
		if (explanations(doc, strlen(doc), c.v, c.n)) {
			rc = -2;
			goto out;
		}
	}
	for (size_t i = 0; i < c.n && rc == 0; i++)
		if (roots & (c.v[i].enterprise ? POL_FOR_ENTERPRISE : POL_FOR_PERSON))
			rc = fn(arg, &c.v[i]);
out:
	free(doc);
	if (c.v != c.small)
		free(c.v);
	return rc;
}
