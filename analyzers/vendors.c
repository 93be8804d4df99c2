/*
 * vendors.c - the vendor catalog (cJSON), the workload profile and the
 * pricing engine of `imcost vendors`: hosted IM plans (graduated, volume
 * and bracket tiers, allowances, block rounding, minimums, plan limits),
 * the self-hosting capacity model (named benchmark, headroom, N+1, on
 * demand and best commitment, storage, egress, load balancer) and sweeps
 * with their crossover points.  See vendors.h and README-vendors.md.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "common/jsonscan.h"
#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "analyzers/vendors.h"
#include "common/decimal.h"

/* data/vendors.json, compiled in by mk/vendors.mk. */
extern const char imcost_vendors_json[];
extern const size_t imcost_vendors_json_len;

/* ------------------------------------------------------------------ */
/* profile                                                            */

static const struct vfield_info fields[PF_COUNT] = {
	[PF_MAU] = { "mau", "monthly active users", "required", 1, 1 },
	[PF_DAU] = { "dau", "average daily active users", "30% of mau", 1, 1 },
	[PF_PEAK_DAU] = { "peak_dau", "highest DAU of the month", "1.2 x dau", 1, 1 },
	[PF_PEAK_CONNECTIONS] = { "peak_connections", "peak concurrent connections",
				  "5% of mau", 1, 1 },
	[PF_CONNECTION_MINUTES] = { "connection_minutes", "connection-minutes per month",
				    "peak_connections x 0.5 (average/peak) x 43,800 min", 1, 1 },
	[PF_CHANNEL_MINUTES] = { "channel_minutes", "active channel-minutes per month",
				 "connection_minutes (one active channel per connection)", 1, 1 },
	[PF_MESSAGES] = { "messages", "messages sent per month",
			  "dau x 40 messages/day x 30.42 days", 1, 1 },
	[PF_RECIPIENTS] = { "recipients", "deliveries per message (fan-out)", "1 (one-to-one chat)", 0, 0 },
	[PF_MESSAGE_BYTES] = { "message_bytes", "average message payload, bytes", "200", 0, 1 },
	[PF_STORED_BYTES] = { "stored_bytes_per_message", "bytes per message in the history store",
			      "message_bytes + 100 (ids, metadata)", 0, 1 },
	[PF_PEAK_FACTOR] = { "peak_factor", "peak message rate / average rate", "3", 0, 0 },
	[PF_MEDIA_GB] = { "media_gb_per_month", "media uploaded per month, GB", "0", 1, 0 },
	[PF_RETENTION_DAYS] = { "history_retention_days", "history kept, days (0 = forever)",
				"0 (forever)", 0, 1 },
	[PF_HORIZON_MONTHS] = { "horizon_months", "months of history held when kept forever",
				"12", 0, 1 },
	[PF_GROUPS] = { "groups", "peak number of groups", "0", 1, 1 },
	[PF_SESSIONS_PER_DAU] = { "sessions_per_dau", "connections opened per DAU per day", "5", 0, 0 },
	/* self-hosting TCO: each default with its source */
	[PF_REDUNDANCY] = { "redundancy_factor",
			    "self-hosting: chat-server capacity multiplier for redundancy",
			    "1 (the catalog's N+1 spare only; 2 = a full copy in a second availability zone)",
			    0, 0 },
	[PF_DB_INSTANCES] = { "database_instances",
			      "self-hosting: history database servers (chat servers' instance type and rate)",
			      "2 (a primary and a standby, as Amazon RDS Multi-AZ deploys)", 0, 1 },
	[PF_PUSH_SHARE] = { "push_share", "self-hosting: share of deliveries sent as a mobile push",
			    "0.25 (an assumption: recipient offline one delivery in four)", 0, 0 },
	[PF_PUSH_PRICE] = { "push_price_per_million",
			    "self-hosting: push relay price per million notifications",
			    "0 (APNs and FCM send at no charge: developer.apple.com/notifications,"
			    " firebase.google.com/pricing; give a relay service's price to count it)", 0, 0 },
	[PF_MONITORING_HOST] = { "monitoring_per_host_month",
				 "self-hosting: monitoring per server per month",
				 "15 (Datadog Infrastructure Pro, per host per month billed annually,"
				 " datadoghq.com/pricing, 2025)", 0, 0 },
	[PF_LOG_BYTES] = { "log_bytes_per_message", "self-hosting: log bytes written per message sent",
			   "100 (an assumption: one access-log line per message)", 0, 0 },
	[PF_LOG_PRICE] = { "log_price_per_gb", "self-hosting: log ingestion price per GB",
			   "0.50 (Amazon CloudWatch Logs standard ingestion, us-east-1,"
			   " aws.amazon.com/cloudwatch/pricing)", 0, 0 },
	[PF_EGRESS_PRICE] = { "egress_price_per_gb", "self-hosting: internet egress price per GB",
			      "the catalog's graduated egress tiers (AWS us-east-1: 100 GB free,"
			      " then 0.09/GB)", 0, 0 },
	[PF_STAFF_FTE] = { "staff_fte",
			   "self-hosting: engineers running the service (full-time equivalents)",
			   "1 (ASSUMPTION, confirm it: one engineer to run, upgrade and be on call"
			   " for the chat cluster and its database)", 0, 0 },
	[PF_STAFF_COST] = { "staff_monthly_cost", "self-hosting: loaded cost of one FTE per month",
			    "15,750 (ASSUMPTION, confirm it: US BLS median pay of software developers"
			    " 132,270/year, May 2023, / 0.70 wage share of total compensation"
			    " (BLS ECEC) / 12, rounded)", 0, 0 },
	[PF_COMPRESSIBLE_SHARE] = { "compressible_share",
				    "share of internet egress that is message payload (0..1)",
				    "payload / (payload + media) when media_gb_per_month is given, else "
				    "0.6 (upper bound: video ~40% of WhatsApp traffic, SIGCOMM 2014)", 0, 0 },
};

const struct vfield_info *
vprofile_fields(void)
{
	return fields;
}

int
vprofile_field(const char *key)
{
	for (int i = 0; i < PF_COUNT; i++)
		if (strcmp(fields[i].key, key) == 0)
			return i;
	return -1;
}

#define GIVEN(p, i) (((p)->given >> (i)) & 1u)
#define BIT(i) ((uint64_t)1 << (i))

void
vprofile_derive(struct vprofile *p)
{
	double *f = p->f;

	if (!GIVEN(p, PF_DAU))
		f[PF_DAU] = round(0.3 * f[PF_MAU]);
	if (!GIVEN(p, PF_PEAK_DAU))
		f[PF_PEAK_DAU] = round(1.2 * f[PF_DAU]);
	if (!GIVEN(p, PF_PEAK_CONNECTIONS))
		f[PF_PEAK_CONNECTIONS] = round(0.05 * f[PF_MAU]);
	if (!GIVEN(p, PF_CONNECTION_MINUTES))
		f[PF_CONNECTION_MINUTES] = round(f[PF_PEAK_CONNECTIONS] * 0.5 * V_MINUTES_PER_MONTH);
	if (!GIVEN(p, PF_CHANNEL_MINUTES))
		f[PF_CHANNEL_MINUTES] = f[PF_CONNECTION_MINUTES];
	if (!GIVEN(p, PF_MESSAGES))
		f[PF_MESSAGES] = round(f[PF_DAU] * 40.0 * V_DAYS_PER_MONTH);
	if (!GIVEN(p, PF_RECIPIENTS))
		f[PF_RECIPIENTS] = 1;
	if (!GIVEN(p, PF_MESSAGE_BYTES))
		f[PF_MESSAGE_BYTES] = 200;
	if (!GIVEN(p, PF_STORED_BYTES))
		f[PF_STORED_BYTES] = f[PF_MESSAGE_BYTES] + 100;
	if (!GIVEN(p, PF_PEAK_FACTOR))
		f[PF_PEAK_FACTOR] = 3;
	if (!GIVEN(p, PF_MEDIA_GB))
		f[PF_MEDIA_GB] = 0;
	if (!GIVEN(p, PF_RETENTION_DAYS))
		f[PF_RETENTION_DAYS] = 0;
	if (!GIVEN(p, PF_HORIZON_MONTHS))
		f[PF_HORIZON_MONTHS] = 12;
	if (!GIVEN(p, PF_GROUPS))
		f[PF_GROUPS] = 0;
	if (!GIVEN(p, PF_SESSIONS_PER_DAU))
		f[PF_SESSIONS_PER_DAU] = 5;
	if (!GIVEN(p, PF_REDUNDANCY))
		f[PF_REDUNDANCY] = 1;
	if (!GIVEN(p, PF_DB_INSTANCES))
		f[PF_DB_INSTANCES] = 2;
	if (!GIVEN(p, PF_PUSH_SHARE))
		f[PF_PUSH_SHARE] = 0.25;
	if (!GIVEN(p, PF_PUSH_PRICE))
		f[PF_PUSH_PRICE] = 0;
	if (!GIVEN(p, PF_MONITORING_HOST))
		f[PF_MONITORING_HOST] = 15;
	if (!GIVEN(p, PF_LOG_BYTES))
		f[PF_LOG_BYTES] = 100;
	if (!GIVEN(p, PF_LOG_PRICE))
		f[PF_LOG_PRICE] = 0.5;
	if (!GIVEN(p, PF_EGRESS_PRICE))
		f[PF_EGRESS_PRICE] = 0;	/* not used: the catalog's tiers */
	if (!GIVEN(p, PF_STAFF_FTE))
		f[PF_STAFF_FTE] = 1;
	if (!GIVEN(p, PF_STAFF_COST))
		f[PF_STAFF_COST] = 15750;
	if (!GIVEN(p, PF_COMPRESSIBLE_SHARE)) {
		/* the profile's own split of egress_gb: payloads vs media */
		double text = f[PF_MESSAGES] * f[PF_RECIPIENTS] * f[PF_MESSAGE_BYTES] / 1e9;
		double media = f[PF_MEDIA_GB] * f[PF_RECIPIENTS];
		f[PF_COMPRESSIBLE_SHARE] = GIVEN(p, PF_MEDIA_GB) && text + media > 0
					   ? text / (text + media) : V_COMPRESSIBLE_SHARE_DEFAULT;
	}
}

void
vprofile_set(struct vprofile *p, int i, double v)
{
	if (i < 0 || i >= PF_COUNT)
		return;
	if (i == PF_MAU && p->f[PF_MAU] > 0) {
		double k = v / p->f[PF_MAU];
		for (int j = 0; j < PF_COUNT; j++)
			if (j != PF_MAU && fields[j].per_user && GIVEN(p, j))
				p->f[j] = fields[j].integral ? round(p->f[j] * k) : p->f[j] * k;
	}
	p->f[i] = v;
	p->given |= BIT(i);
	vprofile_derive(p);
}

int
vprofile_rate(const struct vprofile *p, const char *cur, double *rate)
{
	if (strcmp(cur, p->currency) == 0) {
		*rate = 1;
		return 0;
	}
	for (int i = 0; i < p->nfx; i++)
		if (strcmp(p->fx[i].cur, cur) == 0) {
			*rate = p->fx[i].rate;
			return 0;
		}
	return -1;
}

static int
is_ignored_key(const char *k)
{
	return k[0] == '_' || strcmp(k, "about") == 0 || strcmp(k, "notes") == 0 ||
	       strcmp(k, "comment") == 0;
}

/* Line and column (1-based) of the value of the first member "key" in
 * the JSON text, or of the text's start when it cannot be found. */
static void
json_key_pos(const char *text, size_t len, const char *key, long *line, long *col)
{
	size_t k = strlen(key), at = 0;

	for (size_t i = 0; i + k + 2 <= len; i++) {
		size_t j;
		if (text[i] != '"' || memcmp(text + i + 1, key, k) != 0 || text[i + k + 1] != '"')
			continue;
		for (j = i + k + 2; j < len && strchr(" \t\r\n", text[j]); j++)
			;
		if (j < len && text[j] == ':') {
			for (j++; j < len && strchr(" \t\r\n", text[j]); j++)
				;
			at = j;
			break;
		}
	}
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

/* An error at the value of profile key `key`: "FILE:LINE:COL: key "K": ..." */
static int
profile_error(struct ic_error *err, const char *text, size_t len, const char *name,
	      const char *key, const char *what, const char *val)
{
	char q[IC_QUOTE_SIZE];
	long line, col;

	json_key_pos(text, len, key, &line, &col);
	ic_quote(val, strlen(val), 40, q);
	return ic_error_at(err, name, line, col, "key \"%s\": '%s' %s", key, q, what);
}

static int
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int
vprofile_parse(const char *text, size_t len, const char *name, struct vprofile *p,
	       struct ic_error *err)
{
	cJSON *root, *it;
	const char *end = NULL;

	memset(p, 0, sizeof *p);
	snprintf(p->currency, sizeof p->currency, "USD");
	snprintf(p->region, sizeof p->region, "us-east-1");
	if (json_scan(name, 1, text, len, err) != 0)
		return -1;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL || !cJSON_IsObject(root)) {
		const char *at = cJSON_GetErrorPtr();
		long l = 1, col = 1;
		if (root == NULL && at && at >= text && at <= text + len)
			json_pos(text, (size_t)(at - text), 1, &l, &col);
		cJSON_Delete(root);
		return ic_error_at(err, name, l, col, root ? "not a JSON object" : "not valid JSON");
	}
	while (end && end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (end && end < text + len) {
		long l = 1, col = 1;
		char q[IC_QUOTE_SIZE];

		json_pos(text, (size_t)(end - text), 1, &l, &col);
		cJSON_Delete(root);
		return ic_error_at(err, name, l, col, "bytes after the end of the profile's JSON"
				   " object: '%s' (one object per file)",
				   ic_quote(end, (size_t)(text + len - end), 16, q));
	}
	cJSON_ArrayForEach(it, root) {
		const char *k = it->string;
		int i = vprofile_field(k);

		if (i >= 0) {
			if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0)
				goto bad_num;
			p->f[i] = it->valuedouble;
			p->given |= BIT(i);
			if ((i == PF_PEAK_FACTOR || i == PF_REDUNDANCY) && p->f[i] < 1)
				goto bad_num;
			if (i == PF_PUSH_SHARE && p->f[i] > 1)
				goto bad_num;
			if (i == PF_COMPRESSIBLE_SHARE && p->f[i] > 1)
				goto bad_num;
			continue;
		}
		if (strcmp(k, "name") == 0 || strcmp(k, "currency") == 0 || strcmp(k, "region") == 0) {
			char *dst = k[0] == 'n' ? p->name : k[0] == 'c' ? p->currency : p->region;
			size_t cap = k[0] == 'n' ? sizeof p->name : k[0] == 'c' ? sizeof p->currency
				     : sizeof p->region;
			if (k[0] == 'c' && cJSON_IsString(it) &&
			    !currency_code_ok(it->valuestring, strlen(it->valuestring))) {
				profile_error(err, text, len, name, k,
					      "is not three capital letters (ISO 4217)", it->valuestring);
				cJSON_Delete(root);
				return -1;
			}
			if (!cJSON_IsString(it) || strlen(it->valuestring) >= cap || !it->valuestring[0]) {
				ic_errorf(err, "%s: key \"%s\": expected a string of at most %zu bytes",
					  name, k, cap - 1);
				cJSON_Delete(root);
				return -1;
			}
			if (has_control(it->valuestring)) {
				profile_error(err, text, len, name, k,
					      "holds a control character", it->valuestring);
				cJSON_Delete(root);
				return -1;
			}
			snprintf(dst, cap, "%s", it->valuestring);
			if (k[0] == 'r')
				p->region_given = 1;
			continue;
		}
		if (strcmp(k, "regions") == 0) {
			cJSON *r0 = cJSON_GetArrayItem(it, 0);
			if (!cJSON_IsArray(it) || (r0 && (!cJSON_IsString(r0) ||
				strlen(r0->valuestring) >= sizeof p->region))) {
				cJSON_Delete(root);
				return ic_errorf(err, "%s: key \"regions\": expected an array of region names", name);
			}
			if (r0 && has_control(r0->valuestring)) {
				profile_error(err, text, len, name, k, "holds a control character",
					      r0->valuestring);
				cJSON_Delete(root);
				return -1;
			}
			if (r0) {
				snprintf(p->region, sizeof p->region, "%s", r0->valuestring);
				p->region_given = 1;
			}
			continue;
		}
		if (strcmp(k, "exchange_rates") == 0) {
			cJSON *r;
			if (!cJSON_IsObject(it)) {
				cJSON_Delete(root);
				return ic_errorf(err, "%s: key \"exchange_rates\": expected an object "
						 "{\"CNY\": rate, ...}", name);
			}
			cJSON_ArrayForEach(r, it) {
				if (!cJSON_IsNumber(r) || !(r->valuedouble > 0) || !isfinite(r->valuedouble) ||
				    strlen(r->string) >= sizeof p->fx[0].cur) {
					char q[IC_QUOTE_SIZE];

					ic_errorf(err, "%s: key \"exchange_rates.%s\": expected a number > 0",
						  name, ic_quote(r->string, strlen(r->string), 8, q));
					cJSON_Delete(root);
					return -1;
				}
				if (!currency_code_ok(r->string, strlen(r->string))) {
					profile_error(err, text, len, name, "exchange_rates",
						      "is not three capital letters (ISO 4217)", r->string);
					cJSON_Delete(root);
					return -1;
				}
				if (r->valuedouble < 1 / V_FX_RANGE || r->valuedouble > V_FX_RANGE) {
					char q[IC_QUOTE_SIZE];

					ic_errorf(err, "%s: key \"exchange_rates.%s\": %g is out of range"
						  " (1 %s = RATE %s, RATE between %g and %g)", name,
						  ic_quote(r->string, strlen(r->string), 8, q),
						  r->valuedouble, r->string, p->currency, 1 / V_FX_RANGE,
						  V_FX_RANGE);
					cJSON_Delete(root);
					return -1;
				}
				if (p->nfx == V_MAX_FX) {
					cJSON_Delete(root);
					return ic_errorf(err, "%s: key \"exchange_rates\": at most %d rates",
							 name, V_MAX_FX);
				}
				snprintf(p->fx[p->nfx].cur, sizeof p->fx[0].cur, "%s", r->string);
				p->fx[p->nfx++].rate = r->valuedouble;
			}
			continue;
		}
		if (is_ignored_key(k))
			continue;
		{
			char q[IC_QUOTE_SIZE];

			ic_errorf(err, "%s: unknown key \"%s\" (README-vendors.md lists the profile fields)",
				  name, ic_quote(k, strlen(k), 60, q));
		}
		cJSON_Delete(root);
		return -1;
bad_num:
		ic_errorf(err, "%s: key \"%s\": expected a number %s", name, k,
			  i == PF_PEAK_FACTOR || i == PF_REDUNDANCY ? ">= 1"
			  : i == PF_PUSH_SHARE || i == PF_COMPRESSIBLE_SHARE ? "between 0 and 1" : ">= 0");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_Delete(root);
	if (!GIVEN(p, PF_MAU) || !(p->f[PF_MAU] > 0))
		return ic_errorf(err, "%s: key \"mau\": required, a number > 0", name);
	vprofile_derive(p);
	return 0;
}

static char *
read_file(const char *path, size_t max, size_t *len, struct ic_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL) {
		ic_errorf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb;
			cap = cap ? cap * 2 : 16384;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				ic_errorf(err, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n > max) {
			ic_errorf(err, "%s: larger than %zu KiB, the most this file may hold",
				  path, max >> 10);
			goto fail;
		}
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		ic_errorf(err, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

int
vprofile_load(const char *path, struct vprofile *p, struct ic_error *err)
{
	size_t len;
	char *s = read_file(path, V_PROFILE_MAX, &len, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = vprofile_parse(s, len, path, p, err);
	free(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* units                                                              */

static const char *const unit_names[VU_COUNT] = {
	[VU_MONTH] = "month", [VU_MAU] = "mau", [VU_DAU] = "dau", [VU_PEAK_DAU] = "peak_dau",
	[VU_PEAK_CONNECTIONS] = "peak_connections",
	[VU_CONNECTION_MINUTES] = "connection_minutes", [VU_CHANNEL_MINUTES] = "channel_minutes",
	[VU_MESSAGES] = "messages", [VU_DELIVERIES] = "deliveries",
	[VU_MESSAGE_EVENTS] = "message_events",
	[VU_PEAK_MESSAGE_EVENTS_PER_SECOND] = "peak_message_events_per_second",
	[VU_PEAK_DELIVERIES_PER_SECOND] = "peak_deliveries_per_second",
	[VU_GROUPS] = "groups", [VU_HISTORY_GB] = "history_gb", [VU_MEDIA_GB] = "media_gb",
	[VU_EGRESS_GB] = "egress_gb", [VU_EGRESS_GIB] = "egress_gib",
};

const char *
vunit_name(enum vunit u)
{
	return (unsigned)u < VU_COUNT ? unit_names[u] : "?";
}

int
vunit_parse(const char *s)
{
	for (int i = 0; i < VU_COUNT; i++)
		if (strcmp(unit_names[i], s) == 0)
			return i;
	return -1;
}

static double
months_held(const struct vprofile *p)
{
	return p->f[PF_RETENTION_DAYS] > 0 ? p->f[PF_RETENTION_DAYS] / V_DAYS_PER_MONTH
					   : p->f[PF_HORIZON_MONTHS];
}

double
vprofile_quantity(const struct vprofile *p, enum vunit u)
{
	const double *f = p->f;
	double deliveries = f[PF_MESSAGES] * f[PF_RECIPIENTS];

	switch (u) {
	case VU_MONTH: return 1;
	case VU_MAU: return f[PF_MAU];
	case VU_DAU: return f[PF_DAU];
	case VU_PEAK_DAU: return f[PF_PEAK_DAU];
	case VU_PEAK_CONNECTIONS: return f[PF_PEAK_CONNECTIONS];
	case VU_CONNECTION_MINUTES: return f[PF_CONNECTION_MINUTES];
	case VU_CHANNEL_MINUTES: return f[PF_CHANNEL_MINUTES];
	case VU_MESSAGES: return f[PF_MESSAGES];
	case VU_DELIVERIES: return deliveries;
	case VU_MESSAGE_EVENTS: return f[PF_MESSAGES] + deliveries;
	case VU_PEAK_MESSAGE_EVENTS_PER_SECOND:
		return (f[PF_MESSAGES] + deliveries) / V_SECONDS_PER_MONTH * f[PF_PEAK_FACTOR];
	case VU_PEAK_DELIVERIES_PER_SECOND:
		return deliveries / V_SECONDS_PER_MONTH * f[PF_PEAK_FACTOR];
	case VU_GROUPS: return f[PF_GROUPS];
	case VU_HISTORY_GB: return f[PF_MESSAGES] * f[PF_STORED_BYTES] * months_held(p) / 1e9;
	case VU_MEDIA_GB: return f[PF_MEDIA_GB] * months_held(p);
	case VU_EGRESS_GB:
		return deliveries * f[PF_MESSAGE_BYTES] / 1e9 + f[PF_MEDIA_GB] * f[PF_RECIPIENTS];
	case VU_EGRESS_GIB:
		return vprofile_quantity(p, VU_EGRESS_GB) * 1e9 / 1073741824.0;
	case VU_COUNT: break;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* catalog parsing                                                    */

struct ctx {
	const char *name;	/* file name */
	char where[400];	/* "vendors[3] (id \"x\")" */
	struct ic_error *err;
};

static int
bad(struct ctx *x, const char *key, const char *what)
{
	char q[IC_QUOTE_SIZE];

	/* key may come from the file (an unknown key): quoted */
	return ic_errorf(x->err, "%s: %s: key \"%s\": %s", x->name, x->where,
			 ic_quote(key, strlen(key), 60, q), what);
}

static int
get_str(struct ctx *x, const cJSON *o, const char *key, int required, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return bad(x, key, "required");
		return 0;
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return bad(x, key, "expected a non-empty string");
	/* names that join entries (and reach messages) carry no control
	 * characters; display text may (tables and charts quote it) */
	if (has_control(v->valuestring) && strcmp(key, "vendor") != 0 && strcmp(key, "plan") != 0 &&
	    strcmp(key, "name") != 0 && strcmp(key, "notes") != 0 && strcmp(key, "source") != 0 &&
	    strcmp(key, "benchmark") != 0 && strcmp(key, "unpriced") != 0)
		return bad(x, key, "control characters are not allowed");
	*out = strdup(v->valuestring);
	if (*out == NULL)
		return ic_errorf(x->err, "out of memory");
	return 0;
}

/* A number >= 0 (or absent: *out = dflt, unless required). */
static int
get_num(struct ctx *x, const cJSON *o, const char *key, int required, double dflt, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = dflt;
	if (v == NULL || cJSON_IsNull(v))
		return required ? bad(x, key, "required") : 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
		return bad(x, key, "expected a number >= 0");
	*out = v->valuedouble;
	return 0;
}

/* A price: a JSON number or a decimal string, >= 0, at most 9 decimals. */
static int
get_price(struct ctx *x, const cJSON *o, const char *key, int required, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return required ? bad(x, key, "required (a price is never guessed)") : 0;
	if (cJSON_IsString(v)) {
		const char *dot = strchr(v->valuestring, '.');
		if (money_parse(v->valuestring, strlen(v->valuestring), out) != NUM_OK || *out < 0)
			return bad(x, key, "expected a decimal price >= 0");
		/* money_parse rounds past the ninth decimal (CUR writes ten): a
		 * catalog price is refused instead, as a number is */
		if (dot && strspn(dot + 1, "0123456789") > 9)
			return bad(x, key, "more than 9 decimals");
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
	    v->valuedouble > 9e9)
		return bad(x, key, "expected a price >= 0 (number or decimal string)");
	{
		double n = v->valuedouble * 1e9;
		double r = nearbyint(n);
		if (fabs(n - r) > 1e-3 * (1 + fabs(n) * 1e-12))
			return bad(x, key, "more than 9 decimals");
		*out = (int64_t)r;
	}
	return 0;
}

static int
get_unit(struct ctx *x, const cJSON *o, const char *key, enum vunit *u)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	int i;

	if (v == NULL)
		return bad(x, key, "required");
	if (!cJSON_IsString(v) || (i = vunit_parse(v->valuestring)) < 0)
		return bad(x, key, "unknown unit (month, mau, dau, peak_dau, peak_connections, "
			   "connection_minutes, channel_minutes, messages, deliveries, message_events, "
			   "peak_message_events_per_second, peak_deliveries_per_second, groups, "
			   "history_gb, media_gb, egress_gb, egress_gib)");
	*u = (enum vunit)i;
	return 0;
}

/* Keys an object may have; anything else is an error naming it. */
static int
check_keys(struct ctx *x, const cJSON *o, const char *const *allowed)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, o) {
		int ok = is_ignored_key(it->string);
		for (int i = 0; !ok && allowed[i]; i++)
			ok = strcmp(allowed[i], it->string) == 0;
		if (!ok)
			return bad(x, it->string, "unknown key");
	}
	return 0;
}

static int
parse_tiers(struct ctx *x, const cJSON *arr, const char *key, int need_price,
	    struct vtier **out, int *n)
{
	int cnt, i = 0;
	const cJSON *t;
	char k[64];

	if (!cJSON_IsArray(arr) || (cnt = cJSON_GetArraySize(arr)) == 0)
		return bad(x, key, "expected a non-empty array of {\"up_to\", \"price\"}");
	*out = calloc((size_t)cnt, sizeof **out);
	if (*out == NULL)
		return ic_errorf(x->err, "out of memory");
	*n = cnt;
	cJSON_ArrayForEach(t, arr) {
		const cJSON *up = cJSON_GetObjectItemCaseSensitive(t, "up_to");
		static const char *const tk[] = { "up_to", "price", NULL };

		snprintf(k, sizeof k, "%s[%d].up_to", key, i);
		if (!cJSON_IsObject(t))
			return bad(x, k, "expected an object");
		if (check_keys(x, t, tk) != 0)
			return -1;
		if (up == NULL || cJSON_IsNull(up)) {
			if (i != cnt - 1)
				return bad(x, k, "only the last tier may be unbounded");
			(*out)[i].up_to = -1;
		} else if (!cJSON_IsNumber(up) || !(up->valuedouble > 0) || !isfinite(up->valuedouble)) {
			return bad(x, k, "expected a number > 0, or null for the last tier");
		} else {
			(*out)[i].up_to = up->valuedouble;
			if (i > 0 && !((*out)[i].up_to > (*out)[i - 1].up_to))
				return bad(x, k, "tiers must be in increasing order of up_to");
		}
		snprintf(k, sizeof k, "%s[%d].price", key, i);
		{
			struct ctx sub = *x;
			int64_t pr;
			/* name the tier key in messages */
			if (get_price(&sub, t, "price", need_price, &pr) != 0) {
				return ic_errorf(x->err, "%s: %s: key \"%s\": expected a price >= 0",
						 x->name, x->where, k);
			}
			(*out)[i].price = pr;
		}
		i++;
	}
	return 0;
}

static void
component_free(struct vcomponent *c)
{
	free(c->name);
	free(c->tiers);
}

static int
parse_component(struct ctx *x, const cJSON *o, int idx, struct vcomponent *c)
{
	static const char *const keys[] = { "name", "unit", "price", "per", "rounding", "included",
		"included_share", "tiers", "tier_mode", "size_unit_bytes", NULL };
	char where[320];
	const cJSON *v;
	struct ctx sub = *x;

	memset(c, 0, sizeof *c);
	snprintf(where, sizeof where, "%.280s: components[%d]", x->where, idx);
	snprintf(sub.where, sizeof sub.where, "%s", where);
	if (!cJSON_IsObject(o))
		return bad(&sub, "components", "expected an object");
	if (check_keys(&sub, o, keys) != 0 || get_str(&sub, o, "name", 1, &c->name) != 0 ||
	    get_unit(&sub, o, "unit", &c->unit) != 0 ||
	    get_num(&sub, o, "included", 0, 0, &c->included) != 0 ||
	    get_num(&sub, o, "per", 0, 1, &c->per) != 0 ||
	    get_num(&sub, o, "size_unit_bytes", 0, 0, &c->size_unit_bytes) != 0)
		return -1;
	if (!(c->per > 0))
		return bad(&sub, "per", "expected a number > 0");
	v = cJSON_GetObjectItemCaseSensitive(o, "rounding");
	if (v) {
		if (!cJSON_IsString(v))
			return bad(&sub, "rounding", "expected \"up\", \"down\" or \"none\"");
		if (strcmp(v->valuestring, "up") == 0)
			c->rounding = VR_UP;
		else if (strcmp(v->valuestring, "down") == 0)
			c->rounding = VR_DOWN;
		else if (strcmp(v->valuestring, "none") == 0)
			c->rounding = VR_NONE;
		else
			return bad(&sub, "rounding", "expected \"up\", \"down\" or \"none\"");
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "included_share");
	if (v) {
		static const char *const sk[] = { "of", "share", "min", NULL };
		struct ctx s2 = sub;
		snprintf(s2.where, sizeof s2.where, "%s: included_share", where);
		if (!cJSON_IsObject(v))
			return bad(&sub, "included_share", "expected {\"of\": UNIT, \"share\": N, \"min\": N}");
		if (check_keys(&s2, v, sk) != 0 || get_unit(&s2, v, "of", &c->share_of) != 0 ||
		    get_num(&s2, v, "share", 1, 0, &c->share) != 0 ||
		    get_num(&s2, v, "min", 0, 0, &c->share_min) != 0)
			return -1;
		c->has_share = 1;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "tiers");
	if (v) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "tier_mode");
		if (cJSON_GetObjectItemCaseSensitive(o, "price"))
			return bad(&sub, "price", "give either price or tiers, not both");
		if (m == NULL)
			return bad(&sub, "tier_mode", "required with tiers: \"graduated\", \"volume\" or \"bracket\"");
		if (!cJSON_IsString(m))
			return bad(&sub, "tier_mode", "expected \"graduated\", \"volume\" or \"bracket\"");
		if (strcmp(m->valuestring, "graduated") == 0)
			c->mode = VT_GRADUATED;
		else if (strcmp(m->valuestring, "volume") == 0)
			c->mode = VT_VOLUME;
		else if (strcmp(m->valuestring, "bracket") == 0)
			c->mode = VT_BRACKET;
		else
			return bad(&sub, "tier_mode", "expected \"graduated\", \"volume\" or \"bracket\"");
		return parse_tiers(&sub, v, "tiers", 1, &c->tiers, &c->ntiers);
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "tier_mode"))
		return bad(&sub, "tier_mode", "only with tiers");
	c->mode = VT_FLAT;
	c->tiers = calloc(1, sizeof *c->tiers);
	if (c->tiers == NULL)
		return ic_errorf(x->err, "out of memory");
	c->ntiers = 1;
	c->tiers[0].up_to = -1;
	return get_price(&sub, o, "price", 1, &c->tiers[0].price);
}

static void
option_free(struct voption *o)
{
	free(o->id); free(o->vendor); free(o->plan); free(o->currency); free(o->source);
	free(o->as_of); free(o->confidence); free(o->notes); free(o->unpriced);
	for (int i = 0; i < o->ncomp; i++)
		component_free(&o->comp[i]);
	free(o->comp);
	free(o->limit);
	memset(o, 0, sizeof *o);
}

static int
parse_limits(struct ctx *x, const cJSON *o, struct voption *v)
{
	const cJSON *lims, *it;
	int i;

	lims = cJSON_GetObjectItemCaseSensitive(o, "limits");
	if (lims) {
		if (!cJSON_IsArray(lims))
			return bad(x, "limits", "expected an array");
		v->limit = calloc((size_t)cJSON_GetArraySize(lims) + 1, sizeof *v->limit);
		if (v->limit == NULL)
			return ic_errorf(x->err, "out of memory");
		i = 0;
		cJSON_ArrayForEach(it, lims) {
			static const char *const lk[] = { "unit", "max", "max_share_of", "share", NULL };
			struct ctx sub = *x;
			struct vlimit *l = &v->limit[i];
			const cJSON *so;
			snprintf(sub.where, sizeof sub.where, "%.300s: limits[%d]", x->where, i);
			if (!cJSON_IsObject(it) || check_keys(&sub, it, lk) != 0 ||
			    get_unit(&sub, it, "unit", &l->unit) != 0)
				return cJSON_IsObject(it) ? -1 : bad(x, "limits", "expected objects");
			so = cJSON_GetObjectItemCaseSensitive(it, "max_share_of");
			if (so) {
				if (get_unit(&sub, it, "max_share_of", &l->share_of) != 0 ||
				    get_num(&sub, it, "share", 1, 0, &l->share) != 0)
					return -1;
				l->has_share = 1;
			} else if (get_num(&sub, it, "max", 1, 0, &l->max) != 0) {
				return -1;
			}
			v->nlimit = ++i;
		}
	}
	return 0;
}

static int
parse_option(struct ctx *x, const cJSON *o, struct voption *v)
{
	static const char *const keys[] = { "id", "vendor", "plan", "product", "currency",
		"components", "limits", "minimum", "source", "as_of", "confidence", "notes", "unpriced",
		NULL };
	const cJSON *comps, *it;
	int i;

	memset(v, 0, sizeof *v);
	if (check_keys(x, o, keys) != 0 || get_str(x, o, "vendor", 1, &v->vendor) != 0 ||
	    get_str(x, o, "plan", 0, &v->plan) != 0 || get_str(x, o, "currency", 1, &v->currency) != 0 ||
	    get_str(x, o, "source", 1, &v->source) != 0 || get_str(x, o, "as_of", 1, &v->as_of) != 0 ||
	    get_str(x, o, "confidence", 0, &v->confidence) != 0 ||
	    get_str(x, o, "notes", 0, &v->notes) != 0 || get_price(x, o, "minimum", 0, &v->minimum) != 0 ||
	    get_str(x, o, "unpriced", 0, &v->unpriced) != 0)
		return -1;
	if (!currency_code_ok(v->currency, strlen(v->currency)))
		return bad(x, "currency", "expected a currency code such as USD or CNY");
	if (v->unpriced) {
		/* a plan whose price is not published: listed with the reason, no
		 * components (a made-up price is worse than none) */
		if (v->unpriced[0] == '\0')
			return bad(x, "unpriced", "expected the reason no price is given");
		if (cJSON_GetObjectItemCaseSensitive(o, "components") ||
		    cJSON_GetObjectItemCaseSensitive(o, "minimum"))
			return bad(x, "unpriced", "an unpriced plan has no components or minimum");
		if (v->confidence && strcmp(v->confidence, "none") != 0)
			return bad(x, "confidence", "expected \"none\" for an unpriced plan");
		return parse_limits(x, o, v);
	}
	if (v->confidence && strcmp(v->confidence, "high") != 0 && strcmp(v->confidence, "medium") != 0 &&
	    strcmp(v->confidence, "low") != 0)
		return bad(x, "confidence", "expected \"high\", \"medium\" or \"low\"");
	comps = cJSON_GetObjectItemCaseSensitive(o, "components");
	if (!cJSON_IsArray(comps) || cJSON_GetArraySize(comps) == 0)
		return bad(x, "components", "required: a non-empty array");
	if (cJSON_GetArraySize(comps) > V_MAX_LINES - 1)
		return bad(x, "components", "too many (at most 15)");
	v->comp = calloc((size_t)cJSON_GetArraySize(comps), sizeof *v->comp);
	if (v->comp == NULL)
		return ic_errorf(x->err, "out of memory");
	i = 0;
	cJSON_ArrayForEach(it, comps) {
		int rc = parse_component(x, it, i, &v->comp[i]);
		v->ncomp = ++i;
		if (rc != 0)
			return -1;
	}
	return parse_limits(x, o, v);
}

static void server_free(struct vserver *s)
{
	free(s->id); free(s->name); free(s->benchmark); free(s->source); free(s->as_of);
}

static int
parse_server(struct ctx *x, const cJSON *o, struct vserver *s)
{
	static const char *const keys[] = { "id", "name", "vcpu_per_1k_connections",
		"vcpu_per_1k_deliveries_per_second", "memory_kib_per_connection", "benchmark",
		"source", "as_of", NULL };

	memset(s, 0, sizeof *s);
	if (check_keys(x, o, keys) != 0 || get_str(x, o, "name", 1, &s->name) != 0 ||
	    get_str(x, o, "benchmark", 1, &s->benchmark) != 0 ||
	    get_str(x, o, "source", 1, &s->source) != 0 || get_str(x, o, "as_of", 1, &s->as_of) != 0 ||
	    get_num(x, o, "vcpu_per_1k_connections", 1, 0, &s->vcpu_per_1k_conn) != 0 ||
	    get_num(x, o, "vcpu_per_1k_deliveries_per_second", 0, 0, &s->vcpu_per_1k_dps) != 0 ||
	    get_num(x, o, "memory_kib_per_connection", 0, 0, &s->mem_kib_per_conn) != 0)
		return -1;
	if (!(s->vcpu_per_1k_conn > 0))
		return bad(x, "vcpu_per_1k_connections", "expected a number > 0");
	return 0;
}

static void
inst_free(struct vinstance *in)
{
	free(in->provider); free(in->region); free(in->type); free(in->source); free(in->as_of);
	free(in->confidence); free(in->commit_confidence);
	for (int i = 0; i < in->ncommit; i++) {
		free(in->commit[i].term);
		free(in->commit[i].payment);
	}
	free(in->commit);
}

static int
term_hours(const char *term, double *h)
{
	if (strcmp(term, "1y") == 0)
		*h = 8760;
	else if (strcmp(term, "3y") == 0)
		*h = 26280;
	else if (strcmp(term, "1m") == 0)
		*h = V_HOURS_PER_MONTH;
	else
		return -1;
	return 0;
}

static int
parse_instance(struct ctx *x, const cJSON *o, struct vinstance *in)
{
	static const char *const keys[] = { "provider", "region", "instance_type", "platform", "vcpu",
		"memory_gib", "on_demand_hourly", "commitments", "source", "as_of", "confidence",
		"commitment_confidence", "notes", NULL };
	const cJSON *cm, *it;
	int i = 0;

	memset(in, 0, sizeof *in);
	if (check_keys(x, o, keys) != 0 || get_str(x, o, "provider", 1, &in->provider) != 0 ||
	    get_str(x, o, "region", 1, &in->region) != 0 ||
	    get_str(x, o, "instance_type", 1, &in->type) != 0 ||
	    get_str(x, o, "source", 1, &in->source) != 0 || get_str(x, o, "as_of", 1, &in->as_of) != 0 ||
	    get_str(x, o, "confidence", 0, &in->confidence) != 0 ||
	    get_str(x, o, "commitment_confidence", 0, &in->commit_confidence) != 0 ||
	    get_num(x, o, "vcpu", 1, 0, &in->vcpu) != 0 ||
	    get_num(x, o, "memory_gib", 1, 0, &in->mem_gib) != 0 ||
	    get_price(x, o, "on_demand_hourly", 1, &in->od_hourly) != 0)
		return -1;
	if (!(in->vcpu > 0) || !(in->mem_gib > 0))
		return bad(x, in->vcpu > 0 ? "memory_gib" : "vcpu", "expected a number > 0");
	cm = cJSON_GetObjectItemCaseSensitive(o, "commitments");
	if (cm == NULL)
		return 0;
	if (!cJSON_IsArray(cm))
		return bad(x, "commitments", "expected an array");
	in->commit = calloc((size_t)cJSON_GetArraySize(cm) + 1, sizeof *in->commit);
	if (in->commit == NULL)
		return ic_errorf(x->err, "out of memory");
	cJSON_ArrayForEach(it, cm) {
		static const char *const ck[] = { "term", "payment", "effective_hourly", "upfront",
			"hourly", NULL };
		struct ctx sub = *x;
		struct vcommit *c = &in->commit[i];
		double h;
		snprintf(sub.where, sizeof sub.where, "%.300s: commitments[%d]", x->where, i);
		in->ncommit = i + 1;
		if (!cJSON_IsObject(it))
			return bad(x, "commitments", "expected objects");
		if (check_keys(&sub, it, ck) != 0 || get_str(&sub, it, "term", 1, &c->term) != 0 ||
		    get_str(&sub, it, "payment", 1, &c->payment) != 0)
			return -1;
		if (term_hours(c->term, &h) != 0)
			return bad(&sub, "term", "expected \"1y\", \"3y\" or \"1m\"");
		if (cJSON_GetObjectItemCaseSensitive(it, "effective_hourly")) {
			if (get_price(&sub, it, "effective_hourly", 1, &c->effective_hourly) != 0)
				return -1;
		} else {
			int64_t up, hr;
			if (get_price(&sub, it, "hourly", 1, &hr) != 0 ||
			    get_price(&sub, it, "upfront", 0, &up) != 0)
				return -1;
			c->effective_hourly = hr + (int64_t)llround((double)up / h);
		}
		i++;
	}
	return 0;
}

static void
infra_free(struct vinfra *f)
{
	free(f->provider); free(f->region); free(f->source); free(f->as_of); free(f->egress);
}

static int
parse_infra(struct ctx *x, const cJSON *o, struct vinfra *f)
{
	static const char *const keys[] = { "provider", "region", "block_storage_gb_month",
		"object_storage_gb_month", "egress_tiers", "load_balancer_hourly", "lcu_hourly",
		"lcu_active_connections", "lcu_new_connections_per_second", "lcu_gb_per_hour",
		"alb_lcu_hourly", "source", "as_of", "confidence", NULL };
	const cJSON *e;

	memset(f, 0, sizeof *f);
	if (check_keys(x, o, keys) != 0 || get_str(x, o, "provider", 1, &f->provider) != 0 ||
	    get_str(x, o, "region", 1, &f->region) != 0 || get_str(x, o, "source", 1, &f->source) != 0 ||
	    get_str(x, o, "as_of", 1, &f->as_of) != 0 ||
	    get_price(x, o, "block_storage_gb_month", 1, &f->block_gb_month) != 0 ||
	    get_price(x, o, "object_storage_gb_month", 1, &f->object_gb_month) != 0 ||
	    get_price(x, o, "load_balancer_hourly", 1, &f->lb_hourly) != 0 ||
	    get_price(x, o, "lcu_hourly", 1, &f->lcu_hourly) != 0 ||
	    get_price(x, o, "alb_lcu_hourly", 0, &f->alb_lcu_hourly) != 0 ||
	    get_num(x, o, "lcu_active_connections", 1, 0, &f->lcu_conns) != 0 ||
	    get_num(x, o, "lcu_new_connections_per_second", 1, 0, &f->lcu_new_per_s) != 0 ||
	    get_num(x, o, "lcu_gb_per_hour", 1, 0, &f->lcu_gb_per_h) != 0)
		return -1;
	if (!(f->lcu_conns > 0) || !(f->lcu_new_per_s > 0) || !(f->lcu_gb_per_h > 0))
		return bad(x, "lcu_active_connections", "LCU dimensions must be > 0");
	e = cJSON_GetObjectItemCaseSensitive(o, "egress_tiers");
	if (e == NULL)
		return bad(x, "egress_tiers", "required");
	if (parse_tiers(x, e, "egress_tiers", 1, &f->egress, &f->negress) != 0)
		return -1;
	if (f->egress[f->negress - 1].up_to >= 0)
		return bad(x, "egress_tiers", "the last tier must be unbounded (no up_to)");
	return 0;
}

static void
self_free(struct vselfhost *s)
{
	free(s->id); free(s->server); free(s->provider); free(s->region); free(s->type);
}

static int
parse_self(struct ctx *x, const cJSON *o, struct vselfhost *s)
{
	static const char *const keys[] = { "id", "server", "provider", "region", "instance_type",
		"headroom", "spare_instances", "storage_replication", NULL };
	double spare;

	memset(s, 0, sizeof *s);
	if (check_keys(x, o, keys) != 0 || get_str(x, o, "server", 1, &s->server) != 0 ||
	    get_str(x, o, "provider", 1, &s->provider) != 0 ||
	    get_str(x, o, "region", 1, &s->region) != 0 ||
	    get_str(x, o, "instance_type", 1, &s->type) != 0 ||
	    get_num(x, o, "headroom", 0, 0.3, &s->headroom) != 0 ||
	    get_num(x, o, "spare_instances", 0, 1, &spare) != 0 ||
	    get_num(x, o, "storage_replication", 0, 3, &s->replication) != 0)
		return -1;
	if (s->headroom >= 0.9)
		return bad(x, "headroom", "expected a fraction below 0.9");
	if (spare != floor(spare) || spare > 100)
		return bad(x, "spare_instances", "expected a whole number <= 100");
	if (!(s->replication >= 1))
		return bad(x, "storage_replication", "expected a number >= 1");
	s->spare = (int)spare;
	return 0;
}

struct vcatalog *
vcatalog_new(void)
{
	return calloc(1, sizeof(struct vcatalog));
}

void
vcatalog_free(struct vcatalog *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->nopt; i++)
		option_free(&c->opt[i]);
	for (int i = 0; i < c->nserver; i++)
		server_free(&c->server[i]);
	for (int i = 0; i < c->ninst; i++)
		inst_free(&c->inst[i]);
	for (int i = 0; i < c->ninfra; i++)
		infra_free(&c->infra[i]);
	for (int i = 0; i < c->nself; i++)
		self_free(&c->self[i]);
	free(c->opt); free(c->server); free(c->inst); free(c->infra); free(c->self);
	free(c);
}

/* Generic "array of entries keyed by id" merge helpers. */
#define SECTIONS 5
enum { S_VENDORS, S_SERVERS, S_INSTANCES, S_INFRA, S_SELF };
static const char *const section_names[SECTIONS] = {
	"vendors", "servers", "instances", "infrastructure", "self_hosted"
};

static int
entry_key(int sec, const cJSON *o, char *key, size_t n)
{
	const cJSON *a, *b, *c;

	if (sec == S_INSTANCES || sec == S_INFRA) {
		a = cJSON_GetObjectItemCaseSensitive(o, "provider");
		b = cJSON_GetObjectItemCaseSensitive(o, "region");
		c = cJSON_GetObjectItemCaseSensitive(o, "instance_type");
		if (!cJSON_IsString(a) || !cJSON_IsString(b) || (sec == S_INSTANCES && !cJSON_IsString(c)))
			return -1;
		snprintf(key, n, "%s/%s%s%s", a->valuestring, b->valuestring,
			 sec == S_INSTANCES ? "/" : "", sec == S_INSTANCES ? c->valuestring : "");
		return has_control(key) ? -2 : 0;
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (!cJSON_IsString(a) || !a->valuestring[0])
		return -1;
	snprintf(key, n, "%s", a->valuestring);
	return has_control(key) ? -2 : 0;
}

static const char *
key_of(const struct vcatalog *c, int sec, int i, char *buf, size_t n)
{
	switch (sec) {
	case S_VENDORS: return c->opt[i].id;
	case S_SERVERS: return c->server[i].id;
	case S_SELF: return c->self[i].id;
	case S_INSTANCES:
		snprintf(buf, n, "%s/%s/%s", c->inst[i].provider, c->inst[i].region, c->inst[i].type);
		return buf;
	default:
		snprintf(buf, n, "%s/%s", c->infra[i].provider, c->infra[i].region);
		return buf;
	}
}

static int *
count_of(struct vcatalog *c, int sec)
{
	int *n[SECTIONS] = { &c->nopt, &c->nserver, &c->ninst, &c->ninfra, &c->nself };
	return n[sec];
}

static void **
array_of(struct vcatalog *c, int sec)
{
	void **a[SECTIONS] = { (void **)&c->opt, (void **)&c->server, (void **)&c->inst,
			       (void **)&c->infra, (void **)&c->self };
	return a[sec];
}

static const size_t entry_size[SECTIONS] = {
	sizeof(struct voption), sizeof(struct vserver), sizeof(struct vinstance),
	sizeof(struct vinfra), sizeof(struct vselfhost)
};

static void
entry_free(int sec, void *e)
{
	switch (sec) {
	case S_VENDORS: option_free(e); break;
	case S_SERVERS: server_free(e); break;
	case S_INSTANCES: inst_free(e); break;
	case S_INFRA: infra_free(e); break;
	default: self_free(e); break;
	}
}

static int
find_entry(struct vcatalog *c, int sec, const char *key)
{
	char buf[256];

	for (int i = 0; i < *count_of(c, sec); i++)
		if (strcmp(key_of(c, sec, i, buf, sizeof buf), key) == 0)
			return i;
	return -1;
}

/* Put entry e (size entry_size[sec]) into c under key: replace or append. */
static int
put_entry(struct vcatalog *c, int sec, const char *key, void *e, int grow)
{
	int i = find_entry(c, sec, key);
	char *arr = *array_of(c, sec);
	size_t sz = entry_size[sec];

	if (i >= 0) {
		entry_free(sec, arr + (size_t)i * sz);
		memcpy(arr + (size_t)i * sz, e, sz);
		return 0;
	}
	if (grow) {
		arr = realloc(arr, (size_t)(*count_of(c, sec) + 1) * sz);
		if (arr == NULL)
			return -1;
		*array_of(c, sec) = arr;
	}
	memcpy(arr + (size_t)(*count_of(c, sec))++ * sz, e, sz);
	return 0;
}

static void
remove_entry(struct vcatalog *c, int sec, const char *key)
{
	int i = find_entry(c, sec, key);
	char *arr = *array_of(c, sec);
	size_t sz = entry_size[sec];
	int *n = count_of(c, sec);

	if (i < 0)
		return;
	entry_free(sec, arr + (size_t)i * sz);
	memmove(arr + (size_t)i * sz, arr + (size_t)(i + 1) * sz, (size_t)(*n - i - 1) * sz);
	(*n)--;
}

int
vcatalog_merge(struct vcatalog *c, const char *text, size_t len, const char *name,
	       struct ic_error *err)
{
	static const char *const top[] = { "schema", "about", "vendors", "servers", "instances",
		"infrastructure", "self_hosted", NULL };
	int scanned = json_scan(name, 1, text, len, err);
	cJSON *root = scanned != 0 ? NULL : cJSON_ParseWithLength(text, len), *sch;
	struct vcatalog *tmp = NULL;
	struct ctx x = { name, "catalog", err };
	/* entries marked "remove": true, applied after parsing */
	char (*rm)[256] = NULL;
	int *rm_sec = NULL, nrm = 0, rc = -1;

	if (scanned != 0) {
		return -1;	/* json_scan said why */
	} else if (root == NULL || !cJSON_IsObject(root)) {
		const char *at = cJSON_GetErrorPtr();
		if (root == NULL && at && at >= text && at <= text + len) {
			long line = 1, col = 1;
			json_pos(text, (size_t)(at - text), 1, &line, &col);
			ic_error_at(err, name, line, col, "not valid JSON");
		} else {
			ic_errorf(err, "%s: not a JSON object", name);
		}
		cJSON_Delete(root);
		return -1;
	}
	if (check_keys(&x, root, top) != 0)
		goto out;
	sch = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (sch && (!cJSON_IsNumber(sch) || sch->valuedouble != 1)) {
		bad(&x, "schema", "this imcost reads schema 1");
		goto out;
	}
	tmp = vcatalog_new();
	if (tmp == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	for (int sec = 0; sec < SECTIONS; sec++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, section_names[sec]), *it;
		int i = 0;

		if (arr == NULL)
			continue;
		if (!cJSON_IsArray(arr)) {
			bad(&x, section_names[sec], "expected an array");
			goto out;
		}
		cJSON_ArrayForEach(it, arr) {
			char key[256];
			int ek;
			union { struct voption o; struct vserver s; struct vinstance in; struct vinfra f;
				struct vselfhost h; } e;
			const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "remove");
			int prc;

			snprintf(x.where, sizeof x.where, "%s[%d]", section_names[sec], i);
			if (!cJSON_IsObject(it)) {
				ic_errorf(err, "%s: %s: expected an object", name, x.where);
				goto out;
			}
			if ((ek = entry_key(sec, it, key, sizeof key)) != 0) {
				bad(&x, sec == S_INSTANCES ? "instance_type" : sec == S_INFRA ? "region" : "id",
				    ek == -2 ? "control characters are not allowed"
				    : sec == S_INSTANCES || sec == S_INFRA
				    ? "provider, region (and instance_type) are required strings"
				    : "required: a non-empty string");
				goto out;
			}
			{
				char q[IC_QUOTE_SIZE];
				snprintf(x.where, sizeof x.where, "%s[%d] (%s \"%s\")", section_names[sec], i,
					 sec == S_INSTANCES || sec == S_INFRA ? "key" : "id",
					 ic_quote(key, strlen(key), 60, q));
			}
			if (r) {
				void *nr;
				if (!cJSON_IsTrue(r)) {
					bad(&x, "remove", "expected true");
					goto out;
				}
				nr = realloc(rm, (size_t)(nrm + 1) * sizeof *rm);
				if (nr == NULL) { ic_errorf(err, "out of memory"); goto out; }
				rm = nr;
				nr = realloc(rm_sec, (size_t)(nrm + 1) * sizeof *rm_sec);
				if (nr == NULL) { ic_errorf(err, "out of memory"); goto out; }
				rm_sec = nr;
				snprintf(rm[nrm], sizeof rm[0], "%s", key);
				rm_sec[nrm++] = sec;
				i++;
				continue;
			}
			memset(&e, 0, sizeof e);
			switch (sec) {
			case S_VENDORS:
				prc = parse_option(&x, it, &e.o);
				if (prc == 0 && (e.o.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			case S_SERVERS:
				prc = parse_server(&x, it, &e.s);
				if (prc == 0 && (e.s.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			case S_INSTANCES: prc = parse_instance(&x, it, &e.in); break;
			case S_INFRA: prc = parse_infra(&x, it, &e.f); break;
			default:
				prc = parse_self(&x, it, &e.h);
				if (prc == 0 && (e.h.id = strdup(key)) == NULL)
					prc = ic_errorf(err, "out of memory");
				break;
			}
			if (prc == 0 && find_entry(tmp, sec, key) >= 0)
				prc = ic_errorf(err, "%s: %s: duplicate entry", name, x.where);
			if (prc != 0 || put_entry(tmp, sec, key, &e, 1) != 0) {
				if (prc == 0)
					ic_errorf(err, "out of memory");
				entry_free(sec, &e);
				goto out;
			}
			i++;
		}
	}
	/* Everything parsed.  Reserve room first so that moving cannot fail. */
	for (int sec = 0; sec < SECTIONS; sec++) {
		size_t want = (size_t)(*count_of(c, sec) + *count_of(tmp, sec));
		void *na;
		if (want == 0)
			continue;
		na = realloc(*array_of(c, sec), want * entry_size[sec]);
		if (na == NULL) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		*array_of(c, sec) = na;
	}
	for (int k = 0; k < nrm; k++)
		remove_entry(c, rm_sec[k], rm[k]);
	for (int sec = 0; sec < SECTIONS; sec++) {
		char *arr = *array_of(tmp, sec), buf[256];
		size_t sz = entry_size[sec];
		int n = *count_of(tmp, sec);

		for (int i = 0; i < n; i++)
			put_entry(c, sec, key_of(tmp, sec, i, buf, sizeof buf), arr + (size_t)i * sz, 0);
		*count_of(tmp, sec) = 0;	/* moved */
	}
	rc = 0;
out:
	vcatalog_free(tmp);
	free(rm);
	free(rm_sec);
	cJSON_Delete(root);
	return rc;
}

int
vcatalog_merge_file(struct vcatalog *c, const char *path, struct ic_error *err)
{
	size_t len;
	char *s = read_file(path, (size_t)64 << 20, &len, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = vcatalog_merge(c, s, len, path, err);
	free(s);
	return rc;
}

struct vcatalog *
vcatalog_builtin(struct ic_error *err)
{
	struct vcatalog *c = vcatalog_new();

	if (c == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (vcatalog_merge(c, imcost_vendors_json, imcost_vendors_json_len,
			   "built-in catalog (data/vendors.json)", err) != 0) {
		vcatalog_free(c);
		return NULL;
	}
	return c;
}

const struct vinstance *
vcatalog_instance(const struct vcatalog *c, const char *provider, const char *region,
		  const char *type)
{
	for (int i = 0; i < c->ninst; i++)
		if (strcmp(c->inst[i].provider, provider) == 0 && strcmp(c->inst[i].region, region) == 0 &&
		    strcmp(c->inst[i].type, type) == 0)
			return &c->inst[i];
	return NULL;
}

static char *
dup_printf(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

int
vcatalog_use_price_lists(struct vcatalog *c, const struct catalog *pb, int *nused,
			 struct ic_error *err)
{
	*nused = 0;
	for (int i = 0; i < c->ninst; i++) {
		struct vinstance *in = &c->inst[i];
		const struct catalog_entry *e = catalog_find(pb, in->provider, in->region, in->type,
							     NULL);
		struct vcommit *cm = NULL;
		int ncm = 0;
		char *src, *asof, *conf, *cconf;

		if (e == NULL || e->od_source == NULL || strcmp(e->od_source, "built-in") == 0 ||
		    e->on_demand_hourly <= 0 || (e->currency && strcmp(e->currency, "USD") != 0))
			continue;
		if (e->noffers > 0) {
			cm = calloc((size_t)e->noffers, sizeof *cm);
			if (cm == NULL)
				return ic_errorf(err, "out of memory");
			for (int k = 0; k < e->noffers; k++) {
				const struct catalog_offer *o = &e->offers[k];
				double r = catalog_offer_rate(o);

				const char *from = o->savings_plan ? e->sp_source : e->offer_source;

				/* only the price lists' offers, not the built-in
				 * catalog's that the pricebook starts from */
				if (from == NULL || strcmp(from, "built-in") == 0)
					continue;
				if (o->term < 0 || o->term >= NTERMS || o->payment < 0 ||
				    o->payment >= NPAYMENTS || !(r > 0) || r > 9e18)
					continue;
				cm[ncm].term = dup_printf(commit_term_names[o->term], "");
				cm[ncm].payment = dup_printf(o->savings_plan ? "savings_plan_" : "",
							     commit_payment_names[o->payment]);
				cm[ncm].effective_hourly = llround(r);
				if (!cm[ncm].term || !cm[ncm].payment) {
					for (int j = 0; j <= ncm; j++) {
						free(cm[j].term);
						free(cm[j].payment);
					}
					free(cm);
					return ic_errorf(err, "out of memory");
				}
				ncm++;
			}
			if (ncm == 0) {		/* none usable: keep the catalog's */
				free(cm);
				cm = NULL;
			}
		}
		src = dup_printf("imported price list: ", e->od_source);
		asof = dup_printf(e->as_of ? e->as_of : "price list", "");
		conf = dup_printf("high", "");
		cconf = dup_printf("high", "");
		if (!src || !asof || !conf || !cconf) {
			free(src); free(asof); free(conf); free(cconf);
			for (int j = 0; j < ncm; j++) {
				free(cm[j].term);
				free(cm[j].payment);
			}
			free(cm);
			return ic_errorf(err, "out of memory");
		}
		free(in->source); free(in->as_of); free(in->confidence);
		in->source = src;
		in->as_of = asof;
		in->confidence = conf;
		in->od_hourly = e->on_demand_hourly;
		if (cm != NULL) {
			for (int j = 0; j < in->ncommit; j++) {
				free(in->commit[j].term);
				free(in->commit[j].payment);
			}
			free(in->commit);
			free(in->commit_confidence);
			in->commit = cm;
			in->ncommit = ncm;
			in->commit_confidence = cconf;
		} else
			free(cconf);
		(*nused)++;
	}
	return 0;
}

const struct vinfra *
vcatalog_infra(const struct vcatalog *c, const char *provider, const char *region)
{
	for (int i = 0; i < c->ninfra; i++)
		if (strcmp(c->infra[i].provider, provider) == 0 && strcmp(c->infra[i].region, region) == 0)
			return &c->infra[i];
	return NULL;
}

const struct vserver *
vcatalog_server(const struct vcatalog *c, const char *id)
{
	for (int i = 0; i < c->nserver; i++)
		if (strcmp(c->server[i].id, id) == 0)
			return &c->server[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* pricing                                                            */

/* round(q * price / per) in nanos; -1 on overflow (*out untouched). */
static int
mulprice(double q, int64_t price, double per, int64_t *out)
{
	long double r = (long double)q * (long double)price / (long double)per;

	if (!(r < 9.2e18L) || r < 0)
		return -1;
	*out = (int64_t)llroundl(r);
	return 0;
}

int64_t
vtiers_graduated(const struct vtier *t, int n, double q, double per)
{
	int64_t total = 0, part;
	double lo = 0;

	for (int i = 0; i < n && q > lo; i++) {
		double hi = t[i].up_to < 0 ? q : (q < t[i].up_to ? q : t[i].up_to);
		if (hi > lo && mulprice(hi - lo, t[i].price, per, &part) == 0)
			total += part;
		if (t[i].up_to < 0)
			break;
		lo = t[i].up_to;
	}
	return total;
}

/* Returns 0, -1 (error, err set), or -2 (quantity beyond the last bounded tier). */
int
vcomponent_cost(const struct vcomponent *c, double q, double incl, double *billable,
		int64_t *cost, struct ic_error *err)
{
	double b = q - incl;
	int64_t part;
	char qn[IC_QUOTE_SIZE];

	*cost = 0;
	if (b < 0)
		b = 0;
	if (c->rounding == VR_UP)
		b = ceil(b / c->per - 1e-9) * c->per;
	else if (c->rounding == VR_DOWN)
		b = floor(b / c->per + 1e-9) * c->per;
	if (b < 0)
		b = 0;
	*billable = b;
	if (c->ntiers > 0 && c->tiers[c->ntiers - 1].up_to >= 0 &&
	    b > c->tiers[c->ntiers - 1].up_to * (1 + 1e-12))
		return -2;
	switch (c->mode) {
	case VT_FLAT:
		if (mulprice(b, c->tiers[0].price, c->per, cost) != 0)
			return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
		return 0;
	case VT_GRADUATED: {
		double lo = 0;
		for (int i = 0; i < c->ntiers && b > lo; i++) {
			double hi = c->tiers[i].up_to < 0 || b < c->tiers[i].up_to ? b : c->tiers[i].up_to;
			if (mulprice(hi - lo, c->tiers[i].price, c->per, &part) != 0 ||
			    money_add(*cost, part, cost) != 0)
				return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
			if (c->tiers[i].up_to < 0)
				break;
			lo = c->tiers[i].up_to;
		}
		return 0;
	}
	case VT_VOLUME:
	case VT_BRACKET:
		for (int i = 0; i < c->ntiers; i++)
			if (c->tiers[i].up_to < 0 || b <= c->tiers[i].up_to) {
				if (c->mode == VT_BRACKET)
					*cost = c->tiers[i].price;
				else if (mulprice(b, c->tiers[i].price, c->per, cost) != 0)
					return ic_errorf(err, "component %s: amount too large", ic_quote(c->name, strlen(c->name), 60, qn));
				return 0;
			}
		return -2;
	}
	return 0;
}

static void
fmt_qty(double v, char *buf, size_t n)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		char tmp[32];
		int len, o = 0;
		snprintf(tmp, sizeof tmp, "%.0f", fabs(v));
		len = (int)strlen(tmp);
		if (v < 0 && o < (int)n - 1)
			buf[o++] = '-';
		for (int i = 0; i < len && o < (int)n - 2; i++) {
			if (i && (len - i) % 3 == 0)
				buf[o++] = ',';
			buf[o++] = tmp[i];
		}
		buf[o] = '\0';
	} else {
		snprintf(buf, n, "%.6g", v);
	}
}

static void
quote_init(struct vquote *q)
{
	memset(q, 0, sizeof *q);
	q->eligible = 1;
}

static void
quote_compare(struct vquote *q, const struct vprofile *p)
{
	double rate;

	q->comparable = 0;
	if (vprofile_rate(p, q->currency, &rate) == 0) {
		long double v = (long double)q->total * rate;
		if (v < 9.2e18L) {
			q->total_cmp = (int64_t)llroundl(v);
			q->comparable = 1;
		}
	}
}

int
voption_price(const struct voption *o, const struct vprofile *p, struct vquote *q,
	      struct ic_error *err)
{
	quote_init(q);
	snprintf(q->id, sizeof q->id, "%s", o->id);
	snprintf(q->vendor, sizeof q->vendor, "%s", o->vendor);
	snprintf(q->plan, sizeof q->plan, "%s", o->plan ? o->plan : "");
	snprintf(q->currency, sizeof q->currency, "%s", o->currency);
	snprintf(q->kind, sizeof q->kind, "hosted");
	q->source = o->source;
	q->as_of = o->as_of;
	q->confidence = o->confidence ? o->confidence : "unrated";
	q->notes = o->notes;
	if (o->unpriced) {
		q->eligible = 0;
		snprintf(q->why, sizeof q->why, "no published price: %s", o->unpriced);
		return 0;
	}
	for (int i = 0; i < o->nlimit; i++) {
		const struct vlimit *l = &o->limit[i];
		double have = vprofile_quantity(p, l->unit);
		double cap = l->has_share ? l->share * vprofile_quantity(p, l->share_of) : l->max;
		if (have > cap) {
			char a[40], b[40];
			fmt_qty(have, a, sizeof a);
			fmt_qty(cap, b, sizeof b);
			q->eligible = 0;
			snprintf(q->why, sizeof q->why, "%s %s above the plan limit %s", vunit_name(l->unit), a, b);
			return 0;
		}
	}
	for (int i = 0; i < o->ncomp; i++) {
		const struct vcomponent *c = &o->comp[i];
		struct vline *ln = &q->line[q->nline++];
		double qty = vprofile_quantity(p, c->unit), incl = c->included;
		int rc;

		if (c->size_unit_bytes > 0)
			qty *= ceil(p->f[PF_MESSAGE_BYTES] / c->size_unit_bytes);
		if (c->has_share) {
			double s = c->share * vprofile_quantity(p, c->share_of);
			incl += s > c->share_min ? s : c->share_min;
		}
		snprintf(ln->name, sizeof ln->name, "%s", c->name);
		ln->quantity = qty;
		rc = vcomponent_cost(c, qty, incl, &ln->billable, &ln->cost, err);
		if (rc == -2) {
			char a[40];
			fmt_qty(qty, a, sizeof a);
			q->eligible = 0;
			snprintf(q->why, sizeof q->why, "%s %s beyond the last published tier",
				 vunit_name(c->unit), a);
			return 0;
		}
		if (rc != 0 || money_add(q->total, ln->cost, &q->total) != 0)
			return rc != 0 ? -1 : ic_errorf(err, "%s: amount too large", o->id);
	}
	if (o->minimum > q->total && q->nline < V_MAX_LINES) {
		struct vline *ln = &q->line[q->nline++];
		snprintf(ln->name, sizeof ln->name, "top-up to the monthly minimum");
		ln->quantity = ln->billable = 1;
		ln->cost = o->minimum - q->total;
		q->total = o->minimum;
	}
	quote_compare(q, p);
	return 0;
}

int
vselfhost_best_commit(const struct vinstance *in)
{
	int best = -1;

	for (int i = 0; i < in->ncommit; i++)
		if (best < 0 || in->commit[i].effective_hourly < in->commit[best].effective_hourly)
			best = i;
	return best;
}

static int
add_line(struct vquote *q, const char *key, const char *name, double qty, double billable,
	 int64_t cost, struct ic_error *err)
{
	struct vline *ln;

	if (q->nline >= V_MAX_LINES)
		return ic_errorf(err, "%s: more than %d cost components", q->id, V_MAX_LINES);
	ln = &q->line[q->nline++];
	snprintf(ln->name, sizeof ln->name, "%.159s", name);
	ln->key = key;
	ln->quantity = qty;
	ln->billable = billable;
	ln->cost = cost;
	if (money_add(q->total, cost, &q->total) != 0)
		return ic_errorf(err, "%s: amount too large", q->id);
	return 0;
}

/* A price from a profile field (a double, at most 9 decimals matter) as
 * nanos.  Returns 0, or -1 when it is out of range. */
static int
field_price(const struct vprofile *p, int i, int64_t *out)
{
	double v = p->f[i] * 1e9;

	if (!(v >= 0) || v > 9.2e18)
		return -1;
	*out = llround(v);
	return 0;
}

/* cost = qty x the price in profile field i, as one TCO line. */
static int
add_field_line(struct vquote *q, const struct vprofile *p, const char *key, const char *name,
	       double qty, int i, double per, struct ic_error *err)
{
	int64_t price, cost;

	if (field_price(p, i, &price) != 0 || mulprice(qty, price, per, &cost) != 0)
		return ic_errorf(err, "%s: %s: amount too large", q->id, vprofile_fields()[i].key);
	return add_line(q, key, name, qty, qty, cost, err);
}

int
vselfhost_price(const struct vcatalog *c, const struct vselfhost *s, const struct vprofile *p,
		int commit, struct vquote *q, struct ic_error *err)
{
	const struct vserver *sv = vcatalog_server(c, s->server);
	const struct vinstance *in = vcatalog_instance(c, s->provider, s->region, s->type);
	const struct vinfra *inf = vcatalog_infra(c, s->provider, s->region);
	double conns = p->f[PF_PEAK_CONNECTIONS];
	double dps = vprofile_quantity(p, VU_PEAK_DELIVERIES_PER_SECOND);
	double cpu, mem, usable = 1 - s->headroom, ncpu, nmem = 0, need, hours = V_HOURS_PER_MONTH;
	double hist, media, egress, avg_conns, new_per_s, gb_per_h, nlcu, ndb, logs, pushes;
	int64_t rate, cost;
	int n;
	char name[200], a[40], b[40];

	if (sv == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"server\": no server \"%s\"",
				 s->id, s->server);
	if (in == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"instance_type\": no instance "
				 "%s/%s/%s in instances[]", s->id, s->provider, s->region, s->type);
	if (inf == NULL)
		return ic_errorf(err, "catalog: self_hosted \"%s\": key \"region\": no infrastructure "
				 "entry for %s/%s", s->id, s->provider, s->region);
	if (commit >= in->ncommit)
		commit = -1;
	quote_init(q);
	snprintf(q->id, sizeof q->id, "%s%s%s%s%s", s->id, commit >= 0 ? "/" : "",
		 commit >= 0 ? in->commit[commit].term : "", commit >= 0 ? "-" : "",
		 commit >= 0 ? in->commit[commit].payment : "");
	snprintf(q->vendor, sizeof q->vendor, "self-hosted %s on %s", s->server, s->type);
	if (commit >= 0)
		snprintf(q->plan, sizeof q->plan, "%s %s commitment", in->commit[commit].term,
			 in->commit[commit].payment);
	else
		snprintf(q->plan, sizeof q->plan, "on demand");
	snprintf(q->currency, sizeof q->currency, "USD");
	snprintf(q->kind, sizeof q->kind, "self-hosted");
	q->source = sv->source;
	q->as_of = in->as_of;
	q->confidence = commit >= 0 && in->commit_confidence ? in->commit_confidence
			: in->confidence ? in->confidence : "unrated";
	q->notes = sv->benchmark;

	cpu = conns / 1000 * sv->vcpu_per_1k_conn + dps / 1000 * sv->vcpu_per_1k_dps;
	mem = conns * sv->mem_kib_per_conn / 1048576.0;
	ncpu = ceil(cpu / (in->vcpu * usable) - 1e-9);
	if (mem > 0)
		nmem = ceil(mem / (in->mem_gib * usable) - 1e-9);
	need = ncpu > nmem ? ncpu : nmem;
	if (need < 1)
		need = 1;
	need = ceil(need * p->f[PF_REDUNDANCY] - 1e-9);
	if (need > 1e6)
		return ic_errorf(err, "%s: more than a million instances", q->id);
	n = (int)need + s->spare;
	q->instances = n;
	snprintf(q->detail, sizeof q->detail,
		 "%.2f vCPU = %.0f conns x %g/1k + %.1f deliveries/s x %g/1k%s; %.2f GiB memory; "
		 "%.0f%% headroom on %.0f vCPU/%.0f GiB -> %.0f x redundancy %g + %d spare = %d instances",
		 cpu, conns, sv->vcpu_per_1k_conn, dps, sv->vcpu_per_1k_dps,
		 sv->vcpu_per_1k_dps > 0 ? "" : " (no message-rate benchmark)", mem,
		 s->headroom * 100, in->vcpu, in->mem_gib, ncpu > nmem ? ncpu : nmem,
		 p->f[PF_REDUNDANCY], s->spare, n);

	rate = commit >= 0 ? in->commit[commit].effective_hourly : in->od_hourly;
	snprintf(name, sizeof name, "compute: %d x %s x 730 h at %s/h%s%s", n, in->type,
		 money_format_json(rate, a), commit >= 0 ? " (effective, commitment)" : " (on demand)",
		 in->source && strncmp(in->source, "imported price list", 19) == 0
		 ? " from the imported price list" : "");
	if (mulprice((double)n * hours, rate, 1, &cost) != 0 ||
	    add_line(q, "compute", name, n * hours, n * hours, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);
	ndb = p->f[PF_DB_INSTANCES];
	snprintf(name, sizeof name, "history database: %g x %s x 730 h at %s/h", ndb, in->type,
		 money_format_json(rate, a));
	if (mulprice(ndb * hours, rate, 1, &cost) != 0 ||
	    add_line(q, "database", name, ndb * hours, ndb * hours, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);

	hist = vprofile_quantity(p, VU_HISTORY_GB) * s->replication;
	snprintf(name, sizeof name, "message history on block storage (x%g copies), GB-month",
		 s->replication);
	if (mulprice(hist, inf->block_gb_month, 1, &cost) != 0 ||
	    add_line(q, "storage", name, hist, hist, cost, err))
		return ic_errorf(err, "%s: amount too large", q->id);
	media = vprofile_quantity(p, VU_MEDIA_GB);
	if (media > 0) {
		if (mulprice(media, inf->object_gb_month, 1, &cost) != 0 ||
		    add_line(q, "media_storage", "media on object storage, GB-month", media, media,
			     cost, err))
			return ic_errorf(err, "%s: amount too large", q->id);
	}
	egress = vprofile_quantity(p, VU_EGRESS_GB);
	if (GIVEN(p, PF_EGRESS_PRICE)) {
		if (field_price(p, PF_EGRESS_PRICE, &rate) != 0)
			return ic_errorf(err, "%s: egress_price_per_gb: out of range", q->id);
		snprintf(name, sizeof name, "internet egress at %s/GB (%s), GB",
			 money_format_json(rate, a), p->egress_origin[0] ? "the bill's average" : "profile");
		if (add_field_line(q, p, "egress", name, egress, PF_EGRESS_PRICE, 1, err))
			return -1;
	} else {
		cost = vtiers_graduated(inf->egress, inf->negress, egress, 1);
		if (add_line(q, "egress", "internet egress (catalog's graduated tiers), GB", egress,
			     egress, cost, err))
			return -1;
	}
	avg_conns = p->f[PF_CONNECTION_MINUTES] / V_MINUTES_PER_MONTH;
	new_per_s = p->f[PF_DAU] * p->f[PF_SESSIONS_PER_DAU] / 86400.0;
	gb_per_h = (egress + p->f[PF_MESSAGES] * p->f[PF_MESSAGE_BYTES] / 1e9) / hours;
	nlcu = avg_conns / inf->lcu_conns;
	if (new_per_s / inf->lcu_new_per_s > nlcu)
		nlcu = new_per_s / inf->lcu_new_per_s;
	if (gb_per_h / inf->lcu_gb_per_h > nlcu)
		nlcu = gb_per_h / inf->lcu_gb_per_h;
	snprintf(name, sizeof name, "load balancer: 730 h x (%s + %.3f LCU x %s)",
		 money_format_json(inf->lb_hourly, a), nlcu, money_format_json(inf->lcu_hourly, b));
	{
		int64_t lb, lcu;
		if (mulprice(hours, inf->lb_hourly, 1, &lb) != 0 ||
		    mulprice(hours * nlcu, inf->lcu_hourly, 1, &lcu) != 0 ||
		    add_line(q, "load_balancer", name, hours, hours, lb + lcu, err))
			return ic_errorf(err, "%s: amount too large", q->id);
	}
	snprintf(name, sizeof name, "monitoring: %d chat + %g database servers, per host-month",
		 n, ndb);
	if (add_field_line(q, p, "monitoring", name, n + ndb, PF_MONITORING_HOST, 1, err))
		return -1;
	logs = p->f[PF_MESSAGES] * p->f[PF_LOG_BYTES] / 1e9;
	snprintf(name, sizeof name, "logging: %g bytes per message ingested, GB", p->f[PF_LOG_BYTES]);
	if (add_field_line(q, p, "logging", name, logs, PF_LOG_PRICE, 1, err))
		return -1;
	pushes = vprofile_quantity(p, VU_DELIVERIES) * p->f[PF_PUSH_SHARE];
	if (p->f[PF_PUSH_PRICE] > 0)
		snprintf(name, sizeof name, "push notifications through a relay (%g of deliveries)",
			 p->f[PF_PUSH_SHARE]);
	else
		snprintf(name, sizeof name, "push notifications via APNs/FCM, no charge (%g of deliveries)",
			 p->f[PF_PUSH_SHARE]);
	if (add_field_line(q, p, "push", name, pushes, PF_PUSH_PRICE, 1e6, err))
		return -1;
	snprintf(name, sizeof name, "engineering staff: FTE x loaded monthly cost%s",
		 GIVEN(p, PF_STAFF_FTE) && GIVEN(p, PF_STAFF_COST) ? "" : " (ASSUMPTION: confirm)");
	if (add_field_line(q, p, "staff", name, p->f[PF_STAFF_FTE], PF_STAFF_COST, 1, err))
		return -1;
	quote_compare(q, p);
	return 0;
}

/* Every option in catalog order: hosted plans, then per self-hosted option
 * on demand and with the best commitment.  *n gets the count. */
/*
 * A region the profile names must be one the catalog self-hosts in: an
 * unknown one (a typo, "mars-1") would otherwise be priced at another
 * region's rates without a word.  Returns 0, or -1 with err listing the
 * catalog's regions.
 */
static int
region_check(const struct vcatalog *c, const struct vprofile *p, struct ic_error *err)
{
	char known[512] = "", q[IC_QUOTE_SIZE];
	size_t n = 0;

	if (!p->region_given || c->nself == 0)
		return 0;
	for (int i = 0; i < c->nself; i++)
		if (strcmp(c->self[i].region, p->region) == 0)
			return 0;
	for (int i = 0; i < c->nself; i++) {
		int seen = 0;

		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(c->self[j].region, c->self[i].region) == 0;
		if (!seen && n < sizeof known)
			n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "",
					      c->self[i].region);
	}
	return ic_errorf(err, "the profile's region '%s' is not one the vendor catalog self-hosts in"
			 " (known: %s); name one of those, or add the region's instances and"
			 " infrastructure with --catalog", ic_quote(p->region, strlen(p->region), 64, q),
			 known);
}

static int
quote_collect(const struct vcatalog *c, const struct vprofile *p, struct vquote **out, int *n,
	      struct ic_error *err)
{
	int cap = c->nopt + 2 * c->nself, k = 0;
	struct vquote *q = calloc((size_t)(cap ? cap : 1), sizeof *q);

	if (q == NULL)
		return ic_errorf(err, "out of memory");
	if (region_check(c, p, err) != 0) {
		free(q);
		return -1;
	}
	for (int i = 0; i < c->nopt; i++)
		if (voption_price(&c->opt[i], p, &q[k++], err) != 0)
			goto fail;
	for (int i = 0; i < c->nself; i++) {
		const struct vselfhost *s = &c->self[i];
		const struct vinstance *in = vcatalog_instance(c, s->provider, s->region, s->type);
		int best = in ? vselfhost_best_commit(in) : -1;

		if (vselfhost_price(c, s, p, -1, &q[k++], err) != 0)
			goto fail;
		if (best >= 0 && vselfhost_price(c, s, p, best, &q[k++], err) != 0)
			goto fail;
	}
	*out = q;
	*n = k;
	return 0;
fail:
	free(q);
	return -1;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct vquote *x = a, *y = b;
	int gx = !x->eligible ? 2 : x->comparable ? 0 : 1;
	int gy = !y->eligible ? 2 : y->comparable ? 0 : 1;

	if (gx != gy)
		return gx - gy;
	if (gx == 0 && x->total_cmp != y->total_cmp)
		return x->total_cmp < y->total_cmp ? -1 : 1;
	if (gx == 1) {
		int c = strcmp(x->currency, y->currency);
		if (c)
			return c;
		if (x->total != y->total)
			return x->total < y->total ? -1 : 1;
	}
	return strcmp(x->id, y->id);
}

int
vendors_quote_all(const struct vcatalog *c, const struct vprofile *p, struct vquote **out,
		  int *n, struct ic_error *err)
{
	if (quote_collect(c, p, out, n, err) != 0)
		return -1;
	qsort(*out, (size_t)*n, sizeof **out, rank_cmp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* sweeps                                                             */

/* Price everything at field = x; costs[] (nopt) in profile currency or -1;
 * returns the cheapest index, -1 if none, or -2 on error. */
static int
sweep_eval(const struct vcatalog *c, const struct vprofile *base, int field, double x,
	   int nopt, int64_t *costs, struct ic_error *err)
{
	struct vprofile p = *base;
	struct vquote *q;
	int n, best = -1;

	vprofile_set(&p, field, x);
	if (quote_collect(c, &p, &q, &n, err) != 0)
		return -2;
	for (int i = 0; i < nopt && i < n; i++) {
		costs[i] = q[i].eligible && q[i].comparable ? q[i].total_cmp : -1;
		if (costs[i] >= 0 && (best < 0 || costs[i] < costs[best]))
			best = i;
	}
	free(q);
	return best;
}

void
vsweep_free(struct vsweep *s)
{
	free(s->x);
	free(s->ids);
	free(s->vendor);
	free(s->cost);
	free(s->cheapest);
	free(s->cross);
	memset(s, 0, sizeof *s);
}

static int
add_cross(struct vsweep *s, double at, int from, int to, const int64_t *cfrom_costs,
	  const int64_t *cto_costs, struct ic_error *err)
{
	struct vcrossover *nc = realloc(s->cross, (size_t)(s->ncross + 1) * sizeof *nc);

	if (nc == NULL)
		return ic_errorf(err, "out of memory");
	s->cross = nc;
	nc[s->ncross].at = at;
	nc[s->ncross].from = from;
	nc[s->ncross].to = to;
	nc[s->ncross].from_cost = from >= 0 ? cfrom_costs[from] : -1;
	nc[s->ncross].to_cost = to >= 0 ? cto_costs[to] : -1;
	s->ncross++;
	return 0;
}

int
vendors_sweep(const struct vcatalog *c, const struct vprofile *p, int field, double from,
	      double to, int npoints, struct vsweep *s, struct ic_error *err)
{
	struct vquote *q;
	int n, integral;
	int64_t *tmp = NULL, *tmp2 = NULL;

	memset(s, 0, sizeof *s);
	if (field < 0 || field >= PF_COUNT)
		return ic_errorf(err, "unknown profile field");
	if (npoints < 2 || npoints > 10000 || !(to > from) || from < 0)
		return ic_errorf(err, "a sweep needs FROM < TO, FROM >= 0 and 2..10000 points");
	integral = fields[field].integral;
	if (field == PF_MAU && from < 1)
		from = 1;
	if (quote_collect(c, p, &q, &n, err) != 0)
		return -1;
	s->field = field;
	s->npoints = npoints;
	s->nopt = n;
	s->x = calloc((size_t)npoints, sizeof *s->x);
	s->ids = calloc((size_t)(n ? n : 1), sizeof *s->ids);
	s->vendor = calloc((size_t)(n ? n : 1), sizeof *s->vendor);
	s->cost = calloc((size_t)npoints * (size_t)(n ? n : 1), sizeof *s->cost);
	s->cheapest = calloc((size_t)npoints, sizeof *s->cheapest);
	tmp = calloc((size_t)(n ? n : 1), sizeof *tmp);
	tmp2 = calloc((size_t)(n ? n : 1), sizeof *tmp2);
	if (!s->x || !s->ids || !s->vendor || !s->cost || !s->cheapest || !tmp || !tmp2) {
		free(q);
		goto oom;
	}
	for (int i = 0; i < n; i++) {
		snprintf(s->ids[i], sizeof s->ids[i], "%s", q[i].id);
		snprintf(s->vendor[i], sizeof s->vendor[i], "%s", q[i].vendor);
	}
	free(q);
	for (int k = 0; k < npoints; k++) {
		double x = from + (to - from) * k / (npoints - 1);
		if (integral)
			x = round(x);
		s->x[k] = x;
		s->cheapest[k] = sweep_eval(c, p, field, x, n, s->cost + (size_t)k * (size_t)n, err);
		if (s->cheapest[k] == -2)
			goto fail;
	}
	for (int k = 0; k + 1 < npoints; k++) {
		double lo = s->x[k], hi_end = s->x[k + 1];
		int clo = s->cheapest[k], cend = s->cheapest[k + 1];
		double res = integral ? 1 : (to - from) * 1e-6;

		while (clo != cend) {
			double hi = hi_end;
			int chi = cend;
			while (hi - lo > res) {
				double mid = integral ? floor(lo + (hi - lo) / 2) : lo + (hi - lo) / 2;
				int cm;
				if (mid <= lo || mid >= hi)
					break;
				cm = sweep_eval(c, p, field, mid, n, tmp, err);
				if (cm == -2)
					goto fail;
				if (cm == clo)
					lo = mid;
				else {
					hi = mid;
					chi = cm;
				}
			}
			/* costs at hi for the record */
			if (sweep_eval(c, p, field, hi, n, tmp2, err) == -2)
				goto fail;
			if (add_cross(s, hi, clo, chi, tmp2, tmp2, err) != 0)
				goto fail;
			lo = hi;
			clo = chi;
		}
	}
	free(tmp);
	free(tmp2);
	return 0;
oom:
	ic_errorf(err, "out of memory");
fail:
	free(tmp);
	free(tmp2);
	vsweep_free(s);
	return -1;
}
