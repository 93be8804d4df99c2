/*
 * price-aws-names.c - AWS Price List names: Location names to region
 * codes, the platform name imcost gives an offer's operating system,
 * pre-installed software, license and tenancy (or a usage type and
 * operation code), and LeaseContractLength / PurchaseOption to term and
 * payment (prices.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "importers/price-aws.h"
#include "importers/prices.h"

/* ---- names ---- */

static const struct { const char *loc, *code; } aws_locations[] = {
	{ "US East (N. Virginia)", "us-east-1" }, { "US East (Ohio)", "us-east-2" },
	{ "US West (N. California)", "us-west-1" }, { "US West (Oregon)", "us-west-2" },
	{ "Africa (Cape Town)", "af-south-1" }, { "Asia Pacific (Hong Kong)", "ap-east-1" },
	{ "Asia Pacific (Taipei)", "ap-east-2" },
	{ "Asia Pacific (Hyderabad)", "ap-south-2" }, { "Asia Pacific (Jakarta)", "ap-southeast-3" },
	{ "Asia Pacific (Malaysia)", "ap-southeast-5" }, { "Asia Pacific (Melbourne)", "ap-southeast-4" },
	{ "Asia Pacific (Mumbai)", "ap-south-1" }, { "Asia Pacific (Osaka)", "ap-northeast-3" },
	{ "Asia Pacific (Seoul)", "ap-northeast-2" }, { "Asia Pacific (Singapore)", "ap-southeast-1" },
	{ "Asia Pacific (Sydney)", "ap-southeast-2" }, { "Asia Pacific (Thailand)", "ap-southeast-7" },
	{ "Asia Pacific (New Zealand)", "ap-southeast-6" },
	{ "Asia Pacific (Tokyo)", "ap-northeast-1" }, { "Canada (Central)", "ca-central-1" },
	{ "Canada West (Calgary)", "ca-west-1" }, { "EU (Frankfurt)", "eu-central-1" },
	{ "EU (Zurich)", "eu-central-2" }, { "EU (Ireland)", "eu-west-1" },
	{ "EU (London)", "eu-west-2" }, { "EU (Paris)", "eu-west-3" },
	{ "EU (Milan)", "eu-south-1" }, { "EU (Spain)", "eu-south-2" },
	{ "EU (Stockholm)", "eu-north-1" }, { "Europe (Frankfurt)", "eu-central-1" },
	{ "Europe (Ireland)", "eu-west-1" }, { "Europe (London)", "eu-west-2" },
	{ "Europe (Paris)", "eu-west-3" }, { "Europe (Stockholm)", "eu-north-1" },
	{ "Israel (Tel Aviv)", "il-central-1" }, { "Mexico (Central)", "mx-central-1" },
	{ "Middle East (Bahrain)", "me-south-1" }, { "Middle East (UAE)", "me-central-1" },
	{ "South America (Sao Paulo)", "sa-east-1" },
	{ "AWS GovCloud (US-East)", "us-gov-east-1" }, { "AWS GovCloud (US-West)", "us-gov-west-1" },
	{ "AWS GovCloud (US)", "us-gov-west-1" },
};

const char *
aws_location_region(const char *location)
{
	if (location == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof aws_locations / sizeof aws_locations[0]; i++)
		if (strcasecmp(location, aws_locations[i].loc) == 0)
			return aws_locations[i].code;
	return NULL;
}

static const char *
os_name(const char *os)
{
	if (os == NULL || *os == '\0' || ieq(os, "NA"))
		return "Linux";
	if (ieq(os, "Red Hat Enterprise Linux with HA"))
		return "RHEL with HA";
	if (ieq(os, "Red Hat Enterprise Linux"))
		return "RHEL";
	return os;
}

char *
aws_platform(const char *os, const char *presw, const char *license, const char *tenancy,
	     char *buf, size_t n)
{
	size_t l;

	snprintf(buf, n, "%s", os_name(os));
	l = strlen(buf);
	if (presw && *presw && !ieq(presw, "NA")) {
		const char *sql = presw;
		if (iprefix(sql, "SQL "))
			sql += 4;
		snprintf(buf + l, n - l, " with SQL %s", sql);
		l = strlen(buf);
	}
	if (license && ieq(license, "Bring your own license")) {
		snprintf(buf + l, n - l, " BYOL");
		l = strlen(buf);
	}
	if (tenancy && *tenancy && !ieq(tenancy, "Shared") &&
	    !ieq(tenancy, "NA"))
		snprintf(buf + l, n - l, " (%s)", tenancy);
	return ic_trim_cut(buf);	/* a long name cut by snprintf: at a character */
}

/* operation code -> (os, pre-installed software, license); AWS's
 * "Instance platform" table of usage operations */
static const struct { const char *code, *os, *sw, *lic; } aws_ops[] = {
	{ "", "Linux", NULL, NULL },
	{ "0002", "Windows", NULL, NULL },
	{ "0800", "Windows", NULL, "Bring your own license" },
	{ "0010", "RHEL", NULL, NULL },
	{ "1010", "RHEL with HA", NULL, NULL },
	{ "000g", "SUSE", NULL, NULL },
	{ "0g00", "Ubuntu Pro", NULL, NULL },
	{ "0202", "Windows", "SQL Web", NULL },
	{ "0006", "Windows", "SQL Std", NULL },
	{ "0102", "Windows", "SQL Ent", NULL },
	{ "0200", "Linux", "SQL Web", NULL },
	{ "0004", "Linux", "SQL Std", NULL },
	{ "0100", "Linux", "SQL Ent", NULL },
	{ "0210", "RHEL", "SQL Web", NULL },
	{ "0014", "RHEL", "SQL Std", NULL },
	{ "0110", "RHEL", "SQL Ent", NULL },
	{ "1014", "RHEL with HA", "SQL Std", NULL },
	{ "1110", "RHEL with HA", "SQL Ent", NULL },
};

char *
aws_platform_op(const char *usage_type, const char *op, char *buf, size_t n)
{
	const char *code = "", *tenancy = "Shared", *u = usage_type ? usage_type : "";
	const char *colon = strchr(u, ':');
	size_t ul = colon ? (size_t)(colon - u) : strlen(u);

	/* the part before ':' ends in BoxUsage, DedicatedUsage, ...
	 * (HostBoxUsage: an instance on a dedicated host, priced per host) */
	if (ul >= 12 && strncmp((colon ? colon : u + ul) - 12, "HostBoxUsage", 12) == 0)
		return NULL;
	if (ul >= 8 && strncmp(colon ? colon - 8 : u + ul - 8, "BoxUsage", 8) == 0)
		tenancy = "Shared";
	else if (ul >= 14 && strncmp((colon ? colon : u + ul) - 14, "DedicatedUsage", 14) == 0)
		tenancy = "Dedicated";
	else
		return NULL;
	if (op == NULL || strncmp(op, "RunInstances", 12) != 0)
		return NULL;
	if (op[12] == ':')
		code = op + 13;
	else if (op[12] != '\0')
		return NULL;
	for (size_t i = 0; i < sizeof aws_ops / sizeof aws_ops[0]; i++)
		if (strcmp(code, aws_ops[i].code) == 0)
			return aws_platform(aws_ops[i].os, aws_ops[i].sw, aws_ops[i].lic, tenancy, buf, n);
	snprintf(buf, n, "RunInstances:%s%s", code, strcmp(tenancy, "Shared") ? " (Dedicated)" : "");
	return ic_trim_cut(buf);
}

const char *
aws_term(const char *lease, const char *unit)
{
	int years;

	if (lease == NULL)
		return NULL;
	while (*lease == ' ')
		lease++;
	if (lease[0] < '1' || lease[0] > '9')
		return NULL;
	years = lease[0] - '0';
	if (lease[1] != '\0' && !ieq(lease + 1, "yr") && !ieq(lease + 1, " year") &&
	    !ieq(lease + 1, " years") && !ieq(lease + 1, "y"))
		return NULL;
	if (lease[1] == '\0' && unit && *unit && !iprefix(unit, "year"))
		return NULL;
	return years == 1 ? "1y" : years == 3 ? "3y" : NULL;
}

const char *
aws_payment(const char *p)
{
	if (p == NULL)
		return NULL;
	if (ieq(p, "No Upfront"))
		return "no_upfront";
	if (ieq(p, "Partial Upfront"))
		return "partial_upfront";
	if (ieq(p, "All Upfront"))
		return "all_upfront";
	return NULL;
}

