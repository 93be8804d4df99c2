/*
 * slice.c - the keys, filters and day bounds of --group-by / --filter /
 * --since / --until, and the SQL that applies them (see slice.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/slice.h"
#include "common/engine.h"
#include "common/suggest.h"
#include "common/tags.h"
#include "common/timeparse.h"

static const char *const dim_names[NSLICE_DIMS] = {
	"service", "account", "region", "provider", "category", "resource", "tag:NAME"
};

/* The SQL of each key's value, over charge_dims d and resources r
 * (SLICE_DIMS_JOIN; tags: the tag store t, SLICE_TAG_ROWS). */
static const char *const dim_expr[NSLICE_DIMS] = {
	"d.ServiceName", "COALESCE(d.SubAccountId, d.BillingAccountId)", "d.RegionId",
	"d.ProviderName", "d.ChargeCategory", "r.ResourceId", "t.value"
};

/* The same over a remote engine's charges (a tag: $tag, slice_key_expr). */
static const char *const remote_expr[SD_TAG] = {
	"ServiceName", "COALESCE(SubAccountId, BillingAccountId)", "RegionId",
	"ProviderName", "ChargeCategory", "ResourceId"
};

int
slice_key_parse(const char *s, struct slice_key *k, char *msg, size_t size)
{
	size_t idx[3], n;

	memset(k, 0, sizeof *k);
	snprintf(k->label, sizeof k->label, "%s", s);
	if (strncmp(s, "tag:", 4) == 0) {
		size_t len = strlen(s + 4);

		if (len == 0 || tag_key_fold(s + 4, len, 0, k->fold, sizeof k->fold) == (size_t)-1 ||
		    k->fold[0] == '\0') {
			snprintf(msg, size, "'%s': a tag key wants a name after tag: (at most %zu"
				 " bytes), e.g. tag:team", s, sizeof k->fold - 1);
			return -1;
		}
		k->dim = SD_TAG;
		return 0;
	}
	for (int i = 0; i < SD_TAG; i++)
		if (strcmp(s, dim_names[i]) == 0) {
			k->dim = (enum slice_dim)i;
			return 0;
		}
	n = suggest_nearest(s, dim_names, NSLICE_DIMS, idx, 1);
	snprintf(msg, size, "unknown key '%s'%s%s%s (keys: service, account, region, provider,"
		 " category, resource, tag:NAME)", s, n ? " (did you mean " : "",
		 n ? dim_names[idx[0]] : "", n ? "?)" : "");
	return -1;
}

int
slice_filter_add(struct slice *sl, const char *s, char *msg, size_t size)
{
	const char *eq = strchr(s, '=');
	struct slice_filter *f;
	char key[200];
	size_t klen;
	int neg;

	if (sl->nf == SLICE_MAX_FILTERS) {
		snprintf(msg, size, "at most %d --filter", SLICE_MAX_FILTERS);
		return -1;
	}
	if (eq == NULL || eq == s) {
		snprintf(msg, size, "--filter wants KEY=VALUE or KEY!=VALUE, not '%s'", s);
		return -1;
	}
	neg = eq[-1] == '!';
	klen = (size_t)(eq - s) - (size_t)neg;
	if (klen == 0 || klen >= sizeof key) {
		snprintf(msg, size, "--filter wants KEY=VALUE or KEY!=VALUE, not '%s'", s);
		return -1;
	}
	memcpy(key, s, klen);
	key[klen] = '\0';
	f = &sl->f[sl->nf];
	if (slice_key_parse(key, &f->key, msg, size) != 0)
		return -1;
	f->neg = neg;
	f->value = eq + 1;
	sl->nf++;
	return 0;
}

int
slice_day_parse(const char *s, int64_t *t)
{
	int64_t v;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    time_parse(s, 10, 0, &v) != NUM_OK)
		return -1;
	*t = v;
	return 0;
}

int
slice_restricts(const struct slice *sl)
{
	return sl != NULL && (sl->nf > 0 || sl->since != 0 || sl->until != 0);
}

/* ---- a growable string ---- */

struct sb {
	char *s;
	size_t n, cap;
	int failed;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *m = realloc(b->s, cap);
		if (m == NULL) {
			b->failed = 1;
			return;
		}
		b->s = m;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* s as an SQL string literal ('' for '). */
static void
sb_quote(struct sb *b, const char *s)
{
	sb_add(b, "'", 1);
	for (const char *p = s; *p; p++) {
		sb_add(b, p, 1);
		if (*p == '\'')
			sb_add(b, "'", 1);
	}
	sb_add(b, "'", 1);
}

static char *
sb_take(struct sb *b)
{
	if (b->failed) {
		free(b->s);
		return NULL;
	}
	if (b->s == NULL)
		return strdup("");
	return b->s;
}

/* $str(HEX) of s: a remote engine's literal (engine.h) */
static void
sb_hexlit(struct sb *b, const char *macro, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	sb_str(b, macro);
	sb_str(b, "(");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char x[2] = { hex[*p >> 4], hex[*p & 15] };
		sb_add(b, x, 2);
	}
	sb_str(b, ")");
}

/* The value of key k on a remote engine's charge */
static void
remote_key(struct sb *b, const struct slice_key *k)
{
	if (k->dim == SD_TAG)
		sb_hexlit(b, "$tag", k->fold);
	else
		sb_str(b, remote_expr[k->dim]);
}

/* " AND <each filter>" over a remote engine's charges */
static void
remote_filters(struct sb *b, const struct slice *sl)
{
	for (int i = 0; i < sl->nf; i++) {
		const struct slice_filter *f = &sl->f[i];

		/* a charge without the key is != any value (SQL's IS NOT) */
		sb_str(b, f->neg ? " AND (" : " AND ");
		remote_key(b, &f->key);
		if (f->neg) {
			sb_str(b, " IS NULL OR ");
			remote_key(b, &f->key);
			sb_str(b, " <> ");
		} else {
			sb_str(b, " = ");
		}
		sb_hexlit(b, "$str", f->value);
		if (f->neg)
			sb_str(b, ")");
	}
}

/* The remote engines' stand-in for SLICE_TABLE: the charges of the slice
 * with the columns of rollup_daily and rollup_resource the summary reads,
 * one row per charge (remote engines keep no temporary tables between
 * queries; their rollups are views over the charges anyway). */
static void
remote_source(struct sb *b, const struct slice *sl)
{
	char x[64];

	sb_str(b, "(SELECT BillingPeriodStart, ChargePeriodStart - ChargePeriodStart % 86400 AS day,"
	       " 1 AS rows, BilledCostNanos, EffectiveCostNanos, BillingCurrency, ProviderName,"
	       " ServiceName, SubAccountId, BillingAccountId, RegionId, ChargeCategory, ResourceId,"
	       " TagKeys, TagValues FROM charges WHERE 1 = 1");
	if (sl->since) {
		snprintf(x, sizeof x, " AND ChargePeriodStart >= %lld", (long long)sl->since);
		sb_str(b, x);
	}
	if (sl->until) {
		snprintf(x, sizeof x, " AND ChargePeriodStart < %lld", (long long)sl->until);
		sb_str(b, x);
	}
	remote_filters(b, sl);
	sb_str(b, ") AS sliced");
}

/* " AND <f.ChargePeriodStart within the days>" */
static void
day_bounds(struct sb *b, const struct slice *sl)
{
	char x[64];

	if (sl->since) {
		snprintf(x, sizeof x, " AND f.ChargePeriodStart >= %lld", (long long)sl->since);
		sb_str(b, x);
	}
	if (sl->until) {
		snprintf(x, sizeof x, " AND f.ChargePeriodStart < %lld", (long long)sl->until);
		sb_str(b, x);
	}
}

/* " AND <each filter>" over charge_dims d, resources r and the tag set
 * f.tag_set_id */
static void
dim_filters(struct sb *b, const struct slice *sl)
{
	for (int i = 0; i < sl->nf; i++) {
		const struct slice_filter *f = &sl->f[i];

		if (f->key.dim == SD_TAG) {
			/* a charge without the tag is != any value */
			sb_str(b, f->neg ? " AND NOT EXISTS(" : " AND EXISTS(");
			sb_str(b, "SELECT 1 FROM " SLICE_TAG_ROWS " x WHERE x.key_fold = ");
			sb_quote(b, f->key.fold);
			sb_str(b, " AND x.tag_set_id = f.tag_set_id AND x.value = ");
			sb_quote(b, f->value);
			sb_str(b, ")");
		} else {
			sb_str(b, " AND ");
			sb_str(b, dim_expr[f->key.dim]);
			sb_str(b, f->neg ? " IS NOT " : " IS ");
			sb_quote(b, f->value);
		}
	}
}

char *
slice_temp_sql(const struct slice *sl, int64_t start, int64_t end)
{
	struct sb b = { 0 };
	char x[128];

	snprintf(x, sizeof x, "f.BillingPeriodStart >= %lld AND f.BillingPeriodStart < %lld",
		 (long long)start, (long long)end);
	if (slice_restricts(sl)) {
		/* the narrow facts summed per dims row, billing period and day
		 * first (one pass), then their texts, filtered per dims row */
		sb_str(&b, "DROP TABLE IF EXISTS temp." SLICE_TABLE "; CREATE TEMP TABLE "
		       SLICE_TABLE " AS SELECT f.dim_id AS dim_id, f.resource_id AS resource_id,"
		       " f.tag_set_id AS tag_set_id,"
		       " f.BillingPeriodStart AS BillingPeriodStart, f.day AS day, f.rows AS rows,"
		       " f.billed AS BilledCostNanos, f.eff AS EffectiveCostNanos,"
		       " d.BillingCurrency AS BillingCurrency, d.ProviderName AS ProviderName,"
		       " d.ServiceName AS ServiceName, d.SubAccountId AS SubAccountId,"
		       " d.BillingAccountId AS BillingAccountId, d.RegionId AS RegionId,"
		       " d.ChargeCategory AS ChargeCategory, r.ResourceId AS ResourceId"
		       " FROM (SELECT f.dim_id AS dim_id, f.resource_id AS resource_id,"
		       " f.tag_set_id AS tag_set_id, f.BillingPeriodStart AS BillingPeriodStart,"
		       " f.ChargePeriodStart - f.ChargePeriodStart % 86400 AS day, COUNT(*) AS rows,"
		       " SUM(f.BilledCostNanos) AS billed, SUM(f.EffectiveCostNanos) AS eff"
		       " FROM charge_facts f WHERE ");
		sb_str(&b, x);
		day_bounds(&b, sl);
		sb_str(&b, " GROUP BY f.dim_id, f.resource_id, f.tag_set_id, f.BillingPeriodStart, day) f"
		       SLICE_DIMS_JOIN("f") " WHERE 1 = 1");
		dim_filters(&b, sl);
		sb_str(&b, ";");
	}
	if (sl->group) {
		/* the groups: the charges summed per dims row */
		sb_str(&b, "DROP TABLE IF EXISTS temp." SLICE_DIMS "; CREATE TEMP TABLE " SLICE_DIMS
		       " AS SELECT dim_id, resource_id, tag_set_id, SUM(BilledCostNanos) AS billed,"
		       " SUM(EffectiveCostNanos) AS eff FROM ");
		if (slice_restricts(sl)) {
			sb_str(&b, "temp." SLICE_TABLE);
		} else {
			sb_str(&b, "charge_facts f WHERE ");
			sb_str(&b, x);
		}
		sb_str(&b, " GROUP BY dim_id, resource_id, tag_set_id;");
	}
	return sb_take(&b);
}

char *
slice_sql(const struct slice *sl, int remote, const char *sql)
{
	static const char *const from[] = { "FROM rollup_daily", "FROM rollup_resource" };
	struct sb out = { 0 }, src = { 0 };
	const char *p = sql, *to = "FROM temp." SLICE_TABLE;

	if (!slice_restricts(sl))
		return strdup(sql);
	if (remote) {
		sb_str(&src, "FROM ");
		remote_source(&src, sl);
		if (src.failed)
			return NULL;
		to = src.s;
	}
	for (;;) {
		const char *hit = NULL;
		size_t hl = 0;

		for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
			const char *h = strstr(p, from[i]);
			if (h && (hit == NULL || h < hit)) {
				hit = h;
				hl = strlen(from[i]);
			}
		}
		if (hit == NULL)
			break;
		sb_add(&out, p, (size_t)(hit - p));
		sb_str(&out, to);
		p = hit + hl;
	}
	sb_str(&out, p);
	free(src.s);
	return sb_take(&out);
}

/* slice_group_sql on a remote engine: straight over the charges */
static char *
remote_group_sql(const struct slice *sl, int untagged, int64_t start, int64_t end)
{
	struct sb b = { 0 }, k = { 0 };
	char x[128];

	if (untagged)
		sb_str(&k, "ResourceId");
	else
		remote_key(&k, &sl->group_by);
	if (k.failed)
		return NULL;
	sb_str(&b, "SELECT BillingCurrency AS cur, ");
	sb_str(&b, k.s);
	sb_str(&b, " AS grp, SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM ");
	if (slice_restricts(sl))
		remote_source(&b, sl);
	else
		sb_str(&b, "charges");
	snprintf(x, sizeof x, " WHERE BillingPeriodStart >= %lld AND BillingPeriodStart < %lld",
		 (long long)start, (long long)end);
	sb_str(&b, x);
	if (untagged) {
		sb_str(&b, " AND ");
		remote_key(&b, &sl->group_by);
		sb_str(&b, " IS NULL AND ResourceId IS NOT NULL");
	}
	sb_str(&b, " GROUP BY BillingCurrency, ");
	sb_str(&b, k.s);
	/* SQLite's order: NULL (no such key) first among equal costs */
	sb_str(&b, " ORDER BY eff DESC, grp NULLS FIRST");
	free(k.s);
	return sb_take(&b);
}

char *
slice_group_sql(const struct slice *sl, int remote, int untagged, int64_t start, int64_t end)
{
	struct sb b = { 0 };
	const char *k = untagged ? "r.ResourceId" : dim_expr[sl->group_by.dim];

	if (remote)
		return remote_group_sql(sl, untagged, start, end);
	sb_str(&b, "SELECT d.BillingCurrency AS cur, ");
	sb_str(&b, k);
	sb_str(&b, " AS grp, SUM(a.billed) AS billed, SUM(a.eff) AS eff FROM temp." SLICE_DIMS
	       " a" SLICE_DIMS_JOIN("a"));
	if (sl->group_by.dim == SD_TAG) {
		sb_str(&b, " LEFT JOIN " SLICE_TAG_ROWS " t ON t.key_fold = ");
		sb_quote(&b, sl->group_by.fold);
		sb_str(&b, " AND t.tag_set_id = a.tag_set_id");
	}
	if (untagged)
		sb_str(&b, " WHERE t.tag_set_id IS NULL AND r.ResourceId IS NOT NULL");
	sb_str(&b, " GROUP BY d.BillingCurrency, ");
	sb_str(&b, k);
	sb_str(&b, " ORDER BY eff DESC, grp");
	return sb_take(&b);
}

char *
slice_values_sql(const struct slice_key *k, int remote)
{
	static const char *const local[SD_TAG] = {
		"SELECT DISTINCT ServiceName FROM charge_dims",
		"SELECT DISTINCT COALESCE(SubAccountId, BillingAccountId) FROM charge_dims",
		"SELECT DISTINCT RegionId FROM charge_dims",
		"SELECT DISTINCT ProviderName FROM charge_dims",
		"SELECT DISTINCT ChargeCategory FROM charge_dims",
		"SELECT DISTINCT ResourceId FROM resources",
	};
	struct sb b = { 0 };

	if (k == NULL) {
		sb_str(&b, remote ? "SELECT DISTINCT $unnest(TagKeys) AS k FROM charges" :
		       "SELECT DISTINCT key_fold FROM " SLICE_TAG_ROWS " t");
	} else if (!remote && k->dim != SD_TAG) {
		sb_str(&b, local[k->dim]);
	} else if (!remote) {
		sb_str(&b, "SELECT DISTINCT value FROM " SLICE_TAG_ROWS " t WHERE key_fold = ");
		sb_quote(&b, k->fold);
	} else {
		sb_str(&b, "SELECT DISTINCT ");
		remote_key(&b, k);
		sb_str(&b, " AS v FROM charges");
	}
	return sb_take(&b);
}

void
slice_describe(const struct slice *sl, char *buf, size_t size)
{
	size_t o = 0;
	char d[32];

	buf[0] = '\0';
#define ADD(...) do { if (o < size) o += (size_t)snprintf(buf + o, size - o, __VA_ARGS__); } while (0)
	for (int i = 0; i < sl->nf; i++)
		ADD("%s%s%s%s", o ? ", " : "", sl->f[i].key.label, sl->f[i].neg ? "!=" : "=",
		    sl->f[i].value);
	if (sl->since)
		ADD("%ssince %s", o ? ", " : "", date_format(sl->since, d));
	if (sl->until)
		ADD("%suntil %s (exclusive)", o ? ", " : "", date_format(sl->until, d));
#undef ADD
}


/* The distinct values of sql's first column into a NULL-terminated array
 * (at most 20000; caller frees each and the array).  NULL with err set. */
static char **
distinct(struct engine *eng, const char *sql, const char *bind, size_t *n, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(eng, sql, err);
	char **v = NULL;
	size_t cap = 0;
	int r;

	*n = 0;
	if (st == NULL)
		return NULL;
	if (bind)
		engine_bind_text(st, 1, bind);
	while ((r = engine_step(st, err)) == 1 && *n < 20000) {
		const char *s = engine_column_text(st, 0);
		if (s == NULL)
			continue;
		if (*n + 2 > cap) {
			char **m = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *m);
			if (m == NULL) {
				r = -2;
				break;
			}
			v = m;
		}
		if ((v[*n] = strdup(s)) == NULL) {
			r = -2;
			break;
		}
		(*n)++;
	}
	engine_finalize(st);
	if (v == NULL && r >= 0)
		v = calloc(1, sizeof *v);
	if (r == -2 || v == NULL) {
		ic_errorf(err, "out of memory");
		r = -1;
	} else {
		v[*n] = NULL;
	}
	if (r < 0) {
		for (size_t k = 0; v && k < *n; k++)
			free(v[k]);
		free(v);
		return NULL;
	}
	return v;
}

char **
slice_values(struct engine *eng, const struct slice_key *k, int tag_keys, size_t *n,
	     struct ic_error *err)
{
	char *sql = slice_values_sql(k->dim == SD_TAG && tag_keys ? NULL : k,
				     engine_kind(eng) != ENGINE_SQLITE);
	char **v;

	if (sql == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	v = distinct(eng, sql, NULL, n, err);
	free(sql);
	return v;
}

void
slice_values_free(char **v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		free(v[k]);
	free(v);
}
