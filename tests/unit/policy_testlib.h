/*
 * policy_testlib.h — a small pack in memory for the policy unit tests: pack.yaml
 * with a facts schema covering every type, and one policy file the test writes.
 * Header-only (static functions) so each test program includes it once.
 */
#ifndef TP_POLICY_TESTLIB_H
#define TP_POLICY_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "policy/policy.h"

static const char TEST_PACK[] =
	"id: t\n"
	"title: {zh: 测试, en: Test}\n"
	"effective: 2022-01-01\n"
	"order: [p]\n"
	"groups: {g: {zh: 组, en: Group}}\n"
	"enums:\n"
	"  degree: [none, associate, bachelor, master, phd]\n"
	"facts:\n"
	"  person:\n"
	"    id: {type: string, required: true}\n"
	"    birth_date: date\n"
	"    degree: degree\n"
	"    n: int\n"
	"    d: {type: decimal, min: 0}\n"
	"    m: money\n"
	"    flag: bool\n"
	"    other: bool\n"
	"    name: string\n"
	"    tier: {type: record, fields: {level: {type: int, min: 1, max: 7}, from: date, to: date}}\n"
	"    months: {type: by_year, of: {type: list, of: {type: int, min: 1, max: 12}}}\n"
	"    kids: {type: list, of: {type: record, fields: {id: string, birth_date: date}}}\n"
	"  enterprise:\n"
	"    id: string\n";

/* Loads TEST_PACK (or pack when not NULL) plus policy text as p.yaml. */
__attribute__((unused)) static int tl_load(const char *pack, const char *policy, struct pol_pack **pk, struct pol_errors **errs)
{
	const char *names[2] = {"pack.yaml", "p.yaml"};
	const char *texts[2] = {pack ? pack : TEST_PACK, policy};
	size_t lens[2] = {strlen(texts[0]), strlen(policy)};

	return pol_pack_load_mem(2, names, texts, lens, pk, errs);
}

/* A policy file "p" with the given middle part (period, kind, eligible, amount …). */
__attribute__((unused)) static char *tl_policy(const char *body)
{
	size_t n = strlen(body) + 256;
	char *s = malloc(n);

	snprintf(s, n, "id: p\ntitle: {zh: 测, en: P}\nbasis: test\nbeneficiary: person\nchannel: apply\n%s", body);
	return s;
}

/* Returns 1 if some error message contains needle. */
__attribute__((unused)) static int tl_has_error(struct pol_errors *errs, const char *needle)
{
	for (int i = 0; i < pol_errors_count(errs); i++)
		if (strstr(pol_errors_get(errs, i), needle))
			return 1;
	return 0;
}

__attribute__((unused)) static void tl_dump_errors(struct pol_errors *errs)
{
	for (int i = 0; i < pol_errors_count(errs); i++)
		fprintf(stderr, "  %s\n", pol_errors_get(errs, i));
}

/* Evaluates a loaded pack for facts (JSON text) and year with --all; returns the parsed document. */
__attribute__((unused)) static json_t *tl_eval(struct pol_pack *pk, const char *facts, int year)
{
	json_error_t je;
	json_t *doc = json_loads(facts, 0, &je);
	char err[256];
	struct pol_facts *f;
	char *out;
	json_t *res;

	if (!doc)
		return NULL;
	f = pol_facts_from_json(pk, doc, err, sizeof(err));
	json_decref(doc);
	if (!f)
		return NULL;
	out = pol_eval_json(pk, f, year, 1);
	pol_facts_free(f);
	res = out ? json_loads(out, 0, &je) : NULL;
	free(out);
	return res;
}

#endif
