/*
 * self_identification.c — SQLite storage of enterprise self-identification
 * (migrations/0012_self_identification.sql, domain/self_identification.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/self_identification.h"
#include "store/sqlite/internal.h"

enum tp_rc sq_selfid_criteria(struct store *st, struct arena *a, struct selfid_criterion **out,
			      size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT code, name_zh, name_en FROM self_id_criteria WHERE enabled = 1 ORDER BY code");
	*out = NULL;
	*n = 0;
	if (!q)
		return TP_ERR_DB;
	struct selfid_criterion *items = arena_alloc(a, 16 * sizeof(*items));
	int rc;
	while (items && (rc = sqlite3_step(q)) == SQLITE_ROW && *n < 16) {
		items[*n].code = sq_col_text(q, 0, a);
		items[*n].name_zh = sq_col_text(q, 1, a);
		items[*n].name_en = sq_col_text(q, 2, a);
		(*n)++;
	}
	if (!items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	sqlite3_reset(q);
	*out = items;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_selfid_industry_4341(struct store *st, const char *industry)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT is_4341 FROM industries WHERE code = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, industry);
	int rc = sqlite3_step(q);
	int yes = rc == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_rc(s, rc);
	return yes ? TP_OK : TP_ERR_NOT_FOUND;
}

enum tp_rc sq_selfid_quota_defaults(struct store *st, const char *size, int64_t quota[3])
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT category, quota FROM self_id_quota_defaults WHERE size = ?");
	quota[0] = quota[1] = quota[2] = 0;
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, size);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int c = sqlite3_column_int(q, 0);
		if (c >= 1 && c <= 3)
			quota[c - 1] = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_selfid_quota_put(struct store *st, int64_t eid, int year, int category,
			       int64_t quota, const char *by)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO enterprise_quotas (enterprise_id, year, category, quota, set_by) "
		   "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM enterprise_qualifications "
		   "WHERE enterprise_id = ?1 AND year = ?2) "
		   "ON CONFLICT (enterprise_id, year, category) DO UPDATE SET quota = excluded.quota, "
		   "set_by = excluded.set_by, set_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, eid);
	sqlite3_bind_int(q, 2, year);
	sqlite3_bind_int(q, 3, category);
	sqlite3_bind_int64(q, 4, quota);
	sq_bind_text(q, 5, by);
	return sq_step_changed(s, q);
}

enum tp_rc sq_selfid_qualification_insert(struct store *st, int64_t eid, int year,
					  const char *by, const int64_t quota[3])
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO enterprise_qualifications (enterprise_id, year, qualified_by) "
		   "VALUES (?, ?, ?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, eid);
	sqlite3_bind_int(q, 2, year);
	sq_bind_text(q, 3, by);
	enum tp_rc r = sq_step_done(s, q);
	for (int c = 1; r == TP_OK && c <= 3; c++)
		r = sq_selfid_quota_put(st, eid, year, c, quota[c - 1], by);
	return r;
}

enum tp_rc sq_selfid_standing_get(struct store *st, int64_t eid, int year, struct arena *a,
				  struct selfid_standing *out)
{
	struct sq_store *s = sq(st);
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT qualified_by, qualified_at, revoked FROM enterprise_qualifications "
		   "WHERE enterprise_id = ? AND year = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, eid);
	sqlite3_bind_int(q, 2, year);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->qualified_by = sq_col_text(q, 0, a);
		out->qualified_at = sq_col_text(q, 1, a);
		out->revoked = sqlite3_column_int(q, 2);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return TP_ERR_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return sq_rc(s, rc);
	out->enterprise_id = eid;
	out->year = year;
	q = sq_prepare(s, "SELECT c.category, coalesce(q.quota, 0), (SELECT count(*) FROM "
			  "self_identifications n WHERE n.enterprise_id = ?1 AND n.year = ?2 AND "
			  "n.category = c.category AND n.status = 'active') FROM (SELECT 1 AS category "
			  "UNION ALL SELECT 2 UNION ALL SELECT 3) c LEFT JOIN enterprise_quotas q ON "
			  "q.enterprise_id = ?1 AND q.year = ?2 AND q.category = c.category");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, eid);
	sqlite3_bind_int(q, 2, year);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int c = sqlite3_column_int(q, 0);
		out->quota[c - 1] = sqlite3_column_int64(q, 1);
		out->used[c - 1] = sqlite3_column_int64(q, 2);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_selfid_employed(struct store *st, int64_t talent_id, int64_t eid, const char *day)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT 1 FROM employments WHERE talent_id = ? AND enterprise_id = ? AND "
		   "started_on <= ?3 AND (ended_on IS NULL OR ended_on >= ?3) LIMIT 1");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, talent_id);
	sqlite3_bind_int64(q, 2, eid);
	sq_bind_text(q, 3, day);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_selfid_insert(struct store *st, struct self_identification *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO self_identifications (enterprise_id, talent_id, year, category, "
		   "justification, valid_from, valid_to, nominated_by) VALUES (?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, n->enterprise_id);
	sqlite3_bind_int64(q, 2, n->talent_id);
	sqlite3_bind_int(q, 3, n->year);
	sqlite3_bind_int(q, 4, n->category);
	sq_bind_text(q, 5, n->justification);
	sq_bind_text(q, 6, n->from);
	sq_bind_text(q, 7, n->to);
	sq_bind_text(q, 8, n->nominated_by);
	enum tp_rc r = sq_step_done(s, q);
	if (r == TP_OK)
		n->id = sqlite3_last_insert_rowid(s->db);
	return r;
}

#define N_SELECT                                                                                  \
	"SELECT n.id, n.enterprise_id, n.talent_id, n.year, n.category, n.justification, "        \
	"n.valid_from, n.valid_to, n.status, n.nominated_by, n.nominated_at, n.audit_note, "      \
	"n.audited_by, n.audited_at, n.revoked_reason, n.revoked_by, n.revoked_at, "              \
	"n.withdrawn_at, t.name, e.name FROM self_identifications n "                             \
	"JOIN talents t ON t.id = n.talent_id JOIN enterprises e ON e.id = n.enterprise_id"

static void read_nomination(sqlite3_stmt *q, struct arena *a, struct self_identification *n)
{
	n->id = sqlite3_column_int64(q, 0);
	n->enterprise_id = sqlite3_column_int64(q, 1);
	n->talent_id = sqlite3_column_int64(q, 2);
	n->year = sqlite3_column_int(q, 3);
	n->category = sqlite3_column_int(q, 4);
	n->justification = sq_col_text(q, 5, a);
	n->from = sq_col_text(q, 6, a);
	n->to = sq_col_text(q, 7, a);
	n->status = sq_col_text(q, 8, a);
	n->nominated_by = sq_col_text(q, 9, a);
	n->nominated_at = sq_col_text(q, 10, a);
	n->audit_note = sq_col_text(q, 11, a);
	n->audited_by = sq_col_text(q, 12, a);
	n->audited_at = sq_col_text(q, 13, a);
	n->revoked_reason = sq_col_text(q, 14, a);
	n->revoked_by = sq_col_text(q, 15, a);
	n->revoked_at = sq_col_text(q, 16, a);
	n->withdrawn_at = sq_col_text(q, 17, a);
	n->talent_name = sq_col_text(q, 18, a);
	n->enterprise_name = sq_col_text(q, 19, a);
}

enum tp_rc sq_selfid_get(struct store *st, int64_t id, struct arena *a,
			 struct self_identification *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, N_SELECT " WHERE n.id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_nomination(q, a, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_selfid_for_talent(struct store *st, int64_t talent_id, int year, struct arena *a,
				struct self_identification *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, N_SELECT " WHERE n.talent_id = ?1 AND n.status = 'active' "
					      "AND (?2 = 0 OR n.year = ?2) ORDER BY n.year DESC LIMIT 1");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, talent_id);
	sqlite3_bind_int(q, 2, year);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_nomination(q, a, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

#define N_WHERE                                                                                   \
	" WHERE (?1 = 0 OR n.enterprise_id = ?1) AND (?2 = 0 OR n.talent_id = ?2) AND "           \
	"(?3 = 0 OR n.year = ?3) AND (?4 = 0 OR n.category = ?4) AND (?5 IS NULL OR n.status = ?5) " \
	"AND (?6 < 0 OR (n.audited_at IS NOT NULL) = ?6)"

static void bind_query(sqlite3_stmt *q, const struct selfid_query *f)
{
	sqlite3_bind_int64(q, 1, f->enterprise_id);
	sqlite3_bind_int64(q, 2, f->talent_id);
	sqlite3_bind_int(q, 3, f->year);
	sqlite3_bind_int(q, 4, f->category);
	sq_bind_text(q, 5, f->status);
	sqlite3_bind_int(q, 6, f->audited);
}

enum tp_rc sq_selfid_list(struct store *st, const struct selfid_query *f, struct arena *a,
			  struct self_identification **out, size_t *n, int64_t *total)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	*total = 0;
	sqlite3_stmt *c = sq_prepare(s, "SELECT count(*) FROM self_identifications n" N_WHERE);
	if (!c)
		return TP_ERR_DB;
	bind_query(c, f);
	int rc = sqlite3_step(c);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(c, 0);
	sqlite3_reset(c);
	if (rc != SQLITE_ROW)
		return sq_rc(s, rc);
	sqlite3_stmt *q = sq_prepare(s, N_SELECT N_WHERE " ORDER BY n.id LIMIT ?7 OFFSET ?8");
	if (!q)
		return TP_ERR_DB;
	bind_query(q, f);
	sqlite3_bind_int(q, 7, f->per_page);
	sqlite3_bind_int64(q, 8, (int64_t)(f->page - 1) * f->per_page);
	struct self_identification *items = arena_alloc(a, sizeof(*items) * (size_t)(f->per_page + 1));
	if (!items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < (size_t)f->per_page)
		read_nomination(q, a, &items[(*n)++]);
	sqlite3_reset(q);
	*out = items;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_selfid_transition(struct store *st, int64_t id, int what /* enum selfid_change */,
				const char *text, const char *by)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	switch (what) {
	case SELFID_AUDIT:
		q = sq_prepare(s, "UPDATE self_identifications SET audit_note = ?2, audited_by = ?3, "
				  "audited_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
				  "WHERE id = ?1 AND status = 'active'");
		break;
	case SELFID_REVOKE:
		q = sq_prepare(s, "UPDATE self_identifications SET status = 'revoked', "
				  "revoked_reason = ?2, revoked_by = ?3, "
				  "revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
				  "WHERE id = ?1 AND status = 'active'");
		break;
	default:
		q = sq_prepare(s, "UPDATE self_identifications SET status = 'withdrawn', "
				  "withdrawn_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
				  "WHERE id = ?1 AND status = 'active' AND audited_at IS NULL");
		break;
	}
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	if (what != SELFID_WITHDRAW) {
		sq_bind_text(q, 2, text);
		sq_bind_text(q, 3, by);
	}
	enum tp_rc r = sq_step_changed(s, q);
	return r == TP_ERR_NOT_FOUND ? TP_ERR_CONFLICT : r;
}
