/*
 * verify.c — GET /verify/{token}: the public certificate checker (no login).
 *
 * The talent code (core/talent_code.h) is checked against every talent-code public key of
 * the key file (old ones too, so codes signed before a rotation still verify), then the
 * certificate's record: a revoked, suspended or superseded certificate says so whatever
 * its code's dates.  The answer is always 200 with a status:
 *   valid | expired | not_yet_valid | revoked | suspended | superseded | forged | malformed
 * and, when the code is ours, the certificate id, tier, validity, issuer and the holder's
 * name masked (张*) — nothing that identifies the person further.  Staff signed in who
 * may see the talent also get the talent's id and this year's benefits (write_benefits).
 * Rate-limited per address like the public calculator.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/talent_code.h"
#include "domain/certificates.h"
#include "http/auth.h"
#include "http/pack.h"
#include "policy/policy.h"
#include "store/store.h"

/*
 * Staff scanning a valid code at a service window see who it is and what the talent is
 * entitled to this year (the granted and excluded entitlements of the policy pack, without
 * their explanations: GET /api/v1/talents/{id}/entitlements has those).
 */
static void write_benefits(struct request *rq, struct jw *w, const struct talent *t)
{
	enum tp_rc rc;
	int year = cert_today().y;
	char *doc = api_talent_eval(rq, t, year, 0, &rc);
	json_t *d = doc ? json_loads(doc, 0, NULL) : NULL;
	free(doc);
	json_t *items = json_object_get(d, "entitlements");
	if (!json_is_array(items)) {
		json_decref(d);
		return;
	}
	const struct pol_pack *pk = http_policy_pack();
	jw_kint(w, "talent_id", t->id);
	jw_kint(w, "year", year);
	jw_key(w, "benefits");
	jw_arr_begin(w);
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		const char *policy = json_string_value(json_object_get(e, "policy"));
		json_t *pj = pk && policy ? pol_pack_policy_json(pk, pol_pack_find(pk, policy), 0) : NULL;
		json_t *title = json_object_get(pj, "title");
		jw_obj_begin(w);
		jw_kstr(w, "policy", policy);
		jw_kstr(w, "title", json_string_value(json_object_get(title,
						rq->lang == LANG_EN ? "en" : "zh")));
		jw_kstr(w, "period", json_string_value(json_object_get(e, "period")));
		jw_kstr(w, "item", json_string_value(json_object_get(e, "item")));
		jw_kint(w, "instalment", json_integer_value(json_object_get(e, "instalment")));
		jw_kstr(w, "kind", json_string_value(json_object_get(e, "kind")));
		jw_kstr(w, "status", json_string_value(json_object_get(e, "status")));
		json_t *amt = json_object_get(e, "amount_fen");
		if (amt)
			jw_kint(w, "amount_fen", json_integer_value(amt));
		json_t *q = json_object_get(e, "quantity");
		if (q)
			jw_kint(w, "quantity", json_integer_value(q));
		jw_obj_end(w);
		json_decref(pj);
	}
	jw_arr_end(w);
	json_decref(d);
}

void api_verify(struct request *rq, struct response *rs)
{
	if (api_rate_refused(rq, rs, http_ratelimit_calc(rq->ip)))
		return;
	struct tc_claims cl;
	struct certificate c;
	const char *status =
		cert_verify(rq->store, rq->arena, rq->params[0], cert_today(), &cl, &c);
	if (!status) {
		resp_rc(rq, rs, TP_ERR_DB);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "status", status);
	if (c.id) {
		struct talent t;
		const char *name = "";
		if (STORE_CALL(talent_get, rq->store, c.talent_id, rq->arena, &t) == TP_OK)
			name = cert_mask_name(rq->arena, t.name);
		jw_kint(&w, "certificate_id", c.id);
		jw_kint(&w, "tier", c.tier);
		jw_kstr(&w, "tier_name", cert_tier_zh(c.tier));
		jw_kstr(&w, "valid_from", c.valid_from);
		jw_kstr(&w, "valid_to", c.valid_to);
		jw_kstr(&w, "issuer", c.issuer);
		jw_kstr(&w, "name", name);
		if (c.superseded_by)
			jw_kint(&w, "superseded_by", c.superseded_by);
		if (strcmp(status, "valid") == 0 && ROLES_STAFF & rq->actor.role &&
		    api_talent_visible(rq, &t))
			write_benefits(rq, &w, &t);
	}
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
