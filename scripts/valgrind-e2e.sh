#!/bin/bash
# valgrind-e2e.sh - run end-to-end tests with every imcost command under
# valgrind (`make valgrind`; issue 3, part 2).
#
#   scripts/valgrind-e2e.sh [TEST...]
#
# TEST is a tests/e2e/t-NAME.sh script or a tests/e2e/cases/NAME.sh case.
# Default: the representative set below, which between them import every
# kind of input (CUR, FOCUS, usage, gzip, stdin, malformed files, hostile
# input, tags that are not JSON, repeated header names) and run analyze,
# list and sql; t-reliability runs with QUICK=1
# (no 100 MB field, no disk-full or concurrency part: too slow under
# valgrind, and covered by the ASan run).
#
# $IMCOST is a wrapper that runs the release binary (./imcost, which must
# not be an ASan build) as
#   valgrind --error-exitcode=99 --leak-check=full \
#            --errors-for-leak-kinds=definite,indirect ...
# with one log file per process (IMCOST_REAL names another binary).  A test fails as usual (its checks see
# exit status 99); in addition any valgrind log with an error fails the
# run and its first lines are shown.  Ends with "N passed, N failed, N
# skipped" like tests/run.sh.  VALGRIND_ARGS adds valgrind options.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/rel}
REAL=${IMCOST_REAL:-$ROOT/imcost}
export ROOT BUILD
export GEN_CUR="$ROOT/$BUILD/gen-cur"
export SAMPLES="${SAMPLES:-$ROOT/../shared/samples}"
export LC_ALL=C TZ=UTC NO_COLOR=1
unset ASAN_OPTIONS UBSAN_OPTIONS

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind-e2e: valgrind is not installed (apt-get install valgrind)" >&2
	exit 1
fi
if [ ! -x "$REAL" ]; then
	echo "valgrind-e2e: no $REAL (run make first)" >&2
	exit 1
fi
if nm "$REAL" 2>/dev/null | grep -q __asan_init; then
	echo "valgrind-e2e: $REAL is an ASan build; valgrind needs a plain one (make SANITIZE=)" >&2
	exit 1
fi

logs=$(mktemp -d /tmp/imcost-valgrind.XXXXXX)
cat >"$logs/imcost" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \\
	--num-callers=30 --log-file="$logs/vg.%p.log" ${VALGRIND_ARGS:-} "$REAL" "\$@"
EOF
chmod +x "$logs/imcost"
export IMCOST="$logs/imcost"

if [ $# -eq 0 ]; then
	set -- tests/e2e/t-cli.sh tests/e2e/t-import-semantics.sh tests/e2e/t-samples-reconcile.sh \
		tests/e2e/t-reliability.sh tests/e2e/t-tags-headers.sh tests/e2e/cases/*.sh
fi

pass=0 fail=0 skip=0
failed=()
start=$(date +%s)
for t in "$@"; do
	case $t in /*) ;; *) t=$ROOT/$t ;; esac
	[ -f "$t" ] || { echo "valgrind-e2e: no $t" >&2; continue; }
	name=$(basename "$t" .sh)
	dir=$(mktemp -d)
	case $t in
	*/cases/*)
		# an expectation case: compare stdout and exit status (stderr
		# carries no valgrind output: that goes to the log files)
		base=${t%.sh}
		(cd "$dir" && IMCOST_DB="$dir/imcost.db" CASES="$ROOT/tests/e2e/cases" sh "$t" >"$dir/.out" 2>"$dir/.err"); echo $? >"$dir/.exit"
		ok=1
		for k in stdout:.out exit:.exit; do
			want="$base.${k%%:*}"
			if [ -e "$want" ] && ! cmp -s "$want" "$dir/${k#*:}"; then
				ok=0
				echo "not ok - case $name: ${k%%:*} differs"
				diff -u "$want" "$dir/${k#*:}" | head -10 | sed 's/^/    /'
			fi
		done
		if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("case $name"); fi
		;;
	*)
		res=$(cd "$dir" && QUICK=1 IMCOST_DB="$dir/imcost.db" TEST_DIR="$dir" bash "$t" 2>"$dir/.stderr")
		n_ok=$(printf '%s\n' "$res" | grep -c '^ok - ')
		n_bad=$(printf '%s\n' "$res" | grep -c '^not ok - ')
		n_skip=$(printf '%s\n' "$res" | grep -c '^skip - ')
		pass=$((pass + n_ok)); fail=$((fail + n_bad)); skip=$((skip + n_skip))
		printf '%s\n' "$res" | grep -E '^not ok - ' | sed "s/^/$name: /"
		[ "$n_bad" -gt 0 ] && failed+=("$name")
		echo "$name: $n_ok ok, $n_bad failed, $n_skip skipped (under valgrind)"
		;;
	esac
	rm -rf "$dir"
done

# every process's log: valgrind -q writes nothing unless it found something
nlogs=$(ls "$logs"/vg.*.log 2>/dev/null | wc -l)
bad_logs=0
for l in "$logs"/vg.*.log; do
	[ -s "$l" ] || continue
	bad_logs=$((bad_logs + 1))
	if [ $bad_logs -le 5 ]; then
		echo "valgrind report $(basename "$l"):"
		head -40 "$l" | sed 's/^/    /'
	fi
done
if [ $bad_logs -gt 0 ]; then
	fail=$((fail + 1)); failed+=("valgrind: $bad_logs of $nlogs processes reported errors (logs in $logs)")
else
	pass=$((pass + 1))
	echo "ok - valgrind: no error and no leak in $nlogs imcost processes"
	rm -rf "$logs"
fi
echo "valgrind-e2e: $(( $(date +%s) - start ))s"
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
