/*
 * store.c — picks the backend for a database location.
 */
#include <stdio.h>
#include <string.h>

#include "store/store.h"

enum tp_rc store_sqlite_open(const char *path, int flags, struct store **out, char *err,
			     size_t errlen);

enum tp_rc store_open(const char *where, int flags, struct store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0) {
		snprintf(err, errlen, "the PostgreSQL backend is not built yet");
		return TP_ERR_UNSUPPORTED;
	}
	return store_sqlite_open(where, flags, out, err, errlen);
}
