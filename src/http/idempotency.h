/*
 * idempotency.h — the Idempotency-Key mechanism for routes that opt in (struct route's
 * `idempotent` column in routes.c; issue 6 item 5, docs/payments-accounts.md).
 *
 * For an opted-in route, after authorization and body checks:
 *   - no Idempotency-Key header → 428 idempotency_key_required; a key that is not 1–128
 *     printable ASCII characters → 400 idempotency_key_invalid;
 *   - a key this account used in the last 24 h with the same method, path and body
 *     (SHA-256 of the bytes) → the stored response, byte for byte (status, Content-Type,
 *     body), with `Idempotent-Replayed: true`; the handler does not run;
 *   - the same key with another method, path or body → 422 idempotency_key_reused;
 *   - a new key: the handler runs inside one outer SQLite transaction (BEGIN IMMEDIATE;
 *     the handler's own transaction becomes a savepoint in it) and its response is stored
 *     in that same transaction when it is 2xx or 4xx other than 429; the transaction then
 *     commits, so the effects and the stored response exist together or not at all.  Any
 *     other response (5xx, 429) is not stored and everything the handler wrote is rolled
 *     back: a retry with the same key runs afresh.
 * A concurrent duplicate waits for the write lock (busy timeout 5 s), then finds the
 * stored response and replays it; after the timeout it gets 503 busy (not stored).
 * Keys belong to the calling account (anonymous callers share account 0); keys older
 * than 24 h are expired, and deleted whenever a new key is stored.
 */
#ifndef TP_HTTP_IDEMPOTENCY_H
#define TP_HTTP_IDEMPOTENCY_H

#include "http/request.h"
#include "http/router.h"

#define IDEMPOTENCY_KEY_MAX 128
#define IDEMPOTENCY_TTL_SECS (24 * 3600)

/* Runs r's handler for rq under the rules above; rs gets the response. */
void idem_dispatch(struct request *rq, struct response *rs, const struct route *r);

/* 1 when key is 1..IDEMPOTENCY_KEY_MAX printable ASCII characters (0x20..0x7e). */
int idem_key_valid(const char *key);

#endif
