#!/bin/bash
# t-samples-reconcile.sh - every public AWS CUR and FOCUS sample, plain and
# gzip-compressed, through `imcost --format json analyze FILE` into a fresh
# database: the billed and effective totals of each currency, and the
# by_service rows, must equal the sums computed here from the raw file with
# Python's decimal module (expected_summary in lib.sh: FOCUS BilledCost /
# EffectiveCost; CUR UnblendedCost and the docs/FORMATS.md 2.4 amortized CASE,
# e.g. savingsPlan/SavingsPlanEffectiveCost for SavingsPlanCoveredUsage),
# to 6 decimals.  Samples holding an impossible timestamp (the FOCUS spec
# examples with hour 30) must instead be refused with FILE:LINE:COL naming
# the bad cell, and leave no charges behind.
. "$ROOT/tests/e2e/lib.sh"

if ! have_samples; then
	skip "samples-reconcile" "no samples"
	exit 0
fi

# bad_time FILE: "LINE COL COL..." of the first record holding a timestamp
# with an impossible hour/minute/second or day, or nothing.
bad_time() {
	"$PYTHON" - "$1" <<'PY'
import csv, re, sys, datetime
pat = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?')
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    r = csv.reader(f)
    for row in r:
        bad = []
        for i, v in enumerate(row):
            m = pat.match(v.strip())
            if not m:
                continue
            y, mo, d, h, mi, s = (int(x or 0) for x in m.groups())
            try:
                datetime.datetime(y, mo, d, h, mi, s)
            except ValueError:
                bad.append(str(i + 1))
        if bad:
            print(r.line_num, " ".join(bad))
            break
PY
}

n=0
for f in "$SAMPLES"/aws/*.csv "$SAMPLES"/aws/*.csv.gz "$SAMPLES"/focus/*.csv "$SAMPLES"/focus/spec-examples/*.csv; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	base=$(basename "$f")
	case "$f" in
	*.gz) variants="gz"; plain="$TEST_DIR/s$n-plain.csv"; gzip -dc "$f" >"$plain" ;;
	*) variants="plain gz"; plain=$f ;;
	esac
	# what the file must give, computed once from the raw text
	bad=$(bad_time "$plain")
	[ -z "$bad" ] && expected_summary "$plain" >"$TEST_DIR/want.json"
	for v in $variants; do
		src=$f
		label="$base"
		if [ "$v" = gz ] && [ "${f%.gz}" = "$f" ]; then
			src="$TEST_DIR/s$n-$base.gz"
			gzip -c -n "$f" >"$src"
			label="$base (gzip)"
		fi
		db="$TEST_DIR/s$n-$v.db"
		"$IMCOST" --db "$db" --format json analyze "$src" >"$TEST_DIR/out.json" 2>"$TEST_DIR/err"
		rc=$?
		if [ -n "$bad" ]; then
			line=${bad%% *}
			cols=" ${bad#* } "
			got=$(sed -nE "s|^imcost: $src:([0-9]+):([0-9]+): .*|\1 \2|p" "$TEST_DIR/err")
			nlines=$(wc -l <"$TEST_DIR/err")
			if [ $rc = 1 ] && [ "$nlines" = 1 ] && [ "${got%% *}" = "$line" ] &&
				[ "${cols#* ${got#* } }" != "$cols" ]; then
				ok "$label: refused at line $line, column ${got#* } (impossible time)"
			else
				nok "$label: refused with FILE:LINE:COL" "exit $rc, want 1 at line $line col in [$cols]: $(head -c 300 "$TEST_DIR/err")"
			fi
			# a failed first import leaves no database behind
			expect_eq "$label: nothing imported, no database left" "$(charges_count "$db")" none
		elif [ $rc != 0 ]; then
			nok "$label: analyze exit 0" "exit $rc: $(head -c 300 "$TEST_DIR/err")"
		else
			check_summary "$label" "$TEST_DIR/out.json" "$TEST_DIR/want.json"
		fi
	done
done
[ $n -gt 0 ] || skip "samples-reconcile" "no AWS or FOCUS sample files"

# The koku fixture's rows are all one field short of its header: accepted,
# every row imported, with a warning that says so (issue 9).
k="$SAMPLES/aws/cur-legacy-csv_koku_test_cur.csv"
if [ -e "$k" ]; then
	recs=$("$PYTHON" -c 'import csv,sys; print(sum(1 for r in csv.reader(open(sys.argv[1], newline="")) if r) - 1)' "$k")
	"$IMCOST" --db "$TEST_DIR/k.db" --format json import "$k" >"$TEST_DIR/k.json" 2>"$TEST_DIR/k.err"
	expect_eq "koku ragged sample: import exit 0" "$?" 0
	expect_eq "koku ragged sample: every record imported" "$(jq -r '.[0].records' "$TEST_DIR/k.json")" "$recs"
	if grep -q "warning.*cur-legacy-csv_koku_test_cur.csv" "$TEST_DIR/k.err"; then
		ok "koku ragged sample: warned about the short rows"
	else
		nok "koku ragged sample: warned about the short rows" "stderr: $(cat "$TEST_DIR/k.err")"
	fi
fi

# The FOCUS multi-cloud sample spans two billing periods (2024-09 and one
# Oracle row in 2024-10): analyze FILE covers both, --month 2024-09 only
# the first; period ends are exclusive ISO dates.
m="$SAMPLES/focus/focus-1.0_sample_1000rows_multicloud.csv"
if [ -e "$m" ]; then
	db="$TEST_DIR/m.db"
	"$IMCOST" --db "$db" --format json analyze "$m" >"$TEST_DIR/m.json" 2>/dev/null
	first=$("$PYTHON" -c '
import csv, sys
ps = sorted({r["BillingPeriodStart"][:7] for r in csv.DictReader(open(sys.argv[1], newline=""))})
print(ps[0], ps[-1])' "$m")
	lo=${first% *}; hi=${first#* }
	expect_eq "focus multicloud: period.start" "$(json_get "$TEST_DIR/m.json" period.start)" "$lo-01"
	want_end=$("$PYTHON" -c "import sys; y,m=map(int,sys.argv[1].split('-')); y,m=(y+1,1) if m==12 else (y,m+1); print('%04d-%02d-01'%(y,m))" "$hi")
	expect_eq "focus multicloud: period.end (exclusive)" "$(json_get "$TEST_DIR/m.json" period.end)" "$want_end"
	"$IMCOST" --db "$db" --format json analyze --month "$lo" >"$TEST_DIR/m1.json" 2>/dev/null
	expected_summary "$m" "$lo" >"$TEST_DIR/m1want.json"
	check_summary "focus multicloud --month $lo" "$TEST_DIR/m1.json" "$TEST_DIR/m1want.json"
	expect_eq "focus multicloud --month $lo: period.end" "$(json_get "$TEST_DIR/m1.json" period.end)" \
		"$("$PYTHON" -c "import sys; y,m=map(int,sys.argv[1].split('-')); y,m=(y+1,1) if m==12 else (y,m+1); print('%04d-%02d-01'%(y,m))" "$lo")"
fi

# A generated CUR month with every line type (Usage, DiscountedUsage, RIFee,
# Fee, SavingsPlanCoveredUsage / Negation / RecurringFee, Tax): totals equal
# the generator's planted exact sums, by_service equals the raw group-by.
if have_gen; then
	gen_cur "$TEST_DIR/gen.csv" 2026-10 1 123456789012 10000
	gzip -c -n "$TEST_DIR/gen.csv" >"$TEST_DIR/gen.csv.gz"
	expected_summary "$TEST_DIR/gen.csv" >"$TEST_DIR/gen.want"
	dec_eq "oracle agrees with gen-cur: billed" "$(json_get "$TEST_DIR/gen.want" USD.billed)" "$(tot "$TEST_DIR/gen.csv.tot" billed_cost)" 10
	dec_eq "oracle agrees with gen-cur: effective" "$(json_get "$TEST_DIR/gen.want" USD.effective)" "$(tot "$TEST_DIR/gen.csv.tot" effective_cost)" 10
	for g in gen.csv gen.csv.gz; do
		"$IMCOST" --db "$TEST_DIR/$g.db" --format json analyze "$TEST_DIR/$g" >"$TEST_DIR/gen.json" 2>"$TEST_DIR/gen.err"
		expect_eq "generated $g: exit 0" "$?" 0
		s=$(summary_of "$TEST_DIR/gen.json")
		set -- $s
		dec_eq "generated $g: billed = gen-cur billed_cost" "$1" "$(tot "$TEST_DIR/gen.csv.tot" billed_cost)"
		dec_eq "generated $g: effective = gen-cur effective_cost" "$2" "$(tot "$TEST_DIR/gen.csv.tot" effective_cost)"
		check_summary "generated $g" "$TEST_DIR/gen.json" "$TEST_DIR/gen.want"
	done
else
	skip "generated CUR reconcile" "no $GEN_CUR"
fi
