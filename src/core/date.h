/*
 * date.h — civil (calendar) dates in the proleptic Gregorian calendar.
 *
 * A civil date has no time and no zone; TalentPort's dates are civil dates in
 * Asia/Shanghai (UTC+8, no DST). Every function here is pure and thread-safe,
 * except date_today_shanghai(), which reads the clock.
 *
 * Valid dates have years 1..9999. Functions that produce a date return
 * {0, 0, 0} when there is no valid answer; date_valid() rejects it.
 */
#ifndef TP_DATE_H
#define TP_DATE_H

struct civil_date {
	int y, m, d;
};

/* Returns 1 if y-m-d is a real Gregorian date with y in 1..9999, else 0. */
int date_valid(int y, int m, int d);

/*
 * Parses exactly "YYYY-MM-DD" (4-2-2 digits, nothing before or after) into *out.
 * Returns 0 on success, -1 if s is NULL, malformed or not a real date
 * (*out is then left unchanged).
 */
int date_parse(const char *s, struct civil_date *out);

/*
 * Parses the forms people type or paste: "YYYY-MM-DD", "YYYY-M-D", "YYYY/M/D",
 * "YYYY.M.D" (one separator kind throughout, month and day 1 or 2 digits),
 * "YYYYMMDD" and "YYYY年M月D日". ASCII whitespace and U+3000 around the text
 * are ignored. Returns 0 on success, -1 otherwise (*out left unchanged).
 */
int date_parse_loose(const char *s, struct civil_date *out);

/*
 * Writes d as "YYYY-MM-DD" plus NUL into out. A d whose fields do not fit that
 * shape (y outside 0..9999, m or d outside 0..99) is written as "0000-00-00".
 */
void date_format(struct civil_date d, char out[11]);

/*
 * Returns the number of days from 1970-01-01 to d (negative before it), using
 * Howard Hinnant's days_from_civil. Returns LONG_MIN if d is not a valid date.
 */
long date_to_days(struct civil_date d);

/*
 * The inverse of date_to_days(). Returns {0, 0, 0} if days is outside
 * 0001-01-01..9999-12-31.
 */
struct civil_date date_from_days(long days);

/* Orders a and b: returns <0 if a is earlier, 0 if equal, >0 if later. */
int date_cmp(struct civil_date a, struct civil_date b);

/*
 * Returns today's civil date in UTC+8 (China has no DST), computed from
 * time(NULL) without any time-zone database. Returns {0, 0, 0} if the clock
 * cannot be read.
 */
struct civil_date date_today_shanghai(void);

/*
 * Returns the whole years completed from birth to on: the age on date on.
 * Someone born on Feb 29 turns a year older on Mar 1 in non-leap years.
 * Returns -1 if either date is invalid or on is before birth.
 */
int date_age_on(struct civil_date birth, struct civil_date on);

/*
 * Returns d moved by years (may be negative); Feb 29 becomes Feb 28 when the
 * target year is not a leap year. Returns {0, 0, 0} if d is invalid or the
 * resulting year is outside 1..9999.
 */
struct civil_date date_add_years(struct civil_date d, int years);

/*
 * Converts an Excel serial day number (1900 date system, as stored in .xlsx
 * cells) to a civil date; any fractional part (time of day) is ignored.
 * Serial 1 is 1900-01-01; serial 60 is Excel's fictitious 1900-02-29 and is
 * rejected; 61 is 1900-03-01; 2958465 is 9999-12-31.
 * Returns 0 on success, -1 for serial 60, NaN, or values outside 1..2958465
 * (*out left unchanged).
 */
int date_from_excel_serial(double serial, struct civil_date *out);

#endif
