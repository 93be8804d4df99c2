# JSON inside a CSV field: an Azure AdditionalInfo whose ServiceType is
# given twice (the VM size the commitment analysis reads; cJSON would take
# the first) is refused at that field, the line and column of the first
# such row of the fixture (found with python's csv module), with the byte
# offsets inside the JSON.
python3 - "$ROOT/tests/fixtures/azure/ea-actual_2024-09.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
col = rows[0].index("AdditionalInfo")
for i, r in enumerate(rows[1:], start=2):
    if "ServiceType" in r[col]:
        r[col] = r[col].replace('{"ServiceType":"Standard_D2_v5"', '{"ServiceType":"Standard_D2_v5","ServiceType":"Standard_D96_v5"')
        print("want line %d column %d" % (i, col + 1))
        break
csv.writer(open("dup.csv", "w", newline=""), lineterminator="\n").writerows(rows)
PY
"$IMCOST" import dup.csv
echo "exit $?"
ls imcost.db 2>/dev/null || echo "no database left behind"
