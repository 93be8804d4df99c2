/*
 * manifest.h - AWS CUR manifests (NAME-Manifest.json): the list of part
 * files that make up one report version (one assembly).
 *
 * `imcost import reports/2026-10/NAME-Manifest.json` imports the parts it
 * lists as one batch labelled with the assemblyId.  Parts are looked for
 * beside the manifest (by base name), then at the key's path relative to
 * the manifest's folder.
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
