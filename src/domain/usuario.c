/*
 * usuario.c - account rows: lookups for sessions and login, password
 * updates, and creation (an owner gets its own tenant and configuration).
 * Usernames and emails are compared lower-cased through stored *_lower
 * columns, so the lookup is an index hit on every database.
 */
#include <ctype.h>

#include "usuario.h"
#include "../db/db.h"

static const char user_columns_by_id[] =
	"SELECT id, tenant_id, rol, activo, debe_cambiar_password, username, email, first_name, last_name "
	"FROM usuarios WHERE id = ?";
static const char user_columns_login[] =
	"SELECT id, tenant_id, rol, activo, debe_cambiar_password, username, email, first_name, last_name, password "
	"FROM usuarios WHERE username_lower = ? OR (email_lower = ? AND email_lower <> '') "
	"ORDER BY username_lower = ? DESC, id LIMIT 1";

const char *rol_name(enum rol r)
{
	switch (r) {
	case ROL_ADMIN: return "admin";
	case ROL_VENDEDOR: return "vendedor";
	case ROL_SUPERUSER: return "superuser";
	}
	return "?";
}

static enum rol rol_from(const char *s)
{
	if (!strcmp(s, "admin"))
		return ROL_ADMIN;
	if (!strcmp(s, "superuser"))
		return ROL_SUPERUSER;
	return ROL_VENDEDOR;
}

void usuario_read_row(struct db_stmt *st, int first, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, first);
	u->tenant_id = db_col_int(st, first + 1);
	u->rol = rol_from(db_col_text(st, first + 2, NULL));
	u->activo = db_col_int(st, first + 3) != 0;
	u->debe_cambiar_password = db_col_int(st, first + 4) != 0;
	db_col_copy(st, first + 5, u->username, sizeof(u->username));
	db_col_copy(st, first + 6, u->email, sizeof(u->email));
	db_col_copy(st, first + 7, u->first_name, sizeof(u->first_name));
	db_col_copy(st, first + 8, u->last_name, sizeof(u->last_name));
}

int usuario_by_id(struct db *db, int64_t id, struct user *out)
{
	struct db_stmt *st = db_prepare(db, user_columns_by_id);
	db_bind_int(st, 1, id);
	int rc = db_step(st) == DB_ROW ? 0 : -1;
	if (rc == 0)
		usuario_read_row(st, 0, out);
	db_done(st);
	return rc;
}

/* ASCII lower-casing: usernames are ASCII; emails compare case-insensitively in their ASCII part. */
static char *lower_copy(str s)
{
	char *p = xstrndup(s.ptr ? s.ptr : "", s.len);
	for (size_t i = 0; i < s.len; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

int usuario_for_login(struct db *db, str username_or_email, struct user *out,
		      char *hash, size_t hash_size)
{
	char *key = lower_copy(str_trim(username_or_email));
	struct db_stmt *st = db_prepare(db, user_columns_login);
	db_bind_cstr(st, 1, key);
	db_bind_cstr(st, 2, key);
	db_bind_cstr(st, 3, key);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		usuario_read_row(st, 0, out);
		db_col_copy(st, 9, hash, hash_size);
		rc = 0;
	}
	db_done(st);
	free(key);
	return rc;
}

int usuario_set_password(struct db *db, int64_t id, const char *hash)
{
	static const char sql[] = "UPDATE usuarios SET password = ? WHERE id = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_cstr(st, 1, hash);
	db_bind_int(st, 2, id);
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

int usuario_touch_login(struct db *db, int64_t id, int64_t now)
{
	static const char sql[] = "UPDATE usuarios SET last_login = ? WHERE id = ?";
	struct db_stmt *st = db_prepare(db, sql);
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	return db_step_done(st) == DB_DONE ? 0 : -1;
}

static bool username_valid(const char *u)
{
	size_t n = strlen(u);
	if (n < 1 || n > 150)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)u[i]) && !strchr("@.+-_", u[i]))
			return false;
	return true;
}

int usuario_create(struct db *db, const char *username, const char *email, const char *hash,
		   enum rol rol, int64_t creado_por, int64_t now, int64_t *id,
		   char *err, size_t err_len)
{
	static const char sql_insert[] =
		"INSERT INTO usuarios (username, username_lower, email, email_lower, password, rol, "
		"creado_por, email_verificado, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)";
	static const char sql_tenant[] = "UPDATE usuarios SET tenant_id = ? WHERE id = ?";
	static const char sql_config[] = "INSERT INTO configuracion (tenant_id) VALUES (?)";
	static const char sql_owner[] = "SELECT rol FROM usuarios WHERE id = ?";
	char *ulower = NULL, *elower = NULL;
	int64_t tenant = 0;
	struct db_stmt *st;

	if (!username_valid(username)) {
		xsnprintf(err, err_len, "nombre de usuario inválido: 1 a 150 letras, dígitos o @.+-_");
		return -1;
	}
	if (strlen(email) > 254 || (email[0] && !strchr(email, '@'))) {
		xsnprintf(err, err_len, "correo electrónico inválido");
		return -1;
	}
	if (rol == ROL_VENDEDOR) {
		st = db_prepare(db, sql_owner);
		db_bind_int(st, 1, creado_por);
		bool owner_ok = db_step(st) == DB_ROW && !strcmp(db_col_text(st, 0, NULL), "admin");
		db_done(st);
		if (!owner_ok) {
			xsnprintf(err, err_len, "un vendedor debe pertenecer a un administrador existente");
			return -1;
		}
		tenant = creado_por;
	}
	ulower = lower_copy(str_from(username));
	elower = lower_copy(str_from(email));
	if (db_begin(db, true) != DB_OK)
		goto db_fail;
	st = db_prepare(db, sql_insert);
	db_bind_cstr(st, 1, username);
	db_bind_cstr(st, 2, ulower);
	db_bind_cstr(st, 3, email);
	db_bind_cstr(st, 4, elower);
	db_bind_cstr(st, 5, hash);
	db_bind_cstr(st, 6, rol_name(rol));
	if (rol == ROL_VENDEDOR)
		db_bind_int(st, 7, creado_por);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, now);
	int rc = db_step_done(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		xsnprintf(err, err_len, "el usuario '%s' ya existe", username);
		goto fail;
	}
	if (rc != DB_DONE)
		goto db_fail;
	*id = db_last_insert_id(db);
	if (rol == ROL_ADMIN)
		tenant = *id;
	if (tenant) {
		st = db_prepare(db, sql_tenant);
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, *id);
		if (db_step_done(st) != DB_DONE)
			goto db_fail;
	}
	if (rol == ROL_ADMIN) {
		st = db_prepare(db, sql_config);
		db_bind_int(st, 1, *id);
		if (db_step_done(st) != DB_DONE)
			goto db_fail;
	}
	if (db_commit(db) != DB_OK)
		goto db_fail;
	free(ulower);
	free(elower);
	return 0;
db_fail:
	db_rollback(db);
	xsnprintf(err, err_len, "error de base de datos: %s", db_errmsg(db));
fail:
	free(ulower);
	free(elower);
	return -1;
}

int64_t usuario_count(struct db *db)
{
	static const char sql[] = "SELECT count(*) FROM usuarios";
	struct db_stmt *st = db_prepare(db, sql);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}
