/*
 * users.c — /api/v1/users and /api/v1/settings/security: account and security
 * administration (admin only; the route table says so).
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

static const char *const ROLE_NAMES[] = {"talent", "employer", "liaison", "town_reviewer",
					 "office_reviewer", "finance", "auditor", "admin", "expert", NULL};

/* "towns": ["350582001", ...] into u. */
static void read_towns(json_t *b, struct user *u, struct verrors *ve)
{
	json_t *arr = json_object_get(b, "towns");
	if (!arr)
		return;
	u->ntowns = 0;
	if (json_is_null(arr))
		return;
	if (!json_is_array(arr) || json_array_size(arr) > ACTOR_MAX_TOWNS) {
		verr_addf(ve, "towns", "type_array", "应为至多 %d 个镇（街道）代码的数组",
			  "must be an array of at most %d town codes", ACTOR_MAX_TOWNS);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || json_string_length(v) > 16) {
			verr_add(ve, "towns", "type_string", "镇（街道）代码应为字符串",
				 "town codes are strings");
			return;
		}
		const char *t = arena_strdup(ve->arena, json_string_value(v));
		if (!t) {
			verr_add(ve, "towns", "no_memory", "内存不足", "out of memory");
			return;
		}
		u->towns[u->ntowns++] = t;
	}
}

static void answer_user(struct request *rq, struct response *rs, unsigned status,
			const struct user *u, const char *password)
{
	(void)rq;
	struct jw w;
	jw_init(&w);
	if (password) {
		jw_obj_begin(&w);
		jw_key(&w, "user");
		api_user_write(&w, u, tp_now());
		jw_kstr(&w, "password", password); /* shown once: hand it over, it must be changed */
		jw_obj_end(&w);
	} else {
		api_user_write(&w, u, tp_now());
	}
	resp_jw(rs, status, &w);
}

/*
 * 三权分立: the admin does not hold the auditor's credentials.  Auditor accounts are
 * created, reset and disabled by the operator at the command line (`talentport user`),
 * never through the admin's API — else an admin could reset an auditor and read the log.
 */
static int auditor_refused(struct request *rq, struct response *rs, enum role r)
{
	if (r != ROLE_AUDITOR)
		return 0;
	resp_problem(rq, rs, 403, "auditor_managed_by_operator",
		     "审计员账号由运维人员在服务器命令行管理（talentport user），管理员不能创建、重置或修改",
		     "auditor accounts are managed by the operator with `talentport user` on the "
		     "server; an admin cannot create, reset or change them",
		     NULL);
	return -1;
}

static int user_param(struct request *rq, struct response *rs, struct user *u)
{
	int64_t id;
	enum tp_rc rc = TP_ERR_NOT_FOUND;
	if (req_parse_id(rq->params[0], &id) == 0)
		rc = STORE_CALL(user_get, rq->store, id, NULL, rq->arena, u);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	return 0;
}

void api_users_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct registry_query rq_page;
	struct user_query q = {0};
	if (api_read_query(rq, &rq_page, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	q.page = rq_page.page;
	q.per_page = rq_page.per_page;
	q.q = rq_page.q;
	const char *s = req_query(rq, "role");
	if (s && *s && (q.role = role_parse(s)) == ROLE_NONE) {
		verr_add(&ve, "role", "enum", "未知角色", "unknown role");
		resp_invalid(rq, rs, &ve);
		return;
	}
	s = req_query(rq, "include_disabled");
	q.include_disabled = s && strcmp(s, "true") == 0;
	struct user_page page;
	enum tp_rc rc = STORE_CALL(user_list, rq->store, &q, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	int64_t now = tp_now();
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < page.n; i++)
		api_user_write(&w, &page.items[i], now);
	api_items_send(rs, &w, q.page, q.per_page, page.total);
}

void api_users_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"username", "display_name", "role", "talent_id",
					     "enterprise_id", "towns", "department", "unmask",
					     NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct user u;
	memset(&u, 0, sizeof u);
	const char *role = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "username", USERNAME_MAX, 1, &ve, &u.username);
	jsonx_str(rq->json, "display_name", 50, 0, &ve, &u.display_name);
	if (jsonx_enum(rq->json, "role", ROLE_NAMES, 1, &ve, &role) == 1)
		u.role = role_parse(role);
	jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 0, &ve, &u.talent_id);
	jsonx_int(rq->json, "enterprise_id", 1, INT64_MAX, 0, &ve, &u.enterprise_id);
	jsonx_str(rq->json, "department", 100, 0, &ve, &u.department);
	jsonx_bool(rq->json, "unmask", 0, &ve, &u.unmask);
	read_towns(rq->json, &u, &ve);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (auditor_refused(rq, rs, u.role) != 0)
		return;
	if (u.role == ROLE_TALENT && u.talent_id) {
		struct talent t;
		if (STORE_CALL(talent_get, rq->store, u.talent_id, rq->arena, &t) != TP_OK)
			verr_add(&ve, "talent_id", "not_found", "没有这个人才档案", "no such talent");
	}
	if (u.enterprise_id) {
		struct enterprise e;
		if (STORE_CALL(enterprise_get, rq->store, u.enterprise_id, rq->arena, &e) != TP_OK)
			verr_add(&ve, "enterprise_id", "not_found", "没有这家企业", "no such enterprise");
	}
	if (u.role == ROLE_TALENT && !u.talent_id)
		verr_add(&ve, "talent_id", "required", "人才账号须绑定人才档案",
			 "a talent account is bound to a talent record");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	char pw[24];
	enum tp_rc rc = account_create(rq->store, &rq->actor, &u, NULL, pw, tp_now(), &ve);
	if (rc == TP_ERR_INVALID || (rc == TP_ERR_CONFLICT && ve.n)) {
		if (rc == TP_ERR_CONFLICT)
			resp_problem(rq, rs, 409, "username_taken", "用户名已被使用",
				     "the username is taken", &ve);
		else
			resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct user fresh;
	if (STORE_CALL(user_get, rq->store, u.id, NULL, rq->arena, &fresh) != TP_OK)
		fresh = u;
	answer_user(rq, rs, 201, &fresh, pw);
}

void api_users_get(struct request *rq, struct response *rs)
{
	struct user u;
	if (user_param(rq, rs, &u) == 0)
		answer_user(rq, rs, 200, &u, NULL);
}

void api_users_patch(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"display_name", "department", "towns", "unmask",
					     "disabled", "version", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct user u;
	if (user_param(rq, rs, &u) != 0 || auditor_refused(rq, rs, u.role) != 0)
		return;
	if (api_check_version(rq, rs, u.version, &ve) != 0)
		return;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_patch_str(rq->json, "display_name", 50, &ve, &u.display_name);
	jsonx_patch_str(rq->json, "department", 100, &ve, &u.department);
	if (jsonx_has(rq->json, "unmask"))
		jsonx_bool(rq->json, "unmask", 1, &ve, &u.unmask);
	int disabled = u.disabled;
	if (jsonx_has(rq->json, "disabled"))
		jsonx_bool(rq->json, "disabled", 1, &ve, &disabled);
	read_towns(rq->json, &u, &ve);
	if (!u.display_name)
		u.display_name = "";
	if (!u.department)
		u.department = "";
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = account_update(rq->store, &rq->actor, &u, &ve);
	if (rc == TP_OK && disabled != u.disabled) {
		if (disabled && u.id == rq->actor.user_id) {
			verr_add(&ve, "disabled", "self", "不能停用自己的账号",
				 "you cannot disable your own account");
			rc = TP_ERR_INVALID;
		} else {
			rc = account_set_disabled(rq->store, &rq->actor, u.id, disabled, 0);
		}
	}
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		api_stale(rq, rs, NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct user fresh;
	rc = STORE_CALL(user_get, rq->store, u.id, NULL, rq->arena, &fresh);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	answer_user(rq, rs, 200, &fresh, NULL);
}

void api_users_password_reset(struct request *rq, struct response *rs)
{
	struct user u;
	if (user_param(rq, rs, &u) != 0 || auditor_refused(rq, rs, u.role) != 0)
		return;
	char pw[24];
	enum tp_rc rc = account_reset_password(rq->store, &rq->actor, u.id, pw, tp_now());
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (STORE_CALL(user_get, rq->store, u.id, NULL, rq->arena, &u) != TP_OK) {
		resp_rc(rq, rs, TP_ERR_DB);
		return;
	}
	answer_user(rq, rs, 200, &u, pw);
}

static void link(struct request *rq, struct response *rs, int on)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct user u;
	if (user_param(rq, rs, &u) != 0)
		return;
	int64_t tid = 0;
	if (on) {
		static const char *const fields[] = {"talent_id", NULL};
		jsonx_no_unknown(rq->json, fields, &ve);
		jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 1, &ve, &tid);
	} else if (req_parse_id(rq->params[1], &tid) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	if (u.role != ROLE_LIAISON)
		verr_add(&ve, "id", "not_liaison", "只有帮办专员账号可以关联人才",
			 "only liaison accounts are linked to talents");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = account_link_talent(rq->store, &rq->actor, u.id, tid, on);
	if (rc == TP_ERR_NOT_FOUND && on) {
		verr_add(&ve, "talent_id", "not_found", "没有这个人才档案", "no such talent");
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 204, NULL, "", 0);
}

/* A talent's name as the admin sees it: the first character (the surname), then one '*'
 * per further character, at most three — the admin never reads the registry's personal data
 * (docs/security.md), this is only enough to tell two linked talents apart. */
static const char *name_masked(struct arena *a, const char *name)
{
	if (!name || !*name)
		return "";
	size_t first = 1;
	while (name[first] && ((unsigned char)name[first] & 0xC0) == 0x80)
		first++;
	int more = 0;
	for (const char *p = name + first; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			more++;
	if (more > 3)
		more = 3;
	return arena_printf(a, "%.*s%.*s", (int)first, name, more, "***");
}

void api_users_talents_list(struct request *rq, struct response *rs)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct user u;
	if (user_param(rq, rs, &u) != 0)
		return;
	struct registry_query q;
	if (api_read_query(rq, &q, &ve) != 0) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	if (u.role != ROLE_LIAISON) {
		verr_add(&ve, "id", "not_liaison", "只有帮办专员账号可以关联人才",
			 "only liaison accounts are linked to talents");
		resp_invalid(rq, rs, &ve);
		return;
	}
	/* the links only: no search over names, no other filter */
	struct registry_query only = {.liaison_id = u.id, .page = q.page, .per_page = q.per_page};
	struct talent_page page = {0};
	enum tp_rc rc = STORE_CALL(talent_list, rq->store, &only, rq->arena, &page);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < page.n; i++) {
		const char *nm = name_masked(rq->arena, page.items[i].name);
		jw_obj_begin(&w);
		jw_kint(&w, "talent_id", page.items[i].id);
		jw_kstr(&w, "name_masked", nm ? nm : "");
		jw_kstr(&w, "town", page.items[i].town);
		jw_obj_end(&w);
	}
	api_items_send(rs, &w, only.page, only.per_page, page.total);
}

void api_users_link_talent(struct request *rq, struct response *rs)
{
	link(rq, rs, 1);
}

void api_users_unlink_talent(struct request *rq, struct response *rs)
{
	link(rq, rs, 0);
}

static void settings_answer(struct request *rq, struct response *rs)
{
	struct security_settings ss;
	enum tp_rc rc = settings_get(rq->store, rq->arena, &ss);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "password_policy", ss.policy.kind == PASSWORD_POLICY_ASVS ? "asvs" : "dengbao3");
	jw_kint(&w, "password_min_length", ss.policy.min_len);
	jw_kint(&w, "password_min_classes", ss.policy.min_classes);
	jw_kint(&w, "staff_password_max_age_days", ss.policy.staff_max_age_days);
	jw_key(&w, "mfa_required_roles");
	jw_arr_begin(&w);
	for (int i = 0; ROLE_NAMES[i]; i++)
		if (ss.mfa_roles & (unsigned)role_parse(ROLE_NAMES[i]))
			jw_str(&w, ROLE_NAMES[i]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_settings_security_get(struct request *rq, struct response *rs)
{
	settings_answer(rq, rs);
}

void api_settings_security_patch(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"password_policy", "mfa_required_roles", NULL};
	static const char *const POLICIES[] = {"dengbao3", "asvs", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *policy = NULL;
	const char *roles[ACTOR_MAX_TOWNS + 8];
	int nroles = 0, set_roles = 0;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_enum(rq->json, "password_policy", POLICIES, 0, &ve, &policy);
	json_t *arr = json_object_get(rq->json, "mfa_required_roles");
	if (arr) {
		set_roles = 1;
		if (!json_is_array(arr) || json_array_size(arr) > 8) {
			verr_add(&ve, "mfa_required_roles", "type_array", "应为角色名数组",
				 "must be an array of role names");
		} else {
			size_t i;
			json_t *v;
			json_array_foreach(arr, i, v) {
				if (!json_is_string(v)) {
					verr_add(&ve, "mfa_required_roles", "type_string",
						 "角色名应为字符串", "role names are strings");
					break;
				}
				roles[nroles++] = json_string_value(v);
			}
		}
	}
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc =
		settings_set(rq->store, &rq->actor, policy, roles, nroles, set_roles, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	settings_answer(rq, rs);
}
