#include "api/api.h"
#include "core/version.h"
#include "store/store.h"

/* GET /api/v1/health — liveness and which database backs this server. */
void api_health(struct request *rq, struct response *rs)
{
	resp_json(rs, 200, json_pack("{s:s,s:s,s:s}", "status", "ok", "version", TP_VERSION,
				     "database", store_backend(rq->store)));
}
