/*
 * vendors.c - the pricing engine of `imcost vendors`: hosted IM plans
 * (graduated, volume and bracket tiers, allowances, block rounding,
 * minimums, plan limits), the self-hosting capacity model (named
 * benchmark, headroom, N+1, on demand and best commitment, storage,
 * egress, load balancer), the ranking, and sweeps with their crossover
 * points.  The profile is read by vendors-profile.c, the catalog by
 * vendors-catalog.c and vendors-parse.c.  See vendors.h and
 * README-vendors.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "common/error.h"
#include "common/jsonscan.h"
#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "analyzers/vendors.h"
#include "analyzers/vendors-int.h"
#include "common/decimal.h"

/* ------------------------------------------------------------------ */
/* pricing                                                            */

/* round(q * price / per) in nanos; -1 on overflow (*out untouched). */
static int
mulprice(double q, int64_t price, double per, int64_t *out)
{
	long double r = (long double)q * (long double)price / (long double)per;

	if (!(r < 9.2e18L) || r < 0)
		return -1;
	*out = (int64_t)llroundl(r);
	return 0;
}

int64_t
vtiers_graduated(const struct vtier *t, int n, double q, double per)
{
	int64_t total = 0, part;
	double lo = 0;

	for (int i = 0; i < n && q > lo; i++) {
		double hi = t[i].up_to < 0 ? q : (q < t[i].up_to ? q : t[i].up_to);
		if (hi > lo && mulprice(hi - lo, t[i].price, per, &part) == 0)
			total += part;
		if (t[i].up_to < 0)
			break;
		lo = t[i].up_to;
	}
	return total;
}

/* Returns 0, -1 (error, err set), or -2 (quantity beyond the last bounded tier). */
int
vcomponent_cost(const struct vcomponent *c, double q, double incl, double *billable,
		int64_t *cost, struct ic_error *err)
{
	double b = q - incl;
	int64_t part;
	char qn[IC_QUOTE_SIZE];

	*cost = 0;
	if (b < 0)
		b = 0;
	if (c->rounding == VR_UP)
		b = ceil(b / c->per - 1e-9) * c->per;
	else if (c->rounding == VR_DOWN)
		b = floor(b / c->per + 1e-9) * c->per;
	if (b < 0)
		b = 0;
	*billable = b;
	if (c->ntiers > 0 && c->tiers[c->ntiers - 1].up_to >= 0 &&
	    b > c->tiers[c->ntiers - 1].up_to * (1 + 1e-12))
		return -2;
	switch (c->mode) {
	case VT_FLAT:
		if (mulprice(b, c->tiers[0].price, c->per, cost) != 0)
			return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
		return 0;
	case VT_GRADUATED: {
		double lo = 0;
		for (int i = 0; i < c->ntiers && b > lo; i++) {
			double hi = c->tiers[i].up_to < 0 || b < c->tiers[i].up_to ? b : c->tiers[i].up_to;
			if (mulprice(hi - lo, c->tiers[i].price, c->per, &part) != 0 ||
			    money_add(*cost, part, cost) != 0)
				return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
			if (c->tiers[i].up_to < 0)
				break;
			lo = c->tiers[i].up_to;
		}
		return 0;
	}
	case VT_VOLUME:
	case VT_BRACKET:
		for (int i = 0; i < c->ntiers; i++)
			if (c->tiers[i].up_to < 0 || b <= c->tiers[i].up_to) {
				if (c->mode == VT_BRACKET)
					*cost = c->tiers[i].price;
				else if (mulprice(b, c->tiers[i].price, c->per, cost) != 0)
					return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
				return 0;
			}
		return -2;
	}
	return 0;
}

static void
fmt_qty(double v, char *buf, size_t n)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		char tmp[32];
		int len, o = 0;
		snprintf(tmp, sizeof tmp, "%.0f", fabs(v));
		len = (int)strlen(tmp);
		if (v < 0 && o < (int)n - 1)
			buf[o++] = '-';
		for (int i = 0; i < len && o < (int)n - 2; i++) {
			if (i && (len - i) % 3 == 0)
				buf[o++] = ',';
			buf[o++] = tmp[i];
		}
		buf[o] = '\0';
	} else {
		snprintf(buf, n, "%.6g", v);
	}
}

static void
quote_init(struct vquote *q)
{
	memset(q, 0, sizeof *q);
	q->eligible = 1;
}

static void
quote_compare(struct vquote *q, const struct vprofile *p)
{
	double rate;

	q->comparable = 0;
	if (vprofile_rate(p, q->currency, &rate) == 0) {
		long double v = (long double)q->total * rate;
		if (v < 9.2e18L) {
			q->total_cmp = (int64_t)llroundl(v);
			q->comparable = 1;
		}
	}
}

int
voption_price(const struct voption *o, const struct vprofile *p, struct vquote *q,
	      struct ic_error *err)
{
	quote_init(q);
	snprintf(q->id, sizeof q->id, "%s", o->id);
	snprintf(q->vendor, sizeof q->vendor, "%s", o->vendor);
	snprintf(q->plan, sizeof q->plan, "%s", o->plan ? o->plan : "");
	snprintf(q->currency, sizeof q->currency, "%s", o->currency);
	snprintf(q->kind, sizeof q->kind, "hosted");
	q->source = o->source;
	q->as_of = o->as_of;
	q->confidence = o->confidence ? o->confidence : "unrated";
	q->notes = o->notes;
	if (o->unpriced) {
		q->eligible = 0;
		snprintf(q->why, sizeof q->why, "no published price: %s", o->unpriced);
		return 0;
	}
	for (int i = 0; i < o->nlimit; i++) {
		const struct vlimit *l = &o->limit[i];
		double have = vprofile_quantity(p, l->unit);
		double cap = l->has_share ? l->share * vprofile_quantity(p, l->share_of) : l->max;
		if (have > cap) {
			char a[40], b[40];
			fmt_qty(have, a, sizeof a);
			fmt_qty(cap, b, sizeof b);
			q->eligible = 0;
			snprintf(q->why, sizeof q->why, "%s %s above the plan limit %s", vunit_name(l->unit), a, b);
			return 0;
		}
	}
	for (int i = 0; i < o->ncomp; i++) {
		const struct vcomponent *c = &o->comp[i];
		struct vline *ln = &q->line[q->nline++];
		double qty = vprofile_quantity(p, c->unit), incl = c->included;
		int rc;

		if (c->size_unit_bytes > 0)
			qty *= ceil(p->f[PF_MESSAGE_BYTES] / c->size_unit_bytes);
		if (c->has_share) {
			double s = c->share * vprofile_quantity(p, c->share_of);
			incl += s > c->share_min ? s : c->share_min;
		}
		snprintf(ln->name, sizeof ln->name, "%s", c->name);
		ln->quantity = qty;
		rc = vcomponent_cost(c, qty, incl, &ln->billable, &ln->cost, err);
		if (rc == -2) {
			char a[40];
			fmt_qty(qty, a, sizeof a);
			q->eligible = 0;
			snprintf(q->why, sizeof q->why, "%s %s beyond the last published tier",
				 vunit_name(c->unit), a);
			return 0;
		}
		if (rc != 0 || money_add(q->total, ln->cost, &q->total) != 0)
			return rc != 0 ? -1 : ic_errorf(err, "%s: amount too large", o->id);
	}
	if (o->minimum > q->total && q->nline < V_MAX_LINES) {
		struct vline *ln = &q->line[q->nline++];
		snprintf(ln->name, sizeof ln->name, "top-up to the monthly minimum");
		ln->quantity = ln->billable = 1;
		ln->cost = o->minimum - q->total;
		q->total = o->minimum;
	}
	quote_compare(q, p);
	return 0;
}

int
vselfhost_best_commit(const struct vinstance *in)
{
	int best = -1;

	for (int i = 0; i < in->ncommit; i++)
		if (best < 0 || in->commit[i].effective_hourly < in->commit[best].effective_hourly)
			best = i;
	return best;
}

static int
add_line(struct vquote *q, const char *key, const char *name, double qty, double billable,
	 int64_t cost, struct ic_error *err)
{
	struct vline *ln;

	if (q->nline >= V_MAX_LINES)
		return ic_errorf(err, "%s: more than %d cost components", q->id, V_MAX_LINES);
	ln = &q->line[q->nline++];
	str_copy_fit(ln->name, sizeof ln->name, name);	/* at a character: names go into JSON */
	ln->key = key;
	ln->quantity = qty;
	ln->billable = billable;
	ln->cost = cost;
	if (money_add(q->total, cost, &q->total) != 0)
		return ic_errorf(err, "%s: amount too large", q->id);
	return 0;
}

/* A price from a profile field (a double, at most 9 decimals matter) as
 * nanos.  Returns 0, or -1 when it is out of range. */
static int
field_price(const struct vprofile *p, int i, int64_t *out)
{
	double v = p->f[i] * 1e9;

	if (!(v >= 0) || v > 9.2e18)
		return -1;
	*out = llround(v);
	return 0;
}

/* cost = qty x the price in profile field i, as one TCO line. */
static int
add_field_line(struct vquote *q, const struct vprofile *p, const char *key, const char *name,
	       double qty, int i, double per, struct ic_error *err)
{
	int64_t price, cost;

	if (field_price(p, i, &price) != 0 || mulprice(qty, price, per, &cost) != 0)
		return ic_errorf(err, "%s: %s: amount too large", q->id, vprofile_fields()[i].key);
	return add_line(q, key, name, qty, qty, cost, err);
}

int
vselfhost_price(const struct vcatalog *c, const struct vselfhost *s, const struct vprofile *p,
		int commit, struct vquote *q, struct ic_error *err)
{
	const struct vserver *sv = vcatalog_server(c, s->server);
	const struct vinstance *in = vcatalog_instance(c, s->provider, s->region, s->type);
	const struct vinfra *inf = vcatalog_infra(c, s->provider, s->region);
	double conns = p->f[PF_PEAK_CONNECTIONS];
	double dps = vprofile_quantity(p, VU_PEAK_DELIVERIES_PER_SECOND);
	double cpu, mem, usable = 1 - s->headroom, ncpu, nmem = 0, need, hours = V_HOURS_PER_MONTH;
	double hist, media, egress, avg_conns, new_per_s, gb_per_h, nlcu, ndb, logs, pushes;
	int64_t rate, cost;
	int n;
	char name[200], a[40], b[40];

	if (sv == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"server\": no server \"%s\"",
				 s->id, s->server);
	if (in == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"instance_type\": no instance "
				 "%s/%s/%s in instances[]", s->id, s->provider, s->region, s->type);
	if (inf == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"region\": no infrastructure "
				 "entry for %s/%s", s->id, s->provider, s->region);
	if (commit >= in->ncommit)
		commit = -1;
	quote_init(q);
	snprintf(q->id, sizeof q->id, "%s%s%s%s%s", s->id, commit >= 0 ? "/" : "",
		 commit >= 0 ? in->commit[commit].term : "", commit >= 0 ? "-" : "",
		 commit >= 0 ? in->commit[commit].payment : "");
	snprintf(q->vendor, sizeof q->vendor, "self-hosted %s on %s", s->server, s->type);
	if (commit >= 0)
		snprintf(q->plan, sizeof q->plan, "%s %s commitment", in->commit[commit].term,
			 in->commit[commit].payment);
	else
		snprintf(q->plan, sizeof q->plan, "on demand");
	snprintf(q->currency, sizeof q->currency, "USD");
	snprintf(q->kind, sizeof q->kind, "self-hosted");
	q->source = sv->source;
	q->as_of = in->as_of;
	q->confidence = commit >= 0 && in->commit_confidence ? in->commit_confidence
			: in->confidence ? in->confidence : "unrated";
	q->notes = sv->benchmark;

	cpu = conns / 1000 * sv->vcpu_per_1k_conn + dps / 1000 * sv->vcpu_per_1k_dps;
	mem = conns * sv->mem_kib_per_conn / 1048576.0;
	ncpu = ceil(cpu / (in->vcpu * usable) - 1e-9);
	if (mem > 0)
		nmem = ceil(mem / (in->mem_gib * usable) - 1e-9);
	need = ncpu > nmem ? ncpu : nmem;
	if (need < 1)
		need = 1;
	need = ceil(need * p->f[PF_REDUNDANCY] - 1e-9);
	if (need > 1e6)
		return ic_errorf(err, "%s: more than a million instances", q->id);
	n = (int)need + s->spare;
	q->instances = n;
	snprintf(q->detail, sizeof q->detail,
		 "%.2f vCPU = %.0f conns x %g/1k + %.1f deliveries/s x %g/1k%s; %.2f GiB memory; "
		 "%.0f%% headroom on %.0f vCPU/%.0f GiB -> %.0f x redundancy %g + %d spare = %d instances",
		 cpu, conns, sv->vcpu_per_1k_conn, dps, sv->vcpu_per_1k_dps,
		 sv->vcpu_per_1k_dps > 0 ? "" : " (no message-rate benchmark)", mem,
		 s->headroom * 100, in->vcpu, in->mem_gib, ncpu > nmem ? ncpu : nmem,
		 p->f[PF_REDUNDANCY], s->spare, n);

	rate = commit >= 0 ? in->commit[commit].effective_hourly : in->od_hourly;
	snprintf(name, sizeof name, "compute: %d x %s x 730 h at %s/h%s%s", n, in->type,
		 money_format_json(rate, a), commit >= 0 ? " (effective, commitment)" : " (on demand)",
		 in->source && strncmp(in->source, "imported price list", 19) == 0
		 ? " from the imported price list" : "");
	if (mulprice((double)n * hours, rate, 1, &cost) != 0 ||
	    add_line(q, "compute", name, n * hours, n * hours, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);
	ndb = p->f[PF_DB_INSTANCES];
	snprintf(name, sizeof name, "history database: %g x %s x 730 h at %s/h", ndb, in->type,
		 money_format_json(rate, a));
	if (mulprice(ndb * hours, rate, 1, &cost) != 0 ||
	    add_line(q, "database", name, ndb * hours, ndb * hours, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);

	hist = vprofile_quantity(p, VU_HISTORY_GB) * s->replication;
	snprintf(name, sizeof name, "message history on block storage (x%g copies), GB-month",
		 s->replication);
	if (mulprice(hist, inf->block_gb_month, 1, &cost) != 0 ||
	    add_line(q, "storage", name, hist, hist, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);
	media = vprofile_quantity(p, VU_MEDIA_GB);
	if (media > 0) {
		if (mulprice(media, inf->object_gb_month, 1, &cost) != 0 ||
		    add_line(q, "media_storage", "media on object storage, GB-month", media, media,
			     cost, err))
			return ic_errorf(err, "%s: amount too large", q->id);
	}
	egress = vprofile_quantity(p, VU_EGRESS_GB);
	if (GIVEN(p, PF_EGRESS_PRICE)) {
		if (field_price(p, PF_EGRESS_PRICE, &rate) != 0)
			return ic_errorf(err, "%s: egress_price_per_gb: out of range", q->id);
		snprintf(name, sizeof name, "internet egress at %s/GB (%s), GB",
			 money_format_json(rate, a), p->egress_origin[0] ? "the bill's average" : "profile");
		if (add_field_line(q, p, "egress", name, egress, PF_EGRESS_PRICE, 1, err))
			return -1;
	} else {
		cost = vtiers_graduated(inf->egress, inf->negress, egress, 1);
		if (add_line(q, "egress", "internet egress (catalog's graduated tiers), GB", egress,
			     egress, cost, err))
			return -1;
	}
	avg_conns = p->f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
	new_per_s = p->f[PF_DAU] * p->f[PF_SESSIONS_PER_DAU] / 86400.0;
	gb_per_h = (egress + p->f[PF_MESSAGES] * p->f[PF_MESSAGE_BYTES] / 1e9) / hours;
	nlcu = avg_conns / inf->lcu_conns;
	if (new_per_s / inf->lcu_new_per_s > nlcu)
		nlcu = new_per_s / inf->lcu_new_per_s;
	if (gb_per_h / inf->lcu_gb_per_h > nlcu)
		nlcu = gb_per_h / inf->lcu_gb_per_h;
	snprintf(name, sizeof name, "load balancer: 730 h x (%s + %.3f LCU x %s)",
		 money_format_json(inf->lb_hourly, a), nlcu, money_format_json(inf->lcu_hourly, b));
	{
		int64_t lb, lcu;
		if (mulprice(hours, inf->lb_hourly, 1, &lb) != 0 ||
		    mulprice(hours * nlcu, inf->lcu_hourly, 1, &lcu) != 0 ||
		    add_line(q, "load_balancer", name, hours, hours, lb + lcu, err))
			return ic_errorf(err, "%s: amount too large", q->id);
	}
	snprintf(name, sizeof name, "monitoring: %d chat + %g database servers, per host-month",
		 n, ndb);
	if (add_field_line(q, p, "monitoring", name, n + ndb, PF_MONITORING_HOST, 1, err))
		return -1;
	logs = p->f[PF_MESSAGES] * p->f[PF_LOG_BYTES] / 1e9;
	snprintf(name, sizeof name, "logging: %g bytes per message ingested, GB", p->f[PF_LOG_BYTES]);
	if (add_field_line(q, p, "logging", name, logs, PF_LOG_PRICE, 1, err))
		return -1;
	pushes = vprofile_quantity(p, VU_DELIVERIES) * p->f[PF_PUSH_SHARE];
	if (p->f[PF_PUSH_PRICE] > 0)
		snprintf(name, sizeof name, "push notifications through a relay (%g of deliveries)",
			 p->f[PF_PUSH_SHARE]);
	else
		snprintf(name, sizeof name, "push notifications via APNs/FCM, no charge (%g of deliveries)",
			 p->f[PF_PUSH_SHARE]);
	if (add_field_line(q, p, "push", name, pushes, PF_PUSH_PRICE, 1e6, err))
		return -1;
	snprintf(name, sizeof name, "engineering staff: FTE x loaded monthly cost%s",
		 GIVEN(p, PF_STAFF_FTE) && GIVEN(p, PF_STAFF_COST) ? "" : " (ASSUMPTION: confirm)");
	if (add_field_line(q, p, "staff", name, p->f[PF_STAFF_FTE], PF_STAFF_COST, 1, err))
		return -1;
	quote_compare(q, p);
	return 0;
}

/* Every option in catalog order: hosted plans, then per self-hosted option
 * on demand and with the best commitment.  *n gets the count. */
/*
 * A region the profile names must be one the catalog self-hosts in: an
 * unknown one (a typo, "mars-1") would otherwise be priced at another
 * region's rates without a word.  Returns 0, or -1 with err listing the
 * catalog's regions.
 */
static int
region_check(const struct vcatalog *c, const struct vprofile *p, struct ic_error *err)
{
	char known[512] = "", q[IC_QUOTE_SIZE];
	size_t n = 0;

	if (!p->region_given || c->nself == 0)
		return 0;
	for (int i = 0; i < c->nself; i++)
		if (strcmp(c->self[i].region, p->region) == 0)
			return 0;
	for (int i = 0; i < c->nself; i++) {
		int seen = 0;

		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(c->self[j].region, c->self[i].region) == 0;
		if (!seen && n < sizeof known)
			n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "",
					      c->self[i].region);
	}
	return ic_errorf(err, "the profile's region '%s' is not one the vendor catalog self-hosts in"
			 " (known: %s); name one of those, or add the region's instances and"
			 " infrastructure with --catalog", ic_quote(p->region, strlen(p->region), 64, q),
			 known);
}

static int
quote_collect(const struct vcatalog *c, const struct vprofile *p, struct vquote **out, int *n,
	      struct ic_error *err)
{
	int cap = c->nopt + 2 * c->nself, k = 0;
	struct vquote *q = calloc((size_t)(cap ? cap : 1), sizeof *q);

	if (q == NULL)
		return ic_errorf(err, "out of memory");
	if (region_check(c, p, err) != 0) {
		free(q);
		return -1;
	}
	for (int i = 0; i < c->nopt; i++)
		if (voption_price(&c->opt[i], p, &q[k++], err) != 0)
			goto fail;
	for (int i = 0; i < c->nself; i++) {
		const struct vselfhost *s = &c->self[i];
		const struct vinstance *in = vcatalog_instance(c, s->provider, s->region, s->type);
		int best = in ? vselfhost_best_commit(in) : -1;

		if (vselfhost_price(c, s, p, -1, &q[k++], err) != 0)
			goto fail;
		if (best >= 0 && vselfhost_price(c, s, p, best, &q[k++], err) != 0)
			goto fail;
	}
	*out = q;
	*n = k;
	return 0;
fail:
	free(q);
	return -1;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct vquote *x = a, *y = b;
	int gx = !x->eligible ? 2 : x->comparable ? 0 : 1;
	int gy = !y->eligible ? 2 : y->comparable ? 0 : 1;

	if (gx != gy)
		return gx - gy;
	if (gx == 0 && x->total_cmp != y->total_cmp)
		return x->total_cmp < y->total_cmp ? -1 : 1;
	if (gx == 1) {
		int c = strcmp(x->currency, y->currency);
		if (c)
			return c;
		if (x->total != y->total)
			return x->total < y->total ? -1 : 1;
	}
	return strcmp(x->id, y->id);
}

int
vendors_quote_all(const struct vcatalog *c, const struct vprofile *p, struct vquote **out,
		  int *n, struct ic_error *err)
{
	if (quote_collect(c, p, out, n, err) != 0)
		return -1;
	qsort(*out, (size_t)*n, sizeof **out, rank_cmp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* sweeps                                                             */

/* Price everything at field = x; costs[] (nopt) in profile currency or -1;
 * returns the cheapest index, -1 if none, or -2 on error. */
static int
sweep_eval(const struct vcatalog *c, const struct vprofile *base, int field, double x,
	   int nopt, int64_t *costs, struct ic_error *err)
{
	struct vprofile p = *base;
	struct vquote *q;
	int n, best = -1;

	vprofile_set(&p, field, x);
	if (quote_collect(c, &p, &q, &n, err) != 0)
		return -2;
	for (int i = 0; i < nopt && i < n; i++) {
		costs[i] = q[i].eligible && q[i].comparable ? q[i].total_cmp : -1;
		if (costs[i] >= 0 && (best < 0 || costs[i] < costs[best]))
			best = i;
	}
	free(q);
	return best;
}

void
vsweep_free(struct vsweep *s)
{
	free(s->x);
	free(s->ids);
	free(s->vendor);
	free(s->cost);
	free(s->cheapest);
	free(s->cross);
	memset(s, 0, sizeof *s);
}

static int
add_cross(struct vsweep *s, double at, int from, int to, const int64_t *cfrom_costs,
	  const int64_t *cto_costs, struct ic_error *err)
{
	struct vcrossover *nc = realloc(s->cross, (size_t)(s->ncross + 1) * sizeof *nc);

	if (nc == NULL)
		return ic_errorf(err, "out of memory");
	s->cross = nc;
	nc[s->ncross].at = at;
	nc[s->ncross].from = from;
	nc[s->ncross].to = to;
	nc[s->ncross].from_cost = from >= 0 ? cfrom_costs[from] : -1;
	nc[s->ncross].to_cost = to >= 0 ? cto_costs[to] : -1;
	s->ncross++;
	return 0;
}

int
vendors_sweep(const struct vcatalog *c, const struct vprofile *p, int field, double from,
	      double to, int npoints, struct vsweep *s, struct ic_error *err)
{
	struct vquote *q;
	int n, integral;
	int64_t *tmp = NULL, *tmp2 = NULL;

	memset(s, 0, sizeof *s);
	if (field < 0 || field >= PF_COUNT)
		return ic_errorf(err, "unknown profile field");
	if (npoints < 2 || npoints > 10000 || !(to > from) || from < 0)
		return ic_errorf(err, "a sweep needs FROM < TO, FROM >= 0 and 2..10000 points");
	integral = vprofile_fields()[field].integral;
	if (field == PF_MAU && from < 1)
		from = 1;
	if (quote_collect(c, p, &q, &n, err) != 0)
		return -1;
	s->field = field;
	s->npoints = npoints;
	s->nopt = n;
	s->x = calloc((size_t)npoints, sizeof *s->x);
	s->ids = calloc((size_t)(n ? n : 1), sizeof *s->ids);
	s->vendor = calloc((size_t)(n ? n : 1), sizeof *s->vendor);
	s->cost = calloc((size_t)npoints * (size_t)(n ? n : 1), sizeof *s->cost);
	s->cheapest = calloc((size_t)npoints, sizeof *s->cheapest);
	tmp = calloc((size_t)(n ? n : 1), sizeof *tmp);
	tmp2 = calloc((size_t)(n ? n : 1), sizeof *tmp2);
	if (!s->x || !s->ids || !s->vendor || !s->cost || !s->cheapest || !tmp || !tmp2) {
		free(q);
		goto oom;
	}
	for (int i = 0; i < n; i++) {
		snprintf(s->ids[i], sizeof s->ids[i], "%s", q[i].id);
		snprintf(s->vendor[i], sizeof s->vendor[i], "%s", q[i].vendor);
	}
	free(q);
	for (int k = 0; k < npoints; k++) {
		double x = from + (to - from) * k / (npoints - 1);
		if (integral)
			x = round(x);
		s->x[k] = x;
		s->cheapest[k] = sweep_eval(c, p, field, x, n, s->cost + (size_t)k * (size_t)n, err);
		if (s->cheapest[k] == -2)
			goto fail;
	}
	for (int k = 0; k + 1 < npoints; k++) {
		double lo = s->x[k], hi_end = s->x[k + 1];
		int clo = s->cheapest[k], cend = s->cheapest[k + 1];
		double res = integral ? 1 : (to - from) * 1e-6;

		while (clo != cend) {
			double hi = hi_end;
			int chi = cend;
			while (hi - lo > res) {
				double mid = integral ? floor(lo + (hi - lo) / 2) : lo + (hi - lo) / 2;
				int cm;
				if (mid <= lo || mid >= hi)
					break;
				cm = sweep_eval(c, p, field, mid, n, tmp, err);
				if (cm == -2)
					goto fail;
				if (cm == clo)
					lo = mid;
				else {
					hi = mid;
					chi = cm;
				}
			}
			/* costs at hi for the record */
			if (sweep_eval(c, p, field, hi, n, tmp2, err) == -2)
				goto fail;
			if (add_cross(s, hi, clo, chi, tmp2, tmp2, err) != 0)
				goto fail;
			lo = hi;
			clo = chi;
		}
	}
	free(tmp);
	free(tmp2);
	return 0;
oom:
	ic_errorf(err, "out of memory");
fail:
	free(tmp);
	free(tmp2);
	vsweep_free(s);
	return -1;
}
