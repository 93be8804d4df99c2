/*
 * analyzers.c - the table of analyses, in the order they are printed, and
 * the one loop that runs them (analyzers_run): each analysis's query and
 * compute (the `aside` ones in a thread on a second connection when the
 * caller gives one), then every section in order.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"

extern const struct analyzer analyzer_summary;
extern const struct analyzer analyzer_commitments;
extern const struct analyzer analyzer_idle;
extern const struct analyzer analyzer_anomalies;
extern const struct analyzer analyzer_forecast;
extern const struct analyzer analyzer_unit_economics;
extern const struct analyzer analyzer_rightsizing;
extern const struct analyzer analyzer_allocation;

const struct analyzer *const analyzers[] = {
	&analyzer_summary,
	&analyzer_commitments,
	&analyzer_idle,
	&analyzer_rightsizing,
	&analyzer_anomalies,
	&analyzer_forecast,
	&analyzer_unit_economics,
	&analyzer_allocation,
	NULL
};

const struct analyzer *
analyzer_find(const char *name)
{
	for (int i = 0; analyzers[i]; i++)
		if (strcmp(analyzers[i]->name, name) == 0)
			return analyzers[i];
	return NULL;
}

const struct analysis_opts *
analysis_opts(const struct analysis_ctx *ctx)
{
	static struct analysis_opts def;
	static int ready;

	if (ctx->opts)
		return ctx->opts;
	if (!ready) {
		analysis_opts_default(&def);
		ready = 1;
	}
	return &def;
}

/* One analysis of a run: what its query and compute made of it. */
struct job {
	const struct analyzer *a;
	struct analysis_ctx ctx;
	void *raw, *findings;
	struct ic_error err;
	int computed;		/* query and compute ran */
	int rc;			/* and returned 0, or -1 with err set */
};

static void
job_compute(struct job *j)
{
	j->computed = 1;
	j->rc = -1;
	if (j->a->query(&j->ctx, &j->raw, &j->err) != 0)
		return;
	if (j->a->compute) {
		if (j->a->compute(&j->ctx, j->raw, &j->findings, &j->err) != 0)
			return;
	} else {
		j->findings = j->raw;
		j->raw = NULL;
	}
	j->rc = 0;
}

static void
job_free(struct job *j)
{
	if (j->raw && j->a->free_raw)
		j->a->free_raw(j->raw);
	if (j->findings && j->a->free_findings)
		j->a->free_findings(j->findings);
	j->raw = j->findings = NULL;
}

int
analyzer_run(const struct analyzer *a, const struct analysis_ctx *ctx, struct emitter *e,
	     struct ic_error *err)
{
	struct job j = { .a = a, .ctx = *ctx };
	int rc;

	job_compute(&j);
	rc = j.rc == 0 ? a->emit(ctx, j.findings, e, err) : (*err = j.err, -1);
	job_free(&j);
	return rc;
}

struct aside {
	struct job *jobs;
	int n;
};

/* the thread of the analyses run on ctx->peer, in output order */
static void *
aside_main(void *arg)
{
	struct aside *as = arg;

	for (int i = 0; i < as->n; i++) {
		if (as->jobs[i].ctx.eng != as->jobs[i].ctx.peer)
			continue;
		job_compute(&as->jobs[i]);
		if (as->jobs[i].rc != 0)
			break;
	}
	return NULL;
}

/*
 * Query and compute jobs[0 .. n): those on the peer engine in a thread,
 * the others here, each side in output order; a side stops at its first
 * failure (what comes after it is never printed).
 */
static void
compute_all(struct job *jobs, int n)
{
	struct aside as = { jobs, n };
	pthread_t t;
	int threaded = 0, naside = 0;

	for (int i = 0; i < n; i++)
		naside += jobs[i].ctx.eng == jobs[i].ctx.peer;
	if (naside > 0 && naside < n)
		threaded = pthread_create(&t, NULL, aside_main, &as) == 0;
	for (int i = 0; i < n; i++) {
		if (threaded && jobs[i].ctx.eng == jobs[i].ctx.peer)
			continue;
		job_compute(&jobs[i]);
		if (jobs[i].rc != 0)
			break;
	}
	if (threaded)
		pthread_join(t, NULL);
}

/* The kinds of savings analyzer a looks for (bits of enum saving_kind). */
static unsigned
saving_kinds(const struct analyzer *a)
{
	if (strcmp(a->name, "commitments") == 0)
		return 1u << SAV_COMMITMENTS;
	if (strcmp(a->name, "idle") == 0)
		return 1u << SAV_IDLE | 1u << SAV_UNUSED_COMMITMENTS;
	if (strcmp(a->name, "rightsizing") == 0)
		return 1u << SAV_RIGHTSIZING;
	return 0;
}

int
analyzers_run(const struct analysis_ctx *ctx, const char *const *only, struct emitter *e,
	      struct ic_error *err)
{
	char q[IC_QUOTE_SIZE];
	struct job *jobs;
	int n, rc = 0;

	for (n = 0; only ? only[n] != NULL : analyzers[n] != NULL; n++)
		if (only && analyzer_find(only[n]) == NULL)
			return ic_errorf(err, "no analysis named '%s'",
					 ic_quote(only[n], strlen(only[n]), 60, q));
	if (e->sav)
		for (int i = 0; i < n; i++)
			e->sav->ran |= saving_kinds(only ? analyzer_find(only[i]) : analyzers[i]);
	if ((jobs = calloc((size_t)n + 1, sizeof *jobs)) == NULL)
		return ic_errorf(err, "out of memory");
	(void)analysis_opts(ctx);	/* its defaults are set before any thread reads them */
	for (int i = 0; i < n; i++) {
		jobs[i].a = only ? analyzer_find(only[i]) : analyzers[i];
		jobs[i].ctx = *ctx;
		if (ctx->peer && jobs[i].a->aside) {
			jobs[i].ctx.eng = ctx->peer;
			jobs[i].ctx.memo = NULL;
		} else {
			jobs[i].ctx.peer = NULL;
		}
	}
	compute_all(jobs, n);
	/* printed in order, up to the first that failed */
	for (int i = 0; i < n && rc == 0; i++) {
		if (!jobs[i].computed || jobs[i].rc != 0)
			rc = jobs[i].computed ? (*err = jobs[i].err, -1) : ic_errorf(err, "not run");
		else
			rc = jobs[i].a->emit(&jobs[i].ctx, jobs[i].findings, e, err);
	}
	for (int i = 0; i < n; i++)
		job_free(&jobs[i]);
	free(jobs);
	return rc;
}
