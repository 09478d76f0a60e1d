/*
 * server.c — request lifecycle on top of libmicrohttpd.
 *
 * For each request: route it on the first callback (404/405 before any body is
 * read), collect the body up to the route's cap (413 past it), check the content
 * type (415) and the JSON (400 malformed / too deep, 422 not an object), then call
 * the handler with the worker thread's store.  The per-request arena is freed in
 * the completion callback, after the access-log line.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/jsonx.h"
#include "core/log.h"
#include "http/auth.h"
#include "http/idempotency.h"
#include "http/router.h"
#include "http/static.h"
#include "store/store.h"

#define DEFAULT_JSON_MAX (1024 * 1024)

struct req_ctx {
	struct request rq;
	struct response rs;
	const struct route *route;
	char *body;
	size_t body_len, body_cap, body_max;
	int too_large;
	int responded; /* an early response was queued (routing failed) */
	struct timespec start;
	char rid[24];
};

static const struct server_config *g_cfg;
static pthread_key_t store_key;
static atomic_ullong req_counter;
static unsigned long long rid_prefix;

static void store_destructor(void *p)
{
	store_close(p);
}

/* The calling thread's store, opened on first use. NULL when the database cannot be opened. */
static struct store *thread_store(void)
{
	struct store *st = pthread_getspecific(store_key);
	if (st)
		return st;
	char err[256];
	if (store_open(g_cfg->db_path, 0, &st, err, sizeof err) != TP_OK) {
		tp_log(LOG_ERROR, "cannot open database", json_pack("{s:s}", "error", err));
		return NULL;
	}
	pthread_setspecific(store_key, st);
	return st;
}

/* The peer's address as text ("127.0.0.1"); "" when unknown. */
/* True when the request's Accept header names text/html (a browser navigating), not
 * when it asks for JSON (fetch from the web UI, curl, the API tests). */
static int wants_html(struct MHD_Connection *conn)
{
	const char *a = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
	return a && strstr(a, "text/html") != NULL;
}

static const char *client_ip(struct MHD_Connection *conn, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  buf, sizeof buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  buf, sizeof buf);
	}
	const char *s = arena_strdup(a, buf);
	return s ? s : "";
}

/*
 * Behind the trusted proxy the client is the last address the proxy appended to
 * X-Forwarded-For (earlier entries come from the client and prove nothing).  Falls back
 * to the proxy's own address when the header is missing or not an address.
 */
static const char *forwarded_for(struct MHD_Connection *conn, struct arena *a,
				 const char *peer)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return peer;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	char buf[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof buf)
		return peer;
	memcpy(buf, last, n);
	buf[n] = '\0';
	unsigned char tmp[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, buf, tmp) != 1 && inet_pton(AF_INET6, buf, tmp) != 1)
		return peer;
	const char *s = arena_strdup(a, buf);
	return s ? s : peer;
}

static enum lang pick_lang(const char *accept)
{
	if (!accept)
		return LANG_ZH;
	/* first language range that is zh or en wins; q-values in order are the norm */
	double best_q = -1;
	enum lang best = LANG_ZH;
	const char *p = accept;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ',' && *p != ';')
			p++;
		size_t tl = (size_t)(p - tag);
		double q = 1.0;
		if (*p == ';') {
			const char *qs = strstr(p, "q=");
			const char *comma = strchr(p, ',');
			if (qs && (!comma || qs < comma))
				q = strtod(qs + 2, NULL);
			while (*p && *p != ',')
				p++;
		}
		int is_en = tl >= 2 && (tag[0] == 'e' || tag[0] == 'E') && (tag[1] == 'n' || tag[1] == 'N');
		int is_zh = tl >= 2 && (tag[0] == 'z' || tag[0] == 'Z') && (tag[1] == 'h' || tag[1] == 'H');
		if ((is_en || is_zh) && q > 0 && q > best_q) {
			best_q = q;
			best = is_en ? LANG_EN : LANG_ZH;
		}
	}
	return best;
}

static void add_common_headers(struct MHD_Response *r, const char *rid)
{
	MHD_add_response_header(r, "X-Request-Id", rid);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct req_ctx *c)
{
	struct response *rs = &c->rs;
	if (!rs->status)
		resp_rc(&c->rq, rs, TP_ERR_INTERNAL);
	struct MHD_Response *r = MHD_create_response_from_buffer(rs->body_len, rs->body,
								 MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	rs->body = NULL; /* MHD owns it now */
	if (rs->content_type)
		MHD_add_response_header(r, "Content-Type", rs->content_type);
	add_common_headers(r, c->rid);
	int has_cache = 0;
	for (size_t i = 0; i < rs->nheaders; i++) {
		MHD_add_response_header(r, rs->headers[i][0], rs->headers[i][1]);
		if (strcasecmp(rs->headers[i][0], "Cache-Control") == 0)
			has_cache = 1;
	}
	if (!has_cache)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(conn, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Checks Content-Type for a JSON route: application/json with an optional charset=utf-8. */
static int is_json_type(const char *ct)
{
	if (!ct)
		return 0;
	size_t n = strlen("application/json");
	if (strncasecmp(ct, "application/json", n) != 0)
		return 0;
	const char *rest = ct + n;
	while (*rest == ' ')
		rest++;
	if (*rest == '\0')
		return 1;
	if (*rest != ';')
		return 0;
	rest++;
	while (*rest == ' ')
		rest++;
	return strncasecmp(rest, "charset=utf-8", 13) == 0 || strncasecmp(rest, "charset=\"utf-8\"", 15) == 0;
}

static void dispatch(struct req_ctx *c)
{
	struct request *rq = &c->rq;
	struct response *rs = &c->rs;
	const struct route *r = c->route;
	if (c->too_large) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "请求体超过上限 %zu 字节", c->body_max);
		snprintf(en, sizeof en, "the request body exceeds the limit of %zu bytes", c->body_max);
		resp_problem(rq, rs, 413, "body_too_large", zh, en, NULL);
		return;
	}
	rq->body = c->body;
	rq->body_len = c->body_len;
	if (r->body == BODY_NONE && c->body_len > 0) {
		resp_problem(rq, rs, 400, "body_not_allowed", "此接口不接受请求体",
			     "this endpoint takes no request body", NULL);
		return;
	}
	if (r->body == BODY_JSON) {
		if (!is_json_type(rq->content_type)) {
			resp_problem(rq, rs, 415, "unsupported_media_type",
				     "请求体须为 application/json（UTF-8）",
				     "the request body must be application/json (UTF-8)", NULL);
			return;
		}
		if (!jsonx_depth_ok(c->body ? c->body : "", c->body_len, JSON_MAX_DEPTH)) {
			resp_problem(rq, rs, 400, "json_too_deep", "JSON 嵌套层数超过 32 层",
				     "JSON nesting exceeds 32 levels", NULL);
			return;
		}
		json_error_t jerr;
		json_t *doc = json_loadb(c->body ? c->body : "", c->body_len,
					 JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		if (!doc) {
			char zh[300], en[300];
			snprintf(zh, sizeof zh, "请求体不是有效的 JSON（第 %d 行第 %d 列：%s）",
				 jerr.line, jerr.column, jerr.text);
			snprintf(en, sizeof en, "the request body is not valid JSON (line %d, column %d: %s)",
				 jerr.line, jerr.column, jerr.text);
			resp_problem(rq, rs, 400, "malformed_json", zh, en, NULL);
			return;
		}
		if (!json_is_object(doc)) {
			json_decref(doc);
			resp_problem(rq, rs, 422, "body_not_object", "请求体应为 JSON 对象",
				     "the request body must be a JSON object", NULL);
			return;
		}
		rq->json = doc;
	}
	/* the caller was authorized before the body was read */
	if (r->idempotent)
		idem_dispatch(rq, rs, r); /* Idempotency-Key: replay or run and keep */
	else
		r->handler(rq, rs);
	if (rq->json) {
		json_decref(rq->json);
		rq->json = NULL;
	}
	/* a handler that failed mid-transaction must not leave it open */
	store_rollback(rq->store);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)version;
	struct req_ctx *c = *con_cls;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return MHD_NO;
		c->rq.arena = arena_new();
		if (!c->rq.arena) {
			free(c);
			return MHD_NO;
		}
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		unsigned long long n = atomic_fetch_add(&req_counter, 1) + 1;
		snprintf(c->rid, sizeof c->rid, "%06llx-%08llx", rid_prefix & 0xffffff, n);
		c->rq.request_id = c->rid;
		c->rq.conn = conn;
		c->rq.method = method;
		c->rq.path = arena_strdup(c->rq.arena, url);
		c->rq.lang = pick_lang(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								   "Accept-Language"));
		c->rq.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								 "Content-Type");
		c->rq.ip = client_ip(conn, c->rq.arena);
		if (g_cfg->trusted_proxy && strcmp(c->rq.ip, g_cfg->trusted_proxy) == 0)
			c->rq.ip = forwarded_for(conn, c->rq.arena, c->rq.ip);
		const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								"X-Forwarded-Proto");
		c->rq.secure_cookies = g_cfg->secure_cookies ||
				       (proto && strcasecmp(proto, "https") == 0);
		*con_cls = c;
		char allow[64];
		/* HEAD is GET without the body (MHD drops the body of a HEAD response) */
		const char *rm = strcmp(method, "HEAD") == 0 ? "GET" : method;
		enum route_match m = router_match(&c->rq, rm, url, &c->route, allow, sizeof allow);
		int page_get = strncmp(url, "/api/", 5) != 0 &&
			       (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
		/* a browser opening a public non-/api route (a scanned /verify/{token}) gets
		 * the web UI, which asks the same URL for JSON */
		if (page_get && m != ROUTE_NO_PATH && g_cfg->web_root && wants_html(conn))
			m = ROUTE_NO_PATH;
		if (m == ROUTE_NO_PATH && page_get) {
			static_serve(&c->rq, &c->rs, g_cfg->web_root);
			c->responded = 1;
		} else if (m == ROUTE_NO_PATH) {
			resp_problem(&c->rq, &c->rs, 404, "route_not_found", "没有这个接口",
				     "no such endpoint", NULL);
			c->responded = 1;
		} else if (m == ROUTE_NO_METHOD) {
			char zh[128], en[128];
			snprintf(zh, sizeof zh, "此接口不支持 %s 方法，可用：%s", method, allow);
			snprintf(en, sizeof en, "method %s is not allowed here; allowed: %s", method,
				 allow);
			resp_problem(&c->rq, &c->rs, 405, "method_not_allowed", zh, en, NULL);
			char *al = arena_strdup(c->rq.arena, allow);
			if (al)
				resp_header(&c->rs, "Allow", al);
			c->responded = 1;
		} else {
			c->body_max = c->route->body_max ? c->route->body_max
				      : (g_cfg->json_body_max ? g_cfg->json_body_max : DEFAULT_JSON_MAX);
			const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								     "Content-Length");
			if (cl && strtoull(cl, NULL, 10) > c->body_max)
				c->too_large = 1;
			/* who is calling is settled from the headers, before any body is read: an
			 * anonymous or unauthorized upload is refused without buffering it */
			c->rq.store = thread_store();
			if (!c->rq.store) {
				resp_rc(&c->rq, &c->rs, TP_ERR_BUSY);
				c->responded = 1;
			} else if (http_authorize(&c->rq, &c->rs, c->route) != 0) {
				/* answered at once: MHD sends it without reading the body and
				 * closes the connection after it */
				c->responded = 1;
				return send_response(conn, c);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (c->responded || c->too_large)
			return MHD_YES; /* discard */
		if (c->body_len + n > c->body_max) {
			c->too_large = 1;
			return MHD_YES;
		}
		if (c->body_len + n + 1 > c->body_cap) {
			size_t cap = c->body_cap ? c->body_cap : 4096;
			while (cap < c->body_len + n + 1)
				cap *= 2;
			char *nb = realloc(c->body, cap);
			if (!nb)
				return MHD_NO;
			c->body = nb;
			c->body_cap = cap;
		}
		memcpy(c->body + c->body_len, upload_data, n);
		c->body_len += n;
		c->body[c->body_len] = '\0';
		return MHD_YES;
	}
	if (!c->responded)
		dispatch(c);
	return send_response(conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	struct req_ctx *c = *con_cls;
	if (!c)
		return;
	if (log_get_level() <= LOG_INFO) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long us = (long long)(now.tv_sec - c->start.tv_sec) * 1000000 +
			       (now.tv_nsec - c->start.tv_nsec) / 1000;
		tp_log(LOG_INFO, "request",
		       json_pack("{s:s,s:s,s:s,s:i,s:I,s:i}", "request_id", c->rid, "method",
				 c->rq.method ? c->rq.method : "", "path",
				 c->rq.path ? c->rq.path : "", "status", (int)c->rs.status, "us", (json_int_t)us,
				 "termination", (int)toe));
	}
	if (c->rq.json)
		json_decref(c->rq.json);
	free(c->rs.body);
	free(c->body);
	arena_free(c->rq.arena);
	free(c);
	*con_cls = NULL;
}

enum tp_rc server_run(const struct server_config *cfg)
{
	g_cfg = cfg;
	if (pthread_key_create(&store_key, store_destructor) != 0)
		return TP_ERR_INTERNAL;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	rid_prefix = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 16);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
		tp_log(LOG_ERROR, "bad listen address", json_pack("{s:s}", "host", cfg->host));
		return TP_ERR_USAGE;
	}
	unsigned threads = cfg->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 2;
	}
	unsigned flags = MHD_USE_ERROR_LOG;
	struct MHD_OptionItem opts[8];
	size_t no = 0;
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &addr};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed,
					     NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
					     cfg->conn_timeout ? cfg->conn_timeout : 30, NULL};
	/* request line + headers must fit in this per-connection pool (431 beyond).  MHD
	 * clears the pool for every request, so its size is a cost per request: 16 KiB
	 * (nginx's default header buffers are 8 KiB) measured 16 % fewer instructions
	 * per request than 64 KiB. */
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16 * 1024, NULL};
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 1000, NULL};
	if (cfg->model == THREADS_POOL) {
		flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
		opts[no++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, threads, NULL};
	} else {
		flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL;
	}
	opts[no++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	/* workers inherit a mask that blocks the stop signals; the main thread waits for them */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
						MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!d) {
		tp_log(LOG_ERROR, "cannot listen",
		       json_pack("{s:s,s:i}", "host", cfg->host, "port", (int)cfg->port));
		return TP_ERR_IO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : cfg->port;
	tp_log(LOG_WARN, "listening",
	       json_pack("{s:s,s:i,s:s,s:i,s:s}", "host", cfg->host, "port", (int)port, "model",
			 cfg->model == THREADS_POOL ? "pool" : "per-connection", "threads",
			 (int)threads, "db", cfg->db_path));

	int sig = 0;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	tp_log(LOG_WARN, "stopped", NULL);
	return TP_OK;
}
