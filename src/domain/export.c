/*
 * export.c — talents to CSV/XLSX in the import template's shape, and the template.
 */
#include "domain/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/idcard.h"
#include "domain/import.h"
#include "store/store.h"

/* Enterprise id → credit code, looked up once per enterprise. */
struct ent_slot {
	int64_t id; /* 0 when free */
	const char *code;
};

struct export_ctx {
	struct store *st;
	const struct export_opts *o;
	struct table_writer *w;
	struct arena *keep;    /* reference lists, credit codes: the whole export */
	struct arena *scratch; /* per-row reads, renewed every few thousand rows */
	size_t scratch_rows;
	struct ref_item *towns, *industries;
	size_t ntowns, nindustries;
	struct ent_slot *ents;
	size_t ents_cap, ents_n;
	size_t rows;
	enum tp_rc rc;
};

static const char *ref_name(const struct ref_item *it, size_t n, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].code, code) == 0)
			return it[i].name_zh ? it[i].name_zh : it[i].code;
	return code;
}

static enum tp_rc credit_code(struct export_ctx *c, int64_t id, const char **out)
{
	*out = NULL;
	if (!id)
		return TP_OK;
	if ((c->ents_n + 1) * 2 > c->ents_cap) {
		size_t ncap = c->ents_cap ? c->ents_cap * 2 : 256;
		struct ent_slot *n = calloc(ncap, sizeof(*n));
		if (!n)
			return TP_ERR_NOMEM;
		for (size_t i = 0; i < c->ents_cap; i++) {
			if (!c->ents[i].id)
				continue;
			size_t j = (size_t)c->ents[i].id * 2654435761u & (ncap - 1);
			while (n[j].id)
				j = (j + 1) & (ncap - 1);
			n[j] = c->ents[i];
		}
		free(c->ents);
		c->ents = n;
		c->ents_cap = ncap;
	}
	size_t j = (size_t)id * 2654435761u & (c->ents_cap - 1);
	while (c->ents[j].id) {
		if (c->ents[j].id == id) {
			*out = c->ents[j].code;
			return TP_OK;
		}
		j = (j + 1) & (c->ents_cap - 1);
	}
	struct enterprise e;
	enum tp_rc rc = STORE_CALL(enterprise_get, c->st, id, c->keep, &e);
	if (rc == TP_ERR_NOT_FOUND)
		return TP_OK;
	if (rc != TP_OK)
		return rc;
	c->ents[j].id = id;
	c->ents[j].code = e.credit_code;
	c->ents_n++;
	*out = e.credit_code;
	return TP_OK;
}

static int matches(const struct registry_query *f, const struct talent *t)
{
	if (!f)
		return 1;
	if (f->town && (!t->town || strcmp(f->town, t->town) != 0))
		return 0;
	if (f->industry && (!t->industry || strcmp(f->industry, t->industry) != 0))
		return 0;
	if (f->degree && (!t->degree || strcmp(f->degree, t->degree) != 0))
		return 0;
	if ((f->tier > 0 && t->tier != f->tier) || (f->tier < 0 && t->tier != 0))
		return 0;
	if (f->enterprise_id && t->enterprise_id != f->enterprise_id)
		return 0;
	if (f->id_number)
		return t->id_number && strcmp(f->id_number, t->id_number) == 0;
	if (f->q)
		return t->name && strncmp(t->name, f->q, strlen(f->q)) == 0;
	return 1;
}

static const char *yes_no(int v)
{
	return v < 0 ? NULL : v ? "是" : "否";
}

static void write_header(struct export_ctx *c)
{
	const char *h[IC_COUNT];
	for (int i = 0; i < IC_COUNT; i++)
		h[i] = import_columns[i].zh;
	c->rc = table_writer_row(c->w, h, IC_COUNT, NULL);
}

static const enum cell_kind KINDS[IC_COUNT] = {[IC_TIER] = CELL_NUMBER, [IC_ID] = CELL_NUMBER};

static int on_talent(void *ctx, const struct talent *t)
{
	struct export_ctx *c = ctx;
	if (!matches(c->o->filter, t))
		return 0;
	if (c->o->filter && c->o->filter->liaison_id &&
	    STORE_CALL(liaison_has, c->st, c->o->filter->liaison_id, t->id) != TP_OK)
		return 0; /* a liaison exports only the talents linked to them */
	const char *school = NULL, *major = NULL;
	if (t->degree) {
		/* the school and major of the highest degree live in the educations */
		struct talent full;
		enum tp_rc rc = STORE_CALL(talent_get, c->st, t->id, c->scratch, &full);
		if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
			c->rc = rc;
			return 1;
		}
		for (size_t i = 0; rc == TP_OK && i < full.n_educations; i++) {
			if (full.educations[i].degree &&
			    strcmp(full.educations[i].degree, t->degree) == 0) {
				school = full.educations[i].school;
				major = full.educations[i].major;
				break;
			}
		}
	}
	const char *credit;
	if ((c->rc = credit_code(c, t->enterprise_id, &credit)) != TP_OK)
		return 1;
	char idn[24], phone[32], tier[16], id[24], skill[16];
	/* masked: the store's masks when it gave them, else made here */
	if (c->o->unmasked)
		snprintf(idn, sizeof idn, "%s", t->id_number ? t->id_number : "");
	else if (t->id_number_mask)
		snprintf(idn, sizeof idn, "%s", t->id_number_mask);
	else
		idcard_mask(t->id_number, idn);
	if (c->o->unmasked || (!t->phone_mask && !t->phone))
		snprintf(phone, sizeof phone, "%s", t->phone ? t->phone : "");
	else if (t->phone_mask)
		snprintf(phone, sizeof phone, "%s", t->phone_mask);
	else
		phone_mask(t->phone, phone, sizeof phone);
	snprintf(tier, sizeof tier, "%d", t->tier);
	snprintf(id, sizeof id, "%lld", (long long)t->id);
	snprintf(skill, sizeof skill, "%d", t->skill_level % 10);
	const char *cells[IC_COUNT] = {
	    [IC_NAME] = t->name,
	    [IC_ID_NUMBER] = idn,
	    [IC_GENDER] = !t->gender                    ? NULL
	                  : strcmp(t->gender, "M") == 0 ? "男"
	                                                : "女",
	    [IC_BIRTH_DATE] = t->birth_date,
	    [IC_PHONE] = phone,
	    [IC_EMAIL] = t->email,
	    [IC_DEGREE] = import_label(IC_DEGREE, t->degree),
	    [IC_SCHOOL] = school,
	    [IC_MAJOR] = major,
	    [IC_GRADUATED_ON] = t->graduated_on,
	    [IC_DFC] = yes_no(t->double_first_class),
	    [IC_TITLE] = import_label(IC_TITLE, t->title),
	    [IC_SKILL] = t->skill_level ? import_label(IC_SKILL, skill) : NULL,
	    [IC_CREDIT_CODE] = credit,
	    [IC_TOWN] = ref_name(c->towns, c->ntowns, t->town),
	    [IC_INDUSTRY] = ref_name(c->industries, c->nindustries, t->industry),
	    [IC_TIER] = t->tier ? tier : NULL,
	    [IC_TIER_FROM] = t->tier_from,
	    [IC_TIER_TO] = t->tier_to,
	    [IC_SHORT_TERM] = yes_no(t->short_term),
	    [IC_ID] = id,
	};
	if ((c->rc = table_writer_row(c->w, cells, IC_COUNT, KINDS)) != TP_OK)
		return 1;
	c->rows++;
	if (++c->scratch_rows == 2000) {
		c->scratch_rows = 0;
		arena_free(c->scratch);
		if (!(c->scratch = arena_new())) {
			c->rc = TP_ERR_NOMEM;
			return 1;
		}
	}
	return 0;
}

enum tp_rc export_talents(struct store *st, const struct export_opts *o, const char *path,
                          size_t *rows)
{
	if (rows)
		*rows = 0;
	if (o->format != TABLE_CSV && o->format != TABLE_XLSX)
		return TP_ERR_INVALID;
	struct export_ctx c = {.st = st, .o = o};
	c.keep = arena_new();
	c.scratch = arena_new();
	enum tp_rc rc = c.keep && c.scratch ? TP_OK : TP_ERR_NOMEM;
	if (rc == TP_OK)
		rc = STORE_CALL(ref_list, st, REF_TOWN, c.keep, &c.towns, &c.ntowns);
	if (rc == TP_OK)
		rc = STORE_CALL(ref_list, st, REF_INDUSTRY, c.keep, &c.industries, &c.nindustries);
	if (rc == TP_OK)
		rc = table_writer_open(path, o->format, "talents", &c.w);
	if (rc == TP_OK) {
		write_header(&c);
		rc = c.rc;
	}
	if (rc == TP_OK) {
		rc = STORE_CALL(talent_each, st, on_talent, &c);
		if (rc == TP_OK)
			rc = c.rc;
	}
	if (c.w) {
		enum tp_rc crc = table_writer_close(c.w);
		if (rc == TP_OK)
			rc = crc;
	}
	if (rows)
		*rows = c.rows;
	free(c.ents);
	arena_free(c.keep);
	arena_free(c.scratch);
	return rc;
}

enum tp_rc export_template(enum table_format fmt, const char *path)
{
	if (fmt != TABLE_CSV && fmt != TABLE_XLSX)
		return TP_ERR_INVALID;
	/* a fictional person: region 350582 (Jinjiang), born 1992-03-15, sequence 013 (male) */
	char idn[19] = "35058219920315013";
	idn[17] = idcard_check_char(idn);
	idn[18] = '\0';
	const char *h[IC_COUNT - 1], *ex[IC_COUNT - 1] = {
	                                 [IC_NAME] = "林晓明",
	                                 [IC_ID_NUMBER] = idn,
	                                 [IC_GENDER] = "男",
	                                 [IC_BIRTH_DATE] = "1992-03-15",
	                                 [IC_PHONE] = "13800138000",
	                                 [IC_EMAIL] = "linxm@example.com",
	                                 [IC_DEGREE] = "硕士研究生",
	                                 [IC_SCHOOL] = "华侨大学",
	                                 [IC_MAJOR] = "材料科学与工程",
	                                 [IC_GRADUATED_ON] = "2017-06-30",
	                                 [IC_DFC] = "否",
	                                 [IC_TITLE] = "中级",
	                                 [IC_TOWN] = "陈埭镇",
	                                 [IC_INDUSTRY] = "纺织鞋服",
	                                 [IC_TIER] = "6",
	                                 [IC_TIER_FROM] = "2024-01-01",
	                                 [IC_TIER_TO] = "2026-12-31",
	                                 [IC_SHORT_TERM] = "否",
	                             };
	for (int i = 0; i < IC_COUNT - 1; i++)
		h[i] = import_columns[i].zh;
	struct table_writer *w;
	enum tp_rc rc = table_writer_open(path, fmt, "talents", &w);
	if (rc != TP_OK)
		return rc;
	rc = table_writer_row(w, h, IC_COUNT - 1, NULL);
	if (rc == TP_OK)
		rc = table_writer_row(w, ex, IC_COUNT - 1, KINDS);
	enum tp_rc crc = table_writer_close(w);
	return rc != TP_OK ? rc : crc;
}

struct mem_job {
	struct store *st;
	const struct export_opts *o;
	enum table_format fmt;
	size_t *rows;
};

static enum tp_rc talents_cb(void *ctx, const char *path)
{
	struct mem_job *j = ctx;
	return export_talents(j->st, j->o, path, j->rows);
}

static enum tp_rc template_cb(void *ctx, const char *path)
{
	struct mem_job *j = ctx;
	return export_template(j->fmt, path);
}

enum tp_rc export_talents_mem(struct store *st, const struct export_opts *o, void **buf,
                              size_t *len, size_t *rows)
{
	struct mem_job j = {.st = st, .o = o, .rows = rows};
	return table_write_to_memory(talents_cb, &j, buf, len);
}

enum tp_rc export_template_mem(enum table_format fmt, void **buf, size_t *len)
{
	struct mem_job j = {.fmt = fmt};
	return table_write_to_memory(template_cb, &j, buf, len);
}
