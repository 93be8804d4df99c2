/*
 * catalog.c - loading and merging pricing catalogs (format in catalog.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/jsonscan.h"
#include "common/readfile.h"
#include "analyzers/catalog.h"
#include "common/decimal.h"

struct catalog *
catalog_new(void)
{
	return calloc(1, sizeof(struct catalog));
}

static void
entry_free(struct catalog_entry *e)
{
	free(e->provider);
	free(e->region);
	free(e->instance_type);
	free(e->platform);
	free(e->currency);
	free(e->source);
	free(e->as_of);
	free(e->offers);
	free(e->od_source);
	free(e->offer_source);
	free(e->sp_source);
	memset(e, 0, sizeof *e);
}

void
catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->n; i++)
		entry_free(&c->e[i]);
	free(c->e);
	free(c);
}

static void
lower_copy(const char *s, char *buf, size_t n)
{
	size_t i = 0;

	for (; s && s[i] && i + 1 < n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = '\0';
}

char *
catalog_fold_provider(const char *s, char *buf, size_t n)
{
	static const struct { const char *alias, *name; } map[] = {
		{ "amazon web services", "aws" }, { "amazon", "aws" },
		{ "alibaba cloud", "alibaba" }, { "aliyun", "alibaba" },
		{ "阿里云", "alibaba" }, { "tencent cloud", "tencent" },
		{ "腾讯云", "tencent" }, { "microsoft", "azure" },
		{ "microsoft azure", "azure" }, { "google cloud", "gcp" },
		{ "google", "gcp" },
	};

	lower_copy(s, buf, n);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(buf, map[i].alias) == 0) {
			snprintf(buf, n, "%s", map[i].name);
			break;
		}
	return buf;
}

char *
catalog_fold_platform(const char *s, char *buf, size_t n)
{
	if (s == NULL || *s == '\0')
		s = "linux";
	lower_copy(s, buf, n);
	if (strcmp(buf, "linux/unix") == 0 || strcmp(buf, "linux/unix (amazon vpc)") == 0)
		snprintf(buf, n, "linux");
	return buf;
}

static int
same_key(const struct catalog_entry *a, const char *provider, const char *region,
	 const char *type, const char *platform)
{
	char x[64], y[64];

	if (strcasecmp(a->region, region) != 0 || strcasecmp(a->instance_type, type) != 0)
		return 0;
	if (strcmp(catalog_fold_provider(a->provider, x, sizeof x),
		   catalog_fold_provider(provider, y, sizeof y)) != 0)
		return 0;
	return strcmp(catalog_fold_platform(a->platform, x, sizeof x),
		      catalog_fold_platform(platform, y, sizeof y)) == 0;
}

const struct catalog_entry *
catalog_find(const struct catalog *c, const char *provider, const char *region,
	     const char *instance_type, const char *platform)
{
	if (c == NULL || provider == NULL || region == NULL || instance_type == NULL)
		return NULL;
	for (int i = c->n - 1; i >= 0; i--)
		if (same_key(&c->e[i], provider, region, instance_type, platform))
			return &c->e[i];
	return NULL;
}

int
catalog_label(struct catalog *c, const char *label)
{
	for (int i = 0; i < c->n; i++) {
		if (c->e[i].od_source == NULL && (c->e[i].od_source = strdup(label)) == NULL)
			return -1;
		if (c->e[i].offer_source == NULL && (c->e[i].offer_source = strdup(label)) == NULL)
			return -1;
		if (c->e[i].sp_source == NULL && (c->e[i].sp_source = strdup(label)) == NULL)
			return -1;
	}
	return 0;
}

double
catalog_offer_rate(const struct catalog_offer *o)
{
	return (double)o->hourly + (double)o->upfront / commit_term_hours[o->term];
}

/* ---- parsing ---- */

struct ctx {
	const char *name;
	char label[256];
	struct ic_error *err;
};

static int
fail(struct ctx *x, const char *fmt, const char *what)
{
	return ic_errorf(x->err, "%s: %s: %s%s", x->name, x->label, fmt, what ? what : "");
}

/* A money value: a JSON number or a decimal string, >= 0. */
static int
get_money(struct ctx *x, const cJSON *o, const char *key, int required, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return fail(x, "missing required key ", key);
		return 0;
	}
	if (cJSON_IsString(v)) {
		if (money_parse(v->valuestring, strlen(v->valuestring), out) != NUM_OK)
			return fail(x, "not a number: ", key);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble * 1e9;
		if (!isfinite(d) || fabs(d) > 9e18)
			return fail(x, "out of range: ", key);
		*out = llround(d);
	} else {
		return fail(x, "not a number: ", key);
	}
	if (*out < 0)
		return fail(x, "negative price: ", key);
	return 0;
}

static int
get_num(struct ctx *x, const cJSON *o, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v))
		*out = v->valuedouble;
	else if (!cJSON_IsString(v) || number_parse(v->valuestring, strlen(v->valuestring), out) != NUM_OK)
		return fail(x, "not a number: ", key);
	if (!(*out >= 0))
		return fail(x, "negative: ", key);
	return 0;
}

/* A string; NULL result when absent and not required. */
static int
get_str(struct ctx *x, const cJSON *o, const char *key, int required, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return fail(x, "missing required key ", key);
		return 0;
	}
	if (!cJSON_IsString(v) || (required && v->valuestring[0] == '\0'))
		return fail(x, "not a non-empty string: ", key);
	*out = strdup(v->valuestring);
	if (*out == NULL)
		return ic_errorf(x->err, "out of memory");
	return 0;
}

static int
parse_offer(struct ctx *x, const cJSON *o, struct catalog_offer *off)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "term");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "payment");
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(o, "type");
	int i;

	memset(off, 0, sizeof *off);
	if (!cJSON_IsObject(o))
		return fail(x, "a commitment is not an object", NULL);
	if (!cJSON_IsString(t))
		return fail(x, "commitment without term (1y, 3y or 1m)", NULL);
	for (i = 0; i < NTERMS; i++)
		if (strcmp(t->valuestring, commit_term_names[i]) == 0)
			break;
	if (i == NTERMS)
		return fail(x, "unknown term (want 1y, 3y or 1m): ", t->valuestring);
	off->term = (enum commit_term)i;
	if (!cJSON_IsString(p))
		return fail(x, "commitment without payment (no_upfront, partial_upfront, all_upfront)", NULL);
	for (i = 0; i < NPAYMENTS; i++)
		if (strcmp(p->valuestring, commit_payment_names[i]) == 0)
			break;
	if (i == NPAYMENTS)
		return fail(x, "unknown payment (want no_upfront, partial_upfront or all_upfront): ",
			    p->valuestring);
	off->payment = (enum commit_payment)i;
	if (ty != NULL && !cJSON_IsNull(ty)) {
		if (!cJSON_IsString(ty) || (strcmp(ty->valuestring, "reserved") != 0 &&
					    strcmp(ty->valuestring, "savings_plan") != 0))
			return fail(x, "unknown commitment type (want reserved or savings_plan)", NULL);
		off->savings_plan = strcmp(ty->valuestring, "savings_plan") == 0;
	}
	if (get_money(x, o, "upfront", 0, &off->upfront) != 0 ||
	    get_money(x, o, "hourly", 0, &off->hourly) != 0)
		return -1;
	if (off->upfront == 0 && off->hourly == 0)
		return fail(x, "a commitment needs an upfront or an hourly price", NULL);
	return 0;
}

static int
parse_entry(struct ctx *x, const cJSON *o, struct catalog_entry *e)
{
	const cJSON *commit;
	int k;

	memset(e, 0, sizeof *e);
	if (!cJSON_IsObject(o))
		return fail(x, "not an object", NULL);
	if (get_str(x, o, "provider", 1, &e->provider) != 0 ||
	    get_str(x, o, "region", 1, &e->region) != 0 ||
	    get_str(x, o, "instance_type", 1, &e->instance_type) != 0 ||
	    get_str(x, o, "platform", 1, &e->platform) != 0)
		goto fail;
	{
		size_t n = strlen(x->label);
		snprintf(x->label + n, sizeof x->label - n, " (%s %s %s %s)", e->provider,
			 e->region, e->instance_type, e->platform);
	}
	if (get_money(x, o, "on_demand_hourly", 1, &e->on_demand_hourly) != 0 ||
	    get_str(x, o, "currency", 0, &e->currency) != 0 ||
	    get_str(x, o, "source", 0, &e->source) != 0 ||
	    get_str(x, o, "as_of", 0, &e->as_of) != 0 ||
	    get_num(x, o, "vcpu", &e->vcpu) != 0 ||
	    get_num(x, o, "memory_gib", &e->memory_gib) != 0)
		goto fail;
	if (e->currency == NULL && (e->currency = strdup("USD")) == NULL) {
		ic_errorf(x->err, "out of memory");
		goto fail;
	}
	commit = cJSON_GetObjectItemCaseSensitive(o, "commitments");
	if (commit != NULL && !cJSON_IsNull(commit)) {
		int n;
		if (!cJSON_IsArray(commit)) {
			fail(x, "commitments is not an array", NULL);
			goto fail;
		}
		n = cJSON_GetArraySize(commit);
		e->offers = calloc((size_t)(n ? n : 1), sizeof *e->offers);
		if (e->offers == NULL) {
			ic_errorf(x->err, "out of memory");
			goto fail;
		}
		for (k = 0; k < n; k++) {
			if (parse_offer(x, cJSON_GetArrayItem(commit, k), &e->offers[k]) != 0)
				goto fail;
			e->noffers++;
		}
	}
	return 0;
fail:
	entry_free(e);
	return -1;
}

int
catalog_merge_json(struct catalog *c, const char *text, size_t len, const char *name,
		   struct ic_error *err)
{
	cJSON *root;
	const cJSON *arr;
	struct catalog_entry *add = NULL;
	int n, nadd = 0, rc = -1;
	struct ctx x = { .name = name, .err = err };

	if (json_scan(name, 1, text, len, err) != 0)
		return -1;
	root = cJSON_ParseWithLength(text, len);
	if (root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		long l = 1, col = 1;
		if (at && at >= text && at <= text + len)
			json_pos(text, (size_t)(at - text), 1, &l, &col);
		return ic_error_at(err, name, l, col, "not valid JSON");
	}
	arr = cJSON_GetObjectItemCaseSensitive(root, "compute");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(arr)) {
		ic_errorf(err, "%s: a pricing catalog is an object with a \"compute\" array", name);
		goto out;
	}
	n = cJSON_GetArraySize(arr);
	add = calloc((size_t)(n ? n : 1), sizeof *add);
	if (add == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		snprintf(x.label, sizeof x.label, "compute[%d]", i);
		if (parse_entry(&x, cJSON_GetArrayItem(arr, i), &add[i]) != 0)
			goto out;
		nadd++;
	}
	/* commit: replace same keys, append the rest */
	{
		struct catalog_entry *ne = realloc(c->e, (size_t)(c->n + n + 1) * sizeof *ne);
		if (ne == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		c->e = ne;
	}
	for (int i = 0; i < n; i++) {
		int j;
		for (j = 0; j < c->n; j++)
			if (same_key(&c->e[j], add[i].provider, add[i].region, add[i].instance_type,
				     add[i].platform))
				break;
		if (j < c->n)
			entry_free(&c->e[j]);
		else
			c->n++;
		c->e[j] = add[i];
	}
	nadd = 0;
	rc = 0;
out:
	for (int i = 0; i < nadd; i++)
		entry_free(&add[i]);
	free(add);
	cJSON_Delete(root);
	return rc;
}

int
catalog_merge_file(struct catalog *c, const char *path, struct ic_error *err)
{
	char *buf;
	size_t len;
	int rc;

	if (read_file_capped(path, 64, "a pricing catalog", &buf, &len, err) != 0)
		return -1;
	rc = catalog_merge_json(c, buf, len, path, err);
	free(buf);
	return rc;
}

int
catalog_load_builtin(struct catalog *c, struct ic_error *err)
{
	return catalog_merge_json(c, ic_catalog_builtin, strlen(ic_catalog_builtin),
				  "built-in catalog", err);
}
