#!/bin/sh
# make demo: generate two months of CUR bills of an IM service (with usage
# metrics), import their folder, analyze the second month (its changes
# against the first) and write its report: the same months as `make
# report-demo`, whose report is the README's screenshot.  Everything lands
# in ./demo/.
set -eu
BUILD=${1:-build/rel}
ROWS=${DEMO_ROWS:-50000}
ROWS_PREV=${DEMO_ROWS_PREV:-40000}
rm -rf demo/bills demo/report-2026-10
mkdir -p demo/bills
rm -f demo/imcost.db demo/imcost.db-wal demo/imcost.db-shm
"$BUILD/gen-cur" --rows "$ROWS_PREV" --month 2026-09 --seed 5 \
	--out demo/bills/cur-2026-09.csv --metrics demo/bills/usage-2026-09.csv
"$BUILD/gen-cur" --rows "$ROWS" --month 2026-10 --seed 7 \
	--out demo/bills/cur-2026-10.csv --totals demo/totals.txt --metrics demo/bills/usage-2026-10.csv
gzip -f demo/bills/cur-2026-09.csv demo/bills/cur-2026-10.csv
run() {
	echo "== imcost $*" >&2
	./imcost --db demo/imcost.db "$@"
}
# example price lists for the demo's instance types (each file says where
# its figures come from); with your own bills import AWS's files instead
run import data/prices-example-aws-ec2.csv data/prices-example-aws-savingsplans.csv
# a folder: every bill and metrics file in it, as one batch
run import demo/bills
echo >&2
run analyze --month 2026-10
echo >&2
# the cost of each IM feature, by the example rules (README, "Allocation rules")
run analyze --month 2026-10 --only allocation --allocation data/allocation-im.json
echo >&2
run report --month 2026-10 --out demo/report-2026-10 --allocation data/allocation-im.json
echo >&2
run list
echo >&2
echo "(database: demo/imcost.db; report: demo/report-2026-10/report.html;" \
	"try: ./imcost --db demo/imcost.db --format json analyze --month 2026-10 | jq .summary)" >&2
