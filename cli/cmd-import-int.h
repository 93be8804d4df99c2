/*
 * cmd-import-int.h - private to cmd-import.c and cmd-import-walk.c: the
 * list of files an import reads.
 */
#ifndef IMCOST_CMD_IMPORT_INT_H
#define IMCOST_CMD_IMPORT_INT_H

#include "cli/cli.h"

/* A growable list of owned strings. */
struct strlist {
	char **v;
	int n, cap;
};

/* Free the strings and the list, and empty it. */
void sl_free(struct strlist *l);

/*
 * Replace every folder among args by the files imcost knows in it, the
 * manifests first; warns once about what is left out.  Returns 0 with the
 * new list (owned: sl_free) in *out, or -1 with cli->err set.
 */
int expand_dirs(struct cli *cli, char **args, int nargs, struct strlist *out);

/* Replace CUR manifests in args by the parts they list.  Returns the new
 * list of *nout strings (each and the list owned: caller frees them with
 * free()) and in *label the first manifest's assemblyId (owned, or NULL),
 * or NULL with cli->err set. */
char **expand_manifests(struct cli *cli, char **args, int nargs, int *nout, char **label);

#endif
