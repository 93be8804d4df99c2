/*
 * readfile.h - a small file read whole into memory, with a size cap: the
 * JSON side files (pricing catalogs, allocation rules) that are parsed as
 * one document.
 *
 * Nothing here prints.
 */
#ifndef IMCOST_READFILE_H
#define IMCOST_READFILE_H

#include <stddef.h>

#include "common/error.h"

/*
 * Reads the file path whole into *buf (caller frees with free()) and its
 * length into *len.  A file that outgrows max_mib MiB is refused with
 * "PATH: larger than MAX_MIB MiB, not WHAT" (what: e.g. "a pricing
 * catalog"); an open failure names the system's reason.  Returns 0, or -1
 * with err set and *buf NULL.
 */
int read_file_capped(const char *path, unsigned max_mib, const char *what, char **buf,
		     size_t *len, struct ic_error *err);

#endif
