/*
 * store/bank_accounts.h — storage of bank accounts (domain/bank_accounts.h,
 * migrations/0015_bank_accounts.sql), hung off struct store_ops (`bank`).
 * Same rules as store.h.  The number is sealed by the store (aad "bank_accounts.number").
 */
#ifndef TP_STORE_BANK_ACCOUNTS_H
#define TP_STORE_BANK_ACCOUNTS_H

#include "domain/bank_accounts.h"
#include "store/store.h"

struct bank_store_ops {
	/* Inside the caller's transaction: marks the beneficiary's current account replaced
	 * (replaced_at = b->created_at, replaced_by = the new id) and inserts b (sealing
	 * b->number); sets b->id and b->previous_id (0 when there was none). */
	enum tp_rc (*replace)(struct store *st, struct bank_account *b);
	/* The current account (replaced_at NULL) of a beneficiary; the number is opened only
	 * when with_number.  NOT_FOUND when none. */
	enum tp_rc (*current)(struct store *st, const char *kind, int64_t id, int with_number,
			      struct arena *a, struct bank_account *out);
	/* One account by id (number not opened); NOT_FOUND when none. */
	enum tp_rc (*get)(struct store *st, int64_t account_id, struct arena *a,
			  struct bank_account *out);
	/* Every account of a beneficiary, newest first (numbers not opened). */
	enum tp_rc (*history)(struct store *st, const char *kind, int64_t id, struct arena *a,
			      struct bank_account **out, size_t *n);
	/* confirmed_at/by on a current, unconfirmed account; NOT_FOUND otherwise. */
	enum tp_rc (*confirm)(struct store *st, int64_t account_id, const char *by, int64_t at);
	/* invalid_at/reason on a current account not yet marked; NOT_FOUND otherwise. */
	enum tp_rc (*mark_invalid)(struct store *st, int64_t account_id, const char *reason,
				   int64_t at);
	/* The registered name of a talent or an enterprise (the name an account must carry),
	 * in a; NOT_FOUND when there is no such beneficiary.  Reads one column: an import
	 * checks 10^6 of them. */
	enum tp_rc (*registered_name)(struct store *st, const char *kind, int64_t id,
				      struct arena *a, const char **name);
};

#endif
