#!/bin/bash
# t-hostile-spans.sh - analyzers bound their work by the data's hours,
# never by one row's span: five usage rows rewritten straight into the
# database (as an older imcost or another writer could leave them) to run
# from year 0 to 9999 once made `analyze` take 2.7 GB and `report` run
# for minutes.  Import now refuses such rows; the analyzers must still
# cope with them.
. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then skip "hostile spans" "no gen-cur"; exit 0; fi
gen_cur cur.csv 2026-10 7 111122223333 3000
"$IMCOST" --quiet import cur.csv || nok "import the generated month"
n=$(sqlite3 "$IMCOST_DB" "UPDATE charge_facts SET ChargePeriodStart = -62167219200, ChargePeriodEnd = 253402300799
	WHERE id IN (SELECT id FROM charges WHERE x_UsageType LIKE '%BoxUsage%' ORDER BY id LIMIT 5); SELECT changes();")
expect_eq "five usage rows span year 0 to 9999" "$n" 5

# 1 GiB of address space and 60 s are far more than a month needs (under
# AddressSanitizer, which reserves terabytes of address space, only the
# time is limited)
vlimit=1048576
[ "${SANITIZE:-}" = 1 ] && vlimit=unlimited
( ulimit -v $vlimit; timeout 60 "$IMCOST" --format json analyze --month 2026-10 >an.json 2>an.err )
expect_eq "analyze finishes within 1 GiB and 60 s" "$?" 0
hours=$(jq '.commitments.window.hours // empty' an.json 2>/dev/null)
# October +- 31 days at most: (31 + 62) * 24 hours
if [ -n "$hours" ] && python3 -c "import sys; sys.exit(0 if 0 <= float('$hours') <= (31 + 62) * 24 else 1)"; then
	ok "commitments window bounded by the periods ($hours hours)"
else
	nok "commitments window bounded by the periods" "hours '$hours' ($(head -c 300 an.err))"
fi
( ulimit -v $vlimit; timeout 120 "$IMCOST" report --month 2026-10 --out rep >/dev/null 2>rep.err )
expect_eq "report finishes within 1 GiB and 120 s" "$?" 0
