/*
 * app.h - the application object: loaded templates, static files and each
 * HTTP thread's database connection. Built once at start-up by serve.
 */
#ifndef APP_H
#define APP_H

#include "../core/common.h"

struct db;
struct tmpl_set;

/* Loads templates and static files; -1 with a message. */
int app_init(void);

const struct tmpl_set *app_templates(void);

/* The calling thread's connection, opened on first use (NULL on failure). */
struct db *app_thread_db(void);

/* The server callbacks (struct server_app) wired to the router and middleware. */
const struct server_app *app_server(void);

#endif
