# A real gzip of a 3000-row bill cut in the middle of its compressed
# stream.  The error must name the file and the line the data reached:
# the decompressed prefix (zlib's, as any reader gets it) has N newlines,
# so the data stops on line N + 1.
. "$CASES/lib.inc"
seed
{
	printf '%s\n' "$HDR"
	awk 'BEGIN { for (i = 0; i < 3000; i++)
		printf "111122223333,2026-06-01T00:00:00Z,2026-07-01T00:00:00Z,Usage,2026-06-%02dT%02d:00:00Z,2026-06-%02dT%02d:59:59Z,AmazonEC2,USD,%d.%04d,team%d\n",
			1 + i % 30, i % 24, 1 + i % 30, i % 24, i % 7, (i * 37) % 10000, i % 5 }'
} >full.csv
gzip -n -c full.csv >full.csv.gz
size=$(wc -c <full.csv.gz)
head -c $((size / 2)) full.csv.gz >bad.csv.gz
want=$(python3 -c '
import sys, zlib
d = zlib.decompressobj(31).decompress(open(sys.argv[1], "rb").read())
print(d.count(b"\n") + 1)' bad.csv.gz)
before=$(fingerprint)
"$IMCOST" import bad.csv.gz 2>err.txt
echo "exit $?"
echo "stderr lines $(wc -l <err.txt)"
got=$(sed -E -n 's/^imcost: bad\.csv\.gz:([0-9]+):([0-9]+:)? .*/\1/p' err.txt)
if [ "$got" = "$want" ]; then
	echo "names bad.csv.gz and the line reached"
else
	echo "line '$got', want bad.csv.gz:$want: ($(cat err.txt))"
fi
if [ "$(fingerprint)" = "$before" ]; then echo "database unchanged"; else echo "database CHANGED"; fi
echo "june $(june_billed)"
