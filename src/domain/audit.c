/*
 * audit.c — appending to the audit log, listing it and verifying its chain.
 *
 * Canonical form (version 1).  A record's hash is
 *
 *   BLAKE2b-256( prev_hash || "tp-audit-1" || F(id) || F(at) || F(actor_id) || F(actor) ||
 *                F(role) || F(ip) || F(action) || F(object_type) || F(object_id) ||
 *                F(result) || F(reason) || F(change_hash) )
 *
 * where prev_hash is the previous record's hash as 64 lower-case hex characters (64
 * zeros for the first record ever, the last archived hash after an archive), integers
 * are written in decimal, and F(v) = <decimal byte length of v> ":" <bytes of v> ";".
 * The length prefix makes the encoding injective whatever bytes a field holds, and
 * "tp-audit-1" (not hex) ends prev_hash unambiguously.  The hash is unkeyed: anyone can
 * check the chain.  What the chain alone cannot show is a rewrite of every record from
 * some point on, or the newest records cut off: that takes a copy of a recent hash kept
 * outside the database (a signed archive is one).
 *
 * What goes in: never personal data.  The change itself (a request body) is only
 * hashed (change_hash); reason is a short free text.  Text fields that may carry a
 * caller's input (actor, ip, object_id, reason) are cut to a cap on a character
 * boundary and invalid UTF-8 bytes become '?', so a hostile value can neither make the
 * append fail (and the event go unrecorded) nor break the JSON of an archive.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/jsonw.h"
#include "core/utf8.h"
#include "domain/audit_int.h"
#include "store/store.h"

static const char ZERO_HASH[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

#define CAP_ACTOR 128
#define CAP_ROLE 32
#define CAP_IP 64
#define CAP_OBJECT_ID 128
#define CAP_REASON 500
#define CAP_CODE 64 /* action, object_type */

static void put_field(crypto_generichash_state *h, const char *v)
{
	if (!v)
		v = "";
	size_t n = strlen(v);
	char len[32];
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_generichash_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_generichash_update(h, (const unsigned char *)v, n);
	crypto_generichash_update(h, (const unsigned char *)";", 1);
}

static void put_int(crypto_generichash_state *h, int64_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)v);
	put_field(h, num);
}

void audit_record_hash(const struct audit_record *r, char out[65])
{
	static const char tag[] = "tp-audit-1";
	crypto_generichash_state h;
	unsigned char d[32];
	const char *prev = r->prev_hash ? r->prev_hash : "";
	crypto_generichash_init(&h, NULL, 0, sizeof d);
	crypto_generichash_update(&h, (const unsigned char *)prev, strlen(prev));
	crypto_generichash_update(&h, (const unsigned char *)tag, sizeof tag - 1);
	put_int(&h, r->id);
	put_field(&h, r->at);
	put_int(&h, r->actor_id);
	put_field(&h, r->actor);
	put_field(&h, r->role);
	put_field(&h, r->ip);
	put_field(&h, r->action);
	put_field(&h, r->object_type);
	put_field(&h, r->object_id);
	put_field(&h, r->result);
	put_field(&h, r->reason);
	put_field(&h, r->change_hash);
	crypto_generichash_final(&h, d, sizeof d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

void audit_now(char out[25])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* follow the injectable clock (core/clock.h) when it is set far from the real one */
	int64_t now = tp_now(), sec = (int64_t)ts.tv_sec;
	if (now < sec - 1 || now > sec + 1)
		sec = now;
	long days = (long)(sec >= 0 ? sec / 86400 : (sec - 86399) / 86400);
	long rem = (long)(sec - (int64_t)days * 86400);
	struct civil_date d = date_from_days(days);
	char buf[80]; /* the exact 24 characters, whatever the compiler thinks fields can hold */
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.y, d.m, d.d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		 (int)(ts.tv_nsec / 1000000));
	memcpy(out, buf, 24);
	out[24] = '\0';
}

/*
 * Copies s into dst (cap bytes + NUL) cut on a character boundary, with every byte that
 * is not part of well-formed UTF-8 (and every control character but tab) made '?'.
 */
static const char *clip(char *dst, size_t cap, const char *s)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t avail = strlen((const char *)p);
	while (avail > 0) {
		size_t k = utf8_seq_len(p, avail);
		if (k == 0 || (k == 1 && ((*p < 0x20 && *p != '\t') || *p == 0x7f))) {
			if (o + 1 > cap)
				break;
			dst[o++] = '?';
			p++;
			avail--;
			continue;
		}
		if (o + k > cap)
			break;
		memcpy(dst + o, p, k);
		o += k;
		p += k;
		avail -= k;
	}
	dst[o] = '\0';
	return dst;
}

/* 1 when s is 1..CAP_CODE of [a-z0-9_.] (or empty, when empty_ok). */
static int code_ok(const char *s, int empty_ok)
{
	if (!s)
		return empty_ok;
	size_t n = strlen(s);
	if (n > CAP_CODE || (n == 0 && !empty_ok))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

static int result_ok(const char *s)
{
	return s && (strcmp(s, "ok") == 0 || strcmp(s, "denied") == 0 || strcmp(s, "failed") == 0);
}

enum tp_rc audit_append_at(struct store *st, const struct actor *who, const char *at,
			   const char *action, const char *object_type, const char *object_id,
			   const char *result, const char *reason, const void *change,
			   size_t change_len)
{
	if (!at || !code_ok(action, 0) || !code_ok(object_type, 1) || !result_ok(result))
		return TP_ERR_INVALID;
	char actor[CAP_ACTOR + 1], role[CAP_ROLE + 1], ip[CAP_IP + 1], oid[CAP_OBJECT_ID + 1];
	char why[CAP_REASON + 1], change_hash[65] = "", prev[65], hash[65];
	struct audit_record r;
	memset(&r, 0, sizeof r);
	r.at = at;
	if (who) {
		const char *rn = who->role ? role_name(who->role) : NULL;
		r.actor_id = who->user_id;
		r.actor = clip(actor, CAP_ACTOR, who->username);
		r.role = clip(role, CAP_ROLE, rn);
		r.ip = clip(ip, CAP_IP, who->ip);
	} else {
		r.actor = r.role = r.ip = "";
	}
	r.action = action;
	r.object_type = object_type ? object_type : "";
	r.object_id = clip(oid, CAP_OBJECT_ID, object_id);
	r.result = result;
	r.reason = clip(why, CAP_REASON, reason);
	if (change) {
		unsigned char d[32];
		crypto_generichash(d, sizeof d, change, change_len, NULL, 0);
		sodium_bin2hex(change_hash, sizeof change_hash, d, sizeof d);
	}
	r.change_hash = change_hash;
	return STORE_CALL(audit_append, st, &r, audit_record_hash, prev, hash);
}

enum tp_rc audit_append(struct store *st, const struct actor *who, const char *action,
			const char *object_type, const char *object_id, const char *result,
			const char *reason, const void *change, size_t change_len)
{
	char at[25];
	audit_now(at);
	return audit_append_at(st, who, at, action, object_type, object_id, result, reason,
			       change, change_len);
}

/* Two decimal digits at s as a number, or -1. */
static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int audit_time_bound(const char *s, int upper, char out[25])
{
	struct civil_date d;
	char day[11];
	size_t n = s ? strlen(s) : 0;
	if (n != 10 && n != 20 && n != 24)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != 0)
		return -1;
	if (n == 10) {
		snprintf(out, 25, "%s%s", day, upper ? "T23:59:59.999Z" : "T00:00:00.000Z");
		return 0;
	}
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[n - 1] != 'Z' ||
	    two(s + 11) < 0 || two(s + 11) > 23 || two(s + 14) < 0 || two(s + 14) > 59 ||
	    two(s + 17) < 0 || two(s + 17) > 59)
		return -1;
	if (n == 24 && (s[19] != '.' || two(s + 20) < 0 || s[22] < '0' || s[22] > '9'))
		return -1;
	if (n == 20)
		snprintf(out, 25, "%.19s%s", s, upper ? ".999Z" : ".000Z");
	else
		snprintf(out, 25, "%s", s);
	return 0;
}

enum tp_rc audit_list(struct store *st, const struct audit_query *q, struct arena *a,
		      struct audit_page *out)
{
	memset(out, 0, sizeof(*out));
	struct audit_query f = *q;
	char from[25], to[25];
	if (f.limit < 1 || f.limit > 500 || f.after_id < 0 || (f.result && !result_ok(f.result)))
		return TP_ERR_INVALID;
	if (f.from && audit_time_bound(f.from, 0, from) != 0)
		return TP_ERR_INVALID;
	if (f.to && audit_time_bound(f.to, 1, to) != 0)
		return TP_ERR_INVALID;
	if (f.from)
		f.from = from;
	if (f.to)
		f.to = to;
	return STORE_CALL(audit_list, st, &f, a, out);
}

/* ---- the chain ---- */

void audit_chain_start(struct audit_chain *c, int64_t last_id, const char *last_hash)
{
	memset(c, 0, sizeof(*c));
	c->last_id = last_id;
	snprintf(c->prev, sizeof c->prev, "%s", last_hash ? last_hash : ZERO_HASH);
}

int audit_chain_step(struct audit_chain *c, const struct audit_record *r)
{
	char h[65];
	if (c->bad_id)
		return -1;
	if (r->id <= c->last_id) {
		c->why = AUDIT_BAD_ID;
	} else {
		audit_record_hash(r, h);
		if (!r->hash || strcmp(h, r->hash) != 0)
			c->why = AUDIT_BAD_HASH;
		else if (!r->prev_hash || strcmp(r->prev_hash, c->prev) != 0)
			c->why = AUDIT_BAD_LINK;
	}
	if (c->why != AUDIT_BAD_NONE) {
		c->bad_id = r->id > 0 ? r->id : -1;
		return -1;
	}
	c->last_id = r->id;
	memcpy(c->prev, h, sizeof h);
	c->checked++;
	return 0;
}

void audit_chain_why(const struct audit_chain *c, char *why, size_t whylen)
{
	long long id = (long long)c->bad_id;
	switch (c->why) {
	case AUDIT_BAD_HASH:
		snprintf(why, whylen,
			 "记录 %lld 哈希不符：记录内容被改动 / record %lld: hash mismatch (the record "
			 "was altered)",
			 id, id);
		break;
	case AUDIT_BAD_LINK:
		snprintf(why, whylen,
			 "记录 %lld 链接断开：它之前的记录被删除、插入或改动 / record %lld: link "
			 "broken (a record before it was removed, inserted or altered)",
			 id, id);
		break;
	case AUDIT_BAD_ID:
		snprintf(why, whylen,
			 "记录 %lld 编号未递增（与归档或前一条记录重叠）/ record %lld: id not "
			 "increasing (overlaps the archive or the record before it)",
			 id, id);
		break;
	case AUDIT_BAD_FORMAT:
		snprintf(why, whylen, "记录 %lld 格式错误 / record %lld: malformed", id, id);
		break;
	default:
		snprintf(why, whylen, "审计链完整 / the chain holds");
	}
}

struct verify_job {
	struct audit_archive_info *last;
	struct audit_chain c;
	int started;
};

static int verify_cb(void *ctx, const struct audit_record *r)
{
	struct verify_job *j = ctx;
	if (!j->started) {
		/* the first record continues the last archive, or starts from zeros */
		audit_chain_start(&j->c, j->last->id ? j->last->last_id : 0,
				  j->last->id ? j->last->last_hash : ZERO_HASH);
		j->started = 1;
	}
	return audit_chain_step(&j->c, r) != 0;
}

enum tp_rc audit_verify(struct store *st, int64_t *checked, int64_t *bad_id, char *why,
			size_t whylen)
{
	struct arena *a = arena_new();
	*checked = 0;
	*bad_id = 0;
	if (!a)
		return TP_ERR_NOMEM;
	struct audit_archive_info last;
	struct verify_job j = {.last = &last};
	audit_chain_start(&j.c, 0, ZERO_HASH);
	enum tp_rc rc = STORE_CALL(audit_walk, st, 0, &last, a, verify_cb, &j);
	arena_free(a);
	*checked = j.c.checked;
	if (rc != TP_OK)
		return rc;
	audit_chain_why(&j.c, why, whylen);
	if (j.c.bad_id) {
		*bad_id = j.c.bad_id;
		return TP_ERR_CONFLICT;
	}
	return TP_OK;
}

enum tp_rc audit_changef(struct store *st, const struct actor *who, const char *action,
			 const char *object_type, int64_t object_id, const char *fmt, ...)
{
	struct actor sys;
	if (!who) {
		sys = actor_system();
		who = &sys;
	}
	char change[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(change, sizeof change, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof change)
		n = (int)sizeof change - 1;
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)object_id);
	return audit_append(st, who, action, object_type, oid, "ok", "", change, (size_t)n);
}

void audit_record_write(struct jw *w, const struct audit_record *r)
{
	jw_obj_begin(w);
	jw_kint(w, "id", r->id);
	jw_kstr(w, "at", r->at);
	jw_kint(w, "actor_id", r->actor_id);
	jw_kstr(w, "actor", r->actor);
	jw_kstr(w, "role", r->role);
	jw_kstr(w, "ip", r->ip);
	jw_kstr(w, "action", r->action);
	jw_kstr(w, "object_type", r->object_type);
	jw_kstr(w, "object_id", r->object_id);
	jw_kstr(w, "result", r->result);
	jw_kstr(w, "reason", r->reason);
	jw_kstr(w, "change_hash", r->change_hash);
	jw_kstr(w, "prev_hash", r->prev_hash);
	jw_kstr(w, "hash", r->hash);
	jw_obj_end(w);
}
