/*
 * fact_cols.c — the policy facts of every talent and enterprise as columns
 * (struct pol_talent_cols, src/policy/policy.h), for whole-population runs.
 *
 * Lean on purpose: only the columns the facts need (no name, no sealed ID number or
 * phone, nothing decrypted), four scans in primary-key order (talents, their year rows,
 * their children, enterprises; no sort) from one read snapshot, dates turned into days
 * here so that the engine reads integers.  The arrays are sized by counts taken in the
 * same snapshot.
 */
#include <string.h>

#include "core/date.h"
#include "policy/policy.h"
#include "store/sqlite/internal.h"

static int32_t day_col(sqlite3_stmt *q, int i)
{
	const char *s = (const char *)sqlite3_column_text(q, i);
	struct civil_date d;

	if (!s)
		return POL_COL_NONE;
	if (date_parse(s, &d))
		return POL_COL_BAD;
	return (int32_t)date_to_days(d);
}

/* 0 or 1; -1 for NULL and for anything else (not a recorded boolean) */
static int8_t tri_col(sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return -1;
	int64_t v = sqlite3_column_int64(q, i);
	return v == 0 || v == 1 ? (int8_t)v : -1;
}

/* a level or an id: 0 for NULL and for anything not positive */
static int64_t pos_col(sqlite3_stmt *q, int i)
{
	int64_t v = sq_col_int(q, i, 0);
	return v > 0 ? v : 0;
}

static int32_t level_col(sqlite3_stmt *q, int i)
{
	int64_t v = pos_col(q, i);
	return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

/* The degree code as an index into tc->degree_names (1-based), 0 when NULL. */
static int degree_col(struct pol_talent_cols *tc, sqlite3_stmt *q, int i, uint8_t *out)
{
	const char *s = (const char *)sqlite3_column_text(q, i);
	int k;

	*out = 0;
	if (!s)
		return 0;
	for (k = 0; k < tc->ndegree_names; k++)
		if (strcmp(tc->degree_names[k], s) == 0)
			break;
	if (k == tc->ndegree_names) {
		if (k == 32 || strlen(s) >= sizeof(tc->degree_names[0]))
			return -1; /* the degrees table holds five short codes */
		memcpy(tc->degree_names[k], s, strlen(s) + 1);
		tc->ndegree_names++;
	}
	*out = (uint8_t)(k + 1);
	return 0;
}

static enum tp_rc counts(struct sq_store *s, size_t *n, size_t *ny, size_t *nc, size_t *ne,
                         size_t *na)
{
	sqlite3_stmt *q = sq_prepare(s, "SELECT (SELECT count(*) FROM talents), "
	                                "(SELECT count(*) FROM talent_years), "
	                                "(SELECT count(*) FROM talent_children), "
	                                "(SELECT count(*) FROM enterprises), "
	                                "(SELECT count(*) FROM apprentices)");
	if (!q)
		return TP_ERR_DB;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*n = (size_t)sqlite3_column_int64(q, 0);
		*ny = (size_t)sqlite3_column_int64(q, 1);
		*nc = (size_t)sqlite3_column_int64(q, 2);
		*ne = (size_t)sqlite3_column_int64(q, 3);
		*na = (size_t)sqlite3_column_int64(q, 4);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? TP_OK : sq_rc(s, rc);
}

static enum tp_rc talents(struct sq_store *s, struct pol_talent_cols *tc)
{
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT id, enterprise_id, birth_date, degree, double_first_class, graduated_on, "
	       "tier, tier_from, tier_to, quanzhou_level, quanzhou_selected_on, provincial_level, "
	       "provincial_selected_on, short_term, home_contract_date, home_area_cm2, "
	       "home_in_jinjiang, home_first, startup_registered_on, startup_in_jinjiang "
	       "FROM talents ORDER BY id");
	size_t i = 0;
	int rc;
	enum tp_rc r = TP_OK;

	if (!q)
		return TP_ERR_DB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (i == tc->n) {
			r = TP_ERR_INTERNAL; /* more rows than counted in the same snapshot */
			break;
		}
		tc->id[i] = sqlite3_column_int64(q, 0);
		tc->enterprise_id[i] = pos_col(q, 1);
		tc->birth_date[i] = day_col(q, 2);
		if (degree_col(tc, q, 3, &tc->degree[i])) {
			r = TP_ERR_UNSUPPORTED;
			break;
		}
		tc->double_first_class[i] = tri_col(q, 4);
		tc->graduated_on[i] = day_col(q, 5);
		tc->tier[i] = level_col(q, 6);
		tc->tier_from[i] = day_col(q, 7);
		tc->tier_to[i] = day_col(q, 8);
		tc->quanzhou_level[i] = level_col(q, 9);
		tc->quanzhou_selected_on[i] = day_col(q, 10);
		tc->provincial_level[i] = level_col(q, 11);
		tc->provincial_selected_on[i] = day_col(q, 12);
		tc->short_term[i] = tri_col(q, 13);
		tc->home_contract_date[i] = day_col(q, 14);
		tc->home_area_cm2[i] = sq_col_int(q, 15, -1);
		tc->home_in_jinjiang[i] = tri_col(q, 16);
		tc->home_first[i] = tri_col(q, 17);
		tc->startup_registered_on[i] = day_col(q, 18);
		tc->startup_in_jinjiang[i] = tri_col(q, 19);
		i++;
	}
	sqlite3_reset(q);
	if (r != TP_OK)
		return r;
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	tc->n = i;
	return TP_OK;
}

/*
 * Rows of a child table (talent_id first, in talent-id order) grouped per talent:
 * off[i] .. off[i + 1] - 1 are the rows of talent i; put() stores row k from q.
 * A row whose talent is not in tc (impossible with the foreign keys) is skipped.
 */
static enum tp_rc grouped(struct sq_store *s, struct pol_talent_cols *tc, const char *sql,
                          size_t cap, size_t *off,
                          void (*put)(struct pol_talent_cols *, size_t, sqlite3_stmt *))
{
	sqlite3_stmt *q = sq_prepare(s, sql);
	size_t ti = 0, k = 0;
	int rc;
	enum tp_rc r = TP_OK;

	if (!q)
		return TP_ERR_DB;
	off[0] = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(q, 0);
		while (ti < tc->n && tc->id[ti] < tid)
			off[++ti] = k;
		if (ti == tc->n || tc->id[ti] != tid)
			continue;
		if (k == cap) {
			r = TP_ERR_INTERNAL;
			break;
		}
		put(tc, k++, q);
	}
	sqlite3_reset(q);
	if (r != TP_OK)
		return r;
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	while (ti < tc->n)
		off[++ti] = k;
	return TP_OK;
}

static void put_year(struct pol_talent_cols *tc, size_t k, sqlite3_stmt *q)
{
	int64_t days = sq_col_int(q, 3, -1);
	tc->year[k] = (int32_t)sqlite3_column_int64(q, 1);
	tc->insured[k] = (uint16_t)(sqlite3_column_int64(q, 2) & 0xfff);
	tc->days_in_jinjiang[k] = days > INT32_MAX ? INT32_MAX : days < 0 ? -1 : (int32_t)days;
}

static void put_child(struct pol_talent_cols *tc, size_t k, sqlite3_stmt *q)
{
	tc->child_birth[k] = day_col(q, 1);
}

static enum tp_rc enterprises(struct sq_store *s, struct pol_enterprise_cols *ec)
{
	sqlite3_stmt *q = sq_prepare(s, "SELECT id FROM enterprises ORDER BY id");
	size_t i = 0;
	int rc;

	if (!q)
		return TP_ERR_DB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && i < ec->n)
		ec->id[i++] = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_ERR_INTERNAL;
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	ec->n = i;
	return TP_OK;
}

/* enterprise.apprentices (migrations/0021): every apprentice in enterprise-id, id order,
 * grouped on its enterprise's row (ec->id is in id order). */
static enum tp_rc apprentices(struct sq_store *s, struct pol_enterprise_cols *ec)
{
	sqlite3_stmt *q = sq_prepare(s, "SELECT enterprise_id, id, level, enrolled_on, "
	                                "completed_on FROM apprentices "
	                                "ORDER BY enterprise_id, id");
	size_t k = 0, e = 0;
	int rc;

	if (!q)
		return TP_ERR_DB;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && k < ec->napprentices) {
		int64_t eid = sqlite3_column_int64(q, 0);
		while (e < ec->n && ec->id[e] < eid)
			ec->appr_off[++e] = k;
		if (e == ec->n || ec->id[e] != eid)
			continue;
		const char *lv = (const char *)sqlite3_column_text(q, 2);
		ec->appr_id[k] = sqlite3_column_int64(q, 1);
		ec->appr_level[k] = !lv ? 0 : strcmp(lv, "intermediate") == 0 ? 1
		                            : strcmp(lv, "advanced") == 0 ? 2 : 3;
		ec->appr_enrolled[k] = day_col(q, 3);
		ec->appr_completed[k] = day_col(q, 4);
		k++;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_ERR_INTERNAL; /* more rows than counted: not one snapshot */
	if (rc != SQLITE_DONE)
		return sq_rc(s, rc);
	while (e < ec->n)
		ec->appr_off[++e] = k;
	return TP_OK;
}

/*
 * person.self_identified: the active nominations of year (0: every year, the latest
 * winning) in talent-id order, each put on its talent's row (migrations/0012).
 */
static enum tp_rc self_identified(struct sq_store *s, struct pol_talent_cols *tc, int year)
{
	sqlite3_stmt *q = sq_prepare(
	    s, "SELECT talent_id, category, valid_from, valid_to, enterprise_id "
	       "FROM self_identifications WHERE status = 'active' AND (?1 = 0 OR year = ?1) "
	       "ORDER BY talent_id, year");
	size_t ti = 0;
	int rc;

	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, year);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(q, 0);
		while (ti < tc->n && tc->id[ti] < tid)
			ti++;
		if (ti == tc->n || tc->id[ti] != tid)
			continue;
		tc->si_category[ti] = level_col(q, 1);
		tc->si_from[ti] = day_col(q, 2);
		tc->si_to[ti] = day_col(q, 3);
		tc->si_enterprise[ti] = pos_col(q, 4);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

static enum tp_rc load(struct sq_store *s, struct pol_talent_cols *tc,
                       struct pol_enterprise_cols *ec, int year)
{
	size_t n = 0, ny = 0, nc = 0, ne = 0, na = 0;
	enum tp_rc r = counts(s, &n, &ny, &nc, &ne, &na);

	if (r != TP_OK)
		return r;
	if (pol_talent_cols_alloc(tc, n, ny, nc) || pol_enterprise_cols_alloc(ec, ne) ||
	    pol_enterprise_cols_alloc_apprentices(ec, na))
		return TP_ERR_NOMEM;
	if ((r = talents(s, tc)) == TP_OK)
		r = grouped(
		    s, tc,
		    "SELECT talent_id, year, insured_months, days_in_jinjiang FROM talent_years "
		    "ORDER BY talent_id, year",
		    ny, tc->year_off, put_year);
	if (r == TP_OK)
		r = grouped(s, tc,
		            "SELECT talent_id, birth_date FROM talent_children "
		            "ORDER BY talent_id, seq",
		            nc, tc->child_off, put_child);
	if (r == TP_OK)
		r = enterprises(s, ec);
	if (r == TP_OK)
		r = apprentices(s, ec);
	if (r == TP_OK)
		r = self_identified(s, tc, year);
	return r;
}

enum tp_rc sq_policy_facts_load_year(struct store *st, int year, struct pol_talent_cols *tc,
                                     struct pol_enterprise_cols *ec)
{
	struct sq_store *s = sq(st);
	enum tp_rc r;

	memset(tc, 0, sizeof(*tc));
	memset(ec, 0, sizeof(*ec));
	if (!sqlite3_get_autocommit(s->db)) {
		r = load(s, tc, ec, year);
	} else {
		/* one read transaction: every scan sees the same snapshot */
		if ((r = sq_exec_cached(s, "BEGIN")) != TP_OK)
			return r;
		r = load(s, tc, ec, year);
		enum tp_rc end = store_rollback(st);
		if (r == TP_OK)
			r = end;
	}
	if (r != TP_OK) {
		pol_talent_cols_release(tc);
		pol_enterprise_cols_release(ec);
	}
	return r;
}

enum tp_rc sq_policy_facts_load(struct store *st, struct pol_talent_cols *tc,
                                struct pol_enterprise_cols *ec)
{
	return sq_policy_facts_load_year(st, 0, tc, ec);
}
