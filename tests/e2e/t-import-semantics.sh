#!/bin/bash
# t-import-semantics.sh - the import rules of issue 9 on generated CUR
# months (bench/gen-cur.c plants exact totals in FILE.tot):
#  - the same content again (same name, another name, gzip, stdin) changes
#    nothing and says "unchanged";
#  - a restated month (a new file for the same payer and month) replaces the
#    old one, last import wins; the files of one command are one batch whose
#    parts add up; a later single part replaces the whole older batch;
#    `list` shows which batch is current; other months and payers are kept;
#  - one summary per currency, never a sum across currencies;
#  - --month filters on the billing period, whose end is exclusive;
#  - `analyze FILE` imports then analyzes that file's period;
#  - a broken file in a command means nothing of the command is imported;
#  - `imcost sql` cannot write.
# Expected numbers come from the generator's totals and from
# expected_summary (lib.sh), never from imcost.
. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then
	skip "import-semantics" "no $GEN_CUR"
	exit 0
fi
P=111122223333
Q=999988887777

# month_json MONTH OUT: analyze --format json --month MONTH into OUT
month_json() { "$IMCOST" --format json analyze --only summary --month "$1" >"$2" 2>"$TEST_DIR/analyze.err"; }

# expect_month NAME MONTH BILLED EFFECTIVE: the month's totals
expect_month() {
	local s
	month_json "$2" "$TEST_DIR/m.json"
	s=$(summary_of "$TEST_DIR/m.json")
	set -- "$1" "$2" "$3" "$4" $s
	dec_eq "$1: billed $2" "$5" "$3"
	dec_eq "$1: effective $2" "$6" "$4"
}

# status_of FILE PERIOD: the `list` status of FILE's row for PERIOD (the
# latest import of that path)
status_of() {
	"$IMCOST" --format json list 2>/dev/null |
		jq -r --arg f "$1" --arg p "$2" '[.[] | select(.file == $f and .period == $p)] | last | .status // "absent"'
}

cd "$TEST_DIR" || exit 1
gen_cur a.csv 2026-03 1 $P 3000
gen_cur a2.csv 2026-03 2 $P 2500
gen_cur b.csv 2026-04 3 $P 3000
gen_cur b2.csv 2026-04 4 $P 2000
gen_cur c.csv 2026-03 5 $Q 1500

# The oracle agrees with the generator (so it can be trusted below).
expected_summary a.csv >a.want
dec_eq "oracle: expected_summary equals gen-cur billed total" \
	"$(json_get a.want USD.billed)" "$(tot a.csv.tot billed_cost)" 10
dec_eq "oracle: expected_summary equals gen-cur effective total" \
	"$(json_get a.want USD.effective)" "$(tot a.csv.tot effective_cost)" 10

# ---- first import ----
"$IMCOST" --format json import a.csv >imp.json 2>imp.err
expect_eq "import a.csv: exit 0" "$?" 0
expect_eq "import a.csv: records = generator rows" "$(jq -r '.[0].records' imp.json)" "$(tot a.csv.tot rows)"
expect_eq "import a.csv: not unchanged" "$(jq -r '.[0].unchanged' imp.json)" false
expect_month "after a.csv" 2026-03 "$(tot a.csv.tot billed_cost)" "$(tot a.csv.tot effective_cost)"
check_summary "a.csv by service" "$TEST_DIR/m.json" a.want

# ---- same content again ----
fp=$(db_fingerprint)
n0=$(charges_count)
"$IMCOST" import a.csv 2>again.err
expect_eq "same file again: exit 0" "$?" 0
if grep -q "a.csv.*unchanged" again.err; then ok "same file again: says unchanged"; else nok "same file again: says unchanged" "$(cat again.err)"; fi
expect_eq "same file again: row count unchanged" "$(charges_count)" "$n0"
expect_eq "same file again: database unchanged" "$(db_fingerprint)" "$fp"

gzip -c -n a.csv >renamed-march.csv.gz
cp a.csv other-name.csv
for f in renamed-march.csv.gz other-name.csv; do
	"$IMCOST" --format json import "$f" >dup.json 2>dup.err
	expect_eq "same content as $f: exit 0" "$?" 0
	expect_eq "same content as $f: unchanged" "$(jq -r '.[0].unchanged' dup.json)" true
	if grep -q "unchanged" dup.err; then ok "same content as $f: says unchanged"; else nok "same content as $f: says unchanged" "$(cat dup.err)"; fi
	expect_eq "same content as $f: database unchanged" "$(db_fingerprint)" "$fp"
done
# a multi-member gzip (two gzip streams concatenated) of the same bytes
head -n 1000 a.csv | gzip -c -n >two-members.csv.gz
tail -n +1001 a.csv | gzip -c -n >>two-members.csv.gz
"$IMCOST" --format json import two-members.csv.gz >dup.json 2>dup.err
expect_eq "same content as a two-member gzip: unchanged" "$(jq -r '.[0].unchanged' dup.json)" true
expect_eq "same content as a two-member gzip: database unchanged" "$(db_fingerprint)" "$fp"
"$IMCOST" import - <a.csv 2>dup.err
expect_eq "same content on stdin: exit 0" "$?" 0
expect_eq "same content on stdin: database unchanged" "$(db_fingerprint)" "$fp"
gzip -c -n a.csv | "$IMCOST" import - 2>dup.err
expect_eq "same content gzipped on stdin: database unchanged" "$(db_fingerprint)" "$fp"

# ---- restatement: last import wins ----
"$IMCOST" import a2.csv 2>/dev/null
expect_eq "restated month: exit 0" "$?" 0
expect_month "restated month" 2026-03 "$(tot a2.csv.tot billed_cost)" "$(tot a2.csv.tot effective_cost)"
expect_eq "restated month: rows are the new file's" \
	"$(sqlite3 "$IMCOST_DB" "SELECT count(*) FROM charges WHERE BillingPeriodStart = strftime('%s','2026-03-01')")" \
	"$(sqlite3 "$IMCOST_DB" "SELECT rows FROM imports WHERE path = 'a2.csv'")"
case "$(status_of a.csv 2026-03)" in
replaced*) ok "list: a.csv replaced" ;;
*) nok "list: a.csv replaced" "status '$(status_of a.csv 2026-03)'" ;;
esac
expect_eq "list: a2.csv current" "$(status_of a2.csv 2026-03)" current

"$IMCOST" import a.csv 2>back.err
expect_month "older copy imported again wins again" 2026-03 "$(tot a.csv.tot billed_cost)" "$(tot a.csv.tot effective_cost)"
expect_eq "list: a2.csv replaced after a.csv again" "$(status_of a2.csv 2026-03 | cut -c1-8)" replaced

# ---- parts of one command add up ----
head -1 b.csv >b-part1.csv
cp b-part1.csv b-part2.csv
tail -n +2 b.csv | head -n 1200 >>b-part1.csv
tail -n +2 b.csv | tail -n +1201 >>b-part2.csv
"$IMCOST" import b-part1.csv b-part2.csv 2>/dev/null
expect_eq "two parts in one command: exit 0" "$?" 0
expect_month "two parts add up" 2026-04 "$(tot b.csv.tot billed_cost)" "$(tot b.csv.tot effective_cost)"
expect_eq "list: part 1 current" "$(status_of b-part1.csv 2026-04)" current
expect_eq "list: part 2 current" "$(status_of b-part2.csv 2026-04)" current
expect_month "other month kept" 2026-03 "$(tot a.csv.tot billed_cost)" "$(tot a.csv.tot effective_cost)"

"$IMCOST" import b2.csv 2>/dev/null
expect_month "a later single file replaces both parts" 2026-04 "$(tot b2.csv.tot billed_cost)" "$(tot b2.csv.tot effective_cost)"
for p in b-part1.csv b-part2.csv; do
	case "$(status_of $p 2026-04)" in
	replaced*) ok "list: $p replaced" ;;
	*) nok "list: $p replaced" "status '$(status_of $p 2026-04)'" ;;
	esac
done
expect_eq "list: b2.csv current" "$(status_of b2.csv 2026-04)" current
expect_eq "list: exactly one batch current for 2026-04" \
	"$("$IMCOST" --format json list | jq '[.[] | select(.period == "2026-04" and .status == "current") | .batch] | unique | length')" 1

# Parts given in separate commands are separate batches: the second replaces
# the first.
"$IMCOST" import b-part1.csv 2>/dev/null
"$IMCOST" import b-part2.csv 2>/dev/null
expected_summary b-part2.csv >p2.want
expect_month "part 2 alone replaces part 1 (separate commands)" 2026-04 \
	"$(jq -r .USD.billed p2.want)" "$(jq -r .USD.effective p2.want)"

# A batch that re-sends one part of the previous batch plus a new part: the
# re-sent part is unchanged and belongs to the new batch; the rest of the
# old batch is replaced.
"$IMCOST" import b-part1.csv b-part2.csv 2>/dev/null
expect_month "parts again" 2026-04 "$(tot b.csv.tot billed_cost)" "$(tot b.csv.tot effective_cost)"
head -1 b2.csv >b-part3.csv
tail -n +2 b2.csv | head -n 700 >>b-part3.csv
expected_summary b-part1.csv >p1.want
expected_summary b-part3.csv >p3.want
"$IMCOST" import b-part1.csv b-part3.csv 2>/dev/null
expect_month "re-sent part 1 + new part 3" 2026-04 \
	"$(dec_sum "$(jq -r .USD.billed p1.want)" "$(jq -r .USD.billed p3.want)")" \
	"$(dec_sum "$(jq -r .USD.effective p1.want)" "$(jq -r .USD.effective p3.want)")"

# A command whose first file is unchanged must still form a batch of its
# own: a later restatement of its other file's month replaces it.
gen_cur d.csv 2026-07 6 $P 1200
gen_cur d2.csv 2026-07 7 $P 1100
"$IMCOST" import a.csv d.csv 2>/dev/null
expect_eq "unchanged file + new file: exit 0" "$?" 0
expect_eq "unchanged file + new file: every import belongs to a recorded batch" \
	"$(sqlite3 "$IMCOST_DB" 'SELECT count(*) FROM imports WHERE batch_id NOT IN (SELECT id FROM batches)')" 0
expect_month "unchanged file + new file" 2026-07 "$(tot d.csv.tot billed_cost)" "$(tot d.csv.tot effective_cost)"
"$IMCOST" import d2.csv 2>/dev/null
expect_month "restating the new file's month after a command that began with an unchanged file" 2026-07 \
	"$(tot d2.csv.tot billed_cost)" "$(tot d2.csv.tot effective_cost)"
case "$(status_of d.csv 2026-07)" in
replaced*) ok "list: d.csv replaced by d2.csv" ;;
*) nok "list: d.csv replaced by d2.csv" "status '$(status_of d.csv 2026-07)'" ;;
esac
n_batches=$(sqlite3 "$IMCOST_DB" "SELECT count(DISTINCT batch_id) FROM imports WHERE path IN ('d.csv','d2.csv')")
expect_eq "d.csv and d2.csv were imported by different batches" "$n_batches" 2

# The same content twice in one command counts once.
gen_cur e.csv 2026-08 8 $P 1000
gzip -c -n e.csv >e-copy.csv.gz
"$IMCOST" import e.csv e-copy.csv.gz 2>dup2.err
expect_eq "same content twice in one command: exit 0" "$?" 0
expect_month "same content twice in one command counts once" 2026-08 "$(tot e.csv.tot billed_cost)" "$(tot e.csv.tot effective_cost)"

# Another payer's bill for the same month is not a restatement.
"$IMCOST" import c.csv 2>/dev/null
expect_month "another payer, same month: both kept" 2026-03 \
	"$(dec_sum "$(tot a.csv.tot billed_cost)" "$(tot c.csv.tot billed_cost)")" \
	"$(dec_sum "$(tot a.csv.tot effective_cost)" "$(tot c.csv.tot effective_cost)")"

# ---- --month: billing period, exclusive end ----
month_json 2026-03 m3.json
expect_eq "--month 2026-03: period.start" "$(json_get m3.json period.start)" 2026-03-01
expect_eq "--month 2026-03: period.end is the exclusive end" "$(json_get m3.json period.end)" 2026-04-01
# a month without charges is an error naming the months that have some
# (issue 18: never "none in this period" with exit 0)
month_json 2026-02 m2.json
rc=$?
if [ $rc = 1 ] && [ ! -s m2.json ] && grep -q 'no charges for 2026-02 .*months with charges: 2026-03' analyze.err; then
	ok "--month with no data: exit 1 naming the months there are"
else
	nok "--month with no data: exit 1 naming the months there are" "exit $rc: $(head -c 300 analyze.err)"
fi
# Late usage: a charge of September billed in October counts in October.
printf '%s\n%s\n' \
	'bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost' \
	'555566667777,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,Usage,2026-09-30T23:00:00Z,2026-10-01T00:00:00Z,AmazonEC2,USD,7.00' >late.csv
"$IMCOST" --quiet import late.csv
month_json 2026-10 m10.json
dec_eq "--month 2026-10 holds September usage billed in October" "$(json_get m10.json summary.billed_cost)" 7
month_json 2026-09 m9.json
rc=$?
if [ $rc = 1 ] && grep -q 'no charges for 2026-09' analyze.err; then ok "--month 2026-09 does not (no charges there: exit 1)"; else nok "--month 2026-09 does not (no charges there: exit 1)" "exit $rc: $(head -c 300 analyze.err)"; fi
expect_status "--month 2026-13 is a usage error" 2 "$IMCOST" analyze --month 2026-13
expect_status "--month 2026-3 is a usage error" 2 "$IMCOST" analyze --month 2026-3

# ---- one summary per currency ----
gen_cur f.csv 2026-05 9 $P 2000
"$PYTHON" - f.csv fx.csv <<'PY'
import csv, sys
r = csv.reader(open(sys.argv[1], newline=''))
w = csv.writer(open(sys.argv[2], 'w', newline=''), lineterminator='\n')
h = next(r); w.writerow(h)
i = h.index('lineItem/CurrencyCode')
for n, row in enumerate(r):
    if n % 3 == 1:
        row[i] = 'EUR'
    w.writerow(row)
PY
expected_summary fx.csv >fx.want
"$IMCOST" import fx.csv 2>/dev/null
month_json 2026-05 fx.json
check_summary "two currencies" fx.json fx.want
usd=$(jq -r .USD.billed fx.want); eur=$(jq -r .EUR.billed fx.want)
if "$PYTHON" -c '
import json, sys
from decimal import Decimal
d = json.load(open(sys.argv[1]), parse_float=Decimal)
bad = Decimal(sys.argv[2]) + Decimal(sys.argv[3])
def walk(v):
    if isinstance(v, dict): return any(walk(x) for x in v.values())
    if isinstance(v, list): return any(walk(x) for x in v)
    return isinstance(v, Decimal) and abs(v - bad) < Decimal("0.000001")
sys.exit(1 if walk(d) else 0)' fx.json "$usd" "$eur"; then
	ok "two currencies: no amount is USD + EUR"
else
	nok "two currencies: no amount is USD + EUR" "found $(dec_sum "$usd" "$eur") in the JSON"
fi
"$IMCOST" analyze --month 2026-05 >fx.txt 2>/dev/null
if grep -q EUR fx.txt && grep -q USD fx.txt; then ok "two currencies: table shows both"; else nok "two currencies: table shows both" "$(head -5 fx.txt)"; fi

# ---- analyze FILE imports, then analyzes that file's period ----
gen_cur g.csv 2026-06 10 $P 1000
n_imports=$(sqlite3 "$IMCOST_DB" 'SELECT count(*) FROM imports')
"$IMCOST" --format json analyze g.csv >g.json 2>g.err
expect_eq "analyze FILE: exit 0" "$?" 0
expect_eq "analyze FILE: the file was imported" "$(sqlite3 "$IMCOST_DB" 'SELECT count(*) FROM imports')" $((n_imports + 1))
expect_eq "analyze FILE: period.start" "$(json_get g.json period.start)" 2026-06-01
expect_eq "analyze FILE: period.end" "$(json_get g.json period.end)" 2026-07-01
s=$(summary_of g.json)
dec_eq "analyze FILE: billed is the file's only" "${s%% *}" "$(tot g.csv.tot billed_cost)"
"$IMCOST" --format json analyze g.csv >g2.json 2>g2.err
if grep -q unchanged g2.err; then ok "analyze FILE again: unchanged"; else nok "analyze FILE again: unchanged" "$(cat g2.err)"; fi
s=$(summary_of g2.json)
dec_eq "analyze FILE again: same billed" "${s%% *}" "$(tot g.csv.tot billed_cost)"

# ---- a broken part: nothing of the command is imported ----
gen_cur h.csv 2026-09 11 $P 1000
head -c 20000 h.csv >h-broken.csv
fp=$(db_fingerprint)
"$IMCOST" import h.csv h-broken.csv 2>broken.err
expect_eq "good + broken part: exit 1" "$?" 1
expect_eq "good + broken part: one line on stderr" "$(wc -l <broken.err)" 1
if grep -qE '^imcost: h-broken\.csv:[0-9]+:[0-9]+: ' broken.err; then ok "good + broken part: names the broken file, line and column"; else nok "good + broken part: names the broken file, line and column" "$(cat broken.err)"; fi
expect_eq "good + broken part: database unchanged" "$(db_fingerprint)" "$fp"
"$IMCOST" --format json analyze h.csv h-broken.csv >hb.out 2>hb.err
expect_eq "analyze good + broken: exit 1" "$?" 1
expect_eq "analyze good + broken: nothing on stdout" "$(wc -c <hb.out)" 0
expect_eq "analyze good + broken: database unchanged" "$(db_fingerprint)" "$fp"

# ---- imcost sql cannot write ----
fp=$(db_fingerprint)
sqlite3 "$IMCOST_DB" "VACUUM INTO 'other.db'"
for q in "INSERT INTO batches(label, created_at) VALUES ('x', 'y')" \
	"UPDATE charges SET BilledCostNanos = 0" \
	"DELETE FROM charges" \
	"REPLACE INTO batches(id, label, created_at) VALUES (1, 'x', 'y')" \
	"DROP TABLE charges" \
	"CREATE TABLE t(x)" \
	"ATTACH 'other.db' AS o" \
	"ATTACH 'new.db' AS n" \
	"PRAGMA user_version = 99" \
	"PRAGMA journal_mode = DELETE" \
	"VACUUM" \
	"VACUUM INTO 'copy.db'" \
	"SELECT 1; DELETE FROM charges" \
	"WITH x AS (SELECT 1) DELETE FROM charges"; do
	"$IMCOST" sql "$q" >/dev/null 2>sql.err
	rc=$?
	if [ $rc = 1 ] || [ $rc = 2 ]; then ok "sql refuses: $q"; else nok "sql refuses: $q" "exit $rc"; fi
	expect_eq "sql $q: database unchanged" "$(db_fingerprint)" "$fp"
done
for f in new.db copy.db; do
	if [ -e "$TEST_DIR/$f" ]; then nok "sql created no file $f" "it exists"; else ok "sql created no file $f"; fi
done
expect_eq "sql SELECT works" "$("$IMCOST" --format csv sql 'SELECT count(*) AS n FROM charges' | tail -1)" "$(charges_count)"
