/*
 * payments_account.c — the default bank_account_for() (domain/payments.h): WEAK, so the
 * bank-account module (helper "bankacct", migration 0015) replaces it by defining the
 * function.  Until then every beneficiary has no account and its entitlements wait with
 * reason "no_bank_account" — except under $TALENTPORT_PAY_TEST_ACCOUNTS=1, a stand-in for
 * tests and benchmarks that gives every beneficiary a fixed test account (remove it when
 * the real module is connected).
 */
#include <stdlib.h>
#include <string.h>

#include "domain/payments.h"

__attribute__((weak)) enum tp_rc bank_account_for(struct store *st, const char *beneficiary_kind,
						  int64_t beneficiary_id, struct arena *a,
						  struct pay_account *out)
{
	(void)st;
	(void)beneficiary_kind;
	(void)beneficiary_id;
	(void)a;
	memset(out, 0, sizeof *out);
	static int test = -1; /* read once: this runs for every line of a run */
	if (test < 0) {
		const char *t = getenv("TALENTPORT_PAY_TEST_ACCOUNTS");
		test = t && strcmp(t, "1") == 0;
	}
	if (!test)
		return TP_ERR_NOT_FOUND;
	out->bank = "测试银行";
	out->branch = "晋江支行";
	out->account_name = "测试账户";
	out->account_mask = "**** 0000";
	out->account_number = "6222000000000000";
	return TP_OK;
}
