/*
 * money.c — yuan text to int64_t fen and back; see money.h.
 */
#include "core/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define UTF8_YEN "\xc2\xa5"                /* ¥ U+00A5 */
#define UTF8_FULLWIDTH_YEN "\xef\xbf\xa5" /* ￥ U+FFE5 */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int eat(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

/* *acc = *acc * 10 + digit, failing (returns -1) past limit. */
static int push_digit(uint64_t *acc, char c, uint64_t limit)
{
	uint64_t dg = (uint64_t)(c - '0');

	if (*acc > (limit - dg) / 10)
		return -1;
	*acc = *acc * 10 + dg;
	return 0;
}

int money_parse_yuan(const char *s, int64_t *fen)
{
	const char *p, *e;
	int neg = 0, have_sign = 0, have_yen = 0, commas = 0, group = 0, ndig = 0;
	uint64_t mag = 0, limit;

	if (s == NULL || fen == NULL)
		return -1;
	p = s;
	e = s + strlen(s);
	while (p < e && is_space(*p))
		p++;
	while (e > p && is_space(e[-1]))
		e--;

	/* sign and currency symbol, each at most once, in either order */
	for (;;) {
		if (!have_sign && p < e && (*p == '-' || *p == '+')) {
			neg = *p++ == '-';
			have_sign = 1;
		} else if (!have_yen && (eat(&p, e, UTF8_YEN) || eat(&p, e, UTF8_FULLWIDTH_YEN))) {
			have_yen = 1;
		} else {
			break;
		}
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

	/* integer part; a comma must follow 1-3 digits first, then 3 after each */
	for (; p < e && (is_digit(*p) || *p == ','); p++) {
		if (*p == ',') {
			if (group == 0 || group > 3 || (commas > 0 && group != 3))
				return -1;
			commas++;
			group = 0;
			continue;
		}
		if (push_digit(&mag, *p, limit) < 0)
			return -1;
		group++;
		ndig++;
	}
	if (ndig == 0 || group == 0 || (commas > 0 && group != 3))
		return -1;

	/* yuan to fen, then up to 2 decimals */
	{
		int dec = 0;

		if (p < e && *p == '.') {
			p++;
			for (; p < e && is_digit(*p); p++, dec++) {
				if (dec == 2 || push_digit(&mag, *p, limit) < 0)
					return -1;
			}
			if (dec == 0)
				return -1;
		}
		for (; dec < 2; dec++) {
			if (push_digit(&mag, '0', limit) < 0)
				return -1;
		}
	}
	if (p != e)
		return -1;

	if (neg)
		*fen = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*fen = (int64_t)mag;
	return 0;
}

void money_format_yuan(int64_t fen, char *out, size_t outlen)
{
	uint64_t mag;

	if (out == NULL || outlen == 0)
		return;
	/* Negate in unsigned arithmetic so that INT64_MIN works. */
	mag = fen < 0 ? 0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, outlen, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "", mag / 100,
		 (unsigned)(mag % 100));
}
