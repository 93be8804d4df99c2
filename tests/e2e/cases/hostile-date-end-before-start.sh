# lineItem/UsageEndDate (line 2, column 6) an hour before its start.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-05T10:00:00Z,2026-06-05T09:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
