/*
 * fuzz-allocation.c - libFuzzer harness for analyzers/alloc-rules.c, the
 * allocation rules file of analyze --allocation.
 *
 * Invariants (abort() when broken):
 *  - alloc_rules_parse returns 0 with a rule set, or -1 with none and a
 *    message that is one line of printable UTF-8 starting with the file's
 *    name (the fuzz-smoke rule for every message);
 *  - a parsed rule set matches a few fixed charges to -1 or a rule index
 *    within it, and every fixed split of a shared rule adds up exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/allocation.h"
#include "tests/fuzz/fuzz-replay.h"

static void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail ? detail : "");
	abort();
}

static int
message_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p >= 0x80) {
			int need = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
			if (*p < 0xc2 || *p > 0xf4)
				return 0;
			for (int k = 1; k <= need; k++)
				if ((p[k] & 0xc0) != 0x80)
					return 0;
			p += need;
		}
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = {
		"{\"user:feature\":\"media\",\"user_Component\":\"msg-1\",\"n\":3}", NULL,
		"{\"Feature\":\"\\u00e9\",\"x\":{\"y\":[1]}}", "not json",
	};
	static struct alloc_charge charges[] = {
		{ .provider = "AWS", .service = "Amazon Simple Storage Service", .service_code = "AmazonS3",
		  .region = "us-east-1", .account = "111", .resource = "arn:aws:s3:::media",
		  .category = "Usage", .usage_type = "TimedStorage-ByteHrs" },
		{ .provider = "Microsoft", .category = "Tax" },
		{ .service = "Compute" },
		{ .region = "x" },
	};
	static struct tag_pairs tp[4];
	static int ready;
	struct alloc_rules *r = NULL;
	struct ic_error err;

	if (!ready) {
		/* the tags as the tag store holds them (tag_pairs_get) */
		for (int i = 0; i < 4; i++) {
			if (tag_pairs_get(tags[i], i == 0, &tp[i]) != 0)
				fuzz_fail("tag_pairs_get ran out of memory", "");
			charges[i].tags = &tp[i];
		}
		ready = 1;
	}
	memset(&err, 0, sizeof err);
	if (alloc_rules_parse((const char *)data, size, "fuzz.json", &r, &err) != 0) {
		if (r != NULL)
			fuzz_fail("a rule set on failure", err.msg);
		if (!message_ok(err.msg) || strncmp(err.msg, "fuzz.json", 9) != 0)
			fuzz_fail("error message is not one line of printable UTF-8 naming the file",
				  err.msg);
		return 0;
	}
	if (r == NULL)
		fuzz_fail("no rule set on success", "");
	for (size_t i = 0; i < sizeof charges / sizeof charges[0]; i++) {
		int oom = 0, k = alloc_match(r, &charges[i], &oom);
		if (k < -1 || k >= r->n)
			fuzz_fail("a match outside the rules", "");
	}
	for (int i = 0; i < r->n; i++) {
		const struct alloc_rule *u = &r->rules[i];
		int64_t parts[64], sum = 0;
		if (u->split != SPLIT_FIXED || u->nratios > 64)
			continue;
		if (alloc_split_lr(-1234567890123LL, u->ratio_w, u->nratios, parts) != 0)
			continue;
		for (int k = 0; k < u->nratios; k++)
			sum += parts[k];
		if (sum != -1234567890123LL)
			fuzz_fail("a split that does not add up", u->name);
	}
	alloc_rules_free(r);
	return 0;
}
