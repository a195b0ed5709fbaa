/*
 * static_files.c - see static_files.h. The table is built once and then
 * only read, so HTTP threads share it without locks.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "static_files.h"
#include "../core/buf.h"
#include "../security/digest.h"

#define STATIC_MAX_FILES 256
#define STATIC_MAX_FILE (4u * 1024u * 1024u)

struct static_file {
	char *url;              /* "/static/css/app.css" */
	char *data;
	size_t len;
	const char *content_type;
	char etag[20];          /* "\"" + 16 hex + "\"" */
};

static struct static_file files[STATIC_MAX_FILES];
static size_t n_files;

static const char *type_for(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	size_t len = strlen(name);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		size_t n = strlen(types[i].ext);
		if (len > n && !strcmp(name + len - n, types[i].ext))
			return types[i].type;
	}
	return NULL;
}

static int load_file(const char *path, const char *url)
{
	const char *type = type_for(path);
	if (!type)
		return 0; /* unknown kinds are not served */
	if (n_files == STATIC_MAX_FILES) {
		fprintf(stderr, "static: more than %d files\n", STATIC_MAX_FILES);
		return -1;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "static: cannot read %s\n", path);
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= STATIC_MAX_FILE)
		buf_add(&b, chunk, n);
	fclose(f);
	if (b.len > STATIC_MAX_FILE) {
		fprintf(stderr, "static: %s is over %u bytes\n", path, STATIC_MAX_FILE);
		buf_release(&b);
		return -1;
	}
	struct static_file *sf = &files[n_files++];
	char hex[65];
	sha256_hex(b.ptr, b.len, hex);
	xsnprintf(sf->etag, sizeof(sf->etag), "\"%.16s\"", hex);
	sf->url = xstrndup(url, strlen(url));
	sf->content_type = type;
	sf->data = buf_detach(&b, &sf->len);
	return 0;
}

static int load_dir(const char *dir, const char *url_prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "static: cannot open directory %s\n", dir);
		return -1;
	}
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024], url[1024];
		struct stat st;
		if (xsnprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < 0 ||
		    xsnprintf(url, sizeof(url), "%s/%s", url_prefix, e->d_name) < 0 || stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = load_dir(path, url);
		else if (S_ISREG(st.st_mode))
			rc = load_file(path, url);
	}
	closedir(d);
	return rc;
}

int static_files_load(const char *dir)
{
	return load_dir(dir, "/static");
}

int static_files_serve(struct request *req)
{
	if (!str_starts_with(req->path, "/static/"))
		return 0;
	for (size_t i = 0; i < n_files; i++) {
		struct static_file *sf = &files[i];
		if (!str_eq_lit(req->path, sf->url))
			continue;
		resp_header(req, "ETag", sf->etag);
		resp_header(req, "Cache-Control", "public, max-age=3600");
		str inm = req_header(req, "If-None-Match");
		if (inm.ptr && str_eq_lit(inm, sf->etag)) {
			req->status = 304;
			req->content_type = NULL;
			return 304;
		}
		return resp_text(req, 200, sf->content_type, sf->data, sf->len);
	}
	req->status = 404;
	return resp_text(req, 404, "text/plain; charset=utf-8", "No encontrado\n", 14);
}
