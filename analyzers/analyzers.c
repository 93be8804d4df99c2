/*
 * analyzers.c - the table of analyses, in the order they are printed, and
 * the one loop that runs them (analyzers_run).
 */
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

int
analyzer_run(const struct analyzer *a, const struct analysis_ctx *ctx, struct emitter *e,
	     struct ic_error *err)
{
	void *raw = NULL, *findings = NULL;
	int rc = -1;

	if (a->query(ctx, &raw, err) != 0)
		goto out;
	if (a->compute) {
		if (a->compute(ctx, raw, &findings, err) != 0)
			goto out;
	} else {
		findings = raw;
		raw = NULL;
	}
	rc = a->emit(ctx, findings, e, err);
out:
	if (raw && a->free_raw)
		a->free_raw(raw);
	if (findings && a->free_findings)
		a->free_findings(findings);
	return rc;
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
	int n;

	for (n = 0; only ? only[n] != NULL : analyzers[n] != NULL; n++)
		if (only && analyzer_find(only[n]) == NULL)
			return ic_errorf(err, "no analysis named '%s'",
					 ic_quote(only[n], strlen(only[n]), 60, q));
	if (e->sav)
		for (int i = 0; i < n; i++)
			e->sav->ran |= saving_kinds(only ? analyzer_find(only[i]) : analyzers[i]);
	for (int i = 0; i < n; i++)
		if (analyzer_run(only ? analyzer_find(only[i]) : analyzers[i], ctx, e, err) != 0)
			return -1;
	return 0;
}
