# t-vendors-tco.sh - end-to-end tests of the self-hosting total cost of
# ownership, the one-line verdict and the log-log sweep chart of
# `imcost vendors` (issue 20, items 1, 3 and 4).
#
# Expected numbers are computed here, independently of imcost: every TCO
# component from the profile and the catalog's prices with python3's
# decimal module, and the crossover of a small profile by pricing both
# options at every whole MAU with the formulas README-vendors.md states
# (IEEE doubles for the derived quantities, as documented, and each cost
# line rounded to the nano as the README's exact-money rule says).
. "$ROOT/tests/e2e/lib.sh"

if ! "$IMCOST" vendors --help >/dev/null 2>&1; then
	skip "vendors TCO" "command not registered in cli/main.c"
	exit 0
fi

# --- every TCO component, built-in catalog, every field given ---------------
cat >p.json <<'EOF'
{"name": "tco", "mau": 400000, "dau": 120000, "peak_connections": 20000,
 "messages": 150000000, "recipients": 2, "message_bytes": 300, "media_gb_per_month": 25,
 "history_retention_days": 90, "exchange_rates": {"CNY": 0.14},
 "redundancy_factor": 2, "database_instances": 3, "push_share": 0.4,
 "push_price_per_million": 1.2, "monitoring_per_host_month": 20,
 "log_bytes_per_message": 150, "log_price_per_gb": 0.6, "egress_price_per_gb": 0.07,
 "staff_fte": 1.5, "staff_monthly_cost": 12000}
EOF
"$IMCOST" --format json vendors --profile p.json >tco.json 2>err.txt
expect_eq "vendors prices a profile with every TCO field" "$?" "0"
got=$(python3 - "$ROOT/data/vendors.json" <<'PY'
import json, sys
from decimal import Decimal as D
cat = json.load(open(sys.argv[1]))
d = json.load(open('tco.json'))
prof = json.load(open('p.json'))
P = {k: D(str(v)) for k, v in prof.items() if isinstance(v, (int, float))}
inst = {(i['provider'], i['region'], i['instance_type']): i for i in cat['instances']}
selfs = {s['id']: s for s in cat['self_hosted']}
want_keys = {'compute', 'database', 'storage', 'media_storage', 'egress', 'load_balancer',
             'monitoring', 'logging', 'push', 'staff'}
deliveries = P['messages'] * P['recipients']
egress_gb = deliveries * P['message_bytes'] / D(10**9) + P['media_gb_per_month'] * P['recipients']
bad, seen = [], 0
tol = D('0.0000005')
for o in d['options']:
    if o['kind'] != 'self-hosted':
        if any('key' in l for l in o['breakdown']):
            bad.append(('hosted plan has TCO keys', o['id']))
        continue
    seen += 1
    base, _, commit = o['id'].partition('/')
    s = selfs[base]
    i = inst[(s['provider'], s['region'], s['instance_type'])]
    if commit:
        term, payment = commit.split('-', 1)
        rate = [D(str(c['effective_hourly'])) for c in i['commitments']
                if c['term'] == term and c['payment'] == payment][0]
    else:
        rate = D(str(i['on_demand_hourly']))
    lines = {l['key']: D(str(l['cost'])) for l in o['breakdown']}
    if {k: D(str(v)) for k, v in o.get('tco', {}).items()} != lines:
        bad.append(('tco object differs from the breakdown', o['id']))
    if set(lines) != want_keys:
        bad.append(('keys', o['id'], sorted(lines)))
        continue
    total = D(str(o['monthly_cost']))
    if abs(sum(lines.values()) - total) > tol * len(lines):
        bad.append(('sum', o['id'], sum(lines.values()), total))
    n = o['instances']
    want = {
        'compute': n * 730 * rate,
        'database': 3 * 730 * rate,
        'staff': D('1.5') * 12000,
        'monitoring': (n + 3) * D(20),
        'logging': P['messages'] * 150 / D(10**9) * D('0.6'),
        'push': deliveries * D('0.4') / D(10**6) * D('1.2'),
        'egress': egress_gb * D('0.07'),
    }
    for k, v in want.items():
        if abs(lines[k] - v) > tol:
            bad.append((k, o['id'], lines[k], v))
    # redundancy 2: the instances are twice the need, plus the spare
    if (n - s['spare_instances']) % 2:
        bad.append(('redundancy', o['id'], n))
if seen < 2:
    bad.append(('no self-hosted options', seen))
# the verdict is the ranking's first two
ranked = [o for o in d['options'] if o['rank'] is not None]
v = d['verdict']
if v['cheapest'] != ranked[0]['id'] or v['runner_up'] != ranked[1]['id']:
    bad.append(('verdict', v))
if D(str(v['difference_monthly'])) != D(str(ranked[1]['monthly_cost_converted'])) - D(str(ranked[0]['monthly_cost_converted'])):
    bad.append(('difference', v))
if v['currency'] != 'USD' or v['staff_assumed']:
    bad.append(('verdict fields', v))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "TCO components sum to the total and equal their hand calculation" "$got" "ok"

# out-of-range TCO fields are refused naming the key
for bad in '"redundancy_factor": 0.5' '"push_share": 1.5' '"staff_fte": -1'; do
	echo "{\"mau\": 1000, $bad}" >bad.json
	"$IMCOST" vendors --profile bad.json >/dev/null 2>err.txt
	rc=$?
	key=${bad%%\":*}; key=${key#\"}
	if [ $rc = 1 ] && grep -q "bad.json: key \"$key\": expected a number" err.txt; then
		ok "profile $key out of range is refused"
	else
		nok "profile $key out of range is refused" "exit $rc: $(cat err.txt)"
	fi
done

# the staff default is an assumption the output says so
echo '{"mau": 20000}' >small.json
"$IMCOST" vendors --profile small.json >small.txt 2>/dev/null
if grep -q 'Staff .*ASSUMPTION, confirm it' small.txt &&
   grep -q 'staff_fte .*assumed: 1 (ASSUMPTION' small.txt; then
	ok "the default staff cost is shown as an assumption to confirm"
else
	nok "the default staff cost is shown as an assumption to confirm" "$(head -5 small.txt)"
fi

# --- the verdict line names the JSON ranking's cheapest option --------------
for prof in small.json p.json; do
	"$IMCOST" --format json vendors --profile $prof >v.json 2>/dev/null
	"$IMCOST" vendors --profile $prof >v.txt 2>/dev/null
	"$IMCOST" --format markdown vendors --profile $prof >v.md 2>/dev/null
	first=$(jq -r '[.options[] | select(.rank != null)][0].id' v.json)
	line=$(sed -n 2p v.txt)
	mline=$(grep -m1 '^- \*\*Verdict\*\*' v.md)
	case "$line" in
	*"Verdict"*": $first, "*) vt=1 ;;
	*) vt=0 ;;
	esac
	case "$mline" in
	*": $first, "*) vm=1 ;;
	*) vm=0 ;;
	esac
	if [ -n "$first" ] && [ "$first" != null ] && [ $vt = 1 ] && [ $vm = 1 ] &&
	   [ "$(jq -r .verdict.cheapest v.json)" = "$first" ]; then
		ok "verdict on top names the cheapest ranked option ($prof: $first)"
	else
		nok "verdict on top names the cheapest ranked option ($prof)" "json $first; table: $line; md: $mline"
	fi
done

# --- crossover of a small profile against an independent calculation -------
cat >cat.json <<'EOF'
{"schema": 1,
 "vendors": [
  {"id": "hosted", "vendor": "Hosted", "currency": "USD", "source": "test", "as_of": "2026-01",
   "components": [{"name": "per MAU", "unit": "mau", "price": 0.25}]}],
 "servers": [{"id": "srv", "name": "test server", "vcpu_per_1k_connections": 0.01,
              "benchmark": "test", "source": "test", "as_of": "2026-01"}],
 "instances": [{"provider": "t", "region": "r1", "instance_type": "vm4", "vcpu": 4,
                "memory_gib": 16, "on_demand_hourly": 0.1, "source": "test", "as_of": "2026-01"}],
 "infrastructure": [{"provider": "t", "region": "r1", "block_storage_gb_month": 0.1,
   "object_storage_gb_month": 0.02, "egress_tiers": [{"price": 0.05}],
   "load_balancer_hourly": 0.02, "lcu_hourly": 0.005, "lcu_active_connections": 1000,
   "lcu_new_connections_per_second": 10, "lcu_gb_per_hour": 1, "source": "test", "as_of": "2026-01"}],
 "self_hosted": [{"id": "self", "server": "srv", "provider": "t", "region": "r1",
   "instance_type": "vm4", "headroom": 0.5, "spare_instances": 1, "storage_replication": 2}]
}
EOF
echo '{"name": "small", "mau": 1000, "region": "r1", "staff_fte": 0.5, "staff_monthly_cost": 8000}' >ps.json
"$IMCOST" --format json vendors --no-builtin --catalog cat.json --profile ps.json \
	--sweep mau=1000..100000:10 >cross.json 2>err.txt
expect_eq "small-profile sweep runs" "$?" "0"
got=$(python3 - <<'PY'
import json, math
from decimal import Decimal as D, ROUND_HALF_UP

def rnd(x):                       # C round(): half away from zero
    return math.floor(x + 0.5)

def money(q, price, per=1):       # q units at price per `per`, to the nano
    return (D(q) * D(str(price)) * 10**9 / D(per)).quantize(D(1), ROUND_HALF_UP)

def selfhost(m):
    dau = rnd(0.3 * m)
    pc = rnd(0.05 * m)
    cmin = rnd(pc * 0.5 * 43800.0)
    msgs = rnd(dau * 40.0 * (730.0 / 24.0))
    cpu = pc / 1000 * 0.01
    need = max(math.ceil(cpu / (4 * (1 - 0.5)) - 1e-9), 1)
    n = need + 1
    hist = msgs * 300.0 * 12 / 1e9 * 2
    egress = msgs * 1.0 * 200 / 1e9
    nlcu = max(cmin / 43800.0 / 1000, dau * 5.0 / 86400.0 / 10,
               (egress + msgs * 200.0 / 1e9) / 730.0 / 1)
    lines = [money(n * 730.0, '0.1'), money(2 * 730.0, '0.1'), money(hist, '0.1'),
             money(egress, '0.05'), money(730.0, '0.02') + money(730.0 * nlcu, '0.005'),
             money(n + 2, 15), money(msgs * 100.0 / 1e9, '0.5'), D(0), money(0.5, 8000)]
    return sum(lines)

def hosted(m):
    return money(m, '0.25')

want = None
for m in range(1000, 100001):
    if selfhost(m) < hosted(m):
        want = m
        break
d = json.load(open('cross.json'))
c = d['sweep']['crossovers']
bad = []
if want is None or len(c) != 1 or c[0]['at'] != want or c[0]['from'] != 'hosted' or c[0]['to'] != 'self':
    bad.append(('crossover', want, c))
else:
    six = lambda n: (n / 10**9).quantize(D('0.000001'), ROUND_HALF_UP)   # JSON money
    if D(str(c[0]['to_cost'])) != six(selfhost(want)) or D(str(c[0]['from_cost'])) != six(hosted(want)):
        bad.append(('costs', c[0], selfhost(want) / 10**9, hosted(want) / 10**9))
v = d['verdict']
if v['cheapest'] != 'hosted' or v['runner_up'] != 'self' or v['changes_at'] != {'metric': 'mau', 'value': want, 'new_cheapest': 'self'}:
    bad.append(('verdict', v))
self_q = [o for o in d['options'] if o['id'] == 'self'][0]
if D(str(self_q['monthly_cost'])) != (selfhost(1000) / 10**9).quantize(D('0.000001'), ROUND_HALF_UP):
    bad.append(('total at 1000', self_q['monthly_cost'], selfhost(1000) / 10**9))
print('ok' if not bad else 'bad %r' % bad)
PY
)
expect_eq "small-profile crossover and verdict equal the independent calculation" "$got" "ok"

# --- the sweep chart: log-log, distinct styles, marked crossovers, no warning
if command -v gnuplot >/dev/null 2>&1; then
	mkdir -p ch gpbin
	# gnuplot as imcost runs it (its environment, its arguments), with
	# whatever it prints on stderr kept for the test
	real_gp=$(command -v gnuplot)
	printf '#!/bin/sh\n"%s" "$@" 2>>"%s/gp.err"\n' "$real_gp" "$TEST_DIR" >gpbin/gnuplot
	chmod +x gpbin/gnuplot
	: >gp.err
	PATH="$TEST_DIR/gpbin:$PATH" "$IMCOST" --format json vendors --profile p.json \
		--sweep mau=10000..10000000:40 --chart ch/sweep.png >ch.json 2>ch.err
	rc=$?
	magic=$(head -c 8 ch/sweep.png 2>/dev/null | od -An -tx1 | tr -d ' \n')
	# imcost's own stderr: only its two catalog notes, nothing from gnuplot
	other=$(grep -v -e 'use low-confidence' -e 'are not ranked against' ch.err)
	if [ $rc = 0 ] && [ "$magic" = "89504e470d0a1a0a" ] && [ -z "$other" ] && [ ! -s gp.err ]; then
		ok "sweep chart: a PNG, and gnuplot prints no warning drawing it"
	else
		nok "sweep chart: a PNG, and gnuplot prints no warning drawing it" \
			"exit $rc magic $magic; imcost: $other; gnuplot: $(head -3 gp.err)"
	fi
	got=$(python3 - <<'PY'
import json, re
gp = open('ch/sweep.png.gp').read()
d = json.load(open('ch.json'))
bad = []
if not re.search(r'^set logscale x', gp, re.M) or not re.search(r'^set logscale y', gp, re.M):
    bad.append('not log-log')
if not re.search(r'^set key outside', gp, re.M):
    bad.append('legend inside')
styles = {int(m.group(1)): (m.group(2).lower(), m.group(3))
          for m in re.finditer(r"^set style line (\d+) lc rgb '([^']+)' lw \S+ dt (\S+)", gp, re.M)}
used = [int(x) for x in re.findall(r'with linespoints ls (\d+)', gp)]
if len(used) < 9:
    bad.append(('few series', used))
cols = [styles[u][0] for u in used if u in styles]
dashes = [styles[u][1] for u in used if u in styles]
if len(cols) != len(used) or len(set(cols)) != len(used) or len(set(dashes)) != len(used):
    bad.append(('styles repeat', [(u, styles.get(u)) for u in used]))
# a series only for a vendor with a positive cost somewhere: count them
# from the data file's columns
rows = [l.split('\t') for l in open('ch/sweep.png.dat') if not l.startswith('#')]
ncols = len(rows[0]) - 1
nonempty = sum(1 for k in range(1, ncols + 1) if any(r[k].strip() != 'NaN' for r in rows))
if nonempty != len(used):
    bad.append(('series vs non-empty columns', nonempty, len(used)))
cross = d['sweep']['crossovers']
marks = re.findall(r"^set label \d+ '' at ([0-9.e+]+), ([0-9.e+]+) point", gp, re.M)
texts = re.findall(r"^set label \d+ '([^']*)' at ([0-9.e+]+), graph", gp, re.M)
if not cross or len(marks) != len(cross) or len(texts) != len(cross):
    bad.append(('marks', len(cross), len(marks), len(texts)))
for c, (x, y), (t, tx) in zip(cross, marks, texts):
    if float(x) != c['at'] or abs(float(y) - c['to_cost']) > 1e-6 or not t.startswith(c['to'] + ' from '):
        bad.append(('mark', c, x, y, t))
print('ok' if not bad else 'bad %r' % bad)
PY
)
	expect_eq "sweep chart: log-log, legend outside, own colour and dash per series, crossovers marked and labelled" "$got" "ok"
else
	skip "sweep chart renders without warnings" "gnuplot not installed"
fi

# --- compute at the rates of an imported price list -------------------------
python3 - "$ROOT/data/prices-example-aws-ec2.csv" <<'PY'
import sys
src = open(sys.argv[1]).read().splitlines()
head = src[:6]
row = ('"TESTM5X","%s","TESTM5X.%s.6YS6EN2CT7","%s","%s","2026-10-01","0","Inf","Hrs","%s","USD",%s,'
       '"Compute Instance","AmazonEC2","US East (N. Virginia)","AWS Region","m5.xlarge","4","16 GiB",'
       '"Shared","Linux","No License required","BoxUsage:m5.xlarge","RunInstances","Used","OnDemand",'
       '"8","NA","us-east-1"')
rows = [row % ('JRTCKXETXF', 'JRTCKXETXF', 'OnDemand', 'On Demand Linux m5.xlarge', '0.2500000000', ',,'),
        row % ('4NA7Y494T4', '4NA7Y494T4', 'Reserved', 'Linux/UNIX (Amazon VPC), m5.xlarge reserved',
               '0.1600000000', '"1yr","No Upfront","standard"')]
open('pl.csv', 'w').write('\n'.join(head + rows) + '\n')
PY
"$IMCOST" --db pl.db import pl.csv >/dev/null 2>pl.err
expect_eq "a price list with m5.xlarge imports" "$?" "0"
"$IMCOST" --db pl.db --format json vendors --profile p.json >pl.json 2>pl.err
rc=$?
got=$(python3 - "$ROOT/data/vendors.json" <<'PY'
import json, sys
from decimal import Decimal as D
cat = json.load(open(sys.argv[1]))
d = json.load(open('pl.json'))
opt = {o['id']: o for o in d['options']}
bad = []
def line(o, key):
    return D(str([l for l in o['breakdown'] if l['key'] == key][0]['cost']))
od = opt.get('selfhost-centrifugo-m5xlarge')
ri = opt.get('selfhost-centrifugo-m5xlarge/1y-no_upfront')
if od is None or ri is None:
    bad.append(('ids', sorted(opt)))
else:
    for o, rate in ((od, D('0.25')), (ri, D('0.16'))):
        if line(o, 'compute') != o['instances'] * 730 * rate or line(o, 'database') != 3 * 730 * rate:
            bad.append(('rate', o['id'], line(o, 'compute'), o['instances']))
        if o['confidence'] != 'high':
            bad.append(('confidence', o['id'], o['confidence']))
# the other instance type keeps the vendor catalog's price
c5 = [i for i in cat['instances'] if i['instance_type'] == 'c5.xlarge'][0]
o = opt['selfhost-centrifugo-c5xlarge']
if line(o, 'compute') != o['instances'] * 730 * D(str(c5['on_demand_hourly'])):
    bad.append(('c5', line(o, 'compute')))
if any(k.startswith('selfhost-centrifugo-m5xlarge/3y') for k in opt):
    bad.append(('catalog commitments kept', sorted(opt)))
print('ok' if not bad else 'bad %r' % bad)
PY
)
if [ $rc = 0 ] && [ "$got" = ok ] && grep -q '1 self-hosting instance type(s) priced from the price lists' pl.err; then
	ok "self-hosting compute at the imported price list's on-demand and reserved rates"
else
	nok "self-hosting compute at the imported price list's on-demand and reserved rates" "exit $rc: $got: $(cat pl.err)"
fi

# --- egress at the imported bill's average rate ------------------------------
if [ -x "$GEN_CUR" ]; then
	"$GEN_CUR" --rows 20000 --month 2026-01 --out bill.csv >/dev/null 2>&1
	"$IMCOST" --db bill.db import bill.csv >/dev/null 2>&1
	python3 -c "
import json; p = json.load(open('p.json')); del p['egress_price_per_gb']
json.dump(p, open('pb.json', 'w'))"
	"$IMCOST" --db bill.db --format json vendors --profile pb.json >be.json 2>be.err
	rc=$?
	got=$(python3 - <<'PY'
import csv, json
from decimal import Decimal as D
gb, cost = D(0), D(0)
with open('bill.csv', newline='') as f:
    for row in csv.DictReader(f):
        if 'DataTransfer-Out-Bytes' in row['lineItem/UsageType']:
            gb += D(row['lineItem/UsageAmount'] or '0')
            c = row.get('lineItem/NetUnblendedCost') or row['lineItem/UnblendedCost']
            cost += D(c or '0')
d = json.load(open('be.json'))
P = {k: D(str(v)) for k, v in json.load(open('pb.json')).items() if isinstance(v, (int, float))}
egress_gb = P['messages'] * P['recipients'] * P['message_bytes'] / D(10**9) + P['media_gb_per_month'] * P['recipients']
bad = []
if gb <= 0:
    bad.append('generated bill has no egress')
rate = cost / gb
if abs(D(repr(d['profile']['egress_price_per_gb'])) - rate) > D('1e-12'):
    bad.append(('rate', d['profile']['egress_price_per_gb'], rate))
if 'imported bill' not in d['profile'].get('egress_price_source', ''):
    bad.append(('source', d['profile'].get('egress_price_source')))
for o in d['options']:
    if o['kind'] != 'self-hosted':
        continue
    e = [l for l in o['breakdown'] if l['key'] == 'egress'][0]
    if abs(D(str(e['cost'])) - egress_gb * rate) > D('0.000002') or 'bill' not in e['component']:
        bad.append(('egress', o['id'], e, egress_gb * rate))
print('ok' if not bad else 'bad %r' % bad)
PY
)
	if [ $rc = 0 ] && [ "$got" = ok ]; then
		ok "self-hosting egress at the imported bill's average DataTransfer-Out rate"
	else
		nok "self-hosting egress at the imported bill's average DataTransfer-Out rate" "exit $rc: $got: $(cat be.err)"
	fi
else
	skip "egress at the bill's rate" "gen-cur not built"
fi
