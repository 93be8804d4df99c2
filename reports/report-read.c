/*
 * report-read.c - the monthly report's reading of the analyses' JSON
 * document (exact money, numbers, the rows of the main currency), the
 * small formatters of its figures ("1,234.56", "+12.0%"), and the figures
 * derived once from the two documents (both months' services, waste by
 * kind, the savings) that every section reads (report-int.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/jsonget.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/report-int.h"
#include "output/table.h"

/* ---- reading the document ---- */

int
jmoney(const cJSON *o, const char *key, int64_t *v)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	if (cJSON_IsRaw(x) && x->valuestring)
		return money_parse(x->valuestring, strlen(x->valuestring), v) == NUM_OK ? 0 : -1;
	if (cJSON_IsString(x) && x->valuestring)
		return money_parse(x->valuestring, strlen(x->valuestring), v) == NUM_OK ? 0 : -1;
	if (cJSON_IsNumber(x) && isfinite(x->valuedouble) && fabs(x->valuedouble) < 9e9) {
		*v = (int64_t)llround(x->valuedouble * 1e9);
		return 0;
	}
	return -1;
}

double
jnum(const cJSON *o, const char *key)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	double d;

	if (cJSON_IsRaw(x) && x->valuestring &&
	    number_parse(x->valuestring, strlen(x->valuestring), &d) == NUM_OK)
		return d;
	if (cJSON_IsNumber(x))
		return x->valuedouble;
	return NAN;
}

const cJSON *
jfor_currency(const cJSON *arr, const char *ccy)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		const char *c = json_str(it, "currency");
		if (c == NULL || (ccy && strcmp(c, ccy) == 0))
			return it;
	}
	return NULL;
}

/* does row it belong to currency ccy (rows without one do) */
int
in_currency(const cJSON *it, const char *ccy)
{
	const char *c = json_str(it, "currency");

	return c == NULL || ccy == NULL || strcmp(c, ccy) == 0;
}

/* ---- small formatting ---- */

const char *
month_name(int month)
{
	static const char *const names[12] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"
	};
	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

static char rot[8][64];
static int rot_i;

static char *
rot_buf(void)
{
	rot_i = (rot_i + 1) % 8;
	return rot[rot_i];
}

const char *
fm(int64_t nanos)
{
	return money_format(nanos, 2, 1, rot_buf());
}

const char *
fm_signed(int64_t nanos)
{
	char *b = rot_buf(), tmp[48];

	money_format(nanos, 2, 1, tmp);
	snprintf(b, 64, "%s%s", nanos > 0 && strcmp(tmp, "0.00") != 0 ? "+" : "", tmp);
	return b;
}

/* a ratio as "12.3%" */
const char *
fpct(double ratio)
{
	char *b = rot_buf();

	if (!isfinite(ratio))
		return "n/a";
	snprintf(b, 64, "%.1f%%", ratio * 100);
	if (strcmp(b, "-0.0%") == 0)
		strcpy(b, "0.0%");
	return b;
}

/* a change ratio as "+12.3%" */
const char *
fpct_signed(double ratio)
{
	char *b = rot_buf();

	if (!isfinite(ratio))
		return "n/a";
	snprintf(b, 64, "%+.1f%%", ratio * 100);
	if (strcmp(b, "-0.0%") == 0 || strcmp(b, "+0.0%") == 0)
		strcpy(b, "0.0%");
	return b;
}

/* "%.*f" of v with ',' every three integer digits, into buf (64 bytes) */
char *
rep_grouped(double v, int decimals, char *buf)
{
	char tmp[64];
	size_t start, end, o, i, nd;

	if (!isfinite(v)) {
		strcpy(buf, "n/a");
		return buf;
	}
	snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	start = tmp[0] == '-';
	end = start + strspn(tmp + start, "0123456789");
	nd = end - start;
	if (strlen(tmp) + nd / 3 + 1 > 64) {
		strcpy(buf, tmp);
		return buf;
	}
	memcpy(buf, tmp, start);
	o = start;
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[start + i];
	}
	strcpy(buf + o, tmp + end);
	/* no "-0" / "-0.00" */
	if (buf[0] == '-' && strspn(buf + 1, "0.,") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

/* a count with thousands separators */
const char *
fint(double v)
{
	return rep_grouped(v, 0, rot_buf());
}

double
rep_ratio(int64_t a, int64_t b)
{
	return b != 0 ? (double)a / (double)b : NAN;
}

/* The materiality floor of a percentage change: a base of at least 1.00 of
 * the currency and at least 1% of the new value (a rise of at most 100x).
 * Below it a percentage says nothing (+62,680,407.7% after a month of
 * 0.000026): the change is shown as "new", with its absolute amount.
 * (MATERIAL_BASE, report-int.h, is that 1.00 in nanos.) */
int
rep_material(int64_t now, int64_t before)
{
	double b = fabs((double)before), n = fabs((double)now);
	return b >= (double)MATERIAL_BASE && b * 100 >= n;
}

/* the change ratio, NAN below the materiality floor */
double
rep_change(int64_t now, int64_t before)
{
	return rep_material(now, before) ? (double)(now - before) / fabs((double)before) : NAN;
}

/* the change as "+12.3%", or "new" below the materiality floor */
const char *
fchange(int64_t now, int64_t before)
{
	return rep_material(now, before) ? fpct_signed(rep_change(now, before)) : "new";
}

/* ---- derived figures ---- */

static int
cmp_svc(const void *a, const void *b)
{
	const struct svc *x = a, *y = b;

	if (x->eff != y->eff)
		return x->eff > y->eff ? -1 : 1;
	if (x->prev_eff != y->prev_eff)
		return x->prev_eff > y->prev_eff ? -1 : 1;
	return strcmp(x->name, y->name);
}

static struct svc *
svc_find(struct rep *r, const char *name)
{
	for (int i = 0; i < r->nsvc; i++)
		if (strcmp(r->svc[i].name, name) == 0)
			return &r->svc[i];
	return NULL;
}

static struct svc *
svc_add(struct rep *r, const char *name)
{
	struct svc *s = realloc(r->svc, (size_t)(r->nsvc + 1) * sizeof *s);

	if (s == NULL) {
		r->oom = 1;
		return NULL;
	}
	r->svc = s;
	s = &r->svc[r->nsvc];
	memset(s, 0, sizeof *s);
	if ((s->name = strdup(name)) == NULL) {
		r->oom = 1;
		return NULL;
	}
	r->nsvc++;
	return s;
}

static enum waste_kind
waste_kind(const char *k)
{
	static const struct {
		const char *kind;
		enum waste_kind w;
	} map[] = {
		{ "instance", W_INSTANCE }, { "volume", W_VOLUME }, { "elastic_ip", W_ADDRESS },
		{ "nat_gateway", W_NAT }, { "load_balancer", W_LB }, { "commitment", W_COMMITMENT },
	};
	for (size_t i = 0; k && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(k, map[i].kind) == 0)
			return map[i].w;
	return W_OTHER;
}

void
rep_derive(struct rep *r)
{
	static const char *const labels[NWASTE] = {
		[W_INSTANCE] = "idle instances", [W_VOLUME] = "unused volumes",
		[W_ADDRESS] = "idle addresses", [W_NAT] = "idle NAT gateways",
		[W_LB] = "idle load balancers", [W_COMMITMENT] = "unused commitments",
		[W_OVERSIZED] = "oversized instances", [W_OTHER] = "other idle resources",
	};
	const cJSON *it;

	cJSON_ArrayForEach(it, json_path(r->sum, "by_service")) {
		const char *n = json_str(it, "service");
		struct svc *s;
		if (n == NULL || (s = svc_add(r, n)) == NULL)
			continue;
		jmoney(it, "billed_cost", &s->billed);
		jmoney(it, "effective_cost", &s->eff);
	}
	if (r->has_prev)
		cJSON_ArrayForEach(it, json_path(r->psum, "by_service")) {
			const char *n = json_str(it, "service");
			struct svc *s;
			if (n == NULL)
				continue;
			if ((s = svc_find(r, n)) == NULL && (s = svc_add(r, n)) == NULL)
				continue;
			jmoney(it, "effective_cost", &s->prev_eff);
			s->in_prev = 1;
		}
	if (r->nsvc > 1)
		qsort(r->svc, (size_t)r->nsvc, sizeof *r->svc, cmp_svc);

	for (int k = 0; k < NWASTE; k++)
		r->waste[k].label = labels[k];
	cJSON_ArrayForEach(it, json_path(r->cur, "idle")) {
		struct waste *w;
		int64_t m, p;
		enum waste_kind k;

		if (!in_currency(it, r->ccy))
			continue;
		k = waste_kind(json_str(it, "kind"));
		w = &r->waste[k];
		w->count++;
		if (jmoney(it, "monthly_cost", &m) != 0) {
			w->unpriced++;
		} else {
			w->monthly += m;
			if (k != W_COMMITMENT)
				r->save_idle += m;
		}
		if (jmoney(it, "period_cost", &p) == 0)
			w->period += p;
		if (k != W_COMMITMENT)
			r->nidle++;
	}
	cJSON_ArrayForEach(it, json_path(r->cur, "rightsizing.recommendations")) {
		int64_t m;
		if (!in_currency(it, r->ccy))
			continue;
		r->waste[W_OVERSIZED].count++;
		r->nrs++;
		if (jmoney(it, "monthly_savings", &m) == 0) {
			r->waste[W_OVERSIZED].monthly += m;
			r->save_rs += m;
		} else {
			r->waste[W_OVERSIZED].unpriced++;
		}
	}
	cJSON_ArrayForEach(it, json_path(r->cur, "commitments.recommendations")) {
		int64_t m;
		if (!in_currency(it, r->ccy))
			continue;
		r->nrec++;
		if (jmoney(it, "monthly_savings", &m) == 0)
			r->save_commit += m;
	}
}
