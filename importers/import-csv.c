/*
 * import-csv.c - the CSV side of the driver: the header (copied, its
 * importer found or forced, repeated names flagged) and each record after
 * it (field count checked, a ragged last field padded, the importer's row
 * function or the price-list parser called).  on_record is the reader's
 * callback (common/csvreader.h); import.c runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvreader.h"
#include "common/input.h"
#include "importers/import-int.h"
#include "importers/prices-db.h"

/* ---- records ---- */

static int
copy_header(struct row_ctx *rc, const struct csv_record *rec, struct ic_error *err)
{
	size_t total = 0, off = 0;

	for (int i = 0; i < rec->n; i++)
		total += rec->f[i].len + 1;
	rc->hdr_buf = malloc(total ? total : 1);
	rc->hdr_copy = malloc((size_t)rec->n * sizeof *rc->hdr_copy);
	if (rc->hdr_buf == NULL || rc->hdr_copy == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < rec->n; i++) {
		memcpy(rc->hdr_buf + off, rec->f[i].s, rec->f[i].len + 1);
		rc->hdr_copy[i].s = rc->hdr_buf + off;
		rc->hdr_copy[i].len = rec->f[i].len;
		off += rec->f[i].len + 1;
	}
	rc->h.f = rc->hdr_copy;
	rc->h.n = rec->n;
	return 0;
}

/* A header name, trimmed like name_eq, for sorting. */
struct hname {
	const char *s;
	size_t len;
	int col;
};

static void
trim_name(const struct csv_field *f, struct hname *out, int col)
{
	const char *s = f->s, *e = f->s + f->len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	out->s = s;
	out->len = (size_t)(e - s);
	out->col = col;
}

static int
hname_cmp(const void *a, const void *b)
{
	const struct hname *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	if (c == 0)
		c = x->len < y->len ? -1 : x->len > y->len;
	if (c == 0)
		c = x->col < y->col ? -1 : x->col > y->col;
	return c;
}

/*
 * Duplicated header names (the same bytes once trimmed; empty names do not
 * count): flag every repeat in rc->h.dup and count them in one warning
 * naming the first repeat's column and the column it repeats.  Lookups
 * by name read the first column of a name, and importers walking the
 * columns skip the flagged ones, so a repeat is never read.  Sorting keeps
 * this O(n log n) for the widest headers csvreader lets through.
 */
static int
mark_duplicates(struct row_ctx *rc, long line, struct ic_error *err)
{
	int n = rc->h.n, ndup = 0, first_dup = -1, first_orig = -1;
	struct hname *v;

	if (n < 2)
		return 0;
	v = malloc((size_t)n * sizeof *v);
	rc->hdr_dup = calloc((size_t)n, 1);
	if (v == NULL || rc->hdr_dup == NULL) {
		free(v);
		return ic_errorf(err, "out of memory");
	}
	for (int i = 0; i < n; i++)
		trim_name(&rc->h.f[i], &v[i], i);
	qsort(v, (size_t)n, sizeof *v, hname_cmp);
	for (int i = 1, orig = 0; i < n; i++) {
		if (v[i].len == 0 || v[i].len != v[i - 1].len || memcmp(v[i].s, v[i - 1].s, v[i].len) != 0) {
			orig = i;
			continue;
		}
		rc->hdr_dup[v[i].col] = 1;
		ndup++;
		if (first_dup < 0 || v[i].col < first_dup) {
			first_dup = v[i].col;
			first_orig = v[orig].col;
		}
	}
	free(v);
	rc->h.dup = rc->hdr_dup;
	if (ndup > 0) {
		char name[200], msg[256];

		snprintf(msg, sizeof msg, "duplicated column names, the first of each is read:"
			 " %s at column %d repeats column %d",
			 col_name(rc, first_dup, name, sizeof name), first_dup + 1, first_orig + 1);
		add_warning(rc->res, msg, line, first_dup + 1, ndup, "column");
	}
	return 0;
}


static int
on_header(struct row_ctx *rc, const struct csv_record *rec, struct ic_error *err)
{
	const struct importer *imp;

	for (int i = 0; i < rec->n; i++)
		if (memchr(rec->f[i].s, '\r', rec->f[i].len))
			return ic_error_at(err, rc->in->name, rec->line, i + 1,
					   "CR-only line endings (an old spreadsheet export?): convert them"
					   " to LF first, e.g. tr '\\r' '\\n' < FILE");
	if (copy_header(rc, rec, err) != 0)
		return -1;
	if (rc->s->opts.as) {
		imp = importer_find(rc->s->opts.as);
		if (imp == NULL)
			return ic_errorf(err, "unknown format '%s' (imcost formats lists them)", rc->s->opts.as);
	} else {
		imp = importer_detect(&rc->h);
		if (imp == NULL) {
			char q[IC_QUOTE_SIZE];
			if (rec->n == 1 && (memchr(rec->f[0].s, ';', rec->f[0].len) ||
					    memchr(rec->f[0].s, '\t', rec->f[0].len)))
				return ic_error_at(err, rc->in->name, rec->line, 1,
						   "unknown format: the header has one column; fields must be separated by commas, not ';' or tabs");
			ic_quote(rec->f[0].s, rec->f[0].len, 40, q);
			return ic_error_at(err, rc->in->name, rec->line, 1,
					   "unknown format: no importer recognises this header (first column '%s'); see imcost formats",
					   q);
		}
	}
	rc->imp = imp;
	rc->res->format = imp->name;
	if (mark_duplicates(rc, rec->line, err) != 0)
		return -1;
	if (imp->kind == KIND_PRICES) {
		/* the parser reads every record, this first one included */
		rc->pi = price_import_new(rc->s->db, rc->import_id, imp, rc->in->name, price_warn, rc, err);
		if (rc->pi == NULL)
			return -1;
		if (!rc->in->gz)
			price_import_expect(rc->pi, rc->in->size);
		rc->res->prices = 1;
		rc->rec = rec;
		if (price_import_csv(rc->pi, rec, err) != 0)
			return -1;
		rc->rec = NULL;
		return 0;
	}
	if (imp->open == NULL)
		return ic_error_at(err, rc->in->name, rec->line, 1, "format %s does not read CSV", imp->name);
	rc->state = imp->open(&rc->h, err);
	if (rc->state == NULL) {
		/* prefix the importer's complaint with the header position */
		char msg[IC_ERRMSG_MAX];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return ic_error_at(err, rc->in->name, rec->line, 0, "%s: %s", imp->name, msg);
	}
	return 0;
}

static long
warnings_total(const struct import_result *res)
{
	long n = 0;

	for (int i = 0; i < res->nwarnings; i++)
		n += res->warnings[i].count;
	return n;
}

int
on_record(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct row_ctx *rc = ctx;
	struct csv_record fixed;
	long warned;
	int want;

	if (rc->imp == NULL)
		return on_header(rc, rec, err);
	if (rc->pi) {
		rc->rec = rec;
		if (price_import_csv(rc->pi, rec, err) != 0)
			return -1;
		rc->rec = NULL;
		rc->records++;
		if (rc->s->opts.progress && rc->records % PROGRESS_EVERY == 0)
			rc->s->opts.progress(rc->s->opts.progress_arg, rc->in->raw_read, rc->in->size);
		return 0;
	}
	want = rc->h.n;
	if (rec->n != want) {
		if (rec->last && rec->n < want - (rc->ragged ? 1 : 0))
			return ic_error_at(err, rc->in->name, rec->line, rec->n + 1,
					   "truncated file: the last line has %d of %d fields and no newline",
					   rec->n, want);
		if (rec->n == want - 1 && rc->records == 0 && !rec->last)
			rc->ragged = 1;
		if (!(rc->ragged && rec->n == want - 1)) {
			if (rc->ragged)
				want--;
			return ic_error_at(err, rc->in->name, rec->line,
					   (rec->n < want ? rec->n : want) + 1,
					   "expected %d fields%s, found %d", want,
					   rc->ragged ? " like the rows before" : " as in the header", rec->n);
		}
		/* pad the missing last field */
		if (rc->padded_cap < want) {
			struct csv_field *p = realloc(rc->padded, (size_t)want * sizeof *p);
			if (p == NULL)
				return ic_errorf(err, "out of memory");
			rc->padded = p;
			rc->padded_cap = want;
		}
		memcpy(rc->padded, rec->f, (size_t)rec->n * sizeof *rec->f);
		rc->padded[want - 1].s = "";
		rc->padded[want - 1].len = 0;
		fixed = *rec;
		fixed.f = rc->padded;
		fixed.n = want;
		rec = &fixed;
		rc->rec = rec;
		rc_warn(rc, "rows are one field short of the header; the last column is read as empty");
	} else if (rc->ragged) {
		return ic_error_at(err, rc->in->name, rec->line, want,
				   "expected %d fields like the rows before, found %d", want - 1, rec->n);
	}
	rc->rec = rec;
	rc->emitted_this_record = 0;
	rc->ntseen = 0;
	warned = warnings_total(rc->res);
	if (rc->imp->row(rc->state, rc, err) != 0)
		return -1;
	if (rc->emitted_this_record == 0 && warnings_total(rc->res) == warned)
		rc_warn(rc, "%s: record produced no rows (importer gave no reason)", rc->imp->name);
	rc->records++;
	if (rc->s->opts.progress && rc->records % PROGRESS_EVERY == 0)
		rc->s->opts.progress(rc->s->opts.progress_arg, rc->in->raw_read, rc->in->size);
	rc->rec = NULL;
	return 0;
}
