#!/bin/bash
# replay.sh - run every fuzz seed and every saved crash through the harness
# it belongs to, built without libFuzzer (`make fuzz-regress`, and
# tests/e2e/t-fuzz-regressions.sh in `make check`).
#
#   tests/fuzz/replay.sh REPLAY_DIR
#
# REPLAY_DIR holds one binary per harness (mk/fuzz.mk builds them as
# $(BUILD)/fuzz-replay/NAME).  Inputs: tests/fuzz/seeds/NAME/* and
# tests/fuzz/regressions/NAME/*.  Each input runs in its own process and
# prints "ok - fuzz NAME/FILE" or "not ok - fuzz NAME/FILE: why" (the
# harness aborts when an invariant breaks; a sanitizer build also fails on
# memory errors and leaks).  tests/fuzz/regressions/open-bugs.txt lists
# inputs whose bug is reported but not fixed yet ("NAME/FILE what"): those
# print "skip - ... (open bug: what)" while they still fail, and a note to
# remove the line once they pass.  Exit status 1 if any input failed.
set -u
dir=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
open_list=$root/tests/fuzz/regressions/open-bugs.txt
if [ "${SANITIZE:-}" = 1 ]; then
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:halt_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
bad=0
for bin in "$dir"/*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	for f in "$root/tests/fuzz/seeds/$name"/* "$root/tests/fuzz/regressions/$name"/*; do
		[ -f "$f" ] || continue
		rel=$name/$(basename "$f")
		kind=seed
		case $f in */regressions/*) kind=regression ;; esac
		why=""
		if [ -f "$open_list" ]; then
			why=$(awk -v k="$rel" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$open_list")
		fi
		out=$(timeout 120 "$bin" "$f" 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			if [ -n "$why" ]; then
				echo "ok - fuzz $kind $rel (listed as an open bug but passes now: remove it from open-bugs.txt)"
			else
				echo "ok - fuzz $kind $rel"
			fi
		elif [ -n "$why" ]; then
			echo "skip - fuzz $kind $rel (open bug: $why)"
		else
			msg=$(printf '%s\n' "$out" | grep -E 'fuzz invariant broken|ERROR: |runtime error' | head -1)
			echo "not ok - fuzz $kind $rel: exit $rc${msg:+: $msg}"
			printf '%s\n' "$out" | tail -15 | sed 's/^/    /' >&2
			bad=1
		fi
	done
done
exit $bad
