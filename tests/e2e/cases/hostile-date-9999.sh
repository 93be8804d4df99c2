# A billing period ending in 9999 (bill/BillingPeriodEndDate, line 2,
# column 3), whose charge spans year 2026 to 9999.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,2026-06-01T00:00:00Z,9999-12-01T00:00:00Z,Usage,2026-06-01T00:00:00Z,9999-12-01T00:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
