/*
 * allocation.h - allocation rules (analyze --allocation FILE): which
 * charges belong to which team, product or IM feature, and how shared
 * costs (support, tax, untagged data transfer) are split over them.
 *
 * The rules file (README.md, "Allocation rules"; data/allocation-im.json
 * is a worked example):
 *
 *   { "key": "feature",
 *     "notes": "what the rules assume" (a string or an array of strings),
 *     "rules": [
 *       { "value": "messaging",
 *         "match": { "tag:service": "msg*", "service": ["AmazonEC2", "ecs"],
 *                    "usage_type": "...", "region": "...", "account": "...",
 *                    "resource": "...", "provider": "...",
 *                    "charge_category": "..." } },
 *       { "shared": "support", "match": { "service": "AWS Support*" },
 *         "split": "proportional" | "even" | "fixed" | "metric",
 *         "ratios": { "messaging": 3, "media": 1 },   (split fixed)
 *         "metric": "messages" }                       (split metric)
 *     ] }
 *
 * Rules are tried in order for each distinct charge_dims row; the first
 * whose conditions all hold takes it.  A condition's value is a glob
 * (fnmatch: * ? [..]) or an array of globs (any of them), compared with
 * ASCII case folded.  service is tried on the service name and on the
 * product code (AmazonEC2); account on the billing and the sub account.
 * tag:KEY compares KEY with every tag key of the charge in the folded form
 * of common/tags.h (tag:cost-center finds user:cost-center and
 * user_cost_center); the glob "" means the charge has no such tag (or an
 * empty value), any other glob needs the tag.  An empty match takes
 * every charge.  Charges no rule takes are "unallocated".
 *
 * Nothing here prints or exits.
 */
#ifndef IMCOST_ALLOCATION_H
#define IMCOST_ALLOCATION_H

#include "common/tags.h"
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

enum alloc_field {
	AF_SERVICE, AF_USAGE_TYPE, AF_REGION, AF_ACCOUNT, AF_RESOURCE, AF_PROVIDER,
	AF_CATEGORY, AF_TAG, AF_NFIELDS
};

enum alloc_split { SPLIT_PROPORTIONAL, SPLIT_EVEN, SPLIT_FIXED, SPLIT_METRIC, SPLIT_NKINDS };

extern const char *const alloc_split_names[SPLIT_NKINDS];

struct alloc_cond {
	enum alloc_field field;
	char *tag;		/* AF_TAG: the key, folded (common/tags.h) */
	char **globs;		/* ASCII-lowered; any of them */
	int nglobs;
};

struct alloc_rule {
	char *name;		/* the value, or the shared pool's name */
	int shared;		/* 1: a shared rule */
	struct alloc_cond *conds;
	int nconds;
	enum alloc_split split;	/* shared rules */
	char **ratio_values;	/* SPLIT_FIXED: values and weights (ratio x 10^6) */
	int64_t *ratio_w;
	int nratios;
	char *metric;		/* SPLIT_METRIC: the usage metric */
};

struct alloc_rules {
	char *file;		/* as given */
	char *key;		/* "feature" */
	struct alloc_rule *rules;
	int n;
	char **notes;		/* the file's "notes" */
	int nnotes;
};

/*
 * Parse the rules file text[0..len) named name.  *out is a new rule set
 * the caller frees with alloc_rules_free.  Returns 0, or -1 with err set to
 * "NAME:LINE:COL: what is wrong" (unknown fields get a did-you-mean).
 */
int alloc_rules_parse(const char *text, size_t len, const char *name, struct alloc_rules **out,
		      struct ic_error *err);

/* Read and parse the file path (at most 16 MiB).  Returns 0 or -1 with
 * err set. */
int alloc_rules_load(const char *path, struct alloc_rules **out, struct ic_error *err);

void alloc_rules_free(struct alloc_rules *r);

/* One distinct charge as the rules see it; any field may be NULL.  Its
 * tags are the tag store's (common/tags.h: folded keys, one value each),
 * as the slices read them: SQLite's SLICE_TAG_ROWS, a remote engine's
 * tag_pairs_get of Tags (what import --engine wrote to TagKeys/TagValues). */
struct alloc_charge {
	const char *provider, *account, *sub_account, *category, *service, *service_code,
		*region, *resource, *usage_type;
	const struct tag_pairs *tags;
};

/* The index of the first rule of r that takes c, or -1 (unallocated).
 * Matching allocates nothing: *oom is left as it is. */
int alloc_match(const struct alloc_rules *r, const struct alloc_charge *c, int *oom);

/*
 * Split total nanos over n weights w[0..n) (>= 0, sum > 0) by the largest
 * remainder: part i is floor(|total| * w_i / W), and the nanos left go one
 * each to the largest remainders (equal remainders: the lower index
 * first); the parts carry total's sign and add up to it exactly.
 * Returns 0, or -1 when n is 0 or the weights sum to 0 (or overflow).
 */
int alloc_split_lr(int64_t total, const int64_t *w, int n, int64_t *parts);

#endif
