/*
 * check.c — the type checker: resolves every name of an expression (facts,
 * parameters, let names, lambda variables, period, due_year, total) and gives
 * every node its type, reporting what was expected at file:line:col.
 */
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

const struct ptype pol_t_int = {PT_INT, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_dec = {PT_DEC, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_money = {PT_MONEY, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_bool = {PT_BOOL, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_date = {PT_DATE, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_str = {PT_STR, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_err = {PT_ERR, NULL, NULL, 0, 0, 0, 0, 0};
const struct ptype pol_t_range = {PT_RANGE, &pol_t_int, NULL, 0, 0, 0, 0, 0};

struct ck {
	struct scope *sc;
	struct arena *a;
	const struct srcpos *pos;
};

int pol_type_eq(const struct ptype *a, const struct ptype *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->k != b->k)
		return 0;
	switch (a->k) {
	case PT_ENUM: return a->enum_id == b->enum_id;
	case PT_LIST: case PT_BYYEAR: case PT_RANGE: case PT_RATIO: return pol_type_eq(a->of, b->of);
	case PT_MAP: return a->enum_id == b->enum_id && pol_type_eq(a->of, b->of);
	case PT_REC: return a->rec == b->rec;
	default: return 1;
	}
}

const char *pol_type_name(const struct ptype *t, const struct pol_pack *pk, struct arena *a)
{
	switch (t->k) {
	case PT_INT: return "int";
	case PT_DEC: return "decimal";
	case PT_MONEY: return "money";
	case PT_BOOL: return "bool";
	case PT_DATE: return "date";
	case PT_STR: return "string";
	case PT_ENUM: return pk && t->enum_id < pk->nenums ? pk->enums[t->enum_id].name : "enum";
	case PT_LIST: return arena_printf(a, "list of %s", pol_type_name(t->of, pk, a));
	case PT_BYYEAR: return arena_printf(a, "by_year of %s", pol_type_name(t->of, pk, a));
	case PT_MAP: return arena_printf(a, "map to %s", pol_type_name(t->of, pk, a));
	case PT_REC: return "record";
	case PT_RANGE: return "range";
	case PT_RATIO: return "unrounded division";
	default: return "?";
	}
}

static const struct ptype *fail(struct ck *c, const struct node *n, const char *zh, const char *en,
				const char *arg)
{
	pol_err_at(c->pos, n->off, zh, en, arg);
	return &pol_t_err;
}

static const struct ptype *mktype(struct ck *c, enum pt_kind k, const struct ptype *of)
{
	struct ptype *t = arena_alloc(c->a, sizeof(*t));

	if (!t)
		return &pol_t_err;
	t->k = k;
	t->of = of;
	return t;
}

static const struct ptype *check(struct ck *c, struct node *n);

/* checks a kid that must not be an unrounded division */
static const struct ptype *kid(struct ck *c, struct node *n, int i)
{
	const struct ptype *t = check(c, n->kids[i]);

	if (t->k == PT_RATIO)
		return fail(c, n->kids[i], "除法的结果必须取整：floor(a / b)、round(a / b) 或 ceil(a / b)",
			    "a division must be rounded: floor(a / b), round(a / b) or ceil(a / b)", NULL);
	return t;
}

static int is_num(const struct ptype *t)
{
	return t->k == PT_INT || t->k == PT_DEC || t->k == PT_MONEY;
}

/* A string literal compared with an enum becomes the enum's ordinal. */
static int enum_lit(struct ck *c, struct node *lit, const struct ptype *et)
{
	const struct penum *e = &c->sc->pack->enums[et->enum_id];

	for (int i = 0; i < e->n; i++)
		if (strcmp(e->values[i], lit->name) == 0) {
			lit->k = N_INT;
			lit->ival = i;
			lit->t = et;
			return 0;
		}
	pol_err_at(c->pos, lit->off, "“%s” 不是该枚举的取值", "'%s' is not a value of this enum", lit->name);
	return -1;
}

/* Makes the types of two operands agree (int → decimal, string literal → enum). */
static const struct ptype *unify(struct ck *c, struct node *n, struct node *l, struct node *r)
{
	const struct ptype *a = l->t, *b = r->t;

	if (a->k == PT_ERR || b->k == PT_ERR)
		return &pol_t_err;
	if (a->k == PT_ENUM && r->k == N_STR)
		return enum_lit(c, r, a) ? &pol_t_err : a;
	if (b->k == PT_ENUM && l->k == N_STR)
		return enum_lit(c, l, b) ? &pol_t_err : b;
	if (pol_type_eq(a, b))
		return a;
	if ((a->k == PT_INT && b->k == PT_DEC) || (a->k == PT_DEC && b->k == PT_INT))
		return &pol_t_dec;
	if ((a->k == PT_INT && b->k == PT_MONEY) || (a->k == PT_MONEY && b->k == PT_INT))
		return &pol_t_money;
	return fail(c, n, "两边类型不一致（%s）", "the two sides have different types (%s)",
		    arena_printf(c->a, "%s, %s", pol_type_name(a, c->sc->pack, c->a),
				 pol_type_name(b, c->sc->pack, c->a)));
}

static const struct ptype *binary(struct ck *c, struct node *n)
{
	const struct ptype *a, *b, *u;

	if (n->op == T_SLASH) {
		a = kid(c, n, 0);
		b = kid(c, n, 1);
		if (a->k == PT_ERR || b->k == PT_ERR)
			return &pol_t_err;
		if (!is_num(a) || !(b->k == PT_INT || pol_type_eq(a, b)))
			return fail(c, n, "除法需要数值除以整数", "division needs a number divided by an int", NULL);
		return mktype(c, PT_RATIO, pol_type_eq(a, b) && a->k != PT_INT ? &pol_t_int : a);
	}
	if (n->op == T_IN) {
		a = kid(c, n, 0);
		struct node *r = n->kids[1];
		if (r->k == N_RANGE) {
			b = check(c, r);
			if (a->k == PT_ERR || b->k == PT_ERR)
				return &pol_t_err;
			if (!pol_type_eq(a, b->of) && !(a->k == PT_DEC && b->of->k == PT_INT))
				return fail(c, n, "“in” 两边类型不一致", "'in' needs a value of the range's type", NULL);
			return &pol_t_bool;
		}
		if (r->k == N_LISTLIT && a->k == PT_ENUM) {
			for (int i = 0; i < r->nkids; i++) {
				if (r->kids[i]->k != N_STR)
					return fail(c, r->kids[i], "应为枚举值", "expected an enum value", NULL);
				if (enum_lit(c, r->kids[i], a))
					return &pol_t_err;
			}
			r->t = mktype(c, PT_LIST, a);
			return &pol_t_bool;
		}
		b = kid(c, n, 1);
		if (a->k == PT_ERR || b->k == PT_ERR)
			return &pol_t_err;
		/* "academician" in person.claims: a string literal in a list of enum values */
		if (n->kids[0]->k == N_STR && b->k == PT_LIST && b->of->k == PT_ENUM)
			return enum_lit(c, n->kids[0], b->of) ? &pol_t_err : &pol_t_bool;
		if (b->k != PT_LIST || !pol_type_eq(a, b->of))
			return fail(c, n, "“in” 右边应为同类型的列表或范围", "'in' needs a list or range of the same type", NULL);
		return &pol_t_bool;
	}
	a = kid(c, n, 0);
	b = kid(c, n, 1);
	if (a->k == PT_ERR || b->k == PT_ERR)
		return &pol_t_err;
	switch (n->op) {
	case T_AND:
	case T_OR:
		if (a->k != PT_BOOL || b->k != PT_BOOL)
			return fail(c, n, "and/or 两边应为 bool", "and/or need bool on both sides", NULL);
		return &pol_t_bool;
	case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE:
		u = unify(c, n, n->kids[0], n->kids[1]);
		if (u->k == PT_ERR)
			return u;
		if (u->k == PT_LIST || u->k == PT_REC || u->k == PT_BYYEAR || u->k == PT_MAP || u->k == PT_RANGE)
			return fail(c, n, "该类型不能比较", "values of this type cannot be compared", NULL);
		if ((u->k == PT_BOOL) && n->op != T_EQ && n->op != T_NE)
			return fail(c, n, "bool 只能用 == 或 != 比较", "bools compare only with == or !=", NULL);
		n->ival = u->k; /* compare as */
		return &pol_t_bool;
	case T_STAR:
		if (a->k == PT_MONEY && b->k == PT_INT)
			return a;
		if (a->k == PT_INT && b->k == PT_MONEY)
			return b;
		if ((a->k == PT_DEC && b->k == PT_INT) || (a->k == PT_INT && b->k == PT_DEC))
			return &pol_t_dec;
		if (a->k == PT_INT && b->k == PT_INT)
			return a;
		return fail(c, n, "乘法只支持 int×int、money×int、decimal×int",
			    "multiplication is int×int, money×int or decimal×int", NULL);
	default: /* + - */
		if (!is_num(a) || !is_num(b))
			return fail(c, n, "加减需要数值", "+ and - need numbers", NULL);
		u = unify(c, n, n->kids[0], n->kids[1]);
		if (u->k == PT_MONEY && (a->k != PT_MONEY || b->k != PT_MONEY))
			return fail(c, n, "money 只能与 money 相加减", "money adds only to money", NULL);
		return u;
	}
}

static const struct ptype *name(struct ck *c, struct node *n)
{
	struct scope *sc = c->sc;

	for (int i = sc->nlocals - 1; i >= 0; i--)
		if (strcmp(sc->local_names[i], n->name) == 0) {
			n->ref = R_LOCAL;
			n->idx = i;
			return sc->locals[i];
		}
	if (strcmp(n->name, "person") == 0 || strcmp(n->name, "enterprise") == 0) {
		n->ref = R_ROOT;
		n->idx = n->name[0] == 'e';
		n->path = n->name;
		return sc->pack->root_t[n->idx];
	}
	if (strcmp(n->name, "item") == 0 && sc->pol && sc->pol->item_field >= 0) {
		const struct ptype *lt = sc->pack->root_t[sc->pol->root]->rec->types[sc->pol->item_field];

		n->ref = R_ITEM;
		n->path = "item";
		return lt->of;
	}
	if (strcmp(n->name, "period") == 0) {
		n->ref = R_PERIOD;
		return &pol_t_err; /* only period.<field> is a value; see field() */
	}
	if (strcmp(n->name, "due_year") == 0 && sc->allow_due_year) {
		n->ref = R_DUE_YEAR;
		return &pol_t_int;
	}
	if (strcmp(n->name, "total") == 0 && sc->allow_total) {
		n->ref = R_TOTAL;
		return sc->pol->amount.t ? sc->pol->amount.t : &pol_t_money;
	}
	if (sc->pol) {
		for (int i = 0; i < sc->nlets_visible; i++)
			if (strcmp(sc->pol->lets[i].name, n->name) == 0) {
				n->ref = R_LET;
				n->idx = i;
				n->path = n->name;
				return sc->pol->lets[i].c.t ? sc->pol->lets[i].c.t : &pol_t_err;
			}
		for (int i = 0; i < sc->pol->nparams; i++)
			if (strcmp(sc->pol->params[i].name, n->name) == 0) {
				n->ref = R_PARAM;
				n->idx = i;
				return sc->pol->params[i].t;
			}
	}
	return fail(c, n, "未知的名称 “%s”（不是事实、参数或 let 名）",
		    "unknown name '%s' (not a fact, parameter or let name)", n->name);
}

static const struct ptype *field(struct ck *c, struct node *n)
{
	struct node *k = n->kids[0];
	const struct ptype *t;

	if (k->k == N_NAME && strcmp(k->name, "period") == 0 && k->ref == R_NONE) {
		static const char *const pf[] = {"year", "month", "start", "end"};
		int found = 0;

		for (int i = 0; i < c->sc->nlocals; i++)
			if (strcmp(c->sc->local_names[i], "period") == 0)
				found = 1;
		if (!found) {
			k->ref = R_PERIOD;
			for (int i = 0; i < 4; i++)
				if (strcmp(n->name, pf[i]) == 0) {
					n->ref = R_PERIOD;
					n->idx = i;
					return i < 2 ? &pol_t_int : &pol_t_date;
				}
			return fail(c, n, "period 没有字段 “%s”（year、month、start、end）",
				    "period has no field '%s' (year, month, start, end)", n->name);
		}
	}
	t = check(c, k);
	if (t->k == PT_ERR)
		return t;
	if (t->k != PT_REC)
		return fail(c, n, "“.%s” 只能用于记录", "'.%s' applies only to a record", n->name);
	for (int i = 0; i < t->rec->n; i++)
		if (strcmp(t->rec->names[i], n->name) == 0) {
			n->idx = i;
			if (k->path)
				n->path = arena_printf(c->a, "%s.%s", k->path, n->name);
			return t->rec->types[i];
		}
	return fail(c, n, "未知的事实字段 “%s”", "unknown fact field '%s'", n->name);
}

static const struct ptype *index_(struct ck *c, struct node *n)
{
	const struct ptype *t = kid(c, n, 0), *kt = kid(c, n, 1);

	if (t->k == PT_ERR || kt->k == PT_ERR)
		return &pol_t_err;
	if (t->k == PT_MAP && t->enum_id >= 0) {
		if (n->kids[1]->k == N_STR) {
			const struct ptype *et = NULL;
			struct ptype *e = arena_alloc(c->a, sizeof(*e));
			if (!e)
				return &pol_t_err;
			e->k = PT_ENUM;
			e->enum_id = t->enum_id;
			et = e;
			if (enum_lit(c, n->kids[1], et))
				return &pol_t_err;
			return t->of;
		}
		if (kt->k != PT_ENUM || kt->enum_id != t->enum_id)
			return fail(c, n, "键应为该枚举的值", "the key must be a value of the map's enum", NULL);
		return t->of;
	}
	if (t->k != PT_BYYEAR && t->k != PT_MAP)
		return fail(c, n, "只有 by_year 事实和参数表可以用 [键] 取值",
			    "only by_year facts and parameter maps take [key]", NULL);
	if (kt->k != PT_INT)
		return fail(c, n, "键应为 int", "the key must be an int", NULL);
	if (n->kids[0]->path)
		n->path = n->kids[0]->path;
	return t->of;
}

#include "check_call.inc"

static const struct ptype *check(struct ck *c, struct node *n)
{
	const struct ptype *t = &pol_t_err;

	switch (n->k) {
	case N_INT: t = n->t ? n->t : &pol_t_int; break;
	case N_DEC: t = &pol_t_dec; break;
	case N_STR: t = &pol_t_str; break;
	case N_BOOL: t = &pol_t_bool; break;
	case N_NAME:
		t = name(c, n);
		if (n->ref == R_PERIOD)
			t = fail(c, n, "period 需要字段：period.year、period.month、period.start、period.end",
				 "period needs a field: period.year, .month, .start or .end", NULL);
		break;
	case N_FIELD: t = field(c, n); break;
	case N_INDEX: t = index_(c, n); break;
	case N_UNARY: {
		const struct ptype *a = kid(c, n, 0);
		if (a->k == PT_ERR)
			break;
		if (n->op == T_NOT && a->k != PT_BOOL)
			t = fail(c, n, "not 需要 bool", "not needs a bool", NULL);
		else if (n->op == T_MINUS && !is_num(a))
			t = fail(c, n, "负号需要数值", "unary minus needs a number", NULL);
		else
			t = a;
		break;
	}
	case N_BINARY: t = binary(c, n); break;
	case N_RANGE: {
		const struct ptype *a = kid(c, n, 0), *b = kid(c, n, 1);
		if (a->k == PT_ERR || b->k == PT_ERR)
			break;
		if (a->k != PT_INT || b->k != PT_INT)
			t = fail(c, n, "范围 a..b 需要 int", "a range a..b needs ints", NULL);
		else
			t = &pol_t_range;
		break;
	}
	case N_LISTLIT: {
		const struct ptype *et = NULL;
		for (int i = 0; i < n->nkids; i++) {
			const struct ptype *e = kid(c, n, i);
			if (e->k == PT_ERR)
				return n->t = &pol_t_err;
			if (et && !pol_type_eq(et, e))
				return n->t = fail(c, n->kids[i], "列表元素类型不一致", "list elements differ in type", NULL);
			et = e;
		}
		t = mktype(c, PT_LIST, et ? et : &pol_t_int);
		break;
	}
	case N_CALL: t = call(c, n); break;
	case N_IF: {
		const struct ptype *a = kid(c, n, 0), *b = kid(c, n, 1), *e = kid(c, n, 2);
		if (a->k == PT_ERR || b->k == PT_ERR || e->k == PT_ERR)
			break;
		if (a->k != PT_BOOL) {
			t = fail(c, n->kids[0], "if 的条件应为 bool", "the condition of if must be a bool", NULL);
			break;
		}
		t = unify(c, n, n->kids[1], n->kids[2]);
		break;
	}
	case N_LAMBDA:
		t = fail(c, n, "这里不能写 x -> …", "a lambda x -> … is not allowed here", NULL);
		break;
	}
	n->t = t;
	return t;
}

const struct ptype *pol_check(struct node *n, struct scope *sc, struct arena *a,
			      const struct srcpos *pos)
{
	struct ck c = {sc, a, pos};
	const struct ptype *t = check(&c, n);

	if (t->k == PT_RATIO) {
		pol_err_at(pos, n->off, "除法的结果必须取整：floor(a / b)、round(a / b) 或 ceil(a / b)",
			   "a division must be rounded: floor(a / b), round(a / b) or ceil(a / b)", NULL);
		return &pol_t_err;
	}
	return t;
}
