/*
 * kv.h - an ordered list of name/value pairs living in a request's arena:
 * headers, query parameters, form fields and cookies all use it. Lists are
 * small (capped by the parsers), so lookup is a linear scan.
 */
#ifndef KV_H
#define KV_H

#include "../core/arena.h"
#include "../core/utf8.h" /* utf8_valid: callers and fuzzers find it through kv.h */

struct kv {
	str name;
	str value;
};

struct kv_list {
	struct kv *items;
	size_t n_items;
	size_t cap;
};

/* Appends a pair (the strings are not copied). -1 past the arena cap. */
int kv_add(struct arena *a, struct kv_list *l, str name, str value);

/* First value for name, or STR_NULL (ptr == NULL) when absent. */
str kv_get(const struct kv_list *l, const char *name);
/* Same, ignoring ASCII case (HTTP header names). */
str kv_get_case(const struct kv_list *l, const char *name);

enum parse_result {
	PARSE_OK = 0,
	PARSE_MALFORMED = -1,   /* bad encoding: 400 */
	PARSE_TOO_MANY = -2,    /* over the field limit: 413 */
	PARSE_NO_MEMORY = -3,   /* arena cap: 413 */
};

/*
 * Decodes application/x-www-form-urlencoded text (also query strings) into l:
 * '+' is a space, %XX a byte, empty pairs skipped, a key without '=' has an
 * empty value. Invalid %-escapes and NUL bytes are PARSE_MALFORMED; values
 * that are not valid UTF-8 are PARSE_MALFORMED too, so every later layer
 * sees valid text.
 */
int form_parse(struct arena *a, const char *data, size_t len, size_t max_fields,
	       struct kv_list *l);

/* Parses a Cookie header ("a=b; c=d"); bad pairs are skipped as browsers do. */
int cookie_parse(struct arena *a, const char *data, size_t len, size_t max_cookies,
		 struct kv_list *l);

#endif
