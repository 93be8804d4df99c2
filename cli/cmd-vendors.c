/*
 * cmd-vendors.c - imcost vendors --profile FILE [--catalog FILE]...
 * [--sweep FIELD=FROM..TO[:POINTS]] [--chart FILE.png|.svg]
 *
 * Prices every hosted IM plan and self-hosting option of the catalog for a
 * workload profile and ranks them (analyzers/vendors.c does the
 * arithmetic); with --sweep, varies one profile field and reports where the
 * cheapest option changes, and draws the curves with gnuplot.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/catalog.h"
#include "analyzers/pricebook.h"
#include "analyzers/vendors.h"
#include "analyzers/levers.h"
#include "cli/cli.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/outfile.h"
#include "output/emit.h"
#include "reports/vendor-charts.h"

#define MAX_CATALOGS 16

extern const struct cmd_entry cmd_vendors_entry;

static const struct table_col profile_cols[] = {
	{ "field", "Field", CELL_TEXT, 0 },
	{ "value", "Value", CELL_NUM, 2 },
	{ "origin", "Origin", CELL_TEXT, 0 },
	{ "meaning", "Meaning", CELL_TEXT, 0 },
};

static const struct table_col rank_cols[] = {
	{ "rank", "#", CELL_INT, 0 },
	{ "id", "Option", CELL_TEXT, 0 },
	{ "vendor", "Vendor", CELL_TEXT, 0 },
	{ "plan", "Plan", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "monthly_cost", "Monthly", CELL_MONEY, 0 },
	{ "monthly_cost_converted", "In profile cur", CELL_MONEY, 0 },
	{ "confidence", "Confidence", CELL_TEXT, 0 },
	{ "as_of", "As of", CELL_TEXT, 0 },
	{ "status", "Status", CELL_TEXT, 0 },
};

static const struct table_col line_cols[] = {
	{ "id", "Option", CELL_TEXT, 0 },
	{ "component", "Component", CELL_TEXT, 0 },
	{ "quantity", "Quantity", CELL_NUM, 2 },
	{ "billable", "Billable", CELL_NUM, 2 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "cost", "Cost", CELL_MONEY, 0 },
};

static const struct table_col self_cols[] = {
	{ "id", "Option", CELL_TEXT, 0 },
	{ "instances", "Instances", CELL_INT, 0 },
	{ "sizing", "Sizing", CELL_TEXT, 0 },
	{ "benchmark", "Benchmark", CELL_TEXT, 0 },
	{ "source", "Source", CELL_TEXT, 0 },
};

static const struct table_col source_cols[] = {
	{ "id", "Option", CELL_TEXT, 0 },
	{ "source", "Source", CELL_TEXT, 0 },
	{ "notes", "Notes", CELL_TEXT, 0 },
};

static const struct table_col sweep_cols[] = {
	{ "x", "Value", CELL_NUM, 2 },
	{ "cheapest", "Cheapest option", CELL_TEXT, 0 },
	{ "monthly_cost", "Monthly", CELL_MONEY, 0 },
};

static const struct table_col cross_cols[] = {
	{ "at", "At", CELL_NUM, 2 },
	{ "from", "From", CELL_TEXT, 0 },
	{ "from_cost", "Its cost", CELL_MONEY, 0 },
	{ "to", "To", CELL_TEXT, 0 },
	{ "to_cost", "Its cost", CELL_MONEY, 0 },
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int
parse_sweep(const char *arg, int *field, double *from, double *to, int *points)
{
	char name[64], *end;
	const char *eq = strchr(arg, '='), *dots;
	size_t n;

	if (eq == NULL || (n = (size_t)(eq - arg)) == 0 || n >= sizeof name)
		return -1;
	memcpy(name, arg, n);
	name[n] = '\0';
	if ((*field = vprofile_field(name)) < 0)
		return -2;
	dots = strstr(eq + 1, "..");
	if (dots == NULL || number_parse(eq + 1, (size_t)(dots - eq - 1), from) != NUM_OK)
		return -1;
	end = strchr(dots + 2, ':');
	if (number_parse(dots + 2, end ? (size_t)(end - dots - 2) : strlen(dots + 2), to) != NUM_OK)
		return -1;
	*points = 25;
	if (end) {
		double pts;
		if (number_parse(end + 1, strlen(end + 1), &pts) != NUM_OK || pts < 2 || pts > 10000 ||
		    pts != floor(pts))
			return -1;
		*points = (int)pts;
	}
	return *to > *from && *from >= 0 ? 0 : -1;
}

static void
emit_profile(struct emitter *e, const struct vprofile *p)
{
	const struct vfield_info *f = vprofile_fields();
	struct table *t = table_new("Workload profile (assumed values were not in the profile)",
				    profile_cols, NCOLS(profile_cols));
	char origin[320];

	if (t == NULL) {
		e->failed = 1;
		return;
	}
	for (int i = 0; i < PF_COUNT; i++) {
		int r = table_add_row(t);
		table_set_text(t, r, 0, f[i].key);
		table_set_qty(t, r, 1, p->f[i]);
		if (i == PF_EGRESS_PRICE && p->egress_origin[0])
			snprintf(origin, sizeof origin, "%s", p->egress_origin);
		else if ((p->given >> i) & 1)
			snprintf(origin, sizeof origin, "given");
		else
			snprintf(origin, sizeof origin, "assumed: %s", f[i].dflt);
		table_set_text(t, r, 2, origin);
		table_set_text(t, r, 3, f[i].what);
	}
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_CreateObject();
		cJSON *a = cJSON_CreateArray();
		if (o == NULL || a == NULL) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			e->failed = 1;
			table_free(t);
			return;
		}
		cJSON_AddStringToObject(o, "name", p->name);
		cJSON_AddStringToObject(o, "currency", p->currency);
		cJSON_AddStringToObject(o, "region", p->region);
		for (int i = 0; i < PF_COUNT; i++) {
			cJSON_AddNumberToObject(o, f[i].key, p->f[i]);
			if (!((p->given >> i) & 1)) {
				char s[200];
				snprintf(s, sizeof s, "%s = %s", f[i].key, f[i].dflt);
				cJSON_AddItemToArray(a, cJSON_CreateString(s));
			}
		}
		cJSON_AddItemToObject(o, "assumptions", a);
		if (p->egress_origin[0])
			cJSON_AddStringToObject(o, "egress_price_source", p->egress_origin);
		cJSON_AddItemToObject(e->root, "profile", o);
	} else {
		emit_table(e, t, NULL, "profile");
	}
	table_free(t);
}

static void
status_text(const struct vquote *q, char *buf, size_t n)
{
	if (!q->eligible)
		snprintf(buf, n, "not eligible: %s", q->why);
	else if (!q->comparable)
		snprintf(buf, n, "not ranked: no exchange rate for %s", q->currency);
	else if (q->confidence && strcmp(q->confidence, "low") == 0)
		snprintf(buf, n, "ranked (LOW-CONFIDENCE prices: verify)");
	else
		snprintf(buf, n, "ranked");
}

static cJSON *
quote_json(const struct vquote *q, int rank)
{
	cJSON *o = cJSON_CreateObject(), *b = cJSON_CreateArray();

	if (o == NULL || b == NULL) {
		cJSON_Delete(o);
		cJSON_Delete(b);
		return NULL;
	}
	if (rank > 0)
		cJSON_AddNumberToObject(o, "rank", rank);
	else
		cJSON_AddNullToObject(o, "rank");
	cJSON_AddStringToObject(o, "id", q->id);
	cJSON_AddStringToObject(o, "kind", q->kind);
	cJSON_AddStringToObject(o, "vendor", q->vendor);
	cJSON_AddStringToObject(o, "plan", q->plan);
	cJSON_AddStringToObject(o, "currency", q->currency);
	cJSON_AddBoolToObject(o, "eligible", q->eligible);
	if (!q->eligible) {
		cJSON_AddStringToObject(o, "why", q->why);
		cJSON_AddNullToObject(o, "monthly_cost");
		cJSON_AddNullToObject(o, "monthly_cost_converted");
	} else {
		cJSON_AddItemToObject(o, "monthly_cost", json_money(q->total));
		if (q->comparable)
			cJSON_AddItemToObject(o, "monthly_cost_converted", json_money(q->total_cmp));
		else
			cJSON_AddNullToObject(o, "monthly_cost_converted");
	}
	cJSON_AddStringToObject(o, "confidence", q->confidence ? q->confidence : "unrated");
	cJSON_AddStringToObject(o, "source", q->source ? q->source : "");
	cJSON_AddStringToObject(o, "as_of", q->as_of ? q->as_of : "");
	if (q->notes)
		cJSON_AddStringToObject(o, "notes", q->notes);
	if (strcmp(q->kind, "self-hosted") == 0) {
		cJSON_AddNumberToObject(o, "instances", q->instances);
		cJSON_AddStringToObject(o, "sizing", q->detail);
	}
	for (int i = 0; q->eligible && i < q->nline; i++) {
		cJSON *l = cJSON_CreateObject();
		if (l == NULL)
			break;
		cJSON_AddStringToObject(l, "component", q->line[i].name);
		if (q->line[i].key)
			cJSON_AddStringToObject(l, "key", q->line[i].key);
		cJSON_AddNumberToObject(l, "quantity", q->line[i].quantity);
		cJSON_AddNumberToObject(l, "billable", q->line[i].billable);
		cJSON_AddItemToObject(l, "cost", json_money(q->line[i].cost));
		cJSON_AddItemToArray(b, l);
	}
	cJSON_AddItemToObject(o, "breakdown", b);
	if (q->eligible && strcmp(q->kind, "self-hosted") == 0) {
		/* the TCO components by key, for jq: .options[].tco.staff */
		cJSON *t = cJSON_CreateObject();

		for (int i = 0; t && i < q->nline; i++)
			if (q->line[i].key)
				cJSON_AddItemToObject(t, q->line[i].key, json_money(q->line[i].cost));
		if (t)
			cJSON_AddItemToObject(o, "tco", t);
	}
	return o;
}

static void
emit_quotes(struct emitter *e, const struct vprofile *p, const struct vquote *q, int n)
{
	char title[160], st[320];
	struct table *t, *lt, *st_t, *src;
	int rank = 0;

	if (e->fmt == FMT_JSON) {
		cJSON *a = cJSON_CreateArray();
		if (a == NULL) {
			e->failed = 1;
			return;
		}
		for (int i = 0; i < n; i++) {
			int r = q[i].eligible && q[i].comparable ? ++rank : 0;
			cJSON *o = quote_json(&q[i], r);
			if (o == NULL) {
				e->failed = 1;
				break;
			}
			cJSON_AddItemToArray(a, o);
		}
		cJSON_AddStringToObject(e->root, "currency", p->currency);
		cJSON_AddItemToObject(e->root, "options", a);
		return;
	}
	snprintf(title, sizeof title, "Options ranked by monthly cost in %s", p->currency);
	t = table_new(title, rank_cols, NCOLS(rank_cols));
	{
		/* a narrow terminal hides these first */
		static const int rank_prio[10] = { 0, 0, 1, 2, 3, 0, 4, 3, 4, 1 };
		if (t != NULL && table_set_prio(t, rank_prio) != 0) {
			table_free(t);
			t = NULL;
		}
	}
	lt = table_new("Cost breakdown per billing component (option currency)", line_cols,
		       NCOLS(line_cols));
	st_t = table_new("Self-hosting: chat-server instances for the peak (the breakdown adds database, storage, egress, monitoring, logging, push and staff)",
			 self_cols, NCOLS(self_cols));
	src = table_new("Sources", source_cols, NCOLS(source_cols));
	if (!t || !lt || !st_t || !src) {
		e->failed = 1;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int r = table_add_row(t);
		if (q[i].eligible && q[i].comparable)
			table_set_int(t, r, 0, ++rank);
		table_set_text(t, r, 1, q[i].id);
		table_set_text(t, r, 2, q[i].vendor);
		table_set_text(t, r, 3, q[i].plan);
		table_set_text(t, r, 4, q[i].currency);
		if (q[i].eligible) {
			table_set_money(t, r, 5, q[i].total);
			if (q[i].comparable)
				table_set_money(t, r, 6, q[i].total_cmp);
		}
		table_set_text(t, r, 7, q[i].confidence);
		table_set_text(t, r, 8, q[i].as_of);
		status_text(&q[i], st, sizeof st);
		table_set_text(t, r, 9, st);
		for (int k = 0; q[i].eligible && k < q[i].nline; k++) {
			int lr = table_add_row(lt);
			table_set_text(lt, lr, 0, q[i].id);
			table_set_text(lt, lr, 1, q[i].line[k].name);
			table_set_num(lt, lr, 2, q[i].line[k].quantity);
			table_set_num(lt, lr, 3, q[i].line[k].billable);
			table_set_text(lt, lr, 4, q[i].currency);
			table_set_money(lt, lr, 5, q[i].line[k].cost);
		}
		if (strcmp(q[i].kind, "self-hosted") == 0) {
			int sr = table_add_row(st_t);
			table_set_text(st_t, sr, 0, q[i].id);
			table_set_int(st_t, sr, 1, q[i].instances);
			table_set_text(st_t, sr, 2, q[i].detail);
			table_set_text(st_t, sr, 3, q[i].notes);
			table_set_text(st_t, sr, 4, q[i].source);
		} else {
			int sr = table_add_row(src);
			table_set_text(src, sr, 0, q[i].id);
			table_set_text(src, sr, 1, q[i].source);
			table_set_text(src, sr, 2, q[i].notes);
		}
	}
	emit_table(e, t, NULL, "options");
	emit_table(e, lt, NULL, "breakdown");
	emit_table(e, st_t, NULL, "self_hosting");
	emit_table(e, src, NULL, "sources");
out:
	table_free(t);
	table_free(lt);
	table_free(st_t);
	table_free(src);
}

/* Draw the sweep's chart (reports/vendor-charts.c), warning when it could
 * only be written.  Returns 0, or -1 with cli->err set. */
static int
write_chart(struct cli *cli, const struct vsweep *s, const struct vprofile *p, const char *chart)
{
	struct ic_error warn;
	int drawn = vendor_chart_write(s, p, chart, &warn, &cli->err);

	if (drawn == 0)
		cli_warn(cli, "%s", warn.msg);
	return drawn < 0 ? -1 : 0;
}

static void
emit_sweep(struct emitter *e, const struct vsweep *s, const struct vprofile *p)
{
	const char *field = vprofile_fields()[s->field].key;
	char title[200];
	struct table *t, *c;

	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_CreateObject(), *pts = cJSON_CreateArray(), *cr = cJSON_CreateArray();
		if (!o || !pts || !cr) {
			cJSON_Delete(o); cJSON_Delete(pts); cJSON_Delete(cr);
			e->failed = 1;
			return;
		}
		cJSON_AddStringToObject(o, "field", field);
		cJSON_AddStringToObject(o, "currency", p->currency);
		for (int i = 0; i < s->npoints; i++) {
			cJSON *pt = cJSON_CreateObject(), *costs = cJSON_CreateObject();
			int ch = s->cheapest[i];
			if (!pt || !costs) {
				cJSON_Delete(pt); cJSON_Delete(costs);
				e->failed = 1;
				break;
			}
			cJSON_AddNumberToObject(pt, "x", s->x[i]);
			if (ch >= 0) {
				cJSON_AddStringToObject(pt, "cheapest", s->ids[ch]);
				cJSON_AddItemToObject(pt, "monthly_cost",
					json_money(s->cost[(size_t)i * (size_t)s->nopt + (size_t)ch]));
			} else {
				cJSON_AddNullToObject(pt, "cheapest");
				cJSON_AddNullToObject(pt, "monthly_cost");
			}
			for (int k = 0; k < s->nopt; k++) {
				int64_t v = s->cost[(size_t)i * (size_t)s->nopt + (size_t)k];
				if (v >= 0)
					cJSON_AddItemToObject(costs, s->ids[k], json_money(v));
				else
					cJSON_AddNullToObject(costs, s->ids[k]);
			}
			cJSON_AddItemToObject(pt, "costs", costs);
			cJSON_AddItemToArray(pts, pt);
		}
		for (int i = 0; i < s->ncross; i++) {
			cJSON *x = cJSON_CreateObject();
			const struct vcrossover *v = &s->cross[i];
			if (x == NULL) {
				e->failed = 1;
				break;
			}
			cJSON_AddNumberToObject(x, "at", v->at);
			if (v->from >= 0)
				cJSON_AddStringToObject(x, "from", s->ids[v->from]);
			else
				cJSON_AddNullToObject(x, "from");
			if (v->from_cost >= 0)
				cJSON_AddItemToObject(x, "from_cost", json_money(v->from_cost));
			else
				cJSON_AddNullToObject(x, "from_cost");
			if (v->to >= 0)
				cJSON_AddStringToObject(x, "to", s->ids[v->to]);
			else
				cJSON_AddNullToObject(x, "to");
			if (v->to_cost >= 0)
				cJSON_AddItemToObject(x, "to_cost", json_money(v->to_cost));
			else
				cJSON_AddNullToObject(x, "to_cost");
			cJSON_AddItemToArray(cr, x);
		}
		cJSON_AddItemToObject(o, "points", pts);
		cJSON_AddItemToObject(o, "crossovers", cr);
		cJSON_AddItemToObject(e->root, "sweep", o);
		return;
	}
	snprintf(title, sizeof title, "Sweep of %s: cheapest option at each value (%s/month)", field,
		 p->currency);
	t = table_new(title, sweep_cols, NCOLS(sweep_cols));
	snprintf(title, sizeof title, "Crossovers: the first %s at which the cheapest option changes", field);
	c = table_new(title, cross_cols, NCOLS(cross_cols));
	if (!t || !c) {
		table_free(t);
		table_free(c);
		e->failed = 1;
		return;
	}
	for (int i = 0; i < s->npoints; i++) {
		int r = table_add_row(t), ch = s->cheapest[i];
		table_set_num(t, r, 0, s->x[i]);
		if (ch >= 0) {
			table_set_text(t, r, 1, s->ids[ch]);
			table_set_money(t, r, 2, s->cost[(size_t)i * (size_t)s->nopt + (size_t)ch]);
		}
	}
	for (int i = 0; i < s->ncross; i++) {
		int r = table_add_row(c);
		const struct vcrossover *v = &s->cross[i];
		table_set_num(c, r, 0, v->at);
		if (v->from >= 0)
			table_set_text(c, r, 1, s->ids[v->from]);
		if (v->from_cost >= 0)
			table_set_money(c, r, 2, v->from_cost);
		if (v->to >= 0)
			table_set_text(c, r, 3, s->ids[v->to]);
		if (v->to_cost >= 0)
			table_set_money(c, r, 4, v->to_cost);
	}
	emit_table(e, t, NULL, "sweep");
	emit_table(e, c, NULL, "crossovers");
	table_free(t);
	table_free(c);
}

/* How far above the profile's mau the verdict looks for a change of the
 * cheapest option, and with how many sweep points. */
#define VERDICT_SPAN 100
#define VERDICT_POINTS 40

struct verdict {
	const struct vquote *cheapest, *runner_up;	/* NULL when none */
	int has_change;
	double change_at;			/* mau at which ... */
	char new_cheapest[96];			/* ... this option is cheapest */
	double looked_to;			/* the sweep's end */
};

/*
 * The verdict: the two cheapest ranked options of q (ranked order), and
 * the first mau above the profile's at which the cheapest option changes,
 * found by vendors_sweep (the computation behind --sweep) over mau ..
 * VERDICT_SPAN x mau.  Returns 0 or -1 with err set.
 */
static int
verdict_make(const struct vcatalog *cat, const struct vprofile *p, const struct vquote *q, int n,
	     struct verdict *v, struct ic_error *err)
{
	struct vsweep s;
	double mau = p->f[PF_MAU];

	memset(v, 0, sizeof *v);
	for (int i = 0; i < n; i++) {
		if (!q[i].eligible || !q[i].comparable)
			continue;
		if (v->cheapest == NULL)
			v->cheapest = &q[i];
		else if (v->runner_up == NULL)
			v->runner_up = &q[i];
	}
	if (v->cheapest == NULL)
		return 0;
	v->looked_to = mau * VERDICT_SPAN;
	if (vendors_sweep(cat, p, PF_MAU, mau, v->looked_to, VERDICT_POINTS, &s, err) != 0)
		return -1;
	for (int i = 0; i < s.ncross; i++)
		if (s.cross[i].at > mau && s.cross[i].to >= 0) {
			v->has_change = 1;
			v->change_at = s.cross[i].at;
			snprintf(v->new_cheapest, sizeof v->new_cheapest, "%s", s.ids[s.cross[i].to]);
			break;
		}
	vsweep_free(&s);
	return 0;
}

static void
emit_verdict(struct emitter *e, const struct vprofile *p, const struct verdict *v)
{
	char line[900], a[48], b[48], d[48], m[48], c[48];
	const int staff_assumed = !((p->given >> PF_STAFF_FTE) & 1) || !((p->given >> PF_STAFF_COST) & 1);

	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_CreateObject(), *ch;
		if (o == NULL) {
			e->failed = 1;
			return;
		}
		if (v->cheapest)
			cJSON_AddStringToObject(o, "cheapest", v->cheapest->id);
		else
			cJSON_AddNullToObject(o, "cheapest");
		if (v->runner_up) {
			cJSON_AddStringToObject(o, "runner_up", v->runner_up->id);
			cJSON_AddItemToObject(o, "difference_monthly",
					      json_money(v->runner_up->total_cmp - v->cheapest->total_cmp));
		} else {
			cJSON_AddNullToObject(o, "runner_up");
			cJSON_AddNullToObject(o, "difference_monthly");
		}
		cJSON_AddStringToObject(o, "currency", p->currency);
		if (v->has_change && (ch = cJSON_CreateObject()) != NULL) {
			cJSON_AddStringToObject(ch, "metric", "mau");
			cJSON_AddNumberToObject(ch, "value", v->change_at);
			cJSON_AddStringToObject(ch, "new_cheapest", v->new_cheapest);
			cJSON_AddItemToObject(o, "changes_at", ch);
		} else
			cJSON_AddNullToObject(o, "changes_at");
		cJSON_AddNumberToObject(o, "looked_up_to_mau", v->looked_to);
		cJSON_AddBoolToObject(o, "staff_assumed", staff_assumed);
		cJSON_AddItemToObject(e->root, "verdict", o);
		return;
	}
	if (e->fmt != FMT_TABLE && e->fmt != FMT_MARKDOWN)
		return;
	if (v->cheapest == NULL) {
		snprintf(line, sizeof line, "no option is eligible and priced in %s at %s MAU",
			 p->currency, vendor_count_label(p->f[PF_MAU], m));
	} else {
		int k = snprintf(line, sizeof line, "cheapest at %s MAU: %s, %s %s/month",
				 vendor_count_label(p->f[PF_MAU], m),
				 v->cheapest->id, money_format(v->cheapest->total_cmp, 2, 1, a), p->currency);
		if (v->runner_up && k > 0 && (size_t)k < sizeof line)
			k += snprintf(line + k, sizeof line - (size_t)k, "; runner-up %s, %s (%s more)",
				      v->runner_up->id, money_format(v->runner_up->total_cmp, 2, 1, b),
				      money_format(v->runner_up->total_cmp - v->cheapest->total_cmp, 2, 1, d));
		if (k > 0 && (size_t)k < sizeof line) {
			if (v->has_change)
				snprintf(line + k, sizeof line - (size_t)k, "; from %s MAU %s is cheapest",
					 vendor_count_label(v->change_at, c), v->new_cheapest);
			else
				snprintf(line + k, sizeof line - (size_t)k,
					 "; no other option is cheaper up to %s MAU",
					 vendor_count_label(v->looked_to, c));
		}
	}
	emit_line(e, "Verdict", line);
	if (staff_assumed) {
		/* the self-hosting prices, staff cost included, are in USD */
		snprintf(line, sizeof line, "self-hosting includes %g FTE x %s USD/month of engineering"
			 " staff: an ASSUMPTION, confirm it (profile keys staff_fte, staff_monthly_cost)",
			 p->f[PF_STAFF_FTE], vendor_count_label(p->f[PF_STAFF_COST], a));
		emit_line(e, "Staff", line);
	}
}

/*
 * The self-hosting egress price from the imported bill: the average rate
 * of its AWS DataTransfer-Out-Bytes lines over every month imported, when
 * they are in USD (the self-hosting prices' currency).  Sets
 * p->f[PF_EGRESS_PRICE] and p->egress_origin; a database that cannot be
 * read is warned about and left out.
 */
static void
bill_egress_rate(struct cli *cli, struct vprofile *p)
{
	struct ic_error err = { 0 };
	sqlite3 *db = db_open(cli->db_path, DB_READ, &err);
	struct engine *eng;
	double gb = 0, media_gb = 0;
	int64_t cost = 0;
	char cur[8] = "";
	int r;

	if (db == NULL) {
		cli_warn(cli, "egress priced from the catalog, not the bill: %s", err.msg);
		return;
	}
	eng = engine_wrap_sqlite(db);
	r = eng ? levers_bill_egress(eng, INT64_MIN / 2, INT64_MAX / 2, &gb, &media_gb, &cost, cur, &err)
		: ic_errorf(&err, "out of memory");
	engine_close(eng);
	db_close(db);
	if (r != 0) {
		cli_warn(cli, "egress priced from the catalog, not the bill: %s", err.msg);
		return;
	}
	if (!(gb > 0) || cost <= 0)
		return;
	if (strcmp(cur, "USD") != 0) {
		cli_warn(cli, "the bill's egress is in %s, not USD: egress priced from the catalog", cur);
		return;
	}
	p->f[PF_EGRESS_PRICE] = (double)cost / 1e9 / gb;
	p->given |= (uint64_t)1 << PF_EGRESS_PRICE;
	snprintf(p->egress_origin, sizeof p->egress_origin,
		 "imported bill: average rate of its DataTransfer-Out-Bytes, %.6f USD / %.6g GB",
		 (double)cost / 1e9, gb);
}

enum {
	OPT_PROFILE,
	OPT_CATALOG,
	OPT_NO_BUILTIN,
	OPT_SWEEP,
	OPT_CHART,
};

/* Self-hosting compute at the rates of the price lists imported in the
 * database, when there are some.  Returns 0, or -1 with cli->err set. */
static int
use_price_lists(struct cli *cli, struct vcatalog *cat)
{
	if (!(cli->db_path && access(cli->db_path, R_OK) == 0 &&
	      pricebook_list_count(NULL, cli->db_path) > 0))
		return 0;
	/* self-hosting compute at the imported price lists' rates */
	struct catalog *pb = catalog_new();
	int used = 0;

	if (pb == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return -1;
	}
	const char **prov = calloc((size_t)(cat->ninst ? cat->ninst : 1), sizeof *prov);
	const char **reg = calloc((size_t)(cat->ninst ? cat->ninst : 1), sizeof *reg);

	for (int i = 0; prov && reg && i < cat->ninst; i++) {
		prov[i] = cat->inst[i].provider;
		reg[i] = cat->inst[i].region;
	}
	if (prov == NULL || reg == NULL) {
		ic_errorf(&cli->err, "out of memory");
	} else if (pricebook_build_for(pb, cli->db_path, prov, reg, cat->ninst, &cli->err) == 0 &&
		   vcatalog_use_price_lists(cat, pb, &used, &cli->err) == 0) {
		free(prov);
		free(reg);
		prov = reg = NULL;
	}
	catalog_free(pb);
	if (prov != NULL || reg != NULL) {
		free(prov);
		free(reg);
		return -1;
	}
	if (used)
		cli_warn(cli, "%d self-hosting instance type(s) priced from the price lists"
			 " imported in %s", used, cli->db_path);
	return 0;
}

/* Warn about the options that could not be ranked (another currency
 * without an exchange rate) and those priced from third parties. */
static void
quote_warnings(const struct cli *cli, const struct vquote *q, int nq, const struct vprofile *pp)
{
	char missing[64] = "";
	int nmiss = 0, nlow = 0;
	for (int i = 0; i < nq; i++) {
		if (q[i].eligible && !q[i].comparable) {
			nmiss++;
			if (!strstr(missing, q[i].currency))
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
					 missing[0] ? ", " : "", q[i].currency);
		}
		if (q[i].confidence && strcmp(q[i].confidence, "low") == 0)
			nlow++;
	}
	if (nmiss)
		cli_warn(cli, "%d option(s) priced in %s are not ranked against %s: add "
			 "\"exchange_rates\": {\"CUR\": rate} to the profile", nmiss, missing, pp->currency);
	if (nlow)
		cli_warn(cli, "%d option(s) use low-confidence (third-party) prices: see their source",
			 nlow);
}

/* The command line: --profile, --sweep, --chart (NULL when not given),
 * the --catalog files and --no-builtin.  EXIT_OK or a usage error. */
static enum exit_code
vendors_args(struct cli *cli, int argc, char **argv, const char **profile, const char **sweep,
	     const char **chart, const char **catalogs, int *ncat, int *no_builtin)
{
	struct cmd_args args;
	enum exit_code rc = cli_parse(cli, &cmd_vendors_entry, argc, argv, &args);

	if (rc == EXIT_OK && args.npos)
		rc = usage_error(cli, &cmd_vendors_entry, "unknown argument '%s'", args.pos[0]);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++) {
		const char *v = args.v[k].value;

		switch (args.v[k].index) {
		case OPT_PROFILE: *profile = v; break;
		case OPT_SWEEP: *sweep = v; break;
		case OPT_CHART: *chart = v; break;
		case OPT_NO_BUILTIN: *no_builtin = 1; break;
		case OPT_CATALOG:
			if (*ncat == MAX_CATALOGS)
				rc = usage_error(cli, &cmd_vendors_entry, "at most %d --catalog files",
						 MAX_CATALOGS);
			else
				catalogs[(*ncat)++] = v;
			break;
		}
	}
	cmd_args_free(&args);
	return rc;
}

static enum exit_code
vendors_exec(struct cli *cli, int argc, char **argv)
{
	const char *profile = NULL, *sweep = NULL, *chart = NULL, *catalogs[MAX_CATALOGS];
	int ncat = 0, no_builtin = 0, field = -1, points = 0;
	double from = 0, to = 0;
	struct vcatalog *cat = NULL;
	struct vprofile p;
	struct vquote *q = NULL;
	struct vsweep s;
	struct verdict v;
	struct emitter e;
	int nq = 0;
	enum exit_code rc = EXIT_FAIL;

	memset(&s, 0, sizeof s);
	if ((rc = vendors_args(cli, argc, argv, &profile, &sweep, &chart, catalogs, &ncat,
			       &no_builtin)) != EXIT_OK)
		return rc;
	rc = EXIT_FAIL;
	if (profile == NULL)
		return usage_error(cli, &cmd_vendors_entry, "--profile FILE is required");
	if (chart && sweep == NULL)
		return usage_error(cli, &cmd_vendors_entry, "--chart needs --sweep");
	if (chart) {
		const char *ext = strrchr(chart, '.');
		if (ext == NULL || (strcmp(ext, ".png") != 0 && strcmp(ext, ".svg") != 0))
			return usage_error(cli, &cmd_vendors_entry, "--chart FILE must end in .png or .svg");
	}
	if (sweep) {
		int r = parse_sweep(sweep, &field, &from, &to, &points);
		if (r == -2) {
			char names[600] = "";
			for (int k = 0; k < PF_COUNT; k++)
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
					 k ? ", " : "", vprofile_fields()[k].key);
			return usage_error(cli, &cmd_vendors_entry, "--sweep: unknown field (known: %s)", names);
		}
		if (r != 0)
			return usage_error(cli, &cmd_vendors_entry,
					   "--sweep wants FIELD=FROM..TO[:POINTS] with 0 <= FROM < TO, not '%s'", sweep);
	}
	if (vprofile_load(profile, &p, &cli->err) != 0)
		return EXIT_FAIL;
	cat = no_builtin ? vcatalog_new() : vcatalog_builtin(&cli->err);
	if (cat == NULL) {
		if (no_builtin)
			ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	for (int i = 0; i < ncat; i++)
		if (vcatalog_merge_file(cat, catalogs[i], &cli->err) != 0)
			goto out;
	if (!((p.given >> PF_EGRESS_PRICE) & 1) && cli->db_path && access(cli->db_path, R_OK) == 0)
		bill_egress_rate(cli, &p);
	if (use_price_lists(cli, cat) != 0)
		goto out;
	if (cat->nopt + cat->nself == 0) {
		ic_errorf(&cli->err, "the catalog has no vendors and no self-hosted options");
		goto out;
	}
	if (vendors_quote_all(cat, &p, &q, &nq, &cli->err) != 0)
		goto out;
	if (sweep && vendors_sweep(cat, &p, field, from, to, points, &s, &cli->err) != 0)
		goto out;
	if (verdict_make(cat, &p, q, nq, &v, &cli->err) != 0)
		goto out;
	quote_warnings(cli, q, nq, &p);
	if (emit_begin(&e, stdout, cli->fmt) != 0) {
		ic_errorf(&cli->err, "out of memory");
		goto out;
	}
	if (e.fmt == FMT_TABLE || e.fmt == FMT_MARKDOWN) {
		char h[200];
		snprintf(h, sizeof h, "Vendors vs self-hosting for %s (%.0f MAU), monthly, %s",
			 p.name[0] ? p.name : profile, p.f[PF_MAU], p.currency);
		emit_heading(&e, h);
	}
	emit_verdict(&e, &p, &v);
	emit_profile(&e, &p);
	emit_quotes(&e, &p, q, nq);
	if (sweep)
		emit_sweep(&e, &s, &p);
	if (emit_end(&e) != 0) {
		emit_free(&e);
		ic_errorf(&cli->err, "error writing to standard output");
		goto out;
	}
	emit_free(&e);
	if (chart && write_chart(cli, &s, &p, chart) != 0)
		goto out;
	rc = EXIT_OK;
out:
	free(q);
	vsweep_free(&s);
	vcatalog_free(cat);
	return rc;
}

static const struct cmd_option options[] = {
	{
		.name = "--profile",
		.arg = "PROFILE.json",
		.help =
		"  --profile FILE   the workload (JSON).  mau is required; every other field\n"
		"                   has a default printed as an assumption: dau (30% of mau),\n"
		"                   peak_dau (1.2 x dau), peak_connections (5% of mau),\n"
		"                   connection_minutes, channel_minutes, messages (40 per DAU\n"
		"                   per day), recipients (1), message_bytes (200),\n"
		"                   stored_bytes_per_message, peak_factor (3),\n"
		"                   media_gb_per_month (0), history_retention_days (0 =\n"
		"                   forever), horizon_months (12), groups, sessions_per_dau;\n"
		"                   self-hosting: redundancy_factor (1), database_instances\n"
		"                   (2), push_share, push_price_per_million (0: APNs/FCM),\n"
		"                   monitoring_per_host_month (15), log_bytes_per_message,\n"
		"                   log_price_per_gb, egress_price_per_gb, staff_fte (1) and\n"
		"                   staff_monthly_cost (15,750; both ASSUMPTIONS to confirm);\n"
		"                   also name, currency (USD), region / regions, and\n"
		"                   exchange_rates {\"CNY\": 0.14} to rank other currencies.\n",
	},
	{
		.name = "--catalog",
		.arg = "FILE",
		.repeat = 1,
		.help =
		"  --catalog FILE   merge a catalog over the built-in one (repeatable): an\n"
		"                   entry with the same id replaces it, {\"id\": X, \"remove\":\n"
		"                   true} deletes it.  Malformed entries are errors naming the\n"
		"                   entry and key.  Schema: README-vendors.md.\n",
	},
	{
		.name = "--no-builtin",
		.help =
		"  --no-builtin     start from an empty catalog (only --catalog files)\n",
	},
	{
		.name = "--sweep",
		.arg = "FIELD=FROM..TO[:POINTS",
		.help =
		"  --sweep FIELD=FROM..TO[:POINTS]\n"
		"                   vary one profile field over POINTS values (default 25)\n"
		"                   and report the crossovers: the first value (to a whole\n"
		"                   unit for counts) at which the cheapest option changes.\n"
		"                   Sweeping mau scales the per-user fields given in the\n"
		"                   profile (dau, messages, ...) in proportion.\n",
	},
	{
		.name = "--chart",
		.arg = "FILE.png|FILE.svg",
		.help =
		"  --chart FILE     with --sweep: draw the monthly cost of each vendor's\n"
		"                   cheapest plan against the field with gnuplot, log-log,\n"
		"                   crossovers marked (.png or .svg); FILE.dat and FILE.gp\n"
		"                   are kept beside it.  Without\n"
		"                   gnuplot a warning is printed and the rest goes on.\n",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_vendors_entry = {
	.name = "vendors",
	.usage = "--profile PROFILE.json [--catalog FILE]... [--no-builtin] "
		 "[--sweep FIELD=FROM..TO[:POINTS] [--chart FILE.png|FILE.svg]]",
	.summary = "hosted IM vendors vs self-hosting, priced for your workload",
	.help =
	"Prices every option of the vendor catalog for the workload in PROFILE.json\n"
	"and ranks them by monthly cost, with the cost of each billing component:\n"
	"hosted IM / chat clouds (per MAU, peak DAU, peak connection, connection-\n"
	"minute, message, GB; plan fees with included units, graduated / volume /\n"
	"bracket tiers, blocks rounded up or down, monthly minimums, plan limits),\n"
	"and self-hosting a named chat server on cloud VMs (instances sized from a\n"
	"published benchmark with headroom and N+1, on demand and with the best\n"
	"commitment, plus the history database servers, history and media\n"
	"storage, egress, load balancer, monitoring, logging, push notifications and\n"
	"engineering staff).  On top, the verdict: the cheapest option,\n"
	"the runner-up and the difference, and the MAU at which the cheapest changes.\n"
	"\n",
	.options = options,
	.says_argument = 1,
	.help_end =
	"\n"
	"Options in another currency than the profile's are ranked only with an\n"
	"exchange rate.  Every built-in price has a source and an as-of date;\n"
	"low-confidence figures are marked.  A plan whose limits the workload\n"
	"exceeds is listed as not eligible, with the reason.\n",
	.exec = vendors_exec,
};
