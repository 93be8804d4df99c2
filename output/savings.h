/*
 * savings.h - the monthly savings the analyses found, gathered while they
 * run (emit_saving in emit.h), for the block `analyze` opens with and the
 * JSON savings{} object.
 *
 * Kinds: commitments (recommended purchases), idle (idle resources other
 * than commitments), unused_commitments (commitment hours paid and not
 * used), rightsizing (the next smaller size).  Double counting: the idle
 * analysis' instances are already left out of commitment and rightsizing
 * advice (analyzers/commitments.c, rightsizing.c); a rightsizing saving on
 * an instance whose region and instance family also get a recommended
 * purchase is listed but not added (the purchase was sized on today's
 * sizes: resize first, then analyze again to size the purchase).
 */
#ifndef IMCOST_SAVINGS_H
#define IMCOST_SAVINGS_H

#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "output/table.h"

enum saving_kind {
	SAV_COMMITMENTS,
	SAV_IDLE,
	SAV_UNUSED_COMMITMENTS,
	SAV_RIGHTSIZING,
	SAV_NKINDS
};

/* "commitments", "idle", "unused_commitments", "rightsizing" */
extern const char *const saving_kind_names[SAV_NKINDS];

/* The rule above, one line (printed under the block and in --help). */
#define SAVINGS_RULE "idle instances are left out of commitment and rightsizing advice;" \
	" rightsizing of a region and instance family that also gets a purchase is not added" \
	" (resize first, then analyze again)"

struct saving {
	enum saving_kind kind;
	int64_t monthly;	/* nanos per month (730 hours) */
	char currency[16];
	char *subject;		/* resource or group, owned */
	char *action;		/* one line of what to do, owned */
	char *group;		/* "region|family" for the overlap rule, or NULL */
	int counted;		/* added to the totals (savings_finish) */
};

struct savings {
	struct saving *s;
	int n, cap;
	long anomalies;		/* anomalies found (for --fail-on) */
	unsigned ran;		/* 1u << kind for each kind an analysis that was
				   run looks for; the others print "not run" and
				   are null in JSON (SAVINGS_ALL: every kind) */
	int oom;
};

#define SAVINGS_ALL ((1u << SAV_NKINDS) - 1)

/* Add one saving; strings are copied (NULL group: no overlap check).
 * Returns 0 or -1 on allocation failure (then sv->oom is set). */
int savings_add(struct savings *sv, enum saving_kind kind, const char *currency, int64_t monthly,
		const char *subject, const char *group, const char *action);

/* The group key of the overlap rule: "region|family" (the instance type
 * up to its first '.', "m6i" of "m6i.large"), into buf. */
void savings_group(const char *region, const char *itype, char *buf, size_t size);

/* Apply the overlap rule and sort by amount (largest first). */
void savings_finish(struct savings *sv);

/* The currency with the largest counted total (NULL when nothing was
 * found); the returned string points into sv. */
const char *savings_main_currency(const struct savings *sv);

/* Counted monthly total of one kind (kind < 0: all kinds) in currency. */
int64_t savings_total(const struct savings *sv, int kind, const char *currency);

/*
 * The savings{} object for JSON (caller owns): total_monthly, currency,
 * rule, by_kind[] {kind, monthly_savings, items, ran} (monthly_savings and
 * items null for a kind whose analysis was not run), top_actions[] {kind,
 * subject, monthly_savings, action}, not_counted[] (overlaps), and
 * other_currencies[] with the same fields when savings come in more than
 * one currency.  NULL on ENOMEM.
 */
cJSON *savings_json(const struct savings *sv, int top, const char *fallback_currency);

/*
 * The block of the table and Markdown forms: total, the split by kind,
 * the top actions, the lines of `assess` (emit.h's entries) with
 * not_assessed > 0 and the rule.  Lines are cut to width display columns
 * (0: never).  Returns 0 or -1 when writing failed.
 */
int savings_print(const struct savings *sv, const cJSON *assess, int top, FILE *out,
		  enum out_format fmt, int width);

void savings_free(struct savings *sv);

#endif
