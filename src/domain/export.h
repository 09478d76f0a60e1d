/*
 * export.h — talents out to a spreadsheet, and the import template.
 *
 * The columns and Chinese headers are the import template's (import_columns),
 * plus the registry id, so that an unmasked export re-imports cleanly.  ID numbers
 * and phones are MASKED unless the caller asks for them unmasked (PIPL); which
 * callers may ask is decided above this layer.
 */
#ifndef TP_DOMAIN_EXPORT_H
#define TP_DOMAIN_EXPORT_H

#include <stddef.h>

#include "core/rc.h"
#include "domain/registry.h"
#include "io/table.h"

struct store;

struct export_opts {
	enum table_format format;            /* TABLE_CSV (BOM, CRLF) or TABLE_XLSX */
	int unmasked;                        /* full ID numbers and phones */
	const struct registry_query *filter; /* NULL: every talent; page/per_page ignored */
};

/*
 * Writes the talents of st matching o->filter to path (created or truncated), one row
 * each in id order after the header; *rows (may be NULL) gets the number written.
 * Streams the table (memory stays small).  Returns TP_OK, a store error, TP_ERR_IO
 * or TP_ERR_INVALID (format not CSV/XLSX); on error the file may be partial and the
 * caller removes it.
 */
enum tp_rc export_talents(struct store *st, const struct export_opts *o, const char *path,
                          size_t *rows);

/*
 * Writes the import template to path: the header row and one example row (a valid,
 * fictional person) that imports cleanly.  Returns TP_OK, TP_ERR_IO or TP_ERR_INVALID.
 */
enum tp_rc export_template(enum table_format fmt, const char *path);

/* As export_talents / export_template, into malloc'd memory (*buf, *len; caller frees). */
enum tp_rc export_talents_mem(struct store *st, const struct export_opts *o, void **buf,
                              size_t *len, size_t *rows);
enum tp_rc export_template_mem(enum table_format fmt, void **buf, size_t *len);

#endif
