/*
 * fuzz-import.h - the body of every importer fuzz harness (libFuzzer).
 *
 * A harness is a .c file that defines FUZZ_FORMAT (an importer name as
 * `imcost import --as` takes it, or NULL for auto-detection) and includes
 * this file.  For each input it runs the real import path:
 *
 *   input bytes -> a memfd (or a temporary file) -> import_session_new
 *   -> import_file -> commit, or free (rollback)
 *
 * into one in-memory database (db_open(":memory:", DB_WRITE), made once
 * per process, every table emptied after each input so that a crash
 * replays from its input alone), and checks the contract of
 * importers/import.h and common/error.h, calling abort() (a crash for
 * libFuzzer, a failure for the replay runner) when it breaks:
 *
 *  - a failed import sets an error that starts with "FILE:" (the path the
 *    driver was given) and is one line of printable UTF-8; after the session is freed the
 *    database holds no row in any table an import writes (charges, usage,
 *    imports, periods, batches, prices, rollups, dictionaries);
 *  - a successful import commits, and then: exactly one imports row whose
 *    records/rows match the result; for charges, COUNT(charges) equals the
 *    rows written, import_periods' rows and billed/effective totals equal
 *    the sums of the charges of each (provider, account, period, currency),
 *    every charge has BillingPeriodEnd > BillingPeriodStart, and every Tags
 *    value is NULL or a JSON object; for usage, 1 <= COUNT(usage) <= rows
 *    when rows > 0; no text column holds a NUL byte or invalid UTF-8;
 *  - a price list (kind 'prices'): COUNT(prices) equals the rows written
 *    and the sum of its price_lists' rows, no price is negative, no
 *    charges or usage are written;
 *  - a header and no records (res.header_only): nothing written, no
 *    imports row or batch, a warning (issue 24);
 *  - importing the same bytes again in a new session is "unchanged" (a
 *    header-only file: header-only again) and
 *    adds nothing (checked for one input in four while fuzzing, chosen by
 *    a hash of the bytes, and for every input when replaying);
 *  - PRAGMA quick_check is "ok".
 *
 * A check whose bug is reported but not fixed yet is compiled out of the
 * fuzzing build by a FUZZ_OPEN_BUG_* define (FUZZ_OPEN_BUGS in mk/fuzz.mk)
 * so the fuzzer goes on finding new bugs; the replay build keeps every
 * check (see tests/fuzz/regressions/open-bugs.txt).
 *
 * Built two ways by mk/fuzz.mk: with clang -fsanitize=fuzzer (libFuzzer's
 * main) for `make fuzz`, and with -DFUZZ_REPLAY_MAIN (a plain main that
 * runs the files named on the command line through the same function)
 * with any compiler, for replaying tests/fuzz/regressions in `make check`.
 */
#ifndef IMCOST_FUZZ_IMPORT_H
#define IMCOST_FUZZ_IMPORT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1		/* memfd_create */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "common/db.h"
#include "common/error.h"
#include "importers/import.h"
#include "importers/importer.h"

#include "tests/fuzz/fuzz-replay.h"

#ifndef FUZZ_FORMAT
#error "define FUZZ_FORMAT (an importer name, or NULL) before including fuzz-import.h"
#endif

/* Print why and abort: libFuzzer saves the input as a crash. */
static void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

/* The one integer a query returns (NULL reads as 0). */
static int64_t
fuzz_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fuzz_fail(sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fuzz_fail(sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Is s[0..n) valid UTF-8 without NUL bytes? */
static int
fuzz_utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t need, k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + need > n)
			return 0;
		if (c == 0xe0) lo = 0xa0;
		else if (c == 0xed) hi = 0x9f;
		else if (c == 0xf0) lo = 0x90;
		else if (c == 0xf4) hi = 0x8f;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k < need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += need;
	}
	return 1;
}

/* Is s[0..n) one JSON object and nothing else but whitespace?  (Written
 * here rather than calling the importers' json_is_object, which is what is
 * being checked.) */
static int
fuzz_json_object(const char *s, size_t n)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	int obj = cJSON_IsObject(j);

	cJSON_Delete(j);
	if (!obj)
		return 0;
	for (; end < s + n; end++)
		if (!strchr(" \t\r\n", *end) || *end == '\0')
			return 0;
	return 1;
}

/* Every TEXT value of a table: valid UTF-8, no NUL; Tags a JSON object. */
static void
fuzz_check_text(sqlite3 *db, const char *table)
{
	char sql[128];
	sqlite3_stmt *st = NULL;
	int r;

	snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fuzz_fail(sql, sqlite3_errmsg(db));
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t;
			int n;

			if (sqlite3_column_type(st, i) != SQLITE_TEXT)
				continue;
			t = sqlite3_column_text(st, i);
			n = sqlite3_column_bytes(st, i);
			if (!fuzz_utf8_ok(t, (size_t)n))
				fuzz_fail("a text column holds a NUL byte or invalid UTF-8",
					  sqlite3_column_name(st, i));
			if (strcmp(sqlite3_column_name(st, i), "Tags") == 0 &&
			    !fuzz_json_object((const char *)t, (size_t)n))
				fuzz_fail("Tags is not a JSON object", (const char *)t);
		}
	}
	if (r != SQLITE_DONE)
		fuzz_fail(sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* The tables an import writes: every table but rollup_state (one row of
 * flags) and sqlite_sequence.  Read from the schema, so that a table a
 * later schema adds (a rollup, a dictionary) is emptied and checked too. */
#define FUZZ_DATA_TABLES "SELECT name FROM sqlite_schema WHERE type = 'table'" \
	" AND name NOT IN ('rollup_state', 'sqlite_sequence') AND name NOT LIKE 'sqlite_%' ORDER BY name"

/* Run "VERB table" (VERB: "SELECT COUNT(*) FROM" or "DELETE FROM") on
 * every data table; for SELECT, fail naming the first table with rows. */
static void
fuzz_each_table(sqlite3 *db, const char *verb, const char *why)
{
	sqlite3_stmt *st = NULL;
	char sql[160];
	int r, count = strncmp(verb, "SELECT", 6) == 0;

	if (sqlite3_prepare_v2(db, FUZZ_DATA_TABLES, -1, &st, NULL) != SQLITE_OK)
		fuzz_fail(FUZZ_DATA_TABLES, sqlite3_errmsg(db));
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		/* table names are the schema's own */
		snprintf(sql, sizeof sql, "%s main.\"%s\"", verb, (const char *)sqlite3_column_text(st, 0));
		if (count) {
			if (fuzz_int(db, sql) != 0)
				fuzz_fail(why, sql);
		} else if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			fuzz_fail(why, sqlite3_errmsg(db));
		}
	}
	if (r != SQLITE_DONE)
		fuzz_fail(FUZZ_DATA_TABLES, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* The database holds nothing imported (after a failed import): no row in
 * any table an import writes, the rollups and dictionaries too. */
static void
fuzz_check_empty(sqlite3 *db)
{
	fuzz_each_table(db, "SELECT COUNT(*) FROM", "a failed import left rows behind");
	if (sqlite3_get_autocommit(db) == 0)
		fuzz_fail("a failed import left a transaction open", NULL);
}

/* Empty every table after an input, so that the next input starts from a
 * new database and a crash replays from its input alone (before, the
 * rollups and dictionaries of earlier inputs stayed while import ids began
 * again at 1: a state no real database reaches). */
static void
fuzz_empty(sqlite3 *db)
{
	fuzz_each_table(db, "DELETE FROM", "emptying the database");
	if (sqlite3_exec(db, "DELETE FROM sqlite_sequence; UPDATE rollup_state SET charges_stale = 0,"
			 " usage_stale = 0", NULL, NULL, NULL) != SQLITE_OK)
		fuzz_fail("emptying the database", sqlite3_errmsg(db));
}

/* What a successful, committed import must look like. */
static void
fuzz_check_imported(sqlite3 *db, const struct import_result *res)
{
	char detail[256];
	int64_t n;

	if (res->unchanged)
		fuzz_fail("first import of a file reported unchanged", NULL);
	if (res->format == NULL)
		fuzz_fail("import result has no format", NULL);
	if (res->header_only) {
		/* a header and no records: nothing imported, nothing recorded */
		fuzz_check_empty(db);
		if (res->records != 0 || res->rows != 0 || res->nwarnings < 1)
			fuzz_fail("a header-only import must read no record and warn", NULL);
		return;
	}
	if (fuzz_int(db, "SELECT COUNT(*) FROM imports") != 1 ||
	    fuzz_int(db, "SELECT COUNT(*) FROM batches") != 1)
		fuzz_fail("one import must leave one imports row and one batch", NULL);
	if (fuzz_int(db, "SELECT records FROM imports") != res->records ||
	    fuzz_int(db, "SELECT rows FROM imports") != res->rows)
		fuzz_fail("imports.records/rows differ from the result", NULL);
	if (fuzz_int(db, "SELECT kind = 'prices' FROM imports")) {
		n = fuzz_int(db, "SELECT COUNT(*) FROM prices");
		if (n != res->rows || fuzz_int(db, "SELECT COALESCE(SUM(rows), 0) FROM price_lists") != n) {
			snprintf(detail, sizeof detail, "%lld prices for %ld written",
				 (long long)n, res->rows);
			fuzz_fail("price row count", detail);
		}
		if (fuzz_int(db, "SELECT COUNT(*) FROM prices WHERE upfront_nanos < 0 OR hourly_nanos < 0") != 0)
			fuzz_fail("a negative price", NULL);
		if (fuzz_int(db, "SELECT COUNT(*) FROM charges") + fuzz_int(db, "SELECT COUNT(*) FROM usage") != 0)
			fuzz_fail("a price list wrote charges or usage", NULL);
		fuzz_check_text(db, "prices");
		fuzz_check_text(db, "price_lists");
	} else if (fuzz_int(db, "SELECT kind = 'usage' FROM imports")) {
		n = fuzz_int(db, "SELECT COUNT(*) FROM usage");
		if (n > res->rows || (res->rows > 0 && n == 0)) {
			snprintf(detail, sizeof detail, "%lld usage rows for %ld written",
				 (long long)n, res->rows);
			fuzz_fail("usage row count", detail);
		}
		if (fuzz_int(db, "SELECT COUNT(*) FROM charges") != 0)
			fuzz_fail("a usage import wrote charges", NULL);
	} else {
		n = fuzz_int(db, "SELECT COUNT(*) FROM charges");
		if (n != res->rows) {
			snprintf(detail, sizeof detail, "%lld charges for %ld written",
				 (long long)n, res->rows);
			fuzz_fail("charge row count", detail);
		}
		if (fuzz_int(db, "SELECT COALESCE(SUM(rows), 0) FROM import_periods") != n)
			fuzz_fail("import_periods.rows do not add up to the charges", NULL);
		if (fuzz_int(db,
			"SELECT COUNT(*) FROM import_periods p WHERE"
			" billed_cost_nanos IS NOT (SELECT SUM(BilledCostNanos) FROM charges c"
			"  WHERE c.ProviderName = p.provider AND c.BillingAccountId = p.billing_account_id"
			"  AND c.BillingPeriodStart = p.billing_period_start AND c.BillingCurrency = p.currency)"
			" OR effective_cost_nanos IS NOT (SELECT SUM(EffectiveCostNanos) FROM charges c"
			"  WHERE c.ProviderName = p.provider AND c.BillingAccountId = p.billing_account_id"
			"  AND c.BillingPeriodStart = p.billing_period_start AND c.BillingCurrency = p.currency)"
			" OR rows <> (SELECT COUNT(*) FROM charges c"
			"  WHERE c.ProviderName = p.provider AND c.BillingAccountId = p.billing_account_id"
			"  AND c.BillingPeriodStart = p.billing_period_start AND c.BillingCurrency = p.currency)") != 0)
			fuzz_fail("import_periods totals differ from the charges they describe", NULL);
		if (fuzz_int(db, "SELECT COUNT(*) FROM charges WHERE BillingPeriodEnd <= BillingPeriodStart") != 0)
			fuzz_fail("a charge's billing period ends before it starts", NULL);
		if (fuzz_int(db, "SELECT COUNT(*) FROM charges WHERE import_id <> (SELECT id FROM imports)") != 0)
			fuzz_fail("a charge points at no import", NULL);
		fuzz_check_text(db, "charges");
	}
	fuzz_check_text(db, "usage");
	fuzz_check_text(db, "imports");
}

/* Where the input goes: a memfd when the kernel has them, else a file. */
static char fuzz_path[64];
static int fuzz_fd = -1;

static void
fuzz_unlink(void)
{
	if (strncmp(fuzz_path, "/tmp/", 5) == 0)
		unlink(fuzz_path);
}

static void
fuzz_write_input(const uint8_t *data, size_t size)
{
	if (fuzz_fd < 0) {
#ifdef MFD_CLOEXEC
		fuzz_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fuzz_fd >= 0)
			snprintf(fuzz_path, sizeof fuzz_path, "/proc/self/fd/%d", fuzz_fd);
#endif
		if (fuzz_fd < 0) {
			char tmpl[] = "/tmp/imcost-fuzz-XXXXXX";
			fuzz_fd = mkstemp(tmpl);
			if (fuzz_fd < 0)
				fuzz_fail("cannot create the input file", NULL);
			snprintf(fuzz_path, sizeof fuzz_path, "%s", tmpl);
			atexit(fuzz_unlink);
		}
	}
	if (ftruncate(fuzz_fd, 0) != 0)
		fuzz_fail("ftruncate", NULL);
	for (size_t off = 0; off < size;) {
		ssize_t w = pwrite(fuzz_fd, data + off, size - off, (off_t)off);
		if (w <= 0)
			fuzz_fail("pwrite", NULL);
		off += (size_t)w;
	}
}

static sqlite3 *fuzz_db;

static void
fuzz_close_db(void)
{
	db_close(fuzz_db);
	fuzz_db = NULL;
}

/* One import in a new session; returns import_file's result. */
static int
fuzz_import_once(sqlite3 *db, struct import_result *res, struct ic_error *err)
{
	struct import_opts o;
	struct import_session *s;
	int r;

	memset(&o, 0, sizeof o);
	o.as = FUZZ_FORMAT;
	s = import_session_new(db, &o, 1);
	if (s == NULL)
		fuzz_fail("import_session_new returned NULL", NULL);
	memset(err, 0, sizeof *err);
	r = import_file(s, fuzz_path, res, err);
	if (r == 0 && import_session_commit(s, err) != 0)
		fuzz_fail("commit failed after a successful import", err->msg);
	import_session_free(s);
	return r;
}

/* Re-import one input in four (chosen by content, so a crash replays):
 * each import starts a writer thread with large buffers, and the second
 * import would halve the executions per second. */
static int
fuzz_reimport(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;

#ifdef FUZZ_REPLAY_MAIN
	return 1;	/* replaying: always */
#endif
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return (h & 3) == 0;
}

/* An error message is one line of valid UTF-8 without control bytes
 * (file content in it is quoted with ic_quote). */
static int
fuzz_message_bad(const char *msg)
{
#ifdef FUZZ_OPEN_BUG_JSON_ERROR_PATH
	if (strstr(msg, "(JSON text must be UTF-8)"))
		return 0;	/* reported, not fixed: see regressions/open-bugs.txt */
#endif
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return !fuzz_utf8_ok((const unsigned char *)msg, strlen(msg));
}

/* Is FUZZ_FORMAT an importer of this build?  A harness may be written
 * before its importer is registered in importers.c: until then it has
 * nothing to test. */
static int
fuzz_format_known(void)
{
	const char *f = FUZZ_FORMAT;
	return f == NULL || importer_find(f) != NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *f = FUZZ_FORMAT;

	(void)argc;
	(void)argv;
	if (!fuzz_format_known()) {
		fprintf(stderr, "fuzz: importer '%s' is not registered in importers/importers.c;"
			" nothing to fuzz\n", f ? f : "?");
		exit(0);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ic_error err;
	struct import_result *res;
	sqlite3 *db;
	size_t plen;

	if (!fuzz_format_known())
		return 0;
	res = calloc(2, sizeof *res);
	if (res == NULL)
		return 0;
	fuzz_write_input(data, size);
	memset(&err, 0, sizeof err);
	/* One in-memory database for the whole run (creating the schema costs
	 * more than most imports); emptied after each input, and checked to be
	 * empty before the next. */
	if (fuzz_db == NULL) {
		fuzz_db = db_open(":memory:", DB_WRITE, &err);
		if (fuzz_db == NULL)
			fuzz_fail("db_open(:memory:) failed", err.msg);
		atexit(fuzz_close_db);
	}
	db = fuzz_db;
	fuzz_check_empty(db);

	if (fuzz_import_once(db, &res[0], &err) != 0) {
		plen = strlen(fuzz_path);
		if (strncmp(err.msg, fuzz_path, plen) != 0 || err.msg[plen] != ':')
			fuzz_fail("error message does not start with the file name", err.msg);
		if (fuzz_message_bad(err.msg))
			fuzz_fail("error message is not one line of printable UTF-8", err.msg);
		fuzz_check_empty(db);
	} else if (fuzz_reimport(data, size)) {
		int64_t charges, usage, prices;

		fuzz_check_imported(db, &res[0]);
		charges = fuzz_int(db, "SELECT COUNT(*) FROM charges");
		usage = fuzz_int(db, "SELECT COUNT(*) FROM usage");
		prices = fuzz_int(db, "SELECT COUNT(*) FROM prices");
		/* The same bytes again: unchanged, nothing added. */
		if (fuzz_import_once(db, &res[1], &err) != 0)
			fuzz_fail("re-importing a file that imported failed", err.msg);
		if (!res[1].unchanged && !(res[0].header_only && res[1].header_only))
			fuzz_fail("re-importing the same content was not 'unchanged'", NULL);
		if (fuzz_int(db, "SELECT COUNT(*) FROM charges") != charges ||
		    fuzz_int(db, "SELECT COUNT(*) FROM usage") != usage ||
		    fuzz_int(db, "SELECT COUNT(*) FROM prices") != prices ||
		    fuzz_int(db, "SELECT COUNT(*) FROM imports") != !res[0].header_only)
			fuzz_fail("re-importing the same content changed the database", NULL);
	} else {
		fuzz_check_imported(db, &res[0]);
	}
	if (fuzz_int(db, "SELECT COUNT(*) FROM pragma_quick_check WHERE quick_check <> 'ok'") != 0)
		fuzz_fail("PRAGMA quick_check", NULL);
	fuzz_empty(db);
	free(res);
	return 0;
}

#endif
