/*
 * cmd-analyze-options.c - the option table of imcost analyze: every
 * option's name, value and --help lines (34 options, most of them the
 * thresholds of analyzers/options.h with their defaults and sources).  A
 * companion of cmd-analyze.c, which parses and dispatches: the table's
 * help text alone is 300 lines.
 */
#include <stddef.h>

#include "cli/cmd-analyze-int.h"
#include "cli/options.h"

const struct cmd_option analyze_options[] = {
	{
		.name = "--month",
		.arg = "YYYY-MM",
		.help =
		"  --month YYYY-MM   only charges whose billing period starts in that month\n"
		"                    (also this: the current month, last: the one before; UTC)\n",
	},
	{
		.name = "--since",
		.arg = "YYYY-MM-DD",
		.help =
		"  --since DAY, --until DAY\n"
		"                    only charges whose charge period starts on or after DAY\n"
		"                    (YYYY-MM-DD, UTC) / before DAY (exclusive); the other\n"
		"                    analyses read the billing months these days fall in\n",
	},
	{
		.name = "--group-by",
		.arg = "KEY",
		.help =
		"  --group-by KEY    the summary adds the cost of each value of KEY: service,\n"
		"                    account, region, provider, category, resource or tag:NAME\n"
		"                    (tag names match whatever the case, user: prefix or\n"
		"                    separators); for a tag, also the untagged cost and the\n"
		"                    top untagged resources\n",
	},
	{
		.name = "--filter",
		.arg = "KEY=VALUE|KEY!=VALUE",
		.repeat = 1,
		.help =
		"  --filter KEY=VALUE, --filter KEY!=VALUE\n"
		"                    only charges whose KEY is (is not) VALUE; repeatable (all\n"
		"                    must hold); a charge without a tag is != every value.\n"
		"                    Only the summary applies --filter/--since/--until; the\n"
		"                    other analyses say \"filter not applied\"\n"
		"                    (default: every period in the data)\n",
	},
	{
		.name = "--only",
		.arg = "LIST",
		.help =
		"  --only LIST       comma-separated analyses to run (default: all); with\n"
		"                    --format csv, the one table to print (an analysis that\n"
		"                    prints one, or a section such as by_service, existing,\n"
		"                    recommendations, not_assessed), without its title line:\n"
		"                      summary      billed vs effective cost by service, account,\n"
		"                                   region, charge category, day, day and service;\n"
		"                                   top resources\n"
		"                      commitments  coverage and utilization of reservations and\n"
		"                                   savings plans; what to buy\n"
		"                      idle         idle instances, volumes, addresses, NAT\n"
		"                                   gateways, load balancers, unused commitments\n"
		"                      anomalies    daily cost spikes per service\n"
		"                      forecast     month-end projection\n"
		"                      unit_economics  cost per MAU, per million messages, per\n"
		"                                   peak connection\n"
		"                      rightsizing  the next smaller size that keeps headroom\n"
		"                      allocation   cost per team, product or IM feature\n"
		"                                   (with --allocation)\n",
	},
	{
		.name = "--as",
		.arg = "FORMAT",
		.help =
		"  --as FORMAT       force the format of the FILEs\n",
	},
	{
		.name = "--allocation",
		.arg = "RULES",
		.help =
		"  --allocation RULES  allocate the effective cost to the values of a JSON\n"
		"                    rules file (ordered rules, first match wins, globs on\n"
		"                    tag:KEY, service, usage_type, region, account, resource,\n"
		"                    provider, charge_category) and split shared costs\n"
		"                    (proportional, even, fixed ratios, a usage metric) exactly\n"
		"                    to the nano; README.md \"Allocation rules\", example\n"
		"                    PREFIX/share/imcost/allocation-im.json\n",
	},
	{
		.name = "--top",
		.arg = "N",
		.help =
		"  --top N           top actions in the savings block (default 5)\n",
	},
	{
		.name = "--fail-on",
		.arg = "KIND=AMOUNT[,...",
		.repeat = 1,
		.help =
		"  --fail-on KIND=AMOUNT[,...]  exit 3 (after printing everything) when a\n"
		"                    value reaches AMOUNT, for CI; kinds: savings (the total),\n"
		"                    waste (idle + unused_commitments), commitments, idle,\n"
		"                    unused_commitments, rightsizing (money a month, in the\n"
		"                    savings' currency) and anomaly (anomalies found), e.g.\n"
		"                    --fail-on waste=100,anomaly=1\n",
	},
	{
		.name = "--engine",
		.arg = "URL",
		.help =
		"  --engine URL      where the charges live: sqlite:PATH (the default, --db),\n"
		"                    clickhouse://HOST:PORT/DB[?cluster=NAME] or\n"
		"                    postgresql://HOST:PORT/DB (imported there with imcost\n"
		"                    import --engine); the aggregate queries run on the engine\n",
	},
	{
		.name = "--pricing",
		.arg = "FILE",
		.repeat = 1,
		.help =
		"  --pricing FILE    a pricing catalog (JSON) over every other price: its entries\n"
		"                    add to or replace the entries with the same provider,\n"
		"                    region, instance type and platform; may repeat.\n"
		"                    Format: {\"compute\":[{\"provider\",\"region\",\"instance_type\",\n"
		"                    \"platform\",\"on_demand_hourly\",\"commitments\":[{\"term\":\n"
		"                    \"1y|3y|1m\",\"payment\":\"no_upfront|partial_upfront|\n"
		"                    all_upfront\",\"upfront\",\"hourly\",\"type\":\"reserved|\n"
		"                    savings_plan\"}]}]}, optional currency (USD), vcpu,\n"
		"                    memory_gib, source, as_of.  The built-in catalog is installed\n"
		"                    as PREFIX/share/imcost/catalog.json.\n",
	},
	{
		.name = "--top-resources",
		.arg = "N",
		.before =
		"\n"
		"Prices (lowest precedence first): the built-in catalog, the bill's own\n"
		"on-demand rates (list cost / quantity), imported price lists (imcost import;\n"
		"the newest publication; read from --db whatever the --engine), --pricing\n"
		"files.  Every recommendation names its price_source; every instance group\n"
		"used on demand is in recommendations[], no_saving[] (with the break-even\n"
		"utilization) or unpriced[] (with the reason and the fix).\n"
		"\n"
		"Summary:\n",
		.help =
		"  --top-resources N resources in summary.by_resource, by effective cost in the\n"
		"                    period (default 20; 0: none)\n",
	},
	{
		.name = "--lookback",
		.arg = "DAYS",
		.before =
		"\n"
		"Commitments (purchase advice; monthly = 730 hours):\n",
		.help =
		"  --lookback DAYS   hours of on-demand usage to size purchases on: the DAYS\n"
		"                    before the end of the data (default: the analyzed period)\n",
	},
	{
		.name = "--commit-min-days",
		.arg = "N",
		.help =
		"  --commit-min-days N  no advice from a shorter window (default 7: one weekly\n"
		"                    cycle)\n",
	},
	{
		.name = "--term",
		.arg = "LIST",
		.help =
		"  --term LIST       offers to consider: 1y, 3y, 1m or any (default 1y,1m: a\n"
		"                    month of history is weak evidence for three years)\n",
	},
	{
		.name = "--payment",
		.arg = "LIST",
		.help =
		"  --payment LIST    no_upfront, partial_upfront, all_upfront or any (default any)\n",
	},
	{
		.name = "--idle-cpu",
		.arg = "PCT",
		.before =
		"  The count bought is the k maximizing sum_h p*min(u_h,k) - k*c*H; instances the\n"
		"  idle analysis flags are left out of u_h.  Usage billed on lines longer than\n"
		"  an hour (a daily CUR) says nothing about its hours: such groups get no\n"
		"  advice and a note (export the CUR with hourly granularity).  AWS Linux/UNIX\n"
		"  sizes of one family are sized together in normalized units (AWS's size\n"
		"  factors: large 4, xlarge 8, ...), counted in the smallest priced size.\n"
		"  Coverage as AWS states it: reservations in normalized units, savings plans by\n"
		"  cost (covered on-demand equivalent / that + on-demand spend).\n"
		"\n"
		"Idle and waste (defaults after AWS Trusted Advisor's low-utilization check:\n"
		"daily average CPU 10% or less and network I/O 5 MB or less on at least 4 of\n"
		"the last 14 days):\n",
		.help =
		"  --idle-cpu PCT          daily average CPU at most PCT (default 10)\n",
	},
	{
		.name = "--idle-network-mb",
		.arg = "MB",
		.help =
		"  --idle-network-mb MB    daily network in + out at most MB, 1 MB = 10^6 bytes\n"
		"                          (default 5)\n",
	},
	{
		.name = "--idle-min-days",
		.arg = "N",
		.help =
		"  --idle-min-days N       at least N such days (default 4)\n",
	},
	{
		.name = "--idle-window",
		.arg = "N",
		.help =
		"  --idle-window N         among the last N days with CPU metrics in the period\n"
		"                          (default 14, as Trusted Advisor); 0: the whole period,\n"
		"                          where the low days must also be more than --idle-share\n"
		"                          of the days with metrics (an instance idle for weeks\n"
		"                          and busy since is then not flagged, nor the reverse)\n",
	},
	{
		.name = "--idle-share",
		.arg = "R",
		.help =
		"  --idle-share R          with --idle-window 0: more than R of the days with\n"
		"                          metrics (default 0.5)\n",
	},
	{
		.name = "--idle-volume-ops",
		.arg = "N",
		.help =
		"  --idle-volume-ops N     volumes: fewer than N read+write operations a day on\n"
		"                          average (default 1, i.e. no I/O)\n",
	},
	{
		.name = "--idle-traffic-share",
		.arg = "R",
		.help =
		"  --idle-traffic-share R  NAT gateways and load balancers: traffic charges below\n"
		"                          R of their hourly charges (default 0.01, imcost's\n"
		"                          choice)\n",
	},
	{
		.name = "--rightsize-percentile",
		.arg = "P",
		.before =
		"\n"
		"Rightsizing (next smaller size of the same family in the catalog; defaults\n"
		"after AWS Compute Optimizer: CPU threshold p99.5, 20% headroom):\n",
		.help =
		"  --rightsize-percentile P  the percentile of the hourly samples judged\n"
		"                          (default 99.5; 95 is the older, more aggressive rule)\n",
	},
	{
		.name = "--rightsize-cpu",
		.arg = "PCT",
		.help =
		"  --rightsize-cpu PCT     that percentile of CPU scaled to the smaller size at\n"
		"                          most PCT (default 80, i.e. 20% headroom)\n",
	},
	{
		.name = "--rightsize-memory",
		.arg = "PCT",
		.help =
		"  --rightsize-memory PCT  the same for memory_utilization when present (80)\n",
	},
	{
		.name = "--rightsize-min-hours",
		.arg = "N",
		.help =
		"  --rightsize-min-hours N hourly CPU samples needed (default 168, one week)\n",
	},
	{
		.name = "--anomaly-window",
		.arg = "DAYS",
		.before =
		"\n"
		"Anomalies (daily effective cost of usage per service):\n",
		.help =
		"  --anomaly-window DAYS   trailing days of the median/MAD baseline (default 14)\n",
	},
	{
		.name = "--anomaly-min-history",
		.arg = "N",
		.help =
		"  --anomaly-min-history N baseline days needed (default 7)\n",
	},
	{
		.name = "--anomaly-z",
		.arg = "Z",
		.help =
		"  --anomaly-z Z           modified z-score 0.6745*(x-median)/MAD above Z\n"
		"                          (default 3.5, Iglewicz and Hoaglin's outlier rule)\n",
	},
	{
		.name = "--anomaly-min-impact",
		.arg = "A",
		.help =
		"  --anomaly-min-impact A  and actual - expected at least A (default 1.00, in\n"
		"                          the billing currency)\n",
	},
	{
		.name = "--anomaly-min-share",
		.arg = "R",
		.help =
		"  --anomaly-min-share R   and at least R x the expected day (default 0.1: the\n"
		"                          absolute and percentage floors of AWS Cost Anomaly\n"
		"                          Detection's alerts; 10% is imcost's choice), and that\n"
		"                          far above the same weekday of the baseline.  A step\n"
		"                          that stays up is one level_shift from its first day\n",
	},
	{
		.name = "--forecast-weekday-days",
		.arg = "N",
		.before =
		"\n"
		"Forecast:\n",
		.help =
		"  --forecast-weekday-days N  use the weekday pattern once N complete days are\n"
		"                          seen (default 14: two of each weekday); else run-rate\n",
	},
	{
		.name = "--until",
		.arg = "DAY",
	},
	{ .name = NULL }
};
