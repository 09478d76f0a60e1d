/*
 * evidence_blob.c — content-addressed storage of evidence files (evidence.h:
 * evidence_store, evidence_read).  <dir>/sha256/ab/cdef… holds the bytes whose SHA-256
 * is abcdef…; blobs are mode 0400, directories 0700.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/log.h"
#include "domain/evidence.h"

static void log_errno(const char *msg, const char *path)
{
	tp_log(LOG_ERROR, msg, json_pack("{s:s,s:s}", "path", path, "error", strerror(errno)));
}

int evidence_default_dir(const char *db_path, char *out, size_t outlen)
{
	int k = snprintf(out, outlen, "%s.files", db_path);
	return k > 0 && (size_t)k < outlen ? 0 : -1;
}

/* mkdir 0700 unless it exists as a directory; fsyncs the parent after creating it. */
static int ensure_dir(const char *path)
{
	struct stat sb;
	if (mkdir(path, 0700) == 0) {
		char parent[1200];
		snprintf(parent, sizeof parent, "%s/..", path);
		int fd = open(parent, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		return 0;
	}
	if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	return -1;
}

enum tp_rc evidence_dir_prepare(const char *dir, char *err, size_t errlen)
{
	if (!dir || !*dir || strlen(dir) > 900) {
		snprintf(err, errlen, "文件目录路径无效 / the files directory path is not valid");
		return TP_ERR_IO;
	}
	if (ensure_dir(dir) != 0) {
		snprintf(err, errlen, "无法创建或使用文件目录 / cannot create or use the files "
				      "directory %s: %s", dir, strerror(errno));
		return TP_ERR_IO;
	}
	if (access(dir, R_OK | W_OK | X_OK) != 0) {
		snprintf(err, errlen, "文件目录不可读写 / the files directory %s is not writable: %s",
			 dir, strerror(errno));
		return TP_ERR_IO;
	}
	return TP_OK;
}

static int hex_ok(const char *h)
{
	if (!h || strlen(h) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

int evidence_blob_path(const char *dir, const char *sha256hex, char *out, size_t outlen)
{
	if (!hex_ok(sha256hex))
		return -1;
	int k = snprintf(out, outlen, "%s/sha256/%.2s/%s", dir, sha256hex, sha256hex + 2);
	return k > 0 && (size_t)k < outlen ? 0 : -1;
}

/* OpenSSL's SHA-256 (SHA-NI/AVX2 where the CPU has them): about 7x libsodium's portable
 * one on 10 MB, and every download re-hashes.  0, or -1 when OpenSSL fails. */
static int sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -1;
	hex_encode(d, 32, out);
	return 0;
}

/* Reads the whole of fd (a regular file of size bytes) into a malloc'd buffer. */
static enum tp_rc read_all(int fd, size_t size, void **out)
{
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return TP_ERR_NOMEM;
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			return TP_ERR_IO;
		}
		got += (size_t)r;
	}
	*out = buf;
	return TP_OK;
}

enum tp_rc evidence_read(const char *dir, const char *sha256hex, size_t max, void **out,
			 size_t *len)
{
	char path[1200];
	*out = NULL;
	*len = 0;
	if (evidence_blob_path(dir, sha256hex, path, sizeof path) != 0)
		return TP_ERR_INVALID;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return TP_ERR_NOT_FOUND;
		log_errno("evidence blob cannot be opened", path);
		return TP_ERR_IO;
	}
	struct stat sb;
	enum tp_rc rc = TP_OK;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = TP_ERR_IO;
	else if ((uint64_t)sb.st_size > (uint64_t)max)
		rc = TP_ERR_TOO_LARGE;
	void *buf = NULL;
	if (rc == TP_OK && (rc = read_all(fd, (size_t)sb.st_size, &buf)) == TP_ERR_IO)
		log_errno("evidence blob cannot be read", path);
	close(fd);
	if (rc != TP_OK)
		return rc;
	char got[65];
	if (sha256_hex(buf, (size_t)sb.st_size, got) != 0) {
		free(buf);
		return TP_ERR_INTERNAL;
	}
	if (strcmp(got, sha256hex) != 0) {
		tp_log(LOG_ERROR, "evidence blob does not match its hash (tampered or damaged)",
		       json_pack("{s:s,s:s}", "path", path, "sha256", got));
		free(buf);
		return TP_ERR_CONFLICT;
	}
	*out = buf;
	*len = (size_t)sb.st_size;
	return TP_OK;
}

/* 1 when path holds exactly the bytes whose hash is hex. */
static int blob_intact(const char *path, const char *hex, size_t len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat sb;
	void *buf = NULL;
	int ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len &&
		 read_all(fd, len, &buf) == TP_OK;
	close(fd);
	if (ok) {
		char got[65];
		ok = sha256_hex(buf, len, got) == 0 && strcmp(got, hex) == 0;
	}
	free(buf);
	return ok;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum tp_rc evidence_store(const char *dir, const void *data, size_t len,
			  char out_sha256hex[65], int *existed)
{
	int dummy;
	if (!existed)
		existed = &dummy;
	*existed = 0;
	if (sha256_hex(data, len, out_sha256hex) != 0)
		return TP_ERR_INTERNAL;
	char top[1000], sub[1100], path[1200], tmp[1200];
	if (snprintf(top, sizeof top, "%s/sha256", dir) >= (int)sizeof top ||
	    evidence_blob_path(dir, out_sha256hex, path, sizeof path) != 0)
		return TP_ERR_INVALID;
	snprintf(sub, sizeof sub, "%s/%.2s", top, out_sha256hex);
	if (blob_intact(path, out_sha256hex, len)) {
		*existed = 1;
		return TP_OK;
	}
	if (ensure_dir(dir) != 0 || ensure_dir(top) != 0 || ensure_dir(sub) != 0) {
		log_errno("evidence directory cannot be created", sub);
		return TP_ERR_IO;
	}
	snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", sub);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		log_errno("evidence temporary file cannot be created", sub);
		return TP_ERR_IO;
	}
	enum tp_rc rc = TP_OK;
	if (write_all(fd, data, len) != 0 || fchmod(fd, 0400) != 0 || fsync(fd) != 0) {
		log_errno("evidence blob cannot be written", tmp);
		rc = TP_ERR_IO;
	}
	if (close(fd) != 0 && rc == TP_OK) {
		log_errno("evidence blob cannot be written", tmp);
		rc = TP_ERR_IO;
	}
	/* a blob that was there but damaged is replaced: rename is atomic */
	if (rc == TP_OK && rename(tmp, path) != 0) {
		log_errno("evidence blob cannot be renamed into place", path);
		rc = TP_ERR_IO;
	}
	if (rc != TP_OK) {
		unlink(tmp);
		return rc;
	}
	int dfd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		log_errno("evidence directory cannot be synced", sub);
		rc = TP_ERR_IO;
	}
	if (dfd >= 0)
		close(dfd);
	return rc;
}
