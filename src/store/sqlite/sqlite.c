/*
 * sqlite.c — the SQLite backend: connection set-up, statement cache,
 * transactions, migrations and reference data.
 *
 * Pragmas: WAL (readers never block the writer), foreign_keys=ON,
 * synchronous=FULL (WAL with NORMAL can lose the last commits on power loss,
 * and this database holds money), busy_timeout 5 s.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/hash.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/sqlite/internal.h"

static void log_sqlite(struct sq_store *s, const char *what, int rc)
{
	json_t *f = json_pack("{s:s,s:i,s:s}", "what", what, "sqlite_rc", rc, "error",
			      s->db ? sqlite3_errmsg(s->db) : "");
	tp_log(LOG_ERROR, "sqlite error", f);
}

enum tp_rc sq_rc(struct sq_store *s, int rc)
{
	/* extended result codes are on: classify by the primary code (rc & 0xff) */
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return TP_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return TP_ERR_BUSY;
	case SQLITE_NOMEM:
		return TP_ERR_NOMEM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		log_sqlite(s, "io", rc);
		return TP_ERR_IO;
	case SQLITE_CONSTRAINT: {
		int ext = sqlite3_extended_errcode(s->db);
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return TP_ERR_CONFLICT;
		if (ext != SQLITE_CONSTRAINT_FOREIGNKEY)
			log_sqlite(s, "constraint", ext);
		return TP_ERR_INVALID;
	}
	}
	log_sqlite(s, "step", rc);
	return TP_ERR_DB;
}

static sqlite3_stmt *cache_hit(struct sq_cached *c)
{
	sqlite3_reset(c->stmt);
	sqlite3_clear_bindings(c->stmt);
	return c->stmt;
}

static sqlite3_stmt *prepare(struct sq_store *s, const char *sql, const char *literal)
{
	/* by text, never by a run-time pointer: dynamic SQL is built in reused buffers */
	uint64_t h = hash_str(sql);
	for (size_t i = 0; i < s->ncache; i++) {
		if (s->cache[i].hash == h && strcmp(s->cache[i].sql, sql) == 0) {
			if (literal && !s->cache[i].literal)
				s->cache[i].literal = literal;
			return cache_hit(&s->cache[i]);
		}
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		log_sqlite(s, "prepare", rc);
		return NULL;
	}
	if (s->ncache == SQ_CACHE_MAX) {
		/* evict the oldest entry */
		sqlite3_finalize(s->cache[0].stmt);
		free(s->cache[0].sql);
		memmove(&s->cache[0], &s->cache[1], sizeof(s->cache[0]) * (SQ_CACHE_MAX - 1));
		s->ncache--;
	}
	char *copy = strdup(sql);
	if (!copy) {
		sqlite3_finalize(st);
		return NULL;
	}
	s->cache[s->ncache].literal = literal;
	s->cache[s->ncache].hash = h;
	s->cache[s->ncache].sql = copy;
	s->cache[s->ncache].stmt = st;
	s->ncache++;
	return st;
}

sqlite3_stmt *sq_prepare(struct sq_store *s, const char *sql_literal)
{
	for (size_t i = 0; i < s->ncache; i++)
		if (s->cache[i].literal == sql_literal)
			return cache_hit(&s->cache[i]);
	return prepare(s, sql_literal, sql_literal);
}

sqlite3_stmt *sq_prepare_text(struct sq_store *s, const char *sql)
{
	return prepare(s, sql, NULL);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq_bind_int_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int64_t sq_col_int(sqlite3_stmt *st, int i, int64_t if_null)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return if_null;
	return sqlite3_column_int64(st, i);
}

enum tp_rc sq_step_done(struct sq_store *s, sqlite3_stmt *q)
{
	enum tp_rc r = sq_rc(s, sqlite3_step(q));
	sqlite3_reset(q);
	return r;
}

enum tp_rc sq_step_changed(struct sq_store *s, sqlite3_stmt *q)
{
	enum tp_rc r = sq_step_done(s, q);
	if (r == TP_OK && sqlite3_changes(s->db) == 0)
		r = TP_ERR_NOT_FOUND;
	return r;
}

enum tp_rc sq_exec_cached(struct sq_store *s, const char *sql)
{
	sqlite3_stmt *st = sq_prepare(s, sql);
	if (!st)
		return TP_ERR_DB;
	int rc = sqlite3_step(st);
	enum tp_rc r = sq_rc(s, rc);
	sqlite3_reset(st);
	return r;
}

static void bulk_forget(struct sq_store *s);

static void sq_close(struct store *st)
{
	struct sq_store *s = sq(st);
	bulk_forget(s);
	sq_pii_detach(s);
	for (size_t i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i].stmt);
		free(s->cache[i].sql);
	}
	sqlite3_finalize(s->rollback);
	sqlite3_close(s->db);
	free(s);
}

/* Inside the idempotency layer's outer transaction (idempotency.c) a handler's
 * transaction is a savepoint: its rollback undoes only its own work, and a commit or
 * rollback with no savepoint open does nothing. */
static enum tp_rc sq_begin(struct store *st)
{
	struct sq_store *s = sq(st);
	if (s->outer) {
		if (s->inner_open)
			return TP_ERR_INTERNAL;
		enum tp_rc rc = sq_exec_cached(s, "SAVEPOINT tp_inner");
		if (rc == TP_OK)
			s->inner_open = 1;
		return rc;
	}
	enum tp_rc rc = sq_exec_cached(s, "BEGIN IMMEDIATE");
	if (rc == TP_OK)
		s->in_tx = 1;
	return rc;
}

static enum tp_rc sq_commit(struct store *st)
{
	struct sq_store *s = sq(st);
	if (s->outer) {
		if (!s->inner_open)
			return TP_OK;
		s->inner_open = 0;
		return sq_exec_cached(s, "RELEASE tp_inner");
	}
	enum tp_rc rc = sq_exec_cached(s, "COMMIT");
	if (rc == TP_OK)
		s->in_tx = 0;
	sq_counts_bump();
	return rc;
}

static enum tp_rc sq_rollback(struct store *st)
{
	struct sq_store *s = sq(st);
	if (s->outer) {
		if (!s->inner_open)
			return TP_OK;
		s->inner_open = 0;
		enum tp_rc rc = sq_exec_cached(s, "ROLLBACK TO tp_inner");
		if (rc == TP_OK)
			rc = sq_exec_cached(s, "RELEASE tp_inner");
		return rc;
	}
	s->in_tx = 0;
	if (sqlite3_get_autocommit(s->db))
		return TP_OK;
	enum tp_rc rc = sq_rc(s, sqlite3_step(s->rollback));
	sqlite3_reset(s->rollback);
	return rc;
}

static enum tp_rc exec_script(struct sq_store *s, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		json_t *f = json_pack("{s:s}", "error", err ? err : "");
		tp_log(LOG_ERROR, "sqlite exec failed", f);
		sqlite3_free(err);
		return sq_rc(s, rc);
	}
	return TP_OK;
}

/* Fails (logged) when a migration left a row whose parent is missing. */
static enum tp_rc foreign_key_check(struct sq_store *s)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
		return TP_ERR_DB;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		tp_log(LOG_ERROR, "migration broke a foreign key",
		       json_pack("{s:s,s:I}", "table", (const char *)sqlite3_column_text(q, 0),
				 "rowid", (json_int_t)sqlite3_column_int64(q, 1)));
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? TP_OK : rc == SQLITE_ROW ? TP_ERR_INVALID : sq_rc(s, rc);
}

/* The migrations not yet applied, each in a transaction; *pii when migration 5 ran. */
static enum tp_rc migrate_steps(struct store *st, int *applied, int *version, int *pii)
{
	struct sq_store *s = sq(st);
	enum tp_rc rc;
	for (unsigned i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		if ((rc = sq_begin(st)) != TP_OK)
			return rc;
		sqlite3_stmt *q = sq_prepare(s, "SELECT 1 FROM schema_migrations WHERE version = ?");
		if (!q) {
			sq_rollback(st);
			return TP_ERR_DB;
		}
		sqlite3_bind_int(q, 1, m->version);
		int done = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_reset(q);
		if (done) {
			sq_rollback(st);
			continue;
		}
		rc = m->version == SQ_PII_MIGRATION ? sq_pii_migrate(s, m->sql)
						    : exec_script(s, m->sql);
		if (rc == TP_OK)
			rc = foreign_key_check(s);
		*pii |= rc == TP_OK && m->version == SQ_PII_MIGRATION;
		if (rc == TP_OK) {
			sqlite3_stmt *ins = sq_prepare(
				s, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
			if (!ins) {
				rc = TP_ERR_DB;
			} else {
				sqlite3_bind_int(ins, 1, m->version);
				sqlite3_bind_text(ins, 2, m->name, -1, SQLITE_STATIC);
				rc = sq_rc(s, sqlite3_step(ins));
				sqlite3_reset(ins);
			}
		}
		if (rc == TP_OK)
			rc = sq_commit(st);
		if (rc != TP_OK) {
			sq_rollback(st);
			return rc;
		}
		(*applied)++;
	}
	*version = migrations_count ? migrations[migrations_count - 1].version : 0;
	return TP_OK;
}

/*
 * Foreign keys are off while migrating (a migration may rebuild a table that others refer
 * to: sqlite.org/lang_altertable.html); each migration is checked before it commits.
 */
static enum tp_rc sq_migrate(struct store *st, int *applied, int *version)
{
	struct sq_store *s = sq(st);
	*applied = 0;
	enum tp_rc rc = exec_script(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
				       "applied_at TEXT NOT NULL DEFAULT "
				       "(strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
	if (rc != TP_OK)
		return rc;
	if ((rc = exec_script(s, "PRAGMA foreign_keys = OFF")) != TP_OK)
		return rc;
	int pii = 0;
	rc = migrate_steps(st, applied, version, &pii);
	enum tp_rc on = exec_script(s, "PRAGMA foreign_keys = ON");
	if (rc == TP_OK)
		rc = on;
	/* the plaintext that migration 5 sealed must not survive in freed pages or the WAL */
	if (rc == TP_OK && pii)
		rc = sq_pii_vacuum(s);
	/* a key file from before talent codes gets its first code key (core/talent_code.h) */
	if (rc == TP_OK && keyring_code_count(s->kr) == 0)
		rc = sq_pii_code_ensure(s);
	return rc;
}

static enum tp_rc sq_optimize(struct store *st, int full)
{
	return exec_script(sq(st), full ? "ANALYZE" : "PRAGMA optimize");
}

static void bulk_forget(struct sq_store *s)
{
	for (size_t i = 0; i < s->bulk_n; i++)
		free(s->bulk_ddl[i]);
	free(s->bulk_ddl);
	s->bulk_ddl = NULL;
	s->bulk_n = 0;
}

/* Drops the non-unique indexes (remembering their DDL) or recreates them. */
static enum tp_rc sq_bulk(struct store *st, int on)
{
	struct sq_store *s = sq(st);
	enum tp_rc rc;
	if (!on) {
		rc = TP_OK;
		for (size_t i = 0; i < s->bulk_n && rc == TP_OK; i++)
			rc = exec_script(s, s->bulk_ddl[i]);
		bulk_forget(s);
		if (rc == TP_OK)
			rc = exec_script(s, "PRAGMA synchronous = FULL; PRAGMA cache_size = -16000");
		return rc;
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
				      "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
			       -1, &q, NULL) != SQLITE_OK)
		return TP_ERR_DB;
	rc = TP_OK;
	while (rc == TP_OK && sqlite3_step(q) == SQLITE_ROW) {
		char **more = realloc(s->bulk_ddl, (s->bulk_n + 1) * sizeof(*more));
		char *ddl = strdup((const char *)sqlite3_column_text(q, 1));
		if (!more || !ddl) {
			free(ddl);
			if (more)
				s->bulk_ddl = more;
			rc = TP_ERR_NOMEM;
			break;
		}
		s->bulk_ddl = more;
		s->bulk_ddl[s->bulk_n++] = ddl;
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < s->bulk_n && rc == TP_OK; i++) {
		/* "CREATE INDEX name ON …": drop by the name that follows */
		char drop[200];
		const char *name = s->bulk_ddl[i] + strlen("CREATE INDEX ");
		size_t len = strcspn(name, " ");
		snprintf(drop, sizeof drop, "DROP INDEX \"%.*s\"", (int)len, name);
		rc = exec_script(s, drop);
	}
	if (rc == TP_OK)
		rc = exec_script(s, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144");
	return rc;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.migrate = sq_migrate,
	.optimize = sq_optimize,
	.bulk = sq_bulk,
	.ref_list = sq_ref_list,
	.ref_exists = sq_ref_exists,
	.talent_insert = sq_talent_insert,
	.talent_update = sq_talent_update,
	.talent_get = sq_talent_get,
	.talent_find_id_number = sq_talent_find_id_number,
	.talent_list = sq_talent_list,
	.talent_each = sq_talent_each,
	.enterprise_insert = sq_enterprise_insert,
	.enterprise_update = sq_enterprise_update,
	.enterprise_get = sq_enterprise_get,
	.enterprise_find_credit_code = sq_enterprise_find_credit_code,
	.enterprise_list = sq_enterprise_list,
	.employment_insert = sq_employment_insert,
	.employment_list = sq_employment_list,
	.employment_get = sq_employment_get,
	.employment_update = sq_employment_update,
	.talent_set_employer = sq_talent_set_employer,
	.industry_put = sq_industry_put,
	.import_insert = sq_import_insert,
	.import_get = sq_import_get,
	.user_insert = sq_user_insert,
	.user_get = sq_user_get,
	.user_update = sq_user_update,
	.user_set_password = sq_user_set_password,
	.user_set_login_state = sq_user_set_login_state,
	.user_set_totp = sq_user_set_totp,
	.user_list = sq_user_list,
	.liaison_link = sq_liaison_link,
	.liaison_has = sq_liaison_has,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_touch = sq_session_touch,
	.session_revoke = sq_session_revoke,
	.user_revoke_all = sq_user_revoke_all,
	.token_insert = sq_token_insert,
	.token_get = sq_token_get,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
	.token_touch = sq_token_touch,
	.registration_insert = sq_registration_insert,
	.registration_get = sq_registration_get,
	.registration_list = sq_registration_list,
	.registration_decide = sq_registration_decide,
	.setting_get = sq_setting_get,
	.setting_put = sq_setting_put,
	.generation = sq_generation,
	/* audit log (audit.c) */
	.audit_append = sq_audit_append,
	.audit_list = sq_audit_list,
	.audit_walk = sq_audit_walk,
	.audit_archive = sq_audit_archive,
	/* personal data at rest (pii.c) */
	.pii_key_info = sq_pii_key_info,
	.pii_key_counts = sq_pii_key_counts,
	.pii_add_key = sq_pii_add_key,
	.pii_rekey = sq_pii_rekey,
	/* policy runs and entitlements (fact_cols.c, entitlements.c) */
	.policy_facts_load = sq_policy_facts_load,
	.policy_facts_load_year = sq_policy_facts_load_year,
	.policy_run_insert = sq_policy_run_insert,
	.entitlements_replace = sq_entitlements_replace,
	.entitlements_recalc = sq_entitlements_recalc,
	.adjustments_list = sq_adjustments_list,
	.payment_report = sq_payment_report,
	.dashboard_counts = sq_dashboard_counts,
	.payment_waits_list = sq_payment_waits_list,
	.payment_waits_summary = sq_payment_waits_summary,
	.entitlements_list = sq_entitlements_list,
	.adjustment_decide = sq_adjustment_decide,
	.benefit_confirm = sq_benefit_confirm,
	.application_insert = sq_application_insert,
	.application_get = sq_application_get,
	.application_move = sq_application_move,
	.application_list = sq_application_list,
	.application_action_insert = sq_application_action_insert,
	.application_actions = sq_application_actions,
	.objection_insert = sq_objection_insert,
	.objection_list = sq_objection_list,
	.objection_resolve = sq_objection_resolve,
	.calendar_list = sq_calendar_list,
	.calendar_put = sq_calendar_put,
	.reminder_insert = sq_reminder_insert,
	.reminder_list = sq_reminder_list,
	/* enterprise self-identification (self_identification.c) */
	.selfid_criteria = sq_selfid_criteria,
	.selfid_industry_4341 = sq_selfid_industry_4341,
	.selfid_quota_defaults = sq_selfid_quota_defaults,
	.selfid_qualification_insert = sq_selfid_qualification_insert,
	.selfid_standing_get = sq_selfid_standing_get,
	.selfid_quota_put = sq_selfid_quota_put,
	.selfid_employed = sq_selfid_employed,
	.selfid_insert = sq_selfid_insert,
	.selfid_get = sq_selfid_get,
	.selfid_list = sq_selfid_list,
	.selfid_transition = sq_selfid_transition,
	.selfid_for_talent = sq_selfid_for_talent,
	.teams = &sq_team_ops,
	.pay = &sq_pay_ops,
	.bank = &sq_bank_ops,
	.idem = &sq_idem_ops,
	.appr = &sq_appr_ops,
	.notices = &sq_notice_ops,
	/* certificates and talent codes (certificates.c, pii.c) */
	.keyring = sq_keyring,
	.cert_insert = sq_cert_insert,
	.cert_set_token = sq_cert_set_token,
	.cert_get = sq_cert_get,
	.cert_list = sq_cert_list,
	.cert_set_status = sq_cert_set_status,
	.talent_set_tier = sq_talent_set_tier,
	/* evidence files (files.c) */
	.app_file_insert = sq_app_file_insert,
	.app_file_list = sq_app_file_list,
	.app_file_get = sq_app_file_get,
	.app_file_total = sq_app_file_total,
	.app_file_delete = sq_app_file_delete,
};

/* Creates the folder that holds path (one level), like `mkdir -p $(dirname path)`. */
static void make_parent_dir(const char *path)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return;
}

enum tp_rc store_sqlite_open(const char *path, int flags, struct store **out, char *err,
			     size_t errlen);

enum tp_rc store_sqlite_open(const char *path, int flags, struct store **out, char *err,
			     size_t errlen)
{
	*out = NULL;
	struct sq_store *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return TP_ERR_NOMEM;
	}
	s->base.ops = &sqlite_ops;
	snprintf(s->path, sizeof s->path, "%s", path);
	int oflags = SQLITE_OPEN_NOMUTEX;
	if (flags & STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE) {
		oflags |= SQLITE_OPEN_CREATE;
		make_parent_dir(path);
	}
	int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return rc == SQLITE_CANTOPEN ? TP_ERR_NOT_FOUND : TP_ERR_DB;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	/* secure_delete: a value overwritten or deleted (a plaintext being sealed) is zeroed */
	const char *pragmas = "PRAGMA foreign_keys = ON;"
			      "PRAGMA secure_delete = ON;"
			      "PRAGMA synchronous = FULL;"
			      "PRAGMA temp_store = MEMORY;"
			      "PRAGMA cache_size = -16000;";
	if (!(flags & STORE_READONLY) && exec_script(s, "PRAGMA journal_mode = WAL") != TP_OK) {
		snprintf(err, errlen, "cannot switch '%s' to WAL: %s", path, sqlite3_errmsg(s->db));
		sq_close(&s->base);
		return TP_ERR_DB;
	}
	if (exec_script(s, pragmas) != TP_OK ||
	    sqlite3_prepare_v3(s->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT, &s->rollback,
			       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot configure '%s': %s", path, sqlite3_errmsg(s->db));
		sq_close(&s->base);
		return TP_ERR_DB;
	}
	/* the keyring of the personal data at rest (pii.c): no key file, no store */
	enum tp_rc prc = sq_pii_attach(s, flags, err, errlen);
	if (prc != TP_OK) {
		sq_close(&s->base);
		return prc;
	}
	*out = &s->base;
	return TP_OK;
}

static const char *const ref_sql[] = {
	[REF_TOWN] = "SELECT code, name_zh, name_en, NULL, kind, sort, 0 FROM towns ORDER BY sort",
	[REF_INDUSTRY] = "SELECT code, name_zh, name_en, parent, CASE WHEN is_4341 THEN '4341' "
			 "ELSE 'other' END, sort, editable FROM industries ORDER BY sort",
	[REF_DEGREE] = "SELECT code, name_zh, name_en, NULL, NULL, rank, 0 FROM degrees ORDER BY rank",
	[REF_TITLE] = "SELECT code, name_zh, name_en, NULL, NULL, rank, 0 FROM titles ORDER BY rank",
	[REF_SKILL] = "SELECT code, name_zh, name_en, NULL, NULL, rank, 0 FROM skill_levels "
		      "ORDER BY rank",
	[REF_SIZE] = "SELECT code, name_zh, name_en, NULL, NULL, rank, 0 FROM enterprise_sizes "
		     "ORDER BY rank",
};

static const char *const ref_exists_sql[] = {
	[REF_TOWN] = "SELECT 1 FROM towns WHERE code = ?",
	[REF_INDUSTRY] = "SELECT 1 FROM industries WHERE code = ?",
	[REF_DEGREE] = "SELECT 1 FROM degrees WHERE code = ?",
	[REF_TITLE] = "SELECT 1 FROM titles WHERE code = ?",
	[REF_SKILL] = "SELECT 1 FROM skill_levels WHERE code = ?",
	[REF_SIZE] = "SELECT 1 FROM enterprise_sizes WHERE code = ?",
};

enum tp_rc sq_ref_list(struct store *st, enum ref_kind kind, struct arena *a,
		       struct ref_item **out, size_t *n)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, ref_sql[kind]);
	if (!q)
		return TP_ERR_DB;
	size_t cap = 0;
	struct ref_item *items = sq_grow(a, NULL, &cap, 0, sizeof(*items), 32);
	*n = 0;
	int rc = SQLITE_DONE;
	while (items && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap && !(items = sq_grow(a, items, &cap, *n, sizeof(*items), 32)))
			break;
		struct ref_item *it = &items[(*n)++];
		it->code = sq_col_text(q, 0, a);
		it->name_zh = sq_col_text(q, 1, a);
		it->name_en = sq_col_text(q, 2, a);
		it->parent = sq_col_text(q, 3, a);
		it->kind = sq_col_text(q, 4, a);
		it->rank = (int)sq_col_int(q, 5, 0);
		it->editable = (int)sq_col_int(q, 6, 0);
	}
	sqlite3_reset(q);
	*out = items;
	if (!items)
		return TP_ERR_NOMEM;
	/* a step that failed midway is an error, not a shorter list (test_faults.c) */
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}

enum tp_rc sq_ref_exists(struct store *st, enum ref_kind kind, const char *code)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(s, ref_exists_sql[kind]);
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, code);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return TP_OK;
	return rc == SQLITE_DONE ? TP_ERR_NOT_FOUND : sq_rc(s, rc);
}

enum tp_rc sq_industry_put(struct store *st, const struct ref_item *it, int create)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = sq_prepare(
		s, create ? "INSERT INTO industries (name_zh, name_en, parent, is_4341, sort, code, "
			    "editable) VALUES (?, ?, ?, ?, ?, ?, 1)"
			  : "UPDATE industries SET name_zh = ?, name_en = ?, parent = ?, is_4341 = ?, "
			    "sort = ? WHERE code = ?");
	if (!q)
		return TP_ERR_DB;
	sq_bind_text(q, 1, it->name_zh);
	sq_bind_text(q, 2, it->name_en);
	sq_bind_text(q, 3, it->parent);
	sqlite3_bind_int(q, 4, it->kind && strcmp(it->kind, "4341") == 0);
	sqlite3_bind_int(q, 5, it->rank);
	sq_bind_text(q, 6, it->code);
	int rc = sqlite3_step(q);
	enum tp_rc r = sq_rc(s, rc);
	sqlite3_reset(q);
	if (r == TP_OK && !create && sqlite3_changes(s->db) == 0)
		return TP_ERR_NOT_FOUND;
	return r;
}

void *sq_grow(struct arena *a, void *items, size_t *cap, size_t n, size_t sz, size_t first)
{
	size_t c = *cap ? *cap * 2 : first;
	void *more = arena_alloc(a, c * sz);
	if (more && n)
		memcpy(more, items, n * sz);
	*cap = c;
	return more;
}

enum tp_rc sq_end_rows(struct sq_store *s, sqlite3_stmt *q, int rc, int oom)
{
	sqlite3_reset(q);
	if (oom)
		return TP_ERR_NOMEM;
	return rc == SQLITE_DONE ? TP_OK : sq_rc(s, rc);
}
