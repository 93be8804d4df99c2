/*
 * analyzer.h - the shape of one analysis.
 *
 * An analyzer runs an aggregate query in portable SQL over the FOCUS
 * columns (query), does its arithmetic in C over the small result
 * (compute), and writes its section (emit).  It never reads raw files and
 * never prints except through the emitter.  Adding an analysis is one new
 * file defining a `const struct analyzer` and one line in analyzers.c.
 */
#ifndef IMCOST_ANALYZER_H
#define IMCOST_ANALYZER_H

#include <stdint.h>

#include "analyzers/options.h"
#include "common/error.h"
#include "output/emit.h"

struct catalog;
struct alloc_rules;
struct slice;

struct engine;

/* What every analyzer is asked about.  Zero-initialize, then set eng,
 * start and end; opts and catalog are optional.  Analyzers query only
 * through eng (common/engine.h; engine_wrap_sqlite for an open SQLite
 * handle), so the same code runs on SQLite and on remote engines. */
/* What the metrics cover of the bill's instances and volumes
 * (an_metric_coverage, analyzers/anutil.h). */
struct an_coverage {
	long instances, inst_cpu_net, inst_cpu, volumes, vol_disk;
};

/* What one analysis counts that another needs too, kept for one run
 * (analysis_ctx.memo): idle's and rightsizing's coverage. */
struct an_memo {
	int have_coverage;
	struct an_coverage coverage;
};

struct analysis_ctx {
	struct engine *eng;	/* where the charges live */
	int64_t start, end;	/* billing periods starting in [start, end) */
	const struct analysis_opts *opts;	/* NULL: analysis_opts_default */
	const struct catalog *catalog;	/* NULL: no prices (the analyses that
					   need them say so and skip) */
	const struct alloc_rules *allocation;	/* NULL: no allocation
						   (analyze --allocation FILE) */
	const struct slice *slice;	/* NULL: all charges; else --group-by /
					   --filter / --since / --until
					   (analyzers/slice.h), which only the
					   summary applies */
	struct an_memo *memo;	/* NULL, or what one analysis found that
				   another needs too (analyzers/anutil.h),
				   zeroed by the caller: one run's */
	struct engine *peer;	/* NULL, or a second engine over the same
				   database (engine_peer): analyzers_run
				   runs the analyses marked `aside` on it in
				   a thread of their own, beside the others */
};

/* ctx->opts, or the defaults when it is NULL (never NULL). */
const struct analysis_opts *analysis_opts(const struct analysis_ctx *ctx);

struct analyzer {
	const char *name;	/* --only name and JSON key */
	const char *summary;	/* one line for --help */
	/* Run the aggregate queries; *raw is the analyzer's own data (may be
	 * NULL when there is nothing).  Returns 0 or -1 with err set. */
	int (*query)(const struct analysis_ctx *ctx, void **raw, struct ic_error *err);
	/* Arithmetic over raw; *findings owned by the analyzer.  May be NULL
	 * when query already produced the findings (then *findings = raw). */
	int (*compute)(const struct analysis_ctx *ctx, void *raw, void **findings,
		       struct ic_error *err);
	/* Write the section. */
	int (*emit)(const struct analysis_ctx *ctx, const void *findings, struct emitter *e,
		    struct ic_error *err);
	void (*free_raw)(void *raw);
	void (*free_findings)(void *findings);
	/* 1: query and compute may run in a thread of their own on
	 * ctx->peer, beside the other analyses (they read nothing of
	 * ctx->memo; their ctx there has eng = peer and memo = NULL) */
	int aside;
};

/* All analyzers in output order, NULL-terminated (analyzers.c). */
extern const struct analyzer *const analyzers[];
const struct analyzer *analyzer_find(const char *name);

/* Run one analyzer end to end.  Returns 0 or -1 with err set. */
int analyzer_run(const struct analyzer *a, const struct analysis_ctx *ctx, struct emitter *e,
		 struct ic_error *err);

/*
 * The one loop over analyses (analyze, report and levers all run through
 * it): run the analyzers named in only (NULL-terminated names; NULL: every
 * analyzer, in analyzers[] order) over ctx into e, in the order given.
 * When e->sav is set, the kinds of savings the analyses run look for are
 * added to e->sav->ran first (output/savings.h), so the headline can tell
 * "found nothing" from "did not look".  Stops at the first failure.
 * Returns 0, or -1 with err set (an unknown name too).
 */
int analyzers_run(const struct analysis_ctx *ctx, const char *const *only, struct emitter *e,
		  struct ic_error *err);

#endif
