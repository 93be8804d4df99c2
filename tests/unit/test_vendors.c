/*
 * test_vendors.c - Check unit tests for analyzers/vendors.c and
 * analyzers/levers.c.  Every expected number is worked out by hand in the
 * comment beside it (or taken from a vendor's own worked example), never
 * copied from the program: tier boundaries of graduated, volume and bracket
 * tiers, free allowances, blocks rounded up and down, monthly minimums,
 * allowances and caps as a share of MAU, plan limits, a sweep whose
 * crossover the test finds by algebra, self-hosting sizing, malformed
 * catalog entries, and deflate sizes computed here with zlib itself.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analyzers/levers.h"
#include "analyzers/vendors.h"

#define N(units) ((int64_t)llround((units) * 1e9))	/* money literal in nanos */

/* A catalog from JSON text; fails the test on error. */
static struct vcatalog *
cat_from(const char *json)
{
	struct vcatalog *c = vcatalog_new();
	struct ic_error err = { "", 0 };

	ck_assert_ptr_nonnull(c);
	if (vcatalog_merge(c, json, strlen(json), "test.json", &err) != 0)
		ck_abort_msg("catalog: %s", err.msg);
	return c;
}

/* The error message of merging json into an empty catalog (static buffer). */
static const char *
cat_error(const char *json)
{
	static struct ic_error err;
	struct vcatalog *c = vcatalog_new();

	memset(&err, 0, sizeof err);
	ck_assert_int_eq(vcatalog_merge(c, json, strlen(json), "bad.json", &err), -1);
	vcatalog_free(c);
	return err.msg;
}

static struct vprofile
profile(const char *json)
{
	struct vprofile p;
	struct ic_error err = { "", 0 };

	if (vprofile_parse(json, strlen(json), "p.json", &p, &err) != 0)
		ck_abort_msg("profile: %s", err.msg);
	return p;
}

/* Cost of the first component of the first option at quantity q. */
static int64_t
comp_cost(const struct vcatalog *c, double q, int *rc)
{
	struct ic_error err;
	double b;
	int64_t cost = -1;

	*rc = vcomponent_cost(&c->opt[0].comp[0], q, 0, &b, &cost, &err);
	return cost;
}

#define TIERS(mode) \
	"{\"vendors\":[{\"id\":\"t\",\"vendor\":\"T\",\"currency\":\"USD\",\"source\":\"s\"," \
	"\"as_of\":\"2026-01\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"tier_mode\":\"" mode "\"," \
	"\"tiers\":[{\"up_to\":100,\"price\":1},{\"up_to\":1000,\"price\":0.5},{\"price\":0.25}]}]}]}"

START_TEST(graduated_tier_boundaries)
{
	struct vcatalog *c = cat_from(TIERS("graduated"));
	int rc;

	/* 100 units all in tier 1: 100 x 1 */
	ck_assert_int_eq(comp_cost(c, 100, &rc), N(100));
	/* 101: 100 x 1 + 1 x 0.5 */
	ck_assert_int_eq(comp_cost(c, 101, &rc), N(100.5));
	/* 1000: 100 + 900 x 0.5 = 550 */
	ck_assert_int_eq(comp_cost(c, 1000, &rc), N(550));
	/* 1001: 550 + 1 x 0.25 */
	ck_assert_int_eq(comp_cost(c, 1001, &rc), N(550.25));
	ck_assert_int_eq(comp_cost(c, 0, &rc), 0);
	ck_assert_int_eq(rc, 0);
	vcatalog_free(c);
}
END_TEST

START_TEST(volume_tier_boundaries)
{
	struct vcatalog *c = cat_from(TIERS("volume"));
	int rc;

	/* all units at the rate of the tier reached */
	ck_assert_int_eq(comp_cost(c, 100, &rc), N(100));	/* 100 x 1 */
	ck_assert_int_eq(comp_cost(c, 101, &rc), N(50.5));	/* 101 x 0.5 */
	ck_assert_int_eq(comp_cost(c, 1000, &rc), N(500));	/* 1000 x 0.5 */
	ck_assert_int_eq(comp_cost(c, 1001, &rc), N(250.25));	/* 1001 x 0.25 */
	vcatalog_free(c);
}
END_TEST

START_TEST(bracket_tiers_and_beyond_last)
{
	/* RongCloud-style flat fee by bracket, last bracket bounded */
	struct vcatalog *c = cat_from(
		"{\"vendors\":[{\"id\":\"b\",\"vendor\":\"B\",\"currency\":\"USD\",\"source\":\"s\","
		"\"as_of\":\"x\",\"components\":[{\"name\":\"fee\",\"unit\":\"peak_dau\",\"tier_mode\":\"bracket\","
		"\"tiers\":[{\"up_to\":2000,\"price\":300},{\"up_to\":10000,\"price\":500}]}]}]}");
	struct vprofile p = profile("{\"mau\": 100000, \"peak_dau\": 10001}");
	struct vquote q;
	struct ic_error err;
	int rc;

	ck_assert_int_eq(comp_cost(c, 2000, &rc), N(300));
	ck_assert_int_eq(comp_cost(c, 2001, &rc), N(500));
	ck_assert_int_eq(comp_cost(c, 10000, &rc), N(500));
	comp_cost(c, 10001, &rc);
	ck_assert_int_eq(rc, -2);
	/* priced as an option: not eligible, with the reason */
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.eligible, 0);
	ck_assert_ptr_nonnull(strstr(q.why, "beyond the last published tier"));
	vcatalog_free(c);
}
END_TEST

#define ONE(comp) \
	"{\"vendors\":[{\"id\":\"o\",\"vendor\":\"O\",\"currency\":\"USD\",\"source\":\"s\"," \
	"\"as_of\":\"x\",\"components\":[" comp "]}]}"

START_TEST(free_allowance)
{
	struct vcatalog *c = cat_from(ONE("{\"name\":\"mau\",\"unit\":\"mau\",\"included\":10000,\"price\":0.015}"));
	struct ic_error err;
	double b;
	int64_t cost;

	ck_assert_int_eq(vcomponent_cost(&c->opt[0].comp[0], 10000, 10000, &b, &cost, &err), 0);
	ck_assert_int_eq(cost, 0);			/* all free */
	ck_assert_int_eq(vcomponent_cost(&c->opt[0].comp[0], 10001, 10000, &b, &cost, &err), 0);
	ck_assert_int_eq(cost, N(0.015));		/* one paid unit */
	ck_assert_int_eq(vcomponent_cost(&c->opt[0].comp[0], 50000, 10000, &b, &cost, &err), 0);
	ck_assert_int_eq(cost, N(600));			/* 40,000 x 0.015 */
	ck_assert(b == 40000);
	vcatalog_free(c);
}
END_TEST

START_TEST(block_rounding_up_and_down)
{
	struct vcatalog *up = cat_from(ONE("{\"name\":\"dau\",\"unit\":\"peak_dau\",\"included\":10000,"
					   "\"price\":1000,\"per\":10000,\"rounding\":\"up\"}"));
	struct vcatalog *dn = cat_from(ONE("{\"name\":\"dau\",\"unit\":\"peak_dau\",\"included\":10000,"
					   "\"price\":850,\"per\":10000,\"rounding\":\"down\"}"));
	struct vprofile p;
	struct vquote q;
	struct ic_error err;
	static const struct { double dau, up, down; } cases[] = {
		/* excess 0: no block either way */
		{ 10000, 0, 0 },
		/* excess 1: up = 1 block of 1000; down = 0 blocks */
		{ 10001, 1000, 0 },
		/* excess 10,000 exactly: 1 block both ways */
		{ 20000, 1000, 850 },
		/* excess 10,001: up 2 blocks; down 1 block */
		{ 20001, 2000, 850 },
		/* excess 62,370: up 7 blocks = 7000; down 6 blocks = 5100 */
		{ 72370, 7000, 5100 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char js[128];
		snprintf(js, sizeof js, "{\"mau\": 100000, \"peak_dau\": %.0f}", cases[i].dau);
		p = profile(js);
		ck_assert_int_eq(voption_price(&up->opt[0], &p, &q, &err), 0);
		ck_assert_int_eq(q.total, N(cases[i].up));
		ck_assert_int_eq(voption_price(&dn->opt[0], &p, &q, &err), 0);
		ck_assert_int_eq(q.total, N(cases[i].down));
	}
	vcatalog_free(up);
	vcatalog_free(dn);
}
END_TEST

START_TEST(monthly_minimum)
{
	struct vcatalog *c = cat_from(
		"{\"vendors\":[{\"id\":\"m\",\"vendor\":\"M\",\"currency\":\"USD\",\"source\":\"s\","
		"\"as_of\":\"x\",\"minimum\":49,\"components\":[{\"name\":\"tx\",\"unit\":\"messages\","
		"\"size_unit_bytes\":2048,\"price\":0.000123}]}]}");
	struct vprofile p = profile("{\"mau\": 1000, \"messages\": 100000, \"message_bytes\": 100}");
	struct vquote q;
	struct ic_error err;

	/* 100,000 x 0.000123 = 12.30 < 49: topped up by 36.70 */
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.total, N(49));
	ck_assert_int_eq(q.nline, 2);
	ck_assert_int_eq(q.line[0].cost, N(12.3));
	ck_assert_int_eq(q.line[1].cost, N(36.7));
	/* 1,000,000 x 0.000123 = 123 > 49: no top-up */
	p = profile("{\"mau\": 1000, \"messages\": 1000000, \"message_bytes\": 100}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.total, N(123));
	ck_assert_int_eq(q.nline, 1);
	/* 3,000-byte messages count 2 units of 2 KB: 1,000,000 x 2 x 0.000123 = 246 */
	p = profile("{\"mau\": 1000, \"messages\": 1000000, \"message_bytes\": 3000}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.total, N(246));
	vcatalog_free(c);
}
END_TEST

START_TEST(share_of_mau_allowance_and_cap)
{
	/* Agora-style: connections above 10% of MAU (at least 500) at $5 */
	struct vcatalog *c = cat_from(
		"{\"vendors\":[{\"id\":\"a\",\"vendor\":\"A\",\"currency\":\"USD\",\"source\":\"s\","
		"\"as_of\":\"x\",\"components\":[{\"name\":\"pcc\",\"unit\":\"peak_connections\","
		"\"included_share\":{\"of\":\"mau\",\"share\":0.1,\"min\":500},\"price\":5}],"
		"\"limits\":[{\"unit\":\"peak_connections\",\"max_share_of\":\"mau\",\"share\":0.3}]}]}");
	struct vprofile p;
	struct vquote q;
	struct ic_error err;

	/* mau 3,000: allowance max(300, 500) = 500; 600 connections -> 100 x 5 */
	p = profile("{\"mau\": 3000, \"peak_connections\": 600}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.total, N(500));
	/* mau 20,000: allowance 2,000; 2,500 connections -> 500 x 5 */
	p = profile("{\"mau\": 20000, \"peak_connections\": 2500}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.total, N(2500));
	/* cap 30% of MAU: 6,000 connections allowed, 6,001 not */
	p = profile("{\"mau\": 20000, \"peak_connections\": 6000}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.eligible, 1);
	p = profile("{\"mau\": 20000, \"peak_connections\": 6001}");
	ck_assert_int_eq(voption_price(&c->opt[0], &p, &q, &err), 0);
	ck_assert_int_eq(q.eligible, 0);
	ck_assert_ptr_nonnull(strstr(q.why, "peak_connections"));
	vcatalog_free(c);
}
END_TEST

START_TEST(builtin_matches_vendor_worked_examples)
{
	struct ic_error err;
	struct vcatalog *c = vcatalog_builtin(&err);
	struct vprofile p;
	struct vquote q;
	int found = 0;

	ck_assert_ptr_nonnull(c);
	/* every built-in entry has a source and an as-of date */
	for (int i = 0; i < c->nopt; i++) {
		ck_assert(c->opt[i].source && c->opt[i].source[0]);
		ck_assert(c->opt[i].as_of && c->opt[i].as_of[0]);
	}
	/* Agora's own example: Starter, 2,370 + 7,865 MAU:
	 * (2,370 + 7,865 - 5,000) x 0.05 + 349 = 610.75 */
	p = profile("{\"mau\": 10235, \"peak_connections\": 0}");
	for (int i = 0; i < c->nopt; i++)
		if (strcmp(c->opt[i].id, "agora-chat-starter") == 0) {
			ck_assert_int_eq(voption_price(&c->opt[i], &p, &q, &err), 0);
			ck_assert_int_eq(q.total, N(610.75));
			found++;
		} else if (strcmp(c->opt[i].id, "zegocloud-inapp-chat-pro") == 0) {
			/* ZEGO's example: 32,000 MAU = 449 + 3 blocks x 449 = 1,796 */
			struct vprofile z = profile("{\"mau\": 32000}");
			ck_assert_int_eq(voption_price(&c->opt[i], &z, &q, &err), 0);
			ck_assert_int_eq(q.total, N(1796));
			found++;
		}
	/* Easemob's example: Pro, peak DAU 15,000, 110,000 groups and chat
	 * rooms: 1,299 + 1,000 + 100 = 2,399 CNY */
	p = profile("{\"mau\": 40000, \"peak_dau\": 15000, \"groups\": 110000}");
	for (int i = 0; i < c->nopt; i++)
		if (strcmp(c->opt[i].id, "easemob-im-pro") == 0) {
			ck_assert_int_eq(voption_price(&c->opt[i], &p, &q, &err), 0);
			ck_assert_int_eq(q.total, N(2399));
			ck_assert_str_eq(q.currency, "CNY");
			found++;
		}
	ck_assert_int_eq(found, 3);
	vcatalog_free(c);
}
END_TEST

START_TEST(ably_graduated_message_example)
{
	/* Ably's pre-2025 docs: 120 million messages = (50 x 2.50) + (70 x 2.25)
	 * = 282.50, priced per million with graduated tiers */
	struct vcatalog *c = cat_from(ONE(
		"{\"name\":\"msgs\",\"unit\":\"messages\",\"per\":1000000,\"tier_mode\":\"graduated\","
		"\"tiers\":[{\"up_to\":50000000,\"price\":2.5},{\"up_to\":500000000,\"price\":2.25},"
		"{\"price\":1.95}]}"));
	int rc;

	ck_assert_int_eq(comp_cost(c, 120e6, &rc), N(282.5));
	ck_assert_int_eq(comp_cost(c, 49e6, &rc), N(122.5));	/* 49 x 2.50 */
	vcatalog_free(c);
}
END_TEST

START_TEST(sweep_known_crossover)
{
	/* A = 100 + 0.05 x mau, B = 1000 + 0.02 x mau.  Equal where
	 * 100 + 0.05 m = 1000 + 0.02 m, m = 900 / 0.03 = 30,000; at a tie the
	 * earlier option stays cheapest, so B is first cheaper at 30,001. */
	struct vcatalog *c = cat_from(
		"{\"vendors\":["
		"{\"id\":\"A\",\"vendor\":\"A\",\"currency\":\"USD\",\"source\":\"s\",\"as_of\":\"x\",\"components\":["
		"{\"name\":\"fee\",\"unit\":\"month\",\"price\":100},{\"name\":\"mau\",\"unit\":\"mau\",\"price\":0.05}]},"
		"{\"id\":\"B\",\"vendor\":\"B\",\"currency\":\"USD\",\"source\":\"s\",\"as_of\":\"x\",\"components\":["
		"{\"name\":\"fee\",\"unit\":\"month\",\"price\":1000},{\"name\":\"mau\",\"unit\":\"mau\",\"price\":0.02}]}]}");
	struct vprofile p = profile("{\"mau\": 5000}");
	struct vsweep s;
	struct ic_error err;
	double m = (1000.0 - 100.0) / (0.05 - 0.02);

	ck_assert_int_eq(vendors_sweep(c, &p, PF_MAU, 1000, 100000, 10, &s, &err), 0);
	ck_assert_int_eq(s.npoints, 10);
	ck_assert_int_eq(s.ncross, 1);
	ck_assert(s.cross[0].at == floor(m + 1e-9) + 1);
	ck_assert_str_eq(s.ids[s.cross[0].from], "A");
	ck_assert_str_eq(s.ids[s.cross[0].to], "B");
	/* at 30,001: A = 100 + 1,500.05, B = 1,000 + 600.02 */
	ck_assert_int_eq(s.cross[0].from_cost, N(1600.05));
	ck_assert_int_eq(s.cross[0].to_cost, N(1600.02));
	/* first point (1,000 MAU): A = 150 is cheapest; last (100,000): B = 3,000 */
	ck_assert_str_eq(s.ids[s.cheapest[0]], "A");
	ck_assert_int_eq(s.cost[0 * s.nopt + s.cheapest[0]], N(150));
	ck_assert_str_eq(s.ids[s.cheapest[9]], "B");
	ck_assert_int_eq(s.cost[9 * s.nopt + s.cheapest[9]], N(3000));
	vsweep_free(&s);
	vcatalog_free(c);
}
END_TEST

START_TEST(sweep_scales_given_per_user_fields)
{
	struct vprofile p = profile("{\"mau\": 1000, \"dau\": 500, \"message_bytes\": 300}");

	vprofile_set(&p, PF_MAU, 4000);
	ck_assert(p.f[PF_DAU] == 2000);		/* 500 x 4 */
	ck_assert(p.f[PF_PEAK_DAU] == 2400);	/* derived: 1.2 x 2,000 */
	ck_assert(p.f[PF_MESSAGE_BYTES] == 300);	/* not per user */
}
END_TEST

START_TEST(profile_defaults_and_errors)
{
	struct vprofile p = profile("{\"mau\": 1000}");
	struct ic_error err;

	ck_assert(p.f[PF_DAU] == 300);			/* 30% of mau */
	ck_assert(p.f[PF_PEAK_DAU] == 360);		/* 1.2 x dau */
	ck_assert(p.f[PF_PEAK_CONNECTIONS] == 50);	/* 5% of mau */
	ck_assert(p.f[PF_MESSAGES] == 365000);		/* 300 x 40 x 730/24 */
	ck_assert(p.f[PF_CONNECTION_MINUTES] == 1095000);	/* 50 x 0.5 x 43,800 */
	ck_assert(p.given == 1u << PF_MAU);
	ck_assert_int_eq(vprofile_parse("{\"mua\": 5}", strlen("{\"mua\": 5}"), "p.json", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown key \"mua\""));
	ck_assert_int_eq(vprofile_parse("{\"dau\": 5}", strlen("{\"dau\": 5}"), "p.json", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"mau\""));
	ck_assert_int_eq(vprofile_parse("{\"mau\": -5}", strlen("{\"mau\": -5}"), "p.json", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"mau\""));
}
END_TEST

START_TEST(malformed_entries_name_entry_and_key)
{
	const char *m;

	m = cat_error("{\"vendors\":[{\"id\":\"x1\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\"}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "vendors[0] (id \"x1\")"));
	ck_assert_ptr_nonnull(strstr(m, "components[0]"));
	ck_assert_ptr_nonnull(strstr(m, "key \"price\""));
	m = cat_error("{\"vendors\":[{\"id\":\"ok\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"price\":1}]},"
		      "{\"id\":\"x2\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"furlongs\",\"price\":1}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "vendors[1] (id \"x2\")"));
	ck_assert_ptr_nonnull(strstr(m, "key \"unit\""));
	m = cat_error("{\"vendors\":[{\"id\":\"x3\",\"vendor\":\"X\",\"currency\":\"USD\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"price\":1}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "key \"source\""));
	m = cat_error("{\"vendors\":[{\"id\":\"x4\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"tier_mode\":\"graduated\","
		      "\"tiers\":[{\"up_to\":10,\"price\":1},{\"up_to\":5,\"price\":1}]}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "x4"));
	ck_assert_ptr_nonnull(strstr(m, "tiers[1].up_to"));
	m = cat_error("{\"vendors\":[{\"id\":\"x5\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"price\":1,"
		      "\"rounding\":\"sideways\"}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "key \"rounding\""));
	m = cat_error("{\"vendors\":[{\"id\":\"x6\",\"vendor\":\"X\",\"currency\":\"USD\",\"source\":\"s\","
		      "\"as_of\":\"x\",\"colour\":\"red\",\"components\":[{\"name\":\"c\",\"unit\":\"mau\",\"price\":1}]}]}");
	ck_assert_ptr_nonnull(strstr(m, "key \"colour\": unknown key"));
	m = cat_error("{\"vendors\":[{\"vendor\":\"X\"}]}");
	ck_assert_ptr_nonnull(strstr(m, "vendors[0]"));
	ck_assert_ptr_nonnull(strstr(m, "key \"id\""));
	m = cat_error("{\"vendors\": [ {\"id\": ");
	ck_assert_ptr_nonnull(strstr(m, "bad.json"));
}
END_TEST

START_TEST(user_catalog_merges_over_builtin)
{
	struct ic_error err;
	struct vcatalog *c = vcatalog_builtin(&err);
	int n0, found = 0;
	const char *user =
		"{\"vendors\":[{\"id\":\"agora-chat-pro\",\"vendor\":\"Agora Chat\",\"currency\":\"USD\","
		"\"source\":\"my contract\",\"as_of\":\"2026-11\",\"components\":[{\"name\":\"flat\",\"unit\":\"month\","
		"\"price\":123}]},{\"id\":\"lanying-im-1000dau\",\"remove\":true},"
		"{\"id\":\"new-vendor\",\"vendor\":\"N\",\"currency\":\"USD\",\"source\":\"s\",\"as_of\":\"x\","
		"\"components\":[{\"name\":\"f\",\"unit\":\"month\",\"price\":1}]}]}";

	ck_assert_ptr_nonnull(c);
	n0 = c->nopt;
	ck_assert_int_eq(vcatalog_merge(c, user, strlen(user), "user.json", &err), 0);
	ck_assert_int_eq(c->nopt, n0);	/* one replaced, one removed, one added */
	for (int i = 0; i < c->nopt; i++) {
		ck_assert_str_ne(c->opt[i].id, "lanying-im-1000dau");
		if (strcmp(c->opt[i].id, "agora-chat-pro") == 0) {
			ck_assert_int_eq(c->opt[i].ncomp, 1);
			ck_assert_int_eq(c->opt[i].comp[0].tiers[0].price, N(123));
			found++;
		}
		if (strcmp(c->opt[i].id, "new-vendor") == 0)
			found++;
	}
	ck_assert_int_eq(found, 2);
	/* a bad user catalog leaves the catalog as it was */
	ck_assert_int_eq(vcatalog_merge(c, "{\"vendors\":[{\"id\":\"z\"}]}", strlen("{\"vendors\":[{\"id\":\"z\"}]}"), "u2.json", &err), -1);
	ck_assert_int_eq(c->nopt, n0);
	vcatalog_free(c);
}
END_TEST

START_TEST(selfhost_sizing_and_egress_tiers)
{
	struct ic_error err;
	struct vcatalog *c = vcatalog_builtin(&err);
	struct vprofile p = profile("{\"mau\": 10000000, \"peak_connections\": 1000000, \"messages\": 0}");
	const struct vselfhost *s = NULL;
	const struct vinfra *inf;
	struct vquote q;

	ck_assert_ptr_nonnull(c);
	for (int i = 0; i < c->nself; i++)
		if (strcmp(c->self[i].id, "selfhost-centrifugo-m5xlarge") == 0)
			s = &c->self[i];
	ck_assert_ptr_nonnull(s);
	/* Centrifugo: 1,000,000 connections x 0.01 vCPU/1k = 10 vCPU; usable
	 * 4 x 0.7 = 2.8 per m5.xlarge -> ceil(3.57) = 4; memory 1M x 30 KiB =
	 * 28.6 GiB over 16 x 0.7 = 11.2 -> 3; max 4, + 1 spare = 5 */
	ck_assert_int_eq(vselfhost_price(c, s, &p, -1, &q, &err), 0);
	ck_assert_int_eq(q.instances, 5);
	/* compute: 5 x 730 h x 0.192 = 700.80 */
	ck_assert_int_eq(q.line[0].cost, N(700.8));
	/* AWS egress, graduated: 20,000 GB = 100 x 0 + 10,140 x 0.09 +
	 * 9,760 x 0.085 = 912.60 + 829.60 = 1,742.20 */
	inf = vcatalog_infra(c, "aws", "us-east-1");
	ck_assert_ptr_nonnull(inf);
	ck_assert_int_eq(vtiers_graduated(inf->egress, inf->negress, 20000, 1), N(1742.2));
	ck_assert_int_eq(vtiers_graduated(inf->egress, inf->negress, 100, 1), 0);
	vcatalog_free(c);
}
END_TEST

/* The test's own RFC 7692 compressor: one deflate call per message into a
 * large buffer, the 4-byte sync tail dropped. */
static uint64_t
my_deflate(const char *const *msgs, int n, int takeover)
{
	z_stream z;
	uint64_t total = 0;
	unsigned char out[65536];

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	for (int i = 0; i < n; i++) {
		if (!takeover) {
			deflateEnd(&z);
			memset(&z, 0, sizeof z);
			ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
		}
		z.next_in = (unsigned char *)msgs[i];
		z.avail_in = (uInt)strlen(msgs[i]);
		z.next_out = out;
		z.avail_out = sizeof out;
		ck_assert_int_eq(deflate(&z, Z_SYNC_FLUSH), Z_OK);
		ck_assert_int_gt(z.avail_out, 0);
		total += sizeof out - z.avail_out - 4;
		ck_assert(memcmp(out + (sizeof out - z.avail_out - 4), "\0\0\xff\xff", 4) == 0);
	}
	deflateEnd(&z);
	return total;
}

START_TEST(compression_matches_zlib)
{
	static const char *const msgs[] = {
		"{\"type\":\"msg\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"hello bob, lunch at noon?\"}",
		"{\"type\":\"msg\",\"from\":\"bob\",\"to\":\"alice\",\"text\":\"yes, lunch at noon is fine\"}",
		"{\"type\":\"typing\",\"from\":\"alice\",\"to\":\"bob\"}",
		"{\"type\":\"msg\",\"from\":\"alice\",\"to\":\"bob\",\"text\":\"see you at noon then\"}",
	};
	const unsigned char *m[4];
	size_t len[4];
	uint64_t raw = 0;
	struct deflate_stats st;
	struct ic_error err;
	struct lever l;
	struct lever_rate rate = { N(0.09), "test" };
	struct compression_inputs ci;
	double ratio;

	for (int i = 0; i < 4; i++) {
		m[i] = (const unsigned char *)msgs[i];
		len[i] = strlen(msgs[i]);
		raw += len[i];
	}
	ck_assert_int_eq(deflate_measure(m, len, 4, -1, &st, &err), 0);
	ck_assert_int_eq(st.messages, 4);
	ck_assert_uint_eq(st.raw, raw);
	ck_assert_uint_eq(st.no_takeover, my_deflate(msgs, 4, 0));
	ck_assert_uint_eq(st.takeover, my_deflate(msgs, 4, 1));
	ck_assert_uint_lt(st.takeover, st.no_takeover);	/* the shared window helps */
	/* permessage-deflate prices the measured ratio with context takeover:
	 * 1,000 GB x (1 - ratio) x 0.09; message-level compression the ratio of
	 * each message on its own */
	memset(&ci, 0, sizeof ci);
	ci.st = &st;
	ci.egress_gb = 1000;
	ci.egress = rate;
	ci.connections = ci.messages = ci.deliveries = -1;
	ck_assert_int_eq(lever_protocol_compression(&ci, "USD", &l), 0);
	ratio = (double)my_deflate(msgs, 4, 1) / (double)raw;
	ck_assert_int_eq(l.monthly_saving, (int64_t)llround(1000 * (1 - ratio) * 0.09 * 1e9));
	ck_assert(st.cpu_s_takeover >= 0 && st.cpu_s_no_takeover >= 0 && st.reps > 0);
	ck_assert_int_eq(lever_compression(&ci, "USD", &l), 0);
	ratio = (double)my_deflate(msgs, 4, 0) / (double)raw;
	ck_assert_int_eq(l.monthly_saving, (int64_t)llround(1000 * (1 - ratio) * 0.09 * 1e9));
	/* without a profile the connection count is "not given", never 0 */
	ck_assert_int_eq(lever_protocol_compression(&ci, "USD", &l), 0);
	for (int i = 0; i < l.ninput; i++)
		if (strcmp(l.input[i].name, "connections") == 0)
			ck_assert_int_eq(l.input[i].not_given, 1);
}
END_TEST

START_TEST(retention_and_tiering_by_hand)
{
	struct retention_inputs in;
	struct lever l;

	memset(&in, 0, sizeof in);
	in.messages = 1e6;
	in.stored_bytes = 300;
	in.replication = 3;		/* growth 1e6 x 300 x 3 / 1e9 = 0.9 GB/month */
	in.current_days = 0;		/* forever: 12 months = 10.8 GB */
	in.horizon_months = 12;
	in.retention_days = 91.25;	/* 91.25 / (730/24) = 3 months = 2.7 GB */
	in.hot.nanos = N(0.08);
	in.cold.nanos = N(0.023);
	ck_assert_int_eq(lever_retention(&in, "USD", &l), 0);
	/* (10.8 - 2.7) x 0.08 = 0.648 */
	ck_assert_int_eq(l.monthly_saving, N(0.648));
	ck_assert_int_eq(lever_tiering(&in, "USD", &l), 0);
	/* 8.1 GB x 0.08 - 8.1 / 3 x 0.023 = 0.648 - 0.0621 = 0.5859 */
	ck_assert_int_eq(l.monthly_saving, N(0.5859));
	/* a limit longer than today's retention saves nothing */
	in.current_days = 30;
	in.retention_days = 90;
	ck_assert_int_eq(lever_retention(&in, "USD", &l), 0);
	ck_assert_int_eq(l.monthly_saving, 0);
}
END_TEST

START_TEST(protocol_by_hand)
{
	struct protocol_inputs in;
	struct lever l;

	memset(&in, 0, sizeof in);
	protocol_defaults(&in, 100);	/* 100-byte payloads: 2-byte frames, 6 with mask */
	ck_assert(in.ws_s2c == 2 && in.ws_c2s == 6);
	in.deliveries = 1e6;
	in.messages = 5e5;
	in.connections = 0;		/* no idle polls, no pings */
	in.egress.nanos = N(0.09);
	in.lcu.nanos = N(0.008);
	/* long polling: 1.5e6 requests x 871 B = 1.3065 GB, half to clients:
	 * 0.65325 GB; WebSocket: 1e6 x 2 + 5e5 x 6 = 5e6 B = 0.005 GB, to
	 * clients 1e6 x 2 = 0.002 GB.  Saving = (0.65325 - 0.002) x 0.09 +
	 * (1.3065 - 0.005) x 0.008 = 0.0586125 + 0.010412 = 0.0690245 */
	ck_assert_int_eq(lever_protocol(&in, "USD", &l), 0);
	ck_assert_int_eq(l.monthly_saving, N(0.0690245));
}
END_TEST

Suite *
vendors_suite(void)
{
	Suite *s = suite_create("vendors");
	TCase *t = tcase_create("pricing");

	tcase_add_test(t, graduated_tier_boundaries);
	tcase_add_test(t, volume_tier_boundaries);
	tcase_add_test(t, bracket_tiers_and_beyond_last);
	tcase_add_test(t, free_allowance);
	tcase_add_test(t, block_rounding_up_and_down);
	tcase_add_test(t, monthly_minimum);
	tcase_add_test(t, share_of_mau_allowance_and_cap);
	tcase_add_test(t, builtin_matches_vendor_worked_examples);
	tcase_add_test(t, ably_graduated_message_example);
	tcase_add_test(t, sweep_known_crossover);
	tcase_add_test(t, sweep_scales_given_per_user_fields);
	tcase_add_test(t, profile_defaults_and_errors);
	tcase_add_test(t, malformed_entries_name_entry_and_key);
	tcase_add_test(t, user_catalog_merges_over_builtin);
	tcase_add_test(t, selfhost_sizing_and_egress_tiers);
	tcase_add_test(t, compression_matches_zlib);
	tcase_add_test(t, retention_and_tiering_by_hand);
	tcase_add_test(t, protocol_by_hand);
	suite_add_tcase(s, t);
	return s;
}
