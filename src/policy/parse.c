/*
 * parse.c — precedence-climbing parser of one expression into a tree
 * (docs/policy-language.md, "Expressions").  Nesting is capped at POL_MAX_DEPTH
 * so hostile input cannot exhaust the C stack.
 *
 * Precedence, loosest first: or; and; not; comparisons and in; ..; + -; * /;
 * unary -; postfix . [] ().
 */
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

struct parser {
	struct lexer lx;
	struct token cur;
	struct arena *a;
	const struct srcpos *pos;
	const char *src;
	int depth;
	int failed;
};

static void perr(struct parser *p, int off, const char *zh, const char *en, const char *arg)
{
	int line = p->pos->line, col = p->pos->col;

	if (p->failed)
		return;
	p->failed = 1;
	for (int i = 0; i < off && p->src[i]; i++) {
		if (p->src[i] == '\n') {
			line++;
			col = 1 - (i + 1);
		}
	}
	col += off;
	pol_err2(p->pos->errs, p->pos->file, line, col, zh, en, arg ? arg : "");
}

static void advance(struct parser *p)
{
	p->cur = pol_lex_next(&p->lx);
	if (p->cur.k == T_BAD)
		perr(p, p->lx.erroff, p->lx.errzh, p->lx.err, NULL);
}

static struct node *mk(struct parser *p, enum nkind k, int off, int nkids)
{
	struct node *n = arena_alloc(p->a, sizeof(*n));

	if (!n) {
		perr(p, off, "内存不足", "out of memory", NULL);
		return NULL;
	}
	n->k = k;
	n->off = off;
	n->nkids = nkids;
	if (nkids > 0) {
		n->kids = arena_alloc(p->a, sizeof(struct node *) * (size_t)nkids);
		if (!n->kids) {
			perr(p, off, "内存不足", "out of memory", NULL);
			return NULL;
		}
	}
	return n;
}

static int expect(struct parser *p, enum tok k)
{
	if (p->cur.k != k) {
		if (p->cur.k != T_BAD)
			perr(p, p->cur.off, "此处应为 “%s”", "expected '%s' here", pol_tok_name(k));
		return -1;
	}
	advance(p);
	return 0;
}

static struct node *expr(struct parser *p, int minprec);

static int binprec(enum tok k)
{
	switch (k) {
	case T_OR: return 1;
	case T_AND: return 2;
	case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE: case T_IN: return 4;
	case T_DOTDOT: return 5;
	case T_PLUS: case T_MINUS: return 6;
	case T_STAR: case T_SLASH: return 7;
	default: return 0;
	}
}

/* a call's arguments; an argument "x -> body" is a lambda */
static struct node *call(struct parser *p, struct node *fn)
{
	struct node *args[8];
	int n = 0;

	advance(p); /* ( */
	if (p->cur.k != T_RP) {
		for (;;) {
			struct node *arg;

			if (n == 8) {
				perr(p, p->cur.off, "参数太多", "too many arguments", NULL);
				return NULL;
			}
			if (p->cur.k == T_IDENT) {
				struct lexer save = p->lx;
				struct token id = p->cur;

				advance(p);
				if (p->cur.k == T_ARROW) {
					advance(p);
					arg = mk(p, N_LAMBDA, id.off, 1);
					if (!arg)
						return NULL;
					arg->name = id.s;
					if (!(arg->kids[0] = expr(p, 1)))
						return NULL;
				} else {
					p->lx = save;
					p->cur = id;
					arg = expr(p, 1);
				}
			} else {
				arg = expr(p, 1);
			}
			if (!arg)
				return NULL;
			args[n++] = arg;
			if (p->cur.k != T_COMMA)
				break;
			advance(p);
		}
	}
	if (expect(p, T_RP))
		return NULL;
	struct node *c = mk(p, N_CALL, fn->off, n);
	if (!c)
		return NULL;
	c->name = fn->name;
	if (n > 0)
		memcpy(c->kids, args, sizeof(args[0]) * (size_t)n);
	return c;
}

static struct node *primary(struct parser *p)
{
	struct token t = p->cur;
	struct node *n = NULL;

	switch (t.k) {
	case T_INT:
	case T_DEC:
		n = mk(p, t.k == T_INT ? N_INT : N_DEC, t.off, 0);
		if (n)
			n->ival = t.ival;
		advance(p);
		break;
	case T_STR:
		n = mk(p, N_STR, t.off, 0);
		if (n)
			n->name = t.s;
		advance(p);
		break;
	case T_TRUE:
	case T_FALSE:
		n = mk(p, N_BOOL, t.off, 0);
		if (n)
			n->ival = t.k == T_TRUE;
		advance(p);
		break;
	case T_IDENT:
		n = mk(p, N_NAME, t.off, 0);
		if (n)
			n->name = t.s;
		advance(p);
		if (n && p->cur.k == T_LP)
			n = call(p, n);
		break;
	case T_LP:
		advance(p);
		n = expr(p, 1);
		if (n && expect(p, T_RP))
			return NULL;
		break;
	case T_LB: {
		struct node *items[64];
		int k = 0;

		advance(p);
		while (p->cur.k != T_RB) {
			if (k == 64) {
				perr(p, p->cur.off, "列表太长", "list too long", NULL);
				return NULL;
			}
			if (!(items[k++] = expr(p, 1)))
				return NULL;
			if (p->cur.k != T_COMMA)
				break;
			advance(p);
		}
		if (expect(p, T_RB))
			return NULL;
		n = mk(p, N_LISTLIT, t.off, k);
		if (n && k > 0)
			memcpy(n->kids, items, sizeof(items[0]) * (size_t)k);
		break;
	}
	case T_NOT:
	case T_MINUS:
		advance(p);
		n = mk(p, N_UNARY, t.off, 1);
		if (!n)
			return NULL;
		n->op = t.k;
		if (!(n->kids[0] = expr(p, t.k == T_NOT ? 3 : 8)))
			return NULL;
		return n;
	case T_IF:
		advance(p);
		n = mk(p, N_IF, t.off, 3);
		if (!n || !(n->kids[0] = expr(p, 1)) || expect(p, T_THEN) || !(n->kids[1] = expr(p, 1)) ||
		    expect(p, T_ELSE) || !(n->kids[2] = expr(p, 1)))
			return NULL;
		return n;
	case T_BAD:
		return NULL;
	default:
		perr(p, t.off, "此处应为一个值，而不是 “%s”", "expected a value, not '%s'", pol_tok_name(t.k));
		return NULL;
	}
	/* postfix */
	while (n && (p->cur.k == T_DOT || p->cur.k == T_LB)) {
		struct token op = p->cur;

		advance(p);
		if (op.k == T_DOT) {
			if (p->cur.k != T_IDENT) {
				perr(p, p->cur.off, "“.” 后应为字段名", "expected a field name after '.'", NULL);
				return NULL;
			}
			struct node *f = mk(p, N_FIELD, op.off, 1);
			if (!f)
				return NULL;
			f->kids[0] = n;
			f->name = p->cur.s;
			advance(p);
			n = f;
		} else {
			struct node *ix = mk(p, N_INDEX, op.off, 2);
			if (!ix)
				return NULL;
			ix->kids[0] = n;
			if (!(ix->kids[1] = expr(p, 1)) || expect(p, T_RB))
				return NULL;
			n = ix;
		}
	}
	return n;
}

static struct node *expr(struct parser *p, int minprec)
{
	struct node *lhs;

	if (++p->depth > POL_MAX_DEPTH) {
		perr(p, p->cur.off, "表达式嵌套太深", "expression nested too deeply", NULL);
		return NULL;
	}
	lhs = primary(p);
	while (lhs) {
		enum tok k = p->cur.k;
		int prec = binprec(k);
		struct node *rhs, *b;

		if (prec == 0 || prec < minprec)
			break;
		int off = p->cur.off;
		advance(p);
		/* comparisons do not chain: a < b < c is an error */
		rhs = expr(p, prec == 4 ? 5 : prec + 1);
		if (!rhs)
			return NULL;
		b = mk(p, k == T_DOTDOT ? N_RANGE : N_BINARY, off, 2);
		if (!b)
			return NULL;
		b->op = k;
		b->kids[0] = lhs;
		b->kids[1] = rhs;
		lhs = b;
		if (prec == 4 && binprec(p->cur.k) == 4) {
			perr(p, p->cur.off, "比较不能连写，请用 and", "comparisons do not chain; use and", NULL);
			return NULL;
		}
	}
	p->depth--;
	return lhs;
}

struct node *pol_parse(const char *src, struct arena *a, const struct srcpos *pos)
{
	struct parser p;
	struct node *n;
	size_t len = strlen(src);

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.pos = pos;
	p.src = src;
	if (len > POL_MAX_EXPR) {
		perr(&p, 0, "表达式太长", "expression too long", NULL);
		return NULL;
	}
	pol_lex_init(&p.lx, src, len, a);
	advance(&p);
	if (p.failed)
		return NULL;
	if (p.cur.k == T_EOF) {
		perr(&p, 0, "表达式为空", "empty expression", NULL);
		return NULL;
	}
	n = expr(&p, 1);
	if (n && p.cur.k != T_EOF && !p.failed)
		perr(&p, p.cur.off, "表达式在此处多出了 “%s”", "unexpected '%s' after the expression",
		     pol_tok_name(p.cur.k));
	return p.failed ? NULL : n;
}
