/*
 * venta.c - the checkout (see venta.h). Input is checked before any SQL;
 * then one write transaction reads prices, VAT and cost on the server,
 * decrements each product's stock with a conditional update plus a
 * 'venta' movement, takes the tenant's next invoice number and stores the
 * sale and its lines. Every failure after BEGIN rolls everything back.
 */
#include <stdarg.h>
#include <time.h>

#include "core/utf8.h"
#include "db/db.h"
#include "domain/money.h"
#include "domain/usuario.h"
#include "domain/venta.h"

/* One line of the sale after merging repeated products. */
struct linea {
	int64_t producto_id;
	int64_t qty_milli;
	size_t first_pos;      /* where the product first appears in the cart */
	bool fraccion;         /* some cart line had a fractional quantity */
	char nombre[401];
	char categoria[201];
	char unidad[8];
	int64_t precio_cents;
	int64_t iva_centi;
	int64_t costo_unitario_cents;
	int64_t neto_cents;
	int64_t iva_cents;
	int64_t subtotal_cents;
	int64_t costo_cents;
	int64_t saldo_milli;   /* stock after this sale */
};

static const char sql_replay[] =
	"SELECT id, numero, neto_cents, iva_cents, total_cents, cambio_cents, usuario_id"
	" FROM ventas WHERE tenant_id = ? AND idempotency_key = ?";
static const char sql_cliente[] =
	"SELECT nombre FROM clientes WHERE id = ? AND tenant_id = ? AND activo = 1";
static const char sql_producto[] =
	"SELECT nombre, categoria, precio_cents, iva_centi, precio_compra_cents, unidad"
	" FROM productos WHERE id = ? AND tenant_id = ?";
static const char sql_counter[] =
	"UPDATE configuracion SET siguiente_numero = siguiente_numero + 1 WHERE tenant_id = ?";
static const char sql_config_insert[] =
	"INSERT INTO configuracion (tenant_id) VALUES (?)";
static const char sql_config[] =
	"SELECT siguiente_numero, prefijo_factura, permitir_stock_negativo"
	" FROM configuracion WHERE tenant_id = ?";
static const char sql_stock_update[] =
	"UPDATE productos SET stock_milli = stock_milli - ?, updated_at = ?"
	" WHERE id = ? AND tenant_id = ? AND (stock_milli >= ? OR ? = 1)";
static const char sql_stock[] =
	"SELECT stock_milli FROM productos WHERE id = ? AND tenant_id = ?";
static const char sql_venta_insert[] =
	"INSERT INTO ventas (tenant_id, consecutivo, numero, usuario_id, cliente_id,"
	" cliente_nombre, neto_cents, iva_cents, total_cents, costo_cents, forma_pago,"
	" monto_recibido_cents, cambio_cents, banco, referencia, idempotency_key, anulada,"
	" created_at, dia_local)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
static const char sql_numero_taken[] =
	"SELECT id FROM ventas WHERE tenant_id = ? AND (numero = ? OR consecutivo = ?)";
static const char sql_item_insert[] =
	"INSERT INTO venta_items (venta_id, tenant_id, producto_id, producto_nombre, categoria,"
	" cantidad_milli, precio_unitario_cents, iva_centi, neto_cents, iva_cents,"
	" subtotal_cents, costo_unitario_cents, costo_cents, dia_local)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_mov_insert[] =
	"INSERT INTO movimientos (tenant_id, producto_id, tipo, cantidad_milli, saldo_milli,"
	" costo_unitario_cents, usuario_id, venta_id, created_at)"
	" VALUES (?, ?, 'venta', ?, ?, ?, ?, ?, ?)";

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
	if (!err || err_len == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	if (n < 0)
		err[0] = '\0';
	else if ((size_t)n >= err_len)
		/* A message cut mid-character would not survive JSON or HTML. */
		err[utf8_boundary(err, err_len - 1, err_len - 1)] = '\0';
}

static bool blank(const char *s, size_t size)
{
	return str_trim((str){ s, strnlen(s, size) }).len == 0;
}

static int64_t dia_local_of(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 19700101;
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int cmp_producto(const void *a, const void *b)
{
	const struct linea *x = a, *y = b;
	if (x->producto_id != y->producto_id)
		return x->producto_id < y->producto_id ? -1 : 1;
	return x->first_pos < y->first_pos ? -1 : x->first_pos > y->first_pos;
}

static enum venta_status validate(const struct user *seller, const struct venta_input *in,
				  char *err, size_t err_len)
{
	if (!seller || seller->tenant_id <= 0) {
		set_err(err, err_len, "El usuario no pertenece a ningún negocio");
		return VENTA_INVALID;
	}
	if (in->n_items < 1 || in->n_items > VENTA_MAX_ITEMS) {
		set_err(err, err_len, "La venta debe tener entre 1 y %d productos", VENTA_MAX_ITEMS);
		return VENTA_INVALID;
	}
	for (size_t i = 0; i < in->n_items; i++) {
		if (in->items[i].producto_id <= 0) {
			set_err(err, err_len, "Producto no encontrado");
			return VENTA_NOT_FOUND;
		}
		if (in->items[i].cantidad_milli <= 0 || in->items[i].cantidad_milli > QTY_MAX_MILLI) {
			set_err(err, err_len, "La cantidad debe ser mayor que cero y no exceder %lld",
				QTY_MAX_MILLI / 1000);
			return VENTA_INVALID;
		}
	}
	if (in->transferencia && blank(in->banco, sizeof(in->banco))) {
		set_err(err, err_len, "Indique el banco de la transferencia");
		return VENTA_INVALID;
	}
	if (in->monto_recibido_cents < 0 || in->monto_recibido_cents > MONEY_MAX_CENTS) {
		set_err(err, err_len, "El monto recibido no es válido");
		return VENTA_INVALID;
	}
	if (in->cliente_id < 0) {
		set_err(err, err_len, "Cliente no encontrado");
		return VENTA_NOT_FOUND;
	}
	return VENTA_OK;
}

/* Repeated products become one line, so stock is checked for their total;
 * lines end up sorted by producto_id, the order stock rows are locked in. */
static size_t merge_lines(const struct venta_input *in, struct linea *lineas)
{
	for (size_t i = 0; i < in->n_items; i++) {
		lineas[i].producto_id = in->items[i].producto_id;
		lineas[i].qty_milli = in->items[i].cantidad_milli;
		lineas[i].first_pos = i;
		lineas[i].fraccion = in->items[i].cantidad_milli % 1000 != 0;
	}
	qsort(lineas, in->n_items, sizeof(*lineas), cmp_producto);
	size_t n = 0;
	for (size_t i = 0; i < in->n_items; i++) {
		if (n > 0 && lineas[n - 1].producto_id == lineas[i].producto_id) {
			/* Each addend is <= QTY_MAX_MILLI and there are at most
			 * VENTA_MAX_ITEMS of them: no overflow. */
			lineas[n - 1].qty_milli += lineas[i].qty_milli;
			lineas[n - 1].fraccion |= lineas[i].fraccion;
		} else {
			lineas[n++] = lineas[i];
		}
	}
	return n;
}

#define KEY_OF_ANOTHER_SELLER 2
#define MSG_KEY_OF_ANOTHER_SELLER "La clave de idempotencia ya se usó en una venta de otro usuario"

/*
 * 1 and out filled when this seller already made a sale with this key;
 * KEY_OF_ANOTHER_SELLER when someone else of the tenant did (a reused key
 * must not hand one seller another's sale); 0 when not; -1 on error.
 */
static int find_replay(struct db *db, const struct user *seller, const struct venta_input *in,
		       struct venta_result *out)
{
	int64_t tenant_id = seller->tenant_id;
	struct db_stmt *st = db_prepare(db, sql_replay);
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, in->idempotency_key,
		     strnlen(in->idempotency_key, sizeof(in->idempotency_key)));
	int rc = db_step(st);
	if (rc == DB_ROW && db_col_int(st, 6) != seller->id) {
		db_done(st);
		return KEY_OF_ANOTHER_SELLER;
	}
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		db_col_copy(st, 1, out->numero, sizeof(out->numero));
		out->neto_cents = db_col_int(st, 2);
		out->iva_cents = db_col_int(st, 3);
		out->total_cents = db_col_int(st, 4);
		out->cambio_cents = db_col_int(st, 5);
		out->replayed = true;
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Reads one product (tenant-scoped) and computes the line's figures. */
static enum venta_status price_line(struct db *db, int64_t tenant_id, struct linea *l,
				    char *err, size_t err_len)
{
	struct db_stmt *st = db_prepare(db, sql_producto);
	db_bind_int(st, 1, l->producto_id);
	db_bind_int(st, 2, tenant_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		db_col_copy(st, 0, l->nombre, sizeof(l->nombre));
		db_col_copy(st, 1, l->categoria, sizeof(l->categoria));
		l->precio_cents = db_col_int(st, 2);
		l->iva_centi = db_col_int(st, 3);
		l->costo_unitario_cents = db_col_int(st, 4);
		db_col_copy(st, 5, l->unidad, sizeof(l->unidad));
	}
	db_done(st);
	if (rc == DB_DONE) {
		set_err(err, err_len, "Producto no encontrado");
		return VENTA_NOT_FOUND;
	}
	if (rc != DB_ROW) {
		set_err(err, err_len, "No se pudo registrar la venta; intente de nuevo");
		return VENTA_ERROR;
	}
	if (strcmp(l->unidad, "kg") != 0 && l->fraccion) {
		set_err(err, err_len, "«%s» se vende por unidades: la cantidad debe ser un número entero",
			l->nombre);
		return VENTA_INVALID;
	}
	if (l->qty_milli > QTY_MAX_MILLI) {
		set_err(err, err_len, "La cantidad de «%s» es demasiado grande", l->nombre);
		return VENTA_INVALID;
	}
	/* Keeps every later sum far inside int64: a line is at most
	 * MONEY_MAX_CENTS net plus as much again of VAT. */
	if (l->precio_cents < 0 || l->costo_unitario_cents < 0 ||
	    (__int128)l->precio_cents * l->qty_milli > (__int128)MONEY_MAX_CENTS * 1000 ||
	    (__int128)l->costo_unitario_cents * l->qty_milli > (__int128)MONEY_MAX_CENTS * 1000 ||
	    l->iva_centi < 0 || l->iva_centi > 10000) {
		set_err(err, err_len, "El valor de «%s» excede el máximo permitido", l->nombre);
		return VENTA_INVALID;
	}
	l->neto_cents = line_net_cents(l->precio_cents, l->qty_milli);
	l->iva_cents = line_iva_cents(l->precio_cents, l->qty_milli, l->iva_centi);
	l->subtotal_cents = l->neto_cents + l->iva_cents;
	l->costo_cents = line_net_cents(l->costo_unitario_cents, l->qty_milli);
	return VENTA_OK;
}

/* Takes the next invoice number; creates the tenant's default settings row when missing. */
static int take_number(struct db *db, int64_t tenant_id, int64_t *consecutivo,
		       char *prefijo, size_t prefijo_size, bool *permitir_negativo)
{
	struct db_stmt *st = db_prepare(db, sql_counter);
	db_bind_int(st, 1, tenant_id);
	if (db_step_done(st) != DB_DONE)
		return -1;
	if (db_changes(db) == 0) {
		st = db_prepare(db, sql_config_insert);
		db_bind_int(st, 1, tenant_id);
		if (db_step_done(st) != DB_DONE)
			return -1;
		st = db_prepare(db, sql_counter);
		db_bind_int(st, 1, tenant_id);
		if (db_step_done(st) != DB_DONE || db_changes(db) != 1)
			return -1;
	}
	st = db_prepare(db, sql_config);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*consecutivo = db_col_int(st, 0) - 1;
		db_col_copy(st, 1, prefijo, prefijo_size);
		*permitir_negativo = db_col_int(st, 2) != 0;
	}
	db_done(st);
	return rc == DB_ROW && *consecutivo >= 1 ? 0 : -1;
}

/* 0 done; 1 not enough stock (message in err); -1 database error. */
static int take_stock(struct db *db, int64_t tenant_id, struct linea *l, bool permitir_negativo,
		      int64_t now, char *err, size_t err_len)
{
	struct db_stmt *st = db_prepare(db, sql_stock_update);
	db_bind_int(st, 1, l->qty_milli);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, l->producto_id);
	db_bind_int(st, 4, tenant_id);
	db_bind_int(st, 5, l->qty_milli);
	db_bind_int(st, 6, permitir_negativo ? 1 : 0);
	if (db_step_done(st) != DB_DONE)
		return -1;
	bool taken = db_changes(db) == 1;

	st = db_prepare(db, sql_stock);
	db_bind_int(st, 1, l->producto_id);
	db_bind_int(st, 2, tenant_id);
	int rc = db_step(st);
	int64_t stock_milli = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	if (!taken) {
		char disponible[32], solicitado[32];
		qty_format(stock_milli, disponible, sizeof(disponible));
		qty_format(l->qty_milli, solicitado, sizeof(solicitado));
		set_err(err, err_len, "Stock insuficiente para «%s»: disponible %s, solicitado %s",
			l->nombre, disponible, solicitado);
		return 1;
	}
	l->saldo_milli = stock_milli;
	return 0;
}

static int insert_venta(struct db *db, const struct user *seller, const struct venta_input *in,
			const char *cliente_nombre, int64_t consecutivo, const char *numero,
			const struct venta_result *tot, int64_t costo_cents, int64_t recibido_cents,
			int64_t now, int64_t dia_local)
{
	struct db_stmt *st = db_prepare(db, sql_venta_insert);
	db_bind_int(st, 1, seller->tenant_id);
	db_bind_int(st, 2, consecutivo);
	db_bind_cstr(st, 3, numero);
	db_bind_int(st, 4, seller->id);
	if (in->cliente_id > 0)
		db_bind_int(st, 5, in->cliente_id);
	else
		db_bind_null(st, 5);
	db_bind_cstr(st, 6, cliente_nombre);
	db_bind_int(st, 7, tot->neto_cents);
	db_bind_int(st, 8, tot->iva_cents);
	db_bind_int(st, 9, tot->total_cents);
	db_bind_int(st, 10, costo_cents);
	db_bind_cstr(st, 11, in->transferencia ? "Transferencia" : "Efectivo");
	db_bind_int(st, 12, recibido_cents);
	db_bind_int(st, 13, tot->cambio_cents);
	/* A cash sale keeps no bank details, whatever the form carried. */
	db_bind_text(st, 14, in->banco, in->transferencia ? strnlen(in->banco, sizeof(in->banco)) : 0);
	db_bind_text(st, 15, in->referencia,
		     in->transferencia ? strnlen(in->referencia, sizeof(in->referencia)) : 0);
	size_t key_len = strnlen(in->idempotency_key, sizeof(in->idempotency_key));
	if (key_len)
		db_bind_text(st, 16, in->idempotency_key, key_len);
	else
		db_bind_null(st, 16);
	db_bind_int(st, 17, now);
	db_bind_int(st, 18, dia_local);
	return db_step_done(st);
}

static int insert_line(struct db *db, const struct user *seller, int64_t venta_id,
		       const struct linea *l, int64_t now, int64_t dia_local)
{
	struct db_stmt *st = db_prepare(db, sql_item_insert);
	db_bind_int(st, 1, venta_id);
	db_bind_int(st, 2, seller->tenant_id);
	db_bind_int(st, 3, l->producto_id);
	db_bind_cstr(st, 4, l->nombre);
	db_bind_cstr(st, 5, l->categoria);
	db_bind_int(st, 6, l->qty_milli);
	db_bind_int(st, 7, l->precio_cents);
	db_bind_int(st, 8, l->iva_centi);
	db_bind_int(st, 9, l->neto_cents);
	db_bind_int(st, 10, l->iva_cents);
	db_bind_int(st, 11, l->subtotal_cents);
	db_bind_int(st, 12, l->costo_unitario_cents);
	db_bind_int(st, 13, l->costo_cents);
	db_bind_int(st, 14, dia_local);
	if (db_step_done(st) != DB_DONE)
		return -1;

	st = db_prepare(db, sql_mov_insert);
	db_bind_int(st, 1, seller->tenant_id);
	db_bind_int(st, 2, l->producto_id);
	db_bind_int(st, 3, -l->qty_milli);
	db_bind_int(st, 4, l->saldo_milli);
	db_bind_int(st, 5, l->costo_unitario_cents);
	db_bind_int(st, 6, seller->id);
	db_bind_int(st, 7, venta_id);
	db_bind_int(st, 8, now);
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

static bool numero_taken(struct db *db, int64_t tenant_id, const char *numero, int64_t consecutivo)
{
	struct db_stmt *st = db_prepare(db, sql_numero_taken);
	db_bind_int(st, 1, tenant_id);
	db_bind_cstr(st, 2, numero);
	db_bind_int(st, 3, consecutivo);
	bool taken = db_step(st) == DB_ROW;
	db_done(st);
	return taken;
}

static int cmp_first_pos(const void *a, const void *b)
{
	const struct linea *const *x = a, *const *y = b;
	return (*x)->first_pos < (*y)->first_pos ? -1 : (*x)->first_pos > (*y)->first_pos;
}

/* The tenant's currency decimals (0 or 2), -1 on a database error. */
static int64_t tenant_decimales(struct db *db, int64_t tenant_id)
{
	static const char sql[] = "SELECT decimales_moneda FROM configuracion WHERE tenant_id = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step(st);
	int64_t d = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return d;
}

enum venta_status venta_create(struct db *db, const struct user *seller,
			       const struct venta_input *in, int64_t now,
			       struct venta_result *out, char *err, size_t err_len)
{
	struct linea *lineas = NULL;
	struct linea **orden = NULL;
	bool in_tx = false;
	enum venta_status status;
	char cliente_nombre[601];
	char prefijo[64];
	char numero[sizeof(out->numero)];
	struct venta_result tot = { 0 };
	int64_t consecutivo = 0, costo_cents = 0, recibido_cents = 0;
	int64_t venta_id = 0, dia_local = dia_local_of(now);
	size_t n_lineas = 0, quick_len;
	bool permitir_negativo = false;
	bool has_key = in->idempotency_key[0] != '\0';

	memset(out, 0, sizeof(*out));
	if (err && err_len)
		err[0] = '\0';
	status = validate(seller, in, err, err_len);
	if (status != VENTA_OK)
		return status;
	status = VENTA_ERROR;

	lineas = xcalloc(in->n_items, sizeof(*lineas));
	n_lineas = merge_lines(in, lineas);

	/* The write lock comes first: concurrent checkouts queue here
	 * instead of deadlocking on a read-to-write upgrade. */
	int rc = db_begin(db, true);
	if (rc != DB_OK) {
		set_err(err, err_len, rc == DB_BUSY
			? "El sistema está ocupado; intente de nuevo en un momento"
			: "No se pudo registrar la venta; intente de nuevo");
		if (rc == DB_BUSY)
			status = VENTA_BUSY;
		goto done;
	}
	in_tx = true;

	if (has_key) {
		int found = find_replay(db, seller, in, out);
		if (found < 0)
			goto db_fail;
		if (found == 1) {
			status = VENTA_OK;
			goto done;
		}
		if (found == KEY_OF_ANOTHER_SELLER) {
			set_err(err, err_len, MSG_KEY_OF_ANOTHER_SELLER);
			status = VENTA_INVALID;
			goto done;
		}
	}

	quick_len = strnlen(in->cliente_nombre, sizeof(in->cliente_nombre));
	memcpy(cliente_nombre, in->cliente_nombre, quick_len);
	cliente_nombre[quick_len] = '\0';
	if (in->cliente_id > 0) {
		struct db_stmt *st = db_prepare(db, sql_cliente);
		db_bind_int(st, 1, in->cliente_id);
		db_bind_int(st, 2, seller->tenant_id);
		rc = db_step(st);
		if (rc == DB_ROW)
			db_col_copy(st, 0, cliente_nombre, sizeof(cliente_nombre));
		db_done(st);
		if (rc == DB_DONE) {
			set_err(err, err_len, "Cliente no encontrado");
			status = VENTA_NOT_FOUND;
			goto done;
		}
		if (rc != DB_ROW)
			goto db_fail;
	}

	for (size_t i = 0; i < n_lineas; i++) {
		status = price_line(db, seller->tenant_id, &lineas[i], err, err_len);
		if (status != VENTA_OK)
			goto done;
		tot.neto_cents += lineas[i].neto_cents;
		tot.iva_cents += lineas[i].iva_cents;
		tot.total_cents += lineas[i].subtotal_cents;
		costo_cents += lineas[i].costo_cents;
	}
	status = VENTA_ERROR;
	if (tot.total_cents > MONEY_MAX_CENTS) {
		set_err(err, err_len, "El total de la venta excede el máximo permitido");
		status = VENTA_INVALID;
		goto done;
	}
	if (!in->transferencia && in->monto_recibido_cents > 0) {
		/* Cash is asked for as the total is shown: with whole-peso display
		 * a $ 47 total (46,94 exact, a kg sale) is paid with 47, and the
		 * change is received minus the amount shown, so the receipt adds up. */
		int64_t decimales = tenant_decimales(db, seller->tenant_id);
		int64_t due_cents = decimales == 0 ? div_round_half_up(tot.total_cents, 100) * 100
						   : tot.total_cents;
		if (decimales < 0)
			goto db_fail;
		if (in->monto_recibido_cents < due_cents) {
			set_err(err, err_len, "El monto recibido es menor que el total");
			status = VENTA_INVALID;
			goto done;
		}
		recibido_cents = in->monto_recibido_cents;
		tot.cambio_cents = recibido_cents - due_cents;
	}

	if (take_number(db, seller->tenant_id, &consecutivo, prefijo, sizeof(prefijo),
			&permitir_negativo) != 0)
		goto db_fail;
	if (xsnprintf(numero, sizeof(numero), "%s%06lld", prefijo, (long long)consecutivo) < 0) {
		set_err(err, err_len, "El prefijo de factura configurado es demasiado largo");
		status = VENTA_INVALID;
		goto done;
	}

	for (size_t i = 0; i < n_lineas; i++) {
		int taken = take_stock(db, seller->tenant_id, &lineas[i], permitir_negativo, now,
				       err, err_len);
		if (taken < 0)
			goto db_fail;
		if (taken > 0) {
			status = VENTA_INSUFFICIENT_STOCK;
			goto done;
		}
	}

	rc = insert_venta(db, seller, in, cliente_nombre, consecutivo, numero, &tot, costo_cents,
			  recibido_cents, now, dia_local);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		in_tx = false;
		/* Another process stored this key after our lookup (possible
		 * with PostgreSQL and two instances): answer with its sale. */
		int found = has_key ? find_replay(db, seller, in, out) : 0;
		if (found == 1) {
			status = VENTA_OK;
			goto done;
		}
		if (found == KEY_OF_ANOTHER_SELLER) {
			set_err(err, err_len, MSG_KEY_OF_ANOTHER_SELLER);
			status = VENTA_INVALID;
			goto done;
		}
		if (found == 0 && numero_taken(db, seller->tenant_id, numero, consecutivo)) {
			/* The counter was set back below numbers already used. */
			set_err(err, err_len, "La factura %s ya existe: revise el siguiente número de "
				"factura en la configuración", numero);
			status = VENTA_INVALID;
			goto done;
		}
		goto db_fail;
	}
	if (rc != DB_DONE)
		goto db_fail;
	venta_id = db_last_insert_id(db);

	/* Receipt lines keep the order the cashier scanned them in. */
	orden = xcalloc(n_lineas, sizeof(*orden));
	for (size_t i = 0; i < n_lineas; i++)
		orden[i] = &lineas[i];
	qsort(orden, n_lineas, sizeof(*orden), cmp_first_pos);
	for (size_t i = 0; i < n_lineas; i++)
		if (insert_line(db, seller, venta_id, orden[i], now, dia_local) != 0)
			goto db_fail;

	if (db_commit(db) != DB_OK)
		goto db_fail;
	in_tx = false;

	out->id = venta_id;
	memcpy(out->numero, numero, sizeof(numero));
	out->neto_cents = tot.neto_cents;
	out->iva_cents = tot.iva_cents;
	out->total_cents = tot.total_cents;
	out->cambio_cents = tot.cambio_cents;
	out->replayed = false;
	status = VENTA_OK;
	goto done;

db_fail:
	set_err(err, err_len, "No se pudo registrar la venta; intente de nuevo");
	status = VENTA_ERROR;
done:
	/* A replay only read, so rolling it back is as good as committing. */
	if (in_tx)
		db_rollback(db);
	if (status != VENTA_OK)
		memset(out, 0, sizeof(*out));
	free(orden);
	free(lineas);
	return status;
}
