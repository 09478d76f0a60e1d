/* Unit tests: checked JSON input (depth, UTF-8, typed getters with field errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/jsonx.h"

static void depth(void **state)
{
	(void)state;
	char buf[200];
	memset(buf, '[', 32);
	memset(buf + 32, ']', 32);
	assert_true(jsonx_depth_ok(buf, 64, 32));
	memset(buf, '[', 33);
	memset(buf + 33, ']', 33);
	assert_false(jsonx_depth_ok(buf, 66, 32));
	/* brackets inside strings do not count, escaped quotes do not end strings */
	const char *s = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}";
	assert_true(jsonx_depth_ok(s, strlen(s), 2));
}

static void utf8(void **state)
{
	(void)state;
	assert_true(jsonx_utf8_ok("张伟 abc", strlen("张伟 abc")));
	assert_false(jsonx_utf8_ok("\xC0\xAF", 2));         /* overlong '/' */
	assert_false(jsonx_utf8_ok("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(jsonx_utf8_ok("\xE5\xBC", 2));         /* truncated */
	assert_false(jsonx_utf8_ok("a\x01" "b", 3));        /* control */
	assert_false(jsonx_utf8_ok("a\0b", 3));             /* NUL */
	assert_true(jsonx_utf8_ok("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
	assert_int_equal(jsonx_utf8_len("张伟ab"), 4);
}

static void getters(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct verrors ve;
	verr_init(&ve, a);
	json_t *o = json_pack("{s:s,s:i,s:s,s:b,s:s,s:s,s:n}", "name", "  王芳 ", "tier", 9, "date",
			      "2023-02-30", "flag", 1, "deg", "phd", "long", "一二三四五六", "nul");
	const char *s = NULL;
	assert_int_equal(jsonx_str(o, "name", 50, 1, &ve, &s), 1);
	assert_string_equal(s, "王芳");
	assert_int_equal(ve.n, 0);

	int64_t v = 0;
	assert_int_equal(jsonx_int(o, "tier", 1, 7, 1, &ve, &v), -1);
	assert_int_equal(ve.n, 1);
	assert_string_equal(ve.v[0].field, "tier");
	assert_string_equal(ve.v[0].code, "out_of_range");

	assert_int_equal(jsonx_date(o, "date", 0, &ve, &s), -1);
	assert_string_equal(ve.v[1].code, "type_date");

	int b = 0;
	assert_int_equal(jsonx_bool(o, "flag", 0, &ve, &b), 1);
	assert_int_equal(b, 1);

	static const char *const degs[] = {"bachelor", "master", "phd", NULL};
	assert_int_equal(jsonx_enum(o, "deg", degs, 1, &ve, &s), 1);
	assert_string_equal(s, "phd");

	assert_int_equal(jsonx_str(o, "long", 5, 0, &ve, &s), -1);
	assert_string_equal(ve.v[2].code, "too_long");

	/* absent and null: 0, unless required */
	assert_int_equal(jsonx_str(o, "missing", 5, 0, &ve, &s), 0);
	assert_int_equal(jsonx_str(o, "nul", 5, 0, &ve, &s), 0);
	assert_int_equal(jsonx_str(o, "missing", 5, 1, &ve, &s), -1);
	assert_string_equal(ve.v[3].code, "required");

	/* wrong type */
	assert_int_equal(jsonx_str(o, "tier", 5, 0, &ve, &s), -1);
	assert_string_equal(ve.v[4].code, "type_string");

	static const char *const allowed[] = {"name", "tier", NULL};
	size_t before = ve.n;
	jsonx_no_unknown(o, allowed, &ve);
	assert_int_equal(ve.n - before, 5); /* date flag deg long nul */
	json_decref(o);
	arena_free(a);
}

static void errors_cap_and_prefix(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct verrors ve;
	verr_init(&ve, a);
	for (int i = 0; i < VERR_MAX + 5; i++)
		verr_addf(&ve, "f", "c", "第 %d 个", "number %d", i);
	assert_int_equal(ve.n, VERR_MAX);
	assert_true(ve.truncated);
	assert_string_equal(ve.v[3].en, "number 3");
	verr_init(&ve, a);
	verr_add(&ve, "level", "c", "z", "e");
	verr_prefix(&ve, 0, "tier");
	assert_string_equal(ve.v[0].field, "tier.level");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(depth),
		cmocka_unit_test(utf8),
		cmocka_unit_test(getters),
		cmocka_unit_test(errors_cap_and_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
