/*
 * writer.c - the writer thread of an import (see writer.h).
 *
 * The reader fills one batch at a time; a full batch goes to the writer
 * thread through a small ring of slots guarded by one mutex and two
 * condition variables.  Profiling showed the parse and the SQLite inserts
 * costing about the same, so on two cores this halves an import.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "importers/writer.h"

#define WRITER_SLOTS 3
#define BATCH_ROWS 4096
#define ARENA_SIZE (4u * 1024 * 1024)

struct row {
	int is_metric;
	long line;
	struct charge c;	/* text points into the batch arena */
	struct metric m;
};

struct batch {
	struct row *rows;
	int n;
	char *arena;
	size_t used, cap;
	int full;		/* handed to the writer, not yet written */
};

struct writer {
	sqlite3 *db;
	sqlite3_stmt *ins_charge, *ins_metric;
	int64_t import_id;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t to_writer, to_reader;
	struct batch slot[WRITER_SLOTS];
	int fill;		/* slot the reader fills */
	int next;		/* slot the writer takes next */
	int done;		/* reader has nothing more */
	int failed;		/* writer hit an error; msg in werr */
	struct ic_error werr;
	int64_t first_rowid, last_rowid;
};

static int
write_row(struct writer *w, const struct row *r)
{
	sqlite3_stmt *st;
	int k = 1;

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
	} else {
		const struct charge *c = &r->c;
		st = w->ins_charge;
		sqlite3_bind_int64(st, k++, w->import_id);
		sqlite3_bind_int64(st, k++, r->line);
		sqlite3_bind_int64(st, k++, c->billed);
		sqlite3_bind_int64(st, k++, c->effective);
		if (c->has_list) sqlite3_bind_int64(st, k++, c->list); else sqlite3_bind_null(st, k++);
		if (c->has_contracted) sqlite3_bind_int64(st, k++, c->contracted); else sqlite3_bind_null(st, k++);
		if (c->has_consumed_qty) sqlite3_bind_double(st, k++, c->consumed_qty); else sqlite3_bind_null(st, k++);
		if (c->has_pricing_qty) sqlite3_bind_double(st, k++, c->pricing_qty); else sqlite3_bind_null(st, k++);
		sqlite3_bind_int64(st, k++, c->charge_start);
		sqlite3_bind_int64(st, k++, c->charge_end);
		sqlite3_bind_int64(st, k++, c->period_start);
		sqlite3_bind_int64(st, k++, c->period_end);
		for (int i = 0; i < CT_COUNT; i++, k++) {
			struct str v = c->text[i];
			if (v.s == NULL)
				sqlite3_bind_null(st, k);
			else
				sqlite3_bind_text(st, k, v.s, (int)v.len, SQLITE_STATIC);
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(w->db, r->is_metric ? "writing a metric" : "writing a charge", &w->werr);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (!r->is_metric) {
		w->last_rowid = sqlite3_last_insert_rowid(w->db);
		if (w->first_rowid == 0)
			w->first_rowid = w->last_rowid;
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
			failed = write_row(w, &b->rows[i]) != 0;
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

struct writer *
writer_start(sqlite3 *db, sqlite3_stmt *ins_charge, sqlite3_stmt *ins_metric,
	     int64_t import_id, struct ic_error *err)
{
	struct writer *w = calloc(1, sizeof *w);

	if (w == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	w->db = db;
	w->ins_charge = ins_charge;
	w->ins_metric = ins_metric;
	w->import_id = import_id;
	for (int i = 0; i < WRITER_SLOTS; i++) {
		w->slot[i].rows = malloc(BATCH_ROWS * sizeof *w->slot[i].rows);
		w->slot[i].arena = malloc(ARENA_SIZE);
		w->slot[i].cap = ARENA_SIZE;
		if (w->slot[i].rows == NULL || w->slot[i].arena == NULL) {
			free_slots(w);
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

/* Copy s into the arena of b; 0 when it does not fit. */
static int
stash(struct batch *b, struct str *s)
{
	if (s->s == NULL || s->len == 0 || is_null_token(s->s, s->len)) {
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
	size_t bytes = 0;
	struct batch *b;
	struct row *r;

	for (int i = 0; i < CT_COUNT; i++)
		bytes += c->text[i].len;
	if (room_for(w, bytes, err) != 0)
		return -1;
	b = &w->slot[w->fill];
	r = &b->rows[b->n++];
	r->is_metric = 0;
	r->line = line;
	r->c = *c;
	for (int i = 0; i < CT_COUNT; i++)
		stash(b, &r->c.text[i]);
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
