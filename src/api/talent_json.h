/*
 * talent_json.h — a talent to and from JSON (src/api/talent_json.c); used by the
 * talent handlers.  Rendering is api_talent_json() in api.h.
 */
#ifndef TP_API_TALENT_JSON_H
#define TP_API_TALENT_JSON_H

#include <jansson.h>

#include "domain/registry.h"

/* An empty talent: every optional fact "not recorded". */
void talent_blank(struct talent *t);

/*
 * Applies the members present in body to t (create: t starts blank and name and
 * id_number are required; patch: t is the stored record and absent members keep
 * their values, null clears).  Each broken rule is a field error in ve.  Strings
 * are arena copies.
 */
void talent_from_json(json_t *body, struct talent *t, struct arena *a, struct verrors *ve,
		      int create);

#endif
