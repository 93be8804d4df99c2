#!/bin/bash
# t-fuzz-regressions.sh - every fuzz seed and every input that once broke a
# fuzz harness, replayed through the harness's invariants (issue 3).
#
# The replay binaries are the harnesses of tests/fuzz/fuzz-*.c built without
# libFuzzer (mk/fuzz.mk builds them in $BUILD/fuzz-replay/ as part of `make
# check`, under ASan+UBSan with SANITIZE=1); tests/fuzz/replay.sh runs each
# input of tests/fuzz/seeds/NAME and tests/fuzz/regressions/NAME in its own
# process and prints one ok / not ok / skip line per input.
# Also: every importer `imcost formats` lists has its harness,
# tests/fuzz/fuzz-NAME.c (copy fuzz-focus.c and change the name).
. "$(dirname "$0")/lib.sh"

names=$("$IMCOST" --format json formats 2>/dev/null |
	python3 -c 'import json, sys; print("\n".join(f["name"] for f in json.load(sys.stdin)))' 2>/dev/null)
if [ -z "$names" ]; then
	nok "fuzz harnesses: imcost --format json formats lists the importers"
fi
for n in $names; do
	if [ -f "$ROOT/tests/fuzz/fuzz-$n.c" ]; then
		ok "fuzz harness for importer $n"
	else
		nok "fuzz harness for importer $n" "no tests/fuzz/fuzz-$n.c (copy tests/fuzz/fuzz-focus.c, change the name, add seeds in tests/fuzz/seeds/$n/)"
	fi
done
dir=$ROOT/$BUILD/fuzz-replay
if ! ls "$dir"/* >/dev/null 2>&1; then
	skip "fuzz regressions" "no replay binaries in $dir (make fuzz-replay-build)"
	exit 0
fi
"$ROOT/tests/fuzz/replay.sh" "$dir"
exit 0
