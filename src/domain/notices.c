/*
 * notices.c — the caller's notices and their read marks (domain/notices.h).
 */
#include "domain/notices.h"

#include "domain/audit.h"
#include "store/notices.h"

/* The beneficiary the caller reads notices as: 0 when none (staff, unbound accounts). */
static int beneficiary(const struct actor *who, const char **kind, int64_t *id)
{
	if (who->role == ROLE_TALENT && who->talent_id) {
		*kind = "talent";
		*id = who->talent_id;
		return 1;
	}
	if (who->role == ROLE_EMPLOYER && who->enterprise_id) {
		*kind = "enterprise";
		*id = who->enterprise_id;
		return 1;
	}
	return 0;
}

enum tp_rc notices_page(struct store *st, const struct actor *who, int unread_only,
			struct arena *a, struct notice **out, size_t *n, int64_t *unread)
{
	*out = NULL;
	*n = 0;
	*unread = 0;
	const char *kind;
	int64_t id;
	if (!beneficiary(who, &kind, &id))
		return TP_OK; /* staff are told nothing here */
	enum tp_rc rc = NOTICE_CALL(list, st, kind, id, unread_only, NOTICES_LIST_MAX, a, out, n);
	if (rc == TP_OK)
		rc = NOTICE_CALL(unread, st, kind, id, unread);
	return rc;
}

enum tp_rc notice_mark_read(struct store *st, const struct actor *who, int64_t id,
			    int64_t *unread)
{
	*unread = 0;
	const char *kind;
	int64_t bid;
	if (!beneficiary(who, &kind, &bid))
		return TP_ERR_NOT_FOUND;
	char at[24];
	pay_now(at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	int changed = 0;
	rc = NOTICE_CALL(mark_read, st, kind, bid, id, at, &changed);
	if (rc == TP_OK && changed)
		rc = audit_changef(st, who, "notice.read", "notice", id, "{\"read_at\":\"%s\"}", at);
	if (rc == TP_OK)
		rc = NOTICE_CALL(unread, st, kind, bid, unread);
	return store_end(st, rc);
}

enum tp_rc notices_mark_all_read(struct store *st, const struct actor *who, int64_t *n)
{
	*n = 0;
	const char *kind;
	int64_t bid;
	if (!beneficiary(who, &kind, &bid))
		return TP_OK;
	char at[24];
	pay_now(at);
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = NOTICE_CALL(mark_all_read, st, kind, bid, at, n);
	if (rc == TP_OK && *n)
		rc = audit_changef(st, who, "notice.read_all", kind, bid,
				   "{\"read\":%lld,\"read_at\":\"%s\"}", (long long)*n, at);
	return store_end(st, rc);
}
