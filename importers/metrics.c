/*
 * metrics.c - the metric vocabulary (see metrics.h); metrics-agg.c
 * aggregates the samples by the hour with it (metrics-int.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/metrics.h"
#include "importers/metrics-int.h"

const struct metric_canon metric_canons[] = {
	{ "cpu_utilization", "Percent", "mean", "idle (instances), rightsizing, commitments (idle instances left out)" },
	{ "memory_utilization", "Percent", "mean", "rightsizing" },
	{ "network_in_bytes", "Bytes", "total", "idle (instances)" },
	{ "network_out_bytes", "Bytes", "total", "idle (instances)" },
	{ "disk_read_ops", "Count", "total", "idle (volumes)" },
	{ "disk_write_ops", "Count", "total", "idle (volumes)" },
	{ "mau", "Count", "max", "unit_economics (resource_id service)" },
	{ "dau", "Count", "max", "unit_economics (resource_id service)" },
	{ "messages", "Count", "total", "unit_economics (resource_id service)" },
	{ "peak_connections", "Count", "max", "unit_economics (resource_id service)" },
	{ "network_packets_in", "Count", "total", "-" },
	{ "network_packets_out", "Count", "total", "-" },
	{ "volume_idle_seconds", "Seconds", "total", "-" },
	{ "memory_available_bytes", "Bytes", "mean", "-" },
	{ NULL, NULL, NULL, NULL },
};

#define BPS (1.0 / 8)		/* bits/s -> bytes/s */
#define MBPS (1e6 / 8)		/* megabits/s -> bytes/s */

const struct metric_alias metric_aliases[] = {
	/* imcost's own names */
	{ "imcost", "cpu_utilization", "Percent", "cpu_utilization", K_MEAN, 1 },
	{ "imcost", "memory_utilization", "Percent", "memory_utilization", K_MEAN, 1 },
	{ "imcost", "network_in_bytes", "Bytes", "network_in_bytes", K_TOTAL, 1 },
	{ "imcost", "network_out_bytes", "Bytes", "network_out_bytes", K_TOTAL, 1 },
	{ "imcost", "disk_read_ops", "Count", "disk_read_ops", K_TOTAL, 1 },
	{ "imcost", "disk_write_ops", "Count", "disk_write_ops", K_TOTAL, 1 },
	{ "imcost", "mau", "Count", "mau", K_MAX, 1 },
	{ "imcost", "dau", "Count", "dau", K_MAX, 1 },
	{ "imcost", "messages", "Count", "messages", K_TOTAL, 1 },
	{ "imcost", "peak_connections", "Count", "peak_connections", K_MAX, 1 },
	{ "imcost", "network_packets_in", "Count", "network_packets_in", K_TOTAL, 1 },
	{ "imcost", "network_packets_out", "Count", "network_packets_out", K_TOTAL, 1 },
	{ "imcost", "volume_idle_seconds", "Seconds", "volume_idle_seconds", K_TOTAL, 1 },
	{ "imcost", "memory_available_bytes", "Bytes", "memory_available_bytes", K_MEAN, 1 },
	/* AWS CloudWatch (AWS/EC2, AWS/EBS, CloudWatch agent) */
	{ "AWS CloudWatch", "CPUUtilization", "Percent (Average)", "cpu_utilization", K_MEAN, 1 },
	{ "AWS CloudWatch", "NetworkIn", "Bytes (Sum)", "network_in_bytes", K_TOTAL, 1 },
	{ "AWS CloudWatch", "NetworkOut", "Bytes (Sum)", "network_out_bytes", K_TOTAL, 1 },
	{ "AWS CloudWatch", "NetworkPacketsIn", "Count (Sum)", "network_packets_in", K_TOTAL, 1 },
	{ "AWS CloudWatch", "NetworkPacketsOut", "Count (Sum)", "network_packets_out", K_TOTAL, 1 },
	{ "AWS CloudWatch", "DiskReadOps", "Count (Sum)", "disk_read_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "DiskWriteOps", "Count (Sum)", "disk_write_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "EBSReadOps", "Count (Sum)", "disk_read_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "EBSWriteOps", "Count (Sum)", "disk_write_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "VolumeReadOps", "Count (Sum)", "disk_read_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "VolumeWriteOps", "Count (Sum)", "disk_write_ops", K_TOTAL, 1 },
	{ "AWS CloudWatch", "VolumeIdleTime", "Seconds (Sum)", "volume_idle_seconds", K_TOTAL, 1 },
	{ "AWS CloudWatch", "mem_used_percent", "Percent (Average)", "memory_utilization", K_MEAN, 1 },
	{ "AWS CloudWatch", "MemoryUtilization", "Percent (Average)", "memory_utilization", K_MEAN, 1 },
	/* Azure Monitor (Microsoft.Compute/virtualMachines) */
	{ "Azure Monitor", "Percentage CPU", "Percent (Average)", "cpu_utilization", K_MEAN, 1 },
	{ "Azure Monitor", "Network In Total", "Bytes (Total)", "network_in_bytes", K_TOTAL, 1 },
	{ "Azure Monitor", "Network Out Total", "Bytes (Total)", "network_out_bytes", K_TOTAL, 1 },
	{ "Azure Monitor", "Available Memory Bytes", "Bytes (Average)", "memory_available_bytes", K_MEAN, 1 },
	{ "Azure Monitor", "Disk Read Operations/Sec", "CountPerSecond (Average)", "disk_read_ops", K_RATE, 1 },
	{ "Azure Monitor", "Disk Write Operations/Sec", "CountPerSecond (Average)", "disk_write_ops", K_RATE, 1 },
	/* GCP Cloud Monitoring */
	{ "GCP Cloud Monitoring", "compute.googleapis.com/instance/cpu/utilization", "10^2.% (0-1 fraction)",
	  "cpu_utilization", K_MEAN, 100 },
	{ "GCP Cloud Monitoring", "compute.googleapis.com/instance/network/received_bytes_count", "By (delta)",
	  "network_in_bytes", K_TOTAL, 1 },
	{ "GCP Cloud Monitoring", "compute.googleapis.com/instance/network/sent_bytes_count", "By (delta)",
	  "network_out_bytes", K_TOTAL, 1 },
	{ "GCP Cloud Monitoring", "compute.googleapis.com/instance/disk/read_ops_count", "1 (delta)",
	  "disk_read_ops", K_TOTAL, 1 },
	{ "GCP Cloud Monitoring", "compute.googleapis.com/instance/disk/write_ops_count", "1 (delta)",
	  "disk_write_ops", K_TOTAL, 1 },
	{ "GCP Cloud Monitoring", "agent.googleapis.com/memory/percent_used", "% (state used)",
	  "memory_utilization", K_MEAN, 1 },
	/* Alibaba CloudMonitor (acs_ecs_dashboard) */
	{ "Alibaba CloudMonitor", "CPUUtilization", "%", "cpu_utilization", K_MEAN, 1 },
	{ "Alibaba CloudMonitor", "InternetOutRate", "bit/s", "network_out_bytes", K_RATE, BPS },
	{ "Alibaba CloudMonitor", "IntranetOutRate", "bit/s", "network_out_bytes", K_RATE, BPS },
	{ "Alibaba CloudMonitor", "InternetInRate", "bit/s", "network_in_bytes", K_RATE, BPS },
	{ "Alibaba CloudMonitor", "IntranetInRate", "bit/s", "network_in_bytes", K_RATE, BPS },
	{ "Alibaba CloudMonitor", "memory_usedutilization", "%", "memory_utilization", K_MEAN, 1 },
	/* Tencent Cloud Monitor (QCE/CVM) */
	{ "Tencent Cloud Monitor", "CpuUsage", "%", "cpu_utilization", K_MEAN, 1 },
	{ "Tencent Cloud Monitor", "MemUsage", "%", "memory_utilization", K_MEAN, 1 },
	{ "Tencent Cloud Monitor", "LanOuttraffic", "Mbps", "network_out_bytes", K_RATE, MBPS },
	{ "Tencent Cloud Monitor", "WanOuttraffic", "Mbps", "network_out_bytes", K_RATE, MBPS },
	{ "Tencent Cloud Monitor", "LanIntraffic", "Mbps", "network_in_bytes", K_RATE, MBPS },
	{ "Tencent Cloud Monitor", "WanIntraffic", "Mbps", "network_in_bytes", K_RATE, MBPS },
	/* Prometheus recording rules (node-mixin); raw node_exporter
	 * counters are turned into per-interval counts by prometheus.c */
	{ "Prometheus", "instance:node_cpu_utilisation:rate5m", "ratio 0-1", "cpu_utilization", K_MEAN, 100 },
	{ "Prometheus", "instance:node_cpu_utilization:ratio", "ratio 0-1", "cpu_utilization", K_MEAN, 100 },
	{ NULL, NULL, NULL, NULL, 0, 0 },
};

int
metrics_alias_find(const char *name, size_t len)
{
	for (int i = 0; metric_aliases[i].from; i++)
		if (strlen(metric_aliases[i].from) == len &&
		    strncasecmp(metric_aliases[i].from, name, len) == 0)
			return i;
	return -1;
}

int
metrics_canon_index(const char *name)
{
	for (int i = 0; metric_canons[i].name; i++)
		if (strcmp(metric_canons[i].name, name) == 0)
			return i;
	return -1;
}

const char *
metrics_canonical(const char *name, size_t len)
{
	int i = metrics_alias_find(name, len);
	return i < 0 ? NULL : metric_aliases[i].to;
}

const char *
metrics_statistic(const char *name, size_t len)
{
	int i = metrics_alias_find(name, len);

	if (i < 0)
		return NULL;
	switch (metric_aliases[i].kind) {
	case K_TOTAL:
		return "Total";
	case K_MAX:
		return "Maximum";
	default:
		return "Average";
	}
}

/* Is s[0..n) a statistic's name, and which: 0 mean, 1 total, 2 max, 3
 * another (minimum, sample count, percentiles), -1 none. */
int
metrics_stat_kind(const char *s, size_t n)
{
	static const struct { const char *w; int k; } w[] = {
		{ "average", 0 }, { "avg", 0 }, { "mean", 0 }, { "sum", 1 }, { "total", 1 },
		{ "maximum", 2 }, { "max", 2 }, { "minimum", 3 }, { "min", 3 },
		{ "samplecount", 3 }, { "count", 3 }, { NULL, 0 } };

	while (n && s[0] == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return -1;
	for (int i = 0; w[i].w; i++)
		if (strlen(w[i].w) == n && strncasecmp(w[i].w, s, n) == 0)
			return w[i].k;
	if ((s[0] == 'p' || s[0] == 'P') && n >= 2 && n <= 6 && s[1] >= '0' && s[1] <= '9')
		return 3;	/* p99, p95.5 */
	return -1;
}

/* Does a statistic of kind sk suit an alias of kind k? */
int
metrics_stat_fits(int k, int sk)
{
	switch (k) {
	case K_MEAN:
	case K_RATE:
		return sk == 0;
	case K_TOTAL:
		return sk == 1;
	default:
		return sk == 2;
	}
}

char *
metrics_resource_key(const char *id, size_t len, char *buf, size_t n)
{
	const char *s = id, *e = id + len, *p;
	size_t k = 0;

	if (n == 0)
		return buf;
	if (len > 4 && strncasecmp(s, "arn:", 4) == 0) {
		/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE */
		const char *r = s;
		for (int c = 0; c < 5 && r; c++) {
			r = memchr(r, ':', (size_t)(e - r));
			if (r)
				r++;
		}
		if (r) {
			if ((size_t)(e - r) > 9 && strncasecmp(r, "instance/", 9) == 0)
				s = r + 9;
			else if ((size_t)(e - r) > 7 && strncasecmp(r, "volume/", 7) == 0)
				s = r + 7;
			else if ((size_t)(e - r) > 3 && strncasecmp(r, "db:", 3) == 0)
				s = r + 3;
		}
	} else if ((len > 2 && s[0] == '/' && s[1] == '/') || (len > 9 && strncmp(s, "projects/", 9) == 0)) {
		/* a GCP resource: the name after /instances/ or /disks/ */
		for (p = e; p > s && p[-1] != '/'; p--)
			;
		if (p - s >= 11 && (strncmp(p - 11, "/instances/", 11) == 0 ||
				    (p - s >= 7 && strncmp(p - 7, "/disks/", 7) == 0)))
			s = p;
	}
	for (; s < e && k + 1 < n; s++)
		buf[k++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
	buf[k] = '\0';
	return buf;
}
