/*
 * fuzz_form.c - libFuzzer target for form_parse (urlencoded bodies and query
 * strings) and utf8_valid. A tiny reference decoder written from kv.h's
 * contract runs beside the real one, so a wrong split, a lost '+', a bad
 * %-escape accepted or invalid UTF-8 let through is caught, not just crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent UTF-8 check (RFC 3629 table), to cross-check utf8_valid. */
static bool ref_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c <= 0x7f) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c == 0xe0) {
			n = 2;
			lo = 0xa0;
		} else if (c == 0xed) {
			n = 2;
			hi = 0x9f; /* no surrogates */
		} else if (c >= 0xe1 && c <= 0xef) {
			n = 2;
		} else if (c == 0xf0) {
			n = 3;
			lo = 0x90;
		} else if (c >= 0xf1 && c <= 0xf3) {
			n = 3;
		} else if (c == 0xf4) {
			n = 3;
			hi = 0x8f;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += n + 1;
	}
	return true;
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes into out (room for len bytes); false when kv.h calls it malformed. */
static bool ref_decode(const unsigned char *s, size_t len, unsigned char *out, size_t *out_len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (len - i < 3 || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0)
				return false;
			c = (unsigned char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2]));
			i += 2;
		}
		if (c == 0)
			return false;
		out[n++] = c;
	}
	*out_len = n;
	return ref_utf8(out, n);
}

static bool same(str got, const unsigned char *want, size_t want_len)
{
	return got.ptr && got.len == want_len && (want_len == 0 || !memcmp(got.ptr, want, want_len)) &&
	       got.ptr[got.len] == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (utf8_valid((const char *)data, size) != ref_utf8(data, size))
		abort();
	if (size == 0)
		return 0;

	/* The first byte picks the field limit, so PARSE_TOO_MANY is reached too. */
	size_t max_fields = (size_t)(data[0] % 64) + 1;
	const unsigned char *in = data + 1;
	size_t len = size - 1;

	struct arena a;
	struct kv_list l = { 0 };
	arena_init(&a, 64u * 1024u * 1024u);
	int rc = form_parse(&a, (const char *)in, len, max_fields, &l);

	if (rc == PARSE_NO_MEMORY) /* cannot happen with a 64 MiB cap and libFuzzer's input sizes */
		abort();
	if (l.n_items > max_fields)
		abort();

	unsigned char *name = malloc(len + 1), *value = malloc(len + 1);
	size_t n_expected = 0;
	int want = PARSE_OK;
	size_t i = 0;
	while (i < len && want == PARSE_OK) {
		size_t end = i;
		while (end < len && in[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i, name_len = 0, value_len = 0;
			while (eq < end && in[eq] != '=')
				eq++;
			if (!ref_decode(in + i, eq - i, name, &name_len) ||
			    (eq < end && !ref_decode(in + eq + 1, end - eq - 1, value, &value_len))) {
				want = PARSE_MALFORMED;
			} else if (n_expected >= max_fields) {
				want = PARSE_TOO_MANY;
			} else {
				/* Items decoded so far must match the reference, in order. */
				if (n_expected >= l.n_items)
					abort();
				const struct kv *kv = &l.items[n_expected];
				if (!same(kv->name, name, name_len) || !same(kv->value, value, value_len))
					abort();
				if (!utf8_valid(kv->name.ptr, kv->name.len) ||
				    !utf8_valid(kv->value.ptr, kv->value.len))
					abort();
				n_expected++;
			}
		}
		i = end + 1;
	}
	if (rc != want)
		abort();
	if (rc == PARSE_OK && l.n_items != n_expected)
		abort();
	/* A lookup of the first name finds the first value. */
	if (rc == PARSE_OK && l.n_items) {
		char *first = arena_strndup(&a, l.items[0].name.ptr, l.items[0].name.len);
		str v = kv_get(&l, first);
		if (!first || v.ptr != l.items[0].value.ptr)
			abort();
	}
	free(name);
	free(value);
	arena_release(&a);
	return 0;
}
