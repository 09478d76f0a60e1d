/*
 * files.c — evidence files over HTTP (api/files.h).  The application handlers call
 * these after their access check; the rules are in domain/evidence.h.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/files.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "domain/evidence.h"

static char g_dir[1024];
static int g_dir_set;

int api_files_init(const char *dir, char *err, size_t errlen)
{
	if (!dir || strlen(dir) >= sizeof g_dir - 100) {
		snprintf(err, errlen, "文件目录路径过长 / the files directory path is too long");
		return -1;
	}
	if (evidence_dir_prepare(dir, err, errlen) != TP_OK)
		return -1;
	snprintf(g_dir, sizeof g_dir, "%s", dir);
	g_dir_set = 1;
	return 0;
}

const char *api_files_dir(void)
{
	return g_dir_set ? g_dir : NULL;
}

/* ---- names in and out ---- */

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n) into a; -1 on a malformed escape. */
static int pct_decode(const char *s, size_t n, struct arena *a, const char **out, size_t *len)
{
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			o[k++] = s[i];
			continue;
		}
		int h1 = i + 2 < n ? hexv((unsigned char)s[i + 1]) : -1;
		int h2 = i + 2 < n ? hexv((unsigned char)s[i + 2]) : -1;
		if (h1 < 0 || h2 < 0)
			return -1;
		o[k++] = (char)(h1 * 16 + h2);
		i += 2;
	}
	o[k] = '\0';
	*out = o;
	*len = k;
	return 0;
}

/* The value of parameter `key` (e.g. "filename*") in a Content-Disposition header: start
 * and length, unquoted when quoted (quoted-pair escapes are removed into a).  0 found,
 * 1 absent, -1 malformed. */
static int cd_param(const char *h, const char *key, struct arena *a, const char **v, size_t *n)
{
	size_t kl = strlen(key);
	const char *p = strchr(h, ';');
	while (p) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *eq = strchr(p, '=');
		if (!eq)
			return 1;
		const char *ke = eq;
		while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		const char *val = eq + 1;
		while (*val == ' ' || *val == '\t')
			val++;
		int match = (size_t)(ke - p) == kl && strncasecmp(p, key, kl) == 0;
		if (*val == '"') {
			char *o = arena_alloc(a, strlen(val) + 1);
			if (!o)
				return -1;
			size_t k = 0;
			const char *q = val + 1;
			for (; *q && *q != '"'; q++) {
				if (*q == '\\' && q[1])
					q++;
				o[k++] = *q;
			}
			if (*q != '"')
				return -1;
			o[k] = '\0';
			if (match) {
				*v = o;
				*n = k;
				return 0;
			}
			p = strchr(q + 1, ';');
		} else {
			size_t vl = strcspn(val, ";");
			while (vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
				vl--;
			if (match) {
				*v = arena_strndup(a, val, vl);
				*n = vl;
				return *v ? 0 : -1;
			}
			p = strchr(val, ';');
		}
	}
	return 1;
}

int api_files_pick_name(const char *query, size_t qlen, const char *x_file_name,
			const char *content_disposition, struct arena *a, const char **name,
			size_t *len)
{
	*name = NULL;
	*len = 0;
	if (query) {
		*name = query;
		*len = qlen;
		return 0;
	}
	if (x_file_name)
		return pct_decode(x_file_name, strlen(x_file_name), a, name, len);
	if (!content_disposition)
		return 0;
	const char *v;
	size_t n;
	int r = cd_param(content_disposition, "filename*", a, &v, &n);
	if (r < 0)
		return -1;
	if (r == 0) {
		/* charset'language'value (RFC 8187): only UTF-8 */
		const char *q1 = memchr(v, '\'', n);
		const char *q2 = q1 ? memchr(q1 + 1, '\'', (size_t)(v + n - q1 - 1)) : NULL;
		if (!q2 || (size_t)(q1 - v) != 5 || strncasecmp(v, "utf-8", 5) != 0)
			return -1;
		return pct_decode(q2 + 1, (size_t)(v + n - q2 - 1), a, name, len);
	}
	r = cd_param(content_disposition, "filename", a, &v, &n);
	if (r < 0)
		return -1;
	if (r == 0) {
		*name = v;
		*len = n;
	}
	return 0;
}

const char *api_files_disposition(struct arena *a, const char *name)
{
	size_t n = strlen(name);
	char *o = arena_alloc(a, 64 + n * 4);
	if (!o)
		return NULL;
	size_t k = (size_t)snprintf(o, 64, "attachment; filename=\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c & 0xC0) == 0x80)
			continue; /* continuation bytes: one _ per character */
		o[k++] = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? (char)c : '_';
	}
	k += (size_t)snprintf(o + k, 40, "\"; filename*=UTF-8''");
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("!#$&+-.^_`|~", c)) {
			o[k++] = (char)c;
		} else {
			o[k++] = '%';
			o[k++] = hex[c >> 4];
			o[k++] = hex[c & 15];
		}
	}
	o[k] = '\0';
	return o;
}

/* ---- handlers ---- */

static int need_dir(struct request *rq, struct response *rs)
{
	if (api_files_dir())
		return 0;
	resp_problem(rq, rs, 503, "no_files_dir", "未配置材料文件目录",
		     "no files directory is configured", NULL);
	return -1;
}

/* One file as JSON; duplicate < 0 leaves the member out. */
static void file_write(struct jw *w, const struct app_file *f, int duplicate)
{
	char at[24], url[96];
	api_time(f->uploaded_at, at);
	snprintf(url, sizeof url, "/api/v1/applications/%lld/files/%lld",
		 (long long)f->application_id, (long long)f->id);
	jw_obj_begin(w);
	jw_kint(w, "id", f->id);
	jw_kint(w, "application_id", f->application_id);
	jw_kstr(w, "name", f->name);
	jw_kstr(w, "content_type", f->content_type);
	jw_kint(w, "size", f->size);
	jw_kstr(w, "sha256", f->sha256);
	jw_kint(w, "uploaded_by", f->uploaded_by);
	jw_kstr(w, "uploaded_at", at);
	jw_kstr(w, "download_url", url);
	if (duplicate >= 0)
		jw_kbool(w, "duplicate", duplicate);
	jw_obj_end(w);
}

static void refused(struct request *rq, struct response *rs, const struct evidence_refusal *why)
{
	if (strcmp(why->code, "too_large") == 0) {
		resp_problem(rq, rs, 413, "file_too_large", why->zh, why->en, NULL);
		return;
	}
	struct verrors ve;
	verr_init(&ve, rq->arena);
	verr_add(&ve, strncmp(why->code, "name_", 5) == 0 ? "filename" : "file", why->code,
		 why->zh, why->en);
	resp_invalid(rq, rs, &ve);
}

void api_files_upload(struct request *rq, struct response *rs, int64_t application_id)
{
	if (need_dir(rq, rs) != 0)
		return;
	/* the query value with its length: a %00 in it must be seen, not cut the name short */
	const char *q = NULL;
	size_t qlen = 0;
	if (MHD_lookup_connection_value_n(rq->conn, MHD_GET_ARGUMENT_KIND, "filename",
					  strlen("filename"), &q, &qlen) != MHD_YES)
		q = NULL;
	const char *raw;
	size_t rawlen;
	if (api_files_pick_name(q, qlen, req_header(rq, "X-File-Name"),
				req_header(rq, "Content-Disposition"), rq->arena, &raw,
				&rawlen) != 0) {
		struct verrors ve;
		verr_init(&ve, rq->arena);
		verr_add(&ve, "filename", "name_encoding",
			 "文件名编码无效（百分号编码须为 UTF-8，如 filename*=UTF-8''%E5%AD%A6.pdf）",
			 "the file name is badly encoded (percent-encoded UTF-8, e.g. "
			 "filename*=UTF-8''%E5%AD%A6.pdf)");
		resp_invalid(rq, rs, &ve);
		return;
	}
	struct app_file f;
	struct evidence_refusal why;
	int existed = 0;
	enum tp_rc rc = evidence_add(rq->store, api_files_dir(), &rq->actor, application_id, raw,
				     rawlen, rq->body, rq->body ? rq->body_len : 0, rq->arena, &f,
				     &existed, &why);
	if (rc == TP_ERR_INVALID) {
		refused(rq, rs, &why);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	jw_init(&w);
	file_write(&w, &f, existed);
	resp_jw(rs, existed ? 200 : 201, &w);
	char *loc = arena_printf(rq->arena, "/api/v1/applications/%lld/files/%lld",
				 (long long)application_id, (long long)f.id);
	if (loc)
		resp_header(rs, "Location", loc);
}

void api_files_list(struct request *rq, struct response *rs, int64_t application_id)
{
	struct app_file *items;
	size_t n;
	int64_t total;
	enum tp_rc rc = evidence_list(rq->store, application_id, rq->arena, &items, &n, &total);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	struct jw w;
	api_items_begin(&w);
	for (size_t i = 0; i < n; i++)
		file_write(&w, &items[i], -1);
	jw_arr_end(&w);
	jw_kint(&w, "total_bytes", total);
	jw_kint(&w, "limit_bytes", EVIDENCE_APPLICATION_MAX);
	jw_kint(&w, "file_limit_bytes", EVIDENCE_FILE_MAX);
	jw_obj_end(&w);
	resp_jw(rs, 200, &w);
}

void api_files_download(struct request *rq, struct response *rs, int64_t application_id,
			int64_t file_id)
{
	if (need_dir(rq, rs) != 0)
		return;
	struct app_file f;
	void *data = NULL;
	size_t len = 0;
	enum tp_rc rc = evidence_download(rq->store, api_files_dir(), &rq->actor, application_id,
					  file_id, rq->arena, &f, &data, &len);
	if (rc == TP_ERR_CONFLICT || rc == TP_ERR_IO) {
		resp_problem(rq, rs, 500, "file_damaged",
			     "材料文件已损坏或缺失（已记录），请联系管理员从备份恢复",
			     "the stored file is damaged or missing (logged); ask the "
			     "administrator to restore it from the backup",
			     NULL);
		return;
	}
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	const char *cd = api_files_disposition(rq->arena, f.name);
	/* the type is the one sniffed at upload, never anything the uploader said */
	enum evidence_type t = evidence_type_parse(f.content_type);
	resp_bytes(rs, 200, t ? evidence_type_mime(t) : "application/octet-stream", data, len);
	free(data);
	if (cd)
		resp_header(rs, "Content-Disposition", cd);
	resp_header(rs, "Cache-Control", "private, no-store");
	resp_header(rs, "Content-Security-Policy", "sandbox");
	resp_header(rs, "Cross-Origin-Resource-Policy", "same-origin");
}

void api_files_delete(struct request *rq, struct response *rs, int64_t application_id,
		      int64_t file_id)
{
	enum tp_rc rc = evidence_delete(rq->store, &rq->actor, application_id, file_id);
	if (rc != TP_OK) {
		resp_rc(rq, rs, rc);
		return;
	}
	resp_bytes(rs, 204, NULL, "", 0);
}
