/*
 * identification.c — the talent identification application (see identification.h).
 */
#include "domain/identification.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/applications.h"
#include "domain/audit.h"
#include "domain/registry.h"
#include "store/store.h"

static int claim_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static void check_form(json_t *form, struct verrors *ve)
{
	static const char *const keys[] = {"claims", "statement", NULL};
	if (!json_is_object(form)) {
		verr_add(ve, "form", "type", "form 应为对象", "form must be an object");
		return;
	}
	jsonx_no_unknown(form, keys, ve);
	json_t *claims = json_object_get(form, "claims");
	if (claims && !json_is_array(claims))
		verr_add(ve, "form.claims", "type", "claims 应为列表", "claims must be a list");
	else if (claims && json_array_size(claims) > 20)
		verr_add(ve, "form.claims", "too_many", "claims 最多 20 项", "claims has at most 20 items");
	size_t i;
	json_t *c;
	json_array_foreach(claims, i, c) {
		if (!json_is_string(c) || !claim_code_ok(json_string_value(c))) {
			verr_add(ve, "form.claims", "format", "每项应为小写字母、数字或下划线组成的代码",
				 "each claim is a code of lower-case letters, digits and _");
			break;
		}
	}
	const char *st = NULL;
	jsonx_str(form, "statement", 2000, 0, ve, &st);
}

void identification_check_form(const char *text, struct verrors *ve)
{
	json_error_t je;
	json_t *form = json_loads(text ? text : "{}", 0, &je);
	if (!form)
		verr_add(ve, "form", "json", "form 不是合法的 JSON", "form is not valid JSON");
	else
		check_form(form, ve);
	json_decref(form);
}

enum tp_rc identification_prepare(struct store *st, struct application *ap,
				  const struct talent *t, int64_t now, struct verrors *ve)
{
	(void)st;
	(void)t;
	(void)now;
	identification_check_form(ap->form, ve);
	/* The standard's proposal (policies/jinjiang/standard) is filled in here once the
	 * standard pack is loaded by the server; until then only the claimed tier counts. */
	ap->proposed_tier = 0;
	ap->proposal = NULL;
	if (!ap->claimed_tier && !ap->proposed_tier)
		verr_add(ve, "claimed_tier", "required",
			 "按标准未能推荐层次，请填写申请层次并提交佐证材料",
			 "the standard proposes no tier from the facts held: claim one, with evidence");
	return ve->n ? TP_ERR_INVALID : TP_OK;
}

enum tp_rc identification_certify(struct store *st, const struct actor *who,
				  struct application *ap, int64_t now, struct verrors *ve)
{
	struct arena *ar = ve->arena;
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, st, ap->talent_id, ar, &t);
	if (rc != TP_OK)
		return rc;
	struct civil_date from = app_today(now);
	struct civil_date to = date_from_days(date_to_days(date_add_years(from, IDENT_VALID_YEARS)) - 1);
	char f[11], e[11];
	date_format(from, f);
	date_format(to, e);
	t.tier = ap->final_tier;
	t.tier_from = arena_strdup(ar, f);
	t.tier_to = arena_strdup(ar, e);
	rc = STORE_CALL(talent_update, st, &t);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "talent.certify", "talent", t.id, "tier %d %s..%s app %lld",
				   t.tier, f, e, (long long)ap->id);
	return rc;
}
