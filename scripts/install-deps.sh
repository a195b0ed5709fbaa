#!/usr/bin/env bash
# Installs, from Debian's packages (and npm for the browser tests), everything
# Inventario needs to build, run, test and benchmark. Safe to run again: it only
# installs what is missing. Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
mode=${1:-test}

build_pkgs="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libssl-dev libjansson-dev"
test_pkgs="clang libclang-rt-14-dev libcmocka-dev python3 python3-pytest sqlite3 wrk chromium"

pkgs=$build_pkgs
[ "$mode" = run ] || pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere with its own npm; Debian's npm conflicts with it.
if [ "$mode" != run ]; then
	command -v node >/dev/null || missing="$missing nodejs"
	command -v npm >/dev/null || missing="$missing npm"
fi
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "installing:$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ "$mode" != run ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
	(cd tests/e2e && npm install --no-audit --no-fund --silent)
fi
