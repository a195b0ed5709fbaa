/*
 * cmd_users.c - createsuperuser and createuser: accounts made by the
 * operator from the command line, with the password from
 * INVENTARIO_PASSWORD or the terminal.
 */
#include <openssl/crypto.h>
#include <time.h>

#include "cli.h"
#include "../db/db.h"
#include "../domain/usuario.h"
#include "../security/password_hasher.h"

static int create(const char *username, const char *email, enum rol rol, const char *owner)
{
	char password[1024], hash[PASSWORD_HASH_MAX], err[256];
	int64_t id, owner_id = 0;
	int status = 1;
	struct db *db = cli_open_db(true);
	if (!db)
		return 1;
	if (owner) {
		struct user u;
		char unused[PASSWORD_HASH_MAX];
		if (usuario_for_login(db, str_from(owner), &u, unused, sizeof(unused)) < 0 ||
		    u.rol != ROL_ADMIN) {
			fprintf(stderr, "--owner %s: no such owner (rol admin)\n", owner);
			goto done;
		}
		owner_id = u.id;
	}
	if (cli_read_password(password, sizeof(password)) < 0)
		goto done;
	int rc = password_hash(password, strlen(password), hash, sizeof(hash));
	OPENSSL_cleanse(password, sizeof(password));
	if (rc < 0 || usuario_create(db, username, email, hash, rol, owner_id, (int64_t)time(NULL), &id,
				     err, sizeof(err)) < 0) {
		fprintf(stderr, "No se creó el usuario: %s\n", rc < 0 ? "hash" : err);
		goto done;
	}
	printf("Usuario '%s' creado (id %lld, rol %s).\n", username, (long long)id, rol_name(rol));
	status = 0;
done:
	db_close(db);
	return status;
}

int cmd_createsuperuser(int argc, char **argv)
{
	static const char *const allowed[] = { "--username", "--email", NULL };
	static const char usage[] = "inventario createsuperuser --username U --email E";
	const char *username = cli_option(argc, argv, "--username");
	const char *email = cli_option(argc, argv, "--email");
	if (cli_check_options(argc, argv, allowed, usage) < 0 || !username || !email) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	return create(username, email, ROL_SUPERUSER, NULL);
}

int cmd_createuser(int argc, char **argv)
{
	static const char *const allowed[] = { "--username", "--email", "--rol", "--owner", NULL };
	static const char usage[] =
		"inventario createuser --username U --email E --rol admin|vendedor [--owner OWNER]";
	const char *username = cli_option(argc, argv, "--username");
	const char *email = cli_option(argc, argv, "--email");
	const char *rol = cli_option(argc, argv, "--rol");
	const char *owner = cli_option(argc, argv, "--owner");
	if (cli_check_options(argc, argv, allowed, usage) < 0 || !username || !email || !rol ||
	    (strcmp(rol, "admin") && strcmp(rol, "vendedor")) || (!strcmp(rol, "vendedor") != !!owner)) {
		fprintf(stderr, "usage: %s\n(--owner is required for vendedor and only for it)\n", usage);
		return 2;
	}
	return create(username, email, !strcmp(rol, "admin") ? ROL_ADMIN : ROL_VENDEDOR, owner);
}
