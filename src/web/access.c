/*
 * access.c - the role gate (SPEC section 1). Anonymous visitors of a
 * protected page go to the login form; a seller on an owner-only page goes
 * back to the sales screen with a message (JSON callers get 403
 * PERMISSION_DENIED); the operator (superuser) has no tenant and no shop
 * pages.
 */
#include "middleware.h"
#include "render.h"
#include "router.h"
#include "../domain/usuario.h"

int mw_check_access(struct request *req)
{
	const struct route *r = req->route;
	if (r->access == ACCESS_PUBLIC)
		return MW_CONTINUE;
	if (!req->user) {
		if (req->wants_json)
			return render_error(req, 401, "AUTH_REQUIRED", "Debe iniciar sesión.");
		const char *next = req->method == HTTP_GET
			? arena_printf(&req->arena, "/login/?next=%.*s", (int)req->path.len, req->path.ptr)
			: "/login/";
		return resp_redirect(req, next ? next : "/login/");
	}
	if (r->access == ACCESS_OPERATOR)
		return req->user->rol == ROL_SUPERUSER
			? MW_CONTINUE
			: render_error(req, 404, "NOT_FOUND", "La página que busca no existe.");
	if (req->user->rol == ROL_SUPERUSER)
		return render_error(req, 403, "PERMISSION_DENIED",
				    "El operador del sitio no tiene acceso a las páginas de una tienda.");
	if (r->access == ACCESS_ADMIN && req->user->rol != ROL_ADMIN) {
		fprintf(stderr, "{\"event\":\"permission_denied\",\"user\":%lld,\"path\":\"%.*s\"}\n",
			(long long)req->user->id, (int)(req->path.len > 200 ? 200 : req->path.len),
			req->path.ptr);
		if (req->wants_json)
			return render_error(req, 403, "PERMISSION_DENIED",
					    "Acceso restringido a administradores.");
		flash_add(req, "error", "Acceso restringido a administradores.");
		return resp_redirect(req, "/ventas/");
	}
	return MW_CONTINUE;
}
