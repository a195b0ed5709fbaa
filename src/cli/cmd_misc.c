/*
 * cmd_misc.c - the small subcommands: migrate, seed-demo, generate-secret
 * and check.
 */
#include <openssl/crypto.h>
#include <time.h>

#include "cli.h"
#include "../config.h"
#include "../db/db.h"
#include "../domain/seed.h"
#include "../domain/usuario.h"
#include "../security/password_hasher.h"

int cmd_migrate(int argc, char **argv)
{
	UNUSED(argv);
	if (argc) {
		fprintf(stderr, "usage: inventario migrate\n");
		return 2;
	}
	struct db *db = cli_open_db(true);
	if (!db)
		return 1;
	printf("Esquema en la versión %d.\n", db_schema_version(db));
	db_close(db);
	return 0;
}

int cmd_seed_demo(int argc, char **argv)
{
	static const char *const allowed[] = { "--password", "--products", "--sales", "--seed", NULL };
	static const char usage[] =
		"inventario seed-demo [--if-empty] --password PW [--products N] [--sales M] [--seed S]";
	bool if_empty = argc && !strcmp(argv[0], "--if-empty");
	if (if_empty) {
		argc--;
		argv++;
	}
	const char *password = cli_option(argc, argv, "--password");
	int64_t n_products = 200, n_sales = 500, seed = 42;
	const char *v;

	if (cli_check_options(argc, argv, allowed, usage) < 0 || !password || !*password)
		return fprintf(stderr, "usage: %s\n", usage), 2;
	if (((v = cli_option(argc, argv, "--products")) &&
	     str_to_i64(str_from(v), 1, 1000000, &n_products) < 0) ||
	    ((v = cli_option(argc, argv, "--sales")) && str_to_i64(str_from(v), 0, 10000000, &n_sales) < 0) ||
	    ((v = cli_option(argc, argv, "--seed")) && str_to_i64(str_from(v), 0, UINT32_MAX, &seed) < 0)) {
		fprintf(stderr, "--products, --sales and --seed take whole numbers\n");
		return 2;
	}
	char hash[PASSWORD_HASH_MAX];
	if (if_empty) {
		struct db *check = cli_open_db(true);
		if (!check)
			return 1;
		int64_t n_users = usuario_count(check);
		db_close(check);
		if (n_users != 0) {
			printf("La base de datos ya tiene usuarios: no se cargan datos de demostración.\n");
			return n_users < 0;
		}
	}
	if (password_hash(password, strlen(password), hash, sizeof(hash)) < 0)
		return 1;
	struct db *db = cli_open_db(true);
	if (!db)
		return 1;
	int rc = seed_demo(db, hash, (int)n_products, (int)n_sales, (unsigned)seed, (int64_t)time(NULL));
	db_close(db);
	if (rc < 0)
		return 1;
	printf("Datos de demostración creados: usuarios admin y vendedor, %lld productos, %lld ventas.\n",
	       (long long)n_products, (long long)n_sales);
	return 0;
}

int cmd_generate_secret(int argc, char **argv)
{
	UNUSED(argv);
	char key[51];
	if (argc) {
		fprintf(stderr, "usage: inventario generate-secret\n");
		return 2;
	}
	config_generate_secret(key);
	printf("%s\n", key);
	OPENSSL_cleanse(key, sizeof(key));
	return 0;
}

int cmd_check(int argc, char **argv)
{
	if (argc && !strcmp(argv[0], "--deploy")) {
		fprintf(stderr, "check --deploy is not available yet; run `inventario check`\n");
		return 2;
	}
	if (argc) {
		fprintf(stderr, "usage: inventario check\n");
		return 2;
	}
	/* The same rules serve applies, so a passing check means serve starts. */
	if (config_load(true) < 0) {
		fprintf(stderr, "check: configuration has errors (see above)\n");
		return 1;
	}
	struct db *db = cli_open_db(false);
	if (!db)
		return 1;
	int version = db_schema_version(db);
	db_close(db);
	printf("Configuración correcta. DEBUG %s, base de datos en la versión %d del esquema.\n",
	       config.debug ? "activo" : "inactivo", version);
	return 0;
}
