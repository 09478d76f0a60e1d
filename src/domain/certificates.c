/*
 * certificates.c — issuing certificates and moving them through their states; see
 * certificates.h.
 */
#include "domain/certificates.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/jsonx.h"
#include "core/talent_code.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "store/store.h"

#define MAX_CODE_KEYS 64

static const char *const TIER_ZH[] = {"",         "第一层次人才", "第二层次人才",
				      "第三层次人才", "第四层次人才", "第五层次人才",
				      "第六层次人才", "第七层次人才"};

const char *cert_tier_zh(int tier)
{
	return tier >= 1 && tier <= 7 ? TIER_ZH[tier] : "";
}

const char *cert_mask_name(struct arena *a, const char *name)
{
	if (!name || !*name)
		return arena_strdup(a, "");
	size_t n = strlen(name), first = utf8_seq_len((const unsigned char *)name, n), rest = 0;
	if (first == 0)
		first = 1;
	for (size_t i = first; i < n;) {
		size_t k = utf8_seq_len((const unsigned char *)name + i, n - i);
		i += k ? k : 1;
		rest++;
	}
	char *out = arena_alloc(a, first + rest + 1);
	if (!out)
		return NULL;
	memcpy(out, name, first);
	memset(out + first, '*', rest);
	out[first + rest] = '\0';
	return out;
}

const char *cert_allowed_actions(const char *status)
{
	if (strcmp(status, "valid") == 0)
		return "suspend, revoke, renew, upgrade";
	if (strcmp(status, "suspended") == 0)
		return "reinstate, revoke";
	return "";
}

struct civil_date cert_today(void)
{
	long long secs = (long long)tp_now() + 8 * 3600;
	return date_from_days((long)(secs / 86400));
}

static const char *utc_now(struct arena *a)
{
	time_t t = (time_t)tp_now();
	struct tm tm;
	char buf[24];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, buf);
}

static const char *date_str(struct arena *a, struct civil_date d)
{
	char buf[11];
	date_format(d, buf);
	return arena_strdup(a, buf);
}

/* A date a talent code can carry: 1970-01-01 .. 2149-06-06. */
static int code_date(const char *s, struct civil_date *d)
{
	if (!s || date_parse(s, d) != 0)
		return 0;
	long n = date_to_days(*d);
	return n >= 0 && n <= 65535;
}

/* Checks the dates; fills *from and *to (the default end when to is NULL). */
static void check_dates(const char *from_s, const char *to_s, struct civil_date *from,
			struct civil_date *to, struct verrors *ve)
{
	int ok_from = code_date(from_s, from);
	if (!from_s)
		verr_add(ve, "valid_from", "required", "有效期开始日期必填（YYYY-MM-DD）",
			 "valid_from is required (YYYY-MM-DD)");
	else if (!ok_from)
		verr_add(ve, "valid_from", "date_range",
			 "有效期开始日期应为 1970-01-01 至 2149-06-06 之间的日期（YYYY-MM-DD）",
			 "valid_from must be a date from 1970-01-01 to 2149-06-06 (YYYY-MM-DD)");
	if (to_s) {
		if (!code_date(to_s, to))
			verr_add(ve, "valid_to", "date_range",
				 "有效期结束日期应为 1970-01-01 至 2149-06-06 之间的日期（YYYY-MM-DD）",
				 "valid_to must be a date from 1970-01-01 to 2149-06-06 (YYYY-MM-DD)");
		else if (ok_from && date_cmp(*from, *to) > 0)
			verr_add(ve, "valid_to", "date_order", "有效期结束日期不能早于开始日期",
				 "valid_to must not be before valid_from");
	} else if (ok_from) {
		*to = date_from_days(date_to_days(date_add_years(*from, CERT_YEARS_DEFAULT)) - 1);
		if (date_to_days(*to) > 65535)
			verr_add(ve, "valid_from", "date_range",
				 "有效期超出 2149-06-06，请给出结束日期",
				 "the validity would end after 2149-06-06: give valid_to");
	}
}

static int text_ok(const char *s, size_t max_chars)
{
	return jsonx_utf8_ok(s, strlen(s)) && jsonx_utf8_len(s) <= max_chars;
}

/* The registry follows the talent's newest valid certificate (or none). */
static enum tp_rc sync_tier(struct store *st, int64_t talent_id, struct arena *a)
{
	struct certificate *cs;
	size_t n;
	enum tp_rc rc = STORE_CALL(cert_list, st, talent_id, a, &cs, &n);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cs[i].status, "valid") == 0)
			return STORE_CALL(talent_set_tier, st, talent_id, cs[i].tier,
					  cs[i].valid_from, cs[i].valid_to);
	return STORE_CALL(talent_set_tier, st, talent_id, 0, NULL, NULL);
}

/* Marks c superseded by `by` (c->version must be current). */
static enum tp_rc supersede(struct store *st, const struct actor *who, struct certificate *c,
			    int64_t by, const char *at, const char *reason)
{
	c->status = "superseded";
	c->status_reason = reason;
	c->status_at = at;
	c->superseded_by = by;
	enum tp_rc rc = STORE_CALL(cert_set_status, st, c);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "certificate.supersede", "certificate", c->id,
				   "by %lld", (long long)by);
	return rc;
}

static enum tp_rc issue_checked(struct store *st, const struct actor *who,
				const struct cert_request *req, struct civil_date from,
				struct civil_date to, struct arena *a, struct certificate *out,
				struct verrors *ve)
{
	struct certificate *cs;
	size_t n;
	enum tp_rc rc = STORE_CALL(cert_list, st, req->talent_id, a, &cs, &n);
	if (rc != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cs[i].status, "suspended") == 0) {
			verr_addf(ve, "talent_id", "certificate_suspended",
				  "该人才的证书 %lld 已暂停，请先恢复或撤销",
				  "the talent's certificate %lld is suspended: reinstate or revoke it first",
				  (long long)cs[i].id);
			return TP_ERR_CONFLICT;
		}
	const char *issuer = NULL;
	rc = STORE_CALL(setting_get, st, CERT_ISSUER_SETTING, a, &issuer);
	if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && (!issuer || !*issuer))) {
		issuer = CERT_ISSUER_DEFAULT;
		rc = TP_OK;
	}
	if (rc != TP_OK)
		return rc;
	struct certificate c = {0};
	c.talent_id = req->talent_id;
	c.tier = req->tier;
	c.valid_from = date_str(a, from);
	c.valid_to = date_str(a, to);
	c.issued_at = utc_now(a);
	c.issuer = issuer;
	c.basis = req->basis ? req->basis : "";
	c.status = "valid";
	c.application_id = req->application_id;
	c.issued_by = who && who->username ? who->username : "system";
	if (!c.valid_from || !c.valid_to || !c.issued_at)
		return TP_ERR_NOMEM;
	if ((rc = STORE_CALL(cert_insert, st, &c)) != TP_OK)
		return rc;

	/* the talent code: signed once, kept with the certificate */
	const struct keyring *kr = st->ops->keyring(st);
	struct tc_claims cl = {.cert_id = c.id, .tier = c.tier, .valid_from = from,
			       .valid_to = to, .issued_at = tp_now()};
	char token[TC_TOKEN_LEN + 1], kid[9];
	if (!kr || (rc = talent_code_encode(kr, &cl, token)) != TP_OK)
		return kr ? rc : TP_ERR_NOT_FOUND;
	snprintf(kid, sizeof kid, "%08x", (unsigned)cl.key_id);
	if ((rc = STORE_CALL(cert_set_token, st, c.id, kid, token)) != TP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(cs[i].status, "valid") == 0 &&
		    (rc = supersede(st, who, &cs[i], c.id, c.issued_at, "reissued")) != TP_OK)
			return rc;
	rc = audit_changef(st, who, "certificate.issue", "certificate", c.id,
			   "talent %lld|tier %d|%s|%s|application %lld|key %s",
			   (long long)c.talent_id, c.tier, c.valid_from, c.valid_to,
			   (long long)c.application_id, kid);
	if (rc == TP_OK)
		rc = sync_tier(st, c.talent_id, a);
	if (rc == TP_OK)
		rc = STORE_CALL(cert_get, st, c.id, a, out);
	return rc;
}

enum tp_rc cert_issue_in_tx(struct store *st, const struct actor *who,
			    const struct cert_request *req, struct arena *a,
			    struct certificate *out, struct verrors *ve)
{
	size_t before = ve->n;
	struct civil_date from = {0}, to = {0};
	if (req->tier < 1 || req->tier > 7)
		verr_add(ve, "tier", "tier_out_of_range", "人才层次应为 1 至 7",
			 "tier must be 1..7");
	check_dates(req->valid_from, req->valid_to, &from, &to, ve);
	if (req->basis && !text_ok(req->basis, CERT_REASON_MAX_CHARS))
		verr_add(ve, "basis", "too_long", "认定依据不超过 200 字",
			 "basis is at most 200 characters");
	if (req->application_id < 0)
		verr_add(ve, "application_id", "range", "申请编号应为正整数",
			 "application_id must be a positive integer");
	struct talent t;
	enum tp_rc rc = STORE_CALL(talent_get, st, req->talent_id, a, &t);
	if (rc == TP_ERR_NOT_FOUND)
		verr_add(ve, "talent_id", "unknown_talent", "人才不存在", "no such talent");
	else if (rc != TP_OK)
		return rc;
	if (ve->n > before)
		return TP_ERR_INVALID;
	return issue_checked(st, who, req, from, to, a, out, ve);
}

enum tp_rc cert_issue(struct store *st, const struct actor *who, const struct cert_request *req,
		      struct arena *a, struct certificate *out, struct verrors *ve)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	return store_end(st, cert_issue_in_tx(st, who, req, a, out, ve));
}

static enum tp_rc check_reason(const char *reason, struct verrors *ve)
{
	if (!reason || !*reason) {
		verr_add(ve, "reason", "required", "须填写原因", "reason is required");
		return TP_ERR_INVALID;
	}
	if (!text_ok(reason, CERT_REASON_MAX_CHARS)) {
		verr_add(ve, "reason", "too_long", "原因不超过 200 字",
			 "reason is at most 200 characters");
		return TP_ERR_INVALID;
	}
	return TP_OK;
}

static enum tp_rc change_in_tx(struct store *st, const struct actor *who, int64_t id,
			       enum cert_action action, const char *reason, struct arena *a,
			       struct certificate *c)
{
	static const char *const names[] = {"suspend", "reinstate", "revoke"};
	enum tp_rc rc = STORE_CALL(cert_get, st, id, a, c);
	if (rc != TP_OK)
		return rc;
	int valid = strcmp(c->status, "valid") == 0, susp = strcmp(c->status, "suspended") == 0;
	const char *to = NULL;
	switch (action) {
	case CERT_SUSPEND:
		to = valid ? "suspended" : NULL;
		break;
	case CERT_REINSTATE:
		to = susp ? "valid" : NULL;
		break;
	case CERT_REVOKE:
		to = valid || susp ? "revoked" : NULL;
		break;
	}
	if (!to)
		return TP_ERR_CONFLICT;
	const char *from = c->status;
	c->status = to;
	c->status_reason = reason;
	c->status_at = utc_now(a);
	if ((rc = STORE_CALL(cert_set_status, st, c)) != TP_OK)
		return rc;
	char action_name[32];
	snprintf(action_name, sizeof action_name, "certificate.%s", names[action]);
	/* the reason is hashed with the change, never stored in the audit log */
	rc = audit_changef(st, who, action_name, "certificate", c->id, "%s>%s|%s", from, to,
			   reason);
	if (rc == TP_OK)
		rc = sync_tier(st, c->talent_id, a);
	return rc;
}

enum tp_rc cert_change_status(struct store *st, const struct actor *who, int64_t id,
			      enum cert_action action, const char *reason, struct arena *a,
			      struct certificate *out, struct verrors *ve)
{
	struct certificate c;
	enum tp_rc rc = check_reason(reason, ve);
	if (rc != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = store_end(st, change_in_tx(st, who, id, action, reason, a, &c));
	if (rc == TP_OK && out)
		*out = c;
	return rc;
}

enum tp_rc cert_renew(struct store *st, const struct actor *who, int64_t id, int tier,
		      const char *valid_from, const char *valid_to, const char *reason,
		      struct arena *a, struct certificate *out, struct verrors *ve)
{
	struct certificate old;
	enum tp_rc rc;
	if (reason && !text_ok(reason, CERT_REASON_MAX_CHARS)) {
		verr_add(ve, "reason", "too_long", "原因不超过 200 字",
			 "reason is at most 200 characters");
		return TP_ERR_INVALID;
	}
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(cert_get, st, id, a, &old);
	if (rc == TP_OK && strcmp(old.status, "valid") != 0)
		rc = TP_ERR_CONFLICT;
	if (rc != TP_OK)
		return store_end(st, rc);
	if (tier && (tier < 1 || tier >= old.tier)) {
		verr_addf(ve, "tier", "tier_not_higher",
			  "升级后的层次应高于现有的第 %d 层次（数字更小）",
			  "an upgrade needs a higher tier than the current %d (a smaller number)",
			  old.tier);
		return store_end(st, TP_ERR_INVALID);
	}
	if (!valid_from) {
		struct civil_date end, next, now = cert_today();
		if (date_parse(old.valid_to, &end) == 0) {
			next = date_from_days(date_to_days(end) + 1);
			valid_from = date_str(a, date_cmp(next, now) > 0 ? next : now);
		}
	}
	struct cert_request req = {.talent_id = old.talent_id, .tier = tier ? tier : old.tier,
				   .valid_from = valid_from, .valid_to = valid_to,
				   .basis = tier ? "upgrade" : "renewal",
				   .application_id = old.application_id};
	if (reason && *reason)
		req.basis = reason;
	/* cert_issue_in_tx supersedes the old certificate (it is valid) */
	rc = cert_issue_in_tx(st, who, &req, a, out, ve);
	return store_end(st, rc);
}

const char *cert_verify(struct store *st, struct arena *a, const char *token,
			     struct civil_date on, struct tc_claims *cl, struct certificate *c)
{
	struct tc_pubkey keys[MAX_CODE_KEYS];
	const struct keyring *kr = st->ops->keyring(st);
	size_t n = kr ? talent_code_keys_from_ring(kr, keys, MAX_CODE_KEYS) : 0;
	enum tc_verdict v = talent_code_decode(token, keys, n, on, cl);
	memset(c, 0, sizeof *c);
	if (v == TC_FORGED || v == TC_MALFORMED)
		return tc_verdict_str(v);
	enum tp_rc rc = STORE_CALL(cert_get, st, cl->cert_id, a, c);
	if (rc == TP_ERR_NOT_FOUND) {
		/* our signature, but no such record (a database restored from before it) */
		memset(c, 0, sizeof *c);
		return "revoked";
	}
	if (rc != TP_OK)
		return NULL;
	char from[11], to[11];
	date_format(cl->valid_from, from);
	date_format(cl->valid_to, to);
	if (c->tier != cl->tier || strcmp(c->valid_from, from) != 0 ||
	    strcmp(c->valid_to, to) != 0 || !c->token || strcmp(c->token, token) != 0) {
		memset(c, 0, sizeof *c);
		return "forged"; /* signed, but not what we issued as this certificate */
	}
	if (strcmp(c->status, "valid") != 0)
		return c->status; /* revoked | suspended | superseded */
	return tc_verdict_str(v);
}

