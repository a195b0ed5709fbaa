"""The command line and start-up configuration: what operators and `make run`
rely on. Each test uses its own scratch directory and, where it serves, its
own server process, so the shared server of the other tests is untouched.
"""
import os
import re
import shutil
import tempfile
import time

import pytest

from conftest import BIN, PASSWORD, SANITIZER_MARKS, Client, Server


@pytest.fixture
def scratch():
    base = tempfile.mkdtemp(prefix="inventario-cli-")
    srv = Server(base)
    yield srv
    problems = srv.stop()
    shutil.rmtree(base, ignore_errors=True)
    assert not problems, problems


def run(srv, *args, env=None, password=None):
    import subprocess
    e = dict(srv.env)
    e.update(env or {})
    if password is not None:
        e["INVENTARIO_PASSWORD"] = password
    r = subprocess.run([BIN, *args], cwd=srv.dir, env=e, capture_output=True, text=True,
                       timeout=120)
    for mark in SANITIZER_MARKS:
        assert mark not in r.stderr, r.stderr
    return r


def test_migrate_is_idempotent_and_records_versions(scratch):
    first = run(scratch, "migrate")
    assert first.returncode == 0, first.stderr
    assert "migrate: applied 1" in first.stderr
    again = run(scratch, "migrate")
    assert again.returncode == 0 and "applied" not in again.stderr
    version = int(re.search(r"versión (\d+)", again.stdout).group(1))
    import sqlite3
    with sqlite3.connect(scratch.db_path) as db:
        rows = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert rows == list(range(1, version + 1))


def test_generate_secret_makes_a_key_serve_accepts(scratch):
    r = run(scratch, "generate-secret")
    key = r.stdout.strip()
    assert r.returncode == 0 and len(key) >= 50 and len(set(key)) >= 5
    assert run(scratch, "generate-secret").stdout.strip() != key
    assert run(scratch, "check", env={"SECRET_KEY": key}).returncode == 0


@pytest.mark.parametrize("key", ["", "corta", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_weak_secret_key_stops_start_up_without_debug(scratch, key):
    for cmd in (("check",), ("serve", "--port", "1")):
        r = run(scratch, *cmd, env={"SECRET_KEY": key, "DEBUG": "0"})
        assert r.returncode == 1, (cmd, r.stderr)
        assert "SECRET_KEY" in r.stderr
        assert "listening" not in r.stderr


def test_debug_without_key_warns_and_serves(scratch):
    scratch.env["SECRET_KEY"] = ""
    scratch.env["DEBUG"] = "1"
    run(scratch, "migrate")
    scratch.start()
    assert "random key is used for this run" in scratch.stderr()
    assert Client(scratch.port).get("/login/").status == 200


def test_env_file_is_read_and_the_environment_wins(scratch):
    env_key = "K" + "e5Yx-" * 12
    with open(os.path.join(scratch.dir, ".env"), "w") as f:
        f.write("# settings\nexport DEBUG=0\nSECRET_KEY='%s'\nALLOWED_HOSTS=ejemplo.test\n" % env_key)
    del scratch.env["SECRET_KEY"]
    r = run(scratch, "check", env={"ALLOWED_HOSTS": "127.0.0.1"})
    assert r.returncode == 0, r.stderr
    r = run(scratch, "check", env={"SECRET_KEY": "débil"})
    assert r.returncode == 1 and "SECRET_KEY" in r.stderr


def test_users_from_the_command_line(scratch):
    assert run(scratch, "createuser", "--username", "tienda", "--email", "t@example.com",
               "--rol", "admin", password=PASSWORD).returncode == 0
    dup = run(scratch, "createuser", "--username", "TIENDA", "--email", "x@example.com",
              "--rol", "admin", password=PASSWORD)
    assert dup.returncode == 1 and "ya existe" in dup.stderr
    orphan = run(scratch, "createuser", "--username", "v", "--email", "v@example.com",
                 "--rol", "vendedor", "--owner", "nadie", password=PASSWORD)
    assert orphan.returncode == 1
    bad = run(scratch, "createuser", "--username", "x", "--rol", "jefe", password=PASSWORD)
    assert bad.returncode == 2
    assert run(scratch, "createsuperuser", "--username", "op", "--email", "op@example.com",
               password="").returncode == 1  # empty password refused
    assert run(scratch, "nada").returncode == 2


def test_seed_demo_if_empty_runs_once(scratch):
    r = run(scratch, "seed-demo", "--if-empty", "--password", PASSWORD, "--products", "15",
            "--sales", "12")
    assert r.returncode == 0, r.stderr
    import sqlite3
    with sqlite3.connect(scratch.db_path) as db:
        assert db.execute("SELECT count(*) FROM productos").fetchone()[0] == 15
        assert db.execute("SELECT count(*) FROM ventas").fetchone()[0] == 12
        assert db.execute("SELECT count(DISTINCT categoria) FROM productos").fetchone()[0] >= 10
        mismatches = db.execute(
            "SELECT count(*) FROM productos p WHERE p.stock_milli <>"
            " (SELECT coalesce(sum(cantidad_milli), 0) FROM movimientos m WHERE m.producto_id = p.id)"
        ).fetchone()[0]
        assert mismatches == 0
    again = run(scratch, "seed-demo", "--if-empty", "--password", PASSWORD)
    assert again.returncode == 0 and "ya tiene usuarios" in again.stdout


def test_idle_and_absolute_session_limits(scratch):
    scratch.env["SESSION_IDLE_TIMEOUT"] = "3"
    run(scratch, "migrate")
    run(scratch, "createuser", "--username", "dueno", "--email", "d@example.com", "--rol", "admin",
        password=PASSWORD)
    scratch.start()
    c = Client(scratch.port)
    assert c.login("dueno").status == 302
    assert c.get("/dashboard/").status == 200
    time.sleep(4.5)
    r = c.get("/dashboard/")
    assert r.status == 302 and r.location.startswith("/login/")
    scratch.stop()
    scratch.env["SESSION_IDLE_TIMEOUT"] = "0"
    scratch.env["SESSION_ABSOLUTE_TIMEOUT"] = "4"
    scratch.start()
    c = Client(scratch.port)
    assert c.login("dueno").status == 302
    assert c.get("/dashboard/").status == 200
    time.sleep(5)
    assert c.get("/dashboard/").status == 302
