/*
 * middleware.h - the checks every request passes, in the order app.c runs
 * them: host -> (body parsing) -> session -> CSRF -> role gate. Each
 * returns MW_CONTINUE or the status of the error response it has built.
 */
#ifndef MIDDLEWARE_H
#define MIDDLEWARE_H

#include "../http/request.h"

#define MW_CONTINUE 0

/* ALLOWED_HOSTS against the Host header: 400 otherwise. */
int mw_check_host(struct request *req);

/* Takes the secret of a valid csrftoken cookie into req->csrf_secret. */
void csrf_read_cookie(struct request *req);

/* On unsafe methods checks Origin/Referer and the token against the cookie's secret. */
int mw_check_csrf(struct request *req);

/* Signed-in and allowed for the route's access level. */
int mw_check_access(struct request *req);

/* Security headers, added to every response including errors. */
void mw_add_security_headers(struct request *req);

/* The host name of the request, without the port ("" when absent). */
str request_host(struct request *req);

#endif
