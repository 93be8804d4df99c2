#!/bin/bash
# t-money.sh - a million costs with 10 decimals add up to the exact decimal
# total, to the cent (issue 3, part 6).
#
# A deterministic generator (python3, a fixed LCG, no floating point) writes
# a FOCUS CSV of 1,000,000 charges whose BilledCost and EffectiveCost have
# exactly 10 decimals: mostly small amounts, some large ones, credits
# (negative) and values whose 10th decimal is exactly 5 (the rounding edge
# of nano-units).  The generator adds up, with Python integers:
#   exact    the true decimal total (in 1e-10 units);
#   rounded  the total of every value rounded half away from zero to 1e-9,
#            which is what common/decimal.h promises to store.
# imcost imports the file; its totals are read three ways (SUM of the nano
# columns through `imcost sql`, `analyze --format json` summary, and the
# import_periods bookkeeping) and compared: nanos equal `rounded` exactly,
# and all of them equal `exact` to the cent.  The actual difference from the
# exact total is printed in the check's name.
# MONEY_ROWS overrides the row count (for quick runs).
. "$(dirname "$0")/lib.sh"

rows=${MONEY_ROWS:-1000000}
csv=$TEST_DIR/money.csv

python3 - "$csv" "$rows" >"$TEST_DIR/expected.txt" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
state = 0x2545F4914F6CDD1D

def rnd():
    # 64-bit LCG (Knuth MMIX); the high bits are the output
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
    return state >> 11

def amount():
    r = rnd()
    kind = r % 100
    r = rnd()
    if kind < 70:            # 0 .. 10 units
        v = r % (10 * 10**10)
    elif kind < 85:          # 0 .. 1000 units
        v = r % (1000 * 10**10)
    elif kind < 90:          # large: up to 100,000 units
        v = r % (100000 * 10**10)
    elif kind < 97:          # credits, down to -50 units
        v = -(r % (50 * 10**10))
    else:                    # exactly on the half-nano edge
        v = (r % (10**10)) // 10 * 10 + 5
        if r & 1:
            v = -v
    return v

def text(v):
    s = "-" if v < 0 else ""
    a = abs(v)
    return "%s%d.%010d" % (s, a // 10**10, a % 10**10)

def nanos(v):
    # round half away from zero from 1e-10 to 1e-9 units
    a = abs(v)
    q, r = divmod(a, 10)
    if r >= 5:
        q += 1
    return -q if v < 0 else q

exact_b = exact_e = round_b = round_e = 0
with open(path, "w") as f:
    f.write("BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,"
            "BillingPeriodStart,BillingPeriodEnd,BillingCurrency,ProviderName,"
            "BillingAccountId,ServiceName\n")
    for i in range(n):
        b = amount()
        e = amount()
        exact_b += b; exact_e += e
        round_b += nanos(b); round_e += nanos(e)
        day = 1 + i % 30
        f.write("%s,%s,Usage,2026-09-%02dT%02d:00:00Z,,2026-09-01T00:00:00Z,"
                "2026-10-01T00:00:00Z,USD,ACME,acct-1,svc-%d\n"
                % (text(b), text(e), day, i % 24, i % 7))
print("exact_billed=%s" % text(exact_b))
print("exact_effective=%s" % text(exact_e))
print("rounded_billed_nanos=%d" % round_b)
print("rounded_effective_nanos=%d" % round_e)
PY
if [ $? -ne 0 ]; then
	nok "money: generator"
	exit 0
fi
get() { sed -n "s/^$1=//p" "$TEST_DIR/expected.txt"; }

if ! "$IMCOST" --quiet import "$csv" 2>"$TEST_DIR/import.err"; then
	nok "money: import of $rows rows" "$(head -1 "$TEST_DIR/import.err")"
	exit 0
fi
ok "money: import of $rows rows with 10-decimal costs"

sums=$("$IMCOST" --format csv sql 'SELECT COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM charges' | tail -1)
IFS=, read -r n sum_b sum_e <<<"$sums"
expect_eq "money: every row stored" "$n" "$rows"
expect_eq "money: billed nanos = sum of rows rounded half away from zero" "$sum_b" "$(get rounded_billed_nanos)"
expect_eq "money: effective nanos = sum of rows rounded half away from zero" "$sum_e" "$(get rounded_effective_nanos)"

periods=$("$IMCOST" --format csv sql 'SELECT SUM(billed_cost_nanos), SUM(effective_cost_nanos) FROM import_periods' | tail -1)
expect_eq "money: import_periods totals = charges totals" "$periods" "$sum_b,$sum_e"

"$IMCOST" --format json analyze --month 2026-09 >"$TEST_DIR/analyze.json" 2>"$TEST_DIR/analyze.err"
if [ ! -s "$TEST_DIR/analyze.json" ]; then
	nok "money: analyze --format json" "$(head -1 "$TEST_DIR/analyze.err")"
	exit 0
fi

# compare with the exact decimal total, to the cent, and say by how much
python3 - "$TEST_DIR/analyze.json" "$sum_b" "$sum_e" "$(get exact_billed)" "$(get exact_effective)" <<'PY'
import json, sys
from decimal import Decimal, ROUND_HALF_UP
doc = json.load(open(sys.argv[1]), parse_float=Decimal, parse_int=Decimal)
nb, ne, xb, xe = sys.argv[2:6]
cent = Decimal("0.01")
def check(name, got, exact):
    exact = Decimal(exact)
    diff = got - exact
    same = got.quantize(cent, ROUND_HALF_UP) == exact.quantize(cent, ROUND_HALF_UP) and abs(diff) < Decimal("0.005")
    print("%s - money: %s %s = exact %s to the cent (difference %s)"
          % ("ok" if same else "not ok", name, got, exact, diff))
check("billed SUM(nanos)", Decimal(nb) / 10**9, xb)
check("effective SUM(nanos)", Decimal(ne) / 10**9, xe)
s = doc.get("summary", {})
for key in ("billed_cost", "effective_cost"):
    if key in s:
        check("analyze summary." + key, Decimal(s[key]), xb if key == "billed_cost" else xe)
    else:
        print("not ok - money: analyze summary.%s missing" % key)
PY
