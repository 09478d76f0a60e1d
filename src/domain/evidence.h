/*
 * evidence.h — evidence files of applications (issue 5, item 3).
 *
 * Three layers, each usable alone:
 *
 *   1. evidence_check() and evidence_clean_name() are pure: what the bytes are (PDF,
 *      JPEG or PNG, decided from the content, never from the name) and what the
 *      uploaded name may be shown as.  Everything else is refused with a reason in
 *      Chinese and English.
 *   2. evidence_store() / evidence_read() keep the bytes content-addressed in a files
 *      directory outside any web root: <dir>/sha256/ab/cdef… (the SHA-256 in lower-case
 *      hex, split after two digits).  A blob is written to a temporary file in its final
 *      directory, fsynced, renamed into place and the directory fsynced; a blob already
 *      there is not rewritten.  Reading re-hashes the bytes: a changed blob is refused.
 *   3. evidence_add() / _list() / _get() / _delete() / _download() keep the rows of
 *      application_files (migrations/0010_files.sql) and audit every change (and every
 *      download) in the change's transaction.  They take an application id the caller
 *      has ALREADY authorised: they check nothing about who may see the application.
 *
 * The name a file was uploaded under is display metadata only: the disk never sees it.
 */
#ifndef TP_DOMAIN_EVIDENCE_H
#define TP_DOMAIN_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "domain/actor.h"

struct arena;
struct store;

#define EVIDENCE_FILE_MAX (10LL * 1024 * 1024)        /* bytes per file */
#define EVIDENCE_APPLICATION_MAX (50LL * 1024 * 1024) /* bytes per application (current files) */
#define EVIDENCE_NAME_MAX 255                          /* bytes of a cleaned display name */

enum evidence_type { EVIDENCE_NONE = 0, EVIDENCE_PDF, EVIDENCE_JPEG, EVIDENCE_PNG };

/* "application/pdf", "image/jpeg", "image/png"; NULL for EVIDENCE_NONE. */
const char *evidence_type_mime(enum evidence_type t);
/* "pdf", "jpg", "png"; NULL for EVIDENCE_NONE. */
const char *evidence_type_ext(enum evidence_type t);
/* The type of a MIME name as stored ("application/pdf" ...), EVIDENCE_NONE otherwise. */
enum evidence_type evidence_type_parse(const char *mime);

/* Why something was refused: a stable code and a sentence in each language. */
struct evidence_refusal {
	const char *code; /* "empty", "too_large", "application_full", "executable", "html",
			   * "pdf_truncated", "png_bad_crc", "name_traversal"…: see evidence_check */
	char zh[200];
	char en[200];
};

/*
 * What data[0..len) is.  Returns the type, or EVIDENCE_NONE with why filled in.
 * app_total is the bytes the application's current files already hold; file_max and
 * app_max are the limits (EVIDENCE_FILE_MAX and EVIDENCE_APPLICATION_MAX for the
 * platform's; tests pass smaller ones).  The checks, in order:
 *   empty (0 bytes) → "empty"; len > file_max → "too_large"; app_total + len > app_max
 *   → "application_full" (both messages give the numbers);
 *   HTML, SVG, XML or script markers (<html, <script, <svg, <?xml, <!doctype, <iframe,
 *   <body, <object, <embed, javascript:) in the first 1024 bytes, whatever comes
 *   before them → "html" (this is also what refuses an image or PDF header followed by
 *   markup: a polyglot a browser could sniff);
 *   a PDF (header "%PDF-1.x" or "%PDF-2.x" at offset 0; "%%EOF" within the last 1024
 *   bytes → else "pdf_truncated", and nothing but white space after it → else
 *   "pdf_trailing"; no /JavaScript, /JS, /Launch, /EmbeddedFile(s) or /RichMedia name
 *   outside compressed streams, #xx escapes decoded → else "pdf_active_content");
 *   "%PDF-" with another version → "pdf_version"; "%PDF-" later than offset 0 (in the
 *   first 1024 bytes) → "pdf_offset";
 *   a JPEG (FF D8 FF; a walk of the segments: every marker valid, lengths in bounds, a
 *   frame header before the first scan, EOI as the last two bytes → else "jpeg_bad"
 *   or "jpeg_no_eoi");
 *   a PNG (the 8-byte signature; IHDR first with length 13, sane width/height/depth/
 *   colour type; every chunk's CRC → else "png_bad_crc"; at least one IDAT; IEND last,
 *   ending the file → else "png_no_iend"; other damage "png_bad");
 *   otherwise the known families are named: "executable" (MZ, ELF, Mach-O, "#!"),
 *   "archive" (zip — docx/xlsx too —, gzip, 7z, rar), "office" (OLE2 .doc/.xls),
 *   "image_other" (GIF, BMP, TIFF, WebP), "text" (printable text: scripts, CSV…),
 *   and "unknown" for the rest.
 */
enum evidence_type evidence_check(const void *data, size_t len, int64_t app_total,
				  int64_t file_max, int64_t app_max, struct evidence_refusal *why);

/*
 * Cleans an uploaded file name for display: raw[0..rawlen) is the name as sent (after
 * percent-decoding; it may hold NUL).  Keeps only the last path component ("/" and "\"
 * both separate: "../../etc/passwd" → "passwd", "C:\x\a.pdf" → "a.pdf"), trims white
 * space, and makes the extension match type: a name whose extension is not the type's
 * gets it appended ("scan.exe" holding a PNG → "scan.exe.png"); an absent or empty name
 * becomes "file.<ext>".  Refused (returns -1, why filled in): a NUL ("name_nul"), bytes
 * that are not UTF-8 ("name_utf8"), control characters C0/C1/DEL ("name_control"), bidi
 * controls U+061C U+200E U+200F U+202A..U+202E U+2066..U+2069 ("name_bidi"), a last
 * component that is empty, "." or ".." ("name_traversal"), more than EVIDENCE_NAME_MAX
 * bytes once cleaned ("name_too_long").  On success writes the name (NUL-terminated)
 * into out (outlen >= EVIDENCE_NAME_MAX + 1) and returns 0.
 */
int evidence_clean_name(const char *raw, size_t rawlen, enum evidence_type type, char *out,
			size_t outlen, struct evidence_refusal *why);

/* ---- the files directory ---- */

/* The default files directory of a database: "<db_path>.files".  -1 when it does not fit. */
int evidence_default_dir(const char *db_path, char *out, size_t outlen);

/*
 * Makes dir ready: creates it (mode 0700; its parent must exist) when missing; refuses a
 * path that is not a directory.  TP_OK, else TP_ERR_IO with why (zh + en) in err.
 */
enum tp_rc evidence_dir_prepare(const char *dir, char *err, size_t errlen);

/*
 * Stores data[0..len) under its SHA-256 (hex into out_sha256hex) in dir: sha256/ab/cdef….
 * Creates the two directory levels (0700) as needed.  When the blob exists with the right
 * size it is left alone (*existed = 1; existed may be NULL).  Otherwise the bytes go to a
 * temporary file ".tmp-XXXXXX" in the blob's directory, are fsynced, renamed into place,
 * and the directory is fsynced.  No temporary file is left behind, on success or failure.
 * TP_ERR_IO (logged with errno) when the disk refuses; TP_ERR_INTERNAL when hashing fails.
 */
enum tp_rc evidence_store(const char *dir, const void *data, size_t len,
			  char out_sha256hex[65], int *existed);

/*
 * Reads the blob sha256hex from dir into a malloc'd buffer (*out, *len; free() it).
 * sha256hex must be 64 lower-case hex digits (TP_ERR_INVALID otherwise: no path is built
 * from anything else).  TP_ERR_NOT_FOUND when missing, TP_ERR_TOO_LARGE past max bytes,
 * TP_ERR_CONFLICT when the bytes no longer hash to sha256hex (tampered or damaged: logged),
 * TP_ERR_IO on read errors.
 */
enum tp_rc evidence_read(const char *dir, const char *sha256hex, size_t max, void **out,
			 size_t *len);

/* The path of blob sha256hex in dir (into out); -1 when sha256hex is not 64 lower hex or
 * the path does not fit. */
int evidence_blob_path(const char *dir, const char *sha256hex, char *out, size_t outlen);

/* ---- application_files rows (store + audit) ---- */

struct app_file {
	int64_t id;
	int64_t application_id;
	const char *sha256;       /* 64 lower-case hex */
	const char *name;         /* cleaned display name */
	const char *content_type; /* "application/pdf" | "image/jpeg" | "image/png" */
	int64_t size;
	int64_t uploaded_by;      /* users.id; 0 for the command line */
	int64_t uploaded_at;      /* unix seconds */
	int64_t deleted_at;       /* 0 while current */
	int64_t deleted_by;
};

/*
 * Adds a file to application_id (already authorised by the caller): checks the bytes
 * (evidence_check with the platform's limits and the application's current total, which
 * it sums itself), cleans raw_name (evidence_clean_name; raw_name NULL = no name), stores
 * the blob (evidence_store), then in one transaction re-checks the total, inserts the row
 * and appends the audit record "application_file.upload" (object application_file, the
 * change: application, sha256, size, type).  The same bytes already current on the same
 * application return that row with *existed = 1 and change nothing (no audit record).
 * TP_OK with *out filled (strings in a); TP_ERR_INVALID with why filled in for a refused
 * file or name; TP_ERR_IO / TP_ERR_DB / TP_ERR_BUSY otherwise.
 */
enum tp_rc evidence_add(struct store *st, const char *dir, const struct actor *who,
			int64_t application_id, const char *raw_name, size_t raw_name_len,
			const void *data, size_t len, struct arena *a, struct app_file *out,
			int *existed, struct evidence_refusal *why);

/* The current (not deleted) files of an application, oldest first, and their total size.
 * *items in a. */
enum tp_rc evidence_list(struct store *st, int64_t application_id, struct arena *a,
			 struct app_file **items, size_t *n, int64_t *total);

/* One current file of an application; TP_ERR_NOT_FOUND when missing, deleted or another
 * application's. */
enum tp_rc evidence_get(struct store *st, int64_t application_id, int64_t file_id,
			struct arena *a, struct app_file *out);

/*
 * Reads a current file's bytes (evidence_get + evidence_read: the hash is re-checked) and
 * appends the audit record "application_file.download".  *data malloc'd (free() it).
 * TP_ERR_CONFLICT when the blob was tampered with (logged, audited as failed).
 */
enum tp_rc evidence_download(struct store *st, const char *dir, const struct actor *who,
			     int64_t application_id, int64_t file_id, struct arena *a,
			     struct app_file *out, void **data, size_t *len);

/*
 * Soft-deletes a current file (sets deleted_at/deleted_by; the blob stays) and appends
 * "application_file.delete" in the same transaction.  TP_ERR_NOT_FOUND when it is not a
 * current file of the application.
 */
enum tp_rc evidence_delete(struct store *st, const struct actor *who, int64_t application_id,
			   int64_t file_id);

#endif
