# t-metrics.sh - usage metrics under the names providers export them, the
# resource forms of the bills, and what every analysis could not assess.
#
# One generated CUR month (bench/gen-cur.c) whose instance and volume ids
# are rewritten to ARNs, and the same utilization written four ways by
# python3 here: imcost's names (hourly), CloudWatch's (15-minute samples,
# a statistic column, unknown names), Azure Monitor's (per-second disk
# rates, upper-case ids) and GCP Cloud Monitoring's (0-1 CPU fractions,
# 30-minute deltas, full resource names).  Volumes: even ones unattached
# (no operations), odd ones busy.  Expected idle findings: gen-cur's
# planted idle instances and the even volumes, in ARN form and priced;
# every variant must give the same findings.

. "$ROOT/tests/e2e/lib.sh"

if [ ! -x "$GEN_CUR" ]; then
	skip "metrics" "no gen-cur at $GEN_CUR"
	exit 0
fi

"$GEN_CUR" --rows 20000 --seed 3 --out cur.csv --totals totals.txt --metrics metrics.csv

python3 - <<'PY'
import csv, random
rows = list(csv.reader(open('cur.csv', newline='')))
h = rows[0]
rid, reg, acct = h.index('lineItem/ResourceId'), h.index('product/regionCode'), h.index('lineItem/UsageAccountId')
vols = set()
for r in rows[1:]:
    v = r[rid]
    if v.startswith('i-'):
        r[rid] = 'arn:aws:ec2:%s:%s:instance/%s' % (r[reg], r[acct], v)
    elif v.startswith('vol-'):
        vols.add(v)
        r[rid] = 'arn:aws:ec2:%s:%s:volume/%s' % (r[reg], r[acct], v)
csv.writer(open('cur-arn.csv', 'w', newline=''), lineterminator='\n').writerows(rows)
vols = sorted(vols)
open('idle-volumes.txt', 'w').write('\n'.join(vols[0::2]) + '\n')
arn = {}
for r in rows[1:]:
    if ':instance/' in r[rid] or ':volume/' in r[rid]:
        arn[r[rid].rsplit('/', 1)[1]] = r[rid]
open('arn.txt', 'w').write(''.join('%s %s\n' % kv for kv in sorted(arn.items())))

# imcost's names, hourly: gen-cur's instances and service, and the volumes
m = list(csv.reader(open('metrics.csv', newline='')))[1:]
hours = sorted({r[0] for r in m if r[1] != 'service'})
vol = []
for i, v in enumerate(vols):
    for t in hours:
        rd, wr = (0, 0) if i % 2 == 0 else (360 * (1 + i % 5), 180)
        vol += [[t, v, 'disk_read_ops', rd], [t, v, 'disk_write_ops', wr]]
w = csv.writer(open('m-imcost.csv', 'w', newline=''), lineterminator='\n')
w.writerow(['timestamp', 'resource_id', 'metric', 'value', 'unit'])
w.writerows(m + [r + [''] for r in vol])
w.writerow([hours[0], 'i-0notinbill', 'cpu_utilization', 1, 'Percent'])

def ts_plus(t, minutes):
    import datetime
    d = datetime.datetime.strptime(t, '%Y-%m-%dT%H:%M:%SZ') + datetime.timedelta(minutes=minutes)
    return d.strftime('%Y-%m-%dT%H:%M:%SZ')

# CloudWatch: 4 samples an hour (CPU the same each quarter, bytes and
# operations a quarter each), a statistic column, two names imcost does
# not read (a statistic it does not use counts as one)
cw = {'cpu_utilization': ('CPUUtilization', 'Average'), 'network_out_bytes': ('NetworkOut', 'Sum'),
      'disk_read_ops': ('VolumeReadOps', 'Sum'), 'disk_write_ops': ('VolumeWriteOps', 'Sum')}
w = csv.writer(open('m-cloudwatch.csv', 'w', newline=''), lineterminator='\n')
w.writerow(['timestamp', 'resource_id', 'metric', 'statistic', 'value', 'unit'])
unknown = {'StatusCheckFailed': 0, 'CPUUtilization': 0}
for t, r, name, v, *_ in m + vol:
    if r == 'service':
        w.writerow([t, r, name, '', v, ''])
        continue
    n, st = cw[name]
    for q in range(4):
        w.writerow([ts_plus(t, 15 * q), r, n, st, float(v) if st == 'Average' else float(v) / 4, ''])
    if name == 'cpu_utilization' and t.endswith('T00:00:00Z'):
        w.writerow([t, r, 'StatusCheckFailed', 'Maximum', 0, 'Count'])
        w.writerow([t, r, 'CPUUtilization', 'Maximum', 99, 'Percent'])
        unknown['StatusCheckFailed'] += 1
        unknown['CPUUtilization'] += 1
open('unknown.txt', 'w').write(''.join('%s %d\n' % kv for kv in unknown.items()))

# Azure Monitor: hourly, disk operations as per-second rates, ids in
# upper case
az = {'cpu_utilization': 'Percentage CPU', 'network_out_bytes': 'Network Out Total',
      'disk_read_ops': 'Disk Read Operations/Sec', 'disk_write_ops': 'Disk Write Operations/Sec'}
w = csv.writer(open('m-azure.csv', 'w', newline=''), lineterminator='\n')
w.writerow(['timestamp', 'resource_id', 'metric', 'value'])
for t, r, name, v, *_ in m + vol:
    if r == 'service':
        w.writerow([t, r, name, v])
    else:
        w.writerow([t, r.upper(), az[name], float(v) / 3600 if name.startswith('disk') else v])

# GCP: CPU as a 0-1 fraction, two deltas an hour, full resource names
gcp = {'cpu_utilization': 'compute.googleapis.com/instance/cpu/utilization',
       'network_out_bytes': 'compute.googleapis.com/instance/network/sent_bytes_count',
       'disk_read_ops': 'compute.googleapis.com/instance/disk/read_ops_count',
       'disk_write_ops': 'compute.googleapis.com/instance/disk/write_ops_count'}
w = csv.writer(open('m-gcp.csv', 'w', newline=''), lineterminator='\n')
w.writerow(['timestamp', 'resource_id', 'metric', 'value'])
for t, r, name, v, *_ in m + vol:
    if r == 'service':
        w.writerow([t, r, name, v])
        continue
    full = '//compute.googleapis.com/projects/p-1/zones/us-east1-b/%s/%s' % (
        'disks' if r.startswith('vol-') else 'instances', r)
    for q in range(2):
        w.writerow([ts_plus(t, 30 * q), full, gcp[name],
                    float(v) / 100 if name == 'cpu_utilization' else float(v) / 2])
PY

# the expected idle instances and volumes, in the bill's ARN form
want=$( { sed -n 's/^idle_instance=//p' totals.txt; cat idle-volumes.txt; } | while read -r id; do
	awk -v id="$id" '$1 == id { print $2 }' arn.txt; done | sort | tr '\n' ' ')

findings() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted("%s|%s|%s" % (f["resource_id"], f["kind"], f["monthly_cost"])
                      for f in d["idle"] if f["kind"] in ("instance", "volume"))))' "$1"
}

# --- the bill alone: nothing assessed, and said so ---
export IMCOST_DB="$PWD/bill.db"
"$IMCOST" import cur-arn.csv >/dev/null 2>&1
"$IMCOST" --format json analyze >bill.json 2>/dev/null
elig=$(python3 - <<'PY'
import csv
inst, vol = set(), set()
for r in csv.DictReader(open('cur-arn.csv', newline='')):
    rid = r['lineItem/ResourceId']
    if not rid or r['lineItem/LineItemType'] not in ('Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'):
        continue
    if r['product/instanceType'] and float(r['lineItem/UsageAmount'] or 0) > 0:
        inst.add(rid)
    elif ':volume/' in rid:
        vol.add(rid)
print(len(inst), len(vol))
PY
)
set -- $elig
got=$(jq -r '[.assessment[] | select(.analysis == "idle" or .analysis == "rightsizing")
	| "\(.analysis)/\(.kind)=\(.eligible)/\(.assessed)/\(.not_assessed)"] | join(" ")' bill.json)
expect_eq "bill without metrics: assessment eligible counts, nothing assessed" "$got" \
	"idle/instance=$1/0/$1 idle/volume=$2/0/$2 rightsizing/instance=$1/0/$1"
expect_eq "bill without metrics: unit economics assesses no month" \
	"$(jq -r '.assessment[] | select(.analysis == "unit_economics") | "\(.eligible)/\(.assessed)"' bill.json)" "1/0"
expect_eq "every assessment entry has the keys jq users rely on" \
	"$(jq -r '[.assessment[] | keys | join(",")] | unique | join(" ")' bill.json)" \
	"analysis,assessed,eligible,fix,kind,not_assessed,reason"
"$IMCOST" analyze --only idle,rightsizing >bill.txt 2>/dev/null
if grep -q '^Not assessed' bill.txt && grep -Eq "^idle +instance +$1 +$1 " bill.txt &&
   grep -Eq "^idle +volume +$2 +$2 " bill.txt; then
	ok "table output: a Not assessed block with the idle instances and volumes"
else
	nok "table output: a Not assessed block with the idle instances and volumes" "$(tail -5 bill.txt)"
fi
"$IMCOST" analyze --only unit_economics >ue.txt 2>/dev/null
if grep -q 'Not assessed' ue.txt && grep -q 'mau' ue.txt; then
	ok "analyze --only unit_economics without IM metrics says which are missing"
else
	nok "analyze --only unit_economics without IM metrics says which are missing" "$(cat ue.txt)"
fi
"$IMCOST" report --month 2026-10 --out rep --no-charts >/dev/null 2>&1
if grep -q '^## Not assessed' rep/report.md && ! grep -q 'idle resource or oversized instance was found' rep/report.md &&
   grep -q "idle instance: $1 of $1" rep/report.md; then
	ok "report: the headline and a Not assessed section name what was not assessed"
else
	nok "report: the headline and a Not assessed section name what was not assessed"
fi

# --- the same month with metrics under four vocabularies ---
ref=""
for v in imcost cloudwatch azure gcp; do
	export IMCOST_DB="$PWD/$v.db"
	"$IMCOST" import cur-arn.csv >/dev/null 2>&1
	if ! "$IMCOST" import "m-$v.csv" >/dev/null 2>"import-$v.err"; then
		nok "$v: metrics import" "$(head -3 "import-$v.err")"
		continue
	fi
	"$IMCOST" --format json analyze --only idle,rightsizing >"$v.json" 2>/dev/null
	got=$(findings "$v.json")
	ids=$(jq -r '[.idle[] | select(.kind == "instance" or .kind == "volume") | .resource_id] | sort | join(" ")' "$v.json")
	expect_eq "$v names: the planted idle instances and unattached volumes, in the bill's ARN form" "$ids " "$want"
	expect_eq "$v names: every such finding priced from the bill" \
		"$(jq '[.idle[] | select((.kind == "instance" or .kind == "volume") and .monthly_cost == null)] | length' "$v.json")" 0
	expect_eq "$v names: with metrics, assessed equals eligible" \
		"$(jq -r '[.assessment[] | select(.analysis == "idle") | .eligible == .assessed] | all' "$v.json")" true
	if [ -z "$ref" ]; then
		ref=$got
	else
		expect_eq "$v names: the same idle findings and costs as imcost's names" "$got" "$ref"
	fi
done

# unknown names: one warning, each name with its sample count (both
# written with the statistic Maximum, which imcost does not use for them)
ok_all=1
while read -r name n; do
	grep -qF "$name (statistic Maximum: $n samples)" import-cloudwatch.err || ok_all=0
done <unknown.txt
if [ "$ok_all" = 1 ] && [ "$(grep -c 'imcost does not read' import-cloudwatch.err)" = 1 ] &&
   grep -q 'imcost reads: cpu_utilization' import-cloudwatch.err; then
	ok "unknown metric names: one warning naming each with its sample count"
else
	nok "unknown metric names: one warning naming each with its sample count" "$(cat import-cloudwatch.err)"
fi
if grep -q 'match no resource of the bills' import-imcost.err && grep -q 'i-0notinbill' import-imcost.err; then
	ok "metrics of a resource not in the bill: counted in a warning"
else
	nok "metrics of a resource not in the bill: counted in a warning" "$(cat import-imcost.err)"
fi
if grep -q 'does not read\|match no resource' import-azure.err import-gcp.err; then
	nok "Azure and GCP names and resource forms: all read and matched" "$(cat import-azure.err import-gcp.err)"
else
	ok "Azure and GCP names and resource forms: all read and matched"
fi

# --- Prometheus node_exporter raw counters: increases, summed per instant ---
python3 - <<'PY'
import json, random
random.seed(7)
t0 = 1790812800  # 2026-10-01T00:00:00Z
res = []
want = {}
# two cpus x modes idle/user/system; 15 s steps over two hours
steps = [t0 + 15 * i for i in range(480)]
acc = {}
for cpu in ('0', '1'):
    for mode in ('idle', 'user', 'system'):
        v, vals = 1000.0, []
        for t in steps:
            vals.append([t, repr(v)])
            inc = {'idle': random.uniform(5, 15), 'user': random.uniform(0, 8), 'system': random.uniform(0, 2)}[mode]
            v += inc
        res.append({'metric': {'__name__': 'node_cpu_seconds_total', 'instance': 'i-0prom', 'cpu': cpu, 'mode': mode},
                    'values': vals})
# network: eth0 with a counter reset at step 100, lo ignored
for name, key in (('node_network_receive_bytes_total', 'network_in_bytes'),
                  ('node_network_transmit_bytes_total', 'network_out_bytes')):
    for dev in ('eth0', 'lo'):
        v, vals = 5e6, []
        for i, t in enumerate(steps):
            if i == 100:
                v = 1000.0
            vals.append([t, repr(v)])
            v += random.randint(1000, 50000)
        res.append({'metric': {'__name__': name, 'instance': 'i-0prom', 'device': dev}, 'values': vals})
json.dump({'status': 'success', 'data': {'resultType': 'matrix', 'result': res}}, open('node.json', 'w'))
# expected hourly values, from the series (increase since the previous sample)
def incs(vals):
    out, prev = [], None
    for t, v in vals:
        v = float(v)
        if prev is not None:
            out.append((t, v - prev if v >= prev else v))
        prev = v
    return out
cpu = {}
for s in res:
    m = s['metric']
    if m['__name__'] == 'node_cpu_seconds_total':
        for t, d in incs(s['values']):
            c = cpu.setdefault(t, [0.0, 0.0])
            c[1] += d
            if m['mode'] == 'idle':
                c[0] += d
hours = {}
for t, (idle, tot) in cpu.items():
    hours.setdefault(('cpu_utilization', t // 3600 * 3600), []).append(100 * (1 - idle / tot))
out = {k: sum(v) / len(v) for k, v in hours.items()}
for s in res:
    m = s['metric']
    if m['__name__'] != 'node_cpu_seconds_total' and m['device'] == 'eth0':
        key = 'network_in_bytes' if 'receive' in m['__name__'] else 'network_out_bytes'
        for t, d in incs(s['values']):
            out[(key, t // 3600 * 3600)] = out.get((key, t // 3600 * 3600), 0) + d
open('node.want', 'w').write(''.join('%s|%d|%.6f\n' % (k[0], k[1], v) for k, v in sorted(out.items())))
PY
export IMCOST_DB="$PWD/node.db"
if "$IMCOST" import node.json >/dev/null 2>node.err; then
	got=$(sqlite3 node.db "SELECT metric || '|' || ts || '|' || printf('%.6f', value) FROM usage
		WHERE resource_id = 'i-0prom' ORDER BY metric, ts")
	expect_eq "node_exporter counters: CPU utilization and network bytes from their increases" \
		"$got" "$(cat node.want)"
else
	nok "node_exporter counters: import" "$(cat node.err)"
fi

# --- Azure Monitor and GCP Cloud Monitoring exports (tests/fixtures) ---
FIX="$ROOT/tests/fixtures"
hourly_want() {	# python3 computes the hours from the fixture itself
	python3 - "$@" <<'PY'
import json, sys, csv, datetime
kind = {'Percentage CPU': ('cpu_utilization', 'average', 1, 'mean'),
        'Network Out Total': ('network_out_bytes', 'total', 1, 'sum'),
        'Network In Total': ('network_in_bytes', 'total', 1, 'sum'),
        'Disk Read Operations/Sec': ('disk_read_ops', 'average', 3600, 'mean'),
        'Disk Write Operations/Sec': ('disk_write_ops', 'average', 3600, 'mean'),
        'compute.googleapis.com/instance/cpu/utilization': ('cpu_utilization', None, 100, 'mean'),
        'compute.googleapis.com/instance/network/sent_bytes_count': ('network_out_bytes', None, 1, 'sum'),
        'agent.googleapis.com/memory/percent_used': ('memory_utilization', None, 1, 'mean')}
def iso(t):
    return int(datetime.datetime.fromisoformat(t.replace('Z', '+00:00')).timestamp())
samples = []
f = sys.argv[1]
if f.endswith('metrics-list.json'):
    for mv in json.load(open(f))['value']:
        res = mv['id'].split('/providers/Microsoft.Insights/metrics/')[0]
        name = mv['name']['value']
        k = kind.get(name, (name, 'average', 1, 'mean'))
        for ts in mv['timeseries']:
            for p in ts['data']:
                if k[1] in p:
                    samples.append((res, k, iso(p['timeStamp']), p[k[1]]))
elif f.endswith('.csv'):
    for r in csv.DictReader(open(f, newline='')):
        d = datetime.datetime.strptime(r['TimeGenerated [UTC]'], '%m/%d/%Y, %I:%M:%S.%f %p').replace(tzinfo=datetime.timezone.utc)
        k = kind[r['MetricName']]
        samples.append((r['ResourceId'], k, int(d.timestamp()), float(r['Average' if k[1] == 'average' else 'Total'])))
else:
    for s in json.load(open(f))['timeSeries']:
        if s['metric']['labels'].get('state', 'used') != 'used':
            continue
        k = kind[s['metric']['type']]
        for p in s['points']:
            v = p['value']
            samples.append((s['resource']['labels']['instance_id'], k, iso(p['interval']['endTime']),
                            float(v.get('doubleValue', v.get('int64Value', 0)))))
g = {}
for res, k, t, v in samples:
    g.setdefault((res, k[0], t // 3600 * 3600, k[3]), []).append(float(v) * k[2])
for (res, name, h, how), v in sorted(g.items()):
    print('%s|%s|%d|%.6f' % (res, name, h, sum(v) / len(v) if how == 'mean' else sum(v)))
PY
}
for f in azure-monitor/metrics-list.json azure-monitor/azuremetrics.csv gcp-monitoring/timeseries.json; do
	export IMCOST_DB="$PWD/fx-${f//\//-}.db"
	if "$IMCOST" import "$FIX/$f" >/dev/null 2>fx.err; then
		expect_eq "$f: format detected" "$(sqlite3 "$IMCOST_DB" 'SELECT format FROM imports')" "${f%%/*}"
		expect_eq "$f: hourly values under imcost's names" \
			"$(sqlite3 "$IMCOST_DB" "SELECT resource_id || '|' || metric || '|' || ts || '|' || printf('%.6f', value)
				FROM usage ORDER BY resource_id, metric, ts")" "$(hourly_want "$FIX/$f")"
	else
		nok "$f: import" "$(cat fx.err)"
	fi
done

# --- bounded memory: the same file through the spill table ---
export IMCOST_DB="$PWD/spill.db"
"$IMCOST" import cur-arn.csv >/dev/null 2>&1
if IMCOST_METRICS_MAX_BUCKETS=4096 "$IMCOST" import m-cloudwatch.csv >/dev/null 2>spill.err; then
	dump="SELECT resource_id || '|' || metric || '|' || ts || '|' || printf('%.6f', value) FROM usage ORDER BY 1"
	a=$(sqlite3 spill.db "$dump" | md5sum)
	b=$(sqlite3 cloudwatch.db "$dump" | md5sum)
	n=$(sqlite3 spill.db 'SELECT count(*) FROM usage')
	expect_eq "hours kept through the spill table ($n rows, 4096 in memory) equal the in-memory ones" "$a" "$b"
else
	nok "import through the spill table" "$(cat spill.err)"
fi

# --- CloudWatch ids from the queries are kept whole, never cut ---
# A 302-byte InstanceId whose 255th byte is inside a character was cut at
# 255 bytes (half a character in usage.resource_id, fuzz-cloudwatch); one
# longer than CloudWatch's 1024 characters is refused, the database as it was.
cw_query() {	# cw_query INSTANCE_ID: a GetMetricData file with its queries
	python3 - "$1" <<'PY'
import json, sys
q = [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
      "Dimensions": [{"Name": "InstanceId", "Value": sys.argv[1]}]}, "Period": 3600, "Stat": "Average"}}]
r = [{"Id": "m1", "Label": "x", "Timestamps": ["2026-10-01T00:00:00Z"], "Values": [12.5], "StatusCode": "Complete"}]
print(json.dumps({"MetricDataQueries": q, "MetricDataResults": r}, ensure_ascii=False))
PY
}
long_id="i-$(printf 'a%.0s' $(seq 252))é$(printf 'z%.0s' $(seq 46))"
cw_query "$long_id" >cw-long.json
export IMCOST_DB="$PWD/cw-long.db"
if "$IMCOST" import cw-long.json >/dev/null 2>cw-long.err; then
	expect_eq "a 302-byte query resource id is kept whole (bytes, value)" \
		"$(sqlite3 "$IMCOST_DB" "SELECT length(CAST(resource_id AS BLOB)) || '|' || (resource_id = '$long_id') || '|' || value FROM usage")" \
		"302|1|12.5"
else
	nok "import of a 302-byte query resource id" "$(cat cw-long.err)"
fi
before=$(sqlite3 "$IMCOST_DB" 'SELECT count(*) FROM usage; SELECT count(*) FROM imports' | tr '\n' ' ')
cw_query "i-$(printf 'b%.0s' $(seq 4200))" >cw-toolong.json
"$IMCOST" import cw-toolong.json >/dev/null 2>cw-toolong.err
rc=$?
if [ "$rc" = 1 ] && grep -qE '^imcost: cw-toolong.json:[0-9]+(:[0-9]+)?: MetricDataResults\[0\] \(Id .m1.\): the query.s dimension value is 4202 bytes' cw-toolong.err &&
   [ "$(wc -l <cw-toolong.err)" = 1 ] &&
   [ "$(sqlite3 "$IMCOST_DB" 'SELECT count(*) FROM usage; SELECT count(*) FROM imports' | tr '\n' ' ')" = "$before" ]; then
	ok "a dimension value longer than CloudWatch allows: one located error, exit 1, database unchanged"
else
	nok "a dimension value longer than CloudWatch allows (exit $rc)" "$(cat cw-toolong.err)"
fi
