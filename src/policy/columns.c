/*
 * columns.c — the facts of one talent (or enterprise) at a time, made from columns
 * (struct pol_talent_cols) into storage a filler reuses: the same facts facts.c reads
 * from the talent's facts document, checked the same way (types, bounds, enum values,
 * dates, required fields) and the first bad field named the same way, in schema order.
 *
 * The columns as facts, as src/domain/policy_facts.c writes a stored talent's facts
 * document (anything not recorded is absent, never false or 0):
 *   person.id          the talent id in decimal
 *   tier               {level, from, to} when a level is recorded
 *   home_purchase      the members recorded; absent when none is (startup likewise)
 *   insured_months     {year: [months]} for the years with an insured month
 *   days_in_jinjiang   {year: days} for the years whose days are recorded
 *   children           [{id: "c1", birth_date}, …] numbered from 1; absent when none
 *   enterprise         {id: the employer's id in decimal} when there is an employer
 *   self_identified    {category, enterprise, from, to} when si_category is 1.. (the
 *                      active self-identification of the year the store loaded)
 *   enterprise.apprentices  only for an enterprise's own row (pol_filler_enterprise):
 *                      [{id, level, enrolled_on, completed_on}, …] in the order loaded (id
 *                      order), a date absent when not recorded; absent when there is none.
 *                      A talent's employer is {id} alone (enterprise policies are evaluated
 *                      once per enterprise, never per employee).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_int.h"

/* ---- the columns ---- */

#define ARRAYS(X)                                                                                  \
	X(id)                                                                                      \
	X(enterprise_id)                                                                           \
	X(birth_date) X(graduated_on) X(tier_from) X(tier_to) X(quanzhou_selected_on)              \
	    X(provincial_selected_on) X(home_contract_date) X(startup_registered_on) X(degree)     \
	        X(tier) X(quanzhou_level) X(provincial_level) X(double_first_class) X(short_term)  \
	            X(home_in_jinjiang) X(home_first) X(startup_in_jinjiang) X(home_area_cm2)      \
	                X(si_category) X(si_from) X(si_to) X(si_enterprise)

int pol_talent_cols_alloc(struct pol_talent_cols *c, size_t n, size_t nyears, size_t nchildren)
{
	int ok = 1;

	memset(c, 0, sizeof(*c));
	c->n = n;
	c->nyears = nyears;
	c->nchildren = nchildren;
#define ALLOC(name) ok &= (c->name = calloc(n + 1, sizeof(*c->name))) != NULL;
	ARRAYS(ALLOC)
#undef ALLOC
	ok &= (c->year_off = calloc(n + 1, sizeof(*c->year_off))) != NULL;
	ok &= (c->child_off = calloc(n + 1, sizeof(*c->child_off))) != NULL;
	ok &= (c->year = calloc(nyears + 1, sizeof(*c->year))) != NULL;
	ok &= (c->insured = calloc(nyears + 1, sizeof(*c->insured))) != NULL;
	ok &= (c->days_in_jinjiang = calloc(nyears + 1, sizeof(*c->days_in_jinjiang))) != NULL;
	ok &= (c->child_birth = calloc(nchildren + 1, sizeof(*c->child_birth))) != NULL;
	if (!ok) {
		pol_talent_cols_release(c);
		return -1;
	}
	return 0;
}

void pol_talent_cols_release(struct pol_talent_cols *c)
{
#define FREE(name) free(c->name);
	ARRAYS(FREE)
#undef FREE
	free(c->year_off);
	free(c->child_off);
	free(c->year);
	free(c->insured);
	free(c->days_in_jinjiang);
	free(c->child_birth);
	memset(c, 0, sizeof(*c));
}

int pol_enterprise_cols_alloc(struct pol_enterprise_cols *c, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->n = n;
	c->id = calloc(n + 1, sizeof(*c->id));
	c->appr_off = calloc(n + 1, sizeof(*c->appr_off));
	if (c->id && c->appr_off)
		return 0;
	pol_enterprise_cols_release(c);
	return -1;
}

int pol_enterprise_cols_alloc_apprentices(struct pol_enterprise_cols *c, size_t na)
{
	free(c->appr_id);
	free(c->appr_level);
	free(c->appr_enrolled);
	free(c->appr_completed);
	c->napprentices = na;
	c->appr_id = calloc(na + 1, sizeof(*c->appr_id));
	c->appr_level = calloc(na + 1, sizeof(*c->appr_level));
	c->appr_enrolled = calloc(na + 1, sizeof(*c->appr_enrolled));
	c->appr_completed = calloc(na + 1, sizeof(*c->appr_completed));
	return c->appr_id && c->appr_level && c->appr_enrolled && c->appr_completed ? 0 : -1;
}

void pol_enterprise_cols_release(struct pol_enterprise_cols *c)
{
	free(c->id);
	free(c->appr_off);
	free(c->appr_id);
	free(c->appr_level);
	free(c->appr_enrolled);
	free(c->appr_completed);
	memset(c, 0, sizeof(*c));
}

/* ---- binding the pack's schema to the columns ---- */

enum col {
	C_NONE,
	C_ID,
	C_BIRTH,
	C_DEGREE,
	C_DFC,
	C_GRAD,
	C_TIER,
	C_QZ_LEVEL,
	C_QZ_ON,
	C_PV_LEVEL,
	C_PV_ON,
	C_SHORT,
	C_DAYS,
	C_INSURED,
	C_HOME,
	C_STARTUP,
	C_CHILDREN,
	C_TIER_LEVEL,
	C_TIER_FROM,
	C_TIER_TO,
	C_HOME_DATE,
	C_HOME_AREA,
	C_HOME_IN,
	C_HOME_FIRST,
	C_SU_ON,
	C_SU_IN,
	C_CHILD_ID,
	C_CHILD_BIRTH,
	C_ENT_ID,
	C_SI,
	C_SI_CATEGORY,
	C_SI_ENTERPRISE,
	C_SI_FROM,
	C_SI_TO,
	C_APPRENTICES,
	C_AP_ID,
	C_AP_LEVEL,
	C_AP_ENROLLED,
	C_AP_COMPLETED,
};

struct binding {
	const char *name;
	enum col c;
	enum pt_kind k;
};

static const struct binding PERSON[] = {
    {"id", C_ID, PT_STR},
    {"birth_date", C_BIRTH, PT_DATE},
    {"degree", C_DEGREE, PT_ENUM},
    {"double_first_class", C_DFC, PT_BOOL},
    {"graduated_on", C_GRAD, PT_DATE},
    {"tier", C_TIER, PT_REC},
    {"quanzhou_level", C_QZ_LEVEL, PT_INT},
    {"quanzhou_selected_on", C_QZ_ON, PT_DATE},
    {"provincial_level", C_PV_LEVEL, PT_INT},
    {"provincial_selected_on", C_PV_ON, PT_DATE},
    {"short_term", C_SHORT, PT_BOOL},
    {"days_in_jinjiang", C_DAYS, PT_BYYEAR},
    {"insured_months", C_INSURED, PT_BYYEAR},
    {"home_purchase", C_HOME, PT_REC},
    {"startup", C_STARTUP, PT_REC},
    {"children", C_CHILDREN, PT_LIST},
    {"self_identified", C_SI, PT_REC},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding SELFID[] = {
    {"category", C_SI_CATEGORY, PT_INT},
    {"enterprise", C_SI_ENTERPRISE, PT_STR},
    {"from", C_SI_FROM, PT_DATE},
    {"to", C_SI_TO, PT_DATE},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding TIER[] = {
    {"level", C_TIER_LEVEL, PT_INT},
    {"from", C_TIER_FROM, PT_DATE},
    {"to", C_TIER_TO, PT_DATE},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding HOME[] = {
    {"contract_date", C_HOME_DATE, PT_DATE},
    {"area_m2", C_HOME_AREA, PT_DEC},
    {"in_jinjiang", C_HOME_IN, PT_BOOL},
    {"first_home_in_jinjiang", C_HOME_FIRST, PT_BOOL},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding STARTUP[] = {
    {"registered_on", C_SU_ON, PT_DATE},
    {"in_jinjiang", C_SU_IN, PT_BOOL},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding CHILD[] = {
    {"id", C_CHILD_ID, PT_STR},
    {"birth_date", C_CHILD_BIRTH, PT_DATE},
    {NULL, C_NONE, PT_ERR},
};
static const struct binding ENTERPRISE[] = {{"id", C_ENT_ID, PT_STR},
                                            {"apprentices", C_APPRENTICES, PT_LIST},
                                            {NULL, C_NONE, PT_ERR}};
static const struct binding APPRENTICE[] = {
    {"id", C_AP_ID, PT_STR},
    {"level", C_AP_LEVEL, PT_ENUM},
    {"enrolled_on", C_AP_ENROLLED, PT_DATE},
    {"completed_on", C_AP_COMPLETED, PT_DATE},
    {NULL, C_NONE, PT_ERR},
};
/* appr_level k (1..) is the value named APPR_LEVELS[k - 1] */
static const char *const APPR_LEVELS[] = {"intermediate", "advanced"};

/* A record of the schema bound to columns: codes[i] is what field i is filled from. */
struct rbind {
	const struct prec *rec;
	uint8_t *codes;
	struct pval *slots; /* rec->n values (children: rec->n per child) */
};

struct pol_filler {
	const struct pol_pack *pk;
	const struct pol_talent_cols *tc;
	const struct pol_enterprise_cols *ec;
	struct pol_facts facts;
	struct rbind person, tier, home, startup, child, ent, si, appr;
	int degree_ord[32]; /* degree_names[k] → the enum's ordinal, -1 none */
	int level_ord[2];   /* APPR_LEVELS[k] → the enum's ordinal, -1 none */
	size_t maxy, maxc, maxa;
	/* the by_year values and the children list, reused row after row */
	struct pkeyed days, insured;
	struct plist *ins_lists;
	struct pval *ins_months; /* 12 per year */
	struct plist children, apprentices;
	char (*child_ids)[24];
	char (*appr_ids)[24];
	char pid[24], eid[24], sid[24];
};

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s: %s", path, what);
	return -1;
}

static int bind_rec(struct pol_filler *f, struct rbind *rb, const struct ptype *t,
                    const struct binding *b, const char *path, char *err, size_t errlen);

/* Checks the schema's type t of the field that binding b fills; binds sub-records. */
static int bind_field(struct pol_filler *f, const struct binding *b, const struct ptype *t,
                      const char *path, char *err, size_t errlen)
{
	char sub[96];
	int ok = t->k == b->k;

	snprintf(sub, sizeof(sub), "%s.%s", path, b->name);
	switch (b->c) {
	case C_TIER:
		return ok ? bind_rec(f, &f->tier, t, TIER, sub, err, errlen)
		          : fail(err, errlen, sub, "expected a record");
	case C_HOME:
		return ok ? bind_rec(f, &f->home, t, HOME, sub, err, errlen)
		          : fail(err, errlen, sub, "expected a record");
	case C_STARTUP:
		return ok ? bind_rec(f, &f->startup, t, STARTUP, sub, err, errlen)
		          : fail(err, errlen, sub, "expected a record");
	case C_SI:
		return ok ? bind_rec(f, &f->si, t, SELFID, sub, err, errlen)
		          : fail(err, errlen, sub, "expected a record");
	case C_CHILDREN:
		if (!ok || t->of->k != PT_REC)
			return fail(err, errlen, sub, "expected a list of records");
		return bind_rec(f, &f->child, t->of, CHILD, sub, err, errlen);
	case C_APPRENTICES:
		if (!ok || t->of->k != PT_REC)
			return fail(err, errlen, sub, "expected a list of records");
		return bind_rec(f, &f->appr, t->of, APPRENTICE, sub, err, errlen);
	case C_AP_LEVEL:
		if (ok) {
			const struct penum *e = &f->pk->enums[t->enum_id];
			for (int k = 0; k < 2; k++) {
				f->level_ord[k] = -1;
				for (int j = 0; j < e->n; j++)
					if (strcmp(e->values[j], APPR_LEVELS[k]) == 0)
						f->level_ord[k] = j;
			}
		}
		break;
	case C_DAYS:
		ok = ok && t->of->k == PT_INT;
		break;
	case C_INSURED:
		ok = ok && t->of->k == PT_LIST && t->of->of->k == PT_INT;
		break;
	case C_DEGREE:
		if (ok) {
			const struct penum *e = &f->pk->enums[t->enum_id];
			for (int k = 0; k < f->tc->ndegree_names && k < 32; k++) {
				f->degree_ord[k] = -1;
				for (int j = 0; j < e->n; j++)
					if (strcmp(e->values[j], f->tc->degree_names[k]) == 0)
						f->degree_ord[k] = j;
			}
		}
		break;
	default:
		break;
	}
	return ok ? 0
	          : fail(err, errlen, sub,
	                 "the pack declares another type than the registry gives");
}

static int bind_rec(struct pol_filler *f, struct rbind *rb, const struct ptype *t,
                    const struct binding *b, const char *path, char *err, size_t errlen)
{
	const struct prec *rec = t->rec;

	rb->rec = rec;
	rb->codes = calloc((size_t)rec->n + 1, 1);
	if (!rb->codes)
		return fail(err, errlen, path, "out of memory");
	for (int i = 0; i < rec->n; i++)
		for (const struct binding *x = b; x->name; x++)
			if (strcmp(x->name, rec->names[i]) == 0) {
				rb->codes[i] = (uint8_t)x->c;
				if (bind_field(f, x, rec->types[i], path, err, errlen))
					return -1;
			}
	return 0;
}

static size_t max_rows(const size_t *off, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (off[i + 1] - off[i] > m)
			m = off[i + 1] - off[i];
	return m;
}

struct pol_filler *pol_filler_new(const struct pol_pack *pk, const struct pol_talent_cols *tc,
                                  const struct pol_enterprise_cols *ec, char *err, size_t errlen)
{
	struct pol_filler *f = calloc(1, sizeof(*f));
	int ok;

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->pk = pk;
	f->tc = tc;
	f->ec = ec;
	for (int k = 0; k < 32; k++)
		f->degree_ord[k] = -1;
	f->level_ord[0] = f->level_ord[1] = -1;
	if (bind_rec(f, &f->person, pk->root_t[0], PERSON, "person", err, errlen) ||
	    bind_rec(f, &f->ent, pk->root_t[1], ENTERPRISE, "enterprise", err, errlen)) {
		pol_filler_free(f);
		return NULL;
	}
	f->maxy = max_rows(tc->year_off, tc->n);
	f->maxc = max_rows(tc->child_off, tc->n);
	f->maxa = ec && ec->appr_off ? max_rows(ec->appr_off, ec->n) : 0;
	ok = (f->person.slots = calloc((size_t)f->person.rec->n + 1, sizeof(struct pval))) != NULL;
	ok &= (f->ent.slots = calloc((size_t)f->ent.rec->n + 1, sizeof(struct pval))) != NULL;
	if (f->tier.rec)
		ok &= (f->tier.slots = calloc((size_t)f->tier.rec->n + 1, sizeof(struct pval))) !=
		      NULL;
	if (f->home.rec)
		ok &= (f->home.slots = calloc((size_t)f->home.rec->n + 1, sizeof(struct pval))) !=
		      NULL;
	if (f->startup.rec)
		ok &= (f->startup.slots =
		           calloc((size_t)f->startup.rec->n + 1, sizeof(struct pval))) != NULL;
	if (f->si.rec)
		ok &= (f->si.slots = calloc((size_t)f->si.rec->n + 1, sizeof(struct pval))) != NULL;
	if (f->child.rec)
		ok &= (f->child.slots = calloc(((size_t)f->child.rec->n + 1) * (f->maxc + 1),
		                               sizeof(struct pval))) != NULL;
	if (f->appr.rec)
		ok &= (f->appr.slots = calloc(((size_t)f->appr.rec->n + 1) * (f->maxa + 1),
		                              sizeof(struct pval))) != NULL;
	ok &= (f->apprentices.v = calloc(f->maxa + 1, sizeof(struct pval))) != NULL;
	ok &= (f->appr_ids = calloc(f->maxa + 1, sizeof(*f->appr_ids))) != NULL;
	ok &= (f->days.keys = calloc(f->maxy + 1, sizeof(int64_t))) != NULL;
	ok &= (f->days.v = calloc(f->maxy + 1, sizeof(struct pval))) != NULL;
	ok &= (f->insured.keys = calloc(f->maxy + 1, sizeof(int64_t))) != NULL;
	ok &= (f->insured.v = calloc(f->maxy + 1, sizeof(struct pval))) != NULL;
	ok &= (f->ins_lists = calloc(f->maxy + 1, sizeof(struct plist))) != NULL;
	ok &= (f->ins_months = calloc((f->maxy + 1) * 12, sizeof(struct pval))) != NULL;
	ok &= (f->children.v = calloc(f->maxc + 1, sizeof(struct pval))) != NULL;
	ok &= (f->child_ids = calloc(f->maxc + 1, sizeof(*f->child_ids))) != NULL;
	if (!ok) {
		snprintf(err, errlen, "out of memory");
		pol_filler_free(f);
		return NULL;
	}
	return f;
}

void pol_filler_free(struct pol_filler *f)
{
	if (!f)
		return;
	struct rbind *rbs[] = {&f->person, &f->tier, &f->home, &f->startup, &f->child, &f->ent,
	                       &f->si, &f->appr};
	for (size_t i = 0; i < sizeof(rbs) / sizeof(rbs[0]); i++) {
		free(rbs[i]->codes);
		free(rbs[i]->slots);
	}
	free(f->days.keys);
	free(f->days.v);
	free(f->insured.keys);
	free(f->insured.v);
	free(f->ins_lists);
	free(f->ins_months);
	free(f->children.v);
	free(f->child_ids);
	free(f->apprentices.v);
	free(f->appr_ids);
	free(f);
}

/* ---- filling a row ---- */

/* The row being filled and where to say what is wrong with it.  A row is filled first
 * without naming the fields (formatting every path cost more than the filling); only
 * when it turns out bad is it filled again with named = 1, to say where. */
struct row {
	struct pol_filler *f;
	size_t i;
	char *err;
	size_t errlen;
	int named;
	size_t e; /* the enterprise row (its apprentices), or NO_ROW for a talent's employer */
};
#define NO_ROW ((size_t)-1)

/* Formats a field's path into buf when the row is being named; else leaves it empty. */
__attribute__((format(printf, 4, 5))) static void name(const struct row *r, char *buf, size_t len,
                                                       const char *fmt, ...)
{
	va_list ap;

	buf[0] = '\0';
	if (!r->named)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static const struct pval NONE = {0, NULL, 0};

/* as facts.c writes a bound: 1 or 2 decimals */
static void fixed(char *buf, size_t len, int64_t v, int scale)
{
	if (scale == 1)
		snprintf(buf, len, "%lld", (long long)v);
	else
		snprintf(buf, len, "%s%lld.%02lld", v < 0 ? "-" : "",
		         (long long)(v < 0 ? -v : v) / 100, (long long)(v < 0 ? -v : v) % 100);
}

/* v checked against t's bounds; the message of facts.c when outside them */
static int num(struct row *r, struct pval *out, int64_t v, const struct ptype *t, const char *path)
{
	*out = (struct pval){v, NULL, 1};
	if ((t->has_min && v < t->min) || (t->has_max && v > t->max)) {
		int sc = t->k == PT_DEC ? 100 : 1;
		char vb[40], lo[40], hi[40];
		fixed(vb, sizeof(vb), v, sc);
		fixed(lo, sizeof(lo), t->min, sc);
		fixed(hi, sizeof(hi), t->max, sc);
		if (t->has_min && t->has_max)
			snprintf(r->err, r->errlen, "%s: %s is outside %s..%s", path, vb, lo, hi);
		else if (t->has_min)
			snprintf(r->err, r->errlen, "%s: %s is below %s", path, vb, lo);
		else
			snprintf(r->err, r->errlen, "%s: %s is above %s", path, vb, hi);
		return -1;
	}
	return 0;
}

static int date(struct row *r, struct pval *out, int32_t d, const char *path)
{
	*out = NONE;
	if (d == POL_COL_BAD) {
		snprintf(r->err, r->errlen, "%s: not a date (YYYY-MM-DD)", path);
		return -1;
	}
	if (d != POL_COL_NONE)
		*out = (struct pval){d, NULL, 1};
	return 0;
}

static int is_bool(int8_t b)
{
	return b == 0 || b == 1;
}

static void boolean(struct pval *out, int8_t b)
{
	*out = is_bool(b) ? (struct pval){b, NULL, 1} : NONE;
}

/* prefix and v (> 0) in decimal into buf (at least 24 bytes); a string fact */
static void str(struct pval *out, char *buf, const char *prefix, int64_t v)
{
	char d[24];
	int n = 0;
	size_t p = strlen(prefix);
	uint64_t u = v < 0 ? 0 : (uint64_t)v;

	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	memcpy(buf, prefix, p);
	while (n > 0)
		buf[p++] = d[--n];
	buf[p] = '\0';
	*out = (struct pval){0, buf, 1};
}

static int record(struct row *r, struct rbind *rb, struct pval *out, const char *path, size_t k);

/* Fills field c of the row (of child k for child fields) into *v; path names it. */
static int field(struct row *r, enum col c, const struct ptype *t, struct pval *v, const char *path,
                 size_t k)
{
	struct pol_filler *f = r->f;
	const struct pol_talent_cols *tc = f->tc;
	size_t i = r->i;
	char sub[96];

	*v = NONE;
	switch (c) {
	case C_NONE:
		return 0;
	case C_ID:
		str(v, f->pid, "", tc->id[i]);
		return 0;
	case C_BIRTH:
		return date(r, v, tc->birth_date[i], path);
	case C_GRAD:
		return date(r, v, tc->graduated_on[i], path);
	case C_QZ_ON:
		return date(r, v, tc->quanzhou_selected_on[i], path);
	case C_PV_ON:
		return date(r, v, tc->provincial_selected_on[i], path);
	case C_DFC:
		boolean(v, tc->double_first_class[i]);
		return 0;
	case C_SHORT:
		boolean(v, tc->short_term[i]);
		return 0;
	case C_DEGREE: {
		int d = tc->degree[i];
		if (d == 0)
			return 0;
		if (d > 32 || f->degree_ord[d - 1] < 0) {
			snprintf(r->err, r->errlen, "%s: not one of the values of %s", path,
			         f->pk->enums[t->enum_id].name);
			return -1;
		}
		*v = (struct pval){f->degree_ord[d - 1], NULL, 1};
		return 0;
	}
	case C_QZ_LEVEL:
		return tc->quanzhou_level[i] > 0 ? num(r, v, tc->quanzhou_level[i], t, path) : 0;
	case C_PV_LEVEL:
		return tc->provincial_level[i] > 0 ? num(r, v, tc->provincial_level[i], t, path)
		                                   : 0;
	case C_TIER:
		return tc->tier[i] > 0 ? record(r, &f->tier, v, path, 0) : 0;
	case C_HOME:
		if (tc->home_contract_date[i] == POL_COL_NONE && tc->home_area_cm2[i] < 0 &&
		    !is_bool(tc->home_in_jinjiang[i]) && !is_bool(tc->home_first[i]))
			return 0;
		return record(r, &f->home, v, path, 0);
	case C_STARTUP:
		if (tc->startup_registered_on[i] == POL_COL_NONE &&
		    !is_bool(tc->startup_in_jinjiang[i]))
			return 0;
		return record(r, &f->startup, v, path, 0);
	case C_TIER_LEVEL:
		return num(r, v, tc->tier[i], t, path);
	case C_TIER_FROM:
		return date(r, v, tc->tier_from[i], path);
	case C_TIER_TO:
		return date(r, v, tc->tier_to[i], path);
	case C_HOME_DATE:
		return date(r, v, tc->home_contract_date[i], path);
	case C_HOME_AREA:
		return tc->home_area_cm2[i] >= 0 ? num(r, v, tc->home_area_cm2[i], t, path) : 0;
	case C_HOME_IN:
		boolean(v, tc->home_in_jinjiang[i]);
		return 0;
	case C_HOME_FIRST:
		boolean(v, tc->home_first[i]);
		return 0;
	case C_SU_ON:
		return date(r, v, tc->startup_registered_on[i], path);
	case C_SU_IN:
		boolean(v, tc->startup_in_jinjiang[i]);
		return 0;
	case C_DAYS: {
		struct pkeyed *d = &f->days;
		d->n = 0;
		for (size_t y = tc->year_off[i]; y < tc->year_off[i + 1]; y++) {
			if (tc->days_in_jinjiang[y] < 0)
				continue;
			name(r, sub, sizeof(sub), "%.80s.%d", path, (int)tc->year[y]);
			if (tc->year[y] < 1000 || tc->year[y] > 9999) {
				snprintf(r->err, r->errlen, "%s: not a year", sub);
				return -1;
			}
			d->keys[d->n] = tc->year[y];
			if (num(r, &d->v[d->n++], tc->days_in_jinjiang[y], t->of, sub))
				return -1;
		}
		if (d->n)
			*v = (struct pval){0, d, 1};
		return 0;
	}
	case C_INSURED: {
		struct pkeyed *d = &f->insured;
		d->n = 0;
		for (size_t y = tc->year_off[i]; y < tc->year_off[i + 1]; y++) {
			struct plist *l = &f->ins_lists[d->n];
			if (!(tc->insured[y] & 0xfffu))
				continue;
			name(r, sub, sizeof(sub), "%.80s.%d", path, (int)tc->year[y]);
			if (tc->year[y] < 1000 || tc->year[y] > 9999) {
				snprintf(r->err, r->errlen, "%s: not a year", sub);
				return -1;
			}
			l->v = &f->ins_months[d->n * 12];
			l->n = 0;
			for (int m = 1; m <= 12; m++) {
				if (!(tc->insured[y] & (1u << (m - 1))))
					continue;
				char el[128];
				name(r, el, sizeof(el), "%.100s[%zu]", sub, l->n);
				if (num(r, &l->v[l->n++], m, t->of->of, el))
					return -1;
			}
			d->keys[d->n] = tc->year[y];
			d->v[d->n++] = (struct pval){0, l, 1};
		}
		if (d->n)
			*v = (struct pval){0, d, 1};
		return 0;
	}
	case C_CHILDREN: {
		struct plist *l = &f->children;
		l->n = 0;
		for (size_t c2 = tc->child_off[i]; c2 < tc->child_off[i + 1]; c2++) {
			name(r, sub, sizeof(sub), "%.80s[%zu]", path, l->n);
			if (record(r, &f->child, &l->v[l->n], sub, c2))
				return -1;
			l->n++;
		}
		if (l->n)
			*v = (struct pval){0, l, 1};
		return 0;
	}
	case C_CHILD_ID: {
		size_t pos = k - tc->child_off[i];
		str(v, f->child_ids[pos], "c", (int64_t)pos + 1);
		return 0;
	}
	case C_CHILD_BIRTH:
		return date(r, v, tc->child_birth[k], path);
	case C_ENT_ID:
		return 0; /* filled by the callers: it comes from either column set */
	case C_SI:
		return tc->si_category[i] > 0 ? record(r, &f->si, v, path, 0) : 0;
	case C_SI_CATEGORY:
		return num(r, v, tc->si_category[i], t, path);
	case C_SI_ENTERPRISE:
		str(v, f->sid, "", tc->si_enterprise[i]);
		return 0;
	case C_SI_FROM:
		return date(r, v, tc->si_from[i], path);
	case C_SI_TO:
		return date(r, v, tc->si_to[i], path);
	case C_APPRENTICES: {
		const struct pol_enterprise_cols *ec = f->ec;
		struct plist *l = &f->apprentices;
		l->n = 0;
		if (r->e == NO_ROW || !ec || !ec->appr_off)
			return 0;
		for (size_t a = ec->appr_off[r->e]; a < ec->appr_off[r->e + 1]; a++) {
			name(r, sub, sizeof(sub), "%.80s[%zu]", path, l->n);
			if (record(r, &f->appr, &l->v[l->n], sub, a))
				return -1;
			l->n++;
		}
		if (l->n)
			*v = (struct pval){0, l, 1};
		return 0;
	}
	case C_AP_ID:
		str(v, f->appr_ids[k - f->ec->appr_off[r->e]], "", f->ec->appr_id[k]);
		return 0;
	case C_AP_LEVEL: {
		int lv = f->ec->appr_level[k];
		if (lv == 0)
			return 0;
		if (lv > 2 || f->level_ord[lv - 1] < 0) {
			snprintf(r->err, r->errlen, "%s: not one of the values of %s", path,
			         f->pk->enums[t->enum_id].name);
			return -1;
		}
		*v = (struct pval){f->level_ord[lv - 1], NULL, 1};
		return 0;
	}
	case C_AP_ENROLLED:
		return date(r, v, f->ec->appr_enrolled[k], path);
	case C_AP_COMPLETED:
		return date(r, v, f->ec->appr_completed[k], path);
	}
	return 0;
}

/* Fills record rb (for child k when it is the child record) into *out. */
static int record(struct row *r, struct rbind *rb, struct pval *out, const char *path, size_t k)
{
	const struct prec *rec = rb->rec;
	struct pval *slots = rb->slots;
	char sub[96];

	if (rb == &r->f->child)
		slots += (k - r->f->tc->child_off[r->i]) * (size_t)(rec->n + 1);
	else if (rb == &r->f->appr)
		slots += (k - r->f->ec->appr_off[r->e]) * (size_t)(rec->n + 1);
	for (int j = 0; j < rec->n; j++) {
		name(r, sub, sizeof(sub), "%.60s.%s", path, rec->names[j]);
		if (field(r, (enum col)rb->codes[j], rec->types[j], &slots[j], sub, k))
			return -1;
		if (!slots[j].present && rec->required[j]) {
			snprintf(r->err, r->errlen, "%s: required", sub);
			return -1;
		}
	}
	*out = (struct pval){0, slots, 1};
	return 0;
}

/* The enterprise root with id; its other fields absent. */
static int enterprise(struct row *r, int64_t id)
{
	struct pol_filler *f = r->f;
	const struct prec *rec = f->ent.rec;

	for (int j = 0; j < rec->n; j++) {
		f->ent.slots[j] = NONE;
		if (f->ent.codes[j] == C_ENT_ID)
			str(&f->ent.slots[j], f->eid, "", id);
		if (f->ent.codes[j] == C_APPRENTICES) {
			char sub[96];
			name(r, sub, sizeof(sub), "enterprise.%s", rec->names[j]);
			if (field(r, C_APPRENTICES, rec->types[j], &f->ent.slots[j], sub, 0))
				return -1;
		}
		if (!f->ent.slots[j].present && rec->required[j]) {
			snprintf(r->err, r->errlen, "enterprise.%s: required", rec->names[j]);
			return -1;
		}
	}
	f->facts.root[1] = (struct pval){0, f->ent.slots, 1};
	return 0;
}

static int talent(struct row *r)
{
	struct pol_filler *f = r->f;

	f->facts.root[0] = f->facts.root[1] = NONE;
	if (record(r, &f->person, &f->facts.root[0], "person", 0))
		return -1;
	if (f->tc->enterprise_id[r->i] > 0 && enterprise(r, f->tc->enterprise_id[r->i]))
		return -1;
	return 0;
}

const struct pol_facts *pol_filler_talent(struct pol_filler *f, size_t i, char *err, size_t errlen)
{
	struct row r = {f, i, err, errlen, 0, NO_ROW};

	if (i >= f->tc->n) {
		f->facts.root[0] = f->facts.root[1] = NONE;
		snprintf(err, errlen, "no talent row %zu", i);
		return NULL;
	}
	if (talent(&r) == 0)
		return &f->facts;
	r.named = 1;
	talent(&r);
	f->facts.root[0] = f->facts.root[1] = NONE;
	return NULL;
}

const struct pol_facts *pol_filler_enterprise(struct pol_filler *f, size_t i, char *err,
                                              size_t errlen)
{
	struct row r = {f, 0, err, errlen, 1, i};

	f->facts.root[0] = f->facts.root[1] = NONE;
	if (!f->ec || i >= f->ec->n) {
		snprintf(err, errlen, "no enterprise row %zu", i);
		return NULL;
	}
	if (enterprise(&r, f->ec->id[i]))
		return NULL;
	return &f->facts;
}
