#!/usr/bin/env bash
# Measures build/inventario (what `make bench` runs) on a demo shop of 5000
# products and 20000 sales: wrk against the product list, search, barcode
# lookup, dashboard (month, year) and sale creation, then the server's peak
# RSS. Prints a markdown table and writes it to build/bench.md.
# Environment: DATABASE_URL (default: a fresh SQLite file in a temp dir),
# BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# BENCH_PRODUCTS (5000), BENCH_SALES (20000), BENCH_STRICT=1 to exit 1 when
# a target is missed.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
bin=${INVENTARIO_BIN:-$repo/build/inventario}
seconds=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
n_products=${BENCH_PRODUCTS:-5000}
n_sales=${BENCH_SALES:-20000}
password="Mostrador-Lienzo-4817"

command -v wrk >/dev/null || { echo "wrk is missing (make deps)" >&2; exit 1; }
[ -x "$bin" ] || { echo "no $bin (make build/inventario)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/inventario-bench.XXXXXX")
server_pid=""
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL=${DATABASE_URL:-sqlite:///$work/db.sqlite3}
export SECRET_KEY
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
export DEBUG=0
export ALLOWED_HOSTS=127.0.0.1,localhost
export INVENTARIO_TEMPLATES=$repo/templates
export INVENTARIO_STATIC=$repo/static
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cd "$work" # no .env from the repository
echo "migrate and seed ($n_products products, $n_sales sales)..."
t0=$(date +%s)
"$bin" migrate >"$work/setup.log" 2>&1
"$bin" seed-demo --password "$password" --products "$n_products" --sales "$n_sales" \
	>>"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
echo "seeded in $(($(date +%s) - t0)) s"

"$bin" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
	curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
	sleep 0.1
done

# Log in as the demo owner and prepare the data the POST endpoints need:
# a real barcode, and 20 products with stock for 1,000,000 units each so
# sales never run out. Everything goes through HTTP, so PostgreSQL works too.
python3 - "$port" "$password" >"$work/session.env" <<'EOF'
import http.client, re, sys, urllib.parse, secrets

port, password = int(sys.argv[1]), sys.argv[2]
cookies = {}

def req(method, path, body=None, headers=None):
    h = {"Host": "127.0.0.1:%d" % port}
    if cookies:
        h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    h.update(headers or {})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body, h)
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    for sc in r.msg.get_all("Set-Cookie") or []:
        name, _, value = sc.split(";")[0].partition("=")
        cookies[name.strip()] = value.strip()
    c.close()
    return r.status, r.getheader("Location"), data

def token(html):
    m = re.search(r'<meta[^>]*name="csrf-token"[^>]*content="([^"]*)"', html) or \
        re.search(r'name="csrfmiddlewaretoken"[^>]*value="([^"]*)"', html)
    return m.group(1)

def post_form(path, fields, tok):
    body = urllib.parse.urlencode([("csrfmiddlewaretoken", tok)] + list(fields.items()))
    return req("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

_, _, html = req("GET", "/login/")
st, loc, _ = post_form("/login/", {"username": "admin", "password": password}, token(html))
if st != 302:
    sys.exit("login failed: %d" % st)
_, _, html = req("GET", "/productos/?page=1")
tok = token(html)
barcode = re.search(r'data-barcode="([^"]+)"', html).group(1)
ids = []
for i in range(20):
    bc = "99%011d" % secrets.randbelow(10**11)
    st, _, _ = post_form("/productos/nuevo/", {
        "nombre": "Bench %02d" % i, "codigo_de_barras": bc, "categoria": "Bench",
        "precio_compra": "700", "precio": "1000", "stock": "1000000", "stock_minimo": "0",
        "iva_porcentaje": "19"}, tok)
    if st != 302:
        sys.exit("creating a bench product failed: %d" % st)
    _, _, html = req("GET", "/productos/?q=" + bc)
    ids.append(re.search(r'data-barcode="%s"[^>]*data-id="(\d+)"' % bc, html).group(1))
_, _, html = req("GET", "/dashboard/")
print("COOKIE='%s'" % "; ".join("%s=%s" % kv for kv in cookies.items()))
print("CSRF='%s'" % token(html))
print("BARCODE='%s'" % barcode)
print("SALE_IDS='%s'" % ",".join(ids))
EOF
# shellcheck disable=SC1091
. "$work/session.env"
export BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF BENCH_BARCODE=$BARCODE BENCH_SALE_IDS=$SALE_IDS

# One Lua script for every run: the mode comes from the environment. It has
# no response() callback: wrk then parses every body in Lua, and on a 2-core
# box that costs the server a third of its CPU. Wrong answers are counted from
# wrk's own non-2xx/3xx total, and a lost session (a 302 to the login page,
# which wrk counts as success) by checking the session after each run.
cat >"$work/bench.lua" <<'EOF'
local mode = os.getenv("BENCH_MODE")
local threads = {}
local counter = 0
local ids = {}
-- A global, so that setup() can reach it through thread:set.
tid = 0

wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept"] = "application/json"
if mode ~= "get" then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-CSRFToken"] = os.getenv("BENCH_CSRF")
else
  wrk.headers["Accept"] = "text/html"
end
if mode == "lookup" then
  wrk.body = '{"codigo_barras": "' .. os.getenv("BENCH_BARCODE") .. '"}'
end

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tid or 0
  for id in string.gmatch(os.getenv("BENCH_SALE_IDS") or "", "%d+") do
    table.insert(ids, id)
  end
  math.randomseed(os.time() + tid * 7919)
end

-- Only sales need a new body per request; for the rest wrk sends one
-- prepared request, with no Lua call per request.
if mode == "sale" then
  function request()
    counter = counter + 1
    local id = ids[(counter + tid) % #ids + 1]
    local body = '{"items": [{"producto_id": ' .. id .. ', "cantidad": "1"}],'
      .. ' "forma_pago": "Efectivo", "monto_recibido": "", "banco": "", "referencia": "",'
      .. ' "cliente": "", "cliente_id": null, "idempotency_key": "b-' .. tid .. '-'
      .. counter .. '-' .. math.random(1, 1000000000) .. '"}'
    return wrk.format(nil, nil, nil, body)
  end
end

EOF

rows=""
missed=0

# to_ms "1.23ms" | "850.00us" | "1.20s" -> milliseconds
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000; else if (v ~ /s$/) n = n * 1000
		printf "%.2f", n }'
}

# True while the benchmark's session still opens the sales list (200, not a
# redirect to the login page).
session_ok() {
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" \
		"http://127.0.0.1:$port/ventas/")" = 200 ]
}

# bench NAME MODE PATH TARGET_RPS (0 = none)
bench() {
	local name=$1 mode=$2 path=$3 target=$4 out rps p99 unexpected sock errors verdict
	out="$work/wrk-$mode-$RANDOM.txt"
	BENCH_MODE=$mode wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency \
		-s "$work/bench.lua" "http://127.0.0.1:$port$path" >"$out" 2>&1 || true
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {print $2}' "$out")
	unexpected=$(awk '/Non-2xx or 3xx responses:/ {print $4}' "$out")
	session_ok || unexpected=$((${unexpected:-0} + 1))
	sock=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$out")
	errors=$((${unexpected:-0} + ${sock:-0}))
	rps=${rps:-0}
	if [ "$target" = 0 ]; then
		verdict="(report)"
	elif awk -v r="$rps" -v t="$target" -v e="$errors" 'BEGIN { exit !(r >= t && e == 0) }'; then
		verdict=">= $target ok"
	else
		verdict=">= $target MISSED"
		missed=1
	fi
	printf '%-22s %10s req/s  p99 %8s  errors %s\n' "$name" "$rps" "${p99:-?}" "$errors" >&2
	rows="$rows| $name | $(printf '%.0f' "$rps") | $(to_ms "${p99:-0}") ms | $errors | $verdict |"$'\n'
	# Requests still queued in the server when wrk stops (slow searches)
	# would otherwise be counted against the next endpoint.
	sleep 3
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "server died during $name:" >&2
		tail -n 40 "$work/server.log" >&2
		exit 1
	fi
}

echo "wrk -t$threads -c$conns -d${seconds}s against 127.0.0.1:$port" >&2
bench "product list page 3" get "/productos/?page=3" 10000
bench "product search" get "/productos/?q=arroz" 0
bench "barcode lookup" lookup "/ventas/api/buscar-producto/" 20000
bench "dashboard month" get "/dashboard/?periodo=mes" 3000
bench "dashboard year" get "/dashboard/?periodo=anio" 1000
bench "sale creation" sale "/ventas/nueva/" 2000

rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
if [ "$rss_kb" -le $((64 * 1024)) ]; then
	rss_verdict="<= 64 MB ok"
else
	rss_verdict="<= 64 MB MISSED"
	missed=1
fi

db_kind=${DATABASE_URL%%:*}
mkdir -p "$repo/build"
{
	echo "## Inventario benchmark"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $db_kind, $n_products products, $n_sales sales;" \
		"wrk -t$threads -c$conns -d${seconds}s. Errors are socket errors, non-2xx/3xx answers" \
		"and a lost session."
	echo
	echo "| endpoint | req/s | p99 | errors | target |"
	echo "|---|---:|---:|---:|---|"
	printf '%s' "$rows"
	echo
	echo "Peak RSS (VmHWM): $rss_mb MB ($rss_verdict)"
} | tee "$repo/build/bench.md"

if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$missed" = 1 ]; then
	exit 1
fi
