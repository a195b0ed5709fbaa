/*
 * config.h - the process-wide settings, read once at start-up from the
 * environment and an optional .env file (real environment variables win).
 * After config_load returns, the struct is read-only and shared by every
 * thread.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "core/common.h"

#define CONFIG_MAX_LIST 16

struct config {
	bool debug;
	char secret_key[512];
	bool secret_key_generated;        /* DEBUG run with a throw-away key */
	char *secret_key_fallbacks[CONFIG_MAX_LIST];
	size_t n_secret_key_fallbacks;
	char *allowed_hosts[CONFIG_MAX_LIST];
	size_t n_allowed_hosts;
	char *csrf_trusted_origins[CONFIG_MAX_LIST];
	size_t n_csrf_trusted_origins;
	char database_url[1024];
	char time_zone[64];
	char templates_dir[512];
	char static_dir[512];
	int64_t session_idle_s;           /* SESSION_IDLE_TIMEOUT, 0 = off */
	int64_t session_absolute_s;       /* SESSION_ABSOLUTE_TIMEOUT */
	unsigned http_threads;
	unsigned worker_threads;
};

extern struct config config;

/*
 * Reads .env (if present in the working directory) and the environment.
 * Returns 0, or -1 after printing every problem found (one per line).
 * need_secret: serving requires a strong key when DEBUG is off.
 */
int config_load(bool need_secret);

/* Problems a strong key must not have; NULL when the key is fine. */
const char *config_secret_key_problem(const char *key);

/* A fresh key of 50 characters suitable for SECRET_KEY. */
void config_generate_secret(char out[51]);

#endif
