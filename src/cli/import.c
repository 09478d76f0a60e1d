#include <stdio.h>

#include "cli/cli.h"

/* placeholder until the import lands */
int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "talentport import: not built yet\n");
	return 1;
}
