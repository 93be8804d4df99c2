/*
 * fuzz-jsonscan.c - libFuzzer harness for common/jsonscan.c, the scan
 * for duplicate keys, deep nesting and non-finite numbers that runs
 * before cJSON on every JSON input.
 *
 * The whole input is one JSON text.  Invariants (abort() when broken):
 *  - json_scan returns 0 or -1, and on -1 the message starts with
 *    "fuzz.json:LINE:COL: " with LINE and COL at least 1;
 *  - when it returns 0 and cJSON parses the text, the tree has no object
 *    with two members of the same key, no
 *    container deeper than JSON_SCAN_MAX_DEPTH, and no number that is
 *    not finite: what the scan lets through is what imcost may read
 *    (keys compared as cJSON's C strings: cut at a NUL).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/error.h"
#include "common/jsonscan.h"
#include "tests/fuzz/fuzz-replay.h"

static void fuzz_fail(const char *what) __attribute__((noreturn));
static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz invariant broken: %s\n", what);
	abort();
}

static void
walk(const cJSON *v, int depth)
{
	const cJSON *a, *b;

	if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
		fuzz_fail("a non-finite number passed the scan");
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return;
	if (depth > JSON_SCAN_MAX_DEPTH)
		fuzz_fail("nesting deeper than the limit passed the scan");
	for (a = v->child; a; a = a->next) {
		if (cJSON_IsObject(v) && a->string)
			for (b = a->next; b; b = b->next)
				if (b->string && strcmp(a->string, b->string) == 0)
					fuzz_fail("a duplicate key passed the scan");
		walk(a, depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ic_error err;
	const char *s = (const char *)data;
	int r;

	memset(&err, 0, sizeof err);
	r = json_scan("fuzz.json", 1, s, size, &err);
	if (r != 0 && r != -1)
		fuzz_fail("json_scan returned neither 0 nor -1");
	if (r == -1) {
		long line = 0, col = 0;
		if (strncmp(err.msg, "out of memory", 13) != 0 &&
		    (sscanf(err.msg, "fuzz.json:%ld:%ld: ", &line, &col) != 2 || line < 1 || col < 1))
			fuzz_fail("an error without fuzz.json:LINE:COL:");
		return 0;
	}
	{
		cJSON *v = cJSON_ParseWithLength(s, size);
		if (v)
			walk(v, 1);
		cJSON_Delete(v);
	}
	return 0;
}
