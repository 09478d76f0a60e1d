#include "core/luhn.h"

#include <stdio.h>
#include <string.h>

/* Sum of the Luhn-weighted digits of s[0..n), the rightmost digit weighted 1 when
 * check_included (validating) or 2 when not (computing the check digit). */
static int luhn_sum(const char *s, size_t n, int check_included)
{
	int sum = 0;
	int dbl = !check_included;
	for (size_t i = n; i-- > 0;) {
		int d = s[i] - '0';
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	return sum;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int luhn_valid(const char *digits)
{
	if (!digits)
		return 0;
	size_t n = strlen(digits);
	if (n < 2 || !all_digits(digits, n))
		return 0;
	return luhn_sum(digits, n, 1) % 10 == 0;
}

char luhn_check_digit(const char *payload)
{
	if (!payload)
		return '\0';
	size_t n = strlen(payload);
	if (n == 0 || !all_digits(payload, n))
		return '\0';
	return (char)('0' + (10 - luhn_sum(payload, n, 0) % 10) % 10);
}

enum bank_number_err bank_number_normalize(const char *in, int card,
					   char out[BANK_NUMBER_MAX + 1])
{
	out[0] = '\0';
	if (!in)
		return BANKNO_EMPTY;
	char buf[BANK_NUMBER_MAX + 1];
	size_t n = 0, seen = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9')
			return BANKNO_BAD_CHAR;
		if (n < BANK_NUMBER_MAX)
			buf[n++] = *p;
		seen++;
	}
	if (seen == 0)
		return BANKNO_EMPTY;
	size_t lo = card ? 16 : 8, hi = card ? 19 : 30;
	if (seen < lo || seen > hi)
		return BANKNO_BAD_LENGTH;
	buf[n] = '\0';
	if (card && !luhn_valid(buf))
		return BANKNO_BAD_CHECK;
	memcpy(out, buf, n + 1);
	return BANKNO_OK;
}

void bank_number_mask(const char *digits, char out[24])
{
	size_t n = digits ? strlen(digits) : 0;
	if (n >= 12)
		snprintf(out, 24, "%.4s **** **** %s", digits, digits + n - 4);
	else if (n >= 4)
		snprintf(out, 24, "**** %s", digits + n - 4);
	else
		snprintf(out, 24, "****");
}

const char *bank_number_err_code(enum bank_number_err e)
{
	switch (e) {
	case BANKNO_OK: return "ok";
	case BANKNO_EMPTY: return "required";
	case BANKNO_BAD_CHAR: return "account_number_digits";
	case BANKNO_BAD_LENGTH: return "account_number_length";
	case BANKNO_BAD_CHECK: return "account_number_luhn";
	}
	return "account_number_invalid";
}

const char *bank_number_err_zh(enum bank_number_err e, int card)
{
	switch (e) {
	case BANKNO_OK: return "有效";
	case BANKNO_EMPTY: return "请填写账号";
	case BANKNO_BAD_CHAR: return "账号只能包含数字（可用空格分组）";
	case BANKNO_BAD_LENGTH:
		return card ? "银行卡号应为 16 到 19 位数字" : "对公账号应为 8 到 30 位数字";
	case BANKNO_BAD_CHECK: return "银行卡号校验位错误（Luhn 校验未通过），请核对卡号";
	}
	return "账号无效";
}

const char *bank_number_err_en(enum bank_number_err e, int card)
{
	switch (e) {
	case BANKNO_OK: return "valid";
	case BANKNO_EMPTY: return "the account number is required";
	case BANKNO_BAD_CHAR: return "the account number may hold only digits (and spaces)";
	case BANKNO_BAD_LENGTH:
		return card ? "a card number has 16 to 19 digits"
			    : "a corporate account number has 8 to 30 digits";
	case BANKNO_BAD_CHECK:
		return "the card number's check digit is wrong (Luhn check failed): check the number";
	}
	return "the account number is invalid";
}
