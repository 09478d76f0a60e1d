/*
 * payment_report.c — see payment_report.h.
 */
#include <string.h>

#include "domain/payment_report.h"
#include "store/store.h"

enum tp_rc payment_report(struct store *st, int year, enum report_by by, struct arena *a,
                          struct report_row **rows, size_t *n, struct report_row *total)
{
	enum tp_rc rc = STORE_CALL(payment_report, st, year, (int)by, a, rows, n, &total->budget_fen);
	if (rc != TP_OK)
		return rc;
	int64_t budget = total->budget_fen;
	memset(total, 0, sizeof(*total));
	total->key = "total";
	total->budget_fen = budget;
	for (size_t i = 0; i < *n; i++) {
		const struct report_row *r = &(*rows)[i];
		total->entitlements += r->entitlements;
		total->paid_fen += r->paid_fen;
		total->owed_fen += r->owed_fen;
		total->pending_fen += r->pending_fen;
		total->clawback_fen += r->clawback_fen;
	}
	total->remaining_fen = budget < 0 ? -1 : budget - total->paid_fen - total->owed_fen;
	return TP_OK;
}
