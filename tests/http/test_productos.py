"""The product catalogue over HTTP: the form's create/edit/delete, its
validation, the list's pagination, search, filter and order, and tenant
isolation (another owner's product is a 404, never its data).
"""
import re
import secrets
import urllib.parse

import pytest

from conftest import (_seq, barcodes_in, create_product, ean13, new_barcode, product_fields,
                      sale_payload)


def q(s):
    return urllib.parse.quote(s, safe="")


def test_create_product_stores_exact_values_and_opening_movement(admin, db):
    barcode = ean13(1000 + next(_seq))  # leading zeros must be kept
    assert barcode.startswith("0000000")
    r = admin.post_form("/productos/nuevo/", product_fields(
        "Café Sello Rojo 500 g", barcode, precio="1.500,50", precio_compra="1200",
        stock="12", stock_minimo="3", iva="5", categoria="Bebidas calientes"))
    assert r.status == 302, r
    assert r.location == "/productos/"
    tenant = db.user_id("dueno")
    row = db.one(
        "SELECT id, nombre, codigo_de_barras, categoria, precio_compra_cents, precio_cents,"
        " iva_centi, stock_milli, stock_minimo_milli FROM productos"
        " WHERE tenant_id = ? AND codigo_de_barras = ?", (tenant, barcode))
    assert row is not None
    pid = row[0]
    assert row[1:] == ("Café Sello Rojo 500 g", barcode, "Bebidas calientes", 120000, 150050,
                       500, 12000, 3000)
    movs = db.all("SELECT tipo, cantidad_milli, saldo_milli FROM movimientos WHERE producto_id = ?",
                  (pid,))
    assert movs == [("inicial", 12000, 12000)]

    page = admin.get("/productos/?q=" + q(barcode))
    assert page.status == 200
    assert barcodes_in(page.text) == [barcode]
    assert "Café Sello Rojo 500 g" in page.text


def test_duplicate_barcode_is_refused(admin, db):
    pid, barcode = create_product(admin, db, "dueno", "Original", precio="1000")
    before = db.counts()
    r = admin.post_form("/productos/nuevo/", product_fields("Copia con el mismo código", barcode))
    assert r.status == 200, r
    assert "Copia con el mismo código" in r.text  # the form comes back filled in
    assert "field-error" in r.text
    assert db.counts() == before
    assert db.scalar("SELECT count(*) FROM productos WHERE codigo_de_barras = ? AND tenant_id = ?",
                     (barcode, db.user_id("dueno"))) == 1


@pytest.mark.parametrize("field,value", [
    ("nombre", ""),
    ("nombre", "x" * 101),
    ("precio", "abc"),
    ("precio", "-5"),
    ("precio", "1e400"),
    ("precio", "99999999999999999999"),
    ("precio", "12,345"),
    ("precio", "1.50.00"),
    ("unidad", "litro"),
    ("stock", "diez"),
    ("stock", "-1"),
    ("stock", "99999999999999999999"),
    ("iva_porcentaje", "150"),
    ("codigo_de_barras", ""),
    ("codigo_de_barras", "1" * 51),
])
def test_invalid_product_form_is_refused(admin, db, field, value):
    fields = product_fields("Producto inválido", new_barcode())
    fields[field] = value
    before = db.counts()
    r = admin.post_form("/productos/nuevo/", fields)
    assert r.status == 200, (field, value, r)
    assert "field-error" in r.text
    assert db.counts() == before


def test_edit_changes_price_and_adjusts_stock_through_ledger(admin, db):
    pid, barcode = create_product(admin, db, "dueno", "Aceite Premier 1 L", precio="9000",
                                  stock="10")
    r = admin.get("/productos/%d/editar/" % pid)
    assert r.status == 200
    assert barcode in r.text
    r = admin.post_form("/productos/%d/editar/" % pid, product_fields(
        "Aceite Premier 1 L", barcode, precio="9500", stock="10"))
    assert r.status == 302, r
    assert r.location == "/productos/"
    assert db.one("SELECT precio_cents, stock_milli FROM productos WHERE id = ?", (pid,)) == (
        950000, 10000)
    assert db.scalar("SELECT count(*) FROM movimientos WHERE producto_id = ?", (pid,)) == 1

    r = admin.post_form("/productos/%d/editar/" % pid, product_fields(
        "Aceite Premier 1 L", barcode, precio="9500", stock="15"))
    assert r.status == 302, r
    assert db.stock(pid) == 15000
    assert db.all("SELECT tipo, cantidad_milli, saldo_milli FROM movimientos WHERE producto_id = ?"
                  " ORDER BY id", (pid,)) == [("inicial", 10000, 10000), ("ajuste", 5000, 15000)]
    assert db.ledger_mismatches() == []


def test_edit_to_an_existing_barcode_is_refused(admin, db):
    _, taken = create_product(admin, db, "dueno", "Ocupa el código")
    pid, mine = create_product(admin, db, "dueno", "Quiere el código", precio="1000")
    r = admin.post_form("/productos/%d/editar/" % pid, product_fields("Quiere el código", taken))
    assert r.status == 200, r
    assert "field-error" in r.text
    assert db.scalar("SELECT codigo_de_barras FROM productos WHERE id = ?", (pid,)) == mine


def test_delete_product(admin, db):
    pid, barcode = create_product(admin, db, "dueno", "Para borrar", stock="0")
    r = admin.get("/productos/%d/eliminar/" % pid)
    assert r.status == 200
    r = admin.post_form("/productos/%d/eliminar/" % pid, {})
    assert r.status == 302, r
    assert r.location == "/productos/"
    assert db.scalar("SELECT count(*) FROM productos WHERE id = ?", (pid,)) == 0
    assert barcodes_in(admin.get("/productos/?q=" + q(barcode)).text) == []


def test_delete_product_with_sales_is_protected(admin, db):
    pid, _ = create_product(admin, db, "dueno", "Ya vendido", precio="1000", stock="5")
    r = admin.post_json("/ventas/nueva/", sale_payload([(pid, 1)], monto_recibido="2000"))
    assert r.status == 201, r
    before = db.counts()
    r = admin.post_form("/productos/%d/eliminar/" % pid, {})
    assert r.status in (200, 302, 409), r
    assert db.counts() == before
    assert db.scalar("SELECT count(*) FROM productos WHERE id = ?", (pid,)) == 1
    assert db.ledger_mismatches() == []


def test_delete_product_with_opening_stock_never_breaks_ledger(admin, db):
    pid, _ = create_product(admin, db, "dueno", "Con stock inicial", stock="3")
    r = admin.post_form("/productos/%d/eliminar/" % pid, {})
    assert r.status in (200, 302, 409), r
    assert db.ledger_mismatches() == []
    orphans = db.scalar("SELECT count(*) FROM movimientos m LEFT JOIN productos p"
                        " ON p.id = m.producto_id WHERE p.id IS NULL")
    assert orphans == 0


@pytest.fixture(scope="module")
def catalogue(admin, db):
    """Nine products in a category of their own, with price, name and stock orders all different."""
    cat = "Paginación " + secrets.token_hex(3)
    specs = [  # name, price, stock
        ("Manzana", 900, 5), ("Banano", 300, 9), ("Ciruela", 700, 1), ("Durazno", 100, 7),
        ("Fresa", 500, 3), ("Guayaba", 200, 8), ("Higo", 800, 2), ("Kiwi", 400, 6),
        ("Lulo", 600, 4),
    ]
    items = []
    for name, price, stock in specs:
        pid, bc = create_product(admin, db, "dueno", name + " " + cat[-6:], precio=str(price),
                                 stock=str(stock), categoria=cat)
        items.append({"name": name + " " + cat[-6:], "price": price, "stock": stock, "barcode": bc})
    return cat, items


def list_all(client, query):
    """Barcodes of pages 1 and 2 of the list for this query string."""
    p1 = client.get("/productos/?" + query + "&page=1")
    p2 = client.get("/productos/?" + query + "&page=2")
    assert p1.status == 200 and p2.status == 200
    return barcodes_in(p1.text), barcodes_in(p2.text)


def test_list_paginates_seven_per_page(admin, catalogue):
    cat, items = catalogue
    p1, p2 = list_all(admin, "categoria=" + q(cat))
    assert len(p1) == 7
    assert len(p2) == 2
    assert sorted(p1 + p2) == sorted(i["barcode"] for i in items)


@pytest.mark.parametrize("orden,key,reverse", [
    ("precio", "price", False), ("-precio", "price", True),
    ("nombre", "name", False), ("-nombre", "name", True),
    ("stock", "stock", False), ("-stock", "stock", True),
])
def test_list_order(admin, catalogue, orden, key, reverse):
    cat, items = catalogue
    p1, p2 = list_all(admin, "categoria=%s&orden=%s" % (q(cat), q(orden)))
    want = [i["barcode"] for i in sorted(items, key=lambda i: i[key], reverse=reverse)]
    assert p1 + p2 == want


def test_list_search_by_name_and_barcode(admin, catalogue):
    cat, items = catalogue
    r = admin.get("/productos/?q=" + q("guayaba " + cat[-6:]))
    assert r.status == 200
    assert barcodes_in(r.text) == [items[5]["barcode"]]
    r = admin.get("/productos/?q=" + q(items[3]["barcode"]))
    assert barcodes_in(r.text) == [items[3]["barcode"]]
    r = admin.get("/productos/?q=" + q("no-existe-" + cat))
    assert r.status == 200
    assert barcodes_in(r.text) == []


def test_list_search_is_not_sql(admin, catalogue):
    r = admin.get("/productos/?q=" + q("%' OR 1=1 --") + "&orden=" + q("precio; DROP TABLE x"))
    assert r.status in (200, 400)
    assert barcodes_in(r.text) == []


@pytest.fixture(scope="module")
def foreign(other, db):
    """A product of the other tenant."""
    pid, barcode = create_product(other, db, "otro", "Secreto de otro", precio="4321", stock="7")
    return pid, barcode


def test_other_tenant_product_is_404(admin, db, foreign):
    pid, barcode = foreign
    before = db.one("SELECT nombre, precio_cents, stock_milli FROM productos WHERE id = ?", (pid,))
    assert admin.get("/productos/%d/editar/" % pid).status == 404
    assert admin.get("/productos/%d/eliminar/" % pid).status == 404
    assert admin.get("/productos/%d/kardex/" % pid).status == 404
    r = admin.post_form("/productos/%d/editar/" % pid,
                        product_fields("Robado", barcode, precio="1"))
    assert r.status == 404, r
    assert "Secreto de otro" not in r.text
    assert admin.post_form("/productos/%d/eliminar/" % pid, {}).status == 404
    assert db.one("SELECT nombre, precio_cents, stock_milli FROM productos WHERE id = ?",
                  (pid,)) == before
    listing = admin.get("/productos/?q=" + q(barcode))
    assert barcodes_in(listing.text) == []
    assert "Secreto de otro" not in listing.text


def test_other_tenant_barcode_lookup_not_found(admin, seller, foreign):
    _, barcode = foreign
    for c in (admin, seller):
        r = c.post_json("/ventas/api/buscar-producto/", {"codigo_barras": barcode})
        assert r.status == 404, r
        body = r.json()
        assert body["success"] is False
        assert body["error"] == "Producto no encontrado"
        assert "Secreto" not in r.text


def test_same_barcode_allowed_in_two_tenants(admin, db, foreign):
    _, barcode = foreign
    pid, _ = create_product(admin, db, "dueno", "Mismo código, otra tienda", barcode=barcode)
    assert db.scalar("SELECT count(*) FROM productos WHERE codigo_de_barras = ?", (barcode,)) == 2
    r = admin.post_json("/ventas/api/buscar-producto/", {"codigo_barras": barcode})
    assert r.status == 200, r
    assert r.json()["data"]["id"] == pid


def test_barcode_lookup_answers_product(admin, seller, db, server):
    pid, barcode = create_product(admin, db, "dueno", "Leche Alquería 1 L", precio="4200",
                                  stock="6", iva="5")
    for c in (admin, seller):
        r = c.post_json("/ventas/api/buscar-producto/", {"codigo_barras": barcode},
                        headers={"Origin": "http://127.0.0.1:%d" % server.port})
        assert r.status == 200, r
        body = r.json()
        assert body["success"] is True
        d = body["data"]
        assert d["id"] == pid
        assert d["nombre"] == "Leche Alquería 1 L"
        assert d["precio"] == "4200.00"
        assert d["iva_porcentaje"] in ("5", "5.00")
        assert d["stock"] in ("6", "6.000")


def test_category_filter_follows_creates_edits_and_deletes(admin, db):
    """The category choices come from a table kept by triggers: a new
    category appears, a renamed one moves, and the last product leaving a
    category takes it off the list; the total count follows too."""
    def categories():
        return re.findall(r'<option value="(Cat-[^"]*)"', admin.get("/productos/").text)

    def total():
        return int(re.search(r"(\d+) en total", admin.get("/productos/").text).group(1))

    before = total()
    pid, barcode = create_product(admin, db, "dueno", "Producto de categoría", stock="0",
                                  categoria="Cat-Alfa")
    assert "Cat-Alfa" in categories()
    assert total() == before + 1
    r = admin.post_form("/productos/%d/editar/" % pid,
                        product_fields("Producto de categoría", barcode, stock="0",
                                       categoria="Cat-Beta"))
    assert r.status == 302, r
    assert "Cat-Beta" in categories() and "Cat-Alfa" not in categories()
    r = admin.post_form("/productos/%d/eliminar/" % pid, {})
    assert r.status == 302, r
    assert "Cat-Beta" not in categories()
    assert total() == before
