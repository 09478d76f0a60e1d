#include "domain/enterprises.h"

#include <string.h>

#include "core/arena.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "domain/audit.h"
#include "domain/reference.h"
#include "store/store.h"


enum tp_rc enterprise_check(struct store *st, struct enterprise *e, struct verrors *ve)
{
	size_t before = ve->n;
	if (!e->name)
		verr_add(ve, "name", "required", "单位名称必填", "name is required");
	char code[19];
	enum uscc_err ue = uscc_normalize(e->credit_code ? e->credit_code : "", code);
	if (ue != USCC_OK)
		verr_add(ve, "credit_code", uscc_err_code(ue), uscc_err_zh(ue), uscc_err_en(ue));
	else
		e->credit_code = arena_strdup(ve->arena, code);
	if (!e->town)
		verr_add(ve, "town", "required", "所在镇街必填", "town is required");
	if (e->contact_phone && !phone_valid(e->contact_phone))
		verr_add(ve, "contact_phone", "phone_format",
			 "电话号码格式不正确（手机 11 位或区号-号码）",
			 "phone must be an 11-digit mobile or an area code and number");
	enum tp_rc rc;
	if ((rc = reference_check(st, REF_TOWN, "town", e->town, ve)) != TP_OK ||
	    (rc = reference_check(st, REF_INDUSTRY, "industry", e->industry, ve)) != TP_OK ||
	    (rc = reference_check(st, REF_SIZE, "size", e->size, ve)) != TP_OK)
		return rc;
	return ve->n > before ? TP_ERR_INVALID : TP_OK;
}

static enum tp_rc enterprise_write(struct store *st, const struct actor *who,
				   struct enterprise *e, struct verrors *ve, int create)
{
	enum tp_rc rc = enterprise_check(st, e, ve);
	if (rc != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	int64_t other = 0;
	rc = STORE_CALL(enterprise_find_credit_code, st, e->credit_code, &other);
	if (rc == TP_OK && (create || other != e->id)) {
		store_rollback(st);
		verr_add(ve, "credit_code", "credit_code_taken", "该统一社会信用代码已登记",
			 "this credit code is already registered");
		return TP_ERR_CONFLICT;
	}
	if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
		store_rollback(st);
		return rc;
	}
	rc = create ? STORE_CALL(enterprise_insert, st, e) : STORE_CALL(enterprise_update, st, e);
	if (rc == TP_OK)
		rc = audit_changef(st, who, create ? "enterprise.create" : "enterprise.update",
				   "enterprise", e->id, "v%lld|%s|%s|%s|%s|%s|%s",
				   (long long)e->version, e->name ? e->name : "",
				   e->credit_code ? e->credit_code : "", e->town ? e->town : "",
				   e->industry ? e->industry : "", e->size ? e->size : "",
				   e->address ? e->address : "");
	return store_end(st, rc);
}

enum tp_rc enterprise_create(struct store *st, const struct actor *who, struct enterprise *e,
			     struct verrors *ve)
{
	return enterprise_write(st, who, e, ve, 1);
}

enum tp_rc enterprise_save(struct store *st, const struct actor *who, struct enterprise *e,
			   struct verrors *ve)
{
	return enterprise_write(st, who, e, ve, 0);
}
