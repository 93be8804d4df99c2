#!/bin/bash
# t-csv-oracle.sh - imcost's CSV reader against libcsv, the oracle
# (tests/oracle/csv-diff.h; $BUILD/csv-oracle is built by `make check`).
#
# Every CSV the tests know is read by both readers, record by record and
# byte by byte: the public samples (skipped when ../shared/samples is
# absent), the fixtures and fuzz seeds and regressions of tests/, a
# generated CUR month, and 600 random files built to stress the edge cases
# (tests/oracle/gen-tricky-csv.py, fixed seed).  A file passes when both
# read the same records, both refuse it, or imcost refuses it under one of
# its documented stricter rules (NUL, invalid UTF-8, size limits, a
# carriage return that no line feed follows outside quotes, which libcsv
# reads as a line end); a file
# that libcsv refuses and imcost reads, or a record that differs, fails.
. "$ROOT/tests/e2e/lib.sh"

ORACLE=$ROOT/$BUILD/csv-oracle
if [ ! -x "$ORACLE" ]; then
	skip "csv oracle" "$ORACLE not built (make check builds it)"
	exit 0
fi

# run_oracle NAME FILE...: one check for the lot, naming each mismatch
run_oracle() {
	local name=$1 out
	shift
	out=$("$ORACLE" "$@" 2>&1)
	if printf '%s\n' "$out" | grep -q '^MISMATCH '; then
		nok "$name" "$(printf '%s\n' "$out" | grep '^MISMATCH ' | head -3 | tr '\n' ' ')"
	else
		ok "$name ($(printf '%s\n' "$out" | cut -d' ' -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ' '))"
	fi
	printf '%s\n' "$out" > "$TEST_DIR/oracle-$(echo "$name" | tr ' /' '__').out"
}

# 1. the public samples
if have_samples; then
	mapfile -d '' files < <(find "$SAMPLES" -type f \( -name '*.csv' -o -name '*.csv.gz' \) -print0 | sort -z)
	if [ ${#files[@]} -gt 0 ]; then
		run_oracle "oracle: ${#files[@]} sample CSV files" "${files[@]}"
	else
		skip "oracle: sample CSV files" "none under $SAMPLES"
	fi
else
	skip "oracle: sample CSV files" "no $SAMPLES"
fi

# 2. every data file of the tests (fixtures, fuzz seeds and regressions,
# end-to-end inputs): CSV or not, both readers must agree on its bytes
mapfile -d '' files < <(find "$ROOT/tests/fixtures" "$ROOT/tests/fuzz/seeds" \
	"$ROOT/tests/fuzz/regressions" "$ROOT/tests/e2e/cases" -type f \
	! -name '*.sh' ! -name '*.stdout' ! -name '*.stderr' ! -name '*.exit' \
	! -name '*.txt' ! -name '*.md' -print0 | sort -z)
run_oracle "oracle: ${#files[@]} test inputs" "${files[@]}"

# 3. a generated CUR month, plain and gzip
if have_gen; then
	gen_cur cur.csv 2026-10 7 111111111111 20000 && gzip -k cur.csv
	run_oracle "oracle: generated CUR month (csv and csv.gz)" cur.csv cur.csv.gz
	n_lib=$(sed -n 's/^same [^:]*: \([0-9]*\) records$/\1/p' "$TEST_DIR/oracle-oracle:_generated_CUR_month_(csv_and_csv.gz).out" | head -1)
	n_py=$("$PYTHON" -c 'import csv,sys; print(sum(1 for r in csv.reader(open(sys.argv[1], newline="")) if r))' cur.csv)
	expect_eq "oracle: record count of the CUR month equals Python's csv module" "$n_lib" "$n_py"
else
	skip "oracle: generated CUR month" "no gen-cur"
fi

# 4. random tricky files
"$PYTHON" "$ROOT/tests/oracle/gen-tricky-csv.py" tricky 600 20261206
out=$("$ORACLE" tricky/*.csv 2>&1)
same=$(printf '%s\n' "$out" | grep -c '^same ')
refused=$(printf '%s\n' "$out" | grep -c '^both-refuse ')
bad=$(printf '%s\n' "$out" | grep '^MISMATCH ')
if [ -n "$bad" ]; then
	nok "oracle: 600 random tricky CSV files" "$(printf '%s\n' "$bad" | head -3 | tr '\n' ' ')"
else
	ok "oracle: 600 random tricky CSV files ($same same, $refused refused by both)"
fi
# the random files must exercise both sides: agreement and common refusals
if [ "$same" -ge 300 ] && [ "$refused" -ge 30 ]; then
	ok "oracle: the random files cover readable and malformed CSV"
else
	nok "oracle: the random files cover readable and malformed CSV" "same $same, both-refuse $refused"
fi
