/*
 * applications.h — applications moved through their workflow (workflow.h): submit,
 * act (approve / return / reject / withdraw / resubmit / close), history, objections
 * during a public announcement (公示), deadlines in working days and reminders.
 *
 * Every change runs in one write transaction with its history row and its audit record.
 * Of two actions on one application at the same moment exactly one moves it: the
 * update is made only WHERE version = the version read (the other gets CONFLICT).
 */
#ifndef TP_DOMAIN_APPLICATIONS_H
#define TP_DOMAIN_APPLICATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct store;
struct arena;

struct application {
	int64_t id, version;
	const char *kind, *state;
	int64_t talent_id, enterprise_id; /* enterprise 0: none; talent 0: an enterprise's
					   * benefit application (the enterprise the beneficiary) */
	const char *town;                 /* NULL: none */
	int claimed_tier, proposed_tier, final_tier; /* 0: none */
	const char *tier_reason;
	const char *form;                 /* JSON object text */
	const char *proposal;             /* JSON text or NULL */
	const char *returned_fields;      /* JSON array text or NULL */
	const char *returned_from;
	int64_t submitted_by;
	const char *submitted_role;
	int64_t step;
	const char *step_started_on, *deadline; /* YYYY-MM-DD; deadline NULL: none */
	int64_t certificate_id;
	const char *created_at, *updated_at, *closed_at;
	/* read with the application for lists and the public announcement */
	const char *talent_name, *talent_id_mask, *enterprise_name;
	int64_t open_objections;
	/* kind "benefit" (domain/benefits.h): the policy, period ("2026") and item ("" when
	 * the policy is not per item) applied for; NULL for other kinds */
	const char *policy, *period, *item;
};

struct app_action {
	int64_t id, application_id;
	const char *action, *from_state, *to_state;
	int64_t actor_id;                 /* 0: the command line */
	const char *actor_name, *actor_role, *comment;
	const char *detail;               /* JSON text or NULL */
	const char *at;
};

struct objection {
	int64_t id, application_id;
	const char *reason, *contact, *lodged_at, *ip_hash, *status, *resolution, *resolved_at;
	int64_t resolved_by;
};

struct calendar_day {
	const char *day, *kind, *name; /* kind "holiday" | "workday" */
};

struct reminder {
	int64_t id, application_id, step;
	const char *state, *role, *town, *deadline, *created_at;
};

/* The order of a listing (?sort= of the API: -id, id, deadline, -deadline, -updated_at). */
enum app_order {
	APP_NEWEST,        /* id descending */
	APP_OLDEST,        /* id ascending */
	APP_DEADLINE,      /* the current step's deadline, earliest first; none last */
	APP_DEADLINE_LAST, /* the latest deadline first; none last */
	APP_UPDATED,       /* last changed first */
};

struct application_query {
	const char *kind, *state;
	int64_t talent_id, enterprise_id; /* 0: any */
	const char *const *towns;         /* any of these towns (ntowns > 0) */
	int ntowns;
	int64_t liaison_id;               /* talents linked to this liaison, or towns above */
	const char *overdue_on;           /* deadline < this date, not final */
	int unreminded;                   /* only those whose current step has no reminder yet */
	const char *const *states;        /* any of these states (nstates > 0) */
	int nstates;
	int page, per_page;
	const char *town;                 /* exactly this town (NULL: any) */
	const char *beneficiary;          /* "enterprise": enterprises' claims only (no talent),
					   * "talent": talents' only; NULL: both */
	enum app_order order;             /* APP_NEWEST unless asked */
};

struct application_page {
	struct application *items;
	size_t n;
	int64_t total;
};

/* What an action asks for (the API's body); unset members are 0/NULL. */
struct app_request {
	const char *action;
	const char *comment;             /* every action may carry one; return and reject need it */
	const char *const *fields;       /* return: the fields to fix (form members) */
	int nfields;
	int tier;                        /* office approve: the tier set (0: the claimed one) */
	const char *tier_reason;         /* needed when tier differs from the claimed tier */
	const char *form;                /* resubmit: the corrected form (JSON object text) */
	int claimed_tier;                /* resubmit: a new claim (0: unchanged) */
	const char *item;                /* resubmit of a benefit: another item (NULL: unchanged) */
	int64_t version;                 /* 0: not checked */
};

/* Why an action was refused (CONFLICT / FORBIDDEN-like answers), for the API's message. */
struct app_refusal {
	const char *code;                /* "action_not_allowed" | "not_your_step" | "condition_not_met" | "stale_version" */
	const char *zh, *en;
	const char *allowed[16];         /* action_not_allowed: what the state allows */
	int nallowed;
	const char *role;                /* not_your_step: who acts now */
};

/* Today's date in China (UTC+8) at unix time now. */
struct civil_date app_today(int64_t now);

/*
 * The last day of a step of n working days entered on `from` (from itself not counted):
 * weekends and the calendar's holidays are skipped, its 调休 workdays counted.  n = 0:
 * *out = from.  TP_OK, or the store's error.
 */
enum tp_rc calendar_add_working_days(struct store *st, struct civil_date from, int n,
				     struct civil_date *out);

/* 1 when the caller may see the application (the talent, their employer, the town's
 * reviewer, a liaison of the town or linked to the talent, the office). */
int application_visible(struct store *st, const struct actor *who, const struct application *a);

/*
 * Submits a new application of kind ap->kind for ap->talent_id with ap->form and
 * ap->claimed_tier (0: take the proposal).  who is the talent themself or an employer of
 * the talent; the town, employer, proposal, start state and deadline are filled in here.
 * ap->talent_id 0: an enterprise's claim — a benefit application of ap->enterprise_id for
 * an enterprise policy (domain/benefits.h), by its employer or the office; no employer
 * confirmation step, the employer acts as the applicant (withdraw, resubmit);
 * TP_ERR_NOT_FOUND when the enterprise is not the caller's, TP_ERR_CONFLICT (ve) when it
 * has an open claim of the key or the entitlement was approved already.
 * TP_ERR_INVALID with field errors in ve; TP_ERR_NOT_FOUND when the talent is not the
 * caller's; TP_ERR_CONFLICT when the talent already has an open application of the kind.
 */
enum tp_rc application_submit(struct store *st, const struct actor *who,
			      struct application *ap, int64_t now, struct verrors *ve);

/*
 * Takes action rq on application id for who.  On TP_OK *out is the application as it
 * is now.  TP_ERR_NOT_FOUND: missing or not visible; TP_ERR_INVALID: a field of rq (ve);
 * TP_ERR_CONFLICT: refused — why says whether the state does not allow the action (with
 * the allowed ones), a condition is not met, or another action came first; TP_ERR_UNSUPPORTED:
 * visible, but it is not the caller's step (why->role says whose it is).
 */
enum tp_rc application_act(struct store *st, const struct actor *who, int64_t id,
			   const struct app_request *rq, int64_t now, struct arena *a,
			   struct application *out, struct verrors *ve, struct app_refusal *why);

/*
 * An objection lodged by anyone against an application in a public state.  reason
 * 5..1000 characters, contact optional (≤ 100).  TP_ERR_NOT_FOUND unless it is being
 * announced now.  Audited as the anonymous caller from ip.
 */
enum tp_rc objection_lodge(struct store *st, int64_t application_id, struct objection *o,
			   const char *ip, int64_t now, struct verrors *ve);

/* Resolves an open objection: outcome "upheld" or "dismissed" with a resolution text.
 * CONFLICT when it is already resolved. */
enum tp_rc objection_resolve(struct store *st, const struct actor *who, int64_t application_id,
			     int64_t objection_id, const char *outcome, const char *resolution,
			     int64_t now, struct verrors *ve);

/* Records a reminder for every application whose step is past its deadline and has none
 * yet; *made gets how many were made.  Idempotent. */
enum tp_rc applications_remind(struct store *st, int64_t now, int64_t *made);

/* Sets (kind "holiday" / "workday") or clears (kind NULL) one day of the calendar. */
enum tp_rc calendar_set(struct store *st, const struct actor *who, const char *day,
			const char *kind, const char *name, struct verrors *ve);

#endif
