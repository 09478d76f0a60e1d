/* Unit tests: the SQLite store behind the store interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "store/store.h"
#include "testdb.h"

struct fx {
	char path[64];
	struct store *st;
	struct arena *a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (testdb_create(f->path, "store", &f->st) != 0)
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	testdb_remove(f->path, f->st);
	arena_free(f->a);
	free(f);
	return 0;
}

static struct talent person(const char *name, const char *idn)
{
	struct talent t;
	memset(&t, 0, sizeof t);
	t.name = name;
	t.gender = "M";
	t.id_number = idn;
	t.birth_date = "1990-01-01";
	t.double_first_class = -1;
	t.home_area_cm2 = -1;
	t.home_in_jinjiang = t.home_first = t.startup_in_jinjiang = -1;
	t.town = "350582102";
	return t;
}

static void migrate_is_idempotent(void **state)
{
	struct fx *f = *state;
	int applied = -1, version = 0;
	assert_int_equal(store_migrate(f->st, &applied, &version), TP_OK);
	assert_int_equal(applied, 0);
	assert_true(version >= 2);
	struct ref_item *items;
	size_t n;
	assert_int_equal(STORE_CALL(ref_list, f->st, REF_TOWN, f->a, &items, &n), TP_OK);
	assert_int_equal(n, 19); /* 6 streets + 13 towns */
	assert_int_equal(STORE_CALL(ref_exists, f->st, REF_INDUSTRY, "IC"), TP_OK);
	assert_int_equal(STORE_CALL(ref_exists, f->st, REF_INDUSTRY, "nope"), TP_ERR_NOT_FOUND);
}

static void round_trip_with_child_rows(void **state)
{
	struct fx *f = *state;
	struct talent t = person("王芳", "350582199001011231");
	struct education edu[2] = {
		{"bachelor", "华侨大学", "土木工程", "2012-07-01", 0},
		{"master", "厦门大学", "材料学", "2015-07-01", 1},
	};
	struct talent_year years[1] = {{2026, 0x3FF, 45}};
	struct child kids[1] = {{"王小明", "2016-09-01"}};
	t.educations = edu;
	t.n_educations = 2;
	t.years = years;
	t.n_years = 1;
	t.children = kids;
	t.n_children = 1;
	t.tier = 6;
	t.tier_from = "2024-01-01";
	t.tier_to = "2028-12-31";
	t.home_area_cm2 = 8950;
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	assert_true(t.id > 0);

	struct talent g;
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &g), TP_OK);
	assert_string_equal(g.name, "王芳");
	assert_int_equal(g.tier, 6);
	assert_int_equal(g.home_area_cm2, 8950);
	assert_int_equal(g.home_in_jinjiang, -1);
	assert_int_equal(g.n_educations, 2);
	assert_string_equal(g.educations[1].school, "厦门大学");
	assert_int_equal(g.educations[1].double_first_class, 1);
	assert_int_equal(g.n_years, 1);
	assert_int_equal(g.years[0].insured_months, 0x3FF);
	assert_int_equal(g.years[0].days_in_jinjiang, 45);
	assert_int_equal(g.n_children, 1);
	assert_string_equal(g.children[0].birth_date, "2016-09-01");

	/* update replaces child rows and bumps the version; a stale version conflicts */
	g.n_children = 0;
	g.phone = "13812345678";
	int64_t v = g.version;
	assert_int_equal(STORE_CALL(talent_update, f->st, &g), TP_OK);
	assert_int_equal(g.version, v + 1);
	struct talent h;
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &h), TP_OK);
	assert_int_equal(h.n_children, 0);
	assert_string_equal(h.phone, "13812345678");
	h.version = v; /* stale */
	assert_int_equal(STORE_CALL(talent_update, f->st, &h), TP_ERR_CONFLICT);

	assert_int_equal(STORE_CALL(talent_get, f->st, 9999, f->a, &h), TP_ERR_NOT_FOUND);
}

static void unique_id_number_and_rollback(void **state)
{
	struct fx *f = *state;
	struct talent a = person("李娜", "11010519491231002X");
	struct talent b = person("李娜", "11010519491231002X");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &a), TP_OK);
	assert_int_equal(STORE_CALL(talent_insert, f->st, &b), TP_ERR_CONFLICT);
	int64_t id = 0;
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, "11010519491231002X", &id),
			 TP_OK);
	assert_int_equal(id, a.id);

	/* a rolled-back transaction leaves nothing behind */
	struct talent c = person("陈静", "440524188001010014");
	assert_int_equal(store_begin(f->st), TP_OK);
	assert_int_equal(STORE_CALL(talent_insert, f->st, &c), TP_OK);
	assert_int_equal(store_rollback(f->st), TP_OK);
	assert_int_equal(STORE_CALL(talent_find_id_number, f->st, "440524188001010014", &id),
			 TP_ERR_NOT_FOUND);
}

static void list_filters_and_prefix_search(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {"王芳", "王芳芳", "王", "汪芳", "张伟", "王伟"};
	static const char *const ids[] = {"350582199001011231", "11010519491231002X",
					  "440524188001010014", "350582200002291234",
					  "110105194912310021", "110105194912310048"};
	/* only the id numbers matter to the store (it does not validate); keep them unique */
	for (size_t i = 0; i < 6; i++) {
		struct talent t = person(names[i], ids[i]);
		if (i % 2)
			t.tier = 5;
		if (i == 4)
			t.town = "350582001";
		assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	}
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 2;
	struct talent_page p;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 6);
	assert_int_equal(p.n, 2);
	q.page = 3;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.n, 2);
	q.page = 4;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.total, 6);

	q.page = 1;
	q.per_page = 50;
	q.q = "王芳"; /* prefix: 王芳 and 王芳芳, not 汪芳 */
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 2);
	q.q = "王"; /* 王芳 王芳芳 王 王伟 */
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 4);
	q.q = NULL;
	q.tier = 5; /* i = 1, 3, 5 */
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 3);
	q.tier = -1;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 3);
	q.tier = 0;
	q.town = "350582001";
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.items[0].name, "张伟");
	q.town = NULL;
	q.id_number = "350582200002291234";
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 1);
	assert_string_equal(p.items[0].name, "汪芳");
}

static void enterprises_and_employment(void **state)
{
	struct fx *f = *state;
	struct enterprise e;
	memset(&e, 0, sizeof e);
	e.name = "晋江市鸿星鞋业有限公司";
	e.credit_code = "91350100M000100Y43";
	e.town = "350582102";
	e.industry = "TEX";
	e.size = "small";
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);
	struct enterprise dup = e;
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &dup), TP_ERR_CONFLICT);
	struct enterprise bad = e;
	bad.credit_code = "91110000600037341L";
	bad.town = "999999999"; /* foreign key */
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &bad), TP_ERR_INVALID);

	struct talent t = person("林强", "350582199001011231");
	t.enterprise_id = e.id;
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	struct employment m = {0, t.id, e.id, NULL, "2020-03-01", NULL, "工程师", 18000000};
	assert_int_equal(STORE_CALL(employment_insert, f->st, &m), TP_OK);
	struct employment wrong = {0, t.id, e.id, NULL, "2020-03-01", "2019-01-01", NULL, -1};
	assert_int_equal(STORE_CALL(employment_insert, f->st, &wrong), TP_ERR_INVALID);

	struct talent g;
	assert_int_equal(STORE_CALL(talent_get, f->st, t.id, f->a, &g), TP_OK);
	assert_string_equal(g.enterprise_name, "晋江市鸿星鞋业有限公司");
	assert_int_equal(g.n_employments, 1);
	assert_int_equal(g.employments[0].annual_salary_fen, 18000000);
	struct enterprise ge;
	assert_int_equal(STORE_CALL(enterprise_get, f->st, e.id, f->a, &ge), TP_OK);
	assert_int_equal(ge.staff_count, 1);
}

/* A cached list total never outlives a write, by this connection or another one. */
static void list_totals_follow_writes(void **state)
{
	struct fx *f = *state;
	char err[256];
	struct registry_query q;
	memset(&q, 0, sizeof q);
	q.page = 1;
	q.per_page = 10;
	q.town = "350582102";
	struct talent_page p;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 0);

	/* another process commits (as `talentport import` beside the server would): this
	 * process's counters never hear of it, only the database can tell */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *child;
		struct talent t = person("黄丽", "350582199001011231");
		int ok = store_open(f->path, 0, &child, err, sizeof err) == TP_OK &&
			 store_begin(child) == TP_OK &&
			 STORE_CALL(talent_insert, child, &t) == TP_OK &&
			 store_commit(child) == TP_OK;
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.n, 1);

	/* and its own writes, in autocommit mode too */
	struct talent u = person("黄强", "11010519491231002X");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &u), TP_OK);
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 2);

	/* a page past the end is empty but keeps the total */
	q.page = 5;
	assert_int_equal(STORE_CALL(talent_list, f->st, &q, f->a, &p), TP_OK);
	assert_int_equal(p.total, 2);
	assert_int_equal(p.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_with_child_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(unique_id_number_and_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(list_filters_and_prefix_search, setup, teardown),
		cmocka_unit_test_setup_teardown(enterprises_and_employment, setup, teardown),
		cmocka_unit_test_setup_teardown(list_totals_follow_writes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
