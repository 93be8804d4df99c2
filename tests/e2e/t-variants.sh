#!/bin/bash
# t-variants.sh - export variants seen in the wild (issue 17, items 5-7).
#
# Every total is computed here from the raw file with Python's decimal
# module, independently of imcost:
#  - GCP BigQuery JSON lines with an object or an array where a number, a
#    timestamp, a text or an array belongs: the error quotes the value's
#    JSON text, never a placeholder;
#  - a non-numeric value in a column that only feeds list cost (CUR
#    pricing/publicOnDemandCost, FOCUS ListCost, Azure paygCostIn...) is
#    stored as NULL and counted in one warning with the line and column of
#    the first, billed and effective totals unchanged; the same value in a
#    billed or effective column is still refused;
#  - FOCUS 0.5 (ChargeType, AmortizedCost, BilledCurrency, the validator's
#    swapped BillingPeriodStart/End) is detected and reconciled, the swap
#    warned with its line and column;
#  - Azure files with localized headers ("Abonnement-GUID
#    (SubscriptionGuid)") import like their English twin;
#  - the GCP legacy file export and OCI cost reports (tests/fixtures) and
#    an OCI FOCUS report reconcile per billing month.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1
FIX="$ROOT/tests/fixtures"

fresh() { rm -f "$TEST_DIR/$1.db"; echo "$TEST_DIR/$1.db"; }

# refused NAME DB FILE PATTERN: exit 1, one stderr line naming the file and
# matching PATTERN (grep -F), database unchanged
refused() {
	local name=$1 d=$2 file=$3 pat=$4 before after rc lines
	before=$(db_fingerprint "$d")
	"$IMCOST" --db "$d" --quiet import "$file" >/dev/null 2>err.txt
	rc=$?
	after=$(db_fingerprint "$d")
	lines=$(wc -l <err.txt)
	if [ $rc -ne 1 ]; then
		nok "$name" "exit $rc, want 1 ($(head -c 300 err.txt))"
	elif [ "$lines" -ne 1 ]; then
		nok "$name" "$lines lines on stderr, want 1"
	elif ! grep -qF -- "$pat" err.txt; then
		nok "$name" "message does not contain $pat: $(head -c 300 err.txt)"
	elif [ "$before" != "$after" ]; then
		nok "$name" "the database changed"
	else
		ok "$name"
	fi
}

# totals DB [WHERE]: "rows|billed|effective" in nanos
totals() {
	sqlite3 "$1" "SELECT count(*), coalesce(sum(BilledCostNanos),0), coalesce(sum(EffectiveCostNanos),0) FROM charges WHERE ${2:-1}" 2>&1
}

# -------------------------------------------- GCP JSON: the value, quoted
# One BigQuery row per case with a field of the wrong JSON kind; the
# message must carry that field's JSON text as written here.
gcp_line=$(head -1 "$FIX/gcp/bq-export_2024-05.jsonl")
while IFS='|' read -r field value want; do
	printf '%s' "$gcp_line" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
path, v = sys.argv[1].split("."), json.loads(sys.argv[2])
o = d
for k in path[:-1]:
    o = o[k]
o[path[-1]] = v
print(json.dumps(d))' "$field" "$value" >gcp-kind.jsonl
	d=$(fresh gcpkind)
	refused "gcp json: $field holding $value is quoted" "$d" gcp-kind.jsonl "field $field: $want, found '$value'"
done <<'CASES'
cost|{"a":1}|expected a decimal number
usage.amount|[1,2]|expected a number
usage_start_time|[1]|expected a timestamp like 2020-11-09 23:00:00 UTC
currency|{"x":"USD"}|expected a currency code
billing_account_id|[]|expected a billing account id
invoice.month|{"m":202405}|expected a month like 202011
credits|{"amount":-1}|expected an array
labels|{"env":"prod"}|expected an array
CASES

