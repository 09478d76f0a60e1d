/*
 * errors.c — the list of load errors, "file:line:col: 中文 / English".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "policy/pol_int.h"

static void add(struct pol_errors *e, char *msg)
{
	if (!msg || e->n >= POL_MAX_ERRORS)
		return;
	if (e->n == e->cap) {
		int ncap = e->cap ? e->cap * 2 : 16;
		char **nm = arena_alloc(e->arena, sizeof(char *) * (size_t)ncap);

		if (!nm)
			return;
		if (e->n)
			memcpy(nm, e->msgs, sizeof(char *) * (size_t)e->n);
		e->msgs = nm;
		e->cap = ncap;
	}
	e->msgs[e->n++] = msg;
}

void pol_err2(struct pol_errors *e, const char *file, int line, int col, const char *zh_fmt,
	      const char *en_fmt, ...)
{
	char zh[512], en[512];
	va_list ap;

	va_start(ap, en_fmt);
	vsnprintf(zh, sizeof(zh), zh_fmt, ap);
	va_end(ap);
	va_start(ap, en_fmt);
	vsnprintf(en, sizeof(en), en_fmt, ap);
	va_end(ap);
	add(e, arena_printf(e->arena, "%s:%d:%d: %s / %s", file, line, col, zh, en));
}

void pol_err(struct pol_errors *e, const char *file, int line, int col, const char *zh,
	     const char *en, ...)
{
	char enb[512];
	va_list ap;

	va_start(ap, en);
	vsnprintf(enb, sizeof(enb), en, ap);
	va_end(ap);
	add(e, arena_printf(e->arena, "%s:%d:%d: %s / %s", file, line, col, zh, enb));
}

void pol_err_at(const struct srcpos *pos, int off, const char *zh, const char *en, const char *arg)
{
	int line = pos->line, col = pos->col;

	for (int i = 0; pos->src && i < off && pos->src[i]; i++)
		if (pos->src[i] == '\n') {
			line++;
			col = 1 - (i + 1);
		}
	pol_err2(pos->errs, pos->file, line, col + off, zh, en, arg ? arg : "");
}

int pol_errors_count(const struct pol_errors *errs)
{
	return errs ? errs->n : 0;
}

const char *pol_errors_get(const struct pol_errors *errs, int i)
{
	return errs && i >= 0 && i < errs->n ? errs->msgs[i] : NULL;
}

void pol_errors_free(struct pol_errors *errs)
{
	if (errs)
		arena_free(errs->arena);
}

struct pol_errors *pol_errors_new(void)
{
	struct arena *a = arena_new();
	struct pol_errors *e = a ? arena_alloc(a, sizeof(*e)) : NULL;

	if (!e) {
		arena_free(a);
		return NULL;
	}
	memset(e, 0, sizeof(*e));
	e->arena = a;
	return e;
}
