# Line 3 has an 11th field.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s,extra\n%s\n' "$HDR" "$R1" "$R2" "$R3" >bad.csv
try_import bad.csv
