/*
 * test_venta.c - unit tests for venta_create against a real SQLite file:
 * exact totals and invoice numbers, stock and the movement ledger, and,
 * for every refusal (stock, tenancy, units, payment, idempotent replay),
 * that the database is left exactly as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "domain/usuario.h"
#include "domain/venta.h"

/* 2024-01-01 03:00 UTC: still 2023-12-31 in Bogotá (UTC-5). */
#define NOW 1704078000

struct fixture {
	struct db *db;
	char path[64];
	struct user admin;     /* tenant 1 */
	struct user vendedor;  /* works for tenant 1 */
	struct user otro;      /* tenant 2 */
};

static int64_t scalar(struct db *db, const char *sql, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	if (arg)
		db_bind_int(st, 1, arg);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static void exec_ok(struct db *db, const char *sql)
{
	assert_int_equal(db_exec(db, sql), DB_OK);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	snprintf(f->path, sizeof(f->path), "/tmp/test_venta_XXXXXX");
	int fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	close(fd);
	char url[128];
	snprintf(url, sizeof(url), "sqlite:///%s", f->path);
	if (db_open(url, &f->db, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (db_migrate(f->db) != 0)
		return -1;
	exec_ok(f->db,
		"INSERT INTO usuarios (id, username, username_lower, password, rol, tenant_id, creado_por, created_at) VALUES"
		" (1, 'dueno', 'dueno', 'x', 'admin', 1, NULL, 0),"
		" (2, 'otro', 'otro', 'x', 'admin', 2, NULL, 0),"
		" (3, 'caja1', 'caja1', 'x', 'vendedor', 1, 1, 0)");
	exec_ok(f->db,
		"INSERT INTO productos (id, tenant_id, nombre, codigo_de_barras, categoria,"
		" precio_compra_cents, precio_cents, iva_centi, stock_milli, unidad, created_at, updated_at) VALUES"
		" (1, 1, 'Arroz Diana 500 g', '0077001', 'Granos', 180000, 250000, 1900, 3000, 'unidad', 0, 0),"
		" (2, 1, 'Queso campesino', '0077002', 'Lácteos', 200000, 333333, 500, 10000, 'kg', 0, 0),"
		" (3, 2, 'Producto ajeno', '0077001', '', 100, 100, 0, 5000, 'unidad', 0, 0)");
	exec_ok(f->db,
		"INSERT INTO clientes (id, tenant_id, nombre, activo, created_at) VALUES"
		" (1, 1, 'María Pérez', 1, 0), (2, 2, 'Cliente ajeno', 1, 0), (3, 1, 'Inactivo', 0, 0)");
	f->admin = (struct user){ .id = 1, .tenant_id = 1, .rol = ROL_ADMIN, .activo = true };
	f->vendedor = (struct user){ .id = 3, .tenant_id = 1, .rol = ROL_VENDEDOR, .activo = true };
	f->otro = (struct user){ .id = 2, .tenant_id = 2, .rol = ROL_ADMIN, .activo = true };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char side[96];
	db_close(f->db);
	unlink(f->path);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

static void add_item(struct venta_input *in, int64_t producto_id, int64_t qty_milli)
{
	in->items[in->n_items].producto_id = producto_id;
	in->items[in->n_items].cantidad_milli = qty_milli;
	in->n_items++;
}

/* Everything a failed sale must leave untouched. */
struct snapshot {
	int64_t stock1, stock2, n_ventas, n_items, n_movs, siguiente;
};

static struct snapshot take_snapshot(struct db *db)
{
	struct snapshot s;
	s.stock1 = scalar(db, "SELECT stock_milli FROM productos WHERE id = 1", 0);
	s.stock2 = scalar(db, "SELECT stock_milli FROM productos WHERE id = 2", 0);
	s.n_ventas = scalar(db, "SELECT count(*) FROM ventas", 0);
	s.n_items = scalar(db, "SELECT count(*) FROM venta_items", 0);
	s.n_movs = scalar(db, "SELECT count(*) FROM movimientos", 0);
	s.siguiente = scalar(db, "SELECT coalesce(max(siguiente_numero), 0) FROM configuracion", 0);
	return s;
}

static void assert_unchanged(struct db *db, struct snapshot before)
{
	struct snapshot after = take_snapshot(db);
	assert_int_equal(after.stock1, before.stock1);
	assert_int_equal(after.stock2, before.stock2);
	assert_int_equal(after.n_ventas, before.n_ventas);
	assert_int_equal(after.n_items, before.n_items);
	assert_int_equal(after.n_movs, before.n_movs);
	assert_int_equal(after.siguiente, before.siguiente);
}

static void test_two_line_sale(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];

	add_item(&in, 1, 2000);   /* 2 x 2.500,00 + 19 % */
	add_item(&in, 2, 250);    /* 0,250 kg x 3.333,33 + 5 % */
	in.monto_recibido_cents = 700000;
	memcpy(in.cliente_nombre, "Juan", 5);
	assert_int_equal(venta_create(f->db, &f->vendedor, &in, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_false(out.replayed);
	assert_string_equal(out.numero, "FV-000001");
	/* 500000 + round(83333.25) ; 95000 + round(4166.6625) */
	assert_int_equal(out.neto_cents, 583333);
	assert_int_equal(out.iva_cents, 99167);
	assert_int_equal(out.total_cents, 682500);
	assert_int_equal(out.cambio_cents, 17500);

	struct db_stmt *st = db_prepare(f->db,
		"SELECT tenant_id, consecutivo, usuario_id, cliente_id IS NULL, cliente_nombre, costo_cents,"
		" forma_pago, monto_recibido_cents, cambio_cents, idempotency_key IS NULL, anulada,"
		" created_at, dia_local FROM ventas WHERE id = ?");
	db_bind_int(st, 1, out.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_int_equal(db_col_int(st, 1), 1);
	assert_int_equal(db_col_int(st, 2), 3);
	assert_int_equal(db_col_int(st, 3), 1);
	assert_string_equal(db_col_text(st, 4, NULL), "Juan");
	assert_int_equal(db_col_int(st, 5), 360000 + 50000);
	assert_string_equal(db_col_text(st, 6, NULL), "Efectivo");
	assert_int_equal(db_col_int(st, 7), 700000);
	assert_int_equal(db_col_int(st, 8), 17500);
	assert_int_equal(db_col_int(st, 9), 1);
	assert_int_equal(db_col_int(st, 10), 0);
	assert_int_equal(db_col_int(st, 11), NOW);
	assert_int_equal(db_col_int(st, 12), 20231231);
	db_done(st);

	st = db_prepare(f->db,
		"SELECT producto_id, producto_nombre, categoria, cantidad_milli, precio_unitario_cents,"
		" iva_centi, neto_cents, iva_cents, subtotal_cents, costo_unitario_cents, costo_cents,"
		" dia_local, tenant_id FROM venta_items WHERE venta_id = ? ORDER BY id");
	db_bind_int(st, 1, out.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1, NULL), "Arroz Diana 500 g");
	assert_string_equal(db_col_text(st, 2, NULL), "Granos");
	assert_int_equal(db_col_int(st, 3), 2000);
	assert_int_equal(db_col_int(st, 4), 250000);
	assert_int_equal(db_col_int(st, 5), 1900);
	assert_int_equal(db_col_int(st, 6), 500000);
	assert_int_equal(db_col_int(st, 7), 95000);
	assert_int_equal(db_col_int(st, 8), 595000);
	assert_int_equal(db_col_int(st, 9), 180000);
	assert_int_equal(db_col_int(st, 10), 360000);
	assert_int_equal(db_col_int(st, 11), 20231231);
	assert_int_equal(db_col_int(st, 12), 1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_string_equal(db_col_text(st, 2, NULL), "Lácteos");
	assert_int_equal(db_col_int(st, 6), 83333);
	assert_int_equal(db_col_int(st, 7), 4167);
	assert_int_equal(db_col_int(st, 8), 87500);
	assert_int_equal(db_col_int(st, 10), 50000);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 1", 0), 1000);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 2", 0), 9750);
	assert_int_equal(scalar(f->db, "SELECT updated_at FROM productos WHERE id = 1", 0), NOW);

	st = db_prepare(f->db,
		"SELECT producto_id, tipo, cantidad_milli, saldo_milli, costo_unitario_cents, usuario_id,"
		" venta_id, created_at, tenant_id FROM movimientos ORDER BY producto_id");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1, NULL), "venta");
	assert_int_equal(db_col_int(st, 2), -2000);
	assert_int_equal(db_col_int(st, 3), 1000);
	assert_int_equal(db_col_int(st, 4), 180000);
	assert_int_equal(db_col_int(st, 5), 3);
	assert_int_equal(db_col_int(st, 6), out.id);
	assert_int_equal(db_col_int(st, 7), NOW);
	assert_int_equal(db_col_int(st, 8), 1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_int_equal(db_col_int(st, 2), -250);
	assert_int_equal(db_col_int(st, 3), 9750);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* The default settings row was created and the counter moved on. */
	assert_int_equal(scalar(f->db, "SELECT siguiente_numero FROM configuracion WHERE tenant_id = ?", 1), 2);

	struct venta_input in2 = { 0 };
	add_item(&in2, 1, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &in2, NOW + 60, &out, err, sizeof(err)), VENTA_OK);
	assert_string_equal(out.numero, "FV-000002");
	assert_int_equal(out.neto_cents, 250000);
	assert_int_equal(out.iva_cents, 47500);
	assert_int_equal(out.total_cents, 297500);
	assert_int_equal(out.cambio_cents, 0);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 1", 0), 0);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM movimientos", 0), 3);
	/* Stock equals the sum of its movements once the opening stock is counted. */
	assert_int_equal(scalar(f->db, "SELECT 3000 + sum(cantidad_milli) FROM movimientos WHERE producto_id = 1", 0), 0);
}

static void test_prefix_and_counter_from_settings(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];

	exec_ok(f->db, "INSERT INTO configuracion (tenant_id, prefijo_factura, siguiente_numero)"
		       " VALUES (1, 'POS', 123)");
	add_item(&in, 1, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_string_equal(out.numero, "POS000123");
	assert_int_equal(scalar(f->db, "SELECT consecutivo FROM ventas WHERE id = ?", out.id), 123);

	/* A counter set back below used numbers is refused with a clear message, writing nothing. */
	exec_ok(f->db, "UPDATE configuracion SET siguiente_numero = 123 WHERE tenant_id = 1");
	struct snapshot before = take_snapshot(f->db);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	assert_non_null(strstr(err, "POS000123 ya existe"));
	assert_unchanged(f->db, before);
}

static void test_insufficient_stock_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];

	exec_ok(f->db, "INSERT INTO configuracion (tenant_id, siguiente_numero) VALUES (1, 7)");
	struct snapshot before = take_snapshot(f->db);
	/* The first line's stock is taken before the second fails: it must come back. */
	add_item(&in, 1, 1000);
	add_item(&in, 2, 20000);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)),
			 VENTA_INSUFFICIENT_STOCK);
	assert_string_equal(err, "Stock insuficiente para «Queso campesino»: disponible 10, solicitado 20");
	assert_int_equal(out.id, 0);
	assert_unchanged(f->db, before);

	struct venta_input in2 = { 0 };
	add_item(&in2, 1, 5000);
	assert_int_equal(venta_create(f->db, &f->admin, &in2, NOW, &out, err, sizeof(err)),
			 VENTA_INSUFFICIENT_STOCK);
	assert_non_null(strstr(err, "«Arroz Diana 500 g»: disponible 3, solicitado 5"));
	assert_unchanged(f->db, before);

	/* The same product twice is checked for its total. */
	struct venta_input in3 = { 0 };
	add_item(&in3, 1, 2000);
	add_item(&in3, 2, 100);
	add_item(&in3, 1, 2000);
	assert_int_equal(venta_create(f->db, &f->admin, &in3, NOW, &out, err, sizeof(err)),
			 VENTA_INSUFFICIENT_STOCK);
	assert_non_null(strstr(err, "disponible 3, solicitado 4"));
	assert_unchanged(f->db, before);

	/* Exactly the stock available is fine; the merged line is one row. */
	struct venta_input in4 = { 0 };
	add_item(&in4, 1, 2000);
	add_item(&in4, 2, 100);
	add_item(&in4, 1, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &in4, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_string_equal(out.numero, "FV-000007");
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 1", 0), 0);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM venta_items WHERE venta_id = ?", out.id), 2);
	assert_int_equal(scalar(f->db, "SELECT producto_id FROM venta_items WHERE venta_id = ? ORDER BY id LIMIT 1", out.id), 1);
	assert_int_equal(out.total_cents, 892500 + 35000);
}

static void test_idempotent_replay(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result first, again;
	char err[512];

	add_item(&in, 1, 1000);
	memcpy(in.idempotency_key, "6f1c2a9e-0b7d-4e55-9d61-3a0c2b1f7e10", 37);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &first, err, sizeof(err)), VENTA_OK);
	assert_false(first.replayed);
	struct snapshot before = take_snapshot(f->db);

	/* A double click: same key, even a different cart, gives the first sale back. */
	add_item(&in, 2, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW + 1, &again, err, sizeof(err)),
			 VENTA_OK);
	assert_true(again.replayed);
	assert_int_equal(again.id, first.id);
	assert_string_equal(again.numero, first.numero);
	assert_int_equal(again.total_cents, first.total_cents);
	assert_int_equal(again.neto_cents, first.neto_cents);
	assert_int_equal(again.iva_cents, first.iva_cents);
	assert_unchanged(f->db, before);

	/* Another seller of the shop never gets that sale back for the same key. */
	assert_int_equal(venta_create(f->db, &f->vendedor, &in, NOW + 2, &again, err, sizeof(err)),
			 VENTA_INVALID);
	assert_non_null(strstr(err, "otro usuario"));
	assert_unchanged(f->db, before);

	/* Keys are per tenant: the other shop's first use creates its own sale. */
	struct venta_input other = { 0 };
	add_item(&other, 3, 1000);
	memcpy(other.idempotency_key, in.idempotency_key, sizeof(in.idempotency_key));
	assert_int_equal(venta_create(f->db, &f->otro, &other, NOW, &again, err, sizeof(err)), VENTA_OK);
	assert_false(again.replayed);
	assert_int_not_equal(again.id, first.id);
	assert_string_equal(again.numero, "FV-000001");
}

static void test_other_tenant_product(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];
	struct snapshot before = take_snapshot(f->db);

	add_item(&in, 1, 1000);
	add_item(&in, 3, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_NOT_FOUND);
	assert_string_equal(err, "Producto no encontrado");
	assert_unchanged(f->db, before);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 3", 0), 5000);

	struct venta_input missing = { 0 };
	add_item(&missing, 999, 1000);
	assert_int_equal(venta_create(f->db, &f->admin, &missing, NOW, &out, err, sizeof(err)),
			 VENTA_NOT_FOUND);
	assert_unchanged(f->db, before);
}

static void test_whole_units(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];
	struct snapshot before = take_snapshot(f->db);

	add_item(&in, 1, 1500);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	assert_non_null(strstr(err, "Arroz Diana 500 g"));
	assert_unchanged(f->db, before);

	/* Two halves do not make a whole unit. */
	struct venta_input halves = { 0 };
	add_item(&halves, 1, 500);
	add_item(&halves, 1, 500);
	assert_int_equal(venta_create(f->db, &f->admin, &halves, NOW, &out, err, sizeof(err)),
			 VENTA_INVALID);
	assert_unchanged(f->db, before);

	struct venta_input kg = { 0 };
	add_item(&kg, 2, 1);
	assert_int_equal(venta_create(f->db, &f->admin, &kg, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 2", 0), 9999);
}

static void test_payment_rules(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];
	struct snapshot before = take_snapshot(f->db);

	add_item(&in, 1, 1000);
	in.transferencia = true;
	memcpy(in.banco, "  ", 3);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	assert_non_null(strstr(err, "banco"));
	assert_unchanged(f->db, before);

	struct venta_input cash = { 0 };
	add_item(&cash, 1, 1000);
	cash.monto_recibido_cents = 297499;
	assert_int_equal(venta_create(f->db, &f->admin, &cash, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	assert_string_equal(err, "El monto recibido es menor que el total");
	assert_unchanged(f->db, before);

	cash.monto_recibido_cents = 297500;
	assert_int_equal(venta_create(f->db, &f->admin, &cash, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_int_equal(out.cambio_cents, 0);

	memcpy(in.banco, "Bancolombia", 12);
	memcpy(in.referencia, "REF-77", 7);
	in.monto_recibido_cents = 5;  /* ignored for a transfer */
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_int_equal(out.cambio_cents, 0);
	struct db_stmt *st = db_prepare(f->db,
		"SELECT forma_pago, banco, referencia, monto_recibido_cents FROM ventas WHERE id = ?");
	db_bind_int(st, 1, out.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0, NULL), "Transferencia");
	assert_string_equal(db_col_text(st, 1, NULL), "Bancolombia");
	assert_string_equal(db_col_text(st, 2, NULL), "REF-77");
	assert_int_equal(db_col_int(st, 3), 0);
	db_done(st);
}

static void test_negative_stock_allowed(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];

	exec_ok(f->db, "INSERT INTO configuracion (tenant_id, permitir_stock_negativo) VALUES (1, 1)");
	add_item(&in, 1, 5000);
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_OK);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 1", 0), -2000);
	assert_int_equal(scalar(f->db, "SELECT saldo_milli FROM movimientos WHERE venta_id = ?", out.id), -2000);
}

static void test_clientes_and_validation(void **state)
{
	struct fixture *f = *state;
	struct venta_input in = { 0 };
	struct venta_result out;
	char err[512];
	struct snapshot before = take_snapshot(f->db);

	add_item(&in, 1, 1000);
	in.cliente_id = 2;   /* another tenant's */
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_NOT_FOUND);
	assert_string_equal(err, "Cliente no encontrado");
	in.cliente_id = 3;   /* inactive */
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_NOT_FOUND);
	assert_unchanged(f->db, before);

	struct venta_input empty = { 0 };
	assert_int_equal(venta_create(f->db, &f->admin, &empty, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	empty.n_items = VENTA_MAX_ITEMS + 1;
	assert_int_equal(venta_create(f->db, &f->admin, &empty, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	struct venta_input zero = { 0 };
	add_item(&zero, 1, 0);
	assert_int_equal(venta_create(f->db, &f->admin, &zero, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	zero.items[0].cantidad_milli = -1000;
	assert_int_equal(venta_create(f->db, &f->admin, &zero, NOW, &out, err, sizeof(err)), VENTA_INVALID);
	assert_unchanged(f->db, before);

	in.cliente_id = 1;
	assert_int_equal(venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err)), VENTA_OK);
	struct db_stmt *st = db_prepare(f->db, "SELECT cliente_id, cliente_nombre FROM ventas WHERE id = ?");
	db_bind_int(st, 1, out.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1, NULL), "María Pérez");
	db_done(st);
}

/* ---- concurrency: separate connections, as separate HTTP threads have ---- */

#define N_THREADS 4
#define SALES_PER_THREAD 25

struct worker {
	const char *path;
	int64_t seller_id;
	int n_ok;
};

static void *sell_loop(void *arg)
{
	struct worker *w = arg;
	struct db *db;
	char url[128], err[512];
	snprintf(url, sizeof(url), "sqlite:///%s", w->path);
	if (db_open(url, &db, err, sizeof(err)) != 0)
		return NULL;
	struct user seller = { .id = w->seller_id, .tenant_id = 1, .rol = ROL_VENDEDOR, .activo = true };
	for (int i = 0; i < SALES_PER_THREAD; i++) {
		struct venta_input in = { 0 };
		struct venta_result out;
		add_item(&in, 2, 100);
		add_item(&in, 1, 1000);
		if (venta_create(db, &seller, &in, NOW + i, &out, err, sizeof(err)) == VENTA_OK)
			w->n_ok++;
		else
			fprintf(stderr, "concurrent sale failed: %s\n", err);
	}
	db_close(db);
	return NULL;
}

static void test_concurrent_checkouts_number_without_gaps(void **state)
{
	struct fixture *f = *state;
	pthread_t threads[N_THREADS];
	struct worker workers[N_THREADS];
	const int64_t n_sales = N_THREADS * SALES_PER_THREAD;

	exec_ok(f->db, "UPDATE productos SET stock_milli = 100000 WHERE id = 1");
	for (int i = 0; i < N_THREADS; i++) {
		workers[i] = (struct worker){ .path = f->path, .seller_id = i % 2 ? 1 : 3 };
		assert_int_equal(pthread_create(&threads[i], NULL, sell_loop, &workers[i]), 0);
	}
	for (int i = 0; i < N_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(workers[i].n_ok, SALES_PER_THREAD);
	}
	assert_int_equal(scalar(f->db, "SELECT count(DISTINCT numero) FROM ventas", 0), n_sales);
	assert_int_equal(scalar(f->db, "SELECT min(consecutivo) FROM ventas", 0), 1);
	assert_int_equal(scalar(f->db, "SELECT max(consecutivo) FROM ventas", 0), n_sales);
	assert_int_equal(scalar(f->db, "SELECT siguiente_numero FROM configuracion WHERE tenant_id = ?", 1),
			 n_sales + 1);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 1", 0), 0);
	assert_int_equal(scalar(f->db, "SELECT stock_milli FROM productos WHERE id = 2", 0),
			 10000 - 100 * n_sales);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM movimientos", 0), 2 * n_sales);
	/* Each product's balances form one unbroken chain. */
	assert_int_equal(scalar(f->db, "SELECT min(saldo_milli) FROM movimientos WHERE producto_id = 1", 0), 0);
	assert_int_equal(scalar(f->db, "SELECT count(DISTINCT saldo_milli) FROM movimientos WHERE producto_id = 1", 0),
			 n_sales);
}

/* ---- fault injection: the Nth database call fails ------------------------ */

static const struct db_driver *real_driver;
static struct db_driver fault_driver;
static int fail_at, n_calls;

static bool fault_now(void)
{
	return ++n_calls == fail_at;
}

static int fault_step(struct db_stmt *st)
{
	return fault_now() ? DB_ERROR : real_driver->step(st);
}

static int fault_begin(struct db *db, bool for_write)
{
	return fault_now() ? DB_BUSY : real_driver->begin(db, for_write);
}

static int fault_commit(struct db *db)
{
	return fault_now() ? DB_ERROR : real_driver->commit(db);
}

/* Statements carry their own driver pointer: route them through ours too. */
static struct db_stmt *fault_prepare(struct db *db, const char *sql)
{
	struct db_stmt *st = real_driver->prepare(db, sql);
	if (st)
		((struct db_stmt_head *)st)->driver = &fault_driver;
	return st;
}

static void test_every_failure_point_writes_nothing(void **state)
{
	struct fixture *f = *state;
	char err[512];
	int n_failures = 0;

	real_driver = f->db->driver;
	fault_driver = *real_driver;
	fault_driver.step = fault_step;
	fault_driver.begin = fault_begin;
	fault_driver.commit = fault_commit;
	fault_driver.prepare = fault_prepare;
	f->db->driver = &fault_driver;

	for (int point = 1; point < 1000; point++) {
		struct venta_input in = { 0 };
		struct venta_result out;
		add_item(&in, 2, 250);
		add_item(&in, 1, 1000);
		in.cliente_id = 1;
		memcpy(in.idempotency_key, "clave-fallos", 13);
		fail_at = 0;
		struct snapshot before = take_snapshot(f->db);
		n_calls = 0;
		fail_at = point;
		enum venta_status st = venta_create(f->db, &f->admin, &in, NOW, &out, err, sizeof(err));
		fail_at = 0;
		if (st == VENTA_OK) {
			assert_false(out.replayed);
			assert_string_equal(out.numero, "FV-000001");
			break;
		}
		/* A failed BEGIN may read as "busy" (503, retry); anything else is an error. */
		assert_true(st == VENTA_ERROR || st == VENTA_BUSY);
		assert_true(err[0] != '\0');
		assert_unchanged(f->db, before);
		n_failures++;
	}
	/* begin, replay, cliente, 2 products, counter, settings, 2 x (update +
	 * read back), venta, 2 x (item + movement), commit. */
	assert_true(n_failures >= 16);
	f->db->driver = real_driver;
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM ventas", 0), 1);
}

int main(void)
{
	setenv("TZ", "America/Bogota", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_line_sale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_and_counter_from_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_insufficient_stock_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_tenant_product, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payment_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_stock_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clientes_and_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_checkouts_number_without_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_failure_point_writes_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
