#!/bin/bash
# t-security.sh - hostile text in bills, profiles and the database never
# runs a command, and no planted link in an output directory is followed
# (issue 25).
#
#  - import: a currency code carrying a newline, quotes, '!', system(...),
#    backquotes (or just not three capital letters) is refused in every
#    format that has a currency (AWS CUR legacy and 2.0, FOCUS, Azure, GCP
#    CSV and JSON lines, Alibaba and Tencent in English and Chinese): exit
#    1, the exact FILE:LINE:COL message (its position and quoting computed
#    here by Python), the database unchanged;
#  - profiles: the same currencies, and control characters in names, are
#    refused by vendors and levers with FILE:LINE:COL;
#  - bypassing import: the same texts written straight into the database
#    with sqlite3 (currency, services, regions, resources, accounts,
#    instance types, tags) - and into PostgreSQL with psql when a server
#    can be started (as t-engines.sh does) - then `report` draws its charts
#    with the real gnuplot and every payload would create a marker file:
#    none is created; a vendor catalog with such vendor names, through
#    `vendors --sweep --chart`, neither;
#  Run against the binary before this fix, every check here fails: the
#  report and the PostgreSQL report create the markers.
#  - outputs: with a symbolic link planted at the name of every file report
#    writes (and at the old .tmp name), the link targets are untouched and
#    the links replaced by regular files; an --out that is itself a link is
#    refused unless --follow-out-link; vendors --chart replaces a planted
#    link the same way.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1
FIX="$ROOT/tests/fixtures"
export SOURCE_DATE_EPOCH=1793491200

# ---------------------------------------------------------------------------
# 1. crafted currencies at import
# ---------------------------------------------------------------------------
mkdir -p craft
"$PYTHON" - "$FIX" craft >craft/list.txt <<'PY'
import csv, io, json, os, sys
fix, out = sys.argv[1], sys.argv[2]
payloads = ["'\n!touch P;#", '"\n!touch P', "!touch P", "system('touch P')",
            "`touch P`", "US D", "usd", "EURO", "\\x27"]

def quote(s):
    # what imcost's ic_quote prints: control bytes, DEL and backslash as \xNN
    b = s.encode()
    return "".join("\\x%02x" % c if c < 0x20 or c == 0x7f or c == 0x5c else chr(c) for c in b)

def write_csv(path, header, rows, enc="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    open(path, "w", encoding=enc, newline="").write(buf.getvalue())

def read_csv(path):
    r = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    return r[0], r[1:]

cur_legacy = (["identity/LineItemId", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
               "bill/BillingPeriodEndDate", "lineItem/LineItemType", "lineItem/UsageStartDate",
               "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UnblendedCost",
               "lineItem/CurrencyCode"],
              ["1", "111111111111", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "Usage",
               "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z", "AmazonEC2", "1.50", "USD"])
cur2 = ([h.replace("identity/LineItemId", "identity_line_item_id")
          .replace("bill/PayerAccountId", "bill_payer_account_id")
          .replace("bill/BillingPeriodStartDate", "bill_billing_period_start_date")
          .replace("bill/BillingPeriodEndDate", "bill_billing_period_end_date")
          .replace("lineItem/LineItemType", "line_item_line_item_type")
          .replace("lineItem/UsageStartDate", "line_item_usage_start_date")
          .replace("lineItem/UsageEndDate", "line_item_usage_end_date")
          .replace("lineItem/ProductCode", "line_item_product_code")
          .replace("lineItem/UnblendedCost", "line_item_unblended_cost")
          .replace("lineItem/CurrencyCode", "line_item_currency_code") for h in cur_legacy[0]]
        + ["product"], cur_legacy[1] + ['{"region":"us-east-1"}'])
focus = (["BilledCost", "EffectiveCost", "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd",
          "BillingCurrency", "ProviderName", "BillingAccountId", "BillingPeriodStart",
          "BillingPeriodEnd", "ServiceName"],
         ["1.50", "1.50", "Usage", "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z", "USD", "AWS",
          "111", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "EC2"])
gcp = (["billing_account_id", "service.description", "sku.description", "usage_start_time",
        "usage_end_time", "cost", "currency", "invoice.month"],
       ["01ABCD-234567-89EF01", "Compute Engine", "Core", "2026-10-01 00:00:00 UTC",
        "2026-10-01 01:00:00 UTC", "1.5", "USD", "202610"])

n = 0
for pi, p in enumerate(payloads):
    cases = []
    # (name, header, first data row, index of the currency column, encoding)
    for name, (h, r) in (("cur-legacy", cur_legacy), ("cur-2.0", cur2), ("focus", focus),
                         ("gcp-csv", gcp)):
        cases.append((name, list(h), [list(r)], None))
    h, rows = read_csv(os.path.join(fix, "azure/ea-actual_2024-09.csv"))
    cases.append(("azure", h, rows, "BillingCurrencyCode"))
    h, rows = read_csv(os.path.join(fix, "alibaba/bill-detail_2024-04_en.csv"))
    cases.append(("alibaba-en", h, rows, "Currency"))
    h, rows = read_csv(os.path.join(fix, "alibaba/bill-detail_2024-03_zh.csv"))
    cases.append(("alibaba-zh", h + ["币种"], [r + ["CNY"] for r in rows], "币种"))
    h, rows = read_csv(os.path.join(fix, "tencent/bill-detail_2024-05_en.csv"))
    cases.append(("tencent-en", h + ["Currency"], [r + ["CNY"] for r in rows], "Currency"))
    h, rows = read_csv(os.path.join(fix, "tencent/bill-detail_2024-05_zh.csv"))
    cases.append(("tencent-zh", h + ["币种"], [r + ["CNY"] for r in rows], "币种"))
    for name, h, rows, col in cases:
        if col is None:
            col = next(c for c in h if c in ("lineItem/CurrencyCode", "line_item_currency_code",
                                              "BillingCurrency", "currency"))
        ci = h.index(col)
        rows[0][ci] = p
        path = os.path.join(out, "%s-%d.csv" % (name, pi))
        write_csv(path, h, rows)
        # the record starts on line 2: the header holds no line break
        print("%s\t%s:2:%d: column %s: currency code '%s' is not three capital letters (ISO 4217)"
              % (path, path, ci + 1, col, quote(p)))
        n += 1
    # GCP BigQuery JSON lines: the fixture's first line with the payload
    lines = open(os.path.join(fix, "gcp/bq-export_2024-05.jsonl"), encoding="utf-8").read().splitlines()
    o = json.loads(lines[0])
    o["currency"] = p
    lines[0] = json.dumps(o, ensure_ascii=False)
    path = os.path.join(out, "gcp-jsonl-%d.jsonl" % pi)
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
    # the column of the member's value, in bytes (the JSON readers' unit)
    b = lines[0].encode("utf-8")
    vcol = b.index(b'"currency": ') + len(b'"currency": ') + 1
    print("%s\t%s:1:%d: currency code '%s' is not three capital letters (ISO 4217)"
          % (path, path, vcol, quote(p)))
PY
# a database with something in it, to show that a refused file changes nothing
if "$IMCOST" import "$FIX/azure/ea-actual_2024-09.csv" >/dev/null 2>import.err; then
	fp0=$(db_fingerprint)
	bad=""
	count=0
	while IFS=$'\t' read -r f want; do
		count=$((count + 1))
		"$IMCOST" import "$f" </dev/null >/dev/null 2>err.txt
		rc=$?
		got=$(cat err.txt)
		if [ $rc != 1 ] || [ "$got" != "imcost: $want" ] || [ "$(db_fingerprint)" != "$fp0" ]; then
			bad="$bad
$f: exit $rc: $got (want imcost: $want)"
		fi
	done <craft/list.txt
	if [ -z "$bad" ] && [ "$count" -ge 90 ]; then
		ok "import: $count crafted currencies in 10 formats refused with FILE:LINE:COL, database unchanged"
	else
		nok "import: crafted currencies refused" "$count files;$(printf '%s' "$bad" | head -8)"
	fi
else
	nok "import: the Azure fixture" "$(cat import.err)"
fi
# the valid codes still import: the plain files above with USD and Azure's MC
"$PYTHON" - craft >/dev/null <<'PY'
import sys, re
d = sys.argv[1]
for name in ("cur-legacy", "focus"):
    s = open("%s/%s-2.csv" % (d, name)).read()
    open("%s/%s-ok.csv" % (d, name), "w").write(s.replace("!touch P", "EUR"))
s = open("%s/azure-2.csv" % d).read()
open("%s/azure-mc.csv" % d, "w").write(s.replace("!touch P", "MC"))
PY
rm -f ok.db
if "$IMCOST" --db ok.db import craft/cur-legacy-ok.csv craft/focus-ok.csv craft/azure-mc.csv >/dev/null 2>err.txt; then
	got=$(sqlite3 ok.db "SELECT group_concat(currency, ',') FROM (SELECT DISTINCT currency FROM import_periods ORDER BY currency)")
	expect_eq "import: EUR and Azure's MC are accepted" "$got" "EUR,MC"
else
	nok "import: EUR and Azure's MC are accepted" "$(cat err.txt)"
fi

# ---------------------------------------------------------------------------
# 2. profiles
# ---------------------------------------------------------------------------
cat >cat.json <<'EOF'
{
 "schema": 1,
 "vendors": [
  {"id": "a", "vendor": "Vendor A", "currency": "USD", "source": "test", "as_of": "2026-01",
   "components": [{"name": "fee", "unit": "month", "price": 100},
                  {"name": "per MAU", "unit": "mau", "price": 0.05}]}
 ]
}
EOF
"$PYTHON" - >prof-list.txt <<'PY'
import json
cases = [("currency", "'\n!touch P;#", "is not three capital letters (ISO 4217)"),
         ("currency", "`touch P`", "is not three capital letters (ISO 4217)"),
         ("currency", "usd", "is not three capital letters (ISO 4217)"),
         ("name", "a\n!touch P", "holds a control character"),
         ("region", "eu\r!x", "holds a control character")]
for i, (k, v, why) in enumerate(cases):
    text = '{\n  "mau": 5000,\n  "%s": %s\n}\n' % (k, json.dumps(v))
    open("prof-%d.json" % i, "w").write(text)
    q = "".join("\\x%02x" % c if c < 0x20 or c == 0x7f or c == 0x5c else chr(c) for c in v.encode())
    print("prof-%d.json\tprof-%d.json:3:%d: key \"%s\": '%s' %s" % (i, i, 7 + len(k), k, q, why))
PY
bad=""
while IFS=$'\t' read -r f want; do
	for cmd in "vendors --no-builtin --catalog cat.json" "levers"; do
		# shellcheck disable=SC2086
		"$IMCOST" $cmd --profile "$f" </dev/null >/dev/null 2>err.txt
		rc=$?
		[ $rc = 1 ] && [ "$(cat err.txt)" = "imcost: $want" ] || bad="$bad
$cmd $f: exit $rc: $(cat err.txt) (want imcost: $want)"
	done
done <prof-list.txt
if [ -z "$bad" ]; then
	ok "profiles: bad currencies and control characters refused by vendors and levers with FILE:LINE:COL"
else
	nok "profiles: bad strings refused" "$(printf '%s' "$bad" | head -6)"
fi

# ---------------------------------------------------------------------------
# 3. hostile text straight in the database: no chart runs a command
# ---------------------------------------------------------------------------
M="$TEST_DIR/marks"
mkdir -p "$M"
# payloads that each create $M/NAME if gnuplot (or a shell) ever ran them;
# the currency is read back as at most 15 bytes, so its marker is relative:
# ../Qc from gnuplot's directory (the report's, or the private one in it),
# made by the shell's redirection
ccy_evil="'
!>../Qc;#"
svc_evil="x' . system('touch $M/svc') . '
!touch $M/svc2
\`touch $M/svc3\`"
reg_evil="\"
!touch $M/reg;# \`touch $M/reg2\`"
res_evil="'; system('touch $M/res'); '"
typ_evil="\`touch $M/typ\`' !touch $M/typ2"
acc_evil="@\`touch $M/acc\`"
export ccy_evil svc_evil reg_evil res_evil typ_evil acc_evil

# poison DB: replace every text the charts can show, in every table that has
# the column (names prefixed, so distinct values stay distinct)
poison_sqlite() {
	"$PYTHON" - "$1" <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
E = os.environ
set_to = {"BillingCurrency": ("fixed", E["ccy_evil"]), "currency": ("fixed", E["ccy_evil"]),
          "ServiceName": ("prefix", E["svc_evil"]), "RegionId": ("prefix", E["reg_evil"]),
          "ResourceId": ("prefix", E["res_evil"]), "resource_id": ("prefix", E["res_evil"]),
          "x_InstanceType": ("prefix", E["typ_evil"]), "SubAccountId": ("prefix", E["acc_evil"]),
          "BillingAccountId": ("prefix", E["acc_evil"]), "billing_account_id": ("prefix", E["acc_evil"]),
          "Tags": ("json", E["svc_evil"])}
n = 0
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
    cols = [r[1] for r in db.execute('PRAGMA table_info("%s")' % t)]
    for c in cols:
        if c not in set_to:
            continue
        how, v = set_to[c]
        if how == "fixed":
            db.execute('UPDATE "%s" SET "%s" = ? WHERE "%s" IS NOT NULL' % (t, c, c), (v,))
        elif how == "prefix":
            db.execute('UPDATE "%s" SET "%s" = ? || "%s" WHERE "%s" IS NOT NULL' % (t, c, c, c), (v,))
        else:
            db.execute('UPDATE "%s" SET "%s" = json_object(\'k\', ?) WHERE "%s" IS NOT NULL' % (t, c, c), (v,))
        n += 1
db.commit()
print(n)
PY
}

marks() { { ls "$M"; find "$TEST_DIR" -name 'Q*'; } 2>/dev/null | tr '\n' ' '; }

have_gp=0
command -v gnuplot >/dev/null 2>&1 && have_gp=1
if [ -x "$GEN_CUR" ]; then
	"$GEN_CUR" --rows 4000 --month 2026-09 --seed 5 --out sep.csv --metrics sep-m.csv 2>/dev/null
	"$GEN_CUR" --rows 6000 --month 2026-10 --seed 3 --out oct.csv --metrics oct-m.csv 2>/dev/null
	if "$IMCOST" --db evil.db import sep.csv sep-m.csv oct.csv oct-m.csv >/dev/null 2>err.txt; then
		cols=$(poison_sqlite evil.db)
		got=$(sqlite3 evil.db "SELECT COUNT(*) FROM charges WHERE BillingCurrency = '$(printf '%s' "$ccy_evil" | sed "s/'/''/g")'")
		if [ "${got:-0}" -gt 0 ] && [ "${cols:-0}" -ge 10 ]; then
			ok "database poisoned in $cols columns ($got charges carry the hostile currency)"
		else
			nok "database poisoned" "cols=$cols charges=$got"
		fi
		"$IMCOST" --db evil.db report --month 2026-10 --out evil-rep >out.txt 2>err.txt
		rc=$?
		ngp=$(ls evil-rep/*.gp 2>/dev/null | wc -l)
		npng=$(ls evil-rep/*.png 2>/dev/null | wc -l)
		if [ $rc = 0 ] && [ -z "$(marks)" ] && [ "$ngp" -ge 4 ] &&
			{ [ $have_gp = 0 ] || [ "$npng" = "$ngp" ]; }; then
			ok "sqlite: report on hostile texts: $ngp chart scripts, $npng drawn, no command run"
		else
			nok "sqlite: report on hostile texts runs no command" "exit $rc, marks: $(marks), $ngp .gp, $npng .png: $(tail -2 err.txt)"
		fi
		# the hostile currency reaches the labels, quoted
		if grep -q "^set ylabel 'Effective cost (’ !>../Qc;# per day)'\$" evil-rep/daily-cost.gp; then
			ok "sqlite: the hostile currency is in the chart as one quoted string"
		else
			nok "sqlite: hostile currency quoted" "$(grep ylabel evil-rep/daily-cost.gp | head -2)"
		fi
		"$IMCOST" --db evil.db --format csv analyze --month 2026-10 --only by_account >evil.csv 2>/dev/null
		"$IMCOST" --db evil.db --format markdown analyze --month 2026-10 >evil.md 2>/dev/null
		if grep -q "\"'@" evil.csv && ! grep -q ",@" evil.csv; then
			ok "sqlite: CSV output starts a formula-like account with a quote"
		else
			nok "sqlite: CSV formula-like cell quoted" "$(grep -m1 '@' evil.csv)"
		fi
	else
		nok "import of the generated months" "$(head -3 err.txt)"
	fi
else
	skip "report on hostile texts" "no gen-cur at $GEN_CUR"
fi

# vendors --sweep --chart with hostile vendor names from a catalog
"$PYTHON" - "$M" >evil-cat.json <<'PY'
import json, sys
m = sys.argv[1]
names = ["'\n!touch %s/v1;#" % m, "`touch %s/v2`" % m, "x' . system('touch %s/v3') . '" % m,
         '"\n!touch %s/v4' % m]
print(json.dumps({"schema": 1, "vendors": [
    {"id": "v%d" % i, "vendor": n, "currency": "USD", "source": "test", "as_of": "2026-01",
     "components": [{"name": "fee", "unit": "month", "price": 100 * (i + 1)},
                    {"name": "per MAU", "unit": "mau", "price": [0.05, 0.04, 0.03, 0.02][i]}]}
    for i, n in enumerate(names)]}))
PY
echo '{"name": "t", "mau": 5000, "currency": "USD"}' >p.json
"$IMCOST" vendors --no-builtin --catalog evil-cat.json --profile p.json --sweep mau=1000..100000:8 \
	--chart vchart.png >/dev/null 2>err.txt
rc=$?
if [ $rc = 0 ] && [ -z "$(marks)" ] && [ -s vchart.png.gp ] &&
	{ [ $have_gp = 0 ] || [ "$(head -c 4 vchart.png | od -An -c | tr -d ' \n')" = "211PNG" ]; }; then
	ok "vendors --chart: hostile vendor names drawn, no command run"
else
	nok "vendors --chart: hostile vendor names" "exit $rc, marks: $(marks): $(cat err.txt)"
fi

# a profile currency that fit the old 7-byte limit and closed the old
# double-quoted ylabel: refused, nothing run
printf '{"mau": 5000, "currency": "\\"\\n!>Q;#"}\n' >pq.json
"$IMCOST" vendors --no-builtin --catalog cat.json --profile pq.json --sweep mau=1000..100000:8 \
	--chart pq.png >/dev/null 2>err.txt
rc=$?
expect_eq "vendors --chart: a profile currency closing the label is refused, nothing run" \
	"$rc:$(cat err.txt):$(marks)" \
	"1:imcost: pq.json:1:27: key \"currency\": '\"\\x0a!>Q;#' is not three capital letters (ISO 4217):"

# the same through PostgreSQL, when a server can be started (as t-engines.sh)
HERE="$ROOT/tests/engines"
pg_skip=""
if ! command -v psql >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
	pg_skip="postgresql is not installed (t-engines.sh installs it when run as root)"
elif [ ! -x "$GEN_CUR" ]; then
	pg_skip="no gen-cur"
else
	PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/imcost-pg-XXXXXX") && chmod 755 "$PGDIR"
	trap '"$HERE/postgresql-server.sh" stop "$PGDIR/pg" >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
	if PG_PORT=$("$HERE/postgresql-server.sh" start "$PGDIR/pg" 2>pg.err); then
		PG_URL="postgresql://imcost@127.0.0.1:$PG_PORT/imcost"
	else
		pg_skip="the PostgreSQL server did not start: $(tail -1 pg.err)"
	fi
fi
if [ -n "$pg_skip" ]; then
	skip "postgresql: report on hostile texts" "$pg_skip"
elif ! "$IMCOST" import --engine "$PG_URL" sep.csv sep-m.csv oct.csv oct-m.csv >/dev/null 2>err.txt; then
	nok "postgresql: import the generated months" "$(head -3 err.txt)"
else
	# every base table's text columns of the same names, in PostgreSQL
	"$PYTHON" - >poison.sql <<'PY'
import os
E = os.environ
def lit(s):
    return "'" + s.replace("'", "''") + "'"
cols = {"billingcurrency": ("fixed", E["ccy_evil"]), "currency": ("fixed", E["ccy_evil"]),
        "servicename": ("prefix", E["svc_evil"]), "regionid": ("prefix", E["reg_evil"]),
        "resourceid": ("prefix", E["res_evil"]), "resource_id": ("prefix", E["res_evil"]),
        "x_instancetype": ("prefix", E["typ_evil"]), "subaccountid": ("prefix", E["acc_evil"]),
        "billingaccountid": ("prefix", E["acc_evil"]), "billing_account_id": ("prefix", E["acc_evil"])}
print("DO $$ DECLARE r record; BEGIN")
print("FOR r IN SELECT c.table_name, c.column_name FROM information_schema.columns c"
      " JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
      " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"
      " AND c.data_type IN ('text', 'character varying') LOOP")
for k, (how, v) in cols.items():
    expr = lit(v) if how == "fixed" else "%s || %%I" % lit(v).replace("%", "%%")
    print("IF lower(r.column_name) = %s THEN EXECUTE format('UPDATE %%I SET %%I = %s WHERE %%I IS NOT NULL',"
          " r.table_name, r.column_name%s, r.column_name); END IF;"
          % (lit(k), expr.replace("'", "''"), ", r.column_name" if how == "prefix" else ""))
print("END LOOP; END $$;")
PY
	if psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U imcost -d imcost -v ON_ERROR_STOP=1 -f poison.sql >psql.out 2>&1; then
		"$IMCOST" report --engine "$PG_URL" --month 2026-10 --out pg-rep >out.txt 2>err.txt
		rc=$?
		ngp=$(ls pg-rep/*.gp 2>/dev/null | wc -l)
		npng=$(ls pg-rep/*.png 2>/dev/null | wc -l)
		if [ $rc = 0 ] && [ -z "$(marks)" ] && [ "$ngp" -ge 4 ] && grep -q "^set ylabel .Effective cost (’ !>../Qc;# per day).\$" pg-rep/daily-cost.gp &&
			{ [ $have_gp = 0 ] || [ "$npng" = "$ngp" ]; }; then
			ok "postgresql: report on hostile texts: $ngp chart scripts, $npng drawn, no command run"
		else
			nok "postgresql: report on hostile texts runs no command" "exit $rc, marks: $(marks), $ngp .gp, $npng .png: $(tail -2 err.txt)"
		fi
	else
		nok "postgresql: poison the tables" "$(head -5 psql.out)"
	fi
fi

# ---------------------------------------------------------------------------
# 4. planted links in the output directory
# ---------------------------------------------------------------------------
if [ -x "$GEN_CUR" ] && [ -s oct.csv ]; then
	"$IMCOST" --db links.db import sep.csv oct.csv >/dev/null 2>&1
	"$IMCOST" --db links.db report --month 2026-10 --out first >/dev/null 2>&1
	files=$(cd first && ls)
	mkdir -p victims planted
	for f in $files report.md.tmp report.html.tmp; do
		echo "victim $f" >"victims/$f"
		ln -s "$TEST_DIR/victims/$f" "planted/$f"
	done
	"$IMCOST" --db links.db report --month 2026-10 --out planted >/dev/null 2>err.txt
	rc=$?
	bad=""
	n=0
	for f in $files report.md.tmp report.html.tmp; do
		n=$((n + 1))
		[ "$(cat "victims/$f")" = "victim $f" ] || bad="$bad victims/$f"
	done
	for f in $files; do
		{ [ -f "planted/$f" ] && [ ! -L "planted/$f" ]; } || bad="$bad planted/$f"
	done
	if [ $rc = 0 ] && [ -z "$bad" ] && [ "$n" -ge 30 ]; then
		ok "report: $n planted links, every target untouched, every file replaced"
	else
		nok "report: planted links are not followed" "exit $rc, $n links:$bad $(cat err.txt)"
	fi
	leftover=$(ls -a planted | grep '^\.imcost-' | head -3)
	expect_eq "report: no temporary file or directory left" "$leftover" ""

	mkdir -p real
	ln -s real linkdir
	"$IMCOST" --db links.db report --month 2026-10 --out linkdir --no-charts >/dev/null 2>err.txt
	rc=$?
	expect_eq "report: an --out that is a symlink is refused" "$rc:$(cat err.txt):$(ls real | wc -l)" \
		"1:imcost: linkdir is a symbolic link: refusing to write through it (--follow-out-link writes there anyway):0"
	"$IMCOST" --db links.db report --month 2026-10 --out linkdir --no-charts --follow-out-link >/dev/null 2>err.txt
	rc=$?
	if [ $rc = 0 ] && [ -s real/report.md ]; then
		ok "report: --follow-out-link writes through it"
	else
		nok "report: --follow-out-link writes through it" "exit $rc: $(cat err.txt)"
	fi
	if "$IMCOST" report --help 2>&1 | grep -q -- "--follow-out-link"; then
		ok "report --help names --follow-out-link"
	else
		nok "report --help names --follow-out-link"
	fi
fi
echo "victim" >victims/vendor
for f in vlink.png vlink.png.gp vlink.png.dat; do ln -sf "$TEST_DIR/victims/vendor" "$f"; done
"$IMCOST" vendors --no-builtin --catalog cat.json --profile p.json --sweep mau=1000..100000:8 \
	--chart vlink.png >/dev/null 2>err.txt
if [ "$(cat victims/vendor)" = victim ] && [ ! -L vlink.png.gp ] && [ -s vlink.png.gp ] && [ ! -L vlink.png.dat ]; then
	ok "vendors --chart: planted links replaced, target untouched"
else
	nok "vendors --chart: planted links" "$(cat victims/vendor; ls -l vlink.png*)"
fi
expect_eq "no payload ever ran" "$(marks)" ""
