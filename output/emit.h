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

#include "output/savings.h"
#include "output/table.h"

struct emitter {
	enum out_format fmt;
	FILE *out;
	cJSON *root;		/* JSON mode: the document being built */
	int tables;		/* tables printed so far */
	int failed;		/* a write or allocation failed */
	cJSON *assess;		/* the assessment entries so far (emit_assessment) */
	struct savings *sav;	/* where emit_saving adds (NULL: nowhere; analyze
				   sets it, owns it and prints the block) */
	/* CSV only: print just the table whose key is `only` (without its
	 * "# title" line), or no table at all when `collect`; either way the
	 * keys of the tables met are listed in `keys` ("by_service, idle"). */
	const char *only;
	int collect;
	int matched;		/* tables printed under `only` */
	char keys[1024];
};

/*
 * A saving an analysis found: monthly (nanos a month of 730 hours) in
 * currency, on subject (resource or group), with one line of what to do.
 * group ("region|family", or NULL) feeds the overlap rule of
 * output/savings.h.  Nothing happens when e->sav is NULL.
 */
void emit_saving(struct emitter *e, enum saving_kind kind, const char *currency, int64_t monthly,
		 const char *subject, const char *group, const char *action);
/* Anomalies found (counted for analyze --fail-on). */
void emit_anomalies(struct emitter *e, long n);

/*
 * What an analysis could look at.  Every analysis adds one entry per kind
 * of resource (or group) it judges, through emit_assessment: how many were
 * eligible (in the bill), how many it could assess, and for the others
 * why not and what to import or pass to fix it.  They end as the
 * top-level assessment[] of JSON ({analysis, kind, eligible, assessed,
 * not_assessed, reason, fix}; reason and fix null when every eligible one
 * was assessed), and as a "Not assessed" table at the end of the other
 * forms (entries with not_assessed > 0; "nothing" when there is none).
 */
void emit_assessment(struct emitter *e, const char *analysis, const char *kind, long eligible,
		     long assessed, const char *reason, const char *fix);

/* Start an emitter; JSON mode allocates the root.  Returns 0 or -1. */
int emit_begin(struct emitter *e, FILE *out, enum out_format fmt);
/* JSON mode: print the document.  Returns 0, or -1 if writing failed. */
int emit_end(struct emitter *e);
/* Free what emit_begin allocated (after emit_end, or on error). */
void emit_free(struct emitter *e);

/* Print a table (non-JSON modes).  In JSON mode, attach it as an array
 * under `key` of `parent` (the root when NULL).  In CSV mode key also
 * names the table for --only (see `only` above).  Takes nothing. */
void emit_table(struct emitter *e, const struct table *t, cJSON *parent, const char *key);
/* A heading line in table/markdown mode (nothing in CSV/JSON). */
void emit_heading(struct emitter *e, const char *text);
/* "label  value" lines in table/markdown mode (nothing in CSV/JSON). */
void emit_line(struct emitter *e, const char *label, const char *value);

#endif
