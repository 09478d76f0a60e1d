/*
 * registry.h — the talent registry: talents, enterprises, employment, reference codes.
 *
 * These structs are the records everything else hangs on; they carry the facts
 * the policy pack reads (shared/reference/default-pack.md).  Strings are UTF-8
 * and owned by an arena; NULL means "not recorded".  Integers use 0 for "none"
 * where 0 is not a valid value (tier, levels), and -1 for an unknown boolean.
 */
#ifndef TP_DOMAIN_REGISTRY_H
#define TP_DOMAIN_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "core/verr.h"

struct arena;
struct store;

#define NAME_MAX_CHARS 50
#define TEXT_MAX_CHARS 200

struct education {
	const char *degree;       /* none|associate|bachelor|master|phd */
	const char *school;
	const char *major;
	const char *graduated_on; /* YYYY-MM-DD */
	int double_first_class;   /* 0/1 */
};

/* One year of facts: months with Jinjiang social insurance and days worked here. */
struct talent_year {
	int year;
	unsigned insured_months; /* bit m-1 set for month m */
	int days_in_jinjiang;    /* -1 unknown */
};

struct child {
	const char *name;
	const char *birth_date;
};

struct employment {
	int64_t id, talent_id, enterprise_id;
	const char *enterprise_name; /* filled on reads */
	const char *started_on, *ended_on, *position;
	int64_t annual_salary_fen;   /* -1 unknown */
};

struct talent {
	int64_t id, version;
	const char *name;
	const char *gender;          /* "M" | "F" */
	const char *id_number;       /* normalized 18 characters */
	const char *birth_date;
	const char *phone;
	const char *email;
	const char *degree;          /* highest degree (from educations when given) */
	int double_first_class;      /* -1 unknown */
	const char *graduated_on;
	const char *title;           /* junior|intermediate|deputy_senior|senior */
	int skill_level;             /* 0 none, 1 高级技师 … 5 初级工 */
	int64_t enterprise_id;       /* current employer, 0 none */
	const char *enterprise_name; /* filled on reads */
	const char *town;            /* town code */
	const char *industry;        /* industry code */
	int tier;                    /* government certification 1..7, 0 none */
	const char *tier_from, *tier_to;
	int quanzhou_level;          /* 1..5, 0 none */
	const char *quanzhou_selected_on;
	int provincial_level;        /* 1..3, 0 none */
	const char *provincial_selected_on;
	int short_term;              /* 柔性引进: 0/1 */
	const char *home_contract_date;
	int64_t home_area_cm2;       /* m² × 100, -1 unknown */
	int home_in_jinjiang, home_first;   /* -1 unknown */
	const char *startup_registered_on;
	int startup_in_jinjiang;     /* -1 unknown */
	const char *created_at, *updated_at;
	/* reads only: the masked forms the store keeps ("350582********123X", "138****5678"),
	 * what renderers show; lists fill these and leave id_number and phone NULL */
	const char *id_number_mask, *phone_mask;
	struct education *educations;
	size_t n_educations;
	struct talent_year *years;
	size_t n_years;
	struct child *children;
	size_t n_children;
	struct employment *employments; /* reads only */
	size_t n_employments;
};

struct enterprise {
	int64_t id, version;
	const char *name;
	const char *credit_code;     /* normalized 18 characters */
	const char *town;
	const char *industry;
	const char *size;            /* micro|small|medium|large */
	const char *contact_name;
	const char *contact_phone;
	const char *address;
	int64_t staff_count;         /* reads only: current employees in the registry */
	const char *created_at, *updated_at;
};

/* A filtered, paginated list query. Zero/NULL members are "any". */
struct registry_query {
	const char *town, *industry, *degree, *size;
	int tier;                    /* 1..7; -1 "no tier" */
	int64_t enterprise_id;       /* -1: none can match (an employer without an enterprise) */
	int64_t liaison_id;          /* only talents linked to this liaison account */
	const char *q;               /* name prefix, or an exact ID number / credit code */
	const char *id_number;       /* normalized, set by the domain when q is an ID number */
	int page, per_page;
};

#define PER_PAGE_MAX 200
#define PER_PAGE_DEFAULT 20

struct talent_page {
	struct talent *items;
	size_t n;
	int64_t total;
};

struct enterprise_page {
	struct enterprise *items;
	size_t n;
	int64_t total;
};

/* Reference code kinds, each a table seeded by migrations. */
enum ref_kind { REF_TOWN, REF_INDUSTRY, REF_DEGREE, REF_TITLE, REF_SKILL, REF_SIZE };

struct ref_item {
	const char *code, *name_zh, *name_en, *parent, *kind;
	int rank;
	int editable;
};

#endif
