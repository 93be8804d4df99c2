# Rows one field short of the header, then a row with all 10 fields: the
# rows are not consistently short, so line 3 is an error.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n' "$HDR" "$S1" "$R2" "$S3" >bad.csv
try_import bad.csv
