# Every row is one trailing field short of the header (like koku's
# test_cur.csv): accepted with one warning; the three rows restate June:
# 0.096 + 1.25 + 0.08 = 1.426 = 1426000000 nano-units.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n' "$HDR" "$S1" "$S2" "$S3" >ragged.csv
"$IMCOST" import ragged.csv 2>err.txt
echo "exit $?"
echo "warnings $(grep -c 'warning.*ragged\.csv' err.txt)"
echo "june $(june_billed)"
