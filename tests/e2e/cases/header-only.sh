# A header and no rows (issue 24: decided as a warning and no import
# row): exit 0, the warning and "nothing imported" named, no import
# recorded (the file is not listed), the month already in the database
# untouched; importing it again says the same.
. "$CASES/lib.inc"
seed
printf '%s\n' "$HDR" >hdr.csv
"$IMCOST" import hdr.csv 2>err.txt
echo "exit $?"
echo "warnings $(grep -c '^imcost: warning: hdr\.csv: a header and no data records: nothing imported, no import recorded' err.txt)"
echo "said $(grep -c '^hdr\.csv: nothing imported (a header and no records)$' err.txt)"
echo "june $(june_billed)"
echo "listed $("$IMCOST" --format json list | jq -r '[.[] | select(.file == "hdr.csv")] | length')"
"$IMCOST" import hdr.csv 2>err.txt
echo "again exit $?"
echo "again said $(grep -c 'nothing imported' err.txt)"
