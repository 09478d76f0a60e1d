/*
 * idcard.c — resident ID numbers (GB 11643-1999) and phone numbers; see idcard.h.
 */
#include "core/idcard.h"

#include <string.h>

#define ID_LEN 18
#define ID_LEGACY_LEN 15

/* The earliest birth date accepted: the standard's own example 440524188001010014 is 1880. */
static const struct civil_date earliest_birth = { 1800, 1, 1 };

static const unsigned char weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char idcard_check_char(const char *first17)
{
	unsigned sum = 0;

	if (first17 == NULL)
		return '\0';
	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return '\0';
		sum += (unsigned)(first17[i] - '0') * weights[i];
	}
	return "10X98765432"[sum % 11];
}

/* Province-level codes (GB/T 2260) plus 83 for Taiwan residents' permits. */
static int province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
	       (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
	       p == 71 || p == 81 || p == 82 || p == 83;
}

enum idcard_err idcard_normalize_on(const char *in, struct civil_date today, char out[19])
{
	char id[ID_LEN + 1];
	const char *b, *e;
	size_t n;
	struct civil_date birth;
	char check;

	out[0] = '\0';
	if (in == NULL)
		return IDCARD_EMPTY;
	b = in;
	e = in + strlen(in);
	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	n = (size_t)(e - b);
	if (n == 0)
		return IDCARD_EMPTY;
	if (n != ID_LEN && n != ID_LEGACY_LEN)
		return IDCARD_BAD_LENGTH;

	for (size_t i = 0; i < n; i++) {
		char c = b[i];

		if (i == ID_LEN - 1 && (c == 'x' || c == 'X'))
			continue;
		if (!is_digit(c))
			return IDCARD_BAD_CHAR;
	}

	if (n == ID_LEN) {
		memcpy(id, b, ID_LEN);
		if (id[17] == 'x')
			id[17] = 'X';
	} else {
		/* Region, then "19", then YYMMDD and the sequence; check char below. */
		memcpy(id, b, 6);
		memcpy(id + 6, "19", 2);
		memcpy(id + 8, b + 6, 9);
		id[17] = '\0';
	}
	id[ID_LEN] = '\0';

	if (!province_ok((id[0] - '0') * 10 + (id[1] - '0')) || memcmp(id + 2, "0000", 4) == 0)
		return IDCARD_BAD_REGION;

	birth = idcard_birth_date(id);
	if (birth.y == 0 || date_cmp(birth, earliest_birth) < 0 || date_cmp(birth, today) > 0)
		return IDCARD_BAD_DATE;

	check = idcard_check_char(id);
	if (n == ID_LEGACY_LEN)
		id[17] = check;
	else if (id[17] != check)
		return IDCARD_BAD_CHECKSUM;

	memcpy(out, id, ID_LEN + 1);
	return IDCARD_OK;
}

enum idcard_err idcard_normalize(const char *in, char out[19])
{
	return idcard_normalize_on(in, date_today_shanghai(), out);
}

const char *idcard_err_code(enum idcard_err e)
{
	switch (e) {
	case IDCARD_OK: return "ok";
	case IDCARD_EMPTY: return "id_number_empty";
	case IDCARD_BAD_LENGTH: return "id_number_length";
	case IDCARD_BAD_CHAR: return "id_number_char";
	case IDCARD_BAD_REGION: return "id_number_region";
	case IDCARD_BAD_DATE: return "id_number_date";
	case IDCARD_BAD_CHECKSUM: return "id_number_checksum";
	}
	return "id_number_invalid";
}

const char *idcard_err_zh(enum idcard_err e)
{
	switch (e) {
	case IDCARD_OK: return "身份证号码有效";
	case IDCARD_EMPTY: return "身份证号码不能为空";
	case IDCARD_BAD_LENGTH: return "身份证号码应为18位（或旧版15位）";
	case IDCARD_BAD_CHAR: return "身份证号码只能包含数字，最后一位可以是X";
	case IDCARD_BAD_REGION: return "身份证号码地区码无效";
	case IDCARD_BAD_DATE: return "身份证号码出生日期无效";
	case IDCARD_BAD_CHECKSUM: return "身份证号码校验位错误";
	}
	return "身份证号码无效";
}

const char *idcard_err_en(enum idcard_err e)
{
	switch (e) {
	case IDCARD_OK: return "ID number is valid";
	case IDCARD_EMPTY: return "ID number is required";
	case IDCARD_BAD_LENGTH: return "ID number must have 18 characters (or 15 for old numbers)";
	case IDCARD_BAD_CHAR: return "ID number may contain only digits, and a final X";
	case IDCARD_BAD_REGION: return "ID number has an unknown region code";
	case IDCARD_BAD_DATE: return "ID number has an invalid birth date";
	case IDCARD_BAD_CHECKSUM: return "ID number check character is wrong";
	}
	return "ID number is invalid";
}

struct civil_date idcard_birth_date(const char *id18)
{
	struct civil_date d = { 0, 0, 0 };
	int v[3] = { 0, 0, 0 };
	int w[3] = { 4, 2, 2 };
	const char *p;

	if (id18 == NULL || strnlen(id18, 14) < 14)
		return d;
	p = id18 + 6;
	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < w[f]; i++, p++) {
			if (!is_digit(*p))
				return d;
			v[f] = v[f] * 10 + (*p - '0');
		}
	}
	if (!date_valid(v[0], v[1], v[2]))
		return d;
	d.y = v[0];
	d.m = v[1];
	d.d = v[2];
	return d;
}

char idcard_gender(const char *id18)
{
	if (id18 == NULL || strnlen(id18, 17) < 17 || !is_digit(id18[16]))
		return '\0';
	return (id18[16] - '0') % 2 ? 'M' : 'F';
}

void idcard_mask(const char *id18, char out[19])
{
	size_t n = id18 == NULL ? 0 : strnlen(id18, ID_LEN + 1);

	if (n != ID_LEN) {
		size_t stars = n > ID_LEN ? ID_LEN : n;

		memset(out, '*', stars);
		out[stars] = '\0';
		return;
	}
	memcpy(out, id18, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, id18 + 14, 4);
	out[ID_LEN] = '\0';
}

static int is_mobile(const char *s, size_t n)
{
	if (n != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
	}
	return 1;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
	}
	return 1;
}

int phone_valid(const char *s)
{
	const char *dash;
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (is_mobile(s, n))
		return 1;
	if (n < 3 || s[0] != '0' || s[1] < '1' || s[1] > '9')
		return 0;
	dash = memchr(s, '-', n);
	if (dash == NULL) /* "0" + 2..3 + 7..8 digits */
		return n >= 10 && n <= 12 && all_digits(s, n);
	{
		size_t head = (size_t)(dash - s), tail = n - head - 1;

		return head >= 3 && head <= 4 && tail >= 7 && tail <= 8 && all_digits(s, head) &&
		       all_digits(dash + 1, tail);
	}
}

/* Byte length of the UTF-8 character starting at s (1 for a stray byte). */
static size_t u8_len(const char *s)
{
	size_t k = 1;

	while (k < 4 && s[k] != '\0' && ((unsigned char)s[k] & 0xC0) == 0x80)
		k++;
	return k;
}

void phone_mask(const char *phone, char *out, size_t outlen)
{
	size_t n, chars = 0, pos = 0, idx = 0;

	if (out == NULL || outlen == 0)
		return;
	out[0] = '\0';
	if (phone == NULL)
		return;
	n = strlen(phone);
	if (is_mobile(phone, n)) {
		char m[12];

		memcpy(m, phone, 3);
		memset(m + 3, '*', 4);
		memcpy(m + 7, phone + 7, 4);
		m[11] = '\0';
		n = outlen - 1 < 11 ? outlen - 1 : 11;
		memcpy(out, m, n);
		out[n] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i += u8_len(phone + i))
		chars++;
	for (size_t i = 0; i < n; idx++) {
		size_t k = u8_len(phone + i);
		int keep = chars > 5 && (idx < 3 || idx >= chars - 2);
		size_t w = keep ? k : 1;

		if (pos + w >= outlen)
			break;
		if (keep)
			memcpy(out + pos, phone + i, k);
		else
			out[pos] = '*';
		pos += w;
		i += k;
	}
	out[pos] = '\0';
}
