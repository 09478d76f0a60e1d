/*
 * talents.c — SQLite storage of talents and their child rows
 * (educations, yearly facts, children).
 *
 * The ID number and the phone are sealed at rest (pii.c): each is written as the sealed
 * value, a blind index (lookups, uniqueness) and the masked form.  Lists read the masks
 * only (struct talent's id_number_mask / phone_mask; id_number and phone stay NULL); a
 * full record (talent_get, talent_each) opens the sealed values into the arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/sqlite/internal.h"

/* the columns after the ID number and the phone, the same for writes and reads */
#define T_REST                                                                                    \
	"email, degree, double_first_class, graduated_on, title, skill_level, enterprise_id, "    \
	"town, industry, tier, tier_from, tier_to, quanzhou_level, quanzhou_selected_on, "        \
	"provincial_level, provincial_selected_on, short_term, home_contract_date, "              \
	"home_area_cm2, home_in_jinjiang, home_first, startup_registered_on, startup_in_jinjiang"
/* written: sealed value, blind index and mask of each (bind_talent) */
#define T_WCOLS                                                                                   \
	"name, gender, id_number_enc, id_number_bidx, id_number_mask, birth_date, phone_enc, "    \
	"phone_bidx, phone_mask, " T_REST
#define T_NWCOLS 32
/* read (read_talent): the masks where the values were; a full read adds T_SEALED after */
#define T_COLS "name, gender, id_number_mask, birth_date, phone_mask, " T_REST
#define T_NCOLS 28
#define T_SEALED "id_number_enc, phone_enc"
/* the current employer's name, as a column of a SELECT over talents t */
#define ENT_NAME "(SELECT e.name FROM enterprises e WHERE e.id = t.enterprise_id)"

/* A talent's personal data, sealed for writing. */
struct sealed_talent {
	struct sq_sealed idn, phone;
};

static enum tp_rc seal_talent(struct sq_store *s, const struct talent *t,
			      struct sealed_talent *out)
{
	sq_pii_refresh(s);
	enum tp_rc rc = sq_pii_seal(s, "talents.id_number", "id_number", SQ_MASK_ID, t->id_number,
				    &out->idn);
	if (rc == TP_OK)
		rc = sq_pii_seal(s, "talents.phone", "phone", SQ_MASK_PHONE, t->phone, &out->phone);
	return rc;
}

/* Binds the T_WCOLS columns starting at parameter 1. */
static void bind_talent(sqlite3_stmt *q, const struct talent *t, const struct sealed_talent *p)
{
	int i = 1;
	sq_bind_text(q, i++, t->name);
	sq_bind_text(q, i++, t->gender);
	i = sq_pii_bind(q, i, &p->idn, 1);
	sq_bind_text(q, i++, t->birth_date);
	i = sq_pii_bind(q, i, &p->phone, 1);
	sq_bind_text(q, i++, t->email);
	sq_bind_text(q, i++, t->degree);
	sq_bind_int_opt(q, i++, t->double_first_class, -1);
	sq_bind_text(q, i++, t->graduated_on);
	sq_bind_text(q, i++, t->title);
	sq_bind_int_opt(q, i++, t->skill_level, 0);
	sq_bind_int_opt(q, i++, t->enterprise_id, 0);
	sq_bind_text(q, i++, t->town);
	sq_bind_text(q, i++, t->industry);
	sq_bind_int_opt(q, i++, t->tier, 0);
	sq_bind_text(q, i++, t->tier_from);
	sq_bind_text(q, i++, t->tier_to);
	sq_bind_int_opt(q, i++, t->quanzhou_level, 0);
	sq_bind_text(q, i++, t->quanzhou_selected_on);
	sq_bind_int_opt(q, i++, t->provincial_level, 0);
	sq_bind_text(q, i++, t->provincial_selected_on);
	sqlite3_bind_int(q, i++, t->short_term ? 1 : 0);
	sq_bind_text(q, i++, t->home_contract_date);
	sq_bind_int_opt(q, i++, t->home_area_cm2, -1);
	sq_bind_int_opt(q, i++, t->home_in_jinjiang, -1);
	sq_bind_int_opt(q, i++, t->home_first, -1);
	sq_bind_text(q, i++, t->startup_registered_on);
	sq_bind_int_opt(q, i++, t->startup_in_jinjiang, -1);
}

/* Reads T_COLS starting at column `c` (the masks; id_number and phone stay NULL). */
static void read_talent(sqlite3_stmt *q, int c, struct arena *a, struct talent *t)
{
	t->name = sq_col_text(q, c++, a);
	t->gender = sq_col_text(q, c++, a);
	t->id_number_mask = sq_col_text(q, c++, a);
	t->birth_date = sq_col_text(q, c++, a);
	t->phone_mask = sq_col_text(q, c++, a);
	t->email = sq_col_text(q, c++, a);
	t->degree = sq_col_text(q, c++, a);
	t->double_first_class = (int)sq_col_int(q, c++, -1);
	t->graduated_on = sq_col_text(q, c++, a);
	t->title = sq_col_text(q, c++, a);
	t->skill_level = (int)sq_col_int(q, c++, 0);
	t->enterprise_id = sq_col_int(q, c++, 0);
	t->town = sq_col_text(q, c++, a);
	t->industry = sq_col_text(q, c++, a);
	t->tier = (int)sq_col_int(q, c++, 0);
	t->tier_from = sq_col_text(q, c++, a);
	t->tier_to = sq_col_text(q, c++, a);
	t->quanzhou_level = (int)sq_col_int(q, c++, 0);
	t->quanzhou_selected_on = sq_col_text(q, c++, a);
	t->provincial_level = (int)sq_col_int(q, c++, 0);
	t->provincial_selected_on = sq_col_text(q, c++, a);
	t->short_term = (int)sq_col_int(q, c++, 0);
	t->home_contract_date = sq_col_text(q, c++, a);
	t->home_area_cm2 = sq_col_int(q, c++, -1);
	t->home_in_jinjiang = (int)sq_col_int(q, c++, -1);
	t->home_first = (int)sq_col_int(q, c++, -1);
	t->startup_registered_on = sq_col_text(q, c++, a);
	t->startup_in_jinjiang = (int)sq_col_int(q, c++, -1);
}

/* Opens T_SEALED (from column c) into t->id_number and t->phone. */
static enum tp_rc read_sealed(struct sq_store *s, sqlite3_stmt *q, int c, struct arena *a,
			      struct talent *t)
{
	enum tp_rc rc = sq_pii_col(s, q, c, "talents.id_number", t->id, a, &t->id_number);
	if (rc == TP_OK)
		rc = sq_pii_col(s, q, c + 1, "talents.phone", t->id, a, &t->phone);
	return rc;
}

/* Replaces the child rows of talent t->id. */
static enum tp_rc write_children(struct sq_store *s, const struct talent *t, int replace)
{
	enum tp_rc rc;
	sqlite3_stmt *q;
	if (replace) {
		static const char *const del[] = {
			"DELETE FROM talent_educations WHERE talent_id = ?",
			"DELETE FROM talent_years WHERE talent_id = ?",
			"DELETE FROM talent_children WHERE talent_id = ?",
		};
		for (size_t i = 0; i < 3; i++) {
			if (!(q = sq_prepare(s, del[i])))
				return TP_ERR_DB;
			sqlite3_bind_int64(q, 1, t->id);
			if ((rc = sq_step_done(s, q)) != TP_OK)
				return rc;
		}
	}
	for (size_t i = 0; i < t->n_educations; i++) {
		const struct education *e = &t->educations[i];
		q = sq_prepare(s, "INSERT INTO talent_educations (talent_id, seq, degree, school, "
				  "major, graduated_on, double_first_class) VALUES (?,?,?,?,?,?,?)");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, t->id);
		sqlite3_bind_int64(q, 2, (int64_t)i + 1);
		sq_bind_text(q, 3, e->degree);
		sq_bind_text(q, 4, e->school);
		sq_bind_text(q, 5, e->major);
		sq_bind_text(q, 6, e->graduated_on);
		sqlite3_bind_int(q, 7, e->double_first_class ? 1 : 0);
		if ((rc = sq_step_done(s, q)) != TP_OK)
			return rc;
	}
	for (size_t i = 0; i < t->n_years; i++) {
		const struct talent_year *y = &t->years[i];
		q = sq_prepare(s, "INSERT INTO talent_years (talent_id, year, insured_months, "
				  "days_in_jinjiang) VALUES (?,?,?,?)");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, t->id);
		sqlite3_bind_int(q, 2, y->year);
		sqlite3_bind_int(q, 3, (int)y->insured_months);
		sq_bind_int_opt(q, 4, y->days_in_jinjiang, -1);
		if ((rc = sq_step_done(s, q)) != TP_OK)
			return rc;
	}
	for (size_t i = 0; i < t->n_children; i++) {
		const struct child *c = &t->children[i];
		q = sq_prepare(s, "INSERT INTO talent_children (talent_id, seq, name, birth_date) "
				  "VALUES (?,?,?,?)");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, t->id);
		sqlite3_bind_int64(q, 2, (int64_t)i + 1);
		sq_bind_text(q, 3, c->name);
		sq_bind_text(q, 4, c->birth_date);
		if ((rc = sq_step_done(s, q)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

enum tp_rc sq_talent_insert(struct store *st, struct talent *t)
{
	struct sq_store *s = sq(st);
	struct sealed_talent p;
	enum tp_rc rc = seal_talent(s, t, &p);
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO talents (" T_WCOLS ") VALUES (?,?,?,?,?,?,?,?,"
					"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	bind_talent(q, t, &p);
	sq_counts_bump();
	rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	t->id = sqlite3_last_insert_rowid(s->db);
	t->version = 1;
	return write_children(s, t, 0);
}

enum tp_rc sq_talent_update(struct store *st, struct talent *t)
{
	struct sq_store *s = sq(st);
	struct sealed_talent p;
	enum tp_rc rc = seal_talent(s, t, &p);
	if (rc != TP_OK)
		return rc;
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE talents SET (" T_WCOLS ") = (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		   "?,?,?,?,?,?,?,?), version = version + 1, "
		   "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	bind_talent(q, t, &p);
	sqlite3_bind_int64(q, T_NWCOLS + 1, t->id);
	sqlite3_bind_int64(q, T_NWCOLS + 2, t->version);
	sq_counts_bump();
	rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return TP_ERR_CONFLICT;
	t->version++;
	return write_children(s, t, 1);
}

/* Grows an arena array of `size`-byte items to hold n + 1; NULL when out of memory. */
static void *grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	return n < *cap ? items : sq_grow(a, items, cap, n, size, 4);
}

/*
 * All child rows of a talent in one statement (one step loop instead of four
 * statements): kind 1 education, 2 year, 3 child, 4 employment.
 */
static const char CHILD_ROWS_SQL[] =
	"SELECT 1, seq, degree, school, major, graduated_on, double_first_class, NULL, seq "
	"FROM talent_educations WHERE talent_id = ?1 "
	"UNION ALL SELECT 2, year, insured_months, days_in_jinjiang, NULL, NULL, NULL, NULL, year "
	"FROM talent_years WHERE talent_id = ?1 "
	"UNION ALL SELECT 3, seq, name, birth_date, NULL, NULL, NULL, NULL, seq "
	"FROM talent_children WHERE talent_id = ?1 "
	"UNION ALL SELECT 4, m.id, m.enterprise_id, e.name, m.started_on, m.ended_on, m.position, "
	"m.annual_salary_fen, m.started_on FROM employments m "
	"JOIN enterprises e ON e.id = m.enterprise_id WHERE m.talent_id = ?1";
/* No ORDER BY (it cost a temporary b-tree per request, a third of the query): each part
 * reads its table in primary-key order (seq, year, seq), and employments are sorted
 * below by (started_on, id). */

static int employment_cmp(const void *pa, const void *pb)
{
	const struct employment *a = pa, *b = pb;
	int c = strcmp(a->started_on ? a->started_on : "", b->started_on ? b->started_on : "");
	if (c)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static enum tp_rc read_child_rows(struct sq_store *s, int64_t id, struct arena *a,
				  struct talent *t)
{
	sqlite3_stmt *q = sq_prepare(s, CHILD_ROWS_SQL);
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	size_t cap_e = 0, cap_y = 0, cap_c = 0, cap_m = 0;
	int rc;
	enum tp_rc r = TP_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && r == TP_OK) {
		switch (sqlite3_column_int(q, 0)) {
		case 1: {
			t->educations = grow(a, t->educations, t->n_educations, &cap_e,
					     sizeof(*t->educations));
			if (!t->educations) {
				r = TP_ERR_NOMEM;
				break;
			}
			struct education *e = &t->educations[t->n_educations++];
			e->degree = sq_col_text(q, 2, a);
			e->school = sq_col_text(q, 3, a);
			e->major = sq_col_text(q, 4, a);
			e->graduated_on = sq_col_text(q, 5, a);
			e->double_first_class = (int)sq_col_int(q, 6, 0);
			break;
		}
		case 2: {
			t->years = grow(a, t->years, t->n_years, &cap_y, sizeof(*t->years));
			if (!t->years) {
				r = TP_ERR_NOMEM;
				break;
			}
			struct talent_year *y = &t->years[t->n_years++];
			y->year = (int)sq_col_int(q, 1, 0);
			y->insured_months = (unsigned)sq_col_int(q, 2, 0);
			y->days_in_jinjiang = (int)sq_col_int(q, 3, -1);
			break;
		}
		case 3: {
			t->children = grow(a, t->children, t->n_children, &cap_c,
					   sizeof(*t->children));
			if (!t->children) {
				r = TP_ERR_NOMEM;
				break;
			}
			struct child *c = &t->children[t->n_children++];
			c->name = sq_col_text(q, 2, a);
			c->birth_date = sq_col_text(q, 3, a);
			break;
		}
		case 4: {
			t->employments = grow(a, t->employments, t->n_employments, &cap_m,
					      sizeof(*t->employments));
			if (!t->employments) {
				r = TP_ERR_NOMEM;
				break;
			}
			sq_read_employment(q, 1, a, id, &t->employments[t->n_employments++]);
			break;
		}
		}
	}
	sqlite3_reset(q);
	if (r != TP_OK)
		return r;
	if (t->n_employments > 1)
		qsort(t->employments, t->n_employments, sizeof(*t->employments), employment_cmp);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}

static enum tp_rc talent_get(struct sq_store *s, int64_t id, struct arena *a, struct talent *t)
{
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT t.id, t.version, t.created_at, t.updated_at, " ENT_NAME ", " T_COLS
		   ", " T_SEALED " FROM talents t WHERE t.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	}
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(q, 0);
	t->version = sqlite3_column_int64(q, 1);
	t->created_at = sq_col_text(q, 2, a);
	t->updated_at = sq_col_text(q, 3, a);
	t->enterprise_name = sq_col_text(q, 4, a);
	read_talent(q, 5, a, t);
	enum tp_rc r = read_sealed(s, q, 5 + T_NCOLS, a, t);
	sqlite3_reset(q);
	if (r != TP_OK)
		return r;
	return read_child_rows(s, id, a, t);
}

enum tp_rc sq_talent_get(struct store *st, int64_t id, struct arena *a, struct talent *t)
{
	struct sq_store *s = sq(st);
	if (!sqlite3_get_autocommit(s->db))
		return talent_get(s, id, a, t);
	/* one read transaction: the row and its child rows from one snapshot, and one
	 * round of WAL locks instead of one per statement */
	enum tp_rc rc = sq_exec_cached(s, "BEGIN");
	if (rc != TP_OK)
		return rc;
	rc = talent_get(s, id, a, t);
	/* a read transaction: ROLLBACK ends it as well as COMMIT, and the store's ROLLBACK is
	 * prepared at open, so ending it never needs memory (a COMMIT that could not be
	 * prepared left the connection inside this snapshot for good: test_faults.c) */
	enum tp_rc end = store_rollback(st);
	return rc != TP_OK ? rc : end;
}

enum tp_rc sq_talent_find_id_number(struct store *st, const char *id_number, int64_t *id)
{
	struct sq_store *s = sq(st);
	if (!id_number)
		return TP_ERR_NOT_FOUND;
	unsigned char bidx[BLIND_INDEX_BYTES];
	sq_pii_bidx(s, "id_number", id_number, bidx);
	sqlite3_stmt *q = sq_prepare(s, "SELECT id FROM talents WHERE id_number_bidx = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_blob(q, 1, bidx, sizeof bidx, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

/* Appends " AND <cond>" to a WHERE clause being built. */
static void add_cond(char *where, size_t len, const char *cond)
{
	size_t used = strlen(where);
	snprintf(where + used, len - used, "%s%s", used ? " AND " : " WHERE ", cond);
}

/* Binds the filters in the same order add_filters added them; bidx is the blind index of
 * f->id_number. */
static int bind_filters(sqlite3_stmt *q, const struct registry_query *f,
			const unsigned char *bidx, int i)
{
	if (f->town)
		sq_bind_text(q, i++, f->town);
	if (f->industry)
		sq_bind_text(q, i++, f->industry);
	if (f->degree)
		sq_bind_text(q, i++, f->degree);
	if (f->tier > 0)
		sqlite3_bind_int(q, i++, f->tier);
	if (f->enterprise_id)
		sqlite3_bind_int64(q, i++, f->enterprise_id);
	if (f->liaison_id)
		sqlite3_bind_int64(q, i++, f->liaison_id);
	if (f->id_number) {
		sqlite3_bind_blob(q, i++, bidx, BLIND_INDEX_BYTES, SQLITE_STATIC);
	} else if (f->q) {
		/* name prefix: name >= q AND name < q || U+10FFFF, served by the name index */
		sq_bind_text(q, i++, f->q);
		sq_bind_text(q, i++, f->q);
	}
	return i;
}

static void add_filters(char *where, size_t len, const struct registry_query *f)
{
	where[0] = '\0';
	if (f->town)
		add_cond(where, len, "t.town = ?");
	if (f->industry)
		add_cond(where, len, "t.industry = ?");
	if (f->degree)
		add_cond(where, len, "t.degree = ?");
	if (f->tier > 0)
		add_cond(where, len, "t.tier = ?");
	else if (f->tier < 0)
		add_cond(where, len, "t.tier IS NULL");
	if (f->enterprise_id)
		add_cond(where, len, "t.enterprise_id = ?");
	if (f->liaison_id)
		add_cond(where, len, "t.id IN (SELECT talent_id FROM liaison_talents WHERE user_id = ?)");
	if (f->id_number)
		add_cond(where, len, "t.id_number_bidx = ?");
	else if (f->q)
		add_cond(where, len, "t.name >= ? AND t.name < (? || char(1114111))");
}

enum tp_rc sq_talent_list(struct store *st, const struct registry_query *f, struct arena *a,
			  struct talent_page *out)
{
	struct sq_store *s = sq(st);
	char where[512], sql[2048];
	add_filters(where, sizeof where, f);
	memset(out, 0, sizeof(*out));
	/* the ID number is looked up by its blind index, which also keys the cached count:
	 * no plaintext kept in the cache */
	unsigned char bidx[BLIND_INDEX_BYTES];
	char bidx_hex[2 * BLIND_INDEX_BYTES + 1] = "";
	if (f->id_number) {
		sq_pii_bidx(s, "id_number", f->id_number, bidx);
		hex_encode(bidx, sizeof bidx, bidx_hex);
	}

	snprintf(sql, sizeof sql, "SELECT count(*) FROM talents t%s", where);
	char key[2600];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%lld\x1f%lld\x1f%s\x1f%s", sql,
		 f->town ? f->town : "", f->industry ? f->industry : "", f->degree ? f->degree : "",
		 f->tier, (long long)f->enterprise_id, (long long)f->liaison_id, bidx_hex,
		 f->q ? f->q : "");
	uint64_t gen = sq_counts_generation(s);
	sqlite3_stmt *q;
	int rc;
	if (!sq_counts_get(key, gen, &out->total)) {
		q = sq_prepare_text(s, sql);
		if (!q)
			return TP_ERR_DB;
		bind_filters(q, f, bidx, 1);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			out->total = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (rc != SQLITE_ROW)
			return sq_rc(s, rc);
		sq_counts_put(key, gen, out->total);
	}
	if ((int64_t)(f->page - 1) * f->per_page >= out->total) {
		out->items = NULL;
		return TP_OK; /* past the last page: nothing to read */
	}

	snprintf(sql, sizeof sql,
		 "SELECT t.id, t.version, t.created_at, t.updated_at, " ENT_NAME ", " T_COLS
		 " FROM talents t%s"
		 " ORDER BY t.id LIMIT ? OFFSET ?",
		 where);
	q = sq_prepare_text(s, sql);
	if (!q)
		return TP_ERR_DB;
	int i = bind_filters(q, f, bidx, 1);
	sqlite3_bind_int(q, i++, f->per_page);
	sqlite3_bind_int64(q, i, (int64_t)(f->page - 1) * f->per_page);
	out->items = arena_alloc(a, (size_t)f->per_page * sizeof(*out->items));
	if (!out->items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->n < (size_t)f->per_page) {
		struct talent *t = &out->items[out->n++];
		t->id = sqlite3_column_int64(q, 0);
		t->version = sqlite3_column_int64(q, 1);
		t->created_at = sq_col_text(q, 2, a);
		t->updated_at = sq_col_text(q, 3, a);
		t->enterprise_name = sq_col_text(q, 4, a);
		read_talent(q, 5, a, t);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_talent_each(struct store *st, talent_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(s->db,
				    "SELECT t.id, t.version, t.created_at, t.updated_at, " ENT_NAME
				    ", " T_COLS ", " T_SEALED " FROM talents t ORDER BY t.id",
				    -1, &q, NULL);
	if (rc != SQLITE_OK)
		return sq_rc(s, rc);
	struct arena *a = arena_new();
	if (!a) {
		sqlite3_finalize(q);
		return TP_ERR_NOMEM;
	}
	enum tp_rc r = TP_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct talent t;
		memset(&t, 0, sizeof t);
		t.id = sqlite3_column_int64(q, 0);
		t.version = sqlite3_column_int64(q, 1);
		t.created_at = sq_col_text(q, 2, a);
		t.updated_at = sq_col_text(q, 3, a);
		t.enterprise_name = sq_col_text(q, 4, a);
		read_talent(q, 5, a, &t);
		if ((r = read_sealed(s, q, 5 + T_NCOLS, a, &t)) != TP_OK)
			break;
		int stop = cb(ctx, &t);
		if (arena_used(a) > (1u << 20)) {
			arena_free(a);
			a = arena_new();
			if (!a) {
				r = TP_ERR_NOMEM;
				break;
			}
		}
		if (stop)
			break;
	}
	if (r == TP_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = sq_rc(s, rc);
	arena_free(a);
	sqlite3_finalize(q);
	return r;
}
