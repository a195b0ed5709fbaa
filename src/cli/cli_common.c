/*
 * cli_common.c - option parsing, database opening and password prompting
 * shared by the subcommands.
 */
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "../config.h"
#include "../db/db.h"

const char *cli_option(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

int cli_check_options(int argc, char **argv, const char *const *allowed, const char *usage)
{
	for (int i = 0; i < argc; i += 2) {
		bool known = false;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(argv[i], *a))
				known = true;
		if (!known || i + 1 >= argc) {
			fprintf(stderr, "%s: %s\nusage: %s\n", argv[i],
				known ? "needs a value" : "unknown option", usage);
			return -1;
		}
	}
	return 0;
}

struct db *cli_open_db(bool migrate)
{
	struct db *db;
	char err[512];
	if (db_open(config.database_url, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	if (migrate && db_migrate(db) < 0) {
		db_close(db);
		return NULL;
	}
	return db;
}

static int prompt(const char *label, char *out, size_t out_size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	fputs(label, stderr);
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = fgets(out, (int)out_size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!line)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int cli_read_password(char *out, size_t out_size)
{
	const char *env = getenv("INVENTARIO_PASSWORD");
	char again[1024];
	if (env) {
		if (xsnprintf(out, out_size, "%s", env) < 0) {
			fprintf(stderr, "INVENTARIO_PASSWORD is too long\n");
			return -1;
		}
	} else {
		if (prompt("Contraseña: ", out, out_size) < 0 ||
		    prompt("Contraseña (otra vez): ", again, sizeof(again)) < 0)
			return -1;
		if (strcmp(out, again) != 0) {
			fprintf(stderr, "Las contraseñas no coinciden.\n");
			return -1;
		}
	}
	if (!out[0]) {
		fprintf(stderr, "La contraseña no puede estar vacía.\n");
		return -1;
	}
	return 0;
}
