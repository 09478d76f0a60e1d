/*
 * dashboard.h — the office dashboard's counts (issue 7, item 6): GET /api/v1/dashboard;
 * and the entitlements a payment run left waiting: GET /api/v1/payment-runs/{id}/waits.
 * Aggregates only, no person named.  Types shared by src/api/dashboard.c and the store's
 * dashboard_counts (src/store/sqlite/dashboard.c).
 *
 * Groups:
 *   DASH_TIER        talents by their recorded tier "1".."7", "" when none;
 *   DASH_TOWN        talents by registered town code (name from the towns table), "" none;
 *   DASH_INDUSTRY    talents by industry-chain code (name from industries), "" none;
 *   DASH_DEGREE      talents by highest degree code (name from degrees), "" none;
 *   DASH_APPLICATION applications by (kind, state): count, and overdue = those whose step
 *                    deadline is before `today` and whose state is not final (certified,
 *                    rejected, withdrawn) — the rule of GET /api/v1/applications?overdue=true.
 * Rows come in the code table's order (tier ascending; towns, industries by their sort;
 * degrees by rank; applications by kind then state), the "" group last.
 */
#ifndef TP_DOMAIN_DASHBOARD_H
#define TP_DOMAIN_DASHBOARD_H

#include <stdint.h>

enum dash_group { DASH_TIER, DASH_TOWN, DASH_INDUSTRY, DASH_DEGREE, DASH_APPLICATION };
#define DASH_GROUPS 5

struct dash_count {
	const char *key;              /* the code ("" when none); the state for applications */
	const char *kind;             /* applications: the workflow kind; else NULL */
	const char *name_zh, *name_en; /* from the code table; NULL when unknown or none */
	int64_t count;
	int64_t overdue;              /* applications only; 0 otherwise */
};

/* One entitlement a payment run left waiting (payment_waits, docs/payments.md): why —
 * "budget", "no_bank_account" or "account_hold" — and for whom. */
struct pay_wait_row {
	int64_t entitlement_id;
	const char *policy;
	int64_t budget_year, amount_fen;
	const char *reason;
	const char *beneficiary_kind; /* "talent" | "enterprise" */
	int64_t beneficiary_id;
	const char *period_key;
};

/* The waits of a run per reason: how many and how much. */
struct pay_wait_sum {
	const char *reason;
	int64_t count, amount_fen;
};

#endif
