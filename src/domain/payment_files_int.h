/*
 * payment_files_int.h — pieces shared by payment_csv.c, payment_xlsx.c and
 * payment_result.c.  Not for use outside those files.
 */
#ifndef TP_DOMAIN_PAYMENT_FILES_INT_H
#define TP_DOMAIN_PAYMENT_FILES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/payment_files.h"

/* line id → index into the lines array (open addressing, ids > 0). */
struct pf_idmap {
	int64_t *keys;   /* 0: empty slot */
	size_t *vals;
	size_t mask;
};

/*
 * Builds the map of lines[0..n); a line id <= 0 or repeated is TP_ERR_INVALID with
 * *bad set to that id.  TP_ERR_NOMEM.
 */
enum tp_rc pf_idmap_build(struct pf_idmap *m, const struct pay_line_view *lines, size_t n,
			  int64_t *bad);
/* The index of id, or (size_t)-1. */
size_t pf_idmap_find(const struct pf_idmap *m, int64_t id);
void pf_idmap_free(struct pf_idmap *m);

/* Fills *err (if not NULL) and returns TP_ERR_INVALID. */
enum tp_rc pf_fail(struct payfile_err *err, int64_t line_id, const char *code, const char *zh,
		   const char *en);

/*
 * Checks what every file needs: 1..PAYFILE_MAX_LINES lines (else TP_ERR_TOO_LARGE or
 * INVALID), unique line ids > 0, a total that fits in int64 fen (*total).  With bank 1,
 * also the bank file's rules (account number digits, name, bank, amount > 0).
 */
enum tp_rc pf_check_lines(const struct pay_line_view *lines, size_t n, int bank,
			  int64_t *total, struct payfile_err *err);

/*
 * A masked form that is safe to publish whatever the caller passed: s unchanged if
 * it already holds a '*'; else an 18-character ID number as 6 + 8 stars + 4, anything
 * else with every character but the last 4 starred.  Into out (outlen >= 64).
 */
const char *pf_mask_safe(const char *s, char *out, size_t outlen);

/* The Chinese word for a beneficiary kind ("talent" → "人才"), else kind itself. */
const char *pf_kind_zh(const char *kind);

#endif
