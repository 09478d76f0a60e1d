/*
 * pack.c — loads pack.yaml (id, effective date, order, groups, enums, the facts
 * schema), then every policy file (policy_load.c), then the checks that span
 * files: duplicate ids, the order list, every error collected.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "policy/pack_int.h"

static const struct ptype *mk(struct arena *a, enum pt_kind k)
{
	struct ptype *t = arena_alloc(a, sizeof(*t));

	if (t)
		t->k = k;
	return t;
}

int pol_find_enum(const struct pol_pack *pk, const char *name)
{
	for (int i = 0; i < pk->nenums; i++)
		if (strcmp(pk->enums[i].name, name) == 0)
			return i;
	return -1;
}

const struct ptype *pol_scalar_type(struct pol_pack *pk, const char *s)
{
	static const struct { const char *n; const struct ptype *t; } base[] = {
		{"int", &pol_t_int}, {"decimal", &pol_t_dec}, {"money", &pol_t_money},
		{"bool", &pol_t_bool}, {"date", &pol_t_date}, {"string", &pol_t_str},
	};
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		if (strcmp(base[i].n, s) == 0)
			return base[i].t;
	int e = pol_find_enum(pk, s);
	if (e >= 0) {
		struct ptype *t = (struct ptype *)mk(pk->arena, PT_ENUM);
		if (t)
			t->enum_id = e;
		return t;
	}
	return NULL;
}

static int parse_bound(const char *s, enum pt_kind k, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (end == s)
		return -1;
	if (k == PT_DEC) {
		v *= 100;
		if (*end == '.') {
			long long f = strtoll(end + 1, &end, 10);
			v += v < 0 ? -f : f;
		}
	}
	*out = v;
	return *end ? -1 : 0;
}

const struct ptype *pol_type_spec(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n, int depth,
				  int *required)
{
	static const char *const keys[] = {"type", "required", "min", "max", "fields", "of", NULL};
	const char *s = ydoc_str(n);
	yaml_node_t *tn;
	struct ptype *t;

	if (required)
		*required = 0;
	if (depth > 8) {
		ydoc_err(d, n, "类型嵌套太深", "type nested too deeply", NULL);
		return NULL;
	}
	if (s) {
		const struct ptype *st = pol_scalar_type(pk, s);
		if (!st)
			ydoc_err(d, n, "未知的类型 “%s”", "unknown type '%s'", s);
		return st;
	}
	if (!n || n->type != YAML_MAPPING_NODE) {
		ydoc_err(d, n, "此处应为类型", "expected a type here", NULL);
		return NULL;
	}
	ydoc_only_keys(d, n, keys);
	tn = ydoc_get(d, n, "type");
	s = ydoc_str(tn);
	if (!s) {
		ydoc_err(d, n, "缺少 type", "missing 'type'", NULL);
		return NULL;
	}
	if (required) {
		const char *r = ydoc_str(ydoc_get(d, n, "required"));
		*required = r && strcmp(r, "true") == 0;
	}
	if (strcmp(s, "record") == 0) {
		yaml_node_t *f = ydoc_get(d, n, "fields");
		struct prec *rec = arena_alloc(pk->arena, sizeof(*rec));

		if (!f || f->type != YAML_MAPPING_NODE) {
			ydoc_err(d, n, "record 需要 fields", "a record needs 'fields'", NULL);
			return NULL;
		}
		int cnt = (int)(f->data.mapping.pairs.top - f->data.mapping.pairs.start);
		t = (struct ptype *)mk(pk->arena, PT_REC);
		if (!rec || !t)
			return NULL;
		rec->names = arena_alloc(pk->arena, sizeof(char *) * (size_t)(cnt + 1));
		rec->types = arena_alloc(pk->arena, sizeof(struct ptype *) * (size_t)(cnt + 1));
		rec->required = arena_alloc(pk->arena, sizeof(int) * (size_t)(cnt + 1));
		if (!rec->names || !rec->types || !rec->required)
			return NULL;
		for (yaml_node_pair_t *p = f->data.mapping.pairs.start; p < f->data.mapping.pairs.top; p++) {
			const char *k = ydoc_str(ydoc_node(d, p->key));
			const struct ptype *ft = pol_type_spec(pk, d, ydoc_node(d, p->value), depth + 1,
							       &rec->required[rec->n]);
			if (!k || !ft)
				continue;
			rec->names[rec->n] = arena_strdup(pk->arena, k);
			rec->types[rec->n++] = ft;
		}
		t->rec = rec;
		return t;
	}
	if (strcmp(s, "list") == 0 || strcmp(s, "by_year") == 0) {
		yaml_node_t *of = ydoc_get(d, n, "of");
		if (!of) {
			ydoc_err(d, n, "%s 需要 of", "'%s' needs 'of'", s);
			return NULL;
		}
		const struct ptype *ot = pol_type_spec(pk, d, of, depth + 1, NULL);
		if (!ot)
			return NULL;
		t = (struct ptype *)mk(pk->arena, s[0] == 'l' ? PT_LIST : PT_BYYEAR);
		if (t)
			t->of = ot;
		return t;
	}
	const struct ptype *st = pol_scalar_type(pk, s);
	if (!st) {
		ydoc_err(d, tn, "未知的类型 “%s”", "unknown type '%s'", s);
		return NULL;
	}
	yaml_node_t *mn = ydoc_get(d, n, "min"), *xn = ydoc_get(d, n, "max");
	if (!mn && !xn)
		return st;
	t = arena_alloc(pk->arena, sizeof(*t));
	if (!t)
		return NULL;
	*t = *st;
	if (t->k != PT_INT && t->k != PT_DEC && t->k != PT_MONEY) {
		ydoc_err(d, n, "min/max 只能用于 int、decimal、money", "min/max apply only to int, decimal, money",
			 NULL);
		return st;
	}
	if (mn && (!ydoc_str(mn) || parse_bound(ydoc_str(mn), t->k, &t->min)))
		ydoc_err(d, mn, "min 应为数字", "min must be a number", NULL);
	else
		t->has_min = mn != NULL;
	if (xn && (!ydoc_str(xn) || parse_bound(ydoc_str(xn), t->k, &t->max)))
		ydoc_err(d, xn, "max 应为数字", "max must be a number", NULL);
	else
		t->has_max = xn != NULL;
	return t;
}

static void load_enums(struct pol_pack *pk, struct ydoc *d, yaml_node_t *m)
{
	if (!m)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		ydoc_err(d, m, "enums 应为映射", "'enums' must be a mapping", NULL);
		return;
	}
	int cnt = (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	pk->enums = arena_alloc(pk->arena, sizeof(struct penum) * (size_t)(cnt + 1));
	if (!pk->enums)
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_str(ydoc_node(d, p->key));
		yaml_node_t *v = ydoc_node(d, p->value);
		struct penum *e = &pk->enums[pk->nenums];

		if (!k || !v || v->type != YAML_SEQUENCE_NODE) {
			ydoc_err(d, v, "枚举应为取值列表", "an enum must be a list of values", NULL);
			continue;
		}
		int nv = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
		e->name = arena_strdup(pk->arena, k);
		e->values = arena_alloc(pk->arena, sizeof(char *) * (size_t)(nv + 1));
		if (!e->values)
			return;
		for (int i = 0; i < nv; i++) {
			const char *s = ydoc_str(ydoc_node(d, v->data.sequence.items.start[i]));
			if (s)
				e->values[e->n++] = arena_strdup(pk->arena, s);
		}
		pk->nenums++;
	}
}

static void load_groups(struct pol_pack *pk, struct ydoc *d, yaml_node_t *m)
{
	if (!m)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		ydoc_err(d, m, "groups 应为映射", "'groups' must be a mapping", NULL);
		return;
	}
	int cnt = (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	pk->groups = arena_alloc(pk->arena, sizeof(struct pgroup) * (size_t)(cnt + 1));
	if (!pk->groups)
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		struct pgroup *g = &pk->groups[pk->ngroups++];
		yaml_node_t *v = ydoc_node(d, p->value);

		g->id = arena_strdup(pk->arena, ydoc_str(ydoc_node(d, p->key)) ? ydoc_str(ydoc_node(d, p->key)) : "");
		g->zh = ydoc_str(ydoc_get(d, v, "zh"));
		g->en = ydoc_str(ydoc_get(d, v, "en"));
		g->zh = arena_strdup(pk->arena, g->zh ? g->zh : g->id);
		g->en = arena_strdup(pk->arena, g->en ? g->en : g->id);
	}
}

static int load_packfile(struct pol_pack *pk, struct ydoc *d, yaml_node_t **order)
{
	static const char *const keys[] = {"id", "title", "kind", "effective", "order", "groups", "enums",
					   "facts", NULL};
	yaml_node_t *r = ydoc_root(d), *n;
	const char *s;

	ydoc_only_keys(d, r, keys);
	n = ydoc_get(d, r, "kind");
	if (n) {
		s = ydoc_str(n);
		if (s && strcmp(s, "standard") == 0)
			pk->standard = 1;
		else if (!s || strcmp(s, "benefits") != 0)
			ydoc_err(d, n, "kind 应为 benefits 或 standard", "'kind' must be benefits or standard", NULL);
	}
	s = ydoc_str(ydoc_get(d, r, "id"));
	pk->id = arena_strdup(pk->arena, s ? s : "");
	if (!s)
		ydoc_err(d, r, "缺少 id", "missing 'id'", NULL);
	n = ydoc_get(d, r, "title");
	s = ydoc_str(ydoc_get(d, n, "zh"));
	pk->title_zh = arena_strdup(pk->arena, s ? s : "");
	s = ydoc_str(ydoc_get(d, n, "en"));
	pk->title_en = arena_strdup(pk->arena, s ? s : "");
	n = ydoc_get(d, r, "effective");
	if (!ydoc_str(n) || date_parse(ydoc_str(n), &pk->effective))
		ydoc_err(d, n ? n : r, "effective 应为日期 YYYY-MM-DD", "'effective' must be a date YYYY-MM-DD", NULL);
	load_enums(pk, d, ydoc_get(d, r, "enums"));
	load_groups(pk, d, ydoc_get(d, r, "groups"));
	*order = ydoc_get(d, r, "order");
	if (!*order || (*order)->type != YAML_SEQUENCE_NODE) {
		ydoc_err(d, *order ? *order : r, "order 应为策略 id 列表", "'order' must be a list of policy ids", NULL);
		*order = NULL;
	}
	n = ydoc_get(d, r, "facts");
	for (int i = 0; i < 2; i++) {
		const char *ent = i ? "enterprise" : "person";
		yaml_node_t *f = ydoc_get(d, n, ent);
		struct ptype *t = (struct ptype *)mk(pk->arena, PT_REC);
		struct prec *rec = arena_alloc(pk->arena, sizeof(*rec));

		if (!t || !rec)
			return -1;
		t->rec = rec;
		pk->root_t[i] = t;
		if (!f)
			continue;
		if (f->type != YAML_MAPPING_NODE) {
			ydoc_err(d, f, "事实模式应为映射", "a facts schema must be a mapping", NULL);
			continue;
		}
		int cnt = (int)(f->data.mapping.pairs.top - f->data.mapping.pairs.start);
		rec->names = arena_alloc(pk->arena, sizeof(char *) * (size_t)(cnt + 1));
		rec->types = arena_alloc(pk->arena, sizeof(struct ptype *) * (size_t)(cnt + 1));
		rec->required = arena_alloc(pk->arena, sizeof(int) * (size_t)(cnt + 1));
		if (!rec->names || !rec->types || !rec->required)
			return -1;
		for (yaml_node_pair_t *p = f->data.mapping.pairs.start; p < f->data.mapping.pairs.top; p++) {
			const char *k = ydoc_str(ydoc_node(d, p->key));
			const struct ptype *ft = pol_type_spec(pk, d, ydoc_node(d, p->value), 0, &rec->required[rec->n]);
			if (!k || !ft)
				continue;
			rec->names[rec->n] = arena_strdup(pk->arena, k);
			rec->types[rec->n++] = ft;
		}
	}
	if (!n)
		ydoc_err(d, r, "缺少 facts", "missing 'facts'", NULL);
	return 0;
}

/* pack order and duplicates */
static void check_order(struct pol_pack *pk, struct ydoc *d, yaml_node_t *order, struct ppolicy **pols, int npols)
{
	int nitems = order ? (int)(order->data.sequence.items.top - order->data.sequence.items.start) : 0;

	pk->policies = arena_alloc(pk->arena, sizeof(struct ppolicy *) * (size_t)(npols + 1));
	if (!pk->policies)
		return;
	for (int i = 0; i < npols; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(pols[i]->id, pols[j]->id) == 0)
				pol_err2(d->errs, pols[i]->file, pols[i]->line, pols[i]->col,
					 "策略 id “%s” 重复", "duplicate policy id '%s'", pols[i]->id),
					pols[i]->order = -2;
	for (int k = 0; k < nitems; k++) {
		yaml_node_t *in = ydoc_node(d, order->data.sequence.items.start[k]);
		const char *id = ydoc_str(in);
		int found = 0;

		for (int j = 0; id && j < k; j++)
			if (ydoc_str(ydoc_node(d, order->data.sequence.items.start[j])) &&
			    strcmp(ydoc_str(ydoc_node(d, order->data.sequence.items.start[j])), id) == 0) {
				ydoc_err(d, in, "order 中重复列出了 “%s”", "'%s' is listed twice in order", id);
				found = -1;
			}
		if (found < 0)
			continue;
		for (int i = 0; id && i < npols; i++)
			if (pols[i]->order != -2 && strcmp(pols[i]->id, id) == 0 && pols[i]->order < 0) {
				pols[i]->order = pk->npolicies;
				pk->policies[pk->npolicies++] = pols[i];
				found = 1;
				break;
			}
		if (!found)
			ydoc_err(d, in, "order 中的 “%s” 没有对应的策略文件", "'%s' in order has no policy file",
				 id ? id : "?");
	}
	for (int i = 0; i < npols; i++)
		if (pols[i]->order == -1)
			pol_err2(d->errs, pols[i]->file, pols[i]->line, pols[i]->col, "策略 “%s” 不在 pack.yaml 的 order 中",
				 "policy '%s' is missing from the order of pack.yaml", pols[i]->id);
}

/* A standard pack: one file per tier number, criterion ids unique across the pack. */
static void check_tiers(struct pol_pack *pk, struct ydoc *d, struct ppolicy **pols, int npols)
{
	char num[16];

	if (!pk->standard)
		return;
	if (npols == 0)
		pol_err(d->errs, d->file, 1, 1, "标准包至少需要一个层次文件 (kind: tier)",
			"a standard pack needs at least one tier file (kind: tier)");
	for (int i = 0; i < npols; i++) {
		const struct ppolicy *p = pols[i];
		for (int j = 0; j < i && p->tier > 0; j++)
			if (pols[j]->tier == p->tier) {
				snprintf(num, sizeof num, "%d", p->tier);
				pol_err2(d->errs, p->file, p->line, p->col, "层次 %s 已由另一个文件定义",
					 "tier %s is already defined by another file", num);
			}
		for (int c = 0; c < p->ncrit; c++)
			for (int j = 0; j <= i; j++)
				for (int k = 0; k < (j == i ? c : pols[j]->ncrit); k++)
					if (strcmp(pols[j]->crit[k].id, p->crit[c].id) == 0)
						pol_err2(d->errs, p->file, p->crit[c].line, p->crit[c].col,
							 "条件 id “%s” 重复", "duplicate criterion id '%s'",
							 p->crit[c].id);
	}
}

int pol_pack_load_mem(size_t nfiles, const char *const *names, const char *const *texts,
		      const size_t *lens, struct pol_pack **out, struct pol_errors **errs)
{
	struct arena *ea = arena_new(), *pa = arena_new();
	struct pol_errors *e = ea ? arena_alloc(ea, sizeof(*e)) : NULL;
	struct pol_pack *pk = pa ? arena_alloc(pa, sizeof(*pk)) : NULL;
	struct ydoc pd;
	yaml_node_t *order = NULL;
	struct ppolicy **pols;
	int npols = 0, packfile = -1;

	*out = NULL;
	*errs = NULL;
	if (!e || !pk) {
		arena_free(ea);
		arena_free(pa);
		return -1;
	}
	e->arena = ea;
	pk->arena = pa;
	*errs = e;
	for (size_t i = 0; i < nfiles; i++) {
		const char *b = strrchr(names[i], '/');
		if (strcmp(b ? b + 1 : names[i], "pack.yaml") == 0)
			packfile = (int)i;
	}
	if (packfile < 0) {
		pol_err(e, "pack.yaml", 1, 1, "找不到 pack.yaml", "pack.yaml not found");
		pol_pack_free(pk);
		return -1;
	}
	if (ydoc_load(&pd, names[packfile], texts[packfile], lens[packfile], e) == 0)
		load_packfile(pk, &pd, &order);
	for (int i = 0; i < 2; i++)
		if (!pk->root_t[i]) {
			struct ptype *t = (struct ptype *)mk(pa, PT_REC);
			struct prec *rec = arena_alloc(pa, sizeof(*rec));
			if (!t || !rec) {
				ydoc_free(&pd);
				pol_pack_free(pk);
				return -1;
			}
			t->rec = rec;
			pk->root_t[i] = t;
		}
	pols = arena_alloc(pa, sizeof(*pols) * (nfiles + 1));
	for (size_t i = 0; pols && i < nfiles; i++) {
		struct ydoc d;

		if ((int)i == packfile)
			continue;
		if (ydoc_load(&d, names[i], texts[i], lens[i], e) == 0) {
			struct ppolicy *p = pol_policy_load(pk, &d);
			if (p)
				pols[npols++] = p;
		}
		ydoc_free(&d);
	}
	if (pols && pd.loaded) {
		check_order(pk, &pd, order, pols, npols);
		check_tiers(pk, &pd, pols, npols);
	}
	ydoc_free(&pd);
	if (e->n > 0 || !pols) {
		pol_pack_free(pk);
		return -1;
	}
	*out = pk;
	*errs = NULL;
	arena_free(ea);
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pol_pack_load(const char *dir, struct pol_pack **out, struct pol_errors **errs)
{
	DIR *dp = opendir(dir);
	char *names[256];
	char *texts[256];
	size_t lens[256];
	size_t n = 0;
	struct dirent *de;
	int rc;

	if (!dp) {
		const char *nm = "pack.yaml";
		const char *tx = "";
		size_t ln = 0;
		rc = pol_pack_load_mem(0, &nm, &tx, &ln, out, errs);
		if (*errs)
			pol_err(*errs, dir, 1, 1, "无法打开策略包目录", "cannot open the pack directory");
		return rc;
	}
	while ((de = readdir(dp)) != NULL && n < 256) {
		size_t l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0 || de->d_name[0] == '.')
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmpstr);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		FILE *fp;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		names[i] = strdup(path);
		texts[i] = NULL;
		lens[i] = 0;
		fp = fopen(path, "rb");
		if (fp) {
			texts[i] = malloc(POL_MAX_FILE + 2);
			if (texts[i]) {
				lens[i] = fread(texts[i], 1, POL_MAX_FILE + 1, fp);
				texts[i][lens[i]] = '\0';
			}
			fclose(fp);
		}
		if (!texts[i]) {
			texts[i] = strdup("");
			lens[i] = 0;
		}
	}
	rc = pol_pack_load_mem(n, (const char *const *)names, (const char *const *)texts, lens, out, errs);
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(texts[i]);
	}
	return rc;
}

void pol_pack_free(struct pol_pack *pk)
{
	if (pk)
		arena_free(pk->arena);
}

int pol_pack_npolicies(const struct pol_pack *pk)
{
	return pk->npolicies;
}

const char *pol_pack_id(const struct pol_pack *pk)
{
	return pk->id;
}
