# A gzip cut after its first 200 bytes: the message gives the compressed
# byte where the data ended (200, counted with wc -c), as binary input has
# no columns.
. "$CASES/lib.inc"
seed
{
	printf '%s\n' "$HDR"
	awk 'BEGIN { for (i = 0; i < 3000; i++)
		printf "111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-%02dT%02d:00:00Z,2026-06-%02dT%02d:59:59Z,AmazonEC2,USD,%d.%04d,team%d\n",
			1 + i % 30, i % 24, 1 + i % 30, i % 24, i % 7, (i * 37) % 10000, i % 5 }'
} | gzip -n -c | head -c 200 >cut.csv.gz
echo "file bytes $(wc -c <cut.csv.gz)"
try_import cut.csv.gz
