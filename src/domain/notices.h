/*
 * domain/notices.h — the notices a talent or an employer reads (entitlements confirmed,
 * payments paid or failed: written by the payments code, migrations/0014) and marks read
 * (migrations/0023).  Every function works on the caller's own notices only: a talent's
 * are their talent record's, an employer's its enterprise's; anyone else has none.
 */
#ifndef TP_DOMAIN_NOTICES_H
#define TP_DOMAIN_NOTICES_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/actor.h"
#include "domain/payments.h"

struct arena;
struct store;

#define NOTICES_LIST_MAX 200

/*
 * The caller's notices, newest first (at most NOTICES_LIST_MAX; only the unread ones when
 * unread_only), *out in a, and *unread the number of unread ones (all of them, not only
 * those listed).  A caller who is not a beneficiary gets none.
 */
enum tp_rc notices_page(struct store *st, const struct actor *who, int unread_only,
			struct arena *a, struct notice **out, size_t *n, int64_t *unread);

/*
 * Marks the caller's notice id read (idempotent: a notice already read keeps its first
 * read_at).  Audited ("notice.read") in the same transaction when it changes anything.
 * NOT_FOUND when id is not one of the caller's notices (someone else's included: the
 * caller learns nothing about it); *unread gets the caller's unread count afterwards.
 */
enum tp_rc notice_mark_read(struct store *st, const struct actor *who, int64_t id,
			    int64_t *unread);

/* Marks every unread notice of the caller read; *n how many, audited ("notice.read_all")
 * when n > 0.  Idempotent. */
enum tp_rc notices_mark_all_read(struct store *st, const struct actor *who, int64_t *n);

#endif
