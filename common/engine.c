/*
 * engine.c - the engine layer (see engine.h): URLs, running a remote
 * engine's command-line client through pipes, statements with typed
 * results, bulk loads.  What differs between engines (client arguments,
 * SQL spellings, schema) is in the dialect files engine-*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "common/decimal.h"
#include "common/engine-int.h"
#include "common/procenv.h"
#include "common/rollup.h"

extern char **environ;

/* ---- buffers ---- */

void
argv_add(struct argv *a, const char *s)
{
	char *c;

	if (a->oom)
		return;
	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, (size_t)cap * sizeof *v);
		if (v == NULL) {
			a->oom = 1;
			return;
		}
		a->v = v;
		a->cap = cap;
	}
	c = strdup(s);
	if (c == NULL) {
		a->oom = 1;
		return;
	}
	a->v[a->n++] = c;
	a->v[a->n] = NULL;
}

void
argv_addf(struct argv *a, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf) {
		a->oom = 1;
		return;
	}
	argv_add(a, buf);
}

void
argv_free(struct argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* ---- URLs ---- */

static int
is_ident(const char *s, size_t n)
{
	if (n == 0 || n >= ENGINE_NAME_MAX)
		return 0;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int
url_error(struct ic_error *err, const char *url, const char *why)
{
	char q[IC_QUOTE_SIZE];

	ic_quote(url, strlen(url), 60, q);
	ic_errorf(err, "--engine '%s': %s (sqlite:PATH, clickhouse://HOST:PORT/DB or postgresql://HOST:PORT/DB)",
		  q, why);
	if (err)
		err->usage = 1;
	return -1;
}

static int
parse_remote(const char *url, const char *p, struct engine_url *u, struct ic_error *err)
{
	const char *at, *slash, *q, *hs, *he;
	size_t n;

	slash = strchr(p, '/');
	if (slash == NULL)
		return url_error(err, url, "no database name after the host");
	at = memchr(p, '@', (size_t)(slash - p));
	if (at) {
		if (!is_ident(p, (size_t)(at - p)))
			return url_error(err, url, "the user name must be an identifier");
		memcpy(u->user, p, (size_t)(at - p));
		p = at + 1;
	}
	hs = p;
	if (*p == '[') {	/* [IPv6] */
		he = memchr(p, ']', (size_t)(slash - p));
		if (he == NULL)
			return url_error(err, url, "unclosed '[' in the host");
		hs = p + 1;
		p = he + 1;
	} else {
		he = p;
		while (he < slash && *he != ':')
			he++;
		p = he;
	}
	n = (size_t)(he - hs);
	if (n == 0 || n >= sizeof u->host)
		return url_error(err, url, "no host");
	for (size_t i = 0; i < n; i++) {
		char c = hs[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == ':'))
			return url_error(err, url, "the host has characters other than letters, digits, '.', '-', ':'");
	}
	memcpy(u->host, hs, n);
	if (p < slash) {
		long port = 0;
		if (*p != ':' || p + 1 == slash)
			return url_error(err, url, "expected ':PORT' after the host");
		for (p++; p < slash; p++) {
			if (*p < '0' || *p > '9')
				return url_error(err, url, "the port is not a number");
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return url_error(err, url, "the port is larger than 65535");
		}
		if (port == 0)
			return url_error(err, url, "port 0");
		u->port = (int)port;
	}
	p = slash + 1;
	q = strchr(p, '?');
	n = q ? (size_t)(q - p) : strlen(p);
	if (!is_ident(p, n))
		return url_error(err, url, "the database name must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
	memcpy(u->db, p, n);
	if (q) {
		q++;
		if (u->kind != ENGINE_CLICKHOUSE || strncmp(q, "cluster=", 8) != 0)
			return url_error(err, url, "unknown option after '?' (clickhouse takes ?cluster=NAME)");
		q += 8;
		if (!is_ident(q, strlen(q)))
			return url_error(err, url, "the cluster name must be an identifier");
		strcpy(u->cluster, q);
	}
	return 0;
}

int
engine_url_parse(const char *url, struct engine_url *u, struct ic_error *err)
{
	memset(u, 0, sizeof *u);
	if (url == NULL || *url == '\0')
		return url_error(err, "", "empty");
	if (strncmp(url, "sqlite:", 7) == 0) {
		const char *p = url + 7;
		u->kind = ENGINE_SQLITE;
		if (strncmp(p, "//", 2) == 0)
			p += 2;	/* sqlite:///abs/path and sqlite://rel are fine too */
		if (*p == '\0')
			return url_error(err, url, "no database file after 'sqlite:'");
		if (strlen(p) >= sizeof u->path)
			return url_error(err, url, "path too long");
		strcpy(u->path, p);
		return 0;
	}
	if (strncmp(url, "clickhouse://", 13) == 0) {
		u->kind = ENGINE_CLICKHOUSE;
		return parse_remote(url, url + 13, u, err);
	}
	if (strncmp(url, "postgresql://", 13) == 0) {
		u->kind = ENGINE_POSTGRESQL;
		return parse_remote(url, url + 13, u, err);
	}
	if (strncmp(url, "postgres://", 11) == 0) {
		u->kind = ENGINE_POSTGRESQL;
		return parse_remote(url, url + 11, u, err);
	}
	return url_error(err, url, "unknown engine");
}

const char *
engine_default_url(const char *engine_flag, const char *db_flag)
{
	static char buf[4200];
	const char *env;

	if (engine_flag && *engine_flag)
		return engine_flag;
	env = getenv("IMCOST_ENGINE");
	if (env && *env && !(db_flag && *db_flag))
		return env;
	snprintf(buf, sizeof buf, "sqlite:%s", db_default_path(db_flag));
	return buf;
}

/* ---- running the client ---- */

struct eproc {
	pid_t pid;
	int in, out, err;	/* our ends; -1 when closed */
	struct sbuf *outbuf;	/* stdout goes here (NULL: dropped) */
	struct sbuf errbuf;	/* stderr, first 64 KiB */
	int epipe;		/* the client stopped reading */
};

#define ERRBUF_MAX 65536

/* Find prog on $PATH (or take it as a path when it has a '/'). */
static int
find_program(const char *prog, char *out, size_t n)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(prog, '/')) {
		if (strlen(prog) >= n || access(prog, X_OK) != 0)
			return -1;
		strcpy(out, prog);
		return 0;
	}
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = e + 1) {
		struct stat sb;
		size_t dl;

		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		dl = (size_t)(e - p);
		if (dl == 0) {
			if (strlen(prog) + 3 <= n)
				snprintf(out, n, "./%s", prog);
		} else if (dl + 1 + strlen(prog) < n) {
			memcpy(out, p, dl);
			out[dl] = '/';
			strcpy(out + dl + 1, prog);
		} else {
			out[0] = '\0';
		}
		if (out[0] && stat(out, &sb) == 0 && S_ISREG(sb.st_mode) && access(out, X_OK) == 0)
			return 0;
		if (*e == '\0')
			break;
	}
	return -1;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Environment of the child: ours plus the client-specific variables. */
static char **
child_env(const struct engine *e)
{
	return procenv_with("PGCLIENTENCODING",
			    e->d->kind == ENGINE_POSTGRESQL ? "PGCLIENTENCODING=UTF8" : NULL);
}

static int
eproc_start(struct eproc *p, const struct engine *e, char *const argv[], struct sbuf *outbuf,
	    struct ic_error *err)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, pexec[2] = { -1, -1 };
	char **env = child_env(e);
	int child_errno = 0;
	ssize_t got;

	memset(p, 0, sizeof *p);
	p->in = p->out = p->err = -1;
	p->outbuf = outbuf;
	if (env == NULL)
		return ic_errorf(err, "out of memory");
	if (pipe(pin) != 0 || pipe(pout) != 0 || pipe(perr) != 0 || pipe(pexec) != 0) {
		ic_errorf(err, "%s: cannot make pipes: %s", e->d->name, strerror(errno));
		goto fail;
	}
	fcntl(pexec[1], F_SETFD, FD_CLOEXEC);
	p->pid = fork();
	if (p->pid < 0) {
		ic_errorf(err, "%s: cannot start %s: %s", e->d->name, e->client, strerror(errno));
		goto fail;
	}
	if (p->pid == 0) {
		/* child: only async-signal-safe calls from here */
		sigset_t none;
		int en;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(pin[0], 0) < 0 || dup2(pout[1], 1) < 0 || dup2(perr[1], 2) < 0)
			_exit(127);
		close(pin[0]); close(pin[1]);
		close(pout[0]); close(pout[1]);
		close(perr[0]); close(perr[1]);
		close(pexec[0]);
		execve(e->client, argv, env);
		en = errno;
		if (write(pexec[1], &en, sizeof en) < 0)
			_exit(127);
		_exit(127);
	}
	free(env);
	env = NULL;
	close_fd(&pin[0]);
	close_fd(&pout[1]);
	close_fd(&perr[1]);
	close_fd(&pexec[1]);
	do
		got = read(pexec[0], &child_errno, sizeof child_errno);
	while (got < 0 && errno == EINTR);
	close_fd(&pexec[0]);
	if (got == (ssize_t)sizeof child_errno) {
		int st;
		waitpid(p->pid, &st, 0);
		ic_errorf(err, "%s: cannot run %s: %s", e->d->name, e->client, strerror(child_errno));
		goto fail;
	}
	p->in = pin[1];
	p->out = pout[0];
	p->err = perr[0];
	fcntl(p->in, F_SETFL, fcntl(p->in, F_GETFL) | O_NONBLOCK);
	fcntl(p->in, F_SETFD, FD_CLOEXEC);
	fcntl(p->out, F_SETFD, FD_CLOEXEC);
	fcntl(p->err, F_SETFD, FD_CLOEXEC);
	return 0;
fail:
	free(env);
	close_fd(&pin[0]); close_fd(&pin[1]);
	close_fd(&pout[0]); close_fd(&pout[1]);
	close_fd(&perr[0]); close_fd(&perr[1]);
	close_fd(&pexec[0]); close_fd(&pexec[1]);
	p->pid = 0;
	return -1;
}

/* Read what is ready on fd into b (or drop it); closes fd at EOF. */
static void
drain(int *fd, struct sbuf *b, size_t max)
{
	char buf[65536];
	ssize_t got = read(*fd, buf, sizeof buf);

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got <= 0) {
		close_fd(fd);
		return;
	}
	if (b && b->len < max)
		sbuf_put(b, buf, (size_t)got > max - b->len ? max - b->len : (size_t)got);
}

/*
 * Write data[0..len) to the client's stdin while reading its stdout and
 * stderr, so neither side blocks the other.  A client that stops reading
 * (it failed) sets epipe; the caller learns why from its exit status.
 * SIGPIPE is held off in this thread meanwhile (the process-wide
 * disposition belongs to the CLI).
 */
static int
eproc_write(struct eproc *p, const char *data, size_t len, struct ic_error *err)
{
	sigset_t pipeset, old, pending;
	int was_pending;

	if (p->epipe || len == 0)
		return 0;
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	while (len > 0 && !p->epipe) {
		struct pollfd fds[3];
		int nf = 0, iw = -1, io = -1, ie = -1;

		fds[nf].fd = p->in; fds[nf].events = POLLOUT; iw = nf++;
		if (p->out >= 0) { fds[nf].fd = p->out; fds[nf].events = POLLIN; io = nf++; }
		if (p->err >= 0) { fds[nf].fd = p->err; fds[nf].events = POLLIN; ie = nf++; }
		if (poll(fds, (nfds_t)nf, -1) < 0) {
			if (errno == EINTR)
				continue;
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return ic_errorf(err, "poll: %s", strerror(errno));
		}
		if (io >= 0 && fds[io].revents)
			drain(&p->out, p->outbuf, SIZE_MAX);
		if (ie >= 0 && fds[ie].revents)
			drain(&p->err, &p->errbuf, ERRBUF_MAX);
		if (fds[iw].revents & (POLLERR | POLLHUP)) {
			p->epipe = 1;
			break;
		}
		if (fds[iw].revents & POLLOUT) {
			ssize_t w = write(p->in, data, len);
			if (w < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				if (errno == EPIPE) {
					p->epipe = 1;
					break;
				}
				pthread_sigmask(SIG_SETMASK, &old, NULL);
				return ic_errorf(err, "writing to the client: %s", strerror(errno));
			}
			data += w;
			len -= (size_t)w;
		}
	}
	if (p->epipe && !was_pending) {
		struct timespec zero = { 0, 0 };
		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipeset, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* Close stdin, read everything left, reap.  Returns the exit status
 * (128 + signal when killed), or -1 with err set. */
static int
eproc_finish(struct eproc *p, struct ic_error *err)
{
	int st;

	close_fd(&p->in);
	while (p->out >= 0 || p->err >= 0) {
		struct pollfd fds[2];
		int nf = 0, io = -1, ie = -1;

		if (p->out >= 0) { fds[nf].fd = p->out; fds[nf].events = POLLIN; io = nf++; }
		if (p->err >= 0) { fds[nf].fd = p->err; fds[nf].events = POLLIN; ie = nf++; }
		if (poll(fds, (nfds_t)nf, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (io >= 0 && fds[io].revents)
			drain(&p->out, p->outbuf, SIZE_MAX);
		if (ie >= 0 && fds[ie].revents)
			drain(&p->err, &p->errbuf, ERRBUF_MAX);
	}
	close_fd(&p->out);
	close_fd(&p->err);
	while (waitpid(p->pid, &st, 0) < 0) {
		if (errno != EINTR) {
			p->pid = 0;
			return ic_errorf(err, "waiting for the client: %s", strerror(errno));
		}
	}
	p->pid = 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/* Stop the client (after our own error) and reap it. */
static void
eproc_kill(struct eproc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		close_fd(&p->in);
		eproc_finish(p, NULL);
	}
	sbuf_free(&p->errbuf);
}

static void
client_error(const struct engine *e, struct eproc *p, int status, const char *what,
	     struct ic_error *err)
{
	char line[700] = "";
	const char *text = sbuf_str(&p->errbuf);

	e->d->error_line(text, line, sizeof line);
	if (line[0] == '\0') {
		if (p->outbuf && p->outbuf->oom)
			snprintf(line, sizeof line, "out of memory reading its output");
		else if (status > 128)
			snprintf(line, sizeof line, "%.300s killed by signal %d", e->client, status - 128);
		else
			snprintf(line, sizeof line, "%.300s exited with status %d", e->client, status);
	}
	ic_errorf(err, "%s: %s: %s", e->d->name, what, line);
}

static void
base_argv(const struct engine *e, const struct engine_server *s, struct argv *a)
{
	argv_add(a, e->client);
	e->d->conn_argv(e, s, a);
}

int
engine_run(struct engine *e, const struct engine_server *s, const char *input,
	   const char *const *extra, struct sbuf *out, const char *what, struct ic_error *err)
{
	struct argv a = { 0 };
	struct eproc p;
	int status;

	base_argv(e, s, &a);
	for (int i = 0; extra && extra[i]; i++)
		argv_add(&a, extra[i]);
	if (a.oom) {
		argv_free(&a);
		return ic_errorf(err, "out of memory");
	}
	if (eproc_start(&p, e, a.v, out, err) != 0) {
		argv_free(&a);
		return -1;
	}
	argv_free(&a);
	if (eproc_write(&p, input, strlen(input), err) != 0) {
		eproc_kill(&p);
		return -1;
	}
	status = eproc_finish(&p, err);
	if (status != 0 || (out && out->oom)) {
		if (status >= 0)
			client_error(e, &p, status, what, err);
		sbuf_free(&p.errbuf);
		return -1;
	}
	sbuf_free(&p.errbuf);
	return 0;
}

int
engine_run_sql(struct engine *e, const struct engine_server *s, const char *sql,
	       const char *what, struct ic_error *err)
{
	struct sbuf x = { 0 }, in = { 0 };
	int rc;

	if (engine_expand(e, sql, &x, err) != 0)
		return -1;
	e->d->query_input(&in, sbuf_str(&x), 0);
	sbuf_free(&x);
	if (in.oom) {
		sbuf_free(&in);
		return ic_errorf(err, "out of memory");
	}
	{
		const char *extra[] = { e->d->multi_arg, NULL };
		rc = engine_run(e, s, sbuf_str(&in), e->d->multi_arg ? extra : NULL, NULL, what, err);
	}
	sbuf_free(&in);
	return rc;
}

/* ---- SQL text: macros and placeholders ---- */

/* Length of the quoted literal, identifier or comment starting at s, or 0. */
static size_t
skip_quoted(const char *s)
{
	const char *p = s;

	if (*p == '\'' || *p == '"') {
		char q = *p++;
		for (; *p; p++)
			if (*p == q) {
				if (p[1] == q)
					p++;
				else
					return (size_t)(p + 1 - s);
			}
		return (size_t)(p - s);
	}
	if (p[0] == '-' && p[1] == '-') {
		while (*p && *p != '\n')
			p++;
		return (size_t)(p - s);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");
		return end ? (size_t)(end + 2 - s) : strlen(s);
	}
	return 0;
}

int
engine_hex_arg(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') ||
		      (s[n] >= 'A' && s[n] <= 'F')))
			return 0;
	return n % 2 == 0;
}

static int
macro_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

int
engine_expand(const struct engine *e, const char *sql, struct sbuf *out, struct ic_error *err)
{
	const char *p = sql;

	while (*p) {
		size_t q = skip_quoted(p);
		if (q) {
			sbuf_put(out, p, q);
			p += q;
			continue;
		}
		if (*p == '$' && macro_char(p[1], 1)) {
			const char *name = p + 1, *a;
			char nbuf[32];
			struct sbuf args[ENGINE_MACRO_MAX_ARGS];
			const char *argv[ENGINE_MACRO_MAX_ARGS];
			size_t nl;
			int nargs = 0, depth = 0, rc;

			a = name;
			while (macro_char(*a, 0))
				a++;
			nl = (size_t)(a - name);
			if (*a != '(' || nl >= sizeof nbuf)
				return ic_errorf(err, "%s: bad macro in query near '%.20s'", e->d->name, p);
			memcpy(nbuf, name, nl);
			nbuf[nl] = '\0';
			memset(args, 0, sizeof args);
			a++;
			/* split the arguments at top-level commas; expand each */
			{
				const char *start = a;
				for (;;) {
					size_t qq = skip_quoted(a);
					if (qq) {
						a += qq;
						continue;
					}
					if (*a == '\0') {
						for (int i = 0; i < nargs; i++)
							sbuf_free(&args[i]);
						return ic_errorf(err, "%s: unclosed macro $%s(", e->d->name, nbuf);
					}
					if (*a == '(')
						depth++;
					else if ((*a == ',' && depth == 0) || (*a == ')' && depth == 0)) {
						char *piece;
						if (nargs == ENGINE_MACRO_MAX_ARGS) {
							for (int i = 0; i < nargs; i++)
								sbuf_free(&args[i]);
							return ic_errorf(err, "%s: too many arguments to $%s", e->d->name, nbuf);
						}
						piece = strndup(start, (size_t)(a - start));
						if (piece == NULL || engine_expand(e, piece, &args[nargs], err) != 0) {
							free(piece);
							for (int i = 0; i <= nargs; i++)
								sbuf_free(&args[i]);
							return piece ? -1 : ic_errorf(err, "out of memory");
						}
						free(piece);
						argv[nargs] = sbuf_str(&args[nargs]);
						nargs++;
						if (*a == ')') {
							a++;
							break;
						}
						start = a + 1;
					} else if (*a == ')')
						depth--;
					a++;
				}
			}
			rc = e->d->macro(out, nbuf, argv, nargs);
			for (int i = 0; i < nargs; i++)
				sbuf_free(&args[i]);
			if (rc != 0)
				return ic_errorf(err, "%s: unknown macro $%s with %d argument%s", e->d->name,
						 nbuf, nargs, nargs == 1 ? "" : "s");
			p = a;
			continue;
		}
		sbuf_putc(out, *p++);
	}
	if (out->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* ---- rollup views ---- */

/* Split s[0..n) at top-level commas (outside quotes and parentheses);
 * pieces trimmed of spaces.  Returns the number of pieces (at most max),
 * or -1 when there are more. */
static int
split_top(const char *s, size_t n, const char **piece, size_t *len, int max)
{
	const char *p = s, *start = s, *end = s + n;
	int depth = 0, k = 0;

	for (;;) {
		if (p < end) {
			size_t q = skip_quoted(p);
			if (q) {
				p += q;
				continue;
			}
		}
		if (p == end || (*p == ',' && depth == 0)) {
			const char *a = start, *b = p;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if (k == max)
				return -1;
			piece[k] = a;
			len[k++] = (size_t)(b - a);
			if (p == end)
				return k;
			start = p + 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		}
		p++;
	}
}

/* The position of the top-level " FROM " in sql, or NULL. */
static const char *
top_from(const char *sql)
{
	int depth = 0;

	for (const char *p = sql; *p; ) {
		size_t q = skip_quoted(p);
		if (q) {
			p += q;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && strncmp(p, " FROM ", 6) == 0)
			return p;
		p++;
	}
	return NULL;
}

#define ROLLUP_MAX_COLS 48

int
engine_rollup_view(const struct engine *e, const struct rollup_def *d, struct sbuf *out,
		   struct ic_error *err)
{
	const char *cols[ROLLUP_MAX_COLS], *exprs[ROLLUP_MAX_COLS];
	size_t clen[ROLLUP_MAX_COLS], elen[ROLLUP_MAX_COLS];
	const char *open = strchr(d->table, '('), *close = strrchr(d->table, ')');
	const char *from = top_from(d->select), *base;
	int nc, ne, ncols = 0;
	struct sbuf q = { 0 };

	if (open == NULL || close == NULL || from == NULL || strncmp(d->select, "SELECT ", 7) != 0)
		return ic_errorf(err, "rollup %s: malformed definition", d->name);
	nc = split_top(open + 1, (size_t)(close - open - 1), cols, clen, ROLLUP_MAX_COLS);
	ne = split_top(d->select + 7, (size_t)(from - d->select - 7), exprs, elen, ROLLUP_MAX_COLS);
	for (int i = 0; i < nc; i++) {
		size_t w = 0;
		if (clen[i] >= 11 && strncmp(cols[i], "PRIMARY KEY", 11) == 0)
			continue;
		while (w < clen[i] && cols[i][w] != ' ')
			w++;
		cols[ncols] = cols[i];
		clen[ncols++] = w;
	}
	if (nc < 0 || ne < 0 || ncols != ne)
		return ic_errorf(err, "rollup %s: %d columns but %d expressions", d->name, ncols, ne);
	base = from + 6;
	sbuf_puts(&q, "SELECT ");
	for (int i = 0; i < ne; i++)
		sbuf_printf(&q, "%s_c%d AS %.*s", i ? ", " : "", i + 1, (int)clen[i], cols[i]);
	sbuf_puts(&q, " FROM (SELECT ");
	for (int i = 0; i < ne; i++)
		sbuf_printf(&q, "%s%.*s AS _c%d", i ? ", " : "", (int)elen[i], exprs[i], i + 1);
	/* ClickHouse views are created with qualified names (engine-clickhouse.c) */
	sbuf_printf(&q, " FROM %s%s%s%s%s) AS r", e->d->kind == ENGINE_CLICKHOUSE ? e->url.db : "",
		    e->d->kind == ENGINE_CLICKHOUSE ? "." : "", base, d->where, d->group);
	if (q.oom) {
		sbuf_free(&q);
		return ic_errorf(err, "out of memory");
	}
	if (engine_expand(e, sbuf_str(&q), out, err) != 0) {
		sbuf_free(&q);
		return -1;
	}
	sbuf_free(&q);
	return 0;
}

/* ---- statements ---- */

struct param {
	enum engine_type t;
	int64_t i;
	double d;
	char *s;
};

struct field {
	enum engine_type t;
	int64_t i;
	double d;
	const char *s;	/* NUL-terminated, in the result's text */
};

struct engine_stmt {
	struct engine *e;
	sqlite3_stmt *st;		/* sqlite engines */
	char *sql;			/* remote: macros expanded */
	int nparams;
	struct param *params;
	/* remote result */
	int ran;
	struct sbuf text;		/* unquoted fields, each NUL-terminated */
	struct field *fields;
	long nrows, row;		/* row: current (-1 before the first) */
	int ncols;
};

/*
 * The placeholder at p ('?'): "?NNN" is parameter NNN, a bare "?" the one
 * after the largest so far (*next), as SQLite numbers them.  Sets *len to
 * the placeholder's length; returns its number, or 0 when NNN is out of
 * range (1..999).
 */
static int
placeholder_at(const char *p, int *next, size_t *len)
{
	int n = 0;
	size_t i = 1;

	while (p[i] >= '0' && p[i] <= '9' && i < 5)
		n = n * 10 + (p[i++] - '0');
	*len = i;
	if (i == 1)
		n = *next + 1;
	else if (n < 1 || n > 999 || (p[i] >= '0' && p[i] <= '9'))
		return 0;
	if (n > *next)
		*next = n;
	return n;
}

/* The number of parameters of sql (the largest placeholder number), or -1
 * when a placeholder is out of range. */
static int
count_placeholders(const char *sql)
{
	int next = 0;

	for (const char *p = sql; *p; ) {
		size_t q = skip_quoted(p);
		if (q) {
			p += q;
			continue;
		}
		if (*p == '?') {
			if (placeholder_at(p, &next, &q) == 0)
				return -1;
			p += q;
			continue;
		}
		p++;
	}
	return next;
}

struct engine_stmt *
engine_prepare(struct engine *e, const char *sql, struct ic_error *err)
{
	struct engine_stmt *st = calloc(1, sizeof *st);
	struct sbuf x = { 0 };

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	st->e = e;
	st->row = -1;
	if (engine_expand(e, sql, &x, err) != 0)
		goto fail;
	if (e->d->kind == ENGINE_SQLITE) {
		st->st = db_prepare(e->db, sbuf_str(&x), err);
		if (st->st == NULL)
			goto fail;
		st->nparams = sqlite3_bind_parameter_count(st->st);
		sbuf_free(&x);
		return st;
	}
	st->sql = strdup(sbuf_str(&x));
	st->nparams = count_placeholders(st->sql ? st->sql : "");
	if (st->nparams < 0) {
		ic_errorf(err, "%s: placeholder number out of range (1 to 999)", e->d->name);
		goto fail;
	}
	if (st->nparams > 0)
		st->params = calloc((size_t)st->nparams, sizeof *st->params);
	if (st->sql == NULL || (st->nparams > 0 && st->params == NULL)) {
		ic_errorf(err, "out of memory");
		goto fail;
	}
	sbuf_free(&x);
	return st;
fail:
	sbuf_free(&x);
	engine_finalize(st);
	return NULL;
}

static struct param *
param_at(struct engine_stmt *st, int i)
{
	if (i < 1 || i > st->nparams)
		return NULL;
	free(st->params[i - 1].s);
	st->params[i - 1].s = NULL;
	return &st->params[i - 1];
}

int
engine_bind_int64(struct engine_stmt *st, int i, int64_t v)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_int64(st->st, i, v) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_INT;
	p->i = v;
	return 0;
}

int
engine_bind_double(struct engine_stmt *st, int i, double v)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_double(st->st, i, v) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_REAL;
	p->d = v;
	return 0;
}

int
engine_bind_text(struct engine_stmt *st, int i, const char *s)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_TEXT;
	p->s = strdup(s);
	if (p->s == NULL) {
		p->t = ENGINE_NULL;
		return -1;
	}
	return 0;
}

int
engine_bind_null(struct engine_stmt *st, int i)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_null(st->st, i) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_NULL;
	return 0;
}

/* The SQL and arguments of a remote statement with its bindings. */
static int
render(struct engine_stmt *st, struct sbuf *sql, struct argv *extra, struct ic_error *err)
{
	const struct engine_dialect *d = st->e->d;
	int k = 0, next = 0;

	for (const char *p = st->sql; *p; ) {
		size_t q = skip_quoted(p);
		const struct param *pa;

		if (q) {
			sbuf_put(sql, p, q);
			p += q;
			continue;
		}
		if (*p != '?') {
			sbuf_putc(sql, *p++);
			continue;
		}
		{
			size_t len;
			k = placeholder_at(p, &next, &len);
			p += len;
		}
		pa = &st->params[k - 1];
		switch (pa->t) {
		case ENGINE_NULL:
			sbuf_puts(sql, "NULL");
			break;
		case ENGINE_INT:
			/* parenthesized: "x -?" must not become a comment */
			sbuf_printf(sql, pa->i < 0 ? "(%lld)" : "%lld", (long long)pa->i);
			break;
		case ENGINE_REAL: {
			char num[64];
			if (!isfinite(pa->d))
				return ic_errorf(err, "%s: parameter %d is not a finite number", d->name, k);
			snprintf(num, sizeof num, "%.17g", pa->d);
			if (strpbrk(num, ".eEn") == NULL)
				strcat(num, ".0");
			sbuf_printf(sql, pa->d < 0 ? "(%s)" : "%s", num);
			break;
		}
		case ENGINE_TEXT:
			if (!d->text_params)
				return ic_errorf(err, "%s: this query needs a text parameter, which %s cannot take",
						 d->name, st->e->client);
			d->param_ref(sql, k);
			d->param_argv(extra, k, pa->s);
			break;
		}
	}
	if (sql->oom || extra->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

static int
is_int_text(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	uint64_t acc = 0, lim;
	int neg = 0;

	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return 0;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (acc > (lim - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	*v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 1;
}

static void
type_field(struct field *f, const char *s, size_t n, int quoted, const char *null_token)
{
	double d;

	f->s = NULL;
	f->i = 0;
	f->d = 0;
	if (!quoted && strlen(null_token) == n && memcmp(s, null_token, n) == 0) {
		f->t = ENGINE_NULL;
		return;
	}
	if (!quoted && is_int_text(s, n, &f->i)) {
		f->t = ENGINE_INT;
		f->d = (double)f->i;
		return;
	}
	if (!quoted && n > 0 && number_parse(s, n, &d) == NUM_OK) {
		f->t = ENGINE_REAL;
		f->d = d;
		return;
	}
	if (!quoted && (n == 3 || n == 4)) {	/* ClickHouse's nan, inf, -inf */
		if (n == 3 && memcmp(s, "nan", 3) == 0) { f->t = ENGINE_REAL; f->d = NAN; return; }
		if (n == 3 && memcmp(s, "inf", 3) == 0) { f->t = ENGINE_REAL; f->d = INFINITY; return; }
		if (n == 4 && memcmp(s, "-nan", 4) == 0) { f->t = ENGINE_REAL; f->d = NAN; return; }
		if (n == 4 && memcmp(s, "-inf", 4) == 0) { f->t = ENGINE_REAL; f->d = -INFINITY; return; }
	}
	f->t = ENGINE_TEXT;
}

/*
 * Parse CSV (RFC 4180: ',' between fields, '"' quotes with "" inside,
 * records end at \n or \r\n) into st's fields.  Field text is copied
 * unquoted and NUL-terminated into st->text; offsets are fixed up at the
 * end because the buffer moves while it grows.
 */
static int
parse_csv(struct engine_stmt *st, const char *csv, size_t len, struct ic_error *err)
{
	const char *null_token = st->e->d->csv_null;
	struct field *f = NULL;
	size_t *off = NULL, nf = 0, capf = 0;
	size_t i = 0;
	int ncols = -1, col = 0;
	long nrows = 0;

	while (i < len) {
		size_t start = st->text.len;
		int quoted = 0;

		if (csv[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= len)
					goto bad;
				if (csv[i] == '"') {
					if (i + 1 < len && csv[i + 1] == '"') {
						sbuf_putc(&st->text, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				sbuf_putc(&st->text, csv[i++]);
			}
		} else {
			while (i < len && csv[i] != ',' && csv[i] != '\n' && csv[i] != '\r')
				sbuf_putc(&st->text, csv[i++]);
		}
		if (nf == capf) {
			size_t cap = capf ? capf * 2 : 64;
			struct field *nf2 = realloc(f, cap * sizeof *f);
			size_t *no = nf2 ? realloc(off, cap * sizeof *off) : NULL;
			if (nf2)
				f = nf2;
			if (no == NULL) {
				free(f);
				free(off);
				return ic_errorf(err, "out of memory");
			}
			off = no;
			capf = cap;
		}
		off[nf] = start;
		type_field(&f[nf], st->text.s ? st->text.s + start : "", st->text.len - start, quoted,
			   null_token);
		sbuf_putc(&st->text, '\0');
		nf++;
		col++;
		if (i < len && csv[i] == ',') {
			i++;
			if (i == len)
				goto bad;
			continue;
		}
		if (i < len && csv[i] == '\r')
			i++;
		if (i < len && csv[i] != '\n')
			goto bad;
		i++;
		if (ncols < 0)
			ncols = col;
		else if (col != ncols)
			goto bad;
		col = 0;
		nrows++;
	}
	if (st->text.oom) {
		free(f);
		free(off);
		return ic_errorf(err, "out of memory");
	}
	for (size_t k = 0; k < nf; k++)
		f[k].s = st->text.s + off[k];
	free(off);
	st->fields = f;
	st->nrows = nrows;
	st->ncols = ncols < 0 ? 0 : ncols;
	return 0;
bad:
	free(f);
	free(off);
	return ic_errorf(err, "%s: cannot read the client's CSV output (record %ld)", st->e->d->name,
			 nrows + 1);
}

static int
run_remote(struct engine_stmt *st, struct ic_error *err)
{
	struct engine *e = st->e;
	struct sbuf sql = { 0 }, in = { 0 }, out = { 0 };
	struct argv extra = { 0 };
	int rc = -1;

	if (render(st, &sql, &extra, err) != 0)
		goto out;
	e->d->query_input(&in, sbuf_str(&sql), 1);
	if (in.oom) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	if (engine_run(e, NULL, sbuf_str(&in), (const char *const *)extra.v, &out, "query failed",
		       err) != 0)
		goto out;
	rc = parse_csv(st, out.s ? out.s : "", out.len, err);
out:
	sbuf_free(&sql);
	sbuf_free(&in);
	sbuf_free(&out);
	argv_free(&extra);
	return rc;
}

int
engine_step(struct engine_stmt *st, struct ic_error *err)
{
	if (st->st) {
		int r = sqlite3_step(st->st);
		if (r == SQLITE_ROW)
			return 1;
		if (r == SQLITE_DONE)
			return 0;
		return db_error(st->e->db, "running a query", err);
	}
	if (!st->ran) {
		st->ran = 1;
		if (run_remote(st, err) != 0) {
			st->nrows = 0;
			return -1;
		}
	}
	if (st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return 0;
	}
	st->row++;
	return 1;
}

void
engine_reset(struct engine_stmt *st)
{
	if (st->st) {
		sqlite3_reset(st->st);
		return;
	}
	free(st->fields);
	st->fields = NULL;
	sbuf_free(&st->text);
	st->ran = 0;
	st->nrows = 0;
	st->ncols = 0;
	st->row = -1;
}

int
engine_column_count(const struct engine_stmt *st)
{
	if (st->st)
		return sqlite3_column_count(st->st);
	return st->ncols;
}

static const struct field *
field_at(const struct engine_stmt *st, int i)
{
	if (st->row < 0 || st->row >= st->nrows || i < 0 || i >= st->ncols)
		return NULL;
	return &st->fields[(size_t)st->row * (size_t)st->ncols + (size_t)i];
}

enum engine_type
engine_column_type(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st) {
		switch (sqlite3_column_type(st->st, i)) {
		case SQLITE_INTEGER: return ENGINE_INT;
		case SQLITE_FLOAT: return ENGINE_REAL;
		case SQLITE_NULL: return ENGINE_NULL;
		default: return ENGINE_TEXT;
		}
	}
	f = field_at(st, i);
	return f ? f->t : ENGINE_NULL;
}

/* SQLite's reading of text as a number: the longest numeric prefix. */
static double
text_number(const char *s, int64_t *iv, int *is_int)
{
	size_t n = 0;
	double d = 0;

	*is_int = 0;
	*iv = 0;
	while (s[n] == ' ' || s[n] == '\t')
		n++;
	s += n;
	for (n = 1; s[n - 1]; n++) {
		double x;
		int64_t v;
		if (is_int_text(s, n, &v)) {
			*iv = v;
			*is_int = 1;
			d = (double)v;
		} else if (number_parse(s, n, &x) == NUM_OK) {
			*is_int = 0;
			d = x;
		}
		if (n > 64)
			break;
	}
	return d;
}

int64_t
engine_column_int64(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return sqlite3_column_int64(st->st, i);
	f = field_at(st, i);
	if (f == NULL)
		return 0;
	switch (f->t) {
	case ENGINE_INT:
		return f->i;
	case ENGINE_REAL:
		if (!(f->d == f->d))
			return 0;
		if (f->d >= 9.2233720368547758e18)
			return INT64_MAX;
		if (f->d <= -9.2233720368547758e18)
			return INT64_MIN;
		return (int64_t)f->d;
	case ENGINE_TEXT: {
		int64_t v;
		int is_int;
		double d = text_number(f->s, &v, &is_int);
		if (is_int)
			return v;
		if (d >= 9.2233720368547758e18)
			return INT64_MAX;
		if (d <= -9.2233720368547758e18)
			return INT64_MIN;
		return (int64_t)d;
	}
	default:
		return 0;
	}
}

double
engine_column_double(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return sqlite3_column_double(st->st, i);
	f = field_at(st, i);
	if (f == NULL)
		return 0;
	switch (f->t) {
	case ENGINE_INT:
		return (double)f->i;
	case ENGINE_REAL:
		return f->d;
	case ENGINE_TEXT: {
		int64_t v;
		int is_int;
		return text_number(f->s, &v, &is_int);
	}
	default:
		return 0;
	}
}

const char *
engine_column_text(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return (const char *)sqlite3_column_text(st->st, i);
	f = field_at(st, i);
	if (f == NULL || f->t == ENGINE_NULL)
		return NULL;
	return f->s;
}

void
engine_finalize(struct engine_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->st);
	for (int i = 0; st->params && i < st->nparams; i++)
		free(st->params[i].s);
	free(st->params);
	free(st->sql);
	free(st->fields);
	sbuf_free(&st->text);
	free(st);
}

int
engine_exec(struct engine *e, const char *sql, const char *what, struct ic_error *err)
{
	if (e->d->kind == ENGINE_SQLITE) {
		struct sbuf x = { 0 };
		int rc;
		if (engine_expand(e, sql, &x, err) != 0)
			return -1;
		rc = db_exec(e->db, sbuf_str(&x), what, err);
		sbuf_free(&x);
		return rc;
	}
	return engine_run_sql(e, NULL, sql, what, err);
}

/* ---- bulk load ---- */

#define LOAD_FLUSH (256 * 1024)

struct engine_load {
	struct engine *e;
	int ncols, col;
	int failed;
	struct ic_error ferr;		/* first error of a value (SQLite) */
	/* sqlite */
	sqlite3_stmt *ins;
	/* remote: the client starts with the first rows (a load of no rows
	 * runs nothing: ClickHouse refuses an empty INSERT) */
	struct argv argv;
	int started;
	struct eproc p;
	struct sbuf buf;
	long rows;
};

struct engine_load *
engine_load_begin(struct engine *e, const char *table, const char *const *cols, int ncols,
		  struct ic_error *err)
{
	struct engine_load *l = calloc(1, sizeof *l);

	if (l == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	l->e = e;
	l->ncols = ncols;
	if (e->d->kind == ENGINE_SQLITE) {
		struct sbuf sql = { 0 };
		sbuf_printf(&sql, "INSERT INTO %s(", table);
		for (int i = 0; i < ncols; i++)
			sbuf_printf(&sql, "%s%s", i ? ", " : "", cols[i]);
		sbuf_puts(&sql, ") VALUES(");
		for (int i = 0; i < ncols; i++)
			sbuf_puts(&sql, i ? ", ?" : "?");
		sbuf_puts(&sql, ")");
		if (sql.oom) {
			ic_errorf(err, "out of memory");
		} else {
			l->ins = db_prepare(e->db, sbuf_str(&sql), err);
		}
		sbuf_free(&sql);
		if (l->ins == NULL) {
			free(l);
			return NULL;
		}
		return l;
	}
	base_argv(e, NULL, &l->argv);
	e->d->load_argv(&l->argv, table, cols, ncols);
	if (l->argv.oom) {
		argv_free(&l->argv);
		free(l);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	return l;
}

static void
load_sep(struct engine_load *l)
{
	if (l->col++ > 0)
		sbuf_putc(&l->buf, l->e->d->load_csv ? ',' : '\t');
}

void
engine_load_int64(struct engine_load *l, int64_t v)
{
	if (l->ins) {
		sqlite3_bind_int64(l->ins, ++l->col, v);
		return;
	}
	load_sep(l);
	sbuf_printf(&l->buf, "%lld", (long long)v);
}

void
engine_load_double(struct engine_load *l, double v)
{
	if (l->ins) {
		sqlite3_bind_double(l->ins, ++l->col, v);
		return;
	}
	load_sep(l);
	if (!isfinite(v)) {
		/* billing quantities are finite (number_parse refuses the rest) */
		sbuf_puts(&l->buf, "\\N");
		return;
	}
	sbuf_printf(&l->buf, "%.17g", v);
}

void
engine_load_text(struct engine_load *l, const char *s, size_t len)
{
	if (l->ins) {
		sqlite3_bind_text(l->ins, ++l->col, s, (int)len, SQLITE_TRANSIENT);
		return;
	}
	load_sep(l);
	if (l->e->d->load_csv) {
		/* always quoted: "\N" quoted is text, not NULL */
		sbuf_putc(&l->buf, '"');
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				sbuf_putc(&l->buf, '"');
			sbuf_putc(&l->buf, s[i]);
		}
		sbuf_putc(&l->buf, '"');
		return;
	}
	/* COPY text format: one line per row, backslash escapes */
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\': sbuf_put(&l->buf, "\\\\", 2); break;
		case '\n': sbuf_put(&l->buf, "\\n", 2); break;
		case '\r': sbuf_put(&l->buf, "\\r", 2); break;
		case '\t': sbuf_put(&l->buf, "\\t", 2); break;
		default: sbuf_putc(&l->buf, s[i]);
		}
	}
}

void
engine_load_text_array(struct engine_load *l, const char *const *v, int n)
{
	struct sbuf a = { 0 };

	if (l->ins) {
		/* SQLite has no arrays: a JSON array of strings */
		cJSON *j = cJSON_CreateStringArray(v, n);
		char *s = j ? cJSON_PrintUnformatted(j) : NULL;
		cJSON_Delete(j);
		if (s == NULL && !l->failed) {
			l->failed = 1;
			ic_errorf(&l->ferr, "out of memory");
		}
		sqlite3_bind_text(l->ins, ++l->col, s ? s : "[]", -1, SQLITE_TRANSIENT);
		free(s);
		return;
	}
	/* the array's literal, then as any text: ClickHouse reads an Array
	 * from a CSV field holding ['a','b\'c'] (backslash escapes),
	 * PostgreSQL from {"a","b\"c"} (backslash escapes again under COPY's) */
	sbuf_putc(&a, l->e->d->load_csv ? '[' : '{');
	for (int i = 0; i < n; i++) {
		char q = l->e->d->load_csv ? '\'' : '"';
		if (i)
			sbuf_putc(&a, ',');
		sbuf_putc(&a, q);
		for (const char *p = v[i]; *p; p++) {
			if (*p == q || *p == '\\')
				sbuf_putc(&a, '\\');
			sbuf_putc(&a, *p);
		}
		sbuf_putc(&a, q);
	}
	sbuf_putc(&a, l->e->d->load_csv ? ']' : '}');
	if (a.oom)
		l->buf.oom = 1;
	else
		engine_load_text(l, a.s, a.len);
	sbuf_free(&a);
}

void
engine_load_null(struct engine_load *l)
{
	if (l->ins) {
		sqlite3_bind_null(l->ins, ++l->col);
		return;
	}
	load_sep(l);
	sbuf_puts(&l->buf, "\\N");
}

static int
load_flush(struct engine_load *l, struct ic_error *err)
{
	if (l->buf.oom)
		return ic_errorf(err, "out of memory");
	if (l->buf.len == 0)
		return 0;
	if (!l->started) {
		if (eproc_start(&l->p, l->e, l->argv.v, NULL, err) != 0)
			return -1;
		l->started = 1;
	}
	if (eproc_write(&l->p, l->buf.s, l->buf.len, err) != 0)
		return -1;
	l->buf.len = 0;
	return 0;
}

int
engine_load_row(struct engine_load *l, struct ic_error *err)
{
	if (l->failed)
		return ic_errorf(err, "%s: the load has already failed", l->e->d->name);
	if (l->col != l->ncols) {
		l->failed = 1;
		return ic_errorf(err, "%s: a row has %d values for %d columns", l->e->d->name, l->col,
				 l->ncols);
	}
	l->col = 0;
	l->rows++;
	if (l->ins) {
		int r = sqlite3_step(l->ins);
		sqlite3_reset(l->ins);
		sqlite3_clear_bindings(l->ins);
		if (r != SQLITE_DONE) {
			l->failed = 1;
			return db_error(l->e->db, "loading rows", err);
		}
		return 0;
	}
	sbuf_putc(&l->buf, '\n');
	if (l->buf.len >= LOAD_FLUSH && load_flush(l, err) != 0) {
		l->failed = 1;
		return -1;
	}
	return 0;
}

int
engine_load_end(struct engine_load *l, struct ic_error *err)
{
	int rc = 0, status;

	if (l->ins) {
		sqlite3_finalize(l->ins);
		rc = l->failed ? ic_errorf(err, "%s: the load has failed", l->e->d->name) : 0;
		free(l);
		return rc;
	}
	if (l->failed || l->col != 0) {
		engine_load_abort(l);
		return ic_errorf(err, "%s: the load was left unfinished", "engine");
	}
	if (load_flush(l, err) != 0) {
		engine_load_abort(l);
		return -1;
	}
	if (l->started) {
		status = eproc_finish(&l->p, err);
		if (status != 0) {
			if (status > 0)
				client_error(l->e, &l->p, status, "loading rows", err);
			rc = -1;
		}
		sbuf_free(&l->p.errbuf);
	}
	argv_free(&l->argv);
	sbuf_free(&l->buf);
	free(l);
	return rc;
}

void
engine_load_abort(struct engine_load *l)
{
	if (l == NULL)
		return;
	if (l->ins)
		sqlite3_finalize(l->ins);
	else if (l->started)
		eproc_kill(&l->p);
	argv_free(&l->argv);
	sbuf_free(&l->buf);
	free(l);
}

/* ---- opening ---- */

static const struct engine_dialect *
dialect_of(enum engine_kind k)
{
	switch (k) {
	case ENGINE_CLICKHOUSE: return &engine_dialect_clickhouse;
	case ENGINE_POSTGRESQL: return &engine_dialect_postgresql;
	default: return &engine_dialect_sqlite;
	}
}

struct engine *
engine_wrap_sqlite(sqlite3 *db)
{
	struct engine *e = calloc(1, sizeof *e);

	if (e == NULL)
		return NULL;
	e->url.kind = ENGINE_SQLITE;
	e->d = &engine_dialect_sqlite;
	e->db = db;
	return e;
}

struct engine *
engine_open(const char *url, enum db_mode mode, struct ic_error *err)
{
	struct engine *e = calloc(1, sizeof *e);
	const char *client;

	if (e == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (engine_url_parse(url, &e->url, err) != 0)
		goto fail;
	e->d = dialect_of(e->url.kind);
	if (e->url.kind == ENGINE_SQLITE) {
		e->db = db_open(e->url.path, mode, err);
		if (e->db == NULL)
			goto fail;
		e->own_db = 1;
		return e;
	}
	client = getenv(e->d->client_env);
	if (client == NULL || *client == '\0')
		client = e->d->client_name;
	if (find_program(client, e->client, sizeof e->client) != 0) {
		ic_errorf(err, "%s: %s not found on PATH (install it, or name it in $%s)", e->d->name,
			  client, e->d->client_env);
		goto fail;
	}
	if (e->d->schema(e, mode == DB_WRITE, err) != 0)
		goto fail;
	return e;
fail:
	engine_close(e);
	return NULL;
}

void
engine_close(struct engine *e)
{
	if (e == NULL)
		return;
	if (e->own_db)
		db_close(e->db);
	free(e->shards);
	free(e);
}

enum engine_kind
engine_kind(const struct engine *e)
{
	return e->d->kind;
}

const char *
engine_name(const struct engine *e)
{
	return e->d->name;
}

sqlite3 *
engine_sqlite(struct engine *e)
{
	return e->d->kind == ENGINE_SQLITE ? e->db : NULL;
}

const struct engine_url *
engine_url(const struct engine *e)
{
	return &e->url;
}

/* *n = the first column of sql's one row */
static int
one_count(struct engine *e, const char *sql, int64_t *n, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(e, sql, err);
	int r;

	if (st == NULL)
		return -1;
	r = engine_step(st, err);
	if (r == 1)
		*n = engine_column_int64(st, 0);
	engine_finalize(st);
	if (r != 1)
		return r < 0 ? -1 : ic_errorf(err, "%s: no answer from %s", e->d->name, sql);
	return 0;
}

int
engine_tag_store(struct engine *e, int columns_only, int *has, struct ic_error *err)
{
	int64_t n = 0;

	*has = 1;
	if (e->d->kind == ENGINE_SQLITE)
		return 0;
	if (one_count(e, e->d->kind == ENGINE_CLICKHOUSE ?
		      "SELECT count() AS n FROM system.columns WHERE database = currentDatabase()"
		      " AND table = 'charges_data' AND name IN ('TagKeys', 'TagValues')" :
		      "SELECT count(*) AS n FROM information_schema.columns WHERE table_schema ="
		      " current_schema() AND table_name = 'charges_data'"
		      " AND column_name IN ('tagkeys', 'tagvalues')", &n, err) != 0)
		return -1;
	*has = n == 2;
	if (!*has || columns_only || e->d->kind != ENGINE_POSTGRESQL)
		return 0;
	if (one_count(e, "SELECT count(*) AS n FROM charges WHERE TagKeys IS NULL", &n, err) != 0)
		return -1;
	*has = n == 0;
	return 0;
}

int
engine_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err)
{
	if (n <= 0)
		return 0;
	return e->d->delete_imports(e, ids, n, err);
}

/* ---- the remote schema (engine.h) ---- */

static const struct engine_column charges_cols[] = {
	{ "import_id", EC_INT },
	{ "SourceLine", EC_INT },
	{ "BilledCostNanos", EC_INT },
	{ "EffectiveCostNanos", EC_INT },
	{ "ListCostNanos", EC_INT_NULL },
	{ "ContractedCostNanos", EC_INT_NULL },
	{ "ConsumedQuantity", EC_REAL_NULL },
	{ "PricingQuantity", EC_REAL_NULL },
	{ "ChargePeriodStart", EC_INT },
	{ "ChargePeriodEnd", EC_INT },
	{ "BillingPeriodStart", EC_INT },
	{ "BillingPeriodEnd", EC_INT },
	{ "BillingCurrency", EC_TEXT },
	{ "ProviderName", EC_TEXT },
	{ "BillingAccountId", EC_TEXT },
	{ "SubAccountId", EC_TEXT_NULL },
	{ "ChargeCategory", EC_TEXT },
	{ "ChargeClass", EC_TEXT_NULL },
	{ "ChargeFrequency", EC_TEXT_NULL },
	{ "ChargeDescription", EC_TEXT_NULL },
	{ "PricingCategory", EC_TEXT_NULL },
	{ "CommitmentDiscountId", EC_TEXT_NULL },
	{ "CommitmentDiscountType", EC_TEXT_NULL },
	{ "CommitmentDiscountStatus", EC_TEXT_NULL },
	{ "CommitmentDiscountCategory", EC_TEXT_NULL },
	{ "ServiceName", EC_TEXT_NULL },
	{ "ServiceCategory", EC_TEXT_NULL },
	{ "RegionId", EC_TEXT_NULL },
	{ "AvailabilityZone", EC_TEXT_NULL },
	{ "ResourceId", EC_TEXT_NULL },
	{ "ResourceType", EC_TEXT_NULL },
	{ "SkuId", EC_TEXT_NULL },
	{ "ConsumedUnit", EC_TEXT_NULL },
	{ "PricingUnit", EC_TEXT_NULL },
	{ "Tags", EC_TEXT_NULL },
	{ "x_InstanceType", EC_TEXT_NULL },
	{ "x_UsageType", EC_TEXT_NULL },
	{ "x_Operation", EC_TEXT_NULL },
	{ "x_Platform", EC_TEXT_NULL },
	{ "x_LineItemType", EC_TEXT_NULL },
	/* x_ServiceCode (SQLite schema 6) is not carried to remote engines yet:
	 * their tables would need it added in place */
	/* the tag store of remote engines: Tags's folded keys and their
	 * values (tag_pairs_get), filled by import --engine; the last two
	 * columns (ENGINE_TAG_COLS), added in place to older tables */
	{ "TagKeys", EC_TEXT_ARRAY },
	{ "TagValues", EC_TEXT_ARRAY },
};

static const struct engine_column usage_cols[] = {
	{ "resource_id", EC_TEXT },
	{ "ts", EC_INT },
	{ "metric", EC_TEXT },
	{ "value", EC_REAL },
	{ "unit", EC_TEXT_NULL },
	{ "import_id", EC_INT },
};

static const struct engine_column batches_cols[] = {
	{ "id", EC_INT },
	{ "label", EC_TEXT_NULL },
	{ "created_at", EC_TEXT },
};

static const struct engine_column imports_cols[] = {
	{ "id", EC_INT },
	{ "batch_id", EC_INT },
	{ "path", EC_TEXT },
	{ "sha256", EC_TEXT },
	{ "format", EC_TEXT },
	{ "kind", EC_TEXT },
	{ "records", EC_INT },
	{ "rows", EC_INT },
	{ "warnings", EC_TEXT_NULL },
	{ "imported_at", EC_TEXT },
};

static const struct engine_column periods_cols[] = {
	{ "import_id", EC_INT },
	{ "batch_id", EC_INT },
	{ "provider", EC_TEXT },
	{ "billing_account_id", EC_TEXT },
	{ "billing_period_start", EC_INT },
	{ "billing_period_end", EC_INT },
	{ "currency", EC_TEXT },
	{ "rows", EC_INT },
	{ "billed_cost_nanos", EC_INT },
	{ "effective_cost_nanos", EC_INT },
};

static const struct engine_column commits_cols[] = {
	{ "batch_id", EC_INT },
	{ "committed_at", EC_TEXT },
};

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

const struct engine_table engine_tables[ET_COUNT] = {
	[ET_CHARGES] = { "charges_data", COLS(charges_cols),
			 "(BillingPeriodStart, ChargePeriodStart, import_id)", "BillingPeriodStart" },
	[ET_USAGE] = { "usage_data", COLS(usage_cols), "(resource_id, metric, ts)", "ts" },
	[ET_BATCHES] = { "batches", COLS(batches_cols), "id", NULL },
	[ET_IMPORTS] = { "imports", COLS(imports_cols), "id", NULL },
	[ET_IMPORT_PERIODS] = { "import_periods", COLS(periods_cols),
				"(provider, billing_account_id, billing_period_start, batch_id)", NULL },
	[ET_COMMITS] = { "commits", COLS(commits_cols), "batch_id", NULL },
};
