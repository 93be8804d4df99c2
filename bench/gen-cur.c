/*
 * gen-cur.c - deterministic generator of a synthetic AWS legacy Cost and
 * Usage Report (CUR, CSV with `group/Column` names) for one billing month.
 *
 * Used by `make bench`, `make demo` and the end-to-end tests.  The bill is
 * that of an instant-messaging service: an EC2 fleet (c6i.xlarge gateways,
 * m6i.large API servers, r6i.2xlarge message stores, t3.medium tools) in
 * us-east-1, eu-west-1 and ap-southeast-1, with an always-on part and a
 * diurnal, autoscaled part (more instances at the local evening peak, fewer
 * at weekends); three reserved instances (one bought this month, partial
 * upfront, with its upfront Fee line; one under-used), a Compute Savings
 * Plan (covered usage, negation and hourly recurring-fee lines), EBS
 * volumes (two of them orphaned), S3 storage and requests (with one
 * anomalous day), data transfer out, NAT gateways, a load balancer, two idle
 * Elastic IPs and one Tax line per product code.  See docs/FORMATS.md 2.
 *
 *   gen-cur [--rows N] [--month YYYY-MM] [--seed S] [--payer ID]
 *           [--out FILE] [--totals FILE] [--metrics FILE]
 *
 * Money: every cost and rate is an int64 count of 1e-10 currency units and
 * is printed from that integer with exactly 10 decimals, so the totals in
 * --totals are exact.  Every money value is also a whole number of 1e-9
 * units (last printed digit 0), so an importer that keeps money in
 * nano-units (common/decimal.h) reproduces the totals exactly too.
 * Quantities (UsageAmount...) are printed with up to 10 decimals.
 *
 * Row count: the fleet is a deterministic sequence of instances (a fixed
 * prefix that plants every feature, then a smooth weighted round-robin over
 * the instance pools), so the bill for K instances is a prefix-stable plan.
 * choose_fleet() runs the whole generator in count-only mode ("dry run") to
 * find a K whose bill has at most --rows lines and fewer than one
 * instance-month (H = hours in the month) lines less, then adds the missing
 * R = rows - lines(K) lines as hourly on-demand lines of short-lived
 * t3.medium "load-test" instances (each runs at most half the month, so they
 * never look always-on; R < H means one or two of them).  The output
 * therefore has exactly --rows lines whenever --rows is at least lines(0)
 * (778 for a 31-day month: the lines that do not depend on the fleet);
 * below that this minimum bill is written and a warning printed.  The real
 * run checks the count.  About 10,000 rows hold the 13-instance prefix,
 * 100,000 rows about 140 instances, 1,000,000 rows about 1,700.
 * Granularity of the fleet-independent lines (data transfer, NAT, load
 * balancer, Elastic IP, Savings Plan recurring fee) is hourly when they fit
 * in 1/8 of --rows (from about 84,000 rows for a 31-day month) and daily
 * otherwise; instance lines are always hourly, EBS and S3 lines daily.
 *
 * --totals FILE (key=value, money with 10 decimals, from the generator's own
 * integers): rows, rows.<LineItemType>, billed_cost (sum of UnblendedCost),
 * effective_cost (the amortized CASE of docs/FORMATS.md 2.4), list_cost,
 * ri_sp_trueup, ri_sp_upfront_fees, billed_cost.<ProductCode> and
 * effective_cost.<ProductCode> (Tax lines included), and planted facts:
 * always_on/steady/steady_not_idle/min_hourly_ondemand.<region>.<type>,
 * idle_instance=, idle_eip=, unattached_volume=, ri.<n>.*, sp.*, anomaly.*,
 * service.*.  --metrics FILE: hourly cpu_utilization and network_out_bytes
 * of every running instance, daily mau/dau/messages/peak_connections of
 * resource "service".
 *
 * Deterministic: the only randomness is a splitmix64 hash of (seed, what,
 * index); all arithmetic that decides content is integer arithmetic, so the
 * output is byte-identical across compilers and platforms for a seed.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int64_t money;			/* 1e-10 currency units */
#define UNIT 10000000000LL		/* units per dollar (and per quantity 1) */
#define D(x) ((money)((x) * 1e10 + 0.5))	/* only for constant prices */

/* ------------------------------------------------------------------ */
/* small utilities                                                    */

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-cur: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* the one source of randomness: a hash of (seed, what, index) */
static uint64_t hx(uint64_t seed, uint64_t what, uint64_t idx)
{
	return mix64(mix64(seed ^ (what * 0xD1B54A32D192ED03ULL)) ^
		     (idx * 0x9E3779B97F4A7C15ULL));
}

/* uniform integer in [lo, hi] */
static long rng(uint64_t seed, uint64_t what, uint64_t idx, long lo, long hi)
{
	return lo + (long)(hx(seed, what, idx) % (uint64_t)(hi - lo + 1));
}

/* round a non-negative amount of 1e-10 units to whole 1e-9 units */
static money round10(money v)
{
	return v >= 0 ? (v + 5) / 10 * 10 : -((-v + 5) / 10 * 10);
}

/* a*b/d rounded half up, a, b >= 0, d > 0; needs d*b < 2^63 */
static int64_t muldiv(int64_t a, int64_t b, int64_t d)
{
	return (a / d) * b + ((a % d) * b + d / 2) / d;
}

/* ------------------------------------------------------------------ */
/* strings: CSV-safe, with their length                               */

typedef struct {
	const char *p;
	unsigned n;
} str_t;

/* a literal that is already a valid CSV field (quoted if it has a comma) */
#define LIT(x) ((str_t){ (x), sizeof(x) - 1 })
#define NOSTR ((str_t){ NULL, 0 })

static char **arena;
static size_t narena, carena;

/* printf into a new CSV-escaped string owned by the arena */
static str_t mk(const char *fmt, ...)
{
	char tmp[512], *out;
	va_list ap;
	size_t n, i, j;
	int quote = 0;

	va_start(ap, fmt);
	n = (size_t)vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= sizeof tmp)
		die("internal: string too long");
	for (i = 0; i < n; i++)
		if (tmp[i] == ',' || tmp[i] == '"' || tmp[i] == '\n' ||
		    tmp[i] == '\r')
			quote = 1;
	out = xmalloc(2 * n + 3);
	j = 0;
	if (quote)
		out[j++] = '"';
	for (i = 0; i < n; i++) {
		if (tmp[i] == '"')
			out[j++] = '"';
		out[j++] = tmp[i];
	}
	if (quote)
		out[j++] = '"';
	out[j] = 0;
	if (narena == carena) {
		carena = carena ? 2 * carena : 256;
		arena = realloc(arena, carena * sizeof *arena);
		if (!arena)
			die("out of memory");
	}
	arena[narena++] = out;
	return (str_t){ out, (unsigned)j };
}

static void arena_free(void)
{
	size_t i;

	for (i = 0; i < narena; i++)
		free(arena[i]);
	free(arena);
	arena = NULL;
	narena = carena = 0;
}

/* hex digits from a hash */
static void hexid(char *dst, uint64_t h, int n)
{
	static const char hexd[] = "0123456789abcdef";
	int i;

	for (i = 0; i < n; i++) {
		if (i == 16)
			h = mix64(h);
		dst[i] = hexd[(h >> (4 * (i % 16))) & 15];
	}
	dst[n] = 0;
}

/* ------------------------------------------------------------------ */
/* output buffer                                                      */

struct obuf {
	FILE *f;
	const char *name;
	char *buf;
	size_t len, cap;
	uint64_t bytes;
};

static void ob_open(struct obuf *o, const char *path, size_t cap)
{
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		o->name = "stdout";
	} else {
		o->f = fopen(path, "wb");
		if (!o->f)
			die("%s: %s", path, strerror(errno));
		o->name = path;
	}
	o->buf = xmalloc(cap);
	o->cap = cap;
	o->len = 0;
	o->bytes = 0;
}

static void ob_flush(struct obuf *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		die("%s: write error: %s", o->name, strerror(errno));
	o->bytes += o->len;
	o->len = 0;
}

static void ob_close(struct obuf *o)
{
	if (!o->f)
		return;
	ob_flush(o);
	if (o->f == stdout) {
		if (fflush(stdout) != 0)
			die("stdout: write error: %s", strerror(errno));
	} else if (fclose(o->f) != 0) {
		die("%s: write error: %s", o->name, strerror(errno));
	}
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
}

/* make room for n bytes */
static char *ob_room(struct obuf *o, size_t n)
{
	if (o->len + n > o->cap)
		ob_flush(o);
	return o->buf + o->len;
}

static char *put_u64(char *p, uint64_t v)
{
	char t[24];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = t[--n];
	return p;
}

/* fixed 10 decimals, or trimmed (at least one decimal) */
static char *put_dec(char *p, int64_t v, int trim)
{
	uint64_t a, ip, fp;
	char f[10];
	int i, n = 10;

	if (v < 0) {
		*p++ = '-';
		a = (uint64_t)0 - (uint64_t)v;
	} else {
		a = (uint64_t)v;
	}
	ip = a / (uint64_t)UNIT;
	fp = a % (uint64_t)UNIT;
	p = put_u64(p, ip);
	*p++ = '.';
	for (i = 9; i >= 0; i--) {
		f[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	if (trim)
		while (n > 1 && f[n - 1] == '0')
			n--;
	memcpy(p, f, (size_t)n);
	return p + n;
}

/* ------------------------------------------------------------------ */
/* columns                                                            */

#define COLUMNS \
	X(LINEITEMID, "identity/LineItemId") \
	X(TIMEINTERVAL, "identity/TimeInterval") \
	X(INVOICEID, "bill/InvoiceId") \
	X(INVOICINGENTITY, "bill/InvoicingEntity") \
	X(BILLINGENTITY, "bill/BillingEntity") \
	X(BILLTYPE, "bill/BillType") \
	X(PAYER, "bill/PayerAccountId") \
	X(BPSTART, "bill/BillingPeriodStartDate") \
	X(BPEND, "bill/BillingPeriodEndDate") \
	X(ACCOUNT, "lineItem/UsageAccountId") \
	X(LITYPE, "lineItem/LineItemType") \
	X(USTART, "lineItem/UsageStartDate") \
	X(UEND, "lineItem/UsageEndDate") \
	X(PRODUCTCODE, "lineItem/ProductCode") \
	X(USAGETYPE, "lineItem/UsageType") \
	X(OPERATION, "lineItem/Operation") \
	X(AZ, "lineItem/AvailabilityZone") \
	X(RESOURCEID, "lineItem/ResourceId") \
	X(USAGEAMOUNT, "lineItem/UsageAmount") \
	X(NORMFACTOR, "lineItem/NormalizationFactor") \
	X(NORMAMOUNT, "lineItem/NormalizedUsageAmount") \
	X(CURRENCY, "lineItem/CurrencyCode") \
	X(UNBLENDEDRATE, "lineItem/UnblendedRate") \
	X(UNBLENDEDCOST, "lineItem/UnblendedCost") \
	X(BLENDEDRATE, "lineItem/BlendedRate") \
	X(BLENDEDCOST, "lineItem/BlendedCost") \
	X(DESCRIPTION, "lineItem/LineItemDescription") \
	X(TAXTYPE, "lineItem/TaxType") \
	X(P_NAME, "product/ProductName") \
	X(P_INSTTYPE, "product/instanceType") \
	X(P_INSTTYPEFAMILY, "product/instanceTypeFamily") \
	X(P_REGION, "product/region") \
	X(P_REGIONCODE, "product/regionCode") \
	X(P_LOCATION, "product/location") \
	X(P_OS, "product/operatingSystem") \
	X(P_TENANCY, "product/tenancy") \
	X(P_FAMILY, "product/productFamily") \
	X(P_SERVICECODE, "product/servicecode") \
	X(P_USAGETYPE, "product/usagetype") \
	X(P_VCPU, "product/vcpu") \
	X(P_MEMORY, "product/memory") \
	X(P_SKU, "product/sku") \
	X(P_VOLAPI, "product/volumeApiName") \
	X(P_STORAGECLASS, "product/storageClass") \
	X(P_TRANSFERTYPE, "product/transferType") \
	X(PR_TERM, "pricing/term") \
	X(PR_UNIT, "pricing/unit") \
	X(PR_ODCOST, "pricing/publicOnDemandCost") \
	X(PR_ODRATE, "pricing/publicOnDemandRate") \
	X(PR_LEASE, "pricing/LeaseContractLength") \
	X(PR_PURCHASE, "pricing/PurchaseOption") \
	X(PR_CLASS, "pricing/OfferingClass") \
	X(R_ARN, "reservation/ReservationARN") \
	X(R_START, "reservation/StartTime") \
	X(R_END, "reservation/EndTime") \
	X(R_EFFECTIVE, "reservation/EffectiveCost") \
	X(R_AMORTUSAGE, "reservation/AmortizedUpfrontCostForUsage") \
	X(R_RECUSAGE, "reservation/RecurringFeeForUsage") \
	X(R_AMORTPERIOD, "reservation/AmortizedUpfrontFeeForBillingPeriod") \
	X(R_UNUSEDAMORT, "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod") \
	X(R_UNUSEDREC, "reservation/UnusedRecurringFee") \
	X(R_UNUSEDQTY, "reservation/UnusedQuantity") \
	X(R_NUMBER, "reservation/NumberOfReservations") \
	X(R_UPFRONT, "reservation/UpfrontValue") \
	X(S_ARN, "savingsPlan/SavingsPlanARN") \
	X(S_START, "savingsPlan/StartTime") \
	X(S_END, "savingsPlan/EndTime") \
	X(S_EFFECTIVE, "savingsPlan/SavingsPlanEffectiveCost") \
	X(S_RATE, "savingsPlan/SavingsPlanRate") \
	X(S_TOTAL, "savingsPlan/TotalCommitmentToDate") \
	X(S_USED, "savingsPlan/UsedCommitment") \
	X(S_OFFERING, "savingsPlan/OfferingType") \
	X(S_PAYMENT, "savingsPlan/PaymentOption") \
	X(S_TERM, "savingsPlan/PurchaseTerm") \
	X(S_AMORTPERIOD, "savingsPlan/AmortizedUpfrontCommitmentForBillingPeriod") \
	X(S_RECPERIOD, "savingsPlan/RecurringCommitmentForBillingPeriod") \
	X(T_APP, "resourceTags/user:app") \
	X(T_ENV, "resourceTags/user:env") \
	X(T_TEAM, "resourceTags/user:team")

enum col {
#define X(id, name) C_##id,
	COLUMNS
#undef X
	NCOL
};

static const char *const colname[NCOL] = {
#define X(id, name) name,
	COLUMNS
#undef X
};

enum kind {
	K_EMPTY = 0,
	K_STR,		/* s */
	K_MONEY,	/* v, 10 decimals */
	K_QTY,		/* v, trimmed decimals */
	K_INT,		/* v, integer */
	K_TS,		/* v = hour index in the month */
	K_SPAN,		/* v = start hour << 20 | end hour */
	K_LID		/* line item id from the row number */
};

struct row {
	unsigned char k[NCOL];
	int64_t v[NCOL];
	str_t s[NCOL];
};

/* ------------------------------------------------------------------ */
/* the world: regions, instance types, pools                          */

enum { US, EU, AP, NREGION };
enum { C6I, M6I, R6I, T3, NTYPE };
#define NGROUP (NREGION * NTYPE)

struct region {
	const char *code, *prefix, *location, *abbr;
	int utc_off;		/* hours, for the diurnal load */
	money dt, nat, gp3, gp2, s3;
};

static const struct region REG[NREGION] = {
	{ "us-east-1", "", "US East (N. Virginia)", "USE1", -5,
	  D(0.09), D(0.045), D(0.08), D(0.10), D(0.023) },
	{ "eu-west-1", "EU-", "EU (Ireland)", "EU", 0,
	  D(0.09), D(0.048), D(0.088), D(0.11), D(0.023) },
	{ "ap-southeast-1", "APS1-", "Asia Pacific (Singapore)", "APS1", 8,
	  D(0.12), D(0.059), D(0.096), D(0.12), D(0.025) },
};

struct itype {
	const char *name, *family, *tfamily, *vcpu, *memory;
	int nf;			/* normalization factor */
};

static const struct itype TYP[NTYPE] = {
	{ "c6i.xlarge", "Compute optimized", "c6i", "4", "8 GiB", 8 },
	{ "m6i.large", "General purpose", "m6i", "2", "8 GiB", 4 },
	{ "r6i.2xlarge", "Memory optimized", "r6i", "8", "64 GiB", 16 },
	{ "t3.medium", "General purpose", "t3", "2", "4 GiB", 2 },
};

/* public on-demand Linux prices, per hour */
static const money OD[NREGION][NTYPE] = {
	{ D(0.17), D(0.096), D(0.504), D(0.0416) },
	{ D(0.19), D(0.107), D(0.564), D(0.0456) },
	{ D(0.196), D(0.12), D(0.608), D(0.0528) },
};

/* Compute Savings Plan, 1 year, No Upfront, per hour */
static const money SPRATE[NREGION][NTYPE] = {
	{ D(0.1224), D(0.0691), D(0.3629), D(0.0300) },
	{ D(0.1368), D(0.0770), D(0.4061), D(0.0328) },
	{ D(0.1421), D(0.0870), D(0.4408), D(0.0383) },
};

enum pkind { ALWAYS, DIURNAL, IDLE, FILLER };
enum role { GATEWAY, API, STORE, TOOLS, BRIDGE, CANARY, BATCH };

struct pool {
	int region, type, kind, role;
	const char *app, *env, *team;
	int tools_account;
	int weight;
};

enum {
	P_US_GW, P_US_GW_D, P_US_API, P_US_API_D, P_US_STORE, P_US_TOOLS,
	P_US_IDLE, P_EU_GW, P_EU_GW_D, P_EU_API, P_EU_API_D, P_EU_STORE,
	P_EU_IDLE, P_AP_GW, P_AP_GW_D, P_AP_API, P_AP_API_D, P_FILL, NPOOL
};

static const struct pool POOL[NPOOL] = {
	{ US, C6I, ALWAYS, GATEWAY, "im-gateway", "prod", "messaging", 0, 40 },
	{ US, C6I, DIURNAL, GATEWAY, "im-gateway", "prod", "messaging", 0, 48 },
	{ US, M6I, ALWAYS, API, "im-api", "prod", "platform", 0, 32 },
	{ US, M6I, DIURNAL, API, "im-api", "prod", "platform", 0, 28 },
	{ US, R6I, ALWAYS, STORE, "im-store", "prod", "data", 0, 16 },
	{ US, T3, ALWAYS, TOOLS, "ops-tools", "staging", "sre", 1, 8 },
	{ US, T3, IDLE, BRIDGE, "legacy-xmpp-bridge", "prod", "sre", 0, 1 },
	{ EU, C6I, ALWAYS, GATEWAY, "im-gateway", "prod", "messaging", 0, 24 },
	{ EU, C6I, DIURNAL, GATEWAY, "im-gateway", "prod", "messaging", 0, 28 },
	{ EU, M6I, ALWAYS, API, "im-api", "prod", "platform", 0, 20 },
	{ EU, M6I, DIURNAL, API, "im-api", "prod", "platform", 0, 20 },
	{ EU, R6I, ALWAYS, STORE, "im-store", "prod", "data", 0, 12 },
	{ EU, C6I, IDLE, CANARY, "im-gateway-canary", "staging", "messaging", 0, 0 },
	{ AP, C6I, ALWAYS, GATEWAY, "im-gateway", "prod", "messaging", 0, 16 },
	{ AP, C6I, DIURNAL, GATEWAY, "im-gateway", "prod", "messaging", 0, 20 },
	{ AP, M6I, ALWAYS, API, "im-api", "prod", "platform", 0, 12 },
	{ AP, M6I, DIURNAL, API, "im-api", "prod", "platform", 0, 8 },
	{ US, T3, FILLER, BATCH, "load-test", "staging", "qa", 1, 0 },
};

/* the first instances, in this order, so that small bills have everything */
static const int PREFIX[] = {
	P_US_API, P_US_STORE, P_AP_GW, P_EU_API, P_US_IDLE, P_US_GW,
	P_EU_API_D, P_AP_GW_D, P_US_GW_D, P_EU_IDLE, P_EU_GW, P_AP_API,
	P_US_TOOLS,
};
#define NPREFIX ((int)(sizeof PREFIX / sizeof PREFIX[0]))

/* IM load by local hour of day, permille of the daily peak */
static const int LOAD[24] = {
	420, 300, 210, 160, 130, 120, 150, 240, 380, 500, 580, 630,
	660, 650, 640, 650, 680, 730, 800, 880, 950, 1000, 900, 650,
};
#define WEEKEND_LOAD 780	/* permille of the weekday load */
#define TAX_PERCENT 6
#define ANOMALY_DAY 18		/* 0-based: the 19th */

/*
 * S3 buckets: region, Standard-IA?, growth permille/day, GB at day 0 and
 * per instance of the fleet, PUT and GET requests per day and instance.
 */
struct bucket {
	int region, ia, growth;
	long gb, gb_per_k, t1_per_k, t2_per_k;
	const char *name, *app, *team;
};

static const struct bucket BUCKET[4] = {
	{ US, 0, 4, 4000, 250, 30000, 220000, "im-media", "im-media", "messaging" },
	{ US, 1, 2, 6000, 400, 800, 0, "im-message-archive", "im-history", "data" },
	{ EU, 0, 1, 1500, 120, 900, 0, "im-backups-eu", "backup", "sre" },
	{ US, 0, 3, 200, 40, 60000, 8000, "im-logs", "logs", "sre" },
};

/* ------------------------------------------------------------------ */
/* generator state                                                    */

struct inst {
	char id[20];
	int pool, region, type, group, az;
	int thr;		/* diurnal: runs while load >= thr */
	int untagged;
	int fill_start, fill_len;
	long hours_run, hours_od;
	int root_gb, data_gb;
	char vol_root[24], vol_data[24];
};

struct volume {
	const char *id;		/* points into an inst or orphan buffer */
	int region, az, gb, gp2, inst;	/* inst -1: orphan */
	str_t app, env, team;
};

struct ri {
	int group, count, start_hour, all_upfront;
	money upfront_each, rec, amort;	/* amort: upfront per hour */
	str_t arn, start, end, po, desc_fee, desc_du, sub;
	long used;		/* instance-hours covered */
};

enum { PC_EC2, PC_S3, PC_ELB, PC_SP, NPC };

struct prodcode {
	str_t code, name;
	money billed, eff;
	long rows;
};

enum { LT_USAGE, LT_DU, LT_RIFEE, LT_FEE, LT_SPCOV, LT_SPNEG, LT_SPFEE,
       LT_TAX, NLT };
static const str_t LTNAME[NLT] = {
	LIT("Usage"), LIT("DiscountedUsage"), LIT("RIFee"), LIT("Fee"),
	LIT("SavingsPlanCoveredUsage"), LIT("SavingsPlanNegation"),
	LIT("SavingsPlanRecurringFee"), LIT("Tax"),
};

struct gen {
	/* options */
	long long want;
	int year, mon;
	uint64_t seed;
	char payer[16];
	const char *out_path, *totals_path, *metrics_path;
	int unique;		/* --unique-resources */
	char uniq_res[64], uniq_tag[32];

	/* calendar */
	int days, H;
	long day0;		/* days since 1970-01-01 of the 1st */
	char (*ts)[24];		/* ts[0..H]: hour timestamps */
	char month_str[8];

	/* fixed strings */
	str_t acct_prod, acct_tools, payer_s, invoice;
	str_t sku[NREGION][NTYPE], usage_box[NREGION][NTYPE],
	    desc_od[NREGION][NTYPE], desc_neg[NREGION][NTYPE],
	    heavy[NREGION][NTYPE], az[NREGION][3];
	str_t nat_arn[NREGION], eip[2], elb_arn, sp_arn, sp_start, sp_end;
	str_t bucket[4];
	str_t s_type[NTYPE], s_tfam[NTYPE], s_vcpu[NTYPE],
	    s_mem[NTYPE], s_reg[NREGION], s_loc[NREGION];
	str_t dt_ut[NREGION], dt_desc[NREGION], nath_ut[NREGION],
	    natb_ut[NREGION], nath_desc[NREGION], natb_desc[NREGION];
	str_t eip_ut[2], ebs_ut[NREGION][2], ebs_desc[NREGION][2];
	str_t s3_ut[4], s3_t1_ut[4], s3_t2_ut[4], s3_app[4], s3_team[4];
	str_t tax_desc[4];
	str_t pool_app[NPOOL], pool_env[NPOOL], pool_team[NPOOL];
	str_t ri_arn[3], ri_start[3], ri_end[3], ri_desc_fee[3],
	    ri_desc_du[3], ri_sub[3];

	/* fleet */
	int K, nfill;
	long long fill_rows;
	struct inst *in;
	int ninst;
	int *glist[NGROUP];
	int gn[NGROUP];
	struct volume *vol;
	int nvol;
	char orphan_id[2][24];
	struct ri ri[3];
	int nri;
	int ri_of_group[NGROUP];
	money sp_commit;	/* per hour, 0 = no savings plan */
	int gateways;		/* gateway instances in the fleet */
	int hourly_aux;

	/* run */
	int dry;
	long long rows;
	struct obuf out, met;
	long long met_rows;
	struct row r;
	struct prodcode pc[NPC];
	long long ltrows[NLT];
	money billed, eff, trueup, upfront_fees, list_cost;
	long od_min[NGROUP];
	int od_always[NGROUP], always[NGROUP], steady[NGROUP];
	money sp_total, sp_used;
	money anomaly_extra;
	long long mau_max, peak_conn_max, messages;
};

/* ------------------------------------------------------------------ */
/* calendar                                                           */

static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void fmt_day(char *dst, long day, int hour)
{
	long y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	/* years 1000..9999 only (checked in main) */
	memcpy(dst, "0000-00-00T00:00:00Z", 21);
	dst[0] = (char)('0' + y / 1000 % 10);
	dst[1] = (char)('0' + y / 100 % 10);
	dst[2] = (char)('0' + y / 10 % 10);
	dst[3] = (char)('0' + y % 10);
	dst[5] = (char)('0' + m / 10);
	dst[6] = (char)('0' + m % 10);
	dst[8] = (char)('0' + d / 10);
	dst[9] = (char)('0' + d % 10);
	dst[11] = (char)('0' + hour / 10);
	dst[12] = (char)('0' + hour % 10);
}

static str_t mk_day(long day)
{
	char b[24];

	fmt_day(b, day, 0);
	return mk("%s", b);
}

/* Monday = 0 ... Sunday = 6 */
static int weekday(long day)
{
	long w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* ------------------------------------------------------------------ */
/* rows                                                               */

static void set_s(struct gen *g, int c, str_t s)
{
	if (s.p) {
		g->r.k[c] = K_STR;
		g->r.s[c] = s;
	}
}

static void set_m(struct gen *g, int c, money v)
{
	g->r.k[c] = K_MONEY;
	g->r.v[c] = v;
}

static void set_q(struct gen *g, int c, int64_t v)
{
	g->r.k[c] = K_QTY;
	g->r.v[c] = v;
}

static void set_i(struct gen *g, int c, int64_t v)
{
	g->r.k[c] = K_INT;
	g->r.v[c] = v;
}

/*
 * Start a row.  Returns 0 in a dry run (the row is only counted) - the
 * caller then returns at once.
 */
static int row_begin(struct gen *g, int lt, int pc, str_t account,
		     int t0, int t1, int ti0, int ti1, int purchase)
{
	g->rows++;
	g->ltrows[lt]++;
	g->pc[pc].rows++;
	if (g->dry)
		return 0;
	memset(g->r.k, 0, sizeof g->r.k);
	g->r.k[C_LINEITEMID] = K_LID;
	g->r.v[C_LINEITEMID] = g->rows;
	g->r.k[C_TIMEINTERVAL] = K_SPAN;
	g->r.v[C_TIMEINTERVAL] = ((int64_t)ti0 << 20) | ti1;
	set_s(g, C_INVOICEID, g->invoice);
	set_s(g, C_INVOICINGENTITY, LIT("\"Amazon Web Services, Inc.\""));
	set_s(g, C_BILLINGENTITY, LIT("AWS"));
	set_s(g, C_BILLTYPE, purchase ? LIT("Purchase") : LIT("Anniversary"));
	set_s(g, C_PAYER, g->payer_s);
	g->r.k[C_BPSTART] = K_TS;
	g->r.v[C_BPSTART] = 0;
	g->r.k[C_BPEND] = K_TS;
	g->r.v[C_BPEND] = g->H;
	set_s(g, C_ACCOUNT, account);
	set_s(g, C_LITYPE, LTNAME[lt]);
	g->r.k[C_USTART] = K_TS;
	g->r.v[C_USTART] = t0;
	g->r.k[C_UEND] = K_TS;
	g->r.v[C_UEND] = t1;
	set_s(g, C_PRODUCTCODE, g->pc[pc].code);
	set_s(g, C_CURRENCY, LIT("USD"));
	set_s(g, C_P_NAME, g->pc[pc].name);
	return 1;
}

static money colv(const struct gen *g, int c)
{
	return g->r.k[c] == K_MONEY ? g->r.v[c] : 0;
}

/* account for the row (from its own column values) and write it */
static void row_end(struct gen *g, int lt, int pc)
{
	money billed = colv(g, C_UNBLENDEDCOST), eff;
	char *p, *start;
	int c;

	/* amortized cost, the CASE of docs/FORMATS.md 2.4 */
	switch (lt) {
	case LT_SPCOV:
		eff = colv(g, C_S_EFFECTIVE);
		break;
	case LT_SPFEE:
		eff = colv(g, C_S_TOTAL) - colv(g, C_S_USED);
		g->trueup -= colv(g, C_S_AMORTPERIOD);
		break;
	case LT_SPNEG:
		eff = 0;
		g->trueup -= billed;
		break;
	case LT_DU:
		eff = colv(g, C_R_EFFECTIVE);
		break;
	case LT_RIFEE:
		eff = colv(g, C_R_UNUSEDAMORT) + colv(g, C_R_UNUSEDREC);
		g->trueup -= colv(g, C_R_AMORTPERIOD);
		break;
	case LT_FEE:
		eff = g->r.k[C_R_ARN] ? 0 : billed;
		if (g->r.k[C_R_ARN])
			g->upfront_fees += billed;
		break;
	default:
		eff = billed;
	}
	g->billed += billed;
	g->eff += eff;
	g->pc[pc].billed += billed;
	g->pc[pc].eff += eff;
	if (lt != LT_SPNEG)
		g->list_cost += colv(g, C_PR_ODCOST);

	if (g->unique) {
		/* every line item its own resource and tag value (issue 24's
		 * high-cardinality bill: Lambda, S3 objects, containers) */
		int n = snprintf(g->uniq_res, sizeof g->uniq_res,
				 "arn:aws:lambda:us-east-1:%s:function:fn-%010lld", g->payer,
				 (long long)g->rows);
		set_s(g, C_RESOURCEID, (str_t){ g->uniq_res, (size_t)n });
		n = snprintf(g->uniq_tag, sizeof g->uniq_tag, "req-%010lld", (long long)g->rows);
		set_s(g, C_T_TEAM, (str_t){ g->uniq_tag, (size_t)n });
	}
	start = p = ob_room(&g->out, 8192);
	for (c = 0; c < NCOL; c++) {
		int64_t v = g->r.v[c];

		if (c)
			*p++ = ',';
		switch (g->r.k[c]) {
		case K_EMPTY:
			break;
		case K_STR:
			memcpy(p, g->r.s[c].p, g->r.s[c].n);
			p += g->r.s[c].n;
			break;
		case K_MONEY:
			p = put_dec(p, v, 0);
			break;
		case K_QTY:
			p = put_dec(p, v, 1);
			break;
		case K_INT:
			if (v < 0) {
				*p++ = '-';
				v = -v;
			}
			p = put_u64(p, (uint64_t)v);
			break;
		case K_TS:
			memcpy(p, g->ts[v], 20);
			p += 20;
			break;
		case K_SPAN:
			memcpy(p, g->ts[v >> 20], 20);
			p[20] = '/';
			memcpy(p + 21, g->ts[v & 0xfffff], 20);
			p += 41;
			break;
		case K_LID: {
			static const char b32[] =
				"abcdefghijklmnopqrstuvwxyz234567";
			uint64_t h = 0;
			int i;

			for (i = 0; i < 52; i++) {
				if (i % 12 == 0)
					h = hx(g->seed, 1, (uint64_t)v * 8 +
					       (uint64_t)(i / 12));
				*p++ = b32[h & 31];
				h >>= 5;
			}
			break;
		}
		}
	}
	*p++ = '\n';
	if ((size_t)(p - start) > 8192)
		die("internal: row longer than 8192 bytes");
	g->out.len += (size_t)(p - start);
}

/* ------------------------------------------------------------------ */
/* metrics                                                            */

static void metric(struct gen *g, int t, const char *res, const char *name,
		   int64_t v, int decimals, const char *unit)
{
	char *p = ob_room(&g->met, 256);
	char *s = p;
	size_t n;

	memcpy(p, g->ts[t], 20);
	p += 20;
	*p++ = ',';
	n = strlen(res);
	memcpy(p, res, n);
	p += n;
	*p++ = ',';
	n = strlen(name);
	memcpy(p, name, n);
	p += n;
	*p++ = ',';
	p = put_u64(p, (uint64_t)(v < 0 ? 0 : v) /
		    (decimals ? 100 : 1));
	if (decimals) {
		*p++ = '.';
		*p++ = (char)('0' + (v / 10) % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p++ = ',';
	n = strlen(unit);
	memcpy(p, unit, n);
	p += n;
	*p++ = '\n';
	g->met.len += (size_t)(p - s);
	g->met_rows++;
}

static void instance_metrics(struct gen *g, const struct inst *in, int j,
			     int h, int load)
{
	const struct pool *po = &POOL[in->pool];
	uint64_t n = hx(g->seed, 7000 + (uint64_t)j, (uint64_t)h);
	long cpu, net;		/* cpu in 1/100 % */
	long r1 = (long)(n % 1000), r2 = (long)((n >> 10) % 1000);

	if (po->kind == IDLE) {
		cpu = 30 + r1 * 220 / 999;
		net = 2000 + r2 * 58;
	} else {
		switch (po->role) {
		case GATEWAY:
			cpu = 1800 + 5000L * load / 1000 + r1 - 500;
			net = 3000000000L / 1000 * load + r2 * 400000L;
			break;
		case API:
			cpu = 1200 + 4500L * load / 1000 + r1 - 500;
			net = 400000000L / 1000 * load + r2 * 100000L;
			break;
		case STORE:
			cpu = 2500 + 2000L * load / 1000 + r1 - 500;
			net = 900000000L / 1000 * load + r2 * 200000L;
			break;
		case TOOLS:
			cpu = 700 + r1;
			net = 5000000 + r2 * 15000L;
			break;
		default:	/* BATCH */
			cpu = 4000 + r1 * 5;
			net = 200000000 + r2 * 100000L;
		}
	}
	metric(g, h, in->id, "cpu_utilization", cpu, 1, "percent");
	metric(g, h, in->id, "network_out_bytes", net, 0, "bytes");
}

/* ------------------------------------------------------------------ */
/* line items                                                         */

static void set_tags(struct gen *g, str_t app, str_t env, str_t team)
{
	set_s(g, C_T_APP, app);
	set_s(g, C_T_ENV, env);
	set_s(g, C_T_TEAM, team);
}

static void inst_tags(struct gen *g, const struct inst *in)
{
	if (in->untagged)
		return;
	set_tags(g, g->pool_app[in->pool], g->pool_env[in->pool],
		 g->pool_team[in->pool]);
}

static void ec2_product(struct gen *g, int r, int t)
{
	set_s(g, C_P_INSTTYPE, g->s_type[t]);
	set_s(g, C_P_INSTTYPEFAMILY, g->s_tfam[t]);
	set_s(g, C_P_REGION, g->s_reg[r]);
	set_s(g, C_P_REGIONCODE, g->s_reg[r]);
	set_s(g, C_P_LOCATION, g->s_loc[r]);
	set_s(g, C_P_OS, LIT("Linux"));
	set_s(g, C_P_TENANCY, LIT("Shared"));
	set_s(g, C_P_FAMILY, LIT("Compute Instance"));
	set_s(g, C_P_SERVICECODE, LIT("AmazonEC2"));
	set_s(g, C_P_USAGETYPE, g->usage_box[r][t]);
	set_s(g, C_P_VCPU, g->s_vcpu[t]);
	set_s(g, C_P_MEMORY, g->s_mem[t]);
	set_s(g, C_P_SKU, g->sku[r][t]);
	set_s(g, C_PR_UNIT, LIT("Hrs"));
}

static void region_product(struct gen *g, int r)
{
	set_s(g, C_P_REGION, g->s_reg[r]);
	set_s(g, C_P_REGIONCODE, g->s_reg[r]);
	set_s(g, C_P_LOCATION, g->s_loc[r]);
}

enum { BILL_OD, BILL_RI, BILL_SP };

/* one hour of one running instance */
static void box_line(struct gen *g, const struct inst *in, int h, int how,
		     const struct ri *ri)
{
	int r = in->region, t = in->type;
	int lt = how == BILL_OD ? LT_USAGE : how == BILL_RI ? LT_DU : LT_SPCOV;
	money od = OD[r][t];

	if (!row_begin(g, lt, PC_EC2, POOL[in->pool].tools_account ?
		       g->acct_tools : g->acct_prod, h, h + 1, h, h + 1, 0))
		return;
	set_s(g, C_USAGETYPE, g->usage_box[r][t]);
	set_s(g, C_OPERATION, LIT("RunInstances"));
	set_s(g, C_AZ, g->az[r][in->az]);
	set_s(g, C_RESOURCEID, (str_t){ in->id, 19 });
	set_q(g, C_USAGEAMOUNT, UNIT);
	set_q(g, C_NORMFACTOR, (int64_t)TYP[t].nf * UNIT);
	set_q(g, C_NORMAMOUNT, (int64_t)TYP[t].nf * UNIT);
	ec2_product(g, r, t);
	set_m(g, C_PR_ODCOST, od);
	set_m(g, C_PR_ODRATE, od);
	if (how == BILL_RI) {
		set_m(g, C_UNBLENDEDRATE, 0);
		set_m(g, C_UNBLENDEDCOST, 0);
		set_m(g, C_BLENDEDRATE, 0);
		set_m(g, C_BLENDEDCOST, 0);
		set_s(g, C_DESCRIPTION, ri->desc_du);
		set_s(g, C_PR_TERM, LIT("Reserved"));
		set_s(g, C_PR_LEASE, LIT("1yr"));
		set_s(g, C_PR_PURCHASE, ri->po);
		set_s(g, C_PR_CLASS, LIT("standard"));
		set_s(g, C_R_ARN, ri->arn);
		set_s(g, C_R_START, ri->start);
		set_s(g, C_R_END, ri->end);
		set_m(g, C_R_AMORTUSAGE, ri->amort);
		set_m(g, C_R_RECUSAGE, ri->rec);
		set_m(g, C_R_EFFECTIVE, ri->amort + ri->rec);
	} else {
		set_m(g, C_UNBLENDEDRATE, od);
		set_m(g, C_UNBLENDEDCOST, od);
		set_m(g, C_BLENDEDRATE, od);
		set_m(g, C_BLENDEDCOST, od);
		set_s(g, C_DESCRIPTION, g->desc_od[r][t]);
		set_s(g, C_PR_TERM, LIT("OnDemand"));
		if (how == BILL_SP) {
			set_s(g, C_S_ARN, g->sp_arn);
			set_s(g, C_S_START, g->sp_start);
			set_s(g, C_S_END, g->sp_end);
			set_m(g, C_S_RATE, SPRATE[r][t]);
			set_m(g, C_S_EFFECTIVE, SPRATE[r][t]);
		}
	}
	inst_tags(g, in);
	row_end(g, lt, PC_EC2);
}

static void negation_line(struct gen *g, int h, int grp, int az, long n)
{
	int r = grp / NTYPE, t = grp % NTYPE;
	money od = OD[r][t];

	if (!row_begin(g, LT_SPNEG, PC_EC2, g->acct_prod, h, h + 1, h, h + 1, 0))
		return;
	set_s(g, C_USAGETYPE, g->usage_box[r][t]);
	set_s(g, C_OPERATION, LIT("RunInstances"));
	set_s(g, C_AZ, g->az[r][az]);
	set_q(g, C_USAGEAMOUNT, n * UNIT);
	set_q(g, C_NORMFACTOR, (int64_t)TYP[t].nf * UNIT);
	set_q(g, C_NORMAMOUNT, n * TYP[t].nf * UNIT);
	set_m(g, C_UNBLENDEDRATE, -od);
	set_m(g, C_UNBLENDEDCOST, -od * n);
	set_m(g, C_BLENDEDRATE, -od);
	set_m(g, C_BLENDEDCOST, -od * n);
	set_s(g, C_DESCRIPTION, g->desc_neg[r][t]);
	ec2_product(g, r, t);
	set_s(g, C_S_ARN, g->sp_arn);
	set_s(g, C_S_START, g->sp_start);
	set_s(g, C_S_END, g->sp_end);
	row_end(g, LT_SPNEG, PC_EC2);
}

static void sp_fee_line(struct gen *g, int t0, int t1, money used)
{
	long hours = t1 - t0;
	money total = g->sp_commit * hours;

	g->sp_total += total;
	g->sp_used += used;
	if (!row_begin(g, LT_SPFEE, PC_SP, g->acct_prod, t0, t1, t0, t1, 0))
		return;
	set_s(g, C_USAGETYPE, LIT("ComputeSP:1yrNoUpfront"));
	set_s(g, C_RESOURCEID, g->sp_arn);
	set_q(g, C_USAGEAMOUNT, hours * UNIT);
	set_m(g, C_UNBLENDEDRATE, g->sp_commit);
	set_m(g, C_UNBLENDEDCOST, total);
	set_m(g, C_BLENDEDRATE, g->sp_commit);
	set_m(g, C_BLENDEDCOST, total);
	set_s(g, C_DESCRIPTION, LIT("1 year No Upfront Compute Savings Plan"));
	set_s(g, C_P_FAMILY, LIT("Savings Plans"));
	set_s(g, C_P_SERVICECODE, LIT("ComputeSavingsPlans"));
	set_s(g, C_P_USAGETYPE, LIT("ComputeSP:1yrNoUpfront"));
	set_s(g, C_S_ARN, g->sp_arn);
	set_s(g, C_S_START, g->sp_start);
	set_s(g, C_S_END, g->sp_end);
	set_m(g, C_S_TOTAL, total);
	set_m(g, C_S_USED, used);
	set_s(g, C_S_OFFERING, LIT("ComputeSavingsPlans"));
	set_s(g, C_S_PAYMENT, LIT("No Upfront"));
	set_s(g, C_S_TERM, LIT("1yr"));
	set_m(g, C_S_AMORTPERIOD, 0);
	set_m(g, C_S_RECPERIOD, total);
	row_end(g, LT_SPFEE, PC_SP);
}

/* a usage line of a non-instance EC2/ELB/S3 service */
struct simple {
	int pc, region, t0, t1;
	str_t account, usagetype, operation, az, resource, desc, family,
	    servicecode, unit, volapi, storageclass, transfertype;
	int64_t amount;		/* 1e-10 units */
	money rate, cost;
	str_t app, env, team;
};

static void simple_line(struct gen *g, const struct simple *s)
{
	if (!row_begin(g, LT_USAGE, s->pc, s->account, s->t0, s->t1,
		       s->t0, s->t1, 0))
		return;
	set_s(g, C_USAGETYPE, s->usagetype);
	set_s(g, C_OPERATION, s->operation);
	set_s(g, C_AZ, s->az);
	set_s(g, C_RESOURCEID, s->resource);
	set_q(g, C_USAGEAMOUNT, s->amount);
	set_m(g, C_UNBLENDEDRATE, s->rate);
	set_m(g, C_UNBLENDEDCOST, s->cost);
	set_m(g, C_BLENDEDRATE, s->rate);
	set_m(g, C_BLENDEDCOST, s->cost);
	set_s(g, C_DESCRIPTION, s->desc);
	region_product(g, s->region);
	set_s(g, C_P_FAMILY, s->family);
	set_s(g, C_P_SERVICECODE, s->servicecode);
	set_s(g, C_P_USAGETYPE, s->usagetype);
	set_s(g, C_P_VOLAPI, s->volapi);
	set_s(g, C_P_STORAGECLASS, s->storageclass);
	set_s(g, C_P_TRANSFERTYPE, s->transfertype);
	set_s(g, C_PR_TERM, LIT("OnDemand"));
	set_s(g, C_PR_UNIT, s->unit);
	set_m(g, C_PR_ODCOST, s->cost);
	set_m(g, C_PR_ODRATE, s->rate);
	set_tags(g, s->app, s->env, s->team);
	row_end(g, LT_USAGE, s->pc);
}

/* data transfer out, NAT gateway, load balancer, idle addresses */
static void aux_lines(struct gen *g, int t0, int t1, const long *dt_kgb,
		      const long *nat_kgb, long lcu4)
{
	long hours = t1 - t0;
	struct simple s;
	int r;

	for (r = 0; r < NREGION; r++) {
		memset(&s, 0, sizeof s);
		s.pc = PC_EC2;
		s.region = r;
		s.t0 = t0;
		s.t1 = t1;
		s.account = g->acct_prod;
		s.usagetype = g->dt_ut[r];
		s.operation = LIT("RunInstances");
		s.amount = dt_kgb[r] * 10000000;	/* 1e-3 GB -> 1e-10 */
		s.rate = REG[r].dt;
		s.cost = round10(muldiv(dt_kgb[r], REG[r].dt, 1000));
		s.desc = g->dt_desc[r];
		s.family = LIT("Data Transfer");
		s.servicecode = LIT("AWSDataTransfer");
		s.transfertype = LIT("AWS Outbound");
		s.unit = LIT("GB");
		simple_line(g, &s);

		memset(&s, 0, sizeof s);
		s.pc = PC_EC2;
		s.region = r;
		s.t0 = t0;
		s.t1 = t1;
		s.account = g->acct_prod;
		s.usagetype = g->nath_ut[r];
		s.operation = LIT("NatGateway");
		s.resource = g->nat_arn[r];
		s.amount = hours * UNIT;
		s.rate = REG[r].nat;
		s.cost = REG[r].nat * hours;
		s.desc = g->nath_desc[r];
		s.family = LIT("NAT Gateway");
		s.servicecode = LIT("AmazonEC2");
		s.unit = LIT("Hrs");
		s.app = LIT("network");
		s.env = LIT("prod");
		s.team = LIT("platform");
		simple_line(g, &s);

		s.usagetype = g->natb_ut[r];
		s.amount = nat_kgb[r] * 10000000;
		s.cost = round10(muldiv(nat_kgb[r], REG[r].nat, 1000));
		s.desc = g->natb_desc[r];
		s.unit = LIT("GB");
		simple_line(g, &s);
	}

	/* the application load balancer in front of the us-east-1 gateways */
	memset(&s, 0, sizeof s);
	s.pc = PC_ELB;
	s.region = US;
	s.t0 = t0;
	s.t1 = t1;
	s.account = g->acct_prod;
	s.usagetype = LIT("LoadBalancerUsage");
	s.operation = LIT("LoadBalancing:Application");
	s.resource = g->elb_arn;
	s.amount = hours * UNIT;
	s.rate = D(0.0225);
	s.cost = D(0.0225) * hours;
	s.desc = LIT("$0.0225 per Application LoadBalancer-hour (or partial hour)");
	s.family = LIT("Load Balancer-Application");
	s.servicecode = LIT("AWSELB");
	s.unit = LIT("Hrs");
	s.app = LIT("im-gateway");
	s.env = LIT("prod");
	s.team = LIT("messaging");
	simple_line(g, &s);
	s.usagetype = LIT("LCUUsage");
	s.amount = lcu4 * 1000000;		/* 1e-4 LCU -> 1e-10 */
	s.rate = D(0.008);
	s.cost = round10(muldiv(lcu4, D(0.008), 10000));
	s.desc = LIT("$0.008 per used Application load balancer capacity unit-hour (or partial hour)");
	s.unit = LIT("LCU-Hrs");
	simple_line(g, &s);

	/* two Elastic IPs nobody released */
	for (r = 0; r < 2; r++) {
		int reg = r ? AP : US;

		memset(&s, 0, sizeof s);
		s.pc = PC_EC2;
		s.region = reg;
		s.t0 = t0;
		s.t1 = t1;
		s.account = g->acct_prod;
		s.usagetype = g->eip_ut[r];
		s.operation = LIT("AssociateAddressVPC");
		s.resource = g->eip[r];
		s.amount = hours * UNIT;
		s.rate = D(0.005);
		s.cost = D(0.005) * hours;
		s.desc = LIT("$0.005 per Elastic IP address not attached to a running instance per hour (prorated)");
		s.family = LIT("IP Address");
		s.servicecode = LIT("AmazonEC2");
		s.unit = LIT("Hrs");
		simple_line(g, &s);
	}
}

static void ebs_lines(struct gen *g, int day)
{
	int t0 = day * 24, t1 = t0 + 24, i;
	struct simple s;

	for (i = 0; i < g->nvol; i++) {
		const struct volume *v = &g->vol[i];
		int r = v->region;
		money rate = v->gp2 ? REG[r].gp2 : REG[r].gp3;

		if (g->dry) {
			row_begin(g, LT_USAGE, PC_EC2, g->acct_prod, 0, 0, 0, 0, 0);
			continue;
		}
		memset(&s, 0, sizeof s);
		s.pc = PC_EC2;
		s.region = r;
		s.t0 = t0;
		s.t1 = t1;
		s.account = g->acct_prod;
		s.usagetype = g->ebs_ut[r][v->gp2];
		s.operation = v->gp2 ? LIT("CreateVolume-Gp2") :
			LIT("CreateVolume-Gp3");
		s.az = g->az[r][v->az];
		s.resource = (str_t){ v->id, 21 };
		s.amount = (int64_t)v->gb * 24 * UNIT / g->H;
		s.rate = rate;
		s.cost = round10(muldiv((int64_t)v->gb * 24, rate, g->H));
		s.desc = g->ebs_desc[r][v->gp2];
		s.family = LIT("Storage");
		s.servicecode = LIT("AmazonEC2");
		s.volapi = v->gp2 ? LIT("gp2") : LIT("gp3");
		s.unit = LIT("GB-Mo");
		s.app = v->app;
		s.env = v->env;
		s.team = v->team;
		simple_line(g, &s);
	}
}

static void s3_lines(struct gen *g, int day)
{
	int t0 = day * 24, t1 = t0 + 24, b;
	long k = g->K;
	int wd = weekday(g->day0 + day) < 5;
	struct simple s;
	const struct bucket *B = BUCKET;

	for (b = 0; b < 4; b++) {
		int r = B[b].region;
		long gb = (B[b].gb + B[b].gb_per_k * k) *
			(1000 + B[b].growth * day) / 1000;
		long t1n = B[b].t1_per_k * k * (wd ? 10 : 7) / 10;
		long t2n = B[b].t2_per_k * k * (wd ? 10 : 8) / 10;

		if (b == 2 && day == ANOMALY_DAY) {
			/* a runaway backup job re-uploads everything */
			long extra = 25000000L + 300000L * k;

			g->anomaly_extra += extra * D(0.000005);
			t1n += extra;
		}
		memset(&s, 0, sizeof s);
		s.pc = PC_S3;
		s.region = r;
		s.t0 = t0;
		s.t1 = t1;
		s.account = g->acct_prod;
		s.resource = g->bucket[b];
		s.servicecode = LIT("AmazonS3");
		s.app = g->s3_app[b];
		s.env = LIT("prod");
		s.team = g->s3_team[b];
		s.usagetype = g->s3_ut[b];
		if (B[b].ia) {
			s.operation = LIT("StandardIAStorage");
			s.rate = D(0.0125);
			s.desc = LIT("$0.0125 per GB-Month of storage used in Standard-Infrequent Access");
			s.storageclass = LIT("Infrequent Access");
		} else {
			s.operation = LIT("StandardStorage");
			s.rate = REG[r].s3;
			s.desc = LIT("$0.023 per GB - first 50 TB / month of storage used");
			s.storageclass = LIT("General Purpose");
		}
		s.amount = (int64_t)gb * 24 * UNIT / g->H;
		s.cost = round10(muldiv((int64_t)gb * 24, s.rate, g->H));
		s.family = LIT("Storage");
		s.unit = LIT("GB-Mo");
		simple_line(g, &s);

		s.storageclass = NOSTR;
		s.family = LIT("API Request");
		s.unit = LIT("Requests");
		if (t1n) {
			s.usagetype = g->s3_t1_ut[b];
			s.operation = LIT("PutObject");
			s.amount = t1n * UNIT;
			s.rate = D(0.000005);
			s.cost = D(0.000005) * t1n;
			s.desc = LIT("\"$0.005 per 1,000 PUT, COPY, POST, or LIST requests\"");
			simple_line(g, &s);
		}
		if (t2n) {
			s.usagetype = g->s3_t2_ut[b];
			s.operation = LIT("GetObject");
			s.amount = t2n * UNIT;
			s.rate = D(0.0000004);
			s.cost = D(0.0000004) * t2n;
			s.desc = LIT("\"$0.004 per 10,000 GET and all other requests\"");
			simple_line(g, &s);
		}
	}
}

static void ri_lines(struct gen *g)
{
	int i;

	for (i = 0; i < g->nri; i++) {
		struct ri *ri = &g->ri[i];
		int r = ri->group / NTYPE, t = ri->group % NTYPE;
		int t0 = ri->start_hour, hours = g->H - t0;
		long reserved = (long)ri->count * hours;
		long unused = reserved - ri->used;

		if (row_begin(g, LT_RIFEE, PC_EC2, g->acct_prod, t0, g->H,
			      0, g->H, 0)) {
			set_s(g, C_USAGETYPE, g->heavy[r][t]);
			set_s(g, C_OPERATION, LIT("RunInstances"));
			set_q(g, C_USAGEAMOUNT, reserved * UNIT);
			set_q(g, C_NORMFACTOR, (int64_t)TYP[t].nf * UNIT);
			set_q(g, C_NORMAMOUNT, reserved * TYP[t].nf * UNIT);
			set_m(g, C_UNBLENDEDRATE, ri->rec);
			set_m(g, C_UNBLENDEDCOST, ri->rec * reserved);
			set_m(g, C_BLENDEDRATE, ri->rec);
			set_m(g, C_BLENDEDCOST, ri->rec * reserved);
			set_s(g, C_DESCRIPTION, ri->desc_fee);
			ec2_product(g, r, t);
			set_s(g, C_P_USAGETYPE, g->heavy[r][t]);
			set_s(g, C_PR_TERM, LIT("Reserved"));
			set_s(g, C_PR_LEASE, LIT("1yr"));
			set_s(g, C_PR_PURCHASE, ri->po);
			set_s(g, C_PR_CLASS, LIT("standard"));
			set_s(g, C_R_ARN, ri->arn);
			set_s(g, C_R_START, ri->start);
			set_s(g, C_R_END, ri->end);
			set_m(g, C_R_AMORTPERIOD, ri->amort * reserved);
			set_m(g, C_R_UNUSEDAMORT, ri->amort * unused);
			set_m(g, C_R_UNUSEDREC, ri->rec * unused);
			set_q(g, C_R_UNUSEDQTY, unused * UNIT);
			set_i(g, C_R_NUMBER, ri->count);
			set_m(g, C_R_UPFRONT, ri->upfront_each * ri->count);
			row_end(g, LT_RIFEE, PC_EC2);
		}
		if (t0 > 0 && row_begin(g, LT_FEE, PC_EC2, g->acct_prod, t0,
					t0 + 1, t0, t0 + 1, 1)) {
			/* the upfront payment of the reservation bought this month */
			set_s(g, C_USAGETYPE, g->heavy[r][t]);
			set_q(g, C_USAGEAMOUNT, (int64_t)ri->count * UNIT);
			set_m(g, C_UNBLENDEDRATE, ri->upfront_each);
			set_m(g, C_UNBLENDEDCOST, ri->upfront_each * ri->count);
			set_m(g, C_BLENDEDRATE, ri->upfront_each);
			set_m(g, C_BLENDEDCOST, ri->upfront_each * ri->count);
			set_s(g, C_DESCRIPTION, ri->sub);
			set_s(g, C_PR_TERM, LIT("Reserved"));
			set_s(g, C_PR_LEASE, LIT("1yr"));
			set_s(g, C_PR_PURCHASE, ri->po);
			set_s(g, C_PR_CLASS, LIT("standard"));
			set_s(g, C_R_ARN, ri->arn);
			set_s(g, C_R_START, ri->start);
			set_s(g, C_R_END, ri->end);
			set_i(g, C_R_NUMBER, ri->count);
			set_m(g, C_R_UPFRONT, ri->upfront_each * ri->count);
			row_end(g, LT_FEE, PC_EC2);
		}
	}
}

static void tax_lines(struct gen *g)
{
	int p;

	for (p = 0; p < NPC; p++) {
		money tax;

		if (!g->pc[p].rows)
			continue;
		tax = round10(g->pc[p].billed * TAX_PERCENT / 100);
		if (!row_begin(g, LT_TAX, p, g->acct_prod, 0, g->H, 0, g->H, 0))
			continue;
		set_q(g, C_USAGEAMOUNT, UNIT);
		set_m(g, C_UNBLENDEDCOST, tax);
		set_m(g, C_BLENDEDCOST, tax);
		set_s(g, C_DESCRIPTION, g->tax_desc[p]);
		set_s(g, C_TAXTYPE, LIT("Sales Tax"));
		row_end(g, LT_TAX, p);
	}
}

/* ------------------------------------------------------------------ */
/* the fleet                                                          */

static void free_fleet(struct gen *g)
{
	int i;

	free(g->in);
	free(g->vol);
	for (i = 0; i < NGROUP; i++)
		free(g->glist[i]);
	g->in = NULL;
	g->vol = NULL;
	memset(g->glist, 0, sizeof g->glist);
}

static void plan_fleet(struct gen *g, int K, long long fill_rows)
{
	int cnt[NPOOL] = { 0 }, cur[NPOOL] = { 0 };
	int j, p, total_w = 0, i, half = g->H / 2;
	uint64_t s = g->seed;

	free_fleet(g);
	g->K = K;
	g->fill_rows = fill_rows;
	g->nfill = fill_rows ? (int)((fill_rows + half - 1) / half) : 0;
	g->ninst = K + g->nfill;
	g->in = xcalloc((size_t)g->ninst, sizeof *g->in);
	for (p = 0; p < NPOOL; p++)
		total_w += POOL[p].weight;

	for (j = 0; j < g->ninst; j++) {
		struct inst *in = &g->in[j];

		if (j >= K) {
			int f = j - K;
			long long len = fill_rows / g->nfill +
				(f < fill_rows % g->nfill);

			p = P_FILL;
			in->fill_len = (int)len;
			in->fill_start = (int)rng(s, 20, (uint64_t)f, 0,
						  g->H - (long)len);
		} else if (j < NPREFIX) {
			p = PREFIX[j];
		} else {
			/* smooth weighted round-robin */
			int best = 0;

			for (i = 0; i < NPOOL; i++) {
				cur[i] += POOL[i].weight;
				if (cur[i] > cur[best])
					best = i;
			}
			cur[best] -= total_w;
			p = best;
		}
		cnt[p]++;
		in->pool = p;
		in->region = POOL[p].region;
		in->type = POOL[p].type;
		in->group = in->region * NTYPE + in->type;
		in->az = (int)rng(s, 21, (uint64_t)j, 0, 2);
		in->thr = (int)rng(s, 22, (uint64_t)j, 180, 930);
		in->untagged = rng(s, 23, (uint64_t)j, 0, 99) < 7;
		memcpy(in->id, "i-0", 3);
		hexid(in->id + 3, hx(s, 24, (uint64_t)j), 16);
		switch (POOL[p].role) {
		case GATEWAY: in->root_gb = 50; break;
		case STORE:
			in->root_gb = 100;
			in->data_gb = (int)rng(s, 25, (uint64_t)j, 8, 20) * 100;
			break;
		case BATCH: in->root_gb = 0; break;
		default: in->root_gb = 30;
		}
		memcpy(in->vol_root, "vol-0", 5);
		hexid(in->vol_root + 5, hx(s, 26, (uint64_t)j), 16);
		memcpy(in->vol_data, "vol-0", 5);
		hexid(in->vol_data + 5, hx(s, 27, (uint64_t)j), 16);
	}

	/* groups, in pool order (always-on first), then instance order */
	for (i = 0; i < NGROUP; i++) {
		g->glist[i] = xmalloc((size_t)(g->ninst + 1) * sizeof(int));
		g->gn[i] = 0;
	}
	for (p = 0; p < NPOOL; p++)
		for (j = 0; j < g->ninst; j++)
			if (g->in[j].pool == p) {
				int gr = g->in[j].group;

				g->glist[gr][g->gn[gr]++] = j;
			}

	/* volumes: every instance but the batch ones, plus two orphans */
	g->vol = xcalloc((size_t)(2 * g->ninst + 2), sizeof *g->vol);
	g->nvol = 0;
	for (j = 0; j < K; j++) {
		struct inst *in = &g->in[j];
		int k;

		for (k = 0; k < 2; k++) {
			struct volume *v;
			int gb = k ? in->data_gb : in->root_gb;

			if (!gb)
				continue;
			v = &g->vol[g->nvol++];
			v->id = k ? in->vol_data : in->vol_root;
			v->region = in->region;
			v->az = in->az;
			v->gb = gb;
			v->inst = j;
			if (!in->untagged) {
				v->app = g->pool_app[in->pool];
				v->env = g->pool_env[in->pool];
				v->team = g->pool_team[in->pool];
			}
		}
	}
	for (i = 0; i < 2; i++) {
		struct volume *v = &g->vol[g->nvol++];

		memcpy(g->orphan_id[i], "vol-0", 5);
		hexid(g->orphan_id[i] + 5, hx(s, 28, (uint64_t)i), 16);
		v->id = g->orphan_id[i];
		v->region = i ? EU : US;
		v->az = (int)rng(s, 29, (uint64_t)i, 0, 2);
		v->gb = i ? 1000 : 500;
		v->gp2 = !i;
		v->inst = -1;
		if (!i) {
			v->app = LIT("im-search");
			v->env = LIT("prod");
			v->team = LIT("data");
		}
	}

	/* reservations */
	g->nri = 0;
	for (i = 0; i < NGROUP; i++)
		g->ri_of_group[i] = -1;
	{
		struct {
			int group, count, start_hour, all_upfront;
			money upfront, rec;
			} want[3];
		int a = cnt[P_US_STORE], b = cnt[P_EU_API], bd = cnt[P_EU_API_D];
		int c = cnt[P_US_GW];

		/* r6i.2xlarge us-east-1, All Upfront, fully used */
		want[0].group = US * NTYPE + R6I;
		want[0].count = a - a / 4;
		want[0].start_hour = 0;
		want[0].all_upfront = 1;
		want[0].upfront = D(2737);
		want[0].rec = 0;
		/* m6i.large eu-west-1, Partial Upfront, idle at night */
		want[1].group = EU * NTYPE + M6I;
		want[1].count = b + (bd + 1) / 2;
		want[1].start_hour = 0;
		want[1].all_upfront = 0;
		want[1].upfront = D(330);
		want[1].rec = D(0.038);
		/* c6i.xlarge us-east-1, Partial Upfront, bought on the 8th */
		want[2].group = US * NTYPE + C6I;
		want[2].count = (c + 1) / 2;
		want[2].start_hour = 7 * 24;
		want[2].all_upfront = 0;
		want[2].upfront = D(510);
		want[2].rec = D(0.058);
		for (i = 0; i < 3; i++) {
			struct ri *ri = &g->ri[g->nri];

			if (want[i].count <= 0)
				continue;
			ri->group = want[i].group;
			ri->count = want[i].count;
			ri->start_hour = want[i].start_hour;
			ri->all_upfront = want[i].all_upfront;
			ri->upfront_each = want[i].upfront;
			ri->rec = want[i].rec;
			ri->amort = round10(want[i].upfront / 8760);
			ri->used = 0;
			ri->arn = g->ri_arn[i];
			ri->start = g->ri_start[i];
			ri->end = g->ri_end[i];
			ri->po = ri->all_upfront ? LIT("All Upfront") :
				LIT("Partial Upfront");
			ri->desc_fee = g->ri_desc_fee[i];
			ri->desc_du = g->ri_desc_du[i];
			ri->sub = g->ri_sub[i];
			g->ri_of_group[ri->group] = g->nri;
			g->nri++;
		}
	}

	g->gateways = 0;
	for (j = 0; j < K; j++)
		g->gateways += POOL[g->in[j].pool].role == GATEWAY;

	/* savings plan: always-on Singapore capacity plus 30% of the rest */
	{
		money c = 0;

		for (j = 0; j < K; j++) {
			struct inst *in = &g->in[j];

			if (in->region != AP)
				continue;
			if (POOL[in->pool].kind == ALWAYS)
				c += SPRATE[AP][in->type];
			else if (POOL[in->pool].kind == DIURNAL)
				c += SPRATE[AP][in->type] * 3 / 10;
		}
		g->sp_commit = round10(c);
	}
}

/* load of a region at hour h of the month, permille */
static int region_load(const struct gen *g, int r, int h)
{
	int lt = h + REG[r].utc_off;
	int lday = lt >= 0 ? lt / 24 : -((-lt + 23) / 24);
	int lh = lt - lday * 24;
	long load = LOAD[lh];

	if (weekday(g->day0 + lday) >= 5)
		load = load * WEEKEND_LOAD / 1000;
	load = load * rng(g->seed, 40 + (uint64_t)r, (uint64_t)(lday + 10), 920, 1060) / 1000;
	return (int)load;
}

/* ------------------------------------------------------------------ */
/* one pass over the month                                            */

static void reset_run(struct gen *g)
{
	int i;

	g->rows = 0;
	memset(g->ltrows, 0, sizeof g->ltrows);
	for (i = 0; i < NPC; i++) {
		g->pc[i].billed = g->pc[i].eff = 0;
		g->pc[i].rows = 0;
	}
	g->billed = g->eff = g->trueup = g->upfront_fees = g->list_cost = 0;
	g->sp_total = g->sp_used = 0;
	g->anomaly_extra = 0;
	g->mau_max = g->peak_conn_max = g->messages = 0;
	g->met_rows = 0;
	for (i = 0; i < NGROUP; i++)
		g->od_min[i] = -1;
	for (i = 0; i < g->nri; i++)
		g->ri[i].used = 0;
	for (i = 0; i < g->ninst; i++) {
		g->in[i].hours_run = 0;
		g->in[i].hours_od = 0;
	}
}

static void run(struct gen *g)
{
	int d, hh, r, i, grp;
	long dt_day[NREGION], nat_day[NREGION], lcu_day;
	money sp_used_day;
	int metrics = !g->dry && g->met.f;

	reset_run(g);
	for (d = 0; d < g->days; d++) {
		long peak_gw = 0;

		memset(dt_day, 0, sizeof dt_day);
		memset(nat_day, 0, sizeof nat_day);
		lcu_day = 0;
		sp_used_day = 0;
		for (hh = 0; hh < 24; hh++) {
			int h = d * 24 + hh, load[NREGION];
			long run_gw[NREGION] = { 0 }, run_all[NREGION] = { 0 };
			long neg[NGROUP][3];
			long dt[NREGION], nat[NREGION], lcu4, gw_total = 0;
			money sp_used = 0;

			memset(neg, 0, sizeof neg);
			for (r = 0; r < NREGION; r++)
				load[r] = region_load(g, r, h);

			for (grp = 0; grp < NGROUP; grp++) {
				int rix = g->ri_of_group[grp];
				struct ri *ri = rix >= 0 ? &g->ri[rix] : NULL;
				long ri_left = ri && h >= ri->start_hour ? ri->count : 0;
				int sp_ok = g->sp_commit && grp / NTYPE == AP;
				long od_n = 0;

				for (i = 0; i < g->gn[grp]; i++) {
					int j = g->glist[grp][i];
					struct inst *in = &g->in[j];
					const struct pool *po = &POOL[in->pool];
					int running;

					switch (po->kind) {
					case DIURNAL:
						running = load[in->region] >= in->thr;
						break;
					case FILLER:
						running = h >= in->fill_start &&
							h < in->fill_start + in->fill_len;
						break;
					default:
						running = 1;
					}
					if (!running)
						continue;
					in->hours_run++;
					run_all[in->region]++;
					if (po->role == GATEWAY)
						run_gw[in->region]++;
					if (ri_left > 0) {
						ri_left--;
						ri->used++;
						box_line(g, in, h, BILL_RI, ri);
					} else if (sp_ok && sp_used + SPRATE[AP][in->type] <= g->sp_commit) {
						sp_used += SPRATE[AP][in->type];
						neg[grp][in->az]++;
						box_line(g, in, h, BILL_SP, NULL);
					} else {
						in->hours_od++;
						od_n++;
						box_line(g, in, h, BILL_OD, NULL);
					}
					if (metrics)
						instance_metrics(g, in, j, h, load[in->region]);
				}
				if (g->od_min[grp] < 0 || od_n < g->od_min[grp])
					g->od_min[grp] = od_n;
			}
			for (grp = 0; grp < NGROUP; grp++)
				for (i = 0; i < 3; i++)
					if (neg[grp][i])
						negation_line(g, h, grp, i, neg[grp][i]);

			/* data volumes follow the running fleet and the load */
			for (r = 0; r < NREGION; r++) {
				long base = (long)rng(g->seed, 50 + (uint64_t)r, (uint64_t)h, 950, 1050);

				dt[r] = (run_gw[r] * 750 + 40) * load[r] / 1000 * base / 1000;
				nat[r] = (run_all[r] * 60 + 10) * load[r] / 1000 * base / 1000;
				dt_day[r] += dt[r];
				nat_day[r] += nat[r];
				gw_total += run_gw[r];
			}
			lcu4 = 20000 + run_gw[US] * 3000 * load[US] / 1000;
			lcu_day += lcu4;
			if (gw_total > peak_gw)
				peak_gw = gw_total;
			if (g->sp_commit) {
				if (g->hourly_aux)
					sp_fee_line(g, h, h + 1, sp_used);
				else
					sp_used_day += sp_used;
			}
			if (g->hourly_aux)
				aux_lines(g, h, h + 1, dt, nat, lcu4);
		}
		if (!g->hourly_aux) {
			if (g->sp_commit)
				sp_fee_line(g, d * 24, d * 24 + 24, sp_used_day);
			aux_lines(g, d * 24, d * 24 + 24, dt_day, nat_day, lcu_day);
		}
		ebs_lines(g, d);
		s3_lines(g, d);

		/* service-level usage of the day */
		{
			/* 20,000 connections per gateway at the daily peak */
			long long conns = peak_gw * 20000LL * rng(g->seed, 60, (uint64_t)d, 950, 1050) / 1000;
			long long dau = conns * 26 / 10;
			long long mau = (g->gateways * 20000LL * 62 / 10 + 100000) * (1000 + 2 * d) / 1000;
			long long msgs = dau * rng(g->seed, 61, (uint64_t)d, 52, 66);

			if (mau > g->mau_max)
				g->mau_max = mau;
			if (conns > g->peak_conn_max)
				g->peak_conn_max = conns;
			g->messages += msgs;
			if (metrics) {
				int t = d * 24;

				metric(g, t, "service", "mau", mau, 0, "users");
				metric(g, t, "service", "dau", dau, 0, "users");
				metric(g, t, "service", "messages", msgs, 0, "count");
				metric(g, t, "service", "peak_connections", conns, 0, "connections");
			}
		}
	}
	ri_lines(g);
	tax_lines(g);
}

/* count-only run for a fleet of K instances and no filler */
static long long dry_rows(struct gen *g, int K)
{
	g->dry = 1;
	plan_fleet(g, K, 0);
	run(g);
	return g->rows;
}

/*
 * A fleet size K with want - H < lines(K) <= want (or the largest K with
 * lines(K) <= want when the steps are coarser than H): lines(K) grows
 * almost linearly with K, so a few secant steps from K = 0 land close, then
 * a bracket and a bisection that stops as soon as the gap is under H lines.
 * The gap is then filled by the load-test instances.
 */
static int choose_fleet(struct gen *g)
{
	long long r0 = dry_rows(g, 0), rk, rlo, rhi;
	int k = NPREFIX, lo, hi, step, i;

	if (g->want <= r0)
		return 0;
	rk = dry_rows(g, k);
	for (i = 0; i < 4; i++) {
		double per = (double)(rk - r0) / k;
		long long k2 = k + (long long)((double)(g->want - rk) / per);

		if (k2 < 1)
			k2 = 1;
		if (k2 > 100000000LL)
			k2 = 100000000LL;
		if (k2 == k)
			break;
		k = (int)k2;
		rk = dry_rows(g, k);
		if (rk <= g->want && g->want - rk < g->H)
			return k;
	}
	step = k / 1000 + 1;
	if (rk <= g->want) {
		lo = k;
		rlo = rk;
		for (;;) {
			hi = lo + step;
			rhi = dry_rows(g, hi);
			if (rhi > g->want)
				break;
			lo = hi;
			rlo = rhi;
			if (g->want - rlo < g->H)
				return lo;
			step *= 2;
		}
	} else {
		hi = k;
		for (;;) {
			lo = hi - step > 0 ? hi - step : 0;
			rlo = dry_rows(g, lo);
			if (rlo <= g->want || lo == 0)
				break;
			hi = lo;
			step *= 2;
		}
		if (rlo > g->want)
			return 0;
	}
	/* lines(lo) <= want < lines(hi) */
	while (hi - lo > 1 && g->want - rlo >= g->H) {
		int mid = lo + (hi - lo) / 2;
		long long rm = dry_rows(g, mid);

		if (rm <= g->want) {
			lo = mid;
			rlo = rm;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* ------------------------------------------------------------------ */
/* setup and output                                                   */

static void setup_strings(struct gen *g)
{
	int r, t, i;
	uint64_t s = g->seed;
	char u[40];

	g->payer_s = mk("%s", g->payer);
	g->acct_prod = LIT("234567890123");
	g->acct_tools = LIT("345678901234");
	g->invoice = mk("%ld", rng(s, 2, (uint64_t)(g->year * 12 + g->mon),
				   1000000000L, 2147483647L));
	for (r = 0; r < NREGION; r++) {
		for (t = 0; t < NTYPE; t++) {
			char sku[16];
			uint64_t h = hx(0x5ca1ab1e, (uint64_t)r, (uint64_t)t);
			static const char a[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
			int k;

			for (k = 0; k < 14; k++) {
				sku[k] = a[h % 31];
				h /= 31;
			}
			sku[14] = 0;
			g->sku[r][t] = mk("%s", sku);
			g->usage_box[r][t] = mk("%sBoxUsage:%s", REG[r].prefix, TYP[t].name);
			g->heavy[r][t] = mk("%sHeavyUsage:%s", REG[r].prefix, TYP[t].name);
			{
				char p[32];
				char *e = put_dec(p, OD[r][t], 1);

				*e = 0;
				g->desc_od[r][t] = mk("$%s per On Demand Linux %s Instance Hour",
						      p, TYP[t].name);
			}
			g->desc_neg[r][t] = mk("SavingsPlanNegation used by AccountId : %.*s and UsageSku : %s",
					       (int)g->acct_prod.n, g->acct_prod.p, sku);
		}
		for (i = 0; i < 3; i++)
			g->az[r][i] = mk("%s%c", REG[r].code, "abc"[i]);
		hexid(u, hx(s, 3, (uint64_t)r), 17);
		g->nat_arn[r] = mk("arn:aws:ec2:%s:%.*s:natgateway/nat-0%s",
				   REG[r].code, (int)g->acct_prod.n, g->acct_prod.p, u);
	}
	for (i = 0; i < 2; i++) {
		hexid(u, hx(s, 4, (uint64_t)i), 17);
		g->eip[i] = mk("eipalloc-0%s", u);
	}
	hexid(u, hx(s, 5, 0), 16);
	g->elb_arn = mk("arn:aws:elasticloadbalancing:us-east-1:%.*s:loadbalancer/app/im-gateway-alb/%s",
			(int)g->acct_prod.n, g->acct_prod.p, u);
	hexid(u, hx(s, 6, 0), 32);
	g->sp_arn = mk("arn:aws:savingsplans::%.*s:savingsplan/%.8s-%.4s-%.4s-%.4s-%.12s",
		       (int)g->acct_prod.n, g->acct_prod.p, u, u + 8, u + 12, u + 16, u + 20);
	g->sp_start = mk_day(g->day0 - 97);
	g->sp_end = mk_day(g->day0 - 97 + 365);
	hexid(u, hx(s, 7, 0), 6);

	for (t = 0; t < NTYPE; t++) {
		g->s_type[t] = mk("%s", TYP[t].name);
		g->s_tfam[t] = mk("%s", TYP[t].tfamily);
		g->s_vcpu[t] = mk("%s", TYP[t].vcpu);
		g->s_mem[t] = mk("%s", TYP[t].memory);
	}
	for (r = 0; r < NREGION; r++) {
		static const char *const nat[NREGION] = { "0.045", "0.048", "0.059" };
		static const char *const gp3[NREGION] = { "0.08", "0.088", "0.096" };
		static const char *const gp2[NREGION] = { "0.10", "0.11", "0.12" };

		g->s_reg[r] = mk("%s", REG[r].code);
		g->s_loc[r] = mk("%s", REG[r].location);
		g->dt_ut[r] = mk("%sDataTransfer-Out-Bytes", REG[r].prefix);
		g->dt_desc[r] = mk("$%s per GB - first 10 TB / month data transfer out beyond the global free tier",
				   r == AP ? "0.120" : "0.090");
		g->nath_ut[r] = mk("%sNatGateway-Hours", REG[r].prefix);
		g->natb_ut[r] = mk("%sNatGateway-Bytes", REG[r].prefix);
		g->nath_desc[r] = mk("$%s per NAT Gateway Hour", nat[r]);
		g->natb_desc[r] = mk("$%s per GB Data Processed by NAT Gateways", nat[r]);
		for (i = 0; i < 2; i++) {
			g->ebs_ut[r][i] = mk("%sEBS:VolumeUsage.%s", REG[r].prefix,
					     i ? "gp2" : "gp3");
			g->ebs_desc[r][i] = mk("$%s per GB-month of General Purpose (%s) provisioned storage - %s",
					       i ? gp2[r] : gp3[r], i ? "gp2" : "gp3",
					       REG[r].location);
		}
	}
	g->eip_ut[0] = mk("%sElasticIP:IdleAddress", REG[US].prefix);
	g->eip_ut[1] = mk("%sElasticIP:IdleAddress", REG[AP].prefix);
	for (i = 0; i < 4; i++) {
		const char *px = REG[BUCKET[i].region].prefix;

		g->s3_ut[i] = mk(BUCKET[i].ia ? "%sTimedStorage-SIA-ByteHrs" :
				 "%sTimedStorage-ByteHrs", px);
		g->s3_t1_ut[i] = mk("%sRequests-Tier1", px);
		g->s3_t2_ut[i] = mk("%sRequests-Tier2", px);
		g->s3_app[i] = mk("%s", BUCKET[i].app);
		g->s3_team[i] = mk("%s", BUCKET[i].team);
		g->bucket[i] = mk("%s-%s", BUCKET[i].name, u);
	}
	for (i = 0; i < NPOOL; i++) {
		g->pool_app[i] = mk("%s", POOL[i].app);
		g->pool_env[i] = mk("%s", POOL[i].env);
		g->pool_team[i] = mk("%s", POOL[i].team);
	}
	for (i = 0; i < 3; i++) {
		/* r6i.2xlarge us-east-1, m6i.large eu-west-1, c6i.xlarge us-east-1 */
		static const int reg[3] = { US, EU, US }, typ[3] = { R6I, M6I, C6I };
		static const long start[3] = { -151, -240, 7 };
		static const char *const fee[3] = { "0.0", "0.038", "0.058" };
		char v[40];

		hexid(v, hx(s, 30, (uint64_t)i), 32);
		g->ri_arn[i] = mk("arn:aws:ec2:%s:%.*s:reserved-instances/%.8s-%.4s-%.4s-%.4s-%.12s",
				  REG[reg[i]].code, (int)g->acct_prod.n, g->acct_prod.p,
				  v, v + 8, v + 12, v + 16, v + 20);
		g->ri_start[i] = mk_day(g->day0 + start[i]);
		g->ri_end[i] = mk_day(g->day0 + start[i] + 365);
		g->ri_desc_fee[i] = mk("USD %s hourly fee per Linux/UNIX (Amazon VPC), %s instance",
				       fee[i], TYP[typ[i]].name);
		g->ri_desc_du[i] = mk("USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), %s reserved instance applied",
				      TYP[typ[i]].name);
		g->ri_sub[i] = mk("Sign up charge for subscription: %ld, planId: %ld",
				  rng(s, 31, (uint64_t)i, 100000000, 999999999),
				  rng(s, 32, (uint64_t)i, 1000000, 9999999));
	}

	g->pc[PC_EC2].code = LIT("AmazonEC2");
	g->pc[PC_EC2].name = LIT("Amazon Elastic Compute Cloud");
	g->pc[PC_S3].code = LIT("AmazonS3");
	g->pc[PC_S3].name = LIT("Amazon Simple Storage Service");
	g->pc[PC_ELB].code = LIT("AWSELB");
	g->pc[PC_ELB].name = LIT("Elastic Load Balancing");
	g->pc[PC_SP].code = LIT("ComputeSavingsPlans");
	g->pc[PC_SP].name = LIT("Savings Plans for AWS Compute usage");
	for (i = 0; i < NPC; i++)
		g->tax_desc[i] = mk("Tax for product code %.*s",
				    (int)g->pc[i].code.n, g->pc[i].code.p);
}

static void fput_money(FILE *f, const char *key, money v)
{
	char b[48];
	char *e = put_dec(b, v, 0);

	*e = 0;
	fprintf(f, "%s=%s\n", key, b);
}

static void write_totals(struct gen *g)
{
	FILE *f = fopen(g->totals_path, "w");
	int i, p, r, t;
	char key[96];

	if (!f)
		die("%s: %s", g->totals_path, strerror(errno));
	fprintf(f, "# gen-cur totals: exact sums of the generated file\n");
	fprintf(f, "month=%s\n", g->month_str);
	fprintf(f, "period_start=%s\n", g->ts[0]);
	fprintf(f, "period_end=%s\n", g->ts[g->H]);
	fprintf(f, "seed=%llu\n", (unsigned long long)g->seed);
	fprintf(f, "payer=%s\n", g->payer);
	fprintf(f, "currency=USD\n");
	fprintf(f, "rows=%lld\n", g->rows);
	for (i = 0; i < NLT; i++)
		fprintf(f, "rows.%.*s=%lld\n", (int)LTNAME[i].n, LTNAME[i].p,
			g->ltrows[i]);
	fput_money(f, "billed_cost", g->billed);
	fput_money(f, "effective_cost", g->eff);
	fput_money(f, "list_cost", g->list_cost);
	fput_money(f, "ri_sp_trueup", g->trueup);
	fput_money(f, "ri_sp_upfront_fees", g->upfront_fees);
	for (p = 0; p < NPC; p++) {
		if (!g->pc[p].rows)
			continue;
		snprintf(key, sizeof key, "billed_cost.%.*s", (int)g->pc[p].code.n, g->pc[p].code.p);
		fput_money(f, key, g->pc[p].billed);
		snprintf(key, sizeof key, "effective_cost.%.*s", (int)g->pc[p].code.n, g->pc[p].code.p);
		fput_money(f, key, g->pc[p].eff);
	}
	fprintf(f, "tax_percent=%d\n", TAX_PERCENT);
	fprintf(f, "granularity.aux=%s\n", g->hourly_aux ? "hourly" : "daily");
	fprintf(f, "instances=%d\n", g->ninst);
	fprintf(f, "instances.load_test=%d\n", g->nfill);
	fprintf(f, "volumes=%d\n", g->nvol);

	/* planted facts */
	for (r = 0; r < NREGION; r++)
		for (t = 0; t < NTYPE; t++) {
			int grp = r * NTYPE + t, always = 0, steady = 0, steady_busy = 0;

			if (!g->gn[grp])
				continue;
			for (i = 0; i < g->gn[grp]; i++) {
				const struct inst *in = &g->in[g->glist[grp][i]];

				if (in->hours_run != g->H)
					continue;
				always++;
				if (in->hours_od == g->H) {
					steady++;
					if (POOL[in->pool].kind != IDLE)
						steady_busy++;
				}
			}
			fprintf(f, "always_on.%s.%s=%d\n", REG[r].code, TYP[t].name, always);
			fprintf(f, "steady.%s.%s=%d\n", REG[r].code, TYP[t].name, steady);
			fprintf(f, "steady_not_idle.%s.%s=%d\n", REG[r].code, TYP[t].name, steady_busy);
			fprintf(f, "min_hourly_ondemand.%s.%s=%ld\n", REG[r].code, TYP[t].name,
				g->od_min[grp] < 0 ? 0 : g->od_min[grp]);
		}
	for (i = 0; i < g->ninst; i++)
		if (POOL[g->in[i].pool].kind == IDLE)
			fprintf(f, "idle_instance=%s\n", g->in[i].id);
	for (i = 0; i < 2; i++)
		fprintf(f, "idle_eip=%.*s\n", (int)g->eip[i].n, g->eip[i].p);
	for (i = 0; i < 2; i++)
		fprintf(f, "unattached_volume=%s\n", g->orphan_id[i]);
	for (i = 0; i < g->nri; i++) {
		const struct ri *ri = &g->ri[i];
		long reserved = (long)ri->count * (g->H - ri->start_hour);

		fprintf(f, "ri.%d.arn=%.*s\n", i, (int)ri->arn.n, ri->arn.p);
		fprintf(f, "ri.%d.region=%s\n", i, REG[ri->group / NTYPE].code);
		fprintf(f, "ri.%d.instance_type=%s\n", i, TYP[ri->group % NTYPE].name);
		fprintf(f, "ri.%d.count=%d\n", i, ri->count);
		fprintf(f, "ri.%d.reserved_hours=%ld\n", i, reserved);
		fprintf(f, "ri.%d.used_hours=%ld\n", i, ri->used);
		fprintf(f, "ri.%d.bought_this_month=%d\n", i, ri->start_hour > 0);
	}
	if (g->sp_commit) {
		fprintf(f, "sp.arn=%.*s\n", (int)g->sp_arn.n, g->sp_arn.p);
		fput_money(f, "sp.commitment_per_hour", g->sp_commit);
		fput_money(f, "sp.total_commitment", g->sp_total);
		fput_money(f, "sp.used_commitment", g->sp_used);
	}
	{
		char day[24];

		fmt_day(day, g->day0 + ANOMALY_DAY, 0);
		fprintf(f, "anomaly.date=%.10s\n", day);
		fprintf(f, "anomaly.product_code=AmazonS3\n");
		fput_money(f, "anomaly.extra_cost", g->anomaly_extra);
	}
	fprintf(f, "service.mau_max=%lld\n", g->mau_max);
	fprintf(f, "service.peak_connections_max=%lld\n", g->peak_conn_max);
	fprintf(f, "service.messages=%lld\n", g->messages);
	if (g->met.bytes || g->met_rows)
		fprintf(f, "metrics_rows=%lld\n", g->met_rows);
	if (fclose(f) != 0)
		die("%s: write error", g->totals_path);
}

static void usage(FILE *f)
{
	fputs("usage: gen-cur [--rows N] [--month YYYY-MM] [--seed S] [--payer ID]\n"
	      "               [--out FILE] [--totals FILE] [--metrics FILE]\n"
	      "               [--unique-resources]\n"
	      "\n"
	      "Write a synthetic AWS legacy Cost and Usage Report (CSV) for one month.\n"
	      "\n"
	      "  --rows N        number of line items (default 100000); exact when\n"
	      "                  N is at least the size of the fleet-independent part\n"
	      "  --month YYYY-MM billing period (default 2026-10)\n"
	      "  --seed S        seed of the deterministic generator (default 1)\n"
	      "  --payer ID      12-digit payer account id (default 123456789012)\n"
	      "  --out FILE      CSV output (default stdout)\n"
	      "  --totals FILE   key=value totals and planted facts\n"
	      "  --metrics FILE  usage metrics CSV: timestamp,resource_id,metric,value,unit\n"
	      "  --unique-resources  every line item gets its own lineItem/ResourceId and\n"
	      "                  resourceTags/user:team value (a high-cardinality bill);\n"
	      "                  totals are unchanged\n"
	      "  -h, --help      this text\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rows", required_argument, NULL, 'r' },
		{ "month", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "payer", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "totals", required_argument, NULL, 't' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "unique-resources", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen *g = xcalloc(1, sizeof *g);
	const char *month = "2026-10";
	int c, i, K;
	long long fill;
	char *end;

	g->want = 100000;
	g->seed = 1;
	strcpy(g->payer, "123456789012");
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			errno = 0;
			g->want = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg || g->want < 1 ||
			    g->want > 1000000000LL) {
				fprintf(stderr, "gen-cur: --rows: expected 1..1000000000, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'm':
			month = optarg;
			break;
		case 's':
			errno = 0;
			g->seed = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg) {
				fprintf(stderr, "gen-cur: --seed: not a number: '%s'\n", optarg);
				return 2;
			}
			break;
		case 'p':
			if (strlen(optarg) != 12 || strspn(optarg, "0123456789") != 12) {
				fprintf(stderr, "gen-cur: --payer: expected 12 digits, got '%s'\n", optarg);
				return 2;
			}
			strcpy(g->payer, optarg);
			break;
		case 'o':
			g->out_path = optarg;
			break;
		case 't':
			g->totals_path = optarg;
			break;
		case 'M':
			g->metrics_path = optarg;
			break;
		case 'U':
			g->unique = 1;
			break;
		case 'h':
			usage(stdout);
			free(g);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gen-cur: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (strlen(month) != 7 || month[4] != '-' ||
	    strspn(month, "0123456789") != 4 ||
	    strspn(month + 5, "0123456789") != 2 ||
	    (g->year = atoi(month)) < 1971 || g->year > 9998 ||
	    (g->mon = atoi(month + 5)) < 1 || g->mon > 12) {
		fprintf(stderr, "gen-cur: --month: expected YYYY-MM, got '%s'\n", month);
		return 2;
	}
	snprintf(g->month_str, sizeof g->month_str, "%04d-%02d", g->year, g->mon);

	/* calendar */
	g->day0 = days_from_civil(g->year, g->mon, 1);
	g->days = (int)(days_from_civil(g->mon == 12 ? g->year + 1 : g->year,
					g->mon == 12 ? 1 : g->mon + 1, 1) - g->day0);
	g->H = g->days * 24;
	g->ts = xmalloc((size_t)(g->H + 1) * sizeof *g->ts);
	for (i = 0; i <= g->H; i++)
		fmt_day(g->ts[i], g->day0 + i / 24, i % 24);

	setup_strings(g);
	/* fleet-independent lines hourly when they take at most 1/8 of the bill */
	g->hourly_aux = 14LL * g->H * 8 <= g->want;

	K = choose_fleet(g);
	fill = g->want - dry_rows(g, K);
	if (fill < 0) {
		fprintf(stderr, "gen-cur: warning: %lld rows is below the minimum bill; writing %lld rows\n",
			g->want, g->want - fill);
		fill = 0;
	}

	/* the real run */
	g->dry = 0;
	plan_fleet(g, K, fill);
	ob_open(&g->out, g->out_path, 1 << 22);
	if (g->metrics_path) {
		ob_open(&g->met, g->metrics_path, 1 << 20);
		memcpy(ob_room(&g->met, 64), "timestamp,resource_id,metric,value,unit\n", 40);
		g->met.len += 40;
	}
	{
		char *p = ob_room(&g->out, 8192);
		char *s = p;

		for (i = 0; i < NCOL; i++) {
			size_t n = strlen(colname[i]);

			if (i)
				*p++ = ',';
			memcpy(p, colname[i], n);
			p += n;
		}
		*p++ = '\n';
		g->out.len += (size_t)(p - s);
	}
	run(g);
	if (fill > 0 && g->rows != g->want)
		die("internal: wrote %lld rows, wanted %lld", g->rows, g->want);
	ob_close(&g->out);
	if (g->metrics_path)
		ob_close(&g->met);
	if (g->totals_path)
		write_totals(g);

	free_fleet(g);
	free(g->ts);
	arena_free();
	free(g);
	return 0;
}
