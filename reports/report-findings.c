/*
 * report-findings.c - the monthly report's findings sections:
 * commitments, waste (idle resources and rightsizing), anomalies, the
 * forecast, unit economics, allocation, what the analyses could not
 * assess, and the notes on assumptions; each ends with one "what to do"
 * sentence computed from its numbers.
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

void
sec_commitments(struct rep *r, struct doc *d)
{
	static const char *const rec_keys[] = {	/* commitments' but provider, currency, family */
		"region", "instance_type", "platform", "term", "payment", "count", "upfront",
		"on_demand_monthly", "committed_monthly", "monthly_savings", "break_even_utilization",
		"expected_utilization", "coverage_before", "coverage_after", "price_source", NULL
	};
	static const char *const ex_keys[] = {
		"commitment_id", "type", "region", "instance_type", "used_cost", "unused_cost",
		"utilization=Utilization", "covered_hours/0", NULL
	};
	static const char *const cov_keys[] = {
		"provider", "region", "instance_type", "platform", "covered_hours/0", "on_demand_hours/0",
		"coverage", NULL
	};
	static const char *const sp_keys[] = {
		"term", "payment", "hourly_commitment", "upfront", "on_demand_monthly", "committed_monthly",
		"monthly_savings", "break_even_utilization", "coverage_after", "instance_types",
		"price_source", NULL
	};
	static const char *const un_keys[] = {
		"provider", "region", "instance_type", "platform", "on_demand_hours/0", "reason", "fix", NULL
	};
	static const char *const ns_keys[] = {
		"region", "instance_type", "platform", "on_demand_hours/0", "term", "payment",
		"break_even_utilization", "average_utilization", "price_source", NULL
	};
	const cJSON *c = json_path(r->cur, "commitments"), *it;
	const cJSON *tot = jfor_currency(json_path(c, "totals"), r->ccy);
	const cJSON *recs = json_path(c, "recommendations"), *unp = json_path(c, "unpriced");
	struct sbuf s = { 0 };
	struct rtab *t;
	double cov = jnum(json_path(c, "coverage"), "coverage");
	double elig = jnum(json_path(c, "coverage"), "eligible_hours");
	int64_t unused = 0, used = 0, upfront = 0, m;
	int shown = 0, nunp = cJSON_GetArraySize(unp);

	if (c == NULL)
		return;
	add_block(r, d, B_H2, "Commitments", "commitments", NULL);
	if (tot) {
		jmoney(tot, "unused_cost", &unused);
		jmoney(tot, "used_cost", &used);
	}
	if (isfinite(cov))
		sbuf_printf(&s, "Coverage: %s of %s eligible instance hours ran on reservations or savings"
			  " plans (by hours).", fpct(cov), fint(elig));
	{
		const cJSON *sp = jfor_currency(json_path(c, "savings_plan_coverage"), r->ccy);
		int64_t spc = 0, spo = 0;
		if (sp && jmoney(sp, "covered_spend", &spc) == 0 && jmoney(sp, "on_demand_spend", &spo) == 0 &&
		    spc > 0)
			sbuf_printf(&s, " Savings plans covered %s of the eligible spend (by cost, as AWS"
				  " measures it: %s %s on-demand equivalent covered, %s %s on demand).",
				  fpct(rep_ratio(spc, spc + spo)), fm(spc), r->ccy, fm(spo), r->ccy);
	}
	if (!isfinite(cov))
		sbuf_puts(&s, "No instance usage eligible for commitments in the look-back window.");
	if (tot)
		sbuf_printf(&s, " Existing commitments were %s used: %s %s of them went unused.",
			  fpct(rep_ratio(used, used + unused)), fm(unused), r->ccy);
	rep_para(r, d, B_P, &s);

	t = rt_pick(r, "commitments-recommendations", "Recommended purchases", &commitments_rec_columns,
		    rec_keys, 0);
	if (t)
		rt_from_json(r, t, recs, r->ccy);
	add_table(r, d, t);
	s.len = 0;
	sbuf_printf(&s, "Monthly figures are per %.0f hours (8760 / 12, as AWS Cost Explorer): a"
		  " 744-hour month bills about 2%% more.", jnum(c, "hours_per_month") > 0 ?
		  jnum(c, "hours_per_month") : 730.0);
	rep_para(r, d, B_P, &s);
	add_chart(r, d, CH_COMMIT);
	t = rt_pick(r, "commitments-savings-plan", "Fleet-wide savings plan (an alternative to the"
		   " purchases above, not in addition)", &commitments_sp_columns, sp_keys, 0);
	if (t)
		rt_from_json(r, t, json_path(c, "savings_plan"), r->ccy);
	add_table(r, d, t);
	t = rt_pick(r, "commitments-existing", "Existing commitments", &commitments_existing_columns, ex_keys,
		    SHOW_ROWS);
	if (t)
		rt_from_json(r, t, json_path(c, "existing"), r->ccy);
	add_table(r, d, t);
	t = rt_pick(r, "commitments-coverage", "Coverage by instance type", &commitments_coverage_columns,
		    cov_keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, json_path(c, "coverage_by_type"), NULL);
	add_table(r, d, t);
	t = rt_pick(r, "commitments-no-saving", "Priced, but no offer saves money (usage below the"
		   " break-even utilization)", &commitments_nosave_columns, ns_keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, json_path(c, "no_saving"), NULL);
	add_table(r, d, t);
	t = rt_pick(r, "commitments-unpriced", "Used on demand but not priced: why, and the fix",
		    &commitments_unpriced_columns, un_keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, unp, NULL);
	add_table(r, d, t);

	s.len = 0;
	if (r->nrec > 0) {
		if (r->nrec > 1)
			sbuf_printf(&s, "Buying the %d recommended commitments (", r->nrec);
		else
			sbuf_puts(&s, "Buying the recommended commitment (");
		cJSON_ArrayForEach(it, recs) {
			if (!in_currency(it, r->ccy))
				continue;
			if (jmoney(it, "upfront", &m) == 0)
				upfront += m;
			if (shown < 3)
				sbuf_printf(&s, "%s%.0f x %s in %s, %s %s", shown ? "; " : "",
					  jnum(it, "count"), json_str(it, "instance_type") ? json_str(it, "instance_type")
					  : "?", json_str(it, "region") ? json_str(it, "region") : "?",
					  json_str(it, "term") ? json_str(it, "term") : "", json_str(it, "payment") ?
					  json_str(it, "payment") : "");
			else if (shown == 3)
				sbuf_printf(&s, "; and %d more", r->nrec - 3);
			shown++;
		}
		sbuf_printf(&s, ") saves %s %s a month (%s %s a year) for %s %s upfront", fm(r->save_commit),
			  r->ccy, fm(r->save_commit * 12), r->ccy, fm(upfront), r->ccy);
	} else if (nunp > 0) {
		sbuf_printf(&s, "Import the price lists named in the unpriced table for the %d instance"
			  " type%s used on demand without a commitment price (imcost import FILE, or"
			  " --pricing FILE) and run the report again to get purchase advice", nunp,
			  nunp > 1 ? "s" : "");
	} else {
		sbuf_printf(&s, "Buy nothing this month: no offer beats on-demand prices for the usage seen");
	}
	if (unused > 0)
		sbuf_printf(&s, "; existing commitments left %s %s unused, so move matching workloads onto"
			  " them before buying more", fm(unused), r->ccy);
	sbuf_puts(&s, ".");
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

void
sec_waste(struct rep *r, struct doc *d)
{
	static const struct table_col kind_cols[] = {
		{ "kind", "Kind", CELL_TEXT, 0 },
		{ "findings", "Findings", CELL_INT, 0 },
		{ "unpriced", "Unpriced", CELL_INT, 0 },
		{ "monthly_cost", "Per month", CELL_MONEY, 0 },
		{ "period_cost", "In period", CELL_MONEY, 0 },
	};
	static const char *const idle_keys[] = {	/* idle.c's columns but currency */
		"resource_id", "kind", "reason", "monthly_cost", "period_cost", "region",
		"instance_type", "evidence", NULL
	};
	static const char *const rs_keys[] = {	/* rightsizing.c's, CPU only */
		"resource_id", "region", "instance_type", "recommended_type", "percentile",
		"cpu_at_percentile", "projected_cpu", "on_demand_hourly", "recommended_hourly",
		"monthly_savings", NULL
	};
	const cJSON *idle = json_path(r->cur, "idle"), *it, *top = NULL;
	struct sbuf s = { 0 };
	struct rtab *t;
	int64_t topv = 0, m;
	int unpriced = 0;

	if (idle == NULL && json_path(r->cur, "rightsizing") == NULL)
		return;
	add_block(r, d, B_H2, "Idle resources and waste", "waste", NULL);
	t = rt_new(r, "waste-by-kind", "Waste by kind", kind_cols, 5, 0);
	for (int k = 0; t && k < NWASTE; k++) {
		const struct waste *w = &r->waste[k];
		int row;
		if (w->count == 0)
			continue;
		row = rt_row(r, t);
		rt_text(r, t, row, 0, w->label);
		rt_int(r, t, row, 1, w->count);
		rt_int(r, t, row, 2, w->unpriced);
		rt_money(r, t, row, 3, w->monthly);
		if (k == W_OVERSIZED)
			rt_na(r, t, row, 4);
		else
			rt_money(r, t, row, 4, w->period);
	}
	add_table(r, d, t);
	add_chart(r, d, CH_WASTE);
	t = rt_pick(r, "idle", "Idle resources", &idle_columns, idle_keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, idle, NULL);
	add_table(r, d, t);
	t = rt_pick(r, "rightsizing", "Oversized instances (next smaller size)", &rightsizing_columns,
		    rs_keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, json_path(r->cur, "rightsizing.recommendations"), r->ccy);
	add_table(r, d, t);

	cJSON_ArrayForEach(it, idle) {
		const char *k = json_str(it, "kind");
		if (!in_currency(it, r->ccy) || (k && strcmp(k, "commitment") == 0))
			continue;
		if (jmoney(it, "monthly_cost", &m) != 0) {
			unpriced++;
			continue;
		}
		if (top == NULL || m > topv) {
			top = it;
			topv = m;
		}
	}
	if (r->nidle > 0) {
		sbuf_printf(&s, "Stopping or deleting the %d idle resource%s saves %s %s a month", r->nidle,
			  r->nidle > 1 ? "s" : "", fm(r->save_idle), r->ccy);
		if (top)
			sbuf_printf(&s, ", starting with %s (%s, %s %s a month)",
				  json_str(top, "resource_id") ? json_str(top, "resource_id") : "?",
				  json_str(top, "kind") ? json_str(top, "kind") : "?", fm(topv), r->ccy);
		if (unpriced)
			sbuf_printf(&s, ", plus %d more the bill does not price", unpriced);
	}
	if (r->nrs > 0)
		sbuf_printf(&s, "%s%d instance%s to the next smaller size saves %s %s a month",
			  r->nidle > 0 ? "; moving " : "Moving ", r->nrs, r->nrs > 1 ? "s" : "",
			  fm(r->save_rs), r->ccy);
	if (r->nidle == 0 && r->nrs == 0 && metric_gaps(r))
		sbuf_puts(&s, "No idle resource or oversized instance was found among what could be"
			" assessed, but some instances or volumes were not assessed (no usage metrics:"
			" see Not assessed)");
	else if (r->nidle == 0 && r->nrs == 0)
		sbuf_puts(&s, "Nothing to stop or downsize this month: no idle resource or oversized"
			" instance was found");
	sbuf_puts(&s, ".");
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

static int
cmp_impact(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t u = 0, v = 0;

	jmoney(x, "impact", &u);
	jmoney(y, "impact", &v);
	return u > v ? -1 : u < v;
}

void
sec_anomalies(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {	/* anomalies.c's, in the report's words */
		"day", "service", "expected", "actual", "impact=Above baseline", "z=Score", "kind",
		"days", NULL
	};
	const cJSON *a = json_path(r->cur, "anomalies"), *arr = json_path(a, "anomalies"), *it;
	const cJSON **v;
	struct sbuf s = { 0 };
	struct rtab *t;
	cJSON *sorted;
	int n = 0;
	int64_t sum = 0, m, e = 0;

	if (a == NULL)
		return;
	add_block(r, d, B_H2, "Anomalies", "anomalies", NULL);
	v = malloc((size_t)(cJSON_GetArraySize(arr) + 1) * sizeof *v);
	sorted = cJSON_CreateArray();
	if (v == NULL || sorted == NULL) {
		free(v);
		cJSON_Delete(sorted);
		r->oom = 1;
		return;
	}
	cJSON_ArrayForEach(it, arr)
		if (in_currency(it, r->ccy)) {
			v[n++] = it;
			if (jmoney(it, "impact", &m) == 0)
				sum += m;
		}
	qsort(v, (size_t)n, sizeof *v, cmp_impact);
	for (int i = 0; i < n; i++)
		cJSON_AddItemReferenceToArray(sorted, (cJSON *)v[i]);
	t = rt_pick(r, "anomalies", "Daily cost spikes and level shifts (a step that stays up:"
		   " impact per day since it began), largest first", &anomalies_columns, keys, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, sorted, NULL);
	add_table(r, d, t);
	if (n > 0) {
		jmoney(v[0], "impact", &m);
		jmoney(v[0], "expected", &e);
		sbuf_printf(&s, "Investigate %s on %s first: %s %s above its usual %s %s a day",
			  json_str(v[0], "service") ? json_str(v[0], "service") : "?",
			  json_str(v[0], "day") ? json_str(v[0], "day") : "?", fm(m), r->ccy, fm(e), r->ccy);
		if (n > 1)
			sbuf_printf(&s, "; the %d spikes cost %s %s above baseline in all", n, fm(sum), r->ccy);
		sbuf_puts(&s, ".");
	} else {
		sbuf_printf(&s, "Nothing to investigate: no daily cost spike above the thresholds in %s"
			  " service-days checked.", fint(jnum(a, "days_checked")));
	}
	rep_para(r, d, B_ACTION, &s);
	cJSON_Delete(sorted);
	free(v);
	free(s.s);
}

void
sec_forecast(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {	/* forecast.c's but currency and excluded days */
		"to_date", "days_seen", "days_in_month", "daily_rate", "projected_remaining",
		"forecast", "method", NULL
	};
	const cJSON *f = json_path(r->cur, "forecast"), *fc;
	struct sbuf s = { 0 };
	struct rtab *t;
	int64_t fv, rate = 0;

	if (f == NULL)
		return;
	add_block(r, d, B_H2, "Forecast", "forecast", NULL);
	t = rt_pick(r, "forecast", "Month-end forecast", &forecast_columns, keys, 0);
	if (t)
		rt_from_json(r, t, json_path(f, "forecasts"), r->ccy);
	add_table(r, d, t);
	add_chart(r, d, CH_FORECAST);
	fc = jfor_currency(json_path(f, "forecasts"), r->ccy);
	if (fc == NULL || jmoney(fc, "forecast", &fv) != 0) {
		sbuf_printf(&s, "No forecast yet: wait for a complete day of data in %s.", r->mname);
	} else if (jnum(fc, "days_seen") >= jnum(fc, "days_in_month")) {
		sbuf_printf(&s, "%s is complete at %s %s (%s vs %s): use it as the baseline for next"
			  " month's budget.", r->mname, fm(fv), r->ccy, r->has_prev ?
			  fchange(fv, r->peff) : "n/a", r->pmname);
	} else {
		jmoney(fc, "daily_rate", &rate);
		sbuf_printf(&s, "At %s %s a day %s ends near %s %s (%s vs %s): if that is over budget,"
			  " act on the savings above before the month ends.", fm(rate), r->ccy,
			  r->mname, fm(fv), r->ccy, r->has_prev ? fchange(fv, r->peff) :
			  "n/a", r->pmname);
	}
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

static const cJSON *
ue_month(const cJSON *doc, const char *month)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_path(doc, "unit_economics.months")) {
		const char *m = json_str(it, "month");
		if (m && strcmp(m, month) == 0)
			return it;
	}
	return NULL;
}

void
sec_unit(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {	/* unit-economics.c's, fewer */
		"month", "cost", "mau", "dau", "messages", "peak_connections", "cost_per_mau",
		"cost_per_million_messages/4", "cost_per_peak_connection", NULL
	};
	const cJSON *u = json_path(r->cur, "unit_economics"), *cm, *pm;
	struct sbuf s = { 0 };
	struct rtab *t;
	cJSON *rows;
	int64_t total = r->save_commit + r->save_idle + r->save_rs, cost = 0;
	double mau, msgs, per, pper;

	if (u == NULL)
		return;
	add_block(r, d, B_H2, "Unit economics", "unit", NULL);
	cm = ue_month(r->cur, r->month);
	pm = r->prev ? ue_month(r->prev, r->pmonth) : NULL;
	rows = cJSON_CreateArray();
	if (rows == NULL) {
		r->oom = 1;
		return;
	}
	if (cm)
		cJSON_AddItemReferenceToArray(rows, (cJSON *)cm);
	if (pm)
		cJSON_AddItemReferenceToArray(rows, (cJSON *)pm);
	t = rt_pick(r, "unit-economics", "Cost per user, message and connection", &unit_economics_columns,
		    keys, 0);
	if (t)
		rt_from_json(r, t, rows, r->ccy);
	add_table(r, d, t);
	cJSON_Delete(rows);

	mau = jnum(cm, "mau");
	msgs = jnum(cm, "messages");
	if (cm && jmoney(cm, "cost", &cost) == 0 && (mau > 0 || msgs > 0)) {
		struct sbuf after = { 0 };
		if (mau > 0) {
			per = (double)cost / 1e9 / mau;
			pper = jnum(pm, "cost_per_mau");
			sbuf_printf(&s, "Cost per MAU is %.6f %s (%s vs %s)", per, r->ccy,
				  isfinite(pper) && pper > 0 ? fpct_signed(per / pper - 1) : "n/a", r->pmname);
			sbuf_printf(&after, "%.6f %s per MAU", (double)(cost - total) / 1e9 / mau, r->ccy);
		}
		if (msgs > 0) {
			per = (double)cost / 1e9 / msgs * 1e6;
			pper = jnum(pm, "cost_per_million_messages");
			sbuf_printf(&s, "%s %.4f %s per million messages (%s)", s.len ? " and" : "Cost is",
				  per, r->ccy, isfinite(pper) && pper > 0 ? fpct_signed(per / pper - 1) : "n/a");
			sbuf_printf(&after, "%s%.4f %s per million messages", after.len ? " and " : "",
				  (double)(cost - total) / 1e9 / msgs * 1e6, r->ccy);
		}
		if (total > 0 && !after.oom)
			sbuf_printf(&s, "; acting on the savings above brings it to %s", after.s);
		else
			sbuf_puts(&s, "; track it month by month as the user base grows");
		sbuf_puts(&s, ".");
		free(after.s);
	} else {
		sbuf_puts(&s, "Import the service metrics (mau, messages, peak_connections of resource"
			" 'service') with the usage logs to track what the service costs per user and per"
			" message.");
	}
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
}

/* Allocation (report --allocation RULES): the rows of allocation.rows[],
 * the unallocated cost, a chart of direct and shared cost per value, and
 * the notes. */
void
sec_alloc(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {	/* allocation.c's rows table */
		"value", "kind", "direct_cost", "shared_cost", "total_cost", "share", NULL
	};
	const cJSON *a = json_path(r->cur, "allocation"), *it;
	const char *key = json_str(a, "key"), *ccy = json_str(a, "currency");
	struct sbuf s = { 0 };
	struct rtab *t;
	char title[200];
	int64_t un = 0, tot = 0;

	if (a == NULL || key == NULL)
		return;
	snprintf(title, sizeof title, "Allocation by %s", key);
	add_block(r, d, B_H2, title, "allocation", NULL);
	t = rt_pick(r, "allocation", "Direct and shared cost per value", &allocation_columns, keys, 0);
	if (t)
		rt_from_json(r, t, json_path(a, "rows"), NULL);
	add_table(r, d, t);
	if (jmoney(json_path(a, "unallocated"), "cost", &un) == 0 && jmoney(a, "total_cost", &tot) == 0)
		sbuf_printf(&s, "Unallocated: %s %s of %s %s (%s): no rule of %s takes these charges;"
			  " tag them or add a rule.", fm(un), ccy ? ccy : "", fm(tot), ccy ? ccy : "",
			  fpct(rep_ratio(un, tot)), json_str(a, "file") ? json_str(a, "file") : "the rules file");
	rep_para(r, d, B_ACTION, &s);
	free(s.s);
	add_chart(r, d, CH_ALLOC);
	cJSON_ArrayForEach(it, json_path(a, "notes"))
		if (cJSON_IsString(it))
			add_block(r, d, B_ITEM, it->valuestring, NULL, NULL);
}

/* "Not assessed": every assessment entry with not_assessed > 0 */
void
sec_assessment(struct rep *r, struct doc *d)
{
	const cJSON *it;
	struct sbuf s = { 0 };
	int n = 0;

	cJSON_ArrayForEach(it, json_path(r->cur, "assessment")) {
		double na = jnum(it, "not_assessed");
		if (!(na > 0))
			continue;
		if (n++ == 0)
			add_block(r, d, B_H2, "Not assessed", "not-assessed", NULL);
		s.len = 0;
		sbuf_printf(&s, "%s, %s: %.0f of %.0f not assessed: %s. Fix: %s.", json_str(it, "analysis"),
			  json_str(it, "kind"), na, jnum(it, "eligible"),
			  json_str(it, "reason") ? json_str(it, "reason") : "no reason given",
			  json_str(it, "fix") ? json_str(it, "fix") : "none known");
		if (s.oom)
			r->oom = 1;
		else
			add_block(r, d, B_ITEM, s.s, NULL, NULL);
	}
	free(s.s);
}

void
sec_notes(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {
		"commitments.notes", "rightsizing.notes", "forecast.notes", "unit_economics.notes"
	};
	const cJSON *it;
	int n = 0;

	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		cJSON_ArrayForEach(it, json_path(r->cur, keys[k]))
			if (cJSON_IsString(it)) {
				if (n++ == 0)
					add_block(r, d, B_H2, "Notes from the analyses", "notes", NULL);
				add_block(r, d, B_ITEM, it->valuestring, NULL, NULL);
			}
}
