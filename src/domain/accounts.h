/*
 * accounts.h — user accounts, sessions, API tokens, self-registration and the
 * security settings (issue 3).
 *
 * Times are unix seconds passed in by the caller (`now`): the HTTP layer passes
 * the clock (core/clock.h), tests pass whatever moment they need, so expiry and
 * lockout are tested without sleeping.
 *
 * Login rules (ASVS 2.2.1, 等保 三级):
 *   - failures 1-4 cost nothing more; from the 5th the account must wait
 *     2^(n-5) seconds before the next attempt (THROTTLED, with retry_after);
 *   - the 10th failure locks it for 15 minutes (LOCKED);
 *   - an unknown user costs one dummy argon2id verify, like a known one.
 * Sessions: idle 15 min for staff, 30 for talents and employers, absolute 12 h;
 * a new token at every login; every session and token of an account ends when
 * its password changes or an admin resets or disables it.
 */
#ifndef TP_DOMAIN_ACCOUNTS_H
#define TP_DOMAIN_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/password.h"
#include "core/rc.h"
#include "domain/actor.h"

struct arena;
struct store;
struct verrors;

#define USERNAME_MAX 64
#define TOTP_SECRET_MAX 32
#define LOGIN_THROTTLE_FROM 5
#define LOGIN_LOCK_AT 10
#define LOGIN_LOCK_SECS (15 * 60)
#define SESSION_IDLE_STAFF (15 * 60)
#define SESSION_IDLE_USER (30 * 60)
#define SESSION_ABSOLUTE (12 * 60 * 60)
#define SESSION_TOUCH_EVERY 60 /* last_seen is written at most once a minute */
#define TOKEN_MAX_DAYS 365

struct user {
	int64_t id, version;
	const char *username, *display_name;
	enum role role;
	const char *password_phc;
	int64_t password_changed_at;
	int must_change, disabled, unmask;
	int64_t talent_id, enterprise_id; /* 0 = none */
	const char *department;
	const char *towns[ACTOR_MAX_TOWNS];
	int ntowns;
	int totp_enabled;
	int64_t totp_last_step;
	unsigned char totp_secret[TOTP_SECRET_MAX]; /* opened; empty when not enrolled */
	size_t totp_secret_len;
	int failed_logins;
	int64_t throttled_until, locked_until, last_login_at;
	const char *created_at;
};

struct session {
	const char *token_hash, *csrf_token;
	int64_t user_id, created_at, last_seen, expires_at, idle_secs;
	const char *ip;
	int revoked;
};

struct api_token {
	int64_t id, user_id;
	const char *name, *token_hash, *prefix;
	int64_t created_at, expires_at, last_used_at;
	int revoked;
};

struct registration {
	int64_t id, version;
	const char *kind; /* "talent" | "employer" */
	const char *username, *display_name, *password_phc;
	int64_t talent_id, enterprise_id; /* the matched record, 0 when none matched */
	const char *status;               /* pending | approved | rejected */
	const char *reason;
	int64_t user_id, decided_by;
	const char *decided_at, *created_at;
	const char *matched_name;         /* reads: the matched record's name */
	const char *matched_town;         /* reads: its town (town reviewers see their own) */
};

struct user_query {
	enum role role;       /* ROLE_NONE = any */
	const char *q;        /* username or display-name prefix */
	int include_disabled;
	int page, per_page;
};

struct user_page {
	struct user *items;
	size_t n;
	int64_t total;
};

struct security_settings {
	struct password_policy policy;
	unsigned mfa_roles; /* ROLE_* bits that must use a second factor */
};

/* ---- settings ---- */

/* Reads the settings (defaults when a row is missing). */
enum tp_rc settings_get(struct store *st, struct arena *a, struct security_settings *out);

/* Changes them ("dengbao3"/"asvs", role names); audited.  Bad values → TP_ERR_INVALID + ve. */
enum tp_rc settings_set(struct store *st, const struct actor *who, const char *policy,
			const char *const *mfa_roles, int nroles, int set_roles, struct verrors *ve);

/* ---- accounts (admin) ---- */

/* 1 when u is a valid username: 3..64 of [A-Za-z0-9_.@-]. */
int account_username_ok(const char *u);

/*
 * Creates an account.  u->role, username, display_name and the bindings must be set;
 * the password is generated (written to password_out, 20 characters) and must be
 * changed at first login.  Checks: username 3..64 of [A-Za-z0-9_.@-], role bindings
 * (employer → an enterprise; town_reviewer → exactly one town; liaison → ≥ 1 town;
 * talent → a talent record; staff → none of talent/enterprise), unmask only for
 * office/town reviewers and liaisons.  Audited as user.create.
 */
enum tp_rc account_create(struct store *st, const struct actor *who, struct user *u,
			  const char *password, char password_out[24], int64_t now,
			  struct verrors *ve);

/* Disables or enables an account (disabling ends its sessions and tokens). */
enum tp_rc account_set_disabled(struct store *st, const struct actor *who, int64_t id,
				int disabled, int64_t version);

/* Changes display name, department, towns and the unmask permission (PATCH /users/{id}). */
enum tp_rc account_update(struct store *st, const struct actor *who, struct user *u,
			  struct verrors *ve);

/* Sets a new generated password, forces a change at next login, ends sessions. */
enum tp_rc account_reset_password(struct store *st, const struct actor *who, int64_t id,
				  char password_out[24], int64_t now);

/* Links (link = 1) or unlinks a talent to a liaison account. */
enum tp_rc account_link_talent(struct store *st, const struct actor *who, int64_t liaison_id,
			       int64_t talent_id, int link);

/* Fills an actor from an account (role, bindings, unmask). */
void account_actor(const struct user *u, const char *ip, struct actor *out);

/* ---- login and sessions ---- */

enum login_outcome {
	LOGIN_OK = 0,
	LOGIN_INVALID,      /* wrong username or password (or disabled): one answer for all */
	LOGIN_THROTTLED,    /* too soon after the 5th+ failure: retry_after seconds */
	LOGIN_LOCKED,       /* 10 failures: locked for retry_after seconds */
	LOGIN_MFA_NEEDED,   /* password right, a TOTP code is required and was not given */
	LOGIN_MFA_INVALID,  /* the TOTP code was wrong (counts as a failure) */
};

struct login_result {
	enum login_outcome outcome;
	int64_t retry_after;
	struct user user;
	char token[44];    /* the new session token (for the cookie) */
	char csrf[44];
	int64_t expires_at;
	int restricted;    /* must change the password / must enrol TOTP before anything else */
};

/* Checks the credentials and opens a session.  Every attempt is audited. */
enum tp_rc auth_login(struct store *st, struct arena *a, const char *username,
		      const char *password, const char *totp_code, const char *ip, int64_t now,
		      struct login_result *out);

/* What a request learns from its credentials. */
struct auth_info {
	struct actor actor;
	struct user user;
	const char *csrf_token; /* cookie sessions; NULL for bearer tokens */
	const char *token_hash; /* the session's */
	int64_t token_id;       /* the API token's (bearer) */
	int restricted;         /* must change password / enrol TOTP first */
	int must_change, mfa_setup;
	int64_t expires_at;
};

/*
 * Validates a session token (cookie) or an API token (bearer) at now.  TP_ERR_NOT_FOUND
 * when it is unknown, revoked, expired (idle or absolute) or the account is disabled.
 */
enum tp_rc auth_session(struct store *st, struct arena *a, const char *token, const char *ip,
			int64_t now, struct auth_info *out);
enum tp_rc auth_bearer(struct store *st, struct arena *a, const char *token, const char *ip,
		       int64_t now, struct auth_info *out);

/* Ends the session (logout), or the API token a bearer client used.  Audited. */
enum tp_rc auth_logout(struct store *st, const struct auth_info *ai);

/*
 * Changes the caller's password after checking the current one and the policy; ends
 * every session and token of the account and opens a new session (out).
 */
enum tp_rc auth_change_password(struct store *st, struct arena *a, const struct auth_info *ai,
				const char *current, const char *next, int64_t now,
				struct login_result *out, struct verrors *ve);

/*
 * Re-authentication before a sensitive change (a bank account, docs/payments-accounts.md):
 * checks the caller's current password — counted, throttled and locked exactly like a
 * login attempt — and, when the account has TOTP, a code (spent once, like at login).
 * TP_OK with out->outcome LOGIN_OK, LOGIN_INVALID (wrong password), LOGIN_MFA_NEEDED (TOTP
 * enrolled, no code given), LOGIN_MFA_INVALID, LOGIN_THROTTLED or LOCKED (retry_after).
 * Failures are audited as failed logins; a success clears the failure count and is
 * audited "auth.reauthenticate".  No session is opened or ended.
 */
enum tp_rc auth_reauthenticate(struct store *st, struct arena *a, const struct auth_info *ai,
			       const char *password, const char *totp_code, int64_t now,
			       struct login_result *out);

/* Starts TOTP enrolment: a new secret (base32 in secret_b32, 33 bytes) not yet enabled. */
enum tp_rc auth_totp_begin(struct store *st, const struct auth_info *ai, char secret_b32[40]);
/* Confirms it with a code: enables TOTP.  TP_ERR_INVALID when the code is wrong. */
enum tp_rc auth_totp_confirm(struct store *st, const struct auth_info *ai, const char *code,
			     int64_t now);

/* Creates an API token for the caller (shown once in token_out). */
enum tp_rc auth_token_create(struct store *st, const struct auth_info *ai, const char *name,
			     int days, int64_t now, char token_out[44], struct api_token *out,
			     struct verrors *ve);
enum tp_rc auth_token_revoke(struct store *st, const struct auth_info *ai, int64_t id);

/* ---- self-registration ---- */

/*
 * A talent (by ID number + name) or an employer (by credit code + name) asks for an
 * account.  The answer does not tell whether a record matched (no enumeration of the
 * registry); staff see the match when they decide.  Bad fields → TP_ERR_INVALID + ve;
 * a username already taken → TP_ERR_CONFLICT.
 */
enum tp_rc registration_submit(struct store *st, const char *ip, struct registration *r,
			       const char *password, const char *id_number,
			       const char *credit_code, int64_t now, struct verrors *ve);

/* Approves (creates the account, bound to the matched record) or rejects with a reason. */
enum tp_rc registration_decide(struct store *st, const struct actor *who, int64_t id,
			       int approve, const char *reason, int64_t version, int64_t now,
			       struct verrors *ve);

#endif
