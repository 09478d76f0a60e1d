#include "core/jsonw.h"

#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jw *w)
{
	memset(w, 0, sizeof(*w));
	w->first[0] = 1;
}

static int reserve(struct jw *w, size_t more)
{
	if (w->oom)
		return -1;
	if (w->len + more + 1 <= w->cap)
		return 0;
	size_t cap = w->cap ? w->cap : 1024;
	while (cap < w->len + more + 1)
		cap *= 2;
	char *nb = realloc(w->buf, cap);
	if (!nb) {
		w->oom = 1;
		return -1;
	}
	w->buf = nb;
	w->cap = cap;
	return 0;
}

static inline void put(struct jw *w, const char *s, size_t n)
{
	if (w->len + n + 1 <= w->cap || reserve(w, n) == 0) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

/* Writes the separator a new value needs at the current position. */
static void sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = 0;
}

static void begin_(struct jw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		w->oom = 1;
		return;
	}
	w->first[++w->depth] = 1;
}

static void end_(struct jw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	else
		w->oom = 1;
	put(w, &c, 1);
}

void jw_obj_begin(struct jw *w) { begin_(w, '{'); }
void jw_obj_end(struct jw *w) { end_(w, '}'); }
void jw_arr_begin(struct jw *w) { begin_(w, '['); }
void jw_arr_end(struct jw *w) { end_(w, ']'); }

static void put_string(struct jw *w, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	put(w, "\"", 1);
	const unsigned char *run = s;
	while (*s) {
		unsigned c = *s;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			s++;
			continue;
		}
		size_t n = c >= 0x80 ? utf8_seq_len(s, 4) : 1;
		if (c >= 0x80 && n > 0) {
			s += n;
			continue;
		}
		put(w, (const char *)run, (size_t)(s - run));
		char esc[8];
		if (c >= 0x80) {
			put(w, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
		} else if (c == '"') {
			put(w, "\\\"", 2);
		} else if (c == '\\') {
			put(w, "\\\\", 2);
		} else if (c == '\n') {
			put(w, "\\n", 2);
		} else if (c == '\r') {
			put(w, "\\r", 2);
		} else if (c == '\t') {
			put(w, "\\t", 2);
		} else {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			put(w, esc, 6);
		}
		s++;
		run = s;
	}
	put(w, (const char *)run, (size_t)(s - run));
	put(w, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
	sep(w);
	put_string(w, key);
	put(w, ":", 1);
	w->after_key = 1;
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	sep(w);
	put_string(w, s);
}

void jw_int(struct jw *w, int64_t v)
{
	char b[24];
	char *p = b + sizeof b;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sep(w);
	put(w, p, (size_t)(b + sizeof b - p));
}

void jw_bool(struct jw *w, int b)
{
	sep(w);
	if (b)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(struct jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void jw_fixed(struct jw *w, int64_t v, int decimals)
{
	int64_t scale = 1;
	for (int i = 0; i < decimals && i < 18; i++)
		scale *= 10;
	char b[48];
	int neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = u / (uint64_t)scale, fp = u % (uint64_t)scale;
	int n = snprintf(b, sizeof b, "%s%llu", neg ? "-" : "", (unsigned long long)ip);
	if (fp) {
		char f[24];
		snprintf(f, sizeof f, "%0*llu", decimals, (unsigned long long)fp);
		size_t fl = strlen(f);
		while (fl > 0 && f[fl - 1] == '0')
			f[--fl] = '\0';
		n += snprintf(b + n, sizeof b - (size_t)n, ".%s", f);
	}
	sep(w);
	put(w, b, (size_t)n);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kint_opt(struct jw *w, const char *key, int64_t v, int64_t none)
{
	jw_key(w, key);
	if (v == none)
		jw_null(w);
	else
		jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, int b)
{
	jw_key(w, key);
	jw_bool(w, b);
}

void jw_ktri(struct jw *w, const char *key, int v)
{
	jw_key(w, key);
	if (v < 0)
		jw_null(w);
	else
		jw_bool(w, v);
}

char *jw_finish(struct jw *w, size_t *len)
{
	char *out = NULL;
	if (!w->oom && w->depth == 0 && !w->after_key && reserve(w, 0) == 0) {
		w->buf[w->len] = '\0';
		out = w->buf;
		if (len)
			*len = w->len;
		w->buf = NULL;
	}
	jw_free(w);
	return out;
}

void jw_free(struct jw *w)
{
	free(w->buf);
	jw_init(w);
}

void jw_raw(struct jw *w, const char *json)
{
	sep(w);
	put(w, json, strlen(json));
}
