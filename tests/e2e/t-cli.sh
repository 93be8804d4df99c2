#!/bin/bash
# t-cli.sh - the command-line contract (README, docs/JSON.md): help and usage errors,
# exit statuses (0 ok, 1 failed, 2 usage), global options before or after
# the command, write errors on stdout (/dev/full), data on stdout and
# diagnostics on stderr, --quiet, the database path rules, and the JSON
# keys of `analyze`.
. "$ROOT/tests/e2e/lib.sh"
cd "$TEST_DIR" || exit 1

HDR='bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,product/ProductName,lineItem/CurrencyCode,lineItem/UnblendedCost,resourceTags/user:team'
row() { echo "111122223333,$1-01T00:00:00Z,$2-01T00:00:00Z,Usage,$1-02T00:00:00Z,$1-02T01:00:00Z,$3,$4,USD,$5,chat"; }
{ echo "$HDR"; row 2026-01 2026-02 AmazonEC2 "Amazon Elastic Compute Cloud" 12.345678; row 2026-01 2026-02 AmazonS3 "Amazon Simple Storage Service" 0.5; } >jan.csv
{ echo "$HDR"; row 2026-02 2026-03 AmazonEC2 "Amazon Elastic Compute Cloud" 3.25; } >feb.csv
{ echo "$HDR"; row 2026-03 2026-04 AmazonEC2 "Amazon Elastic Compute Cloud" 1.00; } >mar.csv
{ echo "$HDR"; echo "111122223333,2026-04-01T00:00:00Z,2026-05-01T00:00:00Z,Usage,2026-04-02T00:00:00Z,2026-04-02T01:00:00Z,AmazonEC2,EC2,USD,1.00"; } >apr-ragged.csv
{ echo "$HDR"; echo "111122223333,2026-05-01T00:00:00Z,2026-06-01T00:00:00Z,Usage,2026-05-02T00:00:00Z,2026-05-02T01:00:00Z,AmazonEC2,EC2,USD,1.0.0,chat"; } >bad.csv

# ---- help ----
"$IMCOST" --help >help.out 2>help.err
expect_eq "--help: exit 0" "$?" 0
if head -1 help.out | grep -q '^usage: imcost'; then ok "--help: usage on stdout"; else nok "--help: usage on stdout" "$(head -1 help.out)"; fi
expect_eq "--help: nothing on stderr" "$(wc -c <help.err)" 0
cmds=$(sed -n '/^Commands:/,/^$/p' help.out | sed -nE 's/^  ([a-z][a-z-]*) .*/\1/p')
for c in import analyze list sql; do
	case " $(echo $cmds) " in
	*" $c "*) ok "--help lists $c" ;;
	*) nok "--help lists $c" "commands: $(echo $cmds)" ;;
	esac
done
for c in $cmds; do
	for h in --help -h; do
		"$IMCOST" "$c" $h >h.out 2>h.err
		expect_eq "$c $h: exit 0" "$?" 0
		if grep -q "^usage: imcost.* $c" h.out; then ok "$c $h: usage on stdout"; else nok "$c $h: usage on stdout" "$(head -2 h.out)"; fi
		expect_eq "$c $h: nothing on stderr" "$(wc -c <h.err)" 0
	done
	expect_status "$c --help > /dev/full: exit 1" 1 sh -c "\"\$0\" $c --help >/dev/full" "$IMCOST"
done
expect_status "--version: exit 0" 0 "$IMCOST" --version

# ---- usage errors: exit 2, nothing on stdout ----
usage() {
	local name=$1; shift
	"$@" >u.out 2>u.err
	local rc=$?
	if [ $rc = 2 ] && [ ! -s u.out ] && [ -s u.err ]; then ok "$name: exit 2, message on stderr"; else nok "$name: exit 2, message on stderr" "exit $rc, stdout $(wc -c <u.out) bytes, stderr '$(head -c 200 u.err)'"; fi
}
usage "no command" "$IMCOST"
usage "unknown command" "$IMCOST" frobnicate
usage "unknown global option" "$IMCOST" --frobnicate list
usage "import: unknown option" "$IMCOST" import --frobnicate jan.csv
usage "import: no files" "$IMCOST" import
usage "import: unknown --as format" "$IMCOST" import --as nosuchformat jan.csv
usage "analyze: unknown option" "$IMCOST" analyze --frobnicate
usage "analyze: --month without value" "$IMCOST" analyze --month
usage "analyze: bad --month" "$IMCOST" analyze --month 2026-1
usage "list: unexpected argument" "$IMCOST" list extra
usage "sql: no query" "$IMCOST" sql
usage "--format: unknown" "$IMCOST" --format yaml list
usage "--db: no value" "$IMCOST" list --db
expect_eq "usage errors created no database" "$([ -e "$IMCOST_DB" ] && echo yes || echo no)" no

# ---- no database yet: read commands fail cleanly and create nothing ----
nodb() {
	"$IMCOST" "$@" >n.out 2>n.err
	local rc=$?
	if [ $rc = 1 ] && [ -s n.err ] && [ "$(wc -l <n.err)" = 1 ]; then ok "$* without a database: exit 1, one line"; else nok "$* without a database: exit 1, one line" "exit $rc: $(cat n.err)"; fi
}
nodb list
nodb analyze
nodb sql 'SELECT 1'
expect_eq "read commands created no database" "$([ -e "$IMCOST_DB" ] && echo yes || echo no)" no

# ---- data on stdout, diagnostics on stderr ----
"$IMCOST" import jan.csv >i.out 2>i.err
expect_eq "import: exit 0" "$?" 0
expect_eq "import: nothing on stdout" "$(wc -c <i.out)" 0
if grep -q 'jan\.csv' i.err; then ok "import: reports the file on stderr"; else nok "import: reports the file on stderr" "$(cat i.err)"; fi
"$IMCOST" --format json analyze feb.csv >a.json 2>a.err
expect_eq "analyze FILE --format json: exit 0" "$?" 0
if jq -e . a.json >/dev/null 2>&1; then ok "analyze FILE --format json: stdout is one JSON document"; else nok "analyze FILE --format json: stdout is one JSON document" "$(head -c 200 a.json)"; fi
if grep -q 'feb\.csv' a.err; then ok "analyze FILE: import report on stderr"; else nok "analyze FILE: import report on stderr" "$(cat a.err)"; fi
"$IMCOST" --format json import mar.csv >ij.json 2>/dev/null
expect_eq "import --format json: a JSON array naming the file" "$(jq -r '.[0].file' ij.json)" mar.csv

# ---- JSON keys of analyze (docs/JSON.md) ----
"$IMCOST" --format json analyze --month 2026-01 >j.json 2>/dev/null
expect_eq "json: period.start" "$(jq -r '.period.start' j.json)" 2026-01-01
expect_eq "json: period.end" "$(jq -r '.period.end' j.json)" 2026-02-01
expect_eq "json: currency" "$(jq -r '.currency' j.json)" USD
expect_eq "json: summary.billed_cost is a number" "$(jq -r '.summary.billed_cost | type' j.json)" number
expect_eq "json: summary.effective_cost is a number" "$(jq -r '.summary.effective_cost | type' j.json)" number
dec_eq "json: summary.billed_cost = 12.345678 + 0.5" "$(json_get j.json summary.billed_cost)" 12.845678
expect_eq "json: by_service rows have service, billed_cost, effective_cost" \
	"$(jq -r '[.summary.by_service[] | [(.service | type), (.billed_cost | type), (.effective_cost | type)] | join(",")] | unique | join(" ")' j.json)" \
	"string,number,number"
expect_eq "json: by_service services" \
	"$(jq -r '[.summary.by_service[].service] | sort | join("|")' j.json)" \
	"Amazon Elastic Compute Cloud|Amazon Simple Storage Service"
dec_eq "json: by_service EC2 billed" "$(jq -r '.summary.by_service[] | select(.service == "Amazon Elastic Compute Cloud") | .billed_cost' j.json)" 12.345678
"$PYTHON" - j.json <<'PY' && ok "json: money has at most 6 decimals" || nok "json: money has at most 6 decimals"
import json, sys
bad = []
def walk(v, path):
    if isinstance(v, dict):
        for k, x in v.items(): walk(x, path + '.' + k)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(x, path + '.' + str(i))
    elif isinstance(v, str) and path.endswith('cost') and '.' in v and len(v.split('.')[1]) > 6:
        bad.append(path)
walk(json.load(open(sys.argv[1]), parse_float=str), '')
sys.exit(1 if bad else 0)
PY

# ---- global options before and after the command ----
"$IMCOST" --db "$IMCOST_DB" --format json list >g1.out 2>/dev/null
"$IMCOST" list --db "$IMCOST_DB" --format json >g2.out 2>/dev/null
"$IMCOST" list --format=json --db="$IMCOST_DB" >g3.out 2>/dev/null
if [ -s g1.out ] && cmp -s g1.out g2.out && cmp -s g1.out g3.out; then ok "global options before or after list"; else nok "global options before or after list" "outputs differ"; fi
"$IMCOST" --format json analyze --month 2026-01 >g4.out 2>/dev/null
"$IMCOST" analyze --month 2026-01 --format json >g5.out 2>/dev/null
if [ -s g4.out ] && cmp -s g4.out g5.out; then ok "global options before or after analyze"; else nok "global options before or after analyze" "outputs differ"; fi
"$IMCOST" --format csv sql 'SELECT count(*) AS n FROM charges' >g6.out 2>/dev/null
"$IMCOST" sql 'SELECT count(*) AS n FROM charges' --format csv >g7.out 2>/dev/null
if [ -s g6.out ] && cmp -s g6.out g7.out; then ok "global options before or after sql"; else nok "global options before or after sql" "outputs differ"; fi

# --db wins over $IMCOST_DB; without either, ./imcost.db
fp=$(db_fingerprint)
"$IMCOST" --db other.db --quiet import feb.csv
expect_eq "--db other.db: imported there" "$(charges_count other.db)" 1
expect_eq "--db other.db: \$IMCOST_DB untouched" "$(db_fingerprint)" "$fp"
mkdir -p sub
(cd sub && env -u IMCOST_DB "$IMCOST" --quiet import ../feb.csv)
expect_eq "no --db, no \$IMCOST_DB: ./imcost.db" "$(charges_count sub/imcost.db)" 1

# ---- write errors on stdout ----
full() {
	"$IMCOST" "$@" >/dev/full 2>full.err
	local rc=$?
	if [ $rc = 1 ] && [ -s full.err ]; then ok "$* > /dev/full: exit 1 with a message"; else nok "$* > /dev/full: exit 1 with a message" "exit $rc, stderr '$(cat full.err)'"; fi
}
full analyze
full list
full formats
full sql 'SELECT * FROM charges'
full --format json analyze
full --format json sql 'SELECT * FROM charges'
full --format csv list
full --format markdown analyze

# ---- --quiet ----
"$IMCOST" --quiet import mar.csv >q.out 2>q.err
expect_eq "--quiet import (unchanged): silent" "$(cat q.out q.err | wc -c)" 0
"$IMCOST" import apr-ragged.csv --quiet >q.out 2>q.err
expect_eq "import FILE --quiet with a warning: exit 0" "$?" 0
expect_eq "import FILE --quiet with a warning: silent" "$(cat q.out q.err | wc -c)" 0
"$IMCOST" -q import jan.csv 2>q.err
expect_eq "-q: silent" "$(wc -c <q.err)" 0
"$IMCOST" --quiet --format json analyze --month 2026-01 >q.json 2>q.err
expect_eq "--quiet analyze: data still on stdout" "$(jq -r .currency q.json)" USD
expect_eq "--quiet analyze: nothing on stderr" "$(wc -c <q.err)" 0
"$IMCOST" --quiet import bad.csv >q.out 2>q.err
expect_eq "--quiet with an error: exit 1" "$?" 1
expect_eq "--quiet with an error: the error is still printed" "$(grep -c '^imcost: bad\.csv:2:10: ' q.err)" 1
