/*
 * sqlfn.c - money() and money_sum(): exact decimal text of nano-units in
 * SQL (see sqlfn.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "common/decimal.h"
#include "common/sqlfn.h"

/* The exact decimal text of v nano-units, trailing zeros dropped, into
 * buf (64 bytes); returns buf. */
static char *
nanos_text(__int128 v, char *buf)
{
	unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v
				    : (unsigned __int128)v;
	char tmp[64];
	int n = 0, k = 0;

	/* digits, least significant first: at least ten (0.000000000) */
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0 || n < 10);
	if (v < 0)
		buf[k++] = '-';
	for (int i = n - 1; i >= 9; i--)
		buf[k++] = tmp[i];
	buf[k++] = '.';
	for (int i = 8; i >= 0; i--)
		buf[k++] = tmp[i];
	while (buf[k - 1] == '0')
		k--;
	if (buf[k - 1] == '.')
		k--;
	buf[k] = '\0';
	return buf;
}

/* The integer nanos of argument a into *out: 1, 0 for NULL, -1 (with the
 * error set on ctx) for anything else. */
static int
arg_nanos(sqlite3_context *ctx, sqlite3_value *a, const char *fn, int64_t *out)
{
	switch (sqlite3_value_type(a)) {
	case SQLITE_NULL:
		return 0;
	case SQLITE_INTEGER:
		*out = sqlite3_value_int64(a);
		return 1;
	case SQLITE_FLOAT: {
		double d = sqlite3_value_double(a);
		/* -2^63 <= d < 2^63, integral */
		if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
			*out = (int64_t)d;
			return 1;
		}
		break;
	}
	default:
		break;
	}
	{
		char msg[96];
		snprintf(msg, sizeof msg, "%s() takes integer nano-units (a *Nanos column)", fn);
		sqlite3_result_error(ctx, msg, -1);
	}
	return -1;
}

static void
fn_money(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[64];
	int64_t v;
	int r = arg_nanos(ctx, argv[0], "money", &v);

	if (r <= 0) {
		if (r == 0)
			sqlite3_result_null(ctx);
		return;
	}
	if (argc == 2) {
		int64_t d;
		if (sqlite3_value_type(argv[1]) != SQLITE_INTEGER ||
		    (d = sqlite3_value_int64(argv[1])) < 0 || d > 9) {
			sqlite3_result_error(ctx, "money(): the decimals must be an integer from 0 to 9", -1);
			return;
		}
		/* money_format takes the whole int64 range (INT64_MIN too) */
		sqlite3_result_text(ctx, money_format(v, (int)d, 0, buf), -1, SQLITE_TRANSIENT);
		return;
	}
	sqlite3_result_text(ctx, nanos_text(v, buf), -1, SQLITE_TRANSIENT);
}

/* SQLite aligns aggregate contexts to 8 bytes only: the 128-bit sum is
 * kept as bytes and copied in and out */
struct sum128 {
	unsigned char sum[sizeof(__int128)];
	int any;
};

static void
fn_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct sum128 *s = sqlite3_aggregate_context(ctx, sizeof *s);
	int64_t v;
	int r;

	(void)argc;
	if (s == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	r = arg_nanos(ctx, argv[0], "money_sum", &v);
	if (r == 1) {
		/* 2^64 rows of INT64_MAX stay below 2^127 */
		__int128 x;
		memcpy(&x, s->sum, sizeof x);
		x += v;
		memcpy(s->sum, &x, sizeof x);
		s->any = 1;
	}
}

static void
fn_sum_final(sqlite3_context *ctx)
{
	struct sum128 *s = sqlite3_aggregate_context(ctx, 0);
	char buf[64];

	if (s == NULL || !s->any) {
		sqlite3_result_null(ctx);
		return;
	}
	{
		__int128 x;
		memcpy(&x, s->sum, sizeof x);
		sqlite3_result_text(ctx, nanos_text(x, buf), -1, SQLITE_TRANSIENT);
	}
}

int
sqlfn_register(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = sqlite3_create_function(db, "money", 1, flags, NULL, fn_money, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "money", 2, flags, NULL, fn_money, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "money_sum", 1, flags, NULL, NULL, fn_sum_step,
					     fn_sum_final);
	return rc;
}
