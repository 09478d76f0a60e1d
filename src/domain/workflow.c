/*
 * workflow.c — loading and querying the workflow definitions (see workflow.h).
 */
#include "domain/workflow.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "policy/policy.h"
#include "policy/pol_int.h"
#include "policy/yaml.h"

const char *const wf_actions_known[] = {"approve", "return", "reject", "withdraw",
					"resubmit", "close", NULL};
const char *const wf_conditions_known[] = {"employer_confirms", "announcement_clear", NULL};
static const char *const ROLES[] = {"applicant", "talent", "employer", "liaison", "town_reviewer",
				    "office_reviewer", "finance", NULL};

static struct arena *g_arena;
static struct workflow *g_wf[WF_MAX_KINDS];
static int g_n;

static int in_list(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

const struct wf_state *wf_state(const struct workflow *w, const char *id)
{
	for (int i = 0; id && i < w->nstates; i++)
		if (strcmp(w->states[i].id, id) == 0)
			return &w->states[i];
	return NULL;
}

const struct wf_transition *wf_transition(const struct workflow *w, const char *from,
					  const char *action)
{
	for (int i = 0; from && action && i < w->ntrans; i++)
		if (strcmp(w->trans[i].from, from) == 0 && strcmp(w->trans[i].action, action) == 0)
			return &w->trans[i];
	return NULL;
}

int wf_allowed(const struct workflow *w, const char *from, const char **out, int max)
{
	int n = 0;
	for (int i = 0; from && i < w->ntrans && n < max; i++)
		if (strcmp(w->trans[i].from, from) == 0)
			out[n++] = w->trans[i].action;
	return n;
}

const char *wf_transition_role(const struct workflow *w, const struct wf_transition *t)
{
	if (t->role)
		return t->role;
	const struct wf_state *s = wf_state(w, t->from);
	return s ? s->role : NULL;
}

const struct workflow *workflow_find(const char *kind)
{
	for (int i = 0; kind && i < g_n; i++)
		if (strcmp(g_wf[i]->id, kind) == 0)
			return g_wf[i];
	return NULL;
}

const struct workflow *workflow_nth(int i)
{
	return i >= 0 && i < g_n ? g_wf[i] : NULL;
}

void workflows_free(void)
{
	arena_free(g_arena);
	g_arena = NULL;
	g_n = 0;
}

/* ---- loading ---- */

struct ld {
	struct ydoc *d;
	struct arena *a;
	struct workflow *w;
};

static const char *str_at(struct ld *l, yaml_node_t *m, const char *key, int required)
{
	yaml_node_t *n = ydoc_get(l->d, m, key);
	const char *s = n ? ydoc_str(n) : NULL;
	if (n && (!s || !*s)) {
		ydoc_err(l->d, n, "应为非空文本", "expected a non-empty text", NULL);
		return NULL;
	}
	if (!n && required) {
		ydoc_err(l->d, m, "缺少必填项 “%s”", "missing required key '%s'", key);
		return NULL;
	}
	return s ? arena_strdup(l->a, s) : NULL;
}

static void title_at(struct ld *l, yaml_node_t *m, const char **zh, const char **en)
{
	static const char *const keys[] = {"zh", "en", NULL};
	yaml_node_t *t = ydoc_get(l->d, m, "title");
	*zh = *en = "";
	if (!t || t->type != YAML_MAPPING_NODE) {
		ydoc_err(l->d, t ? t : m, "title 应为 {zh, en}", "title must be {zh, en}", NULL);
		return;
	}
	ydoc_only_keys(l->d, t, keys);
	const char *z = str_at(l, t, "zh", 1), *e = str_at(l, t, "en", 1);
	*zh = z ? z : "";
	*en = e ? e : "";
}

static void load_states(struct ld *l, yaml_node_t *m)
{
	static const char *const keys[] = {"title", "role", "deadline_days", "public", "final", NULL};
	if (!m || m->type != YAML_MAPPING_NODE) {
		ydoc_err(l->d, m ? m : ydoc_root(l->d), "states 应为映射", "states must be a mapping",
			 NULL);
		return;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(l->d, p->key), *v = ydoc_node(l->d, p->value);
		const char *id = ydoc_str(k);
		if (!id || !v || v->type != YAML_MAPPING_NODE) {
			ydoc_err(l->d, k, "状态应为映射", "a state must be a mapping", NULL);
			continue;
		}
		if (l->w->nstates == WF_MAX_STATES) {
			ydoc_err(l->d, k, "状态太多", "too many states", NULL);
			return;
		}
		if (wf_state(l->w, id) || strcmp(id, "start") == 0) {
			ydoc_err(l->d, k, "状态 “%s” 重复或使用了保留名 start",
				 "state '%s' is defined twice or uses the reserved name start", id);
			continue;
		}
		struct wf_state *s = &l->w->states[l->w->nstates++];
		memset(s, 0, sizeof(*s));
		s->id = arena_strdup(l->a, id);
		ydoc_only_keys(l->d, v, keys);
		title_at(l, v, &s->title_zh, &s->title_en);
		yaml_node_t *f = ydoc_get(l->d, v, "final");
		const char *fs = f ? ydoc_str(f) : NULL;
		s->final = fs && strcmp(fs, "true") == 0;
		yaml_node_t *pb = ydoc_get(l->d, v, "public");
		const char *ps = pb ? ydoc_str(pb) : NULL;
		s->public = ps && strcmp(ps, "true") == 0;
		s->role = str_at(l, v, "role", !s->final);
		if (s->role && !in_list(s->role, ROLES))
			ydoc_err(l->d, ydoc_get(l->d, v, "role"), "未知角色 “%s”",
				 "unknown role '%s' (an account role or applicant)", s->role);
		yaml_node_t *dd = ydoc_get(l->d, v, "deadline_days");
		if (dd) {
			const char *ds = ydoc_str(dd);
			char *end;
			long n = ds ? strtol(ds, &end, 10) : -1;
			if (!ds || *end || n < 0 || n > 365)
				ydoc_err(l->d, dd, "期限应为 0 到 365 个工作日",
					 "deadline_days must be 0..365 working days", NULL);
			else
				s->deadline_days = (int)n;
		}
	}
}

static void load_transitions(struct ld *l, yaml_node_t *seq)
{
	static const char *const keys[] = {"from", "action", "to", "role", "when", NULL};
	if (!seq || seq->type != YAML_SEQUENCE_NODE) {
		ydoc_err(l->d, seq ? seq : ydoc_root(l->d), "transitions 应为列表",
			 "transitions must be a list", NULL);
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(l->d, *it);
		if (!m || m->type != YAML_MAPPING_NODE) {
			ydoc_err(l->d, m, "转换应为映射", "a transition must be a mapping", NULL);
			continue;
		}
		if (l->w->ntrans == WF_MAX_TRANSITIONS) {
			ydoc_err(l->d, m, "转换太多", "too many transitions", NULL);
			return;
		}
		ydoc_only_keys(l->d, m, keys);
		struct wf_transition t = {str_at(l, m, "from", 1), str_at(l, m, "action", 1),
					  str_at(l, m, "to", 1), str_at(l, m, "role", 0),
					  str_at(l, m, "when", 0)};
		if (!t.from || !t.action || !t.to)
			continue;
		const struct wf_state *from = wf_state(l->w, t.from);
		if (!from)
			ydoc_err(l->d, ydoc_get(l->d, m, "from"), "未知状态 “%s”", "unknown state '%s'", t.from);
		else if (from->final)
			ydoc_err(l->d, ydoc_get(l->d, m, "from"), "状态 “%s” 是终态，不能再转换",
				 "state '%s' is final: nothing leaves it", t.from);
		if (strcmp(t.to, "start") != 0 && !wf_state(l->w, t.to))
			ydoc_err(l->d, ydoc_get(l->d, m, "to"), "未知状态 “%s”", "unknown state '%s'", t.to);
		if (!in_list(t.action, wf_actions_known))
			ydoc_err(l->d, ydoc_get(l->d, m, "action"), "未知动作 “%s”",
				 "unknown action '%s' (approve, return, reject, withdraw, resubmit, close)",
				 t.action);
		if (t.role && !in_list(t.role, ROLES))
			ydoc_err(l->d, ydoc_get(l->d, m, "role"), "未知角色 “%s”", "unknown role '%s'", t.role);
		if (t.when && !in_list(t.when, wf_conditions_known))
			ydoc_err(l->d, ydoc_get(l->d, m, "when"), "未知条件 “%s”", "unknown condition '%s'",
				 t.when);
		if (wf_transition(l->w, t.from, t.action))
			ydoc_err(l->d, m, "状态 “%s” 的这个动作已有转换",
				 "state '%s' already has a transition for this action", t.from);
		if (!t.role && from && !from->role)
			ydoc_err(l->d, m, "须说明谁执行", "the transition needs a role", NULL);
		l->w->trans[l->w->ntrans++] = t;
	}
}

static void load_start(struct ld *l, yaml_node_t *seq)
{
	static const char *const keys[] = {"to", "when", NULL};
	if (!seq || seq->type != YAML_SEQUENCE_NODE) {
		ydoc_err(l->d, seq ? seq : ydoc_root(l->d), "start 应为列表", "start must be a list",
			 NULL);
		return;
	}
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(l->d, *it);
		if (!m || m->type != YAML_MAPPING_NODE || l->w->nstart == WF_MAX_START) {
			ydoc_err(l->d, m, "start 的每项应为 {to, when}", "each start rule is {to, when}",
				 NULL);
			continue;
		}
		ydoc_only_keys(l->d, m, keys);
		struct wf_start s = {str_at(l, m, "to", 1), str_at(l, m, "when", 0)};
		if (s.to && (!wf_state(l->w, s.to) || wf_state(l->w, s.to)->final))
			ydoc_err(l->d, ydoc_get(l->d, m, "to"), "“%s” 不是非终态的状态",
				 "'%s' is not a non-final state", s.to);
		if (s.when && !in_list(s.when, wf_conditions_known))
			ydoc_err(l->d, ydoc_get(l->d, m, "when"), "未知条件 “%s”", "unknown condition '%s'",
				 s.when);
		l->w->start[l->w->nstart++] = s;
	}
	if (l->w->nstart && l->w->start[l->w->nstart - 1].when)
		ydoc_err(l->d, seq, "最后一条 start 规则不能带条件",
			 "the last start rule must have no condition (somewhere to go always)", NULL);
}

/* Every non-final state must be reachable from the start rules. */
static void check_reachable(struct ld *l, yaml_node_t *root)
{
	struct workflow *w = l->w;
	char seen[WF_MAX_STATES] = {0};
	int changed = 1;
	for (int i = 0; i < w->nstart; i++) {
		const struct wf_state *s = w->start[i].to ? wf_state(w, w->start[i].to) : NULL;
		if (s)
			seen[s - w->states] = 1;
	}
	while (changed) {
		changed = 0;
		for (int i = 0; i < w->ntrans; i++) {
			const struct wf_state *f = wf_state(w, w->trans[i].from);
			const struct wf_state *t = wf_state(w, w->trans[i].to);
			if (f && t && seen[f - w->states] && !seen[t - w->states])
				seen[t - w->states] = changed = 1;
		}
	}
	for (int i = 0; i < w->nstates; i++)
		if (!seen[i])
			ydoc_err(l->d, root, "状态 “%s” 无法从 start 到达", "state '%s' cannot be reached from start",
				 w->states[i].id);
}

static void load_one(struct ydoc *d, struct arena *a, struct workflow *w)
{
	static const char *const keys[] = {"id", "title", "start", "states", "transitions", NULL};
	struct ld l = {d, a, w};
	yaml_node_t *root = ydoc_root(d);
	memset(w, 0, sizeof(*w));
	if (!root || root->type != YAML_MAPPING_NODE) {
		ydoc_err(d, root, "工作流文件应为映射", "a workflow file must be a mapping", NULL);
		return;
	}
	ydoc_only_keys(d, root, keys);
	w->id = str_at(&l, root, "id", 1);
	title_at(&l, root, &w->title_zh, &w->title_en);
	load_states(&l, ydoc_get(d, root, "states"));
	load_start(&l, ydoc_get(d, root, "start"));
	load_transitions(&l, ydoc_get(d, root, "transitions"));
	check_reachable(&l, root);
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

static int is_yaml(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	if (!f)
		return NULL;
	buf = malloc(POL_MAX_FILE + 1);
	if (buf) {
		*len = fread(buf, 1, POL_MAX_FILE + 1, f);
		buf[*len <= POL_MAX_FILE ? *len : POL_MAX_FILE] = '\0';
	}
	fclose(f);
	return buf;
}

int workflows_load(const char *dir, FILE *err)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, is_yaml, by_name);
	if (n < 0) {
		fprintf(err, "找不到工作流目录 %s（可用 --workflows DIR 指定） / workflows folder %s "
			     "not found (give one with --workflows DIR)\n", dir, dir);
		return -1;
	}
	struct arena *a = arena_new();
	struct pol_errors *errs = pol_errors_new();
	struct workflow *wf[WF_MAX_KINDS];
	int nw = 0, bad = !a || !errs;
	for (int i = 0; i < n && !bad; i++) {
		char *path = arena_printf(a, "%s/%s", dir, ents[i]->d_name);
		size_t len = 0;
		char *text = path ? slurp(path, &len) : NULL;
		struct ydoc d;
		if (!text) {
			fprintf(err, "%s: 无法读取 / cannot read\n", path ? path : dir);
			bad = 1;
			break;
		}
		if (nw == WF_MAX_KINDS) {
			fprintf(err, "%s: 工作流太多 / too many workflows\n", path);
			bad = 1;
		} else if (ydoc_load(&d, path, text, len, errs) == 0) {
			wf[nw] = arena_alloc(a, sizeof(struct workflow));
			if (!wf[nw])
				bad = 1;
			else {
				load_one(&d, a, wf[nw]);
				for (int j = 0; j < nw; j++)
					if (wf[nw]->id && wf[j]->id && strcmp(wf[nw]->id, wf[j]->id) == 0)
						pol_err(errs, path, 1, 1, "工作流 id “%s” 重复",
							"workflow id '%s' is used twice", wf[nw]->id);
				nw++;
			}
		}
		ydoc_free(&d);
		free(text);
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	int ne = pol_errors_count(errs);
	for (int i = 0; i < ne; i++)
		fprintf(err, "%s\n", pol_errors_get(errs, i));
	pol_errors_free(errs);
	if (bad || ne) {
		arena_free(a);
		return -1;
	}
	workflows_free();
	g_arena = a;
	memcpy(g_wf, wf, sizeof(wf[0]) * (size_t)nw);
	g_n = nw;
	return 0;
}

const char *workflows_default_dir(char *buf, size_t len)
{
	if (access("workflows", R_OK) == 0)
		return "workflows";
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? memrchr(exe, '/', (size_t)n) : NULL;
	if (!slash)
		return "workflows";
	*slash = '\0';
	int w = snprintf(buf, len, "%s/../workflows", exe);
	if (w <= 0 || (size_t)w >= len || access(buf, R_OK) != 0)
		return "workflows";
	return buf;
}
