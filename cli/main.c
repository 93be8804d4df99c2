/*
 * main.c - global options, the command table, and the one place where
 * errors are printed and the exit status chosen.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/db.h"

#ifndef IMCOST_VERSION
#define IMCOST_VERSION "0.1.0"
#endif

static const struct cmd_entry *const commands[] = {
	&cmd_import_entry,
	&cmd_analyze_entry,
	&cmd_list_entry,
	&cmd_forget_entry,
	&cmd_prices_entry,
	&cmd_sql_entry,
	&cmd_formats_entry,
	&cmd_vendors_entry,
	&cmd_levers_entry,
	&cmd_report_entry,
	&cmd_check_entry,
	NULL
};

int
is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void
cmd_print_help(const struct cmd_entry *c, FILE *out)
{
	fprintf(out, "usage: imcost [GLOBAL OPTIONS] %s %s\n\n%s\n", c->name, c->usage, c->summary);
	if (c->help && *c->help)
		fprintf(out, "\n%s", c->help);
	fputs("\nGlobal options: --db PATH, --format table|json|csv|markdown, --quiet, --wide\n", out);
}

enum exit_code
usage_error(struct cli *cli, const struct cmd_entry *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ic_errorf(&cli->err, "%s: %s (usage: imcost %s %s)", c->name, msg, c->name, c->usage);
	return EXIT_USAGE;
}

void
cli_warn(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli->quiet)
		return;
	fputs(cli->color ? "imcost: \033[33mwarning\033[0m: " : "imcost: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
main_usage(FILE *out)
{
	fputs("usage: imcost [--db PATH] [--format table|json|csv|markdown] [--quiet] COMMAND [ARGS]\n\n"
	      "Where the cloud money of an instant-messaging service goes, and how to spend less.\n\n"
	      "Commands:\n", out);
	for (int i = 0; commands[i]; i++)
		fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nGlobal options (before or after the command):\n"
	      "  --db PATH       database file (default $IMCOST_DB, else ./imcost.db)\n"
	      "  --format F      table (default), json, csv or markdown\n"
	      "  -q, --quiet     print nothing but data and errors\n"
	      "  --wide          on a terminal, print tables whole (by default they fit its\n"
	      "                  width: low-priority columns hidden, long ids shortened)\n"
	      "  --version       print the version\n\n"
	      "Exit status: 0 success, 1 bad input or failed operation, 2 usage error.\n"
	      "Run 'imcost COMMAND --help' for a command's options.\n", out);
}

static const struct cmd_entry *
find_command(const char *name)
{
	for (int i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/*
 * The width tables must fit: stdout's terminal width ($COLUMNS when it is
 * a positive number, else the tty's), or 0 (no limit) when stdout is not
 * a terminal.
 */
static int
terminal_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (!isatty(1))
		return 0;
	if (c != NULL && *c != '\0') {
		n = strtol(c, &end, 10);
		if (*end == '\0' && n > 0 && n < 100000)
			return (int)n < 40 ? 40 : (int)n;
	}
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < 40 ? 40 : ws.ws_col;
	return 0;
}

/* Take the global options out of argv wherever they stand (up to "--"). */
static int
global_options(struct cli *cli, int *argc, char **argv, const char **db_flag)
{
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int takes = 0;

		if (strcmp(a, "--") == 0) {
			for (; i < *argc; i++)
				argv[o++] = argv[i];
			break;
		}
		if (strcmp(a, "--db") == 0 || strcmp(a, "--format") == 0) {
			if (i + 1 >= *argc)
				return ic_errorf(&cli->err, "%s needs a value", a);
			val = argv[++i];
			takes = 1;
		} else if (strncmp(a, "--db=", 5) == 0) {
			val = a + 5;
			takes = 1;
		} else if (strncmp(a, "--format=", 9) == 0) {
			val = a + 9;
			takes = 1;
		}
		if (takes) {
			if (a[2] == 'd') {
				*db_flag = val;
			} else {
				int f = out_format_parse(val);
				if (f < 0)
					return ic_errorf(&cli->err, "unknown format '%s' (table, json, csv, markdown)", val);
				cli->fmt = (enum out_format)f;
				cli->fmt_given = 1;
			}
			continue;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cli->quiet = 1;
			continue;
		}
		if (strcmp(a, "--wide") == 0) {
			cli->wide = 1;
			continue;
		}
		argv[o++] = argv[i];
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const struct cmd_entry *cmd;
	const char *db_flag = NULL;
	enum exit_code rc;
	double limit;
	int no_color;

	memset(&cli, 0, sizeof cli);
	cli.fmt = FMT_TABLE;
	cli.tty = isatty(2);
	/* NO_COLOR: only a non-empty value turns colour off (no-color.org) */
	no_color = getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0';
	cli.color = cli.tty && !no_color;
	if (global_options(&cli, &argc, argv, &db_flag) != 0) {
		fprintf(stderr, "imcost: %s\n", cli.err.msg);
		return EXIT_USAGE;
	}
	cli.db_path = db_default_path(db_flag);
	if (!cli.wide)
		table_set_width(terminal_width());
	/* colour in tables: stdout a terminal, NO_COLOR unset or empty, not TERM=dumb */
	table_set_color(isatty(1) && !no_color &&
			!(getenv("TERM") != NULL && strcmp(getenv("TERM"), "dumb") == 0));
	if (argc < 2) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		if (argc > 2 && (cmd = find_command(argv[2])) != NULL)
			cmd_print_help(cmd, stdout);
		else
			main_usage(stdout);
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("imcost %s\n", IMCOST_VERSION);
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
	}
	cmd = find_command(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "imcost: unknown command '%s' (imcost --help lists them)\n", argv[1]);
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			cmd_print_help(cmd, stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
		}
	rc = cmd->exec(&cli, argc - 1, argv + 1);
	if (db_quick_check_cut(&limit))
		cli_warn(&cli, "the quick integrity check of %s stopped after %g s on this large"
			 " database; the tables after it were not checked (imcost check checks them all)",
			 cli.db_path, limit);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc == EXIT_OK)
			ic_errorf(&cli.err, "error writing to standard output");
		rc = rc == EXIT_OK ? EXIT_FAIL : rc;
	}
	if (rc != EXIT_OK && (rc != EXIT_THRESHOLD || cli.err.msg[0]))
		fprintf(stderr, "imcost: %s\n", cli.err.msg[0] ? cli.err.msg : "failed");
	return rc;
}
