/*
 * talents.c — registry rules for talents and their employment records.
 */
#include "domain/talents.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/idcard.h"
#include "domain/audit.h"
#include "domain/reference.h"
#include "store/store.h"

static int date_ok(const char *s, struct civil_date *d)
{
	return s && date_parse(s, d) == 0;
}


static void check_date_order(const char *from, const char *to, const char *field,
			     struct verrors *ve)
{
	struct civil_date a, b;
	if (date_ok(from, &a) && date_ok(to, &b) && date_cmp(a, b) > 0)
		verr_add(ve, field, "date_order", "结束日期不能早于开始日期",
			 "the end date must not be before the start date");
}

static int degree_rank(const char *d)
{
	static const char *const order[] = {"none", "associate", "bachelor", "master", "phd"};
	for (int i = 0; d && i < 5; i++)
		if (strcmp(d, order[i]) == 0)
			return i;
	return -1;
}

enum tp_rc talent_check(struct store *st, struct talent *t, struct verrors *ve)
{
	size_t before = ve->n;
	enum tp_rc rc;
	if (!t->name)
		verr_add(ve, "name", "required", "姓名必填", "name is required");
	char idn[19];
	enum idcard_err ie = idcard_normalize(t->id_number ? t->id_number : "", idn);
	if (ie != IDCARD_OK) {
		verr_add(ve, "id_number", idcard_err_code(ie), idcard_err_zh(ie), idcard_err_en(ie));
	} else {
		t->id_number = arena_strdup(ve->arena, idn);
		struct civil_date b = idcard_birth_date(idn), given;
		char bs[11];
		date_format(b, bs);
		if (t->birth_date && (!date_ok(t->birth_date, &given) || date_cmp(given, b) != 0))
			verr_addf(ve, "birth_date", "birth_date_mismatch",
				  "出生日期与身份证号码不符（应为 %s）",
				  "birth date does not match the ID number (should be %s)", bs);
		t->birth_date = arena_strdup(ve->arena, bs);
		const char *g = idcard_gender(idn) == 'M' ? "M" : "F";
		if (t->gender && strcmp(t->gender, g) != 0)
			verr_add(ve, "gender", "gender_mismatch", "性别与身份证号码不符",
				 "gender does not match the ID number");
		t->gender = g;
	}
	if (t->phone && !phone_valid(t->phone))
		verr_add(ve, "phone", "phone_format", "电话号码格式不正确（手机 11 位或区号-号码）",
			 "phone must be an 11-digit mobile or an area code and number");
	if (t->email && (!strchr(t->email, '@') || strchr(t->email, ' ')))
		verr_add(ve, "email", "email_format", "电子邮箱格式不正确", "email is not valid");

	/* the highest degree recorded wins; a stated degree lower than an education is raised */
	for (size_t i = 0; i < t->n_educations; i++) {
		const struct education *e = &t->educations[i];
		if (degree_rank(e->degree) > degree_rank(t->degree)) {
			t->degree = e->degree;
			t->graduated_on = e->graduated_on;
			if (e->double_first_class)
				t->double_first_class = 1;
		}
	}
	if ((rc = reference_check(st, REF_TOWN, "town", t->town, ve)) != TP_OK)
		return rc;
	if ((rc = reference_check(st, REF_INDUSTRY, "industry", t->industry, ve)) != TP_OK)
		return rc;
	if ((rc = reference_check(st, REF_DEGREE, "degree", t->degree, ve)) != TP_OK)
		return rc;
	if ((rc = reference_check(st, REF_TITLE, "title", t->title, ve)) != TP_OK)
		return rc;
	if (t->enterprise_id) {
		struct enterprise e;
		rc = STORE_CALL(enterprise_get, st, t->enterprise_id, ve->arena, &e);
		if (rc == TP_ERR_NOT_FOUND)
			verr_add(ve, "enterprise_id", "unknown_enterprise", "用人单位不存在",
				 "no such enterprise");
		else if (rc != TP_OK)
			return rc;
	}
	if (t->tier && (!t->tier_from || !t->tier_to))
		verr_add(ve, "tier", "tier_dates_required", "人才层次须有起止日期",
			 "a tier needs its from and to dates");
	check_date_order(t->tier_from, t->tier_to, "tier.to", ve);
	if (t->quanzhou_level && !t->quanzhou_selected_on)
		verr_add(ve, "quanzhou_selected_on", "required", "须填写泉州人才入选日期",
			 "the Quanzhou selection date is required with the level");
	if (t->provincial_level && !t->provincial_selected_on)
		verr_add(ve, "provincial_selected_on", "required", "须填写省级人才入选日期",
			 "the provincial selection date is required with the level");
	struct civil_date d, birth;
	int have_birth = date_ok(t->birth_date, &birth);
	for (size_t i = 0; i < t->n_children; i++) {
		if (date_ok(t->children[i].birth_date, &d) && have_birth &&
		    date_cmp(d, birth) <= 0) {
			char f[64];
			snprintf(f, sizeof f, "children[%zu].birth_date", i);
			verr_add(ve, f, "date_order", "子女出生日期应晚于本人出生日期",
				 "a child's birth date must be after the talent's");
		}
	}
	if (t->graduated_on && date_ok(t->graduated_on, &d) && have_birth &&
	    date_cmp(d, birth) <= 0)
		verr_add(ve, "graduated_on", "date_order", "毕业日期应晚于出生日期",
			 "the graduation date must be after the birth date");
	return ve->n > before ? TP_ERR_INVALID : TP_OK;
}

/* The audited change of a talent: what changed, without ID or phone numbers. */
#define TALENT_CHANGE "v%lld|%s|%s|%s|%d|%lld|%s|%s"
#define TALENT_CHANGE_ARGS(t)                                                                     \
	(long long)(t)->version, (t)->name ? (t)->name : "", (t)->town ? (t)->town : "",          \
		(t)->industry ? (t)->industry : "", (t)->tier, (long long)(t)->enterprise_id,      \
		(t)->degree ? (t)->degree : "", (t)->title ? (t)->title : ""

enum tp_rc talent_create(struct store *st, const struct actor *who, struct talent *t,
			 struct verrors *ve)
{
	enum tp_rc rc = talent_check(st, t, ve);
	if (rc != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(talent_insert, st, t);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "talent.create", "talent", t->id, TALENT_CHANGE,
				   TALENT_CHANGE_ARGS(t));
	rc = store_end(st, rc);
	if (rc != TP_OK) {
		if (rc == TP_ERR_CONFLICT)
			verr_add(ve, "id_number", "id_number_taken", "该身份证号码已登记",
				 "this ID number is already registered");
	}
	return rc;
}

enum tp_rc talent_save(struct store *st, const struct actor *who, struct talent *t,
		       struct verrors *ve)
{
	enum tp_rc rc = talent_check(st, t, ve);
	if (rc != TP_OK)
		return rc;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	int64_t other = 0;
	rc = STORE_CALL(talent_find_id_number, st, t->id_number, &other);
	if (rc == TP_OK && other != t->id) {
		store_rollback(st);
		verr_add(ve, "id_number", "id_number_taken", "该身份证号码已登记",
			 "this ID number is already registered");
		return TP_ERR_CONFLICT;
	}
	rc = STORE_CALL(talent_update, st, t);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "talent.update", "talent", t->id, TALENT_CHANGE,
				   TALENT_CHANGE_ARGS(t));
	return store_end(st, rc);
}

/* started_on is required; ended_on, when set, is not before it. */
static void check_employment_dates(const struct employment *e, struct verrors *ve)
{
	struct civil_date a, b;
	if (!date_ok(e->started_on, &a))
		verr_add(ve, "started_on", "required", "入职日期必填（YYYY-MM-DD）",
			 "started_on is required (YYYY-MM-DD)");
	else if (e->ended_on && date_ok(e->ended_on, &b) && date_cmp(a, b) > 0)
		verr_add(ve, "ended_on", "date_order", "离职日期不能早于入职日期",
			 "ended_on must not be before started_on");
}

enum tp_rc employment_add(struct store *st, const struct actor *who, struct employment *e,
			  struct verrors *ve)
{
	size_t before = ve->n;
	check_employment_dates(e, ve);
	struct enterprise ent;
	enum tp_rc rc = STORE_CALL(enterprise_get, st, e->enterprise_id, ve->arena, &ent);
	if (rc == TP_ERR_NOT_FOUND)
		verr_add(ve, "enterprise_id", "unknown_enterprise", "用人单位不存在",
			 "no such enterprise");
	else if (rc != TP_OK)
		return rc;
	if (ve->n > before)
		return TP_ERR_INVALID;
	e->enterprise_name = ent.name;
	if ((rc = store_begin(st)) != TP_OK)
		return rc;
	rc = STORE_CALL(employment_insert, st, e);
	/* an open record is the talent's current job: the registry follows it */
	if (rc == TP_OK && !e->ended_on)
		rc = STORE_CALL(talent_set_employer, st, e->talent_id, e->enterprise_id);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "employment.create", "employment", e->id,
				   "talent %lld|enterprise %lld|%s|%s", (long long)e->talent_id,
				   (long long)e->enterprise_id, e->started_on,
				   e->ended_on ? e->ended_on : "");
	return store_end(st, rc);
}

enum tp_rc employment_change(struct store *st, const struct actor *who,
			     int64_t current_employer, struct employment *e, struct verrors *ve)
{
	size_t before = ve->n;
	check_employment_dates(e, ve);
	if (ve->n > before)
		return TP_ERR_INVALID;
	enum tp_rc rc = store_begin(st);
	if (rc != TP_OK)
		return rc;
	rc = STORE_CALL(employment_update, st, e);
	/* ending the current job leaves the talent without a current employer; reopening a
	 * record makes it the current job again */
	if (rc == TP_OK && e->ended_on && current_employer == e->enterprise_id)
		rc = STORE_CALL(talent_set_employer, st, e->talent_id, 0);
	else if (rc == TP_OK && !e->ended_on && current_employer != e->enterprise_id)
		rc = STORE_CALL(talent_set_employer, st, e->talent_id, e->enterprise_id);
	if (rc == TP_OK)
		rc = audit_changef(st, who, "employment.update", "employment", e->id,
				   "talent %lld|%s|%s|%lld", (long long)e->talent_id,
				   e->ended_on ? e->ended_on : "", e->position ? e->position : "",
				   (long long)e->annual_salary_fen);
	return store_end(st, rc);
}

void registry_query_prepare(struct registry_query *q)
{
	if (!q->q)
		return;
	size_t n = strlen(q->q);
	int digits = n == 15 || n == 18;
	for (size_t i = 0; digits && i < n; i++)
		if (!((q->q[i] >= '0' && q->q[i] <= '9') || (i == n - 1 && (q->q[i] == 'X' || q->q[i] == 'x'))))
			digits = 0;
	if (!digits)
		return;
	static _Thread_local char norm[19];
	if (idcard_normalize(q->q, norm) == IDCARD_OK)
		q->id_number = norm;
	else
		q->id_number = q->q; /* matches nothing, but says so honestly */
}
