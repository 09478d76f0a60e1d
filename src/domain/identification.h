/*
 * identification.h — what a talent identification application (人才认定) means beyond
 * its workflow: the form, the tier the standard proposes, and the certification when
 * the public announcement closes.  Called by applications.c inside its transaction.
 */
#ifndef TP_DOMAIN_IDENTIFICATION_H
#define TP_DOMAIN_IDENTIFICATION_H

#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct application;
struct talent;
struct pol_pack;
struct arena;

#include <jansson.h>

/* The identification standard (policies/jinjiang/standard, policy/standard.h) proposals
 * are made with; set once before serving (NULL: no proposals, the claimed tier counts). */
void identification_set_standard(const struct pol_pack *pk);
int identification_has_standard(void);

/*
 * The tier the standard proposes today for talent t with claims (a JSON array of claim
 * codes, or NULL) and its explanation document (policy/standard.h) as JSON text in a.
 * With no standard loaded: *tier 0 and *json NULL.  Nothing holding: *tier 0, with the
 * explanation.
 * TP_ERR_INVALID when a claim is not one the standard knows.
 */
enum tp_rc identification_propose(struct store *st, const struct talent *t, json_t *claims,
				  int64_t now, struct arena *a, int *tier, const char **json);

/*
 * Checks ap->form (a JSON object: "claims", an array of at most 20 claim codes such as
 * "academician"; "statement", at most 2000 characters) and fills ap->proposed_tier and
 * ap->proposal from the facts the platform holds about t.  With no claimed tier the
 * proposal is taken; with neither, TP_ERR_INVALID naming claimed_tier.
 */
enum tp_rc identification_prepare(struct store *st, struct application *ap,
				  const struct talent *t, int64_t now, struct verrors *ve);

/*
 * The announcement closed without an objection upheld: issues the certificate of
 * ap->final_tier from today (domain/certificates.h: five years by default, its talent code
 * signed, the registry's tier set, audited) inside the caller's transaction, and sets
 * ap->certificate_id.
 */
enum tp_rc identification_certify(struct store *st, const struct actor *who,
				  struct application *ap, int64_t now, struct verrors *ve);

#endif
