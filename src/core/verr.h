/*
 * verr.h — validation errors: which field broke which rule, in Chinese and English.
 *
 * Collected by the API layer and the domain rules alike, rendered as the
 * `errors` member of an RFC 9457 problem or as rows of an import report.
 */
#ifndef TP_VERR_H
#define TP_VERR_H

#include <stddef.h>

struct arena;

struct verr {
	const char *field; /* "id_number", "tier.level", "educations[1].degree" */
	const char *code;  /* stable machine code: "id_number_checksum" */
	const char *zh;    /* 身份证号码校验位错误 */
	const char *en;    /* ID number check digit is wrong */
};

#define VERR_MAX 100

struct verrors {
	struct arena *arena; /* owns copies of every string added */
	struct verr v[VERR_MAX];
	size_t n;
	int truncated; /* more than VERR_MAX were added */
};

/* Starts an empty list whose strings live in a. */
void verr_init(struct verrors *ve, struct arena *a);

/* Adds one error (strings copied into the arena). Past VERR_MAX it only
 * sets truncated. Out of memory drops the error but keeps ve->n > 0 semantics
 * by recording a generic entry. */
void verr_add(struct verrors *ve, const char *field, const char *code, const char *zh,
	      const char *en);

/* verr_add with printf-style messages: zh_fmt and en_fmt take the same arguments. */
void verr_addf(struct verrors *ve, const char *field, const char *code, const char *zh_fmt,
	       const char *en_fmt, ...);

/* Prefixes field names added since index `from` with "prefix." (for nested objects). */
void verr_prefix(struct verrors *ve, size_t from, const char *prefix);

/*
 * Drops the errors at index >= from whose field already has an error before from: a
 * member that failed to parse is left unset, and later rules would otherwise add a
 * second, misleading error for it ("required" for a name that was too long).
 */
void verr_drop_repeated_fields(struct verrors *ve, size_t from);

#endif
