# June has no 31st: lineItem/UsageStartDate (line 3, column 5).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n' "$HDR" "$R1" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-31T01:00:00Z,2026-06-01T02:00:00Z,AmazonS3,USD,1.25,media' \
	"$R3" >bad.csv
try_import bad.csv
