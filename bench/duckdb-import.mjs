// duckdb-import.mjs - the DuckDB reference of `make bench` (bench/run.sh).
//
//   node bench/duckdb-import.mjs DB CSV
//
// Loads CSV into a new table `cur` of the DuckDB database file DB with
// DuckDB's own CSV reader (read_csv, header and types auto-detected), then
// CHECKPOINTs so that the data is in the database file, as a fair
// counterpart of `imcost import` and of the sqlite3 CLI's `.import`.
// Prints one line of JSON on stdout:
//   {"seconds": S, "rows": N, "version": "vX.Y.Z"}
// where S is the wall time of the CREATE TABLE ... read_csv and the
// CHECKPOINT only (not Node's start-up nor loading the DuckDB library, so
// the reference is never handicapped) and N is count(*) of the table,
// counted after the clock stopped.  DB must not exist yet.  Exit status:
// 0 on success, 1 on any DuckDB error (message on stderr), 2 usage error.
//
// Needs the npm package @duckdb/node-api (bench/package.json), which
// bench/run.sh installs into bench/node_modules at bench time.

import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';

const [db, csv] = process.argv.slice(2);
if (!db || !csv || process.argv.length !== 4) {
  process.stderr.write('usage: node duckdb-import.mjs DB CSV\n');
  process.exit(2);
}
if (existsSync(db)) {
  process.stderr.write(`duckdb-import: ${db} exists (want a fresh database)\n`);
  process.exit(2);
}

try {
  const instance = await DuckDBInstance.create(db);
  const con = await instance.connect();
  const t0 = process.hrtime.bigint();
  // The file name is bound as a parameter, never spliced into the SQL.
  await con.run('CREATE TABLE cur AS SELECT * FROM read_csv($csv, header = true)',
    { csv });
  await con.run('CHECKPOINT');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const reader = await con.runAndReadAll(
    'SELECT count(*)::BIGINT AS n, version() AS v FROM cur');
  const [row] = reader.getRowObjects();
  con.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify({
    seconds, rows: Number(row.n), version: String(row.v),
  }) + '\n');
} catch (e) {
  process.stderr.write(`duckdb-import: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
