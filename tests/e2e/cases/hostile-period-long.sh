# A billing period of seven months (2026-06-01 to 2027-01-01): refused at
# bill/BillingPeriodEndDate (line 2, column 3), not filed under 2026-06.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,2026-06-01T00:00:00Z,2027-01-01T00:00:00Z,Usage,2026-06-05T00:00:00Z,2026-06-05T01:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
