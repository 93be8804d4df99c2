/*
 * sizeflex.h - AWS instance size flexibility: regional Linux/UNIX
 * reservations with shared tenancy apply across the sizes of a family in
 * normalized units (analyzers/commitments.c sizes purchases with them).
 */
#ifndef IMCOST_SIZEFLEX_H
#define IMCOST_SIZEFLEX_H

#include <stddef.h>

/*
 * The normalization factor of an instance size, AWS's fixed table (the
 * lineItem/NormalizationFactor of the CUR for these sizes): nano 0.25,
 * micro 0.5, small 1, medium 2, large 4, xlarge 8, Nxlarge 8N.  0 when the
 * type has no such size ("m5.metal", whose factor depends on the family,
 * or an Azure / GCP name).
 */
double sizeflex_factor(const char *itype);

/*
 * Whether usage of this provider, platform and type counts in normalized
 * units across its family: AWS, Linux/UNIX (platform NULL counts as
 * Linux, as the catalog does), and a size with a factor.  Tenancy is in
 * the platform: the CUR's product/tenancy Dedicated or Host makes it
 * "Linux (Dedicated)" / "Linux (Host)" (aws-cur.c, as the price lists
 * name it), which is not size flexible.  The family ("m5") is written to
 * fam (n bytes).  Returns 1 or 0.
 */
int sizeflex_applies(const char *provider, const char *platform, const char *itype, char *fam,
		     size_t n);

/*
 * Factors for the sizes the fixed table lacks ("m5.metal"): the CUR's
 * lineItem/NormalizationFactor and the price lists' normalizationSizeFactor,
 * as kept in instance_types.  The _in functions look there when the fixed
 * table has no factor (t may be NULL: the fixed table only).
 */
struct sizeflex_table {
	char **type;
	double *f;
	int n;
};
double sizeflex_factor_in(const struct sizeflex_table *t, const char *itype);
int sizeflex_applies_in(const struct sizeflex_table *t, const char *provider,
			const char *platform, const char *itype, char *fam, size_t n);
void sizeflex_table_free(struct sizeflex_table *t);

#endif
