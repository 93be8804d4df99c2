# Two rows of 9,000,000,000.00 each: the file's total overflows the
# nano-unit range at the second (line 3), blamed on the cost column
# (lineItem/UnblendedCost, column 9).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n' "$HDR" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T00:00:00Z,2026-06-01T01:00:00Z,AmazonS3,USD,9000000000.00,media' \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T01:00:00Z,2026-06-01T02:00:00Z,AmazonS3,USD,9000000000.00,media' \
	>big.csv
try_import big.csv
