/*
 * emit.c - sections into one JSON document or a stream of tables
 * (see emit.h).
 */
#include <stdlib.h>

#include "reports/emit.h"

int
emit_begin(struct emitter *e, FILE *out, enum out_format fmt)
{
	e->fmt = fmt;
	e->out = out;
	e->root = NULL;
	e->tables = 0;
	e->failed = 0;
	if (fmt == FMT_JSON) {
		e->root = cJSON_CreateObject();
		if (e->root == NULL)
			return -1;
	}
	return 0;
}

int
emit_end(struct emitter *e)
{
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
	if (e->tables++)
		fputc('\n', e->out);
	if (e->fmt == FMT_CSV && table_title(t))
		fprintf(e->out, "# %s\n", table_title(t));
	if (table_print(t, e->out, e->fmt) != 0)
		e->failed = 1;
}

void
emit_heading(struct emitter *e, const char *text)
{
	if (e->fmt == FMT_TABLE)
		fprintf(e->out, "%s%s\n", e->tables++ ? "\n" : "", text);
	else if (e->fmt == FMT_MARKDOWN)
		fprintf(e->out, "%s## %s\n\n", e->tables++ ? "\n" : "", text);
}

void
emit_line(struct emitter *e, const char *label, const char *value)
{
	if (e->fmt == FMT_TABLE)
		fprintf(e->out, "  %-22s %s\n", label, value);
	else if (e->fmt == FMT_MARKDOWN)
		fprintf(e->out, "- **%s**: %s\n", label, value);
}
