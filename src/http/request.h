/*
 * request.h - one HTTP request and the response being built for it. The
 * struct and everything hanging off it live in req->arena, created when the
 * request starts and released after the response is sent. Handlers read
 * input through the accessors, write the response through resp_* and
 * return the HTTP status.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <jansson.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "kv.h"

struct db;
struct user;
struct session;

/* Limits (Django's DATA_UPLOAD_MAX_MEMORY_SIZE and _NUMBER_FIELDS). */
#define REQ_MAX_BODY (2500u * 1024u)
#define REQ_MAX_FIELDS 1000
#define REQ_MAX_COOKIES 50
#define REQ_ARENA_MAX (32u * 1024u * 1024u)
#define REQ_MAX_JSON_DEPTH 32

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };

/* Status returned by a handler that handed work to the worker pool. */
#define HTTP_DEFERRED 0

struct request;
typedef void (*slow_work_fn)(void *ctx);
typedef int (*resume_fn)(struct request *req, void *ctx);

struct request {
	struct arena arena;
	enum http_method method;
	str method_name;
	str path;               /* raw path, without the query string */
	str raw_query;          /* raw query string, without the '?' (may be empty) */
	struct kv_list headers;
	struct kv_list query;
	struct kv_list form;    /* urlencoded body */
	struct kv_list cookies;
	json_t *json;           /* application/json body, NULL otherwise */
	str body;
	str client_ip;
	bool query_malformed;   /* bad %-escape, invalid UTF-8 or too many fields: 400 */
	bool body_too_large;   /* over REQ_MAX_BODY: the app answers 413 */
	bool wants_json;        /* JSON route or Accept/Content-Type says so */
	bool is_secure;         /* reached over HTTPS */
	bool cookie_secure;     /* mark cookies Secure (HTTPS, or DEBUG off) */
	int64_t path_id;        /* the <id> of the route pattern, 0 when none */
	int64_t now;            /* seconds since the epoch at the start */

	struct db *db;          /* this thread's connection */
	const struct route *route;
	struct user *user;      /* NULL when anonymous */
	struct session *session;

	/* CSRF: the secret from the cookie (or a new one to set) */
	char csrf_secret[33];
	bool csrf_cookie_set;   /* send Set-Cookie csrftoken on this response */

	/* response */
	int status;
	const char *content_type;
	struct buf body_out;
	struct kv_list resp_headers;

	/* worker-pool hand-off */
	slow_work_fn defer_work;
	resume_fn defer_then;
	void *defer_ctx;
	void *server_conn;      /* the server adapter's connection handle */
};

str req_header(struct request *req, const char *name);
str req_query(struct request *req, const char *name);
str req_form(struct request *req, const char *name);
str req_cookie(struct request *req, const char *name);

/* A NUL-terminated, trimmed copy of a form field ("" when absent). */
char *req_form_cstr(struct request *req, const char *name);
char *req_query_cstr(struct request *req, const char *name);

/* Adds a response header; value is copied into the arena. */
void resp_header(struct request *req, const char *name, const char *value);
void resp_cookie(struct request *req, const char *name, const char *value,
		 int64_t max_age_s, bool http_only);

/* Ends the request with this body; return its result from the handler. */
int resp_text(struct request *req, int status, const char *content_type, const char *body, size_t len);
int resp_json(struct request *req, int status, json_t *data);   /* steals data */
int resp_redirect(struct request *req, const char *location);
/* {"success": false, "error": message, "code": code} */
int resp_json_error(struct request *req, int status, const char *code, const char *message);

/*
 * Runs work(ctx) on the worker pool, then then(req, ctx) back on this
 * request's HTTP thread; the handler returns what req_defer returns.
 * When the queue is full the request is answered 503 at once.
 */
int req_defer(struct request *req, slow_work_fn work, resume_fn then, void *ctx);

#endif
