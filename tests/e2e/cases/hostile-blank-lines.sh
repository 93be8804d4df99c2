# A header, one row and then 150,000 blank lines: refused quickly where
# the run of blank lines starts (line 3), not read to the end and
# reported at 1:1.
. "$CASES/lib.inc"
seed
{ printf '%s\n%s\n' "$HDR" "$R1"; python3 -c 'import sys; sys.stdout.write("\n" * 150000)'; } >blank.csv
try_import blank.csv
