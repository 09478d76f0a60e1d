/*
 * standard_text.c — a tier proposal (standard.h) as an indented tree for people,
 * in Chinese or English, rendered from the proposal document itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/standard.h"

struct buf {
	char *s;
	size_t len, cap;
	int oom;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
		char *ns = realloc(b->s, nc);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *title(const json_t *o, int en)
{
	return str(json_object_get(o, "title"), en ? "en" : "zh");
}

/* "a, b, c" of a JSON array of strings, or the none text */
static void ids(struct buf *b, const json_t *arr, const char *none)
{
	size_t i;
	json_t *v;

	if (json_array_size(arr) == 0) {
		put(b, "%s", none);
		return;
	}
	json_array_foreach(arr, i, v)
		put(b, "%s%s", i ? ", " : "", json_string_value(v) ? json_string_value(v) : "?");
}

static void values(struct buf *b, const json_t *vals)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach((json_t *)vals, k, v) {
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		put(b, "%s%s = %s", first ? "" : ", ", k, t ? t : "?");
		free(t);
		first = 0;
	}
}

static void criterion(struct buf *b, const json_t *c, int en)
{
	size_t i;
	json_t *cond, *p;

	put(b, "    [%s] %s (%s)%s\n", json_is_true(json_object_get(c, "result")) ? "✓" : " ",
	    title(c, en), str(c, "id"),
	    json_is_true(json_object_get(c, "direct")) ? (en ? " — recorded directly" : "（直接认定）") : "");
	put(b, "        %s%s\n", en ? "source: " : "依据：", str(c, "source"));
	json_array_foreach(json_object_get(c, "conditions"), i, cond) {
		const char *res = json_is_true(json_object_get(cond, "result")) ? (en ? "true" : "成立")
				  : json_is_true(json_object_get(cond, "missing")) ? (en ? "missing facts" : "缺少事实")
				  : (en ? "false" : "不成立");
		put(b, "        %s → %s", str(cond, "expr"), res);
		if (json_object_size(json_object_get(cond, "values"))) {
			put(b, " (");
			values(b, json_object_get(cond, "values"));
			put(b, ")");
		}
		put(b, "\n");
	}
	json_array_foreach(json_object_get(c, "parameters"), i, p) {
		char *t = json_dumps(json_object_get(p, "value"), JSON_ENCODE_ANY | JSON_COMPACT);
		put(b, "        %s%s = %s (%s %s; %s)\n", en ? "parameter " : "参数 ", str(p, "name"), t ? t : "?",
		    en ? "since" : "自", str(p, "since"), str(p, "source"));
		free(t);
	}
}

char *pol_standard_text(const json_t *doc, const char *lang)
{
	int en = lang && strcmp(lang, "en") == 0;
	struct buf b = {NULL, 0, 0, 0};
	const json_t *tiers = json_object_get(json_object_get(doc, "explanation"), "tiers");
	json_t *t, *c;
	size_t i, k;

	if (!json_is_object(doc) || !json_is_array(tiers))
		return NULL;
	put(&b, "%s %s (%s)\n", en ? "Proposal under" : "认定标准", str(doc, "standard"), str(doc, "on"));
	if (json_is_integer(json_object_get(doc, "tier"))) {
		put(&b, en ? "Proposed tier: %lld — %s\n" : "建议层次：第 %lld 层次 — %s\n",
		    (long long)json_integer_value(json_object_get(doc, "tier")), title(doc, en));
		put(&b, "%s", en ? "Matched: " : "符合条件：");
		ids(&b, json_object_get(doc, "matched"), "");
		put(&b, "\n");
		put(&b, "%s\n", json_is_true(json_object_get(doc, "direct"))
				   ? (en ? "Recorded directly, without a second review (provincial or Quanzhou certification)."
					 : "已获省级或泉州市认定：直接按对应层次认定，不再重复评审。")
				   : (en ? "Needs review." : "需经审核。"));
	} else {
		put(&b, "%s\n", en ? "No criterion holds: no tier can be proposed." : "没有符合的条件，无法建议层次。");
	}
	if (json_is_integer(json_object_get(doc, "direct_tier")) && !json_is_true(json_object_get(doc, "direct")))
		put(&b, en ? "Also certified at tier %lld by the province or Quanzhou (recorded directly).\n"
			   : "另已获省级或泉州市认定，可直接认定为第 %lld 层次。\n",
		    (long long)json_integer_value(json_object_get(doc, "direct_tier")));
	if (json_array_size(json_object_get(doc, "missing"))) {
		put(&b, "%s", en ? "Facts not given: " : "未提供的事实：");
		ids(&b, json_object_get(doc, "missing"), "");
		put(&b, "\n");
	}
	json_array_foreach(tiers, i, t) {
		put(&b, en ? "\nTier %lld — %s: %s\n" : "\n第 %lld 层次 — %s：%s\n",
		    (long long)json_integer_value(json_object_get(t, "tier")), title(t, en),
		    json_is_true(json_object_get(t, "result")) ? (en ? "holds" : "符合") : (en ? "does not hold" : "不符合"));
		if (json_object_get(t, "no_value_in_force"))
			put(&b, en ? "    parameter %s has no value in force on this day\n" : "    参数 %s 在该日没有生效的取值\n",
			    str(t, "no_value_in_force"));
		json_array_foreach(json_object_get(t, "criteria"), k, c)
			criterion(&b, c, en);
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
