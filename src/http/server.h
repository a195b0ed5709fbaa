/*
 * server.h - the HTTP server adapter: the only file that includes
 * microhttpd.h. It turns libmicrohttpd callbacks into struct request,
 * collects bodies under the size cap, calls the application, and sends the
 * response; slow work goes to the worker pool while the connection is
 * suspended, so an HTTP thread never waits on PBKDF2.
 */
#ifndef SERVER_H
#define SERVER_H

#include "request.h"

struct server_app {
	/* Called once per request when the body is complete; returns the status
	 * or HTTP_DEFERRED after req_defer. */
	int (*handle)(struct request *req);
	/* Called on every response just before it is sent (headers, logging). */
	void (*finish)(struct request *req);
};

/* Starts listening; returns -1 with a message on stderr. */
int server_start(const struct server_app *app, const char *host, unsigned port,
		 unsigned http_threads, unsigned worker_threads);

/* Blocks until SIGINT/SIGTERM, then stops accepting and drains. */
void server_wait_and_stop(void);

#endif
