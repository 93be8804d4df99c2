#!/bin/bash
# Runs every test: the Check unit tests, then the end-to-end tests of the
# built ./imcost, and ends with one line "N passed, N failed, N skipped".
#
# End-to-end tests, two kinds (both under LC_ALL=C TZ=UTC NO_COLOR=1, each
# in a fresh temporary directory with IMCOST_DB pointing into it):
#  tests/e2e/t-*.sh       scripts that source tests/e2e/lib.sh and report
#                         each check as "ok - NAME", "not ok - NAME" or
#                         "skip - NAME (why)"
#  tests/e2e/cases/*.sh   zstd-style cases: run with sh, their stdout, stderr
#                         and exit status compared with NAME.stdout,
#                         NAME.stderr and NAME.exit beside them (a missing
#                         file is not compared); UPDATE=1 rewrites them.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/rel}
export IMCOST="$ROOT/imcost" ROOT BUILD
export GEN_CUR="$ROOT/$BUILD/gen-cur"
export SAMPLES="${SAMPLES:-$ROOT/../shared/samples}"
export LC_ALL=C TZ=UTC NO_COLOR=1
# the quick check's time limit (0.5 s) is for users' machines; tests check
# damage on loaded CI machines and under the sanitizers, so they give it
# ample time (t-integrity and the unit tests set their own limits to test it)
export IMCOST_QUICK_CHECK_SECONDS=${IMCOST_QUICK_CHECK_SECONDS:-60}
if [ "${SANITIZE:-}" = 1 ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
pass=0 fail=0 skip=0
failed_names=()

# --- unit tests (Check) ---
out=$(cd "$ROOT" && CK_FORK=${CK_FORK:-yes} CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-30} "$ROOT/$BUILD/unit-tests" 2>&1)
urc=$?
echo "$out" | grep -v '^Running suite' | grep -v ':Passed$' || true
line=$(echo "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
if [ -n "$line" ]; then
	n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	pass=$((pass + n - f - e)); fail=$((fail + f + e))
	echo "unit: $line"
fi
if [ $urc -ne 0 ] && [ -z "$line" ]; then
	fail=$((fail + 1)); failed_names+=("unit-tests (exit $urc)")
fi

# --- end-to-end scripts ---
for t in "$ROOT"/tests/e2e/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	# TESTS=GLOB runs only the matching scripts and cases (e.g. TESTS='t-engines*')
	case "$name" in ${TESTS:-*}) ;; *) continue ;; esac
	dir=$(mktemp -d)
	res=$(cd "$dir" && IMCOST_DB="$dir/imcost.db" TEST_DIR="$dir" bash "$t" 2>"$dir/.stderr")
	rc=$?
	n_ok=$(printf '%s\n' "$res" | grep -c '^ok - ')
	n_bad=$(printf '%s\n' "$res" | grep -c '^not ok - ')
	n_skip=$(printf '%s\n' "$res" | grep -c '^skip - ')
	pass=$((pass + n_ok)); fail=$((fail + n_bad)); skip=$((skip + n_skip))
	printf '%s\n' "$res" | grep -E '^(not ok|skip) - ' | sed "s/^/$name: /"
	if [ $n_bad -gt 0 ]; then
		failed_names+=("$name"); sed 's/^/    stderr: /' "$dir/.stderr" | tail -20
	fi
	if [ $rc -ne 0 ]; then
		fail=$((fail + 1)); failed_names+=("$name (script exit $rc)")
		echo "$name: script exited $rc"; sed 's/^/    stderr: /' "$dir/.stderr" | tail -20
	fi
	echo "$name: $n_ok ok, $n_bad failed, $n_skip skipped"
	rm -rf "$dir"
done

# --- expectation-file cases ---
for c in "$ROOT"/tests/e2e/cases/*.sh; do
	[ -e "$c" ] || continue
	base=${c%.sh}; name=$(basename "$base")
	case "$name" in ${TESTS:-*}) ;; *) continue ;; esac
	dir=$(mktemp -d)
	(cd "$dir" && IMCOST_DB="$dir/imcost.db" CASES="$ROOT/tests/e2e/cases" sh "$c" >"$dir/.out" 2>"$dir/.err"); echo $? >"$dir/.exit"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$dir/.out" "$base.stdout"; cp "$dir/.err" "$base.stderr"; cp "$dir/.exit" "$base.exit"
	fi
	ok=1
	for k in stdout:.out stderr:.err exit:.exit; do
		want="$base.${k%%:*}"; got="$dir/${k#*:}"
		if [ -e "$want" ] && ! cmp -s "$want" "$got"; then
			ok=0; echo "not ok - case $name: ${k%%:*} differs"; diff -u "$want" "$got" | head -20 | sed 's/^/    /'
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed_names+=("case $name"); fi
	rm -rf "$dir"
done

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
