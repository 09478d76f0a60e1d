/*
 * certificates.h — talent certificates (人才认定证书) and their talent codes (人才码).
 *
 * A certificate says that a talent holds tier 1..7 from valid_from to valid_to (civil
 * dates, inclusive).  It is issued at the end of an identification application (the
 * workflow calls cert_issue_in_tx inside its own transaction) or recorded directly by
 * the office for a person already certified by the province or Quanzhou (cert_issue).
 * Its talent code (core/talent_code.h) is signed with the key file's active code key
 * when it is issued and never changes; renewing or upgrading issues a new certificate
 * and supersedes the old one.
 *
 * States and actions (anything else is TP_ERR_CONFLICT, see cert_allowed_actions):
 *   valid      -> suspend -> suspended -> reinstate -> valid
 *   valid | suspended -> revoke -> revoked (final)
 *   valid      -> renew | upgrade -> superseded (final; a new valid certificate)
 * The registry follows: after every change the talent's tier, tier_from and tier_to are
 * those of their newest valid certificate, or none — so the policy pack sees it.
 * Every change is audited ("certificate.issue" ...) in the same transaction.
 */
#ifndef TP_DOMAIN_CERTIFICATES_H
#define TP_DOMAIN_CERTIFICATES_H

#include <stdint.h>

#include "core/date.h"
#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct arena;
struct store;

#define CERT_YEARS_DEFAULT 5
#define CERT_ISSUER_DEFAULT "晋江市人才办"
#define CERT_ISSUER_SETTING "certificate.issuer" /* settings table: the issuer's name */
#define CERT_REASON_MAX_CHARS 200

struct certificate {
	int64_t id, version, talent_id;
	int tier;
	const char *valid_from, *valid_to; /* YYYY-MM-DD, inclusive */
	const char *issued_at;             /* UTC "2026-11-27T02:21:15Z" */
	const char *issuer;                /* 晋江市人才办 */
	const char *basis;                 /* why: "application", a provincial certification ... */
	const char *status;                /* valid | suspended | revoked | superseded */
	const char *status_reason, *status_at; /* the last change of status; NULL when none */
	int64_t superseded_by;             /* 0 none */
	int64_t application_id;            /* 0 none (direct recording) */
	const char *key_id;                /* 8 hex: the code key that signed the token */
	const char *token;                 /* the talent code */
	const char *issued_by;             /* username */
};

struct cert_request {
	int64_t talent_id;
	int tier;                /* 1..7 */
	const char *valid_from;  /* YYYY-MM-DD, required */
	const char *valid_to;    /* NULL: valid_from + CERT_YEARS_DEFAULT years - 1 day */
	const char *basis;       /* NULL or up to CERT_REASON_MAX_CHARS characters */
	int64_t application_id;  /* 0 none */
};

/*
 * Issues a certificate in the caller's open transaction (store_begin): checks req
 * (field errors in ve: talent_id unknown, tier, dates, basis → TP_ERR_INVALID),
 * supersedes the talent's valid certificates, inserts the new one, signs its talent code,
 * sets the talent's tier in the registry and audits "certificate.issue" — all or nothing
 * with the caller's transaction.  TP_ERR_CONFLICT (with an error on "talent_id") when the
 * talent has a suspended certificate; TP_ERR_NOT_FOUND when the key file has no code key.
 * On TP_OK *out is the stored certificate (strings in a).
 */
enum tp_rc cert_issue_in_tx(struct store *st, const struct actor *who,
			    const struct cert_request *req, struct arena *a,
			    struct certificate *out, struct verrors *ve);

/* cert_issue_in_tx in a transaction of its own. */
enum tp_rc cert_issue(struct store *st, const struct actor *who, const struct cert_request *req,
		      struct arena *a, struct certificate *out, struct verrors *ve);

enum cert_action { CERT_SUSPEND, CERT_REINSTATE, CERT_REVOKE };

/*
 * Suspends, reinstates or revokes certificate id with a reason (required, at most
 * CERT_REASON_MAX_CHARS characters; TP_ERR_INVALID with an error on "reason").  An action
 * its status does not allow is TP_ERR_CONFLICT (cert_allowed_actions names the allowed
 * ones).  One transaction with the registry's tier and the audit record.  *out (may be
 * NULL) gets the changed certificate.
 */
enum tp_rc cert_change_status(struct store *st, const struct actor *who, int64_t id,
			      enum cert_action action, const char *reason, struct arena *a,
			      struct certificate *out, struct verrors *ve);

/*
 * Renews (tier 0: same tier) or upgrades (tier: a higher one, i.e. a smaller number;
 * TP_ERR_INVALID otherwise) valid certificate id: a new certificate from valid_from
 * (NULL: the day after the old one ends, or today when that has passed) to valid_to
 * (NULL: 5 years), the old one superseded by it.  *out gets the new certificate.
 */
enum tp_rc cert_renew(struct store *st, const struct actor *who, int64_t id, int tier,
		      const char *valid_from, const char *valid_to, const char *reason,
		      struct arena *a, struct certificate *out, struct verrors *ve);

struct tc_claims;
/*
 * The status of a talent code on date `on` (Asia/Shanghai): the code's own verdict
 * (core/talent_code.h) against every code key of the store's key file, old ones too, then
 * the certificate's record.  Returns "valid", "expired", "not_yet_valid", "revoked",
 * "suspended", "superseded", "forged" or "malformed"; NULL when the store failed.  *cl
 * gets the code's claims; *c the certificate when one is reported (c->id 0 otherwise: a
 * forged or malformed code, or a signed one whose record is gone, reported "revoked").
 * A code whose signature holds but whose claims differ from the record is "forged".
 */
const char *cert_verify(struct store *st, struct arena *a, const char *token,
			struct civil_date on, struct tc_claims *cl, struct certificate *c);

/* Today in Asia/Shanghai by the injectable clock (core/clock.h tp_now). */
struct civil_date cert_today(void);

/* The actions status allows, as "suspend, revoke, renew, upgrade" ("" for final states). */
const char *cert_allowed_actions(const char *status);

/* "张*" — the first character of name and one * for each further one (arena string). */
const char *cert_mask_name(struct arena *a, const char *name);

/* "第三层次人才" for tiers 1..7, "" otherwise. */
const char *cert_tier_zh(int tier);

#endif
