/*
 * uscc.c — unified social credit codes (GB 32100-2015); see uscc.h.
 */
#include "core/uscc.h"

#include <string.h>

#define USCC_LEN 18

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* 31 characters */

static const unsigned char weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Index of c (upper case) in the alphabet, or -1. */
static int value_of(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p == NULL ? -1 : (int)(p - alphabet);
}

char uscc_check_char(const char *first17)
{
	unsigned sum = 0;
	unsigned c;

	if (first17 == NULL)
		return '\0';
	for (int i = 0; i < 17; i++) {
		int v = value_of(upper(first17[i]));

		if (v < 0)
			return '\0';
		sum += (unsigned)v * weights[i];
	}
	c = 31 - sum % 31;
	return alphabet[c == 31 ? 0 : c];
}

enum uscc_err uscc_normalize(const char *in, char out[19])
{
	char code[USCC_LEN + 1];
	const char *b, *e;
	size_t n;

	out[0] = '\0';
	if (in == NULL)
		return USCC_EMPTY;
	b = in;
	e = in + strlen(in);
	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	n = (size_t)(e - b);
	if (n == 0)
		return USCC_EMPTY;
	if (n != USCC_LEN)
		return USCC_BAD_LENGTH;
	for (size_t i = 0; i < n; i++) {
		code[i] = upper(b[i]);
		if (value_of(code[i]) < 0)
			return USCC_BAD_CHAR;
	}
	code[USCC_LEN] = '\0';
	for (int i = 2; i < 8; i++) {
		if (code[i] < '0' || code[i] > '9')
			return USCC_BAD_REGION;
	}
	if (uscc_check_char(code) != code[17])
		return USCC_BAD_CHECKSUM;
	memcpy(out, code, USCC_LEN + 1);
	return USCC_OK;
}

const char *uscc_err_code(enum uscc_err e)
{
	switch (e) {
	case USCC_OK: return "ok";
	case USCC_EMPTY: return "credit_code_empty";
	case USCC_BAD_LENGTH: return "credit_code_length";
	case USCC_BAD_CHAR: return "credit_code_char";
	case USCC_BAD_REGION: return "credit_code_region";
	case USCC_BAD_CHECKSUM: return "credit_code_checksum";
	}
	return "credit_code_invalid";
}

const char *uscc_err_zh(enum uscc_err e)
{
	switch (e) {
	case USCC_OK: return "统一社会信用代码有效";
	case USCC_EMPTY: return "统一社会信用代码不能为空";
	case USCC_BAD_LENGTH: return "统一社会信用代码应为18位";
	case USCC_BAD_CHAR: return "统一社会信用代码含有非法字符（不使用I、O、S、V、Z）";
	case USCC_BAD_REGION: return "统一社会信用代码的登记管理机关行政区划码无效";
	case USCC_BAD_CHECKSUM: return "统一社会信用代码校验位错误";
	}
	return "统一社会信用代码无效";
}

const char *uscc_err_en(enum uscc_err e)
{
	switch (e) {
	case USCC_OK: return "unified social credit code is valid";
	case USCC_EMPTY: return "unified social credit code is required";
	case USCC_BAD_LENGTH: return "unified social credit code must have 18 characters";
	case USCC_BAD_CHAR:
		return "unified social credit code has a character outside 0-9 and A-Y "
		       "(I, O, S, V, Z are not used)";
	case USCC_BAD_REGION: return "unified social credit code has an invalid region code";
	case USCC_BAD_CHECKSUM: return "unified social credit code check character is wrong";
	}
	return "unified social credit code is invalid";
}
