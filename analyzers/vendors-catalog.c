/*
 * vendors-catalog.c - the vendor catalog as a whole: the built-in
 * data/vendors.json, merging further catalogs by entry id, lookups, and
 * instance prices taken from the imported price lists.  One entry is
 * parsed by vendors-parse.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "common/jsonscan.h"
#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "analyzers/vendors.h"
#include "analyzers/vendors-int.h"
#include "common/decimal.h"

/* data/vendors.json, compiled in by mk/vendors.mk. */
extern const char imcost_vendors_json[];
extern const size_t imcost_vendors_json_len;

struct vcatalog *
vcatalog_new(void)
{
	return calloc(1, sizeof(struct vcatalog));
}

void
vcatalog_free(struct vcatalog *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->nopt; i++)
		voption_free(&c->opt[i]);
	for (int i = 0; i < c->nserver; i++)
		vserver_free(&c->server[i]);
	for (int i = 0; i < c->ninst; i++)
		vinstance_free(&c->inst[i]);
	for (int i = 0; i < c->ninfra; i++)
		vinfra_free(&c->infra[i]);
	for (int i = 0; i < c->nself; i++)
		vselfhost_free(&c->self[i]);
	free(c->opt); free(c->server); free(c->inst); free(c->infra); free(c->self);
	free(c);
}

/* Generic "array of entries keyed by id" merge helpers. */
#define SECTIONS 5
enum { S_VENDORS, S_SERVERS, S_INSTANCES, S_INFRA, S_SELF };
static const char *const section_names[SECTIONS] = {
	"vendors", "servers", "instances", "infrastructure", "self_hosted"
};

static int
entry_key(int sec, const cJSON *o, char *key, size_t n)
{
	const cJSON *a, *b, *c;

	if (sec == S_INSTANCES || sec == S_INFRA) {
		a = cJSON_GetObjectItemCaseSensitive(o, "provider");
		b = cJSON_GetObjectItemCaseSensitive(o, "region");
		c = cJSON_GetObjectItemCaseSensitive(o, "instance_type");
		if (!cJSON_IsString(a) || !cJSON_IsString(b) || (sec == S_INSTANCES && !cJSON_IsString(c)))
			return -1;
		snprintf(key, n, "%s/%s%s%s", a->valuestring, b->valuestring,
			 sec == S_INSTANCES ? "/" : "", sec == S_INSTANCES ? c->valuestring : "");
		return vendors_has_control(key) ? -2 : 0;
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (!cJSON_IsString(a) || !a->valuestring[0])
		return -1;
	snprintf(key, n, "%s", a->valuestring);
	return vendors_has_control(key) ? -2 : 0;
}

static const char *
key_of(const struct vcatalog *c, int sec, int i, char *buf, size_t n)
{
	switch (sec) {
	case S_VENDORS: return c->opt[i].id;
	case S_SERVERS: return c->server[i].id;
	case S_SELF: return c->self[i].id;
	case S_INSTANCES:
		snprintf(buf, n, "%s/%s/%s", c->inst[i].provider, c->inst[i].region, c->inst[i].type);
		return buf;
	default:
		snprintf(buf, n, "%s/%s", c->infra[i].provider, c->infra[i].region);
		return buf;
	}
}

static int *
count_of(struct vcatalog *c, int sec)
{
	int *n[SECTIONS] = { &c->nopt, &c->nserver, &c->ninst, &c->ninfra, &c->nself };
	return n[sec];
}

static void **
array_of(struct vcatalog *c, int sec)
{
	void **a[SECTIONS] = { (void **)&c->opt, (void **)&c->server, (void **)&c->inst,
			       (void **)&c->infra, (void **)&c->self };
	return a[sec];
}

static const size_t entry_size[SECTIONS] = {
	sizeof(struct voption), sizeof(struct vserver), sizeof(struct vinstance),
	sizeof(struct vinfra), sizeof(struct vselfhost)
};

static void
entry_free(int sec, void *e)
{
	switch (sec) {
	case S_VENDORS: voption_free(e); break;
	case S_SERVERS: vserver_free(e); break;
	case S_INSTANCES: vinstance_free(e); break;
	case S_INFRA: vinfra_free(e); break;
	default: vselfhost_free(e); break;
	}
}

static int
find_entry(struct vcatalog *c, int sec, const char *key)
{
	char buf[256];

	for (int i = 0; i < *count_of(c, sec); i++)
		if (strcmp(key_of(c, sec, i, buf, sizeof buf), key) == 0)
			return i;
	return -1;
}

/* Put entry e (size entry_size[sec]) into c under key: replace or append. */
static int
put_entry(struct vcatalog *c, int sec, const char *key, void *e, int grow)
{
	int i = find_entry(c, sec, key);
	char *arr = *array_of(c, sec);
	size_t sz = entry_size[sec];

	if (i >= 0) {
		entry_free(sec, arr + (size_t)i * sz);
		memcpy(arr + (size_t)i * sz, e, sz);
		return 0;
	}
	if (grow) {
		arr = realloc(arr, (size_t)(*count_of(c, sec) + 1) * sz);
		if (arr == NULL)
			return -1;
		*array_of(c, sec) = arr;
	}
	memcpy(arr + (size_t)(*count_of(c, sec))++ * sz, e, sz);
	return 0;
}

static void
remove_entry(struct vcatalog *c, int sec, const char *key)
{
	int i = find_entry(c, sec, key);
	char *arr = *array_of(c, sec);
	size_t sz = entry_size[sec];
	int *n = count_of(c, sec);

	if (i < 0)
		return;
	entry_free(sec, arr + (size_t)i * sz);
	memmove(arr + (size_t)i * sz, arr + (size_t)(i + 1) * sz, (size_t)(*n - i - 1) * sz);
	(*n)--;
}

int
vcatalog_merge(struct vcatalog *c, const char *text, size_t len, const char *name,
	       struct ic_error *err)
{
	static const char *const top[] = { "schema", "about", "vendors", "servers", "instances",
		"infrastructure", "self_hosted", NULL };
	int scanned = json_scan(name, 1, text, len, err);
	cJSON *root = scanned != 0 ? NULL : cJSON_ParseWithLength(text, len), *sch;
	struct vcatalog *tmp = NULL;
	struct vparse x = { name, "catalog", err };
	/* entries marked "remove": true, applied after parsing */
	char (*rm)[256] = NULL;
	int *rm_sec = NULL, nrm = 0, rc = -1;

	if (scanned != 0) {
		return -1;	/* json_scan said why */
	} else if (root == NULL || !cJSON_IsObject(root)) {
		const char *at = cJSON_GetErrorPtr();
		if (root == NULL && at && at >= text && at <= text + len) {
			long line = 1, col = 1;
			json_pos(text, (size_t)(at - text), 1, &line, &col);
			ic_error_at(err, name, line, col, "not valid JSON");
		} else {
			ic_errorf(err, "%s: not a JSON object", name);
		}
		cJSON_Delete(root);
		return -1;
	}
	if (vparse_check_keys(&x, root, top) != 0)
		goto out;
	sch = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (sch && (!cJSON_IsNumber(sch) || sch->valuedouble != 1)) {
		vparse_bad(&x, "schema", "this imcost reads schema 1");
		goto out;
	}
	tmp = vcatalog_new();
	if (tmp == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	for (int sec = 0; sec < SECTIONS; sec++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, section_names[sec]), *it;
		int i = 0;

		if (arr == NULL)
			continue;
		if (!cJSON_IsArray(arr)) {
			vparse_bad(&x, section_names[sec], "expected an array");
			goto out;
		}
		cJSON_ArrayForEach(it, arr) {
			char key[256];
			int ek;
			union { struct voption o; struct vserver s; struct vinstance in; struct vinfra f;
				struct vselfhost h; } e;
			const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "remove");
			int prc;

			snprintf(x.where, sizeof x.where, "%s[%d]", section_names[sec], i);
			if (!cJSON_IsObject(it)) {
				ic_errorf(err, "%s: %s: expected an object", name, x.where);
				goto out;
			}
			if ((ek = entry_key(sec, it, key, sizeof key)) != 0) {
				vparse_bad(&x, sec == S_INSTANCES ? "instance_type" : sec == S_INFRA ? "region" : "id",
				    ek == -2 ? "control characters are not allowed"
				    : sec == S_INSTANCES || sec == S_INFRA
				    ? "provider, region (and instance_type) are required strings"
				    : "required: a non-empty string");
				goto out;
			}
			{
				char q[IC_QUOTE_SIZE];
				snprintf(x.where, sizeof x.where, "%s[%d] (%s \"%s\")", section_names[sec], i,
					 sec == S_INSTANCES || sec == S_INFRA ? "key" : "id",
					 ic_quote(key, strlen(key), 60, q));
			}
			if (r) {
				void *nr;
				if (!cJSON_IsTrue(r)) {
					vparse_bad(&x, "remove", "expected true");
					goto out;
				}
				nr = realloc(rm, (size_t)(nrm + 1) * sizeof *rm);
				if (nr == NULL) { ic_errorf(err, "out of memory"); goto out; }
				rm = nr;
				nr = realloc(rm_sec, (size_t)(nrm + 1) * sizeof *rm_sec);
				if (nr == NULL) { ic_errorf(err, "out of memory"); goto out; }
				rm_sec = nr;
				snprintf(rm[nrm], sizeof rm[0], "%s", key);
				rm_sec[nrm++] = sec;
				i++;
				continue;
			}
			memset(&e, 0, sizeof e);
			switch (sec) {
			case S_VENDORS:
				prc = vparse_option(&x, it, &e.o);
				if (prc == 0 && (e.o.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			case S_SERVERS:
				prc = vparse_server(&x, it, &e.s);
				if (prc == 0 && (e.s.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			case S_INSTANCES: prc = vparse_instance(&x, it, &e.in); break;
			case S_INFRA: prc = vparse_infra(&x, it, &e.f); break;
			default:
				prc = vparse_self(&x, it, &e.h);
				if (prc == 0 && (e.h.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			}
			if (prc == 0 && find_entry(tmp, sec, key) >= 0)
				prc = ic_errorf(err, "%s: %s: duplicate entry", name, x.where);
			if (prc != 0 || put_entry(tmp, sec, key, &e, 1) != 0) {
				if (prc == 0)
					ic_errorf(err, "out of memory");
				entry_free(sec, &e);
				goto out;
			}
			i++;
		}
	}
	/* Everything parsed.  Reserve room first so that moving cannot fail. */
	for (int sec = 0; sec < SECTIONS; sec++) {
		size_t want = (size_t)(*count_of(c, sec) + *count_of(tmp, sec));
		void *na;
		if (want == 0)
			continue;
		na = realloc(*array_of(c, sec), want * entry_size[sec]);
		if (na == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		*array_of(c, sec) = na;
	}
	for (int k = 0; k < nrm; k++)
		remove_entry(c, rm_sec[k], rm[k]);
	for (int sec = 0; sec < SECTIONS; sec++) {
		char *arr = *array_of(tmp, sec), buf[256];
		size_t sz = entry_size[sec];
		int n = *count_of(tmp, sec);

		for (int i = 0; i < n; i++)
			put_entry(c, sec, key_of(tmp, sec, i, buf, sizeof buf), arr + (size_t)i * sz, 0);
		*count_of(tmp, sec) = 0;	/* moved */
	}
	rc = 0;
out:
	vcatalog_free(tmp);
	free(rm);
	free(rm_sec);
	cJSON_Delete(root);
	return rc;
}

int
vcatalog_merge_file(struct vcatalog *c, const char *path, struct ic_error *err)
{
	size_t len;
	char *s = vendors_read_file(path, (size_t)64 << 20, &len, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = vcatalog_merge(c, s, len, path, err);
	free(s);
	return rc;
}

struct vcatalog *
vcatalog_builtin(struct ic_error *err)
{
	struct vcatalog *c = vcatalog_new();

	if (c == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (vcatalog_merge(c, imcost_vendors_json, imcost_vendors_json_len,
			   "built-in catalog (data/vendors.json)", err) != 0) {
		vcatalog_free(c);
		return NULL;
	}
	return c;
}

const struct vinstance *
vcatalog_instance(const struct vcatalog *c, const char *provider, const char *region,
		  const char *type)
{
	for (int i = 0; i < c->ninst; i++)
		if (strcmp(c->inst[i].provider, provider) == 0 && strcmp(c->inst[i].region, region) == 0 &&
		    strcmp(c->inst[i].type, type) == 0)
			return &c->inst[i];
	return NULL;
}

static char *
dup_printf(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

int
vcatalog_use_price_lists(struct vcatalog *c, const struct catalog *pb, int *nused,
			 struct ic_error *err)
{
	*nused = 0;
	for (int i = 0; i < c->ninst; i++) {
		struct vinstance *in = &c->inst[i];
		const struct catalog_entry *e = catalog_find(pb, in->provider, in->region, in->type,
							     NULL);
		struct vcommit *cm = NULL;
		int ncm = 0;
		char *src, *asof, *conf, *cconf;

		if (e == NULL || e->od_source == NULL || strcmp(e->od_source, "built-in") == 0 ||
		    e->on_demand_hourly <= 0 || (e->currency && strcmp(e->currency, "USD") != 0))
			continue;
		if (e->noffers > 0) {
			cm = calloc((size_t)e->noffers, sizeof *cm);
			if (cm == NULL)
				return ic_errorf(err, "out of memory");
			for (int k = 0; k < e->noffers; k++) {
				const struct catalog_offer *o = &e->offers[k];
				double r = catalog_offer_rate(o);

				const char *from = o->savings_plan ? e->sp_source : e->offer_source;

				/* only the price lists' offers, not the built-in
				 * catalog's that the pricebook starts from */
				if (from == NULL || strcmp(from, "built-in") == 0)
					continue;
				if (o->term < 0 || o->term >= NTERMS || o->payment < 0 ||
				    o->payment >= NPAYMENTS || !(r > 0) || r > 9e18)
					continue;
				cm[ncm].term = dup_printf(commit_term_names[o->term], "");
				cm[ncm].payment = dup_printf(o->savings_plan ? "savings_plan_" : "",
							     commit_payment_names[o->payment]);
				cm[ncm].effective_hourly = llround(r);
				if (!cm[ncm].term || !cm[ncm].payment) {
					for (int j = 0; j <= ncm; j++) {
						free(cm[j].term);
						free(cm[j].payment);
					}
					free(cm);
					return ic_errorf(err, "out of memory");
				}
				ncm++;
			}
			if (ncm == 0) {		/* none usable: keep the catalog's */
				free(cm);
				cm = NULL;
			}
		}
		src = dup_printf("imported price list: ", e->od_source);
		asof = dup_printf(e->as_of ? e->as_of : "price list", "");
		conf = dup_printf("high", "");
		cconf = dup_printf("high", "");
		if (!src || !asof || !conf || !cconf) {
			free(src); free(asof); free(conf); free(cconf);
			for (int j = 0; j < ncm; j++) {
				free(cm[j].term);
				free(cm[j].payment);
			}
			free(cm);
			return ic_errorf(err, "out of memory");
		}
		free(in->source); free(in->as_of); free(in->confidence);
		in->source = src;
		in->as_of = asof;
		in->confidence = conf;
		in->od_hourly = e->on_demand_hourly;
		if (cm != NULL) {
			for (int j = 0; j < in->ncommit; j++) {
				free(in->commit[j].term);
				free(in->commit[j].payment);
			}
			free(in->commit);
			free(in->commit_confidence);
			in->commit = cm;
			in->ncommit = ncm;
			in->commit_confidence = cconf;
		} else
			free(cconf);
		(*nused)++;
	}
	return 0;
}

const struct vinfra *
vcatalog_infra(const struct vcatalog *c, const char *provider, const char *region)
{
	for (int i = 0; i < c->ninfra; i++)
		if (strcmp(c->infra[i].provider, provider) == 0 && strcmp(c->infra[i].region, region) == 0)
			return &c->infra[i];
	return NULL;
}

const struct vserver *
vcatalog_server(const struct vcatalog *c, const char *id)
{
	for (int i = 0; i < c->nserver; i++)
		if (strcmp(c->server[i].id, id) == 0)
			return &c->server[i];
	return NULL;
}

