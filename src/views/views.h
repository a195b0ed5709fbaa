/*
 * views.h - every page and endpoint handler. A handler receives a request
 * that already passed the middleware (host, session, CSRF, role gate:
 * req->user is set on every non-public route, req->path_id holds the <id>
 * of the route pattern) and returns the HTTP status of the response it
 * built with render_page / render_error / resp_json / resp_redirect.
 * The routes table is src/web/routes.c.
 */
#ifndef VIEWS_H
#define VIEWS_H

#include "../http/request.h"

/* auth_views.c */
int view_home(struct request *req);            /* GET / : redirect by role */
int view_login_form(struct request *req);      /* GET /login/ */
int view_login(struct request *req);           /* POST /login/ */
int view_logout(struct request *req);          /* POST /logout/ */
int view_healthz(struct request *req);         /* GET /healthz */

/* productos_views.c (list is open to sellers read-only; the rest admin) */
int view_productos_list(struct request *req);  /* GET /productos/ */
int view_producto_new_form(struct request *req);   /* GET /productos/nuevo/ */
int view_producto_new(struct request *req);        /* POST /productos/nuevo/ */
int view_producto_edit_form(struct request *req);  /* GET /productos/<id>/editar/ */
int view_producto_edit(struct request *req);       /* POST /productos/<id>/editar/ */
int view_producto_delete_form(struct request *req);/* GET /productos/<id>/eliminar/ */
int view_producto_delete(struct request *req);     /* POST /productos/<id>/eliminar/ */
int view_producto_kardex(struct request *req);     /* GET /productos/<id>/kardex/ */

/* ventas_views.c */
int view_ventas_list(struct request *req);     /* GET /ventas/ */
int view_venta_pos(struct request *req);       /* GET /ventas/nueva/ */
int view_venta_create(struct request *req);    /* POST /ventas/nueva/ (JSON) */
int view_buscar_producto(struct request *req); /* POST /ventas/api/buscar-producto/ (JSON) */
int view_venta_recibo(struct request *req);    /* GET /ventas/<id>/ */

/* admin_views.c (superuser only) */
int view_admin_home(struct request *req);      /* GET /admin/ */

/* dashboard_views.c */
int view_dashboard(struct request *req);       /* GET /dashboard/ */

#endif
