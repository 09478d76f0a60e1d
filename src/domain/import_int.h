/*
 * import_int.h — what import.c and import_row.c share (not for use elsewhere).
 */
#ifndef TP_DOMAIN_IMPORT_INT_H
#define TP_DOMAIN_IMPORT_INT_H

#include <stddef.h>

#include "domain/import.h"
#include "domain/registry.h"

/* The normalized ID numbers seen so far in the file, with the row of each. */
struct id_slot {
	char id[19]; /* "" when free */
	size_t row;
};

struct id_set {
	struct id_slot *slots;
	size_t cap, n;
};

struct import_ctx {
	struct store *st;
	struct table_reader *r;
	struct import_result *res;
	int map[IC_COUNT];         /* the file's column index of each field, -1 when absent */
	const char *hdr[IC_COUNT]; /* the header text the file used for it */
	size_t ncols;              /* header width */
	size_t header_row;
	struct ref_item *towns, *industries;
	size_t ntowns, nindustries;
	struct arena *refs; /* header texts and reference lists: the whole import */
	struct arena *row;  /* per-row scratch, renewed every few thousand rows */
	struct id_set ids;
	size_t errors_cap;
	int errors_full; /* memory ran out: count errors, keep no more */
	const struct actor *who; /* the importer (NULL: the command line); an employer imports
	                            its own staff only, without the office's tier columns */
};

/* Records one error (strings copied); past the cap it is only counted. */
void import_add_error(struct import_ctx *c, size_t row, const char *column, const char *value,
                      const char *code, const char *zh, const char *en);

/* Loads the town and industry lists the rows are matched against. */
enum tp_rc import_refs_load(struct import_ctx *c);

/* s without ASCII spaces, NBSP and U+3000 around it (an arena copy when trimmed; NULL
 * when out of memory). */
const char *import_trim(struct arena *a, const char *s);

/*
 * Turns one data row into a talent, checks it (talent_check, duplicates in the file
 * and in the registry) and, when insert is set and the row is good, inserts it.
 * Sets *bad when the row had errors (all recorded).  Returns TP_OK or a store error.
 */
enum tp_rc import_row(struct import_ctx *c, const char *const *cells, size_t ncells, size_t rowno,
                      int insert, int *bad);

#endif
