/*
 * options.h - the option grammar of every command, in one place.
 *
 * Like tmux's args_parse and git's parse_options: each command lists its
 * options in a table on its struct cmd_entry, and cmd_args_parse reads
 * argv against that table:
 *
 *   --name VALUE, --name=VALUE   an option with a value; the value is the
 *                                next word whatever it starts with
 *   --name                       a flag (--name=VALUE is an error)
 *   -x VALUE, -xVALUE, -xy       short options; flags may be grouped
 *   --                           every later word is an argument
 *   anything else                an argument, in order ("-", "-3" and a
 *                                "-- comment" SQL text are arguments: an
 *                                option starts with -LETTER or --LETTER)
 *
 * An option given twice keeps both values in order; the command decides
 * (repeatable ones use each, the others take the last, as git does).
 * The same table prints the options part of `imcost CMD --help`
 * (cmd_print_help) and the shell completions (cmd_options), so the three
 * cannot drift apart.  This file knows nothing of struct cli: the unit
 * tests link it alone.
 */
#ifndef IMCOST_CLI_OPTIONS_H
#define IMCOST_CLI_OPTIONS_H

#include <stddef.h>

struct cmd_option {
	const char *name;	/* "--month" */
	char short_name;	/* 'q' for -q, or 0 */
	const char *arg;	/* the value's name in usage ("YYYY-MM"); NULL: a flag */
	/* The option's lines in --help, verbatim ("  --month YYYY-MM   only ...\n"),
	 * starting with its name; NULL when another option's lines cover it
	 * (--since DAY, --until DAY) or the prose describes it. */
	const char *help;
	/* Text printed before help: a section heading or a paragraph; NULL for none. */
	const char *before;
	int repeat;		/* documented as repeatable (--pricing FILE ...) */
};

/* One option found on the command line. */
struct cmd_arg {
	const struct cmd_option *opt;	/* its table entry */
	int index;			/* opt - table: the command's enum */
	const char *value;		/* NULL for a flag; borrowed from argv */
	const char *given;		/* the word as typed ("--month=2026-10") */
};

struct cmd_args {
	struct cmd_arg *v;	/* the options in command-line order */
	int n;
	char **pos;		/* the other arguments in order, borrowed from argv */
	int npos;
};

enum opt_status {
	OPT_OK,
	OPT_UNKNOWN,		/* *bad: the word ("--mnth", "-z") */
	OPT_MISSING,		/* *bad: the option, last word, wants a value */
	OPT_UNWANTED,		/* *bad: "--flag=VALUE" for a flag */
	OPT_NOMEM
};

/*
 * Parse argv[1..argc) (argv[0] is the command's name) against table
 * (ending with a NULL name; NULL for a command without options) into out.
 * Returns OPT_OK, or the error with *bad the offending word (borrowed from
 * argv).  Whatever the result, free out with cmd_args_free.
 */
enum opt_status cmd_args_parse(const struct cmd_option *table, int argc, char **argv,
			       struct cmd_args *out, const char **bad);

void cmd_args_free(struct cmd_args *a);

/* The last value of option index in a (NULL when not given; "" is not
 * NULL), and how many times it was given. */
const char *cmd_args_last(const struct cmd_args *a, int index);
int cmd_args_count(const struct cmd_args *a, int index);

/* The table entry named name ("--month"), or NULL. */
const struct cmd_option *cmd_option_find(const struct cmd_option *table, const char *name,
					 size_t len);

#endif
