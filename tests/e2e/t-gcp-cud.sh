# t-gcp-cud.sh - GCP committed use discounts sized on vCPUs and GiB in use
# per hour (issue 16): a generated GCP billing export with a known hourly
# profile of N2 vCPU and RAM usage (and a machine on a committed-use
# credit), a generated Billing Catalog with N2 OnDemand / Commit1Yr /
# Commit3Yr core and RAM SKUs; the expected commitment levels and savings
# are computed here by brute force over every level (python3 decimal),
# never by imcost.  Also: the catalog missing (unpriced[] with the fix),
# the same usage on daily lines (not assessable), coverage in vCPU-hours.

. "$ROOT/tests/e2e/lib.sh"

cat >gen.py <<'PY'
import csv, json, sys
from decimal import Decimal as D

# prices per vCPU-hour and GiB-hour (USD)
PRICES = {"OnDemand": (D("0.031611"), D("0.004237")),
          "Commit1Yr": (D("0.019915"), D("0.002669")),
          "Commit3Yr": (D("0.014225"), D("0.001907"))}
HOURS = 14 * 24
START = 1790812800  # 2026-10-01T00:00:00Z

def machines(h):
    """(vcpus, gib) of the on-demand machines running in hour h"""
    day, hod = divmod(h, 24)
    out = [(4, 16), (4, 16)]                      # two n2-standard-4, always on
    if day % 7 < 5 and 8 <= hod < 20:
        out += [(4, 16)] * 3                      # three more on weekday daytime
    if hod < 12:
        out.append((2, 16))                       # an n2-highmem-2, half the day
    if (h * 7919) % 13 < 4:
        out.append((2, 8))                        # an n2-standard-2 now and then
    return out

def ts(t):
    import time
    return time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(t))

def export(path, daily=False):
    cols = ["billing_account_id", "service.description", "sku.id", "sku.description",
            "usage_start_time", "usage_end_time", "project.id", "labels", "system_labels",
            "location.region", "cost", "currency", "usage.amount", "usage.unit",
            "credits", "invoice.month", "cost_type"]
    rows = []
    core, ram = PRICES["OnDemand"]
    def row(start, end, desc, amount, unit, cost, credits="[]"):
        rows.append(["0A0A0A-000000-000001", "Compute Engine",
                     "CORE-SKU" if "Core" in desc else "RAM-SKU", desc, ts(start), ts(end),
                     "proj", "[]", "[]", "us-central1", str(cost), "USD", str(amount), unit,
                     credits, "202610", "regular"])
    if daily:
        for day in range(HOURS // 24):
            v = sum(m[0] for h in range(day * 24, day * 24 + 24) for m in machines(h))
            g = sum(m[1] for h in range(day * 24, day * 24 + 24) for m in machines(h))
            s = START + day * 86400
            row(s, s + 86400, "N2 Instance Core running in Americas", v * 3600, "seconds", v * core)
            row(s, s + 86400, "N2 Instance Ram running in Americas", g * 3600 * 2**30,
                "byte-seconds", g * ram)
    else:
        for h in range(HOURS):
            s = START + h * 3600
            for vc, gb in machines(h):
                row(s, s + 3600, "N2 Instance Core running in Americas", vc * 3600, "seconds", vc * core)
                row(s, s + 3600, "N2 Instance Ram running in Americas", gb * 3600 * 2**30,
                    "byte-seconds", gb * ram)
            # an n2-standard-2 on an existing commitment: a committed-use credit
            cred = json.dumps([{"name": "Committed use discount: CPU", "amount": float(-2 * core),
                                "type": "COMMITTED_USAGE_DISCOUNT", "id": "cud-1"}])
            row(s, s + 3600, "N2 Instance Core running in Americas", 2 * 3600, "seconds", 2 * core, cred)
            cred = json.dumps([{"name": "Committed use discount: RAM", "amount": float(-8 * ram),
                                "type": "COMMITTED_USAGE_DISCOUNT", "id": "cud-1"}])
            row(s, s + 3600, "N2 Instance Ram running in Americas", 8 * 3600 * 2**30,
                "byte-seconds", 8 * ram, cred)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        w.writerows(rows)

def money(p):
    units = int(p)
    return {"currencyCode": "USD", "units": str(units), "nanos": int((p - units) * 10**9)}

def catalog(path):
    skus = []
    for usage, (core, ram) in PRICES.items():
        for part, price in (("Core", core), ("Ram", ram)):
            if usage == "OnDemand":
                desc = "N2 Instance %s running in Americas" % part
            else:
                desc = "Commitment v1: N2 %s in Americas for %s" % (
                    "Cpu" if part == "Core" else "Ram", "1 Year" if usage == "Commit1Yr" else "3 Years")
            skus.append({"name": "services/6F81-5844-456A/skus/X", "skuId": "X", "description": desc,
                         "category": {"serviceDisplayName": "Compute Engine", "resourceFamily": "Compute",
                                      "resourceGroup": "N2Standard", "usageType": usage},
                         "serviceRegions": ["us-central1", "us-east1"],
                         "pricingInfo": [{"pricingExpression": {
                             "usageUnit": "h" if part == "Core" else "GiBy.h",
                             "tieredRates": [{"startUsageAmount": 0, "unitPrice": money(price)}]}}]})
    json.dump({"skus": skus, "nextPageToken": ""}, open(path, "w"))

def expected(terms):
    """brute force: every vCPU and GiB level, every term; the best total"""
    H = HOURS
    v = [sum(m[0] for m in machines(h)) for h in range(H)]
    g = [sum(m[1] for m in machines(h)) for h in range(H)]
    od_core, od_ram = PRICES["OnDemand"]
    best = None
    for term in terms:
        c_core, c_ram = PRICES["Commit1Yr" if term == "1y" else "Commit3Yr"]
        def level(u, p, c):
            top = None
            for k in range(0, max(u) + 1):
                covered = sum(min(x, k) for x in u)
                s = (p * covered * 730 / H) - c * k * 730
                if top is None or s >= top[1]:
                    top = (k, s, covered)
            return top
        kv, sv, cv = level(v, od_core, c_core)
        km, sm, cm = level(g, od_ram, c_ram)
        s = sv + sm
        if best is None or s > best[3]:
            best = (term, kv, km, s, cv)
    term, kv, km, s, cv = best
    elig = sum(v) + 2 * H
    return {"term": term, "vcpus": kv, "gib": km, "savings": s,
            "cov_before": D(2 * H) / elig, "cov_after": (D(2 * H) + cv) / elig,
            "covered_vcpu_hours": 2 * H, "eligible_vcpu_hours": elig,
            "eligible_gib_hours": sum(g) + 8 * H}

if __name__ == "__main__":
    what = sys.argv[1]
    if what == "export":
        export(sys.argv[2], daily=len(sys.argv) > 3)
    elif what == "catalog":
        catalog(sys.argv[2])
    else:
        e = expected(sys.argv[2].split(","))
        print(json.dumps({k: str(x) for k, x in e.items()}))
PY

"$PYTHON" gen.py export gcp-hourly.csv
"$PYTHON" gen.py export gcp-daily.csv daily
"$PYTHON" gen.py catalog skus.json

# compare imcost's JSON with the brute force (names the first difference)
check() {	# check JSON_FILE TERMS SOURCE
	"$PYTHON" - "$1" "$2" "$3" <<'PY'
import json, subprocess, sys
from decimal import Decimal as D
c = json.load(open(sys.argv[1]))["commitments"]
e = json.loads(subprocess.check_output([sys.executable, "gen.py", "expected", sys.argv[2]]))
recs = [r for r in c["recommendations"] if r["machine_series"] == "N2"]
bad = []
if len(recs) != 1:
    bad.append("recommendations %s" % recs)
else:
    r = recs[0]
    if r["term"] != e["term"]: bad.append("term %s != %s" % (r["term"], e["term"]))
    if r["commit_vcpus"] != int(e["vcpus"]): bad.append("vcpus %s != %s" % (r["commit_vcpus"], e["vcpus"]))
    if r["commit_memory_gb"] != int(e["gib"]): bad.append("gib %s != %s" % (r["commit_memory_gb"], e["gib"]))
    if abs(D(str(r["monthly_savings"])) - D(e["savings"])) > D("0.000001"):
        bad.append("savings %s != %s" % (r["monthly_savings"], e["savings"]))
    if abs(D(str(r["coverage_after"])) - D(e["cov_after"])) > D("0.000001"):
        bad.append("coverage_after %s != %s" % (r["coverage_after"], e["cov_after"]))
    if sys.argv[3] not in (r["price_source"] or ""): bad.append("price_source %s" % r["price_source"])
    if "seconds / 3600" not in r["basis"]: bad.append("basis %s" % r["basis"])
    if r["count"] is not None: bad.append("count %s" % r["count"])
g = c["gcp_coverage"]
if g["covered_vcpu_hours"] != int(e["covered_vcpu_hours"]) or g["eligible_vcpu_hours"] != int(e["eligible_vcpu_hours"]):
    bad.append("gcp_coverage %s" % g)
if abs(D(str(g["coverage"])) - D(e["cov_before"])) > D("0.000001"): bad.append("coverage %s" % g)
if g["eligible_memory_gib_hours"] != int(e["eligible_gib_hours"]): bad.append("memory %s" % g)
if c["coverage"]["eligible_hours"] != 0: bad.append("instance-hour coverage %s" % c["coverage"])
print("; ".join(bad) or "ok %s %s %s" % (e["term"], e["vcpus"], e["gib"]))
PY
}

# ---- priced: the Billing Catalog imported ---------------------------------
export IMCOST_DB="$PWD/priced.db"
"$IMCOST" --quiet import gcp-hourly.csv skus.json 2>import.err
expect_eq "import: the export and the catalog" "$?" 0
"$IMCOST" --format json analyze --only commitments --month 2026-10 >c1y.json 2>c1y.err
got=$(check c1y.json 1y skus.json)
case "$got" in ok*) ok "GCP N2: 1-year commitment = brute force over vCPU and GiB levels ($got)";;
	*) nok "GCP N2: 1-year commitment = brute force over vCPU and GiB levels" "$got";; esac
"$IMCOST" --format json analyze --only commitments --month 2026-10 --term any >cany.json 2>cany.err
got=$(check cany.json 1y,3y skus.json)
case "$got" in ok*) ok "GCP N2: best of 1 and 3 years = brute force ($got)";;
	*) nok "GCP N2: best of 1 and 3 years = brute force" "$got";; esac
got=$(jq -c '[.assessment[] | select(.analysis == "commitments") | [.eligible, .assessed]]' c1y.json)
expect_eq "GCP N2: assessment[] counts the series as assessed" "$got" '[[1,1]]'
got=$(jq -r '[.commitments.notes[] | select(test("vCPUs and GiB in use per hour"))] | length' c1y.json)
expect_eq "GCP N2: a note states the basis of the figures" "$got" 1
# the per-unit prices the importer kept: exactly the catalog's
got=$("$IMCOST" sql "SELECT instance_type, kind, term, hourly_nanos FROM prices
	WHERE region = 'us-central1' AND instance_type LIKE 'n2:%' ORDER BY instance_type, term" --format csv | tail -n +2 | tr '\n' ' ')
expect_eq "price list: N2 per-unit rows (vCPU-hour, GiB-hour; on demand, 1y, 3y)" "$got" \
	"n2:gib-hour,on_demand,,4237000 n2:gib-hour,reserved,1y,2669000 n2:gib-hour,reserved,3y,1907000 n2:vcpu-hour,on_demand,,31611000 n2:vcpu-hour,reserved,1y,19915000 n2:vcpu-hour,reserved,3y,14225000 "
# the text output says the coverage in vCPU-hours
got=$("$IMCOST" analyze --only commitments --month 2026-10 2>/dev/null | grep -c 'GCP coverage .*vCPU-hours')
expect_eq "GCP N2: text output states coverage in vCPU-hours" "$got" 1

# ---- --pricing gives the same per-unit keys ------------------------------
export IMCOST_DB="$PWD/pricing.db"
"$IMCOST" --quiet import gcp-hourly.csv 2>/dev/null
"$PYTHON" - <<'PY'
import json
from decimal import Decimal as D
import gen
ent = []
for part, i in (("vcpu-hour", 0), ("gib-hour", 1)):
    ent.append({"provider": "GCP", "region": "us-central1", "instance_type": "n2:" + part,
                "platform": "Linux", "on_demand_hourly": str(gen.PRICES["OnDemand"][i]),
                "currency": "USD", "source": "test",
                "commitments": [{"term": "1y", "payment": "no_upfront", "hourly": str(gen.PRICES["Commit1Yr"][i])}]})
json.dump({"compute": ent}, open("pricing.json", "w"))
PY
"$IMCOST" --format json analyze --only commitments --month 2026-10 --pricing pricing.json >cp.json 2>cp.err
got=$(check cp.json 1y "--pricing pricing.json")
case "$got" in ok*) ok "GCP N2: --pricing per-unit entries give the same advice";;
	*) nok "GCP N2: --pricing per-unit entries give the same advice" "$got";; esac

# ---- no catalog: unpriced with the fix -----------------------------------
export IMCOST_DB="$PWD/unpriced.db"
"$IMCOST" --quiet import gcp-hourly.csv 2>/dev/null
"$IMCOST" --format json analyze --only commitments --month 2026-10 >cu.json 2>cu.err
got=$(jq -c '[(.commitments.recommendations | length), (.commitments.unpriced[] | [.machine_series,
	(.fix | test("cloudbilling.googleapis.com")), .on_demand_vcpu_hours])]' cu.json)
want=$("$PYTHON" -c '
import gen
print("[0,[\"N2\",true,%d]]" % sum(sum(m[0] for m in gen.machines(h)) for h in range(gen.HOURS)))')
expect_eq "GCP N2 without prices: unpriced[] with the series, the fix and its vCPU-hours" "$got" "$want"
got=$(jq -c '[.assessment[] | select(.analysis == "commitments") | [.eligible, .assessed, (.reason | test("without a price"))]]' cu.json)
expect_eq "GCP N2 without prices: assessment[] says not assessed and why" "$got" '[[1,0,true]]'

# ---- daily lines: not assessable ------------------------------------------
export IMCOST_DB="$PWD/daily.db"
"$IMCOST" --quiet import gcp-daily.csv skus.json 2>/dev/null
"$IMCOST" --format json analyze --only commitments --month 2026-10 >cd.json 2>cd.err
got=$(jq -c '[(.commitments.recommendations | length),
	([.commitments.notes[] | select(test("longer than an hour"))] | length),
	(.assessment[] | select(.analysis == "commitments") | [.eligible, .assessed, (.fix | test("hourly"))])]' cd.json)
expect_eq "GCP N2 on daily lines: no advice, a note, not assessed with the fix" "$got" '[0,1,[1,0,true]]'
