#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: talentport migrate [--db PATH]\n"
		   "  创建或升级数据库结构（可重复执行）\n"
		   "  Creates or upgrades the database schema; running it again changes nothing.\n"
		   "  --db PATH   database file (default $TALENTPORT_DB, then var/talentport.db)\n");
}

int cmd_migrate(int argc, char **argv)
{
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 0;
		} else if ((r = cli_opt_value(argc, argv, &i, "--db", &db)) != 0) {
			if (r < 0)
				return 2;
		} else {
			fprintf(stderr, "talentport migrate: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	const char *path = cli_db_path(db);
	struct store *st;
	char err[512];
	if (store_open(path, STORE_CREATE, &st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "talentport migrate: %s\n", err);
		return 1;
	}
	int applied = 0, version = 0;
	enum tp_rc rc = store_migrate(st, &applied, &version);
	store_close(st);
	if (rc != TP_OK) {
		fprintf(stderr, "talentport migrate: failed (%s)\n", tp_rc_str(rc));
		return 1;
	}
	printf("migrate: %d applied, schema version %d (%s)\n", applied, version, path);
	return 0;
}
