/*
 * static.h — serves the built web UI (web/dist) for GET requests outside /api/.
 */
#ifndef TP_HTTP_STATIC_H
#define TP_HTTP_STATIC_H

#include "http/request.h"

/*
 * Serves the file under root named by rq->path: hashed assets (/assets/…) with a
 * year-long immutable cache, anything else that is not a file gets index.html
 * (the single-page app decides).  Paths with "..", NUL or backslashes are refused.
 * Without a built UI (root NULL or no index.html) "/" answers a small page that
 * points to the API.
 */
void static_serve(struct request *rq, struct response *rs, const char *root);

#endif
