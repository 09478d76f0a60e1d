/*
 * auth.h — who is calling, and may they call this route?
 *
 * Run by the server for every routed request before its handler:
 *   1. credentials: the session cookie (`__Host-sid`, or `sid` on plain-http
 *      loopback) or `Authorization: Bearer <API token>`;
 *   2. the route's role set (routes.c): anonymous → 401, wrong role → 403
 *      (audited as access.denied);
 *   3. a session that must change its password or enrol TOTP may only use
 *      /api/v1/session*;
 *   4. CSRF for cookie sessions on unsafe methods: `X-CSRF-Token` must equal the
 *      session's and `Origin` must be this host; any unsafe request whose Origin
 *      names another site is refused, logged in or not.
 */
#ifndef TP_HTTP_AUTH_H
#define TP_HTTP_AUTH_H

#include "http/request.h"
#include "http/router.h"

/* 0 to run the handler; -1 when rs already holds the refusal. */
int http_authorize(struct request *rq, struct response *rs, const struct route *r);

/* The session cookie's name for this request. */
const char *http_cookie_name(const struct request *rq);

/*
 * Per-client-address token bucket for login and registration (burst 30, then one
 * every 2 s).  Returns 0 when a token was taken, else the seconds to wait.
 */
int http_ratelimit(const char *ip);

/* The same for the public policy calculator, in a bucket of its own (burst 60, then
 * two a second), so that trying profiles does not use up the login attempts. */
int http_ratelimit_calc(const char *ip);

#endif
