/*
 * access.c — object-level access: is this record the caller's to see or change?
 *
 * The route table already said which roles may call a route; here each loaded
 * object is checked against the caller.  A record the caller may not see is
 * answered exactly like one that does not exist (404), and the refusal is
 * audited.  Lists are narrowed the same way before they are read.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "store/store.h"

static int in_towns(const struct actor *a, const char *town)
{
	for (int i = 0; town && i < a->ntowns; i++)
		if (strcmp(a->towns[i], town) == 0)
			return 1;
	return 0;
}

void api_employments_scope(struct request *rq, struct talent *t)
{
	if (rq->actor.role != ROLE_EMPLOYER)
		return;
	size_t k = 0;
	for (size_t i = 0; i < t->n_employments; i++)
		if (t->employments[i].enterprise_id == rq->actor.enterprise_id)
			t->employments[k++] = t->employments[i];
	t->n_employments = k;
}

int api_talent_visible(struct request *rq, const struct talent *t)
{
	const struct actor *a = &rq->actor;
	switch (a->role) {
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
	case ROLE_FINANCE:
		return 1;
	case ROLE_TOWN_REVIEWER:
		return in_towns(a, t->town);
	case ROLE_LIAISON:
		return STORE_CALL(liaison_has, rq->store, a->user_id, t->id) == TP_OK;
	case ROLE_EMPLOYER:
		return a->enterprise_id && t->enterprise_id == a->enterprise_id;
	case ROLE_TALENT:
		return a->talent_id && t->id == a->talent_id;
	default:
		return 0;
	}
}

int api_enterprise_visible(struct request *rq, const struct enterprise *e)
{
	const struct actor *a = &rq->actor;
	switch (a->role) {
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
	case ROLE_FINANCE:
	case ROLE_LIAISON:
		return 1;
	case ROLE_TOWN_REVIEWER:
		return in_towns(a, e->town);
	case ROLE_EMPLOYER:
		return a->enterprise_id && e->id == a->enterprise_id;
	default:
		return 0;
	}
}

void api_hidden(struct request *rq, struct response *rs, const char *type, int64_t id)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)id);
	(void)audit_append(rq->store, &rq->actor, "access.denied", type, oid, "denied", "object",
			   NULL, 0);
	resp_rc(rq, rs, TP_ERR_NOT_FOUND);
}

int api_scope_query(struct request *rq, struct registry_query *q, int talents)
{
	const struct actor *a = &rq->actor;
	switch (a->role) {
	case ROLE_TOWN_REVIEWER:
		if (q->town && !in_towns(a, q->town))
			return 1;
		q->town = a->ntowns ? a->towns[0] : "";
		return 0;
	case ROLE_EMPLOYER:
		if (!talents)
			return 1;
		if (q->enterprise_id && q->enterprise_id != a->enterprise_id)
			return 1;
		q->enterprise_id = a->enterprise_id ? a->enterprise_id : -1;
		return 0;
	case ROLE_LIAISON:
		if (talents)
			q->liaison_id = a->user_id;
		return 0;
	case ROLE_SYSTEM:
	case ROLE_OFFICE_REVIEWER:
	case ROLE_FINANCE:
		return 0;
	default:
		return 1;
	}
}

/* Talent facts only the talent office sets (certification and selections). */
static const char *const OFFICE_FIELDS[] = {
	"tier", "tier_from", "tier_to", "quanzhou_level", "quanzhou_selected_on",
	"provincial_level", "provincial_selected_on", NULL};
/* What a talent may change in their own record. */
static const char *const SELF_FIELDS[] = {"phone", "email", "version", NULL};
/* What an employer may change in a staff member's record after registering them: the
 * facts its HR office holds (contact, education, title, skills, social insurance) — not
 * who the person is, where they live, their employer or the office's certification. */
static const char *const EMPLOYER_FIELDS[] = {
	"phone", "email", "degree", "double_first_class", "graduated_on", "title", "skill_level",
	"educations", "insured_months", "days_in_jinjiang", "version", NULL};

static int listed(const char *const *list, const char *k)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], k) == 0)
			return 1;
	return 0;
}

int api_talent_fields_allowed(struct request *rq, struct response *rs, json_t *body,
			       int create)
{
	enum role r = rq->actor.role;
	if (r == ROLE_OFFICE_REVIEWER || r == ROLE_SYSTEM)
		return 0;
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v) {
		int bad;
		if (r == ROLE_TALENT)
			bad = !listed(SELF_FIELDS, k);
		else if (r == ROLE_EMPLOYER && !create)
			bad = !listed(EMPLOYER_FIELDS, k);
		else /* a registration by an employer or a town reviewer: all but certification */
			bad = listed(OFFICE_FIELDS, k);
		if (bad)
			verr_addf(&ve, k, "field_forbidden", "您的角色不能修改字段 %s",
				  "your role may not change %s", k);
	}
	if (!ve.n)
		return 0;
	resp_problem(rq, rs, 403, "field_forbidden", "您的角色不能修改其中的字段",
		     "your role may not change some of these fields", &ve);
	return -1;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/*
 * The X-Unmask-Reason header, percent-decoded (a browser cannot send UTF-8 in a header, so
 * it sends "%E6%A0%B8..."): NULL when absent, or when the decoded text is not well-formed
 * UTF-8 or holds a control character.
 */
static const char *unmask_reason(struct request *rq)
{
	const char *h = req_header(rq, "X-Unmask-Reason");
	if (!h)
		return NULL;
	size_t n = strlen(h), k = 0;
	char *out = arena_alloc(rq->arena, n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (h[i] == '%' && i + 2 < n && (hi = hexval(h[i + 1])) >= 0 &&
		    (lo = hexval(h[i + 2])) >= 0) {
			out[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[k++] = h[i];
		}
	}
	out[k] = '\0';
	for (size_t i = 0; i < k;) {
		size_t len = utf8_seq_len((const unsigned char *)out + i, k - i);
		if (len == 0 || (unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			return NULL;
		i += len;
	}
	return out;
}

int api_unmask_requested(struct request *rq, struct response *rs)
{
	const char *u = req_query(rq, "unmask");
	if (!u || strcmp(u, "false") == 0)
		return 0;
	if (strcmp(u, "true") != 0) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_add(&ve, "unmask", "type_boolean", "应为 true 或 false", "must be true or false");
		resp_invalid(rq, rs, &ve);
		return -1;
	}
	if (!rq->actor.unmask) {
		char oid[160];
		snprintf(oid, sizeof oid, "%s %s", rq->method, rq->path);
		(void)audit_append(rq->store, &rq->actor, "pii.unmask", "route", oid, "denied",
				   "no unmask permission", NULL, 0);
		resp_problem(rq, rs, 403, "unmask_forbidden", "您的账号无权查看完整证件号码",
			     "your account may not see full ID and phone numbers", NULL);
		return -1;
	}
	const char *reason = unmask_reason(rq);
	size_t n = reason ? strlen(reason) : 0;
	if (n < 4 || n > 200) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_add(&ve, "X-Unmask-Reason", "reason_required",
			 "查看完整号码须在 X-Unmask-Reason 请求头说明理由（4 到 200 字节 UTF-8，"
			 "非 ASCII 文字用百分号编码）",
			 "state why in the X-Unmask-Reason header (4 to 200 bytes of UTF-8, "
			 "percent-encoded beyond ASCII) to see full numbers");
		resp_invalid(rq, rs, &ve);
		return -1;
	}
	return 1;
}

enum tp_rc api_audit_read(struct request *rq, const char *action, const char *type,
			  const char *id, int unmask)
{
	const char *reason = unmask ? unmask_reason(rq) : "";
	return audit_append(rq->store, &rq->actor, action, type, id, "ok", reason ? reason : "",
			    NULL, 0);
}
