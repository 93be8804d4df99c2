/*
 * gen-metrics.c - a month of usage metrics as a long CSV under CloudWatch's
 * names, for `make bench` (bench/run.sh) and tests.
 *
 *   gen-metrics [--instances N] [--step SECONDS] [--month YYYY-MM] [--seed S]
 *               [--out FILE]
 *
 * Writes timestamp,resource_id,metric,value,unit: for every instance
 * (i-%017x ids) and every step of the month, CPUUtilization (percent, 3
 * decimals), NetworkIn, NetworkOut (bytes), DiskReadOps, DiskWriteOps
 * (counts).  One row per sample: N x 5 x (days x 86400 / step) rows.  A
 * quarter of the instances idle (CPU under 2%, a few kB), the rest busy.
 * Prints the number of rows to stderr.  Deterministic for a seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

int
main(int argc, char **argv)
{
	long inst = 40, step = 300, rows = 0;
	int y = 2026, mo = 10;
	const char *out = NULL;
	static const char *const names[5] = { "CPUUtilization", "NetworkIn", "NetworkOut", "DiskReadOps",
					      "DiskWriteOps" };
	static const char *const units[5] = { "Percent", "Bytes", "Bytes", "Count", "Count" };
	FILE *f = stdout;
	static char buf[1 << 20];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--instances") == 0 && i + 1 < argc)
			inst = atol(argv[++i]);
		else if (strcmp(argv[i], "--step") == 0 && i + 1 < argc)
			step = atol(argv[++i]);
		else if (strcmp(argv[i], "--month") == 0 && i + 1 < argc && sscanf(argv[i + 1], "%d-%d", &y, &mo) == 2)
			i++;
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			rng ^= (uint64_t)atoll(argv[++i]) * 0x9E3779B97F4A7C15ULL;
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: gen-metrics [--instances N] [--step SECONDS] [--month YYYY-MM]"
				" [--seed S] [--out FILE]\n");
			return 2;
		}
	}
	if (inst < 1 || step < 1 || step > 86400 || mo < 1 || mo > 12) {
		fprintf(stderr, "gen-metrics: bad arguments\n");
		return 2;
	}
	if (out && (f = fopen(out, "w")) == NULL) {
		perror(out);
		return 1;
	}
	setvbuf(f, buf, _IOFBF, sizeof buf);
	fputs("timestamp,resource_id,metric,value,unit\n", f);
	for (long t = 0; t < (long)days_in(y, mo) * 86400; t += step) {
		char ts[32];
		int d = (int)(t / 86400) + 1, h = (int)(t % 86400 / 3600), mi = (int)(t % 3600 / 60),
		    s = (int)(t % 60);
		snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
		for (long i = 0; i < inst; i++) {
			int idle = i % 4 == 0;
			for (int k = 0; k < 5; k++) {
				uint64_t r = next();
				double v;
				if (k == 0)
					v = idle ? (double)(r % 2000) / 1000 : 20 + (double)(r % 60000) / 1000;
				else if (k < 3)
					v = idle ? (double)(r % 5000) : (double)(r % 50000000);
				else
					v = idle ? (double)(r % 3) : (double)(r % 20000);
				fprintf(f, "%s,i-%017lx,%s,%.3f,%s\n", ts, 0x0a000000L + i, names[k], v, units[k]);
				rows++;
			}
		}
	}
	if (fclose(f) != 0) {
		perror(out ? out : "stdout");
		return 1;
	}
	fprintf(stderr, "%ld\n", rows);
	return 0;
}
