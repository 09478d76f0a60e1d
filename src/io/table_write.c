/*
 * table_write.c — rows out as CSV (UTF-8 with BOM, RFC 4180) or XLSX
 * (libxlsxwriter, constant-memory mode so big exports stay small in RAM).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <xlsxwriter.h>
#pragma GCC diagnostic pop

#include "io/table.h"

#define XLSX_MAX_ROWS 1048576
#define XLSX_MAX_STRING 32767
#define WIDTH_MIN 8
#define WIDTH_MAX 60

struct table_writer {
	enum table_format fmt;
	enum tp_rc err;               /* first error; sticky */
	FILE *fp;                     /* CSV */
	lxw_workbook *wb;             /* XLSX */
	lxw_worksheet *ws;
	lxw_format *bold;             /* header: bold; text cells also "@" */
	lxw_format *text;             /* "@": a text cell edited in Excel stays text */
	lxw_format *bold_text;
	size_t rows;
	unsigned short width[TABLE_MAX_COLS];
};

enum tp_rc table_writer_open(const char *path, enum table_format fmt, const char *sheet_name,
			     struct table_writer **out)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	struct table_writer *w;

	*out = NULL;
	if (fmt != TABLE_CSV && fmt != TABLE_XLSX)
		return TP_ERR_INVALID;
	w = calloc(1, sizeof(*w));
	if (!w)
		return TP_ERR_NOMEM;
	w->fmt = fmt;
	if (fmt == TABLE_CSV) {
		w->fp = fopen(path, "wbe");
		if (!w->fp) {
			free(w);
			return TP_ERR_IO;
		}
		if (fwrite("\xEF\xBB\xBF", 1, 3, w->fp) != 3)
			w->err = TP_ERR_IO;
		*out = w;
		return TP_OK;
	}
	w->wb = workbook_new_opt(path, &opt);
	if (!w->wb) {
		free(w);
		return TP_ERR_IO;
	}
	if (sheet_name && workbook_validate_sheet_name(w->wb, sheet_name) != LXW_NO_ERROR) {
		workbook_close(w->wb);
		unlink(path);
		free(w);
		return TP_ERR_INVALID;
	}
	w->ws = workbook_add_worksheet(w->wb, sheet_name);
	w->bold = workbook_add_format(w->wb);
	w->text = workbook_add_format(w->wb);
	w->bold_text = workbook_add_format(w->wb);
	if (!w->ws || !w->bold || !w->text || !w->bold_text) {
		workbook_close(w->wb);
		unlink(path);
		free(w);
		return TP_ERR_NOMEM;
	}
	format_set_bold(w->bold);
	format_set_num_format(w->text, "@");
	format_set_bold(w->bold_text);
	format_set_num_format(w->bold_text, "@");
	*out = w;
	return TP_OK;
}

static int needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

/*
 * A text cell that starts with = + - @ (or a tab or CR) is a formula to Excel: a name
 * like "=HYPERLINK(…)" typed into a registration form would run on a clerk's desktop
 * (CSV injection).  Such cells are written with a leading apostrophe, which Excel
 * shows as text; the talent import takes it off again.
 */
static int formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

static enum tp_rc csv_row(struct table_writer *w, const char *const *cells, size_t n,
			  const enum cell_kind *kinds)
{
	FILE *fp = w->fp;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";

		if (i > 0)
			putc(',', fp);
		int guard = (!kinds || kinds[i] == CELL_TEXT) && formula_like(s);
		if (!needs_quotes(s)) {
			if (guard)
				putc('\'', fp);
			fputs(s, fp);
			continue;
		}
		putc('"', fp); /* the apostrophe goes inside: a quote must open the field */
		if (guard)
			putc('\'', fp);
		for (; *s; s++) {
			if (*s == '"')
				putc('"', fp);
			putc(*s, fp);
		}
		putc('"', fp);
	}
	fputs("\r\n", fp);
	return ferror(fp) ? TP_ERR_IO : TP_OK;
}

/* Display width of UTF-8 s: East Asian characters count 2. */
static size_t display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t wdt = 0;

	for (; *p; p++) {
		if (*p < 0x80)
			wdt++;
		else if (*p >= 0xE0)
			wdt += 2; /* lead of a 3- or 4-byte sequence: CJK and the like */
		else if (*p >= 0xC0)
			wdt++;
	}
	return wdt;
}

static enum tp_rc map_lxw(lxw_error e)
{
	switch (e) {
	case LXW_NO_ERROR:
		return TP_OK;
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return TP_ERR_NOMEM;
	case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
	case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
		return TP_ERR_TOO_LARGE;
	default:
		return TP_ERR_IO;
	}
}

static enum tp_rc xlsx_cell(struct table_writer *w, lxw_row_t row, lxw_col_t col,
			    const char *s, enum cell_kind kind)
{
	lxw_format *fmt = w->rows == 0 ? w->bold : NULL;
	lxw_format *tfmt = w->rows == 0 ? w->bold_text : w->text;
	size_t wdt = display_width(s);

	if (wdt > w->width[col])
		w->width[col] = (unsigned short)(wdt > WIDTH_MAX ? WIDTH_MAX : wdt);
	if (kind == CELL_NUMBER) {
		char *end;
		double d;

		errno = 0;
		d = strtod(s, &end);
		if (end == s || *end != '\0' || errno == ERANGE || !isfinite(d))
			return TP_ERR_INVALID;
		return map_lxw(worksheet_write_number(w->ws, row, col, d, fmt));
	}
	if (strlen(s) > XLSX_MAX_STRING)
		return TP_ERR_TOO_LARGE;
	return map_lxw(worksheet_write_string(w->ws, row, col, s, tfmt));
}

static enum tp_rc xlsx_row(struct table_writer *w, const char *const *cells, size_t n,
			   const enum cell_kind *kinds)
{
	size_t i;
	enum tp_rc rc;

	if (w->rows >= XLSX_MAX_ROWS)
		return TP_ERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		const char *s = cells[i];

		if (!s || !*s)
			continue;
		rc = xlsx_cell(w, (lxw_row_t)w->rows, (lxw_col_t)i, s,
			       kinds ? kinds[i] : CELL_TEXT);
		if (rc != TP_OK)
			return rc;
	}
	return TP_OK;
}

enum tp_rc table_writer_row(struct table_writer *w, const char *const *cells, size_t n,
			    const enum cell_kind *kinds)
{
	enum tp_rc rc;

	if (w->err != TP_OK)
		return w->err;
	if (n > TABLE_MAX_COLS) {
		rc = TP_ERR_TOO_LARGE;
	} else if (n > 0 && !cells) {
		rc = TP_ERR_INVALID;
	} else {
		rc = w->fmt == TABLE_CSV ? csv_row(w, cells, n, kinds) : xlsx_row(w, cells, n, kinds);
	}
	if (rc != TP_OK)
		w->err = rc;
	else
		w->rows++;
	return rc;
}

enum tp_rc table_writer_close(struct table_writer *w)
{
	enum tp_rc rc;
	lxw_error e;
	size_t i;

	if (!w)
		return TP_OK;
	rc = w->err;
	if (w->fmt == TABLE_CSV) {
		if (fflush(w->fp) != 0 || fsync(fileno(w->fp)) != 0)
			rc = rc != TP_OK ? rc : TP_ERR_IO;
		if (fclose(w->fp) != 0)
			rc = rc != TP_OK ? rc : TP_ERR_IO;
	} else {
		for (i = 0; i < TABLE_MAX_COLS; i++) {
			double wd;

			if (w->width[i] == 0)
				continue;
			wd = w->width[i] + 2 < WIDTH_MIN ? WIDTH_MIN : w->width[i] + 2;
			worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, wd, NULL);
		}
		e = workbook_close(w->wb);
		if (e != LXW_NO_ERROR && rc == TP_OK)
			rc = map_lxw(e) == TP_ERR_NOMEM ? TP_ERR_NOMEM : TP_ERR_IO;
	}
	free(w);
	return rc;
}
