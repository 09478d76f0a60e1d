/*
 * accounts.c — accounts managed by the admin, and the security settings.
 *
 * Separation of duties (三权分立) is enforced here, not only in the route table:
 * an account holds exactly one role, and no role combines administration with
 * audit (the auditor changes nothing; the admin never reads the audit log).
 */
#include "domain/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/verr.h"
#include "domain/audit.h"
#include "store/store.h"

/* ---- settings ---- */

static unsigned parse_roles(const char *csv)
{
	unsigned bits = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", csv ? csv : "");
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		bits |= (unsigned)role_parse(tok);
	return bits;
}

enum tp_rc settings_get(struct store *st, struct arena *a, struct security_settings *out)
{
	out->policy = password_policy_preset(PASSWORD_POLICY_DENGBAO3);
	out->mfa_roles = ROLE_ADMIN;
	const char *v = NULL;
	enum tp_rc rc = STORE_CALL(setting_get, st, "password_policy", a, &v);
	if (rc == TP_OK) {
		enum password_policy_kind k;
		if (password_policy_parse(v, &k) == 0)
			out->policy = password_policy_preset(k);
	} else if (rc != TP_ERR_NOT_FOUND) {
		return rc;
	}
	rc = STORE_CALL(setting_get, st, "mfa_required_roles", a, &v);
	if (rc == TP_OK)
		out->mfa_roles = parse_roles(v);
	else if (rc != TP_ERR_NOT_FOUND)
		return rc;
	return TP_OK;
}

enum tp_rc settings_set(struct store *st, const struct actor *who, const char *policy,
			const char *const *mfa_roles, int nroles, int set_roles, struct verrors *ve)
{
	enum password_policy_kind k;
	if (policy && password_policy_parse(policy, &k) != 0)
		verr_add(ve, "password_policy", "enum", "密码策略应为 dengbao3 或 asvs",
			 "password_policy must be dengbao3 or asvs");
	char roles[256] = "";
	size_t len = 0;
	for (int i = 0; set_roles && i < nroles; i++) {
		enum role r = role_parse(mfa_roles[i]);
		if (r == ROLE_NONE) {
			verr_addf(ve, "mfa_required_roles", "enum", "未知角色：%s", "unknown role: %s",
				  mfa_roles[i]);
			continue;
		}
		int n = snprintf(roles + len, sizeof roles - len, "%s%s", len ? "," : "",
				 role_name(r));
		if (n > 0 && (size_t)n < sizeof roles - len)
			len += (size_t)n;
	}
	if (set_roles && !(parse_roles(roles) & ROLE_ADMIN))
		verr_add(ve, "mfa_required_roles", "admin_needs_mfa",
			 "管理员必须使用动态口令（不能从列表中去掉 admin）",
			 "administrators always use a second factor: the list must keep admin "
			 "(ASVS 4.3.1)");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	if (policy)
		rc = STORE_CALL(setting_put, st, "password_policy", policy);
	if (rc == TP_OK && set_roles)
		rc = STORE_CALL(setting_put, st, "mfa_required_roles", roles);
	if (rc == TP_OK) {
		char change[320];
		int n = snprintf(change, sizeof change, "password_policy=%s;mfa=%s",
				 policy ? policy : "", set_roles ? roles : "");
		rc = audit_append(st, who, "settings.update", "settings", "security", "ok", "",
				  change, n > 0 ? (size_t)n : 0);
	}
	return store_end(st, rc);
}

/* ---- accounts ---- */

int account_username_ok(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n < 3 || n > USERNAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '@' || c == '-'))
			return 0;
	}
	return 1;
}

/* A random password that meets both presets: 20 characters, all four classes. */
static void generate_password(char out[24])
{
	static const char *const sets[] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
					   "23456789", "-_.!@#%+="};
	static const char all[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++) {
		const char *set = i < 4 ? sets[i] : all;
		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	/* shuffle so the class characters are not always first */
	for (int i = 19; i > 0; i--) {
		int j = (int)randombytes_uniform((uint32_t)i + 1);
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	out[20] = '\0';
}

static int is_staff(enum role r)
{
	return (r & ROLES_STAFF) != 0;
}

/* Checks a role's bindings; the towns must exist. */
static void check_bindings(struct store *st, const struct user *u, struct verrors *ve)
{
	if (u->role == ROLE_EMPLOYER && u->enterprise_id <= 0)
		verr_add(ve, "enterprise_id", "required", "用人单位账号须绑定一家企业",
			 "an employer account must be bound to an enterprise");
	if (u->role != ROLE_EMPLOYER && u->enterprise_id)
		verr_add(ve, "enterprise_id", "not_allowed", "只有用人单位账号可以绑定企业",
			 "only employer accounts are bound to an enterprise");
	if (u->role != ROLE_TALENT && u->talent_id)
		verr_add(ve, "talent_id", "not_allowed", "只有人才账号可以绑定人才档案",
			 "only talent accounts are bound to a talent record");
	if (u->role == ROLE_TOWN_REVIEWER && u->ntowns != 1)
		verr_add(ve, "towns", "one_town", "镇街审核员须绑定且只绑定一个镇（街道）",
			 "a town reviewer is bound to exactly one town or street");
	if (u->role == ROLE_LIAISON && u->ntowns < 1)
		verr_add(ve, "towns", "required", "帮办专员须至少绑定一个镇（街道）",
			 "a liaison is bound to at least one town or street");
	if (u->role != ROLE_TOWN_REVIEWER && u->role != ROLE_LIAISON && u->ntowns)
		verr_add(ve, "towns", "not_allowed", "只有镇街审核员和帮办专员绑定镇（街道）",
			 "only town reviewers and liaisons are bound to towns");
	for (int i = 0; i < u->ntowns; i++)
		if (STORE_CALL(ref_exists, st, REF_TOWN, u->towns[i]) != TP_OK)
			verr_addf(ve, "towns", "unknown_code", "未知的镇（街道）代码：%s",
				  "unknown town code: %s", u->towns[i]);
	if (u->unmask && !(u->role & (ROLE_OFFICE_REVIEWER | ROLE_TOWN_REVIEWER | ROLE_LIAISON)))
		verr_add(ve, "unmask", "not_allowed",
			 "只有人才办审核员、镇街审核员和帮办专员可获准查看完整证件号",
			 "only office reviewers, town reviewers and liaisons may be allowed to unmask");
}

enum tp_rc account_create(struct store *st, const struct actor *who, struct user *u,
			  const char *password, char password_out[24], int64_t now,
			  struct verrors *ve)
{
	if (!account_username_ok(u->username))
		verr_add(ve, "username", "username_format",
			 "用户名为 3 到 64 个字母、数字或 _ . @ -",
			 "the username is 3 to 64 letters, digits or _ . @ -");
	if (u->role == ROLE_NONE || u->role == ROLE_SYSTEM)
		verr_add(ve, "role", "enum",
			 "角色应为 talent、employer、liaison、town_reviewer、office_reviewer、finance、auditor、admin 或 expert",
			 "role must be talent, employer, liaison, town_reviewer, office_reviewer, finance, auditor, admin or expert");
	if (u->display_name && strlen(u->display_name) > 150)
		verr_add(ve, "display_name", "too_long", "姓名过长", "display_name is too long");
	check_bindings(st, u, ve);
	if (password) {
		struct arena *a = ve->arena;
		struct security_settings ss;
		enum tp_rc rc = settings_get(st, a, &ss);
		if (rc != TP_OK)
			return rc;
		password_policy_check(&ss.policy, password, u->username, "password", ve);
	}
	if (ve->n)
		return TP_ERR_INVALID;
	char gen[24];
	if (!password) {
		generate_password(gen);
		password = gen;
	}
	char phc[PASSWORD_PHC_MAX];
	enum tp_rc rc = password_hash(password, phc);
	if (rc != TP_OK)
		return rc;
	u->password_phc = phc;
	u->password_changed_at = now;
	u->must_change = 1; /* someone else chose or saw it: the owner changes it at first login */
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(user_insert, st, u);
	if (rc == TP_ERR_CONFLICT)
		verr_add(ve, "username", "taken", "用户名已被使用", "the username is taken");
	if (rc == TP_OK) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)u->id);
		rc = audit_append(st, who, "user.create", "user", id, "ok", role_name(u->role),
				  u->username, strlen(u->username));
	}
	rc = store_end(st, rc);
	u->password_phc = NULL;
	sodium_memzero(phc, sizeof phc);
	if (rc == TP_OK && password_out)
		snprintf(password_out, 24, "%s", password);
	sodium_memzero(gen, sizeof gen);
	return rc;
}

static enum tp_rc load_for_change(struct store *st, struct arena *a, int64_t id,
				  int64_t version, struct user *u)
{
	enum tp_rc rc = STORE_CALL(user_get, st, id, NULL, a, u);
	if (rc != TP_OK)
		return rc;
	if (version && u->version != version)
		return TP_ERR_CONFLICT;
	return TP_OK;
}

enum tp_rc account_set_disabled(struct store *st, const struct actor *who, int64_t id,
				int disabled, int64_t version)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct user u;
	enum tp_rc rc = store_begin(st);
	if (rc == TP_OK)
		rc = load_for_change(st, a, id, version, &u);
	if (rc == TP_OK && u.id == who->user_id && disabled)
		rc = TP_ERR_INVALID; /* an admin cannot lock themselves out */
	if (rc == TP_OK) {
		u.disabled = disabled;
		rc = STORE_CALL(user_update, st, &u);
	}
	if (rc == TP_OK && disabled)
		rc = STORE_CALL(user_revoke_all, st, id);
	if (rc == TP_OK) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		rc = audit_append(st, who, disabled ? "user.disable" : "user.enable", "user", oid,
				  "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	arena_free(a);
	return rc;
}

enum tp_rc account_update(struct store *st, const struct actor *who, struct user *u,
			  struct verrors *ve)
{
	check_bindings(st, u, ve);
	if (u->display_name && strlen(u->display_name) > 150)
		verr_add(ve, "display_name", "too_long", "姓名过长", "display_name is too long");
	if (ve->n)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(user_update, st, u);
	if (rc == TP_OK) {
		char oid[24], change[256];
		snprintf(oid, sizeof oid, "%lld", (long long)u->id);
		int n = snprintf(change, sizeof change, "%s|%s|%d|%d", u->display_name ? u->display_name : "",
				 u->department ? u->department : "", u->unmask, u->ntowns);
		rc = audit_append(st, who, "user.update", "user", oid, "ok", "", change,
				  n > 0 ? (size_t)n : 0);
	}
	return store_end(st, rc);
}

enum tp_rc account_reset_password(struct store *st, const struct actor *who, int64_t id,
				  char password_out[24], int64_t now)
{
	char pw[24], phc[PASSWORD_PHC_MAX];
	generate_password(pw);
	enum tp_rc rc = password_hash(pw, phc);
	if (rc != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(user_set_password, st, id, phc, now, 1);
	if (rc == TP_OK)
		rc = STORE_CALL(user_revoke_all, st, id);
	if (rc == TP_OK) /* a reset also clears the second factor and the lock */
		rc = STORE_CALL(user_set_totp, st, id, NULL, 0, 0, 0);
	if (rc == TP_OK) {
		struct user u;
		memset(&u, 0, sizeof u);
		u.id = id;
		rc = STORE_CALL(user_set_login_state, st, &u);
	}
	if (rc == TP_OK) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)id);
		rc = audit_append(st, who, "user.reset_password", "user", oid, "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	if (rc == TP_OK)
		snprintf(password_out, 24, "%s", pw);
	sodium_memzero(pw, sizeof pw);
	sodium_memzero(phc, sizeof phc);
	return rc;
}

enum tp_rc account_link_talent(struct store *st, const struct actor *who, int64_t liaison_id,
			       int64_t talent_id, int link)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct user u;
	struct talent t;
	enum tp_rc rc = store_begin(st);
	if (rc == TP_OK)
		rc = STORE_CALL(user_get, st, liaison_id, NULL, a, &u);
	if (rc == TP_OK && u.role != ROLE_LIAISON)
		rc = TP_ERR_INVALID;
	if (rc == TP_OK)
		rc = STORE_CALL(talent_get, st, talent_id, a, &t);
	if (rc == TP_OK)
		rc = STORE_CALL(liaison_link, st, liaison_id, talent_id, link);
	if (rc == TP_OK) {
		char oid[48];
		snprintf(oid, sizeof oid, "%lld:%lld", (long long)liaison_id, (long long)talent_id);
		rc = audit_append(st, who, link ? "liaison.link" : "liaison.unlink", "liaison_talent",
				  oid, "ok", "", NULL, 0);
	}
	rc = store_end(st, rc);
	arena_free(a);
	return rc;
}

void account_actor(const struct user *u, const char *ip, struct actor *out)
{
	memset(out, 0, sizeof(*out));
	out->user_id = u->id;
	out->username = u->username;
	out->role = u->role;
	out->talent_id = u->talent_id;
	out->enterprise_id = u->enterprise_id;
	for (int i = 0; i < u->ntowns && i < ACTOR_MAX_TOWNS; i++)
		out->towns[i] = u->towns[i];
	out->ntowns = u->ntowns;
	out->ip = ip ? ip : "";
	out->unmask = u->unmask && is_staff(u->role);
}
