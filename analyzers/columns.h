/*
 * columns.h - the table columns analyzers print, exported so the monthly
 * report (reports/report-findings.c) shows the same keys, labels and
 * kinds, picking the ones it shows with table_cols_pick (output/table.h)
 * instead of declaring them again.  Each set is defined beside the
 * analyzer's own table, in its file (the commitments analyzer's in
 * commit-columns.c).
 */
#ifndef IMCOST_COLUMNS_H
#define IMCOST_COLUMNS_H

#include "output/table.h"

extern const struct table_colset idle_columns;		/* idle.c */
extern const struct table_colset rightsizing_columns;	/* rightsizing.c */
extern const struct table_colset anomalies_columns;	/* anomalies.c */
extern const struct table_colset forecast_columns;	/* forecast.c */
extern const struct table_colset unit_economics_columns;	/* unit-economics.c */
extern const struct table_colset allocation_columns;	/* allocation.c: the rows table */

/* commit-columns.c: the commitments analyzer's tables */
extern const struct table_colset commitments_existing_columns;
extern const struct table_colset commitments_totals_columns;
extern const struct table_colset commitments_coverage_columns;
extern const struct table_colset commitments_rec_columns;
extern const struct table_colset commitments_sp_columns;
extern const struct table_colset commitments_unpriced_columns;
extern const struct table_colset commitments_nosave_columns;

/* summary.c: the cost breakdowns (group: --group-by's table) */
extern const struct table_colset summary_service_columns;
extern const struct table_colset summary_account_columns;
extern const struct table_colset summary_region_columns;
extern const struct table_colset summary_category_columns;
extern const struct table_colset summary_day_columns;
extern const struct table_colset summary_day_service_columns;
extern const struct table_colset summary_resource_columns;
extern const struct table_colset summary_group_columns;

#endif
