#!/bin/bash
# bench/prices.sh - `make bench`'s price-list step (issue 14): a synthetic
# AWS offer CSV (bench/gen-prices.py, BENCH_PRICE_ROWS rows, default
# 1000000) imported by imcost into a fresh database, and by sqlite3's
# `.import --csv --skip 5` of the same file as the reference.  Prints
# seconds, user CPU seconds, MB/s and peak RSS of each (GNU time), checks
# that imcost kept every price the generator says it must (its stdout)
# and that sqlite3 holds every row, and that imcost's peak RSS is at most
# 64 MB (exit 1 otherwise).
#
#   bench/prices.sh [BUILD_DIR]
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${BENCH_PRICE_ROWS:-1000000}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
csv=$OUT/prices-$ROWS.csv
[ -x /usr/bin/time ] || { echo "bench/prices.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }
want=$(python3 "$ROOT/bench/gen-prices.py" "$ROWS" "$csv") || exit 1
mb=$(python3 -c "import os; print('%.1f' % (os.path.getsize('$csv') / 1e6))")
fail=0
run() {	# run NAME CMD...: prints "seconds user_seconds peak_kb"
	shift
	/usr/bin/time -o "$OUT/time.txt" -f "%e %U %M" "$@" >/dev/null 2>&1
	tail -1 "$OUT/time.txt"
}
rm -f "$OUT/prices.db" "$OUT/prices.db-wal" "$OUT/prices.db-shm" "$OUT/prices-ref.db"
read -r s1 u1 k1 <<< "$(run imcost "$ROOT/imcost" --db "$OUT/prices.db" import "$csv")"
got=$("$ROOT/imcost" --db "$OUT/prices.db" sql "SELECT COUNT(*) FROM prices" --format csv | tail -1)
read -r s2 u2 k2 <<< "$(run sqlite3 sqlite3 "$OUT/prices-ref.db" ".import --csv --skip 5 $csv t")"
ref=$(sqlite3 "$OUT/prices-ref.db" "SELECT COUNT(*) FROM t")
printf '%-16s %9s %8s %8s %8s %9s\n' step rows seconds user_s MB/s peak_MB
printf '%-16s %9s %8s %8s %8.1f %9.1f\n' "imcost import" "$ROWS" "$s1" "$u1" \
	"$(python3 -c "print($mb / max($s1, 0.01))")" "$(python3 -c "print($k1 / 1024)")"
printf '%-16s %9s %8s %8s %8.1f %9.1f\n' "sqlite3 .import" "$ROWS" "$s2" "$u2" \
	"$(python3 -c "print($mb / max($s2, 0.01))")" "$(python3 -c "print($k2 / 1024)")"
echo "CSV: $mb MB; speed ratio (sqlite3 s / imcost s): wall $(python3 -c "print('%.2f' % ($s2 / max($s1, 0.01)))"), CPU $(python3 -c "print('%.2f' % ($u2 / max($u1, 0.01)))")"
[ "$got" = "$want" ] || { echo "WRONG: imcost kept $got prices, want $want"; fail=1; }
[ "$ref" -ge "$ROWS" ] || { echo "WRONG: sqlite3 holds $ref rows, want at least $ROWS"; fail=1; }
if [ "$k1" -le $((64 * 1024)) ]; then echo "target peak RSS <= 64 MB: met"; else echo "target peak RSS <= 64 MB: NOT met"; fail=1; fi
rm -f "$csv" "$OUT/prices.db" "$OUT/prices.db-wal" "$OUT/prices.db-shm" "$OUT/prices-ref.db"
exit $fail
