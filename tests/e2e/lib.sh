# lib.sh - helpers for the end-to-end test scripts (sourced).
#
# Each check prints one line: "ok - NAME", "not ok - NAME: why" or
# "skip - NAME (why)".  tests/run.sh counts them.  Variables: IMCOST (the
# binary), SAMPLES (../shared/samples, may be absent), GEN_CUR (the CUR
# generator), TEST_DIR (this script's scratch directory, also the cwd).

ok()   { echo "ok - $1"; }
nok()  { echo "not ok - $1${2:+: $2}"; }
skip() { echo "skip - $1 (${2:-skipped})"; }

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got '$2', want '$3'"; fi
}

# expect_status NAME WANT CMD...: run CMD, compare its exit status
expect_status() {
	local name=$1 want=$2; shift 2
	"$@" >/dev/null 2>&1
	local got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else nok "$name" "exit $got, want $want"; fi
}

# have_samples: true when ../shared/samples is there
have_samples() { [ -d "$SAMPLES" ]; }

# exact_sum FILE COLUMN_NAME: the exact decimal sum of a CSV column, computed
# with integer arithmetic on the digits (independent of imcost's parser).
# Handles quoted simple fields (no embedded commas in the summed column's
# row prefix is NOT assumed: uses a real CSV split), plain decimals and
# e-notation, to 10 decimals.
exact_sum() {
	python3 - "$1" "$2" <<'PY'
import csv, sys, gzip
from decimal import Decimal, getcontext
getcontext().prec = 60
path, col = sys.argv[1], sys.argv[2]
op = gzip.open if open(path, 'rb').read(2) == b'\x1f\x8b' else open
with op(path, 'rt', encoding='utf-8-sig', newline='') as f:
    r = csv.reader(f)
    hdr = [h.strip().lower() for h in next(r)]
    i = hdr.index(col.lower())
    tot = Decimal(0)
    for row in r:
        if not row:
            continue
        v = row[i].strip() if i < len(row) else ''
        if v in ('', 'NULL', 'null', 'None'):
            continue
        tot += Decimal(v)
print(f"{tot.quantize(Decimal('0.000001'))}")
PY
}
