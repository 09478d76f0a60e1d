/*
 * uscc.h — unified social credit codes (统一社会信用代码, GB 32100-2015).
 *
 * A code is 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O,
 * S, V, Z): registration authority (1), organization type (1), region (6
 * digits), organization code (9) and a check character computed over the
 * first 17. Every function is pure and thread-safe.
 * Error codes are never renumbered: add new ones at the end.
 */
#ifndef TP_USCC_H
#define TP_USCC_H

enum uscc_err {
	USCC_OK = 0,
	USCC_EMPTY,         /* NULL or only spaces */
	USCC_BAD_LENGTH,    /* not 18 characters */
	USCC_BAD_CHAR,      /* a character outside the code's alphabet */
	USCC_BAD_REGION,    /* characters 3-8 are not 6 digits */
	USCC_BAD_CHECKSUM,  /* the 18th character does not match */
};

/*
 * Validates in and writes its canonical form (upper case) plus NUL into out.
 * Leading and trailing ASCII whitespace is ignored; lower-case letters are
 * accepted. Checks run in the order of the enum; the first failure is
 * returned. On any error out is "" (out is always NUL-terminated).
 */
enum uscc_err uscc_normalize(const char *in, char out[19]);

/*
 * Returns the check character for the first 17 characters of first17
 * (upper case, from the code's alphabet): weights 1 3 9 27 19 26 16 17 20 29
 * 25 13 8 24 10 30 28, c = 31 - sum % 31, 31 counts as 0.
 * Returns '\0' if first17 is NULL or any of the 17 is outside the alphabet.
 */
char uscc_check_char(const char *first17);

/*
 * Returns a stable machine code for e, e.g. "credit_code_checksum"; "ok" for
 * USCC_OK, "credit_code_invalid" outside the enum. Static, never NULL.
 */
const char *uscc_err_code(enum uscc_err e);

/* Returns a zh-CN message for e (static UTF-8 string, never NULL). */
const char *uscc_err_zh(enum uscc_err e);

/* Returns an English message for e (static string, never NULL). */
const char *uscc_err_en(enum uscc_err e);

#endif
