/*
 * readfile.c - read a small file whole, with a size cap.  See readfile.h.
 */
#include "common/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
read_file_capped(const char *path, unsigned max_mib, const char *what, char **bufp,
		 size_t *lenp, struct ic_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	*bufp = NULL;
	*lenp = 0;
	if (f == NULL)
		return ic_errorf(err, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (cap - len < 65536) {
			char *nb;
			if (cap > ((size_t)max_mib << 20)) {
				fclose(f);
				free(buf);
				return ic_errorf(err, "%s: larger than %u MiB, not %s", path, max_mib,
						 what);
			}
			nb = realloc(buf, cap ? cap * 2 : 65536);
			if (nb == NULL) {
				fclose(f);
				free(buf);
				return ic_errorf(err, "out of memory");
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return ic_errorf(err, "%s: read error", path);
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
}
