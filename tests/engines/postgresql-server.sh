#!/bin/sh
# postgresql-server.sh - start or stop a throw-away PostgreSQL server on
# loopback for the engine tests (tests/e2e/t-engines.sh).
#
#   postgresql-server.sh start DIR   initdb under DIR, start on a free port;
#                                    prints the port; database "imcost",
#                                    user "imcost", trust auth on 127.0.0.1
#   postgresql-server.sh stop DIR    stop it (no-op when not running)
#
# PostgreSQL refuses to run as root: as root the cluster belongs to
# "nobody" (DIR is handed to that user, and its parents must let nobody
# through, e.g. a fresh mktemp -d under /tmp) and the server runs through
# runuser.  The cluster uses the C locale and UTF-8.
set -eu

cmd=${1:?usage: postgresql-server.sh start|stop DIR}
dir=${2:?usage: postgresql-server.sh start|stop DIR}
here=$(cd "$(dirname "$0")" && pwd)

pgbin() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	p=$(command -v pg_ctl 2>/dev/null) && { dirname "$p"; return 0; }
	return 1
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	bin=$(pgbin) || { echo "pg_ctl not found" >&2; exit 1; }
	command -v psql >/dev/null 2>&1 || { echo "psql not found" >&2; exit 1; }
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		# nobody must also be able to reach DIR through its parents
		chown nobody "$dir"
	fi
	port=$(python3 "$here/free-ports.py" 1)
	as_owner "$bin/initdb" -D "$dir/data" -U imcost --auth=trust --locale=C -E UTF8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=64MB" \
		start >"$dir/pg_ctl.log" 2>&1; then
		echo "postgresql did not start; its log:" >&2
		tail -20 "$dir/server.log" "$dir/pg_ctl.log" >&2 2>/dev/null || true
		exit 1
	fi
	echo "$port" > "$dir/port"
	psql -h 127.0.0.1 -p "$port" -U imcost -d postgres -qAt -c 'CREATE DATABASE imcost' >/dev/null
	echo "$port"
	;;
stop)
	bin=$(pgbin) || exit 0
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	;;
*)
	echo "usage: postgresql-server.sh start|stop DIR" >&2
	exit 2
	;;
esac
