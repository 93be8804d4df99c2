#!/bin/bash
# t-cjk-charts.sh - charts with Chinese text (issue 18): the Tencent and
# Alibaba bill months (Chinese headers and service names: 云服务器CVM,
# 对象存储, ...), the public Tencent DescribeBillDetail sample (a refund
# month: every cost below zero) and a vendors sweep in CNY (环信, 蓝莺) are
# drawn in a CJK-capable font chosen by name; gnuplot, run again on the
# kept scripts, prints no warning; the PNGs are valid 1200x600 images; a
# chart with nothing to plot is skipped with one readable warning, never
# gnuplot's raw "all points y value undefined".
. "$ROOT/tests/e2e/lib.sh"
cd "$TEST_DIR" || exit 1
FIX=$ROOT/tests/fixtures

if ! command -v gnuplot >/dev/null; then
	skip "CJK charts" "gnuplot not installed"
	exit 0
fi
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
	skip "CJK charts" "no font with Chinese glyphs (scripts/install-deps.sh installs fonts-wqy-microhei)"
	exit 0
fi

# png_ok FILE: a PNG signature, an IHDR of 1200x600 and an IEND chunk
png_ok() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
assert b[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
pos, chunks = 8, []
while pos < len(b):
    n, = struct.unpack('>I', b[pos:pos + 4]); kind = b[pos + 4:pos + 8]
    data = b[pos + 8:pos + 8 + n]
    crc, = struct.unpack('>I', b[pos + 8 + n:pos + 12 + n])
    assert zlib.crc32(kind + data) == crc, 'crc of %r' % kind
    chunks.append((kind, data)); pos += 12 + n
assert chunks[0][0] == b'IHDR' and chunks[-1][0] == b'IEND', 'chunks'
w, h = struct.unpack('>II', chunks[0][1][:8])
assert (w, h) == (1200, 600), (w, h)
PY
}

# check_dir NAME DIR: every PNG valid; every kept script, run again by
# gnuplot, prints nothing; the scripts name a font with Chinese glyphs
check_dir() {
	local name=$1 dir=$2 n=0 bad="" font
	for p in "$dir"/*.png; do
		[ -e "$p" ] || continue
		n=$((n + 1))
		png_ok "$p" 2>/dev/null || bad="$bad $(basename "$p")"
	done
	if [ $n -gt 0 ] && [ -z "$bad" ]; then ok "$name: $n valid PNGs"; else nok "$name: valid PNGs" "$n PNGs, bad:$bad"; fi
	for gp in "$dir"/*.gp; do
		[ -e "$gp" ] || continue
		# as imcost runs it: in a UTF-8 locale (the scripts are UTF-8)
		out=$(cd "$dir" && LC_ALL=C.UTF-8 gnuplot "$(basename "$gp")" 2>&1)
		expect_eq "$name: gnuplot $(basename "$gp") prints no warning" "$out" ""
	done
	font=$(sed -n "s/.*pngcairo .* font '\([^,]*\),11'.*/\1/p" "$dir"/*.gp | sort -u)
	if [ -n "$font" ] && [ -n "$(fc-list "$font:lang=zh")" ]; then
		ok "$name: charts drawn in $font, which has Chinese glyphs"
	else
		nok "$name: charts drawn in a font with Chinese glyphs" "font '$font'"
	fi
}

for spec in "tencent bill-detail_2024-05_zh.csv 2024-05 云服务器CVM" \
	    "alibaba bill-detail_2024-03_zh.csv 2024-03 云服务器"; do
	set -- $spec
	"$IMCOST" --db "$1.db" --quiet import "$FIX/$1/$2" 2>imp.err || nok "$1: import" "$(cat imp.err)"
	"$IMCOST" --db "$1.db" report --month "$3" --out "$1" >/dev/null 2>"$1.err"
	expect_eq "$1 $3 report: exit 0" "$?" 0
	expect_eq "$1 $3 report: no warning" "$(grep -c warning "$1.err")" 0
	if grep -q "$4" "$1/daily-cost.gp" "$1/daily-cost.dat"; then ok "$1: the daily chart names $4"; else nok "$1: the daily chart names $4"; fi
	check_dir "$1 $3" "$1"
done

if have_samples && [ -e "$SAMPLES/tencent/DescribeBillDetail_api-example.json" ]; then
	"$IMCOST" --db api.db --quiet import "$SAMPLES/tencent/DescribeBillDetail_api-example.json" 2>/dev/null
	"$IMCOST" --db api.db report --month 2023-07 --out api >/dev/null 2>api.err
	expect_eq "Tencent API sample (a refund month): report exit 0" "$?" 0
	if grep -q -e 'undefined' -e 'not drawn' api.err; then nok "Tencent API sample: every chart drawn, no gnuplot error" "$(cat api.err)"; else ok "Tencent API sample: every chart drawn, no gnuplot error"; fi
	if [ -s api/month-over-month.png ] && grep -q 'set yrange \[-' api/month-over-month.gp; then
		ok "Tencent API sample: month over month drawn below zero"
	else
		nok "Tencent API sample: month over month drawn below zero"
	fi
	check_dir "Tencent API sample" api
else
	skip "Tencent API sample charts" "no samples"
fi

# a month whose costs are all zero: the charts with nothing to plot are
# skipped with one readable warning
HDR='bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost'
printf '%s\n%s\n' "$HDR" '111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-02T00:00:00Z,2026-06-02T01:00:00Z,AmazonS3,USD,0' >zero.csv
"$IMCOST" --db zero.db --quiet import zero.csv
"$IMCOST" --db zero.db report --month 2026-06 --out zero >/dev/null 2>zero.err
expect_eq "all-zero month: report exit 0" "$?" 0
expect_eq "all-zero month: one warning line" "$(grep -c warning zero.err)" 1
if grep -q 'every value in it is zero or missing' zero.err && ! grep -q -e 'undefined' -e '\.gp" line' zero.err; then
	ok "all-zero month: the warning says why, in words"
else
	nok "all-zero month: the warning says why, in words" "$(cat zero.err)"
fi

# the vendors sweep in CNY: the Chinese vendors' names in the legend
cat >cn.json <<'JSON'
{"name": "中文聊天应用", "currency": "CNY", "mau": 50000, "dau": 15000, "peak_connections": 2500, "messages": 18000000}
JSON
mkdir -p sweep
"$IMCOST" vendors --profile cn.json --sweep mau=1000..200000:12 --chart sweep/sweep.png >/dev/null 2>sweep.err
expect_eq "vendors sweep in CNY: exit 0" "$?" 0
if grep -q '环信' sweep/sweep.png.gp && grep -q '蓝莺' sweep/sweep.png.gp; then ok "vendors sweep: 环信 and 蓝莺 in the legend"; else nok "vendors sweep: 环信 and 蓝莺 in the legend"; fi
styles=$(grep -o 'with linespoints ls [0-9]*' sweep/sweep.png.gp | sort | uniq -d)
expect_eq "vendors sweep: no two vendors share a line style" "$styles" ""
for gp in sweep/*.gp; do mv "$gp" "${gp%.png.gp}.gp"; done
check_dir "vendors sweep" sweep
