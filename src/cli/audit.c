/*
 * audit.c — `talentport audit verify|list|archive|verify-archive`: the operator's view of
 * the tamper-evident audit log (domain/audit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/jsonw.h"
#include "domain/audit.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: talentport audit verify [--db PATH]\n"
	        "       talentport audit list [--db PATH] [--action A] [--actor U] [--result R]\n"
	        "                             [--object-type T] [--object-id ID] [--from T] [--to T]\n"
	        "                             [--limit N] [--oldest-first]\n"
	        "       talentport audit archive --before YYYY-MM-DD --out FILE [--db PATH]\n"
	        "       talentport audit verify-archive FILE [--db PATH]\n"
	        "  verify          逐条校验审计日志的哈希链；完整时退出码 0，否则 1 并指出第一条被改动的记录。\n"
	        "                  Walks the audit log's hash chain: exit 0 when it holds, else 1\n"
	        "                  naming the first record that was changed, inserted or removed.\n"
	        "  list            按 JSON 行输出审计记录（默认最新的在前）。\n"
	        "                  Prints records as JSON lines, newest first (--oldest-first).\n"
	        "  archive         把早于指定日期（至少 %d 天前）的记录写入签名的归档文件，再从数据库移除。\n"
	        "                  Moves the records older than a date (at least %d days ago) to a\n"
	        "                  signed file (the key file's signing key), then removes them.\n"
	        "  verify-archive  校验归档文件的签名和哈希链 / checks an archive's signature and chain;\n"
	        "                  with --db also that the database's key file signed it.\n"
	        "  --db PATH       database file (default $TALENTPORT_DB, then var/talentport.db)\n"
	        "  --limit N       records to list, 1..500 (default 50)\n"
	        "  --from/--to T   YYYY-MM-DD (UTC day) or YYYY-MM-DDTHH:MM:SSZ, inclusive\n",
	        AUDIT_RETENTION_DAYS, AUDIT_RETENTION_DAYS);
}

struct args {
	const char *db, *before, *out, *file, *limit;
	struct audit_query q;
	int db_given;
};

static int open_store(const char *db, int flags, struct store **st)
{
	char err[512];
	if (store_open(cli_db_path(db), flags, st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport audit: %s\n", err);
		return 1;
	}
	return 0;
}

static int run_verify(const struct args *a)
{
	struct store *st;
	if (open_store(a->db, STORE_READONLY, &st) != 0)
		return 1;
	int64_t checked = 0, bad = 0;
	char why[512] = "";
	enum tp_rc rc = audit_verify(st, &checked, &bad, why, sizeof why);
	store_close(st);
	if (rc == TP_OK) {
		printf("审计日志完整：%lld 条记录 / audit log ok: %lld records\n", (long long)checked,
		       (long long)checked);
		return 0;
	}
	if (rc == TP_ERR_CONFLICT) {
		printf("审计日志被篡改 / audit log BROKEN at record %lld\n%s\n"
		       "（此前 %lld 条记录完好 / %lld records before it hold）\n",
		       (long long)bad, why, (long long)checked, (long long)checked);
		return 1;
	}
	fprintf(stderr, "talentport audit: verify failed (%s)\n", tp_rc_str(rc));
	return 1;
}

static int run_list(struct args *a)
{
	long limit = 50;
	if (a->limit && cli_parse_long("--limit", a->limit, 1, 500, &limit) != 0)
		return 2;
	char bound[25];
	if ((a->q.from && audit_time_bound(a->q.from, 0, bound) != 0) ||
	    (a->q.to && audit_time_bound(a->q.to, 1, bound) != 0)) {
		fprintf(stderr, "talentport audit: --from/--to must be YYYY-MM-DD or "
		                "YYYY-MM-DDTHH:MM:SSZ\n");
		return 2;
	}
	if (a->q.result && strcmp(a->q.result, "ok") != 0 && strcmp(a->q.result, "denied") != 0 &&
	    strcmp(a->q.result, "failed") != 0) {
		fprintf(stderr, "talentport audit: --result must be ok, denied or failed\n");
		return 2;
	}
	a->q.limit = limit;
	struct store *st;
	if (open_store(a->db, STORE_READONLY, &st) != 0)
		return 1;
	struct arena *ar = arena_new();
	struct audit_page page;
	enum tp_rc rc = ar ? audit_list(st, &a->q, ar, &page) : TP_ERR_NOMEM;
	for (size_t i = 0; rc == TP_OK && i < page.n; i++) {
		struct jw w;
		size_t len;
		jw_init(&w);
		audit_record_write(&w, &page.items[i]);
		char *line = jw_finish(&w, &len);
		if (!line || printf("%s\n", line) < 0)
			rc = line ? TP_ERR_IO : TP_ERR_NOMEM;
		free(line);
	}
	if (rc == TP_OK)
		fprintf(stderr, "audit: %zu of %lld matching records\n", page.n,
		        (long long)page.total);
	arena_free(ar);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport audit: list failed (%s)\n", tp_rc_str(rc));
		return 1;
	}
	return 0;
}

static int load_keys(const char *db, struct keyring **kr)
{
	char path[1024], err[512];
	keyring_default_path(cli_db_path(db), path, sizeof path);
	if (keyring_load(path, 0, kr, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport audit: %s\n", err);
		return 1;
	}
	return 0;
}

static int run_archive(const struct args *a)
{
	if (!a->before || !a->out) {
		fprintf(stderr, "talentport audit: archive needs --before YYYY-MM-DD and --out FILE\n");
		usage(stderr);
		return 2;
	}
	struct keyring *kr = NULL;
	struct store *st = NULL;
	if (load_keys(a->db, &kr) != 0)
		return 1;
	if (open_store(a->db, 0, &st) != 0) {
		keyring_free(kr);
		return 1;
	}
	struct actor who = actor_system();
	int64_t n = 0;
	char why[512] = "";
	enum tp_rc rc = audit_archive(st, kr, a->before, a->out, &who, &n, why, sizeof why);
	store_close(st);
	keyring_free(kr);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport audit: %s\n", why);
		return 1;
	}
	if (n == 0)
		printf("没有早于 %s 的记录，未写文件 / no records before %s: nothing archived\n",
		       a->before, a->before);
	else
		printf("已归档 %lld 条记录到 %s / archived %lld records to %s\n", (long long)n,
		       a->out, (long long)n, a->out);
	return 0;
}

static int run_verify_archive(const struct args *a)
{
	if (!a->file) {
		fprintf(stderr, "talentport audit: verify-archive needs the archive FILE\n");
		usage(stderr);
		return 2;
	}
	int64_t n = 0;
	unsigned char pk[32], own[32];
	char why[512] = "", hex[65];
	enum tp_rc rc = audit_verify_archive(a->file, &n, pk, why, sizeof why);
	if (rc != TP_OK) {
		printf("归档文件校验失败 / archive BROKEN: %s\n", why);
		return 1;
	}
	hex_encode(pk, sizeof pk, hex);
	if (a->db_given) {
		struct keyring *kr = NULL;
		if (load_keys(a->db, &kr) != 0)
			return 1;
		keyring_sign_pk(kr, own);
		keyring_free(kr);
		if (memcmp(own, pk, sizeof pk) != 0) {
			printf("归档文件不是用本数据库的密钥签名的 / archive signed by another key "
			       "(%s)\n",
			       hex);
			return 1;
		}
	}
	printf("归档文件完好：%lld 条记录 / archive ok: %lld records, signed by %s\n",
	       (long long)n, (long long)n, hex);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct args a;
	memset(&a, 0, sizeof a);
	a.q.newest_first = 1;
	const char *sub = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &a.db)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--before", &a.before)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--out", &a.out)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--limit", &a.limit)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--action", &a.q.action)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--actor", &a.q.actor)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--result", &a.q.result)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--object-type", &a.q.object_type)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--object-id", &a.q.object_id)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--from", &a.q.from)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--to", &a.q.to)) != 0) {
			if (r < 0)
				return 2;
		} else if (strcmp(argv[i], "--oldest-first") == 0) {
			a.q.newest_first = 0;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "talentport audit: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (!sub) {
			sub = argv[i];
		} else if (!a.file && strcmp(sub, "verify-archive") == 0) {
			a.file = argv[i];
		} else {
			fprintf(stderr, "talentport audit: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	a.db_given = a.db != NULL;
	if (sub && strcmp(sub, "verify") == 0)
		return run_verify(&a);
	if (sub && strcmp(sub, "list") == 0)
		return run_list(&a);
	if (sub && strcmp(sub, "archive") == 0)
		return run_archive(&a);
	if (sub && strcmp(sub, "verify-archive") == 0)
		return run_verify_archive(&a);
	fprintf(stderr, "talentport audit: verify, list, archive or verify-archive?\n");
	usage(stderr);
	return 2;
}
