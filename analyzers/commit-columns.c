/*
 * commit-columns.c - the commitments analyzer's table columns (existing
 * commitments, totals, coverage, recommendations, the savings-plan
 * alternative, unpriced and no-saving usage), exported in columns.h so
 * commitments.c prints them and the monthly report picks from the same
 * keys and labels.  GCP's columns (commit-gcp.h) come last.
 */
#include "analyzers/columns.h"
#include "analyzers/commit-gcp.h"
#include "output/table.h"

static const struct table_col existing_cols[] = {
	{ "commitment_id", "Commitment", CELL_TEXT, 0 },
	{ "type", "Type", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "used_cost", "Used", CELL_MONEY, 0 },
	{ "unused_cost", "Unused (lost)", CELL_MONEY, 0 },
	{ "utilization", "Utilization (cost)", CELL_PCT, 1 },
	{ "covered_hours", "Hours covered", CELL_NUM, 1 },
};

static const struct table_col totals_cols[] = {
	{ "currency", "Currency", CELL_TEXT, 0 },
	{ "used_cost", "Used", CELL_MONEY, 0 },
	{ "unused_cost", "Unused (lost)", CELL_MONEY, 0 },
	{ "utilization", "Utilization (cost)", CELL_PCT, 1 },
};

static const struct table_col coverage_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "covered_hours", "Committed h", CELL_NUM, 1 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "coverage", "Coverage", CELL_PCT, 1 },
};

static const struct table_col rec_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "term", "Term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "count", "Count", CELL_INT, 0 },
	{ "upfront", "Upfront", CELL_MONEY, 0 },
	{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
	{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
	{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "expected_utilization", "Exp. util.", CELL_PCT, 1 },
	{ "coverage_before", "Cov. before", CELL_PCT, 1 },
	{ "coverage_after", "Cov. after", CELL_PCT, 1 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "family", "Size-flexible family", CELL_TEXT, 0 },
	{ "normalized_units", "Norm. units", CELL_NUM, 2 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_REC_COLS,
};

static const struct table_col sp_cols[] = {
	{ "term", "Term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "hourly_commitment", "Commit/h", CELL_MONEY, 0 },
	{ "upfront", "Upfront", CELL_MONEY, 0 },
	{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
	{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
	{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "coverage_after", "Cov. after", CELL_PCT, 1 },
	{ "instance_types", "Types", CELL_INT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
};

static const struct table_col unpriced_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "reason", "Why", CELL_TEXT, 0 },
	{ "fix", "Fix", CELL_TEXT, 0 },
	{ "on_demand_hourly", "On-demand/h", CELL_MONEY, 6 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_USAGE_COLS,
};

static const struct table_col nosave_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "term", "Best term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "average_utilization", "Avg. util.", CELL_PCT, 1 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_USAGE_COLS,
};

_Static_assert(sizeof rec_cols / sizeof rec_cols[0] == GCP_REC_FIRST + 4, "GCP columns last");
_Static_assert(sizeof unpriced_cols / sizeof unpriced_cols[0] == GCP_UNPRICED_FIRST + 3,
	       "GCP columns last");
_Static_assert(sizeof nosave_cols / sizeof nosave_cols[0] == GCP_NOSAVE_FIRST + 3,
	       "GCP columns last");

#define COLSET(a) { a, (int)(sizeof a / sizeof a[0]) }
const struct table_colset commitments_existing_columns = COLSET(existing_cols);
const struct table_colset commitments_totals_columns = COLSET(totals_cols);
const struct table_colset commitments_coverage_columns = COLSET(coverage_cols);
const struct table_colset commitments_rec_columns = COLSET(rec_cols);
const struct table_colset commitments_sp_columns = COLSET(sp_cols);
const struct table_colset commitments_unpriced_columns = COLSET(unpriced_cols);
const struct table_colset commitments_nosave_columns = COLSET(nosave_cols);
