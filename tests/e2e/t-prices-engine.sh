#!/bin/bash
# t-prices-engine.sh - price lists at speed and with engines (issue 14):
#  - a generated AWS offer CSV of several writer batches (bench/gen-prices.py,
#    every field quoted) imports whole: the number of prices, the sums of
#    their upfront and hourly nanos and the instance types equal what Python
#    reads from the same file, and the prices indexes (made once at the end of
#    a large import) are the schema's; a bad price on its last line fails the
#    file at FILE:LINE:COL with the database untouched (the writer thread
#    stopped, the dropped indexes back);
#  - `import --engine` of a price list is refused in one line naming the
#    local --db to import it into, before the engine is reached (CSV), and
#    after reading it for a JSON list (a fake psql client stands in);
#  - `analyze --engine postgresql://...` (fake psql) states where prices come
#    from: JSON .prices {engine, database, price_lists, price_source, note},
#    and a "Prices" line in the table form; with SQLite, .prices names the
#    database and the table form is unchanged.
. "$ROOT/tests/e2e/lib.sh"

GENP="$ROOT/bench/gen-prices.py"

# ---- a large offer CSV through the writer thread ----
"$PYTHON" "$GENP" 30000 offer.csv >/dev/null
read -r n_want up_want hr_want types_want <<< "$("$PYTHON" - offer.csv <<'PY'
import csv, sys
from decimal import Decimal
rows = list(csv.reader(open(sys.argv[1], newline='')))
h = rows[5]; ix = {n: i for i, n in enumerate(h)}
n = 0; up = Decimal(0); hr = Decimal(0); types = set(); terms = {}
for r in rows[6:]:
    g = lambda c: r[ix[c]]
    if g('Product Family') != 'Compute Instance':
        continue
    types.add(g('Instance Type'))
    price = Decimal(g('PricePerUnit'))
    if g('TermType') == 'OnDemand':
        n += 1; hr += price
        continue
    t = terms.setdefault((g('SKU'), g('OfferTermCode')), {})
    t[g('Unit')] = price
for t in terms.values():
    n += 1; up += t.get('Quantity', Decimal(0)); hr += t.get('Hrs', Decimal(0))
print(n, int(up * 10**9), int(hr * 10**9), len(types))
PY
)"
"$IMCOST" --db big.db import offer.csv >/dev/null 2>big.err
expect_eq "offer csv (30000 rows, several writer batches): exit 0" "$?" 0
got=$(sqlite3 big.db "SELECT COUNT(*), SUM(upfront_nanos), SUM(hourly_nanos) FROM prices")
expect_eq "offer csv: every price kept, upfront and hourly sums exact (Python)" "$got" "$n_want|$up_want|$hr_want"
expect_eq "offer csv: one instance_types row per type" "$(sqlite3 big.db 'SELECT COUNT(*) FROM instance_types')" "$types_want"
got=$(sqlite3 big.db "SELECT rows FROM price_lists")
expect_eq "offer csv: price_lists.rows counts them" "$got" "$n_want"
# a platform is worked out once per SKU: every SKU's rows carry one
got=$(sqlite3 big.db "SELECT COUNT(*) FROM (SELECT sku FROM prices GROUP BY sku HAVING COUNT(DISTINCT platform) > 1)")
expect_eq "offer csv: one platform per SKU" "$got" 0
want=$("$PYTHON" - offer.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
h = rows[5]; ix = {n: i for i, n in enumerate(h)}
plat = {'Linux': 'Linux', 'Windows': 'Windows', 'RHEL': 'RHEL', 'SUSE': 'SUSE'}
out = set()
for r in rows[6:]:
    g = lambda c: r[ix[c]]
    if g('Product Family') != 'Compute Instance':
        continue
    p = plat[g('Operating System')]
    if g('Pre Installed S/W') not in ('', 'NA'):
        p += ' with SQL ' + g('Pre Installed S/W').replace('SQL ', '')
    out.add('%s %s' % (g('SKU'), p))
print(len(out))
PY
)
got=$(sqlite3 big.db "SELECT COUNT(*) FROM (SELECT DISTINCT sku, platform FROM prices)")
expect_eq "offer csv: (SKU, platform) pairs as Python names them" "$got" "$want"

# a bad price on the last line: FILE:LINE:COL, nothing written
cp big.db before.db
lines=$(wc -l < offer.csv)
"$PYTHON" - offer.csv bad.csv <<'PY'
import sys
src = open(sys.argv[1]).read().split('\n')
while src and src[-1] == '':
    src.pop()
# the last Compute Instance OnDemand row, its price made bad and moved last
for i in range(len(src) - 1, 5, -1):
    cells = src[i].split('","')
    if '"Compute Instance"' in src[i] and cells[3] == 'OnDemand':
        src.pop(i)
        break
cells[9] = '1.2.3'
src.append('","'.join(cells))
open(sys.argv[2], 'w').write('\n'.join(src) + '\n')
PY
out=$("$IMCOST" --db big.db import bad.csv 2>&1); rc=$?
expect_eq "bad price on the last line: exit 1" "$rc" 1
case "$out" in
	*"bad.csv:$lines:10: price '1.2.3' is not a decimal number >= 0"*) ok "bad price: FILE:LINE:COL of the price" ;;
	*) nok "bad price: FILE:LINE:COL of the price" "$out" ;;
esac
expect_eq "bad price: the database is untouched" "$(db_fingerprint big.db)" "$(db_fingerprint before.db)"

# the indexes of prices, built once at the end of a large import, are the
# schema's own (fresh.db: a one-price JSON list, whose indexes are kept up
# to date row by row)
cat > azure.json <<'EOF'
{"BillingCurrency": "USD", "Items": [{"currencyCode": "USD", "retailPrice": 0.096, "unitPrice": 0.096,
 "armRegionName": "eastus", "location": "US East", "armSkuName": "Standard_D2s_v3", "skuName": "D2s v3",
 "productName": "Virtual Machines DSv3 Series", "serviceName": "Virtual Machines", "type": "Consumption",
 "unitOfMeasure": "1 Hour", "effectiveStartDate": "2020-01-01T00:00:00Z", "isPrimaryMeterRegion": true}],
 "NextPageLink": null, "Count": 1}
EOF
"$IMCOST" --db fresh.db import azure.json >/dev/null 2>&1
idx() { sqlite3 "$1" "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'prices' ORDER BY name"; }
got=$(idx big.db)
[ -n "$got" ] && expect_eq "offer csv: the prices indexes are there, as a fresh database has them" "$got" "$(idx fresh.db)" ||
	nok "offer csv: the prices indexes are there" "none"
# the same bad file into an empty database: refused, nothing changed
cp fresh.db empty.db
"$IMCOST" --db empty.db import bad.csv >/dev/null 2>&1
expect_eq "bad price, a database of one price: exit 1, database untouched (indexes too)" "$?:$(db_fingerprint empty.db)" "1:$(db_fingerprint fresh.db)"

# ---- import --engine refuses price lists ----
out=$("$IMCOST" --db local.db import --engine postgresql://u@127.0.0.1:1/x offer.csv 2>&1); rc=$?
expect_eq "import --engine of an offer CSV: exit 1" "$rc" 1
expect_eq "import --engine of an offer CSV: one line, names the local --db, before the engine" "$out" \
	"imcost: offer.csv: a price list (aws-prices-csv) is not imported into an --engine: price lists live in the local database, where analyze --engine reads them; import it there: imcost --db local.db import offer.csv"
out=$("$IMCOST" --db local.db import --engine clickhouse://127.0.0.1:1/x --as aws-prices-csv offer.csv 2>&1); rc=$?
case "$rc:$out" in
	"1:imcost: offer.csv: a price list (aws-prices-csv) is not imported into an --engine"*"imcost --db local.db import offer.csv") ok "import --engine --as a price format: refused the same way" ;;
	*) nok "import --engine --as a price format: refused the same way" "$rc:$out" ;;
esac
[ -e local.db ] && nok "import --engine of a price list creates no local database" || ok "import --engine of a price list creates no local database"

FAKE="$TEST_DIR/fake-psql"
cat > "$FAKE" <<'EOF'
#!/bin/sh
# a stand-in for psql: the schema check finds every table, any other query
# returns no row
cat > "$FAKE_DIR/stdin"
if grep -q information_schema "$FAKE_DIR/stdin"; then echo 16; fi
# the months with charges (the check that --month has data): 2026-10
if grep -q "FROM rollup_daily GROUP BY BillingPeriodStart" "$FAKE_DIR/stdin"; then echo 1790812800; fi
exit 0
EOF
chmod +x "$FAKE"
export FAKE_DIR="$TEST_DIR"
PG=postgresql://u@127.0.0.1:1/fakedb
"$IMCOST" --db az.db import azure.json >/dev/null 2>&1
expect_eq "the Azure page is a price list imcost imports" "$(sqlite3 az.db 'SELECT COUNT(*) FROM prices')" 1
out=$(IMCOST_PSQL="$FAKE" "$IMCOST" --db local.db import --engine "$PG" azure.json 2>&1); rc=$?
expect_eq "import --engine of a JSON price list (fake psql): refused in one line naming --db" "$rc:$out" \
	"1:imcost: azure.json: a price list (azure-prices) is not imported into an --engine: price lists live in the local database, where analyze --engine reads them; import it there: imcost --db local.db import azure.json"

# ---- analyze --engine says where prices come from ----
"$IMCOST" --db local.db import offer.csv azure.json >/dev/null 2>&1
lists=$(sqlite3 local.db "SELECT COUNT(*) FROM price_lists WHERE replaced_by IS NULL")
expect_eq "local database: two current price lists (sqlite3)" "$lists" 2
IMCOST_PSQL="$FAKE" "$IMCOST" --db local.db analyze --engine "$PG" --month 2026-10 --only summary \
	--format json >a.json 2>a.err
expect_eq "analyze --engine postgresql (fake psql) --format json: exit 0" "$?" 0
expect_eq "analyze --engine: .prices names the engine, the local database and its lists" \
	"$(jq -c '[.prices.engine, .prices.database, .prices.price_lists, .prices.price_source]' a.json)" \
	"[\"postgresql\",\"local.db\",$lists,\"local database local.db\"]"
case "$(jq -r .prices.note a.json)" in
	*"read from the postgresql engine; price lists are read from the local database local.db (--db; $lists current), never from the engine"*) ok "analyze --engine: the note says the bill from the engine, price lists from --db" ;;
	*) nok "analyze --engine: the note says the bill from the engine, price lists from --db" "$(jq -r .prices.note a.json)" ;;
esac
out=$(IMCOST_PSQL="$FAKE" "$IMCOST" --db local.db analyze --engine "$PG" --month 2026-10 --only summary 2>&1)
case "$out" in
	*"Prices "*"price lists are read from the local database local.db"*) ok "analyze --engine, table form: a Prices line names the local database" ;;
	*) nok "analyze --engine, table form: a Prices line names the local database" "$out" ;;
esac
IMCOST_PSQL="$FAKE" "$IMCOST" --db nosuch.db analyze --engine "$PG" --month 2026-10 --only summary \
	--format json >n.json 2>/dev/null
expect_eq "analyze --engine without a local database: price_lists null" "$(jq -c .prices.price_lists n.json)" null
case "$(jq -r .prices.note n.json)" in
	*"no readable database at nosuch.db: no price list was used"*) ok "analyze --engine without a local database: the note says no price list was used" ;;
	*) nok "analyze --engine without a local database: the note says no price list was used" "$(jq -r .prices.note n.json)" ;;
esac
[ -e nosuch.db ] && nok "analyze --engine does not create the local database" || ok "analyze --engine does not create the local database"
# a --month without charges is an error (issue 18): give local.db a month
if have_gen; then
	gen_cur bill.csv 2026-10 3 111122223333 200
	"$IMCOST" --db local.db import bill.csv >/dev/null 2>&1
fi
"$IMCOST" --db local.db analyze --month 2026-10 --only summary --format json >s.json 2>/dev/null
expect_eq "analyze (SQLite): .prices names the database and its lists" \
	"$(jq -c '[.prices.engine, .prices.database, .prices.price_lists]' s.json)" "[\"sqlite\",\"local.db\",$lists]"
out=$("$IMCOST" --db local.db analyze --month 2026-10 --only summary 2>&1)
case "$out" in
	*"Prices "*) nok "analyze (SQLite), table form: no Prices line (unchanged)" "$out" ;;
	*) ok "analyze (SQLite), table form: no Prices line (unchanged)" ;;
esac
