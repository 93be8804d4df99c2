/*
 * levers.h - what-if savings of the IM cost levers, behind `imcost levers`:
 *
 *   compression  message-level compression: each payload deflated on its
 *                own (zlib raw deflate, measured on a JSONL sample of
 *                message payloads), applied to the compressible egress of
 *                the bill or the profile;
 *   protocol_compression  WebSocket permessage-deflate (RFC 7692): the same
 *                deflate with one context per connection (context
 *                takeover) or none, with the CPU time it costs per
 *                million messages, measured;
 *   protocol     HTTP long polling vs WebSocket: header and framing bytes
 *                (documented byte counts), extra requests, egress and
 *                load-balancer cost of the difference;
 *   retention    message-history growth and the saving of a retention limit;
 *   tiering      moving history older than N days to object storage;
 *   commitment   the commitments analyzer's purchase advice summarized, or
 *                the self-hosted fleet on demand vs its best commitment.
 *
 * Every lever carries its inputs (value, unit, where it came from), its
 * formula as text and its outputs, so that a reader (or a test) can redo
 * the arithmetic from what is printed.  Nothing here prints.
 */
#ifndef IMCOST_LEVERS_H
#define IMCOST_LEVERS_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/vendors.h"
#include "common/error.h"

#define LEVER_MAX_ITEMS 24

struct lever_item {
	char name[48];		/* JSON key, e.g. "egress_gb" */
	double value;
	char unit[32];		/* "GB/month", "USD/GB", "bytes" ... */
	char source[240];	/* where the number comes from */
	int not_given;		/* no value: printed "not given" (JSON null), never 0 */
};

struct lever {
	char key[24];		/* compression, protocol, retention, tiering, commitment */
	char title[128];
	char currency[8];
	int ninput, noutput;
	struct lever_item input[LEVER_MAX_ITEMS];
	struct lever_item output[LEVER_MAX_ITEMS];
	char formula[1024];
	int has_saving;		/* 0: the lever could not be priced (note says why) */
	int64_t monthly_saving;	/* nanos, currency */
	char note[512];
};

/* Deflate statistics of a message sample (RFC 7692 framing: each message
 * ends with a sync flush whose 4-byte 00 00 ff ff tail is not sent). */
struct deflate_stats {
	long messages;
	uint64_t raw;		/* payload bytes */
	uint64_t no_takeover;	/* compressed, a fresh context per message */
	uint64_t takeover;	/* compressed, one context across messages */
	int level, window_bits;
	/* CPU seconds to deflate the whole sample once, each way: the fastest
	 * of `reps` passes, CLOCK_PROCESS_CPUTIME_ID (this machine, this zlib) */
	double cpu_s_takeover, cpu_s_no_takeover;
	int reps;
};

/*
 * Compress n messages (msg[i], len[i] bytes) both ways with raw deflate at
 * `level` (0..9, or -1 for zlib's default 6) and 2^15 window.  Returns 0 or
 * -1 with err set.
 */
int deflate_measure(const unsigned char *const *msg, const size_t *len, size_t n, int level,
		    struct deflate_stats *st, struct ic_error *err);

/*
 * The same over a JSONL file: one message payload per non-empty line
 * (without its line end); every line must be valid JSON ("FILE:LINE: ...").
 */
int deflate_measure_file(const char *path, int level, struct deflate_stats *st,
			 struct ic_error *err);

/* Internet egress of the imported bill in [start, end): GB and billed cost
 * of AWS DataTransfer-Out-Bytes usage in the main currency, and *media_gb,
 * the part of those GB billed to S3 or CloudFront (files and media served
 * from object storage: already compressed, not message payloads).  *gb = 0
 * when the bill has none.  Returns 0 or -1 with err set. */
#define LEVERS_MEDIA_SERVICE \
	"(ServiceName LIKE '%S3%' OR ServiceName LIKE '%Simple Storage%'" \
	" OR ServiceName LIKE '%CloudFront%')"
struct engine;
int levers_bill_egress(struct engine *eng, int64_t start, int64_t end, double *gb, double *media_gb,
		       int64_t *cost, char currency[8], struct ic_error *err);

/* Where a number came from, for the inputs' source column. */
struct lever_rate {
	int64_t nanos;		/* price per unit */
	char source[240];
};

struct compression_inputs {
	const struct deflate_stats *st;
	double egress_gb;		/* compressible egress, GB/month; < 0: none known */
	char egress_src[240];
	struct lever_rate egress;	/* per GB */
	double connections;		/* average online; < 0: not given */
	double messages, deliveries;	/* per month; < 0: not given */
	char src_counts[240];
	struct lever_rate vcpu_hour;	/* price of one vCPU-hour; source "" = unknown */
};

/* Message-level compression: every payload deflated on its own (the
 * no-context-takeover size). */
int lever_compression(const struct compression_inputs *in, const char *currency, struct lever *l);
/* permessage-deflate: context takeover (headline) and none, with CPU cost. */
int lever_protocol_compression(const struct compression_inputs *in, const char *currency,
			       struct lever *l);

struct protocol_inputs {
	double deliveries, messages, connections;	/* per month; average online */
	double poll_timeout_s;		/* long-poll hold time */
	double http_header_bytes;	/* request + response headers of one poll */
	double response_share;		/* share of those bytes sent to the client */
	double ws_s2c, ws_c2s;		/* WebSocket frame header bytes */
	double ping_interval_s;		/* WebSocket keepalive ping */
	struct lever_rate egress;	/* per GB */
	struct lever_rate lcu;		/* per LCU-hour */
	double lcu_gb_per_hour;
	char src_counts[240];		/* where deliveries/messages/connections come from */
};

/* Fill the documented defaults (RFC 6455 frame sizes for message_bytes,
 * 871-byte headers, 30 s poll, 30 s ping, half the header bytes to the
 * client). */
void protocol_defaults(struct protocol_inputs *in, double message_bytes);
int lever_protocol(const struct protocol_inputs *in, const char *currency, struct lever *l);

struct retention_inputs {
	double messages;		/* per month */
	double stored_bytes;		/* per message */
	double replication;
	double current_days;		/* history kept today, days (0 = forever) */
	double retention_days;		/* the limit, or the hot window when tiering */
	double horizon_months;		/* history held when kept forever */
	struct lever_rate hot, cold;	/* per GB-month */
	char src_counts[240];
};

int lever_retention(const struct retention_inputs *in, const char *currency, struct lever *l);
int lever_tiering(const struct retention_inputs *in, const char *currency, struct lever *l);

/* Self-hosted fleet: n instances on demand vs the best commitment. */
int lever_commitment_fleet(const struct vquote *od, const struct vinstance *in, int commit,
			   struct lever *l);

/* The commitments analyzer's recommendations (recs[0..nrecs),
 * commitments_recommended) summed; none gives a lever without saving and
 * a note. */
struct commit_rec;
int lever_commitment_bill(const struct commit_rec *recs, int nrecs, const char *currency,
			  struct lever *l);

/*
 * The share of a total egress figure that is compressible message payload,
 * when neither --compressible-share nor the bill's usage types gave it
 * (*share < 0): the profile p's own, else the documented default; src
 * (n bytes) says which.  Nothing changes when *share >= 0.
 */
void levers_compressible_share(const struct vprofile *p, int have_profile, double *share, char *src,
			       size_t n);

/* Price of one vCPU-hour on demand from cat for p's region into r
 * (r->source "" when the catalog has none). */
void levers_vcpu_price(const struct vcatalog *cat, const struct vprofile *p, struct lever_rate *r);

#endif
