/*
 * A throw-away database for unit tests: a fresh path under /tmp, created and migrated.
 */
#ifndef TP_TEST_TESTDB_H
#define TP_TEST_TESTDB_H

#include <stddef.h>

struct store;

/* The size a path buffer for testdb_create must have. */
#define TESTDB_PATH 64

/*
 * Creates an empty database at /tmp/tp-<tag>-XXXXXX (written to path, TESTDB_PATH bytes),
 * opens it into *st and applies every migration.  0, or -1 when any step failed.
 */
int testdb_create(char path[TESTDB_PATH], const char *tag, struct store **st);

/* Closes st (may be NULL) and removes the database at path with its -wal, -shm and .key files. */
void testdb_remove(const char *path, struct store *st);

#endif
