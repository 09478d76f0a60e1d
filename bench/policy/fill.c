/*
 * fill.c — one row of the columns as a struct pol_facts, in the layout facts.c
 * builds from JSON (an entity is a record of slots in schema order; lists and
 * by_year maps are arrays), but in buffers made once per thread: filling a row
 * allocates nothing.  Field positions are looked up by name in the pack's facts
 * schema when the filler is made, so a schema change fails loudly here.
 */
#include <stdlib.h>
#include <string.h>

#include "bp.h"
#include "policy/pol_int.h"

struct bp_filler {
	struct pol_facts f;
	/* person */
	const struct prec *prec;
	struct pval *person;
	int p_id, p_birth, p_degree, p_dfc, p_grad, p_tier, p_si, p_qz, p_qz_on, p_pv, p_pv_on,
		p_short, p_days, p_ins, p_hp, p_su, p_children;
	struct pval *tier, *si, *hp, *su;
	int t_level, t_from, t_to, si_cat, si_ent, si_from, si_to, hp_date, hp_area, hp_in, hp_first,
		su_on, su_in;
	int ntier, nsi, nhp, nsu;
	struct pkeyed days, ins;
	int64_t days_keys[BP_DAYS_NY], ins_keys[BP_INS_NY];
	struct pval days_v[BP_DAYS_NY], ins_v[BP_INS_NY];
	struct plist *mask_list;        /* 4096: the list of months of each 12-bit mask */
	struct pval *mask_months;       /* 4096 × 12 */
	struct plist children;
	struct pval child_v[BP_MAX_CHILDREN];
	struct pval *child_rec; /* BP_MAX_CHILDREN × nchild fields */
	int c_id, c_birth, nchildf;
	char ids[1 + BP_MAX_CHILDREN][32];
	/* ids only when the pack may read them (pol_pack_reads): facts nobody reads are left
	 * absent; records whose every field is written here are not cleared first */
	int read_pid, read_cid, read_si_ent, read_eid, read_aid;
	int clear_person, clear_tier, clear_si, clear_hp, clear_su, clear_child, clear_app;
	char ent_ids[32];
	/* enterprise */
	struct pval *ent;
	int e_id, e_app, nentf;
	struct plist apps;
	struct pval app_v[BP_MAX_APPRENTICES];
	struct pval *app_rec;
	int a_id, a_level, a_enrolled, a_completed, nappf;
	char app_ids[BP_MAX_APPRENTICES][32];
};

static int fld(const struct prec *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return i;
	fprintf(stderr, "bench_policy: the pack's facts schema has no field %s\n", name);
	exit(1);
}

static const struct prec *sub(const struct prec *r, int i)
{
	const struct ptype *t = r->types[i];
	if (t->k == PT_LIST)
		t = t->of;
	return t->rec;
}

struct bp_filler *bp_filler_new(const struct pol_pack *pk)
{
	struct bp_filler *fl = calloc(1, sizeof(*fl));
	const struct prec *p = pk->root_t[0]->rec, *e = pk->root_t[1]->rec, *r;
	static const char *const deg[] = {"none", "associate", "bachelor", "master", "phd"};

	if (!fl)
		return NULL;
	for (int i = 0; i < pk->nenums; i++) /* the columns store the enums' ordinals */
		if (strcmp(pk->enums[i].name, "degree") == 0)
			for (int k = 0; k < 5; k++)
				if (k >= pk->enums[i].n || strcmp(pk->enums[i].values[k], deg[k])) {
					fprintf(stderr, "bench_policy: degree enum differs from the columns'\n");
					exit(1);
				}
	fl->prec = p;
	fl->person = calloc((size_t)p->n, sizeof(struct pval));
	fl->p_id = fld(p, "id");
	fl->p_birth = fld(p, "birth_date");
	fl->p_degree = fld(p, "degree");
	fl->p_dfc = fld(p, "double_first_class");
	fl->p_grad = fld(p, "graduated_on");
	fl->p_tier = fld(p, "tier");
	fl->p_si = fld(p, "self_identified");
	fl->p_qz = fld(p, "quanzhou_level");
	fl->p_qz_on = fld(p, "quanzhou_selected_on");
	fl->p_pv = fld(p, "provincial_level");
	fl->p_pv_on = fld(p, "provincial_selected_on");
	fl->p_short = fld(p, "short_term");
	fl->p_days = fld(p, "days_in_jinjiang");
	fl->p_ins = fld(p, "insured_months");
	fl->p_hp = fld(p, "home_purchase");
	fl->p_su = fld(p, "startup");
	fl->p_children = fld(p, "children");
	r = sub(p, fl->p_tier);
	fl->ntier = r->n;
	fl->t_level = fld(r, "level");
	fl->t_from = fld(r, "from");
	fl->t_to = fld(r, "to");
	r = sub(p, fl->p_si);
	fl->nsi = r->n;
	fl->si_cat = fld(r, "category");
	fl->si_ent = fld(r, "enterprise");
	fl->si_from = fld(r, "from");
	fl->si_to = fld(r, "to");
	r = sub(p, fl->p_hp);
	fl->nhp = r->n;
	fl->hp_date = fld(r, "contract_date");
	fl->hp_area = fld(r, "area_m2");
	fl->hp_in = fld(r, "in_jinjiang");
	fl->hp_first = fld(r, "first_home_in_jinjiang");
	r = sub(p, fl->p_su);
	fl->nsu = r->n;
	fl->su_on = fld(r, "registered_on");
	fl->su_in = fld(r, "in_jinjiang");
	r = sub(p, fl->p_children);
	fl->nchildf = r->n;
	fl->c_id = fld(r, "id");
	fl->c_birth = fld(r, "birth_date");
	fl->tier = calloc((size_t)fl->ntier, sizeof(struct pval));
	fl->si = calloc((size_t)fl->nsi, sizeof(struct pval));
	fl->hp = calloc((size_t)fl->nhp, sizeof(struct pval));
	fl->su = calloc((size_t)fl->nsu, sizeof(struct pval));
	fl->child_rec = calloc((size_t)(BP_MAX_CHILDREN * fl->nchildf), sizeof(struct pval));
	fl->days.keys = fl->days_keys;
	fl->days.v = fl->days_v;
	fl->ins.keys = fl->ins_keys;
	fl->ins.v = fl->ins_v;
	/* a year's insured months are one of 4096 lists: made once, shared by every row
	 * (facts are only read) */
	fl->mask_list = calloc(4096, sizeof(struct plist));
	fl->mask_months = calloc(4096 * 12, sizeof(struct pval));
	for (unsigned m = 0; fl->mask_list && fl->mask_months && m < 4096; m++) {
		struct plist *l = &fl->mask_list[m];
		l->v = &fl->mask_months[m * 12];
		for (int k = 1; k <= 12; k++)
			if (m & (1u << (k - 1)))
				l->v[l->n++] = (struct pval){k, NULL, 1};
	}
	fl->children.v = fl->child_v;

	fl->nentf = e->n;
	fl->ent = calloc((size_t)e->n, sizeof(struct pval));
	fl->e_id = fld(e, "id");
	fl->e_app = fld(e, "apprentices");
	r = sub(e, fl->e_app);
	fl->nappf = r->n;
	fl->a_id = fld(r, "id");
	fl->a_level = fld(r, "level");
	fl->a_enrolled = fld(r, "enrolled_on");
	fl->a_completed = fld(r, "completed_on");
	fl->app_rec = calloc((size_t)(BP_MAX_APPRENTICES * fl->nappf), sizeof(struct pval));
	fl->apps.v = fl->app_v;
	fl->read_pid = pol_pack_reads(pk, "person.id");
	fl->read_cid = pol_pack_reads(pk, "person.children.id");
	fl->read_si_ent = pol_pack_reads(pk, "person.self_identified.enterprise");
	fl->read_eid = pol_pack_reads(pk, "enterprise.id");
	fl->read_aid = pol_pack_reads(pk, "enterprise.apprentices.id");
	fl->clear_person = p->n != 17; /* the fields bp_fill_talent() writes, every row */
	fl->clear_tier = fl->ntier != 3;
	fl->clear_si = fl->nsi != 4;
	fl->clear_hp = fl->nhp != 4;
	fl->clear_su = fl->nsu != 2;
	fl->clear_child = fl->nchildf != 2;
	fl->clear_app = fl->nappf != 4;
	if (!fl->mask_list || !fl->mask_months || !fl->person || !fl->tier || !fl->si || !fl->hp || !fl->su || !fl->child_rec || !fl->ent ||
	    !fl->app_rec) {
		bp_filler_free(fl);
		return NULL;
	}
	return fl;
}

void bp_filler_free(struct bp_filler *fl)
{
	if (!fl)
		return;
	free(fl->person);
	free(fl->tier);
	free(fl->si);
	free(fl->hp);
	free(fl->su);
	free(fl->child_rec);
	free(fl->ent);
	free(fl->app_rec);
	free(fl->mask_list);
	free(fl->mask_months);
	free(fl);
}

static const struct pval NONE = {0, NULL, 0};

static struct pval V(int64_t i)
{
	struct pval v = {i, NULL, 1};
	return v;
}

static struct pval D(int32_t d)
{
	return d == BP_NODATE ? NONE : V(d);
}

static struct pval F(int8_t b) /* a flag, -1 missing */
{
	return b < 0 ? NONE : V(b);
}

static struct pval P(const void *p)
{
	struct pval v = {0, p, 1};
	return v;
}

/* "<prefix><a>" or "<prefix><a>_<b>" (b > 0) into out, without printf */
static char *idstr(char *out, char prefix, size_t a, unsigned b)
{
	char tmp[24];
	int n = 0, k = 0;

	out[k++] = prefix;
	do
		tmp[n++] = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	while (n)
		out[k++] = tmp[--n];
	if (b) {
		out[k++] = '_';
		do
			tmp[n++] = (char)('0' + b % 10);
		while ((b /= 10) != 0);
		while (n)
			out[k++] = tmp[--n];
	}
	out[k] = '\0';
	return out;
}

const struct pol_facts *bp_fill_talent(struct bp_filler *fl, const struct bp_talents *t, size_t i)
{
	struct pval *p = fl->person;

	if (fl->clear_person)
		memset(p, 0, sizeof(struct pval) * (size_t)fl->prec->n);
	p[fl->p_id] = fl->read_pid ? P(idstr(fl->ids[0], 'p', i + 1, 0)) : NONE;
	p[fl->p_birth] = D(t->birth[i]);
	p[fl->p_degree] = F(t->degree[i]);
	p[fl->p_dfc] = F(t->dfc[i]);
	p[fl->p_grad] = D(t->grad[i]);
	p[fl->p_tier] = NONE;
	if (t->tier[i]) {
		if (fl->clear_tier)
			memset(fl->tier, 0, sizeof(struct pval) * (size_t)fl->ntier);
		fl->tier[fl->t_level] = V(t->tier[i]);
		fl->tier[fl->t_from] = D(t->tier_from[i]);
		fl->tier[fl->t_to] = D(t->tier_to[i]);
		p[fl->p_tier] = P(fl->tier);
	}
	p[fl->p_si] = NONE;
	if (t->si_cat[i]) {
		if (fl->clear_si)
			memset(fl->si, 0, sizeof(struct pval) * (size_t)fl->nsi);
		fl->si[fl->si_cat] = V(t->si_cat[i]);
		fl->si[fl->si_ent] = fl->read_si_ent ? P(idstr(fl->ent_ids, 'e', (size_t)t->si_ent[i] + 1, 0)) : NONE;
		fl->si[fl->si_from] = D(t->si_from[i]);
		fl->si[fl->si_to] = D(t->si_to[i]);
		p[fl->p_si] = P(fl->si);
	}
	p[fl->p_qz] = NONE; /* one by one: a chain reloads each store (store forwarding) */
	p[fl->p_qz_on] = NONE;
	p[fl->p_pv] = NONE;
	p[fl->p_pv_on] = NONE;
	if (t->qz_level[i]) {
		p[fl->p_qz] = V(t->qz_level[i]);
		p[fl->p_qz_on] = D(t->qz_on[i]);
	}
	if (t->pv_level[i]) {
		p[fl->p_pv] = V(t->pv_level[i]);
		p[fl->p_pv_on] = D(t->pv_on[i]);
	}
	p[fl->p_short] = F(t->short_term[i]);
	/* by-year maps without a branch per year (whether a year is there is random): each
	 * year is written to the next slot, which only counts when the year is there */
	size_t n = 0;
	for (int y = 0; y < BP_DAYS_NY; y++) {
		int32_t d = t->days[y][i];
		fl->days_keys[n] = BP_DAYS_Y0 + y;
		fl->days_v[n] = V(d);
		n += d >= 0;
	}
	fl->days.n = n;
	p[fl->p_days] = n ? P(&fl->days) : NONE;
	n = 0;
	for (int y = 0; y < BP_INS_NY; y++) {
		unsigned m = t->ins[y][i];
		fl->ins_keys[n] = BP_INS_Y0 + y;
		fl->ins_v[n] = P(&fl->mask_list[m & 0x0fff]);
		n += (m & BP_INS_PRESENT) != 0;
	}
	fl->ins.n = n;
	p[fl->p_ins] = fl->ins.n ? P(&fl->ins) : NONE;
	p[fl->p_hp] = NONE;
	p[fl->p_su] = NONE;
	p[fl->p_children] = NONE;
	if (t->has_hp[i]) {
		if (fl->clear_hp)
			memset(fl->hp, 0, sizeof(struct pval) * (size_t)fl->nhp);
		fl->hp[fl->hp_date] = D(t->hp_date[i]);
		fl->hp[fl->hp_area] = t->hp_area[i] < 0 ? NONE : V(t->hp_area[i]);
		fl->hp[fl->hp_in] = F(t->hp_in[i]);
		fl->hp[fl->hp_first] = F(t->hp_first[i]);
		p[fl->p_hp] = P(fl->hp);
	}
	if (t->has_su[i]) {
		if (fl->clear_su)
			memset(fl->su, 0, sizeof(struct pval) * (size_t)fl->nsu);
		fl->su[fl->su_on] = D(t->su_on[i]);
		fl->su[fl->su_in] = F(t->su_in[i]);
		p[fl->p_su] = P(fl->su);
	}
	uint32_t c0 = t->child_off[i], c1 = t->child_off[i + 1];
	if (c1 > c0) {
		fl->children.n = c1 - c0;
		for (uint32_t k = 0; k < c1 - c0; k++) {
			struct pval *c = &fl->child_rec[k * (uint32_t)fl->nchildf];
			if (fl->clear_child)
				memset(c, 0, sizeof(struct pval) * (size_t)fl->nchildf);
			c[fl->c_id] = fl->read_cid ? P(idstr(fl->ids[1 + k], 'c', i + 1, k + 1)) : NONE;
			c[fl->c_birth] = D(t->child_birth[c0 + k]);
			fl->child_v[k] = P(c);
		}
		p[fl->p_children] = P(&fl->children);
	}
	fl->f.root[0] = P(p);
	fl->f.root[1] = NONE;
	return &fl->f;
}

const struct pol_facts *bp_fill_enterprise(struct bp_filler *fl, const struct bp_enterprises *e, size_t i)
{
	uint32_t a0 = e->app_off[i], a1 = e->app_off[i + 1];

	memset(fl->ent, 0, sizeof(struct pval) * (size_t)fl->nentf);
	fl->ent[fl->e_id] = fl->read_eid ? P(idstr(fl->ent_ids, 'e', i + 1, 0)) : NONE;
	fl->apps.n = a1 - a0;
	for (uint32_t k = 0; k < a1 - a0; k++) {
		struct pval *a = &fl->app_rec[k * (uint32_t)fl->nappf];
		if (fl->clear_app)
			memset(a, 0, sizeof(struct pval) * (size_t)fl->nappf);
		a[fl->a_id] = fl->read_aid ? P(idstr(fl->app_ids[k], 'a', i + 1, k + 1)) : NONE;
		a[fl->a_level] = F(e->app_level[a0 + k]);
		a[fl->a_enrolled] = D(e->app_enrolled[a0 + k]);
		a[fl->a_completed] = D(e->app_completed[a0 + k]);
		fl->app_v[k] = P(a);
	}
	fl->ent[fl->e_app] = P(&fl->apps);
	fl->f.root[0] = NONE;
	fl->f.root[1] = P(fl->ent);
	return &fl->f;
}
