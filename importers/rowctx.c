/*
 * rowctx.c - the helpers importers call on a row (importer.h's rc_*):
 * typed fields with FILE:LINE:COL errors naming the column (or the JSON
 * member), counted warnings, and the checks a charge or a metric passes
 * before it goes to the writer (billing period, charge times, currency).
 * The row context itself is the driver's (import-int.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/input.h"
#include "common/jsonscan.h"
#include "common/timeparse.h"
#include "importers/import-int.h"
#include "importers/jsonbuf.h"
#include "importers/metrics.h"
#include "importers/writer.h"

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

const char *
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
void
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
		size_t n = str_fit(msg, strlen(msg), sizeof res->warnings[i].msg - 1);
		res->nwarnings++;
		/* cut at a character: warnings are stored as UTF-8 text */
		memcpy(res->warnings[i].msg, msg, n);
		res->warnings[i].msg[n] = '\0';
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
	int n = vsnprintf(msg, sizeof msg, fmt, ap);

	if (n >= (int)sizeof msg)	/* cut inside a character? back to its start */
		msg[str_fit(msg, (size_t)n, sizeof msg - 1)] = '\0';
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

/* a price-list parser's counted warning (prices-db.h) */
void
price_warn(void *arg, long line, long col, const char *msg)
{
	struct row_ctx *rc = arg;

	add_warning(rc->res, msg, line, col, 1, NULL);
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
int
hour_out(void *arg, const struct metric *m, struct ic_error *err)
{
	struct row_ctx *rc = arg;

	if (writer_metric(rc->w, m, err) != 0)
		return -1;
	rc->rows++;
	return 0;
}

void
hour_warn(void *arg, const char *text)
{
	rc_warn(arg, "%s", text);
}
