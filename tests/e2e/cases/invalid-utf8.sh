# Byte 0xff inside field 7 of line 3.
. "$CASES/lib.inc"
seed
printf '%s\n%s\n%s\n%s\n' "$HDR" "$R1" \
	'111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T01:00:00Z,2026-06-01T02:00:00Z,Amazon@S3,USD,1.25,media' \
	"$R3" | tr @ '\377' >bad.csv
try_import bad.csv
