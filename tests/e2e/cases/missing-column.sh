# A CUR header without bill/BillingPeriodEndDate: refused at the header
# (line 1, no single column to blame).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' \
	'bill/PayerAccountId,bill/BillingPeriodStartDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost' \
	'111122223333,2026-06-01T00:00:00Z,Usage,2026-06-01T00:00:00Z,2026-06-01T01:00:00Z,AmazonEC2,USD,0.096' >bad.csv
try_import bad.csv
