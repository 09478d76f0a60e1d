/*
 * registrations.c — talents and employers ask for an account; staff confirm it.
 *
 * A talent is matched to their registry record by ID number and name, an
 * employer by credit code and the enterprise's registered name.  Whether a record
 * matched is never told to the applicant (the registry cannot be probed through
 * this door); the reviewer sees it and can only approve a matched request.
 */
#include "domain/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "core/verr.h"
#include "domain/audit.h"
#include "store/store.h"

enum tp_rc registration_submit(struct store *st, const char *ip, struct registration *r,
			       const char *password, const char *id_number,
			       const char *credit_code, int64_t now, struct verrors *ve)
{
	(void)now;
	struct arena *a = ve->arena;
	int talent = r->kind && strcmp(r->kind, "talent") == 0;
	int employer = r->kind && strcmp(r->kind, "employer") == 0;
	if (!talent && !employer)
		verr_add(ve, "kind", "enum", "kind 应为 talent 或 employer",
			 "kind must be talent or employer");
	if (!account_username_ok(r->username))
		verr_add(ve, "username", "username_format",
			 "用户名为 3 到 64 个字母、数字或 _ . @ -",
			 "the username is 3 to 64 letters, digits or _ . @ -");
	size_t nl = r->display_name ? strlen(r->display_name) : 0;
	if (nl == 0)
		verr_add(ve, "name", "required", "姓名（单位名称）必填",
			 "name is required (the person's or the enterprise's)");
	else if (nl > 150)
		verr_add(ve, "name", "too_long", "姓名（单位名称）过长", "name is too long");
	char norm[19] = "";
	if (talent) {
		enum idcard_err e = idcard_normalize(id_number ? id_number : "", norm);
		if (!id_number)
			verr_add(ve, "id_number", "required", "身份证号码必填", "id_number is required");
		else if (e != IDCARD_OK)
			verr_add(ve, "id_number", idcard_err_code(e), idcard_err_zh(e), idcard_err_en(e));
	}
	if (employer) {
		enum uscc_err e = uscc_normalize(credit_code ? credit_code : "", norm);
		if (!credit_code)
			verr_add(ve, "credit_code", "required", "统一社会信用代码必填",
				 "credit_code is required");
		else if (e != USCC_OK)
			verr_add(ve, "credit_code", uscc_err_code(e), uscc_err_zh(e), uscc_err_en(e));
	}
	struct security_settings ss;
	enum tp_rc rc = settings_get(st, a, &ss);
	if (rc != TP_OK)
		return rc;
	password_policy_check(&ss.policy, password ? password : "", r->username, "password", ve);
	if (ve->n)
		return TP_ERR_INVALID;

	/* match quietly: the answer is the same whether or not a record matched */
	int64_t id = 0;
	r->talent_id = r->enterprise_id = 0;
	if (talent && STORE_CALL(talent_find_id_number, st, norm, &id) == TP_OK) {
		struct talent t;
		if (STORE_CALL(talent_get, st, id, a, &t) == TP_OK && t.name &&
		    strcmp(t.name, r->display_name) == 0)
			r->talent_id = id;
	}
	if (employer && STORE_CALL(enterprise_find_credit_code, st, norm, &id) == TP_OK) {
		struct enterprise e;
		if (STORE_CALL(enterprise_get, st, id, a, &e) == TP_OK && e.name &&
		    strcmp(e.name, r->display_name) == 0)
			r->enterprise_id = id;
	}
	char phc[PASSWORD_PHC_MAX];
	if ((rc = password_hash(password, phc)) != TP_OK)
		return rc;
	r->password_phc = phc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	struct user existing;
	rc = STORE_CALL(user_get, st, 0, r->username, a, &existing);
	if (rc == TP_OK)
		rc = TP_ERR_CONFLICT;
	else if (rc == TP_ERR_NOT_FOUND)
		rc = STORE_CALL(registration_insert, st, r);
	if (rc == TP_ERR_CONFLICT)
		verr_add(ve, "username", "taken", "用户名已被使用", "the username is taken");
	if (rc == TP_OK) {
		struct actor anon;
		memset(&anon, 0, sizeof anon);
		anon.username = "";
		anon.ip = ip ? ip : "";
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)r->id);
		rc = audit_append(st, &anon, "registration.submit", "registration", oid, "ok",
				  r->kind, r->username, strlen(r->username));
	}
	rc = store_end(st, rc);
	r->password_phc = NULL;
	sodium_memzero(phc, sizeof phc);
	return rc;
}

static int town_allowed(const struct actor *who, const char *town)
{
	if (who->role != ROLE_TOWN_REVIEWER)
		return 1;
	for (int i = 0; town && i < who->ntowns; i++)
		if (strcmp(who->towns[i], town) == 0)
			return 1;
	return 0;
}

enum tp_rc registration_decide(struct store *st, const struct actor *who, int64_t id,
			       int approve, const char *reason, int64_t version, int64_t now,
			       struct verrors *ve)
{
	struct arena *a = ve->arena;
	if (!approve && (!reason || !*reason))
		verr_add(ve, "reason", "required", "驳回须说明理由", "a rejection needs a reason");
	if (reason && strlen(reason) > 500)
		verr_add(ve, "reason", "too_long", "理由不超过 500 字节", "reason is at most 500 bytes");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	struct registration r;
	rc = STORE_CALL(registration_get, st, id, a, &r);
	if (rc == TP_OK && !town_allowed(who, r.matched_town))
		rc = TP_ERR_NOT_FOUND; /* not theirs to see */
	if (rc == TP_OK && strcmp(r.status, "pending") != 0)
		rc = TP_ERR_CONFLICT;
	if (rc == TP_OK && version && r.version != version)
		rc = TP_ERR_CONFLICT;
	if (rc == TP_OK && approve && !r.talent_id && !r.enterprise_id) {
		verr_add(ve, "id", "no_match",
			 "没有与申请相符的人才或企业档案，不能批准，请驳回并说明原因",
			 "no registry record matches this request; reject it with a reason");
		rc = TP_ERR_INVALID;
	}
	if (rc == TP_OK && approve) {
		struct user u;
		memset(&u, 0, sizeof u);
		u.username = r.username;
		u.display_name = r.display_name;
		u.role = strcmp(r.kind, "talent") == 0 ? ROLE_TALENT : ROLE_EMPLOYER;
		u.talent_id = r.talent_id;
		u.enterprise_id = r.enterprise_id;
		u.password_phc = r.password_phc;
		u.password_changed_at = now;
		u.department = "";
		rc = STORE_CALL(user_insert, st, &u);
		if (rc == TP_ERR_CONFLICT) {
			verr_add(ve, "id", "account_exists",
				 "该用户名或该档案已有账号",
				 "the username or the matched record already has an account");
			rc = TP_ERR_INVALID;
		}
		r.user_id = u.id;
	}
	if (rc == TP_OK) {
		r.status = approve ? "approved" : "rejected";
		r.reason = reason ? reason : "";
		r.decided_by = who->user_id;
		rc = STORE_CALL(registration_decide, st, &r);
	}
	if (rc == TP_OK) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		rc = audit_append(st, who, approve ? "registration.approve" : "registration.reject",
				  "registration", oid, "ok", approve ? "" : r.reason, NULL, 0);
	}
	return store_end(st, rc);
}
