/*
 * jsonpages.c - the page walk, refusals and accessors shared by the
 * paged JSON importers (see jsonpages.h).
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "importers/billutil.h"
#include "importers/jsonpages.h"

int
jp_utf8(struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	char where[256];

	/* cJSON passes invalid bytes through: refuse them before any column */
	if (bu_json_utf8_check(v, where, sizeof where) != 0)
		return rc_error(rc, -1, err, "%s: invalid UTF-8 (JSON text must be UTF-8)",
				where[0] ? where : "the value");
	return 0;
}

int
jp_pages(void *st, struct row_ctx *rc, const cJSON *v, jp_page_fn page, struct ic_error *err)
{
	const cJSON *p;

	if (jp_utf8(rc, v, err) != 0)
		return -1;
	if (!cJSON_IsArray(v))
		return page(st, rc, v, err);
	cJSON_ArrayForEach(p, v)
		if (page(st, rc, p, err) != 0)
			return -1;
	return 0;
}

void *
jp_open_json_only(const struct header *h, size_t size, const char *what, struct ic_error *err)
{
	void *st;

	if (h != NULL) {
		ic_errorf(err, "%s is JSON, not CSV", what);
		return NULL;
	}
	st = calloc(1, size);
	if (st == NULL)
		ic_errorf(err, "out of memory");
	return st;
}

int
jp_row_not_csv(struct row_ctx *rc, const char *what, struct ic_error *err)
{
	return rc_error(rc, -1, err, "%s is JSON, not CSV", what);
}
