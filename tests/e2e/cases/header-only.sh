# A header and no rows: accepted with a warning, nothing imported, the
# month already in the database untouched; importing it again is
# "unchanged".
. "$CASES/lib.inc"
seed
printf '%s\n' "$HDR" >hdr.csv
"$IMCOST" import hdr.csv 2>err.txt
echo "exit $?"
echo "warnings $(grep -c 'warning.*hdr\.csv' err.txt)"
echo "june $(june_billed)"
echo "listed rows $("$IMCOST" --format json list | jq -r '[.[] | select(.file == "hdr.csv") | .rows] | map(tostring) | join(",")')"
"$IMCOST" import hdr.csv 2>err.txt
echo "again exit $?"
echo "again unchanged $(grep -c 'unchanged' err.txt)"
