/*
 * test_team_rank.c — unit tests for src/domain/team_rank.c (the pure ranking) and the
 * criteria parser of src/domain/team_rounds.c.  Expected figures worked out by hand in
 * the comments (docs/team-review.md has the rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/verr.h"
#include "domain/teams.h"

static struct team_round default_round(struct arena *a)
{
	struct team_round r;
	memset(&r, 0, sizeof r);
	struct verrors ve;
	verr_init(&ve, a);
	assert_int_equal(team_criteria_parse(TEAM_DEFAULT_CRITERIA, &r, &ve), 0);
	assert_int_equal(r.ncriteria, 4);
	return r;
}

static size_t add_scores(struct team_score *out, size_t n, const struct team_round *r,
			 int64_t team, int64_t expert, const int *s)
{
	for (int c = 0; c < r->ncriteria; c++) {
		out[n].team_id = team;
		out[n].expert_id = expert;
		out[n].criterion = r->criteria[c].id;
		out[n].score = s[c];
		n++;
	}
	return n;
}

/* totals 80 82 78 81 79 20: mean 70, squares of the deviations 100 144 64 121 81 2500 =
 * 3010, sd = sqrt(3010 / 6) = 22.398, 2 sd = 44.80: only 20 (|-50| > 44.80) is flagged,
 * z = -50 / 22.398 = -2.2324. */
static void test_outlier(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct team_round r = default_round(a);
	static const int s[6][4] = {{24, 20, 20, 16}, {25, 21, 20, 16}, {23, 20, 19, 16},
				    {24, 21, 20, 16}, {24, 20, 19, 16}, {5, 5, 5, 5}};
	struct team_score sc[64];
	size_t n = 0;
	for (int e = 0; e < 6; e++)
		n = add_scores(sc, n, &r, 1, 10 + e, s[e]);
	struct team t = {.id = 1, .name = "t", .status = "submitted"};
	struct team_rank_row *rows;
	assert_int_equal(team_rank_compute(&r, &t, 1, sc, n, a, &rows), TP_OK);
	assert_int_equal(rows[0].nexperts, 6);
	assert_true(fabs(rows[0].mean - 70.0) < 1e-9);
	assert_true(fabs(rows[0].sd - sqrt(3010.0 / 6)) < 1e-9);
	for (int e = 0; e < 6; e++)
		assert_int_equal(rows[0].experts[e].flagged, e == 5);
	assert_true(fabs(rows[0].experts[5].z + 50.0 / sqrt(3010.0 / 6)) < 1e-9);
	arena_free(a);
}

/* Five experts cannot flag anyone: no total lies more than sqrt(n - 1) = 2 sd from the
 * mean.  The extreme case, totals 100 100 100 100 0: mean 80, deviations 20 20 20 20 -80,
 * squares 400 * 4 + 6400 = 8000, sd = sqrt(8000 / 5) = 40; |0 - 80| = 80 = 2 sd exactly,
 * not more: not flagged. */
static void test_five_cannot_flag(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct team_round r = default_round(a);
	static const int hi[4] = {30, 25, 25, 20}, lo[4] = {0, 0, 0, 0};
	struct team_score sc[64];
	size_t n = 0;
	for (int e = 0; e < 5; e++)
		n = add_scores(sc, n, &r, 1, e + 1, e == 4 ? lo : hi);
	struct team t = {.id = 1, .name = "t", .status = "submitted"};
	struct team_rank_row *rows;
	assert_int_equal(team_rank_compute(&r, &t, 1, sc, n, a, &rows), TP_OK);
	assert_true(fabs(rows[0].mean - 80.0) < 1e-9);
	assert_true(fabs(rows[0].sd - 40.0) < 1e-9);
	for (int e = 0; e < 5; e++)
		assert_int_equal(rows[0].experts[e].flagged, 0);
	arena_free(a);
}

/* Order: mean descending, ties by team id; a team with only an incomplete set is last
 * with rank 0.  Team 7: 60; team 3: 60; team 5: 90; team 9: one criterion only. */
static void test_order(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct team_round r = default_round(a);
	static const int sixty[4] = {18, 15, 15, 12}, ninety[4] = {27, 23, 22, 18};
	struct team_score sc[64];
	size_t n = 0;
	n = add_scores(sc, n, &r, 7, 1, sixty);
	n = add_scores(sc, n, &r, 3, 1, sixty);
	n = add_scores(sc, n, &r, 5, 1, ninety);
	sc[n++] = (struct team_score){.team_id = 9, .expert_id = 1, .criterion = "innovation",
				      .score = 30};
	struct team t[4] = {{.id = 9, .status = "submitted"},
			    {.id = 7, .status = "submitted"},
			    {.id = 5, .status = "submitted"},
			    {.id = 3, .status = "submitted"}};
	struct team_rank_row *rows;
	assert_int_equal(team_rank_compute(&r, t, 4, sc, n, a, &rows), TP_OK);
	int64_t want[4] = {5, 3, 7, 9};
	int ranks[4] = {1, 2, 3, 0};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(rows[i].team_id, want[i]);
		assert_int_equal(rows[i].rank, ranks[i]);
	}
	assert_int_equal(rows[3].nincomplete, 1);
	arena_free(a);
}

/* quality weight 3 max 10, cost weight 1 max 5; scores 8 and 5:
 * 100 * (3 * 8 / 10 + 1 * 5 / 5) / 4 = 85. */
static void test_weights(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct team_round r;
	memset(&r, 0, sizeof r);
	struct verrors ve;
	verr_init(&ve, a);
	assert_int_equal(team_criteria_parse(
			     "[{\"id\":\"quality\",\"title_zh\":\"q\",\"title_en\":\"q\",\"weight\":3,"
			     "\"max\":10},{\"id\":\"cost\",\"title_zh\":\"c\",\"title_en\":\"c\","
			     "\"weight\":1,\"max\":5}]",
			     &r, &ve),
			 0);
	struct team_score sc[2] = {{.team_id = 1, .expert_id = 1, .criterion = "quality", .score = 8},
				   {.team_id = 1, .expert_id = 1, .criterion = "cost", .score = 5}};
	struct team t = {.id = 1, .status = "submitted"};
	struct team_rank_row *rows;
	assert_int_equal(team_rank_compute(&r, &t, 1, sc, 2, a, &rows), TP_OK);
	assert_true(fabs(rows[0].mean - 85.0) < 1e-9);
	arena_free(a);
}

static void test_criteria_rules(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	static const char *const bad[] = {
		"[]", "{}", "not json", "[1]",
		"[{\"id\":\"Bad\",\"title_zh\":\"x\",\"title_en\":\"x\",\"weight\":1,\"max\":1}]",
		"[{\"id\":\"a\",\"title_zh\":\"x\",\"title_en\":\"x\",\"weight\":0,\"max\":1}]",
		"[{\"id\":\"a\",\"title_zh\":\"x\",\"title_en\":\"x\",\"weight\":1,\"max\":1001}]",
		"[{\"id\":\"a\",\"title_zh\":\"x\",\"title_en\":\"x\",\"weight\":1,\"max\":1},"
		"{\"id\":\"a\",\"title_zh\":\"y\",\"title_en\":\"y\",\"weight\":1,\"max\":1}]",
		"[{\"id\":\"a\",\"title_zh\":\"x\",\"title_en\":\"x\",\"weight\":1,\"max\":1,\"z\":1}]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct team_round r;
		memset(&r, 0, sizeof r);
		struct verrors ve;
		verr_init(&ve, a);
		if (team_criteria_parse(bad[i], &r, &ve) != -1 || ve.n == 0)
			fail_msg("accepted: %s", bad[i]);
	}
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outlier),
		cmocka_unit_test(test_five_cannot_flag),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_criteria_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
