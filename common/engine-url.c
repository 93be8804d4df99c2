/*
 * engine-url.c - the --engine URL (engine.h): sqlite:PATH,
 * clickhouse://HOST:PORT/DB, postgresql://HOST:PORT/DB, and the default
 * when only --db is given.  Split from engine.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/engine-int.h"

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
