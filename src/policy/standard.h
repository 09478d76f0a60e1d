/*
 * standard.h — the identification standard (人才认定标准) as a pack of its own
 * (pack.yaml `kind: standard`, one `kind: tier` file per tier: docs/policy-language.md,
 * "Standard packs"): which tier the facts of a person support on a date, which
 * criteria matched, why, and whether the tier is recorded without a second review.
 *
 * Pure: knows nothing of HTTP or SQL.  The pack is only read (threads may share it).
 */
#ifndef TP_POL_STANDARD_H
#define TP_POL_STANDARD_H

#include <stddef.h>

#include "policy/policy.h"

/* 1 when pk was loaded from a pack.yaml with `kind: standard`, else 0. */
int pol_pack_is_standard(const struct pol_pack *pk);

#define POL_PROPOSAL_MAX 32 /* matched criteria reported per list */

/*
 * What pol_standard_propose() found.  Criterion ids are owned by the pack.
 *   tier            the proposed tier: the highest (numerically lowest) tier of which any
 *                   criterion holds; 0 when none holds;
 *   matched         the criteria of that tier that hold, in file order;
 *   direct          1 when one of them is marked `direct: true` (a provincial or Quanzhou
 *                   certification): the tier is recorded without a second review;
 *   direct_tier     the highest tier of which a direct criterion holds, 0 none (equal to
 *                   tier when direct; a lower tier — larger number — when the proposed
 *                   tier comes from ordinary criteria and needs the review);
 *   direct_matched  the direct criteria of direct_tier that hold.
 */
struct pol_proposal {
	int tier;
	int nmatched;
	const char *matched[POL_PROPOSAL_MAX];
	int direct;
	int direct_tier;
	int ndirect_matched;
	const char *direct_matched[POL_PROPOSAL_MAX];
};

#define POL_STD_OOM (-1)          /* out of memory */
#define POL_STD_NOT_STANDARD (-2) /* pk is not a standard pack */
#define POL_STD_BAD_DATE (-3)     /* on is not a date YYYY-MM-DD */

/*
 * Judges every criterion of every tier of the standard pack pk for the facts f (read
 * with pol_facts_from_json() against pk) on the date `on` ("YYYY-MM-DD"): parameters take
 * their values in force on that day, and `period.start`/`period.end` are that day.  A
 * criterion holds when every condition of its `when` is true (a missing fact makes it
 * false).  Fills *out and, when json is not NULL, sets *json to the proposal document
 * (malloc'd, with a trailing newline; caller frees):
 *
 *   {"standard": "<pack id>", "on": "YYYY-MM-DD",
 *    "tier": 4 | null, "title": {"zh", "en"} | null,
 *    "matched": ["<criterion id>", …],
 *    "direct": false, "direct_tier": 5 | null, "direct_matched": [..],
 *    "explanation": {"tiers": [                         // tier 1 .. max(tier, direct_tier);
 *      {"tier": 1, "policy": "tier-1", "title": {..}, "basis": "…",   // every tier when none
 *       "result": false, "matched": [],
 *       "let": [{"name", "value"}], "parameters": [..],  // what the let names read
 *       "no_value_in_force": "<parameter>",           // only when one has no value that day
 *       "criteria": [{"id", "title": {"zh", "en"}, "source", "direct": bool, "result": bool,
 *                     "conditions": [{"expr", "result", "missing"?, "values": {path: value}}],
 *                     "parameters": [{"name", "key"?, "value", "since", "source"}],
 *                     "missing": [..]}]}]},
 *    "missing": ["person.years_in_4341", …]}          // facts missing in the explained tiers
 *
 * The conditions, parameters and missing lists have the shapes of an entitlement's
 * explanation (docs/policy-language.md, "Explanations").  Returns 0, or POL_STD_OOM,
 * POL_STD_NOT_STANDARD, POL_STD_BAD_DATE (*json is then NULL).
 */
int pol_standard_propose(const struct pol_pack *pk, const struct pol_facts *f, const char *on,
			 struct pol_proposal *out, char **json);

/*
 * The proposal document of pol_standard_propose() as an indented tree for people, in
 * lang "zh" (default) or "en": the proposed tier, the matched criteria, whether it is
 * recorded directly, then every explained tier with each criterion, its result, source
 * and the values it read.  A malloc'd string (caller frees), or NULL when out of memory
 * or doc is not such a document.
 */
char *pol_standard_text(const json_t *doc, const char *lang);

#endif
