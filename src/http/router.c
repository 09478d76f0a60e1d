#include "http/router.h"

#include <string.h>

#include "core/arena.h"

/* Matches one pattern against path; on success stores params. Segments are compared
 * whole; a {param} segment matches any non-empty segment. */
static int match_pattern(struct request *rq, const char *pat, const char *path, int store)
{
	size_t np = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		const char *pe = strchr(pat, '/');
		const char *se = strchr(path, '/');
		size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
		size_t sl = se ? (size_t)(se - path) : strlen(path);
		if (pl > 1 && pat[0] == '{') {
			if (sl == 0 || np >= ROUTE_MAX_PARAMS)
				return 0;
			if (store) {
				rq->params[np] = arena_strndup(rq->arena, path, sl);
				if (!rq->params[np])
					return 0;
			}
			np++;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return 0;
		}
		pat += pl;
		path += sl;
	}
	if (*pat || *path)
		return 0;
	if (store)
		rq->nparams = np;
	return 1;
}

enum route_match router_match(struct request *rq, const char *method, const char *path,
			      const struct route **out, char *allow, size_t allowlen)
{
	int path_seen = 0;
	size_t used = 0;
	if (allowlen)
		allow[0] = '\0';
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		if (!match_pattern(rq, r->pattern, path, 0))
			continue;
		if (strcmp(r->method, method) == 0) {
			if (!match_pattern(rq, r->pattern, path, 1))
				return ROUTE_NO_PATH;
			*out = r;
			return ROUTE_FOUND;
		}
		path_seen = 1;
		size_t ml = strlen(r->method);
		if (strstr(allow, r->method) == NULL && used + ml + 3 < allowlen) {
			if (used) {
				memcpy(allow + used, ", ", 2);
				used += 2;
			}
			memcpy(allow + used, r->method, ml + 1);
			used += ml;
		}
	}
	return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}
