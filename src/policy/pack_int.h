/*
 * pack_int.h — what pack.c and policy_load.c share.
 */
#ifndef TP_POL_PACK_INT_H
#define TP_POL_PACK_INT_H

#include "policy/pol_int.h"
#include "policy/yaml.h"

int pol_find_enum(const struct pol_pack *pk, const char *name);
/* "int", "money", … or an enum name; NULL if unknown. */
const struct ptype *pol_scalar_type(struct pol_pack *pk, const char *s);
/* A field type of the facts schema (or a parameter's value type); NULL after reporting. */
const struct ptype *pol_type_spec(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n, int depth,
				  int *required);
/* Loads one policy file, compiling its expressions; NULL when it has no usable id. */
struct ppolicy *pol_policy_load(struct pol_pack *pk, struct ydoc *d);

#endif
