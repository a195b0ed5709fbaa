/*
 * server.c - libmicrohttpd adapter (see server.h). Calling sequence per
 * request, as libmicrohttpd drives it:
 *   uri_log      -> new conn_state with its arena, raw URI split and parsed
 *   on_request#1 -> headers copied, Content-Length checked against the cap
 *   on_request#n -> body bytes collected (413 once past REQ_MAX_BODY)
 *   on_request   -> app->handle; either a response or a suspension while a
 *                   worker runs; after resume, the continuation responds
 *   on_completed -> the arena and the state are freed
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <time.h>

#include "server.h"
#include "workers.h"

struct conn_state {
	struct request req;
	struct buf body_in;
	bool headers_read;
	bool responded;
	bool deferred;
	bool defer_failed;
	bool deferred_done;
	struct MHD_Connection *conn;
};

static const struct server_app *the_app;
static struct MHD_Daemon *the_daemon;
static sigset_t stop_signals;

static enum http_method method_from(const char *m)
{
	static const struct { const char *name; enum http_method method; } map[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(m, map[i].name))
			return map[i].method;
	return HTTP_OTHER;
}

static void release_body_in(void *p)
{
	buf_release(p);
}

static void release_body_out(void *p)
{
	buf_release(p);
}

/*
 * Each TCP connection has a slot naming the request state on_uri made for
 * it. libmicrohttpd calls on_completed only for requests that reached the
 * access handler; one refused while its headers were read (too large) would
 * leak its state, so the connection's close frees whatever is still there.
 */
struct conn_slot {
	struct conn_state *pending;
};

static void release_state(struct conn_state *cs)
{
	arena_release(&cs->req.arena);
	free(cs);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	UNUSED(cls);
	UNUSED(c);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = xcalloc(1, sizeof(struct conn_slot));
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		struct conn_slot *slot = *socket_context;
		if (slot->pending)
			release_state(slot->pending);
		free(slot);
		*socket_context = NULL;
	}
}

static struct conn_slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	UNUSED(cls);
	struct conn_state *cs = xcalloc(1, sizeof(*cs));
	struct conn_slot *slot = slot_of(c);
	if (slot) {
		if (slot->pending) /* the previous request never reached us */
			release_state(slot->pending);
		slot->pending = cs;
	}
	struct request *req = &cs->req;
	arena_init(&req->arena, REQ_ARENA_MAX);
	buf_init(&cs->body_in);
	buf_init(&req->body_out);
	arena_on_release(&req->arena, release_body_in, &cs->body_in);
	arena_on_release(&req->arena, release_body_out, &req->body_out);
	cs->conn = c;
	req->server_conn = cs;
	req->now = (int64_t)time(NULL);

	size_t len = strlen(uri);
	const char *q = memchr(uri, '?', len);
	size_t path_len = q ? (size_t)(q - uri) : len;
	char *copy = arena_strndup(&req->arena, uri, len);
	if (copy) {
		req->path = (str){ copy, path_len };
		if (q)
			req->raw_query = (str){ copy + path_len + 1, len - path_len - 1 };
		if (q && form_parse(&req->arena, copy + path_len + 1, len - path_len - 1,
				    REQ_MAX_FIELDS, &req->query) != PARSE_OK) {
			req->query.n_items = 0;
			req->query_malformed = true;
		}
	}
	return cs;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct request *req = cls;
	UNUSED(kind);
	kv_add(&req->arena, &req->headers, str_from(key), str_from(value ? value : ""));
	return MHD_YES;
}

static void read_client_ip(struct request *req, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, text, sizeof(text));
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, text, sizeof(text));
	}
	char *ip = arena_strndup(&req->arena, text, strlen(text));
	req->client_ip = ip ? str_from(ip) : STR("");
}

static enum MHD_Result send_response(struct conn_state *cs)
{
	struct request *req = &cs->req;
	the_app->finish(req);
	size_t len;
	char *body = buf_detach(&req->body_out, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, body, free);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (req->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
	for (size_t i = 0; i < req->resp_headers.n_items; i++)
		MHD_add_response_header(r, req->resp_headers.items[i].name.ptr,
					req->resp_headers.items[i].value.ptr);
	enum MHD_Result ok = MHD_queue_response(cs->conn, (unsigned)req->status, r);
	MHD_destroy_response(r);
	cs->responded = true;
	return ok;
}

static void run_deferred(void *arg)
{
	struct conn_state *cs = arg;
	cs->req.defer_work(cs->req.defer_ctx);
	cs->deferred_done = true;
	MHD_resume_connection(cs->conn);
}

int req_defer(struct request *req, slow_work_fn work, resume_fn then, void *ctx)
{
	struct conn_state *cs = req->server_conn;
	req->defer_work = work;
	req->defer_then = then;
	req->defer_ctx = ctx;
	cs->deferred = true;
	return HTTP_DEFERRED;
}

static enum MHD_Result respond_or_suspend(struct conn_state *cs, int status)
{
	if (status != HTTP_DEFERRED || !cs->deferred)
		return send_response(cs);
	/* Suspend before queueing, so the worker can never resume a
	 * connection that is not suspended yet. */
	MHD_suspend_connection(cs->conn);
	if (workers_submit(run_deferred, cs) < 0) {
		cs->defer_failed = true;
		MHD_resume_connection(cs->conn);
	}
	return MHD_YES;
}

static enum MHD_Result dispatch(struct conn_state *cs)
{
	return respond_or_suspend(cs, the_app->handle(&cs->req));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;
	struct request *req = &cs->req;
	UNUSED(cls);
	UNUSED(url);
	UNUSED(version);

	if (cs->responded) {
		*upload_data_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (!cs->headers_read) {
		cs->headers_read = true;
		req->method = method_from(method);
		req->method_name = str_from(method);
		MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, req);
		read_client_ip(req, c);
		/* A valid Content-Length over the cap is answered 413 without
		 * reading the body; an invalid one is libmicrohttpd's to refuse
		 * (answering it here too would send two status lines). */
		int64_t content_length = 0;
		str cl = req_header(req, "Content-Length");
		if (cl.ptr && str_to_i64(cl, 0, INT64_MAX, &content_length) == 0 &&
		    content_length > (int64_t)REQ_MAX_BODY) {
			req->body_too_large = true;
			return dispatch(cs);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* libmicrohttpd 0.9.75 cannot queue a response while a chunked
		 * body is still arriving: drop the rest, answer 413 at the end. */
		if (req->body_too_large || cs->body_in.len + *upload_data_size > REQ_MAX_BODY) {
			req->body_too_large = true;
			buf_release(&cs->body_in);
		} else {
			buf_add(&cs->body_in, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cs->deferred) {
		if (cs->defer_failed) {
			cs->deferred = false;
			req->status = 503;
			req->content_type = "text/plain; charset=utf-8";
			buf_reset(&req->body_out);
			buf_adds(&req->body_out, "Servidor ocupado; intente de nuevo en unos segundos.\n");
			resp_header(req, "Retry-After", "2");
			return send_response(cs);
		}
		if (!cs->deferred_done)
			return MHD_YES;
		cs->deferred = false;
		cs->deferred_done = false;
		/* The slow work took time: what the continuation records (a
		 * session's start, say) must carry the time it happens. */
		req->now = (int64_t)time(NULL);
		return respond_or_suspend(cs, req->defer_then(req, req->defer_ctx));
	}
	req->body = (str){ cs->body_in.ptr, cs->body_in.len };
	return dispatch(cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	UNUSED(cls);
	UNUSED(toe);
	if (!cs)
		return;
	struct conn_slot *slot = slot_of(c);
	if (slot && slot->pending == cs)
		slot->pending = NULL;
	release_state(cs);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	UNUSED(cls);
	fputs("http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int server_start(const struct server_app *app, const char *host, unsigned port,
		 unsigned http_threads, unsigned worker_threads)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	const struct sockaddr *addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG;

	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)port);
		addr = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)port);
		addr = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "serve: --host must be an IP address, got '%s'\n", host);
		return -1;
	}

	/* Signals are taken by server_wait_and_stop only: block them in every
	 * thread started from here on. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* A short queue: past ~30 hashes waiting, a 503 at once beats a minute's wait. */
	if (workers_start(worker_threads, 32) < 0)
		return -1;
	the_app = app;
	the_daemon = MHD_start_daemon(
		flags, (uint16_t)port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_SOCK_ADDR, addr,
		MHD_OPTION_THREAD_POOL_SIZE, http_threads,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)512,
		/* One request's headers and query parameters must fit here (about
		 * 400 parameters). libmicrohttpd clears the pool per request:
		 * 128 KiB cost ~15 % of a small page's throughput. Past it, it
		 * closes the connection (its 431 is not delivered in 0.9.75). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!the_daemon) {
		fprintf(stderr, "serve: cannot listen on %s:%u (in use, or not allowed)\n", host, port);
		workers_stop();
		return -1;
	}
	return 0;
}

void server_wait_and_stop(void)
{
	int sig;
	sigwait(&stop_signals, &sig);
	fprintf(stderr, "serve: signal %d, stopping\n", sig);
	MHD_stop_daemon(the_daemon);
	the_daemon = NULL;
	workers_stop();
}
