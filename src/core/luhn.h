/*
 * luhn.h — bank account numbers: the Luhn check (ISO/IEC 7812-1 annex B) of card
 * numbers, the shape rules of personal cards and corporate accounts, and the mask shown
 * in place of a number.  Every function is pure and thread-safe.
 */
#ifndef TP_LUHN_H
#define TP_LUHN_H

#include <stddef.h>

/* 1 when digits (only '0'..'9', at least 2) passes the Luhn check, else 0 (also for NULL,
 * an empty string or any other character). */
int luhn_valid(const char *digits);

/* The Luhn check digit ('0'..'9') to append to payload (digits only), '\0' when payload
 * is NULL, empty or not all digits. */
char luhn_check_digit(const char *payload);

enum bank_number_err {
	BANKNO_OK = 0,
	BANKNO_EMPTY,      /* NULL or only spaces */
	BANKNO_BAD_CHAR,   /* something other than digits and spaces */
	BANKNO_BAD_LENGTH, /* a card: not 16..19 digits; a corporate account: not 8..30 */
	BANKNO_BAD_CHECK,  /* a card whose last digit fails the Luhn check */
};

#define BANK_NUMBER_MAX 30

/*
 * Validates a bank account number and writes its canonical form (the digits, spaces
 * removed) plus NUL into out.  card = 1: a personal bank card (16..19 digits, Luhn);
 * card = 0: a corporate account (对公账户, 8..30 digits, no check digit).  On any
 * error out is "".
 */
enum bank_number_err bank_number_normalize(const char *in, int card,
					   char out[BANK_NUMBER_MAX + 1]);

/*
 * The displayed form of a canonical number: 12 or more digits show the first 4 and the
 * last 4 ("6222 **** **** 1234"), fewer show the last 4 only ("**** 5678"), so a mask
 * never gives the whole number away.  out needs 24 bytes.
 */
void bank_number_mask(const char *digits, char out[24]);

/* Machine code ("account_number_luhn" ...), zh and en messages for e; static strings. */
const char *bank_number_err_code(enum bank_number_err e);
const char *bank_number_err_zh(enum bank_number_err e, int card);
const char *bank_number_err_en(enum bank_number_err e, int card);

#endif
