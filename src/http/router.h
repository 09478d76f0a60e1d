/*
 * router.h — the single route table and its matcher.
 *
 * Every route of the API is one line of routes[] in routes.c: method, path
 * pattern with {params}, handler, body cap and what the body must be.  The
 * server matches, checks the body against the route before the handler runs.
 */
#ifndef TP_HTTP_ROUTER_H
#define TP_HTTP_ROUTER_H

#include <stddef.h>

#include "http/request.h"

typedef void (*route_handler)(struct request *rq, struct response *rs);

enum body_kind {
	BODY_NONE = 0, /* no body expected (GET/DELETE) */
	BODY_JSON,     /* application/json, parsed into rq->json (an object) */
	BODY_RAW,      /* any content type the handler checks itself (file uploads) */
};

/* Who may call a route: a set of enum role bits (domain/actor.h), or ROUTE_PUBLIC for
 * anyone, logged in or not.  0 (no one) is what a forgotten column gives: fail closed. */
#define ROUTE_PUBLIC 0x80000000u

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/talents/{id}" */
	unsigned roles;      /* ROLE_* bits allowed, or ROUTE_PUBLIC */
	route_handler handler;
	enum body_kind body;
	size_t body_max;     /* bytes; 0 means the default JSON cap */
	const char *summary; /* one line, also in docs/openapi.yaml */
	/* 1: the route takes an Idempotency-Key (http/idempotency.h) — every POST that
	 * creates or moves money.  Last, so lines that leave it out mean 0. */
	int idempotent;
};

extern const struct route routes[];
extern const size_t routes_count;

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/*
 * Finds the route for method + path.  On ROUTE_FOUND sets *out and copies the
 * {param} values into rq->params (arena strings).  On ROUTE_NO_METHOD writes the
 * allowed methods ("GET, PATCH") into allow.
 */
enum route_match router_match(struct request *rq, const char *method, const char *path,
			      const struct route **out, char *allow, size_t allowlen);

#endif
