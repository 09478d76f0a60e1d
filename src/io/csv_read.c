/*
 * csv_read.c — RFC 4180 CSV rows from a buffer held whole in memory.
 *
 * A small hand-written parser rather than libcsv: libcsv pushes fields through
 * callbacks, while table_next pulls one row at a time, needs the record number
 * for messages, per-cell and per-row caps enforced as bytes arrive, and the row
 * where an unterminated quote began. Over a buffer already in memory all of that
 * is a few dozen lines.
 *
 * Leniency: LF, CRLF and a lone CR all end a record; a quote inside an unquoted
 * field is kept as text (Excel does the same). Strict: text after a closing
 * quote, an unterminated quote and NUL bytes are errors.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "io/table_int.h"

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq_len(s + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Converts GB18030 to UTF-8 into r->conv; 0 on success, -1 if not clean GB18030. */
static int from_gb18030(struct table_reader *r, const unsigned char *buf, size_t len,
			size_t *outlen)
{
	/* Each GB18030 sequence grows by at most half in UTF-8 (2 -> 3 bytes). */
	size_t cap = len + len / 2 + 4, inleft = len, outleft = cap;
	char *in = (char *)buf, *out;
	iconv_t cd;
	size_t rc;

	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return -1;
	r->conv = malloc(cap);
	if (!r->conv) {
		iconv_close(cd);
		return -2;
	}
	out = r->conv;
	rc = iconv(cd, &in, &inleft, &out, &outleft);
	if (rc != (size_t)-1)
		rc = iconv(cd, NULL, NULL, &out, &outleft);
	iconv_close(cd);
	if (rc == (size_t)-1 || inleft != 0)
		return -1;
	*outlen = cap - outleft;
	return 0;
}

enum tp_rc csv_open(struct table_reader *r, const unsigned char *buf, size_t len)
{
	size_t clen;
	int rc;

	if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF)))
		return table_fail(r, TP_ERR_UNSUPPORTED,
				  "UTF-16 CSV is not supported; save as CSV UTF-8");
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		buf += 3;
		len -= 3;
	}
	if (!utf8_valid(buf, len)) {
		rc = from_gb18030(r, buf, len, &clen);
		if (rc == -2)
			return table_fail(r, TP_ERR_NOMEM, "out of memory");
		if (rc != 0)
			return table_fail(r, TP_ERR_INVALID, "not UTF-8 or GB18030");
		r->gb18030 = 1;
		buf = (const unsigned char *)r->conv;
		len = clen;
	}
	if (memchr(buf, '\0', len))
		return table_fail(r, TP_ERR_INVALID, "NUL byte in CSV; not a text file");
	r->p = (const char *)buf;
	r->end = (const char *)buf + len;
	return TP_OK;
}

static int too_big_cell(struct table_reader *r, size_t col)
{
	table_fail(r, TP_ERR_TOO_LARGE, "row %zu column %zu: cell longer than %zu bytes",
		   r->rownum, col + 1, TABLE_MAX_CELL);
	return -1;
}

static int nomem(struct table_reader *r)
{
	table_fail(r, TP_ERR_NOMEM, "out of memory");
	return -1;
}

/* Appends s[0..n) to the open cell of column col, within the cell cap. */
static int cell_add(struct table_reader *r, size_t col, const char *s, size_t n)
{
	struct table_row *row = &r->row;

	if (row->len - row->cell_start + n > TABLE_MAX_CELL)
		return too_big_cell(r, col);
	if (col >= TABLE_MAX_COLS)
		return 0; /* kept only to check it stays empty */
	return trow_append(row, s, n) ? nomem(r) : 0;
}

/* Parses one field at r->p for column col; leaves r->p at its delimiter. */
static int parse_field(struct table_reader *r, size_t col, size_t *flen)
{
	const char *p = r->p, *end = r->end, *run;
	size_t start_row = r->rownum, total = 0;

	if (p < end && *p == '"') {
		p++;
		for (;;) {
			run = p;
			while (p < end && *p != '"')
				p++;
			if (cell_add(r, col, run, (size_t)(p - run)))
				return -1;
			total += (size_t)(p - run);
			if (p == end) {
				table_fail(r, TP_ERR_INVALID,
					   "row %zu: quoted field never closed", start_row);
				return -1;
			}
			if (p + 1 < end && p[1] == '"') {
				if (cell_add(r, col, "\"", 1))
					return -1;
				total++;
				p += 2;
				continue;
			}
			p++;
			break;
		}
		if (p < end && *p != ',' && *p != '\r' && *p != '\n') {
			table_fail(r, TP_ERR_INVALID,
				   "row %zu column %zu: text after the closing quote",
				   start_row, col + 1);
			return -1;
		}
	} else {
		run = p;
		while (p < end && *p != ',' && *p != '\r' && *p != '\n')
			p++;
		total = (size_t)(p - run);
		if (cell_add(r, col, run, total))
			return -1;
	}
	r->p = p;
	*flen = total;
	return 0;
}

/* Parses one record; 1 if one was read, 0 at end of input, -1 on error. */
static int parse_record(struct table_reader *r)
{
	struct table_row *row = &r->row;
	size_t col = 0, flen;

	if (r->p >= r->end)
		return 0;
	trow_clear(row);
	r->rownum++;
	for (;;) {
		if (parse_field(r, col, &flen))
			return -1;
		if (col >= TABLE_MAX_COLS && flen > 0) {
			table_fail(r, TP_ERR_TOO_LARGE, "row %zu: more than %d columns",
				   r->rownum, TABLE_MAX_COLS);
			return -1;
		}
		if (col < TABLE_MAX_COLS && trow_end_cell(row, col, 0))
			return nomem(r);
		col++;
		if (r->p == r->end)
			return 1;
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p == '\r') {
			r->p++;
			if (r->p < r->end && *r->p == '\n')
				r->p++;
		} else {
			r->p++; /* '\n' */
		}
		return 1;
	}
}

int csv_next(struct table_reader *r)
{
	for (;;) {
		int got = parse_record(r), nonempty;

		if (got <= 0)
			return got;
		nonempty = trow_build(&r->row);
		if (nonempty < 0)
			return nomem(r);
		if (nonempty)
			return 1;
	}
}
