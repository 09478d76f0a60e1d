/*
 * payments_account.c — bank_account_for() (domain/payments.h): the beneficiary's current
 * account from the bank-account module (bank_account_current: none or closed → NOT_FOUND,
 * the entitlement waits "no_bank_account"; a change within 30 days not confirmed → hold,
 * it waits "account_hold").  A run's build reads the same current account with its queue
 * (store queue_batch, one statement) and applies the same rules.  There is no stand-in: tests and benchmarks load real accounts
 * with `talentport bank-accounts import` (docs/payments-accounts.md "Bulk import").
 */
#include "core/clock.h"
#include "domain/bank_accounts.h"
#include "domain/payments.h"

enum tp_rc bank_account_for(struct store *st, const char *beneficiary_kind,
			    int64_t beneficiary_id, struct arena *a, struct pay_account *out)
{
	return bank_account_current(st, beneficiary_kind, beneficiary_id, tp_now(), a, out);
}
