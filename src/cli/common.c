#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char *cli_db_path(const char *flag)
{
	if (flag && *flag)
		return flag;
	const char *env = getenv("TALENTPORT_DB");
	if (env && *env)
		return env;
	return "var/talentport.db";
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "talentport: option %s needs a value\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_parse_long(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "talentport: %s must be an integer in %ld..%ld (got '%s')\n", opt,
			min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_import_args(int argc, char **argv, const char *cmd, void (*usage)(FILE *),
		    struct cli_import_args *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 1; i < argc; i++) {
		int r;
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return 1;
		} else if ((r = cli_opt_value(argc, argv, &i, "--db", &out->db)) != 0) {
			if (r < 0)
				return 2;
		} else if ((r = cli_opt_value(argc, argv, &i, "--report", &out->report)) != 0) {
			if (r < 0)
				return 2;
		} else if (strcmp(argv[i], "--all-or-nothing") == 0) {
			out->all_or_nothing = 1;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "talentport %s: unknown option '%s'\n", cmd, argv[i]);
			usage(stderr);
			return 2;
		} else if (!out->word) {
			out->word = argv[i];
		} else if (!out->file) {
			out->file = argv[i];
		} else {
			fprintf(stderr, "talentport %s: unexpected argument '%s'\n", cmd, argv[i]);
			usage(stderr);
			return 2;
		}
	}
	return 0;
}
