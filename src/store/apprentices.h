/*
 * store/apprentices.h — storage of the apprentice register (domain/apprentices.h,
 * migrations/0021_apprentices.sql), hung off struct store_ops (`appr`).  Same rules as
 * store.h.  The ID number is sealed by the store (aad "apprentices.id_number", blind
 * index domain "id_number"); reads give its mask only.
 */
#ifndef TP_STORE_APPRENTICES_H
#define TP_STORE_APPRENTICES_H

#include "domain/apprentices.h"
#include "store/store.h"

struct appr_store_ops {
	/* Inserts a (sealing a->id_number) and sets a->id, a->version = 1; CONFLICT when
	 * the enterprise has this person at this level already. */
	enum tp_rc (*insert)(struct store *st, struct apprentice *a);
	/* Writes name, level, enrolled_on, completed_on WHERE version = a->version (CONFLICT
	 * otherwise, NOT_FOUND when missing) and bumps a->version. */
	enum tp_rc (*update)(struct store *st, struct apprentice *a);
	/* One apprentice; NOT_FOUND when missing. */
	enum tp_rc (*get)(struct store *st, int64_t id, struct arena *a, struct apprentice *out);
	/* An enterprise's apprentices in id order (*out in a). */
	enum tp_rc (*list)(struct store *st, int64_t enterprise_id, struct arena *a,
			   struct apprentice **out, size_t *n);
	/* An enterprise's claim (domain/benefits.c): TP_ERR_CONFLICT when the entitlement of
	 * the key (policy, enterprise, item, period_key, instalment) has moved on already
	 * (confirmed, paid, cancelled ...), TP_OK when it is pending, excluded or not there. */
	enum tp_rc (*entitlement_open)(struct store *st, const char *policy, int64_t enterprise_id,
				       const char *item, const char *period_key, int instalment);
};

#endif
