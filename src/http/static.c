#include "http/static.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"

#define STATIC_MAX (16 * 1024 * 1024)

static const char *const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' "
			       "'unsafe-inline'; script-src 'self'; object-src 'none'; "
			       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static const char *mime_of(const char *path)
{
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
		{".png", "image/png"},                 {".jpg", "image/jpeg"},
		{".ico", "image/x-icon"},              {".json", "application/json"},
		{".woff2", "font/woff2"},              {".woff", "font/woff"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (strcmp(dot, map[i][0]) == 0)
				return map[i][1];
	return "application/octet-stream";
}

/* Reads a regular file of at most STATIC_MAX bytes; 0 on success. */
static int read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > STATIC_MAX) {
		close(fd);
		return -1;
	}
	char *b = malloc((size_t)sb.st_size + 1);
	size_t got = 0;
	while (b && got < (size_t)sb.st_size) {
		ssize_t n = read(fd, b + got, (size_t)sb.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!b || got != (size_t)sb.st_size) {
		free(b);
		return -1;
	}
	*buf = b;
	*len = got;
	return 0;
}

static const char FALLBACK[] =
	"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	"<title>人才港 TalentPort</title></head><body>"
	"<h1>人才港 TalentPort</h1><p>一站式人才服务平台。网页界面尚未构建；接口见 "
	"<a href=\"/api/v1/health\">/api/v1/health</a>。</p>"
	"<p>One-stop talent service platform. The web UI is not built yet; the API is at "
	"<a href=\"/api/v1/health\">/api/v1/health</a>.</p></body></html>";

void static_serve(struct request *rq, struct response *rs, const char *root)
{
	const char *p = rq->path;
	int bad = strstr(p, "..") || strchr(p, '\\') || p[0] != '/';
	char full[2048];
	char *buf = NULL;
	size_t len = 0;
	if (!bad && root) {
		snprintf(full, sizeof full, "%s%s", root, p);
		if (read_file(full, &buf, &len) == 0) {
			rs->status = 200;
			rs->content_type = mime_of(full);
			rs->body = buf;
			rs->body_len = len;
			resp_header(rs, "Cache-Control", strncmp(p, "/assets/", 8) == 0
								 ? "public, max-age=31536000, immutable"
								 : "no-cache");
			resp_header(rs, "Content-Security-Policy", CSP);
			return;
		}
		if (strncmp(p, "/assets/", 8) != 0) {
			snprintf(full, sizeof full, "%s/index.html", root);
			if (read_file(full, &buf, &len) == 0) {
				rs->status = 200;
				rs->content_type = "text/html; charset=utf-8";
				rs->body = buf;
				rs->body_len = len;
				resp_header(rs, "Cache-Control", "no-cache");
				resp_header(rs, "Content-Security-Policy", CSP);
				return;
			}
		}
	}
	if (!bad && strcmp(p, "/") == 0) {
		resp_bytes(rs, 200, "text/html; charset=utf-8", FALLBACK, sizeof FALLBACK - 1);
		resp_header(rs, "Content-Security-Policy", CSP);
		return;
	}
	resp_problem(rq, rs, 404, "not_found", "页面不存在", "no such page", NULL);
}
