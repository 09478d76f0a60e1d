/*
 * session.c — /api/v1/session (log in, who am I, log out, change password, TOTP)
 * and /api/v1/tokens (the caller's own API tokens).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "core/totp.h"
#include "domain/accounts.h"
#include "http/auth.h"
#include "store/store.h"

void api_time(int64_t t, char out[24])
{
	if (t <= 0) {
		out[0] = '\0';
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void api_user_write(struct jw *w, const struct user *u, int64_t now)
{
	char t[24];
	jw_obj_begin(w);
	jw_kint(w, "id", u->id);
	jw_kint(w, "version", u->version);
	jw_kstr(w, "username", u->username);
	jw_kstr(w, "display_name", u->display_name);
	jw_kstr(w, "role", role_name(u->role));
	jw_kint_opt(w, "talent_id", u->talent_id, 0);
	jw_kint_opt(w, "enterprise_id", u->enterprise_id, 0);
	jw_key(w, "towns");
	jw_arr_begin(w);
	for (int i = 0; i < u->ntowns; i++)
		jw_str(w, u->towns[i]);
	jw_arr_end(w);
	jw_kstr(w, "department", u->department);
	jw_kbool(w, "unmask", u->unmask);
	jw_kbool(w, "disabled", u->disabled);
	jw_kbool(w, "must_change_password", u->must_change);
	jw_kbool(w, "totp_enabled", u->totp_enabled);
	jw_kbool(w, "locked", u->locked_until > now);
	api_time(u->last_login_at, t);
	jw_kstr(w, "last_login_at", t[0] ? t : NULL);
	jw_kstr(w, "created_at", u->created_at);
	jw_obj_end(w);
}

/* Set-Cookie for a new session (or an expired one when token is NULL). */
static void set_cookie(struct request *rq, struct response *rs, const char *token)
{
	const char *c = arena_printf(
		rq->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", http_cookie_name(rq),
		token ? token : "", rq->secure_cookies ? "; Secure" : "",
		token ? "" : "; Max-Age=0");
	if (c)
		resp_header(rs, "Set-Cookie", c);
}

static void session_answer(struct request *rq, struct response *rs, unsigned status,
			   const struct login_result *lr, int64_t now)
{
	struct jw w;
	jw_init(&w);
	char t[24];
	jw_obj_begin(&w);
	jw_key(&w, "user");
	api_user_write(&w, &lr->user, now);
	jw_kstr(&w, "csrf_token", lr->csrf);
	api_time(lr->expires_at, t);
	jw_kstr(&w, "expires_at", t);
	jw_kbool(&w, "restricted", lr->restricted);
	jw_obj_end(&w);
	set_cookie(rq, rs, lr->token);
	resp_jw(rs, status, &w);
}

static void retry_after(struct request *rq, struct response *rs, int64_t secs)
{
	const char *v = arena_printf(rq->arena, "%lld", (long long)(secs > 0 ? secs : 1));
	if (v)
		resp_header(rs, "Retry-After", v);
}

/* Answers a login outcome other than LOGIN_OK; returns 1 when it did. */
static int login_refusal(struct request *rq, struct response *rs, const struct login_result *lr)
{
	switch (lr->outcome) {
	case LOGIN_OK:
		return 0;
	case LOGIN_THROTTLED:
		resp_problem(rq, rs, 429, "login_throttled", "登录失败次数过多，请稍后再试",
			     "too many failed logins; wait before trying again", NULL);
		retry_after(rq, rs, lr->retry_after);
		return 1;
	case LOGIN_LOCKED:
		resp_problem(rq, rs, 429, "account_locked", "账号因多次登录失败已锁定 15 分钟",
			     "the account is locked for 15 minutes after repeated failures", NULL);
		retry_after(rq, rs, lr->retry_after);
		return 1;
	case LOGIN_MFA_NEEDED:
		resp_problem(rq, rs, 401, "mfa_required", "请输入动态口令（totp）",
			     "enter the one-time code (totp)", NULL);
		return 1;
	case LOGIN_MFA_INVALID:
		resp_problem(rq, rs, 401, "mfa_invalid", "动态口令错误", "the one-time code is wrong",
			     NULL);
		return 1;
	case LOGIN_INVALID:
	default:
		resp_problem(rq, rs, 401, "invalid_credentials", "用户名或密码错误",
			     "wrong username or password", NULL);
		return 1;
	}
}

void api_session_login(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"username", "password", "totp", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_rate_limited(rq, rs))
		return;
	const char *user = NULL, *pw = NULL, *code = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "username", USERNAME_MAX, 1, &ve, &user);
	api_password_field(rq->json, "password", 1, &ve, &pw);
	jsonx_str(rq->json, "totp", 8, 0, &ve, &code);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t now = tp_now();
	struct login_result lr;
	enum tp_rc rc = auth_login(rq->store, rq->arena, user, pw, code, rq->ip, now, &lr);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (login_refusal(rq, rs, &lr))
		return;
	/* session fixation: whatever session this client had ends here */
	if (rq->auth && rq->auth->token_hash)
		(void)STORE_CALL(session_revoke, rq->store, rq->auth->token_hash);
	session_answer(rq, rs, 201, &lr, now);
}

void api_session_get(struct request *rq, struct response *rs)
{
	const struct auth_info *ai = rq->auth;
	struct jw w;
	jw_init(&w);
	char t[24];
	jw_obj_begin(&w);
	jw_key(&w, "user");
	api_user_write(&w, &ai->user, tp_now());
	jw_kstr(&w, "csrf_token", ai->csrf_token);
	api_time(ai->expires_at, t);
	jw_kstr(&w, "expires_at", t);
	jw_kbool(&w, "restricted", ai->restricted);
	jw_kbool(&w, "must_change_password", ai->must_change);
	jw_kbool(&w, "mfa_enrolment_required", ai->mfa_setup);
	jw_kstr(&w, "auth", rq->cookie_auth ? "cookie" : "bearer");
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_session_logout(struct request *rq, struct response *rs)
{
	enum tp_rc rc = auth_logout(rq->store, rq->auth);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
		resp_rc(rq, rs, rc);
		return;
	}
	set_cookie(rq, rs, NULL);
	resp_bytes(rs, 204, NULL, "", 0);
}

void api_session_password(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"current_password", "new_password", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *cur = NULL, *next = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	api_password_field(rq->json, "current_password", 1, &ve, &cur);
	api_password_field(rq->json, "new_password", 1, &ve, &next);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int64_t now = tp_now();
	struct login_result lr;
	enum tp_rc rc =
		auth_change_password(rq->store, rq->arena, rq->auth, cur, next, now, &lr, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	if (lr.outcome == LOGIN_INVALID) {
		resp_problem(rq, rs, 403, "wrong_password", "当前密码错误",
			     "the current password is wrong", NULL);
		return;
	}
	if (login_refusal(rq, rs, &lr))
		return;
	session_answer(rq, rs, 200, &lr, now);
}

void api_session_totp_begin(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, fields, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char secret[40];
	enum tp_rc rc = auth_totp_begin(rq->store, rq->auth, secret);
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "totp_already_enabled", "动态口令已启用；如需更换请联系管理员重置",
			     "TOTP is already enabled; ask an administrator to reset it", NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	const char *uri = arena_printf(rq->arena,
				       "otpauth://totp/TalentPort:%s?secret=%s&issuer=TalentPort"
				       "&algorithm=SHA1&digits=6&period=30",
				       rq->auth->user.username, secret);
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "secret", secret);
	jw_kstr(&w, "otpauth_uri", uri);
	jw_obj_end(&w);
	resp_jw(rs, 201, &w);
}

void api_session_totp_confirm(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"code", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *code = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "code", 8, 1, &ve, &code);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = auth_totp_confirm(rq->store, rq->auth, code, tp_now());
	if (rc == TP_ERR_INVALID) {
		verr_add(&ve, "code", "totp_invalid", "动态口令错误", "the code is wrong");
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_NOT_FOUND) {
		resp_problem(rq, rs, 409, "totp_not_started", "请先开始绑定动态口令",
			     "start TOTP enrolment first", NULL);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "totp_already_enabled", "动态口令已启用",
			     "TOTP is already enabled", NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 204, NULL, "", 0);
}

static void token_write(struct jw *w, const struct api_token *t)
{
	char c[24], e[24], u[24];
	api_time(t->created_at, c);
	api_time(t->expires_at, e);
	api_time(t->last_used_at, u);
	jw_obj_begin(w);
	jw_kint(w, "id", t->id);
	jw_kstr(w, "name", t->name);
	jw_kstr(w, "prefix", t->prefix);
	jw_kstr(w, "created_at", c);
	jw_kstr(w, "expires_at", e);
	jw_kstr(w, "last_used_at", u[0] ? u : NULL);
	jw_obj_end(w);
}

void api_tokens_list(struct request *rq, struct response *rs)
{
	struct api_token *items;
	size_t n;
	enum tp_rc rc = STORE_CALL(token_list, rq->store, rq->auth->user.id, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		token_write(&w, &items[i]);
	api_items_send(rs, &w, 0, 0, 0);
}

void api_tokens_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"name", "expires_in_days", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *name = NULL;
	int64_t days = 90;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "name", 100, 1, &ve, &name);
	jsonx_int(rq->json, "expires_in_days", 1, TOKEN_MAX_DAYS, 0, &ve, &days);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char token[44];
	struct api_token t;
	int64_t now = tp_now();
	enum tp_rc rc =
		auth_token_create(rq->store, rq->auth, name, (int)days, now, token, &t, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	char prefix[7];
	memcpy(prefix, token, 6);
	prefix[6] = '\0';
	t.prefix = prefix;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "item");
	token_write(&w, &t);
	jw_kstr(&w, "token", token); /* shown once; only its hash is kept */
	jw_obj_end(&w);
	resp_jw(rs, 201, &w);
}

void api_tokens_revoke(struct request *rq, struct response *rs)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	enum tp_rc rc = auth_token_revoke(rq->store, rq->auth, id);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 204, NULL, "", 0);
}
