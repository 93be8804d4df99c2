/*
 * jsonget.h - reading members out of cJSON trees: the one set of JSON
 * accessors for every layer (importers reading API responses, reports
 * reading the analysis document).  Everything returned is borrowed from
 * the tree: valid while the tree is, never freed by the caller.
 */
#ifndef IMCOST_JSONGET_H
#define IMCOST_JSONGET_H

struct cJSON;

/* The string member k of object o, or NULL when o is NULL or not an
 * object, or the member is absent or not a string. */
const char *json_str(const struct cJSON *o, const char *k);

/* As json_str, but NULL for an empty string too. */
const char *json_str_set(const struct cJSON *o, const char *k);

/* The value at a dotted path ("service.description") below o: each
 * segment is a member of the object before it.  NULL when a segment is
 * absent, is reached through something that is not an object, or is
 * longer than 127 bytes.  JSON null is returned as it is (not NULL); an
 * empty path gives o. */
const struct cJSON *json_path(const struct cJSON *o, const char *path);

#endif
