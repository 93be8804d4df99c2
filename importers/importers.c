/*
 * importers.c - the table of input formats, and detection.
 *
 * Adding a format: write importers/NAME.c defining `const struct importer
 * importer_NAME`, and add it below.  Detection asks every importer to score
 * the header and takes the highest score.
 */
#include <string.h>

#include "importers/importer.h"

extern const struct importer importer_aws_cur;
extern const struct importer importer_focus;
extern const struct importer importer_usage_csv;
extern const struct importer importer_azure;
extern const struct importer importer_gcp;
extern const struct importer importer_alibaba;
extern const struct importer importer_tencent;
extern const struct importer importer_tencent_api;
extern const struct importer importer_cloudwatch;
extern const struct importer importer_prometheus;
extern const struct importer importer_aws_prices_csv;
extern const struct importer importer_aws_prices_json;
extern const struct importer importer_azure_prices;
extern const struct importer importer_gcp_prices;
extern const struct importer importer_generic_prices;
extern const struct importer importer_azure_monitor;
extern const struct importer importer_gcp_monitoring;
extern const struct importer importer_gcp_legacy;
extern const struct importer importer_oci;

const struct importer *const importers[] = {
	&importer_aws_cur,
	&importer_focus,
	&importer_usage_csv,
	&importer_azure,
	&importer_gcp,
	&importer_alibaba,
	&importer_tencent,
	&importer_tencent_api,
	&importer_cloudwatch,
	&importer_prometheus,
	&importer_aws_prices_csv,
	&importer_aws_prices_json,
	&importer_azure_prices,
	&importer_gcp_prices,
	&importer_generic_prices,
	&importer_azure_monitor,
	&importer_gcp_monitoring,
	&importer_gcp_legacy,
	&importer_oci,
	NULL
};

const struct importer *
importer_find(const char *name)
{
	for (int i = 0; importers[i]; i++)
		if (strcmp(importers[i]->name, name) == 0)
			return importers[i];
	return NULL;
}

const struct importer *
importer_detect(const struct header *h)
{
	const struct importer *best = NULL;
	int best_score = 0;

	for (int i = 0; importers[i]; i++) {
		int score = importers[i]->detect ? importers[i]->detect(h) : 0;
		if (score > best_score) {
			best = importers[i];
			best_score = score;
		}
	}
	return best;
}

const struct importer *
importer_detect_json(const struct cJSON *v)
{
	const struct importer *best = NULL;
	int best_score = 0;

	for (int i = 0; importers[i]; i++) {
		int score = importers[i]->detect_json ? importers[i]->detect_json(v) : 0;
		if (score > best_score) {
			best = importers[i];
			best_score = score;
		}
	}
	return best;
}
