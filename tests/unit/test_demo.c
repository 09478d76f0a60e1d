/*
 * test_demo.c — unit tests for src/domain/demo.c (the deterministic demo data set).
 *
 * Generates into temporary SQLite files and reads back through the store.
 * The check characters are recomputed here from the standards, independently
 * of src/core/idcard.c and src/core/uscc.c:
 *   ID numbers (GB 11643): weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
 *     sum % 11 indexes "10X98765432";
 *   credit codes (GB 32100): alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY",
 *     weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28,
 *     c = 31 - sum % 31, 31 → 0.
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

#include "core/arena.h"
#include "domain/demo.h"
#include "domain/registry.h"
#include "store/store.h"
#include "testdb.h"

#define N_TALENTS 300
#define N_ENTERPRISES 30

static const char *const town_codes[] = {
	"350582001", "350582002", "350582003", "350582004", "350582005", "350582006",
	"350582100", "350582101", "350582102", "350582103", "350582104", "350582105",
	"350582106", "350582107", "350582108", "350582109", "350582110", "350582111",
	"350582112",
};

static char id_check(const char *id)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (id[i] < '0' || id[i] > '9')
			return '?';
		sum += (id[i] - '0') * w[i];
	}
	return "10X98765432"[sum % 11];
}

static char uscc_check(const char *code)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		const char *p = code[i] ? strchr(alphabet, code[i]) : NULL;
		if (!p)
			return '?';
		sum += (int)(p - alphabet) * w[i];
	}
	int c = 31 - sum % 31;
	return alphabet[c == 31 ? 0 : c];
}

/* A temporary database (tests/unit/testdb.c), removed with its companions at the end. */
struct tmpdb {
	char path[TESTDB_PATH];
	struct store *st;
};

static void tmpdb_open(struct tmpdb *t)
{
	assert_int_equal(testdb_create(t->path, "test-demo", &t->st), 0);
}

static void tmpdb_close(struct tmpdb *t)
{
	testdb_remove(t->path, t->st);
	t->st = NULL;
}

static void generate(struct tmpdb *t, uint64_t seed)
{
	tmpdb_open(t);
	struct demo_opts o = {.seed = seed, .talents = N_TALENTS, .enterprises = N_ENTERPRISES,
			      .year = 2026};
	assert_int_equal(demo_generate(t->st, &o, NULL, NULL), TP_OK);
}

/* ---- dump of all talents, in id order ---- */

struct dump {
	char *buf;
	size_t len, cap;
	long n;
};

static void dump_add(struct dump *d, const char *s)
{
	size_t n = strlen(s);
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4096;
		while (cap < d->len + n + 1)
			cap *= 2;
		char *nb = realloc(d->buf, cap);
		assert_non_null(nb);
		d->buf = nb;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, s, n + 1);
	d->len += n;
}

static int dump_cb(void *ctx, const struct talent *t)
{
	struct dump *d = ctx;
	char line[512];
	snprintf(line, sizeof line, "%s|%s|%s|%s|%s|%s|%d|%lld|%s|%s\n", t->name, t->id_number,
		 t->birth_date, t->gender, t->phone ? t->phone : "", t->degree ? t->degree : "",
		 t->tier, (long long)t->enterprise_id, t->town ? t->town : "",
		 t->tier_from ? t->tier_from : "");
	dump_add(d, line);
	d->n++;
	return 0;
}

static char *dump_db(struct store *st, long *n)
{
	struct dump d = {0};
	assert_int_equal(STORE_CALL(talent_each, st, dump_cb, &d), TP_OK);
	*n = d.n;
	return d.buf;
}

/* ---- the checks of every talent ---- */

struct checks {
	char (*ids)[19];
	long n;
	long bad_check, bad_birth, bad_gender, bad_town, no_employer;
	long emails, email_leaks; /* e-mail is stored in plain text: never a phone or ID number */
};

static int check_cb(void *ctx, const struct talent *t)
{
	struct checks *c = ctx;
	const char *id = t->id_number;
	assert_non_null(id);
	assert_int_equal(strlen(id), 18);
	if (id_check(id) != id[17])
		c->bad_check++;
	char birth[11];
	snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	if (!t->birth_date || strcmp(birth, t->birth_date) != 0)
		c->bad_birth++;
	const char *g = (id[16] - '0') % 2 ? "M" : "F";
	if (!t->gender || strcmp(g, t->gender) != 0)
		c->bad_gender++;
	int town_ok = 0;
	for (size_t i = 0; t->town && i < sizeof town_codes / sizeof town_codes[0]; i++)
		town_ok |= strcmp(t->town, town_codes[i]) == 0;
	if (!town_ok)
		c->bad_town++;
	if (!t->enterprise_id)
		c->no_employer++;
	if (t->email && *t->email) {
		c->emails++;
		if ((t->phone && *t->phone && strstr(t->email, t->phone)) || strstr(t->email, id))
			c->email_leaks++;
	}
	assert_true(c->n < N_TALENTS);
	memcpy(c->ids[c->n], id, 19);
	c->n++;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_talents_valid(void **state)
{
	(void)state;
	struct tmpdb db;
	generate(&db, 7);

	struct checks c = {0};
	c.ids = calloc(N_TALENTS, sizeof(*c.ids));
	assert_non_null(c.ids);
	assert_int_equal(STORE_CALL(talent_each, db.st, check_cb, &c), TP_OK);
	assert_int_equal(c.n, N_TALENTS);
	assert_int_equal(c.bad_check, 0);
	assert_int_equal(c.bad_birth, 0);
	assert_int_equal(c.bad_gender, 0);
	assert_int_equal(c.bad_town, 0);
	/* ~40 % have an e-mail; none of them holds the talent's phone or ID number */
	assert_true(c.emails > N_TALENTS / 5);
	assert_int_equal(c.email_leaks, 0);
	/* ~92 % employed: allow a wide band for 300 people */
	assert_true(c.no_employer < N_TALENTS / 4);

	qsort(c.ids, (size_t)c.n, sizeof(*c.ids), cmp_id);
	for (long i = 1; i < c.n; i++)
		assert_true(strcmp(c.ids[i - 1], c.ids[i]) != 0);
	free(c.ids);

	/* one talent in full: educations and years are there and sensible */
	struct arena *a = arena_new();
	assert_non_null(a);
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, db.st, 1, a, &t), TP_OK);
	assert_int_equal(t.n_years, 2);
	assert_int_equal(t.years[0].year, 2025);
	assert_int_equal(t.years[1].year, 2026);
	assert_true(t.n_employments >= 1 && t.n_employments <= 3);
	for (size_t i = 0; i < t.n_employments; i++) {
		assert_true(t.employments[i].annual_salary_fen >= 6000000);
		assert_true(t.employments[i].annual_salary_fen <= 80000000);
		if (i + 1 < t.n_employments)
			assert_non_null(t.employments[i].ended_on);
	}
	if (strcmp(t.degree, "none") != 0)
		assert_true(t.n_educations >= 1);
	arena_free(a);
	tmpdb_close(&db);
}

static void test_enterprises_valid(void **state)
{
	(void)state;
	struct tmpdb db;
	generate(&db, 7);
	struct arena *a = arena_new();
	assert_non_null(a);
	struct registry_query q = {.page = 1, .per_page = 100};
	struct enterprise_page page;
	assert_int_equal(STORE_CALL(enterprise_list, db.st, &q, a, &page), TP_OK);
	assert_int_equal(page.total, N_ENTERPRISES);
	assert_int_equal(page.n, N_ENTERPRISES);
	for (size_t i = 0; i < page.n; i++) {
		const struct enterprise *e = &page.items[i];
		assert_non_null(e->credit_code);
		assert_int_equal(strlen(e->credit_code), 18);
		assert_memory_equal(e->credit_code, "91350582", 8);
		assert_int_equal(uscc_check(e->credit_code), e->credit_code[17]);
		int town_ok = 0;
		for (size_t k = 0; k < sizeof town_codes / sizeof town_codes[0]; k++)
			town_ok |= strcmp(e->town, town_codes[k]) == 0;
		assert_true(town_ok);
		assert_non_null(e->name);
		assert_non_null(e->address);
		assert_memory_equal(e->address, "晋江市", strlen("晋江市"));
		for (size_t k = 0; k < i; k++) {
			assert_string_not_equal(e->name, page.items[k].name);
			assert_string_not_equal(e->credit_code, page.items[k].credit_code);
		}
	}
	arena_free(a);
	tmpdb_close(&db);
}

static void test_deterministic(void **state)
{
	(void)state;
	struct tmpdb a, b, c;
	long na, nb, nc;
	generate(&a, 7);
	generate(&b, 7);
	generate(&c, 8);
	char *da = dump_db(a.st, &na);
	char *db = dump_db(b.st, &nb);
	char *dc = dump_db(c.st, &nc);
	assert_int_equal(na, N_TALENTS);
	assert_int_equal(nb, N_TALENTS);
	assert_int_equal(nc, N_TALENTS);
	assert_string_equal(da, db);
	assert_string_not_equal(da, dc);
	free(da);
	free(db);
	free(dc);
	tmpdb_close(&a);
	tmpdb_close(&b);
	tmpdb_close(&c);
}

static long progress_calls;

static void count_progress(void *ctx, const char *phase, long done, long total)
{
	(void)ctx;
	assert_true(strcmp(phase, "talents") == 0 || strcmp(phase, "enterprises") == 0);
	assert_true(done >= 1 && done <= total);
	progress_calls++;
}

static void test_bad_opts_and_progress(void **state)
{
	(void)state;
	struct tmpdb db;
	tmpdb_open(&db);
	struct demo_opts o = {.seed = 1, .talents = -1, .enterprises = 5, .year = 2026};
	assert_int_equal(demo_generate(db.st, &o, NULL, NULL), TP_ERR_INVALID);
	assert_int_equal(demo_generate(db.st, NULL, NULL, NULL), TP_ERR_INVALID);
	o.talents = 10;
	o.year = 1999;
	assert_int_equal(demo_generate(db.st, &o, NULL, NULL), TP_ERR_INVALID);
	o.year = 2026;
	progress_calls = 0;
	assert_int_equal(demo_generate(db.st, &o, count_progress, NULL), TP_OK);
	assert_true(progress_calls >= 2); /* at least the end of each phase */
	/* a second run collides on the unique keys and rolls back */
	assert_int_equal(demo_generate(db.st, &o, NULL, NULL), TP_ERR_CONFLICT);
	tmpdb_close(&db);
}

static void test_default_enterprises(void **state)
{
	(void)state;
	assert_int_equal(demo_default_enterprises(300), 500);
	assert_int_equal(demo_default_enterprises(10000), 500);
	assert_int_equal(demo_default_enterprises(100000), 5000);
	assert_int_equal(demo_default_enterprises(1000000), 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_talents_valid),
		cmocka_unit_test(test_enterprises_valid),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_bad_opts_and_progress),
		cmocka_unit_test(test_default_enterprises),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
