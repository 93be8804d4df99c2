#!/bin/sh
# Install the Debian packages imcost needs to build and test, when missing.
# Used by `make check`, `make demo`, `make bench` and .ci/run.  Needs root
# (or sudo) only when something is missing.
set -eu

# python3-jsonschema: tests/e2e/t-vendor-catalog.sh validates data/vendors.json
# against data/vendors.schema.json.
# fonts-wqy-microhei: Chinese glyphs in the charts (bills and vendor plans carry
# Chinese names); 5 MB installed against 90 MB for fonts-noto-cjk
PKGS="gcc make pkg-config libsqlite3-dev libcjson-dev libssl-dev zlib1g-dev
libsnappy-dev libzstd-dev libbrotli-dev liblz4-dev
gnuplot-nox fonts-wqy-microhei check libcsv-dev sqlite3 jq gzip python3
python3-jsonschema"
[ -n "${IMCOST_EXTRA_PKGS:-}" ] && PKGS="$PKGS $IMCOST_EXTRA_PKGS"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: missing packages:$missing (not a Debian system: install them by hand)" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
		echo "install-deps: missing packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
