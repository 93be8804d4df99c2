/*
 * outfile.c - output files written through a fresh temporary file and
 * renamed into place, relative to a directory descriptor (see outfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/outfile.h"

int
outdir_open(const char *dir, int follow_link, struct ic_error *err)
{
	struct stat st;
	int fd;

	if (lstat(dir, &st) != 0)
		return ic_errorf(err, "%s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode) && !follow_link)
		return ic_errorf(err, "%s is a symbolic link: refusing to write through it"
				 " (--follow-out-link writes there anyway)", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow_link ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return ic_errorf(err, "%s: %s", dir, strerror(errno));
	return fd;
}

/* A random-looking 12-letter suffix: /dev/urandom, else the clock and pid
 * (the names only need to be hard to guess; O_EXCL makes them safe). */
static void
rand_suffix(char *out)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned counter;
	unsigned char r[12];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, r, sizeof r) : -1;

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof r) {
		struct timespec ts;
		uint64_t x;
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
		    (uint64_t)++counter * 0x9e3779b97f4a7c15ULL;
		for (size_t i = 0; i < sizeof r; i++) {
			x ^= x >> 33;
			x *= 0xff51afd7ed558ccdULL;
			r[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < sizeof r; i++)
		out[i] = al[r[i] % (sizeof al - 1)];
	out[sizeof r] = '\0';
}

int
outfile_open(struct outfile *o, int dirfd, const char *dir, const char *name,
	     struct ic_error *err)
{
	int fd = -1;

	memset(o, 0, sizeof *o);
	o->dirfd = dirfd;
	o->dir = dir;
	if (strchr(name, '/') || strlen(name) >= sizeof o->name || !*name)
		return ic_errorf(err, "%s: bad output file name", name);
	memcpy(o->name, name, strlen(name) + 1);
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		char sfx[16];
		rand_suffix(sfx);
		snprintf(o->tmp, sizeof o->tmp, ".imcost-%s.tmp", sfx);
		fd = openat(dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			return ic_errorf(err, "%s/%s: %s", dir, o->tmp, strerror(errno));
	}
	if (fd < 0)
		return ic_errorf(err, "%s: cannot create a temporary file", dir);
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		int e = errno;
		close(fd);
		unlinkat(dirfd, o->tmp, 0);
		return ic_errorf(err, "%s/%s: %s", dir, name, strerror(e));
	}
	return 0;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
		unlinkat(o->dirfd, o->tmp, 0);
	}
}

int
outfile_commit(struct outfile *o, struct ic_error *err)
{
	int e = 0;

	if (o->f == NULL)
		return ic_errorf(err, "%s/%s: not open", o->dir, o->name);
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	if (fclose(o->f) != 0 && e == 0)
		e = errno ? errno : EIO;
	o->f = NULL;
	if (e == 0 && renameat(o->dirfd, o->tmp, o->dirfd, o->name) != 0)
		e = errno;
	if (e != 0) {
		unlinkat(o->dirfd, o->tmp, 0);
		return ic_errorf(err, "%s/%s: %s", o->dir, o->name, strerror(e));
	}
	return 0;
}

int
outfile_write(int dirfd, const char *dir, const char *name, const char *text,
	      struct ic_error *err)
{
	struct outfile o;

	if (outfile_open(&o, dirfd, dir, name, err) != 0)
		return -1;
	fputs(text, o.f);
	return outfile_commit(&o, err);
}

int
outfile_tmpdir(int dirfd, const char *dir, char *buf, size_t size, struct ic_error *err)
{
	for (int tries = 0; tries < 100; tries++) {
		char sfx[16];
		int fd;

		rand_suffix(sfx);
		if ((size_t)snprintf(buf, size, ".imcost-%s.d", sfx) >= size)
			return ic_errorf(err, "temporary directory name too long");
		if (mkdirat(dirfd, buf, 0700) != 0) {
			if (errno == EEXIST)
				continue;
			return ic_errorf(err, "%s/%s: %s", dir, buf, strerror(errno));
		}
		fd = openat(dirfd, buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			unlinkat(dirfd, buf, AT_REMOVEDIR);
			return ic_errorf(err, "%s/%s: %s", dir, buf, strerror(e));
		}
		return fd;
	}
	return ic_errorf(err, "%s: cannot create a temporary directory", dir);
}
