/*
 * gen.c — deterministic synthetic talents and enterprises in columns (a seeded
 * splitmix64), with a spread of facts meant to look like a city's register:
 * most people have no tier or a low one, a third are not insured all year, a few
 * bought a home, started a company, were selected by Quanzhou or the province.
 * The same rows are written as facts documents (JSON lines) for the JS engines.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bp.h"
#include "core/date.h"

const char *const bp_policy_ids[BP_NPOL] = {
	"talent-allowance", "self-identified-subsidy", "housing-purchase", "graduate-housing",
	"short-term-transport", "quanzhou-topup", "provincial-topup", "startup-loan",
	"graduate-lodging", "apprentice-training", "child-schooling", "child-zhongkao",
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static int64_t below(int64_t n)
{
	return (int64_t)(rnd() % (uint64_t)n);
}

/* percent chance */
static int pct(double p)
{
	return (double)(rnd() % 1000000) < p * 10000.0;
}

static int32_t ymd(int y, int m, int d)
{
	return (int32_t)date_to_days((struct civil_date){y, m, d});
}

static int32_t rdate(int y0, int y1)
{
	int32_t a = ymd(y0, 1, 1), b = ymd(y1, 12, 31);
	return a + (int32_t)below(b - a + 1);
}

static int32_t plus_years(int32_t d, int years)
{
	return (int32_t)date_to_days(date_add_years(date_from_days(d), years));
}

/* picks an index by weights (in any unit) */
static int pick(const double *w, int n)
{
	double s = 0, r;
	for (int i = 0; i < n; i++)
		s += w[i];
	r = (double)(rnd() % 1000000) / 1e6 * s;
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p) {
		fprintf(stderr, "bench_policy: out of memory\n");
		exit(1);
	}
	return p;
}

#define ALLOC(a, n) ((a) = xcalloc((n), sizeof(*(a))))

static uint16_t insured_mask(void)
{
	uint16_t m = 0;
	if (pct(3))
		return BP_INS_PRESENT; /* given, but no month */
	if (pct(60)) {
		m = 0x0fff;
	} else {
		int a = 1 + (int)below(12), b = a + (int)below(13 - a);
		for (int k = a; k <= b; k++)
			m |= (uint16_t)(1u << (k - 1));
	}
	if (pct(10))
		m &= (uint16_t)~(1u << below(12)); /* a gap */
	return m | BP_INS_PRESENT;
}

static void gen_talent(struct bp_talents *t, size_t i, size_t nent, size_t *nchild)
{
	static const double deg_w[] = {10, 18, 42, 22, 8};
	static const double tier_w[] = {0.2, 0.8, 3, 6, 15, 30, 45};
	static const double si_w[] = {20, 30, 50};
	static const double qz_w[] = {5, 10, 20, 30, 35};
	static const double pv_w[] = {15, 35, 50};
	static const double nch_w[] = {55, 30, 12, 3};
	int by = 0;

	t->birth[i] = BP_NODATE;
	if (!pct(2)) {
		t->birth[i] = rdate(1962, 2003);
		by = date_from_days(t->birth[i]).y;
	}
	t->degree[i] = pct(3) ? -1 : (int8_t)pick(deg_w, 5);
	t->dfc[i] = -1;
	if (t->degree[i] >= 2)
		t->dfc[i] = pct(10) ? -1 : (int8_t)pct(22);
	else if (pct(50))
		t->dfc[i] = 0;
	t->grad[i] = BP_NODATE;
	if (t->degree[i] >= 1 && !pct(3)) {
		int g0 = by ? by + 20 : 2000, g1 = by ? by + 30 : 2026;
		if (g0 < 1985)
			g0 = 1985;
		if (g1 > 2026)
			g1 = 2026;
		if (g0 > g1)
			g0 = g1;
		t->grad[i] = pct(60) ? ymd(g0 + (int)below(g1 - g0 + 1), 7, 1) : rdate(g0, g1);
	}
	t->tier[i] = 0;
	t->tier_from[i] = t->tier_to[i] = BP_NODATE;
	if (pct(40)) {
		t->tier[i] = (int8_t)(1 + pick(tier_w, 7));
		t->tier_from[i] = rdate(2019, 2026);
		if (!pct(12))
			t->tier_to[i] = plus_years(t->tier_from[i], pct(50) ? 3 : 5) - 1;
	}
	t->si_cat[i] = 0;
	t->si_from[i] = t->si_to[i] = BP_NODATE;
	t->si_ent[i] = -1;
	if (pct(10)) {
		t->si_cat[i] = (int8_t)(1 + pick(si_w, 3));
		t->si_from[i] = rdate(2024, 2026);
		if (!pct(20))
			t->si_to[i] = plus_years(t->si_from[i], 1) - 1;
		t->si_ent[i] = (int32_t)below((int64_t)nent);
	}
	t->qz_level[i] = t->pv_level[i] = 0;
	t->qz_on[i] = t->pv_on[i] = BP_NODATE;
	if (pct(3)) {
		t->qz_level[i] = (int8_t)(1 + pick(qz_w, 5));
		t->qz_on[i] = rdate(2021, 2027);
	}
	if (pct(1)) {
		t->pv_level[i] = (int8_t)(1 + pick(pv_w, 3));
		t->pv_on[i] = rdate(2021, 2027);
	}
	t->short_term[i] = pct(10) ? -1 : (int8_t)pct(6.5);
	for (int y = 0; y < BP_DAYS_NY; y++) {
		t->days[y][i] = -1;
		if (t->short_term[i] == 1 ? !pct(5) : pct(20))
			t->days[y][i] = t->short_term[i] == 1 ? (int32_t)below(150) : 200 + (int32_t)below(166);
	}
	int insured_now = pct(75);
	for (int y = BP_INS_NY - 1; y >= 0; y--) {
		int on = y == BP_INS_NY - 1 ? insured_now : (insured_now ? pct(80) : pct(15));
		t->ins[y][i] = on ? insured_mask() : 0;
	}
	t->has_hp[i] = (int8_t)pct(12);
	t->hp_date[i] = t->hp_area[i] = BP_NODATE;
	t->hp_in[i] = t->hp_first[i] = -1;
	if (t->has_hp[i]) {
		t->hp_date[i] = rdate(2019, 2027);
		t->hp_area[i] = pct(1) ? -1 : 4500 + (int32_t)below(11500);
		t->hp_in[i] = pct(2) ? -1 : (int8_t)pct(90);
		t->hp_first[i] = pct(2) ? -1 : (int8_t)pct(85);
	}
	t->has_su[i] = (int8_t)pct(4);
	t->su_on[i] = BP_NODATE;
	t->su_in[i] = -1;
	if (t->has_su[i]) {
		t->su_on[i] = rdate(2020, 2027);
		t->su_in[i] = (int8_t)pct(85);
	}
	int nc = pick(nch_w, 4);
	t->child_off[i] = (uint32_t)*nchild;
	for (int k = 0; k < nc; k++) {
		int c0 = by ? by + 22 : 2005, c1 = by ? by + 45 : 2022;
		if (c0 < 2000)
			c0 = 2000;
		if (c1 > 2025)
			c1 = 2025;
		t->child_birth[(*nchild)++] = c0 <= c1 ? rdate(c0, c1) : rdate(2005, 2022);
	}
	t->child_off[i + 1] = (uint32_t)*nchild;
}

void bp_generate(uint64_t seed, size_t nt, size_t ne, struct bp_talents *t, struct bp_enterprises *e)
{
	size_t nchild = 0, napp = 0;

	rng_state = seed;
	memset(t, 0, sizeof(*t));
	memset(e, 0, sizeof(*e));
	t->n = nt;
	ALLOC(t->birth, nt); ALLOC(t->grad, nt); ALLOC(t->degree, nt); ALLOC(t->dfc, nt);
	ALLOC(t->tier, nt); ALLOC(t->tier_from, nt); ALLOC(t->tier_to, nt);
	ALLOC(t->si_cat, nt); ALLOC(t->si_from, nt); ALLOC(t->si_to, nt); ALLOC(t->si_ent, nt);
	ALLOC(t->qz_level, nt); ALLOC(t->pv_level, nt); ALLOC(t->qz_on, nt); ALLOC(t->pv_on, nt);
	ALLOC(t->short_term, nt);
	for (int y = 0; y < BP_DAYS_NY; y++)
		ALLOC(t->days[y], nt);
	for (int y = 0; y < BP_INS_NY; y++)
		ALLOC(t->ins[y], nt);
	ALLOC(t->has_hp, nt); ALLOC(t->hp_date, nt); ALLOC(t->hp_area, nt); ALLOC(t->hp_in, nt);
	ALLOC(t->hp_first, nt);
	ALLOC(t->has_su, nt); ALLOC(t->su_in, nt); ALLOC(t->su_on, nt);
	ALLOC(t->child_off, nt + 1);
	ALLOC(t->child_birth, nt * BP_MAX_CHILDREN);
	for (size_t i = 0; i < nt; i++)
		gen_talent(t, i, ne ? ne : 1, &nchild);

	rng_state = seed ^ 0x5851f42d4c957f2dULL; /* the enterprises do not depend on how many talents */
	e->n = ne;
	ALLOC(e->app_off, ne + 1);
	ALLOC(e->app_level, ne * BP_MAX_APPRENTICES);
	ALLOC(e->app_enrolled, ne * BP_MAX_APPRENTICES);
	ALLOC(e->app_completed, ne * BP_MAX_APPRENTICES);
	for (size_t i = 0; i < ne; i++) {
		int na = pct(40) ? 0 : 1 + (int)below(BP_MAX_APPRENTICES);
		e->app_off[i] = (uint32_t)napp;
		for (int k = 0; k < na; k++, napp++) {
			e->app_level[napp] = pct(2) ? -1 : (int8_t)pct(38);
			e->app_enrolled[napp] = pct(2) ? BP_NODATE : rdate(2021, 2026);
			e->app_completed[napp] = BP_NODATE;
			if (e->app_enrolled[napp] != BP_NODATE && pct(50)) {
				int32_t c = e->app_enrolled[napp] + 300 + (int32_t)below(500);
				if (c <= ymd(2027, 12, 31))
					e->app_completed[napp] = c;
			}
		}
		e->app_off[i + 1] = (uint32_t)napp;
	}
}

void bp_free(struct bp_talents *t, struct bp_enterprises *e)
{
	void *tp[] = {t->birth, t->grad, t->degree, t->dfc, t->tier, t->tier_from, t->tier_to,
		      t->si_cat, t->si_from, t->si_to, t->si_ent, t->qz_level, t->pv_level, t->qz_on,
		      t->pv_on, t->short_term, t->has_hp, t->hp_date, t->hp_area, t->hp_in,
		      t->hp_first, t->has_su, t->su_in, t->su_on, t->child_off, t->child_birth,
		      e->app_off, e->app_level, e->app_enrolled, e->app_completed};
	for (size_t k = 0; k < sizeof tp / sizeof tp[0]; k++)
		free(tp[k]);
	for (int y = 0; y < BP_DAYS_NY; y++)
		free(t->days[y]);
	for (int y = 0; y < BP_INS_NY; y++)
		free(t->ins[y]);
}

/* ---- facts documents ---- */

struct sb {
	char *p;
	size_t len, cap;
	int over;
};

static void put(struct sb *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->over = 1;
		return;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

static void putf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct sb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(b, tmp);
}

static void kdate(struct sb *b, const char *key, int32_t d)
{
	char s[11];
	if (d == BP_NODATE)
		return;
	date_format(date_from_days(d), s);
	putf(b, ",\"%s\":\"%s\"", key, s);
}

static void kflag(struct sb *b, const char *key, int8_t v)
{
	if (v >= 0)
		putf(b, ",\"%s\":%s", key, v ? "true" : "false");
}

static const char *const degrees[] = {"none", "associate", "bachelor", "master", "phd"};

int bp_talent_json(const struct bp_talents *t, size_t i, char *buf, size_t len)
{
	struct sb b = {buf, 0, len, 0};

	buf[0] = '\0';
	putf(&b, "{\"person\":{\"id\":\"p%zu\"", i + 1);
	kdate(&b, "birth_date", t->birth[i]);
	if (t->degree[i] >= 0)
		putf(&b, ",\"degree\":\"%s\"", degrees[t->degree[i]]);
	kflag(&b, "double_first_class", t->dfc[i]);
	kdate(&b, "graduated_on", t->grad[i]);
	if (t->tier[i]) {
		putf(&b, ",\"tier\":{\"level\":%d", t->tier[i]);
		kdate(&b, "from", t->tier_from[i]);
		kdate(&b, "to", t->tier_to[i]);
		put(&b, "}");
	}
	if (t->si_cat[i]) {
		putf(&b, ",\"self_identified\":{\"category\":%d,\"enterprise\":\"e%d\"", t->si_cat[i],
		     t->si_ent[i] + 1);
		kdate(&b, "from", t->si_from[i]);
		kdate(&b, "to", t->si_to[i]);
		put(&b, "}");
	}
	if (t->qz_level[i]) {
		putf(&b, ",\"quanzhou_level\":%d", t->qz_level[i]);
		kdate(&b, "quanzhou_selected_on", t->qz_on[i]);
	}
	if (t->pv_level[i]) {
		putf(&b, ",\"provincial_level\":%d", t->pv_level[i]);
		kdate(&b, "provincial_selected_on", t->pv_on[i]);
	}
	kflag(&b, "short_term", t->short_term[i]);
	int first = 1;
	for (int y = 0; y < BP_DAYS_NY; y++) {
		if (t->days[y][i] < 0)
			continue;
		putf(&b, "%s\"%d\":%d", first ? ",\"days_in_jinjiang\":{" : ",", BP_DAYS_Y0 + y, t->days[y][i]);
		first = 0;
	}
	if (!first)
		put(&b, "}");
	first = 1;
	for (int y = 0; y < BP_INS_NY; y++) {
		uint16_t m = t->ins[y][i];
		if (!(m & BP_INS_PRESENT))
			continue;
		putf(&b, "%s\"%d\":[", first ? ",\"insured_months\":{" : ",", BP_INS_Y0 + y);
		first = 0;
		int k1 = 1;
		for (int k = 1; k <= 12; k++)
			if (m & (1u << (k - 1))) {
				putf(&b, "%s%d", k1 ? "" : ",", k);
				k1 = 0;
			}
		put(&b, "]");
	}
	if (!first)
		put(&b, "}");
	if (t->has_hp[i]) {
		put(&b, ",\"home_purchase\":{");
		int k0 = 1;
		char s[11];
		if (t->hp_date[i] != BP_NODATE) {
			date_format(date_from_days(t->hp_date[i]), s);
			putf(&b, "\"contract_date\":\"%s\"", s);
			k0 = 0;
		}
		if (t->hp_area[i] >= 0) {
			putf(&b, "%s\"area_m2\":%d.%02d", k0 ? "" : ",", t->hp_area[i] / 100, t->hp_area[i] % 100);
			k0 = 0;
		}
		if (t->hp_in[i] >= 0) {
			putf(&b, "%s\"in_jinjiang\":%s", k0 ? "" : ",", t->hp_in[i] ? "true" : "false");
			k0 = 0;
		}
		if (t->hp_first[i] >= 0)
			putf(&b, "%s\"first_home_in_jinjiang\":%s", k0 ? "" : ",", t->hp_first[i] ? "true" : "false");
		put(&b, "}");
	}
	if (t->has_su[i]) {
		char s[11];
		date_format(date_from_days(t->su_on[i]), s);
		putf(&b, ",\"startup\":{\"registered_on\":\"%s\"", s);
		kflag(&b, "in_jinjiang", t->su_in[i]);
		put(&b, "}");
	}
	if (t->child_off[i + 1] > t->child_off[i]) {
		put(&b, ",\"children\":[");
		for (uint32_t k = t->child_off[i]; k < t->child_off[i + 1]; k++) {
			char s[11];
			date_format(date_from_days(t->child_birth[k]), s);
			putf(&b, "%s{\"id\":\"c%zu_%u\",\"birth_date\":\"%s\"}", k == t->child_off[i] ? "" : ",",
			     i + 1, k - t->child_off[i] + 1, s);
		}
		put(&b, "]");
	}
	put(&b, "}}");
	return b.over ? -1 : 0;
}

static int enterprise_json(const struct bp_enterprises *e, size_t i, char *buf, size_t len)
{
	struct sb b = {buf, 0, len, 0};
	static const char *const levels[] = {"intermediate", "advanced"};

	putf(&b, "{\"enterprise\":{\"id\":\"e%zu\",\"apprentices\":[", i + 1);
	for (uint32_t k = e->app_off[i]; k < e->app_off[i + 1]; k++) {
		putf(&b, "%s{\"id\":\"a%zu_%u\"", k == e->app_off[i] ? "" : ",", i + 1, k - e->app_off[i] + 1);
		if (e->app_level[k] >= 0)
			putf(&b, ",\"level\":\"%s\"", levels[e->app_level[k]]);
		kdate(&b, "enrolled_on", e->app_enrolled[k]);
		kdate(&b, "completed_on", e->app_completed[k]);
		put(&b, "}");
	}
	put(&b, "]}}");
	return b.over ? -1 : 0;
}

int bp_write_jsonl(FILE *out, const struct bp_talents *t, size_t n, const struct bp_enterprises *e)
{
	char buf[16384];

	for (size_t i = 0; i < n && i < t->n; i++) {
		if (bp_talent_json(t, i, buf, sizeof(buf)))
			return -1;
		fputs(buf, out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < e->n; i++) {
		if (enterprise_json(e, i, buf, sizeof(buf)))
			return -1;
		fputs(buf, out);
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}

void bp_totals_add(struct bp_totals *a, const struct bp_totals *b)
{
	for (int k = 0; k < BP_NPOL; k++) {
		a->granted[k] += b->granted[k];
		a->excluded[k] += b->excluded[k];
		a->amount[k] += b->amount[k];
	}
}

int bp_totals_diff(const char *what, const struct bp_totals *a, const struct bp_totals *b)
{
	int n = 0;
	for (int k = 0; k < BP_NPOL; k++)
		if (a->granted[k] != b->granted[k] || a->excluded[k] != b->excluded[k] ||
		    a->amount[k] != b->amount[k]) {
			fprintf(stderr, "bench_policy: %s: %s: granted %lld/%lld excluded %lld/%lld amount %lld/%lld\n",
				what, bp_policy_ids[k], (long long)a->granted[k], (long long)b->granted[k],
				(long long)a->excluded[k], (long long)b->excluded[k], (long long)a->amount[k],
				(long long)b->amount[k]);
			n++;
		}
	return n;
}
