/*
 * engine-postgresql.c - the PostgreSQL dialect of the engine layer,
 * through psql (tested with 15).
 *
 * Queries go to psql's stdin as COPY (query) TO STDOUT WITH (FORMAT csv):
 * unlike psql's own --csv output, COPY tells NULL (an empty unquoted
 * field) from the empty string ("").  Text parameters are psql variables:
 * -v pN=VALUE on the command line and :'pN' in the query, which psql
 * quotes as a literal itself.  psql runs with -X (no ~/.psqlrc), -w (never
 * prompt for a password: use ~/.pgpass or PGPASSWORD) and ON_ERROR_STOP.
 *
 * Bulk loads are COPY table FROM STDIN in the text format (tab-separated,
 * backslash escapes, \N for NULL), given with -c so that stdin holds only
 * data.  Not CSV: psql ends copy data at a line "\." even inside a quoted
 * CSV field, which a multi-line text value could contain; in the text
 * format every backslash is escaped and no row spans lines.
 *
 * Schema: plain tables (the data tables indexed by billing period and
 * import), text columns COLLATE "C" so ORDER BY and MIN/MAX compare bytes
 * as SQLite does, whatever the database's locale; the charges and usage
 * views show what committed imports wrote (see importers/engine-import.h).
 * Imports could use real transactions here, but share ClickHouse's
 * commit-record scheme so that both engines behave the same.
 *
 * Spellings: $idiv is div() (truncates toward zero for bigint and for the
 * numeric that SUM(bigint) returns); $int is CAST(trunc(x) AS BIGINT)
 * (a bare cast rounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/engine-int.h"
#include "common/rollup.h"

static int
pg_macro(struct sbuf *out, const char *name, const char *const *a, int n)
{
	if (strcmp(name, "idiv") == 0 && n == 2) {
		sbuf_printf(out, "CAST(div((%s), (%s)) AS BIGINT)", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "like_ci") == 0 && n == 2) {
		sbuf_printf(out, "(lower(%s) LIKE %s)", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "int") == 0 && n == 1) {
		sbuf_printf(out, "CAST(trunc(%s) AS BIGINT)", a[0]);
		return 0;
	}
	if (strcmp(name, "month_start") == 0 && n == 1) {
		sbuf_printf(out, "CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(%s)"
			    " AT TIME ZONE 'UTC')) AS BIGINT)", a[0]);
		return 0;
	}
	if (n == 1 && (strcmp(name, "min") == 0 || strcmp(name, "max") == 0 ||
		       strcmp(name, "sum") == 0 || strcmp(name, "avg") == 0)) {
		sbuf_printf(out, "%s(%s)", strcmp(name, "min") == 0 ? "MIN" :
			    strcmp(name, "max") == 0 ? "MAX" : strcmp(name, "sum") == 0 ? "SUM" : "AVG",
			    a[0]);
		return 0;
	}
	if (strcmp(name, "str") == 0 && n == 1 && engine_hex_arg(a[0])) {
		sbuf_printf(out, "convert_from(decode('%s', 'hex'), 'UTF8')", a[0]);
		return 0;
	}
	if (strcmp(name, "tag") == 0 && n == 1 && engine_hex_arg(a[0])) {
		sbuf_printf(out, "(TagValues[array_position(TagKeys,"
			    " convert_from(decode('%s', 'hex'), 'UTF8'))])", a[0]);
		return 0;
	}
	if (strcmp(name, "unnest") == 0 && n == 1) {
		sbuf_printf(out, "unnest(%s)", a[0]);
		return 0;
	}
	return -1;
}

static void
pg_conn_argv(const struct engine *e, const struct engine_server *s, struct argv *a)
{
	const char *host = s ? s->host : e->url.host;
	int port = s ? s->port : e->url.port;

	argv_add(a, "-X");
	argv_add(a, "-q");
	argv_add(a, "-w");
	argv_add(a, "-v");
	argv_add(a, "ON_ERROR_STOP=1");
	argv_add(a, "-h");
	argv_add(a, host);
	if (port) {
		argv_add(a, "-p");
		argv_addf(a, "%d", port);
	}
	if (e->url.user[0]) {
		argv_add(a, "-U");
		argv_add(a, e->url.user);
	}
	argv_add(a, "-d");
	argv_add(a, e->url.db);
}

static void
pg_param_ref(struct sbuf *out, int k)
{
	sbuf_printf(out, ":'p%d'", k);
}

static void
pg_param_argv(struct argv *a, int k, const char *value)
{
	argv_add(a, "-v");
	argv_addf(a, "p%d=%s", k, value);
}

static void
pg_query_input(struct sbuf *out, const char *sql, int select)
{
	if (select)
		sbuf_printf(out, "COPY (%s) TO STDOUT WITH (FORMAT csv);\n", sql);
	else
		sbuf_printf(out, "%s;\n", sql);
}

static void
pg_load_argv(struct argv *a, const char *table, const char *const *cols, int ncols)
{
	struct sbuf q = { 0 };

	sbuf_printf(&q, "COPY %s (", table);
	for (int i = 0; i < ncols; i++)
		sbuf_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sbuf_puts(&q, ") FROM STDIN");
	if (q.oom)
		a->oom = 1;
	argv_add(a, "-c");
	argv_add(a, sbuf_str(&q));
	sbuf_free(&q);
}

/* "psql:<stdin>:1: ERROR:  column "x" does not exist" -> the message */
static void
pg_error_line(const char *text, char *msg, size_t n)
{
	const char *p = strstr(text, "ERROR:"), *e;
	size_t len;

	if (p)
		p += 6;
	else if ((p = strstr(text, "error:")) != NULL)
		p += 6;
	else if ((p = strstr(text, "FATAL:")) != NULL)
		p += 6;
	else
		p = text;
	while (*p == ' ' || *p == '\n')
		p++;
	e = strchr(p, '\n');
	len = e ? (size_t)(e - p) : strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(msg, p, len);
	msg[len] = '\0';
}

static const char *
pg_type(enum engine_coltype t)
{
	switch (t) {
	case EC_INT: return "BIGINT NOT NULL";
	case EC_INT_NULL: return "BIGINT";
	case EC_REAL: return "DOUBLE PRECISION NOT NULL";
	case EC_REAL_NULL: return "DOUBLE PRECISION";
	case EC_TEXT: return "TEXT COLLATE \"C\" NOT NULL";
	case EC_TEXT_ARRAY: return "TEXT[] COLLATE \"C\" NOT NULL DEFAULT '{}'";
	default: return "TEXT COLLATE \"C\"";
	}
}

static int
pg_schema(struct engine *e, int create, struct ic_error *err)
{
	const struct engine_table *c = &engine_tables[ET_CHARGES];
	struct sbuf q = { 0 };
	int rc;

	if (!create) {
		struct engine_stmt *st = engine_prepare(e,
			"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
			" AND table_name IN ('charges_data', 'usage_data', 'batches', 'imports',"
			" 'import_periods', 'commits', 'live_periods', 'charges', 'usage', 'rollup_daily',"
			" 'rollup_compute', 'rollup_resource', 'rollup_instance_runs', 'rollup_usage_day',"
			" 'rollup_usage_hist', 'focus_daily')", err);
		int nviews = 3;
		for (const struct rollup_def *d = rollup_defs; d->name; d++)
			nviews++;
		if (st == NULL)
			return -1;
		rc = engine_step(st, err);
		if (rc == 1 && engine_column_int64(st, 0) != ET_COUNT + nviews)
			rc = ic_errorf(err, "postgresql: database %s on %s has no imcost tables (import into it first)",
				       e->url.db, e->url.host);
		engine_finalize(st);
		return rc < 0 ? -1 : 0;
	}
	sbuf_puts(&q, "BEGIN;\n");
	for (int t = 0; t < ET_COUNT; t++) {
		const struct engine_table *x = &engine_tables[t];
		sbuf_printf(&q, "CREATE TABLE IF NOT EXISTS %s (", x->name);
		for (int i = 0; i < x->ncols; i++)
			sbuf_printf(&q, "%s%s %s", i ? ", " : "", x->cols[i].name, pg_type(x->cols[i].type));
		sbuf_puts(&q, ");\n");
	}
	sbuf_puts(&q,
		"CREATE INDEX IF NOT EXISTS charges_data_period ON charges_data(BillingPeriodStart, ChargePeriodStart);\n"
		"CREATE INDEX IF NOT EXISTS charges_data_import ON charges_data(import_id);\n"
		"CREATE INDEX IF NOT EXISTS usage_data_key ON usage_data(resource_id, metric, ts, import_id);\n"
		"CREATE INDEX IF NOT EXISTS usage_data_import ON usage_data(import_id);\n"
		/* the tag arrays of a table made by an older imcost: NULL for
		 * the rows already there (engine_tag_store tells) */
		"ALTER TABLE charges_data ADD COLUMN IF NOT EXISTS TagKeys TEXT[] COLLATE \"C\";\n"
		"ALTER TABLE charges_data ADD COLUMN IF NOT EXISTS TagValues TEXT[] COLLATE \"C\";\n"
		"CREATE OR REPLACE VIEW live_periods AS"
		" SELECT import_id, provider, billing_account_id, billing_period_start, batch_id"
		" FROM import_periods"
		" WHERE (provider, billing_account_id, billing_period_start, batch_id) IN"
		" (SELECT provider, billing_account_id, billing_period_start, max(batch_id)"
		"  FROM import_periods WHERE batch_id IN (SELECT batch_id FROM commits)"
		"  GROUP BY provider, billing_account_id, billing_period_start);\n"
		"CREATE OR REPLACE VIEW charges AS SELECT ");
	for (int i = 0; i < c->ncols; i++)
		sbuf_printf(&q, "%s%s", i ? ", " : "", c->cols[i].name);
	sbuf_puts(&q,
		" FROM charges_data"
		" WHERE (import_id, ProviderName, BillingAccountId, BillingPeriodStart) IN"
		" (SELECT import_id, provider, billing_account_id, billing_period_start FROM live_periods);\n"
		"CREATE OR REPLACE VIEW usage AS"
		" SELECT DISTINCT ON (resource_id, metric, ts) resource_id, ts, metric, value, unit, import_id"
		" FROM usage_data"
		" WHERE import_id IN (SELECT id FROM imports WHERE batch_id IN (SELECT batch_id FROM commits))"
		" ORDER BY resource_id, metric, ts, import_id DESC;\n");
	/* the rollups of common/rollup.h as views (SQLite keeps them as tables) */
	for (const struct rollup_def *d = rollup_defs; d->name; d++) {
		/* focus_daily lost ResourceId and Tags (SQLite schema 10): a view
		 * cannot be replaced by one with fewer columns */
		if (strcmp(d->name, "focus_daily") == 0)
			sbuf_puts(&q, "DROP VIEW IF EXISTS focus_daily;\n");
		sbuf_printf(&q, "CREATE OR REPLACE VIEW %s AS ", d->name);
		if (engine_rollup_view(e, d, &q, err) != 0) {
			sbuf_free(&q);
			return -1;
		}
		sbuf_puts(&q, ";\n");
	}
	sbuf_puts(&q, "COMMIT;\n");
	if (q.oom) {
		sbuf_free(&q);
		return ic_errorf(err, "out of memory");
	}
	rc = engine_run(e, NULL, sbuf_str(&q), NULL, NULL, "creating tables", err);
	sbuf_free(&q);
	return rc;
}

static int
pg_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err)
{
	struct sbuf q = { 0 }, list = { 0 };
	int rc;

	for (int i = 0; i < n; i++)
		sbuf_printf(&list, "%s%lld", i ? ", " : "", (long long)ids[i]);
	sbuf_printf(&q, "BEGIN;\nDELETE FROM charges_data WHERE import_id IN (%s);\n"
		    "DELETE FROM usage_data WHERE import_id IN (%s);\nCOMMIT;\n",
		    sbuf_str(&list), sbuf_str(&list));
	if (q.oom || list.oom) {
		sbuf_free(&q);
		sbuf_free(&list);
		return ic_errorf(err, "out of memory");
	}
	rc = engine_run(e, NULL, sbuf_str(&q), NULL, NULL, "deleting rows", err);
	sbuf_free(&q);
	sbuf_free(&list);
	return rc;
}

const struct engine_dialect engine_dialect_postgresql = {
	.kind = ENGINE_POSTGRESQL,
	.name = "postgresql",
	.client_name = "psql",
	.client_env = "IMCOST_PSQL",
	.macro = pg_macro,
	.conn_argv = pg_conn_argv,
	.text_params = 1,
	.param_ref = pg_param_ref,
	.param_argv = pg_param_argv,
	.query_input = pg_query_input,
	.csv_null = "",
	.load_argv = pg_load_argv,
	.load_csv = 0,
	.error_line = pg_error_line,
	.schema = pg_schema,
	.delete_imports = pg_delete_imports,
};
