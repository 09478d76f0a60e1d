#include <stdio.h>

#include "cli/cli.h"

/* placeholder until the export lands */
int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "talentport export: not built yet\n");
	return 1;
}
