/*
 * notices.c — /api/v1/notices: the caller's own notices (a talent's or an employer's,
 * domain/notices.h), the unread count the top bar shows, and marking them read.
 */
#include <string.h>

#include "api/api.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/notices.h"

/* ?unread=1|true lists only the unread notices; 0|false or nothing lists all.  -1 after
 * answering 422 for another value. */
static int unread_only(struct request *rq, struct response *rs)
{
	const char *u = req_query(rq, "unread");
	if (!u || strcmp(u, "0") == 0 || strcmp(u, "false") == 0)
		return 0;
	if (strcmp(u, "1") == 0 || strcmp(u, "true") == 0)
		return 1;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	verr_add(&ve, "unread", "type_boolean", "unread 应为 1、0、true 或 false",
		 "unread must be 1, 0, true or false");
	resp_invalid(rq, rs, &ve);
	return -1;
}

void api_notices_list(struct request *rq, struct response *rs)
{
	int only = unread_only(rq, rs);
	if (only < 0)
		return;
	struct notice *items;
	size_t n;
	int64_t unread;
	enum tp_rc rc = notices_page(rq->store, &rq->actor, only, rq->arena, &items, &n, &unread);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_obj_begin(&w);
		jw_kint(&w, "id", items[i].id);
		jw_kstr(&w, "kind", items[i].kind);
		jw_kint_opt(&w, "entitlement_id", items[i].entitlement_id, 0);
		jw_kstr(&w, "policy", items[i].policy);
		jw_kstr(&w, "period", items[i].period_key);
		jw_kint(&w, "amount_fen", items[i].amount_fen);
		jw_kstr(&w, "text", rq->lang == LANG_EN ? items[i].text_en : items[i].text_zh);
		jw_kstr(&w, "text_zh", items[i].text_zh);
		jw_kstr(&w, "text_en", items[i].text_en);
		jw_kstr(&w, "created_at", items[i].created_at);
		jw_kstr(&w, "read_at", items[i].read_at);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kint(&w, "unread", unread);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

/* The mark routes take an empty object: 422 (answered) for any field, -1. */
static int empty_body(struct request *rq, struct response *rs)
{
	static const char *const none[] = {NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	jsonx_no_unknown(rq->json, none, &ve);
	if (!ve.n)
		return 0;
	resp_invalid(rq, rs, &ve);
	return -1;
}

void api_notices_read(struct request *rq, struct response *rs)
{
	int64_t id, unread = 0;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	if (empty_body(rq, rs) != 0)
		return;
	enum tp_rc rc = notice_mark_read(rq->store, &rq->actor, id, &unread);
	if (rc == TP_ERR_NOT_FOUND) {
		api_hidden(rq, rs, "notice", id); /* none, or someone else's: the same 404 */
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", id);
	jw_kbool(&w, "read", 1);
	jw_kint(&w, "unread", unread);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_notices_read_all(struct request *rq, struct response *rs)
{
	int64_t n = 0;
	if (empty_body(rq, rs) != 0)
		return;
	enum tp_rc rc = notices_mark_all_read(rq->store, &rq->actor, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "marked", n);
	jw_kint(&w, "unread", 0);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
