/*
 * api.h — every route handler, one file per resource under src/api/.
 * The route table (src/http/routes.c) is the only caller.
 */
#ifndef TP_API_H
#define TP_API_H

#include "domain/registry.h"
#include "http/request.h"

void api_health(struct request *rq, struct response *rs);

void api_reference_get(struct request *rq, struct response *rs);
void api_industries_create(struct request *rq, struct response *rs);
void api_industries_patch(struct request *rq, struct response *rs);

void api_talents_list(struct request *rq, struct response *rs);
void api_talents_create(struct request *rq, struct response *rs);
void api_talents_get(struct request *rq, struct response *rs);
void api_talents_patch(struct request *rq, struct response *rs);
void api_talent_employments_list(struct request *rq, struct response *rs);
void api_talent_employments_create(struct request *rq, struct response *rs);
void api_talent_employments_patch(struct request *rq, struct response *rs);

void api_enterprises_list(struct request *rq, struct response *rs);
void api_enterprises_create(struct request *rq, struct response *rs);
void api_enterprises_get(struct request *rq, struct response *rs);
void api_enterprises_patch(struct request *rq, struct response *rs);

void api_imports_talents(struct request *rq, struct response *rs);
void api_imports_get(struct request *rq, struct response *rs);
void api_imports_report(struct request *rq, struct response *rs);
void api_exports_talents(struct request *rq, struct response *rs);
void api_exports_template(struct request *rq, struct response *rs);

/* Shared by list handlers: reads ?page=&per_page= and the registry filters into q.
 * Returns 0, or -1 after adding field errors to ve. */
int api_read_query(struct request *rq, struct registry_query *q, struct verrors *ve);

struct jw;

/*
 * PATCH's optimistic lock: when the body has "version" and it is not the stored one,
 * answers 409 stale_version and returns -1; a non-integer version is a field error in
 * ve.  Removes "version" from the body so the field readers do not see it.
 */
int api_check_version(struct request *rq, struct response *rs, int64_t current,
		      struct verrors *ve);

/* 409 stale_version: the record changed since the caller read it. */
void api_stale(struct request *rq, struct response *rs, const struct verrors *ve);

/* JSON renderings shared by several handlers (masked personal data).  The talent
 * renderer is on the hot path and writes straight into a struct jw. */
void api_talent_write(struct jw *w, const struct talent *t, int detail);
void api_employment_write(struct jw *w, const struct employment *m);
json_t *api_enterprise_json(const struct enterprise *e);

#endif
