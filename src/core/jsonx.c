#include "core/jsonx.h"

#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/utf8.h"

int jsonx_depth_ok(const char *buf, size_t len, int max_depth)
{
	int depth = 0, in_str = 0, esc = 0;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return 0;
		} else if (c == ']' || c == '}')
			depth--;
	}
	return 1;
}

int jsonx_utf8_ok(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80 && (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
				 c == 0x7f))
			return 0;
		size_t n = utf8_seq_len(s + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t jsonx_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static struct arena *ve_arena(struct verrors *ve)
{
	return ve->arena;
}

void jsonx_no_unknown(json_t *obj, const char *const *allowed, struct verrors *ve)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0) {
				ok = 1;
				break;
			}
		if (!ok)
			verr_addf(ve, key, "unknown_field", "未知字段“%s”", "unknown field '%s'", key);
	}
	(void)val;
}

static int absent(json_t *obj, const char *key, int required, struct verrors *ve, json_t **v)
{
	*v = json_object_get(obj, key);
	if (*v && !json_is_null(*v))
		return 0;
	if (required)
		verr_add(ve, key, "required", "必填", "is required");
	return 1;
}

int jsonx_has(json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

int jsonx_str(json_t *obj, const char *key, size_t maxchars, int required, struct verrors *ve,
	      const char **out)
{
	json_t *v;
	if (absent(obj, key, required, ve, &v))
		return required ? -1 : 0;
	if (!json_is_string(v)) {
		verr_add(ve, key, "type_string", "应为字符串", "must be a string");
		return -1;
	}
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!jsonx_utf8_ok(s, len)) {
		verr_add(ve, key, "bad_characters", "含有不允许的字符", "contains characters not allowed");
		return -1;
	}
	char *copy = arena_strndup(ve_arena(ve), s, len);
	if (!copy)
		return -1;
	if (len == 0) {
		if (required) {
			verr_add(ve, key, "required", "必填，不能为空", "is required and must not be empty");
			return -1;
		}
		return 0;
	}
	size_t chars = jsonx_utf8_len(copy);
	if (chars > maxchars) {
		verr_addf(ve, key, "too_long", "长度不能超过 %zu 个字符（现为 %zu）",
			  "must be at most %zu characters (got %zu)", maxchars, chars);
		return -1;
	}
	*out = copy;
	return 1;
}

int jsonx_int(json_t *obj, const char *key, int64_t min, int64_t max, int required,
	      struct verrors *ve, int64_t *out)
{
	json_t *v;
	if (absent(obj, key, required, ve, &v))
		return required ? -1 : 0;
	if (!json_is_integer(v)) {
		verr_add(ve, key, "type_integer", "应为整数", "must be an integer");
		return -1;
	}
	json_int_t x = json_integer_value(v);
	if (x < min || x > max) {
		verr_addf(ve, key, "out_of_range", "应在 %lld 到 %lld 之间",
			  "must be between %lld and %lld", (long long)min, (long long)max);
		return -1;
	}
	*out = x;
	return 1;
}

int jsonx_bool(json_t *obj, const char *key, int required, struct verrors *ve, int *out)
{
	json_t *v;
	if (absent(obj, key, required, ve, &v))
		return required ? -1 : 0;
	if (!json_is_boolean(v)) {
		verr_add(ve, key, "type_boolean", "应为 true 或 false", "must be true or false");
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

int jsonx_date(json_t *obj, const char *key, int required, struct verrors *ve, const char **out)
{
	json_t *v;
	if (absent(obj, key, required, ve, &v))
		return required ? -1 : 0;
	struct civil_date d;
	if (!json_is_string(v) || date_parse(json_string_value(v), &d) != 0) {
		verr_add(ve, key, "type_date", "应为有效日期，格式 YYYY-MM-DD",
			 "must be a valid date YYYY-MM-DD");
		return -1;
	}
	char buf[11];
	date_format(d, buf);
	*out = arena_strdup(ve_arena(ve), buf);
	return *out ? 1 : -1;
}

int jsonx_enum(json_t *obj, const char *key, const char *const *allowed, int required,
	       struct verrors *ve, const char **out)
{
	json_t *v;
	if (absent(obj, key, required, ve, &v))
		return required ? -1 : 0;
	if (json_is_string(v)) {
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, json_string_value(v)) == 0) {
				*out = *a;
				return 1;
			}
	}
	char list[256] = "";
	size_t used = 0;
	for (const char *const *a = allowed; *a && used + strlen(*a) + 3 < sizeof list; a++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *a);
		used += (size_t)n;
	}
	verr_addf(ve, key, "not_in_list", "应为以下之一：%s", "must be one of: %s", list);
	return -1;
}

void jsonx_patch_str(json_t *obj, const char *key, size_t maxchars, struct verrors *ve,
		     const char **out)
{
	const char *s = NULL;
	if (jsonx_has(obj, key) && jsonx_str(obj, key, maxchars, 0, ve, &s) >= 0)
		*out = s;
}

void jsonx_patch_date(json_t *obj, const char *key, struct verrors *ve, const char **out)
{
	const char *s = NULL;
	if (jsonx_has(obj, key) && jsonx_date(obj, key, 0, ve, &s) >= 0)
		*out = s;
}

void jsonx_patch_enum(json_t *obj, const char *key, const char *const *allowed,
		      struct verrors *ve, const char **out)
{
	const char *s = NULL;
	if (jsonx_has(obj, key) && jsonx_enum(obj, key, allowed, 0, ve, &s) >= 0)
		*out = s;
}

void jsonx_patch_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t none,
		     struct verrors *ve, int64_t *out)
{
	int64_t v = none;
	if (jsonx_has(obj, key) && jsonx_int(obj, key, min, max, 0, ve, &v) >= 0)
		*out = v;
}
