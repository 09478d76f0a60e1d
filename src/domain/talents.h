/*
 * talents.h — the rules of the talent registry.
 *
 * The API layer turns a request into a struct talent; the import turns a row
 * into one; both pass it through talent_check() so that the same rules hold for
 * every way a talent enters the registry.
 */
#ifndef TP_DOMAIN_TALENTS_H
#define TP_DOMAIN_TALENTS_H

#include "domain/actor.h"
#include "domain/registry.h"

/*
 * Checks every field of t against the registry's rules and normalizes it in place:
 * the ID number (GB 11643, 15-digit legacy converted), birth date and gender derived
 * from it (a given value that disagrees is an error), phone, reference codes
 * (town, industry, degree, title) known to the store, enterprise present, dates
 * ordered (tier_from ≤ tier_to), the highest degree taken from the educations.
 * Adds one error per broken rule to ve (field names as in the API).  Returns
 * TP_OK when the rules hold, TP_ERR_INVALID when ve got errors, or a store error.
 * Does not check uniqueness of the ID number (the insert does).
 */
enum tp_rc talent_check(struct store *st, struct talent *t, struct verrors *ve);

/*
 * Creates a talent: talent_check(), then insert (with its child rows) in one
 * transaction.  An ID number already registered adds an "id_number_taken" error
 * and returns TP_ERR_CONFLICT.  On success t->id is set.
 */
enum tp_rc talent_create(struct store *st, const struct actor *who, struct talent *t,
			 struct verrors *ve);

/* Saves a changed talent (loaded with store talent_get and modified): talent_check(),
 * then update in one transaction.  TP_ERR_CONFLICT when the ID number is taken by
 * another talent or the record changed meanwhile. */
enum tp_rc talent_save(struct store *st, const struct actor *who, struct talent *t,
		       struct verrors *ve);

/* Adds an employment record after checking dates and that the enterprise exists.  An
 * open record (no ended_on) also makes the enterprise the talent's current employer. */
enum tp_rc employment_add(struct store *st, const struct actor *who, struct employment *e,
			  struct verrors *ve);

/* Saves a changed employment record (ended_on, position, salary).  Ending the record of
 * the talent's current employer (current_employer) clears the current employer;
 * reopening one (ended_on NULL) makes its enterprise the current employer. */
enum tp_rc employment_change(struct store *st, const struct actor *who,
			     int64_t current_employer, struct employment *e, struct verrors *ve);

/* Fills q->id_number when q->q looks like an ID number (normalizing it). */
void registry_query_prepare(struct registry_query *q);

#endif
