/*
 * apprentices.c — the apprentice register in the SQLite backend (store/apprentices.h,
 * migrations/0021_apprentices.sql).  The ID number is sealed like talents' (aad
 * "apprentices.id_number", blind index "id_number", mask beside it); reads give the mask.
 */
#include <string.h>

#include "core/arena.h"
#include "store/apprentices.h"
#include "store/sqlite/internal.h"

#define AP_AAD "apprentices.id_number"
#define AP_COLS                                                                                    \
	"id, version, enterprise_id, name, id_number_mask, level, enrolled_on, completed_on, "   \
	"created_at, updated_at"

static void read_row(sqlite3_stmt *q, struct arena *a, struct apprentice *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(q, 0);
	p->version = sqlite3_column_int64(q, 1);
	p->enterprise_id = sqlite3_column_int64(q, 2);
	p->name = sq_col_text(q, 3, a);
	p->id_mask = sq_col_text(q, 4, a);
	p->level = sq_col_text(q, 5, a);
	p->enrolled_on = sq_col_text(q, 6, a);
	p->completed_on = sq_col_text(q, 7, a);
	p->created_at = sq_col_text(q, 8, a);
	p->updated_at = sq_col_text(q, 9, a);
}

static enum tp_rc sq_ap_insert(struct store *st, struct apprentice *p)
{
	struct sq_store *s = sq(st);
	sq_pii_refresh(s);
	struct sq_sealed sealed;
	enum tp_rc rc = sq_pii_seal(s, AP_AAD, "id_number", SQ_MASK_ID, p->id_number, &sealed);
	if (rc != TP_OK)
		return rc;
	if (!sealed.n)
		return TP_ERR_INTERNAL;
	sqlite3_stmt *q = sq_prepare(s, "INSERT INTO apprentices (enterprise_id, name, "
					"id_number_enc, id_number_bidx, id_number_mask, level, "
					"enrolled_on, completed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, p->enterprise_id);
	sq_bind_text(q, 2, p->name);
	sq_pii_bind(q, 3, &sealed, 1);
	sq_bind_text(q, 6, p->level);
	sq_bind_text(q, 7, p->enrolled_on);
	sq_bind_text(q, 8, p->completed_on);
	if ((rc = sq_step_done(s, q)) != TP_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(s->db);
	p->version = 1;
	return TP_OK;
}

static enum tp_rc sq_ap_update(struct store *st, struct apprentice *p)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE apprentices SET name = ?, level = ?, "
					"enrolled_on = ?, completed_on = ?, version = version + 1, "
					"updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
					"WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, p->name);
	sq_bind_text(q, 2, p->level);
	sq_bind_text(q, 3, p->enrolled_on);
	sq_bind_text(q, 4, p->completed_on);
	sqlite3_bind_int64(q, 5, p->id);
	sqlite3_bind_int64(q, 6, p->version);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_ERR_NOT_FOUND) {
		q = sq_prepare(s, "SELECT 1 FROM apprentices WHERE id = ?");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, p->id);
		int r = sqlite3_step(q);
		sqlite3_reset(q);
		return r == SQLITE_ROW ? TP_ERR_CONFLICT : r == SQLITE_DONE ? TP_ERR_NOT_FOUND
									    : sq_rc(s, r);
	}
	if (rc == TP_OK)
		p->version++;
	return rc;
}

static enum tp_rc sq_ap_get(struct store *st, int64_t id, struct arena *a, struct apprentice *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " AP_COLS " FROM apprentices WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		read_row(q, a, out);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? TP_OK : r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
}

static enum tp_rc sq_ap_list(struct store *st, int64_t enterprise_id, struct arena *a,
			     struct apprentice **out, size_t *n)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = sq_prepare(s, "SELECT " AP_COLS " FROM apprentices WHERE "
					"enterprise_id = ? ORDER BY id");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, enterprise_id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(*out = sq_grow(a, *out, &cap, *n, sizeof **out, 8))) {
			sqlite3_reset(q);
			return TP_ERR_NOMEM;
		}
		read_row(q, a, &(*out)[(*n)++]);
	}
	sqlite3_reset(q);
	return r == SQLITE_DONE ? TP_OK : sq_rc(s, r);
}

static enum tp_rc sq_ap_entitlement_open(struct store *st, const char *policy, int64_t eid,
					 const char *item, const char *period_key, int instalment)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT status FROM entitlements WHERE policy = ? AND "
					"beneficiary_kind = 'enterprise' AND beneficiary_id = ? AND "
					"item = ? AND period_key = ? AND instalment = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, policy);
	sqlite3_bind_int64(q, 2, eid);
	sq_bind_text(q, 3, item);
	sq_bind_text(q, 4, period_key);
	sqlite3_bind_int(q, 5, instalment);
	int r = sqlite3_step(q);
	enum tp_rc rc = TP_OK;
	if (r == SQLITE_ROW) {
		const char *st2 = (const char *)sqlite3_column_text(q, 0);
		if (!st2 || (strcmp(st2, "pending") != 0 && strcmp(st2, "excluded") != 0))
			rc = TP_ERR_CONFLICT;
	} else if (r != SQLITE_DONE) {
		rc = sq_rc(s, r);
	}
	sqlite3_reset(q);
	return rc;
}

const struct appr_store_ops sq_appr_ops = {
	.entitlement_open = sq_ap_entitlement_open,
	.insert = sq_ap_insert,
	.update = sq_ap_update,
	.get = sq_ap_get,
	.list = sq_ap_list,
};
