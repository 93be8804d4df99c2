#!/bin/bash
# t-options.sh - the one option grammar of every command (cli/options.c)
# as the built binary shows it: every option a command's usage line or
# --help option lines name is one it parses and completes (the table is
# the single source), --opt=VALUE and --opt VALUE mean the same, "--" ends
# the options, a value may start with '-', and the usage errors (unknown
# option, missing value, a value given to a flag) exit 2 with one line.
. "$ROOT/tests/e2e/lib.sh"
cd "$TEST_DIR" || exit 1

HDR='bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,product/ProductName,lineItem/CurrencyCode,lineItem/UnblendedCost'
{ echo "$HDR"; echo "111122223333,2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,Usage,2026-01-02T00:00:00Z,2026-01-02T01:00:00Z,AmazonEC2,EC2,USD,12.5"; } >jan.csv

"$IMCOST" completion bash >comp.bash 2>/dev/null
cmds=$("$IMCOST" --help | sed -n '/^Commands:/,/^$/p' | sed -nE 's/^  ([a-z][a-z-]*) .*/\1/p')
globals=" --db --format --output --quiet --wide --help "
for c in $cmds; do
	[ "$c" = completion ] && continue
	opts=" $(sed -nE "s/^\t$c\) opts=\"([^\"]*)\".*/\1/p" comp.bash) "
	# the options the usage line and the option lines of --help name
	named=$("$IMCOST" "$c" --help | sed -n '1p;/^  -/p' | grep -oE '(^|[ [(|,])--[a-z][a-z0-9-]*' | sed 's/^[ [(|,]//' | sort -u)
	missing=
	for o in $named; do
		case "$globals$opts" in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	expect_eq "$c: every option its usage and --help name is in its table" "${missing:-none}" none
	# and each completed option is one the command parses (no "unknown option")
	bad=
	for o in $opts; do
		"$IMCOST" "$c" "$o" >/dev/null 2>o.err </dev/null
		grep -q "unknown \(option\|argument\) '$o'" o.err && bad="$bad $o"
	done
	expect_eq "$c: every completed option is parsed" "${bad:-none}" none
done

# --opt=VALUE and --opt VALUE
"$IMCOST" import jan.csv 2>/dev/null
"$IMCOST" --format json analyze --only summary --month 2026-01 >a1.json 2>/dev/null
"$IMCOST" --format json analyze --only=summary --month=2026-01 >a2.json 2>/dev/null
if [ -s a1.json ] && cmp -s a1.json a2.json; then ok "analyze: --opt=VALUE is --opt VALUE"; else nok "analyze: --opt=VALUE is --opt VALUE" "$(head -c 200 a1.json)"; fi
dec_eq "analyze --only=summary --month=2026-01: the month's effective cost" "$(json_get a2.json summary.effective_cost)" 12.5 9

# options may follow the files; "--" ends them
cp jan.csv ./-jan.csv
"$IMCOST" --db two.db import -- -jan.csv >/dev/null 2>i.err
expect_eq "import -- -jan.csv: a file named -jan.csv is imported" "$?" 0
expect_eq "import -- -jan.csv: one charge" "$(charges_count two.db)" 1

# usage errors: exit 2, one line on stderr, nothing on stdout
uerr() {
	local name=$1 want=$2; shift 2
	"$@" >u.out 2>u.err
	local rc=$?
	if [ $rc = 2 ] && [ ! -s u.out ] && [ "$(wc -l <u.err)" = 1 ] && grep -qF -- "$want" u.err; then
		ok "$name"
	else
		nok "$name" "exit $rc: $(head -c 300 u.err)"
	fi
}
uerr "unknown option: did you mean" "unknown option '--onyl'. did you mean '--only'?" "$IMCOST" analyze --onyl summary
uerr "missing value" "report: --month needs a value" "$IMCOST" report --month
uerr "a flag takes no value" "report: --no-charts takes no value" "$IMCOST" report --month 2026-01 --no-charts=yes
uerr "a value that starts with '-' is the value" "--month wants YYYY-MM, this or last, not '-1'" "$IMCOST" analyze --month -1
uerr "levers: unknown argument" "levers: unknown argument 'extra'" "$IMCOST" levers --bill extra
uerr "list: no arguments" "list: no arguments expected" "$IMCOST" list extra
