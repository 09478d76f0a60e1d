/*
 * internal.h — shared pieces of the SQLite backend (not for use outside src/store/sqlite/).
 */
#ifndef TP_STORE_SQLITE_INTERNAL_H
#define TP_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"

#define SQ_CACHE_MAX 64

struct sq_cached {
	const char *literal; /* the caller's string literal, when prepared by sq_prepare */
	uint64_t hash;       /* FNV-1a of sql, compared before the string */
	char *sql;
	sqlite3_stmt *stmt;
};

struct sq_store {
	struct store base;
	sqlite3 *db;
	char path[1024];
	int in_tx;
	/* ROLLBACK, prepared at open and kept out of the cache: rolling back must never
	 * need memory, or an allocation failure leaves the transaction (and the write
	 * lock) open for good (tests/unit/test_faults.c) */
	sqlite3_stmt *rollback;
	int64_t data_version; /* last PRAGMA data_version seen (counts.c) */
	char **bulk_ddl;      /* CREATE INDEX statements dropped for a bulk load */
	size_t bulk_n;
	struct sq_cached cache[SQ_CACHE_MAX];
	size_t ncache;
};

static inline struct sq_store *sq(struct store *st)
{
	return (struct sq_store *)st;
}

/*
 * Returns a prepared statement for sql from the connection's cache (preparing it
 * the first time), reset and with bindings cleared.  NULL on a prepare error
 * (logged).  The statement stays owned by the cache.
 * sq_prepare takes a string LITERAL (found again by its address, the hot path);
 * sq_prepare_text takes SQL built at run time (found by its text).
 */
sqlite3_stmt *sq_prepare(struct sq_store *s, const char *sql_literal);
sqlite3_stmt *sq_prepare_text(struct sq_store *s, const char *sql);

/* Maps a SQLite result code to a tp_rc (CONSTRAINT_UNIQUE → CONFLICT, BUSY → BUSY ...),
 * logging unexpected errors with the statement's SQL. */
enum tp_rc sq_rc(struct sq_store *s, int rc);

/* Binding helpers: NULL strings bind SQL NULL; *_opt bind NULL for the "none" value. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_int_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none);

/* Column helpers: arena copies; NULL for SQL NULL. */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
int64_t sq_col_int(sqlite3_stmt *st, int i, int64_t if_null);

/* Reads an employment record from columns c.. of q: id, enterprise_id, enterprise name,
 * started_on, ended_on, position, annual_salary_fen. */
void sq_read_employment(sqlite3_stmt *q, int c, struct arena *a, int64_t talent_id,
			struct employment *m);

/* Runs one statement with no result rows (from the cache). */
enum tp_rc sq_exec_cached(struct sq_store *s, const char *sql);

/*
 * The cache of list totals (counts.c).  sq_counts_generation() returns the current
 * generation after noticing other connections' commits; a total is cached with
 * the generation it was counted under and served only while that still holds.
 * Writers call sq_counts_bump() when they change a table and when they commit.
 * key is the count's SQL and its parameters, joined.
 */
uint64_t sq_counts_generation(struct sq_store *s);
int sq_counts_get(const char *key, uint64_t gen, int64_t *total);
void sq_counts_put(const char *key, uint64_t gen, int64_t total);
void sq_counts_bump(void);

/* Store operations implemented in the other files of this backend. */
enum tp_rc sq_ref_list(struct store *st, enum ref_kind kind, struct arena *a,
		       struct ref_item **out, size_t *n);
enum tp_rc sq_ref_exists(struct store *st, enum ref_kind kind, const char *code);

enum tp_rc sq_talent_insert(struct store *st, struct talent *t);
enum tp_rc sq_talent_update(struct store *st, struct talent *t);
enum tp_rc sq_talent_get(struct store *st, int64_t id, struct arena *a, struct talent *out);
enum tp_rc sq_talent_find_id_number(struct store *st, const char *id_number, int64_t *id);
enum tp_rc sq_talent_list(struct store *st, const struct registry_query *q, struct arena *a,
			  struct talent_page *out);
enum tp_rc sq_talent_each(struct store *st, talent_cb cb, void *ctx);

enum tp_rc sq_enterprise_insert(struct store *st, struct enterprise *e);
enum tp_rc sq_enterprise_update(struct store *st, struct enterprise *e);
enum tp_rc sq_enterprise_get(struct store *st, int64_t id, struct arena *a,
			     struct enterprise *out);
enum tp_rc sq_enterprise_find_credit_code(struct store *st, const char *code, int64_t *id);
enum tp_rc sq_enterprise_list(struct store *st, const struct registry_query *q,
			      struct arena *a, struct enterprise_page *out);

enum tp_rc sq_employment_insert(struct store *st, struct employment *e);
enum tp_rc sq_employment_list(struct store *st, int64_t talent_id, struct arena *a,
			      struct employment **out, size_t *n);

enum tp_rc sq_employment_get(struct store *st, int64_t talent_id, int64_t id, struct arena *a,
			     struct employment *out);
enum tp_rc sq_employment_update(struct store *st, const struct employment *e);
enum tp_rc sq_talent_set_employer(struct store *st, int64_t talent_id, int64_t enterprise_id);
enum tp_rc sq_industry_put(struct store *st, const struct ref_item *it, int create);

enum tp_rc sq_import_insert(struct store *st, struct import_record *r);
enum tp_rc sq_import_get(struct store *st, int64_t id, struct arena *a,
			 struct import_record *out);

#endif
