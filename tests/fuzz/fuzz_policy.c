/*
 * fuzz_policy.c — libFuzzer harness for the policy pack loader, the expression
 * parser and checker, and evaluation of the loaded pack.
 *
 * Input: sections separated by a line "%%".  With one section, the input is one
 * expression, loaded as the condition of a policy in a small fixed pack.  With
 * more, the first is pack.yaml, the next ones policy files, and a last section
 * starting with '{' is a facts document evaluated for 2026 (JSON and text; a standard pack's
 * proposal on 2026-06-01 too).  The counting path (pol_eval_counts(), with its
 * superinstructions) must give the same totals as the explaining walk (pol_eval_each()),
 * for every year 2020..2030.
 * Inputs are capped at 64 KiB; expressions at POL_MAX_EXPR and POL_MAX_DEPTH.
 *
 * Build: clang -std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined
 *        tests/fuzz/fuzz_policy.c src/policy/(all .c) src/core/arena.c src/core/date.c
 *        src/core/jsonw.c -lyaml -ljansson -lm
 * Run:   ./fuzz_policy -max_len=8192 tests/fuzz/corpus/policy
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "policy/policy.h"
#include "policy/standard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PACK[] =
	"id: f\neffective: 2022-01-01\norder: [p]\ngroups: {g: {zh: 组, en: G}}\n"
	"enums: {degree: [none, bachelor, phd]}\n"
	"facts:\n  person:\n    id: {type: string, required: true}\n    n: int\n    d: decimal\n"
	"    m: money\n    b: bool\n    s: string\n    e: degree\n    day: date\n"
	"    r: {type: record, fields: {level: {type: int, min: 1, max: 7}, from: date, to: date}}\n"
	"    y: {type: by_year, of: {type: list, of: int}}\n"
	"    kids: {type: list, of: {type: record, fields: {id: string, born: date}}}\n";

static const char FACTS[] =
	"{\"person\": {\"id\": \"p\", \"n\": 3, \"d\": 1.5, \"m\": 100, \"b\": true, \"s\": \"x\", \"e\": \"phd\","
	" \"day\": \"2024-02-29\", \"r\": {\"level\": 2, \"from\": \"2020-01-01\"}, \"y\": {\"2026\": [1, 2]},"
	" \"kids\": [{\"id\": \"k\", \"born\": \"2012-09-01\"}, {}]}}";

struct tally {
	const struct pol_pack *pk;
	struct pol_totals t;
};

static int tally_one(void *arg, const struct pol_entitlement *e)
{
	struct tally *t = arg;
	int k = pol_pack_find(t->pk, e->policy);

	if (k < 0 || k >= POL_TOTALS_MAX)
		__builtin_trap();
	if (e->excluded) {
		t->t.excluded[k]++;
	} else {
		t->t.granted[k]++;
		t->t.amount[k] += e->amount;
	}
	return 0;
}

/* pol_eval_counts() against pol_eval_each(), whose totals it must give */
static void cross_check(const struct pol_pack *pk, const struct pol_facts *f)
{
	struct pol_fast *fast = pol_fast_new(pk);

	if (!fast)
		return; /* more policies than it takes, or out of memory */
	for (int year = 2020; year <= 2030; year++) {
		struct tally want = {pk, {{0}, {0}, {0}}};
		struct pol_totals got;
		memset(&got, 0, sizeof(got));
		if (pol_eval_each(pk, f, year, POL_FOR_PERSON | POL_FOR_ENTERPRISE, 0, tally_one, &want) != 0)
			continue;
		pol_eval_counts(fast, f, year, &got);
		if (memcmp(&got, &want.t, sizeof(got)) != 0)
			__builtin_trap();
	}
	pol_fast_free(fast);
	(void)pol_pack_reads(pk, "person.id"); /* the reading of every expression */
}

static void evaluate(struct pol_pack *pk, const char *facts)
{
	json_error_t je;
	json_t *doc = json_loads(facts, 0, &je);
	char err[256];
	struct pol_facts *f;

	if (!doc)
		return;
	f = pol_facts_from_json(pk, doc, err, sizeof(err));
	json_decref(doc);
	if (!f)
		return;
	free(pol_eval_json(pk, f, 2026, 1));
	if (pol_pack_is_standard(pk)) { /* a standard: the proposal, its text */
		struct pol_proposal pr;
		char *out = NULL;
		if (pol_standard_propose(pk, f, "2026-06-01", &pr, &out) != 0 || !out)
			__builtin_trap();
		json_t *pd = json_loads(out, 0, NULL);
		if (!pd)
			__builtin_trap();
		free(pol_standard_text(pd, "zh"));
		json_decref(pd);
		free(out);
	}
	struct pol_select sel = {"p", NULL, 0, 0};
	int nf;
	free(pol_explain_text(pk, f, 2026, &sel, "en", &nf));
	cross_check(pk, f);
	pol_facts_free(f);
}

static void load_and_run(size_t n, const char *const *names, const char *const *texts, const size_t *lens,
			 const char *facts)
{
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;

	if (pol_pack_load_mem(n, names, texts, lens, &pk, &errs) != 0) {
		if (pk || pol_errors_count(errs) < 1)
			__builtin_trap();
		for (int i = 0; i < pol_errors_count(errs); i++)
			if (!pol_errors_get(errs, i)[0])
				__builtin_trap();
		pol_errors_free(errs);
		return;
	}
	evaluate(pk, facts);
	pol_pack_free(pk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *sec[16];
	size_t nsec = 0;

	if (size > 65536)
		return 0;
	buf = malloc(size * 5 + 512);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (strlen(buf) != size) { /* NUL inside: not text */
		free(buf);
		return 0;
	}
	sec[nsec++] = buf;
	for (char *p = buf; (p = strstr(p, "\n%%\n")) != NULL && nsec < 16;) {
		*p = '\0';
		p += 4;
		sec[nsec++] = p;
	}
	if (nsec == 1) {
		/* one expression, as a block scalar: every line indented */
		char *pol = buf + size + 1, *o = pol;
		o += snprintf(o, 200, "id: p\nbeneficiary: person\nperiod: year\nkind: points\n"
				      "eligible:\n  - |-\n    ");
		for (size_t i = 0; i < size; i++) {
			*o++ = buf[i];
			if (buf[i] == '\n') {
				memcpy(o, "    ", 4);
				o += 4;
			}
		}
		memcpy(o, "\namount: 1\n", 12);
		const char *names[2] = {"pack.yaml", "p.yaml"};
		const char *texts[2] = {PACK, pol};
		size_t lens[2] = {strlen(PACK), strlen(pol)};
		load_and_run(2, names, texts, lens, FACTS);
	} else {
		const char *names[16];
		const char *texts[16];
		size_t lens[16];
		static char nm[16][24];
		const char *facts = FACTS;
		size_t n = nsec;

		if (sec[nsec - 1][0] == '{') {
			facts = sec[nsec - 1];
			n--;
		}
		for (size_t i = 0; i < n; i++) {
			if (i == 0)
				snprintf(nm[i], sizeof(nm[i]), "pack.yaml");
			else
				snprintf(nm[i], sizeof(nm[i]), "p%d.yaml", (int)i);
			names[i] = nm[i];
			texts[i] = sec[i];
			lens[i] = strlen(sec[i]);
		}
		load_and_run(n, names, texts, lens, facts);
	}
	free(buf);
	return 0;
}
