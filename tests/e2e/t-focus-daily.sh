# t-focus-daily.sh - focus_daily (issue 23): the focus view per UTC day and
# charge_dims row, over the rollup rollup_dims_day kept by import, and the
# exact money functions money() / money_sum() of `imcost sql`.
#
#  - focus_daily has the columns of focus but ResourceId and Tags (schema
#    10: its grain is the combination of the other texts, so that it stays
#    small on high-cardinality bills) and x_ImportId, x_Rows, x_Day,
#    the *Nanos sums and x_DimId;
#  - after an import, a restatement of the month (a new batch replacing it),
#    a second month, `forget` of the restatement (the first copy current
#    again), --add of it again (both count) and --replace by a third copy: focus_daily equals, to the nano and
#    the row count, the GROUP BY of the charges by day and text columns run
#    by the sqlite3 shell over the charges view, and its per-service
#    money_sum equals gen-cur's planted totals (Python decimal);
#  - money() of edge values (0, +-1 nano, INT64 max and min, NULL, rounding
#    to D decimals half away from zero) equals Python's decimal formatting
#    of the same integers, and money_sum adds past the 64-bit range exactly;
#  - money() refuses text and fractional numbers; a foreign write to the
#    charges makes `imcost sql` on focus_daily warn that the rollups are
#    out of date.
. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then
	skip "focus_daily" "no gen-cur at $GEN_CUR"
	exit 0
fi
if ! command -v sqlite3 >/dev/null; then
	skip "focus_daily" "no sqlite3 shell"
	exit 0
fi
cd "$TEST_DIR" || exit 1

gen_cur oct.csv 2026-10 5 123456789012 6000
gen_cur oct2.csv 2026-10 6 123456789012 6500
gen_cur nov.csv 2026-11 7 123456789012 5000
gen_cur oct3.csv 2026-10 8 123456789012 4000

# sql_rows QUERY: imcost sql's JSON rows as "|"-joined lines (JSON: the
# CSV form guards text starting with '-' against spreadsheet formulas)
sql_rows() {
	"$IMCOST" --format json sql "$1" | jq -r '.[] | [.[] | tostring] | join("|")'
}
# the same groups two ways: focus_daily through imcost sql, the charges
# view through the sqlite3 shell (day = start of the charge's UTC day)
KEYS="ProviderName, BillingAccountId, SubAccountId, ServiceName, RegionId, x_UsageType, ChargeCategory, x_Operation, PricingCategory, CommitmentDiscountId, AvailabilityZone, x_InstanceType"
daily_of_imcost() {
	sql_rows "SELECT x_Day AS d, $KEYS, SUM(x_Rows) AS n,
		money_sum(BilledCostNanos) AS b, money_sum(EffectiveCostNanos) AS e,
		money_sum(ListCostNanos) AS l FROM focus_daily
		GROUP BY d, $KEYS ORDER BY d, $KEYS" | sort
}
daily_of_charges() {
	sqlite3 -csv "$IMCOST_DB" "SELECT ChargePeriodStart - ChargePeriodStart % 86400 AS d, $KEYS,
		COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos)
		FROM charges GROUP BY d, $KEYS" | "$PYTHON" -c '
import csv, sys
from decimal import Decimal
for r in csv.reader(sys.stdin):
    # nanos as exact decimal text, trailing zeros dropped
    def dec(s):
        if s == "":
            return "null"
        t = format(Decimal(int(s)).scaleb(-9), "f")
        if "." in t:
            t = t.rstrip("0").rstrip(".")
        return "0" if t in ("-0", "") else t
    print("|".join([x if x != "" else "null" for x in r[:-3]] + [dec(x) for x in r[-3:]]))' | sort
}
# focus_daily_ok STEP: the two agree, and there is something to compare
focus_daily_ok() {
	local a b
	a=$(daily_of_imcost)
	b=$(daily_of_charges)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "$1: focus_daily equals the charges per day and dimensions ($(echo "$a" | wc -l) groups)"
	else
		nok "$1: focus_daily equals the charges per day and dimensions" \
			"$(diff <(echo "$a") <(echo "$b") | head -4 | tr '\n' ' ')"
	fi
}
# services_ok STEP TOTALS...: money_sum per service code of a month equals
# the planted totals of the current files (Python decimal)
services_ok() {
	local step=$1 month=$2; shift 2
	local want got
	want=$("$PYTHON" - "$@" <<'PY'
import sys
from decimal import Decimal
s = {}
for f in sys.argv[1:]:
    for line in open(f):
        k, _, v = line.strip().partition("=")
        if k.startswith("billed_cost."):
            s[k[12:]] = s.get(k[12:], Decimal(0)) + Decimal(v)
for k in sorted(s):
    t = format(s[k], "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    print("%s|%s" % (k, t))
PY
)
	got=$(sql_rows "SELECT x_ServiceCode AS s, money_sum(BilledCostNanos) AS b
		FROM focus_daily WHERE BillingPeriodStart = '$month-01T00:00:00Z' AND x_ServiceCode IS NOT NULL
		GROUP BY s ORDER BY s")
	expect_eq "$step: money_sum per service equals gen-cur's totals" "$got" "$want"
}

"$IMCOST" --quiet import oct.csv
expect_eq "focus_daily: the columns of focus but ResourceId and Tags, then its own" \
	"$(sqlite3 "$IMCOST_DB" "SELECT name FROM pragma_table_info('focus_daily')" | tr '\n' ' ')" \
	"$(sqlite3 "$IMCOST_DB" "SELECT name FROM pragma_table_info('focus') WHERE name NOT IN ('ResourceId',
		'Tags', 'x_ImportId', 'x_SourceLine')" | tr '\n' ' ')x_ServiceCode x_ImportId x_Rows x_Day BilledCostNanos EffectiveCostNanos ListCostNanos ContractedCostNanos x_DimId "
focus_daily_ok "import"
services_ok "import" 2026-10 oct.csv.tot
expect_eq "import: x_Rows adds up to the charges" \
	"$("$IMCOST" --format csv sql 'SELECT SUM(x_Rows) FROM focus_daily' | tail -1)" \
	"$(sqlite3 "$IMCOST_DB" 'SELECT COUNT(*) FROM charge_facts')"
expect_eq "import: one row per day and dimension combination" \
	"$(sqlite3 "$IMCOST_DB" 'SELECT COUNT(*) FROM (SELECT 1 FROM focus_daily GROUP BY x_ImportId, BillingPeriodStart, x_Day, x_DimId HAVING COUNT(*) > 1)')" 0

"$IMCOST" --quiet import oct2.csv		# a new batch: restates October
focus_daily_ok "restatement"
services_ok "restatement" 2026-10 oct2.csv.tot
"$IMCOST" --quiet import nov.csv
focus_daily_ok "second month"
services_ok "second month" 2026-11 nov.csv.tot

oct2id=$("$IMCOST" --format csv list | awk -F, '$3 == "oct2.csv" {print $1}' | head -1)
"$IMCOST" --quiet forget "$oct2id" >/dev/null
focus_daily_ok "forget of the restatement"
services_ok "forget of the restatement" 2026-10 oct.csv.tot

"$IMCOST" --quiet import --add oct2.csv	# both copies count
focus_daily_ok "--add"
services_ok "--add" 2026-10 oct.csv.tot oct2.csv.tot

"$IMCOST" --quiet import --replace oct3.csv	# replaces both
focus_daily_ok "--replace"
services_ok "--replace" 2026-10 oct3.csv.tot

# --- money() and money_sum() -------------------------------------------------
vals="0 1 -1 999999999 1000000000 -1000000000 1500000000 -5000000 -4999999 5000000 123456789012 9223372036854775807 -9223372036854775808 -9223372036854775807"
q=""
for v in $vals; do
	for d in "" 0 2 6 9; do
		q="$q${q:+ UNION ALL }SELECT '$v|$d', money($v${d:+, $d})"
	done
done
got=$(sql_rows "SELECT * FROM ($q)")
want=$("$PYTHON" - $vals <<'PY'
import sys
from decimal import Decimal, ROUND_HALF_UP
for v in sys.argv[1:]:
    x = Decimal(int(v)).scaleb(-9)
    for d in ("", "0", "2", "6", "9"):
        if d == "":
            t = format(x, "f")
            if "." in t:
                t = t.rstrip("0").rstrip(".")
        else:
            # half away from zero (ROUND_HALF_UP rounds the magnitude)
            t = format(x.quantize(Decimal(1).scaleb(-int(d)), rounding=ROUND_HALF_UP), "f")
        if t.lstrip("-").strip("0.") == "":
            t = t.lstrip("-")
        print("%s|%s|%s" % (v, d, t))
PY
)
expect_eq "money(): edge values equal Python's decimal" "$got" "$want"
expect_eq "money(NULL) is NULL" "$("$IMCOST" --format json sql 'SELECT money(NULL) AS m' | jq -c '.[0].m')" null
expect_eq "money_sum past the 64-bit range is exact" \
	"$("$IMCOST" --format csv sql 'SELECT money_sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 9223372036854775807 UNION ALL SELECT 2)' | tail -1)" \
	"$("$PYTHON" -c 'from decimal import Decimal; print(format(Decimal(2 * 9223372036854775807 + 2).scaleb(-9), "f"))')"
expect_eq "money_sum over no rows is NULL" \
	"$("$IMCOST" --format json sql 'SELECT money_sum(BilledCostNanos) AS m FROM focus_daily WHERE 0' | jq -c '.[0].m')" null
expect_eq "money_sum skips NULLs" \
	"$(sql_rows 'SELECT money_sum(x) FROM (SELECT NULL AS x UNION ALL SELECT -3)')" "-0.000000003"
"$IMCOST" sql "SELECT money('12')" >out 2>err
rc=$?
if [ $rc != 0 ] && grep -q 'money() takes integer nano-units' err; then
	ok "money() refuses text"
else
	nok "money() refuses text" "exit $rc: $(cat out err | head -2)"
fi
expect_status "money() refuses a fractional number" 1 "$IMCOST" sql "SELECT money(1.5)"
expect_status "money() refuses 10 decimals" 1 "$IMCOST" sql "SELECT money(1, 10)"
expect_eq "money() takes an integral REAL" "$("$IMCOST" --format csv sql 'SELECT money(2e9)' | tail -1)" 2

# --- a foreign writer: focus_daily is out of date until the next import ----
sqlite3 "$IMCOST_DB" "DELETE FROM charges WHERE id = (SELECT MIN(id) FROM charge_facts)"
"$IMCOST" sql 'SELECT COUNT(*) FROM focus_daily' >out 2>err
if grep -q 'rollups (focus_daily, rollup_\*) are out of date' err; then
	ok "a foreign write: sql on focus_daily warns"
else
	nok "a foreign write: sql on focus_daily warns" "$(cat err)"
fi
"$IMCOST" --quiet import nov.csv		# unchanged file: rebuilds the stale rollups
focus_daily_ok "after a foreign write and an import"
