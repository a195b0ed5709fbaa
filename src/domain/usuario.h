/*
 * usuario.h - accounts and roles. An owner (rol admin) is its own tenant:
 * tenant_id == id. A seller (vendedor) works on the data of the owner who
 * created it: tenant_id == creado_por. Every business query is scoped by
 * tenant_id. The superuser is a site operator, not a tenant.
 */
#ifndef USUARIO_H
#define USUARIO_H

#include "../core/common.h"

struct db;

enum rol { ROL_ADMIN, ROL_VENDEDOR, ROL_SUPERUSER };

struct user {
	int64_t id;
	int64_t tenant_id;
	enum rol rol;
	bool activo;
	bool debe_cambiar_password;
	char username[151];
	char email[255];
	char first_name[151];
	char last_name[151];
};

const char *rol_name(enum rol r);

struct db_stmt;

/*
 * The user columns every account query selects, in this order, so another
 * module can join them (sessions do): USUARIO_COLUMNS, then read them with
 * usuario_read_row starting at their first column.
 */
#define USUARIO_COLUMNS \
	"usuarios.id, usuarios.tenant_id, usuarios.rol, usuarios.activo, " \
	"usuarios.debe_cambiar_password, usuarios.username, usuarios.email, " \
	"usuarios.first_name, usuarios.last_name"
void usuario_read_row(struct db_stmt *st, int first, struct user *u);

/* Loads an active or inactive user by id; -1 when absent. */
int usuario_by_id(struct db *db, int64_t id, struct user *out);

/*
 * Finds a login candidate by username or email, case-insensitively, and
 * its stored password hash. -1 when nobody matches.
 */
int usuario_for_login(struct db *db, str username_or_email, struct user *out,
		      char *hash, size_t hash_size);

/* Stores a new password hash (an upgrade after login, or a change). */
int usuario_set_password(struct db *db, int64_t id, const char *hash);
int usuario_touch_login(struct db *db, int64_t id, int64_t now);

/*
 * Creates an account with an already-computed hash. rol ROL_ADMIN makes its
 * own tenant (and its configuracion row); ROL_VENDEDOR needs creado_por.
 * Returns 0 and *id, -1 with a message in err (e.g. username taken).
 */
int usuario_create(struct db *db, const char *username, const char *email, const char *hash,
		   enum rol rol, int64_t creado_por, int64_t now, int64_t *id,
		   char *err, size_t err_len);

/* Number of accounts, -1 on a database error. */
int64_t usuario_count(struct db *db);

#endif
