/*
 * test_dashboard.c - the owner's dashboard on a real SQLite file: exact
 * figures for a small known shop (totals, VAT, cost, profit, weekdays, top
 * products, categories, low stock), what must not count (annulled sales,
 * another tenant, days outside the period), period parsing in the shop's
 * time zone, the cache's invalidation, the SVG charts, EAN-13 check digits
 * and the demo seeder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/dashboard.h"
#include "domain/seed.h"
#include "views/chart_svg.h"

/* 2025-03-31 22:00 in Bogotá (UTC-5): already April 1st in UTC. */
#define NOW_MAR31_22H 1743476400LL

struct fixture {
	struct db *db;
	char path[128];
};

static int counter;

static int open_db(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char url[160], err[256];
	assert_non_null(f);
	xsnprintf(f->path, sizeof(f->path), "/tmp/test_dashboard_%d_%d.db", (int)getpid(), counter++);
	unlink(f->path);
	xsnprintf(url, sizeof(url), "sqlite:///%s", f->path);
	if (db_open(url, &f->db, err, sizeof(err)) != 0)
		fail_msg("db_open: %s", err);
	assert_int_equal(db_migrate(f->db), 0);
	dashboard_cache_clear();
	dashboard_cache_enable(true);
	*state = f;
	return 0;
}

static int close_db(void **state)
{
	struct fixture *f = *state;
	char side[160];
	db_close(f->db);
	unlink(f->path);
	xsnprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	xsnprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

static void exec_ok(struct db *db, const char *sql)
{
	if (db_exec(db, sql) != DB_OK)
		fail_msg("exec failed: %s: %s", sql, db_errmsg(db));
}

static int32_t local_day(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(localtime_r(&tt, &tm));
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void add_product(struct db *db, int64_t id, int64_t tenant, const char *nombre,
			const char *categoria, int64_t stock_milli, int64_t minimo_milli,
			const char *unidad)
{
	static const char sql[] =
		"INSERT INTO productos (id, tenant_id, nombre, codigo_de_barras, categoria,"
		" precio_compra_cents, precio_cents, iva_centi, stock_milli, stock_minimo_milli,"
		" unidad, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 100, 200, 1900, ?, ?, ?, 0, 0)";
	char code[32];
	xsnprintf(code, sizeof(code), "code-%lld", (long long)id);
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_cstr(st, 3, nombre);
	db_bind_cstr(st, 4, code);
	db_bind_cstr(st, 5, categoria);
	db_bind_int(st, 6, stock_milli);
	db_bind_int(st, 7, minimo_milli);
	db_bind_cstr(st, 8, unidad);
	assert_int_equal(db_step_done(st), DB_DONE);
}

/* A sale header; its dia_local comes from created_at as venta_create does. */
static void add_sale(struct db *db, int64_t id, int64_t tenant, int64_t created_at, int64_t neto,
		     int64_t iva, int64_t costo, bool anulada)
{
	static const char sql[] =
		"INSERT INTO ventas (id, tenant_id, consecutivo, numero, usuario_id, neto_cents,"
		" iva_cents, total_cents, costo_cents, forma_pago, anulada, created_at, dia_local)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Efectivo', ?, ?, ?)";
	static const char mov_sql[] =
		"INSERT INTO movimientos (tenant_id, producto_id, tipo, cantidad_milli, saldo_milli,"
		" costo_unitario_cents, venta_id, created_at)"
		" SELECT ?, min(id), 'venta', -1, 0, 0, ?, ? FROM productos WHERE tenant_id = ?";
	char numero[32];
	xsnprintf(numero, sizeof(numero), "FV-%06lld", (long long)id);
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, id);
	db_bind_cstr(st, 4, numero);
	db_bind_int(st, 5, tenant);
	db_bind_int(st, 6, neto);
	db_bind_int(st, 7, iva);
	db_bind_int(st, 8, neto + iva);
	db_bind_int(st, 9, costo);
	db_bind_int(st, 10, anulada);
	db_bind_int(st, 11, created_at);
	db_bind_int(st, 12, local_day(created_at));
	assert_int_equal(db_step_done(st), DB_DONE);
	/* venta_create writes the ledger in the same transaction. */
	st = db_prepare(db, mov_sql);
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, created_at);
	db_bind_int(st, 4, tenant);
	assert_int_equal(db_step_done(st), DB_DONE);
}

static void add_item(struct db *db, int64_t venta_id, int64_t producto_id, const char *nombre,
		     const char *categoria, int64_t qty_milli, int64_t neto, int64_t iva, int64_t costo)
{
	static const char sql[] =
		"INSERT INTO venta_items (venta_id, tenant_id, producto_id, producto_nombre, categoria,"
		" cantidad_milli, precio_unitario_cents, iva_centi, neto_cents, iva_cents,"
		" subtotal_cents, costo_unitario_cents, costo_cents, dia_local)"
		" SELECT id, tenant_id, ?, ?, ?, ?, 0, 0, ?, ?, ?, 0, ?, dia_local FROM ventas WHERE id = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, producto_id);
	db_bind_cstr(st, 2, nombre);
	db_bind_cstr(st, 3, categoria);
	db_bind_int(st, 4, qty_milli);
	db_bind_int(st, 5, neto);
	db_bind_int(st, 6, iva);
	db_bind_int(st, 7, neto + iva);
	db_bind_int(st, 8, costo);
	db_bind_int(st, 9, venta_id);
	assert_int_equal(db_step_done(st), DB_DONE);
	assert_int_equal(db_changes(db), 1);
}

/*
 * The known shop. Tenant 1 in March 2025: V1 (Mon 3rd), V2 (Sat 8th), V3
 * (Mon 31st at 22:00 local), V4 annulled; V5 on April 1st; V6 on Feb 28th
 * (the previous period). Tenant 2 sells in March too.
 */
static void load_shop(struct db *db)
{
	exec_ok(db, "INSERT INTO usuarios (id, username, username_lower, password, rol, tenant_id,"
		    " created_at) VALUES (1, 'dueno', 'dueno', 'x', 'admin', 1, 0),"
		    " (2, 'otro', 'otro', 'x', 'admin', 2, 0)");
	exec_ok(db, "INSERT INTO configuracion (tenant_id) VALUES (1), (2)");
	add_product(db, 1, 1, "Leche Alquería 1 L", "Lácteos", 3000, 5000, "unidad");
	add_product(db, 2, 1, "Arroz Diana 500 g", "Abarrotes", 100000, 5000, "unidad");
	add_product(db, 3, 1, "Gaseosa Postobón 400 ml", "Bebidas", 2000, 10000, "unidad");
	add_product(db, 4, 1, "Queso campesino", "Lácteos", 0, 2000, "kg");
	add_product(db, 5, 1, "Jabón Rey", "Aseo", 50000, 5000, "unidad");
	add_product(db, 6, 1, "Papas Margarita", "Snacks", 40000, 5000, "unidad");
	add_product(db, 7, 1, "Pan Tajado Bimbo", "Panadería", 30000, 5000, "unidad");
	add_product(db, 8, 2, "Producto de otra tienda", "Otra", 0, 10000, "unidad");
	/* Recategorised after its sale: the line's snapshot (Snacks) counts. */
	add_product(db, 9, 1, "Chocolatina Jet", "Dulces", 20000, 5000, "unidad");

	add_sale(db, 1, 1, 1741014000, 1590000, 142500, 1050000, false);
	add_item(db, 1, 1, "Leche Alquería 1 L", "Lácteos", 2000, 840000, 0, 600000);
	add_item(db, 1, 3, "Gaseosa Postobón 400 ml", "Bebidas", 3000, 750000, 142500, 450000);

	add_sale(db, 2, 1, 1741465800, 1790000, 64600, 1200000, false);
	add_item(db, 2, 2, "Arroz Diana 500 g", "Abarrotes", 5000, 1450000, 0, 1000000);
	add_item(db, 2, 5, "Jabón Rey", "Aseo", 1000, 340000, 64600, 200000);

	add_sale(db, 3, 1, NOW_MAR31_22H, 1320000, 171000, 860000, false);
	add_item(db, 3, 6, "Papas Margarita", "Snacks", 4000, 800000, 152000, 500000);
	add_item(db, 3, 1, "Leche Alquería 1 L", "Lácteos", 1000, 420000, 0, 300000);
	add_item(db, 3, 9, "Chocolatina Jet", "Snacks", 1000, 100000, 19000, 60000);

	add_sale(db, 4, 1, 1742058000, 14500000, 0, 10000000, true);
	add_item(db, 4, 2, "Arroz Diana 500 g", "Abarrotes", 50000, 14500000, 0, 10000000);

	add_sale(db, 5, 1, 1743516000, 340000, 64600, 200000, false);
	add_item(db, 5, 5, "Jabón Rey", "Aseo", 1000, 340000, 64600, 200000);

	add_sale(db, 6, 1, 1740783600, 290000, 0, 200000, false);
	add_item(db, 6, 2, "Arroz Diana 500 g", "Abarrotes", 1000, 290000, 0, 200000);

	add_sale(db, 7, 2, 1741622400, 99000000, 990000, 50000000, false);
	add_item(db, 7, 8, "Producto de otra tienda", "Otra", 900000, 99000000, 990000, 50000000);
}

static void period_of(const char *periodo, const char *mes, int64_t now, struct dash_period *p)
{
	assert_int_equal(dashboard_period(str_from(periodo), str_from(mes), now, p), 0);
}

static struct dashboard *compute(struct db *db, int64_t tenant, const char *periodo,
				 const char *mes, int64_t now)
{
	static struct dashboard d;
	struct dash_period p;
	period_of(periodo, mes, now, &p);
	assert_int_equal(dashboard_compute(db, tenant, &p, &d), 0);
	return &d;
}

static bool has_insight(const struct dashboard *d, const char *needle)
{
	for (size_t i = 0; i < d->n_insights; i++)
		if (strstr(d->insights[i].texto, needle))
			return true;
	return false;
}

/* ---- pure helpers --------------------------------------------------------- */

static void test_ean13(void **state)
{
	(void)state;
	assert_int_equal(ean13_check_digit("400638133393"), 1);
	assert_true(ean13_valid("4006381333931", 13));
	/* The brief's "real Colombian EAN" does not verify: its check digit is 8. */
	assert_int_equal(ean13_check_digit("770200400350"), 8);
	assert_false(ean13_valid("7702004003501", 13));
	assert_true(ean13_valid("7702004003508", 13));
	assert_int_equal(ean13_check_digit("770123456789"), 7);
	assert_int_equal(ean13_check_digit("590123412345"), 7);
	assert_int_equal(ean13_check_digit("77012345678x"), -1);
	assert_false(ean13_valid("770123456789", 12));
	assert_false(ean13_valid("770123456789x", 13));
}

static void test_formats(void **state)
{
	(void)state;
	char out[32];
	pct_decimas_format(125, true, out, sizeof(out));
	assert_string_equal(out, "+12,5 %");
	pct_decimas_format(-30, true, out, sizeof(out));
	assert_string_equal(out, "-3,0 %");
	pct_decimas_format(0, true, out, sizeof(out));
	assert_string_equal(out, "0,0 %");
	pct_decimas_format(16511, true, out, sizeof(out));
	assert_string_equal(out, "+1.651,1 %");
	pct_decimas_format(342, false, out, sizeof(out));
	assert_string_equal(out, "34,2 %");
	int_es_format(5000, out, sizeof(out));
	assert_string_equal(out, "5.000");
	int_es_format(-1234567, out, sizeof(out));
	assert_string_equal(out, "-1.234.567");
	qty_es_format(2500, out, sizeof(out));
	assert_string_equal(out, "2,5");
	qty_es_format(1234000, out, sizeof(out));
	assert_string_equal(out, "1.234");
	qty_es_format(250, out, sizeof(out));
	assert_string_equal(out, "0,25");
	qty_es_format(1, out, sizeof(out));
	assert_string_equal(out, "0,001");
}

static void test_calendar(void **state)
{
	(void)state;
	assert_int_equal(dia_weekday(19700101), 3);   /* Thursday */
	assert_int_equal(dia_weekday(20250303), 0);   /* Monday */
	assert_int_equal(dia_weekday(20250308), 5);   /* Saturday */
	assert_int_equal(dia_weekday(20250309), 6);   /* Sunday */
	assert_int_equal(dia_weekday(20000229), 1);   /* Tuesday */
	assert_int_equal(dia_add_days(20250301, -1), 20250228);
	assert_int_equal(dia_add_days(20240301, -1), 20240229);
	assert_int_equal(dia_add_days(20241231, 1), 20250101);
	assert_int_equal(dia_add_days(20250101, -90), 20241003);
}

static void test_period_parsing(void **state)
{
	(void)state;
	struct dash_period p;

	/* Default and 7d: the last 7 local days including today (March 31st, not April 1st). */
	period_of("", "", NOW_MAR31_22H, &p);
	assert_int_equal(p.kind, DASH_7D);
	assert_int_equal(p.hoy, 20250331);
	assert_int_equal(p.desde, 20250325);
	assert_int_equal(p.hasta, 20250331);
	assert_int_equal(p.prev_desde, 20250318);
	assert_int_equal(p.prev_hasta, 20250324);
	assert_int_equal(p.n_dias, 7);
	assert_int_equal(dashboard_period(STR_NULL, STR_NULL, NOW_MAR31_22H, &p), 0);
	assert_int_equal(p.kind, DASH_7D);

	period_of("mes", "", NOW_MAR31_22H, &p);
	assert_int_equal(p.kind, DASH_MES);
	assert_int_equal(p.desde, 20250301);
	assert_int_equal(p.hasta, 20250331);
	assert_int_equal(p.n_dias, 31);
	assert_int_equal(p.prev_desde, 20250129);
	assert_int_equal(p.prev_hasta, 20250228);
	assert_string_equal(p.etiqueta, "Marzo de 2025");
	assert_string_equal(p.mes_valor, "2025-03");

	/* Mid-month: the pace divisor is the days gone by (10). */
	period_of("mes", "", 1741622400, &p);
	assert_int_equal(p.n_dias, 10);
	assert_int_equal(p.prev_desde, 20250219);

	period_of("anio", "", NOW_MAR31_22H, &p);
	assert_int_equal(p.desde, 20250101);
	assert_int_equal(p.hasta, 20251231);
	assert_int_equal(p.n_dias, 90);
	assert_int_equal(p.prev_desde, 20241003);
	assert_int_equal(p.prev_hasta, 20241231);
	assert_string_equal(p.etiqueta, "Año 2025");

	period_of("", "2024-02", NOW_MAR31_22H, &p);
	assert_int_equal(p.kind, DASH_MES_ELEGIDO);
	assert_int_equal(p.desde, 20240201);
	assert_int_equal(p.hasta, 20240229);
	assert_int_equal(p.n_dias, 29);
	assert_string_equal(p.etiqueta, "Febrero de 2024");
	/* mes wins over periodo. */
	period_of("anio", "2025-03", NOW_MAR31_22H, &p);
	assert_int_equal(p.kind, DASH_MES_ELEGIDO);

	static const char *const bad_periodo[] = { "semana", "7D", "7d ", "mes\n", "año" };
	for (size_t i = 0; i < ARRAY_SIZE(bad_periodo); i++)
		assert_int_equal(dashboard_period(str_from(bad_periodo[i]), STR_NULL, NOW_MAR31_22H, &p), -1);
	static const char *const bad_mes[] = {
		"2025-13", "2025-00", "2025-3", "+025-03", "2025-03x", "1999-12", "2101-01", "2025/03",
		"2025--3", "abcd-ef", "2025-+3",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad_mes); i++)
		assert_int_equal(dashboard_period(STR_NULL, str_from(bad_mes[i]), NOW_MAR31_22H, &p), -1);
	assert_int_equal(dashboard_period(STR("semana"), STR("2025-03"), NOW_MAR31_22H, &p), -1);
}

/* ---- figures ------------------------------------------------------------- */

static void test_march_figures(void **state)
{
	struct fixture *f = *state;
	load_shop(f->db);
	struct dashboard *d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);

	/* V1 + V2 + V3; V4 annulled, V5 in April, V6 in February, V7 another tenant. */
	assert_int_equal(d->n_ventas, 3);
	assert_int_equal(d->ventas_total_cents, 1732500 + 1854600 + 1491000);
	assert_int_equal(d->ventas_iva_cents, 142500 + 64600 + 171000);
	assert_int_equal(d->ventas_netas_cents, 4700000);
	assert_int_equal(d->costo_cents, 3110000);
	assert_int_equal(d->ingresos_extra_cents, 0);
	assert_int_equal(d->gastos_cents, 0);
	assert_int_equal(d->utilidad_bruta_cents, 4700000 - 3110000);
	assert_int_equal(d->utilidad_neta_cents, 4700000 - 3110000);

	/* Previous period: the 31 days before March 1st hold V6 only. */
	assert_int_equal(d->prev_n_ventas, 1);
	assert_int_equal(d->prev_total_cents, 290000);
	assert_true(d->hay_cambio);
	assert_int_equal(d->cambio_decimas, 16511);   /* (5078100 - 290000) / 290000 = +1651,07 % */
	assert_true(has_insight(d, "subieron 1.651,1 %"));

	/* Mondays: V1 and V3 (the 31st at 22:00 local is still Monday the 31st). */
	assert_int_equal(d->dia_semana_cents[0], 1732500 + 1491000);
	assert_int_equal(d->dia_semana_n[0], 2);
	assert_int_equal(d->dia_semana_cents[5], 1854600);
	assert_int_equal(d->dia_semana_n[5], 1);
	for (int i = 1; i < 7; i++)
		if (i != 5)
			assert_int_equal(d->dia_semana_cents[i], 0);

	/* Top 5 by quantity; ties (3 units, 1 unit) go to the lower id. */
	assert_int_equal(d->n_top, 5);
	static const int64_t top_ids[5] = { 2, 6, 1, 3, 5 };
	static const int64_t top_qty[5] = { 5000, 4000, 3000, 3000, 1000 };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(d->top[i].producto_id, top_ids[i]);
		assert_int_equal(d->top[i].qty_milli, top_qty[i]);
	}
	assert_string_equal(d->top[0].nombre, "Arroz Diana 500 g");
	assert_int_equal(d->top[0].total_cents, 1450000);
	assert_int_equal(d->top[2].total_cents, 840000 + 420000);

	/* Categories by the line snapshot, biggest first; they add up to the total. */
	assert_int_equal(d->n_categorias, 5);
	static const char *const cat_names[5] = { "Abarrotes", "Lácteos", "Snacks", "Bebidas", "Aseo" };
	static const int64_t cat_totals[5] = { 1450000, 1260000, 1071000, 892500, 404600 };
	int64_t sum = 0;
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(d->categorias[i].nombre, cat_names[i]);
		assert_int_equal(d->categorias[i].total_cents, cat_totals[i]);
		assert_false(d->categorias[i].otras);
		sum += d->categorias[i].total_cents;
	}
	assert_int_equal(sum, d->ventas_total_cents);
	assert_true(has_insight(d, "La categoría que más vende es Abarrotes: $ 14.500"
				   " (28,6 % de las ventas)."));

	/* Low stock, lowest first, tenant 1 only, with days left at March's pace. */
	assert_int_equal(d->n_bajo_stock_total, 3);
	assert_int_equal(d->n_bajo_stock, 3);
	assert_int_equal(d->bajo_stock[0].producto_id, 4);
	assert_int_equal(d->bajo_stock[0].dias_restantes, 0);
	assert_string_equal(d->bajo_stock[0].unidad, "kg");
	assert_int_equal(d->bajo_stock[1].producto_id, 3);
	assert_int_equal(d->bajo_stock[1].vendido_milli, 3000);
	assert_int_equal(d->bajo_stock[1].dias_restantes, 20);   /* 2 units / (3 units / 31 days) */
	assert_int_equal(d->bajo_stock[2].producto_id, 1);
	assert_int_equal(d->bajo_stock[2].dias_restantes, 31);
	assert_true(has_insight(d, "Queso campesino está agotado."));
	assert_true(has_insight(d, "Gaseosa Postobón 400 ml: quedan 2 unidades, alcanza para"
				   " unos 20 días al ritmo actual (0,1 por día)."));

	/* 8 products, 6 sold in March: Queso campesino and Pan Tajado had none. */
	assert_int_equal(d->n_productos, 8);
	assert_int_equal(d->n_productos_vendidos, 6);
	assert_int_equal(d->n_productos_sin_ventas, 2);
	assert_true(has_insight(d, "2 de 8 productos no tuvieron ventas en el periodo."));
	assert_true(has_insight(d, "Ticket promedio: $ 16.927 en 3 ventas."));
	assert_int_equal(d->decimales_moneda, 0);
}

static void test_period_bounds(void **state)
{
	struct fixture *f = *state;
	load_shop(f->db);

	/* "This month" seen at 22:00 on March 31st local time is March, V3 included. */
	struct dashboard *d = compute(f->db, 1, "mes", "", NOW_MAR31_22H);
	assert_int_equal(d->period.desde, 20250301);
	assert_int_equal(d->n_ventas, 3);

	/* April holds V5 only; V3 (April 1st 03:00 UTC) is not April's. */
	d = compute(f->db, 1, "", "2025-04", NOW_MAR31_22H);
	assert_int_equal(d->n_ventas, 1);
	assert_int_equal(d->ventas_total_cents, 404600);
	assert_int_equal(d->prev_n_ventas, 3);    /* the 30 days before April: March 2nd..31st */

	/* Last 7 days: March 25th..31st, V3 only. */
	d = compute(f->db, 1, "7d", "", NOW_MAR31_22H);
	assert_int_equal(d->n_ventas, 1);
	assert_int_equal(d->ventas_total_cents, 1491000);
	assert_int_equal(d->n_top, 3);
	assert_int_equal(d->top[0].producto_id, 6);

	/* The year: V1, V2, V3, V5, V6. */
	d = compute(f->db, 1, "anio", "", NOW_MAR31_22H);
	assert_int_equal(d->n_ventas, 5);
	assert_int_equal(d->ventas_total_cents, 5078100 + 404600 + 290000);

	/* A month without sales. */
	d = compute(f->db, 1, "", "2024-06", NOW_MAR31_22H);
	assert_int_equal(d->n_ventas, 0);
	assert_int_equal(d->n_top, 0);
	assert_int_equal(d->n_categorias, 0);
	assert_false(d->hay_cambio);
	assert_true(has_insight(d, "No hay ventas en este periodo"));
	assert_int_equal(d->n_productos_sin_ventas, 8);

	/* Tenant 2 sees only its own sale and its own low stock. */
	d = compute(f->db, 2, "", "2025-03", NOW_MAR31_22H);
	assert_int_equal(d->n_ventas, 1);
	assert_int_equal(d->ventas_total_cents, 99990000);
	assert_int_equal(d->n_bajo_stock, 1);
	assert_int_equal(d->bajo_stock[0].producto_id, 8);
	assert_false(d->hay_cambio);
	assert_true(has_insight(d, "No hubo ventas en los 31 días anteriores"));
}

static void test_categories_fold(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->db, "INSERT INTO usuarios (id, username, username_lower, password, rol, tenant_id,"
		       " created_at) VALUES (1, 'dueno', 'dueno', 'x', 'admin', 1, 0)");
	add_product(f->db, 1, 1, "Cosa", "", 100000, 0, "unidad");
	add_sale(f->db, 1, 1, 1741014000, 0, 0, 0, false);
	/* 15 categories with totals 100..1500; "" is "Sin categoría" for the page. */
	for (int i = 1; i <= 15; i++) {
		char cat[16];
		xsnprintf(cat, sizeof(cat), "Cat %02d", i);
		add_item(f->db, 1, 1, "Cosa", i == 15 ? "" : cat, 1000, 100 * i, 0, 0);
	}
	struct dashboard *d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_int_equal(d->n_categorias, DASH_MAX_CATEGORIAS + 1);
	assert_string_equal(d->categorias[0].nombre, "");
	assert_int_equal(d->categorias[0].total_cents, 1500);
	assert_string_equal(d->categorias[1].nombre, "Cat 14");
	assert_true(d->categorias[DASH_MAX_CATEGORIAS].otras);
	assert_int_equal(d->categorias[DASH_MAX_CATEGORIAS].total_cents, 100 + 200 + 300);
	assert_int_equal(d->n_top, 1);
	assert_int_equal(d->top[0].qty_milli, 15000);
}

/* ---- cache --------------------------------------------------------------- */

static void test_cache_invalidation(void **state)
{
	struct fixture *f = *state;
	load_shop(f->db);
	struct dashboard *d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 3);
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_true(d->desde_cache);
	assert_int_equal(d->n_ventas, 3);
	assert_int_equal(d->bajo_stock[1].dias_restantes, 20);

	/* Another tenant's period is another entry. */
	d = compute(f->db, 2, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 1);

	/* A new sale (with its ledger rows) is seen at once. */
	add_sale(f->db, 8, 1, 1742482800, 100000, 19000, 50000, false);
	add_item(f->db, 8, 3, "Gaseosa Postobón 400 ml", "Bebidas", 1000, 100000, 19000, 50000);
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 4);
	assert_int_equal(d->ventas_total_cents, 5078100 + 119000);
	assert_int_equal(d->bajo_stock[1].vendido_milli, 4000);

	/* Annulment: the flag plus its reversing movements. */
	exec_ok(f->db, "UPDATE ventas SET anulada = 1 WHERE id = 2");
	exec_ok(f->db, "INSERT INTO movimientos (tenant_id, producto_id, tipo, cantidad_milli,"
		       " saldo_milli, costo_unitario_cents, venta_id, created_at)"
		       " VALUES (1, 2, 'anulacion', 5000, 105000, 0, 2, 1743476400)");
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 3);
	assert_int_equal(d->ventas_total_cents, 5078100 + 119000 - 1854600);
	assert_int_equal(d->dia_semana_n[5], 0);

	/* Low stock is read fresh on every view, cache or not. */
	exec_ok(f->db, "UPDATE productos SET stock_minimo_milli = 0 WHERE id = 3");
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_true(d->desde_cache);
	assert_int_equal(d->n_bajo_stock, 2);

	/* The currency setting too. */
	exec_ok(f->db, "UPDATE configuracion SET decimales_moneda = 2 WHERE tenant_id = 1");
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_int_equal(d->decimales_moneda, 2);

	/* More periods than slots: the least recently used go, answers stay right. */
	for (int i = 0; i < 40; i++) {
		char mes[8];
		xsnprintf(mes, sizeof(mes), "%04d-%02d", 2020 + i / 12, 1 + i % 12);
		d = compute(f->db, 1, "", mes, NOW_MAR31_22H);
		assert_int_equal(d->n_ventas, 0);
	}
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 3);
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_true(d->desde_cache);

	dashboard_cache_enable(false);
	d = compute(f->db, 1, "", "2025-03", NOW_MAR31_22H);
	assert_false(d->desde_cache);
	assert_int_equal(d->n_ventas, 3);
	dashboard_cache_enable(true);
}

/* ---- charts --------------------------------------------------------------- */

static void test_chart_svg(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct chart_bar bars[3] = {
		{ "<script>alert(1)</script>", 100, "$ 1", NULL },
		{ "Martes \"&'", 50, "<b>", "<i>full</i>" },
		{ "Miércoles", 0, "$ 0", NULL },
	};
	chart_svg_columns(&out, "c", "Ventas <por> día", bars, 3);
	assert_null(strstr(out.ptr, "<script"));
	assert_null(strstr(out.ptr, "<b>"));
	assert_non_null(strstr(out.ptr, "&lt;script&gt;"));
	assert_non_null(strstr(out.ptr, "Martes &quot;&amp;&#x27;"));
	assert_null(strstr(out.ptr, "<i>"));
	assert_non_null(strstr(out.ptr, "<title>Martes &quot;&amp;&#x27;: &lt;i&gt;full&lt;/i&gt;</title>"));
	assert_non_null(strstr(out.ptr, "<title>Miércoles: $ 0</title>"));
	assert_non_null(strstr(out.ptr, "<title id=\"c-t\">Ventas &lt;por&gt; día</title>"));
	/* Heights scale to the largest (180 px): 180, 90, 0; 560 / 3 = 186 px slots. */
	assert_non_null(strstr(out.ptr, "x=\"37\" y=\"24\" width=\"111\" height=\"180\""));
	assert_non_null(strstr(out.ptr, "x=\"223\" y=\"114\" width=\"111\" height=\"90\""));
	assert_non_null(strstr(out.ptr, "x=\"409\" y=\"204\" width=\"111\" height=\"0\""));
	assert_true(strncmp(out.ptr, "<svg ", 5) == 0);
	assert_non_null(strstr(out.ptr, "</svg>"));
	buf_release(&out);

	/* Rows: a tiny value still shows; a long label is cut on a character boundary. */
	struct chart_bar rows[2] = {
		{ "Categoría con un nombre larguísimo de verdad", INT64_MAX, "máx", NULL },
		{ "ñ", 1, "mín", NULL },
	};
	chart_svg_rows(&out, "r", "Categorías", rows, 2);
	assert_non_null(strstr(out.ptr, "width=\"290\""));
	assert_non_null(strstr(out.ptr, "width=\"1\""));
	assert_non_null(strstr(out.ptr, ">Categoría con un nombre\xe2\x80\xa6</text>"));
	buf_release(&out);

	chart_svg_rows(&out, "e", "Vacío", NULL, 0);
	assert_non_null(strstr(out.ptr, "</svg>"));
	buf_release(&out);
}

/* ---- seeder ------------------------------------------------------------- */

static int64_t one_int(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static void test_seed_demo(void **state)
{
	struct fixture *f = *state;
	const int64_t now = NOW_MAR31_22H;
	const char *hash = "pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=";
	assert_int_equal(seed_demo(f->db, hash, 60, 400, 42, now), 0);

	assert_int_equal(one_int(f->db, "SELECT count(*) FROM usuarios"
				 " WHERE username IN ('admin', 'vendedor')"), 2);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM usuarios u"
				 " JOIN usuarios a ON a.id = u.creado_por"
				 " WHERE u.username = 'vendedor' AND a.username = 'admin'"
				 " AND u.tenant_id = a.id AND a.tenant_id = a.id"), 1);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM configuracion WHERE"
				 " nombre_negocio = 'Tienda La Esquina' AND nit = '900.123.456-7'"
				 " AND pie_factura = '¡Gracias por su compra!'"), 1);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM productos"), 60);
	assert_int_equal(one_int(f->db, "SELECT count(DISTINCT nombre) FROM productos"), 60);
	assert_true(one_int(f->db, "SELECT count(DISTINCT categoria) FROM productos") >= 10);
	assert_true(one_int(f->db, "SELECT count(*) FROM productos WHERE unidad = 'kg'") >= 1);
	assert_true(one_int(f->db, "SELECT count(*) FROM productos WHERE iva_centi = 500") >= 1);
	assert_true(one_int(f->db, "SELECT count(*) FROM productos WHERE iva_centi = 0") >= 1);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM productos WHERE"
				 " precio_compra_cents * 100 < precio_cents * 58"
				 " OR precio_compra_cents * 100 > precio_cents * 80"), 0);

	/* Every barcode: 770 + 9 digits + a correct check digit, all distinct. */
	static const char codes_sql[] = "SELECT codigo_de_barras FROM productos";
	struct db_stmt *st = db_prepare(f->db, codes_sql);
	int n_codes = 0;
	while (db_step(st) == DB_ROW) {
		size_t len;
		const char *code = db_col_text(st, 0, &len);
		assert_true(ean13_valid(code, len));
		assert_true(strncmp(code, "770", 3) == 0);
		n_codes++;
	}
	db_done(st);
	assert_int_equal(n_codes, 60);
	assert_int_equal(one_int(f->db, "SELECT count(DISTINCT codigo_de_barras) FROM productos"), 60);

	/* Sales: all of them, in the last 90 days, both payment forms and both sellers. */
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM ventas WHERE anulada = 0"), 400);
	assert_true(one_int(f->db, "SELECT min(created_at) FROM ventas") >= now - 90 * 86400);
	assert_true(one_int(f->db, "SELECT max(created_at) FROM ventas") <= now);
	assert_true(one_int(f->db, "SELECT count(*) FROM ventas WHERE forma_pago = 'Transferencia'"
			    " AND banco IN ('Bancolombia', 'Nequi', 'Davivienda')") > 0);
	assert_true(one_int(f->db, "SELECT count(*) FROM ventas WHERE forma_pago = 'Efectivo'"
			    " AND monto_recibido_cents >= total_cents AND monto_recibido_cents % 100000 = 0") > 0);
	assert_int_equal(one_int(f->db, "SELECT count(DISTINCT usuario_id) FROM ventas"), 2);
	int64_t n_items = one_int(f->db, "SELECT count(*) FROM venta_items");
	assert_true(n_items >= 400 && n_items <= 2000);

	/* The ledger holds: stock = sum of movements, never negative. */
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM productos p WHERE stock_milli <>"
				 " (SELECT coalesce(sum(cantidad_milli), 0) FROM movimientos m"
				 "  WHERE m.producto_id = p.id)"), 0);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM productos WHERE stock_milli < 0"), 0);

	/* The dashboard agrees with the raw rows; a handful of products run low. */
	int64_t tenant = one_int(f->db, "SELECT id FROM usuarios WHERE username = 'admin'");
	struct dashboard *d = compute(f->db, tenant, "", "2025-03", now);
	int64_t march_total = one_int(f->db, "SELECT sum(total_cents) FROM ventas WHERE anulada = 0"
				      " AND dia_local BETWEEN 20250301 AND 20250331");
	assert_int_equal(d->ventas_total_cents, march_total);
	int64_t cat_sum = 0;
	for (size_t i = 0; i < d->n_categorias; i++)
		cat_sum += d->categorias[i].total_cents;
	assert_int_equal(cat_sum, march_total);
	assert_true(d->n_bajo_stock_total >= 3);
	assert_int_equal(d->n_top, 5);

	/* Seeding again fails cleanly: admin exists. */
	assert_int_equal(seed_demo(f->db, hash, 5, 5, 42, now), -1);
}

/* The same seed gives the same shop. */
static void test_seed_deterministic(void **state)
{
	struct fixture *f = *state;
	const char *hash = "pbkdf2_sha256$1000000$x$y";
	assert_int_equal(seed_demo(f->db, hash, 30, 100, 7, NOW_MAR31_22H), 0);
	static const char codes_sql[] =
		"SELECT sum(CAST(substr(codigo_de_barras, 4, 9) AS INTEGER)) FROM productos";
	int64_t total_a = one_int(f->db, "SELECT sum(total_cents) FROM ventas");
	int64_t codes_a = one_int(f->db, codes_sql);

	void *other = NULL;
	open_db(&other);
	struct fixture *g = other;
	assert_int_equal(seed_demo(g->db, hash, 30, 100, 7, NOW_MAR31_22H), 0);
	assert_int_equal(one_int(g->db, "SELECT sum(total_cents) FROM ventas"), total_a);
	assert_int_equal(one_int(g->db, codes_sql), codes_a);
	close_db(&other);
}

int main(void)
{
	/* What config.c does at start-up: every local day is Bogotá's. */
	setenv("TZ", "America/Bogota", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ean13),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_period_parsing),
		cmocka_unit_test_setup_teardown(test_march_figures, open_db, close_db),
		cmocka_unit_test_setup_teardown(test_period_bounds, open_db, close_db),
		cmocka_unit_test_setup_teardown(test_categories_fold, open_db, close_db),
		cmocka_unit_test_setup_teardown(test_cache_invalidation, open_db, close_db),
		cmocka_unit_test(test_chart_svg),
		cmocka_unit_test_setup_teardown(test_seed_demo, open_db, close_db),
		cmocka_unit_test_setup_teardown(test_seed_deterministic, open_db, close_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
