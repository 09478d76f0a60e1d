/*
 * store/idempotency.h — stored first responses of Idempotency-Key requests
 * (src/http/idempotency.c, migrations/0016_idempotency_keys.sql), hung off struct
 * store_ops (`idem`).  Same rules as store.h.
 */
#ifndef TP_STORE_IDEMPOTENCY_H
#define TP_STORE_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct idem_record {
	int64_t account_id;
	const char *key, *method, *path;
	const char *body_hash; /* 64 hex */
	unsigned status;
	const char *content_type; /* NULL when none */
	const void *body;
	size_t body_len;
	int64_t created_at;    /* unix seconds */
};

struct idem_store_ops {
	/* The record of (account_id, key) created at or after not_before; NOT_FOUND when none
	 * (an older one is expired and counts as none).  Strings and body in a. */
	enum tp_rc (*get)(struct store *st, int64_t account_id, const char *key,
			  int64_t not_before, struct arena *a, struct idem_record *out);
	/* Inserts r, first removing the records created before not_before (expired ones,
	 * this key's included).  CONFLICT when a live record holds the key. */
	enum tp_rc (*put)(struct store *st, const struct idem_record *r, int64_t not_before);
	/* Outer transaction for the idempotency layer: begin = BEGIN IMMEDIATE, after which
	 * store_begin/commit/rollback inside it act on a savepoint (a handler's own
	 * transaction nests: its rollback undoes only its work; a commit or rollback with no
	 * savepoint open does nothing).  end(commit=1) commits all, end(0) rolls all back. */
	enum tp_rc (*outer_begin)(struct store *st);
	enum tp_rc (*outer_end)(struct store *st, int commit);
};

#endif
