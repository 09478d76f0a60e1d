/*
 * files.c — SQLite storage of application_files rows (migrations/0010_files.sql,
 * domain/evidence.h).  The bytes are never here: only their SHA-256.
 */
#include <string.h>

#include "core/arena.h"
#include "domain/evidence.h"
#include "store/sqlite/internal.h"

#define FILE_SELECT                                                                               \
	"SELECT id, application_id, sha256, name, content_type, size, uploaded_by, uploaded_at, " \
	"deleted_at, deleted_by FROM application_files"

static int read_file(sqlite3_stmt *q, struct arena *a, struct app_file *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(q, 0);
	f->application_id = sqlite3_column_int64(q, 1);
	f->sha256 = sq_col_text(q, 2, a);
	f->name = sq_col_text(q, 3, a);
	f->content_type = sq_col_text(q, 4, a);
	f->size = sqlite3_column_int64(q, 5);
	f->uploaded_by = sqlite3_column_int64(q, 6);
	f->uploaded_at = sqlite3_column_int64(q, 7);
	f->deleted_at = sq_col_int(q, 8, 0);
	f->deleted_by = sq_col_int(q, 9, 0);
	return f->sha256 && f->name && f->content_type ? 0 : -1;
}

enum tp_rc sq_app_file_insert(struct store *st, struct app_file *f)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO application_files (application_id, sha256, name, content_type, "
		   "size, uploaded_by, uploaded_at) VALUES (?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, f->application_id);
	sq_bind_text(q, 2, f->sha256);
	sq_bind_text(q, 3, f->name);
	sq_bind_text(q, 4, f->content_type);
	sqlite3_bind_int64(q, 5, f->size);
	sqlite3_bind_int64(q, 6, f->uploaded_by);
	sqlite3_bind_int64(q, 7, f->uploaded_at);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		f->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_app_file_list(struct store *st, int64_t application_id, struct arena *a,
			    struct app_file **out, size_t *n)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = sq_prepare(s, FILE_SELECT " WHERE application_id = ? AND "
						    "deleted_at IS NULL ORDER BY id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, application_id);
	size_t cap = 0;
	enum tp_rc r = TP_OK;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(*out = sq_grow(a, *out, &cap, *n, sizeof **out, 16))) {
			r = TP_ERR_NOMEM;
			break;
		}
		if (read_file(q, a, &(*out)[*n]) != 0) {
			r = TP_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	if (r == TP_OK && rc != SQLITE_DONE)
		r = sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_app_file_get(struct store *st, int64_t application_id, int64_t id,
			   const char *sha256, struct arena *a, struct app_file *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	if (sha256) {
		q = sq_prepare(s, FILE_SELECT " WHERE application_id = ? AND sha256 = ? AND "
					      "deleted_at IS NULL");
		if (!q)
			return TP_ERR_DB;
		sq_bind_text(q, 2, sha256);
	} else {
		q = sq_prepare(s, FILE_SELECT " WHERE application_id = ? AND id = ? AND "
					      "deleted_at IS NULL");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 2, id);
	}
	sqlite3_bind_int64(q, 1, application_id);
	int rc = sqlite3_step(q);
	enum tp_rc r;
	if (rc == SQLITE_ROW)
		r = read_file(q, a, out) == 0 ? TP_OK : TP_ERR_NOMEM;
	else
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_app_file_total(struct store *st, int64_t application_id, int64_t *total)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT coalesce(sum(size), 0) FROM application_files "
					"WHERE application_id = ? AND deleted_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, application_id);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(q, 0);
	else
		r = sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_app_file_delete(struct store *st, int64_t application_id, int64_t id, int64_t by,
			      int64_t at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE application_files SET deleted_at = ?, "
					"deleted_by = ? WHERE id = ? AND application_id = ? AND "
					"deleted_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, by);
	sqlite3_bind_int64(q, 3, id);
	sqlite3_bind_int64(q, 4, application_id);
	return sq_step_changed(s, q);
}
