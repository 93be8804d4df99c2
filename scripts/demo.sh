#!/bin/sh
# make demo: generate a realistic CUR month for an IM service (with usage
# metrics), import it and analyze it.  Everything lands in ./demo/.
set -eu
BUILD=${1:-build/rel}
ROWS=${DEMO_ROWS:-50000}
mkdir -p demo
rm -f demo/imcost.db demo/imcost.db-wal demo/imcost.db-shm
"$BUILD/gen-cur" --rows "$ROWS" --month 2026-10 --seed 7 \
	--out demo/cur-2026-10.csv --totals demo/totals.txt --metrics demo/usage-2026-10.csv
gzip -f demo/cur-2026-10.csv
# example price lists for the demo's instance types (each file says where
# its figures come from); with your own bills import AWS's files instead
echo "== imcost import data/prices-example-aws-ec2.csv data/prices-example-aws-savingsplans.csv" >&2
./imcost --db demo/imcost.db import data/prices-example-aws-ec2.csv data/prices-example-aws-savingsplans.csv
echo "== imcost analyze demo/cur-2026-10.csv.gz demo/usage-2026-10.csv" >&2
./imcost --db demo/imcost.db analyze demo/cur-2026-10.csv.gz demo/usage-2026-10.csv
echo >&2
echo "== imcost list" >&2
./imcost --db demo/imcost.db list
echo >&2
echo "(database: demo/imcost.db; try: ./imcost --db demo/imcost.db --format json analyze --month 2026-10 | jq .summary)" >&2
