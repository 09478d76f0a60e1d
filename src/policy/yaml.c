/*
 * yaml.c — see yaml.h.
 */
#include <string.h>

#include "policy/pol_int.h"
#include "policy/yaml.h"

int ydoc_load(struct ydoc *d, const char *file, const char *text, size_t len, struct pol_errors *errs)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, depth = 0;

	memset(d, 0, sizeof(*d));
	d->file = file;
	d->errs = errs;
	if (len > POL_MAX_FILE) {
		pol_err(errs, file, 1, 1, "文件太大", "file too large (over %u bytes)", POL_MAX_FILE);
		return -1;
	}
	/* first pass: refuse aliases and deep nesting */
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			pol_err(errs, file, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
				"YAML 语法错误", "YAML syntax error: %s", p.problem ? p.problem : "?");
			rc = -1;
			break;
		}
		yaml_event_type_t t = ev.type;
		if (t == YAML_ALIAS_EVENT) {
			pol_err(errs, file, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				"不支持 YAML 别名", "YAML aliases are not supported");
			rc = -1;
		}
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
			depth++;
		if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > 32 && rc == 0) {
			pol_err(errs, file, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				"YAML 嵌套太深", "YAML nested too deeply");
			rc = -1;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT || rc)
			break;
	}
	yaml_parser_delete(&p);
	if (rc)
		return -1;
	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		pol_err(errs, file, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
			"YAML 语法错误", "YAML syntax error: %s", p.problem ? p.problem : "?");
		yaml_parser_delete(&p);
		return -1;
	}
	d->loaded = 1;
	yaml_parser_delete(&p);
	if (!yaml_document_get_root_node(&d->doc) ||
	    yaml_document_get_root_node(&d->doc)->type != YAML_MAPPING_NODE) {
		pol_err(errs, file, 1, 1, "文件应为一个 YAML 映射", "the file must be a YAML mapping");
		return -1;
	}
	return 0;
}

void ydoc_free(struct ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = 0;
}

yaml_node_t *ydoc_root(struct ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *ydoc_node(struct ydoc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = ydoc_str(ydoc_node(d, p->key));
		if (k && strcmp(k, key) == 0)
			return ydoc_node(d, p->value);
	}
	return NULL;
}

const char *ydoc_str(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int ydoc_line(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 1;
}

int ydoc_col(const yaml_node_t *n)
{
	if (!n)
		return 1;
	int quoted = n->type == YAML_SCALAR_NODE && (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
						     n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	return (int)n->start_mark.column + 1 + quoted;
}

void ydoc_err(struct ydoc *d, const yaml_node_t *n, const char *zh, const char *en, const char *arg)
{
	pol_err2(d->errs, d->file, ydoc_line(n), ydoc_col(n), zh, en, arg ? arg : "");
}

void ydoc_only_keys(struct ydoc *d, yaml_node_t *m, const char *const *allowed)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ydoc_node(d, p->key);
		const char *k = ydoc_str(kn);
		int ok = 0;

		for (int i = 0; k && allowed[i]; i++)
			if (strcmp(allowed[i], k) == 0)
				ok = 1;
		if (!ok)
			ydoc_err(d, kn, "未知的键 “%s”", "unknown key '%s'", k ? k : "?");
	}
}
