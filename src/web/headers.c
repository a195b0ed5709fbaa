/*
 * headers.c - the security headers on every response, errors included.
 * The Content-Security-Policy allows only this origin's scripts and styles
 * (no inline script, no inline style), which is why pages carry their
 * behaviour in /static/js and their charts as SVG markup.
 */
#include "middleware.h"

void mw_add_security_headers(struct request *req)
{
	resp_header(req, "X-Content-Type-Options", "nosniff");
	resp_header(req, "X-Frame-Options", "DENY");
	resp_header(req, "Referrer-Policy", "same-origin");
	resp_header(req, "Cross-Origin-Opener-Policy", "same-origin");
	resp_header(req, "Content-Security-Policy",
		    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	resp_header(req, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}
