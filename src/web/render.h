/*
 * render.h - how views answer: a page rendered inside the site layout, an
 * error in the form the client expects (HTML page or JSON), flash
 * messages carried to the next page through the session.
 *
 * Every page template gets, besides its own ctx keys:
 *   user {id, username, rol, is_admin, is_vendedor}   (absent when anonymous)
 *   csrf_token   a masked token for hidden inputs / the meta tag
 *   flash        [{level: "success"|"error"|"info", message}]
 *   debug        true when DEBUG is on
 *   title        ctx's "title" or "Inventario"
 *   nav_<name>   true for the active menu entry when ctx has "nav": "<name>"
 */
#ifndef RENDER_H
#define RENDER_H

#include <jansson.h>

#include "../http/request.h"

/* Renders template_name (e.g. "productos/lista.html") into layout.html. Steals ctx. */
int render_page(struct request *req, int status, const char *template_name, json_t *ctx);

/* Renders a template without the layout (receipts, fragments). Steals ctx. */
int render_bare(struct request *req, int status, const char *template_name, json_t *ctx);

/*
 * The one error response: JSON {"success": false, "error", "code"} for JSON
 * requests, otherwise the error page. A 500 never shows internals.
 */
int render_error(struct request *req, int status, const char *code, const char *message);

/* Queues a message for the next page this session sees. */
void flash_add(struct request *req, const char *level, const char *message);

/* A fresh masked CSRF token for this response (sets the cookie when needed). */
const char *csrf_token_for(struct request *req);

#endif
