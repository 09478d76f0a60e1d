/*
 * explain_int.h — value and path rendering shared by explain.c and explain_text.c.
 */
#ifndef TP_POL_EXPLAIN_INT_H
#define TP_POL_EXPLAIN_INT_H

#include <stddef.h>

#include "core/jsonw.h"
#include "policy/eval_int.h"

/* Writes v (of type t) as JSON: dates as "YYYY-MM-DD", decimals as numbers, enums by name,
 * missing as null. */
void pol_value_json(struct jw *w, const struct pol_pack *pk, const struct ptype *t, struct pval v, int depth);
/* "person.insured_months[2026]" or "person.tier.level" into buf. */
char *pol_path_key(const struct pol_read *r, char *buf, size_t len);
/* The traces of an explanation, in order: lets, conditions, amount, instalment condition. */
void pol_expl_collect(const struct expl *x, const struct pol_trace **tr, int *ntr);
/* One condition: {"expr", "result", "missing"?, "values"}. */
void pol_cond_json(struct jw *w, const struct pol_pack *pk, const struct expl_cond *c);
/* "parameters": [...] and "missing": [...] of e->x (e->pol's parameters), as in an
 * entitlement's explanation; a key and its value each. */
void pol_params_json(struct jw *w, const struct pol_pack *pk, const struct ent *e);
void pol_missing_json(struct jw *w, const struct ent *e);
/* "2026" or "2026-03" */
void pol_period_key(const struct ent *e, char *buf, size_t len);

#endif
