/*
 * emit.h - where analyzer findings go: one JSON document, or a sequence
 * of tables printed as table, CSV or Markdown.
 *
 * In JSON mode every section adds its keys to one root object printed at
 * the end; in the other modes each section prints as it comes.  CSV output
 * separates tables with a blank line and a "# title" line.
 */
#ifndef IMCOST_EMIT_H
#define IMCOST_EMIT_H

#include <stdio.h>
#include <cjson/cJSON.h>

#include "reports/table.h"

struct emitter {
	enum out_format fmt;
	FILE *out;
	cJSON *root;		/* JSON mode: the document being built */
	int tables;		/* tables printed so far */
	int failed;		/* a write or allocation failed */
};

/* Start an emitter; JSON mode allocates the root.  Returns 0 or -1. */
int emit_begin(struct emitter *e, FILE *out, enum out_format fmt);
/* JSON mode: print the document.  Returns 0, or -1 if writing failed. */
int emit_end(struct emitter *e);
/* Free what emit_begin allocated (after emit_end, or on error). */
void emit_free(struct emitter *e);

/* Print a table (non-JSON modes).  In JSON mode, attach it as an array
 * under `key` of `parent` (the root when NULL).  Takes nothing. */
void emit_table(struct emitter *e, const struct table *t, cJSON *parent, const char *key);
/* A heading line in table/markdown mode (nothing in CSV/JSON). */
void emit_heading(struct emitter *e, const char *text);
/* "label  value" lines in table/markdown mode (nothing in CSV/JSON). */
void emit_line(struct emitter *e, const char *label, const char *value);

#endif
