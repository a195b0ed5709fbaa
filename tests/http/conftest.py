"""HTTP tests' harness: one real server (the ASan build under `make http`) on a
scratch database for the whole session, three accounts in two tenants, a
stdlib-only HTTP client that keeps its own cookies (the server marks them
Secure even over plain http when DEBUG is off, which http.cookiejar would
refuse to send back) and read-only access to the SQLite file for checking
stock and the ledger.
"""
import http.client
import itertools
import json as jsonlib
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("INVENTARIO_BIN") or os.path.join(REPO, "build", "asan", "inventario")

PASSWORD = "Mostrador-Lienzo-4817"
USERS = {
    "dueno": {"email": "dueno@example.com", "rol": "admin"},
    "vendedor1": {"email": "vendedor1@example.com", "rol": "vendedor", "owner": "dueno"},
    "otro": {"email": "otro@example.com", "rol": "admin"},
}
# What in a sanitizer build's stderr means a memory or UB bug.
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error", "ERROR: LeakSanitizer")

_CSRF_INPUT = re.compile(r'<input\b[^>]*\bname="csrfmiddlewaretoken"[^>]*>', re.S)
_CSRF_META = re.compile(r'<meta\b[^>]*\bname="csrf-token"[^>]*>', re.S)
_VALUE = re.compile(r'\bvalue="([^"]*)"')
_CONTENT = re.compile(r'\bcontent="([^"]*)"')
_BARCODE = re.compile(r'data-barcode="([^"]*)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def csrf_from_html(html):
    """The CSRF token a page hands out: the form's hidden input, else the meta tag."""
    m = _CSRF_INPUT.search(html)
    if m:
        v = _VALUE.search(m.group(0))
        if v:
            return v.group(1)
    m = _CSRF_META.search(html)
    if m:
        v = _CONTENT.search(m.group(0))
        if v:
            return v.group(1)
    return None


def barcodes_in(html):
    return _BARCODE.findall(html)


def parse_set_cookie(header):
    """'name=value; Path=/; HttpOnly' -> (name, value, {attr_lower: value or True})."""
    parts = header.split(";")
    name, _, value = parts[0].strip().partition("=")
    attrs = {}
    for p in parts[1:]:
        k, eq, v = p.strip().partition("=")
        if k:
            attrs[k.lower()] = v.strip() if eq else True
    return name.strip(), value.strip(), attrs


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers  # list of (name, value) as received
        self.body = body
        self.elapsed = elapsed

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all_headers(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.body)

    @property
    def location(self):
        """Location without scheme and host, so relative and absolute compare alike."""
        loc = self.header("Location")
        if loc is None:
            return None
        u = urllib.parse.urlsplit(loc)
        return u.path + ("?" + u.query if u.query else "")

    def cookies_set(self):
        return {n: (v, a) for n, v, a in map(parse_set_cookie, self.all_headers("Set-Cookie"))}

    def __repr__(self):
        return "<Response %d %s %r>" % (self.status, self.header("Content-Type"), self.body[:300])


class Client:
    """One browser-like user agent: own cookies, the last CSRF token seen."""

    def __init__(self, port, host=None):
        self.port = port
        self.host = host or "127.0.0.1:%d" % port
        self.cookies = {}
        self.token = None
        self.last_login = None

    def clone(self):
        c = Client(self.port, self.host)
        c.cookies = dict(self.cookies)
        c.token = self.token
        return c

    def request(self, method, path, body=None, headers=None, timeout=60):
        h = {"Host": self.host, "Connection": "close"}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        t0 = time.monotonic()
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if body is not None and "Content-Length" not in h:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, r.getheaders(), data, time.monotonic() - t0)
        finally:
            conn.close()
        self._remember(resp)
        return resp

    def _remember(self, resp):
        for name, (value, attrs) in resp.cookies_set().items():
            if attrs.get("max-age") == "0" or (value == "" and "expires" in attrs):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        ctype = resp.header("Content-Type") or ""
        if "html" in ctype:
            tok = csrf_from_html(resp.text)
            if tok:
                self.token = tok

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, csrf=True, headers=None):
        """fields: dict or list of pairs; the CSRF token is added unless csrf=False."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            pairs.insert(0, ("csrfmiddlewaretoken", self.csrf()))
        body = urllib.parse.urlencode(pairs).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body, h)

    def post_raw(self, path, body, content_type, csrf=True, headers=None):
        h = {"Content-Type": content_type}
        if csrf:
            h["X-CSRFToken"] = self.csrf()
        h.update(headers or {})
        return self.request("POST", path, body, h)

    def post_json(self, path, obj, csrf=True, headers=None):
        h = {"Accept": "application/json"}
        h.update(headers or {})
        return self.post_raw(path, jsonlib.dumps(obj).encode(), "application/json", csrf, h)

    def csrf(self):
        """A valid token for this client's csrftoken cookie (fetches a page if needed)."""
        if not self.token or "csrftoken" not in self.cookies:
            r = self.get("/login/" if "sessionid" not in self.cookies else "/ventas/")
            assert self.token, "no CSRF token in %r" % r
        return self.token

    def login(self, username, password=PASSWORD):
        self.token = None
        page = self.get("/login/")
        assert page.status == 200, page
        r = self.post_form("/login/", {"username": username, "password": password})
        self.last_login = r
        if r.status == 302:
            # A login rotates the CSRF secret; pick up a fresh token.
            self.token = None
            self.get(r.location)
        return r


class Db:
    """Read-only look into the server's SQLite file."""

    def __init__(self, path):
        self.path = path

    def _conn(self):
        return sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=10)

    def all(self, sql, args=()):
        c = self._conn()
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def one(self, sql, args=()):
        rows = self.all(sql, args)
        return rows[0] if rows else None

    def scalar(self, sql, args=()):
        row = self.one(sql, args)
        return row[0] if row else None

    def user_id(self, username):
        return self.scalar("SELECT id FROM usuarios WHERE username = ?", (username,))

    def product_id(self, tenant_id, barcode):
        return self.scalar(
            "SELECT id FROM productos WHERE tenant_id = ? AND codigo_de_barras = ?",
            (tenant_id, barcode),
        )

    def stock(self, product_id):
        return self.scalar("SELECT stock_milli FROM productos WHERE id = ?", (product_id,))

    def counts(self):
        """Rows that a refused request must not have changed."""
        return {
            t: self.scalar("SELECT count(*) FROM %s" % t)
            for t in ("productos", "ventas", "venta_items", "movimientos", "clientes")
        }

    def ledger_mismatches(self):
        """Products whose stock is not the sum of their movements (should be none)."""
        return self.all(
            "SELECT p.id, p.stock_milli, coalesce(sum(m.cantidad_milli), 0) AS s"
            " FROM productos p LEFT JOIN movimientos m ON m.producto_id = p.id"
            " GROUP BY p.id HAVING p.stock_milli <> s"
        )


class Server:
    def __init__(self, base_dir):
        self.dir = base_dir
        self.db_path = os.path.join(base_dir, "db.sqlite3")
        self.port = free_port()
        self.stderr_path = os.path.join(base_dir, "server.stderr")
        self.env = dict(os.environ)
        self.env.update(
            {
                "SECRET_KEY": secrets.token_urlsafe(48),
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": "sqlite:///" + self.db_path,
                "INVENTARIO_TEMPLATES": os.path.join(REPO, "templates"),
                "INVENTARIO_STATIC": os.path.join(REPO, "static"),
            }
        )
        self.proc = None
        self.stderr_file = None

    def cli(self, *args, password=None):
        env = dict(self.env)
        if password is not None:
            env["INVENTARIO_PASSWORD"] = password
        r = subprocess.run(
            [BIN, *args], cwd=self.dir, env=env, capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 0, "inventario %s failed (%d):\n%s%s" % (
            " ".join(args), r.returncode, r.stdout, r.stderr)
        for mark in SANITIZER_MARKS:
            assert mark not in r.stderr, "inventario %s: %s" % (" ".join(args), r.stderr)
        return r

    def start(self):
        self.stderr_file = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=self.dir, env=self.env, stdin=subprocess.DEVNULL,
            stdout=self.stderr_file, stderr=self.stderr_file,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s:\n%s" % (self.proc.returncode, self.stderr()))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz in 60 s:\n" + self.stderr())

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM; returns a list of problems (died early, sanitizer reports)."""
        problems = []
        if self.proc is None:
            return problems
        if self.proc.poll() is not None:
            problems.append("server died during the tests (exit %s)" % self.proc.returncode)
        else:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems.append("server did not stop within 20 s of SIGTERM")
            if self.proc.returncode not in (0, -signal.SIGTERM):
                problems.append("server exited with %s after SIGTERM" % self.proc.returncode)
        self.stderr_file.close()
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            if mark in err:
                i = err.index(mark)
                problems.append("sanitizer report in server stderr:\n" + err[max(0, i - 2000): i + 6000])
                break
        return problems


@pytest.fixture(scope="session")
def server():
    if not os.access(BIN, os.X_OK):
        pytest.exit("no server binary at %s (set INVENTARIO_BIN)" % BIN, returncode=3)
    base = tempfile.mkdtemp(prefix="inventario-http-")
    srv = Server(base)
    ok = False
    try:
        srv.cli("migrate")
        for name, u in USERS.items():
            args = ["createuser", "--username", name, "--email", u["email"], "--rol", u["rol"]]
            if "owner" in u:
                args += ["--owner", u["owner"]]
            srv.cli(*args, password=PASSWORD)
        srv.start()
        yield srv
        ok = True
    finally:
        problems = srv.stop()
        if problems:
            print("\n--- server stderr (tail) ---\n" + srv.stderr()[-4000:])
            print("kept " + base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    if ok and problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def db(server):
    return Db(server.db_path)


@pytest.fixture
def anon(server):
    return Client(server.port)


def _logged_in(server, username):
    c = Client(server.port)
    r = c.login(username)
    assert r.status == 302, "login %s: %r" % (username, r)
    return c


@pytest.fixture(scope="session")
def admin(server):
    """Owner of tenant 'dueno' (rol admin), logged in once for the session."""
    return _logged_in(server, "dueno")


@pytest.fixture(scope="session")
def seller(server):
    """'vendedor1', a seller of tenant 'dueno'."""
    return _logged_in(server, "vendedor1")


@pytest.fixture(scope="session")
def other(server):
    """Owner of a second tenant, 'otro'."""
    return _logged_in(server, "otro")


@pytest.fixture(autouse=True)
def server_still_up(request):
    """After each test, the server must still be running (a crash shows at once)."""
    yield
    if "server" in request.fixturenames:
        srv = request.getfixturevalue("server")
        assert srv.alive(), "server died:\n" + srv.stderr()[-4000:]


_seq = itertools.count(1)


def ean13(n):
    """A valid EAN-13 whose first 12 digits are n (zero-padded)."""
    body = "%012d" % n
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


def new_barcode():
    return ean13(770000000000 + next(_seq))


def product_fields(nombre, barcode, precio="1000", stock="10", iva="19", categoria="Pruebas",
                   precio_compra="600", stock_minimo="1", unidad=None):
    fields = {
        "nombre": nombre,
        "codigo_de_barras": barcode,
        "categoria": categoria,
        "precio_compra": precio_compra,
        "precio": precio,
        "stock": stock,
        "stock_minimo": stock_minimo,
        "iva_porcentaje": iva,
    }
    if unidad is not None:
        fields["unidad"] = unidad
    return fields


def create_product(client, db, tenant, nombre, **kw):
    """Creates a product through the form; returns (id, barcode)."""
    barcode = kw.pop("barcode", None) or new_barcode()
    r = client.post_form("/productos/nuevo/", product_fields(nombre, barcode, **kw))
    assert r.status == 302, "create %s: %r" % (nombre, r)
    assert r.location == "/productos/", r.location
    pid = db.product_id(db.user_id(tenant), barcode)
    assert pid, "product %s not in the database" % nombre
    return pid, barcode


def sale_payload(items, forma_pago="Efectivo", monto_recibido="", key=None, **kw):
    p = {
        "items": [{"producto_id": pid, "cantidad": str(q)} for pid, q in items],
        "forma_pago": forma_pago,
        "monto_recibido": monto_recibido,
        "banco": "",
        "referencia": "",
        "cliente": "",
        "cliente_id": None,
        "idempotency_key": key if key is not None else secrets.token_hex(16),
    }
    p.update(kw)
    return p
