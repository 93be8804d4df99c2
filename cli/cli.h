/*
 * cli.h - the command table and what every command gets.
 *
 * Like tmux's cmd-*.c: one file per command, each defining a
 * `const struct cmd_entry`, listed in main.c.  Only cli/ prints usage,
 * looks at the terminal and exits.
 */
#ifndef IMCOST_CLI_H
#define IMCOST_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "cli/options.h"
#include "common/error.h"
#include "output/table.h"

/* Exit statuses (docs/ARCHITECTURE.md "Errors and exit codes"). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_THRESHOLD = 3	/* analyze --fail-on: a threshold was reached */
};

struct cli {
	const char *db_path;	/* resolved --db / $IMCOST_DB / ./imcost.db */
	enum out_format fmt;
	int fmt_given;		/* --format was on the command line */
	int quiet;
	int wide;		/* --wide: tables are never cut to the terminal */
	int tty;		/* stderr is a terminal: progress bars allowed */
	int color;		/* tty, and NO_COLOR unset or empty (no-color.org) */
	struct ic_error err;
};

struct cmd_entry {
	const char *name;
	const char *usage;	/* "[--as FORMAT] FILE..." */
	const char *summary;	/* one line for imcost --help */
	const char *help;	/* `imcost CMD --help` before the options */
	/* The options (NULL-terminated; NULL: none), parsed by cli_parse,
	 * listed in --help after help (each its before and help lines) and
	 * offered by the shell completions. */
	const struct cmd_option *options;
	const char *help_end;	/* --help after the options, or NULL */
	/* An unknown option is an "unknown argument" (as this command always
	 * said), not an "unknown option". */
	int says_argument;
	/* argv[0] is the command name.  Returns an exit code; on EXIT_FAIL or
	 * EXIT_USAGE cli->err holds the message. */
	enum exit_code (*exec)(struct cli *cli, int argc, char **argv);
};

/* The command table (NULL-terminated) and the global options
 * (NULL-terminated "--db", ...): static, not owned. */
const struct cmd_entry *const *cli_command_table(void);
const char *const *cli_global_options(void);

/*
 * The options of command c ("--month", ...): its option table, in the
 * order its usage and then its help first name them (the table's order
 * for those they do not name): writes at most max into names and returns
 * how many.
 */
#define CMD_OPT_LEN 40
size_t cmd_options(const struct cmd_entry *c, char (*names)[CMD_OPT_LEN], size_t max);

/*
 * Parse the arguments of command c (argv[0] its name) against its option
 * table into a (options.h).  Returns EXIT_OK, or a usage error with
 * cli->err set ("unknown option '--mnth'. did you mean '--month'?",
 * "--month needs a value").  Free a with cmd_args_free whatever the
 * result.
 */
enum exit_code cli_parse(struct cli *cli, const struct cmd_entry *c, int argc, char **argv,
			 struct cmd_args *a);

/* cli_parse for a command that takes no arguments: "no arguments
 * expected" for any. */
enum exit_code cli_no_args(struct cli *cli, const struct cmd_entry *c, int argc, char **argv);

/* Print `imcost CMD --help` to out. */
void cmd_print_help(const struct cmd_entry *c, FILE *out);

/* Is argv[i] a request for help (-h, --help)? */
int is_help(const char *arg);

/* A usage error: sets cli->err and returns EXIT_USAGE. */
enum exit_code usage_error(struct cli *cli, const struct cmd_entry *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Progress on stderr (only when cli->tty and not quiet): callbacks for
 * import_opts.progress; progress_done clears the line. */
struct progress {
	const struct cli *cli;
	const char *label;
	int shown;
	double t0, last;	/* monotonic seconds: first and last update */
};
void progress_cb(void *arg, uint64_t done, uint64_t total);
void progress_done(struct progress *p);

/* Print a warning line on stderr unless quiet. */
void cli_warn(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Shared by import and analyze: import the files as one batch and print a
 * line per file.  start and end receive the span of billing periods. */
enum exit_code import_files(struct cli *cli, const char *as, char **files, int nfiles,
			    int64_t *start, int64_t *end);

/*
 * Open the engine for analyze and report: --engine URL (NULL: not given)
 * or the SQLite database at cli->db_path, read-only.  With bg_check, a
 * SQLite database's quick check runs beside the command (DB_READ_BG): it
 * calls engine_check_wait before printing what it read.  Returns the
 * engine (engine_close it), or NULL with cli->err set.
 */
struct engine;
struct engine *cli_engine_open(struct cli *cli, const char *url, int bg_check);

/*
 * The option handlers commands share (cli/flags.c).
 * cli_engine_arg: --engine *url (NULL: not given) checked; sqlite:PATH
 * becomes cli->db_path (one static copy) and *url NULL; *remote = 1 for
 * another engine.  EXIT_USAGE with cli->err set when malformed.
 * cli_month_arg: --month YYYY-MM, this or last into [*start, *end), or a
 * usage error of command c.
 * cli_catalog_load: the built-in pricing catalog with the --pricing files
 * files[0..n) merged over it (caller frees with catalog_free), or NULL
 * with cli->err set.
 * cli_threshold_arg: when name is an analysis threshold (--lookback,
 * --idle-cpu, ...: analyzers/options.h), set it in o from value and
 * return 1 with *rc EXIT_OK or a usage error; 0 for another option.
 */
struct catalog;
struct analysis_opts;
enum exit_code cli_engine_arg(struct cli *cli, const char **url, int *remote);
enum exit_code cli_month_arg(struct cli *cli, const struct cmd_entry *c, const char *month,
			     int64_t *start, int64_t *end);
struct catalog *cli_catalog_load(struct cli *cli, const char *const *files, int n);
int cli_threshold_arg(struct cli *cli, const struct cmd_entry *c, const char *name,
		      const char *value, struct analysis_opts *o, enum exit_code *rc);

/*
 * --month with no charges: EXIT_OK when some billing period starts in
 * [start, end), else EXIT_FAIL with cli->err naming the months that have
 * charges (where: the database path or engine URL, for the message).
 */
enum exit_code cli_check_period(struct cli *cli, struct engine *eng, int64_t start, int64_t end,
				 const char *where);

/*
 * --group-by, --filter, --since, --until (cli/slice-flags.c).
 * cli_slice_arg: when option name is one of them, parse its value into sl
 * and return 1 with *rc EXIT_OK or a usage error; 0 for another option.  cli_slice_period: narrow [*start,
 * *end) (billing months; 0 for none) to the months of the days.
 * cli_slice_check: a usage error when the slice cannot run here (a
 * remote engine) or names a tag or value no charge has ("did you mean").
 */
struct slice;
/* --month: YYYY-MM, "this" (the current month, UTC) or "last" (the one
 * before).  Returns 0, or -1 when malformed. */
int cli_month_parse(const char *s, int64_t *start, int64_t *end);
int cli_slice_arg(struct cli *cli, const struct cmd_entry *c, const char *name, const char *value,
		  struct slice *sl, enum exit_code *rc);
void cli_slice_period(const struct slice *sl, int64_t *start, int64_t *end);
enum exit_code cli_slice_check(struct cli *cli, const struct cmd_entry *c, struct engine *eng,
			       const struct slice *sl);

extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_analyze_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_prices_entry;
extern const struct cmd_entry cmd_sql_entry;
extern const struct cmd_entry cmd_formats_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_vendors_entry;
extern const struct cmd_entry cmd_levers_entry;
extern const struct cmd_entry cmd_forget_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_completion_entry;

#endif
