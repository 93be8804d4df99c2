/*
 * engine-import.c - importing into a remote engine through a scratch
 * SQLite database per file and the engine's bulk load (see
 * engine-import.h for the rules and why they hold).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/db.h"
#include "common/engine.h"
#include "common/tags.h"
#include "common/timeparse.h"
#include "importers/engine-import.h"

/* A period that was live on the engine when the session started. */
struct live {
	int64_t import_id;
	char *provider, *account;
	int64_t start;
	int replaced;		/* a file of this session restated it */
};

/* An import that is current on the engine (for "unchanged"). */
struct current {
	int64_t id;
	char sha[65];
};

struct engine_import {
	struct engine *e;
	struct import_opts opts;
	int nfiles;
	int loaded;			/* engine state read */
	int64_t next_batch, next_import;
	int64_t batch_id;		/* 0 until this session wrote its batch */
	struct live *live;
	int nlive;
	struct current *cur;
	int ncur;
	/* this session's imports: sent (rows may be on the engine) */
	int64_t *sent;
	char (*sent_sha)[65];
	int nsent;
	int64_t *adopted;
	int nadopted;
	int committed;
	int no_tags;			/* charges_data predates the tag arrays:
					   leave them out */
};

/* ---- small helpers ---- */

static int
push_id(int64_t **v, int *n, int64_t id)
{
	int64_t *nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);

	if (nv == NULL)
		return -1;
	nv[(*n)++] = id;
	*v = nv;
	return 0;
}

static void
now_iso(char *buf)
{
	time_format((int64_t)time(NULL), buf);
}

static char *
dup_text(const struct engine_stmt *st, int i, int *oom)
{
	const char *s = engine_column_text(st, i);
	char *r = strdup(s ? s : "");

	if (r == NULL)
		*oom = 1;
	return r;
}

/* ---- the engine's state ---- */

static int
query_max(struct engine *e, const char *sql, int64_t *out, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(e, sql, err);
	int r;

	if (st == NULL)
		return -1;
	r = engine_step(st, err);
	*out = r == 1 ? engine_column_int64(st, 0) : 0;
	engine_finalize(st);
	return r < 0 ? -1 : 0;
}

static int
load_state(struct engine_import *s, struct ic_error *err)
{
	struct engine_stmt *st = NULL;
	int64_t *live_ids = NULL, *period_ids = NULL;
	int nlive_ids = 0, nperiod_ids = 0, r, oom = 0, ret = -1;

	if (s->loaded)
		return 0;
	if (query_max(s->e, "SELECT max(id) FROM batches", &s->next_batch, err) != 0 ||
	    query_max(s->e, "SELECT max(id) FROM imports", &s->next_import, err) != 0 ||
	    engine_tag_store(s->e, 1, &r, err) != 0)
		return -1;
	s->no_tags = !r;
	/* live periods: what a new batch may replace */
	st = engine_prepare(s->e, "SELECT import_id, provider, billing_account_id, billing_period_start"
			    " FROM live_periods", err);
	if (st == NULL)
		goto out;
	while ((r = engine_step(st, err)) == 1) {
		struct live *nl = realloc(s->live, (size_t)(s->nlive + 1) * sizeof *nl);
		if (nl == NULL) {
			oom = 1;
			break;
		}
		s->live = nl;
		nl = &s->live[s->nlive++];
		memset(nl, 0, sizeof *nl);
		nl->import_id = engine_column_int64(st, 0);
		nl->provider = dup_text(st, 1, &oom);
		nl->account = dup_text(st, 2, &oom);
		nl->start = engine_column_int64(st, 3);
		if (push_id(&live_ids, &nlive_ids, nl->import_id) != 0)
			oom = 1;
	}
	engine_finalize(st);
	st = NULL;
	if (r < 0)
		goto out;
	if (oom) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	st = engine_prepare(s->e, "SELECT DISTINCT import_id FROM import_periods", err);
	if (st == NULL)
		goto out;
	while ((r = engine_step(st, err)) == 1)
		if (push_id(&period_ids, &nperiod_ids, engine_column_int64(st, 0)) != 0)
			oom = 1;
	engine_finalize(st);
	st = NULL;
	if (r < 0)
		goto out;
	/* current imports, as import.c's find_current_duplicate: committed,
	 * and usage, or with a live period, or empty without periods */
	st = engine_prepare(s->e, "SELECT id, sha256, kind, rows FROM imports"
			    " WHERE batch_id IN (SELECT batch_id FROM commits)", err);
	if (st == NULL)
		goto out;
	while ((r = engine_step(st, err)) == 1) {
		int64_t id = engine_column_int64(st, 0);
		const char *sha = engine_column_text(st, 1), *kind = engine_column_text(st, 2);
		int current = kind && strcmp(kind, "usage") == 0;
		int has_periods = 0;

		for (int i = 0; !current && i < nlive_ids; i++)
			current = live_ids[i] == id;
		for (int i = 0; i < nperiod_ids; i++)
			has_periods |= period_ids[i] == id;
		if (!current && engine_column_int64(st, 3) == 0 && !has_periods)
			current = 1;
		if (current && sha && strlen(sha) == 64) {
			struct current *nc = realloc(s->cur, (size_t)(s->ncur + 1) * sizeof *nc);
			if (nc == NULL) {
				oom = 1;
				break;
			}
			s->cur = nc;
			nc[s->ncur].id = id;
			memcpy(nc[s->ncur].sha, sha, 65);
			s->ncur++;
		}
	}
	engine_finalize(st);
	st = NULL;
	if (r < 0)
		goto out;
	if (oom) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	s->loaded = 1;
	ret = 0;
out:
	engine_finalize(st);
	free(live_ids);
	free(period_ids);
	return ret;
}

/* ---- loads ---- */

/* The columns of t that s loads (*n of them): all but the tag arrays of a
 * database that predates them. */
static const char **
col_names(const struct engine_import *s, const struct engine_table *t, int *n)
{
	const char **v = malloc((size_t)t->ncols * sizeof *v);

	*n = 0;
	if (v)
		for (int i = 0; i < t->ncols; i++)
			if (!(s->no_tags && t->cols[i].type == EC_TEXT_ARRAY))
				v[(*n)++] = t->cols[i].name;
	return v;
}

static struct engine_load *
begin(struct engine_import *s, int table, struct ic_error *err)
{
	const struct engine_table *t = &engine_tables[table];
	int n;
	const char **cols = col_names(s, t, &n);
	struct engine_load *l;

	if (cols == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	l = engine_load_begin(s->e, t->name, cols, n, err);
	free(cols);
	return l;
}

static void
load_text_or_null(struct engine_load *l, const char *v)
{
	if (v)
		engine_load_text(l, v, strlen(v));
	else
		engine_load_null(l);
}

static int
write_batch(struct engine_import *s, struct ic_error *err)
{
	struct engine_load *l;
	char now[32];

	if (s->batch_id)
		return 0;
	l = begin(s, ET_BATCHES, err);
	if (l == NULL)
		return -1;
	now_iso(now);
	engine_load_int64(l, s->next_batch + 1);
	load_text_or_null(l, s->opts.label);
	engine_load_text(l, now, strlen(now));
	if (engine_load_row(l, err) != 0) {
		engine_load_abort(l);
		return -1;
	}
	if (engine_load_end(l, err) != 0)
		return -1;
	s->batch_id = ++s->next_batch;
	return 0;
}

/* The imports row, before any data: it reserves the id. */
static int
write_import(struct engine_import *s, sqlite3 *scratch, int64_t id, const char *path,
	     const struct import_result *res, struct ic_error *err)
{
	sqlite3_stmt *q = db_prepare(scratch, "SELECT format, kind, records, rows, warnings FROM imports"
				     " ORDER BY id DESC LIMIT 1", err);
	struct engine_load *l = NULL;
	char now[32];
	int ret = -1;

	if (q == NULL)
		return -1;
	if (sqlite3_step(q) != SQLITE_ROW) {
		db_error(scratch, "reading the scratch import", err);
		goto out;
	}
	l = begin(s, ET_IMPORTS, err);
	if (l == NULL)
		goto out;
	now_iso(now);
	engine_load_int64(l, id);
	engine_load_int64(l, s->batch_id);
	engine_load_text(l, path, strlen(path));
	engine_load_text(l, res->sha256, strlen(res->sha256));
	load_text_or_null(l, (const char *)sqlite3_column_text(q, 0));
	load_text_or_null(l, (const char *)sqlite3_column_text(q, 1));
	engine_load_int64(l, sqlite3_column_int64(q, 2));
	engine_load_int64(l, sqlite3_column_int64(q, 3));
	load_text_or_null(l, (const char *)sqlite3_column_text(q, 4));
	engine_load_text(l, now, strlen(now));
	if (engine_load_row(l, err) != 0)
		goto out;
	ret = engine_load_end(l, err);
	l = NULL;
out:
	engine_load_abort(l);
	sqlite3_finalize(q);
	return ret;
}

/* Stream the scratch table's rows: import_id first, then the scratch
 * columns named like the engine table's remaining columns.  The tag
 * arrays TagKeys and TagValues (EC_TEXT_ARRAY) come from the row's Tags
 * and ProviderName through tag_pairs_get, the tag store's one rule. */
static int
ship_rows(struct engine_import *s, sqlite3 *scratch, int table, const char *from, int64_t id,
	  struct ic_error *err)
{
	const struct engine_table *t = &engine_tables[table];
	struct engine_load *l = NULL;
	sqlite3_stmt *q = NULL;
	char sql[4096];
	size_t n = 0;
	int idcol = -1, ret = -1, r, tagscol = -1, provcol = -1;
	struct tag_pairs tp = { 0 };

	n += (size_t)snprintf(sql + n, sizeof sql - n, "SELECT ");
	for (int i = 0, k = 0; i < t->ncols; i++) {
		if (strcmp(t->cols[i].name, "import_id") == 0) {
			idcol = i;
			continue;
		}
		if (t->cols[i].type == EC_TEXT_ARRAY)
			continue;
		if (strcmp(t->cols[i].name, "Tags") == 0)
			tagscol = k;
		else if (strcmp(t->cols[i].name, "ProviderName") == 0)
			provcol = k;
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", k++ ? ", " : "", t->cols[i].name);
	}
	snprintf(sql + n, sizeof sql - n, " FROM %s", from);
	q = db_prepare(scratch, sql, err);
	if (q == NULL)
		return -1;
	l = begin(s, table, err);
	if (l == NULL)
		goto out;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0, k = 0; i < t->ncols; i++) {
			if (i == idcol) {
				engine_load_int64(l, id);
				continue;
			}
			if (t->cols[i].type == EC_TEXT_ARRAY) {
				if (s->no_tags)
					continue;
				if (strcmp(t->cols[i].name, "TagKeys") == 0) {
					const char *prov = provcol >= 0 ?
						(const char *)sqlite3_column_text(q, provcol) : NULL;
					tag_pairs_clear(&tp);
					if (tagscol >= 0 &&
					    tag_pairs_get((const char *)sqlite3_column_text(q, tagscol),
							  prov && strcmp(prov, "AWS") == 0, &tp) != 0) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					engine_load_text_array(l, (const char *const *)tp.key, tp.n);
				} else {
					engine_load_text_array(l, (const char *const *)tp.value, tp.n);
				}
				continue;
			}
			switch (sqlite3_column_type(q, k)) {
			case SQLITE_NULL:
				engine_load_null(l);
				break;
			case SQLITE_INTEGER:
				engine_load_int64(l, sqlite3_column_int64(q, k));
				break;
			case SQLITE_FLOAT:
				engine_load_double(l, sqlite3_column_double(q, k));
				break;
			default:
				engine_load_text(l, (const char *)sqlite3_column_text(q, k),
						 (size_t)sqlite3_column_bytes(q, k));
			}
			k++;
		}
		if (engine_load_row(l, err) != 0)
			goto out;
	}
	if (r != SQLITE_DONE) {
		db_error(scratch, "reading the scratch rows", err);
		goto out;
	}
	ret = engine_load_end(l, err);
	l = NULL;
out:
	engine_load_abort(l);
	sqlite3_finalize(q);
	tag_pairs_free(&tp);
	return ret;
}

static int
ship_periods(struct engine_import *s, sqlite3 *scratch, int64_t id, struct ic_error *err)
{
	sqlite3_stmt *q = db_prepare(scratch,
		"SELECT provider, billing_account_id, billing_period_start, billing_period_end,"
		" currency, rows, billed_cost_nanos, effective_cost_nanos FROM import_periods", err);
	struct engine_load *l = NULL;
	int ret = -1, r;

	if (q == NULL)
		return -1;
	l = begin(s, ET_IMPORT_PERIODS, err);
	if (l == NULL)
		goto out;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		engine_load_int64(l, id);
		engine_load_int64(l, s->batch_id);
		for (int k = 0; k < 8; k++) {
			if (sqlite3_column_type(q, k) == SQLITE_TEXT)
				engine_load_text(l, (const char *)sqlite3_column_text(q, k),
						 (size_t)sqlite3_column_bytes(q, k));
			else
				engine_load_int64(l, sqlite3_column_int64(q, k));
		}
		if (engine_load_row(l, err) != 0)
			goto out;
	}
	if (r != SQLITE_DONE) {
		db_error(scratch, "reading the scratch periods", err);
		goto out;
	}
	ret = engine_load_end(l, err);
	l = NULL;
out:
	engine_load_abort(l);
	sqlite3_finalize(q);
	return ret;
}

/* Periods of the engine's import dup, recorded again under this batch so
 * that it stays live beside the batch's other files (import.c's
 * adopt_duplicate). */
static int
adopt(struct engine_import *s, int64_t dup, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(s->e,
		"SELECT batch_id, provider, billing_account_id, billing_period_start,"
		" billing_period_end, currency, rows, billed_cost_nanos, effective_cost_nanos"
		" FROM import_periods WHERE import_id = ? ORDER BY batch_id DESC", err);
	struct engine_load *l = NULL;
	int64_t first = -1;
	int r, ret = -1;

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, dup);
	if (write_batch(s, err) != 0)
		goto out;
	l = begin(s, ET_IMPORT_PERIODS, err);
	if (l == NULL)
		goto out;
	while ((r = engine_step(st, err)) == 1) {
		if (first < 0)
			first = engine_column_int64(st, 0);
		if (engine_column_int64(st, 0) != first)
			break;	/* older copies of the same periods */
		engine_load_int64(l, dup);
		engine_load_int64(l, s->batch_id);
		for (int k = 1; k < 9; k++) {
			if (k == 1 || k == 2 || k == 5)
				load_text_or_null(l, engine_column_text(st, k));
			else
				engine_load_int64(l, engine_column_int64(st, k));
		}
		if (engine_load_row(l, err) != 0)
			goto out;
	}
	if (r < 0)
		goto out;
	ret = engine_load_end(l, err);
	l = NULL;
	if (ret == 0 && push_id(&s->adopted, &s->nadopted, dup) != 0)
		ret = ic_errorf(err, "out of memory");
out:
	engine_load_abort(l);
	engine_finalize(st);
	return ret;
}

/* Count and mark the engine's live periods that this file restates. */
static int
count_replaced(struct engine_import *s, sqlite3 *scratch, struct ic_error *err)
{
	sqlite3_stmt *q = db_prepare(scratch, "SELECT DISTINCT provider, billing_account_id,"
				     " billing_period_start FROM import_periods", err);
	int n = 0, r;

	if (q == NULL)
		return -1;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(q, 0);
		const char *a = (const char *)sqlite3_column_text(q, 1);
		int64_t start = sqlite3_column_int64(q, 2);

		for (int i = 0; i < s->nlive; i++) {
			struct live *x = &s->live[i];
			if (!x->replaced && x->start == start && strcmp(x->provider, p) == 0 &&
			    strcmp(x->account, a) == 0) {
				x->replaced = 1;
				n++;
			}
		}
	}
	if (r != SQLITE_DONE) {
		db_error(scratch, "reading the scratch periods", err);
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	return n;
}

/* ---- scratch ---- */

struct scratch {
	char dir[4096];
	char path[4200];
	sqlite3 *db;
};

static int
scratch_open(struct scratch *sc, struct ic_error *err)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(sc->dir, sizeof sc->dir, "%s/imcost-scratch-XXXXXX", tmp);
	if (mkdtemp(sc->dir) == NULL)
		return ic_errorf(err, "%s: cannot make a scratch directory: %s", tmp, strerror(errno));
	snprintf(sc->path, sizeof sc->path, "%s/scratch.db", sc->dir);
	sc->db = db_open(sc->path, DB_WRITE, err);
	if (sc->db == NULL) {
		rmdir(sc->dir);
		return -1;
	}
	return 0;
}

static void
scratch_close(struct scratch *sc)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[4300];

	if (sc->db)
		db_close(sc->db);
	sc->db = NULL;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", sc->path, sfx[i]);
		unlink(p);
	}
	rmdir(sc->dir);
}

/* ---- session ---- */

struct engine_import *
engine_import_new(struct engine *e, const struct import_opts *o, int nfiles)
{
	struct engine_import *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->e = e;
	if (o)
		s->opts = *o;
	s->nfiles = nfiles;
	return s;
}

void
engine_import_set_progress(struct engine_import *s, void (*fn)(void *, uint64_t, uint64_t),
			   void *arg)
{
	s->opts.progress = fn;
	s->opts.progress_arg = arg;
}

static int64_t
duplicate_of(const struct engine_import *s, const char *sha)
{
	for (int i = s->nsent - 1; i >= 0; i--)
		if (strcmp(s->sent_sha[i], sha) == 0)
			return s->sent[i];
	for (int i = s->ncur - 1; i >= 0; i--)
		if (strcmp(s->cur[i].sha, sha) == 0)
			return s->cur[i].id;
	return 0;
}

static int
is_sent(const struct engine_import *s, int64_t id)
{
	for (int i = 0; i < s->nsent; i++)
		if (s->sent[i] == id)
			return 1;
	return 0;
}

int
engine_import_file(struct engine_import *s, const char *path, struct import_result *res,
		   struct ic_error *err)
{
	struct scratch sc;
	struct import_session *is = NULL;
	struct import_opts o = s->opts;
	int64_t dup, id;
	int ret = -1, replaced;

	memset(res, 0, sizeof *res);
	if (s->committed)
		return ic_errorf(err, "engine import: session already committed");
	if (load_state(s, err) != 0)
		return -1;
	memset(&sc, 0, sizeof sc);
	if (scratch_open(&sc, err) != 0)
		return -1;
	o.label = NULL;
	is = import_session_new(sc.db, &o, 1);
	if (is == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	if (import_file(is, path, res, err) != 0 || import_session_commit(is, err) != 0)
		goto out;
	if (res->prices) {
		/* price lists live in the local database, whatever the engine
		 * (analyzers/pricebook.h) */
		ic_errorf(err, "%s: a price list (%s) is imported into the local database: imcost"
			  " import FILE without --engine (analyze --engine reads prices from --db)",
			  path, res->format);
		goto out;
	}
	import_session_free(is);
	is = NULL;
	dup = duplicate_of(s, res->sha256);
	if (dup) {
		/* same content is current: change nothing (but keep it in the
		 * batch when the command has several files) */
		res->unchanged = 1;
		res->same_as = dup;
		res->import_id = dup;
		res->replaced = 0;
		if (s->nfiles > 1 && !is_sent(s, dup) && adopt(s, dup, err) != 0)
			goto out;
		ret = 0;
		goto out;
	}
	if (write_batch(s, err) != 0)
		goto out;
	id = ++s->next_import;
	if (push_id(&s->sent, &s->nsent, id) != 0) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	{
		char (*ns)[65] = realloc(s->sent_sha, (size_t)s->nsent * sizeof *ns);
		if (ns == NULL) {
			s->nsent--;
			ic_errorf(err, "out of memory");
			goto out;
		}
		s->sent_sha = ns;
		memcpy(ns[s->nsent - 1], res->sha256, 65);
	}
	if (write_import(s, sc.db, id, path, res, err) != 0 ||
	    ship_rows(s, sc.db, ET_CHARGES, "charges ORDER BY id", id, err) != 0 ||
	    ship_rows(s, sc.db, ET_USAGE, "usage", id, err) != 0 ||
	    ship_periods(s, sc.db, id, err) != 0)
		goto out;
	replaced = count_replaced(s, sc.db, err);
	if (replaced < 0)
		goto out;
	res->replaced = replaced;
	res->import_id = id;
	ret = 0;
out:
	import_session_free(is);
	scratch_close(&sc);
	return ret;
}

int
engine_import_commit(struct engine_import *s, struct ic_error *err)
{
	struct engine_load *l;
	int64_t *gone = NULL;
	int ngone = 0;
	char now[32];

	if (s->committed || s->batch_id == 0) {
		s->committed = 1;
		return 0;
	}
	l = engine_load_begin(s->e, engine_tables[ET_COMMITS].name,
			      (const char *const[]){ "batch_id", "committed_at" }, 2, err);
	if (l == NULL)
		return -1;
	now_iso(now);
	engine_load_int64(l, s->batch_id);
	engine_load_text(l, now, strlen(now));
	if (engine_load_row(l, err) != 0) {
		engine_load_abort(l);
		return -1;
	}
	if (engine_load_end(l, err) != 0)
		return -1;
	s->committed = 1;
	/* imports all of whose live periods this batch restated are hidden
	 * now: delete their rows (best effort, they stay hidden anyway) */
	for (int i = 0; i < s->nlive; i++) {
		int64_t id = s->live[i].import_id;
		int all = 1, seen = 0;
		for (int j = 0; j < s->nlive; j++)
			if (s->live[j].import_id == id)
				all &= s->live[j].replaced;
		for (int j = 0; j < s->nadopted; j++)
			all &= s->adopted[j] != id;
		for (int j = 0; j < ngone; j++)
			seen |= gone[j] == id;
		if (all && !seen && push_id(&gone, &ngone, id) != 0)
			break;
	}
	if (ngone > 0) {
		struct ic_error ignored;
		engine_delete_imports(s->e, gone, ngone, &ignored);
	}
	free(gone);
	return 0;
}

void
engine_import_free(struct engine_import *s)
{
	if (s == NULL)
		return;
	if (!s->committed && s->nsent > 0) {
		struct ic_error ignored;
		engine_delete_imports(s->e, s->sent, s->nsent, &ignored);
	}
	for (int i = 0; i < s->nlive; i++) {
		free(s->live[i].provider);
		free(s->live[i].account);
	}
	free(s->live);
	free(s->cur);
	free(s->sent);
	free(s->sent_sha);
	free(s->adopted);
	free(s);
}
