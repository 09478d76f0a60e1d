/*
 * user.c — `talentport user add|disable|enable|reset-password|list`: accounts from the
 * command line, for the first admin and for recovery.  The operator acts as "system"
 * and every change is audited.  No default passwords: a password is generated and
 * printed once unless one is read from stdin (--password-stdin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/password.h"
#include "domain/accounts.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: talentport user add --username NAME --role ROLE [--display-name TEXT]\n"
		"                           [--town CODE]... [--enterprise-id N] [--talent-id N]\n"
		"                           [--department TEXT] [--unmask] [--password-stdin] [--db PATH]\n"
		"       talentport user disable|enable|reset-password --username NAME [--db PATH]\n"
		"       talentport user list [--db PATH]\n"
		"  管理账号（首个管理员、找回密码）。不设默认密码：未给出时生成一次性密码并打印，\n"
		"  首次登录须修改。\n"
		"  Manages accounts (the first admin, recovery).  There are no default passwords: one\n"
		"  is generated and printed once unless read from stdin; it must be changed at first\n"
		"  login.  Roles: talent employer liaison town_reviewer office_reviewer finance\n"
		"  auditor admin expert.\n");
}

static int open_db(const char *db, struct store **st)
{
	char err[512];
	if (store_open(cli_db_path(db), STORE_CREATE, st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport user: %s\n", err);
		return -1;
	}
	int applied, version;
	if (store_migrate(*st, &applied, &version) != TP_OK) {
		fprintf(stderr, "talentport user: migration failed\n");
		store_close(*st);
		return -1;
	}
	return 0;
}

static void print_errors(const struct verrors *ve)
{
	for (size_t i = 0; i < ve->n; i++)
		fprintf(stderr, "talentport user: %s: %s / %s\n", ve->v[i].field, ve->v[i].zh,
			ve->v[i].en);
}

static int read_password(char *buf, size_t len)
{
	if (!fgets(buf, (int)len, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? 0 : -1;
}

static int cmd_add(int argc, char **argv)
{
	const char *db = NULL, *username = NULL, *role = NULL, *name = NULL, *dept = NULL;
	const char *ent = NULL, *tal = NULL, *town = NULL;
	int from_stdin = 0, unmask = 0;
	struct user u;
	memset(&u, 0, sizeof u);
	for (int i = 1; i < argc; i++) {
		int r = 0;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			from_stdin = 1;
			continue;
		}
		if (strcmp(argv[i], "--unmask") == 0) {
			unmask = 1;
			continue;
		}
		if ((r = cli_opt_value(argc, argv, &i, "--town", &town)) == 1) {
			if (u.ntowns < ACTOR_MAX_TOWNS)
				u.towns[u.ntowns++] = town;
			continue;
		}
		if (r < 0 || (r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--username", &username)) ||
		    (r = cli_opt_value(argc, argv, &i, "--role", &role)) ||
		    (r = cli_opt_value(argc, argv, &i, "--display-name", &name)) ||
		    (r = cli_opt_value(argc, argv, &i, "--department", &dept)) ||
		    (r = cli_opt_value(argc, argv, &i, "--enterprise-id", &ent)) ||
		    (r = cli_opt_value(argc, argv, &i, "--talent-id", &tal))) {
			if (r < 0)
				return 2;
			continue;
		}
		fprintf(stderr, "talentport user add: unknown argument '%s'\n", argv[i]);
		return 2;
	}
	if (!username || !role) {
		fprintf(stderr, "talentport user add: --username and --role are required\n");
		return 2;
	}
	long v;
	if (ent && cli_parse_long("--enterprise-id", ent, 1, 0x7fffffffL, &v) != 0)
		return 2;
	u.enterprise_id = ent ? v : 0;
	if (tal && cli_parse_long("--talent-id", tal, 1, 0x7fffffffL, &v) != 0)
		return 2;
	u.talent_id = tal ? v : 0;
	u.username = username;
	u.role = role_parse(role);
	u.display_name = name ? name : username;
	u.department = dept ? dept : "";
	u.unmask = unmask;
	char given[PASSWORD_MAX_LEN + 2];
	if (from_stdin && read_password(given, sizeof given) != 0) {
		fprintf(stderr, "talentport user add: no password on stdin\n");
		return 2;
	}
	struct store *st;
	if (open_db(db, &st) != 0)
		return 1;
	struct arena *a = arena_new();
	struct verrors ve;
	verr_init(&ve, a);
	struct actor sys = actor_system();
	char pw[24];
	enum tp_rc rc = account_create(st, &sys, &u, from_stdin ? given : NULL, pw, tp_now(), &ve);
	int status = 0;
	if (rc == TP_OK) {
		printf("user %s (%s) created, id %lld\n", username, role, (long long)u.id);
		if (!from_stdin)
			printf("one-time password / 一次性密码: %s\n"
			       "(must be changed at first login / 首次登录须修改)\n",
			       pw);
	} else {
		print_errors(&ve);
		if (!ve.n)
			fprintf(stderr, "talentport user add: %s\n", tp_rc_str(rc));
		status = 1;
	}
	memset(given, 0, sizeof given);
	memset(pw, 0, sizeof pw);
	arena_free(a);
	store_close(st);
	return status;
}

static int cmd_one(const char *verb, int argc, char **argv)
{
	const char *db = NULL, *username = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) ||
		    (r = cli_opt_value(argc, argv, &i, "--username", &username))) {
			if (r < 0)
				return 2;
			continue;
		}
		fprintf(stderr, "talentport user %s: unknown argument '%s'\n", verb, argv[i]);
		return 2;
	}
	if (!username) {
		fprintf(stderr, "talentport user %s: --username is required\n", verb);
		return 2;
	}
	struct store *st;
	if (open_db(db, &st) != 0)
		return 1;
	struct arena *a = arena_new();
	struct user u;
	struct actor sys = actor_system();
	enum tp_rc rc = a ? STORE_CALL(user_get, st, 0, username, a, &u) : TP_ERR_NOMEM;
	int status = 0;
	if (rc == TP_ERR_NOT_FOUND) {
		fprintf(stderr, "talentport user %s: no account '%s' / 没有这个账号\n", verb, username);
		status = 1;
	} else if (rc == TP_OK && strcmp(verb, "reset-password") == 0) {
		char pw[24];
		rc = account_reset_password(st, &sys, u.id, pw, tp_now());
		if (rc == TP_OK)
			printf("one-time password / 一次性密码: %s\n"
			       "(must be changed at first login; the second factor was reset)\n",
			       pw);
		memset(pw, 0, sizeof pw);
	} else if (rc == TP_OK) {
		rc = account_set_disabled(st, &sys, u.id, strcmp(verb, "disable") == 0, 0);
		if (rc == TP_OK)
			printf("user %s %sd\n", username, verb);
	}
	if (rc != TP_OK && !status) {
		fprintf(stderr, "talentport user %s: %s\n", verb, tp_rc_str(rc));
		status = 1;
	}
	arena_free(a);
	store_close(st);
	return status;
}

static int cmd_list(int argc, char **argv)
{
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt_value(argc, argv, &i, "--db", &db))) {
			if (r < 0)
				return 2;
			continue;
		}
		fprintf(stderr, "talentport user list: unknown argument '%s'\n", argv[i]);
		return 2;
	}
	struct store *st;
	if (open_db(db, &st) != 0)
		return 1;
	struct arena *a = arena_new();
	struct user_query q = {.include_disabled = 1, .page = 1, .per_page = 200};
	struct user_page page;
	enum tp_rc rc = a ? STORE_CALL(user_list, st, &q, a, &page) : TP_ERR_NOMEM;
	for (size_t i = 0; rc == TP_OK && i < page.n; i++)
		printf("%lld\t%s\t%s\t%s%s\n", (long long)page.items[i].id, page.items[i].username,
		       role_name(page.items[i].role), page.items[i].display_name,
		       page.items[i].disabled ? "\t(disabled)" : "");
	arena_free(a);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport user list: %s\n", tp_rc_str(rc));
		return 1;
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1])) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++)
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		}
	const char *verb = argv[1];
	if (strcmp(verb, "add") == 0)
		return cmd_add(argc - 1, argv + 1);
	if (strcmp(verb, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0 ||
	    strcmp(verb, "reset-password") == 0)
		return cmd_one(verb, argc - 1, argv + 1);
	fprintf(stderr, "talentport user: unknown action '%s'\n", verb);
	usage(stderr);
	return 2;
}
