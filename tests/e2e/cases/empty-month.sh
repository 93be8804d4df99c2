# --month with no charges: analyze, report and levers --bill exit 1 with one
# line naming the months that have charges (the seed's 2026-06); stdout stays
# empty.  A month with charges still works.
. "$CASES/lib.inc"
IMCOST_DB=m.db
export IMCOST_DB
seed
"$IMCOST" analyze --month 2026-09; echo "analyze --month 2026-09: exit $?"
"$IMCOST" --format json analyze --month 2026-09; echo "json analyze --month 2026-09: exit $?"
"$IMCOST" report --month 2026-09 --out rep; echo "report --month 2026-09: exit $?"
[ -e rep ] && echo "report wrote rep/"
"$IMCOST" levers --bill --month 2026-09; echo "levers --bill --month 2026-09: exit $?"
"$IMCOST" --format json analyze --month 2026-06 --only summary | jq -r '.summary.billed_cost'
echo "analyze --month 2026-06: exit $?"
"$IMCOST" analyze --month 2026-13; echo "analyze --month 2026-13: exit $?"
