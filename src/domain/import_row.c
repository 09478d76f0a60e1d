/*
 * import_row.c — one spreadsheet row into one talent: cell parsing (labels,
 * dates, Excel serials, yes/no), talent_check(), duplicates, the insert; every
 * broken rule mapped back to the column the file named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/hash.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/jsonx.h"
#include "core/utf8.h"
#include "core/uscc.h"
#include "domain/actor.h"
#include "domain/import_int.h"
#include "domain/talents.h"
#include "store/store.h"

struct label {
	const char *text, *code;
};

static const struct label DEGREES[] = {
    {"博士研究生", "phd"}, {"博士", "phd"},       {"硕士研究生", "master"},
    {"硕士", "master"},    {"本科", "bachelor"},  {"大学本科", "bachelor"},
    {"大专", "associate"}, {"专科", "associate"}, {"大学专科", "associate"},
    {"无", "none"},        {"无学历", "none"},    {"无学历/其他", "none"},
    {"其他", "none"},      {NULL, NULL},
};

static const struct label TITLES[] = {
    {"初级", "junior"},
    {"初级职称", "junior"},
    {"中级", "intermediate"},
    {"中级职称", "intermediate"},
    {"副高", "deputy_senior"},
    {"副高级", "deputy_senior"},
    {"副高级职称", "deputy_senior"},
    {"正高", "senior"},
    {"正高级", "senior"},
    {"正高级职称", "senior"},
    {NULL, NULL},
};

static const struct label SKILLS[] = {
    {"高级技师", "1"}, {"高级技师（一级）", "1"}, {"一级", "1"},
    {"技师", "2"},     {"技师（二级）", "2"},     {"二级", "2"},
    {"高级工", "3"},   {"高级工（三级）", "3"},   {"三级", "3"},
    {"中级工", "4"},   {"中级工（四级）", "4"},   {"四级", "4"},
    {"初级工", "5"},   {"初级工（五级）", "5"},   {"五级", "5"},
    {NULL, NULL},
};

/* The codes of each labelled column, accepted as they are (case-insensitive). */
static const char *const DEGREE_CODES[] = {"none", "associate", "bachelor", "master", "phd", NULL};
static const char *const TITLE_CODES[] = {"junior", "intermediate", "deputy_senior", "senior",
                                          NULL};
static const char *const SKILL_CODES[] = {"1", "2", "3", "4", "5", NULL};

const char *import_label(enum import_col col, const char *code)
{
	const struct label *l = col == IC_DEGREE  ? DEGREES
	                        : col == IC_TITLE ? TITLES
	                        : col == IC_SKILL ? SKILLS
	                                          : NULL;
	for (; l && code && l->text; l++)
		if (strcmp(l->code, code) == 0)
			return l->text; /* the first label of a code is the one exports write */
	return NULL;
}

static const char *label_code(const struct label *l, const char *const *codes, const char *s)
{
	for (; l->text; l++)
		if (strcmp(l->text, s) == 0)
			return l->code;
	for (; *codes; codes++)
		if (strcasecmp(*codes, s) == 0)
			return *codes;
	return NULL;
}

/* Width in bytes of a space character at s that trimming removes, else 0. */
static size_t space_at(const unsigned char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f')
		return 1;
	if (s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

const char *import_trim(struct arena *a, const char *s)
{
	const unsigned char *b = (const unsigned char *)s, *e = b + strlen(s);
	size_t w;
	while (b < e && (w = space_at(b)) != 0)
		b += w;
	for (;;) {
		if (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n' ||
		              e[-1] == '\v' || e[-1] == '\f'))
			e--;
		else if (e - b >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
			e -= 2;
		else if (e - b >= 3 && e[-3] == 0xE3 && e[-2] == 0x80 && e[-1] == 0x80)
			e -= 3;
		else
			break;
	}
	/* our CSV exports guard a text cell that Excel would run as a formula with a
	 * leading apostrophe (src/io/table_write.c); take it off again */
	if (e - b >= 2 && b[0] == '\'' && strchr("=+-@", b[1]))
		b++;
	if ((const char *)b == s && *e == '\0')
		return s;
	return arena_strndup(a, (const char *)b, (size_t)(e - b));
}

enum tp_rc import_refs_load(struct import_ctx *c)
{
	enum tp_rc rc = STORE_CALL(ref_list, c->st, REF_TOWN, c->refs, &c->towns, &c->ntowns);
	if (rc == TP_OK)
		rc = STORE_CALL(ref_list, c->st, REF_INDUSTRY, c->refs, &c->industries,
		                &c->nindustries);
	return rc;
}

static const char *ref_code(const struct ref_item *it, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].code, s) == 0 || (it[i].name_zh && strcmp(it[i].name_zh, s) == 0))
			return it[i].code;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(it[i].code, s) == 0 ||
		    (it[i].name_en && strcasecmp(it[i].name_en, s) == 0))
			return it[i].code;
	return NULL;
}

/* ---- the ID numbers seen in this file ---- */

static size_t id_hash(const char *id)
{
	return (size_t)hash_str(id);
}

/* Returns the row that first had id, or 0 after remembering it for row; (size_t)-1 on no
 * memory. */
static size_t id_seen(struct id_set *s, const char *id, size_t row)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		struct id_slot *n = calloc(ncap, sizeof(*n));
		if (!n)
			return (size_t)-1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slots[i].id[0])
				continue;
			size_t j = id_hash(s->slots[i].id) & (ncap - 1);
			while (n[j].id[0])
				j = (j + 1) & (ncap - 1);
			n[j] = s->slots[i];
		}
		free(s->slots);
		s->slots = n;
		s->cap = ncap;
	}
	size_t j = id_hash(id) & (s->cap - 1);
	while (s->slots[j].id[0]) {
		if (strcmp(s->slots[j].id, id) == 0)
			return s->slots[j].row;
		j = (j + 1) & (s->cap - 1);
	}
	memcpy(s->slots[j].id, id, 19);
	s->slots[j].row = row;
	s->n++;
	return 0;
}

/* ---- cells ---- */

struct row {
	struct import_ctx *c;
	const char *raw[IC_COUNT]; /* the cell as given ("" when absent) */
	const char *v[IC_COUNT];   /* trimmed; NULL when absent or blank */
	struct verrors *ve;
	struct arena *a;
};

static void cell_err(struct row *w, enum import_col col, const char *code, const char *zh,
                     const char *en)
{
	verr_add(w->ve, import_columns[col].en, code, zh, en);
}

static const char *text(struct row *w, enum import_col col, size_t maxchars)
{
	const char *s = w->v[col];
	if (!s)
		return NULL;
	if (!jsonx_utf8_ok(s, strlen(s))) {
		cell_err(w, col, "bad_characters", "含有控制字符或非法字符",
		         "contains control or invalid characters");
		return NULL;
	}
	if (jsonx_utf8_len(s) > maxchars) {
		verr_addf(w->ve, import_columns[col].en, "too_long", "不能超过 %zu 个字",
		          "must be at most %zu characters", maxchars, maxchars);
		return NULL;
	}
	return s;
}

/* An Excel serial with a time of day ("45123.5") as a date-formatted cell holds it. */
static int serial_date(const char *s, struct civil_date *d)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno)
		return -1;
	return date_from_excel_serial(v, d);
}

/* A date cell: what people type, or an Excel serial (a date-formatted XLSX cell, or a
 * plain integer 20000..80000, i.e. 1954..2119). */
static const char *date_cell(struct row *w, enum import_col col)
{
	const char *s = w->v[col];
	if (!s)
		return NULL;
	struct civil_date d;
	int ok = date_parse_loose(s, &d) == 0;
	if (!ok) {
		size_t n = strlen(s), digits = strspn(s, "0123456789");
		int serial_cell =
		    w->c->map[col] >= 0 && table_cell_is_date(w->c->r, (size_t)w->c->map[col]);
		long v = 0;
		if (n >= 5 && n <= 6 && digits == n)
			for (size_t i = 0; i < n; i++)
				v = v * 10 + (s[i] - '0');
		if (v >= 20000 && v <= 80000)
			ok = date_from_excel_serial((double)v, &d) == 0;
		else if (serial_cell && digits > 0 && digits <= 7)
			ok = serial_date(s, &d) == 0;
	}
	if (!ok) {
		cell_err(w, col, "date_invalid", "日期无效（应为 YYYY-MM-DD 等格式的真实日期）",
		         "not a real date (write YYYY-MM-DD)");
		return NULL;
	}
	char buf[11];
	date_format(d, buf);
	return arena_strdup(w->a, buf);
}

/* 1, 0, or -1 when blank; a bad value is an error (returns -1). */
static int bool_cell(struct row *w, enum import_col col)
{
	static const char *const yes[] = {"是", "true", "1", "y", "yes", NULL};
	static const char *const no[] = {"否", "false", "0", "n", "no", NULL};
	const char *s = w->v[col];
	if (!s)
		return -1;
	for (size_t i = 0; yes[i]; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	cell_err(w, col, "bool_invalid", "应为“是”或“否”", "must be yes or no (是/否)");
	return -1;
}

static const char *label_cell(struct row *w, enum import_col col, const struct label *labels,
                              const char *const *codes)
{
	const char *s = w->v[col];
	if (!s)
		return NULL;
	const char *code = label_code(labels, codes, s);
	if (!code)
		verr_addf(w->ve, import_columns[col].en, "unknown_code", "无法识别“%.100s”",
		          "unknown value '%.100s'", s, s);
	return code;
}

static const char *ref_cell(struct row *w, enum import_col col, const struct ref_item *it, size_t n)
{
	const char *s = w->v[col];
	if (!s)
		return NULL;
	const char *code = ref_code(it, n, s);
	if (!code)
		verr_addf(w->ve, import_columns[col].en, "unknown_code", "代码或名称“%.100s”不存在",
		          "unknown code or name '%.100s'", s, s);
	return code;
}

static void gender_cell(struct row *w, struct talent *t)
{
	const char *s = w->v[IC_GENDER];
	if (!s)
		return;
	if (strcmp(s, "男") == 0 || strcasecmp(s, "M") == 0 || strcasecmp(s, "male") == 0)
		t->gender = "M";
	else if (strcmp(s, "女") == 0 || strcasecmp(s, "F") == 0 || strcasecmp(s, "female") == 0)
		t->gender = "F";
	else
		cell_err(w, IC_GENDER, "gender_invalid", "性别应为“男”或“女”",
		         "gender must be 男 or 女 (M/F)");
}

static enum tp_rc enterprise_cell(struct row *w, struct talent *t)
{
	const char *s = w->v[IC_CREDIT_CODE];
	if (!s)
		return TP_OK;
	char code[19];
	enum uscc_err ue = uscc_normalize(s, code);
	if (ue != USCC_OK) {
		cell_err(w, IC_CREDIT_CODE, uscc_err_code(ue), uscc_err_zh(ue), uscc_err_en(ue));
		return TP_OK;
	}
	int64_t id = 0;
	enum tp_rc rc = STORE_CALL(enterprise_find_credit_code, w->c->st, code, &id);
	if (rc == TP_ERR_NOT_FOUND) {
		cell_err(w, IC_CREDIT_CODE, "unknown_enterprise", "该信用代码的用人单位未登记",
		         "no enterprise with this credit code is registered");
		return TP_OK;
	}
	if (rc == TP_OK)
		t->enterprise_id = id;
	return rc;
}

static void small_int_cell(struct row *w, enum import_col col, int max, int *out)
{
	const char *s = w->v[col];
	if (!s)
		return;
	if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '0' + max)
		*out = s[0] - '0';
	else
		verr_addf(w->ve, import_columns[col].en,
		          col == IC_TIER ? "tier_out_of_range" : "out_of_range",
		          "应为 1 到 %d 的整数", "must be an integer in 1..%d", max, max);
}

static void talent_blank(struct talent *t)
{
	memset(t, 0, sizeof(*t));
	t->double_first_class = -1;
	t->home_area_cm2 = -1;
	t->home_in_jinjiang = t->home_first = -1;
	t->startup_in_jinjiang = -1;
}

/*
 * An employer's import (POST /api/v1/imports/talents as an employer): every row is a
 * member of its own staff — a blank credit code means its enterprise, another one is a
 * row error — and the office's certification columns (tier, from, to) are refused.
 */
static void employer_scope(struct row *w, struct talent *t)
{
	const struct actor *who = w->c->who;
	if (!who || who->role != ROLE_EMPLOYER)
		return;
	if (!w->v[IC_CREDIT_CODE] && who->enterprise_id)
		t->enterprise_id = who->enterprise_id;
	else if (!who->enterprise_id || (t->enterprise_id && t->enterprise_id != who->enterprise_id))
		cell_err(w, IC_CREDIT_CODE, "not_your_enterprise", "只能导入本单位的员工",
		         "an employer imports its own staff only");
	static const enum import_col office_only[] = {IC_TIER, IC_TIER_FROM, IC_TIER_TO};
	for (size_t i = 0; i < sizeof office_only / sizeof office_only[0]; i++)
		if (w->v[office_only[i]])
			cell_err(w, office_only[i], "office_only", "人才层次由人才办认定，用人单位不能导入",
			         "the tier is certified by the talent office; an employer cannot import it");
	/* refused above: not judged again by the registry's tier rules */
	t->tier = 0;
	t->tier_from = t->tier_to = NULL;
}

/* Fills t from the row's cells; cell errors go to w->ve. */
static enum tp_rc row_to_talent(struct row *w, struct talent *t, struct education *ed)
{
	struct import_ctx *c = w->c;
	/* a name text() rejects stays set (the row fails anyway): one error, not two */
	(void)text(w, IC_NAME, NAME_MAX_CHARS);
	t->name = w->v[IC_NAME];
	t->id_number = w->v[IC_ID_NUMBER];
	gender_cell(w, t);
	t->birth_date = date_cell(w, IC_BIRTH_DATE);
	t->phone = text(w, IC_PHONE, 20);
	t->email = text(w, IC_EMAIL, 100);
	ed->degree = label_cell(w, IC_DEGREE, DEGREES, DEGREE_CODES);
	ed->school = text(w, IC_SCHOOL, TEXT_MAX_CHARS);
	ed->major = text(w, IC_MAJOR, TEXT_MAX_CHARS);
	ed->graduated_on = date_cell(w, IC_GRADUATED_ON);
	int dfc = bool_cell(w, IC_DFC);
	if (ed->degree) {
		ed->double_first_class = dfc == 1;
		t->educations = ed;
		t->n_educations = 1;
		t->degree = ed->degree;
		t->graduated_on = ed->graduated_on;
		t->double_first_class = dfc;
	} else if (!w->v[IC_DEGREE] && (ed->school || ed->major || ed->graduated_on)) {
		cell_err(w, IC_DEGREE, "degree_required",
		         "填写毕业院校、专业或毕业日期时须填写学历",
		         "the degree is required with a school, major or graduation date");
	} else {
		t->double_first_class = dfc;
	}
	t->title = label_cell(w, IC_TITLE, TITLES, TITLE_CODES);
	const char *skill = label_cell(w, IC_SKILL, SKILLS, SKILL_CODES);
	if (skill)
		t->skill_level = skill[0] - '0';
	enum tp_rc rc = enterprise_cell(w, t);
	if (rc != TP_OK)
		return rc;
	t->town = ref_cell(w, IC_TOWN, c->towns, c->ntowns);
	t->industry = ref_cell(w, IC_INDUSTRY, c->industries, c->nindustries);
	small_int_cell(w, IC_TIER, 7, &t->tier);
	t->tier_from = date_cell(w, IC_TIER_FROM);
	t->tier_to = date_cell(w, IC_TIER_TO);
	int st = bool_cell(w, IC_SHORT_TERM);
	t->short_term = st == 1;
	employer_scope(w, t);
	return TP_OK;
}

/* The column a talent_check() field name belongs to, or -1. */
static int field_col(const char *field)
{
	if (!field)
		return -1;
	for (int i = 0; i < IC_COUNT; i++)
		if (strcmp(field, import_columns[i].en) == 0)
			return i;
	if (strcmp(field, "enterprise_id") == 0)
		return IC_CREDIT_CODE;
	if (strcmp(field, "tier.to") == 0)
		return IC_TIER_TO;
	if (strcmp(field, "tier.from") == 0)
		return IC_TIER_FROM;
	return -1;
}

/*
 * An ID-number or phone cell as the report shows it (the report is kept in the database
 * and downloaded): never the full value, valid or not.  Eighteen ASCII characters in the
 * ID-number column keep the first 6 and last 4 (idcard_mask, "350582********1232");
 * anything else keeps at most its first 3 and last 2 characters, each one between
 * becoming '*' ("350***2X"), and 5 characters or fewer are all stars.  A byte that is not
 * well-formed UTF-8 is never kept.  NULL only when out of memory.
 */
static const char *masked_cell(struct arena *a, const char *s, int id_col)
{
	size_t n = strlen(s), chars = 0;
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)s[i] < 0x80;
	if (id_col && n == 18 && ascii) {
		char m[19];
		idcard_mask(s, m);
		return arena_strdup(a, m);
	}
	for (size_t i = 0; i < n; chars++) {
		size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
		i += k ? k : 1;
	}
	char *out = arena_alloc(a, n + 1); /* a character becomes itself or one '*' */
	if (!out)
		return NULL;
	size_t pos = 0, idx = 0;
	for (size_t i = 0; i < n; idx++) {
		size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (k && chars > 5 && (idx < 3 || idx >= chars - 2)) {
			memcpy(out + pos, s + i, k);
			pos += k;
		} else {
			out[pos++] = '*';
		}
		i += k ? k : 1;
	}
	out[pos] = '\0';
	return out;
}

/* The value an error on column col shows: the cell as given, masked for ID numbers and
 * phones (the trimmed cell; a blank one as given). */
static const char *report_value(struct row *w, int col)
{
	if (col < 0)
		return "";
	if ((col != IC_ID_NUMBER && col != IC_PHONE) || !w->v[col])
		return w->raw[col];
	const char *m = masked_cell(w->a, w->v[col], col == IC_ID_NUMBER);
	return m ? m : ""; /* out of memory: show nothing rather than the number */
}

static void flush_errors(struct row *w, size_t rowno)
{
	struct import_ctx *c = w->c;
	for (size_t i = 0; i < w->ve->n; i++) {
		const struct verr *e = &w->ve->v[i];
		int col = field_col(e->field);
		const char *column = col < 0       ? (e->field ? e->field : "")
		                     : c->hdr[col] ? c->hdr[col]
		                                   : import_columns[col].zh;
		import_add_error(c, rowno, column, report_value(w, col), e->code, e->zh, e->en);
	}
	if (w->ve->truncated)
		import_add_error(c, rowno, "", "", "too_many_errors", "本行错误过多，未全部列出",
		                 "this row has more errors than are listed");
}

/* The ID number of a row whose number is valid but taken: masked, since it may be another
 * person's (the earlier row, or someone already registered). */
static void id_error(struct row *w, size_t rowno, const char *idn, const char *code, const char *zh,
                     const char *en)
{
	char masked[19];
	idcard_mask(idn, masked);
	const char *column = w->c->hdr[IC_ID_NUMBER];
	import_add_error(w->c, rowno, column, masked, code, zh, en);
}

enum tp_rc import_row(struct import_ctx *c, const char *const *cells, size_t ncells, size_t rowno,
                      int insert, int *bad)
{
	struct verrors ve;
	verr_init(&ve, c->row);
	struct row w = {.c = c, .ve = &ve, .a = c->row};
	for (int i = 0; i < IC_COUNT; i++) {
		int k = c->map[i];
		w.raw[i] = k >= 0 && (size_t)k < ncells ? cells[k] : "";
		const char *s = import_trim(c->row, w.raw[i]);
		if (!s)
			return TP_ERR_NOMEM;
		w.v[i] = *s ? s : NULL;
	}
	size_t before = c->res->errors_total;
	for (size_t k = c->ncols; k < ncells; k++) {
		const char *s = import_trim(c->row, cells[k]);
		if (s && *s) {
			char column[32];
			snprintf(column, sizeof column, "#%zu", k + 1);
			import_add_error(c, rowno, column, cells[k], "cell_outside_columns",
			                 "此单元格不在任何表头之下",
			                 "this cell is beyond the last header column");
		}
	}
	struct talent t;
	struct education ed = {0};
	talent_blank(&t);
	enum tp_rc rc = row_to_talent(&w, &t, &ed);
	if (rc != TP_OK)
		return rc;
	rc = talent_check(c->st, &t, &ve);
	if (rc != TP_OK && rc != TP_ERR_INVALID)
		return rc;
	flush_errors(&w, rowno);

	char idn[19];
	if (w.v[IC_ID_NUMBER] && idcard_normalize(w.v[IC_ID_NUMBER], idn) == IDCARD_OK) {
		size_t first = id_seen(&c->ids, idn, rowno);
		if (first == (size_t)-1)
			return TP_ERR_NOMEM;
		if (first) {
			char zh[160], en[160];
			snprintf(zh, sizeof zh, "身份证号码与第 %zu 行重复", first);
			snprintf(en, sizeof en, "the same ID number as row %zu", first);
			id_error(&w, rowno, idn, "id_number_duplicate", zh, en);
		} else if (!insert || c->res->errors_total > before) {
			/* not inserted: look it up, so that the report is complete */
			int64_t other;
			rc = STORE_CALL(talent_find_id_number, c->st, idn, &other);
			if (rc == TP_OK)
				id_error(&w, rowno, idn, "id_number_taken", "该身份证号码已登记",
				         "this ID number is already registered");
			else if (rc != TP_ERR_NOT_FOUND)
				return rc;
		}
	}
	*bad = c->res->errors_total > before;
	if (*bad || !insert)
		return TP_OK;
	rc = STORE_CALL(talent_insert, c->st, &t);
	if (rc == TP_ERR_CONFLICT) {
		/* only the talents row can conflict: its insert was undone alone */
		id_error(&w, rowno, idn, "id_number_taken", "该身份证号码已登记",
		         "this ID number is already registered");
		*bad = 1;
		return TP_OK;
	}
	/* the rules were checked: a row the store still refuses is the store's failure */
	return rc == TP_ERR_INVALID ? TP_ERR_DB : rc;
}
