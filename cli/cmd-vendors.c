/*
 * cmd-vendors.c - imcost vendors --profile FILE [--catalog FILE]...
 * [--sweep FIELD=FROM..TO[:POINTS]] [--chart FILE.png|.svg]
 *
 * Prices every hosted IM plan and self-hosting option of the catalog for a
 * workload profile and ranks them (analyzers/vendors.c does the
 * arithmetic); with --sweep, varies one profile field and reports where the
 * cheapest option changes, and draws the curves with gnuplot.  The
 * tables are printed by analyzers/vendors-emit.c; the verdict is worded
 * here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/catalog.h"
#include "analyzers/pricebook.h"
#include "analyzers/vendors.h"
#include "analyzers/vendors-emit.h"
#include "analyzers/levers.h"
#include "cli/cli.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/outfile.h"
#include "output/emit.h"
#include "reports/vendor-charts.h"

#define MAX_CATALOGS 16

extern const struct cmd_entry cmd_vendors_entry;

static int
parse_sweep(const char *arg, int *field, double *from, double *to, int *points)
{
	char name[64], *end;
	const char *eq = strchr(arg, '='), *dots;
	size_t n;

	if (eq == NULL || (n = (size_t)(eq - arg)) == 0 || n >= sizeof name)
		return -1;
	memcpy(name, arg, n);
	name[n] = '\0';
	if ((*field = vprofile_field(name)) < 0)
		return -2;
	dots = strstr(eq + 1, "..");
	if (dots == NULL || number_parse(eq + 1, (size_t)(dots - eq - 1), from) != NUM_OK)
		return -1;
	end = strchr(dots + 2, ':');
	if (number_parse(dots + 2, end ? (size_t)(end - dots - 2) : strlen(dots + 2), to) != NUM_OK)
		return -1;
	*points = 25;
	if (end) {
		double pts;
		if (number_parse(end + 1, strlen(end + 1), &pts) != NUM_OK || pts < 2 || pts > 10000 ||
		    pts != floor(pts))
			return -1;
		*points = (int)pts;
	}
	return *to > *from && *from >= 0 ? 0 : -1;
}

/* Draw the sweep's chart (reports/vendor-charts.c), warning when it could
 * only be written.  Returns 0, or -1 with cli->err set. */
static int
write_chart(struct cli *cli, const struct vsweep *s, const struct vprofile *p, const char *chart)
{
	struct ic_error warn;
	int drawn = vendor_chart_write(s, p, chart, &warn, &cli->err);

	if (drawn == 0)
		cli_warn(cli, "%s", warn.msg);
	return drawn < 0 ? -1 : 0;
}

static void
emit_verdict(struct emitter *e, const struct vprofile *p, const struct verdict *v)
{
	char line[900], a[48], b[48], d[48], m[48], c[48];
	const int staff_assumed = !((p->given >> PF_STAFF_FTE) & 1) || !((p->given >> PF_STAFF_COST) & 1);

	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_CreateObject(), *ch;
		if (o == NULL) {
			e->failed = 1;
			return;
		}
		if (v->cheapest)
			cJSON_AddStringToObject(o, "cheapest", v->cheapest->id);
		else
			cJSON_AddNullToObject(o, "cheapest");
		if (v->runner_up) {
			cJSON_AddStringToObject(o, "runner_up", v->runner_up->id);
			cJSON_AddItemToObject(o, "difference_monthly",
					      json_money(v->runner_up->total_cmp - v->cheapest->total_cmp));
		} else {
			cJSON_AddNullToObject(o, "runner_up");
			cJSON_AddNullToObject(o, "difference_monthly");
		}
		cJSON_AddStringToObject(o, "currency", p->currency);
		if (v->has_change && (ch = cJSON_CreateObject()) != NULL) {
			cJSON_AddStringToObject(ch, "metric", "mau");
			cJSON_AddNumberToObject(ch, "value", v->change_at);
			cJSON_AddStringToObject(ch, "new_cheapest", v->new_cheapest);
			cJSON_AddItemToObject(o, "changes_at", ch);
		} else
			cJSON_AddNullToObject(o, "changes_at");
		cJSON_AddNumberToObject(o, "looked_up_to_mau", v->looked_to);
		cJSON_AddBoolToObject(o, "staff_assumed", staff_assumed);
		cJSON_AddItemToObject(e->root, "verdict", o);
		return;
	}
	if (e->fmt != FMT_TABLE && e->fmt != FMT_MARKDOWN)
		return;
	if (v->cheapest == NULL) {
		snprintf(line, sizeof line, "no option is eligible and priced in %s at %s MAU",
			 p->currency, vendor_count_label(p->f[PF_MAU], m));
	} else {
		int k = snprintf(line, sizeof line, "cheapest at %s MAU: %s, %s %s/month",
				 vendor_count_label(p->f[PF_MAU], m),
				 v->cheapest->id, money_format(v->cheapest->total_cmp, 2, 1, a), p->currency);
		if (v->runner_up && k > 0 && (size_t)k < sizeof line)
			k += snprintf(line + k, sizeof line - (size_t)k, "; runner-up %s, %s (%s more)",
				      v->runner_up->id, money_format(v->runner_up->total_cmp, 2, 1, b),
				      money_format(v->runner_up->total_cmp - v->cheapest->total_cmp, 2, 1, d));
		if (k > 0 && (size_t)k < sizeof line) {
			if (v->has_change)
				snprintf(line + k, sizeof line - (size_t)k, "; from %s MAU %s is cheapest",
					 vendor_count_label(v->change_at, c), v->new_cheapest);
			else
				snprintf(line + k, sizeof line - (size_t)k,
					 "; no other option is cheaper up to %s MAU",
					 vendor_count_label(v->looked_to, c));
		}
	}
	emit_line(e, "Verdict", line);
	if (staff_assumed) {
		/* the self-hosting prices, staff cost included, are in USD */
		snprintf(line, sizeof line, "self-hosting includes %g FTE x %s USD/month of engineering"
			 " staff: an ASSUMPTION, confirm it (profile keys staff_fte, staff_monthly_cost)",
			 p->f[PF_STAFF_FTE], vendor_count_label(p->f[PF_STAFF_COST], a));
		emit_line(e, "Staff", line);
	}
}

/*
 * The self-hosting egress price from the imported bill: the average rate
 * of its AWS DataTransfer-Out-Bytes lines over every month imported, when
 * they are in USD (the self-hosting prices' currency).  Sets
 * p->f[PF_EGRESS_PRICE] and p->egress_origin; a database that cannot be
 * read is warned about and left out.
 */
static void
bill_egress_rate(struct cli *cli, struct vprofile *p)
{
	struct ic_error err = { 0 };
	sqlite3 *db = db_open(cli->db_path, DB_READ, &err);
	struct engine *eng;
	double gb = 0, media_gb = 0;
	int64_t cost = 0;
	char cur[8] = "";
	int r;

	if (db == NULL) {
		cli_warn(cli, "egress priced from the catalog, not the bill: %s", err.msg);
		return;
	}
	eng = engine_wrap_sqlite(db);
	r = eng ? levers_bill_egress(eng, INT64_MIN / 2, INT64_MAX / 2, &gb, &media_gb, &cost, cur, &err)
		: ic_errorf(&err, "out of memory");
	engine_close(eng);
	db_close(db);
	if (r != 0) {
		cli_warn(cli, "egress priced from the catalog, not the bill: %s", err.msg);
		return;
	}
	if (!(gb > 0) || cost <= 0)
		return;
	if (strcmp(cur, "USD") != 0) {
		cli_warn(cli, "the bill's egress is in %s, not USD: egress priced from the catalog", cur);
		return;
	}
	p->f[PF_EGRESS_PRICE] = (double)cost / 1e9 / gb;
	p->given |= (uint64_t)1 << PF_EGRESS_PRICE;
	snprintf(p->egress_origin, sizeof p->egress_origin,
		 "imported bill: average rate of its DataTransfer-Out-Bytes, %.6f USD / %.6g GB",
		 (double)cost / 1e9, gb);
}

enum {
	OPT_PROFILE,
	OPT_CATALOG,
	OPT_NO_BUILTIN,
	OPT_SWEEP,
	OPT_CHART,
};

/* Self-hosting compute at the rates of the price lists imported in the
 * database, when there are some.  Returns 0, or -1 with cli->err set. */
static int
use_price_lists(struct cli *cli, struct vcatalog *cat)
{
	if (!(cli->db_path && access(cli->db_path, R_OK) == 0 &&
	      pricebook_list_count(NULL, cli->db_path) > 0))
		return 0;
	/* self-hosting compute at the imported price lists' rates */
	struct catalog *pb = catalog_new();
	int used = 0;

	if (pb == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return -1;
	}
	const char **prov = calloc((size_t)(cat->ninst ? cat->ninst : 1), sizeof *prov);
	const char **reg = calloc((size_t)(cat->ninst ? cat->ninst : 1), sizeof *reg);

	for (int i = 0; prov && reg && i < cat->ninst; i++) {
		prov[i] = cat->inst[i].provider;
		reg[i] = cat->inst[i].region;
	}
	if (prov == NULL || reg == NULL) {
		ic_errorf(&cli->err, "out of memory");
	} else if (pricebook_build_for(pb, cli->db_path, prov, reg, cat->ninst, &cli->err) == 0 &&
		   vcatalog_use_price_lists(cat, pb, &used, &cli->err) == 0) {
		free(prov);
		free(reg);
		prov = reg = NULL;
	}
	catalog_free(pb);
	if (prov != NULL || reg != NULL) {
		free(prov);
		free(reg);
		return -1;
	}
	if (used)
		cli_warn(cli, "%d self-hosting instance type(s) priced from the price lists"
			 " imported in %s", used, cli->db_path);
	return 0;
}

/* Warn about the options that could not be ranked (another currency
 * without an exchange rate) and those priced from third parties. */
static void
quote_warnings(const struct cli *cli, const struct vquote *q, int nq, const struct vprofile *pp)
{
	char missing[64] = "";
	int nmiss = 0, nlow = 0;
	for (int i = 0; i < nq; i++) {
		if (q[i].eligible && !q[i].comparable) {
			nmiss++;
			if (!strstr(missing, q[i].currency))
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
					 missing[0] ? ", " : "", q[i].currency);
		}
		if (q[i].confidence && strcmp(q[i].confidence, "low") == 0)
			nlow++;
	}
	if (nmiss)
		cli_warn(cli, "%d option(s) priced in %s are not ranked against %s: add "
			 "\"exchange_rates\": {\"CUR\": rate} to the profile", nmiss, missing, pp->currency);
	if (nlow)
		cli_warn(cli, "%d option(s) use low-confidence (third-party) prices: see their source",
			 nlow);
}

/* The command line: --profile, --sweep, --chart (NULL when not given),
 * the --catalog files and --no-builtin.  EXIT_OK or a usage error. */
static enum exit_code
vendors_args(struct cli *cli, int argc, char **argv, const char **profile, const char **sweep,
	     const char **chart, const char **catalogs, int *ncat, int *no_builtin)
{
	struct cmd_args args;
	enum exit_code rc = cli_parse(cli, &cmd_vendors_entry, argc, argv, &args);

	if (rc == EXIT_OK && args.npos)
		rc = usage_error(cli, &cmd_vendors_entry, "unknown argument '%s'", args.pos[0]);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++) {
		const char *v = args.v[k].value;

		switch (args.v[k].index) {
		case OPT_PROFILE: *profile = v; break;
		case OPT_SWEEP: *sweep = v; break;
		case OPT_CHART: *chart = v; break;
		case OPT_NO_BUILTIN: *no_builtin = 1; break;
		case OPT_CATALOG:
			if (*ncat == MAX_CATALOGS)
				rc = usage_error(cli, &cmd_vendors_entry, "at most %d --catalog files",
						 MAX_CATALOGS);
			else
				catalogs[(*ncat)++] = v;
			break;
		}
	}
	cmd_args_free(&args);
	return rc;
}

static enum exit_code
vendors_exec(struct cli *cli, int argc, char **argv)
{
	const char *profile = NULL, *sweep = NULL, *chart = NULL, *catalogs[MAX_CATALOGS];
	int ncat = 0, no_builtin = 0, field = -1, points = 0;
	double from = 0, to = 0;
	struct vcatalog *cat = NULL;
	struct vprofile p;
	struct vquote *q = NULL;
	struct vsweep s;
	struct verdict v;
	struct emitter e;
	int nq = 0;
	enum exit_code rc = EXIT_FAIL;

	memset(&s, 0, sizeof s);
	if ((rc = vendors_args(cli, argc, argv, &profile, &sweep, &chart, catalogs, &ncat,
			       &no_builtin)) != EXIT_OK)
		return rc;
	rc = EXIT_FAIL;
	if (profile == NULL)
		return usage_error(cli, &cmd_vendors_entry, "--profile FILE is required");
	if (chart && sweep == NULL)
		return usage_error(cli, &cmd_vendors_entry, "--chart needs --sweep");
	if (chart) {
		const char *ext = strrchr(chart, '.');
		if (ext == NULL || (strcmp(ext, ".png") != 0 && strcmp(ext, ".svg") != 0))
			return usage_error(cli, &cmd_vendors_entry, "--chart FILE must end in .png or .svg");
	}
	if (sweep) {
		int r = parse_sweep(sweep, &field, &from, &to, &points);
		if (r == -2) {
			char names[600] = "";
			for (int k = 0; k < PF_COUNT; k++)
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
					 k ? ", " : "", vprofile_fields()[k].key);
			return usage_error(cli, &cmd_vendors_entry, "--sweep: unknown field (known: %s)", names);
		}
		if (r != 0)
			return usage_error(cli, &cmd_vendors_entry,
					   "--sweep wants FIELD=FROM..TO[:POINTS] with 0 <= FROM < TO, not '%s'", sweep);
	}
	if (vprofile_load(profile, &p, &cli->err) != 0)
		return EXIT_FAIL;
	cat = no_builtin ? vcatalog_new() : vcatalog_builtin(&cli->err);
	if (cat == NULL) {
		if (no_builtin)
			ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	for (int i = 0; i < ncat; i++)
		if (vcatalog_merge_file(cat, catalogs[i], &cli->err) != 0)
			goto out;
	if (!((p.given >> PF_EGRESS_PRICE) & 1) && cli->db_path && access(cli->db_path, R_OK) == 0)
		bill_egress_rate(cli, &p);
	if (use_price_lists(cli, cat) != 0)
		goto out;
	if (cat->nopt + cat->nself == 0) {
		ic_errorf(&cli->err, "the catalog has no vendors and no self-hosted options");
		goto out;
	}
	if (vendors_quote_all(cat, &p, &q, &nq, &cli->err) != 0)
		goto out;
	if (sweep && vendors_sweep(cat, &p, field, from, to, points, &s, &cli->err) != 0)
		goto out;
	if (vendors_verdict_make(cat, &p, q, nq, &v, &cli->err) != 0)
		goto out;
	quote_warnings(cli, q, nq, &p);
	if (emit_begin(&e, stdout, cli->fmt) != 0) {
		ic_errorf(&cli->err, "out of memory");
		goto out;
	}
	if (e.fmt == FMT_TABLE || e.fmt == FMT_MARKDOWN) {
		char h[200];
		snprintf(h, sizeof h, "Vendors vs self-hosting for %s (%.0f MAU), monthly, %s",
			 p.name[0] ? p.name : profile, p.f[PF_MAU], p.currency);
		emit_heading(&e, h);
	}
	emit_verdict(&e, &p, &v);
	vendors_emit_profile(&e, &p);
	vendors_emit_quotes(&e, &p, q, nq);
	if (sweep)
		vendors_emit_sweep(&e, &s, &p);
	if (emit_end(&e) != 0) {
		emit_free(&e);
		ic_errorf(&cli->err, "error writing to standard output");
		goto out;
	}
	emit_free(&e);
	if (chart && write_chart(cli, &s, &p, chart) != 0)
		goto out;
	rc = EXIT_OK;
out:
	free(q);
	vsweep_free(&s);
	vcatalog_free(cat);
	return rc;
}

static const struct cmd_option options[] = {
	{
		.name = "--profile",
		.arg = "PROFILE.json",
		.help =
		"  --profile FILE   the workload (JSON).  mau is required; every other field\n"
		"                   has a default printed as an assumption: dau (30% of mau),\n"
		"                   peak_dau (1.2 x dau), peak_connections (5% of mau),\n"
		"                   connection_minutes, channel_minutes, messages (40 per DAU\n"
		"                   per day), recipients (1), message_bytes (200),\n"
		"                   stored_bytes_per_message, peak_factor (3),\n"
		"                   media_gb_per_month (0), history_retention_days (0 =\n"
		"                   forever), horizon_months (12), groups, sessions_per_dau;\n"
		"                   self-hosting: redundancy_factor (1), database_instances\n"
		"                   (2), push_share, push_price_per_million (0: APNs/FCM),\n"
		"                   monitoring_per_host_month (15), log_bytes_per_message,\n"
		"                   log_price_per_gb, egress_price_per_gb, staff_fte (1) and\n"
		"                   staff_monthly_cost (15,750; both ASSUMPTIONS to confirm);\n"
		"                   also name, currency (USD), region / regions, and\n"
		"                   exchange_rates {\"CNY\": 0.14} to rank other currencies.\n",
	},
	{
		.name = "--catalog",
		.arg = "FILE",
		.repeat = 1,
		.help =
		"  --catalog FILE   merge a catalog over the built-in one (repeatable): an\n"
		"                   entry with the same id replaces it, {\"id\": X, \"remove\":\n"
		"                   true} deletes it.  Malformed entries are errors naming the\n"
		"                   entry and key.  Schema: README-vendors.md.\n",
	},
	{
		.name = "--no-builtin",
		.help =
		"  --no-builtin     start from an empty catalog (only --catalog files)\n",
	},
	{
		.name = "--sweep",
		.arg = "FIELD=FROM..TO[:POINTS",
		.help =
		"  --sweep FIELD=FROM..TO[:POINTS]\n"
		"                   vary one profile field over POINTS values (default 25)\n"
		"                   and report the crossovers: the first value (to a whole\n"
		"                   unit for counts) at which the cheapest option changes.\n"
		"                   Sweeping mau scales the per-user fields given in the\n"
		"                   profile (dau, messages, ...) in proportion.\n",
	},
	{
		.name = "--chart",
		.arg = "FILE.png|FILE.svg",
		.help =
		"  --chart FILE     with --sweep: draw the monthly cost of each vendor's\n"
		"                   cheapest plan against the field with gnuplot, log-log,\n"
		"                   crossovers marked (.png or .svg); FILE.dat and FILE.gp\n"
		"                   are kept beside it.  Without\n"
		"                   gnuplot a warning is printed and the rest goes on.\n",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_vendors_entry = {
	.name = "vendors",
	.usage = "--profile PROFILE.json [--catalog FILE]... [--no-builtin] "
		 "[--sweep FIELD=FROM..TO[:POINTS] [--chart FILE.png|FILE.svg]]",
	.summary = "hosted IM vendors vs self-hosting, priced for your workload",
	.help =
	"Prices every option of the vendor catalog for the workload in PROFILE.json\n"
	"and ranks them by monthly cost, with the cost of each billing component:\n"
	"hosted IM / chat clouds (per MAU, peak DAU, peak connection, connection-\n"
	"minute, message, GB; plan fees with included units, graduated / volume /\n"
	"bracket tiers, blocks rounded up or down, monthly minimums, plan limits),\n"
	"and self-hosting a named chat server on cloud VMs (instances sized from a\n"
	"published benchmark with headroom and N+1, on demand and with the best\n"
	"commitment, plus the history database servers, history and media\n"
	"storage, egress, load balancer, monitoring, logging, push notifications and\n"
	"engineering staff).  On top, the verdict: the cheapest option,\n"
	"the runner-up and the difference, and the MAU at which the cheapest changes.\n"
	"\n",
	.options = options,
	.says_argument = 1,
	.help_end =
	"\n"
	"Options in another currency than the profile's are ranked only with an\n"
	"exchange rate.  Every built-in price has a source and an as-of date;\n"
	"low-confidence figures are marked.  A plan whose limits the workload\n"
	"exceeds is listed as not eligible, with the reason.\n",
	.exec = vendors_exec,
};
