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
rm -f big.json
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
