/*
 * report-cost.c - the monthly report's cost sections: the summary with
 * its headline figures, services, accounts and regions, groups (tags),
 * and resources; each ends with one "what to do" sentence computed from
 * its numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/columns.h"
#include "common/decimal.h"
#include "common/jsonget.h"
#include "reports/chart.h"
#include "reports/report-int.h"
#include "output/table.h"

/* ---- the sections ---- */

/* Whether idle or rightsizing left eligible resources unassessed. */
int
metric_gaps(struct rep *r)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_path(r->cur, "assessment")) {
		const char *a = json_str(it, "analysis");
		if (a && (strcmp(a, "idle") == 0 || strcmp(a, "rightsizing") == 0) && jnum(it, "not_assessed") > 0)
			return 1;
	}
	return 0;
}

/* Whether some analysis could not assess every eligible resource; with s,
 * append "idle instance: 28 of 40 (no cpu_utilization ...), ..." */
static int
gaps(struct rep *r, struct sbuf *s)
{
	const cJSON *it;
	int n = 0;

	cJSON_ArrayForEach(it, json_path(r->cur, "assessment")) {
		double na = jnum(it, "not_assessed");
		if (!(na > 0))
			continue;
		if (s)
			sbuf_printf(s, "%s%s %s: %.0f of %.0f (%s)", n ? "; " : "", json_str(it, "analysis"),
				  json_str(it, "kind"), na, jnum(it, "eligible"),
				  json_str(it, "reason") ? json_str(it, "reason") : "no reason given");
		n++;
	}
	return n;
}

void
sec_summary(struct rep *r, struct doc *d)
{
	const cJSON *fc = jfor_currency(json_path(r->cur, "forecast.forecasts"), r->ccy);
	const cJSON *it;
	struct sbuf s = { 0 }, v = { 0 }, x = { 0 };
	int64_t total = r->save_commit + r->save_idle + r->save_rs, f;
	static const struct table_col cols[] = {
		{ "metric", "Metric", CELL_TEXT, 0 },
		{ "value", "Value", CELL_TEXT, 0 },
	};
	struct rtab *t = rt_new(r, "headline", "Headline figures", cols, 2, -1);
	char buf[48];
	int row;

	add_block(r, d, B_H2, "Summary", "summary", NULL);
	sbuf_printf(&v, "%s %s", fm(r->billed), r->ccy);
	add_block(r, d, B_CARD, "Billed cost", v.s, "what the invoices say");
	v.len = 0;
	sbuf_printf(&v, "%s %s", fm(r->eff), r->ccy);
	add_block(r, d, B_CARD, "Effective cost", v.s,
		  "amortized: commitment fees spread over the usage they covered");
	v.len = 0;
	sbuf_printf(&s, "Change vs %s", r->pmname);
	if (r->has_prev) {
		sbuf_printf(&v, "%s %s", fm_signed(r->eff - r->peff), r->ccy);
		if (rep_material(r->eff, r->peff))
			sbuf_printf(&x, "%s: effective cost, from %s %s; billed %s %s",
				  fpct_signed(rep_change(r->eff, r->peff)), fm(r->peff), r->ccy,
				  fm_signed(r->billed - r->pbilled), r->ccy);
		else
			sbuf_printf(&x, "new: no percentage on a base of %s %s (under 1.00, or under"
				  " 1%% of the new cost); billed %s %s",
				  fm(r->peff), r->ccy, fm_signed(r->billed - r->pbilled), r->ccy);
	} else {
		sbuf_puts(&v, "n/a");
		sbuf_printf(&x, "no charges for %s in the database", r->pmname);
	}
	add_block(r, d, B_CARD, s.s, v.s, x.s);
	v.len = x.len = 0;
	if (fc && jmoney(fc, "forecast", &f) == 0) {
		sbuf_printf(&v, "%s %s", fm(f), r->ccy);
		sbuf_printf(&x, "%s, from %.0f of %.0f days", json_str(fc, "method") ? json_str(fc, "method") :
			  "projection", jnum(fc, "days_seen"), jnum(fc, "days_in_month"));
	} else {
		sbuf_puts(&v, "n/a");
		sbuf_puts(&x, "no complete day of data yet");
	}
	add_block(r, d, B_CARD, "Month-end forecast", v.s, x.s);
	v.len = x.len = 0;
	sbuf_printf(&v, "%s %s", fm(total), r->ccy);
	sbuf_printf(&x, "a month: commitments %s, idle resources %s, rightsizing %s",
		  fm(r->save_commit), fm(r->save_idle), fm(r->save_rs));
	add_block(r, d, B_CARD, "Savings found", v.s, x.s);

	s.len = 0;
	if (total > 0) {
		int parts = 0;
		sbuf_printf(&s, "Act on the findings below to save up to %s %s a month (%s of this month's"
			  " effective cost): ", fm(total), r->ccy, fpct(rep_ratio(total, r->eff)));
		if (r->save_commit > 0)
			sbuf_printf(&s, "%sbuy the recommended commitments (%s)", parts++ ? ", " : "",
				  fm(r->save_commit));
		if (r->save_idle > 0)
			sbuf_printf(&s, "%sremove the idle resources (%s)", parts++ ? ", " : "",
				  fm(r->save_idle));
		if (r->save_rs > 0)
			sbuf_printf(&s, "%sdownsize the oversized instances (%s)", parts++ ? " and " : "",
				  fm(r->save_rs));
		sbuf_puts(&s, ".");
	} else if (gaps(r, NULL)) {
		sbuf_puts(&s, "No saving was found among what imcost could assess, and it could not assess"
			" everything: ");
		gaps(r, &s);
		sbuf_puts(&s, ". Import what the Not assessed section lists before reading this as"
			" nothing to save.");
	} else {
		sbuf_printf(&s, "No commitment purchase, idle resource or oversized instance was found:"
			  " keep this report as the baseline and compare next month against %s %s.",
			  fm(r->eff), r->ccy);
	}
	if (total > 0 && gaps(r, NULL)) {
		sbuf_puts(&s, " Not assessed: ");
		gaps(r, &s);
		sbuf_puts(&s, ".");
	}
	rep_para(r, d, B_ACTION, &s);

	/* other currencies */
	s.len = 0;
	cJSON_ArrayForEach(it, json_path(r->cur, "summaries")) {
		int64_t b = 0, e = 0;
		const char *c = json_str(it, "currency");
		if (c == NULL || strcmp(c, r->ccy) == 0)
			continue;
		jmoney(it, "billed_cost", &b);
		jmoney(it, "effective_cost", &e);
		sbuf_printf(&s, "%s%s %s billed, %s effective", s.len ? "; " : "Also billed this month"
			  " (not included above): ", c, fm(b), fm(e));
	}
	if (s.len) {
		sbuf_puts(&s, ".");
		rep_para(r, d, B_P, &s);
	}

	/* headline.csv */
#define KV(k, val) do { row = rt_row(r, t); rt_text(r, t, row, 0, k); rt_text(r, t, row, 1, val); } while (0)
	if (t) {
		KV("month", r->month);
		KV("currency", r->ccy);
		KV("billed_cost", money_format_json(r->billed, buf));
		KV("effective_cost", money_format_json(r->eff, buf));
		KV("previous_month", r->pmonth);
		KV("previous_effective_cost", r->has_prev ? money_format_json(r->peff, buf) : "n/a");
		KV("change", r->has_prev ? money_format_json(r->eff - r->peff, buf) : "n/a");
		KV("forecast", fc && jmoney(fc, "forecast", &f) == 0 ? money_format_json(f, buf) : "n/a");
		KV("monthly_savings_commitments", money_format_json(r->save_commit, buf));
		KV("monthly_savings_idle", money_format_json(r->save_idle, buf));
		KV("monthly_savings_rightsizing", money_format_json(r->save_rs, buf));
		KV("monthly_savings_total", money_format_json(total, buf));
	}
#undef KV
	add_table(r, d, t);
	free(s.s);
	free(v.s);
	free(x.s);
}

/* by_service / by_account / by_region (summary.c's columns) with share
 * and month-over-month: the report's own columns after them */
static const struct table_col mom_cols[] = {
	{ "previous_effective_cost", "Previous month", CELL_MONEY, 0 },
	{ "change", "Change", CELL_MONEY, 0 },
	{ "change_ratio", "Change %", CELL_PCT, 1 },
};
static const struct table_colset mom_columns = { mom_cols, 3 };

/* previous month's effective cost of key k in prev array (found: 1) */
static int
prev_of(const cJSON *parr, const char *keyname, const char *k, int64_t *v)
{
	const cJSON *it;

	*v = 0;
	cJSON_ArrayForEach(it, parr) {
		const char *s = json_str(it, keyname);
		if (s && k && strcmp(s, k) == 0)
			return jmoney(it, "effective_cost", v) == 0;
	}
	return 0;
}

/* a cost-by-X table from summary.ARRKEY, with each row's share of the
 * month and its change since the previous month */
static struct rtab *
cost_table(struct rep *r, const char *file, const char *arrkey, const struct table_colset *set,
	   const char *keyname)
{
	const cJSON *arr = json_path(r->sum, arrkey), *parr = r->psum ? json_path(r->psum, arrkey) : NULL, *it;
	const struct table_colset *sets[] = { set, &summary_group_columns, &mom_columns, NULL };
	const char *const keys[] = { keyname, "billed_cost", "effective_cost", "share",
				     "previous_effective_cost", "change", "change_ratio", NULL };
	struct rtab *t = rt_pick_sets(r, file, set == &summary_service_columns ? "Cost by service" :
				      set == &summary_account_columns ? "Cost by account" :
				      set == &summary_group_columns ? "Cost by group" : "Cost by region",
				      sets, keys, 0);

	if (t == NULL)
		return NULL;
	cJSON_ArrayForEach(it, arr) {
		int64_t b = 0, e = 0, p = 0;
		const char *k = json_str(it, keyname);
		int row = rt_row(r, t), inp;

		jmoney(it, "billed_cost", &b);
		jmoney(it, "effective_cost", &e);
		rt_text(r, t, row, 0, k);
		if (k == NULL)
			rt_disp(r, t, row, 0, "(none)");
		rt_money(r, t, row, 1, b);
		rt_money(r, t, row, 2, e);
		rt_num(r, t, row, 3, rep_ratio(e, r->eff));
		inp = prev_of(parr, keyname, k, &p);
		if (r->has_prev) {
			rt_money(r, t, row, 4, p);
			rt_money(r, t, row, 5, e - p);
			rt_disp(r, t, row, 5, fm_signed(e - p));
			if (inp && rep_material(e, p)) {
				rt_num(r, t, row, 6, rep_change(e, p));
				rt_disp(r, t, row, 6, fpct_signed(rep_change(e, p)));
			} else {
				rt_disp(r, t, row, 6, "new");
			}
		} else {
			rt_na(r, t, row, 4);
			rt_na(r, t, row, 5);
			rt_na(r, t, row, 6);
		}
	}
	/* what only the previous month had */
	if (r->has_prev)
		cJSON_ArrayForEach(it, parr) {
			const char *k = json_str(it, keyname);
			int64_t p = 0, dummy;
			int row;

			if (prev_of(arr, keyname, k, &dummy))
				continue;
			jmoney(it, "effective_cost", &p);
			row = rt_row(r, t);
			rt_text(r, t, row, 0, k);
			rt_money(r, t, row, 1, 0);
			rt_money(r, t, row, 2, 0);
			rt_num(r, t, row, 3, 0);
			rt_money(r, t, row, 4, p);
			rt_money(r, t, row, 5, -p);
			rt_disp(r, t, row, 5, fm_signed(-p));
			rt_num(r, t, row, 6, p != 0 ? -1.0 : NAN);
			rt_disp(r, t, row, 6, p != 0 ? "gone" : NULL);
		}
	return t;
}

/* the element of arr (by key keyname) with the largest effective cost */
static const cJSON *
largest(const cJSON *arr, int64_t *v)
{
	const cJSON *it, *best = NULL;
	int64_t bv = 0;

	cJSON_ArrayForEach(it, arr) {
		int64_t e;
		if (jmoney(it, "effective_cost", &e) == 0 && (best == NULL || e > bv)) {
			best = it;
			bv = e;
		}
	}
	*v = bv;
	return best;
}

void
sec_services(struct rep *r, struct doc *d)
{
	struct sbuf s = { 0 };
	static const char *const cat_keys[] = { "charge_category", "billed_cost", "effective_cost", NULL };
	static const char *const day_keys[] = { "day", "billed_cost", "effective_cost", NULL };
	static const char *const dsvc_keys[] = { "day", "service", "billed_cost", "effective_cost", NULL };
	struct rtab *t;
	int rise = -1;
	int64_t best = 0;

	add_block(r, d, B_H2, "Cost by service", "services", NULL);
	add_table(r, d, cost_table(r, "cost-by-service", "by_service", &summary_service_columns, "service"));
	add_chart(r, d, CH_DAILY);
	add_chart(r, d, CH_MOM);
	t = rt_pick(r, "cost-by-category", "Cost by charge category", &summary_category_columns,
		    cat_keys, 0);
	if (t)
		rt_from_json(r, t, json_path(r->sum, "by_category"), NULL);
	add_table(r, d, t);
	t = rt_pick(r, "cost-by-day", "Cost by day", &summary_day_columns, day_keys, -1);
	if (t)
		rt_from_json(r, t, json_path(r->sum, "by_day"), NULL);
	add_table(r, d, t);
	if (cJSON_IsArray(json_path(r->sum, "by_day_service"))) {
		t = rt_pick(r, "cost-by-day-service", "Cost by day and service", &summary_day_service_columns,
			    dsvc_keys, -1);
		if (t)
			rt_from_json(r, t, json_path(r->sum, "by_day_service"), NULL);
		add_table(r, d, t);
	}

	if (r->nsvc == 0) {
		free(s.s);
		return;
	}
	if (r->has_prev)
		for (int i = 0; i < r->nsvc; i++)
			if (r->svc[i].eff - r->svc[i].prev_eff > best) {
				best = r->svc[i].eff - r->svc[i].prev_eff;
				rise = i;
			}
	if (rise >= 0 && rise != 0) {
		sbuf_printf(&s, "Ask the owners of %s why it rose by %s %s (%s) since %s; %s is %s of the"
			  " effective cost, so savings there count most.", r->svc[rise].name,
			  fm(best), r->ccy, r->svc[rise].in_prev ? fchange(r->svc[rise].eff,
			  r->svc[rise].prev_eff) : "new this month", r->pmname, r->svc[0].name,
			  fpct(rep_ratio(r->svc[0].eff, r->eff)));
	} else if (rise == 0) {
		sbuf_printf(&s, "Start with %s: it is %s of the effective cost (%s %s) and rose by %s %s"
			  " (%s) since %s.", r->svc[0].name, fpct(rep_ratio(r->svc[0].eff, r->eff)),
			  fm(r->svc[0].eff), r->ccy, fm(best), r->ccy, r->svc[0].in_prev ?
			  fchange(r->svc[0].eff, r->svc[0].prev_eff) : "new", r->pmname);
	} else {
		sbuf_printf(&s, "Start with %s: it is %s of the effective cost (%s %s), so the commitments"
			  " and rightsizing below count most there.", r->svc[0].name,
			  fpct(rep_ratio(r->svc[0].eff, r->eff)), fm(r->svc[0].eff), r->ccy);
	}
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

void
sec_account_region(struct rep *r, struct doc *d, int region)
{
	const char *arrkey = region ? "by_region" : "by_account";
	const char *keyname = region ? "region" : "account";
	const cJSON *arr = json_path(r->sum, arrkey), *top;
	struct sbuf s = { 0 };
	int64_t e;
	int n = cJSON_GetArraySize(arr);

	add_block(r, d, B_H2, region ? "Cost by region" : "Cost by account",
		  region ? "regions" : "accounts", NULL);
	add_table(r, d, cost_table(r, region ? "cost-by-region" : "cost-by-account", arrkey,
				   region ? &summary_region_columns : &summary_account_columns, keyname));
	top = largest(arr, &e);
	if (top == NULL) {
		free(s.s);
		return;
	}
	if (!region && n == 1)
		sbuf_printf(&s, "All of the cost is in account %s: send this report to its owner.",
			  json_str(top, keyname) ? json_str(top, keyname) : "(none)");
	else if (!region)
		sbuf_printf(&s, "Account %s carries %s of the effective cost (%s %s): send this report to"
			  " its owner first.", json_str(top, keyname) ? json_str(top, keyname) : "(none)",
			  fpct(rep_ratio(e, r->eff)), fm(e), r->ccy);
	else if (json_str(top, keyname) && strcmp(json_str(top, keyname), "(global)") == 0)
		sbuf_printf(&s, "Most of the cost (%s, %s %s) is not tied to a region: look at the"
			  " global services first.", fpct(rep_ratio(e, r->eff)), fm(e), r->ccy);
	else
		sbuf_printf(&s, "%s carries %s of the effective cost (%s %s): commitments are bought per"
			  " region, so size purchases there first.", json_str(top, keyname) ?
			  json_str(top, keyname) : "(none)", fpct(rep_ratio(e, r->eff)), fm(e), r->ccy);
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

/*
 * summary.groups (analyze/report --group-by KEY): the cost of each value
 * of the key, with its change since the previous month (group null: the
 * charges without the key, shown as "(no KEY)"), and for a tag the
 * untagged share and the resources to tag first.
 */
void
sec_groups(struct rep *r, struct doc *d)
{
	const char *key = json_str(r->sum, "group_by"), *only = json_str(r->sum, "filter");
	const cJSON *un = json_path(r->sum, "untagged"), *it;
	struct sbuf s = { 0 };
	char title[200];
	int64_t e = 0;
	int n = 0;

	if (only) {
		sbuf_printf(&s, "Only charges with %s: the headline, the cost by service, account and"
			  " region, and the groups count these (both months); the other sections"
			  " count every charge (filter not applied).", only);
		rep_para(r, d, B_WARN, &s);
		free(s.s);
		s = (struct sbuf){ 0 };
	}
	if (key == NULL)
		return;
	snprintf(title, sizeof title, "Cost by %s", key);
	add_block(r, d, B_H2, title, "groups", NULL);
	add_table(r, d, cost_table(r, "cost-by-group", "groups", &summary_group_columns, "group"));
	if (un == NULL)
		return;
	jmoney(un, "effective_cost", &e);
	sbuf_printf(&s, "Charges without %s: %s %s, %s of the effective cost.", key, fm(e), r->ccy,
		  fpct(rep_ratio(e, r->eff)));
	cJSON_ArrayForEach(it, json_path(un, "top_resources")) {
		const char *id = json_str(it, "resource_id");
		if (id == NULL || n == 5)
			continue;
		sbuf_printf(&s, "%s%s", n++ ? ", " : " Tag these first: ", id);
	}
	if (n)
		sbuf_printf(&s, ".");
	rep_para(r, d, e != 0 ? B_ACTION : B_P, &s);
	free(s.s);
}

/* summary.by_resource: the top resources by effective cost, with their
 * service, region and account and their share of the month */
void
sec_resources(struct rep *r, struct doc *d)
{
	static const char *const keys[] = { "resource_id", "service", "region", "account",
					    "billed_cost", "effective_cost", "share", NULL };
	const cJSON *arr = json_path(r->sum, "by_resource"), *it, *top;
	struct sbuf s = { 0 };
	struct rtab *t;
	int64_t sum = 0, e;
	int n = 0;

	if (!cJSON_IsArray(arr))
		return;		/* the analyses do not give them */
	add_block(r, d, B_H2, "Top resources", "resources", NULL);
	t = rt_pick(r, "top-resources", "Top resources", &summary_resource_columns, keys, 0);
	if (t == NULL)
		return;
	rt_from_json(r, t, arr, NULL);
	cJSON_ArrayForEach(it, arr) {
		if (jmoney(it, "effective_cost", &e) == 0) {
			if (!isfinite(jnum(it, "share")))
				rt_num(r, t, n, 6, rep_ratio(e, r->eff));
			sum += e;
		}
		n++;
	}
	add_table(r, d, t);
	top = largest(arr, &e);
	if (top) {
		const char *id = json_str(top, "resource_id") ? json_str(top, "resource_id") : "(none)";
		const char *svc = json_str(top, "service") ? json_str(top, "service") : "(none)";
		const char *reg = json_str(top, "region");
		char what[300];

		if (reg && *reg && strcmp(reg, "(global)") != 0)
			snprintf(what, sizeof what, "%s (%s, %s)", id, svc, reg);
		else
			snprintf(what, sizeof what, "%s (%s)", id, svc);
		if (n == 1)
			sbuf_printf(&s, "The largest resource, %s, costs %s %s, %s of the effective cost:"
				  " have its owner confirm that it is sized right and still needed.",
				  what, fm(e), r->ccy, fpct(rep_ratio(e, r->eff)));
		else
			sbuf_printf(&s, "The %d largest resources carry %s of the effective cost (%s %s);"
				  " start with %s at %s %s: have its owner confirm that it is sized right"
				  " and still needed, and give each resource here an owner tag.", n,
				  fpct(rep_ratio(sum, r->eff)), fm(sum), r->ccy, what, fm(e), r->ccy);
		rep_para(r, d, B_ACTION, &s);
	}
	free(s.s);
}
