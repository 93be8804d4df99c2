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


# ------------------------------------- lenient list-price-only columns
# lenient_case NAME FORMAT: write NAME.csv (FORMAT cur|focus|azure) whose
# list-price column holds words on some rows, and NAME.want with
# "rows|billed|list|listrows|firstline|firstcol|count" computed here.
lenient_case() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
from decimal import Decimal
name, fmt = sys.argv[1], sys.argv[2]
N = 9
words = {2: 'convertible', 5: 'see RI', 7: 'convertible'}
if fmt == 'cur':
    h = ['bill/PayerAccountId', 'bill/BillingPeriodStartDate', 'bill/BillingPeriodEndDate',
         'lineItem/LineItemType', 'lineItem/UsageStartDate', 'lineItem/UsageEndDate',
         'lineItem/ProductCode', 'lineItem/CurrencyCode', 'lineItem/UnblendedCost',
         'pricing/publicOnDemandCost']
    row = lambda i, b, l: ['111122223333', '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z', 'Usage',
                           '2026-06-01T%02d:00:00Z' % i, '2026-06-01T%02d:00:00Z' % (i + 1),
                           'AmazonEC2', 'USD', b, l]
elif fmt == 'focus':
    h = ['BilledCost', 'EffectiveCost', 'ListCost', 'ChargeCategory', 'ChargePeriodStart',
         'ChargePeriodEnd', 'BillingCurrency', 'ProviderName', 'BillingAccountId',
         'BillingPeriodStart', 'BillingPeriodEnd']
    row = lambda i, b, l: [b, b, l, 'Usage', '2026-06-01T%02d:00:00Z' % i,
                           '2026-06-01T%02d:00:00Z' % (i + 1), 'USD', 'AWS', '111122223333',
                           '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z']
else:
    h = ['SubscriptionId', 'Date', 'ChargeType', 'PricingModel', 'CostInBillingCurrency',
         'BillingCurrencyCode', 'paygCostInBillingCurrency', 'MeterCategory',
         'BillingPeriodStartDate', 'BillingPeriodEndDate', 'BillingAccountId']
    row = lambda i, b, l: ['sub-1', '06/%02d/2026' % (i + 1), 'Usage', 'OnDemand', b, 'EUR', l,
                           'Virtual Machines', '06/01/2026', '06/30/2026', 'acct-1']
lcol = h.index({'cur': 'pricing/publicOnDemandCost', 'focus': 'ListCost',
                'azure': 'paygCostInBillingCurrency'}[fmt]) + 1
billed = listed = Decimal(0)
nlist = 0
with open(name + '.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(h)
    for i in range(N):
        b = Decimal('1.25') * (i + 1) + Decimal('0.0001') * i
        l = words.get(i, str(b * 2))
        billed += b
        if i not in words:
            listed += b * 2
            nlist += 1
        w.writerow(row(i, str(b), l))
first = min(words) + 2
nano = lambda d: int(d * 10**9)
print('%d|%d|%d|%d|%d|%d|%d' % (N, nano(billed), nano(listed), nlist, first, lcol, len(words)),
      file=open(name + '.want', 'w'))
PY
}

for fmt in cur focus azure; do
	lenient_case "lenient-$fmt" "$fmt"
	IFS='|' read -r n billed listed nlist line col count <"lenient-$fmt.want"
	d=$(fresh "lenient-$fmt")
	if "$IMCOST" --db "$d" import "lenient-$fmt.csv" >/dev/null 2>err.txt; then
		got=$(sqlite3 "$d" "SELECT count(*), sum(BilledCostNanos), sum(ListCostNanos), count(ListCostNanos) FROM charges")
		expect_eq "lenient $fmt: rows, billed and list totals" "$got" "$n|$billed|$listed|$nlist"
		w=$(grep -c 'is stored as NULL (the column only feeds list cost' err.txt)
		expect_eq "lenient $fmt: one warning" "$w" 1
		if grep -qF "($count rows, first at line $line, column $col)" err.txt; then
			ok "lenient $fmt: the warning counts the rows and points at the first"
		else
			nok "lenient $fmt: the warning counts the rows and points at the first" "$(cat err.txt)"
		fi
	else
		nok "lenient $fmt: import" "$(head -c 300 err.txt)"
	fi
done

# the same word in a billed or effective cost column is still refused
python3 - <<'PY'
import csv
rows = list(csv.reader(open('lenient-focus.csv')))
for col, out in (('BilledCost', 'strict-billed.csv'), ('EffectiveCost', 'strict-effective.csv')):
    i = rows[0].index(col)
    r = [list(x) for x in rows]
    r[3][i] = 'convertible'
    csv.writer(open(out, 'w', newline=''), lineterminator='\n').writerows(r)
r = [list(x) for x in rows]
r[3][rows[0].index('ListCost')] = '1e999'
csv.writer(open('strict-range.csv', 'w', newline=''), lineterminator='\n').writerows(r)
PY
d=$(fresh strict)
refused "lenient: a word in BilledCost is refused" "$d" strict-billed.csv "strict-billed.csv:4:1: column BilledCost: expected a decimal number, found 'convertible'"
refused "lenient: a word in EffectiveCost is refused" "$d" strict-effective.csv "strict-effective.csv:4:2: column EffectiveCost: expected a decimal number, found 'convertible'"
refused "lenient: a list cost out of range is refused" "$d" strict-range.csv "strict-range.csv:4:3: column ListCost:"

# ------------------------------------------------------------ FOCUS 0.5
# The FinOps Foundation validator's 0.5 layout (tests/samples/all_pass_0.5.csv
# of finopsfoundation/focus_validator): ChargeType, AmortizedCost,
# BilledCurrency, Provider, Region, ResourceID, and BillingPeriodStart
# written after BillingPeriodEnd on the rows the generator marks swapped.
python3 - <<'PY'
import csv
from decimal import Decimal
h = ['InvoiceIssuer', 'ResourceID', 'ChargeType', 'Provider', 'BillingAccountName',
     'BillingAccountId', 'Publisher', 'ResourceName', 'ServiceName', 'BilledCurrency',
     'BillingPeriodEnd', 'BillingPeriodStart', 'Region', 'ServiceCategory', 'ChargePeriodStart',
     'ChargePeriodEnd', 'BilledCost', 'AmortizedCost', 'SubAccountName', 'SubAccountId']
types = ['Usage', 'Purchase', 'Tax', 'Adjustment', 'Credit']
tot = {}
first = None
nswap = 0
with open('focus05.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(h)
    for i in range(40):
        cur = 'AUD' if i % 3 else 'USD'
        b = Decimal(i * 37 % 101) / 7
        b = b.quantize(Decimal('0.000001'))
        a = (b * Decimal('0.85')).quantize(Decimal('0.000001'))
        if types[i % 5] == 'Credit':
            b, a = -b, -a
        swapped = i % 4 != 1
        ps, pe = '2023-06-01T00:00:00Z', '2023-07-01T00:00:00Z'
        if swapped:
            nswap += 1
            first = first or i + 2
        w.writerow(['entity', 'r%d' % i, types[i % 5], 'ProviderA', 'Account-1', 'a1', 'Pub',
                    'res %d' % i, 'svc', cur, ps if swapped else pe, pe if swapped else ps,
                    'region-%d' % (i % 2), 'Compute', '2023-06-%02dT00:00:00Z' % (i % 28 + 1),
                    '2023-06-%02dT01:00:00Z' % (i % 28 + 1), str(b), str(a), 'IT', 'sub-%d' % (i % 3)])
        t = tot.setdefault(cur, [0, Decimal(0), Decimal(0)])
        t[0] += 1; t[1] += b; t[2] += a
with open('focus05.want', 'w') as f:
    for cur in sorted(tot):
        n, b, a = tot[cur]
        f.write('%s|%d|%d|%d\n' % (cur, n, int(b * 10**9), int(a * 10**9)))
open('focus05.swap', 'w').write('%d rows, first at line %d, column 12\n' % (nswap, first))
PY
d=$(fresh focus05)
if "$IMCOST" --db "$d" import focus05.csv >out.txt 2>err.txt; then
	expect_eq "focus 0.5: detected as focus" "$(grep -cE ": focus, (40 records|40 rows)" err.txt)" 1
	got=$(sqlite3 "$d" "SELECT BillingCurrency, count(*), sum(BilledCostNanos), sum(EffectiveCostNanos) FROM charges GROUP BY 1 ORDER BY 1")
	expect_eq "focus 0.5: billed and amortized per currency" "$got" "$(cat focus05.want)"
	got=$(sqlite3 "$d" "SELECT count(*) FROM charges WHERE BillingPeriodStart = strftime('%s','2023-06-01') AND BillingPeriodEnd = strftime('%s','2023-07-01') AND ProviderName = 'ProviderA' AND RegionId LIKE 'region-%' AND ResourceId LIKE 'r%'")
	expect_eq "focus 0.5: every period June 2023, provider, region and resource mapped" "$got" 40
	if grep -qF "BillingPeriodStart is after BillingPeriodEnd" err.txt &&
		grep -qF "($(cat focus05.swap))" err.txt; then
		ok "focus 0.5: the swapped periods are warned with the first line and column"
	else
		nok "focus 0.5: the swapped periods are warned with the first line and column" "$(cat err.txt)"
	fi
else
	nok "focus 0.5: import" "$(head -c 300 err.txt)"
fi

# ------------------------------------------- Azure with localized headers
# A generated EA-layout file whose names are German with the English name
# in parentheses (as the German portal writes them), and its English twin.
python3 - <<'PY'
import csv
from decimal import Decimal
cols = [('Abrechnungskonto-ID', 'BillingAccountId'), ('Abonnement-GUID', 'SubscriptionGuid'),
        ('Datum', 'Date'), ('Abrechnungszeitraum – Beginn', 'BillingPeriodStartDate'),
        ('Abrechnungszeitraum – Ende', 'BillingPeriodEndDate'),
        ('Kategorie der Verbrauchseinheit', 'MeterCategory'), ('Gebührentyp', 'ChargeType'),
        ('Preismodell', 'PricingModel'), ('Menge', 'Quantity'),
        ('Kosten in Abrechnungswährung', 'CostInBillingCurrency'),
        ('Abrechnungswährung', 'BillingCurrencyCode'), ('Ressourcen-ID', 'ResourceId'),
        ('Standort', 'ResourceLocation'), ('Tags', 'Tags')]
rows, billed = [], Decimal(0)
for i in range(30):
    c = (Decimal(i * 7919 % 1000) / 97).quantize(Decimal('0.00000001'))
    billed += c
    rows.append(['acct-42', 'b7e1c6a2-0000-4000-8000-%012d' % (i % 3), '05/%02d/2026' % (i % 31 + 1),
                 '05/01/2026', '05/31/2026', ['Virtual Machines', 'Storage', 'Bandwidth'][i % 3],
                 'Usage', 'OnDemand', str(i + 1), str(c), 'EUR', '/subscriptions/x/vm-%d' % i,
                 'Deutschland West-Mitte', '"umgebung": "prod"'])
for name, head in (('azure-de.csv', ['%s (%s)' % c for c in cols]),
                   ('azure-en.csv', [c[1] for c in cols])):
    with open(name, 'w', newline='', encoding='utf-8-sig') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(head)
        w.writerows(rows)
open('azure-de.want', 'w').write('30|%d|%d\n' % (int(billed * 10**9), int(billed * 10**9)))
PY
dde=$(fresh azure-de) den=$(fresh azure-en)
if "$IMCOST" --db "$dde" --quiet import azure-de.csv 2>err.txt >/dev/null &&
	"$IMCOST" --db "$den" --quiet import azure-en.csv 2>>err.txt >/dev/null; then
	expect_eq "azure localized: the German-header file reconciles" "$(totals "$dde")" "$(cat azure-de.want)"
	a=$(sqlite3 "$dde" "SELECT * FROM focus ORDER BY ChargePeriodStart, BilledCost" | md5sum)
	b=$(sqlite3 "$den" "SELECT * FROM focus ORDER BY ChargePeriodStart, BilledCost" | md5sum)
	expect_eq "azure localized: the same rows as the English twin" "$a" "$b"
	expect_eq "azure localized: subscription, region and tags mapped" \
		"$(sqlite3 "$dde" "SELECT count(DISTINCT SubAccountId), count(*) FILTER (WHERE RegionId = 'deutschlandwest-mitte' AND Tags LIKE '%umgebung%') FROM charges")" "3|30"
else
	nok "azure localized: import" "$(head -c 300 err.txt)"
fi
# the koku legacy pay-as-you-go sample under German names imports as itself
if have_samples && [ -f "$SAMPLES/azure/legacy-payg-pretaxcost_koku_2019-07.csv" ]; then
	python3 - "$SAMPLES/azure/legacy-payg-pretaxcost_koku_2019-07.csv" <<'PY'
import csv, sys
de = {'SubscriptionGuid': 'Abonnement-GUID', 'UsageDateTime': 'Nutzungsdatum/-uhrzeit',
      'PreTaxCost': 'PreTaxCost', 'Currency': 'Währung', 'UsageQuantity': 'Verbrauchte Menge',
      'InstanceId': 'Instanz-ID', 'MeterCategory': 'Kategorie der Verbrauchseinheit'}
r = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
r[0] = ['%s (%s)' % (de.get(x, x + '-DE'), x) for x in r[0]]
csv.writer(open('payg-de.csv', 'w', newline='', encoding='utf-8-sig')).writerows(r)
PY
	dde=$(fresh payg-de) den=$(fresh payg-en)
	"$IMCOST" --db "$dde" --quiet import payg-de.csv 2>/dev/null >/dev/null
	"$IMCOST" --db "$den" --quiet import "$SAMPLES/azure/legacy-payg-pretaxcost_koku_2019-07.csv" 2>/dev/null >/dev/null
	a=$(sqlite3 "$dde" "SELECT * FROM focus" 2>&1 | md5sum)
	b=$(sqlite3 "$den" "SELECT * FROM focus" 2>&1 | md5sum)
	n=$(sqlite3 "$dde" "SELECT count(*) FROM charges" 2>&1)
	expect_eq "azure localized: the legacy sample under German names, 3 rows as the original" "$n $a" "3 $b"
else
	skip "azure localized: the legacy sample under German names" "no samples"
fi

# ------------------------------------------------ GCP legacy file export
# gl_expect FILE: "month|rows|net" lines, net = Cost + every CreditN Amount,
# month = the date written in Start Time (Google's Pacific-time invoice day)
gl_expect() {
	python3 - "$1" <<'PY'
import csv, re, sys
from decimal import Decimal
tot = {}
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    r = csv.DictReader(f)
    for row in r:
        net = Decimal(row['Cost'])
        for k, v in row.items():
            if re.fullmatch(r'Credit\d Amount', k) and v.strip():
                net += Decimal(v)
        m = row['Start Time'][:7]
        t = tot.setdefault(m, [0, Decimal(0)])
        t[0] += 1
        t[1] += net
for m in sorted(tot):
    print('%s|%d|%d' % (m, tot[m][0], int(tot[m][1] * 10**9)))
PY
}
GL="$FIX/gcp-legacy/billing-2017-10-31_to_11-02.csv"
d=$(fresh gcp-legacy)
if "$IMCOST" --db "$d" import "$GL" >/dev/null 2>err.txt; then
	expect_eq "gcp legacy: detected" "$(grep -cE ': gcp-legacy, (6 records -> )?6 rows' err.txt)" 1
	got=$(sqlite3 "$d" "SELECT strftime('%Y-%m', BillingPeriodStart, 'unixepoch'), count(*), sum(BilledCostNanos) FROM charges GROUP BY 1 ORDER BY 1")
	expect_eq "gcp legacy: net cost per invoice month" "$got" "$(gl_expect "$GL")"
	expect_eq "gcp legacy: billed equals effective" \
		"$(sqlite3 "$d" "SELECT count(*) FROM charges WHERE BilledCostNanos != EffectiveCostNanos")" 0
	expect_eq "gcp legacy: project, service, labels and quantity mapped" \
		"$(sqlite3 "$d" "SELECT SubAccountId, ServiceName, ServiceCategory, Tags, ConsumedQuantity, ConsumedUnit FROM charges WHERE SourceLine = 2")" \
		'im-prod|compute-engine|Compute|{"env":"prod","team":"chat"}|86400.0|seconds'
else
	nok "gcp legacy: import" "$(head -c 300 err.txt)"
fi
# a generated file with two credits per row, reconciled the same way
python3 - <<'PY'
import csv
from decimal import Decimal
h = ['Account ID', 'Line Item', 'Start Time', 'End Time', 'Project', 'Measurement1',
     'Measurement1 Total Consumption', 'Measurement1 Units', 'Credit1', 'Credit1 Amount',
     'Credit1 Currency', 'Credit2', 'Credit2 Amount', 'Credit2 Currency', 'Cost', 'Currency',
     'Project Number', 'Project ID', 'Project Name', 'Project Labels', 'Description']
with open('gl-gen.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\r\n')
    w.writerow(h)
    for i in range(200):
        day = 25 + i % 12
        m, d = (1, day) if day <= 31 else (2, day - 31)
        cost = (Decimal(i * 104729 % 100000) / 10**5 * 3).quantize(Decimal('0.000001'))
        c1 = -(cost / 5).quantize(Decimal('0.000001')) if i % 2 else ''
        c2 = '-0.01' if i % 3 == 0 else ''
        w.writerow(['01ABCD-234567-89EF01', 'com.google.cloud/services/compute-engine/Sku%d' % (i % 7),
                    '2019-%02d-%02dT00:00:00-08:00' % (m, d), '2019-%02d-%02dT23:59:59-08:00' % (m, d),
                    '1234', 'm', str(i), 'seconds', 'SUD' if c1 else '', str(c1),
                    'EUR' if c1 else '', 'promo' if c2 else '', c2, 'EUR' if c2 else '',
                    str(cost), 'EUR', '1234', 'proj-%d' % (i % 4), 'P', '', 'd'])
PY
d=$(fresh gcp-legacy-gen)
if "$IMCOST" --db "$d" --quiet import gl-gen.csv >/dev/null 2>err.txt; then
	got=$(sqlite3 "$d" "SELECT strftime('%Y-%m', BillingPeriodStart, 'unixepoch'), count(*), sum(BilledCostNanos) FROM charges GROUP BY 1 ORDER BY 1")
	expect_eq "gcp legacy: generated file with two credits, per invoice month" "$got" "$(gl_expect gl-gen.csv)"
else
	nok "gcp legacy: generated import" "$(head -c 300 err.txt)"
fi
# malformed: a credit in another currency, a word as Cost, no Currency column
python3 - "$GL" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
a = [list(r) for r in rows]; a[3][10] = 'EUR'
b = [list(r) for r in rows]; b[2][11] = 'twelve'
c = [r[:12] + r[13:] for r in rows]
for name, r in (('gl-credit-cur.csv', a), ('gl-bad-cost.csv', b), ('gl-no-currency.csv', c)):
    csv.writer(open(name, 'w', newline=''), lineterminator='\n').writerows(r)
PY
d=$(fresh gl-bad)
refused "gcp legacy: a credit in another currency is refused" "$d" gl-credit-cur.csv "gl-credit-cur.csv:4:11: column Credit1 Currency: credit currency 'EUR' is not the row's currency"
refused "gcp legacy: a word as Cost is refused" "$d" gl-bad-cost.csv "gl-bad-cost.csv:3:12: column Cost: expected a decimal number, found 'twelve'"
refused "gcp legacy: no Currency column is refused" "$d" gl-no-currency.csv "required column Currency is missing"

# ------------------------------------------------------------ OCI
# oci_expect FILE MONEY_COL START_COL: "month|rows|billed" lines summed here
# (the month of the UTC start; corrections are added like any row)
oci_expect() {
	python3 - "$@" <<'PY'
import csv, sys
from decimal import Decimal
path, money, start = sys.argv[1:4]
tot = {}
with open(path, encoding='utf-8-sig', newline='') as f:
    for row in csv.DictReader(f):
        m = row[start][:7]
        t = tot.setdefault(m, [0, Decimal(0)])
        t[0] += 1
        t[1] += Decimal(row[money])
for m in sorted(tot):
    print('%s|%d|%d' % (m, tot[m][0], int(tot[m][1] * 10**9)))
PY
}
per_month="SELECT strftime('%Y-%m', BillingPeriodStart, 'unixepoch'), count(*), sum(BilledCostNanos) FROM charges GROUP BY 1 ORDER BY 1"
OCI="$FIX/oci/cost-report_2024-06-30_00001.csv"
d=$(fresh oci)
if "$IMCOST" --db "$d" import "$OCI" >/dev/null 2>err.txt; then
	expect_eq "oci: detected" "$(grep -cE ': oci, (7 records -> )?7 rows' err.txt)" 1
	expect_eq "oci: cost/myCost per month" "$(sqlite3 "$d" "$per_month")" \
		"$(oci_expect "$OCI" cost/myCost lineItem/intervalUsageStart)"
	expect_eq "oci: provider Oracle, billed equals effective" \
		"$(sqlite3 "$d" "SELECT count(*) FROM charges WHERE ProviderName = 'Oracle' AND BilledCostNanos = EffectiveCostNanos AND BillingAccountId = 'ocid1.tenancy.oc1..aaaaaaaaexampletenancy'")" 7
	expect_eq "oci: the corrections kept with ChargeClass Correction" \
		"$(sqlite3 "$d" "SELECT count(*), sum(BilledCostNanos) FROM charges WHERE ChargeClass = 'Correction'")" "2|-12500000"
	expect_eq "oci: tags/ columns as one JSON object" \
		"$(sqlite3 "$d" "SELECT Tags FROM charges WHERE SourceLine = 6")" \
		'{"Oracle-Tags.CreatedBy":"ops@example.com","im.team":"chat, \"edge\""}'
	expect_eq "oci: compartment, service, region, AD, resource, quantity mapped" \
		"$(sqlite3 "$d" "SELECT SubAccountId, ServiceName, RegionId, AvailabilityZone, ResourceId, ConsumedQuantity, ConsumedUnit, SkuId FROM charges WHERE SourceLine = 2")" \
		'ocid1.compartment.oc1..chatprod|COMPUTE|us-ashburn-1|AD-1|ocid1.instance.oc1.iad.chat1|2.0|OCPU HOURS|B93113'
else
	nok "oci: import" "$(head -c 300 err.txt)"
fi
# OCI's FOCUS report goes through the FOCUS importer, provider Oracle
OF="$FIX/oci/focus-report_2024-06-30_00001.csv"
d=$(fresh oci-focus)
if "$IMCOST" --db "$d" import "$OF" >/dev/null 2>err.txt; then
	expect_eq "oci focus: read as focus" "$(grep -cE ': focus, (5 records -> )?5 rows' err.txt)" 1
	expect_eq "oci focus: BilledCost per billing period" "$(sqlite3 "$d" "$per_month")" \
		"$(oci_expect "$OF" BilledCost BillingPeriodStart)"
	expect_eq "oci focus: every row's provider is Oracle" \
		"$(sqlite3 "$d" "SELECT group_concat(DISTINCT ProviderName) FROM charges")" Oracle
	expect_eq "oci focus: ListCost kept" \
		"$(sqlite3 "$d" "SELECT sum(ListCostNanos) FROM charges")" \
		"$(python3 -c "
import csv; from decimal import Decimal
print(int(sum(Decimal(r['ListCost']) for r in csv.DictReader(open('$OF'))) * 10**9))")"
else
	nok "oci focus: import" "$(head -c 300 err.txt)"
fi
# a generated 500-row OCI cost report over two months, with an empty tag
# column, reconciled the same way; then malformed variants
python3 - "$OCI" <<'PY'
import csv, sys
from decimal import Decimal
rows = list(csv.reader(open(sys.argv[1], newline='')))
h = rows[0]
ix = {n: i for i, n in enumerate(h)}
out = [h]
for i in range(500):
    r = list(rows[1 + i % 7])
    day, hour = 28 + (i // 24) % 6, i % 24
    m, d = (6, day) if day <= 30 else (7, day - 30)
    r[ix['lineItem/intervalUsageStart']] = '2024-%02d-%02dT%02d:00Z' % (m, d, hour)
    r[ix['lineItem/intervalUsageEnd']] = '2024-%02d-%02dT%02d:59Z' % (m, d, hour)
    r[ix['cost/myCost']] = str((Decimal(i * 7561 % 9973) / 10**4 - Decimal('0.01')).quantize(Decimal('0.0000001')))
    r[ix['lineItem/referenceNo']] = 'g-%d' % i
    out.append(r)
csv.writer(open('oci-gen.csv', 'w', newline=''), lineterminator='\r\n').writerows(out)
a = [list(x) for x in rows]; a[3][ix['cost/myCost']] = '1,5'
b = [list(x) for x in rows]; b[2][ix['lineItem/intervalUsageStart']] = '30/06/2024 22:00'
c = [[v for j, v in enumerate(x) if j != ix['cost/currencyCode']] for x in rows]
for name, r in (('oci-bad-cost.csv', a), ('oci-bad-date.csv', b), ('oci-no-currency.csv', c)):
    csv.writer(open(name, 'w', newline=''), lineterminator='\n').writerows(r)
PY
d=$(fresh oci-gen)
if "$IMCOST" --db "$d" --quiet import oci-gen.csv >/dev/null 2>err.txt; then
	expect_eq "oci: generated report, per month" "$(sqlite3 "$d" "$per_month")" \
		"$(oci_expect oci-gen.csv cost/myCost lineItem/intervalUsageStart)"
else
	nok "oci: generated import" "$(head -c 300 err.txt)"
fi
d=$(fresh oci-bad)
refused "oci: a malformed cost/myCost is refused" "$d" oci-bad-cost.csv "oci-bad-cost.csv:4:19: column cost/myCost: expected a decimal number, found '1,5'"
refused "oci: a malformed interval start is refused" "$d" oci-bad-date.csv "oci-bad-date.csv:3:3: column lineItem/intervalUsageStart:"
refused "oci: no cost/currencyCode column is refused" "$d" oci-no-currency.csv "required column cost/currencyCode is missing"

# ------------------------------------------------------------ imcost formats
out=$("$IMCOST" --format json formats 2>&1)
for f in gcp-legacy oci; do
	n=$(printf '%s' "$out" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows if isinstance(rows, list) else next(v for v in rows.values() if isinstance(v, list))
print(sum(1 for r in rows if r.get("name") == sys.argv[1] and r.get("needs") and r.get("description")))' "$f" 2>/dev/null)
	expect_eq "formats lists $f with its columns" "$n" 1
done
expect_eq "formats: focus says it reads 0.5 names" \
	"$(printf '%s' "$out" | grep -c 'ChargeCategory (0.5: ChargeType)')" 1

# GCP BigQuery JSON: a word in cost_at_list (list cost only) is stored as
# NULL with a warning; billed stays cost + credits (summed here)
printf '%s' "$gcp_line" | python3 -c '
import json, sys
from decimal import Decimal
d = json.loads(sys.stdin.read(), parse_float=Decimal)
d["cost_at_list"] = "see contract"
net = d["cost"] + sum(c["amount"] for c in d["credits"])
print(json.dumps(d, default=str))
open("gcp-list.want", "w").write("%d|\n" % int(net * 10**9))' >gcp-list.jsonl
d=$(fresh gcp-list)
if "$IMCOST" --db "$d" import gcp-list.jsonl >/dev/null 2>err.txt; then
	expect_eq "gcp json: a word in cost_at_list, billed kept and list NULL" \
		"$(sqlite3 "$d" "SELECT BilledCostNanos, ListCostNanos FROM charges")" "$(cat gcp-list.want)"
	expect_eq "gcp json: the cost_at_list word is warned" \
		"$(grep -c 'field cost_at_list: a value that is not a number is stored as NULL' err.txt)" 1
else
	nok "gcp json: a word in cost_at_list" "$(head -c 300 err.txt)"
fi
