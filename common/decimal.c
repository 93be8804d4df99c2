/*
 * decimal.c - exact money (int64 nano-units) and locale-independent number
 * parsing and formatting (see decimal.h).
 *
 * Both parsers share one scanner that checks the syntax and keeps the first
 * significant digits as small integers plus a decimal exponent, so no value
 * ever goes through strtod, the process locale or a double on its way to
 * nanos.  All arithmetic is on unsigned or range-checked values: any byte
 * string is safe input.
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "common/decimal.h"

/* Significant digits kept: 19 fill a uint64, the 20th decides rounding. */
#define SIG_MAX 20
/* Exponent digits stop accumulating here; anything larger is out of range
 * (or rounds to zero) for every length of mantissa we can hold. */
#define EXP_SATURATE 100000000000000000LL
/* Longer inputs are refused outright, which keeps positions in int64. */
#define LEN_MAX ((size_t)1 << 60)

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL
};

/* Exact doubles 1e0..1e22 for the correctly rounded fast path. */
static const double pow10_dbl[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

struct scan {
	int neg;		/* a leading '-' */
	int zero;		/* every mantissa digit is 0 */
	unsigned char sig[SIG_MAX];	/* first significant digits, 0..9 */
	int nsig;		/* entries of sig[] used */
	int64_t pos;		/* value = 0.sig[0]sig[1]... x 10^pos */
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	while (n > 0 && is_blank(*p)) {
		p++;
		n--;
	}
	while (n > 0 && is_blank(p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

static int
lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

static int
equal_nocase(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower_ascii(s[i]) != word[i])
			return 0;
	return 1;
}

int
is_null_token(const char *s, size_t len)
{
	if (s == NULL || len == 0)
		return 1;
	/* fast path (called for every text of every row): not blank-padded,
	 * and longer than the longest token or not starting like one */
	if (!is_blank(s[0]) && !is_blank(s[len - 1]) && (len > 4 || (s[0] | 0x20) != 'n'))
		return 0;
	trim(&s, &len);
	return len == 0 || equal_nocase(s, len, "null") ||
	    equal_nocase(s, len, "none") || equal_nocase(s, len, "n/a");
}

/*
 * Check the syntax of the (already trimmed) s[0..len) and fill *sc.
 * Returns NUM_OK or NUM_SYNTAX.
 */
static enum num_status
scan_number(const char *s, size_t len, struct scan *sc)
{
	size_t i = 0;
	int64_t intdigits = 0, lead = 0, exp = 0;
	int seen_digit = 0, seen_nonzero = 0, seen_dot = 0, exp_neg = 0;

	memset(sc, 0, sizeof *sc);
	if (len > LEN_MAX)
		return NUM_SYNTAX;
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		sc->neg = s[i] == '-';
		i++;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			seen_digit = 1;
			if (!seen_dot)
				intdigits++;
			if (!seen_nonzero) {
				if (c == '0') {
					lead++;
					continue;
				}
				seen_nonzero = 1;
			}
			if (sc->nsig < SIG_MAX)
				sc->sig[sc->nsig++] = (unsigned char)(c - '0');
		} else if (c == '.' && !seen_dot) {
			seen_dot = 1;
		} else {
			break;
		}
	}
	if (!seen_digit)
		return NUM_SYNTAX;
	if (i < len) {
		if (s[i] != 'e' && s[i] != 'E')
			return NUM_SYNTAX;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-')) {
			exp_neg = s[i] == '-';
			i++;
		}
		if (i == len)
			return NUM_SYNTAX;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return NUM_SYNTAX;
			if (exp < EXP_SATURATE)
				exp = exp * 10 + (s[i] - '0');
		}
		if (exp_neg)
			exp = -exp;
	}
	sc->zero = !seen_nonzero;
	sc->pos = intdigits - lead + exp;
	return NUM_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Are the 8 bytes of w (little-endian order in memory) all ASCII digits? */
static int
eight_digits(uint64_t w)
{
	return (w & 0xf0f0f0f0f0f0f0f0ULL) == 0x3030303030303030ULL &&
	       ((w + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) == 0x3030303030303030ULL;
}

/* The value of 8 ASCII digits read as a little-endian word (SWAR: pairs,
 * then quads, then the eight). */
static uint64_t
eight_value(uint64_t w)
{
	w -= 0x3030303030303030ULL;
	w = (w * 10 + (w >> 8)) & 0x00ff00ff00ff00ffULL;
	w = (w * 100 + (w >> 16)) & 0x0000ffff0000ffffULL;
	return (w * 10000 + (w >> 32)) & 0xffffffffULL;
}
#endif

/* Digits at s[i ..) (not past len), 8 at a time while 8 remain: *v and
 * *n grow (*v wraps past 19 digits, which plain_decimal refuses anyway);
 * returns the index after them.  The caller reads the rest one by one. */
static inline size_t
eight_at_a_time(const char *s, size_t len, size_t i, uint64_t *v, int *n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t val = *v;
	int cnt = *n;

	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (!eight_digits(w))
			break;
		val = val * 100000000u + eight_value(w);
		i += 8;
		cnt += 8;
	}
	*v = val;
	*n = cnt;
#else
	(void)s;
	(void)len;
	(void)v;
	(void)n;
#endif
	return i;
}

/*
 * The common shape of a billing number, [-]digits[.digits] with at most 18
 * digits in all (and one at least), read directly: its digits as an
 * integer in *m, the count of digits after the point in *nf, of all digits
 * in *nd.  Returns 0 for anything else (a '+', an exponent, blanks, more
 * digits, bad syntax), which scan_number then reads or refuses.
 */
static int
plain_decimal(const char *s, size_t len, int *neg, uint64_t *m, int *nf, int *nd)
{
	size_t i = 0;
	uint64_t v = 0;
	int n = 0, f = 0;

	*neg = len > 0 && s[0] == '-';
	i = (size_t)*neg;
	for (; i < len && (unsigned char)(s[i] - '0') < 10; i++, n++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (i < len && s[i] == '.') {
		/* the fraction (CUR writes ten digits): 8 at a time first */
		i = eight_at_a_time(s, len, i + 1, &v, &f);
		for (; i < len && (unsigned char)(s[i] - '0') < 10; i++, f++)
			v = v * 10 + (uint64_t)(s[i] - '0');
		n += f;
	}
	if (i != len || n == 0 || n > 18)
		return 0;
	*m = v;
	*nf = f;
	*nd = n;
	return 1;
}

enum num_status
money_parse(const char *s, size_t len, int64_t *out)
{
	struct scan sc;
	enum num_status st;
	uint64_t mag = 0;
	int64_t shift, k;

	*out = 0;
	if (is_null_token(s, len))
		return NUM_NULL;
	trim(&s, &len);
	{
		/* fast path: up to 9 digits left of the point, so below
		 * INT64_MAX nanos; digits past the ninth decimal (CUR writes
		 * ten) round half away from zero, as below */
		int neg, nf, nd;
		uint64_t m;
		if (plain_decimal(s, len, &neg, &m, &nf, &nd) && nd - nf <= 9) {
			if (nf <= 9) {
				m *= pow10_u64[9 - nf];
			} else {
				uint64_t p = pow10_u64[nf - 9];
				m = m / p + (m % p >= p / 2);
			}
			*out = neg ? -(int64_t)m : (int64_t)m;
			return NUM_OK;
		}
	}
	st = scan_number(s, len, &sc);
	if (st != NUM_OK)
		return st;
	if (sc.zero)
		return NUM_OK;
	/* Digits that land left of the nano point: at most 19 fit. */
	shift = sc.pos + 9;
	if (shift > 19)
		return NUM_RANGE;
	if (shift < 0)
		return NUM_OK;	/* below half a nano: rounds to 0 */
	for (k = 0; k < shift; k++)
		mag = mag * 10 + (k < sc.nsig ? sc.sig[k] : 0);
	if (shift < sc.nsig && sc.sig[shift] >= 5)
		mag++;		/* half away from zero */
	if (mag > (uint64_t)INT64_MAX)
		return NUM_RANGE;
	*out = sc.neg ? -(int64_t)mag : (int64_t)mag;
	return NUM_OK;
}

/* 10^k as a long double, k >= 0, by repeated squaring. */
static long double
pow10_ld(int64_t k)
{
	long double r = 1.0L, b = 10.0L;

	while (k > 0) {
		if (k & 1)
			r *= b;
		k >>= 1;
		if (k > 0)
			b *= b;
	}
	return r;
}

enum num_status
number_parse(const char *s, size_t len, double *out)
{
	struct scan sc;
	enum num_status st;
	uint64_t m = 0;
	int64_t e10;
	int nd, k;
	long double x;
	double d;

	*out = 0.0;
	if (is_null_token(s, len))
		return NUM_NULL;
	trim(&s, &len);
	{
		/* fast path: up to 15 digits are exact in a double, and so is
		 * 10^nf: one correctly rounded division, as below */
		int neg, nf, nd;
		uint64_t m;
		if (plain_decimal(s, len, &neg, &m, &nf, &nd) && nd <= 15) {
			if (m == 0)
				return NUM_OK;	/* +0.0, also for -0 */
			d = nf ? (double)m / pow10_dbl[nf] : (double)m;
			*out = neg ? -d : d;
			return NUM_OK;
		}
	}
	st = scan_number(s, len, &sc);
	if (st != NUM_OK)
		return st;
	if (sc.zero)
		return NUM_OK;
	if (sc.pos > 309)	/* value >= 1e309 */
		return NUM_RANGE;
	if (sc.pos < -330)	/* value < 1e-330: below the smallest denormal */
		return NUM_OK;
	nd = sc.nsig < 19 ? sc.nsig : 19;
	for (k = 0; k < nd; k++)
		m = m * 10 + sc.sig[k];
	e10 = sc.pos - nd;
	if (m < (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		/* Both operands exact: one correctly rounded operation. */
		d = e10 >= 0 ? (double)m * pow10_dbl[e10]
		    : (double)m / pow10_dbl[-e10];
	} else {
		x = (long double)m;
		if (e10 >= 0) {
			x *= pow10_ld(e10);
		} else if (e10 < -300) {
			x /= pow10_ld(300);
			x /= pow10_ld(-e10 - 300);
		} else {
			x /= pow10_ld(-e10);
		}
		if (x > (long double)DBL_MAX)
			return NUM_RANGE;
		d = (double)x;
	}
	*out = sc.neg ? -d : d;
	return NUM_OK;
}

/*
 * Write the decimal digits of v into buf with a ',' every three digits when
 * group is set; returns the number of bytes written (no terminator).
 */
static size_t
put_uint(uint64_t v, int group, char *buf)
{
	char tmp[32];
	size_t n = 0, i;

	do {
		if (group && n % 4 == 3)
			tmp[n++] = ',';
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* |nanos| rounded half away from zero to `decimals` digits, as an integer
 * count of 10^-decimals units. */
static uint64_t
round_to(int64_t nanos, int decimals)
{
	uint64_t mag = magnitude(nanos);
	uint64_t div = pow10_u64[9 - decimals];
	uint64_t q = mag / div, r = mag % div;

	if (div > 1 && r >= div - r)
		q++;
	return q;
}

char *
money_format(int64_t nanos, int decimals, int group, char *buf)
{
	uint64_t q, ip, fp;
	size_t o = 0;
	int i;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	q = round_to(nanos, decimals);
	ip = q / pow10_u64[decimals];
	fp = q % pow10_u64[decimals];
	if (nanos < 0 && q != 0)
		buf[o++] = '-';
	o += put_uint(ip, group, buf + o);
	if (decimals > 0) {
		buf[o++] = '.';
		for (i = decimals - 1; i >= 0; i--)
			buf[o++] = (char)('0' + fp / pow10_u64[i] % 10);
	}
	buf[o] = '\0';
	return buf;
}

char *
money_format_json(int64_t nanos, char *buf)
{
	uint64_t q = round_to(nanos, 6);
	uint64_t ip = q / 1000000, fp = q % 1000000;
	size_t o = 0;
	int i;

	if (nanos < 0 && q != 0)
		buf[o++] = '-';
	o += put_uint(ip, 0, buf + o);
	if (fp != 0) {
		buf[o++] = '.';
		for (i = 5; i >= 0 && fp != 0; i--) {
			buf[o++] = (char)('0' + fp / pow10_u64[i]);
			fp %= pow10_u64[i];
		}
	}
	buf[o] = '\0';
	return buf;
}

int
money_add(int64_t a, int64_t b, int64_t *sum)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < -INT64_MAX - b))
		return -1;
	*sum = a + b;
	return 0;
}

/* ---- currency codes ---- */

/*
 * Codes accepted besides ISO 4217's three capital letters, each seen in a
 * real export: "MC" is the BillingCurrencyCode of a public Azure EA
 * export (koku's ea-v2-names sample, 2020-09).  Only capital letters, so
 * they are as inert in a chart, a table or SQL as an ISO code.
 */
static const char *const currency_ext[] = { "MC" };

int
currency_code_ok(const char *s, size_t len)
{
	if (len == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	    s[2] >= 'A' && s[2] <= 'Z')
		return 1;
	for (size_t i = 0; i < sizeof currency_ext / sizeof currency_ext[0]; i++)
		if (strlen(currency_ext[i]) == len && memcmp(currency_ext[i], s, len) == 0)
			return 1;
	return 0;
}
