/*
 * price-csv.c - imcost's own price table, for providers without a public
 * machine-readable price list (Alibaba Cloud, Tencent Cloud) or for any
 * figures a user has (contract prices).  Example: data/prices-example-cn.csv.
 *
 * Header (names, any order; the first five are required):
 *   provider, region, instance_type, currency, on_demand_hourly,
 *   platform (default Linux), term (1m, 1y, 3y; empty: on-demand only),
 *   payment (no_upfront, partial_upfront, all_upfront; default
 *   all_upfront for a subscription), upfront (once per term), hourly,
 *   kind (reserved, savings_plan, subscription; default subscription for
 *   Alibaba and Tencent: 包年包月, else reserved), vcpu, memory_gib,
 *   as_of (the date of the figures: the list's publication)
 *
 * One row states the on-demand (按量付费) hourly price and, when term is
 * set, one commitment offer: a subscription of 1 month is "term 1m,
 * upfront = the month's price"; a yearly one "term 1y, upfront = the
 * year's price".  Consecutive rows repeating the on-demand price of the
 * same type (one row per offer) write it once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/decimal.h"
#include "importers/prices.h"

enum { G_PROVIDER, G_REGION, G_TYPE, G_CURRENCY, G_OD, G_PLATFORM, G_TERM, G_PAYMENT,
       G_UPFRONT, G_HOURLY, G_KIND, G_VCPU, G_MEM, G_ASOF, G_N };
static const char *const gcols[G_N] = {
	"provider", "region", "instance_type", "currency", "on_demand_hourly", "platform",
	"term", "payment", "upfront", "hourly", "kind", "vcpu", "memory_gib", "as_of",
};

struct gstate {
	struct price_sink *sink;
	int col[G_N];
	int ncols, header_seen;
	/* the last on-demand price written, to write each once */
	char last_key[256];
	int64_t last_od;
};

static void *
g_open(struct price_sink *s, struct ic_error *err)
{
	return price_state_new(sizeof(struct gstate), s, err);
}

static const char *
gf(const struct gstate *st, const struct csv_record *rec, int k)
{
	int c = st->col[k];
	return c >= 0 && c < rec->n ? rec->f[c].s : "";
}

static int
money_col(struct gstate *st, const struct csv_record *rec, int k, int64_t *out, int *present,
	  struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	const char *s = gf(st, rec, k);

	*present = 0;
	*out = 0;
	if (is_null_token(s, strlen(s)))
		return 0;
	if (price_money(s, strlen(s), out) != 0)
		return ic_error_at(err, st->sink->name, rec->line, st->col[k] + 1,
				   "column %s: '%s' is not a decimal number >= 0", gcols[k],
				   ic_quote(s, strlen(s), 40, qb));
	*present = 1;
	return 0;
}

static double
num_col(const struct gstate *st, const struct csv_record *rec, int k)
{
	const char *s = gf(st, rec, k);
	double d = 0;

	if (number_parse(s, strlen(s), &d) != NUM_OK || !(d > 0))
		return 0;
	return d;
}

static int
g_record(void *p, const struct csv_record *rec, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	struct gstate *st = p;
	struct price_row r;
	const char *term, *payment, *kind, *platform;
	int64_t od, up, hr;
	int has_od, has_up, has_hr;
	char key[256];

	if (!st->header_seen) {
		for (int k = 0; k < G_N; k++) {
			st->col[k] = -1;
			for (int i = 0; i < rec->n; i++)
				if (price_field_is(&rec->f[i], gcols[k])) {
					st->col[k] = i;
					break;
				}
			if (k <= G_OD && st->col[k] < 0)
				return ic_error_at(err, st->sink->name, rec->line, 1,
						   "price table: the header has no column '%s'", gcols[k]);
		}
		st->ncols = rec->n;
		st->header_seen = 1;
		return 0;
	}
	if (rec->n != st->ncols)
		return ic_error_at(err, st->sink->name, rec->line,
				   (rec->n < st->ncols ? rec->n : st->ncols) + 1,
				   "expected %d fields as in the header, found %d", st->ncols, rec->n);
	if (st->sink->meta && rec->line == 2)
		st->sink->meta(st->sink, "prices-csv", gf(st, rec, G_ASOF));
	for (int k = 0; k < G_TYPE + 1; k++)
		if (*gf(st, rec, k) == '\0')
			return ic_error_at(err, st->sink->name, rec->line, st->col[k] + 1,
					   "column %s: required", gcols[k]);
	if (strlen(gf(st, rec, G_CURRENCY)) != 3)
		return ic_error_at(err, st->sink->name, rec->line, st->col[G_CURRENCY] + 1,
				   "column currency: an ISO 4217 code (CNY, USD) is required");
	if (money_col(st, rec, G_OD, &od, &has_od, err) != 0 ||
	    money_col(st, rec, G_UPFRONT, &up, &has_up, err) != 0 ||
	    money_col(st, rec, G_HOURLY, &hr, &has_hr, err) != 0)
		return -1;
	platform = *gf(st, rec, G_PLATFORM) ? gf(st, rec, G_PLATFORM) : "Linux";
	memset(&r, 0, sizeof r);
	r.provider = gf(st, rec, G_PROVIDER);
	r.region = gf(st, rec, G_REGION);
	r.instance_type = gf(st, rec, G_TYPE);
	r.platform = platform;
	r.currency = gf(st, rec, G_CURRENCY);
	r.vcpu = num_col(st, rec, G_VCPU);
	r.memory_gib = num_col(st, rec, G_MEM);
	r.line = rec->line;
	{
		const char *dot = strchr(r.instance_type, '.');
		static char fam[64];
		/* ecs.g6.large -> ecs.g6, S5.LARGE8 -> S5 */
		const char *last = strrchr(r.instance_type, '.');
		size_t l = last && last != dot ? (size_t)(last - r.instance_type) :
			   dot ? (size_t)(dot - r.instance_type) : 0;
		if (l > 0 && l < sizeof fam) {
			memcpy(fam, r.instance_type, l);
			fam[l] = '\0';
			r.family = fam;
		}
	}
	if (has_od) {
		snprintf(key, sizeof key, "%s|%s|%s|%s|%s", r.provider, r.region, r.instance_type,
			 platform, r.currency);
		if (strcmp(key, st->last_key) != 0 || st->last_od != od) {
			r.kind = PK_ON_DEMAND;
			r.term = r.payment = r.offering_class = "";
			r.hourly = od;
			if (st->sink->emit(st->sink, &r, err) != 0)
				return -1;
			snprintf(st->last_key, sizeof st->last_key, "%s", key);
			st->last_od = od;
		}
	}
	term = gf(st, rec, G_TERM);
	if (*term == '\0') {
		if (!has_od)
			return ic_error_at(err, st->sink->name, rec->line, st->col[G_OD] + 1,
					   "column on_demand_hourly: required when the row has no term");
		return 0;
	}
	if (strcmp(term, "1m") != 0 && strcmp(term, "1y") != 0 && strcmp(term, "3y") != 0)
		return ic_error_at(err, st->sink->name, rec->line, st->col[G_TERM] + 1,
				   "column term: '%s' is not 1m, 1y or 3y",
				   ic_quote(term, strlen(term), 20, qb));
	payment = gf(st, rec, G_PAYMENT);
	if (*payment == '\0')
		payment = "all_upfront";
	if (strcmp(payment, "no_upfront") != 0 && strcmp(payment, "partial_upfront") != 0 &&
	    strcmp(payment, "all_upfront") != 0)
		return ic_error_at(err, st->sink->name, rec->line, st->col[G_PAYMENT] + 1,
				   "column payment: '%s' is not no_upfront, partial_upfront or all_upfront",
				   ic_quote(payment, strlen(payment), 20, qb));
	if (!has_up && !has_hr)
		return ic_error_at(err, st->sink->name, rec->line, st->col[G_TERM] + 1,
				   "an offer needs upfront or hourly");
	kind = gf(st, rec, G_KIND);
	if (*kind == '\0')
		r.kind = strcasecmp(r.provider, "Alibaba") == 0 || strcasecmp(r.provider, "Tencent") == 0
			 ? PK_SUBSCRIPTION : PK_RESERVED;
	else if (strcmp(kind, "reserved") == 0)
		r.kind = PK_RESERVED;
	else if (strcmp(kind, "savings_plan") == 0)
		r.kind = PK_SAVINGS_PLAN;
	else if (strcmp(kind, "subscription") == 0)
		r.kind = PK_SUBSCRIPTION;
	else
		return ic_error_at(err, st->sink->name, rec->line, st->col[G_KIND] + 1,
				   "column kind: '%s' is not reserved, savings_plan or subscription",
				   ic_quote(kind, strlen(kind), 20, qb));
	r.term = term;
	r.payment = payment;
	r.offering_class = "";
	r.upfront = up;
	r.hourly = hr;
	return st->sink->emit(st->sink, &r, err);
}

static int
g_finish(void *p, struct ic_error *err)
{
	(void)p;
	(void)err;
	return 0;
}

static void
g_close(void *p)
{
	free(p);
}

const struct price_format price_generic_csv = {
	.open = g_open, .csv_record = g_record, .finish = g_finish, .close = g_close,
};
