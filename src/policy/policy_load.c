/*
 * policy_load.c — one policy file: its fields, parameters with dated values,
 * let names, conditions, amount and instalments, each expression compiled
 * against the facts schema (docs/policy-language.md, "A policy file").
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "policy/pack_int.h"

static int word(struct ydoc *d, yaml_node_t *r, const char *key, const char *const *words, int dflt)
{
	yaml_node_t *n = ydoc_get(d, r, key);
	const char *s = ydoc_str(n);

	if (!n) {
		if (dflt < 0)
			ydoc_err(d, r, "缺少 %s", "missing '%s'", key);
		return dflt < 0 ? 0 : dflt;
	}
	for (int i = 0; s && words[i]; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	ydoc_err(d, n, "%s 的取值不对", "'%s' has a value that is not allowed", key);
	return 0;
}

/* A YAML scalar as a value of type t; -1 after reporting. */
static int scalar_value(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n, const struct ptype *t,
			struct pval *v)
{
	const char *s = ydoc_str(n);
	char *end;

	v->present = 1;
	if (!s) {
		ydoc_err(d, n, "此处应为单个值", "expected a single value here", NULL);
		return -1;
	}
	switch (t->k) {
	case PT_INT: case PT_MONEY: {
		long long x = strtoll(s, &end, 10);
		if (end == s || *end) {
			ydoc_err(d, n, "应为整数：“%s”", "expected an integer: '%s'", s);
			return -1;
		}
		v->i = x;
		return 0;
	}
	case PT_DEC: {
		long long x = strtoll(s, &end, 10) * 100;
		if (end != s && *end == '.' && end[1] >= '0' && end[1] <= '9') {
			int f = (end[1] - '0') * 10;
			end += 2;
			if (*end >= '0' && *end <= '9')
				f += *end++ - '0';
			x += s[0] == '-' ? -f : f;
		}
		if (end == s || *end) {
			ydoc_err(d, n, "应为小数（最多两位）：“%s”", "expected a decimal (2 places at most): '%s'", s);
			return -1;
		}
		v->i = x;
		return 0;
	}
	case PT_BOOL:
		if (strcmp(s, "true") && strcmp(s, "false")) {
			ydoc_err(d, n, "应为 true 或 false", "expected true or false", NULL);
			return -1;
		}
		v->i = s[0] == 't';
		return 0;
	case PT_DATE: {
		struct civil_date dt;
		if (date_parse(s, &dt)) {
			ydoc_err(d, n, "应为日期 YYYY-MM-DD：“%s”", "expected a date YYYY-MM-DD: '%s'", s);
			return -1;
		}
		v->i = date_to_days(dt);
		return 0;
	}
	case PT_STR:
		v->p = arena_strdup(pk->arena, s);
		return 0;
	case PT_ENUM: {
		const struct penum *e = &pk->enums[t->enum_id];
		for (int i = 0; i < e->n; i++)
			if (strcmp(e->values[i], s) == 0) {
				v->i = i;
				return 0;
			}
		ydoc_err(d, n, "未知的枚举值 “%s”", "unknown enum value '%s'", s);
		return -1;
	}
	default:
		ydoc_err(d, n, "参数不支持这种类型", "parameters cannot have this type", NULL);
		return -1;
	}
}

static const struct ptype *param_type(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n)
{
	yaml_node_t *mk = ydoc_get(d, n, "map");

	if (!mk)
		return pol_type_spec(pk, d, n, 0, NULL);
	const char *ks = ydoc_str(mk);
	struct ptype *t = arena_alloc(pk->arena, sizeof(*t));
	if (!t)
		return NULL;
	t->k = PT_MAP;
	t->enum_id = -1;
	if (!ks || (strcmp(ks, "int") != 0 && (t->enum_id = pol_find_enum(pk, ks)) < 0)) {
		ydoc_err(d, mk, "map 的键应为 int 或枚举", "a map's keys must be int or an enum", NULL);
		return NULL;
	}
	t->of = pol_type_spec(pk, d, ydoc_get(d, n, "to"), 0, NULL);
	return t->of ? t : NULL;
}

static int param_value(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n, const struct ptype *t,
		       struct pval *v)
{
	if (t->k != PT_MAP)
		return scalar_value(pk, d, n, t, v);
	if (!n || n->type != YAML_MAPPING_NODE) {
		ydoc_err(d, n, "此处应为 键: 值 映射", "expected a key: value mapping here", NULL);
		return -1;
	}
	size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	struct pkeyed *k = arena_alloc(pk->arena, sizeof(*k));
	struct ptype kt = {t->enum_id >= 0 ? PT_ENUM : PT_INT, NULL, NULL, t->enum_id, 0, 0, 0, 0};
	int rc = 0;

	if (!k || !(k->keys = arena_alloc(pk->arena, sizeof(int64_t) * (cnt + 1))) ||
	    !(k->v = arena_alloc(pk->arena, sizeof(struct pval) * (cnt + 1))))
		return -1;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		struct pval kv;
		if (scalar_value(pk, d, ydoc_node(d, p->key), &kt, &kv) ||
		    scalar_value(pk, d, ydoc_node(d, p->value), t->of, &k->v[k->n])) {
			rc = -1;
			continue;
		}
		k->keys[k->n++] = kv.i;
	}
	v->p = k;
	v->present = 1;
	return rc;
}

static void load_params(struct pol_pack *pk, struct ppolicy *pol, struct ydoc *d, yaml_node_t *m)
{
	static const char *const pkeys[] = {"type", "values", NULL};
	static const char *const vkeys[] = {"since", "value", "source", NULL};

	if (!m)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		ydoc_err(d, m, "parameters 应为映射", "'parameters' must be a mapping", NULL);
		return;
	}
	int cnt = (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (cnt > 32) {
		ydoc_err(d, m, "参数太多（最多 32 个）", "too many parameters (32 at most)", NULL);
		cnt = 32;
	}
	pol->params = arena_alloc(pk->arena, sizeof(struct pparam) * (size_t)(cnt + 1));
	for (int i = 0; pol->params && i < cnt; i++) {
		yaml_node_pair_t *p = &m->data.mapping.pairs.start[i];
		yaml_node_t *pn = ydoc_node(d, p->value), *vals;
		struct pparam *pp = &pol->params[pol->nparams];
		long eff = date_to_days(pk->effective);
		int in_force = 0;

		ydoc_only_keys(d, pn, pkeys);
		pp->name = arena_strdup(pk->arena, ydoc_str(ydoc_node(d, p->key)) ? ydoc_str(ydoc_node(d, p->key)) : "?");
		pp->t = param_type(pk, d, ydoc_get(d, pn, "type"));
		vals = ydoc_get(d, pn, "values");
		if (!pp->t)
			continue;
		if (!vals || vals->type != YAML_SEQUENCE_NODE) {
			ydoc_err(d, pn, "参数 “%s” 需要 values 列表", "parameter '%s' needs a list of values", pp->name);
			continue;
		}
		int nv = (int)(vals->data.sequence.items.top - vals->data.sequence.items.start);
		pp->vals = arena_alloc(pk->arena, sizeof(struct pparam_val) * (size_t)(nv + 1));
		for (int j = 0; pp->vals && j < nv; j++) {
			yaml_node_t *vn = ydoc_node(d, vals->data.sequence.items.start[j]);
			struct pparam_val *pv = &pp->vals[pp->nvals];
			const char *since = ydoc_str(ydoc_get(d, vn, "since"));
			const char *src = ydoc_str(ydoc_get(d, vn, "source"));

			ydoc_only_keys(d, vn, vkeys);
			if (!since || date_parse(since, &pv->since)) {
				ydoc_err(d, vn, "since 应为日期 YYYY-MM-DD", "'since' must be a date YYYY-MM-DD", NULL);
				continue;
			}
			if (!src)
				ydoc_err(d, vn, "每个参数值都要写 source", "every parameter value needs a 'source'", NULL);
			pv->since_days = date_to_days(pv->since);
			pv->source = arena_strdup(pk->arena, src ? src : "");
			if (param_value(pk, d, ydoc_get(d, vn, "value"), pp->t, &pv->v))
				continue;
			if (pp->nvals > 0 && pv->since_days <= pp->vals[pp->nvals - 1].since_days) {
				ydoc_err(d, vn, "参数值应按 since 递增排列", "values must be in increasing 'since' order", NULL);
				continue;
			}
			in_force |= pv->since_days <= eff;
			pp->nvals++;
		}
		if (!in_force)
			ydoc_err(d, pn, "参数 “%s” 在策略包生效日没有生效的取值",
				 "parameter '%s' has no value in force on the pack's effective date", pp->name);
		pol->nparams++;
	}
}

static void expr_at(struct pol_pack *pk, struct ydoc *d, yaml_node_t *n, struct code *c,
		    const struct ptype *want, struct scope *sc, const char *what)
{
	struct srcpos pos = {d->file, ydoc_line(n), ydoc_col(n), d->errs, NULL};
	const char *s = ydoc_str(n);

	if (!s) {
		ydoc_err(d, n, "%s 应为表达式文本", "'%s' must be an expression", what);
		return;
	}
	pol_compile_expr(c, s, want, sc, pk->arena, &pos, what);
}

/* The let names, in order; leaves sc seeing all of them. */
static void load_lets(struct pol_pack *pk, struct ppolicy *pol, struct ydoc *d, yaml_node_t *r,
		      struct scope *sc)
{
	yaml_node_t *n = ydoc_get(d, r, "let");

	if (n && n->type == YAML_MAPPING_NODE) {
		int cnt = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
		pol->lets = arena_alloc(pk->arena, sizeof(struct plet) * (size_t)(cnt + 1));
		for (int i = 0; pol->lets && i < cnt && i < 32; i++) {
			yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
			struct plet *l = &pol->lets[i];
			l->name = arena_strdup(pk->arena, ydoc_str(ydoc_node(d, p->key)) ? ydoc_str(ydoc_node(d, p->key)) : "?");
			sc->nlets_visible = i;
			expr_at(pk, d, ydoc_node(d, p->value), &l->c, NULL, sc, l->name);
			pol->nlets = i + 1;
		}
	} else if (n) {
		ydoc_err(d, n, "let 应为 名称: 表达式 映射", "'let' must be a mapping of name: expression", NULL);
	}
	sc->nlets_visible = pol->nlets;
}

static void load_exprs(struct pol_pack *pk, struct ppolicy *pol, struct ydoc *d, yaml_node_t *r)
{
	static const char *const ikeys[] = {"due", "amount", "condition", NULL};
	const struct ptype *amt_t = pol->kind <= KIND_LOAN ? &pol_t_money : &pol_t_int;
	struct scope sc;
	yaml_node_t *n;

	memset(&sc, 0, sizeof(sc));
	sc.pack = pk;
	sc.pol = pol;
	n = ydoc_get(d, r, "due");
	if (n && pol->period != PER_ONCE)
		ydoc_err(d, n, "只有 period: once 的策略可以写 due", "'due' is only for policies with period: once",
			 NULL);
	else if (n)
		expr_at(pk, d, n, &pol->due, &pol_t_int, &sc, "due"), pol->has_due = 1;
	else if (pol->period == PER_ONCE)
		ydoc_err(d, r, "period: once 的策略需要 due", "a policy with period: once needs 'due'", NULL);
	load_lets(pk, pol, d, r, &sc);
	n = ydoc_get(d, r, "eligible");
	if (n && n->type == YAML_SEQUENCE_NODE) {
		int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
		pol->conds = arena_alloc(pk->arena, sizeof(struct code) * (size_t)(cnt + 1));
		for (int i = 0; pol->conds && i < cnt; i++)
			expr_at(pk, d, ydoc_node(d, n->data.sequence.items.start[i]), &pol->conds[pol->nconds++],
				&pol_t_bool, &sc, "eligible");
	} else if (n && ydoc_str(n)) {
		pol->conds = arena_alloc(pk->arena, sizeof(struct code));
		if (pol->conds)
			expr_at(pk, d, n, &pol->conds[pol->nconds++], &pol_t_bool, &sc, "eligible");
	} else if (n) {
		ydoc_err(d, n, "eligible 应为条件列表", "'eligible' must be a list of conditions", NULL);
	}
	n = ydoc_get(d, r, "amount");
	if (n)
		expr_at(pk, d, n, &pol->amount, amt_t, &sc, "amount");
	else
		ydoc_err(d, r, "缺少 amount", "missing 'amount'", NULL);
	n = ydoc_get(d, r, "instalments");
	if (!n)
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		ydoc_err(d, n, "instalments 应为列表", "'instalments' must be a list", NULL);
		return;
	}
	int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
	pol->inst = arena_alloc(pk->arena, sizeof(struct pinst) * (size_t)(cnt + 1));
	for (int i = 0; pol->inst && i < cnt && i < 16; i++) {
		yaml_node_t *in = ydoc_node(d, n->data.sequence.items.start[i]), *x;
		struct pinst *pi = &pol->inst[pol->ninst++];

		ydoc_only_keys(d, in, ikeys);
		sc.allow_total = 1;
		if ((x = ydoc_get(d, in, "due")) != NULL)
			expr_at(pk, d, x, &pi->due, &pol_t_int, &sc, "due"), pi->has_due = 1;
		else
			ydoc_err(d, in, "分期需要 due", "an instalment needs 'due'", NULL);
		if ((x = ydoc_get(d, in, "amount")) != NULL)
			expr_at(pk, d, x, &pi->amount, amt_t, &sc, "amount"), pi->has_amount = 1;
		else
			ydoc_err(d, in, "分期需要 amount", "an instalment needs 'amount'", NULL);
		sc.allow_total = 0;
		sc.allow_due_year = 1;
		if ((x = ydoc_get(d, in, "condition")) != NULL)
			expr_at(pk, d, x, &pi->cond, &pol_t_bool, &sc, "condition"), pi->has_cond = 1;
		sc.allow_due_year = 0;
	}
}

/* One criterion of a tier policy: {id, title: {zh, en}, source, when, direct}. */
static void crit_load(struct pol_pack *pk, struct ppolicy *pol, struct ydoc *d, yaml_node_t *cn,
		      struct scope *sc)
{
	static const char *const ckeys[] = {"id", "title", "source", "when", "direct", NULL};
	static const char *const tkeys[] = {"zh", "en", NULL};
	struct pcrit *c = &pol->crit[pol->ncrit];
	yaml_node_t *n, *t;
	const char *s;

	if (!cn || cn->type != YAML_MAPPING_NODE) {
		ydoc_err(d, cn, "条件应为映射 {id, title, source, when}",
			 "a criterion must be a mapping {id, title, source, when}", NULL);
		return;
	}
	ydoc_only_keys(d, cn, ckeys);
	n = ydoc_get(d, cn, "id");
	if (!(s = ydoc_str(n)) || !*s) {
		ydoc_err(d, cn, "条件缺少 id", "a criterion needs an 'id'", NULL);
		return;
	}
	c->id = arena_strdup(pk->arena, s);
	c->line = ydoc_line(n);
	c->col = ydoc_col(n);
	t = ydoc_get(d, cn, "title");
	if (t && t->type == YAML_MAPPING_NODE)
		ydoc_only_keys(d, t, tkeys);
	s = ydoc_str(ydoc_get(d, t, "zh"));
	c->title_zh = arena_strdup(pk->arena, s ? s : c->id);
	if (!s)
		ydoc_err(d, t ? t : cn, "条件 “%s” 缺少中文名称 title.zh", "criterion '%s' needs a title.zh", c->id);
	s = ydoc_str(ydoc_get(d, t, "en"));
	c->title_en = arena_strdup(pk->arena, s ? s : c->id);
	if (!s)
		ydoc_err(d, t ? t : cn, "条件 “%s” 缺少英文名称 title.en", "criterion '%s' needs a title.en", c->id);
	n = ydoc_get(d, cn, "source");
	s = ydoc_str(n);
	if (!s || !*s)
		ydoc_err(d, n ? n : cn, "条件 “%s” 需要写明出处 source（或 [design]）",
			 "criterion '%s' needs a 'source' (or [design])", c->id);
	c->source = arena_strdup(pk->arena, s ? s : "");
	n = ydoc_get(d, cn, "direct");
	if (n) {
		s = ydoc_str(n);
		if (!s || (strcmp(s, "true") && strcmp(s, "false")))
			ydoc_err(d, n, "direct 应为 true 或 false", "'direct' must be true or false", NULL);
		else
			c->direct = s[0] == 't';
	}
	n = ydoc_get(d, cn, "when");
	if (!n) {
		ydoc_err(d, cn, "条件 “%s” 缺少 when", "criterion '%s' needs 'when'", c->id);
		return;
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
		if (cnt < 1 || cnt > 16) {
			ydoc_err(d, n, "when 应有 1 到 16 个条件", "'when' must hold 1 to 16 conditions", NULL);
			return;
		}
		c->conds = arena_alloc(pk->arena, sizeof(struct code) * (size_t)cnt);
		for (int i = 0; c->conds && i < cnt; i++)
			expr_at(pk, d, ydoc_node(d, n->data.sequence.items.start[i]), &c->conds[c->nconds++],
				&pol_t_bool, sc, "when");
	} else {
		c->conds = arena_alloc(pk->arena, sizeof(struct code));
		if (c->conds)
			expr_at(pk, d, n, &c->conds[c->nconds++], &pol_t_bool, sc, "when");
	}
	if (c->conds)
		pol->ncrit++;
}

/*
 * The rest of a tier policy (kind: tier, only in a pack of kind: standard): its tier
 * number, parameters, let names and criteria; the keys of a benefit policy are refused.
 * 0 when it cannot be used at all (after reporting).
 */
static int tier_load(struct pol_pack *pk, struct ppolicy *pol, struct ydoc *d, yaml_node_t *r)
{
	static const char *const benefit_only[] = {"beneficiary", "period", "channel", "group", "due",
						   "eligible", "amount", "instalments", NULL};
	yaml_node_t *n;
	const char *s;
	struct scope sc;

	if (!pk->standard) {
		ydoc_err(d, ydoc_get(d, r, "kind"), "kind: tier 只能用于 kind: standard 的策略包",
			 "kind: tier is only for a pack of kind: standard", NULL);
		return 1;
	}
	if (pol->kind != KIND_TIER) {
		n = ydoc_get(d, r, "kind");
		ydoc_err(d, n ? n : r, "标准包（kind: standard）只能包含 kind: tier 的策略",
			 "a standard pack (kind: standard) holds only policies of kind: tier", NULL);
		return 1;
	}
	pol->period = PER_YEAR;
	for (int i = 0; benefit_only[i]; i++)
		if ((n = ydoc_get(d, r, benefit_only[i])) != NULL)
			ydoc_err(d, n, "kind: tier 的策略不能写 %s", "'%s' does not apply to a policy of kind: tier",
				 benefit_only[i]);
	n = ydoc_get(d, r, "tier");
	s = ydoc_str(n);
	if (!n) {
		ydoc_err(d, r, "缺少 tier（层次，1 为最高）", "missing 'tier' (the tier number, 1 the highest)", NULL);
	} else {
		char *end;
		long t = s ? strtol(s, &end, 10) : 0;
		if (!s || end == s || *end || t < 1 || t > 99)
			ydoc_err(d, n, "tier 应为 1 到 99 的整数", "'tier' must be an integer 1..99", NULL);
		else
			pol->tier = (int)t;
	}
	load_params(pk, pol, d, ydoc_get(d, r, "parameters"));
	memset(&sc, 0, sizeof(sc));
	sc.pack = pk;
	sc.pol = pol;
	load_lets(pk, pol, d, r, &sc);
	n = ydoc_get(d, r, "criteria");
	if (!n || n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.top == n->data.sequence.items.start) {
		ydoc_err(d, n ? n : r, "criteria 应为非空的条件列表", "'criteria' must be a non-empty list of criteria",
			 NULL);
		return 1;
	}
	int cnt = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt > POL_MAX_CRITERIA) {
		ydoc_err(d, n, "条件太多（每个层次最多 32 个）", "too many criteria (32 per tier at most)", NULL);
		cnt = POL_MAX_CRITERIA;
	}
	pol->crit = arena_alloc(pk->arena, sizeof(struct pcrit) * (size_t)cnt);
	for (int i = 0; pol->crit && i < cnt; i++)
		crit_load(pk, pol, d, ydoc_node(d, n->data.sequence.items.start[i]), &sc);
	return 1;
}

struct ppolicy *pol_policy_load(struct pol_pack *pk, struct ydoc *d)
{
	static const char *const keys[] = {"id", "title", "basis", "beneficiary", "period", "channel", "kind",
					   "group", "due", "parameters", "let", "eligible", "amount",
					   "instalments", "tier", "criteria", "summary", NULL};
	static const char *const periods[] = {"month", "year", "once", NULL};
	static const char *const channels[] = {"apply", "proactive", NULL};
	static const char *const kinds[] = {"cash", "loan", "nights", "service", "points", "tier", NULL};
	yaml_node_t *r = ydoc_root(d), *n;
	struct ppolicy *pol = arena_alloc(pk->arena, sizeof(*pol));
	const char *s;

	if (!pol)
		return NULL;
	ydoc_only_keys(d, r, keys);
	n = ydoc_get(d, r, "id");
	if (!(s = ydoc_str(n))) {
		ydoc_err(d, r, "缺少 id", "missing 'id'", NULL);
		return NULL;
	}
	pol->id = arena_strdup(pk->arena, s);
	pol->line = ydoc_line(n);
	pol->col = ydoc_col(n);
	pol->file = arena_strdup(pk->arena, d->file);
	pol->order = -1;
	pol->group = -1;
	pol->item_field = -1;
	n = ydoc_get(d, r, "title");
	s = ydoc_str(ydoc_get(d, n, "zh"));
	pol->title_zh = arena_strdup(pk->arena, s ? s : pol->id);
	s = ydoc_str(ydoc_get(d, n, "en"));
	pol->title_en = arena_strdup(pk->arena, s ? s : pol->id);
	s = ydoc_str(ydoc_get(d, r, "basis"));
	pol->basis = arena_strdup(pk->arena, s ? s : "");
	/* optional plain-language summary for the public pages */
	n = ydoc_get(d, r, "summary");
	if ((s = ydoc_str(ydoc_get(d, n, "zh"))) != NULL)
		pol->summary_zh = arena_strdup(pk->arena, s);
	if ((s = ydoc_str(ydoc_get(d, n, "en"))) != NULL)
		pol->summary_en = arena_strdup(pk->arena, s);
	pol->kind = (enum pol_kind)word(d, r, "kind", kinds, 0);
	if (pol->kind == KIND_TIER || pk->standard)
		return tier_load(pk, pol, d, r) ? pol : NULL;
	if ((n = ydoc_get(d, r, "tier")) != NULL || (n = ydoc_get(d, r, "criteria")) != NULL)
		ydoc_err(d, n, "tier 和 criteria 只用于 kind: tier 的策略",
			 "'tier' and 'criteria' are only for policies of kind: tier", NULL);
	pol->period = (enum pol_period)word(d, r, "period", periods, -1);
	pol->proactive = word(d, r, "channel", channels, 0);
	n = ydoc_get(d, r, "beneficiary");
	s = ydoc_str(n);
	if (!s) {
		ydoc_err(d, n ? n : r, "缺少 beneficiary", "missing 'beneficiary'", NULL);
	} else {
		const char *dot = strchr(s, '.');
		size_t rl = dot ? (size_t)(dot - s) : strlen(s);
		if (rl == 6 && strncmp(s, "person", 6) == 0) /* lint: allow */
			pol->root = 0;
		else if (rl == 10 && strncmp(s, "enterprise", 10) == 0) /* lint: allow */
			pol->root = 1;
		else
			ydoc_err(d, n, "beneficiary 应为 person、enterprise 或其列表字段", "beneficiary must be person, enterprise or a list of theirs", NULL);
		if (dot) {
			const struct prec *rec = pk->root_t[pol->root] ? pk->root_t[pol->root]->rec : NULL;
			for (int i = 0; rec && i < rec->n; i++)
				if (strcmp(rec->names[i], dot + 1) == 0 && rec->types[i]->k == PT_LIST &&
				    rec->types[i]->of->k == PT_REC)
					pol->item_field = i;
			if (pol->item_field < 0)
				ydoc_err(d, n, "“%s” 不是记录列表事实", "'%s' is not a list-of-records fact", dot + 1);
			pol->item_name = arena_strdup(pk->arena, dot + 1);
		}
	}
	n = ydoc_get(d, r, "group");
	if (n) {
		s = ydoc_str(n);
		for (int i = 0; s && i < pk->ngroups; i++)
			if (strcmp(pk->groups[i].id, s) == 0)
				pol->group = i;
		if (pol->group < 0)
			ydoc_err(d, n, "未知的互斥组 “%s”", "unknown group '%s'", s ? s : "?");
	}
	load_params(pk, pol, d, ydoc_get(d, r, "parameters"));
	load_exprs(pk, pol, d, r);
	return pol;
}
