/*
 * audit_archive.c — moving the oldest audit records to a signed file, and checking one.
 *
 * File format (UTF-8, "\n" line ends): one JSON object per record, oldest first, with
 * the members of struct audit_record (id, at, actor_id, actor, role, ip, action,
 * object_type, object_id, result, reason, change_hash, prev_hash, hash); then one last
 * line {"signature":"<128 hex>","public_key":"<64 hex>","algorithm":"ed25519"} whose
 * Ed25519 signature covers every byte of the file before that line.  The records'
 * hashes chain exactly as in the database, so a file can be checked on its own, and
 * the chain left in the database continues from the file's last hash.
 *
 * Order of work: the file is written under a temporary name, fsynced and renamed into
 * place (never over an existing file) BEFORE the records are removed; if the database
 * part then fails the file is removed again.  So a removed record is always in a
 * durable file, and a file at path always matches an archive the database recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/date.h"
#include "domain/audit_int.h"
#include "store/store.h"

#define SAY(...) snprintf(why, whylen, __VA_ARGS__)

static json_t *record_json(const struct audit_record *r)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
			 (json_int_t)r->id, "at", r->at, "actor_id", (json_int_t)r->actor_id,
			 "actor", r->actor, "role", r->role, "ip", r->ip, "action", r->action,
			 "object_type", r->object_type, "object_id", r->object_id, "result",
			 r->result, "reason", r->reason, "change_hash", r->change_hash,
			 "prev_hash", r->prev_hash, "hash", r->hash);
}

struct archive_job {
	FILE *f;
	const char *cutoff;
	struct audit_archive_info *last;
	struct audit_chain c;
	int started, write_failed;
	int64_t n, first_id;
};

static int archive_cb(void *ctx, const struct audit_record *r)
{
	struct archive_job *j = ctx;
	if (!j->started) {
		audit_chain_start(&j->c, j->last->id ? j->last->last_id : 0,
				  j->last->id ? j->last->last_hash : NULL);
		j->started = 1;
	}
	if (strcmp(r->at, j->cutoff) >= 0)
		return 1; /* the archive is a prefix of the chain: stop at the first recent one */
	if (audit_chain_step(&j->c, r) != 0)
		return 1; /* never archive (and so launder) a broken chain */
	json_t *o = record_json(r);
	if (!o || json_dumpf(o, j->f, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', j->f) == EOF) {
		json_decref(o);
		j->write_failed = 1;
		return 1;
	}
	json_decref(o);
	if (j->n++ == 0)
		j->first_id = r->id;
	return 0;
}

static void fsync_dir_of(const char *path)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Signs what f holds so far (fd is its descriptor), appends the signature line and
 * syncs.  sha gets the SHA-256 (hex) of the whole file.
 */
static enum tp_rc sign_and_sync(const struct keyring *kr, FILE *f, int fd, char sha[65])
{
	if (fflush(f) != 0)
		return TP_ERR_IO;
	struct stat sb;
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0)
		return TP_ERR_IO;
	size_t size = (size_t)sb.st_size;
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return TP_ERR_IO;
	unsigned char sig[64], pk[32], digest[32];
	char sig_hex[129], pk_hex[65];
	crypto_hash_sha256_state hs;
	keyring_sign(kr, map, size, sig);
	crypto_hash_sha256_init(&hs);
	crypto_hash_sha256_update(&hs, map, size);
	munmap(map, size);
	keyring_sign_pk(kr, pk);
	hex_encode(sig, sizeof sig, sig_hex);
	hex_encode(pk, sizeof pk, pk_hex);
	char line[300];
	int k = snprintf(line, sizeof line,
			 "{\"signature\":\"%s\",\"public_key\":\"%s\",\"algorithm\":\"ed25519\"}\n",
			 sig_hex, pk_hex);
	crypto_hash_sha256_update(&hs, (const unsigned char *)line, (unsigned long long)k);
	crypto_hash_sha256_final(&hs, digest);
	hex_encode(digest, sizeof digest, sha);
	if (fwrite(line, 1, (size_t)k, f) != (size_t)k || fflush(f) != 0 || fsync(fd) != 0)
		return TP_ERR_IO;
	return TP_OK;
}

/* Renames tmp to path unless path exists (TP_ERR_CONFLICT). */
static enum tp_rc publish(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return TP_OK;
	if (errno == EEXIST)
		return TP_ERR_CONFLICT;
	if (errno != EINVAL && errno != ENOSYS)
		return TP_ERR_IO;
	/* a file system without RENAME_NOREPLACE: link() refuses an existing name too */
	if (link(tmp, path) != 0)
		return errno == EEXIST ? TP_ERR_CONFLICT : TP_ERR_IO;
	unlink(tmp);
	return TP_OK;
}

/*
 * Writes the archive file; *n = 0 when there is nothing to archive (no file).  Fills
 * ar's range, with last_hash and file_sha256 pointing at the caller's buffers.
 */
static enum tp_rc write_file(struct store *st, const struct keyring *kr, const char *cutoff,
			     const char *path, struct audit_archive_info *ar, char last_hash[65],
			     char sha[65], int64_t *n, char *why, size_t whylen)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		SAY("无法创建归档文件 / cannot create the archive file: %s", strerror(errno));
		return TP_ERR_IO;
	}
	FILE *f = fdopen(fd, "w");
	struct arena *a = arena_new();
	struct audit_archive_info last;
	struct archive_job j = {.f = f, .cutoff = cutoff, .last = &last};
	enum tp_rc rc = f && a ? TP_OK : TP_ERR_NOMEM;
	if (rc == TP_OK)
		rc = STORE_CALL(audit_walk, st, 0, &last, a, archive_cb, &j);
	arena_free(a);
	if (rc == TP_OK && j.c.bad_id) {
		audit_chain_why(&j.c, why, whylen);
		rc = TP_ERR_CONFLICT;
	} else if (rc == TP_OK && j.write_failed) {
		SAY("写入归档文件失败 / writing the archive file failed");
		rc = TP_ERR_IO;
	} else if (rc != TP_OK) {
		SAY("读取审计日志失败 / reading the audit log failed (%s)", tp_rc_str(rc));
	}
	int have = rc == TP_OK && j.n > 0;
	if (have && (rc = sign_and_sync(kr, f, fd, sha)) != TP_OK)
		SAY("写入归档文件失败 / writing the archive file failed");
	if ((f ? fclose(f) : close(fd)) != 0 && rc == TP_OK && have) {
		SAY("写入归档文件失败 / writing the archive file failed");
		rc = TP_ERR_IO;
	}
	if (rc == TP_OK && have) {
		rc = publish(tmp, path);
		if (rc == TP_ERR_CONFLICT)
			SAY("归档文件已存在 / the archive file already exists: %s", path);
		else if (rc != TP_OK)
			SAY("无法保存归档文件 / cannot save the archive file: %s", strerror(errno));
	}
	unlink(tmp); /* renamed away already unless something failed */
	if (rc != TP_OK)
		return rc;
	*n = j.n;
	if (have) {
		fsync_dir_of(path);
		ar->first_id = j.first_id;
		ar->last_id = j.c.last_id;
		memcpy(last_hash, j.c.prev, 65);
		ar->last_hash = last_hash;
		ar->file_sha256 = sha;
	}
	return TP_OK;
}

enum tp_rc audit_archive(struct store *st, const struct keyring *kr, const char *before_date,
			 const char *path, const struct actor *who, int64_t *n, char *why,
			 size_t whylen)
{
	struct civil_date d;
	*n = 0;
	SAY("ok");
	if (!before_date || date_parse(before_date, &d) != 0) {
		SAY("日期应为 YYYY-MM-DD / the date must be YYYY-MM-DD");
		return TP_ERR_INVALID;
	}
	long today = (long)(tp_now() / 86400);
	if (date_to_days(d) > today - AUDIT_RETENTION_DAYS) {
		char latest[11];
		date_format(date_from_days(today - AUDIT_RETENTION_DAYS), latest);
		SAY("审计记录须保存至少 %d 天：日期最晚为 %s / audit records are kept at least %d "
		    "days: the date must be %s or earlier",
		    AUDIT_RETENTION_DAYS, latest, AUDIT_RETENTION_DAYS, latest);
		return TP_ERR_INVALID;
	}
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		SAY("归档文件已存在 / the archive file already exists: %s", path);
		return TP_ERR_CONFLICT;
	}
	char cutoff[25], at[25], last_hash[65], sha[65];
	snprintf(cutoff, sizeof cutoff, "%.10sT00:00:00.000Z", before_date);
	struct audit_archive_info ar;
	memset(&ar, 0, sizeof ar);
	enum tp_rc rc = write_file(st, kr, cutoff, path, &ar, last_hash, sha, n, why, whylen);
	if (rc != TP_OK || *n == 0)
		return rc;

	audit_now(at);
	ar.archived_at = at;
	ar.archived_by = who && who->username ? who->username : "";
	char range[48];
	snprintf(range, sizeof range, "%lld-%lld", (long long)ar.first_id, (long long)ar.last_id);
	rc = store_begin(st);
	if (rc == TP_OK) {
		rc = STORE_CALL(audit_archive, st, &ar);
		/* the new record binds the file: its change_hash is the hash of the file's SHA-256 */
		if (rc == TP_OK)
			rc = audit_append(st, who, "audit.archive", "audit_log", range, "ok", "",
					  ar.file_sha256, strlen(ar.file_sha256));
		rc = store_end(st, rc);
	}
	if (rc != TP_OK) {
		unlink(path);
		fsync_dir_of(path);
		*n = 0;
		if (rc == TP_ERR_CONFLICT)
			SAY("审计日志在归档期间被另一归档改动，请重试 / the audit log was archived by "
			    "someone else meanwhile; try again");
		else
			SAY("记录归档失败，未删除任何记录 / recording the archive failed, nothing "
			    "was removed (%s)",
			    tp_rc_str(rc));
	}
	return rc;
}

/* ---- checking a file ---- */

/* The string member key of o, or NULL when absent or not a string. */
static const char *str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Reads one record line into r (strings borrowed from o); -1 when a member is missing. */
static int record_from_json(json_t *o, struct audit_record *r)
{
	memset(r, 0, sizeof(*r));
	json_t *id = json_object_get(o, "id"), *aid = json_object_get(o, "actor_id");
	if (!json_is_integer(id) || !json_is_integer(aid))
		return -1;
	r->id = (int64_t)json_integer_value(id);
	r->actor_id = (int64_t)json_integer_value(aid);
	const char *keys[] = {"at",        "actor",  "role",   "ip",          "action",
			      "object_type", "object_id", "result", "reason", "change_hash",
			      "prev_hash", "hash"};
	const char **dst[] = {&r->at,          &r->actor,     &r->role,   &r->ip,
			      &r->action,      &r->object_type, &r->object_id, &r->result,
			      &r->reason,      &r->change_hash, &r->prev_hash, &r->hash};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!(*dst[i] = str_of(o, keys[i])))
			return -1;
	return 0;
}

/* Checks the signature line [line, end) over [0, signed_len) of buf. */
static enum tp_rc check_signature(const char *buf, size_t signed_len, const char *line,
				  size_t len, unsigned char pk_out[32], char *why, size_t whylen)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	unsigned char sig[64], pk[32];
	const char *s = o ? str_of(o, "signature") : NULL, *p = o ? str_of(o, "public_key") : NULL;
	const char *alg = o ? str_of(o, "algorithm") : NULL;
	int ok = s && p && alg && strcmp(alg, "ed25519") == 0 &&
		 hex_decode(s, sig, sizeof sig) == 0 && hex_decode(p, pk, sizeof pk) == 0;
	json_decref(o);
	if (!ok) {
		SAY("归档文件缺少签名行 / the archive has no valid signature line");
		return TP_ERR_CONFLICT;
	}
	if (pk_out)
		memcpy(pk_out, pk, sizeof pk);
	if (keyring_verify(pk, buf, signed_len, sig) != 0) {
		SAY("归档文件签名无效：文件被改动 / the archive's signature does not verify: the "
		    "file was altered");
		return TP_ERR_CONFLICT;
	}
	return TP_OK;
}

/* Checks the record lines of [buf, buf + len): each hash, each link, ids increasing. */
static enum tp_rc check_records(const char *buf, size_t len, int64_t *n, char *why,
				size_t whylen)
{
	struct audit_chain c;
	int64_t line_no = 0;
	audit_chain_start(&c, 0, NULL);
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t k = nl ? (size_t)(nl - (buf + off)) : len - off;
		json_t *o = json_loadb(buf + off, k, 0, NULL);
		struct audit_record r;
		line_no++;
		if (!o || record_from_json(o, &r) != 0) {
			json_decref(o);
			SAY("第 %lld 行不是审计记录 / line %lld is not an audit record",
			    (long long)line_no, (long long)line_no);
			return TP_ERR_CONFLICT;
		}
		if (line_no == 1) /* where the file starts: its own first link is taken as given */
			audit_chain_start(&c, r.id - 1, r.prev_hash);
		int bad = audit_chain_step(&c, &r);
		json_decref(o);
		if (bad) {
			audit_chain_why(&c, why, whylen);
			return TP_ERR_CONFLICT;
		}
		off += k + 1;
	}
	*n = c.checked;
	if (c.checked == 0) {
		SAY("归档文件没有记录 / the archive holds no records");
		return TP_ERR_CONFLICT;
	}
	return TP_OK;
}

enum tp_rc audit_verify_archive(const char *path, int64_t *n, unsigned char pk[32], char *why,
				size_t whylen)
{
	*n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		SAY("无法读取归档文件 / cannot read the archive file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return TP_ERR_IO;
	}
	size_t size = (size_t)sb.st_size;
	const char *buf = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (buf == MAP_FAILED) {
		SAY("无法读取归档文件 / cannot read the archive file: %s", strerror(errno));
		return TP_ERR_IO;
	}
	enum tp_rc rc;
	if (size < 2 || buf[size - 1] != '\n') {
		SAY("归档文件不完整 / the archive file is truncated");
		rc = TP_ERR_CONFLICT;
	} else {
		/* the signature line is the last line; it signs everything before it */
		size_t start = size - 1;
		while (start > 0 && buf[start - 1] != '\n')
			start--;
		rc = check_signature(buf, start, buf + start, size - 1 - start, pk, why, whylen);
		if (rc == TP_OK)
			rc = check_records(buf, start, n, why, whylen);
	}
	if (buf)
		munmap((void *)buf, size);
	return rc;
}
