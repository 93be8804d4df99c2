# A CUR month whose pricing/publicOnDemandCost (column 10) holds the word
# "convertible" on lines 3 and 5: imported, the two list costs NULL, one
# warning naming line 3, column 10 and the count; the billed total is the
# three unblended costs (1.00 + 2.00 + 4.00 = 7.00), under another payer
# account than the seed (so nothing is replaced: june adds 12.75 + 7.00).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n%s\n' \
	'bill/PayerAccountId,bill/BillingPeriodStartDate,bill/BillingPeriodEndDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost,pricing/publicOnDemandCost' \
	'444455556666,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T00:00:00Z,2026-06-01T01:00:00Z,AmazonEC2,USD,1.00,1.50' \
	'444455556666,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T01:00:00Z,2026-06-01T02:00:00Z,AmazonEC2,USD,2.00,convertible' \
	'444455556666,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T02:00:00Z,2026-06-01T03:00:00Z,AmazonEC2,USD,4.00,' \
	'444455556666,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T03:00:00Z,2026-06-01T04:00:00Z,AmazonEC2,USD,0,convertible' \
	>ri.csv
try_import ri.csv
sqlite3 "$IMCOST_DB" "SELECT count(*), count(ListCostNanos), sum(ListCostNanos) FROM charges"
