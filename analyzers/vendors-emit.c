/*
 * vendors-emit.c - how imcost vendors prints its findings (vendors.c
 * prices them): the verdict's figures (the cheapest option, the runner-up
 * and the workload at which the cheapest changes; cmd-vendors.c words
 * them), the workload profile with what was assumed, the ranked quotes
 * with their cost lines, and the --sweep table with its crossovers; in the
 * forms of output/emit.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "analyzers/vendors.h"
#include "analyzers/vendors-emit.h"
#include "common/decimal.h"
#include "output/emit.h"
#include "output/table.h"

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

void
vendors_emit_profile(struct emitter *e, const struct vprofile *p)
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

void
vendors_emit_quotes(struct emitter *e, const struct vprofile *p, const struct vquote *q, int n)
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

void
vendors_emit_sweep(struct emitter *e, const struct vsweep *s, const struct vprofile *p)
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

/*
 * The verdict: the two cheapest ranked options of q (ranked order), and
 * the first mau above the profile's at which the cheapest option changes,
 * found by vendors_sweep (the computation behind --sweep) over mau ..
 * VERDICT_SPAN x mau.  Returns 0 or -1 with err set.
 */
int
vendors_verdict_make(const struct vcatalog *cat, const struct vprofile *p, const struct vquote *q, int n,
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
