/*
 * routes.c - every URL of Inventario: method, pattern, handler, who may
 * call it and how it answers. Static files (/static/...) are served before
 * this table is consulted.
 */
#include "routes_internal.h"
#include "../views/views.h"

const struct route app_routes[] = {
	{ HTTP_GET,  "/",        view_home,        ACCESS_PUBLIC, 0 },
	{ HTTP_GET,  "/healthz", view_healthz,     ACCESS_PUBLIC, ROUTE_NO_SESSION },
	{ HTTP_GET,  "/login/",  view_login_form,  ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/login/",  view_login,       ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/logout/", view_logout,      ACCESS_PUBLIC, 0 },

	{ HTTP_GET,  "/admin/",     view_admin_home, ACCESS_OPERATOR, 0 },
	{ HTTP_GET,  "/dashboard/", view_dashboard,  ACCESS_ADMIN, 0 },

	{ HTTP_GET,  "/productos/",                view_productos_list,       ACCESS_USER,  0 },
	{ HTTP_GET,  "/productos/nuevo/",          view_producto_new_form,    ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/productos/nuevo/",          view_producto_new,         ACCESS_ADMIN, 0 },
	{ HTTP_GET,  "/productos/<id>/editar/",    view_producto_edit_form,   ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/productos/<id>/editar/",    view_producto_edit,        ACCESS_ADMIN, 0 },
	{ HTTP_GET,  "/productos/<id>/eliminar/",  view_producto_delete_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/productos/<id>/eliminar/",  view_producto_delete,      ACCESS_ADMIN, 0 },
	{ HTTP_GET,  "/productos/<id>/kardex/",    view_producto_kardex,      ACCESS_ADMIN, 0 },

	{ HTTP_GET,  "/ventas/",                    view_ventas_list,     ACCESS_USER, 0 },
	{ HTTP_GET,  "/ventas/nueva/",              view_venta_pos,       ACCESS_USER, 0 },
	{ HTTP_POST, "/ventas/nueva/",              view_venta_create,    ACCESS_USER, ROUTE_JSON },
	{ HTTP_POST, "/ventas/api/buscar-producto/", view_buscar_producto, ACCESS_USER, ROUTE_JSON },
	{ HTTP_GET,  "/ventas/<id>/",               view_venta_recibo,    ACCESS_USER, 0 },
};

const size_t n_app_routes = ARRAY_SIZE(app_routes);
