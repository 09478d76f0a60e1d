/*
 * hand.c — the floor: the twelve policies of default-pack.md written straight in
 * C over the columns, with the pack's figures as constants and the language's
 * rules for missing facts, instalments and exclusive groups spelled out by hand.
 * No generality: what a programmer would write for this one pack.
 */
#include "bp.h"
#include "core/date.h"

enum { TA, SI, HP, GH, ST, QZ, PV, SL, GL, AT, CS, CZ };

#define PARAM_YEAR 2022 /* every parameter of the pack is in force from 2022-01-01 */

static const int64_t annual[8] = {0, 18000000, 12000000, 8000000, 5000000, 3000000, 1200000, 600000};
static const int64_t monthly[4] = {0, 300000, 200000, 100000};
static const int64_t hp_total[8] = {0, 100000000, 60000000, 30000000, 20000000, 10000000, 5000000, 3000000};
static const int64_t gh_amount[5] = {0, 0, 3000000, 10000000, 30000000};
static const int64_t transport[6] = {0, 1500000, 1000000, 800000, 600000, 400000};
static const int64_t qz_amount[6] = {0, 200000000, 100000000, 50000000, 30000000, 20000000};
static const int64_t pv_amount[4] = {0, 600000000, 300000000, 150000000};
static const int64_t points[7] = {0, 20, 20, 20, 10, 10, 10};

struct year_ctx {
	int y;
	int32_t ms[13], me[13], jan1, dec31, jun1, sep1;
};

static void year_ctx(struct year_ctx *c, int y)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	c->y = y;
	for (int m = 1; m <= 12; m++) {
		c->ms[m] = (int32_t)date_to_days((struct civil_date){y, m, 1});
		c->me[m] = c->ms[m] + md[m - 1] - 1 + (m == 2 && date_valid(y, 2, 29));
	}
	c->jan1 = c->ms[1];
	c->dec31 = c->me[12];
	c->jun1 = c->ms[6];
	c->sep1 = c->ms[9];
}

static int year_of(int32_t d)
{
	return date_from_days(d).y;
}

static int ins_months(const struct bp_talents *t, size_t i, int y) /* -1: no list for y */
{
	if (y < BP_INS_Y0 || y >= BP_INS_Y0 + BP_INS_NY || !(t->ins[y - BP_INS_Y0][i] & BP_INS_PRESENT))
		return -1;
	return t->ins[y - BP_INS_Y0][i] & 0x0fff;
}

/* the tier is valid on d (a missing from, or d, is "not valid": a missing condition is false) */
static int tier_on(const struct bp_talents *t, size_t i, int32_t d)
{
	return t->tier[i] && t->tier_from[i] != BP_NODATE && d != BP_NODATE && t->tier_from[i] <= d &&
	       (t->tier_to[i] == BP_NODATE || d <= t->tier_to[i]);
}

/* the tier overlaps [a, b]: 1, 0, or -1 when it cannot be told (no from) */
static int tier_overlaps(const struct bp_talents *t, size_t i, int32_t a, int32_t b)
{
	if (!t->tier[i] || t->tier_from[i] == BP_NODATE)
		return -1;
	return t->tier_from[i] <= b && (t->tier_to[i] == BP_NODATE || t->tier_to[i] >= a);
}

static int32_t plus5(int32_t d)
{
	struct civil_date c = date_add_years(date_from_days(d), 5);
	return date_valid(c.y, c.m, c.d) ? (int32_t)date_to_days(c) : BP_NODATE;
}

static int age_on(int32_t birth, int32_t on)
{
	return date_age_on(date_from_days(birth), date_from_days(on));
}

static void grant(struct bp_totals *o, int k, int64_t amount)
{
	o->granted[k]++;
	o->amount[k] += amount;
}

static void talent(const struct bp_talents *t, size_t i, const struct year_ctx *c, struct bp_totals *o)
{
	int Y = c->y, lvl = t->tier[i];
	int ins = ins_months(t, i, Y);

	/* talent-allowance */
	if (t->short_term[i] == 0 && lvl) {
		int n = 0;
		for (int m = 1; m <= 12; m++)
			if (ins >= 0 && (ins >> (m - 1) & 1) && tier_overlaps(t, i, c->ms[m], c->me[m]) == 1)
				n++;
		if (n >= 6)
			grant(o, TA, annual[lvl] * n / 1200 * 100);
	}
	/* self-identified-subsidy, month by month */
	if (t->si_cat[i] && t->si_from[i] != BP_NODATE && ins > 0)
		for (int m = 1; m <= 12; m++)
			if (t->si_from[i] <= c->me[m] && (t->si_to[i] == BP_NODATE || t->si_to[i] >= c->ms[m]) &&
			    (ins >> (m - 1) & 1) && (!lvl || tier_overlaps(t, i, c->ms[m], c->me[m]) == 0))
				grant(o, SI, monthly[t->si_cat[i]]);
	/* housing group: housing-purchase and graduate-housing, judged at the contract date */
	if (t->has_hp[i] && t->hp_date[i] != BP_NODATE) {
		int32_t cd = t->hp_date[i];
		int d = year_of(cd);
		int hp_ok = d >= PARAM_YEAR && tier_on(t, i, cd) && t->hp_in[i] == 1 && t->hp_first[i] == 1 &&
			    t->hp_area[i] >= 6000;
		int64_t hp = hp_ok ? hp_total[lvl] : 0;
		int gh_ok = d >= PARAM_YEAR && t->degree[i] >= 2 && t->grad[i] != BP_NODATE && t->grad[i] <= cd &&
			    cd <= plus5(t->grad[i]) && t->birth[i] != BP_NODATE && age_on(t->birth[i], cd) >= 0 &&
			    age_on(t->birth[i], cd) <= 35 && t->hp_in[i] == 1 && t->hp_first[i] == 1;
		int64_t gh = !gh_ok ? 0 : t->degree[i] == 2 && t->dfc[i] == 1 ? 5000000 : gh_amount[t->degree[i]];
		int hp_wins = hp_ok && (!gh_ok || hp >= gh);
		if (hp_ok) {
			if (d == Y) {
				if (hp_wins)
					grant(o, HP, hp / 2);
				else
					o->excluded[HP]++;
			}
			if (d + 3 == Y) {
				if (!hp_wins)
					o->excluded[HP]++;
				else if (ins >= 0 && __builtin_popcount((unsigned)ins) >= 6)
					grant(o, HP, hp - hp / 2);
			}
		}
		if (gh_ok && d == Y) {
			if (!hp_wins)
				grant(o, GH, gh);
			else
				o->excluded[GH]++;
		}
	}
	/* short-term-transport */
	if (t->short_term[i] == 1 && lvl >= 1 && lvl <= 5 && tier_overlaps(t, i, c->jan1, c->dec31) == 1 &&
	    Y >= BP_DAYS_Y0 && Y < BP_DAYS_Y0 + BP_DAYS_NY && t->days[Y - BP_DAYS_Y0][i] >= 30)
		grant(o, ST, transport[lvl]);
	/* top-up group: quanzhou-topup and provincial-topup, each judged at its selection date */
	if (t->qz_level[i] || t->pv_level[i]) {
		int qd = t->qz_on[i] != BP_NODATE ? year_of(t->qz_on[i]) : 0;
		int pd = t->pv_on[i] != BP_NODATE ? year_of(t->pv_on[i]) : 0;
		int qz_ok = t->qz_level[i] && qd >= PARAM_YEAR && tier_on(t, i, t->qz_on[i]);
		int pv_ok = t->pv_level[i] && pd >= PARAM_YEAR && tier_on(t, i, t->pv_on[i]);
		int64_t qa = qz_ok ? qz_amount[t->qz_level[i]] : 0, pa = pv_ok ? pv_amount[t->pv_level[i]] : 0;
		int qz_wins = qz_ok && (!pv_ok || qa >= pa);
		if (qz_ok && qd == Y) {
			if (qz_wins)
				grant(o, QZ, qa);
			else
				o->excluded[QZ]++;
		}
		if (pv_ok && pd == Y) {
			if (!qz_wins)
				grant(o, PV, pa);
			else
				o->excluded[PV]++;
		}
	}
	/* startup-loan */
	if (t->has_su[i] && t->su_on[i] != BP_NODATE && year_of(t->su_on[i]) == Y && Y >= PARAM_YEAR &&
	    t->degree[i] >= 1 && t->su_in[i] == 1 && t->grad[i] != BP_NODATE) {
		int32_t g5 = plus5(t->grad[i]);
		if (g5 != BP_NODATE && t->su_on[i] <= g5)
			grant(o, SL, 30000000);
	}
	/* graduate-lodging */
	if (t->grad[i] != BP_NODATE && t->degree[i] >= 1 && year_of(t->grad[i]) == Y && Y >= PARAM_YEAR)
		grant(o, GL, 30);
	/* child-schooling and child-zhongkao, per child */
	if (lvl >= 1 && lvl <= 6)
		for (uint32_t k = t->child_off[i]; k < t->child_off[i + 1]; k++) {
			int32_t b = t->child_birth[k];
			if (b == BP_NODATE)
				continue;
			if (tier_on(t, i, c->sep1)) {
				int a = age_on(b, c->sep1);
				if (a >= 6 && a <= 14)
					grant(o, CS, 1);
			}
			if (tier_on(t, i, c->jun1) && year_of(b) == Y - 15)
				grant(o, CZ, points[lvl]);
		}
}

void bp_hand_talents(const struct bp_talents *t, size_t from, size_t to, int year, struct bp_totals *out)
{
	struct year_ctx c;

	year_ctx(&c, year);
	for (size_t i = from; i < to; i++)
		talent(t, i, &c, out);
}

void bp_hand_enterprises(const struct bp_enterprises *e, size_t from, size_t to, int year,
			 struct bp_totals *out)
{
	for (size_t i = from; i < to; i++)
		for (uint32_t k = e->app_off[i]; k < e->app_off[i + 1]; k++) {
			if (e->app_enrolled[k] == BP_NODATE || e->app_level[k] < 0)
				continue;
			int d = year_of(e->app_enrolled[k]);
			int64_t total = e->app_level[k] ? 600000 : 500000;
			if (d < PARAM_YEAR)
				continue;
			if (d == year)
				grant(out, AT, total / 2);
			if (e->app_completed[k] != BP_NODATE && year_of(e->app_completed[k]) == year)
				grant(out, AT, total - total / 2);
		}
}
