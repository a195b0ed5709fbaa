/*
 * utf8.c - UTF-8 validation, counting and cutting (see utf8.h). Form
 * fields, query strings and product names all pass through here, so the
 * ASCII case stays a single comparison per byte.
 */
#include "utf8.h"

/*
 * Length of the well-formed sequence starting at p[i] (1 to 4) with its
 * code point in *cp, or 0 when it is not one (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF, no sequence cut by the end).
 */
static size_t decode_one(const unsigned char *p, size_t len, size_t i, uint32_t *cp)
{
	unsigned c = p[i];
	size_t n_extra;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n_extra = 1;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n_extra = 2;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n_extra = 3;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len - i <= n_extra)
		return 0;
	for (size_t k = 1; k <= n_extra; k++) {
		if ((p[i + k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i + k] & 0x3f);
	}
	if ((n_extra == 2 && v < 0x800) || (n_extra == 3 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n_extra + 1;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = decode_one(p, len, i, &cp);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

bool utf8_printable(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = decode_one(p, len, i, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return false;
		i += n;
	}
	return true;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t n_chars = 0;
	for (size_t i = 0; i < len; i++)
		n_chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n_chars;
}

size_t utf8_boundary(const char *s, size_t len, size_t max_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = len < max_len ? len : max_len;
	size_t start = n;
	/* Back to the byte that starts the last character... */
	while (start > 0 && (p[start - 1] & 0xc0) == 0x80)
		start--;
	/* ...and drop that character when its continuation bytes are not all there. */
	if (start > 0 && (p[start - 1] & 0x80)) {
		unsigned lead = p[start - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
		if (n - (start - 1) < need)
			n = start - 1;
	}
	return n;
}

size_t utf8_copy(char *dst, size_t dst_size, const char *src, size_t len)
{
	if (dst_size == 0)
		return 0;
	size_t n = utf8_boundary(src, len, dst_size - 1);
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}
