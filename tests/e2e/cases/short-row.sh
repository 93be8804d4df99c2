# One row (line 3, with its newline) is a field short while the others are
# complete: an error, not a ragged file.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n' "$HDR" "$R1" "$S2" "$R3" >bad.csv
try_import bad.csv
