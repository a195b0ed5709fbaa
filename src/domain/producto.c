/*
 * producto.c - the catalogue: validation of the product form and the
 * writes that keep stock equal to the sum of its movements. Every write is
 * one transaction (BEGIN IMMEDIATE on SQLite) that either stores the product
 * row and its movement together or nothing; every query is tenant-scoped.
 */
#include "producto.h"

#include "../core/utf8.h"
#include "../db/db.h"
#include "money.h"

#define NOMBRE_MAX_CHARS 100
#define CODIGO_MAX_CHARS 50
#define CATEGORIA_MAX_CHARS 50

#define MSG_REQUIRED "Este campo es obligatorio."
#define MSG_CONTROL "Contiene caracteres no permitidos."

/* Free text: optional unless required, at most max_chars printable characters. */
static const char *check_text(str v, bool required, size_t max_chars, const char *too_long)
{
	if (v.len == 0)
		return required ? MSG_REQUIRED : "";
	if (!utf8_printable(v.ptr, v.len))
		return MSG_CONTROL;
	if (utf8_count(v.ptr, v.len) > max_chars)
		return too_long;
	return "";
}

static const char *check_barcode(str v)
{
	if (v.len == 0)
		return MSG_REQUIRED;
	if (v.len > CODIGO_MAX_CHARS)
		return "Máximo 50 caracteres.";
	for (size_t i = 0; i < v.len; i++) {
		char c = v.ptr[i];
		bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  c == '-' || c == '.';
		if (!ok)
			return "Use solo letras, números, guiones (-) y puntos (.).";
	}
	return "";
}

static const char *check_money(str v, int64_t *cents)
{
	if (v.len == 0)
		return MSG_REQUIRED;
	if (money_parse(v, cents) != 0)
		return "Ingrese un valor válido, por ejemplo 1500 o 1.500,50 (máximo 2 decimales).";
	return "";
}

/* Quantities default to 0; whole ones only for products sold by unit. */
static const char *check_qty(str v, bool whole_only, int64_t *milli)
{
	*milli = 0;
	if (v.len == 0)
		return "";
	if (qty_parse(v, milli) != 0)
		return "Ingrese una cantidad válida, por ejemplo 10 o 2,5 (máximo 3 decimales).";
	if (whole_only && *milli % 1000 != 0)
		return "Este producto se vende por unidad: la cantidad debe ser un número entero.";
	return "";
}

int producto_validate(const struct producto_input *in, int64_t default_iva_centi,
		      struct producto *p, struct producto_errors *errors)
{
	str nombre = str_trim(in->nombre);
	str codigo = str_trim(in->codigo_de_barras);
	str categoria = str_trim(in->categoria);
	str unidad = str_trim(in->unidad);
	str iva = str_trim(in->iva_porcentaje);

	*errors = (struct producto_errors){ "", "", "", "", "", "", "", "", "", false };

	errors->nombre = check_text(nombre, true, NOMBRE_MAX_CHARS, "Máximo 100 caracteres.");
	errors->codigo_de_barras = check_barcode(codigo);
	errors->categoria = check_text(categoria, false, CATEGORIA_MAX_CHARS, "Máximo 50 caracteres.");

	if (unidad.len == 0)
		unidad = STR("unidad");
	if (!str_eq_lit(unidad, "unidad") && !str_eq_lit(unidad, "kg")) {
		errors->unidad = "Seleccione «unidad» o «kg».";
		unidad = STR("unidad");
	}
	bool whole_only = str_eq_lit(unidad, "unidad");

	errors->precio_compra = check_money(str_trim(in->precio_compra), &p->precio_compra_cents);
	errors->precio = check_money(str_trim(in->precio), &p->precio_cents);
	errors->stock = check_qty(str_trim(in->stock), whole_only, &p->stock_milli);
	errors->stock_minimo = check_qty(str_trim(in->stock_minimo), whole_only, &p->stock_minimo_milli);

	if (iva.len == 0) {
		if (default_iva_centi < 0 || default_iva_centi > 10000)
			default_iva_centi = 1900;
		p->iva_centi = default_iva_centi;
	} else if (iva_parse(iva, &p->iva_centi) != 0) {
		errors->iva_porcentaje = "Ingrese un porcentaje entre 0 y 100 (máximo 2 decimales).";
	}

	const char *all[] = {
		errors->nombre, errors->codigo_de_barras, errors->categoria, errors->unidad,
		errors->precio_compra, errors->precio, errors->stock, errors->stock_minimo,
		errors->iva_porcentaje,
	};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i][0])
			errors->any = true;
	if (errors->any)
		return -1;

	/* The checks above guarantee each value fits (4 bytes per character). */
	utf8_copy(p->nombre, sizeof(p->nombre), nombre.ptr, nombre.len);
	utf8_copy(p->codigo_de_barras, sizeof(p->codigo_de_barras), codigo.ptr, codigo.len);
	utf8_copy(p->categoria, sizeof(p->categoria), categoria.ptr, categoria.len);
	utf8_copy(p->unidad, sizeof(p->unidad), unidad.ptr, unidad.len);
	return 0;
}

/* ---- database ---------------------------------------------------------- */

#define PRODUCTO_COLS                                                                        \
	"id, tenant_id, nombre, codigo_de_barras, categoria, precio_compra_cents, precio_cents," \
	" iva_centi, stock_milli, stock_minimo_milli, unidad, created_at, updated_at"

static void read_producto(struct db_stmt *st, struct producto *out)
{
	*out = (struct producto){ 0 };
	out->id = db_col_int(st, 0);
	out->tenant_id = db_col_int(st, 1);
	db_col_copy(st, 2, out->nombre, sizeof(out->nombre));
	db_col_copy(st, 3, out->codigo_de_barras, sizeof(out->codigo_de_barras));
	db_col_copy(st, 4, out->categoria, sizeof(out->categoria));
	out->precio_compra_cents = db_col_int(st, 5);
	out->precio_cents = db_col_int(st, 6);
	out->iva_centi = db_col_int(st, 7);
	out->stock_milli = db_col_int(st, 8);
	out->stock_minimo_milli = db_col_int(st, 9);
	db_col_copy(st, 10, out->unidad, sizeof(out->unidad));
	out->created_at = db_col_int(st, 11);
	out->updated_at = db_col_int(st, 12);
}

/* Steps a single-row lookup: 0 with *out, -3 when absent, -1 on error. Always resets st. */
static int fetch_one(struct db_stmt *st, struct producto *out)
{
	int r = db_step(st);
	if (r == DB_ROW)
		read_producto(st, out);
	db_done(st);
	return r == DB_ROW ? 0 : r == DB_DONE ? -3 : -1;
}

int producto_get(struct db *db, int64_t tenant_id, int64_t id, struct producto *out)
{
	static const char sql[] = "SELECT " PRODUCTO_COLS " FROM productos WHERE id = ? AND tenant_id = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant_id);
	return fetch_one(st, out);
}

int producto_by_barcode(struct db *db, int64_t tenant_id, str barcode, struct producto *out)
{
	static const char sql[] =
		"SELECT " PRODUCTO_COLS " FROM productos WHERE tenant_id = ? AND codigo_de_barras = ?";
	barcode = str_trim(barcode);
	if (barcode.len == 0 || barcode.len > CODIGO_MAX_CHARS)
		return -3;
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	db_bind_str(st, 2, barcode);
	return fetch_one(st, out);
}

/*
 * Id of the tenant's product with this barcode: 0 and *id (0 when none),
 * -1 on error. Checked inside the write transaction, so under SQLite's
 * write lock the answer cannot go stale before the INSERT/UPDATE.
 */
static int barcode_owner(struct db *db, int64_t tenant_id, const char *codigo, int64_t *id)
{
	static const char sql[] = "SELECT id FROM productos WHERE tenant_id = ? AND codigo_de_barras = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, tenant_id);
	db_bind_cstr(st, 2, codigo);
	int r = db_step(st);
	*id = r == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return r == DB_ROW || r == DB_DONE ? 0 : -1;
}

static int insert_movimiento(struct db *db, int64_t tenant_id, int64_t producto_id,
			     const char *tipo, int64_t cantidad_milli, int64_t saldo_milli,
			     int64_t costo_unitario_cents, int64_t user_id, const char *motivo,
			     int64_t now)
{
	static const char sql[] =
		"INSERT INTO movimientos (tenant_id, producto_id, tipo, cantidad_milli, saldo_milli,"
		" costo_unitario_cents, usuario_id, motivo, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = db_prepare(db, sql);
	int b = db_bind_int(st, 1, tenant_id);
	b |= db_bind_int(st, 2, producto_id);
	b |= db_bind_cstr(st, 3, tipo);
	b |= db_bind_int(st, 4, cantidad_milli);
	b |= db_bind_int(st, 5, saldo_milli);
	b |= db_bind_int(st, 6, costo_unitario_cents);
	b |= user_id > 0 ? db_bind_int(st, 7, user_id) : db_bind_null(st, 7);
	b |= db_bind_cstr(st, 8, motivo);
	b |= db_bind_int(st, 9, now);
	if (b != DB_OK) {
		db_done(st);
		return -1;
	}
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

/*
 * After a failed write, rolled back: a unique violation on the barcode (a
 * concurrent writer on a server database) is -2, anything else stays -1.
 * Asked outside the transaction, since PostgreSQL refuses every statement
 * in a transaction after an error.
 */
static int classify_failure(struct db *db, int db_rc, int64_t tenant_id, const struct producto *p)
{
	int64_t owner = 0;
	if (db_rc != DB_CONSTRAINT)
		return -1;
	if (barcode_owner(db, tenant_id, p->codigo_de_barras, &owner) == 0 && owner && owner != p->id)
		return -2;
	return -1;
}

int producto_create(struct db *db, int64_t tenant_id, int64_t user_id, struct producto *p,
		    int64_t now)
{
	static const char sql[] =
		"INSERT INTO productos (tenant_id, nombre, codigo_de_barras, categoria,"
		" precio_compra_cents, precio_cents, iva_centi, stock_milli, stock_minimo_milli,"
		" unidad, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
	struct db_stmt *st;
	int rc = -1, r = DB_OK, b;
	int64_t owner = 0, id = 0;

	if (db_begin(db, true) != DB_OK)
		return -1;
	if (barcode_owner(db, tenant_id, p->codigo_de_barras, &owner) != 0)
		goto fail;
	if (owner) {
		rc = -2;
		goto fail;
	}

	st = db_prepare(db, sql);
	b = db_bind_int(st, 1, tenant_id);
	b |= db_bind_cstr(st, 2, p->nombre);
	b |= db_bind_cstr(st, 3, p->codigo_de_barras);
	b |= db_bind_cstr(st, 4, p->categoria);
	b |= db_bind_int(st, 5, p->precio_compra_cents);
	b |= db_bind_int(st, 6, p->precio_cents);
	b |= db_bind_int(st, 7, p->iva_centi);
	b |= db_bind_int(st, 8, p->stock_milli);
	b |= db_bind_int(st, 9, p->stock_minimo_milli);
	b |= db_bind_cstr(st, 10, p->unidad);
	b |= db_bind_int(st, 11, now);
	b |= db_bind_int(st, 12, now);
	r = b == DB_OK ? db_step(st) : DB_ERROR;
	if (r == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (r != DB_ROW || id <= 0)
		goto fail;

	/* A product born with zero stock has no movement, so it stays deletable. */
	if (p->stock_milli != 0 &&
	    insert_movimiento(db, tenant_id, id, "inicial", p->stock_milli, p->stock_milli,
			      p->precio_compra_cents, user_id, "Inventario inicial", now) != 0)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;

	p->id = id;
	p->tenant_id = tenant_id;
	p->created_at = now;
	p->updated_at = now;
	return 0;
fail:
	db_rollback(db);
	return r == DB_CONSTRAINT ? classify_failure(db, r, tenant_id, p) : rc;
}

/*
 * The update behind producto_update and producto_update_keep_stock. With
 * keep_stock the stock stays whatever it is now: the edit form leaves it
 * alone when the user did not touch the field, so a sale made while the
 * form was open is not silently undone by an 'ajuste'.
 */
static int update_impl(struct db *db, int64_t tenant_id, int64_t user_id, struct producto *p,
		       int64_t now, bool keep_stock)
{
	/* The stock guard makes the update conditional on the value we read, which
	 * matters on a server database where BEGIN does not take the write lock. */
	static const char sql[] =
		"UPDATE productos SET nombre = ?, codigo_de_barras = ?, categoria = ?,"
		" precio_compra_cents = ?, precio_cents = ?, iva_centi = ?, stock_milli = ?,"
		" stock_minimo_milli = ?, unidad = ?, updated_at = ?"
		" WHERE id = ? AND tenant_id = ? AND stock_milli = ?";
	struct producto cur;
	struct db_stmt *st;
	int rc = -1, r = DB_OK, b;
	int64_t owner = 0;

	if (db_begin(db, true) != DB_OK)
		return -1;
	rc = producto_get(db, tenant_id, p->id, &cur);
	if (rc != 0)
		goto fail;
	rc = -1;
	if (barcode_owner(db, tenant_id, p->codigo_de_barras, &owner) != 0)
		goto fail;
	if (owner && owner != p->id) {
		rc = -2;
		goto fail;
	}
	if (keep_stock)
		p->stock_milli = cur.stock_milli;

	st = db_prepare(db, sql);
	b = db_bind_cstr(st, 1, p->nombre);
	b |= db_bind_cstr(st, 2, p->codigo_de_barras);
	b |= db_bind_cstr(st, 3, p->categoria);
	b |= db_bind_int(st, 4, p->precio_compra_cents);
	b |= db_bind_int(st, 5, p->precio_cents);
	b |= db_bind_int(st, 6, p->iva_centi);
	b |= db_bind_int(st, 7, p->stock_milli);
	b |= db_bind_int(st, 8, p->stock_minimo_milli);
	b |= db_bind_cstr(st, 9, p->unidad);
	b |= db_bind_int(st, 10, now);
	b |= db_bind_int(st, 11, p->id);
	b |= db_bind_int(st, 12, tenant_id);
	b |= db_bind_int(st, 13, cur.stock_milli);
	if (b != DB_OK) {
		db_done(st);
		goto fail;
	}
	r = db_step_done(st);
	if (r != DB_DONE)
		goto fail;
	/* NEEDSWORK: on PostgreSQL a concurrent sale can make this 0; retry instead of failing. */
	if (db_changes(db) != 1)
		goto fail;

	if (p->stock_milli != cur.stock_milli &&
	    insert_movimiento(db, tenant_id, p->id, "ajuste", p->stock_milli - cur.stock_milli,
			      p->stock_milli, p->precio_compra_cents, user_id, "Edición de producto",
			      now) != 0)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;

	p->tenant_id = tenant_id;
	p->created_at = cur.created_at;
	p->updated_at = now;
	return 0;
fail:
	db_rollback(db);
	return r == DB_CONSTRAINT ? classify_failure(db, r, tenant_id, p) : rc;
}

int producto_update(struct db *db, int64_t tenant_id, int64_t user_id, struct producto *p,
		    int64_t now)
{
	return update_impl(db, tenant_id, user_id, p, now, false);
}

/*
 * NEEDSWORK: belongs in producto.h (declared for now in productos_views.c).
 * producto_update without touching stock: p->stock_milli is ignored and
 * comes back as the current stock; no movement is written.
 */
int producto_update_keep_stock(struct db *db, int64_t tenant_id, int64_t user_id,
			       struct producto *p, int64_t now);
int producto_update_keep_stock(struct db *db, int64_t tenant_id, int64_t user_id,
			       struct producto *p, int64_t now)
{
	return update_impl(db, tenant_id, user_id, p, now, true);
}

/*
 * The ledger is append-only (triggers forbid deleting movements), so a
 * product with any movement, or any sale line, can never be removed:
 * deleting it would orphan history. Products created with zero stock and
 * never used can be.
 */
int producto_delete(struct db *db, int64_t tenant_id, int64_t id)
{
	static const char sql_exists[] = "SELECT id FROM productos WHERE id = ? AND tenant_id = ?";
	static const char sql_used[] =
		"SELECT 1 FROM venta_items WHERE producto_id = ?"
		" UNION ALL SELECT 1 FROM movimientos WHERE producto_id = ? LIMIT 1";
	static const char sql_delete[] = "DELETE FROM productos WHERE id = ? AND tenant_id = ?";
	struct db_stmt *st;
	int rc = -1, r;

	if (db_begin(db, true) != DB_OK)
		return -1;

	st = db_prepare(db, sql_exists);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant_id);
	r = db_step(st);
	db_done(st);
	if (r != DB_ROW) {
		rc = r == DB_DONE ? -3 : -1;
		goto fail;
	}

	st = db_prepare(db, sql_used);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, id);
	r = db_step(st);
	db_done(st);
	if (r != DB_DONE) {
		rc = r == DB_ROW ? -4 : -1;
		goto fail;
	}

	st = db_prepare(db, sql_delete);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant_id);
	r = db_step_done(st);
	if (r != DB_DONE) {
		/* A foreign key from a table added later (purchases...) is a reference too. */
		rc = r == DB_CONSTRAINT ? -4 : -1;
		goto fail;
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return rc;
}
