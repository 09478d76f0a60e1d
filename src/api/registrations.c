/*
 * registrations.c — /api/v1/registrations: talents and employers ask for an
 * account (public); office and town reviewers approve or reject.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/accounts.h"
#include "store/store.h"

static void registration_write(struct jw *w, const struct registration *r)
{
	jw_obj_begin(w);
	jw_kint(w, "id", r->id);
	jw_kint(w, "version", r->version);
	jw_kstr(w, "kind", r->kind);
	jw_kstr(w, "username", r->username);
	jw_kstr(w, "name", r->display_name);
	jw_kstr(w, "status", r->status);
	jw_kbool(w, "matched", r->talent_id || r->enterprise_id);
	jw_kint_opt(w, "talent_id", r->talent_id, 0);
	jw_kint_opt(w, "enterprise_id", r->enterprise_id, 0);
	jw_kstr(w, "town", r->matched_town);
	jw_kstr(w, "reason", r->reason && *r->reason ? r->reason : NULL);
	jw_kint_opt(w, "user_id", r->user_id, 0);
	jw_kstr(w, "decided_at", r->decided_at);
	jw_kstr(w, "created_at", r->created_at);
	jw_obj_end(w);
}

void api_registrations_submit(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"kind", "username", "password", "name", "id_number",
					     "credit_code", NULL};
	static const char *const KINDS[] = {"talent", "employer", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	if (api_rate_limited(rq, rs))
		return;
	struct registration r;
	memset(&r, 0, sizeof r);
	const char *pw = NULL, *idn = NULL, *code = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "kind", KINDS, 1, &ve, &r.kind);
	jsonx_str(rq->json, "username", USERNAME_MAX, 1, &ve, &r.username);
	api_password_field(rq->json, "password", 1, &ve, &pw);
	jsonx_str(rq->json, "name", 100, 1, &ve, &r.display_name);
	jsonx_str(rq->json, "id_number", 20, 0, &ve, &idn);
	jsonx_str(rq->json, "credit_code", 20, 0, &ve, &code);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = registration_submit(rq->store, rq->ip, &r, pw, idn, code, tp_now(), &ve);
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "username_taken", "用户名已被使用", "the username is taken",
			     &ve);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	/* the same answer whether or not a registry record matched */
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", r.id);
	jw_kstr(&w, "status", "pending");
	jw_kstr(&w, "detail", rq->lang == LANG_EN
				      ? "submitted; staff will confirm it against the registry"
				      : "已提交，工作人员核对档案后开通账号");
	jw_obj_end(&w);
	resp_jw(rs, 202, &w);
}

/* A town reviewer sees only registrations matched to their town (one without a town sees
 * none: "" matches no town). */
static const char *scope_town(const struct request *rq)
{
	if (rq->actor.role != ROLE_TOWN_REVIEWER)
		return NULL;
	return rq->actor.ntowns ? rq->actor.towns[0] : "";
}

void api_registrations_list(struct request *rq, struct response *rs)
{
	static const char *const STATUSES[] = {"pending", "approved", "rejected"};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query q;
	if (api_read_query(rq, &q, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	const char *status = req_query(rq, "status");
	if (status) {
		int ok = 0;
		for (int i = 0; i < 3; i++)
			ok |= strcmp(status, STATUSES[i]) == 0;
		if (!ok) {
			verr_add(&ve, "status", "enum", "状态应为 pending、approved 或 rejected",
				 "status must be pending, approved or rejected");
			resp_invalid(rq, rs, &ve);
			return;
		}
	}
	struct registration *items;
	size_t n;
	int64_t total;
	enum tp_rc rc = STORE_CALL(registration_list, rq->store, status, scope_town(rq), q.page,
				   q.per_page, rq->arena, &items, &n, &total);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		registration_write(&w, &items[i]);
	api_items_send(rs, &w, q.page, q.per_page, total);
}

static void decide(struct request *rq, struct response *rs, int approve)
{
	static const char *const fields[] = {"reason", "version", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t id, version = 0;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	const char *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", 500, !approve, &ve, &reason);
	jsonx_int(rq->json, "version", 1, INT64_MAX, 0, &ve, &version);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = registration_decide(rq->store, &rq->actor, id, approve, reason, version,
					    tp_now(), &ve);
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "registration_decided",
			     "该申请已处理或已被他人修改，请刷新",
			     "the registration was already decided or changed; reload", NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct registration r;
	rc = STORE_CALL(registration_get, rq->store, id, rq->arena, &r);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	registration_write(&w, &r);
	resp_jw(rs, 200, &w);
}

void api_registrations_approve(struct request *rq, struct response *rs)
{
	decide(rq, rs, 1);
}

void api_registrations_reject(struct request *rq, struct response *rs)
{
	decide(rq, rs, 0);
}
