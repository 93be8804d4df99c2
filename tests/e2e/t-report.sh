# t-report.sh - end-to-end checks of `imcost report` on two generated CUR
# months (bench/gen-cur.c): the planted numbers (totals, services, idle
# resources, the S3 spike, the service metrics, the optimal commitment
# counts) must be in the report, computed here by python3 from the
# generator's CSV and --totals files, never from imcost; every PNG must be a
# valid PNG of the size its .gp script asks for, every SVG well-formed XML,
# every CSV parseable; the HTML must embed exactly the chart PNGs and render
# in headless Chromium (a screenshot taken here must not be blank); a run
# without gnuplot on PATH, with a failing gnuplot or with one that hangs
# must still write the report and exit 0 with a warning.

. "$ROOT/tests/e2e/lib.sh"

if [ ! -x "$GEN_CUR" ]; then
	skip "report" "no gen-cur at $GEN_CUR"
	exit 0
fi

"$GEN_CUR" --rows 15000 --month 2026-09 --seed 5 --out sep.csv --totals sep.txt \
	--metrics sep-metrics.csv 2>/dev/null
"$GEN_CUR" --rows 20000 --month 2026-10 --seed 3 --out oct.csv --totals oct.txt \
	--metrics oct-metrics.csv 2>/dev/null
tot() { sed -n "s/^$2=//p" "$1" | head -1; }

# a pricing catalog for every (region, type) of the generator (as in
# t-analyzers.sh): 1y no-upfront reservations at 0.62 of on demand
python3 - >pricing.json <<'PY'
import json
from decimal import Decimal as D
od = {"us-east-1": {"c6i.xlarge": "0.17", "m6i.large": "0.096", "r6i.2xlarge": "0.504", "t3.medium": "0.0416"},
      "eu-west-1": {"c6i.xlarge": "0.19", "m6i.large": "0.107", "r6i.2xlarge": "0.564", "t3.medium": "0.0456"},
      "ap-southeast-1": {"c6i.xlarge": "0.196", "m6i.large": "0.12", "r6i.2xlarge": "0.608", "t3.medium": "0.0528"}}
out = []
for r, types in od.items():
    for t, p in types.items():
        out.append({"provider": "AWS", "region": r, "instance_type": t, "platform": "Linux",
                    "on_demand_hourly": p, "source": "test", "as_of": "2026-10",
                    "commitments": [{"term": "1y", "payment": "no_upfront", "hourly": str(D(p) * D("0.62"))}]})
print(json.dumps({"compute": out}))
PY

if ! "$IMCOST" import sep.csv sep-metrics.csv oct.csv oct-metrics.csv >/dev/null 2>import.err; then
	nok "import of the generated months" "$(head -3 import.err)"
	exit 0
fi

export SOURCE_DATE_EPOCH=1793491200
"$IMCOST" report --month 2026-10 --out rep --pricing pricing.json >out.txt 2>err.txt
expect_eq "report exits 0" "$?" 0
expect_eq "report prints the paths of report.md and report.html" "$(cat out.txt | tr '\n' ' ')" \
	"rep/report.md rep/report.html "
for f in report.md report.html headline.csv cost-by-service.csv cost-by-account.csv \
	cost-by-region.csv cost-by-day-service.csv top-resources.csv idle.csv waste-by-kind.csv anomalies.csv forecast.csv \
	unit-economics.csv commitments-recommendations.csv; do
	[ -s "rep/$f" ] || nok "rep/$f written"
done
ok "report.md, report.html and the CSV tables written"

# --- the planted numbers ---------------------------------------------------
# money as the report prints it: 2 decimals half away from zero, grouped
cat >fmt.py <<'PY'
from decimal import Decimal as D, ROUND_HALF_UP
def fm(x, sign=False):
    q = D(x).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    s = format(q, ",")
    return ("+" + s) if sign and q > 0 else s
def totals(path):
    return dict(l.strip().split("=", 1) for l in open(path) if "=" in l and not l.startswith("#"))
PY

got=$(python3 - <<'PY'
from fmt import *
t, p = totals("oct.txt"), totals("sep.txt")
md = open("rep/report.md").read()
want = ["**Billed cost:** %s USD" % fm(t["billed_cost"]),
        "**Effective cost:** %s USD" % fm(t["effective_cost"]),
        "**Change vs September 2026:** %s USD" % fm(D(t["effective_cost"]) - D(p["effective_cost"]), True),
        "from %s USD" % fm(p["effective_cost"]),
        "billed %s USD" % fm(D(t["billed_cost"]) - D(p["billed_cost"]), True),
        "**Month-end forecast:** %s USD (complete month" % fm(t["effective_cost"])]
missing = [w for w in want if w not in md]
print("ok" if not missing else "missing %s" % missing)
PY
)
expect_eq "headline: billed, effective, change vs September and forecast as planted" "$got" ok

got=$(python3 - <<'PY'
import csv
from fmt import *
from decimal import Decimal as D
t, p = totals("oct.txt"), totals("sep.txt")
h = {r["metric"]: r["value"] for r in csv.DictReader(open("rep/headline.csv"))}
want = {"billed_cost": D(t["billed_cost"]), "effective_cost": D(t["effective_cost"]),
        "previous_effective_cost": D(p["effective_cost"]),
        "change": D(t["effective_cost"]) - D(p["effective_cost"]),
        "forecast": D(t["effective_cost"])}
bad = [k for k, v in want.items() if abs(D(h.get(k, "NaN")) - v) > D("0.0000005")]
print("ok" if not bad and h.get("month") == "2026-10" and h.get("currency") == "USD" else "bad %s %s" % (bad, h))
PY
)
expect_eq "headline.csv: exact amounts (6 decimals)" "$got" ok

# by service: exact sums from the CSV (lib.sh's expected_summary)
expected_summary oct.csv 2026-10 >want-oct.json
expected_summary sep.csv 2026-09 >want-sep.json
got=$(python3 - <<'PY'
import csv, json
from fmt import *
from decimal import Decimal as D
w = json.load(open("want-oct.json"))["USD"]["by_service"]
pw = json.load(open("want-sep.json"))["USD"]["by_service"]
rows = {r["service"]: r for r in csv.DictReader(open("rep/cost-by-service.csv"))}
md = open("rep/report.md").read()
bad = []
tol = D("0.0000005")
for svc, (b, e) in w.items():
    r = rows.get(svc)
    if r is None:
        bad.append("%s missing" % svc); continue
    if abs(D(r["billed_cost"]) - D(b)) > tol or abs(D(r["effective_cost"]) - D(e)) > tol:
        bad.append("%s amounts" % svc)
    pe = D(pw.get(svc, ["0", "0"])[1])
    # the change is the difference of two 6-decimal amounts of the JSON
    # document: within 1e-6 of the exact one
    if abs(D(r["previous_effective_cost"]) - pe) > tol or abs(D(r["change"]) - (D(e) - pe)) > 2 * tol:
        bad.append("%s previous month" % svc)
    line = "| %s | %s | %s |" % (svc, fm(b), fm(e))
    if line not in md:
        bad.append("md row %s" % line)
print("ok" if w and not bad and len(rows) == len(w) else "bad %s" % bad)
PY
)
expect_eq "cost by service: every service, exact, with the previous month" "$got" ok

# by day and service (days.py WANT.json DIR DAYS): every (day, service) of
# the bill (expected_summary), exact, in DIR/cost-by-day-service.csv and in
# the stacked chart's data (the month's 7 largest services, then "Other"
# with the rest), whose days sum to the daily totals; the chart script
# draws one layer per column, each with its own colour and outlined fill,
# told apart in grayscale too
cat >days.py <<'PY'
import csv, json, re, sys
from decimal import Decimal as D
wpath, rep, ndays = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = json.load(open(wpath))["USD"]
tol = D("0.0000005")
bad = []
rows = list(csv.DictReader(open(rep + "/cost-by-day-service.csv")))
got = {(r["day"], r["service"]): (D(r["billed_cost"]), D(r["effective_cost"])) for r in rows}
want = {}
for k, (b, e) in w["by_day_service"].items():
    day, svc = k.split("\t")
    want[(day, svc or "(none)")] = (D(b), D(e))
if len(rows) != len(want) or set(got) != set(want):
    bad.append("cost-by-day-service.csv keys: %d rows, want %d" % (len(rows), len(want)))
for k, (b, e) in want.items():
    g = got.get(k)
    if g and (abs(g[0] - b) > tol or abs(g[1] - e) > tol):
        bad.append("%s: got %s want %s" % (k, g, (b, e)))
svc_eff = {}
for (day, svc), (b, e) in want.items():
    svc_eff[svc] = svc_eff.get(svc, D(0)) + e
order = sorted(svc_eff, key=lambda x: (-svc_eff[x], x))
top = order[:7]
lines = [l.rstrip("\n").split("\t") for l in open(rep + "/daily-cost.dat")]
head = lines[0][0].split("columns: ")[-1:] + lines[0][1:]
if head != ["day"] + top + (["Other"] if len(order) > 7 else []):
    bad.append("columns %s, want day %s" % (head, top))
days = {}
for (day, svc), (b, e) in want.items():
    days[day] = days.get(day, D(0)) + e
daytot = {r["day"]: D(r["effective_cost"]) for r in csv.DictReader(open(rep + "/cost-by-day.csv"))}
if len(lines) - 1 != ndays:
    bad.append("%d days in the chart" % (len(lines) - 1))
for row in lines[1:]:
    day, vals = row[0], [D(x) for x in row[1:]]
    for j, svc in enumerate(top):
        if abs(vals[j] - want.get((day, svc), (0, D(0)))[1]) > tol:
            bad.append("chart %s %s: %s" % (day, svc, vals[j]))
    if len(order) > 7:
        rest = sum((want.get((day, x), (0, D(0)))[1] for x in order[7:]), D(0))
        if abs(vals[-1] - rest) > tol:
            bad.append("chart %s Other: %s want %s" % (day, vals[-1], rest))
    tot = sum(vals, D(0))
    if abs(tot - days.get(day, D(0))) > tol * len(vals) or abs(tot - daytot.get(day, D(0))) > tol * (len(vals) + 1):
        bad.append("chart %s: layers sum to %s, daily total %s" % (day, tot, days.get(day)))
gp = open(rep + "/daily-cost.gp").read()
plot = gp[gp.index("\nplot "):].split("\nset terminal")[0]
layers = re.findall(r" using \d+\S* title '([^']*)' lc rgb '(#[0-9A-Fa-f]+)' (fs [^,\n]*)", plot)
if not (len(layers) == len(head) - 1 >= 2 and len({c for _, c, _ in layers}) == len(layers)
        and len({f for _, _, f in layers}) == len(layers) and all("border" in f for _, _, f in layers)
        and [t for t, _, _ in layers][-1] == head[-1][:34] and "set style histogram rowstacked" in gp
        and "set key " in gp):
    bad.append("layers %s" % layers)
# grayscale: solid layers at gray levels (luma of the colour at the fill
# density, over white) at least 30 apart; hatched layers each a pattern
gray = []
for _, c, f in layers:
    m = re.match(r"fs solid ([0-9.]+)", f)
    if m:
        r_, g_, b_ = (int(c[i:i + 2], 16) for i in (1, 3, 5))
        d = float(m.group(1))
        gray.append((0.299 * r_ + 0.587 * g_ + 0.114 * b_) * d + 255 * (1 - d))
gray.sort()
if any(b_ - a_ < 30 for a_, b_ in zip(gray, gray[1:])):
    bad.append("gray levels %s" % [round(x) for x in gray])
print("ok %d %s" % (len(head) - 1, "Other" if len(order) > 7 else "-") if want and not bad else "bad %s" % bad[:5])
PY
got=$(python3 days.py want-oct.json rep 31)
case "$got" in
"ok "*) ok "by day and service: exact per (day, service); the stacked chart's days sum to the daily totals ($got)";;
*) nok "by day and service: exact per (day, service); the stacked chart's days sum to the daily totals" "$got";;
esac

# top resources (topres.py WANT.json DIR N): the N largest resources of the
# bill by effective cost (ties by id), with the service, region and account
# of their largest cost, exact, with their share, in the CSV and report.md,
# and the action sentence naming the first
cat >topres.py <<'PY'
import csv, json, sys
from decimal import Decimal as D, ROUND_HALF_UP
from fmt import *
wpath, rep, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = json.load(open(wpath))["USD"]
tol = D("0.0000005")
res = sorted(w["by_resource"].items(), key=lambda kv: (-D(kv[1]["effective"]), kv[0]))[:n]
total = D(w["effective"])
rows = list(csv.DictReader(open(rep + "/top-resources.csv")))
md = open(rep + "/report.md").read()
bad = []
if [r["resource_id"] for r in rows] != [k for k, _ in res]:
    bad.append("ids %s want %s" % ([r["resource_id"] for r in rows][:5], [k for k, _ in res][:5]))
for r, (k, v) in zip(rows, res):
    svc, region = v["service"] or "(none)", v["region"] or "(global)"
    if (r["service"], r["region"], r["account"]) != (svc, region, v["account"]):
        bad.append("%s: %s %s %s" % (k, r["service"], r["region"], r["account"]))
    if abs(D(r["billed_cost"]) - D(v["billed"])) > tol or abs(D(r["effective_cost"]) - D(v["effective"])) > tol:
        bad.append("%s amounts %s %s want %s %s" % (k, r["billed_cost"], r["effective_cost"], v["billed"], v["effective"]))
    share = D(v["effective"]) / total
    if abs(D(r["share"]) - share) > tol:
        bad.append("%s share %s want %s" % (k, r["share"], share))
    line = "| %s | %s | %s | %s | %s | %s | %s%% |" % (k, svc, region, v["account"], fm(v["billed"]),
        fm(v["effective"]), (share * 100).quantize(D("0.1"), rounding=ROUND_HALF_UP))
    if line not in md:
        bad.append("md row " + line)
k, v = res[0]
where = "%s (%s, %s)" % (k, v["service"], v["region"]) if v["region"] else "%s (%s)" % (k, v["service"])
if "The %d largest resources carry" % len(res) not in md or "start with %s at %s USD" % (where, fm(v["effective"])) not in md:
    bad.append("no action sentence naming " + where)
print("ok" if len(res) == n and not bad else "bad %s" % bad[:5])
PY
expect_eq "top resources: the 20 largest of the bill, exact, with service, region, account and share" \
	"$(python3 topres.py want-oct.json rep 20)" ok

# idle: the planted instances and addresses, their cost in the period from the CSV
got=$(python3 - <<'PY'
import csv
from fmt import *
from decimal import Decimal as D
t = [l.strip() for l in open("oct.txt")]
inst = {l.split("=", 1)[1] for l in t if l.startswith("idle_instance=")}
eip = {l.split("=", 1)[1] for l in t if l.startswith("idle_eip=")}
cost = {k: D(0) for k in inst | eip}
with open("oct.csv", newline="") as fh:
    for row in csv.DictReader(fh):
        if row["lineItem/ResourceId"] in cost and row["lineItem/LineItemType"] == "Usage":
            cost[row["lineItem/ResourceId"]] += D(row["lineItem/UnblendedCost"])
ids = {r["resource_id"] for r in csv.DictReader(open("rep/idle.csv"))}
kinds = {r["kind"]: r for r in csv.DictReader(open("rep/waste-by-kind.csv"))}
md = open("rep/report.md").read()
bad = []
if not (inst | eip) <= ids:
    bad.append("idle.csv lacks %s" % ((inst | eip) - ids))
for label, group in (("idle instances", inst), ("idle addresses", eip)):
    k = kinds.get(label)
    want = sum((cost[x] for x in group), D(0))
    if k is None or int(k["findings"]) != len(group) or abs(D(k["period_cost"]) - want) > D("0.000001"):
        bad.append("%s: %s want %d %s" % (label, k, len(group), want))
    if "| %s | %d |" % (label, len(group)) not in md:
        bad.append("md row " + label)
for x in inst | eip:
    if x not in md:
        bad.append(x + " not in report.md")
print("ok" if inst and eip and not bad else bad)
PY
)
expect_eq "idle: the planted instances and addresses, priced from the bill" "$got" ok

got=$(grep -c "^> \*\*What to do:\*\* Investigate Amazon Simple Storage Service on $(tot oct.txt anomaly.date) first" rep/report.md)
expect_eq "anomalies: the action names the planted S3 spike" "$got" 1

got=$(python3 - <<'PY'
from fmt import *
from decimal import Decimal as D
import re
t, p = totals("oct.txt"), totals("sep.txt")
md = open("rep/report.md").read()
per_mau = D(t["effective_cost"]) / D(t["service.mau_max"])
per_msg = D(t["effective_cost"]) / D(t["service.messages"]) * 1000000
m = re.search(r"Cost per MAU is ([0-9.]+) USD \(([-+0-9.]+)% vs September 2026\) and ([0-9.]+) USD per million", md)
if not m:
    print("no sentence"); raise SystemExit
prev = D(p["effective_cost"]) / D(p["service.mau_max"])
chg = (per_mau / prev - 1) * 100
ok = abs(D(m.group(1)) - per_mau) <= D("0.0000005") and abs(D(m.group(3)) - per_msg) <= D("0.00005") \
     and abs(D(m.group(2)) - chg) <= D("0.051")
print("ok" if ok else "got %s want %s %s %s" % (m.groups(), per_mau, chg, per_msg))
PY
)
expect_eq "unit economics: cost per MAU and per million messages from the planted metrics" "$got" ok

# commitments: the brute-force optimum over k per instance type (as in
# t-analyzers.sh), summed, is what the action says buying saves
python3 - >expected_k.txt <<'PY'
import csv, json, calendar
from collections import defaultdict
from decimal import Decimal as D
t = [l.strip() for l in open("oct.txt")]
idle = {l.split("=", 1)[1] for l in t if l.startswith("idle_instance=")}
cat = {(e["region"], e["instance_type"]): e for e in json.load(open("pricing.json"))["compute"]}
u = defaultdict(lambda: defaultdict(D))
with open("oct.csv", newline="") as fh:
    for row in csv.DictReader(fh):
        if row["lineItem/LineItemType"] != "Usage" or "BoxUsage" not in row["lineItem/UsageType"]:
            continue
        if row["lineItem/ResourceId"] in idle:
            continue
        u[(row["product/regionCode"], row["product/instanceType"])][row["lineItem/UsageStartDate"]] += D(row["lineItem/UsageAmount"])
H = calendar.monthrange(2026, 10)[1] * 24
hourly = {}
for key in sorted(u):
    e = cat[key]
    p = D(e["on_demand_hourly"]); c = D(e["commitments"][0]["hourly"])
    hours = list(u[key].values()) + [D(0)] * (H - len(u[key]))
    best, bestv = 0, D(0)
    for k in range(0, int(max(hours)) + 1):
        v = sum(p * min(x, k) for x in hours) - k * c * H
        if v >= bestv:
            best, bestv = k, v
    if best > 0:
        print("%s %s %d %s" % (key[0], key[1], best, (bestv * 730 / H).quantize(D("0.000001"))))
# the hourly series for the chart check below
json.dump({"%s %s" % (k[1], k[0]): {h: str(v) for h, v in u[k].items()} for k in u},
          open("hourly.json", "w"))
PY
got=$(python3 - <<'PY'
import csv, re
from fmt import *
from decimal import Decimal as D
want = [l.split() for l in open("expected_k.txt") if l.strip()]
recs = list(csv.DictReader(open("rep/commitments-recommendations.csv")))
md = open("rep/report.md").read()
total = sum((D(w[3]) for w in want), D(0))
m = re.search(r"Buying the (?:(\d+) recommended commitments|recommended commitment) \((.*?)\) saves ([0-9,.]+) USD a month", md)
bad = []
if not want:
    bad.append("the generator planted nothing to buy")
if m is None:
    bad.append("no purchase sentence")
else:
    n = int(m.group(1) or 1)
    if n != len(want):
        bad.append("count %d want %d" % (n, len(want)))
    if abs(D(m.group(3).replace(",", "")) - total) > D("0.0051"):
        bad.append("savings %s want %s" % (m.group(3), total))
    named = re.findall(r"(\d+) x (\S+) in ([^,;]+),", m.group(2))
    if len(named) != min(3, len(want)):
        bad.append("named %s" % named)
    for c, t, r in named:
        if [r, t, c] not in [w[:3] for w in want]:
            bad.append("%s x %s in %s is not a brute-force optimum" % (c, t, r))
got = sorted((r["region"], r["instance_type"], r["count"]) for r in recs)
if got != sorted((w[0], w[1], w[2]) for w in want):
    bad.append("csv %s" % got)
print("ok" if not bad else bad)
PY
)
expect_eq "commitments: the purchase sentence sums the brute-force optimum" "$got" ok

# the hourly chart plots the on-demand counts of the bill (non-idle), hour by hour
got=$(python3 - <<'PY'
import json
from decimal import Decimal as D
u = json.load(open("hourly.json"))
lines = [l.rstrip("\n").split("\t") for l in open("rep/commitment-usage.dat")]
cols = lines[0]
names = [cols[0].split("columns: ")[-1]] + cols[1:]
assert names[0] == "hour", names
bad = []
for j, name in enumerate(names[1:], start=1):
    series = u.get(name, {})
    for row in lines[1:]:
        want = D(series.get(row[0] + ":00Z", "0"))
        if abs(D(row[j]) - want) > D("0.0005"):
            bad.append((name, row[0], row[j], str(want)))
            break
print("ok" if len(names) > 1 and len(lines) == 745 and not bad else "bad %s %s" % (names, bad[:3]))
PY
)
expect_eq "commitment chart data: hourly on-demand counts of the bill" "$got" ok
got=$(grep -c "with lines lc rgb '#[0-9A-F]*' lw 4 dt (30,10) title 'commit " rep/commitment-usage.gp)
want=$(awk '{print $1" "$2}' expected_k.txt | while read -r r t; do
	grep -q "^# .*columns: .*$t $r" rep/commitment-usage.dat && echo x; done | wc -l)
expect_eq "commitment chart draws each plotted recommendation across the usage" "$got" "$want"

# --- charts: PNG of the stated size, SVG well-formed, script re-runnable -----
got=$(python3 - <<'PY'
import glob, re, struct, zlib
import xml.etree.ElementTree as ET
bad, n = [], 0
for gp in sorted(glob.glob("rep/*.gp")):
    base = gp[:-3]
    size = re.search(r"set terminal pngcairo size (\d+),(\d+)", open(gp).read())
    want = (int(size.group(1)), int(size.group(2)))
    b = open(base + ".png", "rb").read()
    if b[:8] != b"\x89PNG\r\n\x1a\n":
        bad.append(base + ": signature"); continue
    pos, idat, ihdr, end = 8, b"", None, False
    while pos < len(b):
        ln, typ = struct.unpack(">I4s", b[pos:pos + 8])
        data = b[pos + 8:pos + 8 + ln]
        crc = struct.unpack(">I", b[pos + 8 + ln:pos + 12 + ln])[0]
        if zlib.crc32(typ + data) & 0xffffffff != crc:
            bad.append(base + ": crc of " + typ.decode()); break
        if typ == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data)
        elif typ == b"IDAT":
            idat += data
        elif typ == b"IEND":
            end = True
        pos += 12 + ln
    if ihdr is None or not end:
        bad.append(base + ": chunks"); continue
    w, h, depth, ctype = ihdr[:4]
    if (w, h) != want:
        bad.append("%s: %dx%d, script says %dx%d" % (base, w, h, want[0], want[1]))
    chans = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    if len(zlib.decompress(idat)) != h * (1 + (w * chans * depth + 7) // 8):
        bad.append(base + ": image data length")
    root = ET.parse(base + ".svg").getroot()
    if not root.tag.endswith("svg"):
        bad.append(base + ".svg: root " + root.tag)
    n += 1
print("ok %d" % n if not bad else bad)
PY
)
expect_eq "every chart: a valid PNG of the size in its script, an SVG that parses" "$got" "ok 5"
got=$(python3 - <<'PY'
import re
dts = re.findall(r"^set style line \d+ lc rgb '(#[0-9A-Fa-f]+)' lw \S+ dt (\S+)", open("rep/daily-cost.gp").read(), re.M)
print("ok" if len(dts) >= 6 and len({d for _, d in dts}) == len(dts) and len({c for c, _ in dts}) == len(dts) else dts)
PY
)
expect_eq "series styles differ in colour and in dash type (grayscale)" "$got" ok
got=$(for f in rep/*.gp; do grep -q "^set xlabel '..*'" "$f" && grep -q "^set ylabel '..*(.*)'" "$f" &&
	echo "$(basename "$f" .gp):$(sed -n "s/^set ylabel '.*(\([A-Za-z]*\) .*/\1/p; s/^set ylabel '.*(\([A-Za-z]*\))'/\1/p" "$f")"; done |
	sort | tr '\n' ' ')
expect_eq "every chart labels both axes, the y axis with its unit or currency" "$got" \
	"commitment-usage:count daily-cost:USD forecast:USD month-over-month:USD waste-by-kind:USD "
rm -f rep/forecast.png rep/forecast.svg
(cd rep && gnuplot forecast.gp >/dev/null 2>&1)
if [ -s rep/forecast.png ] && [ -s rep/forecast.svg ]; then ok "gnuplot NAME.gp in the directory redraws the chart"
else nok "gnuplot NAME.gp in the directory redraws the chart"; fi

# --- CSV and HTML --------------------------------------------------------------
got=$(python3 - <<'PY'
import csv, glob
bad = [f for f in glob.glob("rep/*.csv") if not list(csv.reader(open(f, newline="")))]
print("ok %d" % len(glob.glob("rep/*.csv")) if not bad else bad)
PY
)
case "$got" in "ok "*) ok "every CSV parses with a header ($got)";; *) nok "every CSV parses" "$got";; esac
got=$(python3 - <<'PY'
import base64, glob, re
from html.parser import HTMLParser
h = open("rep/report.html", encoding="utf-8").read()
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []
    def handle_starttag(self, tag, a):
        if tag not in ("meta", "img", "br", "link"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)
p = P(); p.feed(h)
imgs = [base64.b64decode(x) for x in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', h)]
pngs = [open(f, "rb").read() for f in sorted(glob.glob("rep/*.png"))]
ok = not p.bad and not p.stack and sorted(imgs) == sorted(pngs) and len(imgs) == 5 \
     and "<style>" in h and 'src="http' not in h and "<script" not in h
print("ok" if ok else "tags %s %s, %d images" % (p.bad[:3], p.stack[:3], len(imgs)))
PY
)
expect_eq "report.html: balanced tags, self-contained, embeds exactly the chart PNGs" "$got" ok

# --- headless Chromium: it renders, and the screenshot is not blank -----------
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
	CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
	skip "report.html renders in headless Chromium" "chromium not installed and not installable here"
else
	prof=$(mktemp -d)
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --screenshot="$TEST_DIR/shot.png" --window-size=1200,1600 \
		"file://$TEST_DIR/rep/report.html" >/dev/null 2>&1
	rm -rf "$prof"
	got=$(python3 - <<'PY'
import struct, zlib
try:
    b = open("shot.png", "rb").read()
except OSError:
    print("no screenshot"); raise SystemExit
assert b[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat = 8, b""
while pos < len(b):
    ln, typ = struct.unpack(">I4s", b[pos:pos + 8])
    if typ == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", b[pos + 8:pos + 18])
    elif typ == b"IDAT":
        idat += b[pos + 8:pos + 8 + ln]
    pos += 12 + ln
bpp = {2: 3, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours, blue, dark = set(), 0, 0
rows = min(h, 1200)
for y in range(rows):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        up = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + up) & 255
        elif f == 3: line[i] = (line[i] + (a + up) // 2) & 255
        elif f == 4:
            p = a + up - c; pa, pb, pc = abs(p - a), abs(p - up), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
    prev = line
    if y % 2 == 0:
        for x in range(0, w, 2):
            px = tuple(line[x * bpp:x * bpp + 3])
            colours.add(px)
            if abs(px[0] - 0x00) < 12 and abs(px[1] - 0x72) < 12 and abs(px[2] - 0xB2) < 12:
                blue += 1
            if sum(px) < 200:
                dark += 1
print("ok" if len(colours) > 100 and blue > 100 and dark > 500 else
      "blank? %d colours, %d blue, %d dark pixels" % (len(colours), blue, dark))
PY
)
	expect_eq "headless Chromium screenshot of report.html is not blank" "$got" ok
fi

# --- without gnuplot ---------------------------------------------------------------
cp -r rep stale
env PATH=/nonexistent "$IMCOST" report --month 2026-10 --out stale --pricing pricing.json \
	>/dev/null 2>nogp.err
expect_eq "no gnuplot on PATH: exit 0" "$?" 0
if grep -q "warning: gnuplot not found on PATH" nogp.err; then ok "no gnuplot on PATH: a clear warning"
else nok "no gnuplot on PATH: a clear warning" "$(cat nogp.err)"; fi
got=$(ls stale/*.png stale/*.svg 2>/dev/null | wc -l)
expect_eq "no gnuplot on PATH: no charts (stale ones removed)" "$got" 0
if grep -q "^> \*\*Warning:\*\* Charts were not drawn: gnuplot not found on PATH" stale/report.md &&
   grep -q "Charts were not drawn" stale/report.html && [ -s stale/daily-cost.gp ] &&
   grep -q "\*\*Billed cost:\*\* $(python3 -c 'from fmt import *; print(fm(totals("oct.txt")["billed_cost"]))') USD" stale/report.md; then
	ok "no gnuplot on PATH: report written, says why, keeps the scripts"
else
	nok "no gnuplot on PATH: report written, says why, keeps the scripts"
fi

printf '#!/bin/sh\necho "line 3: fake failure" >&2\nexit 3\n' >failgp; chmod +x failgp
"$IMCOST" report --month 2026-10 --out failrep --gnuplot ./failgp >/dev/null 2>fail.err
rc=$?
if [ $rc = 0 ] && grep -q "5 charts not drawn: daily-cost.gp: gnuplot failed: line 3: fake failure" fail.err &&
   [ -s failrep/report.html ] && [ -z "$(ls failrep/*.png 2>/dev/null)" ]; then
	ok "a failing gnuplot: report written without charts, exit 0, gnuplot's error shown"
else
	nok "a failing gnuplot" "exit $rc: $(cat fail.err)"
fi
printf '#!/bin/sh\nexec sleep 30\n' >hanggp; chmod +x hanggp
t0=$(date +%s)
"$IMCOST" report --month 2026-10 --out hangrep --gnuplot ./hanggp --chart-timeout 1 >/dev/null 2>hang.err
rc=$?
t1=$(date +%s)
if [ $rc = 0 ] && [ $((t1 - t0)) -lt 25 ] && grep -q "longer than 1 seconds" hang.err; then
	ok "a hanging gnuplot is stopped after --chart-timeout"
else
	nok "a hanging gnuplot is stopped after --chart-timeout" "exit $rc after $((t1 - t0))s: $(cat hang.err)"
fi

# --- the first month: no previous month ---------------------------------------
"$IMCOST" report --month 2026-09 --out sep --no-charts >/dev/null 2>sep.err
expect_eq "report for the first month exits 0" "$?" 0
got=$(python3 - <<'PY'
import csv
from fmt import *
t = totals("sep.txt")
md = open("sep/report.md").read()
h = {r["metric"]: r["value"] for r in csv.DictReader(open("sep/headline.csv"))}
ok = "**Change vs August 2026:** n/a (no charges for August 2026 in the database)" in md \
     and h["change"] == "n/a" and "**Billed cost:** %s USD" % fm(t["billed_cost"]) in md \
     and "| n/a | n/a | n/a |" in md
print("ok" if ok else "n/a missing")
PY
)
expect_eq "no previous month: changes are n/a" "$got" ok

# --- a planted FOCUS month: more services than layers, shared resources ------
# November 2026 (30 days) in a database of its own: 9 services, two
# resources each (amounts varying by day and resource), the largest resource
# billed under Compute and Storage (Compute a little larger: its service,
# region and account are Compute's),
# DNS without a region, sub-accounts on some services only (the others fall
# back to the billing account), and daily support fees without a resource
# id (no resource).  Expectations: expected_summary of the file.
python3 - >planted.csv <<'PY'
from decimal import Decimal as D
svcs = ["Compute", "Storage", "Database", "Network", "Messaging", "CDN", "Monitoring", "DNS", "Queue"]
print("BilledCost,EffectiveCost,BillingCurrency,ProviderName,BillingAccountId,SubAccountId,ChargeCategory,"
      "ServiceName,RegionId,ResourceId,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,BillingPeriodEnd")
def row(b, e, sub, svc, region, res, day):
    end = "2026-11-%02dT00:00:00Z" % (day + 1) if day < 30 else "2026-12-01T00:00:00Z"
    print("%s,%s,USD,Planted,payer-1,%s,Usage,%s,%s,%s,2026-11-%02dT00:00:00Z,%s,"
          "2026-11-01T00:00:00Z,2026-12-01T00:00:00Z" % (b, e, sub, svc, region, res, day, end))
for day in range(1, 31):
    for i, svc in enumerate(svcs):
        for k in (1, 2):
            b = (D(10 - i) * D("3.5") * k + D(day % 7) * D("0.25") + D(k) * D("0.000001")).quantize(D("0.000001"))
            e = (b * D("0.9")).quantize(D("0.0000001")) if svc == "Compute" else b
            sub = "acct-a" if svc in ("Compute", "Storage") else ""
            region = "" if svc == "DNS" else "us-east-1" if svc == "Network" else "eu-west-1"
            row(b, e, sub, svc, region, "%s-%d" % (svc.lower(), k), day)
    row("40.000001", "40.000001", "acct-b", "Compute", "eu-west-1", "shared-1", day)
    row("39.5", "39.5", "acct-a", "Storage", "eu-central-1", "shared-1", day)
    row("1.25", "1.25", "", "Support", "", "", day)
PY
expected_summary planted.csv 2026-11 >want-nov.json
if ! IMCOST_DB=planted.db "$IMCOST" import planted.csv >/dev/null 2>planted.err; then
	nok "import of the planted FOCUS month" "$(head -3 planted.err)"
else
	IMCOST_DB=planted.db "$IMCOST" report --month 2026-11 --out nov --top-resources 7 \
		>/dev/null 2>nov.err
	expect_eq "planted month: report exits 0" "$?" 0
	got=$(python3 days.py want-nov.json nov 30)
	expect_eq "planted month: 7 service layers and Other, exact per day, summing to the daily totals" \
		"$got" "ok 8 Other"
	expect_eq "planted month: --top-resources 7, exact, shared-1 under its largest service" \
		"$(python3 topres.py want-nov.json nov 7)" ok
	got=$(python3 -c '
import csv
r = {x["resource_id"]: x for x in csv.DictReader(open("nov/top-resources.csv"))}
s = r.get("shared-1", {})
print(s.get("service"), s.get("region"), s.get("account"), "" in r, len(r))')
	expect_eq "planted month: shared-1 is Compute in eu-west-1 under acct-b; no resource without an id" \
		"$got" "Compute eu-west-1 acct-b False 7"
	if [ -s nov/daily-cost.png ] && [ -s nov/daily-cost.svg ] &&
	   python3 -c 'import xml.etree.ElementTree as E; E.parse("nov/daily-cost.svg")' 2>/dev/null &&
	   [ "$(head -c 8 nov/daily-cost.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
		ok "planted month: the 8-layer chart is drawn (PNG and SVG)"
	else
		nok "planted month: the 8-layer chart is drawn (PNG and SVG)" "$(cat nov.err)"
	fi
	got=$(IMCOST_DB=planted.db "$IMCOST" --format json analyze --month 2026-11 --only summary \
		--top-resources 0 | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["summary"]["by_resource"]), len(d["summary"]["by_day_service"]))')
	expect_eq "analyze --top-resources 0: no resources; by_day_service has 30 days x 10 services" "$got" "0 300"
	expect_status "analyze --top-resources -1: usage error" 2 \
		env IMCOST_DB=planted.db "$IMCOST" analyze --top-resources -1
	expect_status "report --top-resources x: usage error" 2 \
		env IMCOST_DB=planted.db "$IMCOST" report --month 2026-11 --top-resources x
fi

# --- usage and input errors ---------------------------------------------------------
expect_status "report without --month: usage error" 2 "$IMCOST" report --out x
expect_status "report --month 2026-13: usage error" 2 "$IMCOST" report --month 2026-13
expect_status "report --chart-timeout 0: usage error" 2 "$IMCOST" report --month 2026-10 --chart-timeout 0
"$IMCOST" report --month 2025-01 --out none >/dev/null 2>none.err
rc=$?
if [ $rc = 1 ] && grep -q "no charges for 2025-01" none.err && [ ! -e none/report.md ]; then
	ok "a month without charges: exit 1, clear error, nothing written"
else
	nok "a month without charges" "exit $rc: $(cat none.err)"
fi
if "$IMCOST" report --help | grep -q -- "--gnuplot PATH"; then ok "report --help documents the options"
else nok "report --help documents the options"; fi
