/*
 * cmd-prices.c - imcost prices: the imported price lists, and the prices
 * known for a provider, region, instance type and platform (issue 14).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "cli/cli.h"
#include "importers/prices-query.h"

static const struct table_col list_cols[] = {
	{ "list_id", "List", CELL_INT, 0 },
	{ "import_id", "Import", CELL_INT, 0 },
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "offer", "Offer", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "publication", "Published", CELL_TEXT, 0 },
	{ "prices", "Prices", CELL_INT, 0 },
	{ "file", "File", CELL_TEXT, 0 },
	{ "status", "Status", CELL_TEXT, 0 },
};

static const struct table_col price_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "term", "Term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "offering_class", "Class", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "upfront", "Upfront", CELL_MONEY, 0 },
	{ "hourly", "Hourly", CELL_MONEY, 6 },
	{ "effective_hourly", "Effective/h", CELL_MONEY, 6 },
	{ "vcpu", "vCPU", CELL_NUM, 0 },
	{ "memory_gib", "GiB", CELL_NUM, 0 },
	{ "price_source", "Source", CELL_TEXT, 0 },
};

static int
term_hours(const char *t)
{
	for (int i = 0; i < NTERMS; i++)
		if (strcmp(t, commit_term_names[i]) == 0)
			return commit_term_hours[i];
	return 0;
}

static int
add_price(struct table *t, const char *prov, const char *region, const char *type,
	  const char *plat, const char *kind, const char *term, const char *pay, const char *oc,
	  const char *cur, int64_t up, int64_t hr, double vcpu, double mem, const char *src)
{
	int r = table_add_row(t), th = term_hours(term);

	if (r < 0)
		return -1;
	table_set_text(t, r, 0, prov);
	table_set_text(t, r, 1, region);
	table_set_text(t, r, 2, type);
	table_set_text(t, r, 3, plat);
	table_set_text(t, r, 4, kind);
	table_set_text(t, r, 5, term);
	table_set_text(t, r, 6, pay);
	table_set_text(t, r, 7, oc);
	table_set_text(t, r, 8, cur);
	table_set_money(t, r, 9, up);
	table_set_money(t, r, 10, hr);
	table_set_money(t, r, 11, hr + (th > 0 ? (up + th / 2) / th : 0));
	if (vcpu > 0)
		table_set_num(t, r, 12, vcpu);
	if (mem > 0)
		table_set_num(t, r, 13, mem);
	table_set_text(t, r, 14, src);
	return 0;
}

static int
matches(const char *want, const char *have, int provider)
{
	char a[64], b[64];

	if (want == NULL)
		return 1;
	if (provider)
		return strcmp(catalog_fold_provider(want, a, sizeof a),
			      catalog_fold_provider(have, b, sizeof b)) == 0;
	return strcasecmp(want, have) == 0;
}

/* the built-in catalog's entries that match, as rows with source built-in */
static int
builtin_rows(struct table *t, const char *prov, const char *region, const char *type,
	     const char *plat, struct ic_error *err)
{
	struct catalog *c = catalog_new();
	char f1[64], f2[64];

	if (c == NULL || catalog_load_builtin(c, err) != 0) {
		catalog_free(c);
		return c ? -1 : ic_errorf(err, "out of memory");
	}
	for (int i = 0; i < c->n; i++) {
		const struct catalog_entry *e = &c->e[i];
		if (!matches(prov, e->provider, 1) || !matches(region, e->region, 0) ||
		    !matches(type, e->instance_type, 0))
			continue;
		if (plat && strcmp(catalog_fold_platform(plat, f1, sizeof f1),
				   catalog_fold_platform(e->platform, f2, sizeof f2)) != 0)
			continue;
		add_price(t, e->provider, e->region, e->instance_type, e->platform, "on_demand", "", "",
			  "", e->currency, 0, e->on_demand_hourly, e->vcpu, e->memory_gib, "built-in");
		for (int k = 0; k < e->noffers; k++) {
			const struct catalog_offer *o = &e->offers[k];
			add_price(t, e->provider, e->region, e->instance_type, e->platform,
				  o->savings_plan ? "savings_plan" : "reserved", commit_term_names[o->term],
				  commit_payment_names[o->payment], "", e->currency, o->upfront, o->hourly,
				  e->vcpu, e->memory_gib, "built-in");
		}
	}
	catalog_free(c);
	return 0;
}

enum {
	OPT_PROVIDER,
	OPT_REGION,
	OPT_TYPE,
	OPT_PLATFORM,
	OPT_KIND,
	OPT_ALL,
};

/* prices_query_lists: one row of the table t */
static int
list_row(void *arg, const struct price_list_row *l)
{
	struct table *t = arg;
	int row = table_add_row(t);
	const char *base = strrchr(l->path, '/');
	char status[48];

	table_set_int(t, row, 0, l->id);
	table_set_int(t, row, 1, l->import_id);
	table_set_text(t, row, 2, l->provider);
	table_set_text(t, row, 3, l->offer);
	table_set_text(t, row, 4, l->region);
	table_set_text(t, row, 5, l->publication);
	table_set_int(t, row, 6, l->rows);
	table_set_text(t, row, 7, base ? base + 1 : l->path);
	if (l->replaced_by == 0)
		snprintf(status, sizeof status, "current");
	else
		snprintf(status, sizeof status, "replaced by import %lld", (long long)l->replaced_by);
	table_set_text(t, row, 8, status);
	return 0;
}

/* What a lookup asks (--provider and --platform are matched here, as
 * their aliases fold) and where its rows go. */
struct lookup {
	const char *prov, *plat;
	struct table *t;
};

/* prices_query_lookup: one row of the table, when provider and platform match */
static int
price_row(void *arg, const struct price_row *p)
{
	struct lookup *lk = arg;
	const char *base = strrchr(p->path, '/');
	char src[300];

	if (!matches(lk->prov, p->provider, 1))
		return 0;
	if (lk->plat) {
		char f1[96], f2[96];
		if (strcmp(catalog_fold_platform(lk->plat, f1, sizeof f1),
			   catalog_fold_platform(p->platform, f2, sizeof f2)) != 0)
			return 0;
	}
	snprintf(src, sizeof src, "%.200s (%s %.10s)%s", base ? base + 1 : p->path,
		 *p->publication ? "published" : "no date", p->publication,
		 p->replaced ? " [replaced]" : "");
	add_price(lk->t, p->provider, p->region, p->instance_type, p->platform, p->kind, p->term,
		  p->payment, p->offering_class, p->currency, p->upfront_nanos, p->hourly_nanos,
		  p->vcpu, p->memory_gib, src);
	return 0;
}

static enum exit_code
prices_exec(struct cli *cli, int argc, char **argv)
{
	const char *region, *type, *kind;
	struct lookup lk;
	int all, lookup, r;
	struct table *t;
	struct cmd_args args;
	enum exit_code rc = cli_parse(cli, &cmd_prices_entry, argc, argv, &args);

	if (rc == EXIT_OK && args.npos)
		rc = usage_error(cli, &cmd_prices_entry, "unknown argument '%s'", args.pos[0]);
	lk.prov = cmd_args_last(&args, OPT_PROVIDER);
	region = cmd_args_last(&args, OPT_REGION);
	type = cmd_args_last(&args, OPT_TYPE);
	lk.plat = cmd_args_last(&args, OPT_PLATFORM);
	kind = cmd_args_last(&args, OPT_KIND);
	all = cmd_args_count(&args, OPT_ALL) > 0;
	cmd_args_free(&args);
	if (rc != EXIT_OK)
		return rc;
	lookup = lk.prov || region || type || lk.plat || kind;
	t = lookup ? table_new("Prices", price_cols, 15) : table_new("Imported price lists", list_cols, 9);
	if (t == NULL)
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	lk.t = t;
	r = lookup ? prices_query_lookup(cli->db_path, region, type, kind, all, price_row, &lk, &cli->err) :
		prices_query_lists(cli->db_path, list_row, t, &cli->err);
	if (r != 0) {
		table_free(t);
		return EXIT_FAIL;
	}
	if (lookup && (kind == NULL || strcmp(kind, "on_demand") == 0 || strcmp(kind, "reserved") == 0 ||
		       strcmp(kind, "savings_plan") == 0) &&
	    builtin_rows(t, lk.prov, region, type, lk.plat, &cli->err) != 0) {
		table_free(t);
		return EXIT_FAIL;
	}
	r = table_print(t, stdout, cli->fmt);
	table_free(t);
	if (r != 0)
		return ic_errorf(&cli->err, "error writing to standard output"), EXIT_FAIL;
	return EXIT_OK;
}

static const struct cmd_option options[] = {
	{
		.name = "--provider",
		.arg = "P",
		.help =
		"  --provider P   AWS, Azure, GCP, Alibaba, Tencent (aliases folded)\n",
	},
	{
		.name = "--region",
		.arg = "R",
		.help =
		"  --region R     region code: us-east-1, eastus, us-central1, cn-hangzhou\n",
	},
	{
		.name = "--type",
		.arg = "T",
		.help =
		"  --type T       instance type: m6i.large, Standard_D2s_v5, n2-standard-4\n",
	},
	{
		.name = "--platform",
		.arg = "P",
		.help =
		"  --platform P   Linux, Windows, RHEL, SUSE, ... (\"Linux (Dedicated)\")\n",
	},
	{
		.name = "--kind",
		.arg = "K",
		.help =
		"  --kind K       on_demand, reserved, savings_plan, compute_savings_plan,\n"
		"                 subscription\n",
	},
	{
		.name = "--all",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_prices_entry = {
	.name = "prices",
	.usage = "[--provider P] [--region R] [--type T] [--platform P] [--kind K] [--all]",
	.summary = "the imported price lists, and the prices known for an instance type",
	.help =
	"Without options: one line per imported price list (provider, offer, region,\n"
	"publication, prices, file) and whether it is current or was replaced by a\n"
	"newer publication.  With any option: the prices of the current lists that\n"
	"match, then the built-in catalog's; --all includes replaced lists.\n"
	"\n",
	.options = options,
	.says_argument = 1,
	.help_end =
	"\n"
	"Money is per instance: upfront once per term, hourly every hour of it;\n"
	"effective_hourly = hourly + upfront / term hours (1y = 8760 h, 3y = 26280 h,\n"
	"1m = 730 h).  Which price an analysis uses: imcost analyze --help and the\n"
	"README (precedence: --pricing, imported price lists, the bill's rates,\n"
	"built-in).\n",
	.exec = prices_exec,
};
