/*
 * csv-oracle.c - read CSV files with imcost's reader and with libcsv and
 * say, one line per file, whether they agree (tests/oracle/csv-diff.h).
 *
 *   csv-oracle FILE...
 *
 * Each line: "same", "both-refuse", "stricter", "input" or "MISMATCH",
 * the file, and what was found.  Exit status 1 when any file is a
 * MISMATCH (or cannot be compared at all), else 0.
 */
#include "tests/oracle/csv-diff.h"

int
main(int argc, char **argv)
{
	static const char *const names[] = {
		[CSV_DIFF_SAME] = "same",
		[CSV_DIFF_BOTH_REFUSE] = "both-refuse",
		[CSV_DIFF_STRICTER] = "stricter",
		[CSV_DIFF_INPUT] = "input",
		[CSV_DIFF_MISMATCH] = "MISMATCH",
	};
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: csv-oracle FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		char why[1024];
		enum csv_diff d = csv_diff_file(argv[i], why, sizeof why);
		if (d == CSV_DIFF_MISMATCH)
			bad = 1;
		if (printf("%s %s: %s\n", names[d], argv[i], why) < 0)
			bad = 1;
	}
	if (fflush(stdout) != 0)
		bad = 1;
	return bad;
}
