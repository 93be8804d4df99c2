/*
 * tags.h - resource tags as imcost stores them, and the one rule that says
 * when two tag keys are the same key.
 *
 * Every importer stores a charge's tags as the text of one JSON object
 * (charge_dims.Tags: {"user:Team": "chat", "env": "prod"}), keeping the
 * provider's spelling of each key.  The providers spell one key in several
 * ways: legacy CUR writes the column resourceTags/user:cost-center, its
 * Athena/Parquet names and CUR 2.0's resource_tags map say
 * user_cost_center, Azure and GCP have no prefix and differ in case.  A
 * user asking for "tag:cost-center" means all of them, so keys are
 * compared in a folded form:
 *
 *   - ASCII letters lowered;
 *   - AWS's user-tag prefix removed: "user:" always, and "user_" when the
 *     charge is AWS's (snake-case exports turn "user:" into "user_");
 *   - every ASCII byte that is not a letter or digit becomes '_' (CUR 2.0
 *     writes cost-center as cost_center); bytes >= 0x80 (CJK keys of
 *     Alibaba and Tencent) are kept as they are.
 *
 * "aws:createdBy" therefore folds to "aws_createdby", and the AWS cost
 * category "costCategory/Team" (stored as "costCategory:Team") to
 * "costcategory_team".  The original spelling stays in Tags for display.
 *
 * Nothing here prints or touches a database.
 */
#ifndef IMCOST_TAGS_H
#define IMCOST_TAGS_H

#include <stddef.h>

/*
 * The folded form of the key key[0..len) (see above) into out, which has
 * room for cap bytes; NUL-terminated.  aws: nonzero when the charge is
 * AWS's (ProviderName "AWS"), which also removes a leading "user_".
 * Returns the folded length, or (size_t)-1 when it does not fit in cap
 * (out is then the empty string).  An empty key folds to "".
 */
size_t tag_key_fold(const char *key, size_t len, int aws, char *out, size_t cap);

/* Called by tags_each for each key/value pair: key and value are
 * NUL-terminated, borrowed for the call only.  Return 0 to go on; any
 * other value stops the walk and is returned by tags_each. */
typedef int (*tags_fn)(void *arg, const char *key, const char *value);

/*
 * Calls fn for each member of the stored Tags text json, in the text's
 * order.  String values are passed as they are; numbers, booleans and
 * nested values as their compact JSON text; null as "".  json NULL or
 * empty: no call, returns 0.  Returns -1 when json is not a JSON object
 * (or memory runs out), else 0 or what fn returned.
 */
int tags_each(const char *json, tags_fn fn, void *arg);

/*
 * The tag store's view of one charge's tags: its folded keys and their
 * values, in the text's order, one pair per folded key (the first of the
 * keys that fold alike wins; a key too long to fold, cap 256 bytes, is
 * left out), values as tags_each gives them.  This is what SQLite's
 * dim_tags holds for a tag set (common/db.h, db_tag_rows) and what `import --engine` writes into the TagKeys /
 * TagValues arrays of a remote engine (common/engine.h); allocation reads
 * remote charges' tags through it.
 */
struct tag_pairs {
	char **key;		/* folded keys, owned */
	char **value;		/* owned */
	char **spelled;		/* owned: each key as the text spells it */
	int n, cap;
};

/* Fill *p (zeroed by the caller, or reused after tag_pairs_clear) from
 * the stored Tags text json of a charge (aws: ProviderName is "AWS").
 * Text that is not a JSON object gives no pairs.  Returns 0, or -1 when
 * memory runs out. */
int tag_pairs_get(const char *json, int aws, struct tag_pairs *p);

/* Empty p (keeping its arrays for reuse). */
void tag_pairs_clear(struct tag_pairs *p);

/* Free what p holds. */
void tag_pairs_free(struct tag_pairs *p);

#endif
