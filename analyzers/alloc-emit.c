/*
 * alloc-emit.c - the allocation analysis printed (allocation.c computes
 * it): the rows table (its columns exported in columns.h for the report),
 * the rules used, the splits of the shared pools, the unit costs and the
 * notes; the JSON keys are listed in allocation.c's header.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/allocation.h"
#include "analyzers/allocation-int.h"
#include "analyzers/analyzer.h"
#include "analyzers/columns.h"
#include "common/decimal.h"
#include "output/emit.h"
#include "output/table.h"

static int
cmp_cost(const void *x, const void *y)
{
	const struct aval *a = x, *b = y;
	int64_t ta = a->direct + a->shared, tb = b->direct + b->shared;

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->name, b->name);
}

static const struct table_col row_cols[] = {
	{ "value", "Value", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "direct_cost", "Direct", CELL_MONEY, 0 },
	{ "shared_cost", "Shared", CELL_MONEY, 0 },
	{ "total_cost", "Total", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
};

const struct table_colset allocation_columns = { row_cols, (int)(sizeof row_cols / sizeof row_cols[0]) };

static const struct table_col rule_cols[] = {
	{ "index", "Rule", CELL_INT, 0 },
	{ "value", "Value", CELL_TEXT, 0 },
	{ "shared", "Shared", CELL_TEXT, 0 },
	{ "split", "Split", CELL_TEXT, 0 },
	{ "charges", "Charges", CELL_INT, 0 },
	{ "cost", "Cost", CELL_MONEY, 0 },
};

static const struct table_col unit_cols[] = {
	{ "value", "Value", CELL_TEXT, 0 },
	{ "metric", "Metric", CELL_TEXT, 0 },
	{ "quantity", "Quantity", CELL_NUM, 3 },
	{ "total_cost", "Total cost", CELL_MONEY, 0 },
	{ "cost_per_unit", "Per unit", CELL_NUM, 9 },
	{ "cost_per_million", "Per 1M", CELL_NUM, 6 },
};

static int
add_row(struct table *t, const char *value, const char *kind, int64_t direct, int64_t shared,
	int64_t grand)
{
	int r = table_add_row(t), bad;

	if (r < 0)
		return -1;
	bad = table_set_text(t, r, 0, value);
	bad |= table_set_text(t, r, 1, kind);
	bad |= table_set_money(t, r, 2, direct);
	bad |= table_set_money(t, r, 3, shared);
	bad |= table_set_money(t, r, 4, direct + shared);
	if (grand != 0)
		bad |= table_set_num(t, r, 5, (double)(direct + shared) / (double)grand);
	return bad ? -1 : 0;
}

int
alloc_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct alloc *a = p;
	const struct alloc_rules *rs = ctx->allocation;
	struct table *rows = NULL, *rules = NULL, *units = NULL;
	struct aval *sorted = NULL;
	char title[300], m[48], g[48];
	int bad = 0, nunits = 0;

	if (a == NULL || rs == NULL)
		return 0;
	snprintf(title, sizeof title, "Allocation by %s (effective cost, %s)", rs->key,
		 a->cur[0] ? a->cur : "no charges");
	rows = table_new(title, row_cols, 6);
	rules = table_new("Allocation rules used", rule_cols, 6);
	units = table_new("Allocation unit costs (usage under resource_id KEY:VALUE)", unit_cols, 6);
	sorted = malloc(((size_t)a->nv + 1) * sizeof *sorted);
	if (rows == NULL || rules == NULL || units == NULL || sorted == NULL)
		goto oom;
	memcpy(sorted, a->v, (size_t)a->nv * sizeof *sorted);
	qsort(sorted, (size_t)a->nv, sizeof *sorted, cmp_cost);
	for (int i = 0; i < a->nv; i++) {
		const struct aval *v = &sorted[i];
		if (v->charges == 0 && v->shared == 0)
			continue;
		bad |= add_row(rows, v->name, "allocated", v->direct, v->shared, a->grand);
	}
	for (int i = 0; i < a->npools; i++)
		if (a->pools[i].parts == NULL)
			bad |= add_row(rows, rs->rules[a->pools[i].rule].name, "unsplit_shared", 0,
				       a->pools[i].cost, a->grand);
	if (e->fmt != FMT_JSON && (a->unalloc_n > 0 || a->unalloc != 0))
		bad |= add_row(rows, "(unallocated)", "unallocated", a->unalloc, 0, a->grand);
	if (e->fmt != FMT_JSON)
		bad |= table_sum_col(rows, 2) | table_sum_col(rows, 3) | table_sum_col(rows, 4);
	for (int i = 0; i < rs->n; i++) {
		const struct alloc_rule *r = &rs->rules[i];
		int k = table_add_row(rules);
		if (k < 0)
			goto oom;
		bad |= table_set_int(rules, k, 0, i);
		if (r->shared) {
			bad |= table_set_text(rules, k, 2, r->name);
			bad |= table_set_text(rules, k, 3, alloc_split_names[r->split]);
		} else {
			bad |= table_set_text(rules, k, 1, r->name);
		}
		bad |= table_set_int(rules, k, 4, a->rule_n ? a->rule_n[i] : 0);
		bad |= table_set_money(rules, k, 5, a->rule_cost ? a->rule_cost[i] : 0);
	}
	for (int i = 0; i < a->nv; i++) {
		const struct aval *v = &sorted[i];
		for (int u = 0; u < a->nu; u++) {
			int k, dup = 0;
			double q;
			if (strcasecmp(a->u[u].value, v->name) != 0)
				continue;
			for (int w = 0; w < u; w++)
				dup |= strcasecmp(a->u[w].value, v->name) == 0 &&
				       strcmp(a->u[w].metric, a->u[u].metric) == 0;
			if (dup)
				continue;
			q = alloc_usage_sum(a, v->name, a->u[u].metric);
			if ((k = table_add_row(units)) < 0)
				goto oom;
			nunits++;
			bad |= table_set_text(units, k, 0, v->name);
			bad |= table_set_text(units, k, 1, a->u[u].metric);
			bad |= table_set_qty(units, k, 2, q);
			bad |= table_set_money(units, k, 3, v->direct + v->shared);
			if (q > 0) {
				double cost = (double)(v->direct + v->shared) / 1e9;
				bad |= table_set_num(units, k, 4, cost / q);
				bad |= table_set_num(units, k, 5, cost / q * 1e6);
			}
		}
	}
	if (bad)
		goto oom;
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "allocation"), *un, *arr, *notes, *rarr;
		if (o == NULL)
			goto oom;
		cJSON_AddStringToObject(o, "key", rs->key);
		cJSON_AddStringToObject(o, "file", rs->file);
		if (a->cur[0])
			cJSON_AddStringToObject(o, "currency", a->cur);
		else
			cJSON_AddNullToObject(o, "currency");
		cJSON_AddStringToObject(o, "cost_basis", "effective");
		cJSON_AddItemToObject(o, "total_cost", json_money(a->grand));
		emit_table(e, rows, o, "rows");
		un = cJSON_AddObjectToObject(o, "unallocated");
		if (un) {
			cJSON_AddItemToObject(un, "cost", json_money(a->unalloc));
			if (a->grand != 0)
				cJSON_AddNumberToObject(un, "share",
							round((double)a->unalloc / (double)a->grand * 1e6) / 1e6);
			else
				cJSON_AddNullToObject(un, "share");
			cJSON_AddNumberToObject(un, "charges", (double)a->unalloc_n);
		}
		rarr = cJSON_AddArrayToObject(o, "rules_used");
		for (int i = 0; rarr && i < rs->n; i++) {
			const struct alloc_rule *r = &rs->rules[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddItemToArray(rarr, x);
			cJSON_AddNumberToObject(x, "index", i);
			cJSON_AddStringToObject(x, r->shared ? "shared" : "value", r->name);
			if (r->shared)
				cJSON_AddStringToObject(x, "split", alloc_split_names[r->split]);
			cJSON_AddNumberToObject(x, "charges", (double)a->rule_n[i]);
			cJSON_AddItemToObject(x, "cost", json_money(a->rule_cost[i]));
		}
		arr = cJSON_AddArrayToObject(o, "splits");
		for (int i = 0; arr && i < a->npools; i++) {
			const struct pool *pl = &a->pools[i];
			cJSON *x = cJSON_CreateObject(), *parts;
			cJSON_AddItemToArray(arr, x);
			cJSON_AddStringToObject(x, "shared", rs->rules[pl->rule].name);
			cJSON_AddStringToObject(x, "split", alloc_split_names[rs->rules[pl->rule].split]);
			cJSON_AddItemToObject(x, "cost", json_money(pl->cost));
			if (pl->parts == NULL) {
				cJSON_AddNullToObject(x, "parts");
				cJSON_AddStringToObject(x, "not_split", pl->why);
				continue;
			}
			parts = cJSON_AddArrayToObject(x, "parts");
			for (int k = 0; parts && k < a->nv; k++) {
				cJSON *y;
				if (pl->parts[k] == 0)
					continue;
				y = cJSON_CreateObject();
				cJSON_AddItemToArray(parts, y);
				cJSON_AddStringToObject(y, "value", a->v[k].name);
				cJSON_AddItemToObject(y, "amount", json_money(pl->parts[k]));
			}
		}
		emit_table(e, units, o, "unit_costs");
		notes = cJSON_AddArrayToObject(o, "notes");
		for (int i = 0; notes && i < rs->nnotes; i++)
			cJSON_AddItemToArray(notes, cJSON_CreateString(rs->notes[i]));
		for (int i = 0; notes && i < a->nnotes; i++)
			cJSON_AddItemToArray(notes, cJSON_CreateString(a->notes[i]));
		if (notes && nunits == 0) {
			snprintf(title, sizeof title, "no unit costs: no usage rows under resource_id"
				 " '%s:VALUE' (import a usage CSV with rows TIMESTAMP,%s:VALUE,METRIC,COUNT,"
				 " e.g. %s:messaging,messages)", rs->key, rs->key, rs->key);
			cJSON_AddItemToArray(notes, cJSON_CreateString(title));
		}
	} else {
		emit_table(e, rows, NULL, "allocation");
		if (e->fmt != FMT_CSV) {
			snprintf(title, sizeof title, "%s %s of %s %s (%.1f%%)",
				 money_format(a->unalloc, 2, 1, m), a->cur, money_format(a->grand, 2, 1, g),
				 a->cur, a->grand ? 100.0 * (double)a->unalloc / (double)a->grand : 0.0);
			emit_line(e, "Unallocated", title);
		}
		emit_table(e, rules, NULL, "allocation_rules");
		if (nunits)
			emit_table(e, units, NULL, "allocation_unit_costs");
		else if (e->fmt != FMT_CSV) {
			snprintf(title, sizeof title, "no usage rows under resource_id '%s:VALUE'"
				 " (import TIMESTAMP,%s:messaging,messages,COUNT rows)", rs->key, rs->key);
			emit_line(e, "Unit costs", title);
		}
		for (int i = 0; e->fmt != FMT_CSV && i < a->nnotes; i++)
			emit_line(e, "Note", a->notes[i]);
	}
	table_free(rows);
	table_free(rules);
	table_free(units);
	free(sorted);
	return 0;
oom:
	table_free(rows);
	table_free(rules);
	table_free(units);
	free(sorted);
	return ic_errorf(err, "out of memory");
}
