/*
 * bank_accounts.h — where the money goes (issue 6 item 2, docs/payments-accounts.md).
 *
 * Each beneficiary — a talent, or an enterprise for enterprise policies — keeps one
 * current bank account: bank, branch, account name and number.  The number is sealed at
 * rest like ID numbers and shown masked ("6222 **** **** 1234").  The account type
 * follows the beneficiary: a talent's is a personal bank card (16–19 digits passing the
 * Luhn check), an enterprise's a corporate account (对公账户, 8–30 digits, no check
 * digit).  The account name must equal the talent's registered name, or the enterprise's.
 *
 * Nothing is overwritten: a change is a new row, the old one is marked replaced, every
 * write is audited in its transaction.  A change (not the first account) within
 * BANK_HOLD_DAYS holds the beneficiary's next payment until an office reviewer or
 * finance confirms it.  Re-authentication (the caller's password, and TOTP when enrolled)
 * is the API layer's job before bank_account_put (auth_reauthenticate, accounts.h).
 */
#ifndef TP_DOMAIN_BANK_ACCOUNTS_H
#define TP_DOMAIN_BANK_ACCOUNTS_H

#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct arena;
struct store;

#define BANK_HOLD_DAYS 30

/* One bank account row (current or historical). */
struct bank_account {
	int64_t id;
	const char *beneficiary_kind; /* "talent" | "enterprise" */
	int64_t beneficiary_id;
	const char *account_type;     /* "personal_card" | "corporate" */
	const char *bank, *branch, *account_name;
	const char *number;           /* plain digits: given to write; read only when asked */
	const char *number_mask;
	int64_t previous_id;          /* the account this one replaced; 0 for the first */
	int64_t created_at;           /* unix seconds */
	int64_t created_by;           /* user id (0: the command line) */
	const char *created_by_name;  /* username */
	const char *reason;           /* the office's stated reason ("" for the owner) */
	int64_t replaced_at, replaced_by;  /* 0 while current */
	int64_t confirmed_at;         /* 0 until a change is confirmed */
	const char *confirmed_by;
	int64_t invalid_at;           /* 0 unless the bank answered "account closed" */
	const char *invalid_reason;
};

/* What the payments code needs to pay a beneficiary (bank_account_current). */
struct pay_account {
	const char *bank, *branch, *account_name, *account_mask;
	const char *account_number; /* plain, only for the bank file */
	int hold;                   /* changed within 30 days and not confirmed */
	int64_t account_id;
};

/* 1 when b is a change (it replaced an account) made less than BANK_HOLD_DAYS before now
 * and not confirmed: the beneficiary's next payment waits for a confirmation. */
int bank_account_on_hold(const struct bank_account *b, int64_t now);

/*
 * The beneficiary's current, usable account for a payment: TP_OK and *out (strings in a,
 * the plain number included); TP_ERR_NOT_FOUND when there is none or the current one was
 * marked closed by the bank (bank_account_mark_closed) and not yet replaced;
 * TP_ERR_INVALID for an unknown beneficiary_kind.  Reads only; not audited (the caller
 * audits what it pays).
 */
enum tp_rc bank_account_current(struct store *st, const char *beneficiary_kind /* "talent"|"enterprise" */,
				int64_t beneficiary_id, int64_t now, struct arena *a,
				struct pay_account *out);

/*
 * Sets the beneficiary's account from in (beneficiary_kind, beneficiary_id, account_type
 * (NULL: the kind's type), bank, branch, account_name, number (spaces allowed), reason):
 * checks every field (ve gets each broken rule, zh + en, and TP_ERR_INVALID is returned):
 * the number's shape and Luhn check, the name against the registered name.  Then in one
 * transaction: marks the current account replaced, inserts the new one, audits
 * "bank_account.add" or "bank_account.change" (number never in the audit).  On TP_OK
 * in->id, previous_id, number_mask and created_* are set.  NOT_FOUND when the
 * beneficiary does not exist.  who: the caller (authorized by the API layer).
 */
enum tp_rc bank_account_put(struct store *st, const struct actor *who, struct bank_account *in,
			    int64_t now, struct arena *a, struct verrors *ve);

/* The checks of bank_account_put without writing anything (so the API can refuse a bad
 * account before asking for re-authentication); normalizes in the same way. */
enum tp_rc bank_account_validate(struct store *st, struct bank_account *in, struct arena *a,
				 struct verrors *ve);

/* The current account (NOT_FOUND when none; marked closed ones too), number opened only
 * when with_number. */
enum tp_rc bank_account_get(struct store *st, const char *kind, int64_t id, int with_number,
			    struct arena *a, struct bank_account *out);

/* Every account the beneficiary had, newest first, masked (numbers not opened). */
enum tp_rc bank_account_history(struct store *st, const char *kind, int64_t id,
				struct arena *a, struct bank_account **out, size_t *n);

/*
 * Confirms the current account's change so payments go on: TP_OK (audited
 * "bank_account.confirm_change"); NOT_FOUND when there is no account; TP_ERR_CONFLICT
 * with *why set ("nothing_to_confirm": not a change, or already confirmed;
 * "same_person": who made the change themself — four eyes).
 */
enum tp_rc bank_account_confirm_change(struct store *st, const struct actor *who,
				       const char *kind, int64_t id, const char *note, int64_t now,
				       const char **why);

/*
 * Records a bank's "account closed" (or any other account-level) failure on account
 * account_id: marks it invalid with reason (so bank_account_current answers NOT_FOUND
 * and the beneficiary is asked to give a new account; GET .../bank-account shows
 * "status": "invalid" with the reason), audited "bank_account.closed".  Runs INSIDE the
 * caller's transaction (store_begin first: a bank-result import marks its accounts in its
 * own transaction; TP_ERR_INTERNAL outside one).  TP_OK also when it was already marked;
 * NOT_FOUND when no such account; CONFLICT when the account was already replaced (the
 * new one is not touched).  There is no notices table yet: the mark is the notice.
 */
enum tp_rc bank_account_mark_closed(struct store *st, const struct actor *who, int64_t account_id,
				    const char *reason, int64_t now);

/* "talent" / "enterprise" → 1, else 0. */
int bank_beneficiary_kind_valid(const char *kind);

#endif
