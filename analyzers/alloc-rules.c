/*
 * alloc-rules.c - the allocation rules file: parsing (errors with the
 * file, line and column), matching a charge, and the largest-remainder
 * split (see allocation.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/allocation.h"
#include <cjson/cJSON.h>
#include "common/jsonscan.h"
#include "common/readfile.h"
#include "common/suggest.h"
#include "common/tags.h"

const char *const alloc_split_names[SPLIT_NKINDS] = { "proportional", "even", "fixed", "metric" };

static const char *const field_names[AF_NFIELDS] = {
	"service", "usage_type", "region", "account", "resource", "provider", "charge_category",
	"tag:KEY"
};

#define TAG_MAX 256

struct pctx {
	const char *text;
	size_t len;
	const char *name;
	const cJSON *root;
	struct ic_error *err;
};

/* Preorder index of node in the tree under v (v is 0), counting from *k. */
static int
node_index(const cJSON *v, const cJSON *node, long *k)
{
	if (v == node)
		return 1;
	for (const cJSON *c = v->child; c; c = c->next) {
		++*k;
		if (node_index(c, node, k))
			return 1;
	}
	return 0;
}

/* The offset of the opening quote of the member name before the value at
 * off, or off when there is none. */
static long
key_offset(const char *s, long off)
{
	long i = off - 1;

	while (i >= 0 && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i--;
	if (i < 0 || s[i] != ':')
		return off;
	for (i--; i >= 0 && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'); i--)
		;
	if (i < 0 || s[i] != '"')
		return off;
	for (i--; i >= 0; i--)
		if (s[i] == '"') {
			long bs = 0;
			for (long j = i - 1; j >= 0 && s[j] == '\\'; j--)
				bs++;
			if (bs % 2 == 0)
				return i;
		}
	return off;
}

/* err = "NAME:LINE:COL: where: msg" at node (at its member name when
 * at_key; the file's start when not found).  Returns -1. */
static int
perr_at(struct pctx *p, const cJSON *node, int at_key, const char *where, const char *msg)
{
	long k = 0, off = -1, line = 1, col = 1;

	if (node && node_index(p->root, node, &k))
		off = json_value_offset(p->text, p->len, k);
	if (off > 0 && at_key)
		off = key_offset(p->text, off);
	json_pos(p->text, off < 0 ? 0 : (size_t)off, 1, &line, &col);
	return ic_error_at(p->err, p->name, line, col, "%s: %s", where, msg);
}

static int
perr(struct pctx *p, const cJSON *node, const char *where, const char *msg)
{
	return perr_at(p, node, 0, where, msg);
}

/* An unknown member name of an object: did you mean. */
static int
unknown(struct pctx *p, const cJSON *node, const char *where, const char *const *known, size_t n)
{
	char q[IC_QUOTE_SIZE], msg[IC_QUOTE_SIZE + 400], list[300] = "";
	size_t best[2], nb = suggest_nearest(node->string, known, n, best, 2);

	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", known[i]);
	ic_quote(node->string, strlen(node->string), 60, q);
	if (nb > 0)
		snprintf(msg, sizeof msg, "unknown field '%s' (did you mean '%s'?)", q, known[best[0]]);
	else
		snprintf(msg, sizeof msg, "unknown field '%s' (known: %s)", q, list);
	return perr_at(p, node, 1, where, msg);
}

static char *
lowered(const char *s)
{
	char *d = strdup(s);

	for (char *c = d; c && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return d;
}

/* A string that is not empty (when nonempty), at most 200 bytes and has
 * no control characters; else an error at node. */
static int
good_text(struct pctx *p, const cJSON *node, const char *where, int nonempty)
{
	const char *s = cJSON_GetStringValue(node);

	if (s == NULL)
		return perr(p, node, where, "expected a string");
	if (nonempty && *s == '\0')
		return perr(p, node, where, "expected a non-empty string");
	if (strlen(s) > 200)
		return perr(p, node, where, "longer than 200 bytes");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return perr(p, node, where, "control characters are not allowed");
	return 0;
}

static int
parse_cond(struct pctx *p, const cJSON *m, const char *where, struct alloc_cond *c)
{
	static const char *const known[] = { "service", "usage_type", "region", "account",
		"resource", "provider", "charge_category", "tag:" };
	char w[IC_QUOTE_SIZE + 80], q[IC_QUOTE_SIZE];
	const cJSON *g;
	int f;

	for (f = 0; f < AF_TAG; f++)
		if (strcmp(m->string, field_names[f]) == 0)
			break;
	if (f == AF_TAG && strncmp(m->string, "tag:", 4) != 0)
		return unknown(p, m, where, known, sizeof known / sizeof known[0]);
	c->field = (enum alloc_field)f;
	snprintf(w, sizeof w, "%s.%s", where, ic_quote(m->string, strlen(m->string), 60, q));
	if (f == AF_TAG) {
		char folded[TAG_MAX];
		size_t n = tag_key_fold(m->string + 4, strlen(m->string + 4), 0, folded, sizeof folded);
		if (m->string[4] == '\0' || n == (size_t)-1 || n == 0)
			return perr_at(p, m, 1, where, "tag:KEY wants a tag key of 1 to 255 bytes after 'tag:'");
		if ((c->tag = strdup(folded)) == NULL)
			return ic_errorf(p->err, "out of memory");
	}
	if (cJSON_IsString(m)) {
		if (good_text(p, m, w, 0) != 0)
			return -1;
		c->globs = calloc(1, sizeof *c->globs);
		if (c->globs == NULL || (c->globs[0] = lowered(m->valuestring)) == NULL)
			return ic_errorf(p->err, "out of memory");
		c->nglobs = 1;
		return 0;
	}
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) == 0)
		return perr(p, m, w, "expected a glob or a non-empty array of globs");
	c->globs = calloc((size_t)cJSON_GetArraySize(m), sizeof *c->globs);
	if (c->globs == NULL)
		return ic_errorf(p->err, "out of memory");
	cJSON_ArrayForEach(g, m) {
		if (good_text(p, g, w, 0) != 0)
			return -1;
		if ((c->globs[c->nglobs] = lowered(g->valuestring)) == NULL)
			return ic_errorf(p->err, "out of memory");
		c->nglobs++;
	}
	return 0;
}

static int
parse_rule(struct pctx *p, const cJSON *o, int idx, struct alloc_rule *r)
{
	static const char *const known[] = { "value", "shared", "match", "split", "ratios", "metric",
		"note" };
	char where[64];
	const cJSON *m, *v = NULL, *sh = NULL, *match = NULL, *split = NULL, *ratios = NULL,
		*metric = NULL;

	snprintf(where, sizeof where, "rules[%d]", idx);
	if (!cJSON_IsObject(o))
		return perr(p, o, where, "expected an object");
	cJSON_ArrayForEach(m, o) {
		if (strcmp(m->string, "value") == 0)
			v = m;
		else if (strcmp(m->string, "shared") == 0)
			sh = m;
		else if (strcmp(m->string, "match") == 0)
			match = m;
		else if (strcmp(m->string, "split") == 0)
			split = m;
		else if (strcmp(m->string, "ratios") == 0)
			ratios = m;
		else if (strcmp(m->string, "metric") == 0)
			metric = m;
		else if (strcmp(m->string, "note") == 0) {
			if (!cJSON_IsString(m))
				return perr(p, m, where, "note: expected a string");
		} else
			return unknown(p, m, where, known, sizeof known / sizeof known[0]);
	}
	if ((v == NULL) == (sh == NULL))
		return perr(p, o, where, "give either \"value\" (an allocation value) or \"shared\""
			    " (the name of a shared cost)");
	if (v && (split || ratios || metric))
		return perr(p, split ? split : ratios ? ratios : metric, where,
			    "split, ratios and metric belong to \"shared\" rules");
	if (good_text(p, v ? v : sh, v ? "value" : "shared", 1) != 0)
		return -1;
	r->shared = sh != NULL;
	if ((r->name = strdup((v ? v : sh)->valuestring)) == NULL)
		return ic_errorf(p->err, "out of memory");
	if (match == NULL)
		return perr(p, o, where, "missing \"match\" (use {} to take every charge)");
	if (!cJSON_IsObject(match))
		return perr(p, match, where, "match: expected an object");
	r->conds = calloc((size_t)cJSON_GetArraySize(match) + 1, sizeof *r->conds);
	if (r->conds == NULL)
		return ic_errorf(p->err, "out of memory");
	snprintf(where, sizeof where, "rules[%d].match", idx);
	cJSON_ArrayForEach(m, match) {
		if (parse_cond(p, m, where, &r->conds[r->nconds++]) != 0)
			return -1;
	}
	snprintf(where, sizeof where, "rules[%d]", idx);
	if (!r->shared)
		return 0;
	r->split = SPLIT_PROPORTIONAL;
	if (split) {
		int k;
		if (!cJSON_IsString(split))
			return perr(p, split, where, "split: expected proportional, even, fixed or metric");
		for (k = 0; k < SPLIT_NKINDS && strcmp(split->valuestring, alloc_split_names[k]) != 0; k++)
			;
		if (k == SPLIT_NKINDS) {
			char q[IC_QUOTE_SIZE], msg[IC_QUOTE_SIZE + 100];
			snprintf(msg, sizeof msg, "split: '%s' is not proportional, even, fixed or metric",
				 ic_quote(split->valuestring, strlen(split->valuestring), 60, q));
			return perr(p, split, where, msg);
		}
		r->split = (enum alloc_split)k;
	}
	if (r->split == SPLIT_FIXED) {
		int n;
		double sum = 0;
		if (!cJSON_IsObject(ratios) || (n = cJSON_GetArraySize(ratios)) == 0)
			return perr(p, ratios ? ratios : o, where, "split fixed wants \"ratios\":"
				    " {\"VALUE\": weight, ...}");
		r->ratio_values = calloc((size_t)n, sizeof *r->ratio_values);
		r->ratio_w = calloc((size_t)n, sizeof *r->ratio_w);
		if (r->ratio_values == NULL || r->ratio_w == NULL)
			return ic_errorf(p->err, "out of memory");
		cJSON_ArrayForEach(m, ratios) {
			if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0) || m->valuedouble > 1e9)
				return perr(p, m, "ratios", "expected a number from 0 to 1000000000");
			if ((r->ratio_values[r->nratios] = strdup(m->string)) == NULL)
				return ic_errorf(p->err, "out of memory");
			r->ratio_w[r->nratios++] = (int64_t)llround(m->valuedouble * 1e6);
			sum += m->valuedouble;
		}
		if (!(sum > 0))
			return perr(p, ratios, where, "ratios: the weights add up to 0");
	} else if (ratios) {
		return perr(p, ratios, where, "ratios belong to split fixed");
	}
	if (r->split == SPLIT_METRIC) {
		if (metric == NULL)
			return perr(p, o, where, "split metric wants \"metric\": the usage metric"
				    " (e.g. \"messages\")");
		if (good_text(p, metric, "metric", 1) != 0)
			return -1;
		if ((r->metric = strdup(metric->valuestring)) == NULL)
			return ic_errorf(p->err, "out of memory");
	} else if (metric) {
		return perr(p, metric, where, "metric belongs to split metric");
	}
	return 0;
}

/* Every ratio names the value of some rule. */
static int
check_ratios(struct pctx *p, const cJSON *jrules, struct alloc_rules *rs)
{
	const char **vals = calloc((size_t)rs->n + 1, sizeof *vals);
	size_t nv = 0;

	if (vals == NULL)
		return ic_errorf(p->err, "out of memory");
	for (int i = 0; i < rs->n; i++)
		if (!rs->rules[i].shared)
			vals[nv++] = rs->rules[i].name;
	for (int i = 0; i < rs->n; i++)
		for (int k = 0; k < rs->rules[i].nratios; k++) {
			const char *rv = rs->rules[i].ratio_values[k];
			size_t j, best[1];
			for (j = 0; j < nv && strcmp(vals[j], rv) != 0; j++)
				;
			if (j == nv) {
				char q[IC_QUOTE_SIZE], msg[IC_QUOTE_SIZE + 300], where[64];
				const cJSON *node = cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(jrules, i),
									 "ratios"), rv);
				ic_quote(rv, strlen(rv), 60, q);
				if (suggest_nearest(rv, vals, nv, best, 1) > 0)
					snprintf(msg, sizeof msg, "'%s' is not the value of any rule (did you"
						 " mean '%s'?)", q, vals[best[0]]);
				else
					snprintf(msg, sizeof msg, "'%s' is not the value of any rule", q);
				snprintf(where, sizeof where, "rules[%d].ratios", i);
				free(vals);
				return perr_at(p, node, 1, where, msg);
			}
		}
	free(vals);
	return 0;
}

int
alloc_rules_parse(const char *text, size_t len, const char *name, struct alloc_rules **out,
		  struct ic_error *err)
{
	static const char *const known[] = { "key", "rules", "notes", "description" };
	struct pctx p = { text, len, name, NULL, err };
	struct alloc_rules *rs = NULL;
	cJSON *root;
	const cJSON *m, *key = NULL, *rules = NULL, *notes = NULL;
	int rc = -1;

	*out = NULL;
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
	p.root = root;
	if (!cJSON_IsObject(root)) {
		perr(&p, root, "allocation rules", "expected an object with \"key\" and \"rules\"");
		goto out;
	}
	cJSON_ArrayForEach(m, root) {
		if (strcmp(m->string, "key") == 0)
			key = m;
		else if (strcmp(m->string, "rules") == 0)
			rules = m;
		else if (strcmp(m->string, "notes") == 0)
			notes = m;
		else if (strcmp(m->string, "description") != 0) {
			unknown(&p, m, "allocation rules", known, sizeof known / sizeof known[0]);
			goto out;
		}
	}
	if (key == NULL) {
		perr(&p, root, "allocation rules", "missing \"key\" (what the values are: \"feature\","
		     " \"team\", ...)");
		goto out;
	}
	if (good_text(&p, key, "key", 1) != 0)
		goto out;
	if (strchr(key->valuestring, ':')) {
		perr(&p, key, "key", "no ':' (usage rows name a value as KEY:VALUE)");
		goto out;
	}
	if (!cJSON_IsArray(rules)) {
		perr(&p, rules ? rules : root, "rules", rules ? "expected an array" :
		     "missing (an array of rules)");
		goto out;
	}
	if ((rs = calloc(1, sizeof *rs)) == NULL ||
	    (rs->file = strdup(name)) == NULL || (rs->key = strdup(key->valuestring)) == NULL ||
	    (rs->rules = calloc((size_t)cJSON_GetArraySize(rules) + 1, sizeof *rs->rules)) == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(m, rules) {
		if (parse_rule(&p, m, rs->n, &rs->rules[rs->n]) != 0) {
			rs->n++;
			goto out;
		}
		rs->n++;
	}
	if (check_ratios(&p, rules, rs) != 0)
		goto out;
	if (notes && !cJSON_IsString(notes) && !cJSON_IsArray(notes)) {
		perr(&p, notes, "notes", "expected a string or an array of strings");
		goto out;
	}
	if (notes) {
		int n = cJSON_IsString(notes) ? 1 : cJSON_GetArraySize(notes);
		if ((rs->notes = calloc((size_t)n + 1, sizeof *rs->notes)) == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		for (int i = 0; i < n; i++) {
			const cJSON *s = cJSON_IsString(notes) ? notes : cJSON_GetArrayItem(notes, i);
			if (!cJSON_IsString(s)) {
				perr(&p, s, "notes", "expected a string");
				goto out;
			}
			if ((rs->notes[rs->nnotes++] = strdup(s->valuestring)) == NULL) {
				ic_errorf(err, "out of memory");
				goto out;
			}
		}
	}
	*out = rs;
	rs = NULL;
	rc = 0;
out:
	alloc_rules_free(rs);
	cJSON_Delete(root);
	return rc;
}

int
alloc_rules_load(const char *path, struct alloc_rules **out, struct ic_error *err)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (read_file_capped(path, 16, "an allocation rules file", &buf, &len, err) != 0)
		return -1;
	rc = alloc_rules_parse(buf, len, path, out, err);
	free(buf);
	return rc;
}

void
alloc_rules_free(struct alloc_rules *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < r->n; i++) {
		struct alloc_rule *u = &r->rules[i];
		for (int c = 0; c < u->nconds; c++) {
			for (int g = 0; g < u->conds[c].nglobs; g++)
				free(u->conds[c].globs[g]);
			free(u->conds[c].globs);
			free(u->conds[c].tag);
		}
		for (int k = 0; k < u->nratios; k++)
			free(u->ratio_values[k]);
		free(u->ratio_values);
		free(u->ratio_w);
		free(u->conds);
		free(u->name);
		free(u->metric);
	}
	for (int i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->rules);
	free(r->key);
	free(r->file);
	free(r);
}

/* ---- matching ---- */

static int
glob_any(const struct alloc_cond *c, const char *s)
{
	char buf[1024];
	size_t n;

	if (s == NULL)
		s = "";
	n = strlen(s);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	buf[n] = '\0';
	for (int g = 0; g < c->nglobs; g++)
		if (fnmatch(c->globs[g], buf, 0) == 0)
			return 1;
	return 0;
}

static int
cond_holds(const struct alloc_cond *c, const struct alloc_charge *ch)
{
	switch (c->field) {
	case AF_SERVICE:
		return glob_any(c, ch->service) || (ch->service_code && glob_any(c, ch->service_code));
	case AF_USAGE_TYPE:
		return glob_any(c, ch->usage_type);
	case AF_REGION:
		return glob_any(c, ch->region);
	case AF_ACCOUNT:
		return glob_any(c, ch->account) || (ch->sub_account && glob_any(c, ch->sub_account));
	case AF_RESOURCE:
		return glob_any(c, ch->resource);
	case AF_PROVIDER:
		return glob_any(c, ch->provider);
	case AF_CATEGORY:
		return glob_any(c, ch->category);
	default:
		break;
	}
	/* a tag: its value in the store (glob_any lowers it), "" without */
	for (int i = 0; ch->tags && i < ch->tags->n; i++)
		if (strcmp(ch->tags->key[i], c->tag) == 0)
			return glob_any(c, ch->tags->value[i]);
	return glob_any(c, "");
}

int
alloc_match(const struct alloc_rules *r, const struct alloc_charge *c, int *oom)
{
	(void)oom;
	for (int i = 0; i < r->n; i++) {
		int ok = 1;
		for (int k = 0; k < r->rules[i].nconds && ok; k++)
			ok = cond_holds(&r->rules[i].conds[k], c);
		if (ok)
			return i;
	}
	return -1;
}

/* ---- the split ---- */

int
alloc_split_lr(int64_t total, const int64_t *w, int n, int64_t *parts)
{
	__int128 W = 0, T = total < 0 ? -(__int128)total : (__int128)total, given = 0;
	__int128 *rem;

	for (int i = 0; i < n; i++) {
		if (w[i] < 0)
			return -1;
		W += w[i];
	}
	if (n <= 0 || W == 0)
		return -1;
	if ((rem = calloc((size_t)n, sizeof *rem)) == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		__int128 x = T * w[i];
		parts[i] = (int64_t)(x / W);
		rem[i] = x % W;
		given += parts[i];
	}
	for (__int128 left = T - given; left > 0; left--) {
		int best = -1;
		for (int i = 0; i < n; i++)
			if (rem[i] >= 0 && (best < 0 || rem[i] > rem[best]))
				best = i;
		parts[best]++;
		rem[best] = -1;
	}
	free(rem);
	if (total < 0)
		for (int i = 0; i < n; i++)
			parts[i] = -parts[i];
	return 0;
}
