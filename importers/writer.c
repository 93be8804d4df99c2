/*
 * writer.c - the writer thread of an import (see writer.h).
 *
 * The reader fills one batch at a time; a full batch goes to the writer
 * thread through a small ring of slots guarded by one mutex and two
 * condition variables.  Profiling showed the parse and the SQLite inserts
 * costing about the same, so on two cores this halves an import.
 *
 * A charge is stored as a narrow row of charge_facts naming its text
 * columns through three dictionaries (common/db.h, schema 10): dim_id its
 * charge_dims row (the texts but ResourceId and Tags: a CUR month repeats
 * tens of them), resource_id its resources row and tag_set_id its
 * tag_sets row (with the tag store's rows, db_tag_rows).  The writer keeps
 * the full combinations of this import in a hash table (key: the texts,
 * each with its length; value: the three ids, and the rollup cache) and
 * looks a combination's parts up only when it has not seen it, each in a
 * cache of its own (struct idcache) in front of an insert.  Every table
 * is bounded (DIM_MAX_ENTRIES, DIM_MAX_BYTES, IDC_*); when full it is
 * emptied and refilled, which only costs duplicate dictionary rows (same
 * values, other id), never a wrong id: memory stays bounded at any
 * cardinality (a bill whose every row has its own resource and tags).
 * The table and the dictionaries' caches are in writer-dims.c
 * (writer-int.h between the two files).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/tags.h"
#include "importers/rollup-agg.h"
#include "importers/writer-int.h"

_Static_assert(CT_COUNT == CHARGE_NDIM, "charge_dims has a column per charge text");

/* Bind fact f to parameters base+1 .. base+FACT_NCOLS of st; was:
 * what those parameters hold (then only changed values are bound), or
 * NULL. */
static void
bind_fact(sqlite3_stmt *st, int base, const struct fact *f, const struct fact *was)
{
	for (int k = 0; k < FACT_NCOLS; k++) {
		unsigned bit = 1u << k;

		if (was && !((was->nulls ^ f->nulls) & bit) && !((was->real ^ f->real) & bit) &&
		    ((f->nulls & bit) ||
		     ((f->real & bit) ? memcmp(&was->d[k], &f->d[k], sizeof f->d[k]) == 0
				      : was->v[k] == f->v[k])))
			continue;	/* already bound */
		if (f->nulls & bit)
			sqlite3_bind_null(st, base + k + 1);
		else if (f->real & bit)
			sqlite3_bind_double(st, base + k + 1, f->d[k]);
		else
			sqlite3_bind_int64(st, base + k + 1, f->v[k]);
	}
}

/* Insert the pending facts: WRITER_FACT_ROWS at a time with one
 * statement (a statement's start and end cost more than a row), the rest
 * one by one. */
static int
flush_facts(struct writer *w)
{
	int n = w->npending, i = 0;

	while (i < n) {
		sqlite3_stmt *st;
		int rows = n - i == WRITER_FACT_ROWS ? WRITER_FACT_ROWS : 1;

		st = rows > 1 ? w->ins_charges : w->ins_charge;
		for (int j = 0; j < rows; j++) {
			const struct fact *f = &w->pending[i + j];
			if (rows > 1) {
				bind_fact(st, j * FACT_NCOLS, f,
					  w->have_bound ? &w->bound[j] : NULL);
				w->bound[j] = *f;
			} else {
				bind_fact(st, 0, f, NULL);
			}
		}
		if (rows > 1)
			w->have_bound = 1;
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(w->db, "writing a charge", &w->werr);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		/* AUTOINCREMENT ids of one writer's statement are consecutive */
		w->last_rowid = sqlite3_last_insert_rowid(w->db);
		if (w->first_rowid == 0)
			w->first_rowid = w->last_rowid - rows + 1;
		i += rows;
	}
	w->npending = 0;
	return 0;
}

static int
write_row(struct writer *w, const struct batch *b, const struct row *r)
{
	sqlite3_stmt *st;

	if (r->is_metric) {
		const struct metric *m = &r->m;
		st = w->ins_metric;
		sqlite3_bind_text(st, 1, m->resource_id.s, (int)m->resource_id.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, m->ts);
		sqlite3_bind_text(st, 3, m->metric.s, (int)m->metric.len, SQLITE_STATIC);
		sqlite3_bind_double(st, 4, m->value);
		if (str_null(m->unit))
			sqlite3_bind_null(st, 5);
		else
			sqlite3_bind_text(st, 5, m->unit.s, (int)m->unit.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, w->import_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(w->db, "writing a metric", &w->werr);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		rollup_agg_metric(w->agg, m);
	} else {
		const struct charge *c = &r->c;
		struct fact *f = &w->pending[w->npending];
		struct rollup_texts *rt;
		int64_t dim, res, tags;

		if (dim_id(w, c, b->arena + r->key_off, r->key_len, &dim, &res, &tags, &rt) != 0)
			return -1;
		rollup_agg_charge(w->agg, c, dim, res, rt);
		f->nulls = f->real = 0;
		f->v[0] = w->import_id;
		f->v[1] = r->line;
		f->v[2] = c->billed;
		f->v[3] = c->effective;
		f->v[4] = c->list;
		f->nulls |= c->has_list ? 0 : 1u << 4;
		f->v[5] = c->contracted;
		f->nulls |= c->has_contracted ? 0 : 1u << 5;
		f->d[6] = c->consumed_qty;
		f->real |= 1u << 6;
		f->nulls |= c->has_consumed_qty ? 0 : 1u << 6;
		f->d[7] = c->pricing_qty;
		f->real |= 1u << 7;
		f->nulls |= c->has_pricing_qty ? 0 : 1u << 7;
		f->v[8] = c->charge_start;
		f->v[9] = c->charge_end;
		f->v[10] = c->period_start;
		f->v[11] = c->period_end;
		f->v[12] = dim;
		f->v[13] = res;
		f->nulls |= res ? 0 : 1u << 13;
		f->v[14] = tags;
		f->nulls |= tags ? 0 : 1u << 14;
		if (++w->npending == WRITER_FACT_ROWS)
			return flush_facts(w);
	}
	return 0;
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct batch *b = &w->slot[w->next];
		int failed = 0;

		while (!b->full && !w->done)
			pthread_cond_wait(&w->to_writer, &w->mu);
		if (!b->full)
			break;	/* done and nothing left */
		pthread_mutex_unlock(&w->mu);
		for (int i = 0; i < b->n && !failed; i++)
			failed = write_row(w, b, &b->rows[i]) != 0;
		if (!failed)
			failed = flush_facts(w) != 0;
		pthread_mutex_lock(&w->mu);
		b->full = 0;
		b->n = 0;
		b->used = 0;
		w->next = (w->next + 1) % WRITER_SLOTS;
		if (failed)
			w->failed = 1;
		pthread_cond_signal(&w->to_reader);
		if (failed)
			break;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
free_slots(struct writer *w)
{
	for (int i = 0; i < WRITER_SLOTS; i++) {
		free(w->slot[i].rows);
		free(w->slot[i].arena);
	}
}

/* Free what the writer owns besides its slots and table. */
static void
finalize_own(struct writer *w)
{
	sqlite3_finalize(w->ins_tags);
	sqlite3_finalize(w->ins_res);
	sqlite3_finalize(w->ins_tagset);
	w->ins_tags = w->ins_res = w->ins_tagset = NULL;
	idc_free(&w->c_dims);
	idc_free(&w->c_res);
	idc_free(&w->c_tags);
	free(w->scratch);
	w->scratch = NULL;
	w->scratch_cap = 0;
}

struct writer *
writer_start(sqlite3 *db, sqlite3_stmt *ins_charge, sqlite3_stmt *ins_charges,
	     sqlite3_stmt *ins_dim, sqlite3_stmt *ins_metric, int64_t import_id,
	     struct rollup_agg *agg, struct ic_error *err)
{
	struct writer *w = calloc(1, sizeof *w);

	if (w == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	w->db = db;
	w->ins_charge = ins_charge;
	w->ins_charges = ins_charges;
	w->ins_dim = ins_dim;
	w->ins_metric = ins_metric;
	w->import_id = import_id;
	w->agg = agg;
	w->c_dims.max = IDC_DIMS_ENTRIES;
	w->c_dims.max_bytes = IDC_DIMS_BYTES;
	w->c_res.max = IDC_RES_ENTRIES;
	w->c_res.max_bytes = IDC_RES_BYTES;
	w->c_tags.max = IDC_TAGS_ENTRIES;
	w->c_tags.max_bytes = IDC_TAGS_BYTES;
	if ((w->ins_tags = db_prepare(db, DB_TAG_ROW_INSERT, err)) == NULL ||
	    (w->ins_res = db_prepare(db, "INSERT INTO resources(ResourceId) VALUES(?)", err)) == NULL ||
	    (w->ins_tagset = db_prepare(db, "INSERT INTO tag_sets(Tags, aws) VALUES(?, ?)",
					err)) == NULL) {
		finalize_own(w);
		free(w);
		return NULL;
	}
	for (int i = 0; i < WRITER_SLOTS; i++) {
		w->slot[i].rows = malloc(BATCH_ROWS * sizeof *w->slot[i].rows);
		w->slot[i].arena = malloc(ARENA_SIZE);
		w->slot[i].cap = ARENA_SIZE;
		if (w->slot[i].rows == NULL || w->slot[i].arena == NULL) {
			free_slots(w);
			finalize_own(w);
			free(w);
			ic_errorf(err, "out of memory");
			return NULL;
		}
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->to_writer, NULL);
	pthread_cond_init(&w->to_reader, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->to_writer);
		pthread_cond_destroy(&w->to_reader);
		free_slots(w);
		finalize_own(w);
		free(w);
		ic_errorf(err, "cannot start the writer thread");
		return NULL;
	}
	return w;
}

/* Hand the filling batch to the writer and wait for a free slot. */
static int
hand_over(struct writer *w, struct ic_error *err)
{
	int failed;

	pthread_mutex_lock(&w->mu);
	w->slot[w->fill].full = 1;
	w->fill = (w->fill + 1) % WRITER_SLOTS;
	pthread_cond_signal(&w->to_writer);
	while (w->slot[w->fill].full && !w->failed)
		pthread_cond_wait(&w->to_reader, &w->mu);
	failed = w->failed;
	pthread_mutex_unlock(&w->mu);
	if (failed) {
		*err = w->werr;
		return -1;
	}
	return 0;
}

/* Is s NULL as stored: absent, empty or a null token?  is_null_token's
 * own fast path, inline: asked of the 28 texts of every charge, the call
 * cost as much as the test. */
static inline int
text_null(const struct str *s)
{
	unsigned char a, z;

	if (s->s == NULL || s->len == 0)
		return 1;
	a = (unsigned char)s->s[0];
	z = (unsigned char)s->s[s->len - 1];
	if (a > ' ' && z > ' ' && (s->len > 4 || (a | 0x20) != 'n'))
		return 0;	/* not blank-padded, and no token (NULL, N/A, ...) */
	return is_null_token(s->s, s->len);
}

/* Copy s into the arena of b; 0 when it does not fit. */
static int
stash(struct batch *b, struct str *s)
{
	if (text_null(s)) {
		s->s = NULL;
		s->len = 0;
		return 1;
	}
	if (b->cap - b->used < s->len)
		return 0;
	memcpy(b->arena + b->used, s->s, s->len);
	s->s = b->arena + b->used;
	b->used += s->len;
	return 1;
}

static int
room_for(struct writer *w, size_t bytes, struct ic_error *err)
{
	struct batch *b = &w->slot[w->fill];

	if (bytes > ARENA_SIZE)
		return ic_errorf(err, "row too large for the import batch");
	if (b->n == BATCH_ROWS || b->cap - b->used < bytes)
		return hand_over(w, err);
	return 0;
}

int
writer_charge(struct writer *w, const struct charge *c, long line, struct ic_error *err)
{
	size_t bytes = 4 * CT_COUNT;
	struct batch *b;
	struct row *r;
	char *p;

	for (int i = 0; i < CT_COUNT; i++)
		bytes += c->text[i].len;
	if (room_for(w, bytes, err) != 0)
		return -1;
	b = &w->slot[w->fill];
	r = &b->rows[b->n++];
	r->is_metric = 0;
	r->line = line;
	r->c = *c;
	/* the texts, each after its length: the dims key (see above) */
	r->key_off = b->used;
	p = b->arena + b->used;
	for (int i = 0; i < CT_COUNT; i++) {
		struct str *s = &r->c.text[i];
		uint32_t len;

		if (text_null(s)) {
			s->s = NULL;
			s->len = 0;
			len = DIM_NULL_LEN;
			memcpy(p, &len, 4);
			p += 4;
			continue;
		}
		len = (uint32_t)s->len;
		memcpy(p, &len, 4);
		memcpy(p + 4, s->s, s->len);
		s->s = p + 4;
		p += 4 + s->len;
	}
	r->key_len = (uint32_t)(p - (b->arena + b->used));
	b->used += r->key_len;
	return 0;
}

int
writer_metric(struct writer *w, const struct metric *m, struct ic_error *err)
{
	size_t bytes = m->resource_id.len + m->metric.len + m->unit.len;
	struct batch *b;
	struct row *r;

	if (room_for(w, bytes, err) != 0)
		return -1;
	b = &w->slot[w->fill];
	r = &b->rows[b->n++];
	r->is_metric = 1;
	r->line = 0;
	r->m = *m;
	stash(b, &r->m.resource_id);
	stash(b, &r->m.metric);
	stash(b, &r->m.unit);
	return 0;
}

static void
stop(struct writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_signal(&w->to_writer);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->to_writer);
	pthread_cond_destroy(&w->to_reader);
	free_slots(w);
	dims_free(&w->dims);
	finalize_own(w);
}

int
writer_finish(struct writer *w, int64_t *first_rowid, int64_t *last_rowid, struct ic_error *err)
{
	int rc = 0;

	if (w->slot[w->fill].n > 0 && hand_over(w, err) != 0)
		rc = -1;
	stop(w);
	if (rc == 0 && w->failed) {
		*err = w->werr;
		rc = -1;
	}
	*first_rowid = w->first_rowid;
	*last_rowid = w->last_rowid;
	free(w);
	return rc;
}

void
writer_abort(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	/* drop what is queued but not yet taken */
	for (int i = 0; i < WRITER_SLOTS; i++)
		if (i != w->next)
			w->slot[i].full = 0;
	pthread_mutex_unlock(&w->mu);
	stop(w);
	free(w);
}
