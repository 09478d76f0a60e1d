/*
 * replay.c — runs LLVMFuzzerTestOneInput over the files named on the command
 * line (or every file in a directory named), for toolchains without libFuzzer
 * and for replaying the corpus in the normal test run:
 *   cc -fsanitize=address,undefined tests/fuzz/replay.c tests/fuzz/fuzz_table.c ...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!fp) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, ncap);

			if (!nb) {
				fclose(fp);
				free(buf);
				return 1;
			}
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len, fp);
		if (got == 0)
			break;
		len += got;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int bad = 0;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d)
		return 1;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= (int)sizeof(sub))
			continue;
		bad |= run_file(sub);
	}
	closedir(d);
	return bad;
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++)
		bad |= run_path(argv[i]);
	printf("replay: %d path(s) done\n", argc - 1);
	return bad;
}
