/*
 * vendors.h - hosted IM vendors versus self-hosting: the vendor catalog,
 * the workload profile and the pricing engine behind `imcost vendors`.
 *
 * A catalog (JSON, schema in README-vendors.md) lists
 *   vendors[]        hosted IM / chat clouds, one entry per plan, each a
 *                    list of billing components (plan fee, per-MAU, per
 *                    peak-DAU, per connection, per message, per GB ...)
 *                    with included units, block size and rounding, tiers
 *                    (graduated, volume or bracket), a monthly minimum
 *                    and plan limits;
 *   servers[]        self-hosted chat servers with a capacity model taken
 *                    from a named, published benchmark;
 *   instances[]      cloud VM prices (on demand and commitments);
 *   infrastructure[] block/object storage, egress tiers, load balancer;
 *   self_hosted[]    options: server x instance type x region.
 * The built-in catalog is data/vendors.json compiled into the binary; a
 * user catalog merges over it (same id replaces, "remove": true deletes).
 *
 * A profile (JSON) describes the workload: mau is required, every other
 * field has a documented default derived from it (vprofile_fields()).
 *
 * Money is int64 nano-units (common/decimal.h) in the option's currency;
 * quantities are doubles (they are estimates).  Nothing here prints.
 */
#ifndef IMCOST_VENDORS_H
#define IMCOST_VENDORS_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* Hours in a billing month (AWS convention) and derived lengths. */
#define V_HOURS_PER_MONTH 730.0
#define V_DAYS_PER_MONTH (730.0 / 24.0)
#define V_SECONDS_PER_MONTH (730.0 * 3600.0)
#define V_MINUTES_PER_MONTH (730.0 * 60.0)

/* ---- workload profile ---- */

enum vfield {
	PF_MAU,			/* monthly active users (required) */
	PF_DAU,			/* average daily active users */
	PF_PEAK_DAU,		/* the month's highest DAU */
	PF_PEAK_CONNECTIONS,	/* peak concurrent connections */
	PF_CONNECTION_MINUTES,	/* connection-minutes per month */
	PF_CHANNEL_MINUTES,	/* active channel-minutes per month */
	PF_MESSAGES,		/* messages sent per month */
	PF_RECIPIENTS,		/* deliveries per message sent (fan-out) */
	PF_MESSAGE_BYTES,	/* average message payload, bytes */
	PF_STORED_BYTES,	/* bytes per message in the history store */
	PF_PEAK_FACTOR,		/* peak message rate / monthly average rate */
	PF_MEDIA_GB,		/* media uploaded per month, GB */
	PF_RETENTION_DAYS,	/* history kept, days (0 = forever) */
	PF_HORIZON_MONTHS,	/* months of history when kept forever */
	PF_GROUPS,		/* peak number of groups */
	PF_SESSIONS_PER_DAU,	/* connections opened per DAU per day */
	/* self-hosting total cost of ownership (money in the self-hosting
	 * option's currency, USD in the built-in catalog) */
	PF_REDUNDANCY,		/* chat-server capacity x this (2 = second AZ) */
	PF_DB_INSTANCES,	/* database servers (primary + standby) */
	PF_PUSH_SHARE,		/* deliveries sent as a mobile push */
	PF_PUSH_PRICE,		/* push relay price per million (APNs/FCM: 0) */
	PF_MONITORING_HOST,	/* monitoring per host per month */
	PF_LOG_BYTES,		/* log bytes written per message sent */
	PF_LOG_PRICE,		/* log ingestion price per GB */
	PF_EGRESS_PRICE,	/* egress price per GB (not given: catalog tiers) */
	PF_STAFF_FTE,		/* engineers running the service, FTE */
	PF_STAFF_COST,		/* loaded cost of one FTE per month */
	PF_COMPRESSIBLE_SHARE,	/* share of internet egress that is message payload */
	PF_COUNT
};

/*
 * Default share of an IM service's internet egress that is compressible
 * message payload, when neither the profile nor the bill tells: at most
 * 0.6, since video alone is "almost 40% of the total WhatsApp traffic
 * volume" (P. Fiadino, M. Schiavone, P. Casas, "Vivisecting WhatsApp
 * through Large-Scale Measurements in Mobile Networks", ACM SIGCOMM 2014
 * poster, doi:10.1145/2619239.2631461); photos and voice notes, also
 * already compressed, are in the other 60%, so this is an upper bound.
 */
#define V_COMPRESSIBLE_SHARE_DEFAULT 0.6

struct vfield_info {
	const char *key;	/* JSON key and --sweep name */
	const char *what;	/* description with unit */
	const char *dflt;	/* default, as printed in the assumptions */
	int per_user;		/* scales with mau when --sweep mau */
	int integral;		/* a count: sweeps and crossovers in whole units */
};

/* The PF_COUNT fields, in enum order. */
const struct vfield_info *vprofile_fields(void);
/* Index of a field by key, or -1. */
int vprofile_field(const char *key);

#define V_MAX_FX 16
/* An exchange rate outside [1/V_FX_RANGE, V_FX_RANGE] is refused: no two
 * currencies in use are that far apart (1 USD is about 42,000 IRR), and
 * such a rate overflows the comparison of monthly costs. */
#define V_FX_RANGE 1e6
/* The largest profile file read (a profile is a few hundred bytes). */
#define V_PROFILE_MAX (1 << 20)

struct vprofile {
	char name[128];
	char currency[8];	/* compare everything in this currency (default USD) */
	char region[64];	/* self-hosting region (default us-east-1) */
	int region_given;	/* region came from the file (checked against
				 * the catalog's self-hosting regions) */
	double f[PF_COUNT];
	uint64_t given;		/* bit i set: f[i] came from the file */
	int nfx;
	struct { char cur[8]; double rate; } fx[V_MAX_FX];	/* 1 cur = rate currency */
	char egress_origin[200];	/* "" or where PF_EGRESS_PRICE came from
					 * when not the file (the imported bill) */
};

/*
 * Parse a profile from JSON text (name is used in messages, e.g. the file
 * name), validate it and derive the missing fields.  Errors name the key.
 * Returns 0 or -1 with err set.
 */
int vprofile_parse(const char *text, size_t len, const char *name, struct vprofile *p,
		   struct ic_error *err);
/* Read and parse a profile file.  Returns 0 or -1 with err set. */
int vprofile_load(const char *path, struct vprofile *p, struct ic_error *err);
/* Fill every field not given from the defaults (idempotent). */
void vprofile_derive(struct vprofile *p);
/*
 * Set field i to v as a sweep does: for PF_MAU every given per-user field
 * is scaled by v/old_mau; then the derived fields are recomputed.
 */
void vprofile_set(struct vprofile *p, int i, double v);
/* Exchange rate to the profile currency: 1 unit of cur = *rate.  Returns 0,
 * or -1 when unknown.  The profile's own currency has rate 1. */
int vprofile_rate(const struct vprofile *p, const char *cur, double *rate);

/* ---- billing units a component can be priced on ---- */

enum vunit {
	VU_MONTH,		/* 1 per month: a plan fee */
	VU_MAU, VU_DAU, VU_PEAK_DAU, VU_PEAK_CONNECTIONS,
	VU_CONNECTION_MINUTES, VU_CHANNEL_MINUTES,
	VU_MESSAGES,		/* messages sent */
	VU_DELIVERIES,		/* messages x recipients */
	VU_MESSAGE_EVENTS,	/* messages + deliveries (Ably counting) */
	VU_PEAK_MESSAGE_EVENTS_PER_SECOND,
	VU_PEAK_DELIVERIES_PER_SECOND,
	VU_GROUPS,
	VU_HISTORY_GB,		/* message history held, GB (steady state) */
	VU_MEDIA_GB,		/* media held, GB */
	VU_EGRESS_GB,		/* bytes sent to clients per month / 1e9 */
	VU_EGRESS_GIB,		/* the same / 2^30 */
	VU_COUNT
};

const char *vunit_name(enum vunit u);
int vunit_parse(const char *s);		/* -1 if unknown */
/* The quantity of a unit for a derived profile. */
double vprofile_quantity(const struct vprofile *p, enum vunit u);

/* ---- catalog ---- */

enum vtier_mode { VT_FLAT, VT_GRADUATED, VT_VOLUME, VT_BRACKET };
enum vrounding { VR_NONE, VR_UP, VR_DOWN };

struct vtier {
	double up_to;		/* inclusive upper bound; < 0 means unbounded */
	int64_t price;		/* nanos per `per` units (bracket: flat amount) */
};

struct vcomponent {
	char *name;
	enum vunit unit;
	double size_unit_bytes;	/* > 0: each message counts ceil(bytes/size) */
	double included;	/* free units */
	int has_share;		/* included += max(share_min, share * qty(share_of)) */
	enum vunit share_of;
	double share, share_min;
	double per;		/* price is per this many units (default 1) */
	enum vrounding rounding;	/* billable units to whole blocks of per */
	enum vtier_mode mode;
	int ntiers;
	struct vtier *tiers;	/* VT_FLAT: one unbounded tier */
};

struct vlimit {
	enum vunit unit;
	double max;		/* absolute cap, or */
	int has_share;		/* cap = share * qty(share_of) */
	enum vunit share_of;
	double share;
};

struct voption {
	char *id, *vendor, *plan, *currency, *source, *as_of, *confidence, *notes;
	char *unpriced;		/* non-NULL: the vendor publishes no price (why, what is
				 * known); the plan is listed, never priced or ranked */
	int64_t minimum;	/* monthly minimum spend, 0 = none */
	int ncomp;
	struct vcomponent *comp;
	int nlimit;
	struct vlimit *limit;
};

struct vserver {
	char *id, *name, *benchmark, *source, *as_of;
	double vcpu_per_1k_conn;	/* vCPU per 1,000 concurrent connections */
	double vcpu_per_1k_dps;		/* vCPU per 1,000 deliveries/s (0 = not benchmarked) */
	double mem_kib_per_conn;	/* 0 = not published */
};

struct vcommit {
	char *term;		/* "1y", "3y", "1m" */
	char *payment;		/* no_upfront, partial_upfront, all_upfront */
	int64_t effective_hourly;	/* nanos/h, upfront spread over the term */
};

struct vinstance {
	char *provider, *region, *type, *source, *as_of, *confidence, *commit_confidence;
	double vcpu, mem_gib;
	int64_t od_hourly;
	int ncommit;
	struct vcommit *commit;
};

struct vinfra {
	char *provider, *region, *source, *as_of;
	int64_t block_gb_month, object_gb_month, lb_hourly, lcu_hourly;
	double lcu_conns, lcu_new_per_s, lcu_gb_per_h;
	int negress;
	struct vtier *egress;	/* graduated, per GB */
	int64_t alb_lcu_hourly;	/* ALB LCU-hour (0 = unknown), levers only */
};

struct vselfhost {
	char *id, *server, *provider, *region, *type;
	double headroom;	/* fraction of capacity kept free, 0..0.9 */
	int spare;		/* extra instances (N+1 = 1) */
	double replication;	/* copies of the message history */
};

struct vcatalog {
	int nopt, nserver, ninst, ninfra, nself;
	struct voption *opt;
	struct vserver *server;
	struct vinstance *inst;
	struct vinfra *infra;
	struct vselfhost *self;
};

/* The built-in catalog (data/vendors.json compiled in).  NULL with err set
 * on failure.  Caller frees with vcatalog_free. */
struct vcatalog *vcatalog_builtin(struct ic_error *err);
/* An empty catalog (NULL on ENOMEM). */
struct vcatalog *vcatalog_new(void);
/*
 * Merge a catalog given as JSON text over c.  name prefixes every message
 * ("FILE: vendors[3] (id \"x\"): key \"price\": ...").  On error c is left
 * unchanged.  Returns 0 or -1.
 */
int vcatalog_merge(struct vcatalog *c, const char *text, size_t len, const char *name,
		   struct ic_error *err);
int vcatalog_merge_file(struct vcatalog *c, const char *path, struct ic_error *err);
void vcatalog_free(struct vcatalog *c);

const struct vinstance *vcatalog_instance(const struct vcatalog *c, const char *provider,
					  const char *region, const char *type);
const struct vinfra *vcatalog_infra(const struct vcatalog *c, const char *provider,
				    const char *region);
const struct vserver *vcatalog_server(const struct vcatalog *c, const char *id);

struct catalog;
/*
 * Take the self-hosting instance prices from pb (a pricebook built from
 * the imported price lists, analyzers/pricebook.h): every instance of c
 * whose provider/region/type pb prices from a source other than the
 * built-in catalog gets pb's on-demand rate, and pb's offers (reserved,
 * savings plans) replace its commitments when pb has any; its source then
 * names the price list.  *nused gets the number of instances repriced.
 * Returns 0, or -1 with err set (c is then partly updated, still valid).
 */
int vcatalog_use_price_lists(struct vcatalog *c, const struct catalog *pb, int *nused,
			     struct ic_error *err);

/* ---- pricing ---- */

#define V_MAX_LINES 16

struct vline {
	char name[160];
	const char *key;	/* self-hosting TCO component ("compute",
				 * "staff", ...; static), NULL for a plan's */
	double quantity;	/* the unit's quantity before allowances */
	double billable;	/* after allowances and block rounding */
	int64_t cost;		/* nanos, option currency */
};

struct vquote {
	char id[96], vendor[128], plan[160], currency[8], kind[16];
	const char *source, *as_of, *confidence, *notes;	/* borrowed from the catalog */
	int eligible;		/* 0: a plan limit is exceeded, or no price is
				 * published (why says which) */
	char why[256];
	int64_t total;		/* option currency */
	int comparable;		/* total converted to the profile currency */
	int64_t total_cmp;
	int nline;
	struct vline line[V_MAX_LINES];
	char detail[512];	/* self-hosting: instances and how they were sized */
	int instances;		/* self-hosting: instance count */
};

/*
 * Cost of one component at quantity q (already multiplied by the size
 * unit), with allowance incl.  *billable receives the billable units.
 * Returns 0 and *cost, or -1 with err set on overflow or a quantity beyond
 * the last bounded tier.
 */
int vcomponent_cost(const struct vcomponent *c, double q, double incl, double *billable,
		    int64_t *cost, struct ic_error *err);

/* Price a hosted option for a derived profile.  Returns 0 or -1. */
int voption_price(const struct voption *o, const struct vprofile *p, struct vquote *q,
		  struct ic_error *err);

/*
 * Price a self-hosted option: commit < 0 on demand, else the index of the
 * instance's commitment to use (vselfhost_best_commit picks the cheapest).
 */
int vselfhost_price(const struct vcatalog *c, const struct vselfhost *s,
		    const struct vprofile *p, int commit, struct vquote *q, struct ic_error *err);
int vselfhost_best_commit(const struct vinstance *in);	/* -1 if none */

/* Graduated cost of q units over tiers priced per `per` units. */
int64_t vtiers_graduated(const struct vtier *t, int n, double q, double per);

/*
 * Price every option: hosted plans, and each self-hosted option on demand
 * and with its best commitment.  *out (caller frees) is ranked: eligible
 * comparable options by converted total, then other currencies, then
 * ineligible ones.  Returns 0 or -1.
 */
int vendors_quote_all(const struct vcatalog *c, const struct vprofile *p,
		      struct vquote **out, int *n, struct ic_error *err);

/* ---- sweeps ---- */

struct vcrossover {
	double at;		/* first value of the field where `to` is cheapest */
	int from, to;		/* option indexes into vsweep.ids */
	int64_t from_cost, to_cost;	/* at `at`, profile currency */
};

struct vsweep {
	int field;
	int npoints, nopt;
	double *x;		/* npoints values */
	char (*ids)[96];	/* nopt option ids (quote order at the first point) */
	char (*vendor)[128];	/* their vendor names (chart series) */
	int64_t *cost;		/* npoints x nopt, profile currency, -1 = n/a */
	int *cheapest;		/* per point, option index or -1 */
	int ncross;
	struct vcrossover *cross;
};

/*
 * Sweep field over [from, to] in npoints evenly spaced values (>= 2), and
 * find every crossover: for each pair of neighbouring points whose
 * cheapest option differs, bisect (to a whole unit for integral fields) to
 * the first value where the new one is cheapest.  Only options comparable
 * in the profile currency take part.  Returns 0 or -1; free with
 * vsweep_free.
 */
int vendors_sweep(const struct vcatalog *c, const struct vprofile *p, int field, double from,
		  double to, int npoints, struct vsweep *s, struct ic_error *err);
void vsweep_free(struct vsweep *s);

#endif
