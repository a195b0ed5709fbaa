/*
 * hosts.c - ALLOWED_HOSTS, as Django: exact names, ".example.com" for a
 * domain and its subdomains, "*" for any. The check runs before anything
 * else so a forged Host never reaches a page that builds absolute URLs.
 */
#include "middleware.h"
#include "render.h"
#include "../config.h"

str request_host(struct request *req)
{
	str h = req_header(req, "Host");
	if (!h.ptr)
		return STR("");
	if (h.len && h.ptr[0] == '[') {            /* [::1]:8000 */
		const char *end = memchr(h.ptr, ']', h.len);
		return end ? (str){ h.ptr, (size_t)(end - h.ptr) + 1 } : STR("");
	}
	const char *colon = memchr(h.ptr, ':', h.len);
	return colon ? (str){ h.ptr, (size_t)(colon - h.ptr) } : h;
}

static bool host_allowed(str host)
{
	for (size_t i = 0; i < config.n_allowed_hosts; i++) {
		str pattern = str_from(config.allowed_hosts[i]);
		if (str_eq_lit(pattern, "*") || str_case_eq(pattern, host))
			return true;
		if (pattern.len > 1 && pattern.ptr[0] == '.') {
			str domain = { pattern.ptr + 1, pattern.len - 1 };
			if (str_case_eq(domain, host))
				return true;
			if (host.len > pattern.len &&
			    str_case_eq(pattern, (str){ host.ptr + host.len - pattern.len, pattern.len }))
				return true;
		}
	}
	return false;
}

int mw_check_host(struct request *req)
{
	str host = request_host(req);
	if (host.len && host_allowed(host))
		return MW_CONTINUE;
	fprintf(stderr, "{\"event\":\"disallowed_host\",\"ip\":\"%.*s\"}\n", (int)req->client_ip.len,
		req->client_ip.ptr);
	return render_error(req, 400, "BAD_REQUEST", "Solicitud inválida: el host no está permitido.");
}
