#!/bin/bash
# bench/run.sh - `make bench`: how fast imcost imports and analyzes a large
# AWS CUR month, next to the references of issue 2.
#
#   bench/run.sh [BUILD_DIR]        (make bench builds ./imcost and
#                                    BUILD_DIR/gen-cur first; default build/rel)
#
# For each scale (number of CUR line items) it generates one month with
# BUILD_DIR/gen-cur (legacy CUR CSV, ~790 bytes a row) and its .csv.gz, then,
# on that same file and in this order:
#   imcost import          the CSV into a fresh database
#   imcost analyze         of that imported month (--month 2026-10)
#   imcost import .csv.gz  the gzip of the same CSV into a fresh database
#   sqlite3 .import        the sqlite3 CLI's `.import --csv` of the same CSV
#                          into a fresh database (always run)
#   DuckDB read_csv        CREATE TABLE AS read_csv into a fresh database file
#                          through the npm package @duckdb/node-api
#                          (bench/duckdb-import.mjs), when node and npm are
#                          present; the package is installed into
#                          bench/node_modules now, and the step is skipped
#                          with a message when that fails
# and prints an aligned table: rows, seconds, rows/s, MB/s of the CSV (for
# .csv.gz too: uncompressed megabytes, 1 MB = 10^6 bytes), peak RSS, CPU
# seconds, database size and the speed ratio to sqlite3 .import and to
# DuckDB (reference seconds / seconds: above 1 is faster than it), then the
# targets of issue 2 with met / not met.
#
# Every step's exit status is checked, and its result too (untimed, after
# the clock stopped): imcost's JSON result must count every record and its
# billed cost must match gen-cur's --totals, analyze's JSON summary too, the
# sqlite3 and DuckDB tables must hold every row.  A step that fails is
# reported as FAILED or WRONG in the table and makes the script exit 1;
# unmet targets are results, not failures (BENCH_STRICT=1 makes them exit 1).
#
# Peak RSS: /usr/bin/time (GNU time, %M: the command's ru_maxrss); without
# it, VmHWM polled from /proc/PID/status every 20 ms, which can miss a peak
# reached in the last 20 ms of a process and adds up to 20 ms to its time
# (fine for the multi-second steps, not for tiny runs; a python3 wrapper
# would be worse: its child's ru_maxrss includes python's own memory,
# forked before the exec).  The method used is printed.
#
# Wall time: bash's EPOCHREALTIME around the command (process start-up
# included), except DuckDB, whose time is that of the CREATE TABLE ...
# read_csv and CHECKPOINT measured inside Node (Node's start-up and library
# load are left out, in DuckDB's favour); its peak RSS is that of the whole
# node process.  The page cache is warm for every tool: the CSV has just
# been written (and read by the steps before).  Column "others" is the CPU
# other processes used during the step, in cores (machine-wide busy time
# from /proc/stat less the step's own CPU time, over its wall time); the
# report warns when the machine was busy, and the targets then also show
# the CPU-time ratios (for information: they are judged on wall time).
# Before each scale the free space in bench/out is checked (~2.5x the CSV:
# the CSV, its gzip and one database at a time).
#
# Then the metrics step (issue 15): BUILD_DIR/gen-metrics writes a month of
# 5-minute samples under CloudWatch's names (CPUUtilization, NetworkIn,
# NetworkOut, DiskReadOps, DiskWriteOps) for N instances; `imcost import`
# of it into a fresh database (checked: every record read, one row per
# instance, metric and hour written) against the sqlite3 CLI's `.import
# --csv` of the same file; targets: 3x faster than sqlite3, peak RSS <= 64
# MiB, seconds per row at the larger scale within 1.5x of the smaller's.
#
# Then the high-cardinality step (issue 24): gen-cur --unique-resources
# writes a month whose every line item has its own lineItem/ResourceId and
# resourceTags/user:team value; `imcost import` of it into a fresh database
# (checked: every record read, billed cost equal to gen-cur's totals) and
# `imcost analyze` of the month (checked: its billed cost), with rows/s,
# peak RSS, database bytes per charge and analyze seconds, against the
# targets of issue 24: peak RSS <= 64 MiB, bytes per charge near the
# README's "under 90" of a normal bill (target: under 2x the normal scale's).
#
# Environment:
#   BENCH_ROWS=N       base scale (default 1000000)
#   BENCH_SCALES="A B" scales to run (default "N 4N"), e.g. "100000 400000"
#   BENCH_REPEAT=K     run each timed step K times on a fresh database and
#                      report the median time and the largest RSS (default 1)
#   BENCH_DUCKDB=0     skip the DuckDB reference
#   BENCH_METRICS="40 160"  instances of the metrics step's scales (a month
#                      of 5-minute samples: 1.79M and 7.1M rows); 0 skips it
#   BENCH_HIGHCARD=N   rows of the high-cardinality step (default BENCH_ROWS);
#                      0 skips it
#   BENCH_KEEP=1       keep the CSV, .csv.gz, databases and bench/node_modules
#   BENCH_RECORD=1     also write the report to bench/RESULTS.md
#   BENCH_STRICT=1     exit 1 when a target of issue 2 is not met
#   BENCH_RSS=time|proc  force the peak-RSS method
#   BENCH_RENDER=1     measure nothing: print the report of the last run
#                      again (bench/out/results.tsv and meta), e.g. with
#                      BENCH_RECORD=1 to write it to bench/RESULTS.md
#   BENCH_IMCOST=PATH  benchmark that imcost binary instead of ./imcost
#                      (e.g. a copy, to compare builds or to be safe from a
#                      rebuild during the run)
#
# Output: bench/out/ (gitignored): data/ (big files, removed at the end
# unless BENCH_KEEP=1), logs/ (stdout and stderr of every step),
# results.tsv (one line per step) and report.md (Markdown: machine, date,
# commit, tables, targets).
set -u
BUILD=${1:-build/rel}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
export LC_ALL=C TZ=UTC NO_COLOR=1

IMCOST=${BENCH_IMCOST:-$ROOT/imcost}
GEN=$ROOT/$BUILD/gen-cur
BASE=${BENCH_ROWS:-1000000}
case $BASE in '' | *[!0-9]*) echo "bench: BENCH_ROWS must be a number" >&2; exit 2 ;; esac
SCALES=${BENCH_SCALES:-"$BASE $((BASE * 4))"}
REPEAT=${BENCH_REPEAT:-1}
KEEP=${BENCH_KEEP:-0}
MONTH=2026-10
SEED=1
METRICS=${BENCH_METRICS:-"40 160"}
HIGHCARD=${BENCH_HIGHCARD:-$BASE}
case $HIGHCARD in '' | *[!0-9]*) echo "bench: BENCH_HIGHCARD must be a number" >&2; exit 2 ;; esac
GENM=$ROOT/$BUILD/gen-metrics
OUT=$ROOT/bench/out
DATA=$OUT/data
LOG=$OUT/logs
TSV=$OUT/results.tsv
REPORT=$OUT/report.md
RSS_LIMIT_KB=65536		# issue 2: peak RSS at most 64 MB (MiB, as ru_maxrss)

for s in $SCALES; do
	case $s in '' | *[!0-9]*) echo "bench: BENCH_SCALES: '$s' is not a number" >&2; exit 2 ;; esac
	[ "$s" -ge 1000 ] || { echo "bench: scale $s: at least 1000 rows" >&2; exit 2; }
done
case $REPEAT in '' | 0 | *[!0-9]*) echo "bench: BENCH_REPEAT must be a positive number" >&2; exit 2 ;; esac
# --- the report -----------------------------------------------------------

# render FORMAT (text or md): the tables and targets from results.tsv.
render() {
	awk -F'\t' -v fmt="$1" -v limit="$RSS_LIMIT_KB" -v nproc="$NPROC" -v unmetfile="$OUT/unmet" '
	function group(x,   s, neg) {		# 1234567 -> 1,234,567
		x = sprintf("%.0f", x); neg = ""
		if (x ~ /^-/) { neg = "-"; x = substr(x, 2) }
		s = ""
		while (length(x) > 3) { s = "," substr(x, length(x) - 2) s; x = substr(x, 1, length(x) - 3) }
		return neg x s
	}
	function mb(b) { return sprintf("%.0f", b / 1e6) }
	function rssmb(k) { return sprintf("%.1f MiB", k / 1024) }
	# " (CPU 1.23x)": the same ratio in CPU seconds, for a busy machine.
	function cpuratio(a, b) { return (cpu[a] == "" || cpu[b] == "" || cpu[b] <= 0) ? "" : sprintf(" (CPU %.2fx)", cpu[a] / cpu[b]) }
	function ratio(ref, t) { return (ref == "" || t == "" || t <= 0) ? "-" : sprintf("%.2fx", ref / t) }
	function row(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11) {
		if (fmt == "md")
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11
		else
			printf "  %-22s %10s %8s %10s %7s %10s %7s %7s %11s %10s %7s\n", c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11
	}
	function target(what, goal, value, ok) {
		if (fmt == "md")
			printf "| %s | %s | %s | %s |\n", what, goal, value, ok
		else
			printf "  %-42s %-15s %-28s %s\n", what, goal, value, ok
	}
	{
		n = $1; tool = $2
		if (!(n in seen)) { seen[n] = 1; order[++ns] = n }
		k = n SUBSEP tool
		tools[n, ++nt[n]] = tool
		sec[k] = $4; rss[k] = $5; cpu[k] = $6; dbb[k] = $7; st[k] = $8; note[k] = $9; oth[k] = $10
		if ($10 != "" && $10 + 0 > busiest) busiest = $10 + 0
	}
	END {
		for (i = 1; i <= ns; i++) {
			n = order[i]
			fk = n SUBSEP "file"
			csvb = dbb[fk]
			printf (fmt == "md" ? "\n### %s rows\n\n" : "\n%s rows\n"), group(n)
			if (st[fk] == "ok")
				printf (fmt == "md" ? "CUR CSV: %s MB (%s bytes a row), generated in %s s; .csv.gz: %s MB, gzip %s s.\n\n" : "  CUR CSV %s MB (%s bytes a row), generated in %s s; .csv.gz %s MB, gzip %s s\n\n"),
					mb(csvb), sprintf("%.0f", csvb / n), sec[fk], mb(note[fk]), cpu[fk]
			sq = n SUBSEP "sqlite3 .import"; dk = n SUBSEP "DuckDB read_csv"
			sqs = (st[sq] == "ok") ? sec[sq] : ""
			dks = (st[dk] == "ok") ? sec[dk] : ""
			row("tool", "rows", "seconds", "rows/s", "MB/s", "peak RSS", "CPU s", "db MB", "vs sqlite3", "vs DuckDB", "others")
			if (fmt == "md") print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
			for (j = 1; j <= nt[n]; j++) {
				tool = tools[n, j]; k = n SUBSEP tool
				if (tool == "file") continue
				if (st[k] != "ok") {
					row(tool, group(n), st[k], "-", "-", "-", "-", "-", "-", "-", "-")
					if (st[k] != "skipped") bad[++nbad] = group(n) " rows, " tool ": " st[k] (note[k] != "" ? " (" note[k] ")" : "")
					continue
				}
				isan = (tool == "imcost analyze")
				row(tool, group(n), sprintf("%.2f", sec[k]),
					sec[k] > 0 ? group(n / sec[k]) : "-",
					(!isan && sec[k] > 0 && csvb > 0) ? sprintf("%.1f", csvb / 1e6 / sec[k]) : "-",
					rssmb(rss[k]), cpu[k] == "" ? "-" : cpu[k],
					dbb[k] == "" ? "-" : mb(dbb[k]),
					(isan || tool == "sqlite3 .import") ? "-" : ratio(sqs, sec[k]),
					(isan || tool == "DuckDB read_csv") ? "-" : ratio(dks, sec[k]),
					oth[k] == "" ? "-" : oth[k])
			}
			if (fmt != "md") {
				print "  (vs X = X seconds / these seconds: above 1 is faster than X; MB/s of the uncompressed CSV;"
				print "   others = cores used by other processes meanwhile, median)"
			}

			# targets of issue 2
			ik = n SUBSEP "imcost import"; gk = n SUBSEP "imcost import .csv.gz"; ak = n SUBSEP "imcost analyze"
			printf (fmt == "md" ? "\nTargets of issue 2 at %s rows:\n\n" : "\n  targets of issue 2 at %s rows:\n"), group(n)
			if (fmt == "md") { print "| target | goal | measured | |"; print "|---|---|---|---|" }
			ok_i = (st[ik] == "ok")
			if (ok_i && sqs != "") { r = sqs / sec[ik]; target("import vs sqlite3 .import", ">= 5x faster", sprintf("%.2fx", r) cpuratio(sq, ik), r >= 5 ? "met" : "NOT MET"); if (r < 5) unmet++ }
			else target("import vs sqlite3 .import", ">= 5x faster", "-", "not measured")
			if (ok_i && dks != "") { r = dks / sec[ik]; target("import vs DuckDB read_csv", ">= 4x faster", sprintf("%.2fx", r) cpuratio(dk, ik), r >= 4 ? "met" : "NOT MET"); if (r < 4) unmet++ }
			else target("import vs DuckDB read_csv", ">= 4x faster", "-", "not measured")
			if (ok_i) { m = rss[ik]; w = "import" } else m = -1
			if (st[gk] == "ok" && rss[gk] > m) { m = rss[gk]; w = "import .csv.gz" }
			if (m >= 0) { target("peak RSS of imcost import (plain and .gz)", "<= 64 MiB", rssmb(m) " (" w ")", m <= limit ? "met" : "NOT MET"); if (m > limit) unmet++ }
			else target("peak RSS of imcost import (plain and .gz)", "<= 64 MiB", "-", "not measured")
			if (st[ak] == "ok") { target("imcost analyze of the month", "< 1 s", sprintf("%.2f s", sec[ak]), sec[ak] < 1 ? "met" : "NOT MET"); if (sec[ak] >= 1) unmet++ }
			else target("imcost analyze of the month", "< 1 s", "-", "not measured")
			if (ok_i && st[gk] == "ok") { r = sec[gk] / sec[ik]; target(".csv.gz import vs plain", "<= 1.5x slower", sprintf("%.2fx", r) cpuratio(gk, ik), r <= 1.5 ? "met" : "NOT MET"); if (r > 1.5) unmet++ }
			else target(".csv.gz import vs plain", "<= 1.5x slower", "-", "not measured")
			if (n != 1000000 || nproc != 2)
				printf (fmt == "md" ? "\n(Issue 2 states its targets for 1,000,000 rows on 2 cores; this is %s rows on %s.)\n" : "  (issue 2 states its targets for 1,000,000 rows on 2 cores; this is %s rows on %s)\n"),
					group(n), nproc " core" (nproc == 1 ? "" : "s")
		}
		if (busiest > 0.25)
			printf (fmt == "md" ? "\n**The machine was busy**: other processes used up to %.2f of the %s cores during a step (column others), so these wall times are pessimistic and noisy; CPU s, and the CPU ratios given beside the targets (for information; the targets are judged on wall time), are less affected.\n" : "\nTHE MACHINE WAS BUSY: other processes used up to %.2f of the %s cores during a step\n(column others); wall times are pessimistic and noisy; CPU s and the CPU ratios beside\nthe targets (information only: targets are judged on wall time) are less affected.\n"), busiest, nproc
		if (nbad > 0) {
			printf (fmt == "md" ? "\n**Failed steps:**\n\n" : "\nFAILED STEPS:\n")
			for (i = 1; i <= nbad; i++) printf (fmt == "md" ? "- %s\n" : "  %s\n"), bad[i]
		}
		printf "%d\n", unmet > unmetfile
	}' "$TSV"
}

header() {
	echo "$IMCOST_VERSION, commit $COMMIT, $DATE"
	echo "machine: $NPROC cores, $CPU_MODEL, $MEM_GB GiB RAM, $KERNEL"
	echo "peak RSS by $RSS_DESC; runs per step: $REPEAT (median time)"
	[ "$DUCK" = 1 ] || echo "DuckDB reference SKIPPED: $DUCK_WHY"
}
# report: prints the tables, writes bench/out/report.md (and bench/RESULTS.md
# with BENCH_RECORD=1) and exits with the script's status.
report() {
	echo
	header
	render text
	[ -s "$OUT/metrics.txt" ] && { echo; cat "$OUT/metrics.txt"; }
	[ -s "$OUT/highcard.txt" ] && { echo; cat "$OUT/highcard.txt"; }

	# Markdown report (bench/out/report.md; bench/RESULTS.md with BENCH_RECORD=1).
	{
		echo "# imcost benchmark results"
		echo
		echo "Written by \`make bench\` (bench/run.sh); issue 2 sets the targets."
		echo
		echo "- date: $DATE"
		echo "- commit: $COMMIT (\`git rev-parse --short HEAD\` of the tree benchmarked; uncommitted changes are not detected)"
		echo "- machine: $NPROC cores ($CPU_MODEL), $MEM_GB GiB RAM (MemTotal $MEM_KB kB), $KERNEL"
		echo "- imcost: $IMCOST_VERSION, built with $CC_VERSION${IMCOST_BIN:+ (binary $IMCOST_BIN)}"
		echo "- references: sqlite3 CLI $SQLITE_VERSION; DuckDB ${DUCK_VERSION:-not run} (@duckdb/node-api, Node $NODE_VERSION)"
		[ "$DUCK" = 1 ] || echo "- DuckDB reference skipped: $DUCK_WHY"
		echo "- peak RSS: $RSS_DESC"
		echo "- runs per step: $REPEAT (median time, largest RSS)"
		echo
		echo "Method: gen-cur writes one legacy CUR month ($MONTH, seed $SEED); on that same"
		echo "file, each tool loads into a fresh database: \`imcost import\` (mapped to"
		echo "FOCUS, indexed, analysis-ready), the same for the file's .csv.gz, the"
		echo "sqlite3 CLI's \`.import --csv\` (raw text columns, no index) and DuckDB's"
		echo "\`CREATE TABLE AS SELECT * FROM read_csv(...)\` plus CHECKPOINT (timed inside"
		echo "Node, start-up excluded; its RSS is the whole node process).  \`imcost analyze"
		echo "--month $MONTH\` runs on the imported month.  Seconds are wall time with a warm"
		echo "page cache; MB/s is of the uncompressed CSV (10^6 bytes); \`vs X\` is X's"
		echo "seconds divided by the tool's (above 1: faster than X).  Every result is"
		echo "checked: row counts, and billed cost against gen-cur's exact totals."
		echo "\`others\` is the CPU that other processes used during the step, in cores"
		echo "(machine-wide busy time from /proc/stat less the step's own CPU time, over"
		echo "its wall time): near 0 on a quiet machine."
		render md
		[ -s "$OUT/metrics.md" ] && cat "$OUT/metrics.md"
		[ -s "$OUT/highcard.md" ] && cat "$OUT/highcard.md"
	} >"$REPORT"
	UNMET=$(cat "$OUT/unmet" 2>/dev/null || echo 0)
	rm -f "$OUT/unmet"
	if [ "${BENCH_RECORD:-0}" = 1 ]; then
		cp "$REPORT" "$ROOT/bench/RESULTS.md" && echo "bench: wrote bench/RESULTS.md" >&2
	fi
	echo
	echo "report: bench/out/report.md; logs: bench/out/logs/"
	[ "$FAILED" = 0 ] || { echo "bench: some steps FAILED (see above)" >&2; exit 1; }
	if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$UNMET" != 0 ]; then
		echo "bench: $UNMET target(s) of issue 2 not met" >&2
		exit 1
	fi
	exit 0
}

# BENCH_RENDER=1: only render the report of the last run again (from
# bench/out/results.tsv and bench/out/meta), measuring nothing.
if [ "${BENCH_RENDER:-0}" = 1 ]; then
	if [ ! -s "$TSV" ] || [ ! -f "$OUT/meta" ]; then
		echo "bench: BENCH_RENDER=1: no earlier run in bench/out" >&2
		exit 2
	fi
	# shellcheck disable=SC1091
	. "$OUT/meta"
	FAILED=0
	awk -F'\t' '$8 == "FAILED" || $8 == "WRONG" { bad = 1 } END { exit !bad }' "$TSV" && FAILED=1
	report
fi

for f in "$IMCOST" "$GEN" $([ "$METRICS" = 0 ] || echo "$GENM"); do
	[ -x "$f" ] || { echo "bench: $f missing: run 'make bench'" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 CLI missing (scripts/install-deps.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench: jq missing (scripts/install-deps.sh)" >&2; exit 2; }

FAILED=0
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
	[ "$KEEP" = 1 ] && return
	rm -rf "$DATA"
	[ -n "${NPM_INSTALLED:-}" ] && rm -rf "$ROOT/bench/node_modules"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

rm -rf "$DATA" "$LOG"
mkdir -p "$DATA" "$LOG" || exit 1
: >"$TSV"

# --- measuring ------------------------------------------------------------

# stamp: T = now, in seconds with a fraction.
stamp() { T=${EPOCHREALTIME:-$(date +%s.%N)}; }
# fsub A B: A - B, 3 decimals.
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

RSS_METHOD=${BENCH_RSS:-auto}
if [ "$RSS_METHOD" = auto ]; then
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
		RSS_METHOD="time"
	else
		RSS_METHOD=proc
	fi
fi
case $RSS_METHOD in
time) RSS_DESC="GNU time (/usr/bin/time %M, the process's ru_maxrss)" ;;
proc) RSS_DESC="VmHWM polled from /proc/PID/status every 20 ms (no /usr/bin/time)" ;;
*) echo "bench: BENCH_RSS must be time or proc" >&2; exit 2 ;;
esac

HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
# busy: B = CPU time used by the whole machine since boot, in clock ticks
# (user, nice, system, irq, softirq, steal of the "cpu" line of /proc/stat).
busy() {
	local u n s q sq st
	read -r _ u n s _ _ q sq st _ </proc/stat 2>/dev/null
	B=$((${u:-0} + ${n:-0} + ${s:-0} + ${q:-0} + ${sq:-0} + ${st:-0}))
}

# measure LOGNAME CMD...: runs CMD with stdout and stderr in LOGNAME.out and
# LOGNAME.err; sets M_RC (exit status), M_SEC (wall seconds), M_RSS (peak
# RSS, KiB), M_CPU (user + system seconds, "" when unknown) and M_OTHER
# (CPU used meanwhile by other processes, in cores: machine-wide busy time
# from /proc/stat less M_CPU, over M_SEC; "" when unknown).
measure() {
	local log=$1 t0 line u s hwm st hw k v pid b0
	shift
	rm -f "$log.rusage"
	M_CPU="" M_RSS=0 M_OTHER=""
	busy; b0=$B
	case $RSS_METHOD in
	time)
		stamp; t0=$T
		/usr/bin/time -f '%M %U %S' -o "$log.rusage" "$@" >"$log.out" 2>"$log.err"
		M_RC=$?
		stamp; M_SEC=$(fsub "$T" "$t0")
		line=$(tail -n 1 "$log.rusage" 2>/dev/null)
		read -r M_RSS u s <<<"$line"
		M_CPU=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%.2f", u + s }')
		;;
	proc)
		stamp; t0=$T
		"$@" >"$log.out" 2>"$log.err" &
		pid=$!
		hwm=0
		while :; do
			st="" hw=""
			while read -r k v _; do
				case $k in State:) st=$v ;; VmHWM:) hw=$v ;; esac
			done </proc/$pid/status 2>/dev/null || break
			[ -n "$hw" ] && [ "$hw" -gt "$hwm" ] && hwm=$hw
			{ [ -z "$st" ] || [ "$st" = Z ]; } && break
			sleep 0.02
		done
		wait "$pid"
		M_RC=$?
		stamp; M_SEC=$(fsub "$T" "$t0")
		M_RSS=$hwm
		;;
	esac
	[ -n "$M_RSS" ] || M_RSS=0
	busy
	if [ -n "$M_CPU" ]; then
		# Clamped to [0, cores]: clock ticks make it coarse on short steps.
		M_OTHER=$(awk -v b=$((B - b0)) -v hz="$HZ" -v c="$M_CPU" -v t="$M_SEC" -v n="$NPROC" \
			'BEGIN { o = (b / hz - c) / (t > 0 ? t : 1); if (o < 0) o = 0; if (o > n) o = n; printf "%.2f", o }')
	fi
}

# rm_db PATH: remove a database and its journals.
rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.wal"; }
# db_bytes PATH: size of a database with its journals.
db_bytes() { du -cb "$1" "$1-wal" "$1.wal" 2>/dev/null | tail -n 1 | cut -f1; }
# median of the arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run_step SCALE KEY DB CMD...: REPEAT runs of CMD, each after removing DB
# (none removed when DB is -); sets S_RC (0, or the first failing exit
# status), S_SEC (median), S_RSS (largest), S_CPU and S_OTHER (medians) and
# S_LOG (the log name of the runs).  With STEP_JSON_SECONDS=1 the time is
# the "seconds" field of CMD's JSON stdout.
run_step() {
	local scale=$1 key=$2 db=$3 i secs=() cpus=() others=()
	shift 3
	S_LOG=$LOG/$scale-$key S_RC=0 S_RSS=0
	for ((i = 1; i <= REPEAT; i++)); do
		[ "$db" = - ] || rm_db "$db"
		measure "$S_LOG" "$@"
		if [ "$M_RC" -ne 0 ]; then S_RC=$M_RC; break; fi
		if [ "${STEP_JSON_SECONDS:-0}" = 1 ]; then
			M_SEC=$(jq -r '.seconds' "$S_LOG.out" 2>/dev/null)
			case $M_SEC in '' | null) S_RC=1; echo "no seconds in output" >>"$S_LOG.err"; break ;; esac
		fi
		secs+=("$M_SEC")
		[ -n "$M_CPU" ] && cpus+=("$M_CPU")
		[ -n "$M_OTHER" ] && others+=("$M_OTHER")
		[ "$M_RSS" -gt "$S_RSS" ] && S_RSS=$M_RSS
	done
	S_SEC="" S_CPU="" S_OTHER=""
	if [ "$S_RC" -eq 0 ]; then
		S_SEC=$(median "${secs[@]}")
		[ ${#cpus[@]} -gt 0 ] && S_CPU=$(median "${cpus[@]}")
		[ ${#others[@]} -gt 0 ] && S_OTHER=$(median "${others[@]}")
	fi
	return 0
}

# record SCALE TOOL ROWS SECONDS RSS_KB CPU DB_BYTES STATUS NOTE [OTHERS]
record() {
	local IFS=$'\t'
	echo "$*" >>"$TSV"
}

# near A B: |A - B| < 0.01 (money printed with 6 and with 10 decimals).
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && b != "" && d < 0.01 && d > -0.01) }'; }

# fail_msg LOG RC: a one-line reason from a failed step's stderr.
fail_msg() {
	local why
	why=$(grep -v '^$' "$1.err" 2>/dev/null | tail -n 1 | cut -c1-160)
	echo "exit $2${why:+: $why}"
}

# --- DuckDB reference -----------------------------------------------------

DUCK=0 DUCK_WHY="" DUCK_VERSION=""
NPM_INSTALLED=""
if [ "${BENCH_DUCKDB:-1}" = 0 ]; then
	DUCK_WHY="BENCH_DUCKDB=0"
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	DUCK_WHY="node or npm not found"
else
	[ -d "$ROOT/bench/node_modules" ] || NPM_INSTALLED=1
	echo "bench: npm install @duckdb/node-api into bench/node_modules" >&2
	if (cd "$ROOT/bench" && npm install --no-audit --no-fund --no-package-lock \
		--loglevel=error) >"$LOG/npm-install.log" 2>&1 &&
		[ -f "$ROOT/bench/node_modules/@duckdb/node-api/package.json" ]; then
		DUCK=1
	else
		DUCK_WHY="npm install of @duckdb/node-api failed (see bench/out/logs/npm-install.log)"
	fi
fi
if [ "$DUCK" = 0 ]; then
	echo "bench: DuckDB reference SKIPPED: $DUCK_WHY" >&2
fi

# --- the machine ----------------------------------------------------------

NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
MEM_KB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null)
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[ -n "$CPU_MODEL" ] || CPU_MODEL=$(uname -m)
KERNEL=$(uname -sr)
DATE=$(date -u +%Y-%m-%dT%H:%MZ)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
IMCOST_VERSION=$("$IMCOST" --version 2>/dev/null | head -n 1)
SQLITE_VERSION=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }')
NODE_VERSION=$(node --version 2>/dev/null || echo none)
CC_VERSION=$(${CC:-cc} --version 2>/dev/null | head -n 1)
MEM_GB=$(awk -v k="${MEM_KB:-0}" 'BEGIN { printf "%.1f", k / 1048576 }')
echo "bench: $NPROC cores ($CPU_MODEL), $MEM_GB GiB, $KERNEL; commit $COMMIT; peak RSS by $RSS_DESC" >&2
read -r LOAD1 _ </proc/loadavg 2>/dev/null
if awk -v l="${LOAD1:-0}" -v n="$NPROC" 'BEGIN { exit !(l > n / 2) }'; then
	echo "bench: WARNING: the machine is busy (load average $LOAD1 on $NPROC cores): times will be noisy" >&2
fi

# --- one scale ------------------------------------------------------------

bench_scale() {
	local n=$1 csv=$DATA/cur-$1.csv gz=$DATA/cur-$1.csv.gz totals=$DATA/totals-$1.txt
	local db=$DATA/imcost-$1.db gzdb=$DATA/imcost-gz-$1.db sqdb=$DATA/sqlite3-$1.db
	local ddb=$DATA/duckdb-$1.duckdb bytes need avail t0 gen_s gz_s gz_bytes
	local billed got cnt reason rows st

	# Room for the CSV, its gzip and one database at a time (~2.5x the CSV).
	need=$((n * 800 * 5 / 2 / 1024))
	avail=$(df -Pk "$DATA" | awk 'NR == 2 { print $4 }')
	if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
		echo "bench: $n rows: needs ~$((need / 1024)) MiB free in $DATA, $((avail / 1024)) MiB left; try a smaller BENCH_SCALES" >&2
		record "$n" "gen-cur" "$n" "" 0 "" 0 FAILED "not enough disk space"
		FAILED=1
		return
	fi

	echo "bench: $n rows: generating $csv" >&2
	stamp; t0=$T
	if ! "$GEN" --rows "$n" --month "$MONTH" --seed "$SEED" --out "$csv" \
		--totals "$totals" 2>"$LOG/$n-gen.err"; then
		record "$n" "gen-cur" "$n" "" 0 "" 0 FAILED "$(fail_msg "$LOG/$n-gen" $?)"
		FAILED=1
		return
	fi
	stamp; gen_s=$(fsub "$T" "$t0")
	rows=$(awk -F= '$1 == "rows" { print $2 }' "$totals")
	billed=$(awk -F= '$1 == "billed_cost" { print $2 }' "$totals")
	if [ "$rows" != "$n" ]; then
		record "$n" "gen-cur" "$n" "" 0 "" 0 WRONG "gen-cur wrote $rows rows, not $n"
		FAILED=1
		return
	fi
	bytes=$(stat -c %s "$csv")
	stamp; t0=$T
	if ! gzip -c "$csv" >"$gz" 2>"$LOG/$n-gzip.err"; then
		record "$n" "gzip" "$n" "" 0 "" 0 FAILED "gzip failed"
		FAILED=1
		return
	fi
	stamp; gz_s=$(fsub "$T" "$t0")
	gz_bytes=$(stat -c %s "$gz")
	# A line with the file: tool "file", seconds = generation, cpu = gzip s.
	record "$n" "file" "$n" "$gen_s" 0 "$gz_s" "$bytes" ok "$gz_bytes"
	echo "bench: $n rows: CSV $bytes bytes in ${gen_s}s; .csv.gz $gz_bytes bytes in ${gz_s}s" >&2

	# imcost import (plain CSV)
	echo "bench: $n rows: imcost import" >&2
	run_step "$n" imcost "$db" "$IMCOST" --db "$db" --format json import "$csv"
	st=ok reason=""
	if [ "$S_RC" -ne 0 ]; then
		st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
	else
		got=$(jq -r '.[0].records' "$S_LOG.out" 2>/dev/null)
		cnt=$(jq -r '.[0].billed_cost' "$S_LOG.out" 2>/dev/null)
		if [ "$got" != "$n" ]; then
			st=WRONG reason="imported $got records, not $n"
		elif ! near "$cnt" "$billed"; then
			st=WRONG reason="billed cost $cnt, gen-cur says $billed"
		fi
	fi
	record "$n" "imcost import" "$n" "$S_SEC" "$S_RSS" "$S_CPU" "$(db_bytes "$db")" "$st" "$reason" "$S_OTHER"
	[ "$st" = ok ] || FAILED=1

	# imcost analyze of the imported month
	if [ "$st" = ok ]; then
		echo "bench: $n rows: imcost analyze" >&2
		run_step "$n" analyze - "$IMCOST" --db "$db" analyze --month "$MONTH"
		st=ok reason=""
		if [ "$S_RC" -ne 0 ]; then
			st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
		elif [ ! -s "$S_LOG.out" ]; then
			st=WRONG reason="analyze printed nothing"
		else
			# Untimed check of what it computed.
			got=$("$IMCOST" --db "$db" --format json analyze --month "$MONTH" 2>>"$S_LOG.err" |
				jq -r '.summary.billed_cost' 2>/dev/null)
			near "$got" "$billed" || st=WRONG reason="analyze billed cost $got, gen-cur says $billed"
		fi
		record "$n" "imcost analyze" "$n" "$S_SEC" "$S_RSS" "$S_CPU" "" "$st" "$reason" "$S_OTHER"
		[ "$st" = ok ] || FAILED=1
	else
		record "$n" "imcost analyze" "$n" "" 0 "" "" FAILED "not run: the import failed"
	fi
	[ "$KEEP" = 1 ] || rm_db "$db"

	# imcost import of the .csv.gz
	echo "bench: $n rows: imcost import .csv.gz" >&2
	run_step "$n" imcost-gz "$gzdb" "$IMCOST" --db "$gzdb" --format json import "$gz"
	st=ok reason=""
	if [ "$S_RC" -ne 0 ]; then
		st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
	else
		got=$(jq -r '.[0].records' "$S_LOG.out" 2>/dev/null)
		cnt=$(jq -r '.[0].billed_cost' "$S_LOG.out" 2>/dev/null)
		if [ "$got" != "$n" ]; then
			st=WRONG reason="imported $got records, not $n"
		elif ! near "$cnt" "$billed"; then
			st=WRONG reason="billed cost $cnt, gen-cur says $billed"
		fi
	fi
	record "$n" "imcost import .csv.gz" "$n" "$S_SEC" "$S_RSS" "$S_CPU" "$(db_bytes "$gzdb")" "$st" "$reason" "$S_OTHER"
	[ "$st" = ok ] || FAILED=1
	[ "$KEEP" = 1 ] || rm_db "$gzdb"

	# sqlite3 CLI .import of the same CSV
	echo "bench: $n rows: sqlite3 .import" >&2
	run_step "$n" sqlite3 "$sqdb" sqlite3 "$sqdb" ".import --csv \"$csv\" cur"
	st=ok reason=""
	if [ "$S_RC" -ne 0 ]; then
		st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
	elif [ -s "$S_LOG.err" ]; then
		st=WRONG reason="sqlite3: $(head -n 1 "$S_LOG.err" | cut -c1-160)"
	else
		got=$(sqlite3 "$sqdb" 'SELECT count(*) FROM cur' 2>/dev/null)
		[ "$got" = "$n" ] || st=WRONG reason="sqlite3 table holds $got rows, not $n"
	fi
	record "$n" "sqlite3 .import" "$n" "$S_SEC" "$S_RSS" "$S_CPU" "$(db_bytes "$sqdb")" "$st" "$reason" "$S_OTHER"
	[ "$st" = ok ] || FAILED=1
	[ "$KEEP" = 1 ] || rm_db "$sqdb"

	# DuckDB read_csv
	if [ "$DUCK" = 1 ]; then
		echo "bench: $n rows: DuckDB read_csv" >&2
		STEP_JSON_SECONDS=1 run_step "$n" duckdb "$ddb" node "$ROOT/bench/duckdb-import.mjs" "$ddb" "$csv"
		st=ok reason=""
		if [ "$S_RC" -ne 0 ]; then
			st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
		else
			got=$(jq -r '.rows' "$S_LOG.out" 2>/dev/null)
			DUCK_VERSION=$(jq -r '.version' "$S_LOG.out" 2>/dev/null)
			[ "$got" = "$n" ] || st=WRONG reason="DuckDB table holds $got rows, not $n"
		fi
		record "$n" "DuckDB read_csv" "$n" "$S_SEC" "$S_RSS" "$S_CPU" "$(db_bytes "$ddb")" "$st" "$reason" "$S_OTHER"
		[ "$st" = ok ] || FAILED=1
		[ "$KEEP" = 1 ] || rm_db "$ddb"
	else
		record "$n" "DuckDB read_csv" "$n" "" 0 "" "" skipped "$DUCK_WHY"
	fi
	[ "$KEEP" = 1 ] || rm -f "$csv" "$gz"
}

for s in $SCALES; do
	bench_scale "$s"
done

# --- metrics (issue 15) ---------------------------------------------------

# bench_metrics: the metrics step's table into $OUT/metrics.txt and
# $OUT/metrics.md (report() prints them).
bench_metrics() {
	local n csv db sqdb rows want st reason got hours isec ssec irss first_rate rate lin=""
	local tab="" md=""
	rm -f "$OUT/metrics.txt" "$OUT/metrics.md"
	[ "$METRICS" = 0 ] && return
	md+="| instances | rows | CSV MB | imcost s | imcost MiB | sqlite3 s | vs sqlite3 | s per M rows | status |"$'\n'
	md+="|---|---|---|---|---|---|---|---|---|"$'\n'
	for n in $METRICS; do
		csv=$DATA/metrics-$n.csv db=$DATA/metrics-$n.db sqdb=$DATA/metrics-sqlite3-$n.db
		echo "bench: metrics, $n instances: generating $csv" >&2
		if ! rows=$("$GENM" --instances "$n" --step 300 --month "$MONTH" --out "$csv" 2>&1); then
			tab+=$(printf '%-9s FAILED gen-metrics: %s' "$n" "$rows")$'\n'
			FAILED=1
			continue
		fi
		hours=$(( n * 5 * $(date -u -d "$MONTH-01 +1 month -1 day" +%d) * 24 ))
		echo "bench: metrics, $n instances ($rows rows): imcost import" >&2
		run_step "m$n" imcost-metrics "$db" "$IMCOST" --db "$db" --format json import "$csv"
		st=ok reason="" isec=$S_SEC irss=$S_RSS
		if [ "$S_RC" -ne 0 ]; then
			st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
		else
			got=$(jq -r '.[0].records' "$S_LOG.out" 2>/dev/null)
			want=$(sqlite3 "$db" 'SELECT count(*) FROM usage' 2>/dev/null)
			if [ "$got" != "$rows" ]; then
				st=WRONG reason="read $got records, not $rows"
			elif [ "$want" != "$hours" ]; then
				st=WRONG reason="$want hourly rows, not $hours"
			fi
		fi
		[ "$KEEP" = 1 ] || rm_db "$db"
		echo "bench: metrics, $n instances: sqlite3 .import" >&2
		run_step "m$n" sqlite3-metrics "$sqdb" sqlite3 "$sqdb" ".import --csv \"$csv\" usage"
		ssec=$S_SEC
		if [ "$S_RC" -ne 0 ]; then
			st=FAILED reason="sqlite3: $(fail_msg "$S_LOG" "$S_RC")"
		fi
		[ "$KEEP" = 1 ] || { rm_db "$sqdb"; rm -f "$csv"; }
		[ "$st" = ok ] || FAILED=1
		rate=$(awk -v s="$isec" -v r="$rows" 'BEGIN { if (s != "" && r > 0) printf "%.3f", s / r * 1e6 }')
		[ -z "${first_rate:-}" ] && first_rate=$rate
		local ratio mb
		ratio=$(awk -v a="$ssec" -v b="$isec" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }')
		mb=$(awk -v r="$rows" 'BEGIN { printf "%.0f", r * 72 / 1e6 }')
		tab+=$(printf '%-9s %9s rows  imcost %6ss %5s MiB  sqlite3 %6ss  %5sx  %6s s/M rows  %s %s' \
			"$n" "$rows" "$isec" "$((irss / 1024))" "$ssec" "$ratio" "$rate" "$st" "$reason")$'\n'
		md+="| $n | $rows | ~$mb | $isec | $((irss / 1024)) | $ssec | ${ratio}x | $rate | $st $reason |"$'\n'
		if awk -v r="$ratio" 'BEGIN { exit !(r != "" && r >= 3) }'; then
			lin+="- $n instances: ${ratio}x sqlite3 .import (target 3x): met"$'\n'
		else
			lin+="- $n instances: ${ratio}x sqlite3 .import (target 3x): not met"$'\n'
		fi
		if [ "$irss" -le "$RSS_LIMIT_KB" ]; then
			lin+="- $n instances: peak RSS $((irss / 1024)) MiB (target 64): met"$'\n'
		else
			lin+="- $n instances: peak RSS $((irss / 1024)) MiB (target 64): not met"$'\n'
		fi
	done
	if [ -n "${first_rate:-}" ] && [ -n "${rate:-}" ] && [ "$first_rate" != "$rate" ]; then
		if awk -v a="$first_rate" -v b="$rate" 'BEGIN { exit !(b <= 1.5 * a) }'; then
			lin+="- linear: $rate s per million rows at the largest scale, $first_rate at the smallest: met"$'\n'
		else
			lin+="- linear: $rate s per million rows at the largest scale, $first_rate at the smallest: not met"$'\n'
		fi
	fi
	{
		echo "Metrics import (issue 15): a month of 5-minute CloudWatch-named samples"
		printf '%s' "$tab"
		printf '%s' "$lin"
	} >"$OUT/metrics.txt"
	{
		echo
		echo "## Metrics import (issue 15)"
		echo
		echo "gen-metrics writes a month ($MONTH) of 5-minute samples under CloudWatch's names"
		echo "(CPUUtilization, NetworkIn, NetworkOut, DiskReadOps, DiskWriteOps) for N"
		echo "instances; \`imcost import\` keeps one row per instance, metric and hour"
		echo "(checked), the sqlite3 CLI's \`.import --csv\` loads the raw rows."
		echo
		printf '%s' "$md"
		echo
		printf '%s' "$lin"
	} >"$OUT/metrics.md"
}
bench_metrics

# --- high cardinality (issue 24) ------------------------------------------

# bench_highcard: the high-cardinality step's table into $OUT/highcard.txt
# and $OUT/highcard.md (report() prints them).
bench_highcard() {
	local n=$HIGHCARD csv=$DATA/highcard.csv db=$DATA/highcard.db st=ok reason=""
	local isec irss asec arss bytes bpc rps want got normal_bpc lin=""
	rm -f "$OUT/highcard.txt" "$OUT/highcard.md"
	[ "$n" = 0 ] && return
	echo "bench: high cardinality, $n rows: generating $csv" >&2
	if ! "$GEN" --rows "$n" --month "$MONTH" --seed "$SEED" --unique-resources --out "$csv" \
		--totals "$csv.tot" >"$LOG/highcard-gen.log" 2>&1; then
		echo "High-cardinality import (issue 24): FAILED gen-cur" >"$OUT/highcard.txt"
		FAILED=1
		return
	fi
	echo "bench: high cardinality, $n rows: imcost import" >&2
	run_step "h$n" imcost-highcard "$db" "$IMCOST" --db "$db" --format json import "$csv"
	isec=$S_SEC irss=$S_RSS
	if [ "$S_RC" -ne 0 ]; then
		st=FAILED reason=$(fail_msg "$S_LOG" "$S_RC")
	else
		got=$(jq -r '.[0].records' "$S_LOG.out" 2>/dev/null)
		want=$(sed -n 's/^billed_cost=//p' "$csv.tot" | head -1)
		if [ "$got" != "$n" ]; then
			st=WRONG reason="read $got records, not $n"
		elif ! near "$(jq -r '.[0].billed_cost' "$S_LOG.out")" "$want"; then
			st=WRONG reason="billed $(jq -r '.[0].billed_cost' "$S_LOG.out"), gen-cur says $want"
		fi
	fi
	bytes=$(db_bytes "$db")
	bpc=$(awk -v b="$bytes" -v r="$n" 'BEGIN { if (r > 0) printf "%.0f", b / r }')
	rps=$(awk -v s="$isec" -v r="$n" 'BEGIN { if (s > 0) printf "%.0f", r / s }')
	if [ "$st" = ok ]; then
		echo "bench: high cardinality, $n rows: imcost analyze" >&2
		run_step "h$n" analyze-highcard - "$IMCOST" --db "$db" --format json analyze --month "$MONTH"
		asec=$S_SEC arss=$S_RSS
		[ "$S_RC" -ne 0 ] && st=FAILED reason="analyze: $(fail_msg "$S_LOG" "$S_RC")"
	fi
	[ "$KEEP" = 1 ] || { rm_db "$db"; rm -f "$csv" "$csv.tot"; }
	[ "$st" = ok ] || FAILED=1
	# bytes per charge of the normal bill at the same scale, when measured
	normal_bpc=$(awk -F'\t' -v n="$n" '$1 == n && $2 == "imcost import" && $7 > 0 {
		printf "%.0f", $7 / $3 }' "$TSV" 2>/dev/null | head -1)
	if [ "$irss" -le "$RSS_LIMIT_KB" ]; then
		lin+="- import peak RSS $((irss / 1024)) MiB (target 64): met"$'\n'
	else
		lin+="- import peak RSS $((irss / 1024)) MiB (target 64): not met"$'\n'
	fi
	if [ -n "${arss:-}" ] && [ "$arss" -le "$RSS_LIMIT_KB" ]; then
		lin+="- analyze peak RSS $((arss / 1024)) MiB (target 64): met"$'\n'
	elif [ -n "${arss:-}" ]; then
		lin+="- analyze peak RSS $((arss / 1024)) MiB (target 64): not met"$'\n'
	fi
	if [ -n "$normal_bpc" ] && [ -n "$bpc" ]; then
		if [ "$bpc" -le $((normal_bpc * 2)) ]; then
			lin+="- $bpc bytes per charge, normal bill $normal_bpc (target: under 2x): met"$'\n'
		else
			lin+="- $bpc bytes per charge, normal bill $normal_bpc (target: under 2x): not met"$'\n'
		fi
	fi
	{
		echo "High-cardinality import (issue 24): every line item its own resource id and tag"
		printf '%-9s rows  import %6ss %8s rows/s %5s MiB  %6s B/charge  analyze %6ss %5s MiB  %s %s\n' \
			"$n" "$isec" "$rps" "$((irss / 1024))" "$bpc" "${asec:-}" "$(( ${arss:-0} / 1024 ))" "$st" "$reason"
		printf '%s' "$lin"
	} >"$OUT/highcard.txt"
	{
		echo
		echo "## High-cardinality import (issue 24)"
		echo
		echo "gen-cur --unique-resources: the same month ($MONTH, seed $SEED), every line item"
		echo "with its own lineItem/ResourceId and resourceTags/user:team value."
		echo
		echo "| rows | import s | rows/s | import MiB | bytes/charge | analyze s | analyze MiB | status |"
		echo "|---|---|---|---|---|---|---|---|"
		echo "| $n | $isec | $rps | $((irss / 1024)) | $bpc | ${asec:-} | $(( ${arss:-0} / 1024 )) | $st $reason |"
		echo
		printf '%s' "$lin"
	} >"$OUT/highcard.md"
}
bench_highcard

# What the report needs to be rendered again (BENCH_RENDER=1).
IMCOST_BIN=${BENCH_IMCOST:-}
declare -p DATE COMMIT NPROC MEM_KB MEM_GB CPU_MODEL KERNEL IMCOST_VERSION \
	SQLITE_VERSION NODE_VERSION CC_VERSION RSS_DESC REPEAT DUCK DUCK_WHY \
	DUCK_VERSION IMCOST_BIN MONTH SEED >"$OUT/meta"
report
