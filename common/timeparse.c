/*
 * timeparse.c - timestamp parsing and formatting (see timeparse.h).
 *
 * days_from_civil/civil_from_days are Howard Hinnant's public-domain
 * algorithms (chrono-Compatible Low-Level Date Algorithms).
 */
#include <stdio.h>
#include <string.h>

#include "common/timeparse.h"

int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, yy, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int
days_in_month(int y, unsigned m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Read exactly n digits at *p (bounded by e); -1 if not digits. */
static int
digits(const char **p, const char *e, int n)
{
	int v = 0;

	if (e - *p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

enum num_status
time_parse(const char *s, size_t len, int tz_default_s, int64_t *out)
{
	const char *p = s, *e = s + len;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t off = tz_default_s;

	*out = 0;
	while (p < e && is_blank(*p))
		p++;
	while (e > p && is_blank(e[-1]))
		e--;
	if (is_null_token(p, (size_t)(e - p)))
		return NUM_NULL;
	if ((y = digits(&p, e, 4)) < 0 || p >= e || *p++ != '-' ||
	    (mo = digits(&p, e, 2)) < 0 || p >= e || *p++ != '-' ||
	    (d = digits(&p, e, 2)) < 0)
		return NUM_SYNTAX;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo))
		return NUM_SYNTAX;
	if (p < e && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if ((h = digits(&p, e, 2)) < 0 || p >= e || *p++ != ':' ||
		    (mi = digits(&p, e, 2)) < 0)
			return NUM_SYNTAX;
		if (p < e && *p == ':') {
			p++;
			if ((sec = digits(&p, e, 2)) < 0)
				return NUM_SYNTAX;
			if (p < e && (*p == '.' || *p == ',')) {
				p++;
				if (p >= e || *p < '0' || *p > '9')
					return NUM_SYNTAX;
				while (p < e && *p >= '0' && *p <= '9')
					p++;
			}
		}
		/* 24:00:00 is the end of the day in ISO 8601 */
		if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
			return NUM_SYNTAX;
		if (sec == 60)
			sec = 59;	/* leap second: keep it in its minute */
		if (p < e && *p == ' ')
			p++;
		if (p < e && (*p == 'Z' || *p == 'z')) {
			p++;
			off = 0;
		} else if (e - p == 3 && memcmp(p, "UTC", 3) == 0) {
			p += 3;
			off = 0;
		} else if (p < e && (*p == '+' || *p == '-')) {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if ((oh = digits(&p, e, 2)) < 0 || oh > 14)
				return NUM_SYNTAX;
			if (p < e && *p == ':') {
				p++;
				if ((om = digits(&p, e, 2)) < 0)
					return NUM_SYNTAX;
			} else if (p < e && (om = digits(&p, e, 2)) < 0) {
				return NUM_SYNTAX;
			}
			if (om > 59)
				return NUM_SYNTAX;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (p != e)
		return NUM_SYNTAX;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + sec - off;
	return NUM_OK;
}

int
month_parse(const char *s, int64_t *start, int64_t *end)
{
	const char *p = s, *e = s + strlen(s);
	int y, m;

	if ((y = digits(&p, e, 4)) < 0)
		return -1;
	if (p < e && *p == '-')
		p++;
	if ((m = digits(&p, e, 2)) < 0 || p != e || m < 1 || m > 12)
		return -1;
	*start = days_from_civil(y, (unsigned)m, 1) * 86400;
	*end = month_next(*start);
	return 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

int64_t
month_start(int64_t t)
{
	int y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	return days_from_civil(y, m, 1) * 86400;
}

int64_t
month_next(int64_t t)
{
	int y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	return days_from_civil(y, m, 1) * 86400;
}

char *
time_format(int64_t t, char *buf)
{
	int y;
	unsigned m, d;
	int64_t days = floor_div(t, 86400), rem = t - days * 86400;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 32, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return buf;
}

char *
date_format(int64_t t, char *buf)
{
	int y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	snprintf(buf, 32, "%04d-%02u-%02u", y, m, d);
	return buf;
}

char *
month_format(int64_t t, char *buf)
{
	int y;
	unsigned m, d;

	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	snprintf(buf, 32, "%04d-%02u", y, m);
	return buf;
}
