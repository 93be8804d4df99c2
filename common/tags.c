/*
 * tags.c - tag key folding and the walk over a stored Tags object.  See
 * tags.h for the rule.
 */
#include "common/tags.h"

#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

static int
prefix_ci(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)p[i])
			return 0;
	}
	return 1;
}

size_t
tag_key_fold(const char *key, size_t len, int aws, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return (size_t)-1;
	if (prefix_ci(key, len, "user:") || (aws && prefix_ci(key, len, "user_"))) {
		key += 5;
		len -= 5;
	}
	if (len >= cap) {
		out[0] = '\0';
		return (size_t)-1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9'))
			c = '_';
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}

int
tags_each(const char *json, tags_fn fn, void *arg)
{
	cJSON *root, *it;
	int rc = 0;

	if (json == NULL || json[0] == '\0')
		return 0;
	root = cJSON_Parse(json);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, root) {
		char *text = NULL;
		const char *v;
		if (it->string == NULL)
			continue;
		if (cJSON_IsString(it))
			v = it->valuestring;
		else if (cJSON_IsNull(it))
			v = "";
		else {
			text = cJSON_PrintUnformatted(it);
			if (text == NULL) {
				rc = -1;
				break;
			}
			v = text;
		}
		rc = fn(arg, it->string, v);
		free(text);
		if (rc != 0)
			break;
	}
	cJSON_Delete(root);
	return rc;
}
