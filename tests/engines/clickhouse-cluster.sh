#!/bin/sh
# clickhouse-cluster.sh - start or stop a two-shard ClickHouse cluster on
# loopback for the engine tests (tests/e2e/t-engines.sh).
#
#   clickhouse-cluster.sh start DIR   start two servers with data under DIR;
#                                     prints "PORT1 PORT2" (native TCP ports;
#                                     both serve the cluster "imcost")
#   clickhouse-cluster.sh stop DIR    stop them (no-op when not running)
#
# Each server gets its own config (free ports, data and logs under DIR), and
# both know the cluster "imcost": shard 1 is server 1, shard 2 is server 2,
# so a Distributed table on either spreads rows over both.  Runs the
# servers as the invoking user (ClickHouse does not refuse root); a server
# that does not answer within 60 s counts as failed (exit 1, log on stderr).
set -eu

cmd=${1:?usage: clickhouse-cluster.sh start|stop DIR}
dir=${2:?usage: clickhouse-cluster.sh start|stop DIR}
here=$(cd "$(dirname "$0")" && pwd)

server_bin() {
	for b in clickhouse-server /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do
		command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
	done
	return 1
}

write_config() {	# N TCP HTTP INTER TCP1 TCP2
	n=$1
	d=$dir/ch$n
	mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/log"
	cat > "$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
	cat > "$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/log/server.log</log>
    <errorlog>$d/log/server.err.log</errorlog>
    <size>100M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$2</tcp_port>
  <http_port>$3</http_port>
  <interserver_http_port>$4</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>64</max_connections>
  <max_concurrent_queries>32</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <imcost>
      <shard><replica><host>127.0.0.1</host><port>$5</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$6</port></replica></shard>
    </imcost>
  </remote_servers>
</yandex>
XML
}

case $cmd in
start)
	bin=$(server_bin) || { echo "clickhouse-server not found" >&2; exit 1; }
	command -v clickhouse-client >/dev/null 2>&1 || { echo "clickhouse-client not found" >&2; exit 1; }
	mkdir -p "$dir"
	set -- $(python3 "$here/free-ports.py" 6)
	t1=$1 h1=$2 i1=$3 t2=$4 h2=$5 i2=$6
	write_config 1 "$t1" "$h1" "$i1" "$t1" "$t2"
	write_config 2 "$t2" "$h2" "$i2" "$t1" "$t2"
	for n in 1 2; do
		(cd "$dir/ch$n" && exec "$bin" --config-file="$dir/ch$n/config.xml" \
			>"$dir/ch$n/log/stdout.log" 2>&1) &
		echo $! > "$dir/ch$n/pid"
	done
	for n in 1 2; do
		eval port=\$t$n
		ok=0
		i=0
		while [ $i -lt 120 ]; do
			if clickhouse-client --host 127.0.0.1 --port "$port" --query 'SELECT 1' >/dev/null 2>&1; then
				ok=1
				break
			fi
			if ! kill -0 "$(cat "$dir/ch$n/pid")" 2>/dev/null; then
				break
			fi
			sleep 0.5
			i=$((i + 1))
		done
		if [ $ok = 0 ]; then
			echo "clickhouse server $n did not start; its log:" >&2
			tail -20 "$dir/ch$n/log/server.err.log" "$dir/ch$n/log/stdout.log" >&2 2>/dev/null || true
			"$0" stop "$dir"
			exit 1
		fi
	done
	echo "$t1 $t2"
	;;
stop)
	for n in 1 2; do
		f=$dir/ch$n/pid
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do
				sleep 0.25
				i=$((i + 1))
			done
			kill -KILL "$pid" 2>/dev/null || true
		fi
		rm -f "$f"
	done
	;;
*)
	echo "usage: clickhouse-cluster.sh start|stop DIR" >&2
	exit 2
	;;
esac
