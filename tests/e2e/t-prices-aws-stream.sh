#!/bin/bash
# t-prices-aws-stream.sh - an AWS JSON offer file read member by member
# (issue 14): each member of products{} and of terms.OnDemand{} /
# terms.Reserved{} parsed alone, so memory does not grow with the file.
# The same offer with terms before products (not streamed: parsed whole)
# gives the same prices table, every column, for a generated list (with
# the count bench/gen-prices-json.py works out) and for the real sample; a
# 100 MB offer imports within 64 MiB of peak RSS; malformed input fails
# with FILE:LINE:COL where Python's json module puts the error (or where
# the duplicate key is), exit 1, database untouched.
# Past $IMCOST_OFFER_MEMORY_MB (spillmap.h) the kept products and keys go
# to a temporary file: forced from the first product (=0), the same prices
# and instance types as in memory and as the whole read, the temporary
# file made in $SQLITE_TMPDIR and gone at once (strace shows both); a
# file failing in its terms after spilling fails as in memory and leaves
# no file; a 200,000-product offer (~670 MB) imports within 64 MiB.
. "$ROOT/tests/e2e/lib.sh"

GEN="$ROOT/bench/gen-prices-json.py"

# prices_of DB: the prices table, every column, in a fixed order
prices_of() {
	sqlite3 "$1" "SELECT provider, region, instance_type, platform, kind, term, payment,
		offering_class, currency, upfront_nanos, hourly_nanos, usage_type, operation, sku
		FROM prices ORDER BY 1,2,3,4,5,6,7,8,9,10,11,12,13,14"
}
# terms_first IN OUT: the same document, terms first (not streamed)
terms_first() {
	"$PYTHON" - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {"terms": d["terms"]}
o.update((k, v) for k, v in d.items() if k != "terms")
open(sys.argv[2], "w").write(json.dumps(o, indent=2) + "\n")
PY
}
same_prices() {
	if [ "$(prices_of "$2")" = "$(prices_of "$3")" ] && [ -n "$(prices_of "$2")" ]; then
		ok "$1"
	else
		nok "$1" "$(diff <(prices_of "$2") <(prices_of "$3") | head -5)"
	fi
}
# types_of DB: instance_types, every column but the list's id, in order
types_of() {
	sqlite3 "$1" "SELECT provider, instance_type, vcpu, memory_gib, family, size_factor
		FROM instance_types ORDER BY 1,2,3,4,5,6"
}
same_types() {
	if [ "$(types_of "$2")" = "$(types_of "$3")" ] && [ -n "$(types_of "$2")" ]; then
		ok "$1"
	else
		nok "$1" "$(diff <(types_of "$2") <(types_of "$3") | head -5)"
	fi
}
# strace, when it is there and may trace here (containers may forbid it;
# under SANITIZE=1 LeakSanitizer aborts a traced process at its exit)
STRACE=
[ "${SANITIZE:-}" != 1 ] && strace -f -qq -o /dev/null true 2>/dev/null && STRACE=strace
# spilled DIR OUT DB FILE: import FILE into DB with everything kept on
# disk from the first product, SQLite's temporary files in DIR (traced
# into OUT when strace is there); the exit status
spilled() {
	mkdir -p "$1"
	if [ -n "$STRACE" ]; then
		IMCOST_OFFER_MEMORY_MB=0 SQLITE_TMPDIR="$PWD/$1" strace -f -qq -e trace=openat,unlink \
			-o "$2" "$IMCOST" --db "$3" import "$4" 2>spill.err
	else
		IMCOST_OFFER_MEMORY_MB=0 SQLITE_TMPDIR="$PWD/$1" "$IMCOST" --db "$3" import "$4" 2>spill.err
	fi
}
# made_and_unlinked DIR OUT NAME: the trace shows a temporary file made in
# DIR and unlinked; DIR is empty
made_and_unlinked() {
	if [ -z "$STRACE" ]; then
		skip "$3: temporary file made and unlinked" "no strace that may trace here, or SANITIZE=1"
	elif grep -q "openat(.*\"$PWD/$1/etilqs_.*O_CREAT" "$2" && grep -q "unlink(\"$PWD/$1/etilqs_" "$2"; then
		ok "$3: a temporary file was made in \$SQLITE_TMPDIR and unlinked"
	else
		nok "$3: a temporary file was made in \$SQLITE_TMPDIR and unlinked" "$(grep -c etilqs "$2") lines"
	fi
	expect_eq "$3: no temporary file left" "$(ls -A "$1")" ""
}

want=$("$PYTHON" "$GEN" aws 200 small.json)
terms_first small.json whole.json
"$IMCOST" --db small.db import small.json 2>small.err
expect_eq "generated offer imports (streamed)" "$?" 0
"$IMCOST" --db whole.db import whole.json 2>whole.err
expect_eq "terms first: imports (read whole)" "$?" 0
expect_eq "streamed: as many prices as the generator worked out" \
	"$(sqlite3 small.db 'SELECT count(*) FROM prices')" "$want"
same_prices "streamed and whole reads store the same prices, every column" small.db whole.db
expect_eq "streamed and whole reads give the same warnings" \
	"$(sed 's/small.json/F/' small.err | grep warning)" "$(sed 's/whole.json/F/' whole.err | grep warning)"

spilled tmp-small small.trace spill.db small.json
expect_eq "products and keys on disk from the first: imports" "$?" 0
same_prices "on disk and in memory: the same prices, every column" small.db spill.db
same_prices "on disk and the whole read: the same prices, every column" whole.db spill.db
same_types "on disk and in memory: the same instance types" small.db spill.db
same_types "on disk and the whole read: the same instance types" whole.db spill.db
expect_eq "on disk and in memory: the same warnings" \
	"$(sed 's/small.json/F/' small.err | grep warning)" "$(sed 's/small.json/F/' spill.err | grep warning)"
expect_eq "on disk: no temporary file left" "$(ls -A tmp-small)" ""

sample="$SAMPLES/pricing-lists/aws/ec2-offer-json_us-east-1_v20240528203522_opencost.json"
if [ -f "$sample" ]; then
	terms_first "$sample" sample-whole.json
	"$IMCOST" --db s1.db import "$sample" 2>/dev/null
	expect_eq "real offer sample imports (streamed)" "$?" 0
	"$IMCOST" --db s2.db import sample-whole.json 2>/dev/null
	same_prices "real sample: streamed and whole reads store the same prices" s1.db s2.db
else
	skip "real offer sample" "no $sample"
fi

bigwant=$("$PYTHON" "$GEN" aws 30000 big.json)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -o big.time -f '%M' "$IMCOST" --db big.db import big.json 2>/dev/null
	rc=$?
	kb=$(tail -1 big.time)
else
	"$IMCOST" --db big.db import big.json 2>/dev/null
	rc=$? kb=
fi
mb=$(($(stat -c %s big.json) / 1000000))
# the big offer again, everything on disk: the same rows; then with a bare
# word in a unit of its Reserved terms (a tenth from the end), after
# thousands of products went to disk
spilled tmp-big big.trace bigspill.db big.json
expect_eq "$mb MB offer on disk from the first product: imports" "$?" 0
same_prices "$mb MB offer: on disk and in memory, the same prices" big.db bigspill.db
same_types "$mb MB offer: on disk and in memory, the same instance types" big.db bigspill.db
made_and_unlinked tmp-big big.trace "$mb MB offer on disk"
rm -f bigspill.db
p_bigbad=$("$PYTHON" - big.json <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
units = [k for k, l in enumerate(lines) if '"unit"' in l]
i = units[len(units) * 9 // 10]
lines[i] = lines[i].replace('"unit": "', '"unit": x').replace('",', ',')
open("bigbad.json", "w").write("\n".join(lines))
print("%d:%d" % (i + 1, lines[i].index(": x") + 3))
PY
)
rm -f big.json
before=$(db_fingerprint big.db)
spilled tmp-bad bad.trace big.db bigbad.json
expect_eq "bare word in a term after spilling: exit 1" "$?" 1
if grep -qF "bigbad.json:$p_bigbad: invalid JSON" spill.err; then
	ok "bare word in a term after spilling: bigbad.json:$p_bigbad"
else
	nok "bare word in a term after spilling: bigbad.json:$p_bigbad" "$(head -c 300 spill.err)"
fi
expect_eq "bare word in a term after spilling: database untouched" "$(db_fingerprint big.db)" "$before"
made_and_unlinked tmp-bad bad.trace "failed after spilling"
rm -f bigbad.json
expect_eq "$mb MB offer imports" "$rc" 0
expect_eq "big offer: as many prices as the generator worked out" \
	"$(sqlite3 big.db 'SELECT count(*) FROM prices')" "$bigwant"
if [ -z "$kb" ]; then
	skip "peak RSS of the big offer" "no GNU time"
elif [ "${SANITIZE:-}" = 1 ]; then
	skip "peak RSS of the big offer" "ASan's shadow memory and quarantine ($((kb / 1024)) MiB)"
elif [ "$kb" -le $((64 * 1024)) ]; then
	ok "peak RSS of a $mb MB AWS offer <= 64 MiB ($((kb / 1024)) MiB)"
else
	nok "peak RSS of a $mb MB AWS offer <= 64 MiB" "$((kb / 1024)) MiB"
fi
rm -f big.db

# 200,000 products (~670 MB), the default memory limit: past it, products
# and keys go to disk, and the peak RSS stays within 64 MiB
avail=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [ "${SANITIZE:-}" = 1 ]; then
	skip "peak RSS of a 200,000-product offer" "ASan's shadow memory counts in RSS"
elif [ "${avail:-0}" -lt 3000000 ]; then
	skip "peak RSS of a 200,000-product offer" "less than 3 GB free here"
elif [ ! -x /usr/bin/time ]; then
	skip "peak RSS of a 200,000-product offer" "no GNU time"
else
	hugewant=$("$PYTHON" "$GEN" aws 200000 huge.json)
	hmb=$(($(stat -c %s huge.json) / 1000000))
	mkdir tmp-huge
	SQLITE_TMPDIR="$PWD/tmp-huge" /usr/bin/time -o huge.time -f '%M' "$IMCOST" --db huge.db import huge.json 2>/dev/null
	expect_eq "$hmb MB offer (200,000 products) imports" "$?" 0
	rm -f huge.json
	kb=$(tail -1 huge.time)
	expect_eq "$hmb MB offer: as many prices as the generator worked out" \
		"$(sqlite3 huge.db 'SELECT count(*) FROM prices')" "$hugewant"
	if [ "$kb" -le $((64 * 1024)) ]; then
		ok "peak RSS of a $hmb MB AWS offer (200,000 products) <= 64 MiB ($((kb / 1024)) MiB)"
	else
		nok "peak RSS of a $hmb MB AWS offer (200,000 products) <= 64 MiB" "$((kb / 1024)) MiB"
	fi
	expect_eq "$hmb MB offer: no temporary file left" "$(ls -A tmp-huge)" ""
	rm -f huge.db
fi

# malformed, each against a database that already holds the small list
bad_case() {
	cp small.db case.db
	before=$(db_fingerprint case.db)
	"$IMCOST" --db case.db import "$2" 2>err.txt
	rc=$?
	expect_eq "$1: exit 1" "$rc" 1
	if grep -qF "$2:$3" err.txt; then
		ok "$1: $2:$3"
	else
		nok "$1: $2:$3" "$(head -c 300 err.txt)"
	fi
	expect_eq "$1: database untouched" "$(db_fingerprint case.db)" "$before"
}
pos=$("$PYTHON" - small.json <<'PY'
import json, sys
s = open(sys.argv[1]).read()
lines = s.split("\n")
def where(text):
    try:
        json.loads(text)
        return "parsed"
    except json.JSONDecodeError as e:
        return "%d:%d" % (e.lineno, e.colno)
# a bare word for a value in the 37th product's vcpu
i = [k for k, l in enumerate(lines) if '"vcpu"' in l][36]
bad = lines[:]
bad[i] = bad[i].replace('"vcpu": "', '"vcpu": x').replace('",', ',')
open("bad.json", "w").write("\n".join(bad))
print(where("\n".join(bad)))
# a bare word in a term (the 101st unit)
i = [k for k, l in enumerate(lines) if '"unit"' in l][100]
bad = lines[:]
bad[i] = bad[i].replace('"unit": "', '"unit": x').replace('",', ',')
open("badterm.json", "w").write("\n".join(bad))
print(where("\n".join(bad)))
# a trailing comma after the last product
i = lines.index('  },')   # products' closing brace
bad = lines[:]
bad[i - 1] = bad[i - 1] + ","
open("comma.json", "w").write("\n".join(bad))
print(where("\n".join(bad)))
# the 51st product twice: the second one's key
k = [n for n, l in enumerate(lines) if l.startswith('    "') and l.endswith(': {')][50]
e = k + 1
while lines[e] != '    },':
    e += 1
dup = lines[:e + 1] + lines[k:e + 1] + lines[e + 1:]
open("dup.json", "w").write("\n".join(dup))
print("%d:5" % (e + 2))
# a bare word after the document
open("tail.json", "w").write(s + "x\n")
print(where(s + "x\n"))
# the file cut in the middle of terms
open("cut.json", "w").write(s[:len(s) * 3 // 4])
PY
)
read -r p_bad p_badterm p_comma p_dup p_tail <<< "$(echo $pos)"
bad_case "bare word inside a product" bad.json "$p_bad: invalid JSON"
bad_case "bare word inside a term" badterm.json "$p_badterm: invalid JSON"
bad_case "trailing comma in products" comma.json "$p_comma: invalid JSON"
bad_case "a SKU twice in products" dup.json "$p_dup: duplicate key"
bad_case "bare word after the document" tail.json "$p_tail: a price list is one JSON document"
bad_case "file ends inside terms" cut.json ""
grep -q "ends inside the .* object" err.txt && ok "cut: says the file ends inside an object" ||
	nok "cut: says the file ends inside an object" "$(cat err.txt)"
