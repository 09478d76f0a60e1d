/*
 * jsonx.h — checked reading of JSON input (on top of jansson).
 *
 * Each getter reads one member of an object, checks its type and range, and on
 * a broken rule adds a field error (zh + en) to ve and returns -1.  An absent or
 * null member returns 0 and leaves *out untouched unless `required`.
 * Returns 1 when a value was read.
 */
#ifndef TP_JSONX_H
#define TP_JSONX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/verr.h"

#define JSON_MAX_DEPTH 32

/* 1 if the nesting of arrays/objects in buf never exceeds max_depth (strings are skipped). */
int jsonx_depth_ok(const char *buf, size_t len, int max_depth);

/* 1 if s is valid UTF-8 with no NUL and no C0 controls other than \t \n \r. */
int jsonx_utf8_ok(const char *s, size_t len);

/* Number of Unicode code points in a valid UTF-8 string. */
size_t jsonx_utf8_len(const char *s);

/* Adds an "unknown_field" error for each member of obj not in allowed (NULL-terminated). */
void jsonx_no_unknown(json_t *obj, const char *const *allowed, struct verrors *ve);

/* A string of 1..maxchars code points (trimmed of ASCII spaces when trim); *out is an arena copy. */
int jsonx_str(json_t *obj, const char *key, size_t maxchars, int required, struct verrors *ve,
	      const char **out);

/* An integer in [min, max]. */
int jsonx_int(json_t *obj, const char *key, int64_t min, int64_t max, int required,
	      struct verrors *ve, int64_t *out);

/* A boolean; *out is 0 or 1. */
int jsonx_bool(json_t *obj, const char *key, int required, struct verrors *ve, int *out);

/* A civil date "YYYY-MM-DD"; *out is an arena copy. */
int jsonx_date(json_t *obj, const char *key, int required, struct verrors *ve, const char **out);

/* A string that must be one of allowed (NULL-terminated). */
int jsonx_enum(json_t *obj, const char *key, const char *const *allowed, int required,
	       struct verrors *ve, const char **out);

/*
 * PATCH semantics over the getters above: an absent member leaves *out alone, null
 * clears it (NULL, or `none` for integers), a valid value replaces it, a broken rule
 * adds its field error and leaves *out alone.
 */
void jsonx_patch_str(json_t *obj, const char *key, size_t maxchars, struct verrors *ve,
		     const char **out);
void jsonx_patch_date(json_t *obj, const char *key, struct verrors *ve, const char **out);
void jsonx_patch_enum(json_t *obj, const char *key, const char *const *allowed,
		      struct verrors *ve, const char **out);
void jsonx_patch_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t none,
		     struct verrors *ve, int64_t *out);

/* 1 if the member is present (even null). */
int jsonx_has(json_t *obj, const char *key);

#endif
