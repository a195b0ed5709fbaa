/*
 * cli.h - the inventario subcommands. Each takes the arguments after its
 * name and returns the process exit status. Shared helpers for option
 * parsing and opening the configured database live in cli_common.c.
 */
#ifndef CLI_H
#define CLI_H

#include "../core/common.h"

struct db;

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_createsuperuser(int argc, char **argv);
int cmd_createuser(int argc, char **argv);
int cmd_seed_demo(int argc, char **argv);
int cmd_generate_secret(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* "--name value" lookup; NULL when absent. Unknown options are reported by cli_check_options. */
const char *cli_option(int argc, char **argv, const char *name);
/* -1 (after printing) when argv has an option not in allowed (NULL-terminated). */
int cli_check_options(int argc, char **argv, const char *const *allowed, const char *usage);

/* Opens DATABASE_URL and applies migrations; NULL after printing why. */
struct db *cli_open_db(bool migrate);

/* INVENTARIO_PASSWORD, or asked twice on the terminal without echo. */
int cli_read_password(char *out, size_t out_size);

#endif
