# t-levers-inputs.sh - `imcost levers` states its inputs: a lever it cannot
# compute is listed with the input it needs (table and JSON not_computed[]),
# an absent profile field is "not given" (JSON null), never 0, and the
# compressible share of egress comes from the profile, the bill's usage
# types, or the documented default, each said.
#
# Deflate sizes are recomputed with python3's zlib (raw deflate, window
# 2^15, level 6, sync flush, 4-byte tail removed: RFC 7692 7.2.1); savings
# with python3 from the share and rates written here.
. "$ROOT/tests/e2e/lib.sh"

python3 - <<'PY'
import json, random
random.seed(11)
words = "hello are we still on for lunch tomorrow yes see you at the usual place".split()
with open('sample.jsonl', 'w') as f:
    for i in range(300):
        m = {"type": "text", "id": "m%05d" % i, "room": "r%d" % random.randint(1, 9),
             "text": " ".join(random.choice(words) for _ in range(random.randint(2, 12)))}
        f.write(json.dumps(m) + "\n")
PY
# zlib sizes: raw, with context takeover, each message on its own
read -r RAW CT NCT <<EOF2
$(python3 - <<'PY'
import zlib
msgs = [l.rstrip('\n').encode() for l in open('sample.jsonl') if l.strip()]
def size(takeover):
    c, n = zlib.compressobj(6, zlib.DEFLATED, -15, 8), 0
    for m in msgs:
        if not takeover:
            c = zlib.compressobj(6, zlib.DEFLATED, -15, 8)
        out = c.compress(m) + c.flush(zlib.Z_SYNC_FLUSH)
        n += len(out) - 4
    return n
print(sum(map(len, msgs)), size(True), size(False))
PY
)
EOF2

# --- 1. without a profile: what is missing is listed, not silently dropped --
"$IMCOST" --format json levers --messages sample.jsonl >np.json 2>err.txt
expect_eq "levers --messages alone runs" "$?" "0"
got=$(jq -r '[.not_computed[] | .lever] | join(",")' np.json)
expect_eq "levers without egress, profile or bill are listed as not computed" "$got" \
	"compression,protocol_compression,protocol,retention,tiering,commitment,commitment_fleet"
got=$(jq -r '.not_computed[] | select(.lever == "protocol") | .needs' np.json)
case "$got" in --profile:*connections*) ok "protocol names the input it needs ($got)" ;;
*) nok "protocol names the input it needs" "got '$got'" ;; esac
got=$(jq -r '.not_computed[] | select(.lever == "compression") | .needs' np.json)
case "$got" in *"--bill, --profile or --egress-gb"*) ok "compression without egress names the inputs" ;;
*) nok "compression without egress names the inputs" "got '$got'" ;; esac
got=$(jq -r '[.levers[] | select(.lever == "protocol_compression") | .inputs[] |
	select(.name == "connections" or .name == "egress_gb" or .name == "messages") | .value] | tostring' np.json)
expect_eq "absent inputs are null in JSON, not 0" "$got" "[null,null,null]"
"$IMCOST" levers --messages sample.jsonl >np.txt 2>/dev/null
if grep -Eq '^connections +not given' np.txt && ! grep -Eq '^connections +0( |$)' np.txt; then
	ok "table says 'connections not given', not 0"
else
	nok "table says 'connections not given'" "$(grep -E '^connections' np.txt)"
fi
grep -q "Levers not computed, and the input each needs" np.txt &&
	ok "table lists the levers not computed" || nok "table lists the levers not computed"

# --- 2. the share of egress that is compressible ---------------------------
# a) the documented default (0.6) on --egress-gb, said in the input's source
"$IMCOST" --format json levers --messages sample.jsonl --egress-gb 100 >d.json 2>/dev/null
got=$(python3 - "$RAW" "$CT" "$NCT" <<'PY'
import json, sys
from decimal import Decimal as D
raw, ct, nct = map(int, sys.argv[1:])
lv = {l['lever']: l for l in json.load(open('d.json'))['levers']}
bad = []
for key, size in (('compression', nct), ('protocol_compression', ct)):
    i = {x['name']: x for x in lv[key]['inputs']}
    if i['egress_gb']['value'] != 60: bad.append((key, 'gb', i['egress_gb']['value']))
    if 'default 0.6' not in i['egress_gb']['source']: bad.append((key, 'source'))
    want = D(100) * D('0.6') * (1 - D(size) / D(raw)) * D('0.09')
    if abs(D(repr(lv[key]['monthly_saving'])) - want) > D('0.000002'): bad.append((key, lv[key]['monthly_saving'], want))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "default share 0.6 (stated) x 100 GB, savings from python zlib sizes" "$got" "ok"

# b) the profile's compressible_share
cat >share.json <<'EOF2'
{"name": "share", "mau": 20000, "compressible_share": 0.25}
EOF2
"$IMCOST" --format json levers --messages sample.jsonl --profile share.json --egress-gb 40 >s.json 2>/dev/null
got=$(python3 - "$RAW" "$CT" <<'PY'
import json, sys
from decimal import Decimal as D
raw, ct = map(int, sys.argv[1:])
lv = {l['lever']: l for l in json.load(open('s.json'))['levers']}
i = {x['name']: x for x in lv['protocol_compression']['inputs']}
want = D(40) * D('0.25') * (1 - D(ct) / D(raw)) * D('0.09')
ok = (i['egress_gb']['value'] == 10 and 'profile compressible_share' in i['egress_gb']['source']
      and abs(D(repr(lv['protocol_compression']['monthly_saving'])) - want) <= D('0.000002'))
print('ok' if ok else 'bad %r %r %s' % (i['egress_gb'], lv['protocol_compression']['monthly_saving'], want))
PY
)
expect_eq "profile compressible_share 0.25 x 40 GB = 10 GB priced" "$got" "ok"

# c) from the profile's own payload / media split when media is given:
# 1,000,000 messages x 2 recipients x 500 B = 1 GB of payloads against
# 4 GB/month of media x 2 recipients = 8 GB: share 1 / 9
cat >media.json <<'EOF2'
{"mau": 20000, "messages": 1000000, "recipients": 2, "message_bytes": 500, "media_gb_per_month": 4}
EOF2
"$IMCOST" --format json levers --messages sample.jsonl --profile media.json --egress-gb 90 >m.json 2>/dev/null
got=$(jq -r '.levers[] | select(.lever == "compression") | .inputs[] | select(.name == "egress_gb") | .value' m.json)
dec_eq "payload/media split of the profile: 90 GB x 1/9 = 10 GB" "$got" "10"

# d) a profile value outside 0..1 is refused
echo '{"mau": 10, "compressible_share": 1.5}' >bad.json
"$IMCOST" levers --profile bad.json >/dev/null 2>err.txt
expect_eq "compressible_share above 1 exits 1" "$?" "1"
grep -q 'compressible_share' err.txt && ok "the error names compressible_share" || nok "the error names compressible_share" "$(cat err.txt)"

# e) the bill's usage types: egress billed to S3 is media, the rest message traffic
if [ -x "$GEN_CUR" ]; then
	"$GEN_CUR" --rows 4000 --month 2026-01 --out bill.csv >/dev/null 2>&1
	python3 - <<'PY'
import csv
rows = list(csv.DictReader(open('bill.csv', newline='')))
hdr = list(rows[0].keys())
src = next(r for r in rows if 'DataTransfer-Out-Bytes' in r['lineItem/UsageType'])
add = []
for k, amt in enumerate(('12.5', '7.25')):
    r = dict(src)
    r['lineItem/ProductCode'] = 'AmazonS3'
    if 'product/ProductName' in r: r['product/ProductName'] = 'Amazon Simple Storage Service'
    if 'product/servicecode' in r: r['product/servicecode'] = 'AmazonS3'
    r['lineItem/ResourceId'] = 'media-bucket-%d' % k
    rate = 0.09
    r['lineItem/UsageAmount'] = amt
    for c in ('lineItem/UnblendedCost', 'lineItem/NetUnblendedCost', 'lineItem/BlendedCost'):
        if c in r and r[c] != '': r[c] = '%.4f' % (float(amt) * rate)
    if 'identity/LineItemId' in r: r['identity/LineItemId'] = 'media%d' % k
    add.append(r)
with open('bill.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=hdr); w.writeheader(); w.writerows(rows + add)
PY
	"$IMCOST" import bill.csv >/dev/null 2>&1
	"$IMCOST" --format json levers --bill --messages sample.jsonl >b.json 2>/dev/null
	got=$(python3 - <<'PY'
import csv, json
from decimal import Decimal as D
tot, media = D(0), D(0)
for r in csv.DictReader(open('bill.csv', newline='')):
    if 'DataTransfer-Out-Bytes' in r['lineItem/UsageType']:
        q = D(r['lineItem/UsageAmount'] or '0'); tot += q
        if r['lineItem/ProductCode'] == 'AmazonS3': media += q
lv = {l['lever']: l for l in json.load(open('b.json'))['levers']}
i = {x['name']: x for x in lv['compression']['inputs']}
want = tot - media
ok = abs(D(repr(i['egress_gb']['value'])) - want) <= D('1e-6') and 'S3/CloudFront' in i['egress_gb']['source']
print('ok' if ok else 'bad %r want %s (total %s, media %s)' % (i['egress_gb'], want, tot, media))
PY
)
	expect_eq "bill: egress billed to S3 taken as media, the rest compressible" "$got" "ok"
else
	skip "bill usage-type split" "no gen-cur"
fi

# --- 3. CPU cost of permessage-deflate: measured, stated, consistent --------
echo '{"mau": 50000, "messages": 3000000, "recipients": 3}' >cpu.json
"$IMCOST" --format json levers --messages sample.jsonl --profile cpu.json >c.json 2>/dev/null
got=$(python3 - <<'PY'
import json
lv = {l['lever']: l for l in json.load(open('c.json'))['levers']}
p = lv['protocol_compression']
i = {x['name']: x for x in p['inputs']}; o = {x['name']: x['value'] for x in p['outputs']}
bad = []
if 'CLOCK_PROCESS_CPUTIME_ID' not in i['cpu_s_sample_context_takeover']['source']: bad.append('how')
n = i['sample_messages']['value']
for mode, count in (('context_takeover', 9000000), ('no_context_takeover', 3000000)):
    cs = i['cpu_s_sample_' + mode]['value']
    per_m = cs / n * 1e6
    if not (cs > 0) or abs(o['cpu_s_per_million_' + mode] - per_m) > 1e-6 * per_m: bad.append((mode, 'per_m'))
    cost = per_m * count / 1e6 / 3600 * i['vcpu_hour_price']['value']
    if abs(o['cpu_cost_' + mode] - cost) > 1e-9 + 1e-6 * cost: bad.append((mode, 'cost', o['cpu_cost_' + mode], cost))
# vCPU-hour = the catalog's m5.xlarge on demand 0.192 / 4 vCPU
if abs(i['vcpu_hour_price']['value'] - 0.048) > 1e-12: bad.append(('vcpu', i['vcpu_hour_price']))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "CPU per million messages measured; monthly CPU cost = per million x count x vCPU-hour" "$got" "ok"
