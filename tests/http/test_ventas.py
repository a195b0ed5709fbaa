"""Sales over HTTP: exact totals and VAT rounding, the stock ledger, refusals
that write nothing, idempotent resubmission, consecutive invoice numbers,
a race for the last units, the receipt and the dashboard's total.
"""
import re
import secrets
import threading

from conftest import create_product, sale_payload


def sell(client, items, **kw):
    return client.post_json("/ventas/nueva/", sale_payload(items, **kw))


def test_sale_totals_and_stock_movements(admin, db):
    p1, _ = create_product(admin, db, "dueno", "Arroz Diana 500 g", precio="1000", stock="10")
    p2, _ = create_product(admin, db, "dueno", "Panela 1 kg", precio="2500", stock="5")
    r = sell(admin, [(p1, 2), (p2, 1)], monto_recibido="10000")
    assert r.status == 201, r
    body = r.json()
    assert body["success"] is True
    d = body["data"]
    # net 2000 + 2500; VAT 19 %: 380 + 475; change from 10000.
    assert d["subtotal"] == "4500.00"
    assert d["iva"] == "855.00"
    assert d["total"] == "5355.00"
    assert d["cambio"] == "4645.00"
    vid = d["id"]
    assert isinstance(vid, int)
    row = db.one("SELECT tenant_id, usuario_id, numero, neto_cents, iva_cents, total_cents,"
                 " forma_pago, monto_recibido_cents, cambio_cents, costo_cents FROM ventas"
                 " WHERE id = ?", (vid,))
    assert row == (db.user_id("dueno"), db.user_id("dueno"), d["numero"], 450000, 85500, 535500,
                   "Efectivo", 1000000, 464500, 2 * 60000 + 60000)
    items = db.all("SELECT producto_id, cantidad_milli, precio_unitario_cents, neto_cents,"
                   " iva_cents, subtotal_cents, costo_unitario_cents FROM venta_items"
                   " WHERE venta_id = ? ORDER BY producto_id", (vid,))
    assert items == [(p1, 2000, 100000, 200000, 38000, 238000, 60000),
                     (p2, 1000, 250000, 250000, 47500, 297500, 60000)]
    assert db.stock(p1) == 8000
    assert db.stock(p2) == 4000
    movs = db.all("SELECT producto_id, tipo, cantidad_milli, saldo_milli FROM movimientos"
                  " WHERE venta_id = ? ORDER BY producto_id", (vid,))
    assert movs == [(p1, "venta", -2000, 8000), (p2, "venta", -1000, 4000)]
    assert db.ledger_mismatches() == []


def test_receipt_page_shows_total(admin, other, db):
    p, _ = create_product(admin, db, "dueno", "Recibo de prueba", precio="12345", stock="3")
    r = sell(admin, [(p, 1)], monto_recibido="20000")
    assert r.status == 201, r
    d = r.json()["data"]
    page = admin.get("/ventas/%d/" % d["id"])
    assert page.status == 200
    m = re.search(r'id="venta-total"[^>]*>([^<]*)<', page.text)
    assert m, "no #venta-total"
    shown = re.sub(r"[^0-9,]", "", m.group(1))
    # 12345 + 19 % = 14690.55 -> "$ 14.691" (0 decimals) or "$ 14.690,55".
    assert shown in ("14691", "14690,55"), m.group(1)
    assert d["numero"] in page.text
    assert other.get("/ventas/%d/" % d["id"]).status == 404


def test_vat_rounds_half_up_per_line(admin, db):
    # 12.50 * 19 % = 2.375 -> 2.38 ; 0.10 * 5 % = 0.005 -> 0.01. Summing before
    # rounding would give 2.38, rounding per line gives 2.39.
    a, _ = create_product(admin, db, "dueno", "Chicle", precio="12.50", stock="10", iva="19")
    b, _ = create_product(admin, db, "dueno", "Bolsa", precio="0.10", stock="10", iva="5")
    r = sell(admin, [(a, 1), (b, 1)], monto_recibido="20")
    assert r.status == 201, r
    d = r.json()["data"]
    # Whole-peso display: $ 14,99 shows as $ 15, so 20 received gives 5 back.
    assert (d["subtotal"], d["iva"], d["total"], d["cambio"]) == ("12.60", "2.39", "14.99", "5.00")
    assert db.all("SELECT iva_cents, subtotal_cents FROM venta_items WHERE venta_id = ?"
                  " ORDER BY producto_id", (d["id"],)) == [(238, 1488), (1, 11)]


def test_fractional_quantity(admin, db):
    p, _ = create_product(admin, db, "dueno", "Queso campesino (kg)", precio="18000", stock="5",
                          iva="0", unidad="kg")
    r = admin.post_json("/ventas/nueva/", sale_payload([], monto_recibido="5000") | {
        "items": [{"producto_id": p, "cantidad": "0.250"}]})
    assert r.status == 201, r
    d = r.json()["data"]
    assert (d["subtotal"], d["iva"], d["total"]) == ("4500.00", "0.00", "4500.00")
    assert db.stock(p) == 4750


def test_insufficient_stock_writes_nothing(admin, db):
    ok, _ = create_product(admin, db, "dueno", "Azúcar Manuelita", precio="3000", stock="10")
    short, _ = create_product(admin, db, "dueno", "Café Águila Roja", precio="8000", stock="3")
    before = db.counts()
    r = sell(admin, [(ok, 2), (short, 5)], monto_recibido="100000")
    assert r.status == 409, r
    body = r.json()
    assert body["success"] is False
    assert body["code"] == "INSUFFICIENT_STOCK"
    assert "Café Águila Roja" in body["error"]
    assert re.search(r"\b3\b", body["error"]), body["error"]
    assert db.counts() == before
    assert db.stock(ok) == 10000 and db.stock(short) == 3000


def test_other_tenant_product_sale_is_404(admin, other, db):
    theirs, _ = create_product(other, db, "otro", "Ajeno", precio="1000", stock="5")
    before = db.counts()
    r = sell(admin, [(theirs, 1)], monto_recibido="5000")
    assert r.status == 404, r
    assert r.json()["code"] == "NOT_FOUND"
    r = sell(admin, [(999999999, 1)], monto_recibido="5000")
    assert r.status == 404, r
    assert db.counts() == before
    assert db.stock(theirs) == 5000


def test_idempotency_key_creates_one_sale(admin, db):
    p, _ = create_product(admin, db, "dueno", "Gaseosa 400 ml", precio="2500", stock="10")
    key = "pos-" + secrets.token_hex(8)
    first = sell(admin, [(p, 1)], monto_recibido="5000", key=key)
    assert first.status == 201, first
    second = sell(admin, [(p, 1)], monto_recibido="5000", key=key)
    assert second.status == 200, second
    assert second.json()["data"]["id"] == first.json()["data"]["id"]
    assert second.json()["data"]["numero"] == first.json()["data"]["numero"]
    assert db.scalar("SELECT count(*) FROM ventas WHERE idempotency_key = ?", (key,)) == 1
    assert db.stock(p) == 9000


def test_invoice_numbers_consecutive(admin, seller, db):
    p, _ = create_product(admin, db, "dueno", "Numeración", precio="100", stock="10")
    got = []
    for c in (admin, seller, admin):
        r = sell(c, [(p, 1)], monto_recibido="1000")
        assert r.status == 201, r
        got.append(r.json()["data"])
    rows = [db.one("SELECT consecutivo, numero FROM ventas WHERE id = ?", (d["id"],)) for d in got]
    assert [c for c, _ in rows] == [rows[0][0], rows[0][0] + 1, rows[0][0] + 2]
    for (cons, numero), d in zip(rows, got):
        assert numero == d["numero"]
        assert re.search(r"0*%d$" % cons, numero), numero
    all_cons = [c for (c,) in db.all("SELECT consecutivo FROM ventas WHERE tenant_id = ?"
                                      " ORDER BY consecutivo", (db.user_id("dueno"),))]
    assert all_cons == list(range(1, len(all_cons) + 1))


def test_seller_sells_for_the_owner(seller, admin, db):
    p, _ = create_product(admin, db, "dueno", "Vendido por vendedor", precio="1500", stock="4")
    r = sell(seller, [(p, 2)], monto_recibido="5000")
    assert r.status == 201, r
    vid = r.json()["data"]["id"]
    assert db.one("SELECT tenant_id, usuario_id FROM ventas WHERE id = ?", (vid,)) == (
        db.user_id("dueno"), db.user_id("vendedor1"))
    assert db.stock(p) == 2000


def test_transferencia_requires_banco(admin, db):
    p, _ = create_product(admin, db, "dueno", "Transferible", precio="1000", stock="4")
    before = db.counts()
    r = sell(admin, [(p, 1)], forma_pago="Transferencia", banco="")
    assert r.status == 400, r
    assert r.json()["code"] == "VALIDATION_ERROR"
    assert db.counts() == before
    r = sell(admin, [(p, 1)], forma_pago="Transferencia", banco="Bancolombia", referencia="ABC123")
    assert r.status == 201, r
    assert db.one("SELECT forma_pago, banco, referencia FROM ventas WHERE id = ?",
                  (r.json()["data"]["id"],)) == ("Transferencia", "Bancolombia", "ABC123")


def test_client_price_is_never_used(admin, db):
    p, _ = create_product(admin, db, "dueno", "Precio del servidor", precio="5000", stock="4",
                          iva="0")
    payload = sale_payload([(p, 1)], monto_recibido="5000")
    payload["items"][0]["precio"] = "1.00"
    payload["items"][0]["precio_unitario"] = "1.00"
    payload["total"] = "1.00"
    before = db.counts()
    r = admin.post_json("/ventas/nueva/", payload)
    if r.status == 201:
        assert r.json()["data"]["total"] == "5000.00"
    else:
        assert r.status == 400, r
        assert db.counts() == before


def test_parallel_sales_never_oversell(admin, db):
    p, _ = create_product(admin, db, "dueno", "Última unidad", precio="1000", stock="10")
    n_threads = 20
    barrier = threading.Barrier(n_threads)
    results = [None] * n_threads

    def worker(i):
        c = admin.clone()
        barrier.wait()
        try:
            r = sell(c, [(p, 1)], monto_recibido="2000")
            results[i] = (r.status, r.json().get("code"))
        except Exception as e:  # noqa: BLE001 - recorded and asserted below
            results[i] = ("error", repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = sorted(str(s) for s, _ in results)
    assert statuses.count("201") == 10, results
    assert statuses.count("409") == 10, results
    assert all(code == "INSUFFICIENT_STOCK" for s, code in results if s == 409)
    assert db.stock(p) == 0
    assert db.scalar("SELECT count(DISTINCT venta_id) FROM venta_items WHERE producto_id = ?",
                     (p,)) == 10
    assert db.scalar("SELECT sum(cantidad_milli) FROM movimientos WHERE producto_id = ?", (p,)) == 0
    assert db.ledger_mismatches() == []
    all_cons = [c for (c,) in db.all("SELECT consecutivo FROM ventas WHERE tenant_id = ?"
                                      " ORDER BY consecutivo", (db.user_id("dueno"),))]
    assert all_cons == list(range(1, len(all_cons) + 1))


def pesos(text):
    """'$ 1.234.567' -> 1234567 (es-CO, no decimals shown)."""
    digits = re.sub(r"[^0-9,]", "", text).split(",")[0]
    return int(digits or "0")


def test_dashboard_total_matches_sales(admin, db):
    r = admin.get("/dashboard/?periodo=anio")
    assert r.status == 200
    m = re.search(r'id="kpi-ventas-total"[^>]*>([^<]*)<', r.text)
    assert m, "no #kpi-ventas-total"
    cents = db.scalar("SELECT coalesce(sum(total_cents), 0) FROM ventas WHERE tenant_id = ?"
                      " AND anulada = 0", (db.user_id("dueno"),))
    assert abs(pesos(m.group(1)) * 100 - cents) < 100, (m.group(1), cents)
    for periodo in ("7d", "mes"):
        assert admin.get("/dashboard/?periodo=" + periodo).status == 200
    assert admin.get("/dashboard/?mes=2020-01").status == 200
    assert admin.get("/dashboard/?mes=2020-13").status in (200, 400)


def test_cash_is_asked_for_as_the_total_is_shown(admin, db):
    """With whole-peso display a kg sale of $ 47,25 shows "$ 47": 47 pesos pay
    it, 46 do not, and the change is what was received minus the shown total."""
    p, _ = create_product(admin, db, "dueno", "Queso costeño (kg)", precio="15000", stock="5",
                          iva="5", unidad="kg")
    items = {"items": [{"producto_id": p, "cantidad": "0.003"}]}
    short = admin.post_json("/ventas/nueva/", sale_payload([], monto_recibido="46") | items)
    assert short.status == 400, short
    assert "menor que el total" in short.json()["error"]
    exact = admin.post_json("/ventas/nueva/", sale_payload([], monto_recibido="47") | items)
    assert exact.status == 201, exact
    d = exact.json()["data"]
    assert (d["subtotal"], d["iva"], d["total"], d["cambio"]) == ("45.00", "2.25", "47.25", "0.00")
    more = admin.post_json("/ventas/nueva/", sale_payload([], monto_recibido="100") | items)
    assert more.status == 201 and more.json()["data"]["cambio"] == "53.00", more


def test_idempotency_key_of_another_seller_is_refused(admin, seller, db):
    p, _ = create_product(admin, db, "dueno", "Clave compartida", precio="1000", stock="10")
    key = "pos-" + secrets.token_hex(8)
    assert sell(admin, [(p, 1)], key=key).status == 201
    r = sell(seller, [(p, 2)], key=key)
    assert r.status == 400, r
    assert r.json()["code"] == "VALIDATION_ERROR"
    assert db.scalar("SELECT count(*) FROM ventas WHERE idempotency_key = ?", (key,)) == 1
    assert db.stock(p) == 9000
