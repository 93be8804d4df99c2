# t-vendors.sh - end-to-end tests of `imcost vendors` and `imcost levers`.
#
# Expected numbers are computed here, independently of imcost: tier prices
# with python3's decimal module from the catalog the test writes, the sweep
# crossover by algebra, deflate sizes with python3's zlib (raw deflate,
# sync flush, 4-byte tail removed as RFC 7692 says), the bill's egress by
# summing the generated CUR CSV, and every lever's saving from the inputs
# imcost prints next to it.
. "$ROOT/tests/e2e/lib.sh"

if ! "$IMCOST" vendors --help >/dev/null 2>&1 || ! "$IMCOST" levers --help >/dev/null 2>&1; then
	skip "vendors and levers" "commands not registered in cli/main.c"
	exit 0
fi

# --- a catalog with two synthetic vendors and one tiered one ---------------
cat >cat.json <<'EOF'
{
 "schema": 1,
 "vendors": [
  {"id": "cheap-start", "vendor": "Cheap start", "currency": "USD", "source": "test", "as_of": "2026-01",
   "components": [{"name": "fee", "unit": "month", "price": 100},
                  {"name": "per MAU", "unit": "mau", "price": 0.05}]},
  {"id": "big-fee", "vendor": "Big fee", "currency": "USD", "source": "test", "as_of": "2026-01",
   "components": [{"name": "fee", "unit": "month", "price": 1000},
                  {"name": "per MAU", "unit": "mau", "price": 0.02}]}
 ]
}
EOF
echo '{"name": "t", "mau": 5000}' >p.json

"$IMCOST" --format json vendors --no-builtin --catalog cat.json --profile p.json \
	--sweep mau=1000..100000:12 >sweep.json 2>err.txt
expect_eq "sweep runs" "$?" "0"
# 100 + 0.05 m = 1000 + 0.02 m  =>  m = 900 / 0.03 = 30000; at the tie the
# first option stays cheapest, so the crossover is the next whole MAU.
got=$(python3 - <<'PY'
import json
from decimal import Decimal as D
d = json.load(open('sweep.json'))
m = (D(1000) - D(100)) / (D('0.05') - D('0.02'))
want_at = int(m) + 1
c = d['sweep']['crossovers']
ok = (len(c) == 1 and c[0]['at'] == want_at and c[0]['from'] == 'cheap-start'
      and c[0]['to'] == 'big-fee'
      and D(str(c[0]['from_cost'])) == D(100) + D('0.05') * want_at
      and D(str(c[0]['to_cost'])) == D(1000) + D('0.02') * want_at)
print('ok' if ok else 'bad %r' % c)
PY
)
expect_eq "sweep crossover at the algebraic point" "$got" "ok"

got=$(python3 - <<'PY'
import json
from decimal import Decimal as D
d = json.load(open('sweep.json'))
bad = []
for pt in d['sweep']['points']:
    m = D(str(pt['x']))
    a = D(100) + D('0.05') * m
    b = D(1000) + D('0.02') * m
    if D(str(pt['costs']['cheap-start'])) != a or D(str(pt['costs']['big-fee'])) != b:
        bad.append(pt['x'])
    want = 'cheap-start' if a <= b else 'big-fee'
    if pt['cheapest'] != want:
        bad.append(('cheapest', pt['x']))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "sweep points priced as the line equations" "$got" "ok"

# --- graduated vs volume vs block rounding, through the command ------------
cat >tiers.json <<'EOF'
{"vendors": [
 {"id": "grad", "vendor": "G", "currency": "USD", "source": "t", "as_of": "t",
  "components": [{"name": "mau", "unit": "mau", "tier_mode": "graduated",
   "tiers": [{"up_to": 1000, "price": 0.1}, {"up_to": 10000, "price": 0.05}, {"price": 0.01}]}]},
 {"id": "vol", "vendor": "V", "currency": "USD", "source": "t", "as_of": "t",
  "components": [{"name": "mau", "unit": "mau", "tier_mode": "volume",
   "tiers": [{"up_to": 1000, "price": 0.1}, {"up_to": 10000, "price": 0.05}, {"price": 0.01}]}]},
 {"id": "blocks-up", "vendor": "U", "currency": "USD", "source": "t", "as_of": "t", "minimum": 50,
  "components": [{"name": "fee", "unit": "month", "price": 20},
   {"name": "dau", "unit": "peak_dau", "included": 1000, "price": 30, "per": 1000, "rounding": "up"}]},
 {"id": "blocks-down", "vendor": "D", "currency": "USD", "source": "t", "as_of": "t",
  "components": [{"name": "dau", "unit": "peak_dau", "included": 1000, "price": 30, "per": 1000, "rounding": "down"}]}
]}
EOF
all_ok=ok
for mau in 1000 1001 10000 10001 25000; do
	for pd in 1000 1001 2000 2001 5500; do
		echo "{\"mau\": $mau, \"peak_dau\": $pd}" >pt.json
		"$IMCOST" --format json vendors --no-builtin --catalog tiers.json --profile pt.json >t.json 2>/dev/null || all_ok="exit $?"
		r=$(python3 - "$mau" "$pd" <<'PY'
import json, sys
from decimal import Decimal as D, ROUND_CEILING, ROUND_FLOOR
mau, pd = D(sys.argv[1]), D(sys.argv[2])
tiers = [(D(1000), D('0.1')), (D(10000), D('0.05')), (None, D('0.01'))]
grad, lo = D(0), D(0)
for up, p in tiers:
    hi = mau if up is None else min(mau, up)
    if hi > lo:
        grad += (hi - lo) * p
    if up is None or mau <= up:
        break
    lo = up
vol = next(mau * p for up, p in tiers if up is None or mau <= up)
ex = max(D(0), pd - 1000) / 1000
up = max(D(50), D(20) + ex.to_integral_value(ROUND_CEILING) * 30)
down = ex.to_integral_value(ROUND_FLOOR) * 30
got = {o['id']: D(str(o['monthly_cost'])) for o in json.load(open('t.json'))['options']}
want = {'grad': grad, 'vol': vol, 'blocks-up': up, 'blocks-down': down}
print('ok' if got == want else 'mau %s peak_dau %s: got %r want %r' % (mau, pd, got, want))
PY
)
		[ "$r" = ok ] || all_ok="$r"
	done
done
expect_eq "graduated, volume, block rounding and minimum at tier boundaries" "$all_ok" "ok"

# --- malformed catalogs and usage errors -----------------------------------
cat >bad.json <<'EOF'
{"vendors": [{"id": "no-price", "vendor": "X", "currency": "USD", "source": "t", "as_of": "t",
  "components": [{"name": "fee", "unit": "month"}]}]}
EOF
"$IMCOST" vendors --catalog bad.json --profile p.json >/dev/null 2>err.txt
rc=$?
expect_eq "malformed catalog exits 1" "$rc" "1"
if grep -q 'bad.json: vendors\[0\] (id "no-price"): components\[0\]: key "price"' err.txt; then
	ok "malformed catalog error names entry and key"
else
	nok "malformed catalog error names entry and key" "$(cat err.txt)"
fi
echo '{"mau": 10, "colour": 1}' >badp.json
"$IMCOST" vendors --profile badp.json >/dev/null 2>err.txt
expect_eq "unknown profile key exits 1" "$?" "1"
grep -q 'unknown key "colour"' err.txt && ok "unknown profile key named" || nok "unknown profile key named" "$(cat err.txt)"
expect_status "vendors without --profile is a usage error" 2 "$IMCOST" vendors
expect_status "bad --sweep is a usage error" 2 "$IMCOST" vendors --profile p.json --sweep mau=5..1
expect_status "unknown sweep field is a usage error" 2 "$IMCOST" vendors --profile p.json --sweep nope=1..5
expect_status "levers without inputs is a usage error" 2 "$IMCOST" levers

# --- the built-in catalog ----------------------------------------------------
cat >p2.json <<'EOF'
{"name": "mid", "mau": 50000, "dau": 15000, "peak_dau": 18000, "peak_connections": 2500,
 "messages": 18000000, "recipients": 1.5, "message_bytes": 220, "media_gb_per_month": 40,
 "history_retention_days": 180, "exchange_rates": {"CNY": 0.14}}
EOF
"$IMCOST" --format json vendors --profile p2.json >builtin.json 2>err.txt
expect_eq "built-in catalog prices the profile" "$?" "0"
got=$(python3 - "$ROOT/data/vendors.json" <<'PY'
import json, sys
from decimal import Decimal as D
cat = json.load(open(sys.argv[1]))
bad = [v['id'] for v in cat['vendors'] if not v.get('source') or not v.get('as_of')]
d = json.load(open('builtin.json'))
prev = None
for o in d['options']:
    if not o['eligible']:
        continue
    s = sum(D(str(l['cost'])) for l in o['breakdown'])
    if abs(s - D(str(o['monthly_cost']))) > D('0.000002') * len(o['breakdown']):
        bad.append(('sum', o['id']))
    rate = D(1) if o['currency'] == 'USD' else D('0.14')
    if abs(D(str(o['monthly_cost'])) * rate - D(str(o['monthly_cost_converted']))) > D('0.000002'):
        bad.append(('fx', o['id']))
    if o['rank'] is not None:
        c = D(str(o['monthly_cost_converted']))
        if prev is not None and c < prev:
            bad.append(('order', o['id']))
        prev = c
# spot checks against the vendors' own published arithmetic
opt = {o['id']: o for o in d['options']}
# Tencent Chat intl Standard: 399 + (50,000 - 10,000) x 0.015 = 999
if D(str(opt['tencent-chat-intl-standard']['monthly_cost'])) != D(999):
    bad.append('tencent-intl')
# Tencent IM China Pro: 1,499 + ceil(8,000 / 10,000) x 1,000 CNY = 2,499
if D(str(opt['tencent-im-cn-pro']['monthly_cost'])) != D(2499):
    bad.append('tencent-cn')
# ZEGO Pro: 449 + ceil(40,000 / 10,000) x 449 = 2,245
if D(str(opt['zegocloud-inapp-chat-pro']['monthly_cost'])) != D(2245):
    bad.append('zego')
# Twilio: 50,000 MAU is above the published 20,000 band: not eligible
if opt['twilio-conversations']['eligible']:
    bad.append('twilio')
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "built-in options: sources, breakdown sums, exchange, ranking, spot prices" "$got" "ok"

# --- chart -------------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	"$IMCOST" vendors --no-builtin --catalog cat.json --profile p.json --sweep mau=1000..100000:8 \
		--chart chart.png >/dev/null 2>err.txt
	if [ "$(head -c 8 chart.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ -s chart.png.gp ] && [ -s chart.png.dat ]; then
		ok "sweep chart is a PNG with its script and data"
	else
		nok "sweep chart is a PNG with its script and data" "$(cat err.txt)"
	fi
else
	skip "sweep chart is a PNG" "gnuplot not installed"
fi
mkdir -p nobin
ln -sf "$(command -v python3)" nobin/python3
PATH="$TEST_DIR/nobin" "$IMCOST" vendors --no-builtin --catalog cat.json --profile p.json \
	--sweep mau=1000..100000:8 --chart nochart.svg >/dev/null 2>err.txt
rc=$?
if [ $rc = 0 ] && grep -q "gnuplot not found" err.txt && [ -s nochart.svg.dat ]; then
	ok "without gnuplot: warning, data kept, exit 0"
else
	nok "without gnuplot: warning, data kept, exit 0" "exit $rc: $(cat err.txt)"
fi

# --- levers ------------------------------------------------------------------
python3 - <<'PY'
import json, random
random.seed(7)
words = "hi ok see you at noon lunch thanks where are you on my way meeting later".split()
with open('sample.jsonl', 'w') as f:
    for i in range(400):
        m = {"type": "message", "id": "m%06d" % i, "from": "u%d" % random.randint(1, 40),
             "to": "u%d" % random.randint(1, 40), "ts": 1767225600 + 11 * i,
             "text": " ".join(random.choice(words) for _ in range(random.randint(1, 14)))}
        f.write(json.dumps(m) + "\n")
PY
"$IMCOST" --format json levers --messages sample.jsonl --profile p2.json >levers.json 2>err.txt
expect_eq "levers runs" "$?" "0"
got=$(python3 - <<'PY'
import json, zlib
from decimal import Decimal as D
msgs = [l.rstrip('\n').encode() for l in open('sample.jsonl') if l.strip()]
def size(takeover):
    c, n = zlib.compressobj(6, zlib.DEFLATED, -15, 8), 0
    for m in msgs:
        if not takeover:
            c = zlib.compressobj(6, zlib.DEFLATED, -15, 8)
        out = c.compress(m) + c.flush(zlib.Z_SYNC_FLUSH)
        assert out.endswith(b'\x00\x00\xff\xff')
        n += len(out) - 4
    return n
raw, ct, nct = sum(map(len, msgs)), size(True), size(False)
lv = {l['lever']: l for l in json.load(open('levers.json'))['levers']}
c = lv['protocol_compression']
i = {x['name']: x['value'] for x in c['inputs']}
o = {x['name']: x['value'] for x in c['outputs']}
bad = []
if (i['raw_bytes'], i['deflated_bytes_context_takeover'], i['deflated_bytes_no_context_takeover']) != (raw, ct, nct):
    bad.append(('zlib', raw, ct, nct, i))
if abs(o['ratio_context_takeover'] - ct / raw) > 1e-9 or abs(o['ratio_no_context_takeover'] - nct / raw) > 1e-9:
    bad.append('ratio')
saving = i['egress_gb'] * (1 - ct / raw) * i['egress_rate']
if abs(saving - c['monthly_saving']) > 2e-6:
    bad.append(('saving', saving, c['monthly_saving']))
# message-level compression: each message on its own
m = lv['compression']; mi = {x['name']: x['value'] for x in m['inputs']}
if abs(mi['egress_gb'] * (1 - nct / raw) * mi['egress_rate'] - m['monthly_saving']) > 2e-6:
    bad.append(('message-level saving', m['monthly_saving']))
# profile egress: 18,000,000 x 1.5 x 220 B = 5.94 GB of payloads
if abs(i['egress_gb'] - 5.94) > 1e-9:
    bad.append(('egress', i['egress_gb']))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "compression ratio equals python zlib, saving from printed inputs" "$got" "ok"

got=$(python3 - <<'PY'
import json
lv = {l['lever']: l for l in json.load(open('levers.json'))['levers']}
bad = []
# protocol
p = lv['protocol']; i = {x['name']: x['value'] for x in p['inputs']}
S = i['seconds_per_month']
req = i['deliveries'] + i['connections'] * S / i['poll_timeout_s'] + i['messages_sent']
lp = req * i['http_header_bytes']; lpe = lp * i['response_share']
ws = (i['deliveries'] * i['ws_header_server_to_client'] + i['messages_sent'] * i['ws_header_client_to_server']
      + i['connections'] * S / i['ping_interval_s'] * 8)
wse = i['deliveries'] * i['ws_header_server_to_client'] + i['connections'] * S / i['ping_interval_s'] * 2
s = (lpe - wse) / 1e9 * i['egress_rate'] + (lp - ws) / 1e9 / i['lcu_gb_per_hour'] * i['lcu_hourly']
if abs(s - p['monthly_saving']) > 2e-6: bad.append(('protocol', s, p['monthly_saving']))
# the documented constants
if (i['http_header_bytes'], i['ws_header_server_to_client'], i['ws_header_client_to_server']) != (871, 4, 8):
    bad.append('protocol constants')
# retention and tiering
for k in ('retention', 'tiering'):
    l = lv[k]; i = {x['name']: x['value'] for x in l['inputs']}
    g = i['messages'] * i['stored_bytes_per_message'] * i['replication'] / 1e9
    cur = i['current_days'] / i['days_per_month'] if i['current_days'] > 0 else i['horizon_months']
    tgt = min(i['retention_days'] / i['days_per_month'], cur)
    if k == 'retention':
        s = (g * cur - g * tgt) * i['hot_price']
    else:
        old = g * cur - g * tgt
        s = old * i['hot_price'] - old / i['replication'] * i['cold_price']
    if abs(s - l['monthly_saving']) > 2e-6: bad.append((k, s, l['monthly_saving']))
# the profile keeps 180 days; the default proposal is 90
if {x['name']: x['value'] for x in lv['retention']['inputs']}['current_days'] != 180: bad.append('current')
# commitment of the self-hosted fleet
l = lv['commitment_fleet']; i = {x['name']: x['value'] for x in l['inputs']}
s = i['instances'] * i['hours'] * (i['on_demand_hourly'] - i['committed_hourly'])
if abs(s - l['monthly_saving']) > 2e-6: bad.append(('fleet', s, l['monthly_saving']))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "protocol, retention, tiering, fleet commitment recomputed from printed inputs" "$got" "ok"

printf '{"ok": 1}\nnot json\n' >broken.jsonl
"$IMCOST" levers --messages broken.jsonl --egress-gb 10 >/dev/null 2>err.txt
expect_eq "invalid JSONL exits 1" "$?" "1"
grep -q 'broken.jsonl:2' err.txt && ok "invalid JSONL names file and line" || nok "invalid JSONL names file and line" "$(cat err.txt)"

# --- levers on an imported bill ---------------------------------------------
if [ -x "$GEN_CUR" ]; then
	"$GEN_CUR" --rows 20000 --month 2026-01 --out bill.csv >/dev/null 2>&1
	"$IMCOST" import bill.csv >/dev/null 2>&1
	"$IMCOST" --format json levers --bill --messages sample.jsonl >bill-levers.json 2>err.txt
	expect_eq "levers --bill runs" "$?" "0"
	"$IMCOST" --format json analyze --only commitments >commit.json 2>/dev/null
	got=$(python3 - <<'PY'
import csv, json
from decimal import Decimal as D
gb, cost = D(0), D(0)
with open('bill.csv', newline='') as f:
    r = csv.DictReader(f)
    for row in r:
        if 'DataTransfer-Out-Bytes' in row['lineItem/UsageType']:
            gb += D(row['lineItem/UsageAmount'] or '0')
            c = row.get('lineItem/NetUnblendedCost') or row['lineItem/UnblendedCost']
            cost += D(c or '0')
lv = {l['lever']: l for l in json.load(open('bill-levers.json'))['levers']}
c = lv['protocol_compression']; i = {x['name']: x['value'] for x in c['inputs']}
bad = []
# the generated bill's egress is all EC2 (no S3/CloudFront lines to tell
# media apart): the documented default share 0.6 applies
if abs(D(repr(i['egress_gb'])) - gb * D('0.6')) > D('1e-6'): bad.append(('gb', i['egress_gb'], gb))
if abs(D(repr(i['egress_rate'])) - cost / gb) > D('1e-9'): bad.append(('rate', i['egress_rate'], cost / gb))
raw, ct = i['raw_bytes'], i['deflated_bytes_context_takeover']
s = i['egress_gb'] * (1 - ct / raw) * i['egress_rate']
if abs(s - c['monthly_saving']) > 2e-6: bad.append(('saving', s, c['monthly_saving']))
# the commitment lever sums the commitments analyzer's recommendations
recs = json.load(open('commit.json')).get('commitments', {}).get('recommendations', [])
want = sum(D(repr(r['monthly_savings'])) for r in recs)
got = D(repr(lv['commitment']['monthly_saving'] or 0))
if abs(got - want) > D('0.000002') * (1 + len(recs)): bad.append(('commitment', got, want))
print('ok' if not bad else 'bad %r' % bad)
PY
)
	expect_eq "bill egress summed from the CSV; commitment lever = analyzer's savings" "$got" "ok"
else
	skip "levers --bill" "no gen-cur"
fi
