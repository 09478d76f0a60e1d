#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

int testdb_create(char path[TESTDB_PATH], const char *tag, struct store **st)
{
	char err[256];
	int applied, version;
	snprintf(path, TESTDB_PATH, "/tmp/tp-%s-XXXXXX", tag);
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path); /* store_open creates it as a database */
	*st = NULL;
	if (store_open(path, STORE_CREATE, st, err, sizeof err) != TP_OK) {
		fprintf(stderr, "testdb: %s\n", err);
		return -1;
	}
	return store_migrate(*st, &applied, &version) == TP_OK ? 0 : -1;
}

void testdb_remove(const char *path, struct store *st)
{
	static const char *const suffix[] = {"", "-wal", "-shm", ".key"};
	char p[TESTDB_PATH + 8];
	if (st)
		store_close(st);
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}
