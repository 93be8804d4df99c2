#!/bin/bash
# bench/parquet.sh - the Parquet step of `make bench` (issue 22): how fast
# imcost imports a CUR 2.0 month from Parquet (Snappy) against the same
# month as gzip CSV, with DuckDB's own read_parquet as the same-run
# reference.
#
#   bench/parquet.sh [BUILD_DIR]    (default build/rel; needs ./imcost,
#                                    BUILD_DIR/gen-cur, node and npm: the
#                                    package @duckdb/node-api is installed
#                                    into bench/node_modules when missing,
#                                    and removed again unless BENCH_KEEP=1)
#
# gen-cur writes a legacy CUR month of BENCH_PARQUET_ROWS line items
# (default 1000000); DuckDB turns it into a CUR 2.0 month (snake_case
# columns, resource_tags and product as MAP columns) and writes it twice:
# as Parquet (Snappy) and as CSV (MAPs as JSON text), which gzip
# compresses.  Then, each into a fresh database: imcost import of the
# .parquet, imcost import of the .csv.gz, and DuckDB's CREATE TABLE AS
# read_parquet (timed inside Node, start-up left out, in its favour).
# Printed: rows, seconds, rows/s, peak RSS (GNU time's %M, else VmHWM
# polled every 20 ms), CPU seconds (user + sys, GNU time only; the speed
# target compares them, wall times being noise on a shared machine) and
# the targets of issue 22 (Parquet at least as fast as gzip CSV, peak RSS
# <= 64 MiB).  Checked, untimed: both imports
# count every row and hold the same billed total to the nano.  Exit 1 when
# a step fails or the checks do not hold; 0 otherwise (unmet targets are
# results; BENCH_STRICT=1 makes them exit 1).  Without node or DuckDB the
# step says SKIPPED and exits 0.
set -u
BUILD=${1:-build/rel}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
export LC_ALL=C TZ=UTC NO_COLOR=1
IMCOST=${BENCH_IMCOST:-$ROOT/imcost}
ROWS=${BENCH_PARQUET_ROWS:-1000000}
DATA=$ROOT/bench/out/parquet
DUCKDB_NODE=$ROOT/bench/node_modules/@duckdb/node-api
export DUCKDB_NODE
RSS_LIMIT_KB=65536

rm -rf "$DATA"
mkdir -p "$DATA" || exit 1
NPM_INSTALLED=""
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ ! -d "$DUCKDB_NODE" ]; then
	echo "bench parquet: npm install @duckdb/node-api into bench/node_modules" >&2
	(cd "$ROOT/bench" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) \
		>"$DATA/npm-install.log" 2>&1 && NPM_INSTALLED=1
fi
if ! command -v node >/dev/null 2>&1 || [ ! -d "$DUCKDB_NODE" ]; then
	echo "bench parquet: SKIPPED (node, or npm install of @duckdb/node-api, not available: the fixtures are written by DuckDB)"
	exit 0
fi

# peak RSS of a command in KiB into RSS, seconds into SEC, CPU seconds
# (user + sys, GNU time only: the steadier measure on a shared machine)
# into CPU; returns its status
run() {
	local log=$1 t0 t1 rc pid peak=0 hwm
	shift
	t0=$EPOCHREALTIME
	CPU=""
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %M' -o "$log.rss" "$@" >"$log.out" 2>"$log.err"
		rc=$?
		peak=$(tail -n 1 "$log.rss" | awk '{ print $3 }')
		CPU=$(tail -n 1 "$log.rss" | awk '{ printf "%.2f", $1 + $2 }')
	else
		"$@" >"$log.out" 2>"$log.err" &
		pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
			[ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
			sleep 0.02
		done
		wait "$pid"
		rc=$?
	fi
	t1=$EPOCHREALTIME
	SEC=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
	RSS=$peak
	return $rc
}

cat >"$DATA/duck.cjs" <<'JS'
// node duck.cjs SQL...: each statement in order; prints the last one's rows
const { DuckDBInstance } = require(process.env.DUCKDB_NODE);
(async () => {
  const db = process.env.DUCK_DB || ':memory:';
  const inst = await DuckDBInstance.create(db);
  const con = await inst.connect();
  await con.run("SET TimeZone = 'UTC'");
  const t0 = process.hrtime.bigint();
  let rows = [];
  for (const sql of process.argv.slice(2)) rows = (await con.runAndReadAll(sql)).getRowsJson();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const r of rows) process.stdout.write(r.join('|') + '\n');
  process.stderr.write(`seconds=${seconds}\n`);
})().catch(e => { process.stderr.write(`duckdb: ${e && e.message ? e.message : e}\n`); process.exit(1); });
JS

echo "bench parquet: $ROWS rows: generating the CUR month, then CUR 2.0 Parquet and .csv.gz with DuckDB" >&2
"$ROOT/$BUILD/gen-cur" --rows "$ROWS" --month 2026-10 --seed 1 --out "$DATA/cur.csv" \
	--totals "$DATA/totals.txt" || exit 1
python3 - "$DATA/cur.csv" >"$DATA/cur2.sql" <<'PY' || exit 1
import csv, re, sys
hdr = next(csv.reader(open(sys.argv[1], newline="")))
def snake(c):
    return "_".join(s[:1].lower() + re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), s[1:])
                    for s in c.split("/"))
def q(c): return '"' + c.replace('"', '""') + '"'
inmap = {"product/ProductName": "product_name", "product/operatingSystem": "operating_system",
         "product/tenancy": "tenancy"}
def entries(pairs):
    return ("map_from_entries(list_filter([" +
            ", ".join("{'key': '%s', 'value': %s}" % (k, v) for k, v in pairs) +
            "], x -> coalesce(x.value, '') <> ''))")
sel, tags = [], []
for c in hdr:
    if c.startswith("resourceTags/"):
        tags.append((c[len("resourceTags/"):], q(c)))
    elif c not in inmap:
        sel.append("%s AS %s" % (q(c), snake(c)))
sel.append(entries(tags) + " AS resource_tags")
sel.append(entries([(k, q(c)) for c, k in inmap.items()]) + " AS product")
print("CREATE TABLE cur2 AS SELECT " + ", ".join(sel) + " FROM read_csv('%s', all_varchar = true)"
      % sys.argv[1])
PY
(cd "$DATA" && node duck.cjs "$(cat cur2.sql)" \
	"COPY cur2 TO 'cur2.parquet' (FORMAT PARQUET, COMPRESSION snappy)" \
	"COPY (SELECT * REPLACE (to_json(resource_tags)::VARCHAR AS resource_tags, to_json(product)::VARCHAR AS product) FROM cur2) TO 'cur2.csv' (HEADER)") \
	>/dev/null 2>"$DATA/convert.err" || { cat "$DATA/convert.err" >&2; exit 1; }
gzip -f "$DATA/cur2.csv" || exit 1
rm -f "$DATA/cur.csv"

fail=0
run "$DATA/pq" "$IMCOST" --db "$DATA/pq.db" --format json import "$DATA/cur2.parquet" || {
	echo "bench parquet: imcost import .parquet FAILED: $(tail -n 1 "$DATA/pq.err")" >&2; fail=1; }
PQ_SEC=$SEC PQ_RSS=$RSS PQ_CPU=$CPU
run "$DATA/gz" "$IMCOST" --db "$DATA/gz.db" --format json import "$DATA/cur2.csv.gz" || {
	echo "bench parquet: imcost import .csv.gz FAILED: $(tail -n 1 "$DATA/gz.err")" >&2; fail=1; }
GZ_SEC=$SEC GZ_RSS=$RSS GZ_CPU=$CPU
DK_SEC="" DK_RSS=""
if (cd "$DATA" && DUCK_DB="$DATA/duck.duckdb" run "$DATA/dk" node duck.cjs \
	"CREATE TABLE cur2 AS SELECT * FROM read_parquet('cur2.parquet')" "CHECKPOINT" \
	"SELECT count(*) FROM cur2"); then
	DK_SEC=$(sed -n 's/^seconds=//p' "$DATA/dk.err")
	DK_RSS=$(tail -n 1 "$DATA/dk.rss" 2>/dev/null | awk '{ print $NF }')
else
	echo "bench parquet: DuckDB read_parquet FAILED: $(tail -n 1 "$DATA/dk.err")" >&2
fi

# checks (untimed): every row, the same billed total
a=$(sqlite3 "$DATA/pq.db" 'SELECT count(DISTINCT SourceLine), sum(BilledCostNanos) FROM charges' 2>/dev/null)
b=$(sqlite3 "$DATA/gz.db" 'SELECT count(DISTINCT SourceLine), sum(BilledCostNanos) FROM charges' 2>/dev/null)
if [ "$fail" = 0 ] && { [ "$a" != "$b" ] || [ "${a%%|*}" != "$ROWS" ]; }; then
	echo "bench parquet: WRONG: Parquet import $a, gzip CSV import $b (rows|billed nanos; want $ROWS rows)" >&2
	fail=1
fi

row() { awk -v t="$1" -v n="$ROWS" -v s="$2" -v r="$3" -v c="$4" 'BEGIN {
	sec = (s == "") ? "-" : s
	rate = (s > 0) ? sprintf("%.0f", n / s) : "-"
	mib = (r == "") ? "-" : sprintf("%.1f", r / 1024)
	cpu = (c == "") ? "-" : c
	printf "  %-26s %9s s %12s rows/s %8s MiB %8s s CPU\n", t, sec, rate, mib, cpu }'; }
echo
echo "Parquet step (issue 22): a CUR 2.0 month of $ROWS rows, $(stat -c %s "$DATA/cur2.parquet") bytes of Parquet (Snappy), $(stat -c %s "$DATA/cur2.csv.gz") of .csv.gz"
row "imcost import .parquet" "$PQ_SEC" "$PQ_RSS" "$PQ_CPU"
row "imcost import .csv.gz" "$GZ_SEC" "$GZ_RSS" "$GZ_CPU"
row "DuckDB read_parquet" "$DK_SEC" "$DK_RSS" ""
unmet=0
if [ "$fail" = 0 ]; then
	# CPU when GNU time gave it (wall time is noise on a shared machine)
	pt=${PQ_CPU:-$PQ_SEC} gt=${GZ_CPU:-$GZ_SEC} what=${PQ_CPU:+CPU }
	if awk -v p="$pt" -v g="$gt" 'BEGIN { exit !(p <= g) }'; then m=met; else m="NOT MET"; unmet=1; fi
	echo "  target: Parquet import at least as fast as .csv.gz: ${what}${pt}s vs ${gt}s: $m"
	if [ "${PQ_RSS:-0}" -le "$RSS_LIMIT_KB" ]; then m=met; else m="NOT MET"; unmet=1; fi
	echo "  target: peak RSS of the Parquet import <= 64 MiB: $((PQ_RSS / 1024)) MiB: $m"
	[ -n "$DK_SEC" ] && awk -v p="$PQ_SEC" -v d="$DK_SEC" 'BEGIN { printf "  (DuckDB read_parquet / imcost import .parquet: %.2fx the time)\n", d / p }'
fi
[ "${BENCH_KEEP:-0}" = 1 ] || [ -z "$NPM_INSTALLED" ] || rm -rf "$ROOT/bench/node_modules"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$DATA"/*.db "$DATA"/*.duckdb "$DATA"/cur2.parquet "$DATA"/cur2.csv.gz
[ "$fail" = 0 ] || exit 1
[ "${BENCH_STRICT:-0}" = 1 ] && [ "$unmet" = 1 ] && exit 1
exit 0
