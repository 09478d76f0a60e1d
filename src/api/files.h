/*
 * files.h — the HTTP side of evidence files (domain/evidence.h), as functions the
 * application handlers call AFTER their own access check:
 *
 *   POST   /api/v1/applications/{id}/files              → api_files_upload
 *   GET    /api/v1/applications/{id}/files              → api_files_list
 *   GET    /api/v1/applications/{id}/files/{file_id}    → api_files_download
 *   DELETE /api/v1/applications/{id}/files/{file_id}    → api_files_delete
 *
 * None of them decides who may see the application: the caller passes an id it has
 * authorised (and answers 404 + audit itself when the caller may not see it).  Whether
 * the application's state still allows changing its files (a submitted application's
 * evidence is frozen, say) is the caller's rule too.
 */
#ifndef TP_API_FILES_H
#define TP_API_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"

/*
 * Sets the files directory every handler below uses, creating it (0700) when missing.
 * `talentport serve` calls it once before the server starts, with --files-dir or
 * "<db>.files".  Returns 0, or -1 with the reason (zh + en) in err.
 */
int api_files_init(const char *dir, char *err, size_t errlen);

/* The directory set by api_files_init (NULL before: the handlers then answer 503). */
const char *api_files_dir(void);

/*
 * The raw body is the file (any Content-Type: the type is sniffed from the bytes).  The
 * display name comes from ?filename=, else X-File-Name (percent-encoded UTF-8), else
 * Content-Disposition (filename*=UTF-8''…, else filename="…"); none: "file.<ext>".
 * 201 with the file (Location: its download URL); 200 with the existing file and
 * "duplicate": true when the same bytes are already a current file of the application;
 * 413 file_too_large past 10 MB; 422 validation_failed naming "file" (content, the
 * application's 50 MB total) or "filename" with the rule's code (evidence.h) in zh and en.
 */
void api_files_upload(struct request *rq, struct response *rs, int64_t application_id);

/* 200 {"items":[file…], "total_bytes", "limit_bytes", "file_limit_bytes"}: current files. */
void api_files_list(struct request *rq, struct response *rs, int64_t application_id);

/*
 * 200 with the bytes: the sniffed Content-Type, Content-Disposition: attachment with the
 * display name (filename= ASCII fallback and filename*=UTF-8''…), Cache-Control: private,
 * no-store, Content-Security-Policy: sandbox, Cross-Origin-Resource-Policy: same-origin
 * (X-Content-Type-Options: nosniff is on every response, server.c).  404 when file_id is
 * not a current file of the application; 500 file_damaged when the blob no longer
 * matches its hash (logged and audited).  Every download is audited.
 */
void api_files_download(struct request *rq, struct response *rs, int64_t application_id,
			int64_t file_id);

/* 204; 404 when file_id is not a current file of the application.  Audited. */
void api_files_delete(struct request *rq, struct response *rs, int64_t application_id,
		      int64_t file_id);

/* ---- pure helpers (exposed for the unit tests) ---- */

/*
 * The raw display name from the three sources in order of preference: query[0..qlen)
 * (already decoded; NULL when absent), the X-File-Name header (percent-decoded here),
 * the Content-Disposition header (filename*=UTF-8''pct preferred over filename="…" or
 * filename=token).  *name (in a, may hold NUL bytes) and *len; *name NULL when there is
 * none.  Returns -1 when the chosen source is malformed (a bad %-escape, a charset other
 * than UTF-8, an unterminated quote).
 */
int api_files_pick_name(const char *query, size_t qlen, const char *x_file_name,
			const char *content_disposition, struct arena *a, const char **name,
			size_t *len);

/* Content-Disposition for a download: attachment; filename="<ASCII, others as _>";
 * filename*=UTF-8''<percent-encoded name>.  In a; NULL when out of memory. */
const char *api_files_disposition(struct arena *a, const char *name);

#endif
