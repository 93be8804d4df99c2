/*
 * test_report.c - Check unit tests for the monthly report (reports/report.c,
 * report-charts.c, chart.c, html.c) and for commitments.hourly_usage, the
 * JSON key the report's commitment chart is drawn from.
 *
 * The report is rendered from a small hand-written analyzers' document
 * whose every expected sentence, total and chart row is worked out by hand
 * in the comments; base64 uses the RFC 4648 test vectors; gnuplot is
 * replaced by small shell scripts (succeeding, failing, hanging).
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/html.h"
#include "reports/report.h"

/* ---- helpers ---- */

static char tmpdir[64];

static void
mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/imcost-report-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* remove tmpdir and what is in it (one level of subdirectories) */
static void
rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];
	struct stat st;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
rm_tmpdir(void)
{
	rm_tree(tmpdir);
}

/* the whole file as a new string (caller frees), NULL when missing */
static char *
slurp(const char *dir, const char *name)
{
	char p[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
exists(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static void
write_script(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

#define ck_assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "missing: %s", (needle))

/* ---- base64, escaping, quoting ---- */

START_TEST(test_base64_rfc4648)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					   "Zm9vYmFy" };
	unsigned char all[256];

	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *b = html_base64((const unsigned char *)in[i], strlen(in[i]));
		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(b, out[i]);
		free(b);
	}
	/* every byte value: 256 bytes -> 344 characters, the last two '=' */
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	{
		char *b = html_base64(all, sizeof all);
		ck_assert_int_eq(strlen(b), 344);
		ck_assert(strncmp(b, "AAECAwQFBgcICQoL", 16) == 0);
		ck_assert_str_eq(b + 340, "/w==");
		free(b);
	}
}
END_TEST

START_TEST(test_html_escape)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	html_escape(f, "<a href=\"x\">&'\x01\xff\xe8\xae\xa1\xe7\xae\x97\t");
	html_escape(f, NULL);
	fclose(f);
	ck_assert_str_eq(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39; \xef\xbf\xbd"
			 "\xe8\xae\xa1\xe7\xae\x97\t");
	free(buf);
}
END_TEST

START_TEST(test_gnuplot_quoting)
{
	struct sbuf b = { 0 };

	sb_gpquote(&b, "it's\na");
	ck_assert_str_eq(b.s, "'it\xe2\x80\x99s a'");
	b.len = 0;
	sb_datfield(&b, "a\t\"b\"");
	sbuf_puts(&b, "|");
	sb_datfield(&b, "");
	ck_assert_str_eq(b.s, "a 'b'|-");
	free(b.s);
	/* every style has its own colour and dash type */
	for (int i = 0; i < CHART_STYLES; i++)
		for (int j = 0; j < i; j++) {
			ck_assert_str_ne(chart_color(i), chart_color(j));
			ck_assert_str_ne(chart_fill(i), chart_fill(j));
		}
}
END_TEST

/* ---- finding and running gnuplot ---- */

START_TEST(test_find_gnuplot)
{
	char p[512], buf[1024], *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL, cwd[512];
	struct ic_error err;

	mk_tmpdir();
	snprintf(p, sizeof p, "%s/gp-fake", tmpdir);
	write_script(p, "#!/bin/sh\nexit 0\n");
	snprintf(p, sizeof p, "%s/gp-noexec", tmpdir);
	write_script(p, "#!/bin/sh\n");
	chmod(p, 0644);

	snprintf(buf, sizeof buf, "/nonexistent::%s", tmpdir);
	setenv("PATH", buf, 1);
	ck_assert_int_eq(chart_find_gnuplot("gp-fake", buf, sizeof buf, &err), 0);
	snprintf(p, sizeof p, "%s/gp-fake", tmpdir);
	ck_assert_str_eq(buf, p);
	ck_assert_int_eq(chart_find_gnuplot("gp-noexec", buf, sizeof buf, &err), -1);
	ck_assert_str_eq(err.msg, "gp-noexec not found on PATH");
	ck_assert_int_eq(chart_find_gnuplot(NULL, buf, sizeof buf, &err), -1);
	ck_assert_str_eq(err.msg, "gnuplot not found on PATH");
	snprintf(p, sizeof p, "%s/gp-noexec", tmpdir);
	ck_assert_int_eq(chart_find_gnuplot(p, buf, sizeof buf, &err), -1);
	ck_assert_contains(err.msg, "is not an executable file");

	/* a relative path is made absolute: gnuplot runs in the output dir */
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(chart_find_gnuplot("./gp-fake", buf, sizeof buf, &err), 0);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert(buf[0] == '/');
	ck_assert_contains(buf, "/./gp-fake");
	ck_assert_int_eq(access(buf, X_OK), 0);

	if (old)
		setenv("PATH", old, 1);
	free(old);
	rm_tmpdir();
}
END_TEST

/* the start of a 3 x 2 PNG (signature and IHDR: all png_size reads), as
 * octal escapes for printf(1) */
#define TINY_PNG \
	"\\211PNG\\r\\n\\032\\n\\000\\000\\000\\rIHDR\\000\\000\\000\\003\\000\\000\\000\\002" \
	"\\010\\000\\000\\000\\000"

START_TEST(test_chart_run)
{
	struct gpscript body = { 0 };
	struct chart c = { "t", "A 'test' chart", "1\t2\n", &body, NULL };
	struct ic_error err, rerr;
	char gp[512], *s;
	unsigned w, h;
	time_t t0;
	int dfd;

	mk_tmpdir();
	dfd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	gp_cmd(&body, "plot datafile using 1:2 title %q\n", "x'\n!y");
	ck_assert_int_eq(chart_make(dfd, tmpdir, &c, NULL, 5, &rerr, &err), 0);
	ck_assert_str_eq(rerr.msg, "");
	s = slurp(tmpdir, "t.gp");
	ck_assert_contains(s, "datafile = 't.dat'\n");
	ck_assert_contains(s, "set title 'A \xe2\x80\x99test\xe2\x80\x99 chart'");
	ck_assert_contains(s, "set terminal pngcairo size 1200,600");
	ck_assert_contains(s, "set output 't.png'");
	ck_assert_contains(s, "plot datafile using 1:2 title 'x\xe2\x80\x99 !y'\n");
	ck_assert_contains(s, "set output 't.svg'\nreplot\n");
	free(s);
	s = slurp(tmpdir, "t.dat");
	ck_assert_str_eq(s, "1\t2\n");
	free(s);

	/* a fake gnuplot: run in a private directory, given NAME.gp */
	snprintf(gp, sizeof gp, "%s/fake-gp", tmpdir);
	write_script(gp, "#!/bin/sh\n[ -f \"$1\" ] && [ -f t.dat ] || exit 9\n"
		     "printf '" TINY_PNG "' > t.png\necho '<svg/>' > t.svg\n");
	ck_assert_msg(chart_make(dfd, tmpdir, &c, gp, 5, &rerr, &err) == 1, "%s %s", err.msg, rerr.msg);
	snprintf(gp, sizeof gp, "%s/t.png", tmpdir);
	ck_assert_int_eq(png_size(gp, &w, &h), 0);
	ck_assert_uint_eq(w, 3);
	ck_assert_uint_eq(h, 2);
	ck_assert(!exists(tmpdir, "t.log"));

	/* written again without gnuplot: the old drawing is removed */
	ck_assert_int_eq(chart_make(dfd, tmpdir, &c, NULL, 5, &rerr, &err), 0);
	ck_assert(!exists(tmpdir, "t.png") && !exists(tmpdir, "t.svg"));

	/* gnuplot fails: its error line, the log kept */
	snprintf(gp, sizeof gp, "%s/fail-gp", tmpdir);
	write_script(gp, "#!/bin/sh\necho '         ^' >&2\necho '\"t.gp\" line 7: undefined variable: x' >&2\n"
		     "exit 1\n");
	ck_assert_int_eq(chart_make(dfd, tmpdir, &c, gp, 5, &rerr, &err), 0);
	ck_assert_contains(rerr.msg, "t.gp: gnuplot failed: line 7: undefined variable: x");
	ck_assert(exists(tmpdir, "t.log"));

	/* exits 0 but draws nothing */
	snprintf(gp, sizeof gp, "%s/lazy-gp", tmpdir);
	write_script(gp, "#!/bin/sh\nexit 0\n");
	ck_assert_int_eq(chart_make(dfd, tmpdir, &c, gp, 5, &rerr, &err), 0);
	ck_assert_contains(rerr.msg, "gnuplot made no PNG");

	/* hangs: stopped after the timeout */
	snprintf(gp, sizeof gp, "%s/hang-gp", tmpdir);
	write_script(gp, "#!/bin/sh\nexec sleep 30\n");
	t0 = time(NULL);
	ck_assert_int_eq(chart_make(dfd, tmpdir, &c, gp, 1, &rerr, &err), 0);
	ck_assert_int_le(time(NULL) - t0, 5);
	ck_assert_contains(rerr.msg, "took longer than 1 seconds");
	ck_assert(!exists(tmpdir, "t.png"));

	/* a %s in a chart command is refused, whatever its argument */
	{
		struct gpscript bad = { 0 };
		struct chart b = { "b", "B", "", &bad, NULL };
		gp_cmd(&bad, "set ylabel '%s'\n", "x");
		ck_assert_int_eq(bad.bad, 1);
		ck_assert_int_eq(chart_make(dfd, tmpdir, &b, NULL, 5, &rerr, &err), -1);
		ck_assert(!exists(tmpdir, "b.gp"));
		free(bad.sb.s);
	}
	free(body.sb.s);
	close(dfd);
	rm_tmpdir();
}
END_TEST

/* ---- the report from a hand-written document ---- */

/*
 * March 2026.  Services: "计算 <b>&" billed 1000.50 effective 900.25,
 * Storage billed 234.0678 effective 299.754: billed 1234.5678 -> 1,234.57,
 * effective 1200.004 -> 1,200.00.  February: effective 1000 -> change
 * +200.00 (+20.0%), billed 900 -> +334.57.
 * Savings: commitments 400.25 + 12.05 = 412.30 a month (x 12 = 4,947.60),
 * upfront 0 + 100 = 100.00; idle i-1 100 + eip-1 50 = 150.00 (ri-1 is an
 * unused commitment: waste, not a saving); total 562.30 = 46.9% of
 * 1200.004.  Anomalies by impact: Storage 2026-03-01 (70, expected 10),
 * then 2026-03-02 (50): 120.00 in all.  Per MAU 1200.004 / 1000 =
 * 1.200004; after savings (1200.004 - 562.30) / 1000 = 0.637704; per
 * million messages x 1e6 / 2e6: 600.0020 and 318.8520.
 */
static const char *doc_cur =
	"{\"period\":{\"start\":\"2026-03-01\",\"end\":\"2026-04-01\"},\"currency\":\"USD\","
	"\"summary\":{\"billed_cost\":1234.5678,\"effective_cost\":1200.004,\"rows\":42,"
	" \"by_service\":[{\"service\":\"\xe8\xae\xa1\xe7\xae\x97 <b>&\",\"billed_cost\":1000.5,"
	"  \"effective_cost\":900.25},{\"service\":\"Storage\",\"billed_cost\":234.0678,"
	"  \"effective_cost\":299.754}],"
	" \"by_account\":[{\"account\":\"111\",\"billed_cost\":1234.5678,\"effective_cost\":1200.004}],"
	" \"by_region\":[{\"region\":\"us-east-1\",\"billed_cost\":1234.5678,\"effective_cost\":1200.004}],"
	" \"by_category\":[{\"charge_category\":\"Usage\",\"billed_cost\":1234.5678,"
	"  \"effective_cost\":1200.004}],"
	" \"by_day\":[{\"day\":\"2026-03-01\",\"billed_cost\":617,\"effective_cost\":600.002},"
	"  {\"day\":\"2026-03-02\",\"billed_cost\":617.5678,\"effective_cost\":600.002}],"
	" \"by_day_service\":[{\"day\":\"2026-03-01\",\"service\":\"Storage\",\"billed_cost\":1,"
	"  \"effective_cost\":100.5},{\"day\":\"2026-03-01\",\"service\":\"\xe8\xae\xa1\xe7\xae\x97 <b>&\","
	"  \"billed_cost\":1,\"effective_cost\":499.502},{\"day\":\"2026-03-02\",\"service\":\"Storage\","
	"  \"billed_cost\":1,\"effective_cost\":199.254},{\"day\":\"2026-03-02\",\"service\":"
	"  \"\xe8\xae\xa1\xe7\xae\x97 <b>&\",\"billed_cost\":1,\"effective_cost\":400.748}],"
	" \"by_resource\":[{\"resource_id\":\"i-big\",\"service\":\"Storage\",\"region\":\"us-east-1\","
	"  \"account\":\"111\",\"billed_cost\":300,\"effective_cost\":300.001}]},"
	"\"summaries\":[{\"currency\":\"USD\",\"billed_cost\":1234.5678,\"effective_cost\":1200.004,"
	" \"rows\":42},{\"currency\":\"EUR\",\"billed_cost\":10,\"effective_cost\":9,\"rows\":1}],"
	"\"commitments\":{\"coverage\":{\"covered_hours\":100,\"eligible_hours\":400,\"coverage\":0.25},"
	" \"totals\":[{\"currency\":\"USD\",\"used_cost\":90,\"unused_cost\":10,\"utilization\":0.9}],"
	" \"recommendations\":[{\"region\":\"us-east-1\",\"instance_type\":\"m6i.large\","
	"  \"platform\":\"Linux\",\"term\":\"1y\",\"payment\":\"no_upfront\",\"count\":3,\"upfront\":0,"
	"  \"monthly_savings\":400.25,\"currency\":\"USD\"},{\"region\":\"eu-west-1\","
	"  \"instance_type\":\"t3.medium\",\"platform\":\"Linux\",\"term\":\"1y\",\"payment\":"
	"  \"partial_upfront\",\"count\":2,\"upfront\":100,\"monthly_savings\":12.05,\"currency\":\"USD\"},"
	"  {\"region\":\"x\",\"instance_type\":\"y\",\"count\":9,\"monthly_savings\":5,\"currency\":\"EUR\"}],"
	" \"existing\":[],\"coverage_by_type\":[],\"savings_plan\":[],\"unpriced\":[],"
	" \"notes\":[\"a note from commitments\"],"
	" \"hourly_usage\":[{\"region\":\"us-east-1\",\"instance_type\":\"m6i.large\",\"currency\":\"USD\","
	"  \"recommended_count\":3,\"term\":\"1y\",\"payment\":\"no_upfront\","
	"  \"start\":\"2026-03-01T00:00:00Z\",\"usage\":[3,4,5.5,3]}]},"
	"\"idle\":[{\"resource_id\":\"i-1\",\"kind\":\"instance\",\"reason\":\"r\",\"monthly_cost\":100,"
	" \"period_cost\":101,\"currency\":\"USD\"},{\"resource_id\":\"eip-1\",\"kind\":\"elastic_ip\","
	" \"reason\":\"r\",\"monthly_cost\":50,\"period_cost\":51,\"currency\":\"USD\"},"
	" {\"resource_id\":\"ri-1\",\"kind\":\"commitment\",\"reason\":\"r\",\"monthly_cost\":10,"
	" \"period_cost\":10,\"currency\":\"USD\"}],"
	"\"rightsizing\":{\"recommendations\":[],\"notes\":[]},"
	"\"anomalies\":{\"anomalies\":[{\"day\":\"2026-03-02\",\"service\":\"Storage\",\"currency\":\"USD\","
	" \"expected\":10,\"actual\":60,\"impact\":50,\"z\":9.5},{\"day\":\"2026-03-01\",\"service\":"
	" \"Storage\",\"currency\":\"USD\",\"expected\":10,\"actual\":80,\"impact\":70,\"z\":12}],"
	" \"days_checked\":62,\"series\":2},"
	"\"forecast\":{\"month\":\"2026-03\",\"forecasts\":[{\"currency\":\"USD\",\"to_date\":1200.004,"
	" \"days_seen\":2,\"days_in_month\":31,\"daily_rate\":600.002,\"projected_remaining\":17400.058,"
	" \"forecast\":18600.062,\"method\":\"run-rate\"}],\"notes\":[]},"
	"\"unit_economics\":{\"months\":[{\"month\":\"2026-03\",\"currency\":\"USD\",\"cost\":1200.004,"
	" \"mau\":1000,\"messages\":2000000,\"cost_per_mau\":1.200004}],\"notes\":[]}}";

static const char *doc_prev =
	"{\"period\":{\"start\":\"2026-02-01\",\"end\":\"2026-03-01\"},\"currency\":\"USD\","
	"\"summary\":{\"billed_cost\":900,\"effective_cost\":1000,\"rows\":9},"
	"\"summaries\":[{\"currency\":\"USD\",\"billed_cost\":900,\"effective_cost\":1000,\"rows\":9,"
	" \"by_service\":[{\"service\":\"Storage\",\"billed_cost\":900,\"effective_cost\":1000}]}]}";

static int
write_report(const char *cur, const char *prev, struct report_result *res, struct ic_error *err)
{
	cJSON *c = cJSON_Parse(cur), *p = prev ? cJSON_Parse(prev) : NULL;
	struct report_opts o;
	int rc;

	ck_assert_ptr_nonnull(c);
	memset(&o, 0, sizeof o);
	o.dir = tmpdir;
	o.no_charts_reason = "test reason";
	o.generated = (time_t)-1;
	memset(res, 0, sizeof *res);
	rc = report_write(c, p, &o, res, err);
	cJSON_Delete(c);
	cJSON_Delete(p);
	return rc;
}

START_TEST(test_report_document)
{
	struct report_result res;
	struct ic_error err;
	char *md, *html, *csv, *dat;

	mk_tmpdir();
	ck_assert_msg(write_report(doc_cur, doc_prev, &res, &err) == 0, "%s", err.msg);
	md = slurp(tmpdir, "report.md");
	html = slurp(tmpdir, "report.html");
	ck_assert_ptr_nonnull(md);
	ck_assert_ptr_nonnull(html);

	ck_assert_contains(md, "# Cloud cost report: March 2026\n");
	ck_assert_contains(md, "Period 2026-03-01 to 2026-03-31 (UTC), amounts in USD.");
	ck_assert_contains(md, "- **Billed cost:** 1,234.57 USD");
	ck_assert_contains(md, "- **Effective cost:** 1,200.00 USD");
	ck_assert_contains(md, "- **Change vs February 2026:** +200.00 USD (+20.0%: effective cost, from"
			   " 1,000.00 USD; billed +334.57 USD)");
	ck_assert_contains(md, "- **Month-end forecast:** 18,600.06 USD (run-rate, from 2 of 31 days)");
	ck_assert_contains(md, "- **Savings found:** 562.30 USD (a month: commitments 412.30, idle"
			   " resources 150.00, rightsizing 0.00)");
	ck_assert_contains(md, "> **What to do:** Act on the findings below to save up to 562.30 USD a"
			   " month (46.9% of this month's effective cost)");
	ck_assert_contains(md, "Also billed this month (not included above): EUR 10.00 billed, 9.00"
			   " effective.");
	ck_assert_contains(md, "| Storage | 234.07 | 299.75 | 25.0% | 1,000.00 | -700.25 | -70.0% |");
	ck_assert_contains(md, "Buying the 2 recommended commitments (3 x m6i.large in us-east-1, 1y"
			   " no_upfront; 2 x t3.medium in eu-west-1, 1y partial_upfront) saves 412.30 USD a"
			   " month (4,947.60 USD a year) for 100.00 USD upfront; existing commitments left"
			   " 10.00 USD unused");
	ck_assert_contains(md, "Stopping or deleting the 2 idle resources saves 150.00 USD a month,"
			   " starting with i-1 (instance, 100.00 USD a month).");
	ck_assert_contains(md, "| unused commitments | 1 | 0 | 10.00 | 10.00 |");
	ck_assert_contains(md, "Investigate Storage on 2026-03-01 first: 70.00 USD above its usual 10.00"
			   " USD a day; the 2 spikes cost 120.00 USD above baseline in all.");
	ck_assert_contains(md, "At 600.00 USD a day March 2026 ends near 18,600.06 USD (+1760.0% vs"
			   " February 2026)");
	ck_assert_contains(md, "Cost per MAU is 1.200004 USD (n/a vs February 2026) and 600.0020 USD per"
			   " million messages (n/a); acting on the savings above brings it to 0.637704 USD"
			   " per MAU and 318.8520 USD per million messages.");
	ck_assert_contains(md, "The largest resource, i-big (Storage, us-east-1), costs 300.00 USD, 25.0%"
			   " of the effective cost: have its owner");
	/* without a share in the document: effective / the month's effective */
	ck_assert_contains(md, "| i-big | Storage | us-east-1 | 111 | 300.00 | 300.00 | 25.0% |");
	ck_assert_contains(md, "- a note from commitments\n");
	ck_assert_contains(md, "> **Warning:** Charts were not drawn: test reason.");
	ck_assert_contains(md, "*Chart not drawn: Daily effective cost by service, March 2026 (script"
			   " daily-cost.gp, data daily-cost.dat).*");

	/* HTML: escaped, CJK kept, one page */
	ck_assert_contains(html, "<td>\xe8\xae\xa1\xe7\xae\x97 &lt;b&gt;&amp;</td>");
	ck_assert_contains(html, "<meta charset=\"utf-8\">");
	ck_assert_contains(html, "<div class=\"action\"><strong>What to do:</strong> Buying the 2");
	ck_assert(strstr(html, "<b>&") == NULL);
	ck_assert(strstr(html, "<img") == NULL);

	/* CSV: exact, from the shared table formatter; shares 900.25 / 1200.004
	 * = 0.7502058 and 299.754 / 1200.004 = 0.2497942; a service new this
	 * month had 0 the month before and no change ratio */
	csv = slurp(tmpdir, "cost-by-service.csv");
	ck_assert_str_eq(csv, "service,billed_cost,effective_cost,share,previous_effective_cost,change,"
			 "change_ratio\n"
			 "\xe8\xae\xa1\xe7\xae\x97 <b>&,1000.5,900.25,0.750206,0,900.25,\n"
			 "Storage,234.0678,299.754,0.249794,1000,-700.246,-0.700246\n");
	free(csv);
	csv = slurp(tmpdir, "headline.csv");
	ck_assert_contains(csv, "monthly_savings_total,562.3\n");
	ck_assert_contains(csv, "change,200.004\n");
	free(csv);

	/* chart data: the stacked days (largest service first), the hourly counts */
	dat = slurp(tmpdir, "daily-cost.dat");
	ck_assert_contains(dat, "\n2026-03-01\t499.502\t100.5\n2026-03-02\t400.748\t199.254\n"
			   "2026-03-03\t0\t0\n");
	free(dat);
	dat = slurp(tmpdir, "commitment-usage.dat");
	ck_assert_contains(dat, "\tm6i.large us-east-1\n2026-03-01T00:00\t3.000\n2026-03-01T01:00\t4.000\n"
			   "2026-03-01T02:00\t5.500\n2026-03-01T03:00\t3.000\n");
	free(dat);
	dat = slurp(tmpdir, "commitment-usage.gp");
	ck_assert_contains(dat, "3 with lines lc rgb '#0072B2' lw 4 dt (30,10) title 'commit 3 x"
			   " m6i.large (1y no_upfront)'");
	free(dat);
	dat = slurp(tmpdir, "forecast.dat");
	/* actual: 600.002, 1200.004; forecast from day 2 (1200.004) to day 31 */
	ck_assert_contains(dat, "\n1\t600.002\tNaN\n2\t1200.004\t1200.004\n");
	ck_assert_contains(dat, "\n31\tNaN\t18600.062\n");
	free(dat);
	ck_assert(!exists(tmpdir, "daily-cost.png"));
	ck_assert_int_eq(res.charts, 0);
	ck_assert_int_ge(res.tables, 15);
	ck_assert_int_gt(res.nfiles, res.tables);
	report_result_free(&res);
	free(md);
	free(html);
	rm_tmpdir();
}
END_TEST

START_TEST(test_report_no_previous_month)
{
	struct report_result res;
	struct ic_error err;
	char *md;

	mk_tmpdir();
	ck_assert_msg(write_report(doc_cur, NULL, &res, &err) == 0, "%s", err.msg);
	md = slurp(tmpdir, "report.md");
	ck_assert_contains(md, "- **Change vs February 2026:** n/a (no charges for February 2026 in the"
			   " database)");
	ck_assert_contains(md, "| Storage | 234.07 | 299.75 | 25.0% | n/a | n/a | n/a |");
	ck_assert_contains(md, "ends near 18,600.06 USD (n/a vs February 2026)");
	free(md);
	md = slurp(tmpdir, "month-over-month.dat");
	ck_assert_contains(md, "Storage\tNaN\t299.754\n");
	free(md);
	report_result_free(&res);
	rm_tmpdir();
}
END_TEST

START_TEST(test_report_errors)
{
	struct report_result res;
	struct ic_error err;
	char p[512];
	FILE *f;

	mk_tmpdir();
	ck_assert_int_eq(write_report("{\"currency\":\"USD\"}", NULL, &res, &err), -1);
	ck_assert_contains(err.msg, "no summary");
	ck_assert_int_eq(write_report("{\"period\":{\"start\":\"2026-03-01\",\"end\":\"2026-04-01\"},"
				      "\"currency\":null,\"summary\":{}}", NULL, &res, &err), -1);
	ck_assert_contains(err.msg, "no charges");
	/* the output directory is a file */
	snprintf(p, sizeof p, "%s/file", tmpdir);
	f = fopen(p, "w");
	fclose(f);
	snprintf(tmpdir + strlen(tmpdir), sizeof tmpdir - strlen(tmpdir), "/file");
	ck_assert_int_eq(write_report(doc_cur, NULL, &res, &err), -1);
	ck_assert_contains(err.msg, "file");
	report_result_free(&res);
	tmpdir[strlen(tmpdir) - 5] = '\0';
	rm_tmpdir();
}
END_TEST

/* ---- commitments.hourly_usage from a planted database ---- */

/* 2026-03-01 00:00:00 UTC */
#define MONTH0 1772323200LL
#define DAY 86400LL

static void
od_hour(sqlite3 *db, int64_t t, const char *resource, const char *itype)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db,
		"INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos,"
		" ConsumedQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart,"
		" BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, ChargeCategory,"
		" PricingCategory, ServiceName, RegionId, ResourceId, x_InstanceType, x_UsageType,"
		" x_Platform)"
		" VALUES(1, 1, 96000000, 96000000, 1, ?, ?, ?, ?, 'USD', 'AWS', '111', 'Usage',"
		" 'Standard', 'Amazon Elastic Compute Cloud', 'us-east-1', ?, ?, 'BoxUsage', 'Linux')",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, t);
	sqlite3_bind_int64(st, 2, t + 3600);
	sqlite3_bind_int64(st, 3, month_start(t));
	sqlite3_bind_int64(st, 4, month_next(t));
	sqlite3_bind_text(st, 5, resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, itype, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

START_TEST(test_commitments_hourly_usage)
{
	static const char *catalog =
		"{\"compute\":[{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":"
		"\"m6i.large\",\"platform\":\"Linux\",\"on_demand_hourly\":\"0.096\",\"commitments\":"
		"[{\"term\":\"1y\",\"payment\":\"no_upfront\",\"hourly\":\"0.06\"}]}]}";
	enum { DAYS = 14, H = DAYS * 24 };
	char dbpath[64], id[32];
	struct ic_error err;
	struct catalog *cat = catalog_new();
	struct analysis_opts opts;
	struct analysis_ctx ctx;
	sqlite3 *db;
	cJSON *doc = NULL;
	const cJSON *hu, *g, *u;
	int um[H], ut[H], fd;
	long k = 0;
	int64_t bestv = 0;

	snprintf(dbpath, sizeof dbpath, "/tmp/imcost-rtest-XXXXXX");
	fd = mkstemp(dbpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(dbpath);
	db = db_open(dbpath, DB_WRITE, &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_int_eq(catalog_merge_json(cat, catalog, strlen(catalog), "test", &err), 0);

	/* m6i.large: 2 always on + 0..3 by hour of day; t3.medium (no price):
	 * 10 always on, so it has more hours but comes after the priced one */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int h = 0; h < H; h++) {
		int hr = h % 24;
		um[h] = 2 + (hr >= 9 && hr < 18 ? 3 : hr >= 6 && hr < 21 ? 1 : 0);
		ut[h] = 10;
		for (int i = 0; i < um[h]; i++) {
			snprintf(id, sizeof id, "i-m%d", i);
			od_hour(db, MONTH0 + h * 3600LL, id, "m6i.large");
		}
		for (int i = 0; i < ut[h]; i++) {
			snprintf(id, sizeof id, "i-t%d", i);
			od_hour(db, MONTH0 + h * 3600LL, id, "t3.medium");
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);

	/* brute force: k maximizing sum_h 96*min(u,k) - k*60*H (in 1e-3 units) */
	for (long j = 0; j <= 5; j++) {
		int64_t v = 0;
		for (int h = 0; h < H; h++)
			v += 96 * (um[h] < j ? um[h] : j);
		v -= j * 60 * H;
		if (j == 0 || v >= bestv) {
			bestv = v;
			k = j;
		}
	}
	ck_assert_int_gt(k, 0);

	analysis_opts_default(&opts);
	memset(&ctx, 0, sizeof ctx);
	ctx.eng = engine_wrap_sqlite(db);
	ck_assert_ptr_nonnull(ctx.eng);
	ctx.start = MONTH0;
	ctx.end = MONTH0 + 31 * DAY;
	ctx.opts = &opts;
	ctx.catalog = cat;
	{
		static const char *const only[] = { "commitments", NULL };
		ck_assert_msg(report_collect(&ctx, only, &doc, &err) == 0, "%s", err.msg);
	}
	hu = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "commitments"),
					      "hourly_usage");
	ck_assert_int_eq(cJSON_GetArraySize(hu), 2);
	g = cJSON_GetArrayItem(hu, 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(g, "instance_type")->valuestring, "m6i.large");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(g, "start")->valuestring, "2026-03-01T00:00:00Z");
	ck_assert_int_eq((long)cJSON_GetObjectItemCaseSensitive(g, "recommended_count")->valuedouble, k);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(g, "term")->valuestring, "1y");
	u = cJSON_GetObjectItemCaseSensitive(g, "usage");
	ck_assert_int_eq(cJSON_GetArraySize(u), H);
	for (int h = 0; h < H; h++)
		ck_assert(fabs(cJSON_GetArrayItem(u, h)->valuedouble - um[h]) < 1e-9);
	g = cJSON_GetArrayItem(hu, 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(g, "instance_type")->valuestring, "t3.medium");
	ck_assert(cJSON_GetObjectItemCaseSensitive(g, "recommended_count")->valuedouble == 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g, "term")));
	ck_assert(fabs(cJSON_GetObjectItemCaseSensitive(g, "on_demand_hours")->valuedouble - 10.0 * H) < 1e-9);
	ck_assert(fabs(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g, "usage"), 7)->valuedouble
		       - 10) < 1e-9);

	cJSON_Delete(doc);
	catalog_free(cat);
	engine_close(ctx.eng);
	db_close(db);
	unlink(dbpath);
	{
		char p[96];
		snprintf(p, sizeof p, "%s-wal", dbpath);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", dbpath);
		unlink(p);
	}
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_base64_rfc4648);
	tcase_add_test(tc, test_html_escape);
	tcase_add_test(tc, test_gnuplot_quoting);
	tcase_add_test(tc, test_find_gnuplot);
	tcase_add_test(tc, test_chart_run);
	tcase_add_test(tc, test_report_document);
	tcase_add_test(tc, test_report_no_previous_month);
	tcase_add_test(tc, test_report_errors);
	tcase_add_test(tc, test_commitments_hourly_usage);
	suite_add_tcase(s, tc);
	return s;
}
