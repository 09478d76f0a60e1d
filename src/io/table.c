/*
 * table.c — the format-neutral half of the table reader: opening, format
 * detection, the row buffer and error reporting. csv_read.c and xlsx_read.c
 * do the parsing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/table_int.h"

static const char empty_cell[] = "";

void trow_clear(struct table_row *row)
{
	row->len = 0;
	row->cell_start = 0;
	row->n = 0;
	row->ncells = 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	np = realloc(*p, ncap * elem);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

int trow_append(struct table_row *row, const char *s, size_t n)
{
	if (n > SIZE_MAX - row->len - 1)
		return -1;
	if (grow((void **)&row->buf, &row->cap, row->len + n + 1, 1))
		return -1;
	memcpy(row->buf + row->len, s, n);
	row->len += n;
	return 0;
}

int trow_end_cell(struct table_row *row, size_t col, int is_date)
{
	size_t cap;

	if (trow_append(row, "", 1))
		return -1;
	if (row->n == row->ncap) {
		cap = row->ncap;
		if (grow((void **)&row->off, &cap, row->n + 1, sizeof(*row->off)))
			return -1;
		cap = row->ncap;
		if (grow((void **)&row->col, &cap, row->n + 1, sizeof(*row->col)))
			return -1;
		cap = row->ncap;
		if (grow((void **)&row->flag, &cap, row->n + 1, 1))
			return -1;
		row->ncap = cap;
	}
	row->off[row->n] = row->cell_start;
	row->col[row->n] = col;
	row->flag[row->n] = (unsigned char)(is_date != 0);
	row->n++;
	row->cell_start = row->len;
	return 0;
}

int trow_build(struct table_row *row)
{
	size_t i, ncells = 0, cap;
	int nonempty = 0;

	for (i = 0; i < row->n; i++)
		if (row->col[i] + 1 > ncells)
			ncells = row->col[i] + 1;
	if (ncells > row->cells_cap) {
		cap = row->cells_cap;
		if (grow((void **)&row->cells, &cap, ncells, sizeof(*row->cells)))
			return -1;
		cap = row->cells_cap;
		if (grow((void **)&row->date, &cap, ncells, 1))
			return -1;
		row->cells_cap = cap;
	}
	for (i = 0; i < ncells; i++) {
		row->cells[i] = empty_cell;
		row->date[i] = 0;
	}
	for (i = 0; i < row->n; i++) {
		const char *s = row->buf + row->off[i];

		row->cells[row->col[i]] = s;
		row->date[row->col[i]] = row->flag[i];
		if (*s)
			nonempty = 1;
	}
	row->ncells = ncells;
	return nonempty;
}

void trow_free(struct table_row *row)
{
	free(row->buf);
	free(row->off);
	free(row->col);
	free(row->flag);
	free(row->cells);
	free(row->date);
	memset(row, 0, sizeof(*row));
}

enum tp_rc table_fail(struct table_reader *r, enum tp_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (r->err_rc != TP_OK)
		return r->err_rc;
	r->err_rc = rc;
	r->done = -1;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return rc;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

static enum tp_rc open_common(struct table_reader *r, const unsigned char *buf, size_t len,
			      enum table_format fmt)
{
	if (len > TABLE_MAX_INPUT)
		return table_fail(r, TP_ERR_TOO_LARGE, "file is larger than %zu MiB",
				  TABLE_MAX_INPUT >> 20);
	if (fmt == TABLE_AUTO) {
		static const unsigned char ole[8] = {
			0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1,
		};

		if (len >= 8 && memcmp(buf, ole, 8) == 0)
			return table_fail(r, TP_ERR_UNSUPPORTED,
					  "legacy .xls files are not supported; "
					  "save as .xlsx or CSV (UTF-8)");
		fmt = (len >= 4 && memcmp(buf, "PK\3\4", 4) == 0) ? TABLE_XLSX : TABLE_CSV;
	}
	r->fmt = fmt;
	if (fmt == TABLE_CSV)
		return csv_open(r, buf, len);
	if (fmt == TABLE_XLSX)
		return xlsx_open(r, buf, len);
	return table_fail(r, TP_ERR_INVALID, "unknown table format");
}

static enum tp_rc finish_open(struct table_reader *r, enum tp_rc rc,
			      struct table_reader **out, char *err, size_t errlen)
{
	if (rc != TP_OK) {
		set_err(err, errlen, r->err[0] ? r->err : tp_rc_str(rc));
		table_close(r);
		return rc;
	}
	r->done = 0;
	*out = r;
	set_err(err, errlen, "");
	return TP_OK;
}

enum tp_rc table_open_mem(const void *buf, size_t len, enum table_format fmt,
			  struct table_reader **out, char *err, size_t errlen)
{
	struct table_reader *r;

	*out = NULL;
	if (!buf && len > 0) {
		set_err(err, errlen, "no buffer");
		return TP_ERR_INVALID;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		set_err(err, errlen, "out of memory");
		return TP_ERR_NOMEM;
	}
	return finish_open(r, open_common(r, buf ? buf : "", len, fmt), out, err, errlen);
}

/* Reads the whole of fd into r->owned, at most TABLE_MAX_INPUT bytes. */
static enum tp_rc slurp(struct table_reader *r, int fd, const char *path, size_t *lenp)
{
	struct stat st;
	size_t cap, len = 0;
	ssize_t got;

	if (fstat(fd, &st) != 0)
		return table_fail(r, TP_ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return table_fail(r, TP_ERR_IO, "'%s' is not a regular file", path);
	if ((uintmax_t)st.st_size > TABLE_MAX_INPUT)
		return table_fail(r, TP_ERR_TOO_LARGE, "file is larger than %zu MiB",
				  TABLE_MAX_INPUT >> 20);
	/* One byte more than the size, so that a file growing meanwhile is noticed. */
	cap = (size_t)st.st_size + 1;
	r->owned = malloc(cap);
	if (!r->owned)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	for (;;) {
		if (len == cap) {
			char *np;

			if (cap > TABLE_MAX_INPUT)
				return table_fail(r, TP_ERR_TOO_LARGE,
						  "file is larger than %zu MiB",
						  TABLE_MAX_INPUT >> 20);
			np = realloc(r->owned, cap * 2 > TABLE_MAX_INPUT + 1 ?
				     TABLE_MAX_INPUT + 1 : cap * 2);
			if (!np)
				return table_fail(r, TP_ERR_NOMEM, "out of memory");
			r->owned = np;
			cap = cap * 2 > TABLE_MAX_INPUT + 1 ? TABLE_MAX_INPUT + 1 : cap * 2;
		}
		got = read(fd, r->owned + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return table_fail(r, TP_ERR_IO, "cannot read '%s': %s", path,
					  strerror(errno));
		if (got == 0)
			break;
		len += (size_t)got;
	}
	*lenp = len;
	return TP_OK;
}

enum tp_rc table_open_file(const char *path, enum table_format fmt,
			   struct table_reader **out, char *err, size_t errlen)
{
	struct table_reader *r;
	enum tp_rc rc;
	size_t len = 0;
	int fd;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		set_err(err, errlen, "out of memory");
		return TP_ERR_NOMEM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = table_fail(r, errno == ENOENT ? TP_ERR_NOT_FOUND : TP_ERR_IO,
				"cannot open '%s': %s", path, strerror(errno));
		return finish_open(r, rc, out, err, errlen);
	}
	rc = slurp(r, fd, path, &len);
	close(fd);
	if (rc == TP_OK)
		rc = open_common(r, (const unsigned char *)r->owned, len, fmt);
	return finish_open(r, rc, out, err, errlen);
}

int table_next(struct table_reader *r, const char *const **cells, size_t *ncells)
{
	int got;

	*cells = NULL;
	*ncells = 0;
	if (r->done)
		return r->done > 0 ? 0 : -1;
	got = r->fmt == TABLE_CSV ? csv_next(r) : xlsx_next(r);
	if (got > 0) {
		*cells = r->row.cells;
		*ncells = r->row.ncells;
		return 1;
	}
	if (got == 0) {
		r->done = 1;
		r->row.ncells = 0;
		return 0;
	}
	r->done = -1;
	r->row.ncells = 0;
	return -1;
}

size_t table_row_number(const struct table_reader *r)
{
	return r->rownum;
}

const char *table_error(const struct table_reader *r)
{
	return r->err;
}

enum tp_rc table_error_code(const struct table_reader *r)
{
	return r->err_rc;
}

enum table_format table_detected_format(const struct table_reader *r)
{
	return r->fmt;
}

int table_was_gb18030(const struct table_reader *r)
{
	return r->gb18030;
}

int table_cell_is_date(const struct table_reader *r, size_t i)
{
	if (r->fmt != TABLE_XLSX || i >= r->row.ncells)
		return 0;
	return r->row.date[i];
}

void table_close(struct table_reader *r)
{
	if (!r)
		return;
	xlsx_free(r->x);
	trow_free(&r->row);
	free(r->owned);
	free(r->conv);
	free(r);
}
