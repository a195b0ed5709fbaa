/*
 * config.c - settings from the environment and .env. The rules for
 * SECRET_KEY follow Django's deploy check: at least 50 characters and 5
 * distinct ones, and not a placeholder; with DEBUG off a bad key stops
 * start-up, with DEBUG on a random key is made for the run.
 */
#include <ctype.h>
#include <errno.h>
#include <time.h>

#include "config.h"
#include "security/random.h"

struct config config;

static void env_file_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		str l = str_trim(str_from(line));
		if (!l.len || l.ptr[0] == '#')
			continue;
		if (str_starts_with(l, "export "))
			l = str_trim((str){ l.ptr + 7, l.len - 7 });
		const char *eq = memchr(l.ptr, '=', l.len);
		if (!eq)
			continue;
		str name = str_trim((str){ l.ptr, (size_t)(eq - l.ptr) });
		str value = str_trim((str){ eq + 1, l.len - (size_t)(eq + 1 - l.ptr) });
		if (value.len >= 2 && (value.ptr[0] == '"' || value.ptr[0] == '\'') &&
		    value.ptr[value.len - 1] == value.ptr[0]) {
			value.ptr++;
			value.len -= 2;
		}
		char *n = xstrndup(name.ptr, name.len);
		char *v = xstrndup(value.ptr, value.len);
		setenv(n, v, 0); /* the real environment wins */
		free(n);
		free(v);
	}
	fclose(f);
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

static bool env_bool(const char *name, bool fallback)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return fallback;
	return !strcasecmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	       !strcasecmp(v, "on");
}

static int env_int(const char *name, int64_t fallback, int64_t min, int64_t max, int64_t *out)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*out = fallback;
		return 0;
	}
	if (str_to_i64(str_trim(str_from(v)), min, max, out) < 0) {
		fprintf(stderr, "config: %s must be a whole number between %lld and %lld\n", name,
			(long long)min, (long long)max);
		return -1;
	}
	return 0;
}

static void split_list(const char *v, char **items, size_t *n_items)
{
	*n_items = 0;
	while (v && *v && *n_items < CONFIG_MAX_LIST) {
		const char *comma = strchr(v, ',');
		size_t len = comma ? (size_t)(comma - v) : strlen(v);
		str item = str_trim((str){ v, len });
		if (item.len)
			items[(*n_items)++] = xstrndup(item.ptr, item.len);
		v = comma ? comma + 1 : NULL;
	}
}

const char *config_secret_key_problem(const char *key)
{
	size_t len = strlen(key);
	bool seen[256] = { false };
	size_t distinct = 0;
	if (!len)
		return "SECRET_KEY is not set";
	if (str_starts_with(str_from(key), "django-insecure") || !strcmp(key, "changeme") ||
	    !strcmp(key, "secret"))
		return "SECRET_KEY is a placeholder";
	for (size_t i = 0; i < len; i++)
		if (!seen[(unsigned char)key[i]]) {
			seen[(unsigned char)key[i]] = true;
			distinct++;
		}
	if (len < 50 || distinct < 5)
		return "SECRET_KEY is weak: it needs at least 50 characters and 5 distinct ones";
	return NULL;
}

void config_generate_secret(char out[51])
{
	random_alnum(out, 50);
}

static int read_secret_file(const char *path, char *out, size_t out_size)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "config: SECRET_KEY_FILE %s cannot be read: %s\n", path, strerror(errno));
		return -1;
	}
	size_t n = fread(out, 1, out_size - 1, f);
	fclose(f);
	out[n] = '\0';
	while (n && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
	return 0;
}

int config_load(bool need_secret)
{
	int errors = 0;
	int64_t v;

	env_file_load(".env");
	memset(&config, 0, sizeof(config));
	config.debug = env_bool("DEBUG", false);

	const char *file = getenv("SECRET_KEY_FILE");
	if (file && *file) {
		if (read_secret_file(file, config.secret_key, sizeof(config.secret_key)) < 0)
			errors++;
	} else if (xsnprintf(config.secret_key, sizeof(config.secret_key), "%s",
			     env_or("SECRET_KEY", "")) < 0) {
		fprintf(stderr, "config: SECRET_KEY is longer than %zu characters\n",
			sizeof(config.secret_key) - 1);
		errors++;
	}
	const char *problem = config_secret_key_problem(config.secret_key);
	if (problem && need_secret) {
		if (config.debug) {
			fprintf(stderr, "warning: %s; DEBUG is on, so a random key is used for this run "
					"(sessions end when the server stops)\n", problem);
			config_generate_secret(config.secret_key);
			config.secret_key_generated = true;
		} else {
			fprintf(stderr, "config: %s. Set SECRET_KEY (`inventario generate-secret` makes one) "
					"or SECRET_KEY_FILE.\n", problem);
			errors++;
		}
	}
	split_list(getenv("SECRET_KEY_FALLBACKS"), config.secret_key_fallbacks,
		   &config.n_secret_key_fallbacks);

	split_list(getenv("ALLOWED_HOSTS"), config.allowed_hosts, &config.n_allowed_hosts);
	if (!config.n_allowed_hosts && config.debug)
		split_list("localhost,127.0.0.1,[::1]", config.allowed_hosts, &config.n_allowed_hosts);
	if (!config.n_allowed_hosts && need_secret) {
		fprintf(stderr, "config: ALLOWED_HOSTS is empty; with DEBUG off list the host names "
				"this server answers to\n");
		errors++;
	}
	split_list(getenv("CSRF_TRUSTED_ORIGINS"), config.csrf_trusted_origins,
		   &config.n_csrf_trusted_origins);
	for (size_t i = 0; i < config.n_csrf_trusted_origins; i++) {
		str o = str_from(config.csrf_trusted_origins[i]);
		if (!str_starts_with(o, "http://") && !str_starts_with(o, "https://")) {
			fprintf(stderr, "config: CSRF_TRUSTED_ORIGINS entry '%s' must start with "
					"https:// (or http://)\n", config.csrf_trusted_origins[i]);
			errors++;
		}
	}

	if (xsnprintf(config.database_url, sizeof(config.database_url), "%s",
		      env_or("DATABASE_URL", "sqlite:///db.sqlite3")) < 0) {
		fprintf(stderr, "config: DATABASE_URL is too long\n");
		errors++;
	}
	if (xsnprintf(config.time_zone, sizeof(config.time_zone), "%s",
		      env_or("TIME_ZONE", "America/Bogota")) < 0) {
		fprintf(stderr, "config: TIME_ZONE is too long\n");
		errors++;
	}
	xsnprintf(config.templates_dir, sizeof(config.templates_dir), "%s",
		  env_or("INVENTARIO_TEMPLATES", "templates"));
	xsnprintf(config.static_dir, sizeof(config.static_dir), "%s",
		  env_or("INVENTARIO_STATIC", "static"));

	if (env_int("SESSION_IDLE_TIMEOUT", 8 * 3600, 0, 30 * 86400, &config.session_idle_s) < 0)
		errors++;
	if (env_int("SESSION_ABSOLUTE_TIMEOUT", 7 * 86400, 1, 365 * 86400,
		    &config.session_absolute_s) < 0)
		errors++;
	if (env_int("HTTP_THREADS", 2, 1, 64, &v) < 0)
		errors++;
	config.http_threads = (unsigned)v;
	if (env_int("WORKER_THREADS", 2, 1, 64, &v) < 0)
		errors++;
	config.worker_threads = (unsigned)v;

	/* Every local-time computation (days, months, weekdays) uses TZ. */
	setenv("TZ", config.time_zone, 1);
	tzset();
	return errors ? -1 : 0;
}
