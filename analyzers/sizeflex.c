/*
 * sizeflex.c - the normalization factors of AWS instance sizes (see
 * sizeflex.h).  Source: AWS EC2 User Guide, "How Reserved Instances are
 * applied" / instance size flexibility, normalization factor table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/catalog.h"
#include "analyzers/sizeflex.h"

double
sizeflex_factor(const char *itype)
{
	static const struct { const char *size; double f; } fixed[] = {
		{ "nano", 0.25 }, { "micro", 0.5 }, { "small", 1 }, { "medium", 2 },
		{ "large", 4 }, { "xlarge", 8 },
	};
	const char *dot = itype ? strchr(itype, '.') : NULL, *size;
	char *end;
	long n;

	if (dot == NULL || dot == itype)
		return 0;
	size = dot + 1;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(size, fixed[i].size) == 0)
			return fixed[i].f;
	/* Nxlarge */
	if (size[0] < '1' || size[0] > '9')
		return 0;
	n = strtol(size, &end, 10);
	if (strcmp(end, "xlarge") != 0 || n < 2 || n > 1000)
		return 0;
	return 8.0 * (double)n;
}

double
sizeflex_factor_in(const struct sizeflex_table *t, const char *itype)
{
	double f = sizeflex_factor(itype);

	for (int i = 0; f <= 0 && t && itype && i < t->n; i++)
		if (strcmp(t->type[i], itype) == 0)
			f = t->f[i];
	return f;
}

void
sizeflex_table_free(struct sizeflex_table *t)
{
	for (int i = 0; t && i < t->n; i++)
		free(t->type[i]);
	if (t) {
		free(t->type);
		free(t->f);
		memset(t, 0, sizeof *t);
	}
}

int
sizeflex_applies(const char *provider, const char *platform, const char *itype, char *fam,
		 size_t n)
{
	return sizeflex_applies_in(NULL, provider, platform, itype, fam, n);
}

int
sizeflex_applies_in(const struct sizeflex_table *t, const char *provider, const char *platform,
		    const char *itype, char *fam, size_t n)
{
	char p[64], f[64];
	size_t len;

	if (provider == NULL || itype == NULL || sizeflex_factor_in(t, itype) <= 0)
		return 0;
	if (strcmp(catalog_fold_provider(provider, p, sizeof p), "aws") != 0)
		return 0;
	if (strcmp(catalog_fold_platform(platform, f, sizeof f), "linux") != 0)
		return 0;
	len = strcspn(itype, ".");
	if (len + 1 > n)
		return 0;
	memcpy(fam, itype, len);
	fam[len] = '\0';
	return 1;
}
