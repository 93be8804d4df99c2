/*
 * fuzz-replay.h - a main() for libFuzzer harnesses built without libFuzzer.
 *
 * When FUZZ_REPLAY_MAIN is defined (mk/fuzz.mk does so for the replay
 * binaries that `make check` runs), this defines main(): it reads each file
 * named on the command line (a directory: each regular file in it) and
 * passes its bytes to LLVMFuzzerTestOneInput, printing "replay FILE" to
 * stderr first.  A harness signals a broken invariant with abort(), so the
 * exit status tells whether every input passed.
 */
#ifndef IMCOST_FUZZ_REPLAY_H
#define IMCOST_FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef FUZZ_REPLAY_MAIN
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
fuzz_replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			unsigned char *nb = realloc(buf, cap ? cap * 2 : 65536);
			if (nb == NULL) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d)) != NULL) {
				char p[4096];
				struct stat fs;
				snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
				if (stat(p, &fs) == 0 && S_ISREG(fs.st_mode) && fuzz_replay_file(p) != 0)
					bad = 1;
			}
			if (d)
				closedir(d);
		} else if (fuzz_replay_file(argv[i]) != 0) {
			bad = 1;
		}
	}
	return bad;
}
#endif

#endif
