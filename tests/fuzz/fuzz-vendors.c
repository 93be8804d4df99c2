/*
 * fuzz-vendors.c - libFuzzer harness for the vendor catalog and workload
 * profile readers of analyzers/vendors.c (`imcost vendors --catalog`,
 * `--profile`, and `imcost levers --profile`).
 *
 * The input is read twice: as a catalog merged into an empty one, and as
 * a profile.  Invariants (abort() when broken):
 *  - vcatalog_merge and vprofile_parse return 0 or -1; on -1 the message
 *    starts with the file name and is one line of printable UTF-8 (the
 *    fuzz-smoke rule for every message);
 *  - a catalog that loads prices every plan against a fixed profile: 0 or
 *    -1 with such a message; an eligible plan's total is >= 0 and an
 *    unpriced plan is never eligible;
 *  - a profile that parses has every derived field finite and >= 0 and its
 *    compressible share within 0..1, and prices a fixed catalog without a
 *    crash (0, or -1 with such a message).
 *
 * The built-in catalogs are not needed: this file defines the symbols
 * mk/vendors.mk and mk/catalog.mk generate, as an empty catalog (in the replay build of
 * `make check` they take the place of libimcost.a's generated object).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/catalog.h"
#include "analyzers/vendors.h"
#include "common/error.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzz-replay.h"

const char imcost_vendors_json[] = "{\"schema\": 1}";
const size_t imcost_vendors_json_len = sizeof imcost_vendors_json - 1;
/* analyzers/catalog.c (self-hosting prices look instances up in it) refers
 * to the built-in instance catalog that mk/catalog.mk generates; the
 * harness never loads it, so an empty object stands in for it */
const char ic_catalog_builtin[] = "{}";

static const char fixed_profile[] =
	"{\"name\": \"fuzz\", \"mau\": 1234567, \"messages\": 98765432, \"recipients\": 2.5,"
	" \"message_bytes\": 3000, \"media_gb_per_month\": 12, \"groups\": 150000}";

static const char fixed_catalog[] =
	"{\"schema\": 1, \"vendors\": ["
	"{\"id\": \"a\", \"vendor\": \"A\", \"currency\": \"USD\", \"source\": \"s\", \"as_of\": \"x\","
	" \"minimum\": 49, \"components\": ["
	"  {\"name\": \"fee\", \"unit\": \"month\", \"price\": 399},"
	"  {\"name\": \"mau\", \"unit\": \"mau\", \"included\": 10000, \"price\": \"0.015\"},"
	"  {\"name\": \"tx\", \"unit\": \"deliveries\", \"size_unit_bytes\": 2048, \"price\": 0.000033},"
	"  {\"name\": \"g\", \"unit\": \"groups\", \"included\": 100000, \"price\": 1000, \"per\": 100000,"
	"   \"rounding\": \"up\"},"
	"  {\"name\": \"dau\", \"unit\": \"peak_dau\", \"tier_mode\": \"bracket\", \"tiers\": ["
	"   {\"up_to\": 2000, \"price\": 300}, {\"up_to\": 1000000, \"price\": 10000}, {\"price\": 10000}]},"
	"  {\"name\": \"c\", \"unit\": \"peak_connections\", \"included_share\": {\"of\": \"mau\","
	"   \"share\": 0.1, \"min\": 500}, \"tier_mode\": \"graduated\", \"tiers\": ["
	"   {\"up_to\": 5000, \"price\": 5}, {\"price\": 4}]}],"
	" \"limits\": [{\"unit\": \"peak_connections\", \"max_share_of\": \"mau\", \"share\": 0.5}]},"
	"{\"id\": \"u\", \"vendor\": \"U\", \"currency\": \"USD\", \"source\": \"s\", \"as_of\": \"x\","
	" \"confidence\": \"none\", \"unpriced\": \"not published\"}]}";

static void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* One line of printable UTF-8 that starts with "NAME:". */
static void
check_message(const char *msg, const char *name)
{
	const unsigned char *p = (const unsigned char *)msg;
	size_t n = strlen(msg), i = 0;

	if (name && (strncmp(msg, name, strlen(name)) != 0 || msg[strlen(name)] != ':'))
		fuzz_fail("error message does not start with the file name", msg);
	while (i < n) {
		size_t k;
		if (p[i] < 0x20 || p[i] == 0x7f)
			fuzz_fail("error message is not one line of printable UTF-8", msg);
		k = utf8_seq(p + i, n - i);
		if (k == 0)
			fuzz_fail("error message is not valid UTF-8", msg);
		i += k;
	}
}

static void
price_all(const struct vcatalog *c, const struct vprofile *p)
{
	struct ic_error err;
	struct vquote *q = NULL;
	int nq = 0;

	for (int i = 0; i < c->nopt; i++) {
		struct vquote one;
		memset(&err, 0, sizeof err);
		if (voption_price(&c->opt[i], p, &one, &err) != 0) {
			check_message(err.msg, NULL);
			continue;
		}
		if (one.eligible && one.total < 0)
			fuzz_fail("an eligible plan costs less than 0", one.id);
		if (c->opt[i].unpriced && one.eligible)
			fuzz_fail("an unpriced plan is eligible", one.id);
	}
	memset(&err, 0, sizeof err);
	if (vendors_quote_all(c, p, &q, &nq, &err) != 0)
		check_message(err.msg, NULL);
	free(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ic_error err;
	struct vcatalog *c = vcatalog_new(), *fixed;
	struct vprofile p;

	if (c == NULL)
		fuzz_fail("out of memory", NULL);
	/* 1. the input as a catalog */
	memset(&err, 0, sizeof err);
	if (vcatalog_merge(c, (const char *)data, size, "fuzz.json", &err) != 0) {
		check_message(err.msg, "fuzz.json");
	} else {
		memset(&err, 0, sizeof err);
		if (vprofile_parse(fixed_profile, sizeof fixed_profile - 1, "fixed.json", &p, &err) != 0)
			fuzz_fail("the fixed profile does not parse", err.msg);
		price_all(c, &p);
	}
	vcatalog_free(c);

	/* 2. the input as a profile */
	memset(&err, 0, sizeof err);
	if (vprofile_parse((const char *)data, size, "fuzz.json", &p, &err) != 0) {
		check_message(err.msg, "fuzz.json");
		return 0;
	}
	for (int i = 0; i < PF_COUNT; i++)
		if (!isfinite(p.f[i]) || p.f[i] < 0)
			fuzz_fail("a profile field is negative or not finite", vprofile_fields()[i].key);
	if (p.f[PF_COMPRESSIBLE_SHARE] > 1)
		fuzz_fail("compressible_share above 1", NULL);
	fixed = vcatalog_new();
	memset(&err, 0, sizeof err);
	if (fixed == NULL || vcatalog_merge(fixed, fixed_catalog, sizeof fixed_catalog - 1, "fixed.json",
					    &err) != 0)
		fuzz_fail("the fixed catalog does not load", err.msg);
	price_all(fixed, &p);
	vcatalog_free(fixed);
	return 0;
}

