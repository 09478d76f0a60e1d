/*
 * policy_facts.h — a stored talent as the facts document a policy pack reads
 * (shared/reference/default-pack.md, "The facts a pack reads").
 *
 * The registry's "not recorded" values (NULL strings, -1 unknown booleans and
 * numbers, 0 for "no tier / no level / no employer", an empty insured-month mask,
 * an empty list) become absent members, never false or 0: an absent fact makes a
 * condition false and the explanation says which fact was missing.
 */
#ifndef TP_DOMAIN_POLICY_FACTS_H
#define TP_DOMAIN_POLICY_FACTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/registry.h"

/*
 * Builds {"person": {...}, "enterprise": {"id": "<enterprise id>"}} for t:
 *   person.id           the talent id in decimal ("123");
 *   tier                {level, from, to} when t->tier is 1..7 (from/to when recorded);
 *   insured_months      {"2026": [1, 2, …]} for each year whose mask has a month;
 *   days_in_jinjiang    {"2026": 45} for each year whose days are known (0 included);
 *   home_purchase       the members recorded (area in m² from cm²), absent when none is;
 *   startup             likewise;
 *   children            [{"id": "c1", "birth_date": …}, …] numbered from 1 in stored order;
 *   enterprise          only when the talent has a current employer ({id} alone: its
 *                       apprentices are the enterprise's facts, policy_facts_from_enterprise()).
 * self_identified is not in struct talent: policy_facts_put_self_identified() adds it.
 * Returns a new reference (caller decrefs), or NULL when out of memory.
 */
json_t *policy_facts_from_talent(const struct talent *t);

struct self_identification;
/*
 * Adds person.self_identified {category, enterprise: "<enterprise id>", from, to} to doc
 * from an active nomination (domain/self_identification.h; the caller picks the one of the
 * year evaluated).  n NULL adds nothing.  0, or -1 when out of memory.
 */
int policy_facts_put_self_identified(json_t *doc, const struct self_identification *n);

struct apprentice;
/*
 * Builds {"enterprise": {"id": "<id>", "apprentices": [...]}} for an enterprise and its
 * apprentices (domain/apprentices.h, in id order): each {"id": "<apprentice id>", "level",
 * "enrolled_on", "completed_on"}, a date member absent when not recorded; "apprentices"
 * absent when there is none.  No person.  The same facts `policy run` fills from columns
 * (src/policy/columns.c).  A new reference, or NULL when out of memory.
 */
json_t *policy_facts_from_enterprise(int64_t enterprise_id, const struct apprentice *ap,
				     size_t n);

#endif
