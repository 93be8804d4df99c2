/*
 * manifest.h - AWS CUR manifests (NAME-Manifest.json): the list of part
 * files that make up one report version (one assembly).
 *
 * `imcost import reports/2026-10/NAME-Manifest.json` imports the parts it
 * lists as one batch labelled with the assemblyId.  A part is the longest
 * tail of its S3 key that exists below the manifest's folder or up to
 * three folders up, so the layouts AWS writes all work: the legacy
 * month-level manifest (parts in yyyymmdd-yyyymmdd/<assemblyId>/), the
 * assembly manifest (parts beside it), and Data Exports (CUR 2.0, FOCUS:
 * executionId and dataFiles, metadata/BILLING_PERIOD=... beside
 * data/BILLING_PERIOD=...).  A folder holding one *Manifest.json is read
 * as that manifest.
 */
#ifndef IMCOST_MANIFEST_H
#define IMCOST_MANIFEST_H

#include "common/error.h"

struct manifest {
	char *assembly_id;	/* owned */
	char **files;		/* owned, nfiles paths */
	int nfiles;
};

/*
 * Is path a CUR manifest?  Returns 1 and fills *m (free with
 * manifest_free), 0 when it is not one (not JSON, or no assemblyId and
 * reportKeys), or -1 with err set (a manifest naming a missing part, or
 * unreadable).
 */
int manifest_read(const char *path, struct manifest *m, struct ic_error *err);
void manifest_free(struct manifest *m);

#endif
