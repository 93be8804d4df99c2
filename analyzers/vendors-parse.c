/*
 * vendors-parse.c - one entry of the vendor catalog from its cJSON
 * object: a hosted plan (components, graduated/volume/bracket tiers,
 * limits), a server benchmark, a cloud instance with its commitment
 * prices, the infrastructure of a region, a self-hosting option; and
 * freeing each.  vendors-catalog.c merges the entries.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "common/jsonscan.h"
#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "analyzers/vendors.h"
#include "analyzers/vendors-int.h"
#include "common/decimal.h"

/* ------------------------------------------------------------------ */
/* catalog parsing                                                    */

int
vparse_bad(struct vparse *x, const char *key, const char *what)
{
	char q[IC_QUOTE_SIZE];

	/* key may come from the file (an unknown key): quoted */
	return ic_errorf(x->err, "%s: %s: key \"%s\": %s", x->name, x->where,
			 ic_quote(key, strlen(key), 60, q), what);
}

static int
get_str(struct vparse *x, const cJSON *o, const char *key, int required, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return vparse_bad(x, key, "required");
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return vparse_bad(x, key, "expected a non-empty string");
	/* names that join entries (and reach messages) carry no control
	 * characters; display text may (tables and charts quote it) */
	if (vendors_has_control(v->valuestring) && strcmp(key, "vendor") != 0 && strcmp(key, "plan") != 0 &&
	    strcmp(key, "name") != 0 && strcmp(key, "notes") != 0 && strcmp(key, "source") != 0 &&
	    strcmp(key, "benchmark") != 0 && strcmp(key, "unpriced") != 0)
		return vparse_bad(x, key, "control characters are not allowed");
	*out = strdup(v->valuestring);
	if (*out == NULL)
		return ic_errorf(x->err, "out of memory");
	return 0;
}

/* A number >= 0 (or absent: *out = dflt, unless required). */
static int
get_num(struct vparse *x, const cJSON *o, const char *key, int required, double dflt, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = dflt;
	if (v == NULL || cJSON_IsNull(v))
		return required ? vparse_bad(x, key, "required") : 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
		return vparse_bad(x, key, "expected a number >= 0");
	*out = v->valuedouble;
	return 0;
}

/* A price: a JSON number or a decimal string, >= 0, at most 9 decimals. */
static int
get_price(struct vparse *x, const cJSON *o, const char *key, int required, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return required ? vparse_bad(x, key, "required (a price is never guessed)") : 0;
	if (cJSON_IsString(v)) {
		const char *dot = strchr(v->valuestring, '.');
		if (money_parse(v->valuestring, strlen(v->valuestring), out) != NUM_OK || *out < 0)
			return vparse_bad(x, key, "expected a decimal price >= 0");
		/* money_parse rounds past the ninth decimal (CUR writes ten): a
		 * catalog price is refused instead, as a number is */
		if (dot && strspn(dot + 1, "0123456789") > 9)
			return vparse_bad(x, key, "more than 9 decimals");
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
	    v->valuedouble > 9e9)
		return vparse_bad(x, key, "expected a price >= 0 (number or decimal string)");
	{
		double n = v->valuedouble * 1e9;
		double r = nearbyint(n);
		if (fabs(n - r) > 1e-3 * (1 + fabs(n) * 1e-12))
			return vparse_bad(x, key, "more than 9 decimals");
		*out = (int64_t)r;
	}
	return 0;
}

static int
get_unit(struct vparse *x, const cJSON *o, const char *key, enum vunit *u)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	int i;

	if (v == NULL)
		return vparse_bad(x, key, "required");
	if (!cJSON_IsString(v) || (i = vunit_parse(v->valuestring)) < 0)
		return vparse_bad(x, key, "unknown unit (month, mau, dau, peak_dau, peak_connections, "
			   "connection_minutes, channel_minutes, messages, deliveries, message_events, "
			   "peak_message_events_per_second, peak_deliveries_per_second, groups, "
			   "history_gb, media_gb, egress_gb, egress_gib)");
	*u = (enum vunit)i;
	return 0;
}

/* Keys an object may have; anything else is an error naming it. */
int
vparse_check_keys(struct vparse *x, const cJSON *o, const char *const *allowed)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, o) {
		int ok = vendors_ignored_key(it->string);
		for (int i = 0; !ok && allowed[i]; i++)
			ok = strcmp(allowed[i], it->string) == 0;
		if (!ok)
			return vparse_bad(x, it->string, "unknown key");
	}
	return 0;
}

static int
parse_tiers(struct vparse *x, const cJSON *arr, const char *key, int need_price,
	    struct vtier **out, int *n)
{
	int cnt, i = 0;
	const cJSON *t;
	char k[64];

	if (!cJSON_IsArray(arr) || (cnt = cJSON_GetArraySize(arr)) == 0)
		return vparse_bad(x, key, "expected a non-empty array of {\"up_to\", \"price\"}");
	*out = calloc((size_t)cnt, sizeof **out);
	if (*out == NULL)
		return ic_errorf(x->err, "out of memory");
	*n = cnt;
	cJSON_ArrayForEach(t, arr) {
		const cJSON *up = cJSON_GetObjectItemCaseSensitive(t, "up_to");
		static const char *const tk[] = { "up_to", "price", NULL };

		snprintf(k, sizeof k, "%s[%d].up_to", key, i);
		if (!cJSON_IsObject(t))
			return vparse_bad(x, k, "expected an object");
		if (vparse_check_keys(x, t, tk) != 0)
			return -1;
		if (up == NULL || cJSON_IsNull(up)) {
			if (i != cnt - 1)
				return vparse_bad(x, k, "only the last tier may be unbounded");
			(*out)[i].up_to = -1;
		} else if (!cJSON_IsNumber(up) || !(up->valuedouble > 0) || !isfinite(up->valuedouble)) {
			return vparse_bad(x, k, "expected a number > 0, or null for the last tier");
		} else {
			(*out)[i].up_to = up->valuedouble;
			if (i > 0 && !((*out)[i].up_to > (*out)[i - 1].up_to))
				return vparse_bad(x, k, "tiers must be in increasing order of up_to");
		}
		snprintf(k, sizeof k, "%s[%d].price", key, i);
		{
			struct vparse sub = *x;
			int64_t pr;
			/* name the tier key in messages */
			if (get_price(&sub, t, "price", need_price, &pr) != 0) {
				return ic_errorf(x->err, "%s: %s: key \"%s\": expected a price >= 0",
						 x->name, x->where, k);
			}
			(*out)[i].price = pr;
		}
		i++;
	}
	return 0;
}

static void
component_free(struct vcomponent *c)
{
	free(c->name);
	free(c->tiers);
}

static int
parse_component(struct vparse *x, const cJSON *o, int idx, struct vcomponent *c)
{
	static const char *const keys[] = { "name", "unit", "price", "per", "rounding", "included",
		"included_share", "tiers", "tier_mode", "size_unit_bytes", NULL };
	char where[320];
	const cJSON *v;
	struct vparse sub = *x;

	memset(c, 0, sizeof *c);
	snprintf(where, sizeof where, "%.280s: components[%d]", x->where, idx);
	snprintf(sub.where, sizeof sub.where, "%s", where);
	if (!cJSON_IsObject(o))
		return vparse_bad(&sub, "components", "expected an object");
	if (vparse_check_keys(&sub, o, keys) != 0 || get_str(&sub, o, "name", 1, &c->name) != 0 ||
	    get_unit(&sub, o, "unit", &c->unit) != 0 ||
	    get_num(&sub, o, "included", 0, 0, &c->included) != 0 ||
	    get_num(&sub, o, "per", 0, 1, &c->per) != 0 ||
	    get_num(&sub, o, "size_unit_bytes", 0, 0, &c->size_unit_bytes) != 0)
		return -1;
	if (!(c->per > 0))
		return vparse_bad(&sub, "per", "expected a number > 0");
	v = cJSON_GetObjectItemCaseSensitive(o, "rounding");
	if (v) {
		if (!cJSON_IsString(v))
			return vparse_bad(&sub, "rounding", "expected \"up\", \"down\" or \"none\"");
		if (strcmp(v->valuestring, "up") == 0)
			c->rounding = VR_UP;
		else if (strcmp(v->valuestring, "down") == 0)
			c->rounding = VR_DOWN;
		else if (strcmp(v->valuestring, "none") == 0)
			c->rounding = VR_NONE;
		else
			return vparse_bad(&sub, "rounding", "expected \"up\", \"down\" or \"none\"");
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "included_share");
	if (v) {
		static const char *const sk[] = { "of", "share", "min", NULL };
		struct vparse s2 = sub;
		snprintf(s2.where, sizeof s2.where, "%s: included_share", where);
		if (!cJSON_IsObject(v))
			return vparse_bad(&sub, "included_share", "expected {\"of\": UNIT, \"share\": N, \"min\": N}");
		if (vparse_check_keys(&s2, v, sk) != 0 || get_unit(&s2, v, "of", &c->share_of) != 0 ||
		    get_num(&s2, v, "share", 1, 0, &c->share) != 0 ||
		    get_num(&s2, v, "min", 0, 0, &c->share_min) != 0)
			return -1;
		c->has_share = 1;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "tiers");
	if (v) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "tier_mode");
		if (cJSON_GetObjectItemCaseSensitive(o, "price"))
			return vparse_bad(&sub, "price", "give either price or tiers, not both");
		if (m == NULL)
			return vparse_bad(&sub, "tier_mode", "required with tiers: \"graduated\", \"volume\" or \"bracket\"");
		if (!cJSON_IsString(m))
			return vparse_bad(&sub, "tier_mode", "expected \"graduated\", \"volume\" or \"bracket\"");
		if (strcmp(m->valuestring, "graduated") == 0)
			c->mode = VT_GRADUATED;
		else if (strcmp(m->valuestring, "volume") == 0)
			c->mode = VT_VOLUME;
		else if (strcmp(m->valuestring, "bracket") == 0)
			c->mode = VT_BRACKET;
		else
			return vparse_bad(&sub, "tier_mode", "expected \"graduated\", \"volume\" or \"bracket\"");
		return parse_tiers(&sub, v, "tiers", 1, &c->tiers, &c->ntiers);
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "tier_mode"))
		return vparse_bad(&sub, "tier_mode", "only with tiers");
	c->mode = VT_FLAT;
	c->tiers = calloc(1, sizeof *c->tiers);
	if (c->tiers == NULL)
		return ic_errorf(x->err, "out of memory");
	c->ntiers = 1;
	c->tiers[0].up_to = -1;
	return get_price(&sub, o, "price", 1, &c->tiers[0].price);
}

void
voption_free(struct voption *o)
{
	free(o->id); free(o->vendor); free(o->plan); free(o->currency); free(o->source);
	free(o->as_of); free(o->confidence); free(o->notes); free(o->unpriced);
	for (int i = 0; i < o->ncomp; i++)
		component_free(&o->comp[i]);
	free(o->comp);
	free(o->limit);
	memset(o, 0, sizeof *o);
}

static int
parse_limits(struct vparse *x, const cJSON *o, struct voption *v)
{
	const cJSON *lims, *it;
	int i;

	lims = cJSON_GetObjectItemCaseSensitive(o, "limits");
	if (lims) {
		if (!cJSON_IsArray(lims))
			return vparse_bad(x, "limits", "expected an array");
		v->limit = calloc((size_t)cJSON_GetArraySize(lims) + 1, sizeof *v->limit);
		if (v->limit == NULL)
			return ic_errorf(x->err, "out of memory");
		i = 0;
		cJSON_ArrayForEach(it, lims) {
			static const char *const lk[] = { "unit", "max", "max_share_of", "share", NULL };
			struct vparse sub = *x;
			struct vlimit *l = &v->limit[i];
			const cJSON *so;
			snprintf(sub.where, sizeof sub.where, "%.300s: limits[%d]", x->where, i);
			if (!cJSON_IsObject(it) || vparse_check_keys(&sub, it, lk) != 0 ||
			    get_unit(&sub, it, "unit", &l->unit) != 0)
				return cJSON_IsObject(it) ? -1 : vparse_bad(x, "limits", "expected objects");
			so = cJSON_GetObjectItemCaseSensitive(it, "max_share_of");
			if (so) {
				if (get_unit(&sub, it, "max_share_of", &l->share_of) != 0 ||
				    get_num(&sub, it, "share", 1, 0, &l->share) != 0)
					return -1;
				l->has_share = 1;
			} else if (get_num(&sub, it, "max", 1, 0, &l->max) != 0) {
				return -1;
			}
			v->nlimit = ++i;
		}
	}
	return 0;
}

int
vparse_option(struct vparse *x, const cJSON *o, struct voption *v)
{
	static const char *const keys[] = { "id", "vendor", "plan", "product", "currency",
		"components", "limits", "minimum", "source", "as_of", "confidence", "notes", "unpriced",
		NULL };
	const cJSON *comps, *it;
	int i;

	memset(v, 0, sizeof *v);
	if (vparse_check_keys(x, o, keys) != 0 || get_str(x, o, "vendor", 1, &v->vendor) != 0 ||
	    get_str(x, o, "plan", 0, &v->plan) != 0 || get_str(x, o, "currency", 1, &v->currency) != 0 ||
	    get_str(x, o, "source", 1, &v->source) != 0 || get_str(x, o, "as_of", 1, &v->as_of) != 0 ||
	    get_str(x, o, "confidence", 0, &v->confidence) != 0 ||
	    get_str(x, o, "notes", 0, &v->notes) != 0 || get_price(x, o, "minimum", 0, &v->minimum) != 0 ||
	    get_str(x, o, "unpriced", 0, &v->unpriced) != 0)
		return -1;
	if (!currency_code_ok(v->currency, strlen(v->currency)))
		return vparse_bad(x, "currency", "expected a currency code such as USD or CNY");
	if (v->unpriced) {
		/* a plan whose price is not published: listed with the reason, no
		 * components (a made-up price is worse than none) */
		if (v->unpriced[0] == '\0')
			return vparse_bad(x, "unpriced", "expected the reason no price is given");
		if (cJSON_GetObjectItemCaseSensitive(o, "components") ||
		    cJSON_GetObjectItemCaseSensitive(o, "minimum"))
			return vparse_bad(x, "unpriced", "an unpriced plan has no components or minimum");
		if (v->confidence && strcmp(v->confidence, "none") != 0)
			return vparse_bad(x, "confidence", "expected \"none\" for an unpriced plan");
		return parse_limits(x, o, v);
	}
	if (v->confidence && strcmp(v->confidence, "high") != 0 && strcmp(v->confidence, "medium") != 0 &&
	    strcmp(v->confidence, "low") != 0)
		return vparse_bad(x, "confidence", "expected \"high\", \"medium\" or \"low\"");
	comps = cJSON_GetObjectItemCaseSensitive(o, "components");
	if (!cJSON_IsArray(comps) || cJSON_GetArraySize(comps) == 0)
		return vparse_bad(x, "components", "required: a non-empty array");
	if (cJSON_GetArraySize(comps) > V_MAX_LINES - 1)
		return vparse_bad(x, "components", "too many (at most 15)");
	v->comp = calloc((size_t)cJSON_GetArraySize(comps), sizeof *v->comp);
	if (v->comp == NULL)
		return ic_errorf(x->err, "out of memory");
	i = 0;
	cJSON_ArrayForEach(it, comps) {
		int rc = parse_component(x, it, i, &v->comp[i]);
		v->ncomp = ++i;
		if (rc != 0)
			return -1;
	}
	return parse_limits(x, o, v);
}

void
vserver_free(struct vserver *s)
{
	free(s->id); free(s->name); free(s->benchmark); free(s->source); free(s->as_of);
}

int
vparse_server(struct vparse *x, const cJSON *o, struct vserver *s)
{
	static const char *const keys[] = { "id", "name", "vcpu_per_1k_connections",
		"vcpu_per_1k_deliveries_per_second", "memory_kib_per_connection", "benchmark",
		"source", "as_of", NULL };

	memset(s, 0, sizeof *s);
	if (vparse_check_keys(x, o, keys) != 0 || get_str(x, o, "name", 1, &s->name) != 0 ||
	    get_str(x, o, "benchmark", 1, &s->benchmark) != 0 ||
	    get_str(x, o, "source", 1, &s->source) != 0 || get_str(x, o, "as_of", 1, &s->as_of) != 0 ||
	    get_num(x, o, "vcpu_per_1k_connections", 1, 0, &s->vcpu_per_1k_conn) != 0 ||
	    get_num(x, o, "vcpu_per_1k_deliveries_per_second", 0, 0, &s->vcpu_per_1k_dps) != 0 ||
	    get_num(x, o, "memory_kib_per_connection", 0, 0, &s->mem_kib_per_conn) != 0)
		return -1;
	if (!(s->vcpu_per_1k_conn > 0))
		return vparse_bad(x, "vcpu_per_1k_connections", "expected a number > 0");
	return 0;
}

void
vinstance_free(struct vinstance *in)
{
	free(in->provider); free(in->region); free(in->type); free(in->source); free(in->as_of);
	free(in->confidence); free(in->commit_confidence);
	for (int i = 0; i < in->ncommit; i++) {
		free(in->commit[i].term);
		free(in->commit[i].payment);
	}
	free(in->commit);
}

static int
term_hours(const char *term, double *h)
{
	if (strcmp(term, "1y") == 0)
		*h = 8760;
	else if (strcmp(term, "3y") == 0)
		*h = 26280;
	else if (strcmp(term, "1m") == 0)
		*h = V_HOURS_PER_MONTH;
	else
		return -1;
	return 0;
}

int
vparse_instance(struct vparse *x, const cJSON *o, struct vinstance *in)
{
	static const char *const keys[] = { "provider", "region", "instance_type", "platform", "vcpu",
		"memory_gib", "on_demand_hourly", "commitments", "source", "as_of", "confidence",
		"commitment_confidence", "notes", NULL };
	const cJSON *cm, *it;
	int i = 0;

	memset(in, 0, sizeof *in);
	if (vparse_check_keys(x, o, keys) != 0 || get_str(x, o, "provider", 1, &in->provider) != 0 ||
	    get_str(x, o, "region", 1, &in->region) != 0 ||
	    get_str(x, o, "instance_type", 1, &in->type) != 0 ||
	    get_str(x, o, "source", 1, &in->source) != 0 || get_str(x, o, "as_of", 1, &in->as_of) != 0 ||
	    get_str(x, o, "confidence", 0, &in->confidence) != 0 ||
	    get_str(x, o, "commitment_confidence", 0, &in->commit_confidence) != 0 ||
	    get_num(x, o, "vcpu", 1, 0, &in->vcpu) != 0 ||
	    get_num(x, o, "memory_gib", 1, 0, &in->mem_gib) != 0 ||
	    get_price(x, o, "on_demand_hourly", 1, &in->od_hourly) != 0)
		return -1;
	if (!(in->vcpu > 0) || !(in->mem_gib > 0))
		return vparse_bad(x, in->vcpu > 0 ? "memory_gib" : "vcpu", "expected a number > 0");
	cm = cJSON_GetObjectItemCaseSensitive(o, "commitments");
	if (cm == NULL)
		return 0;
	if (!cJSON_IsArray(cm))
		return vparse_bad(x, "commitments", "expected an array");
	in->commit = calloc((size_t)cJSON_GetArraySize(cm) + 1, sizeof *in->commit);
	if (in->commit == NULL)
		return ic_errorf(x->err, "out of memory");
	cJSON_ArrayForEach(it, cm) {
		static const char *const ck[] = { "term", "payment", "effective_hourly", "upfront",
			"hourly", NULL };
		struct vparse sub = *x;
		struct vcommit *c = &in->commit[i];
		double h;
		snprintf(sub.where, sizeof sub.where, "%.300s: commitments[%d]", x->where, i);
		in->ncommit = i + 1;
		if (!cJSON_IsObject(it))
			return vparse_bad(x, "commitments", "expected objects");
		if (vparse_check_keys(&sub, it, ck) != 0 || get_str(&sub, it, "term", 1, &c->term) != 0 ||
		    get_str(&sub, it, "payment", 1, &c->payment) != 0)
			return -1;
		if (term_hours(c->term, &h) != 0)
			return vparse_bad(&sub, "term", "expected \"1y\", \"3y\" or \"1m\"");
		if (cJSON_GetObjectItemCaseSensitive(it, "effective_hourly")) {
			if (get_price(&sub, it, "effective_hourly", 1, &c->effective_hourly) != 0)
				return -1;
		} else {
			int64_t up, hr;
			if (get_price(&sub, it, "hourly", 1, &hr) != 0 ||
			    get_price(&sub, it, "upfront", 0, &up) != 0)
				return -1;
			c->effective_hourly = hr + (int64_t)llround((double)up / h);
		}
		i++;
	}
	return 0;
}

void
vinfra_free(struct vinfra *f)
{
	free(f->provider); free(f->region); free(f->source); free(f->as_of); free(f->egress);
}

int
vparse_infra(struct vparse *x, const cJSON *o, struct vinfra *f)
{
	static const char *const keys[] = { "provider", "region", "block_storage_gb_month",
		"object_storage_gb_month", "egress_tiers", "load_balancer_hourly", "lcu_hourly",
		"lcu_active_connections", "lcu_new_connections_per_second", "lcu_gb_per_hour",
		"alb_lcu_hourly", "source", "as_of", "confidence", NULL };
	const cJSON *e;

	memset(f, 0, sizeof *f);
	if (vparse_check_keys(x, o, keys) != 0 || get_str(x, o, "provider", 1, &f->provider) != 0 ||
	    get_str(x, o, "region", 1, &f->region) != 0 || get_str(x, o, "source", 1, &f->source) != 0 ||
	    get_str(x, o, "as_of", 1, &f->as_of) != 0 ||
	    get_price(x, o, "block_storage_gb_month", 1, &f->block_gb_month) != 0 ||
	    get_price(x, o, "object_storage_gb_month", 1, &f->object_gb_month) != 0 ||
	    get_price(x, o, "load_balancer_hourly", 1, &f->lb_hourly) != 0 ||
	    get_price(x, o, "lcu_hourly", 1, &f->lcu_hourly) != 0 ||
	    get_price(x, o, "alb_lcu_hourly", 0, &f->alb_lcu_hourly) != 0 ||
	    get_num(x, o, "lcu_active_connections", 1, 0, &f->lcu_conns) != 0 ||
	    get_num(x, o, "lcu_new_connections_per_second", 1, 0, &f->lcu_new_per_s) != 0 ||
	    get_num(x, o, "lcu_gb_per_hour", 1, 0, &f->lcu_gb_per_h) != 0)
		return -1;
	if (!(f->lcu_conns > 0) || !(f->lcu_new_per_s > 0) || !(f->lcu_gb_per_h > 0))
		return vparse_bad(x, "lcu_active_connections", "LCU dimensions must be > 0");
	e = cJSON_GetObjectItemCaseSensitive(o, "egress_tiers");
	if (e == NULL)
		return vparse_bad(x, "egress_tiers", "required");
	if (parse_tiers(x, e, "egress_tiers", 1, &f->egress, &f->negress) != 0)
		return -1;
	if (f->egress[f->negress - 1].up_to >= 0)
		return vparse_bad(x, "egress_tiers", "the last tier must be unbounded (no up_to)");
	return 0;
}

void
vselfhost_free(struct vselfhost *s)
{
	free(s->id); free(s->server); free(s->provider); free(s->region); free(s->type);
}

int
vparse_self(struct vparse *x, const cJSON *o, struct vselfhost *s)
{
	static const char *const keys[] = { "id", "server", "provider", "region", "instance_type",
		"headroom", "spare_instances", "storage_replication", NULL };
	double spare;

	memset(s, 0, sizeof *s);
	if (vparse_check_keys(x, o, keys) != 0 || get_str(x, o, "server", 1, &s->server) != 0 ||
	    get_str(x, o, "provider", 1, &s->provider) != 0 ||
	    get_str(x, o, "region", 1, &s->region) != 0 ||
	    get_str(x, o, "instance_type", 1, &s->type) != 0 ||
	    get_num(x, o, "headroom", 0, 0.3, &s->headroom) != 0 ||
	    get_num(x, o, "spare_instances", 0, 1, &spare) != 0 ||
	    get_num(x, o, "storage_replication", 0, 3, &s->replication) != 0)
		return -1;
	if (s->headroom >= 0.9)
		return vparse_bad(x, "headroom", "expected a fraction below 0.9");
	if (spare != floor(spare) || spare > 100)
		return vparse_bad(x, "spare_instances", "expected a whole number <= 100");
	if (!(s->replication >= 1))
		return vparse_bad(x, "storage_replication", "expected a number >= 1");
	s->spare = (int)spare;
	return 0;
}

