/*
 * request.c - request accessors and the response builders handlers call.
 * Nothing here talks to libmicrohttpd: server.c turns the finished
 * struct request into a wire response.
 */
#include "request.h"

str req_header(struct request *req, const char *name)
{
	return kv_get_case(&req->headers, name);
}

str req_query(struct request *req, const char *name)
{
	return kv_get(&req->query, name);
}

str req_form(struct request *req, const char *name)
{
	return kv_get(&req->form, name);
}

str req_cookie(struct request *req, const char *name)
{
	return kv_get(&req->cookies, name);
}

static char *arena_cstr(struct request *req, str s)
{
	s = str_trim(s);
	char *p = arena_strndup(&req->arena, s.ptr ? s.ptr : "", s.len);
	return p ? p : (char *)"";
}

char *req_form_cstr(struct request *req, const char *name)
{
	return arena_cstr(req, req_form(req, name));
}

char *req_query_cstr(struct request *req, const char *name)
{
	return arena_cstr(req, req_query(req, name));
}

void resp_header(struct request *req, const char *name, const char *value)
{
	char *v = arena_strndup(&req->arena, value, strlen(value));
	if (v)
		kv_add(&req->arena, &req->resp_headers, str_from(name), str_from(v));
}

void resp_cookie(struct request *req, const char *name, const char *value,
		 int64_t max_age_s, bool http_only)
{
	/* SameSite=Lax always; Secure as the web layer decided (DEBUG off or HTTPS). */
	char *c = arena_printf(&req->arena, "%s=%s; Path=/; SameSite=Lax%s%s%s", name, value,
			       http_only ? "; HttpOnly" : "", req->cookie_secure ? "; Secure" : "",
			       max_age_s < 0 ? "; Max-Age=0" : "");
	if (c && max_age_s > 0)
		c = arena_printf(&req->arena, "%s; Max-Age=%lld", c, (long long)max_age_s);
	if (c)
		kv_add(&req->arena, &req->resp_headers, STR("Set-Cookie"), str_from(c));
}

int resp_text(struct request *req, int status, const char *content_type, const char *body, size_t len)
{
	req->status = status;
	req->content_type = content_type;
	buf_reset(&req->body_out);
	buf_add(&req->body_out, body, len);
	return status;
}

int resp_json(struct request *req, int status, json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(data);
	if (!text)
		return resp_text(req, 500, "application/json", "{\"success\":false}", 17);
	req->status = status;
	req->content_type = "application/json";
	buf_reset(&req->body_out);
	buf_adds(&req->body_out, text);
	free(text);
	return status;
}

int resp_redirect(struct request *req, const char *location)
{
	resp_header(req, "Location", location);
	req->status = 302;
	req->content_type = "text/plain; charset=utf-8";
	buf_reset(&req->body_out);
	return 302;
}

int resp_json_error(struct request *req, int status, const char *code, const char *message)
{
	return resp_json(req, status, json_pack("{s:b, s:s, s:s}", "success", 0, "error", message,
						"code", code));
}
