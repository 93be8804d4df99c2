# Field 7 of line 3 is 2 MiB long.
. "$CASES/lib.inc"
seed
{
	printf '%s\n%s\n' "$HDR" "$R1"
	printf '111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-01T01:00:00Z,2026-06-01T02:00:00Z,'
	head -c 2097152 /dev/zero | tr '\0' X
	printf ',USD,1.25,media\n%s\n' "$R3"
} >bad.csv
try_import bad.csv
