/*
 * routes.c — THE route table.  One line per endpoint; docs/openapi.yaml lists the
 * same routes and a test checks that the two agree.
 */
#include "api/api.h"
#include "domain/actor.h"
#include "http/router.h"

/* Role sets used below (domain/actor.h has the roles). */
#define PUBLIC ROUTE_PUBLIC
#define REGISTRY_READERS (ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER | ROLE_LIAISON | ROLE_FINANCE)
#define REGISTRY_WRITERS (ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER)
#define APPLICATION_READERS (ROLE_TALENT | ROLE_EMPLOYER | ROLE_LIAISON | ROLE_TOWN_REVIEWER | ROLE_OFFICE_REVIEWER)
#define APPLICATION_ACTORS (ROLE_TALENT | ROLE_EMPLOYER | ROLE_TOWN_REVIEWER | ROLE_OFFICE_REVIEWER)

#define KB 1024
#define MB (1024 * 1024)

const struct route routes[] = {
	/* accounts and sessions */
	{"POST", "/api/v1/session", PUBLIC, api_session_login, BODY_JSON, 4 * KB,
	 "Log in: username, password (and totp); sets the session cookie"},
	{"GET", "/api/v1/session", ROLES_ANY_USER, api_session_get, BODY_NONE, 0,
	 "The caller's account, CSRF token and session state"},
	{"DELETE", "/api/v1/session", ROLES_ANY_USER, api_session_logout, BODY_NONE, 0,
	 "Log out (ends the session)"},
	{"POST", "/api/v1/session/password", ROLES_ANY_USER, api_session_password, BODY_JSON,
	 4 * KB, "Change the caller's password (ends every other session and token)"},
	{"POST", "/api/v1/session/totp", ROLES_ANY_USER, api_session_totp_begin, BODY_JSON, 1 * KB,
	 "Start TOTP enrolment: a new secret and otpauth URI"},
	{"POST", "/api/v1/session/totp/confirm", ROLES_ANY_USER, api_session_totp_confirm,
	 BODY_JSON, 1 * KB, "Confirm TOTP enrolment with a code"},
	{"GET", "/api/v1/tokens", ROLES_ANY_USER, api_tokens_list, BODY_NONE, 0,
	 "The caller's API tokens"},
	{"POST", "/api/v1/tokens", ROLES_ANY_USER, api_tokens_create, BODY_JSON, 4 * KB,
	 "Create an API token (Authorization: Bearer) for the caller"},
	{"DELETE", "/api/v1/tokens/{id}", ROLES_ANY_USER, api_tokens_revoke, BODY_NONE, 0,
	 "Revoke one of the caller's API tokens"},
	{"POST", "/api/v1/registrations", PUBLIC, api_registrations_submit, BODY_JSON, 4 * KB,
	 "A talent or employer asks for an account"},
	{"GET", "/api/v1/registrations", ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER,
	 api_registrations_list, BODY_NONE, 0, "Registrations to confirm"},
	{"POST", "/api/v1/registrations/{id}/approve", ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER,
	 api_registrations_approve, BODY_JSON, 4 * KB,
	 "Approve a registration (creates the account)"},
	{"POST", "/api/v1/registrations/{id}/reject", ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER,
	 api_registrations_reject, BODY_JSON, 4 * KB, "Reject a registration with a reason"},

	/* administration: accounts and security settings */
	{"GET", "/api/v1/users", ROLE_ADMIN, api_users_list, BODY_NONE, 0, "List accounts"},
	{"POST", "/api/v1/users", ROLE_ADMIN, api_users_create, BODY_JSON, 4 * KB,
	 "Create an account (a one-time password is returned)"},
	{"GET", "/api/v1/users/{id}", ROLE_ADMIN, api_users_get, BODY_NONE, 0, "One account"},
	{"PATCH", "/api/v1/users/{id}", ROLE_ADMIN, api_users_patch, BODY_JSON, 4 * KB,
	 "Change an account: name, department, towns, unmask, disabled"},
	{"POST", "/api/v1/users/{id}/password-reset", ROLE_ADMIN, api_users_password_reset,
	 BODY_JSON, 1 * KB, "Reset an account's password, second factor and lock"},
	{"POST", "/api/v1/users/{id}/talents", ROLE_ADMIN, api_users_link_talent, BODY_JSON,
	 1 * KB, "Link a talent to a liaison"},
	{"DELETE", "/api/v1/users/{id}/talents/{talent_id}", ROLE_ADMIN, api_users_unlink_talent,
	 BODY_NONE, 0, "Unlink a talent from a liaison"},
	{"GET", "/api/v1/settings/security", ROLE_ADMIN, api_settings_security_get, BODY_NONE, 0,
	 "Password policy and the roles that must use TOTP"},
	{"PATCH", "/api/v1/settings/security", ROLE_ADMIN, api_settings_security_patch, BODY_JSON,
	 4 * KB, "Change the password policy or the roles that must use TOTP"},

	{"GET", "/api/v1/health", PUBLIC, api_health, BODY_NONE, 0, "Liveness and version"},
	{"GET", "/api/v1/reference/{kind}", PUBLIC, api_reference_get, BODY_NONE, 0,
	 "A code table: towns, industries, degrees, titles, skill-levels, enterprise-sizes"},
	{"POST", "/api/v1/reference/industries", ROLE_OFFICE_REVIEWER | ROLE_ADMIN, api_industries_create, BODY_JSON, 16 * KB,
	 "Add an industry to the editable 4341 code table"},
	{"PATCH", "/api/v1/reference/industries/{code}", ROLE_OFFICE_REVIEWER | ROLE_ADMIN, api_industries_patch, BODY_JSON, 16 * KB,
	 "Rename or regroup an industry"},

	{"GET", "/api/v1/talents", REGISTRY_READERS | ROLE_EMPLOYER, api_talents_list, BODY_NONE, 0, "List and search talents"},
	{"POST", "/api/v1/talents", REGISTRY_WRITERS | ROLE_EMPLOYER, api_talents_create, BODY_JSON, 256 * KB, "Register a talent"},
	{"GET", "/api/v1/talents/{id}", REGISTRY_READERS | ROLE_EMPLOYER | ROLE_TALENT, api_talents_get, BODY_NONE, 0, "One talent"},
	{"PATCH", "/api/v1/talents/{id}", REGISTRY_WRITERS | ROLE_EMPLOYER | ROLE_TALENT, api_talents_patch, BODY_JSON, 256 * KB,
	 "Change a talent"},
	{"GET", "/api/v1/talents/{id}/employments", REGISTRY_READERS | ROLE_EMPLOYER | ROLE_TALENT, api_talent_employments_list, BODY_NONE, 0,
	 "A talent's employment history"},
	{"POST", "/api/v1/talents/{id}/employments", REGISTRY_WRITERS, api_talent_employments_create, BODY_JSON,
	 16 * KB, "Add an employment record"},
	{"PATCH", "/api/v1/talents/{id}/employments/{employment_id}", REGISTRY_WRITERS | ROLE_EMPLOYER, api_talent_employments_patch,
	 BODY_JSON, 16 * KB, "End or change an employment record"},

	{"GET", "/api/v1/talents/{id}/entitlements", ROLE_TALENT | REGISTRY_READERS | ROLE_EMPLOYER,
	 api_talent_entitlements, BODY_NONE, 0,
	 "A talent's entitlements in a year (?period=2026) under the policy pack, with explanations"},

	/* enterprise self-identification (企业自主认定): docs/self-identification.md */
	{"POST", "/api/v1/self-identification/qualifications", ROLE_OFFICE_REVIEWER, api_selfid_qualify,
	 BODY_JSON, 4 * KB, "Qualify an enterprise for self-identification in a year (quotas from its size)"},
	{"GET", "/api/v1/enterprises/{id}/self-identification", ROLE_OFFICE_REVIEWER | ROLE_EMPLOYER,
	 api_selfid_standing, BODY_NONE, 0,
	 "An enterprise's self-identification qualification and quotas (used, remaining) in a year"},
	{"PATCH", "/api/v1/enterprises/{id}/self-identification/{year}/quotas", ROLE_OFFICE_REVIEWER,
	 api_selfid_quota_set, BODY_JSON, 4 * KB, "Set a qualified enterprise's quota of one category"},
	{"GET", "/api/v1/self-identifications", ROLE_OFFICE_REVIEWER | ROLE_EMPLOYER, api_selfid_list,
	 BODY_NONE, 0, "Self-identification nominations, with filters (an employer: its own)"},
	{"POST", "/api/v1/self-identifications", ROLE_EMPLOYER, api_selfid_nominate, BODY_JSON,
	 16 * KB, "Nominate a staff member as a category 1/2/3 talent within the quota"},
	{"GET", "/api/v1/self-identifications/{id}", ROLE_OFFICE_REVIEWER | ROLE_EMPLOYER | ROLE_TALENT,
	 api_selfid_get, BODY_NONE, 0, "One nomination"},
	{"POST", "/api/v1/self-identifications/{id}/audit", ROLE_OFFICE_REVIEWER, api_selfid_audit,
	 BODY_JSON, 16 * KB, "Add the office's audit note to a nomination"},
	{"POST", "/api/v1/self-identifications/{id}/revoke", ROLE_OFFICE_REVIEWER, api_selfid_revoke,
	 BODY_JSON, 16 * KB, "Revoke a nomination with a reason"},
	{"POST", "/api/v1/self-identifications/{id}/withdraw", ROLE_EMPLOYER, api_selfid_withdraw,
	 BODY_JSON, 1 * KB, "Withdraw one's own nomination before the office audits it"},
	{"GET", "/api/v1/talents/{id}/self-identifications", ROLE_TALENT | ROLE_EMPLOYER | ROLE_OFFICE_REVIEWER,
	 api_talent_selfid_list, BODY_NONE, 0, "A talent's self-identification nominations"},

	/* the policy pack (policies/jinjiang): public reading and the public calculator */
	{"GET", "/api/v1/policies", PUBLIC, api_policies_list, BODY_NONE, 0,
	 "Every policy of the loaded pack, in pack order"},
	{"GET", "/api/v1/policies/{id}", PUBLIC, api_policies_get, BODY_NONE, 0,
	 "One policy: its parameters with their dated history and sources, its rules as text"},
	{"POST", "/api/v1/calculator", PUBLIC, api_calculator, BODY_JSON, 64 * KB,
	 "The policy calculator: facts and a year in, entitlements with explanations out; nothing is stored"},

	{"GET", "/api/v1/enterprises", REGISTRY_READERS, api_enterprises_list, BODY_NONE, 0, "List enterprises"},
	{"POST", "/api/v1/enterprises", REGISTRY_WRITERS, api_enterprises_create, BODY_JSON, 64 * KB,
	 "Register an enterprise"},
	{"GET", "/api/v1/enterprises/{id}", REGISTRY_READERS | ROLE_EMPLOYER, api_enterprises_get, BODY_NONE, 0, "One enterprise"},
	{"PATCH", "/api/v1/enterprises/{id}", REGISTRY_WRITERS | ROLE_EMPLOYER, api_enterprises_patch, BODY_JSON, 64 * KB,
	 "Change an enterprise"},

	{"POST", "/api/v1/imports/talents", ROLE_OFFICE_REVIEWER, api_imports_talents, BODY_RAW, 64 * MB,
	 "Import talents from a CSV or XLSX file (the raw file is the body)"},
	{"GET", "/api/v1/imports/{id}", ROLE_OFFICE_REVIEWER, api_imports_get, BODY_NONE, 0, "One import and its counts"},
	{"GET", "/api/v1/imports/{id}/report", ROLE_OFFICE_REVIEWER, api_imports_report, BODY_NONE, 0,
	 "The error report of an import, in the uploaded file's format"},
	{"GET", "/api/v1/exports/talents", REGISTRY_READERS | ROLE_EMPLOYER, api_exports_talents, BODY_NONE, 0,
	 "Export talents (masked) as CSV or XLSX"},
	{"GET", "/api/v1/exports/template", ROLES_ANY_USER, api_exports_template, BODY_NONE, 0,
	 "The talent import template as CSV or XLSX"},

	/* applications (人才认定 first) through their workflow (workflows/NAME.yaml) */
	{"GET", "/api/v1/applications", APPLICATION_READERS, api_applications_list, BODY_NONE, 0,
	 "Applications the caller may see (?kind=&state=&overdue=true&talent_id=)"},
	{"POST", "/api/v1/applications", ROLE_TALENT | ROLE_EMPLOYER, api_applications_submit,
	 BODY_JSON, 64 * KB, "Submit an application (a talent for themself, an employer for its staff)"},
	{"GET", "/api/v1/applications/{id}", APPLICATION_READERS, api_applications_get, BODY_NONE, 0,
	 "One application with its history and the actions the caller may take"},
	{"POST", "/api/v1/applications/{id}/actions", APPLICATION_ACTORS, api_applications_act,
	 BODY_JSON, 64 * KB,
	 "Act on an application: approve, return (fields to fix), reject, withdraw, resubmit, close"},
	{"GET", "/api/v1/applications/{id}/objections", ROLE_OFFICE_REVIEWER,
	 api_application_objections, BODY_NONE, 0, "Objections lodged during the announcement"},
	{"POST", "/api/v1/applications/{id}/objections/{objection_id}/resolve", ROLE_OFFICE_REVIEWER,
	 api_application_objection_resolve, BODY_JSON, 8 * KB, "Resolve an objection: upheld or dismissed"},
	{"GET", "/api/v1/announcements", PUBLIC, api_announcements_list, BODY_NONE, 0,
	 "Applications under public announcement (公示), personal data masked"},
	{"GET", "/api/v1/announcements/{id}", PUBLIC, api_announcements_get, BODY_NONE, 0,
	 "One application under public announcement"},
	{"POST", "/api/v1/announcements/{id}/objections", PUBLIC, api_announcements_object, BODY_JSON,
	 8 * KB, "Lodge an objection against an announced application (anyone; rate limited)"},
	{"GET", "/api/v1/workflows/{kind}", ROLES_ANY_USER, api_workflows_get, BODY_NONE, 0,
	 "A workflow definition: states, roles, deadlines, transitions"},
	{"GET", "/api/v1/calendar", ROLES_ANY_USER, api_calendar_list, BODY_NONE, 0,
	 "Holidays and adjusted working days of a year (?year=2026)"},
	{"PUT", "/api/v1/calendar/{day}", ROLE_OFFICE_REVIEWER | ROLE_ADMIN, api_calendar_put, BODY_JSON,
	 1 * KB, "Mark a day as a holiday or an adjusted working day (调休)"},
	{"DELETE", "/api/v1/calendar/{day}", ROLE_OFFICE_REVIEWER | ROLE_ADMIN, api_calendar_delete,
	 BODY_NONE, 0, "Remove a day from the calendar (back to the weekday rule)"},
	{"GET", "/api/v1/reminders", ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER, api_reminders_list,
	 BODY_NONE, 0, "Reminders of overdue steps (the caller's town for a town reviewer)"},

	{"GET", "/api/v1/audit", ROLE_AUDITOR, api_audit_list, BODY_NONE, 0, "The audit log (auditors only)"},
	{"GET", "/api/v1/audit/export", ROLE_AUDITOR, api_audit_export, BODY_NONE, 0,
	 "The audit log as CSV or XLSX (auditors only)"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
