/*
 * self_identification.h — enterprise self-identification (企业自主认定), issue 5 item 4.
 *
 * The talent office qualifies an enterprise for a year (when it meets the criteria of
 * self_id_criteria, migrations/0012) and sets its quota per category (一类/二类/三类;
 * defaults by enterprise size from self_id_quota_defaults).  The qualified employer
 * nominates staff it currently employs, within the quota; the office may add an audit note
 * to any nomination and revoke it; the employer may withdraw its own nomination until the
 * office has audited it.  An active nomination is the fact person.self_identified
 * {category, enterprise, from, to} of the policy pack (policy_facts.h, policy/columns.c).
 *
 * Every change runs in one write transaction (BEGIN IMMEDIATE) with its audit record, so
 * the quota count and the insert of a nomination cannot interleave with another's: of two
 * nominations racing for the last slot exactly one is written.
 */
#ifndef TP_DOMAIN_SELF_IDENTIFICATION_H
#define TP_DOMAIN_SELF_IDENTIFICATION_H

#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct arena;

#define SELFID_JUSTIFICATION_MAX 500 /* characters */
#define SELFID_YEAR_MIN 2000
#define SELFID_YEAR_MAX 2100

/* One nomination (a row of self_identifications); strings live in the reader's arena. */
struct self_identification {
	int64_t id, enterprise_id, talent_id;
	int year, category;          /* category 1..3 */
	const char *justification;
	const char *from, *to;       /* validity, YYYY-MM-DD, both included */
	const char *status;          /* "active" | "withdrawn" | "revoked" */
	const char *nominated_by, *nominated_at;
	const char *audit_note, *audited_by, *audited_at;        /* NULL until audited */
	const char *revoked_reason, *revoked_by, *revoked_at;    /* NULL unless revoked */
	const char *withdrawn_at;                                /* NULL unless withdrawn */
	const char *talent_name, *enterprise_name;               /* filled on reads */
};

/* An enterprise's standing for a year: its qualification and quotas with their use. */
struct selfid_standing {
	int64_t enterprise_id;
	int year;
	int revoked;
	const char *qualified_by, *qualified_at;
	int64_t quota[3], used[3]; /* index category - 1; used = active nominations */
};

/* A qualification criterion that is switched on (self_id_criteria). */
struct selfid_criterion {
	const char *code, *name_zh, *name_en;
};

/* List filters; 0 / NULL / -1 = any. */
struct selfid_query {
	int64_t enterprise_id, talent_id;
	int year, category;
	const char *status;
	int audited; /* -1 any, 0 not yet, 1 audited */
	int page, per_page;
};

/* State changes of a nomination (store op selfid_transition). */
enum selfid_change { SELFID_AUDIT, SELFID_REVOKE, SELFID_WITHDRAW };

/*
 * Qualifies enterprise eid for year (office).  TP_ERR_NOT_FOUND without the enterprise;
 * TP_ERR_INVALID with one error per unmet criterion (field "enterprise_id", code
 * "criterion_<code>", naming the criterion); TP_ERR_CONFLICT (error "already_qualified")
 * when already qualified that year.  The quotas start at self_id_quota_defaults for the
 * enterprise's size.  *out gets the standing.
 */
enum tp_rc selfid_qualify(struct store *st, const struct actor *who, int64_t eid, int year,
			  struct arena *a, struct verrors *ve, struct selfid_standing *out);

/* Sets the quota of one category (office).  NOT_FOUND when not qualified that year. */
enum tp_rc selfid_set_quota(struct store *st, const struct actor *who, int64_t eid, int year,
			    int category, int64_t quota);

/*
 * Nominates (employer): s has enterprise_id (the caller's), talent_id, year, category,
 * justification and optionally from/to (default: today (Asia/Shanghai) when it lies in year,
 * else 1 January, to 31 December of year; both must lie in year).  In one write
 * transaction: the enterprise is qualified that year (else TP_ERR_UNSUPPORTED with error
 * "not_qualified"), the talent has an open employment at it (else TP_ERR_INVALID
 * "not_employed"), the talent is not already nominated that year (TP_ERR_CONFLICT
 * "already_nominated"), and an active slot of the category is left (TP_ERR_CONFLICT
 * "quota_exhausted", message "三类名额已用 5/5" / "category 3 quota used: 5 of 5").
 * Sets s->id.
 */
enum tp_rc selfid_nominate(struct store *st, const struct actor *who,
			   struct self_identification *s, struct verrors *ve);

/*
 * An audit note (office), a revocation with reason (office) or a withdrawal (employer;
 * text NULL) of nomination id.  TP_ERR_CONFLICT with an error saying why when the state does
 * not allow it: revoking or auditing a nomination that is not active, withdrawing one that
 * is not active or that the office has already audited.
 */
enum tp_rc selfid_change(struct store *st, const struct actor *who, int64_t id,
			 enum selfid_change what, const char *text, struct verrors *ve);

/* "2026-11-27" in Asia/Shanghai by the injectable clock. */
void selfid_today(char out[11]);

#endif
