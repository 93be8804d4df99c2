# CR-only line endings (old spreadsheet exports): a 10-row file and a
# 20,000-row file are both refused as such, at line 1 and the header's
# last field (column 10: the first CR ends it), never as "0 records" nor
# "more than 100000 fields".
. "$CASES/lib.inc"
seed
{ printf '%s\r' "$HDR"; for i in 1 2 3 4 5; do printf '%s\r%s\r' "$R1" "$R2"; done; } >cr10.csv
try_import cr10.csv
python3 -c '
import sys
hdr, r1, r2 = sys.argv[1:4]
sys.stdout.write("\r".join([hdr] + [r1, r2] * 10000) + "\r")' "$HDR" "$R1" "$R2" >cr20k.csv
try_import cr20k.csv
