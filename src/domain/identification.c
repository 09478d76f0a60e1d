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
#include "domain/certificates.h"
#include "domain/registry.h"
#include "domain/standard_facts.h"
#include "policy/policy.h"
#include "policy/standard.h"
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

/* The form parsed and checked (field errors in ve); NULL when it is not JSON. */
static json_t *parse_form(const char *text, struct verrors *ve)
{
	json_t *form = json_loads(text ? text : "{}", 0, NULL);
	if (!form)
		verr_add(ve, "form", "json", "form 不是合法的 JSON", "form is not valid JSON");
	else
		check_form(form, ve);
	return form;
}

static const struct pol_pack *g_standard;

void identification_set_standard(const struct pol_pack *pk)
{
	g_standard = pk;
}

int identification_has_standard(void)
{
	return g_standard != NULL;
}

enum tp_rc identification_propose(struct store *st, const struct talent *t, json_t *claims,
				  int64_t now, struct arena *a, int *tier, const char **json)
{
	*tier = 0;
	*json = NULL;
	if (!g_standard)
		return TP_OK;
	char on[11], err[256];
	date_format(app_today(now), on);
	struct standard_employer *es;
	size_t nes;
	enum tp_rc rc = standard_employers_load(st, t, a, &es, &nes);
	if (rc != TP_OK)
		return rc;
	json_t *doc = standard_facts_from_talent(t, es, nes, claims, on, err, sizeof err);
	if (!doc)
		return TP_ERR_INVALID; /* facts the registry holds are always well formed */
	struct pol_facts *f = pol_facts_from_json(g_standard, doc, err, sizeof err);
	json_decref(doc);
	if (!f)
		return TP_ERR_INVALID;
	struct pol_proposal prop;
	char *text = NULL;
	int r = pol_standard_propose(g_standard, f, on, &prop, &text);
	pol_facts_free(f);
	if (r != 0) {
		free(text);
		return r == POL_STD_OOM ? TP_ERR_NOMEM : TP_ERR_INTERNAL;
	}
	*tier = prop.tier;
	*json = text ? arena_strdup(a, text) : NULL;
	free(text);
	return *json || !text ? TP_OK : TP_ERR_NOMEM;
}

enum tp_rc identification_prepare(struct store *st, struct application *ap,
				  const struct talent *t, int64_t now, struct verrors *ve)
{
	json_t *form = parse_form(ap->form, ve);
	ap->proposed_tier = 0;
	ap->proposal = NULL;
	if (ve->n) {
		json_decref(form);
		return TP_ERR_INVALID;
	}
	/* the standard's proposal from the facts the platform holds and the claims made */
	json_t *claims = json_object_get(form, "claims");
	enum tp_rc rc = identification_propose(st, t, claims, now, ve->arena, &ap->proposed_tier,
					       &ap->proposal);
	json_decref(form);
	if (rc == TP_ERR_INVALID) {
		verr_add(ve, "form.claims", "bad_claim", "申报的条件不在认定标准中",
			 "a claim is not one the identification standard knows");
		return rc;
	}
	if (rc != TP_OK)
		return rc;
	if (!ap->claimed_tier && !ap->proposed_tier)
		verr_add(ve, "claimed_tier", "required",
			 "按认定标准未能推荐层次，请填写申请层次并提交佐证材料",
			 "the standard proposes no tier from the facts held: claim one, with evidence");
	return ve->n ? TP_ERR_INVALID : TP_OK;
}

enum tp_rc identification_certify(struct store *st, const struct actor *who,
				  struct application *ap, int64_t now, struct verrors *ve)
{
	struct arena *ar = ve->arena;
	char from[11];
	date_format(app_today(now), from);
	/* the certificate (and its talent code) from today; the registry's tier follows it */
	struct cert_request req = {ap->talent_id, ap->final_tier, arena_strdup(ar, from), NULL,
				   "人才认定申请 / identification application", ap->id};
	struct certificate c;
	enum tp_rc rc = cert_issue_in_tx(st, who, &req, ar, &c, ve);
	if (rc == TP_OK)
		ap->certificate_id = c.id;
	return rc;
}
