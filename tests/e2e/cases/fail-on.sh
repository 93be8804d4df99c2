# analyze --fail-on KIND=AMOUNT exits 3 when a threshold is reached, after
# printing the whole output, and names the reached thresholds on stderr; the
# savings block opens the output.  Data: gen-cur's 2026-10 month (seed 7,
# 3000 rows) with the example price lists: waste 85.73 USD a month as printed
# (two idle NAT gateways 43.24 + 35.18, two unused addresses 3.65 each, each
# rounded for print: the exact sum is between 85.72 and 85.73), one anomaly.
IMCOST_DB=m.db
export IMCOST_DB
"$GEN_CUR" --rows 3000 --month 2026-10 --seed 7 --out cur.csv --metrics usage.csv
"$IMCOST" --quiet import "$ROOT/data/prices-example-aws-ec2.csv" \
	"$ROOT/data/prices-example-aws-savingsplans.csv" cur.csv usage.csv
"$IMCOST" analyze --fail-on waste=85.72 >out.txt; echo "waste=85.72: exit $?"
sed -n 1,11p out.txt
"$IMCOST" analyze --fail-on waste=85.73 >/dev/null; echo "waste=85.73: exit $?"
"$IMCOST" analyze --fail-on anomaly=1,savings=50 >/dev/null; echo "anomaly=1,savings=50: exit $?"
"$IMCOST" analyze --fail-on anomaly=1000 >/dev/null; echo "anomaly=1000: exit $?"
"$IMCOST" analyze --fail-on waste >/dev/null; echo "waste without amount: exit $?"
"$IMCOST" analyze --fail-on idle=100,waste=1 >/dev/null
