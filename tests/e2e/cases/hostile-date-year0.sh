# A billing period in year 0 (bill/BillingPeriodStartDate, line 2,
# column 2) is outside the years 2000 to 2099.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,0000-06-01T00:00:00Z,0000-07-01T00:00:00Z,Usage,0000-06-01T00:00:00Z,0000-06-01T01:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
