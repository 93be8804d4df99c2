#!/bin/bash
# t-ux.sh - the terminal experience of issue 18: the savings block analyze
# opens with (its figures checked against the analyses' own findings with
# python's Decimal), tables that fit a 120-column pseudo-terminal, piped
# output never cut, Total rows, counts with separators, sql REAL without
# float noise, empty months and analyze --fail-on.
. "$ROOT/tests/e2e/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	skip "terminal tests" "no script(1) (bsdutils)"
	HAVE_SCRIPT=0
else
	HAVE_SCRIPT=1
fi

"$GEN_CUR" --rows 3000 --month 2026-10 --seed 7 --out cur.csv --totals totals.txt \
	--metrics usage.csv || { nok "gen-cur"; exit 0; }
"$IMCOST" --quiet import "$ROOT/data/prices-example-aws-ec2.csv" \
	"$ROOT/data/prices-example-aws-savingsplans.csv" cur.csv usage.csv ||
	{ nok "import"; exit 0; }

# ---- the savings block and savings{} ----
"$IMCOST" --format json analyze >a.json 2>a.err
expect_eq "analyze json: exit 0" "$?" 0
"$IMCOST" analyze >a.txt 2>/dev/null
expect_eq "analyze table: exit 0" "$?" 0

# every figure recomputed from the analyses' own arrays, exactly
python3 - a.json >check.txt <<'PY'
import json, sys
from decimal import Decimal, ROUND_HALF_UP
d = json.load(open(sys.argv[1]), parse_float=Decimal)
s = d["savings"]
micro = Decimal("0.000001")
def r(x): return Decimal(x).quantize(micro, rounding=ROUND_HALF_UP)
cur = s["currency"]
kinds = {k["kind"]: Decimal(k["monthly_savings"]) for k in s["by_kind"]}
print("total_is_sum", r(s["total_monthly"]) == sum(kinds.values()))
print("kinds", ",".join(k["kind"] for k in s["by_kind"]))
recs = [x for x in d["commitments"]["recommendations"] if x["currency"] == cur]
print("commitments", kinds["commitments"] == sum((r(x["monthly_savings"]) for x in recs), Decimal(0)))
idle = [x for x in d["idle"] if x["currency"] == cur and x["monthly_cost"] is not None]
print("idle", kinds["idle"] == sum((r(x["monthly_cost"]) for x in idle if x["kind"] != "commitment"), Decimal(0)))
print("unused", kinds["unused_commitments"] == sum((r(x["monthly_cost"]) for x in idle if x["kind"] == "commitment"), Decimal(0)))
# rightsizing: not added where the region and family get a purchase
fam = lambda region, t: (region, t.split(".")[0])
bought = {fam(x["region"], x["instance_type"]) for x in recs}
rs = [x for x in d["rightsizing"]["recommendations"] if x["currency"] == cur]
print("rightsizing", kinds["rightsizing"] == sum((r(x["monthly_savings"]) for x in rs
      if fam(x["region"], x["instance_type"]) not in bought), Decimal(0)))
allv = sorted([r(x["monthly_savings"]) for x in recs] + [r(x["monthly_cost"]) for x in idle] +
              [r(x["monthly_savings"]) for x in rs if fam(x["region"], x["instance_type"]) not in bought],
              reverse=True)
top = [Decimal(x["monthly_savings"]) for x in s["top_actions"]]
print("top", top == allv[:5] and len(top) == min(5, len(allv)))
print("total2", s["total_monthly"].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
print("nonzero", sum(kinds.values()) > 0)
PY
for k in total_is_sum commitments idle unused rightsizing top nonzero; do
	expect_eq "savings: $k agrees with the analyses (python Decimal)" "$(awk -v k=$k '$1==k {print $2}' check.txt)" True
done
expect_eq "savings: by_kind lists every kind" "$(awk '$1=="kinds" {print $2}' check.txt)" \
	"commitments,idle,unused_commitments,rightsizing"
total=$(awk '$1=="total2" {print $2}' check.txt)
line=$(grep -n '^Savings found: ' a.txt | head -1)
n=${line%%:*}
if [ -n "$n" ] && [ "$n" -le 25 ]; then ok "table: savings block within the first 25 lines (line $n)"; else nok "table: savings block within the first 25 lines" "line '${n}'"; fi
want=$(python3 -c "
from decimal import Decimal; print('{:,.2f}'.format(Decimal('$total')))")
expect_eq "table: block total = JSON savings.total_monthly" "$(sed -n 's/^Savings found: \([0-9,.]*\) USD a month$/\1/p' a.txt | head -1)" "$want"
# the split printed equals by_kind (2 decimals, with separators)
python3 - a.json a.txt <<'PY' >split.txt
import json, sys, re
from decimal import Decimal, ROUND_HALF_UP
d = json.load(open(sys.argv[1]), parse_float=Decimal)
txt = open(sys.argv[2]).read().split("\n")[:25]
labels = {"commitments": "Commitments to buy", "idle": "Idle resources",
          "unused_commitments": "Unused commitments", "rightsizing": "Rightsizing"}
good = True
for k in d["savings"]["by_kind"]:
    want = "{:,.2f}".format(Decimal(k["monthly_savings"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if not any(re.match(r"^  %s +%s USD" % (re.escape(labels[k["kind"]]), re.escape(want)), l) for l in txt):
        good = False
print(good)
PY
expect_eq "table: block split = JSON by_kind" "$(cat split.txt)" True
if grep -q '^Not assessed (details at the end)' a.txt && grep -q '^  idle volume: ' a.txt; then
	ok "table: the block names what was not assessed"
else
	nok "table: the block names what was not assessed"
fi
if grep -q 'Not double counted: ' a.txt; then ok "table: the block states its double-counting rule"; else nok "table: the block states its double-counting rule"; fi
"$IMCOST" --format markdown analyze >a.md 2>/dev/null
expect_eq "markdown: opens with the savings heading" "$(head -1 a.md)" "## Savings found: $want USD a month"
"$IMCOST" --format json analyze --top 2 >top2.json 2>/dev/null
expect_eq "--top 2: two top actions" "$(jq '.savings.top_actions | length' top2.json)" 2
expect_status "--top x: usage error" 2 "$IMCOST" analyze --top x
# analyses that look for savings not run: said, never "0"
"$IMCOST" analyze --only summary >o.txt 2>/dev/null
if grep -q 'Savings found' o.txt; then nok "--only summary: no savings block"; else ok "--only summary: no savings block"; fi
"$IMCOST" --format json analyze --only idle >o.json 2>/dev/null
expect_eq "--only idle: commitments not run (null)" "$(jq -c '[.savings.by_kind[] | select(.kind == "commitments") | .monthly_savings, .ran]' o.json)" "[null,false]"
expect_eq "--only idle: idle ran" "$(jq -c '[.savings.by_kind[] | select(.kind == "idle") | .ran]' o.json)" "[true]"
"$IMCOST" analyze --only idle >o.txt 2>/dev/null
if grep -q '^  Commitments to buy *not run (--only)' o.txt; then ok "--only idle: the block says commitments were not run"; else nok "--only idle: the block says commitments were not run" "$(head -5 o.txt)"; fi

# ---- piped output: nothing cut, the details as before ----
COLUMNS=60 "$IMCOST" analyze >p60.txt 2>/dev/null
if cmp -s a.txt p60.txt; then ok "piped: COLUMNS does not cut a pipe"; else nok "piped: COLUMNS does not cut a pipe"; fi
if grep -q '…' a.txt; then nok "piped: no id shortened" "$(grep -m1 '…' a.txt)"; else ok "piped: no id shortened"; fi
if grep -q -- '--wide adds' a.txt; then nok "piped: no column hidden"; else ok "piped: no column hidden"; fi

# ---- Total rows and counts ----
python3 - a.json a.txt <<'PY' >tot.txt
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]), parse_float=Decimal)
lines = open(sys.argv[2]).read().split("\n")
i = lines.index("Cost by service")
block = lines[i:i + 3 + len(d["summary"]["by_service"]) + 2]
billed = sum(Decimal(x["billed_cost"]) for x in d["summary"]["by_service"])
eff = sum(Decimal(x["effective_cost"]) for x in d["summary"]["by_service"])
want = ["Total", "{:,.2f}".format(billed), "{:,.2f}".format(eff)]
print(block[-1].split() == want, "{:,}".format(d["summary"]["rows"]))
PY
expect_eq "Cost by service: Total row = python sum of by_service" "$(cut -d' ' -f1 tot.txt)" True
expect_eq "Charge rows with thousands separators" "$(sed -n 's/^  Charge rows *//p' a.txt | head -1)" "$(cut -d' ' -f2 tot.txt)"

# ---- sql: REAL money without float noise ----
"$IMCOST" sql 'SELECT SUM(BilledCost) AS b FROM focus' >s.txt 2>&1
want=$(sqlite3 "$IMCOST_DB" 'SELECT SUM(BilledCostNanos) FROM charges' | python3 -c "
import sys; from decimal import Decimal
print(format((Decimal(sys.stdin.read().strip()) / 1000000000).normalize(), 'f'))")
expect_eq "sql: SUM(BilledCost) prints the nanos-exact decimal" "$(sed -n 3p s.txt | tr -d ' ')" "$want"
"$IMCOST" --format json sql 'SELECT 0.1 + 0.2 AS x' >s.json
expect_eq "sql json: 0.1 + 0.2 is 0.3" "$(jq -r '.[0].x' s.json)" 0.3

# ---- empty months: exit 1 naming the months there are ----
for c in "analyze --month 2026-09" "levers --bill --month 2026-09" "report --month 2026-09 --out rep"; do
	# shellcheck disable=SC2086
	"$IMCOST" $c >e.out 2>e.err
	rc=$?
	if [ $rc = 1 ] && grep -q 'no charges for 2026-09 .*months with charges: 2026-10' e.err && [ ! -s e.out ]; then
		ok "$c: exit 1 naming 2026-10"
	else
		nok "$c: exit 1 naming 2026-10" "exit $rc: $(cat e.err)"
	fi
done

# ---- --fail-on ----
waste=$(jq -r '[.savings.by_kind[] | select(.kind == "idle" or .kind == "unused_commitments") | .monthly_savings] | add' a.json)
below=$(python3 -c "from decimal import Decimal; print(Decimal('$waste') - Decimal('0.01'))")
above=$(python3 -c "from decimal import Decimal; print(Decimal('$waste') + Decimal('0.01'))")
nanom=$(jq '.anomalies.anomalies | length' a.json)
expect_status "--fail-on waste=$below (waste $waste): exit 3" 3 "$IMCOST" analyze --fail-on "waste=$below"
expect_status "--fail-on waste=$waste: reached, exit 3" 3 "$IMCOST" analyze --fail-on "waste=$waste"
expect_status "--fail-on waste=$above: exit 0" 0 "$IMCOST" analyze --fail-on "waste=$above"
expect_status "--fail-on anomaly=$((nanom + 1)) ($nanom found): exit 0" 0 "$IMCOST" analyze --fail-on "anomaly=$((nanom + 1))"
expect_status "--fail-on savings=$above,anomaly=$((nanom + 1)): exit 0" 0 "$IMCOST" --format json analyze --fail-on "savings=1000000,anomaly=$((nanom + 1))"
expect_status "--fail-on bogus=1: usage" 2 "$IMCOST" analyze --fail-on bogus=1
expect_status "--fail-on waste=-1: usage" 2 "$IMCOST" analyze --fail-on waste=-1
"$IMCOST" --format json analyze --fail-on "waste=$below" >f.json 2>f.err
rc=$?
if [ $rc = 3 ] && jq -e .savings f.json >/dev/null && grep -q "fail-on waste=.* reached" f.err; then
	ok "--fail-on: the report is still printed, the reason on stderr"
else
	nok "--fail-on: the report is still printed, the reason on stderr" "exit $rc, $(cat f.err)"
fi
if "$IMCOST" analyze --help | grep -q -- '--fail-on KIND=AMOUNT'; then ok "--fail-on in analyze --help"; else nok "--fail-on in analyze --help"; fi
if grep -q -- '--fail-on' "$ROOT/README.md"; then ok "--fail-on in the README"; else nok "--fail-on in the README"; fi

# ---- a 120-column pseudo-terminal ----
if [ "$HAVE_SCRIPT" = 1 ]; then
	tty120() {	# tty120 OUT ARGS...: run imcost ARGS with stdout on a 120-column pty
		local out=$1; shift
		local cmd="stty cols 120 2>/dev/null; unset COLUMNS; NO_COLOR='${NO_COLOR-}' IMCOST_DB='$IMCOST_DB' '$IMCOST'"
		for a in "$@"; do cmd="$cmd '$a'"; done
		script -qec "$cmd 2>/dev/null" /dev/null >"$out" </dev/null
	}
	widest() {
		python3 - "$1" <<'PY'
import sys, unicodedata, re
w = 0
for l in open(sys.argv[1], encoding="utf-8", errors="replace"):
    l = re.sub("\x1b\\[[0-9;]*m", "", l.rstrip("\r\n"))
    w = max(w, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l))
print(w)
PY
	}
	for c in "analyze" "list" "formats" "levers --bill" "levers --profile $ROOT/data/profile-example.json" \
		 "vendors --profile $ROOT/data/profile-example.json"; do
		# shellcheck disable=SC2086
		tty120 t.out $c
		w=$(widest t.out)
		lines=$(wc -l <t.out)
		if [ "$lines" -gt 3 ] && [ "$w" -le 120 ]; then ok "tty 120: $c fits ($w columns, $lines lines)"; else nok "tty 120: $c fits" "$w columns, $lines lines"; fi
	done
	tty120 t.out analyze
	if grep -q -- '--wide adds' t.out && grep -q '…' t.out; then ok "tty 120: columns hidden and ids shortened, and said"; else nok "tty 120: columns hidden and ids shortened, and said"; fi
	n=$(grep -n '^Savings found: ' t.out | head -1 | cut -d: -f1)
	if [ -n "$n" ] && [ "$n" -le 25 ]; then ok "tty 120: savings block within 25 lines"; else nok "tty 120: savings block within 25 lines" "line '$n'"; fi
	tty120 w.out --wide analyze
	w=$(widest w.out)
	if [ "$w" -gt 120 ] && ! grep -q -- '--wide adds' w.out; then ok "tty --wide: tables whole ($w columns)"; else nok "tty --wide: tables whole" "$w columns"; fi
	tr -d '\r' <w.out >w2.out
	if cmp -s w2.out a.txt; then ok "tty --wide: the same as piped"; else nok "tty --wide: the same as piped" "$(diff w2.out a.txt | head -5)"; fi

	# colour: only on a terminal, and a non-empty NO_COLOR turns it off
	NO_COLOR= tty120 c.out analyze
	if grep -q $'\033\\[1;32mSavings found' c.out && grep -q $'\033\\[1mService' c.out; then
		ok "colour on a terminal with NO_COLOR empty (headline, headers)"
	else
		nok "colour on a terminal with NO_COLOR empty" "$(head -2 c.out | cat -v)"
	fi
	NO_COLOR=1 tty120 c.out analyze
	if grep -q $'\033\\[' c.out; then nok "NO_COLOR=1: no colour"; else ok "NO_COLOR=1: no colour"; fi
	if grep -q $'\033' a.txt; then nok "piped: no colour"; else ok "piped: no colour"; fi
fi
