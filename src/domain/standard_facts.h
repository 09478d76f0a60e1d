/*
 * standard_facts.h — a stored talent, plus the honours the applicant claims, as the
 * facts document of the identification standard (policies/jinjiang/standard/pack.yaml,
 * read by policy/standard.h).
 *
 * As in policy_facts.h, the registry's "not recorded" values become absent members
 * (never false or 0): a criterion that needs an absent fact does not hold, and the
 * explanation names the missing fact.
 */
#ifndef TP_DOMAIN_STANDARD_FACTS_H
#define TP_DOMAIN_STANDARD_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/registry.h"

/* Whether an enterprise's industry is one of the 4341 system (industries.is_4341 of
 * enterprises.industry): 1 yes, 0 no, -1 unknown (no industry recorded). */
struct standard_employer {
	int64_t enterprise_id;
	int is_4341;
};

/*
 * Builds {"person": {...}} for t on date `on` ("YYYY-MM-DD"):
 *   id                  the talent id in decimal;
 *   claims              a copy of `claims` (a JSON array of claim codes such as
 *                       "academician", checked against the standard's `claim` enum when the
 *                       document is read); absent when claims is NULL;
 *   degree, double_first_class, title, skill_level   as recorded (skill_level 1..5);
 *   provincial_level, quanzhou_level                 as recorded, unless the selection date
 *                       is recorded and later than `on`;
 *   years_in_4341       whole years (days / 365, rounded down) of the union of t's
 *                       employments at enterprises listed in emps with is_4341 == 1, each
 *                       from started_on to ended_on (or `on` when open or later), days
 *                       counted inclusively; absent when t has no employment recorded;
 *   employer_4341       the is_4341 of t's current employer (t->enterprise_id) in emps;
 *                       absent when there is none or it is unknown or not listed;
 *   annual_salary       fen: annual_salary_fen of the employment at the current employer
 *                       that is running on `on` (the latest started), when recorded.
 * t->employments must be filled (talent reads fill them).  Returns a new reference, or
 * NULL with a message in err (zh / en) when `on` is not a date or claims is not an array
 * of strings, or when out of memory.
 */
json_t *standard_facts_from_talent(const struct talent *t, const struct standard_employer *emps,
				   size_t nemps, const json_t *claims, const char *on, char *err,
				   size_t errlen);

/*
 * The 4341 status of every enterprise t has worked for (its employments and its current
 * employer), read from the store: enterprises.industry against the industries table's 4341
 * mark (-1 when the enterprise records no industry or is gone).  *out (in a) holds at most
 * one entry per enterprise; TP_OK, or the store's error.
 */
enum tp_rc standard_employers_load(struct store *st, const struct talent *t, struct arena *a,
				   struct standard_employer **out, size_t *n);

#endif
