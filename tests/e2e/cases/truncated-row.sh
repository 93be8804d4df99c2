# The last line is cut short inside its 8th field and has no newline: a
# truncated file, refused at that line.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s' "$HDR" "$R1" "$R2" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Tax,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,AmazonEC2,US' >bad.csv
try_import bad.csv
