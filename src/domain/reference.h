/*
 * reference.h — the rules for the editable code tables (today: the "4341" industries).
 */
#ifndef TP_DOMAIN_REFERENCE_H
#define TP_DOMAIN_REFERENCE_H

#include "domain/actor.h"
#include "domain/registry.h"

/*
 * Checks that code (when not NULL) is in the code table `kind`; an unknown one adds an
 * "unknown_code" error for field.  Returns TP_OK (errors, if any, are in ve) or the
 * store's error.
 */
enum tp_rc reference_check(struct store *st, enum ref_kind kind, const char *field,
			   const char *code, struct verrors *ve);

/*
 * Adds (create) or changes an industry code.  The table is a two-level tree: a group
 * (no parent) and the industries under it.  Rules: code 1..16 of A-Z 0-9 _; both names
 * given; a parent must be an existing group, not the code itself, and a code that has
 * industries under it cannot itself get a parent.  TP_ERR_INVALID with errors in ve;
 * TP_ERR_CONFLICT when creating a code that exists; TP_ERR_NOT_FOUND when changing one
 * that does not.
 */
enum tp_rc industry_save(struct store *st, const struct actor *who, struct ref_item *it,
			 int create, struct verrors *ve);

#endif
