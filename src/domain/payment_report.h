/*
 * payment_report.h — paid and owed per policy, month, town or industry chain against the
 * budget (issue 6, item 8): GET /api/v1/reports/payments.  docs/payments.md, "Reports".
 *
 * Over the cash entitlements of year Y (period keys "Y" and "Y-MM", adjustments included,
 * cancelled and excluded rows left out), grouped by `by`:
 *   policy   — the policy id;
 *   month    — the period key's month "01".."12", or "year" for yearly and once keys;
 *   town     — the beneficiary's town code (a talent's registered town, an enterprise's),
 *              "" when none is recorded;
 *   industry — the beneficiary's industry-chain code, "" when none.
 * Per group: entitlements (rows), paid_fen (status paid), owed_fen (confirmed, not yet paid:
 * queued or in a run; positive amounts), pending_fen (granted, not confirmed; positive),
 * clawback_fen (open clawbacks: negative adjustments pending or confirmed, <= 0), and for
 * by=policy budget_fen (the policy's budget of Y, -1 when none) and remaining_fen (budget -
 * paid - owed; -1 when no budget).  Totals: the same sums over all groups, budget_fen the
 * sum of all budgets of Y.
 */
#ifndef TP_DOMAIN_PAYMENT_REPORT_H
#define TP_DOMAIN_PAYMENT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

struct store;
struct arena;

enum report_by { REPORT_BY_POLICY, REPORT_BY_MONTH, REPORT_BY_TOWN, REPORT_BY_INDUSTRY };

struct report_row {
	const char *key;
	int64_t entitlements, paid_fen, owed_fen, pending_fen, clawback_fen;
	int64_t budget_fen, remaining_fen; /* -1: no budget (or not by policy) */
};

/* The groups in key order, and the totals (key "total"). */
enum tp_rc payment_report(struct store *st, int year, enum report_by by, struct arena *a,
                          struct report_row **rows, size_t *n, struct report_row *total);

#endif
