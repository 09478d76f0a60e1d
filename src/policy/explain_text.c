/*
 * explain_text.c — `talentport policy explain`: one entitlement's explanation
 * as an indented tree for people, in Chinese (default) or English.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "policy/explain_int.h"

struct tx {
	const struct pol_pack *pk;
	const struct pol_select *sel;
	int en;
	struct jw out; /* used only as a growing text buffer */
	int found;
};

static void put(struct tx *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct tx *t, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	struct jw *w = &t->out;
	if (w->oom)
		return;
	if (w->len + (size_t)n + 1 > w->cap) {
		size_t nc = (w->cap ? w->cap * 2 : 4096) + (size_t)n;
		char *nb = realloc(w->buf, nc);
		if (!nb) {
			w->oom = 1;
			return;
		}
		w->buf = nb;
		w->cap = nc;
	}
	memcpy(w->buf + w->len, buf, (size_t)n);
	w->len += (size_t)n;
	w->buf[w->len] = '\0';
}

/* a value as compact JSON text */
static void val(struct tx *t, const struct ptype *ty, struct pval v, char *buf, size_t len)
{
	struct jw w;
	size_t n;

	jw_init(&w);
	if (!v.present) {
		snprintf(buf, len, "%s", t->en ? "(missing)" : "（缺失）");
		return;
	}
	pol_value_json(&w, t->pk, ty, v, 0);
	char *s = jw_finish(&w, &n);
	snprintf(buf, len, "%s", s ? s : "?");
	free(s);
}

static void reads(struct tx *t, const struct pol_trace *tr, const char *ind)
{
	char key[160], v[512];

	for (int i = 0; i < tr->nreads; i++) {
		val(t, tr->reads[i].t, tr->reads[i].v, v, sizeof(v));
		put(t, "%s%s = %s\n", ind, pol_path_key(&tr->reads[i], key, sizeof(key)), v);
	}
}

static const char *mark(int r)
{
	return r == 1 ? "✓" : r == 0 ? "✗" : "?";
}

static int ent_text(void *arg, const struct ent *e)
{
	struct tx *t = arg;
	const struct ppolicy *p = e->pol;
	const struct expl *x = e->x;
	char key[16], v[512];
	int en = t->en;

	if (strcmp(p->id, t->sel->policy) != 0 || t->found)
		return 0;
	if (t->sel->item && (!e->item || strcmp(t->sel->item, e->item) != 0))
		return 0;
	if (t->sel->instalment && t->sel->instalment != e->instalment)
		return 0;
	if (t->sel->month && t->sel->month != e->month)
		return 0;
	t->found = 1;
	pol_period_key(e, key, sizeof(key));
	put(t, "%s (%s)\n", en ? p->title_en : p->title_zh, p->id);
	put(t, "  %s: %s%s%s, %s %s, %s %d\n", en ? "beneficiary" : "受益人", e->beneficiary,
	    e->item ? (en ? ", item " : "，项目 ") : "", e->item ? e->item : "", en ? "period" : "期间", key,
	    en ? "instalment" : "期次", e->instalment);
	if (p->basis[0])
		put(t, "  %s: %s\n", en ? "basis" : "依据", p->basis);
	static const char *const st_zh[] = {"发放", "排除（就高不重复）", "不符合条件"};
	static const char *const st_en[] = {"granted", "excluded (the highest only)", "ineligible"};
	put(t, "  %s: %s", en ? "status" : "结果", en ? st_en[e->status] : st_zh[e->status]);
	if (p->kind <= KIND_LOAN)
		put(t, ", %s %lld %s\n", en ? "amount" : "金额", (long long)e->amount, en ? "fen" : "分");
	else
		put(t, ", %s %lld\n", en ? "quantity" : "数量", (long long)e->amount);
	if (e->excluded_by)
		put(t, "  %s: %s\n", en ? "excluded by" : "被排除，胜出的是", e->excluded_by->id);
	if (x->no_param)
		put(t, "  %s: %s\n", en ? "no parameter value in force for this period" : "本期间没有生效的参数值",
		    x->no_param);
	put(t, "  %s:\n", en ? "conditions" : "条件");
	for (int i = 0; i < x->nconds; i++) {
		put(t, "    %s %s%s\n", mark(x->conds[i].result), x->conds[i].expr,
		    x->conds[i].result < 0 ? (en ? "  (missing facts: false)" : "（事实缺失，视为不成立）") : "");
		reads(t, &x->conds[i].tr, "        ");
	}
	if (p->nlets) {
		put(t, "  %s:\n", en ? "intermediate values" : "中间值");
		for (int i = 0; i < p->nlets; i++) {
			val(t, p->lets[i].c.t, x->let_vals[i], v, sizeof(v));
			put(t, "    %s = %s    (%s)\n", p->lets[i].name, v, p->lets[i].c.text);
		}
	}
	const struct pol_trace *tr[POL_MAX_CONDS + 4];
	int ntr;
	pol_expl_collect(x, tr, &ntr);
	put(t, "  %s:\n", en ? "parameters" : "参数");
	for (int k = 0; k < ntr; k++)
		for (int i = 0; i < tr[k]->npuses; i++) {
			const struct pol_param_use *u = &tr[k]->puses[i];
			const struct pparam *pp = &p->params[u->param];
			char since[11], kb[600] = "";
			date_format(pp->vals[u->ver].since, since);
			if (u->has_key)
				snprintf(kb, sizeof(kb), "[%s]",
					 pp->t->enum_id >= 0 ? t->pk->enums[pp->t->enum_id].values[u->key]
							     : (snprintf(v, sizeof(v), "%lld", (long long)u->key), v));
			val(t, pp->t->k == PT_MAP ? pp->t->of : pp->t, u->v, v, sizeof(v));
			put(t, "    %s%s = %s  (%s %s; %s: %s)\n", pp->name, kb, v, en ? "since" : "自", since,
			    en ? "source" : "来源", pp->vals[u->ver].source);
		}
	val(t, p->amount.t, x->amount, v, sizeof(v));
	put(t, "  %s: %s = %s\n", en ? "amount" : "金额", p->amount.text, v);
	if (p->ninst) {
		val(t, p->amount.t, x->inst_amount, v, sizeof(v));
		put(t, "  %s %d: %s = %s\n", en ? "instalment" : "分期", e->instalment, x->inst_amount_expr, v);
		if (x->has_inst_cond) {
			put(t, "    %s %s\n", mark(x->inst_cond.result), x->inst_cond.expr);
			reads(t, &x->inst_cond.tr, "        ");
		}
	}
	put(t, "  %s:", en ? "missing facts" : "缺失的事实");
	int nm = 0;
	for (int k = 0; k < ntr; k++)
		for (int i = 0; i < tr[k]->nmissing; i++, nm++)
			put(t, " %s", tr[k]->missing[i]);
	put(t, "%s\n", nm ? "" : (en ? " none" : " 无"));
	if (e->g) {
		const struct pgroup *g = &t->pk->groups[e->g->id];
		put(t, "  %s: %s — %s %s\n", en ? "exclusive group" : "互斥组", en ? g->en : g->zh,
		    en ? "granted to" : "胜出", e->g->winner ? e->g->winner->id : "-");
		for (int i = 0; i < e->g->n; i++)
			put(t, "    %s: %lld %s\n", e->g->cand[i]->id, (long long)e->g->total[i], en ? "fen" : "分");
	}
	return 0;
}

char *pol_explain_text(const struct pol_pack *pk, const struct pol_facts *f, int year,
		       const struct pol_select *sel, const char *lang, int *notfound)
{
	struct tx t;

	memset(&t, 0, sizeof(t));
	t.pk = pk;
	t.sel = sel;
	t.en = lang && strcmp(lang, "en") == 0;
	*notfound = 0;
	if (pol_enumerate(pk, f, year, 1, 1, ent_text, &t) || t.out.oom) {
		free(t.out.buf);
		return NULL;
	}
	if (!t.found) {
		*notfound = 1;
		free(t.out.buf);
		return NULL;
	}
	return t.out.buf;
}
