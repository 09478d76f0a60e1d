/*
 * test_benefits.c — applied benefits (快申快享, domain/benefits.h): benefit_pick() over
 * eval documents written here by hand (granted, excluded by the group's winner, the
 * failing condition of an ineligible one, nothing due, per-item policies with and without
 * the item), and the shipped workflows/benefit.yaml: where a submission starts, who acts,
 * that the office's approval is final and that nothing is announced publicly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "domain/benefits.h"
#include "domain/workflow.h"

static json_t *doc(const char *text)
{
	json_error_t err;
	json_t *d = json_loads(text, 0, &err);
	assert_non_null(d);
	return d;
}

static const char EVAL[] =
    "{\"period\": \"2026\", \"entitlements\": ["
    " {\"policy\": \"housing-purchase\", \"period\": \"2026\", \"instalment\": 1, \"status\": \"ineligible\","
    "  \"explanation\": {\"failed\": \"valid_on(person.tier.from, person.tier.to, d)\","
    "                   \"missing\": [\"person.tier.from\", \"person.tier.to\"]}},"
    " {\"policy\": \"graduate-housing\", \"period\": \"2026\", \"instalment\": 1, \"status\": \"granted\","
    "  \"kind\": \"cash\", \"amount_fen\": 10000000, \"explanation\": {}},"
    " {\"policy\": \"quanzhou-topup\", \"period\": \"2026\", \"instalment\": 1, \"status\": \"excluded\","
    "  \"excluded_by\": \"provincial-topup\", \"explanation\": {}},"
    " {\"policy\": \"child-schooling\", \"item\": \"c1\", \"period\": \"2026\", \"instalment\": 1,"
    "  \"status\": \"granted\", \"kind\": \"service\", \"quantity\": 1, \"explanation\": {}},"
    " {\"policy\": \"child-schooling\", \"item\": \"c2\", \"period\": \"2026\", \"instalment\": 1,"
    "  \"status\": \"granted\", \"kind\": \"service\", \"quantity\": 1, \"explanation\": {}},"
    " {\"policy\": \"child-zhongkao\", \"item\": \"c1\", \"period\": \"2026\", \"instalment\": 1,"
    "  \"status\": \"ineligible\", \"explanation\": {\"failed\": \"year_of(c.birth_date) == period - 15\"}}"
    "]}";

static void test_pick(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *d = doc(EVAL);
	struct benefit_pick p;

	/* granted: the one entry, with its amount */
	assert_int_equal(benefit_pick(d, "graduate-housing", NULL, a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_GRANTED);
	assert_int_equal(json_array_size(p.entitlements), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(p.entitlements, 0),
							    "amount_fen")), 10000000);
	json_decref(p.entitlements);

	/* ineligible: the failing condition and the facts not recorded */
	assert_int_equal(benefit_pick(d, "housing-purchase", NULL, a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_INELIGIBLE);
	assert_string_equal(p.failed, "valid_on(person.tier.from, person.tier.to, d)");
	assert_int_equal(json_array_size(p.missing), 2);
	assert_null(p.entitlements);

	/* excluded by its group's winner (就高不重复) */
	assert_int_equal(benefit_pick(d, "quanzhou-topup", NULL, a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_EXCLUDED);
	assert_string_equal(p.excluded_by, "provincial-topup");

	/* nothing of the policy in the document: not due */
	assert_int_equal(benefit_pick(d, "startup-loan", NULL, a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_NOT_DUE);

	/* per item: two children granted and none chosen → choose; one chosen → that one */
	assert_int_equal(benefit_pick(d, "child-schooling", NULL, a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_NEED_ITEM);
	assert_string_equal(p.items, "c1, c2");
	assert_int_equal(benefit_pick(d, "child-schooling", "c2", a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_GRANTED);
	assert_int_equal(json_array_size(p.entitlements), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(p.entitlements, 0),
							      "item")), "c2");
	json_decref(p.entitlements);
	/* an item with nothing granted: its failing condition */
	assert_int_equal(benefit_pick(d, "child-zhongkao", "c1", a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_INELIGIBLE);
	assert_string_equal(p.failed, "year_of(c.birth_date) == period - 15");
	assert_int_equal(benefit_pick(d, "child-schooling", "c9", a, &p), 0);
	assert_int_equal(p.outcome, BENEFIT_NOT_DUE);

	json_decref(d);
	arena_free(a);
}

static const char *wf_dir(void)
{
	static const char *const dirs[] = {"../workflows", "workflows", "../../workflows"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return dirs[0];
}

static void test_shipped_workflow(void **state)
{
	(void)state;
	assert_int_equal(workflows_load(wf_dir(), stderr), 0);
	const struct workflow *w = workflow_find("benefit");
	assert_non_null(w);
	assert_non_null(workflow_find("identification")); /* loaded alongside */
	/* the employer confirms when the talent applied themself; else the office first */
	assert_int_equal(w->nstart, 2);
	assert_string_equal(w->start[0].to, "employer_review");
	assert_string_equal(w->start[0].when, "employer_confirms");
	assert_string_equal(w->start[1].to, "office_review");
	assert_null(w->start[1].when);
	/* the office approves for good; the approval is the last step */
	const struct wf_transition *t = wf_transition(w, "office_review", "approve");
	assert_non_null(t);
	assert_string_equal(t->to, "approved");
	assert_true(wf_state(w, "approved")->final);
	assert_string_equal(wf_transition_role(w, t), "office_reviewer");
	assert_string_equal(wf_transition(w, "employer_review", "approve")->to, "office_review");
	assert_string_equal(wf_transition_role(w, wf_transition(w, "employer_review", "approve")),
			    "employer");
	/* returned → resubmitted through the start rules again; withdrawn by the applicant */
	assert_string_equal(wf_transition(w, "returned", "resubmit")->to, "start");
	assert_string_equal(wf_transition_role(w, wf_transition(w, "returned", "withdraw")),
			    "applicant");
	assert_null(wf_transition(w, "approved", "withdraw"));
	/* no public announcement (公示) in a benefit's workflow */
	for (int i = 0; i < w->nstates; i++)
		assert_false(w->states[i].public);
	workflows_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_shipped_workflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
