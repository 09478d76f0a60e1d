/*
 * xlsx_stream.h — a small streaming XLSX writer for big generated lists (the payment
 * list of a run of a million lines, the public-announcement list).
 *
 * What it writes: a workbook of worksheets in the order they are begun, a fixed style
 * table (xw_style below), text as inline strings (t="inlineStr": a spreadsheet never
 * evaluates them, so "=HYPERLINK(…)" stays text), numbers formatted by hand from
 * integers, formulas with a cached value (a viewer that does not recalculate shows it;
 * Excel recalculates on load), column widths and a frozen header.  No shared strings,
 * no rich text, no merged cells.
 *
 * How it streams: cells are formatted into a 1 MiB buffer; each full buffer is deflated
 * (zlib, level 1: about 3x faster than zlib's default 6, files ~30 % larger) into one
 * unlinked temporary file (in $TMPDIR, else /tmp).  Sheets are written one after the
 * other, so the file holds each sheet as one deflated range; xw_close hands those to
 * libzip as already-compressed entries (and the small parts, deflated by libzip at
 * level 1): memory stays flat whatever the row count.
 *
 * Errors are sticky: the cell functions return nothing; the first failure (I/O, memory,
 * misuse such as a row or column going backwards) is kept and every later call is a
 * no-op; xw_close reports it and then removes the file at the path.
 *
 * Text is written as XML 1.0 allows: & < > escaped; control characters other than tab,
 * LF and CR are dropped (XML 1.0 cannot carry them), as are U+FFFE and U+FFFF; bytes
 * that are not well-formed UTF-8 become '?'; "_xHHHH_" (which Excel would read as an
 * escaped character) is written so that it reads back as itself; a text is cut at
 * 32,767 bytes (at a character boundary), Excel's limit for a cell.
 *
 * Not thread-safe: one writer per thread (it may use a thread of its own to deflate, see
 * xw_set_threads).
 */
#ifndef TP_IO_XLSX_STREAM_H
#define TP_IO_XLSX_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"

/* The cell styles (indexes into the workbook's cellXfs). */
enum xw_style {
	XW_PLAIN = 0,     /* General */
	XW_BOLD,          /* bold, General */
	XW_TEXT,          /* "@": a text cell that stays text when edited in Excel */
	XW_MONEY,         /* ¥#,##0.00 */
	XW_BOLD_MONEY,    /* bold, ¥#,##0.00 */
	XW_INTEGER,       /* 0 */
	XW_DATE,          /* yyyy-mm-dd */
	XW_NSTYLES
};

#define XW_MAX_ROWS 1048576u   /* rows of a sheet (Excel) */
#define XW_MAX_COLS 16384u     /* columns of a sheet (A..XFD) */
#define XW_MAX_TEXT 32767u     /* bytes of one text cell (Excel keeps 32,767 characters) */
#define XW_MAX_SHEETS 4096u

struct xw;

/*
 * Starts a workbook that xw_close will write to path (created or replaced then; nothing
 * is written at path before).  On TP_OK *out is the writer (free with xw_close or
 * xw_discard); TP_ERR_NOMEM; TP_ERR_IO (no temporary file).
 */
enum tp_rc xw_open(const char *path, struct xw **out);

/*
 * threads >= 2: deflate on a second thread while this one formats the next cells (two
 * 1 MiB buffers in turn); call before the first xw_sheet (else TP_ERR_INVALID).  The
 * file is the same byte for byte.  If the thread cannot be started the writer stays on
 * one thread.  Returns the sticky error state.
 */
enum tp_rc xw_set_threads(struct xw *x, int threads);

/*
 * Begins the next worksheet (ending the one before): name as a spreadsheet wants it
 * (1..31 characters, none of [ ] : * ? / \, no apostrophe at either end, unique
 * ignoring ASCII case — the caller makes names; a bad one is TP_ERR_INVALID); widths
 * of columns A.. (ncols of them, in Excel's character units; widths may be NULL);
 * freeze_rows rows at the top frozen (0: none).  Returns the sticky error state: TP_OK,
 * or the first error (TP_ERR_INVALID, TP_ERR_TOO_LARGE past XW_MAX_SHEETS, …).
 */
enum tp_rc xw_sheet(struct xw *x, const char *name, const double *widths, size_t ncols,
		    unsigned freeze_rows);

/*
 * Begins row (0-based) of the current sheet, ending the row before.  Rows go upward
 * (each greater than the last) and below XW_MAX_ROWS; a row with no cells is allowed.
 */
void xw_row(struct xw *x, uint32_t row);

/*
 * Cells of the current row; columns go upward (each greater than the last) and below
 * XW_MAX_COLS.  xw_text writes s as an inline string (NULL or "" writes no cell);
 * xw_int the integer v; xw_money fen as the number fen/100 written exactly in decimal
 * ("1500", "1500.5", "0.01": the text parses to the double nearest fen/100, which is
 * what Excel stores when a person types the amount); xw_date the date as Excel's serial
 * day number (1900-03-01 .. 9999-12-31, else TP_ERR_INVALID), meant with XW_DATE.
 */
void xw_text(struct xw *x, uint32_t col, const char *s, enum xw_style st);
void xw_int(struct xw *x, uint32_t col, int64_t v, enum xw_style st);
void xw_money(struct xw *x, uint32_t col, int64_t fen, enum xw_style st);
void xw_date(struct xw *x, uint32_t col, int y, int m, int d, enum xw_style st);

/*
 * A formula cell (formula with or without its leading '=', e.g. "SUM(K2:K9)") and the
 * value a reader that does not recalculate shows: an integer, or fen as in xw_money.
 */
void xw_formula_int(struct xw *x, uint32_t col, const char *formula, int64_t cached,
		    enum xw_style st);
void xw_formula_money(struct xw *x, uint32_t col, const char *formula, int64_t cached_fen,
		      enum xw_style st);

/* The first error so far (TP_OK if none). */
enum tp_rc xw_error(const struct xw *x);

/*
 * Ends the last sheet, writes the workbook to path (libzip, deflate level 1; at least
 * one sheet needed, else TP_ERR_INVALID) and frees x.  Returns TP_OK, or the first
 * error (sticky or while packing: TP_ERR_IO, TP_ERR_NOMEM); on an error the file at
 * path is removed (whatever was there).  x NULL: TP_ERR_INVALID.
 */
enum tp_rc xw_close(struct xw *x);

/* Frees x without writing anything (path untouched).  NULL is a no-op. */
void xw_discard(struct xw *x);

/* ---- the number formats, exposed for tests ---- */

#define XW_NUMBUF 24
/* v in decimal ("-9223372036854775808"); into out, NUL-terminated; returns the length. */
size_t xw_fmt_int(char out[XW_NUMBUF], int64_t v);
/* fen/100 in decimal, no trailing zeros ("0", "0.01", "0.1", "1500", "-0.5"); returns
 * the length. */
size_t xw_fmt_money(char out[XW_NUMBUF], int64_t fen);
/* Excel's serial day number of y-m-d (1900 date system: 1900-03-01 is 61), or -1 when
 * the date is not a real date in 1900-03-01 .. 9999-12-31. */
int32_t xw_date_serial(int y, int m, int d);

#endif
