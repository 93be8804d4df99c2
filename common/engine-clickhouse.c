/*
 * engine-clickhouse.c - the ClickHouse dialect of the engine layer,
 * through clickhouse-client (written against 18.16, Debian bookworm's).
 *
 * Schema: with ?cluster=NAME in the URL, every table is a MergeTree table
 * NAME_local on each shard of the cluster (the shards are read from
 * system.clusters of the URL's server, first replica of each) plus a
 * Distributed table NAME over them on every shard, so any shard can take
 * queries; data tables are partitioned by billing month
 * (toYYYYMM of BillingPeriodStart or ts, UTC) and spread over the shards by
 * rand().  Without a cluster, NAME is the MergeTree table itself.
 *
 * What 18.16 lacks and how this file copes:
 *  - no query parameters (--param_NAME came in 19.x): text cannot be
 *    bound (engine.c refuses it); bulk data goes through INSERT ... FORMAT
 *    CSV on stdin, never through SQL;
 *  - no transactions: imports are made visible by one single-row INSERT
 *    into commits, which the charges and usage views read
 *    (see importers/engine-import.h);
 *  - aggregates of non-Nullable columns give 0 or nan over no rows, not
 *    NULL: $min/$max/$sum/$avg wrap the argument in toNullable;
 *  - / is float division: $idiv is intDiv (truncates toward zero, as C);
 *  - positional ORDER BY sorts by a constant: queries use aliases;
 *  - IN (subquery) over Distributed tables needs GLOBAL: the views say so
 *    and queries run with distributed_product_mode = global;
 *  - a NULL in CSV input is \N (an empty field is an empty string), so
 *    text is always quoted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/engine-int.h"
#include "common/rollup.h"

static int
ch_macro(struct sbuf *out, const char *name, const char *const *a, int n)
{
	if (strcmp(name, "idiv") == 0 && n == 2) {
		sbuf_printf(out, "intDiv(%s, %s)", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "like_ci") == 0 && n == 2) {
		sbuf_printf(out, "(lower(%s) LIKE %s)", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "int") == 0 && n == 1) {
		sbuf_printf(out, "toInt64(%s)", a[0]);
		return 0;
	}
	if (strcmp(name, "month_start") == 0 && n == 1) {
		/* toStartOfMonth gives a Date; stay in seconds */
		sbuf_printf(out, "(toInt64(%s) - toInt64(%s) %% 86400 -"
			    " (toInt64(toDayOfMonth(toDateTime(%s, 'UTC'))) - 1) * 86400)", a[0], a[0], a[0]);
		return 0;
	}
	if (n == 1 && (strcmp(name, "min") == 0 || strcmp(name, "max") == 0 ||
		       strcmp(name, "sum") == 0 || strcmp(name, "avg") == 0)) {
		sbuf_printf(out, "%s(toNullable(%s))", name, a[0]);
		return 0;
	}
	if (strcmp(name, "str") == 0 && n == 1 && engine_hex_arg(a[0])) {
		sbuf_printf(out, "unhex('%s')", a[0]);
		return 0;
	}
	if (strcmp(name, "tag") == 0 && n == 1 && engine_hex_arg(a[0])) {
		sbuf_printf(out, "if(has(TagKeys, unhex('%s')), TagValues[indexOf(TagKeys, unhex('%s'))],"
			    " NULL)", a[0], a[0]);
		return 0;
	}
	if (strcmp(name, "unnest") == 0 && n == 1) {
		sbuf_printf(out, "arrayJoin(%s)", a[0]);
		return 0;
	}
	return -1;
}

static void
ch_conn_argv(const struct engine *e, const struct engine_server *s, struct argv *a)
{
	const char *host = s ? s->host : e->url.host;
	int port = s ? s->port : e->url.port;

	argv_add(a, "--host");
	argv_add(a, host);
	if (port) {
		argv_add(a, "--port");
		argv_addf(a, "%d", port);
	}
	if (e->url.user[0]) {
		argv_add(a, "--user");
		argv_add(a, e->url.user);
	}
	if (!e->no_db) {
		argv_add(a, "--database");
		argv_add(a, e->url.db);
	}
	/* IN (subquery) over Distributed tables: run the subquery once on
	 * the initiator; inserts into Distributed tables reach every shard
	 * before the client returns */
	argv_add(a, "--distributed_product_mode=global");
	argv_add(a, "--insert_distributed_sync=1");
}

static void
ch_query_input(struct sbuf *out, const char *sql, int select)
{
	sbuf_puts(out, sql);
	if (select)
		sbuf_puts(out, " FORMAT CSV");
	sbuf_putc(out, '\n');
}

static void
ch_load_argv(struct argv *a, const char *table, const char *const *cols, int ncols)
{
	struct sbuf q = { 0 };

	sbuf_printf(&q, "INSERT INTO %s (", table);
	for (int i = 0; i < ncols; i++)
		sbuf_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sbuf_puts(&q, ") FORMAT CSV");
	if (q.oom)
		a->oom = 1;
	argv_add(a, "--query");
	argv_add(a, sbuf_str(&q));
	sbuf_free(&q);
}

/* "Code: 60. DB::Exception: Received from H:P. DB::Exception: Table x
 * doesn't exist.." -> "Table x doesn't exist" */
static void
ch_error_line(const char *text, char *msg, size_t n)
{
	const char *p = NULL, *q = text, *e;
	size_t len;

	while ((q = strstr(q, "DB::Exception: ")) != NULL) {
		p = q + 15;
		q = p;
	}
	if (p == NULL) {
		p = text;
		while (*p == '\n' || *p == ' ')
			p++;
	}
	e = strchr(p, '\n');
	len = e ? (size_t)(e - p) : strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '.' || p[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(msg, p, len);
	msg[len] = '\0';
}

static const char *
ch_type(enum engine_coltype t)
{
	switch (t) {
	case EC_INT: return "Int64";
	case EC_INT_NULL: return "Nullable(Int64)";
	case EC_REAL: return "Float64";
	case EC_REAL_NULL: return "Nullable(Float64)";
	case EC_TEXT: return "String";
	case EC_TEXT_ARRAY: return "Array(String)";
	default: return "Nullable(String)";
	}
}

static int
clustered(const struct engine *e)
{
	return e->url.cluster[0] != '\0';
}

/* Read the shards of the cluster from the URL's server. */
static int
find_shards(struct engine *e, struct ic_error *err)
{
	struct sbuf sql = { 0 }, out = { 0 }, in = { 0 };
	const char *p;
	int rc = -1;

	/* the cluster name is a checked identifier (engine_url_parse) */
	sbuf_printf(&sql, "SELECT host_address, port FROM system.clusters WHERE cluster = '%s'"
		    " AND replica_num = 1 ORDER BY shard_num", e->url.cluster);
	ch_query_input(&in, sbuf_str(&sql), 1);
	e->no_db = 1;
	rc = engine_run(e, NULL, sbuf_str(&in), NULL, &out, "reading the cluster's shards", err);
	e->no_db = 0;
	if (rc != 0)
		goto out;
	rc = -1;
	for (p = sbuf_str(&out); *p; ) {
		struct engine_server *s, *ns;
		const char *nl = strchr(p, '\n'), *comma;
		size_t hl;

		if (nl == NULL)
			nl = p + strlen(p);
		comma = memchr(p, ',', (size_t)(nl - p));
		if (comma == NULL || p[0] != '"' || comma[-1] != '"')
			break;
		ns = realloc(e->shards, (size_t)(e->nshards + 1) * sizeof *ns);
		if (ns == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		e->shards = ns;
		s = &e->shards[e->nshards];
		hl = (size_t)(comma - 1 - (p + 1));
		if (hl >= sizeof s->host)
			break;
		memcpy(s->host, p + 1, hl);
		s->host[hl] = '\0';
		s->port = atoi(comma + 1);
		e->nshards++;
		p = *nl ? nl + 1 : nl;
	}
	if (e->nshards == 0) {
		ic_errorf(err, "clickhouse: %s:%d knows no cluster '%s' (remote_servers in its config)",
			  e->url.host, e->url.port, e->url.cluster);
		goto out;
	}
	rc = 0;
out:
	sbuf_free(&sql);
	sbuf_free(&out);
	sbuf_free(&in);
	return rc;
}

static void
table_ddl(struct sbuf *q, const struct engine *e, const struct engine_table *t, const char *suffix)
{
	sbuf_printf(q, "CREATE TABLE IF NOT EXISTS %s.%s%s (", e->url.db, t->name, suffix);
	for (int i = 0; i < t->ncols; i++)
		sbuf_printf(q, "%s%s %s", i ? ", " : "", t->cols[i].name, ch_type(t->cols[i].type));
	sbuf_puts(q, ") ENGINE = MergeTree()");
	if (t->month_col)
		sbuf_printf(q, " PARTITION BY toYYYYMM(toDateTime(%s, 'UTC'))", t->month_col);
	sbuf_printf(q, " ORDER BY %s", t->order_by);
}

/* The views every server gets (in = "IN" or "GLOBAL IN"). */
static void
views_ddl(struct sbuf *v, const struct engine *e, int which)
{
	const char *db = e->url.db;
	const char *in = clustered(e) ? "GLOBAL IN" : "IN";
	const struct engine_table *c = &engine_tables[ET_CHARGES];

	switch (which) {
	case 0:
		/* the periods of the latest committed batch per key */
		sbuf_printf(v,
			"CREATE VIEW IF NOT EXISTS %s.live_periods AS"
			" SELECT import_id, provider, billing_account_id, billing_period_start, batch_id"
			" FROM %s.import_periods"
			" WHERE (provider, billing_account_id, billing_period_start, batch_id) %s"
			" (SELECT provider, billing_account_id, billing_period_start, max(batch_id)"
			"  FROM %s.import_periods WHERE batch_id %s (SELECT batch_id FROM %s.commits)"
			"  GROUP BY provider, billing_account_id, billing_period_start)",
			db, db, in, db, in, db);
		break;
	case 1:
		sbuf_printf(v, "CREATE VIEW IF NOT EXISTS %s.charges AS SELECT ", db);
		for (int i = 0; i < c->ncols; i++)
			sbuf_printf(v, "%s%s", i ? ", " : "", c->cols[i].name);
		sbuf_printf(v, " FROM %s.charges_data"
			    " WHERE (import_id, ProviderName, BillingAccountId, BillingPeriodStart) %s"
			    " (SELECT import_id, provider, billing_account_id, billing_period_start"
			    "  FROM %s.live_periods)", db, in, db);
		break;
	default:
		/* a later import's sample of the same (resource, metric, ts)
		 * wins, like SQLite's INSERT OR REPLACE */
		sbuf_printf(v,
			"CREATE VIEW IF NOT EXISTS %s.usage AS"
			" SELECT resource_id, ts, metric, v AS value, u AS unit, i AS import_id FROM"
			" (SELECT resource_id, ts, metric, argMax(value, import_id) AS v,"
			"  argMax(unit, import_id) AS u, max(import_id) AS i FROM %s.usage_data"
			"  WHERE import_id %s (SELECT id FROM %s.imports WHERE batch_id %s"
			"   (SELECT batch_id FROM %s.commits))"
			"  GROUP BY resource_id, ts, metric)",
			db, db, in, db, in, db);
	}
}

static const char *const view_names[] = { "live_periods", "charges", "usage" };

static int
run_on(struct engine *e, const struct engine_server *s, struct sbuf *q, const char *what,
       struct ic_error *err)
{
	int rc;

	if (q->oom) {
		sbuf_free(q);
		return ic_errorf(err, "out of memory");
	}
	rc = engine_run_sql(e, s, sbuf_str(q), what, err);
	sbuf_free(q);
	return rc;
}

/* Everything in one run per server (--multiquery, names qualified, so
 * the database need not exist yet). */
static int
create_schema(struct engine *e, struct ic_error *err)
{
	struct engine_server self;
	const struct engine_server *servers = e->shards;
	int nservers = e->nshards, rc = 0;

	if (!clustered(e)) {
		snprintf(self.host, sizeof self.host, "%s", e->url.host);
		self.port = e->url.port;
		servers = &self;
		nservers = 1;
	}
	e->no_db = 1;
	for (int s = 0; s < nservers && rc == 0; s++) {
		struct sbuf q = { 0 };

		sbuf_printf(&q, "CREATE DATABASE IF NOT EXISTS %s;\n", e->url.db);
		for (int t = 0; t < ET_COUNT; t++) {
			table_ddl(&q, e, &engine_tables[t], clustered(e) ? "_local" : "");
			sbuf_puts(&q, ";\n");
		}
		if (clustered(e))
			for (int t = 0; t < ET_COUNT; t++) {
				const char *n = engine_tables[t].name;
				sbuf_printf(&q, "CREATE TABLE IF NOT EXISTS %s.%s AS %s.%s_local"
					    " ENGINE = Distributed(%s, %s, %s_local, rand());\n",
					    e->url.db, n, e->url.db, n, e->url.cluster, e->url.db, n);
			}
		for (int v = 0; v < 3; v++) {
			views_ddl(&q, e, v);
			sbuf_puts(&q, ";\n");
		}
		/* the rollups of common/rollup.h as views (SQLite keeps them as tables) */
		for (const struct rollup_def *d = rollup_defs; d->name && rc == 0; d++) {
			/* focus_daily lost ResourceId and Tags (SQLite schema 10):
			 * dropped first (DROP TABLE: this ClickHouse has no DROP VIEW),
			 * so a database created before follows */
			if (strcmp(d->name, "focus_daily") == 0)
				sbuf_printf(&q, "%sDROP TABLE IF EXISTS %s.%s", d == rollup_defs ? "" : ";\n",
					    e->url.db, d->name);
			sbuf_printf(&q, "%sCREATE VIEW IF NOT EXISTS %s.%s AS ",
				    d == rollup_defs && strcmp(d->name, "focus_daily") != 0 ? "" : ";\n",
				    e->url.db, d->name);
			rc = engine_rollup_view(e, d, &q, err);
		}
		if (rc != 0) {
			sbuf_free(&q);
			break;
		}
		rc = run_on(e, &servers[s], &q, "creating tables", err);
	}
	e->no_db = 0;
	return rc;
}

static int
check_schema(struct engine *e, struct ic_error *err)
{
	struct sbuf q = { 0 }, in = { 0 }, out = { 0 };
	int rc, want = ET_COUNT + 3;

	sbuf_printf(&q, "SELECT count() FROM system.tables WHERE database = '%s' AND name IN (",
		    e->url.db);
	for (int t = 0; t < ET_COUNT; t++)
		sbuf_printf(&q, "'%s', ", engine_tables[t].name);
	for (const struct rollup_def *d = rollup_defs; d->name; d++, want++)
		sbuf_printf(&q, "'%s', ", d->name);
	sbuf_printf(&q, "'%s', '%s', '%s')", view_names[0], view_names[1], view_names[2]);
	ch_query_input(&in, sbuf_str(&q), 1);
	e->no_db = 1;
	rc = engine_run(e, NULL, sbuf_str(&in), NULL, &out, "checking the schema", err);
	e->no_db = 0;
	if (rc == 0 && atoi(sbuf_str(&out)) != want)
		rc = ic_errorf(err, "clickhouse: database %s on %s has no imcost tables (import into it first)",
			       e->url.db, e->url.host);
	sbuf_free(&q);
	sbuf_free(&in);
	sbuf_free(&out);
	return rc;
}

static int
ch_schema(struct engine *e, int create, struct ic_error *err)
{
	struct ic_error ignored;

	if (clustered(e) && find_shards(e, err) != 0)
		return -1;
	if (!create)
		return check_schema(e, err);
	if (check_schema(e, &ignored) == 0)
		return 0;
	return create_schema(e, err);
}

static int
ch_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err)
{
	static const int data[] = { ET_CHARGES, ET_USAGE };
	struct engine_server self;
	const struct engine_server *servers = e->shards;
	int nservers = e->nshards;

	if (!clustered(e)) {
		snprintf(self.host, sizeof self.host, "%s", e->url.host);
		self.port = e->url.port;
		servers = &self;
		nservers = 1;
	}
	for (int s = 0; s < nservers; s++) {
		struct sbuf q = { 0 };
		for (int t = 0; t < 2; t++) {
			sbuf_printf(&q, "%sALTER TABLE %s.%s%s DELETE WHERE import_id IN (", t ? ";\n" : "",
				    e->url.db, engine_tables[data[t]].name, clustered(e) ? "_local" : "");
			for (int i = 0; i < n; i++)
				sbuf_printf(&q, "%s%lld", i ? ", " : "", (long long)ids[i]);
			sbuf_putc(&q, ')');
		}
		if (run_on(e, &servers[s], &q, "deleting rows", err) != 0)
			return -1;
	}
	return 0;
}

const struct engine_dialect engine_dialect_clickhouse = {
	.kind = ENGINE_CLICKHOUSE,
	.name = "clickhouse",
	.client_name = "clickhouse-client",
	.client_env = "IMCOST_CLICKHOUSE_CLIENT",
	.macro = ch_macro,
	.conn_argv = ch_conn_argv,
	.text_params = 0,
	.multi_arg = "--multiquery",
	.query_input = ch_query_input,
	.csv_null = "\\N",
	.load_argv = ch_load_argv,
	.load_csv = 1,
	.error_line = ch_error_line,
	.schema = ch_schema,
	.delete_imports = ch_delete_imports,
};
