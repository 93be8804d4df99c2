/*
 * sqlfn.h - SQL functions for exact money, registered on the connection of
 * `imcost sql` (cli/cmd-sql.c):
 *
 *   money(NANOS)        the exact decimal text of an integer count of
 *                       nano-units: every significant digit, trailing zeros
 *                       and a trailing point dropped ("1.5", "-0.000000001",
 *                       "0", "9223372036.854775807"); NULL for NULL.
 *   money(NANOS, D)     the same with exactly D decimals (0..9), rounded
 *                       half away from zero ("1234.57"; never "-0.00").
 *   money_sum(NANOS)    aggregate: the exact sum of integer nanos, as
 *                       money() text, with a 128-bit accumulator (no
 *                       int64 overflow, no float rounding); NULL when every
 *                       value is NULL or there are no rows, like SUM.
 *
 * NANOS must be an integer (a REAL with an integral value within the
 * 64-bit range is taken as that integer); text, blobs and fractional
 * REALs are an error, not a guess.
 */
#ifndef IMCOST_SQLFN_H
#define IMCOST_SQLFN_H

#include <sqlite3.h>

/* Register the functions above on db.  Returns an SQLite result code. */
int sqlfn_register(sqlite3 *db);

#endif
