/*
 * pricebook.c - building the analyses' price catalog from the built-in
 * catalog, the bill's rates, imported price lists and --pricing files
 * (precedence and sources in pricebook.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analyzers/catalog.h"
#include "analyzers/pricebook.h"
#include "analyzers/rollups.h"
#include "common/engine.h"
#include "common/error.h"

/* the (provider, region, platform) combinations the bill uses */
struct used {
	char provider[32], region[64], platform[64];	/* provider and platform folded */
};

struct book {
	struct catalog *c;
	struct used *u;
	int nu, capu;
	int base;		/* entries before the price lists */
};

static char *
dup_or_oom(const char *s, int *oom)
{
	char *d = strdup(s ? s : "");
	if (d == NULL)
		*oom = 1;
	return d;
}

static void
set_str(char **dst, const char *s, int *oom)
{
	free(*dst);
	*dst = dup_or_oom(s, oom);
}

static int
add_used(struct book *b, const char *provider, const char *region, const char *platform)
{
	struct used u;

	catalog_fold_provider(provider, u.provider, sizeof u.provider);
	snprintf(u.region, sizeof u.region, "%s", region);
	catalog_fold_platform(platform, u.platform, sizeof u.platform);
	for (int i = 0; i < b->nu; i++)
		if (strcmp(b->u[i].provider, u.provider) == 0 && strcmp(b->u[i].region, u.region) == 0 &&
		    strcmp(b->u[i].platform, u.platform) == 0)
			return 0;
	if (b->nu == b->capu) {
		int cap = b->capu ? b->capu * 2 : 16;
		struct used *nu = realloc(b->u, (size_t)cap * sizeof *nu);
		if (nu == NULL)
			return -1;
		b->u = nu;
		b->capu = cap;
	}
	b->u[b->nu++] = u;
	return 0;
}

/* index of the entry with this key among the first n, or -1 */
static int
find_in(const struct catalog *c, int n, const char *provider, const char *region,
	const char *type, const char *platform)
{
	char p1[32], p2[32], f1[64], f2[64];

	catalog_fold_provider(provider, p1, sizeof p1);
	catalog_fold_platform(platform, f1, sizeof f1);
	for (int i = 0; i < n; i++) {
		const struct catalog_entry *e = &c->e[i];
		if (strcasecmp(e->region, region) != 0 || strcasecmp(e->instance_type, type) != 0)
			continue;
		if (strcmp(catalog_fold_provider(e->provider, p2, sizeof p2), p1) == 0 &&
		    strcmp(catalog_fold_platform(e->platform, f2, sizeof f2), f1) == 0)
			return i;
	}
	return -1;
}

static struct catalog_entry *
new_entry(struct catalog *c, const char *provider, const char *region, const char *type,
	  const char *platform, const char *currency, int *oom)
{
	struct catalog_entry *ne = realloc(c->e, (size_t)(c->n + 1) * sizeof *ne), *e;

	if (ne == NULL) {
		*oom = 1;
		return NULL;
	}
	c->e = ne;
	e = &c->e[c->n++];
	memset(e, 0, sizeof *e);
	e->provider = dup_or_oom(provider, oom);
	e->region = dup_or_oom(region, oom);
	e->instance_type = dup_or_oom(type, oom);
	e->platform = dup_or_oom(platform && *platform ? platform : "Linux", oom);
	e->currency = dup_or_oom(currency, oom);
	return e;
}

/* ---- 2. the bill's rates ---- */

static int
bill_rates(struct book *b, struct engine *eng, int64_t start, int64_t end, struct ic_error *err)
{
	struct engine_stmt *st;
	int r, oom = 0;

	if (an_rollups(eng, err) != 0)
		return -1;
	st = engine_prepare(eng,
		"SELECT ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" SUM(ListCostNanos) AS list_nanos, SUM(ConsumedQuantity) AS qty"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" AND ChargeCategory = 'Usage' AND PricingCategory = 'Standard'"
		" AND x_InstanceType IS NOT NULL AND x_InstanceType <> '' AND RegionId IS NOT NULL"
		" AND ListCostNanos IS NOT NULL AND ConsumedQuantity > 0"
		" GROUP BY ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency"
		" ORDER BY ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency", err);
	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, start);
	engine_bind_int64(st, 2, end);
	while ((r = engine_step(st, err)) == 1) {
		const char *prov = engine_column_text(st, 0), *region = engine_column_text(st, 1);
		const char *type = engine_column_text(st, 2), *plat = engine_column_text(st, 3);
		const char *cur = engine_column_text(st, 4);
		double list = engine_column_double(st, 5), qty = engine_column_double(st, 6);
		int64_t rate;
		int i;

		if (prov == NULL || region == NULL || type == NULL || cur == NULL)
			continue;
		if (add_used(b, prov, region, plat) != 0) {
			oom = 1;
			break;
		}
		if (!(qty > 0) || !(list > 0))
			continue;
		rate = llround(list / qty);
		i = find_in(b->c, b->c->n, prov, region, type, plat);
		if (i >= 0 && b->c->e[i].currency && strcasecmp(b->c->e[i].currency, cur) == 0) {
			b->c->e[i].on_demand_hourly = rate;
			set_str(&b->c->e[i].od_source, "bill", &oom);
		} else {
			struct catalog_entry *e;
			if (i >= 0) {
				/* another currency: the bill's entry replaces it */
				struct catalog_entry *old = &b->c->e[i];
				free(old->offers);
				old->offers = NULL;
				old->noffers = 0;
				set_str(&old->currency, cur, &oom);
				set_str(&old->offer_source, "bill", &oom);
				set_str(&old->sp_source, "bill", &oom);
				e = old;
			} else {
				e = new_entry(b->c, prov, region, type, plat, cur, &oom);
				if (e == NULL)
					break;
				e->offer_source = dup_or_oom("bill", &oom);
				e->sp_source = dup_or_oom("bill", &oom);
			}
			e->on_demand_hourly = rate;
			set_str(&e->od_source, "bill", &oom);
		}
		if (oom)
			break;
	}
	engine_finalize(st);
	if (oom)
		return ic_errorf(err, "out of memory");
	return r < 0 ? -1 : 0;
}

/* The regions of GCP machine usage, whose lines carry no instance type
 * (vCPU and RAM SKUs): their per-unit prices (GCP_UNIT_TYPES in
 * importers/prices.h) are read from the price lists too. */
static int
gcp_regions(struct book *b, struct engine *eng, int64_t start, int64_t end, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(eng,
		"SELECT DISTINCT ProviderName, RegionId FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ChargeCategory = 'Usage'"
		" AND ProviderName IN ('Google Cloud', 'Google Cloud Platform', 'GCP')"
		" AND RegionId IS NOT NULL AND RegionId <> '' ORDER BY ProviderName, RegionId", err);
	int r;

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, start);
	engine_bind_int64(st, 2, end);
	while ((r = engine_step(st, err)) == 1)
		if (add_used(b, engine_column_text(st, 0), engine_column_text(st, 1), "Linux") != 0) {
			engine_finalize(st);
			return ic_errorf(err, "out of memory");
		}
	engine_finalize(st);
	return r < 0 ? -1 : 0;
}

/* ---- 3. imported price lists ---- */

struct plrow {
	int kind;		/* 0 on demand, 1 reserved/subscription, 2 compute SP, 3 instance SP */
	enum commit_term term;
	enum commit_payment pay;
	int64_t upfront, hourly;
};

static int
term_of(const char *t, enum commit_term *out)
{
	for (int i = 0; i < NTERMS; i++)
		if (strcmp(t, commit_term_names[i]) == 0) {
			*out = (enum commit_term)i;
			return 0;
		}
	return -1;
}

static int
pay_of(const char *p, enum commit_payment *out)
{
	for (int i = 0; i < NPAYMENTS; i++)
		if (strcmp(p, commit_payment_names[i]) == 0) {
			*out = (enum commit_payment)i;
			return 0;
		}
	return -1;
}

/* One key's rows into the catalog: on-demand and reserved rows from the
 * newest list of the service's offer (label od_label), savings-plan rows
 * from the newest savings-plans list (sp_label).  Offers of each kind
 * replace the entry's offers of that kind. */
static int
apply_key(struct book *b, const char *prov, const char *region, const char *type,
	  const char *plat, const char *cur, const char *od_label, const char *sp_label,
	  const struct plrow *rows, int n, double vcpu, double mem)
{
	struct catalog_offer *offers = NULL;
	int noff = 0, has_od = 0, has_csp[NTERMS][NPAYMENTS], i, oom = 0, nri = 0, nsp = 0;
	int64_t od = 0;
	struct catalog_entry *e;

	memset(has_csp, 0, sizeof has_csp);
	for (int k = 0; k < n; k++)
		if (rows[k].kind == 2)
			has_csp[rows[k].term][rows[k].pay] = 1;
	i = find_in(b->c, b->base, prov, region, type, plat);
	e = i >= 0 ? &b->c->e[i] : NULL;
	for (int k = 0; k < n; k++)
		has_od |= rows[k].kind == 0;
	if (e && strcasecmp(e->currency, cur) != 0 && !has_od)
		return 0;	/* offers in another currency than the known price */
	if (e == NULL && !has_od)
		return 0;	/* no on-demand price anywhere: unpriced */
	offers = calloc((size_t)n + (e ? (size_t)e->noffers : 0) + 1, sizeof *offers);
	if (offers == NULL)
		return -1;
	for (int k = 0; k < n; k++) {
		const struct plrow *r = &rows[k];
		if (r->kind == 0) {
			od = r->hourly;
			continue;
		}
		if ((r->kind == 3 && has_csp[r->term][r->pay]) || (r->upfront == 0 && r->hourly == 0))
			continue;
		offers[noff].term = r->term;
		offers[noff].payment = r->pay;
		offers[noff].savings_plan = r->kind >= 2;
		offers[noff].upfront = r->upfront;
		offers[noff].hourly = r->hourly;
		nri += r->kind == 1;
		nsp += r->kind >= 2;
		noff++;
	}
	if (e == NULL) {
		e = new_entry(b->c, prov, region, type, plat, cur, &oom);
		if (e == NULL) {
			free(offers);
			return -1;
		}
	} else if (strcasecmp(e->currency, cur) != 0) {
		/* the list's on-demand price is in another currency: its offers only */
		e->noffers = 0;
		set_str(&e->currency, cur, &oom);
		set_str(&e->offer_source, od_label, &oom);
		set_str(&e->sp_source, sp_label, &oom);
	}
	/* keep the entry's offers of the kinds this list does not have */
	for (int k = 0; k < e->noffers; k++)
		if (e->offers[k].savings_plan ? nsp == 0 : nri == 0)
			offers[noff++] = e->offers[k];
	free(e->offers);
	e->offers = offers;
	e->noffers = noff;
	if (has_od) {
		e->on_demand_hourly = od;
		set_str(&e->od_source, od_label, &oom);
	}
	if (nri > 0 || e->offer_source == NULL)
		set_str(&e->offer_source, nri > 0 ? od_label : "none", &oom);
	if (nsp > 0 || e->sp_source == NULL)
		set_str(&e->sp_source, nsp > 0 ? sp_label : "none", &oom);
	if (vcpu > 0 && e->vcpu <= 0)
		e->vcpu = vcpu;
	if (mem > 0 && e->memory_gib <= 0)
		e->memory_gib = mem;
	return oom ? -1 : 0;
}

static int
used_platform(const struct book *b, const char *prov_folded, const char *region, const char *plat)
{
	char f[64];

	catalog_fold_platform(plat, f, sizeof f);
	for (int i = 0; i < b->nu; i++)
		if (strcmp(b->u[i].provider, prov_folded) == 0 && strcmp(b->u[i].region, region) == 0 &&
		    strcmp(b->u[i].platform, f) == 0)
			return 1;
	return 0;
}

/* "FILE (published DATE)" of the list of the current row */
static void
list_label(const struct engine_stmt *st, char *label, size_t n)
{
	const char *pub = engine_column_text(st, 12);
	const char *path = engine_column_text(st, 13);
	const char *at = engine_column_text(st, 14);
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path ? path : "?";
	if (pub && *pub)
		snprintf(label, n, "%.*s (published %.10s)", (int)str_fit(base, strlen(base), 200), base,
			 pub);	/* cut at a character: labels go into JSON */
	else
		snprintf(label, n, "%.*s (imported %.10s)", (int)str_fit(base, strlen(base), 200), base,
			 at ? at : "?");
}

static int
price_lists(struct book *b, struct engine *db, struct ic_error *err)
{
	struct engine_stmt *st;
	struct plrow *rows = NULL;
	int nrows = 0, caprows = 0, r, rc = -1;
	char key[512] = "", label[320] = "", od_label[320] = "", sp_label[320] = "", cur[16] = "", prov[32] = "", region[64] = "",
	     type[64] = "", plat[96] = "";
	int64_t list = -1;
	double vcpu = 0, mem = 0;
	char offer[64] = "";

	st = engine_prepare(db,
		"SELECT p.provider, p.region, p.instance_type, p.platform, p.kind, p.term, p.payment,"
		" p.offering_class, p.currency, p.upfront_nanos, p.hourly_nanos, l.id, l.publication,"
		" i.path, i.imported_at, t.vcpu, t.memory_gib, l.offer"
		" FROM prices p JOIN price_lists l ON l.id = p.list_id AND l.replaced_by IS NULL"
		" JOIN imports i ON i.id = l.import_id"
		" LEFT JOIN instance_types t ON t.provider = p.provider AND t.instance_type = p.instance_type"
		" WHERE p.region = ?"
		" ORDER BY p.provider, p.instance_type, p.platform, p.currency, l.offer,"
		" l.publication DESC, l.id DESC",
		err);
	if (st == NULL)
		return -1;
	for (int u = 0; u < b->nu; u++) {
		int dup = 0;
		for (int v = 0; v < u; v++)
			dup |= strcmp(b->u[v].region, b->u[u].region) == 0;
		if (dup)
			continue;
		engine_reset(st);
		engine_bind_text(st, 1, b->u[u].region);
		key[0] = '\0';
		nrows = 0;
		for (;;) {
			const char *p, *rg, *ty, *pl, *kind, *term, *pay, *oc, *cu;
			char fp[32], k[512];
			struct plrow row;

			r = engine_step(st, err);
			if (r == 1) {
				p = engine_column_text(st, 0);
				rg = engine_column_text(st, 1);
				ty = engine_column_text(st, 2);
				pl = engine_column_text(st, 3);
				cu = engine_column_text(st, 8);
				catalog_fold_provider(p, fp, sizeof fp);
				snprintf(k, sizeof k, "%s|%s|%s|%s", fp, ty, pl, cu);
			} else {
				k[0] = '\0';
				p = rg = ty = pl = cu = NULL;
			}
			if (strcmp(k, key) != 0) {
				/* the previous key is complete */
				if (key[0] && nrows > 0 &&
				    apply_key(b, prov, region, type, plat, cur, od_label, sp_label, rows, nrows,
					      vcpu, mem) != 0) {
					ic_errorf(err, "out of memory");
					goto out;
				}
				nrows = 0;
				snprintf(key, sizeof key, "%s", k);
				if (r != 1)
					break;
				if (!used_platform(b, fp, rg, pl)) {
					list = -2;	/* skip this key */
					continue;
				}
				snprintf(prov, sizeof prov, "%s", p);
				snprintf(region, sizeof region, "%s", rg);
				snprintf(type, sizeof type, "%s", ty);
				snprintf(plat, sizeof plat, "%s", pl);
				snprintf(cur, sizeof cur, "%s", cu);
				list = engine_column_int64(st, 11);
				snprintf(offer, sizeof offer, "%s", engine_column_text(st, 17));
				list_label(st, label, sizeof label);
				od_label[0] = sp_label[0] = '\0';
				vcpu = engine_column_double(st, 15);
				mem = engine_column_double(st, 16);
			} else if (r != 1) {
				break;
			}
			if (list == -2)
				continue;
			if (strcmp(engine_column_text(st, 17), offer) != 0) {
				/* the newest list of the key's next offer (savings
				 * plans after the service's offer) */
				snprintf(offer, sizeof offer, "%s", engine_column_text(st, 17));
				list = engine_column_int64(st, 11);
				list_label(st, label, sizeof label);
			}
			if (engine_column_int64(st, 11) != list)
				continue;	/* an older list of the same key and offer */
			kind = engine_column_text(st, 4);
			term = engine_column_text(st, 5);
			pay = engine_column_text(st, 6);
			oc = engine_column_text(st, 7);
			memset(&row, 0, sizeof row);
			if (strcmp(kind, "on_demand") == 0)
				row.kind = 0;
			else if (strcmp(kind, "reserved") == 0 || strcmp(kind, "subscription") == 0)
				row.kind = 1;
			else if (strcmp(kind, "compute_savings_plan") == 0)
				row.kind = 2;
			else if (strcmp(kind, "savings_plan") == 0)
				row.kind = 3;
			else
				continue;
			if (row.kind != 0 && (term_of(term, &row.term) != 0 || pay_of(pay, &row.pay) != 0))
				continue;	/* a term the analyses do not weigh */
			if (row.kind == 1 && strcmp(oc, "convertible") == 0)
				continue;	/* standard reservations only */
			snprintf(row.kind >= 2 ? sp_label : od_label, sizeof label, "%s", label);
			row.upfront = engine_column_int64(st, 9);
			row.hourly = engine_column_int64(st, 10);
			if (nrows == caprows) {
				int cap = caprows ? caprows * 2 : 32;
				struct plrow *nr = realloc(rows, (size_t)cap * sizeof *nr);
				if (nr == NULL) {
					ic_errorf(err, "out of memory");
					goto out;
				}
				rows = nr;
				caprows = cap;
			}
			rows[nrows++] = row;
		}
		if (r != 0)
			goto out;	/* err set by engine_step */
	}
	rc = 0;
out:
	engine_finalize(st);
	free(rows);
	return rc;
}

/* vCPU and memory from the price lists' instance_types for the entries
 * that have none (the bill's rates, built-in entries without them), so
 * rightsizing can weigh them */
static int
fill_sizes(struct catalog *c, struct engine *db, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(db,
		"SELECT vcpu, memory_gib FROM instance_types WHERE lower(provider) = ? AND instance_type = ?"
		" AND vcpu > 0", err);

	if (st == NULL)
		return -1;
	for (int i = 0; i < c->n; i++) {
		struct catalog_entry *e = &c->e[i];
		char p[32];
		if (e->vcpu > 0)
			continue;
		engine_reset(st);
		engine_bind_text(st, 1, catalog_fold_provider(e->provider, p, sizeof p));
		engine_bind_text(st, 2, e->instance_type);
		if (engine_step(st, NULL) == 1) {
			e->vcpu = engine_column_double(st, 0);
			e->memory_gib = engine_column_double(st, 1);
		}
	}
	engine_finalize(st);
	return 0;
}

static int
has_price_tables(struct engine *db)
{
	struct engine_stmt *st = engine_prepare(db,
		"SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'prices'", NULL);
	int ok = 0;

	if (st)
		ok = engine_step(st, NULL) == 1;
	engine_finalize(st);
	return ok;
}

/* The SQLite database at db_path opened read-only as an engine (caller
 * closes with engine_close), or NULL when it cannot be read. */
static struct engine *
open_lists(const char *db_path)
{
	char url[4200];
	struct ic_error e2;

	memset(&e2, 0, sizeof e2);
	if ((size_t)snprintf(url, sizeof url, "sqlite:%s", db_path) >= sizeof url)
		return NULL;
	return engine_open(url, DB_READ, &e2);
}

/* The price lists of db_path (or eng's own SQLite database) for the
 * combinations in b->u, over b->c.  Returns 0 or -1 with err set. */
static int
load_lists(struct book *b, struct engine *eng, const char *db_path, struct ic_error *err)
{
	struct engine *db = NULL;
	int rc = 0;

	if (db_path == NULL || b->nu == 0 || access(db_path, F_OK) != 0)
		return 0;
	if (eng && engine_kind(eng) == ENGINE_SQLITE)
		db = eng;
	if (db == NULL) {
		db = open_lists(db_path);
		if (db && has_price_tables(db) &&
		    (price_lists(b, db, err) != 0 || fill_sizes(b->c, db, err) != 0))
			rc = -1;
		engine_close(db);
	} else if (has_price_tables(db) &&
		   (price_lists(b, db, err) != 0 || fill_sizes(b->c, db, err) != 0)) {
		rc = -1;
	}
	return rc;
}

int
pricebook_build_for(struct catalog *c, const char *db_path, const char *const *providers,
		    const char *const *regions, int n, struct ic_error *err)
{
	struct book b;
	int rc = -1;

	memset(&b, 0, sizeof b);
	b.c = c;
	if (catalog_load_builtin(c, err) != 0)
		return -1;
	if (catalog_label(c, "built-in") != 0)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < n; i++)
		if (add_used(&b, providers[i], regions[i], "Linux") != 0) {
			ic_errorf(err, "out of memory");
			goto out;
		}
	b.base = c->n;
	rc = load_lists(&b, NULL, db_path, err);
out:
	free(b.u);
	return rc;
}

int
pricebook_build(struct catalog *c, struct engine *eng, int64_t start, int64_t end,
		const char *db_path, const char *const *pricing, int npricing,
		struct ic_error *err)
{
	struct book b;
	int rc = -1;

	memset(&b, 0, sizeof b);
	b.c = c;
	if (catalog_load_builtin(c, err) != 0)
		return -1;
	if (catalog_label(c, "built-in") != 0)
		return ic_errorf(err, "out of memory");
	if (eng && (bill_rates(&b, eng, start, end, err) != 0 ||
		    gcp_regions(&b, eng, start, end, err) != 0))
		goto out;
	b.base = c->n;
	if (load_lists(&b, eng, db_path, err) != 0)
		goto out;
	for (int i = 0; i < npricing; i++) {
		char label[300];
		if (catalog_merge_file(c, pricing[i], err) != 0)
			goto out;
		snprintf(label, sizeof label, "--pricing %s", pricing[i]);
		if (catalog_label(c, label) != 0) {
			ic_errorf(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	free(b.u);
	return rc;
}

long
pricebook_list_count(struct engine *eng, const char *db_path)
{
	struct engine *db = NULL, *own = NULL;
	struct engine_stmt *st = NULL;
	long n = -1;

	if (eng && engine_kind(eng) == ENGINE_SQLITE)
		db = eng;
	if (db == NULL) {
		if (db_path == NULL || access(db_path, F_OK) != 0)
			return -1;
		db = own = open_lists(db_path);
		if (db == NULL)
			return -1;
	}
	if (!has_price_tables(db))
		n = 0;
	else if ((st = engine_prepare(db, "SELECT COUNT(*) AS n FROM price_lists WHERE replaced_by IS NULL",
				      NULL)) != NULL && engine_step(st, NULL) == 1)
		n = (long)engine_column_int64(st, 0);
	engine_finalize(st);
	engine_close(own);
	return n;
}

char *
pricebook_fix(const char *provider, const char *region, const char *type, char *buf, size_t n)
{
	char p[32];

	catalog_fold_provider(provider, p, sizeof p);
	if (region == NULL)
		region = "REGION";
	if (strcmp(p, "aws") == 0)
		snprintf(buf, n, "curl -O https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/"
			 "current/%s/index.csv && imcost import index.csv", region);
	else if (strcmp(p, "azure") == 0)
		snprintf(buf, n, "curl -o azure.json \"https://prices.azure.com/api/retail/prices?"
			 "api-version=2023-01-01-preview&$filter=armRegionName eq '%s' and armSkuName eq '%s'\""
			 " && imcost import azure.json", region, type ? type : "SKU");
	else if (strcmp(p, "gcp") == 0)
		snprintf(buf, n, "curl -o skus.json \"https://cloudbilling.googleapis.com/v1/services/"
			 "6F81-5844-456A/skus?key=API_KEY&pageSize=5000\" && imcost import skus.json");
	else
		snprintf(buf, n, "imcost import prices.csv (a price table like data/prices-example-cn.csv:"
			 " %s has no public price list file) or analyze --pricing FILE",
			 provider ? provider : "this provider");
	return buf;
}
