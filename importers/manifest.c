/*
 * manifest.c - reading AWS CUR manifests (see manifest.h).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common/error.h"
#include "common/jsonscan.h"
#include "importers/manifest.h"

#define MANIFEST_MAX (16 * 1024 * 1024)

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - *len < 4096) {
			char *nb;
			cap = cap ? cap * 2 : 65536;
			if (cap > MANIFEST_MAX || (nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Does text[0..len) hold the quoted name `q` ("\"reportKeys\"")?  A
 * manifest names its keys plainly; a big JSON file that names none of
 * them (a price list, a bill) is not parsed whole to find out. */
static int
has_name(const char *text, size_t len, const char *q)
{
	size_t n = strlen(q);

	for (const char *p = text; (size_t)(p - text) + n <= len; p++) {
		p = memchr(p, q[0], len - (size_t)(p - text) - n + 1);
		if (p == NULL)
			return 0;
		if (memcmp(p, q, n) == 0)
			return 1;
	}
	return 0;
}

static int
exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Levels above the manifest's folder where a key's path may start (Data
 * Exports: metadata/BILLING_PERIOD=.../ beside data/BILLING_PERIOD=.../). */
#define MANIFEST_UP 3

/*
 * Find the part that key names, below dir: the longest tail of the key
 * (an S3 key or s3:// URI: its leading folders are the bucket and prefix,
 * which a download may or may not keep) that exists under dir or under
 * one of its MANIFEST_UP parents, nearest first.  So the legacy month
 * manifest (parts in <assemblyId>/ below it), the assembly manifest (parts
 * beside it) and Data Exports (../../data/BILLING_PERIOD=.../) all work.
 * Returns 1 with out filled, 0 when nothing exists, -1 for a key with a
 * ".." folder (never followed).
 */
/* dir as an absolute path without "." and ".." folders, in out. */
static int
normalize_dir(const char *dir, char *out, size_t outsz)
{
	char buf[8192];
	size_t n = 0;
	const char *p;

	if (dir[0] == '/')
		snprintf(buf, sizeof buf, "%s", dir);
	else if (getcwd(buf, sizeof buf - 2) != NULL)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "/%s", dir);
	else
		return -1;
	out[0] = '\0';
	for (p = buf; *p;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out, '/');
			n = slash ? (size_t)(slash - out) : 0;
			out[n] = '\0';
		} else {
			if (n + len + 2 >= outsz)
				return -1;
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
			out[n] = '\0';
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return 0;
}

static int
find_part(const char *dir, const char *key, char *out, size_t outsz)
{
	char up[4096];

	if (strncmp(key, "s3://", 5) == 0)
		key += 5;
	for (const char *p = key; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == key || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return -1;
	if (normalize_dir(dir, up, sizeof up) != 0)
		snprintf(up, sizeof up, "%s", dir);
	for (int level = 0; level <= MANIFEST_UP; level++) {
		const char *name = NULL;
		size_t namelen = 0;

		if (level > 0) {
			/* a parent folder only for the key's tail that follows a
			 * folder of the parent's own name: a key cannot reach
			 * elsewhere on the disk */
			char *slash = strrchr(up, '/');
			if (slash == NULL || slash == up)
				break;
			*slash = '\0';
			name = strrchr(up, '/');
			name = name ? name + 1 : up;
			namelen = strlen(name);
			if (namelen == 0)
				break;
		}
		for (const char *t = key; t && *t; t = strchr(t, '/') ? strchr(t, '/') + 1 : NULL) {
			int n;
			if (name && (t - key < (ptrdiff_t)namelen + 1 ||
				     memcmp(t - 1 - namelen, name, namelen) != 0 ||
				     (t - 1 - namelen > key && t[-2 - (ptrdiff_t)namelen] != '/')))
				continue;
			n = snprintf(out, outsz, "%s/%s", up, t);
			if (n > 0 && (size_t)n < outsz && exists(out))
				return 1;
		}
	}
	return 0;
}

/* A folder holding exactly one NAME-Manifest.json: its path in out. */
static int
manifest_in_dir(const char *dir, char *out, size_t outsz, struct ic_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char p[4096];
		if (n < 13 || strcmp(e->d_name + n - 13, "Manifest.json") != 0)
			continue;
		if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p || !exists(p))
			continue;
		if (found++ == 0)
			snprintf(out, outsz, "%s", p);
	}
	closedir(d);
	if (found > 1)
		return ic_errorf(err, "%s: %d manifests in this folder: name the one to import", dir,
				 found);
	return found;
}

void
manifest_free(struct manifest *m)
{
	for (int i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	free(m->assembly_id);
	memset(m, 0, sizeof *m);
}

int
manifest_read(const char *path, struct manifest *m, struct ic_error *err)
{
	const cJSON *id, *keys, *k;
	char dir[4096];
	const char *slash;
	size_t len;
	char *text;
	cJSON *doc;
	int n;

	memset(m, 0, sizeof *m);
	if (strcmp(path, "-") != 0 && is_dir(path)) {
		/* a CUR month folder (or an assembly's): the manifest in it */
		char mp[4096];
		int r = manifest_in_dir(path, mp, sizeof mp, err);
		if (r <= 0)
			return r;
		return manifest_read(mp, m, err);
	}
	if (strcmp(path, "-") == 0 || !exists(path))
		return 0;
	/* only small files that start with '{' can be manifests */
	{
		FILE *f = fopen(path, "rb");
		int c = f ? fgetc(f) : EOF;
		while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			c = fgetc(f);
		if (f)
			fclose(f);
		if (c != '{')
			return 0;
	}
	text = slurp(path, &len);
	if (text == NULL)
		return 0;
	if (!has_name(text, len, "\"reportKeys\"") && !has_name(text, len, "\"dataFiles\"")) {
		free(text);
		return 0;
	}
	if (json_scan(path, 1, text, len, err) != 0) {
		free(text);
		return -1;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	id = cJSON_GetObjectItemCaseSensitive(doc, "assemblyId");
	keys = cJSON_GetObjectItemCaseSensitive(doc, "reportKeys");
	if (!cJSON_IsString(id) && !cJSON_IsArray(keys)) {
		/* Data Exports (CUR 2.0, FOCUS): executionId and dataFiles */
		id = cJSON_GetObjectItemCaseSensitive(doc, "executionId");
		keys = cJSON_GetObjectItemCaseSensitive(doc, "dataFiles");
	}
	if (!cJSON_IsString(id) || !cJSON_IsArray(keys)) {
		cJSON_Delete(doc);
		return 0;
	}
	slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	n = cJSON_GetArraySize(keys);
	m->assembly_id = strdup(id->valuestring);
	m->files = calloc((size_t)(n ? n : 1), sizeof *m->files);
	if (m->assembly_id == NULL || m->files == NULL) {
		cJSON_Delete(doc);
		manifest_free(m);
		return ic_errorf(err, "out of memory");
	}
	cJSON_ArrayForEach(k, keys) {
		char a[8192], q[IC_QUOTE_SIZE];
		const char *base;
		int r;

		if (!cJSON_IsString(k)) {
			cJSON_Delete(doc);
			manifest_free(m);
			return ic_errorf(err, "%s: reportKeys (dataFiles) must hold strings", path);
		}
		base = strrchr(k->valuestring, '/');
		base = base ? base + 1 : k->valuestring;
		r = find_part(dir, k->valuestring, a, sizeof a);
		if (r <= 0) {
			if (r < 0)
				ic_errorf(err, "%s: part '%s' listed in the manifest has a '..' folder",
					  path, ic_quote(k->valuestring, strlen(k->valuestring), 80, q));
			else
				ic_errorf(err, "%s: part '%s' listed in the manifest is neither beside it nor "
					  "at its key's path below it (or up to %d folders up)", path,
					  ic_quote(base, strlen(base), 80, q), MANIFEST_UP);
			cJSON_Delete(doc);
			manifest_free(m);
			return -1;
		}
		m->files[m->nfiles] = strdup(a);
		if (m->files[m->nfiles] == NULL) {
			cJSON_Delete(doc);
			manifest_free(m);
			return ic_errorf(err, "out of memory");
		}
		m->nfiles++;
	}
	cJSON_Delete(doc);
	if (m->nfiles == 0) {
		manifest_free(m);
		return ic_errorf(err, "%s: the manifest lists no report files", path);
	}
	return 1;
}
