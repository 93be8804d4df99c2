/*
 * db-check.c - integrity checks of the database (see db.h): the bounded
 * quick check of a read, the full check (or the b-tree page walk above
 * DB_FULL_CHECK_MB) before a write, the per-table check of imcost sql,
 * and PRAGMA integrity_check for imcost check.  Split from db.c.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/db-int.h"

/*
 * The time limit of a bounded check, kept even inside one b-tree: a
 * thread that waits until the deadline and then calls sqlite3_interrupt,
 * which stops the statement running on the connection, even SQLite's
 * count of a whole b-tree or its quick_check of one table (each a single
 * step: the limit used to be checked only between b-trees, so the walk of
 * a 4 GB year's charge_facts, once started, ran to its end).  The checks
 * below take SQLITE_INTERRUPT for "cut at the limit" (bounded_cut).
 */
struct bound {
	sqlite3 *db;
	struct timespec at;	/* CLOCK_MONOTONIC */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int running, done;
};

static void *
bound_main(void *arg)
{
	struct bound *b = arg;
	int r = 0;

	pthread_mutex_lock(&b->mu);
	while (!b->done && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&b->cv, &b->mu, &b->at);
	if (!b->done)
		sqlite3_interrupt(b->db);
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* Start interrupting db's statements at deadline (CLOCK_MONOTONIC seconds;
 * none when <= 0).  Without a thread the limit is kept between b-trees
 * only, as the callers also check it there. */
static void
bound_start(struct bound *b, sqlite3 *db, double deadline)
{
	pthread_condattr_t ca;

	memset(b, 0, sizeof *b);
	if (deadline <= 0)
		return;
	b->db = db;
	b->at.tv_sec = (time_t)deadline;
	b->at.tv_nsec = (long)((deadline - (double)b->at.tv_sec) * 1e9);
	if (pthread_condattr_init(&ca) != 0)
		return;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&b->cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return;
	}
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&b->mu, NULL);
	if (pthread_create(&b->thread, NULL, bound_main, b) != 0) {
		pthread_mutex_destroy(&b->mu);
		pthread_cond_destroy(&b->cv);
		return;
	}
	b->running = 1;
}

/* Stop the thread: no interrupt after this returns. */
static void
bound_stop(struct bound *b)
{
	if (!b->running)
		return;
	pthread_mutex_lock(&b->mu);
	b->done = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->thread, NULL);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	b->running = 0;
}

/* Did the last statement on db stop at a bound's interrupt? */
static int
bounded_cut(sqlite3 *db)
{
	return (sqlite3_extended_errcode(db) & 0xff) == SQLITE_INTERRUPT;
}

/* Is rc (an extended result code) SQLite's word for a damaged file? */
int
is_corrupt(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT;
}

void
damaged(const char *path, const char *problem, struct ic_error *err)
{
	char q[IC_QUOTE_SIZE];

	ic_errorf(err, "%s: DB is damaged: %s; restore it or re-import into a new database"
		  " (nothing was changed; imcost check lists the problems)", path,
		  ic_quote(problem, strlen(problem), 160, q));
}

/* Set by the last db_open's quick check (db_quick_check_cut; db-int.h). */
int quick_check_cut;
static double quick_check_limit;

int
db_quick_check_cut(double *seconds)
{
	if (seconds)
		*seconds = quick_check_limit;
	return quick_check_cut;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
db_integrity(sqlite3 *db, int full, const char *table, int max,
	     void (*problem)(void *arg, const char *text), void *arg, struct ic_error *err)
{
	sqlite3_stmt *st;
	char *sql;
	int r, found = 0;

	if (table)
		sql = sqlite3_mprintf("PRAGMA %s(\"%w\")", full ? "integrity_check" : "quick_check",
				      table);
	else
		sql = sqlite3_mprintf("PRAGMA %s(%d)", full ? "integrity_check" : "quick_check",
				      max > 0 ? max : 1);
	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	r = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (r != SQLITE_OK) {
		int ext = sqlite3_extended_errcode(db);

		if (is_corrupt(ext) || (ext & 0xff) == SQLITE_NOTADB) {
			if (problem)
				problem(arg, sqlite3_errmsg(db));
			return 1;
		}
		return db_error(db, "checking the database", err);
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t && strcmp(t, "ok") == 0)
			continue;
		/* "*** in database main ***\n" heads the first problem */
		if (t && strncmp(t, "*** in database ", 16) == 0 && strchr(t, '\n'))
			t = strchr(t, '\n') + 1;
		found = 1;
		if (problem)
			problem(arg, t ? t : "(no text)");
	}
	if (r != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(db);

		if (is_corrupt(ext) || (ext & 0xff) == SQLITE_NOTADB) {
			if (problem)
				problem(arg, sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return 1;
		}
		if (bounded_cut(db)) {
			sqlite3_finalize(st);
			return found ? 1 : 2;	/* what it found before the limit stands */
		}
		db_error(db, "checking the database", err);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Keep the first problem the check reports (arg: a char[256]). */
static void
first_problem(void *arg, const char *text)
{
	char *first = arg;

	if (first[0] == '\0')
		snprintf(first, 256, "%s", text);
}

/* The time limit of a quick check: DB_QUICK_CHECK_SECONDS or
 * $IMCOST_QUICK_CHECK_SECONDS. */
static double
quick_limit(void)
{
	const char *env = getenv("IMCOST_QUICK_CHECK_SECONDS");

	if (env && *env) {
		char *end;
		double v = strtod(env, &end);

		if (*end == '\0' && v >= 0 && v < 1e6)
			return v;
	}
	return DB_QUICK_CHECK_SECONDS;
}

static int walk_btrees(sqlite3 *db, double deadline, const char *only, char *first,
		       struct ic_error *err);
static sqlite3_int64 db_bytes(sqlite3 *db);
static sqlite3_int64 full_check_bytes(void);

int
db_check_tables(sqlite3 *db, const char *path, const char *const *tables, int n,
		struct ic_error *err)
{
	char first[256] = "";
	double deadline;
	int r = 0, walk;

	struct bound b;

	quick_check_cut = 0;
	quick_check_limit = quick_limit();
	deadline = now_seconds() + quick_check_limit;
	/* above DB_FULL_CHECK_MB the page walk, as db_open's check */
	walk = n > 0 && db_bytes(db) > full_check_bytes();
	bound_start(&b, db, walk || n == 0 ? 0 : deadline);	/* the walk keeps its own */
	for (int i = 0; i < n && r == 0 && !quick_check_cut; i++) {
		if (now_seconds() > deadline) {
			quick_check_cut = 1;
			break;
		}
		if (walk)
			r = walk_btrees(db, deadline, tables[i], first, err);
		else if ((r = db_integrity(db, 0, tables[i], 1, first_problem, first, err)) == 2)
			r = 0, quick_check_cut = 1;
	}
	bound_stop(&b);
	if (r < 0)
		return -1;
	if (r == 1) {
		damaged(path, first, err);
		return -1;
	}
	return 0;
}

/* The row count of table tbl (NOT INDEXED: SQLite's count walks every page
 * of its b-tree) or of its index idx (stepping through every entry):
 * each page loaded, its header and, with cell_size_check, its cell layout
 * checked, no record decoded.  Returns 0 with *n set, 1 when
 * SQLite found the b-tree damaged (its message into first), 2 when a
 * bound's interrupt stopped it, -1 with err. */
static int
count_btree(sqlite3 *db, const char *tbl, const char *idx, sqlite3_int64 *n, char *first,
	    struct ic_error *err)
{
	sqlite3_stmt *st = NULL;
	char *sql;
	int rc;

	if (idx)
		/* count(1): SQLite 3.40 answers count(*) from the smallest
		 * index whatever INDEXED BY names; count(1) steps through this
		 * one's entries (not decoding them) */
		sql = sqlite3_mprintf("SELECT count(1) FROM main.\"%w\" INDEXED BY \"%w\"", tbl, idx);
	else
		sql = sqlite3_mprintf("SELECT count(*) FROM main.\"%w\" NOT INDEXED", tbl);
	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 0;
	}
	if (bounded_cut(db)) {
		sqlite3_finalize(st);
		return 2;
	}
	sqlite3_finalize(st);
	if (is_corrupt(sqlite3_extended_errcode(db)) ||
	    (sqlite3_extended_errcode(db) & 0xff) == SQLITE_NOTADB) {
		snprintf(first, 256, "%s%s%s", idx ? "index " : "table ", idx ? idx : tbl,
			 ": database disk image is malformed");
		return 1;
	}
	return db_error(db, "checking the database", err);
}

/*
 * The page walk: every b-tree of main (each table and each index but
 * partial ones) counted by SQLite's count(*) with PRAGMA cell_size_check
 * on, so that every b-tree page is read and its header, cell pointers and
 * cell sizes are checked, and each index must hold as many entries as its
 * table.  What it does not check (PRAGMA quick_check does): the order of
 * keys, record formats, overflow chains and the free list; nor
 * (integrity_check) that each index entry matches its row.  About 10
 * times cheaper than quick_check: 0.1 s of CPU for a 300 MB database.
 * The small tables first, the fact tables last; with deadline > 0 (a
 * CLOCK_MONOTONIC time) the walk stops there, inside a b-tree too
 * (struct bound; quick_check_cut set); only not NULL: that table and its
 * indexes alone.  Returns 0, 1 with first set (a damaged b-tree), or -1
 * with err.
 */
static int
walk_btrees(sqlite3 *db, double deadline, const char *only, char *first, struct ic_error *err)
{
	sqlite3_stmt *st;
	char tbl[256] = "";
	sqlite3_int64 tcount = 0, n;
	struct bound b;
	int r = 0, rc;

	if (db_exec(db, "PRAGMA cell_size_check=ON", "checking the database", err) != 0)
		return -1;
	/* each table before its indexes */
	st = db_prepare(db, "SELECT type, name, tbl_name FROM main.sqlite_master"
			" WHERE type IN ('table', 'index') AND rootpage > 0"
			" AND (type = 'table' OR sql IS NULL OR sql NOT LIKE '% WHERE %')"
			" AND (?1 IS NULL OR tbl_name = ?1)"
			" ORDER BY tbl_name IN ('charge_facts', 'charge_dims', 'usage', 'prices', 'resources',"
			" 'tag_sets', 'dim_tags'),"
			" tbl_name, type = 'index', name", err);
	if (st == NULL) {
		if (!is_corrupt(sqlite3_extended_errcode(db)))
			return -1;
		snprintf(first, 256, "%s", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
	bound_start(&b, db, deadline);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *t = (const char *)sqlite3_column_text(st, 2);

		if (type == NULL || name == NULL || t == NULL)
			continue;
		if (deadline > 0 && now_seconds() > deadline) {
			quick_check_cut = 1;
			rc = SQLITE_DONE;
			break;
		}
		if (strcmp(type, "table") == 0) {
			snprintf(tbl, sizeof tbl, "%s", t);
			r = count_btree(db, t, NULL, &tcount, first, err);
		} else {
			r = count_btree(db, t, name, &n, first, err);
			if (r == 0 && strcmp(tbl, t) == 0 && n != tcount) {
				snprintf(first, 256, "wrong # of entries in index %s (%lld, table %lld)",
					 name, (long long)n, (long long)tcount);
				r = 1;
			}
		}
		if (r == 2) {	/* the limit passed inside this b-tree */
			r = 0;
			quick_check_cut = 1;
			rc = SQLITE_DONE;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE && bounded_cut(db)) {
		quick_check_cut = 1;
		rc = SQLITE_DONE;
	}
	if (r == 0 && rc != SQLITE_DONE) {
		if (is_corrupt(sqlite3_extended_errcode(db))) {
			snprintf(first, 256, "%s", sqlite3_errmsg(db));
			r = 1;
		} else {
			r = db_error(db, "checking the database", err);
		}
	}
	sqlite3_finalize(st);
	bound_stop(&b);
	/* the statements that follow do not pay for it (db_open turns it on
	 * again for a write) */
	(void)sqlite3_exec(db, "PRAGMA cell_size_check=OFF", NULL, NULL, NULL);
	return r;
}

/* The size of main in bytes (page_count x page_size; 0 when unknown). */
static sqlite3_int64
db_bytes(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;

	if (sqlite3_prepare_v2(db, "SELECT page_count * page_size FROM pragma_page_count,"
			       " pragma_page_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Up to which size a write runs the full integrity_check of everything:
 * DB_FULL_CHECK_MB MiB, or $IMCOST_FULL_CHECK_MB. */
static sqlite3_int64
full_check_bytes(void)
{
	const char *env = getenv("IMCOST_FULL_CHECK_MB");

	if (env && *env) {
		char *end;
		double v = strtod(env, &end);

		if (*end == '\0' && v >= 0 && v < 1e9)
			return (sqlite3_int64)(v * 1048576.0);
	}
	return (sqlite3_int64)DB_FULL_CHECK_MB * 1048576;
}

/*
 * The check of db_open.  Before writing: the full integrity_check of a
 * database up to DB_FULL_CHECK_MB; of a larger one, the page walk
 * (walk_btrees: every b-tree page read and checked, every index's entry
 * count against its table's) and the full check of the tables an import
 * decides from, so that the check costs a small fraction of the import
 * instead of growing with the history (issue 23: 2.4 s of CPU on a 300 MB
 * year, more than the month's import).  For reading a database above
 * DB_FULL_CHECK_MB: the page walk, starting no b-tree after
 * DB_QUICK_CHECK_SECONDS (0.7 s of CPU for the quick check of a 333 MB
 * year was more than the analyses it guarded).  For reading a smaller
 * one: PRAGMA quick_check table by table (the b-tree pages, cells and
 * indexes of each; not the free list), the small tables the commands
 * read (imports, rollups...) first and the fact tables last, starting
 * none once DB_QUICK_CHECK_SECONDS have passed (SQLite 3.40 cannot
 * interrupt one check, so the limit is per table: a 1M-charge table takes
 * 0.2 s).  Returns 0 when nothing was found, -1 with err set.
 */
int
check_on_open(sqlite3 *db, const char *path, int full, struct ic_error *err)
{
	char first[256] = "";
	double limit = quick_limit(), deadline;
	sqlite3_stmt *st;
	int r = 0, rc;

	if (full && db_bytes(db) <= full_check_bytes()) {
		r = db_integrity(db, 1, NULL, 1, first_problem, first, err);
	} else if (full) {
		/* a larger file: the page walk, then the full check of the
		 * tables an import decides from (what it replaces, forgets) */
		r = walk_btrees(db, 0, NULL, first, err);
		st = r ? NULL : db_prepare(db, "SELECT name FROM main.sqlite_master WHERE type = 'table'"
					   " AND name IN ('imports', 'import_periods', 'replaced_charges')",
					   err);
		if (r == 0 && st == NULL)
			r = -1;
		while (r == 0 && st && sqlite3_step(st) == SQLITE_ROW)
			r = db_integrity(db, 1, (const char *)sqlite3_column_text(st, 0), 1,
					 first_problem, first, err);
		sqlite3_finalize(st);
	} else if (db_bytes(db) > full_check_bytes()) {
		/* a large file: the page walk, bounded like the quick check */
		quick_check_limit = limit;
		r = walk_btrees(db, now_seconds() + limit, NULL, first, err);
	} else {
		struct bound b;

		quick_check_limit = limit;
		deadline = now_seconds() + limit;
		st = db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY"
				" name IN ('charge_facts', 'charge_dims', 'usage', 'prices', 'resources',"
				" 'tag_sets', 'dim_tags'), rowid", err);
		if (st == NULL) {
			int ext = sqlite3_extended_errcode(db);

			if (!is_corrupt(ext))
				return -1;
			snprintf(first, sizeof first, "%s", sqlite3_errmsg(db));
			r = 1;
		}
		bound_start(&b, db, st ? deadline : 0);
		while (r == 0 && st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (now_seconds() > deadline) {
				quick_check_cut = 1;
				break;
			}
			r = db_integrity(db, 0, (const char *)sqlite3_column_text(st, 0), 1,
					 first_problem, first, err);
			if (r == 2) {	/* the limit passed inside this table's check */
				r = 0;
				quick_check_cut = 1;
				break;
			}
		}
		if (r == 0 && st && !quick_check_cut && rc != SQLITE_DONE && bounded_cut(db))
			quick_check_cut = 1;
		if (r == 0 && st && !quick_check_cut && rc != SQLITE_DONE) {
			if (is_corrupt(sqlite3_extended_errcode(db))) {
				snprintf(first, sizeof first, "%s", sqlite3_errmsg(db));
				r = 1;
			} else {
				r = db_error(db, "checking the database", err);
			}
		}
		sqlite3_finalize(st);
		bound_stop(&b);
	}
	if (r < 0)
		return -1;
	if (r == 1) {
		damaged(path, first, err);
		return -1;
	}
	return 0;
}

/*
 * The check of a DB_READ_BG or DB_WRITE_BG open, in a thread of its own
 * on a second connection, so that it costs a command the longer of the
 * check and the command's own work instead of their sum (on a 4 GB year
 * the quick check of a read takes its whole 0.5 s limit, the page walk
 * before a write 1.6 s).  One per main connection; a process has one or
 * two open, so a short list does.
 */
struct bg_check {
	sqlite3 *db;		/* the main connection; NULL: free slot */
	sqlite3 *chk;		/* the check's connection, owned */
	char *path;
	pthread_t thread;
	int full, joined, rc;
	struct ic_error err;
};

static struct bg_check bg_checks[4];
static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
/* the first damage a background check found (db_check_damage) */
static struct ic_error bg_damage;
static int bg_damaged;

/* Join b's thread once and keep its verdict. */
static void
bg_join(struct bg_check *b)
{
	if (b->joined)
		return;
	pthread_join(b->thread, NULL);
	b->joined = 1;
	if (b->rc != 0 && !bg_damaged) {
		bg_damage = b->err;
		bg_damaged = 1;
	}
}

int
db_check_damage(struct ic_error *err)
{
	if (bg_damaged)
		*err = bg_damage;
	return bg_damaged;
}

static void *
bg_main(void *arg)
{
	struct bg_check *b = arg;

	b->rc = check_on_open(b->chk, b->path, b->full, &b->err);
	sqlite3_close(b->chk);
	b->chk = NULL;
	return NULL;
}

int
check_is_walk(sqlite3 *db)
{
	return db_bytes(db) > full_check_bytes();
}

int
check_in_background(sqlite3 *db, sqlite3 *chk, const char *path, int full, struct ic_error *err)
{
	struct bg_check *b = NULL;

	pthread_mutex_lock(&bg_mu);
	for (size_t i = 0; i < sizeof bg_checks / sizeof bg_checks[0] && b == NULL; i++)
		if (bg_checks[i].db == NULL)
			b = &bg_checks[i];
	if (b)
		b->db = db;
	pthread_mutex_unlock(&bg_mu);
	if (b == NULL) {
		/* more connections than slots: check here and now */
		int r = check_on_open(chk, path, full, err);

		sqlite3_close(chk);
		return r;
	}
	b->chk = chk;
	b->full = full;
	b->joined = b->rc = 0;
	memset(&b->err, 0, sizeof b->err);
	if ((b->path = strdup(path)) == NULL ||
	    pthread_create(&b->thread, NULL, bg_main, b) != 0) {
		free(b->path);
		b->path = NULL;
		sqlite3_close(chk);
		b->chk = NULL;
		pthread_mutex_lock(&bg_mu);
		b->db = NULL;
		pthread_mutex_unlock(&bg_mu);
		return ic_errorf(err, "%s: cannot start the integrity check: out of resources", path);
	}
	return 0;
}

/* db's slot, or NULL */
static struct bg_check *
bg_find(sqlite3 *db)
{
	struct bg_check *b = NULL;

	pthread_mutex_lock(&bg_mu);
	for (size_t i = 0; i < sizeof bg_checks / sizeof bg_checks[0] && b == NULL; i++)
		if (db != NULL && bg_checks[i].db == db)
			b = &bg_checks[i];
	pthread_mutex_unlock(&bg_mu);
	return b;
}

int
db_check_wait(sqlite3 *db, struct ic_error *err)
{
	struct bg_check *b = bg_find(db);

	if (b == NULL)
		return 0;
	bg_join(b);
	if (b->rc != 0) {
		*err = b->err;
		return -1;
	}
	return 0;
}

void
check_background_forget(sqlite3 *db)
{
	struct bg_check *b = bg_find(db);

	if (b == NULL)
		return;
	bg_join(b);
	free(b->path);
	b->path = NULL;
	pthread_mutex_lock(&bg_mu);
	b->db = NULL;
	pthread_mutex_unlock(&bg_mu);
}
