/*
 * payments_account.c — bank_account_for() (domain/payments.h): the beneficiary's current
 * account from the bank-account module (bank_account_current: none or closed → NOT_FOUND,
 * the entitlement waits "no_bank_account"; a change within 30 days not confirmed → hold,
 * it waits "account_hold").
 *
 * $TALENTPORT_PAY_TEST_ACCOUNTS=1 gives every beneficiary a fixed test account instead:
 * for the payment tests and benchmarks, which do not register 10^6 accounts.  Read once.
 * `serve` refuses to start with it unless it listens on 127.0.0.0/8, and warns loudly
 * (src/cli/serve.c; docs/payments.md "Test accounts").
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "domain/bank_accounts.h"
#include "domain/payments.h"

enum tp_rc bank_account_for(struct store *st, const char *beneficiary_kind,
			    int64_t beneficiary_id, struct arena *a, struct pay_account *out)
{
	static int test = -1; /* this runs for every line of a run: the environment read once */
	if (test < 0) {
		const char *t = getenv("TALENTPORT_PAY_TEST_ACCOUNTS");
		test = t && strcmp(t, "1") == 0;
	}
	if (!test)
		return bank_account_current(st, beneficiary_kind, beneficiary_id, tp_now(), a, out);
	memset(out, 0, sizeof *out);
	out->bank = "测试银行";
	out->branch = "晋江支行";
	out->account_name = "测试账户";
	out->account_mask = "**** 0000";
	out->account_number = "6222000000000000";
	return TP_OK;
}
