/*
 * jsonw.h — a small, fast JSON writer for hot response paths.
 *
 * jansson builds a tree of allocated nodes and then walks it to print; for a
 * talent's detail that was half the cost of the request.  This writer appends
 * straight into one growing buffer.  Commas are placed automatically; keys and
 * string values are escaped (invalid UTF-8 becomes U+FFFD), so any stored text
 * yields valid JSON.  Out of memory sets w->oom and later calls do nothing.
 */
#ifndef TP_JSONW_H
#define TP_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

struct jw {
	char *buf;
	size_t len, cap;
	int oom;
	int depth;
	unsigned char first[JW_MAX_DEPTH]; /* no member/element written yet at this depth */
	int after_key;
};

/* Starts an empty document. */
void jw_init(struct jw *w);

void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);

/* An object member's key; the next value call writes its value. */
void jw_key(struct jw *w, const char *key);

/* Values: a NULL string writes null. */
void jw_str(struct jw *w, const char *s);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, int b);
void jw_null(struct jw *w);
/* A value already encoded as JSON text (the caller vouches for it: from json_dumps()). */
void jw_raw(struct jw *w, const char *json);
/* A fixed-point number: v / 10^decimals, e.g. (8950, 2) → 89.5 */
void jw_fixed(struct jw *w, int64_t v, int decimals);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
/* writes null when v == none */
void jw_kint_opt(struct jw *w, const char *key, int64_t v, int64_t none);
void jw_kbool(struct jw *w, const char *key, int b);
/* tri-state: -1 → null */
void jw_ktri(struct jw *w, const char *key, int v);

/*
 * Ends the document: returns the malloc'd text (NUL-terminated, caller frees) and
 * its length, or NULL when memory ran out or the nesting is unbalanced.  The writer
 * is reset either way.
 */
char *jw_finish(struct jw *w, size_t *len);

/* Discards a document without finishing it. */
void jw_free(struct jw *w);

#endif
