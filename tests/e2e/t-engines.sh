#!/bin/bash
# t-engines.sh - the engine layer (common/engine.c, engine-*.c) and imports
# into remote engines (importers/engine-import.c), against real servers
# started here on loopback: a two-shard ClickHouse cluster (two servers,
# Distributed tables over MergeTree tables partitioned by month) and a
# PostgreSQL server (tests/engines/*.sh start and stop them).
#
#  - a fake client (no server): CSV output typed as NULL / int / real /
#    text, NULL told from "", quoted newlines; text parameters reach psql
#    only through -v and :'pN'; the client's error becomes the message;
#    a missing client and bad URLs are clear errors;
#  - on each engine: a generated CUR month and its metrics load; totals
#    equal the generator's exact totals and, per service, per day and per
#    account, what SQLite computes from the same files; the same content
#    again is "unchanged"; a restated month replaces the old one (and its
#    rows are deleted); a command with a broken file, or stopped before its
#    commit, leaves nothing visible; loaded text comes back byte for byte;
#  - focus_daily (a view there) equals the engine's own charges per day,
#    service and account, before and after the restatement, and SQLite's
#    focus_daily (a rollup) on the same file;
#  - ClickHouse: rows are on both shards, partitioned by billing month; a
#    text parameter is refused (clickhouse-client 18.16 has no parameters).
#
# Packages: clickhouse-server/-client and postgresql are installed when
# missing and this runs as root (apt-get); otherwise, or when a server does
# not start, those checks print "skip - ... (why)".  The time taken by
# install and start is printed on stderr.
. "$ROOT/tests/e2e/lib.sh"

HERE="$ROOT/tests/engines"
CCBIN=${CC:-cc}
PROBE="$TEST_DIR/engine-probe"
SRV="$TEST_DIR/servers"
mkdir -p "$SRV"
# PostgreSQL's files belong to "nobody" when this runs as root, and nobody
# cannot enter TEST_DIR: its cluster lives in a directory of its own
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/imcost-pg-XXXXXX") && chmod 755 "$PGDIR"

# ---- the probe (tests/engines/engine-probe.c) against libimcost.a ----
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -I$ROOT -O1 -g"
[ "${SANITIZE:-}" = 1 ] && flags="$flags -fsanitize=address,undefined -fno-omit-frame-pointer"
if ! "$CCBIN" $flags -o "$PROBE" "$HERE/engine-probe.c" "$ROOT/$BUILD/libimcost.a" \
	-lsqlite3 -lcjson -lcrypto -lz -lsnappy -lzstd -lbrotlidec -llz4 -lm -lpthread 2>"$TEST_DIR/probe.err"; then
	nok "engines: build the engine probe" "$(head -5 "$TEST_DIR/probe.err")"
	exit 0
fi
ok "engines: build the engine probe"

# ---- without a server: a fake client ----
FAKE="$TEST_DIR/fake-psql"
cat > "$FAKE" <<'EOF'
#!/bin/sh
# a stand-in for psql: records its arguments and stdin, answers canned CSV
printf '%s\n' "$@" > "$FAKE_DIR/args"
cat > "$FAKE_DIR/stdin"
if grep -q information_schema "$FAKE_DIR/stdin"; then echo 16; exit 0; fi  # tables + views
if [ -n "${FAKE_FAIL:-}" ]; then
	echo "psql:<stdin>:1: ERROR:  relation \"nosuch\" does not exist" >&2
	echo "LINE 1: SELECT 1 FROM nosuch" >&2
	exit 3
fi
cat "$FAKE_DIR/out"
EOF
chmod +x "$FAKE"
export FAKE_DIR="$TEST_DIR"
FURL=postgresql://u1@127.0.0.1:1/fakedb
printf '1,-2,3.5,"x",,"",abc,"a""b\nc",9223372036854775807,1e300\n7,8,9,"y",1,2,3,"4",5,6\n' > "$TEST_DIR/out"
got=$(IMCOST_PSQL="$FAKE" "$PROBE" "$FURL" query 'SELECT 1' 2>&1)
want=$(printf 'i:1\ti:-2\tr:3.5\tt:x\tNULL\tt:\tt:abc\tt:a"b\nc\ti:9223372036854775807\tr:1.0000000000000001e+300\ni:7\ti:8\ti:9\tt:y\ti:1\ti:2\ti:3\tt:4\ti:5\ti:6')
expect_eq "engines: fake psql: CSV typed, NULL (empty) told from \"\", quoted newline and quote" "$got" "$want"
IMCOST_PSQL="$FAKE" "$PROBE" "$FURL" query "SELECT a FROM t WHERE x = ? AND y = ? AND z = ?" \
	"t:O'Reilly; DROP TABLE t; --" i:-5 d:0.5 >/dev/null 2>&1
if grep -qx -- "p1=O'Reilly; DROP TABLE t; --" "$TEST_DIR/args" &&
   grep -q "x = :'p1' AND y = (-5) AND z = 0.5" "$TEST_DIR/stdin" &&
   ! grep -q "Reilly" "$TEST_DIR/stdin"; then
	ok "engines: text parameters go to psql as -v p1=... and :'p1', never into the SQL"
else
	nok "engines: text parameters go through psql -v" "args: $(tr '\n' ' ' < "$TEST_DIR/args") stdin: $(cat "$TEST_DIR/stdin")"
fi
if grep -qx -- "-X" "$TEST_DIR/args" && grep -qx -- "ON_ERROR_STOP=1" "$TEST_DIR/args" &&
   grep -qx -- "fakedb" "$TEST_DIR/args" && grep -qx -- "u1" "$TEST_DIR/args" &&
   grep -q "^COPY (SELECT a FROM t" "$TEST_DIR/stdin"; then
	ok "engines: psql gets -X, ON_ERROR_STOP, the URL's user and database, a COPY ... TO STDOUT CSV"
else
	nok "engines: psql arguments" "$(tr '\n' ' ' < "$TEST_DIR/args")"
fi
got=$(FAKE_FAIL=1 IMCOST_PSQL="$FAKE" "$PROBE" "$FURL" query 'SELECT 1 FROM nosuch' 2>&1); rc=$?
expect_eq "engines: the client's error is the message, exit 1" "$rc:$got" \
	"1:error: postgresql: query failed: relation \"nosuch\" does not exist"
got=$(IMCOST_PSQL=/nonexistent/psql "$PROBE" "$FURL" query 'SELECT 1' 2>&1); rc=$?
case "$rc:$got" in
	"1:error: postgresql: /nonexistent/psql not found on PATH"*) ok "engines: a missing client is named" ;;
	*) nok "engines: a missing client is named" "$rc:$got" ;;
esac
for bad in "mysql://h/db" "clickhouse://h:99999/db" "postgresql://h:5432/my-db" \
	"clickhouse://h/db?cluster=a;b" "postgresql://h" "sqlite:" "clickhouse://us'er@h/db"; do
	got=$("$PROBE" "$bad" query 'SELECT 1' 2>&1); rc=$?
	case "$rc:$got" in
		"2:error: --engine "*) ok "engines: bad URL $bad is a usage error" ;;
		*) nok "engines: bad URL $bad is a usage error" "$rc:$got" ;;
	esac
done

# ---- servers ----
is_root() { [ "$(id -u)" = 0 ]; }
apt_ready=0
apt_install() {	# PKG...: install when missing (root only); 0 when present after
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	is_root && command -v apt-get >/dev/null 2>&1 || return 1
	if [ $apt_ready = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || return 1
		apt_ready=1
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
		>"$TEST_DIR/apt.log" 2>&1
}

stop_all() {
	"$HERE/clickhouse-cluster.sh" stop "$SRV/ch" >/dev/null 2>&1
	"$HERE/postgresql-server.sh" stop "$PGDIR/pg" >/dev/null 2>&1
	rm -rf "$PGDIR"
}
trap stop_all EXIT

t0=$(date +%s)
CH_URL="" PG_URL="" CH_PORTS="" ch_why="" pg_why=""
if apt_install clickhouse-server clickhouse-client; then
	if CH_PORTS=$("$HERE/clickhouse-cluster.sh" start "$SRV/ch" 2>"$TEST_DIR/ch.err"); then
		CH_URL="clickhouse://127.0.0.1:${CH_PORTS%% *}/imcost?cluster=imcost"
	else
		ch_why="the ClickHouse servers did not start: $(tail -1 "$TEST_DIR/ch.err")"
	fi
else
	ch_why="clickhouse-server/clickhouse-client not installed and cannot be (not root or no apt)"
fi
t1=$(date +%s)
if apt_install postgresql; then
	if PG_PORT=$("$HERE/postgresql-server.sh" start "$PGDIR/pg" 2>"$TEST_DIR/pg.err"); then
		PG_URL="postgresql://imcost@127.0.0.1:$PG_PORT/imcost"
	else
		pg_why="the PostgreSQL server did not start: $(tail -1 "$TEST_DIR/pg.err")"
	fi
else
	pg_why="postgresql not installed and cannot be (not root or no apt)"
fi
t2=$(date +%s)
echo "t-engines: clickhouse install+start $((t1 - t0)) s, postgresql install+start $((t2 - t1)) s" >&2

if ! have_gen; then
	skip "engines: servers" "no $GEN_CUR"
	exit 0
fi

# ---- the data: a generated month (+ metrics), its restatement, the next
# month, a broken file; SQLite as the reference ----
"$GEN_CUR" --rows 8000 --month 2024-10 --seed 1 --payer 111122223333 \
	--out oct.csv --totals oct.tot --metrics oct-metrics.csv 2>/dev/null
"$GEN_CUR" --rows 6000 --month 2024-10 --seed 2 --payer 111122223333 \
	--out oct2.csv --totals oct2.tot 2>/dev/null
"$GEN_CUR" --rows 3000 --month 2024-11 --seed 3 --payer 111122223333 \
	--out nov.csv --totals nov.tot 2>/dev/null
head -c 20000 nov.csv > broken.csv	# cut mid-line: a truncated file
"$IMCOST" import oct.csv oct-metrics.csv >/dev/null 2>&1
SQ="sqlite:$IMCOST_DB"
OCT_START=1727740800 NOV_START=1730419200 DEC_START=1733011200

nanos() { "$PYTHON" -c 'import sys; from decimal import Decimal; print(int(Decimal(sys.argv[1]) * 10**9))' "$1"; }

# the aggregate queries compared across engines (portable SQL, aliases
# rather than positions in ORDER BY)
Q_TOTAL="SELECT BillingCurrency AS c, SUM(BilledCostNanos) AS b, SUM(EffectiveCostNanos) AS e, COUNT(*) AS n FROM charges WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? GROUP BY BillingCurrency ORDER BY c"
Q_SERVICE="SELECT COALESCE(ServiceName, '(none)') AS k, SUM(BilledCostNanos) AS b, SUM(EffectiveCostNanos) AS e FROM charges WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? GROUP BY COALESCE(ServiceName, '(none)') ORDER BY b DESC, k"
Q_DAY="SELECT ChargePeriodStart - ChargePeriodStart % 86400 AS d, SUM(EffectiveCostNanos) AS e, \$max(ChargePeriodEnd) AS m FROM charges WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? GROUP BY ChargePeriodStart - ChargePeriodStart % 86400 ORDER BY d"
Q_ACCOUNT="SELECT COALESCE(SubAccountId, BillingAccountId) AS k, RegionId AS r, x_InstanceType AS t, SUM(BilledCostNanos) AS b, COUNT(*) AS n, SUM(CASE WHEN PricingCategory = 'Committed' THEN ConsumedQuantity ELSE 0 END) AS q FROM charges WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? GROUP BY COALESCE(SubAccountId, BillingAccountId), RegionId, x_InstanceType ORDER BY k, r NULLS FIRST, t NULLS FIRST"
Q_USAGE="SELECT metric AS m, COUNT(*) AS n, COUNT(DISTINCT resource_id) AS r, \$min(ts) AS a, \$max(ts) AS z FROM usage WHERE ts >= ? AND ts < ? GROUP BY metric ORDER BY m"
# focus_daily (issue 23) per day, service and account, and the same
# groups from the charges
Q_FD="SELECT x_Day AS d, COALESCE(ServiceName, '(none)') AS k, COALESCE(SubAccountId, BillingAccountId) AS a, SUM(x_Rows) AS n, SUM(BilledCostNanos) AS b, SUM(EffectiveCostNanos) AS e, SUM(ListCostNanos) AS l FROM focus_daily GROUP BY x_Day, COALESCE(ServiceName, '(none)'), COALESCE(SubAccountId, BillingAccountId) ORDER BY d, k, a"
Q_FD_CHARGES="SELECT ChargePeriodStart - ChargePeriodStart % 86400 AS d, COALESCE(ServiceName, '(none)') AS k, COALESCE(SubAccountId, BillingAccountId) AS a, COUNT(*) AS n, SUM(BilledCostNanos) AS b, SUM(EffectiveCostNanos) AS e, SUM(ListCostNanos) AS l FROM charges GROUP BY ChargePeriodStart - ChargePeriodStart % 86400, COALESCE(ServiceName, '(none)'), COALESCE(SubAccountId, BillingAccountId) ORDER BY d, k, a"
Q_EMPTY="SELECT \$min(ChargePeriodStart) AS a, \$sum(BilledCostNanos) AS b, COUNT(*) AS n FROM charges WHERE BillingPeriodStart >= ? AND ChargeCategory = 'Usage'"

q() { "$PROBE" "$@" 2>&1; }
# qn: q with the type tags dropped: remote types are read off the CSV
# (a whole-number double reads as an integer, digits in a text column too
# when psql leaves them unquoted); the accessors give the same values
qn() { q "$@" | sed -E 's/(^|\t)[irt]:/\1/g'; }

engine_checks() {	# NAME URL
	local n=$1 url=$2 out got want
	out=$(q "$url" import oct.csv oct-metrics.csv); rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -q '^oct.csv id=[0-9]* unchanged=0 rows=8' ; then
		ok "$n: import a CUR month and its metrics"
	else
		nok "$n: import a CUR month and its metrics" "$out"
		return
	fi
	got=$(q "$url" query "$Q_TOTAL" i:$OCT_START i:$NOV_START)
	want=$(printf 't:%s\ti:%s\ti:%s\ti:%s' "$(tot oct.tot currency)" "$(nanos "$(tot oct.tot billed_cost)")" \
		"$(nanos "$(tot oct.tot effective_cost)")" "$(q "$SQ" query 'SELECT COUNT(*) FROM charges' | cut -c3-)")
	expect_eq "$n: billed and effective totals equal the generator's, to the nano" "$got" "$want"
	for qq in Q_SERVICE Q_DAY Q_ACCOUNT; do
		got=$(qn "$url" query "${!qq}" i:$OCT_START i:$NOV_START)
		want=$(qn "$SQ" query "${!qq}" i:$OCT_START i:$NOV_START)
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "$n: $qq rows equal SQLite's ($(echo "$want" | wc -l) rows)"
		else
			nok "$n: $qq rows equal SQLite's" "$(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' '|')"
		fi
	done
	# focus_daily: the engine's own charges, and SQLite's focus_daily
	got=$(qn "$url" query "$Q_FD")
	want=$(qn "$url" query "$Q_FD_CHARGES")
	if [ -n "$want" ] && [ "$got" = "$want" ] && [ "$got" = "$(qn "$SQ" query "$Q_FD")" ]; then
		ok "$n: focus_daily equals its charges and SQLite's focus_daily, to the nano ($(echo "$want" | wc -l) groups)"
	else
		nok "$n: focus_daily equals its charges and SQLite's focus_daily" \
			"$(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' '|')"
	fi
	got=$(qn "$url" query "$Q_USAGE" i:$OCT_START i:$NOV_START)
	want=$(qn "$SQ" query "$Q_USAGE" i:$OCT_START i:$NOV_START)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "$n: usage metrics equal SQLite's"; else
		nok "$n: usage metrics equal SQLite's" "$(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' '|')"; fi
	expect_eq "$n: aggregates over no rows are NULL (and COUNT 0)" \
		"$(q "$url" query "$Q_EMPTY" i:$DEC_START)" "$(printf 'NULL\tNULL\ti:0')"
	expect_eq "$n: \$idiv and \$int truncate toward zero" \
		"$(q "$url" query 'SELECT $idiv(-7, 2) AS a, $int(-3.7) AS b, $int(3.7) AS c, $idiv(SUM(ts), 1000000000000) AS d FROM usage WHERE ts < ?' i:$((OCT_START + 3600)))" \
		"$(q "$SQ" query 'SELECT $idiv(-7, 2) AS a, $int(-3.7) AS b, $int(3.7) AS c, $idiv(SUM(ts), 1000000000000) AS d FROM usage WHERE ts < ?' i:$((OCT_START + 3600)))"

	# the same content again changes nothing
	out=$(q "$url" import oct.csv)
	case "$out" in
		"oct.csv id=1 unchanged=1 "*) ok "$n: the same file again is unchanged (same as import 1)" ;;
		*) nok "$n: the same file again is unchanged" "$out" ;;
	esac

	# a broken file in the command: nothing of it is visible
	out=$(q "$url" import nov.csv broken.csv); rc=$?
	got=$(q "$url" query "SELECT COUNT(*) AS n FROM charges WHERE BillingPeriodStart >= ?" i:$NOV_START)
	case "$rc:$out" in
		1:*broken.csv:*truncated*) expect_eq "$n: a command with a truncated file fails and leaves nothing visible" "$got" "i:0" ;;
		*) nok "$n: a command with a truncated file fails" "exit $rc: $out" ;;
	esac
	# stopped after the first file, before the commit: nothing visible
	q "$url" import --fail-after 1 nov.csv oct2.csv >/dev/null; rc=$?
	got=$(q "$url" query "$Q_TOTAL" i:$OCT_START i:$DEC_START)
	want=$(q "$SQ" query "$Q_TOTAL" i:$OCT_START i:$DEC_START)
	expect_eq "$n: a command stopped before its commit leaves nothing visible" "$rc:$got" "3:$want"

	# a restated month replaces the old one; another month is kept
	out=$(q "$url" import --label restated oct2.csv nov.csv)
	case "$out" in
		*"oct2.csv id="*" unchanged=0 "*" replaced=1"*) ok "$n: a restated month replaces one period import" ;;
		*) nok "$n: a restated month replaces one period import" "$out" ;;
	esac
	got=$(q "$url" query "$Q_TOTAL" i:$OCT_START i:$NOV_START | cut -f2,3)
	want=$(printf 'i:%s\ti:%s' "$(nanos "$(tot oct2.tot billed_cost)")" "$(nanos "$(tot oct2.tot effective_cost)")")
	expect_eq "$n: after the restatement October is the new file's totals" "$got" "$want"
	got=$(q "$url" query "$Q_TOTAL" i:$NOV_START i:$DEC_START | cut -f2,3)
	want=$(printf 'i:%s\ti:%s' "$(nanos "$(tot nov.tot billed_cost)")" "$(nanos "$(tot nov.tot effective_cost)")")
	expect_eq "$n: November (same command) is visible" "$got" "$want"
	got=$(qn "$url" query "$Q_FD")
	want=$(qn "$url" query "$Q_FD_CHARGES")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$n: after the restatement focus_daily equals the charges ($(echo "$want" | wc -l) groups)"
	else
		nok "$n: after the restatement focus_daily equals the charges" \
			"$(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' '|')"
	fi
	expect_eq "$n: metrics stay visible after the restatement" \
		"$(q "$url" query 'SELECT COUNT(*) AS n FROM usage')" "$(q "$SQ" query 'SELECT COUNT(*) AS n FROM usage')"

	# loaded text comes back byte for byte, NULL stays NULL
	local tricky
	tricky=$(printf 'a,b "q" \\N \\. x\ttab\nline2\n\\.\nend')
	q "$url" load batches id label created_at -- i:900001 "t:$tricky" t: >/dev/null &&
	q "$url" load batches id label created_at -- i:900002 n "t:\\N" >/dev/null
	got=$(q "$url" query 'SELECT id, label, created_at FROM batches WHERE id > ? ORDER BY id' i:900000)
	want=$(printf 'i:900001\tt:%s\tt:\ni:900002\tNULL\tt:\\N' "$tricky")
	expect_eq "$n: text with quotes, commas, tabs, newlines, \\N and \\. round-trips; NULL stays NULL" "$got" "$want"
}

if [ -n "$PG_URL" ]; then
	engine_checks postgresql "$PG_URL"
	# the rows of the replaced import are gone from the data table too
	got=$(q "$PG_URL" query 'SELECT COUNT(*) AS n FROM charges_data WHERE import_id = 1')
	expect_eq "postgresql: the replaced import's rows are deleted" "$got" "i:0"
	got=$(q "$PG_URL" query 'SELECT ? AS a, ? AS b' "t:it's a 'test'; DROP TABLE charges_data; --" "t:")
	expect_eq "postgresql: text parameters come back as bound (quotes, empty)" "$got" \
		"$(printf "t:it's a 'test'; DROP TABLE charges_data; --\tt:")"
else
	skip "engines: postgresql" "$pg_why"
fi

if [ -n "$CH_URL" ]; then
	engine_checks clickhouse "$CH_URL"
	p1=${CH_PORTS%% *} p2=${CH_PORTS##* }
	c1=$(clickhouse-client --port "$p1" --query 'SELECT count() FROM imcost.charges_data_local' 2>&1)
	c2=$(clickhouse-client --port "$p2" --query 'SELECT count() FROM imcost.charges_data_local' 2>&1)
	all=$(clickhouse-client --port "$p2" --query 'SELECT count() FROM imcost.charges_data' 2>&1)
	if [ "$c1" -gt 0 ] 2>/dev/null && [ "$c2" -gt 0 ] && [ $((c1 + c2)) = "$all" ]; then
		ok "clickhouse: rows are spread over both shards ($c1 + $c2 = $all)"
	else
		nok "clickhouse: rows are spread over both shards" "$c1 + $c2 vs $all"
	fi
	parts=$(clickhouse-client --port "$p1" --query "SELECT DISTINCT partition FROM system.parts WHERE database = 'imcost' AND table = 'charges_data_local' AND active ORDER BY partition FORMAT CSV" 2>&1 | tr -d '"' | tr '\n' ' ')
	case "$parts" in
		*202410*202411*) ok "clickhouse: charges are partitioned by billing month ($parts)" ;;
		*) nok "clickhouse: charges are partitioned by billing month" "$parts" ;;
	esac
	expect_eq "clickhouse: the second shard answers the same totals" \
		"$(q "clickhouse://127.0.0.1:$p2/imcost?cluster=imcost" query "$Q_TOTAL" i:$OCT_START i:$DEC_START)" \
		"$(q "$CH_URL" query "$Q_TOTAL" i:$OCT_START i:$DEC_START)"
	got=$(q "$CH_URL" query 'SELECT ? AS a' t:x); rc=$?
	case "$rc:$got" in
		"1:error: clickhouse: this query needs a text parameter"*) ok "clickhouse: a text parameter is refused" ;;
		*) nok "clickhouse: a text parameter is refused" "$rc:$got" ;;
	esac
	got=$(q "clickhouse://127.0.0.1:$p1/imcost?cluster=nosuch" query 'SELECT 1'); rc=$?
	case "$rc:$got" in
		*"knows no cluster 'nosuch'"*) ok "clickhouse: an unknown cluster is named" ;;
		*) nok "clickhouse: an unknown cluster is named" "$rc:$got" ;;
	esac
else
	skip "engines: clickhouse" "$ch_why"
fi

# ---- the same analyses on every engine (issue 8): the same files imported
# into a fresh SQLite database, a fresh ClickHouse database on the cluster
# and a fresh PostgreSQL database give the same `analyze --format json`,
# section by section, the same allocation, the same slices (--group-by
# tag:KEY and the other keys, --filter, --since/--until) and the same
# report ----
"$GEN_CUR" --rows 6000 --month 2024-09 --seed 7 --payer 111122223333 \
	--out psep.csv --metrics psep-metrics.csv 2>/dev/null
"$GEN_CUR" --rows 6000 --month 2024-10 --seed 8 --payer 111122223333 \
	--out poct.csv --metrics poct-metrics.csv 2>/dev/null
# a FOCUS month of tags that are hard to carry (t-engines' tricky tags)
"$PYTHON" - <<'PY'
import csv, json
vals = ["a'b", 'x"y', "back\\slash", "c,d", "{br}", "line\nnext", "中文", "[q]", "", "a'b"]
with open("tricky-tags.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["BilledCost", "EffectiveCost", "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd",
                "BillingPeriodStart", "BillingPeriodEnd", "BillingCurrency", "ProviderName",
                "BillingAccountId", "ServiceName", "Tags"])
    for i in range(40):
        tags = {"k": vals[i % len(vals)], "K": "second", "团队": ["聊天", "推送"][i % 2],
                "n": [5, 2.5, True, None][i % 4]}
        if i % 7 == 0:
            tags = {}
        w.writerow(["%d.%03d" % (i + 1, i * 7), "%d.%03d" % (i + 1, i * 7), "Usage",
                    "2024-12-%02dT00:00:00Z" % (1 + i % 28), "2024-12-%02dT01:00:00Z" % (1 + i % 28),
                    "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z", "USD", "Acme", "tricky",
                    ["svc-a", "svc-b"][i % 2], json.dumps(tags, ensure_ascii=False) if tags else ""])
PY
PSQ="$TEST_DIR/parity.db"
"$IMCOST" --db "$PSQ" import psep.csv psep-metrics.csv >/dev/null 2>&1
"$IMCOST" --db "$PSQ" import poct.csv poct-metrics.csv >/dev/null 2>&1
SECTIONS="period currency summary summaries commitments idle rightsizing anomalies forecast unit_economics"
# allocation rules over gen-cur's tags (user:app, user:env, user:team) and
# services: every split kind
cat >parity-rules.json <<'EOF2'
{"key": "feature", "rules": [
 {"value": "gateway", "match": {"tag:app": "im-gateway"}},
 {"value": "media", "match": {"tag:App": "IM-MEDIA"}},
 {"value": "history", "match": {"tag:app": ["im-history", "im-store"]}},
 {"value": "gateway", "match": {"service": "Elastic Load Balancing"}},
 {"shared": "tax", "match": {"charge_category": "tax"}, "split": "proportional"},
 {"shared": "staging", "match": {"tag:env": "staging"}, "split": "even"},
 {"shared": "sre", "match": {"tag:team": "sre"}, "split": "fixed", "ratios": {"gateway": 2, "media": 1}},
 {"shared": "untagged", "match": {"tag:app": ""}, "split": "metric", "metric": "messages"}]}
EOF2

parity() {	# NAME URL: analyses and report on URL equal SQLite's
	local n=$1 url=$2 out m sec got want
	out=$("$IMCOST" import --engine "$url" psep.csv psep-metrics.csv 2>&1 &&
		"$IMCOST" import --engine "$url" poct.csv poct-metrics.csv 2>&1) ||
		{ nok "$n: import the parity months" "$out"; return; }
	for m in "" 2024-10; do
		"$IMCOST" --db "$PSQ" analyze --format json ${m:+--month $m} > "want$m.json" 2>"want$m.err"
		if ! "$IMCOST" analyze --engine "$url" --format json ${m:+--month $m} > "got-$n$m.json" 2>"got-$n$m.err"; then
			nok "$n: analyze --engine${m:+ --month $m} runs" "$(head -3 "got-$n$m.err")"
			continue
		fi
		"$IMCOST" --db "$PSQ" analyze --format json ${m:+--month $m} --only allocation \
			--allocation parity-rules.json > "want-alloc$m.json" 2>/dev/null
		"$IMCOST" analyze --engine "$url" --format json ${m:+--month $m} --only allocation \
			--allocation parity-rules.json > "got-alloc-$n$m.json" 2>/dev/null
		want=$(jq -S .allocation "want-alloc$m.json")
		got=$(jq -S .allocation "got-alloc-$n$m.json")
		if [ "$want" != null ] && [ "$got" = "$want" ]; then
			ok "$n: analyze --allocation${m:+ --month $m} equals SQLite's"
		else
			nok "$n: analyze --allocation${m:+ --month $m} equals SQLite's" \
				"$(diff <(echo "$want") <(echo "$got") | head -6 | tr '\n' '|')"
		fi
		for sec in $SECTIONS; do
			want=$(jq -S ".$sec" "want$m.json")
			got=$(jq -S ".$sec" "got-$n$m.json")
			if [ "$want" != null ] && [ "$got" = "$want" ]; then
				ok "$n: analyze${m:+ --month $m} .$sec equals SQLite's"
			else
				nok "$n: analyze${m:+ --month $m} .$sec equals SQLite's" \
					"$(diff <(echo "$want") <(echo "$got") | head -6 | tr '\n' '|')"
			fi
		done
	done
	# slicing (issues 18, 19): --group-by every key (tags through the
	# engine's tag arrays), --filter = and !=, --since/--until
	local sl i=0
	for sl in "--group-by tag:app" "--group-by tag:USER:Team --filter tag:env!=staging" \
		"--group-by service --filter tag:app=im-gateway" "--group-by account --since 2024-10-03 --until 2024-10-17" \
		"--group-by region --filter region!=us-east-1" "--group-by provider" "--group-by category" \
		"--group-by resource --filter tag:team=sre" "--filter tag:app!=im-media --until 2024-09-20"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$IMCOST" --db "$PSQ" analyze --format json --only summary $sl > "want-sl$i.json" 2>/dev/null
		# shellcheck disable=SC2086
		if ! "$IMCOST" analyze --engine "$url" --format json --only summary $sl > "got-sl-$n$i.json" 2>"sl.err"; then
			nok "$n: analyze $sl runs" "$(head -3 sl.err)"
			continue
		fi
		want=$(jq -S '{summary, summaries, slice}' "want-sl$i.json")
		got=$(jq -S '{summary, summaries, slice}' "got-sl-$n$i.json")
		if [ "$(jq '.summary.billed_cost' "want-sl$i.json")" != null ] && [ "$got" = "$want" ]; then
			ok "$n: analyze $sl equals SQLite's"
		else
			nok "$n: analyze $sl equals SQLite's" "$(diff <(echo "$want") <(echo "$got") | head -6 | tr '\n' '|')"
		fi
	done
	got=$("$IMCOST" analyze --engine "$url" --only summary --group-by tag:tem 2>&1); rc=$?
	case "$rc:$got" in
		"2:"*"no charge has the tag 'tem' (did you mean tag:team?)"*) ok "$n: an unknown tag is a usage error with did you mean" ;;
		*) nok "$n: an unknown tag is a usage error with did you mean" "$rc:$got" ;;
	esac
	got=$("$IMCOST" analyze --engine "$url" --only summary --filter "tag:app=im-gateway' OR 'a'='a" 2>&1); rc=$?
	case "$rc:$got" in
		"2:"*"no charge has tag:app 'im-gateway' OR 'a'='a'"*) ok "$n: a filter value with quotes stays a value" ;;
		*) nok "$n: a filter value with quotes stays a value" "$rc:$got" ;;
	esac
	"$IMCOST" --db "$PSQ" report --month 2024-10 --no-charts --out "rep-sqlite" >/dev/null 2>&1
	if "$IMCOST" report --engine "$url" --month 2024-10 --no-charts --out "rep-$n" >/dev/null 2>"rep-$n.err"; then
		got=$(diff <(grep -v -i 'generated' "rep-sqlite/report.md") <(grep -v -i 'generated' "rep-$n/report.md") | head -6 | tr '\n' '|')
		expect_eq "$n: report --engine writes the same report.md as SQLite" "$got" ""
	else
		nok "$n: report --engine runs" "$(head -3 "rep-$n.err")"
	fi
	# tag values the arrays must carry byte for byte (quotes, backslashes,
	# commas, braces, a newline, CJK), keys that fold alike (the first
	# wins), a number: the same groups as SQLite's tag store
	# (a database of their own: PSQ stays the other engine's reference)
	if "$IMCOST" --db "$TEST_DIR/tricky.db" import tricky-tags.csv >/dev/null 2>&1 &&
	   "$IMCOST" import --engine "$url" tricky-tags.csv >/dev/null 2>"tt.err"; then
		for sl in "--group-by tag:k" "--group-by tag:团队" "--group-by tag:n" "--group-by service --filter tag:k=a'b"; do
			# shellcheck disable=SC2086
			want=$("$IMCOST" --db "$TEST_DIR/tricky.db" analyze --format json --only summary --month 2024-12 $sl 2>&1 | jq -S '{summary, slice}')
			# shellcheck disable=SC2086
			got=$("$IMCOST" analyze --engine "$url" --format json --only summary --month 2024-12 $sl 2>&1 | jq -S '{summary, slice}')
			if [ "$(echo "$want" | jq '.summary.groups | length')" -gt 1 ] && [ "$got" = "$want" ]; then
				ok "$n: tricky tags, $sl equals SQLite's"
			else
				nok "$n: tricky tags, $sl equals SQLite's" "$(diff <(echo "$want") <(echo "$got") | head -6 | tr '\n' '|')"
			fi
		done
	else
		nok "$n: import the tricky tags" "$(head -3 tt.err)"
	fi
}

if [ -n "$PG_URL" ]; then
	if psql -h 127.0.0.1 -p "$PG_PORT" -U imcost -d postgres -qAt -c 'CREATE DATABASE parity' >/dev/null 2>&1; then
		parity postgresql "postgresql://imcost@127.0.0.1:$PG_PORT/parity"
	else
		nok "postgresql: create the parity database"
	fi
fi
if [ -n "$CH_URL" ]; then
	parity clickhouse "clickhouse://127.0.0.1:${CH_PORTS%% *}/parity?cluster=imcost"
fi
