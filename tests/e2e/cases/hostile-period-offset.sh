# A billing period written in China time, 2026-07-01T00:00:00+08:00 to
# 2026-08-01T00:00:00+08:00 (2026-06-30T16:00Z in UTC): filed under
# 2026-07, the month it names, so `analyze --month 2026-07` sees it and
# 2026-06 (the seed) is untouched.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,2026-07-01T00:00:00+08:00,2026-08-01T00:00:00+08:00,Usage,2026-07-02T00:00:00Z,2026-07-02T01:00:00Z,AmazonS3,USD,1.25,media' \
	>jul.csv
"$IMCOST" import jul.csv 2>err.txt
echo "exit $?"
cat err.txt >&2
echo "june $(june_billed)"
sqlite3 "$IMCOST_DB" "SELECT date(BillingPeriodStart, 'unixepoch'), date(BillingPeriodEnd, 'unixepoch'), BilledCostNanos FROM charges WHERE BillingPeriodStart > strftime('%s', '2026-06-01')"
"$IMCOST" --format json analyze --month 2026-07 --only summary | jq -c '[.period.start, .summary.billed_cost, .summary.rows]'
