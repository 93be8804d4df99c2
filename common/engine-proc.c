/*
 * engine-proc.c - running a remote engine's command-line client through
 * pipes (engine-int.h): argv building, finding the client on $PATH,
 * feeding its stdin while draining its stdout and stderr, reaping it and
 * turning its stderr into one error line.  Split from engine.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/engine-int.h"
#include "common/procenv.h"

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

/* ---- running the client ---- */


#define ERRBUF_MAX 65536

/* Find prog on $PATH (or take it as a path when it has a '/'). */
int
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

int
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
int
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
int
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
void
eproc_kill(struct eproc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		close_fd(&p->in);
		eproc_finish(p, NULL);
	}
	sbuf_free(&p->errbuf);
}

void
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

void
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
