#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/files.h"
#include "cli/cli.h"
#include "core/log.h"
#include "domain/evidence.h"
#include "domain/payments.h"
#include "http/pack.h"
#include "domain/benefits.h"
#include "domain/identification.h"
#include "domain/workflow.h"
#include "policy/policy.h"
#include "policy/standard.h"
#include "http/server.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: talentport serve [--db PATH] [--listen HOST:PORT] [--threads N]\n"
		"                        [--thread-model pool|per-connection] [--log-level LEVEL]\n"
		"                        [--web DIR] [--secure-cookies] [--trusted-proxy ADDR]\n"
		"                        [--pack DIR] [--workflows DIR] [--files-dir DIR]\n"
		"  启动 HTTP 服务（接口与网页），启动时先执行数据库迁移\n"
		"  Serves the HTTP API and web UI; migrates the database first.\n"
		"  --db PATH        database file (default $TALENTPORT_DB, then var/talentport.db)\n"
		"  --listen H:P     address (default $TALENTPORT_LISTEN, then 127.0.0.1:8080)\n"
		"  --threads N      worker threads for the pool model (default: number of cores)\n"
		"  --thread-model   pool (epoll + worker pool, default) or per-connection\n"
		"  --log-level L    debug|info|warn|error|off (default $TALENTPORT_LOG_LEVEL, then info)\n"
		"  --web DIR        built web UI folder (default web/dist when it exists)\n"
		"  --secure-cookies session cookie __Host-sid with Secure even on a loopback address\n"
		"                   (on by itself for other addresses and behind X-Forwarded-Proto: https)\n"
		"  --trusted-proxy ADDR  the TLS proxy's address: requests from it name the client in\n"
		"                   X-Forwarded-For (rate limits and the audit log use that address)\n"
		"  --pack DIR       the policy pack (default policies/jinjiang, looked for in the\n"
		"                   current folder, then beside the program's build folder)\n"
		"  --workflows DIR  the application workflows (default workflows, looked for likewise)\n"
		"  --files-dir DIR  evidence files of applications, content-addressed (default\n"
		"                   $TALENTPORT_FILES_DIR, then the database path + \".files\");\n"
		"                   created 0700; never inside the web folder\n");
}

#define DEFAULT_PACK "policies/jinjiang"

/*
 * The default pack: policies/jinjiang in the current folder, else the one of the source
 * tree the program was built in (build/talentport → ../policies/jinjiang), so that `serve`
 * started from elsewhere still finds it.  Falls back to the relative name, which then
 * fails to load with a message naming it.
 */
static const char *default_pack(char *buf, size_t len)
{
	if (access(DEFAULT_PACK "/pack.yaml", R_OK) == 0)
		return DEFAULT_PACK;
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? memrchr(exe, '/', (size_t)n) : NULL;
	if (!slash)
		return DEFAULT_PACK;
	*slash = '\0';
	int w = snprintf(buf, len, "%s/../" DEFAULT_PACK "/pack.yaml", exe);
	if (w <= 0 || (size_t)w >= len || access(buf, R_OK) != 0)
		return DEFAULT_PACK;
	buf[w - (int)strlen("/pack.yaml")] = '\0';
	return buf;
}

/* Splits "HOST:PORT" into host (static buffer) and port. */
static int parse_listen(const char *s, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= hostlen)
		return -1;
	long p;
	char *end;
	if (colon[1] < '0' || colon[1] > '9') /* strtol would take " 80" and "+80" */
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || p < 0 || p > 65535)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, hostlen, "127.0.0.1");
	struct in_addr addr;
	if (inet_pton(AF_INET, host, &addr) != 1) /* the server binds IPv4 addresses only */
		return -1;
	*port = (unsigned)p;
	return 0;
}

/*
 * The evidence files directory: --files-dir, else $TALENTPORT_FILES_DIR, else beside the
 * database.  Created 0700; refused inside the web folder (it would be served as is).
 */
static int prepare_files_dir(const char *dir, const char *db_path, const char *web_root)
{
	char buf[1100], err[1300];
	if (!dir || !*dir)
		dir = getenv("TALENTPORT_FILES_DIR");
	if (!dir || !*dir) {
		if (evidence_default_dir(db_path, buf, sizeof buf) != 0) {
			fprintf(stderr, "talentport serve: the database path is too long\n");
			return -1;
		}
		dir = buf;
	}
	if (api_files_init(dir, err, sizeof err) != 0) {
		fprintf(stderr, "talentport serve: %s\n", err);
		return -1;
	}
	char rf[PATH_MAX], rw[PATH_MAX];
	if (web_root && realpath(dir, rf) && realpath(web_root, rw)) {
		size_t n = strlen(rw);
		if (strncmp(rf, rw, n) == 0 && (rf[n] == '/' || rf[n] == '\0')) {
			fprintf(stderr, "talentport serve: 材料文件目录不能位于网页目录内 / the files "
					"directory %s must not be inside the web folder %s\n", rf, rw);
			rmdir(rf); /* when it was just made (empty), take it away again */
			return -1;
		}
	}
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *listen = NULL, *threads = NULL, *model = NULL, *level = NULL;
	const char *web = NULL, *proxy = NULL, *pack = NULL, *wfdir = NULL, *files_dir = NULL;
	const char *stddir = NULL;
	int secure_cookies = 0;
	for (int i = 1; i < argc; i++) {
		int r = 0;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--secure-cookies") == 0) {
			secure_cookies = 1;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--listen", &listen)) ||
		    (r = cli_opt_value(argc, argv, &i, "--threads", &threads)) ||
		    (r = cli_opt_value(argc, argv, &i, "--thread-model", &model)) ||
		    (r = cli_opt_value(argc, argv, &i, "--log-level", &level)) ||
		    (r = cli_opt_value(argc, argv, &i, "--web", &web)) ||
		    (r = cli_opt_value(argc, argv, &i, "--trusted-proxy", &proxy)) ||
		    (r = cli_opt_value(argc, argv, &i, "--pack", &pack)) ||
		    (r = cli_opt_value(argc, argv, &i, "--workflows", &wfdir)) ||
		    (r = cli_opt_value(argc, argv, &i, "--standard", &stddir)) ||
		    (r = cli_opt_value(argc, argv, &i, "--files-dir", &files_dir))) {
			if (r < 0)
				return 2;
			continue;
		}
		fprintf(stderr, "talentport serve: unknown argument '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	struct server_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.db_path = cli_db_path(db);
	if (!listen)
		listen = getenv("TALENTPORT_LISTEN");
	if (!listen || !*listen)
		listen = "127.0.0.1:8080";
	char host[64];
	if (parse_listen(listen, host, sizeof host, &cfg.port) != 0) {
		fprintf(stderr, "talentport serve: --listen must be IPV4-ADDRESS:PORT (got '%s')\n",
			listen);
		return 2;
	}
	cfg.host = host;
	/* Plain `sid` only for plain http on this machine (development, the demo); anywhere
	 * else the cookie is __Host-sid with Secure and TLS is terminated in front of us. */
	cfg.secure_cookies = secure_cookies || strncmp(host, "127.", 4) != 0;
	if (proxy) {
		struct in_addr pa;
		if (inet_pton(AF_INET, proxy, &pa) != 1) {
			fprintf(stderr, "talentport serve: --trusted-proxy must be an IPv4 address\n");
			return 2;
		}
		cfg.trusted_proxy = proxy;
	}
	if (threads) {
		long n;
		if (cli_parse_long("--threads", threads, 1, 256, &n) != 0)
			return 2;
		cfg.threads = (unsigned)n;
	}
	if (model) {
		if (strcmp(model, "pool") == 0)
			cfg.model = THREADS_POOL;
		else if (strcmp(model, "per-connection") == 0)
			cfg.model = THREADS_PER_CONNECTION;
		else {
			fprintf(stderr, "talentport serve: --thread-model is pool or per-connection\n");
			return 2;
		}
	}
	if (!level)
		level = getenv("TALENTPORT_LOG_LEVEL");
	if (level && *level) {
		int l = log_level_parse(level);
		if (l < 0) {
			fprintf(stderr, "talentport serve: unknown log level '%s'\n", level);
			return 2;
		}
		log_set_level((enum log_level)l);
	}
	if (!web && access("web/dist/index.html", R_OK) == 0)
		web = "web/dist";
	cfg.web_root = web;
	char pack_buf[2200];
	cfg.policy_pack = pack ? pack : default_pack(pack_buf, sizeof pack_buf);
	/* before the database is touched: a server without its rules does not start */
	if (http_policy_pack_load(cfg.policy_pack, stderr) != 0) {
		fprintf(stderr, "talentport serve: cannot load the policy pack %s\n", cfg.policy_pack);
		return 1;
	}
	benefit_set_pack(http_policy_pack()); /* benefit applications (快申快享) */
	/* the identification standard: --standard DIR, else <pack>/standard when there is one */
	char std_buf[2300];
	if (!stddir) {
		snprintf(std_buf, sizeof std_buf, "%s/standard", cfg.policy_pack);
		if (access(std_buf, R_OK) == 0)
			stddir = std_buf;
	}
	struct pol_pack *standard = NULL;
	if (stddir) {
		struct pol_errors *errs = NULL;
		if (pol_pack_load(stddir, &standard, &errs) != 0 || !pol_pack_is_standard(standard)) {
			for (int i = 0; i < pol_errors_count(errs); i++)
				fprintf(stderr, "%s\n", pol_errors_get(errs, i));
			fprintf(stderr, "talentport serve: cannot load the identification standard %s\n",
				stddir);
			pol_errors_free(errs);
			pol_pack_free(standard);
			http_policy_pack_free();
			return 1;
		}
		identification_set_standard(standard);
	}
	char wf_buf[2200];
	if (!wfdir)
		wfdir = workflows_default_dir(wf_buf, sizeof wf_buf);
	if (workflows_load(wfdir, stderr) != 0) {
		fprintf(stderr, "talentport serve: cannot load the workflows in %s\n", wfdir);
		http_policy_pack_free();
		pol_pack_free(standard);
		return 1;
	}

	struct store *st;
	char err[512];
	if (store_open(cfg.db_path, STORE_CREATE, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport serve: %s\n", err);
		http_policy_pack_free();
		workflows_free();
		pol_pack_free(standard);
		return 1;
	}
	int applied = 0, version = 0;
	enum tp_rc rc = store_migrate(st, &applied, &version);
	/* a payment run job a killed process left unfinished is finished before serving */
	int resumed = 0;
	if (rc == TP_OK && (rc = payments_resume(st, &resumed)) != TP_OK)
		fprintf(stderr, "talentport serve: resuming payment run jobs failed (%s)\n",
			tp_rc_str(rc));
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport serve: migration failed (%s)\n", tp_rc_str(rc));
		http_policy_pack_free();
		workflows_free();
		pol_pack_free(standard);
		return 1;
	}
	if (prepare_files_dir(files_dir, cfg.db_path, cfg.web_root) != 0) {
		http_policy_pack_free();
		workflows_free();
		pol_pack_free(standard);
		return 1;
	}
	rc = server_run(&cfg);
	benefit_set_pack(NULL);
	http_policy_pack_free();
	workflows_free();
	identification_set_standard(NULL);
	pol_pack_free(standard);
	return rc == TP_OK ? 0 : 1;
}
