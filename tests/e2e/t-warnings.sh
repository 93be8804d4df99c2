#!/bin/bash
# t-warnings.sh - warnings and errors instead of silence (issue 24, part 4
# of the issue): duplicated CUR line items (count and first line, rows
# kept), and vendor profiles with an unknown region, an out-of-range
# exchange rate, bytes after the JSON, or over the size cap.  A header
# with no records: tests/e2e/cases/header-only.
# Expected values are computed here: line numbers and columns from the
# files as written, the sum of the file with python's Decimal, the known
# regions with jq from data/vendors.json.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# one_line NAME FILE PATTERN: FILE has exactly one line, matching PATTERN
one_line() {
	local n
	n=$(wc -l <"$2")
	if [ "$n" = 1 ] && grep -Eq "$3" "$2"; then ok "$1"; else nok "$1" "$n lines: $(head -c 400 "$2")"; fi
}

# --- duplicated line items in a CUR ---
if have_gen; then
	gen_cur cur.csv 2026-10 3 123456789012 500
	n=$(wc -l <cur.csv)
	# lines 2, 3 and 4 again, then line 2 a third time: 4 duplicates, the
	# first at line n + 1
	{ cat cur.csv; sed -n 2,4p cur.csv; sed -n 2p cur.csv; } >dup.csv
	"$IMCOST" --db dup.db --format json import dup.csv >out.json 2>err
	rc=$?
	expect_eq "duplicates: imported (exit 0)" "$rc" 0
	want="warning: dup.csv: the same identity/LineItemId and identity/TimeInterval as an earlier row of this file (a duplicated line item?); both rows are kept as written (4 rows, first at line $((n + 1)), column 1)"
	if grep -qF "$want" err; then ok "duplicates: counted, first line named"; else nok "duplicates: counted, first line named" "$(cat err)"; fi
	expect_eq "duplicates: every record read" "$(jq -r '.[0].records' out.json)" $((n - 1 + 4))
	want_sum=$("$PYTHON" - dup.csv <<'PY'
import csv, sys
from decimal import Decimal
r = csv.reader(open(sys.argv[1], newline=''))
i = next(r).index('lineItem/UnblendedCost')
print(sum(Decimal(row[i]) * 10**9 for row in r if row and row[i]).to_integral_exact())
PY
)
	got_sum=$(sqlite3 dup.db "SELECT SUM(BilledCostNanos) FROM charges")
	expect_eq "duplicates: the rows are kept (billed = the file's exact sum)" "$got_sum" "$want_sum"
	"$IMCOST" --db clean.db import cur.csv >/dev/null 2>err
	expect_eq "no duplicates: no warning" "$(grep -c 'identity/LineItemId' err)" 0
else
	skip "duplicates" "gen-cur not built"
fi

# --- vendor profiles ---
known=$(jq -r '[.self_hosted[].region] | unique | join(", ")' "$ROOT/data/vendors.json")
printf '{"mau": 1000, "region": "mars-1"}\n' >mars.json
"$IMCOST" vendors --profile mars.json >out 2>err
expect_eq "profile region mars-1: exit 1" "$?" 1
one_line "profile region mars-1: refused, known regions listed" err \
	"^imcost: the profile's region 'mars-1' is not one the vendor catalog self-hosts in \\(known: $known\\)"
printf '{"mau": 1000, "regions": ["%s"]}\n' "${known%%,*}" >known.json
"$IMCOST" vendors --profile known.json >out 2>err
expect_eq "profile region known: priced (exit 0)" "$?" 0

printf '{"mau": 1000,\n "exchange_rates": {"CNY": 1e300}}\n' >fx.json
"$IMCOST" vendors --profile fx.json >out 2>err
expect_eq "exchange rate 1e300: exit 1" "$?" 1
one_line "exchange rate 1e300: refused, key named" err \
	'^imcost: fx\.json: key "exchange_rates\.CNY": 1e\+300 is out of range'
printf '{"mau": 1000, "exchange_rates": {"CNY": 0.14}}\n' >fxok.json
"$IMCOST" vendors --profile fxok.json >out 2>err
expect_eq "exchange rate 0.14: accepted" "$?" 0

json='{"mau": 1000}'
printf '%s\0' "$json" >nul.json
"$IMCOST" vendors --profile nul.json >out 2>err
expect_eq "trailing NUL: exit 1" "$?" 1
one_line "trailing NUL: refused at its line and column" err \
	"^imcost: nul\\.json:1:$((${#json} + 1)): bytes after the end of the profile's JSON object: '\\\\x00'"
printf '{\n  "mau": 1000\n}\n\n  x\n' >tail.json
"$IMCOST" vendors --profile tail.json >out 2>err
one_line "trailing text: refused at line 5, column 3" err \
	"^imcost: tail\\.json:5:3: bytes after the end of the profile's JSON object: 'x"
printf '{"mau": 1000}\n\n  \t\n' >blank.json
"$IMCOST" vendors --profile blank.json >out 2>err
expect_eq "trailing blanks: accepted" "$?" 0

"$PYTHON" -c 'import sys; sys.stdout.write("{\"mau\": 1000, \"name\": \"x\"" + " " * (1 << 20) + "}")' >huge.json
/usr/bin/time -f '%M' -o rss "$IMCOST" vendors --profile huge.json >out 2>err
expect_eq "profile over 1 MiB: exit 1" "$?" 1
one_line "profile over 1 MiB: refused, the cap named" err \
	'^imcost: huge\.json: larger than 1024 KiB, the most this file may hold'
