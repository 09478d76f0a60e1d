/*
 * keys.c — `talentport keys status|rotate|rotate-code|export-code`: the key file of the
 * personal data at rest and of the talent codes (core/crypto.h, core/talent_code.h,
 * docs/operations.md "Keys").
 *
 * rotate-code adds a talent-code signing key (new certificates are signed with it; the
 * old keys stay, so codes already printed still verify); export-code writes the public
 * keys of every code key, the file `talentport verify --public-key` reads offline.
 *
 * status prints the key file, its fingerprint, the active key and how many sealed values
 * each key id sealed.  rotate adds a data key to the key file and re-seals every value
 * with it, a batch per transaction; an interrupted rotation is finished by
 * `rotate --resume`, which re-seals under the active key without adding another (values
 * already under it are skipped).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/talent_code.h"
#include "core/log.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "store/store.h"

#define BATCH_DEFAULT 1000

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: talentport keys status [--db PATH]\n"
	        "       talentport keys rotate [--db PATH] [--resume] [--batch N]\n"
	        "       talentport keys rotate-code [--db PATH]\n"
	        "       talentport keys export-code [--db PATH] [--out FILE]\n"
	        "  个人信息加密密钥：status 显示密钥文件、指纹、当前密钥及各密钥加密的数据条数；\n"
	        "  rotate 新增一把密钥并用它重新加密全部数据（可在服务运行时执行）。\n"
	        "  The keys of the personal data at rest.  status shows the key file, its\n"
	        "  fingerprint, the active key and how many values each key sealed; rotate adds\n"
	        "  a key and re-seals every value with it (the server may keep running).\n"
	        "  --db PATH   database file (default $TALENTPORT_DB, then var/talentport.db);\n"
	        "              the key file is PATH.key unless TALENTPORT_KEY_FILE names it\n"
	        "  --resume    finish an interrupted rotation: re-seal under the active key,\n"
	        "              add none / 继续未完成的轮换\n"
	        "  --batch N   values' rows per transaction, 1..100000 (default %d)\n"
	        "  人才码签名密钥：rotate-code 新增一把签名密钥（旧密钥保留，已发的人才码仍可核验）；\n"
	        "  export-code 导出全部人才码公钥，供 talentport verify --public-key 离线核验。\n"
	        "  Talent-code keys: rotate-code adds a signing key (old ones stay, so codes\n"
	        "  already issued still verify); export-code writes every talent-code public\n"
	        "  key for `talentport verify --public-key FILE` (to stdout, or --out FILE).\n",
	        BATCH_DEFAULT);
}

/* Prints the sealed values per key id; *active_left gets the count under other keys. */
static int print_counts(struct store *st, uint32_t active, int64_t *others)
{
	struct arena *a = arena_new();
	struct pii_key_count *c = NULL;
	size_t n = 0;
	enum tp_rc rc = a ? STORE_CALL(pii_key_counts, st, a, &c, &n) : TP_ERR_NOMEM;
	if (rc != TP_OK) {
		fprintf(stderr, "talentport keys: cannot count the sealed values (%s)\n",
		        tp_rc_str(rc));
		arena_free(a);
		return 1;
	}
	*others = 0;
	printf("sealed values by key / 各密钥加密的数据:\n");
	if (n == 0)
		printf("  (none)\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %08" PRIx32 "  %" PRId64 "%s\n", c[i].key_id, c[i].values,
		       c[i].key_id == active ? "  (active)" : "");
		if (c[i].key_id != active)
			*others += c[i].values;
	}
	arena_free(a);
	return 0;
}

static int status(struct store *st)
{
	struct pii_key_info ki;
	if (STORE_CALL(pii_key_info, st, &ki) != TP_OK) {
		fprintf(stderr, "talentport keys: no key information\n");
		return 1;
	}
	printf("key file / 密钥文件:   %s\n"
	       "fingerprint / 指纹:    %s\n"
	       "active key / 当前密钥: %08" PRIx32 "\n",
	       ki.path, ki.fingerprint, ki.active_id);
	int64_t others;
	if (print_counts(st, ki.active_id, &others) != 0)
		return 1;
	const struct keyring *kr = st->ops->keyring(st);
	size_t n = kr ? keyring_code_count(kr) : 0;
	printf("talent-code keys / 人才码签名密钥:\n");
	if (n == 0)
		printf("  (none: run talentport migrate)\n");
	for (size_t i = 0; i < n; i++) {
		uint32_t id;
		unsigned char pk[32];
		keyring_code_pk(kr, i, &id, pk);
		printf("  %08" PRIx32 "%s\n", id, i + 1 == n ? "  (active)" : "");
	}
	return 0;
}

static int rotate_code(struct store *st)
{
	struct pii_key_info ki;
	struct keyring *kr = NULL;
	char err[1024];
	uint32_t id = 0;
	if (STORE_CALL(pii_key_info, st, &ki) != TP_OK ||
	    keyring_load(ki.path, 0, &kr, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport keys: cannot load the key file\n");
		return 1;
	}
	enum tp_rc rc = keyring_add_code_key(kr, ki.path, 0, &id);
	keyring_free(kr);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport keys: cannot add a talent-code key (%s)\n",
		        tp_rc_str(rc));
		return 1;
	}
	char kid[9];
	snprintf(kid, sizeof kid, "%08" PRIx32, id);
	struct actor sys = actor_system();
	rc = audit_append(st, &sys, "keys.rotate_code", "key", kid, "ok", "", NULL, 0);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport keys: key %s added, but its audit record could not be "
		                "written (%s)\n", kid, tp_rc_str(rc));
		return 1;
	}
	printf("rotate-code: talent codes are now signed with key %s (%s); export the public "
	       "keys again: talentport keys export-code\n", kid, ki.path);
	return 0;
}

static int export_code(struct store *st, const char *out)
{
	struct tc_pubkey keys[64];
	const struct keyring *kr = st->ops->keyring(st);
	size_t n = kr ? talent_code_keys_from_ring(kr, keys, 64) : 0;
	if (n == 0) {
		fprintf(stderr, "talentport keys: the key file has no talent-code key (run "
		                "talentport migrate)\n");
		return 1;
	}
	char *text = talent_code_keys_write(keys, n);
	if (!text)
		return 1;
	FILE *f = out ? fopen(out, "w") : stdout;
	int ok = f && fputs(text, f) >= 0;
	if (out && f)
		ok = fclose(f) == 0 && ok;
	free(text);
	if (!ok) {
		fprintf(stderr, "talentport keys: cannot write '%s'\n", out ? out : "stdout");
		return 1;
	}
	return 0;
}

static int rotate(struct store *st, int resume, long batch)
{
	uint32_t id = 0;
	enum tp_rc rc;
	if (!resume) {
		if ((rc = STORE_CALL(pii_add_key, st, &id)) != TP_OK) {
			fprintf(stderr, "talentport keys: cannot add a key to the key file (%s)\n",
			        tp_rc_str(rc));
			return 1;
		}
		char kid[9];
		snprintf(kid, sizeof kid, "%08" PRIx32, id);
		tp_log(LOG_INFO, "key rotation: key added", json_pack("{s:s}", "key_id", kid));
	}
	struct pii_key_info ki;
	STORE_CALL(pii_key_info, st, &ki);
	printf("rotate: active key %08" PRIx32 " (%s)\n", ki.active_id, ki.path);
	struct pii_rekey_pos pos = {0};
	int64_t total = 0, done = 0;
	while (pos.table != PII_REKEY_DONE) {
		rc = STORE_CALL(pii_rekey, st, (size_t)batch, &pos, &done);
		if (rc != TP_OK) {
			fprintf(stderr,
			        "talentport keys: re-sealing stopped (%s) after %" PRId64
			        " values; "
			        "run 'talentport keys rotate --resume' to finish\n",
			        tp_rc_str(rc), total);
			return 1;
		}
		total += done;
	}
	printf("rotate: %" PRId64 " values re-sealed under key %08" PRIx32 "\n", total,
	       ki.active_id);
	/* the rotation is done: audit it (the key id, never key material) */
	char kid[9];
	snprintf(kid, sizeof kid, "%08" PRIx32, resume ? ki.active_id : id);
	struct actor sys = actor_system();
	rc = audit_append(st, &sys, resume ? "keys.rotate_resume" : "keys.rotate", "key", kid,
	                  "ok", "", NULL, 0);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport keys: the rotation is done but its audit record could "
		                "not be written (%s)\n",
		        tp_rc_str(rc));
		return 1;
	}
	int64_t others;
	if (print_counts(st, ki.active_id, &others) != 0)
		return 1;
	if (others)
		printf("rotate: %" PRId64 " values were written under an older key meanwhile; "
		       "run 'talentport keys rotate --resume' again\n",
		       others);
	return 0;
}

int cmd_keys(int argc, char **argv)
{
	const char *db = NULL, *what = NULL, *b = NULL, *out = NULL;
	int resume = 0;
	long batch = BATCH_DEFAULT;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--batch", &b)) != 0 ||
		    (r = cli_opt_value(argc, argv, &i, "--out", &out)) != 0) {
			if (r < 0)
				return 2;
		} else if (strcmp(argv[i], "--resume") == 0) {
			resume = 1;
		} else if (argv[i][0] != '-' && !what) {
			what = argv[i];
		} else {
			fprintf(stderr, "talentport keys: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!what || (strcmp(what, "status") != 0 && strcmp(what, "rotate") != 0 &&
	              strcmp(what, "rotate-code") != 0 && strcmp(what, "export-code") != 0)) {
		fprintf(stderr, "talentport keys: 'status', 'rotate', 'rotate-code' or "
		                "'export-code'?\n");
		usage(stderr);
		return 2;
	}
	if (b && cli_parse_long("--batch", b, 1, 100000, &batch) != 0)
		return 2;
	int is_rotate = strcmp(what, "rotate") == 0, is_export = strcmp(what, "export-code") == 0;
	int is_status = strcmp(what, "status") == 0;
	if (!is_rotate && (resume || b)) {
		fprintf(stderr, "talentport keys: --resume and --batch are for rotate\n");
		return 2;
	}
	if (!is_export && out) {
		fprintf(stderr, "talentport keys: --out is for export-code\n");
		return 2;
	}
	struct store *st;
	char err[1024];
	const char *path = cli_db_path(db);
	if (store_open(path, is_status || is_export ? STORE_READONLY : 0, &st, err, sizeof err) !=
	    TP_OK) {
		fprintf(stderr, "talentport keys: %s\n", err);
		return 1;
	}
	int ret = is_status   ? status(st)
	          : is_export ? export_code(st, out)
	          : is_rotate ? rotate(st, resume, batch)
	                      : rotate_code(st);
	store_close(st);
	return ret;
}
