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

/* Certificates are valid for this many years by default (issue 5). */
#define IDENT_VALID_YEARS 5

/*
 * Checks ap->form (a JSON object: "claims", an array of at most 20 claim codes such as
 * "academician"; "statement", at most 2000 characters) and fills ap->proposed_tier and
 * ap->proposal from the facts the platform holds about t.  With no claimed tier the
 * proposal is taken; with neither, TP_ERR_INVALID naming claimed_tier.
 */
enum tp_rc identification_prepare(struct store *st, struct application *ap,
				  const struct talent *t, int64_t now, struct verrors *ve);

/* Checks a form as identification_prepare() does (field errors in ve). */
void identification_check_form(const char *form, struct verrors *ve);

/*
 * The announcement closed without an objection upheld: records the talent at
 * ap->final_tier from today for IDENT_VALID_YEARS years (audited) and sets
 * ap->certificate_id when a certificate was issued.
 */
enum tp_rc identification_certify(struct store *st, const struct actor *who,
				  struct application *ap, int64_t now, struct verrors *ve);

#endif
