/*
 * test_policy_parse.c — loading a pack: every load error message path once
 * (parser, type checker, compiler, pack and policy files), each reported as
 * "file:line:col: 中文 / English", all errors of a pack collected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "policy_testlib.h"

#define PARAMS                                                                                   \
	"parameters:\n"                                                                          \
	"  rate:\n"                                                                              \
	"    type: {map: int, to: money}\n"                                                      \
	"    values:\n"                                                                          \
	"      - {since: 2022-01-01, value: {1: 100, 2: 200}, source: s}\n"                      \
	"  bydeg:\n"                                                                             \
	"    type: {map: degree, to: money}\n"                                                   \
	"    values:\n"                                                                          \
	"      - {since: 2022-01-01, value: {master: 100, phd: 200}, source: s}\n"               \
	"  base:\n"                                                                              \
	"    type: money\n"                                                                      \
	"    values:\n"                                                                          \
	"      - {since: 2022-01-01, value: 500, source: s}\n"

/* loads a policy whose single condition is expr; returns the errors (NULL when it loads) */
static struct pol_errors *load_cond(const char *expr)
{
	char body[2048];
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	snprintf(body, sizeof(body), "period: year\nkind: points\n" PARAMS "eligible:\n  - '%s'\namount: 1\n", expr);
	char *pol = tl_policy(body);
	int rc = tl_load(NULL, pol, &pk, &errs);
	free(pol);
	if (rc == 0) {
		pol_pack_free(pk);
		return NULL;
	}
	return errs;
}

static void expect_cond_error(const char *expr, const char *needle)
{
	struct pol_errors *e = load_cond(expr);

	if (!e || !tl_has_error(e, needle)) {
		fprintf(stderr, "expression: %s\nwanted an error containing: %s\ngot:\n", expr, needle);
		if (e)
			tl_dump_errors(e);
		pol_errors_free(e);
		fail();
	}
	pol_errors_free(e);
}

static void test_good_expressions_load(void **state)
{
	static const char *const good[] = {
		"person.n in 1..7",
		"person.degree >= \"bachelor\"",
		"person.degree in [\"master\", \"phd\"]",
		"count(1..12, m -> m in person.months[period.year]) >= 6",
		"count(person.months[2026]) >= 6",
		"any(person.kids, k -> age_on(k.birth_date, period.start) < 18)",
		"all(person.kids, k -> present(k.birth_date))",
		"sum(person.kids, k -> 1) == 2",
		"floor(person.m * 3 / 12) > base",
		"round(person.d) >= 60 and person.d >= 60.5 and person.d > 1",
		"ceil(person.n / 2) == min(1, max(2, 3))",
		"valid_on(person.tier.from, person.tier.to, date(2026, 9, 1))",
		"overlaps_month(person.tier.from, person.tier.to, period.year, period.month)",
		"overlaps_year(person.tier.from, person.tier.to, year_of(add_years(period.end, -1)))",
		"month_of(period.start) == 1 and not person.flag or person.other",
		"rate[person.tier.level] + bydeg[person.degree] + bydeg[\"phd\"] > base",
		"(if person.flag then 1 else 2) == -person.n",
		"person.name == \"x\" and person.flag != true",
	};
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct pol_errors *e = load_cond(good[i]);
		if (e) {
			fprintf(stderr, "%s\n", good[i]);
			tl_dump_errors(e);
			pol_errors_free(e);
			fail();
		}
	}
}

static void test_parser_errors(void **state)
{
	char deep[256];
	(void)state;
	expect_cond_error("(person.n", "expected ')' here");
	expect_cond_error("person.n >= ", "expected a value, not 'end of expression'");
	expect_cond_error("person.", "expected a field name after '.'");
	expect_cond_error("1 < 2 < 3", "comparisons do not chain; use and");
	expect_cond_error("", "empty expression");
	expect_cond_error("person.n 1", "unexpected 'integer' after the expression");
	expect_cond_error("min(1,2,3,4,5,6,7,8,9)", "too many arguments");
	memset(deep, '(', 100);
	deep[100] = '1';
	deep[101] = '\0';
	expect_cond_error(deep, "expression nested too deeply");
	expect_cond_error("a = b", "use == to compare");
}

static void test_type_errors(void **state)
{
	(void)state;
	expect_cond_error("person.n / 2 > 1", "a division must be rounded");
	expect_cond_error("floor(person.flag / 2) > 1", "division needs a number divided by an int");
	expect_cond_error("person.flag in 1..3", "'in' needs a value of the range's type");
	expect_cond_error("person.degree in [1, 2]", "expected an enum value");
	expect_cond_error("person.n in person.kids", "'in' needs a list or range of the same type");
	expect_cond_error("person.n and true", "and/or need bool on both sides");
	expect_cond_error("person.n == person.name", "the two sides have different types (int, string)");
	expect_cond_error("person.kids == person.kids", "values of this type cannot be compared");
	expect_cond_error("person.flag < true", "bools compare only with == or !=");
	expect_cond_error("person.m * person.m > 1", "multiplication is int×int, money×int or decimal×int");
	expect_cond_error("person.flag + 1 > 1", "+ and - need numbers");
	expect_cond_error("person.m + 1 > base", "money adds only to money");
	expect_cond_error("person.nope > 1", "unknown fact field 'nope'");
	expect_cond_error("nosuch > 1", "unknown name 'nosuch' (not a fact, parameter or let name)");
	expect_cond_error("period.week > 1", "period has no field 'week'");
	expect_cond_error("person.n.x > 1", "'.x' applies only to a record");
	expect_cond_error("bydeg[person.n] > base", "the key must be a value of the map's enum");
	expect_cond_error("person.n[1] > 1", "only by_year facts and parameter maps take [key]");
	expect_cond_error("rate[person.flag] > base", "the key must be an int");
	expect_cond_error("period > 1", "period needs a field");
	expect_cond_error("not person.n", "not needs a bool");
	expect_cond_error("-person.flag", "unary minus needs a number");
	expect_cond_error("person.n in 1..person.flag", "a range a..b needs ints");
	expect_cond_error("person.n in [1, true]", "list elements differ in type");
	expect_cond_error("count(x -> 1) > 0", "a lambda x -> … is not allowed here");
	expect_cond_error("if person.n then true else false", "the condition of if must be a bool");
	expect_cond_error("person.degree == \"doctor\"", "'doctor' is not a value of this enum");
	expect_cond_error("item.id == \"x\"", "unknown name 'item'");
	expect_cond_error("due_year > 1", "unknown name 'due_year'");
	expect_cond_error("total > 1", "unknown name 'total'");
}

static void test_function_errors(void **state)
{
	(void)state;
	expect_cond_error("frobnicate(1)", "unknown function 'frobnicate'");
	expect_cond_error("age_on(person.birth_date) > 1", "wrong number of arguments: age_on takes 2");
	expect_cond_error("year_of(person.n) > 1", "expected date here");
	expect_cond_error("count(person.n) > 1", "expected a list or a range here");
	expect_cond_error("any(person.kids, true)", "expected x -> expression here");
	expect_cond_error("sum(person.kids, k -> true) > 1", "sum needs a number expression");
	expect_cond_error("any(person.kids, k -> 1)", "the predicate must be a bool");
	expect_cond_error("floor(person.n) > 1", "floor/round/ceil need a division or a decimal");
	expect_cond_error("min(person.flag, true)", "min/max need numbers or dates");
	expect_cond_error("present(1 + 2)", "present() needs a fact");
	expect_cond_error("person.n in [1, person.n]", "the elements of a list literal must be constants");
	expect_cond_error("person.n + 1", "eligible must be of type bool, not int");
}

static void test_error_position(void **state)
{
	struct pol_errors *e = load_cond("person.n > 1 and nosuch");
	(void)state;
	/* the condition is line 22 of p.yaml (5 header lines, period, kind, 13 parameter lines,
	 * "eligible:"), its text starts at column 6 (after "  - '"); the name is 17 characters into it */
	assert_non_null(e);
	assert_int_equal(pol_errors_count(e), 1);
	assert_string_equal(pol_errors_get(e, 0),
			    "p.yaml:22:23: 未知的名称 “nosuch”（不是事实、参数或 let 名） / "
			    "unknown name 'nosuch' (not a fact, parameter or let name)");
	pol_errors_free(e);
}

/* whole-file problems: each reported, all collected */
static void expect_pack_error(const char *pack, const char *body, const char *needle)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	char *pol = tl_policy(body);
	int rc = tl_load(pack, pol, &pk, &errs);

	free(pol);
	if (rc == 0) {
		pol_pack_free(pk);
		fprintf(stderr, "wanted an error containing: %s, the pack loaded\n", needle);
		fail();
	}
	if (!tl_has_error(errs, needle)) {
		fprintf(stderr, "wanted an error containing: %s\ngot:\n", needle);
		tl_dump_errors(errs);
		pol_errors_free(errs);
		fail();
	}
	pol_errors_free(errs);
}

static void test_policy_file_errors(void **state)
{
	(void)state;
	expect_pack_error(NULL, "period: year\nkind: points\ngroup: nosuch\namount: 1\n", "unknown group 'nosuch'");
	expect_pack_error(NULL, "period: year\nkind: points\ndue: 2026\namount: 1\n",
			  "'due' is only for policies with period: once");
	expect_pack_error(NULL, "period: once\nkind: points\namount: 1\n", "a policy with period: once needs 'due'");
	expect_pack_error(NULL, "period: year\nkind: points\n", "missing 'amount'");
	expect_pack_error(NULL, "period: weekly\nkind: points\namount: 1\n", "'period' has a value that is not allowed");
	expect_pack_error(NULL, "period: year\nkind: points\nfoo: 1\namount: 1\n", "unknown key 'foo'");
	expect_pack_error(NULL, "period: year\nkind: cash\namount: 1\n", "amount must be of type money, not int");
	expect_pack_error(NULL,
			  "period: year\nkind: points\nparameters:\n  x:\n    type: int\n    values:\n"
			  "      - {since: 2023-01-01, value: 1, source: s}\namount: x\n",
			  "parameter 'x' has no value in force on the pack's effective date");
	expect_pack_error(NULL,
			  "period: year\nkind: points\nparameters:\n  x:\n    type: degree\n    values:\n"
			  "      - {since: 2022-01-01, value: doctor, source: s}\namount: 1\n",
			  "unknown enum value 'doctor'");
	expect_pack_error(NULL,
			  "period: year\nkind: points\nparameters:\n  x:\n    type: int\n    values:\n"
			  "      - {since: 2022-01-01, value: 1}\namount: x\n",
			  "every parameter value needs a 'source'");
	expect_pack_error(NULL,
			  "period: year\nkind: points\nparameters:\n  x:\n    type: int\n    values:\n"
			  "      - {since: 2023-01-01, value: 1, source: s}\n"
			  "      - {since: 2022-01-01, value: 2, source: s}\namount: x\n",
			  "values must be in increasing 'since' order");
	expect_pack_error(NULL,
			  "period: year\nkind: points\nparameters:\n  x:\n    type: widget\n    values: []\namount: 1\n",
			  "unknown type 'widget'");
	expect_pack_error(NULL, "period: year\nkind: points\namount: [1\n", "YAML syntax error");
	expect_pack_error(NULL, "period: year\nkind: points\nx: &a 1\ny: *a\namount: 1\n", "YAML aliases are not supported");
	/* beneficiary over a field that is not a list of records */
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	assert_int_equal(tl_load(NULL, "id: p\nbeneficiary: person.n\nperiod: year\nkind: points\namount: 1\n", &pk, &errs), -1);
	assert_true(tl_has_error(errs, "p.yaml:2:14: “n” 不是记录列表事实 / 'n' is not a list-of-records fact"));
	pol_errors_free(errs);
	assert_int_equal(tl_load(NULL, "id: p\nbeneficiary: people\nperiod: year\nkind: points\namount: 1\n", &pk, &errs), -1);
	assert_true(tl_has_error(errs, "beneficiary must be person, enterprise or a list of theirs"));
	pol_errors_free(errs);
}

static const char PACK2[] =
	"id: t\neffective: 2022-01-01\norder: [p, p, q]\n"
	"facts:\n  person:\n    id: {type: string, required: true}\n    flag: {type: bool, min: 1}\n";

static void test_pack_errors(void **state)
{
	const char *names[3] = {"pack.yaml", "p.yaml", "r.yaml"};
	const char *texts[3] = {PACK2, "id: p\nbeneficiary: person\nperiod: year\nkind: points\namount: 1\n",
				"id: p\nbeneficiary: person\nperiod: year\nkind: points\namount: 1\n"};
	size_t lens[3] = {strlen(texts[0]), strlen(texts[1]), strlen(texts[2])};
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	(void)state;

	assert_int_equal(pol_pack_load_mem(3, names, texts, lens, &pk, &errs), -1);
	assert_null(pk);
	assert_true(tl_has_error(errs, "r.yaml:1:5: 策略 id “p” 重复 / duplicate policy id 'p'"));
	assert_true(tl_has_error(errs, "pack.yaml:3:12: order 中重复列出了 “p” / 'p' is listed twice in order"));
	assert_true(tl_has_error(errs, "'q' in order has no policy file"));
	assert_true(tl_has_error(errs, "min/max apply only to int, decimal, money"));
	pol_errors_free(errs);

	/* a policy that is not in order */
	texts[2] = "id: r\nbeneficiary: person\nperiod: year\nkind: points\namount: 1\n";
	texts[0] = "id: t\neffective: 2022-01-01\norder: [p]\nfacts: {person: {id: string}}\n";
	lens[0] = strlen(texts[0]);
	lens[2] = strlen(texts[2]);
	assert_int_equal(pol_pack_load_mem(3, names, texts, lens, &pk, &errs), -1);
	assert_true(tl_has_error(errs, "r.yaml:1:5: 策略 “r” 不在 pack.yaml 的 order 中 / policy 'r' is missing from the order of pack.yaml"));
	assert_int_equal(pol_errors_count(errs), 1);
	pol_errors_free(errs);

	/* no pack.yaml at all */
	assert_int_equal(pol_pack_load_mem(1, names + 1, texts + 1, lens + 1, &pk, &errs), -1);
	assert_true(tl_has_error(errs, "pack.yaml not found"));
	pol_errors_free(errs);
}

static void test_errors_all_collected(void **state)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	char *pol = tl_policy("period: year\nkind: points\ngroup: nosuch\neligible:\n  - nosuch1\n  - nosuch2\namount: true\n");
	(void)state;

	assert_int_equal(tl_load(NULL, pol, &pk, &errs), -1);
	free(pol);
	assert_int_equal(pol_errors_count(errs), 4);
	pol_errors_free(errs);
}

static void test_pack_loads(void **state)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	char *pol = tl_policy("period: year\nkind: points\ngroup: g\namount: 1\n");
	(void)state;

	assert_int_equal(tl_load(NULL, pol, &pk, &errs), 0);
	free(pol);
	assert_null(errs);
	assert_int_equal(pol_pack_npolicies(pk), 1);
	assert_string_equal(pol_pack_id(pk), "t");
	pol_pack_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_expressions_load),
		cmocka_unit_test(test_parser_errors),
		cmocka_unit_test(test_type_errors),
		cmocka_unit_test(test_function_errors),
		cmocka_unit_test(test_error_position),
		cmocka_unit_test(test_policy_file_errors),
		cmocka_unit_test(test_pack_errors),
		cmocka_unit_test(test_errors_all_collected),
		cmocka_unit_test(test_pack_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
