/*
 * auth.c — authentication, route-level authorization and CSRF (see auth.h).
 */
#include "http/auth.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "domain/accounts.h"
#include "domain/audit.h"

/* ---- per-address token bucket ---- */

#define RL_SLOTS 4096
#define RL_BURST 30.0
#define RL_PER_SEC 0.5
#define RL_CALC_BURST 60.0 /* the public calculator: a page of tries, then two a second */
#define RL_CALC_PER_SEC 2.0

struct bucket {
	uint64_t key;
	double tokens;
	double at;
};
/* logins and registrations; and the audit records of anonymous refusals, so that an
 * anonymous flood cannot fill the audit log (nor hold its write lock) */
static struct bucket rl_logins[RL_SLOTS], rl_denials[RL_SLOTS];
static struct bucket rl_calc[RL_SLOTS]; /* POST /api/v1/calculator */
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

static int bucket_take_rate(struct bucket *b, const char *ip, double burst, double per_sec)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	uint64_t key = hash_str(ip ? ip : "") | 1;
	size_t i = key % RL_SLOTS;
	int wait = 0;
	pthread_mutex_lock(&rl_lock);
	if (b[i].key != key) { /* a new address (or a colliding one) starts full */
		b[i].key = key;
		b[i].tokens = burst;
		b[i].at = now;
	}
	b[i].tokens += (now - b[i].at) * per_sec;
	if (b[i].tokens > burst)
		b[i].tokens = burst;
	b[i].at = now;
	if (b[i].tokens >= 1.0)
		b[i].tokens -= 1.0;
	else
		wait = (int)((1.0 - b[i].tokens) / per_sec) + 1;
	pthread_mutex_unlock(&rl_lock);
	return wait;
}

static int bucket_take(struct bucket *b, const char *ip)
{
	return bucket_take_rate(b, ip, RL_BURST, RL_PER_SEC);
}

const char *http_cookie_name(const struct request *rq)
{
	return rq->secure_cookies ? "__Host-sid" : "sid";
}

/* The value of cookie `name` in a Cookie header, copied into the arena. */
static const char *cookie_value(struct request *rq, const char *name)
{
	const char *h = req_header(rq, "Cookie");
	size_t nl = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		const char *end = strchr(h, ';');
		size_t len = end ? (size_t)(end - h) : strlen(h);
		if (len > nl && strncmp(h, name, nl) == 0 && h[nl] == '=')
			return arena_strndup(rq->arena, h + nl + 1, len - nl - 1);
		h = end;
	}
	return NULL;
}

static int token_shape_ok(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n != 43)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Origin "scheme://host[:port]" names the Host this request was sent to, over the scheme
 * it arrived by (https behind the TLS proxy, http on plain loopback). */
static int origin_same(struct request *rq, const char *origin)
{
	const char *host = req_header(rq, "Host");
	const char *scheme = rq->secure_cookies ? "https://" : "http://";
	size_t sl = strlen(scheme);
	if (!host || strncasecmp(origin, scheme, sl) != 0)
		return 0;
	return strcasecmp(origin + sl, host) == 0;
}

static void deny(struct request *rq, struct response *rs, unsigned status, const char *code,
		 const char *zh, const char *en, const char *reason)
{
	/* an anonymous caller's refusals are audited up to the per-address rate (then only
	 * counted in the server log), a known account's always */
	int audit = rq->store && (rq->actor.user_id || bucket_take(rl_denials, rq->actor.ip) == 0);
	if (status == 403 && !audit)
		tp_log(LOG_WARN, "refusal not audited (anonymous rate)",
		       json_pack("{s:s}", "code", code));
	if (status == 403 && audit) {
		char obj[160];
		snprintf(obj, sizeof obj, "%s %s", rq->method, rq->path);
		(void)audit_append(rq->store, &rq->actor, "access.denied", "route", obj, "denied",
				   reason, NULL, 0);
	}
	resp_problem(rq, rs, status, code, zh, en, NULL);
	if (status == 401)
		resp_header(rs, "WWW-Authenticate", "Bearer");
}

int http_authorize(struct request *rq, struct response *rs, const struct route *r)
{
	memset(&rq->actor, 0, sizeof rq->actor);
	rq->actor.username = "";
	rq->actor.ip = rq->ip ? rq->ip : "";
	rq->auth = NULL;
	rq->cookie_auth = 0;
	int64_t now = tp_now();
	const char *authz = req_header(rq, "Authorization");
	const char *origin = req_header(rq, "Origin");
	int unsafe = !is_safe_method(rq->method);

	/* a cross-site unsafe request is refused whoever sends it (login CSRF too) */
	if (unsafe && origin && !origin_same(rq, origin)) {
		deny(rq, rs, 403, "csrf_origin", "跨站请求被拒绝（Origin 与本站不符）",
		     "cross-site request refused (Origin is not this site)", "cross-site origin");
		return -1;
	}

	struct auth_info *ai = arena_alloc(rq->arena, sizeof(*ai));
	if (!ai) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return -1;
	}
	enum tp_rc rc = TP_ERR_NOT_FOUND;
	int presented = 0;
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		presented = 1;
		const char *tok = authz + 7;
		if (token_shape_ok(tok))
			rc = auth_bearer(rq->store, rq->arena, tok, rq->actor.ip, now, ai);
	} else {
		const char *tok = cookie_value(rq, http_cookie_name(rq));
		if (tok) {
			presented = 1;
			if (token_shape_ok(tok))
				rc = auth_session(rq->store, rq->arena, tok, rq->actor.ip, now, ai);
			if (rc == TP_OK)
				rq->cookie_auth = 1;
		}
	}
	if (rc == TP_OK) {
		rq->auth = ai;
		rq->actor = ai->actor;
	} else if (rc != TP_ERR_NOT_FOUND) {
		resp_rc(rq, rs, rc);
		return -1;
	}

	if (r->roles != ROUTE_PUBLIC) {
		if (!rq->auth) {
			if (presented)
				deny(rq, rs, 401, "session_expired", "会话已过期或无效，请重新登录",
				     "the session has expired or is not valid; log in again", "");
			else
				deny(rq, rs, 401, "unauthenticated", "请先登录", "log in first", "");
			return -1;
		}
		if (!(r->roles & (unsigned)rq->actor.role)) {
			deny(rq, rs, 403, "forbidden", "您的角色无权使用此功能",
			     "your role may not use this endpoint", "role");
			return -1;
		}
		if (ai->restricted && strncmp(r->pattern, "/api/v1/session", 15) != 0) {
			if (ai->must_change)
				deny(rq, rs, 403, "password_change_required", "请先修改密码",
				     "change your password first", "password change required");
			else
				deny(rq, rs, 403, "mfa_enrolment_required",
				     "您的角色须启用动态口令（TOTP），请先完成绑定",
				     "your role must use a one-time-code app (TOTP); enrol first",
				     "mfa enrolment required");
			return -1;
		}
	}

	/* a public route (log in, register) acts on no session: its CSRF defence is the
	 * Origin check above, so a browser holding an old cookie can still log in */
	if (unsafe && rq->cookie_auth && r->roles != ROUTE_PUBLIC) {
		const char *csrf = req_header(rq, "X-CSRF-Token");
		if (!origin) {
			deny(rq, rs, 403, "csrf_origin", "缺少 Origin 请求头",
			     "the Origin header is missing", "no origin");
			return -1;
		}
		if (!csrf || !ai->csrf_token || strlen(csrf) != strlen(ai->csrf_token) ||
		    sodium_memcmp(csrf, ai->csrf_token, strlen(csrf)) != 0) {
			deny(rq, rs, 403, "csrf_token", "缺少或错误的 X-CSRF-Token",
			     "the X-CSRF-Token header is missing or wrong", "csrf token");
			return -1;
		}
	}
	return 0;
}

int http_ratelimit(const char *ip)
{
	return bucket_take(rl_logins, ip);
}

int http_ratelimit_calc(const char *ip)
{
	return bucket_take_rate(rl_calc, ip, RL_CALC_BURST, RL_CALC_PER_SEC);
}
