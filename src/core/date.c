/*
 * date.c — civil dates; see date.h.
 *
 * Day arithmetic follows Howard Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms" (days_from_civil / civil_from_days).
 */
#include "core/date.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

/* date_to_days() of 0001-01-01 and 9999-12-31. */
#define DAYS_MIN (-719162L)
#define DAYS_MAX 2932896L

/* Excel serial 1 is 1900-01-01; after the fake 1900-02-29 the base is 1899-12-30. */
#define EXCEL_BASE_BEFORE_60 (-25568L) /* 1899-12-31 */
#define EXCEL_BASE_AFTER_60 (-25569L)  /* 1899-12-30 */
#define EXCEL_SERIAL_MAX 2958465.0     /* 9999-12-31 */

static const struct civil_date no_date = { 0, 0, 0 };

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
	static const unsigned char len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

int date_valid(int y, int m, int d)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days_in_month(y, m);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly n digits at s as a number; returns -1 if any is not a digit. */
static int digits_n(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int set_if_valid(int y, int m, int d, struct civil_date *out)
{
	if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d))
		return -1;
	out->y = y;
	out->m = m;
	out->d = d;
	return 0;
}

int date_parse(const char *s, struct civil_date *out)
{
	if (s == NULL || out == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	return set_if_valid(digits_n(s, 4), digits_n(s + 5, 2), digits_n(s + 8, 2), out);
}

/*
 * Reads 1 or 2 digits from *p (not past end) and advances *p; returns the
 * number, or -1 if there is no digit.
 */
static int read_1or2(const char **p, const char *end)
{
	const char *s = *p;
	int v;

	if (s >= end || !is_digit(*s))
		return -1;
	v = *s++ - '0';
	if (s < end && is_digit(*s))
		v = v * 10 + (*s++ - '0');
	*p = s;
	return v;
}

/* If [*p, end) starts with the bytes lit, advances *p past them and returns 1. */
static int eat(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

#define UTF8_IDEOGRAPHIC_SPACE "\xe3\x80\x80" /* U+3000 */
#define UTF8_NIAN "\xe5\xb9\xb4"              /* 年 U+5E74 */
#define UTF8_YUE "\xe6\x9c\x88"               /* 月 U+6708 */
#define UTF8_RI "\xe6\x97\xa5"                /* 日 U+65E5 */

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int date_parse_loose(const char *s, struct civil_date *out)
{
	const char *b, *e;
	int y, m, d;

	if (s == NULL || out == NULL)
		return -1;
	b = s;
	e = s + strlen(s);
	for (;;) {
		if (b < e && is_ascii_space(*b))
			b++;
		else if (!eat(&b, e, UTF8_IDEOGRAPHIC_SPACE))
			break;
	}
	for (;;) {
		size_t n = sizeof(UTF8_IDEOGRAPHIC_SPACE) - 1;

		if (e > b && is_ascii_space(e[-1]))
			e--;
		else if ((size_t)(e - b) >= n && memcmp(e - n, UTF8_IDEOGRAPHIC_SPACE, n) == 0)
			e -= n;
		else
			break;
	}

	/* The shortest separated form, "YYYY-M-D", is also 8 bytes long. */
	if (e - b == 8 && digits_n(b, 4) >= 0 && digits_n(b + 4, 4) >= 0)
		return set_if_valid(digits_n(b, 4), digits_n(b + 4, 2), digits_n(b + 6, 2), out);
	if (e - b < 8)
		return -1;

	y = digits_n(b, 4);
	b += 4;
	if (eat(&b, e, UTF8_NIAN)) {
		m = read_1or2(&b, e);
		if (m < 0 || !eat(&b, e, UTF8_YUE))
			return -1;
		d = read_1or2(&b, e);
		if (d < 0 || !eat(&b, e, UTF8_RI))
			return -1;
	} else {
		char sep = *b++;

		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		m = read_1or2(&b, e);
		if (m < 0 || b >= e || *b++ != sep)
			return -1;
		d = read_1or2(&b, e);
	}
	if (b != e)
		return -1;
	return set_if_valid(y, m, d, out);
}

void date_format(struct civil_date d, char out[11])
{
	int v[3] = { d.y, d.m, d.d };
	int w[3] = { 4, 2, 2 };
	int pos = 0;

	if (d.y < 0 || d.y > 9999 || d.m < 0 || d.m > 99 || d.d < 0 || d.d > 99)
		v[0] = v[1] = v[2] = 0;
	for (int f = 0; f < 3; f++) {
		for (int i = w[f] - 1; i >= 0; i--) {
			out[pos + i] = (char)('0' + v[f] % 10);
			v[f] /= 10;
		}
		pos += w[f];
		if (f < 2)
			out[pos++] = '-';
	}
	out[10] = '\0';
}

long date_to_days(struct civil_date d)
{
	long y = d.y, m = d.m, era, yoe, doy, doe;

	if (!date_valid(d.y, d.m, d.d))
		return LONG_MIN;
	y -= m <= 2;
	era = y / 400; /* y >= 0 here */
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil_date date_from_days(long days)
{
	struct civil_date r;
	long z, era, doe, yoe, doy, mp, m;

	if (days < DAYS_MIN || days > DAYS_MAX)
		return no_date;
	z = days + 719468; /* >= 306 for year 1, so era >= 0 */
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	r.y = (int)(yoe + era * 400 + (m <= 2));
	r.m = (int)m;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	return r;
}

int date_cmp(struct civil_date a, struct civil_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

struct civil_date date_today_shanghai(void)
{
	time_t t = time(NULL);
	long long secs, days;

	if (t == (time_t)-1)
		return no_date;
	secs = (long long)t + 8 * 3600;
	days = secs / 86400;
	if (secs % 86400 < 0)
		days--;
	if (days < DAYS_MIN || days > DAYS_MAX)
		return no_date;
	return date_from_days((long)days);
}

int date_age_on(struct civil_date birth, struct civil_date on)
{
	int age;

	if (!date_valid(birth.y, birth.m, birth.d) || !date_valid(on.y, on.m, on.d))
		return -1;
	if (date_cmp(on, birth) < 0)
		return -1;
	age = on.y - birth.y;
	/* A Feb 29 birthday is not reached on Feb 28 but is passed on Mar 1. */
	if (on.m < birth.m || (on.m == birth.m && on.d < birth.d))
		age--;
	return age;
}

struct civil_date date_add_years(struct civil_date d, int years)
{
	long y;

	if (!date_valid(d.y, d.m, d.d))
		return no_date;
	y = (long)d.y + years;
	if (y < 1 || y > 9999)
		return no_date;
	d.y = (int)y;
	if (d.m == 2 && d.d == 29 && !is_leap(y))
		d.d = 28;
	return d;
}

int date_from_excel_serial(double serial, struct civil_date *out)
{
	long s;

	/* Written so that NaN fails the test. */
	if (out == NULL || !(serial >= 1.0 && serial < EXCEL_SERIAL_MAX + 1.0))
		return -1;
	s = (long)serial; /* truncation is floor for positive values */
	if (s == 60)
		return -1;
	*out = date_from_days(s + (s < 60 ? EXCEL_BASE_BEFORE_60 : EXCEL_BASE_AFTER_60));
	return 0;
}
