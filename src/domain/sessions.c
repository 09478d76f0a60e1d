/*
 * sessions.c — login, sessions, API tokens, password change and TOTP enrolment.
 *
 * The rules are in accounts.h.  Every attempt, good or bad, is audited; a bad
 * attempt's counters and its audit record are written in one transaction.
 */
#include "domain/accounts.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/totp.h"
#include "core/verr.h"
#include "domain/audit.h"
#include "store/store.h"

static void id_str(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* Whether the account must change its password or enrol a second factor first. */
static void restrictions(const struct user *u, const struct security_settings *ss, int64_t now,
			 int *must_change, int *mfa_setup)
{
	*must_change = u->must_change;
	if ((u->role & ROLES_STAFF) && ss->policy.staff_max_age_days > 0 &&
	    now - u->password_changed_at > (int64_t)ss->policy.staff_max_age_days * 86400)
		*must_change = 1;
	*mfa_setup = (ss->mfa_roles & (unsigned)u->role) && !u->totp_enabled;
}

static int64_t idle_for(enum role r)
{
	return (r & ROLES_STAFF) ? SESSION_IDLE_STAFF : SESSION_IDLE_USER;
}

/* Opens a session for u (inside the caller's transaction). */
static enum tp_rc open_session(struct store *st, const struct user *u, const char *ip,
			       int64_t now, struct login_result *out)
{
	char hash[65];
	token_random(out->token);
	token_random(out->csrf);
	token_hash(out->token, hash);
	struct session s = {
		.token_hash = hash,
		.csrf_token = out->csrf,
		.user_id = u->id,
		.created_at = now,
		.last_seen = now,
		.expires_at = now + SESSION_ABSOLUTE,
		.idle_secs = idle_for(u->role),
		.ip = ip,
	};
	out->expires_at = s.expires_at;
	return STORE_CALL(session_insert, st, &s);
}

static void failed_actor(const struct user *u, const char *ip, struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->ip = ip ? ip : "";
	a->username = "";
	if (u) {
		a->user_id = u->id;
		a->username = u->username;
		a->role = u->role;
	}
}

/*
 * Counts an attempt BEFORE the slow verify, on a fresh read inside a write transaction,
 * as if it will fail: concurrent attempts each count, so a burst of guesses cannot all
 * pass the throttle check before any of them is recorded (the count is read-modify-
 * written under the write lock, never from a copy read before the verify).  The 5th
 * counted attempt makes the next wait 1 s, the 6th 2 s ...; the 10th locks for 15 min
 * and starts the count again.  A success clears it all.  *go = 0 when the account is
 * throttled or locked now (audited, out says how long).
 */
static enum tp_rc reserve_attempt(struct store *st, struct arena *a, struct user *u,
				  const char *ip, int64_t now, struct login_result *out, int *go)
{
	*go = 0;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct user fresh;
	rc = STORE_CALL(user_get, st, u->id, NULL, a, &fresh);
	if (rc == TP_OK && (fresh.locked_until > now || fresh.throttled_until > now)) {
		int locked = fresh.locked_until > now;
		out->outcome = locked ? LOGIN_LOCKED : LOGIN_THROTTLED;
		out->retry_after = (locked ? fresh.locked_until : fresh.throttled_until) - now;
		struct actor act;
		char oid[24];
		failed_actor(u, ip, &act);
		id_str(u->id, oid);
		rc = audit_append(st, &act, "auth.login_failed", "user", oid, "failed",
				  locked ? "locked" : "throttled", NULL, 0);
		return store_end(st, rc);
	}
	if (rc == TP_OK) {
		fresh.failed_logins++;
		if (fresh.failed_logins >= LOGIN_LOCK_AT) {
			fresh.locked_until = now + LOGIN_LOCK_SECS;
			fresh.failed_logins = 0; /* after the lock the count starts again */
			fresh.throttled_until = 0;
		} else if (fresh.failed_logins >= LOGIN_THROTTLE_FROM) {
			int64_t wait = (int64_t)1 << (fresh.failed_logins - LOGIN_THROTTLE_FROM);
			fresh.throttled_until = now + wait;
		}
		rc = STORE_CALL(user_set_login_state, st, &fresh);
	}
	rc = store_end(st, rc);
	if (rc == TP_OK) {
		*go = 1;
		u->failed_logins = fresh.failed_logins;
		u->throttled_until = fresh.throttled_until;
		u->locked_until = fresh.locked_until;
	}
	return rc;
}

/* Audits a failed attempt (already counted by reserve_attempt); the one that reached
 * the lock says so. */
static enum tp_rc record_failure(struct store *st, struct user *u, const char *ip, int64_t now,
				 const char *why, struct login_result *out)
{
	int locked = u->locked_until > now;
	if (locked) {
		out->outcome = LOGIN_LOCKED;
		out->retry_after = u->locked_until - now;
	}
	struct actor a;
	char oid[24];
	failed_actor(u, ip, &a);
	id_str(u->id, oid);
	return audit_append(st, &a, locked ? "auth.lock" : "auth.login_failed", "user", oid,
			    "failed", why, NULL, 0);
}

static enum tp_rc audit_refused(struct store *st, const struct user *u, const char *ip,
				const char *why)
{
	struct actor a;
	char oid[24] = "";
	failed_actor(u, ip, &a);
	if (u)
		id_str(u->id, oid);
	return audit_append(st, &a, "auth.login_failed", u ? "user" : "", oid, "failed", why, NULL,
			    0);
}

enum tp_rc auth_login(struct store *st, struct arena *a, const char *username,
		      const char *password, const char *totp_code, const char *ip, int64_t now,
		      struct login_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = LOGIN_INVALID;
	struct user *u = &out->user;
	enum tp_rc rc = STORE_CALL(user_get, st, 0, username, a, u);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && u->disabled)) {
		password_verify_dummy(password); /* the same cost as a known account */
		return audit_refused(st, rc == TP_OK ? u : NULL, ip,
				     rc == TP_OK ? "disabled" : "unknown user");
	}
	if (rc != TP_OK)
		return rc;
	int go;
	if ((rc = reserve_attempt(st, a, u, ip, now, out, &go)) != TP_OK)
		return rc;
	if (!go) {
		password_verify_dummy(password); /* a refusal costs what an attempt costs */
		return TP_OK;
	}
	int ok = password_verify(u->password_phc, password) == 0;
	int64_t step = -1;
	if (ok && u->totp_enabled) {
		if (!totp_code || !*totp_code) {
			/* not audited as a failure: the client asks for the code and retries; the
			 * attempt stays counted until the next success */
			out->outcome = LOGIN_MFA_NEEDED;
			return TP_OK;
		}
		step = totp_check(u->totp_secret, u->totp_secret_len, totp_code, now,
				  u->totp_last_step);
		if (step < 0) {
			out->outcome = LOGIN_MFA_INVALID;
			return record_failure(st, u, ip, now, "wrong second factor", out);
		}
	}
	if (!ok)
		return record_failure(st, u, ip, now, "wrong password", out);

	struct security_settings ss;
	if ((rc = settings_get(st, a, &ss)) != TP_OK)
		return rc;
	char phc[PASSWORD_PHC_MAX];
	int rehash = password_needs_rehash(u->password_phc) && password_hash(password, phc) == TP_OK;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	if (step >= 0) { /* the code is spent once: a concurrent login with it lost the race */
		struct user fresh;
		rc = STORE_CALL(user_get, st, u->id, NULL, a, &fresh);
		if (rc == TP_OK && fresh.totp_last_step >= step) {
			store_rollback(st);
			sodium_memzero(phc, sizeof phc);
			out->outcome = LOGIN_MFA_INVALID;
			return record_failure(st, u, ip, now, "second factor replayed", out);
		}
	}
	u->failed_logins = 0;
	u->throttled_until = 0;
	u->locked_until = 0;
	u->last_login_at = now;
	if (rc == TP_OK)
		rc = STORE_CALL(user_set_login_state, st, u);
	if (rc == TP_OK && rehash) /* parameters were raised since this hash was made */
		rc = STORE_CALL(user_set_password, st, u->id, phc, u->password_changed_at,
				u->must_change);
	if (rc == TP_OK && step >= 0) {
		rc = STORE_CALL(user_set_totp, st, u->id, u->totp_secret, u->totp_secret_len, 1, step);
		u->totp_last_step = step;
	}
	if (rc == TP_OK)
		rc = open_session(st, u, ip, now, out);
	if (rc == TP_OK) {
		struct actor act;
		char oid[24];
		account_actor(u, ip, &act);
		id_str(u->id, oid);
		rc = audit_append(st, &act, "auth.login", "user", oid, "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	sodium_memzero(phc, sizeof phc);
	if (rc != TP_OK)
		return rc;
	int must_change, mfa_setup;
	restrictions(u, &ss, now, &must_change, &mfa_setup);
	out->restricted = must_change || mfa_setup;
	out->outcome = LOGIN_OK;
	return TP_OK;
}

/*
 * The per-thread auth cache.  Every API request authenticates; reading the session or
 * token, the account and the settings costs four statements, about a third of a read
 * request's time (docs/performance.md).  A thread keeps what it read, tagged with the
 * store's generation (which changes with any commit by any connection or process), and
 * reuses it only while the generation holds: a logout, a password change, a disabled
 * account or a new setting is seen by the very next request.  Expiry is still checked
 * against `now` on every use.
 */
#define AUTH_CACHE_SLOTS 64

struct auth_slot {
	char hash[65];
	int bearer;
	uint64_t gen;
	struct arena *a;  /* owns the copies below; reset when the slot is reused */
	struct user user;
	struct security_settings ss;
	int64_t last_seen, expires_at, idle_secs, token_id;
	const char *csrf;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p)
{
	struct auth_slot *slots = p;
	for (size_t i = 0; i < AUTH_CACHE_SLOTS; i++) {
		sodium_memzero(&slots[i].user, sizeof slots[i].user);
		arena_free(slots[i].a);
	}
	free(slots);
}

static void cache_init(void)
{
	(void)pthread_key_create(&cache_key, cache_free);
}

static struct auth_slot *cache_slot(const char *hash)
{
	pthread_once(&cache_once, cache_init);
	struct auth_slot *slots = pthread_getspecific(cache_key);
	if (!slots) {
		slots = calloc(AUTH_CACHE_SLOTS, sizeof(*slots));
		if (!slots || pthread_setspecific(cache_key, slots) != 0) {
			free(slots);
			return NULL;
		}
	}
	unsigned h = 0;
	for (int i = 0; i < 8; i++) /* the hash is uniformly random hex already */
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &slots[h % AUTH_CACHE_SLOTS];
}

/* Copies the strings of u into a (NULL stays NULL); -1 when out of memory. */
static int user_copy(struct arena *a, const struct user *u, struct user *out)
{
	*out = *u;
	const char **s[] = {&out->username, &out->display_name, &out->password_phc,
			    &out->department, &out->created_at};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (*s[i] && !(*s[i] = arena_strdup(a, *s[i])))
			return -1;
	for (int i = 0; i < out->ntowns; i++)
		if (!(out->towns[i] = arena_strdup(a, u->towns[i])))
			return -1;
	return 0;
}

/* Keeps what a lookup read (best effort: out of memory just skips the cache). */
static void cache_put(const char *hash, int bearer, uint64_t gen, const struct auth_info *ai,
		      const struct security_settings *ss, int64_t last_seen, int64_t idle_secs)
{
	struct auth_slot *sl = cache_slot(hash);
	if (!sl)
		return;
	sl->hash[0] = '\0';
	if (sl->a)
		arena_free(sl->a);
	if (!(sl->a = arena_new()))
		return;
	if (user_copy(sl->a, &ai->user, &sl->user) != 0 ||
	    (ai->csrf_token && !(sl->csrf = arena_strdup(sl->a, ai->csrf_token))))
		return;
	if (!ai->csrf_token)
		sl->csrf = NULL;
	sl->ss = *ss;
	sl->gen = gen;
	sl->bearer = bearer;
	sl->last_seen = last_seen;
	sl->expires_at = ai->expires_at;
	sl->idle_secs = idle_secs;
	sl->token_id = ai->token_id;
	memcpy(sl->hash, hash, 65);
}

/* A cached entry for hash still valid at gen: fills out (strings copied into a). */
static int cache_get(const char *hash, int bearer, uint64_t gen, struct arena *a,
		     struct auth_slot **slot, struct auth_info *out)
{
	struct auth_slot *sl = cache_slot(hash);
	if (!sl || !sl->hash[0] || sl->gen != gen || sl->bearer != bearer ||
	    strcmp(sl->hash, hash) != 0)
		return 0;
	if (user_copy(a, &sl->user, &out->user) != 0)
		return 0;
	out->csrf_token = sl->csrf ? arena_strdup(a, sl->csrf) : NULL;
	out->token_hash = bearer ? NULL : arena_strdup(a, hash);
	if ((sl->csrf && !out->csrf_token) || (!bearer && !out->token_hash))
		return 0;
	out->expires_at = sl->expires_at;
	out->token_id = sl->token_id;
	*slot = sl;
	return 1;
}

static enum tp_rc fill_info(struct store *st, struct arena *a, int64_t user_id, const char *ip,
			    int64_t now, struct auth_info *out, struct security_settings *ss)
{
	enum tp_rc rc = STORE_CALL(user_get, st, user_id, NULL, a, &out->user);
	if (rc != TP_OK)
		return rc;
	if (out->user.disabled)
		return TP_ERR_NOT_FOUND;
	if ((rc = settings_get(st, a, ss)) != TP_OK)
		return rc;
	restrictions(&out->user, ss, now, &out->must_change, &out->mfa_setup);
	out->restricted = out->must_change || out->mfa_setup;
	account_actor(&out->user, ip, &out->actor);
	return TP_OK;
}

/* A cached lookup: checks expiry at now, records activity, fills the rest of out. */
static enum tp_rc cached_info(struct store *st, struct auth_slot *sl, const char *ip,
			      int64_t now, struct auth_info *out)
{
	if (now >= sl->expires_at || (!out->token_id && now - sl->last_seen > sl->idle_secs))
		return TP_ERR_NOT_FOUND;
	if (now - sl->last_seen >= SESSION_TOUCH_EVERY) {
		if (out->token_id)
			(void)STORE_CALL(token_touch, st, out->token_id, now);
		else
			(void)STORE_CALL(session_touch, st, sl->hash, now);
		sl->last_seen = now;
	}
	restrictions(&out->user, &sl->ss, now, &out->must_change, &out->mfa_setup);
	out->restricted = out->must_change || out->mfa_setup;
	account_actor(&out->user, ip, &out->actor);
	return TP_OK;
}

enum tp_rc auth_session(struct store *st, struct arena *a, const char *token, const char *ip,
			int64_t now, struct auth_info *out)
{
	memset(out, 0, sizeof(*out));
	char hash[65];
	token_hash(token, hash);
	uint64_t gen = st->ops->generation(st);
	struct auth_slot *sl;
	if (cache_get(hash, 0, gen, a, &sl, out))
		return cached_info(st, sl, ip, now, out);
	struct session s;
	enum tp_rc rc = STORE_CALL(session_get, st, hash, a, &s);
	if (rc != TP_OK)
		return rc;
	if (s.revoked || now >= s.expires_at || now - s.last_seen > s.idle_secs)
		return TP_ERR_NOT_FOUND;
	struct security_settings ss;
	if ((rc = fill_info(st, a, s.user_id, ip, now, out, &ss)) != TP_OK)
		return rc;
	out->csrf_token = s.csrf_token;
	out->token_hash = s.token_hash;
	out->expires_at = s.expires_at;
	int64_t seen = s.last_seen;
	if (now - s.last_seen >= SESSION_TOUCH_EVERY) {
		/* best effort: a busy write is retried next minute; the write changes the
		 * generation, so the entry below is read again next time anyway */
		(void)STORE_CALL(session_touch, st, hash, now);
		seen = now;
	}
	cache_put(hash, 0, gen, out, &ss, seen, s.idle_secs);
	return TP_OK;
}

enum tp_rc auth_bearer(struct store *st, struct arena *a, const char *token, const char *ip,
		       int64_t now, struct auth_info *out)
{
	memset(out, 0, sizeof(*out));
	char hash[65];
	token_hash(token, hash);
	uint64_t gen = st->ops->generation(st);
	struct auth_slot *sl;
	if (cache_get(hash, 1, gen, a, &sl, out))
		return cached_info(st, sl, ip, now, out);
	struct api_token t;
	enum tp_rc rc = STORE_CALL(token_get, st, hash, a, &t);
	if (rc != TP_OK)
		return rc;
	if (t.revoked || now >= t.expires_at)
		return TP_ERR_NOT_FOUND;
	struct security_settings ss;
	if ((rc = fill_info(st, a, t.user_id, ip, now, out, &ss)) != TP_OK)
		return rc;
	int64_t used = t.last_used_at;
	if (now - t.last_used_at >= SESSION_TOUCH_EVERY) {
		(void)STORE_CALL(token_touch, st, t.id, now);
		used = now;
	}
	out->expires_at = t.expires_at;
	out->token_id = t.id;
	cache_put(hash, 1, gen, out, &ss, used, 0);
	return TP_OK;
}

enum tp_rc auth_logout(struct store *st, const struct auth_info *ai)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	if (ai->token_hash)
		rc = STORE_CALL(session_revoke, st, ai->token_hash);
	else if (ai->token_id) /* a bearer client logging out ends its token */
		rc = STORE_CALL(token_revoke, st, ai->user.id, ai->token_id);
	if (rc == TP_OK) {
		char oid[24];
		id_str(ai->user.id, oid);
		rc = audit_append(st, &ai->actor, "auth.logout", "user", oid, "ok", "", NULL, 0);
	}
	return store_end(st, rc);
}

enum tp_rc auth_change_password(struct store *st, struct arena *a, const struct auth_info *ai,
				const char *current, const char *next, int64_t now,
				struct login_result *out, struct verrors *ve)
{
	memset(out, 0, sizeof(*out));
	struct user u = ai->user;
	struct security_settings ss;
	enum tp_rc rc = settings_get(st, a, &ss);
	if (rc != TP_OK)
		return rc;
	/* the policy first: a refused new password tells nothing about the current one */
	password_policy_check(&ss.policy, next, u.username, "new_password", ve);
	if (!ve->n && current && strcmp(current, next) == 0)
		verr_add(ve, "new_password", "password_reused", "新密码不能与当前密码相同",
			 "the new password must differ from the current one");
	if (ve->n)
		return TP_ERR_INVALID;
	/* the current password is a login: counted, throttled and locked the same way */
	int go;
	out->outcome = LOGIN_INVALID;
	if ((rc = reserve_attempt(st, a, &u, ai->actor.ip, now, out, &go)) != TP_OK)
		return rc;
	if (!go) {
		password_verify_dummy(current ? current : "");
		return TP_OK;
	}
	if (!current || password_verify(u.password_phc, current) != 0)
		return record_failure(st, &u, ai->actor.ip, now, "wrong current password", out);
	char phc[PASSWORD_PHC_MAX];
	if ((rc = password_hash(next, phc)) != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(user_set_password, st, u.id, phc, now, 0);
	u.failed_logins = 0;
	u.throttled_until = 0;
	u.locked_until = 0;
	if (rc == TP_OK)
		rc = STORE_CALL(user_set_login_state, st, &u);
	if (rc == TP_OK) /* every session and token of the account ends (ASVS 3.3.3) */
		rc = STORE_CALL(user_revoke_all, st, u.id);
	u.must_change = 0;
	u.password_changed_at = now;
	if (rc == TP_OK)
		rc = open_session(st, &u, ai->actor.ip, now, out);
	if (rc == TP_OK) {
		char oid[24];
		id_str(u.id, oid);
		rc = audit_append(st, &ai->actor, "auth.password_change", "user", oid, "ok", "", NULL,
				  0);
	}
	rc = store_end(st, rc);
	sodium_memzero(phc, sizeof phc);
	if (rc != TP_OK)
		return rc;
	out->user = u;
	int must_change, mfa_setup;
	restrictions(&u, &ss, now, &must_change, &mfa_setup);
	out->restricted = must_change || mfa_setup;
	out->outcome = LOGIN_OK;
	return TP_OK;
}

enum tp_rc auth_reauthenticate(struct store *st, struct arena *a, const struct auth_info *ai,
			       const char *password, const char *totp_code, int64_t now,
			       struct login_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = LOGIN_INVALID;
	struct user u = ai->user;
	int go;
	enum tp_rc rc = reserve_attempt(st, a, &u, ai->actor.ip, now, out, &go);
	if (rc != TP_OK)
		return rc;
	if (!go) {
		password_verify_dummy(password ? password : "");
		return TP_OK;
	}
	if (!password || password_verify(u.password_phc, password) != 0)
		return record_failure(st, &u, ai->actor.ip, now, "re-authentication: wrong password",
				      out);
	int64_t step = -1;
	if (u.totp_enabled) {
		if (!totp_code || !*totp_code) {
			out->outcome = LOGIN_MFA_NEEDED;
			return TP_OK;
		}
		step = totp_check(u.totp_secret, u.totp_secret_len, totp_code, now, u.totp_last_step);
		if (step < 0) {
			out->outcome = LOGIN_MFA_INVALID;
			return record_failure(st, &u, ai->actor.ip, now,
					      "re-authentication: wrong second factor", out);
		}
	}
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	struct user fresh;
	rc = STORE_CALL(user_get, st, u.id, NULL, a, &fresh);
	if (rc == TP_OK && step >= 0 && fresh.totp_last_step >= step) {
		store_rollback(st); /* the code was spent meanwhile (a login or another change) */
		out->outcome = LOGIN_MFA_INVALID;
		return record_failure(st, &u, ai->actor.ip, now,
				      "re-authentication: second factor replayed", out);
	}
	if (rc == TP_OK) {
		fresh.failed_logins = 0;
		fresh.throttled_until = 0;
		fresh.locked_until = 0;
		rc = STORE_CALL(user_set_login_state, st, &fresh);
	}
	if (rc == TP_OK && step >= 0)
		rc = STORE_CALL(user_set_totp, st, u.id, u.totp_secret, u.totp_secret_len, 1, step);
	if (rc == TP_OK) {
		char oid[24];
		id_str(u.id, oid);
		rc = audit_append(st, &ai->actor, "auth.reauthenticate", "user", oid, "ok", "", NULL,
				  0);
	}
	rc = store_end(st, rc);
	if (rc == TP_OK) {
		out->user = u;
		out->outcome = LOGIN_OK;
	}
	return rc;
}

enum tp_rc auth_totp_begin(struct store *st, const struct auth_info *ai, char secret_b32[40])
{
	if (ai->user.totp_enabled)
		return TP_ERR_CONFLICT; /* an admin resets it first */
	unsigned char secret[TOTP_SECRET_BYTES];
	randombytes_buf(secret, sizeof secret);
	/* in a transaction like every change an auth lookup depends on: its commit moves the
	 * store's generation, which the auth cache watches */
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(user_set_totp, st, ai->user.id, secret, sizeof secret, 0, 0);
	if (rc == TP_OK) {
		char oid[24];
		id_str(ai->user.id, oid);
		rc = audit_append(st, &ai->actor, "auth.totp_begin", "user", oid, "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	if (rc == TP_OK)
		base32_encode(secret, sizeof secret, secret_b32, 40);
	sodium_memzero(secret, sizeof secret);
	return rc;
}

enum tp_rc auth_totp_confirm(struct store *st, const struct auth_info *ai, const char *code,
			     int64_t now)
{
	const struct user *u = &ai->user;
	if (u->totp_enabled)
		return TP_ERR_CONFLICT;
	if (!u->totp_secret_len)
		return TP_ERR_NOT_FOUND; /* enrolment was not started */
	int64_t step = totp_check(u->totp_secret, u->totp_secret_len, code ? code : "", now, 0);
	if (step < 0)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(user_set_totp, st, u->id, u->totp_secret, u->totp_secret_len, 1, step);
	if (rc == TP_OK) {
		char oid[24];
		id_str(u->id, oid);
		rc = audit_append(st, &ai->actor, "auth.totp_enable", "user", oid, "ok", "", NULL, 0);
	}
	return store_end(st, rc);
}

enum tp_rc auth_token_create(struct store *st, const struct auth_info *ai, const char *name,
			     int days, int64_t now, char token_out[44], struct api_token *out,
			     struct verrors *ve)
{
	size_t nl = name ? strlen(name) : 0;
	if (nl < 1 || nl > 100)
		verr_add(ve, "name", "length", "令牌名称为 1 到 100 个字节",
			 "the token name is 1 to 100 bytes");
	if (days < 1 || days > TOKEN_MAX_DAYS)
		verr_addf(ve, "expires_in_days", "range", "有效期为 1 到 %d 天",
			  "expires_in_days must be 1..%d", TOKEN_MAX_DAYS);
	if (ve->n)
		return TP_ERR_INVALID;
	char hash[65], prefix[7];
	token_random(token_out);
	token_hash(token_out, hash);
	memcpy(prefix, token_out, 6);
	prefix[6] = '\0';
	memset(out, 0, sizeof(*out));
	out->user_id = ai->user.id;
	out->name = name;
	out->token_hash = hash;
	out->created_at = now;
	out->expires_at = now + (int64_t)days * 86400;
	out->prefix = prefix;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(token_insert, st, out);
	if (rc == TP_OK) {
		char oid[24];
		id_str(out->id, oid);
		rc = audit_append(st, &ai->actor, "token.create", "api_token", oid, "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	out->token_hash = NULL;
	out->prefix = NULL;
	return rc;
}

enum tp_rc auth_token_revoke(struct store *st, const struct auth_info *ai, int64_t id)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(token_revoke, st, ai->user.id, id); /* another's token: NOT_FOUND */
	if (rc == TP_OK) {
		char oid[24];
		id_str(id, oid);
		rc = audit_append(st, &ai->actor, "token.revoke", "api_token", oid, "ok", "", NULL, 0);
	}
	return store_end(st, rc);
}
