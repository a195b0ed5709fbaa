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

/* "/login/?next=<this path and query, percent-encoded>", so that after
 * signing in the visitor lands on the page (and filters) asked for. */
static const char *login_url_back_to(struct request *req)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = req->path.len + (req->raw_query.len ? req->raw_query.len + 1 : 0);
	static const char prefix[] = "/login/?next=";
	char *url = arena_alloc(&req->arena, sizeof(prefix) + 3 * len);
	if (!url || len > 1000)
		return "/login/";
	size_t n = sizeof(prefix) - 1;
	memcpy(url, prefix, n);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = i < req->path.len ? (unsigned char)req->path.ptr[i]
			: i == req->path.len ? '?' : (unsigned char)req->raw_query.ptr[i - req->path.len - 1];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '-' || c == '_' || c == '.') {
			url[n++] = (char)c;
		} else {
			url[n++] = '%';
			url[n++] = hex[c >> 4];
			url[n++] = hex[c & 15];
		}
	}
	url[n] = '\0';
	return url;
}

int mw_check_access(struct request *req)
{
	const struct route *r = req->route;
	if (r->access == ACCESS_PUBLIC)
		return MW_CONTINUE;
	if (!req->user) {
		if (req->wants_json)
			return render_error(req, 401, "AUTH_REQUIRED", "Debe iniciar sesión.");
		return resp_redirect(req, req->method == HTTP_GET ? login_url_back_to(req) : "/login/");
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
