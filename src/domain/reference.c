#include "domain/reference.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "domain/audit.h"
#include "store/store.h"

enum tp_rc reference_check(struct store *st, enum ref_kind kind, const char *field,
			   const char *code, struct verrors *ve)
{
	if (!code)
		return TP_OK;
	enum tp_rc rc = STORE_CALL(ref_exists, st, kind, code);
	if (rc == TP_ERR_NOT_FOUND) {
		verr_addf(ve, field, "unknown_code", "代码“%s”不存在", "unknown code '%s'", code);
		return TP_OK;
	}
	return rc;
}

static int code_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	if (n < 1 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_'))
			return 0;
	return 1;
}

enum tp_rc industry_save(struct store *st, const struct actor *who, struct ref_item *it,
			 int create, struct verrors *ve)
{
	size_t before = ve->n;
	if (!code_ok(it->code))
		verr_add(ve, "code", "code_format", "代码须为 1 到 16 位大写字母、数字或下划线",
			 "code must be 1 to 16 of A-Z, 0-9 and _");
	if (!it->name_zh)
		verr_add(ve, "name_zh", "required", "中文名称必填", "name_zh is required");
	if (!it->name_en)
		verr_add(ve, "name_en", "required", "英文名称必填", "name_en is required");
	struct ref_item *all;
	size_t n;
	enum tp_rc rc = STORE_CALL(ref_list, st, REF_INDUSTRY, ve->arena, &all, &n);
	if (rc != TP_OK)
		return rc;
	const struct ref_item *self = NULL, *parent = NULL;
	int has_children = 0;
	for (size_t i = 0; i < n; i++) {
		if (it->code && strcmp(all[i].code, it->code) == 0)
			self = &all[i];
		if (it->parent && strcmp(all[i].code, it->parent) == 0)
			parent = &all[i];
		if (it->code && all[i].parent && strcmp(all[i].parent, it->code) == 0)
			has_children = 1;
	}
	if (it->parent) {
		if (it->code && strcmp(it->parent, it->code) == 0)
			verr_add(ve, "parent", "parent_self", "上级不能是自己",
				 "an industry cannot be its own parent");
		else if (!parent)
			verr_addf(ve, "parent", "unknown_code", "代码“%s”不存在",
				  "unknown code '%s'", it->parent);
		else if (parent->parent)
			verr_add(ve, "parent", "parent_not_group", "上级须为产业大类（无上级的代码）",
				 "the parent must be a group (a code without a parent)");
		else if (has_children)
			verr_add(ve, "parent", "group_has_children",
				 "该代码下已有产业，不能再挂到其他大类下",
				 "this code has industries under it and cannot get a parent");
	}
	if (ve->n > before)
		return TP_ERR_INVALID;
	if (create && self)
		return TP_ERR_CONFLICT;
	if (!create && !self)
		return TP_ERR_NOT_FOUND;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(industry_put, st, it, create);
	if (rc == TP_OK) {
		char change[256];
		int len = snprintf(change, sizeof change, "%s|%s|%s|%s", it->code, it->name_zh,
				   it->name_en, it->parent ? it->parent : "");
		rc = audit_append(st, who, create ? "industry.create" : "industry.update",
				  "industry", it->code, "ok", "", change, len > 0 ? (size_t)len : 0);
	}
	return store_end(st, rc);
}
