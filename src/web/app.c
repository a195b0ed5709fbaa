/*
 * app.c - the request pipeline (see DESIGN in docs/ARCHITECTURE.md):
 *   size cap -> Host -> static files -> route -> body parsing -> session
 *   -> CSRF -> role gate -> handler
 * and, on every response, the security headers. Also owns the loaded
 * templates and each HTTP thread's database connection.
 */
#include <pthread.h>

#include "app.h"
#include "middleware.h"
#include "render.h"
#include "router.h"
#include "session.h"
#include "static_files.h"
#include "../config.h"
#include "../db/db.h"
#include "../http/json_body.h"
#include "../http/server.h"
#include "../tmpl/tmpl.h"

static struct tmpl_set *templates;
static _Thread_local struct db *thread_db;
/* Closes each HTTP thread's connection when the thread ends (server stop). */
static pthread_key_t thread_db_key;
static pthread_once_t thread_db_key_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *db)
{
	db_close(db);
}

static void make_thread_db_key(void)
{
	if (pthread_key_create(&thread_db_key, close_thread_db) != 0)
		die("pthread_key_create failed");
}

int app_init(void)
{
	char err[512];
	templates = tmpl_load_dir(config.templates_dir, err, sizeof(err));
	if (!templates) {
		fprintf(stderr, "templates: %s\n", err);
		return -1;
	}
	return static_files_load(config.static_dir);
}

const struct tmpl_set *app_templates(void)
{
	return templates;
}

struct db *app_thread_db(void)
{
	char err[512];
	if (thread_db)
		return thread_db;
	if (db_open(config.database_url, &thread_db, err, sizeof(err)) < 0) {
		fprintf(stderr, "database: %s\n", err);
		thread_db = NULL;
		return NULL;
	}
	pthread_once(&thread_db_key_once, make_thread_db_key);
	pthread_setspecific(thread_db_key, thread_db);
	return thread_db;
}

static bool content_type_is(struct request *req, const char *type)
{
	str ct = req_header(req, "Content-Type");
	size_t n = strlen(type);
	return ct.len >= n && str_case_eq((str){ ct.ptr, n }, str_from(type)) &&
	       (ct.len == n || ct.ptr[n] == ';' || ct.ptr[n] == ' ');
}

static bool accepts_json(struct request *req)
{
	str accept = req_header(req, "Accept");
	return (accept.ptr && memmem(accept.ptr, accept.len, "application/json", 16)) ||
	       content_type_is(req, "application/json");
}

/* Fills req->form or req->json from the body, by Content-Type. */
static int parse_body(struct request *req)
{
	char err[128];
	if (!req->body.len)
		return MW_CONTINUE;
	if (content_type_is(req, "application/x-www-form-urlencoded")) {
		int rc = form_parse(&req->arena, req->body.ptr, req->body.len, REQ_MAX_FIELDS, &req->form);
		if (rc == PARSE_TOO_MANY || rc == PARSE_NO_MEMORY)
			return render_error(req, 413, "TOO_LARGE", "Demasiados campos en el formulario.");
		if (rc != PARSE_OK)
			return render_error(req, 400, "VALIDATION_ERROR",
					    "Formulario mal codificado (se espera UTF-8 válido).");
		return MW_CONTINUE;
	}
	if (content_type_is(req, "application/json")) {
		if (json_body_parse(req->body.ptr, req->body.len, REQ_MAX_JSON_DEPTH, &req->json, err,
				    sizeof(err)) < 0)
			return render_error(req, 400, "VALIDATION_ERROR", err);
		arena_on_release(&req->arena, (void (*)(void *))json_decref, req->json);
		return MW_CONTINUE;
	}
	return render_error(req, 415, "UNSUPPORTED_MEDIA_TYPE", "Tipo de contenido no admitido.");
}

/* For pages answered before the route is known: who is asking, if the database answers. */
static void load_session_quietly(struct request *req)
{
	req->db = app_thread_db();
	if (req->db)
		session_load(req);
}

static int app_handle(struct request *req)
{
	int rc;
	req->cookie_secure = !config.debug || req->is_secure;
	/* From the headers now, refined by the route: errors before routing
	 * must already answer a JSON client in JSON. */
	req->wants_json = accepts_json(req);
	str cookie_header = req_header(req, "Cookie");
	if (cookie_header.ptr &&
	    cookie_parse(&req->arena, cookie_header.ptr, cookie_header.len, REQ_MAX_COOKIES,
			 &req->cookies) != PARSE_OK)
		return render_error(req, 400, "BAD_REQUEST", "Demasiadas cookies.");
	/* Before any page can be rendered, so an error page never replaces the
	 * CSRF cookie that the pages already open in the browser rely on. */
	csrf_read_cookie(req);
	if (req->body_too_large)
		return render_error(req, 413, "TOO_LARGE", "La solicitud es demasiado grande.");
	if ((rc = mw_check_host(req)) != MW_CONTINUE)
		return rc;
	if (req->query_malformed)
		return render_error(req, 400, "VALIDATION_ERROR",
				    "Parámetros de la dirección mal codificados.");
	if (req->method == HTTP_GET || req->method == HTTP_HEAD) {
		if ((rc = static_files_serve(req)) != 0)
			return rc;
	}
	switch (router_match(req)) {
	case ROUTE_NOT_FOUND:
		load_session_quietly(req);
		return render_error(req, 404, "NOT_FOUND", "La página que busca no existe.");
	case ROUTE_WRONG_METHOD:
		load_session_quietly(req);
		resp_header(req, "Allow", "GET, POST");
		return render_error(req, 405, "METHOD_NOT_ALLOWED", "Método no permitido.");
	case ROUTE_FOUND:
		break;
	}
	req->wants_json = req->wants_json || (req->route->flags & ROUTE_JSON);
	if ((rc = parse_body(req)) != MW_CONTINUE)
		return rc;
	req->db = app_thread_db();
	if (!req->db)
		return render_error(req, 503, "UNAVAILABLE", NULL);
	if (!(req->route->flags & ROUTE_NO_SESSION)) {
		if (session_load(req) < 0)
			return render_error(req, 500, "ERROR", NULL);
		if ((rc = mw_check_csrf(req)) != MW_CONTINUE)
			return rc;
		if ((rc = mw_check_access(req)) != MW_CONTINUE)
			return rc;
	}
	return req->route->handler(req);
}

static void app_finish(struct request *req)
{
	mw_add_security_headers(req);
	if (!str_starts_with(req->path, "/static/")) {
		resp_header(req, "Cache-Control", "no-store");
		resp_header(req, "Vary", "Cookie");
	}
	if (req->status >= 500)
		fprintf(stderr, "{\"event\":\"server_error\",\"status\":%d,\"method\":\"%.*s\",\"path\":\"%.*s\"}\n",
			req->status, (int)req->method_name.len, req->method_name.ptr,
			(int)(req->path.len > 200 ? 200 : req->path.len), req->path.ptr);
}

static const struct server_app the_app = { app_handle, app_finish };

const struct server_app *app_server(void)
{
	return &the_app;
}
