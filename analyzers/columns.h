/*
 * columns.h - the table columns analyzers print, exported so the monthly
 * report (reports/report-findings.c) shows the same keys, labels and
 * kinds, picking the ones it shows with table_cols_pick (output/table.h)
 * instead of declaring them again.  Each set is defined beside the
 * analyzer's own table, in its file.
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

#endif
