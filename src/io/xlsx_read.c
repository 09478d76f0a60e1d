/*
 * xlsx_read.c — rows of the first sheet of an XLSX workbook (libzip + expat).
 *
 * The workbook, its relationships, the shared strings and the styles are parsed
 * whole at open; the sheet is streamed: expat is suspended at each </row> that
 * holds a value and resumed by the next table_next, so memory stays flat.
 * Parsers are namespace-aware and match local names only, so prefixed
 * ("x:row") and Strict OOXML files read the same. A DTD is refused outright:
 * no XLSX carries one, and refusing it shuts the door on entity tricks.
 */
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/table_int.h"

#define CHUNK 65536
#define MAX_ROW 1048576
#define MAX_XLSX_COL 16384    /* XFD */
#define MAX_XF 65536
#define MAX_NAME 1024

struct sst {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t n, ncap;
};

struct xlsx_state {
	struct table_reader *r;
	zip_t *za;
	zip_file_t *zf;              /* the sheet */
	XML_Parser sheet;
	XML_Parser cur;              /* the parser running now, to stop it on error */
	size_t sheet_bytes;
	int suspended, fed_final;
	struct sst sst;
	unsigned char *xf_date;      /* per cellXfs index: number format is a date */
	size_t nxf;
	/* auxiliary parse state */
	char *sheet_rid, *sheet_target, *sst_target, *styles_target;
	int in_si, in_t, rph, in_cellxfs, first_sheet_seen;
	unsigned int *xf_fmt;
	unsigned int *date_fmts;
	size_t ndate_fmts;
	/* sheet parse state */
	int in_row, in_c, in_v, in_is;
	size_t cur_row, last_row, col, next_col, style;
	char ctype;
	char *val;
	size_t vlen, vcap;
};

static const char *lname(const XML_Char *name)
{
	const char *s = strrchr(name, '|');

	return s ? s + 1 : name;
}

/* The attribute with local name want; ns 1 wants a namespaced one (r:id), 0 a plain one. */
static const char *attr(const XML_Char **atts, const char *want, int ns)
{
	for (; atts[0]; atts += 2) {
		int has_ns = strchr(atts[0], '|') != NULL;

		if (has_ns == ns && strcmp(lname(atts[0]), want) == 0)
			return atts[1];
	}
	return NULL;
}

/* Aborts the running parse after an error was recorded; only from a handler. */
static void stop(struct xlsx_state *x)
{
	if (x->cur)
		XML_StopParser(x->cur, XML_FALSE);
}

/* In a handler: records an error and aborts the parse. */
#define XFAIL(x, ...) (table_fail((x)->r, __VA_ARGS__), stop(x))

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xlsx_state *x = ud;

	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	table_fail(x->r, TP_ERR_INVALID, "XLSX part has a DTD; refused");
	stop(x);
}

static XML_Parser new_parser(struct xlsx_state *x, XML_StartElementHandler start,
			     XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');

	if (!p)
		return NULL;
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, chars);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

/* An entry index by name (exact, then ignoring case), or -1. */
static zip_int64_t locate(struct xlsx_state *x, const char *name)
{
	zip_int64_t i = zip_name_locate(x->za, name, 0);

	return i >= 0 ? i : zip_name_locate(x->za, name, ZIP_FL_NOCASE);
}

static zip_file_t *open_entry(struct xlsx_state *x, zip_int64_t idx, const char *name)
{
	zip_stat_t st;
	zip_file_t *f;

	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > TABLE_MAX_INPUT) {
		table_fail(x->r, TP_ERR_TOO_LARGE, "XLSX part %s is larger than %zu MiB",
			   name, TABLE_MAX_INPUT >> 20);
		return NULL;
	}
	f = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!f)
		table_fail(x->r, TP_ERR_INVALID, "cannot open %s in XLSX: %s", name,
			   zip_strerror(x->za));
	return f;
}

/* Feeds one chunk of f to p; returns the bytes read (0 at end) or -1 (error recorded). */
static zip_int64_t feed(struct xlsx_state *x, XML_Parser p, zip_file_t *f, size_t *total,
			const char *name, enum XML_Status *st)
{
	void *buf = XML_GetBuffer(p, CHUNK);
	zip_int64_t n;

	if (!buf) {
		table_fail(x->r, TP_ERR_NOMEM, "out of memory");
		return -1;
	}
	n = zip_fread(f, buf, CHUNK);
	if (n < 0) {
		table_fail(x->r, TP_ERR_INVALID, "XLSX part %s is corrupt: %s", name,
			   zip_file_strerror(f));
		return -1;
	}
	*total += (size_t)n;
	if (*total > TABLE_MAX_INPUT) {
		table_fail(x->r, TP_ERR_TOO_LARGE, "XLSX part %s is larger than %zu MiB",
			   name, TABLE_MAX_INPUT >> 20);
		return -1;
	}
	*st = XML_ParseBuffer(p, (int)n, n == 0);
	return n;
}

static void xml_error(struct xlsx_state *x, XML_Parser p, const char *name)
{
	table_fail(x->r, TP_ERR_INVALID, "XLSX part %s: XML error at line %lu: %s", name,
		   (unsigned long)XML_GetCurrentLineNumber(p),
		   XML_ErrorString(XML_GetErrorCode(p)));
}

/* Parses the whole entry name with p. Missing: TP_ERR_NOT_FOUND, nothing recorded. */
static enum tp_rc parse_entry(struct xlsx_state *x, const char *name, XML_Parser p)
{
	zip_int64_t idx = locate(x, name), n;
	enum XML_Status st = XML_STATUS_OK;
	size_t total = 0;
	zip_file_t *f;

	if (idx < 0)
		return TP_ERR_NOT_FOUND;
	f = open_entry(x, idx, name);
	if (!f)
		return x->r->err_rc;
	x->cur = p;
	do {
		n = feed(x, p, f, &total, name, &st);
		if (n >= 0 && st != XML_STATUS_OK && x->r->err_rc == TP_OK)
			xml_error(x, p, name);
	} while (n > 0 && x->r->err_rc == TP_OK);
	x->cur = NULL;
	zip_fclose(f);
	return x->r->err_rc;
}

static char *dup_capped(const char *s)
{
	size_t n = strlen(s);
	char *d;

	if (n > MAX_NAME)
		return NULL;
	d = malloc(n + 1);
	if (d)
		memcpy(d, s, n + 1);
	return d;
}

/* workbook.xml: the r:id of the first <sheet>. */
static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_state *x = ud;
	const char *rid;

	if (x->first_sheet_seen || strcmp(lname(name), "sheet") != 0)
		return;
	x->first_sheet_seen = 1;
	rid = attr(atts, "id", 1);
	if (rid)
		x->sheet_rid = dup_capped(rid);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A relationship target, relative to xl/ unless absolute. */
static char *resolve(const char *target)
{
	size_t n;
	char *d;

	if (target[0] == '/')
		return dup_capped(target + 1);
	n = strlen(target);
	if (n > MAX_NAME)
		return NULL;
	d = malloc(n + 4);
	if (!d)
		return NULL;
	memcpy(d, "xl/", 3);
	memcpy(d + 3, target, n + 1);
	return d;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_state *x = ud;
	const char *id, *type, *target;
	char **slot = NULL;

	if (strcmp(lname(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id", 0);
	type = attr(atts, "Type", 0);
	target = attr(atts, "Target", 0);
	if (!id || !type || !target)
		return;
	if (x->sheet_rid && strcmp(id, x->sheet_rid) == 0)
		slot = &x->sheet_target;
	else if (ends_with(type, "/sharedStrings"))
		slot = &x->sst_target;
	else if (ends_with(type, "/styles"))
		slot = &x->styles_target;
	if (slot && !*slot)
		*slot = resolve(target);
}

static int sst_add(struct sst *s, const char *text, size_t n)
{
	if (n > SIZE_MAX - s->len - 1)
		return -1;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *nb;

		while (cap < s->len + n + 1)
			cap *= 2;
		nb = realloc(s->buf, cap);
		if (!nb)
			return -1;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, text, n);
	s->len += n;
	return 0;
}

/* sharedStrings.xml: each <si> is the concatenation of its <t>, skipping <rPh> runs. */
static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_state *x = ud;
	const char *l = lname(name);

	(void)atts;
	if (strcmp(l, "si") == 0) {
		x->in_si = 1;
		x->rph = 0;
		x->vlen = 0;
	} else if (x->in_si && strcmp(l, "rPh") == 0) {
		x->rph++;
	} else if (x->in_si && !x->rph && strcmp(l, "t") == 0) {
		x->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct xlsx_state *x = ud;
	struct sst *s = &x->sst;
	const char *l = lname(name);

	if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		if (x->rph > 0)
			x->rph--;
	} else if (strcmp(l, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (s->n >= TABLE_MAX_SHARED_STRINGS) {
			XFAIL(x, TP_ERR_TOO_LARGE, "more than %d shared strings",
			      TABLE_MAX_SHARED_STRINGS);
			return;
		}
		if (s->n == s->ncap) {
			size_t cap = s->ncap ? s->ncap * 2 : 1024;
			size_t *no = realloc(s->off, cap * sizeof(*no));

			if (!no) {
				XFAIL(x, TP_ERR_NOMEM, "out of memory");
				return;
			}
			s->off = no;
			s->ncap = cap;
		}
		s->off[s->n] = s->len;
		if (sst_add(s, x->val ? x->val : "", x->vlen) || sst_add(s, "", 1)) {
			XFAIL(x, TP_ERR_NOMEM, "out of memory");
			return;
		}
		s->n++;
	}
}

/* Collects text into x->val within the cell cap. */
static void collect(struct xlsx_state *x, const XML_Char *s, int len)
{
	size_t n = (size_t)len;

	if (x->r->err_rc != TP_OK)
		return;
	if (x->vlen + n > TABLE_MAX_CELL) {
		XFAIL(x, TP_ERR_TOO_LARGE, "row %zu: cell longer than %zu bytes",
		      x->cur_row, TABLE_MAX_CELL);
		return;
	}
	if (x->vlen + n + 1 > x->vcap) {
		size_t cap = x->vcap ? x->vcap : 256;
		char *nv;

		while (cap < x->vlen + n + 1)
			cap *= 2;
		nv = realloc(x->val, cap);
		if (!nv) {
			XFAIL(x, TP_ERR_NOMEM, "out of memory");
			return;
		}
		x->val = nv;
		x->vcap = cap;
	}
	memcpy(x->val + x->vlen, s, n);
	x->vlen += n;
	x->val[x->vlen] = '\0';
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx_state *x = ud;

	if (x->in_t)
		collect(x, s, len);
}

/* 1 if a custom number format shows a date or time: y m d h s outside quotes and []. */
static int fmt_is_date(const char *code)
{
	for (; *code; code++) {
		char c = *code;

		if (c == '"') {
			while (code[1] && code[1] != '"')
				code++;
			if (code[1])
				code++;
		} else if (c == '[') {
			while (code[1] && code[1] != ']')
				code++;
			if (code[1])
				code++;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (code[1])
				code++;
		} else if (strchr("yYmMdDhHsS", c)) {
			return 1;
		}
	}
	return 0;
}

static int fmt_id_is_date(const struct xlsx_state *x, unsigned int id)
{
	size_t i;

	/* 14-22 and 45-47 everywhere; 27-36 and 50-58 are dates in CJK locales. */
	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	    (id >= 50 && id <= 58))
		return 1;
	for (i = 0; i < x->ndate_fmts; i++)
		if (x->date_fmts[i] == id)
			return 1;
	return 0;
}

/* Parses a decimal unsigned number, the whole of s; -1 if not one or above max. */
static int parse_uint(const char *s, size_t max, size_t *out)
{
	size_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (size_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* styles.xml: numFmtId of each <xf> in <cellXfs>, and which custom formats are dates. */
static void XMLCALL sty_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_state *x = ud;
	const char *l = lname(name);
	size_t id;

	if (strcmp(l, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(l, "numFmt") == 0) {
		const char *code = attr(atts, "formatCode", 0);

		if (!code || parse_uint(attr(atts, "numFmtId", 0), 0xFFFF, &id) ||
		    !fmt_is_date(code) || x->ndate_fmts >= MAX_XF)
			return;
		if (!x->date_fmts) {
			x->date_fmts = malloc(MAX_XF * sizeof(*x->date_fmts));
			if (!x->date_fmts) {
				XFAIL(x, TP_ERR_NOMEM, "out of memory");
				return;
			}
		}
		x->date_fmts[x->ndate_fmts++] = (unsigned int)id;
	} else if (x->in_cellxfs && strcmp(l, "xf") == 0 && x->nxf < MAX_XF) {
		if (!x->xf_fmt) {
			x->xf_fmt = malloc(MAX_XF * sizeof(*x->xf_fmt));
			if (!x->xf_fmt) {
				XFAIL(x, TP_ERR_NOMEM, "out of memory");
				return;
			}
		}
		if (parse_uint(attr(atts, "numFmtId", 0), 0xFFFF, &id))
			id = 0;
		x->xf_fmt[x->nxf++] = (unsigned int)id;
	}
}

static void XMLCALL sty_end(void *ud, const XML_Char *name)
{
	struct xlsx_state *x = ud;

	if (strcmp(lname(name), "cellXfs") == 0)
		x->in_cellxfs = 0;
}

/* Column number (0-based) from a reference like "AB12"; -1 if malformed or past XFD. */
static int parse_col(const char *ref, size_t *col)
{
	size_t c = 0, n = 0;

	for (; *ref; ref++, n++) {
		char ch = *ref;

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			break;
		if (n == 3)
			return -1;
		c = c * 26 + (size_t)(ch - 'A' + 1);
	}
	if (n == 0 || c > MAX_XLSX_COL)
		return -1;
	for (; *ref; ref++)
		if (*ref < '0' || *ref > '9')
			return -1;
	*col = c - 1;
	return 0;
}

static char cell_type(const char *t)
{
	if (!t || strcmp(t, "n") == 0)
		return 'n';
	if (strcmp(t, "s") == 0)
		return 's';
	if (strcmp(t, "b") == 0)
		return 'b';
	return 'x'; /* str, inlineStr, e, d: the text as stored */
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_state *x = ud;
	const char *l = lname(name), *a;

	if (strcmp(l, "row") == 0) {
		a = attr(atts, "r", 0);
		if (!a) {
			x->cur_row = x->last_row + 1;
		} else if (parse_uint(a, MAX_ROW, &x->cur_row) || x->cur_row == 0) {
			XFAIL(x, TP_ERR_INVALID, "bad row number '%.20s' after row %zu", a,
			      x->last_row);
			return;
		}
		x->in_row = 1;
		x->next_col = 0;
		trow_clear(&x->r->row);
	} else if (x->in_row && strcmp(l, "c") == 0) {
		a = attr(atts, "r", 0);
		if (!a) {
			x->col = x->next_col;
		} else if (parse_col(a, &x->col)) {
			XFAIL(x, TP_ERR_INVALID, "row %zu: bad cell reference '%.20s'",
			      x->cur_row, a);
			return;
		}
		if (parse_uint(attr(atts, "s", 0), MAX_XF, &x->style))
			x->style = MAX_XF;
		x->ctype = cell_type(attr(atts, "t", 0));
		x->in_c = 1;
		x->in_v = x->in_is = x->in_t = x->rph = 0;
		x->vlen = 0;
	} else if (x->in_c && strcmp(l, "v") == 0) {
		x->in_v = 1;
	} else if (x->in_c && strcmp(l, "is") == 0) {
		x->in_is = 1;
	} else if (x->in_is && strcmp(l, "rPh") == 0) {
		x->rph++;
	} else if (x->in_is && !x->rph && strcmp(l, "t") == 0) {
		x->in_t = 1;
	}
}

/* Length of number text s without a ".000" tail on an integer ("12345.0" -> 5). */
static size_t number_len(const char *s, size_t n)
{
	size_t i = 0, dot;

	if (i < n && s[i] == '-')
		i++;
	if (i == n || s[i] < '0' || s[i] > '9')
		return n;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == n || s[i] != '.' || i + 1 == n)
		return n;
	dot = i++;
	while (i < n && s[i] == '0')
		i++;
	return i == n ? dot : n;
}

static void end_cell(struct xlsx_state *x)
{
	struct table_row *row = &x->r->row;
	const char *s = x->val ? x->val : "";
	size_t n = x->vlen, idx;
	int is_date = 0;

	x->in_c = 0;
	x->next_col = x->col + 1;
	if (x->ctype == 's' && n > 0) {
		if (parse_uint(s, x->sst.n ? x->sst.n - 1 : 0, &idx) || idx >= x->sst.n) {
			XFAIL(x, TP_ERR_INVALID, "row %zu: bad shared string index '%.20s'",
			      x->cur_row, s);
			return;
		}
		s = x->sst.buf + x->sst.off[idx];
		n = strlen(s);
	} else if (x->ctype == 'b' && n == 1 && (s[0] == '0' || s[0] == '1')) {
		s = s[0] == '1' ? "TRUE" : "FALSE";
		n = strlen(s);
	} else if (x->ctype == 'n') {
		n = number_len(s, n);
		is_date = n > 0 && x->style < x->nxf && x->xf_date[x->style];
	}
	if (n == 0)
		return;
	if (x->col >= TABLE_MAX_COLS) {
		XFAIL(x, TP_ERR_TOO_LARGE, "row %zu: a value beyond column %d", x->cur_row,
		      TABLE_MAX_COLS);
		return;
	}
	if (trow_append(row, s, n) || trow_end_cell(row, x->col, is_date))
		XFAIL(x, TP_ERR_NOMEM, "out of memory");
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx_state *x = ud;
	const char *l = lname(name);
	int nonempty;

	if (strcmp(l, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(l, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(l, "rPh") == 0) {
		if (x->rph > 0)
			x->rph--;
	} else if (strcmp(l, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(l, "c") == 0 && x->in_c) {
		end_cell(x);
	} else if (strcmp(l, "row") == 0 && x->in_row) {
		x->in_row = 0;
		x->in_c = 0;
		x->last_row = x->cur_row;
		nonempty = trow_build(&x->r->row);
		if (nonempty < 0) {
			XFAIL(x, TP_ERR_NOMEM, "out of memory");
		} else if (nonempty) {
			x->r->rownum = x->cur_row;
			XML_StopParser(x->cur, XML_TRUE);
		}
	}
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx_state *x = ud;

	if (x->in_v || x->in_t)
		collect(x, s, len);
}

static enum tp_rc open_parts(struct xlsx_state *x)
{
	struct table_reader *r = x->r;
	const char *sheet_name;
	zip_int64_t idx = -1;
	enum tp_rc rc;
	XML_Parser p;
	size_t i;

	p = new_parser(x, wb_start, NULL, NULL);
	if (!p)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	rc = parse_entry(x, "xl/workbook.xml", p);
	XML_ParserFree(p);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		return rc;
	p = new_parser(x, rels_start, NULL, NULL);
	if (!p)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	rc = parse_entry(x, "xl/_rels/workbook.xml.rels", p);
	XML_ParserFree(p);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		return rc;

	p = new_parser(x, sst_start, sst_end, sst_chars);
	if (!p)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	rc = parse_entry(x, x->sst_target ? x->sst_target : "xl/sharedStrings.xml", p);
	XML_ParserFree(p);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		return rc;

	p = new_parser(x, sty_start, sty_end, NULL);
	if (!p)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	rc = parse_entry(x, x->styles_target ? x->styles_target : "xl/styles.xml", p);
	XML_ParserFree(p);
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND)
		return rc;
	if (x->nxf > 0) {
		x->xf_date = malloc(x->nxf);
		if (!x->xf_date)
			return table_fail(r, TP_ERR_NOMEM, "out of memory");
		for (i = 0; i < x->nxf; i++)
			x->xf_date[i] = (unsigned char)fmt_id_is_date(x, x->xf_fmt[i]);
	}

	/* Start the sheet from a clean state whatever the other parts held. */
	x->in_si = x->in_t = x->rph = 0;
	x->vlen = 0;
	sheet_name = x->sheet_target;
	if (sheet_name)
		idx = locate(x, sheet_name);
	if (idx < 0) {
		sheet_name = "xl/worksheets/sheet1.xml";
		idx = locate(x, sheet_name);
	}
	if (idx < 0)
		return table_fail(r, TP_ERR_INVALID, "no worksheet found in the XLSX file");
	x->zf = open_entry(x, idx, sheet_name);
	if (!x->zf)
		return r->err_rc;
	x->sheet = new_parser(x, sheet_start, sheet_end, sheet_chars);
	if (!x->sheet)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	return TP_OK;
}

enum tp_rc xlsx_open(struct table_reader *r, const void *buf, size_t len)
{
	struct xlsx_state *x;
	zip_source_t *src;
	zip_error_t ze;

	x = calloc(1, sizeof(*x));
	if (!x)
		return table_fail(r, TP_ERR_NOMEM, "out of memory");
	r->x = x;
	x->r = r;
	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src)
		x->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!x->za) {
		if (src)
			zip_source_free(src);
		table_fail(r, TP_ERR_INVALID, "not a valid XLSX file: %s",
			   zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return r->err_rc;
	}
	zip_error_fini(&ze);
	return open_parts(x);
}

int xlsx_next(struct table_reader *r)
{
	struct xlsx_state *x = r->x;
	enum XML_Status st;

	for (;;) {
		if (x->suspended) {
			x->cur = x->sheet;
			st = XML_ResumeParser(x->sheet);
		} else {
			zip_int64_t n;

			x->cur = x->sheet;
			n = feed(x, x->sheet, x->zf, &x->sheet_bytes, "sheet", &st);
			if (n < 0)
				st = XML_STATUS_ERROR;
			if (n == 0)
				x->fed_final = 1;
		}
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (st == XML_STATUS_ERROR && r->err_rc == TP_OK)
			xml_error(x, x->sheet, "sheet");
		if (r->err_rc != TP_OK) {
			if (x->cur_row)
				r->rownum = x->cur_row;
			return -1;
		}
		if (x->suspended)
			return 1;
		if (x->fed_final)
			return 0;
	}
}

void xlsx_free(struct xlsx_state *x)
{
	if (!x)
		return;
	if (x->sheet)
		XML_ParserFree(x->sheet);
	if (x->zf)
		zip_fclose(x->zf);
	if (x->za)
		zip_discard(x->za);
	free(x->sst.buf);
	free(x->sst.off);
	free(x->xf_date);
	free(x->xf_fmt);
	free(x->date_fmts);
	free(x->sheet_rid);
	free(x->sheet_target);
	free(x->sst_target);
	free(x->styles_target);
	free(x->val);
	free(x);
}
