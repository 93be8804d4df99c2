#!/bin/bash
# t-allocation.sh - analyze --allocation FILE (issue 19): a tagged bill in
# each format that carries tags (AWS CUR legacy, March; FOCUS, April; CUR
# 2.0 with its resource_tags and product maps, May; Azure with Tags with
# and without braces, June; GCP with labels[], July) and usage rows under
# resource_id feature:VALUE, generated here; the expected allocation is
# computed below in Python with decimal (first-match rules with globs
# compared case-insensitively, tag keys folded, each split method, the
# largest remainder on nanos) and compared with imcost's JSON to the
# micro-unit (the JSON's 6 decimals); rules_used lists the rule that
# matches nothing with 0; bad rules files give FILE:LINE:COL errors and
# leave the database untouched.  `--group-by tag:feature` of each month
# equals python's per-value sums, through the same tag store.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1

"$PYTHON" - <<'PY'
import csv, json, random
from decimal import Decimal
rnd = random.Random(19)

def money():
    # up to 9 decimals, some with fewer
    return Decimal(rnd.randint(1, 50_000_000)) / Decimal(10) ** rnd.choice([2, 6, 9])

rules = {
  "key": "feature",
  "notes": "test rules",
  "rules": [
    {"value": "messaging", "match": {"tag:feature": ["MSG*", "messaging"]}},
    {"value": "media", "match": {"tag:feature": "media", "service": ["AmazonS3", "*storage*"]}},
    {"value": "media", "match": {"tag:component": "media*"}},
    {"value": "push", "match": {"tag:feature": "push"}},
    {"value": "gateway", "match": {"resource": "i-gw*"}},
    {"value": "ghost", "match": {"region": "mars-*"}},
    {"shared": "tax", "match": {"charge_category": "tax"}, "split": "fixed",
     "ratios": {"messaging": 3, "media": 1.5, "push": 0.25}},
    {"shared": "support", "match": {"service": "*support*"}, "split": "proportional"},
    {"shared": "transfer", "match": {"usage_type": "*DataTransfer*", "tag:feature": ""},
     "split": "metric", "metric": "messages"},
    {"shared": "office", "match": {"account": "222"}, "split": "even"},
    {"shared": "orphan", "match": {"region": "eu-west-9"}, "split": "metric", "metric": "nothing"},
  ]}
json.dump(rules, open("rules.json", "w"), indent=1)

charges = []   # (month, currency, fields dict, tags dict (folded key -> value), cost)

# ---- AWS CUR legacy, 2026-03
hdr = ["identity/LineItemId", "lineItem/LineItemType", "lineItem/UsageStartDate",
       "lineItem/UsageEndDate", "lineItem/UsageAccountId", "lineItem/ProductCode",
       "product/ProductName", "lineItem/UsageType", "product/region", "lineItem/ResourceId",
       "lineItem/UnblendedCost", "lineItem/CurrencyCode", "bill/BillingPeriodStartDate",
       "bill/BillingPeriodEndDate", "bill/PayerAccountId", "resourceTags/user:feature",
       "resourceTags/user:Component"]
services = [("AmazonEC2", "Amazon Elastic Compute Cloud", "BoxUsage:m5.large"),
            ("AmazonEC2", "Amazon Elastic Compute Cloud", "USE1-DataTransfer-Out-Bytes"),
            ("AmazonS3", "Amazon Simple Storage Service", "TimedStorage-ByteHrs"),
            ("AmazonSNS", "Amazon Simple Notification Service", "Requests-Tier1"),
            ("AWSSupportBusiness", "AWS Support (Business)", "Dollar")]
feats = ["", "", "msg-router", "Messaging", "media", "MEDIA", "push", "other"]
comps = ["", "", "media-store", "Media-Thumbs", "gw"]
rows = []
for i in range(400):
    code, name, ut = rnd.choice(services)
    kind = rnd.choice(["Usage"] * 8 + ["Tax", "Credit"])
    cost = money()
    if kind == "Credit":
        cost = -cost
    acct = rnd.choice(["111", "222"])
    region = rnd.choice(["us-east-1", "eu-west-9", "ap-east-1"])
    res = rnd.choice(["", "i-GW-%d" % i, "i-%08x" % i, "bucket-%d" % (i % 7)])
    f, c = rnd.choice(feats), rnd.choice(comps)
    if kind == "Tax":
        res, f, c, region = "", "", "", ""
    day = 1 + i % 28
    rows.append([str(i), kind, "2026-03-%02dT00:00:00Z" % day, "2026-03-%02dT01:00:00Z" % day,
                 acct, code, name, ut, region, res, str(cost), "USD",
                 "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "999", f, c])
    tags = {}
    if f: tags["feature"] = f
    if c: tags["component"] = c
    charges.append(("2026-03", "USD", {"provider": "AWS", "category": kind, "service": [name, code],
                    "usage_type": ut, "region": region, "account": ["999", acct],
                    "resource": res}, tags, cost))
with open("cur.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(hdr)
    w.writerows(rows)

# ---- FOCUS, 2026-04 (an Azure-like provider), one EUR row
fhdr = ["BilledCost", "EffectiveCost", "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd",
        "BillingPeriodStart", "BillingPeriodEnd", "BillingCurrency", "ProviderName",
        "BillingAccountId", "SubAccountId", "ServiceName", "RegionId", "ResourceId",
        "x_UsageType", "Tags"]
fsv = [("Storage", "Blob-Storage"), ("Virtual Machines", "D2s v3"),
       ("Bandwidth", "Zone1-DataTransfer-Out"), ("Azure Support", "Plan")]
frows = []
for i in range(300):
    svc, ut = rnd.choice(fsv)
    cat = rnd.choice(["Usage"] * 9 + ["Tax"])
    cost = money()
    cur = "EUR" if i == 7 else "USD"
    acct = rnd.choice(["111", "222", "333"])
    region = rnd.choice(["westeurope", "eu-west-9"])
    res = rnd.choice(["", "/subscriptions/x/vm/i-gw%d" % i, "/subscriptions/x/disk/%d" % i])
    tags = {}
    f = rnd.choice(["", "push", "Msg-Fanout", "media", "media"])
    c = rnd.choice(["", "media-x", "other"])
    # FOCUS tag keys in other spellings: Feature, COMPONENT
    tj = {}
    if f: tj["Feature"] = f; tags["feature"] = f
    if c: tj["COMPONENT"] = c; tags["component"] = c
    day = 1 + i % 28
    frows.append([str(cost), str(cost), cat, "2026-04-%02dT00:00:00Z" % day,
                  "2026-04-%02dT01:00:00Z" % day, "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z",
                  cur, "Microsoft", "999", acct, svc, region, res, ut,
                  json.dumps(tj) if tj else ""])
    charges.append(("2026-04", cur, {"provider": "Microsoft", "category": cat, "service": [svc],
                    "usage_type": ut, "region": region, "account": ["999", acct],
                    "resource": res}, tags, cost))
with open("focus.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(fhdr)
    w.writerows(frows)

def tagged(keys):
    # (feature, component) picked at random, their folded tags, and the
    # provider's own spelling of them (keys: the two key names)
    f = rnd.choice(["", "push", "Msg-Fanout", "media", "MEDIA", "messaging", "other"])
    c = rnd.choice(["", "media-x", "Media-Thumbs", "other"])
    tags, own = {}, {}
    if f: tags["feature"] = f; own[keys[0]] = f
    if c: tags["component"] = c; own[keys[1]] = c
    return tags, own

# ---- AWS CUR 2.0, 2026-05: snake_case columns, resource_tags and product maps
c2hdr = ["identity_line_item_id", "line_item_line_item_type", "line_item_usage_start_date",
         "line_item_usage_end_date", "line_item_usage_account_id", "line_item_product_code",
         "line_item_usage_type", "product_region_code", "line_item_resource_id",
         "line_item_unblended_cost", "line_item_currency_code", "bill_billing_period_start_date",
         "bill_billing_period_end_date", "bill_payer_account_id", "product", "resource_tags"]
c2rows = []
for i in range(300):
    code, name, ut = rnd.choice(services)
    kind = rnd.choice(["Usage"] * 8 + ["Tax", "Credit"])
    cost = money()
    if kind == "Credit":
        cost = -cost
    acct = rnd.choice(["111", "222"])
    region = rnd.choice(["us-east-1", "eu-west-9", "ap-east-1"])
    res = rnd.choice(["", "i-gw-%d" % i, "i-%08x" % i, "bucket-%d" % (i % 7)])
    tags, own = tagged(["user_feature", "user_component"])
    if kind == "Tax":
        res, region, tags, own = "", "", {}, {}
    day = 1 + i % 28
    c2rows.append([str(i), kind, "2026-05-%02dT00:00:00Z" % day, "2026-05-%02dT01:00:00Z" % day,
                   acct, code, ut, region, res, str(cost), "USD", "2026-05-01T00:00:00Z",
                   "2026-06-01T00:00:00Z", "999", json.dumps({"product_name": name}),
                   json.dumps(own) if own else "{}"])
    charges.append(("2026-05", "USD", {"provider": "AWS", "category": kind, "service": [name, code],
                    "usage_type": ut, "region": region, "account": ["999", acct],
                    "resource": res}, tags, cost))
with open("cur2.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(c2hdr)
    w.writerows(c2rows)

# ---- Azure cost details, 2026-06: Tags with and without braces
ahdr = ["BillingAccountId", "SubscriptionId", "Date", "CostInBillingCurrency",
        "BillingCurrencyCode", "ChargeType", "MeterCategory", "MeterName", "ResourceLocation",
        "ResourceId", "Tags"]
asv = [("Storage", "Hot LRS Data Stored"), ("Virtual Machines", "D2s v3"),
       ("Bandwidth", "Zone1-DataTransfer-Out"), ("Azure Support", "Standard Support Plan")]
arows = []
for i in range(300):
    svc, meter = rnd.choice(asv)
    kind = rnd.choice(["Usage"] * 9 + ["Tax"])
    cost = money()
    sub = rnd.choice(["111", "222", "333"])
    res = rnd.choice(["", "i-gw-az-%d" % i, "/subscriptions/%s/disks/d%d" % (sub, i)])
    tags, own = tagged(["Feature", "COMPONENT"])
    body = json.dumps(own)
    day = 1 + i % 28
    arows.append(["999", sub, "06/%02d/2026" % day, str(cost), "USD", kind, svc, meter,
                  "westeurope", res, (body if i % 2 else body[1:-1]) if own else ""])
    charges.append(("2026-06", "USD", {"provider": "Microsoft", "category": kind, "service": [svc],
                    "usage_type": meter, "region": "westeurope", "account": ["999", sub],
                    "resource": res}, tags, cost))
with open("azure.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(ahdr)
    w.writerows(arows)

# ---- GCP billing export (CSV with the repeated labels as JSON), 2026-07
ghdr = ["billing_account_id", "project.id", "service.description", "sku.description",
        "usage_start_time", "usage_end_time", "location.region", "cost", "currency",
        "invoice.month", "cost_type", "resource.name", "labels"]
gsv = [("Cloud Storage", "Standard Storage"), ("Compute Engine", "N2 Instance Core"),
       ("Networking", "Network Internet DataTransfer Out"), ("Support", "Enhanced Support")]
grows = []
for i in range(300):
    svc, sku = rnd.choice(gsv)
    kind = rnd.choice(["regular"] * 9 + ["tax"])
    cost = money()
    proj = rnd.choice(["111", "222", "chat-prod"])
    region = rnd.choice(["europe-west1", "eu-west-9"])
    res = rnd.choice(["", "i-gw-gcp-%d" % i, "projects/p/disks/d%d" % i])
    tags, own = tagged(["feature", "component"])
    day = 1 + i % 28
    grows.append(["gcp-bill", proj, svc, sku, "2026-07-%02dT00:00:00Z" % day,
                  "2026-07-%02dT01:00:00Z" % day, region, str(cost), "USD", "202607", kind, res,
                  json.dumps([{"key": k, "value": v} for k, v in own.items()])])
    charges.append(("2026-07", "USD", {"provider": "Google Cloud",
                    "category": {"regular": "Usage", "tax": "Tax"}[kind], "service": [svc],
                    "usage_type": sku, "region": region, "account": ["gcp-bill", proj],
                    "resource": res}, tags, cost))
with open("gcp.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(ghdr)
    w.writerows(grows)

# ---- usage under feature:VALUE (messages: integers, per day)
usage = {}
with open("usage.csv", "w") as fh:
    fh.write("timestamp,resource_id,metric,value\n")
    for month in ("2026-03", "2026-04", "2026-05", "2026-06", "2026-07"):
        for v in ("messaging", "push", "media"):
            for day in (2, 9):
                n = rnd.randint(1, 10**7)
                if v == "media" and month == "2026-04":
                    continue
                fh.write("%s-%02dT00:00:00Z,feature:%s,messages,%d\n" % (month, day, v, n))
                usage[(month, v)] = usage.get((month, v), 0) + n
        fh.write("%s-03T00:00:00Z,feature:media,media_gb,12.5\n" % month)

json.dump({"charges": [[m, c, f, t, str(x)] for m, c, f, t, x in charges],
           "usage": [[m, v, n] for (m, v), n in usage.items()]}, open("model.json", "w"))
PY

"$IMCOST" import cur.csv focus.csv cur2.csv azure.csv gcp.csv usage.csv >/dev/null 2>import.err ||
	nok "import the generated bill" "$(head -c 300 import.err)"

# expected.py MONTHS...: the allocation of those months, as imcost's JSON
# would print it (money rounded to 6 decimals, half away from zero)
cat >expected.py <<'PY'
import json, sys
from decimal import Decimal, ROUND_HALF_UP, ROUND_FLOOR
from fnmatch import fnmatchcase
months = set(sys.argv[1:])
rules = json.load(open("rules.json"))
model = json.load(open("model.json"))
NANO = Decimal("0.000000001")

def nanos(x):
    return int((Decimal(x) / NANO).to_integral_value())

def glob_any(globs, s):
    globs = globs if isinstance(globs, list) else [globs]
    return any(fnmatchcase((s or "").lower(), g.lower()) for g in globs)

def holds(field, globs, f, tags):
    if field.startswith("tag:"):
        return glob_any(globs, tags.get(field[4:].lower(), ""))
    key = {"charge_category": "category"}.get(field, field)
    v = f[key]
    return any(glob_any(globs, x) for x in v) if isinstance(v, list) else glob_any(globs, v)

def match(f, tags):
    for i, r in enumerate(rules["rules"]):
        if all(holds(k, g, f, tags) for k, g in r["match"].items()):
            return i
    return -1

sel = [c for c in model["charges"] if c[0] in months]
bycur = {}
for c in sel:
    bycur[c[1]] = bycur.get(c[1], 0) + nanos(c[4])
cur = max(bycur, key=lambda k: bycur[k])
R = rules["rules"]
n = [0] * len(R); cost = [0] * len(R)
unalloc = unalloc_n = grand = 0
for m, ccy, f, tags, x in sel:
    if ccy != cur:
        continue
    x = nanos(x); grand += x
    i = match(f, tags)
    if i < 0:
        unalloc += x; unalloc_n += 1
    else:
        n[i] += 1; cost[i] += x
values = []
for r in R:
    if "value" in r and r["value"] not in values:
        values.append(r["value"])
direct = {v: 0 for v in values}; charges = {v: 0 for v in values}; shared = {v: 0 for v in values}
for i, r in enumerate(R):
    if "value" in r:
        direct[r["value"]] += cost[i]; charges[r["value"]] += n[i]

def lr(total, w):
    W = sum(w)
    T = abs(total)
    parts = [T * x // W for x in w]
    rem = [T * x % W for x in w]
    left = T - sum(parts)
    order = sorted(range(len(w)), key=lambda i: (-rem[i], i))
    for i in order[:left]:
        parts[i] += 1
    if total < 0:
        parts = [-p for p in parts]
    assert sum(parts) == total   # exact to the nano
    return parts

usage = {}
for m, v, q in model["usage"]:
    if m in months:
        usage[v] = usage.get(v, 0) + q
splits = []; unsplit = []
for i, r in enumerate(R):
    if "shared" not in r or n[i] == 0:
        continue
    s = r.get("split", "proportional")
    if s == "proportional":
        w = [max(direct[v], 0) for v in values]
    elif s == "even":
        w = [1 if charges[v] > 0 else 0 for v in values]
    elif s == "fixed":
        w = [int((Decimal(str(r["ratios"].get(v, 0))) * 10**6).to_integral_value()) for v in values]
    else:
        w = [usage.get(v, 0) * 1000 if r["metric"] == "messages" else 0 for v in values]
    if sum(w) == 0:
        unsplit.append((r["shared"], cost[i]))
        splits.append({"shared": r["shared"], "split": s, "cost": cost[i], "parts": None})
        continue
    p = lr(cost[i], w)
    for v, x in zip(values, p):
        shared[v] += x
    splits.append({"shared": r["shared"], "split": s, "cost": cost[i],
                   "parts": [{"value": v, "amount": x} for v, x in zip(values, p) if x != 0]})
rows = [{"value": v, "kind": "allocated", "direct_cost": direct[v], "shared_cost": shared[v],
         "total_cost": direct[v] + shared[v]} for v in values if charges[v] or shared[v]]
rows += [{"value": s, "kind": "unsplit_shared", "direct_cost": 0, "shared_cost": x,
          "total_cost": x} for s, x in unsplit]
out = {"currency": cur, "total_cost": grand, "rows": rows,
       "unallocated": {"cost": unalloc, "charges": unalloc_n},
       "rules_used": [{"index": i, "charges": n[i], "cost": cost[i]} for i in range(len(R))],
       "splits": splits}
json.dump(out, sys.stdout)
PY

# compare.py EXPECTED GOT: one line per difference, "same" when none
cat >compare.py <<'PY'
import json, sys
from decimal import Decimal, ROUND_HALF_UP
exp = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]), parse_float=Decimal, parse_int=Decimal)["allocation"]
bad = []
def m6(nanos):
    return (Decimal(nanos) / Decimal(10**9)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
def same(what, want_nanos, g):
    if g is None or Decimal(g) != m6(want_nanos):
        bad.append("%s: got %s, want %s" % (what, g, m6(want_nanos)))
if got["currency"] != exp["currency"]:
    bad.append("currency %s" % got["currency"])
same("total_cost", exp["total_cost"], got["total_cost"])
grows = {r["value"]: r for r in got["rows"]}
if sorted(grows) != sorted(r["value"] for r in exp["rows"]):
    bad.append("row values %s, want %s" % (sorted(grows), sorted(r["value"] for r in exp["rows"])))
for r in exp["rows"]:
    g = grows.get(r["value"], {})
    if g.get("kind") != r["kind"]:
        bad.append("%s kind %s" % (r["value"], g.get("kind")))
    for k in ("direct_cost", "shared_cost", "total_cost"):
        same("%s.%s" % (r["value"], k), r[k], g.get(k))
    want_share = Decimal(r["total_cost"]) / Decimal(exp["total_cost"])
    if g.get("share") is None or abs(Decimal(g["share"]) - want_share) > Decimal("0.000001"):
        bad.append("%s.share %s, want %s" % (r["value"], g.get("share"), want_share))
tot = [Decimal(r["total_cost"]) for r in got["rows"]]
same("unallocated.cost", exp["unallocated"]["cost"], got["unallocated"]["cost"])
if got["unallocated"]["charges"] != exp["unallocated"]["charges"]:
    bad.append("unallocated.charges %s" % got["unallocated"]["charges"])
for e, g in zip(exp["rules_used"], got["rules_used"]):
    if g["index"] != e["index"] or g["charges"] != e["charges"]:
        bad.append("rule %d charges %s, want %s" % (e["index"], g["charges"], e["charges"]))
    same("rule %d cost" % e["index"], e["cost"], g["cost"])
if len(got["rules_used"]) != len(exp["rules_used"]):
    bad.append("rules_used has %d entries" % len(got["rules_used"]))
if len(got["splits"]) != len(exp["splits"]):
    bad.append("splits has %d entries, want %d" % (len(got["splits"]), len(exp["splits"])))
for e, g in zip(exp["splits"], got["splits"]):
    if (g["shared"], g["split"]) != (e["shared"], e["split"]):
        bad.append("split %s/%s" % (g["shared"], g["split"]))
    same("split %s cost" % e["shared"], e["cost"], g["cost"])
    if e["parts"] is None:
        if g["parts"] is not None:
            bad.append("split %s should not be split" % e["shared"])
        continue
    gp = {p["value"]: p["amount"] for p in g["parts"] or []}
    if sorted(gp) != sorted(p["value"] for p in e["parts"]):
        bad.append("split %s parts %s" % (e["shared"], sorted(gp)))
    for p in e["parts"]:
        same("split %s part %s" % (e["shared"], p["value"]), p["amount"], gp.get(p["value"]))
print("\n".join(bad) if bad else "same")
PY

check_months() {
	local name=$1; shift
	local mflag=()
	[ "$#" = 1 ] && mflag=(--month "$1")
	if ! "$IMCOST" analyze --allocation rules.json --only allocation --format json "${mflag[@]}" \
		>got.json 2>err.txt; then
		nok "$name: analyze --allocation" "$(head -c 300 err.txt)"
		return
	fi
	"$PYTHON" expected.py "$@" >exp.json
	expect_eq "$name: the allocation as computed with decimal" "$("$PYTHON" compare.py exp.json got.json)" same
}
check_months "CUR, March" 2026-03
check_months "FOCUS, April" 2026-04
check_months "CUR 2.0, May" 2026-05
check_months "Azure, June" 2026-06
check_months "GCP, July" 2026-07
check_months "all five months" 2026-03 2026-04 2026-05 2026-06 2026-07

# --group-by tag:feature: python's sums per value of the folded key (null:
# the charges without it), to the cent, and the groups add up to the total
for m in 2026-03 2026-05 2026-06 2026-07; do
	"$IMCOST" analyze --only summary --group-by tag:feature --month $m --format json >g.json 2>err.txt
	got=$("$PYTHON" - "$m" <<'PY'
import json, sys
from decimal import Decimal as D
m = sys.argv[1]
want = {}
for mm, ccy, f, tags, x in json.load(open("model.json"))["charges"]:
    if mm == m:
        k = tags.get("feature")
        want[k] = want.get(k, D(0)) + D(x)
s = json.load(open("g.json"), parse_float=D)["summary"]
got = {g["group"]: D(g["effective_cost"]) for g in s["groups"]}
c = lambda x: x.quantize(D("0.01"))
bad = [k for k in set(want) | set(got) if k not in got or k not in want or c(got[k]) != c(want[k])]
if c(sum(got.values())) != c(sum(want.values())) or c(D(s["effective_cost"])) != c(sum(want.values())):
    bad.append("total")
print("same" if not bad else "differ: %s got %s want %s" % (bad, {k: str(v) for k, v in got.items()}, {k: str(v) for k, v in want.items()}))
PY
)
	expect_eq "group-by tag:feature, $m: python's per-value sums to the cent" "$got" same
done

"$IMCOST" analyze --allocation rules.json --only allocation --format json >got.json 2>/dev/null
expect_eq "the rule that matches nothing is listed with 0 charges" \
	"$(jq -c '.allocation.rules_used[5] | [.value, .charges, .cost]' got.json)" '["ghost",0,0]'
expect_eq "a split without anything to spread over stays a row of its own" \
	"$(jq -c '[.allocation.rows[] | select(.kind == "unsplit_shared") | .value]' got.json)" '["orphan"]'
expect_eq "the other currency is not added, and a note says so" \
	"$(jq -r '[.allocation.notes[] | select(test("in EUR .* not allocated"))] | length' got.json)" 1
expect_eq "unit costs per value from the usage under feature:VALUE" \
	"$(jq -c '[.allocation.unit_costs[] | select(.value == "media") | .metric] | sort' got.json)" \
	'["media_gb","messages"]'
# every money figure adds up: rows + unallocated = total (in the JSON's micro-units, each
# rounded once: at most half a micro-unit each)
expect_eq "rows and unallocated add up to the total" \
	"$(jq -r '.allocation | ((([.rows[].total_cost] | add) + .unallocated.cost - .total_cost) | fabs) < 0.00001' got.json)" true

# table form: a Total row and the unallocated line
"$IMCOST" analyze --allocation rules.json --only allocation --month 2026-03 >table.txt 2>&1
expect_eq "table: the allocation has a Total row and an Unallocated line" \
	"$(grep -c '^Total \|^  Unallocated ' table.txt)" 2

# report --allocation: the section, its CSV (exact amounts, equal to analyze's JSON) and chart
if "$IMCOST" report --month 2026-03 --allocation rules.json --no-charts --out rep >/dev/null 2>err.txt; then
	expect_eq "report: an allocation section" "$(grep -c '^## Allocation by feature$' rep/report.md)" 1
	"$IMCOST" analyze --allocation rules.json --only allocation --month 2026-03 --format json >m.json 2>/dev/null
	expect_eq "report: allocation.csv holds analyze's rows" \
		"$(tail -n +2 rep/allocation.csv | cut -d, -f1,3,4,5 | sort)" \
		"$(jq -r '.allocation.rows[] | [.value, .direct_cost, .shared_cost, .total_cost] | map(tostring) | join(",")' m.json | sort)"
	expect_eq "report: the allocation chart's data and script" \
		"$(ls rep/allocation.dat rep/allocation.gp 2>/dev/null | wc -l)" 2
else
	nok "report --allocation runs" "$(head -c 300 err.txt)"
fi

# the IM rules file shipped in data/ parses and runs
if "$IMCOST" analyze --allocation "$ROOT/data/allocation-im.json" --only allocation --format json \
	>im.json 2>err.txt; then
	expect_eq "data/allocation-im.json: media takes the S3 charges tagged media" \
		"$(jq -r '.allocation.rows | map(select(.value == "media")) | length' im.json)" 1
else
	nok "data/allocation-im.json runs" "$(head -c 300 err.txt)"
fi

# ---- bad rules files: FILE:LINE:COL, exit 1, database untouched
before=$(db_fingerprint)
bad_rules() {	# NAME WANT-REGEX JSON
	printf '%s' "$3" >bad.json
	"$IMCOST" analyze cur.csv --allocation bad.json --only allocation >/dev/null 2>err.txt
	local rc=$?
	if [ "$rc" = 1 ] && grep -Eq "$2" err.txt && [ "$(wc -l <err.txt)" = 1 ]; then
		ok "bad rules: $1"
	else
		nok "bad rules: $1" "exit $rc: $(head -c 300 err.txt)"
	fi
}
bad_rules "unknown match field, did you mean" \
	"^imcost: bad.json:3:28: rules\[0\]\.match: unknown field 'servce' \(did you mean 'service'\?\)$" \
	'{"key": "feature",
 "rules": [
  {"value": "a", "match": {"servce": "x"}}]}'
bad_rules "unknown rule field" \
	"^imcost: bad.json:2:31: rules\[0\]: unknown field 'valeu' \(did you mean 'value'\?\)$" \
	'{"key": "feature", "rules": [
 {"match": {}, "shared": "s", "valeu": 1}]}'
bad_rules "unknown split" \
	"^imcost: bad.json:1:75: rules\[0\]: split: 'evenly' is not proportional, even, fixed or metric$" \
	'{"key": "k", "rules": [{"shared": "s", "match": {"region": "x"}, "split": "evenly"}]}'
bad_rules "a ratio naming no value" \
	"^imcost: bad.json:4:14: rules\[1\]\.ratios: 'mesaging' is not the value of any rule \(did you mean 'messaging'\?\)$" \
	'{"key": "k", "rules": [
 {"value": "messaging", "match": {}},
 {"shared": "s", "match": {}, "split": "fixed",
  "ratios": {"mesaging": 1}}]}'
bad_rules "not JSON" "^imcost: bad.json:1:13: not valid JSON$" '{"key": "k",
'
bad_rules "a duplicate key" "^imcost: bad.json:1:14: .*key" '{"key": "k", "key": "j", "rules": []}'
bad_rules "no key" "^imcost: bad.json:1:1: allocation rules: missing \"key\"" '{"rules": []}'
bad_rules "metric without a metric" "^imcost: bad.json:1:24: rules\[0\]: split metric wants \"metric\"" \
	'{"key": "k", "rules": [{"shared": "s", "match": {}, "split": "metric"}]}'
expect_eq "bad rules: the database is untouched (the FILE was not imported)" "$(db_fingerprint)" "$before"
expect_status "--only allocation without --allocation is a usage error" 2 \
	"$IMCOST" analyze --only allocation
