/*
 * benefits.c — applied benefits (快申快享): the prefill from the facts the platform holds,
 * and the confirmation of the entitlements when the office approves (see benefits.h).
 */
#include "domain/benefits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "domain/applications.h"
#include "domain/apprentices.h"
#include "domain/audit.h"
#include "domain/policy_facts.h"
#include "domain/registry.h"
#include "domain/self_identification.h"
#include "policy/policy.h"
#include "store/apprentices.h"
#include "store/store.h"

static const struct pol_pack *g_pack;

void benefit_set_pack(const struct pol_pack *pk)
{
	g_pack = pk;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int benefit_pick(json_t *eval, const char *policy, const char *item, struct arena *a,
		 struct benefit_pick *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = BENEFIT_NOT_DUE;
	json_t *list = json_object_get(eval, "entitlements");
	json_t *granted = json_array();
	if (!granted)
		return -1;
	json_t *excluded = NULL, *ineligible = NULL;
	const char *first_item = NULL;
	char items[256] = ""; /* the distinct items granted, "c1, c2" */
	size_t il = 0;
	int nitems = 0;
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		const char *p = jstr(e, "policy"), *st = jstr(e, "status");
		const char *it = jstr(e, "item") ? jstr(e, "item") : "";
		if (!p || !st || strcmp(p, policy) != 0)
			continue;
		if (item && *item && strcmp(it, item) != 0)
			continue;
		if (strcmp(st, "granted") == 0) {
			if (*it && (!first_item || strcmp(first_item, it) != 0)) {
				/* a new item (entries of one item are listed together) */
				if (!first_item)
					first_item = it;
				nitems++;
				if (il < sizeof items - 24)
					il += (size_t)snprintf(items + il, sizeof items - il, "%s%.16s",
							       il ? ", " : "", it);
			}
			if (json_array_append(granted, e) != 0) {
				json_decref(granted);
				return -1;
			}
		} else if (strcmp(st, "excluded") == 0 && !excluded) {
			excluded = e;
		} else if (strcmp(st, "ineligible") == 0 && !ineligible) {
			ineligible = e;
		}
	}
	if (nitems > 1) {
		json_decref(granted);
		out->outcome = BENEFIT_NEED_ITEM;
		out->items = arena_strdup(a, items);
		return out->items ? 0 : -1;
	}
	if (json_array_size(granted)) {
		out->outcome = BENEFIT_GRANTED;
		out->entitlements = granted;
		out->items = nitems ? arena_strdup(a, items) : NULL;
		return nitems && !out->items ? -1 : 0;
	}
	json_decref(granted);
	if (excluded) {
		out->outcome = BENEFIT_EXCLUDED;
		out->excluded_by = jstr(excluded, "excluded_by");
	} else if (ineligible) {
		json_t *x = json_object_get(ineligible, "explanation");
		out->outcome = BENEFIT_INELIGIBLE;
		out->failed = jstr(x, "failed");
		out->missing = json_object_get(x, "missing");
	}
	return 0;
}

/* The explanation hashes of the granted entitlements, as `policy run` computes them. */
struct hashes {
	const char *policy;
	json_t *out; /* the granted entries: each gets "explanation_hash" */
	int fail;
};

static int hash_one(void *arg, const struct pol_entitlement *e)
{
	struct hashes *h = arg;
	if (strcmp(e->policy, h->policy) != 0 || e->excluded)
		return 0;
	char key[16];
	if (e->month)
		snprintf(key, sizeof key, "%04d-%02d", e->year, e->month);
	else
		snprintf(key, sizeof key, "%04d", e->year);
	size_t i;
	json_t *g;
	json_array_foreach(h->out, i, g) {
		const char *it = jstr(g, "item") ? jstr(g, "item") : "";
		if (strcmp(it, e->item) != 0 || !jstr(g, "period") || strcmp(jstr(g, "period"), key) != 0 ||
		    json_integer_value(json_object_get(g, "instalment")) != e->instalment)
			continue;
		unsigned char b[32];
		char hex[65];
		crypto_generichash(b, sizeof b, (const unsigned char *)e->explanation,
				   e->explanation_len, NULL, 0);
		sodium_bin2hex(hex, sizeof hex, b, sizeof b);
		if (json_object_set_new(g, "explanation_hash", json_string(hex)) != 0)
			h->fail = 1;
	}
	return 0;
}

/* Year of a period text "2026" (2000..2100), or 0. */
static int period_year(const char *p)
{
	if (!p || strlen(p) != 4)
		return 0;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		y = y * 10 + (p[i] - '0');
	}
	return y >= 2000 && y <= 2100 ? y : 0;
}

/* Checks the policy: known, apply channel, the person's (the enterprise's when
 * enterprise).  On success *info is the policy's description (decref). */
static int check_policy(const struct pol_pack *pk, const char *policy, int enterprise,
			struct verrors *ve, json_t **info)
{
	*info = NULL;
	int idx = policy ? pol_pack_find(pk, policy) : -1;
	if (idx < 0) {
		verr_addf(ve, "policy", "unknown_policy", "没有编号为“%s”的政策",
			  "there is no policy '%s'", policy ? policy : "");
		return -1;
	}
	json_t *d = pol_pack_policy_json(pk, idx, 0);
	if (!d)
		return -1;
	const char *ch = jstr(d, "channel"), *ben = jstr(d, "beneficiary");
	if (ch && strcmp(ch, "proactive") == 0) {
		verr_addf(ve, "policy", "proactive_policy",
			  "“%s”是免申即享政策：符合条件即自动发放，无需申请",
			  "'%s' is a proactive policy (免申即享): it is paid to everyone eligible "
			  "without an application", policy);
	} else if (!enterprise && (!ben || strncmp(ben, "person", 6) != 0)) {
		verr_addf(ve, "policy", "enterprise_policy",
			  "“%s”的受益对象是企业，须由企业申请（enterprise_id）",
			  "'%s' benefits an enterprise: the enterprise applies for it (enterprise_id)",
			  policy);
	} else if (enterprise && (!ben || strncmp(ben, "enterprise", 10) != 0)) {
		verr_addf(ve, "policy", "person_policy",
			  "“%s”的受益对象是个人，须为人才申请（talent_id）",
			  "'%s' benefits a person: apply for it for a talent (talent_id)", policy);
	}
	if (ve->n) {
		json_decref(d);
		return -1;
	}
	*info = d;
	return 0;
}

/* The facts document of t for year (with the year's active self-identification). */
static enum tp_rc facts_of(struct store *st, const struct talent *t, int year, struct arena *a,
			   json_t **doc)
{
	struct self_identification si;
	enum tp_rc r = STORE_CALL(selfid_for_talent, st, t->id, year, a, &si);
	if (r != TP_OK && r != TP_ERR_NOT_FOUND)
		return r;
	*doc = policy_facts_from_talent(t);
	if (!*doc || policy_facts_put_self_identified(*doc, r == TP_OK ? &si : NULL) != 0) {
		json_decref(*doc);
		*doc = NULL;
		return TP_ERR_NOMEM;
	}
	return TP_OK;
}

static void refuse_pick(const struct benefit_pick *pk, const char *policy, const char *period,
			struct verrors *ve)
{
	switch (pk->outcome) {
	case BENEFIT_INELIGIBLE: {
		char miss[256] = "";
		size_t ml = 0, i;
		json_t *m;
		json_array_foreach(pk->missing, i, m)
			if (json_is_string(m) && ml < sizeof miss - 64)
				ml += (size_t)snprintf(miss + ml, sizeof miss - ml, "%s%s", ml ? ", " : "",
						       json_string_value(m));
		const char *failed = pk->failed ? pk->failed : "?";
		if (ml)
			verr_addf(ve, "policy", "ineligible",
				  "不符合“%s”的条件：%s 不成立（平台未记录：%s）",
				  "not eligible for '%s': the condition %s does not hold (not recorded: %s)",
				  policy, failed, miss);
		else
			verr_addf(ve, "policy", "ineligible", "不符合“%s”的条件：%s 不成立",
				  "not eligible for '%s': the condition %s does not hold", policy, failed);
		break;
	}
	case BENEFIT_EXCLUDED:
		verr_addf(ve, "policy", "excluded",
			  "“%s”与“%s”同组就高不重复，您适用后者",
			  "'%s' is excluded by '%s' of the same group (就高不重复): you get the latter",
			  policy, pk->excluded_by ? pk->excluded_by : "?");
		break;
	case BENEFIT_NEED_ITEM:
		verr_addf(ve, "item", "required", "“%s”按项目发放，请选择一项：%s",
			  "'%s' is granted per item: choose one of %s", policy, pk->items);
		break;
	default:
		verr_addf(ve, "period", "not_due", "“%s”在 %s 年没有到期的待遇",
			  "nothing of '%s' is due in %s", policy, period);
	}
}

/* The facts document of enterprise eid: its apprentices (domain/policy_facts.h).  When
 * item names one of them, *ap points at it (NULL when it names none). */
static enum tp_rc enterprise_facts(struct store *st, int64_t eid, const char *item,
				   struct arena *a, json_t **doc, const struct apprentice **ap)
{
	struct apprentice *list;
	size_t n;
	*doc = NULL;
	*ap = NULL;
	enum tp_rc rc = st->ops->appr->list(st, eid, a, &list, &n);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; item && i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)list[i].id);
		if (strcmp(id, item) == 0)
			*ap = &list[i];
	}
	*doc = policy_facts_from_enterprise(eid, list, n);
	return *doc ? TP_OK : TP_ERR_NOMEM;
}

static enum tp_rc prefill(struct store *st, const struct talent *t, int64_t eid,
			  const char *policy, const char *period, const char *item,
			  struct arena *a, const char **json, struct verrors *ve);

enum tp_rc benefit_prefill(struct store *st, const struct talent *t, const char *policy,
			   const char *period, const char *item, struct arena *a, const char **json,
			   struct verrors *ve)
{
	return prefill(st, t, 0, policy, period, item, a, json, ve);
}

enum tp_rc benefit_prefill_enterprise(struct store *st, int64_t enterprise_id,
				      const char *policy, const char *period, const char *item,
				      struct arena *a, const char **json, struct verrors *ve)
{
	return prefill(st, NULL, enterprise_id, policy, period, item, a, json, ve);
}

/* The prefill of t (eid 0) or of enterprise eid (t NULL). */
static enum tp_rc prefill(struct store *st, const struct talent *t, int64_t eid,
			  const char *policy, const char *period, const char *item,
			  struct arena *a, const char **json, struct verrors *ve)
{
	const struct pol_pack *pk = g_pack;
	int ent = t == NULL;
	*json = NULL;
	if (!pk)
		return TP_ERR_UNSUPPORTED;
	int year = period_year(period);
	if (!year)
		verr_add(ve, "period", "format", "年度应为 2000 到 2100 之间的年份，如 2026",
			 "period must be a year in 2000..2100, such as 2026");
	if (item && (strlen(item) > 15 || !*item))
		verr_add(ve, "item", "format", "项目编号为 1 到 15 字节，如 c1",
			 "item is 1..15 bytes, such as c1");
	json_t *info = NULL;
	if (check_policy(pk, policy, ent, ve, &info) != 0 || ve->n) {
		json_decref(info);
		return ve->n ? TP_ERR_INVALID : TP_ERR_NOMEM;
	}
	int per_item = strchr(jstr(info, "beneficiary"), '.') != NULL;
	if (!per_item && item) {
		json_decref(info);
		verr_addf(ve, "item", "not_allowed", "“%s”不按项目发放，不需要 item",
			  "'%s' is not granted per item: give no item", policy);
		return TP_ERR_INVALID;
	}
	json_t *doc = NULL, *eval = NULL, *out = NULL;
	struct pol_facts *f = NULL;
	char *text = NULL;
	struct benefit_pick pick = {0};
	const struct apprentice *ap = NULL;
	enum tp_rc rc = ent ? enterprise_facts(st, eid, item, a, &doc, &ap)
			    : facts_of(st, t, year, a, &doc);
	if (rc == TP_OK && ent && item && !ap) {
		verr_addf(ve, "item", "unknown_item", "本企业没有编号为 %s 的学徒",
			  "the enterprise has no apprentice %s", item);
		rc = TP_ERR_INVALID;
	} else if (rc == TP_OK && ent && ap && !ap->enrolled_on) {
		verr_addf(ve, "enrolled_on", "required",
			  "学徒 %s（%s）尚未登记入学日期：补贴按入学日期计算，须先在学徒登记中填写",
			  "apprentice %s (%s) has no enrolment date: the subsidy is due from it; "
			  "record enrolled_on in the apprentice register first", item, ap->name);
		rc = TP_ERR_INVALID;
	}
	char err[512];
	if (rc == TP_OK && !(f = pol_facts_from_json(pk, doc, err, sizeof err))) {
		verr_addf(ve, "facts", "bad_fact", "平台记录的信息有误，须先更正：%s",
			  "a fact the platform holds is wrong and must be corrected first: %s", err);
		rc = TP_ERR_INVALID;
	}
	if (rc == TP_OK) {
		text = pol_eval_json(pk, f, year, 1);
		eval = text ? json_loads(text, 0, NULL) : NULL;
		if (!eval || benefit_pick(eval, policy, item, a, &pick) != 0)
			rc = TP_ERR_NOMEM;
	}
	if (rc == TP_OK && per_item && !item && pick.outcome == BENEFIT_GRANTED)
		pick.outcome = BENEFIT_NEED_ITEM; /* the item is part of the key: always chosen */
	if (rc == TP_OK && pick.outcome != BENEFIT_GRANTED) {
		refuse_pick(&pick, policy, period, ve);
		rc = TP_ERR_INVALID;
	}
	if (rc == TP_OK) {
		struct hashes h = {policy, pick.entitlements, 0};
		if (pol_eval_each(pk, f, year, ent ? POL_FOR_ENTERPRISE : POL_FOR_PERSON, 1, hash_one,
				  &h) != 0 || h.fail)
			rc = TP_ERR_NOMEM;
	}
	if (rc == TP_OK) {
		json_int_t total = 0;
		size_t i;
		json_t *g, *list = json_array();
		json_array_foreach(pick.entitlements, i, g) {
			json_t *o = json_object();
			json_t *amt = json_object_get(g, "amount_fen"), *qty = json_object_get(g, "quantity");
			json_object_set(o, "period", json_object_get(g, "period"));
			json_object_set_new(o, "item", json_string(jstr(g, "item") ? jstr(g, "item") : ""));
			json_object_set(o, "instalment", json_object_get(g, "instalment"));
			json_object_set(o, "kind", json_object_get(g, "kind"));
			if (amt) {
				json_object_set(o, "amount_fen", amt);
				if (jstr(g, "kind") && strcmp(jstr(g, "kind"), "cash") == 0)
					total += json_integer_value(amt);
			}
			if (qty)
				json_object_set(o, "quantity", qty);
			json_object_set(o, "explanation_hash", json_object_get(g, "explanation_hash"));
			json_object_set(o, "explanation", json_object_get(g, "explanation"));
			json_array_append_new(list, o);
		}
		out = json_pack("{s:s, s:O, s:s, s:s, s:s, s:O, s:o, s:I, s:s}", "policy", policy,
				"title", json_object_get(info, "title"), "period", period, "item",
				item ? item : "", "channel", "apply", "facts", doc, "entitlements", list,
				"total_fen", total, "pack", pol_pack_id(pk) ? pol_pack_id(pk) : "");
		char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
		*json = s ? arena_strdup(a, s) : NULL;
		free(s);
		if (!*json)
			rc = TP_ERR_NOMEM;
	}
	json_decref(out);
	json_decref(pick.entitlements);
	json_decref(eval);
	free(text);
	pol_facts_free(f);
	json_decref(doc);
	json_decref(info);
	return rc;
}

/* An enterprise's claim: refused (CONFLICT, ve naming item) when an entitlement of the
 * proposal was confirmed, paid or cancelled already — claimed and approved before. */
static enum tp_rc claimable(struct store *st, const struct application *ap, const char *json,
			    struct verrors *ve)
{
	json_t *p = json_loads(json, 0, NULL);
	size_t i;
	json_t *g;
	enum tp_rc rc = p ? TP_OK : TP_ERR_NOMEM;
	json_array_foreach(json_object_get(p, "entitlements"), i, g) {
		const char *key = jstr(g, "period");
		int inst = (int)json_integer_value(json_object_get(g, "instalment"));
		rc = st->ops->appr->entitlement_open(st, ap->policy, ap->enterprise_id,
						     jstr(g, "item") ? jstr(g, "item") : "",
						     key ? key : "", inst);
		if (rc == TP_ERR_CONFLICT)
			verr_addf(ve, "item", "already_claimed",
				  "该补贴（%s，%s，第 %d 期）已批准、发放或取消，不能再次申请",
				  "this subsidy (%s, %s, instalment %d) was approved, paid or "
				  "cancelled already: it cannot be claimed again",
				  ap->policy, key ? key : "", inst);
		if (rc != TP_OK)
			break;
	}
	json_decref(p);
	return rc;
}

enum tp_rc benefit_prepare(struct store *st, struct application *ap, const struct talent *t,
			   struct verrors *ve)
{
	struct arena *a = ve->arena;
	json_t *form = json_loads(ap->form ? ap->form : "{}", 0, NULL);
	if (!json_is_object(form)) {
		verr_add(ve, "form", "type", "form 应为对象", "form must be an object");
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(form, k, v) {
			if (strcmp(k, "statement") != 0)
				verr_addf(ve, "form", "unknown_field",
					  "待遇申请的 form 只有 statement 一项，“%s”不可填写",
					  "a benefit application's form has only statement; '%s' is not one",
					  k);
			else if (!json_is_string(v) || json_string_length(v) > 2000)
				verr_add(ve, "statement", "too_long", "说明为不超过 2000 字节的文本",
					 "statement is a text of at most 2000 bytes");
		}
	}
	json_decref(form);
	if (ap->claimed_tier)
		verr_add(ve, "claimed_tier", "not_allowed", "待遇申请不申报层次",
			 "a benefit application claims no tier");
	if (!ap->policy)
		verr_add(ve, "policy", "required", "须指明申请的政策", "policy is required");
	if (!ap->period)
		verr_add(ve, "period", "required", "须指明年度，如 2026", "period is required, e.g. 2026");
	if (ve->n)
		return TP_ERR_INVALID;
	const char *json;
	const char *item = ap->item && *ap->item ? ap->item : NULL;
	enum tp_rc rc = ap->talent_id || t
				? benefit_prefill(st, t, ap->policy, ap->period, item, a, &json, ve)
				: benefit_prefill_enterprise(st, ap->enterprise_id, ap->policy,
							     ap->period, item, a, &json, ve);
	if (rc == TP_OK && !ap->talent_id)
		rc = claimable(st, ap, json, ve);
	if (rc == TP_OK)
		ap->proposal = json;
	if (rc == TP_ERR_UNSUPPORTED) {
		verr_add(ve, "kind", "no_policy_pack", "未加载待遇政策包，无法受理待遇申请",
			 "no policy pack is loaded: benefit applications cannot be taken");
		rc = TP_ERR_INVALID;
	}
	if (!ap->item)
		ap->item = "";
	return rc;
}

enum tp_rc benefit_grant(struct store *st, const struct actor *who, struct application *ap,
			 int64_t now, struct verrors *ve)
{
	struct arena *a = ve->arena;
	json_t *p = ap->proposal ? json_loads(ap->proposal, 0, NULL) : NULL;
	json_t *list = json_object_get(p, "entitlements");
	if (!json_is_array(list) || !json_array_size(list)) {
		json_decref(p);
		return TP_ERR_INTERNAL; /* submit and resubmit always store a granted proposal */
	}
	char at[24];
	time_t tt = (time_t)now;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int64_t run_id = 0, ids[16];
	size_t nids = 0, i;
	json_t *g;
	enum tp_rc rc = TP_OK;
	json_array_foreach(list, i, g) {
		struct benefit_ent e = {0};
		json_t *amt = json_object_get(g, "amount_fen");
		e.policy = ap->policy;
		e.beneficiary_kind = ap->talent_id ? "talent" : "enterprise";
		e.beneficiary_id = ap->talent_id ? ap->talent_id : ap->enterprise_id;
		e.item = jstr(g, "item") ? jstr(g, "item") : ap->item ? ap->item : "";
		e.period_key = jstr(g, "period");
		e.instalment = (int)json_integer_value(json_object_get(g, "instalment"));
		e.kind = jstr(g, "kind");
		e.money = amt != NULL;
		e.amount = json_integer_value(amt ? amt : json_object_get(g, "quantity"));
		e.explanation_hash = jstr(g, "explanation_hash") ? jstr(g, "explanation_hash") : "";
		e.pack_id = jstr(p, "pack") ? jstr(p, "pack") : "";
		e.year = period_year(ap->period);
		if (!e.period_key || !e.kind || e.instalment < 1) {
			rc = TP_ERR_INTERNAL;
			break;
		}
		int64_t id = 0;
		rc = STORE_CALL(benefit_confirm, st, &e, ap->id, who->username ? who->username : "",
				at, &run_id, &id);
		if (rc == TP_ERR_CONFLICT) {
			verr_addf(ve, "policy", "already_confirmed",
				  "该待遇（%s，%s，第 %d 期）已确认、发放或取消，不能再次批准",
				  "the entitlement (%s, %s, instalment %d) is already confirmed, paid or "
				  "cancelled: it cannot be approved again",
				  ap->policy, e.period_key, e.instalment);
			break;
		}
		if (rc != TP_OK)
			break;
		if (nids < 16)
			ids[nids++] = id;
	}
	json_decref(p);
	if (rc == TP_OK) {
		char lst[16 * 21 + 2] = "";
		size_t l = 0;
		for (size_t k = 0; k < nids; k++)
			l += (size_t)snprintf(lst + l, sizeof lst - l, "%s%lld", k ? "," : "",
					      (long long)ids[k]);
		rc = audit_changef(st, who, "entitlement.confirm_application", "entitlement",
				   nids ? ids[0] : 0,
				   "{\"application\":%lld,\"policy\":\"%s\",\"period\":\"%s\",\"item\":\"%s\","
				   "\"ids\":[%s]}",
				   (long long)ap->id, ap->policy, ap->period, ap->item ? ap->item : "", lst);
	}
	(void)a;
	return rc;
}
