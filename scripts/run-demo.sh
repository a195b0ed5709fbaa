#!/usr/bin/env bash
# What `make run` does after building: migrate, seed the demo shop when the
# database is empty, and serve on 127.0.0.1:8000 with DEBUG on.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///db.sqlite3}"
password="${DEMO_PASSWORD:-demo-inventario}"
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"

build/inventario migrate
build/inventario seed-demo --if-empty --password "$password"
echo "Inventario: http://$host:$port/  (usuario admin o vendedor, contraseña $password)"
exec build/inventario serve --host "$host" --port "$port"
