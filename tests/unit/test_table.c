/*
 * test_table.c - Check unit tests for output/table.c: exact output of the
 * four formats for a table with a CJK cell, display widths, CSV quoting,
 * Markdown escaping, JSON parse-back and write errors on /dev/full.
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "output/savings.h"
#include "output/table.h"

static const struct table_col cost_cols[] = {
	{"service", "Service", CELL_TEXT, 0},
	{"billed_cost", "Billed", CELL_MONEY, 0},
	{"share", "Share", CELL_PCT, 1},
	{"count", "Count", CELL_INT, 0},
	{"hours", "Hours", CELL_NUM, 2},
};

/* Two rows: one full with a CJK service name, one with NULL cells. */
static struct table *
cost_table(void)
{
	struct table *t = table_new("Top services", cost_cols, 5);
	int r;

	ck_assert_ptr_nonnull(t);
	r = table_add_row(t);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(table_set_text(t, r, 0, "云服务器"), 0);
	ck_assert_int_eq(table_set_money(t, r, 1, 1234567891000000LL), 0);
	ck_assert_int_eq(table_set_num(t, r, 2, 0.125), 0);
	ck_assert_int_eq(table_set_int(t, r, 3, 12345), 0);
	ck_assert_int_eq(table_set_num(t, r, 4, 1.5), 0);
	r = table_add_row(t);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(table_set_text(t, r, 0, "CDN"), 0);
	ck_assert_int_eq(table_set_money(t, r, 1, -12345000000LL), 0);
	ck_assert_int_eq(table_set_num(t, r, 4, 1234.567), 0);
	ck_assert_int_eq(table_rows(t), 2);
	return t;
}

/* Render t in fmt into a malloc'd string (caller frees). */
static char *
render(const struct table *t, enum out_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(table_print(t, f, fmt), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static void
assert_output(const struct table *t, enum out_format fmt, const char *want)
{
	char *got = render(t, fmt);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_format_table)
{
	struct table *t = cost_table();

	assert_output(t, FMT_TABLE,
	    "Top services\n"
	    "Service         Billed  Share   Count     Hours\n"
	    "--------  ------------  -----  ------  --------\n"
	    "云服务器  1,234,567.89  12.5%  12,345      1.50\n"
	    "CDN             -12.35                 1,234.57\n");
	table_free(t);
}
END_TEST

START_TEST(test_format_markdown)
{
	struct table *t = cost_table();

	assert_output(t, FMT_MARKDOWN,
	    "### Top services\n"
	    "\n"
	    "| Service | Billed | Share | Count | Hours |\n"
	    "| --- | ---: | ---: | ---: | ---: |\n"
	    "| 云服务器 | 1234567.89 | 12.5% | 12345 | 1.50 |\n"
	    "| CDN | -12.35 |  |  | 1234.57 |\n");
	table_free(t);
}
END_TEST

START_TEST(test_format_csv)
{
	struct table *t = cost_table();

	assert_output(t, FMT_CSV,
	    "service,billed_cost,share,count,hours\n"
	    "云服务器,1234567.891,0.125,12345,1.50\n"
	    "CDN,-12.345,,,1234.57\n");
	table_free(t);
}
END_TEST

START_TEST(test_format_json)
{
	struct table *t = cost_table();
	char *out = render(t, FMT_JSON);
	size_t n = strlen(out);
	cJSON *doc, *row, *v;

	ck_assert_uint_gt(n, 2);
	ck_assert_int_eq(out[0], '[');
	ck_assert_int_eq(out[n - 2], ']');
	ck_assert_int_eq(out[n - 1], '\n');
	/* Money as exact numbers with up to 6 decimals, NUM with its decimals. */
	ck_assert_ptr_nonnull(strstr(out, "1234567.891"));
	ck_assert_ptr_nonnull(strstr(out, "-12.345"));
	ck_assert_ptr_nonnull(strstr(out, "1.50"));
	ck_assert_ptr_nonnull(strstr(out, "1234.57"));
	ck_assert_ptr_null(strstr(out, "1,234"));

	doc = cJSON_Parse(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert(cJSON_IsArray(doc));
	ck_assert_int_eq(cJSON_GetArraySize(doc), 2);

	row = cJSON_GetArrayItem(doc, 0);
	v = cJSON_GetObjectItemCaseSensitive(row, "service");
	ck_assert(cJSON_IsString(v));
	ck_assert_str_eq(v->valuestring, "云服务器");
	v = cJSON_GetObjectItemCaseSensitive(row, "billed_cost");
	ck_assert(cJSON_IsNumber(v));
	ck_assert_double_eq_tol(v->valuedouble, 1234567.891, 1e-7);
	v = cJSON_GetObjectItemCaseSensitive(row, "share");
	ck_assert(cJSON_IsNumber(v));
	ck_assert_double_eq_tol(v->valuedouble, 0.125, 1e-12);
	v = cJSON_GetObjectItemCaseSensitive(row, "count");
	ck_assert(cJSON_IsNumber(v));
	ck_assert_double_eq_tol(v->valuedouble, 12345.0, 1e-12);
	v = cJSON_GetObjectItemCaseSensitive(row, "hours");
	ck_assert(cJSON_IsNumber(v));
	ck_assert_double_eq_tol(v->valuedouble, 1.5, 1e-12);

	row = cJSON_GetArrayItem(doc, 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(row, "service")->valuestring, "CDN");
	v = cJSON_GetObjectItemCaseSensitive(row, "billed_cost");
	ck_assert(cJSON_IsNumber(v));
	ck_assert_double_eq_tol(v->valuedouble, -12.345, 1e-12);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "share")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "count")));
	v = cJSON_GetObjectItemCaseSensitive(row, "hours");
	ck_assert_double_eq_tol(v->valuedouble, 1234.57, 1e-9);

	cJSON_Delete(doc);
	free(out);
	table_free(t);
}
END_TEST

START_TEST(test_table_to_json_keys_in_order)
{
	struct table *t = cost_table();
	cJSON *arr = table_to_json(t), *item;
	char *text;
	int i = 0;

	ck_assert_ptr_nonnull(arr);
	cJSON_ArrayForEach(item, cJSON_GetArrayItem(arr, 0)) {
		ck_assert_str_eq(item->string, cost_cols[i].key);
		i++;
	}
	ck_assert_int_eq(i, 5);
	text = cJSON_PrintUnformatted(cJSON_GetArrayItem(arr, 1));
	ck_assert_str_eq(text, "{\"service\":\"CDN\",\"billed_cost\":-12.345,"
	    "\"share\":null,\"count\":null,\"hours\":1234.57}");
	cJSON_free(text);
	cJSON_Delete(arr);
	table_free(t);
}
END_TEST

START_TEST(test_empty_table)
{
	static const struct table_col cols[] = {
		{"a", "A", CELL_TEXT, 0}, {"b", "Bee", CELL_MONEY, 0},
	};
	struct table *t = table_new(NULL, cols, 2);

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(table_title(t));
	ck_assert_int_eq(table_rows(t), 0);
	assert_output(t, FMT_TABLE, "A  Bee\n-  ---\n");
	assert_output(t, FMT_MARKDOWN, "| A | Bee |\n| --- | ---: |\n");
	assert_output(t, FMT_CSV, "a,b\n");
	assert_output(t, FMT_JSON, "[]\n");
	table_free(t);
}
END_TEST

START_TEST(test_display_width)
{
	static const struct table_col cols[] = {
		{"name", "N", CELL_TEXT, 0}, {"n", "#", CELL_INT, 0},
	};
	struct table *t = table_new(NULL, cols, 2);

	/* e + COMBINING ACUTE is one column; 云 two; tab prints as a space. */
	table_add_row(t);
	table_set_text(t, 0, 0, "e\xcc\x81");
	table_set_int(t, 0, 1, 1);
	table_add_row(t);
	table_set_text(t, 1, 0, "ab");
	table_set_int(t, 1, 1, 22);
	table_add_row(t);
	table_set_text(t, 2, 0, "云");
	table_set_int(t, 2, 1, 333);
	table_add_row(t);
	table_set_text(t, 3, 0, "a\tb");
	table_set_int(t, 3, 1, -4);
	table_add_row(t);
	table_set_text(t, 4, 0, "ｶﾅ");	/* halfwidth katakana: narrow */
	assert_output(t, FMT_TABLE,
	    "N      #\n"
	    "---  ---\n"
	    "e\xcc\x81      1\n"
	    "ab    22\n"
	    "云   333\n"
	    "a b   -4\n"
	    "ｶﾅ      \n");
	table_free(t);
}
END_TEST

START_TEST(test_csv_quoting)
{
	static const struct table_col cols[] = {
		{"note", "Note", CELL_TEXT, 0}, {"odd,key", "K", CELL_TEXT, 0},
	};
	struct table *t = table_new("ignored", cols, 2);

	table_add_row(t);
	table_set_text(t, 0, 0, "a,b \"c\"\nd");
	table_set_text(t, 0, 1, "x\ry");
	table_add_row(t);
	table_set_text(t, 1, 0, " plain text ");
	table_set_text(t, 1, 1, "say \"hi\"");
	table_add_row(t);
	table_set_text(t, 2, 0, "");
	assert_output(t, FMT_CSV,
	    "note,\"odd,key\"\n"
	    "\"a,b \"\"c\"\"\nd\",\"x\ry\"\n"
	    " plain text ,\"say \"\"hi\"\"\"\n"
	    ",\n");
	table_free(t);
}
END_TEST

START_TEST(test_markdown_escaping)
{
	static const struct table_col cols[] = {
		{"k", "A|B", CELL_TEXT, 0}, {"v", "Cost", CELL_MONEY, 0},
	};
	struct table *t = table_new("a|b costs", cols, 2);

	table_add_row(t);
	table_set_text(t, 0, 0, "x|y\nz");
	table_set_money(t, 0, 1, 1234567000000LL);
	assert_output(t, FMT_MARKDOWN,
	    "### a|b costs\n"
	    "\n"
	    "| A\\|B | Cost |\n"
	    "| --- | ---: |\n"
	    "| x\\|y z | 1234.57 |\n");
	table_free(t);
}
END_TEST

START_TEST(test_number_cells)
{
	static const struct table_col cols[] = {
		{"i", "I", CELL_INT, 0}, {"p", "P", CELL_PCT, 2},
		{"n", "N", CELL_NUM, 0}, {"m", "M", CELL_MONEY, 0},
	};
	struct table *t = table_new(NULL, cols, 4);
	cJSON *arr, *row;

	table_add_row(t);
	table_set_int(t, 0, 0, INT64_MIN);
	table_set_num(t, 0, 1, 0.0123456789);
	table_set_num(t, 0, 2, 2.6);
	table_set_money(t, 0, 3, -4999999);	/* rounds to zero: no sign */
	table_add_row(t);
	table_set_int(t, 1, 0, INT64_MAX);
	table_set_num(t, 1, 1, NAN);
	table_set_num(t, 1, 2, INFINITY);
	table_set_money(t, 1, 3, 999);
	table_add_row(t);
	table_set_num(t, 2, 1, -0.0000001);
	table_set_num(t, 2, 2, -0.4);
	table_set_money(t, 2, 3, 12345678);
	assert_output(t, FMT_CSV,
	    "i,p,n,m\n"
	    "-9223372036854775808,0.012346,3,-0.005\n"
	    "9223372036854775807,,,0.000001\n"
	    ",0,0,0.012346\n");
	assert_output(t, FMT_MARKDOWN,
	    "| I | P | N | M |\n"
	    "| ---: | ---: | ---: | ---: |\n"
	    "| -9223372036854775808 | 1.23% | 3 | 0.00 |\n"
	    "| 9223372036854775807 |  |  | 0.00 |\n"
	    "|  | 0.00% | 0 | 0.01 |\n");
	assert_output(t, FMT_TABLE,
	    "                         I      P  N     M\n"
	    "--------------------------  -----  -  ----\n"
	    "-9,223,372,036,854,775,808  1.23%  3  0.00\n"
	    " 9,223,372,036,854,775,807            0.00\n"
	    "                            0.00%  0  0.01\n");

	arr = table_to_json(t);
	ck_assert_ptr_nonnull(arr);
	row = cJSON_GetArrayItem(arr, 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "p")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "n")));
	cJSON_Delete(arr);
	{
		char *out = render(t, FMT_JSON);
		cJSON *doc = cJSON_Parse(out);

		ck_assert_ptr_nonnull(doc);
		ck_assert_ptr_nonnull(strstr(out, "-9223372036854775808"));
		ck_assert_ptr_nonnull(strstr(out, "9223372036854775807"));
		cJSON_Delete(doc);
		free(out);
	}
	table_free(t);
}
END_TEST

START_TEST(test_invalid_utf8_replaced)
{
	static const struct table_col cols[] = {{"s", "S", CELL_TEXT, 0}};
	struct table *t = table_new(NULL, cols, 1);
	char *out;
	cJSON *doc;

	table_add_row(t);
	table_set_text(t, 0, 0, "a\xff" "b\xc0\xaf\xed\xa0\x80");
	out = render(t, FMT_JSON);
	doc = cJSON_Parse(out);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(cJSON_GetArrayItem(doc, 0)->child->valuestring,
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	cJSON_Delete(doc);
	free(out);
	table_free(t);
}
END_TEST

START_TEST(test_cells_replace_and_bounds)
{
	struct table *t = table_new("t", cost_cols, 5);

	ck_assert_int_eq(table_set_text(t, 0, 0, "x"), -1);	/* no row yet */
	ck_assert_int_eq(table_add_row(t), 0);
	ck_assert_int_eq(table_set_text(t, 0, 5, "x"), -1);
	ck_assert_int_eq(table_set_text(t, 0, -1, "x"), -1);
	ck_assert_int_eq(table_set_int(t, 1, 0, 1), -1);
	ck_assert_int_eq(table_set_money(t, -1, 1, 1), -1);
	ck_assert_int_eq(table_set_num(t, 0, 9, 1.0), -1);
	/* Overwrite text with text, then with NULL: no leak, empty cell. */
	ck_assert_int_eq(table_set_text(t, 0, 0, "first"), 0);
	ck_assert_int_eq(table_set_text(t, 0, 0, "second"), 0);
	ck_assert_int_eq(table_set_text(t, 0, 0, NULL), 0);
	ck_assert_int_eq(table_set_money(t, 0, 1, 1500000000), 0);
	assert_output(t, FMT_CSV, "service,billed_cost,share,count,hours\n,1.5,,,\n");
	ck_assert_str_eq(table_title(t), "t");
	ck_assert_ptr_null(table_new("x", NULL, 3));
	ck_assert_ptr_null(table_new("x", cost_cols, -1));
	table_free(NULL);
	table_free(t);
}
END_TEST

START_TEST(test_many_rows)
{
	static const struct table_col cols[] = {{"n", "N", CELL_INT, 0}};
	struct table *t = table_new(NULL, cols, 1);
	char *out;
	int i;

	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(table_add_row(t), i);
		table_set_int(t, i, 0, i);
	}
	ck_assert_int_eq(table_rows(t), 1000);
	out = render(t, FMT_CSV);
	ck_assert_ptr_nonnull(strstr(out, "\n998\n999\n"));
	free(out);
	table_free(t);
}
END_TEST

START_TEST(test_dev_full)
{
	static const enum out_format fmts[] = {
		FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MARKDOWN,
	};
	struct table *t = cost_table();
	size_t i;

	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		FILE *f = fopen("/dev/full", "w");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(table_print(t, f, fmts[i]), -1);
		fclose(f);
	}
	table_free(t);
}
END_TEST

START_TEST(test_json_money_and_format_parse)
{
	cJSON *j = json_money(1500000000);
	char *s = cJSON_PrintUnformatted(j);

	ck_assert_str_eq(s, "1.5");
	cJSON_free(s);
	cJSON_Delete(j);
	j = json_money(-1000);
	s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "-0.000001");
	cJSON_free(s);
	cJSON_Delete(j);
	j = json_money(INT64_MIN);
	s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "-9223372036.854776");
	cJSON_free(s);
	cJSON_Delete(j);

	ck_assert_int_eq(out_format_parse("table"), FMT_TABLE);
	ck_assert_int_eq(out_format_parse("json"), FMT_JSON);
	ck_assert_int_eq(out_format_parse("csv"), FMT_CSV);
	ck_assert_int_eq(out_format_parse("markdown"), FMT_MARKDOWN);
	ck_assert_int_eq(out_format_parse("md"), FMT_MARKDOWN);
	ck_assert_int_eq(out_format_parse("html"), -1);
	ck_assert_int_eq(out_format_parse(""), -1);
	ck_assert_int_eq(out_format_parse("jsonx"), -1);
	ck_assert_int_eq(out_format_parse(NULL), -1);
}
END_TEST

/* With a comma-decimal locale (when one is installed), output keeps '.'. */
START_TEST(test_locale_independent)
{
	static const char *names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	};
	struct table *t = cost_table();
	size_t i;
	int set = 0;

	for (i = 0; i < sizeof names / sizeof names[0] && !set; i++)
		set = setlocale(LC_ALL, names[i]) != NULL;
	assert_output(t, FMT_CSV,
	    "service,billed_cost,share,count,hours\n"
	    "云服务器,1234567.891,0.125,12345,1.50\n"
	    "CDN,-12.345,,,1234.57\n");
	setlocale(LC_ALL, "C");
	table_free(t);
}
END_TEST


/* ---- fitting a terminal, Total rows, savings (issue 18) ---- */

/* the widest line of text, in display columns */
static size_t
max_line_width(const char *text)
{
	size_t best = 0;
	char *copy = strdup(text), *save = NULL, *line;

	ck_assert_ptr_nonnull(copy);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (text_width(line) > best)
			best = text_width(line);
	free(copy);
	return best;
}

START_TEST(test_shorten_id_keeps_ends)
{
	char buf[128];
	const char *arn = "arn:aws:ec2:eu-west-1:234567890123:reserved-instances/"
			  "ab162511-02a7-4679-30a9-cb5b4a0f3628";

	text_shorten_id(arn, 30, buf, sizeof buf);
	ck_assert_uint_eq(text_width(buf), 30);
	/* "…reserved-instances/" then the id's head and tail */
	ck_assert_str_eq(buf, "\xe2\x80\xa6reserved-instances/ab162\xe2\x80\xa6" "3628");
	/* an id that fits after the last separator: the end is kept whole */
	text_shorten_id(arn, 40, buf, sizeof buf);
	ck_assert_uint_eq(text_width(buf), 40);
	ck_assert(strstr(buf, "ab162511-02a7-4679-30a9-cb5b4a0f3628") != NULL);
	/* short enough: unchanged */
	text_shorten_id("i-0abc", 30, buf, sizeof buf);
	ck_assert_str_eq(buf, "i-0abc");
	/* prose is cut at the end, CJK counted two columns */
	text_fit("\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c", 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x80\xa6");
	ck_assert_uint_le(text_width(buf), 5);
}
END_TEST

static const struct table_col fit_cols[] = {
	{ "resource_id", "Resource", CELL_TEXT, 0 },
	{ "why", "Why", CELL_TEXT, 0 },
	{ "cost", "Cost", CELL_MONEY, 0 },
	{ "count", "Count", CELL_INT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "evidence", "Evidence", CELL_TEXT, 0 },
};

static struct table *
fit_table(const char *cur2)
{
	struct table *t = table_new("Fit", fit_cols, 6);
	static const int prio[6] = { 0, 0, 0, 0, 1, 2 };

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(table_set_prio(t, prio), 0);
	ck_assert_int_eq(table_sum_col(t, 2), 0);
	ck_assert_int_eq(table_sum_col(t, 3), 0);
	for (int r = 0; r < 2; r++) {
		ck_assert_int_eq(table_add_row(t), r);
		table_set_text(t, r, 0, r ? "arn:aws:savingsplans::234567890123:savingsplan/"
			       "fd3660ec-3e69-4a61-b51b-d5e7da7f5e32" : "i-03323a84f31d946ce");
		table_set_text(t, r, 1, "CPU <= 10% and network <= 5 MB a day on 4 of 14 days");
		table_set_money(t, r, 2, r ? 1250000000LL : 2500000001LL);
		table_set_int(t, r, 3, r ? 1000 : 49032);
		table_set_text(t, r, 4, r ? cur2 : "USD");
		table_set_text(t, r, 5, "a long evidence text that only --wide shows on a narrow terminal");
	}
	return t;
}

START_TEST(test_fit_width_and_total)
{
	struct table *t = fit_table("USD");
	char *out;

	/* piped (width 0): nothing cut, Total row sums exactly */
	table_set_width(0);
	out = render(t, FMT_TABLE);
	ck_assert(strstr(out, "fd3660ec-3e69-4a61-b51b-d5e7da7f5e32") != NULL);
	ck_assert(strstr(out, "a long evidence text that only --wide shows") != NULL);
	ck_assert(strstr(out, "Total") != NULL);
	ck_assert(strstr(out, "3.75") != NULL);	/* 2.500000001 + 1.25 */
	ck_assert(strstr(out, "50,032") != NULL);	/* 49,032 + 1,000 */
	ck_assert(strstr(out, "(--wide adds") == NULL);
	free(out);
	/* 60 columns: every line fits, Evidence (prio 2) hidden and named */
	table_set_width(60);
	out = render(t, FMT_TABLE);
	ck_assert_uint_le(max_line_width(out), 60);
	ck_assert(strstr(out, "a long evidence") == NULL);
	ck_assert(strstr(out, "(--wide adds: Cur, Evidence)") != NULL);
	ck_assert(strstr(out, "3628") == NULL);	/* not in this table */
	ck_assert(strstr(out, "7da7f5e32") != NULL || strstr(out, "5e32") != NULL);
	ck_assert(strstr(out, "3.75") != NULL);	/* numbers are never cut */
	free(out);
	/* JSON and CSV never carry the Total row nor a cut */
	table_set_width(60);
	out = render(t, FMT_CSV);
	ck_assert(strstr(out, "Total") == NULL);
	ck_assert(strstr(out, "a long evidence text that only --wide shows on a narrow terminal") != NULL);
	free(out);
	table_set_width(0);
	table_free(t);
	/* two currencies: no Total row */
	t = fit_table("EUR");
	out = render(t, FMT_TABLE);
	ck_assert(strstr(out, "Total") == NULL);
	free(out);
	table_free(t);
}
END_TEST

START_TEST(test_qty_and_count)
{
	static const struct table_col c[] = { { "v", "V", CELL_NUM, 2 } };
	struct table *t = table_new(NULL, c, 1);
	char buf[32], *out;

	table_add_row(t);
	table_add_row(t);
	table_set_qty(t, 0, 0, 50000);
	table_set_qty(t, 1, 0, 1.5);
	out = render(t, FMT_TABLE);
	ck_assert(strstr(out, "50,000\n") != NULL);
	ck_assert(strstr(out, "50,000.00") == NULL);
	ck_assert(strstr(out, "1.50") != NULL);
	free(out);
	table_free(t);
	ck_assert_str_eq(format_count(50032, buf), "50,032");
	ck_assert_str_eq(format_count(-1234567, buf), "-1,234,567");
	ck_assert_str_eq(format_count(999, buf), "999");
}
END_TEST

START_TEST(test_savings_overlap_and_totals)
{
	struct savings sv;
	char g1[64], g2[64];
	cJSON *j;
	double sum = 0;
	const cJSON *it;

	memset(&sv, 0, sizeof sv);
	sv.ran = SAVINGS_ALL;
	savings_group("us-east-1", "m6i.large", g1, sizeof g1);
	savings_group("us-east-1", "m6i.2xlarge", g2, sizeof g2);
	ck_assert_str_eq(g1, "us-east-1|m6i");
	ck_assert_str_eq(g1, g2);
	/* amounts are kept to whole micro-units: 1.0000005 -> 1.000001 */
	ck_assert_int_eq(savings_add(&sv, SAV_COMMITMENTS, "USD", 100000000000LL, "AWS us-east-1 m6i.large",
				     g1, "buy 3 x m6i.large"), 0);
	ck_assert_int_eq(savings_add(&sv, SAV_RIGHTSIZING, "USD", 40000000000LL, "i-1", g2,
				     "resize m6i.2xlarge to m6i.xlarge"), 0);
	ck_assert_int_eq(savings_add(&sv, SAV_RIGHTSIZING, "USD", 30000000000LL, "i-2", "eu-west-1|c6i",
				     "resize c6i.xlarge to c6i.large"), 0);
	ck_assert_int_eq(savings_add(&sv, SAV_IDLE, "USD", 1000000500LL, "eipalloc-1", NULL,
				     "release the unused address"), 0);
	ck_assert_int_eq(savings_add(&sv, SAV_UNUSED_COMMITMENTS, "USD", 2000000000LL, "arn:x", NULL,
				     "use the commitment"), 0);
	ck_assert_int_eq(savings_add(&sv, SAV_IDLE, "EUR", 5000000000LL, "vol-1", NULL, "delete"), 0);
	/* zero and negative savings are not savings */
	ck_assert_int_eq(savings_add(&sv, SAV_IDLE, "USD", 0, "x", NULL, "x"), 0);
	ck_assert_int_eq(sv.n, 6);
	savings_finish(&sv);
	/* the rightsizing of a family that gets a purchase is not added */
	ck_assert_int_eq(savings_total(&sv, SAV_RIGHTSIZING, "USD"), 30000000000LL);
	ck_assert_int_eq(savings_total(&sv, SAV_IDLE, "USD"), 1000001000LL);
	ck_assert_int_eq(savings_total(&sv, -1, "USD"),
			 100000000000LL + 30000000000LL + 1000001000LL + 2000000000LL);
	ck_assert_str_eq(savings_main_currency(&sv), "USD");
	j = savings_json(&sv, 2, NULL);
	ck_assert_ptr_nonnull(j);
	{
		/* money is raw JSON text: print and read back as a jq user would */
		char *text = cJSON_PrintUnformatted(j);
		ck_assert_ptr_nonnull(text);
		cJSON_Delete(j);
		j = cJSON_Parse(text);
		free(text);
		ck_assert_ptr_nonnull(j);
	}
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(j, "currency")), "USD");
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "by_kind"))
		sum += cJSON_GetNumberValue(cJSON_GetObjectItem(it, "monthly_savings"));
	ck_assert(fabs(sum - 133.000001) < 1e-9);
	ck_assert(fabs(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "total_monthly")) - 133.000001) < 1e-9);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "top_actions")), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "not_counted")), 1);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "other_currencies")), 1);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "top_actions"), 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(it, "kind")), "commitments");
	cJSON_Delete(j);
	/* a kind whose analysis did not run is null, not 0 */
	sv.ran = 1u << SAV_IDLE;
	j = savings_json(&sv, 5, NULL);
	ck_assert_ptr_nonnull(j);
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "by_kind"), SAV_COMMITMENTS);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(it, "monthly_savings")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(it, "ran")));
	it = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "by_kind"), SAV_IDLE);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(it, "ran")));
	cJSON_Delete(j);
	sv.ran = 0;
	j = savings_json(&sv, 5, NULL);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "total_monthly")));
	cJSON_Delete(j);
	savings_free(&sv);
}
END_TEST

/* table_cols_pick: the report's subset of an analyzer's columns, in its
 * own order, with a label and decimals changed, and every malformed or
 * unknown key refused */
START_TEST(test_cols_pick)
{
	static const struct table_col src[] = {
		{ "day", "Day", CELL_TEXT, 0 },
		{ "currency", "Cur", CELL_TEXT, 0 },
		{ "impact", "Impact", CELL_MONEY, 0 },
		{ "z", "Robust z", CELL_NUM, 1 },
	};
	const struct table_colset set = { src, 4 };
	const char *const keys[] = { "z/3=Score", "day", "impact=Above baseline", NULL };
	const char *const unknown[] = { "day", "da", NULL };
	const char *const bad_dec[] = { "z/x", NULL };
	const char *const empty[] = { "=Label", NULL };
	struct table_col dst[4];

	ck_assert_int_eq(table_cols_pick(&set, keys, dst, 4), 3);
	ck_assert_str_eq(dst[0].key, "z");
	ck_assert_str_eq(dst[0].label, "Score");
	ck_assert_int_eq(dst[0].decimals, 3);
	ck_assert_int_eq(dst[0].kind, CELL_NUM);
	ck_assert_str_eq(dst[1].key, "day");
	ck_assert_str_eq(dst[1].label, "Day");
	ck_assert_str_eq(dst[2].label, "Above baseline");
	ck_assert_int_eq(dst[2].kind, CELL_MONEY);
	ck_assert_int_eq(src[3].decimals, 1);	/* the set is not changed */
	ck_assert_int_eq(table_cols_pick(&set, unknown, dst, 4), -1);	/* a prefix is no match */
	ck_assert_int_eq(table_cols_pick(&set, bad_dec, dst, 4), -1);
	ck_assert_int_eq(table_cols_pick(&set, empty, dst, 4), -1);
	ck_assert_int_eq(table_cols_pick(&set, keys, dst, 2), -1);	/* no room */
}
END_TEST

Suite *
table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_format_table);
	tcase_add_test(tc, test_shorten_id_keeps_ends);
	tcase_add_test(tc, test_fit_width_and_total);
	tcase_add_test(tc, test_qty_and_count);
	tcase_add_test(tc, test_savings_overlap_and_totals);
	tcase_add_test(tc, test_format_markdown);
	tcase_add_test(tc, test_format_csv);
	tcase_add_test(tc, test_format_json);
	tcase_add_test(tc, test_table_to_json_keys_in_order);
	tcase_add_test(tc, test_empty_table);
	tcase_add_test(tc, test_display_width);
	tcase_add_test(tc, test_csv_quoting);
	tcase_add_test(tc, test_markdown_escaping);
	tcase_add_test(tc, test_number_cells);
	tcase_add_test(tc, test_invalid_utf8_replaced);
	tcase_add_test(tc, test_cells_replace_and_bounds);
	tcase_add_test(tc, test_many_rows);
	tcase_add_test(tc, test_dev_full);
	tcase_add_test(tc, test_json_money_and_format_parse);
	tcase_add_test(tc, test_locale_independent);
	tcase_add_test(tc, test_cols_pick);
	suite_add_tcase(s, tc);
	return s;
}
