"""Login, logout, sessions and the role gate, through the real HTTP server.

Failed logins are kept to a few in the whole session: each costs a full
password hash, and login throttling (a later feature) will count them per
address, which every test client shares (127.0.0.1).
"""
from conftest import PASSWORD, Client, create_product, product_fields, new_barcode


def test_login_page_sets_csrf_cookie_and_form(anon):
    r = anon.get("/login/")
    assert r.status == 200
    assert "text/html" in r.header("Content-Type")
    assert 'name="csrfmiddlewaretoken"' in r.text
    cookies = r.cookies_set()
    assert "csrftoken" in cookies
    _, attrs = cookies["csrftoken"]
    assert attrs.get("samesite", "").lower() == "lax"
    assert "secure" in attrs  # DEBUG=0


def test_admin_login_redirects_to_dashboard_with_safe_cookie(admin):
    r = admin.last_login
    assert r.status == 302
    assert r.location == "/dashboard/"
    value, attrs = r.cookies_set()["sessionid"]
    assert value
    assert "httponly" in attrs
    assert attrs.get("samesite", "").lower() == "lax"
    assert "secure" in attrs
    assert admin.get("/dashboard/").status == 200


def test_seller_login_redirects_to_ventas(seller):
    r = seller.last_login
    assert r.status == 302
    assert r.location == "/ventas/"
    _, attrs = r.cookies_set()["sessionid"]
    assert "httponly" in attrs and attrs.get("samesite", "").lower() == "lax"
    assert seller.get("/ventas/").status == 200


def test_login_by_email_case_insensitive(server, admin):
    c = Client(server.port)
    r = c.login("DUENO@Example.com")
    assert r.status == 302, r
    assert r.location == "/dashboard/"
    # Every login gets its own session id.
    assert c.cookies["sessionid"] != admin.cookies["sessionid"]


def test_wrong_password_and_unknown_user_same_answer(server):
    c = Client(server.port)
    c.get("/login/")
    wrong = c.post_form("/login/", {"username": "otro", "password": PASSWORD + "x"})
    unknown = c.post_form("/login/", {"username": "nadie-existe", "password": PASSWORD})
    for r in (wrong, unknown):
        assert r.status == 200, r
        assert "Credenciales inválidas" in r.text
        assert "sessionid" not in r.cookies_set() or r.cookies_set()["sessionid"][0] == ""
    assert "sessionid" not in c.cookies
    # An unknown user still pays for a hash, so timing does not tell them apart.
    assert unknown.elapsed > 0.3 * wrong.elapsed, (unknown.elapsed, wrong.elapsed)


def test_login_without_csrf_is_refused(server):
    c = Client(server.port)
    c.get("/login/")
    r = c.post_form("/login/", {"username": "dueno", "password": PASSWORD}, csrf=False)
    assert r.status == 403
    assert "sessionid" not in c.cookies


def test_logout_ends_session_and_login_rotates_id(server, admin):
    c = Client(server.port)
    c.cookies["sessionid"] = "fijado-por-un-atacante"
    r = c.login("dueno")
    assert r.status == 302
    sid = c.cookies["sessionid"]
    assert sid != "fijado-por-un-atacante"
    assert sid != admin.cookies["sessionid"]

    # GET does not log out.
    r = c.get("/logout/")
    assert r.status == 405, r
    assert c.get("/dashboard/").status == 200

    r = c.post_form("/logout/", {})
    assert r.status == 302
    assert r.location == "/login/"

    stale = Client(server.port)
    stale.cookies["sessionid"] = sid
    r = stale.get("/dashboard/")
    assert r.status == 302
    assert r.location == "/login/?next=/dashboard/" or r.location == "/login/?next=%2Fdashboard%2F"
    # The session fixture's own session is untouched.
    assert admin.get("/dashboard/").status == 200


def test_anonymous_is_sent_to_login(anon):
    for path in ("/dashboard/", "/productos/", "/ventas/", "/ventas/nueva/"):
        r = anon.get(path)
        assert r.status == 302, (path, r)
        assert r.location.startswith("/login/?next="), (path, r.location)


def test_root_redirects_by_role(admin, seller):
    assert admin.get("/").location == "/dashboard/"
    assert seller.get("/").location == "/ventas/"


def test_seller_blocked_from_admin_pages(seller):
    for path in ("/dashboard/", "/productos/nuevo/"):
        r = seller.get(path)
        assert r.status == 302, (path, r)
        assert r.location == "/ventas/", (path, r.location)


def test_seller_json_to_admin_endpoint_is_403(seller):
    r = seller.get("/dashboard/", headers={"Accept": "application/json"})
    assert r.status == 403, r
    body = r.json()
    assert body["success"] is False
    assert body["code"] == "PERMISSION_DENIED"


def test_seller_cannot_create_product(seller, db):
    before = db.counts()
    barcode = new_barcode()
    r = seller.post_form("/productos/nuevo/", product_fields("Intruso", barcode))
    assert r.status in (302, 403), r
    if r.status == 302:
        assert r.location == "/ventas/"
    assert db.counts() == before
    assert db.scalar("SELECT count(*) FROM productos WHERE codigo_de_barras = ?", (barcode,)) == 0


def test_seller_cannot_edit_or_delete_product(seller, admin, db):
    pid, _ = create_product(admin, db, "dueno", "Protegido del vendedor", precio="1000")
    r = seller.post_form("/productos/%d/editar/" % pid,
                         product_fields("Cambiado", new_barcode(), precio="1"))
    assert r.status in (302, 403), r
    r = seller.post_form("/productos/%d/eliminar/" % pid, {})
    assert r.status in (302, 403), r
    assert db.one("SELECT nombre, precio_cents FROM productos WHERE id = ?", (pid,)) == (
        "Protegido del vendedor", 100000)


def test_seller_sees_products_read_only(seller, admin, db):
    _, barcode = create_product(admin, db, "dueno", "Visible al vendedor", precio="1000")
    r = seller.get("/productos/?q=" + barcode)
    assert r.status == 200
    assert 'data-barcode="%s"' % barcode in r.text


def test_operator_lands_on_admin_page_and_shops_do_not(server, admin):
    server.cli("createsuperuser", "--username", "operador", "--email", "op@example.com",
               password=PASSWORD)
    op = Client(server.port)
    r = op.login("operador")
    assert r.status == 302 and r.location == "/admin/"
    page = op.get("/admin/")
    assert page.status == 200
    assert "dueno" in page.text and "operador" in page.text
    # The operator has no shop; an owner has no operator page.
    assert op.get("/dashboard/").status == 403
    assert admin.get("/admin/").status == 404


def test_logins_do_not_stall_other_clients(server):
    """Password hashing runs on the worker pool: while four logins are being
    hashed, a page that needs no hashing is answered before any of them."""
    import threading
    clients = [Client(server.port) for _ in range(4)]
    for c in clients:
        c.get("/login/")
    done = []

    def login(c):
        c.login("dueno")
        done.append(c)

    threads = [threading.Thread(target=login, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    import time
    time.sleep(0.05)  # let the logins reach the server
    r = Client(server.port).get("/login/")
    answered_while_hashing = len(done) < len(clients)
    for t in threads:
        t.join()
    assert r.status == 200
    assert answered_while_hashing, "the login page waited for the password hashes"
    assert all(c.last_login.status == 302 for c in clients)


def test_login_returns_to_the_page_and_filters_asked_for(server):
    import html
    import re
    import urllib.parse
    c = Client(server.port)
    r = c.get("/productos/?q=arroz&page=2")
    assert r.status == 302
    assert r.location == "/login/?next=/productos/%3Fq%3Darroz%26page%3D2"
    page = c.get(r.location)
    nxt = html.unescape(re.search(r'name="next" value="([^"]*)"', page.text).group(1))
    assert nxt == "/productos/?q=arroz&page=2"
    r = c.post_form("/login/", {"username": "dueno", "password": PASSWORD, "next": nxt})
    assert r.status == 302 and r.location == "/productos/?q=arroz&page=2"
    # Anything that is not a local path is ignored: the role's home instead.
    c2 = Client(server.port)
    c2.get("/login/")
    r = c2.post_form("/login/", {"username": "dueno", "password": PASSWORD,
                                 "next": "//evil.example/"})
    assert r.status == 302 and r.location == "/dashboard/"
