/*
 * import-json.c - JSON input of the driver: one value mapped by its
 * importer (or parsed as a price list), whole documents, and documents
 * whose big arrays are streamed item by item (GCP, Tencent) with the
 * skeleton around them checked as a document.  Documents read by object
 * member (AWS offer files) are in import-members.c; import.c's
 * import_json chooses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/input.h"
#include "common/jsonscan.h"
#include "importers/import-int.h"
#include "importers/jsonbuf.h"
#include "importers/prices-db.h"
#include "importers/prices.h"

/* ---- JSON input ---- */

/* Line and column (1-based) of byte offset off in buf. */
static void
position_of(const char *buf, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Detect (or take --as) the importer of the first JSON value v, read at
 * line `line`, and open it.  0, or -1 with err set. */
int
json_open(struct row_ctx *rc, const cJSON *v, long line, struct ic_error *err)
{
	const struct importer *imp = rc->s->opts.as ? importer_find(rc->s->opts.as)
						    : importer_detect_json(v);

	if (imp == NULL || (imp->json_row == NULL && !(imp->prices && imp->prices->json_doc))) {
		if (rc->s->opts.as && imp == NULL)
			return ic_errorf(err, "unknown format '%s' (imcost formats lists them)", rc->s->opts.as);
		return ic_error_at(err, rc->in->name, line, 1,
				   imp ? "format %s does not read JSON" : "unknown format: no importer recognises this JSON%s",
				   imp ? imp->name : "");
	}
	rc->imp = imp;
	rc->res->format = imp->name;
	if (imp->kind == KIND_PRICES) {
		rc->pi = price_import_new(rc->s->db, rc->import_id, imp, rc->in->name,
					  price_warn, rc, err);
		rc->res->prices = 1;
	} else {
		rc->state = imp->open(NULL, err);
	}
	return rc->state == NULL && rc->pi == NULL ? -1 : 0;
}

int
json_value(struct row_ctx *rc, const char *text, size_t len, long line, int whole,
	   struct ic_error *err)
{
	struct csv_record fake = { NULL, 0, line, 0 };
	const char *end = NULL;
	cJSON *v;
	int ret = -1;

	if (json_scan(rc->in->name, line, text, len, err) != 0)
		return -1;
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v == NULL) {
		const char *at = cJSON_GetErrorPtr();
		long l, c;
		size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : 0;
		position_of(text, off, &l, &c);
		return ic_error_at(err, rc->in->name, line + l - 1, c, "invalid JSON%s",
				   whole ? "" : " on this line (JSON lines: one value per line)");
	}
	if (rc->imp == NULL) {
		if (json_open(rc, v, line, err) != 0) {
			cJSON_Delete(v);
			return -1;
		}
	} else if (rc->pi) {
		cJSON_Delete(v);
		return ic_error_at(err, rc->in->name, line, 1,
				   "a price list is one JSON document, not JSON lines");
	}
	if (rc->pi) {
		rc->rec = &fake;
		ret = price_import_json(rc->pi, v, err);
		if (ret == 0)
			rc->records++;
		rc->rec = NULL;
		cJSON_Delete(v);
		return ret;
	}
	rc->rec = &fake;
	rc->emitted_this_record = 0;
	rc->ntseen = 0;
	rc->json_text = text;
	rc->json_len = len;
	rc->json_root = v;
	if (rc->imp->json_row(rc->state, rc, v, err) == 0) {
		rc->records++;
		ret = 0;
	}
	rc->json_root = NULL;
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

int
blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Element idx of a streamed array: text[0..len) at line, col of the file. */
static int
json_stream_item(struct row_ctx *rc, const char *text, size_t len, long line, long col, long idx,
		 struct ic_error *err)
{
	struct json_piece at = { 0, line, col };
	struct csv_record fake = { NULL, 0, line, 0 };
	const char *end = NULL;
	cJSON *v;
	int ret;

	if (json_scan_pieces(rc->in->name, &at, 1, text, len, err) != 0)
		return -1;
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v == NULL || end < text || end > text + len || !blank_text(end, len - (size_t)(end - text))) {
		const char *e = v ? end : cJSON_GetErrorPtr();
		size_t off = e && e >= text && e <= text + len ? (size_t)(e - text) : 0;
		long l, c;
		while (v && off < len && blank_text(text + off, 1))
			off++;	/* at what follows the element */
		cJSON_Delete(v);
		json_pos_pieces(text, off, &at, 1, &l, &c);
		return ic_error_at(err, rc->in->name, l, c, "invalid JSON");
	}
	rc->rec = &fake;
	ret = price_import_json_item(rc->pi, v, idx, err);
	rc->rec = NULL;
	cJSON_Delete(v);
	return ret;
}

/*
 * Would the document whose bytes doc[0..n) end with the first element of
 * its first array member (opened at doc[arr], named doc[key..key+klen))
 * be read by a price list that reads that array one element at a time?
 * Detected on the document cut there ({...members before, "NAME": [first
 * element]}), as the whole would be.  1 yes (importer opened), 0 no, -1
 * error.
 */
static int
json_streams(struct row_ctx *rc, const char *doc, size_t arr, size_t key, size_t klen,
	     const char *item, size_t ilen, struct ic_error *err)
{
	const struct importer *imp;
	char *mini = malloc(arr + 1 + ilen + 3);
	cJSON *v;
	int ret = 0;

	if (mini == NULL)
		return ic_errorf(err, "out of memory");
	memcpy(mini, doc, arr + 1);
	memcpy(mini + arr + 1, item, ilen);
	memcpy(mini + arr + 1 + ilen, "]}", 3);
	v = cJSON_ParseWithLengthOpts(mini, arr + ilen + 3, NULL, 0);
	free(mini);
	if (v == NULL)
		return 0;	/* read whole: the parser says what is wrong */
	imp = rc->s->opts.as ? importer_find(rc->s->opts.as) : importer_detect_json(v);
	if (imp != NULL && imp->kind == KIND_PRICES && imp->prices->json_item &&
	    strlen(imp->prices->json_items) == klen &&
	    memcmp(imp->prices->json_items, doc + key, klen) == 0)
		ret = json_open(rc, v, 1, err) == 0 ? 1 : -1;
	cJSON_Delete(v);
	return ret;
}

/*
 * One more read of a streamed JSON document into *bufp[0..*len) (capacity
 * *cap; *base is the file offset of buf[0]).  keep >= 0: the file offset
 * before which nothing is needed any more, dropped when that is worth a
 * move; keep < 0: the whole document is kept (not streaming yet), and
 * growing past JSON_DOC_MAX is the document's error rather than that of
 * the `what` (element, member) starting at line:col.  *eof set at the end
 * of the input.  The buffer may move (*bufp).  Returns 0, or -1 with err
 * set.
 */
int
stream_refill(struct input *in, char **bufp, size_t *len, size_t *cap, long long *base,
	      long long keep, const char *what, long line, long col, int *eof,
	      struct ic_error *err)
{
	char *buf = *bufp;
	ssize_t got;

	if (keep >= 0) {
		size_t drop = (size_t)(keep - *base);
		if (drop > 0 && (drop >= *len / 2 || *cap - *len < 65536)) {
			memmove(buf, buf + drop, *len - drop);
			*len -= drop;
			*base += (long long)drop;
		}
	}
	if (*cap - *len < 65536) {
		size_t ncap = *cap * 2;
		char *nb;
		if (ncap > JSON_DOC_MAX + (1 << 20)) {
			if (keep >= 0)
				return ic_error_at(err, in->name, line, col, "JSON %s larger than %u MiB",
						   what, JSON_DOC_MAX >> 20);
			return ic_error_at(err, in->name, 1, 0, "JSON document (use JSON lines for big"
					   " exports) larger than %u MiB", JSON_DOC_MAX >> 20);
		}
		if ((nb = realloc(buf, ncap)) == NULL)
			return ic_errorf(err, "out of memory");
		*bufp = buf = nb;
		*cap = ncap;
	}
	if ((got = input_read(in, buf + *len, *cap - *len - 1, err)) < 0)
		return -1;
	*len += (size_t)got;
	*eof = got == 0;
	return 0;
}

/*
 * The rest of a JSON document (not JSON lines) from buf[start..len), the
 * first bytes read; eof: the input is at its end.  A price list whose
 * format reads its big array one element at a time (GCP's skus[]) is read
 * as a stream: each element parsed alone and dropped, so memory is
 * bounded by the largest element, not the file; what surrounds the array
 * (at most JSON_SKELETON_MAX bytes) is checked as a document with the
 * array's contents left out.  Returns 0 when it read the document that
 * way, -1 with err set, or 1 when the document does not stream: then
 * nothing is dropped, buf[start..*lenp) holds what was read (more than
 * before, maybe all: *eofp) and the caller reads it as before.  *bufp and
 * *capp may change (the caller frees the buffer).
 */
int
json_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp, size_t *capp,
	      size_t start, int *eofp, struct ic_error *err)
{
	char *buf = *bufp, *skel = NULL;
	size_t len = *lenp, cap = *capp;
	int eof = *eofp;
	struct json_split sp;
	struct json_piece pieces[2];
	long long base = -(long long)start, arr = -1, key = 0, klen = 0, tail_from = -1;
	size_t skel_len = 0;
	int streaming = 0, ret = -1;	/* 0 undecided, 1 streaming, -1 read whole */
	long idx = 0;

	json_split_init(&sp);
	for (;;) {
		while (streaming >= 0 && tail_from < 0) {
			enum json_split_event ev = json_split_next(&sp, buf, base, len);
			if (ev == JS_MORE)
				break;
			if (ev == JS_NONE) {
				streaming = -1;
			} else if (ev == JS_ARRAY && streaming == 0) {
				arr = sp.at;
				key = sp.key_at;
				klen = sp.key_len;
			} else if (ev == JS_CLOSE && streaming == 0) {
				streaming = -1;	/* empty: nothing to gain */
			} else if (ev == JS_ITEM) {
				if (streaming == 0) {
					int r = json_streams(rc, buf + start, (size_t)arr, (size_t)key, (size_t)klen,
							     buf + (sp.at - base), (size_t)(sp.end - sp.at), err);
					if (r < 0)
						goto out;
					if (r == 0) {
						streaming = -1;
						break;
					}
					streaming = 1;
					skel = malloc(JSON_SKELETON_MAX + 2);
					if (skel == NULL) {
						ic_errorf(err, "out of memory");
						goto out;
					}
					if ((size_t)arr + 1 > JSON_SKELETON_MAX) {
						char q[IC_QUOTE_SIZE];
						ic_error_at(err, in->name, 1, 1, "JSON before the %s array larger than %u KiB",
							    ic_quote(buf + (key - base), (size_t)klen, 60, q),
							    JSON_SKELETON_MAX >> 10);
						goto out;
					}
					memcpy(skel, buf + start, (size_t)arr + 1);
					skel_len = (size_t)arr + 1;
				}
				if (json_stream_item(rc, buf + (sp.at - base), (size_t)(sp.end - sp.at),
						     sp.line, sp.col, idx++, err) != 0)
					goto out;
			} else if (ev == JS_CLOSE) {
				/* the skeleton goes on with the ']', at its place in the file */
				pieces[0] = (struct json_piece){ 0, 1, 1 };
				pieces[1] = (struct json_piece){ skel_len, sp.line, sp.col };
				tail_from = sp.at;
			}
		}
		if (streaming < 0) {
			ret = 1;	/* nothing dropped: the caller reads it whole */
			goto out;
		}
		if (tail_from >= 0) {
			size_t n = (size_t)(base + (long long)len - tail_from);
			if (skel_len + n > JSON_SKELETON_MAX) {
				char q[IC_QUOTE_SIZE];
				ic_error_at(err, in->name, sp.line, sp.col, "JSON after the %s array larger than %u KiB",
					    ic_quote(skel + key, (size_t)klen, 60, q), JSON_SKELETON_MAX >> 10);
				goto out;
			}
			memcpy(skel + skel_len, buf + (tail_from - base), n);
			skel_len += n;
			tail_from += (long long)n;
		}
		if (eof) {
			if (streaming == 0) {
				ret = 1;
				goto out;
			}
			break;
		}
		if (stream_refill(in, bufp, &len, &cap, &base,
				  streaming == 1 ? (tail_from >= 0 ? tail_from : json_split_keep(&sp)) : -1,
				  "element", sp.item_line, sp.item_col, &eof, err) != 0)
			goto out;
		buf = *bufp;
	}
	if (tail_from < 0) {
		char q[IC_QUOTE_SIZE];
		ic_error_at(err, in->name, sp.cur_line, (long)(sp.pos - sp.line_start) + 1,
			    "invalid JSON (the file ends inside the %s array)",
			    ic_quote(skel + key, (size_t)klen, 60, q));
		goto out;
	}
	if (json_scan_pieces(in->name, pieces, 2, skel, skel_len, err) != 0)
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
			json_pos_pieces(skel, off, pieces, 2, &l, &c);
			ic_error_at(err, in->name, l, c, v ? "a price list is one JSON document, not JSON lines"
							   : "invalid JSON");
			cJSON_Delete(v);
			goto out;
		}
		cJSON_Delete(v);
	}
	rc->records++;
	ret = 0;
out:
	*lenp = len;
	*capp = cap;
	*eofp = eof;
	free(skel);
	return ret;
}
