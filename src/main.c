/*
 * main.c - the inventario command: one binary for the server and the
 * operator's tasks. The table below is the whole command line.
 */
#include "cli/cli.h"
#include "config.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	bool needs_config;   /* loads .env/environment without requiring a key */
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, false, "serve [--host H] [--port P]   run the web server" },
	{ "migrate", cmd_migrate, true, "migrate                       create or update the schema" },
	{ "createsuperuser", cmd_createsuperuser, true,
	  "createsuperuser --username U --email E   site operator (password: INVENTARIO_PASSWORD or prompt)" },
	{ "createuser", cmd_createuser, true,
	  "createuser --username U --email E --rol admin|vendedor [--owner OWNER]" },
	{ "seed-demo", cmd_seed_demo, true,
	  "seed-demo --password PW [--products N] [--sales M]   demo shop" },
	{ "generate-secret", cmd_generate_secret, false, "generate-secret               print a new SECRET_KEY" },
	{ "check", cmd_check, false, "check                         check the configuration" },
};

static int usage(void)
{
	fprintf(stderr, "usage: inventario <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(stderr, "  %s\n", commands[i].help);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (commands[i].needs_config && config_load(false) < 0)
			return 1;
		return commands[i].run(argc - 2, argv + 2);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(), 0;
	fprintf(stderr, "inventario: unknown command '%s'\n", argv[1]);
	return usage();
}
