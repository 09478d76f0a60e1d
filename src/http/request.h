/*
 * request.h — what a handler sees (struct request) and fills in (struct response).
 *
 * One handler shape for every route:  void api_x(struct request *, struct response *).
 * Everything a handler allocates comes from rq->arena and is freed when the
 * request completes.  Handlers set the response through the resp_* helpers.
 */
#ifndef TP_HTTP_REQUEST_H
#define TP_HTTP_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"
#include "domain/actor.h"

struct arena;
struct store;
struct MHD_Connection;
struct auth_info;

enum lang { LANG_ZH = 0, LANG_EN = 1 };

#define ROUTE_MAX_PARAMS 4

struct request {
	struct arena *arena;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const char *params[ROUTE_MAX_PARAMS]; /* the {name} parts of the route, in order */
	size_t nparams;
	const char *content_type;             /* NULL when absent */
	const char *body;                     /* NUL-terminated; NULL when none */
	size_t body_len;
	json_t *json;                         /* parsed body for JSON routes (borrowed) */
	const char *request_id;
	enum lang lang;                       /* from Accept-Language */
	struct store *store;                  /* this worker thread's store connection */
	const char *ip;                       /* client address */
	struct actor actor;                   /* the caller; role ROLE_NONE when anonymous */
	struct auth_info *auth;               /* the caller's account and session, or NULL */
	int cookie_auth;                      /* authenticated by the session cookie */
	int secure_cookies;                   /* __Host-sid with Secure (not plain http on loopback) */
};

struct response {
	unsigned status;
	const char *content_type;
	char *body;            /* malloc'd, freed by the server after sending */
	size_t body_len;
	const char *headers[8][2];
	size_t nheaders;
};

/* Sends a JSON document (takes ownership of doc) with the given status. */
void resp_json(struct response *rs, unsigned status, json_t *doc);

struct jw;

/* Sends the JSON document written into w (finishing it; 500 if it failed). */
void resp_jw(struct response *rs, unsigned status, struct jw *w);

/* Sends raw bytes (copied) with a content type. */
void resp_bytes(struct response *rs, unsigned status, const char *content_type, const void *buf,
		size_t len);

/* Adds a response header; both strings must outlive the request (arena or static). */
void resp_header(struct response *rs, const char *name, const char *value);

/*
 * Sends an RFC 9457 application/problem+json: {"type","title","status","code","detail",
 * "request_id", "errors":[{"field","code","detail"}]}.  detail is chosen by rq->lang.
 * ve may be NULL.
 */
void resp_problem(struct request *rq, struct response *rs, unsigned status, const char *code,
		  const char *zh, const char *en, const struct verrors *ve);

/* 422 validation_failed with the collected field errors. */
void resp_invalid(struct request *rq, struct response *rs, const struct verrors *ve);

/* Maps a store/domain result to a problem (404 not_found, 409 conflict, 500 internal ...). */
void resp_rc(struct request *rq, struct response *rs, enum tp_rc rc);

/*
 * Answers a failed domain call that collected its reasons in ve (ve may be NULL): TP_ERR_INVALID
 * → 422 validation_failed with the field errors (if any); TP_ERR_CONFLICT with a reason → 409 whose code
 * and detail are the first reason's; anything else → resp_rc.  rc must not be TP_OK.
 */
void resp_fail(struct request *rq, struct response *rs, enum tp_rc rc, const struct verrors *ve);

/* A query-string argument, or NULL when absent. */
const char *req_query(struct request *rq, const char *name);

/* A request header, or NULL when absent. */
const char *req_header(struct request *rq, const char *name);

/*
 * Parses a path parameter or query value as a positive 64-bit id.
 * Returns 0 and sets *out, or -1 when it is not a decimal in 1..2^63-1.
 */
int req_parse_id(const char *s, int64_t *out);

#endif
