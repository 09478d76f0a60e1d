/*
 * store.h — the storage interface.  All SQL lives behind it, in src/store/<backend>/.
 *
 * A struct store is one connection to one database, used by one thread at a time
 * (the HTTP server keeps one per worker thread).  Domain code calls the store_*
 * functions below; a backend fills in struct store_ops.  SQLite is the backend
 * today; a PostgreSQL one adds src/store/pg/ and a case in store_open().
 *
 * Every function returns TP_OK, TP_ERR_NOT_FOUND, TP_ERR_CONFLICT (a unique key
 * is taken), TP_ERR_BUSY (locked past the busy timeout) or TP_ERR_DB.  Results
 * that carry strings are allocated from the arena the caller passes.
 */
#ifndef TP_STORE_H
#define TP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/accounts.h"
#include "domain/registry.h"

struct arena;

/* A record of one import of a talent file, kept with its error report. */
struct import_record {
	int64_t id;
	const char *kind;    /* "talents" */
	const char *format;  /* "csv" | "xlsx" */
	const char *filename;
	int64_t rows_total, rows_imported, rows_failed;
	int all_or_nothing, committed;
	const void *report;  /* the error report, in the input's format */
	size_t report_len;
	const char *created_at;
};

/* Iteration callback for exports: return non-zero to stop. */
typedef int (*talent_cb)(void *ctx, const struct talent *t);

/* The audit log's store types (the records themselves are in domain/audit.h). */
struct audit_record;
struct audit_query;
struct audit_page;
/* Computes a record's hash (64 hex + NUL) from its fields, id and prev_hash. */
typedef void (*audit_seal_fn)(const struct audit_record *r, char hash[65]);
/* Iteration callback over audit records: the strings of r live until it returns;
 * return non-zero to stop. */
typedef int (*audit_cb)(void *ctx, const struct audit_record *r);

/* One archive of the oldest audit records: first_id..last_id went to a signed file. */
struct audit_archive_info {
	int64_t id; /* 0 when nothing was ever archived */
	int64_t first_id, last_id;
	const char *last_hash;   /* hash of record last_id: the chain continues from it */
	const char *file_sha256; /* hex SHA-256 of the archive file */
	const char *archived_at, *archived_by;
};

/* policy runs (domain/policy_run.h) and the facts columns they load (policy/policy.h) */
struct policy_run;
struct recalc_counts;
struct adjustment;
struct report_row;
/* the office dashboard (domain/dashboard.h) */
struct dash_count;
struct pay_wait_row;
struct ent_list_q;
struct ent_listed;
struct pay_wait_sum;
struct entitlement_row;
struct pol_talent_cols;
struct pol_enterprise_cols;
/* team review (store/teams.h) */
struct team_store_ops;
/* payments (store/payments.h) */
struct pay_store_ops;
/* bank accounts (store/bank_accounts.h) and Idempotency-Key responses (store/idempotency.h) */
struct bank_store_ops;
struct idem_store_ops;
struct appr_store_ops;
struct notice_store_ops;

/* applied benefits (domain/benefits.h) */
struct benefit_ent;
/* applications (domain/applications.h) */
struct application;
struct application_query;
struct application_page;
struct app_action;
struct objection;
struct calendar_day;
struct reminder;
/* certificates (domain/certificates.h, migrations/0011) */
struct certificate;
struct keyring;

/* enterprise self-identification (domain/self_identification.h) */
struct self_identification;
struct selfid_standing;
struct selfid_criterion;
struct selfid_query;

/* evidence files of applications (domain/evidence.h) */
struct app_file;

/* personal data at rest (core/crypto.h): what `talentport keys` shows and drives. */
struct pii_key_info {
	char path[1024];     /* the key file */
	char fingerprint[17];
	uint32_t active_id;  /* the key new values are sealed with */
};
struct pii_key_count {
	uint32_t key_id;
	int64_t values;
};
/* Where a rotation (pii_rekey) stands; start from all zeros. */
struct pii_rekey_pos {
	int table;     /* 0 talents, 1 enterprises, 2 users (TOTP secrets), 3 bank accounts,
	                  4 apprentices, PII_REKEY_DONE at the end */
	int64_t after; /* the last row id done in that table */
};
#define PII_REKEY_DONE 5

struct store_ops {
	const char *name; /* "sqlite" */
	void (*close)(struct store *st);
	enum tp_rc (*begin)(struct store *st);
	enum tp_rc (*commit)(struct store *st);
	enum tp_rc (*rollback)(struct store *st);
	enum tp_rc (*migrate)(struct store *st, int *applied, int *version);
	/* Refreshes the planner's statistics: full = all tables now (after a bulk load),
	 * else only where the backend thinks it worthwhile. */
	enum tp_rc (*optimize)(struct store *st, int full);
	/* Bulk loading into a new database: on = drop the secondary (non-unique) indexes
	 * and relax durability; off = rebuild them and restore durability.  Only for
	 * loads that start over when interrupted (talentport demo). */
	enum tp_rc (*bulk)(struct store *st, int on);

	enum tp_rc (*ref_list)(struct store *st, enum ref_kind kind, struct arena *a,
			       struct ref_item **out, size_t *n);
	enum tp_rc (*ref_exists)(struct store *st, enum ref_kind kind, const char *code);

	enum tp_rc (*talent_insert)(struct store *st, struct talent *t);
	enum tp_rc (*talent_update)(struct store *st, struct talent *t);
	enum tp_rc (*talent_get)(struct store *st, int64_t id, struct arena *a, struct talent *out);
	enum tp_rc (*talent_find_id_number)(struct store *st, const char *id_number, int64_t *id);
	enum tp_rc (*talent_list)(struct store *st, const struct registry_query *q,
				  struct arena *a, struct talent_page *out);
	enum tp_rc (*talent_each)(struct store *st, talent_cb cb, void *ctx);

	enum tp_rc (*enterprise_insert)(struct store *st, struct enterprise *e);
	enum tp_rc (*enterprise_update)(struct store *st, struct enterprise *e);
	enum tp_rc (*enterprise_get)(struct store *st, int64_t id, struct arena *a,
				     struct enterprise *out);
	enum tp_rc (*enterprise_find_credit_code)(struct store *st, const char *code, int64_t *id);
	enum tp_rc (*enterprise_list)(struct store *st, const struct registry_query *q,
				      struct arena *a, struct enterprise_page *out);

	enum tp_rc (*employment_insert)(struct store *st, struct employment *e);
	enum tp_rc (*employment_list)(struct store *st, int64_t talent_id, struct arena *a,
				      struct employment **out, size_t *n);
	/* One employment record of a talent (NOT_FOUND when it belongs to another). */
	enum tp_rc (*employment_get)(struct store *st, int64_t talent_id, int64_t id,
				     struct arena *a, struct employment *out);
	/* Rewrites ended_on, position and annual_salary_fen of a record. */
	enum tp_rc (*employment_update)(struct store *st, const struct employment *e);
	/* Sets a talent's current employer (0 = none) without touching anything else. */
	enum tp_rc (*talent_set_employer)(struct store *st, int64_t talent_id,
					  int64_t enterprise_id);

	/* Adds an industry code or changes one (names, parent group, 4341 flag, order). */
	enum tp_rc (*industry_put)(struct store *st, const struct ref_item *it, int create);

	enum tp_rc (*import_insert)(struct store *st, struct import_record *r);
	enum tp_rc (*import_get)(struct store *st, int64_t id, struct arena *a,
				 struct import_record *out);

	/* accounts, sessions, tokens, registrations, settings (domain/accounts.h) */
	enum tp_rc (*user_insert)(struct store *st, struct user *u);
	/* by id, or by username (case-insensitive) when username is not NULL */
	enum tp_rc (*user_get)(struct store *st, int64_t id, const char *username,
			       struct arena *a, struct user *out);
	/* display_name, department, unmask, disabled, towns; version-checked (CONFLICT) */
	enum tp_rc (*user_update)(struct store *st, struct user *u);
	enum tp_rc (*user_set_password)(struct store *st, int64_t id, const char *phc,
					int64_t changed_at, int must_change);
	enum tp_rc (*user_set_login_state)(struct store *st, const struct user *u);
	/* secret sealed by the store; len 0 clears it */
	enum tp_rc (*user_set_totp)(struct store *st, int64_t id, const unsigned char *secret,
				    size_t len, int enabled, int64_t last_step);
	enum tp_rc (*user_list)(struct store *st, const struct user_query *q, struct arena *a,
				struct user_page *out);
	enum tp_rc (*liaison_link)(struct store *st, int64_t user_id, int64_t talent_id, int link);
	/* TP_OK when the talent is linked to the liaison, else NOT_FOUND */
	enum tp_rc (*liaison_has)(struct store *st, int64_t user_id, int64_t talent_id);
	enum tp_rc (*session_insert)(struct store *st, const struct session *s);
	enum tp_rc (*session_get)(struct store *st, const char *token_hash, struct arena *a,
				  struct session *out);
	enum tp_rc (*session_touch)(struct store *st, const char *token_hash, int64_t now);
	enum tp_rc (*session_revoke)(struct store *st, const char *token_hash);
	/* ends every session and API token of a user */
	enum tp_rc (*user_revoke_all)(struct store *st, int64_t user_id);
	enum tp_rc (*token_insert)(struct store *st, struct api_token *t);
	enum tp_rc (*token_get)(struct store *st, const char *token_hash, struct arena *a,
				struct api_token *out);
	enum tp_rc (*token_list)(struct store *st, int64_t user_id, struct arena *a,
				 struct api_token **out, size_t *n);
	enum tp_rc (*token_revoke)(struct store *st, int64_t user_id, int64_t id);
	enum tp_rc (*token_touch)(struct store *st, int64_t id, int64_t now);
	enum tp_rc (*registration_insert)(struct store *st, struct registration *r);
	enum tp_rc (*registration_get)(struct store *st, int64_t id, struct arena *a,
				       struct registration *out);
	enum tp_rc (*registration_list)(struct store *st, const char *status, const char *town,
					int page, int per_page, struct arena *a,
					struct registration **out, size_t *n, int64_t *total);
	/* status, reason, user_id, decided_by, decided_at; version-checked */
	enum tp_rc (*registration_decide)(struct store *st, const struct registration *r);
	enum tp_rc (*setting_get)(struct store *st, const char *key, struct arena *a,
				  const char **value);
	enum tp_rc (*setting_put)(struct store *st, const char *key, const char *value);
	/* A number that changes whenever any connection (any process) commits a change: what
	 * was read under one value may be reused while it still holds (auth cache). */
	uint64_t (*generation)(struct store *st);

	/* audit log (domain/audit.h) */
	/* Appends r: gives it the next id (the newest record's + 1, else the last archived
	 * id + 1, else 1) and the chain head as prev_hash (copied into prev: the newest
	 * hash, else the last archive's last_hash, else 64 zeros), lets seal compute its
	 * hash (into hash) and inserts it; r->prev_hash and r->hash then point at prev and
	 * hash.  Joins the caller's transaction, else runs in one of its own. */
	enum tp_rc (*audit_append)(struct store *st, struct audit_record *r, audit_seal_fn seal,
				   char prev[65], char hash[65]);
	/* A page of records matching q (validated by the domain) and the total matching
	 * q without its after_id. */
	enum tp_rc (*audit_list)(struct store *st, const struct audit_query *q, struct arena *a,
				 struct audit_page *out);
	/* Calls cb for every record with id > after_id in id order, from one snapshot, in
	 * which *last also gets the newest archive (strings in a; id 0 when none). */
	enum tp_rc (*audit_walk)(struct store *st, int64_t after_id, struct audit_archive_info *last,
				 struct arena *a, audit_cb cb, void *ctx);
	/* Records archive ar (sets ar->id) and removes records first_id..last_id.  CONFLICT
	 * unless first_id is the oldest record and last_id's hash is ar->last_hash.  Joins
	 * the caller's transaction, else runs in one of its own. */
	enum tp_rc (*audit_archive)(struct store *st, struct audit_archive_info *ar);

	/* personal data at rest (core/crypto.h) */
	/* The key file this connection uses: path, fingerprint, active key id. */
	enum tp_rc (*pii_key_info)(struct store *st, struct pii_key_info *out);
	/* How many sealed values each key id sealed (*out in a, one entry per id in use). */
	enum tp_rc (*pii_key_counts)(struct store *st, struct arena *a,
				     struct pii_key_count **out, size_t *n);
	/* Adds a data key to the key file (keyring_add_key) and seals with it from now on. */
	enum tp_rc (*pii_add_key)(struct store *st, uint32_t *new_id);
	/* Re-seals under the active key the values of up to `batch` rows after *pos, in one
	 * transaction of its own; values already under it are skipped (so an interrupted
	 * rotation resumes).  *resealed gets the values rewritten; *pos advances, and
	 * pos->table reaches PII_REKEY_DONE after the last row. */
	enum tp_rc (*pii_rekey)(struct store *st, size_t batch, struct pii_rekey_pos *pos,
				int64_t *resealed);

	/* ---- policy runs and entitlements (domain/policy_run.h, migrations/0008) ---- */
	/* The policy facts of every talent and of every enterprise as columns, in id order,
	 * from one snapshot (only the facts columns: nothing is decrypted).  Allocates the
	 * arrays of tc and ec: release them with pol_talent_cols_release() and
	 * pol_enterprise_cols_release(); on failure nothing is left allocated. */
	enum tp_rc (*policy_facts_load)(struct store *st, struct pol_talent_cols *tc,
					struct pol_enterprise_cols *ec);
	/* policy_facts_load, with person.self_identified from the active self-identification
	 * of year (policy_facts_load: of each talent's latest year). */
	enum tp_rc (*policy_facts_load_year)(struct store *st, int year, struct pol_talent_cols *tc,
					     struct pol_enterprise_cols *ec);
	/* Inserts run r as given (its counts, status) and sets r->id. */
	enum tp_rc (*policy_run_insert)(struct store *st, struct policy_run *r);
	/* Inside the caller's transaction (INTERNAL otherwise): deletes the pending and
	 * excluded entitlements of period r->period (keys "Y" and "Y-MM"), inserts rows[0..n)
	 * under run r->id — a row whose key is still taken (its status moved on) is not
	 * written and counts in r->kept — and records the counts (r->entitlements, pending,
	 * excluded, kept, total_fen) and r->finished_at in run r's row. */
	enum tp_rc (*entitlements_replace)(struct store *st, struct policy_run *r,
					   const struct entitlement_row *rows, size_t n);
	/* Inside the caller's transaction: the comparison and the adjustment rows of
	 * domain/recalc.h for year, rows being the year's evaluation; created_at = at. */
	enum tp_rc (*entitlements_recalc)(struct store *st, int year,
					  const struct entitlement_row *rows, size_t n,
					  const char *at, struct recalc_counts *out);
	/* domain/recalc.h: payments_adjustments(). */
	enum tp_rc (*adjustments_list)(struct store *st, const char *period, struct arena *a,
				       struct adjustment **out, size_t *n);
	/* domain/recalc.h payments_clawback_decide(): an open clawback's status to status with
	 * note; NOT_FOUND (no such entitlement), CONFLICT (not an open clawback). */
	enum tp_rc (*adjustment_decide)(struct store *st, int64_t id, const char *status,
					const char *note);
	/* domain/payment_report.h: the groups (by: enum report_by) and the sum of the year's
	 * budgets in *budget_total (-1 when none). */
	enum tp_rc (*payment_report)(struct store *st, int year, int by, struct arena *a,
				     struct report_row **rows, size_t *n, int64_t *budget_total);
	/* domain/dashboard.h: the counts of one group (enum dash_group) in the group's order;
	 * today (YYYY-MM-DD, UTC+8) decides which applications are overdue. */
	enum tp_rc (*dashboard_counts)(struct store *st, int group, const char *today,
				       struct arena *a, struct dash_count **out, size_t *n);
	/* domain/dashboard.h: a run's waiting entitlements after entitlement id `after`, at
	 * most limit, by id; and their count and sum per reason. */
	enum tp_rc (*payment_waits_list)(struct store *st, int64_t run_id, int64_t after, int limit,
					 struct arena *a, struct pay_wait_row **out, size_t *n);
	enum tp_rc (*payment_waits_summary)(struct store *st, int64_t run_id, struct arena *a,
					    struct pay_wait_sum **out, size_t *n);
	/* domain/payments.h struct ent_list_q: the entitlements it selects, by id. */
	enum tp_rc (*entitlements_list)(struct store *st, const struct ent_list_q *q,
					struct arena *a, struct ent_listed **out, size_t *n);

	/* ---- applications and their workflow (domain/applications.h, migrations/0009) ---- */
	/* Inserts ap (kind, state, talent, enterprise, town, tiers, form, proposal, submitter,
	 * step start and deadline); sets id, version 1, step 1.  CONFLICT when the talent
	 * already has an open application of the kind. */
	enum tp_rc (*application_insert)(struct store *st, struct application *ap);
	/* With the talent's name and masked ID number, the enterprise's name and the count
	 * of open objections. */
	enum tp_rc (*application_get)(struct store *st, int64_t id, struct arena *a,
				      struct application *out);
	/* Writes the moving members of ap (state, tiers, form, returned_*, step, dates,
	 * certificate, closed_at, proposal, item) and bumps the version, only if the row still has `version`:
	 * CONFLICT otherwise. */
	enum tp_rc (*application_move)(struct store *st, const struct application *ap,
				       int64_t version);
	/* A page of applications matching q, newest first. */
	enum tp_rc (*application_list)(struct store *st, const struct application_query *q,
				       struct arena *a, struct application_page *out);
	enum tp_rc (*application_action_insert)(struct store *st, struct app_action *x);
	/* The whole history of an application, oldest first. */
	enum tp_rc (*application_actions)(struct store *st, int64_t app_id, struct arena *a,
					  struct app_action **out, size_t *n);
	enum tp_rc (*objection_insert)(struct store *st, struct objection *o);
	enum tp_rc (*objection_list)(struct store *st, int64_t app_id, struct arena *a,
				     struct objection **out, size_t *n);
	/* Resolves an open objection of the application (NOT_FOUND when none is open). */
	enum tp_rc (*objection_resolve)(struct store *st, const struct objection *o);
	/* The calendar's days from..to (YYYY-MM-DD, inclusive). */
	enum tp_rc (*calendar_list)(struct store *st, const char *from, const char *to,
				    struct arena *a, struct calendar_day **out, size_t *n);
	/* Sets a day (kind NULL: removes it; NOT_FOUND when it was not there). */
	enum tp_rc (*calendar_put)(struct store *st, const struct calendar_day *d);
	/* CONFLICT when the application's step has a reminder already. */
	enum tp_rc (*reminder_insert)(struct store *st, struct reminder *r);
	/* Reminders of steps still current, for a role (NULL: any) and towns (none: any). */
	enum tp_rc (*reminder_list)(struct store *st, const char *role, const char *const *towns,
				    int ntowns, struct arena *a, struct reminder **out, size_t *n);

	/* ---- applied benefits (domain/benefits.h, migrations/0018) ---- */
	/* Confirms entitlement e for approved application app_id: the row of e's key, when
	 * pending or excluded, takes e's kind, amount and hash and is confirmed; with no row of
	 * the key, one is inserted confirmed (run_id: *run_id, a one-talent policy_runs row
	 * written on first need, pack_hash "application:<id>").  Either way needs_application
	 * = 1, application_id = app_id, and a notice for the beneficiary.  *id gets the row's
	 * id.  CONFLICT when the key's row has moved on (confirmed, paid, cancelled, ...). */
	enum tp_rc (*benefit_confirm)(struct store *st, const struct benefit_ent *e,
				      int64_t app_id, const char *by, const char *at,
				      int64_t *run_id, int64_t *id);

	/* ---- enterprise self-identification (domain/self_identification.h, migrations/0012) ---- */
	/* The qualification criteria switched on, in code order (at most 16). */
	enum tp_rc (*selfid_criteria)(struct store *st, struct arena *a,
				      struct selfid_criterion **out, size_t *n);
	/* TP_OK when industry is a code of the 4341 system (is_4341 = 1), else NOT_FOUND. */
	enum tp_rc (*selfid_industry_4341)(struct store *st, const char *industry);
	/* The default quota per category (index category - 1) for an enterprise size; 0 when
	 * the size has no row. */
	enum tp_rc (*selfid_quota_defaults)(struct store *st, const char *size, int64_t quota[3]);
	/* Records the qualification of eid for year and its three quotas; CONFLICT when it
	 * exists.  Inside the caller's transaction. */
	enum tp_rc (*selfid_qualification_insert)(struct store *st, int64_t eid, int year,
						  const char *by, const int64_t quota[3]);
	/* The qualification of eid for year with quotas and active nominations per category;
	 * NOT_FOUND when not qualified that year. */
	enum tp_rc (*selfid_standing_get)(struct store *st, int64_t eid, int year, struct arena *a,
					  struct selfid_standing *out);
	/* Sets one quota; NOT_FOUND when eid is not qualified for year. */
	enum tp_rc (*selfid_quota_put)(struct store *st, int64_t eid, int year, int category,
				       int64_t quota, const char *by);
	/* TP_OK when the talent has an employment at eid that is open on day, else NOT_FOUND. */
	enum tp_rc (*selfid_employed)(struct store *st, int64_t talent_id, int64_t eid,
				      const char *day);
	/* Inserts a nomination (status active) and sets its id; CONFLICT when the talent already
	 * has a nomination that year that is not withdrawn. */
	enum tp_rc (*selfid_insert)(struct store *st, struct self_identification *n);
	enum tp_rc (*selfid_get)(struct store *st, int64_t id, struct arena *a,
				 struct self_identification *out);
	/* A page of nominations matching q in id order, and the total matching. */
	enum tp_rc (*selfid_list)(struct store *st, const struct selfid_query *q, struct arena *a,
				  struct self_identification **out, size_t *n, int64_t *total);
	/* Audit note / revocation (text: the note or reason; by: the username) / withdrawal of
	 * nomination id; CONFLICT when its state does not allow it (see the domain). */
	enum tp_rc (*selfid_transition)(struct store *st, int64_t id, int what /* enum selfid_change */,
					const char *text, const char *by);
	/* The talent's active nomination for year (0: the latest year), NOT_FOUND when none. */
	enum tp_rc (*selfid_for_talent)(struct store *st, int64_t talent_id, int year,
					struct arena *a, struct self_identification *out);

	/* ---- team review (store/teams.h, migrations/0013) ---- */
	const struct team_store_ops *teams;
	/* ---- payments: runs, lines, ledger, notices (store/payments.h, migrations/0014) ---- */
	const struct pay_store_ops *pay;
	/* ---- certificates and talent codes (domain/certificates.h, migrations/0011) ---- */
	/* The connection's keyring (core/crypto.h), re-read first when the key file changed
	 * (a code key rotated by another process).  Owned by the store; valid until the next
	 * store call. */
	const struct keyring *(*keyring)(struct store *st);
	/* Inserts c as given (status, dates ...) and sets c->id and c->version (1). */
	enum tp_rc (*cert_insert)(struct store *st, struct certificate *c);
	/* Records the talent code of certificate id once it is signed. */
	enum tp_rc (*cert_set_token)(struct store *st, int64_t id, const char *key_id,
				     const char *token);
	enum tp_rc (*cert_get)(struct store *st, int64_t id, struct arena *a,
			       struct certificate *out);
	/* A talent's certificates, newest first (*out in a). */
	enum tp_rc (*cert_list)(struct store *st, int64_t talent_id, struct arena *a,
				struct certificate **out, size_t *n);
	/* Writes status, status_reason, status_at, superseded_by when c->version is the
	 * stored one (CONFLICT otherwise) and bumps c->version. */
	enum tp_rc (*cert_set_status)(struct store *st, struct certificate *c);
	/* Sets a talent's tier, tier_from, tier_to (tier 0: none, dates NULL) and bumps its
	 * version, touching nothing else. */
	enum tp_rc (*talent_set_tier)(struct store *st, int64_t talent_id, int tier,
				      const char *from, const char *to);
	/* ---- evidence files of applications (domain/evidence.h, migrations/0010) ---- */
	/* Inserts f (every field but id and the deleted ones) and sets f->id.  CONFLICT when
	 * the same sha256 is already a current file of the application. */
	enum tp_rc (*app_file_insert)(struct store *st, struct app_file *f);
	/* The current files of an application in id order (*out in a). */
	enum tp_rc (*app_file_list)(struct store *st, int64_t application_id, struct arena *a,
				    struct app_file **out, size_t *n);
	/* A current file by id (sha256 NULL) or by content (id 0, sha256 given); NOT_FOUND
	 * when missing, deleted or another application's. */
	enum tp_rc (*app_file_get)(struct store *st, int64_t application_id, int64_t id,
				   const char *sha256, struct arena *a, struct app_file *out);
	/* The bytes the current files of an application hold (0 when none). */
	enum tp_rc (*app_file_total)(struct store *st, int64_t application_id, int64_t *total);
	/* Marks a current file deleted at `at` by `by`; NOT_FOUND when it is not current. */
	enum tp_rc (*app_file_delete)(struct store *st, int64_t application_id, int64_t id,
				      int64_t by, int64_t at);
	/* ---- bank accounts (store/bank_accounts.h, migrations/0015) ---- */
	const struct bank_store_ops *bank;
	/* ---- Idempotency-Key responses (store/idempotency.h, migrations/0016) ---- */
	const struct idem_store_ops *idem;
	/* ---- the apprentice register (store/apprentices.h, migrations/0021) ---- */
	const struct appr_store_ops *appr;
	/* ---- notices and their read marks (store/notices.h, migrations/0023) ---- */
	const struct notice_store_ops *notices;
};

struct store {
	const struct store_ops *ops;
};

enum store_flags {
	STORE_READONLY = 1,
	STORE_CREATE = 2, /* create the file (and its folder) if missing */
};

/*
 * Opens a store.  `where` is a SQLite file path (a future "postgres://…" URL
 * selects PostgreSQL).  On failure returns non-TP_OK, *out is NULL and err gets
 * a reason.
 */
enum tp_rc store_open(const char *where, int flags, struct store **out, char *err,
		      size_t errlen);

/* Closes the store; NULL is a no-op. */
static inline void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE on SQLite). */
static inline enum tp_rc store_begin(struct store *st) { return st->ops->begin(st); }
static inline enum tp_rc store_commit(struct store *st) { return st->ops->commit(st); }
static inline enum tp_rc store_rollback(struct store *st) { return st->ops->rollback(st); }

/*
 * Ends a transaction begun with store_begin(): commits when rc is TP_OK, rolls back
 * otherwise (also when the commit itself fails).  Returns the final result.
 */
static inline enum tp_rc store_end(struct store *st, enum tp_rc rc)
{
	if (rc == TP_OK)
		rc = store_commit(st);
	if (rc != TP_OK)
		store_rollback(st);
	return rc;
}

/* Applies the migrations not yet applied; idempotent. */
static inline enum tp_rc store_migrate(struct store *st, int *applied, int *version)
{
	return st->ops->migrate(st, applied, version);
}

static inline enum tp_rc store_optimize(struct store *st, int full)
{
	return st->ops->optimize(st, full);
}

static inline enum tp_rc store_bulk(struct store *st, int on)
{
	return st->ops->bulk(st, on);
}

static inline const char *store_backend(const struct store *st) { return st->ops->name; }

#define STORE_CALL(fn, st, ...) ((st)->ops->fn((st), __VA_ARGS__))

#endif
