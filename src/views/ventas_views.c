/*
 * ventas_views.c - the point of sale: the sales list, the POS screen, the
 * barcode lookup and checkout JSON endpoints, and the printable receipt.
 * Handlers parse and check input strictly, call the domain (venta_create,
 * venta_query, producto_by_barcode) and format money and quantities as
 * strings before they reach JSON or a template.
 */
#include "core/utf8.h"
#include "db/db.h"
#include "domain/money.h"
#include "domain/producto.h"
#include "domain/usuario.h"
#include "domain/venta.h"
#include "domain/venta_query.h"
#include "views/view_ctx.h"
#include "views/views.h"
#include "web/render.h"

#define MSG_ERROR_INTERNO "Ocurrió un error interno; intente de nuevo"

static int decimales_of(struct request *req)
{
	struct venta_negocio neg;
	if (venta_negocio_get(req->db, &req->arena, req->user->tenant_id, &neg) != 0)
		return 0;
	return neg.decimales_moneda;
}

/* ------------------------------------------------------------------ */
/* GET /ventas/                                                        */

int view_ventas_list(struct request *req)
{
	if (!req->user)
		return render_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar");
	int64_t tenant_id = req->user->tenant_id;
	int64_t page = 1, n_ventas = 0;
	str page_arg = req_query(req, "page");
	if (page_arg.ptr && str_to_i64(str_trim(page_arg), 1, 1000000, &page) != 0)
		page = 1;
	if (venta_count(req->db, tenant_id, &n_ventas) != 0)
		return render_error(req, 500, "ERROR", MSG_ERROR_INTERNO);
	int64_t n_pages = n_ventas ? (n_ventas + VENTA_LIST_PAGE_SIZE - 1) / VENTA_LIST_PAGE_SIZE : 1;
	if (page > n_pages)
		page = n_pages;

	struct venta_fila *rows;
	size_t n_rows;
	if (venta_list(req->db, &req->arena, tenant_id, VENTA_LIST_PAGE_SIZE,
		       (page - 1) * VENTA_LIST_PAGE_SIZE, &rows, &n_rows) != 0)
		return render_error(req, 500, "ERROR", MSG_ERROR_INTERNO);
	int decimales = decimales_of(req);

	json_t *ventas = json_array();
	for (size_t i = 0; i < n_rows; i++) {
		char fecha[32];
		json_t *v = json_object();
		local_datetime_format(rows[i].created_at, fecha, sizeof(fecha));
		json_object_set_new(v, "id", json_integer(rows[i].id));
		ctx_set_str(v, "numero", rows[i].numero);
		ctx_set_str(v, "fecha", fecha);
		ctx_set_str(v, "cliente", rows[i].cliente_nombre);
		ctx_set_str(v, "vendedor", rows[i].vendedor);
		ctx_set_str(v, "forma_pago", rows[i].forma_pago);
		ctx_set_money(v, "total", rows[i].total_cents, decimales);
		json_object_set_new(v, "anulada", json_boolean(rows[i].anulada));
		json_array_append_new(ventas, v);
	}

	json_t *ctx = json_object();
	ctx_set_str(ctx, "title", "Ventas");
	ctx_set_str(ctx, "nav", "ventas");
	json_object_set_new(ctx, "ventas", ventas);
	json_object_set_new(ctx, "has_ventas", json_boolean(n_rows > 0));
	json_object_set_new(ctx, "n_ventas", json_integer(n_ventas));
	json_object_set_new(ctx, "page", json_integer(page));
	json_object_set_new(ctx, "n_pages", json_integer(n_pages));
	json_object_set_new(ctx, "paginated", json_boolean(n_pages > 1));
	json_object_set_new(ctx, "has_prev", json_boolean(page > 1));
	json_object_set_new(ctx, "prev_page", json_integer(page - 1));
	json_object_set_new(ctx, "has_next", json_boolean(page < n_pages));
	json_object_set_new(ctx, "next_page", json_integer(page + 1));
	return render_page(req, 200, "ventas/lista.html", ctx);
}

/* ------------------------------------------------------------------ */
/* GET /ventas/nueva/                                                  */

int view_venta_pos(struct request *req)
{
	if (!req->user)
		return render_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar");
	json_t *ctx = json_object();
	ctx_set_str(ctx, "title", "Nueva venta");
	/* layout.html marks "Vender" active for nav_pos. */
	ctx_set_str(ctx, "nav", "pos");
	json_object_set_new(ctx, "decimales", json_integer(decimales_of(req)));
	return render_page(req, 200, "ventas/pos.html", ctx);
}

/* ------------------------------------------------------------------ */
/* POST /ventas/api/buscar-producto/                                   */

int view_buscar_producto(struct request *req)
{
	if (!req->user)
		return resp_json_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar");
	json_t *codigo = req->json ? json_object_get(req->json, "codigo_barras") : NULL;
	if (!json_is_string(codigo))
		return resp_json_error(req, 400, "VALIDATION_ERROR",
				       "Indique el código de barras (codigo_barras, texto)");
	str code = str_trim((str){ json_string_value(codigo), json_string_length(codigo) });
	if (code.len == 0)
		return resp_json_error(req, 400, "VALIDATION_ERROR", "Indique el código de barras");
	if (utf8_count(code.ptr, code.len) > 50 || memchr(code.ptr, '\0', code.len))
		return resp_json_error(req, 400, "VALIDATION_ERROR",
				       "El código de barras no puede tener más de 50 caracteres");

	struct producto p;
	int rc = producto_by_barcode(req->db, req->user->tenant_id, code, &p);
	if (rc == -3)
		return resp_json_error(req, 404, "NOT_FOUND", "Producto no encontrado");
	if (rc != 0)
		return render_error(req, 500, "ERROR", MSG_ERROR_INTERNO);

	char precio[32], iva[16], stock[32];
	money_format_plain(p.precio_cents, precio, sizeof(precio));
	iva_format(p.iva_centi, iva, sizeof(iva));
	qty_format(p.stock_milli, stock, sizeof(stock));
	json_t *data = json_object();
	json_object_set_new(data, "id", json_integer(p.id));
	ctx_set_str(data, "nombre", p.nombre);
	ctx_set_str(data, "codigo_de_barras", p.codigo_de_barras);
	ctx_set_str(data, "precio", precio);
	ctx_set_str(data, "iva_porcentaje", iva);
	ctx_set_str(data, "stock", stock);
	ctx_set_str(data, "unidad", p.unidad);
	return resp_json(req, 200, json_pack("{s:b, s:o}", "success", 1, "data", data));
}

/* ------------------------------------------------------------------ */
/* POST /ventas/nueva/                                                 */

/*
 * An optional text field: absent or null is "", anything but a string is
 * refused, as is text over max_chars characters or over the domain's
 * buffer. Returns NULL or the Spanish message.
 */
static const char *opt_text(json_t *root, const char *key, size_t max_chars, char *dst,
			    size_t dst_size, const char *too_long)
{
	json_t *v = json_object_get(root, key);
	dst[0] = '\0';
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
		return too_long;
	str s = str_trim((str){ json_string_value(v), json_string_length(v) });
	if (memchr(s.ptr, '\0', s.len) || utf8_count(s.ptr, s.len) > max_chars || s.len >= dst_size)
		return too_long;
	memcpy(dst, s.ptr, s.len);
	dst[s.len] = '\0';
	return NULL;
}

static const char *parse_cantidad(json_t *v, int64_t *qty_milli)
{
	static const char bad[] =
		"Cantidad inválida: use un número con hasta 3 decimales, por ejemplo \"2\" o \"0.250\"";
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		if (n <= 0)
			return "La cantidad debe ser mayor que cero";
		if (n > QTY_MAX_MILLI / 1000)
			return bad;
		*qty_milli = (int64_t)n * 1000;
		return NULL;
	}
	if (!json_is_string(v))
		return bad;
	if (qty_parse((str){ json_string_value(v), json_string_length(v) }, qty_milli) != 0)
		return bad;
	if (*qty_milli <= 0)
		return "La cantidad debe ser mayor que cero";
	return NULL;
}

static const char *parse_items(json_t *root, struct venta_input *in)
{
	json_t *items = json_object_get(root, "items");
	if (!json_is_array(items))
		return "Envíe los productos de la venta en \"items\" (una lista)";
	size_t n = json_array_size(items);
	if (n == 0)
		return "Agregue al menos un producto a la venta";
	if (n > VENTA_MAX_ITEMS)
		return "La venta no puede tener más de 200 productos";
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(items, i);
		if (!json_is_object(item))
			return "Cada producto debe tener producto_id y cantidad";
		json_t *id = json_object_get(item, "producto_id");
		if (!json_is_integer(id) || json_integer_value(id) <= 0)
			return "producto_id debe ser un número entero positivo";
		const char *msg = parse_cantidad(json_object_get(item, "cantidad"),
						 &in->items[i].cantidad_milli);
		if (msg)
			return msg;
		in->items[i].producto_id = (int64_t)json_integer_value(id);
	}
	in->n_items = n;
	return NULL;
}

static const char *parse_pago(json_t *root, struct venta_input *in)
{
	json_t *forma = json_object_get(root, "forma_pago");
	if (!json_is_string(forma))
		return "Forma de pago inválida: use Efectivo o Transferencia";
	str f = { json_string_value(forma), json_string_length(forma) };
	if (str_eq_lit(f, "Efectivo"))
		in->transferencia = false;
	else if (str_eq_lit(f, "Transferencia"))
		in->transferencia = true;
	else
		return "Forma de pago inválida: use Efectivo o Transferencia";

	json_t *monto = json_object_get(root, "monto_recibido");
	in->monto_recibido_cents = 0;
	if (json_is_string(monto)) {
		str m = str_trim((str){ json_string_value(monto), json_string_length(monto) });
		if (m.len && money_parse(m, &in->monto_recibido_cents) != 0)
			return "Monto recibido inválido";
	} else if (json_is_integer(monto)) {
		json_int_t pesos = json_integer_value(monto);
		if (pesos < 0 || pesos > MONEY_MAX_CENTS / 100)
			return "Monto recibido inválido";
		in->monto_recibido_cents = (int64_t)pesos * 100;
	} else if (monto && !json_is_null(monto)) {
		return "Monto recibido inválido";
	}

	const char *msg = opt_text(root, "banco", 100, in->banco, sizeof(in->banco),
				   "El banco debe ser texto de hasta 100 caracteres");
	if (!msg)
		msg = opt_text(root, "referencia", 100, in->referencia, sizeof(in->referencia),
			       "La referencia debe ser texto de hasta 100 caracteres");
	return msg;
}

static const char *parse_cliente(json_t *root, struct venta_input *in)
{
	const char *msg = opt_text(root, "cliente", 150, in->cliente_nombre,
				   sizeof(in->cliente_nombre),
				   "El nombre del cliente debe ser texto de hasta 150 caracteres");
	if (msg)
		return msg;
	json_t *id = json_object_get(root, "cliente_id");
	in->cliente_id = 0;
	if (json_is_integer(id)) {
		if (json_integer_value(id) < 0)
			return "cliente_id debe ser un número entero positivo o null";
		in->cliente_id = (int64_t)json_integer_value(id);
	} else if (id && !json_is_null(id)) {
		return "cliente_id debe ser un número entero positivo o null";
	}
	return NULL;
}

static const char *parse_idempotency_key(json_t *root, struct venta_input *in)
{
	static const char bad[] =
		"idempotency_key debe ser texto de hasta 100 caracteres visibles (por ejemplo un UUID)";
	const char *msg = opt_text(root, "idempotency_key", 100, in->idempotency_key,
				   sizeof(in->idempotency_key), bad);
	if (msg)
		return msg;
	/* Printable ASCII only: the key is an opaque token, never shown. */
	for (const char *c = in->idempotency_key; *c; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7E)
			return bad;
	return NULL;
}

int view_venta_create(struct request *req)
{
	if (!req->user)
		return resp_json_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar");
	if (!json_is_object(req->json))
		return resp_json_error(req, 400, "VALIDATION_ERROR",
				       "Se esperaba un cuerpo JSON (Content-Type: application/json)");
	struct venta_input *in = arena_alloc(&req->arena, sizeof(*in));
	if (!in)
		return render_error(req, 500, "ERROR", MSG_ERROR_INTERNO);

	const char *msg = parse_items(req->json, in);
	if (!msg)
		msg = parse_pago(req->json, in);
	if (!msg)
		msg = parse_cliente(req->json, in);
	if (!msg)
		msg = parse_idempotency_key(req->json, in);
	if (msg)
		return resp_json_error(req, 400, "VALIDATION_ERROR", msg);

	struct venta_result out;
	char err[1024];
	enum venta_status st = venta_create(req->db, req->user, in, req->now, &out, err, sizeof(err));
	switch (st) {
	case VENTA_OK:
		break;
	case VENTA_INVALID:
		return resp_json_error(req, 400, "VALIDATION_ERROR", err);
	case VENTA_NOT_FOUND:
		return resp_json_error(req, 404, "NOT_FOUND", err);
	case VENTA_INSUFFICIENT_STOCK:
		return resp_json_error(req, 409, "INSUFFICIENT_STOCK", err);
	case VENTA_BUSY:
		resp_header(req, "Retry-After", "2");
		return resp_json_error(req, 503, "BUSY", err);
	case VENTA_ERROR:
	default:
		return render_error(req, 500, "ERROR", err[0] ? err : MSG_ERROR_INTERNO);
	}

	char neto[32], iva[32], total[32], cambio[32];
	money_format_plain(out.neto_cents, neto, sizeof(neto));
	money_format_plain(out.iva_cents, iva, sizeof(iva));
	money_format_plain(out.total_cents, total, sizeof(total));
	money_format_plain(out.cambio_cents, cambio, sizeof(cambio));
	json_t *data = json_object();
	json_object_set_new(data, "id", json_integer(out.id));
	ctx_set_str(data, "numero", out.numero);
	ctx_set_str(data, "subtotal", neto);
	ctx_set_str(data, "iva", iva);
	ctx_set_str(data, "total", total);
	ctx_set_str(data, "cambio", cambio);
	/* A replayed checkout created nothing now: 200, not 201. */
	return resp_json(req, out.replayed ? 200 : 201,
			 json_pack("{s:b, s:o}", "success", 1, "data", data));
}

/* ------------------------------------------------------------------ */
/* GET /ventas/<id>/                                                   */

int view_venta_recibo(struct request *req)
{
	if (!req->user)
		return render_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar");
	struct venta_detalle v;
	int rc = venta_get(req->db, &req->arena, req->user->tenant_id, req->path_id, &v);
	if (rc == -3)
		return render_error(req, 404, "NOT_FOUND", "Venta no encontrada");
	struct venta_negocio neg;
	if (rc != 0 || venta_negocio_get(req->db, &req->arena, req->user->tenant_id, &neg) != 0)
		return render_error(req, 500, "ERROR", MSG_ERROR_INTERNO);
	int dec = neg.decimales_moneda;

	json_t *negocio = json_object();
	ctx_set_str(negocio, "nombre", neg.nombre_negocio);
	ctx_set_str(negocio, "nit", neg.nit);
	ctx_set_str(negocio, "direccion", neg.direccion);
	ctx_set_str(negocio, "telefono", neg.telefono);
	ctx_set_str(negocio, "email", neg.email);
	ctx_set_str(negocio, "pie", neg.pie_factura);

	char fecha[32];
	local_datetime_format(v.created_at, fecha, sizeof(fecha));
	bool transferencia = strcmp(v.forma_pago, "Transferencia") == 0;
	json_t *venta = json_object();
	json_object_set_new(venta, "id", json_integer(v.id));
	ctx_set_str(venta, "numero", v.numero);
	ctx_set_str(venta, "fecha", fecha);
	ctx_set_str(venta, "vendedor", v.vendedor);
	ctx_set_str(venta, "cliente", v.cliente_nombre);
	ctx_set_money(venta, "neto", v.neto_cents, dec);
	ctx_set_money(venta, "iva", v.iva_cents, dec);
	ctx_set_money(venta, "total", v.total_cents, dec);
	ctx_set_str(venta, "forma_pago", v.forma_pago);
	json_object_set_new(venta, "es_efectivo", json_boolean(!transferencia));
	json_object_set_new(venta, "es_transferencia", json_boolean(transferencia));
	json_object_set_new(venta, "tiene_recibido",
			    json_boolean(!transferencia && v.monto_recibido_cents > 0));
	ctx_set_money(venta, "recibido", v.monto_recibido_cents, dec);
	ctx_set_money(venta, "cambio", v.cambio_cents, dec);
	ctx_set_str(venta, "banco", v.banco);
	ctx_set_str(venta, "referencia", v.referencia);
	json_object_set_new(venta, "anulada", json_boolean(v.anulada));

	json_t *lineas = json_array();
	for (size_t i = 0; i < v.n_lineas; i++) {
		const struct venta_linea_detalle *l = &v.lineas[i];
		char cantidad[32], iva_pct[16];
		qty_format(l->cantidad_milli, cantidad, sizeof(cantidad));
		iva_format(l->iva_centi, iva_pct, sizeof(iva_pct));
		json_t *o = json_object();
		ctx_set_str(o, "producto", l->producto_nombre);
		ctx_set_str(o, "cantidad", cantidad);
		ctx_set_money(o, "precio", l->precio_unitario_cents, dec);
		ctx_set_str(o, "iva_porcentaje", iva_pct);
		ctx_set_money(o, "iva_valor", l->iva_cents, dec);
		ctx_set_money(o, "subtotal", l->subtotal_cents, dec);
		json_array_append_new(lineas, o);
	}

	json_t *ctx = json_object();
	char title[96];
	if (xsnprintf(title, sizeof(title), "Factura %s", v.numero) < 0)
		xsnprintf(title, sizeof(title), "Factura");
	ctx_set_str(ctx, "title", title);
	ctx_set_str(ctx, "nav", "ventas");
	json_object_set_new(ctx, "negocio", negocio);
	json_object_set_new(ctx, "venta", venta);
	json_object_set_new(ctx, "lineas", lineas);
	return render_page(req, 200, "ventas/recibo.html", ctx);
}
