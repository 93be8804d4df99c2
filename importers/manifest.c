/*
 * manifest.c - reading AWS CUR manifests (see manifest.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

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

static int
exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
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
	if (json_scan(path, 1, text, len, err) != 0) {
		free(text);
		return -1;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	id = cJSON_GetObjectItemCaseSensitive(doc, "assemblyId");
	keys = cJSON_GetObjectItemCaseSensitive(doc, "reportKeys");
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
		char a[8192], b[8192];
		const char *base;

		if (!cJSON_IsString(k)) {
			cJSON_Delete(doc);
			manifest_free(m);
			return ic_errorf(err, "%s: reportKeys must hold strings", path);
		}
		base = strrchr(k->valuestring, '/');
		base = base ? base + 1 : k->valuestring;
		snprintf(a, sizeof a, "%s/%s", dir, base);
		snprintf(b, sizeof b, "%s/%s", dir, k->valuestring);
		if (!exists(a) && !exists(b)) {
			ic_errorf(err, "%s: part '%s' listed in the manifest is not beside it", path, base);
			cJSON_Delete(doc);
			manifest_free(m);
			return -1;
		}
		m->files[m->nfiles] = strdup(exists(a) ? a : b);
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
