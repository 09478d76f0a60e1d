/*
 * import.c — talents from a spreadsheet: the header, the file's transaction and
 * the import record.  Turning one row into a talent is import_row.c.
 */
#include "domain/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/arena.h"
#include "domain/import_int.h"
#include "domain/audit.h"
#include "store/store.h"

const struct import_column import_columns[IC_COUNT] = {
    [IC_NAME] = {"姓名", "name"},
    [IC_ID_NUMBER] = {"身份证号", "id_number"},
    [IC_GENDER] = {"性别", "gender"},
    [IC_BIRTH_DATE] = {"出生日期", "birth_date"},
    [IC_PHONE] = {"手机号", "phone"},
    [IC_EMAIL] = {"邮箱", "email"},
    [IC_DEGREE] = {"学历", "degree"},
    [IC_SCHOOL] = {"毕业院校", "school"},
    [IC_MAJOR] = {"专业", "major"},
    [IC_GRADUATED_ON] = {"毕业日期", "graduated_on"},
    [IC_DFC] = {"双一流", "double_first_class"},
    [IC_TITLE] = {"职称", "title"},
    [IC_SKILL] = {"技能等级", "skill_level"},
    [IC_CREDIT_CODE] = {"工作单位信用代码", "enterprise_credit_code"},
    [IC_TOWN] = {"所在镇街", "town"},
    [IC_INDUSTRY] = {"产业", "industry"},
    [IC_TIER] = {"人才层次", "tier"},
    [IC_TIER_FROM] = {"层次起始日期", "tier_from"},
    [IC_TIER_TO] = {"层次截止日期", "tier_to"},
    [IC_SHORT_TERM] = {"柔性引进", "short_term"},
    [IC_ID] = {"编号", "id"},
};

/* Other headers people write for the same columns. */
static const struct {
	const char *text;
	enum import_col col;
} ALIASES[] = {
    {"身份证号码", IC_ID_NUMBER},
    {"证件号码", IC_ID_NUMBER},
    {"手机号码", IC_PHONE},
    {"手机", IC_PHONE},
    {"联系电话", IC_PHONE},
    {"电子邮箱", IC_EMAIL},
    {"最高学历", IC_DEGREE},
    {"是否双一流", IC_DFC},
    {"统一社会信用代码", IC_CREDIT_CODE},
    {"工作单位统一社会信用代码", IC_CREDIT_CODE},
    {"所在镇（街道）", IC_TOWN},
    {"是否柔性引进", IC_SHORT_TERM},
};

#define ROWS_PER_ARENA 1000

static void report_nomem(struct import_ctx *c)
{
	c->errors_full = 1;
}

/* Copies at most max bytes of s into a, never splitting a UTF-8 character. */
static const char *copy_capped(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return arena_strndup(a, s, n);
}

void import_add_error(struct import_ctx *c, size_t row, const char *column, const char *value,
                      const char *code, const char *zh, const char *en)
{
	struct import_result *res = c->res;
	res->errors_total++;
	if (c->errors_full || res->n_errors >= IMPORT_MAX_ERRORS)
		return;
	if (res->n_errors == c->errors_cap) {
		size_t ncap = c->errors_cap ? c->errors_cap * 2 : 64;
		struct import_error *n = realloc(res->errors, ncap * sizeof(*n));
		if (!n) {
			report_nomem(c);
			return;
		}
		res->errors = n;
		c->errors_cap = ncap;
	}
	struct import_error *e = &res->errors[res->n_errors];
	e->row = row;
	e->column = arena_strdup(res->arena, column ? column : "");
	e->value = copy_capped(res->arena, value ? value : "", IMPORT_VALUE_MAX);
	e->code = arena_strdup(res->arena, code);
	e->zh = arena_strdup(res->arena, zh);
	e->en = arena_strdup(res->arena, en);
	if (!e->column || !e->value || !e->code || !e->zh || !e->en) {
		report_nomem(c);
		return;
	}
	res->n_errors++;
}

/* A file-level error: the file is rejected as a whole. */
static void file_error(struct import_ctx *c, size_t row, const char *column, const char *code,
                       const char *zh, const char *en)
{
	c->res->file_error = 1;
	import_add_error(c, row, column, column, code, zh, en);
}

/* Matches a header cell (trimmed; a trailing '*' marks required columns in some templates). */
static int header_col(const char *h)
{
	char buf[128];
	size_t n = strlen(h);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, h, n + 1);
	if (n > 1 && buf[n - 1] == '*')
		buf[--n] = '\0';
	for (int i = 0; i < IC_COUNT; i++)
		if (strcmp(buf, import_columns[i].zh) == 0 ||
		    strcasecmp(buf, import_columns[i].en) == 0)
			return i;
	for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
		if (strcmp(buf, ALIASES[i].text) == 0)
			return (int)ALIASES[i].col;
	return -1;
}

/* Reads and maps the header row.  Returns TP_OK (file errors recorded) or TP_ERR_NOMEM. */
static enum tp_rc read_header(struct import_ctx *c)
{
	const char *const *cells;
	size_t n;
	for (int i = 0; i < IC_COUNT; i++)
		c->map[i] = -1;
	int got = table_next(c->r, &cells, &n);
	if (got == 0) {
		file_error(c, 1, "", "empty_file", "文件没有内容（第 1 行应为表头）",
		           "the file is empty (row 1 must be the header)");
		return TP_OK;
	}
	if (got < 0) {
		char en[400];
		snprintf(en, sizeof en, "the file cannot be read: %s", table_error(c->r));
		file_error(c, table_row_number(c->r), "", "unreadable_file", "文件无法读取", en);
		return TP_OK;
	}
	c->header_row = table_row_number(c->r);
	c->ncols = n;
	for (size_t i = 0; i < n; i++) {
		/* a copy: the header texts outlive the reader's row */
		const char *t = import_trim(c->refs, cells[i]);
		const char *h = t ? arena_strdup(c->refs, t) : NULL;
		if (!h)
			return TP_ERR_NOMEM;
		if (!*h)
			continue;
		int col = header_col(h);
		if (col < 0) {
			char zh[400], en[400];
			snprintf(zh, sizeof zh, "未知的列“%.200s”（请使用模板的表头）", h);
			snprintf(en, sizeof en,
			         "unknown column '%.200s' (use the template's headers)", h);
			file_error(c, c->header_row, h, "unknown_column", zh, en);
		} else if (c->map[col] >= 0) {
			char zh[400], en[400];
			snprintf(zh, sizeof zh, "列“%.200s”重复", h);
			snprintf(en, sizeof en, "column '%.200s' appears twice", h);
			file_error(c, c->header_row, h, "duplicate_column", zh, en);
		} else {
			c->map[col] = (int)i;
			c->hdr[col] = h;
		}
	}
	static const enum import_col required[] = {IC_NAME, IC_ID_NUMBER};
	for (size_t i = 0; i < 2; i++) {
		enum import_col col = required[i];
		if (c->map[col] >= 0)
			continue;
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "缺少必填列“%s”（或“%s”）", import_columns[col].zh,
		         import_columns[col].en);
		snprintf(en, sizeof en, "the required column '%s' (or '%s') is missing",
		         import_columns[col].zh, import_columns[col].en);
		file_error(c, c->header_row, import_columns[col].zh, "missing_column", zh, en);
	}
	return TP_OK;
}

void import_result_release(struct import_result *res)
{
	if (!res)
		return;
	free(res->errors);
	free(res->report);
	arena_free(res->arena);
	memset(res, 0, sizeof(*res));
}

static enum tp_rc write_report_cb(void *ctx, const char *path)
{
	const struct import_result *res = ctx;
	return import_write_report(res, res->format, path);
}

/* Builds the report bytes and writes the import record (inside the caller's transaction). */
static enum tp_rc record(struct store *st, const struct import_opts *o, struct import_result *res)
{
	enum tp_rc rc;
	if (res->errors_total && !res->report) {
		rc = table_write_to_memory(write_report_cb, res, &res->report, &res->report_len);
		if (rc != TP_OK)
			return rc;
	}
	struct import_record ir = {0};
	ir.kind = "talents";
	ir.format = res->format == TABLE_XLSX ? "xlsx" : "csv";
	ir.filename = o->filename;
	ir.rows_total = (int64_t)res->rows_total;
	ir.rows_imported = (int64_t)res->rows_imported;
	ir.rows_failed = (int64_t)res->rows_failed;
	ir.all_or_nothing = o->all_or_nothing ? 1 : 0;
	ir.committed = res->committed;
	ir.report = res->report;
	ir.report_len = res->report_len;
	rc = STORE_CALL(import_insert, st, &ir);
	if (rc == TP_OK)
		res->import_id = ir.id;
	/* one record for the whole file, in its transaction: the rows are the import's */
	if (rc == TP_OK)
		rc = audit_changef(st, o->who, "import.talents", "import", ir.id,
				   "%s|%s|total %lld|imported %lld|failed %lld|committed %d",
				   o->filename ? o->filename : "", ir.format,
				   (long long)ir.rows_total, (long long)ir.rows_imported,
				   (long long)ir.rows_failed, ir.committed);
	return rc;
}

/* Records an import that changed nothing, in a transaction of its own. */
static enum tp_rc record_alone(struct store *st, const struct import_opts *o,
                               struct import_result *res)
{
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = record(st, o, res);
	if (rc == TP_OK)
		rc = store_commit(st);
	if (rc != TP_OK) {
		store_rollback(st);
		res->import_id = 0;
	}
	return rc;
}

static void ctx_free(struct import_ctx *c)
{
	arena_free(c->refs);
	arena_free(c->row);
	free(c->ids.slots);
}

/* Reads the data rows inside the open transaction.  Returns TP_OK or a store error. */
static enum tp_rc read_rows(struct import_ctx *c, const struct import_opts *o)
{
	const char *const *cells;
	size_t n;
	int got;
	size_t since_reset = 0;
	while ((got = table_next(c->r, &cells, &n)) == 1) {
		struct import_result *res = c->res;
		res->rows_total++;
		int insert = !(o->all_or_nothing && res->rows_failed);
		int bad = 0;
		enum tp_rc rc = import_row(c, cells, n, table_row_number(c->r), insert, &bad);
		if (rc != TP_OK)
			return rc;
		if (bad)
			res->rows_failed++;
		else if (insert)
			res->rows_imported++;
		if (++since_reset == ROWS_PER_ARENA) {
			since_reset = 0;
			arena_free(c->row);
			if (!(c->row = arena_new()))
				return TP_ERR_NOMEM;
		}
	}
	if (got < 0) {
		char zh[400], en[400];
		snprintf(zh, sizeof zh, "第 %zu 行无法读取，整个文件未导入：%.200s",
		         table_row_number(c->r), table_error(c->r));
		snprintf(en, sizeof en, "row %zu cannot be read, so nothing was imported: %.200s",
		         table_row_number(c->r), table_error(c->r));
		file_error(c, table_row_number(c->r), "", "unreadable_file", zh, en);
	} else if (c->res->rows_total == 0) {
		file_error(c, c->header_row + 1, "", "empty_file", "文件只有表头，没有数据行",
		           "the file has a header but no data rows");
	}
	return TP_OK;
}

enum tp_rc import_talents(struct store *st, struct table_reader *r, const struct import_opts *o,
                          struct import_result *res)
{
	memset(res, 0, sizeof(*res));
	res->format = table_detected_format(r);
	struct import_ctx c = {0};
	c.st = st;
	c.r = r;
	c.res = res;
	c.who = o->who;
	res->arena = arena_new();
	c.refs = arena_new();
	c.row = arena_new();
	if (!res->arena || !c.refs || !c.row) {
		ctx_free(&c);
		return TP_ERR_NOMEM;
	}
	enum tp_rc rc = read_header(&c);
	if (rc == TP_OK && !res->file_error)
		rc = import_refs_load(&c);
	if (rc != TP_OK || res->file_error) {
		if (rc == TP_OK)
			rc = record_alone(st, o, res);
		ctx_free(&c);
		return rc;
	}
	if ((rc = store_begin(st)) != TP_OK) {
		ctx_free(&c);
		return rc;
	}
	rc = read_rows(&c, o);
	if (rc != TP_OK)
		goto fail;
	if (res->file_error || (o->all_or_nothing && res->rows_failed) || !res->rows_imported) {
		store_rollback(st);
		res->rows_imported = 0;
		rc = record_alone(st, o, res);
		ctx_free(&c);
		return rc;
	}
	res->committed = 1;
	if ((rc = record(st, o, res)) != TP_OK)
		goto fail;
	if ((rc = store_commit(st)) != TP_OK)
		goto fail;
	ctx_free(&c);
	return TP_OK;
fail:
	store_rollback(st);
	res->committed = 0;
	res->rows_imported = 0;
	res->import_id = 0;
	ctx_free(&c);
	return rc;
}

static const char *const REPORT_HEADER[6] = {"行号/row",  "列/column",    "值/value",
                                             "规则/code", "说明/message", "message"};

enum tp_rc import_write_report(const struct import_result *res, enum table_format fmt,
                               const char *path)
{
	struct table_writer *w;
	enum tp_rc rc = table_writer_open(path, fmt, "errors", &w);
	if (rc != TP_OK)
		return rc;
	static const enum cell_kind kinds[6] = {CELL_NUMBER, CELL_TEXT, CELL_TEXT,
	                                        CELL_TEXT,   CELL_TEXT, CELL_TEXT};
	rc = table_writer_row(w, REPORT_HEADER, 6, NULL);
	for (size_t i = 0; rc == TP_OK && i < res->n_errors; i++) {
		const struct import_error *e = &res->errors[i];
		char row[24];
		snprintf(row, sizeof row, "%zu", e->row);
		const char *cells[6] = {row, e->column, e->value, e->code, e->zh, e->en};
		rc = table_writer_row(w, cells, 6, kinds);
	}
	if (rc == TP_OK && res->errors_total > res->n_errors) {
		char zh[160], en[160];
		size_t more = res->errors_total - res->n_errors;
		snprintf(zh, sizeof zh, "另有 %zu 条错误未列出", more);
		snprintf(en, sizeof en, "%zu more errors are not listed", more);
		const char *cells[6] = {"", "", "", "errors_truncated", zh, en};
		rc = table_writer_row(w, cells, 6, kinds);
	}
	enum tp_rc crc = table_writer_close(w);
	return rc != TP_OK ? rc : crc;
}

enum tp_rc table_write_to_memory(enum tp_rc (*write)(void *ctx, const char *path), void *ctx,
                                 void **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/talentport-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return TP_ERR_IO;
	close(fd);
	enum tp_rc rc = write(ctx, path);
	FILE *f = rc == TP_OK ? fopen(path, "rb") : NULL;
	if (rc == TP_OK && !f)
		rc = TP_ERR_IO;
	if (f) {
		long n = -1;
		if (fseek(f, 0, SEEK_END) == 0)
			n = ftell(f);
		char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (n < 0)
			rc = TP_ERR_IO;
		else if (!buf)
			rc = TP_ERR_NOMEM;
		else if (fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n)
			rc = TP_ERR_IO;
		if (rc == TP_OK) {
			*out = buf;
			*len = (size_t)n;
		} else {
			free(buf);
		}
		fclose(f);
	}
	unlink(path);
	return rc;
}
