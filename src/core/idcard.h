/*
 * idcard.h — Chinese resident identity numbers (GB 11643-1999) and phone numbers.
 *
 * A normalized ID number is 18 characters: 6-digit region, 8-digit birth date
 * (YYYYMMDD), 3-digit sequence (odd 17th digit = male) and an ISO 7064
 * MOD 11-2 check character (0-9 or upper-case X).
 *
 * Every function is pure and thread-safe (idcard_normalize() reads the clock).
 * Error codes are never renumbered: add new ones at the end.
 */
#ifndef TP_IDCARD_H
#define TP_IDCARD_H

#include <stddef.h>

#include "core/date.h"

enum idcard_err {
	IDCARD_OK = 0,
	IDCARD_EMPTY,        /* NULL or only spaces */
	IDCARD_BAD_LENGTH,   /* not 18 (or legacy 15) characters */
	IDCARD_BAD_CHAR,     /* not 17 digits + digit/X (or 15 digits) */
	IDCARD_BAD_REGION,   /* unknown province code, or "0000" below it */
	IDCARD_BAD_DATE,     /* not a real date, before 1800-01-01 or after today */
	IDCARD_BAD_CHECKSUM, /* the 18th character does not match */
};

/*
 * Validates in and writes its 18-character form plus NUL into out.
 * Accepts 18 characters (17 digits + digit or X; x is upper-cased) or a legacy
 * 15-digit number (YYMMDD birth date in 19xx), which is widened by inserting
 * "19" after the region and appending the check character. Leading and
 * trailing ASCII whitespace is ignored. Checks run in the order of the enum;
 * the first failure is returned. The birth date must lie in 1800-01-01..today
 * (today in UTC+8). On any error out is "" (out is always NUL-terminated).
 */
enum idcard_err idcard_normalize(const char *in, char out[19]);

/*
 * As idcard_normalize(), with "today" given instead of read from the clock,
 * so that callers and tests get reproducible answers.
 */
enum idcard_err idcard_normalize_on(const char *in, struct civil_date today, char out[19]);

/*
 * Returns a stable machine code for e, e.g. "id_number_checksum"; "ok" for
 * IDCARD_OK, "id_number_invalid" for a value outside the enum. Never NULL;
 * the string is static.
 */
const char *idcard_err_code(enum idcard_err e);

/* Returns a zh-CN message for e (static UTF-8 string, never NULL). */
const char *idcard_err_zh(enum idcard_err e);

/* Returns an English message for e (static string, never NULL). */
const char *idcard_err_en(enum idcard_err e);

/*
 * Returns the MOD 11-2 check character ('0'-'9' or 'X') for the first 17
 * characters of first17, or '\0' if first17 is NULL or any of them is not a
 * digit.
 */
char idcard_check_char(const char *first17);

/*
 * Returns the birth date in characters 7-14 of a normalized number, or
 * {0, 0, 0} if id18 is NULL, shorter than 14 or those are not a valid date.
 */
struct civil_date idcard_birth_date(const char *id18);

/*
 * Returns 'M' if the 17th digit is odd, 'F' if even, '\0' if id18 is NULL,
 * shorter than 17 or that character is not a digit.
 */
char idcard_gender(const char *id18);

/*
 * Writes the masked form of an 18-character number into out: first 6, eight
 * '*', last 4 ("350582********1231"). Any input that is not exactly 18
 * characters (including NULL) is written as all stars (18 of them at most)
 * so that nothing leaks.
 */
void idcard_mask(const char *id18, char out[19]);

/*
 * Writes a masked phone number into out (outlen bytes, always NUL-terminated
 * when outlen > 0; truncated, never splitting a UTF-8 character, if too small).
 * A mainland mobile number ("13812345678") keeps its first 3 and last 4 digits
 * ("138****5678"). Anything else keeps its first 3 and last 2 characters
 * (UTF-8 aware) and stars each one between; 5 characters or fewer become all
 * stars so that something is always hidden. NULL is written as "".
 */
void phone_mask(const char *phone, char *out, size_t outlen);

/*
 * Returns 1 if s is a mainland mobile number (11 digits, "1" then 3-9) or a
 * landline: "0", a 2-3 digit area code not starting with 0, an optional
 * hyphen, then 7-8 digits ("0595-85681234", "059585681234", "010-12345678").
 * No spaces, no "+86". Returns 0 otherwise (and for NULL).
 */
int phone_valid(const char *s);

#endif
