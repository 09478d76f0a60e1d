/*
 * test_policy_run.c — whole-population evaluation (domain/policy_run.c): the facts
 * filled from columns (policy/columns.c) against the single-person path (the talent's
 * facts document from domain/policy_facts.c, read by policy/facts.c) — the same eval
 * document byte for byte, --all included — for hand-made talents at the edges of the
 * mapping and for a demo population; bad facts named alike; explanations handed out by
 * pol_eval_each() as the eval document prints them; runs deterministic whatever the
 * threads; the re-run rule (pending/excluded replaced, moved-on rows kept).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "domain/apprentices.h"
#include "domain/demo.h"
#include "domain/policy_facts.h"
#include "domain/policy_run.h"
#include "domain/self_identification.h"
#include "policy/policy.h"
#include "store/apprentices.h"
#include "store/store.h"
#include "testdb.h"

static const int YEARS[] = {2021, 2024, 2025, 2026, 2027, 2029};

struct fx {
	char path[64];
	const char *pack_dir;
	struct store *st;
	struct pol_pack *pk;
	sqlite3 *db; /* a second connection, for what only SQL can set up or check */
};

static const char *pack_dir(void)
{
	static const char *const dirs[] = {"../policies/jinjiang", "policies/jinjiang",
	                                   "../../policies/jinjiang"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return dirs[0];
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct pol_errors *errs = NULL;

	if (testdb_create(f->path, "prun", &f->st) != 0)
		return -1;
	f->pack_dir = pack_dir();
	if (pol_pack_load(f->pack_dir, &f->pk, &errs) != 0) {
		pol_errors_free(errs);
		return -1;
	}
	if (sqlite3_open(f->path, &f->db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(f->db, 5000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sqlite3_close(f->db);
	testdb_remove(f->path, f->st);
	pol_pack_free(f->pk);
	free(f);
	return 0;
}

static void sql(struct fx *f, const char *q)
{
	char *err = NULL;
	if (sqlite3_exec(f->db, q, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", q, err);
		sqlite3_free(err);
		fail();
	}
}

/* The first column of the first row of q as an integer. */
static int64_t sql_int(struct fx *f, const char *q)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(f->db, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Every row of q, columns joined by '|', rows by '\n' (malloc'd). */
static char *sql_dump(struct fx *f, const char *q)
{
	sqlite3_stmt *s;
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	assert_int_equal(sqlite3_prepare_v2(f->db, q, -1, &s, NULL), SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(s); c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);
			size_t need = len + (v ? strlen(v) : 4) + 4;
			if (need > cap) {
				cap = need * 2;
				out = realloc(out, cap);
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%s", c ? "|" : "",
			                        v ? v : "NULL");
		}
		if (len + 2 > cap)
			out = realloc(out, cap *= 2);
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(s);
	return out;
}

static struct talent blank(const char *name, const char *idn)
{
	struct talent t;
	memset(&t, 0, sizeof t);
	t.name = name;
	t.gender = "F";
	t.id_number = idn;
	t.birth_date = "1992-05-06";
	t.double_first_class = -1;
	t.home_area_cm2 = -1;
	t.home_in_jinjiang = t.home_first = t.startup_in_jinjiang = -1;
	t.town = "350582102";
	return t;
}

/* The single-person path for stored talent id: its facts document read by facts.c. */
static struct pol_facts *json_facts(struct fx *f, int64_t id, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	struct talent t;
	assert_int_equal(STORE_CALL(talent_get, f->st, id, a, &t), TP_OK);
	json_t *doc = policy_facts_from_talent(&t);
	assert_non_null(doc);
	/* through text, as `policy eval --facts FILE` reads it */
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	assert_non_null(doc);
	struct pol_facts *pf = pol_facts_from_json(f->pk, doc, err, errlen);
	json_decref(doc);
	arena_free(a);
	return pf;
}

struct each_check {
	const char *doc;
	int n;
};

/* each explanation pol_eval_each() hands out is a span of the eval document */
static int check_each(void *arg, const struct pol_entitlement *e)
{
	struct each_check *c = arg;
	char *span = strndup(e->explanation, e->explanation_len);
	assert_non_null(span);
	assert_true(e->explanation_len > 20);
	assert_int_equal(span[0], '{');
	assert_int_equal(span[e->explanation_len - 1], '}');
	assert_non_null(strstr(c->doc, span));
	free(span);
	c->n++;
	return 0;
}

/*
 * For every talent of the store and every year of YEARS: the eval document (--all) from
 * the columns equals the one from the facts document, and bad facts are refused by both
 * with one message.  Returns the number of talents with bad facts.
 */
static int compare_all(struct fx *f, int *nents)
{
	struct pol_talent_cols tc;
	struct pol_enterprise_cols ec;
	char err[256], jerr[256];
	int nbad = 0;

	assert_int_equal(STORE_CALL(policy_facts_load, f->st, &tc, &ec), TP_OK);
	struct pol_filler *fl = pol_filler_new(f->pk, &tc, &ec, err, sizeof err);
	assert_non_null(fl);
	for (size_t i = 0; i < tc.n; i++) {
		const struct pol_facts *cf = pol_filler_talent(fl, i, err, sizeof err);
		struct pol_facts *jf = json_facts(f, tc.id[i], jerr, sizeof jerr);
		if (!cf || !jf) {
			if (!!cf != !!jf || strcmp(err, jerr) != 0) {
				fprintf(stderr, "talent %lld: columns %s, json %s\n",
				        (long long)tc.id[i], cf ? "ok" : err, jf ? "ok" : jerr);
				fail();
			}
			nbad++;
			continue;
		}
		for (size_t y = 0; y < sizeof YEARS / sizeof YEARS[0]; y++) {
			char *a = pol_eval_json(f->pk, cf, YEARS[y], 1);
			char *b = pol_eval_json(f->pk, jf, YEARS[y], 1);
			assert_non_null(a);
			assert_non_null(b);
			if (strcmp(a, b) != 0) {
				size_t k = 0;
				while (a[k] == b[k])
					k++;
				k = k > 150 ? k - 150 : 0;
				fprintf(stderr,
				        "talent %lld, %d, from byte %zu:\ncolumns %.300s\njson    "
				        "%.300s\n",
				        (long long)tc.id[i], YEARS[y], k, a + k, b + k);
				fail();
			}
			char *listed = pol_eval_json(f->pk, cf, YEARS[y], 0);
			struct each_check c = {listed, 0};
			assert_int_equal(pol_eval_each(f->pk, cf, YEARS[y],
			                               POL_FOR_PERSON | POL_FOR_ENTERPRISE, 1,
			                               check_each, &c),
			                 0);
			*nents += c.n;
			free(listed);
			free(a);
			free(b);
		}
		pol_facts_free(jf);
	}
	pol_filler_free(fl);
	pol_talent_cols_release(&tc);
	pol_enterprise_cols_release(&ec);
	return nbad;
}

/* Hand-made talents at the edges of the registry → facts mapping. */
static void columns_match_json_by_hand(void **state)
{
	struct fx *f = *state;
	struct enterprise e;
	memset(&e, 0, sizeof e);
	e.name = "晋江测试鞋业有限公司";
	e.credit_code = "91350582MA2Y000011";
	e.town = "350582102";
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);

	/* 1: nothing recorded but what the registry requires */
	struct talent t1 = blank("甲", "350582199205061234");
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t1), TP_OK);

	/* 2: everything, a fractional area, an employer, three children, years with an
	 * empty mask and with zero days */
	struct talent t2 = blank("乙", "350582198801011239");
	struct talent_year y2[4] = {
	    {2024, 0xFFF, 0}, {2025, 0, 40}, {2026, 0x3F, -1}, {2027, 0x800, 200}};
	struct child k2[3] = {{"大", "2011-09-01"}, {"二", "2012-02-29"}, {"三", "2020-06-01"}};
	t2.birth_date = "1988-01-01";
	t2.degree = "phd";
	t2.double_first_class = 1;
	t2.graduated_on = "2021-07-01";
	t2.tier = 3;
	t2.tier_from = "2024-03-15";
	t2.tier_to = "2027-06-30";
	t2.quanzhou_level = 2;
	t2.quanzhou_selected_on = "2026-05-10";
	t2.provincial_level = 1;
	t2.provincial_selected_on = "2026-05-11";
	t2.home_contract_date = "2026-03-01";
	t2.home_area_cm2 = 8933;
	t2.home_in_jinjiang = 1;
	t2.home_first = 1;
	t2.startup_registered_on = "2024-01-10";
	t2.startup_in_jinjiang = 1;
	t2.enterprise_id = e.id;
	t2.years = y2;
	t2.n_years = 4;
	t2.children = k2;
	t2.n_children = 3;
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t2), TP_OK);

	/* 3: partial records — a home with no contract date, a startup with only its place,
	 * a tier without an end, a short-term talent, booleans false */
	struct talent t3 = blank("丙", "350582199912311236");
	struct talent_year y3[1] = {{2026, 0x0F0, 45}};
	t3.degree = "bachelor";
	t3.double_first_class = 0;
	t3.graduated_on = "2022-06-30";
	t3.tier = 5;
	t3.tier_from = "2025-01-01";
	t3.short_term = 1;
	t3.home_area_cm2 = 6000;
	t3.home_in_jinjiang = 0;
	t3.startup_in_jinjiang = 0;
	t3.years = y3;
	t3.n_years = 1;
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t3), TP_OK);

	/* 4: a graduate who bought a first home (housing group: graduate-housing and
	 * housing-purchase both eligible, one excluded) */
	struct talent t4 = blank("丁", "350582199503031238");
	struct talent_year y4[2] = {{2026, 0xFFF, 300}, {2029, 0x0FF, -1}};
	t4.birth_date = "1995-03-03";
	t4.degree = "master";
	t4.graduated_on = "2023-07-01";
	t4.tier = 7;
	t4.tier_from = "2025-01-01";
	t4.tier_to = "2030-12-31";
	t4.home_contract_date = "2026-04-01";
	t4.home_area_cm2 = 12000;
	t4.home_in_jinjiang = 1;
	t4.home_first = 1;
	t4.years = y4;
	t4.n_years = 2;
	assert_int_equal(STORE_CALL(talent_insert, f->st, &t4), TP_OK);

	int nents = 0;
	assert_int_equal(compare_all(f, &nents), 0);
	assert_true(nents > 10);

	/* bad facts, stored behind the domain's back: both paths refuse them alike */
	char q[160];
	snprintf(q, sizeof q, "UPDATE talents SET tier_to = '2027-02-30' WHERE id = %lld",
	         (long long)t2.id);
	sql(f, q);
	snprintf(q, sizeof q,
	         "UPDATE talent_children SET birth_date = '2020/06/01' WHERE talent_id = %lld AND "
	         "seq = 3",
	         (long long)t2.id);
	sql(f, q);
	snprintf(q, sizeof q,
	         "UPDATE talent_years SET days_in_jinjiang = -3 WHERE talent_id = %lld",
	         (long long)t3.id);
	sql(f, q);
	nents = 0;
	assert_int_equal(compare_all(f, &nents), 1); /* t2; t3's negative days are "unknown" */
}

/* A demo population: every talent, six years, byte for byte. */
static void columns_match_json_demo(void **state)
{
	struct fx *f = *state;
	struct demo_opts o = {.seed = 7, .talents = 600, .enterprises = 40, .year = 2026};
	assert_int_equal(demo_generate(f->st, &o, NULL, NULL), TP_OK);
	int nents = 0;
	assert_int_equal(compare_all(f, &nents), 0);
	assert_true(nents > 300);
}

static const char DUMP[] =
    "SELECT policy, beneficiary_kind, beneficiary_id, item, period_key, instalment, kind, "
    "amount_fen, quantity, status, excluded_by, explanation_hash FROM entitlements "
    "ORDER BY policy, beneficiary_kind, beneficiary_id, item, period_key, instalment";

static void run_ok(struct fx *f, int year, int threads, struct policy_run_result *res)
{
	struct policy_run_opts o = {f->pack_dir, year, threads, NULL, NULL, NULL, NULL};
	enum tp_rc rc = policy_run(f->st, &o, res);
	if (rc != TP_OK)
		fprintf(stderr, "policy_run: %s\n", res->err);
	assert_int_equal(rc, TP_OK);
	assert_string_equal(res->run.status, "done");
}

static void runs_are_deterministic(void **state)
{
	struct fx *f = *state;
	struct demo_opts o = {.seed = 11, .talents = 1500, .enterprises = 60, .year = 2026};
	struct policy_run_result *res = malloc(sizeof *res);
	assert_int_equal(demo_generate(f->st, &o, NULL, NULL), TP_OK);

	run_ok(f, 2026, 1, res);
	assert_int_equal(res->run.talents, 1500);
	assert_int_equal(res->run.enterprises, 60);
	assert_int_equal(res->run.skipped, 0);
	assert_true(res->run.pending > 300);
	assert_int_equal(res->run.kept, 0);
	assert_int_equal(res->run.entitlements, res->run.pending + res->run.excluded);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM entitlements"), res->run.entitlements);
	assert_int_equal(sql_int(f, "SELECT sum(amount_fen) FROM entitlements WHERE kind = 'cash' "
	                            "AND status = 'pending'"),
	                 res->run.total_fen);
	int64_t first = res->run.id;
	char *one = sql_dump(f, DUMP);

	for (int threads = 2; threads <= 7; threads += 5) {
		run_ok(f, 2026, threads, res);
		assert_int_equal(res->threads, threads);
		assert_int_equal(res->run.kept, 0);
		char *again = sql_dump(f, DUMP);
		assert_string_equal(one, again);
		free(again);
	}
	/* the rows are the new run's; the runs and their audit records are there */
	char q[160];
	snprintf(q, sizeof q, "SELECT count(*) FROM entitlements WHERE run_id <> %lld",
	         (long long)res->run.id);
	assert_int_equal(sql_int(f, q), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM policy_runs WHERE status = 'done'"), 3);
	snprintf(q, sizeof q,
	         "SELECT count(*) FROM audit_log WHERE action = 'policy.run' AND "
	         "object_id = '%lld' AND result = 'ok'",
	         (long long)first);
	assert_int_equal(sql_int(f, q), 1);
	free(one);
	free(res);
}

static void rerun_keeps_moved_on_rows(void **state)
{
	struct fx *f = *state;
	struct demo_opts o = {.seed = 5, .talents = 800, .enterprises = 40, .year = 2026};
	struct policy_run_result *res = malloc(sizeof *res);
	assert_int_equal(demo_generate(f->st, &o, NULL, NULL), TP_OK);

	run_ok(f, 2025, 2, res);
	int64_t n2025 = res->run.entitlements;
	run_ok(f, 2026, 2, res);
	int64_t run1 = res->run.id;
	assert_true(n2025 > 0 && res->run.entitlements > 0);

	/* the payments issue moves one row on; a talent's facts change */
	int64_t moved = sql_int(f, "SELECT min(id) FROM entitlements WHERE period_key = '2026' AND "
	                           "status = 'pending' AND policy = 'talent-allowance'");
	char q[200];
	snprintf(q, sizeof q,
	         "UPDATE entitlements SET status = 'approved', amount_fen = 1 WHERE id = %lld",
	         (long long)moved);
	sql(f, q);
	int64_t tal = sql_int(
	    f, "SELECT beneficiary_id FROM entitlements WHERE policy = "
	       "'talent-allowance' AND period_key = '2026' ORDER BY beneficiary_id DESC LIMIT 1");
	snprintf(q, sizeof q, "UPDATE talents SET short_term = 1 WHERE id = %lld", (long long)tal);
	sql(f, q);

	run_ok(f, 2026, 3, res);
	assert_int_equal(res->run.kept, 1);
	assert_int_equal(sql_int(f,
	                         "SELECT count(*) FROM entitlements WHERE period_key >= '2026' AND "
	                         "period_key <= '2026-99'"),
	                 res->run.entitlements + 1);
	/* the moved-on row is untouched: same run, same amount */
	snprintf(q, sizeof q, "SELECT run_id * 1000 + amount_fen FROM entitlements WHERE id = %lld",
	         (long long)moved);
	assert_int_equal(sql_int(f, q), run1 * 1000 + 1);
	/* the changed talent lost its allowance; the other period is untouched */
	snprintf(q, sizeof q,
	         "SELECT count(*) FROM entitlements WHERE beneficiary_id = %lld AND "
	         "policy = 'talent-allowance' AND period_key = '2026'",
	         (long long)tal);
	assert_int_equal(sql_int(f, q), 0);
	assert_int_equal(sql_int(f,
	                         "SELECT count(*) FROM entitlements WHERE period_key >= '2025' AND "
	                         "period_key <= '2025-99'"),
	                 n2025);
	snprintf(q, sizeof q,
	         "SELECT count(*) FROM entitlements WHERE period_key >= '2026' AND "
	         "period_key <= '2026-99' AND run_id <> %lld",
	         (long long)res->run.id);
	assert_int_equal(sql_int(f, q), 1);
	free(res);
}

/* A pack's schema is bound by name: fields the registry lacks stay absent, a field of
 * another type than the registry's is refused when the filler is made. */
static void filler_binds_by_schema(void **state)
{
	struct fx *f = *state;
	static const char pack[] = "id: t\n"
	                           "title: {zh: 测试, en: Test}\n"
	                           "effective: 2022-01-01\n"
	                           "order: [p]\n"
	                           "facts:\n"
	                           "  person:\n"
	                           "    id: {type: string, required: true}\n"
	                           "    birth_date: %s\n"
	                           "    shoe_size: int\n"
	                           "  enterprise:\n"
	                           "    id: string\n";
	static const char policy[] =
	    "id: p\ntitle: {zh: 测, en: P}\nbasis: test\n"
	    "beneficiary: person\nchannel: apply\nperiod: year\n"
	    "kind: points\neligible:\n  - 'not present(person.shoe_size)'\n"
	    "amount: 'if present(person.birth_date) then 7 else 0'\n";
	struct talent t = blank("戊", "350582199205061234");
	char text[1024], err[256];
	struct pol_talent_cols tc;
	struct pol_enterprise_cols ec;

	assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
	assert_int_equal(STORE_CALL(policy_facts_load, f->st, &tc, &ec), TP_OK);
	for (int bad = 0; bad < 2; bad++) {
		const char *names[2] = {"pack.yaml", "p.yaml"};
		const char *texts[2] = {text, policy};
		struct pol_pack *pk = NULL;
		struct pol_errors *errs = NULL;
		snprintf(text, sizeof text, pack, bad ? "string" : "date");
		size_t lens[2] = {strlen(text), strlen(policy)};
		assert_int_equal(pol_pack_load_mem(2, names, texts, lens, &pk, &errs), 0);
		struct pol_filler *fl = pol_filler_new(pk, &tc, &ec, err, sizeof err);
		if (bad) {
			assert_null(fl);
			assert_string_equal(err,
			                    "person.birth_date: the pack declares another type "
			                    "than the registry gives");
		} else {
			assert_non_null(fl);
			const struct pol_facts *pf = pol_filler_talent(fl, 0, err, sizeof err);
			assert_non_null(pf);
			char *doc = pol_eval_json(pk, pf, 2026, 0);
			assert_non_null(strstr(doc, "\"quantity\":7,\"status\":\"granted\""));
			free(doc);
		}
		pol_filler_free(fl);
		pol_pack_free(pk);
	}
	pol_talent_cols_release(&tc);
	pol_enterprise_cols_release(&ec);
}

static void bad_pack_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct policy_run_result *res = malloc(sizeof *res);
	struct policy_run_opts o = {"/nonexistent/pack", 2026, 1, NULL, NULL, NULL, NULL};
	assert_int_not_equal(policy_run(f->st, &o, res), TP_OK);
	assert_non_null(strstr(res->err, "/nonexistent/pack"));
	o.pack_dir = f->pack_dir;
	o.year = 0;
	assert_int_equal(policy_run(f->st, &o, res), TP_ERR_INVALID);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM policy_runs"), 0);
	free(res);
}

/*
 * person.self_identified (企业自主认定): the columns of year Y (policy_facts_load_year) give
 * the same eval documents as the facts document with the talent's active nomination of Y
 * (policy_facts_put_self_identified), for talents with a nomination in Y, in another year
 * only, withdrawn, and with a tier overlapping it (不重复享受).
 */
static void columns_match_json_self_identified(void **state)
{
	struct fx *f = *state;
	struct enterprise e;
	memset(&e, 0, sizeof e);
	e.name = "晋江自主认定测试有限公司";
	e.credit_code = "91350582MA2Y000011";
	e.town = "350582102";
	assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e), TP_OK);
	const int64_t quota[3] = {5, 5, 5};
	assert_int_equal(STORE_CALL(selfid_qualification_insert, f->st, e.id, 2026, "t", quota),
	                 TP_OK);
	assert_int_equal(STORE_CALL(selfid_qualification_insert, f->st, e.id, 2027, "t", quota),
	                 TP_OK);

	static const char *const idns[] = {"350582199205061234", "350582198801011239",
	                                   "350582199912311236", "350582199001011233"};
	struct talent_year ys[1] = {{2026, 0xFFF, -1}};
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		struct talent t = blank("认定", idns[i]);
		t.enterprise_id = e.id;
		t.years = ys;
		t.n_years = 1;
		if (i == 3) { /* a tier valid from July */
			t.tier = 5;
			t.tier_from = "2026-07-01";
			t.tier_to = "2030-12-31";
		}
		assert_int_equal(STORE_CALL(talent_insert, f->st, &t), TP_OK);
		ids[i] = t.id;
	}
	/* 0: category 1 in 2026; 1: category 2 in 2027 only; 2: withdrawn in 2026;
	 * 3: category 3 in 2026 with the tier */
	struct self_identification n[4] = {
	    {.talent_id = ids[0], .year = 2026, .category = 1, .from = "2026-03-01", .to = "2026-12-31"},
	    {.talent_id = ids[1], .year = 2027, .category = 2, .from = "2027-01-01", .to = "2027-12-31"},
	    {.talent_id = ids[2], .year = 2026, .category = 2, .from = "2026-01-01", .to = "2026-12-31"},
	    {.talent_id = ids[3], .year = 2026, .category = 3, .from = "2026-02-01", .to = "2026-10-31"},
	};
	for (int i = 0; i < 4; i++) {
		n[i].enterprise_id = e.id;
		n[i].justification = "骨干";
		n[i].nominated_by = "t";
		assert_int_equal(STORE_CALL(selfid_insert, f->st, &n[i]), TP_OK);
	}
	assert_int_equal(STORE_CALL(selfid_transition, f->st, n[2].id, SELFID_WITHDRAW, NULL, "t"),
	                 TP_OK);

	for (int year = 2026; year <= 2027; year++) {
		struct pol_talent_cols tc;
		struct pol_enterprise_cols ec;
		char err[256], jerr[256];
		assert_int_equal(STORE_CALL(policy_facts_load_year, f->st, year, &tc, &ec), TP_OK);
		struct pol_filler *fl = pol_filler_new(f->pk, &tc, &ec, err, sizeof err);
		assert_non_null(fl);
		assert_int_equal(tc.n, 4);
		for (size_t i = 0; i < tc.n; i++) {
			struct arena *a = arena_new();
			struct talent t;
			struct self_identification si;
			assert_int_equal(STORE_CALL(talent_get, f->st, tc.id[i], a, &t), TP_OK);
			enum tp_rc rc = STORE_CALL(selfid_for_talent, f->st, tc.id[i], year, a, &si);
			assert_true(rc == TP_OK || rc == TP_ERR_NOT_FOUND);
			json_t *doc = policy_facts_from_talent(&t);
			assert_int_equal(policy_facts_put_self_identified(doc, rc == TP_OK ? &si : NULL),
			                 0);
			struct pol_facts *jf = pol_facts_from_json(f->pk, doc, jerr, sizeof jerr);
			json_decref(doc);
			const struct pol_facts *cf = pol_filler_talent(fl, i, err, sizeof err);
			assert_non_null(jf);
			assert_non_null(cf);
			char *ca = pol_eval_json(f->pk, cf, year, 1);
			char *ja = pol_eval_json(f->pk, jf, year, 1);
			if (strcmp(ca, ja) != 0) {
				fprintf(stderr, "talent %lld, %d:\ncolumns %.600s\njson    %.600s\n",
				        (long long)tc.id[i], year, ca, ja);
				fail();
			}
			/* the months granted, as default-pack.md says */
			char *granted = pol_eval_json(f->pk, cf, year, 0);
			int months = 0;
			for (char *p = granted; (p = strstr(p, "{\"policy\":\"self-identified-subsidy\",\"beneficiary\"")); p++)
				months++;
			int want = year == 2026 ? (i == 0 ? 10 : i == 3 ? 5 : 0) : 0;
			if (months != want) {
				fprintf(stderr, "talent %zu, %d: %d months, want %d\n%s\n", i, year, months,
				        want, granted);
				fail();
			}
			free(granted);
			free(ca);
			free(ja);
			pol_facts_free(jf);
			arena_free(a);
		}
		pol_filler_free(fl);
		pol_talent_cols_release(&tc);
		pol_enterprise_cols_release(&ec);
	}
}

/* sums the cash of apprentice-training a pol_eval_each() hands out */
static int sum_appr(void *arg, const struct pol_entitlement *e)
{
	if (strcmp(e->policy, "apprentice-training") == 0 && !e->excluded && e->money)
		*(int64_t *)arg += e->amount;
	return 0;
}

/*
 * enterprise.apprentices (migrations/0021): the columns an enterprise row gets equal the
 * facts document policy_facts_from_enterprise() makes of its register, and the amounts
 * are default-pack.md's (intermediate 5000, advanced 6000 元; half in the enrolment year,
 * the rest in the completion year once completed).
 */
static void enterprise_columns_match_json(void **state)
{
	struct fx *f = *state;
	struct enterprise e[3];
	static const char *const codes[3] = {"91350582MA2Y000021", "91350582MA2Y000039",
	                                     "91350582MA2Y000047"};
	for (int i = 0; i < 3; i++) {
		memset(&e[i], 0, sizeof e[i]);
		e[i].name = "学徒测试企业";
		e[i].credit_code = codes[i];
		e[i].town = "350582102";
		assert_int_equal(STORE_CALL(enterprise_insert, f->st, &e[i]), TP_OK);
	}
	/* 0: intermediate 2026-03-01..2027-06-30, advanced from 2026-09-01, advanced with no
	 * enrolment date; 1: none; 2: intermediate 2025-12-31..2026-01-15 */
	struct apprentice ap[4] = {
	    {.enterprise_id = e[0].id, .name = "甲", .id_number = "350582200501011232",
	     .level = "intermediate", .enrolled_on = "2026-03-01", .completed_on = "2027-06-30"},
	    {.enterprise_id = e[0].id, .name = "乙", .id_number = "350582200501021234",
	     .level = "advanced", .enrolled_on = "2026-09-01"},
	    {.enterprise_id = e[0].id, .name = "丙", .id_number = "350582200501031236",
	     .level = "advanced"},
	    {.enterprise_id = e[2].id, .name = "丁", .id_number = "350582200501041238",
	     .level = "intermediate", .enrolled_on = "2025-12-31", .completed_on = "2026-01-15"},
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(f->st->ops->appr->insert(f->st, &ap[i]), TP_OK);
	/* by hand: 2025: 250000 (丁 1); 2026: 250000 (甲 1) + 300000 (乙 1) + 250000 (丁 2);
	 * 2027: 250000 (甲 2) */
	static const int years[3] = {2025, 2026, 2027};
	static const int64_t want[3] = {250000, 800000, 250000};

	struct pol_talent_cols tc;
	struct pol_enterprise_cols ec;
	char err[256], jerr[256];
	assert_int_equal(STORE_CALL(policy_facts_load, f->st, &tc, &ec), TP_OK);
	assert_int_equal(ec.n, 3);
	assert_int_equal(ec.napprentices, 4);
	struct pol_filler *fl = pol_filler_new(f->pk, &tc, &ec, err, sizeof err);
	assert_non_null(fl);
	int64_t got[3] = {0, 0, 0};
	for (size_t i = 0; i < ec.n; i++) {
		struct arena *a = arena_new();
		struct apprentice *list;
		size_t n;
		assert_int_equal(f->st->ops->appr->list(f->st, ec.id[i], a, &list, &n), TP_OK);
		json_t *doc = policy_facts_from_enterprise(ec.id[i], list, n);
		assert_non_null(doc);
		struct pol_facts *jf = pol_facts_from_json(f->pk, doc, jerr, sizeof jerr);
		json_decref(doc);
		const struct pol_facts *cf = pol_filler_enterprise(fl, i, err, sizeof err);
		assert_non_null(jf);
		assert_non_null(cf);
		for (int y = 0; y < 3; y++) {
			char *ca = pol_eval_json(f->pk, cf, years[y], 1);
			char *ja = pol_eval_json(f->pk, jf, years[y], 1);
			if (strcmp(ca, ja) != 0) {
				fprintf(stderr, "enterprise %lld, %d:\ncolumns %.800s\njson    %.800s\n",
				        (long long)ec.id[i], years[y], ca, ja);
				fail();
			}
			assert_int_equal(pol_eval_each(f->pk, cf, years[y], POL_FOR_ENTERPRISE, 0,
			                               sum_appr, &got[y]),
			                 0);
			free(ca);
			free(ja);
		}
		pol_facts_free(jf);
		arena_free(a);
	}
	for (int y = 0; y < 3; y++)
		assert_int_equal(got[y], want[y]);
	/* a talent's employer is {id} alone: no apprentice-training per employee */
	pol_filler_free(fl);
	pol_talent_cols_release(&tc);
	pol_enterprise_cols_release(&ec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(columns_match_json_by_hand, setup, teardown),
	    cmocka_unit_test_setup_teardown(columns_match_json_demo, setup, teardown),
	    cmocka_unit_test_setup_teardown(runs_are_deterministic, setup, teardown),
	    cmocka_unit_test_setup_teardown(rerun_keeps_moved_on_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(filler_binds_by_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_pack_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(columns_match_json_self_identified, setup, teardown),
	    cmocka_unit_test_setup_teardown(enterprise_columns_match_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
