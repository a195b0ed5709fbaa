/*
 * kv.c - name/value lists and the parsers that fill them from untrusted
 * bytes: urlencoded forms and query strings, and Cookie headers. Both are
 * fuzzed (tests/fuzz/fuzz_form.c, fuzz_cookie.c).
 */
#include "kv.h"

int kv_add(struct arena *a, struct kv_list *l, str name, str value)
{
	if (l->n_items == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct kv *items = arena_alloc(a, st_mult(cap, sizeof(*items)));
		if (!items)
			return -1;
		if (l->n_items)
			memcpy(items, l->items, l->n_items * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n_items++] = (struct kv){ name, value };
	return 0;
}

str kv_get(const struct kv_list *l, const char *name)
{
	str n = str_from(name);
	for (size_t i = 0; i < l->n_items; i++)
		if (str_eq(l->items[i].name, n))
			return l->items[i].value;
	return STR_NULL;
}

str kv_get_case(const struct kv_list *l, const char *name)
{
	str n = str_from(name);
	for (size_t i = 0; i < l->n_items; i++)
		if (str_case_eq(l->items[i].name, n))
			return l->items[i].value;
	return STR_NULL;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one urlencoded component into fresh arena memory. */
static int url_decode(struct arena *a, const char *s, size_t len, str *out)
{
	char *d = arena_alloc(a, len + 1);
	size_t n = 0;
	if (!d)
		return PARSE_NO_MEMORY;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (len - i < 3 || (hi = hex_value(s[i + 1])) < 0 || (lo = hex_value(s[i + 2])) < 0)
				return PARSE_MALFORMED;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return PARSE_MALFORMED;
		d[n++] = c;
	}
	d[n] = '\0';
	if (!utf8_valid(d, n))
		return PARSE_MALFORMED;
	*out = (str){ d, n };
	return PARSE_OK;
}

int form_parse(struct arena *a, const char *data, size_t len, size_t max_fields,
	       struct kv_list *l)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && data[eq] != '=')
				eq++;
			str name, value = STR("");
			int rc = url_decode(a, data + i, eq - i, &name);
			if (rc == PARSE_OK && eq < end)
				rc = url_decode(a, data + eq + 1, end - eq - 1, &value);
			if (rc != PARSE_OK)
				return rc;
			if (l->n_items >= max_fields)
				return PARSE_TOO_MANY;
			if (kv_add(a, l, name, value) < 0)
				return PARSE_NO_MEMORY;
		}
		i = end + 1;
	}
	return PARSE_OK;
}

int cookie_parse(struct arena *a, const char *data, size_t len, size_t max_cookies,
		 struct kv_list *l)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != ';')
			end++;
		str pair = str_trim((str){ data + i, end - i });
		const char *eq = pair.len ? memchr(pair.ptr, '=', pair.len) : NULL;
		if (eq && eq != pair.ptr) {
			str name = str_trim((str){ pair.ptr, (size_t)(eq - pair.ptr) });
			str value = str_trim((str){ eq + 1, pair.len - (size_t)(eq + 1 - pair.ptr) });
			if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"') {
				value.ptr++;
				value.len -= 2;
			}
			if (l->n_items >= max_cookies)
				return PARSE_TOO_MANY;
			if (kv_add(a, l, name, value) < 0)
				return PARSE_NO_MEMORY;
		}
		i = end + 1;
	}
	return PARSE_OK;
}
