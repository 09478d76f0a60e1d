/*
 * audit.h — the tamper-evident audit log.
 *
 * Every state change, login, failed login, permission denial and unmask writes
 * one record, in the same transaction as the change when there is one.  Records
 * are append-only (triggers refuse UPDATE and DELETE; the code has no path for
 * either) and hash-chained:
 *
 *   hash = BLAKE2b-256(prev_hash || canonical fields of the record)
 *
 * so `talentport audit verify` can walk the chain and name the first record that
 * was changed, inserted or removed behind the server's back.  Records older than
 * the retention (180 days) may be archived to a signed file (Ed25519, key file's
 * signing key); an archived range is the only thing ever removed, and the chain
 * continues from the archive's last hash.
 */
#ifndef TP_DOMAIN_AUDIT_H
#define TP_DOMAIN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/actor.h"

struct arena;
struct store;

#define AUDIT_RETENTION_DAYS 180

struct audit_record {
	int64_t id;
	const char *at;          /* UTC, "2026-11-27T02:21:15.123Z" */
	int64_t actor_id;        /* 0 anonymous / command line */
	const char *actor;       /* username, "" when anonymous, "system" at the CLI */
	const char *role;        /* role name or "" */
	const char *ip;
	const char *action;      /* "talent.update", "auth.login", "auth.login_failed", "pii.unmask" ... */
	const char *object_type; /* "talent", "user", "session" ... or "" */
	const char *object_id;   /* "" when none */
	const char *result;      /* "ok" | "denied" | "failed" */
	const char *reason;      /* stated reason (unmask), failure reason; "" when none; never personal data */
	const char *change_hash; /* hex BLAKE2b-256 of the change (e.g. the request body), "" when none */
	const char *prev_hash;   /* hex; 64 zeros for the first record */
	const char *hash;        /* hex */
};

/*
 * Appends one record.  Fills at, prev_hash and hash.  When the store is inside a
 * transaction the record joins it (and rolls back with it); otherwise it is written in
 * a transaction of its own.  change may be NULL; it is hashed, never stored.
 */
enum tp_rc audit_append(struct store *st, const struct actor *who, const char *action,
			const char *object_type, const char *object_id, const char *result,
			const char *reason, const void *change, size_t change_len);

/*
 * audit_append for a state change inside the caller's transaction: object_id as a
 * number, the change given printf-style (hashed, never stored — keep ID and phone
 * numbers out of it: a hash of an ID number can be brute-forced).  who NULL means the
 * command line (actor_system()).
 */
enum tp_rc audit_changef(struct store *st, const struct actor *who, const char *action,
			 const char *object_type, int64_t object_id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

struct jw;
/* One record as a JSON object (every field), for the API, the CLI and exports. */
void audit_record_write(struct jw *w, const struct audit_record *r);

struct audit_query {
	const char *actor, *action, *object_type, *object_id, *result;
	const char *from, *to; /* UTC timestamps or dates, inclusive */
	int64_t after_id;      /* keyset paging: records with id > after_id, oldest first; */
	int64_t limit;         /* 1..500 */
	int newest_first;      /* newest first; after_id then pages back: id < after_id */
};

struct audit_page {
	struct audit_record *items;
	size_t n;
	int64_t total;
};

/*
 * A page of records matching q (every filter optional; after_id 0 = from the start) and
 * the total matching the filters.  TP_ERR_INVALID when limit is outside 1..500, a time
 * bound is not a date or timestamp (audit_time_bound) or result is not ok/denied/failed.
 * Strings live in a.
 */
enum tp_rc audit_list(struct store *st, const struct audit_query *q, struct arena *a,
		      struct audit_page *out);

/*
 * Normalizes a time bound for audit_query.from/to into out as "YYYY-MM-DDTHH:MM:SS.mmmZ":
 * "YYYY-MM-DD" (a UTC day: its first millisecond, or its last when upper is set),
 * "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.mmmZ".  Returns 0, or -1 for anything
 * else.
 */
int audit_time_bound(const char *s, int upper, char out[25]);

/*
 * The hash of r (64 lower-case hex + NUL into out) from r->prev_hash and the record's
 * canonical form (defined in audit.c): what verify recomputes.
 */
void audit_record_hash(const struct audit_record *r, char out[65]);

/*
 * Walks the chain from the start (or from the last archive).  Returns TP_OK when it
 * is unbroken; TP_ERR_CONFLICT with *bad_id = the first record whose hash or link does
 * not hold, and a description (zh + en) in why.  *checked = records walked.
 */
enum tp_rc audit_verify(struct store *st, int64_t *checked, int64_t *bad_id, char *why,
			size_t whylen);

struct keyring;

/*
 * Archives the records older than before_date ("YYYY-MM-DD", a UTC day; it must be at
 * least AUDIT_RETENTION_DAYS before today, else TP_ERR_INVALID) to the new file path
 * (TP_ERR_CONFLICT when it exists): one JSON object per line per record, oldest first,
 * then a last line {"signature":hex,"public_key":hex,"algorithm":"ed25519"} whose
 * signature (kr's signing key) covers every byte before that line.  The file is
 * written to a temporary name, fsynced and renamed; then, in one transaction, the
 * archive is recorded, the records are removed and an "audit.archive" record by who is
 * appended.  Only a chain that verifies is archived (TP_ERR_CONFLICT otherwise).
 * *n = records archived; 0 when there were none (no file is written).  On failure
 * why gets a reason (zh + en) and no file is left at path.
 */
enum tp_rc audit_archive(struct store *st, const struct keyring *kr, const char *before_date,
			 const char *path, const struct actor *who, int64_t *n, char *why,
			 size_t whylen);

/*
 * Checks an archive file: the signature over its bytes under the public key it names
 * (copied to pk when pk is not NULL; compare it with the key file's), every record's
 * hash and every link between records.  TP_OK with *n records; TP_ERR_IO when it cannot
 * be read; TP_ERR_CONFLICT (with the first bad record's id, or the signature, in why).
 */
enum tp_rc audit_verify_archive(const char *path, int64_t *n, unsigned char pk[32], char *why,
				size_t whylen);

#endif
