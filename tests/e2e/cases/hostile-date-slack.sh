# A charge starting 2026-05-27, five days before its 2026-06 period: over
# the default 3 days of slack (line 2, column 5), taken with
# --date-slack 5 (a restatement of 2026-06: it replaces the seed).
. "$CASES/lib.inc"
seed
printf '%s\n%s\n' "$HDR" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-05-27T00:00:00Z,2026-05-27T01:00:00Z,AmazonS3,USD,1.25,media' \
	>late.csv
try_import late.csv
"$IMCOST" import --date-slack 5 late.csv 2>err.txt
echo "with --date-slack 5: exit $?"
cat err.txt >&2
echo "june $(june_billed)"
