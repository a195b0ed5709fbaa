/*
 * csrf.c - cross-site request forgery protection, as Django's middleware:
 * the csrftoken cookie holds a secret; an unsafe request must carry a
 * masked token for the same secret (form field csrfmiddlewaretoken or
 * X-CSRFToken header) and, when the browser sends Origin, come from this
 * site or a CSRF_TRUSTED_ORIGINS entry; over HTTPS a missing Origin falls
 * back to a strict Referer check.
 */
#include "middleware.h"
#include "render.h"
#include "../config.h"
#include "../security/csrf_token.h"

#define CSRF_COOKIE "csrftoken"
#define CSRF_COOKIE_MAX_AGE (365 * 86400)

static bool is_unsafe(enum http_method m)
{
	return m != HTTP_GET && m != HTTP_HEAD;
}

/* scheme://host[:port] of this request, in the arena. */
static char *own_origin(struct request *req)
{
	str host = req_header(req, "Host");
	return arena_printf(&req->arena, "%s://%.*s", req->is_secure ? "https" : "http",
			    (int)host.len, host.ptr ? host.ptr : "");
}

static bool origin_trusted(struct request *req, str origin)
{
	char *own = own_origin(req);
	if (own && str_case_eq(origin, str_from(own)))
		return true;
	for (size_t i = 0; i < config.n_csrf_trusted_origins; i++)
		if (str_case_eq(origin, str_from(config.csrf_trusted_origins[i])))
			return true;
	return false;
}

/* Referer "https://host/path": its origin part must be trusted. */
static bool referer_trusted(struct request *req, str referer)
{
	if (!str_starts_with(referer, "https://"))
		return false;
	size_t i = strlen("https://");
	while (i < referer.len && referer.ptr[i] != '/')
		i++;
	return origin_trusted(req, (str){ referer.ptr, i });
}

static int reject(struct request *req, const char *reason)
{
	fprintf(stderr, "{\"event\":\"csrf_failure\",\"reason\":\"%s\",\"path\":\"%.*s\",\"ip\":\"%.*s\"}\n",
		reason, (int)(req->path.len > 200 ? 200 : req->path.len), req->path.ptr,
		(int)req->client_ip.len, req->client_ip.ptr);
	return render_error(req, 403, "CSRF_FAILED",
			    arena_printf(&req->arena, "Verificación CSRF fallida: %s.", reason));
}

const char *csrf_token_for(struct request *req)
{
	char *token = arena_alloc(&req->arena, CSRF_TOKEN_LEN + 1);
	if (!req->csrf_secret[0]) {
		csrf_new_secret(req->csrf_secret);
		req->csrf_cookie_set = true;
	}
	if (req->csrf_cookie_set) {
		req->csrf_cookie_set = false;
		resp_cookie(req, CSRF_COOKIE, req->csrf_secret, CSRF_COOKIE_MAX_AGE, false);
	}
	if (!token)
		return "";
	csrf_mask(req->csrf_secret, token);
	return token;
}

void csrf_read_cookie(struct request *req)
{
	str cookie = req_cookie(req, CSRF_COOKIE);
	if (cookie.ptr && csrf_secret_valid(cookie)) {
		memcpy(req->csrf_secret, cookie.ptr, CSRF_SECRET_LEN);
		req->csrf_secret[CSRF_SECRET_LEN] = '\0';
	}
}

int mw_check_csrf(struct request *req)
{
	str cookie = req_cookie(req, CSRF_COOKIE);
	bool have_secret = req->csrf_secret[0] != '\0';
	if (!is_unsafe(req->method))
		return MW_CONTINUE;

	str origin = req_header(req, "Origin");
	if (origin.ptr) {
		if (!origin_trusted(req, origin))
			return reject(req, "el origen de la solicitud no es de confianza");
	} else if (req->is_secure) {
		str referer = req_header(req, "Referer");
		if (!referer.ptr)
			return reject(req, "falta el encabezado Referer");
		if (!referer_trusted(req, referer))
			return reject(req, "el Referer no coincide con este sitio");
	}
	if (!have_secret)
		return reject(req, "falta la cookie CSRF");
	str token = req_form(req, "csrfmiddlewaretoken");
	if (!token.ptr)
		token = req_header(req, "X-CSRFToken");
	if (!token.ptr)
		return reject(req, "falta el token CSRF");
	if (!csrf_token_matches(cookie, token))
		return reject(req, "el token CSRF no es válido");
	return MW_CONTINUE;
}
