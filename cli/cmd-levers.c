/*
 * cmd-levers.c - imcost levers [--bill [--month YYYY-MM]] [--messages
 * SAMPLE.jsonl] [--profile PROFILE.json] [--catalog FILE] [overrides]
 *
 * What-if savings of the IM cost levers (analyzers/levers.c): compression,
 * WebSocket vs long polling, history retention and tiering, commitments.
 * Each lever prints its inputs with their sources, its formula and its
 * outputs (analyzers/levers-emit.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/commitments.h"
#include "analyzers/levers.h"
#include "analyzers/levers-emit.h"
#include "analyzers/rollups.h"
#include "analyzers/vendors.h"
#include "cli/cli.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/decimal.h"
#include "common/timeparse.h"
#include "output/emit.h"

extern const struct cmd_entry cmd_levers_entry;

/* A numeric option value: returns 0, or a usage error. */
static int
num_opt(const char *s, double *v)
{
	return number_parse(s, strlen(s), v) == NUM_OK && *v >= 0 ? 0 : -1;
}

/* The latest billing month that has charges, or -1 with err set. */
static int
latest_month(struct engine *eng, int64_t *start, int64_t *end, struct ic_error *err)
{
	int64_t *m;
	size_t n;
	int r;

	r = an_billing_months(eng, &m, &n, err);
	if (r != 0)
		return -1;
	if (n == 0)
		return ic_errorf(err, "no charges in the database yet (imcost import FILE)");
	*start = m[n - 1];
	*end = month_next(*start);
	free(m);
	return 0;
}

static int
rate_opt(const char *s, struct lever_rate *r, const char *what)
{
	if (money_parse(s, strlen(s), &r->nanos) != NUM_OK || r->nanos < 0)
		return -1;
	snprintf(r->source, sizeof r->source, "%s (command line)", what);
	return 0;
}

enum {
	OPT_BILL,
	OPT_MONTH,
	OPT_PRICING,
	OPT_MESSAGES,
	OPT_PROFILE,
	OPT_CATALOG,
	OPT_EGRESS_GB,
	OPT_EGRESS_RATE,
	OPT_COMPRESSIBLE_SHARE,
	OPT_LEVEL,
	OPT_POLL_TIMEOUT,
	OPT_HTTP_HEADER_BYTES,
	OPT_RESPONSE_SHARE,
	OPT_PING_INTERVAL,
	OPT_RETENTION_DAYS,
	OPT_HOT_PRICE,
	OPT_COLD_PRICE,
	OPT_NOPTS
};

/* One run of levers: the command line, the prices and the levers found. */
struct levers_run {
	const char *val[OPT_NOPTS];	/* each option's value, NULL when not given */
	int bill, have_profile, nlv, level;
	struct vprofile p;
	struct vcatalog *cat;
	const struct vinfra *inf;
	struct lever lv[NLEVERS];
	struct lever_rate egress_rate, hot, cold, lcu;
	double egress_gb, share, d, media_gb;
	char egress_src[240], share_src[200], month_buf[16], *period;
	sqlite3 *db;
	struct engine *eng;		/* over db: one for the run, so the TEMP
					   rollups are built once (engine_rollups) */
	int64_t start, end;
	struct vquote *q;
	int nq;
};

/* The command line into r, checked: EXIT_OK or a usage error. */
static enum exit_code
levers_args(struct cli *cli, int argc, char **argv, struct levers_run *r)
{
	const struct cmd_option *opts = cmd_levers_entry.options;
	struct cmd_args args;
	enum exit_code rc;

	if ((rc = cli_parse(cli, &cmd_levers_entry, argc, argv, &args)) == EXIT_OK && args.npos)
		rc = usage_error(cli, &cmd_levers_entry, "unknown argument '%s'", args.pos[0]);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++) {
		if (args.v[k].index == OPT_BILL)
			r->bill = 1;
		else
			r->val[args.v[k].index] = args.v[k].value;
	}
	cmd_args_free(&args);
	if (rc != EXIT_OK)
		return rc;
	/* validate the numeric overrides up front: usage errors */
	for (int k = OPT_EGRESS_GB; k < OPT_NOPTS; k++) {
		if (r->val[k] == NULL || k == OPT_EGRESS_RATE || k == OPT_HOT_PRICE || k == OPT_COLD_PRICE)
			continue;
		if (num_opt(r->val[k], &r->d) != 0)
			return usage_error(cli, &cmd_levers_entry, "%s wants a number >= 0, not '%s'",
					   opts[k].name, r->val[k]);
	}
	if (r->val[OPT_COMPRESSIBLE_SHARE] &&
	    (num_opt(r->val[OPT_COMPRESSIBLE_SHARE], &r->share), r->share > 1))
		return usage_error(cli, &cmd_levers_entry, "--compressible-share is a fraction 0..1");
	if (r->val[OPT_COMPRESSIBLE_SHARE])
		snprintf(r->share_src, sizeof r->share_src, "--compressible-share (command line)");
	if (r->val[OPT_LEVEL]) {
		num_opt(r->val[OPT_LEVEL], &r->d);
		if (r->d > 9 || r->d != floor(r->d))
			return usage_error(cli, &cmd_levers_entry, "--level is 0..9");
		r->level = (int)r->d;
	}
	if ((r->val[OPT_MONTH] || r->val[OPT_PRICING]) && !r->bill)
		return usage_error(cli, &cmd_levers_entry, "--month and --pricing go with --bill");
	if (r->val[OPT_MONTH] && (rc = cli_month_arg(cli, &cmd_levers_entry, r->val[OPT_MONTH],
						     &r->start, &r->end)) != EXIT_OK)
		return rc;
	if (r->val[OPT_EGRESS_RATE] &&
	    rate_opt(r->val[OPT_EGRESS_RATE], &r->egress_rate, "--egress-rate") != 0)
		return usage_error(cli, &cmd_levers_entry, "--egress-rate wants a price >= 0");
	if (r->val[OPT_HOT_PRICE] && rate_opt(r->val[OPT_HOT_PRICE], &r->hot, "--hot-price") != 0)
		return usage_error(cli, &cmd_levers_entry, "--hot-price wants a price >= 0");
	if (r->val[OPT_COLD_PRICE] && rate_opt(r->val[OPT_COLD_PRICE], &r->cold, "--cold-price") != 0)
		return usage_error(cli, &cmd_levers_entry, "--cold-price wants a price >= 0");
	if (!r->bill && !r->val[OPT_PROFILE] && !r->val[OPT_MESSAGES])
		return usage_error(cli, &cmd_levers_entry, "give --bill, --profile or --messages");
	return EXIT_OK;
}

/* The profile (or the defaults), the vendor catalog and the prices it
 * gives the levers. */
static enum exit_code
levers_setup(struct cli *cli, struct levers_run *r)
{
	if (r->val[OPT_PROFILE]) {
		if (vprofile_load(r->val[OPT_PROFILE], &r->p, &cli->err) != 0)
			return EXIT_FAIL;
		r->have_profile = 1;
		if (r->share < 0 && (r->p.given >> PF_COMPRESSIBLE_SHARE & 1u)) {
			r->share = r->p.f[PF_COMPRESSIBLE_SHARE];
			snprintf(r->share_src, sizeof r->share_src, "profile compressible_share");
		}
	} else {
		memset(&r->p, 0, sizeof r->p);
		snprintf(r->p.currency, sizeof r->p.currency, "USD");
		snprintf(r->p.region, sizeof r->p.region, "us-east-1");
	}
	r->cat = vcatalog_builtin(&cli->err);
	if (r->cat == NULL)
		return EXIT_FAIL;
	if (r->val[OPT_CATALOG] && vcatalog_merge_file(r->cat, r->val[OPT_CATALOG], &cli->err) != 0)
		return EXIT_FAIL;
	r->inf = vcatalog_infra(r->cat, "aws", r->p.region);
	if (r->inf == NULL)
		r->inf = vcatalog_infra(r->cat, "aws", "us-east-1");
	if (r->inf) {
		char src[160];
		snprintf(src, sizeof src, "catalog %.20s/%.30s infrastructure (%.40s)", r->inf->provider,
			 r->inf->region, r->inf->as_of);
		if (!r->val[OPT_EGRESS_RATE]) {
			for (int i = 0; i < r->inf->negress; i++)
				if (r->inf->egress[i].price > 0) {
					r->egress_rate.nanos = r->inf->egress[i].price;
					snprintf(r->egress_rate.source, sizeof r->egress_rate.source,
						 "%s: first paid internet egress tier", src);
					break;
				}
		}
		if (!r->val[OPT_HOT_PRICE]) {
			r->hot.nanos = r->inf->block_gb_month;
			snprintf(r->hot.source, sizeof r->hot.source, "%s: block storage (EBS gp3)", src);
		}
		if (!r->val[OPT_COLD_PRICE]) {
			r->cold.nanos = r->inf->object_gb_month;
			snprintf(r->cold.source, sizeof r->cold.source, "%s: object storage (S3 Standard)", src);
		}
		r->lcu.nanos = r->inf->alb_lcu_hourly;
		snprintf(r->lcu.source, sizeof r->lcu.source, "%s: ALB LCU-hour", src);
	}
	return EXIT_OK;
}

/* --bill: the month, and the egress and its rate from the bill. */
static enum exit_code
levers_bill(struct cli *cli, struct levers_run *r)
{
	int64_t cost;
	char cur[8];

	r->db = db_open(cli->db_path, DB_READ, &cli->err);
	if (r->db == NULL)
		return EXIT_FAIL;
	r->eng = engine_wrap_sqlite(r->db);
	if (r->eng == NULL)
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	if (!r->val[OPT_MONTH] && latest_month(r->eng, &r->start, &r->end, &cli->err) != 0)
		return EXIT_FAIL;
	/* no charges that month: the months there are (as analyze) */
	if (r->val[OPT_MONTH] &&
	    cli_check_period(cli, r->eng, r->start, r->end, cli->db_path) != EXIT_OK)
		return EXIT_FAIL;
	r->period = month_format(r->start, r->month_buf);
	if (levers_bill_egress(r->eng, r->start, r->end, &r->d, &r->media_gb, &cost, cur,
			       &cli->err) != 0)
		return EXIT_FAIL;
	if (r->d > 0) {
		if (r->share < 0 && r->media_gb > 0) {
			/* the bill tells: egress billed to S3 / CloudFront is files and
			 * media, the rest is the chat servers' */
			r->share = (r->d - r->media_gb) / r->d;
			snprintf(r->share_src, sizeof r->share_src,
				 "bill %s usage types: %.6g of %.6g GB billed to S3/CloudFront taken as "
				 "media, the rest as message traffic", r->period, r->media_gb, r->d);
		}
		levers_compressible_share(&r->p, r->have_profile, &r->share, r->share_src, sizeof r->share_src);
		r->egress_gb = r->d * r->share;
		snprintf(r->egress_src, sizeof r->egress_src,
			 "bill %s: %.6g GB of DataTransfer-Out-Bytes x compressible share %.6g (%.150s)",
			 r->period, r->d, r->share, r->share_src);
		snprintf(r->p.currency, sizeof r->p.currency, "%s", cur);
		if (!r->val[OPT_EGRESS_RATE]) {
			r->egress_rate.nanos = (int64_t)llround((double)cost / r->d);
			snprintf(r->egress_rate.source, sizeof r->egress_rate.source,
				 "bill %s: average rate, %.6f %s / %.6g GB", r->period, (double)cost / 1e9,
				 cur, r->d);
		}
	} else {
		cli_warn(cli, "the bill for %s has no internet egress (DataTransfer-Out-Bytes) lines",
			 r->period);
	}
	return EXIT_OK;
}

/* The compressible egress, and with --messages the compression levers. */
static enum exit_code
levers_compression(struct cli *cli, struct levers_run *r)
{
	if (r->val[OPT_EGRESS_GB]) {
		num_opt(r->val[OPT_EGRESS_GB], &r->egress_gb);
		levers_compressible_share(&r->p, r->have_profile, &r->share, r->share_src, sizeof r->share_src);
		r->egress_gb *= r->share;
		snprintf(r->egress_src, sizeof r->egress_src, "--egress-gb x compressible share %.6g (%.150s)", r->share,
			 r->share_src);
	} else if (r->egress_gb < 0 && r->have_profile) {
		r->egress_gb = r->p.f[PF_MESSAGES] * r->p.f[PF_RECIPIENTS] * r->p.f[PF_MESSAGE_BYTES] / 1e9;
		snprintf(r->egress_src, sizeof r->egress_src,
			 "profile: messages x recipients x message_bytes / 1e9 (payloads only, all "
			 "compressible; media excluded)");
	}

	/* compression: message-level and permessage-deflate */
	if (r->val[OPT_MESSAGES]) {
		struct deflate_stats st;
		struct compression_inputs ci;

		if (deflate_measure_file(r->val[OPT_MESSAGES], r->level, &st, &cli->err) != 0)
			return EXIT_FAIL;
		memset(&ci, 0, sizeof ci);
		ci.st = &st;
		ci.egress_gb = r->egress_gb;
		snprintf(ci.egress_src, sizeof ci.egress_src, "%s",
			 r->egress_gb < 0 ? "not given: needs --bill, --profile or --egress-gb" : r->egress_src);
		ci.egress = r->egress_rate;
		if (r->have_profile) {
			ci.connections = r->p.f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
			ci.messages = r->p.f[PF_MESSAGES];
			ci.deliveries = r->p.f[PF_MESSAGES] * r->p.f[PF_RECIPIENTS];
			snprintf(ci.src_counts, sizeof ci.src_counts,
				 "profile %.100s (deliveries = messages x recipients; connections = "
				 "connection_minutes / 43,800)", r->val[OPT_PROFILE]);
		} else {
			ci.connections = ci.messages = -1;
			ci.deliveries = -1;
			snprintf(ci.src_counts, sizeof ci.src_counts, "not given: needs --profile");
			if (r->egress_gb > 0 && st.raw > 0) {
				/* how many payloads of the sample's average size that egress is */
				ci.deliveries = r->egress_gb * 1e9 / ((double)st.raw / (double)st.messages);
				snprintf(ci.src_counts, sizeof ci.src_counts,
					 "deliveries estimated: egress_gb x 1e9 / average sample payload "
					 "(%.6g bytes); messages sent and connections not given (--profile)",
					 (double)st.raw / (double)st.messages);
			}
		}
		levers_vcpu_price(r->cat, &r->p, &ci.vcpu_hour);
		if (lever_compression(&ci, r->p.currency, &r->lv[r->nlv++]) != 0 ||
		    lever_protocol_compression(&ci, r->p.currency, &r->lv[r->nlv++]) != 0) {
			ic_errorf(&cli->err, "compression: amount too large");
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

/* --profile: the protocol, retention and tiering levers. */
static enum exit_code
levers_profile(struct cli *cli, struct levers_run *r)
{
	struct protocol_inputs pi;
	struct retention_inputs ri;

	memset(&pi, 0, sizeof pi);
	protocol_defaults(&pi, r->p.f[PF_MESSAGE_BYTES]);
	pi.deliveries = r->p.f[PF_MESSAGES] * r->p.f[PF_RECIPIENTS];
	pi.messages = r->p.f[PF_MESSAGES];
	pi.connections = r->p.f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
	snprintf(pi.src_counts, sizeof pi.src_counts,
		 "profile %.100s (deliveries = messages x recipients; connections = connection_minutes / 43,800)",
		 r->val[OPT_PROFILE]);
	if (r->val[OPT_POLL_TIMEOUT])
		num_opt(r->val[OPT_POLL_TIMEOUT], &pi.poll_timeout_s);
	if (r->val[OPT_HTTP_HEADER_BYTES])
		num_opt(r->val[OPT_HTTP_HEADER_BYTES], &pi.http_header_bytes);
	if (r->val[OPT_RESPONSE_SHARE]) {
		num_opt(r->val[OPT_RESPONSE_SHARE], &pi.response_share);
		if (pi.response_share > 1) {
			return usage_error(cli, &cmd_levers_entry, "--response-share is a fraction 0..1");
		}
	}
	if (r->val[OPT_PING_INTERVAL])
		num_opt(r->val[OPT_PING_INTERVAL], &pi.ping_interval_s);
	pi.egress = r->egress_rate;
	pi.lcu = r->lcu;
	if (lever_protocol(&pi, r->p.currency, &r->lv[r->nlv++]) != 0) {
		ic_errorf(&cli->err, "protocol: amount too large");
		return EXIT_FAIL;
	}

	memset(&ri, 0, sizeof ri);
	ri.messages = r->p.f[PF_MESSAGES];
	ri.stored_bytes = r->p.f[PF_STORED_BYTES];
	ri.replication = 3;
	ri.current_days = r->p.f[PF_RETENTION_DAYS];
	ri.retention_days = 90;
	if (r->val[OPT_RETENTION_DAYS])
		num_opt(r->val[OPT_RETENTION_DAYS], &ri.retention_days);
	ri.horizon_months = r->p.f[PF_HORIZON_MONTHS];
	ri.hot = r->hot;
	ri.cold = r->cold;
	for (int i = 0; i < r->cat->nself; i++)
		if (strcmp(r->cat->self[i].region, r->p.region) == 0) {
			ri.replication = r->cat->self[i].replication;
			break;
		}
	snprintf(ri.src_counts, sizeof ri.src_counts, "profile %.200s", r->val[OPT_PROFILE]);
	if (lever_retention(&ri, r->p.currency, &r->lv[r->nlv++]) != 0 ||
	    lever_tiering(&ri, r->p.currency, &r->lv[r->nlv++]) != 0) {
		ic_errorf(&cli->err, "retention: amount too large");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* --profile: the cheapest self-hosted fleet with a commitment price. */
static enum exit_code
levers_fleet(struct cli *cli, struct levers_run *r)
{
	if (vendors_quote_all(r->cat, &r->p, &r->q, &r->nq, &cli->err) != 0)
		return EXIT_FAIL;
	for (int i = 0; i < r->nq; i++) {
		const struct vselfhost *s = NULL;
		const struct vinstance *in;
		if (strcmp(r->q[i].kind, "self-hosted") != 0 || !r->q[i].eligible || strchr(r->q[i].id, '/'))
			continue;
		for (int k = 0; k < r->cat->nself; k++)
			if (strcmp(r->cat->self[k].id, r->q[i].id) == 0)
				s = &r->cat->self[k];
		if (s == NULL || (in = vcatalog_instance(r->cat, s->provider, s->region, s->type)) == NULL)
			continue;
		if (vselfhost_best_commit(in) < 0)
			continue;
		if (lever_commitment_fleet(&r->q[i], in, vselfhost_best_commit(in), &r->lv[r->nlv]) != 0) {
			ic_errorf(&cli->err, "commitment: amount too large");
			return EXIT_FAIL;
		}
		snprintf(r->lv[r->nlv].key, sizeof r->lv[r->nlv].key, "commitment_fleet");
		r->nlv++;
		break;	/* the cheapest self-hosted option with a commitment price */
	}
	return EXIT_OK;
}

/* Print the levers and those that could not be computed. */
static enum exit_code
levers_print(struct cli *cli, struct levers_run *r)
{
	struct lever_missing miss[NLEVERS];
	struct emitter e;
	int nmiss;

	if (emit_begin(&e, stdout, cli->fmt) != 0) {
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	if (e.fmt == FMT_TABLE || e.fmt == FMT_MARKDOWN) {
		char h[200];
		snprintf(h, sizeof h, "IM cost levers%s%s%s%s", r->period ? ", bill " : "", r->period ? r->period : "",
			 r->have_profile ? ", profile " : "", r->have_profile ? r->val[OPT_PROFILE] : "");
		emit_heading(&e, h);
	}
	levers_emit(&e, r->lv, r->nlv, r->period);
	nmiss = levers_missing(r->lv, r->nlv, r->have_profile, miss);
	levers_emit_missing(&e, miss, nmiss);
	if (emit_end(&e) != 0) {
		emit_free(&e);
		ic_errorf(&cli->err, "error writing to standard output");
		return EXIT_FAIL;
	}
	emit_free(&e);
	return EXIT_OK;
}

static enum exit_code
levers_run(struct cli *cli, struct levers_run *r)
{
	enum exit_code rc;

	if ((rc = levers_setup(cli, r)) != EXIT_OK ||
	    (r->bill && (rc = levers_bill(cli, r)) != EXIT_OK) ||
	    (rc = levers_compression(cli, r)) != EXIT_OK ||
	    (r->have_profile && (rc = levers_profile(cli, r)) != EXIT_OK))
		return rc;
	if (r->bill) {
		const struct analyzer *a = analyzer_find("commitments");
		if (a == NULL) {
			struct lever *l = &r->lv[r->nlv++];
			memset(l, 0, sizeof *l);
			snprintf(l->key, sizeof l->key, "commitment");
			snprintf(l->title, sizeof l->title, "buy the commitments the bill supports");
			snprintf(l->currency, sizeof l->currency, "%s", r->p.currency);
			snprintf(l->note, sizeof l->note, "this imcost has no commitments analyzer yet");
		} else {
			struct analysis_ctx ctx;
			struct catalog *pc = cli_catalog_load(cli, &r->val[OPT_PRICING],
							       r->val[OPT_PRICING] != NULL);
			struct commit_rec *recs = NULL;
			int nrecs = 0;

			memset(&ctx, 0, sizeof ctx);
			ctx.eng = r->eng;
			ctx.start = r->start;
			ctx.end = r->end;
			ctx.catalog = pc;
			if (pc == NULL)
				goto out;
			if (commitments_recommended(&ctx, &recs, &nrecs, &cli->err) != 0) {
				catalog_free(pc);
				goto out;
			}
			lever_commitment_bill(recs, nrecs, r->p.currency, &r->lv[r->nlv++]);
			commit_recs_free(recs, nrecs);
			catalog_free(pc);
		}
	}
	if ((r->have_profile && (rc = levers_fleet(cli, r)) != EXIT_OK) ||
	    (rc = levers_print(cli, r)) != EXIT_OK)
		return rc;
	return EXIT_OK;
out:
	return EXIT_FAIL;
}

static enum exit_code
levers_exec(struct cli *cli, int argc, char **argv)
{
	struct levers_run *r = calloc(1, sizeof *r);
	enum exit_code rc;

	if (r == NULL)
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	r->level = -1;
	r->egress_gb = -1;
	r->share = -1;
	rc = levers_args(cli, argc, argv, r);
	if (rc == EXIT_OK)
		rc = levers_run(cli, r);
	free(r->q);
	engine_close(r->eng);
	if (r->db)
		db_close(r->db);
	vcatalog_free(r->cat);
	free(r);
	return rc;
}

static const struct cmd_option options[] = {
	{
		.name = "--bill",
		.help =
		"  --bill                 use the imported bill (the latest month, or --month)\n",
	},
	{
		.name = "--month",
		.arg = "YYYY-MM",
		.help =
		"  --month YYYY-MM        the bill's month\n",
	},
	{
		.name = "--pricing",
		.arg = "FILE",
		.help =
		"  --pricing FILE         with --bill: a pricing catalog for the commitments\n"
		"                         analyzer, over its built-in one\n",
	},
	{
		.name = "--messages",
		.arg = "SAMPLE.jsonl",
		.help =
		"  --messages FILE        JSONL sample of message payloads\n",
	},
	{
		.name = "--profile",
		.arg = "PROFILE.json",
		.help =
		"  --profile FILE         workload profile (see imcost vendors --help)\n",
	},
	{
		.name = "--catalog",
		.arg = "FILE",
		.help =
		"  --catalog FILE         merge a vendor catalog (prices of storage, egress, LB)\n",
	},
	{
		.name = "--egress-gb",
		.arg = "N",
		.help =
		"  --egress-gb N          egress volume per month instead of the bill/profile\n",
	},
	{
		.name = "--egress-rate",
		.arg = "PRICE",
		.help =
		"  --egress-rate PRICE    egress price per GB\n",
	},
	{
		.name = "--compressible-share",
		.arg = "F",
		.help =
		"  --compressible-share F share of the bill's egress that is message payload\n"
		"                         (default: see protocol_compression above)\n",
	},
	{
		.name = "--level",
		.arg = "N",
		.help =
		"  --level N              deflate level 0..9 (default 6, zlib's default)\n",
	},
	{
		.name = "--poll-timeout",
		.arg = "S",
		.help =
		"  --poll-timeout S       long-poll hold time (default 30)\n",
	},
	{
		.name = "--http-header-bytes",
		.arg = "N",
		.help =
		"  --http-header-bytes N  header bytes per poll, both ways (default 871)\n",
	},
	{
		.name = "--response-share",
		.arg = "F",
		.help =
		"  --response-share F     share of those sent to the client (default 0.5)\n",
	},
	{
		.name = "--ping-interval",
		.arg = "S",
		.help =
		"  --ping-interval S      WebSocket ping interval (default 30)\n",
	},
	{
		.name = "--retention-days",
		.arg = "N",
		.help =
		"  --retention-days N     proposed history limit / hot window (default 90)\n",
	},
	{
		.name = "--hot-price",
		.arg = "PRICE",
		.help =
		"  --hot-price PRICE      history storage per GB-month (default: block storage)\n",
	},
	{
		.name = "--cold-price",
		.arg = "PRICE",
		.help =
		"  --cold-price PRICE     cold storage per GB-month (default: object storage)\n",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_levers_entry = {
	.name = "levers",
	.usage = "[--bill [--month YYYY-MM]] [--messages SAMPLE.jsonl] [--profile PROFILE.json] "
		 "[--catalog FILE] [OPTIONS]",
	.summary = "what-if savings: compression, WebSocket, retention, commitments",
	.help =
	"Prices the cost levers of an IM service.  Each lever prints its inputs (with\n"
	"where each number comes from), its formula and its outputs, so the saving\n"
	"can be checked by hand.\n"
	"\n"
	"  compression  each message payload deflated on its own (zlib raw deflate,\n"
	"               window 2^15) measured on the payloads in --messages (JSONL,\n"
	"               one message per line), times the compressible egress and its\n"
	"               rate: from the bill (--bill: AWS DataTransfer-Out-Bytes lines\n"
	"               of the month at their average rate, x the compressible share),\n"
	"               else the profile's message payloads (messages x recipients x\n"
	"               message_bytes) at the catalog's first paid egress tier.\n"
	"  protocol_compression  WebSocket permessage-deflate (RFC 7692): the same\n"
	"               deflate with one context per connection (context takeover)\n"
	"               and with none; CPU seconds per million messages measured\n"
	"               here (process CPU time, fastest of 5 passes over the sample)\n"
	"               and priced at the catalog's vCPU-hour; context memory.\n"
	"               Compressible share of a bill's or --egress-gb egress:\n"
	"               --compressible-share, else the profile's compressible_share,\n"
	"               else the bill's egress billed to S3/CloudFront taken as\n"
	"               media, else the profile's payload/media split, else 0.6 (an\n"
	"               upper bound: video ~40% of WhatsApp traffic, SIGCOMM 2014).\n"
	"  protocol     HTTP long polling vs WebSocket (needs --profile): 871 header\n"
	"               bytes per poll (request + response, websocket.org / Kaazing\n"
	"               example), one poll per delivery plus one per connection every\n"
	"               poll timeout, one POST per message sent, against RFC 6455\n"
	"               frame headers (2/4/10 bytes to the client, +4 mask from it) and\n"
	"               30 s pings; the egress and ALB LCU cost of the difference.\n"
	"  retention    (needs --profile) history growth = messages x\n"
	"               stored_bytes_per_message x replication; the saving of keeping\n"
	"               --retention-days (default 90) instead of today's retention\n"
	"               (history_retention_days, 0 = forever, then horizon_months).\n"
	"  tiering      moving history older than --retention-days from block\n"
	"               storage to object storage (one copy).\n"
	"  commitment   --bill: the commitments analyzer's recommendations summed;\n"
	"               commitment_fleet (--profile): the cheapest self-hosted fleet\n"
	"               of `imcost vendors` on demand vs its best commitment.\n"
	"\n",
	.options = options,
	.says_argument = 1,
	.help_end =
	"\n"
	"Defaults for prices come from the built-in vendor catalog\n"
	"(data/vendors.json, infrastructure of the profile's region), each with its\n"
	"source.  --format json prints levers[] with lever, monthly_saving, formula,\n"
	"inputs[] and outputs[] (name, value, unit, source; value null when not\n"
	"given), and not_computed[] (lever, needs): every lever that could not be\n"
	"priced, with the input it needs.\n",
	.exec = levers_exec,
};
