/*
 * main.c - global options, the command table, and the one place where
 * errors are printed and the exit status chosen.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/db.h"
#include "common/outfile.h"
#include "common/suggest.h"

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
	&cmd_completion_entry,
	NULL
};

/* The global options, as completions and "did you mean" know them. */
static const char *const global_opts[] = {
	"--db", "--format", "--output", "--quiet", "--wide", "--help", NULL
};

const struct cmd_entry *const *
cli_command_table(void)
{
	return commands;
}

const char *const *
cli_global_options(void)
{
	return global_opts;
}

/* Where text first names option name as a word ("--month", not
 * "--month-end"); -1 when it does not. */
static long
mention(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && (p = strstr(p, name)) != NULL; p += n) {
		char after = p[n];

		if ((p == text || isspace((unsigned char)p[-1]) || strchr("[(,'`|", p[-1])) &&
		    !(islower((unsigned char)after) || isdigit((unsigned char)after) || after == '-'))
			return (long)(p - text);
	}
	return -1;
}

/* Where command c's --help first names opt: its usage first, then the
 * help in the order cmd_print_help prints it; the table index after all. */
static long
help_rank(const struct cmd_entry *c, int k)
{
	const char *name = c->options[k].name;
	long base = 1L << 20, m;

	if ((m = mention(c->usage, name)) >= 0)
		return m;
	if (c->help && (m = mention(c->help, name)) >= 0)
		return base + m;
	base += c->help ? (long)strlen(c->help) : 0;
	for (int i = 0; c->options[i].name; i++) {
		const char *t[2] = { c->options[i].before, c->options[i].help };
		for (int j = 0; j < 2; j++) {
			if (t[j] && (m = mention(t[j], name)) >= 0)
				return base + m;
			base += t[j] ? (long)strlen(t[j]) : 0;
		}
	}
	if (c->help_end && (m = mention(c->help_end, name)) >= 0)
		return base + m;
	return (1L << 30) + k;
}

size_t
cmd_options(const struct cmd_entry *c, char (*names)[CMD_OPT_LEN], size_t max)
{
	long rank[128];
	size_t count = 0;

	for (int k = 0; c->options && c->options[k].name && count < max && count < 128; k++) {
		long r = help_rank(c, k);
		size_t at = count;

		/* insertion by rank */
		while (at > 0 && rank[at - 1] > r) {
			rank[at] = rank[at - 1];
			memcpy(names[at], names[at - 1], CMD_OPT_LEN);
			at--;
		}
		rank[at] = r;
		snprintf(names[at], CMD_OPT_LEN, "%s", c->options[k].name);
		count++;
	}
	return count;
}

/*
 * " did you mean 'X'?" (or "'X' or 'Y'") for word among known[0..n), into
 * buf; "" when nothing is close.
 */
static void
did_you_mean(const char *word, const char *const *known, size_t n, char *buf, size_t size)
{
	size_t idx[3];
	size_t k = suggest_nearest(word, known, n, idx, 3);
	size_t len = 0;

	buf[0] = '\0';
	if (k == 0)
		return;
	len = (size_t)snprintf(buf, size, " did you mean ");
	for (size_t i = 0; i < k && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s'%s'",
					i == 0 ? "" : i + 1 == k ? " or " : ", ", known[idx[i]]);
	if (len < size)
		snprintf(buf + len, size - len, "?");
}

/* For an unknown option arg (--name or --name=value) of command c: the
 * suggestion, or "". */
static void
option_suggestion(const struct cmd_entry *c, const char *arg, char *buf, size_t size)
{
	char names[128][CMD_OPT_LEN], word[CMD_OPT_LEN];
	const char *known[128 + 8];
	size_t n = cmd_options(c, names, 128), nk = 0;
	size_t len = strcspn(arg, "=");

	buf[0] = '\0';
	if (strncmp(arg, "--", 2) != 0 || len >= sizeof word)
		return;
	memcpy(word, arg, len);
	word[len] = '\0';
	for (size_t i = 0; i < n; i++)
		known[nk++] = names[i];
	for (int i = 0; global_opts[i]; i++)
		known[nk++] = global_opts[i];
	did_you_mean(word, known, nk, buf, size);
}

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
	for (int k = 0; c->options && c->options[k].name; k++)
		fprintf(out, "%s%s", c->options[k].before ? c->options[k].before : "",
			c->options[k].help ? c->options[k].help : "");
	if (c->help_end)
		fputs(c->help_end, out);
	fputs("\nGlobal options: --db PATH, --format table|json|csv|markdown, --output FILE, --quiet, --wide\n", out);
}

enum exit_code
cli_parse(struct cli *cli, const struct cmd_entry *c, int argc, char **argv, struct cmd_args *a)
{
	const char *bad;

	switch (cmd_args_parse(c->options, argc, argv, a, &bad)) {
	case OPT_OK:
		return EXIT_OK;
	case OPT_UNKNOWN:
		return usage_error(cli, c, c->says_argument ? "unknown argument '%s'" :
				   "unknown option '%s'", bad);
	case OPT_MISSING:
		return usage_error(cli, c, "%s needs a value", bad);
	case OPT_UNWANTED:
		return usage_error(cli, c, "%.*s takes no value", (int)strcspn(bad, "="), bad);
	default:
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
}

enum exit_code
cli_no_args(struct cli *cli, const struct cmd_entry *c, int argc, char **argv)
{
	struct cmd_args a;
	enum exit_code rc = cli_parse(cli, c, argc, argv, &a);

	if (rc == EXIT_OK && a.npos)
		rc = usage_error(cli, c, "no arguments expected");
	cmd_args_free(&a);
	return rc;
}

enum exit_code
usage_error(struct cli *cli, const struct cmd_entry *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	char hint[160] = "";
	const char *arg;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* "unknown option '--mnth'": say which option was meant */
	if ((arg = strstr(msg, "unknown option '")) != NULL ||
	    (arg = strstr(msg, "unknown argument '")) != NULL) {
		char word[128];
		size_t n;

		arg = strchr(arg, '\'') + 1;
		n = strcspn(arg, "'");
		if (n < sizeof word) {
			memcpy(word, arg, n);
			word[n] = '\0';
			option_suggestion(c, word, hint, sizeof hint);
			if (hint[0])
				memmove(hint + 1, hint, strlen(hint) + 1), hint[0] = '.';
		}
	}
	{
		/* one line: the usage's line breaks and indents become one space */
		char usage[512];
		size_t n = 0;

		for (const char *u = c->usage; *u && n + 1 < sizeof usage; u++) {
			if (*u == '\n') {
				while (u[1] == ' ')
					u++;
				usage[n++] = ' ';
			} else {
				usage[n++] = *u;
			}
		}
		usage[n] = '\0';
		ic_errorf(&cli->err, "%s: %s%s (usage: imcost %s %s)", c->name, msg, hint, c->name, usage);
	}
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
	fputs("usage: imcost [--db PATH] [--format table|json|csv|markdown] [--output FILE] [--quiet]\n"
	      "              COMMAND [ARGS]\n\n"
	      "Where the cloud money of an instant-messaging service goes, and how to spend less.\n\n"
	      "Commands:\n", out);
	for (int i = 0; commands[i]; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nGlobal options (before or after the command):\n"
	      "  --db PATH       database file (default $IMCOST_DB, else ./imcost.db)\n"
	      "  --format F      table (default), json, csv or markdown\n"
	      "  --output FILE   write the data to FILE instead of stdout (replaced only\n"
	      "                  when the command succeeds; - is stdout)\n"
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

/* "imcost: 'analyse' is not a command. did you mean 'analyze'?" on stderr */
static void
unknown_command(const char *name)
{
	const char *known[32];
	char q[IC_QUOTE_SIZE], hint[160];
	size_t n = 0;

	for (int i = 0; commands[i] && n < 32; i++)
		known[n++] = commands[i]->name;
	did_you_mean(name, known, n, hint, sizeof hint);
	ic_quote(name, strlen(name), 60, q);
	if (hint[0])
		fprintf(stderr, "imcost: '%s' is not a command.%s\n", q, hint);
	else
		fprintf(stderr, "imcost: '%s' is not a command (imcost --help lists them)\n", q);
}

/*
 * --output FILE: point stdout at a new temporary file beside FILE, which
 * output_end renames over FILE when the command succeeded and removes
 * otherwise, so a failed command leaves no partial file.  "-" is stdout.
 * Returns 0, or -1 with err set (*dirfd is -1 when nothing was opened).
 */
static int
output_begin(const char *path, struct outfile *o, int *dirfd, char *dir, size_t dirsize,
	     struct ic_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	*dirfd = -1;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return ic_errorf(err, "--output %s: not a file name", path);
	if (slash == NULL)
		snprintf(dir, dirsize, ".");
	else if (slash == path)
		snprintf(dir, dirsize, "/");
	else if ((size_t)(slash - path) < dirsize)
		snprintf(dir, dirsize, "%.*s", (int)(slash - path), path);
	else
		return ic_errorf(err, "--output: path too long");
	if ((*dirfd = outdir_open(dir, 1, err)) < 0 ||
	    outfile_open(o, *dirfd, dir, base, err) != 0) {
		char why[IC_ERRMSG_MAX];

		snprintf(why, sizeof why, "%s", err->msg);
		ic_errorf(err, "--output %.200s: %.700s", path, why);
		if (*dirfd < 0)
			return -1;
		goto fail;
	}
	if (fflush(stdout) != 0 || dup2(fileno(o->f), STDOUT_FILENO) < 0) {
		ic_errorf(err, "--output %s: %s", path, strerror(errno));
		outfile_abort(o);
		goto fail;
	}
	return 0;
fail:
	close(*dirfd);
	*dirfd = -1;
	return -1;
}

/* Keep the file (rc EXIT_OK) or remove it; returns the final status. */
static enum exit_code
output_end(struct cli *cli, enum exit_code rc, struct outfile *o, int dirfd)
{
	int devnull;

	if (rc == EXIT_OK) {
		if (fsync(STDOUT_FILENO) != 0 && errno != EINVAL)
			rc = EXIT_FAIL, ic_errorf(&cli->err, "%s/%s: %s", o->dir, o->name,
						  strerror(errno));
	}
	/* stdout no longer writes into the file */
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}
	if (rc == EXIT_OK) {
		if (outfile_commit(o, &cli->err) != 0)
			rc = EXIT_FAIL;
	} else {
		outfile_abort(o);
	}
	close(dirfd);
	return rc;
}

/* Take the global options out of argv wherever they stand (up to "--"). */
static int
global_options(struct cli *cli, int *argc, char **argv, const char **db_flag,
	       const char **output)
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
		if (strcmp(a, "--output") == 0 || strncmp(a, "--output=", 9) == 0) {
			if (a[8] == '=') {
				*output = a + 9;
			} else {
				if (i + 1 >= *argc)
					return ic_errorf(&cli->err, "%s needs a value", a);
				*output = argv[++i];
			}
			if (**output == '\0')
				return ic_errorf(&cli->err, "--output needs a file name");
			continue;
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
	const char *db_flag = NULL, *output = NULL;
	struct outfile out;
	char outdir[4096];
	int outdirfd = -1;
	enum exit_code rc;
	double limit;
	int no_color;

	memset(&cli, 0, sizeof cli);
	cli.fmt = FMT_TABLE;
	cli.tty = isatty(2);
	/* NO_COLOR: only a non-empty value turns colour off (no-color.org) */
	no_color = getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0';
	cli.color = cli.tty && !no_color;
	if (global_options(&cli, &argc, argv, &db_flag, &output) != 0) {
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
		if (argc > 2 && (cmd = find_command(argv[2])) != NULL) {
			cmd_print_help(cmd, stdout);
		} else if (argc > 2) {
			unknown_command(argv[2]);
			return EXIT_USAGE;
		} else {
			main_usage(stdout);
		}
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("imcost %s\n", IMCOST_VERSION);
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
	}
	cmd = find_command(argv[1]);
	if (cmd == NULL) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_help(argv[i])) {
			cmd_print_help(cmd, stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
		}
	if (output && strcmp(output, "-") != 0 &&
	    output_begin(output, &out, &outdirfd, outdir, sizeof outdir, &cli.err) != 0) {
		fprintf(stderr, "imcost: %s\n", cli.err.msg);
		return EXIT_FAIL;
	}
	rc = cmd->exec(&cli, argc - 1, argv + 1);
	if (db_check_damage(&cli.err))
		rc = EXIT_FAIL;	/* what the command failed of, or nothing printed */
	if (db_quick_check_cut(&limit))
		cli_warn(&cli, "the quick integrity check of %s stopped after %g s on this large"
			 " database; what it had not reached was not checked (imcost check checks it all)",
			 cli.db_path, limit);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc == EXIT_OK)
			ic_errorf(&cli.err, "error writing to %s", outdirfd >= 0 ? output : "standard output");
		rc = rc == EXIT_OK ? EXIT_FAIL : rc;
	}
	if (outdirfd >= 0)
		rc = output_end(&cli, rc, &out, outdirfd);
	if (rc != EXIT_OK && (rc != EXIT_THRESHOLD || cli.err.msg[0]))
		fprintf(stderr, "imcost: %s\n", cli.err.msg[0] ? cli.err.msg : "failed");
	return rc;
}
