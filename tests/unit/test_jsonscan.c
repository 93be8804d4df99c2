/*
 * test_jsonscan.c - common/jsonscan.c: duplicate keys (plain, escaped,
 * behind a NUL, in big objects), nesting depth, non-finite numbers,
 * strings that are not UTF-8, the
 * positions in its messages, and json_value_offset against a preorder
 * walk of cJSON's tree; the accessors of common/jsonget.c; and the
 * streaming splitter (json_split_*), fed whole and one byte at a time,
 * and positions through json_piece.
 */
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "common/jsonscan.h"

static const char *
scan(const char *text)
{
	static struct ic_error err;

	memset(&err, 0, sizeof err);
	if (json_scan("t.json", 1, text, strlen(text), &err) == 0)
		return "ok";
	return err.msg;
}

START_TEST(test_clean)
{
	ck_assert_str_eq(scan("{\"a\": 1, \"b\": {\"a\": 2}, \"c\": [{\"a\": 3}, {\"a\": 4}]}"), "ok");
	ck_assert_str_eq(scan("[1e308, -2.5E-400, 0, \"1e400\", {\"1e400\": 1}]"), "ok");
	ck_assert_str_eq(scan("{\"a\": \"}\", \"b\": \"\\\"a\\\"\"}"), "ok");
	ck_assert_str_eq(scan("not json at all }]"), "ok");	/* left to the parser */
}
END_TEST

START_TEST(test_duplicates)
{
	ck_assert_str_eq(scan("{\"a\": 1,\n \"a\": 2}"),
			 "t.json:2:2: duplicate key \"a\" (first at line 1, column 2)");
	ck_assert_str_eq(scan("{\"x\": {\"k\": 1, \"\\u006b\": 2}}"),
			 "t.json:1:16: duplicate key \"k\" (first at line 1, column 8)");
	/* cJSON's keys are C strings: "k\u0000z" is "k" */
	ck_assert_str_eq(scan("{\"k\\u0000z\": 1, \"k\": 2}"),
			 "t.json:1:17: duplicate key \"k\" (first at line 1, column 2)");
	/* the earliest repeat of a big object, found by sorting */
	{
		char buf[4096];
		size_t n = 0;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "{");
		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "\"k%02d\":%d,", i, i);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "\"k07\":1,\"k03\":2}");
		/* columns: "{" + 10 pairs of 8 bytes + 90 of 9 = 891 bytes
		 * before the repeat; the first "k07" after 1 + 7 * 8 */
		ck_assert_str_eq(scan(buf), "t.json:1:892: duplicate key \"k07\" (first at line 1, column 58)");
	}
}
END_TEST

START_TEST(test_depth_and_numbers)
{
	char deep[600];

	memset(deep, '[', 300);
	memset(deep + 300, ']', 300);
	deep[599] = '\0';
	ck_assert_str_eq(scan(deep), "t.json:1:257: nesting deeper than 256 levels");
	ck_assert_str_eq(scan("[1,\n  -1e999]"), "t.json:2:3: number -1e999 is out of range (not a finite double)");
}
END_TEST

static void
preorder(const cJSON *v, const char *text, long *k)
{
	long off = json_value_offset(text, strlen(text), *k);
	char first = cJSON_IsObject(v) ? '{' : cJSON_IsArray(v) ? '[' : cJSON_IsString(v) ? '"' :
		     cJSON_IsNumber(v) ? '\0' : cJSON_IsTrue(v) ? 't' : cJSON_IsFalse(v) ? 'f' : 'n';

	ck_assert_int_ge(off, 0);
	if (first)
		ck_assert_int_eq(text[off], first);
	else
		ck_assert(strchr("-0123456789", text[off]) != NULL);
	++*k;
	for (const cJSON *c = v->child; c; c = c->next)
		preorder(c, text, k);
}

START_TEST(test_utf8)
{
	/* valid multi-byte text in keys and values passes */
	ck_assert_str_eq(scan("{\"\xe5\x8c\x97\xe4\xba\xac\": \"\xf0\x9f\x98\x80" " caf\xc3\xa9\"}"), "ok");
	/* a stray byte, a cut sequence, an overlong form and a surrogate */
	ck_assert_str_eq(scan("{\"a\": \"2026-10-\xff" "01\"}"),
			 "t.json:1:16: invalid UTF-8 byte 0xff in a string (JSON text must be UTF-8)");
	ck_assert_str_eq(scan("{\"a\xe5\x8c\": 1}"),
			 "t.json:1:4: invalid UTF-8 byte 0xe5 in a string (JSON text must be UTF-8)");
	ck_assert_str_eq(scan("[\"\xc0\xaf\"]"),
			 "t.json:1:3: invalid UTF-8 byte 0xc0 in a string (JSON text must be UTF-8)");
	ck_assert_str_eq(scan("[\"ok\", \"\xed\xa0\x80\"]"),
			 "t.json:1:9: invalid UTF-8 byte 0xed in a string (JSON text must be UTF-8)");
}
END_TEST

START_TEST(test_value_offset)
{
	const char *text = "{\"a\": [1, {\"b\": \"x,]}\"}, true], \"c\": {\"d\": null, \"e\": -2.5},"
			   " \"f\": [[], {}], \"g\": false}";
	cJSON *v = cJSON_Parse(text);
	long k = 0;

	ck_assert_ptr_nonnull(v);
	preorder(v, text, &k);
	ck_assert_int_eq(k, 13);
	ck_assert_int_eq(json_value_offset(text, strlen(text), k), -1);
	cJSON_Delete(v);
}
END_TEST

START_TEST(test_accessors)
{
	cJSON *v = cJSON_Parse("{\"a\": {\"b\": {\"c\": \"deep\"}, \"n\": null, \"e\": \"\","
			       " \"x\": 1}, \"a.b\": \"flat\", \"arr\": [\"s\"], \"s\": \"str\"}");
	char longkey[200];
	const cJSON *a;

	ck_assert_ptr_nonnull(v);
	a = cJSON_GetObjectItemCaseSensitive(v, "a");
	/* json_str: strings only, NULL for anything else and for non-objects */
	ck_assert_str_eq(json_str(v, "s"), "str");
	ck_assert_str_eq(json_str(a, "e"), "");
	ck_assert_ptr_null(json_str(a, "x"));
	ck_assert_ptr_null(json_str(a, "n"));
	ck_assert_ptr_null(json_str(a, "missing"));
	ck_assert_ptr_null(json_str(NULL, "s"));
	ck_assert_ptr_null(json_str(cJSON_GetObjectItemCaseSensitive(v, "arr"), "s"));
	ck_assert_ptr_null(json_str(cJSON_GetObjectItemCaseSensitive(v, "s"), "s"));
	/* json_str_set: the empty string is absent too */
	ck_assert_ptr_null(json_str_set(a, "e"));
	ck_assert_str_eq(json_str_set(v, "s"), "str");
	/* json_path: segments through objects, null kept, no flat-key fallback */
	ck_assert_str_eq(json_path(v, "a.b.c")->valuestring, "deep");
	ck_assert_ptr_eq(json_path(v, ""), v);
	ck_assert(cJSON_IsNull(json_path(v, "a.n")));
	ck_assert_ptr_null(json_path(v, "a.x.y"));
	ck_assert_ptr_null(json_path(v, "arr.0"));
	ck_assert_ptr_null(json_path(v, "a.missing"));
	ck_assert_ptr_null(json_path(NULL, "a"));
	ck_assert(cJSON_IsObject(json_path(v, "a.b")));
	memset(longkey, 'k', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	ck_assert_ptr_null(json_path(v, longkey));
	cJSON_Delete(v);
}
END_TEST

/* Run the splitter over doc fed `step` bytes at a time; write each event
 * to out as "A<key>" / "I<text>@L:C" / "C@L:C" / "N", separated by '|'. */
static void
split_events(const char *doc, size_t step, char *out, size_t n)
{
	struct json_split sp;
	size_t len = strlen(doc), have = 0, o = 0;

	json_split_init(&sp);
	out[0] = '\0';
	for (;;) {
		enum json_split_event e = json_split_next(&sp, doc, 0, have);
		if (e == JS_MORE) {
			if (have == len)
				break;
			have = have + step > len ? len : have + step;
			continue;
		}
		if (e == JS_ARRAY)
			o += (size_t)snprintf(out + o, n - o, "A%.*s|", (int)sp.key_len, doc + sp.key_at);
		else if (e == JS_ITEM)
			o += (size_t)snprintf(out + o, n - o, "I%.*s@%ld:%ld|", (int)(sp.end - sp.at),
					      doc + sp.at, sp.line, sp.col);
		else if (e == JS_CLOSE)
			o += (size_t)snprintf(out + o, n - o, "C@%ld:%ld|", sp.line, sp.col);
		else
			o += (size_t)snprintf(out + o, n - o, "N|");
		/* the splitter never needs bytes before what it says to keep */
		ck_assert(json_split_keep(&sp) <= (long long)have);
		if (e == JS_CLOSE || e == JS_NONE)
			break;
	}
}

START_TEST(test_split)
{
	static const struct {
		const char *doc, *want;
	} c[] = {
		{ "{\"n\": {\"skus\": [9]}, \"a\": \"x[\", \"skus\": [ {\"b\": \"]\\\"\"} ,\n  [1, 2], 3 ], \"t\": 1}",
		  "Askus|I{\"b\": \"]\\\"\"}@1:43|I[1, 2]@2:3|I3@2:11|C@2:13|" },
		{ "{\"skus\": []}", "Askus|C@1:11|" },
		{ "{\"skus\": [1,,2,]}", "Askus|I1@1:11|I@1:13|I2@1:14|I@1:16|C@1:16|" },
		{ "[{\"skus\": [1]}]", "N|" },
		{ "{\"a\": 1}", "N|" },
		{ "{\"a\": [\n\"x\"\n]}", "Aa|I\"x\"@2:1|C@3:1|" },
	};
	char whole[512], bytes[512];

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		split_events(c[i].doc, strlen(c[i].doc), whole, sizeof whole);
		split_events(c[i].doc, 1, bytes, sizeof bytes);
		ck_assert_str_eq(whole, c[i].want);
		ck_assert_str_eq(bytes, c[i].want);
	}
}
END_TEST

/* As split_events, for the object-member splitter over paths: "O<which>"
 * / "I<text>@L:C" / "C@L:C" / "E" (the document closed) / "N". */
static void
osplit_events(const char *doc, size_t step, char *out, size_t n)
{
	static const char *const paths[] = { "products", "terms.*", NULL };
	struct json_osplit sp;
	size_t len = strlen(doc), have = 0, o = 0;

	json_osplit_init(&sp, paths, 1 << 20);
	out[0] = '\0';
	for (int guard = 0; guard < 200; guard++) {
		enum json_split_event e = json_osplit_next(&sp, doc, 0, have);
		if (e == JS_MORE) {
			if (have == len)
				break;
			have = have + step > len ? len : have + step;
			continue;
		}
		if (e == JS_ARRAY)
			o += (size_t)snprintf(out + o, n - o, "O%d@%ld:%ld|", sp.which, sp.line, sp.col);
		else if (e == JS_ITEM)
			o += (size_t)snprintf(out + o, n - o, "I%.*s@%ld:%ld|", (int)(sp.end - sp.at),
					      doc + sp.at, sp.line, sp.col);
		else if (e == JS_CLOSE && sp.done)
			o += (size_t)snprintf(out + o, n - o, "E@%lld|", sp.at);
		else if (e == JS_CLOSE)
			o += (size_t)snprintf(out + o, n - o, "C@%ld:%ld|", sp.line, sp.col);
		else
			o += (size_t)snprintf(out + o, n - o, "N|");
		ck_assert(json_osplit_keep(&sp) <= (long long)have);
		if (e == JS_NONE || sp.done)
			break;
	}
}

START_TEST(test_osplit)
{
	static const struct {
		const char *doc, *want;
	} c[] = {
		{ "{\"v\": 1, \"products\": {\"A\": {\"x\": \"}\"}, \"B\" : [1,{}] },\n"
		  " \"terms\": {\"OnDemand\": {\"A\": {}}, \"R\": {}}, \"z\": {\"products\": {\"q\": 1}}}",
		  "O0@1:22|I\"A\": {\"x\": \"}\"}@1:23|I\"B\" : [1,{}] @1:40|C@1:53|"
		  "O1@2:24|I\"A\": {}@2:25|C@2:32|O1@2:40|C@2:41|E@126|" },
		{ "{\"products\": {,}}", "O0@1:14|I@1:15|I@1:16|C@1:16|E@16|" },
		{ "{\"products\": {\"a\":1,}}", "O0@1:14|I\"a\":1@1:15|I@1:21|C@1:21|E@21|" },
		{ "{\"skus\": [1], \"products\": {}}", "N|" },
		{ "[1]", "N|" },
		{ "{\"a\": {\"products\": {\"x\": 1}}, \"pro\\\"ducts\": {}}", "E@46|" },
		{ "{\"products\": 1, \"terms\": {\"x\": {\"k\": \"\\\"{\"\n}}}",
		  "O1@1:32|I\"k\": \"\\\"{\"\n@1:33|C@2:1|E@45|" },
	};
	char whole[1024], bytes[1024];

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		osplit_events(c[i].doc, strlen(c[i].doc), whole, sizeof whole);
		osplit_events(c[i].doc, 1, bytes, sizeof bytes);
		ck_assert_str_eq(whole, c[i].want);
		ck_assert_str_eq(bytes, c[i].want);
	}
}
END_TEST

START_TEST(test_pieces)
{
	/* from line 3, column 5 of a file; from the "]" on, line 9, column 2 */
	static const char text[] = "{\"a\": 1,\n \"b\": [], \"a\": 3}";
	struct json_piece p[2] = { { 0, 3, 5 }, { 16, 9, 2 } };
	struct ic_error err;
	long l, c;

	json_pos_pieces(text, 0, p, 2, &l, &c);
	ck_assert(l == 3 && c == 5);
	json_pos_pieces(text, 10, p, 2, &l, &c);	/* "b": the next line, column 2 */
	ck_assert(l == 4 && c == 2);
	json_pos_pieces(text, 19, p, 2, &l, &c);	/* the second "a": 3 bytes after "]" */
	ck_assert(l == 9 && c == 5);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(json_scan_pieces("t.json", p, 2, text, strlen(text), &err), -1);
	ck_assert_str_eq(err.msg, "t.json:9:5: duplicate key \"a\" (first at line 3, column 6)");
}
END_TEST

Suite *
jsonscan_suite(void)
{
	Suite *s = suite_create("jsonscan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clean);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_depth_and_numbers);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_value_offset);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_split);
	tcase_add_test(tc, test_pieces);
	tcase_add_test(tc, test_osplit);
	suite_add_tcase(s, tc);
	return s;
}
