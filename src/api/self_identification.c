/*
 * self_identification.c — enterprise self-identification (企业自主认定), issue 5 item 4:
 *   POST  /api/v1/self-identification/qualifications            office: qualify for a year
 *   GET   /api/v1/enterprises/{id}/self-identification?year=     office, the employer itself
 *   PATCH /api/v1/enterprises/{id}/self-identification/{year}/quotas   office: one quota
 *   GET   /api/v1/self-identifications                            office (all), employer (its own)
 *   POST  /api/v1/self-identifications                            employer: nominate
 *   GET   /api/v1/self-identifications/{id}                       office, employer, talent (own)
 *   POST  /api/v1/self-identifications/{id}/audit                 office: audit note
 *   POST  /api/v1/self-identifications/{id}/revoke                office: revoke with reason
 *   POST  /api/v1/self-identifications/{id}/withdraw              employer: before the audit
 *   GET   /api/v1/talents/{id}/self-identifications               the talent, their employer, office
 * Rules: domain/self_identification.h.  A nomination or enterprise the caller may not see is
 * 404 like a missing one (access.c), audited.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/self_identification.h"
#include "store/store.h"

/* ---- rendering ---- */

static json_t *standing_json(int64_t eid, int year, const struct selfid_standing *sd, int found)
{
	json_t *cats = json_array();
	for (int c = 0; c < 3; c++) {
		int64_t q = found ? sd->quota[c] : 0, u = found ? sd->used[c] : 0;
		json_array_append_new(cats, json_pack("{s:i,s:I,s:I,s:I}", "category", c + 1,
						      "quota", (json_int_t)q, "used", (json_int_t)u,
						      "remaining", (json_int_t)(q > u ? q - u : 0)));
	}
	return json_pack("{s:I,s:i,s:b,s:s?,s:s?,s:o}", "enterprise_id", (json_int_t)eid, "year",
			 year, "qualified", found && !sd->revoked, "qualified_by",
			 found ? sd->qualified_by : NULL, "qualified_at",
			 found ? sd->qualified_at : NULL, "categories", cats);
}

static json_t *nomination_json(const struct self_identification *n)
{
	json_t *o = json_pack("{s:I,s:I,s:s?,s:I,s:s?,s:i,s:i,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}",
			      "id", (json_int_t)n->id, "enterprise_id",
			      (json_int_t)n->enterprise_id, "enterprise_name", n->enterprise_name,
			      "talent_id", (json_int_t)n->talent_id, "talent_name", n->talent_name,
			      "year", n->year, "category", n->category, "justification",
			      n->justification, "from", n->from, "to", n->to, "status", n->status,
			      "nominated_by", n->nominated_by, "nominated_at", n->nominated_at);
	json_object_set_new(o, "audit", n->audited_at
		? json_pack("{s:s?,s:s?,s:s?}", "note", n->audit_note, "by", n->audited_by, "at",
			    n->audited_at)
		: json_null());
	json_object_set_new(o, "revocation", n->revoked_at
		? json_pack("{s:s?,s:s?,s:s?}", "reason", n->revoked_reason, "by", n->revoked_by,
			    "at", n->revoked_at)
		: json_null());
	json_object_set_new(o, "withdrawn_at",
			    n->withdrawn_at ? json_string(n->withdrawn_at) : json_null());
	return o;
}

/* ---- helpers ---- */

/* An integer query value in [min, max]; dflt when absent; adds an error when malformed. */
static int64_t query_int(struct request *rq, const char *name, int64_t min, int64_t max,
			 int64_t dflt, struct verrors *ve)
{
	const char *s = req_query(rq, name);
	if (!s)
		return dflt;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max) {
		verr_addf(ve, name, "out_of_range", "%s 应为 %lld 到 %lld 的整数",
			  "%s must be an integer in %lld..%lld", name, (long long)min,
			  (long long)max);
		return dflt;
	}
	return v;
}

static int this_year(void)
{
	char today[11];
	selfid_today(today);
	return (int)strtol(today, NULL, 10);
}

/* The enterprise of params[0], checked against the caller; -1 after answering. */
static int load_enterprise(struct request *rq, struct response *rs, struct enterprise *e)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(enterprise_get, rq->store, id, rq->arena, e);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!api_enterprise_visible(rq, e)) {
		api_hidden(rq, rs, "enterprise", id);
		return -1;
	}
	return 0;
}

/* May the caller see nomination n?  The office all; an employer its enterprise's; a talent
 * their own. */
static int nomination_visible(struct request *rq, const struct self_identification *n)
{
	const struct actor *a = &rq->actor;
	switch (a->role) {
	case ROLE_OFFICE_REVIEWER:
	case ROLE_SYSTEM:
		return 1;
	case ROLE_EMPLOYER:
		return a->enterprise_id && n->enterprise_id == a->enterprise_id;
	case ROLE_TALENT:
		return a->talent_id && n->talent_id == a->talent_id;
	default:
		return 0;
	}
}

static int load_nomination(struct request *rq, struct response *rs,
			   struct self_identification *n)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(selfid_get, rq->store, id, rq->arena, n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!nomination_visible(rq, n)) {
		api_hidden(rq, rs, "self_identification", id);
		return -1;
	}
	return 0;
}

/* A domain refusal: the first error's message as the problem's detail. */
static void refuse(struct request *rq, struct response *rs, unsigned status,
		   const struct verrors *ve)
{
	const struct verr *v = &ve->v[0];
	resp_problem(rq, rs, status, v->code, v->zh, v->en, ve);
}

static void answer_standing(struct request *rq, struct response *rs, unsigned status,
			    int64_t eid, int year)
{
	struct selfid_standing sd;
	enum tp_rc rc = STORE_CALL(selfid_standing_get, rq->store, eid, year, rq->arena, &sd);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_json(rs, status, standing_json(eid, year, &sd, rc == TP_OK));
}

static void answer_nomination(struct request *rq, struct response *rs, unsigned status,
			      int64_t id)
{
	struct self_identification n;
	enum tp_rc rc = STORE_CALL(selfid_get, rq->store, id, rq->arena, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (status == 201) {
		char *loc = arena_printf(rq->arena, "/api/v1/self-identifications/%lld", (long long)id);
		if (loc)
			resp_header(rs, "Location", loc);
	}
	resp_json(rs, status, nomination_json(&n));
}

/* ---- the office: qualification and quotas ---- */

void api_selfid_qualify(struct request *rq, struct response *rs)
{
	static const char *const FIELDS[] = {"enterprise_id", "year", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int64_t eid = 0, year = 0;
	jsonx_no_unknown(rq->json, FIELDS, &ve);
	jsonx_int(rq->json, "enterprise_id", 1, INT64_MAX, 1, &ve, &eid);
	jsonx_int(rq->json, "year", SELFID_YEAR_MIN, SELFID_YEAR_MAX, 1, &ve, &year);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct selfid_standing sd;
	enum tp_rc rc = selfid_qualify(rq->store, &rq->actor, eid, (int)year, rq->arena, &ve, &sd);
	if (rc == TP_ERR_NOT_FOUND) {
		verr_add(&ve, "enterprise_id", "unknown_enterprise", "没有该企业",
			 "no such enterprise");
		resp_invalid(rq, rs, &ve);
	} else if (rc == TP_ERR_INVALID) {
		refuse(rq, rs, 422, &ve);
	} else if (rc == TP_ERR_CONFLICT && ve.n) {
		refuse(rq, rs, 409, &ve);
	} else if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
	} else {
		resp_json(rs, 201, standing_json(eid, (int)year, &sd, 1));
	}
}

void api_selfid_standing(struct request *rq, struct response *rs)
{
	struct enterprise e;
	if (load_enterprise(rq, rs, &e) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	int year = (int)query_int(rq, "year", SELFID_YEAR_MIN, SELFID_YEAR_MAX, this_year(), &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	answer_standing(rq, rs, 200, e.id, year);
}

void api_selfid_quota_set(struct request *rq, struct response *rs)
{
	static const char *const FIELDS[] = {"category", "quota", NULL};
	struct enterprise e;
	if (load_enterprise(rq, rs, &e) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	char *end;
	long year = strtol(rq->params[1], &end, 10);
	if (*end || year < SELFID_YEAR_MIN || year > SELFID_YEAR_MAX) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	int64_t category = 0, quota = 0;
	jsonx_no_unknown(rq->json, FIELDS, &ve);
	jsonx_int(rq->json, "category", 1, 3, 1, &ve, &category);
	jsonx_int(rq->json, "quota", 0, 100000, 1, &ve, &quota);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = selfid_set_quota(rq->store, &rq->actor, e.id, (int)year, (int)category,
					 quota);
	if (rc == TP_ERR_NOT_FOUND) {
		verr_addf(&ve, "year", "not_qualified", "该企业 %ld 年度尚未取得自主认定资格",
			  "the enterprise is not qualified for %ld", year);
		refuse(rq, rs, 409, &ve);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	answer_standing(rq, rs, 200, e.id, (int)year);
}

/* ---- nominations ---- */

static void list(struct request *rq, struct response *rs, int64_t talent_id)
{
	static const char *const STATUSES[] = {"active", "withdrawn", "revoked", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query rqy;
	api_read_query(rq, &rqy, &ve);
	struct selfid_query q = {0};
	q.page = rqy.page;
	q.per_page = rqy.per_page;
	q.talent_id = talent_id;
	if (!talent_id)
		q.talent_id = query_int(rq, "talent_id", 1, INT64_MAX, 0, &ve);
	q.enterprise_id = query_int(rq, "enterprise_id", 1, INT64_MAX, 0, &ve);
	q.year = (int)query_int(rq, "year", SELFID_YEAR_MIN, SELFID_YEAR_MAX, 0, &ve);
	q.category = (int)query_int(rq, "category", 1, 3, 0, &ve);
	q.audited = -1;
	const char *s = req_query(rq, "status");
	if (s) {
		for (size_t i = 0; STATUSES[i]; i++)
			if (strcmp(s, STATUSES[i]) == 0)
				q.status = STATUSES[i];
		if (!q.status)
			verr_add(&ve, "status", "not_allowed", "状态应为 active、withdrawn 或 revoked",
				 "status must be active, withdrawn or revoked");
	}
	if ((s = req_query(rq, "audited"))) {
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
			q.audited = s[0] == 't';
		else
			verr_add(&ve, "audited", "type_boolean", "audited 应为 true 或 false",
				 "audited must be true or false");
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	int empty = 0;
	if (rq->actor.role == ROLE_EMPLOYER) {
		if (q.enterprise_id && q.enterprise_id != rq->actor.enterprise_id)
			empty = 1;
		q.enterprise_id = rq->actor.enterprise_id ? rq->actor.enterprise_id : -1;
	} else if (rq->actor.role == ROLE_TALENT) {
		if (q.talent_id != rq->actor.talent_id || !q.talent_id)
			empty = 1;
	}
	struct self_identification *items = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (!empty) {
		enum tp_rc rc = STORE_CALL(selfid_list, rq->store, &q, rq->arena, &items, &n, &total);
		if (rc != TP_OK) {
			resp_rc(rq, rs, rc);
			return;
		}
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, nomination_json(&items[i]));
	resp_json(rs, 200, json_pack("{s:o,s:i,s:i,s:I}", "items", arr, "page", q.page, "per_page",
				     q.per_page, "total", (json_int_t)total));
}

void api_selfid_list(struct request *rq, struct response *rs)
{
	list(rq, rs, 0);
}

void api_talent_selfid_list(struct request *rq, struct response *rs)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, id, rq->arena, &t);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (!api_talent_visible(rq, &t)) {
		api_hidden(rq, rs, "talent", id);
		return;
	}
	list(rq, rs, id);
}

void api_selfid_nominate(struct request *rq, struct response *rs)
{
	static const char *const FIELDS[] = {"talent_id", "year", "category", "justification",
					     "from", "to", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct self_identification n;
	memset(&n, 0, sizeof n);
	int64_t talent_id = 0, year = this_year(), category = 0;
	jsonx_no_unknown(rq->json, FIELDS, &ve);
	jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 1, &ve, &talent_id);
	jsonx_int(rq->json, "year", SELFID_YEAR_MIN, SELFID_YEAR_MAX, 0, &ve, &year);
	jsonx_int(rq->json, "category", 1, 3, 1, &ve, &category);
	jsonx_str(rq->json, "justification", SELFID_JUSTIFICATION_MAX, 1, &ve, &n.justification);
	jsonx_date(rq->json, "from", 0, &ve, &n.from);
	jsonx_date(rq->json, "to", 0, &ve, &n.to);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	/* the talent must be one the employer may see (its staff): else 404 as for none */
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, talent_id, rq->arena, &t);
	if (rc == TP_OK && !api_talent_visible(rq, &t)) {
		api_hidden(rq, rs, "talent", talent_id);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	n.enterprise_id = rq->actor.enterprise_id;
	n.talent_id = talent_id;
	n.year = (int)year;
	n.category = (int)category;
	rc = selfid_nominate(rq->store, &rq->actor, &n, &ve);
	if (rc == TP_ERR_UNSUPPORTED && ve.n)
		refuse(rq, rs, 403, &ve);
	else if (rc == TP_ERR_INVALID && ve.n)
		refuse(rq, rs, 422, &ve);
	else if (rc == TP_ERR_CONFLICT && ve.n)
		refuse(rq, rs, 409, &ve);
	else if (rc != TP_OK)
		resp_rc(rq, rs, rc);
	else
		answer_nomination(rq, rs, 201, n.id);
}

void api_selfid_get(struct request *rq, struct response *rs)
{
	struct self_identification n;
	if (load_nomination(rq, rs, &n) == 0)
		resp_json(rs, 200, nomination_json(&n));
}

static void change(struct request *rq, struct response *rs, enum selfid_change what,
		   const char *field)
{
	struct self_identification n;
	if (load_nomination(rq, rs, &n) != 0)
		return;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *text = NULL;
	if (field) {
		const char *const fields[] = {field, NULL};
		jsonx_no_unknown(rq->json, fields, &ve);
		jsonx_str(rq->json, field, SELFID_JUSTIFICATION_MAX, 1, &ve, &text);
	} else {
		static const char *const none[] = {NULL};
		jsonx_no_unknown(rq->json, none, &ve);
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = selfid_change(rq->store, &rq->actor, n.id, what, text, &ve);
	if (rc == TP_ERR_CONFLICT && ve.n)
		refuse(rq, rs, 409, &ve);
	else if (rc != TP_OK)
		resp_rc(rq, rs, rc);
	else
		answer_nomination(rq, rs, 200, n.id);
}

void api_selfid_audit(struct request *rq, struct response *rs)
{
	change(rq, rs, SELFID_AUDIT, "note");
}

void api_selfid_revoke(struct request *rq, struct response *rs)
{
	change(rq, rs, SELFID_REVOKE, "reason");
}

void api_selfid_withdraw(struct request *rq, struct response *rs)
{
	change(rq, rs, SELFID_WITHDRAW, NULL);
}
