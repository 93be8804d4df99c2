# A good bill written with ';' between fields.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' "$HDR" "$R1" "$R2" | tr ',' ';' >bad.csv
try_import bad.csv
