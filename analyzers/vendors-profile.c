/*
 * vendors-profile.c - the workload profile of `imcost vendors`: its
 * fields and their documented defaults, the JSON profile reader with
 * FILE:LINE:COL errors, and the billing units a profile supplies
 * quantities for.  See vendors.h and README-vendors.md.
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
#include "analyzers/vendors-int.h"
#include "common/decimal.h"

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

int
vendors_ignored_key(const char *k)
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

int
vendors_has_control(const char *s)
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
			if (vendors_has_control(it->valuestring)) {
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
			if (r0 && vendors_has_control(r0->valuestring)) {
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
		if (vendors_ignored_key(k))
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

char *
vendors_read_file(const char *path, size_t max, size_t *len, struct ic_error *err)
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
	char *s = vendors_read_file(path, V_PROFILE_MAX, &len, err);
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

