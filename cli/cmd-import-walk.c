/*
 * cmd-import-walk.c - the files `imcost import` reads from its arguments:
 * folders walked for the files imcost knows (manifests first, their parts
 * forming the batch, other report versions left out with a warning) and
 * CUR manifests replaced by the parts they list.  A companion of
 * cmd-import.c (cmd-import-int.h), apart so that the command's file stays
 * its options and its loop over files; it warns through cli_warn, which
 * is why it is in cli/.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cmd-import-int.h"
#include "importers/manifest.h"

/* Replace CUR manifests in argv by the parts they list.  Returns the new
 * list (owned, free with free_list) or NULL with cli->err set. */
char **
expand_manifests(struct cli *cli, char **args, int nargs, int *nout, char **label)
{
	char **list = NULL;
	int n = 0, cap = 0;

	*label = NULL;
	for (int i = 0; i < nargs; i++) {
		struct manifest m;
		int r = manifest_read(args[i], &m, &cli->err);
		int add = r == 1 ? m.nfiles : 1;

		if (r < 0)
			goto fail;
		if (n + add > cap) {
			char **nl;
			cap = (n + add) * 2;
			nl = realloc(list, (size_t)cap * sizeof *nl);
			if (nl == NULL) {
				if (r == 1)
					manifest_free(&m);
				ic_errorf(&cli->err, "out of memory");
				goto fail;
			}
			list = nl;
		}
		if (r == 1) {
			for (int k = 0; k < m.nfiles; k++) {
				list[n++] = m.files[k];
				m.files[k] = NULL;
			}
			m.nfiles = 0;
			if (*label == NULL) {
				*label = m.assembly_id;
				m.assembly_id = NULL;
			}
			manifest_free(&m);
		} else if ((list[n++] = strdup(args[i])) == NULL) {
			ic_errorf(&cli->err, "out of memory");
			goto fail;
		}
	}
	*nout = n;
	return list;
fail:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(*label);
	*label = NULL;
	return NULL;
}

/* ---- import DIR: the known files of a folder ---- */

static int
sl_add(struct strlist *l, const char *s)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		char **nv = realloc(l->v, (size_t)cap * sizeof *nv);
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	if ((l->v[l->n] = strdup(s)) == NULL)
		return -1;
	l->n++;
	return 0;
}

void
sl_free(struct strlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Names imcost can import: bills, usage metrics and price lists come as
 * CSV or JSON (JSON lines), plain or gzip, and bills as Parquet. */
static int
known_name(const char *name)
{
	static const char *const ext[] = { ".csv", ".json", ".jsonl", ".ndjson", ".parquet" };
	char base[NAME_MAX + 1];
	size_t n = strlen(name);

	if (n > NAME_MAX)
		return 0;
	memcpy(base, name, n + 1);
	if (ends_with(base, ".gz"))
		base[n - 3] = '\0';
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (ends_with(base, ext[i]))
			return 1;
	return 0;
}

struct walk {
	struct strlist manifests;	/* manifest files (and manifest folders) */
	struct strlist listed;		/* "dev:inode" of every part they list */
	struct strlist ids;		/* their assembly ids */
	struct strlist files;		/* other known files */
	struct strlist unknown;		/* files of no known kind */
	struct strlist nested;		/* manifests below another manifest's folder */
	struct strlist explicit;	/* files named on the command line */
	int depth;
};

/* Is path in a folder below (not in) the folder of a manifest found? */
static int
walk_below_manifest(const struct walk *w, const char *path)
{
	for (int i = 0; i < w->manifests.n; i++) {
		const char *m = w->manifests.v[i], *slash = strrchr(m, '/');
		size_t dl = slash ? (size_t)(slash - m) + 1 : 0;
		const char *rest = path + dl;

		if (strncmp(path, m, dl) == 0 && strchr(rest, '/') != NULL)
			return 1;
	}
	return 0;
}

/* One warning: what, then the paths (the first ten, and how many more). */
static void
warn_list(const struct cli *cli, const char *what, const struct strlist *l)
{
	char buf[1400];
	size_t n = 0;

	for (int i = 0; i < l->n && i < 10 && n < sizeof buf; i++) {
		char q[IC_QUOTE_SIZE];
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "",
				      ic_quote(l->v[i], strlen(l->v[i]), 100, q));
	}
	if (l->n > 10 && n < sizeof buf)
		snprintf(buf + n, sizeof buf - n, " and %d more", l->n - 10);
	cli_warn(cli, "%d file%s %s: %s", l->n, l->n == 1 ? "" : "s", what, buf);
}

/* "dev:inode" of path into buf (64 bytes), or path itself when it
 * cannot be read (then it matches nothing walked). */
static const char *
file_id(const char *path, char *buf)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return path;
	snprintf(buf, 64, "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	return buf;
}

/* Record manifest path (m read from it): skip a second manifest of the
 * same assembly (a legacy CUR keeps one beside the versions and one in
 * the assembly's folder). */
static int
walk_manifest(struct walk *w, const char *path, struct manifest *m)
{
	char id[64];
	int rc = 0;

	for (int i = 0; i < w->ids.n; i++)
		if (m->assembly_id && strcmp(w->ids.v[i], m->assembly_id) == 0) {
			manifest_free(m);
			return sl_add(&w->nested, path);
		}
	if (sl_add(&w->manifests, path) != 0 || sl_add(&w->ids, m->assembly_id ? m->assembly_id : "") != 0)
		rc = -1;
	for (int k = 0; rc == 0 && k < m->nfiles; k++)
		if (sl_add(&w->listed, file_id(m->files[k], id)) != 0)
			rc = -1;
	manifest_free(m);
	return rc;
}

/*
 * Walk dir: a folder that manifest_read takes as a whole (a month's CUR
 * folder) is one manifest; otherwise its files, manifests first, then its
 * subfolders in name order.  Symbolic links and hidden entries (.name)
 * are not followed.  Returns 0, or -1 with cli->err set.
 */
static int
walk_dir(struct cli *cli, struct walk *w, const char *dir)
{
	struct strlist names = { 0 };
	struct manifest m;
	DIR *d;
	struct dirent *de;
	int r, rc = 0;

	if (++w->depth > 32) {
		w->depth--;
		return ic_errorf(&cli->err, "%s: folders nested over 32 deep", dir);
	}
	r = manifest_read(dir, &m, &cli->err);
	if (r < 0) {
		w->depth--;
		return -1;
	}
	if (r == 1) {
		/* the month folder of a report: its manifest's parts are the
		 * batch; the other data files beside it (older copies) are
		 * judged with the rest, so that they are named as skipped */
		rc = walk_manifest(w, dir, &m);
		if (rc == 0 && (d = opendir(dir)) != NULL) {
			while (rc == 0 && (de = readdir(d)) != NULL) {
				char path[PATH_MAX];
				struct stat st;

				if (de->d_name[0] == '.' || ends_with(de->d_name, ".json") ||
				    !known_name(de->d_name) ||
				    snprintf(path, sizeof path, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/",
					     de->d_name) >= (int)sizeof path ||
				    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
					continue;
				rc = sl_add(&w->files, path);
			}
			closedir(d);
		}
		w->depth--;
		return rc ? ic_errorf(&cli->err, "out of memory") : 0;
	}
	if ((d = opendir(dir)) == NULL) {
		w->depth--;
		return ic_errorf(&cli->err, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && sl_add(&names, de->d_name) != 0) {
			rc = ic_errorf(&cli->err, "out of memory");
			break;
		}
	closedir(d);
	if (names.n)
		qsort(names.v, (size_t)names.n, sizeof *names.v, cmp_str);
	/* two passes: the files of this folder (manifests among them found
	 * first), then its subfolders */
	for (int pass = 0; rc == 0 && pass < 2; pass++)
		for (int i = 0; rc == 0 && i < names.n; i++) {
			char path[PATH_MAX];
			struct stat st;

			if (snprintf(path, sizeof path, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/",
				     names.v[i]) >= (int)sizeof path) {
				rc = ic_errorf(&cli->err, "%s/%s: path too long", dir, names.v[i]);
				break;
			}
			if (lstat(path, &st) != 0) {
				rc = ic_errorf(&cli->err, "%s: %s", path, strerror(errno));
				break;
			}
			if (pass == 1 && S_ISDIR(st.st_mode)) {
				rc = walk_dir(cli, w, path);
			} else if (pass == 0 && S_ISREG(st.st_mode)) {
				if (ends_with(path, ".json") &&
				    (r = manifest_read(path, &m, &cli->err)) != 0) {
					if (r < 0)
						rc = -1;
					else if (w->depth > 1 && w->manifests.n > 0 && walk_below_manifest(w, path))
						manifest_free(&m), rc = sl_add(&w->nested, path);
					else
						rc = walk_manifest(w, path, &m);
				} else {
					rc = sl_add(known_name(names.v[i]) ? &w->files : &w->unknown, path);
				}
				if (rc > 0 || (rc < 0 && cli->err.msg[0] == '\0'))
					rc = ic_errorf(&cli->err, "out of memory");
			} else if (pass == 0 && !S_ISDIR(st.st_mode)) {
				rc = sl_add(&w->unknown, path);
			}
		}
	sl_free(&names);
	w->depth--;
	return rc;
}

/*
 * Replace every folder among args by the files imcost knows in it
 * (walk_dir): the manifests first (their parts become part of the batch),
 * then the other known files; files the manifests do not list are left
 * out when there are manifests (they are other versions of the report).
 * Warns once about what is left out.  Returns the new list (owned) in
 * *out or -1 with cli->err set.
 */
int
expand_dirs(struct cli *cli, char **args, int nargs, struct strlist *out)
{
	struct walk w;
	struct strlist skipped = { 0 };
	int rc = 0;

	memset(&w, 0, sizeof w);
	memset(out, 0, sizeof *out);
	for (int i = 0; rc == 0 && i < nargs; i++) {
		struct stat st;

		if (strcmp(args[i], "-") != 0 && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			int before_m = w.manifests.n, before_f = w.files.n;

			if ((rc = walk_dir(cli, &w, args[i])) != 0)
				break;
			if (w.manifests.n == before_m && w.files.n == before_f)
				rc = ic_errorf(&cli->err, "%s: no file imcost can import in this folder"
					       " (.csv, .json, .jsonl, plain or .gz, .parquet; imcost formats lists"
					       " the formats)", args[i]);
		} else {
			rc = sl_add(&w.explicit, args[i]);
		}
	}
	for (int i = 0; rc == 0 && i < w.manifests.n; i++)
		rc = sl_add(out, w.manifests.v[i]);
	for (int i = 0; rc == 0 && i < w.explicit.n; i++)
		rc = sl_add(out, w.explicit.v[i]);
	for (int i = 0; rc == 0 && i < w.files.n; i++) {
		char idbuf[64];
		const char *id = file_id(w.files.v[i], idbuf);
		int listed = 0;

		for (int k = 0; k < w.listed.n && !listed; k++)
			listed = strcmp(w.listed.v[k], id) == 0;
		if (listed)
			continue;	/* a part of a manifest's batch */
		rc = sl_add(w.manifests.n ? &skipped : out, w.files.v[i]);
	}
	if (rc > 0)
		rc = ic_errorf(&cli->err, "out of memory");
	if (rc == 0 && w.unknown.n)
		warn_list(cli, "not a kind of file imcost imports, skipped", &w.unknown);
	if (rc == 0 && w.nested.n)
		warn_list(cli, "another manifest of a report already taken (an older version), skipped",
			  &w.nested);
	if (rc == 0 && skipped.n)
		warn_list(cli, "not listed by the manifests found (other report versions?), skipped;"
			  " import them by name if wanted", &skipped);
	sl_free(&w.manifests);
	sl_free(&w.listed);
	sl_free(&w.ids);
	sl_free(&w.files);
	sl_free(&w.unknown);
	sl_free(&w.nested);
	sl_free(&w.explicit);
	sl_free(&skipped);
	if (rc != 0)
		sl_free(out);
	return rc;
}
