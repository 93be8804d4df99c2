// duckdb-query.mjs - the DuckDB reference of bench/sql.sh: ad-hoc GROUP BY
// queries on a table loaded from the same CUR CSV files imcost imports.
//
//   node bench/duckdb-query.mjs DB QUERIES.json CSV...
//
// Loads the CSV files into a new table `cur` of the DuckDB database file DB
// (read_csv, header and types auto-detected; the second and later files
// are appended to the same table),
// then runs each query of QUERIES.json ({"name": "SQL", ...}) REPEAT times
// ($DUCK_REPEAT, default 3) and keeps the fastest.  Prints one line of
// JSON: {"load_seconds": S, "rows": N, "version": V, "queries": {"name":
// {"seconds": S, "rows": R}}}.  The times are DuckDB's own, measured inside
// Node (start-up, library load and the CSV load left out, in DuckDB's
// favour).  DB must not exist yet.  Exit status 0, 1 on a DuckDB error.

import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';

const [db, qfile, ...csvs] = process.argv.slice(2);
if (!db || !qfile || csvs.length === 0) {
  process.stderr.write('usage: node duckdb-query.mjs DB QUERIES.json CSV...\n');
  process.exit(2);
}
if (existsSync(db)) {
  process.stderr.write(`duckdb-query: ${db} exists (want a fresh database)\n`);
  process.exit(2);
}
const repeat = Number(process.env.DUCK_REPEAT || 3);
const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

try {
  const queries = JSON.parse(readFileSync(qfile, 'utf8'));
  const instance = await DuckDBInstance.create(db);
  const con = await instance.connect();
  let t0 = process.hrtime.bigint();
  // file names are bound as a parameter (a list), never spliced into SQL
  await con.run('CREATE TABLE cur AS SELECT * FROM read_csv($csv, header = true)', { csv: csvs[0] });
  for (const csv of csvs.slice(1))
    await con.run('INSERT INTO cur SELECT * FROM read_csv($csv, header = true)', { csv });
  await con.run('CHECKPOINT');
  const load = secs(t0);
  const count = await con.runAndReadAll('SELECT count(*) FROM cur');
  const version = await con.runAndReadAll('SELECT version()');
  const out = { load_seconds: load, rows: Number(count.getRows()[0][0]),
    version: String(version.getRows()[0][0]), queries: {} };
  for (const [name, sql] of Object.entries(queries)) {
    let best = Infinity, rows = 0;
    for (let i = 0; i < repeat; i++) {
      t0 = process.hrtime.bigint();
      const r = await con.runAndReadAll(sql);
      rows = r.getRows().length;
      best = Math.min(best, secs(t0));
    }
    out.queries[name] = { seconds: best, rows };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
} catch (e) {
  process.stderr.write(`duckdb-query: ${e.message}\n`);
  process.exit(1);
}
