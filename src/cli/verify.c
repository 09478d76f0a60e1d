/*
 * verify.c — `talentport verify TOKEN [--public-key FILE | --db PATH] [--on DATE]`: checks
 * a talent code (人才码).
 *
 * With --public-key the check is offline: the signature against the public keys of the
 * file (`talentport keys export-code`) and the validity dates; revocation and suspension
 * are not known without the database, and the output says so.  Otherwise (--db, or the
 * default database) the certificate's record is consulted too (domain/certificates.h
 * cert_verify).  Exit status: 0 valid, 1 anything else (or a failure), 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/talent_code.h"
#include "domain/certificates.h"
#include "store/store.h"

#define KEYS_MAX 64
#define KEYFILE_MAX (64 * 1024)

static void usage(FILE *f)
{
	fprintf(f, "usage: talentport verify TOKEN [--public-key FILE | --db PATH] [--on YYYY-MM-DD]\n"
		   "  核验人才码：签名、有效期；使用数据库时还核对是否撤销或暂停。\n"
		   "  Checks a talent code: its signature and validity dates; with the database\n"
		   "  also whether the certificate was revoked, suspended or superseded.\n"
		   "  --public-key FILE  offline, from the public keys alone (talentport keys\n"
		   "                     export-code); revocation is not checked / 离线核验\n"
		   "  --db PATH          database file (default $TALENTPORT_DB, then var/talentport.db)\n"
		   "  --on DATE          check validity on this date (default today, Asia/Shanghai)\n"
		   "  exit status: 0 valid, 1 not valid, 2 usage\n");
}

/* Reads a small text file into a malloc'd string; NULL (after a message) on failure. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "talentport verify: cannot open '%s'\n", path);
		return NULL;
	}
	char *buf = malloc(KEYFILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, KEYFILE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || n > KEYFILE_MAX || memchr(buf, '\0', n)) {
		fprintf(stderr, "talentport verify: '%s' is not a public-key file\n", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static void print_claims(const struct tc_claims *c)
{
	char from[11], to[11];
	date_format(c->valid_from, from);
	date_format(c->valid_to, to);
	printf("certificate / 证书: %" PRId64 "\n"
	       "tier / 层次: %d %s\n"
	       "valid / 有效期: %s .. %s\n"
	       "key / 密钥: %08" PRIx32 "\n",
	       c->cert_id, c->tier, cert_tier_zh(c->tier), from, to, c->key_id);
}

static int offline(const char *token, const char *keyfile, struct civil_date on)
{
	char *text = read_text(keyfile);
	if (!text)
		return 1;
	struct tc_pubkey keys[KEYS_MAX];
	int line, n = talent_code_keys_parse(text, keys, KEYS_MAX, &line);
	free(text);
	if (n < 0) {
		fprintf(stderr, "talentport verify: %s line %d is not a code-pk line\n", keyfile,
			line);
		return 1;
	}
	struct tc_claims c;
	enum tc_verdict v = talent_code_decode(token, keys, (size_t)n, on, &c);
	printf("status / 状态: %s\n", tc_verdict_str(v));
	if (v != TC_FORGED && v != TC_MALFORMED) {
		print_claims(&c);
		printf("note / 说明: offline check: revocation not checked (needs --db) / "
		       "离线核验，未核对是否撤销\n");
	}
	return v == TC_VALID ? 0 : 1;
}

static int online(const char *token, const char *db, struct civil_date on)
{
	struct store *st;
	char err[1024];
	if (store_open(cli_db_path(db), STORE_READONLY, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport verify: %s\n", err);
		return 1;
	}
	struct arena *a = arena_new();
	struct tc_claims cl;
	struct certificate c;
	const char *status = a ? cert_verify(st, a, token, on, &cl, &c) : NULL;
	int ret = 1;
	if (!status) {
		fprintf(stderr, "talentport verify: the database could not be read\n");
	} else {
		printf("status / 状态: %s\n", status);
		if (c.id) {
			print_claims(&cl);
			printf("issuer / 发证机构: %s\n", c.issuer);
		}
		ret = strcmp(status, "valid") == 0 ? 0 : 1;
	}
	arena_free(a);
	store_close(st);
	return ret;
}

int cmd_verify(int argc, char **argv)
{
	const char *token = NULL, *keyfile = NULL, *db = NULL, *on_s = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--public-key", &keyfile)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--db", &db)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--on", &on_s)) != 0) {
			if (r < 0)
				return 2;
		} else if (!token && (argv[i][0] != '-' || argv[i][1] == '\0')) {
			token = argv[i];
		} else {
			fprintf(stderr, "talentport verify: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!token) {
		fprintf(stderr, "talentport verify: which token?\n");
		usage(stderr);
		return 2;
	}
	if (keyfile && db) {
		fprintf(stderr, "talentport verify: --public-key or --db, not both\n");
		return 2;
	}
	struct civil_date on = cert_today();
	if (on_s && date_parse(on_s, &on) != 0) {
		fprintf(stderr, "talentport verify: --on must be a date YYYY-MM-DD\n");
		return 2;
	}
	return keyfile ? offline(token, keyfile, on) : online(token, db, on);
}
