/*
 * levers-emit.c - how imcost levers prints the levers (levers.c computes
 * them): the summary table of savings, each lever's inputs with their
 * sources, formula and outputs, and the levers that could not be computed
 * with the input each needs; in the table, CSV, Markdown and JSON forms
 * of output/emit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "analyzers/levers.h"
#include "analyzers/levers-emit.h"
#include "common/error.h"
#include "output/emit.h"
#include "output/table.h"

static const struct table_col miss_cols[] = {
	{ "lever", "Lever", CELL_TEXT, 0 },
	{ "needs", "Not computed: needs", CELL_TEXT, 0 },
};

static const struct table_col sum_cols[] = {
	{ "lever", "Lever", CELL_TEXT, 0 },
	{ "title", "What", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "monthly_saving", "Saving/month", CELL_MONEY, 0 },
	{ "note", "Note", CELL_TEXT, 0 },
};

static const struct table_col item_cols[] = {
	{ "name", "Name", CELL_TEXT, 0 },
	{ "value", "Value", CELL_NUM, 6 },
	{ "unit", "Unit", CELL_TEXT, 0 },
	{ "source", "Source", CELL_TEXT, 0 },
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static cJSON *
items_json(const struct lever_item *it, int n)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		if (o == NULL)
			break;
		cJSON_AddStringToObject(o, "name", it[i].name);
		if (it[i].not_given)
			cJSON_AddNullToObject(o, "value");
		else
			cJSON_AddNumberToObject(o, "value", it[i].value);
		cJSON_AddStringToObject(o, "unit", it[i].unit);
		cJSON_AddStringToObject(o, "source", it[i].source);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static struct table *
items_table(const char *title, const struct lever_item *it, int n)
{
	struct table *t = table_new(title, item_cols, NCOLS(item_cols));

	for (int i = 0; t && i < n; i++) {
		int r = table_add_row(t);
		table_set_text(t, r, 0, it[i].name);
		if (it[i].not_given)
			table_set_text(t, r, 1, "not given");
		else
			table_set_qty(t, r, 1, it[i].value);
		table_set_text(t, r, 2, it[i].unit);
		table_set_text(t, r, 3, it[i].source);
	}
	return t;
}

void
levers_emit_missing(struct emitter *e, const struct lever_missing *m, int n)
{
	if (e->fmt == FMT_JSON) {
		cJSON *a = cJSON_CreateArray();
		for (int i = 0; a && i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			if (o == NULL)
				break;
			cJSON_AddStringToObject(o, "lever", m[i].lever);
			cJSON_AddStringToObject(o, "needs", m[i].needs);
			cJSON_AddItemToArray(a, o);
		}
		if (a == NULL)
			e->failed = 1;
		else
			cJSON_AddItemToObject(e->root, "not_computed", a);
		return;
	}
	if (n > 0) {
		struct table *t = table_new("Levers not computed, and the input each needs", miss_cols,
					    NCOLS(miss_cols));
		for (int i = 0; t && i < n; i++) {
			int r = table_add_row(t);
			table_set_text(t, r, 0, m[i].lever);
			table_set_text(t, r, 1, m[i].needs);
		}
		if (t == NULL)
			e->failed = 1;
		else
			emit_table(e, t, NULL, "not_computed");
		table_free(t);
	}
}

/* Every lever imcost knows that lv[] lacks or could not price, with the
 * input it needs.  Returns the count written to m (at most NLEVERS). */
int
levers_missing(const struct lever *lv, int n, int have_profile, struct lever_missing *m)
{
	static const struct { const char *key, *needs; } known[] = {
		{ "compression", "--messages SAMPLE.jsonl: message payloads to measure deflate on" },
		{ "protocol_compression", "--messages SAMPLE.jsonl: message payloads to measure deflate on" },
		{ "protocol", "--profile: messages, recipients and connections (peak_connections or "
		  "connection_minutes)" },
		{ "retention", "--profile: messages, stored_bytes_per_message and history_retention_days" },
		{ "tiering", "--profile: messages, stored_bytes_per_message and history_retention_days" },
		{ "commitment", "--bill: an imported bill (imcost import FILE)" },
		{ "commitment_fleet", "--profile: a workload to size the self-hosted fleet on" },
	};
	int nm = 0;

	for (size_t k = 0; k < sizeof known / sizeof known[0] && nm < NLEVERS; k++) {
		const struct lever *l = NULL;
		for (int i = 0; i < n; i++)
			if (strcmp(lv[i].key, known[k].key) == 0)
				l = &lv[i];
		if (l && l->has_saving)
			continue;
		snprintf(m[nm].lever, sizeof m[nm].lever, "%s", known[k].key);
		if (l)	/* present, not priced: its note says what is missing */
			str_copy_fit(m[nm].needs, sizeof m[nm].needs, l->note);
		else if (strcmp(known[k].key, "commitment_fleet") == 0 && have_profile)
			snprintf(m[nm].needs, sizeof m[nm].needs,
				 "a self-hosted option with a commitment price in the catalog "
				 "(--catalog: instances[].commitments)");
		else
			snprintf(m[nm].needs, sizeof m[nm].needs, "%s", known[k].needs);
		nm++;
	}
	return nm;
}

void
levers_emit(struct emitter *e, const struct lever *lv, int n, const char *period)
{
	struct table *t;

	if (e->fmt == FMT_JSON) {
		cJSON *a = cJSON_CreateArray();
		if (a == NULL) {
			e->failed = 1;
			return;
		}
		if (period)
			cJSON_AddStringToObject(e->root, "bill_month", period);
		for (int i = 0; i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			if (o == NULL) {
				e->failed = 1;
				break;
			}
			cJSON_AddStringToObject(o, "lever", lv[i].key);
			cJSON_AddStringToObject(o, "title", lv[i].title);
			cJSON_AddStringToObject(o, "currency", lv[i].currency);
			if (lv[i].has_saving)
				cJSON_AddItemToObject(o, "monthly_saving", json_money(lv[i].monthly_saving));
			else
				cJSON_AddNullToObject(o, "monthly_saving");
			cJSON_AddStringToObject(o, "formula", lv[i].formula);
			cJSON_AddStringToObject(o, "note", lv[i].note);
			cJSON_AddItemToObject(o, "inputs", items_json(lv[i].input, lv[i].ninput));
			cJSON_AddItemToObject(o, "outputs", items_json(lv[i].output, lv[i].noutput));
			cJSON_AddItemToArray(a, o);
		}
		cJSON_AddItemToObject(e->root, "levers", a);
		return;
	}
	t = table_new("Cost levers: monthly savings (each detailed below)", sum_cols, NCOLS(sum_cols));
	if (t == NULL) {
		e->failed = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		int r = table_add_row(t);
		table_set_text(t, r, 0, lv[i].key);
		table_set_text(t, r, 1, lv[i].title);
		table_set_text(t, r, 2, lv[i].currency);
		if (lv[i].has_saving)
			table_set_money(t, r, 3, lv[i].monthly_saving);
		table_set_text(t, r, 4, lv[i].note);
	}
	emit_table(e, t, NULL, "levers");
	table_free(t);
	for (int i = 0; i < n; i++) {
		char title[200];
		struct table *in, *out;

		snprintf(title, sizeof title, "Lever %.23s: %.*s", lv[i].key,
			 (int)str_fit(lv[i].title, strlen(lv[i].title), 127), lv[i].title);
		emit_heading(e, title);
		if (lv[i].formula[0])
			emit_line(e, "formula", lv[i].formula);
		snprintf(title, sizeof title, "Inputs of %.23s", lv[i].key);
		in = items_table(title, lv[i].input, lv[i].ninput);
		snprintf(title, sizeof title, "Outputs of %.23s", lv[i].key);
		out = items_table(title, lv[i].output, lv[i].noutput);
		if (in == NULL || out == NULL)
			e->failed = 1;
		else {
			emit_table(e, in, NULL, "inputs");
			if (lv[i].noutput)
				emit_table(e, out, NULL, "outputs");
		}
		table_free(in);
		table_free(out);
	}
}
