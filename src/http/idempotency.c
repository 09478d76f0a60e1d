/*
 * idempotency.c — Idempotency-Key for opted-in routes (http/idempotency.h).
 */
#include "http/idempotency.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/accounts.h"
#include "store/idempotency.h"
#include "store/store.h"

int idem_key_valid(const char *key)
{
	if (!key)
		return 0;
	size_t n = strlen(key);
	if (n == 0 || n > IDEMPOTENCY_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || (unsigned char)key[i] > 0x7e)
			return 0;
	return 1;
}

static void body_hash(const struct request *rq, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)(rq->body ? rq->body : ""),
			   rq->body ? rq->body_len : 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

/* Sends the stored response, or 422 when the key was used for another request. */
static void replay(struct request *rq, struct response *rs, const struct idem_record *rec,
		   const char *hash)
{
	if (strcmp(rec->method, rq->method) != 0 || strcmp(rec->path, rq->path) != 0 ||
	    strcmp(rec->body_hash, hash) != 0) {
		resp_problem(rq, rs, 422, "idempotency_key_reused",
			     "此 Idempotency-Key 已用于另一个请求（请求体或地址不同）；新请求请用新的键",
			     "this Idempotency-Key was used for a different request (another body or "
			     "path); use a new key for a new request",
			     NULL);
		return;
	}
	char *copy = malloc(rec->body_len + 1);
	if (!copy) {
		resp_rc(rq, rs, TP_ERR_NOMEM);
		return;
	}
	memcpy(copy, rec->body, rec->body_len);
	copy[rec->body_len] = '\0';
	free(rs->body);
	rs->status = rec->status;
	rs->content_type = rec->content_type;
	rs->body = copy;
	rs->body_len = rec->body_len;
	rs->nheaders = 0;
	resp_header(rs, "Idempotent-Replayed", "true");
}

static int kept(unsigned status)
{
	return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status != 429);
}

/* Replaces whatever the handler answered with the problem for rc (a 5xx). */
static void fail(struct request *rq, struct response *rs, enum tp_rc rc)
{
	rs->nheaders = 0;
	resp_rc(rq, rs, rc == TP_OK ? TP_ERR_INTERNAL : rc);
}

void idem_dispatch(struct request *rq, struct response *rs, const struct route *r)
{
	const char *key = req_header(rq, "Idempotency-Key");
	if (!key) {
		resp_problem(rq, rs, 428, "idempotency_key_required",
			     "此接口须带 Idempotency-Key 请求头（1 到 128 个可打印 ASCII 字符，"
			     "每个新请求一个新值）",
			     "this endpoint requires an Idempotency-Key header (1 to 128 printable "
			     "ASCII characters, a new value for each new request)",
			     NULL);
		return;
	}
	if (!idem_key_valid(key)) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_add(&ve, "Idempotency-Key", "idempotency_key_invalid",
			 "Idempotency-Key 应为 1 到 128 个可打印 ASCII 字符",
			 "Idempotency-Key must be 1 to 128 printable ASCII characters");
		resp_problem(rq, rs, 400, "idempotency_key_invalid", "Idempotency-Key 格式错误",
			     "the Idempotency-Key header is malformed", &ve);
		return;
	}
	struct store *st = rq->store;
	const struct idem_store_ops *ops = st->ops->idem;
	int64_t account = rq->auth ? rq->auth->user.id : 0;
	char hash[65];
	body_hash(rq, hash);
	int64_t now = tp_now();
	int64_t not_before = now - IDEMPOTENCY_TTL_SECS;
	struct idem_record rec;

	/* the common repeat: answered from a read, without the write lock */
	enum tp_rc rc = ops->get(st, account, key, not_before, rq->arena, &rec);
	if (rc == TP_OK) {
		replay(rq, rs, &rec, hash);
		return;
	}
	if (rc != TP_ERR_NOT_FOUND) {
		resp_rc(rq, rs, rc);
		return;
	}
	if ((rc = ops->outer_begin(st)) != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	/* under the write lock: a concurrent duplicate may have finished meanwhile */
	rc = ops->get(st, account, key, not_before, rq->arena, &rec);
	if (rc == TP_OK) {
		ops->outer_end(st, 0);
		replay(rq, rs, &rec, hash);
		return;
	}
	if (rc != TP_ERR_NOT_FOUND) {
		ops->outer_end(st, 0);
		resp_rc(rq, rs, rc);
		return;
	}
	r->handler(rq, rs);
	store_rollback(st); /* a savepoint the handler left open: undo it */
	if (!rs->status || !kept(rs->status)) {
		ops->outer_end(st, 0); /* not kept: leaves no trace, a retry runs afresh */
		return;
	}
	struct idem_record put = {
		.account_id = account,
		.key = key,
		.method = rq->method,
		.path = rq->path,
		.body_hash = hash,
		.status = rs->status,
		.content_type = rs->content_type,
		.body = rs->body,
		.body_len = rs->body_len,
		.created_at = now,
	};
	rc = ops->put(st, &put, not_before);
	if (rc != TP_OK) {
		ops->outer_end(st, 0);
		fail(rq, rs, rc);
		return;
	}
	if ((rc = ops->outer_end(st, 1)) != TP_OK)
		fail(rq, rs, rc);
}
