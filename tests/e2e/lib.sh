# lib.sh - helpers for the end-to-end test scripts (sourced).
#
# Each check prints one line: "ok - NAME", "not ok - NAME: why" or
# "skip - NAME (why)".  tests/run.sh counts them.  Variables: IMCOST (the
# binary), SAMPLES (../shared/samples, may be absent), GEN_CUR (the CUR
# generator), TEST_DIR (this script's scratch directory, also the cwd).

ok()   { echo "ok - $1"; }
nok()  { echo "not ok - $1${2:+: $2}"; }
skip() { echo "skip - $1 (${2:-skipped})"; }

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got '$2', want '$3'"; fi
}

# expect_status NAME WANT CMD...: run CMD, compare its exit status
expect_status() {
	local name=$1 want=$2; shift 2
	"$@" >/dev/null 2>&1
	local got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else nok "$name" "exit $got, want $want"; fi
}

# have_samples: true when ../shared/samples is there
have_samples() { [ -d "$SAMPLES" ]; }

# exact_sum FILE COLUMN_NAME: the exact decimal sum of a CSV column, computed
# with integer arithmetic on the digits (independent of imcost's parser).
# Handles quoted simple fields (no embedded commas in the summed column's
# row prefix is NOT assumed: uses a real CSV split), plain decimals and
# e-notation, to 10 decimals.
exact_sum() {
	python3 - "$1" "$2" <<'PY'
import csv, sys, gzip
from decimal import Decimal, getcontext
getcontext().prec = 60
path, col = sys.argv[1], sys.argv[2]
op = gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open
with op(path, 'rt', encoding='utf-8-sig', newline='') as f:
    r = csv.reader(f)
    hdr = [h.strip().lower() for h in next(r)]
    i = hdr.index(col.lower())
    tot = Decimal(0)
    for row in r:
        if not row:
            continue
        v = row[i].strip() if i < len(row) else ''
        if v in ('', 'NULL', 'null', 'None'):
            continue
        tot += Decimal(v)
print(f"{tot.quantize(Decimal('0.000001'))}")
PY
}

# ---- helpers added for the import/analyze end-to-end tests (issue 9) ----

# PYTHON: the real interpreter behind python3 (resolved once: a version
# manager's shim can cost a few hundred milliseconds per call)
PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PYTHON" ] || PYTHON=python3

# have_gen: true when the CUR generator ($GEN_CUR) is built
have_gen() { [ -x "$GEN_CUR" ]; }

# gen_cur OUT MONTH SEED PAYER ROWS: write a generated CUR month to OUT and
# its planted totals to OUT.tot (key=value lines, exact decimals).
gen_cur() {
	"$GEN_CUR" --rows "$5" --month "$2" --seed "$3" --payer "$4" \
		--out "$1" --totals "$1.tot" 2>/dev/null
}

# tot KEYFILE KEY: the value of KEY in a gen-cur totals file
tot() { sed -n "s/^$2=//p" "$1" | head -1; }

# db_fingerprint [DB]: a SHA-256 of the full SQL dump of the database (or
# "absent"); equal fingerprints mean every table holds the same rows.
db_fingerprint() {
	local db=${1:-$IMCOST_DB}
	if [ ! -e "$db" ]; then echo absent; return; fi
	sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1
}

# as_schema10 DB: turn a database of the current schema back into the
# layout of schema version 10: rollup_resource and rollup_instance_runs as
# the tables of their text definitions (common/rollup.h), same rows.
as_schema10() {
	sqlite3 "$1" "BEGIN;
CREATE TEMP TABLE rr AS SELECT * FROM rollup_resource; CREATE TEMP TABLE ri AS SELECT * FROM rollup_instance_runs;
DROP VIEW rollup_resource; DROP VIEW rollup_instance_runs; DROP TABLE rollup_resource_data; DROP TABLE rollup_runs_data;
CREATE TABLE rollup_resource(import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL, BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT, SubAccountId TEXT, ServiceName TEXT, ChargeCategory TEXT NOT NULL, x_UsageType TEXT, RegionId TEXT, x_InstanceType TEXT, x_Platform TEXT, x_LineItemType TEXT, positive INTEGER NOT NULL, rows INTEGER NOT NULL, BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ConsumedQuantity REAL, min_start INTEGER NOT NULL, max_end INTEGER NOT NULL);
CREATE INDEX rollup_resource_period ON rollup_resource(BillingPeriodStart); INSERT INTO rollup_resource SELECT * FROM temp.rr;
CREATE TABLE rollup_instance_runs(import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL, BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT NOT NULL, RegionId TEXT NOT NULL, x_InstanceType TEXT NOT NULL, x_Platform TEXT, span INTEGER NOT NULL, first_start INTEGER NOT NULL, step INTEGER NOT NULL, n INTEGER NOT NULL, ConsumedQuantity REAL NOT NULL, rows INTEGER NOT NULL);
CREATE INDEX rollup_instance_runs_resource ON rollup_instance_runs(ResourceId); INSERT INTO rollup_instance_runs SELECT * FROM temp.ri;
PRAGMA user_version = 10;
COMMIT;"
}

# as_schema3 DB: turn a database of the current schema back into the
# layout of schema version 3 (the charges TABLE of migration 0 -> 1, its
# index and the rollups' triggers on it), same rows and AUTOINCREMENT
# counter, user_version 3: what an older imcost left on disk.
as_schema3() {
	as_schema10 "$1"
	sqlite3 "$1" "BEGIN;
CREATE TEMP TABLE c2 AS SELECT * FROM charges;
CREATE TEMP TABLE s2 AS SELECT seq FROM sqlite_sequence WHERE name = 'charge_facts';
DROP VIEW IF EXISTS focus_daily; DROP TABLE IF EXISTS rollup_dims_day;
DROP VIEW charges; DROP TABLE charge_facts; DROP TABLE charge_dims;
DROP TABLE IF EXISTS dim_tags; DROP TABLE IF EXISTS resources; DROP TABLE IF EXISTS tag_sets;
DROP TRIGGER IF EXISTS rollup_stale_usage_ins; DROP TRIGGER IF EXISTS rollup_stale_usage_del; DROP TRIGGER IF EXISTS rollup_stale_usage_upd;
CREATE TABLE charges(id INTEGER PRIMARY KEY AUTOINCREMENT, import_id INTEGER NOT NULL, SourceLine INTEGER NOT NULL, BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ListCostNanos INTEGER, ContractedCostNanos INTEGER, ConsumedQuantity REAL, PricingQuantity REAL, ChargePeriodStart INTEGER NOT NULL, ChargePeriodEnd INTEGER NOT NULL, BillingPeriodStart INTEGER NOT NULL, BillingPeriodEnd INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL, SubAccountId TEXT, ChargeCategory TEXT NOT NULL, ChargeClass TEXT, ChargeFrequency TEXT, ChargeDescription TEXT, PricingCategory TEXT, CommitmentDiscountId TEXT, CommitmentDiscountType TEXT, CommitmentDiscountStatus TEXT, CommitmentDiscountCategory TEXT, ServiceName TEXT, ServiceCategory TEXT, RegionId TEXT, AvailabilityZone TEXT, ResourceId TEXT, ResourceType TEXT, SkuId TEXT, ConsumedUnit TEXT, PricingUnit TEXT, Tags TEXT, x_InstanceType TEXT, x_UsageType TEXT, x_Operation TEXT, x_Platform TEXT, x_LineItemType TEXT);
INSERT INTO charges SELECT id, import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType FROM temp.c2 ORDER BY id;
UPDATE sqlite_sequence SET seq = (SELECT seq FROM temp.s2) WHERE name = 'charges' AND EXISTS(SELECT 1 FROM temp.s2);
CREATE INDEX charges_period ON charges(BillingPeriodStart, ChargePeriodStart);
CREATE TRIGGER rollup_stale_charges_ins AFTER INSERT ON charges BEGIN UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;
CREATE TRIGGER rollup_stale_charges_del AFTER DELETE ON charges BEGIN UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;
CREATE TRIGGER rollup_stale_charges_upd AFTER UPDATE ON charges BEGIN UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;
CREATE TRIGGER rollup_stale_usage_ins AFTER INSERT ON usage BEGIN UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;
CREATE TRIGGER rollup_stale_usage_del AFTER DELETE ON usage BEGIN UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;
CREATE TRIGGER rollup_stale_usage_upd AFTER UPDATE ON usage BEGIN UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;
DROP TABLE IF EXISTS replaced_charges; ALTER TABLE import_periods DROP COLUMN replaced_rows; ALTER TABLE imports DROP COLUMN dataset;
PRAGMA user_version = 3;
COMMIT;"
}

# schema_version DB: its PRAGMA user_version
schema_version() { sqlite3 "$1" 'PRAGMA user_version'; }

# charges_count [DB]: rows in the charges table, read with sqlite3 itself
charges_count() { sqlite3 "${1:-$IMCOST_DB}" 'SELECT count(*) FROM charges' 2>/dev/null || echo none; }

# json_get FILE PATH: a value of a JSON document, numbers printed exactly as
# written (no float conversion); PATH like summary.billed_cost or
# summaries.1.currency.  Prints nothing when absent.
json_get() {
	"$PYTHON" - "$1" "$2" <<'PY'
import json, sys
from decimal import Decimal
try:
    v = json.load(open(sys.argv[1]), parse_float=Decimal)
    for k in sys.argv[2].split('.'):
        v = v[int(k)] if isinstance(v, list) else v[k]
except Exception:
    sys.exit(0)
print('null' if v is None else v)
PY
}

# dec_eq NAME GOT WANT [PLACES]: GOT and WANT are the same decimal amount
# when both are rounded to PLACES decimals (default 6): |GOT - WANT| is at
# most half a unit of the last place (rounding either way is accepted).
dec_eq() {
	local r
	r=$("$PYTHON" - "$2" "$3" "${4:-6}" <<'PY'
import sys
from decimal import Decimal, InvalidOperation
try:
    g, w = Decimal(sys.argv[1]), Decimal(sys.argv[2])
except InvalidOperation:
    print("not a number"); sys.exit(0)
tol = Decimal(1).scaleb(-int(sys.argv[3])) / 2 + Decimal('1e-12')
print("ok" if abs(g - w) <= tol else "differ by %s" % (g - w))
PY
)
	if [ "$r" = ok ]; then ok "$1"; else nok "$1" "got '$2', want '$3' ($r)"; fi
}

# expected_summary FILE [YYYY-MM]: what `analyze --format json` must say
# about FILE (an AWS CUR or a FOCUS CSV, plain or gzip), computed here from
# the raw text with Python's decimal module, independently of imcost.  Prints
# one JSON object: {CURRENCY: {billed, effective, rows, records,
# by_service: {NAME or "": [billed, effective]},
# by_day_service: {"YYYY-MM-DD<TAB>NAME or \"\"": [billed, effective]},
# by_resource: {ID: {billed, effective, service, region, account}}}};
# CURRENCY is "*" when the file has no currency column.  With a month, only
# rows whose billing period starts in it.  Rules: FOCUS BilledCost /
# EffectiveCost / ServiceName / RegionId / SubAccountId, else
# BillingAccountId / ResourceId / ChargePeriodStart;
# CUR BilledCost = lineItem/NetUnblendedCost when present, else UnblendedCost;
# EffectiveCost per docs/FORMATS.md 2.4 (the CID/AWS labs amortized CASE);
# ServiceName = product/ProductName, else lineItem/ProductCode; region =
# product/regionCode, else product/region, else the availability zone
# without its letter; account = lineItem/UsageAccountId, else
# bill/PayerAccountId; day = the UTC day of lineItem/UsageStartDate.  A
# resource's service, region and account are those of its largest
# effective cost ("" when absent); rows without a resource id are none.
expected_summary() {
	"$PYTHON" - "$1" "${2:-}" <<'PY'
import csv, gzip, json, sys
from decimal import Decimal
path, month = sys.argv[1], sys.argv[2]
op = gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open
f = op(path, 'rt', encoding='utf-8-sig', newline='')
r = csv.reader(f)
hdr = [h.strip().lower() for h in next(r)]
def col(*names):
    for n in names:
        if n.lower() in hdr:
            return hdr.index(n.lower())
    return None
NULLS = ('', 'null', 'none', 'n/a')
def val(row, i):
    if i is None or i >= len(row):
        return None
    v = row[i].strip()
    return None if v.lower() in NULLS else v
def num(row, i):
    v = val(row, i)
    return Decimal(v) if v is not None else None
cur = col('lineItem/UnblendedCost', 'line_item_unblended_cost') is not None
if cur:
    c = dict(
        type=col('lineItem/LineItemType', 'line_item_line_item_type'),
        unb=col('lineItem/UnblendedCost', 'line_item_unblended_cost'),
        net=col('lineItem/NetUnblendedCost', 'line_item_net_unblended_cost'),
        ccy=col('lineItem/CurrencyCode', 'line_item_currency_code'),
        pname=col('product/ProductName', 'product_product_name'),
        pcode=col('lineItem/ProductCode', 'line_item_product_code'),
        bps=col('bill/BillingPeriodStartDate', 'bill_billing_period_start_date'),
        sp_eff=col('savingsPlan/SavingsPlanEffectiveCost', 'savings_plan_savings_plan_effective_cost'),
        sp_neteff=col('savingsPlan/NetSavingsPlanEffectiveCost', 'savings_plan_net_savings_plan_effective_cost'),
        sp_total=col('savingsPlan/TotalCommitmentToDate', 'savings_plan_total_commitment_to_date'),
        sp_used=col('savingsPlan/UsedCommitment', 'savings_plan_used_commitment'),
        ri_eff=col('reservation/EffectiveCost', 'reservation_effective_cost'),
        ri_neteff=col('reservation/NetEffectiveCost', 'reservation_net_effective_cost'),
        ri_uup=col('reservation/UnusedAmortizedUpfrontFeeForBillingPeriod',
                   'reservation_unused_amortized_upfront_fee_for_billing_period'),
        ri_urec=col('reservation/UnusedRecurringFee', 'reservation_unused_recurring_fee'),
        ri_arn=col('reservation/ReservationARN', 'reservation_reservation_a_r_n'),
        start=col('lineItem/UsageStartDate', 'line_item_usage_start_date'),
        res=col('lineItem/ResourceId', 'line_item_resource_id'),
        rcode=col('product/regionCode', 'product_region_code'),
        rname=col('product/region', 'product_region'),
        az=col('lineItem/AvailabilityZone', 'line_item_availability_zone'),
        uacct=col('lineItem/UsageAccountId', 'line_item_usage_account_id'),
        payer=col('bill/PayerAccountId', 'bill_payer_account_id'))
else:
    c = dict(billed=col('BilledCost'), eff=col('EffectiveCost'), ccy=col('BillingCurrency'),
             svc=col('ServiceName'), bps=col('BillingPeriodStart'), cps=col('ChargePeriodStart'),
             res=col('ResourceId'), region=col('RegionId'), sub=col('SubAccountId'),
             bacct=col('BillingAccountId'))
import datetime, re
def utc_day(ts):
    if not ts:
        return ''
    t = datetime.datetime.fromisoformat(ts.replace('Z', '+00:00').replace(' ', 'T'))
    if t.tzinfo is not None:
        t = t.astimezone(datetime.timezone.utc)
    return t.date().isoformat()
Z = Decimal(0)
out = {}
for row in r:
    if not row or row == ['']:
        continue
    if cur:
        t = val(row, c['type']) or ''
        unb = num(row, c['unb']) or Z
        n = num(row, c['net'])
        billed = n if n is not None else unb
        def pick(net, gross):
            v = num(row, c[net]) if c[net] is not None else None
            return v if v is not None else (num(row, c[gross]) or Z)
        if t == 'SavingsPlanCoveredUsage':
            eff = pick('sp_neteff', 'sp_eff')
        elif t == 'SavingsPlanRecurringFee':
            eff = (num(row, c['sp_total']) or Z) - (num(row, c['sp_used']) or Z)
        elif t in ('SavingsPlanNegation', 'SavingsPlanUpfrontFee'):
            eff = Z
        elif t == 'DiscountedUsage':
            eff = pick('ri_neteff', 'ri_eff')
        elif t == 'RIFee':
            eff = (num(row, c['ri_uup']) or Z) + (num(row, c['ri_urec']) or Z)
        elif t == 'Fee' and val(row, c['ri_arn']) is not None:
            eff = Z
        else:
            eff = billed
        svc = val(row, c['pname']) or val(row, c['pcode']) or ''
        ccy = val(row, c['ccy']) if c['ccy'] is not None else '*'
        bps = val(row, c['bps']) or ''
        day = utc_day(val(row, c['start']) or bps)
        res = val(row, c['res'])
        az = val(row, c['az']) or ''
        region = val(row, c['rcode']) or val(row, c['rname']) or \
            (az[:-1] if re.search('[0-9][a-z]$', az) else az)
        acct = val(row, c['uacct']) or val(row, c['payer']) or ''
    else:
        billed = num(row, c['billed']) or Z
        e = num(row, c['eff'])
        eff = e if e is not None else billed
        svc = val(row, c['svc']) or ''
        ccy = (val(row, c['ccy']) or '*') if c['ccy'] is not None else '*'
        bps = val(row, c['bps']) or val(row, c['cps']) or ''
        day = utc_day(val(row, c['cps']) or bps)
        res = val(row, c['res'])
        region = val(row, c['region']) or ''
        acct = val(row, c['sub']) or val(row, c['bacct']) or ''
    if month and not bps.startswith(month):
        continue
    s = out.setdefault(ccy, dict(billed=Z, effective=Z, records=0, by_service={},
                                 by_day_service={}, by_resource={}))
    s['billed'] += billed
    s['effective'] += eff
    s['records'] += 1
    b = s['by_service'].setdefault(svc, [Z, Z])
    b[0] += billed
    b[1] += eff
    b = s['by_day_service'].setdefault(day + '\t' + svc, [Z, Z])
    b[0] += billed
    b[1] += eff
    if res is not None:
        r_ = s['by_resource'].setdefault(res, dict(billed=Z, effective=Z, parts={}))
        r_['billed'] += billed
        r_['effective'] += eff
        k = (svc, region, acct)
        r_['parts'][k] = r_['parts'].get(k, Z) + eff
for s in out.values():
    for r_ in s['by_resource'].values():
        parts = r_.pop('parts')
        (r_['service'], r_['region'], r_['account']), _ = \
            min(parts.items(), key=lambda kv: (-kv[1], kv[0]))
def enc(o):
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError
print(json.dumps(out, default=enc, sort_keys=True))
PY
}

# check_summary NAME ANALYZE_JSON EXPECTED_JSON: compare the output of
# `imcost --format json analyze` with expected_summary's: one summary per
# currency (summaries[]) with billed and effective totals, and by_service
# rows, each equal at 6 decimals; the top-level summary is one of them
# (never a sum across currencies).  Prints ok/not ok lines.
check_summary() {
	"$PYTHON" - "$1" "$2" "$3" <<'PY'
import json, sys
from decimal import Decimal
name, got_path, want_path = sys.argv[1:4]
TOL = Decimal('0.0000005') + Decimal('1e-12')
def ok(n): print("ok - %s" % n)
def nok(n, why): print("not ok - %s: %s" % (n, why))
try:
    got = json.load(open(got_path), parse_float=Decimal)
except Exception as e:
    nok(name + ": output is JSON", str(e)); sys.exit(0)
want = json.load(open(want_path), parse_float=Decimal)
want = {k: v for k, v in want.items()}
def D(x):
    return Decimal(str(x))
def close(a, b):
    try:
        return abs(D(a) - D(b)) <= TOL
    except Exception:
        return False
sums = got.get('summaries')
if not isinstance(sums, list):
    nok(name + ": summaries[] present", "missing"); sys.exit(0)
got_ccy = {s.get('currency'): s for s in sums}
if list(want) == ['*']:
    if len(sums) != 1:
        nok(name + ": one summary", "got %d" % len(sums)); sys.exit(0)
    want = {sums[0].get('currency'): want['*']}
if sorted(got_ccy) == sorted(want):
    ok(name + ": one summary per currency (%s)" % ",".join(sorted(want)))
else:
    nok(name + ": one summary per currency", "got %s, want %s" % (sorted(got_ccy), sorted(want)))
for ccy, w in sorted(want.items()):
    g = got_ccy.get(ccy)
    if g is None:
        continue
    for k in ('billed', 'effective'):
        gv = g.get(k + '_cost')
        if gv is not None and close(gv, w[k]):
            ok("%s: %s %s_cost = %s" % (name, ccy, k, w[k]))
        else:
            nok("%s: %s %s_cost" % (name, ccy, k), "got %s, want %s" % (gv, w[k]))
    gs = {}
    for row in g.get('by_service') or []:
        gs[row.get('service')] = (row.get('billed_cost'), row.get('effective_cost'))
    ws = dict(w['by_service'])
    bad = []
    unnamed = ws.pop('', None)
    for svc, (b, e) in sorted(ws.items()):
        x = gs.pop(svc, None)
        if x is None:
            bad.append("%s missing" % svc)
        elif not (close(x[0], b) and close(x[1], e)):
            bad.append("%s got %s/%s want %s/%s" % (svc, x[0], x[1], b, e))
    if unnamed is not None:
        # rows without a service name: imcost labels them its own way
        if len(gs) != 1:
            bad.append("rows without a service: want one more group, got %s" % sorted(gs))
        else:
            (lbl, x), = gs.items()
            if not (close(x[0], unnamed[0]) and close(x[1], unnamed[1])):
                bad.append("%s got %s/%s want %s/%s" % (lbl, x[0], x[1], unnamed[0], unnamed[1]))
        gs = {}
    if gs:
        bad.append("unexpected services %s" % sorted(gs))
    if bad:
        nok("%s: %s by_service" % (name, ccy), "; ".join(bad))
    else:
        ok("%s: %s by_service (%d services)" % (name, ccy, len(w['by_service'])))
top = got.get('summary') or {}
main = got.get('currency')
if main in want and close(top.get('billed_cost', 'NaN'), want[main]['billed']) \
        and close(top.get('effective_cost', 'NaN'), want[main]['effective']):
    ok("%s: summary is the %s summary" % (name, main))
else:
    nok("%s: summary is one currency's summary" % name,
        "currency %s billed %s" % (main, top.get('billed_cost')))
PY
}

# summary_of JSON: "billed effective rows currency nsummaries" of an
# `analyze --format json` document, numbers exactly as printed.
summary_of() {
	"$PYTHON" - "$1" <<'PY'
import json, sys
from decimal import Decimal
try:
    d = json.load(open(sys.argv[1]), parse_float=Decimal)
    s = d['summary']
    print(s['billed_cost'], s['effective_cost'], s.get('rows'), d.get('currency'), len(d.get('summaries', [])))
except Exception as e:
    print('invalid', 'invalid', 'invalid', 'invalid', 'invalid')
PY
}

# dec_sum A B...: the exact decimal sum of the arguments
dec_sum() {
	"$PYTHON" -c 'import sys; from decimal import Decimal; print(sum((Decimal(a) for a in sys.argv[1:]), Decimal(0)))' "$@"
}
