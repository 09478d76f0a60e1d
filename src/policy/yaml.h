/*
 * yaml.h — a read-only view of one YAML document for the pack loader: nodes
 * with their line:column, looked up by key.  Built on libyaml's document API;
 * aliases are refused (no billion laughs) and input size is capped.
 */
#ifndef TP_POL_YAML_H
#define TP_POL_YAML_H

#include <stddef.h>

#include <yaml.h>

#define POL_MAX_FILE (1u << 20)

struct ydoc {
	yaml_document_t doc;
	int loaded;
	const char *file;
	struct pol_errors *errs;
};

/* Parses text; 0 on success, -1 after reporting the syntax error (free with ydoc_free()
 * either way). */
int ydoc_load(struct ydoc *d, const char *file, const char *text, size_t len, struct pol_errors *errs);
void ydoc_free(struct ydoc *d);

yaml_node_t *ydoc_root(struct ydoc *d);
yaml_node_t *ydoc_node(struct ydoc *d, int id);
/* The value of key in mapping m, or NULL (also when m is not a mapping). */
yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *m, const char *key);
/* A scalar's text, or NULL when n is not a scalar. */
const char *ydoc_str(yaml_node_t *n);
/* 1-based line and column of n; a quoted scalar's column is its first character's. */
int ydoc_line(const yaml_node_t *n);
int ydoc_col(const yaml_node_t *n);

/* Reports at n. */
void ydoc_err(struct ydoc *d, const yaml_node_t *n, const char *zh, const char *en, const char *arg);

/* Reports every key of mapping m that is not in allowed (NULL-terminated). */
void ydoc_only_keys(struct ydoc *d, yaml_node_t *m, const char *const *allowed);

#endif
