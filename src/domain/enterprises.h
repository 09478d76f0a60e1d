/*
 * enterprises.h — the rules for enterprises (用人单位) in the registry.
 */
#ifndef TP_DOMAIN_ENTERPRISES_H
#define TP_DOMAIN_ENTERPRISES_H

#include "domain/actor.h"
#include "domain/registry.h"

/* Checks and normalizes e: name, credit code (GB 32100 check character), town,
 * industry and size codes, contact phone.  TP_ERR_INVALID with errors in ve. */
enum tp_rc enterprise_check(struct store *st, struct enterprise *e, struct verrors *ve);

/* enterprise_check(), then insert in one transaction; a credit code already
 * registered is TP_ERR_CONFLICT with a "credit_code_taken" error. */
enum tp_rc enterprise_create(struct store *st, const struct actor *who, struct enterprise *e,
			     struct verrors *ve);

/* enterprise_check(), then update; TP_ERR_CONFLICT for a taken credit code or a stale version. */
enum tp_rc enterprise_save(struct store *st, const struct actor *who, struct enterprise *e,
			   struct verrors *ve);

#endif
