/*
 * compile.c — turns a checked expression tree into bytecode for vm.c.
 * Fact reads become (root, field index …) operations resolved here; constants
 * (including list literals) go to a constant pool; lambdas become a loop
 * instruction followed by its body.  The stack depth is computed and capped.
 */
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

struct cc {
	struct arena *a;
	const struct srcpos *pos;
	struct insn *ins;
	int n, cap;
	struct pval *consts;
	int nconsts, ccap;
	struct rpath *paths;
	int npaths, pcap;
	int sp, maxsp;
	int failed;
};

static int grow(struct cc *c, void **arr, int *cap, int n, size_t sz)
{
	if (n < *cap)
		return 0;
	int ncap = *cap ? *cap * 2 : 16;
	void *na = arena_alloc(c->a, sz * (size_t)ncap);

	if (!na) {
		c->failed = 1;
		return -1;
	}
	if (n)
		memcpy(na, *arr, sz * (size_t)n);
	*arr = na;
	*cap = ncap;
	return 0;
}

/* emits op; delta is its effect on the stack depth */
static int emit(struct cc *c, enum op op, int t, int a, int b, int delta)
{
	void *p = c->ins;

	if (grow(c, &p, &c->cap, c->n, sizeof(struct insn)))
		return -1;
	c->ins = p;
	c->ins[c->n].op = (uint8_t)op;
	c->ins[c->n].t = (uint8_t)t;
	c->ins[c->n].a = a;
	c->ins[c->n].b = b;
	c->sp += delta;
	if (c->sp > c->maxsp)
		c->maxsp = c->sp;
	return c->n++;
}

static int konst(struct cc *c, struct pval v)
{
	void *p = c->consts;

	if (grow(c, &p, &c->ccap, c->nconsts, sizeof(struct pval)))
		return 0;
	c->consts = p;
	c->consts[c->nconsts] = v;
	return c->nconsts++;
}

static int path(struct cc *c, const char *s, const struct ptype *t)
{
	void *p = c->paths;

	for (int i = 0; i < c->npaths; i++)
		if (strcmp(c->paths[i].path, s) == 0)
			return i;
	if (grow(c, &p, &c->pcap, c->npaths, sizeof(struct rpath)))
		return 0;
	c->paths = p;
	c->paths[c->npaths].path = s;
	c->paths[c->npaths].t = t;
	return c->npaths++;
}

static void gen(struct cc *c, const struct node *n, int rec);

/* compiles n, converting an int to a decimal when the operation works in decimals */
static void gen_as(struct cc *c, const struct node *n, enum pt_kind as)
{
	gen(c, n, 1);
	if (as == PT_DEC && n->t->k == PT_INT)
		emit(c, OP_TODEC, 0, 0, 0, 0);
}

static void gen_list_const(struct cc *c, const struct node *n)
{
	struct plist *l = arena_alloc(c->a, sizeof(*l));
	struct pval v = {0, l, 1};

	if (!l || (n->nkids && !(l->v = arena_alloc(c->a, sizeof(struct pval) * (size_t)n->nkids)))) {
		c->failed = 1;
		return;
	}
	for (int i = 0; i < n->nkids; i++) {
		const struct node *k = n->kids[i];

		if (k->k == N_UNARY && k->op == T_MINUS && (k->kids[0]->k == N_INT || k->kids[0]->k == N_DEC)) {
			l->v[i].i = -k->kids[0]->ival;
		} else if (k->k == N_INT || k->k == N_DEC || k->k == N_BOOL) {
			l->v[i].i = k->ival;
		} else if (k->k == N_STR) {
			l->v[i].p = k->name;
		} else {
			pol_err_at(c->pos, k->off, "列表字面量的元素必须是常量",
				   "the elements of a list literal must be constants", NULL);
			c->failed = 1;
			return;
		}
		l->v[i].present = 1;
	}
	l->n = (size_t)n->nkids;
	emit(c, OP_CONST, 0, konst(c, v), 0, 1);
}

static void gen_call(struct cc *c, const struct node *n)
{
	switch (n->op) {
	case OP_FLOOR: case OP_ROUND: case OP_CEIL: {
		const struct node *k = n->kids[0];
		if (k->k == N_BINARY && k->op == T_SLASH) {
			gen(c, k->kids[0], 1);
			gen(c, k->kids[1], 1);
			/* mode 1: a / b; mode 2: decimal / int, rounded to an int (b scaled by 100) */
			emit(c, n->op, 0, k->kids[0]->t->k == PT_DEC && k->kids[1]->t->k == PT_INT ? 2 : 1, 0, -1);
		} else {
			gen(c, k, 1);
			emit(c, n->op, 0, 0, 0, 0);
		}
		return;
	}
	case OP_MIN: case OP_MAX:
		gen_as(c, n->kids[0], n->t->k);
		gen_as(c, n->kids[1], n->t->k);
		emit(c, n->op, 0, 0, 0, -1);
		return;
	case OP_PRESENT:
		gen(c, n->kids[0], 0);
		emit(c, OP_PRESENT, 0, 0, 0, 0);
		return;
	case OP_COUNT:
		gen(c, n->kids[0], 1);
		emit(c, OP_COUNT, n->kids[0]->t->k == PT_RANGE, 0, 0, 0);
		return;
	case OP_LOOP: {
		const struct node *lam = n->kids[1];
		gen(c, n->kids[0], 1);
		int at = emit(c, OP_LOOP, n->kids[0]->t->k == PT_RANGE, (int)n->ival, 0, 0);
		int sp0 = c->sp;
		gen(c, lam->kids[0], 1);
		c->sp = sp0;
		if (at >= 0 && !c->failed) {
			c->ins[at].b = c->n - at - 1;
			/* the local's depth, in the high bits of a */
			c->ins[at].a |= lam->idx << 8;
		}
		return;
	}
	default:
		for (int i = 0; i < n->nkids; i++)
			gen(c, n->kids[i], 1);
		emit(c, n->op, 0, 0, 0, 1 - n->nkids);
		return;
	}
}

static void gen_binary(struct cc *c, const struct node *n)
{
	static const struct { int tok; enum op op; } cmp[] = {
		{T_EQ, OP_EQ}, {T_NE, OP_NE}, {T_LT, OP_LT}, {T_LE, OP_LE}, {T_GT, OP_GT}, {T_GE, OP_GE},
		{T_PLUS, OP_ADD}, {T_MINUS, OP_SUB}, {T_STAR, OP_MUL}, {T_AND, OP_AND}, {T_OR, OP_OR},
	};
	const struct node *l = n->kids[0], *r = n->kids[1];

	if (n->op == T_IN) {
		if (r->k == N_RANGE) {
			gen(c, l, 1);
			gen_as(c, r->kids[0], l->t->k);
			gen_as(c, r->kids[1], l->t->k);
			emit(c, OP_INRANGE, 0, 0, 0, -2);
		} else {
			gen(c, l, 1);
			gen(c, r, 1);
			emit(c, OP_INLIST, l->t->k, 0, 0, -1);
		}
		return;
	}
	for (size_t i = 0; i < sizeof cmp / sizeof cmp[0]; i++) {
		if (cmp[i].tok != n->op)
			continue;
		enum pt_kind as = n->op >= T_EQ && n->op <= T_GE ? (enum pt_kind)n->ival : n->t->k;
		if (n->op == T_STAR) {
			gen(c, l, 1);
			gen(c, r, 1);
		} else {
			gen_as(c, l, as);
			gen_as(c, r, as);
		}
		emit(c, cmp[i].op, as, 0, 0, -1);
		return;
	}
	pol_err_at(c->pos, n->off, "无法编译的运算", "operation cannot be compiled", NULL);
	c->failed = 1;
}

static void gen(struct cc *c, const struct node *n, int rec)
{
	struct pval v = {0, NULL, 1};

	if (c->failed)
		return;
	switch (n->k) {
	case N_INT: case N_DEC: case N_BOOL:
		v.i = n->ival;
		emit(c, OP_CONST, 0, konst(c, v), 0, 1);
		return;
	case N_STR:
		v.p = n->name;
		emit(c, OP_CONST, 0, konst(c, v), 0, 1);
		return;
	case N_NAME:
		switch (n->ref) {
		case R_LOCAL: emit(c, OP_LOCAL, 0, n->idx, 0, 1); return;
		case R_ROOT: emit(c, OP_ROOT, 0, n->idx, 0, 1); return;
		case R_ITEM: emit(c, OP_CTX, 0, CTX_ITEM, 0, 1); return;
		case R_DUE_YEAR: emit(c, OP_CTX, 0, CTX_DUE_YEAR, 0, 1); return;
		case R_TOTAL: emit(c, OP_CTX, 0, CTX_TOTAL, 0, 1); return;
		case R_PARAM: emit(c, OP_PARAM, 0, n->idx, 0, 1); return;
		case R_LET:
			emit(c, OP_LET, 0, n->idx, 0, 1);
			if (rec)
				emit(c, OP_READ, 0, path(c, n->name, n->t), 0, 0);
			return;
		default: break;
		}
		break;
	case N_FIELD:
		if (n->ref == R_PERIOD) {
			emit(c, OP_CTX, 0, n->idx, 0, 1);
			return;
		}
		gen(c, n->kids[0], 0);
		emit(c, OP_FIELD, 0, n->idx, 0, 0);
		if (rec && n->path)
			emit(c, OP_READ, 0, path(c, n->path, n->t), 0, 0);
		return;
	case N_INDEX:
		if (n->kids[0]->k == N_NAME && n->kids[0]->ref == R_PARAM) {
			gen(c, n->kids[1], 1);
			emit(c, OP_PINDEX, 0, n->kids[0]->idx, 0, 0);
			return;
		}
		gen(c, n->kids[0], 0);
		gen(c, n->kids[1], 1);
		emit(c, OP_INDEX, 0, 0, n->path && rec ? path(c, n->path, n->t) : -1, -1);
		return;
	case N_UNARY:
		gen(c, n->kids[0], 1);
		emit(c, n->op == T_NOT ? OP_NOT : OP_NEG, 0, 0, 0, 0);
		return;
	case N_BINARY:
		gen_binary(c, n);
		return;
	case N_RANGE:
		gen(c, n->kids[0], 1);
		gen(c, n->kids[1], 1);
		emit(c, OP_MKRANGE, 0, 0, 0, -1);
		return;
	case N_LISTLIT:
		gen_list_const(c, n);
		return;
	case N_CALL:
		gen_call(c, n);
		return;
	case N_IF: {
		gen(c, n->kids[0], 1);
		int jf = emit(c, OP_JF, 0, 0, 0, -1);
		gen_as(c, n->kids[1], n->t->k);
		int jmp = emit(c, OP_JMP, 0, 0, 0, -1);
		if (jf >= 0)
			c->ins[jf].a = c->n - jf - 1;
		gen_as(c, n->kids[2], n->t->k);
		if (jmp >= 0)
			c->ins[jmp].a = c->n - jmp - 1;
		return;
	}
	default:
		break;
	}
	pol_err_at(c->pos, n->off, "无法编译的表达式", "expression cannot be compiled", NULL);
	c->failed = 1;
}

/* collapses runs of white space, for the explanation's "expr" */
static const char *collapse(struct arena *a, const char *s)
{
	size_t len = strlen(s), j = 0;
	char *o = arena_alloc(a, len + 1);

	if (!o)
		return s;
	for (size_t i = 0; i < len; i++) {
		int ws = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		if (ws && (j == 0 || o[j - 1] == ' '))
			continue;
		o[j++] = ws ? ' ' : s[i];
	}
	while (j > 0 && o[j - 1] == ' ')
		j--;
	o[j] = '\0';
	return o;
}

int pol_compile_expr(struct code *code, const char *src, const struct ptype *want, struct scope *sc,
		     struct arena *a, const struct srcpos *pos0, const char *what)
{
	struct srcpos pos = *pos0;
	struct node *n;
	const struct ptype *t;
	struct cc c;

	memset(code, 0, sizeof(*code));
	pos.src = src;
	code->text = collapse(a, src);
	n = pol_parse(src, a, &pos);
	if (!n)
		return -1;
	t = pol_check(n, sc, a, &pos);
	if (t->k == PT_ERR)
		return -1;
	if (want && !pol_type_eq(t, want)) {
		pol_err2(pos.errs, pos.file, pos.line, pos.col, "%s 的类型应为 %s，而不是 %s",
			 "%s must be of type %s, not %s", what, pol_type_name(want, sc->pack, a),
			 pol_type_name(t, sc->pack, a));
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.pos = &pos;
	gen(&c, n, 1);
	if (c.failed)
		return -1;
	if (c.maxsp > POL_MAX_STACK) {
		pol_err_at(&pos, 0, "表达式太复杂", "expression too complex", NULL);
		return -1;
	}
	code->ins = c.ins;
	code->n = c.n;
	code->consts = c.consts;
	code->nconsts = c.nconsts;
	code->paths = c.paths;
	code->npaths = c.npaths;
	code->t = t;
	code->ok = 1;
	return 0;
}
