/*
 * router.c - matching a request path against the route table. Paths are
 * compared raw (still percent-encoded): every route is plain ASCII, so an
 * encoded path simply matches nothing.
 */
#include "router.h"
#include "routes_internal.h"

/* Matches one pattern; *id gets the <id> segment when there is one. */
static bool pattern_match(const char *pattern, str path, int64_t *id)
{
	size_t i = 0;
	const char *p = pattern;
	while (*p) {
		if (!strncmp(p, "<id>", 4)) {
			size_t start = i;
			while (i < path.len && path.ptr[i] != '/')
				i++;
			if (str_to_i64((str){ path.ptr + start, i - start }, 1, INT64_MAX, id) < 0 ||
			    path.ptr[start] == '+' || path.ptr[start] == '0')
				return false;
			p += 4;
			continue;
		}
		if (i >= path.len || path.ptr[i] != *p)
			return false;
		i++;
		p++;
	}
	return i == path.len;
}

enum route_match router_match(struct request *req)
{
	bool path_seen = false;
	enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	for (size_t i = 0; i < n_app_routes; i++) {
		int64_t id = 0;
		const struct route *r = &app_routes[i];
		if (!pattern_match(r->pattern, req->path, &id))
			continue;
		path_seen = true;
		if (r->method != m)
			continue;
		req->route = r;
		req->path_id = id;
		return ROUTE_FOUND;
	}
	return path_seen ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}
