/*
 * crypto.c — key file, sealed personal data, blind indexes, signatures; see crypto.h.
 *
 * Every secret lives in sodium_malloc'd memory (guard pages, wiped by sodium_free),
 * including the text of the key file while it is read or written.
 */
#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define KEY_BYTES 32
#define KEYFILE_MAX (64 * 1024) /* ~700 data keys: far more than rotation ever needs */

struct data_key {
	uint32_t id;
	unsigned char key[KEY_BYTES];
};

struct keyring_secrets {
	unsigned char index[KEY_BYTES];
	unsigned char seed[crypto_sign_SEEDBYTES];
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
};

/* A talent-code (人才码) signing key: "code <id> <seed>" in the key file. */
struct code_key {
	uint32_t id;
	unsigned char seed[crypto_sign_SEEDBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
};

struct keyring {
	struct keyring_secrets *sec; /* sodium_malloc */
	struct data_key *keys;       /* sodium_malloc, cap entries; the last one is active */
	size_t nkeys, cap;
	struct code_key *codes;      /* sodium_malloc, code_cap entries; the last one is active */
	size_t ncodes, code_cap;
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
};

/* ---- ciphers, by the first byte of a sealed value ---- */

struct pii_cipher {
	unsigned char id;
	const char *name;
	size_t nonce_len, tag_len;
	int (*seal)(unsigned char *c, const unsigned char *m, size_t mlen, const unsigned char *ad,
		    size_t adlen, const unsigned char *nonce, const unsigned char *key);
	/* c holds the ciphertext and tag (clen bytes); 0 when authentic */
	int (*open)(unsigned char *m, const unsigned char *c, size_t clen, const unsigned char *ad,
		    size_t adlen, const unsigned char *nonce, const unsigned char *key);
};

static int xchacha_seal(unsigned char *c, const unsigned char *m, size_t mlen,
			const unsigned char *ad, size_t adlen, const unsigned char *nonce,
			const unsigned char *key)
{
	return crypto_aead_xchacha20poly1305_ietf_encrypt(c, NULL, m, mlen, ad, adlen, NULL, nonce,
							  key);
}

static int xchacha_open(unsigned char *m, const unsigned char *c, size_t clen,
			const unsigned char *ad, size_t adlen, const unsigned char *nonce,
			const unsigned char *key)
{
	return crypto_aead_xchacha20poly1305_ietf_decrypt(m, NULL, NULL, c, clen, ad, adlen, nonce,
							  key);
}

static const struct pii_cipher ciphers[] = {
	{ PII_CIPHER_XCHACHA20, "xchacha20-poly1305", crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	  crypto_aead_xchacha20poly1305_ietf_ABYTES, xchacha_seal, xchacha_open },
	/* an SM4-GCM entry (密评) would go here, with its own cipher byte */
};

static const struct pii_cipher *cipher_find(unsigned char id)
{
	for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++)
		if (ciphers[i].id == id)
			return &ciphers[i];
	return NULL;
}

/* ---- the keyring in memory ---- */

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static struct keyring *keyring_alloc(void)
{
	struct keyring *kr = calloc(1, sizeof *kr);

	if (!kr)
		return NULL;
	kr->sec = sodium_malloc(sizeof *kr->sec);
	if (!kr->sec) {
		free(kr);
		return NULL;
	}
	sodium_memzero(kr->sec, sizeof *kr->sec);
	return kr;
}

void keyring_free(struct keyring *kr)
{
	if (!kr)
		return;
	sodium_free(kr->sec); /* sodium_free wipes before unmapping */
	sodium_free(kr->keys);
	sodium_free(kr->codes);
	free(kr);
}

/* Doubles a key array in guarded memory (sodium_allocarray: locked, not swapped out),
 * keeping its n entries.  0, or -1 when out of memory (the old array stays). */
static int secure_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap ? *cap * 2 : 4;
	void *k = sodium_allocarray(c, sz);
	if (!k)
		return -1;
	if (n)
		memcpy(k, *arr, n * sz);
	sodium_free(*arr);
	*arr = k;
	*cap = c;
	return 0;
}

static const struct data_key *key_find(const struct keyring *kr, uint32_t id)
{
	for (size_t i = 0; i < kr->nkeys; i++)
		if (kr->keys[i].id == id)
			return &kr->keys[i];
	return NULL;
}

static int key_push(struct keyring *kr, uint32_t id, const unsigned char key[KEY_BYTES])
{
	if (kr->nkeys == kr->cap && secure_grow((void **)&kr->keys, &kr->cap, kr->nkeys,
						 sizeof *kr->keys) != 0)
		return -1;
	kr->keys[kr->nkeys].id = id;
	memcpy(kr->keys[kr->nkeys].key, key, KEY_BYTES);
	kr->nkeys++;
	return 0;
}

static const struct code_key *code_find(const struct keyring *kr, uint32_t id)
{
	for (size_t i = 0; i < kr->ncodes; i++)
		if (kr->codes[i].id == id)
			return &kr->codes[i];
	return NULL;
}

static int code_push(struct keyring *kr, uint32_t id, const unsigned char seed[KEY_BYTES])
{
	if (kr->ncodes == kr->code_cap && secure_grow((void **)&kr->codes, &kr->code_cap,
						     kr->ncodes, sizeof *kr->codes) != 0)
		return -1;
	struct code_key *c = &kr->codes[kr->ncodes++];
	c->id = id;
	memcpy(c->seed, seed, KEY_BYTES);
	crypto_sign_seed_keypair(c->pk, c->sk, c->seed);
	return 0;
}

/* A random code key id that is nonzero and not yet in kr. */
static uint32_t new_code_id(const struct keyring *kr)
{
	uint32_t id;

	do
		id = randombytes_random();
	while (id == 0 || code_find(kr, id));
	return id;
}

static void sign_setup(struct keyring *kr)
{
	crypto_sign_seed_keypair(kr->sign_pk, kr->sec->sign_sk, kr->sec->seed);
}

/* A random id that is nonzero and not yet in kr. */
static uint32_t new_key_id(const struct keyring *kr)
{
	uint32_t id;

	do
		id = randombytes_random();
	while (id == 0 || key_find(kr, id));
	return id;
}

/* ---- the key file ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits line into at most max whitespace-separated words (in place); returns the count
 * or max + 1 when there are more. */
static size_t split_words(char *line, char **w, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		w[n++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

#define BAD_LINE(zh, en)                                                                 \
	do {                                                                             \
		errf(err, errlen, "密钥文件 %s 第 %zu 行有误：%s / key file %s line %zu: %s", \
		     path, lineno, zh, path, lineno, en);                                \
		return TP_ERR_INVALID;                                                   \
	} while (0)

/* Parses the text of a key file (NUL-terminated, modified in place) into kr. */
static enum tp_rc keyfile_parse(const char *path, char *text, struct keyring *kr, char *err,
				size_t errlen)
{
	int have_index = 0, have_sign = 0;
	size_t lineno = 0;
	char *line = text;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		char *w[4];
		unsigned char key[KEY_BYTES];

		if (nl)
			*nl = '\0';
		lineno++;
		size_t nw = split_words(line, w, 3);
		line = nl ? nl + 1 : NULL;
		if (nw == 0 || w[0][0] == '#')
			continue;
		if (strcmp(w[0], "index") == 0 || strcmp(w[0], "sign") == 0) {
			int is_index = w[0][0] == 'i';
			if (nw != 2)
				BAD_LINE("应为两项", "expected two words");
			if (is_index ? have_index : have_sign)
				BAD_LINE("重复", "repeated");
			if (hex_decode(w[1], is_index ? kr->sec->index : kr->sec->seed, KEY_BYTES))
				BAD_LINE("密钥应为 64 个十六进制字符",
					 "the key must be 64 hex characters");
			if (is_index)
				have_index = 1;
			else
				have_sign = 1;
		} else if (strcmp(w[0], "key") == 0 || strcmp(w[0], "code") == 0) {
			int is_code = w[0][0] == 'c';
			unsigned char idb[4];
			if (nw != 3)
				BAD_LINE("应为三项", "expected three words");
			if (hex_decode(w[1], idb, 4))
				BAD_LINE("密钥编号应为 8 个十六进制字符",
					 "the key id must be 8 hex characters");
			uint32_t id = (uint32_t)idb[0] << 24 | (uint32_t)idb[1] << 16 |
				      (uint32_t)idb[2] << 8 | idb[3];
			if (id == 0)
				BAD_LINE("密钥编号不能为 0", "the key id must not be 0");
			if (is_code ? code_find(kr, id) != NULL : key_find(kr, id) != NULL)
				BAD_LINE("密钥编号重复", "repeated key id");
			if (hex_decode(w[2], key, KEY_BYTES)) {
				sodium_memzero(key, sizeof key);
				BAD_LINE("密钥应为 64 个十六进制字符",
					 "the key must be 64 hex characters");
			}
			int rc = is_code ? code_push(kr, id, key) : key_push(kr, id, key);
			sodium_memzero(key, sizeof key);
			if (rc)
				return TP_ERR_NOMEM;
		} else {
			BAD_LINE("无法识别", "unknown line");
		}
	}
	if (!have_index || !have_sign || kr->nkeys == 0) {
		errf(err, errlen, "密钥文件 %s 缺少 %s 行 / key file %s has no %s line", path,
		     !have_index ? "index" : !have_sign ? "sign" : "key", path,
		     !have_index ? "index" : !have_sign ? "sign" : "key");
		return TP_ERR_INVALID;
	}
	sign_setup(kr);
	return TP_OK;
}

/* Reads and parses the key file; *missing is set when it does not exist. */
static enum tp_rc keyfile_read(const char *path, struct keyring **out, int *missing, char *err,
			       size_t errlen)
{
	struct stat st;
	enum tp_rc rc = TP_ERR_IO;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*missing = 0;
	*out = NULL;
	if (fd < 0) {
		*missing = errno == ENOENT;
		errf(err, errlen, "无法打开密钥文件 %s：%s / cannot open key file %s: %s", path,
		     strerror(errno), path, strerror(errno));
		return TP_ERR_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		errf(err, errlen, "密钥文件 %s 不是普通文件 / key file %s is not a regular file",
		     path, path);
		goto out;
	}
	if (st.st_mode & 077) {
		errf(err, errlen,
		     "密钥文件 %s 的权限为 %04o，组或其他用户可以访问；请执行 chmod 600 %s / "
		     "key file %s has mode %04o: group or others can access it; run chmod 600 %s",
		     path, (unsigned)(st.st_mode & 07777), path, path,
		     (unsigned)(st.st_mode & 07777), path);
		rc = TP_ERR_INVALID;
		goto out;
	}
	if (st.st_size > KEYFILE_MAX) {
		errf(err, errlen, "密钥文件 %s 过大 / key file %s is too large", path, path);
		rc = TP_ERR_TOO_LARGE;
		goto out;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	text = sodium_malloc(cap);
	if (!text) {
		rc = TP_ERR_NOMEM;
		goto out;
	}
	while (len < cap - 1) {
		ssize_t r = read(fd, text + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			errf(err, errlen, "无法读取密钥文件 %s：%s / cannot read key file %s: %s",
			     path, strerror(errno), path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		errf(err, errlen, "密钥文件 %s 含有 NUL 字节 / key file %s contains a NUL byte",
		     path, path);
		rc = TP_ERR_INVALID;
		goto out;
	}
	struct keyring *kr = keyring_alloc();
	if (!kr) {
		rc = TP_ERR_NOMEM;
		goto out;
	}
	rc = keyfile_parse(path, text, kr, err, errlen);
	if (rc == TP_OK)
		*out = kr;
	else
		keyring_free(kr);
out:
	sodium_free(text);
	close(fd);
	return rc;
}

/* The key file text of kr, in sodium_malloc'd memory (sodium_free it); NULL on OOM. */
static char *keyfile_render(const struct keyring *kr, size_t *len)
{
	static const char head[] =
		"# TalentPort keys. Keep this file secret (mode 0600) and backed up:\n"
		"# without it sealed personal data cannot be read.  The last key is active.\n";
	/* "index " and "sign " lines, then "key <8 hex> <64 hex>\n" and "code ..." each */
	size_t cap = sizeof head + 2 * (7 + 2 * KEY_BYTES) +
		     (kr->nkeys + kr->ncodes) * (15 + 2 * KEY_BYTES) + 1;
	char *t = sodium_malloc(cap);
	char hex[2 * KEY_BYTES + 1];
	size_t n = 0;

	if (!t)
		return NULL;
	memcpy(t, head, sizeof head - 1);
	n = sizeof head - 1;
	hex_encode(kr->sec->index, KEY_BYTES, hex);
	n += (size_t)snprintf(t + n, cap - n, "index %s\n", hex);
	hex_encode(kr->sec->seed, KEY_BYTES, hex);
	n += (size_t)snprintf(t + n, cap - n, "sign %s\n", hex);
	for (size_t i = 0; i < kr->nkeys; i++) {
		hex_encode(kr->keys[i].key, KEY_BYTES, hex);
		n += (size_t)snprintf(t + n, cap - n, "key %08x %s\n", (unsigned)kr->keys[i].id,
				      hex);
	}
	for (size_t i = 0; i < kr->ncodes; i++) {
		hex_encode(kr->codes[i].seed, KEY_BYTES, hex);
		n += (size_t)snprintf(t + n, cap - n, "code %08x %s\n",
				      (unsigned)kr->codes[i].id, hex);
	}
	sodium_memzero(hex, sizeof hex);
	*len = n;
	return t;
}

static void fsync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (n >= sizeof dir)
		return;
	if (slash && n == 0)
		n = 1; /* "/x" lives in "/" */
	if (slash)
		memcpy(dir, path, n);
	else
		dir[n++] = '.';
	dir[n] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Writes text to path through a 0600 temporary file in the same directory, fsynced.  With
 * no_clobber the file is put in place with link(), so a key file created meanwhile by
 * another process is never replaced (TP_ERR_CONFLICT); otherwise with rename().
 */
static enum tp_rc keyfile_write(const char *path, const char *text, size_t len, int no_clobber,
				char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	size_t off = 0;
	int fd;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp) {
		errf(err, errlen, "密钥文件路径过长 / key file path too long");
		return TP_ERR_TOO_LARGE;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail_report;
	if (fchmod(fd, 0600) != 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (no_clobber) {
		if (link(tmp, path) != 0) {
			if (errno == EEXIST) {
				unlink(tmp);
				return TP_ERR_CONFLICT;
			}
			/* a filesystem without hard links: fall back to rename */
			if (rename(tmp, path) != 0)
				goto fail;
		} else {
			unlink(tmp);
		}
	} else if (rename(tmp, path) != 0) {
		goto fail;
	}
	fsync_parent_dir(path);
	return TP_OK;
fail: {
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
}
fail_report:
	errf(err, errlen, "无法写入密钥文件 %s：%s / cannot write key file %s: %s", path,
	     strerror(errno), path, strerror(errno));
	return TP_ERR_IO;
}

static enum tp_rc keyfile_create(const char *path, char *err, size_t errlen)
{
	struct keyring *kr = keyring_alloc();
	unsigned char key[KEY_BYTES];
	enum tp_rc rc = TP_ERR_NOMEM;
	char *text;
	size_t len;

	if (!kr)
		return TP_ERR_NOMEM;
	randombytes_buf(kr->sec->index, KEY_BYTES);
	randombytes_buf(kr->sec->seed, KEY_BYTES);
	randombytes_buf(key, sizeof key);
	int pushed = key_push(kr, new_key_id(kr), key);
	randombytes_buf(key, sizeof key);
	if (pushed == 0)
		pushed = code_push(kr, new_code_id(kr), key);
	if (pushed == 0 && (text = keyfile_render(kr, &len))) {
		rc = keyfile_write(path, text, len, 1, err, errlen);
		sodium_free(text);
	}
	sodium_memzero(key, sizeof key);
	keyring_free(kr);
	return rc == TP_ERR_CONFLICT ? TP_OK : rc; /* another process made it: load that one */
}

enum tp_rc keyring_load(const char *path, int create, struct keyring **out, char *err,
			size_t errlen)
{
	int missing;
	enum tp_rc rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (sodium_init() < 0) {
		errf(err, errlen, "libsodium 初始化失败 / libsodium failed to initialise");
		return TP_ERR_INTERNAL;
	}
	rc = keyfile_read(path, out, &missing, err, errlen);
	if (rc == TP_OK || !missing || !create)
		return rc;
	rc = keyfile_create(path, err, errlen);
	if (rc == TP_OK)
		rc = keyfile_read(path, out, &missing, err, errlen);
	if (rc == TP_OK && err && errlen)
		err[0] = '\0'; /* drop the "cannot open" of the first attempt */
	return rc;
}

void keyring_default_path(const char *db_path, char *out, size_t outlen)
{
	const char *env = getenv("TALENTPORT_KEY_FILE");
	int n;

	if (outlen == 0)
		return;
	if (env && *env)
		n = snprintf(out, outlen, "%s", env);
	else
		n = snprintf(out, outlen, "%s.key", db_path);
	if (n < 0 || (size_t)n >= outlen)
		out[0] = '\0'; /* never a truncated path, which could name another file */
}

uint32_t keyring_active_id(const struct keyring *kr)
{
	return kr->keys[kr->nkeys - 1].id;
}

void keyring_fingerprint(const struct keyring *kr, char out[17])
{
	static const char label[] = "talentport key fingerprint";
	unsigned char h[8];

	/* keyed hash of a constant: tells files apart without revealing the key */
	crypto_generichash(h, sizeof h, (const unsigned char *)label, sizeof label - 1,
			   kr->sec->index, KEY_BYTES);
	hex_encode(h, sizeof h, out);
}

/*
 * Re-reads the file first so that a key added by another process since kr was loaded is
 * kept, and refuses (TP_ERR_CONFLICT) a file that is not kr's.  kr must not be in use by
 * other threads meanwhile (its key table is replaced).  Two processes adding keys at the
 * same instant are not serialised: rotate from one place.
 */
enum tp_rc keyring_add_key(struct keyring *kr, const char *path, uint32_t *new_id)
{
	struct keyring *disk;
	unsigned char key[KEY_BYTES];
	int missing;
	enum tp_rc rc = keyfile_read(path, &disk, &missing, NULL, 0);
	char *text;
	size_t len;

	if (rc != TP_OK)
		return rc;
	if (sodium_memcmp(disk->sec->index, kr->sec->index, KEY_BYTES) != 0 ||
	    sodium_memcmp(disk->sec->seed, kr->sec->seed, KEY_BYTES) != 0) {
		keyring_free(disk);
		return TP_ERR_CONFLICT;
	}
	rc = TP_ERR_NOMEM;
	for (size_t i = 0; i < kr->nkeys; i++)
		if (!key_find(disk, kr->keys[i].id) &&
		    key_push(disk, kr->keys[i].id, kr->keys[i].key) != 0)
			goto out;
	for (size_t i = 0; i < kr->ncodes; i++)
		if (!code_find(disk, kr->codes[i].id) &&
		    code_push(disk, kr->codes[i].id, kr->codes[i].seed) != 0)
			goto out;
	uint32_t id = new_key_id(disk);
	randombytes_buf(key, sizeof key);
	int pushed = key_push(disk, id, key);
	sodium_memzero(key, sizeof key);
	if (pushed != 0 || !(text = keyfile_render(disk, &len)))
		goto out;
	rc = keyfile_write(path, text, len, 0, NULL, 0);
	sodium_free(text);
	if (rc != TP_OK)
		goto out;
	/* adopt the merged tables */
	struct data_key *old = kr->keys;
	kr->keys = disk->keys;
	kr->nkeys = disk->nkeys;
	kr->cap = disk->cap;
	disk->keys = old;
	struct code_key *oldc = kr->codes;
	kr->codes = disk->codes;
	kr->ncodes = disk->ncodes;
	kr->code_cap = disk->code_cap;
	disk->codes = oldc;
	if (new_id)
		*new_id = id;
out:
	keyring_free(disk);
	return rc;
}

/*
 * Like keyring_add_key for the talent-code keys: re-reads the file, keeps what another
 * process added, appends a new code key and adopts the merged tables.  With only_if_none
 * a file that already has a code key is adopted as it is (no key added, *new_id 0).
 */
enum tp_rc keyring_add_code_key(struct keyring *kr, const char *path, int only_if_none,
				uint32_t *new_id)
{
	struct keyring *disk;
	unsigned char seed[KEY_BYTES];
	int missing;
	enum tp_rc rc = keyfile_read(path, &disk, &missing, NULL, 0);
	char *text;
	size_t len;
	uint32_t id = 0;

	if (new_id)
		*new_id = 0;
	if (rc != TP_OK)
		return rc;
	if (sodium_memcmp(disk->sec->index, kr->sec->index, KEY_BYTES) != 0 ||
	    sodium_memcmp(disk->sec->seed, kr->sec->seed, KEY_BYTES) != 0) {
		keyring_free(disk);
		return TP_ERR_CONFLICT;
	}
	rc = TP_ERR_NOMEM;
	for (size_t i = 0; i < kr->nkeys; i++)
		if (!key_find(disk, kr->keys[i].id) &&
		    key_push(disk, kr->keys[i].id, kr->keys[i].key) != 0)
			goto out;
	for (size_t i = 0; i < kr->ncodes; i++)
		if (!code_find(disk, kr->codes[i].id) &&
		    code_push(disk, kr->codes[i].id, kr->codes[i].seed) != 0)
			goto out;
	if (!only_if_none || disk->ncodes == 0) {
		id = new_code_id(disk);
		randombytes_buf(seed, sizeof seed);
		int pushed = code_push(disk, id, seed);
		sodium_memzero(seed, sizeof seed);
		if (pushed != 0 || !(text = keyfile_render(disk, &len)))
			goto out;
		rc = keyfile_write(path, text, len, 0, NULL, 0);
		sodium_free(text);
		if (rc != TP_OK)
			goto out;
	}
	rc = TP_OK;
	struct data_key *old = kr->keys;
	kr->keys = disk->keys;
	kr->nkeys = disk->nkeys;
	kr->cap = disk->cap;
	disk->keys = old;
	struct code_key *oldc = kr->codes;
	kr->codes = disk->codes;
	kr->ncodes = disk->ncodes;
	kr->code_cap = disk->code_cap;
	disk->codes = oldc;
	if (new_id)
		*new_id = id;
out:
	keyring_free(disk);
	return rc;
}

size_t keyring_code_count(const struct keyring *kr)
{
	return kr->ncodes;
}

uint32_t keyring_code_active(const struct keyring *kr)
{
	return kr->ncodes ? kr->codes[kr->ncodes - 1].id : 0;
}

void keyring_code_pk(const struct keyring *kr, size_t i, uint32_t *id, unsigned char pk[32])
{
	*id = kr->codes[i].id;
	memcpy(pk, kr->codes[i].pk, crypto_sign_PUBLICKEYBYTES);
}

uint32_t keyring_code_sign(const struct keyring *kr, const void *msg, size_t n,
			   unsigned char sig[64])
{
	if (kr->ncodes == 0)
		return 0;
	const struct code_key *c = &kr->codes[kr->ncodes - 1];
	crypto_sign_detached(sig, NULL, msg, n, c->sk);
	return c->id;
}

/* ---- sealing ---- */

enum tp_rc pii_seal(const struct keyring *kr, const char *aad, const void *plain, size_t n,
		    unsigned char *out, size_t *outlen)
{
	const struct pii_cipher *c = cipher_find(PII_CIPHER_XCHACHA20);
	const struct data_key *k = &kr->keys[kr->nkeys - 1];
	unsigned char *nonce = out + 5;

	if (n > PII_PLAIN_MAX)
		return TP_ERR_TOO_LARGE;
	if (!aad)
		aad = "";
	out[0] = c->id;
	out[1] = (unsigned char)(k->id >> 24);
	out[2] = (unsigned char)(k->id >> 16);
	out[3] = (unsigned char)(k->id >> 8);
	out[4] = (unsigned char)k->id;
	randombytes_buf(nonce, c->nonce_len);
	if (c->seal(nonce + c->nonce_len, plain, n, (const unsigned char *)aad, strlen(aad), nonce,
		    k->key) != 0)
		return TP_ERR_INTERNAL;
	*outlen = 5 + c->nonce_len + n + c->tag_len;
	return TP_OK;
}

enum tp_rc pii_open(const struct keyring *kr, const char *aad, const unsigned char *in,
		    size_t n, char *out, size_t *outlen)
{
	const struct pii_cipher *c;
	const struct data_key *k;

	if (n < 5 || !(c = cipher_find(in[0])))
		return TP_ERR_INVALID;
	size_t head = 5 + c->nonce_len;
	if (n < head + c->tag_len || n - head - c->tag_len > PII_PLAIN_MAX)
		return TP_ERR_INVALID;
	if (!(k = key_find(kr, pii_key_id(in, n))))
		return TP_ERR_NOT_FOUND;
	if (!aad)
		aad = "";
	size_t plen = n - head - c->tag_len;
	if (c->open((unsigned char *)out, in + head, n - head, (const unsigned char *)aad,
		    strlen(aad), in + 5, k->key) != 0) {
		out[0] = '\0';
		return TP_ERR_INVALID;
	}
	out[plen] = '\0';
	*outlen = plen;
	return TP_OK;
}

uint32_t pii_key_id(const unsigned char *in, size_t n)
{
	if (n < 5)
		return 0;
	return (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];
}

void pii_blind_index(const struct keyring *kr, const char *domain, const char *value,
		     unsigned char out[BLIND_INDEX_BYTES])
{
	crypto_generichash_state st;
	static const unsigned char sep = 0;

	crypto_generichash_init(&st, kr->sec->index, KEY_BYTES, BLIND_INDEX_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain));
	crypto_generichash_update(&st, &sep, 1);
	crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
	crypto_generichash_final(&st, out, BLIND_INDEX_BYTES);
	sodium_memzero(&st, sizeof st);
}

/* ---- signatures ---- */

void keyring_sign(const struct keyring *kr, const void *msg, size_t n, unsigned char sig[64])
{
	crypto_sign_detached(sig, NULL, msg, n, kr->sec->sign_sk);
}

void keyring_sign_pk(const struct keyring *kr, unsigned char pk[32])
{
	memcpy(pk, kr->sign_pk, crypto_sign_PUBLICKEYBYTES);
}

int keyring_verify(const unsigned char pk[32], const void *msg, size_t n,
		   const unsigned char sig[64])
{
	return crypto_sign_verify_detached(sig, msg, n, pk) == 0 ? 0 : -1;
}

/* ---- encodings and tokens ---- */

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

int hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t len = strlen(hex), got = 0;
	const char *end = NULL;

	if (len != 2 * n)
		return -1;
	if (sodium_hex2bin(out, n, hex, len, NULL, &got, &end) != 0 || got != n ||
	    end != hex + len)
		return -1;
	return 0;
}

void token_random(char out[44])
{
	unsigned char b[32];

	if (sodium_init() < 0)
		abort(); /* no safe randomness: never hand out a guessable token */
	randombytes_buf(b, sizeof b);
	sodium_bin2base64(out, 44, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof b);
}

void token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	hex_encode(h, sizeof h, out);
}
