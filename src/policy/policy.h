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
/* An empty list, for other loaders that report in the same form (ydoc, yaml.h); NULL
 * when out of memory. */
struct pol_errors *pol_errors_new(void);

/* Summary counts of a loaded pack. */
int pol_pack_npolicies(const struct pol_pack *pk);
const char *pol_pack_id(const struct pol_pack *pk);

/* ---- describing a loaded pack (describe.c) ---- */

/* The position in pack order of the policy with this id, or -1. */
int pol_pack_find(const struct pol_pack *pk, const char *id);

/* The title of the policy at idx (pack order) in English when en, else Chinese (either
 * language falls back to the other, then to the id). */
const char *pol_pack_policy_title(const struct pol_pack *pk, int idx, int en);

/* The pack itself: {"id", "title": {"zh", "en"}, "effective", "policies": count}.
 * A new reference, or NULL when out of memory. */
json_t *pol_pack_info_json(const struct pol_pack *pk);

/*
 * The policy at position idx of the pack order: id, title {zh, en}, basis, beneficiary
 * ("person", "enterprise", "person.children"), period (month|year|once), channel
 * (proactive|apply), kind, group (its id, or null).  With detail, also group_title, every
 * parameter with its type and whole dated history [{since, value, source}] (money in fen,
 * maps keyed by tier or enum name), and the expressions as text: let [{name, expr}], due,
 * eligible [..], amount, instalments [{instalment, due, amount, condition}].  A tier
 * policy of a standard pack (kind "tier") also has "tier" and, with detail, "criteria"
 * [{id, title {zh, en}, source, direct, when [expr, ..]}].
 * A new reference (caller decrefs); NULL when idx is out of range or out of memory.
 */
json_t *pol_pack_policy_json(const struct pol_pack *pk, int idx, int detail);

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

/* ==== Facts from columns: whole-population evaluation (columns.c, each.c) ==== */

#include <stdint.h>

/* A date column's values are days since 1970-01-01 (date_to_days()), or one of these: */
#define POL_COL_NONE INT32_MIN         /* not recorded: the fact is absent */
#define POL_COL_BAD (INT32_MIN + 1)    /* recorded, but not a date: a bad fact */

/*
 * The person facts of many talents as columns (a struct of arrays), row i one talent;
 * what the store loads for `talentport policy run` (the mapping from the registry is
 * in src/domain/policy_run.h).  Dates are days or POL_COL_NONE / POL_COL_BAD; levels
 * and ids are 0 when not recorded, booleans neither 0 nor 1; the other columns name
 * their "not recorded".  Year and
 * child rows are grouped per talent: the rows of talent i are year_off[i] ..
 * year_off[i + 1] - 1 (likewise child_off).
 * Fill with pol_talent_cols_alloc(), free with pol_talent_cols_release().
 */
struct pol_talent_cols {
	size_t n, nyears, nchildren;
	int64_t *id;                     /* person.id, written in decimal */
	int64_t *enterprise_id;          /* enterprise.id (the current employer), 0 none */
	int32_t *birth_date, *graduated_on, *tier_from, *tier_to, *quanzhou_selected_on,
		*provincial_selected_on, *home_contract_date, *startup_registered_on;
	uint8_t *degree;                 /* 0 none, k: degree_names[k - 1] */
	int32_t *tier, *quanzhou_level, *provincial_level;
	int8_t *double_first_class, *short_term, *home_in_jinjiang, *home_first,
		*startup_in_jinjiang;
	int64_t *home_area_cm2;          /* m² × 100 (decimal hundredths), < 0 none */
	size_t *year_off;                /* n + 1 */
	int32_t *year;
	uint16_t *insured;               /* bit m - 1: insured in month m */
	int32_t *days_in_jinjiang;       /* < 0 none */
	size_t *child_off;               /* n + 1; a child's item id is "c<k>", k from 1 */
	int32_t *child_birth;
	/* person.self_identified: the talent's active self-identification (企业自主认定) of the
	 * year loaded (domain/self_identification.h); category 0 when none */
	int32_t *si_category, *si_from, *si_to;
	int64_t *si_enterprise;          /* enterprise: this id in decimal */
	int ndegree_names;
	char degree_names[32][24];
};

/* Enterprises as columns: enterprise.id and enterprise.apprentices (the register of
 * migrations/0021).  The apprentices of enterprise i are rows appr_off[i] ..
 * appr_off[i + 1] - 1, in the order listed (id order).  appr_off is zeroed by
 * pol_enterprise_cols_alloc() (no apprentices); pol_enterprise_cols_alloc_apprentices()
 * adds the apprentice rows. */
struct pol_enterprise_cols {
	size_t n, napprentices;
	int64_t *id;
	size_t *appr_off;                /* n + 1 */
	int64_t *appr_id;                /* the item id, written in decimal */
	uint8_t *appr_level;             /* 0 none, 1 "intermediate", 2 "advanced" (the names of
	                                    enum apprentice_level) */
	int32_t *appr_enrolled, *appr_completed; /* days, POL_COL_NONE / POL_COL_BAD */
};

/* Allocates every array for n talents, nyears year rows and nchildren child rows (zeroed;
 * the offset arrays too).  0, or -1 when out of memory (c is then released). */
int pol_talent_cols_alloc(struct pol_talent_cols *c, size_t n, size_t nyears, size_t nchildren);
void pol_talent_cols_release(struct pol_talent_cols *c);
int pol_enterprise_cols_alloc(struct pol_enterprise_cols *c, size_t n);
/* Allocates napprentices apprentice rows (zeroed) for c; 0, or -1 when out of memory. */
int pol_enterprise_cols_alloc_apprentices(struct pol_enterprise_cols *c, size_t napprentices);
void pol_enterprise_cols_release(struct pol_enterprise_cols *c);

/*
 * A filler makes the facts of one row at a time from the columns, into storage it
 * reuses (no allocation per row).  It binds the pack's facts schema to the columns once:
 * a schema field the columns give must have the columns' type (NULL and a message in err
 * otherwise; a field the schema lacks is not filled).  One filler per thread; the pack
 * and the columns are only read.  ec may be NULL (no enterprise rows).
 */
struct pol_filler;
struct pol_filler *pol_filler_new(const struct pol_pack *pk, const struct pol_talent_cols *tc,
				  const struct pol_enterprise_cols *ec, char *err, size_t errlen);
void pol_filler_free(struct pol_filler *f);

/*
 * The facts of talent row i: the person and, when the talent has an employer, the
 * enterprise {id}.  The same facts as pol_facts_from_json() reads from the talent's facts
 * document; valid until the next call on f (do not pol_facts_free() them).  NULL when a
 * value is a bad fact, with err naming it as pol_facts_from_json() does
 * ("person.tier.level: 9 is outside 1..7").
 */
const struct pol_facts *pol_filler_talent(struct pol_filler *f, size_t i, char *err,
					  size_t errlen);
/* The facts of enterprise row i (the enterprise alone); as pol_filler_talent(). */
const struct pol_facts *pol_filler_enterprise(struct pol_filler *f, size_t i, char *err,
					      size_t errlen);

/* One granted or excluded entitlement, as pol_eval_each() hands it out.  Strings live as
 * long as the pack (policy, kind, excluded_by) or until the callback returns (item,
 * explanation). */
struct pol_entitlement {
	const char *policy;
	const char *kind;            /* "cash" | "loan" | "nights" | "service" | "points" */
	int enterprise;              /* the beneficiary: 0 the person, 1 the enterprise */
	const char *beneficiary;     /* its id, as in the facts */
	const char *item;            /* the item's id, "" when the policy is not per item */
	int year, month;             /* the period key: "Y" (month 0) or "Y-MM" */
	int instalment;              /* from 1 */
	int excluded;                /* 0 granted, 1 excluded (amount 0) */
	const char *excluded_by;     /* the group's winner when excluded, else NULL */
	int money;                   /* 1: amount is fen (cash, loan); 0: a quantity */
	int apply;                   /* 1: the policy's channel is apply (an application is
	                                needed, 快申快享); 0: proactive (免申即享) */
	int64_t amount;
	const char *explanation;     /* the "explanation" value exactly as pol_eval_json() */
	size_t explanation_len;      /* writes it, when asked for; else NULL, 0 */
};
typedef int (*pol_entitlement_fn)(void *arg, const struct pol_entitlement *e);

#define POL_FOR_PERSON 1         /* policies whose beneficiary is the person */
#define POL_FOR_ENTERPRISE 2     /* ... the enterprise */

/*
 * Calls fn for each granted or excluded entitlement of the facts in year, in the order of
 * pol_eval_json()'s list, for the policies whose beneficiary is in `roots` (a mask of
 * POL_FOR_*).  explain != 0 also hands out each entitlement's explanation JSON.
 * Returns 0, fn's first nonzero, -1 when out of memory, or -2 when the eval document
 * does not list the same entitlements (a bug).
 */
int pol_eval_each(const struct pol_pack *pk, const struct pol_facts *f, int year, int roots,
		  int explain, pol_entitlement_fn fn, void *arg);

/* ---- Counting without explanations (src/policy/fast.c) ------------------------------
 * For whole-population runs and benchmarks: the entitlements pol_eval_json() lists
 * (all == 0) for a beneficiary and a year, only counted, per policy.  Nothing is
 * explained, recorded or allocated per call; a prepared pack is read-only and may be
 * shared by threads (each with its own totals).
 */
#include <stdint.h>

#define POL_TOTALS_MAX 64 /* policies in a pack that pol_fast_new() accepts */

struct pol_totals {                     /* indexed by the policy's position in the pack order */
	int64_t granted[POL_TOTALS_MAX];  /* entitlements granted */
	int64_t excluded[POL_TOTALS_MAX]; /* entitlements excluded by an exclusive group */
	int64_t amount[POL_TOTALS_MAX];   /* granted amount_fen (cash, loan) or quantity */
};

struct pol_fast;

/* Prepares pk (which must outlive it) once; NULL when out of memory or the pack has more
 * than POL_TOTALS_MAX policies. */
struct pol_fast *pol_fast_new(const struct pol_pack *pk);
void pol_fast_free(struct pol_fast *f);

/* Adds the entitlements of facts for year to *out (the caller zeroes it first).  Returns 0. */
int pol_eval_counts(const struct pol_fast *f, const struct pol_facts *facts, int year,
		    struct pol_totals *out);

void pol_totals_add(struct pol_totals *to, const struct pol_totals *from);

/* Whether some expression of pk may read the fact named by path ("person.id",
 * "person.children.id": through lists to their items), as a whole or a part of it, or
 * a record it is in as a whole (src/policy/reads.c).  0 only when no expression can: a
 * filler may then leave that fact absent and every result stays the same.  1 for a
 * name that is not in the schema. */
int pol_pack_reads(const struct pol_pack *pk, const char *path);

#endif
