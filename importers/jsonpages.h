/*
 * jsonpages.h - what the importers of paged JSON API responses share
 * (CloudWatch get-metric-data, Prometheus query results, Cloud Monitoring
 * timeSeries.list, Azure Monitor metrics, Tencent DescribeBillDetail):
 * the walk over one page or an array of pages with the UTF-8 check before
 * it, and the "is JSON, not CSV" refusal of a JSON-only importer.  They
 * read members with common/jsonget.h.
 */
#ifndef IMCOST_JSONPAGES_H
#define IMCOST_JSONPAGES_H

#include <stddef.h>

#include "importers/importer.h"

struct cJSON;

/* Reads one page (one response object) into the import; 0, or -1 with
 * err set. */
typedef int (*jp_page_fn)(void *st, struct row_ctx *rc, const struct cJSON *page, struct ic_error *err);

/*
 * The json_row of a paged importer: refuses a value holding a string or
 * member name that is not UTF-8 (cJSON passes such bytes through), then
 * calls page(st, rc, v) for an object v, or once for each element of an
 * array v, stopping at the first error.  Returns 0, or -1 with err set.
 */
int jp_pages(void *st, struct row_ctx *rc, const struct cJSON *v, jp_page_fn page, struct ic_error *err);

/* The UTF-8 check of jp_pages alone: 0, or -1 with err set to
 * "PATH: invalid UTF-8 (JSON text must be UTF-8)". */
int jp_utf8(struct row_ctx *rc, const struct cJSON *v, struct ic_error *err);

/*
 * The open of an importer that reads JSON only: with a CSV header h,
 * refuses with "WHAT is JSON, not CSV"; else a zeroed state of size bytes
 * (caller frees with free(), or NULL with err set when out of memory).
 */
void *jp_open_json_only(const struct header *h, size_t size, const char *what, struct ic_error *err);

/* The row of an importer that reads JSON only: always -1 with err set to
 * "WHAT is JSON, not CSV". */
int jp_row_not_csv(struct row_ctx *rc, const char *what, struct ic_error *err);

#endif
