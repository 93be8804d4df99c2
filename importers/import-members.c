/*
 * import-members.c - JSON documents read by object member (AWS offer
 * files): the members of the objects the price parser names are handed
 * over one at a time, duplicate keys caught per object, and the skeleton
 * around them checked as a document.  Shares the refill and the value
 * mapping of import-json.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/input.h"
#include "common/jsonscan.h"
#include "importers/import-int.h"
#include "importers/prices-db.h"
#include "importers/prices.h"
#include "importers/spillmap.h"

/* ---- documents read by object member (AWS offer files) ---- */

/* The keys of one streamed object, for its duplicates: in memory up to
 * a third of offer_memory_limit(), then on disk (spillmap.h). */
struct keyset {
	struct spillmap *m;
};

static void
keyset_clear(struct keyset *ks)
{
	spillmap_free(ks->m);
	ks->m = NULL;
}

/* Add key (first seen at line, col).  1 added, 0 already there (*fline,
 * *fcol: where it was first), -1 with err set. */
static int
keyset_add(struct keyset *ks, const char *key, long line, long col, long *fline, long *fcol,
	   struct ic_error *err)
{
	long at[2] = { line, col };
	const void *old = NULL;
	size_t n = 0;
	int r;

	if (ks->m == NULL && (ks->m = spillmap_new(offer_memory_limit() / 3)) == NULL)
		return ic_errorf(err, "out of memory");
	r = spillmap_put(ks->m, key, at, sizeof at, &old, &n, err);
	if (r == 0) {
		if (n != sizeof at)
			return ic_errorf(err, "the keys of a JSON object: a kept key is damaged");
		memcpy(at, old, sizeof at);
		*fline = at[0];
		*fcol = at[1];
	}
	return r;
}

/* The paths of the price format that reads objects member by member
 * (price_format.json_objects), or NULL. */
static const char *const *
member_paths(void)
{
	for (int i = 0; importers[i]; i++)
		if (importers[i]->kind == KIND_PRICES && importers[i]->prices->json_member)
			return importers[i]->prices->json_objects;
	return NULL;
}

/*
 * Would the document whose bytes doc[0..at] end with the '{' of the first
 * object sp names be read member by member?  Detected on the document
 * cut there (what precedes, the object empty, its containers closed).  1
 * yes (importer opened), 0 no, -1 error.
 */
static int
members_stream(struct row_ctx *rc, const char *doc, size_t at, const struct json_osplit *sp,
	       const char *const *paths, struct ic_error *err)
{
	const struct importer *imp;
	char *mini = malloc(at + 1 + JSON_OSPLIT_DEPTH + 2);
	size_t n = at + 1;
	cJSON *v;
	int ret = 0;

	if (mini == NULL)
		return ic_errorf(err, "out of memory");
	memcpy(mini, doc, n);
	for (int d = sp->split_depth; d >= 1; d--)
		mini[n++] = sp->is_obj[d - 1] ? '}' : ']';
	v = cJSON_ParseWithLengthOpts(mini, n, NULL, 0);
	free(mini);
	if (v == NULL)
		return 0;	/* read whole: the parser says what is wrong */
	imp = rc->s->opts.as ? importer_find(rc->s->opts.as) : importer_detect_json(v);
	if (imp != NULL && imp->kind == KIND_PRICES && imp->prices->json_objects == paths)
		ret = json_open(rc, v, 1, err) == 0 ? 1 : -1;
	cJSON_Delete(v);
	return ret;
}

/* One member text[0..len) of a streamed object, at line, col of the
 * file: parsed as {TEXT}, checked against the object's other keys, fed. */
static int
members_item(struct row_ctx *rc, struct keyset *ks, int which, const char *parent,
	     const char *text, size_t len, long line, long col, struct ic_error *err)
{
	struct json_piece at[2] = { { 0, line, col - 1 }, { 1, line, col } };
	struct csv_record fake = { NULL, 0, line, 0 };
	long fline = 0, fcol = 0;
	const char *end = NULL;
	char *m;
	cJSON *v;
	int ret;

	if (len == 0)
		return ic_error_at(err, rc->in->name, line, col, "invalid JSON");
	if ((m = malloc(len + 2)) == NULL)
		return ic_errorf(err, "out of memory");
	m[0] = '{';
	memcpy(m + 1, text, len);
	m[len + 1] = '}';
	if (json_scan_pieces(rc->in->name, at, 2, m, len + 2, err) != 0) {
		free(m);
		return -1;
	}
	v = cJSON_ParseWithLengthOpts(m, len + 2, &end, 0);
	if (v == NULL || v->child == NULL || v->child->next != NULL || end != m + len + 2) {
		const char *e = v ? end : cJSON_GetErrorPtr();
		size_t off = e && e >= m && e <= m + len + 2 ? (size_t)(e - m) : 1;
		long l, c;
		cJSON_Delete(v);
		json_pos_pieces(m, off, at, 2, &l, &c);
		free(m);
		return ic_error_at(err, rc->in->name, l, c, "invalid JSON");
	}
	free(m);
	ret = keyset_add(ks, v->child->string, line, col, &fline, &fcol, err);
	if (ret <= 0) {
		char q[IC_QUOTE_SIZE];
		if (ret == 0)
			ic_error_at(err, rc->in->name, line, col,
				    "duplicate key \"%s\" (first at line %ld, column %ld)",
				    ic_quote(v->child->string, strlen(v->child->string), 60, q), fline, fcol);
		cJSON_Delete(v);
		return -1;
	}
	rc->rec = &fake;
	ret = price_import_json_member(rc->pi, which, parent, v->child, line, err);
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

/* skel[*lenp..) += src[0..n), within JSON_SKELETON_MAX; -1 with err set */
static int
skel_add(char *skel, size_t *lenp, const char *src, size_t n, const char *name, long line, long col,
	 struct ic_error *err)
{
	if (*lenp + n > JSON_SKELETON_MAX)
		return ic_error_at(err, name, line, col, "JSON outside the objects read member by member larger than %u KiB",
				   JSON_SKELETON_MAX >> 10);
	memcpy(skel + *lenp, src, n);
	*lenp += n;
	return 0;
}

/*
 * As json_document, for a price list whose format reads objects member
 * by member (price_format.json_objects: AWS offer files' products and
 * terms.*): each member parsed alone and dropped, so memory is bounded
 * by the largest member and what the format keeps, not the file; what
 * surrounds those objects (at most JSON_SKELETON_MAX bytes) is checked
 * and read as a document with them empty.  Same returns as json_document.
 */
int
json_members_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp,
		      size_t *capp, size_t start, int *eofp, struct ic_error *err)
{
	const char *const *paths = member_paths();
	char *buf = *bufp, *skel = NULL;
	size_t len = *lenp, cap = *capp, skel_len = 0;
	int eof = *eofp, streaming = 0, ret = -1, npieces = 1, cpieces = 8;
	struct json_osplit sp;
	struct json_piece *pieces = NULL;
	struct keyset ks = { NULL };
	long long base = -(long long)start, skel_from = 0;
	char parent[64] = "";

	if (paths == NULL)
		return 1;
	json_osplit_init(&sp, paths, JSON_SKELETON_MAX);
	for (;;) {
		while (streaming >= 0) {
			enum json_split_event ev = json_osplit_next(&sp, buf, base, len);
			if (ev == JS_MORE)
				break;
			if (ev == JS_NONE) {
				streaming = -1;
			} else if (ev == JS_ARRAY) {
				if (streaming == 0) {
					int r = sp.which != 0 ? 0 : members_stream(rc, buf + start, (size_t)sp.at, &sp, paths, err);
					if (r < 0)
						goto out;
					if (r == 0) {
						streaming = -1;
						break;
					}
					streaming = 1;
					skel = malloc(JSON_SKELETON_MAX + 2);
					pieces = malloc((size_t)cpieces * sizeof *pieces);
					if (skel == NULL || pieces == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					pieces[0] = (struct json_piece){ 0, 1, 1 };
				}
				if (skel_add(skel, &skel_len, buf + (skel_from - base), (size_t)(sp.at + 1 - skel_from),
					     in->name, sp.line, sp.col, err) != 0)
					goto out;
				skel_from = -1;
				keyset_clear(&ks);
				memcpy(parent, sp.key[sp.split_depth - 1], sp.key_len[sp.split_depth - 1]);
				parent[sp.key_len[sp.split_depth - 1]] = '\0';
			} else if (ev == JS_ITEM) {
				if (members_item(rc, &ks, sp.which, parent, buf + (sp.at - base),
						 (size_t)(sp.end - sp.at), sp.line, sp.col, err) != 0)
					goto out;
			} else if (ev == JS_CLOSE && streaming == 0) {
				streaming = -1;	/* the document ended before any such object */
			} else if (ev == JS_CLOSE && skel_from < 0) {
				/* the skeleton goes on with the '}', at its place in the file */
				if (npieces == cpieces) {
					struct json_piece *np = realloc(pieces, (size_t)(cpieces *= 2) * sizeof *pieces);
					if (np == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					pieces = np;
				}
				pieces[npieces++] = (struct json_piece){ skel_len, sp.line, sp.col };
				skel_from = sp.at;
				keyset_clear(&ks);
			}
		}
		if (streaming < 0) {
			ret = 1;	/* nothing dropped: the caller reads it whole */
			goto out;
		}
		if (streaming == 1 && skel_from >= 0) {
			/* between the objects: what was read goes to the skeleton */
			long long to = sp.done ? base + (long long)len : sp.pos;
			long l = sp.cur_line, c = (long)(sp.pos - sp.line_start) + 1;
			if (skel_add(skel, &skel_len, buf + (skel_from - base), (size_t)(to - skel_from),
				     in->name, l, c, err) != 0)
				goto out;
			skel_from = to;
		}
		if (eof) {
			if (streaming == 0) {
				ret = 1;
				goto out;
			}
			break;
		}
		if (stream_refill(in, bufp, &len, &cap, &base,
				  streaming == 1 ? (skel_from >= 0 ? skel_from : json_osplit_keep(&sp)) : -1,
				  "member", sp.mem_line, sp.mem_col, &eof, err) != 0)
			goto out;
		buf = *bufp;
	}
	if (skel_from < 0) {
		char q[IC_QUOTE_SIZE];
		ic_error_at(err, in->name, sp.cur_line, (long)(sp.pos - sp.line_start) + 1,
			    "invalid JSON (the file ends inside the %s object)",
			    ic_quote(parent, strlen(parent), 60, q));
		goto out;
	}
	if (json_scan_pieces(in->name, pieces, npieces, skel, skel_len, err) != 0)
		goto out;
	{
		const char *end = NULL;
		cJSON *v = cJSON_ParseWithLengthOpts(skel, skel_len, &end, 0);
		if (v == NULL || !blank_text(end, skel_len - (size_t)(end - skel))) {
			const char *e = v ? end : cJSON_GetErrorPtr();
			size_t off = e && e >= skel && e <= skel + skel_len ? (size_t)(e - skel) : 0;
			long l, c;
			while (v && off < skel_len && blank_text(skel + off, 1))
				off++;	/* at what follows the document */
			json_pos_pieces(skel, off, pieces, npieces, &l, &c);
			ic_error_at(err, in->name, l, c, v ? "a price list is one JSON document, not JSON lines"
							   : "invalid JSON");
			cJSON_Delete(v);
			goto out;
		}
		{
			struct csv_record fake = { NULL, 0, 1, 0 };
			rc->rec = &fake;
			ret = price_import_json_skeleton(rc->pi, v, err);
			rc->rec = NULL;
		}
		cJSON_Delete(v);
		if (ret != 0) {
			ret = -1;
			goto out;
		}
	}
	rc->records++;
	ret = 0;
out:
	*lenp = len;
	*capp = cap;
	*eofp = eof;
	keyset_clear(&ks);
	free(pieces);
	free(skel);
	return ret;
}
