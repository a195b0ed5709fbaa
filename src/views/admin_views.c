/*
 * admin_views.c - the site operator's landing page: the accounts of every
 * shop, read-only for now (activation and the security event log are the
 * operator tools still to come). Only a superuser reaches it.
 */
#include <jansson.h>

#include "views.h"
#include "view_ctx.h"
#include "../db/db.h"
#include "../domain/usuario.h"
#include "../web/render.h"

#define ADMIN_PAGE_SIZE 50

int view_admin_home(struct request *req)
{
	static const char sql[] =
		"SELECT id, username, email, rol, activo, created_at, last_login FROM usuarios "
		"ORDER BY id LIMIT ?";
	if (!req->user || req->user->rol != ROL_SUPERUSER)
		return render_error(req, 404, "NOT_FOUND", "La página que busca no existe.");

	json_t *rows = json_array();
	struct db_stmt *st = db_prepare(req->db, sql);
	db_bind_int(st, 1, ADMIN_PAGE_SIZE);
	while (db_step(st) == DB_ROW) {
		char created[32], last[32] = "—";
		local_datetime_format(db_col_int(st, 5), created, sizeof(created));
		if (!db_col_is_null(st, 6) &&
		    !local_datetime_format(db_col_int(st, 6), last, sizeof(last)))
			xsnprintf(last, sizeof(last), "%s", "—");
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s}",
			"id", (json_int_t)db_col_int(st, 0), "username", db_col_text(st, 1, NULL),
			"email", db_col_text(st, 2, NULL), "rol", db_col_text(st, 3, NULL),
			"activo", db_col_int(st, 4) != 0, "created", created, "last_login", last));
	}
	db_done(st);
	return render_page(req, 200, "admin/index.html",
			   json_pack("{s:s, s:s, s:o}", "title", "Administración", "nav", "admin",
				     "usuarios", rows));
}
