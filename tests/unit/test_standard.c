/*
 * test_standard.c — the identification standard as a pack (policy/standard.h): the load
 * checks of `kind: standard` packs and `kind: tier` files, the proposal (highest tier of
 * which any criterion holds, matched criteria, direct recording, explanation), and the
 * standard's facts from a stored talent (domain/standard_facts.h).  Expected values are
 * worked out by hand from docs/policy-language.md ("Standard packs") and the headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/standard_facts.h"
#include "policy/standard.h"

static const char SPACK[] =
	"id: s\n"
	"title: {zh: 标准, en: Std}\n"
	"kind: standard\n"
	"effective: 2022-01-01\n"
	"order: [t1, t2]\n"
	"enums:\n"
	"  claim: [a, b]\n"
	"  degree: [none, bachelor, phd]\n"
	"facts:\n"
	"  person:\n"
	"    id: {type: string, required: true}\n"
	"    claims: {type: list, of: claim}\n"
	"    degree: degree\n"
	"    years: int\n"
	"    level: {type: int, min: 1, max: 3}\n";

static const char T1[] =
	"id: t1\n"
	"title: {zh: 一, en: One}\n"
	"basis: b\n"
	"kind: tier\n"
	"tier: 1\n"
	"criteria:\n"
	"  - id: has-a\n"
	"    title: {zh: 甲, en: A}\n"
	"    source: s\n"
	"    when: '\"a\" in person.claims'\n"
	"  - id: lvl1\n"
	"    title: {zh: 级一, en: L1}\n"
	"    source: s\n"
	"    direct: true\n"
	"    when: person.level == 1\n";

static const char T2[] =
	"id: t2\n"
	"title: {zh: 二, en: Two}\n"
	"basis: b\n"
	"kind: tier\n"
	"tier: 2\n"
	"parameters:\n"
	"  y:\n"
	"    type: int\n"
	"    values:\n"
	"      - {since: 2022-01-01, value: 3, source: s}\n"
	"      - {since: 2027-01-01, value: 4, source: s2}\n"
	"criteria:\n"
	"  - id: phd-y\n"
	"    title: {zh: 博士, en: PhD}\n"
	"    source: s\n"
	"    when:\n"
	"      - person.degree == \"phd\"\n"
	"      - person.years >= y\n"
	"  - id: lvl2\n"
	"    title: {zh: 级二, en: L2}\n"
	"    source: s\n"
	"    direct: true\n"
	"    when: person.level == 2\n";

/* Loads pack.yaml = pack plus t1.yaml = a and (when given) t2.yaml = b. */
static int load3(const char *pack, const char *a, const char *b, struct pol_pack **pk,
		 struct pol_errors **errs)
{
	const char *names[3] = {"pack.yaml", "t1.yaml", "t2.yaml"};
	const char *texts[3] = {pack, a, b};
	size_t lens[3] = {strlen(pack), strlen(a), b ? strlen(b) : 0};

	return pol_pack_load_mem(b ? 3 : 2, names, texts, lens, pk, errs);
}

static int has(struct pol_errors *errs, const char *needle)
{
	for (int i = 0; i < pol_errors_count(errs); i++)
		if (strstr(pol_errors_get(errs, i), needle))
			return 1;
	for (int i = 0; i < pol_errors_count(errs); i++)
		fprintf(stderr, "  %s\n", pol_errors_get(errs, i));
	fprintf(stderr, "no error contains: %s\n", needle);
	return 0;
}

/* Loads SPACK with T1 and a T2 whose text has `from` replaced by `to`; expects errors. */
static struct pol_errors *bad_t2(const char *from, const char *to)
{
	char t2[4096];
	const char *at = strstr(T2, from);
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	assert_non_null(at);
	snprintf(t2, sizeof t2, "%.*s%s%s", (int)(at - T2), T2, to, at + strlen(from));
	assert_int_equal(load3(SPACK, T1, t2, &pk, &errs), -1);
	assert_null(pk);
	return errs;
}

static void test_loads(void **state)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	(void)state;

	assert_int_equal(load3(SPACK, T1, T2, &pk, &errs), 0);
	assert_true(pol_pack_is_standard(pk));
	assert_int_equal(pol_pack_npolicies(pk), 2);
	/* a standard pack lists no entitlements */
	json_t *doc = json_loads("{\"person\": {\"id\": \"p\", \"level\": 1}}", 0, NULL);
	char err[256];
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	assert_non_null(f);
	char *ev = pol_eval_json(pk, f, 2026, 1);
	assert_string_equal(ev, "{\"period\":\"2026\",\"entitlements\":[]}\n");
	free(ev);
	pol_facts_free(f);
	json_t *d = pol_pack_policy_json(pk, 1, 1);
	assert_string_equal(json_string_value(json_object_get(d, "kind")), "tier");
	assert_int_equal(json_integer_value(json_object_get(d, "tier")), 2);
	json_t *cr = json_array_get(json_object_get(d, "criteria"), 0);
	assert_string_equal(json_string_value(json_object_get(cr, "id")), "phd-y");
	assert_string_equal(json_string_value(json_array_get(json_object_get(cr, "when"), 1)), "person.years >= y");
	assert_true(json_is_false(json_object_get(cr, "direct")));
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(d, "criteria"), 1), "direct")));
	json_decref(d);
	pol_pack_free(pk);
}

static void test_tier_errors(void **state)
{
	struct pol_errors *e;
	(void)state;

	e = bad_t2("tier: 2\n", "");
	assert_true(has(e, "t2.yaml:1:1: 缺少 tier（层次，1 为最高） / missing 'tier' (the tier number, 1 the highest)"));
	pol_errors_free(e);
	e = bad_t2("tier: 2\n", "tier: 0\n");
	assert_true(has(e, "t2.yaml:5:7: tier 应为 1 到 99 的整数 / 'tier' must be an integer 1..99"));
	pol_errors_free(e);
	e = bad_t2("tier: 2\n", "tier: 1\n");
	assert_true(has(e, "t2.yaml:1:5: 层次 1 已由另一个文件定义 / tier 1 is already defined by another file"));
	pol_errors_free(e);
	e = bad_t2("kind: tier\n", "kind: cash\n");
	assert_true(has(e, "t2.yaml:4:7: 标准包（kind: standard）只能包含 kind: tier 的策略 / a standard pack (kind: standard) holds only policies of kind: tier"));
	pol_errors_free(e);
	e = bad_t2("tier: 2\n", "tier: 2\namount: 5\nperiod: year\n");
	assert_true(has(e, "t2.yaml:6:9: kind: tier 的策略不能写 amount / 'amount' does not apply to a policy of kind: tier"));
	assert_true(has(e, "t2.yaml:7:9: kind: tier 的策略不能写 period / 'period' does not apply to a policy of kind: tier"));
	pol_errors_free(e);
	e = bad_t2("criteria:\n  - id: phd-y", "criteria: []\nx:\n  - id: phd-y");
	assert_true(has(e, "t2.yaml:12:11: criteria 应为非空的条件列表 / 'criteria' must be a non-empty list of criteria"));
	assert_true(has(e, "unknown key 'x'") || has(e, "'x'"));
	pol_errors_free(e);
}

static void test_criterion_errors(void **state)
{
	struct pol_errors *e;
	(void)state;

	e = bad_t2("  - id: lvl2\n", "  - id: has-a\n");
	assert_true(has(e, "t2.yaml:19:9: 条件 id “has-a” 重复 / duplicate criterion id 'has-a'"));
	pol_errors_free(e);
	e = bad_t2("  - id: lvl2\n", "  - idd: lvl2\n");
	assert_true(has(e, "t2.yaml:19:5: 条件缺少 id / a criterion needs an 'id'"));
	pol_errors_free(e);
	e = bad_t2("    title: {zh: 级二, en: L2}\n", "    title: {zh: 级二, en: L2, fr: L}\n");
	assert_true(has(e, "t2.yaml:20:29:"));
	assert_true(has(e, "'fr'"));
	pol_errors_free(e);
	e = bad_t2("    title: {zh: 级二, en: L2}\n", "    title: {zh: 级二}\n");
	assert_true(has(e, "t2.yaml:20:12: 条件 “lvl2” 缺少英文名称 title.en / criterion 'lvl2' needs a title.en"));
	pol_errors_free(e);
	e = bad_t2("    source: s\n    direct: true\n", "    direct: true\n");
	assert_true(has(e, "t2.yaml:19:5: 条件 “lvl2” 需要写明出处 source（或 [design]） / criterion 'lvl2' needs a 'source' (or [design])"));
	pol_errors_free(e);
	e = bad_t2("    direct: true\n", "    direct: yes\n");
	assert_true(has(e, "t2.yaml:22:13: direct 应为 true 或 false / 'direct' must be true or false"));
	pol_errors_free(e);
	e = bad_t2("    when: person.level == 2\n", "    whenever: person.level == 2\n");
	assert_true(has(e, "t2.yaml:19:5: 条件 “lvl2” 缺少 when / criterion 'lvl2' needs 'when'"));
	pol_errors_free(e);
	/* an expression error points into the expression: column of the offending token */
	e = bad_t2("      - person.years >= y\n", "      - person.yeras >= y\n");
	assert_true(has(e, "t2.yaml:18:15: 未知的事实字段 “yeras” / unknown fact field 'yeras'"));
	pol_errors_free(e);
	e = bad_t2("    when: person.level == 2\n", "    when: '\"c\" in person.claims'\n");
	assert_true(has(e, "t2.yaml:23:12: “c” 不是该枚举的取值 / 'c' is not a value of this enum"));
	pol_errors_free(e);
	e = bad_t2("    when: person.level == 2\n", "    when: person.level\n");
	assert_true(has(e, "t2.yaml:23:11:"));
	pol_errors_free(e);
}

static void test_pack_kind_errors(void **state)
{
	char pack[2048];
	struct pol_pack *pk = NULL;
	struct pol_errors *e = NULL;
	(void)state;

	/* kind: tier in a benefit pack */
	snprintf(pack, sizeof pack, "%s", SPACK);
	memcpy(strstr(pack, "kind: standard"), "kind: benefits", 14);
	assert_int_equal(load3(pack, T1, T2, &pk, &e), -1);
	assert_true(has(e, "t1.yaml:4:7: kind: tier 只能用于 kind: standard 的策略包 / kind: tier is only for a pack of kind: standard"));
	pol_errors_free(e);
	/* a bad pack kind */
	memcpy(strstr(pack, "kind: benefits"), "kind: benefit ", 14);
	assert_int_equal(load3(pack, T1, T2, &pk, &e), -1);
	assert_true(has(e, "pack.yaml:3:7: kind 应为 benefits 或 standard / 'kind' must be benefits or standard"));
	pol_errors_free(e);
	/* tier and criteria on a benefit policy */
	snprintf(pack, sizeof pack, "id: b\neffective: 2022-01-01\norder: [p]\nfacts: {person: {id: string}}\n");
	const char *p = "id: p\nbeneficiary: person\nperiod: year\nkind: points\namount: 1\ntier: 3\n";
	assert_int_equal(load3(pack, p, NULL, &pk, &e), -1);
	assert_true(has(e, "t1.yaml:6:7: tier 和 criteria 只用于 kind: tier 的策略 / 'tier' and 'criteria' are only for policies of kind: tier"));
	pol_errors_free(e);
	/* a standard pack without tier files */
	assert_int_equal(pol_pack_load_mem(1, (const char *const[]){"pack.yaml"}, (const char *const[]){SPACK},
					   (const size_t[]){strlen(SPACK)}, &pk, &e), -1);
	assert_true(has(e, "a standard pack needs at least one tier file (kind: tier)"));
	pol_errors_free(e);
}

static struct pol_pack *std_pack(void)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	assert_int_equal(load3(SPACK, T1, T2, &pk, &errs), 0);
	return pk;
}

/* Proposes for facts on date; returns the parsed proposal document. */
static json_t *propose(struct pol_pack *pk, const char *facts, const char *on, struct pol_proposal *pr)
{
	char err[256], *out = NULL;
	json_t *doc = json_loads(facts, 0, NULL);
	assert_non_null(doc);
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	json_decref(doc);
	assert_non_null(f);
	assert_int_equal(pol_standard_propose(pk, f, on, pr, &out), 0);
	pol_facts_free(f);
	assert_non_null(out);
	json_t *d = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(d);
	return d;
}

static const char *ids(const json_t *arr)
{
	static char buf[256];
	size_t i, len = 0;
	json_t *v;
	buf[0] = '\0';
	json_array_foreach(arr, i, v) {
		int n = snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "", json_string_value(v));
		if (n > 0 && (size_t)n < sizeof buf - len)
			len += (size_t)n;
	}
	return buf;
}

static void test_propose(void **state)
{
	struct pol_pack *pk = std_pack();
	struct pol_proposal pr;
	json_t *d;
	(void)state;

	/* a claim: tier 1 by an ordinary criterion, explained tier 1 only */
	d = propose(pk, "{\"person\": {\"id\": \"p\", \"claims\": [\"b\", \"a\"]}}", "2026-06-01", &pr);
	assert_int_equal(pr.tier, 1);
	assert_int_equal(pr.nmatched, 1);
	assert_string_equal(pr.matched[0], "has-a");
	assert_int_equal(pr.direct, 0);
	assert_int_equal(pr.direct_tier, 0);
	assert_int_equal(json_integer_value(json_object_get(d, "tier")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "title"), "en")), "One");
	assert_true(json_is_null(json_object_get(d, "direct_tier")));
	json_t *tiers = json_object_get(json_object_get(d, "explanation"), "tiers");
	assert_int_equal(json_array_size(tiers), 1);
	json_t *c0 = json_array_get(json_object_get(json_array_get(tiers, 0), "criteria"), 0);
	assert_true(json_is_true(json_object_get(c0, "result")));
	json_t *cond = json_array_get(json_object_get(c0, "conditions"), 0);
	assert_string_equal(json_string_value(json_object_get(cond, "expr")), "\"a\" in person.claims");
	assert_string_equal(ids(json_object_get(json_object_get(cond, "values"), "person.claims")), "b,a");
	assert_string_equal(ids(json_object_get(d, "missing")), "person.level");
	json_decref(d);

	/* PhD with 3 years and a direct level 2 in 2026: both tier 2 criteria, recorded directly */
	d = propose(pk, "{\"person\": {\"id\": \"p\", \"degree\": \"phd\", \"years\": 3, \"level\": 2}}",
		    "2026-06-01", &pr);
	assert_int_equal(pr.tier, 2);
	assert_int_equal(pr.nmatched, 2);
	assert_int_equal(pr.direct, 1);
	assert_int_equal(pr.direct_tier, 2);
	assert_string_equal(ids(json_object_get(d, "matched")), "phd-y,lvl2");
	assert_string_equal(ids(json_object_get(d, "direct_matched")), "lvl2");
	assert_true(json_is_true(json_object_get(d, "direct")));
	tiers = json_object_get(json_object_get(d, "explanation"), "tiers");
	assert_int_equal(json_array_size(tiers), 2);
	json_t *t2 = json_array_get(tiers, 1);
	assert_true(json_is_true(json_object_get(t2, "result")));
	json_t *p0 = json_array_get(json_object_get(json_array_get(json_object_get(t2, "criteria"), 0), "parameters"), 0);
	assert_string_equal(json_string_value(json_object_get(p0, "name")), "y");
	assert_int_equal(json_integer_value(json_object_get(p0, "value")), 3);
	assert_string_equal(json_string_value(json_object_get(p0, "since")), "2022-01-01");
	json_decref(d);

	/* from 2027 the parameter is 4: only the direct criterion is left */
	d = propose(pk, "{\"person\": {\"id\": \"p\", \"degree\": \"phd\", \"years\": 3, \"level\": 2}}",
		    "2027-01-01", &pr);
	assert_int_equal(pr.tier, 2);
	assert_string_equal(ids(json_object_get(d, "matched")), "lvl2");
	assert_int_equal(pr.direct, 1);
	json_decref(d);

	/* nothing holds: tier null, every tier explained, the missing facts named */
	d = propose(pk, "{\"person\": {\"id\": \"p\", \"degree\": \"phd\", \"years\": 3}}", "2027-01-01", &pr);
	assert_int_equal(pr.tier, 0);
	assert_int_equal(pr.nmatched, 0);
	assert_int_equal(pr.direct, 0);
	assert_true(json_is_null(json_object_get(d, "tier")));
	assert_true(json_is_null(json_object_get(d, "title")));
	assert_int_equal(json_array_size(json_object_get(json_object_get(d, "explanation"), "tiers")), 2);
	assert_string_equal(ids(json_object_get(d, "missing")), "person.claims,person.level");
	json_decref(d);

	/* an ordinary tier 1 above a direct tier 2: proposed 1, needs review; direct_tier 2 */
	d = propose(pk, "{\"person\": {\"id\": \"p\", \"claims\": [\"a\"], \"level\": 2}}", "2026-06-01", &pr);
	assert_int_equal(pr.tier, 1);
	assert_int_equal(pr.direct, 0);
	assert_int_equal(pr.direct_tier, 2);
	assert_string_equal(ids(json_object_get(d, "direct_matched")), "lvl2");
	assert_int_equal(json_array_size(json_object_get(json_object_get(d, "explanation"), "tiers")), 2);
	char *zh = pol_standard_text(d, "zh"), *en = pol_standard_text(d, "en");
	assert_non_null(strstr(zh, "建议层次：第 1 层次"));
	assert_non_null(strstr(zh, "可直接认定为第 2 层次"));
	assert_non_null(strstr(en, "Proposed tier: 1 — One"));
	assert_non_null(strstr(en, "Needs review."));
	free(zh);
	free(en);
	json_decref(d);

	pol_pack_free(pk);
}

static void test_propose_errors(void **state)
{
	struct pol_pack *pk = std_pack(), *bp = NULL;
	struct pol_errors *errs = NULL;
	struct pol_proposal pr;
	char err[128], *out = (char *)1;
	(void)state;

	json_t *doc = json_loads("{\"person\": {\"id\": \"p\", \"level\": 1}}", 0, NULL);
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof err);
	assert_int_equal(pol_standard_propose(pk, f, "2026-02-30", &pr, &out), POL_STD_BAD_DATE);
	assert_null(out);
	assert_int_equal(pol_standard_propose(pk, f, NULL, &pr, NULL), POL_STD_BAD_DATE);
	assert_int_equal(pol_standard_propose(pk, f, "2026-02-28", &pr, NULL), 0);
	assert_int_equal(pr.tier, 1);
	assert_int_equal(pr.direct, 1);
	pol_facts_free(f);
	json_decref(doc);
	/* a claim the standard does not know is a bad fact naming the field */
	doc = json_loads("{\"person\": {\"id\": \"p\", \"claims\": [\"a\", \"zz\"]}}", 0, NULL);
	assert_null(pol_facts_from_json(pk, doc, err, sizeof err));
	assert_non_null(strstr(err, "person.claims"));
	json_decref(doc);
	/* a benefit pack is not a standard */
	const char *bpack = "id: b\neffective: 2022-01-01\norder: [p]\nfacts: {person: {id: string}}\n";
	const char *bpol = "id: p\nbeneficiary: person\nperiod: year\nkind: points\namount: 1\n";
	assert_int_equal(load3(bpack, bpol, NULL, &bp, &errs), 0);
	assert_false(pol_pack_is_standard(bp));
	doc = json_loads("{\"person\": {\"id\": \"p\"}}", 0, NULL);
	f = pol_facts_from_json(bp, doc, err, sizeof err);
	assert_int_equal(pol_standard_propose(bp, f, "2026-01-01", &pr, NULL), POL_STD_NOT_STANDARD);
	pol_facts_free(f);
	json_decref(doc);
	pol_pack_free(bp);
	pol_pack_free(pk);
}

/* ---- standard facts from a stored talent ---- */

static void blank(struct talent *t)
{
	memset(t, 0, sizeof(*t));
	t->id = 7;
	t->double_first_class = -1;
}

static char *facts_of(const struct talent *t, const struct standard_employer *e, size_t ne,
		      const char *claims, const char *on)
{
	char err[256];
	json_t *c = claims ? json_loads(claims, 0, NULL) : NULL;
	json_t *d = standard_facts_from_talent(t, e, ne, c, on, err, sizeof err);
	json_decref(c);
	if (!d)
		return strdup(err);
	char *s = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
	return s;
}

static void expect(char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fprintf(stderr, "want %s\n got %s\n", want, got);
	assert_string_equal(got, want);
	free(got);
}

static void test_facts_from_talent(void **state)
{
	struct talent t;
	(void)state;

	blank(&t);
	expect(facts_of(&t, NULL, 0, NULL, "2026-11-27"), "{\"person\":{\"id\":\"7\"}}");
	expect(facts_of(&t, NULL, 0, "[]", "2026-11-27"), "{\"person\":{\"id\":\"7\",\"claims\":[]}}");
	expect(facts_of(&t, NULL, 0, "{\"a\": 1}", "2026-11-27"),
	       "claims: 应为认定条件代码的数组 / must be an array of claim codes");
	expect(facts_of(&t, NULL, 0, "[\"academician\", 3]", "2026-11-27"), "claims[1]: 应为字符串 / must be a string");
	expect(facts_of(&t, NULL, 0, NULL, "2026-13-01"), "on: 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD");

	/* Employments: e1 (4341) 2019-03-01..2020-02-28 and 2021-01-01..open (current),
	 * e2 (not 4341) 2020-03-01..2020-12-31, e3 (unknown) 2018-01-01..2018-12-31.
	 * 4341 days up to 2024-01-01: 365 (2019-03-01..2020-02-28: 2020 is leap, so 2020-02-29 is
	 * not in it: 306 + 59 = 365) + 1096 (2021-01-01..2024-01-01) = 1461 → 4 years (days / 365).
	 * e3's unknown industry does not count; e2 is not 4341. */
	struct employment em[4] = {
		{1, 7, 1, NULL, "2019-03-01", "2020-02-28", NULL, 12000000},
		{2, 7, 2, NULL, "2020-03-01", "2020-12-31", NULL, 50000000},
		{3, 7, 1, NULL, "2021-01-01", NULL, NULL, 30000000},
		{4, 7, 3, NULL, "2018-01-01", "2018-12-31", NULL, -1},
	};
	struct standard_employer es[3] = {{1, 1}, {2, 0}, {3, -1}};
	blank(&t);
	t.degree = "phd";
	t.double_first_class = 1;
	t.title = "senior";
	t.skill_level = 2;
	t.enterprise_id = 1;
	t.provincial_level = 3;
	t.provincial_selected_on = "2025-06-01";
	t.quanzhou_level = 2;
	t.quanzhou_selected_on = "2024-01-02";
	t.employments = em;
	t.n_employments = 4;
	expect(facts_of(&t, es, 3, "[\"academician\"]", "2024-01-01"),
	       "{\"person\":{\"id\":\"7\",\"claims\":[\"academician\"],\"degree\":\"phd\","
	       "\"double_first_class\":true,\"title\":\"senior\",\"skill_level\":2,\"years_in_4341\":4,"
	       "\"employer_4341\":true,\"annual_salary\":30000000}}");
	/* two days earlier: 365 + 1094 = 1459 days → 3 years; the Quanzhou selection (2024-01-02)
	 * and the provincial one (2025-06-01) are later than the day: absent */
	expect(facts_of(&t, es, 3, NULL, "2023-12-30"),
	       "{\"person\":{\"id\":\"7\",\"degree\":\"phd\",\"double_first_class\":true,\"title\":\"senior\","
	       "\"skill_level\":2,\"years_in_4341\":3,\"employer_4341\":true,\"annual_salary\":30000000}}");
	/* 2025-06-01: 365 + 1461 (2021..2024) + 152 (2025-01-01..06-01) = 1978 → 5 years; both
	 * selections are on or before the day */
	expect(facts_of(&t, es, 3, NULL, "2025-06-01"),
	       "{\"person\":{\"id\":\"7\",\"degree\":\"phd\",\"double_first_class\":true,\"title\":\"senior\","
	       "\"skill_level\":2,\"years_in_4341\":5,\"employer_4341\":true,\"annual_salary\":30000000,"
	       "\"provincial_level\":3,\"quanzhou_level\":2}}");
	/* the current employer unknown: no employer_4341; no running employment there: no salary */
	t.enterprise_id = 3;
	expect(facts_of(&t, es, 3, NULL, "2020-06-01"),
	       "{\"person\":{\"id\":\"7\",\"degree\":\"phd\",\"double_first_class\":true,\"title\":\"senior\","
	       "\"skill_level\":2,\"years_in_4341\":1}}");
	/* the current employer not 4341, overlapping 4341 spans counted once */
	struct employment em2[3] = {
		{1, 7, 1, NULL, "2020-01-01", "2020-12-31", NULL, -1},
		{2, 7, 4, NULL, "2020-06-01", "2021-12-31", NULL, -1},
		{3, 7, 2, NULL, "2022-01-01", NULL, NULL, 15000000},
	};
	struct standard_employer es2[3] = {{1, 1}, {4, 1}, {2, 0}};
	blank(&t);
	t.enterprise_id = 2;
	t.employments = em2;
	t.n_employments = 3;
	expect(facts_of(&t, es2, 3, NULL, "2026-11-27"),
	       "{\"person\":{\"id\":\"7\",\"years_in_4341\":2,\"employer_4341\":false,\"annual_salary\":15000000}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_tier_errors),
		cmocka_unit_test(test_criterion_errors),
		cmocka_unit_test(test_pack_kind_errors),
		cmocka_unit_test(test_propose),
		cmocka_unit_test(test_propose_errors),
		cmocka_unit_test(test_facts_from_talent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
