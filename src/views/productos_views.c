/*
 * productos_views.c - the catalogue pages: the paginated list (read-only
 * for sellers), the create/edit form, the delete confirmation and a
 * product's kardex. Parses input, calls producto.c, renders
 * templates/productos/. The list is the hottest page: one COUNT, one page
 * query, the categories and the settings, all on indexes, none per row.
 */
#include <jansson.h>

#include "views.h"
#include "view_ctx.h"

#include "../core/utf8.h"
#include "../db/db.h"
#include "../domain/money.h"
#include "../domain/producto.h"
#include "../domain/usuario.h"
#include "../web/render.h"

#define PAGE_SIZE 7
/* Longer search text cannot match a 100-character name usefully; it is cut. */
#define Q_MAX_BYTES 200
#define CATEGORIA_MAX_BYTES 200

#define MSG_NOT_FOUND "Producto no encontrado."
#define MSG_SERVER "No se pudo completar la operación. Intente de nuevo."
#define MSG_DUPLICATE "Ya existe un producto con este código de barras."
#define MSG_PROTECTED "No se puede eliminar: el producto tiene ventas o movimientos de inventario."

/* ---- small helpers ----------------------------------------------------- */

/* es-CO shows decimals with a comma; the wire forms use a dot. */
static void comma_decimals(char *s)
{
	for (; *s; s++)
		if (*s == '.')
			*s = ',';
}

static void qty_display(int64_t milli, char *out, size_t out_size)
{
	qty_format(milli, out, out_size);
	comma_decimals(out);
}

/* "1500" for whole pesos, else "1500.50": what the form shows and money_parse reads back. */
static void money_input_value(int64_t cents, char *out, size_t out_size)
{
	if (cents % 100 == 0) {
		if (xsnprintf(out, out_size, "%lld", (long long)(cents / 100)) < 0 && out_size)
			out[0] = '\0';
	} else {
		money_format_plain(cents, out, out_size);
	}
}

struct tenant_cfg {
	int decimals;
	int64_t iva_default_centi;
};

static void load_cfg(struct request *req, struct tenant_cfg *cfg)
{
	static const char sql[] =
		"SELECT decimales_moneda, iva_defecto_centi FROM configuracion WHERE tenant_id = ?";
	cfg->decimals = 0;
	cfg->iva_default_centi = 1900;
	struct db_stmt *st = db_prepare(req->db, sql);
	db_bind_int(st, 1, req->user->tenant_id);
	if (db_step(st) == DB_ROW) {
		cfg->decimals = db_col_int(st, 0) == 2 ? 2 : 0;
		cfg->iva_default_centi = db_col_int(st, 1);
	}
	db_done(st);
}

/*
 * The router only lets logged-in users (admins for the write pages) reach
 * these handlers; checking again costs nothing and turns a routing mistake
 * into a 403 instead of a crash or a seller editing the catalogue.
 */
static int gate_or_respond(struct request *req, bool admin_only)
{
	if (!req->user)
		return render_error(req, 403, "PERMISSION_DENIED", "Inicie sesión para continuar.");
	if (admin_only && req->user->rol != ROL_ADMIN)
		return render_error(req, 403, "PERMISSION_DENIED",
				    "Acceso restringido a administradores.");
	return 0;
}

/* Loads the tenant's product req->path_id or answers 404/500. */
static int producto_or_respond(struct request *req, struct producto *p)
{
	int rc = producto_get(req->db, req->user->tenant_id, req->path_id, p);
	if (rc == -3)
		return render_error(req, 404, "NOT_FOUND", MSG_NOT_FOUND);
	if (rc != 0)
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	return 0;
}

/* ---- list ------------------------------------------------------------- */

/*
 * Three shapes of the list query, so that the common cases use an index:
 * the whole catalogue walks productos_nombre (or productos_categoria), a
 * category filter walks productos_categoria, and only a text search scans
 * the tenant's rows. ORDER BY cannot be a parameter, so each ordering has
 * its own literal; the orden parameter only picks a row of this table.
 */
enum list_shape { SHAPE_ALL, SHAPE_CATEGORIA, SHAPE_SEARCH, N_SHAPES };

#define LIST_COLS                                                                         \
	"SELECT id, nombre, codigo_de_barras, categoria, precio_cents, iva_centi, stock_milli," \
	" stock_minimo_milli, unidad FROM productos WHERE tenant_id = ?"
#define WHERE_CATEGORIA " AND categoria = ?"
#define WHERE_SEARCH                                                  \
	" AND (? = '' OR categoria = ?)"                              \
	" AND (lower(nombre) LIKE lower(?) ESCAPE '\\'"               \
	" OR lower(codigo_de_barras) LIKE lower(?) ESCAPE '\\')"
#define LIMIT_PAGE " LIMIT ? OFFSET ?"
#define ORDEN(key, flag, order)                                                    \
	{ key, flag,                                                                \
	  { LIST_COLS " ORDER BY " order LIMIT_PAGE,                               \
	    LIST_COLS WHERE_CATEGORIA " ORDER BY " order LIMIT_PAGE,               \
	    LIST_COLS WHERE_SEARCH " ORDER BY " order LIMIT_PAGE } }

/* flag: the ctx key (orden_sel.<flag>) the template marks the choice with. */
static const struct orden {
	const char *key;
	const char *flag;
	const char *sql[N_SHAPES];
} ordenes[] = {
	ORDEN("nombre", "nombre", "nombre, id"),
	ORDEN("-nombre", "nombre_desc", "nombre DESC, id DESC"),
	ORDEN("precio", "precio", "precio_cents, nombre, id"),
	ORDEN("-precio", "precio_desc", "precio_cents DESC, nombre, id"),
	ORDEN("stock", "stock", "stock_milli, nombre, id"),
	ORDEN("-stock", "stock_desc", "stock_milli DESC, nombre, id"),
	ORDEN("categoria", "categoria", "categoria, nombre, id"),
	ORDEN("-categoria", "categoria_desc", "categoria DESC, nombre, id"),
};

static const char *const count_sql[N_SHAPES] = {
	"SELECT count(*) FROM productos WHERE tenant_id = ?",
	"SELECT count(*) FROM productos WHERE tenant_id = ?" WHERE_CATEGORIA,
	"SELECT count(*) FROM productos WHERE tenant_id = ?" WHERE_SEARCH,
};

struct list_params {
	str q;
	str categoria;
	size_t orden;           /* index into ordenes */
	int64_t page;
	enum list_shape shape;
	const char *like;       /* "%q%" with % _ \ escaped, for SHAPE_SEARCH */
};

/* "%" + q with LIKE's wildcards and the escape character escaped + "%". */
static const char *like_pattern(struct request *req, str q)
{
	char *p = arena_alloc(&req->arena, q.len * 2 + 3);
	size_t n = 0;
	if (!p)
		return NULL;
	p[n++] = '%';
	for (size_t i = 0; i < q.len; i++) {
		if (q.ptr[i] == '%' || q.ptr[i] == '_' || q.ptr[i] == '\\')
			p[n++] = '\\';
		p[n++] = q.ptr[i];
	}
	p[n++] = '%';
	p[n] = '\0';
	return p;
}

static void read_list_params(struct request *req, struct list_params *lp)
{
	str orden = str_trim(req_query(req, "orden"));
	str page = str_trim(req_query(req, "page"));

	lp->q = str_trim(req_query(req, "q"));
	lp->q.len = utf8_boundary(lp->q.ptr, lp->q.len, Q_MAX_BYTES);
	lp->categoria = str_trim(req_query(req, "categoria"));
	lp->categoria.len = utf8_boundary(lp->categoria.ptr, lp->categoria.len, CATEGORIA_MAX_BYTES);
	lp->orden = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ordenes); i++)
		if (str_eq_lit(orden, ordenes[i].key))
			lp->orden = i;
	if (str_to_i64(page, 1, INT64_MAX, &lp->page) != 0)
		lp->page = 1;
	lp->like = NULL;
	lp->shape = SHAPE_ALL;
	if (lp->q.len) {
		lp->like = like_pattern(req, lp->q);
		lp->shape = lp->like ? SHAPE_SEARCH : SHAPE_ALL;
	} else if (lp->categoria.len) {
		lp->shape = SHAPE_CATEGORIA;
	}
}

/* Binds the filters of lp's shape after the tenant; returns the next index. */
static int bind_filters(struct db_stmt *st, const struct list_params *lp, int64_t tenant_id)
{
	int i = 1;
	db_bind_int(st, i++, tenant_id);
	if (lp->shape == SHAPE_CATEGORIA) {
		db_bind_str(st, i++, lp->categoria);
	} else if (lp->shape == SHAPE_SEARCH) {
		db_bind_str(st, i++, lp->categoria);
		db_bind_str(st, i++, lp->categoria);
		db_bind_cstr(st, i++, lp->like);
		db_bind_cstr(st, i++, lp->like);
	}
	return i;
}

/* Percent-encodes v for a query string; "" when it does not fit. */
static void url_escape(str v, char *out, size_t out_size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			     (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == '_' || c == '~';
		if (n + 4 > out_size) {
			n = 0;
			break;
		}
		if (plain) {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	if (out_size)
		out[n] = '\0';
}

/*
 * "&q=...&categoria=..." for the links that keep the filters; the
 * template appends it after ?orden=. Built once per page, not per link.
 */
static const char *filters_qs(struct request *req, const struct list_params *lp)
{
	char q[3 * Q_MAX_BYTES + 1], cat[3 * CATEGORIA_MAX_BYTES + 1];
	if (!lp->q.len && !lp->categoria.len)
		return "";
	url_escape(lp->q, q, sizeof(q));
	url_escape(lp->categoria, cat, sizeof(cat));
	const char *qs = arena_printf(&req->arena, "%s%s%s%s", q[0] ? "&q=" : "", q,
				      cat[0] ? "&categoria=" : "", cat);
	return qs ? qs : "";
}

/*
 * The unfiltered total comes from productos_conteo, a per-tenant count that
 * triggers keep exact in the same transaction as every INSERT and DELETE
 * (schema migration 3). COUNT(*) visits one index entry per product: about
 * 0.4 ms at 5000 products, most of this page's cost.
 */

static int64_t count_productos(struct request *req, const struct list_params *lp, bool *ok)
{
	static const char conteo_sql[] =
		"SELECT n_productos FROM productos_conteo WHERE tenant_id = ?";
	struct db_stmt *st = NULL;
	bool from_conteo = false;

	if (lp->shape == SHAPE_ALL) {
		st = db_prepare(req->db, conteo_sql);
		from_conteo = true;
	} else {
		st = db_prepare(req->db, count_sql[lp->shape]);
	}
	bind_filters(st, lp, req->user->tenant_id);
	int r = db_step(st);
	int64_t n = r == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	/* A tenant that never had a product has no productos_conteo row: 0. */
	*ok = r == DB_ROW || (from_conteo && r == DB_DONE);
	return n;
}

static json_t *page_rows(struct request *req, const struct list_params *lp, int decimals,
			 bool *ok)
{
	json_t *rows = json_array();
	struct db_stmt *st = db_prepare(req->db, ordenes[lp->orden].sql[lp->shape]);
	int i = bind_filters(st, lp, req->user->tenant_id);
	db_bind_int(st, i++, PAGE_SIZE);
	db_bind_int(st, i, (lp->page - 1) * PAGE_SIZE);

	int r;
	while ((r = db_step(st)) == DB_ROW) {
		char precio[48], iva[16], stock[32];
		size_t len;
		const char *s;
		json_t *row = json_object();
		int64_t stock_milli = db_col_int(st, 6);

		ctx_set_int(row, "id", db_col_int(st, 0));
		s = db_col_text(st, 1, &len);
		ctx_set_strn(row, "nombre", (str){ s, len });
		s = db_col_text(st, 2, &len);
		ctx_set_strn(row, "codigo_de_barras", (str){ s, len });
		s = db_col_text(st, 3, &len);
		ctx_set_strn(row, "categoria", (str){ s, len });
		money_format(db_col_int(st, 4), decimals, precio, sizeof(precio));
		ctx_set_str(row, "precio", precio);
		iva_format(db_col_int(st, 5), iva, sizeof(iva));
		comma_decimals(iva);
		ctx_set_str(row, "iva", iva);
		qty_display(stock_milli, stock, sizeof(stock));
		ctx_set_str(row, "stock", stock);
		ctx_set_bool(row, "stock_bajo", stock_milli <= db_col_int(st, 7));
		ctx_set_bool(row, "es_kg", strcmp(db_col_text(st, 8, NULL), "kg") == 0);
		json_array_append_new(rows, row);
	}
	db_done(st);
	*ok = r == DB_DONE;
	return rows;
}

static json_t *categorias_select(struct request *req, str selected, bool *ok)
{
	/* productos_categorias is kept by triggers (migration 5): the filter
	 * reads a dozen rows instead of seeking through the products' index. */
	static const char sql[] =
		"SELECT categoria FROM productos_categorias"
		" WHERE tenant_id = ? AND categoria > '' ORDER BY categoria";
	json_t *list = json_array();
	struct db_stmt *st = db_prepare(req->db, sql);
	db_bind_int(st, 1, req->user->tenant_id);
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		size_t len;
		const char *s = db_col_text(st, 0, &len);
		json_t *c = json_object();
		ctx_set_strn(c, "nombre", (str){ s, len });
		ctx_set_bool(c, "selected", str_eq(selected, (str){ s, len }));
		json_array_append_new(list, c);
	}
	db_done(st);
	*ok = r == DB_DONE;
	return list;
}

int view_productos_list(struct request *req)
{
	struct list_params lp;
	struct tenant_cfg cfg;
	bool ok_count, ok_rows, ok_cats;
	int rc = gate_or_respond(req, false);
	if (rc)
		return rc;

	read_list_params(req, &lp);
	/* One read transaction: the count and the page come from the same
	 * snapshot, and SQLite takes its shared lock once instead of per query.
	 * Should a caller already have one open, the reads simply join it. */
	bool own_tx = db_begin(req->db, false) == DB_OK;
	load_cfg(req, &cfg);
	int64_t n_productos = count_productos(req, &lp, &ok_count);
	int64_t n_pages = n_productos ? (n_productos + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	if (lp.page > n_pages)
		lp.page = n_pages;

	json_t *ctx = json_object();
	json_t *rows = page_rows(req, &lp, cfg.decimals, &ok_rows);
	ctx_set_bool(ctx, "hay_productos", json_array_size(rows) > 0);
	json_object_set_new(ctx, "productos", rows);
	json_object_set_new(ctx, "categorias", categorias_select(req, lp.categoria, &ok_cats));
	if (own_tx)
		db_rollback(req->db); /* read-only: nothing to keep */
	if (!ok_count || !ok_rows || !ok_cats) {
		json_decref(ctx);
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	}

	ctx_set_str(ctx, "nav", "productos");
	ctx_set_str(ctx, "title", "Productos");
	ctx_set_bool(ctx, "puede_editar", req->user->rol == ROL_ADMIN);
	ctx_set_strn(ctx, "q", lp.q);
	ctx_set_strn(ctx, "categoria_actual", lp.categoria);
	ctx_set_bool(ctx, "filtrando", lp.q.len || lp.categoria.len);
	ctx_set_int(ctx, "n_productos", n_productos);

	ctx_set_str(ctx, "orden", ordenes[lp.orden].key);
	ctx_set_str(ctx, "filtros_qs", filters_qs(req, &lp));
	json_t *sel = json_object();
	ctx_set_bool(sel, ordenes[lp.orden].flag, true);
	json_object_set_new(ctx, "orden_sel", sel);

	if (n_pages > 1) {
		json_t *pag = json_object();
		ctx_set_int(pag, "page", lp.page);
		ctx_set_int(pag, "n_pages", n_pages);
		ctx_set_int(pag, "prev_page", lp.page - 1);
		ctx_set_int(pag, "next_page", lp.page + 1);
		ctx_set_bool(pag, "has_prev", lp.page > 1);
		ctx_set_bool(pag, "has_next", lp.page < n_pages);
		json_object_set_new(ctx, "paginacion", pag);
	}

	return render_page(req, 200, "productos/lista.html", ctx);
}

/* ---- create / edit ---------------------------------------------------- */

static const char *const form_fields[] = {
	"nombre", "codigo_de_barras", "categoria", "precio_compra", "precio",
	"iva_porcentaje", "stock", "stock_minimo", "unidad",
};

static void read_input(struct request *req, struct producto_input *in)
{
	in->nombre = req_form(req, "nombre");
	in->codigo_de_barras = req_form(req, "codigo_de_barras");
	in->categoria = req_form(req, "categoria");
	in->unidad = req_form(req, "unidad");
	in->precio_compra = req_form(req, "precio_compra");
	in->precio = req_form(req, "precio");
	in->stock = req_form(req, "stock");
	in->stock_minimo = req_form(req, "stock_minimo");
	in->iva_porcentaje = req_form(req, "iva_porcentaje");
}

/* The values as typed, so a rejected form comes back as the user left it. */
static json_t *values_from_form(struct request *req)
{
	json_t *v = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(form_fields); i++)
		ctx_set_strn(v, form_fields[i], str_trim(req_form(req, form_fields[i])));
	return v;
}

static json_t *values_from_producto(const struct producto *p)
{
	char buf[48];
	json_t *v = json_object();
	ctx_set_str(v, "nombre", p->nombre);
	ctx_set_str(v, "codigo_de_barras", p->codigo_de_barras);
	ctx_set_str(v, "categoria", p->categoria);
	money_input_value(p->precio_compra_cents, buf, sizeof(buf));
	ctx_set_str(v, "precio_compra", buf);
	money_input_value(p->precio_cents, buf, sizeof(buf));
	ctx_set_str(v, "precio", buf);
	iva_format(p->iva_centi, buf, sizeof(buf));
	ctx_set_str(v, "iva_porcentaje", buf);
	qty_format(p->stock_milli, buf, sizeof(buf));
	ctx_set_str(v, "stock", buf);
	qty_format(p->stock_minimo_milli, buf, sizeof(buf));
	ctx_set_str(v, "stock_minimo", buf);
	ctx_set_str(v, "unidad", p->unidad);
	return v;
}

struct form_page {
	const char *title;
	const char *action;
	const char *submit;
	int64_t id;              /* 0 for a new product */
	const char *stock_anterior;
};

/* Renders form.html; steals values. errors may be NULL. */
static int render_form(struct request *req, int status, const struct form_page *fp,
		       json_t *values, const struct producto_errors *errors)
{
	json_t *ctx = json_object();
	ctx_set_str(ctx, "nav", "productos");
	ctx_set_str(ctx, "title", fp->title);
	ctx_set_str(ctx, "action", fp->action);
	ctx_set_str(ctx, "submit", fp->submit);
	ctx_set_bool(ctx, "es_edicion", fp->id != 0);
	ctx_set_int(ctx, "producto_id", fp->id);
	ctx_set_str(ctx, "stock_anterior", fp->stock_anterior);

	const char *unidad = json_string_value(json_object_get(values, "unidad"));
	bool kg = unidad && strcmp(unidad, "kg") == 0;
	json_t *unidades = json_array();
	json_t *u = json_object();
	ctx_set_str(u, "value", "unidad");
	ctx_set_str(u, "label", "Unidad");
	ctx_set_bool(u, "selected", !kg);
	json_array_append_new(unidades, u);
	u = json_object();
	ctx_set_str(u, "value", "kg");
	ctx_set_str(u, "label", "Kilogramo (kg)");
	ctx_set_bool(u, "selected", kg);
	json_array_append_new(unidades, u);
	json_object_set_new(ctx, "unidades", unidades);
	json_object_set_new(ctx, "form", values);

	json_t *errs = json_object();
	if (errors && errors->any) {
		const char *msgs[] = {
			errors->nombre, errors->codigo_de_barras, errors->categoria,
			errors->precio_compra, errors->precio, errors->iva_porcentaje,
			errors->stock, errors->stock_minimo, errors->unidad,
		};
		_Static_assert(ARRAY_SIZE(msgs) == ARRAY_SIZE(form_fields), "one message per field");
		for (size_t i = 0; i < ARRAY_SIZE(msgs); i++)
			if (msgs[i] && msgs[i][0])
				ctx_set_str(errs, form_fields[i], msgs[i]);
		ctx_set_bool(ctx, "hay_errores", true);
	}
	json_object_set_new(ctx, "errors", errs);
	return render_page(req, status, "productos/form.html", ctx);
}

static const struct form_page new_page = {
	"Nuevo producto", "/productos/nuevo/", "Crear producto", 0, "",
};

int view_producto_new_form(struct request *req)
{
	struct tenant_cfg cfg;
	char iva[16];
	int rc = gate_or_respond(req, true);
	if (rc)
		return rc;
	load_cfg(req, &cfg);
	iva_format(cfg.iva_default_centi, iva, sizeof(iva));

	json_t *v = json_object();
	for (size_t i = 0; i < ARRAY_SIZE(form_fields); i++)
		ctx_set_str(v, form_fields[i], "");
	ctx_set_str(v, "iva_porcentaje", iva);
	ctx_set_str(v, "stock", "0");
	ctx_set_str(v, "stock_minimo", "0");
	ctx_set_str(v, "unidad", "unidad");
	return render_form(req, 200, &new_page, v, NULL);
}

int view_producto_new(struct request *req)
{
	struct tenant_cfg cfg;
	struct producto_input in;
	struct producto p = { 0 };
	struct producto_errors errs;
	int rc = gate_or_respond(req, true);
	if (rc)
		return rc;

	load_cfg(req, &cfg);
	read_input(req, &in);
	if (producto_validate(&in, cfg.iva_default_centi, &p, &errs) != 0)
		return render_form(req, 200, &new_page, values_from_form(req), &errs);

	rc = producto_create(req->db, req->user->tenant_id, req->user->id, &p, req->now);
	if (rc == -2) {
		errs.codigo_de_barras = MSG_DUPLICATE;
		errs.any = true;
		return render_form(req, 200, &new_page, values_from_form(req), &errs);
	}
	if (rc != 0)
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	flash_add(req, "success", "Producto creado.");
	return resp_redirect(req, "/productos/");
}

static void edit_page(struct request *req, struct form_page *fp, int64_t id,
		      const char *stock_anterior)
{
	const char *action = arena_printf(&req->arena, "/productos/%lld/editar/", (long long)id);
	*fp = (struct form_page){ "Editar producto", action ? action : "/productos/",
				  "Guardar cambios", id, stock_anterior };
}

int view_producto_edit_form(struct request *req)
{
	struct producto p;
	struct form_page fp;
	char stock[32];
	int rc = gate_or_respond(req, true);
	if (rc || (rc = producto_or_respond(req, &p)))
		return rc;
	qty_format(p.stock_milli, stock, sizeof(stock));
	edit_page(req, &fp, p.id, stock);
	return render_form(req, 200, &fp, values_from_producto(&p), NULL);
}

int view_producto_edit(struct request *req)
{
	struct producto cur, p = { 0 };
	struct producto_input in;
	struct producto_errors errs;
	struct tenant_cfg cfg;
	struct form_page fp;
	int rc = gate_or_respond(req, true);
	if (rc || (rc = producto_or_respond(req, &cur)))
		return rc;

	load_cfg(req, &cfg);
	read_input(req, &in);
	/*
	 * stock_anterior is the stock the form showed. When the field still
	 * says the same, the user meant "leave the stock alone": the update
	 * keeps the current stock (sales may have moved it meanwhile) instead
	 * of writing an 'ajuste' back to the old figure. A forged value can
	 * only ever mean "do not change the stock", so it needs no trust.
	 */
	str seen = str_trim(req_form(req, "stock_anterior"));
	bool keep_stock = seen.len && str_eq(seen, str_trim(in.stock));
	if (keep_stock)
		in.stock = STR("0");
	char *seen_c = arena_strndup(&req->arena, seen.ptr ? seen.ptr : "", seen.len);
	edit_page(req, &fp, cur.id, seen_c ? seen_c : "");

	if (producto_validate(&in, cfg.iva_default_centi, &p, &errs) != 0)
		return render_form(req, 200, &fp, values_from_form(req), &errs);
	if (keep_stock && strcmp(p.unidad, "unidad") == 0 && cur.stock_milli % 1000 != 0) {
		/* Switching a product with 2,5 kg in stock to "unidad" needs a whole count. */
		errs.stock = "Este producto se vende por unidad: la cantidad debe ser un número entero.";
		errs.any = true;
		return render_form(req, 200, &fp, values_from_form(req), &errs);
	}

	p.id = cur.id;
	if (keep_stock)
		rc = producto_update_keep_stock(req->db, req->user->tenant_id, req->user->id, &p, req->now);
	else
		rc = producto_update(req->db, req->user->tenant_id, req->user->id, &p, req->now);
	if (rc == -2) {
		errs.codigo_de_barras = MSG_DUPLICATE;
		errs.any = true;
		return render_form(req, 200, &fp, values_from_form(req), &errs);
	}
	if (rc == -3)
		return render_error(req, 404, "NOT_FOUND", MSG_NOT_FOUND);
	if (rc != 0)
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	flash_add(req, "success", "Producto actualizado.");
	return resp_redirect(req, "/productos/");
}

/* ---- delete ----------------------------------------------------------- */

int view_producto_delete_form(struct request *req)
{
	struct producto p;
	int rc = gate_or_respond(req, true);
	if (rc || (rc = producto_or_respond(req, &p)))
		return rc;

	json_t *ctx = json_object();
	ctx_set_str(ctx, "nav", "productos");
	ctx_set_str(ctx, "title", "Eliminar producto");
	json_t *prod = json_object();
	ctx_set_int(prod, "id", p.id);
	ctx_set_str(prod, "nombre", p.nombre);
	ctx_set_str(prod, "codigo_de_barras", p.codigo_de_barras);
	json_object_set_new(ctx, "producto", prod);
	return render_page(req, 200, "productos/eliminar.html", ctx);
}

int view_producto_delete(struct request *req)
{
	int rc = gate_or_respond(req, true);
	if (rc)
		return rc;
	rc = producto_delete(req->db, req->user->tenant_id, req->path_id);
	if (rc == -3)
		return render_error(req, 404, "NOT_FOUND", MSG_NOT_FOUND);
	if (rc == -4) {
		flash_add(req, "error", MSG_PROTECTED);
		return resp_redirect(req, "/productos/");
	}
	if (rc != 0)
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	flash_add(req, "success", "Producto eliminado.");
	return resp_redirect(req, "/productos/");
}

/* ---- kardex ----------------------------------------------------------- */

static const char *tipo_label(const char *tipo)
{
	static const struct {
		const char *tipo, *label;
	} labels[] = {
		{ "inicial", "Inventario inicial" }, { "venta", "Venta" },
		{ "anulacion", "Anulación" },        { "compra", "Compra" },
		{ "ajuste", "Ajuste" },              { "importacion", "Importación" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		if (strcmp(tipo, labels[i].tipo) == 0)
			return labels[i].label;
	return tipo;
}

/*
 * Every movement of p, oldest first, adding to *sum_milli and
 * *n_movimientos; *ok is false after a database error.
 */
static json_t *kardex_rows(struct request *req, const struct producto *p, int decimals,
			   __int128 *sum_milli, int64_t *n_movimientos, bool *ok)
{
	static const char sql[] =
		"SELECT m.created_at, m.tipo, m.cantidad_milli, m.saldo_milli,"
		" m.costo_unitario_cents, m.motivo, m.venta_id, u.username"
		" FROM movimientos m LEFT JOIN usuarios u ON u.id = m.usuario_id"
		" WHERE m.producto_id = ? AND m.tenant_id = ? ORDER BY m.id";
	json_t *rows = json_array();
	struct db_stmt *st = db_prepare(req->db, sql);
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, p->tenant_id);
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		char fecha[32], cantidad[40], saldo[32], costo[48];
		size_t len;
		const char *s;
		int64_t cantidad_milli = db_col_int(st, 2);
		int64_t saldo_milli = db_col_int(st, 3);
		json_t *row = json_object();

		*sum_milli += cantidad_milli;
		(*n_movimientos)++;
		if (!local_datetime_format(db_col_int(st, 0), fecha, sizeof(fecha)))
			xsnprintf(fecha, sizeof(fecha), "%s", "?");
		ctx_set_str(row, "fecha", fecha);
		s = db_col_text(st, 1, &len);
		ctx_set_strn(row, "tipo", (str){ s, len });
		ctx_set_str(row, "tipo_label", tipo_label(s));
		qty_display(cantidad_milli, cantidad + 1, sizeof(cantidad) - 1);
		cantidad[0] = '+';
		ctx_set_str(row, "cantidad", cantidad_milli > 0 ? cantidad : cantidad + 1);
		ctx_set_bool(row, "entrada", cantidad_milli > 0);
		qty_display(saldo_milli, saldo, sizeof(saldo));
		ctx_set_str(row, "saldo", saldo);
		/* A balance that is not the running sum points at a broken write. */
		ctx_set_bool(row, "saldo_descuadrado", (__int128)saldo_milli != *sum_milli);
		money_format(db_col_int(st, 4), decimals, costo, sizeof(costo));
		ctx_set_str(row, "costo_unitario", costo);
		s = db_col_text(st, 5, &len);
		ctx_set_strn(row, "motivo", (str){ s, len });
		ctx_set_int(row, "venta_id", db_col_is_null(st, 6) ? 0 : db_col_int(st, 6));
		s = db_col_text(st, 7, &len);
		ctx_set_strn(row, "usuario", len ? (str){ s, len } : STR("—"));
		json_array_append_new(rows, row);
	}
	db_done(st);
	*ok = r == DB_DONE;
	return rows;
}

int view_producto_kardex(struct request *req)
{
	struct producto p;
	struct tenant_cfg cfg;
	/* 128 bits: a long ledger of large movements must not wrap the check. */
	__int128 sum_milli = 0;
	int64_t n_movimientos = 0;
	bool ok = false;
	json_t *rows = NULL;
	int rc = gate_or_respond(req, true);
	if (rc)
		return rc;

	/* One snapshot, so a sale landing between the two reads cannot show a
	 * stock that disagrees with its own ledger. */
	bool own_tx = db_begin(req->db, false) == DB_OK;
	int found = producto_get(req->db, req->user->tenant_id, req->path_id, &p);
	if (found == 0) {
		load_cfg(req, &cfg);
		rows = kardex_rows(req, &p, cfg.decimals, &sum_milli, &n_movimientos, &ok);
	}
	if (own_tx)
		db_rollback(req->db); /* read-only */
	if (found == -3)
		return render_error(req, 404, "NOT_FOUND", MSG_NOT_FOUND);
	if (found != 0 || !ok) {
		json_decref(rows);
		return render_error(req, 500, "SERVER_ERROR", MSG_SERVER);
	}

	char stock[32], suma[48];
	qty_display(p.stock_milli, stock, sizeof(stock));
	if (sum_milli >= INT64_MIN && sum_milli <= INT64_MAX)
		qty_display((int64_t)sum_milli, suma, sizeof(suma));
	else
		xsnprintf(suma, sizeof(suma), "%s", "(fuera de rango)");

	json_t *ctx = json_object();
	ctx_set_str(ctx, "nav", "productos");
	ctx_set_str(ctx, "title", "Kardex");
	json_t *prod = json_object();
	ctx_set_int(prod, "id", p.id);
	ctx_set_str(prod, "nombre", p.nombre);
	ctx_set_str(prod, "codigo_de_barras", p.codigo_de_barras);
	ctx_set_str(prod, "unidad", p.unidad);
	ctx_set_str(prod, "stock", stock);
	json_object_set_new(ctx, "producto", prod);
	json_object_set_new(ctx, "movimientos", rows);
	ctx_set_bool(ctx, "hay_movimientos", n_movimientos > 0);
	ctx_set_int(ctx, "n_movimientos", n_movimientos);
	ctx_set_str(ctx, "suma_movimientos", suma);
	ctx_set_bool(ctx, "cuadra", sum_milli == (__int128)p.stock_milli);
	return render_page(req, 200, "productos/kardex.html", ctx);
}
