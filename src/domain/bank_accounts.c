/*
 * bank_accounts.c — where the money goes (domain/bank_accounts.h).
 */
#include "domain/bank_accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "core/luhn.h"
#include "domain/audit.h"
#include "domain/registry.h"
#include "store/bank_accounts.h"
#include "store/store.h"

#define BANK_TEXT_MAX 100 /* characters of bank, branch and account name */

int bank_beneficiary_kind_valid(const char *kind)
{
	return kind && (strcmp(kind, "talent") == 0 || strcmp(kind, "enterprise") == 0);
}

int bank_account_on_hold(const struct bank_account *b, int64_t now)
{
	return b->previous_id && !b->confirmed_at &&
	       now - b->created_at < (int64_t)BANK_HOLD_DAYS * 86400;
}

enum tp_rc bank_account_get(struct store *st, const char *kind, int64_t id, int with_number,
			    struct arena *a, struct bank_account *out)
{
	if (!bank_beneficiary_kind_valid(kind))
		return TP_ERR_INVALID;
	return st->ops->bank->current(st, kind, id, with_number, a, out);
}

enum tp_rc bank_account_current(struct store *st, const char *beneficiary_kind,
				int64_t beneficiary_id, int64_t now, struct arena *a,
				struct pay_account *out)
{
	memset(out, 0, sizeof(*out));
	struct bank_account b;
	enum tp_rc rc = bank_account_get(st, beneficiary_kind, beneficiary_id, 1, a, &b);
	if (rc != TP_OK)
		return rc;
	if (b.invalid_at) /* closed at the bank: the beneficiary must give a new account */
		return TP_ERR_NOT_FOUND;
	out->bank = b.bank;
	out->branch = b.branch;
	out->account_name = b.account_name;
	out->account_mask = b.number_mask;
	out->account_number = b.number;
	out->hold = bank_account_on_hold(&b, now);
	out->account_id = b.id;
	return TP_OK;
}

enum tp_rc bank_account_history(struct store *st, const char *kind, int64_t id,
				struct arena *a, struct bank_account **out, size_t *n)
{
	if (!bank_beneficiary_kind_valid(kind))
		return TP_ERR_INVALID;
	return st->ops->bank->history(st, kind, id, a, out, n);
}

/* Trims ASCII spaces at both ends into a (NULL stays NULL). */
static const char *trimmed(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return arena_strndup(a, s, n);
}

static void check_text(struct verrors *ve, const char *field, const char *v, const char *zh_name,
		       const char *en_name)
{
	if (!v || !*v) {
		verr_addf(ve, field, "required", "请填写%s（%s）", "%s is required", zh_name, field);
		(void)en_name;
		return;
	}
	if (!jsonx_utf8_ok(v, strlen(v)) || jsonx_utf8_len(v) > BANK_TEXT_MAX)
		verr_addf(ve, field, "too_long", "%s最多 100 个字符", "%s has at most 100 characters",
			  zh_name);
}

enum tp_rc bank_account_validate(struct store *st, struct bank_account *in, struct arena *a,
				 struct verrors *ve)
{
	if (!bank_beneficiary_kind_valid(in->beneficiary_kind))
		return TP_ERR_INVALID;
	int talent = strcmp(in->beneficiary_kind, "talent") == 0;
	const char *type = talent ? "personal_card" : "corporate";
	/* who the beneficiary is, and the name the account must carry */
	const char *registered = NULL;
	enum tp_rc rc = st->ops->bank->registered_name(st, in->beneficiary_kind,
						       in->beneficiary_id, a, &registered);
	if (rc != TP_OK)
		return rc;

	if (in->account_type && strcmp(in->account_type, type) != 0)
		verr_addf(ve, "account_type", "account_type_mismatch",
			  talent ? "人才的账户须为个人银行卡（personal_card），不能为 %s"
				 : "企业的账户须为对公账户（corporate），不能为 %s",
			  talent ? "a talent's account is a personal bank card (personal_card), not %s"
				 : "an enterprise's account is a corporate account (corporate), not %s",
			  in->account_type);
	in->account_type = type;
	in->bank = trimmed(a, in->bank);
	in->branch = trimmed(a, in->branch);
	in->account_name = trimmed(a, in->account_name);
	check_text(ve, "bank", in->bank, "开户银行", "bank");
	check_text(ve, "branch", in->branch, "开户网点（支行）", "branch");
	check_text(ve, "account_name", in->account_name, "账户名", "account name");
	if (in->account_name && *in->account_name && registered &&
	    strcmp(in->account_name, registered) != 0)
		verr_add(ve, "account_name", "account_name_mismatch",
			 talent ? "账户名（account_name）须与人才登记的姓名一致"
				: "账户名（account_name）须与企业登记的名称一致",
			 talent ? "account_name must equal the talent's registered name"
				: "account_name must equal the enterprise's registered name");
	char digits[BANK_NUMBER_MAX + 1];
	enum bank_number_err ne = bank_number_normalize(in->number, talent, digits);
	if (ne != BANKNO_OK)
		verr_add(ve, "account_number", bank_number_err_code(ne),
			 bank_number_err_zh(ne, talent), bank_number_err_en(ne, talent));
	if (ve->n)
		return TP_ERR_INVALID;
	in->number = arena_strdup(a, digits);
	if (!in->number || !in->bank || !in->branch || !in->account_name)
		return TP_ERR_NOMEM;
	return TP_OK;
}

enum tp_rc bank_account_put(struct store *st, const struct actor *who, struct bank_account *in,
			    int64_t now, struct arena *a, struct verrors *ve)
{
	enum tp_rc rc = bank_account_validate(st, in, a, ve);
	if (rc != TP_OK)
		return rc;
	const char *digits = in->number;
	in->created_at = now;
	in->created_by = who ? who->user_id : 0;
	in->created_by_name = who && who->username ? who->username : "system";
	if (!in->reason)
		in->reason = "";

	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = st->ops->bank->replace(st, in);
	if (rc == TP_OK) {
		char mask[24];
		bank_number_mask(digits, mask);
		in->number_mask = arena_strdup(a, mask);
		/* the change as recorded: never the number (a hash of a card number can be
		 * brute-forced); the mask and the reason only */
		rc = audit_changef(st, who, in->previous_id ? "bank_account.change" : "bank_account.add",
				   "bank_account", in->id,
				   "{\"beneficiary\":\"%s/%lld\",\"previous_id\":%lld,\"mask\":\"%s\","
				   "\"reason_given\":%s}",
				   in->beneficiary_kind, (long long)in->beneficiary_id,
				   (long long)in->previous_id, mask, *in->reason ? "true" : "false");
	}
	return store_end(st, rc);
}

enum tp_rc bank_account_confirm_change(struct store *st, const struct actor *who,
				       const char *kind, int64_t id, const char *note, int64_t now,
				       const char **why)
{
	*why = NULL;
	if (!bank_beneficiary_kind_valid(kind))
		return TP_ERR_INVALID;
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK) {
		arena_free(a);
		return rc;
	}
	struct bank_account b;
	rc = st->ops->bank->current(st, kind, id, 0, a, &b);
	if (rc == TP_OK && (!b.previous_id || b.confirmed_at)) {
		*why = "nothing_to_confirm";
		rc = TP_ERR_CONFLICT;
	} else if (rc == TP_OK && who && who->user_id && b.created_by == who->user_id) {
		*why = "same_person";
		rc = TP_ERR_CONFLICT;
	}
	if (rc == TP_OK)
		rc = st->ops->bank->confirm(st, b.id, who && who->username ? who->username : "system",
					    now);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "bank_account.confirm_change", "bank_account", b.id,
				   "{\"beneficiary\":\"%s/%lld\",\"note_given\":%s}", kind,
				   (long long)id, note && *note ? "true" : "false");
	rc = store_end(st, rc);
	arena_free(a);
	return rc;
}

enum tp_rc bank_account_mark_closed(struct store *st, const struct actor *who, int64_t account_id,
				    const char *reason, int64_t now)
{
	struct arena *a = arena_new();
	if (!a)
		return TP_ERR_NOMEM;
	struct bank_account b;
	enum tp_rc rc = st->ops->bank->get(st, account_id, a, &b);
	if (rc == TP_OK && b.replaced_at)
		rc = TP_ERR_CONFLICT;
	int fresh = rc == TP_OK && !b.invalid_at;
	if (fresh)
		rc = st->ops->bank->mark_invalid(st, account_id, reason ? reason : "", now);
	if (fresh && rc == TP_OK)
		rc = audit_changef(st, who, "bank_account.closed", "bank_account", account_id,
				   "{\"beneficiary\":\"%s/%lld\",\"reason\":\"%s\"}",
				   b.beneficiary_kind, (long long)b.beneficiary_id,
				   reason ? reason : "");
	arena_free(a);
	return rc;
}
