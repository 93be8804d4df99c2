/*
 * vendors-int.h - what the vendors*.c files share (not a public API:
 * everything else includes vendors.h).
 */
#ifndef IMCOST_VENDORS_INT_H
#define IMCOST_VENDORS_INT_H

#include <stddef.h>

#include "analyzers/vendors.h"
#include "common/error.h"

struct cJSON;

/* ---- vendors-profile.c ---- */

/* Was profile field i given in the file (not derived)? */
#define GIVEN(p, i) (((p)->given >> (i)) & 1u)


/* Is k a key any object of a profile or catalog may carry and that is
 * ignored ("_..." , "about", "notes", "comment")? */
int vendors_ignored_key(const char *k);
/* Does s hold a control character? */
int vendors_has_control(const char *s);
/* The whole file at path, at most max bytes, NUL-terminated; *len its
 * length.  Caller frees with free().  NULL with err set. */
char *vendors_read_file(const char *path, size_t max, size_t *len, struct ic_error *err);

/* ---- vendors-parse.c: one catalog entry ---- */

/* Where an entry is being parsed, for its messages. */
struct vparse {
	const char *name;	/* file name */
	char where[400];	/* "vendors[3] (id \"x\")" */
	struct ic_error *err;
};

/* Set x->err to "NAME: WHERE: key "KEY": WHAT" (key quoted); returns -1. */
int vparse_bad(struct vparse *x, const char *key, const char *what);
/* -1 (x->err set) when o has a key not in the NULL-terminated allowed
 * list (nor an ignored one). */
int vparse_check_keys(struct vparse *x, const struct cJSON *o, const char *const *allowed);

/* Each entry from its object: 0, or -1 with x->err set (what was
 * allocated is freed).  The entry owns its strings: free with the
 * matching *_free, which leaves the struct to the caller. */
int vparse_option(struct vparse *x, const struct cJSON *o, struct voption *v);
int vparse_server(struct vparse *x, const struct cJSON *o, struct vserver *s);
int vparse_instance(struct vparse *x, const struct cJSON *o, struct vinstance *in);
int vparse_infra(struct vparse *x, const struct cJSON *o, struct vinfra *f);
int vparse_self(struct vparse *x, const struct cJSON *o, struct vselfhost *s);
void voption_free(struct voption *o);
void vserver_free(struct vserver *s);
void vinstance_free(struct vinstance *in);
void vinfra_free(struct vinfra *f);
void vselfhost_free(struct vselfhost *s);

#endif
