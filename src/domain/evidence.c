/*
 * evidence.c — the application_files rows: add, list, get, download, delete, each
 * change audited in its transaction (evidence.h).  The caller has authorised the
 * application id; nothing here decides who may see it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "store/store.h"

static struct actor cli_actor(const struct actor *who, struct actor *buf)
{
	if (who)
		return *who;
	*buf = actor_system();
	return *buf;
}

enum tp_rc evidence_add(struct store *st, const char *dir, const struct actor *who,
			int64_t application_id, const char *raw_name, size_t raw_name_len,
			const void *data, size_t len, struct arena *a, struct app_file *out,
			int *existed, struct evidence_refusal *why)
{
	*existed = 0;
	memset(out, 0, sizeof *out);
	int64_t total = 0;
	enum tp_rc rc = STORE_CALL(app_file_total, st, application_id, &total);
	if (rc != TP_OK)
		return rc;
	enum evidence_type type = evidence_check(data, len, total, EVIDENCE_FILE_MAX,
						 EVIDENCE_APPLICATION_MAX, why);
	if (type == EVIDENCE_NONE)
		return TP_ERR_INVALID;
	char name[EVIDENCE_NAME_MAX + 1];
	if (evidence_clean_name(raw_name, raw_name ? raw_name_len : 0, type, name, sizeof name,
				why) != 0)
		return TP_ERR_INVALID;
	char sha[65];
	/* before the transaction: the disk write is the slow part, and a blob nobody
	 * refers to (the transaction failed) is harmless: it is content-addressed */
	if ((rc = evidence_store(dir, data, len, sha, NULL)) != TP_OK)
		return rc;

	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(app_file_get, st, application_id, 0, sha, a, out);
	if (rc == TP_OK) {
		*existed = 1; /* the same bytes, already there: nothing changes */
		store_rollback(st);
		return TP_OK;
	}
	if (rc == TP_ERR_NOT_FOUND)
		rc = STORE_CALL(app_file_total, st, application_id, &total);
	/* again under the write lock: two uploads racing past the first check */
	if (rc == TP_OK &&
	    evidence_check(data, len, total, EVIDENCE_FILE_MAX, EVIDENCE_APPLICATION_MAX, why) ==
		    EVIDENCE_NONE)
		rc = TP_ERR_INVALID;
	if (rc == TP_OK) {
		out->application_id = application_id;
		out->sha256 = arena_strdup(a, sha);
		out->name = arena_strdup(a, name);
		out->content_type = evidence_type_mime(type);
		out->size = (int64_t)len;
		out->uploaded_by = who ? who->user_id : 0;
		out->uploaded_at = tp_now();
		rc = out->sha256 && out->name ? STORE_CALL(app_file_insert, st, out) : TP_ERR_NOMEM;
	}
	if (rc == TP_OK) {
		struct actor buf;
		struct actor w = cli_actor(who, &buf);
		rc = audit_changef(st, &w, "application_file.upload", "application_file", out->id,
				   "application=%lld sha256=%s size=%zu type=%s",
				   (long long)application_id, sha, len, out->content_type);
	}
	return store_end(st, rc);
}

enum tp_rc evidence_list(struct store *st, int64_t application_id, struct arena *a,
			 struct app_file **items, size_t *n, int64_t *total)
{
	enum tp_rc rc = STORE_CALL(app_file_list, st, application_id, a, items, n);
	*total = 0;
	for (size_t i = 0; rc == TP_OK && i < *n; i++)
		*total += (*items)[i].size;
	return rc;
}

enum tp_rc evidence_get(struct store *st, int64_t application_id, int64_t file_id,
			struct arena *a, struct app_file *out)
{
	return STORE_CALL(app_file_get, st, application_id, file_id, NULL, a, out);
}

enum tp_rc evidence_download(struct store *st, const char *dir, const struct actor *who,
			     int64_t application_id, int64_t file_id, struct arena *a,
			     struct app_file *out, void **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	enum tp_rc rc = evidence_get(st, application_id, file_id, a, out);
	if (rc != TP_OK)
		return rc;
	rc = evidence_read(dir, out->sha256, (size_t)EVIDENCE_FILE_MAX, data, len);
	if (rc == TP_OK && (int64_t)*len != out->size)
		rc = TP_ERR_CONFLICT; /* cannot happen unless the row was changed */
	struct actor buf;
	struct actor w = cli_actor(who, &buf);
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)file_id);
	enum tp_rc arc = audit_append(
		st, &w, "application_file.download", "application_file", oid,
		rc == TP_OK ? "ok" : "failed",
		rc == TP_OK ? ""
		: rc == TP_ERR_CONFLICT ? "blob does not match its hash"
		: rc == TP_ERR_NOT_FOUND ? "blob missing"
					 : "blob unreadable",
		out->sha256, strlen(out->sha256));
	if (rc == TP_OK && arc != TP_OK)
		rc = arc; /* a download that leaves no trace is not served */
	if (rc != TP_OK) {
		free(*data);
		*data = NULL;
		*len = 0;
		/* a row whose blob is gone is the operator's problem, not "no such file" */
		if (rc == TP_ERR_NOT_FOUND)
			rc = TP_ERR_IO;
	}
	return rc;
}

enum tp_rc evidence_delete(struct store *st, const struct actor *who, int64_t application_id,
			   int64_t file_id)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(app_file_delete, st, application_id, file_id, who ? who->user_id : 0,
			tp_now());
	if (rc == TP_OK) {
		struct actor buf;
		struct actor w = cli_actor(who, &buf);
		rc = audit_changef(st, &w, "application_file.delete", "application_file", file_id,
				   "application=%lld", (long long)application_id);
	}
	return store_end(st, rc);
}
