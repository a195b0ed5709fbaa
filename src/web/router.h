/*
 * router.h - the route table's row type and lookup. A pattern is a literal
 * path in which one segment may be "<id>" (a positive integer, stored in
 * req->path_id). The table itself is in routes.c: reading it tells the
 * whole application surface.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include "../http/request.h"

enum route_access {
	ACCESS_PUBLIC,     /* anyone (login page, health) */
	ACCESS_USER,       /* any signed-in account of a tenant (owner or seller) */
	ACCESS_ADMIN,      /* the tenant's owner only */
	ACCESS_OPERATOR,   /* the site operator (superuser) only */
};

enum route_flags {
	ROUTE_JSON = 1 << 0,        /* answers JSON; errors are JSON too */
	ROUTE_NO_SESSION = 1 << 1,  /* never touches the session (health, static) */
};

typedef int (*handler_fn)(struct request *req);

struct route {
	enum http_method method;
	const char *pattern;
	handler_fn handler;
	enum route_access access;
	unsigned flags;
};

enum route_match { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_WRONG_METHOD };

/*
 * Finds the route for req->method and req->path; sets req->route and
 * req->path_id. HEAD matches GET routes.
 */
enum route_match router_match(struct request *req);

#endif
