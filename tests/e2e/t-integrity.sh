#!/bin/bash
# t-integrity.sh - a damaged database, read-only places and the causes of
# open failures (issue 24, parts 1 and 2).
#
# Damage: 4 KB of random bytes over one page in the middle of a valid
# database (a page chosen so that the sqlite3 CLI's own integrity_check
# reports it: the independent judge).  Every command (list, analyze, its
# JSON, report, sql, prices, levers, check, import of another month) exits
# 1 with one stderr line "DB is damaged: ...; restore it or re-import into
# a new database", and the file stays byte-identical (SHA-256).  (`sql`
# checks the tables its statement reads, issue 23: it reads charges here.)
# `imcost check`: ok on the good copy (text and JSON), the problems on the
# damaged one.
# Read-only: the database 0444 in a 0555 directory, read by user nobody
# (setpriv): list, analyze, report, sql and prices give the same output
# as on a writable copy, and neither the file nor the directory changes
# (no -wal, -shm or -journal created).
# Causes: --db naming a directory, a device, a file nobody may read; a
# schema newer than this imcost ("written by a newer imcost (schema N);
# upgrade imcost") refused by reading and importing commands alike, file
# unchanged; the quick check's time limit gives a warning, not silence.
. "$(dirname "$0")/lib.sh"
cd "$TEST_DIR" || exit 1

if ! have_gen; then
	skip "integrity" "gen-cur not built"
	exit 0
fi
gen_cur oct.csv 2026-10 7 123456789012 20000 || { nok "gen-cur"; exit 0; }
gen_cur nov.csv 2026-11 8 123456789012 2000 || { nok "gen-cur nov"; exit 0; }
"$IMCOST" --db good.db import oct.csv >/dev/null 2>err || { nok "import" "$(cat err)"; exit 0; }

# one_line NAME FILE PATTERN: FILE has exactly one line, matching PATTERN
one_line() {
	local n
	n=$(wc -l <"$2")
	if [ "$n" = 1 ] && grep -Eq "$3" "$2"; then ok "$1"; else nok "$1" "$n lines: $(head -c 300 "$2")"; fi
}

# --- imcost check on a good database ---
"$IMCOST" --db good.db check >out 2>err
rc=$?
if [ $rc = 0 ] && grep -q "^ok: good.db passed SQLite's integrity_check (schema $(schema_version good.db)," out; then
	ok "check: a good database is ok"
else
	nok "check: a good database is ok" "exit $rc: $(cat out err)"
fi
"$IMCOST" --db good.db --format json check >out.json 2>err
expect_eq "check --format json: ok true, no problems" \
	"$(jq -r '[.ok, (.problems | length), .pages == ('"$(sqlite3 good.db 'PRAGMA page_count')"')] | @tsv' out.json)" \
	"true	0	true"

# --- damage: 4 KB of random bytes over a page the sqlite3 CLI then finds bad ---
pages=$(sqlite3 good.db 'PRAGMA page_count')
psize=$(sqlite3 good.db 'PRAGMA page_size')
damaged=
for p in $((pages / 2)) $((pages / 2 + 1)) $((pages / 3)) $((pages * 2 / 3)) $((pages - 2)); do
	cp good.db bad.db
	"$PYTHON" - bad.db $((p * psize)) <<'PY'
import os, sys, random
random.seed(24)
with open(sys.argv[1], 'r+b') as f:
    f.seek(int(sys.argv[2]))
    f.write(bytes(random.getrandbits(8) for _ in range(4096)))
PY
	if [ "$(sqlite3 bad.db 'PRAGMA integrity_check' 2>&1 | head -1)" != ok ]; then
		damaged=$p
		break
	fi
done
if [ -z "$damaged" ]; then
	nok "damage a page" "no page of $pages made integrity_check fail"
	exit 0
fi
sum0=$(sha256sum bad.db | cut -d' ' -f1)
mkdir -p rep
# refused LABEL CMD...: CMD on bad.db exits 1 with the one-line error,
# leaves the file byte-identical and prints no data (analyze, report and
# import check beside their work, DB_READ_BG / DB_WRITE_BG: what they
# made must not reach stdout before the verdict)
refused() {
	local label=$1 rc
	shift
	"$@" >out 2>err
	rc=$?
	if [ $rc = 1 ]; then ok "$label exits 1"; else nok "$label exits 1" "exit $rc"; fi
	one_line "$label says so in one line" err \
		'^imcost: bad\.db: DB is damaged: .+; restore it or re-import into a new database'
	expect_eq "$label leaves the file byte-identical" "$(sha256sum bad.db | cut -d' ' -f1)" "$sum0"
	expect_eq "$label prints no data" "$(wc -c <out)" 0
}
while IFS='|' read -r name args; do
	eval "set -- $args"
	refused "damaged: $name" "$IMCOST" --db bad.db "$@"
done <<'EOF'
list|list
analyze|analyze
analyze --format json|--format json analyze
analyze --format markdown|--format markdown analyze
analyze --format csv|--format csv analyze --only by_service
analyze --only summary|analyze --only summary
report|report --month 2026-10 --out rep
sql|sql 'SELECT COUNT(*), SUM(BilledCostNanos) FROM charges'
prices|prices
prices --type|prices --type m5.large
import of another month|import nov.csv
analyze FILE|analyze nov.csv
EOF
# above DB_FULL_CHECK_MB an import checks every b-tree page (not the full
# integrity_check), on a second connection while it imports (DB_WRITE_BG):
# forced here on the small file, the damaged page is still found, the
# import's transaction rolled back and nothing written or printed
for c in import analyze; do
	refused "damaged, page walk: $c FILE" env IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db bad.db $c nov.csv
done
# reading commands walk the pages of a large file instead of the quick check
for c in list analyze "sql 'SELECT COUNT(*), SUM(BilledCostNanos) FROM charges'"; do
	eval "set -- $c"
	IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db bad.db "$@" >out 2>err
	rc=$?
	if [ $rc = 1 ] && grep -q 'DB is damaged' err && [ "$(sha256sum bad.db | cut -d' ' -f1)" = "$sum0" ]; then
		ok "damaged, page walk: $1 refuses it, file unchanged"
	else
		nok "damaged, page walk: $1 refuses it, file unchanged" "exit $rc: $(cat err)"
	fi
done
IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db good.db list >out 2>err
expect_eq "page walk: a good database lists, no warning" "$? $(wc -c <err)" "0 0"
# sql after its walk: the statement's column names and answer intact
IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db good.db --format json sql \
	'SELECT COUNT(*) AS n, money_sum(BilledCostNanos) AS billed FROM focus_daily' >out.json 2>err
expect_eq "page walk: sql --format json keeps its column names" \
	"$(jq -r '.[0] | keys | join(",")' out.json) $(jq -r '.[0].billed' out.json)" \
	"billed,n $("$PYTHON" -c 'import sys; from decimal import Decimal; s = Decimal(sys.argv[1]) / 10**9; t = format(s, "f"); print(t.rstrip("0").rstrip(".") if "." in t else t)' "$(sqlite3 good.db 'SELECT SUM(BilledCostNanos) FROM charge_facts')")"
IMCOST_FULL_CHECK_MB=0 IMCOST_QUICK_CHECK_SECONDS=0 "$IMCOST" --db good.db list >out 2>err
if grep -q 'warning: the quick integrity check of good.db stopped after 0 s' err; then
	ok "page walk: cut at its time limit, with the warning"
else
	nok "page walk: cut at its time limit, with the warning" "$(cat err)"
fi
# analyze's check runs in a thread of its own: its cut is reported the same
for walk in 0 64; do
	IMCOST_FULL_CHECK_MB=$walk IMCOST_QUICK_CHECK_SECONDS=0 "$IMCOST" --db good.db analyze >out 2>err
	rc=$?
	if [ $rc = 0 ] && [ -s out ] &&
	   grep -q 'warning: the quick integrity check of good.db stopped after 0 s' err; then
		ok "analyze (walk limit $walk MiB): check cut at its time limit, with the warning"
	else
		nok "analyze (walk limit $walk MiB): check cut at its time limit, with the warning" \
			"exit $rc: $(cat err)"
	fi
done
# a page of a table no import writes (the root of prices, price lists'
# table), damaged: refused all the same
for t in prices prices_key; do
	root=$(sqlite3 good.db "SELECT rootpage FROM sqlite_master WHERE name = '$t'")
	cp good.db bad2.db
	"$PYTHON" - bad2.db $(((root - 1) * psize)) <<'PY'
import sys, random
random.seed(24)
with open(sys.argv[1], 'r+b') as f:
    f.seek(int(sys.argv[2]))
    f.write(bytes(random.getrandbits(8) for _ in range(4096)))
PY
	sum2=$(sha256sum bad2.db | cut -d' ' -f1)
	IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db bad2.db import nov.csv >out 2>err
	rc=$?
	if [ $rc = 1 ] && grep -q 'DB is damaged' err && [ "$(sha256sum bad2.db | cut -d' ' -f1)" = "$sum2" ]; then
		ok "page walk: $t's page damaged (a b-tree the import does not write): refused, file unchanged"
	else
		nok "page walk: $t's page damaged (a b-tree the import does not write): refused, file unchanged" "exit $rc: $(cat err)"
	fi
done
# and a good database still imports that way, to the same total as the full check
cp good.db walk.db
cp good.db full.db
IMCOST_FULL_CHECK_MB=0 "$IMCOST" --db walk.db import nov.csv >/dev/null 2>err &&
	"$IMCOST" --db full.db import nov.csv >/dev/null 2>>err
expect_eq "page walk: a good database imports as with the full check" \
	"$(sqlite3 walk.db 'SELECT COUNT(*), SUM(BilledCostNanos) FROM charge_facts')" \
	"$(sqlite3 full.db 'SELECT COUNT(*), SUM(BilledCostNanos) FROM charge_facts')"
"$IMCOST" --db bad.db check >out 2>err
rc=$?
if [ $rc = 1 ] && grep -q '^problem: ' out && grep -q 'DB is damaged: [0-9]* problem' err; then
	ok "check: the damaged database's problems listed, exit 1"
else
	nok "check: the damaged database's problems listed, exit 1" "exit $rc: $(head -c 300 out) $(cat err)"
fi
"$IMCOST" --db bad.db --format json check >out.json 2>/dev/null
expect_eq "check --format json: ok false, problems named" \
	"$(jq -r '[.ok, (.problems | length > 0)] | @tsv' out.json)" "false	true"
expect_eq "damaged: check leaves the file byte-identical" "$(sha256sum bad.db | cut -d' ' -f1)" "$sum0"

# --- causes of open failures ---
mkdir -p adir
"$IMCOST" --db adir list >out 2>err
expect_eq "a directory: exit 1" "$?" 1
one_line "a directory: named as such" err '^imcost: adir: is a directory, not a database file'
"$IMCOST" --db adir import nov.csv >out 2>err
one_line "a directory: import names it too" err '^imcost: adir: is a directory'
"$IMCOST" --db /dev/null list >out 2>err
one_line "a device: not a regular file" err '^imcost: /dev/null: not a regular file'

cp good.db newer.db
sqlite3 newer.db 'PRAGMA user_version = 99'
sumn=$(sha256sum newer.db | cut -d' ' -f1)
for c in list analyze "import nov.csv" check; do
	# shellcheck disable=SC2086
	"$IMCOST" --db newer.db $c >out 2>err
	rc=$?
	expect_eq "newer schema: $c exits 1" "$rc" 1
	one_line "newer schema: $c says upgrade imcost" err \
		'^imcost: newer\.db: this database was written by a newer imcost \(schema 99; .*\); upgrade imcost'
done
expect_eq "newer schema: file unchanged" "$(sha256sum newer.db | cut -d' ' -f1)" "$sumn"

# the quick check's time limit: a warning, never silence
IMCOST_QUICK_CHECK_SECONDS=0 "$IMCOST" --db good.db list >out 2>err
rc=$?
if [ $rc = 0 ] && grep -q 'warning: the quick integrity check of good.db stopped after 0 s' err; then
	ok "quick check cut short: warned"
else
	nok "quick check cut short: warned" "exit $rc: $(cat err)"
fi
"$IMCOST" --db good.db list >out 2>err
expect_eq "quick check within its limit: no warning" "$(cat err)" ""

# --- read-only: 0444 file in a 0555 directory, read by another user ---
if ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
	skip "read-only place" "setpriv or user nobody missing"
	exit 0
fi
chmod 755 "$TEST_DIR"
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups "$@"; }
if ! as_nobody "$IMCOST" --version >/dev/null 2>&1; then
	skip "read-only place" "user nobody cannot run $IMCOST"
	exit 0
fi
mkdir -p ro out-nobody out-root
cp good.db ro/a.db
chmod 444 ro/a.db
chmod 555 ro
chmod 777 out-nobody
suma=$(sha256sum ro/a.db | cut -d' ' -f1)
lsa=$(stat -c %y ro; ls -lA --time-style=+%s.%N ro)
while IFS='|' read -r name args; do
	eval "set -- $args"
	"$IMCOST" --db good.db "$@" >want 2>/dev/null
	as_nobody "$IMCOST" --db ro/a.db "$@" >got 2>err
	rc=$?
	# analyze's JSON names its database (.prices.database): the only
	# difference allowed
	sed -i 's#ro/a\.db#good.db#g' got
	if [ $rc = 0 ] && [ -s got ] && cmp -s want got; then
		ok "read-only place: $name as nobody"
	else
		nok "read-only place: $name as nobody" "exit $rc: $(head -c 300 err)"
	fi
done <<'EOF'
list|list
analyze|analyze
analyze --format json|--format json analyze
sql|sql 'SELECT COUNT(*), SUM(BilledCostNanos) FROM charges'
prices --type|prices --type m5.large --region us-east-1
EOF
as_nobody "$IMCOST" --db ro/a.db --format json check >got 2>err
expect_eq "read-only place: check as nobody" "$(jq -r .ok got 2>&1)" true
as_nobody "$IMCOST" --db ro/a.db report --month 2026-10 --out out-nobody/r --no-charts >/dev/null 2>err
rc=$?
"$IMCOST" --db good.db report --month 2026-10 --out out-root/r --no-charts >/dev/null 2>&1
if [ $rc = 0 ] && [ -s out-nobody/r/anomalies.csv ] && diff -r out-root/r out-nobody/r >diff.out; then
	ok "read-only place: report as nobody"
else
	nok "read-only place: report as nobody" "exit $rc: $(head -c 300 err) $(head -c 300 diff.out)"
fi
expect_eq "read-only place: the file is unchanged" "$(sha256sum ro/a.db | cut -d' ' -f1)" "$suma"
expect_eq "read-only place: the directory is unchanged (no -wal, -shm)" \
	"$(stat -c %y ro; ls -lA --time-style=+%s.%N ro)" "$lsa"
as_nobody "$IMCOST" --db ro/a.db import nov.csv >out 2>err
one_line "read-only place: import names the permission" err \
	'^imcost: ro/a\.db: cannot write the database \(Permission denied\)'
cp good.db private.db
chmod 600 private.db
as_nobody "$IMCOST" --db private.db list >out 2>err
one_line "no permission: named" err '^imcost: private\.db: cannot read the database: Permission denied'
chmod 755 ro
