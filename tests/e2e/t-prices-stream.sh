#!/bin/bash
# t-prices-stream.sh - a GCP SKU list read as a stream (issue 14): one
# skus[] element parsed at a time, so memory does not grow with the file.
# The same list, compact and small (parsed whole), pretty-printed (streamed
# from its first line) and compact above 4 MiB (streamed once the first
# line is that long), gives the same prices table, with the count the
# generator (bench/gen-prices-json.py, its own arithmetic) says; a 23 MB
# list imports within 64 MiB of peak RSS; and malformed input fails with
# FILE:LINE:COL where Python's json module puts the error (or where the
# duplicate key is), exit 1, database untouched.
. "$ROOT/tests/e2e/lib.sh"

GEN="$ROOT/bench/gen-prices-json.py"

# prices_of DB: the prices table, every column, in a fixed order
prices_of() {
	sqlite3 "$1" "SELECT provider, region, instance_type, platform, kind, term, payment,
		offering_class, currency, upfront_nanos, hourly_nanos FROM prices ORDER BY 1,2,3,4,5,6,7,8,9"
}

want=$("$PYTHON" "$GEN" gcp 200 small.json)
"$PYTHON" - small.json pretty.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(json.dumps(d, indent=2) + "\n")
PY
"$IMCOST" --db small.db import small.json 2>/dev/null
expect_eq "compact GCP list under 4 MiB imports (read whole)" "$?" 0
"$IMCOST" --db pretty.db import pretty.json 2>/dev/null
expect_eq "pretty-printed GCP list imports (streamed)" "$?" 0
expect_eq "streamed: as many prices as the generator worked out" \
	"$(sqlite3 pretty.db 'SELECT count(*) FROM prices')" "$want"
if [ "$(prices_of small.db)" = "$(prices_of pretty.db)" ] && [ -n "$(prices_of small.db)" ]; then
	ok "streamed and whole reads store the same prices, every column"
else
	nok "streamed and whole reads store the same prices, every column"
fi

# above JSON_STREAM_AFTER (4 MiB) on one line: streamed too
bigwant=$("$PYTHON" "$GEN" gcp 30000 big.json)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -o big.time -f '%M' "$IMCOST" --db big.db import big.json 2>/dev/null
	rc=$?
	kb=$(tail -1 big.time)
else
	"$IMCOST" --db big.db import big.json 2>/dev/null
	rc=$? kb=
fi
expect_eq "compact $(($(stat -c %s big.json) / 1000000)) MB GCP list imports" "$rc" 0
expect_eq "compact big list: as many prices as the generator worked out" \
	"$(sqlite3 big.db 'SELECT count(*) FROM prices')" "$bigwant"
if [ -z "$kb" ]; then
	skip "peak RSS of the big list" "no GNU time"
elif [ "${SANITIZE:-}" = 1 ]; then
	skip "peak RSS of the big list" "ASan's shadow memory and quarantine ($((kb / 1024)) MiB)"
elif [ "$kb" -le $((64 * 1024)) ]; then
	ok "peak RSS of a $(($(stat -c %s big.json) / 1000000)) MB GCP list <= 64 MiB ($((kb / 1024)) MiB)"
else
	nok "peak RSS of a $(($(stat -c %s big.json) / 1000000)) MB GCP list <= 64 MiB" "$((kb / 1024)) MiB"
fi
rm -f big.json

# malformed, each against a database that already holds the small list
# bad_case NAME FILE WANT_POSITION_AND_MESSAGE
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
pos=$("$PYTHON" - pretty.json <<'PY'
import json, sys
s = open(sys.argv[1]).read()
lines = s.split("\n")
# a bare word for a value in the 58th usageUnit: Python says where
i = [k for k, l in enumerate(lines) if '"usageUnit"' in l][57]
bad = lines[:]
bad[i] = bad[i].replace('"usageUnit": "', '"usageUnit": ').rstrip(',').rstrip('"') + ','
open("bad.json", "w").write("\n".join(bad))
try:
    json.loads("\n".join(bad))
    print("parsed")
except json.JSONDecodeError as e:
    print("%d:%d" % (e.lineno, e.colno))
# the 91st skuId twice: the second one's position
i = [k for k, l in enumerate(lines) if '"skuId"' in l][90]
dup = lines[:i + 1] + [lines[i]] + lines[i + 1:]
open("dup.json", "w").write("\n".join(dup))
print("%d:%d" % (i + 2, lines[i].index('"') + 1))
# a bare word after the array
tail = s.replace('"nextPageToken": ""', '"nextPageToken": x')
open("tail.json", "w").write(tail)
try:
    json.loads(tail)
except json.JSONDecodeError as e:
    print("%d:%d" % (e.lineno, e.colno))
# the file cut in the middle of skus[]
open("cut.json", "w").write(s[:len(s) // 2])
# a second document after the first
open("two.json", "w").write(s + "{}\n")
print("%d:1" % (len(lines)))
PY
)
read -r p_bad p_dup p_tail p_two <<< "$(echo $pos)"
bad_case "bare word inside an element" bad.json "$p_bad: invalid JSON"
bad_case "duplicate key inside an element" dup.json "$p_dup: duplicate key \"skuId\""
bad_case "bare word after the streamed array" tail.json "$p_tail: invalid JSON"
bad_case "file ends inside the array" cut.json ""
grep -q "ends inside the skus array" err.txt && ok "cut: says the file ends inside the skus array" ||
	nok "cut: says the file ends inside the skus array" "$(cat err.txt)"
bad_case "a second document after the list" two.json "$p_two: a price list is one JSON document"
