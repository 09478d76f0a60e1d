/*
 * test_policy_eval.c — evaluation: three-valued logic with missing facts,
 * rounding, dates (age_on across leap days, overlaps_month edges), periods and
 * parameter versions, instalments, exclusive groups, bad facts, explanations.
 * Every expected value is worked out from docs/policy-language.md by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>

#include "policy_testlib.h"

#define NONE INT64_MIN

/* the quantity of a points policy whose amount is expr; NONE when it is ineligible (missing) */
static int64_t amount_of(const char *expr, const char *facts)
{
	char body[1024];
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	int64_t r = NONE;

	snprintf(body, sizeof(body), "period: year\nkind: points\namount: '%s'\n", expr);
	char *pol = tl_policy(body);
	if (tl_load(NULL, pol, &pk, &errs)) {
		tl_dump_errors(errs);
		pol_errors_free(errs);
		free(pol);
		fail();
	}
	free(pol);
	json_t *doc = tl_eval(pk, facts, 2026);
	assert_non_null(doc);
	json_t *e = json_array_get(json_object_get(doc, "entitlements"), 0);
	if (strcmp(json_string_value(json_object_get(e, "status")), "granted") == 0)
		r = json_integer_value(json_object_get(e, "quantity"));
	json_decref(doc);
	pol_pack_free(pk);
	return r;
}

/* 1 true, 0 false, -1 missing: the result of a condition, as the explanation reports it */
static int cond_of(const char *expr, const char *facts, json_t **expl)
{
	char body[1024];
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	snprintf(body, sizeof(body), "period: year\nkind: points\neligible:\n  - '%s'\namount: 1\n", expr);
	char *pol = tl_policy(body);
	if (tl_load(NULL, pol, &pk, &errs)) {
		tl_dump_errors(errs);
		pol_errors_free(errs);
		free(pol);
		fail();
	}
	free(pol);
	json_t *doc = tl_eval(pk, facts, 2026);
	assert_non_null(doc);
	json_t *e = json_array_get(json_object_get(doc, "entitlements"), 0);
	json_t *c = json_array_get(json_object_get(json_object_get(e, "explanation"), "conditions"), 0);
	int r = json_is_true(json_object_get(c, "result")) ? 1 : json_is_true(json_object_get(c, "missing")) ? -1 : 0;
	/* a condition that is not true makes the entitlement ineligible */
	assert_string_equal(json_string_value(json_object_get(e, "status")), r == 1 ? "granted" : "ineligible");
	if (expl)
		*expl = json_incref(json_object_get(e, "explanation"));
	json_decref(doc);
	pol_pack_free(pk);
	return r;
}

static const char P1[] = "{\"person\": {\"id\": \"p1\", \"flag\": true, \"d\": 89.5, \"n\": 7,"
			 " \"birth_date\": \"2000-02-29\", \"months\": {\"2026\": [1, 3, 5]},"
			 " \"kids\": [{\"id\": \"k1\", \"birth_date\": \"2012-09-01\"}, {\"id\": \"k2\"}]}}";

static void test_three_valued_logic(void **state)
{
	(void)state;
	assert_int_equal(cond_of("person.flag and person.other", P1, NULL), -1);
	assert_int_equal(cond_of("not person.flag and person.other", P1, NULL), 0); /* false and missing */
	assert_int_equal(cond_of("person.other and not person.flag", P1, NULL), 0);
	assert_int_equal(cond_of("person.flag or person.other", P1, NULL), 1);      /* true or missing */
	assert_int_equal(cond_of("not person.flag or person.other", P1, NULL), -1);
	assert_int_equal(cond_of("not person.other", P1, NULL), -1);
	assert_int_equal(cond_of("person.m > 0", P1, NULL), -1);
	assert_int_equal(cond_of("person.m > 0 or true", P1, NULL), 1);
	assert_int_equal(cond_of("present(person.other)", P1, NULL), 0);
	assert_int_equal(cond_of("present(person.flag)", P1, NULL), 1);
	assert_int_equal(cond_of("present(person.tier.level)", P1, NULL), 0);
	assert_int_equal(cond_of("count(person.months[2025]) >= 0", P1, NULL), -1); /* missing list */
	assert_int_equal(cond_of("if person.other then true else false", P1, NULL), 0); /* missing → else */
}

static void test_missing_named_in_explanation(void **state)
{
	json_t *x = NULL;
	(void)state;
	assert_int_equal(cond_of("person.tier.level >= 3 and person.flag", P1, &x), -1);
	json_t *missing = json_object_get(x, "missing");
	assert_int_equal(json_array_size(missing), 1);
	assert_string_equal(json_string_value(json_array_get(missing, 0)), "person.tier.level");
	json_t *vals = json_object_get(json_array_get(json_object_get(x, "conditions"), 0), "values");
	assert_true(json_is_null(json_object_get(vals, "person.tier.level")));
	assert_true(json_is_true(json_object_get(vals, "person.flag")));
	json_decref(x);
}

static void test_rounding(void **state)
{
	static const char F[] = "{\"person\": {\"id\": \"p1\", \"d\": 89.5, \"n\": 0}}";
	(void)state;
	assert_true(amount_of("floor(7 / 2)", F) == 3);
	assert_true(amount_of("floor(-7 / 2)", F) == -4);
	assert_true(amount_of("ceil(7 / 2)", F) == 4);
	assert_true(amount_of("ceil(-7 / 2)", F) == -3);
	assert_true(amount_of("round(5 / 2)", F) == 3);   /* half away from zero */
	assert_true(amount_of("round(-5 / 2)", F) == -3);
	assert_true(amount_of("round(7 / 3)", F) == 2);
	assert_true(amount_of("round(8 / 3)", F) == 3);
	assert_true(amount_of("round(person.d)", F) == 90); /* 89.5 */
	assert_true(amount_of("floor(person.d)", F) == 89);
	assert_true(amount_of("ceil(person.d)", F) == 90);
	assert_true(amount_of("floor(person.d / 2)", F) == 44); /* 44.75 */
	assert_true(amount_of("floor(8000000 * 10 / 12)", F) == 6666666);
	assert_true(amount_of("floor(1 / person.n)", F) == NONE); /* division by zero: missing */
	assert_true(amount_of("min(3, 4) + max(3, 4)", F) == 7);
}

static void test_dates(void **state)
{
	static const char F[] = "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2000-02-29\","
				" \"tier\": {\"level\": 3, \"from\": \"2024-02-29\", \"to\": \"2026-05-31\"}}}";
	static const char OPEN[] = "{\"person\": {\"id\": \"p1\", \"tier\": {\"level\": 3, \"from\": \"2026-06-30\"}}}";
	(void)state;
	/* born on Feb 29: a year older on Mar 1 in common years */
	assert_true(amount_of("age_on(person.birth_date, date(2026, 2, 28))", F) == 25);
	assert_true(amount_of("age_on(person.birth_date, date(2026, 3, 1))", F) == 26);
	assert_true(amount_of("age_on(person.birth_date, date(2024, 2, 29))", F) == 24);
	assert_true(amount_of("age_on(person.birth_date, date(1999, 1, 1))", F) == NONE);
	assert_int_equal(cond_of("add_years(person.birth_date, 1) == date(2001, 2, 28)", F, NULL), 1);
	assert_true(amount_of("year_of(person.birth_date) * 100 + month_of(person.birth_date)", F) == 200002);
	assert_true(amount_of("year_of(date(2026, 2, 30))", F) == NONE);
	/* overlaps_month: the range touches any day of the month */
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2024, 2)", F, NULL), 1);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2024, 1)", F, NULL), 0);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2026, 5)", F, NULL), 1);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2026, 6)", F, NULL), 0);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2026, 13)", F, NULL), -1);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2026, 5)", OPEN, NULL), 0);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2026, 6)", OPEN, NULL), 1);
	assert_int_equal(cond_of("overlaps_month(person.tier.from, person.tier.to, 2099, 12)", OPEN, NULL), 1);
	assert_int_equal(cond_of("overlaps_year(person.tier.from, person.tier.to, 2023)", F, NULL), 0);
	assert_int_equal(cond_of("overlaps_year(person.tier.from, person.tier.to, 2026)", F, NULL), 1);
	assert_int_equal(cond_of("overlaps_year(person.tier.from, person.tier.to, 2027)", F, NULL), 0);
	/* valid_on: both ends included; a missing end is open */
	assert_int_equal(cond_of("valid_on(person.tier.from, person.tier.to, date(2026, 5, 31))", F, NULL), 1);
	assert_int_equal(cond_of("valid_on(person.tier.from, person.tier.to, date(2026, 6, 1))", F, NULL), 0);
	assert_int_equal(cond_of("valid_on(person.tier.from, person.tier.to, date(2024, 2, 28))", F, NULL), 0);
	assert_int_equal(cond_of("valid_on(person.tier.from, person.tier.to, date(2030, 1, 1))", OPEN, NULL), 1);
	assert_int_equal(cond_of("period.start == date(2026, 1, 1) and period.end == date(2026, 12, 31)", F, NULL), 1);
}

static void test_lists(void **state)
{
	(void)state;
	assert_true(amount_of("count(1..12, m -> m in person.months[period.year])", P1) == 3);
	assert_true(amount_of("count(person.months[2026])", P1) == 3);
	assert_true(amount_of("count(person.kids, k -> present(k.birth_date))", P1) == 1);
	assert_true(amount_of("sum(person.kids, k -> 2)", P1) == 4);
	assert_true(amount_of("sum(person.kids, k -> age_on(k.birth_date, date(2026, 9, 1)))", P1) == NONE);
	assert_int_equal(cond_of("any(person.kids, k -> age_on(k.birth_date, date(2026, 9, 1)) == 14)", P1, NULL), 1);
	assert_int_equal(cond_of("all(person.kids, k -> present(k.id))", P1, NULL), 1);
	assert_int_equal(cond_of("person.n in [1, 7, 9] and not (person.n in 8..9)", P1, NULL), 1);
	assert_int_equal(cond_of("person.d >= 89.5 and person.d < 90", P1, NULL), 1);
}

/* a pack of several policies from texts: pack.yaml = TEST_PACK with the given order line */
static struct pol_pack *load_many(const char *order, const char *const *pols, size_t n)
{
	char pack[4096];
	const char *names[8];
	const char *texts[8];
	size_t lens[8];
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	const char *o = strstr(TEST_PACK, "order: [p]");

	snprintf(pack, sizeof(pack), "%.*s%s%s", (int)(o - TEST_PACK), TEST_PACK, order, o + strlen("order: [p]"));
	names[0] = "pack.yaml";
	texts[0] = pack;
	lens[0] = strlen(pack);
	for (size_t i = 0; i < n; i++) {
		static char nm[8][32];
		snprintf(nm[i], sizeof(nm[i]), "p%zu.yaml", i);
		names[i + 1] = nm[i];
		texts[i + 1] = pols[i];
		lens[i + 1] = strlen(pols[i]);
	}
	if (pol_pack_load_mem(n + 1, names, texts, lens, &pk, &errs)) {
		tl_dump_errors(errs);
		pol_errors_free(errs);
		fail();
	}
	return pk;
}

static const char HDR[] = "title: {zh: 测, en: T}\nbeneficiary: person\nchannel: apply\n";

static void test_groups_and_instalments(void **state)
{
	char a[1024], b[1024];
	(void)state;
	snprintf(a, sizeof(a), "id: a\n%speriod: once\nkind: cash\ngroup: g\ndue: year_of(person.birth_date)\n"
		 "parameters:\n  t:\n    type: money\n    values:\n      - {since: 2022-01-01, value: 200, source: s}\n"
		 "amount: t\ninstalments:\n  - due: year_of(person.birth_date)\n    amount: floor(total / 2)\n"
		 "  - due: year_of(person.birth_date) + 3\n    amount: total - floor(total / 2)\n"
		 "    condition: count(person.months[due_year]) >= 6\n", HDR);
	snprintf(b, sizeof(b), "id: b\n%speriod: once\nkind: cash\ngroup: g\ndue: year_of(person.birth_date)\n"
		 "eligible:\n  - person.flag\nparameters:\n  t:\n    type: money\n    values:\n"
		 "      - {since: 2022-01-01, value: 300, source: s}\namount: t\n", HDR);
	const char *pols[] = {a, b};
	struct pol_pack *pk = load_many("order: [a, b]", pols, 2);

	/* b is higher: a is excluded in its due year and 3 years later */
	json_t *d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2026-01-05\", \"flag\": true}}", 2026);
	json_t *es = json_object_get(d, "entitlements");
	assert_int_equal(json_array_size(es), 2);
	json_t *e0 = json_array_get(es, 0), *e1 = json_array_get(es, 1);
	assert_string_equal(json_string_value(json_object_get(e0, "status")), "excluded");
	assert_string_equal(json_string_value(json_object_get(e0, "excluded_by")), "b");
	assert_int_equal(json_integer_value(json_object_get(e0, "amount_fen")), 0);
	assert_string_equal(json_string_value(json_object_get(e1, "status")), "granted");
	assert_int_equal(json_integer_value(json_object_get(e1, "amount_fen")), 300);
	json_t *g = json_object_get(json_object_get(e1, "explanation"), "group");
	assert_string_equal(json_string_value(json_object_get(g, "winner")), "b");
	assert_int_equal(json_array_size(json_object_get(g, "candidates")), 2);
	json_decref(d);
	d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2026-01-05\", \"flag\": true}}", 2029);
	es = json_object_get(d, "entitlements");
	assert_int_equal(json_array_size(es), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "status")), "excluded");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(es, 0), "instalment")), 2);
	json_decref(d);

	/* b not eligible: a wins; instalment 2 needs 6 insured months in 2029 */
	d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2026-01-05\", \"months\": {\"2029\": [1,2,3,4,5,6]}}}", 2029);
	es = json_object_get(d, "entitlements");
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "status")), "granted");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(es, 0), "amount_fen")), 100);
	json_decref(d);
	d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2026-01-05\", \"months\": {\"2029\": [1,2,3,4,5]}}}", 2029);
	es = json_object_get(d, "entitlements");
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "status")), "ineligible");
	json_decref(d);
	/* no due year: nothing listed, even with --all */
	d = tl_eval(pk, "{\"person\": {\"id\": \"p1\"}}", 2026);
	assert_int_equal(json_array_size(json_object_get(d, "entitlements")), 0);
	json_decref(d);
	pol_pack_free(pk);

	/* a tie goes to the first in order */
	snprintf(b, sizeof(b), "id: b\n%speriod: once\nkind: cash\ngroup: g\ndue: year_of(person.birth_date)\n"
		 "parameters:\n  t:\n    type: money\n    values:\n      - {since: 2022-01-01, value: 200, source: s}\n"
		 "amount: t\n", HDR);
	pk = load_many("order: [b, a]", pols, 2);
	d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2026-01-05\"}}", 2026);
	es = json_object_get(d, "entitlements");
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "policy")), "b");
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "status")), "granted");
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 1), "excluded_by")), "b");
	json_decref(d);
	pol_pack_free(pk);
}

static void test_months_params_and_explanation(void **state)
{
	char a[2048];
	(void)state;
	snprintf(a, sizeof(a), "id: m\n%speriod: month\nkind: cash\n"
		 "parameters:\n  rate:\n    type: {map: int, to: money}\n    values:\n"
		 "      - {since: 2022-01-01, value: {3: 100}, source: first}\n"
		 "      - {since: 2026-07-01, value: {3: 150}, source: second}\n"
		 "let:\n  on: overlaps_month(person.tier.from, person.tier.to, period.year, period.month)\n"
		 "eligible:\n  - on\n  - period.month in person.months[period.year]\n"
		 "amount: rate[person.tier.level]\n", HDR);
	const char *pols[] = {a};
	struct pol_pack *pk = load_many("order: [m]", pols, 1);
	json_t *d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"tier\": {\"level\": 3, \"from\": \"2026-01-01\"},"
				" \"months\": {\"2026\": [6, 7]}}}", 2026);
	json_t *es = json_object_get(d, "entitlements");

	assert_int_equal(json_array_size(es), 12);
	json_t *jun = json_array_get(es, 5), *jul = json_array_get(es, 6);
	assert_string_equal(json_string_value(json_object_get(jun, "period")), "2026-06");
	assert_int_equal(json_integer_value(json_object_get(jun, "amount_fen")), 100);
	assert_int_equal(json_integer_value(json_object_get(jul, "amount_fen")), 150);
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "status")), "ineligible");
	json_t *x = json_object_get(jul, "explanation");
	json_t *p = json_array_get(json_object_get(x, "parameters"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "rate");
	assert_int_equal(json_integer_value(json_object_get(p, "key")), 3);
	assert_int_equal(json_integer_value(json_object_get(p, "value")), 150);
	assert_string_equal(json_string_value(json_object_get(p, "since")), "2026-07-01");
	assert_string_equal(json_string_value(json_object_get(p, "source")), "second");
	json_t *l = json_array_get(json_object_get(x, "let"), 0);
	assert_string_equal(json_string_value(json_object_get(l, "name")), "on");
	assert_true(json_is_true(json_object_get(l, "value")));
	json_t *c1 = json_array_get(json_object_get(x, "conditions"), 1);
	assert_string_equal(json_string_value(json_object_get(c1, "expr")), "period.month in person.months[period.year]");
	json_t *v = json_object_get(json_object_get(c1, "values"), "person.months[2026]");
	assert_int_equal(json_array_size(v), 2);
	json_t *c0 = json_array_get(json_object_get(x, "conditions"), 0);
	assert_true(json_is_true(json_object_get(json_object_get(c0, "values"), "on")));
	json_t *am = json_object_get(x, "amount");
	assert_string_equal(json_string_value(json_object_get(am, "expr")), "rate[person.tier.level]");
	assert_int_equal(json_integer_value(json_object_get(am, "value")), 150);
	assert_string_equal(json_string_value(json_object_get(json_array_get(es, 0), "period")), "2026-01");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(es, 0), "explanation"), "failed")),
			    "period.month in person.months[period.year]");
	json_decref(d);

	/* the text explanation */
	json_error_t je;
	json_t *fj = json_loads("{\"person\": {\"id\": \"p1\", \"tier\": {\"level\": 3, \"from\": \"2026-01-01\"},"
				" \"months\": {\"2026\": [6, 7]}}}", 0, &je);
	char err[128];
	struct pol_facts *f = pol_facts_from_json(pk, fj, err, sizeof(err));
	struct pol_select sel = {"m", NULL, 0, 7};
	int nf;
	char *txt = pol_explain_text(pk, f, 2026, &sel, "en", &nf);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "rate[3] = 150  (since 2026-07-01; source: second)"));
	assert_non_null(strstr(txt, "status: granted, amount 150 fen"));
	free(txt);
	txt = pol_explain_text(pk, f, 2026, &sel, "zh", &nf);
	assert_non_null(strstr(txt, "结果: 发放"));
	free(txt);
	sel.policy = "nosuch";
	assert_null(pol_explain_text(pk, f, 2026, &sel, "zh", &nf));
	assert_int_equal(nf, 1);
	pol_facts_free(f);
	json_decref(fj);
	pol_pack_free(pk);
}

static void test_no_value_in_force(void **state)
{
	char a[1024];
	(void)state;
	snprintf(a, sizeof(a), "id: o\n%speriod: once\nkind: cash\ndue: year_of(person.birth_date)\n"
		 "parameters:\n  t:\n    type: money\n    values:\n      - {since: 2022-01-01, value: 200, source: s}\n"
		 "amount: t\n", HDR);
	const char *pols[] = {a};
	struct pol_pack *pk = load_many("order: [o]", pols, 1);
	json_t *d = tl_eval(pk, "{\"person\": {\"id\": \"p1\", \"birth_date\": \"2021-06-01\"}}", 2021);
	json_t *e = json_array_get(json_object_get(d, "entitlements"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "status")), "ineligible");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "explanation"), "no_value_in_force")), "t");
	json_decref(d);
	pol_pack_free(pk);
}

/* A once policy's `due` that reads a parameter uses that policy's own versions, never the
 * ones the policy judged before it left in the VM (a: two versions; b: one — before the fix
 * b's due read version 1 of a one-version parameter and b vanished from the output). */
static void test_due_reads_its_own_parameters(void **state)
{
	char a[1024], b[1024];
	(void)state;
	snprintf(a, sizeof(a), "id: a\n%speriod: year\nkind: cash\n"
		 "parameters:\n  x:\n    type: money\n    values:\n"
		 "      - {since: 2022-01-01, value: 100, source: s}\n"
		 "      - {since: 2024-01-01, value: 300, source: s}\n"
		 "amount: x\n", HDR);
	snprintf(b, sizeof(b), "id: b\n%speriod: once\nkind: cash\ndue: when\n"
		 "parameters:\n  when:\n    type: int\n    values:\n"
		 "      - {since: 2022-01-01, value: 2026, source: s}\n"
		 "  amt:\n    type: money\n    values:\n"
		 "      - {since: 2022-01-01, value: 700, source: s}\n"
		 "amount: amt\n", HDR);
	const char *pols[] = {a, b};
	struct pol_pack *pk = load_many("order: [a, b]", pols, 2);
	json_t *d = tl_eval(pk, "{\"person\": {\"id\": \"p1\"}}", 2026);
	json_t *ents = json_object_get(d, "entitlements");
	assert_int_equal(json_array_size(ents), 2);
	json_t *e = json_array_get(ents, 1);
	assert_string_equal(json_string_value(json_object_get(e, "policy")), "b");
	assert_string_equal(json_string_value(json_object_get(e, "period")), "2026");
	assert_int_equal(json_integer_value(json_object_get(e, "amount_fen")), 700);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ents, 0), "amount_fen")),
			 300);
	json_decref(d);
	pol_pack_free(pk);
}

static void expect_bad_facts(struct pol_pack *pk, const char *facts, const char *msg)
{
	json_error_t je;
	json_t *doc = json_loads(facts, 0, &je);
	char err[256];

	assert_non_null(doc);
	assert_null(pol_facts_from_json(pk, doc, err, sizeof(err)));
	assert_string_equal(err, msg);
	json_decref(doc);
}

static void test_bad_facts(void **state)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	char *pol = tl_policy("period: year\nkind: points\namount: 1\n");
	(void)state;

	assert_int_equal(tl_load(NULL, pol, &pk, &errs), 0);
	free(pol);
	expect_bad_facts(pk, "{\"person\": {}}", "person.id: required");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"tier\": {\"level\": 9}}}", "person.tier.level: 9 is outside 1..7");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"birth_date\": \"2026-02-30\"}}",
			 "person.birth_date: not a date (YYYY-MM-DD)");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"degree\": \"doctor\"}}",
			 "person.degree: not one of the values of degree");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"d\": -1}}", "person.d: -1.00 is below 0.00");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"months\": {\"2026\": [13]}}}",
			 "person.months.2026[0]: 13 is outside 1..12");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"months\": {\"20x6\": [1]}}}", "person.months.20x6: not a year");
	expect_bad_facts(pk, "{\"person\": {\"id\": \"p\", \"n\": \"7\"}}", "person.n: expected an integer");
	expect_bad_facts(pk, "[]", "facts: expected a JSON object");
	pol_pack_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_valued_logic),
		cmocka_unit_test(test_missing_named_in_explanation),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_groups_and_instalments),
		cmocka_unit_test(test_months_params_and_explanation),
		cmocka_unit_test(test_no_value_in_force),
		cmocka_unit_test(test_due_reads_its_own_parameters),
		cmocka_unit_test(test_bad_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
