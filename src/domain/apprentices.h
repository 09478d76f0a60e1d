/*
 * apprentices.h — the apprentice register (企业新型学徒制; issue 7 item 4,
 * migrations/0021_apprentices.sql): the apprentices an enterprise trains, the facts
 * enterprise.apprentices[] of policy apprentice-training (docs/policies.md).
 *
 * Every change runs in one write transaction with its audit record ("apprentice.create",
 * "apprentice.update"); the ID number is sealed by the store and only its mask is read back.
 */
#ifndef TP_DOMAIN_APPRENTICES_H
#define TP_DOMAIN_APPRENTICES_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct arena;

struct apprentice {
	int64_t id, version, enterprise_id;
	const char *name;
	const char *id_number;   /* plaintext, on create only (never read back) */
	const char *id_mask;     /* "350582********123X" */
	const char *level;       /* "intermediate" | "advanced" */
	const char *enrolled_on; /* YYYY-MM-DD, NULL: not recorded */
	const char *completed_on;/* YYYY-MM-DD, NULL: not completed (yet) */
	const char *created_at, *updated_at;
};

/* The levels, NULL-terminated, in the pack's enum order (apprentice_level). */
extern const char *const APPRENTICE_LEVELS[];

/*
 * Checks a (name 1..50 characters, ID number a valid 18-digit 身份证号, level one of
 * APPRENTICE_LEVELS, dates YYYY-MM-DD in 2000..2100, completed_on only with enrolled_on
 * and not before it) and, on create, normalizes the ID number.  Adds one error per broken
 * rule naming the field (zh + en); returns the number of errors.
 */
size_t apprentice_check(struct apprentice *a, int create, struct verrors *ve);

/*
 * Registers a for a->enterprise_id (the caller checked it may); sets a->id and version 1.
 * TP_ERR_INVALID with ve; TP_ERR_CONFLICT with ve (field id_number) when the enterprise
 * already registered this person at this level.
 */
enum tp_rc apprentice_create(struct store *st, const struct actor *who, struct apprentice *a,
			     struct verrors *ve);

/*
 * Saves the name, level and dates of a when a->version is the stored version (CONFLICT
 * otherwise: the caller reloads) and bumps a->version.  TP_ERR_INVALID with ve.
 */
enum tp_rc apprentice_save(struct store *st, const struct actor *who, struct apprentice *a,
			   struct verrors *ve);

#endif
