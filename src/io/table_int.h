/*
 * table_int.h — internals shared by table.c, csv_read.c and xlsx_read.c.
 * Not for use outside src/io.
 */
#ifndef TP_IO_TABLE_INT_H
#define TP_IO_TABLE_INT_H

#include <stddef.h>

#include "io/table.h"

/*
 * One row being built: cell texts are packed NUL-terminated into buf and noted
 * as (column, offset); trow_build turns them into the cells view, gaps as "".
 */
struct table_row {
	char *buf;
	size_t len, cap;
	size_t cell_start;     /* offset in buf where the open cell began */
	size_t *off, *col;     /* per stored cell */
	unsigned char *flag;   /* per stored cell: is a date */
	size_t n, ncap;
	const char **cells;    /* the view handed out */
	unsigned char *date;   /* per column of the view */
	size_t ncells, cells_cap;
};

struct xlsx_state;

struct table_reader {
	enum table_format fmt;
	int gb18030;
	int done;              /* 1 at end, -1 after an error */
	char *owned;           /* file contents read by table_open_file */
	char *conv;            /* CSV converted from GB18030 */
	const char *p, *end;   /* CSV: what is left to parse */
	size_t rownum;         /* row number of the current row */
	struct table_row row;
	struct xlsx_state *x;
	enum tp_rc err_rc;
	char err[256];
};

void trow_clear(struct table_row *row);
/* Appends n bytes to the open cell; -1 if out of memory. */
int trow_append(struct table_row *row, const char *s, size_t n);
/* Closes the open cell as column col (0-based); -1 if out of memory. */
int trow_end_cell(struct table_row *row, size_t col, int is_date);
/* Builds the cells view; returns 1 if some cell is non-empty, 0 if not, -1 on no memory. */
int trow_build(struct table_row *row);
void trow_free(struct table_row *row);

/* Records the first error of r (later ones are dropped); returns rc. */
enum tp_rc table_fail(struct table_reader *r, enum tp_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format back ends: open fills r (on failure calls table_fail); next returns 1/0/-1. */
enum tp_rc csv_open(struct table_reader *r, const unsigned char *buf, size_t len);
int csv_next(struct table_reader *r);
enum tp_rc xlsx_open(struct table_reader *r, const void *buf, size_t len);
int xlsx_next(struct table_reader *r);
void xlsx_free(struct xlsx_state *x);

#endif
