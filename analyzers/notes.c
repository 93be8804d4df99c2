/*
 * notes.c - what analyze's document says beside the analyses: where the
 * prices come from (the "prices" object, a "Prices" line on a remote
 * engine) and which analyses a --filter / --since / --until slice was
 * applied to (the "slice" object, a "Filter not applied" line).
 */
#include <stdio.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/notes.h"
#include "analyzers/pricebook.h"
#include "analyzers/slice.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "output/emit.h"

/*
 * Where the prices come from (issue 14, item 7): price lists are read
 * from the local SQLite database (--db) whatever the engine, the bill's
 * rates from the engine.  JSON: the top-level "prices" object {engine,
 * database, price_lists, price_source, note} for every engine; the other
 * forms: a "Prices" line when the charges are on a remote engine (the
 * SQLite forms stay as they were).  Returns 0, or -1 when out of memory.
 */
int
notes_price_origin(struct emitter *e, struct engine *eng, const char *db_path)
{
	int remote = engine_kind(eng) != ENGINE_SQLITE;
	long lists = pricebook_list_count(eng, db_path);
	char src[4200], note[8800];

	snprintf(src, sizeof src, "local database %s", db_path);
	if (!remote)
		snprintf(note, sizeof note, "price lists and the bill's rates are read from the database %s",
			 db_path);
	else if (lists < 0)
		snprintf(note, sizeof note, "the bill's rates are read from the %s engine; price lists are"
			 " read from the local database (--db), never from the engine, and there is no"
			 " readable database at %s: no price list was used (import them with imcost --db %s"
			 " import FILE)", engine_name(eng), db_path, db_path);
	else
		snprintf(note, sizeof note, "the bill's rates are read from the %s engine; price lists are"
			 " read from the local database %s (--db; %ld current), never from the engine"
			 " (import them with imcost --db %s import FILE)", engine_name(eng), db_path, lists,
			 db_path);
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "prices");
		if (o == NULL ||
		    cJSON_AddStringToObject(o, "engine", engine_name(eng)) == NULL ||
		    cJSON_AddStringToObject(o, "database", db_path) == NULL ||
		    (lists >= 0 ? cJSON_AddNumberToObject(o, "price_lists", (double)lists)
				: cJSON_AddNullToObject(o, "price_lists")) == NULL ||
		    cJSON_AddStringToObject(o, "price_source", src) == NULL ||
		    cJSON_AddStringToObject(o, "note", note) == NULL)
			return -1;
	} else if (remote) {
		emit_line(e, "Prices", note);
	}
	return 0;
}

/*
 * What the slice is and which analyses did not apply it: JSON slice{
 * filters[] {key, op, value}, since, until (exclusive), group_by,
 * applied_to[], not_applied[] {analysis, note}}, and a "Filter not
 * applied" line in the other forms.  Only the summary applies filters and
 * days; the others read whole billing periods of every charge.
 */
void
notes_slice(struct emitter *e, const struct slice *sl, const struct analyzer *const *only,
	   int nonly)
{
	char names[600] = "", d[32], line[800];
	size_t o = 0;

	if (!slice_restricts(sl) && !sl->group)
		return;
	for (int k = 0; k < nonly; k++)
		if (strcmp(only[k]->name, "summary") != 0 && o < sizeof names)
			o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "",
					      only[k]->name);
	if (e->fmt == FMT_JSON) {
		cJSON *j = cJSON_AddObjectToObject(e->root, "slice"), *a;

		if (j == NULL)
			return;
		if (sl->group)
			cJSON_AddStringToObject(j, "group_by", sl->group_by.label);
		else
			cJSON_AddNullToObject(j, "group_by");
		a = cJSON_AddArrayToObject(j, "filters");
		for (int k = 0; a && k < sl->nf; k++) {
			cJSON *f = cJSON_CreateObject();
			if (f == NULL)
				break;
			cJSON_AddStringToObject(f, "key", sl->f[k].key.label);
			cJSON_AddStringToObject(f, "op", sl->f[k].neg ? "!=" : "=");
			cJSON_AddStringToObject(f, "value", sl->f[k].value);
			cJSON_AddItemToArray(a, f);
		}
		if (sl->since)
			cJSON_AddStringToObject(j, "since", date_format(sl->since, d));
		else
			cJSON_AddNullToObject(j, "since");
		if (sl->until)
			cJSON_AddStringToObject(j, "until", date_format(sl->until, d));
		else
			cJSON_AddNullToObject(j, "until");
		a = cJSON_AddArrayToObject(j, "applied_to");
		cJSON_AddItemToArray(a, cJSON_CreateString("summary"));
		a = cJSON_AddArrayToObject(j, "not_applied");
		for (int k = 0; a && slice_restricts(sl) && k < nonly; k++) {
			cJSON *f;
			if (strcmp(only[k]->name, "summary") == 0 || (f = cJSON_CreateObject()) == NULL)
				continue;
			cJSON_AddStringToObject(f, "analysis", only[k]->name);
			cJSON_AddStringToObject(f, "note", "filter not applied: this analysis reads whole"
						" billing periods of every charge");
			cJSON_AddItemToArray(a, f);
		}
		return;
	}
	if (!slice_restricts(sl) || names[0] == '\0' || e->fmt == FMT_CSV)
		return;
	snprintf(line, sizeof line, "%s read whole billing periods of every charge; only the"
		 " summary is sliced", names);
	emit_heading(e, "Slice");
	emit_line(e, "Filter not applied", line);
}
