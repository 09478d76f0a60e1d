/*
 * pii_migrate.c — the upgrade of a database that holds personal data in plain text
 * (migrations/0005_pii.sql and the C half SQL cannot do).
 *
 * In the migration's transaction: the SQL rebuilds talents with the sealed columns and the
 * old values in legacy_* columns; then every row that still has a legacy value is sealed
 * (in batches, by id), the legacy value cleared, and the legacy_* columns dropped.  Any
 * index or trigger on talents that the rebuild dropped and the script did not recreate
 * (one a later version added) is recreated from the DDL saved before.  After the migrate,
 * outside the transaction, sq_pii_vacuum() rewrites the file and empties the WAL, so that
 * no freed page keeps the plaintext (secure_delete is on for every connection too).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "store/sqlite/internal.h"

#define BATCH 256

static enum tp_rc exec(struct sq_store *s, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		tp_log(LOG_ERROR, "migration 5 (personal data) failed",
		       json_pack("{s:s}", "error", err ? err : sqlite3_errstr(rc)));
		sqlite3_free(err);
		return sq_rc(s, rc);
	}
	return TP_OK;
}

/* One-off statements (never cached: some name columns this migration drops). */
static sqlite3_stmt *prep(struct sq_store *s, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		tp_log(LOG_ERROR, "migration 5 (personal data): prepare failed",
		       json_pack("{s:s}", "error", sqlite3_errmsg(s->db)));
		return NULL;
	}
	return q;
}

/* ---- indexes and triggers of talents, kept across the rebuild -------------------------- */

struct ddl {
	char **name, **sql;
	size_t n;
};

static void ddl_free(struct ddl *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->name[i]);
		free(d->sql[i]);
	}
	free(d->name);
	free(d->sql);
}

static enum tp_rc ddl_save(struct sq_store *s, struct ddl *d)
{
	sqlite3_stmt *q = prep(s, "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'talents' "
	                          "AND type IN ('index', 'trigger') AND sql IS NOT NULL");
	if (!q)
		return TP_ERR_DB;
	enum tp_rc r = TP_OK;
	int rc;
	while (r == TP_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		char **nn = realloc(d->name, (d->n + 1) * sizeof(*nn));
		if (nn)
			d->name = nn;
		char **ns = realloc(d->sql, (d->n + 1) * sizeof(*ns));
		if (ns)
			d->sql = ns;
		char *name = strdup((const char *)sqlite3_column_text(q, 0));
		char *sql = strdup((const char *)sqlite3_column_text(q, 1));
		if (!nn || !ns || !name || !sql) {
			free(name);
			free(sql);
			r = TP_ERR_NOMEM;
			break;
		}
		d->name[d->n] = name;
		d->sql[d->n++] = sql;
	}
	if (r == TP_OK && rc != SQLITE_DONE)
		r = sq_rc(s, rc);
	sqlite3_finalize(q);
	return r;
}

static enum tp_rc ddl_restore(struct sq_store *s, const struct ddl *d)
{
	sqlite3_stmt *q = prep(s, "SELECT 1 FROM sqlite_master WHERE name = ?");
	if (!q)
		return TP_ERR_DB;
	enum tp_rc r = TP_OK;
	for (size_t i = 0; r == TP_OK && i < d->n; i++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, d->name[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_DONE)
			r = exec(s, d->sql[i]);
		else if (rc != SQLITE_ROW)
			r = sq_rc(s, rc);
	}
	sqlite3_finalize(q);
	return r;
}

/* ---- sealing the legacy values --------------------------------------------------------- */

struct legacy {
	int64_t id;
	char v[2][PII_PLAIN_MAX + 1];
	int has[2];
};

/*
 * Reads up to BATCH rows after *after that still hold a legacy value (columns: id, value 1,
 * value 2) into rows; *n gets how many.
 */
static enum tp_rc legacy_read(struct sq_store *s, sqlite3_stmt *q, int64_t *after,
                              struct legacy *rows, size_t *n)
{
	*n = 0;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, *after);
	sqlite3_bind_int(q, 2, BATCH);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct legacy *r = &rows[(*n)++];
		r->id = *after = sqlite3_column_int64(q, 0);
		for (int k = 0; k < 2; k++) {
			const unsigned char *v = sqlite3_column_text(q, 1 + k);
			size_t len = (size_t)sqlite3_column_bytes(q, 1 + k);
			r->has[k] = v != NULL;
			if (v && len > PII_PLAIN_MAX) {
				tp_log(LOG_ERROR, "migration 5: a value is too long to seal",
				       json_pack("{s:I,s:i}", "row_id", (json_int_t)r->id, "column",
				                 1 + k));
				sqlite3_reset(q);
				return TP_ERR_TOO_LARGE;
			}
			if (v)
				memcpy(r->v[k], v, len + 1);
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

static enum tp_rc seal_talents(struct sq_store *s, struct legacy *rows, int64_t *sealed)
{
	sqlite3_stmt *q = prep(s, "SELECT id, legacy_id_number, legacy_phone FROM talents WHERE "
	                          "id > ? AND (legacy_id_number IS NOT NULL OR legacy_phone IS NOT "
	                          "NULL) ORDER BY id LIMIT ?");
	sqlite3_stmt *u =
	    prep(s, "UPDATE talents SET id_number_enc = ?, id_number_bidx = ?, "
	            "id_number_mask = ?, phone_enc = ?, phone_bidx = ?, phone_mask = ?, "
	            "legacy_id_number = NULL, legacy_phone = NULL WHERE id = ?");
	enum tp_rc r = q && u ? TP_OK : TP_ERR_DB;
	int64_t after = 0;
	size_t n = BATCH;
	struct sq_sealed idn, phone;
	while (r == TP_OK && n == BATCH && (r = legacy_read(s, q, &after, rows, &n)) == TP_OK) {
		for (size_t i = 0; r == TP_OK && i < n; i++) {
			const struct legacy *l = &rows[i];
			r = sq_pii_seal(s, "talents.id_number", "id_number", SQ_MASK_ID,
			                l->has[0] ? l->v[0] : NULL, &idn);
			if (r == TP_OK)
				r = sq_pii_seal(s, "talents.phone", "phone", SQ_MASK_PHONE,
				                l->has[1] ? l->v[1] : NULL, &phone);
			if (r != TP_OK)
				break;
			sqlite3_reset(u);
			int p = sq_pii_bind(u, 1, &idn, 1);
			p = sq_pii_bind(u, p, &phone, 1);
			sqlite3_bind_int64(u, p, l->id);
			r = sq_rc(s, sqlite3_step(u));
			*sealed += l->has[0] + l->has[1];
		}
	}
	sodium_memzero(&idn, sizeof idn);
	sodium_memzero(&phone, sizeof phone);
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	return r;
}

static enum tp_rc seal_enterprises(struct sq_store *s, struct legacy *rows, int64_t *sealed)
{
	sqlite3_stmt *q =
	    prep(s, "SELECT id, legacy_contact_phone, NULL FROM enterprises WHERE "
	            "id > ? AND legacy_contact_phone IS NOT NULL ORDER BY id LIMIT ?");
	sqlite3_stmt *u =
	    prep(s, "UPDATE enterprises SET contact_phone_enc = ?, contact_phone_mask "
	            "= ?, legacy_contact_phone = NULL WHERE id = ?");
	enum tp_rc r = q && u ? TP_OK : TP_ERR_DB;
	int64_t after = 0;
	size_t n = BATCH;
	struct sq_sealed phone;
	while (r == TP_OK && n == BATCH && (r = legacy_read(s, q, &after, rows, &n)) == TP_OK) {
		for (size_t i = 0; r == TP_OK && i < n; i++) {
			r = sq_pii_seal(s, "enterprises.contact_phone", NULL, SQ_MASK_PHONE,
			                rows[i].v[0], &phone);
			if (r != TP_OK)
				break;
			sqlite3_reset(u);
			int p = sq_pii_bind(u, 1, &phone, 0);
			sqlite3_bind_int64(u, p, rows[i].id);
			r = sq_rc(s, sqlite3_step(u));
			(*sealed)++;
		}
	}
	sodium_memzero(&phone, sizeof phone);
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	return r;
}

enum tp_rc sq_pii_migrate(struct sq_store *s, const char *sql)
{
	struct ddl d = {0};
	enum tp_rc r = ddl_save(s, &d);
	if (r == TP_OK)
		r = exec(s, sql);
	if (r == TP_OK)
		r = ddl_restore(s, &d);
	ddl_free(&d);
	struct legacy *rows = NULL;
	if (r == TP_OK && !(rows = malloc(BATCH * sizeof(*rows))))
		r = TP_ERR_NOMEM;
	int64_t sealed = 0;
	if (r == TP_OK)
		r = seal_talents(s, rows, &sealed);
	if (r == TP_OK)
		r = seal_enterprises(s, rows, &sealed);
	if (r == TP_OK && sealed)
		tp_log(LOG_INFO, "migration 5: personal data sealed; the file is rewritten next",
		       json_pack("{s:I}", "values", (json_int_t)sealed));
	if (rows) {
		sodium_memzero(rows, BATCH * sizeof(*rows));
		free(rows);
	}
	/* DROP COLUMN rewrites every row without the column; secure_delete zeroes what it frees */
	if (r == TP_OK)
		r = exec(s, "ALTER TABLE talents DROP COLUMN legacy_id_number;"
		            "ALTER TABLE talents DROP COLUMN legacy_phone;"
		            "ALTER TABLE enterprises DROP COLUMN legacy_contact_phone");
	if (r == TP_OK)
		r = sq_pii_record_fingerprint(s);
	return r;
}

/* wal_checkpoint's row: busy, WAL frames, frames checkpointed. */
static int on_checkpoint(void *ctx, int n, char **v, char **names)
{
	(void)names;
	if (n >= 1 && v[0])
		*(int *)ctx = strcmp(v[0], "0") != 0;
	return 0;
}

enum tp_rc sq_pii_vacuum(struct sq_store *s)
{
	/* not fatal: the migration is committed and secure_delete zeroed the freed pages; the
	 * rewrite only makes sure (it needs free disk space of the database's size) */
	if (exec(s, "VACUUM") != TP_OK) {
		tp_log(LOG_ERROR,
		       "VACUUM after sealing personal data failed: run it by hand "
		       "(sqlite3 DB VACUUM) with the server stopped",
		       json_pack("{s:s}", "path", s->path));
		return TP_OK;
	}
	int busy = 0;
	char *err = NULL;
	int rc = sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", on_checkpoint, &busy, &err);
	if (rc != SQLITE_OK || busy)
		tp_log(LOG_WARN,
		       "the WAL could not be emptied after sealing personal data "
		       "(another connection reads): it is overwritten as the database is "
		       "used; with the server stopped, PRAGMA wal_checkpoint(TRUNCATE) "
		       "empties it now",
		       json_pack("{s:s}", "error", err ? err : "busy"));
	sqlite3_free(err);
	return TP_OK;
}
