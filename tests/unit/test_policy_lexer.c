/*
 * test_policy_lexer.c — tokens of the policy expression language
 * (docs/policy-language.md, "Expressions").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

static enum tok kinds[64];
static int64_t vals[64];
static int ntoks;

static const char *lex_all(const char *src)
{
	struct arena *a = arena_new();
	struct lexer lx;
	const char *err = NULL;

	pol_lex_init(&lx, src, strlen(src), a);
	ntoks = 0;
	for (;;) {
		struct token t = pol_lex_next(&lx);
		kinds[ntoks] = t.k;
		vals[ntoks++] = t.ival;
		if (t.k == T_BAD)
			err = lx.err;
		if (t.k == T_EOF || t.k == T_BAD || ntoks == 64)
			break;
	}
	arena_free(a);
	return err;
}

static void test_numbers_and_ranges(void **state)
{
	(void)state;
	assert_null(lex_all("1..12"));
	assert_int_equal(ntoks, 4);
	assert_int_equal(kinds[0], T_INT);
	assert_int_equal(vals[0], 1);
	assert_int_equal(kinds[1], T_DOTDOT);
	assert_int_equal(kinds[2], T_INT);
	assert_int_equal(vals[2], 12);
	assert_null(lex_all("12.5 60.0 0.05"));
	assert_int_equal(kinds[0], T_DEC);
	assert_int_equal(vals[0], 1250); /* hundredths */
	assert_int_equal(vals[1], 6000);
	assert_int_equal(vals[2], 5);
	assert_int_equal(kinds[3], T_EOF);
}

static void test_operators_and_keywords(void **state)
{
	static const enum tok want[] = {T_NOT, T_IDENT, T_DOT, T_IDENT, T_AND, T_IDENT, T_GE, T_INT, T_OR,
					T_IDENT, T_IN, T_LB, T_INT, T_COMMA, T_INT, T_RB, T_EQ, T_NE, T_LT,
					T_LE, T_GT, T_ARROW, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_TRUE,
					T_FALSE, T_IF, T_THEN, T_ELSE, T_STR, T_LP, T_RP, T_EOF};
	(void)state;
	assert_null(lex_all("not person.x and n >= 6 or m in [1, 2] == != < <= > -> + - * / true false "
			    "if then else \"s\" ()"));
	assert_int_equal(ntoks, (int)(sizeof want / sizeof want[0]));
	for (int i = 0; i < ntoks; i++)
		assert_int_equal(kinds[i], want[i]);
}

static void test_lexical_errors(void **state)
{
	(void)state;
	assert_string_equal(lex_all("a = b"), "use == to compare");
	assert_string_equal(lex_all("!a"), "use not for negation");
	assert_string_equal(lex_all("\"open"), "unterminated string");
	assert_string_equal(lex_all("a # b"), "unexpected character");
	assert_string_equal(lex_all("1.234"), "a decimal has at most 2 places");
	assert_string_equal(lex_all("99999999999999999999"), "number too large");
	assert_string_equal(lex_all("12abc"), "a letter right after a number");
}

static void test_token_names(void **state)
{
	(void)state;
	assert_string_equal(pol_tok_name(T_RP), ")");
	assert_string_equal(pol_tok_name(T_EOF), "end of expression");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_ranges),
		cmocka_unit_test(test_operators_and_keywords),
		cmocka_unit_test(test_lexical_errors),
		cmocka_unit_test(test_token_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
