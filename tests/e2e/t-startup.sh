#!/bin/bash
# t-startup.sh - what an imcost process loads (issue 23: `imcost sql` on
# focus_daily is mostly process start).  libcrypto is loaded at the first
# SHA-256 (common/sha256.c), so commands that hash no file never load it:
# ld.so's own trace (LD_DEBUG=files) is the judge.  An import does load
# it, and the content hash it records equals sha256sum's.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1

if ! have_gen; then
	skip "startup" "gen-cur not built"
	exit 0
fi
gen_cur oct.csv 2026-10 7 123456789012 500 || { nok "gen-cur"; exit 0; }

# loads NAME ARGS...: the shared objects ld.so loads for imcost ARGS
loads() {
	LD_DEBUG=files "$IMCOST" "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u
}

if ! LD_DEBUG=files /bin/true 2>&1 | grep -q 'file=libc'; then
	skip "startup: ld.so's trace" "LD_DEBUG gives no trace here"
	exit 0
fi
expect_eq "--version loads no libcrypto" "$(loads --version | grep -c libcrypto)" 0
loads --db a.db import oct.csv >imp.libs
if grep -q '^libcrypto' imp.libs; then ok "import loads libcrypto"; else nok "import loads libcrypto" "$(tr '\n' ' ' <imp.libs)"; fi
expect_eq "import's content hash is the file's SHA-256" \
	"$(sqlite3 a.db 'SELECT sha256 FROM imports')" "$(sha256sum oct.csv | cut -d' ' -f1)"
for c in list "sql 'SELECT COUNT(*) FROM focus_daily'" analyze "--format json analyze" "report --month 2026-10 --out rep" prices; do
	eval "set -- $c"
	expect_eq "$c loads no libcrypto" "$(loads --db a.db "$@" | grep -c libcrypto)" 0
done
# and the same file again: unchanged, by its hash (libcrypto loaded on demand)
"$IMCOST" --db a.db import oct.csv >out 2>err
if grep -q 'unchanged' out err; then ok "the same file again is unchanged"; else nok "the same file again is unchanged" "$(cat out err)"; fi
