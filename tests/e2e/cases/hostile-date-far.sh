# A 2027 charge inside a 2026-06 billing period: lineItem/UsageStartDate
# (line 3, column 5) is months past the period's end plus the default 3
# days of slack.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' "$HDR" "$R1" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2027-03-01T00:00:00Z,2027-03-01T01:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
