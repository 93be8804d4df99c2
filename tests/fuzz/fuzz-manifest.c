/*
 * fuzz-manifest.c - libFuzzer harness for importers/manifest.c, the
 * reading of AWS CUR and Data Exports manifests and the search for the
 * parts they list.
 *
 * The input is written as ROOT/a/b/m/fuzz-Manifest.json in a scratch
 * tree that also holds parts where AWS puts them (beside the manifest, in
 * an assembly folder below it, in ../../data/BILLING_PERIOD=2026-10/) and
 * a file outside ROOT's a/ folder that no key may reach.  Invariants
 * (abort() when broken):
 *  - manifest_read returns -1, 0 or 1, for the file and for its folder;
 *  - on -1 the message is one line of printable UTF-8 (the fuzz-smoke rule
 *    for every message);
 *  - on 1 every part exists and lies inside ROOT/a (no key reaches the
 *    outside file, whatever its folders), and there is at least one.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "importers/manifest.h"
#include "tests/fuzz/fuzz-replay.h"

static char root[256], mdir[512], mpath[600], inside[300];

static void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail ? detail : "");
	abort();
}

static void
touch(const char *rel)
{
	char p[700];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", root, rel);
	f = fopen(p, "w");
	if (f == NULL)
		fuzz_fail("cannot write the scratch tree", p);
	fputs("x\n", f);
	fclose(f);
}

static void
mkdirs(const char *rel)
{
	char p[700];

	snprintf(p, sizeof p, "%s/%s", root, rel);
	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
}

static const char *const made_files[] = {
	"a/b/m/fuzz-Manifest.json", "a/b/m/name-1.csv.gz", "a/b/m/aid-1/name-2.csv.gz",
	"a/data/BILLING_PERIOD=2026-10/exp-1.csv.gz", "outside.csv", NULL
};
static const char *const made_dirs[] = {
	"a/b/m/aid-1", "a/b/m", "a/b", "a/data/BILLING_PERIOD=2026-10", "a/data", "a", "", NULL
};

/* Remove the scratch tree (at exit: replay runs one process per input). */
static void
cleanup(void)
{
	char p[700];

	for (int i = 0; made_files[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", root, made_files[i]);
		unlink(p);
	}
	for (int i = 0; made_dirs[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", root, made_dirs[i]);
		rmdir(p);
	}
}

static void
setup(void)
{
	if (root[0])
		return;
	snprintf(root, sizeof root, "/tmp/imcost-fuzz-manifest-XXXXXX");
	if (mkdtemp(root) == NULL)
		fuzz_fail("mkdtemp", root);
	atexit(cleanup);
	mkdirs("a/b/m/aid-1");
	mkdirs("a/data/BILLING_PERIOD=2026-10");
	touch("a/b/m/name-1.csv.gz");
	touch("a/b/m/aid-1/name-2.csv.gz");
	touch("a/data/BILLING_PERIOD=2026-10/exp-1.csv.gz");
	touch("outside.csv");
	snprintf(mdir, sizeof mdir, "%s/a/b/m", root);
	snprintf(mpath, sizeof mpath, "%s/fuzz-Manifest.json", mdir);
	snprintf(inside, sizeof inside, "%s/a/", root);
}

static int
message_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p >= 0x80) {
			int need = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
			if (*p < 0xc2 || *p > 0xf4)
				return 0;
			for (int k = 1; k <= need; k++)
				if ((p[k] & 0xc0) != 0x80)
					return 0;
			p += need;
		}
	}
	return 1;
}

static void
check(const char *path)
{
	struct manifest m;
	struct ic_error err;
	int r;

	memset(&err, 0, sizeof err);
	r = manifest_read(path, &m, &err);
	if (r < -1 || r > 1)
		fuzz_fail("manifest_read returned neither -1, 0 nor 1", path);
	if (r == -1) {
		if (!message_ok(err.msg))
			fuzz_fail("error message is not one line of printable UTF-8", err.msg);
		return;
	}
	if (r == 0)
		return;
	if (m.nfiles < 1)
		fuzz_fail("a manifest with no parts was accepted", path);
	for (int i = 0; i < m.nfiles; i++) {
		char real[4096];
		struct stat st;

		if (stat(m.files[i], &st) != 0 || !S_ISREG(st.st_mode))
			fuzz_fail("a part that is not a file", m.files[i]);
		if (realpath(m.files[i], real) == NULL ||
		    strncmp(real, inside, strlen(inside)) != 0)
			fuzz_fail("a part outside the manifest's tree", m.files[i]);
	}
	manifest_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;

	setup();
	f = fopen(mpath, "wb");
	if (f == NULL)
		fuzz_fail("cannot write the input", mpath);
	if (size && fwrite(data, 1, size, f) != size)
		fuzz_fail("cannot write the input", mpath);
	fclose(f);
	check(mpath);
	check(mdir);
	return 0;
}
