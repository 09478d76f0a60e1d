#include <sqlite3.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/version.h"

int cmd_version(int argc, char **argv)
{
	if (argc > 1 && cli_is_help(argv[1])) {
		printf("usage: talentport version\n  打印版本号 / print the version\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "talentport version: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	printf("talentport %s (sqlite %s)\n", TP_VERSION, sqlite3_libversion());
	return 0;
}
