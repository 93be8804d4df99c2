#!/bin/bash
# bench/prices.sh - `make bench`'s price-list step (issue 14): how fast
# imcost imports an AWS EC2 offer CSV, next to a bill import on the same
# machine in the same run, and to sqlite3's .import of the same file.
#
#   bench/prices.sh [BUILD_DIR]        (default build/rel; needs ./imcost,
#                                       BUILD_DIR/gen-cur, GNU time, sqlite3)
#
# Input: a synthetic AWS offer CSV (bench/gen-prices.py, BENCH_PRICE_ROWS
# rows, default 1000000, ~558 MB: 5 metadata rows, a quoted header and
# every field quoted, as AWS writes them; one OnDemand row and 12 Reserved
# terms per SKU plus storage rows imcost counts and does not keep) and a
# CUR bill of about the same size (BUILD_DIR/gen-cur, BENCH_PRICE_BILL_ROWS
# line items, default 700000, ~553 MB).
#
# An AWS EC2 offer JSON file too (bench/gen-prices-json.py aws,
# BENCH_PRICE_AWS_PRODUCTS products, default 150000, ~500 MB, pretty-printed
# as AWS publishes it: products{} then terms{}), read member by member;
# past IMCOST_OFFER_MEMORY_MB (16 MiB by default) its products and keys go
# to a temporary file (importers/spillmap.h), which 150000 products do.
#
# Steps, each into a fresh database: `imcost import` of the bill, of the
# offer CSV and of the offer JSON, alternated BENCH_PRICE_REPEAT times
# (default 3; the median time is reported, so all see the same load), then
# the sqlite3 CLI's `.import --csv --skip 5` of the offer CSV once (the
# JSON has no sqlite3 counterpart: its reference is the bill of the same
# run), and the offer JSON once more with everything in memory
# (IMCOST_OFFER_MEMORY_MB=100000: what the temporary file costs).  For each: seconds
# (wall), CPU seconds (user + system), rows/s, MB/s (10^6 bytes of the
# CSV per wall second) and peak RSS (GNU time %M).  Checked, untimed:
# imcost kept every price the generator says it must (its stdout), sqlite3
# holds every row, the bill import read every line item.
#
# Then, one run each, into a fresh database: the JSON price lists
# (bench/gen-prices-json.py): BENCH_PRICE_AZURE_ITEMS Azure Retail Prices
# items (default 100000: 100 pages of 1000 items, one region a page, ~60
# MB) in one command, and a GCP Compute Engine SKU list of
# BENCH_PRICE_GCP_SKUS SKUs (default 130000, ~101 MB, one compact
# document); checked: the prices kept are the generator's count.  Azure
# pages are parsed whole (cJSON; each page is at most 1000 items); the GCP
# list is read as a stream (one skus[] element at a time), so its peak RSS
# is a target like the CSV's.
#
# Targets of issue 14: price-list import at least as many MB/s as the bill
# import of this run (ratio printed, in wall and in MB per CPU-second: on a
# shared machine the CPU figure is the one to trust), and peak RSS <= 64
# MiB (the offer CSV and the GCP list).  Exit 1 when a check fails or the RSS target is not met;
# the speed target is a result (BENCH_STRICT=1 makes it exit 1 too).
set -u
BUILD=${1:-build/rel}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C TZ=UTC NO_COLOR=1
IMCOST=${BENCH_IMCOST:-$ROOT/imcost}
ROWS=${BENCH_PRICE_ROWS:-1000000}
BILL_ROWS=${BENCH_PRICE_BILL_ROWS:-700000}
REPEAT=${BENCH_PRICE_REPEAT:-3}
AZ_ITEMS=${BENCH_PRICE_AZURE_ITEMS:-100000}
GCP_SKUS=${BENCH_PRICE_GCP_SKUS:-130000}
AWS_PRODUCTS=${BENCH_PRICE_AWS_PRODUCTS:-150000}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
csv=$OUT/prices-$ROWS.csv
bill=$OUT/prices-bill-$BILL_ROWS.csv
db=$OUT/prices.db
for n in "$ROWS" "$BILL_ROWS" "$REPEAT" "$AZ_ITEMS" "$GCP_SKUS" "$AWS_PRODUCTS"; do
	case $n in '' | 0 | *[!0-9]*) echo "bench/prices.sh: BENCH_PRICE_ROWS, _BILL_ROWS, _REPEAT, _AZURE_ITEMS, _GCP_SKUS and _AWS_PRODUCTS are positive numbers" >&2; exit 2 ;; esac
done
[ -x /usr/bin/time ] || { echo "bench/prices.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }
[ -x "$ROOT/$BUILD/gen-cur" ] || { echo "bench/prices.sh: needs $BUILD/gen-cur (make $BUILD/gen-cur)" >&2; exit 1; }
want=$(python3 "$ROOT/bench/gen-prices.py" "$ROWS" "$csv") || exit 1
"$ROOT/$BUILD/gen-cur" --rows "$BILL_ROWS" --month 2026-10 --seed 1 --out "$bill" || exit 1
awsj=$OUT/prices-aws-$AWS_PRODUCTS.json
aws_want=$(python3 "$ROOT/bench/gen-prices-json.py" aws "$AWS_PRODUCTS" "$awsj") || exit 1
aws_bytes=$(stat -c %s "$awsj")
bytes=$(stat -c %s "$csv")
bill_bytes=$(stat -c %s "$bill")
fail=0
rmdb() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# run OUTFILE CMD...: runs CMD (stdout to OUTFILE), prints "wall cpu peak_kb rc"
run() {
	local o=$1 rc
	shift
	/usr/bin/time -o "$OUT/time.txt" -f "%e %U %S %M" "$@" >"$o" 2>"$o.err"
	rc=$?
	tail -1 "$OUT/time.txt" | awk -v rc="$rc" '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, rc }'
}
# price_run NAME WHAT WANT CMD...: CMD into a fresh $db, checked to keep
# WANT prices (WRONG printed, fail set when not: the caller is in this
# shell, so the flag goes through a file); prints "wall cpu peak_kb"
price_run() {
	local name=$1 what=$2 want=$3 w c k rc got
	shift 3
	rmdb "$db"
	read -r w c k rc <<< "$(run "$OUT/$name.out" "$@")"
	got=$(sqlite3 "$db" "SELECT COUNT(*) FROM prices" 2>/dev/null)
	if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
		echo "WRONG: $what (exit $rc) kept $got prices, want $want: $(head -2 "$OUT/$name.out.err")" >&2
		touch "$OUT/prices.failed"
	fi
	echo "$w $c $k"
}
rm -f "$OUT/prices.failed"
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bw=() bc=() pw=() pc=() jw=() jc=() brss=0 prss=0 jrss=0
for ((i = 1; i <= REPEAT; i++)); do
	echo "bench/prices.sh: run $i of $REPEAT: bill import, offer CSV import, offer JSON import" >&2
	rmdb "$db"
	read -r w c k rc <<< "$(run "$OUT/bill.out" "$IMCOST" --db "$db" --format json import "$bill")"
	got=$(jq -r '.[0].records' "$OUT/bill.out" 2>/dev/null)
	if [ "$rc" != 0 ] || [ "$got" != "$BILL_ROWS" ]; then
		echo "WRONG: bill import (exit $rc) read $got line items, want $BILL_ROWS: $(head -2 "$OUT/bill.out.err")"
		fail=1
	fi
	bw+=("$w") bc+=("$c")
	[ "$k" -gt "$brss" ] && brss=$k
	read -r w c k <<< "$(price_run prices "price-list import" "$want" "$IMCOST" --db "$db" import "$csv")"
	pw+=("$w") pc+=("$c")
	[ "$k" -gt "$prss" ] && prss=$k
	read -r w c k <<< "$(price_run aws "offer JSON import" "$aws_want" "$IMCOST" --db "$db" import "$awsj")"
	jw+=("$w") jc+=("$c")
	[ "$k" -gt "$jrss" ] && jrss=$k
done
echo "bench/prices.sh: the offer JSON with everything in memory" >&2
read -r mw mc mk <<< "$(price_run awsmem "offer JSON import in memory" "$aws_want" \
	env IMCOST_OFFER_MEMORY_MB=100000 "$IMCOST" --db "$db" import "$awsj")"
rmdb "$db"
rmdb "$OUT/prices-ref.db"
echo "bench/prices.sh: sqlite3 .import of the offer CSV" >&2
read -r sw sc sk src <<< "$(run "$OUT/sqlite.out" sqlite3 "$OUT/prices-ref.db" ".import --csv --skip 5 $csv t")"
ref=$(sqlite3 "$OUT/prices-ref.db" "SELECT COUNT(*) FROM t" 2>/dev/null)
if [ "$src" != 0 ] || [ "${ref:-0}" -lt "$ROWS" ]; then
	echo "WRONG: sqlite3 .import (exit $src) holds ${ref:-no} rows, want at least $ROWS"
	fail=1
fi
echo "bench/prices.sh: Azure and GCP JSON price lists" >&2
azdir=$OUT/prices-azure
gcpf=$OUT/prices-gcp-$GCP_SKUS.json
az_want=$(python3 "$ROOT/bench/gen-prices-json.py" azure "$AZ_ITEMS" "$azdir") || exit 1
gcp_want=$(python3 "$ROOT/bench/gen-prices-json.py" gcp "$GCP_SKUS" "$gcpf") || exit 1
az_bytes=$(cat "$azdir"/page-*.json | wc -c)
gcp_bytes=$(stat -c %s "$gcpf")
rmdb "$db"
read -r aw ac ak arc <<< "$(run "$OUT/azure.out" "$IMCOST" --db "$db" import "$azdir"/page-*.json)"
got=$(sqlite3 "$db" "SELECT COUNT(*) FROM prices" 2>/dev/null)
if [ "$arc" != 0 ] || [ "$got" != "$az_want" ]; then
	echo "WRONG: Azure price-list import (exit $arc) kept $got prices, want $az_want: $(head -2 "$OUT/azure.out.err")"
	fail=1
fi
rmdb "$db"
read -r gw gc gk grc <<< "$(run "$OUT/gcp.out" "$IMCOST" --db "$db" import "$gcpf")"
got=$(sqlite3 "$db" "SELECT COUNT(*) FROM prices" 2>/dev/null)
if [ "$grc" != 0 ] || [ "$got" != "$gcp_want" ]; then
	echo "WRONG: GCP price-list import (exit $grc) kept $got prices, want $gcp_want: $(head -2 "$OUT/gcp.out.err")"
	fail=1
fi
[ -e "$OUT/prices.failed" ] && fail=1
bwm=$(median "${bw[@]}") bcm=$(median "${bc[@]}") pwm=$(median "${pw[@]}") pcm=$(median "${pc[@]}")
jwm=$(median "${jw[@]}") jcm=$(median "${jc[@]}")

echo
echo "Price-list import (issue 14), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine share the cores: trust CPU seconds over wall)"
echo "input: AWS EC2 offer CSV (bench/gen-prices.py, every field quoted): $ROWS rows, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $want prices kept"
echo "       AWS EC2 offer JSON (bench/gen-prices-json.py): $AWS_PRODUCTS products, $(awk -v b="$aws_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $aws_want prices kept"
echo "       CUR bill (gen-cur): $BILL_ROWS line items, $(awk -v b="$bill_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
echo "       Azure Retail Prices pages (bench/gen-prices-json.py): $AZ_ITEMS items in $(ls "$azdir" | wc -l) files, $(awk -v b="$az_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $az_want prices kept"
echo "       GCP Compute Engine SKU list (bench/gen-prices-json.py): $GCP_SKUS SKUs, $(awk -v b="$gcp_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $gcp_want prices kept"
echo "imcost runs: median of $REPEAT, bill, offer CSV and offer JSON alternated; sqlite3, JSON in memory, Azure, GCP: one run (rows: items, products, SKUs)"
printf '  %-24s %9s %8s %7s %10s %8s %8s %9s\n' step rows seconds CPU_s rows/s MB/s MB/CPU_s peak_MiB
line() {	# NAME ROWS BYTES WALL CPU KB
	awk -v n="$1" -v r="$2" -v b="$3" -v w="$4" -v c="$5" -v k="$6" 'BEGIN {
		if (w < 0.01) w = 0.01; if (c < 0.01) c = 0.01
		printf "  %-24s %9d %8.2f %7.2f %10.0f %8.1f %8.1f %9.1f\n", n, r, w, c, r / w, b / 1e6 / w, b / 1e6 / c, k / 1024 }'
}
line "imcost import (prices)" "$ROWS" "$bytes" "$pwm" "$pcm" "$prss"
line "imcost import (AWS JSON)" "$AWS_PRODUCTS" "$aws_bytes" "$jwm" "$jcm" "$jrss"
line "  the same, in memory" "$AWS_PRODUCTS" "$aws_bytes" "$mw" "$mc" "$mk"
line "imcost import (bill)" "$BILL_ROWS" "$bill_bytes" "$bwm" "$bcm" "$brss"
line "sqlite3 .import (prices)" "$ROWS" "$bytes" "$sw" "$sc" "$sk"
line "imcost import (Azure)" "$AZ_ITEMS" "$az_bytes" "$aw" "$ac" "$ak"
line "imcost import (GCP)" "$GCP_SKUS" "$gcp_bytes" "$gw" "$gc" "$gk"
awk -v pb="$bytes" -v bb="$bill_bytes" -v pw="$pwm" -v pc="$pcm" -v bw="$bwm" -v bc="$bcm" -v sw="$sw" -v sc="$sc" 'BEGIN {
	if (pw < 0.01) pw = 0.01; if (pc < 0.01) pc = 0.01; if (bw < 0.01) bw = 0.01; if (bc < 0.01) bc = 0.01
	r = (pb / pw) / (bb / bw); rc = (pb / pc) / (bb / bc)
	printf "  vs sqlite3 .import of the same file: %.2fx faster (wall), %.2fx (CPU)\n", sw / pw, sc / pc
	printf "  price-list MB/s / bill MB/s: %.2f (wall), %.2f (CPU MB per second)\n", r, rc
	printf "target: price-list import at least as many MB per CPU-second as the bill import: %s\n", (rc >= 1 ? "met" : "NOT MET")
	exit !(rc >= 1) }'
speed=$?
awk -v pb="$aws_bytes" -v bb="$bill_bytes" -v pw="$jwm" -v pc="$jcm" -v bw="$bwm" -v bc="$bcm" 'BEGIN {
	if (pw < 0.01) pw = 0.01; if (pc < 0.01) pc = 0.01; if (bw < 0.01) bw = 0.01; if (bc < 0.01) bc = 0.01
	r = (pb / pw) / (bb / bw); rc = (pb / pc) / (bb / bc)
	printf "  offer JSON MB/s / bill MB/s: %.2f (wall), %.2f (CPU MB per second)\n", r, rc
	printf "target: offer JSON import at least as many MB per CPU-second as the bill import: %s\n", (rc >= 1 ? "met" : "NOT MET")
	exit !(rc >= 1) }' || speed=1
echo "  CPU seconds of each offer JSON run: ${jc[*]}"
echo "  CPU seconds of each run (alternated): price list ${pc[*]}; bill ${bc[*]}"
if [ "$prss" -le $((64 * 1024)) ]; then
	echo "target: peak RSS of the price-list import <= 64 MiB: met ($((prss / 1024)) MiB)"
else
	echo "target: peak RSS of the price-list import <= 64 MiB: NOT MET ($((prss / 1024)) MiB)"
	fail=1
fi
if [ "$jrss" -le $((64 * 1024)) ]; then
	echo "target: peak RSS of the offer JSON import <= 64 MiB: met ($((jrss / 1024)) MiB; $((mk / 1024)) MiB with everything in memory)"
else
	echo "target: peak RSS of the offer JSON import <= 64 MiB: NOT MET ($((jrss / 1024)) MiB)"
	fail=1
fi
if [ "$gk" -le $((64 * 1024)) ]; then
	echo "target: peak RSS of the GCP SKU list import <= 64 MiB: met ($((gk / 1024)) MiB)"
else
	echo "target: peak RSS of the GCP SKU list import <= 64 MiB: NOT MET ($((gk / 1024)) MiB)"
	fail=1
fi
[ "${BENCH_STRICT:-0}" = 1 ] && [ "$speed" != 0 ] && fail=1
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$csv" "$bill" "$azdir" "$gcpf" "$awsj"
rmdb "$db"
rmdb "$OUT/prices-ref.db"
exit $fail
