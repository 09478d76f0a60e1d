/*
 * enterprises.c — SQLite storage of enterprises, employment records and import records.
 *
 * The contact phone is sealed at rest (pii.c) with its mask beside it; every read opens
 * it (a page holds at most PER_PAGE_MAX enterprises, and an open costs about a microsecond).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqlite/internal.h"

/* written: the contact phone as its sealed value and mask */
#define E_WCOLS                                                                                   \
	"name, credit_code, town, industry, size, contact_name, contact_phone_enc, "              \
	"contact_phone_mask, address"
#define E_NWCOLS 9
/* read: the sealed contact phone, opened by read_enterprise */
#define E_COLS "name, credit_code, town, industry, size, contact_name, contact_phone_enc, address"

static enum tp_rc seal_phone(struct sq_store *s, const struct enterprise *e,
			     struct sq_sealed *phone)
{
	sq_pii_refresh(s);
	return sq_pii_seal(s, "enterprises.contact_phone", NULL, SQ_MASK_PHONE, e->contact_phone,
			   phone);
}

/* Binds E_WCOLS from parameter 1 (phone: the sealed contact phone, alive until the step). */
static void bind_enterprise(sqlite3_stmt *q, const struct enterprise *e,
			    const struct sq_sealed *phone)
{
	sq_bind_text(q, 1, e->name);
	sq_bind_text(q, 2, e->credit_code);
	sq_bind_text(q, 3, e->town);
	sq_bind_text(q, 4, e->industry);
	sq_bind_text(q, 5, e->size);
	sq_bind_text(q, 6, e->contact_name);
	int i = sq_pii_bind(q, 7, phone, 0);
	sq_bind_text(q, i, e->address);
}

/* Columns: id, version, created_at, updated_at, staff_count, then E_COLS. */
#define E_SELECT                                                                                  \
	"SELECT e.id, e.version, e.created_at, e.updated_at, "                                    \
	"(SELECT count(*) FROM talents t WHERE t.enterprise_id = e.id), " E_COLS                  \
	" FROM enterprises e"

static enum tp_rc read_enterprise(struct sq_store *s, sqlite3_stmt *q, struct arena *a,
				  struct enterprise *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(q, 0);
	e->version = sqlite3_column_int64(q, 1);
	e->created_at = sq_col_text(q, 2, a);
	e->updated_at = sq_col_text(q, 3, a);
	e->staff_count = sq_col_int(q, 4, 0);
	e->name = sq_col_text(q, 5, a);
	e->credit_code = sq_col_text(q, 6, a);
	e->town = sq_col_text(q, 7, a);
	e->industry = sq_col_text(q, 8, a);
	e->size = sq_col_text(q, 9, a);
	e->contact_name = sq_col_text(q, 10, a);
	e->address = sq_col_text(q, 12, a);
	return sq_pii_col(s, q, 11, "enterprises.contact_phone", e->id, a, &e->contact_phone);
}

enum tp_rc sq_enterprise_insert(struct store *st, struct enterprise *e)
{
	struct sq_store *s = sq(st);
	struct sq_sealed phone;
	enum tp_rc rc = seal_phone(s, e, &phone);
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q =
		sq_prepare(s, "INSERT INTO enterprises (" E_WCOLS ") VALUES (?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	bind_enterprise(q, e, &phone);
	sq_counts_bump();
	rc = sq_step_done(s, q);
	if (rc == TP_OK) {
		e->id = sqlite3_last_insert_rowid(s->db);
		e->version = 1;
	}
	return rc;
}

enum tp_rc sq_enterprise_update(struct store *st, struct enterprise *e)
{
	struct sq_store *s = sq(st);
	struct sq_sealed phone;
	enum tp_rc rc = seal_phone(s, e, &phone);
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE enterprises SET (" E_WCOLS ") = (?,?,?,?,?,?,?,?,?), version = version + 1, "
		   "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	bind_enterprise(q, e, &phone);
	sqlite3_bind_int64(q, E_NWCOLS + 1, e->id);
	sqlite3_bind_int64(q, E_NWCOLS + 2, e->version);
	sq_counts_bump();
	rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return TP_ERR_CONFLICT;
	e->version++;
	return TP_OK;
}

enum tp_rc sq_enterprise_get(struct store *st, int64_t id, struct arena *a,
			     struct enterprise *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, E_SELECT " WHERE e.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	enum tp_rc r = TP_OK;
	if (rc == SQLITE_ROW)
		r = read_enterprise(s, q, a, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return r;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_enterprise_find_credit_code(struct store *st, const char *code, int64_t *id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT id FROM enterprises WHERE credit_code = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, code);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_enterprise_list(struct store *st, const struct registry_query *f,
			      struct arena *a, struct enterprise_page *out)
{
	struct sq_store *s = sq(st);
	char where[512] = "", sql[2048];
	memset(out, 0, sizeof(*out));
	size_t used = 0;
#define COND(c)                                                                                   \
	do {                                                                                      \
		int n_ = snprintf(where + used, sizeof where - used, "%s%s",                      \
				  used ? " AND " : " WHERE ", c);                                 \
		used += (size_t)n_;                                                               \
	} while (0)
	if (f->town)
		COND("e.town = ?");
	if (f->industry)
		COND("e.industry = ?");
	if (f->size)
		COND("e.size = ?");
	if (f->id_number) /* a credit code, normalized by the domain */
		COND("e.credit_code = ?");
	else if (f->q)
		COND("e.name LIKE '%' || ? || '%' ESCAPE '\\'");
#undef COND
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			snprintf(sql, sizeof sql, "SELECT count(*) FROM enterprises e%s", where);
		else
			snprintf(sql, sizeof sql, E_SELECT "%s ORDER BY e.id LIMIT ? OFFSET ?", where);
		sqlite3_stmt *q = sq_prepare_text(s, sql);
		if (!q)
			return TP_ERR_DB;
		int i = 1;
		if (f->town)
			sq_bind_text(q, i++, f->town);
		if (f->industry)
			sq_bind_text(q, i++, f->industry);
		if (f->size)
			sq_bind_text(q, i++, f->size);
		if (f->id_number)
			sq_bind_text(q, i++, f->id_number);
		else if (f->q)
			sq_bind_text(q, i++, f->q);
		int rc;
		if (pass == 0) {
			rc = sqlite3_step(q);
			if (rc == SQLITE_ROW)
				out->total = sqlite3_column_int64(q, 0);
			sqlite3_reset(q);
			if (rc != SQLITE_ROW)
				return sq_rc(s, rc);
			continue;
		}
		sqlite3_bind_int(q, i++, f->per_page);
		sqlite3_bind_int64(q, i, (int64_t)(f->page - 1) * f->per_page);
		out->items = arena_alloc(a, (size_t)f->per_page * sizeof(*out->items));
		if (!out->items) {
			sqlite3_reset(q);
			return TP_ERR_NOMEM;
		}
		enum tp_rc r = TP_OK;
		while (r == TP_OK && (rc = sqlite3_step(q)) == SQLITE_ROW &&
		       out->n < (size_t)f->per_page)
			r = read_enterprise(s, q, a, &out->items[out->n++]);
		sqlite3_reset(q);
		if (r != TP_OK)
			return r;
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sq_rc(s, rc);
	}
	return TP_OK;
}

enum tp_rc sq_employment_insert(struct store *st, struct employment *e)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO employments (talent_id, enterprise_id, "
					"started_on, ended_on, position, annual_salary_fen) "
					"VALUES (?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, e->talent_id);
	sqlite3_bind_int64(q, 2, e->enterprise_id);
	sq_bind_text(q, 3, e->started_on);
	sq_bind_text(q, 4, e->ended_on);
	sq_bind_text(q, 5, e->position);
	sq_bind_int_opt(q, 6, e->annual_salary_fen, -1);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		e->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

void sq_read_employment(sqlite3_stmt *q, int c, struct arena *a, int64_t talent_id,
			struct employment *m)
{
	m->id = sqlite3_column_int64(q, c);
	m->talent_id = talent_id;
	m->enterprise_id = sqlite3_column_int64(q, c + 1);
	m->enterprise_name = sq_col_text(q, c + 2, a);
	m->started_on = sq_col_text(q, c + 3, a);
	m->ended_on = sq_col_text(q, c + 4, a);
	m->position = sq_col_text(q, c + 5, a);
	m->annual_salary_fen = sq_col_int(q, c + 6, -1);
}

enum tp_rc sq_employment_list(struct store *st, int64_t talent_id, struct arena *a,
			      struct employment **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT m.id, m.enterprise_id, e.name, m.started_on, "
					"m.ended_on, m.position, m.annual_salary_fen "
					"FROM employments m JOIN enterprises e ON e.id = m.enterprise_id "
					"WHERE m.talent_id = ? ORDER BY m.started_on, m.id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, talent_id);
	*n = 0;
	*out = NULL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(*out = sq_grow(a, *out, &cap, *n, sizeof(**out), 4))) {
			sqlite3_reset(q);
			return TP_ERR_NOMEM;
		}
		sq_read_employment(q, 0, a, talent_id, &(*out)[(*n)++]);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_employment_get(struct store *st, int64_t talent_id, int64_t id, struct arena *a,
			     struct employment *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT m.id, m.enterprise_id, e.name, m.started_on, "
					"m.ended_on, m.position, m.annual_salary_fen "
					"FROM employments m JOIN enterprises e ON e.id = m.enterprise_id "
					"WHERE m.id = ? AND m.talent_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, talent_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		sq_read_employment(q, 0, a, talent_id, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_employment_update(struct store *st, const struct employment *e)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE employments SET ended_on = ?, position = ?, "
					"annual_salary_fen = ? WHERE id = ? AND talent_id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, e->ended_on);
	sq_bind_text(q, 2, e->position);
	sq_bind_int_opt(q, 3, e->annual_salary_fen, -1);
	sqlite3_bind_int64(q, 4, e->id);
	sqlite3_bind_int64(q, 5, e->talent_id);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK && sqlite3_changes(s->db) == 0)
		return TP_ERR_NOT_FOUND;
	return rc;
}

enum tp_rc sq_talent_set_employer(struct store *st, int64_t talent_id, int64_t enterprise_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE talents SET enterprise_id = ?, version = version + 1, "
					"updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_int_opt(q, 1, enterprise_id, 0);
	sqlite3_bind_int64(q, 2, talent_id);
	sq_counts_bump();
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK && sqlite3_changes(s->db) == 0)
		return TP_ERR_NOT_FOUND;
	return rc;
}

enum tp_rc sq_import_insert(struct store *st, struct import_record *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO imports (kind, format, filename, rows_total, "
					"rows_imported, rows_failed, all_or_nothing, committed, report) "
					"VALUES (?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, r->kind);
	sq_bind_text(q, 2, r->format);
	sq_bind_text(q, 3, r->filename);
	sqlite3_bind_int64(q, 4, r->rows_total);
	sqlite3_bind_int64(q, 5, r->rows_imported);
	sqlite3_bind_int64(q, 6, r->rows_failed);
	sqlite3_bind_int(q, 7, r->all_or_nothing);
	sqlite3_bind_int(q, 8, r->committed);
	if (r->report)
		sqlite3_bind_blob(q, 9, r->report, (int)r->report_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 9);
	enum tp_rc rc = sq_step_done(s, q);
	if (rc == TP_OK)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

enum tp_rc sq_import_get(struct store *st, int64_t id, struct arena *a, struct import_record *r)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT kind, format, filename, rows_total, rows_imported, "
					"rows_failed, all_or_nothing, committed, report, created_at "
					"FROM imports WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(r, 0, sizeof(*r));
		r->id = id;
		r->kind = sq_col_text(q, 0, a);
		r->format = sq_col_text(q, 1, a);
		r->filename = sq_col_text(q, 2, a);
		r->rows_total = sq_col_int(q, 3, 0);
		r->rows_imported = sq_col_int(q, 4, 0);
		r->rows_failed = sq_col_int(q, 5, 0);
		r->all_or_nothing = (int)sq_col_int(q, 6, 0);
		r->committed = (int)sq_col_int(q, 7, 0);
		int len = sqlite3_column_bytes(q, 8);
		const void *blob = sqlite3_column_blob(q, 8);
		if (blob && len > 0) {
			void *copy = arena_alloc(a, (size_t)len);
			if (copy) {
				memcpy(copy, blob, (size_t)len);
				r->report = copy;
				r->report_len = (size_t)len;
			}
		}
		r->created_at = sq_col_text(q, 9, a);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}
