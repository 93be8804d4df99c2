#!/bin/bash
# t-slice.sh - the tag store and slicing (issues 18 and 19):
#  - a tagged bill in each format that carries tags (legacy CUR
#    resourceTags/user:Team, CUR 2.0 resource_tags user_team, FOCUS Tags
#    "Team", Azure Tags with and without braces "team"/"TEAM", GCP
#    labels[] team), one key spelled five ways, lands in one group:
#    `analyze --group-by tag:team` equals a python decimal sum per value
#    over the generated rows, to the cent; the untagged share and the top
#    untagged resources are the rows without the tag;
#  - --filter tag:team=V and !=V, --filter provider=..., --since/--until
#    day bounds (until exclusive) give python's sums;
#  - an unknown key or value is a usage error (exit 2) with did you mean;
#  - the migration back-fills dim_tags as the import fills it, and a
#    forgotten import leaves no tag rows behind.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1
export IMCOST_DB=$TEST_DIR/slice.db

python3 - <<'PY'
import csv, json, random, sys
from decimal import Decimal
random.seed(7)
teams = ["chat", "push", "media", None]
rows = []  # (format, day, cost, team)
ccs = []   # AWS rows: (cost, cost category "Team Owner")
def pick():
    t = random.choice(teams)
    c = Decimal(random.randint(1, 99999)) / Decimal(1000)
    d = random.randint(1, 31)
    return t, c, d

# legacy CUR
with open("cur1.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["identity/TimeInterval", "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UnblendedCost", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate", "bill/PayerAccountId", "lineItem/CurrencyCode", "lineItem/ResourceId", "resourceTags/user:Team", "resourceTags/user:env", "costCategory/Team Owner"])
    for i in range(40):
        t, c, d = pick()
        cc = ["ops", "dev", ""][i % 3]
        w.writerow(["", "Usage", "2026-05-%02dT00:00:00Z" % d, str(c), "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "111111111111", "USD", "i-cur1-%d" % i, t or "", "prod", cc])
        ccs.append((str(c), cc or None))
        rows.append(("cur1", d, c, t, "i-cur1-%d" % i))
with open("cur2.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["bill_payer_account_id", "bill_billing_period_start_date", "bill_billing_period_end_date", "line_item_line_item_type", "line_item_usage_start_date", "line_item_unblended_cost", "line_item_currency_code", "line_item_resource_id", "resource_tags", "cost_category"])
    for i in range(40):
        t, c, d = pick()
        tags = {"user_env": "prod"}
        if t: tags["user_team"] = t
        cc = ["ops", "dev", ""][i % 3]
        w.writerow(["222222222222", "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "Usage", "2026-05-%02dT00:00:00Z" % d, str(c), "USD", "i-cur2-%d" % i, json.dumps(tags), json.dumps({"Team Owner": cc}) if cc else "{}"])
        ccs.append((str(c), cc or None))
        rows.append(("cur2", d, c, t, "i-cur2-%d" % i))
with open("focus.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow("BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,BillingPeriodEnd,BillingCurrency,ProviderName,BillingAccountId,ServiceName,ResourceId,Tags".split(","))
    for i in range(40):
        t, c, d = pick()
        tags = {"Team": t} if t else {}
        w.writerow([str(c), str(c), "Usage", "2026-05-%02dT00:00:00Z" % d, "2026-05-%02dT01:00:00Z" % d, "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "USD", "Acme", "focus-acct", "svc", "r-focus-%d" % i, json.dumps(tags) if tags else ""])
        rows.append(("focus", d, c, t, "r-focus-%d" % i))
with open("azure.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["SubscriptionId", "Date", "CostInBillingCurrency", "BillingCurrencyCode", "ChargeType", "MeterCategory", "ResourceId", "Tags"])
    for i in range(40):
        t, c, d = pick()
        # Azure writes Tags with and without braces
        tg = ('"team": "%s"' % t if i % 2 else '{"TEAM": "%s"}' % t) if t else ""
        w.writerow(["sub-1", "05/%02d/2026" % d, str(c), "USD", "Usage", "Storage", "/subscriptions/sub-1/r-az-%d" % i, tg])
        rows.append(("azure", d, c, t, "/subscriptions/sub-1/r-az-%d" % i))
with open("gcp.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["billing_account_id", "service.description", "usage_start_time", "usage_end_time", "cost", "currency", "invoice.month", "resource.name", "labels"])
    for i in range(40):
        t, c, d = pick()
        lab = [{"key": "env", "value": "prod"}] + ([{"key": "team", "value": t}] if t else [])
        w.writerow(["gcp-acct", "Compute Engine", "2026-05-%02dT00:00:00Z" % d, "2026-05-%02dT01:00:00Z" % d, str(c), "USD", "202605", "r-gcp-%d" % i, json.dumps(lab)])
        rows.append(("gcp", d, c, t, "r-gcp-%d" % i))
with open("ccs.json", "w") as f:
    json.dump(ccs, f)
with open("rows.json", "w") as f:
    json.dump([[a, d, str(c), t, r] for a, d, c, t, r in rows], f)
PY
for f in cur1 cur2 focus azure gcp; do
	"$IMCOST" import $f.csv >/dev/null 2>err.txt || nok "import $f" "$(head -c 300 err.txt)"
done

# check WHAT JSON: python compares the analyze JSON on stdin with rows.json
check() {
	python3 -c '
import json, sys
from decimal import Decimal as D
what = sys.argv[1]
rows = [(a, int(d), D(c), t, r) for a, d, c, t, r in json.load(open("rows.json"))]
doc = json.loads(sys.stdin.read(), parse_float=D)
s = doc["summary"]
cent = lambda x: D(x).quantize(D("0.01"))
if what == "groups":
    want = {}
    for a, d, c, t, r in rows:
        want[t] = want.get(t, D(0)) + c
    got = {g["group"]: g["billed_cost"] for g in s["groups"]}
    ok = len(got) == len(want) and all(cent(got.get(k, "NaN") if k in got else 0) == cent(v) for k, v in want.items())
    tot = sum(want.values())
    ok = ok and cent(s["billed_cost"]) == cent(tot)
    ok = ok and cent(sum(g["billed_cost"] for g in s["groups"])) == cent(tot)
    print("ok" if ok else "got %s want %s" % (sorted((str(k), str(v)) for k, v in got.items()), sorted((str(k), str(v)) for k, v in want.items())))
elif what == "untagged":
    un = [x for x in rows if x[3] is None]
    u = s["untagged"]
    share = sum(x[2] for x in un) / sum(x[2] for x in rows)
    top = sorted(un, key=lambda x: (-x[2], x[4]))[:10]
    ok = cent(u["billed_cost"]) == cent(sum(x[2] for x in un)) and abs(D(u["share"]) - share) < D("0.000001")
    ok = ok and [t["resource_id"] for t in u["top_resources"]] == [x[4] for x in top]
    ok = ok and [cent(t["effective_cost"]) for t in u["top_resources"]] == [cent(x[2]) for x in top]
    print("ok" if ok else "got %s" % json.dumps(u, default=str))
else:
    # a sum: python expression over a row (a, d, c, t, r)
    f = eval("lambda a, d, c, t, r: " + what)
    want = sum((x[2] for x in rows if f(*x)), D(0))
    print("ok" if cent(s["billed_cost"]) == cent(want) else "got %s want %s" % (s["billed_cost"], want))
' "$1"
}

an() { "$IMCOST" --format json analyze --only summary "$@" 2>err.txt; }

expect_eq "group-by tag:team over five formats, per value, to the cent" \
	"$(an --group-by tag:team | check groups)" ok
expect_eq "the tag key is folded: tag:USER:Team groups the same" \
	"$(an --group-by tag:USER:Team | jq -c '[.summary.groups[] | .group]')" \
	"$(an --group-by tag:team | jq -c '[.summary.groups[] | .group]')"
expect_eq "untagged share and top untagged resources" "$(an --group-by tag:team | check untagged)" ok
expect_eq "groups: the untagged group is null" \
	"$(an --group-by tag:team | jq '[.summary.groups[] | select(.group == null)] | length')" 1
expect_eq "--filter tag:team=chat" "$(an --filter tag:team=chat | check 't == "chat"')" ok
expect_eq "--filter tag:team!=chat (untagged included)" "$(an --filter tag:team!=chat | check 't != "chat"')" ok
expect_eq "--filter tag:Team=push --filter provider=AWS" \
	"$(an --filter tag:Team=push --filter provider=AWS | check 't == "push" and a in ("cur1", "cur2")')" ok
expect_eq "--since 2026-05-10 --until 2026-05-20 (until exclusive)" \
	"$(an --since 2026-05-10 --until 2026-05-20 | check '10 <= d < 20')" ok
expect_eq "--since 2026-05-31" "$(an --since 2026-05-31 | check 'd >= 31')" ok
expect_eq "--until 2026-05-02 with a filter" \
	"$(an --until 2026-05-02 --filter tag:team!=media | check 'd < 2 and t != "media"')" ok
expect_eq "sliced: the other analyses say the filter is not applied" \
	"$("$IMCOST" --format json analyze --only summary,anomalies --filter tag:team=chat 2>/dev/null | jq -r '.slice.not_applied[0].note')" \
	"filter not applied: this analysis reads whole billing periods of every charge"
# the table form: a groups section with a Total row
"$IMCOST" analyze --only summary --group-by tag:team >t.txt 2>&1
expect_eq "table: a Cost by tag:team section with a Total row, then the untagged line" \
	"$(awk '/^Cost by tag:team$/ { s = 1 } s && /^Total / { print "total"; s = 0 }
		/Untagged \(tag:team\)/ { print "untagged" }' t.txt | tr '\n' ' ')" "total untagged "

# AWS cost categories (legacy costCategory/NAME columns, CUR 2.0's
# cost_category map) are tags costCategory:NAME
expect_eq "cost categories of legacy CUR and CUR 2.0 group as one key" \
	"$(an --group-by 'tag:costCategory/Team Owner' --filter provider=AWS | python3 -c '
import json, sys; from decimal import Decimal as D
doc = json.loads(sys.stdin.read(), parse_float=D)
got = {g["group"]: g["billed_cost"].quantize(D("0.01")) for g in doc["summary"]["groups"]}
want = {}
for c, cc in json.load(open("ccs.json")):
    want[cc] = want.get(cc, D(0)) + D(c)
want = {k: v.quantize(D("0.01")) for k, v in want.items()}
print("ok" if got == want else "got %s want %s" % (got, want))')" ok

# report --group-by --filter: the groups section, its CSV equal to python
"$IMCOST" report --month 2026-05 --group-by tag:team --filter provider=AWS --no-charts --out rep >/dev/null 2>err.txt
expect_eq "report --group-by tag:team --filter provider=AWS: cost-by-group.csv" \
	"$(python3 -c '
import csv, json; from decimal import Decimal as D
want = {}
for a, d, c, t, r in json.load(open("rows.json")):
    if a in ("cur1", "cur2"):
        want[t or ""] = want.get(t or "", D(0)) + D(c)
got = {x["group"]: D(x["billed_cost"]) for x in csv.DictReader(open("rep/cost-by-group.csv"))}
print("ok" if got == want else "got %s want %s" % (got, want))')" ok
expect_eq "report: the filter is named, and the untagged share" \
	"$(grep -c 'Only charges with provider=AWS\|Charges without tag:team' rep/report.md)" 2
"$IMCOST" report --month 2026-05 --since 2026-05-02 --out rep2 >/dev/null 2>&1; rc=$?
expect_eq "report --since: a usage error" "$rc" 2

# usage errors
an --group-by tag:teem >/dev/null; rc=$?
expect_eq "an unknown tag: exit 2" "$rc" 2
expect_eq "an unknown tag: did you mean" "$(grep -c "no charge has the tag 'teem' (did you mean tag:team?)" err.txt)" 1
an --group-by servce >/dev/null; rc=$?
expect_eq "an unknown key: exit 2 with did you mean" "$rc $(grep -c 'did you mean service' err.txt)" "2 1"
an --filter tag:team=chta >/dev/null; rc=$?
expect_eq "an unknown value: exit 2 with did you mean" "$rc $(grep -c 'did you mean chat' err.txt)" "2 1"
an --since 2026-13-01 >/dev/null; rc=$?
expect_eq "a bad day: exit 2" "$rc" 2

# --month this / last: the current month (UTC) and the one before
this=$(date -u +%Y-%m); last=$(python3 -c 'import datetime as d; t = d.datetime.now(d.timezone.utc).replace(day=1) - d.timedelta(days=1); print(t.strftime("%Y-%m"))')
an --month this >/dev/null; rc=$?
expect_eq "--month this is $this" "$rc $(grep -c "no charges for $this" err.txt)" "1 1"
an --month last >/dev/null; rc=$?
expect_eq "--month last is $last" "$rc $(grep -c "no charges for $last" err.txt)" "1 1"

# the migration's back-fill is the import's fill
# (per charge: the ids of the tag sets differ)
TAGS_OF_CHARGES="SELECT f.id, t.key_fold, t.key, t.value FROM charge_facts f JOIN dim_tags t
	ON t.tag_set_id = f.tag_set_id ORDER BY 1, 2"
sqlite3 "$IMCOST_DB" "$TAGS_OF_CHARGES" >fill.txt
cp "$IMCOST_DB" old.db
# back to schema version 3, before the tag store: the import migrates it
# through every version (8 fills the store with json_each, 10 keys it by
# tag set)
as_schema3 old.db
"$IMCOST" --db old.db import gcp.csv >/dev/null 2>&1	# unchanged file: migrates only
sqlite3 old.db "$TAGS_OF_CHARGES" >mig.txt
if [ -s fill.txt ] && cmp -s fill.txt mig.txt; then ok "migration back-fills dim_tags as the import fills it"
else nok "migration back-fills dim_tags as the import fills it" "$(cmp fill.txt mig.txt 2>&1)"; fi
# forget removes the tags of the dims rows it removes
id=$(sqlite3 "$IMCOST_DB" "SELECT id FROM imports WHERE path LIKE '%focus.csv'")
"$IMCOST" forget "$id" >/dev/null 2>&1
expect_eq "forget leaves no tag rows without their tag set, no tag set without a charge" \
	"$(sqlite3 "$IMCOST_DB" "SELECT (SELECT COUNT(*) FROM dim_tags WHERE tag_set_id NOT IN (SELECT id FROM tag_sets)),
		(SELECT COUNT(*) FROM tag_sets WHERE id NOT IN (SELECT tag_set_id FROM charge_facts WHERE tag_set_id IS NOT NULL)
		AND id NOT IN (SELECT tag_set_id FROM replaced_charges WHERE tag_set_id IS NOT NULL))")" "0|0"
expect_eq "after forget, the group-by is the other four formats" \
	"$(an --group-by tag:team | jq -r '.summary.billed_cost')" \
	"$(python3 -c '
import json; from decimal import Decimal as D
print(sum(D(c) for a, d, c, t, r in json.load(open("rows.json")) if a != "focus").normalize())')"
