/*
 * apprentices.c — the apprentice register (see apprentices.h): checks and audited writes.
 */
#include "domain/apprentices.h"

#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "store/apprentices.h"
#include "store/store.h"

const char *const APPRENTICE_LEVELS[] = {"intermediate", "advanced", NULL};

/* 1 when d is a date YYYY-MM-DD in 2000..2100. */
static int date_ok(const char *d)
{
	struct civil_date c;
	return d && date_parse(d, &c) == 0 && c.y >= 2000 && c.y <= 2100;
}

size_t apprentice_check(struct apprentice *a, int create, struct verrors *ve)
{
	size_t before = ve->n;
	size_t nl = a->name ? jsonx_utf8_len(a->name) : 0;
	if (nl < 1 || nl > 50)
		verr_add(ve, "name", "length", "学徒姓名为 1 到 50 个字",
			 "name must be 1 to 50 characters");
	if (create) {
		char idn[19];
		enum idcard_err ie = idcard_normalize(a->id_number ? a->id_number : "", idn);
		if (ie != IDCARD_OK)
			verr_add(ve, "id_number", idcard_err_code(ie), idcard_err_zh(ie),
				 idcard_err_en(ie));
		else
			a->id_number = arena_strdup(ve->arena, idn);
	}
	int lv = 0;
	for (int i = 0; a->level && APPRENTICE_LEVELS[i]; i++)
		lv |= strcmp(a->level, APPRENTICE_LEVELS[i]) == 0;
	if (!lv)
		verr_add(ve, "level", "enum", "培训等级应为 intermediate（中级工班）或 advanced（高级工班）",
			 "level must be intermediate or advanced");
	if (a->enrolled_on && !date_ok(a->enrolled_on))
		verr_add(ve, "enrolled_on", "date", "入学日期应为 2000 到 2100 年间的 YYYY-MM-DD",
			 "enrolled_on must be a date YYYY-MM-DD in 2000..2100");
	if (a->completed_on && !date_ok(a->completed_on))
		verr_add(ve, "completed_on", "date", "结业日期应为 2000 到 2100 年间的 YYYY-MM-DD",
			 "completed_on must be a date YYYY-MM-DD in 2000..2100");
	else if (a->completed_on && !a->enrolled_on)
		verr_add(ve, "completed_on", "needs_enrolment", "须先填写入学日期，才能填写结业日期",
			 "completed_on needs enrolled_on: record the enrolment date first");
	else if (a->completed_on && date_ok(a->enrolled_on) &&
		 strcmp(a->completed_on, a->enrolled_on) < 0)
		verr_add(ve, "completed_on", "before_enrolment", "结业日期不能早于入学日期",
			 "completed_on cannot be before enrolled_on");
	return ve->n - before;
}

static enum tp_rc write_one(struct store *st, const struct actor *who, struct apprentice *a,
			    struct verrors *ve, int create)
{
	if (apprentice_check(a, create, ve))
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = create ? st->ops->appr->insert(st, a) : st->ops->appr->update(st, a);
	if (rc == TP_ERR_CONFLICT && create)
		verr_add(ve, "id_number", "apprentice_taken", "本企业已登记该学徒的同一培训等级",
			 "the enterprise has registered this person at this level already");
	if (rc == TP_OK)
		rc = audit_changef(st, who, create ? "apprentice.create" : "apprentice.update",
				   "apprentice", a->id, "{\"enterprise\":%lld,\"v\":%lld,\"level\":\"%s\","
				   "\"enrolled_on\":\"%s\",\"completed_on\":\"%s\"}",
				   (long long)a->enterprise_id, (long long)a->version, a->level,
				   a->enrolled_on ? a->enrolled_on : "",
				   a->completed_on ? a->completed_on : "");
	return store_end(st, rc);
}

enum tp_rc apprentice_create(struct store *st, const struct actor *who, struct apprentice *a,
			     struct verrors *ve)
{
	return write_one(st, who, a, ve, 1);
}

enum tp_rc apprentice_save(struct store *st, const struct actor *who, struct apprentice *a,
			   struct verrors *ve)
{
	return write_one(st, who, a, ve, 0);
}
