/*
 * levers.c - the IM cost levers of `imcost levers` (see levers.h): deflate
 * measured with zlib, long polling vs WebSocket overhead, history retention
 * and tiering, commitments.  Each lever records its inputs, formula and
 * outputs; the saving is computed from exactly those inputs.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include <zlib.h>

#include "analyzers/commitments.h"
#include "analyzers/levers.h"
#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/error.h"

static void
lever_init(struct lever *l, const char *key, const char *title, const char *currency)
{
	memset(l, 0, sizeof *l);
	snprintf(l->key, sizeof l->key, "%s", key);
	snprintf(l->title, sizeof l->title, "%s", title);
	snprintf(l->currency, sizeof l->currency, "%s", currency ? currency : "USD");
}

static void
item(struct lever_item *arr, int *n, const char *name, double v, const char *unit,
     const char *fmt, ...)
{
	va_list ap;
	struct lever_item *it;

	if (*n >= LEVER_MAX_ITEMS)
		return;
	it = &arr[(*n)++];
	snprintf(it->name, sizeof it->name, "%s", name);
	it->value = v;
	snprintf(it->unit, sizeof it->unit, "%s", unit);
	va_start(ap, fmt);
	vsnprintf(it->source, sizeof it->source, fmt, ap);
	va_end(ap);
}

#define IN(l, ...) item((l)->input, &(l)->ninput, __VA_ARGS__)
#define OUT(l, ...) item((l)->output, &(l)->noutput, __VA_ARGS__)

/* The last item added has no value: printed "not given", never 0. */
static void
not_given(struct lever_item *arr, int n)
{
	if (n > 0) {
		arr[n - 1].not_given = 1;
		arr[n - 1].value = 0;
	}
}
#define NG_IN(l) not_given((l)->input, (l)->ninput)
#define NG_OUT(l) not_given((l)->output, (l)->noutput)

/* nanos as a double of currency units */
static double
units(int64_t nanos)
{
	return (double)nanos / 1e9;
}

static int
set_saving(struct lever *l, long double v)
{
	if (!(fabsl(v) < 9.2e18L))
		return -1;
	l->monthly_saving = (int64_t)llroundl(v);
	l->has_saving = 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* compression                                                        */

/* Deflate one message with Z_SYNC_FLUSH; *out gets the bytes sent (the
 * 4-byte 00 00 ff ff sync tail removed, RFC 7692 section 7.2.1). */
static int
deflate_one(z_stream *z, const unsigned char *msg, size_t len, uint64_t *out,
	    struct ic_error *err)
{
	unsigned char buf[16384];
	uint64_t total = 0;
	unsigned char tail[4] = { 1, 1, 1, 1 };
	int rc;

	z->next_in = (unsigned char *)msg;
	z->avail_in = (uInt)len;
	do {
		z->next_out = buf;
		z->avail_out = sizeof buf;
		rc = deflate(z, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return ic_errorf(err, "deflate failed (%d)", rc);
		{
			size_t got = sizeof buf - z->avail_out;
			total += got;
			/* keep the last 4 bytes produced so far */
			if (got >= 4)
				memcpy(tail, buf + got - 4, 4);
			else if (got > 0) {
				memmove(tail, tail + got, 4 - got);
				memcpy(tail + 4 - got, buf, got);
			}
		}
	} while (z->avail_out == 0);
	if (total < 4 || tail[0] != 0 || tail[1] != 0 || tail[2] != 0xff || tail[3] != 0xff)
		return ic_errorf(err, "deflate: no sync-flush tail");
	*out += total - 4;
	return 0;
}

#define DEFLATE_REPS 5

/* CPU seconds used by this process so far. */
static double
cpu_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
deflate_measure(const unsigned char *const *msg, const size_t *len, size_t n, int level,
		struct deflate_stats *st, struct ic_error *err)
{
	z_stream a, b;
	int rc = -1;

	memset(st, 0, sizeof *st);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (level < -1 || level > 9)
		return ic_errorf(err, "deflate level must be 0..9");
	st->level = level < 0 ? 6 : level;
	st->window_bits = 15;
	if (deflateInit2(&a, st->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return ic_errorf(err, "zlib: deflateInit2 failed");
	if (deflateInit2(&b, st->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		deflateEnd(&a);
		return ic_errorf(err, "zlib: deflateInit2 failed");
	}
	for (size_t i = 0; i < n; i++) {
		if (len[i] > (size_t)UINT32_MAX / 2) {
			ic_errorf(err, "message %zu is too large", i + 1);
			goto out;
		}
		st->messages++;
		st->raw += len[i];
		/* no context takeover: every message starts from an empty window */
		if (deflateReset(&a) != Z_OK || deflate_one(&a, msg[i], len[i], &st->no_takeover, err) != 0)
			goto out;
		if (deflate_one(&b, msg[i], len[i], &st->takeover, err) != 0)
			goto out;
	}
	/* CPU time, each way on its own: the fastest of DEFLATE_REPS passes
	 * over the whole sample (fresh streams each pass) */
	st->reps = DEFLATE_REPS;
	for (int takeover = 0; takeover < 2; takeover++) {
		double best = -1;
		for (int r = 0; r < DEFLATE_REPS; r++) {
			z_stream *z = takeover ? &b : &a;
			uint64_t sink = 0;
			double t0, t1;
			if (deflateReset(z) != Z_OK) {
				ic_errorf(err, "zlib: deflateReset failed");
				goto out;
			}
			t0 = cpu_seconds();
			for (size_t i = 0; i < n; i++)
				if ((!takeover && deflateReset(z) != Z_OK) ||
				    deflate_one(z, msg[i], len[i], &sink, err) != 0)
					goto out;
			t1 = cpu_seconds();
			if (best < 0 || t1 - t0 < best)
				best = t1 - t0;
		}
		if (takeover)
			st->cpu_s_takeover = best;
		else
			st->cpu_s_no_takeover = best;
	}
	rc = 0;
out:
	deflateEnd(&a);
	deflateEnd(&b);
	return rc;
}

int
deflate_measure_file(const char *path, int level, struct deflate_stats *st,
		     struct ic_error *err)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, n = 0, mcap = 0;
	ssize_t got;
	long lineno = 0;
	unsigned char **msgs = NULL;
	size_t *lens = NULL;
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (f == NULL)
		return ic_errorf(err, "%s: %s", path, strerror(errno));
	while ((got = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)got;
		cJSON *j;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		j = cJSON_ParseWithLength(line, len);
		if (j == NULL) {
			ic_error_at(err, path, lineno, 0, "not valid JSON (one message payload per line)");
			goto out;
		}
		cJSON_Delete(j);
		if (n == mcap) {
			size_t nc = mcap ? mcap * 2 : 1024;
			void *a = realloc(msgs, nc * sizeof *msgs), *b;
			if (a == NULL) {
				ic_errorf(err, "out of memory");
				goto out;
			}
			msgs = a;
			b = realloc(lens, nc * sizeof *lens);
			if (b == NULL) {
				ic_errorf(err, "out of memory");
				goto out;
			}
			lens = b;
			mcap = nc;
		}
		msgs[n] = malloc(len ? len : 1);
		if (msgs[n] == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		memcpy(msgs[n], line, len);
		lens[n++] = len;
	}
	if (ferror(f)) {
		ic_errorf(err, "%s: read error", path);
		goto out;
	}
	if (n == 0) {
		ic_errorf(err, "%s: no messages (one JSON payload per line)", path);
		goto out;
	}
	rc = deflate_measure((const unsigned char *const *)msgs, lens, n, level, st, err);
out:
	for (size_t i = 0; i < n; i++)
		free(msgs[i]);
	free(msgs);
	free(lens);
	free(line);
	fclose(f);
	return rc;
}

/* Inputs both compression levers print. */
static void
compression_inputs_items(const struct compression_inputs *in, struct lever *l)
{
	const struct deflate_stats *st = in->st;

	IN(l, "sample_messages", (double)st->messages, "messages", "--messages sample");
	IN(l, "raw_bytes", (double)st->raw, "bytes", "payload bytes of the sample");
	IN(l, "deflated_bytes_context_takeover", (double)st->takeover, "bytes",
	   "zlib raw deflate level %d, window 2^%d, one context per connection, sync flush, "
	   "4-byte tail removed (RFC 7692)", st->level, st->window_bits);
	IN(l, "deflated_bytes_no_context_takeover", (double)st->no_takeover, "bytes",
	   "the same with a fresh context per message (each message on its own)");
	IN(l, "egress_gb", in->egress_gb, "GB/month", "%s", in->egress_src);
	if (in->egress_gb < 0)
		NG_IN(l);
	IN(l, "egress_rate", units(in->egress.nanos), "per GB", "%s", in->egress.source);
	IN(l, "cpu_s_sample_context_takeover", st->cpu_s_takeover, "CPU s",
	   "measured: CPU time (CLOCK_PROCESS_CPUTIME_ID) to deflate the sample once with one "
	   "context, fastest of %d passes, on the machine imcost ran on", st->reps);
	IN(l, "cpu_s_sample_no_context_takeover", st->cpu_s_no_takeover, "CPU s",
	   "measured the same way, a fresh context per message");
	IN(l, "messages", in->messages, "messages/month", "%s", in->src_counts);
	if (in->messages < 0)
		NG_IN(l);
	IN(l, "deliveries", in->deliveries, "messages/month", "%s", in->src_counts);
	if (in->deliveries < 0)
		NG_IN(l);
	IN(l, "vcpu_hour_price", units(in->vcpu_hour.nanos), "per vCPU-hour", "%s",
	   in->vcpu_hour.source[0] ? in->vcpu_hour.source : "not given: no instance price in the catalog");
	if (!in->vcpu_hour.source[0])
		NG_IN(l);
}

/* CPU per million messages and per month for `count` compressions of one
 * message (< 0: count not given). */
static void
cpu_outputs(const struct compression_inputs *in, struct lever *l, double cpu_s_sample,
	    double count, const char *what)
{
	double per_m = cpu_s_sample / (double)in->st->messages * 1e6;
	char name[48];

	snprintf(name, sizeof name, "cpu_s_per_million_%s", what);
	OUT(l, name, per_m, "CPU s", "cpu_s_sample / sample_messages x 1e6 (measured here; a "
	    "cloud vCPU may be slower or faster)");
	snprintf(name, sizeof name, "cpu_cost_%s", what);
	if (count < 0 || !in->vcpu_hour.source[0]) {
		OUT(l, name, 0, "per month", "not given: needs %s",
		    count < 0 ? "message counts (--profile)" : "a vCPU-hour price");
		NG_OUT(l);
	} else {
		OUT(l, name, per_m * count / 1e6 / 3600 * units(in->vcpu_hour.nanos), "per month",
		    "cpu_s_per_million x compressions / 1e6 / 3600 x vcpu_hour_price");
	}
}

int
lever_compression(const struct compression_inputs *in, const char *currency, struct lever *l)
{
	const struct deflate_stats *st = in->st;
	double r;

	lever_init(l, "compression", "compress each message payload (zlib, measured)", currency);
	compression_inputs_items(in, l);
	if (st->raw == 0 || st->messages == 0) {
		snprintf(l->note, sizeof l->note, "empty sample");
		return 0;
	}
	r = (double)st->no_takeover / (double)st->raw;
	snprintf(l->formula, sizeof l->formula,
		 "each message deflated on its own, once per message sent: monthly_saving = egress_gb "
		 "x (1 - deflated_bytes_no_context_takeover / raw_bytes) x egress_rate; cpu_cost = "
		 "cpu_s_sample_no_context_takeover / sample_messages x messages / 3600 x "
		 "vcpu_hour_price (not subtracted)");
	OUT(l, "ratio", r, "compressed/raw", "deflated_bytes_no_context_takeover / raw_bytes");
	cpu_outputs(in, l, st->cpu_s_no_takeover, in->messages, "messages");
	if (in->egress_gb < 0) {
		snprintf(l->note, sizeof l->note,
			 "ratio measured; no egress volume to price it (give --bill, --profile or --egress-gb)");
		return 0;
	}
	OUT(l, "egress_gb_saved", in->egress_gb * (1 - r), "GB/month", "");
	if (set_saving(l, (long double)in->egress_gb * (1 - r) * in->egress.nanos) != 0)
		return -1;
	snprintf(l->note, sizeof l->note,
		 "only payload bytes shrink (frame, TLS and media bytes do not); CPU cost shown, "
		 "not subtracted; see protocol_compression for permessage-deflate");
	return 0;
}

int
lever_protocol_compression(const struct compression_inputs *in, const char *currency,
			   struct lever *l)
{
	const struct deflate_stats *st = in->st;
	double r_ct, r_nct;

	lever_init(l, "protocol_compression",
		   "WebSocket permessage-deflate (RFC 7692), context takeover or none", currency);
	compression_inputs_items(in, l);
	IN(l, "connections", in->connections, "connections",
	   in->connections < 0 ? "not given: average connections online (--profile)"
	   : "average connections online (memory of the contexts)");
	if (in->connections < 0)
		NG_IN(l);
	if (st->raw == 0 || st->messages == 0) {
		snprintf(l->note, sizeof l->note, "empty sample");
		return 0;
	}
	r_ct = (double)st->takeover / (double)st->raw;
	r_nct = (double)st->no_takeover / (double)st->raw;
	snprintf(l->formula, sizeof l->formula,
		 "monthly_saving = egress_gb x (1 - deflated_bytes_context_takeover / raw_bytes) x "
		 "egress_rate; without context takeover: the same with "
		 "deflated_bytes_no_context_takeover; CPU: context takeover deflates once per delivery "
		 "(each connection its own context), no_context_takeover once per message sent (the "
		 "frame can be reused for every recipient): cpu_cost = cpu_s_sample / "
		 "sample_messages x count / 3600 x vcpu_hour_price (not subtracted); context memory = "
		 "connections x (2^(15+2) + 2^(8+9) + 2^15) bytes (zlib deflate + inflate state)");
	OUT(l, "ratio_context_takeover", r_ct, "compressed/raw", "");
	OUT(l, "ratio_no_context_takeover", r_nct, "compressed/raw", "");
	cpu_outputs(in, l, st->cpu_s_takeover, in->deliveries, "context_takeover");
	cpu_outputs(in, l, st->cpu_s_no_takeover, in->messages, "no_context_takeover");
	OUT(l, "context_memory_gib", in->connections * (131072.0 + 131072.0 + 32768.0) / 1073741824.0,
	    "GiB", "zlib zconf.h: deflate 2^(windowBits+2) + 2^(memLevel+9), inflate 2^windowBits");
	if (in->connections < 0)
		NG_OUT(l);
	if (in->egress_gb < 0) {
		snprintf(l->note, sizeof l->note,
			 "ratios and CPU measured; no egress volume to price them (give --bill, --profile "
			 "or --egress-gb)");
		return 0;
	}
	OUT(l, "egress_gb_saved_context_takeover", in->egress_gb * (1 - r_ct), "GB/month", "");
	OUT(l, "egress_gb_saved_no_context_takeover", in->egress_gb * (1 - r_nct), "GB/month", "");
	OUT(l, "saving_no_context_takeover",
	    (double)llroundl((long double)in->egress_gb * (1 - r_nct) * in->egress.nanos) / 1e9,
	    currency, "");
	if (set_saving(l, (long double)in->egress_gb * (1 - r_ct) * in->egress.nanos) != 0)
		return -1;
	snprintf(l->note, sizeof l->note,
		 "headline = with context takeover; only payload bytes shrink; CPU cost (measured "
		 "here) and context memory shown, not subtracted");
	return 0;
}

int
levers_bill_egress(struct engine *eng, int64_t start, int64_t end, double *gb, double *media_gb,
		   int64_t *cost, char currency[8], struct ic_error *err)
{
	struct engine_stmt *st;
	int r;

	*gb = 0;
	*media_gb = 0;
	*cost = 0;
	currency[0] = '\0';
	if (an_rollups(eng, err) != 0)
		return -1;
	st = engine_prepare(eng,
		"SELECT BillingCurrency AS cur, SUM(ConsumedQuantity) AS gb, SUM(BilledCostNanos) AS cost,"
		" SUM(CASE WHEN " LEVERS_MEDIA_SERVICE " THEN ConsumedQuantity ELSE 0 END) AS media"
		" FROM rollup_resource"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" AND x_UsageType LIKE '%DataTransfer-Out-Bytes%'"
		" GROUP BY BillingCurrency ORDER BY cost DESC, cur", err);
	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, start);
	engine_bind_int64(st, 2, end);
	r = engine_step(st, err);
	if (r == 1) {
		const char *c = engine_column_text(st, 0);
		snprintf(currency, 8, "%s", c ? c : "");
		*gb = engine_column_double(st, 1);
		*cost = engine_column_int64(st, 2);
		*media_gb = engine_column_double(st, 3);
	}
	engine_finalize(st);
	return r < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* protocol                                                           */

void
protocol_defaults(struct protocol_inputs *in, double message_bytes)
{
	in->poll_timeout_s = 30;
	in->http_header_bytes = 871;
	in->response_share = 0.5;
	/* RFC 6455 5.2: 2-byte header, +2 for 126..65535-byte payloads, +8
	 * above; client frames add a 4-byte mask */
	in->ws_s2c = message_bytes < 126 ? 2 : message_bytes < 65536 ? 4 : 10;
	in->ws_c2s = in->ws_s2c + 4;
	in->ping_interval_s = 30;
	in->lcu_gb_per_hour = 1;
}

int
lever_protocol(const struct protocol_inputs *in, const char *currency, struct lever *l)
{
	double S = V_SECONDS_PER_MONTH, idle, requests, lp_bytes, lp_egress, ws_bytes, ws_egress;
	double d_egress_gb, d_proc_gb;
	long double saving;

	lever_init(l, "protocol", "WebSocket instead of HTTP long polling", currency);
	IN(l, "deliveries", in->deliveries, "messages/month", "%s", in->src_counts);
	IN(l, "messages_sent", in->messages, "messages/month", "%s", in->src_counts);
	IN(l, "connections", in->connections, "average online", "%s", in->src_counts);
	IN(l, "seconds_per_month", S, "s", "730 h");
	IN(l, "poll_timeout_s", in->poll_timeout_s, "s", "long-poll hold time (typical 20-60 s; --poll-timeout)");
	IN(l, "http_header_bytes", in->http_header_bytes, "bytes/request",
	   "request + response headers of one poll: 871 B example in 'HTML5 Web Sockets: A Quantum "
	   "Leap in Scalability for the Web' (websocket.org, Kaazing); O'Reilly: typically 700-900 B");
	IN(l, "response_share", in->response_share, "ratio",
	   "share of header bytes sent to the client (billed as egress); assumption, --response-share");
	IN(l, "ws_header_server_to_client", in->ws_s2c, "bytes/frame", "RFC 6455 section 5.2 (unmasked)");
	IN(l, "ws_header_client_to_server", in->ws_c2s, "bytes/frame", "RFC 6455 section 5.2 (+4-byte mask)");
	IN(l, "ping_interval_s", in->ping_interval_s, "s",
	   "WebSocket keepalive; ping 2 B to the client + pong 6 B back (--ping-interval)");
	IN(l, "egress_rate", units(in->egress.nanos), "per GB", "%s", in->egress.source);
	IN(l, "lcu_hourly", units(in->lcu.nanos), "per LCU-hour", "%s", in->lcu.source);
	IN(l, "lcu_gb_per_hour", in->lcu_gb_per_hour, "GB", "processed bytes in one LCU-hour (ALB, EC2 targets)");
	if (!(in->poll_timeout_s > 0) || !(in->ping_interval_s > 0)) {
		snprintf(l->note, sizeof l->note, "poll timeout and ping interval must be > 0");
		return 0;
	}
	idle = in->connections * S / in->poll_timeout_s;
	requests = in->deliveries + idle + in->messages;
	lp_bytes = requests * in->http_header_bytes;
	lp_egress = lp_bytes * in->response_share;
	ws_bytes = in->deliveries * in->ws_s2c + in->messages * in->ws_c2s +
		   in->connections * (S / in->ping_interval_s) * (2 + 6);
	ws_egress = in->deliveries * in->ws_s2c + in->connections * (S / in->ping_interval_s) * 2;
	d_egress_gb = (lp_egress - ws_egress) / 1e9;
	d_proc_gb = (lp_bytes - ws_bytes) / 1e9;
	snprintf(l->formula, sizeof l->formula,
		 "requests = deliveries + connections x seconds_per_month / poll_timeout_s + "
		 "messages_sent; lp_bytes = requests x http_header_bytes; lp_egress = lp_bytes x "
		 "response_share; ws_bytes = deliveries x ws_header_server_to_client + messages_sent x "
		 "ws_header_client_to_server + connections x seconds_per_month / ping_interval_s x 8; "
		 "ws_egress = deliveries x ws_header_server_to_client + connections x seconds_per_month / "
		 "ping_interval_s x 2; monthly_saving = (lp_egress - ws_egress) / 1e9 x egress_rate + "
		 "(lp_bytes - ws_bytes) / 1e9 / lcu_gb_per_hour x lcu_hourly");
	OUT(l, "long_poll_requests", requests, "requests/month", "");
	OUT(l, "idle_poll_requests", idle, "requests/month", "polls that time out empty");
	OUT(l, "long_poll_overhead_gb", lp_bytes / 1e9, "GB/month", "");
	OUT(l, "websocket_overhead_gb", ws_bytes / 1e9, "GB/month", "");
	OUT(l, "egress_gb_saved", d_egress_gb, "GB/month", "");
	OUT(l, "lb_processed_gb_saved", d_proc_gb, "GB/month", "");
	saving = (long double)d_egress_gb * in->egress.nanos +
		 (long double)d_proc_gb / in->lcu_gb_per_hour * in->lcu.nanos;
	if (set_saving(l, saving) != 0)
		return -1;
	snprintf(l->note, sizeof l->note,
		 "header bytes only (payloads are the same both ways); LB LCUs priced on processed "
		 "bytes, assuming keep-alive connections and that bytes are the dominant LCU dimension");
	return 0;
}

/* ------------------------------------------------------------------ */
/* retention and tiering                                              */

static void
retention_inputs(const struct retention_inputs *in, struct lever *l, int cold)
{
	IN(l, "messages", in->messages, "messages/month", "%s", in->src_counts);
	IN(l, "stored_bytes_per_message", in->stored_bytes, "bytes", "%s", in->src_counts);
	IN(l, "replication", in->replication, "copies", "copies of the history in the database");
	IN(l, "current_days", in->current_days, "days", "history kept today (0 = forever)");
	IN(l, "retention_days", in->retention_days, "days",
	   cold ? "history kept on the hot store (--retention-days)" : "proposed limit (--retention-days)");
	IN(l, "days_per_month", V_DAYS_PER_MONTH, "days", "730 h / 24");
	IN(l, "horizon_months", in->horizon_months, "months", "history held when kept forever");
	IN(l, "hot_price", units(in->hot.nanos), "per GB-month", "%s", in->hot.source);
	if (cold)
		IN(l, "cold_price", units(in->cold.nanos), "per GB-month", "%s", in->cold.source);
}

/* Months of history held today and with the proposed limit. */
static void
retention_months(const struct retention_inputs *in, double *cur, double *target)
{
	*cur = in->current_days > 0 ? in->current_days / V_DAYS_PER_MONTH : in->horizon_months;
	*target = in->retention_days / V_DAYS_PER_MONTH;
	if (*target > *cur)
		*target = *cur;
}

#define RETENTION_FORMULA \
	"growth_gb = messages x stored_bytes_per_message x replication / 1e9; current_months = " \
	"current_days / days_per_month, or horizon_months when current_days = 0; target_months = " \
	"min(retention_days / days_per_month, current_months); current_gb = growth_gb x " \
	"current_months; target_gb = growth_gb x target_months; "

int
lever_retention(const struct retention_inputs *in, const char *currency, struct lever *l)
{
	double growth, cur, target;

	lever_init(l, "retention", "limit how long message history is kept", currency);
	retention_inputs(in, l, 0);
	growth = in->messages * in->stored_bytes * in->replication / 1e9;
	retention_months(in, &cur, &target);
	snprintf(l->formula, sizeof l->formula, "%s%s", RETENTION_FORMULA,
		 "monthly_saving = (current_gb - target_gb) x hot_price");
	OUT(l, "growth_gb_per_month", growth, "GB/month", "");
	OUT(l, "current_gb", growth * cur, "GB", "");
	OUT(l, "target_gb", growth * target, "GB", "");
	if (set_saving(l, (long double)(growth * cur - growth * target) * in->hot.nanos) != 0)
		return -1;
	snprintf(l->note, sizeof l->note,
		 "kept forever, the store grows by growth_gb every month; a limit caps it at target_gb");
	return 0;
}

int
lever_tiering(const struct retention_inputs *in, const char *currency, struct lever *l)
{
	double growth, cur, target, old;
	long double saving;

	lever_init(l, "tiering", "move history older than retention_days to object storage", currency);
	retention_inputs(in, l, 1);
	growth = in->messages * in->stored_bytes * in->replication / 1e9;
	retention_months(in, &cur, &target);
	old = growth * cur - growth * target;
	snprintf(l->formula, sizeof l->formula, "%s%s", RETENTION_FORMULA,
		 "old_gb = current_gb - target_gb; monthly_saving = old_gb x hot_price - old_gb / "
		 "replication x cold_price (one copy in object storage, which replicates by itself)");
	OUT(l, "growth_gb_per_month", growth, "GB/month", "");
	OUT(l, "old_gb", old, "GB", "");
	OUT(l, "hot_gb", growth * target, "GB", "");
	saving = (long double)old * in->hot.nanos - (long double)old / in->replication * in->cold.nanos;
	if (set_saving(l, saving) != 0)
		return -1;
	snprintf(l->note, sizeof l->note, "reads of old history then cost object-storage requests");
	return 0;
}

/* ------------------------------------------------------------------ */
/* commitments                                                        */

int
lever_commitment_fleet(const struct vquote *od, const struct vinstance *in, int commit,
		       struct lever *l)
{
	const struct vcommit *c;
	double hours = V_HOURS_PER_MONTH;

	lever_init(l, "commitment", "commit the self-hosted fleet (reserved / subscription)", "USD");
	if (commit < 0 || commit >= in->ncommit) {
		snprintf(l->note, sizeof l->note, "no commitment price for %s in the catalog", in->type);
		return 0;
	}
	c = &in->commit[commit];
	IN(l, "instances", od->instances, "instances", "self-hosting sizing of %s", od->id);
	IN(l, "hours", hours, "h/month", "730 h");
	IN(l, "on_demand_hourly", units(in->od_hourly), "per hour", "%s", in->source);
	IN(l, "committed_hourly", units(c->effective_hourly), "per hour",
	   "%s %s, effective (upfront spread over the term); confidence %s", c->term, c->payment,
	   in->commit_confidence ? in->commit_confidence : in->confidence ? in->confidence : "unrated");
	snprintf(l->formula, sizeof l->formula,
		 "monthly_saving = instances x hours x (on_demand_hourly - committed_hourly); "
		 "break_even_utilization = committed_hourly / on_demand_hourly");
	OUT(l, "break_even_utilization", (double)c->effective_hourly / (double)in->od_hourly, "ratio",
	    "commit only capacity busier than this");
	if (set_saving(l, (long double)od->instances * hours *
			     (long double)(in->od_hourly - c->effective_hourly)) != 0)
		return -1;
	snprintf(l->note, sizeof l->note, "%s", in->commit_confidence &&
		 strcmp(in->commit_confidence, "low") == 0
		 ? "LOW-CONFIDENCE commitment rates (third-party): verify before buying" : "");
	return 0;
}

int
lever_commitment_bill(const struct commit_rec *recs, int nrecs, const char *currency,
		      struct lever *l)
{
	long double total = 0;

	lever_init(l, "commitment", "buy the commitments the bill supports (commitments analyzer)",
		   currency);
	if (nrecs == 0) {
		snprintf(l->note, sizeof l->note, "the commitments analyzer recommends no purchase "
			 "for this period");
		snprintf(l->formula, sizeof l->formula, "monthly_saving = sum of recommendations' monthly_savings");
		return set_saving(l, 0);
	}
	for (int i = 0; i < nrecs; i++) {
		const struct commit_rec *r = &recs[i];
		char name[48], m[40];
		int64_t v = r->monthly_savings;

		/* the amount as recommendations[] publishes it (6 decimals), so
		 * these inputs are the figures `analyze --only commitments` shows */
		money_format_json(v, m);
		if (money_parse(m, strlen(m), &v) != NUM_OK)
			v = r->monthly_savings;
		snprintf(name, sizeof name, "recommendation_%d", i + 1);
		IN(l, name, units(v), "per month", "%s %s x%g %s %s",
		   r->region ? r->region : "?", r->instance_type ? r->instance_type : "?",
		   (double)r->count, r->term ? r->term : "", r->payment ? r->payment : "");
		total += v;
	}
	snprintf(l->formula, sizeof l->formula,
		 "monthly_saving = sum of the recommendation_N inputs (each: monthly_savings of one "
		 "purchase the commitments analyzer recommends)");
	return set_saving(l, total);
}

/*
 * The share of a total egress figure that is compressible message payload,
 * when neither --compressible-share nor the bill's usage types gave it
 * (*share < 0): the profile's own (given, or its payload / media split when
 * media_gb_per_month is given), else the documented default.
 */
void
levers_compressible_share(const struct vprofile *p, int have_profile, double *share, char *src, size_t n)
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
void
levers_vcpu_price(const struct vcatalog *cat, const struct vprofile *p, struct lever_rate *r)
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
			 "catalog %.*s/%.*s %.*s on demand %.6f / %g vCPU (%.*s)",
			 (int)str_fit(in->provider, strlen(in->provider), 20), in->provider,
			 (int)str_fit(in->region, strlen(in->region), 30), in->region,
			 (int)str_fit(in->type, strlen(in->type), 40), in->type, (double)in->od_hourly / 1e9,
			 in->vcpu, (int)str_fit(in->as_of, strlen(in->as_of), 40), in->as_of);
		return;
	}
}
