# t-levers-commitment.sh - `imcost levers --bill`'s commitment lever takes
# the commitments analyzer's findings as a struct (commitments_recommended):
# on a generated CUR month (bench/gen-cur.c, with planted on-demand usage
# worth a commitment) its inputs must be exactly the rows of `analyze
# --only commitments` recommendations[] (region, type, count, term,
# payment, monthly_savings, in order), and its saving their sum, added
# here with python3's decimal.

. "$ROOT/tests/e2e/lib.sh"

if [ ! -x "$GEN_CUR" ]; then
	skip "levers commitment" "no gen-cur at $GEN_CUR"
	exit 0
fi
"$GEN_CUR" --rows 20000 --seed 3 --out cur.csv --totals totals.txt >/dev/null 2>&1
if ! "$IMCOST" import cur.csv >/dev/null 2>import.err; then
	nok "import of the generated month" "$(head -3 import.err)"
	exit 0
fi
"$IMCOST" --format json analyze --only commitments >an.json 2>/dev/null
expect_eq "analyze --only commitments runs" "$?" "0"
"$IMCOST" --format json levers --bill >lv.json 2>lv.err
expect_eq "levers --bill runs" "$?" "0"

want=$(jq -r '.commitments.recommendations | length' an.json)
if [ "${want:-0}" -gt 0 ]; then
	ok "the generated month has $want recommended purchase(s)"
else
	nok "the generated month has a recommended purchase" "got '$want'"
fi
python3 - an.json lv.json <<'PY' >cmp.txt 2>&1
import json, sys
from decimal import Decimal as D
an = json.load(open(sys.argv[1]), parse_float=D)
lv = json.load(open(sys.argv[2]), parse_float=D)
recs = an["commitments"]["recommendations"]
lever = [l for l in lv["levers"] if l["lever"] == "commitment"][0]
ins = lever["inputs"]
assert len(ins) == len(recs), (len(ins), len(recs))
for i, (r, x) in enumerate(zip(recs, ins), 1):
    assert x["name"] == "recommendation_%d" % i, x["name"]
    assert D(x["value"]) == D(r["monthly_savings"]), (x["value"], r["monthly_savings"])
    src = "%s %s x%s %s %s" % (r["region"], r["instance_type"], r["count"], r["term"], r["payment"])
    assert x["source"] == src, (x["source"], src)
total = sum((D(r["monthly_savings"]) for r in recs), D(0))
assert D(lever["monthly_saving"]) == total, (lever["monthly_saving"], total)
print("same", len(recs), total)
PY
case "$(cat cmp.txt)" in
same*) ok "commitment lever inputs = recommendations[], saving = their sum ($(cat cmp.txt))" ;;
*) nok "commitment lever inputs = recommendations[]" "$(tail -2 cmp.txt)" ;;
esac
