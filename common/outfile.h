/*
 * outfile.h - writing output files so that nothing planted in the output
 * directory is followed.
 *
 * Every file is written to a new temporary file created in the same
 * directory (O_CREAT | O_EXCL | O_NOFOLLOW, a random name starting with
 * ".imcost-") and renamed over its target when complete: a symbolic link
 * or any other file at the target is replaced, never written through, and
 * a reader sees the old file or the new one, never half of one.  All of
 * it goes through a directory descriptor (openat, renameat), so the
 * directory cannot be swapped for a link half way either.
 *
 * Nothing here prints.
 */
#ifndef IMCOST_OUTFILE_H
#define IMCOST_OUTFILE_H

#include <stdio.h>

#include "common/error.h"

/*
 * Open directory dir for writing output files into.  A dir that is itself
 * a symbolic link is refused ("DIR is a symbolic link ...") unless
 * follow_link.  Returns a descriptor the caller closes, or -1 with err
 * set.
 */
int outdir_open(const char *dir, int follow_link, struct ic_error *err);

struct outfile {
	FILE *f;		/* write the content here */
	int dirfd;		/* not owned */
	char tmp[64];		/* the temporary file's name in the directory */
	char name[256];		/* the target's name in the directory */
	const char *dir;	/* for messages */
};

/*
 * Create a new temporary file in dirfd (dir is its path, for messages)
 * that outfile_commit renames to name (a plain file name, no '/').
 * Returns 0 with o->f open, or -1 with err set.
 */
int outfile_open(struct outfile *o, int dirfd, const char *dir, const char *name,
		 struct ic_error *err);

/*
 * Flush and close o->f and rename the temporary file over the target.
 * On any failure the temporary file is removed and -1 returned with err
 * set; 0 otherwise.
 */
int outfile_commit(struct outfile *o, struct ic_error *err);

/* Close and remove the temporary file (nothing is renamed). */
void outfile_abort(struct outfile *o);

/* Write the NUL-terminated text to DIR/name through a temporary file.
 * Returns 0, or -1 with err set. */
int outfile_write(int dirfd, const char *dir, const char *name, const char *text,
		  struct ic_error *err);

/*
 * A fresh private directory (mode 0700, random name starting with
 * ".imcost-") inside dirfd, for a program that writes files by name (such
 * as gnuplot).  Writes its name into buf (size >= 64) and returns a
 * descriptor of it the caller closes, or -1 with err set.
 */
int outfile_tmpdir(int dirfd, const char *dir, char *buf, size_t size, struct ic_error *err);

#endif
