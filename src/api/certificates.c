/*
 * certificates.c — /api/v1/certificates and /api/v1/talents/{id}/certificates: talent
 * certificates (domain/certificates.h), their PDF (domain/certificate_pdf.h) and the
 * office's actions on them.
 *
 * A certificate is visible to whoever may see its talent (api_talent_visible): the talent
 * their own, an employer its staff's, a town reviewer their town's ...; anything else is
 * answered 404 exactly like a missing one, and the refusal is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/certificate_pdf.h"
#include "domain/certificates.h"
#include "store/store.h"

void api_certificate_write(struct jw *w, const struct certificate *c, const struct talent *t)
{
	char num[32];
	cert_number(c, num);
	jw_obj_begin(w);
	jw_kint(w, "id", c->id);
	jw_kint(w, "version", c->version);
	jw_kstr(w, "number", num);
	jw_kint(w, "talent_id", c->talent_id);
	if (t) {
		jw_kstr(w, "name", t->name);
		jw_kstr(w, "id_number", t->id_number_mask);
	}
	jw_kint(w, "tier", c->tier);
	jw_kstr(w, "tier_name", cert_tier_zh(c->tier));
	jw_kstr(w, "valid_from", c->valid_from);
	jw_kstr(w, "valid_to", c->valid_to);
	jw_kstr(w, "issued_at", c->issued_at);
	jw_kstr(w, "issuer", c->issuer);
	jw_kstr(w, "basis", c->basis);
	jw_kstr(w, "status", c->status);
	jw_kstr(w, "status_reason", c->status_reason);
	jw_kstr(w, "status_at", c->status_at);
	jw_kint_opt(w, "superseded_by", c->superseded_by, 0);
	jw_kint_opt(w, "application_id", c->application_id, 0);
	jw_kstr(w, "issued_by", c->issued_by);
	jw_kstr(w, "key_id", c->key_id);
	jw_kstr(w, "token", c->token);
	jw_key(w, "verify_url");
	char url[16 + 128];
	snprintf(url, sizeof url, "/verify/%s", c->token ? c->token : "");
	jw_str(w, url);
	jw_obj_end(w);
}

/* Loads the certificate named by the path and its talent; 404 when missing or hidden. */
static int load_visible(struct request *rq, struct response *rs, struct certificate *c,
			struct talent *t)
{
	int64_t id;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return -1;
	}
	enum tp_rc rc = STORE_CALL(cert_get, rq->store, id, rq->arena, c);
	if (rc == TP_OK)
		rc = STORE_CALL(talent_get, rq->store, c->talent_id, rq->arena, t);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return -1;
	}
	if (!api_talent_visible(rq, t)) {
		api_hidden(rq, rs, "certificate", id);
		return -1;
	}
	return 0;
}

static void send_cert(struct response *rs, unsigned status, const struct certificate *c,
		      const struct talent *t)
{
	struct jw w;
	jw_init(&w);
	api_certificate_write(&w, c, t);
	resp_jw(rs, status, &w);
}

void api_certificates_get(struct request *rq, struct response *rs)
{
	struct certificate c;
	struct talent t;
	if (load_visible(rq, rs, &c, &t) == 0)
		send_cert(rs, 200, &c, &t);
}

void api_certificates_pdf(struct request *rq, struct response *rs)
{
	struct certificate c;
	struct talent t;
	if (load_visible(rq, rs, &c, &t) != 0)
		return;
	/* the QR holds the verify URL when the office configured its public address */
	const char *base = NULL, *qr = c.token;
	if (STORE_CALL(setting_get, rq->store, "certificate.verify_base_url", rq->arena, &base) ==
		    TP_OK &&
	    base && *base)
		qr = arena_printf(rq->arena, "%s/verify/%s", base, c.token);
	struct cert_pdf_input in = {.c = &c, .name = t.name, .id_number_mask = t.id_number_mask,
				    .qr_text = qr};
	unsigned char *pdf = NULL;
	size_t len = 0;
	char err[512];
	enum tp_rc rc = cert_pdf_render(&in, &pdf, &len, err, sizeof err);
	if (rc != TP_OK) {
		/* a missing font is the installation's fault, not the request's: 503 */
		resp_problem(rq, rs, rc == TP_ERR_IO ? 503 : 500,
			     rc == TP_ERR_IO ? "pdf_unavailable" : "pdf_failed", err, err, NULL);
		return;
	}
	char num[32];
	cert_number(&c, num);
	resp_bytes(rs, 200, "application/pdf", pdf, len);
	free(pdf);
	char *cd = arena_printf(rq->arena, "attachment; filename=\"%s.pdf\"", num);
	if (cd)
		resp_header(rs, "Content-Disposition", cd);
}

void api_talent_certificates(struct request *rq, struct response *rs)
{
	int64_t id;
	struct talent t;
	if (req_parse_id(rq->params[0], &id) != 0) {
		resp_rc(rq, rs, TP_ERR_NOT_FOUND);
		return;
	}
	enum tp_rc rc = STORE_CALL(talent_get, rq->store, id, rq->arena, &t);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	if (!api_talent_visible(rq, &t)) {
		api_hidden(rq, rs, "talent", id);
		return;
	}
	struct certificate *cs;
	size_t n;
	if ((rc = STORE_CALL(cert_list, rq->store, id, rq->arena, &cs, &n)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "items");
	jw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		api_certificate_write(&w, &cs[i], &t);
	jw_arr_end(&w);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

/* The problem for a domain result (TP_OK handled by the caller). */
static void answer_error(struct request *rq, struct response *rs, enum tp_rc rc,
			 const struct verrors *ve, const char *status)
{
	if (rc == TP_ERR_INVALID) {
		resp_invalid(rq, rs, ve);
	} else if (rc == TP_ERR_CONFLICT && ve->n) {
		resp_problem(rq, rs, 409, ve->v[0].code, ve->v[0].zh, ve->v[0].en, ve);
	} else if (rc == TP_ERR_CONFLICT) {
		const char *allowed = status ? cert_allowed_actions(status) : "";
		char *zh = arena_printf(rq->arena, "证书状态为 %s，不允许此操作；允许的操作：%s",
					status ? status : "?", *allowed ? allowed : "无");
		char *en = arena_printf(rq->arena,
					"the certificate is %s: this action is not allowed; "
					"allowed: %s",
					status ? status : "?", *allowed ? allowed : "none");
		resp_problem(rq, rs, 409, "invalid_transition", zh ? zh : "", en ? en : "", NULL);
	} else if (rc == TP_ERR_NOT_FOUND && !status) {
		resp_problem(rq, rs, 503, "no_code_key", "密钥文件中没有人才码签名密钥",
			     "the key file has no talent-code key (talentport keys rotate-code)",
			     NULL);
	} else {
		resp_rc(rq, rs, rc);
	}
}

void api_certificates_create(struct request *rq, struct response *rs)
{
	static const char *const fields[] = {"talent_id", "tier", "valid_from", "valid_to",
					     "basis", "application_id", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct cert_request req = {0};
	int64_t tier = 0;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_int(rq->json, "talent_id", 1, INT64_MAX, 1, &ve, &req.talent_id);
	jsonx_int(rq->json, "tier", 1, 7, 1, &ve, &tier);
	jsonx_date(rq->json, "valid_from", 1, &ve, &req.valid_from);
	jsonx_date(rq->json, "valid_to", 0, &ve, &req.valid_to);
	jsonx_str(rq->json, "basis", CERT_REASON_MAX_CHARS, 1, &ve, &req.basis);
	jsonx_int(rq->json, "application_id", 1, INT64_MAX, 0, &ve, &req.application_id);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	req.tier = (int)tier;
	struct certificate c;
	enum tp_rc rc = cert_issue(rq->store, &rq->actor, &req, rq->arena, &c, &ve);
	if (rc != TP_OK) {
		answer_error(rq, rs, rc, &ve, NULL);
		return;
	}
	struct talent t;
	if ((rc = STORE_CALL(talent_get, rq->store, c.talent_id, rq->arena, &t)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	char *loc = arena_printf(rq->arena, "/api/v1/certificates/%lld", (long long)c.id);
	if (loc)
		resp_header(rs, "Location", loc);
	send_cert(rs, 201, &c, &t);
}

/* The office acts on a certificate it can see (office reviewers see every talent). */
static int load_for_action(struct request *rq, struct response *rs, struct certificate *c,
			   struct talent *t, int64_t *id)
{
	if (load_visible(rq, rs, c, t) != 0)
		return -1;
	*id = c->id;
	return 0;
}

static void status_action(struct request *rq, struct response *rs, enum cert_action action)
{
	static const char *const fields[] = {"reason", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct certificate c, out;
	struct talent t;
	int64_t id;
	if (load_for_action(rq, rs, &c, &t, &id) != 0)
		return;
	const char *reason = NULL;
	jsonx_no_unknown(rq->json, fields, &ve);
	jsonx_str(rq->json, "reason", CERT_REASON_MAX_CHARS, 1, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = cert_change_status(rq->store, &rq->actor, id, action, reason, rq->arena,
					   &out, &ve);
	if (rc != TP_OK) {
		answer_error(rq, rs, rc, &ve, c.status);
		return;
	}
	send_cert(rs, 200, &out, &t);
}

void api_certificates_suspend(struct request *rq, struct response *rs)
{
	status_action(rq, rs, CERT_SUSPEND);
}

void api_certificates_reinstate(struct request *rq, struct response *rs)
{
	status_action(rq, rs, CERT_REINSTATE);
}

void api_certificates_revoke(struct request *rq, struct response *rs)
{
	status_action(rq, rs, CERT_REVOKE);
}

/* renew (upgrade 0) or upgrade: a new certificate superseding this one */
static void reissue(struct request *rq, struct response *rs, int upgrade)
{
	static const char *const fields[] = {"tier", "valid_from", "valid_to", "reason", NULL};
	struct verrors ve;
	verr_init(&ve, rq->arena);
	struct certificate c, out;
	struct talent t;
	int64_t id, tier = 0;
	if (load_for_action(rq, rs, &c, &t, &id) != 0)
		return;
	const char *from = NULL, *to = NULL, *reason = NULL;
	jsonx_no_unknown(rq->json, upgrade ? fields : fields + 1, &ve);
	if (upgrade)
		jsonx_int(rq->json, "tier", 1, 7, 1, &ve, &tier);
	jsonx_date(rq->json, "valid_from", 0, &ve, &from);
	jsonx_date(rq->json, "valid_to", 0, &ve, &to);
	jsonx_str(rq->json, "reason", CERT_REASON_MAX_CHARS, 0, &ve, &reason);
	if (ve.n) {
		resp_invalid(rq, rs, &ve);
		return;
	}
	enum tp_rc rc = cert_renew(rq->store, &rq->actor, id, (int)tier, from, to, reason,
				   rq->arena, &out, &ve);
	if (rc != TP_OK) {
		answer_error(rq, rs, rc, &ve, c.status);
		return;
	}
	char *loc = arena_printf(rq->arena, "/api/v1/certificates/%lld", (long long)out.id);
	if (loc)
		resp_header(rs, "Location", loc);
	send_cert(rs, 201, &out, &t);
}

void api_certificates_renew(struct request *rq, struct response *rs)
{
	reissue(rq, rs, 0);
}

void api_certificates_upgrade(struct request *rq, struct response *rs)
{
	reissue(rq, rs, 1);
}
