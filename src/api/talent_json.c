/*
 * talent_json.c — a talent to and from JSON: rendering (ID numbers and phones masked) and
 * reading a create or patch body field by field, every broken rule a field error.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/talent_json.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/jsonw.h"
#include "core/jsonx.h"
#include "domain/talents.h"
#include "store/store.h"

static const char *const DEGREES[] = {"none", "associate", "bachelor", "master", "phd", NULL};
static const char *const TITLES[] = {"junior", "intermediate", "deputy_senior", "senior", NULL};
static const char *const GENDERS[] = {"M", "F", NULL};

static const char *const TALENT_FIELDS[] = {
	"name", "gender", "id_number", "birth_date", "phone", "email", "degree",
	"double_first_class", "graduated_on", "title", "skill_level", "enterprise_id", "town",
	"industry", "tier", "quanzhou_level", "quanzhou_selected_on", "provincial_level",
	"provincial_selected_on", "short_term", "home_purchase", "startup", "insured_months",
	"days_in_jinjiang", "children", "educations", NULL};

#define MAX_LIST 20 /* educations, children */
#define MAX_YEARS 50

void api_employment_write(struct jw *w, const struct employment *m)
{
	jw_obj_begin(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "talent_id", m->talent_id);
	jw_kint(w, "enterprise_id", m->enterprise_id);
	jw_kstr(w, "enterprise_name", m->enterprise_name);
	jw_kstr(w, "started_on", m->started_on);
	jw_kstr(w, "ended_on", m->ended_on);
	jw_kstr(w, "position", m->position);
	jw_kint_opt(w, "annual_salary_fen", m->annual_salary_fen, -1);
	jw_obj_end(w);
}

/* The year-keyed facts: {"2026": [1,2,…]} and {"2026": 45}. */
static void write_years(struct jw *w, const struct talent *t)
{
	char y[12];
	jw_key(w, "insured_months");
	jw_obj_begin(w);
	for (size_t i = 0; i < t->n_years; i++) {
		snprintf(y, sizeof y, "%d", t->years[i].year);
		jw_key(w, y);
		jw_arr_begin(w);
		for (int m = 1; m <= 12; m++)
			if (t->years[i].insured_months & (1u << (m - 1)))
				jw_int(w, m);
		jw_arr_end(w);
	}
	jw_obj_end(w);
	jw_key(w, "days_in_jinjiang");
	jw_obj_begin(w);
	for (size_t i = 0; i < t->n_years; i++) {
		if (t->years[i].days_in_jinjiang < 0)
			continue;
		snprintf(y, sizeof y, "%d", t->years[i].year);
		jw_kint(w, y, t->years[i].days_in_jinjiang);
	}
	jw_obj_end(w);
}

static void write_detail(struct jw *w, const struct talent *t)
{
	jw_kint(w, "version", t->version);
	jw_kstr(w, "email", t->email);
	jw_ktri(w, "double_first_class", t->double_first_class);
	jw_kstr(w, "graduated_on", t->graduated_on);
	jw_kint_opt(w, "quanzhou_level", t->quanzhou_level, 0);
	jw_kstr(w, "quanzhou_selected_on", t->quanzhou_selected_on);
	jw_kint_opt(w, "provincial_level", t->provincial_level, 0);
	jw_kstr(w, "provincial_selected_on", t->provincial_selected_on);
	jw_key(w, "home_purchase");
	if (t->home_contract_date) {
		jw_obj_begin(w);
		jw_kstr(w, "contract_date", t->home_contract_date);
		jw_key(w, "area_m2");
		if (t->home_area_cm2 >= 0)
			jw_fixed(w, t->home_area_cm2, 2);
		else
			jw_null(w);
		jw_ktri(w, "in_jinjiang", t->home_in_jinjiang);
		jw_ktri(w, "first_home_in_jinjiang", t->home_first);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "startup");
	if (t->startup_registered_on) {
		jw_obj_begin(w);
		jw_kstr(w, "registered_on", t->startup_registered_on);
		jw_ktri(w, "in_jinjiang", t->startup_in_jinjiang);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	write_years(w, t);
	jw_key(w, "educations");
	jw_arr_begin(w);
	for (size_t i = 0; i < t->n_educations; i++) {
		const struct education *e = &t->educations[i];
		jw_obj_begin(w);
		jw_kstr(w, "degree", e->degree);
		jw_kstr(w, "school", e->school);
		jw_kstr(w, "major", e->major);
		jw_kstr(w, "graduated_on", e->graduated_on);
		jw_kbool(w, "double_first_class", e->double_first_class);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "children");
	jw_arr_begin(w);
	for (size_t i = 0; i < t->n_children; i++) {
		jw_obj_begin(w);
		jw_kstr(w, "name", t->children[i].name);
		jw_kstr(w, "birth_date", t->children[i].birth_date);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "employments");
	jw_arr_begin(w);
	for (size_t i = 0; i < t->n_employments; i++)
		api_employment_write(w, &t->employments[i]);
	jw_arr_end(w);
	jw_kstr(w, "created_at", t->created_at);
	jw_kstr(w, "updated_at", t->updated_at);
}

void api_talent_write(struct jw *w, const struct talent *t, int detail)
{
	/* masked: the store's masks when it gave them (lists carry nothing else), else made here */
	char masked[19], phone[32];
	if (!t->id_number_mask)
		idcard_mask(t->id_number ? t->id_number : "", masked);
	jw_obj_begin(w);
	jw_kint(w, "id", t->id);
	jw_kstr(w, "name", t->name);
	jw_kstr(w, "gender", t->gender);
	jw_kstr(w, "id_number", t->id_number_mask ? t->id_number_mask : masked);
	jw_kstr(w, "birth_date", t->birth_date);
	if (!t->phone_mask && t->phone)
		phone_mask(t->phone, phone, sizeof phone);
	jw_kstr(w, "phone", t->phone_mask ? t->phone_mask : t->phone ? phone : NULL);
	jw_kstr(w, "degree", t->degree);
	jw_kstr(w, "title", t->title);
	jw_kint_opt(w, "skill_level", t->skill_level, 0);
	jw_kint_opt(w, "enterprise_id", t->enterprise_id, 0);
	jw_kstr(w, "enterprise_name", t->enterprise_name);
	jw_kstr(w, "town", t->town);
	jw_kstr(w, "industry", t->industry);
	jw_key(w, "tier");
	if (t->tier) {
		jw_obj_begin(w);
		jw_kint(w, "level", t->tier);
		jw_kstr(w, "from", t->tier_from);
		jw_kstr(w, "to", t->tier_to);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_kbool(w, "short_term", t->short_term);
	if (detail)
		write_detail(w, t);
	jw_obj_end(w);
}

/* Reads an optional boolean member into a tri-state int (-1 when null). */
static void read_tri(json_t *obj, const char *key, struct verrors *ve, int *out)
{
	int b;
	json_t *v = json_object_get(obj, key);
	if (v && json_is_null(v))
		*out = -1;
	else if (jsonx_bool(obj, key, 0, ve, &b) == 1)
		*out = b;
}

/* A level 1..max, 0 when null. */
static void read_level(json_t *obj, const char *key, int max, struct verrors *ve, int *out)
{
	int64_t v = *out;
	jsonx_patch_int(obj, key, 1, max, 0, ve, &v);
	*out = (int)v;
}

/* home_purchase: {contract_date, area_m2, in_jinjiang, first_home_in_jinjiang} or null */
static void read_home(json_t *body, struct talent *t, struct verrors *ve)
{
	json_t *h = json_object_get(body, "home_purchase");
	if (!h)
		return;
	if (json_is_null(h)) {
		t->home_contract_date = NULL;
		t->home_area_cm2 = -1;
		t->home_in_jinjiang = t->home_first = -1;
		return;
	}
	if (!json_is_object(h)) {
		verr_add(ve, "home_purchase", "type_object", "应为对象", "must be an object");
		return;
	}
	size_t from = ve->n;
	static const char *const keys[] = {"contract_date", "area_m2", "in_jinjiang",
					   "first_home_in_jinjiang", NULL};
	jsonx_no_unknown(h, keys, ve);
	jsonx_date(h, "contract_date", 1, ve, &t->home_contract_date);
	json_t *a = json_object_get(h, "area_m2");
	if (a && !json_is_null(a)) {
		double v = json_is_number(a) ? json_number_value(a) : -1;
		if (!json_is_number(a) || v <= 0 || v > 100000)
			verr_add(ve, "area_m2", "out_of_range", "面积应为 0 到 100000 之间的数字",
				 "must be a number between 0 and 100000");
		else
			t->home_area_cm2 = (int64_t)(v * 100 + 0.5);
	}
	read_tri(h, "in_jinjiang", ve, &t->home_in_jinjiang);
	read_tri(h, "first_home_in_jinjiang", ve, &t->home_first);
	verr_prefix(ve, from, "home_purchase");
}

static void read_startup(json_t *body, struct talent *t, struct verrors *ve)
{
	json_t *s = json_object_get(body, "startup");
	if (!s)
		return;
	if (json_is_null(s)) {
		t->startup_registered_on = NULL;
		t->startup_in_jinjiang = -1;
		return;
	}
	if (!json_is_object(s)) {
		verr_add(ve, "startup", "type_object", "应为对象", "must be an object");
		return;
	}
	size_t from = ve->n;
	static const char *const keys[] = {"registered_on", "in_jinjiang", NULL};
	jsonx_no_unknown(s, keys, ve);
	jsonx_date(s, "registered_on", 1, ve, &t->startup_registered_on);
	read_tri(s, "in_jinjiang", ve, &t->startup_in_jinjiang);
	verr_prefix(ve, from, "startup");
}

static void read_tier(json_t *body, struct talent *t, struct verrors *ve)
{
	json_t *v = json_object_get(body, "tier");
	if (!v)
		return;
	if (json_is_null(v)) {
		t->tier = 0;
		t->tier_from = t->tier_to = NULL;
		return;
	}
	if (!json_is_object(v)) {
		verr_add(ve, "tier", "type_object", "应为 {level, from, to}",
			 "must be an object {level, from, to}");
		return;
	}
	size_t from = ve->n;
	static const char *const keys[] = {"level", "from", "to", NULL};
	jsonx_no_unknown(v, keys, ve);
	int64_t lvl = 0;
	if (jsonx_int(v, "level", 1, 7, 1, ve, &lvl) == 1)
		t->tier = (int)lvl;
	jsonx_date(v, "from", 1, ve, &t->tier_from);
	jsonx_date(v, "to", 1, ve, &t->tier_to);
	verr_prefix(ve, from, "tier");
}

/* Finds or adds the year record for y. */
static struct talent_year *year_slot(struct talent *t, int y, struct arena *a)
{
	for (size_t i = 0; i < t->n_years; i++)
		if (t->years[i].year == y)
			return &t->years[i];
	if (t->n_years >= MAX_YEARS)
		return NULL;
	struct talent_year *n = arena_alloc(a, (t->n_years + 1) * sizeof(*n));
	if (!n)
		return NULL;
	if (t->n_years)
		memcpy(n, t->years, t->n_years * sizeof(*n));
	t->years = n;
	struct talent_year *s = &t->years[t->n_years++];
	s->year = y;
	s->insured_months = 0;
	s->days_in_jinjiang = -1;
	return s;
}

static int parse_year_key(const char *k, int *y)
{
	if (strlen(k) != 4)
		return -1;
	int v = 0;
	for (int i = 0; i < 4; i++) {
		if (k[i] < '0' || k[i] > '9')
			return -1;
		v = v * 10 + (k[i] - '0');
	}
	if (v < 1950 || v > 2100)
		return -1;
	*y = v;
	return 0;
}

/* insured_months {"2026":[1,2,…]} and days_in_jinjiang {"2026": 45}: each replaces what it names. */
static void read_years(json_t *body, struct talent *t, struct arena *a, struct verrors *ve)
{
	json_t *im = json_object_get(body, "insured_months");
	json_t *dj = json_object_get(body, "days_in_jinjiang");
	if (im && !json_is_null(im) && !json_is_object(im))
		verr_add(ve, "insured_months", "type_object", "应为 {\"年份\": [月份…]}",
			 "must be an object {\"YYYY\": [months]}");
	if (dj && !json_is_null(dj) && !json_is_object(dj))
		verr_add(ve, "days_in_jinjiang", "type_object", "应为 {\"年份\": 天数}",
			 "must be an object {\"YYYY\": days}");
	if (im && json_is_null(im))
		for (size_t i = 0; i < t->n_years; i++)
			t->years[i].insured_months = 0;
	if (dj && json_is_null(dj))
		for (size_t i = 0; i < t->n_years; i++)
			t->years[i].days_in_jinjiang = -1;
	const char *k;
	json_t *v;
	if (json_is_object(im)) {
		json_object_foreach(im, k, v) {
			char f[64];
			snprintf(f, sizeof f, "insured_months.%.8s", k);
			int y;
			if (parse_year_key(k, &y) != 0) {
				verr_add(ve, f, "bad_year", "年份应为 1950 到 2100 的四位数字",
					 "the year must be 4 digits in 1950..2100");
				continue;
			}
			if (!json_is_array(v) || json_array_size(v) > 12) {
				verr_add(ve, f, "type_months", "应为 1 到 12 的月份列表",
					 "must be a list of months 1..12");
				continue;
			}
			unsigned mask = 0;
			size_t i;
			json_t *m;
			int bad = 0;
			json_array_foreach(v, i, m) {
				if (!json_is_integer(m) || json_integer_value(m) < 1 ||
				    json_integer_value(m) > 12)
					bad = 1;
				else
					mask |= 1u << (json_integer_value(m) - 1);
			}
			if (bad) {
				verr_add(ve, f, "month_out_of_range", "月份应在 1 到 12 之间",
					 "months must be in 1..12");
				continue;
			}
			struct talent_year *s = year_slot(t, y, a);
			if (s)
				s->insured_months = mask;
		}
	}
	if (json_is_object(dj)) {
		json_object_foreach(dj, k, v) {
			char f[64];
			snprintf(f, sizeof f, "days_in_jinjiang.%.8s", k);
			int y;
			if (parse_year_key(k, &y) != 0) {
				verr_add(ve, f, "bad_year", "年份应为 1950 到 2100 的四位数字",
					 "the year must be 4 digits in 1950..2100");
				continue;
			}
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 366) {
				verr_add(ve, f, "out_of_range", "天数应在 0 到 366 之间",
					 "days must be in 0..366");
				continue;
			}
			struct talent_year *s = year_slot(t, y, a);
			if (s)
				s->days_in_jinjiang = (int)json_integer_value(v);
		}
	}
}

static void read_children(json_t *body, struct talent *t, struct arena *a, struct verrors *ve)
{
	json_t *arr = json_object_get(body, "children");
	if (!arr)
		return;
	t->n_children = 0;
	if (json_is_null(arr))
		return;
	if (!json_is_array(arr) || json_array_size(arr) > MAX_LIST) {
		verr_add(ve, "children", "type_list", "应为列表（最多 20 项）",
			 "must be a list of at most 20");
		return;
	}
	t->children = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(*t->children));
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		size_t from = ve->n;
		char f[48];
		snprintf(f, sizeof f, "children[%zu]", i);
		if (!json_is_object(c)) {
			verr_add(ve, f, "type_object", "应为对象", "must be an object");
			continue;
		}
		static const char *const keys[] = {"name", "birth_date", NULL};
		jsonx_no_unknown(c, keys, ve);
		struct child ch = {0};
		jsonx_str(c, "name", NAME_MAX_CHARS, 0, ve, &ch.name);
		jsonx_date(c, "birth_date", 1, ve, &ch.birth_date);
		verr_prefix(ve, from, f);
		if (t->children && ve->n == from)
			t->children[t->n_children++] = ch;
	}
}

static void read_educations(json_t *body, struct talent *t, struct arena *a, struct verrors *ve)
{
	json_t *arr = json_object_get(body, "educations");
	if (!arr)
		return;
	t->n_educations = 0;
	if (json_is_null(arr))
		return;
	if (!json_is_array(arr) || json_array_size(arr) > MAX_LIST) {
		verr_add(ve, "educations", "type_list", "应为列表（最多 20 项）",
			 "must be a list of at most 20");
		return;
	}
	t->educations = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(*t->educations));
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		size_t from = ve->n;
		char f[48];
		snprintf(f, sizeof f, "educations[%zu]", i);
		if (!json_is_object(e)) {
			verr_add(ve, f, "type_object", "应为对象", "must be an object");
			continue;
		}
		static const char *const keys[] = {"degree", "school", "major", "graduated_on",
						   "double_first_class", NULL};
		jsonx_no_unknown(e, keys, ve);
		struct education ed = {0};
		jsonx_enum(e, "degree", DEGREES, 1, ve, &ed.degree);
		jsonx_str(e, "school", TEXT_MAX_CHARS, 0, ve, &ed.school);
		jsonx_str(e, "major", TEXT_MAX_CHARS, 0, ve, &ed.major);
		jsonx_date(e, "graduated_on", 0, ve, &ed.graduated_on);
		jsonx_bool(e, "double_first_class", 0, ve, &ed.double_first_class);
		verr_prefix(ve, from, f);
		if (t->educations && ve->n == from)
			t->educations[t->n_educations++] = ed;
	}
}

/* Applies the members present in body to t (create: t starts empty; patch: t is the stored one). */
void talent_from_json(json_t *body, struct talent *t, struct arena *a, struct verrors *ve,
			     int create)
{
	jsonx_no_unknown(body, TALENT_FIELDS, ve);
	if (create || jsonx_has(body, "name")) {
		const char *s = NULL;
		if (jsonx_str(body, "name", NAME_MAX_CHARS, 1, ve, &s) == 1)
			t->name = s;
	}
	if (create || jsonx_has(body, "id_number")) {
		const char *s = NULL;
		if (jsonx_str(body, "id_number", 18, 1, ve, &s) == 1)
			t->id_number = s;
		else
			t->id_number = "";
		/* gender and birth date come from the ID number: a new number re-derives them
		 * (unless the body states them, when they are checked against it) */
		t->gender = NULL;
		t->birth_date = NULL;
	}
	jsonx_patch_enum(body, "gender", GENDERS, ve, &t->gender);
	jsonx_patch_date(body, "birth_date", ve, &t->birth_date);
	jsonx_patch_str(body, "phone", 20, ve, &t->phone);
	jsonx_patch_str(body, "email", 100, ve, &t->email);
	jsonx_patch_enum(body, "degree", DEGREES, ve, &t->degree);
	read_tri(body, "double_first_class", ve, &t->double_first_class);
	jsonx_patch_date(body, "graduated_on", ve, &t->graduated_on);
	jsonx_patch_enum(body, "title", TITLES, ve, &t->title);
	read_level(body, "skill_level", 5, ve, &t->skill_level);
	if (jsonx_has(body, "enterprise_id")) {
		int64_t v = 0;
		int r = jsonx_int(body, "enterprise_id", 1, INT64_MAX, 0, ve, &v);
		if (r >= 0)
			t->enterprise_id = r ? v : 0;
	}
	jsonx_patch_str(body, "town", 16, ve, &t->town);
	jsonx_patch_str(body, "industry", 16, ve, &t->industry);
	read_tier(body, t, ve);
	read_level(body, "quanzhou_level", 5, ve, &t->quanzhou_level);
	jsonx_patch_date(body, "quanzhou_selected_on", ve, &t->quanzhou_selected_on);
	read_level(body, "provincial_level", 3, ve, &t->provincial_level);
	jsonx_patch_date(body, "provincial_selected_on", ve, &t->provincial_selected_on);
	if (jsonx_has(body, "short_term")) {
		int b = 0;
		if (jsonx_bool(body, "short_term", 0, ve, &b) >= 0)
			t->short_term = b;
	}
	read_home(body, t, ve);
	read_startup(body, t, ve);
	read_years(body, t, a, ve);
	read_children(body, t, a, ve);
	read_educations(body, t, a, ve);
}

void talent_blank(struct talent *t)
{
	memset(t, 0, sizeof(*t));
	t->double_first_class = -1;
	t->home_area_cm2 = -1;
	t->home_in_jinjiang = t->home_first = -1;
	t->startup_in_jinjiang = -1;
}

