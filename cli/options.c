/*
 * options.c - parsing a command's argv against its option table (see
 * options.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

const struct cmd_option *
cmd_option_find(const struct cmd_option *table, const char *name, size_t len)
{
	for (int i = 0; table && table[i].name; i++)
		if (strlen(table[i].name) == len && strncmp(table[i].name, name, len) == 0)
			return &table[i];
	return NULL;
}

static const struct cmd_option *
short_find(const struct cmd_option *table, char c)
{
	for (int i = 0; table && table[i].name; i++)
		if (table[i].short_name == c)
			return &table[i];
	return NULL;
}

/* -LETTER or --LETTER...: an option rather than an argument */
static int
is_option(const char *w)
{
	if (w[0] != '-')
		return 0;
	if (w[1] == '-')
		return isalpha((unsigned char)w[2]);
	return isalpha((unsigned char)w[1]);
}

static void
add(struct cmd_args *out, const struct cmd_option *table, const struct cmd_option *o,
    const char *value, const char *given)
{
	struct cmd_arg *a = &out->v[out->n++];

	a->opt = o;
	a->index = (int)(o - table);
	a->value = value;
	a->given = given;
}

/* -xyz at argv[*i]: flags, and at most one option with a value, last */
static enum opt_status
shorts(const struct cmd_option *table, int argc, char **argv, int *i, struct cmd_args *out,
       const char **bad)
{
	const char *w = argv[*i];

	for (const char *p = w + 1; *p; p++) {
		const struct cmd_option *o = short_find(table, *p);

		if (o == NULL) {
			*bad = w;
			return OPT_UNKNOWN;
		}
		if (o->arg == NULL) {
			add(out, table, o, NULL, w);
			continue;
		}
		if (p[1] != '\0') {
			add(out, table, o, p + 1, w);
		} else if (*i + 1 < argc) {
			add(out, table, o, argv[++*i], w);
		} else {
			*bad = w;
			return OPT_MISSING;
		}
		break;
	}
	return OPT_OK;
}

enum opt_status
cmd_args_parse(const struct cmd_option *table, int argc, char **argv, struct cmd_args *out,
	       const char **bad)
{
	size_t cap = argc > 0 ? (size_t)argc : 1;

	memset(out, 0, sizeof *out);
	*bad = NULL;
	out->v = calloc(cap, sizeof *out->v);
	out->pos = calloc(cap + 1, sizeof *out->pos);
	if (out->v == NULL || out->pos == NULL)
		return OPT_NOMEM;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		const struct cmd_option *o;
		const char *eq;
		enum opt_status st;

		if (strcmp(w, "--") == 0) {
			while (++i < argc)
				out->pos[out->npos++] = argv[i];
			break;
		}
		if (!is_option(w)) {
			out->pos[out->npos++] = argv[i];
			continue;
		}
		if (w[1] != '-') {
			if ((st = shorts(table, argc, argv, &i, out, bad)) != OPT_OK)
				return st;
			continue;
		}
		eq = strchr(w, '=');
		o = cmd_option_find(table, w, eq ? (size_t)(eq - w) : strlen(w));
		if (o == NULL) {
			*bad = w;
			return OPT_UNKNOWN;
		}
		if (o->arg == NULL && eq) {
			*bad = w;
			return OPT_UNWANTED;
		}
		if (o->arg == NULL) {
			add(out, table, o, NULL, w);
		} else if (eq) {
			add(out, table, o, eq + 1, w);
		} else if (i + 1 < argc) {
			add(out, table, o, argv[++i], w);
		} else {
			*bad = w;
			return OPT_MISSING;
		}
	}
	return OPT_OK;
}

void
cmd_args_free(struct cmd_args *a)
{
	free(a->v);
	free(a->pos);
	memset(a, 0, sizeof *a);
}

const char *
cmd_args_last(const struct cmd_args *a, int index)
{
	const char *v = NULL;

	for (int i = 0; i < a->n; i++)
		if (a->v[i].index == index)
			v = a->v[i].value ? a->v[i].value : "";
	return v;
}

int
cmd_args_count(const struct cmd_args *a, int index)
{
	int n = 0;

	for (int i = 0; i < a->n; i++)
		n += a->v[i].index == index;
	return n;
}
