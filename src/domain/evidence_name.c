/*
 * evidence_name.c — the display name of an uploaded file (evidence.h:
 * evidence_clean_name).  Pure.  The name is shown and offered on download; it never
 * names anything on disk.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "domain/evidence.h"

static int refuse(struct evidence_refusal *why, const char *code, const char *zh,
		  const char *en)
{
	why->code = code;
	snprintf(why->zh, sizeof why->zh, "%s", zh);
	snprintf(why->en, sizeof why->en, "%s", en);
	return -1;
}

static unsigned decode(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0];
	unsigned cp = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	return cp;
}

static int is_bidi(unsigned cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 when the extension after the last dot of name[0..n) is one of type's. */
static int ext_matches(const char *name, size_t n, enum evidence_type type)
{
	static const char *const pdf[] = {"pdf", NULL};
	static const char *const jpeg[] = {"jpg", "jpeg", "jpe", "jfif", NULL};
	static const char *const png[] = {"png", NULL};
	const char *const *exts = type == EVIDENCE_PDF ? pdf : type == EVIDENCE_JPEG ? jpeg : png;
	const char *dot = NULL;
	for (size_t i = 1; i < n; i++) /* a leading dot starts no extension */
		if (name[i] == '.')
			dot = name + i;
	if (!dot)
		return 0;
	size_t el = (size_t)(name + n - dot - 1);
	for (size_t i = 0; exts[i]; i++)
		if (el == strlen(exts[i]) && strncasecmp(dot + 1, exts[i], el) == 0)
			return 1;
	return 0;
}

int evidence_clean_name(const char *raw, size_t rawlen, enum evidence_type type, char *out,
			size_t outlen, struct evidence_refusal *why)
{
	const char *ext = evidence_type_ext(type);
	why->code = "";
	why->zh[0] = why->en[0] = '\0';
	if (!ext || outlen < EVIDENCE_NAME_MAX + 1)
		return refuse(why, "name_internal", "内部错误", "internal error");
	if (!raw || rawlen == 0) {
		snprintf(out, outlen, "file.%s", ext);
		return 0;
	}
	if (memchr(raw, '\0', rawlen))
		return refuse(why, "name_nul", "文件名含有空字符（NUL）",
			      "the file name contains a NUL character");
	const unsigned char *s = (const unsigned char *)raw;
	size_t start = 0;
	for (size_t i = 0; i < rawlen;) {
		size_t k = utf8_seq_len(s + i, rawlen - i);
		if (k == 0)
			return refuse(why, "name_utf8", "文件名不是有效的 UTF-8 文本",
				      "the file name is not valid UTF-8");
		unsigned cp = decode(s + i, k);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			return refuse(why, "name_control", "文件名含有控制字符",
				      "the file name contains control characters");
		if (is_bidi(cp))
			return refuse(why, "name_bidi",
				      "文件名含有文字方向控制字符（可用来把 exe 伪装成 jpg 等）",
				      "the file name contains bidirectional control characters "
				      "(they can disguise an .exe as a .jpg)");
		if (cp == '/' || cp == '\\')
			start = i + 1;
		i += k;
	}
	/* the last path component, trimmed */
	size_t b = start, e = rawlen;
	while (b < e && (raw[b] == ' ' || raw[b] == '\t'))
		b++;
	while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\t' || raw[e - 1] == '.'))
		e--; /* trailing dots too: "a.pdf." would hide the extension on Windows */
	size_t n = e - b;
	if (n == 0 || (n == 1 && raw[b] == '.') || (n == 2 && raw[b] == '.' && raw[b + 1] == '.'))
		return refuse(why, "name_traversal", "文件名无效：去掉路径后不是一个文件名",
			      "the file name is not a name once its path is removed");
	int add_ext = !ext_matches(raw + b, n, type);
	size_t total = n + (add_ext ? 1 + strlen(ext) : 0);
	if (total > EVIDENCE_NAME_MAX) {
		why->code = "name_too_long";
		snprintf(why->zh, sizeof why->zh, "文件名过长：去掉路径后 %zu 字节，上限 %d 字节", total,
			 EVIDENCE_NAME_MAX);
		snprintf(why->en, sizeof why->en,
			 "the file name is too long: %zu bytes without its path, at most %d", total,
			 EVIDENCE_NAME_MAX);
		return -1;
	}
	memcpy(out, raw + b, n);
	if (add_ext)
		snprintf(out + n, outlen - n, ".%s", ext);
	else
		out[n] = '\0';
	return 0;
}
