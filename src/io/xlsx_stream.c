/*
 * xlsx_stream.c — the streaming XLSX writer (contract in xlsx_stream.h).
 *
 * Sheet XML is formatted by hand (no printf per cell) into a buffer; each full buffer is
 * deflated (zlib, raw deflate, level 1) into one unlinked temporary file, so a sheet
 * is stored there already compressed, with its CRC-32 and size.  At close the small
 * parts are built in memory and each sheet is handed to libzip as a source of
 * already-compressed data (zip_source_function(3): a source that reports
 * ZIP_STAT_COMP_METHOD, SIZE and CRC is copied as it is).  The parts and their order:
 *
 *   [Content_Types].xml, _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels,
 *   xl/styles.xml, xl/worksheets/sheet1.xml …
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "core/utf8.h"
#include "io/xlsx_stream.h"

#define BUF_CAP (1u << 20)          /* the output buffer */
#define READ_CAP (256u << 10)       /* read-ahead of a sheet source */
#define ZOUT_CAP (256u << 10)       /* deflate output before it goes to the file */
#define DEFLATE_LEVEL 1
#define SHEET_NAME_CHARS 31
/* the most one text cell can take in the buffer: every input byte escaped as
 * "_x005F_" (7 bytes), plus the cell's markup */
#define TEXT_WORST ((size_t)XW_MAX_TEXT * 7 + 256)

static const char NS_MAIN[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char NS_REL[] =
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct sheet {
	char *name;
	uint64_t off, clen;  /* its deflated XML in the temporary file */
	uint64_t ulen;       /* the XML's size */
	uint32_t crc;        /* the XML's CRC-32 */
};

struct xw {
	char *path;
	int fd;                  /* the temporary file: every sheet deflated, one after another */
	uint64_t written;        /* bytes written to fd */
	char *buf;               /* XML not deflated yet */
	size_t len;
	z_stream zs;             /* the current sheet's deflate stream */
	int zs_ready;
	unsigned char *zout;
	/* the deflate thread (xw_set_threads): x->mu guards job, quit and werr */
	int threaded, job, quit, job_mode;
	char *buf2, *job_buf;
	size_t job_len;
	struct sheet *job_sheet;
	enum tp_rc werr;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum tp_rc err;          /* first error; sticky */
	struct sheet *sheets;
	size_t nsheets, cap;
	int in_sheet, in_row;
	int64_t row, col;        /* the current row and last column written; -1: none yet */
	char rref[12];           /* the current row's number (1-based) in decimal */
	size_t rref_len;
};

/* ---- numbers ---- */

/* u in decimal at the end of a buffer ending at end; returns the first character. */
static char *u64_rev(char *end, uint64_t u)
{
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	return end;
}

size_t xw_fmt_int(char out[XW_NUMBUF], int64_t v)
{
	char tmp[XW_NUMBUF], *p;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n;

	p = u64_rev(tmp + sizeof(tmp), u);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

size_t xw_fmt_money(char out[XW_NUMBUF], int64_t fen)
{
	uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	unsigned cents = (unsigned)(u % 100);
	char tmp[XW_NUMBUF], *end = tmp + sizeof(tmp) - 3, *p;
	size_t n;

	p = u64_rev(end, u / 100);
	if (fen < 0)
		*--p = '-';
	if (cents) {
		*end++ = '.';
		*end++ = (char)('0' + cents / 10);
		if (cents % 10)
			*end++ = (char)('0' + cents % 10);
	}
	n = (size_t)(end - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int32_t xw_date_serial(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t era, yoe, doy, doe, days;
	int yy;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)) || (y == 1900 && m < 3))
		return -1;
	/* days since 1970-01-01 (proleptic Gregorian), then Excel's offset: its day 25569
	 * is 1970-01-01 (it counts the 29th of February 1900 that never was) */
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	return (int32_t)(days + 25569);
}

/* ---- the buffer ---- */

static void fail(struct xw *x, enum tp_rc rc)
{
	if (x->err == TP_OK)
		x->err = rc;
}

static enum tp_rc write_all(struct xw *x, const unsigned char *p, size_t n)
{
	size_t o = 0;

	while (o < n) {
		ssize_t w = write(x->fd, p + o, n - o);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return TP_ERR_IO;
		o += (size_t)w;
	}
	x->written += n;
	return TP_OK;
}

/*
 * Deflates len bytes of sheet s's XML into the temporary file (mode Z_NO_FLUSH, or
 * Z_FINISH to end the sheet's stream).  Touches only x->zs, x->zout, x->fd, x->written
 * and *s: with the deflate thread on, only that thread calls it.
 */
static enum tp_rc deflate_data(struct xw *x, struct sheet *s, const char *data, size_t len,
			       int mode)
{
	enum tp_rc rc;
	int zr;

	s->crc = (uint32_t)crc32_z(s->crc, (const Bytef *)data, len);
	s->ulen += len;
	x->zs.next_in = (Bytef *)data;
	x->zs.avail_in = (uInt)len;
	do {
		x->zs.next_out = x->zout;
		x->zs.avail_out = ZOUT_CAP;
		zr = deflate(&x->zs, mode);
		if (zr == Z_STREAM_ERROR)
			return TP_ERR_INTERNAL;
		rc = write_all(x, x->zout, ZOUT_CAP - x->zs.avail_out);
		if (rc != TP_OK)
			return rc;
	} while (x->zs.avail_out == 0 || (mode == Z_FINISH && zr != Z_STREAM_END));
	return TP_OK;
}

/* ---- the deflate thread (xw_set_threads) ---- */

/*
 * The formatting thread fills x->buf; a full buffer is swapped with x->buf2 and
 * deflated by the thread while the next one fills.  One job at a time; the end of a
 * sheet (Z_FINISH) waits for the thread, so everything that follows (the next sheet's
 * deflateReset, x->written, the sheets array) is only touched while it is idle.
 */
static void *deflate_thread(void *arg)
{
	struct xw *x = arg;

	pthread_mutex_lock(&x->mu);
	for (;;) {
		enum tp_rc rc = TP_OK;

		while (!x->job && !x->quit)
			pthread_cond_wait(&x->cv, &x->mu);
		if (!x->job)
			break;
		pthread_mutex_unlock(&x->mu);
		if (x->werr == TP_OK) /* only this thread writes werr */
			rc = deflate_data(x, x->job_sheet, x->job_buf, x->job_len, x->job_mode);
		pthread_mutex_lock(&x->mu);
		if (rc != TP_OK)
			x->werr = rc;
		x->job = 0;
		pthread_cond_broadcast(&x->cv);
	}
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

/* Waits until the thread is idle; returns its first error. */
static enum tp_rc thread_wait(struct xw *x)
{
	enum tp_rc rc;

	pthread_mutex_lock(&x->mu);
	while (x->job)
		pthread_cond_wait(&x->cv, &x->mu);
	rc = x->werr;
	pthread_mutex_unlock(&x->mu);
	return rc;
}

/* Deflates the buffer (mode as deflate_data) and empties it.  Returns 0, or -1 with the
 * error set. */
static int deflate_buf(struct xw *x, int mode)
{
	struct sheet *s;
	enum tp_rc rc;
	char *t;

	if (x->err != TP_OK)
		return -1;
	if (!x->in_sheet) {
		fail(x, TP_ERR_INTERNAL);
		return -1;
	}
	s = &x->sheets[x->nsheets - 1];
	if (!x->threaded) {
		rc = deflate_data(x, s, x->buf, x->len, mode);
		x->len = 0;
		if (rc != TP_OK)
			fail(x, rc);
		return rc == TP_OK ? 0 : -1;
	}
	rc = thread_wait(x);
	if (rc != TP_OK) {
		fail(x, rc);
		return -1;
	}
	pthread_mutex_lock(&x->mu);
	t = x->buf2; /* the thread is idle: buf2 is free */
	x->job_buf = x->buf;
	x->job_len = x->len;
	x->job_sheet = s;
	x->job_mode = mode;
	x->job = 1;
	x->buf2 = x->buf;
	x->buf = t;
	x->len = 0;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	if (mode == Z_FINISH) {
		rc = thread_wait(x);
		if (rc != TP_OK) {
			fail(x, rc);
			return -1;
		}
	}
	return 0;
}

static int flush(struct xw *x)
{
	return deflate_buf(x, Z_NO_FLUSH);
}

enum tp_rc xw_set_threads(struct xw *x, int threads)
{
	if (x->err != TP_OK || x->threaded || threads < 2)
		return x->err;
	if (x->nsheets > 0) {
		fail(x, TP_ERR_INVALID);
		return x->err;
	}
	x->buf2 = malloc(BUF_CAP);
	if (!x->buf2)
		return TP_OK; /* stay on one thread */
	if (pthread_mutex_init(&x->mu, NULL) != 0)
		return TP_OK;
	if (pthread_cond_init(&x->cv, NULL) != 0) {
		pthread_mutex_destroy(&x->mu);
		return TP_OK;
	}
	if (pthread_create(&x->tid, NULL, deflate_thread, x) != 0) {
		pthread_cond_destroy(&x->cv);
		pthread_mutex_destroy(&x->mu);
		return TP_OK;
	}
	x->threaded = 1;
	return TP_OK;
}

/* Room for n more bytes (n <= BUF_CAP), or -1 (error set). */
static inline int need(struct xw *x, size_t n)
{
	return BUF_CAP - x->len >= n ? 0 : flush(x);
}

static inline void put(struct xw *x, const char *s, size_t n)
{
	memcpy(x->buf + x->len, s, n);
	x->len += n;
}

#define PUT_LIT(x, lit) put((x), (lit), sizeof(lit) - 1)

/* ---- escaping ---- */

/* What an ASCII byte needs: 0 copy, 1 drop (not XML 1.0), 2 escape, 3 '_' (check). */
static unsigned char ascii_class(unsigned char c)
{
	if (c == '\t' || c == '\n')
		return 0;
	if (c < 0x20 || c == '\r' || c == '&' || c == '<' || c == '>')
		return c < 0x20 && c != '\r' ? 1 : 2;
	return c == '_' ? 3 : 0;
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Writes s[0..n) escaped for XML text into the buffer (room for n * 7 bytes ensured by
 * the caller).  excel_text: also escape the '_' of an "_xHHHH_" so Excel reads it as
 * written (text cells, not formulas or attributes).  quot: also escape '"'.
 */
static void put_escaped(struct xw *x, const unsigned char *s, size_t n, int excel_text,
			int quot)
{
	char *o = x->buf + x->len;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			switch (c == '"' && quot ? 2 : ascii_class(c)) {
			case 0:
				*o++ = (char)c;
				break;
			case 1:
				break;
			case 2:
				switch (c) {
				case '&': memcpy(o, "&amp;", 5); o += 5; break;
				case '<': memcpy(o, "&lt;", 4); o += 4; break;
				case '>': memcpy(o, "&gt;", 4); o += 4; break;
				case '"': memcpy(o, "&quot;", 6); o += 6; break;
				default: memcpy(o, "&#13;", 5); o += 5; break; /* CR kept as CR */
				}
				break;
			default: /* '_' */
				if (excel_text && i + 6 < n && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
				    is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) &&
				    s[i + 6] == '_') {
					memcpy(o, "_x005F_", 7);
					o += 7;
				} else {
					*o++ = '_';
				}
			}
			i++;
			continue;
		}
		{
			size_t k = utf8_seq_len(s + i, n - i);

			if (k == 0) {
				*o++ = '?';
				i++;
			} else if (k == 3 && c == 0xEF && s[i + 1] == 0xBF &&
				   (s[i + 2] == 0xBE || s[i + 2] == 0xBF)) {
				i += 3; /* U+FFFE, U+FFFF: not XML 1.0 characters */
			} else {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			}
		}
	}
	x->len = (size_t)(o - x->buf);
}

/* 1 if the byte is kept as written (not dropped by put_escaped). */
static int kept(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

/* ---- cells ---- */

static int col_name(uint32_t col, char out[4])
{
	char tmp[4];
	int n = 0, i;

	col++;
	while (col) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Opens a cell at col of the current row: `<c r="B2"[ s="k"]` (the caller adds the
 * type and the closing '>').  Returns -1 (error set) on misuse or a full buffer.
 */
static int cell_open(struct xw *x, uint32_t col, enum xw_style st, size_t more)
{
	char ref[4];
	int n;

	if (x->err != TP_OK)
		return -1;
	if (!x->in_row || col >= XW_MAX_COLS || (int64_t)col <= x->col ||
	    (unsigned)st >= XW_NSTYLES) {
		fail(x, TP_ERR_INVALID);
		return -1;
	}
	if (need(x, 64 + more) < 0)
		return -1;
	x->col = col;
	n = col_name(col, ref);
	PUT_LIT(x, "<c r=\"");
	put(x, ref, (size_t)n);
	put(x, x->rref, x->rref_len);
	if (st != XW_PLAIN) {
		PUT_LIT(x, "\" s=\"");
		x->buf[x->len++] = (char)('0' + st);
	}
	x->buf[x->len++] = '"';
	return 0;
}

void xw_text(struct xw *x, uint32_t col, const char *s, enum xw_style st)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, a, b;

	if (!s || !*s)
		return;
	n = strlen(s);
	if (n > XW_MAX_TEXT) { /* cut at a character boundary */
		n = XW_MAX_TEXT;
		while (n > 0 && (u[n] & 0xC0) == 0x80)
			n--;
	}
	if (cell_open(x, col, st, n * 7) < 0)
		return;
	/* blanks at either end of what is kept need xml:space="preserve" */
	for (a = 0; a < n && !kept(u[a]); a++)
		;
	for (b = n; b > a && !kept(u[b - 1]); b--)
		;
	if (a < b && (strchr(" \t\n\r", u[a]) || strchr(" \t\n\r", u[b - 1])))
		PUT_LIT(x, " t=\"inlineStr\"><is><t xml:space=\"preserve\">");
	else
		PUT_LIT(x, " t=\"inlineStr\"><is><t>");
	put_escaped(x, u, n, 1, 0);
	PUT_LIT(x, "</t></is></c>");
}

static void put_value(struct xw *x, const char *num, size_t n)
{
	PUT_LIT(x, "<v>");
	put(x, num, n);
	PUT_LIT(x, "</v></c>");
}

void xw_int(struct xw *x, uint32_t col, int64_t v, enum xw_style st)
{
	char num[XW_NUMBUF];
	size_t n;

	if (cell_open(x, col, st, 0) < 0)
		return;
	n = xw_fmt_int(num, v);
	x->buf[x->len++] = '>';
	put_value(x, num, n);
}

void xw_money(struct xw *x, uint32_t col, int64_t fen, enum xw_style st)
{
	char num[XW_NUMBUF];
	size_t n;

	if (cell_open(x, col, st, 0) < 0)
		return;
	n = xw_fmt_money(num, fen);
	x->buf[x->len++] = '>';
	put_value(x, num, n);
}

void xw_date(struct xw *x, uint32_t col, int y, int m, int d, enum xw_style st)
{
	int32_t serial = xw_date_serial(y, m, d);

	if (serial < 0) {
		fail(x, TP_ERR_INVALID);
		return;
	}
	xw_int(x, col, serial, st);
}

static void formula(struct xw *x, uint32_t col, const char *f, const char *num, size_t n,
		    enum xw_style st)
{
	size_t flen;

	if (!f) {
		fail(x, TP_ERR_INVALID);
		return;
	}
	if (*f == '=')
		f++;
	flen = strlen(f);
	if (flen > 8192) { /* Excel's limit for a formula */
		fail(x, TP_ERR_TOO_LARGE);
		return;
	}
	if (cell_open(x, col, st, flen * 6) < 0)
		return;
	PUT_LIT(x, "><f>");
	put_escaped(x, (const unsigned char *)f, flen, 0, 0);
	PUT_LIT(x, "</f>");
	put_value(x, num, n);
}

void xw_formula_int(struct xw *x, uint32_t col, const char *f, int64_t cached, enum xw_style st)
{
	char num[XW_NUMBUF];

	formula(x, col, f, num, xw_fmt_int(num, cached), st);
}

void xw_formula_money(struct xw *x, uint32_t col, const char *f, int64_t cached_fen,
		      enum xw_style st)
{
	char num[XW_NUMBUF];

	formula(x, col, f, num, xw_fmt_money(num, cached_fen), st);
}

/* ---- rows and sheets ---- */

static void end_row(struct xw *x)
{
	if (x->in_row && need(x, 8) == 0)
		PUT_LIT(x, "</row>");
	x->in_row = 0;
}

void xw_row(struct xw *x, uint32_t row)
{
	char num[XW_NUMBUF];

	if (x->err != TP_OK)
		return;
	if (!x->in_sheet || row >= XW_MAX_ROWS || (int64_t)row <= x->row) {
		fail(x, TP_ERR_INVALID);
		return;
	}
	end_row(x);
	if (need(x, 32) < 0)
		return;
	x->rref_len = xw_fmt_int(num, (int64_t)row + 1);
	memcpy(x->rref, num, x->rref_len);
	PUT_LIT(x, "<row r=\"");
	put(x, x->rref, x->rref_len);
	PUT_LIT(x, "\">");
	x->row = row;
	x->col = -1;
	x->in_row = 1;
}

static void end_sheet(struct xw *x)
{
	struct sheet *s;

	if (!x->in_sheet)
		return;
	end_row(x);
	if (need(x, 160) == 0)
		PUT_LIT(x, "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
			   "bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
	deflate_buf(x, Z_FINISH);
	s = &x->sheets[x->nsheets - 1];
	s->clen = x->written - s->off;
	x->in_sheet = 0;
}

/* 1 if name is a sheet name a spreadsheet accepts and not yet used. */
static int name_ok(const struct xw *x, const char *name)
{
	size_t n = strlen(name), i = 0, chars = 0;

	if (n == 0 || name[0] == '\'' || name[n - 1] == '\'')
		return 0;
	while (i < n) {
		size_t k = utf8_seq_len((const unsigned char *)name + i, n - i);

		if (k == 0 || (unsigned char)name[i] < 0x20 || strchr("[]:*?/\\", name[i]))
			return 0;
		i += k;
		chars += k == 4 ? 2 : 1; /* Excel counts UTF-16 units */
	}
	if (chars > SHEET_NAME_CHARS)
		return 0;
	for (i = 0; i < x->nsheets; i++)
		if (strcasecmp(x->sheets[i].name, name) == 0)
			return 0;
	return 1;
}

/* A width as Excel writes it: up to two decimals, by hand ("12", "12.5"). */
static size_t fmt_width(char out[XW_NUMBUF], double w)
{
	int64_t c;
	size_t n;

	if (!(w > 0))
		w = 8.43;
	if (w > 255)
		w = 255;
	c = (int64_t)(w * 100 + 0.5);
	n = xw_fmt_int(out, c / 100);
	if (c % 100) {
		out[n++] = '.';
		out[n++] = (char)('0' + c % 100 / 10);
		if (c % 10)
			out[n++] = (char)('0' + c % 10);
		out[n] = '\0';
	}
	return n;
}

enum tp_rc xw_sheet(struct xw *x, const char *name, const double *widths, size_t ncols,
		    unsigned freeze_rows)
{
	char num[XW_NUMBUF];
	struct sheet *s;
	size_t i;

	if (x->err != TP_OK)
		return x->err;
	if (!name || !name_ok(x, name) || ncols > XW_MAX_COLS || freeze_rows >= XW_MAX_ROWS) {
		fail(x, TP_ERR_INVALID);
		return x->err;
	}
	if (x->nsheets == XW_MAX_SHEETS) {
		fail(x, TP_ERR_TOO_LARGE);
		return x->err;
	}
	end_sheet(x);
	if (x->err != TP_OK)
		return x->err;
	if (x->nsheets == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct sheet *ns = realloc(x->sheets, cap * sizeof(*ns));

		if (!ns) {
			fail(x, TP_ERR_NOMEM);
			return x->err;
		}
		x->sheets = ns;
		x->cap = cap;
	}
	s = &x->sheets[x->nsheets];
	s->name = strdup(name);
	if (!s->name) {
		fail(x, TP_ERR_NOMEM);
		return x->err;
	}
	if (deflateReset(&x->zs) != Z_OK) {
		free(s->name);
		fail(x, TP_ERR_INTERNAL);
		return x->err;
	}
	x->nsheets++;
	s->off = x->written;
	s->clen = s->ulen = 0;
	s->crc = (uint32_t)crc32_z(0, NULL, 0);
	x->in_sheet = 1;
	x->in_row = 0;
	x->row = -1;

	if (need(x, 1024) < 0)
		return x->err;
	PUT_LIT(x, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"");
	put(x, NS_MAIN, sizeof(NS_MAIN) - 1);
	PUT_LIT(x, "\" xmlns:r=\"");
	put(x, NS_REL, sizeof(NS_REL) - 1);
	PUT_LIT(x, "\"><sheetViews><sheetView ");
	if (x->nsheets == 1)
		PUT_LIT(x, "tabSelected=\"1\" ");
	PUT_LIT(x, "workbookViewId=\"0\">");
	if (freeze_rows > 0) {
		size_t n = xw_fmt_int(num, freeze_rows);

		PUT_LIT(x, "<pane ySplit=\"");
		put(x, num, n);
		PUT_LIT(x, "\" topLeftCell=\"A");
		n = xw_fmt_int(num, (int64_t)freeze_rows + 1);
		put(x, num, n);
		PUT_LIT(x, "\" activePane=\"bottomLeft\" state=\"frozen\"/>"
			   "<selection pane=\"bottomLeft\"/>");
	}
	PUT_LIT(x, "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
	if (widths && ncols > 0) {
		PUT_LIT(x, "<cols>");
		for (i = 0; i < ncols; i++) {
			size_t n;

			if (need(x, 128) < 0)
				return x->err;
			n = xw_fmt_int(num, (int64_t)i + 1);
			PUT_LIT(x, "<col min=\"");
			put(x, num, n);
			PUT_LIT(x, "\" max=\"");
			put(x, num, n);
			PUT_LIT(x, "\" width=\"");
			put(x, num, fmt_width(num, widths[i]));
			PUT_LIT(x, "\" customWidth=\"1\"/>");
		}
		PUT_LIT(x, "</cols>");
	}
	if (need(x, 16) == 0)
		PUT_LIT(x, "<sheetData>");
	return x->err;
}

enum tp_rc xw_error(const struct xw *x)
{
	return x ? x->err : TP_ERR_INVALID;
}

/* ---- open, discard ---- */

enum tp_rc xw_open(const char *path, struct xw **out)
{
	const char *dir = getenv("TMPDIR");
	struct xw *x;
	char tmp[4096];

	*out = NULL;
	if (!path || !*path)
		return TP_ERR_INVALID;
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/tp_xlsx_XXXXXX", dir) >= sizeof(tmp))
		return TP_ERR_IO;
	x = calloc(1, sizeof(*x));
	if (!x)
		return TP_ERR_NOMEM;
	x->fd = -1;
	x->row = x->col = -1;
	x->path = strdup(path);
	x->buf = malloc(BUF_CAP);
	x->zout = malloc(ZOUT_CAP);
	if (!x->path || !x->buf || !x->zout) {
		xw_discard(x);
		return TP_ERR_NOMEM;
	}
	/* raw deflate (no zlib header: the zip entry is the frame) */
	if (deflateInit2(&x->zs, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		xw_discard(x);
		return TP_ERR_NOMEM;
	}
	x->zs_ready = 1;
	x->fd = mkstemp(tmp);
	if (x->fd < 0) {
		xw_discard(x);
		return TP_ERR_IO;
	}
	unlink(tmp); /* gone when closed, whatever happens */
	*out = x;
	return TP_OK;
}

void xw_discard(struct xw *x)
{
	size_t i;

	if (!x)
		return;
	if (x->threaded) {
		pthread_mutex_lock(&x->mu);
		x->quit = 1;
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
		pthread_join(x->tid, NULL);
		pthread_cond_destroy(&x->cv);
		pthread_mutex_destroy(&x->mu);
	}
	free(x->buf2);
	if (x->fd >= 0)
		close(x->fd);
	if (x->zs_ready)
		deflateEnd(&x->zs);
	free(x->zout);
	for (i = 0; i < x->nsheets; i++)
		free(x->sheets[i].name);
	free(x->sheets);
	free(x->buf);
	free(x->path);
	free(x);
}

/* ---- packing ---- */

/* A growing string for the small parts. */
struct sb {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *np = realloc(b->p, cap);

		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_int(struct sb *b, int64_t v)
{
	char num[XW_NUMBUF];

	sb_add(b, num, xw_fmt_int(num, v));
}

/* s escaped for an attribute value. */
static void sb_attr(struct sb *b, const char *s)
{
	for (; *s && !b->oom; s++) {
		switch (*s) {
		case '&': sb_str(b, "&amp;"); break;
		case '<': sb_str(b, "&lt;"); break;
		case '>': sb_str(b, "&gt;"); break;
		case '"': sb_str(b, "&quot;"); break;
		default: sb_add(b, s, 1);
		}
	}
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char STYLES[] =
	XML_DECL
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"¥#,##0.00\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
	"<fonts count=\"2\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/>"
	"<family val=\"2\"/><scheme val=\"minor\"/></font><font><b/><sz val=\"11\"/>"
	"<color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/>"
	"</font></fonts>"
	"<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
	"<fill><patternFill patternType=\"gray125\"/></fill></fills>"
	"<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border>"
	"</borders>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
	"</cellStyleXfs>"
	"<cellXfs count=\"7\">"
	/* XW_PLAIN */
	"<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
	/* XW_BOLD */
	"<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
	/* XW_TEXT */
	"<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
	"applyNumberFormat=\"1\"/>"
	/* XW_MONEY */
	"<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
	"applyNumberFormat=\"1\"/>"
	/* XW_BOLD_MONEY */
	"<xf numFmtId=\"164\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
	"applyNumberFormat=\"1\" applyFont=\"1\"/>"
	/* XW_INTEGER */
	"<xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
	"applyNumberFormat=\"1\"/>"
	/* XW_DATE */
	"<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
	"applyNumberFormat=\"1\"/>"
	"</cellXfs>"
	"<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
	"</cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>";

static const char ROOT_RELS[] =
	XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static void content_types(struct sb *b, size_t nsheets)
{
	size_t i;

	sb_str(b, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		  "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
		  "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
		  "ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
		  "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
		  "sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\""
		  "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
	for (i = 0; i < nsheets; i++) {
		sb_str(b, "<Override PartName=\"/xl/worksheets/sheet");
		sb_int(b, (int64_t)i + 1);
		sb_str(b, ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
			  "spreadsheetml.worksheet+xml\"/>");
	}
	sb_str(b, "</Types>");
}

static void workbook(struct sb *b, const struct xw *x)
{
	size_t i;

	sb_str(b, XML_DECL "<workbook xmlns=\"");
	sb_str(b, NS_MAIN);
	sb_str(b, "\" xmlns:r=\"");
	sb_str(b, NS_REL);
	sb_str(b, "\"><bookViews><workbookView/></bookViews><sheets>");
	for (i = 0; i < x->nsheets; i++) {
		sb_str(b, "<sheet name=\"");
		sb_attr(b, x->sheets[i].name);
		sb_str(b, "\" sheetId=\"");
		sb_int(b, (int64_t)i + 1);
		sb_str(b, "\" r:id=\"rId");
		sb_int(b, (int64_t)i + 1);
		sb_str(b, "\"/>");
	}
	/* Excel recalculates on load; the cached values are for readers that do not */
	sb_str(b, "</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
}

static void workbook_rels(struct sb *b, size_t nsheets)
{
	size_t i;

	sb_str(b, XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
		  "2006/relationships\">");
	for (i = 0; i < nsheets; i++) {
		sb_str(b, "<Relationship Id=\"rId");
		sb_int(b, (int64_t)i + 1);
		sb_str(b, "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
			  "relationships/worksheet\" Target=\"worksheets/sheet");
		sb_int(b, (int64_t)i + 1);
		sb_str(b, ".xml\"/>");
	}
	sb_str(b, "<Relationship Id=\"rId");
	sb_int(b, (int64_t)nsheets + 1);
	sb_str(b, "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
		  "styles\" Target=\"styles.xml\"/></Relationships>");
}

/* A libzip source of one sheet: its deflated range of the temporary file. */
struct range_src {
	int fd;
	uint64_t off, len, pos;  /* len: the deflated size */
	uint64_t ulen;
	uint32_t crc;
	char *ahead;             /* read-ahead buffer */
	size_t ahead_len, ahead_pos;
	time_t mtime;
	zip_error_t err;
};

static zip_int64_t range_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct range_src *r = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->pos = 0;
		r->ahead_len = r->ahead_pos = 0;
		if (!r->ahead && !(r->ahead = malloc(READ_CAP))) {
			zip_error_set(&r->err, ZIP_ER_MEMORY, 0);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t done = 0;

		while (done < len && (r->ahead_pos < r->ahead_len || r->pos < r->len)) {
			size_t k;

			if (r->ahead_pos == r->ahead_len) { /* refill */
				uint64_t want = r->len - r->pos;
				ssize_t got;

				if (want > READ_CAP)
					want = READ_CAP;
				got = pread(r->fd, r->ahead, (size_t)want, (off_t)(r->off + r->pos));
				if (got < 0 && errno == EINTR)
					continue;
				if (got <= 0) {
					zip_error_set(&r->err, ZIP_ER_READ, got < 0 ? errno : EIO);
					return -1;
				}
				r->pos += (uint64_t)got;
				r->ahead_len = (size_t)got;
				r->ahead_pos = 0;
			}
			k = r->ahead_len - r->ahead_pos;
			if (k > len - done)
				k = (size_t)(len - done);
			memcpy((char *)data + done, r->ahead + r->ahead_pos, k);
			r->ahead_pos += k;
			done += k;
		}
		return (zip_int64_t)done;
	}
	case ZIP_SOURCE_CLOSE:
		free(r->ahead);
		r->ahead = NULL;
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		if (len < sizeof(*st)) {
			zip_error_set(&r->err, ZIP_ER_INVAL, 0);
			return -1;
		}
		zip_stat_init(st);
		st->size = r->ulen;
		st->comp_size = r->len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = r->crc;
		st->mtime = r->mtime;
		st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
			     ZIP_STAT_CRC | ZIP_STAT_MTIME;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->err, data, len);
	case ZIP_SOURCE_FREE:
		free(r->ahead);
		free(r);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Adds name with src (taken over, also on failure); deflate level 1 unless src is
 * already compressed (compress 0). */
static int add_part(zip_t *z, const char *name, zip_source_t *src, int compress)
{
	zip_int64_t idx;

	if (!src)
		return -1;
	idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return -1;
	}
	return compress ? zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
						   DEFLATE_LEVEL)
			: 0;
}

/* Adds a small part built in memory (b's text handed to libzip). */
static int add_text(zip_t *z, const char *name, struct sb *b)
{
	zip_source_t *src;

	if (b->oom)
		return -1;
	src = zip_source_buffer(z, b->p, b->len, 1);
	if (!src)
		return -1;
	b->p = NULL; /* libzip frees it */
	return add_part(z, name, src, 1);
}

static enum tp_rc pack(struct xw *x)
{
	struct sb parts[3] = {{0}};
	time_t now = time(NULL);
	zip_t *z;
	int zerr = 0, bad = 0;
	size_t i;

	z = zip_open(x->path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		return zerr == ZIP_ER_MEMORY ? TP_ERR_NOMEM : TP_ERR_IO;
	content_types(&parts[0], x->nsheets);
	workbook(&parts[1], x);
	workbook_rels(&parts[2], x->nsheets);
	bad |= add_text(z, "[Content_Types].xml", &parts[0]) < 0;
	bad |= add_part(z, "_rels/.rels",
			zip_source_buffer(z, ROOT_RELS, sizeof(ROOT_RELS) - 1, 0), 1) < 0;
	bad |= add_text(z, "xl/workbook.xml", &parts[1]) < 0;
	bad |= add_text(z, "xl/_rels/workbook.xml.rels", &parts[2]) < 0;
	bad |= add_part(z, "xl/styles.xml", zip_source_buffer(z, STYLES, sizeof(STYLES) - 1, 0),
			1) < 0;
	for (i = 0; i < 3; i++)
		free(parts[i].p);
	for (i = 0; i < x->nsheets && !bad; i++) {
		struct range_src *r = calloc(1, sizeof(*r));
		zip_source_t *src = NULL;
		char name[48];

		if (r) {
			r->fd = x->fd;
			r->off = x->sheets[i].off;
			r->len = x->sheets[i].clen;
			r->ulen = x->sheets[i].ulen;
			r->crc = x->sheets[i].crc;
			r->mtime = now;
			zip_error_init(&r->err);
			src = zip_source_function(z, range_cb, r);
			if (!src)
				free(r);
		}
		snprintf(name, sizeof(name), "xl/worksheets/sheet%zu.xml", i + 1);
		bad |= add_part(z, name, src, 0) < 0;
	}
	if (bad) {
		int ze = zip_error_code_zip(zip_get_error(z));

		zip_discard(z);
		return ze == ZIP_ER_MEMORY ? TP_ERR_NOMEM : TP_ERR_IO;
	}
	if (zip_close(z) < 0) {
		int ze = zip_error_code_zip(zip_get_error(z));

		zip_discard(z);
		return ze == ZIP_ER_MEMORY ? TP_ERR_NOMEM : TP_ERR_IO;
	}
	return TP_OK;
}

enum tp_rc xw_close(struct xw *x)
{
	enum tp_rc rc;

	if (!x)
		return TP_ERR_INVALID;
	end_sheet(x);
	if (x->err == TP_OK && x->nsheets == 0)
		fail(x, TP_ERR_INVALID);
	rc = x->err;
	if (rc == TP_OK)
		rc = pack(x);
	if (rc != TP_OK)
		unlink(x->path);
	xw_discard(x);
	return rc;
}
