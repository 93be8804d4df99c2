/*
 * writer-dims.c - the writer's dimension dictionaries (writer.c): the
 * table of full text combinations of this import and the bounded caches
 * in front of the three dictionaries of schema 10 (charge_dims, resources,
 * tag_sets), and the rows they insert.  See writer.c's comment for why
 * a miss costs a duplicate row, never a wrong id.
 */
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/hash.h"
#include "common/tags.h"
#include "importers/writer-int.h"

/*
 * The key of a combination of texts: per text column, a 4-byte length
 * (DIM_NULL_LEN for NULL) and the bytes.  The reader writes it into the
 * batch arena as it copies the texts there (writer_charge), so the writer
 * hashes and compares it in place.
 */

void
dims_free(struct dims *d)
{
	free(d->slot);
	free(d->keys);
	free(d->rt);
	memset(d, 0, sizeof *d);
}

void
idc_free(struct idcache *c)
{
	free(c->slot);
	free(c->keys);
	memset(c, 0, sizeof *c);
}

/* The id of key[0 .. len) (hash h) in c, or 0. */
static int64_t
idc_get(const struct idcache *c, const char *key, size_t len, uint64_t h)
{
	if (c->slot == NULL)
		return 0;
	for (uint32_t i = (uint32_t)h & (c->nslots - 1); c->slot[i].hash; i = (i + 1) & (c->nslots - 1)) {
		const struct idc_slot *e = &c->slot[i];
		if (e->hash == h && e->len == len && memcmp(c->keys + e->off, key, len) == 0)
			return e->id;
	}
	return 0;
}

/* Remember key -> id in c (not at all when memory runs out: a later miss
 * costs a duplicate row only). */
static void
idc_put(struct idcache *c, const char *key, size_t len, uint64_t h, int64_t id)
{
	uint32_t i;

	if (len > c->max_bytes / 4)
		return;
	if (c->slot != NULL && (c->n == c->max || c->max_bytes - c->used < len)) {
		memset(c->slot, 0, c->nslots * sizeof *c->slot);
		c->n = 0;
		c->used = 0;
	}
	if (c->slot == NULL || 2 * (c->n + 1) > c->nslots) {
		uint32_t n2 = c->slot ? c->nslots * 2 : 256;
		struct idc_slot *s2 = calloc(n2, sizeof *s2);
		if (s2 == NULL)
			return;
		for (uint32_t k = 0; c->slot && k < c->nslots; k++) {
			uint32_t j;
			if (!c->slot[k].hash)
				continue;
			for (j = (uint32_t)c->slot[k].hash & (n2 - 1); s2[j].hash; j = (j + 1) & (n2 - 1))
				;
			s2[j] = c->slot[k];
		}
		free(c->slot);
		c->slot = s2;
		c->nslots = n2;
	}
	if (c->cap - c->used < len) {
		size_t cap = c->cap ? c->cap : 16384;
		char *k;
		while (cap - c->used < len)
			cap *= 2;
		if ((k = realloc(c->keys, cap)) == NULL)
			return;
		c->keys = k;
		c->cap = cap;
	}
	for (i = (uint32_t)h & (c->nslots - 1); c->slot[i].hash; i = (i + 1) & (c->nslots - 1))
		;
	memcpy(c->keys + c->used, key, len);
	c->slot[i].hash = h;
	c->slot[i].id = id;
	c->slot[i].off = c->used;
	c->slot[i].len = len;
	c->used += len;
	c->n++;
}

/* w->scratch with room for n bytes, or NULL (err set). */
char *
scratch(struct writer *w, size_t n)
{
	if (w->scratch_cap < n) {
		char *p = realloc(w->scratch, n);
		if (p == NULL) {
			ic_errorf(&w->werr, "out of memory");
			return NULL;
		}
		w->scratch = p;
		w->scratch_cap = n;
	}
	return w->scratch;
}

/* Step st (bound), reset it; the new row's id in *id. */
static int
insert_row(struct writer *w, sqlite3_stmt *st, const char *what, int64_t *id)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(w->db, what, &w->werr);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(w->db);
	return 0;
}

/* The charge_dims row of c's texts but ResourceId and Tags: from the
 * cache, or a new row. */
static int
coarse_dim(struct writer *w, const struct charge *c, int64_t *id)
{
	sqlite3_stmt *st = w->ins_dim;
	size_t len = 0;
	char *p;
	uint64_t h;
	int k = 0;

	for (int i = 0; i < CT_COUNT; i++)
		len += 4 + c->text[i].len;
	if ((p = scratch(w, len)) == NULL)
		return -1;
	len = 0;
	for (int i = 0; i < CT_COUNT; i++) {
		uint32_t n = c->text[i].s ? (uint32_t)c->text[i].len : DIM_NULL_LEN;
		if (i == CT_RESOURCE_ID || i == CT_TAGS)
			continue;
		memcpy(p + len, &n, 4);
		len += 4;
		if (c->text[i].s) {
			memcpy(p + len, c->text[i].s, c->text[i].len);
			len += c->text[i].len;
		}
	}
	h = ic_hash(p, len);
	if ((*id = idc_get(&w->c_dims, p, len, h)) != 0)
		return 0;
	for (int i = 0; i < CT_COUNT; i++) {
		struct str v = c->text[i];
		if (i == CT_RESOURCE_ID || i == CT_TAGS)
			continue;
		k++;
		if (v.s == NULL)
			sqlite3_bind_null(st, k);
		else
			sqlite3_bind_text(st, k, v.s, (int)v.len, SQLITE_STATIC);
	}
	if (insert_row(w, st, "writing a charge", id) != 0)
		return -1;
	idc_put(&w->c_dims, p, len, h, *id);
	return 0;
}

/* The resources row of c's ResourceId (0: none). */
static int
resource_ref(struct writer *w, const struct charge *c, int64_t *id)
{
	struct str v = c->text[CT_RESOURCE_ID];
	uint64_t h;

	*id = 0;
	if (v.s == NULL)
		return 0;
	h = ic_hash(v.s, v.len);
	if ((*id = idc_get(&w->c_res, v.s, v.len, h)) != 0)
		return 0;
	sqlite3_bind_text(w->ins_res, 1, v.s, (int)v.len, SQLITE_STATIC);
	if (insert_row(w, w->ins_res, "writing a charge's resource", id) != 0)
		return -1;
	idc_put(&w->c_res, v.s, v.len, h, *id);
	return 0;
}

/* The tag_sets row of c's Tags (0: none), with its tag store rows when
 * new.  A tag set is the text and whether its keys fold as AWS's. */
static int
tags_ref(struct writer *w, const struct charge *c, int64_t *id)
{
	struct str v = c->text[CT_TAGS], prov = c->text[CT_PROVIDER];
	int aws = prov.s != NULL && prov.len == 3 && memcmp(prov.s, "AWS", 3) == 0;
	uint64_t h;
	char *p;

	*id = 0;
	if (v.s == NULL)
		return 0;
	/* the key: the flag, the text, and a NUL (tags_each reads it so) */
	if ((p = scratch(w, v.len + 2)) == NULL)
		return -1;
	p[0] = (char)('0' + aws);
	memcpy(p + 1, v.s, v.len);
	p[v.len + 1] = '\0';
	h = ic_hash(p, v.len + 1);
	if ((*id = idc_get(&w->c_tags, p, v.len + 1, h)) != 0)
		return 0;
	sqlite3_bind_text(w->ins_tagset, 1, v.s, (int)v.len, SQLITE_STATIC);
	sqlite3_bind_int(w->ins_tagset, 2, aws);
	if (insert_row(w, w->ins_tagset, "writing a charge's tags", id) != 0 ||
	    db_tag_rows(w->db, w->ins_tags, *id, p + 1, aws, &w->werr) != 0)
		return -1;
	idc_put(&w->c_tags, p, v.len + 1, h, *id);
	return 0;
}

/* The three dictionary rows of c. */
static int
insert_dim(struct writer *w, const struct charge *c, int64_t *id, int64_t *res, int64_t *tags)
{
	return coarse_dim(w, c, id) != 0 || resource_ref(w, c, res) != 0 ||
	       tags_ref(w, c, tags) != 0 ? -1 : 0;
}

/* The rollup cache of a combination not kept in the table: a fresh one
 * every time. */
static struct rollup_texts *
lone_texts(struct dims *d)
{
	memset(&d->lone, 0, sizeof d->lone);
	return &d->lone;
}

/* The dictionary ids of c's texts (whose key is key[0 .. len)): from the
 * table, or looked up / new rows; *rt: the rollup cache of the
 * combination, valid until the next call. */
int
dim_id(struct writer *w, const struct charge *c, const char *key, size_t len, int64_t *id,
       int64_t *res, int64_t *tags, struct rollup_texts **rt)
{
	struct dims *d = &w->dims;
	uint64_t h;
	uint32_t i, mask;

	if (d->slot == NULL && (d->slot = calloc(DIM_MIN_SLOTS, sizeof *d->slot)) == NULL) {
		ic_errorf(&w->werr, "out of memory");
		return -1;
	}
	if (d->nslots == 0)
		d->nslots = DIM_MIN_SLOTS;
	mask = d->nslots - 1;
	h = ic_hash(key, len);
	for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask) {
		const struct dim_slot *e = &d->slot[i];
		if (e->hash == h && e->len == len && memcmp(d->keys + e->off, key, len) == 0) {
			*id = e->id;
			*res = e->res;
			*tags = e->tags;
			*rt = &d->rt[e->ent];
			return 0;
		}
	}
	if (insert_dim(w, c, id, res, tags) != 0)
		return -1;
	*rt = lone_texts(d);
	if (len > DIM_MAX_BYTES)
		return 0;	/* not kept */
	if (d->n == DIM_MAX_ENTRIES || DIM_MAX_BYTES - d->used < len) {
		/* full: start over (costs duplicate charge_dims rows only) */
		memset(d->slot, 0, d->nslots * sizeof *d->slot);
		d->n = 0;
		d->used = 0;
		for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask)
			;
	} else if (2 * (d->n + 1) > d->nslots) {
		/* grow: the table stays at most half full, and small (in the
		 * CPU's caches) while the combinations are few */
		uint32_t n2 = d->nslots * 2, m2 = n2 - 1;
		struct dim_slot *s2 = calloc(n2, sizeof *s2);
		if (s2 == NULL)
			return 0;	/* not kept */
		for (uint32_t k = 0; k < d->nslots; k++) {
			uint32_t j;
			if (!d->slot[k].hash)
				continue;
			for (j = (uint32_t)d->slot[k].hash & m2; s2[j].hash; j = (j + 1) & m2)
				;
			s2[j] = d->slot[k];
		}
		free(d->slot);
		d->slot = s2;
		d->nslots = n2;
		mask = m2;
		for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask)
			;
	}
	if (d->n == d->rt_cap) {
		uint32_t cap = d->rt_cap ? d->rt_cap * 2 : 1024;
		struct rollup_texts *r = realloc(d->rt, cap * sizeof *r);
		if (r == NULL)
			return 0;	/* not kept */
		d->rt = r;
		d->rt_cap = cap;
	}
	if (d->cap - d->used < len) {
		size_t cap = d->cap ? d->cap : 65536;
		char *k;
		while (cap - d->used < len)
			cap *= 2;
		if (cap > DIM_MAX_BYTES)
			cap = DIM_MAX_BYTES;
		k = realloc(d->keys, cap);
		if (k == NULL)
			return 0;	/* not kept */
		d->keys = k;
		d->cap = cap;
	}
	memcpy(d->keys + d->used, key, len);
	d->slot[i].hash = h;
	d->slot[i].id = *id;
	d->slot[i].res = *res;
	d->slot[i].tags = *tags;
	d->slot[i].off = d->used;
	d->slot[i].len = len;
	d->slot[i].ent = d->n;
	memset(&d->rt[d->n], 0, sizeof d->rt[d->n]);
	*rt = &d->rt[d->n];
	d->used += len;
	d->n++;
	return 0;
}
