/*
 * session.c - see session.h. last_seen is written at most once a minute,
 * so a page view is a read, not a write, in the common case.
 */
#include "session.h"
#include "../config.h"
#include "../db/db.h"
#include "../domain/usuario.h"
#include "../security/digest.h"
#include "../security/random.h"
#include "../security/signing.h"

#define SESSION_TOUCH_INTERVAL_S 60
#define SESSION_ID_BYTES 32

/* One statement for the session and its user: this runs on every page. */
static const char sql_load[] =
	"SELECT sesiones.user_id, sesiones.created_at, sesiones.last_seen, sesiones.flash, "
	USUARIO_COLUMNS " FROM sesiones JOIN usuarios ON usuarios.id = sesiones.user_id "
	"WHERE sesiones.id_hash = ?";
static const char sql_touch[] = "UPDATE sesiones SET last_seen = ? WHERE id_hash = ?";
static const char sql_delete[] = "DELETE FROM sesiones WHERE id_hash = ?";
static const char sql_insert[] =
	"INSERT INTO sesiones (id_hash, user_id, created_at, last_seen, flash) VALUES (?, ?, ?, ?, '')";
static const char sql_flash[] = "UPDATE sesiones SET flash = ? WHERE id_hash = ?";

static int delete_by_hash(struct db *db, const char *id_hash)
{
	struct db_stmt *st = db_prepare(db, sql_delete);
	db_bind_cstr(st, 1, id_hash);
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

int session_load(struct request *req)
{
	str cookie = req_cookie(req, SESSION_COOKIE);
	str id;
	if (!cookie.len || cookie.len > 200 || signing_unsign("session", cookie, &id) < 0)
		return 0;

	struct session *s = arena_alloc(&req->arena, sizeof(*s));
	if (!s)
		return -1;
	sha256_hex(id.ptr, id.len, s->id_hash);

	struct db_stmt *st = db_prepare(req->db, sql_load);
	db_bind_cstr(st, 1, s->id_hash);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? 0 : -1;
	}
	s->user_id = db_col_int(st, 0);
	s->created_at = db_col_int(st, 1);
	s->last_seen = db_col_int(st, 2);
	size_t flash_len;
	const char *flash = db_col_text(st, 3, &flash_len);
	s->flash_json = arena_strndup(&req->arena, flash, flash_len);
	struct user *u = arena_alloc(&req->arena, sizeof(*u));
	if (u)
		usuario_read_row(st, 4, u);
	db_done(st);
	if (!s->flash_json || !u)
		return -1;

	bool idle = config.session_idle_s && req->now - s->last_seen > config.session_idle_s;
	bool too_old = req->now - s->created_at > config.session_absolute_s;
	if (idle || too_old || !u->activo) {
		delete_by_hash(req->db, s->id_hash);
		return 0;
	}
	if (req->now - s->last_seen >= SESSION_TOUCH_INTERVAL_S) {
		st = db_prepare(req->db, sql_touch);
		db_bind_int(st, 1, req->now);
		db_bind_cstr(st, 2, s->id_hash);
		db_step_done(st);
	}
	req->session = s;
	req->user = u;
	return 0;
}

int session_start(struct request *req, int64_t user_id)
{
	unsigned char raw[SESSION_ID_BYTES];
	char id[64], cookie[160];
	struct session *s = arena_alloc(&req->arena, sizeof(*s));

	if (!s)
		return -1;
	if (req->session)
		delete_by_hash(req->db, req->session->id_hash);
	random_bytes(raw, sizeof(raw));
	int id_len = b64url_encode(raw, sizeof(raw), id, sizeof(id));
	if (id_len < 0 || signing_sign("session", (str){ id, (size_t)id_len }, cookie, sizeof(cookie)) < 0)
		return -1;
	sha256_hex(id, (size_t)id_len, s->id_hash);
	s->user_id = user_id;
	s->created_at = s->last_seen = req->now;
	s->flash_json = (char *)"";

	struct db_stmt *st = db_prepare(req->db, sql_insert);
	db_bind_cstr(st, 1, s->id_hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, req->now);
	db_bind_int(st, 4, req->now);
	if (db_step_done(st) != DB_DONE)
		return -1;
	req->session = s;
	/* No Max-Age: a browser-session cookie; the server enforces the limits. */
	resp_cookie(req, SESSION_COOKIE, cookie, 0, true);
	return 0;
}

int session_end(struct request *req)
{
	int rc = 0;
	if (req->session)
		rc = delete_by_hash(req->db, req->session->id_hash);
	req->session = NULL;
	req->user = NULL;
	resp_cookie(req, SESSION_COOKIE, "", -1, true);
	return rc;
}

int session_end_all_for_user(struct db *db, int64_t user_id, const char *keep_hash)
{
	static const char sql[] = "DELETE FROM sesiones WHERE user_id = ? AND id_hash <> ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, user_id);
	db_bind_cstr(st, 2, keep_hash ? keep_hash : "");
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

int session_set_flash(struct request *req, const char *flash_json)
{
	if (!req->session)
		return -1;
	struct db_stmt *st = db_prepare(req->db, sql_flash);
	db_bind_cstr(st, 1, flash_json);
	db_bind_cstr(st, 2, req->session->id_hash);
	if (db_step_done(st) != DB_DONE)
		return -1;
	req->session->flash_json = arena_strndup(&req->arena, flash_json, strlen(flash_json));
	if (!req->session->flash_json)
		req->session->flash_json = (char *)"";
	return 0;
}
