/*
 * venta_query.c - see venta_query.h. Read-only queries, each one indexed
 * statement (the list walks ventas(tenant_id, created_at) backwards), with
 * text copied into the request's arena before the statement is reset.
 */
#include "db/db.h"
#include "domain/venta_query.h"

static const char sql_count[] = "SELECT count(*) FROM ventas WHERE tenant_id = ?";
static const char sql_list[] =
	"SELECT v.id, v.numero, v.created_at, v.cliente_nombre, u.username, v.forma_pago,"
	" v.total_cents, v.anulada"
	" FROM ventas v JOIN usuarios u ON u.id = v.usuario_id"
	" WHERE v.tenant_id = ?"
	" ORDER BY v.created_at DESC, v.id DESC LIMIT ? OFFSET ?";
static const char sql_get[] =
	"SELECT v.id, v.numero, v.created_at, u.username, v.cliente_id, v.cliente_nombre,"
	" v.neto_cents, v.iva_cents, v.total_cents, v.forma_pago, v.monto_recibido_cents,"
	" v.cambio_cents, v.banco, v.referencia, v.anulada"
	" FROM ventas v JOIN usuarios u ON u.id = v.usuario_id"
	" WHERE v.id = ? AND v.tenant_id = ?";
static const char sql_lineas[] =
	"SELECT producto_id, producto_nombre, cantidad_milli, precio_unitario_cents, iva_centi,"
	" neto_cents, iva_cents, subtotal_cents"
	" FROM venta_items WHERE venta_id = ? AND tenant_id = ? ORDER BY id";
static const char sql_negocio[] =
	"SELECT nombre_negocio, nit, direccion, telefono, email, pie_factura, decimales_moneda"
	" FROM configuracion WHERE tenant_id = ?";

/* A column as arena text; NULL only when the arena is full. */
static const char *col_dup(struct arena *a, struct db_stmt *st, int col)
{
	size_t len;
	const char *s = db_col_text(st, col, &len);
	return arena_strndup(a, s, len);
}

int venta_count(struct db *db, int64_t tenant_id, int64_t *n_ventas)
{
	struct db_stmt *st = db_prepare(db, sql_count);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step(st);
	*n_ventas = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int venta_list(struct db *db, struct arena *a, int64_t tenant_id, int64_t limit, int64_t offset,
	       struct venta_fila **rows, size_t *n_rows)
{
	int ret = -1;
	*rows = NULL;
	*n_rows = 0;
	if (limit <= 0 || limit > 1000 || offset < 0)
		return -1;
	struct venta_fila *out = arena_alloc(a, sizeof(*out) * (size_t)limit);
	if (!out)
		return -1;
	struct db_stmt *st = db_prepare(db, sql_list);
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, limit);
	db_bind_int(st, 3, offset);
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < (size_t)limit) {
		struct venta_fila *f = &out[n];
		f->id = db_col_int(st, 0);
		f->numero = col_dup(a, st, 1);
		f->created_at = db_col_int(st, 2);
		f->cliente_nombre = col_dup(a, st, 3);
		f->vendedor = col_dup(a, st, 4);
		f->forma_pago = col_dup(a, st, 5);
		f->total_cents = db_col_int(st, 6);
		f->anulada = db_col_int(st, 7) != 0;
		if (!f->numero || !f->cliente_nombre || !f->vendedor || !f->forma_pago)
			goto done;
		n++;
	}
	if (rc != DB_DONE && rc != DB_ROW)
		goto done;
	*rows = out;
	*n_rows = n;
	ret = 0;
done:
	db_done(st);
	return ret;
}

static int load_lineas(struct db *db, struct arena *a, int64_t tenant_id, struct venta_detalle *v)
{
	int ret = -1;
	size_t cap = 16, n = 0;
	struct venta_linea_detalle *lineas = arena_alloc(a, sizeof(*lineas) * cap);
	if (!lineas)
		return -1;
	struct db_stmt *st = db_prepare(db, sql_lineas);
	db_bind_int(st, 1, v->id);
	db_bind_int(st, 2, tenant_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct venta_linea_detalle *bigger =
				arena_alloc(a, st_mult(sizeof(*bigger), st_mult(cap, 2)));
			if (!bigger)
				goto done;
			memcpy(bigger, lineas, sizeof(*lineas) * n);
			lineas = bigger;
			cap *= 2;
		}
		struct venta_linea_detalle *l = &lineas[n];
		l->producto_id = db_col_int(st, 0);
		l->producto_nombre = col_dup(a, st, 1);
		l->cantidad_milli = db_col_int(st, 2);
		l->precio_unitario_cents = db_col_int(st, 3);
		l->iva_centi = db_col_int(st, 4);
		l->neto_cents = db_col_int(st, 5);
		l->iva_cents = db_col_int(st, 6);
		l->subtotal_cents = db_col_int(st, 7);
		if (!l->producto_nombre)
			goto done;
		n++;
	}
	if (rc != DB_DONE)
		goto done;
	v->lineas = lineas;
	v->n_lineas = n;
	ret = 0;
done:
	db_done(st);
	return ret;
}

int venta_get(struct db *db, struct arena *a, int64_t tenant_id, int64_t id,
	      struct venta_detalle *out)
{
	int ret = -1;
	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return -3;
	struct db_stmt *st = db_prepare(db, sql_get);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant_id);
	int rc = db_step(st);
	if (rc == DB_DONE) {
		ret = -3;
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	out->id = db_col_int(st, 0);
	out->numero = col_dup(a, st, 1);
	out->created_at = db_col_int(st, 2);
	out->vendedor = col_dup(a, st, 3);
	out->cliente_id = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	out->cliente_nombre = col_dup(a, st, 5);
	out->neto_cents = db_col_int(st, 6);
	out->iva_cents = db_col_int(st, 7);
	out->total_cents = db_col_int(st, 8);
	out->forma_pago = col_dup(a, st, 9);
	out->monto_recibido_cents = db_col_int(st, 10);
	out->cambio_cents = db_col_int(st, 11);
	out->banco = col_dup(a, st, 12);
	out->referencia = col_dup(a, st, 13);
	out->anulada = db_col_int(st, 14) != 0;
	if (!out->numero || !out->vendedor || !out->cliente_nombre || !out->forma_pago ||
	    !out->banco || !out->referencia)
		goto done;
	db_done(st);
	st = NULL;
	ret = load_lineas(db, a, tenant_id, out);
done:
	db_done(st);
	return ret;
}

int venta_negocio_get(struct db *db, struct arena *a, int64_t tenant_id, struct venta_negocio *out)
{
	int ret = -1;
	*out = (struct venta_negocio){ "", "", "", "", "", "", 0 };
	struct db_stmt *st = db_prepare(db, sql_negocio);
	db_bind_int(st, 1, tenant_id);
	int rc = db_step(st);
	if (rc == DB_DONE) {
		ret = 0;
		goto done;
	}
	if (rc != DB_ROW)
		goto done;
	out->nombre_negocio = col_dup(a, st, 0);
	out->nit = col_dup(a, st, 1);
	out->direccion = col_dup(a, st, 2);
	out->telefono = col_dup(a, st, 3);
	out->email = col_dup(a, st, 4);
	out->pie_factura = col_dup(a, st, 5);
	out->decimales_moneda = db_col_int(st, 6) == 2 ? 2 : 0;
	if (!out->nombre_negocio || !out->nit || !out->direccion || !out->telefono ||
	    !out->email || !out->pie_factura)
		goto done;
	ret = 0;
done:
	db_done(st);
	return ret;
}
