/*
 * cmd-levers.c - imcost levers [--bill [--month YYYY-MM]] [--messages
 * SAMPLE.jsonl] [--profile PROFILE.json] [--catalog FILE] [overrides]
 *
 * What-if savings of the IM cost levers (analyzers/levers.c): compression,
 * WebSocket vs long polling, history retention and tiering, commitments.
 * Each lever prints its inputs with their sources, its formula and its
 * outputs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/commitments.h"
#include "analyzers/levers.h"
#include "analyzers/vendors.h"
#include "cli/cli.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/decimal.h"
#include "common/timeparse.h"
#include "reports/emit.h"

extern const struct cmd_entry cmd_levers_entry;

#define NLEVERS 8

/* A lever that could not be priced, and the input it needs. */
struct lever_missing {
	char lever[24];
	char needs[240];
};

static const struct table_col miss_cols[] = {
	{ "lever", "Lever", CELL_TEXT, 0 },
	{ "needs", "Not computed: needs", CELL_TEXT, 0 },
};

static const struct table_col sum_cols[] = {
	{ "lever", "Lever", CELL_TEXT, 0 },
	{ "title", "What", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "monthly_saving", "Saving/month", CELL_MONEY, 0 },
	{ "note", "Note", CELL_TEXT, 0 },
};

static const struct table_col item_cols[] = {
	{ "name", "Name", CELL_TEXT, 0 },
	{ "value", "Value", CELL_NUM, 6 },
	{ "unit", "Unit", CELL_TEXT, 0 },
	{ "source", "Source", CELL_TEXT, 0 },
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A numeric option value: returns 0, or a usage error. */
static int
num_opt(const char *s, double *v)
{
	return number_parse(s, strlen(s), v) == NUM_OK && *v >= 0 ? 0 : -1;
}

static cJSON *
items_json(const struct lever_item *it, int n)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		if (o == NULL)
			break;
		cJSON_AddStringToObject(o, "name", it[i].name);
		if (it[i].not_given)
			cJSON_AddNullToObject(o, "value");
		else
			cJSON_AddNumberToObject(o, "value", it[i].value);
		cJSON_AddStringToObject(o, "unit", it[i].unit);
		cJSON_AddStringToObject(o, "source", it[i].source);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static struct table *
items_table(const char *title, const struct lever_item *it, int n)
{
	struct table *t = table_new(title, item_cols, NCOLS(item_cols));

	for (int i = 0; t && i < n; i++) {
		int r = table_add_row(t);
		table_set_text(t, r, 0, it[i].name);
		if (it[i].not_given)
			table_set_text(t, r, 1, "not given");
		else
			table_set_qty(t, r, 1, it[i].value);
		table_set_text(t, r, 2, it[i].unit);
		table_set_text(t, r, 3, it[i].source);
	}
	return t;
}

static void
emit_missing(struct emitter *e, const struct lever_missing *m, int n)
{
	if (e->fmt == FMT_JSON) {
		cJSON *a = cJSON_CreateArray();
		for (int i = 0; a && i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			if (o == NULL)
				break;
			cJSON_AddStringToObject(o, "lever", m[i].lever);
			cJSON_AddStringToObject(o, "needs", m[i].needs);
			cJSON_AddItemToArray(a, o);
		}
		if (a == NULL)
			e->failed = 1;
		else
			cJSON_AddItemToObject(e->root, "not_computed", a);
		return;
	}
	if (n > 0) {
		struct table *t = table_new("Levers not computed, and the input each needs", miss_cols,
					    NCOLS(miss_cols));
		for (int i = 0; t && i < n; i++) {
			int r = table_add_row(t);
			table_set_text(t, r, 0, m[i].lever);
			table_set_text(t, r, 1, m[i].needs);
		}
		if (t == NULL)
			e->failed = 1;
		else
			emit_table(e, t, NULL, "not_computed");
		table_free(t);
	}
}

/* Every lever imcost knows that lv[] lacks or could not price, with the
 * input it needs.  Returns the count written to m (at most NLEVERS). */
static int
missing_levers(const struct lever *lv, int n, int have_profile, struct lever_missing *m)
{
	static const struct { const char *key, *needs; } known[] = {
		{ "compression", "--messages SAMPLE.jsonl: message payloads to measure deflate on" },
		{ "protocol_compression", "--messages SAMPLE.jsonl: message payloads to measure deflate on" },
		{ "protocol", "--profile: messages, recipients and connections (peak_connections or "
		  "connection_minutes)" },
		{ "retention", "--profile: messages, stored_bytes_per_message and history_retention_days" },
		{ "tiering", "--profile: messages, stored_bytes_per_message and history_retention_days" },
		{ "commitment", "--bill: an imported bill (imcost import FILE)" },
		{ "commitment_fleet", "--profile: a workload to size the self-hosted fleet on" },
	};
	int nm = 0;

	for (size_t k = 0; k < sizeof known / sizeof known[0] && nm < NLEVERS; k++) {
		const struct lever *l = NULL;
		for (int i = 0; i < n; i++)
			if (strcmp(lv[i].key, known[k].key) == 0)
				l = &lv[i];
		if (l && l->has_saving)
			continue;
		snprintf(m[nm].lever, sizeof m[nm].lever, "%s", known[k].key);
		if (l)	/* present, not priced: its note says what is missing */
			snprintf(m[nm].needs, sizeof m[nm].needs, "%.239s", l->note);
		else if (strcmp(known[k].key, "commitment_fleet") == 0 && have_profile)
			snprintf(m[nm].needs, sizeof m[nm].needs,
				 "a self-hosted option with a commitment price in the catalog "
				 "(--catalog: instances[].commitments)");
		else
			snprintf(m[nm].needs, sizeof m[nm].needs, "%s", known[k].needs);
		nm++;
	}
	return nm;
}

static void
emit_levers(struct emitter *e, const struct lever *lv, int n, const char *period)
{
	struct table *t;

	if (e->fmt == FMT_JSON) {
		cJSON *a = cJSON_CreateArray();
		if (a == NULL) {
			e->failed = 1;
			return;
		}
		if (period)
			cJSON_AddStringToObject(e->root, "bill_month", period);
		for (int i = 0; i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			if (o == NULL) {
				e->failed = 1;
				break;
			}
			cJSON_AddStringToObject(o, "lever", lv[i].key);
			cJSON_AddStringToObject(o, "title", lv[i].title);
			cJSON_AddStringToObject(o, "currency", lv[i].currency);
			if (lv[i].has_saving)
				cJSON_AddItemToObject(o, "monthly_saving", json_money(lv[i].monthly_saving));
			else
				cJSON_AddNullToObject(o, "monthly_saving");
			cJSON_AddStringToObject(o, "formula", lv[i].formula);
			cJSON_AddStringToObject(o, "note", lv[i].note);
			cJSON_AddItemToObject(o, "inputs", items_json(lv[i].input, lv[i].ninput));
			cJSON_AddItemToObject(o, "outputs", items_json(lv[i].output, lv[i].noutput));
			cJSON_AddItemToArray(a, o);
		}
		cJSON_AddItemToObject(e->root, "levers", a);
		return;
	}
	t = table_new("Cost levers: monthly savings (each detailed below)", sum_cols, NCOLS(sum_cols));
	if (t == NULL) {
		e->failed = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		int r = table_add_row(t);
		table_set_text(t, r, 0, lv[i].key);
		table_set_text(t, r, 1, lv[i].title);
		table_set_text(t, r, 2, lv[i].currency);
		if (lv[i].has_saving)
			table_set_money(t, r, 3, lv[i].monthly_saving);
		table_set_text(t, r, 4, lv[i].note);
	}
	emit_table(e, t, NULL, "levers");
	table_free(t);
	for (int i = 0; i < n; i++) {
		char title[200];
		struct table *in, *out;

		snprintf(title, sizeof title, "Lever %.23s: %.127s", lv[i].key, lv[i].title);
		emit_heading(e, title);
		if (lv[i].formula[0])
			emit_line(e, "formula", lv[i].formula);
		snprintf(title, sizeof title, "Inputs of %.23s", lv[i].key);
		in = items_table(title, lv[i].input, lv[i].ninput);
		snprintf(title, sizeof title, "Outputs of %.23s", lv[i].key);
		out = items_table(title, lv[i].output, lv[i].noutput);
		if (in == NULL || out == NULL)
			e->failed = 1;
		else {
			emit_table(e, in, NULL, "inputs");
			if (lv[i].noutput)
				emit_table(e, out, NULL, "outputs");
		}
		table_free(in);
		table_free(out);
	}
}

/* Latest billing month in the database, or -1 with err set. */
static int
latest_month(sqlite3 *db, int64_t *start, int64_t *end, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT MAX(BillingPeriodStart) FROM charges", err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return ic_errorf(err, "no charges in the database yet (imcost import FILE)");
	}
	*start = month_start(sqlite3_column_int64(st, 0));
	*end = month_next(*start);
	sqlite3_finalize(st);
	return 0;
}

enum {
	O_PROFILE, O_CATALOG, O_MESSAGES, O_MONTH, O_EGRESS_GB, O_EGRESS_RATE, O_SHARE, O_LEVEL,
	O_POLL, O_HEADER, O_RESP, O_PING, O_RETENTION, O_HOT, O_COLD, O_PRICING, O_NOPTS
};

static const char *const optnames[O_NOPTS] = {
	"--profile", "--catalog", "--messages", "--month", "--egress-gb", "--egress-rate",
	"--compressible-share", "--level", "--poll-timeout", "--http-header-bytes",
	"--response-share", "--ping-interval", "--retention-days", "--hot-price", "--cold-price",
	"--pricing"
};

static int
rate_opt(const char *s, struct lever_rate *r, const char *what)
{
	if (money_parse(s, strlen(s), &r->nanos) != NUM_OK || r->nanos < 0)
		return -1;
	snprintf(r->source, sizeof r->source, "%s (command line)", what);
	return 0;
}

/*
 * The share of a total egress figure that is compressible message payload,
 * when neither --compressible-share nor the bill's usage types gave it
 * (*share < 0): the profile's own (given, or its payload / media split when
 * media_gb_per_month is given), else the documented default.
 */
static void
compressible_share(const struct vprofile *p, int have_profile, double *share, char *src, size_t n)
{
	if (*share >= 0)
		return;
	if (have_profile && (p->given >> PF_MEDIA_GB & 1u)) {
		*share = p->f[PF_COMPRESSIBLE_SHARE];
		snprintf(src, n, "profile: payload / (payload + media) = messages x recipients x "
			 "message_bytes vs media_gb_per_month x recipients");
		return;
	}
	*share = V_COMPRESSIBLE_SHARE_DEFAULT;
	snprintf(src, n, "default 0.6, an upper bound: video is almost 40%% of WhatsApp traffic "
		 "volume (Fiadino et al., ACM SIGCOMM 2014); give compressible_share");
}

/* Price of one vCPU-hour on demand: the first self-hosted option in the
 * profile's region (instance on-demand rate / its vCPUs).  r->source stays
 * "" when the catalog has none. */
static void
vcpu_price(const struct vcatalog *cat, const struct vprofile *p, struct lever_rate *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < cat->nself; i++) {
		const struct vselfhost *s = &cat->self[i];
		const struct vinstance *in;
		if (strcmp(s->region, p->region) != 0 ||
		    (in = vcatalog_instance(cat, s->provider, s->region, s->type)) == NULL || !(in->vcpu > 0))
			continue;
		r->nanos = (int64_t)llround((double)in->od_hourly / in->vcpu);
		snprintf(r->source, sizeof r->source,
			 "catalog %.20s/%.30s %.40s on demand %.6f / %g vCPU (%.40s)", in->provider,
			 in->region, in->type, (double)in->od_hourly / 1e9, in->vcpu, in->as_of);
		return;
	}
}

static enum exit_code
levers_exec(struct cli *cli, int argc, char **argv)
{
	const char *val[O_NOPTS] = { 0 };
	int bill = 0, have_profile = 0, nlv = 0, level = -1;
	struct vprofile p;
	struct vcatalog *cat = NULL;
	const struct vinfra *inf = NULL;
	struct lever lv[NLEVERS];
	struct lever_rate egress_rate = { 0, "" }, hot = { 0, "" }, cold = { 0, "" }, lcu = { 0, "" };
	double egress_gb = -1, share = -1, d, media_gb = 0;
	char egress_src[240] = "", share_src[200] = "", month_buf[16], *period = NULL;
	struct lever_missing miss[NLEVERS];
	int nmiss;
	sqlite3 *db = NULL;
	int64_t start = 0, end = 0;
	struct emitter e;
	enum exit_code rc = EXIT_FAIL;
	struct vquote *q = NULL;
	int nq = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int which = -1;
		const char *v = NULL;

		if (strcmp(a, "--bill") == 0) {
			bill = 1;
			continue;
		}
		for (int k = 0; k < O_NOPTS; k++) {
			size_t l = strlen(optnames[k]);
			if (strcmp(a, optnames[k]) == 0) {
				if (i + 1 >= argc)
					return usage_error(cli, &cmd_levers_entry, "%s needs a value", a);
				v = argv[++i];
				which = k;
				break;
			}
			if (strncmp(a, optnames[k], l) == 0 && a[l] == '=') {
				v = a + l + 1;
				which = k;
				break;
			}
		}
		if (which < 0)
			return usage_error(cli, &cmd_levers_entry, "unknown argument '%s'", a);
		val[which] = v;
	}
	/* validate the numeric overrides up front: usage errors */
	for (int k = O_EGRESS_GB; k < O_NOPTS; k++) {
		if (val[k] == NULL || k == O_EGRESS_RATE || k == O_HOT || k == O_COLD || k == O_PRICING)
			continue;
		if (num_opt(val[k], &d) != 0)
			return usage_error(cli, &cmd_levers_entry, "%s wants a number >= 0, not '%s'",
					   optnames[k], val[k]);
	}
	if (val[O_SHARE] && (num_opt(val[O_SHARE], &share), share > 1))
		return usage_error(cli, &cmd_levers_entry, "--compressible-share is a fraction 0..1");
	if (val[O_SHARE])
		snprintf(share_src, sizeof share_src, "--compressible-share (command line)");
	if (val[O_LEVEL]) {
		num_opt(val[O_LEVEL], &d);
		if (d > 9 || d != floor(d))
			return usage_error(cli, &cmd_levers_entry, "--level is 0..9");
		level = (int)d;
	}
	if ((val[O_MONTH] || val[O_PRICING]) && !bill)
		return usage_error(cli, &cmd_levers_entry, "--month and --pricing go with --bill");
	if (val[O_MONTH] && month_parse(val[O_MONTH], &start, &end) != 0)
		return usage_error(cli, &cmd_levers_entry, "--month wants YYYY-MM, not '%s'", val[O_MONTH]);
	if (val[O_EGRESS_RATE] && rate_opt(val[O_EGRESS_RATE], &egress_rate, "--egress-rate") != 0)
		return usage_error(cli, &cmd_levers_entry, "--egress-rate wants a price >= 0");
	if (val[O_HOT] && rate_opt(val[O_HOT], &hot, "--hot-price") != 0)
		return usage_error(cli, &cmd_levers_entry, "--hot-price wants a price >= 0");
	if (val[O_COLD] && rate_opt(val[O_COLD], &cold, "--cold-price") != 0)
		return usage_error(cli, &cmd_levers_entry, "--cold-price wants a price >= 0");
	if (!bill && !val[O_PROFILE] && !val[O_MESSAGES])
		return usage_error(cli, &cmd_levers_entry, "give --bill, --profile or --messages");

	if (val[O_PROFILE]) {
		if (vprofile_load(val[O_PROFILE], &p, &cli->err) != 0)
			return EXIT_FAIL;
		have_profile = 1;
		if (share < 0 && (p.given >> PF_COMPRESSIBLE_SHARE & 1u)) {
			share = p.f[PF_COMPRESSIBLE_SHARE];
			snprintf(share_src, sizeof share_src, "profile compressible_share");
		}
	} else {
		memset(&p, 0, sizeof p);
		snprintf(p.currency, sizeof p.currency, "USD");
		snprintf(p.region, sizeof p.region, "us-east-1");
	}
	cat = vcatalog_builtin(&cli->err);
	if (cat == NULL)
		return EXIT_FAIL;
	if (val[O_CATALOG] && vcatalog_merge_file(cat, val[O_CATALOG], &cli->err) != 0)
		goto out;
	inf = vcatalog_infra(cat, "aws", p.region);
	if (inf == NULL)
		inf = vcatalog_infra(cat, "aws", "us-east-1");
	if (inf) {
		char src[160];
		snprintf(src, sizeof src, "catalog %.20s/%.30s infrastructure (%.40s)", inf->provider,
			 inf->region, inf->as_of);
		if (!val[O_EGRESS_RATE]) {
			for (int i = 0; i < inf->negress; i++)
				if (inf->egress[i].price > 0) {
					egress_rate.nanos = inf->egress[i].price;
					snprintf(egress_rate.source, sizeof egress_rate.source,
						 "%s: first paid internet egress tier", src);
					break;
				}
		}
		if (!val[O_HOT]) {
			hot.nanos = inf->block_gb_month;
			snprintf(hot.source, sizeof hot.source, "%s: block storage (EBS gp3)", src);
		}
		if (!val[O_COLD]) {
			cold.nanos = inf->object_gb_month;
			snprintf(cold.source, sizeof cold.source, "%s: object storage (S3 Standard)", src);
		}
		lcu.nanos = inf->alb_lcu_hourly;
		snprintf(lcu.source, sizeof lcu.source, "%s: ALB LCU-hour", src);
	}

	if (bill) {
		int64_t cost;
		char cur[8];

		db = db_open(cli->db_path, DB_READ, &cli->err);
		if (db == NULL)
			goto out;
		if (!val[O_MONTH] && latest_month(db, &start, &end, &cli->err) != 0)
			goto out;
		if (val[O_MONTH]) {
			/* no charges that month: the months there are (as analyze) */
			struct engine *pe = engine_wrap_sqlite(db);
			enum exit_code pr = pe ? cli_check_period(cli, pe, start, end, cli->db_path) : EXIT_FAIL;
			if (pe == NULL)
				ic_errorf(&cli->err, "out of memory");
			engine_close(pe);
			if (pr != EXIT_OK)
				goto out;
		}
		period = month_format(start, month_buf);
		{
			struct engine *eng = engine_wrap_sqlite(db);
			int r = eng ? levers_bill_egress(eng, start, end, &d, &media_gb, &cost, cur, &cli->err) :
				ic_errorf(&cli->err, "out of memory");
			engine_close(eng);
			if (r != 0)
				goto out;
		}
		if (d > 0) {
			if (share < 0 && media_gb > 0) {
				/* the bill tells: egress billed to S3 / CloudFront is files and
				 * media, the rest is the chat servers' */
				share = (d - media_gb) / d;
				snprintf(share_src, sizeof share_src,
					 "bill %s usage types: %.6g of %.6g GB billed to S3/CloudFront taken as "
					 "media, the rest as message traffic", period, media_gb, d);
			}
			compressible_share(&p, have_profile, &share, share_src, sizeof share_src);
			egress_gb = d * share;
			snprintf(egress_src, sizeof egress_src,
				 "bill %s: %.6g GB of DataTransfer-Out-Bytes x compressible share %.6g (%s)",
				 period, d, share, share_src);
			snprintf(p.currency, sizeof p.currency, "%s", cur);
			if (!val[O_EGRESS_RATE]) {
				egress_rate.nanos = (int64_t)llround((double)cost / d);
				snprintf(egress_rate.source, sizeof egress_rate.source,
					 "bill %s: average rate, %.6f %s / %.6g GB", period, (double)cost / 1e9,
					 cur, d);
			}
		} else {
			cli_warn(cli, "the bill for %s has no internet egress (DataTransfer-Out-Bytes) lines",
				 period);
		}
	}
	if (val[O_EGRESS_GB]) {
		num_opt(val[O_EGRESS_GB], &egress_gb);
		compressible_share(&p, have_profile, &share, share_src, sizeof share_src);
		egress_gb *= share;
		snprintf(egress_src, sizeof egress_src, "--egress-gb x compressible share %.6g (%s)", share,
			 share_src);
	} else if (egress_gb < 0 && have_profile) {
		egress_gb = p.f[PF_MESSAGES] * p.f[PF_RECIPIENTS] * p.f[PF_MESSAGE_BYTES] / 1e9;
		snprintf(egress_src, sizeof egress_src,
			 "profile: messages x recipients x message_bytes / 1e9 (payloads only, all "
			 "compressible; media excluded)");
	}

	/* compression: message-level and permessage-deflate */
	if (val[O_MESSAGES]) {
		struct deflate_stats st;
		struct compression_inputs ci;

		if (deflate_measure_file(val[O_MESSAGES], level, &st, &cli->err) != 0)
			goto out;
		memset(&ci, 0, sizeof ci);
		ci.st = &st;
		ci.egress_gb = egress_gb;
		snprintf(ci.egress_src, sizeof ci.egress_src, "%s",
			 egress_gb < 0 ? "not given: needs --bill, --profile or --egress-gb" : egress_src);
		ci.egress = egress_rate;
		if (have_profile) {
			ci.connections = p.f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
			ci.messages = p.f[PF_MESSAGES];
			ci.deliveries = p.f[PF_MESSAGES] * p.f[PF_RECIPIENTS];
			snprintf(ci.src_counts, sizeof ci.src_counts,
				 "profile %.100s (deliveries = messages x recipients; connections = "
				 "connection_minutes / 43,800)", val[O_PROFILE]);
		} else {
			ci.connections = ci.messages = -1;
			ci.deliveries = -1;
			snprintf(ci.src_counts, sizeof ci.src_counts, "not given: needs --profile");
			if (egress_gb > 0 && st.raw > 0) {
				/* how many payloads of the sample's average size that egress is */
				ci.deliveries = egress_gb * 1e9 / ((double)st.raw / (double)st.messages);
				snprintf(ci.src_counts, sizeof ci.src_counts,
					 "deliveries estimated: egress_gb x 1e9 / average sample payload "
					 "(%.6g bytes); messages sent and connections not given (--profile)",
					 (double)st.raw / (double)st.messages);
			}
		}
		vcpu_price(cat, &p, &ci.vcpu_hour);
		if (lever_compression(&ci, p.currency, &lv[nlv++]) != 0 ||
		    lever_protocol_compression(&ci, p.currency, &lv[nlv++]) != 0) {
			ic_errorf(&cli->err, "compression: amount too large");
			goto out;
		}
	}
	if (have_profile) {
		struct protocol_inputs pi;
		struct retention_inputs ri;

		memset(&pi, 0, sizeof pi);
		protocol_defaults(&pi, p.f[PF_MESSAGE_BYTES]);
		pi.deliveries = p.f[PF_MESSAGES] * p.f[PF_RECIPIENTS];
		pi.messages = p.f[PF_MESSAGES];
		pi.connections = p.f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
		snprintf(pi.src_counts, sizeof pi.src_counts,
			 "profile %.100s (deliveries = messages x recipients; connections = connection_minutes / 43,800)",
			 val[O_PROFILE]);
		if (val[O_POLL])
			num_opt(val[O_POLL], &pi.poll_timeout_s);
		if (val[O_HEADER])
			num_opt(val[O_HEADER], &pi.http_header_bytes);
		if (val[O_RESP]) {
			num_opt(val[O_RESP], &pi.response_share);
			if (pi.response_share > 1) {
				rc = usage_error(cli, &cmd_levers_entry, "--response-share is a fraction 0..1");
				goto out_rc;
			}
		}
		if (val[O_PING])
			num_opt(val[O_PING], &pi.ping_interval_s);
		pi.egress = egress_rate;
		pi.lcu = lcu;
		if (lever_protocol(&pi, p.currency, &lv[nlv++]) != 0) {
			ic_errorf(&cli->err, "protocol: amount too large");
			goto out;
		}

		memset(&ri, 0, sizeof ri);
		ri.messages = p.f[PF_MESSAGES];
		ri.stored_bytes = p.f[PF_STORED_BYTES];
		ri.replication = 3;
		ri.current_days = p.f[PF_RETENTION_DAYS];
		ri.retention_days = 90;
		if (val[O_RETENTION])
			num_opt(val[O_RETENTION], &ri.retention_days);
		ri.horizon_months = p.f[PF_HORIZON_MONTHS];
		ri.hot = hot;
		ri.cold = cold;
		for (int i = 0; i < cat->nself; i++)
			if (strcmp(cat->self[i].region, p.region) == 0) {
				ri.replication = cat->self[i].replication;
				break;
			}
		snprintf(ri.src_counts, sizeof ri.src_counts, "profile %.200s", val[O_PROFILE]);
		if (lever_retention(&ri, p.currency, &lv[nlv++]) != 0 ||
		    lever_tiering(&ri, p.currency, &lv[nlv++]) != 0) {
			ic_errorf(&cli->err, "retention: amount too large");
			goto out;
		}
	}
	if (bill) {
		const struct analyzer *a = analyzer_find("commitments");
		if (a == NULL) {
			struct lever *l = &lv[nlv++];
			memset(l, 0, sizeof *l);
			snprintf(l->key, sizeof l->key, "commitment");
			snprintf(l->title, sizeof l->title, "buy the commitments the bill supports");
			snprintf(l->currency, sizeof l->currency, "%s", p.currency);
			snprintf(l->note, sizeof l->note, "this imcost has no commitments analyzer yet");
		} else {
			struct analysis_ctx ctx;
			struct catalog *pc = catalog_new();
			struct commit_rec *recs = NULL;
			int nrecs = 0;

			memset(&ctx, 0, sizeof ctx);
			ctx.eng = engine_wrap_sqlite(db);
			ctx.start = start;
			ctx.end = end;
			ctx.catalog = pc;
			if (pc == NULL || ctx.eng == NULL) {
				catalog_free(pc);
				engine_close(ctx.eng);
				ic_errorf(&cli->err, "out of memory");
				goto out;
			}
			if (catalog_load_builtin(pc, &cli->err) != 0 ||
			    (val[O_PRICING] && catalog_merge_file(pc, val[O_PRICING], &cli->err) != 0) ||
			    commitments_recommended(&ctx, &recs, &nrecs, &cli->err) != 0) {
				catalog_free(pc);
				engine_close(ctx.eng);
				goto out;
			}
			lever_commitment_bill(recs, nrecs, p.currency, &lv[nlv++]);
			commit_recs_free(recs, nrecs);
			catalog_free(pc);
			engine_close(ctx.eng);
		}
	}
	if (have_profile) {
		if (vendors_quote_all(cat, &p, &q, &nq, &cli->err) != 0)
			goto out;
		for (int i = 0; i < nq; i++) {
			const struct vselfhost *s = NULL;
			const struct vinstance *in;
			if (strcmp(q[i].kind, "self-hosted") != 0 || !q[i].eligible || strchr(q[i].id, '/'))
				continue;
			for (int k = 0; k < cat->nself; k++)
				if (strcmp(cat->self[k].id, q[i].id) == 0)
					s = &cat->self[k];
			if (s == NULL || (in = vcatalog_instance(cat, s->provider, s->region, s->type)) == NULL)
				continue;
			if (vselfhost_best_commit(in) < 0)
				continue;
			if (lever_commitment_fleet(&q[i], in, vselfhost_best_commit(in), &lv[nlv]) != 0) {
				ic_errorf(&cli->err, "commitment: amount too large");
				goto out;
			}
			snprintf(lv[nlv].key, sizeof lv[nlv].key, "commitment_fleet");
			nlv++;
			break;	/* the cheapest self-hosted option with a commitment price */
		}
	}

	if (emit_begin(&e, stdout, cli->fmt) != 0) {
		ic_errorf(&cli->err, "out of memory");
		goto out;
	}
	if (e.fmt == FMT_TABLE || e.fmt == FMT_MARKDOWN) {
		char h[200];
		snprintf(h, sizeof h, "IM cost levers%s%s%s%s", period ? ", bill " : "", period ? period : "",
			 have_profile ? ", profile " : "", have_profile ? val[O_PROFILE] : "");
		emit_heading(&e, h);
	}
	emit_levers(&e, lv, nlv, period);
	nmiss = missing_levers(lv, nlv, have_profile, miss);
	emit_missing(&e, miss, nmiss);
	if (emit_end(&e) != 0) {
		emit_free(&e);
		ic_errorf(&cli->err, "error writing to standard output");
		goto out;
	}
	emit_free(&e);
	rc = EXIT_OK;
	goto out_rc;
out:
	rc = EXIT_FAIL;
out_rc:
	free(q);
	if (db)
		db_close(db);
	vcatalog_free(cat);
	return rc;
}

const struct cmd_entry cmd_levers_entry = {
	.name = "levers",
	.usage = "[--bill [--month YYYY-MM]] [--messages SAMPLE.jsonl] [--profile PROFILE.json] "
		 "[--catalog FILE] [OPTIONS]",
	.summary = "what-if savings: compression, WebSocket, retention, commitments",
	.help =
	"Prices the cost levers of an IM service.  Each lever prints its inputs (with\n"
	"where each number comes from), its formula and its outputs, so the saving\n"
	"can be checked by hand.\n\n"
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
	"               of `imcost vendors` on demand vs its best commitment.\n\n"
	"  --bill                 use the imported bill (the latest month, or --month)\n"
	"  --month YYYY-MM        the bill's month\n"
	"  --pricing FILE         with --bill: a pricing catalog for the commitments\n"
	"                         analyzer, over its built-in one\n"
	"  --messages FILE        JSONL sample of message payloads\n"
	"  --profile FILE         workload profile (see imcost vendors --help)\n"
	"  --catalog FILE         merge a vendor catalog (prices of storage, egress, LB)\n"
	"  --egress-gb N          egress volume per month instead of the bill/profile\n"
	"  --egress-rate PRICE    egress price per GB\n"
	"  --compressible-share F share of the bill's egress that is message payload\n"
	"                         (default: see protocol_compression above)\n"
	"  --level N              deflate level 0..9 (default 6, zlib's default)\n"
	"  --poll-timeout S       long-poll hold time (default 30)\n"
	"  --http-header-bytes N  header bytes per poll, both ways (default 871)\n"
	"  --response-share F     share of those sent to the client (default 0.5)\n"
	"  --ping-interval S      WebSocket ping interval (default 30)\n"
	"  --retention-days N     proposed history limit / hot window (default 90)\n"
	"  --hot-price PRICE      history storage per GB-month (default: block storage)\n"
	"  --cold-price PRICE     cold storage per GB-month (default: object storage)\n\n"
	"Defaults for prices come from the built-in vendor catalog\n"
	"(data/vendors.json, infrastructure of the profile's region), each with its\n"
	"source.  --format json prints levers[] with lever, monthly_saving, formula,\n"
	"inputs[] and outputs[] (name, value, unit, source; value null when not\n"
	"given), and not_computed[] (lever, needs): every lever that could not be\n"
	"priced, with the input it needs.\n",
	.exec = levers_exec,
};
