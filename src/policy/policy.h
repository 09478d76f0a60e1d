/*
 * policy.h — the policy engine: load a pack (docs/policy-language.md), read a
 * beneficiary's facts, evaluate every entitlement for a period, explain it.
 *
 * Pure: knows nothing of HTTP or SQL.  A loaded pack is read-only and may be
 * shared by threads; each evaluation uses its own facts and output.
 */
#ifndef TP_POLICY_H
#define TP_POLICY_H

#include <stddef.h>

#include <jansson.h>

struct pol_pack;
struct pol_facts;
struct pol_errors;

/*
 * Loads the pack in directory dir (pack.yaml plus one YAML file per policy).
 * On success returns 0 and sets *out (free with pol_pack_free()).  On failure
 * returns -1, sets *out to NULL and *errs to a list of every problem found
 * (free with pol_errors_free()); each message is "file:line:col: 中文 / English".
 */
int pol_pack_load(const char *dir, struct pol_pack **out, struct pol_errors **errs);

/* Loads a pack from in-memory files (name + text pairs; "pack.yaml" among them), as
 * pol_pack_load() does; used by the fuzz harness and the unit tests. */
int pol_pack_load_mem(size_t nfiles, const char *const *names, const char *const *texts,
		      const size_t *lens, struct pol_pack **out, struct pol_errors **errs);

void pol_pack_free(struct pol_pack *pk);

/* Number of errors and the i-th message; the list is owned by errs. */
int pol_errors_count(const struct pol_errors *errs);
const char *pol_errors_get(const struct pol_errors *errs, int i);
void pol_errors_free(struct pol_errors *errs);

/* Summary counts of a loaded pack. */
int pol_pack_npolicies(const struct pol_pack *pk);
const char *pol_pack_id(const struct pol_pack *pk);

/*
 * Reads a facts document (the JSON of default-pack.md) against the pack's facts
 * schema.  Returns the facts (free with pol_facts_free()) or NULL with a message
 * naming the bad field in err ("person.tier.level: 9 is outside 1..7").
 */
struct pol_facts *pol_facts_from_json(const struct pol_pack *pk, json_t *doc, char *err,
				      size_t errlen);
void pol_facts_free(struct pol_facts *f);

/*
 * Evaluates every policy of the pack for the facts and the year, and returns
 * the eval document ({"period": "Y", "entitlements": [...]}) as malloc'd JSON
 * text with a trailing newline (caller frees), or NULL when out of memory.
 * all != 0 lists ineligible entitlements too.
 */
char *pol_eval_json(const struct pol_pack *pk, const struct pol_facts *f, int year, int all);

/* What `policy explain` selects: policy id, optional item id (NULL), instalment
 * (0: any), month (0: any; for month policies). */
struct pol_select {
	const char *policy, *item;
	int instalment, month;
};

/*
 * Writes the explanation of the selected entitlement as an indented tree in
 * lang ("zh" or "en") to a malloc'd string (caller frees).  Returns NULL with
 * *notfound = 1 when no entitlement matches, or on out of memory (*notfound = 0).
 */
char *pol_explain_text(const struct pol_pack *pk, const struct pol_facts *f, int year,
		       const struct pol_select *sel, const char *lang, int *notfound);

#endif
