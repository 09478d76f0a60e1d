/* Unit tests: the JSON writer — output parses as JSON and means what was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/jsonw.h"

static json_t *finish_parse(struct jw *w)
{
	size_t len;
	char *text = jw_finish(w, &len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	json_error_t err;
	json_t *doc = json_loads(text, JSON_DECODE_ANY, &err);
	free(text);
	assert_non_null(doc);
	return doc;
}

static void nested_values_and_commas(void **state)
{
	(void)state;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kint(&w, "id", 42);
	jw_kstr(&w, "name", "王芳");
	jw_kstr(&w, "none", NULL);
	jw_kbool(&w, "t", 1);
	jw_ktri(&w, "unknown", -1);
	jw_kint_opt(&w, "skill", 0, 0);
	jw_key(&w, "list");
	jw_arr_begin(&w);
	jw_int(&w, 1);
	jw_int(&w, -2);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "area");
	jw_fixed(&w, 8950, 2);
	jw_key(&w, "neg");
	jw_fixed(&w, -5, 2);
	jw_key(&w, "whole");
	jw_fixed(&w, 12000, 2);
	jw_obj_end(&w);
	json_t *d = finish_parse(&w);
	assert_int_equal(json_integer_value(json_object_get(d, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(d, "name")), "王芳");
	assert_true(json_is_null(json_object_get(d, "none")));
	assert_true(json_is_true(json_object_get(d, "t")));
	assert_true(json_is_null(json_object_get(d, "unknown")));
	assert_true(json_is_null(json_object_get(d, "skill")));
	json_t *l = json_object_get(d, "list");
	assert_int_equal(json_array_size(l), 4);
	assert_int_equal(json_integer_value(json_array_get(l, 1)), -2);
	assert_true(json_number_value(json_object_get(d, "area")) == 89.5);
	assert_true(json_number_value(json_object_get(d, "neg")) == -0.05);
	assert_int_equal(json_integer_value(json_object_get(d, "whole")), 120);
	json_decref(d);
}

static void escaping(void **state)
{
	(void)state;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_kstr(&w, "q\"k", "a\"b\\c\n\t\x01 end");
	jw_kstr(&w, "bad", "x\xff\xfey\xC0\xAFz"); /* not UTF-8 → U+FFFD each */
	jw_kstr(&w, "emoji", "\xF0\x9F\x98\x80");
	jw_obj_end(&w);
	json_t *d = finish_parse(&w);
	assert_string_equal(json_string_value(json_object_get(d, "q\"k")), "a\"b\\c\n\t\x01 end");
	assert_string_equal(json_string_value(json_object_get(d, "bad")),
			    "x\xEF\xBF\xBD\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz");
	assert_string_equal(json_string_value(json_object_get(d, "emoji")), "\xF0\x9F\x98\x80");
	json_decref(d);
}

static void unbalanced_is_refused(void **state)
{
	(void)state;
	struct jw w;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_key(&w, "a");
	assert_null(jw_finish(&w, NULL)); /* a key without a value, an open object */
	jw_init(&w);
	jw_arr_end(&w);
	assert_null(jw_finish(&w, NULL));
	jw_init(&w);
	for (int i = 0; i < JW_MAX_DEPTH + 2; i++)
		jw_arr_begin(&w);
	assert_null(jw_finish(&w, NULL)); /* too deep */
	jw_init(&w);
	jw_int(&w, 7);
	char *s = jw_finish(&w, NULL);
	assert_string_equal(s, "7");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_values_and_commas),
		cmocka_unit_test(escaping),
		cmocka_unit_test(unbalanced_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
