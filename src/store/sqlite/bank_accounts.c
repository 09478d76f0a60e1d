/*
 * bank_accounts.c — bank accounts in the SQLite backend (store/bank_accounts.h,
 * migrations/0015_bank_accounts.sql).  The number is sealed (aad "bank_accounts.number")
 * and its mask stored beside it; rows are only ever marked, never rewritten (triggers).
 */
#include <string.h>

#include "core/arena.h"
#include "core/luhn.h"
#include "store/bank_accounts.h"
#include "store/sqlite/internal.h"

#define BA_AAD "bank_accounts.number"

#define BA_COLS                                                                                    \
	"id, beneficiary_kind, beneficiary_id, account_type, bank, branch, account_name, "       \
	"number_mask, previous_id, created_at, created_by, created_by_name, reason, "            \
	"replaced_at, replaced_by, confirmed_at, confirmed_by, invalid_at, invalid_reason, "     \
	"number_enc"

static void read_row(sqlite3_stmt *q, struct arena *a, struct bank_account *b)
{
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(q, 0);
	b->beneficiary_kind = sq_col_text(q, 1, a);
	b->beneficiary_id = sqlite3_column_int64(q, 2);
	b->account_type = sq_col_text(q, 3, a);
	b->bank = sq_col_text(q, 4, a);
	b->branch = sq_col_text(q, 5, a);
	b->account_name = sq_col_text(q, 6, a);
	b->number_mask = sq_col_text(q, 7, a);
	b->previous_id = sq_col_int(q, 8, 0);
	b->created_at = sq_col_int(q, 9, 0);
	b->created_by = sq_col_int(q, 10, 0);
	b->created_by_name = sq_col_text(q, 11, a);
	b->reason = sq_col_text(q, 12, a);
	b->replaced_at = sq_col_int(q, 13, 0);
	b->replaced_by = sq_col_int(q, 14, 0);
	b->confirmed_at = sq_col_int(q, 15, 0);
	b->confirmed_by = sq_col_text(q, 16, a);
	b->invalid_at = sq_col_int(q, 17, 0);
	b->invalid_reason = sq_col_text(q, 18, a);
}

static enum tp_rc sq_ba_replace(struct store *st, struct bank_account *b)
{
	struct sq_store *s = sq(st);
	if (!s->in_tx)
		return TP_ERR_INTERNAL;
	b->previous_id = 0;
	sqlite3_stmt *q = sq_prepare(s, "SELECT id FROM bank_accounts WHERE beneficiary_kind = ? "
					"AND beneficiary_id = ? AND replaced_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, b->beneficiary_kind);
	sqlite3_bind_int64(q, 2, b->beneficiary_id);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		b->previous_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return sq_rc(s, r);
	enum tp_rc rc;
	if (b->previous_id) {
		q = sq_prepare(s, "UPDATE bank_accounts SET replaced_at = ? WHERE id = ?");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, b->created_at);
		sqlite3_bind_int64(q, 2, b->previous_id);
		if ((rc = sq_step_changed(s, q)) != TP_OK)
			return rc;
	}
	sq_pii_refresh(s);
	struct sq_sealed sealed;
	if ((rc = sq_pii_seal(s, BA_AAD, NULL, SQ_MASK_PHONE, b->number, &sealed)) != TP_OK)
		return rc;
	if (!sealed.n)
		return TP_ERR_INTERNAL;
	char mask[24];
	bank_number_mask(b->number, mask);
	q = sq_prepare(s, "INSERT INTO bank_accounts (beneficiary_kind, beneficiary_id, "
			  "account_type, bank, branch, account_name, number_enc, number_mask, "
			  "previous_id, created_at, created_by, created_by_name, reason) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, b->beneficiary_kind);
	sqlite3_bind_int64(q, 2, b->beneficiary_id);
	sq_bind_text(q, 3, b->account_type);
	sq_bind_text(q, 4, b->bank);
	sq_bind_text(q, 5, b->branch);
	sq_bind_text(q, 6, b->account_name);
	sqlite3_bind_blob(q, 7, sealed.enc, (int)sealed.n, SQLITE_STATIC);
	sq_bind_text(q, 8, mask);
	sq_bind_int_opt(q, 9, b->previous_id, 0);
	sqlite3_bind_int64(q, 10, b->created_at);
	sqlite3_bind_int64(q, 11, b->created_by);
	sq_bind_text(q, 12, b->created_by_name ? b->created_by_name : "");
	sq_bind_text(q, 13, b->reason ? b->reason : "");
	if ((rc = sq_step_done(s, q)) != TP_OK)
		return rc;
	b->id = sqlite3_last_insert_rowid(s->db);
	if (b->previous_id) {
		q = sq_prepare(s, "UPDATE bank_accounts SET replaced_by = ? WHERE id = ?");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, b->id);
		sqlite3_bind_int64(q, 2, b->previous_id);
		if ((rc = sq_step_changed(s, q)) != TP_OK)
			return rc;
	}
	sq_counts_bump();
	return TP_OK;
}

static enum tp_rc sq_ba_current(struct store *st, const char *kind, int64_t id, int with_number,
				struct arena *a, struct bank_account *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " BA_COLS " FROM bank_accounts WHERE "
					"beneficiary_kind = ? AND beneficiary_id = ? AND "
					"replaced_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sqlite3_bind_int64(q, 2, id);
	int r = sqlite3_step(q);
	enum tp_rc rc = TP_OK;
	if (r == SQLITE_ROW) {
		read_row(q, a, out);
		if (with_number)
			rc = sq_pii_col(s, q, 19, BA_AAD, out->id, a, &out->number);
		else
			out->number = NULL;
	} else {
		rc = r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
	}
	sqlite3_reset(q);
	return rc;
}

static enum tp_rc sq_ba_get(struct store *st, int64_t account_id, struct arena *a,
			    struct bank_account *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "SELECT " BA_COLS " FROM bank_accounts WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, account_id);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		read_row(q, a, out);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? TP_OK : r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
}

static enum tp_rc sq_ba_history(struct store *st, const char *kind, int64_t id, struct arena *a,
				struct bank_account **out, size_t *n)
{
	struct sq_store *s = sq(st);
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = sq_prepare(s, "SELECT " BA_COLS " FROM bank_accounts WHERE "
					"beneficiary_kind = ? AND beneficiary_id = ? ORDER BY id DESC");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, kind);
	sqlite3_bind_int64(q, 2, id);
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

static enum tp_rc sq_ba_confirm(struct store *st, int64_t account_id, const char *by, int64_t at)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE bank_accounts SET confirmed_at = ?, confirmed_by = ? "
					"WHERE id = ? AND replaced_at IS NULL AND confirmed_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, at);
	sq_bind_text(q, 2, by);
	sqlite3_bind_int64(q, 3, account_id);
	return sq_step_changed(s, q);
}

static enum tp_rc sq_ba_mark_invalid(struct store *st, int64_t account_id, const char *reason,
				     int64_t at)
{
	struct sq_store *s = sq(st);
	if (!s->in_tx)
		return TP_ERR_INTERNAL;
	sqlite3_stmt *q = sq_prepare(s, "UPDATE bank_accounts SET invalid_at = ?, invalid_reason = ? "
					"WHERE id = ? AND replaced_at IS NULL AND invalid_at IS NULL");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, at);
	sq_bind_text(q, 2, reason);
	sqlite3_bind_int64(q, 3, account_id);
	return sq_step_changed(s, q);
}

static enum tp_rc sq_ba_registered_name(struct store *st, const char *kind, int64_t id,
					struct arena *a, const char **name)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = strcmp(kind, "talent") == 0
				  ? sq_prepare(s, "SELECT name FROM talents WHERE id = ?")
				  : sq_prepare(s, "SELECT name FROM enterprises WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, id);
	int r = sqlite3_step(q);
	*name = r == SQLITE_ROW ? sq_col_text(q, 0, a) : NULL;
	sqlite3_reset(q);
	if (r == SQLITE_ROW)
		return *name ? TP_OK : TP_ERR_NOMEM;
	return r == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, r);
}

const struct bank_store_ops sq_bank_ops = {
	.registered_name = sq_ba_registered_name,
	.replace = sq_ba_replace,
	.current = sq_ba_current,
	.get = sq_ba_get,
	.history = sq_ba_history,
	.confirm = sq_ba_confirm,
	.mark_invalid = sq_ba_mark_invalid,
};
