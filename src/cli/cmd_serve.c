/*
 * cmd_serve.c - `inventario serve`: configuration, keys, migrations,
 * templates and static files, then the HTTP server until a signal.
 */
#include <time.h>

#include "cli.h"
#include "../config.h"
#include "../db/db.h"
#include "../http/server.h"
#include "../security/password_hasher.h"
#include "../security/signing.h"
#include "../web/app.h"

int cmd_serve(int argc, char **argv)
{
	static const char *const allowed[] = { "--host", "--port", NULL };
	static const char usage[] = "inventario serve [--host H] [--port P]";
	const char *host = cli_option(argc, argv, "--host");
	const char *port_text = cli_option(argc, argv, "--port");
	int64_t port = 8000;

	if (cli_check_options(argc, argv, allowed, usage) < 0)
		return 2;
	if (port_text && str_to_i64(str_from(port_text), 1, 65535, &port) < 0) {
		fprintf(stderr, "--port must be a number from 1 to 65535\n");
		return 2;
	}
	if (!host)
		host = "127.0.0.1";
	if (config_load(true) < 0)
		return 1;
	signing_set_keys(config.secret_key, (const char *const *)config.secret_key_fallbacks,
			 config.n_secret_key_fallbacks);

	struct db *db = cli_open_db(true);
	if (!db)
		return 1;
	db_close(db);
	if (app_init() < 0)
		return 1;
	/* Computed now so the first failed login is not slower than the rest. */
	password_dummy_hash();
	if (server_start(app_server(), host, (unsigned)port, config.http_threads,
			 config.worker_threads) < 0)
		return 1;
	fprintf(stderr, "listening on http://%s:%lld (DEBUG %s)\n", host, (long long)port,
		config.debug ? "on" : "off");
	server_wait_and_stop();
	return 0;
}
