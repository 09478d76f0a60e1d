/*
 * internal.h — shared pieces of the SQLite backend (not for use outside src/store/sqlite/).
 */
#ifndef TP_STORE_SQLITE_INTERNAL_H
#define TP_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/crypto.h"
#include "store/store.h"

#define SQ_CACHE_MAX 64

struct sq_cached {
	const char *literal; /* the caller's string literal, when prepared by sq_prepare */
	uint64_t hash;       /* FNV-1a of sql, compared before the string */
	char *sql;
	sqlite3_stmt *stmt;
};

struct sq_store {
	struct store base;
	sqlite3 *db;
	char path[1024];
	int in_tx;
	/* the idempotency layer's outer transaction is open (idempotency.c); inner_open: a
	 * handler's store_begin made a savepoint inside it */
	int outer, inner_open;
	/* ROLLBACK, prepared at open and kept out of the cache: rolling back must never
	 * need memory, or an allocation failure leaves the transaction (and the write
	 * lock) open for good (tests/unit/test_faults.c) */
	sqlite3_stmt *rollback;
	int64_t data_version; /* last PRAGMA data_version seen (counts.c) */
	char **bulk_ddl;      /* CREATE INDEX statements dropped for a bulk load */
	size_t bulk_n;
	struct sq_cached cache[SQ_CACHE_MAX];
	size_t ncache;
	/* personal data at rest (pii.c): the keyring of key_path, loaded at open; the key
	 * file's identity when loaded, re-checked now and then so a rotation is noticed */
	struct keyring *kr;
	char key_path[1024];
	int64_t key_ino, key_mtime_ns, key_checked_s;
};

static inline struct sq_store *sq(struct store *st)
{
	return (struct sq_store *)st;
}

/*
 * Returns a prepared statement for sql from the connection's cache (preparing it
 * the first time), reset and with bindings cleared.  NULL on a prepare error
 * (logged).  The statement stays owned by the cache.
 * sq_prepare takes a string LITERAL (found again by its address, the hot path);
 * sq_prepare_text takes SQL built at run time (found by its text).
 */
sqlite3_stmt *sq_prepare(struct sq_store *s, const char *sql_literal);
sqlite3_stmt *sq_prepare_text(struct sq_store *s, const char *sql);

/* Maps a SQLite result code to a tp_rc (CONSTRAINT_UNIQUE → CONFLICT, BUSY → BUSY ...),
 * logging unexpected errors with the statement's SQL. */
enum tp_rc sq_rc(struct sq_store *s, int rc);

/* Binding helpers: NULL strings bind SQL NULL; *_opt bind NULL for the "none" value. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_int_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none);

/* Column helpers: arena copies; NULL for SQL NULL. */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
int64_t sq_col_int(sqlite3_stmt *st, int i, int64_t if_null);

/* Reads an employment record from columns c.. of q: id, enterprise_id, enterprise name,
 * started_on, ended_on, position, annual_salary_fen. */
void sq_read_employment(sqlite3_stmt *q, int c, struct arena *a, int64_t talent_id,
			struct employment *m);

/* Steps q (a statement with no result rows), resets it and maps the result.
 * sq_step_changed also answers TP_ERR_NOT_FOUND when the UPDATE/DELETE touched no row. */
enum tp_rc sq_step_done(struct sq_store *s, sqlite3_stmt *q);
enum tp_rc sq_step_changed(struct sq_store *s, sqlite3_stmt *q);

/* SQL: the name of the beneficiary (kind, id) of an entitlement row — the talent's or the
 * enterprise's, NULL when gone. */
#define SQ_BENEFICIARY_NAME                                                                    \
	"CASE beneficiary_kind WHEN 'talent' THEN (SELECT name FROM talents WHERE id = "         \
	"beneficiary_id) ELSE (SELECT name FROM enterprises WHERE id = beneficiary_id) END"

/* Grows an arena array of *cap elements of size sz to twice as many (first elements the
 * first time), copying the n in use; *cap gets the new capacity.  NULL when out of memory. */
void *sq_grow(struct arena *a, void *items, size_t *cap, size_t n, size_t sz, size_t first);

/* After a row loop over q: resets q and maps the last step's result rc (SQLITE_DONE is
 * TP_OK); oom reports an allocation failure in the loop as TP_ERR_NOMEM. */
enum tp_rc sq_end_rows(struct sq_store *s, sqlite3_stmt *q, int rc, int oom);

/* Runs one statement with no result rows (from the cache). */
enum tp_rc sq_exec_cached(struct sq_store *s, const char *sql);

/*
 * The cache of list totals (counts.c).  sq_counts_generation() returns the current
 * generation after noticing other connections' commits; a total is cached with
 * the generation it was counted under and served only while that still holds.
 * Writers call sq_counts_bump() when they change a table and when they commit.
 * key is the count's SQL and its parameters, joined.
 */
uint64_t sq_counts_generation(struct sq_store *s);
int sq_counts_get(const char *key, uint64_t gen, int64_t *total);
void sq_counts_put(const char *key, uint64_t gen, int64_t total);
void sq_counts_bump(void);

/* Store operations implemented in the other files of this backend. */
enum tp_rc sq_ref_list(struct store *st, enum ref_kind kind, struct arena *a,
		       struct ref_item **out, size_t *n);
enum tp_rc sq_ref_exists(struct store *st, enum ref_kind kind, const char *code);

enum tp_rc sq_talent_insert(struct store *st, struct talent *t);
enum tp_rc sq_talent_update(struct store *st, struct talent *t);
enum tp_rc sq_talent_get(struct store *st, int64_t id, struct arena *a, struct talent *out);
enum tp_rc sq_talent_find_id_number(struct store *st, const char *id_number, int64_t *id);
enum tp_rc sq_talent_list(struct store *st, const struct registry_query *q, struct arena *a,
			  struct talent_page *out);
enum tp_rc sq_talent_each(struct store *st, talent_cb cb, void *ctx);

enum tp_rc sq_enterprise_insert(struct store *st, struct enterprise *e);
enum tp_rc sq_enterprise_update(struct store *st, struct enterprise *e);
enum tp_rc sq_enterprise_get(struct store *st, int64_t id, struct arena *a,
			     struct enterprise *out);
enum tp_rc sq_enterprise_find_credit_code(struct store *st, const char *code, int64_t *id);
enum tp_rc sq_enterprise_list(struct store *st, const struct registry_query *q,
			      struct arena *a, struct enterprise_page *out);

enum tp_rc sq_employment_insert(struct store *st, struct employment *e);
enum tp_rc sq_employment_list(struct store *st, int64_t talent_id, struct arena *a,
			      struct employment **out, size_t *n);

enum tp_rc sq_employment_get(struct store *st, int64_t talent_id, int64_t id, struct arena *a,
			     struct employment *out);
enum tp_rc sq_employment_update(struct store *st, const struct employment *e);
enum tp_rc sq_talent_set_employer(struct store *st, int64_t talent_id, int64_t enterprise_id);
enum tp_rc sq_industry_put(struct store *st, const struct ref_item *it, int create);

enum tp_rc sq_import_insert(struct store *st, struct import_record *r);
enum tp_rc sq_import_get(struct store *st, int64_t id, struct arena *a,
			 struct import_record *out);

/* accounts.c and sessions.c */
enum tp_rc sq_user_insert(struct store *st, struct user *u);
enum tp_rc sq_user_get(struct store *st, int64_t id, const char *username, struct arena *a, struct user *out);
enum tp_rc sq_user_update(struct store *st, struct user *u);
enum tp_rc sq_user_set_password(struct store *st, int64_t id, const char *phc, int64_t changed_at, int must_change);
enum tp_rc sq_user_set_login_state(struct store *st, const struct user *u);
enum tp_rc sq_user_set_totp(struct store *st, int64_t id, const unsigned char *secret, size_t len, int enabled, int64_t last_step);
enum tp_rc sq_user_list(struct store *st, const struct user_query *q, struct arena *a, struct user_page *out);
enum tp_rc sq_liaison_link(struct store *st, int64_t user_id, int64_t talent_id, int link);
enum tp_rc sq_liaison_has(struct store *st, int64_t user_id, int64_t talent_id);
enum tp_rc sq_session_insert(struct store *st, const struct session *s);
enum tp_rc sq_session_get(struct store *st, const char *token_hash, struct arena *a, struct session *out);
enum tp_rc sq_session_touch(struct store *st, const char *token_hash, int64_t now);
enum tp_rc sq_session_revoke(struct store *st, const char *token_hash);
enum tp_rc sq_user_revoke_all(struct store *st, int64_t user_id);
enum tp_rc sq_token_insert(struct store *st, struct api_token *t);
enum tp_rc sq_token_get(struct store *st, const char *token_hash, struct arena *a, struct api_token *out);
enum tp_rc sq_token_list(struct store *st, int64_t user_id, struct arena *a, struct api_token **out, size_t *n);
enum tp_rc sq_token_revoke(struct store *st, int64_t user_id, int64_t id);
enum tp_rc sq_token_touch(struct store *st, int64_t id, int64_t now);
enum tp_rc sq_registration_insert(struct store *st, struct registration *r);
enum tp_rc sq_registration_get(struct store *st, int64_t id, struct arena *a, struct registration *out);
enum tp_rc sq_registration_list(struct store *st, const char *status, const char *town, int page, int per_page, struct arena *a, struct registration **out, size_t *n, int64_t *total);
enum tp_rc sq_registration_decide(struct store *st, const struct registration *r);
enum tp_rc sq_setting_get(struct store *st, const char *key, struct arena *a, const char **value);
enum tp_rc sq_setting_put(struct store *st, const char *key, const char *value);
uint64_t sq_generation(struct store *st);

/* personal data at rest (pii.c, pii_migrate.c; core/crypto.h) */
#define SQ_PII_MIGRATION 5 /* migrations/0005_pii.sql, completed by sq_pii_migrate */

/* A value sealed for writing: the sealed bytes, its blind index and its masked form. */
struct sq_sealed {
	size_t n; /* sealed length; 0 when the value is NULL (every column binds NULL) */
	unsigned char enc[PII_PLAIN_MAX + PII_OVERHEAD];
	unsigned char bidx[BLIND_INDEX_BYTES];
	int has_bidx;
	char mask[64];
};
enum sq_mask { SQ_MASK_ID, SQ_MASK_PHONE };

/* Loads the key file of s->path into s->kr at open (creating it only with STORE_CREATE on
 * a database that holds no sealed value) and checks it against crypto_meta's fingerprint.
 * On failure err says why (zh + en) and the caller closes s. */
enum tp_rc sq_pii_attach(struct sq_store *s, int flags, char *err, size_t errlen);
/* Frees the keyring (at close). */
void sq_pii_detach(struct sq_store *s);
/* Writes the keyring's fingerprint into crypto_meta unless one is there. */
enum tp_rc sq_pii_record_fingerprint(struct sq_store *s);
/* Before a write: re-reads the key file when it changed (checked at most once a second). */
void sq_pii_refresh(struct sq_store *s);
/* Seals value (NULL: nothing, out->n = 0) with aad "<table>.<column>"; bidx_domain
 * ("id_number", "phone") asks for a blind index too.  TP_ERR_TOO_LARGE past PII_PLAIN_MAX. */
enum tp_rc sq_pii_seal(struct sq_store *s, const char *aad, const char *bidx_domain,
		       enum sq_mask mask, const char *value, struct sq_sealed *out);
/* Binds v as the sealed column, [its blind index,] its mask from parameter i (NULLs when
 * v is empty); returns the next parameter index.  Bound SQLITE_STATIC (no allocation that
 * could fail): v must outlive the statement's step. */
int sq_pii_bind(sqlite3_stmt *q, int i, const struct sq_sealed *v, int with_bidx);
void sq_pii_bidx(struct sq_store *s, const char *domain, const char *value,
		 unsigned char out[BLIND_INDEX_BYTES]);
/* Opens sealed bytes in[0..n) of row `row` into buf (PII_PLAIN_MAX + 1 bytes) or, when buf
 * is NULL, into a: *out (NUL-terminated) and *outlen (may be NULL; binary values); *out is
 * NULL for NULL in.  A key id this connection does not know re-reads the key file when it
 * changed (a rotation by another process).  A value that does not open is TP_ERR_DB, logged
 * with the column, row id and key id (never the value). */
enum tp_rc sq_pii_open(struct sq_store *s, const char *aad, int64_t row, const void *in,
		       size_t n, struct arena *a, char *buf, const char **out, size_t *outlen);
/* sq_pii_open of column col of the current row of q, into a. */
enum tp_rc sq_pii_col(struct sq_store *s, sqlite3_stmt *q, int col, const char *aad,
		      int64_t row, struct arena *a, const char **out);
/* Runs migration 5 (sql) and completes it: seals the legacy plaintext and drops it. */
enum tp_rc sq_pii_migrate(struct sq_store *s, const char *sql);
/* After migration 5 (outside any transaction): VACUUM and an emptied WAL (failures are
 * logged, not returned: the migration itself is done). */
enum tp_rc sq_pii_vacuum(struct sq_store *s);

enum tp_rc sq_pii_key_info(struct store *st, struct pii_key_info *out);
enum tp_rc sq_pii_key_counts(struct store *st, struct arena *a, struct pii_key_count **out,
			     size_t *n);
enum tp_rc sq_pii_add_key(struct store *st, uint32_t *new_id);
enum tp_rc sq_pii_rekey(struct store *st, size_t batch, struct pii_rekey_pos *pos,
			int64_t *resealed);

/* The talent-code keys (pii.c): adds a code key to a key file that has none (written
 * before talent codes); the keyring, refreshed when the key file changed. */
enum tp_rc sq_pii_code_ensure(struct sq_store *s);
const struct keyring *sq_keyring(struct store *st);

/* certificates (certificates.c, migrations/0011) */
enum tp_rc sq_cert_insert(struct store *st, struct certificate *c);
enum tp_rc sq_cert_set_token(struct store *st, int64_t id, const char *key_id,
			     const char *token);
enum tp_rc sq_cert_get(struct store *st, int64_t id, struct arena *a, struct certificate *out);
enum tp_rc sq_cert_list(struct store *st, int64_t talent_id, struct arena *a,
			struct certificate **out, size_t *n);
enum tp_rc sq_cert_set_status(struct store *st, struct certificate *c);
enum tp_rc sq_talent_set_tier(struct store *st, int64_t talent_id, int tier, const char *from,
			      const char *to);

/* audit log (audit.c) */
enum tp_rc sq_audit_append(struct store *st, struct audit_record *r, audit_seal_fn seal,
			   char prev[65], char hash[65]);
enum tp_rc sq_audit_list(struct store *st, const struct audit_query *q, struct arena *a,
			 struct audit_page *out);
enum tp_rc sq_audit_walk(struct store *st, int64_t after_id, struct audit_archive_info *last,
			 struct arena *a, audit_cb cb, void *ctx);
enum tp_rc sq_audit_archive(struct store *st, struct audit_archive_info *ar);

/* policy runs and entitlements (fact_cols.c, entitlements.c) */
enum tp_rc sq_policy_facts_load(struct store *st, struct pol_talent_cols *tc,
				struct pol_enterprise_cols *ec);
enum tp_rc sq_policy_run_insert(struct store *st, struct policy_run *r);
struct recalc_counts;
struct adjustment;
struct report_row;
enum tp_rc sq_adjustment_decide(struct store *st, int64_t id, const char *status,
				const char *note);
enum tp_rc sq_payment_report(struct store *st, int year, int by, struct arena *a,
			     struct report_row **rows, size_t *n, int64_t *budget_total);
struct dash_count;
enum tp_rc sq_dashboard_counts(struct store *st, int group, const char *today, struct arena *a,
			       struct dash_count **out, size_t *n);
struct pay_wait_row;
struct pay_wait_sum;
enum tp_rc sq_payment_waits_list(struct store *st, int64_t run_id, int64_t after, int limit,
				 struct arena *a, struct pay_wait_row **out, size_t *n);
enum tp_rc sq_payment_waits_summary(struct store *st, int64_t run_id, struct arena *a,
				    struct pay_wait_sum **out, size_t *n);
struct ent_list_q;
struct ent_listed;
enum tp_rc sq_entitlements_list(struct store *st, const struct ent_list_q *q, struct arena *a,
				struct ent_listed **out, size_t *n);
enum tp_rc sq_adjustments_list(struct store *st, const char *period, struct arena *a,
			       struct adjustment **out, size_t *n);
enum tp_rc sq_entitlements_recalc(struct store *st, int year, const struct entitlement_row *rows,
				  size_t n, const char *at, struct recalc_counts *out);
enum tp_rc sq_entitlements_replace(struct store *st, struct policy_run *r,
				   const struct entitlement_row *rows, size_t n);

/* applied benefits (benefits.c) */
struct benefit_ent;
enum tp_rc sq_benefit_confirm(struct store *st, const struct benefit_ent *e, int64_t app_id,
			      const char *by, const char *at, int64_t *run_id, int64_t *id);

/* applications and their workflow (applications.c) */
enum tp_rc sq_application_insert(struct store *st, struct application *ap);
enum tp_rc sq_application_get(struct store *st, int64_t id, struct arena *a, struct application *out);
enum tp_rc sq_application_move(struct store *st, const struct application *ap, int64_t version);
enum tp_rc sq_application_list(struct store *st, const struct application_query *q, struct arena *a, struct application_page *out);
enum tp_rc sq_application_action_insert(struct store *st, struct app_action *x);
enum tp_rc sq_application_actions(struct store *st, int64_t app_id, struct arena *a, struct app_action **out, size_t *n);
enum tp_rc sq_objection_insert(struct store *st, struct objection *o);
enum tp_rc sq_objection_list(struct store *st, int64_t app_id, struct arena *a, struct objection **out, size_t *n);
enum tp_rc sq_objection_resolve(struct store *st, const struct objection *o);
enum tp_rc sq_calendar_list(struct store *st, const char *from, const char *to, struct arena *a, struct calendar_day **out, size_t *n);
enum tp_rc sq_calendar_put(struct store *st, const struct calendar_day *d);
enum tp_rc sq_reminder_insert(struct store *st, struct reminder *r);
enum tp_rc sq_reminder_list(struct store *st, const char *role, const char *const *towns, int ntowns, struct arena *a, struct reminder **out, size_t *n);
enum tp_rc sq_policy_facts_load_year(struct store *st, int year, struct pol_talent_cols *tc,
				     struct pol_enterprise_cols *ec);
/* enterprise self-identification (self_identification.c) */
enum tp_rc sq_selfid_criteria(struct store *st, struct arena *a, struct selfid_criterion **out,
			      size_t *n);
enum tp_rc sq_selfid_industry_4341(struct store *st, const char *industry);
enum tp_rc sq_selfid_quota_defaults(struct store *st, const char *size, int64_t quota[3]);
enum tp_rc sq_selfid_qualification_insert(struct store *st, int64_t eid, int year,
					  const char *by, const int64_t quota[3]);
enum tp_rc sq_selfid_standing_get(struct store *st, int64_t eid, int year, struct arena *a,
				  struct selfid_standing *out);
enum tp_rc sq_selfid_quota_put(struct store *st, int64_t eid, int year, int category,
			       int64_t quota, const char *by);
enum tp_rc sq_selfid_employed(struct store *st, int64_t talent_id, int64_t eid, const char *day);
enum tp_rc sq_selfid_insert(struct store *st, struct self_identification *n);
enum tp_rc sq_selfid_get(struct store *st, int64_t id, struct arena *a,
			 struct self_identification *out);
enum tp_rc sq_selfid_list(struct store *st, const struct selfid_query *q, struct arena *a,
			  struct self_identification **out, size_t *n, int64_t *total);
enum tp_rc sq_selfid_transition(struct store *st, int64_t id, int what /* enum selfid_change */,
				const char *text, const char *by);
enum tp_rc sq_selfid_for_talent(struct store *st, int64_t talent_id, int year, struct arena *a,
				struct self_identification *out);
/* team review (teams.c) */
extern const struct team_store_ops sq_team_ops;
/* payments (payments.c) */
extern const struct pay_store_ops sq_pay_ops;
extern const struct bank_store_ops sq_bank_ops;   /* bank_accounts.c */
extern const struct idem_store_ops sq_idem_ops;   /* idempotency.c */
extern const struct appr_store_ops sq_appr_ops;   /* apprentices.c */
extern const struct notice_store_ops sq_notice_ops; /* notices.c */
/* evidence files of applications (files.c) */
enum tp_rc sq_app_file_insert(struct store *st, struct app_file *f);
enum tp_rc sq_app_file_list(struct store *st, int64_t application_id, struct arena *a,
			    struct app_file **out, size_t *n);
enum tp_rc sq_app_file_get(struct store *st, int64_t application_id, int64_t id,
			   const char *sha256, struct arena *a, struct app_file *out);
enum tp_rc sq_app_file_total(struct store *st, int64_t application_id, int64_t *total);
enum tp_rc sq_app_file_delete(struct store *st, int64_t application_id, int64_t id, int64_t by,
			      int64_t at);

#endif
