#include "core/verr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"

void verr_init(struct verrors *ve, struct arena *a)
{
	ve->arena = a;
	ve->n = 0;
	ve->truncated = 0;
}

void verr_add(struct verrors *ve, const char *field, const char *code, const char *zh,
	      const char *en)
{
	if (ve->n >= VERR_MAX) {
		ve->truncated = 1;
		return;
	}
	struct verr *e = &ve->v[ve->n++];
	e->field = field ? arena_strdup(ve->arena, field) : NULL;
	e->code = arena_strdup(ve->arena, code);
	e->zh = arena_strdup(ve->arena, zh);
	e->en = arena_strdup(ve->arena, en);
	if (!e->code || !e->zh || !e->en) {
		e->code = "invalid";
		e->zh = "输入有误";
		e->en = "invalid input";
	}
}

void verr_addf(struct verrors *ve, const char *field, const char *code, const char *zh_fmt,
	       const char *en_fmt, ...)
{
	char zh[512], en[512];
	va_list ap;
	va_start(ap, en_fmt);
	va_list ap2;
	va_copy(ap2, ap);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(zh, sizeof zh, zh_fmt, ap);
	vsnprintf(en, sizeof en, en_fmt, ap2);
#pragma GCC diagnostic pop
	va_end(ap2);
	va_end(ap);
	verr_add(ve, field, code, zh, en);
}

void verr_prefix(struct verrors *ve, size_t from, const char *prefix)
{
	for (size_t i = from; i < ve->n; i++) {
		struct verr *e = &ve->v[i];
		const char *f = arena_printf(ve->arena, "%s%s%s", prefix, e->field ? "." : "",
					     e->field ? e->field : "");
		if (f)
			e->field = f;
	}
}

/*
 * Drops the errors at index >= from whose field already has an error before from: a
 * member that failed to parse is left unset, and the registry's rules would otherwise
 * add a second, misleading error for it ("required" for a name that was too long).
 */
void verr_drop_repeated_fields(struct verrors *ve, size_t from)
{
	size_t w = from;
	for (size_t i = from; i < ve->n; i++) {
		int seen = 0;
		for (size_t k = 0; k < from && !seen; k++)
			seen = ve->v[i].field && ve->v[k].field &&
			       strcmp(ve->v[i].field, ve->v[k].field) == 0;
		if (!seen)
			ve->v[w++] = ve->v[i];
	}
	ve->n = w;
}
