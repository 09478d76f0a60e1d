/*
 * server.h — the HTTP server (libmicrohttpd).
 *
 * Thread model (docs/performance.md has the measurements):
 *   pool            — MHD's internal epoll loop on a pool of `threads` worker threads;
 *                     each worker keeps one SQLite connection for its whole life.
 *   per-connection  — one thread per TCP connection (MHD_USE_THREAD_PER_CONNECTION);
 *                     each thread opens its own connection when it serves its first request.
 */
#ifndef TP_HTTP_SERVER_H
#define TP_HTTP_SERVER_H

#include <stddef.h>

#include "core/rc.h"

enum thread_model { THREADS_POOL = 0, THREADS_PER_CONNECTION };

struct server_config {
	const char *db_path;
	const char *host;       /* "127.0.0.1" */
	unsigned port;          /* 8080; 0 picks a free port */
	unsigned threads;       /* pool size; 0 = number of cores */
	enum thread_model model;
	unsigned conn_timeout;  /* seconds of inactivity before a connection is closed */
	size_t json_body_max;   /* default cap on a JSON body */
	const char *web_root;   /* folder of the built web UI, or NULL */
	int secure_cookies;     /* session cookie __Host-sid; Secure (off only on plain-http loopback) */
	const char *trusted_proxy; /* the TLS proxy's address: its X-Forwarded-For names the client */
	const char *policy_pack;   /* the policy pack folder (`serve` loads it before server_run) */
};

/*
 * Runs the server until SIGINT or SIGTERM.  Prints one log line with the bound
 * address when ready.  Returns TP_OK after a clean shutdown.
 */
enum tp_rc server_run(const struct server_config *cfg);

#endif
