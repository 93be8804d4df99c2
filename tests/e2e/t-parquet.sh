#!/bin/bash
# t-parquet.sh - Parquet exports read as the same month in CSV (issue 22).
#
# The fixtures are written at test time by an independent Parquet writer,
# DuckDB (the npm package @duckdb/node-api that make bench installs into
# bench/node_modules), from gen-cur's generated legacy CUR month, from a
# CUR 2.0 month built from it with MAP columns (resource_tags, product,
# cost_category, discount) and from the FOCUS and Azure samples: every
# codec (snappy, gzip, zstd, uncompressed, lz4 = LZ4_RAW, brotli),
# dictionary on and off, several row groups, PARQUET_VERSION V2 (data
# pages v2, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY), columns typed
# by DuckDB's CSV sniffer (DOUBLE, TIMESTAMP WITH TIME ZONE, BIGINT), and
# DECIMAL(18,10) / DECIMAL(38,10), TIMESTAMP_MS / TIMESTAMP_NS and DATE
# columns.  Each Parquet import is compared with the import of the CSV
# DuckDB wrote from the same table: every stored charge column (totals
# to the nano, row counts, Tags JSON), and the full `analyze --format
# json` output byte for byte; the generated
# month's totals are also checked against gen-cur's own exact sums.
# Malformed and truncated files: one-line FILE: error, exit 1, database
# unchanged.  Without node or the DuckDB package every check is a skip.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1

DUCKDB_NODE="$ROOT/bench/node_modules/@duckdb/node-api"
export DUCKDB_NODE
if ! have_gen; then
	skip "parquet" "gen-cur is not built"
	exit 0
fi
if ! command -v node >/dev/null 2>&1; then
	skip "parquet" "node not found: the fixtures are written by DuckDB's npm package"
	exit 0
fi
if [ ! -d "$DUCKDB_NODE" ]; then
	if ! command -v npm >/dev/null 2>&1 ||
	   ! (cd "$ROOT/bench" && timeout 600 npm install --no-audit --no-fund --no-package-lock \
		--loglevel=error) >npm.log 2>&1 || [ ! -d "$DUCKDB_NODE" ]; then
		skip "parquet" "npm install of @duckdb/node-api into bench/node_modules failed (offline?)"
		exit 0
	fi
fi

# duck SQL...: run each statement in one in-memory DuckDB; rows as a|b|c
cat >duck.cjs <<'JS'
const { DuckDBInstance } = require(process.env.DUCKDB_NODE);
(async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run("SET TimeZone = 'UTC'");
  await con.run('SET threads = 1');
  for (const sql of process.argv.slice(2)) {
    const r = await con.runAndReadAll(sql);
    for (const row of r.getRowsJson())
      process.stdout.write(row.map(v => v === null ? '' : String(v)).join('|') + '\n');
  }
})().catch(e => { process.stderr.write(`duckdb: ${e && e.message ? e.message : e}\n`); process.exit(1); });
JS
duck() { node duck.cjs "$@"; }

if ! duck "SELECT 42" >duck-probe.txt 2>&1 || [ "$(cat duck-probe.txt)" != 42 ]; then
	skip "parquet" "DuckDB does not run: $(head -c 200 duck-probe.txt)"
	exit 0
fi

# the columns of a charge, as stored (everything but the ids)
COLS="SourceLine, BilledCostNanos, EffectiveCostNanos, ListCostNanos, ContractedCostNanos,
ConsumedQuantity, PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart,
BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory,
ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, CommitmentDiscountId,
CommitmentDiscountType, CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName,
ServiceCategory, RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit,
PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType,
x_ServiceCode"

# load NAME FILE: import FILE into NAME/imcost.db; analyze JSON in NAME/analyze.json
# and the charges, ordered, in NAME/charges.txt.  Returns the import's status.
load() {
	rm -rf "$1"
	mkdir -p "$1"
	cp "$2" "$1/" || return 1
	(cd "$1" && "$IMCOST" --db imcost.db import "$(basename "$2")" >import.out 2>import.err) || return 1
	(cd "$1" && "$IMCOST" --db imcost.db analyze --format json >analyze.json 2>analyze.err)
	sqlite3 "$1/imcost.db" "SELECT $COLS FROM charges ORDER BY SourceLine, id" >"$1/charges.txt"
}

# same NAME REF PARQUET: the Parquet import NAME against the CSV import REF
same() {
	local name=$1 ref=$2 file=$3
	if ! load "$name" "$file"; then
		nok "$name: imported" "$(head -c 300 "$name/import.err")"
		return 1
	fi
	ok "$name: imported"
	expect_eq "$name: rows, billed and effective totals to the nano" \
		"$(sqlite3 "$name/imcost.db" 'SELECT count(*), sum(BilledCostNanos), sum(EffectiveCostNanos) FROM charges')" \
		"$(sqlite3 "$ref/imcost.db" 'SELECT count(*), sum(BilledCostNanos), sum(EffectiveCostNanos) FROM charges')"
	if cmp -s "$name/charges.txt" "$ref/charges.txt"; then
		ok "$name: every stored charge column equals the CSV import's"
	else
		nok "$name: every stored charge column equals the CSV import's" \
			"$(diff "$ref/charges.txt" "$name/charges.txt" | head -4 | tr '\n' ' ' | head -c 400)"
	fi
	if [ -s "$ref/analyze.json" ] && cmp -s "$name/analyze.json" "$ref/analyze.json"; then
		ok "$name: analyze --format json identical to the CSV import's"
	else
		nok "$name: analyze --format json identical to the CSV import's" \
			"$(diff "$ref/analyze.json" "$name/analyze.json" | head -4 | tr '\n' ' ' | head -c 400)"
	fi
}

# encodings FILE: "ENCODINGS|COMPRESSION|count" lines of its column chunks
encodings() { duck "SELECT encodings, compression, count(*) FROM parquet_metadata('$1') GROUP BY ALL ORDER BY ALL"; }

# ------------------------------------------------ legacy CUR, DuckDB-typed
gen_cur cur.csv 2026-10 7 123456789012 12000
# the CSV DuckDB writes from the table it reads (so both sides carry the
# same text: DuckDB's sniffer types the columns of the Parquet copies)
duck "CREATE TABLE t AS SELECT * FROM read_csv('cur.csv')" \
	"COPY t TO 'legacy.csv' (HEADER)" \
	"COPY t TO 'legacy-snappy.parquet' (FORMAT PARQUET, COMPRESSION snappy)" \
	"COPY t TO 'legacy-gzip.parquet' (FORMAT PARQUET, COMPRESSION gzip)" \
	"COPY t TO 'legacy-zstd.parquet' (FORMAT PARQUET, COMPRESSION zstd)" \
	"COPY t TO 'legacy-plain.parquet' (FORMAT PARQUET, COMPRESSION uncompressed)" \
	"COPY t TO 'legacy-lz4.parquet' (FORMAT PARQUET, COMPRESSION lz4)" \
	"COPY t TO 'legacy-brotli.parquet' (FORMAT PARQUET, COMPRESSION brotli)" \
	"COPY t TO 'legacy-nodict.parquet' (FORMAT PARQUET, COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 1)" \
	"COPY t TO 'legacy-rg.parquet' (FORMAT PARQUET, COMPRESSION zstd, ROW_GROUP_SIZE 2048)" \
	"COPY t TO 'legacy-v2.parquet' (FORMAT PARQUET, COMPRESSION snappy, PARQUET_VERSION V2)" \
	"COPY (SELECT * FROM read_csv('cur.csv', all_varchar = true)) TO 'legacy-text.parquet' (FORMAT PARQUET)" \
	>/dev/null 2>duck.err || nok "legacy: DuckDB wrote the fixtures" "$(head -c 300 duck.err)"
if load legacy legacy.csv; then
	ok "legacy CSV (DuckDB's): imported"
	want=$("$PYTHON" -c 'import sys
from decimal import Decimal
print(int(Decimal(sys.argv[1]) * 10**9), int(Decimal(sys.argv[2]) * 10**9))' \
		"$(tot cur.csv.tot billed_cost)" "$(tot cur.csv.tot effective_cost)")
	expect_eq "legacy CSV: the billed total is gen-cur's exact sum" \
		"$(sqlite3 legacy/imcost.db 'SELECT sum(BilledCostNanos) FROM charges')" "${want% *}"
else
	nok "legacy CSV (DuckDB's): imported" "$(head -c 300 legacy/import.err)"
fi
for v in snappy gzip zstd plain lz4 brotli nodict rg v2; do
	same "legacy-$v" legacy "legacy-$v.parquet"
done
# the same file again: its SHA-256 is of the whole file, so unchanged
if [ -f legacy-snappy/imcost.db ]; then
	(cd legacy-snappy && "$IMCOST" --db imcost.db import legacy-snappy.parquet >again.out 2>&1)
	expect_eq "the same Parquet file again: unchanged, nothing added" \
		"$(grep -c unchanged legacy-snappy/again.out) $(sqlite3 legacy-snappy/imcost.db 'SELECT count(*) FROM imports')" "1 1"
fi
# what the variants hold (so a DuckDB that changed its defaults is noticed)
expect_eq "fixtures: the codecs are the ones asked for" \
	"$(for v in snappy gzip zstd plain lz4 brotli; do encodings legacy-$v.parquet | cut -d'|' -f2 | sort -u; done | tr '\n' ' ')" \
	"SNAPPY GZIP ZSTD UNCOMPRESSED LZ4_RAW BROTLI "
n=$(encodings legacy-nodict.parquet | awk -F'|' '$1 == "PLAIN" { n += $3 } END { print n + 0 }')
if [ "$n" -ge 40 ]; then ok "fixtures: dictionary off leaves $n columns PLAIN only"
else nok "fixtures: dictionary off leaves most columns PLAIN only" "$n columns"; fi
expect_eq "fixtures: several row groups" \
	"$(duck "SELECT count(DISTINCT row_group_id) > 3 FROM parquet_metadata('legacy-rg.parquet')")" true
expect_eq "fixtures: V2 uses the DELTA encodings" \
	"$(encodings legacy-v2.parquet | grep -c 'DELTA_BINARY_PACKED\|DELTA_LENGTH_BYTE_ARRAY' | sed 's/^[1-9][0-9]*$/yes/')" yes
expect_eq "fixtures: typed columns (DOUBLE, TIMESTAMP WITH TIME ZONE)" \
	"$(duck "SELECT string_agg(DISTINCT type, ' ' ORDER BY type) FROM parquet_schema('legacy-snappy.parquet') WHERE name IN ('lineItem/UnblendedCost', 'lineItem/UsageStartDate')")" \
	"DOUBLE INT64"

# all text: the CSV cells exactly (gen-cur's own file is the reference)
if load legacy-gen cur.csv; then
	same legacy-text legacy-gen legacy-text.parquet
else
	nok "gen-cur CSV: imported" "$(head -c 300 legacy-gen/import.err)"
fi

# ------------------------------------------------ CUR 2.0 with MAP columns
# the CUR 2.0 names of the legacy columns: '_' before each capital but a
# segment's first, '/' -> '_' (Athena's and CUR 2.0's rule)
"$PYTHON" - >cur2.sql <<'PY'
import csv, re
hdr = next(csv.reader(open("cur.csv", newline="")))
def snake(c):
    return "_".join(s[:1].lower() + re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), s[1:])
                    for s in c.split("/"))
inmap = {"product/ProductName": "product_name", "product/operatingSystem": "operating_system",
         "product/tenancy": "tenancy"}
def q(c): return '"' + c.replace('"', '""') + '"'
def entries(pairs):
    return ("map_from_entries(list_filter([" +
            ", ".join("{'key': '%s', 'value': %s}" % (k, v) for k, v in pairs) +
            "], x -> coalesce(x.value, '') <> ''))")
sel = []
tags = []
for c in hdr:
    if c.startswith("resourceTags/"):
        v = q(c)
        if c.endswith("team"):   # quotes, a backslash, a tab and UTF-8 in some values
            v = "CASE WHEN hash(%s) %% 5 = 0 THEN %s || ' \"q\" \\ é' || chr(9) ELSE %s END" % (
                q("identity/LineItemId"), v, v)
        tags.append((c[len("resourceTags/"):], v))
    elif c not in inmap:
        sel.append("%s AS %s" % (q(c), snake(c)))
sel.append(entries(tags) + " AS resource_tags")
sel.append(entries([(k, q(c)) for c, k in inmap.items()]) + " AS product")
sel.append("map_from_entries([]::STRUCT(key VARCHAR, value VARCHAR)[]) AS cost_category")
sel.append("CASE WHEN hash(%s) %% 3 = 0 THEN MAP {'bundled_discount': -0.25} END AS discount"
           % q("identity/LineItemId"))
print("CREATE TABLE cur2 AS SELECT " + ", ".join(sel) +
      " FROM read_csv('cur.csv', all_varchar = true)")
PY
duck "$(cat cur2.sql)" \
	"COPY (SELECT * REPLACE (to_json(resource_tags)::VARCHAR AS resource_tags, to_json(product)::VARCHAR AS product, to_json(cost_category)::VARCHAR AS cost_category, to_json(discount)::VARCHAR AS discount) FROM cur2) TO 'cur2.csv' (HEADER)" \
	"COPY cur2 TO 'cur2-snappy.parquet' (FORMAT PARQUET, COMPRESSION snappy)" \
	"COPY cur2 TO 'cur2-v2.parquet' (FORMAT PARQUET, COMPRESSION zstd, PARQUET_VERSION V2, ROW_GROUP_SIZE 2048)" \
	"COPY (SELECT * REPLACE (line_item_unblended_cost::DECIMAL(18,10) AS line_item_unblended_cost, line_item_blended_cost::DECIMAL(38,10) AS line_item_blended_cost, line_item_usage_amount::DOUBLE AS line_item_usage_amount, line_item_usage_start_date::TIMESTAMPTZ::TIMESTAMP::TIMESTAMP_MS AS line_item_usage_start_date, line_item_usage_end_date::TIMESTAMPTZ::TIMESTAMP::TIMESTAMP_NS AS line_item_usage_end_date, bill_billing_period_start_date::TIMESTAMPTZ::DATE AS bill_billing_period_start_date) FROM cur2) TO 'cur2-typed.parquet' (FORMAT PARQUET, COMPRESSION gzip)" \
	>/dev/null 2>duck.err || nok "CUR 2.0: DuckDB wrote the fixtures" "$(head -c 300 duck.err)"
expect_eq "fixtures: CUR 2.0 MAP columns are Parquet MAPs" \
	"$(duck "SELECT count(*) FROM parquet_schema('cur2-snappy.parquet') WHERE converted_type = 'MAP' OR logical_type LIKE '%Map%'")" 4
duck "SELECT name || ':' || type || ':' || coalesce(converted_type, '') || ':' || coalesce(logical_type, '') FROM parquet_schema('cur2-typed.parquet')" >typed-schema.txt 2>&1
n=0
for re in '^bill_billing_period_start_date:INT32:DATE:' '^line_item_blended_cost:FIXED_LEN_BYTE_ARRAY:DECIMAL:' \
	'^line_item_unblended_cost:INT64:DECIMAL:' '^line_item_usage_start_date:INT64:TIMESTAMP_MILLIS:' \
	'^line_item_usage_end_date:INT64::.*NANOS=NanoSeconds'; do
	grep -q "$re" typed-schema.txt && n=$((n + 1))
done
expect_eq "fixtures: DECIMAL on INT64 and FIXED_LEN_BYTE_ARRAY, TIMESTAMP ms and ns, DATE" "$n" 5
if load cur2 cur2.csv; then
	ok "CUR 2.0 CSV (DuckDB's, MAPs as JSON text): imported"
	expect_eq "CUR 2.0 CSV: rows with tags are the legacy rows with a tag" \
		"$(sqlite3 cur2/imcost.db 'SELECT count(*) FROM charges WHERE Tags IS NOT NULL')" \
		"$("$PYTHON" -c 'import csv
r = csv.DictReader(open("cur.csv", newline=""))
print(sum(1 for row in r if any(v for k, v in row.items() if k.startswith("resourceTags/"))))')"
	expect_eq "CUR 2.0 CSV: the service name of EC2 rows comes from the product map" \
		"$(sqlite3 cur2/imcost.db "SELECT count(DISTINCT SourceLine) FROM charges WHERE x_ServiceCode = 'AmazonEC2' AND ServiceName = 'Amazon Elastic Compute Cloud'")" \
		"$("$PYTHON" -c 'import csv
r = csv.DictReader(open("cur.csv", newline=""))
print(sum(1 for row in r if row["lineItem/ProductCode"] == "AmazonEC2" and row["product/ProductName"] == "Amazon Elastic Compute Cloud"))')"
	same cur2-snappy cur2 cur2-snappy.parquet
	same cur2-v2 cur2 cur2-v2.parquet
	same cur2-typed cur2 cur2-typed.parquet
	cat >evil.sql <<'SQL'
SELECT count(*) > 0 FROM charges WHERE instr(Tags, '\"q\" \\ é\t') > 0;
SQL
	expect_eq "CUR 2.0 Parquet: a tag with quotes, a backslash, a tab and UTF-8 as escaped JSON" \
		"$(sqlite3 cur2-snappy/imcost.db <evil.sql)" 1
else
	nok "CUR 2.0 CSV: imported" "$(head -c 300 cur2/import.err)"
fi

# ------------------------------------------------ FOCUS and Azure samples
if have_samples; then
	for s in focus/focus-1.0_sample_1000rows_multicloud.csv azure/ea-amortized_finops-toolkit_2023-09.csv; do
		[ -f "$SAMPLES/$s" ] || { skip "sample $s" "not in \$SAMPLES"; continue; }
		b=$(basename "$s" .csv)
		# as text: DuckDB's sniffer would rewrite the samples' dates
		duck "CREATE TABLE s AS SELECT * FROM read_csv('$SAMPLES/$s', all_varchar = true)" \
			"COPY s TO '$b.csv' (HEADER)" \
			"COPY s TO '$b.parquet' (FORMAT PARQUET, COMPRESSION zstd)" \
			>/dev/null 2>duck.err || { nok "$b: DuckDB wrote the fixture" "$(head -c 300 duck.err)"; continue; }
		if load "$b-csv" "$b.csv"; then
			same "$b" "$b-csv" "$b.parquet"
		else
			nok "$b CSV: imported" "$(head -c 300 "$b-csv/import.err")"
		fi
	done
else
	skip "FOCUS and Azure samples as Parquet" "no \$SAMPLES"
fi

# ------------------------------------------------ a folder of parts
mkdir -p parts
duck "CREATE TABLE t AS SELECT * FROM read_csv('cur.csv', all_varchar = true)" \
	"COPY (SELECT * FROM t WHERE \"lineItem/UsageAccountId\" < '3') TO 'parts/part-0.snappy.parquet' (FORMAT PARQUET)" \
	"COPY (SELECT * FROM t WHERE NOT \"lineItem/UsageAccountId\" < '3') TO 'parts/part-1.snappy.parquet' (FORMAT PARQUET)" \
	>/dev/null 2>duck.err || nok "parts: DuckDB wrote them" "$(head -c 300 duck.err)"
rm -f parts.db
if "$IMCOST" --db parts.db import parts >parts.out 2>parts.err; then
	expect_eq "a folder of two Parquet parts: every row, the total of the CSV" \
		"$(sqlite3 parts.db 'SELECT count(*), sum(BilledCostNanos) FROM charges')" \
		"$(sqlite3 legacy-gen/imcost.db 'SELECT count(*), sum(BilledCostNanos) FROM charges')"
else
	nok "a folder of Parquet parts: imported" "$(head -c 300 parts.err)"
fi

# a Data Exports manifest listing the Parquet parts: one batch
mkdir -p man
cp parts/part-0.snappy.parquet man/exp-00001.snappy.parquet
cp parts/part-1.snappy.parquet man/exp-00002.snappy.parquet
cat >man/exp-Manifest.json <<'JSON'
{"executionId":"e-parquet-1","dataFiles":["s3://bucket/cur2/exp/data/BILLING_PERIOD=2026-10/exp-00001.snappy.parquet","s3://bucket/cur2/exp/data/BILLING_PERIOD=2026-10/exp-00002.snappy.parquet"]}
JSON
rm -f man.db
if "$IMCOST" --db man.db import man/exp-Manifest.json >man.out 2>man.err; then
	expect_eq "a manifest of Parquet parts: one batch of two imports, every row, the CSV's total" \
		"$(sqlite3 man.db 'SELECT count(DISTINCT batch_id), count(*) FROM imports')|$(sqlite3 man.db 'SELECT count(*), sum(BilledCostNanos) FROM charges')" \
		"1|2|$(sqlite3 legacy-gen/imcost.db 'SELECT count(*), sum(BilledCostNanos) FROM charges')"
else
	nok "a manifest of Parquet parts: imported" "$(head -c 300 man.err)"
fi

# ------------------------------------------------ hostile files
cp legacy/imcost.db hostile.db
before=$(db_fingerprint hostile.db)
size=$(stat -c %s legacy-snappy.parquet)
# name CMD: make bad.parquet with CMD, import it: exit 1, one FILE: line, db untouched
bad() {
	local name=$1 rc
	shift
	"$@" || { nok "$name: built"; return; }
	"$IMCOST" --db hostile.db import bad.parquet >/dev/null 2>bad.err
	rc=$?
	expect_eq "$name: exit 1" "$rc" 1
	if [ "$(wc -l <bad.err)" = 1 ] && grep -q '^imcost: bad.parquet: ' bad.err &&
	   ! LC_ALL=C grep -q '[^[:print:]]' <(tr -d '\200-\377' <bad.err); then
		ok "$name: one line naming the file ($(head -c 160 bad.err))"
	else
		nok "$name: one line naming the file" "$(head -c 300 bad.err)"
	fi
	expect_eq "$name: database untouched" "$(db_fingerprint hostile.db)" "$before"
}
bad "truncated in the middle" sh -c "head -c $((size / 2)) legacy-snappy.parquet >bad.parquet"
bad "footer cut" sh -c "head -c $((size - 9)) legacy-snappy.parquet >bad.parquet && printf PAR1 >>bad.parquet"
bad "footer length beyond the file" sh -c "head -c $((size - 8)) legacy-snappy.parquet >bad.parquet && printf '\377\377\377\177PAR1' >>bad.parquet"
bad "pages overwritten with zeros" sh -c "cp legacy-snappy.parquet bad.parquet && dd if=/dev/zero of=bad.parquet bs=1 seek=4 count=20000 conv=notrunc 2>/dev/null"
bad "only the magic" sh -c "printf PAR1PAR1 >bad.parquet"
bad "gzip-compressed Parquet" sh -c "gzip -c legacy-snappy.parquet >bad.parquet"
