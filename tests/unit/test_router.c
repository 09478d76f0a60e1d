/* Unit tests: the route table and its matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "http/router.h"

static void matches(void **state)
{
	(void)state;
	struct request rq;
	memset(&rq, 0, sizeof rq);
	rq.arena = arena_new();
	const struct route *r = NULL;
	char allow[64];
	assert_int_equal(router_match(&rq, "GET", "/api/v1/talents/42", &r, allow, sizeof allow),
			 ROUTE_FOUND);
	assert_string_equal(r->pattern, "/api/v1/talents/{id}");
	assert_int_equal(rq.nparams, 1);
	assert_string_equal(rq.params[0], "42");

	assert_int_equal(router_match(&rq, "GET", "/api/v1/talents/42/employments", &r, allow,
				      sizeof allow),
			 ROUTE_FOUND);
	assert_string_equal(r->pattern, "/api/v1/talents/{id}/employments");

	assert_int_equal(router_match(&rq, "DELETE", "/api/v1/talents/42", &r, allow, sizeof allow),
			 ROUTE_NO_METHOD);
	assert_string_equal(allow, "GET, PATCH");

	assert_int_equal(router_match(&rq, "GET", "/api/v1/talents/", &r, allow, sizeof allow),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(&rq, "GET", "/api/v1/talentsx", &r, allow, sizeof allow),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(&rq, "GET", "/api/v1//talents", &r, allow, sizeof allow),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(&rq, "GET", "", &r, allow, sizeof allow), ROUTE_NO_PATH);

	/* the checker's token is one path segment, dots and all; none is no route */
	assert_int_equal(router_match(&rq, "GET", "/verify/TP1.abc-_.xyz", &r, allow, sizeof allow),
			 ROUTE_FOUND);
	assert_string_equal(rq.params[0], "TP1.abc-_.xyz");
	assert_int_equal(router_match(&rq, "GET", "/verify/", &r, allow, sizeof allow),
			 ROUTE_NO_PATH);
	assert_int_equal(router_match(&rq, "GET", "/verify/a/b", &r, allow, sizeof allow),
			 ROUTE_NO_PATH);
	arena_free(rq.arena);
}

static void table_is_sane(void **state)
{
	(void)state;
	/* no two routes share method + pattern; every pattern starts with /api/v1/ except the
	 * public certificate checker /verify/{token} (the URL in a certificate's QR code) */
	for (size_t i = 0; i < routes_count; i++) {
		if (strcmp(routes[i].pattern, "/verify/{token}") == 0)
			assert_int_equal(routes[i].roles, ROUTE_PUBLIC);
		else
			assert_int_equal(strncmp(routes[i].pattern, "/api/v1/", 8), 0);
		assert_non_null(routes[i].handler);
		assert_true(routes[i].body != BODY_NONE || strcmp(routes[i].method, "GET") == 0 ||
			    strcmp(routes[i].method, "DELETE") == 0);
		for (size_t k = i + 1; k < routes_count; k++)
			assert_false(strcmp(routes[i].method, routes[k].method) == 0 &&
				     strcmp(routes[i].pattern, routes[k].pattern) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches),
		cmocka_unit_test(table_is_sane),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
