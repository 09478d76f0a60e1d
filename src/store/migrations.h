/*
 * migrations.h — the numbered SQL migrations compiled into the binary
 * (migrations/NNNN_name.sql, embedded at build time by scripts/embed-sql.py).
 */
#ifndef TP_STORE_MIGRATIONS_H
#define TP_STORE_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const unsigned migrations_count;

#endif
