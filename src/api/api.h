/*
 * api.h — every route handler, one file per resource under src/api/.
 * The route table (src/http/routes.c) is the only caller.
 */
#ifndef TP_API_H
#define TP_API_H

#include "domain/registry.h"
#include "http/request.h"

void api_health(struct request *rq, struct response *rs);

void api_reference_get(struct request *rq, struct response *rs);
void api_industries_create(struct request *rq, struct response *rs);
void api_industries_patch(struct request *rq, struct response *rs);

void api_talents_list(struct request *rq, struct response *rs);
void api_talents_create(struct request *rq, struct response *rs);
void api_talents_get(struct request *rq, struct response *rs);
void api_talents_patch(struct request *rq, struct response *rs);
void api_talent_employments_list(struct request *rq, struct response *rs);
void api_talent_employments_create(struct request *rq, struct response *rs);
void api_talent_employments_patch(struct request *rq, struct response *rs);

void api_enterprises_list(struct request *rq, struct response *rs);
void api_enterprises_create(struct request *rq, struct response *rs);
void api_enterprises_get(struct request *rq, struct response *rs);
void api_enterprises_patch(struct request *rq, struct response *rs);

void api_imports_talents(struct request *rq, struct response *rs);
void api_imports_get(struct request *rq, struct response *rs);
void api_imports_report(struct request *rq, struct response *rs);
void api_exports_talents(struct request *rq, struct response *rs);
void api_exports_template(struct request *rq, struct response *rs);

void api_audit_list(struct request *rq, struct response *rs);
void api_audit_export(struct request *rq, struct response *rs);

void api_session_login(struct request *rq, struct response *rs);
void api_session_get(struct request *rq, struct response *rs);
void api_session_logout(struct request *rq, struct response *rs);
void api_session_password(struct request *rq, struct response *rs);
void api_session_totp_begin(struct request *rq, struct response *rs);
void api_session_totp_confirm(struct request *rq, struct response *rs);
void api_tokens_list(struct request *rq, struct response *rs);
void api_tokens_create(struct request *rq, struct response *rs);
void api_tokens_revoke(struct request *rq, struct response *rs);

void api_users_list(struct request *rq, struct response *rs);
/* GET /api/v1/experts: active expert accounts (id, username, display_name) for team panels */
void api_experts_list(struct request *rq, struct response *rs);
void api_users_create(struct request *rq, struct response *rs);
void api_users_get(struct request *rq, struct response *rs);
void api_users_patch(struct request *rq, struct response *rs);
void api_users_password_reset(struct request *rq, struct response *rs);
void api_users_talents_list(struct request *rq, struct response *rs);
void api_users_link_talent(struct request *rq, struct response *rs);
void api_users_unlink_talent(struct request *rq, struct response *rs);
void api_settings_security_get(struct request *rq, struct response *rs);
void api_settings_security_patch(struct request *rq, struct response *rs);

void api_registrations_submit(struct request *rq, struct response *rs);
void api_registrations_list(struct request *rq, struct response *rs);
void api_registrations_approve(struct request *rq, struct response *rs);
void api_registrations_reject(struct request *rq, struct response *rs);

/* the policy pack: policies.c, calculator.c, entitlements.c */
void api_policies_list(struct request *rq, struct response *rs);
void api_policies_get(struct request *rq, struct response *rs);
void api_calculator(struct request *rq, struct response *rs);
void api_talent_entitlements(struct request *rq, struct response *rs);
/* The eval document (policy/policy.h) of stored talent t for year under the server's pack,
 * malloc'd (caller frees); NULL with *rc on failure (TP_ERR_INTERNAL: no pack, or stored
 * facts the pack refuses — logged). */
char *api_talent_eval(struct request *rq, const struct talent *t, int year, int all,
		      enum tp_rc *rc);

/* applications and their workflow: applications.c, announcements.c, workflows.c */
void api_applications_submit(struct request *rq, struct response *rs);
void api_applications_list(struct request *rq, struct response *rs);
void api_applications_get(struct request *rq, struct response *rs);
void api_applications_act(struct request *rq, struct response *rs);
void api_application_objections(struct request *rq, struct response *rs);
void api_application_objection_resolve(struct request *rq, struct response *rs);
/* an application's evidence files (application_files.c; api/files.h does the work) */
void api_application_files_upload(struct request *rq, struct response *rs);
void api_application_files_list(struct request *rq, struct response *rs);
void api_application_files_download(struct request *rq, struct response *rs);
void api_application_files_delete(struct request *rq, struct response *rs);
void api_announcements_list(struct request *rq, struct response *rs);
void api_announcements_get(struct request *rq, struct response *rs);
void api_announcements_object(struct request *rq, struct response *rs);
void api_workflows_get(struct request *rq, struct response *rs);
void api_calendar_list(struct request *rq, struct response *rs);
void api_calendar_put(struct request *rq, struct response *rs);
void api_calendar_delete(struct request *rq, struct response *rs);
void api_reminders_list(struct request *rq, struct response *rs);
void api_identification_proposal(struct request *rq, struct response *rs);
/* certificates and the public checker (certificates.c, verify.c) */
void api_certificates_create(struct request *rq, struct response *rs);
void api_certificates_get(struct request *rq, struct response *rs);
void api_certificates_pdf(struct request *rq, struct response *rs);
void api_certificates_suspend(struct request *rq, struct response *rs);
void api_certificates_reinstate(struct request *rq, struct response *rs);
void api_certificates_revoke(struct request *rq, struct response *rs);
void api_certificates_renew(struct request *rq, struct response *rs);
void api_certificates_upgrade(struct request *rq, struct response *rs);
void api_talent_certificates(struct request *rq, struct response *rs);
void api_verify(struct request *rq, struct response *rs);

/* enterprise self-identification (self_identification.c) */
void api_selfid_qualify(struct request *rq, struct response *rs);
void api_selfid_standing(struct request *rq, struct response *rs);
void api_selfid_quota_set(struct request *rq, struct response *rs);
void api_selfid_list(struct request *rq, struct response *rs);
void api_selfid_nominate(struct request *rq, struct response *rs);
void api_selfid_get(struct request *rq, struct response *rs);
void api_selfid_audit(struct request *rq, struct response *rs);
void api_selfid_revoke(struct request *rq, struct response *rs);
void api_selfid_withdraw(struct request *rq, struct response *rs);
void api_talent_selfid_list(struct request *rq, struct response *rs);

/* team review (团队评审): team_rounds.c, teams.c, team_scores.c */
void api_team_rounds_list(struct request *rq, struct response *rs);
void api_team_rounds_create(struct request *rq, struct response *rs);
void api_team_rounds_get(struct request *rq, struct response *rs);
void api_team_rounds_panel_add(struct request *rq, struct response *rs);
void api_team_rounds_panel_remove(struct request *rq, struct response *rs);
void api_team_rounds_scoring(struct request *rq, struct response *rs);
void api_team_rounds_close(struct request *rq, struct response *rs);
void api_team_rounds_ranking(struct request *rq, struct response *rs);
void api_teams_list(struct request *rq, struct response *rs);
void api_teams_create(struct request *rq, struct response *rs);
void api_teams_get(struct request *rq, struct response *rs);
void api_teams_withdraw(struct request *rq, struct response *rs);
void api_teams_decide(struct request *rq, struct response *rs);
void api_teams_conflict(struct request *rq, struct response *rs);
void api_teams_scores(struct request *rq, struct response *rs);

/* payments: payment runs and the ledger (payments.c), entitlements on their way to
 * payment, budgets and notices (payments_ent.c) */
void api_payment_runs_create(struct request *rq, struct response *rs);
void api_payment_runs_list(struct request *rq, struct response *rs);
void api_payment_runs_get(struct request *rq, struct response *rs);
void api_payment_runs_lines(struct request *rq, struct response *rs);
void api_payment_runs_submit(struct request *rq, struct response *rs);
void api_payment_runs_approve(struct request *rq, struct response *rs);
void api_payment_runs_announcement_end(struct request *rq, struct response *rs);
void api_payment_runs_export(struct request *rq, struct response *rs);
void api_payment_runs_bank_result(struct request *rq, struct response *rs);
void api_payment_runs_cancel(struct request *rq, struct response *rs);
void api_ledger_check(struct request *rq, struct response *rs);
/* retroactive changes: recalculations.c */
void api_recalculations_create(struct request *rq, struct response *rs);
void api_adjustments_list(struct request *rq, struct response *rs);
/* the entitlements by status, policy and period, paged by id (api/entitlements_list.c) */
void api_entitlements_list(struct request *rq, struct response *rs);
void api_entitlements_waive(struct request *rq, struct response *rs);
/* reports: reports.c */
void api_reports_payments(struct request *rq, struct response *rs);
/* the office dashboard's counts (api/dashboard.c) */
void api_dashboard(struct request *rq, struct response *rs);
/* a payment run's waiting entitlements (api/payment_waits.c) */
void api_payment_runs_waits(struct request *rq, struct response *rs);
/* payment_files.c: the files of a run (docs/payment-files.md) */
void api_payment_runs_bank_file(struct request *rq, struct response *rs);
void api_payment_runs_payment_list(struct request *rq, struct response *rs);
void api_payment_runs_announcement_csv(struct request *rq, struct response *rs);
void api_payment_runs_announcement_xlsx(struct request *rq, struct response *rs);
void api_payment_runs_bank_result_file(struct request *rq, struct response *rs);
void api_entitlements_confirm(struct request *rq, struct response *rs);
/* benefits.c: GET /api/v1/benefits/prefill (快申快享, kind benefit) */
void api_benefits_prefill(struct request *rq, struct response *rs);
void api_entitlements_cancel(struct request *rq, struct response *rs);
void api_budgets_put(struct request *rq, struct response *rs);
/* the caller's notices and their read marks (notices.c) */
void api_notices_list(struct request *rq, struct response *rs);
void api_notices_read(struct request *rq, struct response *rs);
void api_notices_read_all(struct request *rq, struct response *rs);
/* bank accounts of talents and enterprises (bank_accounts.c, docs/payments-accounts.md) */
void api_talent_bank_account_get(struct request *rq, struct response *rs);
void api_talent_bank_account_put(struct request *rq, struct response *rs);
void api_talent_bank_account_confirm(struct request *rq, struct response *rs);
void api_talent_bank_account_history(struct request *rq, struct response *rs);
void api_enterprise_bank_account_get(struct request *rq, struct response *rs);
void api_enterprise_bank_account_put(struct request *rq, struct response *rs);
void api_enterprise_bank_account_confirm(struct request *rq, struct response *rs);
void api_enterprise_bank_account_history(struct request *rq, struct response *rs);

/* the apprentice register of an enterprise (apprentices.c, migrations/0021) */
void api_apprentices_list(struct request *rq, struct response *rs);
void api_apprentices_create(struct request *rq, struct response *rs);
void api_apprentices_patch(struct request *rq, struct response *rs);

/* Shared by list handlers: reads ?page=&per_page= and the registry filters into q.
 * Returns 0, or -1 after adding field errors to ve. */
int api_read_query(struct request *rq, struct registry_query *q, struct verrors *ve);

struct jw;

/*
 * PATCH's optimistic lock: when the body has "version" and it is not the stored one,
 * answers 409 stale_version and returns -1; a non-integer version is a field error in
 * ve.  Removes "version" from the body so the field readers do not see it.
 */
int api_check_version(struct request *rq, struct response *rs, int64_t current,
		      struct verrors *ve);

/* 409 stale_version: the record changed since the caller read it. */
void api_stale(struct request *rq, struct response *rs, const struct verrors *ve);

/*
 * A password member: a string of 1..128 bytes taken as it is (never trimmed), no NUL.
 * Returns 1 when set, 0 when absent and optional, -1 after adding a field error.
 */
int api_password_field(json_t *obj, const char *key, int required, struct verrors *ve,
		       const char **out);

/* ---- object-level access (access.c) ---- */

/* 1 when the caller may see this talent / enterprise (their own, their town's ...). */
int api_talent_visible(struct request *rq, const struct talent *t);
int api_enterprise_visible(struct request *rq, const struct enterprise *e);

/* An employer sees only the employment records at its own enterprise (not the
 * positions and salaries a person had elsewhere): drops the others from t. */
void api_employments_scope(struct request *rq, struct talent *t);

/* Answers 404 exactly as for a missing record, and audits the refusal. */
void api_hidden(struct request *rq, struct response *rs, const char *type, int64_t id);

/*
 * Narrows a list query to what the caller may see (a town reviewer's town, an
 * employer's staff, a liaison's linked talents).  Returns 1 when the caller may see
 * nothing of what was asked (answer an empty list).
 */
int api_scope_query(struct request *rq, struct registry_query *q, int talents);

/* For POST (create) and PATCH of a talent: 0 when every member of body may be changed by the caller's
 * role; else answers 403 field_forbidden naming the fields and returns -1. */
int api_talent_fields_allowed(struct request *rq, struct response *rs, json_t *body,
			       int create);

/*
 * ?unmask=true: 1 when the caller's account may unmask and gave a reason in the
 * X-Unmask-Reason header (UTF-8, percent-decoded: "%E6%A0%B8%E5%AF%B9" is 核对); 0 when not asked; -1 after answering 403 (no permission,
 * audited) or 422 (no reason).
 */
int api_unmask_requested(struct request *rq, struct response *rs);

/* Audits a read that must leave a trace (an export, an unmask) with the stated reason. */
enum tp_rc api_audit_read(struct request *rq, const char *action, const char *type,
			  const char *id, int unmask);

/* Login and registration: 1 after answering 429 rate_limited (with Retry-After) when this
 * client address has used up its token bucket (http_ratelimit), else 0. */
int api_rate_limited(struct request *rq, struct response *rs);
/* The same answer for another bucket: wait is what its http_ratelimit_*() returned. */
int api_rate_refused(struct request *rq, struct response *rs, int wait);

/* A list answer: api_items_begin starts {"items":[, the caller writes the items, and
 * api_items_send closes the array, adds page, per_page and total (page > 0), and sends it. */
void api_items_begin(struct jw *w);
void api_items_send(struct response *rs, struct jw *w, int page, int per_page, int64_t total);

struct user;
/* An account as JSON (no secrets); now decides "locked". */
void api_user_write(struct jw *w, const struct user *u, int64_t now);
/* Unix seconds as "2026-11-27T02:21:15Z" ("" for 0). */
void api_time(int64_t t, char out[24]);

/* JSON renderings shared by several handlers (masked personal data).  The talent
 * renderer is on the hot path and writes straight into a struct jw. */
void api_talent_write(struct jw *w, const struct talent *t, int detail);
void api_employment_write(struct jw *w, const struct employment *m);
json_t *api_enterprise_json(const struct enterprise *e);
struct application;
/* An application as JSON; detail adds the form, the proposal and the fields to fix. */
void api_application_write(struct request *rq, struct jw *w, const struct application *a,
			   int detail);

struct certificate;
/* A certificate as JSON; t (may be NULL) adds the holder's name and masked ID number. */
void api_certificate_write(struct jw *w, const struct certificate *c, const struct talent *t);

#endif
