/*
 * bench_policy — the default pack over synthetic talents and enterprises held in
 * columns (a benchmark, not a test; bench/policy/run.sh runs it with the JS engines
 * beside it, docs/performance.md records the figures).
 *
 *   bench_policy [--pack DIR] [--talents N] [--enterprises N] [--seed S] [--year Y]
 *                [--threads T] [--repeat R] [--sample N] [--json-check N]
 *                [--jsonl FILE] [--expected FILE] [--explain-reps N] [--cases DIR]
 *                [--only engine|hand|enumerate|fill]
 *
 * 1. generates the columns (seeded, deterministic);
 * 2. checks pol_eval_counts() on the hand-worked cases (--cases tests/policy/cases: each
 *    case's expected list, counted) and, on the first --sample talents and every enterprise, that four ways give
 *    the same totals per policy (granted, excluded, amount): pol_eval_counts() over
 *    facts filled from the columns, pol_enumerate() (the explaining engine's own
 *    walk, no explanation) over the same facts, pol_enumerate() over facts read from
 *    the JSON documents (the first --json-check talents: the filler agrees with
 *    facts.c), and the hand-written loop; writes those totals to --expected for the
 *    JS engines and the documents to --jsonl (when the file does not exist yet);
 * 3. times the whole population on T threads: pol_eval_counts(), pol_enumerate()
 *    with a counting callback, and the hand-written loop — and checks the totals;
 * 4. times the explanation of one person (pol_eval_json, pol_explain_text).
 * Prints "RESULT name=value …" lines.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bp.h"
#include "policy/eval_int.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum mode { M_FAST, M_ENUM, M_HAND, M_FILL };
static const char *const mode_names[] = {"engine", "enumerate", "hand", "fill"};

struct job {
	enum mode mode;
	const struct pol_pack *pk;
	const struct pol_fast *fast;
	const struct bp_talents *t;
	const struct bp_enterprises *e;
	size_t nt, ne; /* rows [0, nt) and [0, ne) */
	int year;
	atomic_size_t next;
	pthread_mutex_t mu;
	struct bp_totals sum;
};

#define CHUNK 2048

static int count_ent(void *arg, const struct ent *e)
{
	struct bp_totals *t = arg;
	int k = e->pol->order;

	if (e->status == ST_GRANTED) {
		t->granted[k]++;
		t->amount[k] += e->amount;
	} else if (e->status == ST_EXCLUDED) {
		t->excluded[k]++;
	}
	return 0;
}

static void from_pol_totals(struct bp_totals *o, const struct pol_totals *p)
{
	for (int k = 0; k < BP_NPOL; k++) {
		o->granted[k] += p->granted[k];
		o->excluded[k] += p->excluded[k];
		o->amount[k] += p->amount[k];
	}
}

/* rows [a, b) of the talents (which 0) or the enterprises (1) */
static void run_rows(struct job *j, struct bp_filler *fl, int which, size_t a, size_t b,
		     struct bp_totals *acc, struct pol_totals *pacc)
{
	if (j->mode == M_HAND) {
		if (which == 0)
			bp_hand_talents(j->t, a, b, j->year, acc);
		else
			bp_hand_enterprises(j->e, a, b, j->year, acc);
		return;
	}
	for (size_t i = a; i < b; i++) {
		const struct pol_facts *f = which == 0 ? bp_fill_talent(fl, j->t, i) : bp_fill_enterprise(fl, j->e, i);
		if (j->mode == M_FAST)
			pol_eval_counts(j->fast, f, j->year, pacc);
		else if (j->mode == M_FILL) /* the facts only: what filling from columns costs */
			pacc->granted[0] += f->root[0].present;
		else
			pol_enumerate(j->pk, f, j->year, 0, 0, count_ent, acc);
	}
}

static void *worker(void *arg)
{
	struct job *j = arg;
	struct bp_filler *fl = j->mode == M_HAND ? NULL : bp_filler_new(j->pk);
	struct bp_totals acc;
	struct pol_totals pacc;
	size_t nchunks_t = (j->nt + CHUNK - 1) / CHUNK, nchunks = nchunks_t + (j->ne + CHUNK - 1) / CHUNK;

	if (j->mode != M_HAND && !fl)
		abort();
	memset(&acc, 0, sizeof(acc));
	memset(&pacc, 0, sizeof(pacc));
	for (;;) {
		size_t c = atomic_fetch_add(&j->next, 1);
		if (c >= nchunks)
			break;
		if (c < nchunks_t) {
			size_t a = c * CHUNK, b = a + CHUNK < j->nt ? a + CHUNK : j->nt;
			run_rows(j, fl, 0, a, b, &acc, &pacc);
		} else {
			size_t a = (c - nchunks_t) * CHUNK, b = a + CHUNK < j->ne ? a + CHUNK : j->ne;
			run_rows(j, fl, 1, a, b, &acc, &pacc);
		}
	}
	from_pol_totals(&acc, &pacc);
	pthread_mutex_lock(&j->mu);
	bp_totals_add(&j->sum, &acc);
	pthread_mutex_unlock(&j->mu);
	bp_filler_free(fl);
	return NULL;
}

/* runs a pass over talents [0, nt) and enterprises [0, ne) on nthreads; returns seconds */
static double pass(enum mode m, const struct pol_pack *pk, const struct pol_fast *fast,
		   const struct bp_talents *t, size_t nt, const struct bp_enterprises *e, size_t ne,
		   int year, int nthreads, struct bp_totals *out)
{
	struct job j;
	pthread_t th[64];
	double t0;

	memset(&j, 0, sizeof(j));
	j.mode = m;
	j.pk = pk;
	j.fast = fast;
	j.t = t;
	j.e = e;
	j.nt = nt;
	j.ne = ne;
	j.year = year;
	atomic_init(&j.next, 0);
	pthread_mutex_init(&j.mu, NULL);
	t0 = now_s();
	if (nthreads <= 1) {
		worker(&j);
	} else {
		for (int i = 0; i < nthreads; i++)
			pthread_create(&th[i], NULL, worker, &j);
		for (int i = 0; i < nthreads; i++)
			pthread_join(th[i], NULL);
	}
	t0 = now_s() - t0;
	pthread_mutex_destroy(&j.mu);
	*out = j.sum;
	return t0;
}

static void print_totals(const char *label, const struct bp_totals *t)
{
	printf("%s\n", label);
	printf("  %-26s %10s %9s %18s\n", "policy", "granted", "excluded", "amount (fen/qty)");
	for (int k = 0; k < BP_NPOL; k++)
		printf("  %-26s %10lld %9lld %18lld\n", bp_policy_ids[k], (long long)t->granted[k],
		       (long long)t->excluded[k], (long long)t->amount[k]);
}

/* the C engine's totals for the JS engines: for the first n[k] talents and every enterprise */
static int write_expected(const char *path, const struct bp_totals *t, const size_t *n, int nn, size_t ne,
			  int year, uint64_t seed)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "{\"year\": %d, \"seed\": %llu, \"enterprises\": %zu, \"samples\": [\n", year,
		(unsigned long long)seed, ne);
	for (int s = 0; s < nn; s++) {
		fprintf(f, " {\"talents\": %zu, \"policies\": {\n", n[s]);
		for (int k = 0; k < BP_NPOL; k++)
			fprintf(f, "  \"%s\": {\"granted\": %lld, \"excluded\": %lld, \"amount\": %lld}%s\n",
				bp_policy_ids[k], (long long)t[s].granted[k], (long long)t[s].excluded[k],
				(long long)t[s].amount[k], k + 1 < BP_NPOL ? "," : "");
		fprintf(f, " }}%s\n", s + 1 < nn ? "," : "");
	}
	fprintf(f, "]}\n");
	return fclose(f);
}

/* pol_enumerate over facts read from the JSON documents of talents [0, n) */
static int json_totals(const struct pol_pack *pk, const struct bp_talents *t, size_t n, int year,
		       struct bp_totals *out)
{
	static char buf[16384];
	char err[256];

	for (size_t i = 0; i < n; i++) {
		json_error_t je;
		if (bp_talent_json(t, i, buf, sizeof(buf)))
			return -1;
		json_t *doc = json_loads(buf, 0, &je);
		struct pol_facts *f = doc ? pol_facts_from_json(pk, doc, err, sizeof(err)) : NULL;
		if (!f) {
			fprintf(stderr, "bench_policy: talent %zu: %s\n%s\n", i, doc ? err : je.text, buf);
			json_decref(doc);
			return -1;
		}
		pol_enumerate(pk, f, year, 0, 0, count_ent, out);
		pol_facts_free(f);
		json_decref(doc);
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* the explanation of one person: µs per call of pol_eval_json / pol_explain_text */
static void time_explain(const struct pol_pack *pk, const struct pol_fast *fast, const struct bp_talents *t,
			 size_t sample, int year, int reps)
{
	static char buf[16384];
	size_t best = 0;
	int64_t most = -1;
	char err[256];

	/* the person of the sample with the most entitlements listed (granted or excluded) */
	struct bp_filler *fl = bp_filler_new(pk);
	for (size_t i = 0; i < sample; i++) {
		struct pol_totals pt;
		int64_t n = 0;
		memset(&pt, 0, sizeof(pt));
		pol_eval_counts(fast, bp_fill_talent(fl, t, i), year, &pt);
		for (int k = 0; k < BP_NPOL; k++)
			n += pt.granted[k] + pt.excluded[k];
		if (n > most) {
			most = n;
			best = i;
		}
	}
	bp_filler_free(fl);
	bp_talent_json(t, best, buf, sizeof(buf));
	json_t *doc = json_loads(buf, 0, NULL);
	struct pol_facts *f = pol_facts_from_json(pk, doc, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "bench_policy: %s\n", err);
		exit(1);
	}
	char *one = pol_eval_json(pk, f, year, 0);
	size_t one_len = strlen(one);
	char *all = pol_eval_json(pk, f, year, 1);
	size_t all_len = strlen(all);
	free(one);
	free(all);
	printf("explain: person p%zu, %lld entitlements listed; facts %zu bytes; eval JSON %zu bytes, with --all %zu bytes\n",
	       best + 1, (long long)most, strlen(buf), one_len, all_len);
	printf("  facts: %s\n", buf);

	struct pol_select sel = {"talent-allowance", NULL, 0, 0};
	double r[5][7];
	for (int round = 0; round < 7; round++) {
		double t0 = now_s();
		for (int i = 0; i < reps; i++) {
			json_t *d = json_loads(buf, 0, NULL);
			struct pol_facts *g = pol_facts_from_json(pk, d, err, sizeof(err));
			pol_facts_free(g);
			json_decref(d);
		}
		double t1 = now_s();
		for (int i = 0; i < reps; i++)
			free(pol_eval_json(pk, f, year, 0));
		double t2 = now_s();
		for (int i = 0; i < reps; i++)
			free(pol_eval_json(pk, f, year, 1));
		double t3 = now_s();
		for (int i = 0; i < reps; i++) {
			int nf;
			free(pol_explain_text(pk, f, year, &sel, "zh", &nf));
		}
		double t4 = now_s();
		for (int i = 0; i < reps; i++) {
			struct pol_totals pt;
			memset(&pt, 0, sizeof(pt));
			pol_eval_counts(fast, f, year, &pt);
		}
		double t5 = now_s();
		r[0][round] = (t1 - t0) / reps * 1e6;
		r[1][round] = (t2 - t1) / reps * 1e6;
		r[2][round] = (t3 - t2) / reps * 1e6;
		r[3][round] = (t4 - t3) / reps * 1e6;
		r[4][round] = (t5 - t4) / reps * 1e6;
	}
	for (int k = 0; k < 5; k++)
		qsort(r[k], 7, sizeof(double), cmp_double);
	printf("RESULT explain_facts_parse_us=%.2f explain_eval_json_us=%.2f explain_eval_json_all_us=%.2f "
	       "explain_text_us=%.2f explain_counts_only_us=%.3f (median of 7 rounds of %d, one thread)\n",
	       r[0][3], r[1][3], r[2][3], r[3][3], r[4][3], reps);
	pol_facts_free(f);
	json_decref(doc);
}

#include <dirent.h>

/* pol_eval_counts() over the hand-worked cases of tests/policy/cases: the totals of each
 * case's "expected" list (granted and excluded entitlements) must come out */
static int check_cases(const struct pol_pack *pk, const struct pol_fast *fast, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0, bad = 0;
	char path[4096], err[256];

	if (!d) {
		fprintf(stderr, "bench_policy: cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		json_t *doc = json_load_file(path, 0, NULL);
		struct pol_facts *f = doc ? pol_facts_from_json(pk, json_object_get(doc, "facts"), err, sizeof(err)) : NULL;
		if (!f) {
			fprintf(stderr, "bench_policy: %s: cannot read\n", path);
			json_decref(doc);
			bad++;
			continue;
		}
		const char *per = json_string_value(json_object_get(doc, "period"));
		int year = per ? (int)strtol(per, NULL, 10) : 0;
		struct pol_totals got, want;
		memset(&got, 0, sizeof(got));
		memset(&want, 0, sizeof(want));
		pol_eval_counts(fast, f, year, &got);
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "expected"), i, e) {
			const char *pol = json_string_value(json_object_get(e, "policy"));
			const char *st = json_string_value(json_object_get(e, "status"));
			json_t *amt = json_object_get(e, "amount_fen");
			int k = -1;
			for (int j = 0; j < BP_NPOL; j++)
				if (pol && !strcmp(pol, bp_policy_ids[j]))
					k = j;
			if (k < 0 || !st)
				continue;
			if (!strcmp(st, "granted")) {
				want.granted[k]++;
				want.amount[k] += json_integer_value(amt ? amt : json_object_get(e, "quantity"));
			} else if (!strcmp(st, "excluded")) {
				want.excluded[k]++;
			}
		}
		if (memcmp(&got, &want, sizeof(got))) {
			fprintf(stderr, "bench_policy: case %s: pol_eval_counts differs from the expected list\n", de->d_name);
			bad++;
		}
		n++;
		pol_facts_free(f);
		json_decref(doc);
	}
	closedir(d);
	printf("check: %d hand-worked cases of %s through pol_eval_counts: %s\n", n, dir,
	       bad ? "DIFFER" : "all agree with their expected lists");
	return bad;
}

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

int main(int argc, char **argv)
{
	const char *pack = "policies/jinjiang", *jsonl = NULL, *expected = NULL, *cases = NULL;
	size_t nt = 1000000, ne = 20000, sample = 100000, json_check = 20000;
	uint64_t seed = 20260101;
	int year = 2026, repeat = 3, explain_reps = 20000, only = -1;
	int nthreads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct pol_pack *pk = NULL;
	struct pol_errors *errs = NULL;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "bench_policy: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "--pack")) pack = v;
		else if (!strcmp(a, "--talents")) nt = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--enterprises")) ne = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--year")) year = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--threads")) nthreads = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--repeat")) repeat = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--sample")) sample = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--json-check")) json_check = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--jsonl")) jsonl = v;
		else if (!strcmp(a, "--expected")) expected = v;
		else if (!strcmp(a, "--cases")) cases = v;
		else if (!strcmp(a, "--explain-reps")) explain_reps = (int)strtol(v, NULL, 10);
		else if (!strcmp(a, "--only")) /* time one way only (for profiling) */
			only = !strcmp(v, "engine") ? M_FAST : !strcmp(v, "hand") ? M_HAND : !strcmp(v, "fill") ? M_FILL : M_ENUM;
		else {
			fprintf(stderr, "bench_policy: unknown option %s\n", a);
			return 2;
		}
		i++;
	}
	if (nthreads < 1 || nthreads > 64)
		nthreads = 2;
	if (sample > nt)
		sample = nt;
	if (json_check > sample)
		json_check = sample;
	if (repeat < 1)
		repeat = 1;

	if (pol_pack_load(pack, &pk, &errs)) {
		for (int i = 0; i < pol_errors_count(errs); i++)
			fprintf(stderr, "%s\n", pol_errors_get(errs, i));
		pol_errors_free(errs);
		return 1;
	}
	if (pol_pack_npolicies(pk) != BP_NPOL) {
		fprintf(stderr, "bench_policy: the pack has %d policies, the bench knows %d\n",
			pol_pack_npolicies(pk), BP_NPOL);
		return 1;
	}
	int nperson = 0, nent = 0;
	for (int k = 0; k < BP_NPOL; k++) {
		if (strcmp(pk->policies[k]->id, bp_policy_ids[k])) {
			fprintf(stderr, "bench_policy: policy %d is %s, the bench expects %s\n", k,
				pk->policies[k]->id, bp_policy_ids[k]);
			return 1;
		}
		if (pk->policies[k]->root == 0)
			nperson++;
		else
			nent++;
	}
	double t0 = now_s();
	struct pol_fast *fast = pol_fast_new(pk);
	double prep = now_s() - t0;
	if (!fast) {
		fprintf(stderr, "bench_policy: pol_fast_new failed\n");
		return 1;
	}

	struct bp_talents t;
	struct bp_enterprises e;
	t0 = now_s();
	bp_generate(seed, nt, ne, &t, &e);
	double gen_s = now_s() - t0;
	size_t nchildren = t.child_off[nt], napp = e.app_off[ne];
	printf("bench_policy: machine: %ld cores, %d threads; pack %s (%d policies: %d per person, %d per enterprise); "
	       "prepared in %.3f ms\n",
	       sysconf(_SC_NPROCESSORS_ONLN), nthreads, pack, BP_NPOL, nperson, nent, prep * 1e3);
	printf("bench_policy: data: %zu talents (%zu children), %zu enterprises (%zu apprentices), seed %llu, "
	       "generated in %.2f s; period %d\n",
	       nt, nchildren, ne, napp, (unsigned long long)seed, gen_s, year);

	if (jsonl && !file_exists(jsonl)) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.tmp", jsonl);
		FILE *f = fopen(tmp, "w");
		if (!f || bp_write_jsonl(f, &t, sample, &e) || fclose(f) || rename(tmp, jsonl)) {
			fprintf(stderr, "bench_policy: cannot write %s\n", jsonl);
			return 1;
		}
		printf("bench_policy: wrote %s (%zu talents, %zu enterprises)\n", jsonl, sample, ne);
	}

	if (cases && check_cases(pk, fast, cases))
		bad++;

	/* ---- agreement on the sample ---- */
	struct bp_totals s_fast, s_enum, s_hand, s_json, s_json_fast;
	pass(M_FAST, pk, fast, &t, sample, &e, ne, year, 1, &s_fast);
	pass(M_ENUM, pk, fast, &t, sample, &e, ne, year, 1, &s_enum);
	pass(M_HAND, pk, fast, &t, sample, &e, ne, year, 1, &s_hand);
	memset(&s_json, 0, sizeof(s_json));
	if (json_totals(pk, &t, json_check, year, &s_json))
		return 1;
	pass(M_FAST, pk, fast, &t, json_check, &e, 0, year, 1, &s_json_fast);
	bad += bp_totals_diff("sample: engine vs pol_enumerate", &s_fast, &s_enum);
	bad += bp_totals_diff("sample: engine vs hand-written", &s_fast, &s_hand);
	bad += bp_totals_diff("json-check: engine (columns) vs pol_enumerate (facts from JSON)", &s_json_fast, &s_json);
	printf("check: sample of %zu talents + %zu enterprises: engine, pol_enumerate, hand-written %s; "
	       "first %zu talents from JSON documents through pol_facts_from_json %s\n",
	       sample, ne, bad ? "DIFFER" : "agree", json_check, bad ? "(see above)" : "agree");
	print_totals("sample totals (the JS engines must match these):", &s_fast);
	if (expected) { /* the sample, and its first 20,000 talents (for the slower JS engine) */
		struct bp_totals et[2];
		size_t en[2] = {sample < 20000 ? sample : 20000, sample};
		pass(M_FAST, pk, fast, &t, en[0], &e, ne, year, 1, &et[0]);
		et[1] = s_fast;
		if (write_expected(expected, et, en, en[0] < sample ? 2 : 1, ne, year, seed)) {
			fprintf(stderr, "bench_policy: cannot write %s\n", expected);
			return 1;
		}
	}

	/* ---- the whole population ---- */
	double best[3] = {1e30, 1e30, 1e30};
	struct bp_totals full[3];
	enum mode order[3] = {M_FAST, M_HAND, M_ENUM};
	for (int r = 0; r < repeat; r++)
		for (int k = 0; k < 3; k++) {
			enum mode m = order[k];
			if (only >= 0 && (int)m != only)
				continue;
			double tt = pass(m, pk, fast, &t, nt, &e, 0, year, nthreads, &full[m]);
			struct bp_totals ent;
			double te = pass(m, pk, fast, &t, 0, &e, ne, year, nthreads, &ent);
			bp_totals_add(&full[m], &ent);
			printf("run %d %-9s talents %.3f s (%.0f talent-policy evaluations/s), enterprises %.3f s\n", r + 1,
			       mode_names[m], tt, (double)nt * nperson / tt, te);
			if (tt < best[m])
				best[m] = tt;
		}
	if (only < 0) {
		bad += bp_totals_diff("population: engine vs hand-written", &full[M_FAST], &full[M_HAND]);
		bad += bp_totals_diff("population: engine vs pol_enumerate", &full[M_FAST], &full[M_ENUM]);
		print_totals("population totals:", &full[M_FAST]);
		printf("check: population of %zu talents + %zu enterprises: engine, pol_enumerate, hand-written %s\n",
		       nt, ne, bad ? "DIFFER" : "agree");
	}
	for (int m = 0; m < 3; m++)
		if (only < 0 || m == only)
			printf("RESULT %s_talent_policy_evals_per_s=%.0f %s_cpu_ns_per_talent=%.1f (best of %d, %d threads)\n",
			       mode_names[m], (double)nt * nperson / best[m], mode_names[m],
			       best[m] / (double)nt * 1e9 * nthreads, repeat, nthreads);
	{
		struct bp_totals ft;
		double fbest = 1e30;
		for (int r = 0; r < repeat; r++) {
			double tt = pass(M_FILL, pk, fast, &t, nt, &e, 0, year, nthreads, &ft);
			if (tt < fbest)
				fbest = tt;
		}
		printf("RESULT fill_cpu_ns_per_talent=%.1f (facts from the columns alone, best of %d)\n",
		       fbest / (double)nt * 1e9 * nthreads, repeat);
	}
	if (only < 0)
		printf("RESULT engine_over_hand=%.2f enumerate_over_engine=%.2f\n", best[M_FAST] / best[M_HAND],
		       best[M_ENUM] / best[M_FAST]);

	if (explain_reps > 0)
		time_explain(pk, fast, &t, sample, year, explain_reps);

	bp_free(&t, &e);
	pol_fast_free(fast);
	pol_pack_free(pk);
	printf("RESULT check=%s\n", bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}
