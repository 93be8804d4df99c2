#!/bin/bash
# t-layers.sh - the one-way layers of issue 21 (docs/ARCHITECTURE.md):
# no #include from a lower layer into a higher one (common -> output ->
# importers/analyzers -> reports -> cli), no file-level include cycle, no
# file over 800 lines, no command function over 100 lines (every function
# of cli/, every *_exec), no call into a higher layer and no file-level call
# cycle (nm on the built objects), checked by scripts/layers.py on the tree; the
# checker itself is first shown to catch each of those on a small tree.
. "$ROOT/tests/e2e/lib.sh"
cd "$TEST_DIR" || exit 1

if ! command -v python3 >/dev/null 2>&1; then
	skip "layers" "python3 not installed"
	exit 0
fi
L="$ROOT/scripts/layers.py"

# ---- the checker on a made-up tree ----
mkdir -p t/common t/output t/analyzers t/importers t/reports t/cli
printf '#include "common/a.h"\n' >t/common/a.c
printf '#include "common/a.h"\n' >t/output/o.c
printf '#include "output/o.h"\n#include "common/a.h"\n' >t/analyzers/x.c
printf '#include "analyzers/x.h"\n' >t/reports/r.c
printf '#include "reports/r.h"\n' >t/cli/c.c
printf '#include "common/e.h"\n' >t/common/e-int.h
printf '#include "common/e-int.h"\n' >t/common/e.c
: >t/common/a.h; : >t/output/o.h; : >t/analyzers/x.h; : >t/reports/r.h; : >t/common/e.h
out=$(python3 "$L" --strict t); rc=$?
expect_eq "checker: a clean tree passes (a private -int.h header is no cycle)" "$rc:$out" "0:"

cp -r t up && : >up/reports/q.h && printf '#include "reports/q.h"\n' >>up/output/o.c
out=$(python3 "$L" --strict up)
expect_eq "checker: output/ including reports/ is caught with its line" "$out" "up output/o.c:2: includes reports/q.h"

cp -r t side && printf '#include "analyzers/x.h"\n' >side/importers/i.c
out=$(python3 "$L" --strict side)
expect_eq "checker: importers/ including analyzers/ is caught" "$out" "up importers/i.c:1: includes analyzers/x.h"

cp -r t cyc && printf '#include "analyzers/y.h"\n' >cyc/analyzers/x.h \
	&& printf '#include "analyzers/z.h"\n' >cyc/analyzers/y.c && : >cyc/analyzers/y.h \
	&& printf '#include "analyzers/x.h"\n' >cyc/analyzers/z.c && : >cyc/analyzers/z.h
out=$(python3 "$L" --strict cyc)
expect_eq "checker: a three-module include cycle is caught" "$out" \
	"cycle analyzers/x -> analyzers/y -> analyzers/z -> analyzers/x"

cp -r t long && seq 1 801 | sed 's/^/int v/;s/$/;/' >long/reports/big.c
out=$(python3 "$L" --strict long)
expect_eq "checker: a file of 801 lines is caught" "$out" "long reports/big.c: 801 lines"

# a function body of N lines, in the tree's style (name in column 0, braces
# in column 0)
body() { printf '%s\n%s(int x)\n{\n' "$1" "$2"; seq 1 "$3" | sed 's/.*/\tx++;/'; printf '\treturn x;\n}\n\n'; }
cp -r t fn && { body 'static int' fits 99; body 'static int' big 100; } >fn/cli/c.c \
	&& { body int report_exec 100; body 'static int' helper 300; } >fn/reports/r.c \
	&& body 'static int' parse 300 >fn/importers/i.c
out=$(python3 "$L" --strict fn)
expect_eq "checker: a cli/ function and an *_exec of 101 lines are caught, 100 lines and other layers' helpers are not" \
	"$out" "func cli/c.c:107: big is 101 lines
func reports/r.c:2: report_exec is 101 lines"

mkdir -p obj/common obj/cli
printf 'int cli_thing(void);\nint a(void) { return cli_thing(); }\n' >hand.c
printf 'int cli_thing(void) { return 1; }\n' >c.c
if cc -c -o obj/common/a.o hand.c && cc -c -o obj/cli/c.o c.c; then
	out=$(python3 "$L" --strict --objects=obj t)
	expect_eq "checker: a call into a higher layer through a hand-written extern is caught" "$out" \
		"call common/a.o: uses cli_thing of cli/c.o"
else
	skip "checker: calls" "cc cannot compile"
fi

# a call cycle between two files of one layer (what str_null made of
# import.c and writer.c): no #include shows it, nm does; a table naming
# its entries' data is no call
mkdir -p cobj/importers tobj/analyzers
cp -r t ccyc && : >ccyc/importers/a.c && : >ccyc/importers/b.c
cp -r t tab && : >tab/analyzers/ta.c && : >tab/analyzers/tb.c
printf 'int b_fn(void);\nint a_fn(void) { return b_fn(); }\n' >ca.c
printf 'int a_fn(void);\nint b_fn(void) { return 1; }\nint b_go(void) { return a_fn(); }\n' >cb.c
printf 'extern const int entry_b;\nconst int *const table[] = { &entry_b };\nint helper(void) { return 1; }\n' >ta.c
printf 'int helper(void);\nconst int entry_b = 1;\nint use(void) { return helper(); }\n' >tb.c
if cc -c -o cobj/importers/a.o ca.c && cc -c -o cobj/importers/b.o cb.c \
	&& cc -c -o tobj/analyzers/ta.o ta.c && cc -c -o tobj/analyzers/tb.o tb.c; then
	out=$(python3 "$L" --strict --objects=cobj ccyc)
	expect_eq "checker: a call cycle between two files (no include shows it) is caught" "$out" \
		"call cycle importers/a -> importers/b -> importers/a"
	out=$(python3 "$L" --strict --objects=tobj tab); rc=$?
	expect_eq "checker: a registration table naming its entries is no call cycle" "$rc:$out" "0:"
else
	skip "checker: call cycles" "cc cannot compile"
fi

# ---- the tree (and its objects: calls no #include shows) ----
out=$(python3 "$L" --objects="$ROOT/${BUILD:-build/rel}" "$ROOT"); rc=$?
if [ $rc = 0 ]; then
	ok "tree: no upward include or call, no include or call cycle, no file over 800 lines, no command function over 100 lines (known exceptions: scripts/layers.py --known)"
else
	nok "tree: layers" "$(echo "$out" | tr '\n' ';')"
fi
out=$(python3 "$L" --strict --objects="$ROOT/${BUILD:-build/rel}" "$ROOT" | grep '^\(call \)\?cycle importers/')
expect_eq "tree: no include or call cycle among importers/ (the writer and the rollups call nothing of the driver)" "$out" ""
out=$(grep -n '#include "\(reports\|output\)/' "$ROOT"/analyzers/analyzer.h | grep -v 'output/emit.h')
expect_eq "tree: analyzers/analyzer.h includes nothing from reports/" "$out" ""
n=$(grep -l 'analyzer_run(' "$ROOT"/cli/*.c "$ROOT"/reports/*.c 2>/dev/null | wc -l)
expect_eq "tree: no analyzer loop outside analyzers/ (analyzer_run called only there)" "$n" 0
