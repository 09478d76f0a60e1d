/*
 * lexer.c — tokens of the expression language (docs/policy-language.md).
 */
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

void pol_lex_init(struct lexer *lx, const char *src, size_t len, struct arena *a)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->arena = a;
}

static int is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static struct token bad(struct lexer *lx, int off, const char *zh, const char *en)
{
	struct token t = {T_BAD, off, 1, 0, NULL};

	lx->err = en;
	lx->errzh = zh;
	lx->erroff = off;
	return t;
}

static const struct {
	const char *w;
	enum tok k;
} keywords[] = {
	{"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"in", T_IN}, {"true", T_TRUE}, {"false", T_FALSE},
	{"if", T_IF}, {"then", T_THEN}, {"else", T_ELSE},
};

static struct token number(struct lexer *lx, size_t start)
{
	struct token t = {T_INT, (int)start, 0, 0, NULL};
	const char *s = lx->src;
	int64_t v = 0;
	size_t p = start;

	while (p < lx->len && is_digit((unsigned char)s[p])) {
		if (v > (INT64_MAX - 9) / 10)
			return bad(lx, (int)start, "数字太大", "number too large");
		v = v * 10 + (s[p++] - '0');
	}
	if (p + 1 < lx->len && s[p] == '.' && is_digit((unsigned char)s[p + 1])) {
		int frac = 0, nd = 0;

		p++;
		while (p < lx->len && is_digit((unsigned char)s[p])) {
			if (nd == 2)
				return bad(lx, (int)start, "小数最多两位", "a decimal has at most 2 places");
			frac = frac * 10 + (s[p++] - '0');
			nd++;
		}
		if (nd == 1)
			frac *= 10;
		if (v > INT64_MAX / 100 - 1)
			return bad(lx, (int)start, "数字太大", "number too large");
		t.k = T_DEC;
		v = v * 100 + frac;
	}
	if (p < lx->len && (is_ident_start((unsigned char)s[p])))
		return bad(lx, (int)start, "数字后跟着字母", "a letter right after a number");
	t.ival = v;
	t.len = (int)(p - start);
	lx->pos = p;
	return t;
}

struct token pol_lex_next(struct lexer *lx)
{
	const char *s = lx->src;
	struct token t = {T_EOF, 0, 0, 0, NULL};
	size_t p = lx->pos;

	while (p < lx->len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
		p++;
	t.off = (int)p;
	if (p >= lx->len) {
		lx->pos = p;
		return t;
	}
	unsigned char c = (unsigned char)s[p];
	if (is_digit(c))
		return number(lx, p);
	if (is_ident_start(c)) {
		size_t q = p;

		while (q < lx->len && (is_ident_start((unsigned char)s[q]) || is_digit((unsigned char)s[q])))
			q++;
		t.len = (int)(q - p);
		lx->pos = q;
		for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
			if (strlen(keywords[i].w) == (size_t)t.len && memcmp(keywords[i].w, s + p, q - p) == 0) {
				t.k = keywords[i].k;
				return t;
			}
		t.k = T_IDENT;
		t.s = arena_strndup(lx->arena, s + p, q - p);
		if (!t.s)
			return bad(lx, (int)p, "内存不足", "out of memory");
		return t;
	}
	if (c == '"') {
		size_t q = p + 1;

		while (q < lx->len && s[q] != '"' && s[q] != '\n')
			q++;
		if (q >= lx->len || s[q] != '"')
			return bad(lx, (int)p, "字符串没有结束的引号", "unterminated string");
		t.k = T_STR;
		t.s = arena_strndup(lx->arena, s + p + 1, q - p - 1);
		if (!t.s)
			return bad(lx, (int)p, "内存不足", "out of memory");
		t.len = (int)(q + 1 - p);
		lx->pos = q + 1;
		return t;
	}
	char d = p + 1 < lx->len ? s[p + 1] : '\0';
	t.len = 1;
	switch (c) {
	case '.':
		if (d == '.') {
			t.k = T_DOTDOT;
			t.len = 2;
		} else {
			t.k = T_DOT;
		}
		break;
	case ',': t.k = T_COMMA; break;
	case '(': t.k = T_LP; break;
	case ')': t.k = T_RP; break;
	case '[': t.k = T_LB; break;
	case ']': t.k = T_RB; break;
	case '+': t.k = T_PLUS; break;
	case '*': t.k = T_STAR; break;
	case '/': t.k = T_SLASH; break;
	case '-':
		if (d == '>') {
			t.k = T_ARROW;
			t.len = 2;
		} else {
			t.k = T_MINUS;
		}
		break;
	case '=':
		if (d != '=')
			return bad(lx, (int)p, "用 == 比较", "use == to compare");
		t.k = T_EQ;
		t.len = 2;
		break;
	case '!':
		if (d != '=')
			return bad(lx, (int)p, "用 not 表示否定", "use not for negation");
		t.k = T_NE;
		t.len = 2;
		break;
	case '<':
		t.k = d == '=' ? T_LE : T_LT;
		t.len = d == '=' ? 2 : 1;
		break;
	case '>':
		t.k = d == '=' ? T_GE : T_GT;
		t.len = d == '=' ? 2 : 1;
		break;
	default:
		return bad(lx, (int)p, "无法识别的字符", "unexpected character");
	}
	lx->pos = p + (size_t)t.len;
	return t;
}

const char *pol_tok_name(enum tok k)
{
	static const char *const names[] = {
		"end of expression", "integer", "decimal", "string", "name", "and", "or", "not", "in",
		"true", "false", ".", "..", ",", "(", ")", "[", "]", "->", "+", "-", "*", "/", "==",
		"!=", "<", "<=", ">", ">=", "bad token", "if", "then", "else",
	};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
