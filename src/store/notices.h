/*
 * store/notices.h — storage of the notices a beneficiary reads and marks read
 * (domain/notices.h, migrations/0014 and 0023), hung off struct store_ops (`notices`).
 * Same rules as store.h.  A beneficiary is (kind, id): ("talent", talent id) or
 * ("enterprise", enterprise id).
 */
#ifndef TP_STORE_NOTICES_H
#define TP_STORE_NOTICES_H

#include "domain/payments.h"
#include "store/store.h"

struct notice_store_ops {
	/* The beneficiary's newest notices first (at most limit; only the unread ones when
	 * unread_only), *out in a, each with its read_at (NULL when unread). */
	enum tp_rc (*list)(struct store *st, const char *kind, int64_t id, int unread_only,
			   int limit, struct arena *a, struct notice **out, size_t *n);
	/* How many of the beneficiary's notices are unread. */
	enum tp_rc (*unread)(struct store *st, const char *kind, int64_t id, int64_t *count);
	/* Marks notice_id read at `at` when it is the beneficiary's and still unread; *changed
	 * 1 when it was marked now, 0 when it was already read.  NOT_FOUND when there is no
	 * such notice of this beneficiary (another's is answered the same). */
	enum tp_rc (*mark_read)(struct store *st, const char *kind, int64_t id, int64_t notice_id,
				const char *at, int *changed);
	/* Marks every unread notice of the beneficiary read at `at`; *n how many. */
	enum tp_rc (*mark_all_read)(struct store *st, const char *kind, int64_t id, const char *at,
				    int64_t *n);
};

#define NOTICE_CALL(fn, st, ...) ((st)->ops->notices->fn((st), __VA_ARGS__))

#endif
