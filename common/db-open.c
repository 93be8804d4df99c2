/*
 * db-open.c - opening and closing the database (see db.h): the real cause
 * when a file cannot be opened, refusing another application's SQLite
 * file, read-only opens (immutable=1, a hot journal rolled back), the
 * journal mode of a bulk load, and the default path.  The schema and its
 * migrations are in db.c, the integrity checks in db-check.c.  Split from
 * db.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/db-int.h"

/* The directory of path ("." for a bare name) into dir[n]. */
static void
dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/*
 * Why path cannot be opened as a database (mode: DB_WRITE needs to
 * create or write it): a directory, not a regular file, no permission.
 * Returns -1 with err set when a cause was found, 0 when none was.
 */
static int
file_cause(const char *path, enum db_mode mode, struct ic_error *err)
{
	struct stat sb;
	char dir[4200];

	if (strcmp(path, ":memory:") == 0)
		return 0;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return ic_errorf(err, "%s: is a directory, not a database file (pass --db with"
					 " a file name)", path);
		if (!S_ISREG(sb.st_mode))
			return ic_errorf(err, "%s: not a regular file (a database is a plain file)",
					 path);
		if (access(path, R_OK) != 0)
			return ic_errorf(err, "%s: cannot read the database: %s", path,
					 strerror(errno));
		if (mode == DB_WRITE && access(path, W_OK) != 0)
			return ic_errorf(err, "%s: cannot write the database (%s): importing needs"
					 " write access to the file and its directory", path,
					 strerror(errno));
	} else if (errno != ENOENT) {
		return ic_errorf(err, "%s: cannot open the database: %s", path, strerror(errno));
	} else if (mode != DB_WRITE) {
		return ic_errorf(err, "%s: no database here yet (import a bill first, or pass --db)",
				 path);
	}
	if (mode != DB_WRITE)
		return 0;
	dir_of(path, dir, sizeof dir);
	if (stat(dir, &sb) != 0)
		return ic_errorf(err, "%s: cannot create the database: %s: %s", path, dir,
				 strerror(errno));
	if (access(dir, W_OK | X_OK) != 0)
		return ic_errorf(err, "%s: cannot write in directory %s (%s): importing needs it for"
				 " the database's journal", path, dir, strerror(errno));
	return 0;
}

/*
 * path as an SQLite URI with immutable=1 (file:...?immutable=1), its
 * characters that a URI gives meaning to percent-encoded.  Returns a
 * string to sqlite3_free, or NULL when out of memory.
 */
static char *
immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *u = sqlite3_malloc64(n * 3 + 32), *o;

	if (u == NULL)
		return NULL;
	o = u + sprintf(u, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
			o += sprintf(o, "%%%02X", *p);
		else
			*o++ = (char)*p;
	}
	strcpy(o, "?immutable=1");
	return u;
}

/*
 * A reader that cannot create the WAL index (-shm) next to the database:
 * a WAL database in a directory it may not write (a read-only volume, an
 * archive, another user's folder).  SQLite's immutable mode reads the
 * file without the -shm and without locks; that is only right when
 * nobody writes it meanwhile and no WAL holds committed pages, so it is
 * used only when the directory is not writable (no imcost can be
 * importing there: an import needs the directory for its journal) and
 * there is no non-empty -wal or -journal file.
 */
static int
may_open_immutable(const char *path)
{
	char name[4200], dir[4200];
	struct stat sb;

	if ((size_t)snprintf(name, sizeof name, "%s-wal", path) >= sizeof name)
		return 0;
	if (stat(name, &sb) == 0 && sb.st_size > 0)
		return 0;
	/* a hot rollback journal (a first import killed) must be rolled
	 * back, which immutable mode would not do */
	snprintf(name, sizeof name, "%s-journal", path);
	if (stat(name, &sb) == 0 && sb.st_size > 0)
		return 0;
	dir_of(path, dir, sizeof dir);
	return access(dir, W_OK) != 0;
}

/*
 * An open failed (rc, the extended code of its first read):
 * set err to the real cause.
 */
static void
read_failure(sqlite3 *db, const char *path, int rc, struct ic_error *err)
{
	if (is_corrupt(rc))
		damaged(path, sqlite3_errmsg(db), err);
	else if ((rc & 0xff) == SQLITE_NOTADB)
		ic_errorf(err, "%s: not an imcost database (not an SQLite file, or its header is"
			  " damaged: %s)", path, sqlite3_errmsg(db));
	else if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)
		ic_errorf(err, "%s: cannot read the database: %s (SQLite needs to create %s-shm"
			  " next to a WAL database, or, in a read-only directory, no -wal file with"
			  " content)", path, sqlite3_errmsg(db), path);
	else
		ic_errorf(err, "%s: cannot read the database: %s", path, sqlite3_errmsg(db));
}

/*
 * Is db (opened for writing, nothing changed yet) an imcost database or a
 * new, empty one?  Another application's SQLite file is refused: one
 * whose application_id is not imcost's, one with user_version 0 that
 * holds any schema object, one with a user_version but no imcost tables.
 * Returns 0, or -1 with err set.
 */
static int
check_ours(sqlite3 *db, const char *path, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT (SELECT application_id FROM pragma_application_id),"
		" (SELECT user_version FROM pragma_user_version),"
		" (SELECT COUNT(*) FROM sqlite_master),"
		" (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
		"   AND name IN ('batches', 'imports', 'import_periods'))", err);
	int64_t app, v, objects, ours;

	if (st == NULL) {
		int rc = sqlite3_extended_errcode(db);

		if (is_corrupt(rc) || (rc & 0xff) == SQLITE_NOTADB)
			read_failure(db, path, rc, err);
		return -1;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (is_corrupt(sqlite3_extended_errcode(db))) {
			damaged(path, sqlite3_errmsg(db), err);
			return -1;
		}
		return ic_errorf(err, "%s: not an imcost database (%s)", path, sqlite3_errmsg(db));
	}
	app = sqlite3_column_int64(st, 0);
	v = sqlite3_column_int64(st, 1);
	objects = sqlite3_column_int64(st, 2);
	ours = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	if ((app != 0 && app != DB_APPLICATION_ID) || (v == 0 && objects > 0) ||
	    (v > 0 && ours != 3))
		return ic_errorf(err, "%s: not an imcost database (another application's SQLite file:"
				 " application_id %lld, user_version %lld, %lld schema objects);"
				 " nothing was changed, pass --db with a new file",
				 path, (long long)app, (long long)v, (long long)objects);
	return 0;
}

void
db_remove_files(const char *path)
{
	static const char *const tail[] = { "", "-wal", "-shm", "-journal" };
	char name[4200];

	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
		if ((size_t)snprintf(name, sizeof name, "%s%s", path, tail[i]) < sizeof name)
			(void)unlink(name);
	}
}

/*
 * A first import killed mid-way leaves a hot rollback journal
 * (db_bulk_journal), which a read-only connection cannot roll back.
 * Open path for writing once, read it (SQLite rolls the journal back) and
 * close.  Returns 0 when that worked.
 */
static int
roll_back_journal(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 30000);
		rc = sqlite3_exec(db, "PRAGMA user_version", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static int journal_mode(sqlite3 *db, const char *pragma);

/* Open a second connection to path with flags (read-only; immutable as
 * db was opened) and start the check of db_open on it in the background:
 * the quick check of a read (DB_READ_BG), the check before a write
 * (DB_WRITE_BG, full).  Returns 0, or -1 with err set. */
/* A second connection to path with flags (SQLITE_OPEN_URI added when
 * immutable), as db_open sets up its own; NULL with err set. */
static sqlite3 *
open_second(const char *path, int flags, int immutable, struct ic_error *err)
{
	sqlite3 *db = NULL;
	char *uri = immutable ? immutable_uri(path) : NULL;
	int rc;

	if (immutable && uri == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(uri ? uri : path, &db, flags | (uri ? SQLITE_OPEN_URI : 0), NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK) {
		ic_errorf(err, "%s: cannot open database: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 30000);
	sqlite3_extended_result_codes(db, 1);
	return db;
}

static int
check_beside(sqlite3 *db, const char *path, int flags, int immutable, int full,
	     struct ic_error *err)
{
	sqlite3 *chk = open_second(path, flags, immutable, err);

	if (chk == NULL)
		return -1;
	return check_in_background(db, chk, path, full, err);
}

sqlite3 *
db_open(const char *path, enum db_mode mode, struct ic_error *err)
{
	sqlite3 *db = NULL;
	char *uri = NULL;
	int flags, v, rc, rolled_back = 0, immutable = 0, bg = 0;

	quick_check_cut = 0;
	if (mode == DB_READ_BG || mode == DB_WRITE_BG) {
		bg = 1;
		mode = mode == DB_READ_BG ? DB_READ : DB_WRITE;
	}
	if (file_cause(path, mode, err) != 0)
		return NULL;
again:

	/* SQLite's allocation statistics take a global mutex on every
	 * malloc and free; imcost never reads them.  Only possible before
	 * SQLite initializes, i.e. at the first open (later calls fail
	 * harmlessly). */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (mode != DB_WRITE)
		flags = SQLITE_OPEN_READONLY;
	else
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* One thread at a time uses a connection (the import's writer thread
	 * takes it over and hands it back), so SQLite's own per-call mutex is
	 * not needed: it cost 6% of an import. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (immutable) {
		uri = immutable_uri(path);
		if (uri == NULL) {
			ic_errorf(err, "out of memory");
			return NULL;
		}
		flags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(uri ? uri : path, &db, flags, NULL);
	sqlite3_free(uri);
	uri = NULL;
	if (rc != SQLITE_OK) {
		ic_errorf(err, "%s: cannot open database: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 30000);
	sqlite3_extended_result_codes(db, 1);
	if (mode == DB_WRITE) {
		/* nothing is changed, not even the journal mode, in a database
		 * of another application, nor in a damaged one */
		if (check_ours(db, path, err) != 0)
			goto fail;
		if (user_version(db, &v, err) != 0)
			goto fail;
		if (v > DB_SCHEMA_VERSION) {
			newer_schema(path, v, err);
			goto fail;
		}
		/* a large current WAL file is checked beside the write
		 * (DB_WRITE_BG): nothing below writes to it before the caller's
		 * COMMIT, which waits for the verdict */
		bg = bg && v == DB_SCHEMA_VERSION && check_is_walk(db) &&
		     journal_mode(db, "PRAGMA journal_mode") == 'w';
		if (!bg && check_on_open(db, path, 1, err) != 0)
			goto fail;
		/* every page the write then loads gets its cells checked too */
		if (db_exec(db, "PRAGMA cell_size_check=ON", path, err) != 0)
			goto fail;
		/* WAL: readers go on while an import writes, and a killed import
		 * leaves the last committed state.  synchronous=NORMAL keeps WAL
		 * safe against process crashes. */
		if (db_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			    path, err) != 0)
			goto fail;
		if (db_register_functions(db, err) != 0 || migrate(db, path, err) != 0)
			goto fail;
		if (bg && check_beside(db, path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, 0, 1,
				       err) != 0)
			goto fail;
	} else {
		if (user_version(db, &v, err) != 0) {
			rc = sqlite3_extended_errcode(db);
			if (rc == SQLITE_READONLY_ROLLBACK && !rolled_back &&
			    roll_back_journal(path) == 0) {
				sqlite3_close(db);
				db = NULL;
				rolled_back = 1;
				goto again;
			}
			if (((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) &&
			    !immutable && may_open_immutable(path)) {
				sqlite3_close(db);
				db = NULL;
				immutable = 1;
				goto again;
			}
			read_failure(db, path, rc, err);
			goto fail;
		}
		if (v > DB_SCHEMA_VERSION) {
			newer_schema(path, v, err);
			goto fail;
		}
		if (v != DB_SCHEMA_VERSION && mode != DB_CHECK) {
			ic_errorf(err, "%s: schema version %d, this imcost needs %d (run any import to upgrade)",
				  path, v, DB_SCHEMA_VERSION);
			goto fail;
		}
		if (mode == DB_READ && (bg ? check_beside(db, path, flags, immutable, 0, err) :
					check_on_open(db, path, 0, err)) != 0)
			goto fail;
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

/* The journal mode after running pragma (a PRAGMA journal_mode=...):
 * 'w' for wal, 'd' for delete, 0 when it could not be read. */
static int
journal_mode(sqlite3 *db, const char *pragma)
{
	sqlite3_stmt *st = NULL;
	int mode = 0;

	if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);
		if (m)
			mode = m[0];
	}
	sqlite3_finalize(st);
	return mode;
}

int
db_bulk_journal(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int empty = 0;

	if (!sqlite3_get_autocommit(db))
		return 0;	/* inside a transaction: the mode cannot change */
	if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS(SELECT 1 FROM imports)", -1, &st,
			       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!empty)
		return 0;
	/* fails (and stays "wal") when another connection has the file open */
	return journal_mode(db, "PRAGMA journal_mode=DELETE") == 'd';
}

void
db_wal_journal(sqlite3 *db)
{
	if (sqlite3_get_autocommit(db))
		(void)journal_mode(db, "PRAGMA journal_mode=WAL");
}

sqlite3 *
db_open_peer(sqlite3 *db, struct ic_error *err)
{
	const char *path = sqlite3_db_filename(db, "main");

	if (path == NULL || *path == '\0') {
		ic_errorf(err, "a second connection needs a database file");
		return NULL;
	}
	return open_second(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			   sqlite3_uri_boolean(path, "immutable", 0), err);
}

void
db_close(sqlite3 *db)
{
	check_background_forget(db);
	sqlite3_close(db);
}

const char *
db_default_path(const char *flag)
{
	const char *env;

	if (flag && *flag)
		return flag;
	env = getenv("IMCOST_DB");
	if (env && *env)
		return env;
	return "imcost.db";
}
