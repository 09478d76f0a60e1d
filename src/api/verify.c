/*
 * verify.c — GET /verify/{token}: the public certificate checker (no login).
 *
 * The talent code (core/talent_code.h) is checked against every talent-code public key of
 * the key file (old ones too, so codes signed before a rotation still verify), then the
 * certificate's record: a revoked, suspended or superseded certificate says so whatever
 * its code's dates.  The answer is always 200 with a status:
 *   valid | expired | not_yet_valid | revoked | suspended | superseded | forged | malformed
 * and, when the code is ours, the certificate id, tier, validity, issuer and the holder's
 * name masked (张*) — nothing that identifies the person further.
 */
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/talent_code.h"
#include "domain/certificates.h"
#include "store/store.h"

void api_verify(struct request *rq, struct response *rs)
{
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
	}
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}
