/*
 * store.h — the storage interface.  All SQL lives behind it, in src/store/<backend>/.
 *
 * A struct store is one connection to one database, used by one thread at a time
 * (the HTTP server keeps one per worker thread).  Domain code calls the store_*
 * functions below; a backend fills in struct store_ops.  SQLite is the backend
 * today; a PostgreSQL one adds src/store/pg/ and a case in store_open().
 *
 * Every function returns TP_OK, TP_ERR_NOT_FOUND, TP_ERR_CONFLICT (a unique key
 * is taken), TP_ERR_BUSY (locked past the busy timeout) or TP_ERR_DB.  Results
 * that carry strings are allocated from the arena the caller passes.
 */
#ifndef TP_STORE_H
#define TP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/registry.h"

struct arena;

/* A record of one import of a talent file, kept with its error report. */
struct import_record {
	int64_t id;
	const char *kind;    /* "talents" */
	const char *format;  /* "csv" | "xlsx" */
	const char *filename;
	int64_t rows_total, rows_imported, rows_failed;
	int all_or_nothing, committed;
	const void *report;  /* the error report, in the input's format */
	size_t report_len;
	const char *created_at;
};

/* Iteration callback for exports: return non-zero to stop. */
typedef int (*talent_cb)(void *ctx, const struct talent *t);

struct store_ops {
	const char *name; /* "sqlite" */
	void (*close)(struct store *st);
	enum tp_rc (*begin)(struct store *st);
	enum tp_rc (*commit)(struct store *st);
	enum tp_rc (*rollback)(struct store *st);
	enum tp_rc (*migrate)(struct store *st, int *applied, int *version);
	/* Refreshes the planner's statistics: full = all tables now (after a bulk load),
	 * else only where the backend thinks it worthwhile. */
	enum tp_rc (*optimize)(struct store *st, int full);
	/* Bulk loading into a new database: on = drop the secondary (non-unique) indexes
	 * and relax durability; off = rebuild them and restore durability.  Only for
	 * loads that start over when interrupted (talentport demo). */
	enum tp_rc (*bulk)(struct store *st, int on);

	enum tp_rc (*ref_list)(struct store *st, enum ref_kind kind, struct arena *a,
			       struct ref_item **out, size_t *n);
	enum tp_rc (*ref_exists)(struct store *st, enum ref_kind kind, const char *code);

	enum tp_rc (*talent_insert)(struct store *st, struct talent *t);
	enum tp_rc (*talent_update)(struct store *st, struct talent *t);
	enum tp_rc (*talent_get)(struct store *st, int64_t id, struct arena *a, struct talent *out);
	enum tp_rc (*talent_find_id_number)(struct store *st, const char *id_number, int64_t *id);
	enum tp_rc (*talent_list)(struct store *st, const struct registry_query *q,
				  struct arena *a, struct talent_page *out);
	enum tp_rc (*talent_each)(struct store *st, talent_cb cb, void *ctx);

	enum tp_rc (*enterprise_insert)(struct store *st, struct enterprise *e);
	enum tp_rc (*enterprise_update)(struct store *st, struct enterprise *e);
	enum tp_rc (*enterprise_get)(struct store *st, int64_t id, struct arena *a,
				     struct enterprise *out);
	enum tp_rc (*enterprise_find_credit_code)(struct store *st, const char *code, int64_t *id);
	enum tp_rc (*enterprise_list)(struct store *st, const struct registry_query *q,
				      struct arena *a, struct enterprise_page *out);

	enum tp_rc (*employment_insert)(struct store *st, struct employment *e);
	enum tp_rc (*employment_list)(struct store *st, int64_t talent_id, struct arena *a,
				      struct employment **out, size_t *n);
	/* One employment record of a talent (NOT_FOUND when it belongs to another). */
	enum tp_rc (*employment_get)(struct store *st, int64_t talent_id, int64_t id,
				     struct arena *a, struct employment *out);
	/* Rewrites ended_on, position and annual_salary_fen of a record. */
	enum tp_rc (*employment_update)(struct store *st, const struct employment *e);
	/* Sets a talent's current employer (0 = none) without touching anything else. */
	enum tp_rc (*talent_set_employer)(struct store *st, int64_t talent_id,
					  int64_t enterprise_id);

	/* Adds an industry code or changes one (names, parent group, 4341 flag, order). */
	enum tp_rc (*industry_put)(struct store *st, const struct ref_item *it, int create);

	enum tp_rc (*import_insert)(struct store *st, struct import_record *r);
	enum tp_rc (*import_get)(struct store *st, int64_t id, struct arena *a,
				 struct import_record *out);
};

struct store {
	const struct store_ops *ops;
};

enum store_flags {
	STORE_READONLY = 1,
	STORE_CREATE = 2, /* create the file (and its folder) if missing */
};

/*
 * Opens a store.  `where` is a SQLite file path (a future "postgres://…" URL
 * selects PostgreSQL).  On failure returns non-TP_OK, *out is NULL and err gets
 * a reason.
 */
enum tp_rc store_open(const char *where, int flags, struct store **out, char *err,
		      size_t errlen);

/* Closes the store; NULL is a no-op. */
static inline void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE on SQLite). */
static inline enum tp_rc store_begin(struct store *st) { return st->ops->begin(st); }
static inline enum tp_rc store_commit(struct store *st) { return st->ops->commit(st); }
static inline enum tp_rc store_rollback(struct store *st) { return st->ops->rollback(st); }

/*
 * Ends a transaction begun with store_begin(): commits when rc is TP_OK, rolls back
 * otherwise (also when the commit itself fails).  Returns the final result.
 */
static inline enum tp_rc store_end(struct store *st, enum tp_rc rc)
{
	if (rc == TP_OK)
		rc = store_commit(st);
	if (rc != TP_OK)
		store_rollback(st);
	return rc;
}

/* Applies the migrations not yet applied; idempotent. */
static inline enum tp_rc store_migrate(struct store *st, int *applied, int *version)
{
	return st->ops->migrate(st, applied, version);
}

static inline enum tp_rc store_optimize(struct store *st, int full)
{
	return st->ops->optimize(st, full);
}

static inline enum tp_rc store_bulk(struct store *st, int on)
{
	return st->ops->bulk(st, on);
}

static inline const char *store_backend(const struct store *st) { return st->ops->name; }

#define STORE_CALL(fn, st, ...) ((st)->ops->fn((st), __VA_ARGS__))

#endif
