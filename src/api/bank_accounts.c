/*
 * bank_accounts.c — /api/v1/{talents,enterprises}/{id}/bank-account: where the money
 * goes (domain/bank_accounts.h, docs/payments-accounts.md).
 *
 * Who: the talent for themself, the employer for its enterprise, an office reviewer for
 * anyone (with a reason); finance and the office read, see the history and confirm a
 * change.  Objects are checked with access.c (404 for what the caller may not see).  A
 * PUT needs the caller's current password (and a TOTP code when the account has TOTP)
 * and an Idempotency-Key (routes.c).  Numbers are masked unless ?unmask=true (audited).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/accounts.h"
#include "domain/bank_accounts.h"
#include "http/auth.h"
#include "store/store.h"

/* The beneficiary named by the path: kind from the route, id checked and visible. */
static int load_beneficiary(struct request *rq, struct response *rs, const char *kind,
			    int64_t *id)
{
	if (req_parse_id(rq->params[0], id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc;
	int visible;
	if (strcmp(kind, "talent") == 0) {
		struct talent t;
		rc = STORE_CALL(talent_get, rq->store, *id, rq->arena, &t);
		visible = rc == TP_OK && api_talent_visible(rq, &t);
	} else {
		struct enterprise e;
		rc = STORE_CALL(enterprise_get, rq->store, *id, rq->arena, &e);
		visible = rc == TP_OK && api_enterprise_visible(rq, &e);
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!visible) {
		api_hidden(rq, rs, kind, *id);
		return -1;
	}
	return 0;
}

static void iso_time(int64_t t, char out[24])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void kstamp(struct jw *w, const char *key, int64_t t)
{
	char buf[24];
	if (!t) {
		jw_key(w, key);
		jw_null(w);
		return;
	}
	iso_time(t, buf);
	jw_kstr(w, key, buf);
}

static void write_account(struct jw *w, const struct bank_account *b, int64_t now)
{
	jw_obj_begin(w);
	jw_kint(w, "id", b->id);
	jw_kstr(w, "beneficiary_kind", b->beneficiary_kind);
	jw_kint(w, "beneficiary_id", b->beneficiary_id);
	jw_kstr(w, "account_type", b->account_type);
	jw_kstr(w, "bank", b->bank);
	jw_kstr(w, "branch", b->branch);
	jw_kstr(w, "account_name", b->account_name);
	jw_kstr(w, "account_number_masked", b->number_mask);
	if (b->number)
		jw_kstr(w, "account_number", b->number);
	jw_kstr(w, "status", b->replaced_at ? "replaced" : b->invalid_at ? "invalid" : "current");
	jw_kint_opt(w, "previous_id", b->previous_id, 0);
	jw_kbool(w, "is_change", b->previous_id != 0);
	int hold = !b->replaced_at && bank_account_on_hold(b, now);
	jw_kbool(w, "payment_hold", hold);
	kstamp(w, "hold_until", hold ? b->created_at + (int64_t)BANK_HOLD_DAYS * 86400 : 0);
	kstamp(w, "created_at", b->created_at);
	jw_kstr(w, "created_by", b->created_by_name);
	jw_kstr(w, "reason", b->reason ? b->reason : "");
	kstamp(w, "confirmed_at", b->confirmed_at);
	jw_kstr(w, "confirmed_by", b->confirmed_by);
	kstamp(w, "replaced_at", b->replaced_at);
	jw_kint_opt(w, "replaced_by", b->replaced_by, 0);
	kstamp(w, "invalid_at", b->invalid_at);
	jw_kstr(w, "invalid_reason", b->invalid_reason);
	jw_obj_end(w);
}

static void send_account(struct response *rs, unsigned status, const struct bank_account *b)
{
	struct jw w;
	jw_init(&w);
	write_account(&w, b, tp_now());
	resp_jw(rs, status, &w);
}

static void no_account(struct request *rq, struct response *rs)
{
	resp_problem(rq, rs, 404, "bank_account_not_found", "尚未登记银行账户",
		     "no bank account has been registered", NULL);
}

static void get_account(struct request *rq, struct response *rs, const char *kind)
{
	int64_t id;
	if (load_beneficiary(rq, rs, kind, &id) != 0)
		return;
	int unmask = api_unmask_requested(rq, rs);
	if (unmask < 0)
		return;
	struct bank_account b;
	enum tp_rc rc = bank_account_get(rq->store, kind, id, unmask, rq->arena, &b);
	if (rc == TP_ERR_NOT_FOUND) {
		no_account(rq, rs);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (unmask) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)b.id);
		if (api_audit_read(rq, "pii.unmask", "bank_account", oid, 1) != TP_OK) {
			resp_rc(rq, rs, TP_ERR_DB);
			return;
		}
	}
	send_account(rs, 200, &b);
}

/* Answers a failed re-authentication; 1 when it did. */
static int reauth_refusal(struct request *rq, struct response *rs, const struct login_result *lr)
{
	struct verrors ve;
	verr_init(&ve, rq->arena);
	switch (lr->outcome) {
	case LOGIN_OK:
		return 0;
	case LOGIN_THROTTLED:
	case LOGIN_LOCKED: {
		resp_problem(rq, rs, 429, lr->outcome == LOGIN_LOCKED ? "account_locked" : "login_throttled",
			     "密码错误次数过多，请稍后再试", "too many wrong passwords; wait before trying again",
			     NULL);
		const char *v = arena_printf(rq->arena, "%lld",
					     (long long)(lr->retry_after > 0 ? lr->retry_after : 1));
		if (v)
			resp_header(rs, "Retry-After", v);
		return 1;
	}
	case LOGIN_MFA_NEEDED:
		verr_add(&ve, "totp", "totp_required", "您的账号已启用动态口令：请在 totp 字段填写",
			 "your account uses TOTP: give the current code in totp");
		resp_problem(rq, rs, 403, "totp_required", "修改银行账户须输入动态口令",
			     "changing a bank account requires your one-time code", &ve);
		return 1;
	case LOGIN_MFA_INVALID:
		verr_add(&ve, "totp", "totp_invalid", "动态口令错误", "the one-time code is wrong");
		resp_problem(rq, rs, 403, "totp_invalid", "动态口令错误", "the one-time code is wrong",
			     &ve);
		return 1;
	case LOGIN_INVALID:
	default:
		verr_add(&ve, "current_password", "wrong_password", "当前密码错误",
			 "the current password is wrong");
		resp_problem(rq, rs, 403, "wrong_password", "修改银行账户须验证当前密码：密码错误",
			     "changing a bank account requires your current password: it is wrong",
			     &ve);
		return 1;
	}
}

/* Answers 200 with the beneficiary's current account as it is stored now (masked). */
static void send_current(struct request *rq, struct response *rs, const char *kind, int64_t id)
{
	struct bank_account b;
	enum tp_rc rc = bank_account_get(rq->store, kind, id, 0, rq->arena, &b);
	if (rc != TP_OK)
		resp_rc(rq, rs, rc);
	else
		send_account(rs, 200, &b);
}

static void put_account(struct request *rq, struct response *rs, const char *kind)
{
	int64_t id;
	if (load_beneficiary(rq, rs, kind, &id) != 0)
		return;
	static const char *const fields[] = {"bank", "branch", "account_name", "account_number",
					     "account_type", "current_password", "totp", "reason",
					     NULL};
	static const char *const types[] = {"personal_card", "corporate", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct bank_account in;
	memset(&in, 0, sizeof in);
	in.beneficiary_kind = kind;
	in.beneficiary_id = id;
	const char *password = NULL, *totp = NULL, *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "bank", 200, 1, &ve, &in.bank);
	jsonx_str(rq->json, "branch", 200, 1, &ve, &in.branch);
	jsonx_str(rq->json, "account_name", 200, 1, &ve, &in.account_name);
	jsonx_str(rq->json, "account_number", 64, 1, &ve, &in.number);
	jsonx_enum(rq->json, "account_type", types, 0, &ve, &in.account_type);
	api_password_field(rq->json, "current_password", 1, &ve, &password);
	jsonx_str(rq->json, "totp", 8, 0, &ve, &totp);
	/* the office acts for someone else: it says why (the owner needs no reason) */
	int office = rq->actor.role == ROLE_OFFICE_REVIEWER;
	jsonx_str(rq->json, "reason", 200, office, &ve, &reason);
	if (office && reason && jsonx_utf8_len(reason) < 4)
		verr_add(&ve, "reason", "too_short", "请说明代为修改的理由（至少 4 个字）",
			 "state why you change someone else's account (at least 4 characters)");
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	in.reason = reason ? reason : "";
	/* the account itself first: a refused account does not spend a TOTP code */
	enum tp_rc rc = bank_account_validate(rq->store, &in, rq->arena, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	if (!rq->auth) {
		resp_rc(rq, rs, TP_ERR_INTERNAL);
		return;
	}
	int64_t now = tp_now();
	struct login_result lr;
	rc = auth_reauthenticate(rq->store, rq->arena, rq->auth, password, totp, now, &lr);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (reauth_refusal(rq, rs, &lr))
		return;
	rc = bank_account_put(rq->store, &rq->actor, &in, now, rq->arena, &ve);
	if (rc != TP_OK) {
		resp_fail(rq, rs, rc, &ve);
		return;
	}
	send_current(rq, rs, kind, id);
}

static void confirm_change(struct request *rq, struct response *rs, const char *kind)
{
	int64_t id;
	if (load_beneficiary(rq, rs, kind, &id) != 0)
		return;
	static const char *const fields[] = {"note", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	const char *note = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "note", 200, 0, &ve, &note);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	const char *why = NULL;
	enum tp_rc rc = bank_account_confirm_change(rq->store, &rq->actor, kind, id, note, tp_now(),
						    &why);
	if (rc == TP_ERR_NOT_FOUND) {
		no_account(rq, rs);
		return;
	}
	if (rc == TP_ERR_CONFLICT && why && strcmp(why, "same_person") == 0) {
		resp_problem(rq, rs, 409, "same_person",
			     "修改银行账户的人不能自己确认（须另一人复核）",
			     "the person who changed the account may not confirm the change (four eyes)",
			     NULL);
		return;
	}
	if (rc == TP_ERR_CONFLICT) {
		resp_problem(rq, rs, 409, "nothing_to_confirm", "当前账户没有待确认的变更",
			     "the current account has no change waiting for confirmation", NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	send_current(rq, rs, kind, id);
}

static void history(struct request *rq, struct response *rs, const char *kind)
{
	int64_t id;
	if (load_beneficiary(rq, rs, kind, &id) != 0)
		return;
	struct bank_account *items;
	size_t n;
	enum tp_rc rc = bank_account_history(rq->store, kind, id, rq->arena, &items, &n);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	int64_t now = tp_now();
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		write_account(&w, &items[i], now);
	jw_arr_end(&w);
	jw_kint(&w, "total", (int64_t)n);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_talent_bank_account_get(struct request *rq, struct response *rs)
{
	get_account(rq, rs, "talent");
}
void api_talent_bank_account_put(struct request *rq, struct response *rs)
{
	put_account(rq, rs, "talent");
}
void api_talent_bank_account_confirm(struct request *rq, struct response *rs)
{
	confirm_change(rq, rs, "talent");
}
void api_talent_bank_account_history(struct request *rq, struct response *rs)
{
	history(rq, rs, "talent");
}
void api_enterprise_bank_account_get(struct request *rq, struct response *rs)
{
	get_account(rq, rs, "enterprise");
}
void api_enterprise_bank_account_put(struct request *rq, struct response *rs)
{
	put_account(rq, rs, "enterprise");
}
void api_enterprise_bank_account_confirm(struct request *rq, struct response *rs)
{
	confirm_change(rq, rs, "enterprise");
}
void api_enterprise_bank_account_history(struct request *rq, struct response *rs)
{
	history(rq, rs, "enterprise");
}
