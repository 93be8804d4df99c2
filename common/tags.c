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

struct pairs_arg {
	struct tag_pairs *p;
	int aws, oom;
};

static int
pair_add(void *arg, const char *key, const char *value)
{
	struct pairs_arg *a = arg;
	struct tag_pairs *p = a->p;
	char folded[256];

	if (tag_key_fold(key, strlen(key), a->aws, folded, sizeof folded) == (size_t)-1)
		return 0;
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->key[i], folded) == 0)
			return 0;	/* the first of the keys that fold alike */
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		char **k = realloc(p->key, (size_t)cap * sizeof *k);
		char **v;
		if (k == NULL)
			return a->oom = 1;
		p->key = k;
		if ((v = realloc(p->value, (size_t)cap * sizeof *v)) == NULL)
			return a->oom = 1;
		p->value = v;
		if ((k = realloc(p->spelled, (size_t)cap * sizeof *k)) == NULL)
			return a->oom = 1;
		p->spelled = k;
		p->cap = cap;
	}
	p->key[p->n] = strdup(folded);
	p->value[p->n] = strdup(value);
	p->spelled[p->n] = strdup(key);
	if (p->key[p->n] == NULL || p->value[p->n] == NULL || p->spelled[p->n] == NULL) {
		free(p->key[p->n]);
		free(p->value[p->n]);
		free(p->spelled[p->n]);
		return a->oom = 1;
	}
	p->n++;
	return 0;
}

int
tag_pairs_get(const char *json, int aws, struct tag_pairs *p)
{
	struct pairs_arg a = { p, aws, 0 };

	if (tags_each(json, pair_add, &a) != 0 && a.oom)
		return -1;
	return 0;
}

void
tag_pairs_clear(struct tag_pairs *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->key[i]);
		free(p->value[i]);
		if (p->spelled)
			free(p->spelled[i]);
	}
	p->n = 0;
}

void
tag_pairs_free(struct tag_pairs *p)
{
	tag_pairs_clear(p);
	free(p->key);
	free(p->value);
	free(p->spelled);
	p->key = p->value = p->spelled = NULL;
	p->cap = 0;
}
