/*
 * test_policy_facts.c — a stored talent as the facts document of the policy pack
 * (domain/policy_facts.c).  The expected documents are written out by hand from the
 * semantics of domain/registry.h and default-pack.md "The facts a pack reads".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/policy_facts.h"
#include "policy/policy.h"

/* The registry's "nothing recorded": NULL strings, 0 levels, -1 unknowns. */
static void blank(struct talent *t, int64_t id)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->double_first_class = -1;
	t->short_term = -1;
	t->home_area_cm2 = -1;
	t->home_in_jinjiang = t->home_first = -1;
	t->startup_in_jinjiang = -1;
}

static char *dump(const struct talent *t)
{
	json_t *doc = policy_facts_from_talent(t);
	assert_non_null(doc);
	char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	assert_non_null(s);
	return s;
}

static void expect_facts(const struct talent *t, const char *want)
{
	char *got = dump(t);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "want %s\n got %s\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

static struct talent_year years[3];
static struct child kids[2];

/* Every fact the registry keeps. */
static void full(struct talent *t)
{
	blank(t, 123);
	t->name = "林晋江";
	t->birth_date = "1993-04-02";
	t->degree = "master";
	t->double_first_class = 1;
	t->graduated_on = "2025-07-01";
	t->tier = 3;
	t->tier_from = "2024-01-01";
	t->tier_to = "2028-12-31";
	t->quanzhou_level = 2;
	t->quanzhou_selected_on = "2026-05-10";
	t->provincial_level = 1;
	t->provincial_selected_on = "2025-11-20";
	t->short_term = 0;
	years[0] = (struct talent_year){2025, 0xfffu, 200};
	years[1] = (struct talent_year){2026, 0x3ffu, 45};     /* January..October */
	years[2] = (struct talent_year){2027, 0u, -1};         /* nothing known: left out */
	t->years = years;
	t->n_years = 3;
	t->home_contract_date = "2026-03-01";
	t->home_area_cm2 = 8950;                               /* 89.50 m² */
	t->home_in_jinjiang = 1;
	t->home_first = 1;
	t->startup_registered_on = "2026-01-10";
	t->startup_in_jinjiang = 1;
	kids[0] = (struct child){"林小明", "2012-09-01"};
	kids[1] = (struct child){"林小红", "2018-02-28"};
	t->children = kids;
	t->n_children = 2;
	t->enterprise_id = 45;
	t->town = "350582001";       /* not a fact of the pack */
	t->skill_level = 2;          /* nor this */
}

static const char FULL[] =
	"{\"person\":{\"id\":\"123\",\"birth_date\":\"1993-04-02\",\"degree\":\"master\","
	"\"double_first_class\":true,\"graduated_on\":\"2025-07-01\","
	"\"tier\":{\"level\":3,\"from\":\"2024-01-01\",\"to\":\"2028-12-31\"},"
	"\"quanzhou_level\":2,\"quanzhou_selected_on\":\"2026-05-10\","
	"\"provincial_level\":1,\"provincial_selected_on\":\"2025-11-20\","
	"\"short_term\":false,"
	"\"days_in_jinjiang\":{\"2025\":200,\"2026\":45},"
	"\"insured_months\":{\"2025\":[1,2,3,4,5,6,7,8,9,10,11,12],\"2026\":[1,2,3,4,5,6,7,8,9,10]},"
	"\"home_purchase\":{\"contract_date\":\"2026-03-01\",\"area_m2\":89.5,"
	"\"in_jinjiang\":true,\"first_home_in_jinjiang\":true},"
	"\"startup\":{\"registered_on\":\"2026-01-10\",\"in_jinjiang\":true},"
	"\"children\":[{\"id\":\"c1\",\"birth_date\":\"2012-09-01\"},"
	"{\"id\":\"c2\",\"birth_date\":\"2018-02-28\"}]},"
	"\"enterprise\":{\"id\":\"45\"}}";

static void test_every_fact(void **state)
{
	(void)state;
	struct talent t;
	full(&t);
	expect_facts(&t, FULL);
}

static void test_nothing_recorded(void **state)
{
	(void)state;
	struct talent t;
	blank(&t, 7);
	expect_facts(&t, "{\"person\":{\"id\":\"7\"}}");
}

/* Zero where zero is a value stays; zero or -1 where it means "none" goes. */
static void test_zero_and_unknown(void **state)
{
	(void)state;
	struct talent t;
	struct talent_year y[2] = {{2026, 0u, 0}, {2027, 0x1000u, -1}}; /* no month; a bit past 12 */
	blank(&t, 9);
	t.short_term = 0;              /* known: not flexibly introduced */
	t.double_first_class = 0;
	t.tier = 0;                    /* no tier: its dates alone are not a tier */
	t.tier_from = "2024-01-01";
	t.years = y;
	t.n_years = 2;
	t.home_area_cm2 = 9000;        /* 90 m², whole */
	t.startup_in_jinjiang = 0;
	t.n_children = 0;
	t.enterprise_id = 0;
	expect_facts(&t, "{\"person\":{\"id\":\"9\",\"double_first_class\":false,"
			 "\"short_term\":false,\"days_in_jinjiang\":{\"2026\":0},"
			 "\"home_purchase\":{\"area_m2\":90},"
			 "\"startup\":{\"in_jinjiang\":false}}}");
	/* a tier without dates keeps its level; a talent with a tier open-ended keeps from */
	blank(&t, 10);
	t.tier = 7;
	t.tier_from = "2025-01-01";
	expect_facts(&t, "{\"person\":{\"id\":\"10\",\"tier\":{\"level\":7,\"from\":\"2025-01-01\"}}}");
}

/* The document is one the default pack accepts, and evaluates as default-pack.md says:
 * tier 3 (80000 元 a year), 10 insured months of 2026 → floor(80000 × 10 / 12) 元. */
static void test_accepted_by_the_default_pack(void **state)
{
	(void)state;
	const char *dir = "../policies/jinjiang"; /* the tests run in the build folder */
	if (access(dir, R_OK) != 0)
		dir = "policies/jinjiang";
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	if (pol_pack_load(dir, &pk, &errs) != 0) {
		for (int i = 0; i < pol_errors_count(errs); i++)
			fprintf(stderr, "%s\n", pol_errors_get(errs, i));
		pol_errors_free(errs);
		fail();
	}
	struct talent t;
	full(&t);
	json_t *doc = policy_facts_from_talent(&t);
	char err[256];
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	if (!f)
		fprintf(stderr, "%s\n", err);
	assert_non_null(f);
	char *out = pol_eval_json(pk, f, 2026, 0);
	assert_non_null(out);
	json_t *ev = json_loads(out, 0, NULL);
	assert_non_null(ev);
	json_t *e = json_array_get(json_object_get(ev, "entitlements"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "policy")), "talent-allowance");
	assert_string_equal(json_string_value(json_object_get(e, "beneficiary")), "123");
	assert_string_equal(json_string_value(json_object_get(e, "status")), "granted");
	assert_int_equal(json_integer_value(json_object_get(e, "amount_fen")), 6666600);
	json_decref(ev);
	free(out);
	pol_facts_free(f);

	blank(&t, 7); /* nothing recorded: accepted, nothing granted */
	doc = policy_facts_from_talent(&t);
	f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	assert_non_null(f);
	out = pol_eval_json(pk, f, 2026, 0);
	assert_string_equal(out, "{\"period\":\"2026\",\"entitlements\":[]}\n");
	free(out);
	pol_facts_free(f);
	pol_pack_free(pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fact),
		cmocka_unit_test(test_nothing_recorded),
		cmocka_unit_test(test_zero_and_unknown),
		cmocka_unit_test(test_accepted_by_the_default_pack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
