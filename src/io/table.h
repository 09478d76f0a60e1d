/*
 * table.h — spreadsheet-like rows in and out: CSV and XLSX.
 *
 * The reader hands out one row at a time as an array of UTF-8 strings, the same
 * shape whichever format the file was. Every cell is text: an ID number stays
 * exactly what the file holds. Inputs are untrusted (uploads), so every size
 * has a cap and a cap exceeded is TP_ERR_TOO_LARGE with a reason, never a crash.
 *
 * Caps: input (file or upload) <= TABLE_MAX_INPUT bytes; a cell <= TABLE_MAX_CELL
 * bytes; <= TABLE_MAX_COLS columns (empty cells beyond it are ignored, a value
 * beyond it is an error); for XLSX each zip entry <= TABLE_MAX_INPUT bytes
 * uncompressed and <= TABLE_MAX_SHARED_STRINGS shared strings.
 */
#ifndef TP_IO_TABLE_H
#define TP_IO_TABLE_H

#include <stddef.h>

#include "core/rc.h"

#define TABLE_MAX_INPUT ((size_t)256 * 1024 * 1024)
#define TABLE_MAX_CELL ((size_t)32 * 1024)
#define TABLE_MAX_COLS 256
#define TABLE_MAX_SHARED_STRINGS 2000000

enum table_format { TABLE_AUTO = 0, TABLE_CSV, TABLE_XLSX };

struct table_reader;

/*
 * Opens the spreadsheet at path for reading rows; the file is read whole into
 * memory owned by the reader. fmt TABLE_AUTO picks XLSX when the content starts
 * with the zip magic "PK\3\4", else CSV. CSV must be UTF-8 (a BOM is stripped) or
 * GB18030 (converted to UTF-8); XLSX rows come from the first sheet in tab order.
 * On success stores a reader in *out (free with table_close) and returns TP_OK.
 * On failure *out is NULL, a short English reason is written to err (if errlen > 0)
 * and the result is TP_ERR_IO (cannot read), TP_ERR_TOO_LARGE (a cap),
 * TP_ERR_INVALID (malformed or wrong encoding), TP_ERR_UNSUPPORTED (legacy .xls,
 * UTF-16) or TP_ERR_NOMEM.
 */
enum tp_rc table_open_file(const char *path, enum table_format fmt,
			   struct table_reader **out, char *err, size_t errlen);

/*
 * As table_open_file, over len bytes at buf (an HTTP upload). The reader does not
 * copy the bytes of an XLSX or UTF-8 CSV: buf must stay valid and unchanged until
 * table_close.
 */
enum tp_rc table_open_mem(const void *buf, size_t len, enum table_format fmt,
			  struct table_reader **out, char *err, size_t errlen);

/*
 * Reads the next row that has at least one non-empty cell (empty rows are
 * skipped). Returns 1 and sets *cells to an array of *ncells NUL-terminated UTF-8
 * strings (gaps in an XLSX row are ""), owned by the reader and valid until the
 * next table_next or table_close. Returns 0 at the end and on every later call.
 * Returns -1 on error (table_error says why, table_error_code gives the code);
 * after an error every later call returns -1.
 *
 * XLSX values: shared and inline strings as stored; numbers as the stored text
 * except that an integral "12345.0" becomes "12345" (a float like
 * "3.50582199001011E+17" is kept raw so that a mangled ID number is rejected
 * later, not silently rounded); booleans "TRUE"/"FALSE"; errors like "#N/A";
 * formulas give their cached result.
 */
int table_next(struct table_reader *r, const char *const **cells, size_t *ncells);

/*
 * Row number, 1-based, of the row last returned, as a person looking at the file
 * would count it: CSV the record number (the header is 1, an empty line counts, a
 * quoted cell spanning lines does not add rows); XLSX the sheet's r="N". After an
 * error, the row where the error was found. 0 before the first row.
 */
size_t table_row_number(const struct table_reader *r);

/* The reason for the last error of r, or "" if none; owned by r. */
const char *table_error(const struct table_reader *r);

/* The code of the last error of r (TP_OK if none). */
enum tp_rc table_error_code(const struct table_reader *r);

/* TABLE_CSV or TABLE_XLSX: what r is actually reading. */
enum table_format table_detected_format(const struct table_reader *r);

/* 1 if r is a CSV that was converted from GB18030, else 0. */
int table_was_gb18030(const struct table_reader *r);

/*
 * 1 if cell i of the row last returned is a number formatted as a date or time
 * (XLSX only: built-in formats 14-22, 45-47, the CJK locale date formats 27-36 and
 * 50-58, or a custom format with y, m, d, h or s outside quotes and brackets); the
 * cell text is then the Excel serial day number. 0 otherwise, and always for CSV.
 */
int table_cell_is_date(const struct table_reader *r, size_t i);

/* Frees r and everything it handed out. r may be NULL. */
void table_close(struct table_reader *r);

struct table_writer;

enum cell_kind { CELL_TEXT = 0, CELL_NUMBER };

/*
 * Creates (truncates) path to write rows as fmt, TABLE_CSV or TABLE_XLSX
 * (TABLE_AUTO is TP_ERR_INVALID). sheet_name names the XLSX sheet (NULL for
 * "Sheet1"; at most 31 chars, none of []:*?/\ else TP_ERR_INVALID); ignored
 * for CSV. On success stores a writer in *out; finish it with table_writer_close.
 * Returns TP_ERR_IO if the file cannot be created, TP_ERR_NOMEM.
 * XLSX is written at table_writer_close; rows go to temporary files meanwhile,
 * so memory stays small for big exports.
 */
enum tp_rc table_writer_open(const char *path, enum table_format fmt, const char *sheet_name,
			     struct table_writer **out);

/*
 * Writes one row of n cells (NULL cells are written empty). kinds may be NULL
 * (all text). CSV: UTF-8 with a BOM, RFC 4180 quoting (a field holding a comma,
 * quote, CR or LF is quoted, quotes doubled), CRLF line ends; kinds are ignored.
 * XLSX: CELL_TEXT cells are strings, never numbers, so an 18-digit ID number
 * stays text; CELL_NUMBER cells must parse wholly as a finite number (empty is
 * left blank) else TP_ERR_INVALID; the first row is bold. Empty cells are left
 * out. Returns TP_ERR_TOO_LARGE past TABLE_MAX_COLS columns, a cell over 32767
 * bytes (XLSX) or Excel's row limit, TP_ERR_IO if writing failed. After an error
 * the writer only accepts table_writer_close.
 */
enum tp_rc table_writer_row(struct table_writer *w, const char *const *cells, size_t n,
			    const enum cell_kind *kinds);

/*
 * Finishes and frees w: XLSX sets column widths from the widest cell and writes
 * the workbook; CSV flushes and fsyncs. Returns the first error seen by any
 * earlier call or by finishing (TP_ERR_IO), else TP_OK. On error the file may be
 * incomplete: the caller should remove it. w may be NULL (returns TP_OK).
 */
enum tp_rc table_writer_close(struct table_writer *w);

#endif
