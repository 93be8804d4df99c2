/*
 * emit.c - sections into one JSON document or a stream of tables
 * (see emit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/emit.h"

int
emit_begin(struct emitter *e, FILE *out, enum out_format fmt)
{
	e->fmt = fmt;
	e->out = out;
	e->root = NULL;
	e->tables = 0;
	e->failed = 0;
	e->sav = NULL;
	/* CSV's one-table mode: the caller sets only/collect after this */
	e->only = NULL;
	e->collect = 0;
	e->matched = 0;
	e->keys[0] = '\0';
	e->assess = cJSON_CreateArray();
	if (e->assess == NULL)
		return -1;
	if (fmt == FMT_JSON) {
		e->root = cJSON_CreateObject();
		if (e->root == NULL)
			return -1;
	}
	return 0;
}

static const struct table_col assess_cols[] = {
	{ "analysis", "Analysis", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "not_assessed", "Not assessed", CELL_INT, 0 },
	{ "eligible", "Of", CELL_INT, 0 },
	{ "reason", "Why", CELL_TEXT, 0 },
	{ "fix", "Fix", CELL_TEXT, 0 },
};

/* the "Not assessed" table of the non-JSON forms */
static void
assessment_table(struct emitter *e)
{
	struct table *t = table_new("Not assessed", assess_cols, 6);
	const cJSON *it;
	int bad = 0;

	if (t == NULL) {
		e->failed = 1;
		return;
	}
	cJSON_ArrayForEach(it, e->assess) {
		long na = (long)cJSON_GetObjectItem(it, "not_assessed")->valuedouble;
		int r;
		if (na <= 0)
			continue;
		r = table_add_row(t);
		if (r < 0) {
			bad = 1;
			break;
		}
		bad |= table_set_text(t, r, 0, cJSON_GetObjectItem(it, "analysis")->valuestring) |
		       table_set_text(t, r, 1, cJSON_GetObjectItem(it, "kind")->valuestring) |
		       table_set_int(t, r, 2, na) |
		       table_set_int(t, r, 3, (int64_t)cJSON_GetObjectItem(it, "eligible")->valuedouble) |
		       table_set_text(t, r, 4, cJSON_GetStringValue(cJSON_GetObjectItem(it, "reason"))) |
		       table_set_text(t, r, 5, cJSON_GetStringValue(cJSON_GetObjectItem(it, "fix")));
	}
	if (bad)
		e->failed = 1;
	else if (table_rows(t) > 0)
		emit_table(e, t, NULL, "not_assessed");
	else if (cJSON_GetArraySize(e->assess) > 0) {
		emit_heading(e, "Not assessed");
		emit_line(e, "Every eligible resource", "was assessed");
	}
	table_free(t);
}

void
emit_assessment(struct emitter *e, const char *analysis, const char *kind, long eligible,
		long assessed, const char *reason, const char *fix)
{
	cJSON *o = cJSON_CreateObject();
	long na = eligible > assessed ? eligible - assessed : 0;

	if (o == NULL || !cJSON_AddItemToArray(e->assess, o)) {
		cJSON_Delete(o);
		e->failed = 1;
		return;
	}
	if (!cJSON_AddStringToObject(o, "analysis", analysis) || !cJSON_AddStringToObject(o, "kind", kind) ||
	    !cJSON_AddNumberToObject(o, "eligible", (double)eligible) ||
	    !cJSON_AddNumberToObject(o, "assessed", (double)assessed) ||
	    !cJSON_AddNumberToObject(o, "not_assessed", (double)na) ||
	    !(na > 0 && reason ? cJSON_AddStringToObject(o, "reason", reason) : cJSON_AddNullToObject(o, "reason")) ||
	    !(na > 0 && fix ? cJSON_AddStringToObject(o, "fix", fix) : cJSON_AddNullToObject(o, "fix")))
		e->failed = 1;
}

int
emit_end(struct emitter *e)
{
	if (e->assess && !e->failed) {
		if (e->fmt == FMT_JSON && e->root) {
			if (cJSON_AddItemToObject(e->root, "assessment", e->assess))
				e->assess = NULL;
			else
				e->failed = 1;
		} else if (e->fmt != FMT_JSON) {
			assessment_table(e);
		}
	}
	if (e->fmt == FMT_JSON && e->root) {
		char *s = cJSON_Print(e->root);
		if (s == NULL)
			return -1;
		fputs(s, e->out);
		fputc('\n', e->out);
		free(s);
	}
	if (fflush(e->out) != 0 || ferror(e->out))
		e->failed = 1;
	return e->failed ? -1 : 0;
}

void
emit_free(struct emitter *e)
{
	cJSON_Delete(e->root);
	e->root = NULL;
	cJSON_Delete(e->assess);
	e->assess = NULL;
}

/* Is key one of the ", "-separated words of list? */
static int
has_key(const char *list, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = list; (p = strstr(p, key)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

void
emit_table(struct emitter *e, const struct table *t, cJSON *parent, const char *key)
{
	if (e->fmt == FMT_JSON) {
		cJSON *arr = table_to_json(t);
		if (arr == NULL || !cJSON_AddItemToObject(parent ? parent : e->root, key, arr)) {
			cJSON_Delete(arr);
			e->failed = 1;
		}
		return;
	}
	if (e->fmt == FMT_CSV && (e->only || e->collect)) {
		size_t n = strlen(e->keys);

		if (key && !has_key(e->keys, key))
			snprintf(e->keys + n, sizeof e->keys - n, "%s%s", n ? ", " : "", key);
		if (e->collect || key == NULL || strcmp(key, e->only) != 0 || e->matched++)
			return;
		if (table_print(t, e->out, e->fmt) != 0)
			e->failed = 1;
		return;
	}
	if (e->tables++)
		fputc('\n', e->out);
	if (e->fmt == FMT_CSV && table_title(t))
		fprintf(e->out, "# %s\n", table_title(t));
	if (table_print(t, e->out, e->fmt) != 0)
		e->failed = 1;
}

void
emit_saving(struct emitter *e, enum saving_kind kind, const char *currency, int64_t monthly,
	    const char *subject, const char *group, const char *action)
{
	if (e->sav != NULL && savings_add(e->sav, kind, currency, monthly, subject, group, action) != 0)
		e->failed = 1;
}

void
emit_anomalies(struct emitter *e, long n)
{
	if (e->sav != NULL)
		e->sav->anomalies += n;
}

/* s cut to the terminal width (table_width; 0: whole), into buf */
static const char *
fit(const char *s, char *buf, size_t size)
{
	if (table_width() <= 0)
		return s;
	text_fit(s, (size_t)table_width(), buf, size);
	return buf;
}

void
emit_heading(struct emitter *e, const char *text)
{
	char buf[1024];

	if (e->fmt == FMT_TABLE)
		fprintf(e->out, "%s%s\n", e->tables++ ? "\n" : "", fit(text, buf, sizeof buf));
	else if (e->fmt == FMT_MARKDOWN)
		fprintf(e->out, "%s## %s\n\n", e->tables++ ? "\n" : "", text);
}

void
emit_line(struct emitter *e, const char *label, const char *value)
{
	if (e->fmt == FMT_TABLE && table_width() > 0) {
		char line[1024], buf[1024];
		snprintf(line, sizeof line, "  %-22s %s", label, value);
		fprintf(e->out, "%s\n", fit(line, buf, sizeof buf));
	} else if (e->fmt == FMT_TABLE)
		fprintf(e->out, "  %-22s %s\n", label, value);
	else if (e->fmt == FMT_MARKDOWN)
		fprintf(e->out, "- **%s**: %s\n", label, value);
}
