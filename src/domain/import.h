/*
 * import.h — talents from a spreadsheet (CSV or XLSX), as a talent office works.
 *
 * The first row names the columns (the Chinese template headers or the English
 * field names, in any order); every later row is one person.  Each row becomes a
 * struct talent and passes talent_check(), the same rules as the API; every broken
 * rule becomes one line of an error report naming the row, the column (as the file
 * wrote it), the value and the rule.  Good rows go in within ONE transaction per
 * file; with all_or_nothing a single error keeps everything out.
 *
 * The column table below is shared with the export (src/domain/export.c), so that
 * an unmasked export re-imports cleanly.
 */
#ifndef TP_DOMAIN_IMPORT_H
#define TP_DOMAIN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "io/table.h"

struct store;
struct arena;

/* The columns of the talent template, in template order. */
enum import_col {
	IC_NAME,
	IC_ID_NUMBER,
	IC_GENDER,
	IC_BIRTH_DATE,
	IC_PHONE,
	IC_EMAIL,
	IC_DEGREE,
	IC_SCHOOL,
	IC_MAJOR,
	IC_GRADUATED_ON,
	IC_DFC,
	IC_TITLE,
	IC_SKILL,
	IC_CREDIT_CODE,
	IC_TOWN,
	IC_INDUSTRY,
	IC_TIER,
	IC_TIER_FROM,
	IC_TIER_TO,
	IC_SHORT_TERM,
	IC_ID, /* the registry id: written by exports, ignored by imports */
	IC_COUNT
};

struct import_column {
	const char *zh; /* template header: "身份证号" */
	const char *en; /* field name: "id_number" */
};

extern const struct import_column import_columns[IC_COUNT];

/* Caps: errors kept in memory (all are counted), bytes of a cell shown in the report. */
#define IMPORT_MAX_ERRORS 100000
#define IMPORT_VALUE_MAX 200

struct actor;

struct import_opts {
	int all_or_nothing;   /* any error: nothing is imported */
	const char *filename; /* for the import record (may be NULL) */
	const struct actor *who; /* audited as the importer; NULL: the command line */
};

/* One broken rule.  row 1 is the header row (file-level errors). */
struct import_error {
	size_t row;
	const char *column; /* the header text the file used ("" for the file as a whole) */
	const char *value;  /* the cell as given; ID-number and phone cells always masked,
	                       valid or not (the report is stored and downloadable) */
	const char *code, *zh, *en;
};

struct import_result {
	enum table_format format;
	size_t rows_total;           /* data rows read (the header not counted) */
	size_t rows_imported;        /* rows now in the registry (0 unless committed) */
	size_t rows_failed;          /* rows with at least one error */
	int committed;               /* 1 when the good rows were committed */
	int file_error;              /* the file as a whole was rejected (header, unreadable row) */
	struct import_error *errors; /* the first IMPORT_MAX_ERRORS errors (malloc'd) */
	size_t n_errors;
	size_t errors_total; /* every error found; > n_errors when the list was capped */
	int64_t import_id;   /* the import record written, 0 if none */
	void *report;        /* the error report in the input's format (malloc'd), or NULL */
	size_t report_len;
	struct arena *arena; /* owns the error strings */
};

/*
 * Imports the talents of r (positioned before its header row) into st.
 * Fills *res (release it with import_result_release, also after a failure).
 * Good rows are inserted in one transaction (store_begin); with o->all_or_nothing
 * any row error rolls everything back; a file-level error (unknown, duplicate or
 * missing required column, an unreadable row, no data rows) imports nothing.
 * Writes an import record (kind "talents", the counts and the report bytes) and
 * sets res->import_id.
 * Returns TP_OK whenever a result was produced (even if every row failed), or the
 * store's error (TP_ERR_DB, TP_ERR_BUSY, TP_ERR_NOMEM …) after rolling back: then
 * nothing was written and res->committed is 0.
 */
enum tp_rc import_talents(struct store *st, struct table_reader *r, const struct import_opts *o,
                          struct import_result *res);

/* Frees what *res owns and zeroes it; NULL-safe and safe on a zeroed result. */
void import_result_release(struct import_result *res);

/*
 * Writes the error report of res to path as fmt (TABLE_CSV with a BOM, or
 * TABLE_XLSX): a header row 行号/row, 列/column, 值/value, 规则/code,
 * 说明/message, message (en), then one row per error; when the list was capped,
 * a last line says how many more there were.  Returns TP_OK, TP_ERR_IO or
 * TP_ERR_NOMEM (the caller removes a partial file).
 */
enum tp_rc import_write_report(const struct import_result *res, enum table_format fmt,
                               const char *path);

/*
 * The Chinese label the import accepts (and the export writes) for a code of the
 * degree, title or skill-level column ("phd" → "博士研究生", "3" → "高级工");
 * NULL for another column or an unknown code.  Static string.
 */
const char *import_label(enum import_col col, const char *code);

/*
 * Runs write(ctx, path) on a new temporary file and hands back its bytes in
 * *out (malloc'd, caller frees) and *len; the file is removed in every case.
 * Used to turn the table writer's files into HTTP bodies.  Returns write's
 * error, TP_ERR_IO or TP_ERR_NOMEM (then *out is NULL).
 */
enum tp_rc table_write_to_memory(enum tp_rc (*write)(void *ctx, const char *path), void *ctx,
                                 void **out, size_t *len);

#endif
