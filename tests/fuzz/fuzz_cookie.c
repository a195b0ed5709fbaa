/*
 * fuzz_cookie.c - libFuzzer target for cookie_parse, which reads the Cookie
 * header of every request before anything is authenticated. Beyond not
 * crashing it must keep each pair inside the header, never merge two pairs,
 * skip nameless pairs and honour the cookie cap.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(str s, const char *base, size_t len)
{
	return s.ptr >= base && s.ptr + s.len <= base + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t max_cookies = (size_t)(data[0] % 60) + 1;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;

	struct arena a;
	struct kv_list l = { 0 };
	arena_init(&a, 64u * 1024u * 1024u);
	int rc = cookie_parse(&a, in, len, max_cookies, &l);
	if (rc != PARSE_OK && rc != PARSE_TOO_MANY)
		abort(); /* bad pairs are skipped, never an error */
	if (l.n_items > max_cookies)
		abort();

	/* Candidate pairs: ';'-separated pieces with a '=' after a non-blank name. */
	size_t n_candidates = 0;
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && in[end] != ';')
			end++;
		size_t b = i;
		while (b < end && isspace((unsigned char)in[b]))
			b++;
		if (b < end && in[b] != '=' && memchr(in + b, '=', end - b))
			n_candidates++;
		i = end + 1;
	}
	if (rc == PARSE_OK && l.n_items != n_candidates)
		abort();
	if (rc == PARSE_TOO_MANY && (n_candidates <= max_cookies || l.n_items != max_cookies))
		abort();

	for (size_t k = 0; k < l.n_items; k++) {
		str n = l.items[k].name, v = l.items[k].value;
		if (!inside(n, in, len) || !inside(v, in, len) || n.len == 0)
			abort();
		if (memchr(n.ptr, ';', n.len) || memchr(n.ptr, '=', n.len) || memchr(v.ptr, ';', v.len))
			abort();
		if (isspace((unsigned char)n.ptr[0]) || isspace((unsigned char)n.ptr[n.len - 1]))
			abort();
		if (v.len && (isspace((unsigned char)v.ptr[0]) || isspace((unsigned char)v.ptr[v.len - 1])) &&
		    !(v.ptr > in && v.ptr[-1] == '"'))
			abort();
		/* Pairs come in order. */
		if (k && n.ptr <= l.items[k - 1].value.ptr)
			abort();
	}
	arena_release(&a);
	return 0;
}
