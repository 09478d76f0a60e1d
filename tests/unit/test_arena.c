/* Unit tests: the per-request arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

static void alloc_is_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_non_null(a);
	for (size_t n = 1; n < 5000; n += 37) {
		unsigned char *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, n);
	}
	arena_free(a);
}

static void big_allocations_keep_small_ones_working(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *s1 = arena_strdup(a, "张伟");
	char *big = arena_alloc(a, 1 << 20);
	char *s2 = arena_strdup(a, "晋江");
	assert_non_null(big);
	assert_string_equal(s1, "张伟");
	assert_string_equal(s2, "晋江");
	assert_true(arena_used(a) >= (1u << 20));
	arena_free(a);
}

static void cap_refuses_huge_requests(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_null(arena_alloc(a, (size_t)65 * 1024 * 1024));
	assert_null(arena_alloc(a, SIZE_MAX));
	/* the arena still works after a refusal */
	assert_non_null(arena_alloc(a, 10));
	arena_free(a);
}

static void printf_and_strndup(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(arena_printf(a, "/api/v1/talents/%d", 42), "/api/v1/talents/42");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	char longer[3000];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	char *p = arena_printf(a, "%s%s", longer, longer);
	assert_int_equal(strlen(p), 2 * (sizeof longer - 1));
	arena_free(a);
	arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_is_zeroed_and_aligned),
		cmocka_unit_test(big_allocations_keep_small_ones_working),
		cmocka_unit_test(cap_refuses_huge_requests),
		cmocka_unit_test(printf_and_strndup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
