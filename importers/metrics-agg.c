/*
 * metrics-agg.c - the hourly aggregation of usage samples (see metrics.h):
 * names and resource ids interned, samples bucketed per resource, metric
 * and UTC hour (spilled to a sorted run when the table fills), and the
 * hours handed on in order at the end with the warnings.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/importer.h"
#include "importers/metrics.h"
#include "importers/metrics-int.h"

/* ---- interned strings ---- */

struct itab {
	char **s;
	size_t *len;
	uint32_t n, cap;
	uint32_t *slot;		/* index + 1, 0 empty */
	uint32_t nslot;
};

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void
itab_free(struct itab *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->len);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* index of s in t, or -1 */
static long
itab_find(const struct itab *t, const char *s, size_t n)
{
	if (t->nslot == 0)
		return -1;
	for (uint32_t i = (uint32_t)hash_bytes(s, n) & (t->nslot - 1);; i = (i + 1) & (t->nslot - 1)) {
		uint32_t v = t->slot[i];
		if (v == 0)
			return -1;
		if (t->len[v - 1] == n && memcmp(t->s[v - 1], s, n) == 0)
			return (long)(v - 1);
	}
}

/* add s (not present); its index, or -1 out of memory */
static long
itab_add(struct itab *t, const char *s, size_t n)
{
	if (t->n + 1 > t->nslot / 2) {
		uint32_t ns = t->nslot ? t->nslot * 2 : 64;
		uint32_t *sl = calloc(ns, sizeof *sl);
		if (sl == NULL)
			return -1;
		for (uint32_t k = 0; k < t->n; k++) {
			uint32_t i = (uint32_t)hash_bytes(t->s[k], t->len[k]) & (ns - 1);
			while (sl[i])
				i = (i + 1) & (ns - 1);
			sl[i] = k + 1;
		}
		free(t->slot);
		t->slot = sl;
		t->nslot = ns;
	}
	if (t->n == t->cap) {
		uint32_t c = t->cap ? t->cap * 2 : 32;
		char **ss = realloc(t->s, c * sizeof *ss);
		if (ss == NULL)
			return -1;
		t->s = ss;
		size_t *ll = realloc(t->len, c * sizeof *ll);
		if (ll == NULL)
			return -1;
		t->len = ll;
		t->cap = c;
	}
	char *copy = malloc(n + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, n);
	copy[n] = '\0';
	t->s[t->n] = copy;
	t->len[t->n] = n;
	uint32_t i = (uint32_t)hash_bytes(s, n) & (t->nslot - 1);
	while (t->slot[i])
		i = (i + 1) & (t->nslot - 1);
	t->slot[i] = t->n + 1;
	return (long)t->n++;
}

/* ---- aggregation ---- */

#ifndef METRICS_MAX_BUCKETS
#define METRICS_MAX_BUCKETS (1u << 19)
#endif

struct bucket {
	uint32_t res, src;
	int64_t hour;
	double sum, max;
	uint32_t n;
};

/* a metric as the file names it (with its statistic) */
struct src {
	int alias;		/* metric_aliases index, -1 unknown */
	int canon;		/* metric_canons index, -1 unknown */
	char *unit;		/* unknown names: the first sample's unit */
	long samples;
};

struct metrics_agg {
	sqlite3 *db;
	struct itab res;	/* resource ids as stored */
	struct itab given;	/* resource ids as the file gives them */
	uint32_t *given_res;	/* given -> res */
	uint32_t given_cap;
	struct itab names;	/* file names (+ "\x1f" statistic) -> src */
	struct src *src;
	uint32_t nsrc_cap;
	/* bill resources: key -> id (NULL when two ids share a key) */
	struct itab bill_keys;
	char **bill_id;
	int bill_loaded;
	long unmatched;
	char *unmatched_example;
	struct bucket *b;
	uint32_t nb, bcap;
	uint32_t *slot;
	uint32_t nslot;
	long spilled;		/* buckets written to temp.metrics_spill */
	uint32_t max_buckets;	/* METRICS_MAX_BUCKETS, or IMCOST_METRICS_MAX_BUCKETS */
	sqlite3_stmt *spill;
	long samples;
	/* the last resource and name seen */
	long last_res, last_src;
	char last_res_text[256];
	size_t last_res_len;
	/* the last names seen (a file cycles through a few) */
	struct name_memo {
		char text[120];
		size_t len;		/* (size_t)-1: empty */
		long src;
	} names_memo[8];
	unsigned names_next;
	/* the last bucket of each series (direct-mapped by resource and name) */
	struct series_memo {
		uint32_t res, src, bucket;	/* bucket + 1, 0 empty */
	} series[1024];
};

struct metrics_agg *
metrics_agg_new(sqlite3 *db)
{
	struct metrics_agg *a = calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	a->db = db;
	a->last_res = a->last_src = -1;
	for (int i = 0; i < 8; i++)
		a->names_memo[i].len = (size_t)-1;
	a->max_buckets = METRICS_MAX_BUCKETS;
	{
		/* a smaller bound for the tests of the spill path */
		const char *e = getenv("IMCOST_METRICS_MAX_BUCKETS");
		long v = e ? atol(e) : 0;
		if (v >= 4096 && v < (long)METRICS_MAX_BUCKETS)
			a->max_buckets = (uint32_t)v;
	}
	return a;
}

void
metrics_agg_free(struct metrics_agg *a)
{
	if (a == NULL)
		return;
	itab_free(&a->res);
	itab_free(&a->given);
	free(a->given_res);
	for (uint32_t i = 0; i < a->names.n; i++)
		free(a->src[i].unit);
	itab_free(&a->names);
	for (uint32_t i = 0; i < a->bill_keys.n; i++)
		free(a->bill_id[i]);
	itab_free(&a->bill_keys);
	free(a->bill_id);
	free(a->src);
	free(a->b);
	free(a->slot);
	free(a->unmatched_example);
	sqlite3_finalize(a->spill);
	if (a->spilled && a->db)
		sqlite3_exec(a->db, "DROP TABLE IF EXISTS temp.metrics_spill", NULL, NULL, NULL);
	free(a);
}

long
metrics_agg_samples(const struct metrics_agg *a)
{
	return a->samples;
}

/* the bills' resource ids by key (rollup_resource: every charges import
 * keeps it) */
static int
load_bill(struct metrics_agg *a, struct ic_error *err)
{
	sqlite3_stmt *st = NULL;
	char key[512];
	int r;

	a->bill_loaded = 1;
	if (a->db == NULL)
		return 0;
	if (sqlite3_prepare_v2(a->db, "SELECT DISTINCT ResourceId FROM main.rollup_resource"
			       " WHERE ResourceId IS NOT NULL AND ResourceId <> ''", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;	/* no rollup table (an old schema): no mapping */
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		long k;

		metrics_resource_key(id, n, key, sizeof key);
		k = itab_find(&a->bill_keys, key, strlen(key));
		if (k >= 0) {
			if (a->bill_id[k] && strcmp(a->bill_id[k], id) != 0) {
				free(a->bill_id[k]);
				a->bill_id[k] = NULL;	/* ambiguous */
			}
			continue;
		}
		k = itab_add(&a->bill_keys, key, strlen(key));
		if (k < 0)
			goto oom;
		if ((uint32_t)k >= a->bill_keys.n - 1) {
			char **ids = realloc(a->bill_id, a->bill_keys.cap * sizeof *ids);
			if (ids == NULL)
				goto oom;
			a->bill_id = ids;
		}
		a->bill_id[k] = strdup(id);
		if (a->bill_id[k] == NULL)
			goto oom;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return ic_errorf(err, "reading the bills' resource ids: %s", sqlite3_errmsg(a->db));
	return 0;
oom:
	sqlite3_finalize(st);
	return ic_errorf(err, "out of memory");
}

/* the index of a resource, as the bills name it when they do */
static long
resource_index(struct metrics_agg *a, struct str id, struct ic_error *err)
{
	char key[512];
	const char *s = id.s;
	size_t n = id.len;
	long g, k;

	if (a->last_res >= 0 && n == a->last_res_len && memcmp(a->last_res_text, s, n) == 0)
		return a->last_res;
	g = itab_find(&a->given, s, n);
	if (g >= 0) {
		k = a->given_res[g];
	} else {
		long kk;
		if (!a->bill_loaded && load_bill(a, err) != 0)
			return -1;
		metrics_resource_key(s, n, key, sizeof key);
		kk = itab_find(&a->bill_keys, key, strlen(key));
		if (kk >= 0 && a->bill_id[kk]) {
			s = a->bill_id[kk];
			n = strlen(s);
		}
		k = itab_find(&a->res, s, n);
		if (k < 0) {
			k = itab_add(&a->res, s, n);
			if (k < 0)
				return ic_errorf(err, "out of memory");
			if (!(kk >= 0 && a->bill_id[kk]) && a->bill_keys.n > 0 &&
			    !(n == 7 && memcmp(s, "service", 7) == 0)) {
				a->unmatched++;
				if (a->unmatched_example == NULL)
					a->unmatched_example = strdup(a->res.s[k]);
			}
		}
		g = itab_add(&a->given, id.s, id.len);
		if (g < 0)
			return ic_errorf(err, "out of memory");
		if (a->given.cap > a->given_cap) {
			uint32_t *gr = realloc(a->given_res, a->given.cap * sizeof *gr);
			if (gr == NULL) {
				a->given.n--;
				return ic_errorf(err, "out of memory");
			}
			a->given_res = gr;
			a->given_cap = a->given.cap;
		}
		a->given_res[g] = (uint32_t)k;
	}
	if (id.len < sizeof a->last_res_text) {
		memcpy(a->last_res_text, id.s, id.len);
		a->last_res_len = id.len;
		a->last_res = k;
	} else {
		a->last_res = -1;
	}
	return k;
}

/* the src of a name and statistic */
static long
source_index(struct metrics_agg *a, const struct metric *m, struct str stat, struct ic_error *err)
{
	char buf[600];
	size_t n;
	long k;
	int al, sk = -1;

	if (m->metric.len + (stat.s ? stat.len : 0) + 2 > sizeof buf)
		n = 0;
	else {
		memcpy(buf, m->metric.s, m->metric.len);
		n = m->metric.len;
		if (!str_null(stat)) {
			buf[n++] = '\x1f';
			memcpy(buf + n, stat.s, stat.len);
			n += stat.len;
		}
	}
	if (n == 0)
		return ic_errorf(err, "a metric name of %zu bytes is too long", m->metric.len);
	for (int i = 0; i < 8; i++)
		if (a->names_memo[i].len == n && memcmp(a->names_memo[i].text, buf, n) == 0)
			return a->names_memo[i].src;
	k = itab_find(&a->names, buf, n);
	if (k < 0) {
		struct src s = { -1, -1, NULL, 0 };
		const char *name = m->metric.s;
		size_t nl = m->metric.len;

		al = metrics_alias_find(name, nl);
		if (!str_null(stat))
			sk = metrics_stat_kind(stat.s, stat.len);
		if (al < 0 && str_null(stat)) {
			/* a statistic suffix: NAME_Average, NAME.Sum, NAME (Maximum) */
			size_t e = nl;
			while (e && name[e - 1] == ' ')
				e--;
			if (e && name[e - 1] == ')') {
				const char *op = memchr(name, '(', e);
				if (op) {
					sk = metrics_stat_kind(op + 1, (size_t)(name + e - 1 - (op + 1)));
					e = (size_t)(op - name);
				}
			} else {
				size_t p = e;
				while (p && name[p - 1] != '_' && name[p - 1] != '.' && name[p - 1] != ':' &&
				       name[p - 1] != ' ')
					p--;
				if (p) {
					sk = metrics_stat_kind(name + p, e - p);
					e = p - 1;
				}
			}
			while (e && name[e - 1] == ' ')
				e--;
			if (sk >= 0)
				al = metrics_alias_find(name, e);
		}
		if (al >= 0 && (sk < 0 || metrics_stat_fits(metric_aliases[al].kind, sk))) {
			s.alias = al;
			s.canon = metrics_canon_index(metric_aliases[al].to);
		} else if (!str_null(m->unit)) {
			s.unit = malloc(m->unit.len + 1);
			if (s.unit == NULL)
				return ic_errorf(err, "out of memory");
			memcpy(s.unit, m->unit.s, m->unit.len);
			s.unit[m->unit.len] = '\0';
		}
		k = itab_add(&a->names, buf, n);
		if (k < 0) {
			free(s.unit);
			return ic_errorf(err, "out of memory");
		}
		if (a->names.cap > a->nsrc_cap) {
			struct src *ns = realloc(a->src, a->names.cap * sizeof *ns);
			if (ns == NULL) {
				free(s.unit);
				a->names.n--;	/* the name's slot stays: never found unused */
				return ic_errorf(err, "out of memory");
			}
			a->src = ns;
			a->nsrc_cap = a->names.cap;
		}
		a->src[k] = s;
	}
	if (n <= sizeof a->names_memo[0].text) {
		struct name_memo *nm = &a->names_memo[a->names_next++ % 8];
		memcpy(nm->text, buf, n);
		nm->len = n;
		nm->src = k;
	}
	return k;
}

static uint32_t
bucket_hash(uint32_t res, uint32_t src, int64_t hour)
{
	uint64_t h = ((uint64_t)res * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)src * 0xC2B2AE3D27D4EB4FULL) ^
		     ((uint64_t)hour * 0x165667B19E3779F9ULL);
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static int
spill(struct metrics_agg *a, struct ic_error *err)
{
	if (a->db == NULL)
		return ic_errorf(err, "too many metric hours for memory");
	if (a->spill == NULL) {
		if (sqlite3_exec(a->db, "CREATE TEMP TABLE IF NOT EXISTS metrics_spill(res INTEGER, src INTEGER,"
				 " hour INTEGER, n INTEGER, sum REAL, max REAL, PRIMARY KEY(res, hour, src))"
				 " WITHOUT ROWID; DELETE FROM temp.metrics_spill", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(a->db, "INSERT INTO temp.metrics_spill VALUES(?,?,?,?,?,?)"
				       " ON CONFLICT(res, hour, src) DO UPDATE SET n = n + excluded.n,"
				       " sum = sum + excluded.sum, max = MAX(max, excluded.max)",
				       -1, &a->spill, NULL) != SQLITE_OK)
			return ic_errorf(err, "keeping metric hours: %s", sqlite3_errmsg(a->db));
	}
	for (uint32_t i = 0; i < a->nb; i++) {
		const struct bucket *b = &a->b[i];
		sqlite3_bind_int64(a->spill, 1, b->res);
		sqlite3_bind_int64(a->spill, 2, b->src);
		sqlite3_bind_int64(a->spill, 3, b->hour);
		sqlite3_bind_int64(a->spill, 4, b->n);
		sqlite3_bind_double(a->spill, 5, b->sum);
		sqlite3_bind_double(a->spill, 6, b->max);
		if (sqlite3_step(a->spill) != SQLITE_DONE) {
			sqlite3_reset(a->spill);
			return ic_errorf(err, "keeping metric hours: %s", sqlite3_errmsg(a->db));
		}
		sqlite3_reset(a->spill);
	}
	a->spilled += a->nb;
	a->nb = 0;
	memset(a->slot, 0, a->nslot * sizeof *a->slot);
	memset(a->series, 0, sizeof a->series);
	return 0;
}

static int
grow(struct metrics_agg *a, struct ic_error *err)
{
	uint32_t cap = a->bcap ? a->bcap * 2 : 4096, ns = cap * 2;
	struct bucket *b;
	uint32_t *sl;

	if (a->bcap >= a->max_buckets)
		return spill(a, err);
	b = realloc(a->b, (size_t)cap * sizeof *b);
	if (b == NULL)
		return ic_errorf(err, "out of memory");
	a->b = b;
	sl = calloc(ns, sizeof *sl);
	if (sl == NULL)
		return ic_errorf(err, "out of memory");
	for (uint32_t k = 0; k < a->nb; k++) {
		uint32_t i = bucket_hash(b[k].res, b[k].src, b[k].hour) & (ns - 1);
		while (sl[i])
			i = (i + 1) & (ns - 1);
		sl[i] = k + 1;
	}
	free(a->slot);
	a->slot = sl;
	a->nslot = ns;
	a->bcap = cap;
	return 0;
}

int
metrics_agg_add(struct metrics_agg *a, const struct metric *m, struct str statistic,
		struct ic_error *err)
{
	long r = resource_index(a, m->resource_id, err), s;
	int64_t hour = m->ts >= 0 ? m->ts / 3600 : -((-m->ts + 3599) / 3600);
	struct series_memo *sm;
	uint32_t i;

	if (r < 0)
		return -1;
	s = source_index(a, m, statistic, err);
	if (s < 0)
		return -1;
	if (!isfinite(m->value))
		return ic_errorf(err, "a metric value is not a finite number");
	a->src[s].samples++;
	a->samples++;
	sm = &a->series[((uint32_t)r * 31u + (uint32_t)s) & 1023u];
	if (sm->bucket && sm->res == (uint32_t)r && sm->src == (uint32_t)s) {
		struct bucket *b = &a->b[sm->bucket - 1];
		if (b->hour == hour) {
			b->sum += m->value;
			if (m->value > b->max)
				b->max = m->value;
			b->n++;
			return 0;
		}
	}
	if (a->nslot) {
		for (i = bucket_hash((uint32_t)r, (uint32_t)s, hour) & (a->nslot - 1); a->slot[i];
		     i = (i + 1) & (a->nslot - 1)) {
			struct bucket *b = &a->b[a->slot[i] - 1];
			if (b->res == (uint32_t)r && b->src == (uint32_t)s && b->hour == hour) {
				b->sum += m->value;
				if (m->value > b->max)
					b->max = m->value;
				b->n++;
				*sm = (struct series_memo){ (uint32_t)r, (uint32_t)s, a->slot[i] };
				return 0;
			}
		}
	}
	if (a->nb == a->bcap && grow(a, err) != 0)
		return -1;
	i = bucket_hash((uint32_t)r, (uint32_t)s, hour) & (a->nslot - 1);
	while (a->slot[i])
		i = (i + 1) & (a->nslot - 1);
	a->b[a->nb] = (struct bucket){ (uint32_t)r, (uint32_t)s, hour, m->value, m->value, 1 };
	a->slot[i] = ++a->nb;
	*sm = (struct series_memo){ (uint32_t)r, (uint32_t)s, a->nb };
	return 0;
}

static int
cmp_bucket(const void *x, const void *y)
{
	const struct bucket *p = x, *q = y;
	if (p->res != q->res)
		return p->res < q->res ? -1 : 1;
	if (p->hour != q->hour)
		return p->hour < q->hour ? -1 : 1;
	return p->src < q->src ? -1 : p->src > q->src;
}

/* per imcost metric, within one resource and hour */
struct acc {
	double total, wsum, mx;
	double wn;
	int has;
};

struct flush {
	struct metrics_agg *a;
	int (*emit)(void *, const struct metric *, struct ic_error *);
	void *arg;
	uint32_t res;
	int64_t hour;
	int open;
	struct acc acc[32];
};

static int
close_block(struct flush *f, struct ic_error *err)
{
	struct metric m;

	if (!f->open)
		return 0;
	memset(&m, 0, sizeof m);
	m.resource_id.s = f->a->res.s[f->res];
	m.resource_id.len = f->a->res.len[f->res];
	m.ts = f->hour * 3600;
	for (int c = 0; metric_canons[c].name; c++) {
		struct acc *x = &f->acc[c];
		if (!x->has)
			continue;
		m.metric = str_c(metric_canons[c].name);
		m.unit = str_c(metric_canons[c].unit);
		if (strcmp(metric_canons[c].hourly, "mean") == 0)
			m.value = x->wsum / x->wn;
		else if (strcmp(metric_canons[c].hourly, "max") == 0)
			m.value = x->mx;
		else
			m.value = x->total;
		if (f->emit(f->arg, &m, err) != 0)
			return -1;
	}
	memset(f->acc, 0, sizeof f->acc);
	f->open = 0;
	return 0;
}

static int
one_bucket(struct flush *f, const struct bucket *b, struct ic_error *err)
{
	const struct src *s = &f->a->src[b->src];

	if (f->open && (b->res != f->res || b->hour != f->hour) && close_block(f, err) != 0)
		return -1;
	f->open = 1;
	f->res = b->res;
	f->hour = b->hour;
	if (s->canon < 0) {
		struct metric m;
		const char *name = f->a->names.s[b->src];
		const char *us = memchr(name, '\x1f', f->a->names.len[b->src]);
		char buf[600];
		memset(&m, 0, sizeof m);
		m.resource_id.s = f->a->res.s[b->res];
		m.resource_id.len = f->a->res.len[b->res];
		if (us) {
			/* NAME + statistic: NAME_Statistic, each cut at a character */
			size_t nl = str_fit(name, (size_t)(us - name), 400);
			const char *stat = us + 1;
			snprintf(buf, sizeof buf, "%.*s_%.*s", (int)nl, name,
				 (int)str_fit(stat, strlen(stat), sizeof buf - nl - 2), stat);
			m.metric = str_c(buf);
		} else {
			m.metric.s = name;
			m.metric.len = f->a->names.len[b->src];
		}
		m.unit = str_c(s->unit);
		m.ts = b->hour * 3600;
		m.value = b->sum / b->n;
		return f->emit(f->arg, &m, err);
	} else {
		const struct metric_alias *al = &metric_aliases[s->alias];
		struct acc *x = &f->acc[s->canon];
		switch (al->kind) {
		case K_MEAN:
			x->wsum += b->sum * al->factor;
			x->wn += b->n;
			break;
		case K_TOTAL:
			x->total += b->sum * al->factor;
			break;
		case K_RATE:
			x->total += b->sum / b->n * al->factor * 3600;
			break;
		default:
			if (!x->has || b->max * al->factor > x->mx)
				x->mx = b->max * al->factor;
		}
		x->has = 1;
	}
	return 0;
}

static void
warnings(struct metrics_agg *a, void (*warn)(void *, const char *), void *arg)
{
	char *txt;
	size_t cap = 4096, len = 0;
	int shown = 0, unknown = 0;

	for (uint32_t i = 0; i < a->names.n; i++)
		if (a->src[i].canon < 0)
			unknown++;
	if (unknown > 0 && (txt = malloc(cap)) != NULL) {
		len += (size_t)snprintf(txt + len, cap - len,
					"%d metric name%s that imcost does not read, kept as %s: ", unknown,
					unknown == 1 ? "" : "s", unknown == 1 ? "it is" : "they are");
		for (uint32_t i = 0; i < a->names.n && len < cap - 200; i++) {
			const char *n = a->names.s[i], *us;
			if (a->src[i].canon >= 0)
				continue;
			if (shown == 20) {
				len += (size_t)snprintf(txt + len, cap - len, ", and %d more", unknown - shown);
				break;
			}
			/* names and statistics are cut at a character, never
			 * inside one: the warning is stored as UTF-8 text */
			us = memchr(n, '\x1f', a->names.len[i]);
			if (us)
				len += (size_t)snprintf(txt + len, cap - len, "%s%.*s (statistic %.*s: %ld samples)",
							shown ? ", " : "", (int)str_fit(n, (size_t)(us - n), 80), n,
							(int)str_fit(us + 1, strlen(us + 1), 40), us + 1,
							a->src[i].samples);
			else
				len += (size_t)snprintf(txt + len, cap - len, "%s%.*s (%ld samples)", shown ? ", " : "",
							(int)str_fit(n, a->names.len[i], 80), n, a->src[i].samples);
			shown++;
		}
		if (len < cap - 400)
			snprintf(txt + len, cap - len,
				 "; imcost reads: cpu_utilization, memory_utilization, network_in_bytes,"
				 " network_out_bytes, disk_read_ops, disk_write_ops, mau, dau, messages,"
				 " peak_connections, under these names or their CloudWatch, Azure Monitor,"
				 " GCP, Alibaba or Tencent names (imcost formats lists them)");
		warn(arg, txt);
		free(txt);
	}
	if (a->unmatched > 0) {
		const char *ex = a->unmatched_example ? a->unmatched_example : "?";
		char w[600];
		snprintf(w, sizeof w, "%ld of %u resources in these metrics match no resource of the bills in the"
			 " database (e.g. %.*s): their costs are unknown to the analyses (ids are matched as"
			 " AWS ARN or bare id, Azure ids in any case, GCP full names or instance names)",
			 a->unmatched, a->res.n, (int)str_fit(ex, strlen(ex), 100), ex);
		warn(arg, w);
	}
}

int
metrics_agg_finish(struct metrics_agg *a,
		   int (*emit)(void *arg, const struct metric *m, struct ic_error *err),
		   void (*warn)(void *arg, const char *text), void *arg, struct ic_error *err)
{
	struct flush f;

	memset(&f, 0, sizeof f);
	f.a = a;
	f.emit = emit;
	f.arg = arg;
	if (a->spilled) {
		sqlite3_stmt *st = NULL;
		int r;
		if (spill(a, err) != 0)
			return -1;
		if (sqlite3_prepare_v2(a->db, "SELECT res, src, hour, n, sum, max FROM temp.metrics_spill"
				       " ORDER BY res, hour, src", -1, &st, NULL) != SQLITE_OK)
			return ic_errorf(err, "reading metric hours: %s", sqlite3_errmsg(a->db));
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			struct bucket b = { (uint32_t)sqlite3_column_int64(st, 0),
					    (uint32_t)sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
					    sqlite3_column_double(st, 4), sqlite3_column_double(st, 5),
					    (uint32_t)sqlite3_column_int64(st, 3) };
			if (one_bucket(&f, &b, err) != 0) {
				sqlite3_finalize(st);
				return -1;
			}
		}
		sqlite3_finalize(st);
		if (r != SQLITE_DONE)
			return ic_errorf(err, "reading metric hours: %s", sqlite3_errmsg(a->db));
	} else {
		if (a->nb > 1)
			qsort(a->b, a->nb, sizeof *a->b, cmp_bucket);
		for (uint32_t i = 0; i < a->nb; i++)
			if (one_bucket(&f, &a->b[i], err) != 0)
				return -1;
	}
	if (close_block(&f, err) != 0)
		return -1;
	warnings(a, warn, arg);
	return 0;
}
