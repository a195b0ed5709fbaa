/*
 * render.c - pages inside the layout, the one error response, and flash
 * messages (see render.h). The page template renders first; its HTML is
 * then placed raw into layout.html, the one place {{{content}}} is used.
 */
#include "render.h"
#include "session.h"
#include "../config.h"
#include "../domain/usuario.h"
#include "../tmpl/tmpl.h"
#include "app.h"

static json_t *user_json(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)u->id, "username",
			 u->username, "rol", rol_name(u->rol), "is_admin", u->rol == ROL_ADMIN,
			 "is_vendedor", u->rol == ROL_VENDEDOR, "is_superuser", u->rol == ROL_SUPERUSER);
}

/* Takes the pending flash messages out of the session (shown once). */
static json_t *take_flash(struct request *req)
{
	if (!req->session || !req->session->flash_json[0])
		return json_array();
	json_t *list = json_loads(req->session->flash_json, 0, NULL);
	session_set_flash(req, "");
	return json_is_array(list) ? list : (json_decref(list), json_array());
}

static void add_common(struct request *req, json_t *ctx)
{
	if (req->user)
		json_object_set_new(ctx, "user", user_json(req->user));
	json_object_set_new(ctx, "csrf_token", json_string(csrf_token_for(req)));
	json_object_set_new(ctx, "flash", take_flash(req));
	json_object_set_new(ctx, "debug", json_boolean(config.debug));
	if (!json_object_get(ctx, "title"))
		json_object_set_new(ctx, "title", json_string("Inventario"));
	const char *nav = json_string_value(json_object_get(ctx, "nav"));
	if (nav) {
		char key[64];
		if (xsnprintf(key, sizeof(key), "nav_%s", nav) > 0)
			json_object_set_new(ctx, key, json_true());
	}
}

static int render_into(struct request *req, int status, const char *name, json_t *ctx, bool layout)
{
	struct buf page = BUF_INIT;
	int rc = -1;
	if (!ctx)
		goto fail;
	add_common(req, ctx);
	if (tmpl_render(app_templates(), name, ctx, &page) < 0)
		goto fail;
	if (layout) {
		/* Our own renderer's output from UTF-8-checked data: skipping
		 * jansson's re-validation saves ~10 % of a large page. */
		json_object_set_new(ctx, "content", json_stringn_nocheck(page.ptr, page.len));
		buf_reset(&page);
		if (tmpl_render(app_templates(), "layout.html", ctx, &page) < 0)
			goto fail;
	}
	req->status = status;
	req->content_type = "text/html; charset=utf-8";
	buf_release(&req->body_out);
	req->body_out = page;
	rc = status;
fail:
	json_decref(ctx);
	if (rc < 0) {
		buf_release(&page);
		fprintf(stderr, "render: template %s failed\n", name);
		return resp_text(req, 500, "text/plain; charset=utf-8", "Error interno del servidor.\n", 28);
	}
	return rc;
}

int render_page(struct request *req, int status, const char *template_name, json_t *ctx)
{
	return render_into(req, status, template_name, ctx, true);
}

int render_bare(struct request *req, int status, const char *template_name, json_t *ctx)
{
	return render_into(req, status, template_name, ctx, false);
}

int render_error(struct request *req, int status, const char *code, const char *message)
{
	if (status >= 500)
		message = "Error interno del servidor. El problema quedó registrado.";
	if (!message)
		message = "Error";
	if (req->wants_json)
		return resp_json_error(req, status, code, message);
	json_t *ctx = json_pack("{s:i, s:s, s:s}", "status", status, "message", message, "title",
				status == 404 ? "No encontrado" : "Error");
	return render_page(req, status, "error.html", ctx);
}

void flash_add(struct request *req, const char *level, const char *message)
{
	if (!req->session)
		return;
	json_t *list = json_loads(req->session->flash_json, 0, NULL);
	if (!json_is_array(list)) {
		json_decref(list);
		list = json_array();
	}
	json_array_append_new(list, json_pack("{s:s, s:s}", "level", level, "message", message));
	char *text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	if (text) {
		session_set_flash(req, text);
		free(text);
	}
}
