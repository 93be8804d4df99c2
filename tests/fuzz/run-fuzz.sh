#!/bin/bash
# run-fuzz.sh - run each libFuzzer harness for a while (`make fuzz`,
# `make fuzz-smoke`).
#
#   tests/fuzz/run-fuzz.sh FUZZ_DIR SECONDS NAME...
#
# FUZZ_DIR is where mk/fuzz.mk built the harnesses (FUZZ_DIR/fuzz-NAME).
# The seed corpora are (re)generated into FUZZ_DIR/corpus by gen-corpus.py
# and grow there from run to run.  Each harness runs SECONDS seconds,
# FUZZ_JOBS (default 1) harnesses at a time; a crash (a sanitizer report or
# a broken invariant) is saved as FUZZ_DIR/artifacts/NAME/crash-*, its
# reproduction command printed, and the run goes on with the next harness.
# At the end one line per harness (executions, exec/s, coverage, features,
# corpus size, peak RSS) is printed and appended to FUZZ_DIR/campaigns.log.
# Exit status 1 if any harness crashed; then, after the summary, each
# crashed harness's report lines and its input (gzip, base64) are printed
# too, for a CI log that keeps only its tail.  FUZZ_ARGS adds libFuzzer options
# (e.g. FUZZ_ARGS=-jobs=2); FUZZ_RSS_MB is libFuzzer's -rss_limit_mb (3072).
set -u
dir=$1 secs=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
samples=${SAMPLES:-$root/../shared/samples}
corpus=$dir/corpus
mkdir -p "$corpus" "$dir/artifacts"
python3 "$root/tests/fuzz/gen-corpus.py" "$corpus" "$samples" || exit 1

# run_one NAME: fuzz one harness; writes its summary line to
# $dir/summary-NAME and exits with the harness's status
run_one() {
	local name=$1 bin art log start rc took execs rate rss last cov ft corp line
	local -a opts
	bin=$dir/fuzz-$name
	art=$dir/artifacts/$name
	mkdir -p "$art" "$corpus/$name"
	case $name in
	numbers) opts=(-max_len=256 -dict="$root/tests/fuzz/numbers.dict") ;;
	chart) opts=(-max_len=4096 -dict="$root/tests/fuzz/chart.dict") ;;
	parquet) opts=(-max_len=8192) ;;
	*) opts=(-max_len=32768 -dict="$root/tests/fuzz/import.dict") ;;
	esac
	log=$dir/fuzz-$name.log
	echo "fuzz: $name for ${secs}s (log $log)" >&2
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bin" "${opts[@]}" -max_total_time="$secs" -timeout=30 -rss_limit_mb="${FUZZ_RSS_MB:-3072}" \
		-print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} \
		"$corpus/$name" >"$log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
	corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
	line=$(printf '%-11s %4ss %10s execs %6s/s cov %5s ft %6s corpus %5s rss %4sMB' \
		"$name" "$took" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}")
	if [ $rc -ne 0 ]; then
		line="$line  CRASH (exit $rc)"
		{
			echo "fuzz: $name crashed:"
			grep -E 'ERROR: |fuzz invariant broken|SUMMARY: |Test unit written to' "$log" | head -8 | sed 's/^/    /'
			for c in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
				[ -e "$c" ] || continue
				echo "    reproduce: $bin $c"
				echo "    keep it:   cp $c tests/fuzz/regressions/$name/"
			done
		} >&2
	fi
	echo "$line" >"$dir/summary-$name"
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $line" >>"$dir/campaigns.log"
	return $rc
}

jobs_max=${FUZZ_JOBS:-1}
running=0
for name in "$@"; do
	rm -f "$dir/summary-$name"
	if [ "$running" -ge "$jobs_max" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$name" &
	running=$((running + 1))
done
wait

failed=()
echo "fuzz summary (${secs}s per harness, $jobs_max at a time):"
for name in "$@"; do
	if [ -f "$dir/summary-$name" ]; then
		line=$(cat "$dir/summary-$name")
	else
		line="$name: no summary (the runner failed)"
	fi
	echo "  $line"
	case $line in *CRASH*|*"no summary"*) failed+=("$name") ;; esac
done
if [ ${#failed[@]} -gt 0 ]; then
	# After the summary, so that a CI log that keeps only its tail still
	# shows why each harness failed and holds the input that did it: the
	# sanitizer's or the invariant's lines, the first frames of the stack,
	# and the crash input as base64 of its gzip (`base64 -d | gunzip`).
	for name in "${failed[@]}"; do
		log=$dir/fuzz-$name.log
		echo "fuzz: $name:"
		grep -E 'ERROR: |fuzz invariant broken|SUMMARY: |^ *#[0-9]+ 0x' "$log" 2>/dev/null |
			grep -vE 'in (fuzzer::|LLVMFuzzerTestOneInput|main|__libc_start|_start)' |
			head -14 | sed 's/^ */    /'
		for c in "$dir/artifacts/$name"/crash-* "$dir/artifacts/$name"/leak-* \
			 "$dir/artifacts/$name"/oom-* "$dir/artifacts/$name"/timeout-*; do
			[ -f "$c" ] || continue
			echo "    input $(basename "$c") ($(wc -c <"$c") bytes), gzip | base64:"
			gzip -9nc "$c" | base64 -w 100 | head -400 | sed 's/^/    /'
		done
	done
	echo "fuzz: crashes in: ${failed[*]} (artifacts in $dir/artifacts)"
	exit 1
fi
echo "fuzz: no crashes"
