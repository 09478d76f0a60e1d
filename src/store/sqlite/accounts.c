/*
 * accounts.c — SQLite storage of accounts, sessions, API tokens, self-registrations
 * and security settings.  TOTP secrets are sealed with the connection's keyring.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "store/sqlite/internal.h"

#define TOTP_AAD "users.totp_secret"

#define U_SELECT                                                                                  \
	"SELECT u.id, u.version, u.username, u.display_name, u.role, u.password_phc, "            \
	"u.password_changed_at, u.must_change, u.disabled, u.unmask, u.talent_id, "               \
	"u.enterprise_id, u.department, u.totp_secret, u.totp_enabled, u.totp_last_step, "        \
	"u.failed_logins, u.throttled_until, u.locked_until, u.last_login_at, u.created_at, "     \
	"(SELECT group_concat(town) FROM user_towns WHERE user_id = u.id) FROM users u"

static void split_towns(const char *csv, struct arena *a, struct user *u)
{
	u->ntowns = 0;
	if (!csv)
		return;
	const char *p = csv;
	while (*p && u->ntowns < ACTOR_MAX_TOWNS) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const char *t = arena_strndup(a, p, n);
		if (t)
			u->towns[u->ntowns++] = t;
		p += n;
		if (*p == ',')
			p++;
	}
}

static enum tp_rc read_user(struct sq_store *s, sqlite3_stmt *q, struct arena *a,
			    struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(q, 0);
	u->version = sqlite3_column_int64(q, 1);
	u->username = sq_col_text(q, 2, a);
	u->display_name = sq_col_text(q, 3, a);
	const char *role = (const char *)sqlite3_column_text(q, 4);
	u->role = role_parse(role ? role : "");
	u->password_phc = sq_col_text(q, 5, a);
	u->password_changed_at = sqlite3_column_int64(q, 6);
	u->must_change = sqlite3_column_int(q, 7);
	u->disabled = sqlite3_column_int(q, 8);
	u->unmask = sqlite3_column_int(q, 9);
	u->talent_id = sq_col_int(q, 10, 0);
	u->enterprise_id = sq_col_int(q, 11, 0);
	u->department = sq_col_text(q, 12, a);
	u->totp_enabled = sqlite3_column_int(q, 14);
	u->totp_last_step = sqlite3_column_int64(q, 15);
	u->failed_logins = sqlite3_column_int(q, 16);
	u->throttled_until = sqlite3_column_int64(q, 17);
	u->locked_until = sqlite3_column_int64(q, 18);
	u->last_login_at = sqlite3_column_int64(q, 19);
	u->created_at = sq_col_text(q, 20, a);
	split_towns((const char *)sqlite3_column_text(q, 21), a, u);
	if (!u->username || !u->password_phc || !u->display_name || !u->department ||
	    !u->created_at)
		return TP_ERR_NOMEM;
	int n = sqlite3_column_bytes(q, 13);
	if (n > 0) {
		char plain[PII_PLAIN_MAX + 1];
		const char *p = NULL;
		size_t len = 0;
		/* sq_pii_open logs a value that does not open, and re-reads a rotated key file */
		enum tp_rc rc = sq_pii_open(s, TOTP_AAD, u->id, sqlite3_column_blob(q, 13),
					    (size_t)n, NULL, plain, &p, &len);
		if (rc == TP_OK && len > TOTP_SECRET_MAX)
			rc = TP_ERR_DB;
		if (rc != TP_OK) {
			sodium_memzero(plain, sizeof plain);
			return rc;
		}
		memcpy(u->totp_secret, plain, len);
		u->totp_secret_len = len;
		sodium_memzero(plain, sizeof plain);
	}
	return TP_OK;
}

static enum tp_rc put_towns(struct sq_store *s, const struct user *u)
{
	sqlite3_stmt *d = sq_prepare(s, "DELETE FROM user_towns WHERE user_id = ?");
	if (!d)
		return TP_ERR_DB;
	sqlite3_bind_int64(d, 1, u->id);
	enum tp_rc rc = sq_step_done(s, d);
	for (int i = 0; rc == TP_OK && i < u->ntowns; i++) {
		sqlite3_stmt *q =
			sq_prepare(s, "INSERT OR IGNORE INTO user_towns (user_id, town) VALUES (?, ?)");
		if (!q)
			return TP_ERR_DB;
		sqlite3_bind_int64(q, 1, u->id);
		sq_bind_text(q, 2, u->towns[i]);
		rc = sq_step_done(s, q);
	}
	return rc;
}

enum tp_rc sq_user_insert(struct store *st, struct user *u)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "INSERT INTO users (username, display_name, role, password_phc, "
		   "password_changed_at, must_change, disabled, unmask, talent_id, enterprise_id, "
		   "department) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, u->username);
	sq_bind_text(q, 2, u->display_name ? u->display_name : "");
	sq_bind_text(q, 3, role_name(u->role));
	sq_bind_text(q, 4, u->password_phc);
	sqlite3_bind_int64(q, 5, u->password_changed_at);
	sqlite3_bind_int(q, 6, u->must_change ? 1 : 0);
	sqlite3_bind_int(q, 7, u->disabled ? 1 : 0);
	sqlite3_bind_int(q, 8, u->unmask ? 1 : 0);
	sq_bind_int_opt(q, 9, u->talent_id, 0);
	sq_bind_int_opt(q, 10, u->enterprise_id, 0);
	sq_bind_text(q, 11, u->department ? u->department : "");
	enum tp_rc rc = sq_step_done(s, q);
	if (rc != TP_OK)
		return rc;
	u->id = sqlite3_last_insert_rowid(s->db);
	u->version = 1;
	return put_towns(s, u);
}

enum tp_rc sq_user_get(struct store *st, int64_t id, const char *username, struct arena *a,
		       struct user *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = username ? sq_prepare(s, U_SELECT " WHERE u.username = ?")
				   : sq_prepare(s, U_SELECT " WHERE u.id = ?");
	if (!q)
		return TP_ERR_DB;
	if (username)
		sq_bind_text(q, 1, username);
	else
		sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	enum tp_rc r;
	if (rc == SQLITE_ROW)
		r = read_user(s, q, a, out);
	else
		r = rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_user_update(struct store *st, struct user *u)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "UPDATE users SET display_name = ?, department = ?, unmask = ?, disabled = ?, "
		   "version = version + 1 WHERE id = ? AND version = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, u->display_name ? u->display_name : "");
	sq_bind_text(q, 2, u->department ? u->department : "");
	sqlite3_bind_int(q, 3, u->unmask ? 1 : 0);
	sqlite3_bind_int(q, 4, u->disabled ? 1 : 0);
	sqlite3_bind_int64(q, 5, u->id);
	sqlite3_bind_int64(q, 6, u->version);
	enum tp_rc rc = sq_step_changed(s, q);
	if (rc == TP_ERR_NOT_FOUND)
		return TP_ERR_CONFLICT; /* the caller loaded it: only the version can differ */
	if (rc != TP_OK)
		return rc;
	u->version++;
	return put_towns(s, u);
}

enum tp_rc sq_user_set_password(struct store *st, int64_t id, const char *phc,
				int64_t changed_at, int must_change)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE users SET password_phc = ?, password_changed_at = ?, "
					"must_change = ?, version = version + 1 WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, phc);
	sqlite3_bind_int64(q, 2, changed_at);
	sqlite3_bind_int(q, 3, must_change ? 1 : 0);
	sqlite3_bind_int64(q, 4, id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_user_set_login_state(struct store *st, const struct user *u)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, "UPDATE users SET failed_logins = ?, throttled_until = ?, "
					"locked_until = ?, last_login_at = ? WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int(q, 1, u->failed_logins);
	sqlite3_bind_int64(q, 2, u->throttled_until);
	sqlite3_bind_int64(q, 3, u->locked_until);
	sqlite3_bind_int64(q, 4, u->last_login_at);
	sqlite3_bind_int64(q, 5, u->id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_user_set_totp(struct store *st, int64_t id, const unsigned char *secret,
			    size_t len, int enabled, int64_t last_step)
{
	struct sq_store *s = sq(st);
	unsigned char sealed[TOTP_SECRET_MAX + PII_OVERHEAD];
	size_t sl = 0;
	if (len > TOTP_SECRET_MAX)
		return TP_ERR_TOO_LARGE;
	if (len) {
		sq_pii_refresh(s); /* seal with the newest key if the file was rotated */
		enum tp_rc rc = pii_seal(s->kr, TOTP_AAD, secret, len, sealed, &sl);
		if (rc != TP_OK)
			return rc;
	}
	sqlite3_stmt *q = sq_prepare(s, "UPDATE users SET totp_secret = ?, totp_enabled = ?, "
					"totp_last_step = ? WHERE id = ?");
	if (!q)
		return TP_ERR_DB;
	if (len)
		sqlite3_bind_blob(q, 1, sealed, (int)sl, SQLITE_STATIC); /* stepped below */
	else
		sqlite3_bind_null(q, 1);
	sqlite3_bind_int(q, 2, enabled ? 1 : 0);
	sqlite3_bind_int64(q, 3, last_step);
	sqlite3_bind_int64(q, 4, id);
	return sq_step_changed(s, q);
}

enum tp_rc sq_user_list(struct store *st, const struct user_query *f, struct arena *a,
			struct user_page *out)
{
	struct sq_store *s = sq(st);
	memset(out, 0, sizeof(*out));
	const char *role = f->role ? role_name(f->role) : NULL;
	char like[USERNAME_MAX * 2 + 4] = "";
	if (f->q) {
		size_t j = 0;
		for (const char *p = f->q; *p && j + 3 < sizeof like; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				like[j++] = '\\';
			like[j++] = *p;
		}
		like[j++] = '%';
		like[j] = '\0';
	}
#define U_WHERE                                                                                   \
	" WHERE (?1 IS NULL OR u.role = ?1) AND (?2 IS NULL OR u.username LIKE ?2 ESCAPE '\\' "    \
	"OR u.display_name LIKE ?2 ESCAPE '\\') AND (?3 OR u.disabled = 0)"
	sqlite3_stmt *c = sq_prepare(s, "SELECT count(*) FROM users u" U_WHERE);
	if (!c)
		return TP_ERR_DB;
	sq_bind_text(c, 1, role);
	sq_bind_text(c, 2, f->q ? like : NULL);
	sqlite3_bind_int(c, 3, f->include_disabled ? 1 : 0);
	int rc = sqlite3_step(c);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(c);
		return sq_rc(s, rc);
	}
	out->total = sqlite3_column_int64(c, 0);
	sqlite3_reset(c);
	sqlite3_stmt *q = sq_prepare(s, U_SELECT U_WHERE " ORDER BY u.id LIMIT ?4 OFFSET ?5");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, role);
	sq_bind_text(q, 2, f->q ? like : NULL);
	sqlite3_bind_int(q, 3, f->include_disabled ? 1 : 0);
	sqlite3_bind_int(q, 4, f->per_page);
	sqlite3_bind_int64(q, 5, (int64_t)(f->page - 1) * f->per_page);
	out->items = arena_alloc(a, sizeof(struct user) * (size_t)f->per_page);
	if (!out->items) {
		sqlite3_reset(q);
		return TP_ERR_NOMEM;
	}
	enum tp_rc r = TP_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && out->n < (size_t)f->per_page) {
		r = read_user(s, q, a, &out->items[out->n]);
		if (r != TP_OK)
			break;
		out->n++;
	}
	if (r == TP_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = sq_rc(s, rc);
	sqlite3_reset(q);
	return r;
#undef U_WHERE
}

enum tp_rc sq_liaison_link(struct store *st, int64_t user_id, int64_t talent_id, int link)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q =
		link ? sq_prepare(s, "INSERT OR IGNORE INTO liaison_talents (user_id, talent_id) "
				     "VALUES (?, ?)")
		     : sq_prepare(s, "DELETE FROM liaison_talents WHERE user_id = ? AND talent_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, user_id);
	sqlite3_bind_int64(q, 2, talent_id);
	sq_counts_bump(); /* a liaison's list totals change */
	return link ? sq_step_done(s, q) : sq_step_changed(s, q);
}

enum tp_rc sq_liaison_has(struct store *st, int64_t user_id, int64_t talent_id)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, "SELECT 1 FROM liaison_talents WHERE user_id = ? AND talent_id = ?");
	if (!q)
		return TP_ERR_DB;
	sqlite3_bind_int64(q, 1, user_id);
	sqlite3_bind_int64(q, 2, talent_id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}
