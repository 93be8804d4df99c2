# A billing period in 1969 (line 3, column 2: the first row is good).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' "$HDR" "$R1" \
	'111122223333,1969-12-01T00:00:00Z,1970-01-01T00:00:00Z,Usage,1969-12-01T00:00:00Z,1969-12-01T01:00:00Z,AmazonS3,USD,1.25,media' \
	>bad.csv
try_import bad.csv
