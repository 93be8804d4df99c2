/*
 * billutil.c - helpers shared by the cloud bill and metric importers (see
 * billutil.h): header normalization, JSON values, Python literals, tags,
 * prepaid-order spreading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "common/timeparse.h"
#include "importers/billutil.h"

/* ---- header names ---- */

static int
starts(const char *s, const char *e, const char *pfx)
{
	size_t n = strlen(pfx);
	return (size_t)(e - s) >= n && memcmp(s, pfx, n) == 0;
}

static int
ends(const char *s, const char *e, const char *sfx)
{
	size_t n = strlen(sfx);
	return (size_t)(e - s) >= n && memcmp(e - n, sfx, n) == 0;
}

static void
trim_name(const char **ps, const char **pe)
{
	const char *s = *ps, *e = *pe;

	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t'))
			s++;
		else if (starts(s, e, "\xe3\x80\x80") || starts(s, e, "\xef\xbb\xbf"))
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (ends(s, e, "\xe3\x80\x80"))
			e -= 3;
		else
			break;
	}
	*ps = s;
	*pe = e;
}

/* Drop a trailing "(...)" or "（...）" unit suffix. */
static void
drop_suffix(const char *s, const char **pe)
{
	const char *e = *pe, *p;

	if (e > s && e[-1] == ')') {
		for (p = e - 1; p > s; p--)
			if (p[-1] == '(') {
				*pe = p - 1;
				return;
			}
	} else if (ends(s, e, "\xef\xbc\x89")) {	/* ） */
		for (p = e - 3; p - 3 >= s; p--)
			if (memcmp(p - 3, "\xef\xbc\x88", 3) == 0) {	/* （ */
				*pe = p - 3;
				return;
			}
	}
}

int
bu_hdr_find_norm(const struct header *h, const char *const *names)
{
	for (; *names; names++) {
		size_t want = strlen(*names);
		for (int i = 0; i < h->n; i++) {
			const char *s = h->f[i].s, *e = s + h->f[i].len;
			trim_name(&s, &e);
			if ((size_t)(e - s) != want) {
				drop_suffix(s, &e);
				trim_name(&s, &e);
			}
			if ((size_t)(e - s) == want && strncasecmp(s, *names, want) == 0)
				return i;
		}
	}
	return -1;
}

/* ---- JSON values ---- */

const cJSON *
bu_jpath(const cJSON *obj, const char *path)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = json_path(obj, path);
	if (v == NULL && strchr(path, '.'))
		v = cJSON_GetObjectItemCaseSensitive(obj, path);
	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	return v;
}

/* Shortest text that reads back as d (at most 17 digits). */
static void
dbl_text(double d, char *buf, size_t n)
{
	for (int p = 15; p <= 17; p++) {
		double back;
		snprintf(buf, n, "%.*g", p, d);
		if (number_parse(buf, strlen(buf), &back) == NUM_OK && back == d)
			return;
	}
}

int
bu_json_scalar(const cJSON *v, char *buf, size_t n, struct str *out)
{
	out->s = "";
	out->len = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v)) {
		*out = str_c(v->valuestring);
		return 0;
	}
	if (cJSON_IsNumber(v)) {
		dbl_text(v->valuedouble, buf, n);
		*out = str_c(buf);
		return 0;
	}
	if (cJSON_IsBool(v)) {
		*out = str_c(cJSON_IsTrue(v) ? "true" : "false");
		return 0;
	}
	return -1;
}

enum num_status
bu_json_money(const cJSON *v, int64_t *out)
{
	char buf[64];

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return NUM_NULL;
	if (cJSON_IsString(v))
		return money_parse(v->valuestring, strlen(v->valuestring), out);
	if (cJSON_IsNumber(v)) {
		dbl_text(v->valuedouble, buf, sizeof buf);
		return money_parse(buf, strlen(buf), out);
	}
	return NUM_SYNTAX;
}

enum num_status
bu_json_number(const cJSON *v, double *out)
{
	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return NUM_NULL;
	if (cJSON_IsString(v))
		return number_parse(v->valuestring, strlen(v->valuestring), out);
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return NUM_OK;
	}
	return NUM_SYNTAX;
}

/* ---- Python literals ---- */

struct py {
	const char *p, *e;
	int depth;
};

static void
py_ws(struct py *x)
{
	while (x->p < x->e && (*x->p == ' ' || *x->p == '\t' || *x->p == '\r' || *x->p == '\n'))
		x->p++;
}

static int
py_word(struct py *x, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(x->e - x->p) >= n && memcmp(x->p, w, n) == 0) {
		x->p += n;
		return 1;
	}
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static size_t
put_utf8(unsigned long cp, char *o)
{
	if (cp < 0x80) { o[0] = (char)cp; return 1; }
	if (cp < 0x800) { o[0] = (char)(0xc0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 63));
		o[2] = (char)(0x80 | (cp & 63)); return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 63));
	o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63));
	return 4;
}

/* A quoted string at x->p into a malloc'd NUL-terminated buffer. */
static char *
py_string(struct py *x)
{
	char q = *x->p++;
	size_t cap = (size_t)(x->e - x->p) + 1, o = 0;
	char *out = malloc(cap + 4);

	if (out == NULL)
		return NULL;
	while (x->p < x->e && *x->p != q) {
		char c = *x->p++;
		if (c != '\\') {
			if (c == '\0')
				goto bad;
			out[o++] = c;
			continue;
		}
		if (x->p >= x->e)
			goto bad;
		c = *x->p++;
		switch (c) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case '/': case '\\': case '\'': case '"': out[o++] = c; break;
		case 'x': case 'u': case 'U': {
			int nd = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			unsigned long cp = 0;
			if (x->e - x->p < nd)
				goto bad;
			for (int i = 0; i < nd; i++) {
				int h = hexval(x->p[i]);
				if (h < 0)
					goto bad;
				cp = cp * 16 + (unsigned long)h;
			}
			x->p += nd;
			if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				goto bad;
			/* an escape of n >= 4 input bytes yields at most 4 */
			o += put_utf8(cp, out + o);
			break;
		}
		default:
			goto bad;
		}
	}
	if (x->p >= x->e)
		goto bad;
	x->p++;
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static cJSON *py_value(struct py *x);

static cJSON *
py_container(struct py *x, char close, int is_dict)
{
	cJSON *c = is_dict ? cJSON_CreateObject() : cJSON_CreateArray();

	if (c == NULL)
		return NULL;
	x->p++;
	py_ws(x);
	if (x->p < x->e && *x->p == close) {
		x->p++;
		return c;
	}
	for (;;) {
		char *key = NULL;
		cJSON *v;

		py_ws(x);
		if (is_dict) {
			if (x->p >= x->e || (*x->p != '\'' && *x->p != '"'))
				goto bad;
			key = py_string(x);
			if (key == NULL)
				goto bad;
			py_ws(x);
			if (x->p >= x->e || *x->p != ':') {
				free(key);
				goto bad;
			}
			x->p++;
		}
		v = py_value(x);
		if (v == NULL) {
			free(key);
			goto bad;
		}
		if (is_dict)
			cJSON_AddItemToObject(c, key, v);
		else
			cJSON_AddItemToArray(c, v);
		free(key);
		py_ws(x);
		if (x->p < x->e && *x->p == ',') {
			x->p++;
			py_ws(x);
			if (x->p < x->e && *x->p == close) {	/* trailing comma */
				x->p++;
				return c;
			}
			continue;
		}
		if (x->p < x->e && *x->p == close) {
			x->p++;
			return c;
		}
		goto bad;
	}
bad:
	cJSON_Delete(c);
	return NULL;
}

static cJSON *
py_value(struct py *x)
{
	cJSON *v = NULL;

	py_ws(x);
	if (x->p >= x->e || ++x->depth > 64)
		return NULL;
	switch (*x->p) {
	case '{':
		v = py_container(x, '}', 1);
		break;
	case '[':
		v = py_container(x, ']', 0);
		break;
	case '(':
		v = py_container(x, ')', 0);
		break;
	case '\'':
	case '"': {
		char *s = py_string(x);
		if (s) {
			v = cJSON_CreateString(s);
			free(s);
		}
		break;
	}
	default:
		if (py_word(x, "None") || py_word(x, "null"))
			v = cJSON_CreateNull();
		else if (py_word(x, "True") || py_word(x, "true"))
			v = cJSON_CreateTrue();
		else if (py_word(x, "False") || py_word(x, "false"))
			v = cJSON_CreateFalse();
		else {
			const char *s = x->p;
			char buf[64];
			double d;
			while (x->p < x->e && strchr("+-.0123456789eE", *x->p))
				x->p++;
			if (x->p == s || (size_t)(x->p - s) >= sizeof buf ||
			    number_parse(s, (size_t)(x->p - s), &d) != NUM_OK)
				break;
			memcpy(buf, s, (size_t)(x->p - s));
			buf[x->p - s] = '\0';
			v = cJSON_CreateString(buf);
		}
	}
	x->depth--;
	return v;
}

cJSON *
bu_pyjson_parse(const char *s, size_t len)
{
	struct py x = { s, s + len, 0 };
	cJSON *v = py_value(&x);

	if (v == NULL)
		return NULL;
	py_ws(&x);
	if (x.p != x.e) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* ---- tags ---- */

int
bu_tags_kv_append(struct jsonbuf *b, const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	int n = 0;

	while (p < e) {
		const char *q = p, *sep = NULL, *ke, *vs, *ve;
		size_t seplen = 0;
		/* item ends at ';' or '；' */
		while (q < e && *q != ';' && !starts(q, e, "\xef\xbc\x9b"))
			q++;
		for (const char *t = p; t < q; t++) {
			if (*t == ':' || *t == '=') {
				sep = t;
				seplen = 1;
				break;
			}
			if (starts(t, q, "\xef\xbc\x9a")) {	/* ： */
				sep = t;
				seplen = 3;
				break;
			}
		}
		ke = sep ? sep : q;
		vs = sep ? sep + seplen : q;
		ve = q;
		{
			const char *ks = p;
			trim_name(&ks, &ke);
			trim_name(&vs, &ve);
			if (ke > ks) {
				jb_pair(b, ks, (size_t)(ke - ks), vs, (size_t)(ve - vs));
				n++;
			}
		}
		p = q;
		if (p < e)
			p += *p == ';' ? 1 : 3;
	}
	return n;
}

int
bu_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + need > len)
			return 0;
		if (c == 0xe0) lo = 0xa0;
		else if (c == 0xed) hi = 0x9f;
		else if (c == 0xf0) lo = 0x90;
		else if (c == 0xf4) hi = 0x8f;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < need; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += need;
	}
	return 1;
}

/* Append ".name" to path[len..n) with every byte that is not printable
 * ASCII written as \xNN, so an error path is one line of plain text
 * whatever the member names hold.  Returns the bytes written. */
static int
append_name(char *path, size_t n, size_t len, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = len;

	if (len && o + 1 < n)
		path[o++] = '.';
	for (; *name && o + 4 < n; name++) {
		unsigned char c = (unsigned char)*name;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			path[o++] = (char)c;
		} else {
			path[o++] = '\\';
			path[o++] = 'x';
			path[o++] = hex[c >> 4];
			path[o++] = hex[c & 15];
		}
	}
	path[o < n ? o : n - 1] = '\0';
	return (int)(o - len);
}

static int
utf8_walk(const cJSON *v, char *path, size_t n, size_t len)
{
	const cJSON *c;
	long i = 0;

	if (cJSON_IsString(v) && v->valuestring &&
	    !bu_utf8_valid(v->valuestring, strlen(v->valuestring)))
		return -1;
	for (c = v ? v->child : NULL; c; c = c->next, i++) {
		size_t k = len;
		int w;
		if (cJSON_IsObject(v))
			w = append_name(path, n, len, c->string ? c->string : "");
		else
			w = snprintf(path + len, n - len, "[%ld]", i);
		if (w > 0)
			k = len + (size_t)w < n ? len + (size_t)w : n - 1;
		if (cJSON_IsObject(v) && c->string && !bu_utf8_valid(c->string, strlen(c->string)))
			return -1;
		if (utf8_walk(c, path, n, k) != 0)
			return -1;
		path[len] = '\0';
	}
	return 0;
}

int
bu_json_utf8_check(const cJSON *v, char *path, size_t n)
{
	if (n == 0)
		return -1;
	path[0] = '\0';
	return utf8_walk(v, path, n, 0);
}

/* ---- prepaid spreading ---- */

static int64_t
floor_div64(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

int64_t
bu_local_month(int64_t t, int tz)
{
	return month_start(t + tz);
}

int
bu_month_label(struct str v, int64_t *start)
{
	char buf[16];
	int64_t end, t;
	size_t n = v.len;

	while (n && (v.s[n - 1] == ' ' || v.s[n - 1] == '\t'))
		n--;
	while (n && (*v.s == ' ' || *v.s == '\t')) {
		v.s++;
		n--;
	}
	if (n == 7 && v.s[4] == '/') {
		memcpy(buf, v.s, 7);
		buf[4] = '-';
		buf[7] = '\0';
		return month_parse(buf, start, &end);
	}
	if (n == 6 || n == 7) {
		memcpy(buf, v.s, n);
		buf[n] = '\0';
		return month_parse(buf, start, &end);
	}
	if (time_parse(v.s, n, 0, &t) != NUM_OK)
		return -1;
	*start = month_start(t);
	return 0;
}

/* a * num / den rounded half away from zero; den > 0, num in [0, den]. */
static int64_t
scale(int64_t a, int64_t num, int64_t den)
{
	__int128 p = (__int128)a * num;
	__int128 q = p / den, r = p % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	return (int64_t)q;
}

static struct str
buf_str(char *buf, size_t n, const char *fmt, struct str a, const char *b)
{
	/* a is cut (whole characters) to leave room for the rest: fmt is
	 * "%.*s" and "%s" (6 bytes) around literal text */
	size_t rest = strlen(fmt) - 6 + strlen(b);
	size_t room = n - 1 > rest ? n - 1 - rest : 0;
	int k = snprintf(buf, n, fmt, (int)(a.s ? str_fit(a.s, a.len, room) : 0), a.s ? a.s : "", b);
	if (k < 0)
		k = 0;
	if ((size_t)k >= n)
		k = (int)n - 1;
	return (struct str){ buf, (size_t)k };
}

int
bu_spread_prepaid(struct row_ctx *rc, const struct charge *order, int64_t start, int64_t end,
		  int tz, struct str cd_id, const char *cd_type, struct spread_buf *sb,
		  struct ic_error *err)
{
	struct charge d;
	int64_t amount = order->billed, total = end - start, t, prev = 0;
	char month[32];

	if (rc_emit_charge(rc, order, err) != 0)
		return -1;
	if (amount == 0)
		return 0;
	if (total <= 0)
		return rc_error(rc, -1, err, "service period ends before it starts");
	if (total > (int64_t)SPREAD_MAX_DAYS * 86400)
		return rc_error(rc, -1, err, "service period of more than %d days", SPREAD_MAX_DAYS);
	d = *order;
	d.billed = 0;
	d.has_list = d.has_contracted = 0;
	d.has_consumed_qty = d.has_pricing_qty = 0;
	month_format(order->period_start, month);
	d.text[CT_BILLING_ACCOUNT] = buf_str(sb->account, sizeof sb->account, "%.*s/prepaid-%s",
					     order->text[CT_BILLING_ACCOUNT], month);
	if (!str_null(order->text[CT_CHARGE_DESCRIPTION]))
		d.text[CT_CHARGE_DESCRIPTION] = buf_str(sb->desc, sizeof sb->desc,
							"%.*s%s", order->text[CT_CHARGE_DESCRIPTION],
							" (prepaid, amortized)");
	d.text[CT_CHARGE_CATEGORY] = str_c("Usage");
	d.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
	d.text[CT_PRICING_CATEGORY] = str_c("Committed");
	d.text[CT_CD_ID] = cd_id;
	d.text[CT_CD_TYPE] = str_c(cd_type);
	d.text[CT_CD_STATUS] = str_c("Used");
	d.text[CT_CD_CATEGORY] = str_c("Usage");
	d.text[CT_X_LINE_ITEM_TYPE] = str_c("PrepaidAmortization");
	for (t = start; t < end;) {
		int64_t next = (floor_div64(t + tz, 86400) + 1) * 86400 - tz, cum;
		if (next > end)
			next = end;
		cum = scale(amount, next - start, total);
		d.effective = cum - prev;
		prev = cum;
		d.charge_start = t;
		d.charge_end = next;
		d.period_start = bu_local_month(t, tz);
		d.period_end = month_next(d.period_start);
		if (d.effective != 0 && rc_emit_charge(rc, &d, err) != 0)
			return -1;
		t = next;
	}
	return 0;
}

struct str
bu_aws_usage_instance_type(struct str ut)
{
	static const char *const kinds[] = {
		"BoxUsage", "DedicatedUsage", "SpotUsage", "HostBoxUsage", "UnusedBox", "UnusedDed",
	};
	struct str none = { NULL, 0 }, t;
	const char *colon, *dash, *kind;
	size_t klen;
	int known = 0, dot = 0;

	if (str_null(ut))
		return none;
	colon = memchr(ut.s, ':', ut.len);
	if (colon == NULL)
		return none;
	/* an optional region prefix ("USE1-") before the kind */
	kind = ut.s;
	dash = memchr(ut.s, '-', (size_t)(colon - ut.s));
	if (dash)
		kind = dash + 1;
	klen = (size_t)(colon - kind);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i]) == klen && strncmp(kind, kinds[i], klen) == 0)
			known = 1;
	t.s = colon + 1;
	t.len = ut.len - (size_t)(t.s - ut.s);
	if (!known || t.len == 0 || t.len > 63)
		return none;
	/* family.size: lower-case letters, digits, '-', one dot at least */
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.s[i];
		if (ch == '.')
			dot = 1;
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return none;
	}
	return dot && t.s[0] != '.' && t.s[t.len - 1] != '.' ? t : none;
}

const char *
bu_aws_platform_of_operation(struct str op)
{
	static const struct { const char *op, *os; } map[] = {
		{ "RunInstances", "Linux/UNIX" }, { "RunInstances:0002", "Windows" },
		{ "RunInstances:0010", "RHEL" }, { "RunInstances:000g", "SUSE" },
		{ "RunInstances:0006", "Windows with SQL Server Standard" },
		{ "RunInstances:0102", "Windows with SQL Server Enterprise" },
		{ "RunInstances:0202", "Windows with SQL Web" },
		{ "RunInstances:0004", "Linux with SQL Server Standard" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(op, map[i].op))
			return map[i].os;
	return NULL;
}
