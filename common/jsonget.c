/*
 * jsonget.c - member accessors for cJSON trees (see jsonget.h).
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "common/jsonget.h"

const char *
json_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *
json_str_set(const cJSON *o, const char *k)
{
	const char *s = json_str(o, k);

	return s != NULL && s[0] != '\0' ? s : NULL;
}

const cJSON *
json_path(const cJSON *o, const char *path)
{
	char seg[128];

	while (o != NULL && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof seg || !cJSON_IsObject(o))
			return NULL;
		memcpy(seg, path, n);
		seg[n] = '\0';
		o = cJSON_GetObjectItemCaseSensitive(o, seg);
		path += n + (dot != NULL);
	}
	return o;
}
