/*
 * report.c - the monthly report (see report.h): the analyzers' JSON
 * document for a month, and the one for the month before, rendered as
 * report.md, a self-contained report.html (inline CSS, charts embedded
 * as PNG data: URIs), a CSV file per table and the charts of
 * report-charts.c.
 *
 * The content is built once as a list of blocks (headings, sentences,
 * headline figures, tables, charts) and then written three ways: Markdown,
 * HTML and, for the tables, CSV (output/table.h, the formatter every
 * command shares).  Every section ends with one "what to do" sentence
 * computed from its numbers.
 *
 * This file collects the documents (report_collect, through the one
 * analyzer loop analyzers_run) and writes the files (report_write); the
 * rest is split by concern: report-read.c (reading the document, the
 * formatters, the derived figures), report-doc.c (blocks and tables),
 * report-cost.c and report-findings.c (the sections), report-render.c
 * (Markdown and HTML), report-charts.c (the charts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/decimal.h"
#include "common/jsonget.h"
#include "common/outfile.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/report-int.h"
#include "output/table.h"

void
rep_file(struct rep *r, const char *name)
{
	struct report_result *res = r->res;
	char **f;
	size_t n = strlen(r->o->dir) + strlen(name) + 2;

	for (int i = 0; i < res->nfiles; i++) {
		const char *s = strrchr(res->files[i], '/');
		if (s && strcmp(s + 1, name) == 0)
			return;
	}
	f = realloc(res->files, (size_t)(res->nfiles + 1) * sizeof *f);
	if (f == NULL) {
		r->oom = 1;
		return;
	}
	res->files = f;
	if ((f[res->nfiles] = malloc(n)) == NULL) {
		r->oom = 1;
		return;
	}
	snprintf(f[res->nfiles++], n, "%s/%s", r->o->dir, name);
}

void
report_result_free(struct report_result *res)
{
	for (int i = 0; i < res->nfiles; i++)
		free(res->files[i]);
	free(res->files);
	res->files = NULL;
	res->nfiles = 0;
}

/* ---- running the analyzers ---- */

int
report_collect(const struct analysis_ctx *ctx, const char *const *only, cJSON **doc,
	       struct ic_error *err)
{
	struct emitter e;

	*doc = NULL;
	if (emit_begin(&e, stdout, FMT_JSON) != 0)
		return ic_errorf(err, "out of memory");
	if (analyzers_run(ctx, only, &e, err) != 0) {
		emit_free(&e);
		return -1;
	}
	if (e.failed) {
		emit_free(&e);
		return ic_errorf(err, "out of memory");
	}
	if (!cJSON_AddItemToObject(e.root, "assessment", e.assess)) {
		emit_free(&e);
		return ic_errorf(err, "out of memory");
	}
	e.assess = NULL;
	*doc = e.root;
	e.root = NULL;
	emit_free(&e);
	return 0;
}

/* write DIR/name through a fresh temporary file renamed into place */
static int
write_out(struct rep *r, struct doc *d, const char *name,
	  int (*fn)(struct rep *, struct doc *, FILE *), struct ic_error *err)
{
	struct outfile of;

	if (outfile_open(&of, r->dirfd, r->o->dir, name, err) != 0)
		return -1;
	if (fn(r, d, of.f) != 0) {
		outfile_abort(&of);
		return ic_errorf(err, "%s/%s: cannot embed a chart", r->o->dir, name);
	}
	if (outfile_commit(&of, err) != 0)
		return -1;
	rep_file(r, name);
	return 0;
}

static int
write_csv(struct rep *r, struct rtab *t, struct ic_error *err)
{
	struct outfile of;
	char name[80];

	snprintf(name, sizeof name, "%s.csv", t->file);
	if (outfile_open(&of, r->dirfd, r->o->dir, name, err) != 0)
		return -1;
	if (table_print(t->t, of.f, FMT_CSV) != 0) {
		outfile_abort(&of);
		return ic_errorf(err, "%s/%s: write error", r->o->dir, name);
	}
	if (outfile_commit(&of, err) != 0)
		return -1;
	rep_file(r, name);
	r->res->tables++;
	return 0;
}

/* mkdir -p */
static int
make_dir(const char *dir, struct ic_error *err)
{
	char p[4096];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof p)
		return ic_errorf(err, "bad output directory '%s'", dir);
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return ic_errorf(err, "%s: %s", p, strerror(errno));
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ic_errorf(err, "%s: not a directory", dir);
	return 0;
}

int
report_write(const cJSON *cur, const cJSON *prev, const struct report_opts *o,
	     struct report_result *res, struct ic_error *err)
{
	static const char *const chart_names[NCHARTS] = {
		[CH_DAILY] = "daily-cost", [CH_MOM] = "month-over-month",
		[CH_COMMIT] = "commitment-usage", [CH_WASTE] = "waste-by-kind",
		[CH_FORECAST] = "forecast", [CH_ALLOC] = "allocation",
	};
	struct rep r;
	struct doc d;
	const char *ps, *pe;
	int64_t rows = 0;
	int y, rc = -1;
	unsigned m, dd;

	memset(&r, 0, sizeof r);
	memset(&d, 0, sizeof d);
	r.dirfd = -1;
	r.cur = cur;
	r.prev = prev;
	r.o = o;
	r.res = res;
	r.ccy = json_str(cur, "currency");
	r.sum = json_path(cur, "summary");
	ps = json_str(json_path(cur, "period"), "start");
	pe = json_str(json_path(cur, "period"), "end");
	if (r.sum == NULL || ps == NULL || pe == NULL ||
	    time_parse(ps, strlen(ps), 0, &r.start) != NUM_OK ||
	    time_parse(pe, strlen(pe), 0, &r.end) != NUM_OK || r.end <= r.start)
		return ic_errorf(err, "the analyses gave no summary and period to report on");
	if (r.ccy == NULL)
		return ic_errorf(err, "no charges in %s", ps);
	r.days = (int)((r.end - r.start + DAY - 1) / DAY);
	if (r.days > 366)
		return ic_errorf(err, "a report covers one month, not %d days", r.days);
	civil_from_days(r.start / DAY, &y, &m, &dd);
	snprintf(r.month, sizeof r.month, "%04d-%02u", y, m);
	snprintf(r.mname, sizeof r.mname, "%s %d", month_name((int)m), y);
	civil_from_days(month_start(r.start - 1) / DAY, &y, &m, &dd);
	snprintf(r.pmonth, sizeof r.pmonth, "%04d-%02u", y, m);
	snprintf(r.pmname, sizeof r.pmname, "%s %d", month_name((int)m), y);
	jmoney(r.sum, "billed_cost", &r.billed);
	jmoney(r.sum, "effective_cost", &r.eff);
	if (prev) {
		r.psum = jfor_currency(json_path(prev, "summaries"), r.ccy);
		if (r.psum && !json_str(r.psum, "currency"))
			r.psum = NULL;
		if (r.psum) {
			rows = (int64_t)jnum(r.psum, "rows");
			r.has_prev = rows > 0;
			jmoney(r.psum, "billed_cost", &r.pbilled);
			jmoney(r.psum, "effective_cost", &r.peff);
		}
		if (!r.has_prev)
			r.psum = NULL;
	}
	for (int i = 0; i < NCHARTS; i++)
		r.charts[i].name = chart_names[i];

	if (make_dir(o->dir, err) != 0)
		return -1;
	r.dirfd = outdir_open(o->dir, o->follow_out_link, err);
	if (r.dirfd < 0)
		return -1;
	rep_derive(&r);
	if (r.oom)
		goto oom;
	if (rep_charts(&r, err) != 0)
		goto out;

	sec_summary(&r, &d);
	sec_services(&r, &d);
	sec_account_region(&r, &d, 0);
	sec_account_region(&r, &d, 1);
	sec_groups(&r, &d);
	sec_resources(&r, &d);
	sec_commitments(&r, &d);
	sec_waste(&r, &d);
	sec_anomalies(&r, &d);
	sec_forecast(&r, &d);
	sec_unit(&r, &d);
	sec_alloc(&r, &d);
	sec_assessment(&r, &d);
	sec_notes(&r, &d);
	if (r.oom)
		goto oom;
	for (int i = 0; i < d.ntabs; i++)
		if (write_csv(&r, d.tabs[i], err) != 0)
			goto out;
	if (write_out(&r, &d, "report.md", write_md, err) != 0 ||
	    write_out(&r, &d, "report.html", write_html, err) != 0)
		goto out;
	if (r.oom)
		goto oom;
	rc = 0;
	goto out;
oom:
	ic_errorf(err, "out of memory");
out:
	doc_free(&d);
	if (r.dirfd >= 0)
		close(r.dirfd);
	for (int i = 0; i < r.nsvc; i++)
		free(r.svc[i].name);
	free(r.svc);
	return rc;
}
