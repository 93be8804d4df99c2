/*
 * fuzz-csv-libcsv.c - differential libFuzzer harness: any bytes, read by
 * imcost's CSV reader and by libcsv (tests/oracle/csv-diff.h); aborts when
 * the two disagree in a way that is not one of imcost's documented
 * stricter rules.  Linked with -lcsv (mk/oracle.mk).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1		/* memfd_create */
#endif

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/fuzz/fuzz-replay.h"
#include "tests/oracle/csv-diff.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	char why[1024];

	if (fd < 0) {
		fd = memfd_create("fuzz-csv", MFD_CLOEXEC);
		if (fd < 0) {
			char tmpl[] = "/tmp/imcost-fuzz-csv-XXXXXX";
			fd = mkstemp(tmpl);
			if (fd < 0)
				abort();
			snprintf(path, sizeof path, "%s", tmpl);
		} else {
			snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		}
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (csv_diff_file(path, why, sizeof why) == CSV_DIFF_MISMATCH) {
		fprintf(stderr, "csv-libcsv: %s\n", why);
		abort();
	}
	return 0;
}
