/*
 * utf8.h - the one set of UTF-8 helpers: validating untrusted bytes,
 * counting characters for "at most N characters" limits, and cutting text
 * to a byte budget without splitting a character, so nothing we store,
 * send as JSON or render as HTML ever carries half a character.
 */
#ifndef UTF8_H
#define UTF8_H

#include "common.h"

/* True when the bytes are well-formed UTF-8 (no overlongs, no surrogates,
 * nothing past U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/*
 * utf8_valid plus no control characters (C0, DEL, C1, which includes tab
 * and newline): the rule for one-line free text such as product names,
 * where controls break CSV exports and receipts.
 */
bool utf8_printable(const char *s, size_t len);

/* Characters (code points) in valid UTF-8: the bytes that start one. */
size_t utf8_count(const char *s, size_t len);

/*
 * The largest n <= max_len (and <= len) such that s[0..n) does not end in
 * an incomplete character. Only bytes before min(len, max_len) are read, so
 * it also repairs text that snprintf has already cut at max_len.
 */
size_t utf8_boundary(const char *s, size_t len, size_t max_len);

/*
 * Copies src[0..len) into dst, cut at a character boundary to fit
 * dst_size - 1 bytes, and NUL-terminates. Returns the bytes copied (0 and
 * nothing written when dst_size is 0).
 */
size_t utf8_copy(char *dst, size_t dst_size, const char *src, size_t len);

#endif
