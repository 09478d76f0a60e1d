/*
 * evidence_check.c — what an uploaded evidence file is, from its bytes alone
 * (evidence.h: evidence_check).  Pure: no I/O, no allocation.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/evidence.h"

#define HEAD_SCAN 1024 /* bytes searched for markup; the window a PDF's %%EOF must be in */
#define MAX_PIXELS (100LL * 1000 * 1000) /* decompression bombs: 100 megapixels at most */

const char *evidence_type_mime(enum evidence_type t)
{
	switch (t) {
	case EVIDENCE_PDF: return "application/pdf";
	case EVIDENCE_JPEG: return "image/jpeg";
	case EVIDENCE_PNG: return "image/png";
	case EVIDENCE_NONE: break;
	}
	return NULL;
}

const char *evidence_type_ext(enum evidence_type t)
{
	switch (t) {
	case EVIDENCE_PDF: return "pdf";
	case EVIDENCE_JPEG: return "jpg";
	case EVIDENCE_PNG: return "png";
	case EVIDENCE_NONE: break;
	}
	return NULL;
}

enum evidence_type evidence_type_parse(const char *mime)
{
	for (int t = EVIDENCE_PDF; t <= EVIDENCE_PNG; t++)
		if (mime && strcmp(mime, evidence_type_mime((enum evidence_type)t)) == 0)
			return (enum evidence_type)t;
	return EVIDENCE_NONE;
}

/* Fills why and returns EVIDENCE_NONE. */
static enum evidence_type refuse(struct evidence_refusal *why, const char *code, const char *zh,
				 const char *en)
{
	why->code = code;
	snprintf(why->zh, sizeof why->zh, "%s", zh);
	snprintf(why->en, sizeof why->en, "%s", en);
	return EVIDENCE_NONE;
}

/* memmem for a case-insensitive ASCII needle. */
static const unsigned char *find_ci(const unsigned char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);
	for (size_t i = 0; nn && i + nn <= hn; i++)
		if (strncasecmp((const char *)h + i, needle, nn) == 0)
			return h + i;
	return NULL;
}

static const unsigned char *find(const unsigned char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);
	return nn <= hn ? memmem(h, hn, needle, nn) : NULL;
}

static int is_ws(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/* ---- PDF ---- */

static int pdf_delim(unsigned c)
{
	return is_ws(c) || strchr("()<>[]{}/%", (int)c) != NULL;
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? (int)c - 'a' + 10 : -1;
}

/* 1 when the PDF names an action or attachment a reader could run or open (the names
 * outside compressed streams; #xx escapes decoded). */
static int pdf_active(const unsigned char *d, size_t len)
{
	static const char *const bad[] = {"JavaScript", "JS", "Launch", "EmbeddedFile",
					  "EmbeddedFiles", "RichMedia"};
	for (size_t i = 0; i < len; i++) {
		if (d[i] != '/')
			continue;
		char name[24];
		size_t k = 0, j = i + 1;
		while (j < len && !pdf_delim(d[j]) && k < sizeof name - 1) {
			int h1, h2;
			if (d[j] == '#' && j + 2 < len && (h1 = hexval(d[j + 1])) >= 0 &&
			    (h2 = hexval(d[j + 2])) >= 0) {
				name[k++] = (char)(h1 * 16 + h2);
				j += 3;
			} else {
				name[k++] = (char)d[j++];
			}
		}
		name[k] = '\0';
		if (j < len && !pdf_delim(d[j]))
			continue; /* longer than any name we look for */
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
			if (strcmp(name, bad[b]) == 0)
				return 1;
	}
	return 0;
}

static enum evidence_type check_pdf(const unsigned char *d, size_t len,
				    struct evidence_refusal *why)
{
	size_t from = len > HEAD_SCAN ? len - HEAD_SCAN : 0;
	const unsigned char *eof = NULL;
	for (const unsigned char *p = d + from; (p = find(p, (size_t)(d + len - p), "%%EOF"));
	     p += 5)
		eof = p;
	if (!eof)
		return refuse(why, "pdf_truncated",
			      "PDF 文件不完整：末尾 1024 字节内没有 %%EOF 结束标记（文件可能被截断）",
			      "the PDF is incomplete: no %%EOF in its last 1024 bytes (truncated?)");
	for (const unsigned char *p = eof + 5; p < d + len; p++)
		if (!is_ws(*p))
			return refuse(why, "pdf_trailing",
				      "PDF 结束标记 %%EOF 之后还有其他数据（可能是伪装的复合文件）",
				      "there is data after the PDF's final %%EOF (a polyglot?)");
	if (pdf_active(d, len))
		return refuse(why, "pdf_active_content",
			      "PDF 含有脚本、启动动作、嵌入文件或富媒体，不予接收，请打印为普通 PDF 后重新上传",
			      "the PDF holds JavaScript, a launch action, an embedded file or rich "
			      "media; print it to a plain PDF and upload that");
	return EVIDENCE_PDF;
}

/* ---- JPEG ---- */

static enum evidence_type jpeg_bad(struct evidence_refusal *why, const char *en_detail)
{
	why->code = "jpeg_bad";
	snprintf(why->zh, sizeof why->zh, "JPEG 文件结构损坏或不是真正的 JPEG 图片（%s）",
		 en_detail);
	snprintf(why->en, sizeof why->en, "the JPEG is damaged or not a real JPEG image (%s)",
		 en_detail);
	return EVIDENCE_NONE;
}

static enum evidence_type jpeg_no_eoi(struct evidence_refusal *why)
{
	return refuse(why, "jpeg_no_eoi", "JPEG 图片不完整：没有结束标记 FF D9（文件可能被截断）",
		      "the JPEG is incomplete: no end-of-image marker FF D9 (truncated?)");
}

static enum evidence_type check_jpeg(const unsigned char *d, size_t len,
				     struct evidence_refusal *why)
{
	size_t p = 2;
	int sof = 0, sos = 0;
	for (;;) {
		if (p >= len)
			return jpeg_no_eoi(why);
		if (d[p] != 0xFF)
			return jpeg_bad(why, "a byte where a marker should be");
		while (p < len && d[p] == 0xFF)
			p++; /* fill bytes */
		if (p >= len)
			return jpeg_no_eoi(why);
		unsigned m = d[p++];
		if (m == 0xD9) {
			if (!sof || !sos)
				return jpeg_bad(why, "no frame or no scan before the end marker");
			if (p != len)
				return jpeg_bad(why, "data after the end marker");
			return EVIDENCE_JPEG;
		}
		if (m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7))
			return jpeg_bad(why, "a marker out of place");
		if (m < 0xC0)
			return jpeg_bad(why, "an unknown marker");
		if (p + 2 > len)
			return jpeg_no_eoi(why);
		size_t seg = (size_t)d[p] << 8 | d[p + 1];
		if (seg < 2)
			return jpeg_bad(why, "a segment length below 2");
		if (p + seg > len)
			return jpeg_no_eoi(why);
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (seg < 8)
				return jpeg_bad(why, "a short frame header");
			long long h = d[p + 3] << 8 | d[p + 4], w = d[p + 5] << 8 | d[p + 6];
			if (w == 0 || h * w > MAX_PIXELS)
				return jpeg_bad(why, "image dimensions out of range");
			sof = 1;
		}
		p += seg;
		if (m != 0xDA)
			continue;
		if (!sof)
			return jpeg_bad(why, "a scan before the frame header");
		sos = 1;
		/* entropy-coded data: up to the next marker that is not stuffing or a restart */
		while (p < len) {
			if (d[p] != 0xFF) {
				p++;
				continue;
			}
			if (p + 1 >= len)
				return jpeg_no_eoi(why);
			unsigned n = d[p + 1];
			if (n == 0x00 || (n >= 0xD0 && n <= 0xD7))
				p += 2;
			else if (n == 0xFF)
				p++;
			else
				break;
		}
	}
}

/* ---- PNG ---- */

static uint32_t crc_table[256];
static int crc_ready;

static uint32_t crc32_of(const unsigned char *b, size_t n)
{
	if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE)) {
		/* idempotent: threads racing here write the same values */
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			__atomic_store_n(&crc_table[i], c, __ATOMIC_RELAXED);
		}
		__atomic_store_n(&crc_ready, 1, __ATOMIC_RELEASE);
	}
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ b[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static enum evidence_type png_bad(struct evidence_refusal *why, const char *en_detail)
{
	why->code = "png_bad";
	snprintf(why->zh, sizeof why->zh, "PNG 文件结构损坏或不是真正的 PNG 图片（%s）",
		 en_detail);
	snprintf(why->en, sizeof why->en, "the PNG is damaged or not a real PNG image (%s)",
		 en_detail);
	return EVIDENCE_NONE;
}

static int ihdr_ok(const unsigned char *c)
{
	uint32_t w = be32(c), h = be32(c + 4);
	unsigned depth = c[8], ct = c[9];
	if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu ||
	    (long long)w * h > MAX_PIXELS)
		return 0;
	int ok;
	switch (ct) {
	case 0: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
	case 3: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
	case 2: case 4: case 6: ok = depth == 8 || depth == 16; break;
	default: ok = 0;
	}
	return ok && c[10] == 0 && c[11] == 0 && c[12] <= 1;
}

static enum evidence_type check_png(const unsigned char *d, size_t len,
				    struct evidence_refusal *why)
{
	size_t p = 8;
	int idat = 0;
	for (int first = 1;; first = 0) {
		if (p == len || (first && p + 12 > len))
			return refuse(why, "png_no_iend",
				      "PNG 图片不完整：没有结束块 IEND（文件可能被截断）",
				      "the PNG is incomplete: no IEND chunk (truncated?)");
		if (p + 12 > len)
			return png_bad(why, "a chunk header cut short");
		uint32_t n = be32(d + p);
		const unsigned char *type = d + p + 4;
		if (n > 0x7FFFFFFFu || n > len - p - 12)
			return png_bad(why, "a chunk runs past the end of the file");
		for (int k = 0; k < 4; k++)
			if (!((type[k] | 0x20) >= 'a' && (type[k] | 0x20) <= 'z'))
				return png_bad(why, "a chunk type that is not four letters");
		if (crc32_of(type, n + 4) != be32(type + 4 + n))
			return refuse(why, "png_bad_crc",
				      "PNG 图片的数据块校验（CRC）不符：文件已损坏或被改动",
				      "a PNG chunk's CRC does not match: the file is damaged or altered");
		if (first && (memcmp(type, "IHDR", 4) != 0 || n != 13))
			return png_bad(why, "the first chunk is not a 13-byte IHDR");
		if (first && !ihdr_ok(type + 4))
			return png_bad(why, "the image header has impossible values");
		if (!first && memcmp(type, "IHDR", 4) == 0)
			return png_bad(why, "a second IHDR");
		if (memcmp(type, "IDAT", 4) == 0)
			idat = 1;
		p += 12 + (size_t)n;
		if (memcmp(type, "IEND", 4) == 0) {
			if (n != 0 || !idat)
				return png_bad(why, "an IEND with data, or no image data before it");
			if (p != len)
				return png_bad(why, "data after the IEND chunk");
			return EVIDENCE_PNG;
		}
	}
}

/* ---- everything else: name the family ---- */

static int starts(const unsigned char *d, size_t len, const void *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

/* 1 when the first bytes are text (UTF-8 or ASCII, with line breaks and tabs). */
static int looks_text(const unsigned char *d, size_t len)
{
	size_t n = len < HEAD_SCAN ? len : HEAD_SCAN;
	for (size_t i = 0; i < n; i++) {
		unsigned c = d[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			return 0;
		if (c == 0x7F)
			return 0;
	}
	return 1;
}

static enum evidence_type name_family(const unsigned char *d, size_t len,
				      struct evidence_refusal *why)
{
	static const unsigned char macho[][4] = {{0xFE, 0xED, 0xFA, 0xCE}, {0xFE, 0xED, 0xFA, 0xCF},
						 {0xCE, 0xFA, 0xED, 0xFE}, {0xCF, 0xFA, 0xED, 0xFE},
						 {0xCA, 0xFE, 0xBA, 0xBE}};
	int exe = starts(d, len, "MZ", 2) || starts(d, len, "\x7f" "ELF", 4) ||
		  starts(d, len, "#!", 2);
	for (size_t i = 0; i < sizeof macho / sizeof macho[0]; i++)
		exe |= starts(d, len, macho[i], 4);
	if (exe)
		return refuse(why, "executable",
			      "这是可执行程序或脚本（Windows、Linux 或 macOS），不是 PDF、JPEG 或 PNG，不论文件名是什么",
			      "this is an executable or script (Windows, Linux or macOS), not a PDF, "
			      "JPEG or PNG, whatever its name says");
	if (starts(d, len, "PK\x03\x04", 4) || starts(d, len, "PK\x05\x06", 4) ||
	    starts(d, len, "\x1f\x8b", 2) || starts(d, len, "7z\xbc\xaf\x27\x1c", 6) ||
	    starts(d, len, "Rar!\x1a\x07", 6))
		return refuse(why, "archive",
			      "这是压缩包或 Office 文档（zip、docx、xlsx、gz、7z、rar），请转为 PDF 后上传",
			      "this is an archive or an Office document (zip, docx, xlsx, gz, 7z, "
			      "rar); convert it to PDF and upload that");
	if (starts(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return refuse(why, "office",
			      "这是旧版 Office 文档（doc、xls），请转为 PDF 后上传",
			      "this is an old Office document (doc, xls); convert it to PDF and "
			      "upload that");
	if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6) ||
	    starts(d, len, "BM", 2) || starts(d, len, "II*\0", 4) ||
	    starts(d, len, "MM\0*", 4) || (len >= 12 && starts(d, len, "RIFF", 4) &&
					  memcmp(d + 8, "WEBP", 4) == 0))
		return refuse(why, "image_other",
			      "只接收 JPEG 和 PNG 图片（这是 GIF、BMP、TIFF 或 WebP），请转换后上传",
			      "only JPEG and PNG images are accepted (this is GIF, BMP, TIFF or "
			      "WebP); convert it and upload that");
	if (looks_text(d, len))
		return refuse(why, "text",
			      "这是文本文件或脚本（如 JS、CSV、TXT），只接收 PDF、JPEG 或 PNG",
			      "this is a text file or a script (JS, CSV, TXT ...); only PDF, JPEG "
			      "and PNG are accepted");
	return refuse(why, "unknown",
		      "无法识别的文件内容：只接收 PDF、JPEG 或 PNG（按内容判断，不看文件名）",
		      "unrecognised content: only PDF, JPEG and PNG are accepted (judged by "
		      "the content, not the name)");
}

/* 1 when the file starts with markup (after a BOM and white space) or has HTML/SVG/script
 * markers in its first bytes. */
static int has_markup(const unsigned char *d, size_t len)
{
	size_t i = 0;
	if (starts(d, len, "\xef\xbb\xbf", 3))
		i = 3;
	else if (starts(d, len, "\xff\xfe", 2) || starts(d, len, "\xfe\xff", 2))
		i = 2;
	while (i < len && (is_ws(d[i]) && d[i] != '\0'))
		i++;
	if (i < len && d[i] == '<')
		return 1;
	if (i + 1 < len && d[i + 1] == '<' && (d[i] == '\0')) /* UTF-16 big-endian "<" */
		return 1;
	static const char *const markers[] = {"<html", "<script", "<svg", "<!doctype", "<iframe",
					      "<body", "<object", "<embed", "<head",
					      "javascript:"};
	size_t n = len < HEAD_SCAN ? len : HEAD_SCAN;
	for (size_t k = 0; k < sizeof markers / sizeof markers[0]; k++)
		if (find_ci(d, n, markers[k]))
			return 1;
	return 0;
}

enum evidence_type evidence_check(const void *data, size_t len, int64_t app_total,
				  int64_t file_max, int64_t app_max, struct evidence_refusal *why)
{
	const unsigned char *d = data;
	why->code = "";
	why->zh[0] = why->en[0] = '\0';
	if (!d || len == 0)
		return refuse(why, "empty", "文件为空（0 字节）", "the file is empty (0 bytes)");
	if ((uint64_t)len > (uint64_t)file_max) {
		why->code = "too_large";
		snprintf(why->zh, sizeof why->zh, "文件 %zu 字节，超过单个文件上限 %lld 字节（%lld MB）",
			 len, (long long)file_max, (long long)(file_max >> 20));
		snprintf(why->en, sizeof why->en,
			 "the file has %zu bytes, above the limit of %lld bytes (%lld MB) per file",
			 len, (long long)file_max, (long long)(file_max >> 20));
		return EVIDENCE_NONE;
	}
	if (app_total < 0 || app_total > app_max || (int64_t)len > app_max - app_total) {
		why->code = "application_full";
		snprintf(why->zh, sizeof why->zh,
			 "本申请的材料已有 %lld 字节，加上此文件 %zu 字节将超过每个申请 %lld 字节（%lld MB）的上限",
			 (long long)app_total, len, (long long)app_max, (long long)(app_max >> 20));
		snprintf(why->en, sizeof why->en,
			 "the application's files hold %lld bytes; this file's %zu bytes would pass "
			 "the limit of %lld bytes (%lld MB) per application",
			 (long long)app_total, len, (long long)app_max, (long long)(app_max >> 20));
		return EVIDENCE_NONE;
	}
	if (has_markup(d, len))
		return refuse(why, "html",
			      "文件含有 HTML、SVG、XML 或脚本内容，不论文件名是什么都不予接收",
			      "the file holds HTML, SVG, XML or script markup; refused whatever its "
			      "name says");
	if (len >= 8 && (starts(d, len, "%PDF-1.", 7) || starts(d, len, "%PDF-2.", 7)) &&
	    d[7] >= '0' && d[7] <= '9')
		return check_pdf(d, len, why);
	if (starts(d, len, "%PDF-", 5))
		return refuse(why, "pdf_version",
			      "PDF 版本号无效：文件头应为 %PDF-1.x 或 %PDF-2.x",
			      "the PDF version is not valid: the header must be %PDF-1.x or %PDF-2.x");
	if (find(d, len < HEAD_SCAN ? len : HEAD_SCAN, "%PDF-"))
		return refuse(why, "pdf_offset",
			      "PDF 文件头不在文件开头（前面有其他数据，可能是伪装的复合文件）",
			      "the PDF header is not at the start of the file (something precedes "
			      "it: a polyglot?)");
	if (starts(d, len, "\xff\xd8\xff", 3))
		return check_jpeg(d, len, why);
	if (starts(d, len, "\x89PNG\r\n\x1a\n", 8))
		return check_png(d, len, why);
	return name_family(d, len, why);
}
