/*
 * import.c - the import driver: file -> records -> importer -> SQLite
 * (see import.h for the rules it keeps).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "common/csvreader.h"
#include "common/db.h"
#include "common/input.h"
#include "common/parquet.h"
#include "common/jsonscan.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/import.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"
#include "importers/prices-db.h"
#include "importers/prices.h"
#include "importers/metrics.h"
#include "importers/rollup-agg.h"
#include "importers/writer.h"

#define PROGRESS_EVERY 8192

struct period_acc {
	char provider[64];
	char account[64];
	char currency[16];
	int64_t start, end;
	int64_t cmin, cmax;	/* span of the rows' ChargePeriodStart */
	long rows;
	int64_t billed, effective;
};

struct import_session {
	sqlite3 *db;
	struct import_opts opts;
	int nfiles;
	int in_tx;		/* the batch's transaction is open */
	int bulk_journal;	/* db_bulk_journal switched the journal */
	int in_sp;		/* a file's savepoint is open */
	int batch_in_sp;	/* the batch row was made inside that savepoint */
	int64_t batch_id;
	sqlite3_stmt *ins_charge, *ins_charges, *ins_dim, *ins_metric;
	unsigned rollup_stale;
	int64_t date_slack;	/* seconds a charge may lie outside its period */	/* rollups to rebuild at commit (enum rollup_set) */
};

struct row_ctx {
	struct import_session *s;
	struct input *in;
	const struct importer *imp;
	void *state;
	struct header h;
	struct csv_field *hdr_copy;	/* owned copy of the header fields */
	unsigned char *hdr_dup;		/* owned: rc->h.dup */
	char *hdr_buf;
	int ragged;			/* rows are one field short of the header */
	const struct csv_record *rec;
	struct csv_field *padded;	/* record + one empty field when ragged */
	int padded_cap;
	int64_t import_id;
	struct writer *w;		/* the writer thread, while rows flow */
	struct rollup_agg *agg;		/* the file's rollups (rollup-agg.h) */
	struct metrics_agg *magg;	/* the file's metric hours (metrics.h) */
	int64_t first_rowid, last_rowid;
	long records, rows;
	long emitted_this_record;
	struct period_acc *acc;
	int nacc, acc_cap, last_acc;
	struct import_result *res;
	struct price_import *pi;	/* a price list (prices-db.h), or NULL */
	/* the last time parsed per column: bills repeat the same few times
	 * (billing period, the hour) over many rows */
	struct time_memo {
		int col, tz;
		size_t len;
		int64_t value;
		char text[40];
	} tmemo[4];
	unsigned tmemo_next;
	/* the times rc_time read from this record and their columns, so that
	 * a charge's dates can be blamed on the column they came from */
	struct time_seen {
		int64_t value;
		int col;
	} tseen[8];
	int ntseen;
	int money_col;		/* the last required money column read */
	/* the JSON value being mapped: its text, first line and tree, so that
	 * an error naming a path ("DetailSet[3].RealCost: ...") gets the line
	 * and column of that member */
	const char *json_text;
	size_t json_len;
	const cJSON *json_root;
	const char *dataset;	/* rc_set_dataset: static, or NULL */
	int dataset_mixed;
	/* the last billing period checked (as written) and what it became */
	int64_t per_in_start, per_in_end, per_start, per_end;
};

/* ---- header ---- */

static int
name_eq(const struct csv_field *f, const char *name)
{
	const char *s = f->s, *e = f->s + f->len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return strlen(name) == (size_t)(e - s) && strncasecmp(s, name, (size_t)(e - s)) == 0;
}

int
header_find(const struct header *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (name_eq(&h->f[i], name))
			return i;
	return -1;
}

int
header_find_any(const struct header *h, const char *const *names)
{
	for (; *names; names++) {
		int i = header_find(h, *names);
		if (i >= 0)
			return i;
	}
	return -1;
}

/* ---- strings ---- */

int
str_null(struct str s)
{
	return s.s == NULL || is_null_token(s.s, s.len);
}

size_t
str_fit(const char *s, size_t len, size_t max)
{
	size_t lead, need;
	unsigned char b;

	if (len <= max)
		return len;
	if (max == 0)
		return 0;
	lead = max - 1;
	while (lead > 0 && ((unsigned char)s[lead] & 0xc0) == 0x80)
		lead--;
	b = (unsigned char)s[lead];
	need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
	return max - lead < need ? lead : max;
}

int
str_ieq(struct str s, const char *c)
{
	return s.s && strlen(c) == s.len && strncasecmp(s.s, c, s.len) == 0;
}

void
charge_clear(struct charge *c)
{
	memset(c, 0, sizeof *c);
}

/* ---- row context helpers ---- */

struct str
rc_field(const struct row_ctx *rc, int col)
{
	struct str r = { "", 0 };

	if (col >= 0 && col < rc->rec->n) {
		r.s = rc->rec->f[col].s;
		r.len = rc->rec->f[col].len;
	}
	return r;
}

static const char *
col_name(const struct row_ctx *rc, int col, char *buf, size_t n)
{
	if (col < 0 || col >= rc->h.n)
		return "?";
	return ic_quote(rc->h.f[col].s, rc->h.f[col].len, (n - 8) / 4, buf);
}

/* The member of v named by path p[0..n) ("a.b[2].c"), or NULL. */
static const cJSON *
json_path(const cJSON *v, const char *p, size_t n)
{
	const char *e = p + n;

	while (v && p < e) {
		if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);
			if (end >= e || *end != ']' || i < 0)
				return NULL;
			v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)i) : NULL;
			p = end + 1;
		} else {
			const char *q = p;
			char key[128];
			while (q < e && *q != '.' && *q != '[')
				q++;
			if (q == p || (size_t)(q - p) >= sizeof key || !cJSON_IsObject(v))
				return NULL;
			memcpy(key, p, (size_t)(q - p));
			key[q - p] = '\0';
			v = cJSON_GetObjectItemCaseSensitive(v, key);
			p = q;
		}
		if (p < e && *p == '.')
			p++;
	}
	return v;
}

/* Preorder index of node in the tree under v (v is 0), counting from *k;
 * returns 1 when found. */
static int
json_index(const cJSON *v, const cJSON *node, long *k)
{
	if (v == node)
		return 1;
	for (const cJSON *c = v->child; c; c = c->next) {
		++*k;
		if (json_index(c, node, k))
			return 1;
	}
	return 0;
}

/*
 * Where in the JSON value being mapped an error message points: the
 * member its leading path names ("field " allowed before it), looked up
 * from the root and from each member of the root (a response wrapper),
 * else the start of the value.  *line and *col as in the file.
 */
static void
json_where(const struct row_ctx *rc, const char *msg, long *line, long *col)
{
	const cJSON *root = rc->json_root, *node = NULL;
	const char *p = msg;
	size_t n;
	long k = 0, off = -1;

	if (strncmp(p, "field ", 6) == 0)
		p += 6;
	n = strcspn(p, ": ");
	if (n > 0 && (p[n] == ':' || p[n] == ' ')) {
		node = json_path(root, p, n);
		for (const cJSON *c = root->child; node == NULL && c; c = c->next)
			node = json_path(c, p, n);
	}
	if (node && json_index(root, node, &k))
		off = json_value_offset(rc->json_text, rc->json_len, k);
	if (off < 0)
		off = json_value_offset(rc->json_text, rc->json_len, 0);
	json_pos(rc->json_text, off < 0 ? 0 : (size_t)off, rc->rec->line, line, col);
}

int
rc_error(struct row_ctx *rc, int col, struct ic_error *err, const char *fmt, ...)
{
	char what[512], name[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (col < 0 && rc->json_root) {
		long l, c;
		json_where(rc, what, &l, &c);
		return ic_error_at(err, rc->in->name, l, c, "%s", what);
	}
	if (col < 0)
		return ic_error_at(err, rc->in->name, rc->rec->line, 0, "%s", what);
	return ic_error_at(err, rc->in->name, rc->rec->line, col + 1, "column %s: %s",
			   col_name(rc, col, name, sizeof name), what);
}

/* Count one warning of res: msg's slot (added, with where it was first
 * seen, when new; the last slot collects the rest when they are full). */
static void
add_warning(struct import_result *res, const char *msg, long line, long col, long count,
	    const char *unit)
{
	int i;

	for (i = 0; i < res->nwarnings; i++)
		if (strcmp(res->warnings[i].msg, msg) == 0) {
			res->warnings[i].count += count;
			return;
		}
	if (res->nwarnings == IMPORT_MAX_WARNINGS)
		i = IMPORT_MAX_WARNINGS - 1;	/* the last slot collects the rest */
	else {
		res->nwarnings++;
		snprintf(res->warnings[i].msg, sizeof res->warnings[i].msg, "%s", msg);
		res->warnings[i].first_line = line;
		res->warnings[i].first_col = col;
		res->warnings[i].unit = unit;
	}
	res->warnings[i].count += count;
}

static void
vwarn(struct row_ctx *rc, int col, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	add_warning(rc->res, msg, rc->rec ? rc->rec->line : 1, col >= 0 ? col + 1 : 0, 1, NULL);
}

void
rc_set_dataset(struct row_ctx *rc, const char *dataset)
{
	if (rc->dataset_mixed || rc->dataset == dataset ||
	    (rc->dataset && strcmp(rc->dataset, dataset) == 0))
		return;
	if (rc->dataset) {
		rc->dataset_mixed = 1;
		rc->dataset = NULL;
	} else {
		rc->dataset = dataset;
	}
}

void
rc_warn(struct row_ctx *rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(rc, -1, fmt, ap);
	va_end(ap);
}

void
rc_warn_col(struct row_ctx *rc, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(rc, col, fmt, ap);
	va_end(ap);
}

struct str
rc_tags(struct row_ctx *rc, int col, int skip_empty)
{
	struct str t = rc_field(rc, col);
	char name[200];
	int members;

	if (col < 0 || str_null(t))
		return (struct str){ NULL, 0 };
	if (json_is_object(t.s, t.len, &members))
		return skip_empty && members == 0 ? (struct str){ NULL, 0 } : t;
	rc_warn_col(rc, col, "column %s: not a JSON object, stored as NULL",
		    col_name(rc, col, name, sizeof name));
	return (struct str){ NULL, 0 };
}

int
rc_json_field(struct row_ctx *rc, int col, struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	struct ic_error e;

	if (json_scan(NULL, 1, v.s, v.len, &e) == 0)
		return 0;
	return rc_error(rc, col, err, "%s", e.msg);
}

static int
bad_value(struct row_ctx *rc, int col, struct str v, const char *what, enum num_status st,
	  struct ic_error *err)
{
	char q[IC_QUOTE_SIZE];

	ic_quote(v.s, v.len, 60, q);
	if (st == NUM_RANGE)
		return rc_error(rc, col, err, "%s '%s' is out of range", what, q);
	return rc_error(rc, col, err, "expected %s, found '%s'", what, q);
}

int
rc_money_opt(struct row_ctx *rc, int col, int64_t *out, int *present, struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	enum num_status st;

	*present = 0;
	*out = 0;
	if (col < 0)
		return 0;
	st = money_parse(v.s, v.len, out);
	if (st == NUM_NULL)
		return 0;
	if (st != NUM_OK)
		return bad_value(rc, col, v, "a decimal number", st, err);
	*present = 1;
	return 0;
}

int
rc_money_list(struct row_ctx *rc, int col, int64_t *out, int *present, struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	char name[200];
	enum num_status st;

	*present = 0;
	*out = 0;
	if (col < 0)
		return 0;
	st = money_parse(v.s, v.len, out);
	if (st == NUM_NULL)
		return 0;
	if (st == NUM_SYNTAX) {
		*out = 0;
		rc_warn_col(rc, col, "column %s: a value that is not a number is stored as NULL "
			    "(the column only feeds list cost; billed and effective cost are not affected)",
			    col_name(rc, col, name, sizeof name));
		return 0;
	}
	if (st != NUM_OK)
		return bad_value(rc, col, v, "a decimal number", st, err);
	*present = 1;
	return 0;
}

int
rc_money(struct row_ctx *rc, int col, int required, int64_t dflt, int64_t *out,
	 struct ic_error *err)
{
	int present;

	if (required)
		rc->money_col = col;	/* where a total that overflows is blamed */
	if (rc_money_opt(rc, col, out, &present, err) != 0)
		return -1;
	if (!present) {
		if (required)
			return rc_error(rc, col, err, "a number is required here");
		*out = dflt;
	}
	return 0;
}

int
rc_number(struct row_ctx *rc, int col, double *out, int *present, struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	enum num_status st;

	*present = 0;
	*out = 0;
	if (col < 0)
		return 0;
	st = number_parse(v.s, v.len, out);
	if (st == NUM_NULL)
		return 0;
	if (st != NUM_OK)
		return bad_value(rc, col, v, "a number", st, err);
	*present = 1;
	return 0;
}

static void
note_time(struct row_ctx *rc, int col, int64_t value)
{
	if (rc->ntseen < (int)(sizeof rc->tseen / sizeof rc->tseen[0])) {
		rc->tseen[rc->ntseen].value = value;
		rc->tseen[rc->ntseen].col = col;
		rc->ntseen++;
	}
}

/* The column of this record that rc_time read t from (the first such), or
 * fallback when none did (JSON rows, computed times). */
static int
time_col(const struct row_ctx *rc, int64_t t, int fallback)
{
	for (int i = 0; i < rc->ntseen; i++)
		if (rc->tseen[i].value == t)
			return rc->tseen[i].col;
	return fallback;
}

int
rc_time(struct row_ctx *rc, int col, int required, int tz_default_s, int64_t *out,
	int *present, struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	enum num_status st;
	int dummy;

	if (present == NULL)
		present = &dummy;
	*present = 0;
	*out = 0;
	if (col >= 0 && v.len <= sizeof rc->tmemo[0].text) {
		for (int i = 0; i < 4; i++) {
			const struct time_memo *m = &rc->tmemo[i];
			if (m->col == col + 1 && m->tz == tz_default_s && m->len == v.len &&
			    memcmp(m->text, v.s, v.len) == 0) {
				*out = m->value;
				*present = 1;
				note_time(rc, col, m->value);
				return 0;
			}
		}
	}
	st = col < 0 ? NUM_NULL : time_parse(v.s, v.len, tz_default_s, out);
	if (st == NUM_OK && v.len <= sizeof rc->tmemo[0].text) {
		struct time_memo *m = NULL;
		for (int i = 0; i < 4 && m == NULL; i++)
			if (rc->tmemo[i].col == col + 1)
				m = &rc->tmemo[i];
		if (m == NULL)
			m = &rc->tmemo[rc->tmemo_next++ % 4];
		m->col = col + 1;
		m->tz = tz_default_s;
		m->len = v.len;
		m->value = *out;
		memcpy(m->text, v.s, v.len);
	}
	if (st == NUM_NULL) {
		if (required)
			return rc_error(rc, col, err, "a date/time is required here");
		return 0;
	}
	if (st != NUM_OK)
		return bad_value(rc, col, v, "a date/time like 2026-10-01T00:00:00Z", st, err);
	*present = 1;
	note_time(rc, col, *out);
	return 0;
}

/* ---- currency codes ---- */

int
rc_currency(struct row_ctx *rc, int col, struct str cur, struct ic_error *err)
{
	char q[IC_QUOTE_SIZE];

	if (currency_code_ok(cur.s, cur.len))
		return 0;
	ic_quote(cur.s, cur.len, 40, q);
	return rc_error(rc, col, err, "currency code '%s' is not three capital letters (ISO 4217)",
			q);
}

/* ---- writing ---- */

static struct period_acc *
period_for(struct row_ctx *rc, const struct charge *c, struct ic_error *err)
{
	struct str p = c->text[CT_PROVIDER], a = c->text[CT_BILLING_ACCOUNT],
		   cur = c->text[CT_CURRENCY];
	struct period_acc *x;

	if (rc->last_acc >= 0) {
		x = &rc->acc[rc->last_acc];
		if (x->start == c->period_start && strlen(x->provider) == p.len &&
		    memcmp(x->provider, p.s, p.len) == 0 && strlen(x->account) == a.len &&
		    memcmp(x->account, a.s, a.len) == 0 && strlen(x->currency) == cur.len &&
		    memcmp(x->currency, cur.s, cur.len) == 0)
			return x;
	}
	for (int i = 0; i < rc->nacc; i++) {
		x = &rc->acc[i];
		if (x->start == c->period_start && strlen(x->provider) == p.len &&
		    memcmp(x->provider, p.s, p.len) == 0 && strlen(x->account) == a.len &&
		    memcmp(x->account, a.s, a.len) == 0 && strlen(x->currency) == cur.len &&
		    memcmp(x->currency, cur.s, cur.len) == 0) {
			rc->last_acc = i;
			return x;
		}
	}
	if (p.len >= sizeof x->provider || a.len >= sizeof x->account ||
	    cur.len >= sizeof x->currency) {
		rc_error(rc, -1, err, "provider, billing account or currency longer than %zu bytes",
			 sizeof x->currency - 1);
		return NULL;
	}
	if (rc->nacc == 10000) {
		rc_error(rc, -1, err, "more than 10000 distinct (provider, account, billing period, currency) keys in one file");
		return NULL;
	}
	if (rc->nacc == rc->acc_cap) {
		int cap = rc->acc_cap ? rc->acc_cap * 2 : 8;
		struct period_acc *n = realloc(rc->acc, (size_t)cap * sizeof *n);
		if (n == NULL) {
			ic_errorf(err, "out of memory");
			return NULL;
		}
		rc->acc = n;
		rc->acc_cap = cap;
	}
	x = &rc->acc[rc->nacc];
	memset(x, 0, sizeof *x);
	memcpy(x->provider, p.s, p.len);
	memcpy(x->account, a.s, a.len);
	memcpy(x->currency, cur.s, cur.len);
	x->start = c->period_start;
	x->end = c->period_end;
	x->cmin = INT64_MAX;
	x->cmax = INT64_MIN;
	rc->last_acc = rc->nacc++;
	return x;
}

/* Billing periods and charge times are refused outside these years. */
#define YEAR_2000 INT64_C(946684800)	/* 2000-01-01T00:00:00Z */
#define YEAR_2100 INT64_C(4102444800)	/* 2100-01-01T00:00:00Z */
/* A period boundary this close to a UTC month start is that month start
 * (written with an offset: 2026-10-01T00:00:00+08:00). */
#define SNAP_S (14 * 3600)
/* The longest billing period taken: a month, 31 days. */
#define PERIOD_MAX_S (31 * 86400)

/* t moved to the nearest UTC month start when it lies within SNAP_S of it. */
static int64_t
snap_month(int64_t t)
{
	int64_t m = month_start(t + SNAP_S);

	return t != m && t >= m - SNAP_S && t <= m + SNAP_S ? m : t;
}

/*
 * The billing period of c as filed (*ps, *pe): within the years 2000 to
 * 2099, at most a month long, boundaries written with an offset moved to
 * the UTC month start they name.  Checked once per distinct period.
 */
static int
check_period(struct row_ctx *rc, const struct charge *c, int64_t *ps, int64_t *pe,
	     struct ic_error *err)
{
	char a[32], b[32];
	int64_t s, e;

	if (c->period_start == rc->per_in_start && c->period_end == rc->per_in_end &&
	    rc->per_end != 0) {
		*ps = rc->per_start;
		*pe = rc->per_end;
		return 0;
	}
	if (c->period_end <= c->period_start)
		return rc_error(rc, time_col(rc, c->period_end, -1), err,
				"billing period ends before it starts");
	if (c->period_start < YEAR_2000 || c->period_end > YEAR_2100)
		return rc_error(rc, time_col(rc, c->period_start < YEAR_2000 ? c->period_start :
					      c->period_end, -1), err,
				"billing period %s..%s is outside the years 2000 to 2099",
				time_format(c->period_start, a), time_format(c->period_end, b));
	s = snap_month(c->period_start);
	e = snap_month(c->period_end);
	if (e - s > PERIOD_MAX_S)
		return rc_error(rc, time_col(rc, c->period_end, -1), err,
				"billing period %s..%s is longer than a month; export or split it per month",
				date_format(s, a), date_format(e, b));
	rc->per_in_start = c->period_start;
	rc->per_in_end = c->period_end;
	*ps = rc->per_start = s;
	*pe = rc->per_end = e;
	return 0;
}

/* How far past its billing period a charge that is not usage may end: a
 * purchase covers its commitment's term (FOCUS), at most 5 years. */
#define TERM_MAX_S (5 * INT64_C(366) * 86400)

/* The charge period of c within the date slack around its billing period
 * [ps, pe); the end of a charge other than Usage within TERM_MAX_S. */
static int
check_charge_times(struct row_ctx *rc, const struct charge *c, int64_t ps, int64_t pe,
		   struct ic_error *err)
{
	int64_t slack = rc->s->date_slack;
	char a[32], b[32], t[32];

	if (c->charge_start < ps - slack || c->charge_start >= pe + slack ||
	    c->charge_end < c->charge_start ||
	    (c->charge_end > pe + slack &&
	     (str_ieq(c->text[CT_CHARGE_CATEGORY], "Usage") || c->charge_end > pe + TERM_MAX_S))) {
		int end = c->charge_start >= ps - slack && c->charge_start < pe + slack;
		int64_t v = end ? c->charge_end : c->charge_start;
		int col = time_col(rc, v, -1);

		if (end && c->charge_end < c->charge_start)
			return rc_error(rc, col, err, "charge period ends before it starts");
		return rc_error(rc, col, err,
				"charge period %s %s, more than %lld days outside its billing period"
				" %s..%s (import --date-slack DAYS widens this)",
				end ? "ends" : "starts", time_format(v, t), (long long)(slack / 86400),
				date_format(ps, a), date_format(pe, b));
	}
	return 0;
}

int
rc_emit_charge(struct row_ctx *rc, const struct charge *c, struct ic_error *err)
{
	struct period_acc *acc;
	struct charge snapped;
	int64_t ps = 0, pe = 0;

	if (str_null(c->text[CT_CURRENCY]))
		return rc_error(rc, -1, err, "no billing currency on this row");
	/* every importer checks its currency column (rc_currency); this is
	 * the backstop for codes that come from elsewhere */
	if (rc_currency(rc, -1, c->text[CT_CURRENCY], err) != 0)
		return -1;
	if (str_null(c->text[CT_PROVIDER]) || str_null(c->text[CT_BILLING_ACCOUNT]))
		return rc_error(rc, -1, err, "no provider or billing account on this row");
	if (str_null(c->text[CT_CHARGE_CATEGORY]))
		return rc_error(rc, -1, err, "no charge category on this row");
	if (check_period(rc, c, &ps, &pe, err) != 0 ||
	    check_charge_times(rc, c, ps, pe, err) != 0)
		return -1;
	if (ps != c->period_start || pe != c->period_end) {
		snapped = *c;
		snapped.period_start = ps;
		snapped.period_end = pe;
		c = &snapped;
	}
	acc = period_for(rc, c, err);
	if (acc == NULL)
		return -1;
	if (acc->end != c->period_end)
		return rc_error(rc, -1, err, "billing period end differs from earlier rows of the same period");
	if (money_add(acc->billed, c->billed, &acc->billed) != 0 ||
	    money_add(acc->effective, c->effective, &acc->effective) != 0)
		return rc_error(rc, rc->money_col, err, "the file's total cost overflows (more than 9.2e9 units)");
	acc->rows++;
	if (c->charge_start < acc->cmin)
		acc->cmin = c->charge_start;
	if (c->charge_start > acc->cmax)
		acc->cmax = c->charge_start;
	if (writer_charge(rc->w, c, rc->rec->line, err) != 0)
		return -1;	/* the writer feeds the rollups (rc->agg) */
	rc->rows++;
	rc->emitted_this_record++;
	return 0;
}

int
rc_emit_metric(struct row_ctx *rc, const struct metric *m, struct ic_error *err)
{
	if (str_null(m->resource_id) || str_null(m->metric))
		return rc_error(rc, -1, err, "a metric needs a resource and a metric name");
	if (rc->magg == NULL && (rc->magg = metrics_agg_new(rc->s->db)) == NULL)
		return ic_errorf(err, "out of memory");
	if (metrics_agg_add(rc->magg, m, m->statistic, err) != 0) {
		char msg[IC_ERRMSG_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return rc_error(rc, -1, err, "%s", msg);
	}
	rc->emitted_this_record++;
	return 0;
}

/* metrics_agg_finish's callbacks: one hour to the writer, a warning */
static int
hour_out(void *arg, const struct metric *m, struct ic_error *err)
{
	struct row_ctx *rc = arg;

	if (writer_metric(rc->w, m, err) != 0)
		return -1;
	rc->rows++;
	return 0;
}

static void
hour_warn(void *arg, const char *text)
{
	rc_warn(arg, "%s", text);
}

/* ---- session ---- */

struct import_session *
import_session_new(sqlite3 *db, const struct import_opts *o, int nfiles)
{
	struct import_session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->db = db;
	if (o)
		s->opts = *o;
	s->date_slack = (int64_t)(s->opts.date_slack_days >= 0 && s->opts.date_slack_set ?
				  s->opts.date_slack_days : IMPORT_DATE_SLACK_DAYS) * 86400;
	s->nfiles = nfiles;
	return s;
}

void
import_session_free(struct import_session *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->ins_charge);
	sqlite3_finalize(s->ins_charges);
	sqlite3_finalize(s->ins_dim);
	sqlite3_finalize(s->ins_metric);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s->bulk_journal)
		db_wal_journal(s->db);
	free(s);
}

void
import_session_set_progress(struct import_session *s,
			    void (*fn)(void *, uint64_t, uint64_t), void *arg)
{
	s->opts.progress = fn;
	s->opts.progress_arg = arg;
}

int64_t
import_session_batch(const struct import_session *s)
{
	return s->batch_id;
}

static int
prepare_inserts(struct import_session *s, struct ic_error *err)
{
	if (s->ins_charge == NULL) {
		s->ins_charge = db_prepare(s->db,
			"INSERT INTO charge_facts(" CHARGE_FACT_COLS ", dim_id, resource_id, tag_set_id)"
			" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (s->ins_charge == NULL)
			return -1;
	}
	if (s->ins_charges == NULL) {
		/* the same, WRITER_FACT_ROWS rows at once (constant text).  OR
		 * FAIL: a statement that could stop half-way after changing
		 * rows would otherwise need a statement journal (SQLite copies
		 * every page it touches first; that was most of the writer's
		 * system time).  Half a statement is never kept: any error
		 * fails the file and rolls back its savepoint. */
		static const char head[] = "INSERT OR FAIL INTO charge_facts(" CHARGE_FACT_COLS
			", dim_id, resource_id, tag_set_id) VALUES";
		static const char row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
		char sql[sizeof head + WRITER_FACT_ROWS * sizeof row];
		size_t n = 0;

		memcpy(sql, head, sizeof head - 1);
		n += sizeof head - 1;
		for (int i = 0; i < WRITER_FACT_ROWS; i++) {
			if (i)
				sql[n++] = ',';
			memcpy(sql + n, row, sizeof row - 1);
			n += sizeof row - 1;
		}
		sql[n] = '\0';
		s->ins_charges = db_prepare(s->db, sql, err);
		if (s->ins_charges == NULL)
			return -1;
	}
	if (s->ins_dim == NULL) {
		s->ins_dim = db_prepare(s->db,
			"INSERT INTO charge_dims(" CHARGE_DIMS_STORED_COLS ")"
			" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (s->ins_dim == NULL)
			return -1;
	}
	if (s->ins_metric == NULL) {
		s->ins_metric = db_prepare(s->db,
			"INSERT OR REPLACE INTO usage(resource_id, ts, metric, value, unit, import_id)"
			" VALUES(?,?,?,?,?,?)", err);
		if (s->ins_metric == NULL)
			return -1;
	}
	return 0;
}

static void
now_iso(char *buf)
{
	time_t t = time(NULL);
	time_format((int64_t)t, buf);
}

static int
ensure_batch(struct import_session *s, struct ic_error *err)
{
	sqlite3_stmt *st;
	char now[32];

	if (s->batch_id)
		return 0;
	s->batch_in_sp = s->in_sp;
	st = db_prepare(s->db, "INSERT INTO batches(label, created_at) VALUES(?, ?)", err);
	if (st == NULL)
		return -1;
	now_iso(now);
	if (s->opts.label)
		sqlite3_bind_text(st, 1, s->opts.label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the batch", err);
	}
	sqlite3_finalize(st);
	s->batch_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* ---- records ---- */

static int
copy_header(struct row_ctx *rc, const struct csv_record *rec, struct ic_error *err)
{
	size_t total = 0, off = 0;

	for (int i = 0; i < rec->n; i++)
		total += rec->f[i].len + 1;
	rc->hdr_buf = malloc(total ? total : 1);
	rc->hdr_copy = malloc((size_t)rec->n * sizeof *rc->hdr_copy);
	if (rc->hdr_buf == NULL || rc->hdr_copy == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < rec->n; i++) {
		memcpy(rc->hdr_buf + off, rec->f[i].s, rec->f[i].len + 1);
		rc->hdr_copy[i].s = rc->hdr_buf + off;
		rc->hdr_copy[i].len = rec->f[i].len;
		off += rec->f[i].len + 1;
	}
	rc->h.f = rc->hdr_copy;
	rc->h.n = rec->n;
	return 0;
}

/* A header name, trimmed like name_eq, for sorting. */
struct hname {
	const char *s;
	size_t len;
	int col;
};

static void
trim_name(const struct csv_field *f, struct hname *out, int col)
{
	const char *s = f->s, *e = f->s + f->len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	out->s = s;
	out->len = (size_t)(e - s);
	out->col = col;
}

static int
hname_cmp(const void *a, const void *b)
{
	const struct hname *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	if (c == 0)
		c = x->len < y->len ? -1 : x->len > y->len;
	if (c == 0)
		c = x->col < y->col ? -1 : x->col > y->col;
	return c;
}

/*
 * Duplicated header names (the same bytes once trimmed; empty names do not
 * count): flag every repeat in rc->h.dup and count them in one warning
 * naming the first repeat's column and the column it repeats.  Lookups
 * by name read the first column of a name, and importers walking the
 * columns skip the flagged ones, so a repeat is never read.  Sorting keeps
 * this O(n log n) for the widest headers csvreader lets through.
 */
static int
mark_duplicates(struct row_ctx *rc, long line, struct ic_error *err)
{
	int n = rc->h.n, ndup = 0, first_dup = -1, first_orig = -1;
	struct hname *v;

	if (n < 2)
		return 0;
	v = malloc((size_t)n * sizeof *v);
	rc->hdr_dup = calloc((size_t)n, 1);
	if (v == NULL || rc->hdr_dup == NULL) {
		free(v);
		return ic_errorf(err, "out of memory");
	}
	for (int i = 0; i < n; i++)
		trim_name(&rc->h.f[i], &v[i], i);
	qsort(v, (size_t)n, sizeof *v, hname_cmp);
	for (int i = 1, orig = 0; i < n; i++) {
		if (v[i].len == 0 || v[i].len != v[i - 1].len || memcmp(v[i].s, v[i - 1].s, v[i].len) != 0) {
			orig = i;
			continue;
		}
		rc->hdr_dup[v[i].col] = 1;
		ndup++;
		if (first_dup < 0 || v[i].col < first_dup) {
			first_dup = v[i].col;
			first_orig = v[orig].col;
		}
	}
	free(v);
	rc->h.dup = rc->hdr_dup;
	if (ndup > 0) {
		char name[200], msg[256];

		snprintf(msg, sizeof msg, "duplicated column names, the first of each is read:"
			 " %s at column %d repeats column %d",
			 col_name(rc, first_dup, name, sizeof name), first_dup + 1, first_orig + 1);
		add_warning(rc->res, msg, line, first_dup + 1, ndup, "column");
	}
	return 0;
}

/* a price-list parser's counted warning (prices-db.h) */
static void
price_warn(void *arg, long line, long col, const char *msg)
{
	struct row_ctx *rc = arg;

	add_warning(rc->res, msg, line, col, 1, NULL);
}

static int
on_header(struct row_ctx *rc, const struct csv_record *rec, struct ic_error *err)
{
	const struct importer *imp;

	for (int i = 0; i < rec->n; i++)
		if (memchr(rec->f[i].s, '\r', rec->f[i].len))
			return ic_error_at(err, rc->in->name, rec->line, i + 1,
					   "CR-only line endings (an old spreadsheet export?): convert them"
					   " to LF first, e.g. tr '\\r' '\\n' < FILE");
	if (copy_header(rc, rec, err) != 0)
		return -1;
	if (rc->s->opts.as) {
		imp = importer_find(rc->s->opts.as);
		if (imp == NULL)
			return ic_errorf(err, "unknown format '%s' (imcost formats lists them)", rc->s->opts.as);
	} else {
		imp = importer_detect(&rc->h);
		if (imp == NULL) {
			char q[IC_QUOTE_SIZE];
			if (rec->n == 1 && (memchr(rec->f[0].s, ';', rec->f[0].len) ||
					    memchr(rec->f[0].s, '\t', rec->f[0].len)))
				return ic_error_at(err, rc->in->name, rec->line, 1,
						   "unknown format: the header has one column; fields must be separated by commas, not ';' or tabs");
			ic_quote(rec->f[0].s, rec->f[0].len, 40, q);
			return ic_error_at(err, rc->in->name, rec->line, 1,
					   "unknown format: no importer recognises this header (first column '%s'); see imcost formats",
					   q);
		}
	}
	rc->imp = imp;
	rc->res->format = imp->name;
	if (mark_duplicates(rc, rec->line, err) != 0)
		return -1;
	if (imp->kind == KIND_PRICES) {
		/* the parser reads every record, this first one included */
		rc->pi = price_import_new(rc->s->db, rc->import_id, imp, rc->in->name, price_warn, rc, err);
		if (rc->pi == NULL)
			return -1;
		if (!rc->in->gz)
			price_import_expect(rc->pi, rc->in->size);
		rc->res->prices = 1;
		rc->rec = rec;
		if (price_import_csv(rc->pi, rec, err) != 0)
			return -1;
		rc->rec = NULL;
		return 0;
	}
	if (imp->open == NULL)
		return ic_error_at(err, rc->in->name, rec->line, 1, "format %s does not read CSV", imp->name);
	rc->state = imp->open(&rc->h, err);
	if (rc->state == NULL) {
		/* prefix the importer's complaint with the header position */
		char msg[IC_ERRMSG_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return ic_error_at(err, rc->in->name, rec->line, 0, "%s: %s", imp->name, msg);
	}
	return 0;
}

static long
warnings_total(const struct import_result *res)
{
	long n = 0;

	for (int i = 0; i < res->nwarnings; i++)
		n += res->warnings[i].count;
	return n;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct row_ctx *rc = ctx;
	struct csv_record fixed;
	long warned;
	int want;

	if (rc->imp == NULL)
		return on_header(rc, rec, err);
	if (rc->pi) {
		rc->rec = rec;
		if (price_import_csv(rc->pi, rec, err) != 0)
			return -1;
		rc->rec = NULL;
		rc->records++;
		if (rc->s->opts.progress && rc->records % PROGRESS_EVERY == 0)
			rc->s->opts.progress(rc->s->opts.progress_arg, rc->in->raw_read, rc->in->size);
		return 0;
	}
	want = rc->h.n;
	if (rec->n != want) {
		if (rec->last && rec->n < want - (rc->ragged ? 1 : 0))
			return ic_error_at(err, rc->in->name, rec->line, rec->n + 1,
					   "truncated file: the last line has %d of %d fields and no newline",
					   rec->n, want);
		if (rec->n == want - 1 && rc->records == 0 && !rec->last)
			rc->ragged = 1;
		if (!(rc->ragged && rec->n == want - 1)) {
			if (rc->ragged)
				want--;
			return ic_error_at(err, rc->in->name, rec->line,
					   (rec->n < want ? rec->n : want) + 1,
					   "expected %d fields%s, found %d", want,
					   rc->ragged ? " like the rows before" : " as in the header", rec->n);
		}
		/* pad the missing last field */
		if (rc->padded_cap < want) {
			struct csv_field *p = realloc(rc->padded, (size_t)want * sizeof *p);
			if (p == NULL)
				return ic_errorf(err, "out of memory");
			rc->padded = p;
			rc->padded_cap = want;
		}
		memcpy(rc->padded, rec->f, (size_t)rec->n * sizeof *rec->f);
		rc->padded[want - 1].s = "";
		rc->padded[want - 1].len = 0;
		fixed = *rec;
		fixed.f = rc->padded;
		fixed.n = want;
		rec = &fixed;
		rc->rec = rec;
		rc_warn(rc, "rows are one field short of the header; the last column is read as empty");
	} else if (rc->ragged) {
		return ic_error_at(err, rc->in->name, rec->line, want,
				   "expected %d fields like the rows before, found %d", want - 1, rec->n);
	}
	rc->rec = rec;
	rc->emitted_this_record = 0;
	rc->ntseen = 0;
	warned = warnings_total(rc->res);
	if (rc->imp->row(rc->state, rc, err) != 0)
		return -1;
	if (rc->emitted_this_record == 0 && warnings_total(rc->res) == warned)
		rc_warn(rc, "%s: record produced no rows (importer gave no reason)", rc->imp->name);
	rc->records++;
	if (rc->s->opts.progress && rc->records % PROGRESS_EVERY == 0)
		rc->s->opts.progress(rc->s->opts.progress_arg, rc->in->raw_read, rc->in->size);
	rc->rec = NULL;
	return 0;
}


/* ---- JSON input ---- */

#define JSON_DOC_MAX (256u * 1024 * 1024)

/* Line and column (1-based) of byte offset off in buf. */
static void
position_of(const char *buf, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Detect (or take --as) the importer of the first JSON value v, read at
 * line `line`, and open it.  0, or -1 with err set. */
static int
json_open(struct row_ctx *rc, const cJSON *v, long line, struct ic_error *err)
{
	const struct importer *imp = rc->s->opts.as ? importer_find(rc->s->opts.as)
						    : importer_detect_json(v);

	if (imp == NULL || (imp->json_row == NULL && !(imp->prices && imp->prices->json_doc))) {
		if (rc->s->opts.as && imp == NULL)
			return ic_errorf(err, "unknown format '%s' (imcost formats lists them)", rc->s->opts.as);
		return ic_error_at(err, rc->in->name, line, 1,
				   imp ? "format %s does not read JSON" : "unknown format: no importer recognises this JSON%s",
				   imp ? imp->name : "");
	}
	rc->imp = imp;
	rc->res->format = imp->name;
	if (imp->kind == KIND_PRICES) {
		rc->pi = price_import_new(rc->s->db, rc->import_id, imp, rc->in->name,
					  price_warn, rc, err);
		rc->res->prices = 1;
	} else {
		rc->state = imp->open(NULL, err);
	}
	return rc->state == NULL && rc->pi == NULL ? -1 : 0;
}

static int
json_value(struct row_ctx *rc, const char *text, size_t len, long line, int whole,
	   struct ic_error *err)
{
	struct csv_record fake = { NULL, 0, line, 0 };
	const char *end = NULL;
	cJSON *v;
	int ret = -1;

	if (json_scan(rc->in->name, line, text, len, err) != 0)
		return -1;
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v == NULL) {
		const char *at = cJSON_GetErrorPtr();
		long l, c;
		size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
		position_of(text, off, &l, &c);
		return ic_error_at(err, rc->in->name, line + l - 1, c, "invalid JSON%s",
				   whole ? "" : " on this line (JSON lines: one value per line)");
	}
	if (rc->imp == NULL) {
		if (json_open(rc, v, line, err) != 0) {
			cJSON_Delete(v);
			return -1;
		}
	} else if (rc->pi) {
		cJSON_Delete(v);
		return ic_error_at(err, rc->in->name, line, 1,
				   "a price list is one JSON document, not JSON lines");
	}
	if (rc->pi) {
		rc->rec = &fake;
		ret = price_import_json(rc->pi, v, err);
		if (ret == 0)
			rc->records++;
		rc->rec = NULL;
		cJSON_Delete(v);
		return ret;
	}
	rc->rec = &fake;
	rc->emitted_this_record = 0;
	rc->ntseen = 0;
	rc->json_text = text;
	rc->json_len = len;
	rc->json_root = v;
	if (rc->imp->json_row(rc->state, rc, v, err) == 0) {
		rc->records++;
		ret = 0;
	}
	rc->json_root = NULL;
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

static int
blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Element idx of a streamed array: text[0..len) at line, col of the file. */
static int
json_stream_item(struct row_ctx *rc, const char *text, size_t len, long line, long col, long idx,
		 struct ic_error *err)
{
	struct json_piece at = { 0, line, col };
	struct csv_record fake = { NULL, 0, line, 0 };
	const char *end = NULL;
	cJSON *v;
	int ret;

	if (json_scan_pieces(rc->in->name, &at, 1, text, len, err) != 0)
		return -1;
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v == NULL || end < text || end > text + len || !blank_text(end, len - (size_t)(end - text))) {
		const char *e = v ? end : cJSON_GetErrorPtr();
		size_t off = e && e >= text && e <= text + len ? (size_t)(e - text) : 0;
		long l, c;
		while (v && off < len && blank_text(text + off, 1))
			off++;	/* at what follows the element */
		cJSON_Delete(v);
		json_pos_pieces(text, off, &at, 1, &l, &c);
		return ic_error_at(err, rc->in->name, l, c, "invalid JSON");
	}
	rc->rec = &fake;
	ret = price_import_json_item(rc->pi, v, idx, err);
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

/*
 * Would the document whose bytes doc[0..n) end with the first element of
 * its first array member (opened at doc[arr], named doc[key..key+klen))
 * be read by a price list that reads that array one element at a time?
 * Detected on the document cut there ({...members before, "NAME": [first
 * element]}), as the whole would be.  1 yes (importer opened), 0 no, -1
 * error.
 */
static int
json_streams(struct row_ctx *rc, const char *doc, size_t arr, size_t key, size_t klen,
	     const char *item, size_t ilen, struct ic_error *err)
{
	const struct importer *imp;
	char *mini = malloc(arr + 1 + ilen + 3);
	cJSON *v;
	int ret = 0;

	if (mini == NULL)
		return ic_errorf(err, "out of memory");
	memcpy(mini, doc, arr + 1);
	memcpy(mini + arr + 1, item, ilen);
	memcpy(mini + arr + 1 + ilen, "]}", 3);
	v = cJSON_ParseWithLengthOpts(mini, arr + ilen + 3, NULL, 0);
	free(mini);
	if (v == NULL)
		return 0;	/* read whole: the parser says what is wrong */
	imp = rc->s->opts.as ? importer_find(rc->s->opts.as) : importer_detect_json(v);
	if (imp != NULL && imp->kind == KIND_PRICES && imp->prices->json_item &&
	    strlen(imp->prices->json_items) == klen &&
	    memcmp(imp->prices->json_items, doc + key, klen) == 0)
		ret = json_open(rc, v, 1, err) == 0 ? 1 : -1;
	cJSON_Delete(v);
	return ret;
}

#define JSON_SKELETON_MAX (1u << 20)
/* a first line this long is not waited for (import_json) */
#define JSON_STREAM_AFTER (4u << 20)

/*
 * One more read of a streamed JSON document into *bufp[0..*len) (capacity
 * *cap; *base is the file offset of buf[0]).  keep >= 0: the file offset
 * before which nothing is needed any more, dropped when that is worth a
 * move; keep < 0: the whole document is kept (not streaming yet), and
 * growing past JSON_DOC_MAX is the document's error rather than that of
 * the `what` (element, member) starting at line:col.  *eof set at the end
 * of the input.  The buffer may move (*bufp).  Returns 0, or -1 with err
 * set.
 */
static int
stream_refill(struct input *in, char **bufp, size_t *len, size_t *cap, long long *base,
	      long long keep, const char *what, long line, long col, int *eof,
	      struct ic_error *err)
{
	char *buf = *bufp;
	ssize_t got;

	if (keep >= 0) {
		size_t drop = (size_t)(keep - *base);
		if (drop > 0 && (drop >= *len / 2 || *cap - *len < 65536)) {
			memmove(buf, buf + drop, *len - drop);
			*len -= drop;
			*base += (long long)drop;
		}
	}
	if (*cap - *len < 65536) {
		size_t ncap = *cap * 2;
		char *nb;
		if (ncap > JSON_DOC_MAX + (1 << 20)) {
			if (keep >= 0)
				return ic_error_at(err, in->name, line, col, "JSON %s larger than %u MiB",
						   what, JSON_DOC_MAX >> 20);
			return ic_error_at(err, in->name, 1, 0, "JSON document (use JSON lines for big"
					   " exports) larger than %u MiB", JSON_DOC_MAX >> 20);
		}
		if ((nb = realloc(buf, ncap)) == NULL)
			return ic_errorf(err, "out of memory");
		*bufp = buf = nb;
		*cap = ncap;
	}
	if ((got = input_read(in, buf + *len, *cap - *len - 1, err)) < 0)
		return -1;
	*len += (size_t)got;
	*eof = got == 0;
	return 0;
}

/*
 * The rest of a JSON document (not JSON lines) from buf[start..len), the
 * first bytes read; eof: the input is at its end.  A price list whose
 * format reads its big array one element at a time (GCP's skus[]) is read
 * as a stream: each element parsed alone and dropped, so memory is
 * bounded by the largest element, not the file; what surrounds the array
 * (at most JSON_SKELETON_MAX bytes) is checked as a document with the
 * array's contents left out.  Returns 0 when it read the document that
 * way, -1 with err set, or 1 when the document does not stream: then
 * nothing is dropped, buf[start..*lenp) holds what was read (more than
 * before, maybe all: *eofp) and the caller reads it as before.  *bufp and
 * *capp may change (the caller frees the buffer).
 */
static int
json_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp, size_t *capp,
	      size_t start, int *eofp, struct ic_error *err)
{
	char *buf = *bufp, *skel = NULL;
	size_t len = *lenp, cap = *capp;
	int eof = *eofp;
	struct json_split sp;
	struct json_piece pieces[2];
	long long base = -(long long)start, arr = -1, key = 0, klen = 0, tail_from = -1;
	size_t skel_len = 0;
	int streaming = 0, ret = -1;	/* 0 undecided, 1 streaming, -1 read whole */
	long idx = 0;

	json_split_init(&sp);
	for (;;) {
		while (streaming >= 0 && tail_from < 0) {
			enum json_split_event ev = json_split_next(&sp, buf, base, len);
			if (ev == JS_MORE)
				break;
			if (ev == JS_NONE) {
				streaming = -1;
			} else if (ev == JS_ARRAY && streaming == 0) {
				arr = sp.at;
				key = sp.key_at;
				klen = sp.key_len;
			} else if (ev == JS_CLOSE && streaming == 0) {
				streaming = -1;	/* empty: nothing to gain */
			} else if (ev == JS_ITEM) {
				if (streaming == 0) {
					int r = json_streams(rc, buf + start, (size_t)arr, (size_t)key, (size_t)klen,
							     buf + (sp.at - base), (size_t)(sp.end - sp.at), err);
					if (r < 0)
						goto out;
					if (r == 0) {
						streaming = -1;
						break;
					}
					streaming = 1;
					skel = malloc(JSON_SKELETON_MAX + 2);
					if (skel == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					if ((size_t)arr + 1 > JSON_SKELETON_MAX) {
						char q[IC_QUOTE_SIZE];
						ic_error_at(err, in->name, 1, 1, "JSON before the %s array larger than %u KiB",
							    ic_quote(buf + (key - base), (size_t)klen, 60, q),
							    JSON_SKELETON_MAX >> 10);
						goto out;
					}
					memcpy(skel, buf + start, (size_t)arr + 1);
					skel_len = (size_t)arr + 1;
				}
				if (json_stream_item(rc, buf + (sp.at - base), (size_t)(sp.end - sp.at),
						     sp.line, sp.col, idx++, err) != 0)
					goto out;
			} else if (ev == JS_CLOSE) {
				/* the skeleton goes on with the ']', at its place in the file */
				pieces[0] = (struct json_piece){ 0, 1, 1 };
				pieces[1] = (struct json_piece){ skel_len, sp.line, sp.col };
				tail_from = sp.at;
			}
		}
		if (streaming < 0) {
			ret = 1;	/* nothing dropped: the caller reads it whole */
			goto out;
		}
		if (tail_from >= 0) {
			size_t n = (size_t)(base + (long long)len - tail_from);
			if (skel_len + n > JSON_SKELETON_MAX) {
				char q[IC_QUOTE_SIZE];
				ic_error_at(err, in->name, sp.line, sp.col, "JSON after the %s array larger than %u KiB",
					    ic_quote(skel + key, (size_t)klen, 60, q), JSON_SKELETON_MAX >> 10);
				goto out;
			}
			memcpy(skel + skel_len, buf + (tail_from - base), n);
			skel_len += n;
			tail_from += (long long)n;
		}
		if (eof) {
			if (streaming == 0) {
				ret = 1;
				goto out;
			}
			break;
		}
		if (stream_refill(in, bufp, &len, &cap, &base,
				  streaming == 1 ? (tail_from >= 0 ? tail_from : json_split_keep(&sp)) : -1,
				  "element", sp.item_line, sp.item_col, &eof, err) != 0)
			goto out;
		buf = *bufp;
	}
	if (tail_from < 0) {
		char q[IC_QUOTE_SIZE];
		ic_error_at(err, in->name, sp.cur_line, (long)(sp.pos - sp.line_start) + 1,
			    "invalid JSON (the file ends inside the %s array)",
			    ic_quote(skel + key, (size_t)klen, 60, q));
		goto out;
	}
	if (json_scan_pieces(in->name, pieces, 2, skel, skel_len, err) != 0)
		goto out;
	{
		const char *end = NULL;
		cJSON *v = cJSON_ParseWithLengthOpts(skel, skel_len, &end, 0);
		if (v == NULL || !blank_text(end, skel_len - (size_t)(end - skel))) {
			const char *e = v ? end : cJSON_GetErrorPtr();
			size_t off = e && e >= skel && e <= skel + skel_len ? (size_t)(e - skel) : 0;
			long l, c;
			while (v && off < skel_len && blank_text(skel + off, 1))
				off++;	/* at what follows the document */
			json_pos_pieces(skel, off, pieces, 2, &l, &c);
			ic_error_at(err, in->name, l, c, v ? "a price list is one JSON document, not JSON lines"
							   : "invalid JSON");
			cJSON_Delete(v);
			goto out;
		}
		cJSON_Delete(v);
	}
	rc->records++;
	ret = 0;
out:
	*lenp = len;
	*capp = cap;
	*eofp = eof;
	free(skel);
	return ret;
}

/* ---- documents read by object member (AWS offer files) ---- */

/* The keys of one streamed object, for its duplicates. */
struct keyset {
	struct keyent {
		char *key;
		long line, col;
	} *e;
	size_t n, cap;
};

static uint64_t
keyset_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void
keyset_clear(struct keyset *ks)
{
	for (size_t i = 0; i < ks->cap; i++)
		free(ks->e[i].key);
	free(ks->e);
	memset(ks, 0, sizeof *ks);
}

/* Add key (first seen at line, col).  1 added, 0 already there (*first:
 * that entry), -1 out of memory. */
static int
keyset_add(struct keyset *ks, const char *key, long line, long col, const struct keyent **first)
{
	size_t i;

	if (2 * (ks->n + 1) > ks->cap) {
		struct keyset big = { NULL, 0, ks->cap ? ks->cap * 2 : 1024 };
		big.e = calloc(big.cap, sizeof *big.e);
		if (big.e == NULL)
			return -1;
		for (size_t k = 0; k < ks->cap; k++) {
			if (ks->e[k].key == NULL)
				continue;
			for (i = keyset_hash(ks->e[k].key) & (big.cap - 1); big.e[i].key; i = (i + 1) & (big.cap - 1))
				;
			big.e[i] = ks->e[k];
		}
		free(ks->e);
		big.n = ks->n;
		*ks = big;
	}
	for (i = keyset_hash(key) & (ks->cap - 1); ks->e[i].key; i = (i + 1) & (ks->cap - 1))
		if (strcmp(ks->e[i].key, key) == 0) {
			*first = &ks->e[i];
			return 0;
		}
	if ((ks->e[i].key = strdup(key)) == NULL)
		return -1;
	ks->e[i].line = line;
	ks->e[i].col = col;
	ks->n++;
	return 1;
}

/* The paths of the price format that reads objects member by member
 * (price_format.json_objects), or NULL. */
static const char *const *
member_paths(void)
{
	for (int i = 0; importers[i]; i++)
		if (importers[i]->kind == KIND_PRICES && importers[i]->prices->json_member)
			return importers[i]->prices->json_objects;
	return NULL;
}

/*
 * Would the document whose bytes doc[0..at] end with the '{' of the first
 * object sp names be read member by member?  Detected on the document
 * cut there (what precedes, the object empty, its containers closed).  1
 * yes (importer opened), 0 no, -1 error.
 */
static int
members_stream(struct row_ctx *rc, const char *doc, size_t at, const struct json_osplit *sp,
	       const char *const *paths, struct ic_error *err)
{
	const struct importer *imp;
	char *mini = malloc(at + 1 + JSON_OSPLIT_DEPTH + 2);
	size_t n = at + 1;
	cJSON *v;
	int ret = 0;

	if (mini == NULL)
		return ic_errorf(err, "out of memory");
	memcpy(mini, doc, n);
	for (int d = sp->split_depth; d >= 1; d--)
		mini[n++] = sp->is_obj[d - 1] ? '}' : ']';
	v = cJSON_ParseWithLengthOpts(mini, n, NULL, 0);
	free(mini);
	if (v == NULL)
		return 0;	/* read whole: the parser says what is wrong */
	imp = rc->s->opts.as ? importer_find(rc->s->opts.as) : importer_detect_json(v);
	if (imp != NULL && imp->kind == KIND_PRICES && imp->prices->json_objects == paths)
		ret = json_open(rc, v, 1, err) == 0 ? 1 : -1;
	cJSON_Delete(v);
	return ret;
}

/* One member text[0..len) of a streamed object, at line, col of the
 * file: parsed as {TEXT}, checked against the object's other keys, fed. */
static int
members_item(struct row_ctx *rc, struct keyset *ks, int which, const char *parent,
	     const char *text, size_t len, long line, long col, struct ic_error *err)
{
	struct json_piece at[2] = { { 0, line, col - 1 }, { 1, line, col } };
	struct csv_record fake = { NULL, 0, line, 0 };
	const struct keyent *first = NULL;
	const char *end = NULL;
	char *m;
	cJSON *v;
	int ret;

	if (len == 0)
		return ic_error_at(err, rc->in->name, line, col, "invalid JSON");
	if ((m = malloc(len + 2)) == NULL)
		return ic_errorf(err, "out of memory");
	m[0] = '{';
	memcpy(m + 1, text, len);
	m[len + 1] = '}';
	if (json_scan_pieces(rc->in->name, at, 2, m, len + 2, err) != 0) {
		free(m);
		return -1;
	}
	v = cJSON_ParseWithLengthOpts(m, len + 2, &end, 0);
	if (v == NULL || v->child == NULL || v->child->next != NULL || end != m + len + 2) {
		const char *e = v ? end : cJSON_GetErrorPtr();
		size_t off = e && e >= m && e <= m + len + 2 ? (size_t)(e - m) : 1;
		long l, c;
		cJSON_Delete(v);
		json_pos_pieces(m, off, at, 2, &l, &c);
		free(m);
		return ic_error_at(err, rc->in->name, l, c, "invalid JSON");
	}
	free(m);
	ret = keyset_add(ks, v->child->string, line, col, &first);
	if (ret <= 0) {
		char q[IC_QUOTE_SIZE];
		cJSON_Delete(v);
		if (ret < 0)
			return ic_errorf(err, "out of memory");
		ic_quote(first->key, strlen(first->key), 60, q);
		return ic_error_at(err, rc->in->name, line, col,
				   "duplicate key \"%s\" (first at line %ld, column %ld)", q, first->line, first->col);
	}
	rc->rec = &fake;
	ret = price_import_json_member(rc->pi, which, parent, v->child, line, err);
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

/* skel[*lenp..) += src[0..n), within JSON_SKELETON_MAX; -1 with err set */
static int
skel_add(char *skel, size_t *lenp, const char *src, size_t n, const char *name, long line, long col,
	 struct ic_error *err)
{
	if (*lenp + n > JSON_SKELETON_MAX)
		return ic_error_at(err, name, line, col, "JSON outside the objects read member by member larger than %u KiB",
				   JSON_SKELETON_MAX >> 10);
	memcpy(skel + *lenp, src, n);
	*lenp += n;
	return 0;
}

/*
 * As json_document, for a price list whose format reads objects member
 * by member (price_format.json_objects: AWS offer files' products and
 * terms.*): each member parsed alone and dropped, so memory is bounded
 * by the largest member and what the format keeps, not the file; what
 * surrounds those objects (at most JSON_SKELETON_MAX bytes) is checked
 * and read as a document with them empty.  Same returns as json_document.
 */
static int
json_members_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp,
		      size_t *capp, size_t start, int *eofp, struct ic_error *err)
{
	const char *const *paths = member_paths();
	char *buf = *bufp, *skel = NULL;
	size_t len = *lenp, cap = *capp, skel_len = 0;
	int eof = *eofp, streaming = 0, ret = -1, npieces = 1, cpieces = 8;
	struct json_osplit sp;
	struct json_piece *pieces = NULL;
	struct keyset ks = { NULL, 0, 0 };
	long long base = -(long long)start, skel_from = 0;
	char parent[64] = "";

	if (paths == NULL)
		return 1;
	json_osplit_init(&sp, paths, JSON_SKELETON_MAX);
	for (;;) {
		while (streaming >= 0) {
			enum json_split_event ev = json_osplit_next(&sp, buf, base, len);
			if (ev == JS_MORE)
				break;
			if (ev == JS_NONE) {
				streaming = -1;
			} else if (ev == JS_ARRAY) {
				if (streaming == 0) {
					int r = sp.which != 0 ? 0 : members_stream(rc, buf + start, (size_t)sp.at, &sp, paths, err);
					if (r < 0)
						goto out;
					if (r == 0) {
						streaming = -1;
						break;
					}
					streaming = 1;
					skel = malloc(JSON_SKELETON_MAX + 2);
					pieces = malloc((size_t)cpieces * sizeof *pieces);
					if (skel == NULL || pieces == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					pieces[0] = (struct json_piece){ 0, 1, 1 };
				}
				if (skel_add(skel, &skel_len, buf + (skel_from - base), (size_t)(sp.at + 1 - skel_from),
					     in->name, sp.line, sp.col, err) != 0)
					goto out;
				skel_from = -1;
				keyset_clear(&ks);
				memcpy(parent, sp.key[sp.split_depth - 1], sp.key_len[sp.split_depth - 1]);
				parent[sp.key_len[sp.split_depth - 1]] = '\0';
			} else if (ev == JS_ITEM) {
				if (members_item(rc, &ks, sp.which, parent, buf + (sp.at - base),
						 (size_t)(sp.end - sp.at), sp.line, sp.col, err) != 0)
					goto out;
			} else if (ev == JS_CLOSE && streaming == 0) {
				streaming = -1;	/* the document ended before any such object */
			} else if (ev == JS_CLOSE && skel_from < 0) {
				/* the skeleton goes on with the '}', at its place in the file */
				if (npieces == cpieces) {
					struct json_piece *np = realloc(pieces, (size_t)(cpieces *= 2) * sizeof *pieces);
					if (np == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					pieces = np;
				}
				pieces[npieces++] = (struct json_piece){ skel_len, sp.line, sp.col };
				skel_from = sp.at;
				keyset_clear(&ks);
			}
		}
		if (streaming < 0) {
			ret = 1;	/* nothing dropped: the caller reads it whole */
			goto out;
		}
		if (streaming == 1 && skel_from >= 0) {
			/* between the objects: what was read goes to the skeleton */
			long long to = sp.done ? base + (long long)len : sp.pos;
			long l = sp.cur_line, c = (long)(sp.pos - sp.line_start) + 1;
			if (skel_add(skel, &skel_len, buf + (skel_from - base), (size_t)(to - skel_from),
				     in->name, l, c, err) != 0)
				goto out;
			skel_from = to;
		}
		if (eof) {
			if (streaming == 0) {
				ret = 1;
				goto out;
			}
			break;
		}
		if (stream_refill(in, bufp, &len, &cap, &base,
				  streaming == 1 ? (skel_from >= 0 ? skel_from : json_osplit_keep(&sp)) : -1,
				  "member", sp.mem_line, sp.mem_col, &eof, err) != 0)
			goto out;
		buf = *bufp;
	}
	if (skel_from < 0) {
		char q[IC_QUOTE_SIZE];
		ic_error_at(err, in->name, sp.cur_line, (long)(sp.pos - sp.line_start) + 1,
			    "invalid JSON (the file ends inside the %s object)",
			    ic_quote(parent, strlen(parent), 60, q));
		goto out;
	}
	if (json_scan_pieces(in->name, pieces, npieces, skel, skel_len, err) != 0)
		goto out;
	{
		const char *end = NULL;
		cJSON *v = cJSON_ParseWithLengthOpts(skel, skel_len, &end, 0);
		if (v == NULL || !blank_text(end, skel_len - (size_t)(end - skel))) {
			const char *e = v ? end : cJSON_GetErrorPtr();
			size_t off = e && e >= skel && e <= skel + skel_len ? (size_t)(e - skel) : 0;
			long l, c;
			while (v && off < skel_len && blank_text(skel + off, 1))
				off++;	/* at what follows the document */
			json_pos_pieces(skel, off, pieces, npieces, &l, &c);
			ic_error_at(err, in->name, l, c, v ? "a price list is one JSON document, not JSON lines"
							   : "invalid JSON");
			cJSON_Delete(v);
			goto out;
		}
		{
			struct csv_record fake = { NULL, 0, 1, 0 };
			rc->rec = &fake;
			ret = price_import_json_skeleton(rc->pi, v, err);
			rc->rec = NULL;
		}
		cJSON_Delete(v);
		if (ret != 0) {
			ret = -1;
			goto out;
		}
	}
	rc->records++;
	ret = 0;
out:
	*lenp = len;
	*capp = cap;
	*eofp = eof;
	keyset_clear(&ks);
	free(pieces);
	free(skel);
	return ret;
}

/*
 * Read a JSON file: JSON lines when the first line is a complete value and
 * more follows, else one document (at most JSON_DOC_MAX bytes).
 */
static int
import_json(struct row_ctx *rc, struct input *in, struct ic_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, start = 0;
	long line = 1;
	int mode = 0;	/* 0 unknown, 1 lines, 2 document */
	int ret = -1, at_eof = 0, tried = 0;

	for (;;) {
		if (!at_eof) {
			ssize_t got;
			if (cap - len < 65536) {
				size_t ncap = cap ? cap * 2 : 1 << 20;
				char *nb;
				if (ncap > JSON_DOC_MAX + (1 << 20)) {
					ic_error_at(err, in->name, line, 0, "JSON %s larger than %u MiB",
						    mode == 1 ? "line" : "document (use JSON lines for big exports)",
						    JSON_DOC_MAX >> 20);
					goto out;
				}
				nb = realloc(buf, ncap);
				if (nb == NULL) {
					ic_errorf(err, "out of memory");
					goto out;
				}
				buf = nb;
				cap = ncap;
			}
			got = input_read(in, buf + len, cap - len - 1, err);
			if (got < 0)
				goto out;
			if (len == 0 && got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				start = 3;
			len += (size_t)got;
			at_eof = got == 0;
		}
		if (mode != 2) {
			/* hand out complete lines */
			char *nl;
			while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
				size_t n = (size_t)(nl - (buf + start));
				if (mode == 0) {
					const char *end = NULL;
					cJSON *v = cJSON_ParseWithLengthOpts(buf + start, n, &end, 0);
					mode = v ? 1 : 2;
					cJSON_Delete(v);
					if (mode == 2)
						break;
				}
				if (!blank_text(buf + start, n) &&
				    json_value(rc, buf + start, n, line, 0, err) != 0)
					goto out;
				line++;
				start += n + 1;
			}
			if (mode == 1 && start > 0) {
				memmove(buf, buf + start, len - start);
				len -= start;
				start = 0;
			}
		}
		/* one document, or a first line too long to wait for: a price
		 * list that reads its big array as a stream is read there */
		if (!tried && (mode == 2 || (mode == 0 && len - start >= JSON_STREAM_AFTER))) {
			int r = json_members_document(rc, in, &buf, &len, &cap, start, &at_eof, err);
			if (r == 1)
				r = json_document(rc, in, &buf, &len, &cap, start, &at_eof, err);
			tried = 1;
			if (r <= 0) {
				ret = r;
				goto out;
			}
			continue;	/* not streamed: read on as before (lines too) */
		}
		if (at_eof)
			break;
	}
	if (mode == 2 || mode == 0) {
		if (blank_text(buf + start, len - start) && rc->records == 0) {
			ic_error_at(err, in->name, 1, 1, "empty JSON file");
			goto out;
		}
		if (json_value(rc, buf + start, len - start, line, mode != 1, err) != 0)
			goto out;
	} else if (!blank_text(buf + start, len - start)) {
		if (json_value(rc, buf + start, len - start, line, 0, err) != 0)
			goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/* ---- bookkeeping after the rows ---- */

static int
find_current_duplicate(struct import_session *s, const char *sha, int64_t self,
		       int64_t *dup_id, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"SELECT i.id FROM imports i WHERE i.sha256 = ? AND i.id <> ?"
		" AND (i.kind IN ('usage', 'prices')"
		"  OR (EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id AND p.replaced_by IS NULL)"
		"   AND NOT EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id"
		"    AND p.replaced_by IS NULL AND p.replaced_rows > 0))"
		"  OR (i.rows = 0 AND NOT EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id)))"
		" ORDER BY i.id DESC LIMIT 1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, self);
	rc = sqlite3_step(st);
	*dup_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s->db, "looking for an earlier import", err);
	return 0;
}

/* One earlier (import, period) a file may restate. */
struct older {
	int64_t rowid, first, last, import_id, period, rows, replaced_rows;
};

/* The (import, period) rows of other batches, current, with the
 * provider and account of a; period = 0: any period.  Returns the count
 * (array owned by the caller, *out) or -1 with err set. */
static int
find_older(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
	   int64_t period, const char *also, const char *skip, struct older **out,
	   struct ic_error *err)
{
	/* other batches' imports, and this batch's of dataset `also`; none of
	 * dataset `skip` */
	sqlite3_stmt *st = db_prepare(s->db,
		"SELECT p.rowid, i.first_rowid, i.last_rowid, p.import_id, p.billing_period_start,"
		" p.rows, p.replaced_rows FROM import_periods p JOIN imports i ON i.id = p.import_id"
		" WHERE p.provider = ?1 AND p.billing_account_id = ?2"
		" AND (?3 = 0 OR p.billing_period_start = ?3)"
		" AND p.replaced_by IS NULL AND i.id <> ?5 AND i.first_rowid IS NOT NULL"
		" AND (i.batch_id <> ?4 OR i.dataset = ?6) AND (?7 IS NULL OR i.dataset IS NOT ?7)", err);
	struct older *v = NULL;
	int n = 0, cap = 0, r;

	*out = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, a->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, period);
	sqlite3_bind_int64(st, 4, s->batch_id);
	sqlite3_bind_int64(st, 5, rc->import_id);
	if (also)
		sqlite3_bind_text(st, 6, also, -1, SQLITE_STATIC);
	if (skip)
		sqlite3_bind_text(st, 7, skip, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct older *nv = realloc(v, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *nv);
			if (nv == NULL) {
				free(v);
				sqlite3_finalize(st);
				return ic_errorf(err, "out of memory");
			}
			v = nv;
		}
		v[n].rowid = sqlite3_column_int64(st, 0);
		v[n].first = sqlite3_column_int64(st, 1);
		v[n].last = sqlite3_column_int64(st, 2);
		v[n].import_id = sqlite3_column_int64(st, 3);
		v[n].period = sqlite3_column_int64(st, 4);
		v[n].rows = sqlite3_column_int64(st, 5);
		v[n].replaced_rows = sqlite3_column_int64(st, 6);
		n++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		free(v);
		return db_error(s->db, "looking for restated periods", err);
	}
	*out = v;
	return n;
}

/*
 * Move the rows of o whose ChargePeriodStart lies in [ws, we] to
 * replaced_charges (replaced by import by_import of batch by_batch) and
 * record it in import_periods.  *moved gets the number of rows.
 */
static int
restate_rows(struct import_session *s, int64_t by_import, int64_t by_batch,
	     const struct period_acc *a, const struct older *o, int64_t ws, int64_t we,
	     long *moved, struct ic_error *err)
{
#define RESTATE_WHERE " WHERE id BETWEEN ?1 AND ?2 AND import_id = ?3 AND BillingPeriodStart = ?4" \
	" AND ChargePeriodStart BETWEEN ?5 AND ?6 AND EXISTS(SELECT 1 FROM charge_dims d" \
	" WHERE d.id = charge_facts.dim_id AND d.ProviderName = ?7 AND d.BillingAccountId = ?8)"
	static const char *const sql[2] = {
		"INSERT INTO replaced_charges(" DB_FACT_COLS ", replaced_by_import) SELECT "
		DB_FACT_COLS ", ?9 FROM charge_facts" RESTATE_WHERE,
		"DELETE FROM charge_facts" RESTATE_WHERE,
	};
#undef RESTATE_WHERE
	int ret = -1;

	*moved = 0;
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st = db_prepare(s->db, sql[k], err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->first);
		sqlite3_bind_int64(st, 2, o->last);
		sqlite3_bind_int64(st, 3, o->import_id);
		sqlite3_bind_int64(st, 4, o->period);
		sqlite3_bind_int64(st, 5, ws);
		sqlite3_bind_int64(st, 6, we);
		sqlite3_bind_text(st, 7, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, a->account, -1, SQLITE_STATIC);
		if (k == 0)
			sqlite3_bind_int64(st, 9, by_import);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(s->db, "removing the rows this import restates", err);
		}
		sqlite3_finalize(st);
		if (k == 0)
			*moved = (long)sqlite3_changes(s->db);
	}
	if (*moved == 0)
		return 0;
	if (o->replaced_rows + *moved >= o->rows) {
		/* the whole period: its rollup rows go with it */
		if (rollup_delete_period(s->db, o->import_id, a->provider, a->account, o->period,
					 err) != 0)
			return -1;
	} else {
		s->rollup_stale |= ROLLUP_CHARGES;	/* part of a period: rebuilt at commit */
	}
	{
		sqlite3_stmt *st = db_prepare(s->db,
			"UPDATE import_periods SET replaced_rows = MIN(rows, replaced_rows + ?1),"
			" replaced_by = CASE WHEN replaced_rows + ?1 >= rows THEN ?2 END WHERE rowid = ?3",
			err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, *moved);
		sqlite3_bind_int64(st, 2, by_batch);
		sqlite3_bind_int64(st, 3, o->rowid);
		if (sqlite3_step(st) == SQLITE_DONE)
			ret = 0;
		else
			db_error(s->db, "marking restated periods", err);
		sqlite3_finalize(st);
	}
	return ret;
}

/* Are there current rows of other batches this file's rows of a would
 * have replaced?  (RESTATES_NOTHING: they are added, with a warning.) */
static int
warn_overlap(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
	     struct ic_error *err)
{
	struct older *v;
	int n = find_older(s, rc, a, a->start, NULL, NULL, &v, err);

	free(v);
	if (n < 0)
		return -1;
	if (n > 0)
		add_warning(rc->res, "this format does not say what it is a complete copy of: its rows "
			    "were added to the earlier imports of the same billing period (import "
			    "--replace to replace them, --add to say so; imcost forget undoes an import)",
			    0, 0, 1, "period");
	return 0;
}

/*
 * An actual-cost file (Azure) whose rows an amortized file of the same
 * month already holds: its rows in the span of each current amortized
 * import's rows of key a move to replaced_charges, replaced by that
 * import, so the shared rows come from the amortized file whatever the
 * order (and forgetting the amortized import brings them back).
 */
static int
yield_to_amortized(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
		   struct ic_error *err)
{
	sqlite3_stmt *am = db_prepare(s->db,
		"SELECT i.id, i.batch_id, (SELECT MIN(f.ChargePeriodStart) FROM charge_facts f"
		"  JOIN charge_dims d ON d.id = f.dim_id WHERE f.id BETWEEN i.first_rowid AND i.last_rowid"
		"  AND f.import_id = i.id AND f.BillingPeriodStart = ?3 AND d.ProviderName = ?1"
		"  AND d.BillingAccountId = ?2),"
		" (SELECT MAX(f.ChargePeriodStart) FROM charge_facts f"
		"  JOIN charge_dims d ON d.id = f.dim_id WHERE f.id BETWEEN i.first_rowid AND i.last_rowid"
		"  AND f.import_id = i.id AND f.BillingPeriodStart = ?3 AND d.ProviderName = ?1"
		"  AND d.BillingAccountId = ?2)"
		" FROM imports i WHERE i.dataset = 'amortized' AND i.id <> ?4 AND EXISTS(SELECT 1"
		" FROM import_periods p WHERE p.import_id = i.id AND p.provider = ?1"
		" AND p.billing_account_id = ?2 AND p.billing_period_start = ?3 AND p.replaced_by IS NULL)",
		err);
	sqlite3_stmt *own = am ? db_prepare(s->db,
		"SELECT rowid, rows, replaced_rows FROM import_periods WHERE import_id = ?1"
		" AND provider = ?2 AND billing_account_id = ?3 AND billing_period_start = ?4"
		" AND replaced_by IS NULL", err) : NULL;
	int r, ret = -1;

	if (own == NULL)
		goto out;
	sqlite3_bind_text(am, 1, a->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(am, 2, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(am, 3, a->start);
	sqlite3_bind_int64(am, 4, rc->import_id);
	while ((r = sqlite3_step(am)) == SQLITE_ROW) {
		struct older o;
		long moved;

		if (sqlite3_column_type(am, 2) == SQLITE_NULL)
			continue;
		sqlite3_reset(own);
		sqlite3_bind_int64(own, 1, rc->import_id);
		sqlite3_bind_text(own, 2, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(own, 3, a->account, -1, SQLITE_STATIC);
		sqlite3_bind_int64(own, 4, a->start);
		if (sqlite3_step(own) != SQLITE_ROW)
			break;	/* nothing of ours left in this period */
		memset(&o, 0, sizeof o);
		o.rowid = sqlite3_column_int64(own, 0);
		o.rows = sqlite3_column_int64(own, 1);
		o.replaced_rows = sqlite3_column_int64(own, 2);
		o.first = rc->first_rowid;
		o.last = rc->last_rowid;
		o.import_id = rc->import_id;
		o.period = a->start;
		if (restate_rows(s, sqlite3_column_int64(am, 0), sqlite3_column_int64(am, 1), a, &o,
				 sqlite3_column_int64(am, 2), sqlite3_column_int64(am, 3), &moved,
				 err) != 0)
			goto out;
		if (moved > 0)
			add_warning(rc->res, "actual cost file: rows the amortized cost file of the month "
				    "also holds are taken from the amortized file (imcost forget of that "
				    "import brings these back)", 0, 0, moved, NULL);
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		db_error(s->db, "looking for the amortized file of the month", err);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(am);
	sqlite3_finalize(own);
	return ret;
}

/*
 * The rows of other batches this file restates (enum restates, the
 * import's --replace/--add) move to replaced_charges.  Azure: an amortized
 * file also restates the shared rows of an actual file of the same
 * command, and an actual file never restates an amortized file's rows (it
 * yields its own, yield_to_amortized).
 */
static int
replace_older(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	enum restates how = rc->imp->restates;
	const char *also = NULL, *skip = NULL;
	int ret = -1;

	if (rc->dataset && strcmp(rc->dataset, "amortized") == 0)
		also = "actual";
	else if (rc->dataset && strcmp(rc->dataset, "actual") == 0)
		skip = "amortized";

	if (s->opts.restate == RESTATE_FORCE_PERIOD)
		how = RESTATES_PERIOD;
	else if (s->opts.restate == RESTATE_FORCE_ADD)
		return 0;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		int64_t ws = INT64_MIN, we = INT64_MAX, period = a->start;
		struct older *v = NULL;
		int n, dup = 0;

		if (how == RESTATES_NOTHING) {
			if (warn_overlap(s, rc, a, err) != 0)
				return -1;
			continue;
		}
		if (how == RESTATES_PERIOD_WINDOW) {
			ws = a->cmin;
			we = a->cmax;
		} else if (how == RESTATES_WINDOW) {
			/* one window per provider and account, over all its periods */
			for (int j = 0; j < i; j++)
				dup |= strcmp(rc->acc[j].provider, a->provider) == 0 &&
				       strcmp(rc->acc[j].account, a->account) == 0;
			if (dup)
				continue;
			ws = a->cmin;
			we = a->cmax;
			for (int j = i + 1; j < rc->nacc; j++)
				if (strcmp(rc->acc[j].provider, a->provider) == 0 &&
				    strcmp(rc->acc[j].account, a->account) == 0) {
					if (rc->acc[j].cmin < ws)
						ws = rc->acc[j].cmin;
					if (rc->acc[j].cmax > we)
						we = rc->acc[j].cmax;
				}
			period = 0;
		}
		n = find_older(s, rc, a, period, also, skip, &v, err);
		if (n < 0)
			return -1;
		for (int k = 0; k < n; k++) {
			long moved;
			if (restate_rows(s, rc->import_id, s->batch_id, a, &v[k], ws, we, &moved,
					 err) != 0) {
				free(v);
				return -1;
			}
			if (moved > 0)
				rc->res->replaced++;
		}
		free(v);
		if (skip && rc->first_rowid && yield_to_amortized(s, rc, a, err) != 0)
			return -1;
	}
	if (rc->res->replaced > 0) {
		/* one earlier copy is kept: the rows that imports wholly replaced
		 * now had replaced go */
		if (db_exec(s->db, "DELETE FROM replaced_charges WHERE replaced_by_import IN"
			    " (SELECT i.id FROM imports i WHERE EXISTS(SELECT 1 FROM import_periods p"
			    " WHERE p.import_id = i.id) AND NOT EXISTS(SELECT 1 FROM import_periods p"
			    " WHERE p.import_id = i.id AND p.replaced_by IS NULL))",
			    "dropping rows replaced twice", err) != 0)
			goto out;
		if (db_exec(s->db, DB_DROP_UNUSED_DIMS, "removing the rows this import restates",
			    err) != 0)
			goto out;
	}
	ret = 0;
out:
	return ret;
}

static int
record_periods(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"INSERT INTO import_periods(import_id, provider, billing_account_id,"
		" billing_period_start, billing_period_end, currency, rows,"
		" billed_cost_nanos, effective_cost_nanos) VALUES(?,?,?,?,?,?,?,?,?)", err);

	if (st == NULL)
		return -1;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rc->import_id);
		sqlite3_bind_text(st, 2, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->account, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, a->start);
		sqlite3_bind_int64(st, 5, a->end);
		sqlite3_bind_text(st, 6, a->currency, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, a->rows);
		sqlite3_bind_int64(st, 8, a->billed);
		sqlite3_bind_int64(st, 9, a->effective);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(s->db, "recording the import's periods", err);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

struct factor_put {
	sqlite3_stmt *st;
	int failed;
};

static void
put_factor(void *arg, const char *provider, const char *type, double f)
{
	struct factor_put *fp = arg;

	if (fp->failed || !(f > 0))
		return;
	sqlite3_reset(fp->st);
	sqlite3_bind_text(fp->st, 1, provider, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(fp->st, 2, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(fp->st, 3, f);
	if (sqlite3_step(fp->st) != SQLITE_DONE)
		fp->failed = 1;
}

/* The file's instance size factors into instance_types (list_id 0: from a
 * bill), where no price list stated one: commitments (size flexibility)
 * reads them for sizes without a factor of their own (.metal).  Returns 0
 * or -1 with err set. */
static int
save_size_factors(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	struct factor_put fp = { NULL, 0 };

	fp.st = db_prepare(s->db, "INSERT INTO instance_types(provider, instance_type, size_factor,"
			   " list_id) VALUES(?, ?, ?, 0) ON CONFLICT(provider, instance_type) DO UPDATE"
			   " SET size_factor = excluded.size_factor WHERE size_factor IS NULL", err);
	if (fp.st == NULL)
		return -1;
	rc->imp->size_factors(rc->state, put_factor, &fp);
	sqlite3_finalize(fp.st);
	if (fp.failed)
		return db_error(s->db, "saving instance size factors", err);
	return 0;
}

static int
finish_import(struct import_session *s, struct row_ctx *rc, const char *path,
	      struct ic_error *err)
{
	sqlite3_stmt *st;
	char warn[IMPORT_MAX_WARNINGS * 300] = "";
	size_t wl = 0;

	for (int i = 0; i < rc->res->nwarnings; i++) {
		const struct import_warning *w = &rc->res->warnings[i];
		int n = snprintf(warn + wl, sizeof warn - wl, "%s%s (%ld %ss)", i ? "; " : "",
				 w->msg, w->count, w->unit ? w->unit : "row");
		if (n > 0 && (size_t)n < sizeof warn - wl)
			wl += (size_t)n;
	}
	st = db_prepare(s->db,
		"UPDATE imports SET path = ?, sha256 = ?, format = ?, kind = ?, records = ?, rows = ?,"
		" first_rowid = ?, last_rowid = ?, warnings = ?, dataset = ?11 WHERE id = ?10", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rc->res->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rc->imp->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rc->imp->kind == KIND_USAGE ? "usage" :
			  rc->imp->kind == KIND_PRICES ? "prices" : "charges", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, rc->records);
	sqlite3_bind_int64(st, 6, rc->rows);
	if (rc->first_rowid) {
		sqlite3_bind_int64(st, 7, rc->first_rowid);
		sqlite3_bind_int64(st, 8, rc->last_rowid);
	}
	if (wl)
		sqlite3_bind_text(st, 9, warn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, rc->import_id);
	if (rc->dataset)
		sqlite3_bind_text(st, 11, rc->dataset, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the import", err);
	}
	sqlite3_finalize(st);
	if (record_periods(s, rc, err) != 0)
		return -1;
	return replace_older(s, rc, err);
}

static int
start_import(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	sqlite3_stmt *st;
	char now[32];

	if (ensure_batch(s, err) != 0)
		return -1;
	st = db_prepare(s->db,
		"INSERT INTO imports(batch_id, path, sha256, format, kind, records, rows, imported_at)"
		" VALUES(?, '', '', '', '', 0, 0, ?)", err);
	if (st == NULL)
		return -1;
	now_iso(now);
	sqlite3_bind_int64(st, 1, s->batch_id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the import", err);
	}
	sqlite3_finalize(st);
	rc->import_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
summarize(struct row_ctx *rc)
{
	struct import_result *res = rc->res;

	res->records = rc->records;
	res->rows = rc->rows;
	res->import_id = rc->import_id;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		if (res->period_start == 0 || a->start < res->period_start)
			res->period_start = a->start;
		if (a->end > res->period_end)
			res->period_end = a->end;
		if (res->currency[0] == '\0') {
			snprintf(res->currency, sizeof res->currency, "%s", a->currency);
			res->ncurrencies = 1;
		}
		if (strcmp(res->currency, a->currency) == 0) {
			money_add(res->billed, a->billed, &res->billed);
			money_add(res->effective, a->effective, &res->effective);
		} else {
			int seen = 0;
			for (int j = 0; j < i; j++)
				seen |= strcmp(rc->acc[j].currency, a->currency) == 0;
			if (!seen)
				res->ncurrencies++;
		}
	}
}

/* A savepoint was rolled back: forget a batch row made inside it. */
static void
undo_savepoint_batch(struct import_session *s)
{
	if (s->batch_in_sp)
		s->batch_id = 0;
	s->batch_in_sp = 0;
	s->in_sp = 0;
}

static int
adopt_duplicate(struct import_session *s, int64_t dup, struct ic_error *err)
{
	sqlite3_stmt *st;

	if (ensure_batch(s, err) != 0)
		return -1;
	st = db_prepare(s->db, "UPDATE imports SET batch_id = ? WHERE id = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->batch_id);
	sqlite3_bind_int64(st, 2, dup);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "moving the earlier import into this batch", err);
	}
	sqlite3_finalize(st);
	return 0;
}

/* import_sniff's CSV callback: detect from the first record, then stop */
struct sniff {
	const struct importer *imp;
	int seen;
};

static int
sniff_record(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct sniff *sn = ctx;
	struct header h;

	memset(&h, 0, sizeof h);
	h.f = rec->f;
	h.n = rec->n;
	sn->imp = importer_detect(&h);
	sn->seen = 1;
	return ic_errorf(err, "enough");	/* stops csv_read_all */
}

const struct importer *
import_sniff(const char *path, const char *as)
{
	struct input in;
	struct ic_error err;
	struct sniff sn;
	const unsigned char *peek;
	ssize_t np, k = 0;

	if (as)
		return importer_find(as);
	if (strcmp(path, "-") == 0)
		return NULL;
	memset(&err, 0, sizeof err);
	memset(&sn, 0, sizeof sn);
	if (input_open(&in, path, &err) != 0)
		return NULL;
	np = input_peek(&in, 64, &peek, &err);
	if (np >= 3 && memcmp(peek, "\xef\xbb\xbf", 3) == 0)
		k = 3;
	while (k < np && (peek[k] == ' ' || peek[k] == '\t' || peek[k] == '\r' || peek[k] == '\n'))
		k++;
	if (parquet_magic(peek, np > 0 ? (size_t)np : 0))
		(void)parquet_read_all(&in, sniff_record, &sn, &err);
	else if (np > 0 && k < np && peek[k] != '{' && peek[k] != '[')
		(void)csv_read_all(&in, sniff_record, &sn, &err);
	input_close(&in);
	return sn.seen ? sn.imp : NULL;
}

int
import_file(struct import_session *s, const char *path, struct import_result *res,
	    struct ic_error *err)
{
	struct input in;
	struct row_ctx rc;
	int64_t dup = 0;
	int ret = -1, in_sp = 0;

	memset(res, 0, sizeof *res);
	memset(&rc, 0, sizeof rc);
	rc.s = s;
	rc.in = &in;
	rc.res = res;
	rc.last_acc = -1;
	rc.money_col = -1;
	if (input_open(&in, path, err) != 0)
		return -1;
	if (!s->in_tx) {
		if (!s->bulk_journal)
			s->bulk_journal = db_bulk_journal(s->db);
		if (db_exec(s->db, "BEGIN IMMEDIATE", "locking the database", err) != 0)
			goto out;
		s->in_tx = 1;
		/* the import maintains the rollups itself: no stale-marking
		 * triggers until import_session_commit puts them back */
		if (rollup_stale(s->db, &s->rollup_stale, err) != 0 ||
		    db_exec(s->db, ROLLUP_TRIGGERS_DROP, "preparing the rollups", err) != 0)
			goto out;
	}
	if (db_exec(s->db, "SAVEPOINT import_file", "starting the import", err) != 0)
		goto out;
	in_sp = 1;
	s->in_sp = 1;
	if (prepare_inserts(s, err) != 0 || start_import(s, &rc, err) != 0)
		goto out;
	rc.agg = rollup_agg_new();
	if (rc.agg == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	rc.w = writer_start(s->db, s->ins_charge, s->ins_charges, s->ins_dim, s->ins_metric,
			    rc.import_id, rc.agg, err);
	if (rc.w == NULL)
		goto out;
	{
		const unsigned char *peek;
		ssize_t np = input_peek(&in, 64, &peek, err);
		ssize_t k = 0;
		if (np < 0)
			goto out;
		if (np >= 3 && memcmp(peek, "\xef\xbb\xbf", 3) == 0)
			k = 3;
		while (k < np && (peek[k] == ' ' || peek[k] == '\t' || peek[k] == '\r' || peek[k] == '\n'))
			k++;
		if (parquet_magic(peek, (size_t)np)) {
			if (parquet_read_all(&in, on_record, &rc, err) != 0)
				goto out;
		} else if (k < np && (peek[k] == '{' || peek[k] == '[')) {
			if (import_json(&rc, &in, err) != 0)
				goto out;
		} else if (csv_read_all(&in, on_record, &rc, err) != 0) {
			goto out;
		}
	}
	if (rc.magg && metrics_agg_finish(rc.magg, hour_out, hour_warn, &rc, err) != 0)
		goto out;
	{
		struct writer *w = rc.w;
		rc.w = NULL;
		if (writer_finish(w, &rc.first_rowid, &rc.last_rowid, err) != 0)
			goto out;
	}
	if (rc.imp == NULL) {
		ic_error_at(err, in.name, 1, 1, "empty file: no header and no rows");
		goto out;
	}
	if (rc.pi) {
		if (price_import_end(rc.pi, err) != 0)
			goto out;
		rc.rows = price_import_rows(rc.pi);
		if (rc.rows == 0)
			add_warning(res, "no instance prices in this price list", 0, 0, 1, NULL);
	} else if (rc.records == 0) {
		/* A header and no records: nothing to record either (an import
		 * row would claim a month with no provider, account or period). */
		add_warning(res, "a header and no data records: nothing imported, no import"
			    " recorded", 0, 0, 1, "file");
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		in_sp = 0;
		undo_savepoint_batch(s);
		res->header_only = 1;
		res->import_id = 0;
		if (input_hash(&in, res->sha256) != 0) {
			ic_errorf(err, "%s: computing the SHA-256 of the content failed", in.name);
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (input_hash(&in, res->sha256) != 0) {
		ic_errorf(err, "%s: computing the SHA-256 of the content failed", in.name);
		goto out;
	}
	if (find_current_duplicate(s, res->sha256, rc.import_id, &dup, err) != 0)
		goto out;
	summarize(&rc);
	if (dup) {
		/* Same content is already current: change nothing. */
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		in_sp = 0;
		undo_savepoint_batch(s);
		res->unchanged = 1;
		res->same_as = dup;
		res->import_id = dup;
		if (s->nfiles > 1 && adopt_duplicate(s, dup, err) != 0)
			goto out;
		ret = 0;
		goto out;
	}
	if (rollup_agg_write(rc.agg, s->db, rc.import_id, rc.first_rowid, rc.last_rowid,
			     s->rollup_stale, err) != 0)
		goto out;
	if (finish_import(s, &rc, path, err) != 0)
		goto out;
	if (rc.imp->size_factors && save_size_factors(s, &rc, err) != 0)
		goto out;
	if (rc.pi) {
		if (price_import_commit(rc.pi, err) != 0)
			goto out;
		res->replaced = price_import_replaced(rc.pi);
	}
	if (db_exec(s->db, "RELEASE import_file", "saving the import", err) != 0)
		goto out;
	in_sp = 0;
	s->in_sp = 0;
	s->batch_in_sp = 0;
	ret = 0;
out:
	writer_abort(rc.w);
	price_import_stop(rc.pi);
	if (in_sp) {
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		undo_savepoint_batch(s);
	}
	if (s->ins_charge)
		sqlite3_reset(s->ins_charge);
	if (s->ins_charges)
		sqlite3_reset(s->ins_charges);
	if (s->ins_dim)
		sqlite3_reset(s->ins_dim);
	if (s->ins_metric)
		sqlite3_reset(s->ins_metric);
	if (rc.imp && rc.state)
		rc.imp->close(rc.state);
	price_import_free(rc.pi);
	rollup_agg_free(rc.agg);
	metrics_agg_free(rc.magg);
	free(rc.acc);
	free(rc.hdr_copy);
	free(rc.hdr_buf);
	free(rc.hdr_dup);
	free(rc.padded);
	input_close(&in);
	return ret;
}

int
import_session_commit(struct import_session *s, struct ic_error *err)
{
	if (!s->in_tx)
		return 0;
	sqlite3_finalize(s->ins_charge);
	sqlite3_finalize(s->ins_charges);
	sqlite3_finalize(s->ins_dim);
	sqlite3_finalize(s->ins_metric);
	s->ins_charge = s->ins_charges = s->ins_dim = s->ins_metric = NULL;
	if (rollup_rebuild(s->db, s->rollup_stale, err) != 0 ||
	    db_exec(s->db, ROLLUP_TRIGGERS_CREATE, "saving the rollups", err) != 0 ||
	    db_exec(s->db, "COMMIT", "saving the imports", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_tx = 0;
		s->batch_id = 0;
		return -1;
	}
	s->in_tx = 0;
	if (s->bulk_journal) {
		db_wal_journal(s->db);
		s->bulk_journal = 0;
	}
	return 0;
}
